//! PEP 695 runtime objects (CPython's `Objects/typevarobject.c`): `typing.TypeVar`,
//! `typing.ParamSpec` (with `P.args`/`P.kwargs`, `typing.ParamSpecArgs`/`ParamSpecKwargs`),
//! `typing.TypeVarTuple`, `typing.TypeAliasType`, the `typing.NoDefault` sentinel,
//! `_typing._ConstEvaluator` and the built-in `typing.Generic` base. A type parameter's bound,
//! constraints and default, and an alias's value, are evaluated lazily by calling the functions
//! the compiler made. As in CPython, the behaviour that lives in `Lib/typing.py`
//! (substitution, `Generic[...]`, `_type_check`, `Unpack`) is reached by importing `typing`
//! when first needed, never at start-up. The intrinsics of `CALL_INTRINSIC_1`/`_2` that
//! build these objects are at the end; the `_typing` module is `stdlib/typing.rs`.

use core::ffi::{c_int, c_void};
use core::ptr::null_mut;

use pyrite_abi::*;

use crate::err::PyResult;
use crate::object::{static_head, Obj, PyRef, StaticObject};
use crate::objects::argparse::Kw;
use crate::objects::type_::{getset, StaticTable, TypeObj, BUILTIN_BASETYPE_FLAGS, BUILTIN_FLAGS, GETSET_END};
use crate::objects::{bool_, dict, genericalias, none, tuple, unicode};
use crate::slot::{arg, ret_obj};
use crate::{abstract_, method_table, private_static_type};

/// One layout for the four kinds; a TypeAliasType keeps its value in `bound`, the function
/// computing it in `evaluate_bound`, and its `__qualname__` in `qualname`.
#[repr(C)]
pub struct TypeParamObject {
    pub ob_base: PyObject,
    pub name: *mut PyObject,
    pub bound: *mut PyObject,
    pub evaluate_bound: *mut PyObject,
    pub constraints: *mut PyObject,
    pub evaluate_constraints: *mut PyObject,
    pub default_value: *mut PyObject,
    pub evaluate_default: *mut PyObject,
    pub type_params: *mut PyObject,
    pub module: *mut PyObject,
    pub qualname: *mut PyObject,
    pub covariant: bool,
    pub contravariant: bool,
    pub infer_variance: bool,
}

const N_FIELDS: usize = 10;

/// `P.args` / `P.kwargs`: a reference back to the ParamSpec.
#[repr(C)]
pub struct ParamSpecAttrObject {
    pub ob_base: PyObject,
    pub origin: *mut PyObject,
}

/// `_typing._ConstEvaluator`: what `evaluate_bound` etc. return for a value given directly.
#[repr(C)]
pub struct ConstEvaluatorObject {
    pub ob_base: PyObject,
    pub value: *mut PyObject,
}

/// `|` of TypeVar and ParamSpec: a `typing.Union` that, unlike `int | str`, accepts anything
/// `typing._type_check` accepts (strings become forward references).
static PARAM_AS_NUMBER: StaticObject<PyNumberMethods> = StaticObject::new(PyNumberMethods { nb_or: Some(make_union), ..PyNumberMethods::EMPTY });

static ALIAS_AS_NUMBER: StaticObject<PyNumberMethods> =
    StaticObject::new(PyNumberMethods { nb_or: Some(crate::objects::unionobject::type_or), ..PyNumberMethods::EMPTY });

static ALIAS_AS_MAPPING: StaticObject<PyMappingMethods> =
    StaticObject::new(PyMappingMethods { mp_length: None, mp_subscript: Some(alias_subscript), mp_ass_subscript: None });

macro_rules! param_type {
    ($name:ident, $tpname:literal, $getset:ident, $methods:ident, $new:ident, $doc:literal $(, $extra:ident : $val:expr)*) => {
        private_static_type!($name, $tpname, core::mem::size_of::<TypeParamObject>(), {
            tp_flags: BUILTIN_FLAGS | Py_TPFLAGS_HAVE_GC,
            tp_dealloc: Some(tp_dealloc),
            tp_traverse: Some(tp_traverse),
            tp_repr: Some(tp_repr),
            tp_getset: $getset.0.get() as *mut PyGetSetDef,
            tp_members: NAME_MEMBER.0.get() as *mut PyMemberDef,
            tp_methods: $methods.0.get() as *mut PyMethodDef,
            tp_new: Some($new),
            tp_free: Some(crate::alloc::gc_del),
            tp_doc: $doc.as_ptr(),
            $($extra: $val,)*
        });
    };
}

param_type!(TypeVar_Type, c"typing.TypeVar", TYPEVAR_GETSET, TYPEVAR_METHODS, typevar_new, c"Type variable.",
    tp_as_number: PARAM_AS_NUMBER.0.get());
param_type!(ParamSpec_Type, c"typing.ParamSpec", PARAMSPEC_GETSET, PARAMSPEC_METHODS, paramspec_new, c"Parameter specification variable.",
    tp_as_number: PARAM_AS_NUMBER.0.get());
param_type!(TypeVarTuple_Type, c"typing.TypeVarTuple", TYPEVARTUPLE_GETSET, TYPEVARTUPLE_METHODS, typevartuple_new,
    c"Type variable tuple. A specialized form of type variable that enables\nvariadic generics.",
    tp_iter: Some(unpack_iter));

private_static_type!(TypeAliasType_Type, c"typing.TypeAliasType", core::mem::size_of::<TypeParamObject>(), {
    tp_flags: BUILTIN_FLAGS | Py_TPFLAGS_HAVE_GC,
    tp_dealloc: Some(tp_dealloc),
    tp_traverse: Some(tp_traverse),
    tp_repr: Some(alias_repr),
    tp_iter: Some(unpack_iter),
    tp_as_number: ALIAS_AS_NUMBER.0.get(),
    tp_as_mapping: ALIAS_AS_MAPPING.0.get(),
    tp_getset: ALIAS_GETSET.0.get() as *mut PyGetSetDef,
    tp_members: ALIAS_MEMBERS.0.get() as *mut PyMemberDef,
    tp_methods: ALIAS_METHODS.0.get() as *mut PyMethodDef,
    tp_new: Some(alias_new),
    tp_free: Some(crate::alloc::gc_del),
    tp_doc: c"Type alias.".as_ptr(),
});

macro_rules! paramspec_attr_type {
    ($name:ident, $tpname:literal, $repr:ident, $methods:ident, $new:ident) => {
        private_static_type!($name, $tpname, core::mem::size_of::<ParamSpecAttrObject>(), {
            tp_flags: BUILTIN_FLAGS | Py_TPFLAGS_HAVE_GC,
            tp_dealloc: Some(one_field_dealloc),
            tp_traverse: Some(one_field_traverse),
            tp_repr: Some($repr),
            tp_richcompare: Some(paramspecattr_richcompare),
            tp_members: ORIGIN_MEMBER.0.get() as *mut PyMemberDef,
            tp_methods: $methods.0.get() as *mut PyMethodDef,
            tp_new: Some($new),
            tp_free: Some(crate::alloc::gc_del),
        });
    };
}

paramspec_attr_type!(ParamSpecArgs_Type, c"typing.ParamSpecArgs", paramspecargs_repr, PARAMSPECARGS_METHODS, paramspecargs_new);
paramspec_attr_type!(ParamSpecKwargs_Type, c"typing.ParamSpecKwargs", paramspeckwargs_repr, PARAMSPECKWARGS_METHODS, paramspeckwargs_new);

private_static_type!(ConstEvaluator_Type, c"_typing._ConstEvaluator", core::mem::size_of::<ConstEvaluatorObject>(), {
    tp_flags: BUILTIN_FLAGS | Py_TPFLAGS_HAVE_GC | Py_TPFLAGS_DISALLOW_INSTANTIATION,
    tp_dealloc: Some(one_field_dealloc),
    tp_traverse: Some(one_field_traverse),
    tp_repr: Some(constevaluator_repr),
    tp_call: Some(constevaluator_call),
    tp_free: Some(crate::alloc::gc_del),
    tp_doc: c"Internal type for implementing evaluation functions.".as_ptr(),
});

private_static_type!(NoDefault_Type, c"NoDefaultType", core::mem::size_of::<PyObject>(), {
    tp_flags: BUILTIN_FLAGS,
    tp_repr: Some(nodefault_repr),
    tp_methods: NODEFAULT_METHODS.0.get() as *mut PyMethodDef,
    tp_new: Some(nodefault_new),
    tp_doc: c"The type of the NoDefault singleton.".as_ptr(),
});

/// `typing.NoDefault`.
pub static NO_DEFAULT: StaticObject<PyObject> = StaticObject::new(static_head(NoDefault_Type.raw()));

private_static_type!(Generic_Type, c"typing.Generic", core::mem::size_of::<PyObject>(), {
    tp_flags: BUILTIN_BASETYPE_FLAGS,
    tp_methods: GENERIC_METHODS.0.get() as *mut PyMethodDef,
    tp_doc: c"Abstract base class for generic types.".as_ptr(),
});

pub fn types() -> [&'static TypeObj; 9] {
    [
        &TypeVar_Type,
        &ParamSpec_Type,
        &TypeVarTuple_Type,
        &TypeAliasType_Type,
        &ParamSpecArgs_Type,
        &ParamSpecKwargs_Type,
        &ConstEvaluator_Type,
        &NoDefault_Type,
        &Generic_Type,
    ]
}

const fn member(name: &'static core::ffi::CStr, offset: usize) -> PyMemberDef {
    PyMemberDef { name: name.as_ptr(), type_code: Py_T_OBJECT_EX, offset: offset as Py_ssize_t, flags: Py_READONLY, doc: core::ptr::null() }
}

const MEMBER_END: PyMemberDef = PyMemberDef { name: core::ptr::null(), type_code: 0, offset: 0, flags: 0, doc: core::ptr::null() };

static NAME_MEMBER: StaticTable<PyMemberDef, 2> =
    StaticTable(core::cell::UnsafeCell::new([member(c"__name__", core::mem::offset_of!(TypeParamObject, name)), MEMBER_END]));

static ALIAS_MEMBERS: StaticTable<PyMemberDef, 3> = StaticTable(core::cell::UnsafeCell::new([
    member(c"__name__", core::mem::offset_of!(TypeParamObject, name)),
    member(c"__qualname__", core::mem::offset_of!(TypeParamObject, qualname)),
    MEMBER_END,
]));

static ORIGIN_MEMBER: StaticTable<PyMemberDef, 2> =
    StaticTable(core::cell::UnsafeCell::new([member(c"__origin__", core::mem::offset_of!(ParamSpecAttrObject, origin)), MEMBER_END]));

method_table!(static TYPEVAR_METHODS = [
    o c"__typing_subst__" => typevar_subst,
    fast c"__typing_prepare_subst__" => typevar_prepare_subst,
    noargs c"__reduce__" => m_reduce,
    noargs c"has_default" => m_has_default,
    o c"__mro_entries__" => typevar_mro_entries,
]);

method_table!(static PARAMSPEC_METHODS = [
    o c"__typing_subst__" => paramspec_subst,
    fast c"__typing_prepare_subst__" => paramspec_prepare_subst,
    noargs c"has_default" => m_has_default,
    noargs c"__reduce__" => m_reduce,
    o c"__mro_entries__" => paramspec_mro_entries,
]);

method_table!(static TYPEVARTUPLE_METHODS = [
    o c"__typing_subst__" => typevartuple_subst,
    fast c"__typing_prepare_subst__" => typevartuple_prepare_subst,
    noargs c"__reduce__" => m_reduce,
    noargs c"has_default" => m_has_default,
    o c"__mro_entries__" => typevartuple_mro_entries,
]);

method_table!(static ALIAS_METHODS = [
    noargs c"__reduce__" => m_reduce,
]);

method_table!(static PARAMSPECARGS_METHODS = [
    o c"__mro_entries__" => paramspecargs_mro_entries,
]);

method_table!(static PARAMSPECKWARGS_METHODS = [
    o c"__mro_entries__" => paramspeckwargs_mro_entries,
]);

method_table!(static NODEFAULT_METHODS = [
    noargs c"__reduce__" => nodefault_reduce,
]);

/// `Generic.__class_getitem__` and `__init_subclass__` take any arguments and hand them to
/// `typing` (`METH_VARARGS | METH_KEYWORDS | METH_CLASS`, as CPython's).
static GENERIC_METHODS: StaticTable<PyMethodDef, 3> = StaticTable(core::cell::UnsafeCell::new([
    PyMethodDef {
        ml_name: c"__class_getitem__".as_ptr(),
        ml_meth: generic_class_getitem as *mut c_void,
        ml_flags: METH_VARARGS | METH_KEYWORDS | METH_CLASS,
        ml_doc: c"Parameterizes a generic class.".as_ptr(),
    },
    PyMethodDef {
        ml_name: c"__init_subclass__".as_ptr(),
        ml_meth: generic_init_subclass as *mut c_void,
        ml_flags: METH_VARARGS | METH_KEYWORDS | METH_CLASS,
        ml_doc: c"Function to initialize subclasses.".as_ptr(),
    },
    crate::objects::argparse::METHOD_END,
]));

static TYPEVAR_GETSET: StaticTable<PyGetSetDef, 11> = StaticTable(core::cell::UnsafeCell::new([
    getset(c"__bound__", Some(get_bound), None),
    getset(c"__constraints__", Some(get_constraints), None),
    getset(c"__default__", Some(get_default), None),
    getset(c"evaluate_bound", Some(get_evaluate_bound), None),
    getset(c"evaluate_constraints", Some(get_evaluate_constraints), None),
    getset(c"evaluate_default", Some(get_evaluate_default), None),
    getset(c"__covariant__", Some(get_covariant), None),
    getset(c"__contravariant__", Some(get_contravariant), None),
    getset(c"__infer_variance__", Some(get_infer_variance), None),
    getset(c"__module__", Some(get_module), Some(set_module)),
    GETSET_END,
]));

static PARAMSPEC_GETSET: StaticTable<PyGetSetDef, 10> = StaticTable(core::cell::UnsafeCell::new([
    getset(c"args", Some(paramspec_args), None),
    getset(c"kwargs", Some(paramspec_kwargs), None),
    getset(c"__bound__", Some(get_bound), None),
    getset(c"__default__", Some(get_default), None),
    getset(c"evaluate_default", Some(get_evaluate_default), None),
    getset(c"__covariant__", Some(get_covariant), None),
    getset(c"__contravariant__", Some(get_contravariant), None),
    getset(c"__infer_variance__", Some(get_infer_variance), None),
    getset(c"__module__", Some(get_module), Some(set_module)),
    GETSET_END,
]));

static TYPEVARTUPLE_GETSET: StaticTable<PyGetSetDef, 8> = StaticTable(core::cell::UnsafeCell::new([
    getset(c"__bound__", Some(get_bound), None),
    getset(c"__default__", Some(get_default), None),
    getset(c"evaluate_default", Some(get_evaluate_default), None),
    getset(c"__covariant__", Some(get_covariant), None),
    getset(c"__contravariant__", Some(get_contravariant), None),
    getset(c"__infer_variance__", Some(get_infer_variance), None),
    getset(c"__module__", Some(get_module), Some(set_module)),
    GETSET_END,
]));

static ALIAS_GETSET: StaticTable<PyGetSetDef, 6> = StaticTable(core::cell::UnsafeCell::new([
    getset(c"__parameters__", Some(alias_get_parameters), None),
    getset(c"__type_params__", Some(alias_get_type_params), None),
    getset(c"__value__", Some(alias_get_value), None),
    getset(c"evaluate_value", Some(alias_get_evaluate_value), None),
    getset(c"__module__", Some(alias_get_module), Some(set_module)),
    GETSET_END,
]));

pub fn no_default() -> PyRef {
    NO_DEFAULT.new_ref()
}

fn fields(o: &Obj) -> *mut TypeParamObject {
    o.as_ptr() as *mut TypeParamObject
}

fn is_param(o: &Obj) -> bool {
    let ty = o.ob_type();
    ty.is(&TypeVar_Type) || ty.is(&ParamSpec_Type) || ty.is(&TypeVarTuple_Type)
}

/// A new object of `ty` (one of the four) named `name`, every other field empty.
fn alloc(ty: &TypeObj, name: &Obj) -> PyRef {
    // SAFETY: `ty` is a live static type of this layout; a zeroed instance is valid.
    unsafe {
        let op = crate::alloc::alloc_object(ty.raw(), core::mem::size_of::<TypeParamObject>(), true);
        assert!(!op.is_null(), "out of memory allocating a type parameter");
        (*(op as *mut TypeParamObject)).name = name.new_ref().into_raw();
        PyRef::from_raw(op)
    }
}

/// A new object of a one-field layout (`ParamSpecAttrObject`, `ConstEvaluatorObject`).
fn alloc_one_field(ty: &TypeObj, value: &Obj) -> PyRef {
    // SAFETY: `ty` is a live static type whose instances are the header plus one owned field.
    unsafe {
        let op = crate::alloc::alloc_object(ty.raw(), core::mem::size_of::<ParamSpecAttrObject>(), true);
        assert!(!op.is_null(), "out of memory allocating a typing object");
        (*(op as *mut ParamSpecAttrObject)).origin = value.new_ref().into_raw();
        PyRef::from_raw(op)
    }
}

/// Sets a field holding NULL or an owned reference.
fn set(slot: *mut *mut PyObject, v: Option<&Obj>) {
    // SAFETY: `slot` is a field of a live object of this module's layouts.
    unsafe {
        let old = core::mem::replace(&mut *slot, v.map_or(null_mut(), |v| v.new_ref().into_raw()));
        crate::object::xdecref(old);
    }
}

/// The value of a lazily evaluated field: cached, else computed by `evaluate` (then cached),
/// else `missing`.
fn lazy(cached: *mut *mut PyObject, evaluate: *mut PyObject, missing: fn() -> PyRef) -> PyResult<PyRef> {
    // SAFETY: both point into a live TypeParamObject; fields hold NULL or owned references.
    unsafe {
        if !(*cached).is_null() {
            return Ok(arg(*cached).new_ref());
        }
        if evaluate.is_null() {
            return Ok(missing());
        }
        let v = abstract_::call_no_args(arg(evaluate))?;
        set(cached, Some(&v));
        Ok(v)
    }
}

// ---- calling into typing.py -------------------------------------------------------------------

/// `typing.<name>(*args)`, importing `typing` on first use (CPython's `call_typing_func_object`).
fn call_typing(name: &str, args: &[&Obj]) -> PyResult<PyRef> {
    let typing = crate::import::import_module("typing")?;
    let f = abstract_::getattr_str(&typing, name)?;
    abstract_::call(&f, &tuple::new_from(args), None)
}

/// `typing._type_check(arg, msg)`; None is `NoneType` without asking typing.
fn type_check(a: &Obj, msg: &str) -> PyResult<PyRef> {
    if a.is(none::none_obj()) {
        return Ok(none::_PyNone_Type.new_ref());
    }
    call_typing("_type_check", &[a, &unicode::new(msg)])
}

/// `typing.Unpack[tvt]`.
fn unpack(tvt: &Obj) -> PyResult<PyRef> {
    let typing = crate::import::import_module("typing")?;
    let unpack = abstract_::getattr_str(&typing, "Unpack")?;
    abstract_::getitem(&unpack, tvt)
}

/// `params` with each TypeVarTuple replaced by `Unpack[...]` of it (what `Generic` and an
/// alias's `__parameters__` hold).
fn unpack_typevartuples(params: &Obj) -> PyResult<PyRef> {
    let items = tuple::items(params);
    if !items.iter().any(|p| p.ob_type().is(&TypeVarTuple_Type)) {
        return Ok(params.new_ref());
    }
    let mut out = Vec::with_capacity(items.len());
    for p in items {
        out.push(if p.ob_type().is(&TypeVarTuple_Type) { unpack(p)? } else { p.new_ref() });
    }
    Ok(tuple::new_from_owned(out))
}

/// `iter(Ts)` (what `*Ts` unpacks) and `iter(alias)`: one `typing.Unpack[...]`.
unsafe extern "C" fn unpack_iter(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live object.
    let o = unsafe { arg(o) };
    ret_obj(unpack(o).and_then(|u| crate::objects::iterobject::get_iter(&tuple::new_from(&[&u]))))
}

unsafe extern "C" fn make_union(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    // SAFETY: nb_or contract: live operands.
    let (a, b) = unsafe { (arg(a), arg(b)) };
    ret_obj(crate::objects::unionobject::from_tuple(&tuple::new_from(&[a, b])))
}

// ---- slots and getters of the parameter types -------------------------------------------------

unsafe extern "C" fn tp_dealloc(o: *mut PyObject) {
    // SAFETY: a dead object of this layout; its pointer fields are consecutive.
    unsafe {
        let p = &mut (*(o as *mut TypeParamObject)).name as *mut *mut PyObject;
        for i in 0..N_FIELDS {
            crate::object::xdecref(*p.add(i));
        }
        crate::alloc::gc_del(o as *mut c_void);
    }
}

unsafe extern "C" fn tp_traverse(o: *mut PyObject, visit: visitproc, a: *mut c_void) -> c_int {
    // SAFETY: a live object of this layout; its pointer fields are consecutive.
    unsafe {
        let Some(v) = visit else { return 0 };
        let p = &(*(o as *mut TypeParamObject)).name as *const *mut PyObject;
        for i in 0..N_FIELDS {
            let f = *p.add(i);
            if !f.is_null() {
                let r = v(f, a);
                if r != 0 {
                    return r;
                }
            }
        }
        0
    }
}

unsafe extern "C" fn one_field_dealloc(o: *mut PyObject) {
    // SAFETY: a dead object of a one-field layout.
    unsafe {
        crate::object::xdecref((*(o as *mut ParamSpecAttrObject)).origin);
        crate::alloc::gc_del(o as *mut c_void);
    }
}

unsafe extern "C" fn one_field_traverse(o: *mut PyObject, visit: visitproc, a: *mut c_void) -> c_int {
    // SAFETY: a live object of a one-field layout.
    unsafe {
        let f = (*(o as *mut ParamSpecAttrObject)).origin;
        match visit {
            Some(v) if !f.is_null() => v(f, a),
            _ => 0,
        }
    }
}

unsafe extern "C" fn tp_repr(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live type parameter.
    unsafe {
        let t = &*(o as *mut TypeParamObject);
        let name = unicode::as_str_lossy(arg(t.name));
        let s = if t.infer_variance {
            name.into_owned()
        } else {
            let v = if t.covariant { '+' } else if t.contravariant { '-' } else { '~' };
            format!("{v}{name}")
        };
        unicode::new(&s).into_raw()
    }
}

unsafe extern "C" fn get_bound(o: *mut PyObject, _: *mut c_void) -> *mut PyObject {
    // SAFETY: a live object of this layout.
    unsafe {
        let t = o as *mut TypeParamObject;
        ret_obj(lazy(&mut (*t).bound, (*t).evaluate_bound, none::none))
    }
}

unsafe extern "C" fn get_constraints(o: *mut PyObject, _: *mut c_void) -> *mut PyObject {
    // SAFETY: a live object of this layout.
    unsafe {
        let t = o as *mut TypeParamObject;
        ret_obj(lazy(&mut (*t).constraints, (*t).evaluate_constraints, || tuple::new_from(&[])))
    }
}

fn default_of(o: &Obj) -> PyResult<PyRef> {
    let t = fields(o);
    // SAFETY: a live object of this layout.
    unsafe { lazy(&mut (*t).default_value, (*t).evaluate_default, no_default) }
}

unsafe extern "C" fn get_default(o: *mut PyObject, _: *mut c_void) -> *mut PyObject {
    // SAFETY: a live object of this layout.
    ret_obj(default_of(unsafe { arg(o) }))
}

/// `evaluate_bound` etc.: the function the compiler made, else a constant evaluator of a
/// value given to the constructor, else None.
fn evaluator(evaluate: *mut PyObject, value: *mut PyObject) -> *mut PyObject {
    // SAFETY: both are fields holding NULL or an owned reference.
    unsafe {
        if !evaluate.is_null() {
            arg(evaluate).new_ref().into_raw()
        } else if !value.is_null() {
            alloc_one_field(&ConstEvaluator_Type, arg(value)).into_raw()
        } else {
            none::none().into_raw()
        }
    }
}

unsafe extern "C" fn get_evaluate_bound(o: *mut PyObject, _: *mut c_void) -> *mut PyObject {
    // SAFETY: a live object of this layout.
    unsafe {
        let t = &*(o as *mut TypeParamObject);
        evaluator(t.evaluate_bound, t.bound)
    }
}

unsafe extern "C" fn get_evaluate_constraints(o: *mut PyObject, _: *mut c_void) -> *mut PyObject {
    // SAFETY: a live object of this layout.
    unsafe {
        let t = &*(o as *mut TypeParamObject);
        evaluator(t.evaluate_constraints, t.constraints)
    }
}

unsafe extern "C" fn get_evaluate_default(o: *mut PyObject, _: *mut c_void) -> *mut PyObject {
    // SAFETY: a live object of this layout.
    unsafe {
        let t = &*(o as *mut TypeParamObject);
        evaluator(t.evaluate_default, t.default_value)
    }
}

fn m_has_default(o: &Obj) -> PyResult<PyRef> {
    // SAFETY: a live object of this layout.
    let t = unsafe { &*fields(o) };
    let has = !t.evaluate_default.is_null() || (!t.default_value.is_null() && !unsafe { arg(t.default_value) }.is(NO_DEFAULT.obj()));
    Ok(bool_::new(has))
}

/// `__reduce__`: the name, so pickling finds the object as a module global.
fn m_reduce(o: &Obj) -> PyResult<PyRef> {
    // SAFETY: a live object of this layout.
    Ok(unsafe { arg((*fields(o)).name) }.new_ref())
}

unsafe extern "C" fn get_covariant(o: *mut PyObject, _: *mut c_void) -> *mut PyObject {
    // SAFETY: a live object of this layout.
    bool_::new(unsafe { (*(o as *mut TypeParamObject)).covariant }).into_raw()
}

unsafe extern "C" fn get_contravariant(o: *mut PyObject, _: *mut c_void) -> *mut PyObject {
    // SAFETY: a live object of this layout.
    bool_::new(unsafe { (*(o as *mut TypeParamObject)).contravariant }).into_raw()
}

unsafe extern "C" fn get_infer_variance(o: *mut PyObject, _: *mut c_void) -> *mut PyObject {
    // SAFETY: a live object of this layout.
    bool_::new(unsafe { (*(o as *mut TypeParamObject)).infer_variance }).into_raw()
}

/// `__module__`: where the constructor was called (CPython keeps it in the instance dict;
/// the compiler's parameters have none and answer the type's, `typing`).
unsafe extern "C" fn get_module(o: *mut PyObject, _: *mut c_void) -> *mut PyObject {
    // SAFETY: a live object of this layout.
    let m = unsafe { (*(o as *mut TypeParamObject)).module };
    if m.is_null() { unicode::new("typing").into_raw() } else { unsafe { arg(m) }.new_ref().into_raw() }
}

unsafe extern "C" fn set_module(o: *mut PyObject, v: *mut PyObject, _: *mut c_void) -> c_int {
    // SAFETY: a live object of this layout; `v` NULL (delete) or live.
    unsafe { set(&mut (*(o as *mut TypeParamObject)).module, crate::slot::opt_arg(v)) };
    0
}

fn typevar_subst(o: &Obj, a: &Obj) -> PyResult<PyRef> {
    call_typing("_typevar_subst", &[o, a])
}

fn paramspec_subst(o: &Obj, a: &Obj) -> PyResult<PyRef> {
    call_typing("_paramspec_subst", &[o, a])
}

fn typevartuple_subst(_o: &Obj, _a: &Obj) -> PyResult<PyRef> {
    Err(raise!(TypeError, "Substitution of bare TypeVarTuple is not supported"))
}

fn prepare_args<'a>(name: &str, args: &'a [&'a Obj]) -> PyResult<(&'a Obj, &'a Obj)> {
    crate::objects::argparse::check_positional(name, args.len(), 2, 2)?;
    Ok((args[0], args[1]))
}

/// `TypeVar.__typing_prepare_subst__(alias, args)`: `args`, extended by this TypeVar's
/// default when it is the first parameter without an argument.
fn typevar_prepare_subst(o: &Obj, args: &[&Obj]) -> PyResult<PyRef> {
    let (alias, given) = prepare_args("__typing_prepare_subst__", args)?;
    let params = abstract_::getattr_str(alias, "__parameters__")?;
    let params = abstract_::sequence_tuple(&params)?;
    let i = tuple::items(&params)
        .iter()
        .position(|p| p.is(o))
        .ok_or_else(|| raise!(ValueError, "sequence.index(x): x not in sequence"))?;
    let n = abstract_::len(given)?;
    if i < n {
        return Ok(given.new_ref());
    }
    if i == n {
        let d = default_of(o)?;
        if !d.is(NO_DEFAULT.obj()) {
            return crate::number::binary_op(given, &tuple::new_from(&[&d]), crate::number::BinaryOp::Add);
        }
    }
    let alias_str = abstract_::str(alias)?;
    Err(raise!(TypeError, "Too few arguments for {}; actual {}, expected at least {}", unicode::as_str_lossy(&alias_str), n, i + 1))
}

fn paramspec_prepare_subst(o: &Obj, args: &[&Obj]) -> PyResult<PyRef> {
    let (alias, given) = prepare_args("__typing_prepare_subst__", args)?;
    call_typing("_paramspec_prepare_subst", &[o, alias, given])
}

fn typevartuple_prepare_subst(o: &Obj, args: &[&Obj]) -> PyResult<PyRef> {
    let (alias, given) = prepare_args("__typing_prepare_subst__", args)?;
    call_typing("_typevartuple_prepare_subst", &[o, alias, given])
}

fn typevar_mro_entries(_o: &Obj, _bases: &Obj) -> PyResult<PyRef> {
    Err(raise!(TypeError, "Cannot subclass an instance of TypeVar"))
}

fn paramspec_mro_entries(_o: &Obj, _bases: &Obj) -> PyResult<PyRef> {
    Err(raise!(TypeError, "Cannot subclass an instance of ParamSpec"))
}

fn typevartuple_mro_entries(_o: &Obj, _bases: &Obj) -> PyResult<PyRef> {
    Err(raise!(TypeError, "Cannot subclass an instance of TypeVarTuple"))
}

fn paramspecargs_mro_entries(_o: &Obj, _bases: &Obj) -> PyResult<PyRef> {
    Err(raise!(TypeError, "Cannot subclass an instance of ParamSpecArgs"))
}

fn paramspeckwargs_mro_entries(_o: &Obj, _bases: &Obj) -> PyResult<PyRef> {
    Err(raise!(TypeError, "Cannot subclass an instance of ParamSpecKwargs"))
}

// ---- ParamSpecArgs / ParamSpecKwargs ----------------------------------------------------------

unsafe extern "C" fn paramspec_args(o: *mut PyObject, _: *mut c_void) -> *mut PyObject {
    // SAFETY: a live ParamSpec.
    alloc_one_field(&ParamSpecArgs_Type, unsafe { arg(o) }).into_raw()
}

unsafe extern "C" fn paramspec_kwargs(o: *mut PyObject, _: *mut c_void) -> *mut PyObject {
    // SAFETY: a live ParamSpec.
    alloc_one_field(&ParamSpecKwargs_Type, unsafe { arg(o) }).into_raw()
}

fn origin(o: &Obj) -> &Obj {
    // SAFETY: a live object of the one-field layout owns its field.
    unsafe { arg((*(o.as_ptr() as *mut ParamSpecAttrObject)).origin) }
}

/// `P.args`/`P.kwargs`: the ParamSpec's name, or the repr of another origin.
fn paramspecattr_repr(o: *mut PyObject, suffix: &str) -> *mut PyObject {
    // SAFETY: a live ParamSpecArgs/Kwargs.
    let origin = origin(unsafe { arg(o) });
    ret_obj((|| {
        let head = if origin.ob_type().is(&ParamSpec_Type) {
            // SAFETY: a live ParamSpec.
            unicode::as_str_lossy(unsafe { arg((*fields(origin)).name) }).into_owned()
        } else {
            unicode::as_str_lossy(&*abstract_::repr(origin)?).into_owned()
        };
        Ok(unicode::new(&format!("{head}.{suffix}")))
    })())
}

unsafe extern "C" fn paramspecargs_repr(o: *mut PyObject) -> *mut PyObject {
    paramspecattr_repr(o, "args")
}

unsafe extern "C" fn paramspeckwargs_repr(o: *mut PyObject) -> *mut PyObject {
    paramspecattr_repr(o, "kwargs")
}

unsafe extern "C" fn paramspecattr_richcompare(a: *mut PyObject, b: *mut PyObject, op: c_int) -> *mut PyObject {
    // SAFETY: tp_richcompare contract: live operands.
    let (a, b) = unsafe { (arg(a), arg(b)) };
    if !a.ob_type().is(b.ob_type()) || (op != Py_EQ && op != Py_NE) {
        return none::not_implemented().into_raw();
    }
    ret_obj(abstract_::rich_compare(origin(a), origin(b), op))
}

fn paramspecattr_new(ty: &TypeObj, what: &str, args: *mut PyObject, kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: tp_new contract.
    let (pos, kw) = unsafe { new_args(args, kw) };
    ret_obj((|| {
        let mut origin = pos.first().map(|o| o.new_ref());
        if pos.len() > 1 {
            return Err(raise!(TypeError, "{}() takes at most 1 argument ({} given)", what, pos.len() + kw.len()));
        }
        for (k, v) in &kw {
            match unicode::as_str(k)? {
                "origin" if origin.is_none() => origin = Some(v.clone()),
                "origin" => return Err(raise!(TypeError, "argument for {}() given by name ('origin') and position (1)", what)),
                key => return Err(raise!(TypeError, "{}() got an unexpected keyword argument '{}'", what, key)),
            }
        }
        let origin = origin.ok_or_else(|| raise!(TypeError, "{}() missing required argument 'origin' (pos 1)", what))?;
        Ok(alloc_one_field(ty, &origin))
    })())
}

unsafe extern "C" fn paramspecargs_new(_: *mut PyTypeObject, args: *mut PyObject, kw: *mut PyObject) -> *mut PyObject {
    paramspecattr_new(&ParamSpecArgs_Type, "ParamSpecArgs", args, kw)
}

unsafe extern "C" fn paramspeckwargs_new(_: *mut PyTypeObject, args: *mut PyObject, kw: *mut PyObject) -> *mut PyObject {
    paramspecattr_new(&ParamSpecKwargs_Type, "ParamSpecKwargs", args, kw)
}

// ---- _ConstEvaluator --------------------------------------------------------------------------

/// `annotationlib.Format.STRING`.
const FORMAT_STRING: i64 = 4;

unsafe extern "C" fn constevaluator_repr(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live evaluator.
    let v = origin(unsafe { arg(o) });
    ret_obj(abstract_::repr(v).map(|r| unicode::new(&format!("<constevaluator {}>", unicode::as_str_lossy(&r)))))
}

/// `evaluator(format)`: the value, or for `Format.STRING` its source-like text (a tuple as
/// `(a, b)`, classes by qualified name).
unsafe extern "C" fn constevaluator_call(o: *mut PyObject, args: *mut PyObject, kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: tp_call contract.
    let (pos, kw) = unsafe { new_args(args, kw) };
    // SAFETY: a live evaluator.
    let value = origin(unsafe { arg(o) });
    ret_obj((|| {
        if !kw.is_empty() {
            return Err(raise!(TypeError, "constevaluator.__call__() takes no keyword arguments"));
        }
        if pos.len() != 1 {
            return Err(raise!(TypeError, "constevaluator.__call__() takes exactly one argument ({} given)", pos.len()));
        }
        let format = crate::objects::long::to_i64(&*abstract_::index(pos[0])?).unwrap_or(i64::MAX);
        if format != FORMAT_STRING {
            return Ok(value.new_ref());
        }
        let mut out = String::new();
        if tuple::check(value) {
            out.push('(');
            for (i, item) in tuple::items(value).iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                type_repr(item, &mut out)?;
            }
            out.push(')');
        } else {
            type_repr(value, &mut out)?;
        }
        Ok(unicode::new(&out))
    })())
}

/// CPython's `_Py_typing_type_repr`: `NoneType` as `None`, then as a generic alias would.
fn type_repr(p: &Obj, out: &mut String) -> PyResult<()> {
    if p.is(&none::_PyNone_Type) {
        out.push_str("None");
        return Ok(());
    }
    genericalias::repr_item(p, out)
}

// ---- NoDefault --------------------------------------------------------------------------------

unsafe extern "C" fn nodefault_repr(_: *mut PyObject) -> *mut PyObject {
    unicode::new("typing.NoDefault").into_raw()
}

fn nodefault_reduce(_: &Obj) -> PyResult<PyRef> {
    Ok(unicode::new("NoDefault"))
}

unsafe extern "C" fn nodefault_new(_: *mut PyTypeObject, args: *mut PyObject, kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: tp_new contract.
    let (pos, kw) = unsafe { new_args(args, kw) };
    if !pos.is_empty() || !kw.is_empty() {
        return ret_obj(Err(raise!(TypeError, "NoDefaultType takes no arguments")));
    }
    no_default().into_raw()
}

// ---- TypeAliasType ----------------------------------------------------------------------------

unsafe extern "C" fn alias_repr(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live TypeAliasType.
    unsafe { arg((*(o as *mut TypeParamObject)).qualname).new_ref().into_raw() }
}

unsafe extern "C" fn alias_get_value(o: *mut PyObject, _: *mut c_void) -> *mut PyObject {
    // SAFETY: a live TypeAliasType.
    unsafe {
        let t = o as *mut TypeParamObject;
        ret_obj(lazy(&mut (*t).bound, (*t).evaluate_bound, none::none))
    }
}

unsafe extern "C" fn alias_get_evaluate_value(o: *mut PyObject, _: *mut c_void) -> *mut PyObject {
    // SAFETY: a live TypeAliasType.
    unsafe {
        let t = &*(o as *mut TypeParamObject);
        evaluator(t.evaluate_bound, t.bound)
    }
}

/// The alias's type parameters, NULL when it has none.
fn alias_params(o: &Obj) -> Option<&Obj> {
    // SAFETY: a live TypeAliasType; the field holds NULL or an owned tuple.
    let p = unsafe { (*fields(o)).type_params };
    (!p.is_null()).then(|| unsafe { arg(p) })
}

unsafe extern "C" fn alias_get_type_params(o: *mut PyObject, _: *mut c_void) -> *mut PyObject {
    // SAFETY: a live TypeAliasType.
    alias_params(unsafe { arg(o) }).map_or_else(|| tuple::new_from(&[]), |p| p.new_ref()).into_raw()
}

unsafe extern "C" fn alias_get_parameters(o: *mut PyObject, _: *mut c_void) -> *mut PyObject {
    // SAFETY: a live TypeAliasType.
    ret_obj(alias_params(unsafe { arg(o) }).map_or_else(|| Ok(tuple::new_from(&[])), unpack_typevartuples))
}

/// `__module__`: given to the constructor or assigned, else the module of the function that
/// computes the value.
unsafe extern "C" fn alias_get_module(o: *mut PyObject, _: *mut c_void) -> *mut PyObject {
    // SAFETY: a live TypeAliasType.
    unsafe {
        let t = &*(o as *mut TypeParamObject);
        if !t.module.is_null() {
            return arg(t.module).new_ref().into_raw();
        }
        if !t.evaluate_bound.is_null() && crate::objects::function::check(arg(t.evaluate_bound)) {
            let m = (*crate::objects::function::raw(arg(t.evaluate_bound))).module;
            if !m.is_null() {
                return arg(m).new_ref().into_raw();
            }
        }
        none::none().into_raw()
    }
}

unsafe extern "C" fn alias_subscript(o: *mut PyObject, item: *mut PyObject) -> *mut PyObject {
    // SAFETY: mp_subscript contract: live operands.
    let (o, item) = unsafe { (arg(o), arg(item)) };
    if alias_params(o).is_none() {
        return ret_obj(Err(raise!(TypeError, "Only generic type aliases are subscriptable")));
    }
    ret_obj(genericalias::new(o, item))
}

/// The type parameters an alias keeps: None and () are "none"; a parameter without a default
/// may not follow one with a default.
fn check_alias_params(params: Option<&Obj>) -> PyResult<Option<PyRef>> {
    let Some(params) = params.filter(|p| !p.is(none::none_obj()) && !(tuple::check(p) && tuple::items(p).is_empty())) else {
        return Ok(None);
    };
    let mut default_seen = false;
    for p in tuple::items(params) {
        if !is_param(p) {
            let r = abstract_::repr(p)?;
            return Err(raise!(TypeError, "Expected a type param, got {}", unicode::as_str_lossy(&r)));
        }
        if default_of(p)?.is(NO_DEFAULT.obj()) {
            if default_seen {
                let r = abstract_::repr(p)?;
                return Err(raise!(TypeError, "non-default type parameter '{}' follows default type parameter", unicode::as_str_lossy(&r)));
            }
        } else {
            default_seen = true;
        }
    }
    Ok(Some(params.new_ref()))
}

// ---- constructors -----------------------------------------------------------------------------

/// The positional and keyword arguments of a `tp_new` call.
///
/// # Safety
/// `args` is a live tuple, `kw` NULL or a live dict.
unsafe fn new_args<'a>(args: *mut PyObject, kw: *mut PyObject) -> (&'a [&'a Obj], Vec<(PyRef, PyRef)>) {
    // SAFETY: guaranteed by the caller.
    unsafe { (tuple::items(arg(args)), Kw::pairs_of_dict(crate::slot::opt_arg(kw))) }
}

/// Binds `name` (first positional or keyword) and the keyword-only options in `allowed`.
fn bind<'a>(what: &str, pos: &'a [&'a Obj], kw: &'a [(PyRef, PyRef)], allowed: &[&str]) -> PyResult<(PyRef, Vec<(&'a str, &'a Obj)>)> {
    let mut name = pos.first().map(|n| n.new_ref());
    let mut opts = Vec::new();
    for (k, v) in kw {
        let key = unicode::as_str(k)?;
        if key == "name" && name.is_none() {
            name = Some(v.new_ref());
        } else if allowed.contains(&key) {
            opts.push((key, &**v));
        } else {
            return Err(raise!(TypeError, "{}() got an unexpected keyword argument '{}'", what, key));
        }
    }
    let name = name.ok_or_else(|| raise!(TypeError, "{}() missing required argument 'name' (pos 1)", what))?;
    if !unicode::check(&name) {
        return Err(raise!(TypeError, "{}() argument 'name' must be str, not {}", what, name.ob_type().name()));
    }
    Ok((name, opts))
}

/// The variance flags and the bound/default options of a constructor call, checked as
/// CPython checks them (the bound through `typing._type_check`).
fn set_options(t: *mut TypeParamObject, opts: &[(&str, &Obj)]) -> PyResult<()> {
    for (k, v) in opts {
        let flag = |b| -> PyResult<bool> { if matches!(*k, "covariant" | "contravariant" | "infer_variance") { abstract_::is_true(b) } else { Ok(false) } };
        let b = flag(*v)?;
        // SAFETY: `t` is a live, new object of this layout.
        unsafe {
            match *k {
                "covariant" => (*t).covariant = b,
                "contravariant" => (*t).contravariant = b,
                "infer_variance" => (*t).infer_variance = b,
                _ => {}
            }
        }
    }
    // SAFETY: as above.
    unsafe {
        if (*t).covariant && (*t).contravariant {
            return Err(raise!(ValueError, "Bivariant types are not supported."));
        }
        if (*t).infer_variance && ((*t).covariant || (*t).contravariant) {
            return Err(raise!(ValueError, "Variance cannot be specified with infer_variance."));
        }
    }
    for (k, v) in opts {
        // SAFETY: as above.
        unsafe {
            match *k {
                "bound" if !v.is(none::none_obj()) => set(&mut (*t).bound, Some(&*type_check(v, "Bound must be a type.")?)),
                "default" => set(&mut (*t).default_value, Some(v)),
                _ => {}
            }
        }
    }
    Ok(())
}

/// The `__name__` of the module whose code is calling (CPython's `caller()`), if any.
fn caller_module() -> Option<PyRef> {
    crate::interp::with_current_frame(|f| dict::get_item_str(&f.globals, "__name__")).flatten()
}

fn new_param(ty: &TypeObj, name: &Obj, opts: &[(&str, &Obj)]) -> PyResult<PyRef> {
    let o = alloc(ty, name);
    set_options(fields(&o), opts)?;
    // SAFETY: a live, new object of this layout.
    unsafe { set(&mut (*fields(&o)).module, caller_module().as_deref()) };
    Ok(o)
}

unsafe extern "C" fn typevar_new(_: *mut PyTypeObject, args: *mut PyObject, kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: tp_new contract.
    let (pos, kw) = unsafe { new_args(args, kw) };
    ret_obj((|| {
        let (name, opts) = bind("typevar", &pos[..pos.len().min(1)], &kw, &["bound", "covariant", "contravariant", "infer_variance", "default"])?;
        let o = new_param(&TypeVar_Type, &name, &opts)?;
        if pos.len() > 1 {
            if pos.len() == 2 {
                return Err(raise!(TypeError, "A single constraint is not allowed"));
            }
            // SAFETY: a live, new TypeVar.
            unsafe {
                if !(*fields(&o)).bound.is_null() {
                    return Err(raise!(TypeError, "Constraints cannot be combined with bound=..."));
                }
                set(&mut (*fields(&o)).constraints, Some(&tuple::new_from(&pos[1..])));
            }
        }
        Ok(o)
    })())
}

unsafe extern "C" fn paramspec_new(_: *mut PyTypeObject, args: *mut PyObject, kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: tp_new contract.
    let (pos, kw) = unsafe { new_args(args, kw) };
    ret_obj((|| {
        if pos.len() > 1 {
            return Err(raise!(TypeError, "paramspec() takes at most 1 positional argument ({} given)", pos.len()));
        }
        let (name, opts) = bind("paramspec", pos, &kw, &["bound", "covariant", "contravariant", "infer_variance", "default"])?;
        new_param(&ParamSpec_Type, &name, &opts)
    })())
}

unsafe extern "C" fn typevartuple_new(_: *mut PyTypeObject, args: *mut PyObject, kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: tp_new contract.
    let (pos, kw) = unsafe { new_args(args, kw) };
    ret_obj((|| {
        if pos.len() > 1 {
            return Err(raise!(TypeError, "typevartuple() takes at most 1 positional argument ({} given)", pos.len()));
        }
        let (name, opts) = bind("typevartuple", pos, &kw, &["bound", "covariant", "contravariant", "infer_variance", "default"])?;
        new_param(&TypeVarTuple_Type, &name, &opts)
    })())
}

unsafe extern "C" fn alias_new(_: *mut PyTypeObject, args: *mut PyObject, kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: tp_new contract.
    let (pos, kw) = unsafe { new_args(args, kw) };
    ret_obj((|| {
        if pos.len() > 2 {
            return Err(raise!(TypeError, "TypeAliasType() takes at most 2 positional arguments ({} given)", pos.len()));
        }
        let mut value = pos.get(1).map(|v| v.new_ref());
        let mut type_params = None;
        let mut qualname = None;
        let mut rest = Vec::new();
        for (k, v) in &kw {
            match unicode::as_str(k)? {
                "value" if value.is_none() => value = Some(v.clone()),
                "type_params" => type_params = Some(v.clone()),
                "qualname" => qualname = Some(v.clone()),
                _ => rest.push((k.clone(), v.clone())),
            }
        }
        let (name, _) = bind("TypeAliasType", &pos[..pos.len().min(1)], &rest, &[])?;
        let value = value.ok_or_else(|| raise!(TypeError, "TypeAliasType() missing required argument 'value' (pos 2)"))?;
        if let Some(tp) = &type_params
            && !tuple::check(tp)
        {
            return Err(raise!(TypeError, "type_params must be a tuple"));
        }
        let type_params = check_alias_params(type_params.as_deref())?;
        let qualname = match qualname.filter(|q| !q.is(none::none_obj())) {
            None => name.clone(),
            Some(q) if unicode::check(&q) => q,
            Some(_) => return Err(raise!(TypeError, "qualname must be a string")),
        };
        let o = alloc(&TypeAliasType_Type, &name);
        // SAFETY: a live, new TypeAliasType.
        unsafe {
            let t = fields(&o);
            set(&mut (*t).bound, Some(&value));
            set(&mut (*t).type_params, type_params.as_deref());
            set(&mut (*t).qualname, Some(&qualname));
            set(&mut (*t).module, caller_module().as_deref());
        }
        Ok(o)
    })())
}

// ---- Generic ----------------------------------------------------------------------------------

/// `typing.<name>(cls, *args, **kwargs)` (CPython's `call_typing_args_kwargs`).
fn call_typing_with_class(name: &str, cls: &Obj, args: &Obj, kwargs: Option<&Obj>) -> PyResult<PyRef> {
    let typing = crate::import::import_module("typing")?;
    let f = abstract_::getattr_str(&typing, name)?;
    let mut all: Vec<&Obj> = vec![cls];
    all.extend_from_slice(tuple::items(args));
    abstract_::call(&f, &tuple::new_from(&all), kwargs)
}

unsafe extern "C" fn generic_class_getitem(cls: *mut PyObject, args: *mut PyObject, kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: METH_VARARGS|METH_KEYWORDS|METH_CLASS contract: live class and tuple, dict or NULL.
    ret_obj(unsafe { call_typing_with_class("_generic_class_getitem", arg(cls), arg(args), crate::slot::opt_arg(kw)) })
}

unsafe extern "C" fn generic_init_subclass(cls: *mut PyObject, args: *mut PyObject, kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: as above.
    ret_obj(unsafe { call_typing_with_class("_generic_init_subclass", arg(cls), arg(args), crate::slot::opt_arg(kw)) })
}

// ---- intrinsics -------------------------------------------------------------------------------

/// `INTRINSIC_TYPEVAR` etc.: a PEP 695 parameter named `name` (variance inferred).
pub fn make_param(ty: &TypeObj, name: &Obj) -> PyRef {
    let o = alloc(ty, name);
    // SAFETY: a live, new object of this layout.
    unsafe { (*fields(&o)).infer_variance = true };
    o
}

pub fn make_typevar(name: &Obj) -> PyRef {
    make_param(&TypeVar_Type, name)
}

pub fn make_paramspec(name: &Obj) -> PyRef {
    make_param(&ParamSpec_Type, name)
}

pub fn make_typevartuple(name: &Obj) -> PyRef {
    make_param(&TypeVarTuple_Type, name)
}

/// `INTRINSIC_TYPEVAR_WITH_BOUND` / `_WITH_CONSTRAINTS`: `evaluate` computes the bound or the
/// constraints tuple when first asked.
pub fn make_typevar_lazy(name: &Obj, evaluate: &Obj, constraints: bool) -> PyRef {
    let o = make_typevar(name);
    // SAFETY: a live, new TypeVar.
    unsafe {
        let t = fields(&o);
        set(if constraints { &mut (*t).evaluate_constraints } else { &mut (*t).evaluate_bound }, Some(evaluate));
    }
    o
}

/// `INTRINSIC_SET_TYPEPARAM_DEFAULT`: the default of `param` is computed by `evaluate`.
pub fn set_default(param: &Obj, evaluate: &Obj) -> PyResult<PyRef> {
    if !is_param(param) {
        let r = abstract_::repr(param)?;
        return Err(raise!(TypeError, "Expected a type param, got {}", unicode::as_str_lossy(&r)));
    }
    // SAFETY: checked to be of this layout.
    unsafe { set(&mut (*fields(param)).evaluate_default, Some(evaluate)) };
    Ok(param.new_ref())
}

/// `INTRINSIC_TYPEALIAS`: from `(name, type_params or None, evaluate_value)`; `__qualname__`
/// is the evaluating function's, `__module__` that function's module.
pub fn make_typealias(args: &Obj) -> PyRef {
    let items = tuple::items(args);
    let o = alloc(&TypeAliasType_Type, items[0]);
    let params = Some(items[1]).filter(|p| !p.is(none::none_obj()) && !(tuple::check(p) && tuple::items(p).is_empty()));
    let qualname = if crate::objects::function::check(items[2]) {
        crate::objects::code::data(crate::objects::function::code_of(items[2])).qualname.clone()
    } else {
        items[0].new_ref()
    };
    // SAFETY: a live, new TypeAliasType.
    unsafe {
        let t = fields(&o);
        set(&mut (*t).type_params, params);
        set(&mut (*t).evaluate_bound, Some(items[2]));
        set(&mut (*t).qualname, Some(&qualname));
    }
    o
}

/// `INTRINSIC_SUBSCRIPT_GENERIC`: the base a PEP 695 generic class gets,
/// `typing._GenericAlias(Generic, params)` (a TypeVarTuple as `Unpack[...]`), whose
/// `__mro_entries__` gives `Generic`.
pub fn subscript_generic(params: &Obj) -> PyResult<PyRef> {
    let params = unpack_typevartuples(params)?;
    call_typing("_GenericAlias", &[&Generic_Type, &params])
}
