//! `UnicodeEncodeError`, `UnicodeDecodeError` and `UnicodeTranslateError`: the exception
//! fields plus `encoding`, `object`, `start`, `end` and `reason`, laid out as CPython's
//! `PyUnicodeErrorObject` (no public macro reads them, but the C accessors and the codec error
//! handlers do), with CPython's `__init__` argument checks and `__str__` wording.

use core::ffi::{c_int, c_void};
use core::mem::offset_of;
use core::ptr::null_mut;

use pyrite_abi::*;

use crate::err::PyResult;
use crate::object::{Obj, PyRef};
use crate::objects::exceptions::{self as exc, BaseExceptionObject};
use crate::objects::type_::{StaticTable, TypeObj};
use crate::objects::{bytes, long, tuple, unicode};
use crate::slot::{arg, opt_arg, ret_int, ret_obj};

#[repr(C)]
pub struct UnicodeErrorObject {
    pub base: BaseExceptionObject,
    pub encoding: *mut PyObject,
    pub object: *mut PyObject,
    pub start: Py_ssize_t,
    pub end: Py_ssize_t,
    pub reason: *mut PyObject,
}

const fn member(name: &'static core::ffi::CStr, type_code: c_int, offset: usize) -> PyMemberDef {
    PyMemberDef { name: name.as_ptr(), type_code, offset: offset as isize, flags: 0, doc: core::ptr::null() }
}

pub static MEMBERS: StaticTable<PyMemberDef, 6> = StaticTable(core::cell::UnsafeCell::new([
    member(c"encoding", _Py_T_OBJECT, offset_of!(UnicodeErrorObject, encoding)),
    member(c"object", _Py_T_OBJECT, offset_of!(UnicodeErrorObject, object)),
    member(c"start", Py_T_PYSSIZET, offset_of!(UnicodeErrorObject, start)),
    member(c"end", Py_T_PYSSIZET, offset_of!(UnicodeErrorObject, end)),
    member(c"reason", _Py_T_OBJECT, offset_of!(UnicodeErrorObject, reason)),
    PyMemberDef { name: core::ptr::null(), type_code: 0, offset: 0, flags: 0, doc: core::ptr::null() },
]));

/// Which of the three error kinds (they differ in `object`'s type and in `__str__`).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Kind {
    Encode,
    Decode,
    Translate,
}

impl Kind {
    pub fn type_obj(self) -> &'static TypeObj {
        match self {
            Kind::Encode => exc::UnicodeEncodeError(),
            Kind::Decode => exc::UnicodeDecodeError(),
            Kind::Translate => exc::UnicodeTranslateError(),
        }
    }
    pub fn type_name(self) -> &'static str {
        match self {
            Kind::Encode => "UnicodeEncodeError",
            Kind::Decode => "UnicodeDecodeError",
            Kind::Translate => "UnicodeTranslateError",
        }
    }
    /// The kind an error object is, by its type (subclasses included).
    pub fn of(o: &Obj) -> Option<Kind> {
        [Kind::Encode, Kind::Decode, Kind::Translate].into_iter().find(|k| o.is_instance_of(k.type_obj()))
    }
}

fn fields(o: &Obj) -> *mut UnicodeErrorObject {
    o.as_ptr() as *mut UnicodeErrorObject
}

/// Whether `o` is an instance of `UnicodeError` with this layout (any of the three kinds).
pub fn check(o: &Obj) -> bool {
    Kind::of(o).is_some()
}

/// Builds an error object: `UnicodeEncodeError(encoding, object, start, end, reason)` (no
/// encoding for translate errors), through the type so `__init__` checks apply.
pub fn new(kind: Kind, encoding: &str, object: &Obj, start: usize, end: usize, reason: &str) -> PyResult<PyRef> {
    let (s, e, r) = (long::from_usize(start), long::from_usize(end), unicode::new(reason));
    let args = match kind {
        Kind::Translate => tuple::new_from(&[object, &s, &e, &r]),
        _ => tuple::new_from(&[&unicode::new(encoding), object, &s, &e, &r]),
    };
    crate::abstract_::call(kind.type_obj(), &args, None)
}

/// `object` checked as CPython's `check_unicode_error_attribute` does.
pub fn object(o: &Obj, as_bytes: bool) -> PyResult<PyRef> {
    // SAFETY: o has the UnicodeError layout (callers check the type first).
    attribute(unsafe { (*fields(o)).object }, "object", as_bytes)
}
pub fn encoding(o: &Obj) -> PyResult<PyRef> {
    // SAFETY: as `object`.
    attribute(unsafe { (*fields(o)).encoding }, "encoding", false)
}
pub fn reason(o: &Obj) -> PyResult<PyRef> {
    // SAFETY: as `object`.
    attribute(unsafe { (*fields(o)).reason }, "reason", false)
}

fn attribute(p: *mut PyObject, name: &str, as_bytes: bool) -> PyResult<PyRef> {
    // SAFETY: the field holds NULL or a live object.
    let Some(v) = (unsafe { opt_arg(p) }) else {
        return Err(raise!(TypeError, "UnicodeError '{}' attribute is not set", name));
    };
    if if as_bytes { bytes::check(v) } else { unicode::check(v) } {
        Ok(v.new_ref())
    } else {
        Err(raise!(TypeError, "UnicodeError '{}' attribute must be a {}", name, if as_bytes { "bytes" } else { "string" }))
    }
}

/// The raw `start`/`end` fields.
pub fn raw_range(o: &Obj) -> (Py_ssize_t, Py_ssize_t) {
    // SAFETY: as `object`.
    unsafe { ((*fields(o)).start, (*fields(o)).end) }
}

/// `start` and `end` clipped to the object as CPython's getters clip them: start into
/// `[0, max(0, len-1)]`, end into `[min(1, len), len]`.
pub fn clipped_range(o: &Obj, as_bytes: bool) -> PyResult<(usize, usize)> {
    let obj = object(o, as_bytes)?;
    let n = if as_bytes { bytes::as_bytes(&obj).len() } else { unicode::len(&obj) } as Py_ssize_t;
    let (mut start, mut end) = raw_range(o);
    if start < 0 {
        start = 0;
    }
    if start >= n {
        start = if n == 0 { 0 } else { n - 1 };
    }
    if end < 1 {
        end = 1;
    }
    if end > n {
        end = n;
    }
    Ok((start as usize, end as usize))
}

pub fn set_start(o: &Obj, v: Py_ssize_t) {
    // SAFETY: as `object`.
    unsafe { (*fields(o)).start = v };
}
pub fn set_end(o: &Obj, v: Py_ssize_t) {
    // SAFETY: as `object`.
    unsafe { (*fields(o)).end = v };
}
pub fn set_reason(o: &Obj, reason: &str) {
    // SAFETY: as `object`; the old value is released after the new one is stored.
    unsafe {
        let old = (*fields(o)).reason;
        (*fields(o)).reason = unicode::new(reason).into_raw();
        crate::object::xdecref(old);
    }
}

// ---- slots ----------------------------------------------------------------------------------

/// `PyArg_ParseTuple`'s complaints for the `U`, `O` and `n` units used by the initialisers.
fn parse_args<'a>(a: &'a Obj, units: &str) -> PyResult<Vec<&'a Obj>> {
    let items = tuple::items(a);
    if items.len() != units.len() {
        return Err(raise!(TypeError, "function takes exactly {} arguments ({} given)", units.len(), items.len()));
    }
    for (i, (u, v)) in units.chars().zip(items.iter()).enumerate() {
        match u {
            'U' if !unicode::check(v) => {
                return Err(raise!(TypeError, "argument {} must be str, not {}", i + 1, v.ob_type().name()));
            }
            'n' => {
                crate::abstract_::index(v)?;
            }
            _ => {}
        }
    }
    Ok(items.to_vec())
}

fn ssize(v: &Obj) -> PyResult<Py_ssize_t> {
    let i = crate::abstract_::index(v)?;
    long::to_i64(&i).map(|x| x as Py_ssize_t).ok_or_else(|| raise!(OverflowError, "Python int too large to convert to C ssize_t"))
}

unsafe fn replace(field: *mut *mut PyObject, v: PyRef) {
    // SAFETY: the field holds NULL or an owned reference.
    unsafe {
        let old = *field;
        *field = v.into_raw();
        crate::object::xdecref(old);
    }
}

fn init(o: &Obj, args: &Obj, kind: Kind) -> PyResult<()> {
    let units = match kind {
        Kind::Encode => "UUnnU",
        Kind::Decode => "UOnnU",
        Kind::Translate => "UnnU",
    };
    let a = parse_args(args, units)?;
    let (encoding, rest) = if kind == Kind::Translate { (None, &a[..]) } else { (Some(a[0]), &a[1..]) };
    let object = if kind == Kind::Decode {
        if bytes::check(rest[0]) { rest[0].new_ref() } else { bytes::new(&bytes::bytes_like(rest[0])?) }
    } else {
        rest[0].new_ref()
    };
    let (start, end) = (ssize(rest[1])?, ssize(rest[2])?);
    let f = fields(o);
    // SAFETY: o has the UnicodeError layout; each field is NULL or owned.
    unsafe {
        if let Some(e) = encoding {
            replace(&raw mut (*f).encoding, e.new_ref());
        }
        replace(&raw mut (*f).object, object);
        (*f).start = start;
        (*f).end = end;
        replace(&raw mut (*f).reason, rest[3].new_ref());
    }
    Ok(())
}

unsafe fn init_slot(o: *mut PyObject, args: *mut PyObject, kw: *mut PyObject, kind: Kind) -> c_int {
    // SAFETY: tp_init contract.
    unsafe {
        if exc::exc_init(o, args, kw) < 0 {
            return -1;
        }
        let args = opt_arg(args).map(|a| a.new_ref()).unwrap_or_else(tuple::empty);
        ret_int(init(arg(o), &args, kind).map(|_| 0))
    }
}

pub unsafe extern "C" fn encode_init(o: *mut PyObject, args: *mut PyObject, kw: *mut PyObject) -> c_int {
    // SAFETY: tp_init contract.
    unsafe { init_slot(o, args, kw, Kind::Encode) }
}
pub unsafe extern "C" fn decode_init(o: *mut PyObject, args: *mut PyObject, kw: *mut PyObject) -> c_int {
    // SAFETY: tp_init contract.
    unsafe { init_slot(o, args, kw, Kind::Decode) }
}
pub unsafe extern "C" fn translate_init(o: *mut PyObject, args: *mut PyObject, kw: *mut PyObject) -> c_int {
    // SAFETY: tp_init contract.
    unsafe { init_slot(o, args, kw, Kind::Translate) }
}

fn str_of(p: *mut PyObject) -> PyResult<String> {
    // SAFETY: the field holds NULL or a live object; NULL is str(None) as PyObject_Str(NULL)
    // gives "<NULL>" in CPython, which no test relies on.
    match unsafe { opt_arg(p) } {
        Some(v) => Ok(unicode::as_str_lossy(&*crate::abstract_::str(v)?).into_owned()),
        None => Ok("<NULL>".into()),
    }
}

fn escape(c: u32) -> String {
    if c <= 0xff {
        format!("\\x{c:02x}")
    } else if c <= 0xffff {
        format!("\\u{c:04x}")
    } else {
        format!("\\U{c:08x}")
    }
}

fn str_impl(o: &Obj, kind: Kind) -> PyResult<PyRef> {
    let f = fields(o);
    // SAFETY: o has the UnicodeError layout.
    let (obj, reason_p, encoding_p) = unsafe { ((*f).object, (*f).reason, (*f).encoding) };
    if obj.is_null() {
        return Ok(unicode::new(""));
    }
    let reason = str_of(reason_p)?;
    let encoding = if kind == Kind::Translate { String::new() } else { str_of(encoding_p)? };
    let object = self::object(o, kind == Kind::Decode)?;
    let len = if kind == Kind::Decode { bytes::as_bytes(&object).len() } else { unicode::len(&object) } as Py_ssize_t;
    let (start, end) = raw_range(o);
    let single = start >= 0 && start < len && end >= 0 && end <= len && end == start + 1;
    let s = match (kind, single) {
        (Kind::Decode, true) => {
            format!("'{encoding}' codec can't decode byte 0x{:02x} in position {start}: {reason}", bytes::as_bytes(&object)[start as usize])
        }
        (Kind::Decode, false) => format!("'{encoding}' codec can't decode bytes in position {start}-{}: {reason}", end - 1),
        (Kind::Encode, true) => format!(
            "'{encoding}' codec can't encode character '{}' in position {start}: {reason}",
            escape(unicode::char_at(&object, start as usize))
        ),
        (Kind::Encode, false) => format!("'{encoding}' codec can't encode characters in position {start}-{}: {reason}", end - 1),
        (Kind::Translate, true) => {
            format!("can't translate character '{}' in position {start}: {reason}", escape(unicode::char_at(&object, start as usize)))
        }
        (Kind::Translate, false) => format!("can't translate characters in position {start}-{}: {reason}", end - 1),
    };
    Ok(unicode::new(&s))
}

pub unsafe extern "C" fn encode_str(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: live UnicodeEncodeError.
    ret_obj(str_impl(unsafe { arg(o) }, Kind::Encode))
}
pub unsafe extern "C" fn decode_str(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: live UnicodeDecodeError.
    ret_obj(str_impl(unsafe { arg(o) }, Kind::Decode))
}
pub unsafe extern "C" fn translate_str(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: live UnicodeTranslateError.
    ret_obj(str_impl(unsafe { arg(o) }, Kind::Translate))
}

pub unsafe extern "C" fn dealloc(o: *mut PyObject) {
    // SAFETY: a dead UnicodeError: release the extra fields, then the exception's.
    unsafe {
        let f = o as *mut UnicodeErrorObject;
        for p in [(*f).encoding, (*f).object, (*f).reason] {
            crate::object::xdecref(p);
        }
        (*f).encoding = null_mut();
        (*f).object = null_mut();
        (*f).reason = null_mut();
        exc::exc_dealloc(o);
    }
}

pub unsafe extern "C" fn traverse(o: *mut PyObject, visit: visitproc, a: *mut c_void) -> c_int {
    // SAFETY: live UnicodeError.
    unsafe {
        let Some(v) = visit else { return 0 };
        let f = o as *mut UnicodeErrorObject;
        for p in [(*f).encoding, (*f).object, (*f).reason] {
            if !p.is_null() {
                let r = v(p, a);
                if r != 0 {
                    return r;
                }
            }
        }
        exc::exc_traverse(o, visit, a)
    }
}
