//! `bytesobject.h`.

use core::ffi::{c_char, c_int};
use core::ptr::null_mut;

use pyrite_abi::*;
use pyrite_vm::objects::bytes;
use pyrite_vm::{raise, Obj, PyResult};

use crate::boundary::obj;
use crate::capi;

fn require_bytes(o: &Obj) -> PyResult<&Obj> {
    if bytes::check(o) { Ok(o) } else { Err(raise!(TypeError, "expected bytes, {} found", o.ob_type().name())) }
}

capi! {
    fn PyBytes_FromStringAndSize(s: *const c_char, n: Py_ssize_t) -> *mut PyObject [null_mut()] {
        if n < 0 { return Err(raise!(SystemError, "Negative size passed to PyBytes_FromStringAndSize")); }
        if s.is_null() { return Ok(bytes::alloc(n as usize).into_raw()); }
        Ok(bytes::new(core::slice::from_raw_parts(s as *const u8, n as usize)).into_raw())
    }
    fn PyBytes_FromString(s: *const c_char) -> *mut PyObject [null_mut()] {
        if s.is_null() { return Err(crate::boundary::bad_internal_call()); }
        Ok(bytes::new(core::ffi::CStr::from_ptr(s).to_bytes()).into_raw())
    }
    fn PyBytes_AsString(o: *mut PyObject) -> *mut c_char [null_mut()] {
        Ok(bytes::as_mut_ptr(require_bytes(obj(o)?)?) as *mut c_char)
    }
    fn PyBytes_AsStringAndSize(o: *mut PyObject, s: *mut *mut c_char, len: *mut Py_ssize_t) -> c_int [-1] {
        let b = require_bytes(obj(o)?)?;
        let data = bytes::as_bytes(b);
        if len.is_null() && data.contains(&0) {
            return Err(raise!(ValueError, "embedded null byte"));
        }
        *s = bytes::as_mut_ptr(b) as *mut c_char;
        if !len.is_null() { *len = data.len() as Py_ssize_t; }
        Ok(0)
    }
    fn PyBytes_Size(o: *mut PyObject) -> Py_ssize_t [-1] {
        Ok(bytes::as_bytes(require_bytes(obj(o)?)?).len() as Py_ssize_t)
    }
    fn PyBytes_Concat(pv: *mut *mut PyObject, w: *mut PyObject) -> () [()] {
        if (*pv).is_null() { return Ok(()); }
        let r = (|| {
            let (a, b) = (require_bytes(Obj::from_ptr(*pv))?, obj(w)?);
            if !bytes::check(b) { return Err(raise!(TypeError, "can't concat {} to bytes", b.ob_type().name())); }
            let mut v = bytes::as_bytes(a).to_vec();
            v.extend_from_slice(bytes::as_bytes(b));
            Ok(bytes::new(&v))
        })();
        pyrite_vm::object::decref(*pv);
        match r {
            Ok(n) => { *pv = n.into_raw(); Ok(()) }
            Err(e) => { *pv = null_mut(); Err(e) }
        }
    }
    fn PyBytes_ConcatAndDel(pv: *mut *mut PyObject, w: *mut PyObject) -> () [()] {
        PyBytes_Concat(pv, w);
        pyrite_vm::object::xdecref(w);
        Ok(())
    }
    fn PyBytes_Repr(o: *mut PyObject, _smartquotes: c_int) -> *mut PyObject [null_mut()] {
        Ok(pyrite_vm::objects::unicode::new(&bytes::repr_bytes(bytes::as_bytes(require_bytes(obj(o)?)?))).into_raw())
    }
}
