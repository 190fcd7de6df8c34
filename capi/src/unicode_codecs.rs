//! The codec functions of `unicodeobject.h` beyond UTF-8/ASCII/Latin-1: UTF-16, UTF-32,
//! UTF-7, unicode-escape, raw-unicode-escape, charmap, and encoding/decoding through the
//! codec registry.

use core::ffi::{c_char, c_int};
use core::ptr::null_mut;

use pyrite_abi::*;
use pyrite_vm::codecs::{self, builtin, builtin::Codec};
use pyrite_vm::objects::unicode;
use pyrite_vm::{raise, Obj, PyRef, PyResult};

use crate::boundary::{cstr, obj};
use crate::capi;

/// `PyErr_BadArgument`'s error.
fn bad_argument() -> pyrite_vm::PyErr {
    raise!(TypeError, "bad argument type for built-in operation")
}

unsafe fn str_arg<'a>(o: *mut PyObject) -> PyResult<&'a Obj> {
    // SAFETY: NULL or a live object.
    match unsafe { pyrite_vm::slot::opt_arg(o) } {
        Some(o) if unicode::check(o) => Ok(o),
        _ => Err(bad_argument()),
    }
}

unsafe fn errors_of<'a>(errors: *const c_char) -> PyResult<&'a str> {
    // SAFETY: NULL or a NUL-terminated string.
    if errors.is_null() { Ok("strict") } else { unsafe { cstr(errors) } }
}

/// The DeprecationWarning message for the first escape of `unicode_escape` data that is not
/// one (`\z`), or an octal escape past 0o377.
fn first_invalid_escape(data: &[u8]) -> Option<String> {
    let mut i = 0;
    while i < data.len() {
        if data[i] != b'\\' {
            i += 1;
            continue;
        }
        let Some(&e) = data.get(i + 1) else { return None };
        i += 2;
        match e {
            b'\n' | b'\\' | b'\'' | b'"' | b'a' | b'b' | b'f' | b'n' | b'r' | b't' | b'v' | b'x' | b'u' | b'U' | b'N' => {}
            b'0'..=b'7' => {
                let mut v = u32::from(e - b'0');
                for _ in 0..2 {
                    match data.get(i) {
                        Some(&d @ b'0'..=b'7') => {
                            v = v * 8 + u32::from(d - b'0');
                            i += 1;
                        }
                        _ => break,
                    }
                }
                if v > 0o377 {
                    return Some(format!("\"\\{v:o}\" is an invalid octal escape sequence. Such sequences will not work in the future. "));
                }
            }
            _ => return Some(format!("\"\\{}\" is an invalid escape sequence. Such sequences will not work in the future. ", e as char)),
        }
    }
    None
}

unsafe fn input<'a>(s: *const c_char, n: Py_ssize_t) -> PyResult<&'a [u8]> {
    if n < 0 || (s.is_null() && n > 0) {
        return Err(crate::boundary::bad_internal_call());
    }
    // SAFETY: the caller passes n readable bytes.
    Ok(if n == 0 { &[] } else { unsafe { core::slice::from_raw_parts(s as *const u8, n as usize) } })
}

/// Decodes with a built-in codec; `consumed` NULL means the input is final.
unsafe fn decode_stateful(s: *const c_char, n: Py_ssize_t, errors: *const c_char, codec: Codec, consumed: *mut Py_ssize_t) -> PyResult<builtin::Decoded> {
    // SAFETY: as the callers' contracts.
    unsafe {
        let d = builtin::decode(input(s, n)?, None, codec, errors_of(errors)?, consumed.is_null())?;
        if !consumed.is_null() {
            *consumed = d.consumed as Py_ssize_t;
        }
        Ok(d)
    }
}

/// UTF-16/32 with a byte order in/out argument (NULL: native order with BOM detection).
unsafe fn decode_ordered(s: *const c_char, n: Py_ssize_t, errors: *const c_char, byteorder: *mut c_int, consumed: *mut Py_ssize_t, utf32: bool) -> PyResult<*mut PyObject> {
    // SAFETY: as the callers' contracts.
    unsafe {
        let bo = if byteorder.is_null() { 0 } else { (*byteorder).signum() };
        let codec = if utf32 { Codec::Utf32(bo) } else { Codec::Utf16(bo) };
        let d = decode_stateful(s, n, errors, codec, consumed)?;
        if !byteorder.is_null() {
            *byteorder = d.byteorder;
        }
        Ok(d.text.into_raw())
    }
}

/// The default encoding of the `*Object`/`*Unicode` conversions.
unsafe fn encoding_or_default<'a>(encoding: *const c_char) -> PyResult<&'a str> {
    // SAFETY: NULL or a NUL-terminated string.
    if encoding.is_null() { Ok("utf-8") } else { unsafe { cstr(encoding) } }
}

unsafe fn opt_errors<'a>(errors: *const c_char) -> PyResult<Option<&'a str>> {
    // SAFETY: NULL or a NUL-terminated string.
    if errors.is_null() { Ok(None) } else { unsafe { cstr(errors) }.map(Some) }
}

capi! {
    fn PyUnicode_DecodeUTF16(s: *const c_char, n: Py_ssize_t, errors: *const c_char, byteorder: *mut c_int) -> *mut PyObject [null_mut()] {
        decode_ordered(s, n, errors, byteorder, null_mut(), false)
    }
    fn PyUnicode_DecodeUTF16Stateful(s: *const c_char, n: Py_ssize_t, errors: *const c_char, byteorder: *mut c_int, consumed: *mut Py_ssize_t) -> *mut PyObject [null_mut()] {
        decode_ordered(s, n, errors, byteorder, consumed, false)
    }
    fn PyUnicode_DecodeUTF32(s: *const c_char, n: Py_ssize_t, errors: *const c_char, byteorder: *mut c_int) -> *mut PyObject [null_mut()] {
        decode_ordered(s, n, errors, byteorder, null_mut(), true)
    }
    fn PyUnicode_DecodeUTF32Stateful(s: *const c_char, n: Py_ssize_t, errors: *const c_char, byteorder: *mut c_int, consumed: *mut Py_ssize_t) -> *mut PyObject [null_mut()] {
        decode_ordered(s, n, errors, byteorder, consumed, true)
    }
    fn PyUnicode_DecodeUTF7(s: *const c_char, n: Py_ssize_t, errors: *const c_char) -> *mut PyObject [null_mut()] {
        decode_stateful(s, n, errors, Codec::Utf7, null_mut()).map(|d| d.text.into_raw())
    }
    fn PyUnicode_DecodeUTF7Stateful(s: *const c_char, n: Py_ssize_t, errors: *const c_char, consumed: *mut Py_ssize_t) -> *mut PyObject [null_mut()] {
        decode_stateful(s, n, errors, Codec::Utf7, consumed).map(|d| d.text.into_raw())
    }
    /// CPython 3.12+ warns about the first escape it does not know.
    fn PyUnicode_DecodeUnicodeEscape(s: *const c_char, n: Py_ssize_t, errors: *const c_char) -> *mut PyObject [null_mut()] {
        let d = decode_stateful(s, n, errors, Codec::UnicodeEscape, null_mut())?;
        if let Some(msg) = first_invalid_escape(input(s, n)?) {
            pyrite_vm::stdlib::warnings::warn(None, &unicode::new(&msg), 1, pyrite_vm::objects::exceptions::DeprecationWarning())?;
        }
        Ok(d.text.into_raw())
    }
    fn PyUnicode_DecodeRawUnicodeEscape(s: *const c_char, n: Py_ssize_t, errors: *const c_char) -> *mut PyObject [null_mut()] {
        decode_stateful(s, n, errors, Codec::RawUnicodeEscape, null_mut()).map(|d| d.text.into_raw())
    }
    /// `mapping` NULL or None is Latin-1.
    fn PyUnicode_DecodeCharmap(s: *const c_char, n: Py_ssize_t, mapping: *mut PyObject, errors: *const c_char) -> *mut PyObject [null_mut()] {
        builtin::decode_charmap(input(s, n)?, None, errors_of(errors)?, pyrite_vm::slot::opt_arg(mapping)).map(PyRef::into_raw)
    }
    fn PyUnicode_AsCharmapString(o: *mut PyObject, mapping: *mut PyObject) -> *mut PyObject [null_mut()] {
        let o = str_arg(o)?;
        if mapping.is_null() { return Err(bad_argument()); }
        builtin::encode_charmap(o, "strict", Some(obj(mapping)?)).map(PyRef::into_raw)
    }
    fn PyUnicode_BuildEncodingMap(table: *mut PyObject) -> *mut PyObject [null_mut()] {
        builtin::build_encoding_map(obj(table)?).map(PyRef::into_raw)
    }
    /// With a BOM, in native (little-endian) order.
    fn PyUnicode_AsUTF16String(o: *mut PyObject) -> *mut PyObject [null_mut()] {
        builtin::encode(str_arg(o)?, Codec::Utf16(0), "strict").map(PyRef::into_raw)
    }
    fn PyUnicode_AsUTF32String(o: *mut PyObject) -> *mut PyObject [null_mut()] {
        builtin::encode(str_arg(o)?, Codec::Utf32(0), "strict").map(PyRef::into_raw)
    }
    fn PyUnicode_AsUnicodeEscapeString(o: *mut PyObject) -> *mut PyObject [null_mut()] {
        builtin::encode(str_arg(o)?, Codec::UnicodeEscape, "strict").map(PyRef::into_raw)
    }
    fn PyUnicode_AsRawUnicodeEscapeString(o: *mut PyObject) -> *mut PyObject [null_mut()] {
        builtin::encode(str_arg(o)?, Codec::RawUnicodeEscape, "strict").map(PyRef::into_raw)
    }
    /// Deprecated in CPython (and gone from its 3.15 headers, still in the ABI): any codec.
    fn PyUnicode_AsEncodedObject(o: *mut PyObject, encoding: *const c_char, errors: *const c_char) -> *mut PyObject [null_mut()] {
        let o = str_arg(o)?;
        codecs::encode(o, encoding_or_default(encoding)?, opt_errors(errors)?).map(PyRef::into_raw)
    }
    fn PyUnicode_AsDecodedObject(o: *mut PyObject, encoding: *const c_char, errors: *const c_char) -> *mut PyObject [null_mut()] {
        let o = str_arg(o)?;
        codecs::decode(o, encoding_or_default(encoding)?, opt_errors(errors)?).map(PyRef::into_raw)
    }
    /// A codec from str to str.
    fn PyUnicode_AsEncodedUnicode(o: *mut PyObject, encoding: *const c_char, errors: *const c_char) -> *mut PyObject [null_mut()] {
        let o = str_arg(o)?;
        let enc = encoding_or_default(encoding)?;
        let r = codecs::encode(o, enc, opt_errors(errors)?)?;
        if !unicode::check(&r) {
            return Err(raise!(TypeError, "'{}' encoder returned '{}' instead of 'str'; use codecs.encode() to encode to arbitrary types", enc, r.ob_type().name()));
        }
        Ok(r.into_raw())
    }
    fn PyUnicode_AsDecodedUnicode(o: *mut PyObject, encoding: *const c_char, errors: *const c_char) -> *mut PyObject [null_mut()] {
        let o = str_arg(o)?;
        let enc = encoding_or_default(encoding)?;
        let r = codecs::decode(o, enc, opt_errors(errors)?)?;
        if !unicode::check(&r) {
            return Err(raise!(TypeError, "'{}' decoder returned '{}' instead of 'str'; use codecs.decode() to decode to arbitrary types", enc, r.ob_type().name()));
        }
        Ok(r.into_raw())
    }
}
