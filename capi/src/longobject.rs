//! `longobject.h`: int creation and conversion, with CPython's overflow and type errors.

use core::ffi::{c_char, c_int, c_long, c_longlong, c_ulong, c_ulonglong, c_void};
use core::ptr::null_mut;

use pyrite_abi::*;
use pyrite_vm::objects::long;
use pyrite_vm::{abstract_, raise, Obj, PyRef, PyResult};

use crate::boundary::{bad_internal_call, obj};
use crate::capi;

/// The int value of `o`: itself if an int, else `__index__` (`PyLong_As*` since 3.10).
fn as_int(o: &Obj) -> PyResult<PyRef> {
    abstract_::index(o)
}

/// `o` must already be an int for the unsigned conversions ("an integer is required").
fn require_int(o: &Obj) -> PyResult<&Obj> {
    if long::check(o) { Ok(o) } else { Err(raise!(TypeError, "an integer is required")) }
}

fn as_i64(o: &Obj, msg: &str) -> PyResult<i64> {
    let v = as_int(o)?;
    long::to_i64(&v).ok_or_else(|| raise!(OverflowError, "{}", msg))
}

/// Low 64 bits of an int in two's complement (`*Mask` conversions).
fn low_bits(o: &Obj) -> u64 {
    let (sign, ds) = long::sign_and_digits(o);
    let mut mag: u64 = 0;
    for (i, &d) in ds.iter().enumerate() {
        let shift = 30 * i as u32;
        if shift < 64 {
            mag |= (d as u64) << shift;
        }
    }
    if sign < 0 { mag.wrapping_neg() } else { mag }
}

capi! {
    fn PyLong_FromLong(v: c_long) -> *mut PyObject [null_mut()] { Ok(long::from_i64(v).into_raw()) }
    fn PyLong_FromUnsignedLong(v: c_ulong) -> *mut PyObject [null_mut()] { Ok(long::from_u64(v).into_raw()) }
    fn PyLong_FromLongLong(v: c_longlong) -> *mut PyObject [null_mut()] { Ok(long::from_i64(v).into_raw()) }
    fn PyLong_FromUnsignedLongLong(v: c_ulonglong) -> *mut PyObject [null_mut()] { Ok(long::from_u64(v).into_raw()) }
    fn PyLong_FromSsize_t(v: Py_ssize_t) -> *mut PyObject [null_mut()] { Ok(long::from_i64(v as i64).into_raw()) }
    fn PyLong_FromSize_t(v: usize) -> *mut PyObject [null_mut()] { Ok(long::from_u64(v as u64).into_raw()) }
    fn PyLong_FromInt32(v: i32) -> *mut PyObject [null_mut()] { Ok(long::from_i64(v as i64).into_raw()) }
    fn PyLong_FromUInt32(v: u32) -> *mut PyObject [null_mut()] { Ok(long::from_i64(v as i64).into_raw()) }
    fn PyLong_FromInt64(v: i64) -> *mut PyObject [null_mut()] { Ok(long::from_i64(v).into_raw()) }
    fn PyLong_FromUInt64(v: u64) -> *mut PyObject [null_mut()] { Ok(long::from_u64(v).into_raw()) }
    fn PyLong_FromDouble(v: f64) -> *mut PyObject [null_mut()] { long::from_f64(v).map(PyRef::into_raw) }
    fn PyLong_FromVoidPtr(p: *mut c_void) -> *mut PyObject [null_mut()] { Ok(long::from_u64(p as usize as u64).into_raw()) }
    /// An int only: `__index__` is not used.
    fn PyLong_AsVoidPtr(o: *mut PyObject) -> *mut c_void [null_mut()] {
        let v = require_int(obj(o)?)?;
        if long::is_negative(v) {
            return long::to_i64(v).map(|x| x as usize as *mut c_void).ok_or_else(|| raise!(OverflowError, "Python int too large to convert to C long"));
        }
        long::to_u64(v).map(|x| x as usize as *mut c_void).ok_or_else(|| raise!(OverflowError, "Python int too large to convert to C unsigned long"))
    }
    /// `PyLong_FromString`: the whole string (up to its NUL) must be the number, surrounding
    /// whitespace allowed; `*pend` is set to its end.
    fn PyLong_FromString(s: *const c_char, pend: *mut *mut c_char, base: c_int) -> *mut PyObject [null_mut()] {
        let text = core::ffi::CStr::from_ptr(s).to_bytes();
        if (base != 0 && base < 2) || base > 36 {
            return Err(raise!(ValueError, "int() base must be >= 2 and <= 36, or 0"));
        }
        match long::parse_ascii(text, base as u32) {
            long::Parse::Value(v) => {
                if !pend.is_null() { *pend = s.add(text.len()) as *mut c_char; }
                Ok(v.into_raw())
            }
            long::Parse::Error(e) => Err(e),
            long::Parse::Invalid => {
                if !pend.is_null() { *pend = s as *mut c_char; }
                let shown = String::from_utf8_lossy(&text[..text.len().min(200)]).into_owned();
                Err(raise!(ValueError, "invalid literal for int() with base {}: {}", base, pyrite_vm::objects::unicode::repr_str(&shown)))
            }
        }
    }
    fn PyLong_AsLong(o: *mut PyObject) -> c_long [-1] { as_i64(obj(o)?, "Python int too large to convert to C long") }
    fn PyLong_AsInt(o: *mut PyObject) -> c_int [-1] {
        let v = as_i64(obj(o)?, "Python int too large to convert to C int")?;
        i32::try_from(v).map_err(|_| raise!(OverflowError, "Python int too large to convert to C int"))
    }
    fn PyLong_AsLongAndOverflow(o: *mut PyObject, overflow: *mut c_int) -> c_long [-1] {
        *overflow = 0;
        let v = as_int(obj(o)?)?;
        match long::to_i64(&v) {
            Some(x) => Ok(x),
            None => { *overflow = if long::is_negative(&v) { -1 } else { 1 }; Ok(-1) }
        }
    }
    fn PyLong_AsLongLongAndOverflow(o: *mut PyObject, overflow: *mut c_int) -> c_longlong [-1] {
        *overflow = 0;
        let v = as_int(obj(o)?)?;
        match long::to_i64(&v) {
            Some(x) => Ok(x),
            None => { *overflow = if long::is_negative(&v) { -1 } else { 1 }; Ok(-1) }
        }
    }
    fn PyLong_AsLongLong(o: *mut PyObject) -> c_longlong [-1] { as_i64(obj(o)?, "int too big to convert") }
    fn PyLong_AsSsize_t(o: *mut PyObject) -> Py_ssize_t [-1] {
        let v = require_int(obj(o)?)?;
        long::to_i64(v).map(|x| x as isize).ok_or_else(|| raise!(OverflowError, "Python int too large to convert to C ssize_t"))
    }
    fn PyLong_AsSize_t(o: *mut PyObject) -> usize [usize::MAX] {
        let v = require_int(obj(o)?)?;
        if long::is_negative(v) { return Err(raise!(OverflowError, "can't convert negative value to size_t")); }
        long::to_u64(v).map(|x| x as usize).ok_or_else(|| raise!(OverflowError, "Python int too large to convert to C size_t"))
    }
    fn PyLong_AsUnsignedLong(o: *mut PyObject) -> c_ulong [c_ulong::MAX] {
        let v = require_int(obj(o)?)?;
        if long::is_negative(v) { return Err(raise!(OverflowError, "can't convert negative value to unsigned int")); }
        long::to_u64(v).ok_or_else(|| raise!(OverflowError, "Python int too large to convert to C unsigned long"))
    }
    fn PyLong_AsUnsignedLongLong(o: *mut PyObject) -> c_ulonglong [c_ulonglong::MAX] {
        let v = require_int(obj(o)?)?;
        if long::is_negative(v) { return Err(raise!(OverflowError, "can't convert negative int to unsigned")); }
        long::to_u64(v).ok_or_else(|| raise!(OverflowError, "int too big to convert"))
    }
    fn PyLong_AsUnsignedLongMask(o: *mut PyObject) -> c_ulong [c_ulong::MAX] {
        Ok(low_bits(&*as_int(obj(o)?)?))
    }
    fn PyLong_AsUnsignedLongLongMask(o: *mut PyObject) -> c_ulonglong [c_ulonglong::MAX] {
        Ok(low_bits(&*as_int(obj(o)?)?))
    }
    fn PyLong_AsInt32(o: *mut PyObject, out: *mut i32) -> c_int [-1] {
        let v = as_i64(obj(o)?, "Python int too large to convert to C int32_t")?;
        *out = i32::try_from(v).map_err(|_| raise!(OverflowError, "Python int too large to convert to C int32_t"))?;
        Ok(0)
    }
    fn PyLong_AsInt64(o: *mut PyObject, out: *mut i64) -> c_int [-1] {
        *out = as_i64(obj(o)?, "Python int too large to convert to C int64_t")?;
        Ok(0)
    }
    fn PyLong_AsUInt32(o: *mut PyObject, out: *mut u32) -> c_int [-1] {
        let v = as_int(obj(o)?)?;
        if long::is_negative(&v) { return Err(raise!(ValueError, "Cannot convert negative int")); }
        *out = long::to_u64(&v).and_then(|x| u32::try_from(x).ok()).ok_or_else(|| raise!(OverflowError, "Python int too large to convert to C uint32_t"))?;
        Ok(0)
    }
    fn PyLong_AsUInt64(o: *mut PyObject, out: *mut u64) -> c_int [-1] {
        let v = as_int(obj(o)?)?;
        if long::is_negative(&v) { return Err(raise!(ValueError, "Cannot convert negative int")); }
        *out = long::to_u64(&v).ok_or_else(|| raise!(OverflowError, "Python int too large to convert to C uint64_t"))?;
        Ok(0)
    }
    fn PyLong_AsDouble(o: *mut PyObject) -> f64 [-1.0] {
        long::to_f64(require_int(obj(o)?)?)
    }
}

capi! {
    /// Copies the value into `n` bytes; returns how many bytes the value needs (more than `n`
    /// means it was truncated).
    fn PyLong_AsNativeBytes(v: *mut PyObject, buffer: *mut c_void, n: Py_ssize_t, flags: c_int) -> Py_ssize_t [-1] {
        if v.is_null() || n < 0 { return Err(bad_internal_call()); }
        let (bytes, needed) = long::as_native_bytes(obj(v)?, n as usize, flags)?;
        if n > 0 {
            core::slice::from_raw_parts_mut(buffer as *mut u8, n as usize).copy_from_slice(&bytes);
        }
        Ok(needed as Py_ssize_t)
    }
    fn PyLong_FromNativeBytes(buffer: *const c_void, n: usize, flags: c_int) -> *mut PyObject [null_mut()] {
        if buffer.is_null() { return Err(bad_internal_call()); }
        let data = core::slice::from_raw_parts(buffer as *const u8, n);
        Ok(long::from_native_bytes(data, flags, false).into_raw())
    }
    fn PyLong_FromUnsignedNativeBytes(buffer: *const c_void, n: usize, flags: c_int) -> *mut PyObject [null_mut()] {
        if buffer.is_null() { return Err(bad_internal_call()); }
        let data = core::slice::from_raw_parts(buffer as *const u8, n);
        Ok(long::from_native_bytes(data, flags, true).into_raw())
    }
}
