//! `frozendict` (new in CPython 3.15, PEP 814): an immutable, hashable mapping. Not a `dict`
//! subclass. Pyrite keeps the items in a private `dict` that nothing else can reach, so the
//! read-only operations reuse the dict's, and caches the hash (that of the frozenset of the
//! items, which is order-independent like equality).

use core::ffi::c_int;
use core::mem::size_of;

use pyrite_abi::*;

use crate::abstract_;
use crate::err::PyResult;
use crate::object::{Obj, PyRef, StaticObject};
use crate::objects::type_::{TypeObj, BUILTIN_BASETYPE_FLAGS};
use crate::objects::{bool_, dict, none, set, tuple, unicode};
use crate::slot::{arg, opt_arg, ret_int, ret_obj};
use crate::{method_table, static_type};

#[repr(C)]
pub struct FrozenDictObject {
    pub ob_base: PyObject,
    /// The items: a dict owned by this object alone, never mutated after creation.
    items: *mut PyObject,
    /// -1 until computed.
    hash: Py_hash_t,
}

static_type!(PyFrozenDict_Type, c"frozendict", size_of::<FrozenDictObject>(), {
    tp_flags: BUILTIN_BASETYPE_FLAGS | Py_TPFLAGS_MAPPING,
    tp_dealloc: Some(fd_dealloc),
    tp_repr: Some(fd_repr),
    tp_hash: Some(fd_hash),
    tp_richcompare: Some(fd_richcompare),
    tp_iter: Some(fd_iter),
    tp_getattro: Some(crate::objects::type_::generic_getattr),
    tp_as_number: FD_AS_NUMBER.0.get(),
    tp_as_sequence: FD_AS_SEQUENCE.0.get(),
    tp_as_mapping: FD_AS_MAPPING.0.get(),
    tp_methods: FD_METHODS.0.get() as *mut PyMethodDef,
    tp_new: Some(fd_new),
    tp_alloc: Some(crate::alloc::generic_alloc),
    tp_doc: c"frozendict() -> empty frozendict\nfrozendict(mapping) -> frozendict initialized from a mapping object's\n    (key, value) pairs\nfrozendict(iterable) -> frozendict initialized as if via:\n    d = {}\n    for k, v in iterable:\n        d[k] = v\nfrozendict(**kwargs) -> frozendict initialized with the name=value pairs\n    in the keyword argument list.  For example:  frozendict(one=1, two=2)".as_ptr(),
});

static FD_AS_NUMBER: StaticObject<PyNumberMethods> = StaticObject::new(PyNumberMethods { nb_or: Some(fd_or), ..PyNumberMethods::EMPTY });

static FD_AS_SEQUENCE: StaticObject<PySequenceMethods> =
    StaticObject::new(PySequenceMethods { sq_contains: Some(fd_contains), ..PySequenceMethods::EMPTY });

static FD_AS_MAPPING: StaticObject<PyMappingMethods> =
    StaticObject::new(PyMappingMethods { mp_length: Some(fd_length), mp_subscript: Some(fd_subscript), mp_ass_subscript: None });

method_table!(static FD_METHODS = [
    class_o c"__class_getitem__" => crate::objects::genericalias::class_getitem,
    noargs c"__getnewargs__" => m_getnewargs,
    noargs c"__reversed__" => m_reversed,
    noargs c"copy" => m_copy,
    class_fast c"fromkeys" => m_fromkeys,
    fast c"get" => m_get,
    noargs c"items" => m_items,
    noargs c"keys" => m_keys,
    noargs c"values" => m_values,
]);

pub fn types() -> [&'static TypeObj; 1] {
    [&PyFrozenDict_Type]
}

pub fn check(o: &Obj) -> bool {
    o.is_instance_of(&PyFrozenDict_Type)
}

/// The dict holding a frozendict's items (read it, never change it).
pub fn items(o: &Obj) -> &Obj {
    // SAFETY: a live frozendict owns its items dict.
    unsafe { arg((*(o.as_ptr() as *mut FrozenDictObject)).items) }
}

/// A frozendict of type `ty` holding `d` (a fresh dict nobody else keeps).
fn wrap(ty: &TypeObj, d: PyRef) -> PyResult<PyRef> {
    // SAFETY: tp_alloc of the frozendict type or a subclass; the fields are set before use.
    unsafe {
        let alloc = ty.slots().tp_alloc.unwrap_or(crate::alloc::generic_alloc);
        let o = crate::slot::from_new(alloc(ty.raw(), 0))?;
        let r = o.as_ptr() as *mut FrozenDictObject;
        (*r).items = d.into_raw();
        (*r).hash = -1;
        Ok(o)
    }
}

/// `frozendict(...)` takes what `dict(...)` takes.
unsafe extern "C" fn fd_new(ty: *mut PyTypeObject, args: *mut PyObject, kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: tp_new contract.
    let (ty, args, kw) = unsafe { (TypeObj::from_ptr(ty), arg(args), opt_arg(kw)) };
    ret_obj((|| {
        let d = abstract_::call(&dict::PyDict_Type, args, kw)?;
        wrap(ty, d)
    })())
}

unsafe extern "C" fn fd_dealloc(o: *mut PyObject) {
    // SAFETY: a dead frozendict releases its items.
    unsafe {
        crate::object::xdecref((*(o as *mut FrozenDictObject)).items);
        let free = (*(*o).ob_type).tp_free.unwrap_or(crate::alloc::object_free);
        free(o as *mut core::ffi::c_void);
    }
}

/// `frozendict({...})`, a subclass by its own name.
unsafe extern "C" fn fd_repr(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live frozendict.
    let o = unsafe { arg(o) };
    ret_obj((|| {
        let name = o.ob_type().name().to_string();
        if dict::len(items(o)) == 0 {
            return Ok(unicode::new(&format!("{name}()")));
        }
        let inner = abstract_::repr(items(o))?;
        Ok(unicode::new(&format!("{name}({})", unicode::as_str_lossy(&inner))))
    })())
}

unsafe extern "C" fn fd_hash(o: *mut PyObject) -> Py_hash_t {
    // SAFETY: a live frozendict; the cache is its own.
    unsafe {
        let r = o as *mut FrozenDictObject;
        if (*r).hash != -1 {
            return (*r).hash;
        }
        let h = (|| {
            // Values first, so an unhashable one is reported as itself, not as a pair.
            for (_, v) in dict::items_vec(arg((*r).items)) {
                abstract_::hash(&v)?;
            }
            let its = abstract_::call_method(arg((*r).items), "items", &[])?;
            abstract_::hash(&*set::frozenset_from_iterable(Some(&its))?)
        })();
        match h {
            Ok(h) => {
                (*r).hash = h;
                h
            }
            Err(e) => {
                e.restore();
                -1
            }
        }
    }
}

/// Equal to a dict or frozendict with the same items.
unsafe extern "C" fn fd_richcompare(a: *mut PyObject, b: *mut PyObject, op: c_int) -> *mut PyObject {
    // SAFETY: tp_richcompare contract.
    let (a, b) = unsafe { (arg(a), arg(b)) };
    let other = if check(b) {
        items(b)
    } else if dict::check(b) {
        b
    } else {
        return none::not_implemented().into_raw();
    };
    if op != Py_EQ && op != Py_NE {
        return none::not_implemented().into_raw();
    }
    ret_obj(abstract_::rich_compare_bool(items(a), other, Py_EQ).map(|eq| bool_::new(eq == (op == Py_EQ))))
}

unsafe extern "C" fn fd_iter(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live frozendict.
    ret_obj(crate::objects::iterobject::get_iter(items(unsafe { arg(o) })))
}

unsafe extern "C" fn fd_length(o: *mut PyObject) -> Py_ssize_t {
    // SAFETY: a live frozendict.
    dict::len(items(unsafe { arg(o) })) as Py_ssize_t
}

unsafe extern "C" fn fd_subscript(o: *mut PyObject, k: *mut PyObject) -> *mut PyObject {
    // SAFETY: mp_subscript contract.
    ret_obj(abstract_::getitem(items(unsafe { arg(o) }), unsafe { arg(k) }))
}

unsafe extern "C" fn fd_contains(o: *mut PyObject, k: *mut PyObject) -> c_int {
    // SAFETY: sq_contains contract.
    ret_int(dict::contains(items(unsafe { arg(o) }), unsafe { arg(k) }).map(c_int::from))
}

/// `fd | mapping` and `dict | fd`: a new (exact) frozendict with the right operand winning.
unsafe extern "C" fn fd_or(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    // SAFETY: nb_or contract.
    let (a, b) = unsafe { (arg(a), arg(b)) };
    fn mapping(o: &Obj) -> Option<&Obj> {
        if check(o) {
            Some(items(o))
        } else if dict::check(o) {
            Some(o)
        } else {
            None
        }
    }
    let (Some(x), Some(y)) = (mapping(a), mapping(b)) else { return none::not_implemented().into_raw() };
    ret_obj((|| {
        let d = dict::copy(x)?;
        dict::update(&d, y)?;
        wrap(&PyFrozenDict_Type, d)
    })())
}

fn m_getnewargs(o: &Obj) -> PyResult<PyRef> {
    Ok(tuple::new_from(&[&*dict::copy(items(o))?]))
}

fn m_reversed(o: &Obj) -> PyResult<PyRef> {
    abstract_::call_method(items(o), "__reversed__", &[])
}

/// An exact frozendict is its own copy.
fn m_copy(o: &Obj) -> PyResult<PyRef> {
    if o.ob_type().is(&PyFrozenDict_Type) {
        return Ok(o.new_ref());
    }
    wrap(&PyFrozenDict_Type, dict::copy(items(o))?)
}

fn m_fromkeys(cls: &Obj, args: &[&Obj]) -> PyResult<PyRef> {
    crate::objects::argparse::check_positional("fromkeys", args.len(), 1, 2)?;
    let value = args.get(1).copied().unwrap_or(none::none_obj());
    let d = dict::from_keys(&dict::PyDict_Type, args[0], value)?;
    abstract_::call_one_arg(cls, &d)
}

fn m_get(o: &Obj, args: &[&Obj]) -> PyResult<PyRef> {
    crate::objects::argparse::check_positional("get", args.len(), 1, 2)?;
    Ok(dict::get_item(items(o), args[0])?.unwrap_or_else(|| args.get(1).map_or_else(none::none, |v| v.new_ref())))
}

fn m_items(o: &Obj) -> PyResult<PyRef> {
    abstract_::call_method(items(o), "items", &[])
}

fn m_keys(o: &Obj) -> PyResult<PyRef> {
    abstract_::call_method(items(o), "keys", &[])
}

fn m_values(o: &Obj) -> PyResult<PyRef> {
    abstract_::call_method(items(o), "values", &[])
}
