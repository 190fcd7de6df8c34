//! `bytes`: `PyBytesObject` (var header, cached hash, inline NUL-terminated data).

use core::ffi::c_int;
use core::mem::offset_of;

use pyrite_abi::*;

use crate::hash;
use crate::object::{Obj, PyRef, StaticObject};
use crate::objects::type_::{TypeObj, BUILTIN_BASETYPE_FLAGS};
use crate::objects::{bool_, none, unicode};
use crate::slot::{arg, ret_obj};
use crate::static_type;

static_type!(PyBytes_Type, c"bytes", offset_of!(PyBytesObject, ob_sval), {
    tp_itemsize: 1,
    tp_flags: BUILTIN_BASETYPE_FLAGS | Py_TPFLAGS_BYTES_SUBCLASS | _Py_TPFLAGS_MATCH_SELF,
    tp_dealloc: Some(bytes_dealloc),
    tp_repr: Some(bytes_repr),
    tp_str: Some(bytes_repr),
    tp_hash: Some(bytes_hash),
    tp_richcompare: Some(bytes_richcompare),
    tp_as_sequence: BYTES_AS_SEQUENCE.0.get(),
    tp_as_buffer: BYTES_AS_BUFFER.0.get(),
    tp_doc: c"bytes(iterable_of_ints) -> bytes".as_ptr(),
});

static BYTES_AS_SEQUENCE: StaticObject<PySequenceMethods> = StaticObject::new(PySequenceMethods {
    sq_length: Some(bytes_length),
    sq_concat: Some(bytes_concat),
    ..PySequenceMethods::EMPTY
});

static BYTES_AS_BUFFER: StaticObject<PyBufferProcs> =
    StaticObject::new(PyBufferProcs { bf_getbuffer: Some(bytes_getbuffer), bf_releasebuffer: None });

unsafe extern "C" fn bytes_getbuffer(o: *mut PyObject, view: *mut Py_buffer, flags: core::ffi::c_int) -> core::ffi::c_int {
    // SAFETY: live bytes; its data lives as long as the view holds a reference.
    let b = unsafe { arg(o) };
    let len = as_bytes(b).len() as Py_ssize_t;
    crate::slot::ret_int(unsafe { crate::buffer::fill_info(view, Some(b), as_mut_ptr(b) as *mut _, len, true, flags) }.map(|_| 0))
}

/// A bytes object of `n` zero bytes (plus the terminating NUL).
pub fn alloc(n: usize) -> PyRef {
    let size = offset_of!(PyBytesObject, ob_sval) + n + 1;
    // SAFETY: PyBytes_Type is a live static type.
    unsafe {
        let op = crate::alloc::alloc_object(PyBytes_Type.raw(), (size + 7) & !7, false);
        assert!(!op.is_null(), "out of memory allocating bytes");
        let b = op as *mut PyBytesObject;
        (*b).ob_base.ob_size = n as Py_ssize_t;
        (*b).ob_shash = -1;
        PyRef::from_raw(op)
    }
}

pub fn new(data: &[u8]) -> PyRef {
    let r = alloc(data.len());
    // SAFETY: r has room for data.len() bytes.
    unsafe { core::ptr::copy_nonoverlapping(data.as_ptr(), as_mut_ptr(&r), data.len()) };
    r
}

#[inline(always)]
pub fn check(o: &Obj) -> bool {
    o.ob_type().has_flag(Py_TPFLAGS_BYTES_SUBCLASS)
}

#[inline(always)]
pub fn as_mut_ptr(o: &Obj) -> *mut u8 {
    // SAFETY: o is bytes; ob_sval is the inline data.
    unsafe { (&raw mut (*(o.as_ptr() as *mut PyBytesObject)).ob_sval) as *mut u8 }
}

pub fn as_bytes(o: &Obj) -> &[u8] {
    // SAFETY: ob_size bytes of data follow the header.
    unsafe { core::slice::from_raw_parts(as_mut_ptr(o), o.ob_size() as usize) }
}

pub fn repr_bytes(b: &[u8]) -> String {
    let quote = if b.contains(&b'\'') && !b.contains(&b'"') { '"' } else { '\'' };
    let mut s = String::from("b");
    s.push(quote);
    for &c in b {
        match c {
            b'\\' => s.push_str("\\\\"),
            b'\t' => s.push_str("\\t"),
            b'\n' => s.push_str("\\n"),
            b'\r' => s.push_str("\\r"),
            _ if c as char == quote => {
                s.push('\\');
                s.push(quote);
            }
            0x20..=0x7e => s.push(c as char),
            _ => s.push_str(&format!("\\x{c:02x}")),
        }
    }
    s.push(quote);
    s
}

pub fn types() -> [&'static TypeObj; 1] {
    [&PyBytes_Type]
}

unsafe extern "C" fn bytes_dealloc(o: *mut PyObject) {
    // SAFETY: a dead bytes object.
    unsafe {
        match (*(*o).ob_type).tp_free {
            Some(f) => f(o as *mut _),
            None => crate::alloc::free_object(o),
        }
    }
}

unsafe extern "C" fn bytes_repr(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: live bytes.
    unicode::new(&repr_bytes(as_bytes(unsafe { arg(o) }))).into_raw()
}

unsafe extern "C" fn bytes_hash(o: *mut PyObject) -> Py_hash_t {
    // SAFETY: live bytes; the hash is cached in ob_shash.
    unsafe {
        let b = o as *mut PyBytesObject;
        if (*b).ob_shash == -1 {
            (*b).ob_shash = hash::hash_bytes(as_bytes(arg(o)));
        }
        (*b).ob_shash
    }
}

unsafe extern "C" fn bytes_richcompare(a: *mut PyObject, b: *mut PyObject, op: c_int) -> *mut PyObject {
    // SAFETY: live arguments.
    let (a, b) = unsafe { (arg(a), arg(b)) };
    if !check(a) || !check(b) {
        return none::not_implemented().into_raw();
    }
    bool_::new(crate::abstract_::ordering_matches(as_bytes(a).cmp(as_bytes(b)), op)).into_raw()
}

unsafe extern "C" fn bytes_length(o: *mut PyObject) -> Py_ssize_t {
    // SAFETY: live bytes.
    unsafe { arg(o).ob_size() }
}

unsafe extern "C" fn bytes_concat(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    // SAFETY: live arguments.
    let (a, b) = unsafe { (arg(a), arg(b)) };
    if !check(b) {
        return ret_obj(Err(raise!(TypeError, "can't concat {} to bytes", b.ob_type().name())));
    }
    let mut v = as_bytes(a).to_vec();
    v.extend_from_slice(as_bytes(b));
    new(&v).into_raw()
}

/// The empty bytes object (immortal, created on first use).
pub fn empty_obj() -> &'static Obj {
    static EMPTY: std::sync::OnceLock<crate::object::SyncPtr<PyObject>> = std::sync::OnceLock::new();
    let p = EMPTY.get_or_init(|| crate::object::SyncPtr(crate::object::make_immortal(alloc(0)))).0;
    // SAFETY: immortal objects live forever.
    unsafe { Obj::from_ptr(p) }
}
