//! `mappingproxy` (`types.MappingProxyType`, `PyDictProxy_Type`): a read-only view of a
//! mapping — what `type.__dict__` returns, so class namespaces change only through
//! `setattr` (which keeps type version tags honest).

use pyrite_abi::*;

use crate::err::PyResult;
use crate::method_table;
use crate::object::{Obj, PyRef};
use crate::objects::argparse::check_positional;
use crate::objects::type_::{TypeObj, BUILTIN_FLAGS};
use crate::objects::{dict, none};
use crate::slot::{arg, ret_int, ret_obj};
use crate::{abstract_, static_type};

#[repr(C)]
pub struct MappingProxyObject {
    pub ob_base: PyObject,
    pub mapping: *mut PyObject,
}

static_type!(PyDictProxy_Type, c"mappingproxy", core::mem::size_of::<MappingProxyObject>(), {
    tp_flags: BUILTIN_FLAGS | Py_TPFLAGS_HAVE_GC | Py_TPFLAGS_MAPPING,
    tp_dealloc: Some(proxy_dealloc),
    tp_repr: Some(proxy_repr),
    tp_str: Some(proxy_str),
    tp_richcompare: Some(proxy_richcompare),
    tp_traverse: Some(proxy_traverse),
    tp_iter: Some(proxy_iter),
    tp_as_sequence: PROXY_AS_SEQUENCE.0.get(),
    tp_as_mapping: PROXY_AS_MAPPING.0.get(),
    tp_as_number: PROXY_AS_NUMBER.0.get(),
    tp_methods: PROXY_METHODS.0.get() as *mut PyMethodDef,
    tp_new: Some(proxy_new),
    tp_free: Some(crate::alloc::gc_del),
    tp_doc: c"Read-only proxy of a mapping.".as_ptr(),
});

static PROXY_AS_SEQUENCE: crate::object::StaticObject<PySequenceMethods> =
    crate::object::StaticObject::new(PySequenceMethods { sq_contains: Some(proxy_contains), ..PySequenceMethods::EMPTY });

static PROXY_AS_MAPPING: crate::object::StaticObject<PyMappingMethods> = crate::object::StaticObject::new(PyMappingMethods {
    mp_length: Some(proxy_len),
    mp_subscript: Some(proxy_getitem),
    mp_ass_subscript: None,
});

static PROXY_AS_NUMBER: crate::object::StaticObject<PyNumberMethods> =
    crate::object::StaticObject::new(PyNumberMethods { nb_or: Some(proxy_or), ..PyNumberMethods::EMPTY });

method_table!(static PROXY_METHODS = [
    fast c"get" => m_get,
    noargs c"keys" => m_keys,
    noargs c"values" => m_values,
    noargs c"items" => m_items,
    noargs c"copy" => m_copy,
    noargs c"__reversed__" => m_reversed,
]);

pub fn types() -> [&'static TypeObj; 1] {
    [&PyDictProxy_Type]
}

/// `PyDictProxy_New`: a read-only proxy of `mapping`.
pub fn new(mapping: &Obj) -> PyResult<PyRef> {
    if !crate::abstract_::mapping_check(mapping) || mapping.ob_type().is_subtype(&crate::objects::list::PyList_Type) || mapping.ob_type().is_subtype(&crate::objects::tuple::PyTuple_Type) {
        return Err(raise!(TypeError, "mappingproxy() argument must be a mapping, not {}", mapping.ob_type().name()));
    }
    // SAFETY: PyDictProxy_Type is a live static type.
    unsafe {
        let op = crate::alloc::alloc_object(PyDictProxy_Type.raw(), core::mem::size_of::<MappingProxyObject>(), true);
        assert!(!op.is_null(), "out of memory allocating a mappingproxy");
        (*(op as *mut MappingProxyObject)).mapping = mapping.new_ref().into_raw();
        Ok(PyRef::from_raw(op))
    }
}

/// The proxied mapping (borrowed).
pub fn mapping(p: &Obj) -> &Obj {
    // SAFETY: p is a mappingproxy; the field is an owned, non-NULL reference.
    unsafe { arg((*(p.as_ptr() as *mut MappingProxyObject)).mapping) }
}

fn m_get(p: &Obj, args: &[&Obj]) -> PyResult<PyRef> {
    check_positional("get", args.len(), 1, 2)?;
    let m = mapping(p);
    if m.is_exact(&dict::PyDict_Type) {
        return Ok(dict::get_item(m, args[0])?.unwrap_or_else(|| args.get(1).map_or_else(none::none, |v| v.new_ref())));
    }
    let default = args.get(1).map_or_else(none::none, |v| v.new_ref());
    abstract_::call_method(m, "get", &[args[0], &default])
}

fn m_keys(p: &Obj) -> PyResult<PyRef> {
    abstract_::call_method(mapping(p), "keys", &[])
}

fn m_values(p: &Obj) -> PyResult<PyRef> {
    abstract_::call_method(mapping(p), "values", &[])
}

fn m_items(p: &Obj) -> PyResult<PyRef> {
    abstract_::call_method(mapping(p), "items", &[])
}

fn m_copy(p: &Obj) -> PyResult<PyRef> {
    abstract_::call_method(mapping(p), "copy", &[])
}

fn m_reversed(p: &Obj) -> PyResult<PyRef> {
    abstract_::call_method(mapping(p), "__reversed__", &[])
}

unsafe extern "C" fn proxy_new(_t: *mut PyTypeObject, args: *mut PyObject, kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: tp_new contract.
    unsafe {
        let items = crate::objects::tuple::items(arg(args));
        let kw_given = !kw.is_null() && dict::len(arg(kw)) > 0;
        if items.len() != 1 || kw_given {
            return ret_obj(Err(raise!(TypeError, "mappingproxy() takes exactly one argument ({} given)", items.len())));
        }
        ret_obj(new(items[0]))
    }
}

unsafe extern "C" fn proxy_dealloc(o: *mut PyObject) {
    // SAFETY: a dead proxy owning its mapping.
    unsafe {
        crate::object::xdecref((*(o as *mut MappingProxyObject)).mapping);
        crate::alloc::gc_del(o as *mut core::ffi::c_void);
    }
}

unsafe extern "C" fn proxy_traverse(o: *mut PyObject, visit: visitproc, a: *mut core::ffi::c_void) -> core::ffi::c_int {
    // SAFETY: live proxy.
    unsafe {
        match visit {
            Some(v) => v((*(o as *mut MappingProxyObject)).mapping, a),
            None => 0,
        }
    }
}

unsafe extern "C" fn proxy_repr(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: live proxy.
    let m = mapping(unsafe { arg(o) });
    ret_obj(abstract_::repr(m).map(|r| crate::objects::unicode::new(&format!("mappingproxy({})", crate::objects::unicode::as_str_lossy(&r)))))
}

unsafe extern "C" fn proxy_str(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: live proxy.
    ret_obj(abstract_::str(mapping(unsafe { arg(o) })))
}

unsafe extern "C" fn proxy_richcompare(a: *mut PyObject, b: *mut PyObject, op: core::ffi::c_int) -> *mut PyObject {
    // SAFETY: live arguments.
    ret_obj(abstract_::rich_compare(mapping(unsafe { arg(a) }), unsafe { arg(b) }, op))
}

unsafe extern "C" fn proxy_iter(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: live proxy.
    ret_obj(crate::objects::iterobject::get_iter(mapping(unsafe { arg(o) })))
}

unsafe extern "C" fn proxy_len(o: *mut PyObject) -> Py_ssize_t {
    // SAFETY: live proxy.
    match abstract_::len(mapping(unsafe { arg(o) })) {
        Ok(n) => n as Py_ssize_t,
        Err(e) => {
            e.restore();
            -1
        }
    }
}

unsafe extern "C" fn proxy_getitem(o: *mut PyObject, k: *mut PyObject) -> *mut PyObject {
    // SAFETY: live arguments.
    ret_obj(abstract_::getitem(mapping(unsafe { arg(o) }), unsafe { arg(k) }))
}

unsafe extern "C" fn proxy_contains(o: *mut PyObject, k: *mut PyObject) -> core::ffi::c_int {
    // SAFETY: live arguments.
    let m = mapping(unsafe { arg(o) });
    let k = unsafe { arg(k) };
    ret_int(if m.is_exact(&dict::PyDict_Type) { dict::contains(m, k) } else { abstract_::contains(m, k) }.map(|b| b as core::ffi::c_int))
}

unsafe extern "C" fn proxy_or(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    // SAFETY: live arguments; either side may be the proxy.
    unsafe {
        let unwrap = |o: &Obj| if o.is_exact(&PyDictProxy_Type) { mapping(o).new_ref() } else { o.new_ref() };
        let (a, b) = (unwrap(arg(a)), unwrap(arg(b)));
        ret_obj(crate::number::binary_op(&a, &b, crate::number::BinaryOp::Or))
    }
}
