//! `str`: PEP 393 compact strings in CPython's layout. ASCII strings are a `PyASCIIObject`
//! followed by their bytes; other strings a `PyCompactUnicodeObject` followed by latin-1,
//! UCS-2 or UCS-4 code units (the narrowest that fits), always NUL-terminated. The UTF-8 form
//! is cached on first use and lives as long as the string (what `PyUnicode_AsUTF8` promises).

use std::borrow::Cow;
use core::ffi::{c_char, c_int};
use core::mem::size_of;

use pyrite_abi::unicode_state::*;
use pyrite_abi::*;

use crate::err::PyResult;
use crate::hash;
use crate::object::{Obj, PyRef, StaticObject};
use crate::objects::type_::{TypeObj, BUILTIN_BASETYPE_FLAGS};
use crate::objects::{bool_, none};
use crate::slot::{arg, ret_obj};
use crate::static_type;

static_type!(PyUnicode_Type, c"str", size_of::<PyCompactUnicodeObject>(), {
    tp_flags: BUILTIN_BASETYPE_FLAGS | Py_TPFLAGS_UNICODE_SUBCLASS | _Py_TPFLAGS_MATCH_SELF,
    tp_dealloc: Some(unicode_dealloc),
    tp_repr: Some(unicode_repr),
    tp_str: Some(unicode_str),
    tp_hash: Some(unicode_hash),
    tp_richcompare: Some(unicode_richcompare),
    tp_as_sequence: UNICODE_AS_SEQUENCE.0.get(),
    tp_doc: c"str(object='') -> str".as_ptr(),
});

static UNICODE_AS_SEQUENCE: StaticObject<PySequenceMethods> = StaticObject::new(PySequenceMethods {
    sq_length: Some(unicode_length),
    sq_concat: Some(unicode_concat),
    sq_contains: Some(unicode_contains),
    ..PySequenceMethods::EMPTY
});

const ASCII_HEADER: usize = size_of::<PyASCIIObject>();
const COMPACT_HEADER: usize = size_of::<PyCompactUnicodeObject>();

#[inline(always)]
fn ascii(o: &Obj) -> *mut PyASCIIObject {
    o.as_ptr() as *mut PyASCIIObject
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
    let off = if is_ascii(o) { ASCII_HEADER } else { COMPACT_HEADER };
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
        Err(e) => {
            let pos = e.valid_up_to();
            Err(raise!(
                UnicodeDecodeError,
                "'utf-8' codec can't decode byte 0x{:02x} in position {}: invalid start byte",
                b[pos],
                pos
            ))
        }
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
                        return Err(raise!(
                            UnicodeEncodeError,
                            "'utf-8' codec can't encode character '\\u{:x}' in position {}: surrogates not allowed",
                            cp,
                            i
                        ));
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

/// An approximation of `str.isprintable()` for one character (Unicode categories Cc, Cf, Cs,
/// Co, Cn, Zl, Zp, Zs other than space are not printable); full tables come with
/// `unicodedata`.
fn is_printable(ch: char) -> bool {
    let c = ch as u32;
    !(c < 0x20
        || (0x7f..=0xa0).contains(&c)
        || c == 0xad
        || (0x2000..=0x200f).contains(&c)
        || (0x2028..=0x202f).contains(&c)
        || (0x205f..=0x206f).contains(&c)
        || c == 0x3000
        || c == 0xfeff
        || (0xd800..=0xdfff).contains(&c)
        || (0xe000..=0xf8ff).contains(&c)
        || (0xfff0..=0xfffb).contains(&c)
        || c >= 0xf0000)
}

pub fn repr_of(o: &Obj) -> String {
    if is_ascii(o) || kind(o) == 1 {
        let cps: Vec<u32> = chars(o).collect();
        return repr_code_points(&cps);
    }
    repr_code_points(&chars(o).collect::<Vec<_>>())
}

pub fn concat(a: &Obj, b: &Obj) -> PyRef {
    let cps: Vec<u32> = chars(a).chain(chars(b)).collect();
    from_code_points(&cps)
}

pub fn types() -> [&'static TypeObj; 1] {
    [&PyUnicode_Type]
}

// ---- slots ----------------------------------------------------------------------------------

unsafe extern "C" fn unicode_dealloc(o: *mut PyObject) {
    // SAFETY: a dead str: free the UTF-8 cache if it is a separate block, then the object.
    unsafe {
        let ob = arg(o);
        if !is_ascii(ob) {
            let c = o as *mut PyCompactUnicodeObject;
            if !(*c).utf8.is_null() {
                crate::alloc::raw_free((*c).utf8 as *mut _);
            }
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
    let hay: Vec<u32> = chars(a).collect();
    let needle: Vec<u32> = chars(b).collect();
    (needle.is_empty() || hay.windows(needle.len()).any(|w| w == needle.as_slice())) as c_int
}

/// The empty string (immortal, interned).
pub fn empty_obj() -> &'static Obj {
    static EMPTY: std::sync::OnceLock<crate::object::SyncPtr<PyObject>> = std::sync::OnceLock::new();
    let p = EMPTY.get_or_init(|| crate::object::SyncPtr(intern("").into_raw())).0;
    // SAFETY: interned strings are immortal.
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

/// `PyUnicode_InternFromString`.
pub fn intern(s: &str) -> PyRef {
    intern_obj(&new(s)).expect("interning a fresh str cannot fail")
}
