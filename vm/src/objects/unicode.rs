//! `str`: PEP 393 compact strings in CPython's layout. ASCII strings are a `PyASCIIObject`
//! followed by their bytes; other strings a `PyCompactUnicodeObject` followed by latin-1,
//! UCS-2 or UCS-4 code units (the narrowest that fits), always NUL-terminated. The UTF-8 form
//! is cached on first use and lives as long as the string (what `PyUnicode_AsUTF8` promises).
//! Instances of `str` subclasses are CPython's non-compact `PyUnicodeObject`: the same header
//! with the code units in a separate block.
//!
//! Submodules: `methods` (the `str` methods, the constructor, `ord`/`chr`, the UTF-8/ASCII/
//! Latin-1 codecs), `stringlib` (the algorithms `str`, `bytes` and `bytearray` share) and
//! `tables` (character properties generated from CPython by
//! `vm/tests/data/gen_unicode_tables.py`).

use std::borrow::Cow;
use core::ffi::{c_char, c_int};
use core::mem::size_of;

use pyrite_abi::unicode_state::*;
use pyrite_abi::*;

use crate::err::PyResult;
use crate::hash;
use crate::object::{Obj, PyRef, StaticObject};
use crate::objects::iterobject::{self, index_iter_state, IndexIter};
use crate::objects::type_::{TypeObj, BUILTIN_BASETYPE_FLAGS, BUILTIN_FLAGS};
use crate::objects::{bool_, none};
use crate::slot::{arg, ret_obj};
use crate::{private_static_type, static_type};

mod methods;
pub mod stringlib;
mod tables;

pub use methods::{chr, decode, encode, from_encoded_object, is_identifier, join, lower, ord, replace, upper};

/// CPython's `PyUnicodeObject`: a compact header plus a pointer to separately allocated data.
/// Instances of `str` subclasses use it (`state.compact == 0`); `str` itself is always compact.
#[repr(C)]
pub struct PyUnicodeObject {
    pub _base: PyCompactUnicodeObject,
    pub data: *mut core::ffi::c_void,
}

/// `str % args`: printf-style formatting (`vm/src/format.rs`).
static UNICODE_AS_NUMBER: StaticObject<PyNumberMethods> =
    StaticObject::new(PyNumberMethods { nb_remainder: Some(unicode_mod), ..PyNumberMethods::EMPTY });

unsafe extern "C" fn unicode_mod(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    // SAFETY: live arguments.
    let (a, b) = unsafe { (crate::slot::arg(a), crate::slot::arg(b)) };
    if !check(a) {
        return crate::objects::none::not_implemented().into_raw();
    }
    crate::slot::ret_obj(crate::format::percent_format(a, b))
}

static_type!(PyUnicode_Type, c"str", size_of::<PyUnicodeObject>(), {
    tp_flags: BUILTIN_BASETYPE_FLAGS | Py_TPFLAGS_UNICODE_SUBCLASS | _Py_TPFLAGS_MATCH_SELF,
    tp_dealloc: Some(unicode_dealloc),
    tp_repr: Some(unicode_repr),
    tp_str: Some(unicode_str),
    tp_hash: Some(unicode_hash),
    tp_richcompare: Some(unicode_richcompare),
    tp_iter: Some(unicode_iter),
    tp_as_sequence: UNICODE_AS_SEQUENCE.0.get(),
    tp_as_mapping: UNICODE_AS_MAPPING.0.get(),
    tp_as_number: UNICODE_AS_NUMBER.0.get(),
    tp_methods: methods::UNICODE_METHODS.0.get() as *mut PyMethodDef,
    tp_new: Some(methods::unicode_new),
    tp_doc: c"str(object='') -> str\nstr(bytes_or_buffer[, encoding[, errors]]) -> str\n\nCreate a new string object from the given object. If encoding or\nerrors is specified, then the object must expose a data buffer\nthat will be decoded using the given encoding and error handler.\nOtherwise, returns the result of object.__str__() (if defined)\nor repr(object).\nencoding defaults to 'utf-8'.\nerrors defaults to 'strict'.".as_ptr(),
});

static UNICODE_AS_SEQUENCE: StaticObject<PySequenceMethods> = StaticObject::new(PySequenceMethods {
    sq_length: Some(unicode_length),
    sq_concat: Some(unicode_concat),
    sq_repeat: Some(unicode_repeat),
    sq_item: Some(unicode_item),
    sq_contains: Some(unicode_contains),
    ..PySequenceMethods::EMPTY
});

static UNICODE_AS_MAPPING: StaticObject<PyMappingMethods> = StaticObject::new(PyMappingMethods {
    mp_length: Some(unicode_length),
    mp_subscript: Some(unicode_subscript),
    mp_ass_subscript: None,
});

static_type!(PyUnicodeIter_Type, c"str_iterator", size_of::<IndexIter>(), {
    tp_flags: BUILTIN_FLAGS | Py_TPFLAGS_HAVE_GC,
    tp_dealloc: Some(iterobject::index_iter_dealloc),
    tp_traverse: Some(iterobject::index_iter_traverse),
    tp_iter: Some(iterobject::self_iter),
    tp_iternext: Some(unicodeiter_next),
    tp_methods: UNICODEITER_METHODS.0.get() as *mut PyMethodDef,
    tp_free: Some(crate::alloc::gc_del),
});

private_static_type!(_PyUnicodeASCIIIter_Type, c"str_ascii_iterator", size_of::<IndexIter>(), {
    tp_flags: BUILTIN_FLAGS | Py_TPFLAGS_HAVE_GC,
    tp_dealloc: Some(iterobject::index_iter_dealloc),
    tp_traverse: Some(iterobject::index_iter_traverse),
    tp_iter: Some(iterobject::self_iter),
    tp_iternext: Some(unicodeiter_next),
    tp_methods: UNICODEITER_METHODS.0.get() as *mut PyMethodDef,
    tp_free: Some(crate::alloc::gc_del),
});

crate::method_table!(static UNICODEITER_METHODS = [
    noargs c"__length_hint__" => unicodeiter_length_hint,
]);

const ASCII_HEADER: usize = size_of::<PyASCIIObject>();
const COMPACT_HEADER: usize = size_of::<PyCompactUnicodeObject>();

#[inline(always)]
fn ascii(o: &Obj) -> *mut PyASCIIObject {
    o.as_ptr() as *mut PyASCIIObject
}

/// Whether `o` (an exact str) is interned and immortal: its address names its value for
/// the life of the process (what lookup caches may key on).
#[inline(always)]
pub fn is_interned_immortal(o: &Obj) -> bool {
    state(o) & INTERNED_MASK >= SSTATE_INTERNED_IMMORTAL
}

#[inline(always)]
fn state(o: &Obj) -> u32 {
    // SAFETY: o is a str.
    unsafe { (*ascii(o)).state }
}

#[inline(always)]
pub fn is_ascii(o: &Obj) -> bool {
    state(o) & ASCII != 0
}

/// The kind: 1, 2 or 4 bytes per code point.
#[inline(always)]
pub fn kind(o: &Obj) -> u32 {
    (state(o) & KIND_MASK) >> KIND_SHIFT
}

/// Number of code points.
#[inline(always)]
pub fn len(o: &Obj) -> usize {
    // SAFETY: o is a str.
    unsafe { (*ascii(o)).length as usize }
}

/// Pointer to the code units.
#[inline(always)]
pub fn data(o: &Obj) -> *mut u8 {
    let st = state(o);
    if st & COMPACT == 0 {
        // SAFETY: a non-compact string (a subclass instance) has PyUnicodeObject's layout.
        return unsafe { (*(o.as_ptr() as *mut PyUnicodeObject)).data as *mut u8 };
    }
    let off = if st & ASCII != 0 { ASCII_HEADER } else { COMPACT_HEADER };
    // SAFETY: compact strings keep their data right after the header.
    unsafe { (o.as_ptr() as *mut u8).add(off) }
}

/// The code units as bytes (`len * kind` of them).
pub fn data_bytes(o: &Obj) -> &[u8] {
    // SAFETY: the data block has len * kind bytes (plus a NUL).
    unsafe { core::slice::from_raw_parts(data(o), len(o) * kind(o) as usize) }
}

/// The code point at `i`.
#[inline]
pub fn char_at(o: &Obj, i: usize) -> u32 {
    let d = data(o);
    // SAFETY: i < len, data holds code units of the kind's width.
    unsafe {
        match kind(o) {
            1 => *d.add(i) as u32,
            2 => *(d as *const u16).add(i) as u32,
            _ => *(d as *const u32).add(i),
        }
    }
}

pub fn chars(o: &Obj) -> impl Iterator<Item = u32> + '_ {
    (0..len(o)).map(move |i| char_at(o, i))
}

/// Allocates a compact string of `n` code points whose largest is `max`; the data is zeroed.
pub fn alloc(n: usize, max: u32) -> PyRef {
    let (k, is_ascii) = match max {
        0..=0x7f => (1u32, true),
        0x80..=0xff => (1, false),
        0x100..=0xffff => (2, false),
        _ => (4, false),
    };
    let header = if is_ascii { ASCII_HEADER } else { COMPACT_HEADER };
    let size = header + (n + 1) * k as usize;
    // SAFETY: PyUnicode_Type is a live static type; the block covers header and data.
    unsafe {
        let op = crate::alloc::alloc_object(PyUnicode_Type.raw(), size, false);
        assert!(!op.is_null(), "out of memory allocating a str");
        let a = op as *mut PyASCIIObject;
        (*a).length = n as Py_ssize_t;
        (*a).hash = -1;
        (*a).state = (k << KIND_SHIFT) | COMPACT | if is_ascii { ASCII } else { 0 };
        PyRef::from_raw(op)
    }
}

/// A str from Rust text.
pub fn new(s: &str) -> PyRef {
    if s.is_ascii() {
        let r = alloc(s.len(), 0);
        // SAFETY: r has room for s.len() bytes plus NUL.
        unsafe { core::ptr::copy_nonoverlapping(s.as_ptr(), data(&r), s.len()) };
        return r;
    }
    let cps: Vec<u32> = s.chars().map(|c| c as u32).collect();
    from_code_points(&cps)
}

/// A str from code points (lone surrogates allowed, as in Python).
pub fn from_code_points(cps: &[u32]) -> PyRef {
    let max = cps.iter().copied().max().unwrap_or(0);
    let r = alloc(cps.len(), max);
    let d = data(&r);
    // SAFETY: r's data has room for cps.len() units of its kind.
    unsafe {
        match kind(&r) {
            1 => cps.iter().enumerate().for_each(|(i, &c)| *d.add(i) = c as u8),
            2 => cps.iter().enumerate().for_each(|(i, &c)| *(d as *mut u16).add(i) = c as u16),
            _ => core::ptr::copy_nonoverlapping(cps.as_ptr(), d as *mut u32, cps.len()),
        }
    }
    r
}

/// Decodes UTF-8 strictly (`PyUnicode_FromStringAndSize`).
pub fn from_utf8(b: &[u8]) -> PyResult<PyRef> {
    match core::str::from_utf8(b) {
        Ok(s) => Ok(new(s)),
        // The codec raises the `UnicodeDecodeError` CPython raises (reason, range, object).
        Err(_) => crate::codecs::builtin::decode(b, None, crate::codecs::builtin::Codec::Utf8, "strict", true).map(|d| d.text),
    }
}

/// The UTF-8 form, cached in the object (`PyUnicode_AsUTF8AndSize`). Fails on lone
/// surrogates, as CPython does.
pub fn as_str(o: &Obj) -> PyResult<&str> {
    if is_ascii(o) {
        // SAFETY: ASCII data is valid UTF-8 of len bytes.
        return Ok(unsafe { core::str::from_utf8_unchecked(core::slice::from_raw_parts(data(o), len(o))) });
    }
    let c = o.as_ptr() as *mut PyCompactUnicodeObject;
    // SAFETY: non-ASCII compact strings have the compact header.
    unsafe {
        if (*c).utf8.is_null() {
            let mut s = String::with_capacity(len(o) + 8);
            for (i, cp) in chars(o).enumerate() {
                match char::from_u32(cp) {
                    Some(ch) => s.push(ch),
                    None => {
                        // CPython reports the whole run of surrogates.
                        let end = i + chars(o).skip(i).take_while(|&c| (0xd800..0xe000).contains(&c)).count();
                        let kind = crate::objects::unicode_error::Kind::Encode;
                        return Err(match crate::objects::unicode_error::new(kind, "utf-8", o, i, end, "surrogates not allowed") {
                            Ok(e) => crate::err::PyErr::from_value(e),
                            Err(e) => e,
                        });
                    }
                }
            }
            let n = s.len();
            let buf = crate::alloc::raw_malloc(n + 1) as *mut u8;
            core::ptr::copy_nonoverlapping(s.as_ptr(), buf, n);
            *buf.add(n) = 0;
            (*c).utf8 = buf as *mut c_char;
            (*c).utf8_length = n as Py_ssize_t;
        }
        Ok(core::str::from_utf8_unchecked(core::slice::from_raw_parts((*c).utf8 as *const u8, (*c).utf8_length as usize)))
    }
}

/// Text for messages: lone surrogates become U+FFFD; a non-str shows its repr-less type.
pub fn as_str_lossy(o: &Obj) -> Cow<'_, str> {
    if !check(o) {
        return Cow::Owned(format!("<{} object>", o.ob_type().name()));
    }
    match as_str(o) {
        Ok(s) => Cow::Borrowed(s),
        Err(_) => Cow::Owned(chars(o).map(|c| char::from_u32(c).unwrap_or('\u{fffd}')).collect()),
    }
}

#[inline(always)]
pub fn check(o: &Obj) -> bool {
    o.ob_type().has_flag(Py_TPFLAGS_UNICODE_SUBCLASS)
}

#[inline(always)]
pub fn check_exact(o: &Obj) -> bool {
    o.is_exact(&PyUnicode_Type)
}

/// Equality of two strs (same canonical kind, same units).
pub fn eq(a: &Obj, b: &Obj) -> bool {
    a.is(b) || (len(a) == len(b) && kind(a) == kind(b) && data_bytes(a) == data_bytes(b))
}

pub fn eq_str(a: &Obj, s: &str) -> bool {
    match as_str(a) {
        Ok(x) => x == s,
        Err(_) => false,
    }
}

pub fn hash_of(o: &Obj) -> Py_hash_t {
    // SAFETY: o is a str; the hash is cached in the header.
    unsafe {
        let a = ascii(o);
        if (*a).hash != -1 {
            return (*a).hash;
        }
        let h = hash::hash_bytes(data_bytes(o));
        (*a).hash = h;
        h
    }
}

/// Python's `repr()` of text: single quotes unless the text has ' and no ".
pub fn repr_str(s: &str) -> String {
    let cps: Vec<u32> = s.chars().map(|c| c as u32).collect();
    repr_code_points(&cps)
}

fn repr_code_points(cps: &[u32]) -> String {
    let has_single = cps.contains(&('\'' as u32));
    let has_double = cps.contains(&('"' as u32));
    let quote = if has_single && !has_double { '"' } else { '\'' };
    let mut out = String::with_capacity(cps.len() + 2);
    out.push(quote);
    for &c in cps {
        match c {
            0x5c => out.push_str("\\\\"),
            0x09 => out.push_str("\\t"),
            0x0a => out.push_str("\\n"),
            0x0d => out.push_str("\\r"),
            _ if c == quote as u32 => {
                out.push('\\');
                out.push(quote);
            }
            0..=0x1f | 0x7f => out.push_str(&format!("\\x{c:02x}")),
            _ => match char::from_u32(c) {
                Some(ch) if is_printable(ch) => out.push(ch),
                _ if c <= 0xff => out.push_str(&format!("\\x{c:02x}")),
                _ if c <= 0xffff => out.push_str(&format!("\\u{c:04x}")),
                _ => out.push_str(&format!("\\U{c:08x}")),
            },
        }
    }
    out.push(quote);
    out
}

fn is_printable(ch: char) -> bool {
    ctype::is_printable(ch as u32)
}

pub fn repr_of(o: &Obj) -> String {
    if is_ascii(o) || kind(o) == 1 {
        let cps: Vec<u32> = chars(o).collect();
        return repr_code_points(&cps);
    }
    repr_code_points(&chars(o).collect::<Vec<_>>())
}

/// The largest code point of a string of kind `k` (ASCII or not): what `alloc` needs to make
/// one of the same kind.
fn kind_max(k: u32, ascii: bool) -> u32 {
    match (k, ascii) {
        (1, true) => 0x7f,
        (1, false) => 0xff,
        (2, _) => 0xffff,
        _ => 0x10ffff,
    }
}

pub fn concat(a: &Obj, b: &Obj) -> PyRef {
    joined(&[a, b], None)
}

/// The strs `parts` (each a str, exact or not) one after the other, `sep` between each two:
/// written straight into the result, of the widest kind among them (strings are canonical:
/// a kind is the narrowest that holds the largest code point, so the result is too).
pub fn joined(parts: &[&Obj], sep: Option<&Obj>) -> PyRef {
    let seps = parts.len().saturating_sub(1);
    let sep_len = sep.map_or(0, len);
    let all = || parts.iter().copied().chain(sep.filter(|_| seps > 0));
    let total = parts.iter().map(|p| len(p)).sum::<usize>() + seps * sep_len;
    let (k, ascii) = all().fold((1, true), |(k, a), p| (k.max(kind(p)), a && is_ascii(p)));
    let r = alloc(total, kind_max(k, ascii));
    let (out, width) = (data(&r), kind(&r) as usize);
    let mut at = 0;
    let mut put = |p: &Obj| {
        let (n, pk) = (len(p), kind(p) as usize);
        // SAFETY: `r` has room for `total` code units of width `width`, and `at + n` stays
        // within it; `p`'s data holds `n` units of width `pk` <= `width`.
        unsafe {
            if pk == width {
                core::ptr::copy_nonoverlapping(data(p), out.add(at * width), n * width);
            } else {
                for i in 0..n {
                    let c = char_at(p, i);
                    match width {
                        2 => *(out as *mut u16).add(at + i) = c as u16,
                        _ => *(out as *mut u32).add(at + i) = c,
                    }
                }
            }
        }
        at += n;
    };
    for (i, p) in parts.iter().enumerate() {
        if i > 0 {
            if let Some(sep) = sep {
                put(sep);
            }
        }
        put(p);
    }
    r
}

pub fn types() -> [&'static TypeObj; 3] {
    [&PyUnicode_Type, &PyUnicodeIter_Type, &_PyUnicodeASCIIIter_Type]
}

/// The code points as a vector.
pub fn code_points(o: &Obj) -> Vec<u32> {
    match kind(o) {
        4 => {
            // SAFETY: a kind-4 string's data is len aligned u32 code points.
            unsafe { core::slice::from_raw_parts(data(o) as *const u32, len(o)) }.to_vec()
        }
        _ => chars(o).collect(),
    }
}

/// `s[start:end]` by code point indices (clamped by the caller).
pub fn substring(o: &Obj, start: usize, end: usize) -> PyRef {
    if start == 0 && end == len(o) && check_exact(o) {
        return o.new_ref();
    }
    if is_ascii(o) {
        let r = alloc(end - start, 0);
        // SAFETY: an ASCII string's data is one byte per code point and start <= end <= len;
        // r has room for end - start bytes.
        unsafe { core::ptr::copy_nonoverlapping(data(o).add(start), data(&r), end - start) };
        return r;
    }
    let cps: Vec<u32> = (start..end).map(|i| char_at(o, i)).collect();
    from_code_points(&cps)
}

/// A str of `n` copies of `o`.
pub fn repeat(o: &Obj, n: isize) -> PyResult<PyRef> {
    if n <= 0 || len(o) == 0 {
        return Ok(new(""));
    }
    if n == 1 && check_exact(o) {
        return Ok(o.new_ref());
    }
    if len(o).checked_mul(n as usize).is_none_or(|t| t > isize::MAX as usize / 4) {
        return Err(raise!(OverflowError, "repeated string is too long"));
    }
    // The first copy, then the filled part doubled until the result is full.
    let r = alloc(len(o) * n as usize, kind_max(kind(o), is_ascii(o)));
    let (out, unit) = (data(&r), len(o) * kind(o) as usize);
    let total = unit * n as usize;
    // SAFETY: `r` has `total` bytes of data, of `o`'s kind; `o`'s data has `unit` bytes; each
    // copy reads the filled part of `r` and writes after it, within `total`.
    unsafe {
        core::ptr::copy_nonoverlapping(data(o), out, unit);
        let mut filled = unit;
        while filled < total {
            let n = filled.min(total - filled);
            core::ptr::copy_nonoverlapping(out, out.add(filled), n);
            filled += n;
        }
    }
    Ok(r)
}

/// `s[key]`: a one-character string or a substring.
pub fn subscript(o: &Obj, key: &Obj) -> PyResult<PyRef> {
    use crate::objects::slice::{self, Key};
    match slice::sequence_key(key, len(o))? {
        Some(Key::Index(i)) => {
            if i < 0 || i as usize >= len(o) {
                return Err(raise!(IndexError, "string index out of range"));
            }
            Ok(from_code_points(&[char_at(o, i as usize)]))
        }
        Some(Key::Slice(r)) => {
            if r.step == 1 {
                return Ok(substring(o, r.start as usize, r.start as usize + r.len));
            }
            let cps: Vec<u32> = r.indices().map(|i| char_at(o, i)).collect();
            Ok(from_code_points(&cps))
        }
        None => Err(raise!(TypeError, "string indices must be integers, not '{}'", key.ob_type().name())),
    }
}

/// `x in s` for str `x`.
pub fn contains_str(s: &Obj, x: &Obj) -> bool {
    let (hay, needle) = (code_points(s), code_points(x));
    stringlib::find(&hay, &needle, 0, hay.len()).is_some()
}

// ---- the character database (tables generated from CPython) --------------------------------

fn in_ranges(table: &[(u32, u32)], c: u32) -> bool {
    table.binary_search_by(|&(lo, hi)| {
        if hi < c {
            core::cmp::Ordering::Less
        } else if lo > c {
            core::cmp::Ordering::Greater
        } else {
            core::cmp::Ordering::Equal
        }
    })
    .is_ok()
}

/// Character predicates as CPython's `Py_UNICODE_IS*` answer them.
pub mod ctype {
    use super::{in_ranges, tables};

    pub fn is_alpha(c: u32) -> bool {
        if c < 0x80 { (c as u8).is_ascii_alphabetic() } else { in_ranges(tables::ALPHA, c) }
    }
    pub fn is_decimal(c: u32) -> bool {
        if c < 0x80 { (c as u8).is_ascii_digit() } else { in_ranges(tables::DECIMAL, c) }
    }
    pub fn is_digit(c: u32) -> bool {
        if c < 0x80 { (c as u8).is_ascii_digit() } else { in_ranges(tables::DIGIT, c) }
    }
    pub fn is_numeric(c: u32) -> bool {
        if c < 0x80 { (c as u8).is_ascii_digit() } else { in_ranges(tables::NUMERIC, c) }
    }
    pub fn is_alnum(c: u32) -> bool {
        is_alpha(c) || is_decimal(c) || is_digit(c) || is_numeric(c)
    }
    pub fn is_printable(c: u32) -> bool {
        if c < 0x80 { (0x20..0x7f).contains(&c) } else { in_ranges(tables::PRINTABLE, c) }
    }
    pub fn is_space(c: u32) -> bool {
        if c < 0x80 { matches!(c, 0x09..=0x0d | 0x1c..=0x20) } else { in_ranges(tables::SPACE, c) }
    }
    pub fn is_linebreak(c: u32) -> bool {
        matches!(c, 0x0a..=0x0d | 0x1c..=0x1e | 0x85 | 0x2028 | 0x2029)
    }
    pub fn is_xid_start(c: u32) -> bool {
        in_ranges(tables::XID_START, c)
    }
    pub fn is_xid_continue(c: u32) -> bool {
        in_ranges(tables::XID_CONTINUE, c)
    }
    pub fn is_cased(c: u32) -> bool {
        in_ranges(tables::CASED, c)
    }
    pub fn is_case_ignorable(c: u32) -> bool {
        in_ranges(tables::CASE_IGNORABLE, c)
    }
    pub fn is_titlecase(c: u32) -> bool {
        in_ranges(tables::TITLECASE, c)
    }
    pub fn is_upper(c: u32) -> bool {
        char::from_u32(c).is_some_and(char::is_uppercase)
    }
    pub fn is_lower(c: u32) -> bool {
        char::from_u32(c).is_some_and(char::is_lowercase)
    }
}

/// Full case mappings (`_PyUnicode_ToUpperFull` and friends). Upper and lower come from Rust's
/// tables (the same Unicode version as CPython's, checked by a test); title case and case
/// folding differ from them for the characters in the generated exception tables.
pub mod case {
    use super::tables;

    fn push_mapping(out: &mut Vec<u32>, c: u32, it: impl Iterator<Item = char>) {
        if char::from_u32(c).is_none() {
            out.push(c);
        } else {
            out.extend(it.map(|ch| ch as u32));
        }
    }

    pub fn upper(c: u32, out: &mut Vec<u32>) {
        push_mapping(out, c, char::from_u32(c).into_iter().flat_map(char::to_uppercase));
    }
    pub fn lower(c: u32, out: &mut Vec<u32>) {
        push_mapping(out, c, char::from_u32(c).into_iter().flat_map(char::to_lowercase));
    }
    fn exception(table: &[(u32, [u32; 3])], c: u32, out: &mut Vec<u32>) -> bool {
        match table.binary_search_by_key(&c, |e| e.0) {
            Ok(i) => {
                out.extend(table[i].1.iter().copied().take_while(|&x| x != 0));
                true
            }
            Err(_) => false,
        }
    }
    pub fn title(c: u32, out: &mut Vec<u32>) {
        if !exception(tables::TITLE_EXCEPTIONS, c, out) {
            upper(c, out);
        }
    }
    pub fn fold(c: u32, out: &mut Vec<u32>) {
        if !exception(tables::FOLD_EXCEPTIONS, c, out) {
            lower(c, out);
        }
    }
}

// ---- slots ----------------------------------------------------------------------------------

unsafe extern "C" fn unicode_dealloc(o: *mut PyObject) {
    // SAFETY: a dead str: free the UTF-8 cache if it is a separate block, the data block of a
    // non-compact string, then the object.
    unsafe {
        let ob = arg(o);
        let compact = state(ob) & COMPACT != 0;
        let c = o as *mut PyCompactUnicodeObject;
        let data_block = if compact { core::ptr::null_mut() } else { (*(o as *mut PyUnicodeObject)).data };
        if (!is_ascii(ob) || !compact) && !(*c).utf8.is_null() && (*c).utf8 as *mut core::ffi::c_void != data_block {
            crate::alloc::raw_free((*c).utf8 as *mut _);
        }
        if !data_block.is_null() {
            crate::alloc::raw_free(data_block);
        }
        match (*(*o).ob_type).tp_free {
            Some(f) => f(o as *mut _),
            None => crate::alloc::free_object(o),
        }
    }
}

unsafe extern "C" fn unicode_repr(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: live str.
    new(&repr_of(unsafe { arg(o) })).into_raw()
}

unsafe extern "C" fn unicode_str(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: live str.
    let o = unsafe { arg(o) };
    if check_exact(o) { o.new_ref().into_raw() } else { from_code_points(&chars(o).collect::<Vec<_>>()).into_raw() }
}

unsafe extern "C" fn unicode_hash(o: *mut PyObject) -> Py_hash_t {
    // SAFETY: live str.
    hash_of(unsafe { arg(o) })
}

unsafe extern "C" fn unicode_richcompare(a: *mut PyObject, b: *mut PyObject, op: c_int) -> *mut PyObject {
    // SAFETY: live arguments.
    let (a, b) = unsafe { (arg(a), arg(b)) };
    if !check(a) || !check(b) {
        return none::not_implemented().into_raw();
    }
    let r = match op {
        Py_EQ => eq(a, b),
        Py_NE => !eq(a, b),
        _ => crate::abstract_::ordering_matches(chars(a).cmp(chars(b)), op),
    };
    bool_::new(r).into_raw()
}

unsafe extern "C" fn unicode_length(o: *mut PyObject) -> Py_ssize_t {
    // SAFETY: live str.
    len(unsafe { arg(o) }) as Py_ssize_t
}

unsafe extern "C" fn unicode_concat(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    // SAFETY: live arguments.
    let (a, b) = unsafe { (arg(a), arg(b)) };
    if !check(b) {
        return ret_obj(Err(raise!(TypeError, "can only concatenate str (not \"{}\") to str", b.ob_type().name())));
    }
    concat(a, b).into_raw()
}

unsafe extern "C" fn unicode_contains(a: *mut PyObject, b: *mut PyObject) -> c_int {
    // SAFETY: live arguments.
    let (a, b) = unsafe { (arg(a), arg(b)) };
    if !check(b) {
        crate::slot::ret_int(Err(raise!(TypeError, "'in <string>' requires string as left operand, not {}", b.ob_type().name())));
        return -1;
    }
    contains_str(a, b) as c_int
}

unsafe extern "C" fn unicode_repeat(a: *mut PyObject, n: Py_ssize_t) -> *mut PyObject {
    // SAFETY: live argument.
    ret_obj(repeat(unsafe { arg(a) }, n))
}

unsafe extern "C" fn unicode_item(a: *mut PyObject, i: Py_ssize_t) -> *mut PyObject {
    // SAFETY: live argument.
    let s = unsafe { arg(a) };
    if i < 0 || i as usize >= len(s) {
        return ret_obj(Err(raise!(IndexError, "string index out of range")));
    }
    from_code_points(&[char_at(s, i as usize)]).into_raw()
}

unsafe extern "C" fn unicode_subscript(a: *mut PyObject, key: *mut PyObject) -> *mut PyObject {
    // SAFETY: live arguments.
    ret_obj(subscript(unsafe { arg(a) }, unsafe { arg(key) }))
}

unsafe extern "C" fn unicode_iter(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: live str.
    let s = unsafe { arg(o) };
    let ty: &TypeObj = if is_ascii(s) { &_PyUnicodeASCIIIter_Type } else { &PyUnicodeIter_Type };
    iterobject::index_iter_new(ty, s, 0).into_raw()
}

unsafe extern "C" fn unicodeiter_next(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: live iterator.
    let it = unsafe { arg(o) };
    let (i, Some(seq)) = index_iter_state(it) else { return core::ptr::null_mut() };
    if i >= 0 && (i as usize) < len(seq) {
        iterobject::index_iter_set_index(it, i + 1);
        return from_code_points(&[char_at(seq, i as usize)]).into_raw();
    }
    iterobject::index_iter_exhaust(it);
    core::ptr::null_mut()
}

fn unicodeiter_length_hint(it: &Obj) -> PyResult<PyRef> {
    iterobject::forward_length_hint(it, len)
}

/// The empty string (immortal, interned).
pub fn empty_obj() -> &'static Obj {
    static EMPTY: std::sync::OnceLock<crate::object::SyncPtr<PyObject>> = std::sync::OnceLock::new();
    let p = EMPTY.get_or_init(|| crate::object::SyncPtr(crate::object::make_immortal(intern("")))).0;
    // SAFETY: made immortal above.
    unsafe { Obj::from_ptr(p) }
}

/// `ascii()`-style escaping of a repr: non-ASCII code points become `\xNN`, `\uNNNN`, `\UNNNNNNNN`.
pub fn ascii_escape(o: &Obj) -> String {
    let mut s = String::with_capacity(len(o));
    for c in chars(o) {
        match c {
            0..=0x7f => s.push(c as u8 as char),
            0x80..=0xff => s.push_str(&format!("\\x{c:02x}")),
            0x100..=0xffff => s.push_str(&format!("\\u{c:04x}")),
            _ => s.push_str(&format!("\\U{c:08x}")),
        }
    }
    s
}

/// The table of interned strings: str -> the same str (immortal, as in CPython 3.12+).
fn interned_table() -> &'static Obj {
    static TABLE: std::sync::OnceLock<crate::object::SyncPtr<PyObject>> = std::sync::OnceLock::new();
    let p = TABLE.get_or_init(|| crate::object::SyncPtr(crate::objects::dict::new().into_raw())).0;
    // SAFETY: the table is never freed.
    unsafe { Obj::from_ptr(p) }
}

/// `PyUnicode_InternInPlace` for an exact str: the canonical, immortal copy.
pub fn intern_obj(o: &Obj) -> PyResult<PyRef> {
    let table = interned_table();
    if let Some(v) = crate::objects::dict::get_item_borrowed(table, o) {
        return Ok(v.new_ref());
    }
    let canonical = if o.refcnt() == 1 || o.is_immortal() { o.new_ref() } else { from_code_points(&chars(o).collect::<Vec<_>>()) };
    crate::objects::dict::set_item(table, &canonical, &canonical)?;
    let p = crate::object::make_immortal(canonical);
    // SAFETY: p is now immortal.
    unsafe {
        (*(p as *mut PyASCIIObject)).state |= SSTATE_INTERNED_IMMORTAL;
        Ok(PyRef::from_raw(p))
    }
}

/// `PyUnicode_InternFromString`. The runtime interns the same few Rust strings over and over
/// (the dunder names a slot wrapper looks up on every call), so those are found in a Rust-side
/// index of the table first, without making a str or running SipHash.
pub fn intern(s: &str) -> PyRef {
    if let Some(p) = intern_index::get(s) {
        // SAFETY: the index holds only interned strs, which are immortal.
        return unsafe { Obj::from_ptr(p) }.new_ref();
    }
    let r = intern_obj(&new(s)).expect("interning a fresh str cannot fail");
    intern_index::insert(s, r.as_ptr());
    r
}

/// Interned strs by their Rust text (for `intern`). Only names interned from Rust go in,
/// a bounded set; the entries are immortal objects, never freed.
mod intern_index {
    use core::cell::UnsafeCell;
    use core::hash::{BuildHasherDefault, Hasher};
    use std::collections::HashMap;

    use pyrite_abi::PyObject;

    /// A multiplicative hash (FxHash's scheme): names are short and not attacker-chosen.
    #[derive(Default)]
    struct NameHasher(u64);

    impl Hasher for NameHasher {
        fn write(&mut self, bytes: &[u8]) {
            for chunk in bytes.chunks(8) {
                let mut w = [0u8; 8];
                w[..chunk.len()].copy_from_slice(chunk);
                self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(w)).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
            }
        }
        fn finish(&self) -> u64 {
            self.0
        }
    }

    struct Index(UnsafeCell<Option<HashMap<Box<str>, *mut PyObject, BuildHasherDefault<NameHasher>>>>);

    // SAFETY: used only while holding the GIL (interning makes objects).
    unsafe impl Sync for Index {}

    static INDEX: Index = Index(UnsafeCell::new(None));

    /// Past this many names the index stops growing (interning still works, the slow way).
    const MAX: usize = 4096;

    pub(super) fn get(s: &str) -> Option<*mut PyObject> {
        // SAFETY: GIL held; no reference into the map outlives this call.
        unsafe { (*INDEX.0.get()).as_ref()?.get(s).copied() }
    }

    pub(super) fn insert(s: &str, p: *mut PyObject) {
        // SAFETY: GIL held; no other reference into the map is live.
        let map = unsafe { (*INDEX.0.get()).get_or_insert_with(Default::default) };
        if map.len() < MAX {
            map.insert(s.into(), p);
        }
    }
}
