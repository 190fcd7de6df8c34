//! `floatobject.h`.

use core::ptr::null_mut;

use pyrite_abi::*;
use pyrite_vm::objects::{float, unicode};
use pyrite_vm::{number, raise};

use crate::boundary::obj;
use crate::capi;

capi! {
    fn PyFloat_FromDouble(v: f64) -> *mut PyObject [null_mut()] { Ok(float::new(v).into_raw()) }
    /// A float's value, `__float__`, or `__index__` (strings are not parsed).
    fn PyFloat_AsDouble(o: *mut PyObject) -> f64 [-1.0] {
        // CPython's PyErr_BadArgument for NULL.
        if o.is_null() { return Err(raise!(TypeError, "bad argument type for built-in operation")); }
        number::as_f64(obj(o)?)
    }
    /// `float(s)` for a str or bytes, with CPython's syntax (underscores, inf/nan, whitespace).
    fn PyFloat_FromString(s: *mut PyObject) -> *mut PyObject [null_mut()] {
        let s = obj(s)?;
        let v = if unicode::check(s) {
            float::from_unicode(s)?
        } else if let Some(b) = crate::buffer::simple_buffer_bytes(s) {
            // bytes, bytearray or another contiguous buffer, as `float()` takes them.
            float::from_bytes_literal(&b)?
        } else {
            return Err(raise!(TypeError, "float() argument must be a string or a real number, not '{}'", s.ob_type().name()));
        };
        Ok(float::new(v).into_raw())
    }
    fn PyFloat_GetMax() -> f64 [-1.0] { Ok(f64::MAX) }
    fn PyFloat_GetMin() -> f64 [-1.0] { Ok(f64::MIN_POSITIVE) }
}
