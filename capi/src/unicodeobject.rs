//! `unicodeobject.h`: str creation, the cached UTF-8 form, comparison and interning.

use core::ffi::{c_char, c_int};
use core::ptr::null_mut;

use pyrite_abi::*;
use pyrite_vm::objects::{bytes, unicode};
use pyrite_vm::{raise, Obj, PyRef, PyResult};

use crate::boundary::{cstr, obj};
use crate::capi;

fn require_str(o: &Obj) -> PyResult<&Obj> {
    if unicode::check(o) { Ok(o) } else { Err(raise!(TypeError, "bad argument type for built-in operation")) }
}

/// Bytes of a possibly-NULL (char*, size) pair.
unsafe fn raw_bytes<'a>(s: *const c_char, n: Py_ssize_t) -> PyResult<&'a [u8]> {
    if n < 0 {
        return Err(raise!(SystemError, "Negative size passed to PyUnicode_FromStringAndSize"));
    }
    if s.is_null() {
        if n == 0 { return Ok(&[]); }
        return Err(raise!(SystemError, "NULL string with positive size with NULL passed to PyUnicode_FromStringAndSize"));
    }
    // SAFETY: the caller passes n readable bytes.
    Ok(unsafe { core::slice::from_raw_parts(s as *const u8, n as usize) })
}

capi! {
    fn PyUnicode_FromString(s: *const c_char) -> *mut PyObject [null_mut()] {
        if s.is_null() { return Err(crate::boundary::bad_internal_call()); }
        unicode::from_utf8(core::ffi::CStr::from_ptr(s).to_bytes()).map(PyRef::into_raw)
    }
    fn PyUnicode_FromStringAndSize(s: *const c_char, n: Py_ssize_t) -> *mut PyObject [null_mut()] {
        unicode::from_utf8(raw_bytes(s, n)?).map(PyRef::into_raw)
    }
    fn PyUnicode_DecodeUTF8(s: *const c_char, n: Py_ssize_t, _errors: *const c_char) -> *mut PyObject [null_mut()] {
        unicode::from_utf8(raw_bytes(s, n)?).map(PyRef::into_raw)
    }
    fn PyUnicode_DecodeUTF8Stateful(s: *const c_char, n: Py_ssize_t, _errors: *const c_char, consumed: *mut Py_ssize_t) -> *mut PyObject [null_mut()] {
        let b = raw_bytes(s, n)?;
        // A truncated sequence at the end is left for the next call when `consumed` is given.
        let mut end = b.len();
        if !consumed.is_null() {
            if let Err(e) = core::str::from_utf8(b) {
                if e.error_len().is_none() { end = e.valid_up_to(); }
            }
        }
        let r = unicode::from_utf8(&b[..end])?;
        if !consumed.is_null() { *consumed = end as Py_ssize_t; }
        Ok(r.into_raw())
    }
    fn PyUnicode_DecodeLatin1(s: *const c_char, n: Py_ssize_t, _errors: *const c_char) -> *mut PyObject [null_mut()] {
        let cps: Vec<u32> = raw_bytes(s, n)?.iter().map(|&b| b as u32).collect();
        Ok(unicode::from_code_points(&cps).into_raw())
    }
    fn PyUnicode_DecodeASCII(s: *const c_char, n: Py_ssize_t, _errors: *const c_char) -> *mut PyObject [null_mut()] {
        let b = raw_bytes(s, n)?;
        if let Some(pos) = b.iter().position(|&c| c >= 0x80) {
            return Err(raise!(UnicodeDecodeError, "'ascii' codec can't decode byte 0x{:02x} in position {}: ordinal not in range(128)", b[pos], pos));
        }
        unicode::from_utf8(b).map(PyRef::into_raw)
    }
    fn PyUnicode_AsUTF8AndSize(o: *mut PyObject, size: *mut Py_ssize_t) -> *const c_char [core::ptr::null()] {
        let o = obj(o)?;
        if !unicode::check(o) {
            if !size.is_null() { *size = -1; }
            return Err(raise!(TypeError, "bad argument type for built-in operation"));
        }
        let s = unicode::as_str(o).inspect_err(|_| if !size.is_null() { *size = -1; })?;
        if !size.is_null() { *size = s.len() as Py_ssize_t; }
        Ok(s.as_ptr() as *const c_char)
    }
    fn PyUnicode_AsUTF8(o: *mut PyObject) -> *const c_char [core::ptr::null()] {
        let o = require_str(obj(o)?)?;
        let s = unicode::as_str(o)?;
        if s.as_bytes().contains(&0) { return Err(raise!(ValueError, "embedded null character")); }
        Ok(s.as_ptr() as *const c_char)
    }
    fn PyUnicode_AsUTF8String(o: *mut PyObject) -> *mut PyObject [null_mut()] {
        let o = require_str(obj(o)?)?;
        Ok(bytes::new(unicode::as_str(o)?.as_bytes()).into_raw())
    }
    fn PyUnicode_AsEncodedString(o: *mut PyObject, encoding: *const c_char, _errors: *const c_char) -> *mut PyObject [null_mut()] {
        let o = require_str(obj(o)?)?;
        let enc = if encoding.is_null() { "utf-8" } else { cstr(encoding)? };
        match enc.to_ascii_lowercase().replace('_', "-").as_str() {
            "utf-8" | "utf8" => Ok(bytes::new(unicode::as_str(o)?.as_bytes()).into_raw()),
            "ascii" | "latin-1" | "latin1" | "iso-8859-1" => {
                let limit = if enc.starts_with('a') { 0x80 } else { 0x100 };
                let mut out = Vec::with_capacity(unicode::len(o));
                for (i, c) in unicode::chars(o).enumerate() {
                    if c >= limit {
                        return Err(raise!(UnicodeEncodeError, "'{}' codec can't encode character '\\x{:x}' in position {}: ordinal not in range({})",
                            if limit == 0x80 { "ascii" } else { "latin-1" }, c, i, limit));
                    }
                    out.push(c as u8);
                }
                Ok(bytes::new(&out).into_raw())
            }
            other => Err(raise!(LookupError, "unknown encoding: {}", other)),
        }
    }
    fn PyUnicode_GetLength(o: *mut PyObject) -> Py_ssize_t [-1] {
        Ok(unicode::len(require_str(obj(o)?)?) as Py_ssize_t)
    }
    fn PyUnicode_FromOrdinal(c: c_int) -> *mut PyObject [null_mut()] {
        if !(0..=0x10ffff).contains(&c) { return Err(raise!(ValueError, "chr() arg not in range(0x110000)")); }
        Ok(unicode::from_code_points(&[c as u32]).into_raw())
    }
    fn PyUnicode_ReadChar(o: *mut PyObject, i: Py_ssize_t) -> Py_UCS4 [Py_UCS4::MAX] {
        let o = require_str(obj(o)?)?;
        if i < 0 || i as usize >= unicode::len(o) { return Err(raise!(IndexError, "string index out of range")); }
        Ok(unicode::char_at(o, i as usize))
    }
    fn PyUnicode_Substring(o: *mut PyObject, start: Py_ssize_t, end: Py_ssize_t) -> *mut PyObject [null_mut()] {
        let o = require_str(obj(o)?)?;
        if start < 0 || end < 0 { return Err(raise!(IndexError, "string index out of range")); }
        let n = unicode::len(o);
        let (s, e) = ((start as usize).min(n), (end as usize).min(n));
        let cps: Vec<u32> = if s < e { (s..e).map(|i| unicode::char_at(o, i)).collect() } else { Vec::new() };
        Ok(unicode::from_code_points(&cps).into_raw())
    }
    fn PyUnicode_Compare(a: *mut PyObject, b: *mut PyObject) -> c_int [-1] {
        let (a, b) = (obj(a)?, obj(b)?);
        if !unicode::check(a) || !unicode::check(b) {
            return Err(raise!(TypeError, "Can't compare {} and {}", a.ob_type().name(), b.ob_type().name()));
        }
        Ok(match unicode::chars(a).cmp(unicode::chars(b)) { core::cmp::Ordering::Less => -1, core::cmp::Ordering::Equal => 0, _ => 1 })
    }
    fn PyUnicode_CompareWithASCIIString(a: *mut PyObject, s: *const c_char) -> c_int [-1] {
        let a = obj(a)?;
        let b = core::ffi::CStr::from_ptr(s).to_bytes();
        Ok(match unicode::chars(a).cmp(b.iter().map(|&c| c as u32)) { core::cmp::Ordering::Less => -1, core::cmp::Ordering::Equal => 0, _ => 1 })
    }
    fn PyUnicode_EqualToUTF8(a: *mut PyObject, s: *const c_char) -> c_int [0] {
        let a = obj(a)?;
        Ok((unicode::check(a) && unicode::as_str(a).is_ok_and(|x| x.as_bytes() == core::ffi::CStr::from_ptr(s).to_bytes())) as c_int)
    }
    fn PyUnicode_EqualToUTF8AndSize(a: *mut PyObject, s: *const c_char, n: Py_ssize_t) -> c_int [0] {
        let a = obj(a)?;
        let b = core::slice::from_raw_parts(s as *const u8, n.max(0) as usize);
        Ok((unicode::check(a) && unicode::as_str(a).is_ok_and(|x| x.as_bytes() == b)) as c_int)
    }
    fn PyUnicode_Equal(a: *mut PyObject, b: *mut PyObject) -> c_int [-1] {
        let (a, b) = (obj(a)?, obj(b)?);
        if !unicode::check(a) { return Err(raise!(TypeError, "first argument must be str, not {}", a.ob_type().name())); }
        if !unicode::check(b) { return Err(raise!(TypeError, "second argument must be str, not {}", b.ob_type().name())); }
        Ok(unicode::eq(a, b) as c_int)
    }
    fn PyUnicode_Concat(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject [null_mut()] {
        let (a, b) = (obj(a)?, obj(b)?);
        if !unicode::check(a) { return Err(raise!(TypeError, "must be str, not {}", a.ob_type().name())); }
        if !unicode::check(b) { return Err(raise!(TypeError, "can only concatenate str (not \"{}\") to str", b.ob_type().name())); }
        Ok(unicode::concat(a, b).into_raw())
    }
    fn PyUnicode_InternFromString(s: *const c_char) -> *mut PyObject [null_mut()] {
        Ok(unicode::intern(cstr(s)?).into_raw())
    }
    fn PyUnicode_InternInPlace(p: *mut *mut PyObject) -> () [()] {
        let o = obj(*p)?;
        if !unicode::check_exact(o) { return Ok(()); }
        let i = unicode::intern_obj(o)?;
        pyrite_vm::object::decref(*p);
        *p = i.into_raw();
        Ok(())
    }
    fn PyUnicode_GetDefaultEncoding() -> *const c_char [core::ptr::null()] { Ok(c"utf-8".as_ptr()) }
    fn PyUnicode_FromWideChar(w: *const libc_wchar, n: Py_ssize_t) -> *mut PyObject [null_mut()] {
        if w.is_null() {
            if n == 0 { return Ok(unicode::new("").into_raw()); }
            return Err(crate::boundary::bad_internal_call());
        }
        let len = if n < 0 { let mut k = 0; while *w.add(k) != 0 { k += 1; } k } else { n as usize };
        let cps: Vec<u32> = core::slice::from_raw_parts(w, len).iter().map(|&c| c as u32).collect();
        if let Some(bad) = cps.iter().find(|&&c| c > 0x10ffff) {
            return Err(raise!(ValueError, "character U+{:x} is not in range [U+0000; U+10ffff]", bad));
        }
        Ok(unicode::from_code_points(&cps).into_raw())
    }
}

/// `wchar_t` on Linux: 32-bit.
#[allow(non_camel_case_types)]
type libc_wchar = i32;
