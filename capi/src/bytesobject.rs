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

/// CPython refuses a size whose object would not fit in a Py_ssize_t (its header is 33 bytes).
pub(crate) fn check_bytes_size(n: Py_ssize_t) -> PyResult<()> {
    if n > Py_ssize_t::MAX - 33 {
        return Err(raise!(OverflowError, "byte string is too large"));
    }
    Ok(())
}

capi! {
    fn PyBytes_FromStringAndSize(s: *const c_char, n: Py_ssize_t) -> *mut PyObject [null_mut()] {
        if n < 0 { return Err(raise!(SystemError, "Negative size passed to PyBytes_FromStringAndSize")); }
        check_bytes_size(n)?;
        if s.is_null() {
            // The empty singleton for 0; otherwise a fresh object the caller fills.
            return Ok(if n == 0 { bytes::empty_obj().new_ref() } else { bytes::alloc(n as usize) }.into_raw());
        }
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
        // A NULL right operand only drops the left one (no error set), as in CPython.
        if w.is_null() {
            pyrite_vm::object::decref(*pv);
            *pv = null_mut();
            return Ok(());
        }
        let r = (|| {
            // Both operands: any C-contiguous buffer (bytes, bytearray, memoryview...).
            let (a, b) = (Obj::from_ptr(*pv), obj(w)?);
            match (crate::buffer::simple_buffer_bytes(a), crate::buffer::simple_buffer_bytes(b)) {
                (Some(mut x), Some(y)) => { x.extend_from_slice(&y); Ok(bytes::new(&x)) }
                _ => Err(raise!(TypeError, "can't concat {} to {}", b.ob_type().name(), a.ob_type().name())),
            }
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
    /// `repr(o)`; without smartquotes the quotes are always single, escaped inside.
    fn PyBytes_Repr(o: *mut PyObject, smartquotes: c_int) -> *mut PyObject [null_mut()] {
        let b = bytes::as_bytes(require_bytes(obj(o)?)?);
        let r = if smartquotes != 0 { bytes::repr_bytes(b) } else { bytes::repr_single_quoted(b) };
        Ok(pyrite_vm::objects::unicode::new(&r).into_raw())
    }
    /// `bytes(x)` for a buffer, list, tuple or iterable of ints (not an int or a str).
    fn PyBytes_FromObject(x: *mut PyObject) -> *mut PyObject [null_mut()] {
        let x = obj(x)?;
        if bytes::check_exact(x) { return Ok(x.new_ref().into_raw()); }
        Ok(bytes::new(&bytes::data_from_object(x)?).into_raw())
    }
    /// The backslash escapes of a bytes literal (`\x41`, `\n`, octal, line continuation);
    /// unknown escapes are kept as written. The last two arguments are unused, as in CPython.
    fn PyBytes_DecodeEscape(s: *const c_char, len: Py_ssize_t, errors: *const c_char, _unicode: Py_ssize_t, _recode: *const c_char) -> *mut PyObject [null_mut()] {
        check_bytes_size(len)?;
        let src = if s.is_null() { &[][..] } else { core::slice::from_raw_parts(s as *const u8, len.max(0) as usize) };
        let errors = if errors.is_null() { "strict" } else { crate::boundary::cstr(errors)? };
        let mut first_invalid = None;
        let out = decode_escape(src, errors, &mut first_invalid)?;
        // CPython 3.12+ warns about the first escape it does not know.
        if let Some(c) = first_invalid {
            let msg = if c > 0xff {
                format!("\"\\{c:o}\" is an invalid octal escape sequence. Such sequences will not work in the future. ")
            } else {
                format!("\"\\{}\" is an invalid escape sequence. Such sequences will not work in the future. ", c as u8 as char)
            };
            let msg = pyrite_vm::objects::unicode::new(&msg);
            pyrite_vm::stdlib::warnings::warn(None, &msg, 1, pyrite_vm::objects::exceptions::DeprecationWarning())?;
        }
        Ok(bytes::new(&out).into_raw())
    }
}

/// `first_invalid` receives the first unknown escape: its character, or an octal value past
/// 0o377.
fn decode_escape(src: &[u8], errors: &str, first_invalid: &mut Option<u32>) -> PyResult<Vec<u8>> {
    let mut out = Vec::with_capacity(src.len());
    let mut i = 0;
    while i < src.len() {
        let c = src[i];
        i += 1;
        if c != b'\\' {
            out.push(c);
            continue;
        }
        let Some(&e) = src.get(i) else {
            return Err(raise!(ValueError, "Trailing \\ in string"));
        };
        i += 1;
        match e {
            b'\n' => {}
            b'\\' | b'\'' | b'"' => out.push(e),
            b'b' => out.push(8),
            b'f' => out.push(12),
            b't' => out.push(b'\t'),
            b'n' => out.push(b'\n'),
            b'r' => out.push(b'\r'),
            b'v' => out.push(11),
            b'a' => out.push(7),
            b'0'..=b'7' => {
                let mut v = (e - b'0') as u32;
                for _ in 0..2 {
                    match src.get(i) {
                        Some(&d @ b'0'..=b'7') => {
                            v = v * 8 + (d - b'0') as u32;
                            i += 1;
                        }
                        _ => break,
                    }
                }
                if v > 0o377 && first_invalid.is_none() {
                    *first_invalid = Some(v);
                }
                out.push(v as u8);
            }
            b'x' => {
                let hex = |b: Option<&u8>| b.and_then(|&b| (b as char).to_digit(16));
                match (hex(src.get(i)), hex(src.get(i + 1))) {
                    (Some(h), Some(l)) => {
                        out.push((h * 16 + l) as u8);
                        i += 2;
                    }
                    (first, _) => {
                        match errors {
                            "ignore" => {}
                            "replace" => out.push(b'?'),
                            "strict" => return Err(raise!(ValueError, "invalid \\x escape at position {}", i - 2)),
                            other => return Err(raise!(ValueError, "decoding error; unknown error handling code: {}", other)),
                        }
                        // As CPython, a lone valid hex digit goes with the bad escape.
                        if first.is_some() {
                            i += 1;
                        }
                    }
                }
            }
            _ => {
                if first_invalid.is_none() {
                    *first_invalid = Some(e as u32);
                }
                out.push(b'\\');
                out.push(e);
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_from_object_and_decode_escape() {
        crate::initialize();
        // SAFETY: C API calls with live arguments.
        unsafe {
            let l = pyrite_vm::objects::list::new_from_owned(vec![pyrite_vm::objects::long::from_i64(65), pyrite_vm::objects::long::from_i64(66)]);
            let b = PyBytes_FromObject(l.as_ptr());
            assert_eq!(bytes::as_bytes(Obj::from_ptr(b)), b"AB");
            let same = PyBytes_FromObject(b);
            assert_eq!(same, b, "an exact bytes is returned as is");
            let src = b"a\\x41\\101\\n\\q";
            let d = PyBytes_DecodeEscape(src.as_ptr() as *const c_char, src.len() as Py_ssize_t, null_mut(), 0, null_mut());
            assert_eq!(bytes::as_bytes(Obj::from_ptr(d)), b"aAA\n\\q");
            let bad = b"\\x4";
            assert!(PyBytes_DecodeEscape(bad.as_ptr() as *const c_char, 3, null_mut(), 0, null_mut()).is_null());
            assert_eq!(format!("{:?}", pyrite_vm::PyErr::take().unwrap()), "ValueError: invalid \\x escape at position 0");
            for p in [b, same, d] {
                pyrite_vm::object::decref(p);
            }
        }
    }
}
