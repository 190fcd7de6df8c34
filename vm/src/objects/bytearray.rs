//! `bytearray`: CPython's `PyByteArrayObject` (a resizable heap buffer, NUL-terminated, with
//! a count of buffer exports that forbids resizing while any view is alive), its iterator,
//! item and slice assignment, and its methods (the read-only ones shared with `bytes`).
//!
//! Invariant: a zeroed object is an empty bytearray (`ob_bytes` NULL); `ob_start` always
//! equals `ob_bytes` (Pyrite does not defer deletions at the front).

use core::ffi::c_int;
use core::mem::size_of;
use core::ptr::null_mut;

use pyrite_abi::*;

use crate::err::{PyErr, PyResult};
use crate::object::{Obj, PyRef, StaticObject};
use crate::objects::argparse::{self, check_positional, Kw, Sig};
use crate::objects::bytes::{self, ByteKind};
use crate::objects::iterobject::{self, index_iter_state, IndexIter};
use crate::objects::slice::{self, Key};
use crate::objects::type_::{TypeObj, BUILTIN_BASETYPE_FLAGS, BUILTIN_FLAGS};
use crate::objects::{bool_, exceptions as exc, float, long, none, tuple, unicode};
use crate::slot::{arg, opt_arg, ret_int, ret_obj};
use crate::{method_table, static_type};

/// CPython's `PyByteArrayObject`.
#[repr(C)]
pub struct PyByteArrayObject {
    pub ob_base: PyVarObject,
    /// Bytes allocated at `ob_bytes` (including the NUL).
    pub ob_alloc: Py_ssize_t,
    pub ob_bytes: *mut u8,
    pub ob_start: *mut u8,
    /// Live buffer exports.
    pub ob_exports: Py_ssize_t,
}

/// `bytearray % args` (PEP 461, `vm/src/format.rs`).
static PERCENT_AS_NUMBER: crate::object::StaticObject<PyNumberMethods> =
    crate::object::StaticObject::new(PyNumberMethods { nb_remainder: Some(crate::format::bytes_like_mod), ..PyNumberMethods::EMPTY });


static_type!(PyByteArray_Type, c"bytearray", size_of::<PyByteArrayObject>(), {
    tp_flags: BUILTIN_BASETYPE_FLAGS | _Py_TPFLAGS_MATCH_SELF,
    tp_dealloc: Some(bytearray_dealloc),
    tp_repr: Some(bytearray_repr),
    tp_str: Some(bytearray_str),
    tp_hash: Some(crate::objects::list::unhashable),
    tp_richcompare: Some(bytearray_richcompare),
    tp_iter: Some(bytearray_iter),
    tp_as_number: PERCENT_AS_NUMBER.0.get(),
    tp_as_sequence: BYTEARRAY_AS_SEQUENCE.0.get(),
    tp_as_mapping: BYTEARRAY_AS_MAPPING.0.get(),
    tp_as_buffer: BYTEARRAY_AS_BUFFER.0.get(),
    tp_methods: BYTEARRAY_METHODS.0.get() as *mut PyMethodDef,
    tp_init: Some(bytearray_init),
    tp_alloc: Some(crate::alloc::generic_alloc),
    tp_new: Some(bytearray_new),
    tp_free: Some(crate::alloc::object_free),
    tp_doc: c"bytearray(iterable_of_ints) -> bytearray\nbytearray(string, encoding[, errors]) -> bytearray\nbytearray(bytes_or_buffer) -> mutable copy of bytes_or_buffer\nbytearray(int) -> bytes array of size given by the parameter initialized with null bytes\nbytearray() -> empty bytes array\n\nConstruct a mutable bytearray object from:\n  - an iterable yielding integers in range(256)\n  - a text string encoded using the specified encoding\n  - a bytes or a buffer object\n  - any object implementing the buffer API.\n  - an integer".as_ptr(),
});

static BYTEARRAY_AS_SEQUENCE: StaticObject<PySequenceMethods> = StaticObject::new(PySequenceMethods {
    sq_length: Some(bytearray_length),
    sq_concat: Some(bytearray_concat),
    sq_repeat: Some(bytearray_repeat),
    sq_item: Some(bytearray_item),
    sq_ass_item: Some(bytearray_ass_item),
    sq_contains: Some(bytearray_contains),
    sq_inplace_concat: Some(bytearray_iconcat),
    sq_inplace_repeat: Some(bytearray_irepeat),
    ..PySequenceMethods::EMPTY
});

static BYTEARRAY_AS_MAPPING: StaticObject<PyMappingMethods> = StaticObject::new(PyMappingMethods {
    mp_length: Some(bytearray_length),
    mp_subscript: Some(bytearray_subscript),
    mp_ass_subscript: Some(bytearray_ass_subscript),
});

static BYTEARRAY_AS_BUFFER: StaticObject<PyBufferProcs> = StaticObject::new(PyBufferProcs {
    bf_getbuffer: Some(bytearray_getbuffer),
    bf_releasebuffer: Some(bytearray_releasebuffer),
});

use crate::objects::bytes::{
    m_capitalize, m_center, m_count, m_decode, m_endswith, m_expandtabs, m_find, m_fromhex, m_hex, m_index, m_isalnum,
    m_isalpha, m_isascii, m_isdigit, m_islower, m_isspace, m_istitle, m_isupper, m_join, m_ljust, m_lower, m_lstrip,
    m_maketrans, m_partition, m_removeprefix, m_removesuffix, m_replace, m_rfind, m_rindex, m_rjust, m_rpartition,
    m_rsplit, m_rstrip, m_split, m_splitlines, m_startswith, m_strip, m_swapcase, m_title, m_translate, m_upper, m_zfill,
};

method_table!(static BYTEARRAY_METHODS = [
    noargs c"__alloc__" => m_alloc,
    o c"append" => m_append,
    noargs c"capitalize" => m_capitalize::<ByteArray>,
    fast c"center" => m_center::<ByteArray>,
    noargs c"clear" => m_clear,
    noargs c"copy" => m_copy,
    fast c"take_bytes" => m_take_bytes,
    fast c"count" => m_count,
    kw c"decode" => m_decode,
    fast c"endswith" => m_endswith,
    kw c"expandtabs" => m_expandtabs::<ByteArray>,
    o c"extend" => m_extend,
    fast c"find" => m_find,
    class_o c"fromhex" => m_fromhex::<ByteArray>,
    kw c"hex" => m_hex,
    fast c"index" => m_index,
    fast c"insert" => m_insert,
    noargs c"isalnum" => m_isalnum,
    noargs c"isalpha" => m_isalpha,
    noargs c"isascii" => m_isascii,
    noargs c"isdigit" => m_isdigit,
    noargs c"islower" => m_islower,
    noargs c"isspace" => m_isspace,
    noargs c"istitle" => m_istitle,
    noargs c"isupper" => m_isupper,
    o c"join" => m_join::<ByteArray>,
    fast c"ljust" => m_ljust::<ByteArray>,
    noargs c"lower" => m_lower::<ByteArray>,
    fast c"lstrip" => m_lstrip::<ByteArray>,
    static_kw c"maketrans" => m_maketrans::<ByteArray>,
    o c"partition" => m_partition::<ByteArray>,
    fast c"pop" => m_pop,
    o c"remove" => m_remove,
    kw c"replace" => m_replace::<ByteArray>,
    o c"removeprefix" => m_removeprefix::<ByteArray>,
    o c"removesuffix" => m_removesuffix::<ByteArray>,
    noargs c"reverse" => m_reverse,
    fast c"rfind" => m_rfind,
    fast c"rindex" => m_rindex,
    fast c"rjust" => m_rjust::<ByteArray>,
    o c"rpartition" => m_rpartition::<ByteArray>,
    kw c"rsplit" => m_rsplit::<ByteArray>,
    fast c"rstrip" => m_rstrip::<ByteArray>,
    kw c"split" => m_split::<ByteArray>,
    kw c"splitlines" => m_splitlines::<ByteArray>,
    fast c"startswith" => m_startswith,
    fast c"strip" => m_strip::<ByteArray>,
    noargs c"swapcase" => m_swapcase::<ByteArray>,
    noargs c"title" => m_title::<ByteArray>,
    kw c"translate" => m_translate::<ByteArray>,
    noargs c"upper" => m_upper::<ByteArray>,
    o c"zfill" => m_zfill::<ByteArray>,
]);

static_type!(PyByteArrayIter_Type, c"bytearray_iterator", size_of::<IndexIter>(), {
    tp_flags: BUILTIN_FLAGS | Py_TPFLAGS_HAVE_GC,
    tp_dealloc: Some(iterobject::index_iter_dealloc),
    tp_traverse: Some(iterobject::index_iter_traverse),
    tp_iter: Some(iterobject::self_iter),
    tp_iternext: Some(bytearrayiter_next),
    tp_methods: BYTEARRAYITER_METHODS.0.get() as *mut PyMethodDef,
    tp_free: Some(crate::alloc::gc_del),
});

method_table!(static BYTEARRAYITER_METHODS = [
    noargs c"__length_hint__" => bytearrayiter_length_hint,
]);

pub fn types() -> [&'static TypeObj; 2] {
    [&PyByteArray_Type, &PyByteArrayIter_Type]
}

/// Results of the shared byte methods are bytearrays.
pub struct ByteArray;

impl ByteKind for ByteArray {
    const NAME: &'static str = "bytearray";
    fn make(data: &[u8]) -> PyRef {
        new(data)
    }
    fn same(o: &Obj) -> PyRef {
        new(bytes::bytes_of(o))
    }
}

#[inline(always)]
fn raw(o: &Obj) -> *mut PyByteArrayObject {
    o.as_ptr() as *mut PyByteArrayObject
}

/// `PyByteArray_Check`.
pub fn check(o: &Obj) -> bool {
    o.is_instance_of(&PyByteArray_Type)
}

pub fn check_exact(o: &Obj) -> bool {
    o.is_exact(&PyByteArray_Type)
}

pub fn len(o: &Obj) -> usize {
    // SAFETY: o is a bytearray.
    unsafe { o.ob_size() as usize }
}

/// The contents (borrowed: invalidated by any resize).
pub fn as_slice(o: &Obj) -> &[u8] {
    // SAFETY: o is a bytearray; ob_start has ob_size bytes when non-NULL.
    unsafe {
        let p = (*raw(o)).ob_start;
        if p.is_null() { &[] } else { core::slice::from_raw_parts(p, len(o)) }
    }
}

/// The contents, writable: objects are C memory shared under the GIL.
#[allow(clippy::mut_from_ref)]
fn as_mut_slice(o: &Obj) -> &mut [u8] {
    // SAFETY: as above; the GIL serialises writers.
    unsafe {
        let p = (*raw(o)).ob_start;
        if p.is_null() { &mut [] } else { core::slice::from_raw_parts_mut(p, len(o)) }
    }
}

/// `PyByteArray_AS_STRING`: the NUL-terminated data ("" for an empty, unallocated array).
pub fn as_ptr(o: &Obj) -> *mut u8 {
    static EMPTY: [u8; 1] = [0];
    // SAFETY: o is a bytearray.
    let p = unsafe { (*raw(o)).ob_start };
    if p.is_null() { EMPTY.as_ptr() as *mut u8 } else { p }
}

/// `PyByteArray_Resize`: new bytes are uninitialised (zero here); fails while exported.
pub fn resize(o: &Obj, n: usize) -> PyResult<()> {
    let r = raw(o);
    // SAFETY: o is a bytearray; the buffer is reallocated only when no view exports it.
    unsafe {
        let size = len(o);
        if n == size {
            return Ok(());
        }
        if (*r).ob_exports > 0 {
            return Err(raise!(BufferError, "Existing exports of data: object cannot be re-sized"));
        }
        if n > isize::MAX as usize - 1 {
            return Err(PyErr::from_type_no_args(exc::MemoryError()));
        }
        let alloc = (*r).ob_alloc as usize;
        let new_alloc = if n < alloc && n + 1 > alloc / 2 {
            alloc
        } else if n < alloc {
            n + 1
        } else {
            // Over-allocate by 1/8 for amortised growth, as CPython.
            (n + (n >> 3) + if n < 9 { 3 } else { 6 }).max(n + 1)
        };
        if new_alloc != alloc {
            let p = crate::alloc::raw_realloc((*r).ob_bytes as *mut _, new_alloc) as *mut u8;
            if p.is_null() {
                return Err(PyErr::from_type_no_args(exc::MemoryError()));
            }
            (*r).ob_bytes = p;
            (*r).ob_start = p;
            (*r).ob_alloc = new_alloc as Py_ssize_t;
        }
        if n > size {
            core::ptr::write_bytes((*r).ob_start.add(size), 0, n - size);
        }
        *(*r).ob_start.add(n) = 0;
        (*r).ob_base.ob_size = n as Py_ssize_t;
    }
    Ok(())
}

/// A new bytearray holding `data` (`PyByteArray_FromStringAndSize`).
pub fn new(data: &[u8]) -> PyRef {
    // SAFETY: PyByteArray_Type is a live static type; zeroed memory is an empty bytearray.
    let o = unsafe {
        let op = crate::alloc::alloc_object(PyByteArray_Type.raw(), size_of::<PyByteArrayObject>(), false);
        assert!(!op.is_null(), "out of memory allocating a bytearray");
        PyRef::from_raw(op)
    };
    set_contents(&o, data).expect("a fresh bytearray is not exported");
    o
}

/// Replaces the whole contents.
fn set_contents(o: &Obj, data: &[u8]) -> PyResult<()> {
    resize(o, data.len())?;
    as_mut_slice(o).copy_from_slice(data);
    Ok(())
}

/// `PyByteArray_FromObject`: `bytearray(o)`.
pub fn from_object(o: &Obj) -> PyResult<PyRef> {
    crate::abstract_::call_one_arg(&PyByteArray_Type, o)
}

/// Replaces `ba[lo..hi]` with `data` (bounds already clamped).
fn replace_range(o: &Obj, lo: usize, hi: usize, data: &[u8]) -> PyResult<()> {
    let old = as_slice(o).to_vec();
    let mut v = Vec::with_capacity(old.len() - (hi - lo) + data.len());
    v.extend_from_slice(&old[..lo]);
    v.extend_from_slice(data);
    v.extend_from_slice(&old[hi..]);
    if v.len() != old.len() {
        resize(o, v.len())?;
    }
    as_mut_slice(o).copy_from_slice(&v);
    Ok(())
}

/// `ba += data` / `ba.extend(...)` with bytes.
pub fn extend_data(o: &Obj, data: &[u8]) -> PyResult<()> {
    let n = len(o);
    resize(o, n + data.len())?;
    as_mut_slice(o)[n..].copy_from_slice(data);
    Ok(())
}

/// An item value: `__index__` in range(256).
fn byte_arg(v: &Obj) -> PyResult<u8> {
    bytes::byte_value(v, "byte must be in range(0, 256)")
}

/// The bytes an assigned slice value stands for: a buffer, or an iterable of ints.
fn assigned_data(o: &Obj, v: &Obj) -> PyResult<Vec<u8>> {
    if !v.is(o) {
        if let Some(b) = bytes::buffer_bytes(v)? {
            return Ok(b);
        }
    } else {
        return Ok(as_slice(o).to_vec());
    }
    // SAFETY: reading a slot table of a live type.
    let number = unsafe { v.ob_type().slots().tp_as_number.as_ref() }
        .is_some_and(|nb| nb.nb_index.is_some() || nb.nb_int.is_some() || nb.nb_float.is_some());
    if number || unicode::check(v) || float::check(v) {
        return Err(raise!(TypeError, "can assign only bytes, buffers, or iterables of ints in range(0, 256)"));
    }
    let b = from_object(v)?;
    Ok(as_slice(&b).to_vec())
}

/// `ba[key] = v` / `del ba[key]`. New values are read before the bounds are checked against
/// the array as it is then (reading them may run code that resizes it).
pub fn ass_subscript(o: &Obj, key: &Obj, v: Option<&Obj>) -> PyResult<()> {
    if !slice::check(key) {
        if !argparse::index_check(key) {
            return Err(raise!(TypeError, "bytearray indices must be integers or slices, not {}", key.ob_type().name()));
        }
        let i = match slice::sequence_key(key, 0)? {
            Some(Key::Index(i)) => i,
            _ => unreachable!("an index"),
        };
        let value = v.map(byte_arg).transpose()?;
        let n = len(o) as isize;
        let i = if i < 0 { i + n } else { i };
        if i < 0 || i >= n {
            return Err(raise!(IndexError, "bytearray index out of range"));
        }
        return match value {
            Some(b) => {
                as_mut_slice(o)[i as usize] = b;
                Ok(())
            }
            None => replace_range(o, i as usize, i as usize + 1, &[]),
        };
    }
    let (start0, stop0, step) = slice::unpack(key)?;
    let resolve = |n: usize| {
        let (mut start, mut stop) = (start0, stop0);
        let len = slice::adjust_indices(n as isize, &mut start, &mut stop, step) as usize;
        slice::SliceRange { start, stop, step, len }
    };
    let before = len(o);
    let mut r = resolve(before);
    let data = match v {
        Some(v) => Some(assigned_data(o, v)?),
        None => None,
    };
    if len(o) != before {
        r = resolve(len(o));
    }
    let (start, stop) = (r.start, r.stop);
    if step == 1 {
        let lo = start.max(0) as usize;
        let hi = (stop.max(start)).max(0) as usize;
        return replace_range(o, lo, hi.min(len(o)).max(lo), data.as_deref().unwrap_or(&[]));
    }
    match data {
        None => {
            let mut selected = vec![false; len(o)];
            for i in r.indices() {
                selected[i] = true;
            }
            let kept: Vec<u8> = as_slice(o).iter().enumerate().filter(|(i, _)| !selected[*i]).map(|(_, &b)| b).collect();
            resize(o, kept.len())?;
            as_mut_slice(o).copy_from_slice(&kept);
            Ok(())
        }
        Some(d) => {
            if d.len() != r.len {
                return Err(raise!(ValueError, "attempt to assign bytes of size {} to extended slice of size {}", d.len(), r.len));
            }
            let s = as_mut_slice(o);
            for (i, b) in r.indices().zip(d) {
                s[i] = b;
            }
            Ok(())
        }
    }
}

// ---- slots ----------------------------------------------------------------------------------

unsafe extern "C" fn bytearray_dealloc(o: *mut PyObject) {
    // SAFETY: a dead bytearray.
    unsafe {
        let r = o as *mut PyByteArrayObject;
        if !(*r).ob_bytes.is_null() {
            crate::alloc::raw_free((*r).ob_bytes as *mut _);
        }
        match (*(*o).ob_type).tp_free {
            Some(f) => f(o as *mut _),
            None => crate::alloc::free_object(o),
        }
    }
}

unsafe extern "C" fn bytearray_getbuffer(o: *mut PyObject, view: *mut Py_buffer, flags: c_int) -> c_int {
    // SAFETY: live bytearray; the export count keeps the buffer from moving.
    unsafe {
        let b = arg(o);
        let r = crate::buffer::fill_info(view, Some(b), as_ptr(b) as *mut _, len(b) as Py_ssize_t, false, flags);
        if r.is_ok() {
            (*raw(b)).ob_exports += 1;
        }
        ret_int(r.map(|_| 0))
    }
}

unsafe extern "C" fn bytearray_releasebuffer(o: *mut PyObject, _view: *mut Py_buffer) {
    // SAFETY: live bytearray with an export being released.
    unsafe { (*(o as *mut PyByteArrayObject)).ob_exports -= 1 };
}

unsafe extern "C" fn bytearray_new(ty: *mut PyTypeObject, _args: *mut PyObject, _kwds: *mut PyObject) -> *mut PyObject {
    // SAFETY: tp_new contract; zeroed memory is an empty bytearray.
    unsafe {
        let alloc = (*ty).tp_alloc.unwrap_or(crate::alloc::generic_alloc);
        alloc(ty, 0)
    }
}

static INIT_SIG: Sig = Sig { name: "bytearray", params: &["source", "encoding", "errors"], posonly: 0, maxpos: 3, required: 0 };

/// `bytearray.__init__(source, encoding, errors)`.
pub fn init(o: &Obj, args: &[&Obj], kw: Kw) -> PyResult<()> {
    let (x, enc, errs) = bytes::source_encoding_errors(&INIT_SIG, args, kw)?;
    resize(o, 0)?;
    let Some(x) = x else {
        if enc.is_some() || errs.is_some() {
            return Err(raise!(
                TypeError,
                "{}",
                if enc.is_some() { "encoding without a string argument" } else { "errors without a string argument" }
            ));
        }
        return Ok(());
    };
    if unicode::check(x) {
        let Some(enc) = enc else { return Err(raise!(TypeError, "string argument without an encoding")) };
        let b = unicode::encode(x, &enc, errs.as_deref().unwrap_or("strict"))?;
        return set_contents(o, bytes::as_bytes(&b));
    }
    if enc.is_some() || errs.is_some() {
        return Err(raise!(
            TypeError,
            "{}",
            if enc.is_some() { "encoding without a string argument" } else { "errors without a string argument" }
        ));
    }
    if argparse::index_check(x) {
        let n = argparse::ssize(x)?;
        if n < 0 {
            return Err(raise!(ValueError, "negative count"));
        }
        return resize(o, n as usize);
    }
    if let Some(b) = bytes::buffer_bytes(x)? {
        return set_contents(o, &b);
    }
    let it = match iterobject::get_iter(x) {
        Ok(it) => it,
        Err(e) if e.is_instance(exc::TypeError()) => {
            return Err(raise!(TypeError, "cannot convert '{}' object to bytearray", x.ob_type().name()));
        }
        Err(e) => return Err(e),
    };
    while let Some(v) = iterobject::next(&it)? {
        let b = byte_arg(&v)?;
        extend_data(o, &[b])?;
    }
    Ok(())
}

unsafe extern "C" fn bytearray_init(o: *mut PyObject, args: *mut PyObject, kwds: *mut PyObject) -> c_int {
    // SAFETY: tp_init contract.
    let (o, args, kwds) = unsafe { (arg(o), tuple::items(arg(args)), opt_arg(kwds)) };
    let pairs = Kw::pairs_of_dict(kwds);
    let names: Vec<&Obj> = pairs.iter().map(|(k, _)| &**k).collect();
    let values: Vec<&Obj> = pairs.iter().map(|(_, v)| &**v).collect();
    ret_int(init(o, args, Kw { names: &names, values: &values }).map(|_| 0))
}

unsafe extern "C" fn bytearray_repr(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: live bytearray.
    let b = unsafe { arg(o) };
    let prefix = format!("{}(b", b.ob_type().name());
    unicode::new(&bytes::repr_with_prefix(as_slice(b), &prefix, ")")).into_raw()
}

unsafe extern "C" fn bytearray_str(o: *mut PyObject) -> *mut PyObject {
    if let Err(e) = bytes::str_warning("bytearray") {
        e.restore();
        return core::ptr::null_mut();
    }
    // SAFETY: live bytearray.
    unsafe { bytearray_repr(o) }
}

unsafe extern "C" fn bytearray_richcompare(a: *mut PyObject, b: *mut PyObject, op: c_int) -> *mut PyObject {
    // SAFETY: live arguments.
    let (a, b) = unsafe { (arg(a), arg(b)) };
    let r = (|| {
        let (Some(x), Some(y)) = (bytes::buffer_bytes(a)?, bytes::buffer_bytes(b)?) else {
            bytes::comparison_warning("bytearray", a, b, op, false)?;
            return Ok(none::not_implemented());
        };
        Ok(bool_::new(crate::abstract_::ordering_matches(x.cmp(&y), op)))
    })();
    ret_obj(r)
}

unsafe extern "C" fn bytearray_length(o: *mut PyObject) -> Py_ssize_t {
    // SAFETY: live bytearray.
    len(unsafe { arg(o) }) as Py_ssize_t
}

unsafe extern "C" fn bytearray_concat(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    // SAFETY: live arguments.
    ret_obj(bytes::concat::<ByteArray>(unsafe { arg(a) }, unsafe { arg(b) }))
}

unsafe extern "C" fn bytearray_iconcat(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    // SAFETY: live arguments.
    let (a, b) = unsafe { (arg(a), arg(b)) };
    let r = (|| {
        let Some(d) = bytes::buffer_bytes(b)? else {
            return Err(raise!(TypeError, "can't concat {} to {}", b.ob_type().name(), a.ob_type().name()));
        };
        // CPython holds a buffer of `b` while it grows `a`: `a += a` finds itself exported.
        if a.is(b) && !d.is_empty() {
            return Err(raise!(BufferError, "Existing exports of data: object cannot be re-sized"));
        }
        extend_data(a, &d)?;
        Ok(a.new_ref())
    })();
    ret_obj(r)
}

unsafe extern "C" fn bytearray_repeat(a: *mut PyObject, n: Py_ssize_t) -> *mut PyObject {
    // SAFETY: live argument.
    ret_obj(bytes::repeat_data(as_slice(unsafe { arg(a) }), n).map(|v| new(&v)))
}

unsafe extern "C" fn bytearray_irepeat(a: *mut PyObject, n: Py_ssize_t) -> *mut PyObject {
    // SAFETY: live argument.
    let a = unsafe { arg(a) };
    ret_obj(bytes::repeat_data(as_slice(a), n).and_then(|v| set_contents(a, &v)).map(|_| a.new_ref()))
}

unsafe extern "C" fn bytearray_item(a: *mut PyObject, i: Py_ssize_t) -> *mut PyObject {
    // SAFETY: live argument.
    let d = as_slice(unsafe { arg(a) });
    if i < 0 || i as usize >= d.len() {
        return ret_obj(Err(raise!(IndexError, "bytearray index out of range")));
    }
    long::from_i64(d[i as usize] as i64).into_raw()
}

unsafe extern "C" fn bytearray_ass_item(a: *mut PyObject, i: Py_ssize_t, v: *mut PyObject) -> c_int {
    // SAFETY: live arguments.
    let (a, v) = unsafe { (arg(a), opt_arg(v)) };
    ret_int(ass_subscript(a, &long::from_i64(i as i64), v).map(|_| 0))
}

unsafe extern "C" fn bytearray_subscript(a: *mut PyObject, key: *mut PyObject) -> *mut PyObject {
    // SAFETY: live arguments.
    ret_obj(bytes::subscript::<ByteArray>(unsafe { arg(a) }, unsafe { arg(key) }, "bytearray", "bytearray index out of range"))
}

unsafe extern "C" fn bytearray_ass_subscript(a: *mut PyObject, key: *mut PyObject, v: *mut PyObject) -> c_int {
    // SAFETY: live arguments.
    let (a, key, v) = unsafe { (arg(a), arg(key), opt_arg(v)) };
    ret_int(ass_subscript(a, key, v).map(|_| 0))
}

unsafe extern "C" fn bytearray_contains(a: *mut PyObject, x: *mut PyObject) -> c_int {
    // SAFETY: live arguments.
    ret_int(bytes::contains(unsafe { arg(a) }, unsafe { arg(x) }).map(c_int::from))
}

unsafe extern "C" fn bytearray_iter(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: live bytearray.
    iterobject::index_iter_new(&PyByteArrayIter_Type, unsafe { arg(o) }, 0).into_raw()
}

unsafe extern "C" fn bytearrayiter_next(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: live iterator.
    let it = unsafe { arg(o) };
    let (i, Some(seq)) = index_iter_state(it) else { return null_mut() };
    let d = as_slice(seq);
    if i >= 0 && (i as usize) < d.len() {
        iterobject::index_iter_set_index(it, i + 1);
        return long::from_i64(d[i as usize] as i64).into_raw();
    }
    iterobject::index_iter_exhaust(it);
    null_mut()
}

fn bytearrayiter_length_hint(it: &Obj) -> PyResult<PyRef> {
    iterobject::forward_length_hint(it, len)
}

// ---- methods --------------------------------------------------------------------------------

fn m_alloc(o: &Obj) -> PyResult<PyRef> {
    // SAFETY: o is a bytearray.
    Ok(long::from_i64(unsafe { (*raw(o)).ob_alloc } as i64))
}

fn m_append(o: &Obj, v: &Obj) -> PyResult<PyRef> {
    let b = byte_arg(v)?;
    extend_data(o, &[b])?;
    Ok(none::none())
}

fn m_clear(o: &Obj) -> PyResult<PyRef> {
    resize(o, 0)?;
    Ok(none::none())
}

fn m_copy(o: &Obj) -> PyResult<PyRef> {
    Ok(new(as_slice(o)))
}

/// `bytearray.take_bytes(n=None, /)` (3.15): the first `n` bytes (all for None, counted from
/// the end when negative) as bytes, removed from the bytearray.
fn m_take_bytes(o: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    crate::objects::argparse::check_positional("take_bytes", a.len(), 0, 1)?;
    let size = as_slice(o).len() as i64;
    let mut n = match a.first() {
        None => size,
        Some(v) if v.is(none::none_obj()) => size,
        Some(v) if long::check(v) || v.ob_type().slots().tp_as_number.is_null() == false && crate::abstract_::index(v).is_ok() => {
            long::to_i64(&*crate::abstract_::index(v)?).unwrap_or(i64::MAX)
        }
        Some(_) => return Err(raise!(TypeError, "n must be an integer or None")),
    };
    if n < 0 {
        n += size;
    }
    if n < 0 || n > size {
        return Err(raise!(IndexError, "can't take {n} bytes outside size {size}"));
    }
    let data = as_slice(o);
    let taken = bytes::new(&data[..n as usize]);
    let rest = data[n as usize..].to_vec();
    resize(o, 0)?;
    extend_data(o, &rest)?;
    Ok(taken)
}

/// `bytearray.extend(iterable_of_ints)`.
pub fn extend(o: &Obj, it: &Obj) -> PyResult<()> {
    if let Some(b) = bytes::buffer_bytes(it)? {
        return extend_data(o, &b);
    }
    if unicode::check(it) {
        return Err(raise!(TypeError, "expected iterable of integers; got: 'str'"));
    }
    let iter = match iterobject::get_iter(it) {
        Ok(i) => i,
        Err(e) if e.is_instance(exc::TypeError()) => {
            return Err(raise!(TypeError, "can't extend bytearray with {}", it.ob_type().name()));
        }
        Err(e) => return Err(e),
    };
    let mut buf = Vec::new();
    while let Some(v) = iterobject::next(&iter)? {
        buf.push(byte_arg(&v)?);
    }
    extend_data(o, &buf)
}

fn m_extend(o: &Obj, it: &Obj) -> PyResult<PyRef> {
    extend(o, it)?;
    Ok(none::none())
}

fn m_insert(o: &Obj, args: &[&Obj]) -> PyResult<PyRef> {
    check_positional("insert", args.len(), 2, 2)?;
    let i = argparse::ssize(args[0])?;
    let b = byte_arg(args[1])?;
    let n = len(o) as isize;
    let i = if i < 0 { (i + n).max(0) } else { i.min(n) } as usize;
    replace_range(o, i, i, &[b])?;
    Ok(none::none())
}

fn m_pop(o: &Obj, args: &[&Obj]) -> PyResult<PyRef> {
    check_positional("pop", args.len(), 0, 1)?;
    let i = match args.first() {
        Some(a) => argparse::ssize(a)?,
        None => -1,
    };
    let n = len(o) as isize;
    if n == 0 {
        return Err(raise!(IndexError, "pop from empty bytearray"));
    }
    let j = if i < 0 { i + n } else { i };
    if j < 0 || j >= n {
        return Err(raise!(IndexError, "pop index out of range"));
    }
    let v = as_slice(o)[j as usize];
    replace_range(o, j as usize, j as usize + 1, &[])?;
    Ok(long::from_i64(v as i64))
}

fn m_remove(o: &Obj, v: &Obj) -> PyResult<PyRef> {
    let b = byte_arg(v)?;
    match as_slice(o).iter().position(|&x| x == b) {
        Some(i) => {
            replace_range(o, i, i + 1, &[])?;
            Ok(none::none())
        }
        None => Err(raise!(ValueError, "value not found in bytearray")),
    }
}

fn m_reverse(o: &Obj) -> PyResult<PyRef> {
    as_mut_slice(o).reverse();
    Ok(none::none())
}
