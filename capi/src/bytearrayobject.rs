//! `bytearrayobject.h`: `PyByteArray_*`.

use core::ffi::{c_char, c_int};
use core::ptr::null_mut;

use pyrite_abi::*;
use pyrite_vm::objects::bytearray;
use pyrite_vm::{raise, Obj, PyRef, PyResult};

use crate::boundary::{bad_internal_call, obj};
use crate::capi;

fn require_bytearray(o: &Obj) -> PyResult<&Obj> {
    if bytearray::check(o) { Ok(o) } else { Err(bad_internal_call()) }
}

capi! {
    fn PyByteArray_FromStringAndSize(s: *const c_char, n: Py_ssize_t) -> *mut PyObject [null_mut()] {
        if n < 0 { return Err(raise!(SystemError, "Negative size passed to PyByteArray_FromStringAndSize")); }
        crate::bytesobject::check_bytes_size(n)?;
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
        match (crate::buffer::simple_buffer_bytes(a), crate::buffer::simple_buffer_bytes(b)) {
            (Some(mut x), Some(y)) => { x.extend_from_slice(&y); Ok(bytearray::new(&x).into_raw()) }
            _ => Err(raise!(TypeError, "can't concat {} to {}", b.ob_type().name(), a.ob_type().name())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pyrite_vm::objects::bytes;
    use pyrite_vm::{Obj, PyErr};

    #[test]
    fn bytearray_functions_follow_cpython() {
        crate::initialize();
        // SAFETY: C API calls with live arguments.
        unsafe {
            let b = PyByteArray_FromStringAndSize(c"abc".as_ptr(), 3);
            assert_eq!(PyByteArray_Size(b), 3);
            assert_eq!(core::ffi::CStr::from_ptr(PyByteArray_AsString(b)).to_bytes(), b"abc");
            assert_eq!(PyByteArray_Resize(b, 1), 0);
            assert_eq!(core::ffi::CStr::from_ptr(PyByteArray_AsString(b)).to_bytes(), b"a", "NUL-terminated after a resize");
            assert_eq!(PyByteArray_Resize(b, -1), -1);
            assert_eq!(format!("{:?}", PyErr::take().unwrap()), "ValueError: Can only resize to positive sizes, got -1");
            let c = PyByteArray_Concat(b, bytes::new(b"xy").as_ptr());
            assert_eq!(bytearray::as_slice(Obj::from_ptr(c)), b"axy");
            // An exported buffer pins the size.
            let mut view: Py_buffer = core::mem::zeroed();
            let get = (*(*(*b).ob_type).tp_as_buffer).bf_getbuffer.unwrap();
            assert_eq!(get(b, &mut view, PyBUF_SIMPLE), 0);
            assert_eq!(PyByteArray_Resize(b, 5), -1);
            assert_eq!(format!("{:?}", PyErr::take().unwrap()), "BufferError: Existing exports of data: object cannot be re-sized");
            ((*(*(*b).ob_type).tp_as_buffer).bf_releasebuffer.unwrap())(b, &mut view);
            pyrite_vm::object::decref(view.obj);
            assert_eq!(PyByteArray_Resize(b, 5), 0);
            let z = PyByteArray_FromStringAndSize(core::ptr::null(), 2);
            assert_eq!(bytearray::as_slice(Obj::from_ptr(z)), b"\0\0");
            for p in [b, c, z] {
                pyrite_vm::object::decref(p);
            }
        }
    }
}
