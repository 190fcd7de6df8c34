//! `bytearrayobject.h`: `PyByteArray_*`.

use core::ffi::{c_char, c_int};
use core::ptr::null_mut;

use pyrite_abi::*;
use pyrite_vm::objects::{bytearray, bytes};
use pyrite_vm::{raise, Obj, PyRef, PyResult};

use crate::boundary::{bad_internal_call, obj};
use crate::capi;

fn require_bytearray(o: &Obj) -> PyResult<&Obj> {
    if bytearray::check(o) { Ok(o) } else { Err(bad_internal_call()) }
}

capi! {
    fn PyByteArray_FromStringAndSize(s: *const c_char, n: Py_ssize_t) -> *mut PyObject [null_mut()] {
        if n < 0 { return Err(raise!(SystemError, "Negative size passed to PyByteArray_FromStringAndSize")); }
        if s.is_null() {
            let b = bytearray::new(&[]);
            bytearray::resize(&b, n as usize)?;
            return Ok(b.into_raw());
        }
        Ok(bytearray::new(core::slice::from_raw_parts(s as *const u8, n as usize)).into_raw())
    }
    fn PyByteArray_FromObject(o: *mut PyObject) -> *mut PyObject [null_mut()] {
        bytearray::from_object(obj(o)?).map(PyRef::into_raw)
    }
    fn PyByteArray_AsString(o: *mut PyObject) -> *mut c_char [null_mut()] {
        Ok(bytearray::as_ptr(require_bytearray(obj(o)?)?) as *mut c_char)
    }
    fn PyByteArray_Size(o: *mut PyObject) -> Py_ssize_t [-1] {
        Ok(bytearray::len(require_bytearray(obj(o)?)?) as Py_ssize_t)
    }
    fn PyByteArray_Resize(o: *mut PyObject, n: Py_ssize_t) -> c_int [-1] {
        let b = require_bytearray(obj(o)?)?;
        if n < 0 { return Err(raise!(ValueError, "Can only resize to positive sizes, got {}", n)); }
        bytearray::resize(b, n as usize).map(|_| 0)
    }
    fn PyByteArray_Concat(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject [null_mut()] {
        let (a, b) = (obj(a)?, obj(b)?);
        match (bytes::buffer_bytes(a)?, bytes::buffer_bytes(b)?) {
            (Some(mut x), Some(y)) => { x.extend_from_slice(&y); Ok(bytearray::new(&x).into_raw()) }
            _ => Err(raise!(TypeError, "can't concat {} to {}", b.ob_type().name(), a.ob_type().name())),
        }
    }
}
