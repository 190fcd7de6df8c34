//! PEP 695 runtime objects (CPython's `Objects/typevarobject.c`): `typing.TypeVar`,
//! `typing.ParamSpec`, `typing.TypeVarTuple`, `typing.TypeAliasType`, the `typing.NoDefault`
//! sentinel and a minimal built-in `typing.Generic` base for generic classes. A type
//! parameter's bound, constraints and default, and an alias's value, are evaluated lazily by
//! calling the functions the compiler made (`__annotate__`-like, format 1 by default).
//! The intrinsics of `CALL_INTRINSIC_1`/`_2` that build them are at the end.

use core::ffi::{c_int, c_void};
use core::ptr::null_mut;

use pyrite_abi::*;

use crate::err::PyResult;
use crate::object::{static_head, Obj, PyRef, StaticObject};
use crate::objects::argparse::Kw;
use crate::objects::type_::{getset, StaticTable, TypeObj, BUILTIN_BASETYPE_FLAGS, BUILTIN_FLAGS, GETSET_END};
use crate::objects::{bool_, dict, none, tuple, unicode};
use crate::slot::{arg, ret_obj};
use crate::{abstract_, method_table, private_static_type};

/// One layout for the four kinds; a TypeAliasType keeps its value in `bound`.
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
    pub covariant: bool,
    pub contravariant: bool,
    pub infer_variance: bool,
}

const N_FIELDS: usize = 9;

macro_rules! param_type {
    ($name:ident, $tpname:literal, $getset:ident, $new:ident) => {
        private_static_type!($name, $tpname, core::mem::size_of::<TypeParamObject>(), {
            tp_flags: BUILTIN_FLAGS | Py_TPFLAGS_HAVE_GC,
            tp_dealloc: Some(tp_dealloc),
            tp_traverse: Some(tp_traverse),
            tp_repr: Some(tp_repr),
            tp_getset: $getset.0.get() as *mut PyGetSetDef,
            tp_members: NAME_MEMBER.0.get() as *mut PyMemberDef,
            tp_methods: TYPEPARAM_METHODS.0.get() as *mut PyMethodDef,
            tp_new: Some($new),
            tp_free: Some(crate::alloc::gc_del),
        });
    };
}

param_type!(TypeVar_Type, c"typing.TypeVar", TYPEVAR_GETSET, typevar_new);
param_type!(ParamSpec_Type, c"typing.ParamSpec", PARAMSPEC_GETSET, paramspec_new);
private_static_type!(TypeVarTuple_Type, c"typing.TypeVarTuple", core::mem::size_of::<TypeParamObject>(), {
    tp_flags: BUILTIN_FLAGS | Py_TPFLAGS_HAVE_GC,
    tp_dealloc: Some(tp_dealloc),
    tp_traverse: Some(tp_traverse),
    tp_repr: Some(tp_repr),
    tp_iter: Some(typevartuple_iter),
    tp_getset: TYPEVARTUPLE_GETSET.0.get() as *mut PyGetSetDef,
    tp_members: NAME_MEMBER.0.get() as *mut PyMemberDef,
    tp_methods: TYPEPARAM_METHODS.0.get() as *mut PyMethodDef,
    tp_new: Some(typevartuple_new),
    tp_free: Some(crate::alloc::gc_del),
});

private_static_type!(TypeAliasType_Type, c"typing.TypeAliasType", core::mem::size_of::<TypeParamObject>(), {
    tp_flags: BUILTIN_FLAGS | Py_TPFLAGS_HAVE_GC,
    tp_dealloc: Some(tp_dealloc),
    tp_traverse: Some(tp_traverse),
    tp_repr: Some(alias_repr),
    tp_getset: ALIAS_GETSET.0.get() as *mut PyGetSetDef,
    tp_members: NAME_MEMBER.0.get() as *mut PyMemberDef,
    tp_new: Some(alias_new),
    tp_free: Some(crate::alloc::gc_del),
});

private_static_type!(NoDefault_Type, c"NoDefaultType", core::mem::size_of::<PyObject>(), {
    tp_flags: BUILTIN_FLAGS,
    tp_repr: Some(nodefault_repr),
});

/// `typing.NoDefault`.
pub static NO_DEFAULT: StaticObject<PyObject> = StaticObject::new(static_head(NoDefault_Type.raw()));

private_static_type!(Generic_Type, c"typing.Generic", core::mem::size_of::<PyObject>(), {
    tp_flags: BUILTIN_BASETYPE_FLAGS,
    tp_methods: GENERIC_METHODS.0.get() as *mut PyMethodDef,
    tp_doc: c"Abstract base class for generic types.".as_ptr(),
});

pub fn types() -> [&'static TypeObj; 6] {
    [&TypeVar_Type, &ParamSpec_Type, &TypeVarTuple_Type, &TypeAliasType_Type, &NoDefault_Type, &Generic_Type]
}

static NAME_MEMBER: StaticTable<PyMemberDef, 2> = StaticTable(core::cell::UnsafeCell::new([
    PyMemberDef {
        name: c"__name__".as_ptr(),
        type_code: Py_T_OBJECT_EX,
        offset: core::mem::offset_of!(TypeParamObject, name) as Py_ssize_t,
        flags: Py_READONLY,
        doc: core::ptr::null(),
    },
    PyMemberDef { name: core::ptr::null(), type_code: 0, offset: 0, flags: 0, doc: core::ptr::null() },
]));

method_table!(static TYPEPARAM_METHODS = [
    noargs c"has_default" => m_has_default,
]);

method_table!(static GENERIC_METHODS = [
    class_fast c"__init_subclass__" => generic_init_subclass,
]);

static TYPEVAR_GETSET: StaticTable<PyGetSetDef, 11> = StaticTable(core::cell::UnsafeCell::new([
    getset(c"evaluate_bound", Some(get_evaluate_bound), None),
    getset(c"evaluate_constraints", Some(get_evaluate_constraints), None),
    getset(c"evaluate_default", Some(get_evaluate_default), None),
    getset(c"__bound__", Some(get_bound), None),
    getset(c"__constraints__", Some(get_constraints), None),
    getset(c"__default__", Some(get_default), None),
    getset(c"__covariant__", Some(get_covariant), None),
    getset(c"__contravariant__", Some(get_contravariant), None),
    getset(c"__infer_variance__", Some(get_infer_variance), None),
    getset(c"__module__", Some(get_module), None),
    GETSET_END,
]));

static PARAMSPEC_GETSET: StaticTable<PyGetSetDef, 9> = StaticTable(core::cell::UnsafeCell::new([
    getset(c"evaluate_bound", Some(get_evaluate_bound), None),
    getset(c"evaluate_default", Some(get_evaluate_default), None),
    getset(c"__bound__", Some(get_bound), None),
    getset(c"__default__", Some(get_default), None),
    getset(c"__covariant__", Some(get_covariant), None),
    getset(c"__contravariant__", Some(get_contravariant), None),
    getset(c"__infer_variance__", Some(get_infer_variance), None),
    getset(c"__module__", Some(get_module), None),
    GETSET_END,
]));

static TYPEVARTUPLE_GETSET: StaticTable<PyGetSetDef, 4> = StaticTable(core::cell::UnsafeCell::new([
    getset(c"evaluate_default", Some(get_evaluate_default), None),
    getset(c"__default__", Some(get_default), None),
    getset(c"__module__", Some(get_module), None),
    GETSET_END,
]));

static ALIAS_GETSET: StaticTable<PyGetSetDef, 6> = StaticTable(core::cell::UnsafeCell::new([
    getset(c"evaluate_value", Some(get_evaluate_bound), None),
    getset(c"__value__", Some(get_bound), None),
    getset(c"__type_params__", Some(alias_get_type_params), None),
    getset(c"__parameters__", Some(alias_get_type_params), None),
    getset(c"__module__", Some(get_module), None),
    GETSET_END,
]));

pub fn no_default() -> PyRef {
    NO_DEFAULT.new_ref()
}

fn fields(o: &Obj) -> *mut TypeParamObject {
    o.as_ptr() as *mut TypeParamObject
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

/// Sets a field holding NULL or an owned reference.
fn set(slot: *mut *mut PyObject, v: Option<&Obj>) {
    // SAFETY: `slot` is a field of a live TypeParamObject.
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

/// `iter(Ts)` (what `*Ts` unpacks): CPython yields `typing.Unpack[Ts]`; Pyrite, having no
/// `typing` module, yields `Ts` itself.
unsafe extern "C" fn typevartuple_iter(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live TypeVarTuple.
    ret_obj(crate::objects::iterobject::get_iter(&tuple::new_from(&[unsafe { arg(o) }])))
}

unsafe extern "C" fn alias_repr(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live TypeAliasType.
    unsafe { arg((*(o as *mut TypeParamObject)).name).new_ref().into_raw() }
}

unsafe extern "C" fn nodefault_repr(_: *mut PyObject) -> *mut PyObject {
    unicode::new("typing.NoDefault").into_raw()
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

unsafe extern "C" fn get_default(o: *mut PyObject, _: *mut c_void) -> *mut PyObject {
    // SAFETY: a live object of this layout.
    unsafe {
        let t = o as *mut TypeParamObject;
        ret_obj(lazy(&mut (*t).default_value, (*t).evaluate_default, no_default))
    }
}

/// The function the compiler made to evaluate a field, or None (CPython wraps a value given
/// to a constructor in a constant evaluator; Pyrite answers None then).
fn evaluator(p: *mut PyObject) -> *mut PyObject {
    // SAFETY: `p` is a field holding NULL or an owned reference.
    if p.is_null() { none::none().into_raw() } else { unsafe { arg(p) }.new_ref().into_raw() }
}

unsafe extern "C" fn get_evaluate_bound(o: *mut PyObject, _: *mut c_void) -> *mut PyObject {
    // SAFETY: a live object of this layout.
    evaluator(unsafe { (*(o as *mut TypeParamObject)).evaluate_bound })
}

unsafe extern "C" fn get_evaluate_constraints(o: *mut PyObject, _: *mut c_void) -> *mut PyObject {
    // SAFETY: a live object of this layout.
    evaluator(unsafe { (*(o as *mut TypeParamObject)).evaluate_constraints })
}

unsafe extern "C" fn get_evaluate_default(o: *mut PyObject, _: *mut c_void) -> *mut PyObject {
    // SAFETY: a live object of this layout.
    evaluator(unsafe { (*(o as *mut TypeParamObject)).evaluate_default })
}

fn m_has_default(o: &Obj) -> PyResult<PyRef> {
    // SAFETY: a live object of this layout.
    let t = unsafe { &*fields(o) };
    let has = !t.evaluate_default.is_null() || (!t.default_value.is_null() && !unsafe { arg(t.default_value) }.is(NO_DEFAULT.obj()));
    Ok(bool_::new(has))
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

unsafe extern "C" fn get_module(o: *mut PyObject, _: *mut c_void) -> *mut PyObject {
    // SAFETY: a live object of this layout.
    let m = unsafe { (*(o as *mut TypeParamObject)).module };
    if m.is_null() { unicode::new("typing").into_raw() } else { unsafe { arg(m) }.new_ref().into_raw() }
}

unsafe extern "C" fn alias_get_type_params(o: *mut PyObject, _: *mut c_void) -> *mut PyObject {
    // SAFETY: a live TypeAliasType.
    let p = unsafe { (*(o as *mut TypeParamObject)).type_params };
    if p.is_null() || unsafe { arg(p) }.is(none::none_obj()) { tuple::new_from(&[]).into_raw() } else { unsafe { arg(p) }.new_ref().into_raw() }
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

fn set_variance(t: *mut TypeParamObject, opts: &[(&str, &Obj)]) -> PyResult<()> {
    for (k, v) in opts {
        let b = abstract_::is_true(v)?;
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
    Ok(())
}

fn set_opt(t: *mut TypeParamObject, opts: &[(&str, &Obj)]) {
    for (k, v) in opts {
        // SAFETY: `t` is a live, new object of this layout.
        unsafe {
            match *k {
                "bound" if !v.is(none::none_obj()) => set(&mut (*t).bound, Some(v)),
                "default" => set(&mut (*t).default_value, Some(v)),
                _ => {}
            }
        }
    }
}

unsafe extern "C" fn typevar_new(_: *mut PyTypeObject, args: *mut PyObject, kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: tp_new contract.
    let (pos, kw) = unsafe { new_args(args, kw) };
    ret_obj((|| {
        let (name, opts) = bind("typevar", &pos[..pos.len().min(1)], &kw, &["bound", "covariant", "contravariant", "infer_variance", "default"])?;
        let o = alloc(&TypeVar_Type, &name);
        set_variance(fields(&o), &opts)?;
        set_opt(fields(&o), &opts);
        if pos.len() > 1 {
            if pos.len() == 2 {
                return Err(raise!(TypeError, "A single constraint is not allowed"));
            }
            // SAFETY: a live, new TypeVar.
            unsafe { set(&mut (*fields(&o)).constraints, Some(&tuple::new_from(&pos[1..]))) };
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
        let o = alloc(&ParamSpec_Type, &name);
        set_variance(fields(&o), &opts)?;
        set_opt(fields(&o), &opts);
        Ok(o)
    })())
}

unsafe extern "C" fn typevartuple_new(_: *mut PyTypeObject, args: *mut PyObject, kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: tp_new contract.
    let (pos, kw) = unsafe { new_args(args, kw) };
    ret_obj((|| {
        if pos.len() > 1 {
            return Err(raise!(TypeError, "typevartuple() takes at most 1 positional argument ({} given)", pos.len()));
        }
        let (name, opts) = bind("typevartuple", pos, &kw, &["default"])?;
        let o = alloc(&TypeVarTuple_Type, &name);
        set_opt(fields(&o), &opts);
        Ok(o)
    })())
}

unsafe extern "C" fn alias_new(_: *mut PyTypeObject, args: *mut PyObject, kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: tp_new contract.
    let (pos, kw) = unsafe { new_args(args, kw) };
    ret_obj((|| {
        let mut value = pos.get(1).map(|v| v.new_ref());
        let mut type_params = None;
        let mut rest = Vec::new();
        for (k, v) in &kw {
            match unicode::as_str(k)? {
                "value" if value.is_none() => value = Some(v.clone()),
                "type_params" => type_params = Some(v.clone()),
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
        let o = alloc(&TypeAliasType_Type, &name);
        // SAFETY: a live, new TypeAliasType.
        unsafe {
            set(&mut (*fields(&o)).bound, Some(&value));
            set(&mut (*fields(&o)).type_params, type_params.as_deref());
        }
        Ok(o)
    })())
}

// ---- Generic ----------------------------------------------------------------------------------

/// `Generic.__init_subclass__`: `__parameters__` is the class's own `__type_params__` (what
/// CPython collects from `Generic[T, ...]` in `__orig_bases__` for a PEP 695 class), else ().
fn generic_init_subclass(cls: &Obj, args: &[&Obj]) -> PyResult<PyRef> {
    crate::objects::argparse::check_positional("__init_subclass__", args.len(), 0, 0)?;
    let ty = TypeObj::downcast(cls).expect("a class");
    let own = ty.dict().and_then(|d| dict::get_item_str(d, "__type_params__"));
    let params = match own {
        Some(p) if tuple::check(&p) => p,
        _ => tuple::new_from(&[]),
    };
    abstract_::setattr(cls, &unicode::new("__parameters__"), Some(&params))?;
    Ok(none::none())
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
    // SAFETY: checked to be of this layout.
    unsafe {
        let ty = param.ob_type();
        if !(ty.is(&TypeVar_Type) || ty.is(&ParamSpec_Type) || ty.is(&TypeVarTuple_Type)) {
            return Err(raise!(TypeError, "Expected a type param, got {}", ty.name()));
        }
        set(&mut (*fields(param)).evaluate_default, Some(evaluate));
    }
    Ok(param.new_ref())
}

/// `INTRINSIC_TYPEALIAS`: from `(name, type_params or None, evaluate_value)`; `__module__` is
/// the defining module's `__name__`.
pub fn make_typealias(args: &Obj, module: Option<&Obj>) -> PyRef {
    let items = tuple::items(args);
    let o = alloc(&TypeAliasType_Type, items[0]);
    // SAFETY: a live, new TypeAliasType.
    unsafe {
        let t = fields(&o);
        set(&mut (*t).type_params, Some(items[1]));
        set(&mut (*t).evaluate_bound, Some(items[2]));
        set(&mut (*t).module, module);
    }
    o
}

/// `INTRINSIC_SUBSCRIPT_GENERIC`: the base a generic class gets (CPython: `Generic[*params]`,
/// whose `__mro_entries__` is `Generic`; Pyrite hands over `Generic` itself).
pub fn subscript_generic(_params: &Obj) -> PyRef {
    Generic_Type.new_ref()
}
