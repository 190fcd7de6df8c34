//! `typing.Union` (CPython 3.14+'s `Objects/unionobject.c`; `types.UnionType` is the same
//! type): what `int | str` evaluates to. The arguments are flattened (a union inside a union
//! contributes its own arguments), `None` becomes `NoneType`, repeats are dropped, and a
//! single remaining argument is returned as itself. `isinstance`/`issubclass` accept a union
//! as they accept a tuple (see [`args_if_union`]).

use core::ffi::c_int;
use core::mem::size_of;
use core::ptr::null_mut;

use pyrite_abi::*;

use crate::abstract_;
use crate::err::PyResult;
use crate::number::BinaryOp;
use crate::object::{Obj, PyRef, StaticObject};
use crate::objects::type_::{self, TypeObj, BUILTIN_FLAGS};
use crate::objects::{genericalias, none, set, tuple, unicode};
use crate::slot::{arg, ret_obj};
use crate::{method_table, static_type};

#[repr(C)]
pub struct UnionObject {
    pub ob_base: PyObject,
    /// Always a tuple of at least two items.
    pub args: *mut PyObject,
    /// `__parameters__`, computed on first use (NULL before).
    pub parameters: *mut PyObject,
    pub weakreflist: *mut PyObject,
}

static_type!(PyUnion_Type, c"typing.Union", size_of::<UnionObject>(), {
    tp_flags: BUILTIN_FLAGS | Py_TPFLAGS_HAVE_GC,
    tp_dealloc: Some(union_dealloc),
    tp_traverse: Some(union_traverse),
    tp_repr: Some(union_repr),
    tp_hash: Some(union_hash),
    tp_richcompare: Some(union_richcompare),
    tp_getattro: Some(union_getattro),
    tp_weaklistoffset: core::mem::offset_of!(UnionObject, weakreflist) as isize,
    tp_as_number: UNION_AS_NUMBER.0.get(),
    tp_as_mapping: UNION_AS_MAPPING.0.get(),
    tp_methods: UNION_METHODS.0.get() as *mut PyMethodDef,
    tp_getset: UNION_GETSET.0.get() as *mut PyGetSetDef,
    tp_free: Some(crate::alloc::gc_del),
    tp_doc: c"Represent a union type\n\nE.g. for int | str".as_ptr(),
});

static UNION_AS_NUMBER: StaticObject<PyNumberMethods> = StaticObject::new(PyNumberMethods { nb_or: Some(type_or), ..PyNumberMethods::EMPTY });

static UNION_AS_MAPPING: StaticObject<PyMappingMethods> =
    StaticObject::new(PyMappingMethods { mp_length: None, mp_subscript: Some(union_getitem), mp_ass_subscript: None });

method_table!(static UNION_METHODS = [
    class_o c"__class_getitem__" => union_class_getitem,
]);

static UNION_GETSET: type_::StaticTable<PyGetSetDef, 6> = type_::StaticTable(core::cell::UnsafeCell::new([
    crate::getter_def!(c"__args__", g_args),
    crate::getter_def!(c"__parameters__", g_parameters),
    crate::getter_def!(c"__origin__", g_origin),
    crate::getter_def!(c"__name__", g_name),
    crate::getter_def!(c"__qualname__", g_name),
    type_::GETSET_END,
]));

/// `__module__` of a union is its type's (`typing`), which the typing module relies on.
unsafe extern "C" fn union_getattro(o: *mut PyObject, name: *mut PyObject) -> *mut PyObject {
    // SAFETY: tp_getattro contract: a live union and a name.
    let (u, n) = unsafe { (arg(o), arg(name)) };
    if crate::objects::unicode::check(n) && crate::objects::unicode::as_str_lossy(n) == "__module__" {
        return ret_obj(abstract_::getattr(u.ob_type(), n));
    }
    ret_obj(type_::generic_getattr_impl(u, n))
}

pub fn types() -> [&'static TypeObj; 1] {
    [&PyUnion_Type]
}

pub fn check(o: &Obj) -> bool {
    o.ob_type().is(&PyUnion_Type)
}

fn args(u: &Obj) -> &Obj {
    // SAFETY: a live union owns its argument tuple.
    unsafe { arg((*(u.as_ptr() as *mut UnionObject)).args) }
}

/// The arguments of `o` if it is a union (for `isinstance(x, int | str)`).
pub fn args_if_union(o: &Obj) -> Option<PyRef> {
    check(o).then(|| args(o).new_ref())
}

/// What `|` may combine into a union (CPython's `is_unionable`).
fn is_unionable(o: &Obj) -> bool {
    o.is(none::none_obj())
        || TypeObj::downcast(o).is_some()
        || genericalias::check(o)
        || check(o)
        || o.ob_type().is(&crate::objects::typevar::TypeAliasType_Type)
        || crate::objects::sentinel::check(o)
}

/// Adds `a` to `out` as a union argument: flattened, `None` as `NoneType`, no repeats.
fn add_arg(out: &mut Vec<PyRef>, a: &Obj) -> PyResult<()> {
    if check(a) {
        for x in tuple::items(args(a)) {
            add_arg(out, x)?;
        }
        return Ok(());
    }
    let a = if a.is(none::none_obj()) { none::_PyNone_Type.new_ref() } else { a.new_ref() };
    for x in out.iter() {
        if x.is(&a) || abstract_::rich_compare_bool(x, &a, Py_EQ)? {
            return Ok(());
        }
    }
    out.push(a);
    Ok(())
}

/// The union of `items` (CPython's `make_union`): one item is returned as itself.
fn make(items: Vec<PyRef>) -> PyResult<PyRef> {
    match items.len() {
        0 => Err(raise!(TypeError, "Cannot take a Union of no types.")),
        1 => Ok(items.into_iter().next().unwrap()),
        _ => {
            let t = tuple::new_from_owned(items);
            // SAFETY: a fresh object of the union type, fully initialized before use.
            unsafe {
                let op = crate::alloc::alloc_object(PyUnion_Type.raw(), size_of::<UnionObject>(), true);
                if op.is_null() {
                    return Err(crate::err::PyErr::fetch());
                }
                let r = op as *mut UnionObject;
                (*r).args = t.into_raw();
                (*r).parameters = null_mut();
                (*r).weakreflist = null_mut();
                Ok(PyRef::from_raw(op))
            }
        }
    }
}

/// `nb_or` of `type`, `types.GenericAlias`, type aliases and unions: `a | b` when both can be
/// union arguments, else `NotImplemented`.
pub unsafe extern "C" fn type_or(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    // SAFETY: nb_or contract: live operands.
    let (a, b) = unsafe { (arg(a), arg(b)) };
    if !is_unionable(a) || !is_unionable(b) {
        return none::not_implemented().into_raw();
    }
    ret_obj((|| {
        let mut v = Vec::new();
        add_arg(&mut v, a)?;
        add_arg(&mut v, b)?;
        make(v)
    })())
}

fn union_class_getitem(_cls: &Obj, item: &Obj) -> PyResult<PyRef> {
    from_tuple(item)
}

/// `typing.Union[X, Y, ...]` (also `|` of TypeVars): each argument checked with
/// `typing._type_check`, as CPython does.
pub fn from_tuple(item: &Obj) -> PyResult<PyRef> {
    let typing = crate::import::import_module("typing")?;
    let type_check = abstract_::getattr_str(&typing, "_type_check")?;
    let msg = unicode::new("Union[arg, ...]: each arg must be a type.");
    let items: Vec<&Obj> = if tuple::check(item) { tuple::items(item).to_vec() } else { vec![item] };
    let mut v = Vec::new();
    for a in items {
        let checked = abstract_::call(&type_check, &tuple::new_from(&[a, &msg]), None)?;
        add_arg(&mut v, &checked)?;
    }
    make(v)
}

fn parameters(u: &Obj) -> PyResult<PyRef> {
    // SAFETY: a live union; the cache is owned.
    unsafe {
        let r = u.as_ptr() as *mut UnionObject;
        if (*r).parameters.is_null() {
            let mut v = Vec::new();
            genericalias::make_parameters(tuple::items(args(u)), &mut v)?;
            (*r).parameters = tuple::new_from_owned(v).into_raw();
        }
        Ok(Obj::from_ptr((*r).parameters).new_ref())
    }
}

fn g_args(u: &Obj) -> PyResult<PyRef> {
    Ok(args(u).new_ref())
}

fn g_parameters(u: &Obj) -> PyResult<PyRef> {
    parameters(u)
}

fn g_origin(_u: &Obj) -> PyResult<PyRef> {
    Ok(PyUnion_Type.new_ref())
}

fn g_name(_u: &Obj) -> PyResult<PyRef> {
    Ok(unicode::new("Union"))
}

/// `(int | list[T])[str]`: substitutes the type variables, then unions the results again.
unsafe extern "C" fn union_getitem(o: *mut PyObject, item: *mut PyObject) -> *mut PyObject {
    // SAFETY: mp_subscript contract.
    let (u, item) = unsafe { (arg(o), arg(item)) };
    ret_obj((|| {
        let params = parameters(u)?;
        let new_args = genericalias::substitute(u, tuple::items(&params), tuple::items(args(u)), item)?;
        let mut r = new_args[0].clone();
        for a in &new_args[1..] {
            r = crate::number::binary_op(&r, a, BinaryOp::Or)?;
        }
        Ok(r)
    })())
}

unsafe extern "C" fn union_repr(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live union.
    let u = unsafe { arg(o) };
    ret_obj((|| {
        let mut out = String::new();
        for (i, a) in tuple::items(args(u)).iter().enumerate() {
            if i > 0 {
                out.push_str(" | ");
            }
            if a.is(&none::_PyNone_Type) {
                out.push_str("None");
            } else {
                genericalias::repr_item(a, &mut out)?;
            }
        }
        Ok(unicode::new(&out))
    })())
}

/// The arguments split into a frozenset of the hashable ones and a list of the others
/// (`Annotated[int, {}]`), as CPython's union keeps them.
fn split_args(u: &Obj) -> PyResult<(PyRef, Vec<PyRef>)> {
    let mut hashable = Vec::new();
    let mut unhashable = Vec::new();
    for a in tuple::items(args(u)) {
        match abstract_::hash(a) {
            Ok(_) => hashable.push(a.new_ref()),
            Err(e) if e.is_instance(crate::objects::exceptions::TypeError()) => unhashable.push(a.new_ref()),
            Err(e) => return Err(e),
        }
    }
    Ok((set::frozenset_from_iterable(Some(&tuple::new_from_owned(hashable)))?, unhashable))
}

/// Whether every item of `a` equals some item of `b`.
fn all_in(a: &[PyRef], b: &[PyRef]) -> PyResult<bool> {
    for x in a {
        let mut found = false;
        for y in b {
            if x.is(y) || abstract_::rich_compare_bool(x, y, Py_EQ)? {
                found = true;
                break;
            }
        }
        if !found {
            return Ok(false);
        }
    }
    Ok(true)
}

/// Unions are equal when they have the same arguments in any order.
fn same_args(a: &Obj, b: &Obj) -> PyResult<bool> {
    let (fa, ua) = split_args(a)?;
    let (fb, ub) = split_args(b)?;
    if ua.is_empty() != ub.is_empty() || !abstract_::rich_compare_bool(&fa, &fb, Py_EQ)? {
        return Ok(false);
    }
    Ok(all_in(&ua, &ub)? && all_in(&ub, &ua)?)
}

unsafe extern "C" fn union_hash(o: *mut PyObject) -> Py_hash_t {
    // SAFETY: a live union.
    let u = unsafe { arg(o) };
    // An unhashable argument makes the union unhashable, with that argument's error.
    let r = tuple::items(args(u))
        .iter()
        .try_for_each(|a| abstract_::hash(a).map(|_| ()))
        .and_then(|()| set::frozenset_from_iterable(Some(args(u))))
        .and_then(|f| abstract_::hash(&f));
    match r {
        Ok(h) => h,
        Err(e) => {
            e.restore();
            -1
        }
    }
}

unsafe extern "C" fn union_richcompare(a: *mut PyObject, b: *mut PyObject, op: c_int) -> *mut PyObject {
    // SAFETY: tp_richcompare contract.
    let (a, b) = unsafe { (arg(a), arg(b)) };
    if !check(b) || (op != Py_EQ && op != Py_NE) {
        return none::not_implemented().into_raw();
    }
    ret_obj(same_args(a, b).map(|eq| crate::objects::bool_::new(eq == (op == Py_EQ))))
}

unsafe extern "C" fn union_dealloc(o: *mut PyObject) {
    // SAFETY: a dead union releases what it owns.
    unsafe {
        let r = o as *mut UnionObject;
        if !(*r).weakreflist.is_null() {
            crate::objects::weakref::clear_weakrefs(o);
        }
        crate::object::xdecref((*r).args);
        crate::object::xdecref((*r).parameters);
        crate::alloc::gc_del(o as *mut core::ffi::c_void);
    }
}

unsafe extern "C" fn union_traverse(o: *mut PyObject, visit: pyrite_abi::visitproc, a: *mut core::ffi::c_void) -> core::ffi::c_int {
    // SAFETY: a live union owning these references.
    unsafe {
        let r = o as *mut UnionObject;
        crate::gc::visit_each(&[(*r).args, (*r).parameters], visit, a)
    }
}
