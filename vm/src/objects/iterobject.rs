//! Iterators (being written on the wip-iter branch; this is the minimum the interpreter needs
//! meanwhile): `iter()` through `tp_iter`, else CPython's sequence iterator over `__getitem__`.

use core::ffi::c_void;

use pyrite_abi::*;

use crate::err::{PyErr, PyResult};
use crate::object::{Obj, PyRef};
use crate::objects::type_::{TypeObj, BUILTIN_FLAGS};
use crate::slot::{arg, ret_obj};
use crate::static_type;

#[repr(C)]
pub struct SeqIterObject {
    pub ob_base: PyObject,
    pub index: Py_ssize_t,
    pub seq: *mut PyObject,
}

static_type!(PySeqIter_Type, c"iterator", core::mem::size_of::<SeqIterObject>(), {
    tp_flags: BUILTIN_FLAGS | Py_TPFLAGS_HAVE_GC,
    tp_dealloc: Some(seqiter_dealloc),
    tp_iter: Some(self_iter),
    tp_iternext: Some(seqiter_next),
    tp_free: Some(crate::alloc::gc_del),
});

pub fn types() -> [&'static TypeObj; 1] {
    [&PySeqIter_Type]
}

pub unsafe extern "C" fn self_iter(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: live argument.
    unsafe { arg(o) }.new_ref().into_raw()
}

/// `PySeqIter_New`.
pub fn seq_iter(seq: &Obj) -> PyRef {
    // SAFETY: PySeqIter_Type is a live static type.
    unsafe {
        let op = crate::alloc::alloc_object(PySeqIter_Type.raw(), core::mem::size_of::<SeqIterObject>(), true);
        assert!(!op.is_null(), "out of memory allocating an iterator");
        (*(op as *mut SeqIterObject)).seq = seq.new_ref().into_raw();
        PyRef::from_raw(op)
    }
}

unsafe extern "C" fn seqiter_dealloc(o: *mut PyObject) {
    // SAFETY: a dead iterator.
    unsafe {
        crate::object::xdecref((*(o as *mut SeqIterObject)).seq);
        crate::alloc::gc_del(o as *mut c_void);
    }
}

unsafe extern "C" fn seqiter_next(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: live iterator.
    unsafe {
        let it = o as *mut SeqIterObject;
        if (*it).seq.is_null() {
            return core::ptr::null_mut();
        }
        let seq = arg((*it).seq);
        let key = crate::objects::long::from_i64((*it).index as i64);
        match crate::abstract_::getitem(seq, &key) {
            Ok(v) => {
                (*it).index += 1;
                v.into_raw()
            }
            Err(e) if e.is_instance(crate::objects::exceptions::IndexError()) || e.is_instance(crate::objects::exceptions::StopIteration()) => {
                let s = core::mem::replace(&mut (*it).seq, core::ptr::null_mut());
                crate::object::xdecref(s);
                core::ptr::null_mut()
            }
            Err(e) => ret_obj(Err(e)),
        }
    }
}

pub fn get_iter(o: &Obj) -> PyResult<PyRef> {
    let s = o.ob_type().slots();
    if let Some(f) = s.tp_iter {
        // SAFETY: slot call with a live argument.
        return unsafe { crate::slot::from_new(f(o.as_ptr())) };
    }
    // SAFETY: suites are NULL or valid.
    let has_item = unsafe { s.tp_as_sequence.as_ref() }.is_some_and(|sq| sq.sq_item.is_some())
        || (unsafe { s.tp_as_mapping.as_ref() }.is_some_and(|m| m.mp_subscript.is_some())
            && !crate::objects::dict::check(o));
    if has_item {
        return Ok(seq_iter(o));
    }
    Err(raise!(TypeError, "'{}' object is not iterable", o.ob_type().name()))
}

pub fn next(it: &Obj) -> PyResult<Option<PyRef>> {
    let Some(f) = it.ob_type().slots().tp_iternext else {
        return Err(raise!(TypeError, "'{}' object is not an iterator", it.ob_type().name()));
    };
    // SAFETY: slot call with a live argument.
    let r = unsafe { f(it.as_ptr()) };
    if !r.is_null() {
        // SAFETY: a new reference.
        return Ok(Some(unsafe { PyRef::from_raw(r) }));
    }
    match PyErr::take() {
        None => Ok(None),
        Some(e) if e.is_instance(crate::objects::exceptions::StopIteration()) => Ok(None),
        Some(e) => Err(e),
    }
}
