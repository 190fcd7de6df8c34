//! `types.SimpleNamespace` (CPython's `_PyNamespace_Type`): an object whose attributes are
//! the entries of its `__dict__`, made from keyword arguments (and, since 3.13, one mapping
//! or iterable of pairs). `sys.implementation` is one.

use core::ffi::{c_int, c_void};
use core::mem::offset_of;

use pyrite_abi::*;

use crate::err::PyResult;
use crate::method_table;
use crate::object::{Obj, PyRef};
use crate::objects::argparse::Kw;
use crate::objects::list::ReprGuard;
use crate::objects::type_::{self, TypeObj, BUILTIN_BASETYPE_FLAGS};
use crate::objects::{dict, none, tuple, unicode};
use crate::slot::{arg, opt_arg, ret_int, ret_obj};
use crate::{abstract_, static_type};

#[repr(C)]
pub struct NamespaceObject {
    pub ob_base: PyObject,
    pub ns_dict: *mut PyObject,
}

static_type!(PyNamespace_Type, c"types.SimpleNamespace", core::mem::size_of::<NamespaceObject>(), {
    tp_flags: BUILTIN_BASETYPE_FLAGS | Py_TPFLAGS_HAVE_GC,
    tp_dictoffset: offset_of!(NamespaceObject, ns_dict) as isize,
    tp_dealloc: Some(ns_dealloc),
    tp_repr: Some(ns_repr),
    tp_richcompare: Some(ns_richcompare),
    tp_traverse: Some(ns_traverse),
    tp_clear: Some(ns_clear),
    tp_getattro: Some(type_::generic_getattr),
    tp_setattro: Some(type_::generic_setattr),
    tp_init: Some(ns_init),
    tp_new: Some(ns_new),
    tp_alloc: Some(crate::alloc::generic_alloc),
    tp_free: Some(crate::alloc::gc_del),
    tp_methods: NS_METHODS.0.get() as *mut PyMethodDef,
    tp_getset: NS_GETSET.0.get() as *mut PyGetSetDef,
    tp_doc: c"SimpleNamespace(mapping_or_iterable=(), /, **kwargs)\n--\n\nA simple attribute-based namespace.".as_ptr(),
});

method_table!(static NS_METHODS = [
    noargs c"__reduce__" => m_reduce,
    kw c"__replace__" => m_replace,
]);

static NS_GETSET: type_::StaticTable<PyGetSetDef, 2> = type_::StaticTable(core::cell::UnsafeCell::new([
    PyGetSetDef {
        name: c"__dict__".as_ptr(),
        get: Some(crate::objects::heaptype::instance_get_dict),
        set: Some(crate::objects::heaptype::instance_set_dict),
        doc: core::ptr::null(),
        closure: core::ptr::null_mut(),
    },
    type_::GETSET_END,
]));

pub fn types() -> [&'static TypeObj; 1] {
    [&PyNamespace_Type]
}

/// The namespace's dict, created if missing.
fn ns_dict(o: &Obj) -> PyRef {
    // SAFETY: `o` is a namespace; the slot holds NULL or an owned dict.
    unsafe {
        let p = o.as_ptr() as *mut NamespaceObject;
        if (*p).ns_dict.is_null() {
            (*p).ns_dict = dict::new().into_raw();
        }
        arg((*p).ns_dict).new_ref()
    }
}

/// A new `SimpleNamespace` holding `items`.
pub fn new(items: &[(&str, &Obj)]) -> PyResult<PyRef> {
    // SAFETY: a live static type.
    let o = unsafe { crate::slot::from_new(crate::alloc::generic_alloc(PyNamespace_Type.raw(), 0))? };
    let d = ns_dict(&o);
    for (k, v) in items {
        dict::set_item(&d, &unicode::intern(k), v)?;
    }
    Ok(o)
}

unsafe extern "C" fn ns_new(t: *mut PyTypeObject, _args: *mut PyObject, _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: tp_new contract: `t` is a live subtype of SimpleNamespace.
    unsafe {
        let alloc = (*t).tp_alloc.unwrap_or(crate::alloc::generic_alloc);
        let o = alloc(t, 0);
        if !o.is_null() {
            (*(o as *mut NamespaceObject)).ns_dict = dict::new().into_raw();
        }
        o
    }
}

/// Keys must be str, as CPython's `namespace.__init__` requires of both sources.
fn check_keys(d: &Obj) -> PyResult<()> {
    for (k, _) in dict::items_vec(d) {
        if !unicode::check(&k) {
            return Err(raise!(TypeError, "keywords must be strings"));
        }
    }
    Ok(())
}

unsafe extern "C" fn ns_init(o: *mut PyObject, args: *mut PyObject, kw: *mut PyObject) -> c_int {
    // SAFETY: tp_init contract.
    unsafe {
        let r = (|| -> PyResult<()> {
            let o = arg(o);
            let pos = tuple::items(arg(args));
            if pos.len() > 1 {
                return Err(raise!(TypeError, "SimpleNamespace expected at most 1 argument, got {}", pos.len()));
            }
            let d = ns_dict(o);
            if let Some(src) = pos.first() {
                let tmp = dict::new();
                dict::update_arg(&tmp, src)?;
                check_keys(&tmp)?;
                dict::update(&d, &tmp)?;
            }
            if let Some(kw) = opt_arg(kw) {
                check_keys(kw)?;
                dict::update(&d, kw)?;
            }
            Ok(())
        })();
        ret_int(r.map(|_| 0))
    }
}

unsafe extern "C" fn ns_repr(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live namespace.
    let o = unsafe { arg(o) };
    let r = (|| -> PyResult<PyRef> {
        let name = if o.is_exact(&PyNamespace_Type) { "namespace".to_string() } else { o.ob_type().name().to_string() };
        let Some(_guard) = ReprGuard::enter(o) else {
            return Ok(unicode::new(&format!("{name}(...)")));
        };
        let mut parts = Vec::new();
        for (k, v) in dict::items_vec(&ns_dict(o)) {
            if let Ok(k) = unicode::as_str(&k) {
                let v = abstract_::repr(&v)?;
                parts.push(format!("{k}={}", unicode::as_str_lossy(&v)));
            }
        }
        Ok(unicode::new(&format!("{name}({})", parts.join(", "))))
    })();
    ret_obj(r)
}

unsafe extern "C" fn ns_richcompare(a: *mut PyObject, b: *mut PyObject, op: c_int) -> *mut PyObject {
    // SAFETY: live arguments.
    let (a, b) = unsafe { (arg(a), arg(b)) };
    let both = a.ob_type().is_subtype(&PyNamespace_Type) && b.ob_type().is_subtype(&PyNamespace_Type);
    if !both || (op != Py_EQ && op != Py_NE) {
        return none::not_implemented().into_raw();
    }
    ret_obj(abstract_::rich_compare(&ns_dict(a), &ns_dict(b), op))
}

fn m_reduce(o: &Obj) -> PyResult<PyRef> {
    Ok(tuple::new_from(&[o.ob_type(), &*tuple::empty(), &*ns_dict(o)]))
}

fn m_replace(o: &Obj, args: &[&Obj], kw: Kw) -> PyResult<PyRef> {
    if !args.is_empty() {
        return Err(raise!(TypeError, "__replace__() takes no positional arguments"));
    }
    let r = abstract_::call(o.ob_type(), &tuple::empty(), None)?;
    let d = ns_dict(&r);
    dict::update(&d, &ns_dict(o))?;
    for (k, v) in kw.names.iter().zip(kw.values) {
        dict::set_item(&d, k, v)?;
    }
    Ok(r)
}

unsafe extern "C" fn ns_traverse(o: *mut PyObject, visit: visitproc, a: *mut c_void) -> c_int {
    // SAFETY: live namespace.
    unsafe {
        let d = (*(o as *mut NamespaceObject)).ns_dict;
        match visit {
            Some(v) if !d.is_null() => v(d, a),
            _ => 0,
        }
    }
}

unsafe extern "C" fn ns_clear(o: *mut PyObject) -> c_int {
    // SAFETY: live namespace; the slot owns its dict.
    unsafe {
        let p = o as *mut NamespaceObject;
        crate::object::xdecref(core::mem::replace(&mut (*p).ns_dict, core::ptr::null_mut()));
    }
    0
}

unsafe extern "C" fn ns_dealloc(o: *mut PyObject) {
    // SAFETY: a dead namespace (or subclass instance whose subtype_dealloc already ran).
    unsafe {
        ns_clear(o);
        let free = (*(*o).ob_type).tp_free.unwrap_or(crate::alloc::gc_del);
        free(o as *mut c_void);
    }
}
