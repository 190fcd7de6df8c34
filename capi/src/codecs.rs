//! `codecs.h` (`PyCodec_*`: the registry, codec lookup, the standard error handlers) and the
//! `PyUnicode{Encode,Decode,Translate}Error_*` accessors of `pyerrors.h`.

use core::ffi::{c_char, c_int};
use core::ptr::null_mut;

use pyrite_abi::*;
use pyrite_vm::codecs::{self, errors::Standard};
use pyrite_vm::objects::unicode_error::{self, Kind};
use pyrite_vm::objects::{bytes, long, tuple, unicode};
use pyrite_vm::{raise, Obj, PyRef, PyResult};

use crate::boundary::{cstr, obj};
use crate::capi;

/// An optional `errors` argument (NULL: the codec's default).
unsafe fn opt_errors<'a>(errors: *const c_char) -> PyResult<Option<&'a str>> {
    // SAFETY: NULL or a NUL-terminated string.
    if errors.is_null() { Ok(None) } else { unsafe { cstr(errors) }.map(Some) }
}

unsafe fn standard(h: Standard, exc: *mut PyObject) -> PyResult<*mut PyObject> {
    // SAFETY: a live object (or NULL, refused).
    codecs::errors::run_standard(h, unsafe { obj(exc) }?).map(PyRef::into_raw)
}

/// `check_unicode_error_type`: "expecting a UnicodeEncodeError object, got int". Pyrite
/// accepts the three concrete kinds (plain `UnicodeError` has no such fields).
unsafe fn error_of<'a>(o: *mut PyObject, kind: Kind) -> PyResult<&'a Obj> {
    // SAFETY: a live object.
    let o = unsafe { obj(o) }?;
    if unicode_error::check(o) {
        Ok(o)
    } else {
        Err(raise!(TypeError, "expecting a {} object, got {}", kind.type_name(), o.ob_type().name()))
    }
}

capi! {
    fn PyUnicodeEncodeError_GetStart(e: *mut PyObject, start: *mut Py_ssize_t) -> c_int [-1] {
        let e = error_of(e, Kind::Encode)?;
        *start = unicode_error::clipped_range(e, Kind::Encode == Kind::Decode)?.0 as Py_ssize_t;
        Ok(0)
    }
    fn PyUnicodeEncodeError_GetEnd(e: *mut PyObject, end: *mut Py_ssize_t) -> c_int [-1] {
        let e = error_of(e, Kind::Encode)?;
        *end = unicode_error::clipped_range(e, Kind::Encode == Kind::Decode)?.1 as Py_ssize_t;
        Ok(0)
    }
    fn PyUnicodeEncodeError_SetStart(e: *mut PyObject, start: Py_ssize_t) -> c_int [-1] {
        unicode_error::set_start(error_of(e, Kind::Encode)?, start);
        Ok(0)
    }
    fn PyUnicodeEncodeError_SetEnd(e: *mut PyObject, end: Py_ssize_t) -> c_int [-1] {
        unicode_error::set_end(error_of(e, Kind::Encode)?, end);
        Ok(0)
    }
    fn PyUnicodeEncodeError_GetReason(e: *mut PyObject) -> *mut PyObject [null_mut()] {
        unicode_error::reason(error_of(e, Kind::Encode)?).map(PyRef::into_raw)
    }
    fn PyUnicodeEncodeError_SetReason(e: *mut PyObject, reason: *const c_char) -> c_int [-1] {
        let e = error_of(e, Kind::Encode)?;
        unicode_error::set_reason(e, cstr(reason)?);
        Ok(0)
    }
    fn PyUnicodeEncodeError_GetObject(e: *mut PyObject) -> *mut PyObject [null_mut()] {
        unicode_error::object(error_of(e, Kind::Encode)?, Kind::Encode == Kind::Decode).map(PyRef::into_raw)
    }
    fn PyUnicodeDecodeError_GetStart(e: *mut PyObject, start: *mut Py_ssize_t) -> c_int [-1] {
        let e = error_of(e, Kind::Decode)?;
        *start = unicode_error::clipped_range(e, Kind::Decode == Kind::Decode)?.0 as Py_ssize_t;
        Ok(0)
    }
    fn PyUnicodeDecodeError_GetEnd(e: *mut PyObject, end: *mut Py_ssize_t) -> c_int [-1] {
        let e = error_of(e, Kind::Decode)?;
        *end = unicode_error::clipped_range(e, Kind::Decode == Kind::Decode)?.1 as Py_ssize_t;
        Ok(0)
    }
    fn PyUnicodeDecodeError_SetStart(e: *mut PyObject, start: Py_ssize_t) -> c_int [-1] {
        unicode_error::set_start(error_of(e, Kind::Decode)?, start);
        Ok(0)
    }
    fn PyUnicodeDecodeError_SetEnd(e: *mut PyObject, end: Py_ssize_t) -> c_int [-1] {
        unicode_error::set_end(error_of(e, Kind::Decode)?, end);
        Ok(0)
    }
    fn PyUnicodeDecodeError_GetReason(e: *mut PyObject) -> *mut PyObject [null_mut()] {
        unicode_error::reason(error_of(e, Kind::Decode)?).map(PyRef::into_raw)
    }
    fn PyUnicodeDecodeError_SetReason(e: *mut PyObject, reason: *const c_char) -> c_int [-1] {
        let e = error_of(e, Kind::Decode)?;
        unicode_error::set_reason(e, cstr(reason)?);
        Ok(0)
    }
    fn PyUnicodeDecodeError_GetObject(e: *mut PyObject) -> *mut PyObject [null_mut()] {
        unicode_error::object(error_of(e, Kind::Decode)?, Kind::Decode == Kind::Decode).map(PyRef::into_raw)
    }
    fn PyUnicodeTranslateError_GetStart(e: *mut PyObject, start: *mut Py_ssize_t) -> c_int [-1] {
        let e = error_of(e, Kind::Translate)?;
        *start = unicode_error::clipped_range(e, Kind::Translate == Kind::Decode)?.0 as Py_ssize_t;
        Ok(0)
    }
    fn PyUnicodeTranslateError_GetEnd(e: *mut PyObject, end: *mut Py_ssize_t) -> c_int [-1] {
        let e = error_of(e, Kind::Translate)?;
        *end = unicode_error::clipped_range(e, Kind::Translate == Kind::Decode)?.1 as Py_ssize_t;
        Ok(0)
    }
    fn PyUnicodeTranslateError_SetStart(e: *mut PyObject, start: Py_ssize_t) -> c_int [-1] {
        unicode_error::set_start(error_of(e, Kind::Translate)?, start);
        Ok(0)
    }
    fn PyUnicodeTranslateError_SetEnd(e: *mut PyObject, end: Py_ssize_t) -> c_int [-1] {
        unicode_error::set_end(error_of(e, Kind::Translate)?, end);
        Ok(0)
    }
    fn PyUnicodeTranslateError_GetReason(e: *mut PyObject) -> *mut PyObject [null_mut()] {
        unicode_error::reason(error_of(e, Kind::Translate)?).map(PyRef::into_raw)
    }
    fn PyUnicodeTranslateError_SetReason(e: *mut PyObject, reason: *const c_char) -> c_int [-1] {
        let e = error_of(e, Kind::Translate)?;
        unicode_error::set_reason(e, cstr(reason)?);
        Ok(0)
    }
    fn PyUnicodeTranslateError_GetObject(e: *mut PyObject) -> *mut PyObject [null_mut()] {
        unicode_error::object(error_of(e, Kind::Translate)?, Kind::Translate == Kind::Decode).map(PyRef::into_raw)
    }
}

capi! {
    fn PyUnicodeEncodeError_GetEncoding(e: *mut PyObject) -> *mut PyObject [null_mut()] {
        unicode_error::encoding(error_of(e, Kind::Encode)?).map(PyRef::into_raw)
    }
    fn PyUnicodeDecodeError_GetEncoding(e: *mut PyObject) -> *mut PyObject [null_mut()] {
        unicode_error::encoding(error_of(e, Kind::Decode)?).map(PyRef::into_raw)
    }
    /// `UnicodeDecodeError(encoding, bytes(object[:length]), start, end, reason)`.
    fn PyUnicodeDecodeError_Create(encoding: *const c_char, object: *const c_char, length: Py_ssize_t, start: Py_ssize_t, end: Py_ssize_t, reason: *const c_char) -> *mut PyObject [null_mut()] {
        if length < 0 || (object.is_null() && length > 0) { return Err(crate::boundary::bad_internal_call()); }
        let data = if length == 0 { &[][..] } else { core::slice::from_raw_parts(object as *const u8, length as usize) };
        let args = tuple::new_from_owned(vec![
            unicode::from_utf8(core::ffi::CStr::from_ptr(encoding).to_bytes())?,
            bytes::new(data),
            long::from_i64(start as i64),
            long::from_i64(end as i64),
            unicode::from_utf8(core::ffi::CStr::from_ptr(reason).to_bytes())?,
        ]);
        pyrite_vm::abstract_::call(Kind::Decode.type_obj(), &args, None).map(PyRef::into_raw)
    }

    fn PyCodec_Register(search: *mut PyObject) -> c_int [-1] {
        codecs::register(obj(search)?).map(|_| 0)
    }
    fn PyCodec_Unregister(search: *mut PyObject) -> c_int [-1] {
        codecs::unregister(obj(search)?).map(|_| 0)
    }
    /// 1 if the registry finds the encoding, else 0 (any error is cleared).
    fn PyCodec_KnownEncoding(encoding: *const c_char) -> c_int [0] {
        Ok(match cstr(encoding) {
            Ok(e) => codecs::known(e) as c_int,
            Err(_) => 0,
        })
    }
    fn PyCodec_Encode(o: *mut PyObject, encoding: *const c_char, errors: *const c_char) -> *mut PyObject [null_mut()] {
        codecs::encode(obj(o)?, cstr(encoding)?, opt_errors(errors)?).map(PyRef::into_raw)
    }
    fn PyCodec_Decode(o: *mut PyObject, encoding: *const c_char, errors: *const c_char) -> *mut PyObject [null_mut()] {
        codecs::decode(obj(o)?, cstr(encoding)?, opt_errors(errors)?).map(PyRef::into_raw)
    }
    fn PyCodec_Encoder(encoding: *const c_char) -> *mut PyObject [null_mut()] {
        codecs::codec_item(cstr(encoding)?, 0).map(PyRef::into_raw)
    }
    fn PyCodec_Decoder(encoding: *const c_char) -> *mut PyObject [null_mut()] {
        codecs::codec_item(cstr(encoding)?, 1).map(PyRef::into_raw)
    }
    fn PyCodec_IncrementalEncoder(encoding: *const c_char, errors: *const c_char) -> *mut PyObject [null_mut()] {
        codecs::incremental(cstr(encoding)?, opt_errors(errors)?, "incrementalencoder").map(PyRef::into_raw)
    }
    fn PyCodec_IncrementalDecoder(encoding: *const c_char, errors: *const c_char) -> *mut PyObject [null_mut()] {
        codecs::incremental(cstr(encoding)?, opt_errors(errors)?, "incrementaldecoder").map(PyRef::into_raw)
    }
    fn PyCodec_StreamReader(encoding: *const c_char, stream: *mut PyObject, errors: *const c_char) -> *mut PyObject [null_mut()] {
        codecs::stream_codec(cstr(encoding)?, obj(stream)?, opt_errors(errors)?, 2).map(PyRef::into_raw)
    }
    fn PyCodec_StreamWriter(encoding: *const c_char, stream: *mut PyObject, errors: *const c_char) -> *mut PyObject [null_mut()] {
        codecs::stream_codec(cstr(encoding)?, obj(stream)?, opt_errors(errors)?, 3).map(PyRef::into_raw)
    }
    fn PyCodec_RegisterError(name: *const c_char, error: *mut PyObject) -> c_int [-1] {
        codecs::register_error(cstr(name)?, obj(error)?).map(|_| 0)
    }
    /// A NULL name is "strict".
    fn PyCodec_LookupError(name: *const c_char) -> *mut PyObject [null_mut()] {
        let n = if name.is_null() { "strict" } else { cstr(name)? };
        codecs::lookup_error(n).map(PyRef::into_raw)
    }
    fn PyCodec_StrictErrors(exc: *mut PyObject) -> *mut PyObject [null_mut()] {
        standard(Standard::Strict, exc)
    }
    fn PyCodec_IgnoreErrors(exc: *mut PyObject) -> *mut PyObject [null_mut()] {
        standard(Standard::Ignore, exc)
    }
    fn PyCodec_ReplaceErrors(exc: *mut PyObject) -> *mut PyObject [null_mut()] {
        standard(Standard::Replace, exc)
    }
    fn PyCodec_XMLCharRefReplaceErrors(exc: *mut PyObject) -> *mut PyObject [null_mut()] {
        standard(Standard::XmlCharRefReplace, exc)
    }
    fn PyCodec_BackslashReplaceErrors(exc: *mut PyObject) -> *mut PyObject [null_mut()] {
        standard(Standard::BackslashReplace, exc)
    }
    fn PyCodec_NameReplaceErrors(exc: *mut PyObject) -> *mut PyObject [null_mut()] {
        standard(Standard::NameReplace, exc)
    }
}

