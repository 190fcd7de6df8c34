//! `unicodeobject.h`: str creation, the cached UTF-8 form, comparison and interning.

use core::ffi::{c_char, c_int};
use core::ptr::null_mut;

use pyrite_abi::*;
use pyrite_vm::objects::unicode::stringlib;
use pyrite_vm::objects::{argparse, bool_, bytes, exceptions as exc, long, none, unicode};
use pyrite_vm::{raise, Obj, PyErr, PyRef, PyResult};

use crate::boundary::{cstr, obj};
use crate::capi;

fn require_str(o: &Obj) -> PyResult<&Obj> {
    if unicode::check(o) { Ok(o) } else { Err(raise!(TypeError, "bad argument type for built-in operation")) }
}

/// What an `O&` converter returns to ask for a cleanup call on failure (`modsupport.h`).
const PY_CLEANUP_SUPPORTED: c_int = 0x20000;

/// `PyOS_FSPath`: a str or bytes as is, else the result of `__fspath__()`.
pub(crate) fn fs_path(o: &Obj) -> PyResult<PyRef> {
    if unicode::check(o) || bytes::check(o) {
        return Ok(o.new_ref());
    }
    let Some(f) = argparse::lookup_special(o, "__fspath__")? else {
        return Err(raise!(TypeError, "expected str, bytes or os.PathLike object, not {}", o.ob_type().name()));
    };
    let p = pyrite_vm::abstract_::call_no_args(&f)?;
    if !(unicode::check(&p) || bytes::check(&p)) {
        return Err(raise!(TypeError, "expected {}.__fspath__() to return str or bytes, not {}", o.ob_type().name(), p.ob_type().name()));
    }
    Ok(p)
}

/// What the translation table maps `c` to: None when undefined (mapped to None), the
/// character itself when the table has no entry.
fn translate_char(table: &Obj, c: u32) -> PyResult<Option<Vec<u32>>> {
    let v = match pyrite_vm::abstract_::getitem(table, &long::from_i64(c as i64)) {
        Ok(v) => v,
        Err(e) if e.is_instance(exc::LookupError()) => return Ok(Some(vec![c])),
        Err(e) => return Err(e),
    };
    if v.is(none::none_obj()) {
        return Ok(None);
    }
    if long::check(&v) {
        return match long::to_i64(&v) {
            Some(n) if (0..0x110000).contains(&n) => Ok(Some(vec![n as u32])),
            _ => Err(raise!(ValueError, "character mapping must be in range(0x110000)")),
        };
    }
    if unicode::check(&v) {
        return Ok(Some(unicode::code_points(&v)));
    }
    Err(raise!(TypeError, "character mapping must return integer, None or str"))
}

/// `ensure_unicode`: "must be str, not int".
fn require_str_named(o: &Obj) -> PyResult<&Obj> {
    if unicode::check(o) { Ok(o) } else { Err(raise!(TypeError, "must be str, not {}", o.ob_type().name())) }
}

/// An `errors` argument: NULL is "strict".
unsafe fn errors_arg<'a>(errors: *const c_char) -> PyResult<&'a str> {
    // SAFETY: NULL or a NUL-terminated string.
    if errors.is_null() { Ok("strict") } else { unsafe { cstr(errors) } }
}

/// The error handlers the locale codec knows (CPython's `_Py_DecodeLocaleEx` refuses others);
/// the locale's encoding is UTF-8 here.
unsafe fn locale_errors_arg<'a>(errors: *const c_char) -> PyResult<&'a str> {
    // SAFETY: NULL or a NUL-terminated string.
    let e = unsafe { errors_arg(errors) }?;
    match e {
        "strict" | "surrogateescape" | "surrogatepass" => Ok(e),
        _ => Err(raise!(ValueError, "unsupported error handler")),
    }
}

/// `PyUnicode_Split`/`RSplit`: a NULL `sep` splits on whitespace.
unsafe fn split_call(name: &str, s: *mut PyObject, sep: *mut PyObject, maxsplit: Py_ssize_t) -> PyResult<*mut PyObject> {
    // SAFETY: live arguments (or NULL sep).
    let s = require_str_named(unsafe { obj(s) }?)?;
    let none = none::none();
    let sep = unsafe { pyrite_vm::slot::opt_arg(sep) }.unwrap_or(&none);
    pyrite_vm::abstract_::call_method(s, name, &[sep, &long::from_i64(maxsplit as i64)]).map(PyRef::into_raw)
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
    // A string this long could not be allocated: CPython's MemoryError, before reading.
    if n as usize > isize::MAX as usize - 64 {
        return Err(pyrite_vm::PyErr::from_type_no_args(pyrite_vm::objects::exceptions::MemoryError()));
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
    fn PyUnicode_DecodeUTF8(s: *const c_char, n: Py_ssize_t, errors: *const c_char) -> *mut PyObject [null_mut()] {
        unicode::decode(raw_bytes(s, n)?, "utf-8", errors_arg(errors)?).map(PyRef::into_raw)
    }
    fn PyUnicode_DecodeUTF8Stateful(s: *const c_char, n: Py_ssize_t, errors: *const c_char, consumed: *mut Py_ssize_t) -> *mut PyObject [null_mut()] {
        let b = raw_bytes(s, n)?;
        // A truncated sequence at the end is left for the next call when `consumed` is given.
        let mut end = b.len();
        if !consumed.is_null()
            && let Err(e) = core::str::from_utf8(b)
            && e.error_len().is_none()
        {
            end = e.valid_up_to();
        }
        let r = unicode::decode(&b[..end], "utf-8", errors_arg(errors)?)?;
        if !consumed.is_null() { *consumed = end as Py_ssize_t; }
        Ok(r.into_raw())
    }
    fn PyUnicode_DecodeLatin1(s: *const c_char, n: Py_ssize_t, errors: *const c_char) -> *mut PyObject [null_mut()] {
        unicode::decode(raw_bytes(s, n)?, "latin-1", errors_arg(errors)?).map(PyRef::into_raw)
    }
    fn PyUnicode_DecodeASCII(s: *const c_char, n: Py_ssize_t, errors: *const c_char) -> *mut PyObject [null_mut()] {
        unicode::decode(raw_bytes(s, n)?, "ascii", errors_arg(errors)?).map(PyRef::into_raw)
    }
    /// `encoding` NULL is UTF-8; other names go through the codec registry.
    fn PyUnicode_Decode(s: *const c_char, n: Py_ssize_t, encoding: *const c_char, errors: *const c_char) -> *mut PyObject [null_mut()] {
        let enc = if encoding.is_null() { "utf-8" } else { cstr(encoding)? };
        unicode::decode(raw_bytes(s, n)?, enc, errors_arg(errors)?).map(PyRef::into_raw)
    }
    /// The filesystem encoding is UTF-8 with `surrogateescape`.
    fn PyUnicode_DecodeFSDefault(s: *const c_char) -> *mut PyObject [null_mut()] {
        if s.is_null() { return Err(crate::boundary::bad_internal_call()); }
        unicode::decode(core::ffi::CStr::from_ptr(s).to_bytes(), "utf-8", "surrogateescape").map(PyRef::into_raw)
    }
    fn PyUnicode_DecodeFSDefaultAndSize(s: *const c_char, n: Py_ssize_t) -> *mut PyObject [null_mut()] {
        unicode::decode(raw_bytes(s, n)?, "utf-8", "surrogateescape").map(PyRef::into_raw)
    }
    fn PyUnicode_EncodeFSDefault(o: *mut PyObject) -> *mut PyObject [null_mut()] {
        unicode::encode(require_str(obj(o)?)?, "utf-8", "surrogateescape").map(PyRef::into_raw)
    }
    /// Pyrite's locale encoding is UTF-8.
    fn PyUnicode_DecodeLocale(s: *const c_char, errors: *const c_char) -> *mut PyObject [null_mut()] {
        if s.is_null() { return Err(crate::boundary::bad_internal_call()); }
        unicode::decode(core::ffi::CStr::from_ptr(s).to_bytes(), "utf-8", locale_errors_arg(errors)?).map(PyRef::into_raw)
    }
    fn PyUnicode_DecodeLocaleAndSize(s: *const c_char, n: Py_ssize_t, errors: *const c_char) -> *mut PyObject [null_mut()] {
        unicode::decode(raw_bytes(s, n)?, "utf-8", locale_errors_arg(errors)?).map(PyRef::into_raw)
    }
    fn PyUnicode_EncodeLocale(o: *mut PyObject, errors: *const c_char) -> *mut PyObject [null_mut()] {
        unicode::encode(require_str(obj(o)?)?, "utf-8", locale_errors_arg(errors)?).map(PyRef::into_raw)
    }
    /// The `O&` converter to a filesystem path as bytes; with `arg` NULL, the cleanup call.
    fn PyUnicode_FSConverter(arg: *mut PyObject, addr: *mut core::ffi::c_void) -> c_int [0] {
        let out = addr as *mut *mut PyObject;
        if arg.is_null() {
            pyrite_vm::object::xdecref(*out);
            *out = null_mut();
            return Ok(1);
        }
        let path = fs_path(obj(arg)?)?;
        let b = if bytes::check(&path) { path } else { unicode::encode(&path, "utf-8", "surrogateescape")? };
        if bytes::as_bytes(&b).contains(&0) { return Err(raise!(ValueError, "embedded null byte")); }
        *out = b.into_raw();
        Ok(PY_CLEANUP_SUPPORTED)
    }
    /// The `O&` converter to a filesystem path as str; with `arg` NULL, the cleanup call.
    fn PyUnicode_FSDecoder(arg: *mut PyObject, addr: *mut core::ffi::c_void) -> c_int [0] {
        let out = addr as *mut *mut PyObject;
        if arg.is_null() {
            pyrite_vm::object::xdecref(*out);
            *out = null_mut();
            return Ok(1);
        }
        let path = fs_path(obj(arg)?)?;
        let s = if unicode::check(&path) { path } else { unicode::decode(bytes::as_bytes(&path), "utf-8", "surrogateescape")? };
        if unicode::chars(&s).any(|c| c == 0) { return Err(raise!(ValueError, "embedded null character")); }
        *out = s.into_raw();
        Ok(PY_CLEANUP_SUPPORTED)
    }
    /// Removed with the `wchar_t` representation (3.12): always an error, as CPython's.
    fn PyUnicode_GetSize(_o: *mut PyObject) -> Py_ssize_t [-1] {
        Err(raise!(RuntimeError, "PyUnicode_GetSize has been removed."))
    }
    fn PyUnicode_FromEncodedObject(o: *mut PyObject, encoding: *const c_char, errors: *const c_char) -> *mut PyObject [null_mut()] {
        let enc = if encoding.is_null() { "utf-8" } else { cstr(encoding)? };
        pyrite_vm::objects::unicode::from_encoded_object(obj(o)?, enc, errors_arg(errors)?).map(PyRef::into_raw)
    }
    /// An exact str itself; a subclass instance as an exact copy.
    fn PyUnicode_FromObject(o: *mut PyObject) -> *mut PyObject [null_mut()] {
        let o = obj(o)?;
        if unicode::check_exact(o) { return Ok(o.new_ref().into_raw()); }
        if unicode::check(o) { return Ok(unicode::from_code_points(&unicode::code_points(o)).into_raw()); }
        Err(raise!(TypeError, "Can't convert '{}' object to str implicitly", o.ob_type().name()))
    }
    fn PyUnicode_AsASCIIString(o: *mut PyObject) -> *mut PyObject [null_mut()] {
        unicode::encode(require_str(obj(o)?)?, "ascii", "strict").map(PyRef::into_raw)
    }
    fn PyUnicode_AsLatin1String(o: *mut PyObject) -> *mut PyObject [null_mut()] {
        unicode::encode(require_str(obj(o)?)?, "latin-1", "strict").map(PyRef::into_raw)
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
    fn PyUnicode_AsEncodedString(o: *mut PyObject, encoding: *const c_char, errors: *const c_char) -> *mut PyObject [null_mut()] {
        let o = require_str(obj(o)?)?;
        let enc = if encoding.is_null() { "utf-8" } else { cstr(encoding)? };
        unicode::encode(o, enc, errors_arg(errors)?).map(PyRef::into_raw)
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
    /// `format % args` (printf-style, as the `%` operator on str).
    fn PyUnicode_Format(format: *mut PyObject, args: *mut PyObject) -> *mut PyObject [null_mut()] {
        let (f, a) = (obj(format)?, obj(args)?);
        if !unicode::check(f) { return Err(crate::boundary::bad_internal_call()); }
        pyrite_vm::format::percent_format(f, a).map(PyRef::into_raw)
    }
    fn PyUnicode_RichCompare(a: *mut PyObject, b: *mut PyObject, op: c_int) -> *mut PyObject [null_mut()] {
        let (a, b) = (obj(a)?, obj(b)?);
        if !unicode::check(a) || !unicode::check(b) { return Ok(none::not_implemented().into_raw()); }
        pyrite_vm::abstract_::rich_compare_slot(a, b, op).map(PyRef::into_raw)
    }
    /// `*left += right`; on error `*left` becomes NULL. The old `*left` is released.
    fn PyUnicode_Append(left: *mut *mut PyObject, right: *mut PyObject) -> () [()] {
        if left.is_null() || (*left).is_null() { return Err(crate::boundary::bad_internal_call()); }
        let old = PyRef::from_raw(*left);
        *left = null_mut();
        let r = obj(right)?;
        if !unicode::check(&old) || !unicode::check(r) { return Err(crate::boundary::bad_internal_call()); }
        *left = unicode::concat(&old, r).into_raw();
        Ok(())
    }
    fn PyUnicode_AppendAndDel(left: *mut *mut PyObject, right: *mut PyObject) -> () [()] {
        PyUnicode_Append(left, right);
        pyrite_vm::object::xdecref(right);
        Ok(())
    }
    /// `separator.join(seq)`; a NULL separator is a space.
    fn PyUnicode_Join(sep: *mut PyObject, seq: *mut PyObject) -> *mut PyObject [null_mut()] {
        let space;
        let sep = match pyrite_vm::slot::opt_arg(sep) {
            Some(s) => require_str_named(s)?,
            None => { space = unicode::new(" "); &*space }
        };
        unicode::join(sep, obj(seq)?).map(PyRef::into_raw)
    }
    fn PyUnicode_Split(s: *mut PyObject, sep: *mut PyObject, maxsplit: Py_ssize_t) -> *mut PyObject [null_mut()] {
        split_call("split", s, sep, maxsplit)
    }
    fn PyUnicode_RSplit(s: *mut PyObject, sep: *mut PyObject, maxsplit: Py_ssize_t) -> *mut PyObject [null_mut()] {
        split_call("rsplit", s, sep, maxsplit)
    }
    fn PyUnicode_Splitlines(s: *mut PyObject, keepends: c_int) -> *mut PyObject [null_mut()] {
        let s = require_str_named(obj(s)?)?;
        pyrite_vm::abstract_::call_method(s, "splitlines", &[&bool_::new(keepends != 0)]).map(PyRef::into_raw)
    }
    fn PyUnicode_Partition(s: *mut PyObject, sep: *mut PyObject) -> *mut PyObject [null_mut()] {
        let s = require_str_named(obj(s)?)?;
        pyrite_vm::abstract_::call_method(s, "partition", &[obj(sep)?]).map(PyRef::into_raw)
    }
    fn PyUnicode_RPartition(s: *mut PyObject, sep: *mut PyObject) -> *mut PyObject [null_mut()] {
        let s = require_str_named(obj(s)?)?;
        pyrite_vm::abstract_::call_method(s, "rpartition", &[obj(sep)?]).map(PyRef::into_raw)
    }
    fn PyUnicode_Replace(s: *mut PyObject, old: *mut PyObject, new: *mut PyObject, maxcount: Py_ssize_t) -> *mut PyObject [null_mut()] {
        let (s, old, new) = (require_str_named(obj(s)?)?, require_str_named(obj(old)?)?, require_str_named(obj(new)?)?);
        Ok(unicode::replace(s, old, new, maxcount).into_raw())
    }
    /// The index of `sub` in `s[start:end]` (`direction` > 0: first, else last), -1 if absent,
    /// -2 on error.
    fn PyUnicode_Find(s: *mut PyObject, sub: *mut PyObject, start: Py_ssize_t, end: Py_ssize_t, direction: c_int) -> Py_ssize_t [-2] {
        let (s, sub) = (require_str_named(obj(s)?)?, require_str_named(obj(sub)?)?);
        let (hay, needle) = (unicode::code_points(s), unicode::code_points(sub));
        let (a, b) = argparse::adjust_range(Some(start), Some(end), hay.len());
        let r = if direction > 0 { stringlib::find(&hay, &needle, a, b) } else { stringlib::rfind(&hay, &needle, a, b) };
        Ok(r.map_or(-1, |i| i as Py_ssize_t))
    }
    fn PyUnicode_FindChar(s: *mut PyObject, ch: Py_UCS4, start: Py_ssize_t, end: Py_ssize_t, direction: c_int) -> Py_ssize_t [-2] {
        let s = require_str_named(obj(s)?)?;
        let hay = unicode::code_points(s);
        let (a, b) = argparse::adjust_range(Some(start), Some(end), hay.len());
        let r = if direction > 0 { stringlib::find(&hay, &[ch], a, b) } else { stringlib::rfind(&hay, &[ch], a, b) };
        Ok(r.map_or(-1, |i| i as Py_ssize_t))
    }
    fn PyUnicode_Count(s: *mut PyObject, sub: *mut PyObject, start: Py_ssize_t, end: Py_ssize_t) -> Py_ssize_t [-1] {
        let (s, sub) = (require_str_named(obj(s)?)?, require_str_named(obj(sub)?)?);
        let (hay, needle) = (unicode::code_points(s), unicode::code_points(sub));
        let (a, b) = argparse::adjust_range(Some(start), Some(end), hay.len());
        Ok(stringlib::count(&hay, &needle, a, b, usize::MAX) as Py_ssize_t)
    }
    fn PyUnicode_Contains(container: *mut PyObject, element: *mut PyObject) -> c_int [-1] {
        let (c, e) = (obj(container)?, obj(element)?);
        if !unicode::check(e) {
            return Err(raise!(TypeError, "'in <string>' requires string as left operand, not {}", e.ob_type().name()));
        }
        Ok(unicode::contains_str(require_str_named(c)?, e) as c_int)
    }
    /// Whether `s[start:end]` starts (`direction` < 0) or ends (> 0) with `sub`.
    fn PyUnicode_Tailmatch(s: *mut PyObject, sub: *mut PyObject, start: Py_ssize_t, end: Py_ssize_t, direction: c_int) -> Py_ssize_t [-1] {
        let (s, sub) = (require_str_named(obj(s)?)?, require_str_named(obj(sub)?)?);
        let name = if direction > 0 { "endswith" } else { "startswith" };
        let r = pyrite_vm::abstract_::call_method(s, name, &[sub, &long::from_i64(start as i64), &long::from_i64(end as i64)])?;
        Ok(pyrite_vm::abstract_::is_true(&r)? as Py_ssize_t)
    }
    /// The charmap translation (not `str.translate`): a character missing from the table is
    /// copied; one mapped to None is undefined and goes, with the run of undefined ones after
    /// it, to the `errors` handler.
    fn PyUnicode_Translate(s: *mut PyObject, table: *mut PyObject, errors: *const c_char) -> *mut PyObject [null_mut()] {
        let s = require_str_named(obj(s)?)?;
        // CPython's PyErr_BadArgument for a NULL table.
        if table.is_null() { return Err(raise!(TypeError, "bad argument type for built-in operation")); }
        let table = obj(table)?;
        let errors = if errors.is_null() { "strict" } else { cstr(errors)? };
        let cps = unicode::code_points(s);
        let mut out = Vec::with_capacity(cps.len());
        let mut i = 0;
        while i < cps.len() {
            if let Some(mapped) = translate_char(table, cps[i])? {
                out.extend(mapped);
                i += 1;
                continue;
            }
            let mut end = i + 1;
            while end < cps.len() && translate_char(table, cps[end])?.is_none() {
                end += 1;
            }
            let handler = pyrite_vm::codecs::lookup_error(errors)?;
            let args = [s.new_ref(), long::from_i64(i as i64), long::from_i64(end as i64), unicode::new("character maps to <undefined>")];
            let e = pyrite_vm::abstract_::call(exc::UnicodeTranslateError(), &pyrite_vm::objects::tuple::new_from_owned(args.to_vec()), None)?;
            let r = pyrite_vm::abstract_::call_one_arg(&handler, &e)?;
            let parts = pyrite_vm::objects::tuple::check(&r).then(|| pyrite_vm::objects::tuple::items(&r)).filter(|p| p.len() == 2);
            let Some([repl, pos]) = parts.map(|p| [p[0], p[1]]) else {
                return Err(raise!(TypeError, "encoding error handler must return (str, int) tuple"));
            };
            if !unicode::check(repl) {
                return Err(raise!(TypeError, "encoding error handler must return (str, int) tuple"));
            }
            out.extend(unicode::code_points(repl));
            let pos = long::to_i64(pos).ok_or_else(|| raise!(TypeError, "encoding error handler must return (str, int) tuple"))?;
            let pos = if pos < 0 { pos + cps.len() as i64 } else { pos };
            if pos < 0 || pos > cps.len() as i64 {
                return Err(raise!(IndexError, "position {} from error handler out of bounds", pos));
            }
            i = pos as usize;
        }
        Ok(unicode::from_code_points(&out).into_raw())
    }
    fn PyUnicode_IsIdentifier(s: *mut PyObject) -> c_int [-1] {
        Ok(unicode::is_identifier(require_str(obj(s)?)?) as c_int)
    }
    /// Copies the code points into `buf` (of `buflen` units), plus a NUL if `copy_null`.
    fn PyUnicode_AsUCS4(s: *mut PyObject, buf: *mut Py_UCS4, buflen: Py_ssize_t, copy_null: c_int) -> *mut Py_UCS4 [null_mut()] {
        let s = obj(s)?;
        if buf.is_null() || buflen < 0 || !unicode::check(s) { return Err(crate::boundary::bad_internal_call()); }
        let cps = unicode::code_points(s);
        let need = cps.len() + (copy_null != 0) as usize;
        if (buflen as usize) < need {
            return Err(raise!(SystemError, "string is longer than the buffer"));
        }
        core::ptr::copy_nonoverlapping(cps.as_ptr(), buf, cps.len());
        if copy_null != 0 { *buf.add(cps.len()) = 0; }
        Ok(buf)
    }
    /// A NUL-terminated copy of the code points, to be freed with `PyMem_Free`.
    fn PyUnicode_AsUCS4Copy(s: *mut PyObject) -> *mut Py_UCS4 [null_mut()] {
        let s = require_str_named(obj(s)?)?;
        let cps = unicode::code_points(s);
        let p = pyrite_vm::alloc::raw_malloc((cps.len() + 1) * 4) as *mut Py_UCS4;
        if p.is_null() { return Err(PyErr::from_type_no_args(exc::MemoryError())); }
        core::ptr::copy_nonoverlapping(cps.as_ptr(), p, cps.len());
        *p.add(cps.len()) = 0;
        Ok(p)
    }
    /// Copies at most `size` `wchar_t` (32-bit on Linux); a NUL only if it fits. Returns the
    /// number copied.
    fn PyUnicode_AsWideChar(s: *mut PyObject, w: *mut libc_wchar, size: Py_ssize_t) -> Py_ssize_t [-1] {
        let s = require_str_named(obj(s)?)?;
        let cps = unicode::code_points(s);
        if w.is_null() { return Ok(cps.len() as Py_ssize_t + 1); }
        let n = cps.len().min(size.max(0) as usize);
        for (i, &c) in cps[..n].iter().enumerate() { *w.add(i) = c as libc_wchar; }
        if n < size.max(0) as usize { *w.add(n) = 0; }
        Ok(n as Py_ssize_t)
    }
    /// A NUL-terminated `wchar_t` copy (`PyMem_Free` it); without `size`, an embedded NUL is
    /// an error.
    fn PyUnicode_AsWideCharString(s: *mut PyObject, size: *mut Py_ssize_t) -> *mut libc_wchar [null_mut()] {
        let s = require_str_named(obj(s)?)?;
        let cps = unicode::code_points(s);
        if size.is_null() && cps.contains(&0) { return Err(raise!(ValueError, "embedded null character")); }
        let p = pyrite_vm::alloc::raw_malloc((cps.len() + 1) * 4) as *mut libc_wchar;
        if p.is_null() { return Err(PyErr::from_type_no_args(exc::MemoryError())); }
        for (i, &c) in cps.iter().enumerate() { *p.add(i) = c as libc_wchar; }
        *p.add(cps.len()) = 0;
        if !size.is_null() { *size = cps.len() as Py_ssize_t; }
        Ok(p)
    }
    /// Writes one code point into a string nobody else uses yet (count 1, hash not computed,
    /// not interned) and whose kind can hold it.
    fn PyUnicode_WriteChar(s: *mut PyObject, index: Py_ssize_t, ch: Py_UCS4) -> c_int [-1] {
        // CPython: PyErr_BadArgument for a non-str.
        let s = require_str(obj(s)?)?;
        if index < 0 || index as usize >= unicode::len(s) { return Err(raise!(IndexError, "string index out of range")); }
        let a = s.as_ptr() as *mut PyASCIIObject;
        if s.refcnt() != 1 || (*a).hash != -1 || (*a).state & pyrite_abi::unicode_state::INTERNED_MASK != 0 {
            return Err(raise!(SystemError, "Cannot modify a string currently used"));
        }
        let kind = unicode::kind(s);
        let max = if unicode::is_ascii(s) { 0x7f } else { match kind { 1 => 0xff, 2 => 0xffff, _ => 0x10ffff } };
        if ch > max { return Err(raise!(ValueError, "character out of range")); }
        let d = unicode::data(s);
        match kind {
            1 => *d.add(index as usize) = ch as u8,
            2 => *(d as *mut u16).add(index as usize) = ch as u16,
            _ => *(d as *mut u32).add(index as usize) = ch,
        }
        Ok(0)
    }
    /// Replaces `*p` with a copy of `length` code points (truncated, or padded with NULs).
    fn PyUnicode_Resize(p: *mut *mut PyObject, length: Py_ssize_t) -> c_int [-1] {
        if p.is_null() || (*p).is_null() || length < 0 { return Err(crate::boundary::bad_internal_call()); }
        let s = obj(*p)?;
        if !unicode::check(s) { return Err(crate::boundary::bad_internal_call()); }
        // The same length keeps the same object, as in CPython.
        if unicode::len(s) == length as usize { return Ok(0); }
        // Past what any allocation could hold (4 bytes a code point at most): MemoryError.
        if length as usize > (isize::MAX as usize - 64) / 4 {
            return Err(pyrite_vm::PyErr::from_type_no_args(pyrite_vm::objects::exceptions::MemoryError()));
        }
        if length == 0 {
            pyrite_vm::object::decref(*p);
            *p = unicode::empty_obj().new_ref().into_raw();
            return Ok(0);
        }
        let mut cps = unicode::code_points(s);
        cps.resize(length as usize, 0);
        let n = unicode::from_code_points(&cps);
        pyrite_vm::object::decref(*p);
        *p = n.into_raw();
        Ok(0)
    }
    fn PyUnicode_InternImmortal(p: *mut *mut PyObject) -> () [()] {
        PyUnicode_InternInPlace(p);
        Ok(())
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
        // -1 means "up to the NUL"; other negative sizes are an error.
        if n < -1 { return Err(crate::boundary::bad_internal_call()); }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn s(x: &str) -> PyRef {
        unicode::new(x)
    }
    fn repr(p: *mut PyObject) -> String {
        // SAFETY: a live object.
        unicode::as_str_lossy(&pyrite_vm::abstract_::repr(unsafe { Obj::from_ptr(p) }).unwrap()).into_owned()
    }

    #[test]
    fn str_functions_follow_cpython() {
        crate::initialize();
        // SAFETY: C API calls with live arguments.
        unsafe {
            let hay = s("abcabc");
            assert_eq!(PyUnicode_Find(hay.as_ptr(), s("c").as_ptr(), 0, 6, 1), 2);
            assert_eq!(PyUnicode_Find(hay.as_ptr(), s("c").as_ptr(), 0, 6, -1), 5);
            assert_eq!(PyUnicode_Find(hay.as_ptr(), s("x").as_ptr(), 0, 6, 1), -1);
            assert_eq!(PyUnicode_Find(hay.as_ptr(), long::from_i64(1).as_ptr(), 0, 6, 1), -2);
            drop(PyErr::take());
            assert_eq!(PyUnicode_FindChar(hay.as_ptr(), 'b' as u32, 2, 6, 1), 4);
            assert_eq!(PyUnicode_Count(hay.as_ptr(), s("bc").as_ptr(), 0, Py_ssize_t::MAX), 2);
            assert_eq!(PyUnicode_Tailmatch(hay.as_ptr(), s("abc").as_ptr(), 0, 6, 1), 1);
            assert_eq!(PyUnicode_Tailmatch(hay.as_ptr(), s("bc").as_ptr(), 0, 6, -1), 0);
            assert_eq!(PyUnicode_Contains(hay.as_ptr(), s("ca").as_ptr()), 1);
            let parts = PyUnicode_Split(s(" a  b ").as_ptr(), null_mut(), -1);
            assert_eq!(repr(parts), "['a', 'b']");
            let joined = PyUnicode_Join(null_mut(), parts);
            assert_eq!(repr(joined), "'a b'");
            let r = PyUnicode_Replace(hay.as_ptr(), s("b").as_ptr(), s("").as_ptr(), 1);
            assert_eq!(repr(r), "'acabc'");
            let d = PyUnicode_DecodeUTF8(c"a\xffb".as_ptr(), 3, c"replace".as_ptr());
            assert_eq!(repr(d), "'a\u{fffd}b'");
            let e = PyUnicode_AsEncodedString(s("h\u{e9}").as_ptr(), c"ascii".as_ptr(), c"backslashreplace".as_ptr());
            assert_eq!(repr(e), "b'h\\\\xe9'");
            let mut buf = [0u32; 4];
            assert!(!PyUnicode_AsUCS4(s("\u{1f600}x").as_ptr(), buf.as_mut_ptr(), 4, 1).is_null());
            assert_eq!(buf[..3], [0x1f600, 'x' as u32, 0]);
            let mut n = 0;
            let w = PyUnicode_AsWideCharString(s("hé").as_ptr(), &mut n);
            assert_eq!((n, *w, *w.add(1), *w.add(2)), (2, 'h' as i32, 0xe9, 0));
            pyrite_vm::alloc::raw_free(w as *mut _);
            let fresh = unicode::from_code_points(&[0x61, 0x62]).into_raw();
            assert_eq!(PyUnicode_WriteChar(fresh, 1, 'z' as u32), 0);
            assert_eq!(repr(fresh), "'az'");
            let mut p = fresh;
            assert_eq!(PyUnicode_Resize(&mut p, 4), 0);
            assert_eq!(repr(p), "'az\\x00\\x00'");
            assert_eq!(PyUnicode_IsIdentifier(s("_x1").as_ptr()), 1);
            for o in [parts, joined, r, d, e, p] {
                pyrite_vm::object::decref(o);
            }
        }
    }
}

#[cfg(test)]
mod fs_tests {
    use super::*;

    #[test]
    fn fs_converters() {
        crate::initialize();
        // SAFETY: C API calls with live arguments.
        unsafe {
            let mut out: *mut PyObject = null_mut();
            let s = unicode::from_code_points(&[0x61, 0xdcff]);
            assert_eq!(PyUnicode_FSConverter(s.as_ptr(), &mut out as *mut _ as *mut _), PY_CLEANUP_SUPPORTED);
            assert_eq!(bytes::as_bytes(Obj::from_ptr(out)), b"a\xff", "surrogateescape");
            assert_eq!(PyUnicode_FSConverter(null_mut(), &mut out as *mut _ as *mut _), 1);
            assert!(out.is_null());
            assert_eq!(PyUnicode_FSDecoder(bytes::new(b"a\xff").as_ptr(), &mut out as *mut _ as *mut _), PY_CLEANUP_SUPPORTED);
            assert_eq!(unicode::code_points(Obj::from_ptr(out)), [0x61, 0xdcff]);
            pyrite_vm::object::decref(out);
            assert_eq!(PyUnicode_FSDecoder(unicode::new("a\0b").as_ptr(), &mut out as *mut _ as *mut _), 0);
            assert_eq!(format!("{:?}", PyErr::take().unwrap()), "ValueError: embedded null character");
            assert_eq!(PyUnicode_FSConverter(long::from_i64(1).as_ptr(), &mut out as *mut _ as *mut _), 0);
            assert_eq!(format!("{:?}", PyErr::take().unwrap()), "TypeError: expected str, bytes or os.PathLike object, not int");
        }
    }
}
