//! `floatobject.h`.

use core::ptr::null_mut;

use pyrite_abi::*;
use pyrite_vm::objects::{float, unicode};
use pyrite_vm::raise;

use crate::boundary::obj;
use crate::capi;

capi! {
    fn PyFloat_FromDouble(v: f64) -> *mut PyObject [null_mut()] { Ok(float::new(v).into_raw()) }
    fn PyFloat_AsDouble(o: *mut PyObject) -> f64 [-1.0] {
        let o = obj(o)?;
        if float::check(o) { return Ok(float::value(o)); }
        crate::longobject::number_as_f64(o)
    }
    fn PyFloat_FromString(s: *mut PyObject) -> *mut PyObject [null_mut()] {
        let s = obj(s)?;
        let text = if unicode::check(s) { unicode::as_str(s)?.to_string() } else {
            return Err(raise!(TypeError, "float() argument must be a string or a real number, not '{}'", s.ob_type().name()));
        };
        let t = text.trim().replace('_', "");
        let v: f64 = match t.to_ascii_lowercase().as_str() {
            "inf" | "+inf" | "infinity" | "+infinity" => f64::INFINITY,
            "-inf" | "-infinity" => f64::NEG_INFINITY,
            "nan" | "+nan" | "-nan" => f64::NAN,
            _ => t.parse().map_err(|_| raise!(ValueError, "could not convert string to float: {}", unicode::repr_str(&text)))?,
        };
        Ok(float::new(v).into_raw())
    }
    fn PyFloat_GetMax() -> f64 [-1.0] { Ok(f64::MAX) }
    fn PyFloat_GetMin() -> f64 [-1.0] { Ok(f64::MIN_POSITIVE) }
}

