//! `bytes`: `PyBytesObject` (var header, cached hash, inline NUL-terminated data), its iterator,
//! and the methods `bytes` and `bytearray` share (CPython's `bytes_methods.c` + `stringlib`):
//! each is written once, generic over [`ByteKind`], which says what type the results have.

use core::ffi::c_int;
use core::mem::offset_of;

use pyrite_abi::*;

use crate::err::PyResult;
use crate::hash;
use crate::object::{Obj, PyRef, StaticObject};
use crate::objects::argparse::{self, check_positional, Kw, Sig};
use crate::objects::iterobject::{self, index_iter_state, IndexIter};
use crate::objects::slice::{self as slice_mod, Key};
use crate::objects::type_::{TypeObj, BUILTIN_BASETYPE_FLAGS, BUILTIN_FLAGS};
use crate::objects::unicode::stringlib::{self, Justify};
use crate::objects::{bool_, bytearray, list, long, none, tuple, unicode};
use crate::slot::{arg, opt_arg, ret_obj};
use crate::{method_table, static_type};

/// `bytes % args` (PEP 461, `vm/src/format.rs`).
static PERCENT_AS_NUMBER: crate::object::StaticObject<PyNumberMethods> =
    crate::object::StaticObject::new(PyNumberMethods { nb_remainder: Some(crate::format::bytes_like_mod), ..PyNumberMethods::EMPTY });


static_type!(PyBytes_Type, c"bytes", offset_of!(PyBytesObject, ob_sval), {
    tp_itemsize: 1,
    tp_flags: BUILTIN_BASETYPE_FLAGS | Py_TPFLAGS_BYTES_SUBCLASS | _Py_TPFLAGS_MATCH_SELF,
    tp_dealloc: Some(bytes_dealloc),
    tp_repr: Some(bytes_repr),
    tp_str: Some(bytes_str),
    tp_hash: Some(bytes_hash),
    tp_richcompare: Some(bytes_richcompare),
    tp_iter: Some(bytes_iter),
    tp_as_number: PERCENT_AS_NUMBER.0.get(),
    tp_as_sequence: BYTES_AS_SEQUENCE.0.get(),
    tp_as_mapping: BYTES_AS_MAPPING.0.get(),
    tp_as_buffer: BYTES_AS_BUFFER.0.get(),
    tp_methods: BYTES_METHODS.0.get() as *mut PyMethodDef,
    tp_alloc: Some(crate::alloc::generic_alloc),
    tp_new: Some(bytes_new),
    tp_doc: c"bytes(iterable_of_ints) -> bytes\nbytes(string, encoding[, errors]) -> bytes\nbytes(bytes_or_buffer) -> immutable copy of bytes_or_buffer\nbytes(int) -> bytes object of size given by the parameter initialized with null bytes\nbytes() -> empty bytes object\n\nConstruct an immutable array of bytes from:\n  - an iterable yielding integers in range(256)\n  - a text string encoded using the specified encoding\n  - any object implementing the buffer API.\n  - an integer".as_ptr(),
});

static BYTES_AS_SEQUENCE: StaticObject<PySequenceMethods> = StaticObject::new(PySequenceMethods {
    sq_length: Some(bytes_length),
    sq_concat: Some(bytes_concat),
    sq_repeat: Some(bytes_repeat),
    sq_item: Some(bytes_item),
    sq_contains: Some(bytes_contains),
    ..PySequenceMethods::EMPTY
});

static BYTES_AS_MAPPING: StaticObject<PyMappingMethods> = StaticObject::new(PyMappingMethods {
    mp_length: Some(bytes_length),
    mp_subscript: Some(bytes_subscript),
    mp_ass_subscript: None,
});

static BYTES_AS_BUFFER: StaticObject<PyBufferProcs> =
    StaticObject::new(PyBufferProcs { bf_getbuffer: Some(bytes_getbuffer), bf_releasebuffer: None });

method_table!(static BYTES_METHODS = [
    noargs c"__getnewargs__" => m_getnewargs,
    noargs c"__bytes__" => m_bytes,
    noargs c"capitalize" => m_capitalize::<Bytes>,
    fast c"center" => m_center::<Bytes>,
    fast c"count" => m_count,
    kw c"decode" => m_decode,
    fast c"endswith" => m_endswith,
    kw c"expandtabs" => m_expandtabs::<Bytes>,
    fast c"find" => m_find,
    class_o c"fromhex" => m_fromhex::<Bytes>,
    kw c"hex" => m_hex,
    fast c"index" => m_index,
    noargs c"isalnum" => m_isalnum,
    noargs c"isalpha" => m_isalpha,
    noargs c"isascii" => m_isascii,
    noargs c"isdigit" => m_isdigit,
    noargs c"islower" => m_islower,
    noargs c"isspace" => m_isspace,
    noargs c"istitle" => m_istitle,
    noargs c"isupper" => m_isupper,
    o c"join" => m_join::<Bytes>,
    fast c"ljust" => m_ljust::<Bytes>,
    noargs c"lower" => m_lower::<Bytes>,
    fast c"lstrip" => m_lstrip::<Bytes>,
    static_kw c"maketrans" => m_maketrans::<Bytes>,
    o c"partition" => m_partition::<Bytes>,
    kw c"replace" => m_replace::<Bytes>,
    o c"removeprefix" => m_removeprefix::<Bytes>,
    o c"removesuffix" => m_removesuffix::<Bytes>,
    fast c"rfind" => m_rfind,
    fast c"rindex" => m_rindex,
    fast c"rjust" => m_rjust::<Bytes>,
    o c"rpartition" => m_rpartition::<Bytes>,
    kw c"rsplit" => m_rsplit::<Bytes>,
    fast c"rstrip" => m_rstrip::<Bytes>,
    kw c"split" => m_split::<Bytes>,
    kw c"splitlines" => m_splitlines::<Bytes>,
    fast c"startswith" => m_startswith,
    fast c"strip" => m_strip::<Bytes>,
    noargs c"swapcase" => m_swapcase::<Bytes>,
    noargs c"title" => m_title::<Bytes>,
    kw c"translate" => m_translate::<Bytes>,
    noargs c"upper" => m_upper::<Bytes>,
    o c"zfill" => m_zfill::<Bytes>,
]);

static_type!(PyBytesIter_Type, c"bytes_iterator", core::mem::size_of::<IndexIter>(), {
    tp_flags: BUILTIN_FLAGS | Py_TPFLAGS_HAVE_GC,
    tp_dealloc: Some(iterobject::index_iter_dealloc),
    tp_traverse: Some(iterobject::index_iter_traverse),
    tp_iter: Some(iterobject::self_iter),
    tp_iternext: Some(bytesiter_next),
    tp_methods: BYTESITER_METHODS.0.get() as *mut PyMethodDef,
    tp_free: Some(crate::alloc::gc_del),
});

method_table!(static BYTESITER_METHODS = [
    noargs c"__length_hint__" => bytesiter_length_hint,
]);

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

/// A bytes object holding `data`; empty and one-byte ones are shared singletons, as in
/// CPython (`b'' is bytes()`, `b'a' is b'ab'[:1]`).
pub fn new(data: &[u8]) -> PyRef {
    match data {
        [] => return empty_obj().new_ref(),
        [c] => return one_byte(*c).new_ref(),
        _ => {}
    }
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
pub fn check_exact(o: &Obj) -> bool {
    o.is_exact(&PyBytes_Type)
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

/// The data of a bytes or bytearray object (borrowed: copy it before running Python code).
pub fn bytes_of(o: &Obj) -> &[u8] {
    if bytearray::check(o) { bytearray::as_slice(o) } else { as_bytes(o) }
}

/// A copy of the data of any object with the buffer protocol, or `None` if it has none.
pub fn buffer_bytes(o: &Obj) -> PyResult<Option<Vec<u8>>> {
    if check(o) || bytearray::check(o) {
        return Ok(Some(bytes_of(o).to_vec()));
    }
    // SAFETY: reading a slot table of a live type.
    let Some(get) = (unsafe { o.ob_type().slots().tp_as_buffer.as_ref() }).and_then(|b| b.bf_getbuffer) else {
        return Ok(None);
    };
    let mut view: Py_buffer = unsafe { core::mem::zeroed() };
    // SAFETY: a buffer request with a live exporter; released below.
    unsafe {
        // As `_PyBytes_FromBuffer`: any layout, copied out in C order.
        crate::slot::from_status(get(o.as_ptr(), &mut view, PyBUF_FULL_RO))?;
        let data = if view.buf.is_null() { Vec::new() } else { crate::buffer::to_contiguous(&view, b'C') };
        if let Some(rel) = view.obj.as_ref().and_then(|ob| (*ob.ob_type).tp_as_buffer.as_ref()).and_then(|b| b.bf_releasebuffer) {
            rel(view.obj, &mut view);
        }
        crate::object::xdecref(view.obj);
        Ok(Some(data))
    }
}

/// A bytes-like argument, or `TypeError: a bytes-like object is required, not 'str'`.
pub fn bytes_like(o: &Obj) -> PyResult<Vec<u8>> {
    buffer_bytes(o)?.ok_or_else(|| raise!(TypeError, "a bytes-like object is required, not '{}'", o.ob_type().name()))
}

pub fn repr_bytes(b: &[u8]) -> String {
    repr_with_prefix(b, "b", "")
}

/// `b'...'` always in single quotes (`PyBytes_Repr` without smartquotes).
pub fn repr_single_quoted(b: &[u8]) -> String {
    repr_quoted(b, "b", "", '\'')
}

/// `b'...'` with a prefix and suffix (`bytearray(b'...')` is prefix `bytearray(b`, suffix `)`).
pub fn repr_with_prefix(b: &[u8], prefix: &str, suffix: &str) -> String {
    let quote = if b.contains(&b'\'') && !b.contains(&b'"') { '"' } else { '\'' };
    repr_quoted(b, prefix, suffix, quote)
}

fn repr_quoted(b: &[u8], prefix: &str, suffix: &str, quote: char) -> String {
    let mut s = String::from(prefix);
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
    s.push_str(suffix);
    s
}

pub fn types() -> [&'static TypeObj; 2] {
    [&PyBytes_Type, &PyBytesIter_Type]
}

/// The one-byte bytes object for `c` (immortal, created on first use).
fn one_byte(c: u8) -> &'static Obj {
    static ONE: [std::sync::OnceLock<crate::object::SyncPtr<PyObject>>; 256] = [const { std::sync::OnceLock::new() }; 256];
    let p = ONE[c as usize]
        .get_or_init(|| {
            let r = alloc(1);
            // SAFETY: r has room for one byte.
            unsafe { *as_mut_ptr(&r) = c };
            crate::object::SyncPtr(crate::object::make_immortal(r))
        })
        .0;
    // SAFETY: immortal objects live forever.
    unsafe { Obj::from_ptr(p) }
}

/// The empty bytes object (immortal, created on first use).
pub fn empty_obj() -> &'static Obj {
    static EMPTY: std::sync::OnceLock<crate::object::SyncPtr<PyObject>> = std::sync::OnceLock::new();
    let p = EMPTY.get_or_init(|| crate::object::SyncPtr(crate::object::make_immortal(alloc(0)))).0;
    // SAFETY: immortal objects live forever.
    unsafe { Obj::from_ptr(p) }
}

/// What the shared methods build their results as.
pub trait ByteKind {
    /// The type's name, for messages.
    const NAME: &'static str;
    /// A result holding `data`.
    fn make(data: &[u8]) -> PyRef;
    /// A result equal to `o` (an exact bytes returns itself; bytearray always copies).
    fn same(o: &Obj) -> PyRef;
}

pub struct Bytes;

impl ByteKind for Bytes {
    const NAME: &'static str = "bytes";
    fn make(data: &[u8]) -> PyRef {
        new(data)
    }
    fn same(o: &Obj) -> PyRef {
        if check_exact(o) { o.new_ref() } else { new(as_bytes(o)) }
    }
}

/// `PyObject_Bytes`: `o` itself if exactly bytes, else `o.__bytes__()` (which must return
/// bytes), else `bytes(o)` of a buffer or an iterable of ints.
pub fn object_bytes(o: &Obj) -> PyResult<PyRef> {
    if check_exact(o) {
        return Ok(o.new_ref());
    }
    if let Some(f) = argparse::lookup_special(o, "__bytes__")? {
        let r = crate::abstract_::call_no_args(&f)?;
        if !check(&r) {
            return Err(raise!(TypeError, "__bytes__ returned non-bytes (type {})", r.ob_type().name()));
        }
        return Ok(r);
    }
    Ok(new(&data_from_object(o)?))
}

/// `bytes(x)` for lists, tuples, iterables of ints and buffers (`PyBytes_FromObject`), as
/// data.
pub fn data_from_object(x: &Obj) -> PyResult<Vec<u8>> {
    if let Some(b) = buffer_bytes(x)? {
        return Ok(b);
    }
    if unicode::check(x) {
        return Err(raise!(TypeError, "cannot convert '{}' object to bytes", x.ob_type().name()));
    }
    let it = match iterobject::get_iter(x) {
        Ok(it) => it,
        Err(e) if e.is_instance(crate::objects::exceptions::TypeError()) => {
            return Err(raise!(TypeError, "cannot convert '{}' object to bytes", x.ob_type().name()));
        }
        Err(e) => return Err(e),
    };
    let mut out = Vec::new();
    while let Some(v) = iterobject::next(&it)? {
        out.push(byte_value(&v, "bytes must be in range(0, 256)")?);
    }
    Ok(out)
}

/// An int in `range(256)` (`__index__` accepted).
pub fn byte_value(v: &Obj, range_msg: &str) -> PyResult<u8> {
    let n = argparse::ssize_clamped(v)?;
    if !(0..256).contains(&n) {
        return Err(crate::err::PyErr::new(crate::objects::exceptions::ValueError(), range_msg));
    }
    Ok(n as u8)
}

// ---- slots ----------------------------------------------------------------------------------

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

unsafe extern "C" fn bytes_str(o: *mut PyObject) -> *mut PyObject {
    if let Err(e) = str_warning("bytes") {
        e.restore();
        return core::ptr::null_mut();
    }
    // SAFETY: live bytes.
    unsafe { bytes_repr(o) }
}

/// `-b`: `str()` of bytes or a bytearray warns BytesWarning (an error with `-bb`).
pub fn str_warning(kind: &str) -> PyResult<()> {
    if crate::config::get().bytes_warning == 0 {
        return Ok(());
    }
    let msg = unicode::new(&format!("str() on a {kind} instance"));
    crate::stdlib::warnings::warn(None, &msg, 1, crate::objects::exceptions::BytesWarning())
}

/// `-b`: `==`/`!=` between bytes (or a bytearray) and a str warns BytesWarning, and between
/// bytes and an int when `with_int` (CPython's `bytes_richcompare`).
pub fn comparison_warning(kind: &str, a: &Obj, b: &Obj, op: c_int, with_int: bool) -> PyResult<()> {
    if crate::config::get().bytes_warning == 0 || !(op == Py_EQ || op == Py_NE) {
        return Ok(());
    }
    let other = if unicode::check(a) || unicode::check(b) {
        "string"
    } else if with_int && (crate::objects::long::check(a) || crate::objects::long::check(b)) {
        "int"
    } else {
        return Ok(());
    };
    let msg = unicode::new(&format!("Comparison between {kind} and {other}"));
    crate::stdlib::warnings::warn(None, &msg, 1, crate::objects::exceptions::BytesWarning())
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
        if let Err(e) = comparison_warning("bytes", a, b, op, true) {
            e.restore();
        return core::ptr::null_mut();
        }
        return none::not_implemented().into_raw();
    }
    bool_::new(crate::abstract_::ordering_matches(as_bytes(a).cmp(as_bytes(b)), op)).into_raw()
}

unsafe extern "C" fn bytes_length(o: *mut PyObject) -> Py_ssize_t {
    // SAFETY: live bytes.
    unsafe { arg(o).ob_size() }
}

/// `a + b` for bytes-like `b` (the result has `K`'s type).
pub fn concat<K: ByteKind>(a: &Obj, b: &Obj) -> PyResult<PyRef> {
    let Some(bb) = buffer_bytes(b)? else {
        return Err(raise!(TypeError, "can't concat {} to {}", b.ob_type().name(), a.ob_type().name()));
    };
    let mut v = bytes_of(a).to_vec();
    v.extend_from_slice(&bb);
    Ok(K::make(&v))
}

unsafe extern "C" fn bytes_concat(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    // SAFETY: live arguments.
    let (a, b) = unsafe { (arg(a), arg(b)) };
    if buffer_bytes(b).is_ok_and(|x| x.is_none()) {
        return ret_obj(Err(raise!(TypeError, "can't concat {} to bytes", b.ob_type().name())));
    }
    ret_obj(concat::<Bytes>(a, b))
}

/// `n` copies of `data`.
pub fn repeat_data(data: &[u8], n: isize) -> PyResult<Vec<u8>> {
    if n <= 0 || data.is_empty() {
        return Ok(Vec::new());
    }
    if data.len().checked_mul(n as usize).is_none_or(|t| t > isize::MAX as usize / 2) {
        return Err(crate::err::PyErr::from_type_no_args(crate::objects::exceptions::MemoryError()));
    }
    Ok(data.repeat(n as usize))
}

unsafe extern "C" fn bytes_repeat(a: *mut PyObject, n: Py_ssize_t) -> *mut PyObject {
    // SAFETY: live argument.
    let b = unsafe { arg(a) };
    if n == 1 && check_exact(b) {
        return b.new_ref().into_raw();
    }
    ret_obj(repeat_data(as_bytes(b), n).map(|v| new(&v)))
}

unsafe extern "C" fn bytes_item(a: *mut PyObject, i: Py_ssize_t) -> *mut PyObject {
    // SAFETY: live argument.
    let b = as_bytes(unsafe { arg(a) });
    if i < 0 || i as usize >= b.len() {
        return ret_obj(Err(raise!(IndexError, "index out of range")));
    }
    long::from_i64(b[i as usize] as i64).into_raw()
}

/// `b[key]` for bytes and bytearray: an int or a slice of kind `K`.
pub fn subscript<K: ByteKind>(o: &Obj, key: &Obj, what: &str, index_msg: &str) -> PyResult<PyRef> {
    let data = bytes_of(o);
    match slice_mod::sequence_key(key, data.len())? {
        Some(Key::Index(i)) => {
            if i < 0 || i as usize >= data.len() {
                return Err(crate::err::PyErr::new(crate::objects::exceptions::IndexError(), index_msg));
            }
            Ok(long::from_i64(data[i as usize] as i64))
        }
        Some(Key::Slice(r)) => {
            if r.step == 1 && r.len == data.len() {
                return Ok(K::same(o));
            }
            let picked: Vec<u8> = r.indices().map(|i| data[i]).collect();
            Ok(K::make(&picked))
        }
        None => Err(raise!(TypeError, "{} indices must be integers or slices, not {}", what, key.ob_type().name())),
    }
}

unsafe extern "C" fn bytes_subscript(a: *mut PyObject, key: *mut PyObject) -> *mut PyObject {
    // SAFETY: live arguments.
    ret_obj(subscript::<Bytes>(unsafe { arg(a) }, unsafe { arg(key) }, "byte", "index out of range"))
}

/// `x in b` for bytes and bytearray: an int in `range(256)` or a bytes-like substring.
pub fn contains(o: &Obj, x: &Obj) -> PyResult<bool> {
    if argparse::index_check(x) {
        let v = byte_value(x, "byte must be in range(0, 256)")?;
        return Ok(bytes_of(o).contains(&v));
    }
    let needle = bytes_like(x)?;
    let hay = bytes_of(o);
    Ok(stringlib::find(hay, &needle, 0, hay.len()).is_some())
}

unsafe extern "C" fn bytes_contains(a: *mut PyObject, x: *mut PyObject) -> c_int {
    // SAFETY: live arguments.
    crate::slot::ret_int(contains(unsafe { arg(a) }, unsafe { arg(x) }).map(c_int::from))
}

unsafe extern "C" fn bytes_iter(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: live bytes.
    iterobject::index_iter_new(&PyBytesIter_Type, unsafe { arg(o) }, 0).into_raw()
}

unsafe extern "C" fn bytesiter_next(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: live iterator.
    let it = unsafe { arg(o) };
    let (i, Some(seq)) = index_iter_state(it) else { return core::ptr::null_mut() };
    let data = as_bytes(seq);
    if i >= 0 && (i as usize) < data.len() {
        iterobject::index_iter_set_index(it, i + 1);
        return long::from_i64(data[i as usize] as i64).into_raw();
    }
    iterobject::index_iter_exhaust(it);
    core::ptr::null_mut()
}

fn bytesiter_length_hint(it: &Obj) -> PyResult<PyRef> {
    iterobject::forward_length_hint(it, |s| as_bytes(s).len())
}

static BYTES_NEW_SIG: Sig = Sig { name: "bytes", params: &["source", "encoding", "errors"], posonly: 0, maxpos: 3, required: 0 };

/// Parses `(source, encoding, errors)` of `bytes()`/`bytearray()`.
pub fn source_encoding_errors<'a>(
    sig: &Sig,
    args: &[&'a Obj],
    kw: Kw<'a>,
) -> PyResult<(Option<&'a Obj>, Option<String>, Option<String>)> {
    let [src, enc, errs] = argparse::parse(sig, args, kw)?;
    let param = |name: &str, o: Option<&Obj>| -> PyResult<Option<String>> {
        match o {
            None => Ok(None),
            Some(v) if unicode::check(v) => unicode::as_str(v).map(|s| Some(s.to_string())),
            Some(v) => Err(raise!(TypeError, "{}() argument '{}' must be str, not {}", sig.name, name, v.ob_type().name())),
        }
    };
    Ok((src, param("encoding", enc)?, param("errors", errs)?))
}

/// `bytes(source, encoding, errors)` for `ty`.
pub fn new_instance(ty: &TypeObj, args: &[&Obj], kw: Kw) -> PyResult<PyRef> {
    let (x, enc, errs) = source_encoding_errors(&BYTES_NEW_SIG, args, kw)?;
    let value = match x {
        None => {
            if enc.is_some() || errs.is_some() {
                return Err(raise!(
                    TypeError,
                    "{}",
                    if enc.is_some() { "encoding without a string argument" } else { "errors without a string argument" }
                ));
            }
            new(&[])
        }
        Some(x) if enc.is_some() => {
            if !unicode::check(x) {
                return Err(raise!(TypeError, "encoding without a string argument"));
            }
            unicode::encode(x, enc.as_deref().unwrap(), errs.as_deref().unwrap_or("strict"))?
        }
        Some(x) if errs.is_some() => {
            return Err(raise!(
                TypeError,
                "{}",
                if unicode::check(x) { "string argument without an encoding" } else { "errors without a string argument" }
            ));
        }
        Some(x) => {
            if let Some(f) = argparse::lookup_special(x, "__bytes__")? {
                let b = crate::abstract_::call_no_args(&f)?;
                if !check(&b) {
                    return Err(raise!(TypeError, "__bytes__ returned non-bytes (type {})", b.ob_type().name()));
                }
                b
            } else if unicode::check(x) {
                return Err(raise!(TypeError, "string argument without an encoding"));
            } else if argparse::index_check(x) {
                let n = argparse::ssize(x)?;
                if n < 0 {
                    return Err(raise!(ValueError, "negative count"));
                }
                alloc(n as usize)
            } else if check_exact(x) {
                x.new_ref()
            } else {
                new(&data_from_object(x)?)
            }
        }
    };
    if ty.is(&PyBytes_Type) {
        return Ok(value);
    }
    // A subclass instance: allocated by the subtype, filled with the data.
    let data = as_bytes(&value);
    let alloc = ty.slots().tp_alloc.unwrap_or(crate::alloc::generic_alloc);
    // SAFETY: tp_alloc of a bytes subtype returns zeroed memory with room for the data + NUL.
    unsafe {
        let op = crate::slot::from_new(alloc(ty.raw(), data.len() as Py_ssize_t))?;
        (*(op.as_ptr() as *mut PyBytesObject)).ob_shash = -1;
        core::ptr::copy_nonoverlapping(data.as_ptr(), as_mut_ptr(&op), data.len());
        Ok(op)
    }
}

unsafe extern "C" fn bytes_new(ty: *mut PyTypeObject, args: *mut PyObject, kwds: *mut PyObject) -> *mut PyObject {
    // SAFETY: tp_new contract.
    let (t, args, kwds) = unsafe { (TypeObj::from_ptr(ty), tuple::items(arg(args)), opt_arg(kwds)) };
    let pairs = Kw::pairs_of_dict(kwds);
    let names: Vec<&Obj> = pairs.iter().map(|(k, _)| &**k).collect();
    let values: Vec<&Obj> = pairs.iter().map(|(_, v)| &**v).collect();
    ret_obj(new_instance(t, args, Kw { names: &names, values: &values }))
}

// ---- the shared methods ---------------------------------------------------------------------

fn data(o: &Obj) -> Vec<u8> {
    bytes_of(o).to_vec()
}

fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c)
}

fn m_getnewargs(o: &Obj) -> PyResult<PyRef> {
    Ok(tuple::new_from_owned(vec![new(as_bytes(o))]))
}

fn m_bytes(o: &Obj) -> PyResult<PyRef> {
    Ok(Bytes::same(o))
}

pub fn m_lower<K: ByteKind>(o: &Obj) -> PyResult<PyRef> {
    Ok(K::make(&data(o).to_ascii_lowercase()))
}

pub fn m_upper<K: ByteKind>(o: &Obj) -> PyResult<PyRef> {
    Ok(K::make(&data(o).to_ascii_uppercase()))
}

pub fn m_swapcase<K: ByteKind>(o: &Obj) -> PyResult<PyRef> {
    let v: Vec<u8> = data(o).iter().map(|&c| if c.is_ascii_lowercase() { c.to_ascii_uppercase() } else { c.to_ascii_lowercase() }).collect();
    Ok(K::make(&v))
}

pub fn m_capitalize<K: ByteKind>(o: &Obj) -> PyResult<PyRef> {
    let mut v = data(o).to_ascii_lowercase();
    if let Some(c) = v.first_mut() {
        *c = c.to_ascii_uppercase();
    }
    Ok(K::make(&v))
}

pub fn m_title<K: ByteKind>(o: &Obj) -> PyResult<PyRef> {
    let mut prev_cased = false;
    let v: Vec<u8> = data(o)
        .iter()
        .map(|&c| {
            let r = if prev_cased { c.to_ascii_lowercase() } else { c.to_ascii_uppercase() };
            prev_cased = c.is_ascii_alphabetic();
            r
        })
        .collect();
    Ok(K::make(&v))
}

fn all_nonempty(o: &Obj, f: fn(&u8) -> bool) -> PyResult<PyRef> {
    let d = bytes_of(o);
    Ok(bool_::new(!d.is_empty() && d.iter().all(f)))
}

pub fn m_isalnum(o: &Obj) -> PyResult<PyRef> {
    all_nonempty(o, u8::is_ascii_alphanumeric)
}
pub fn m_isalpha(o: &Obj) -> PyResult<PyRef> {
    all_nonempty(o, u8::is_ascii_alphabetic)
}
pub fn m_isdigit(o: &Obj) -> PyResult<PyRef> {
    all_nonempty(o, u8::is_ascii_digit)
}
pub fn m_isspace(o: &Obj) -> PyResult<PyRef> {
    all_nonempty(o, |c| is_space(*c))
}
pub fn m_isascii(o: &Obj) -> PyResult<PyRef> {
    Ok(bool_::new(bytes_of(o).is_ascii()))
}
pub fn m_islower(o: &Obj) -> PyResult<PyRef> {
    let d = bytes_of(o);
    Ok(bool_::new(d.iter().any(u8::is_ascii_lowercase) && !d.iter().any(u8::is_ascii_uppercase)))
}
pub fn m_isupper(o: &Obj) -> PyResult<PyRef> {
    let d = bytes_of(o);
    Ok(bool_::new(d.iter().any(u8::is_ascii_uppercase) && !d.iter().any(u8::is_ascii_lowercase)))
}
pub fn m_istitle(o: &Obj) -> PyResult<PyRef> {
    let (mut cased, mut prev) = (false, false);
    for &c in bytes_of(o) {
        if c.is_ascii_uppercase() {
            if prev {
                return Ok(bool_::new(false));
            }
            prev = true;
            cased = true;
        } else if c.is_ascii_lowercase() {
            if !prev {
                return Ok(bool_::new(false));
            }
            prev = true;
            cased = true;
        } else {
            prev = false;
        }
    }
    Ok(bool_::new(cased))
}

/// `sub[, start[, end]]` of `find`-like methods: `sub` is bytes-like or an int in range(256).
fn find_args(name: &str, o: &Obj, args: &[&Obj]) -> PyResult<(Vec<u8>, Vec<u8>, usize, usize)> {
    check_positional(name, args.len(), 1, 3)?;
    let sub = if argparse::index_check(args[0]) {
        vec![byte_value(args[0], "byte must be in range(0, 256)")?]
    } else {
        match buffer_bytes(args[0])? {
            Some(b) => b,
            None => {
                return Err(raise!(TypeError, "argument should be integer or bytes-like object, not '{}'", args[0].ob_type().name()));
            }
        }
    };
    let start = argparse::find_index(args.get(1).copied())?;
    let end = argparse::find_index(args.get(2).copied())?;
    let hay = data(o);
    let (a, b) = argparse::adjust_range(start, end, hay.len());
    Ok((hay, sub, a, b))
}

pub fn m_find(o: &Obj, args: &[&Obj]) -> PyResult<PyRef> {
    let (h, s, a, b) = find_args("find", o, args)?;
    Ok(long::from_i64(stringlib::find(&h, &s, a, b).map_or(-1, |i| i as i64)))
}
pub fn m_rfind(o: &Obj, args: &[&Obj]) -> PyResult<PyRef> {
    let (h, s, a, b) = find_args("rfind", o, args)?;
    Ok(long::from_i64(stringlib::rfind(&h, &s, a, b).map_or(-1, |i| i as i64)))
}
pub fn m_index(o: &Obj, args: &[&Obj]) -> PyResult<PyRef> {
    let (h, s, a, b) = find_args("index", o, args)?;
    stringlib::find(&h, &s, a, b).map(|i| long::from_i64(i as i64)).ok_or_else(|| raise!(ValueError, "subsection not found"))
}
pub fn m_rindex(o: &Obj, args: &[&Obj]) -> PyResult<PyRef> {
    let (h, s, a, b) = find_args("rindex", o, args)?;
    stringlib::rfind(&h, &s, a, b).map(|i| long::from_i64(i as i64)).ok_or_else(|| raise!(ValueError, "subsection not found"))
}
pub fn m_count(o: &Obj, args: &[&Obj]) -> PyResult<PyRef> {
    let (h, s, a, b) = find_args("count", o, args)?;
    Ok(long::from_i64(stringlib::count(&h, &s, a, b, usize::MAX) as i64))
}

fn tailmatch(hay: &[u8], sub: &[u8], start: usize, end: usize, suffix: bool) -> bool {
    let end = end.min(hay.len());
    if start > end || end - start < sub.len() {
        return false;
    }
    if suffix { hay[end - sub.len()..end] == *sub } else { hay[start..start + sub.len()] == *sub }
}

fn starts_ends(name: &str, o: &Obj, args: &[&Obj], suffix: bool) -> PyResult<PyRef> {
    check_positional(name, args.len(), 1, 3)?;
    let start = argparse::find_index(args.get(1).copied())?;
    let end = argparse::find_index(args.get(2).copied())?;
    let hay = data(o);
    let (a, b) = argparse::adjust_range(start, end, hay.len());
    if let Some(items) = tuple::as_slice_if_tuple(args[0]) {
        for it in items {
            let Some(sub) = buffer_bytes(it)? else {
                return Err(raise!(TypeError, "a bytes-like object is required, not '{}'", it.ob_type().name()));
            };
            if tailmatch(&hay, &sub, a, b, suffix) {
                return Ok(bool_::new(true));
            }
        }
        return Ok(bool_::new(false));
    }
    let Some(sub) = buffer_bytes(args[0])? else {
        return Err(raise!(TypeError, "{} first arg must be bytes or a tuple of bytes, not {}", name, args[0].ob_type().name()));
    };
    Ok(bool_::new(tailmatch(&hay, &sub, a, b, suffix)))
}

pub fn m_startswith(o: &Obj, args: &[&Obj]) -> PyResult<PyRef> {
    starts_ends("startswith", o, args, false)
}
pub fn m_endswith(o: &Obj, args: &[&Obj]) -> PyResult<PyRef> {
    starts_ends("endswith", o, args, true)
}

static SPLIT_SIG: Sig = Sig { name: "split", params: &["sep", "maxsplit"], posonly: 0, maxpos: 2, required: 0 };
static RSPLIT_SIG: Sig = Sig { name: "rsplit", params: &["sep", "maxsplit"], posonly: 0, maxpos: 2, required: 0 };

fn split_impl<K: ByteKind>(o: &Obj, args: &[&Obj], kw: Kw, right: bool) -> PyResult<PyRef> {
    let [sep, maxsplit] = argparse::parse(if right { &RSPLIT_SIG } else { &SPLIT_SIG }, args, kw)?;
    let max = match maxsplit {
        Some(m) => argparse::ssize(m)?,
        None => -1,
    };
    let max = if max < 0 { usize::MAX } else { max as usize };
    let d = data(o);
    let ranges = match argparse::not_none(sep) {
        None if right => stringlib::rsplit_whitespace(&d, is_space, max),
        None => stringlib::split_whitespace(&d, is_space, max),
        Some(sep) => {
            let sep = bytes_like(sep)?;
            if sep.is_empty() {
                return Err(raise!(ValueError, "empty separator"));
            }
            if right { stringlib::rsplit_sep(&d, &sep, max) } else { stringlib::split_sep(&d, &sep, max) }
        }
    };
    Ok(list::new_from_owned(ranges.into_iter().map(|r| K::make(&d[r])).collect()))
}

pub fn m_split<K: ByteKind>(o: &Obj, args: &[&Obj], kw: Kw) -> PyResult<PyRef> {
    split_impl::<K>(o, args, kw, false)
}
pub fn m_rsplit<K: ByteKind>(o: &Obj, args: &[&Obj], kw: Kw) -> PyResult<PyRef> {
    split_impl::<K>(o, args, kw, true)
}

static SPLITLINES_SIG: Sig = Sig { name: "splitlines", params: &["keepends"], posonly: 0, maxpos: 1, required: 0 };

pub fn m_splitlines<K: ByteKind>(o: &Obj, args: &[&Obj], kw: Kw) -> PyResult<PyRef> {
    let [keepends] = argparse::parse(&SPLITLINES_SIG, args, kw)?;
    let keep = match keepends {
        Some(k) => crate::abstract_::is_true(k)?,
        None => false,
    };
    let d = data(o);
    let ranges = stringlib::splitlines(&d, |c| c == b'\n' || c == b'\r', keep);
    Ok(list::new_from_owned(ranges.into_iter().map(|r| K::make(&d[r])).collect()))
}

/// `sep.join(iterable)` for bytes-like items.
pub fn m_join<K: ByteKind>(o: &Obj, iterable: &Obj) -> PyResult<PyRef> {
    let sep = data(o);
    let items = iterobject::fast_items(iterable, "can only join an iterable")?;
    let mut out = Vec::new();
    for (i, it) in items.iter().enumerate() {
        let Some(b) = buffer_bytes(it)? else {
            return Err(raise!(TypeError, "sequence item {}: expected a bytes-like object, {} found", i, it.ob_type().name()));
        };
        if i > 0 {
            out.extend_from_slice(&sep);
        }
        out.extend_from_slice(&b);
    }
    Ok(K::make(&out))
}

fn strip_impl<K: ByteKind>(name: &str, o: &Obj, args: &[&Obj], left: bool, right: bool) -> PyResult<PyRef> {
    check_positional(name, args.len(), 0, 1)?;
    let d = data(o);
    let r = match argparse::not_none(args.first().copied()) {
        None => stringlib::strip(&d, left, right, is_space),
        Some(chars) => {
            let set = bytes_like(chars)?;
            stringlib::strip(&d, left, right, |c| set.contains(&c))
        }
    };
    if r.start == 0 && r.end == d.len() {
        return Ok(K::same(o));
    }
    Ok(K::make(&d[r]))
}

pub fn m_strip<K: ByteKind>(o: &Obj, args: &[&Obj]) -> PyResult<PyRef> {
    strip_impl::<K>("strip", o, args, true, true)
}
pub fn m_lstrip<K: ByteKind>(o: &Obj, args: &[&Obj]) -> PyResult<PyRef> {
    strip_impl::<K>("lstrip", o, args, true, false)
}
pub fn m_rstrip<K: ByteKind>(o: &Obj, args: &[&Obj]) -> PyResult<PyRef> {
    strip_impl::<K>("rstrip", o, args, false, true)
}

fn partition_impl<K: ByteKind>(o: &Obj, sep: &Obj, right: bool) -> PyResult<PyRef> {
    let sep = bytes_like(sep)?;
    if sep.is_empty() {
        return Err(raise!(ValueError, "empty separator"));
    }
    let d = data(o);
    let found = if right { stringlib::rfind(&d, &sep, 0, d.len()) } else { stringlib::find(&d, &sep, 0, d.len()) };
    Ok(match found {
        Some(i) => tuple::new_from_owned(vec![K::make(&d[..i]), K::make(&sep), K::make(&d[i + sep.len()..])]),
        None if right => tuple::new_from_owned(vec![K::make(&[]), K::make(&[]), K::same(o)]),
        None => tuple::new_from_owned(vec![K::same(o), K::make(&[]), K::make(&[])]),
    })
}

pub fn m_partition<K: ByteKind>(o: &Obj, sep: &Obj) -> PyResult<PyRef> {
    partition_impl::<K>(o, sep, false)
}
pub fn m_rpartition<K: ByteKind>(o: &Obj, sep: &Obj) -> PyResult<PyRef> {
    partition_impl::<K>(o, sep, true)
}

static REPLACE_SIG: Sig = Sig { name: "replace", params: &["old", "new", "count"], posonly: 2, maxpos: 3, required: 2 };

pub fn m_replace<K: ByteKind>(o: &Obj, args: &[&Obj], kw: Kw) -> PyResult<PyRef> {
    let [old, new_, count] = argparse::parse(&REPLACE_SIG, args, kw)?;
    let old = bytes_like(old.unwrap())?;
    let new_ = bytes_like(new_.unwrap())?;
    let count = match count {
        Some(c) => argparse::ssize(c)?,
        None => -1,
    };
    let count = if count < 0 { usize::MAX } else { count as usize };
    Ok(K::make(&stringlib::replace(&data(o), &old, &new_, count)))
}

fn affix<K: ByteKind>(o: &Obj, a: &Obj, suffix: bool) -> PyResult<PyRef> {
    let a = bytes_like(a)?;
    let d = data(o);
    if !a.is_empty() && tailmatch(&d, &a, 0, d.len(), suffix) {
        return Ok(K::make(if suffix { &d[..d.len() - a.len()] } else { &d[a.len()..] }));
    }
    Ok(K::same(o))
}

pub fn m_removeprefix<K: ByteKind>(o: &Obj, a: &Obj) -> PyResult<PyRef> {
    affix::<K>(o, a, false)
}
pub fn m_removesuffix<K: ByteKind>(o: &Obj, a: &Obj) -> PyResult<PyRef> {
    affix::<K>(o, a, true)
}

fn justify<K: ByteKind>(name: &str, o: &Obj, args: &[&Obj], how: Justify) -> PyResult<PyRef> {
    check_positional(name, args.len(), 1, 2)?;
    let width = argparse::ssize(args[0])?;
    let fill = match args.get(1) {
        Some(f) if (check(f) || bytearray::check(f)) && bytes_of(f).len() == 1 => bytes_of(f)[0],
        Some(f) if check(f) || bytearray::check(f) => {
            return Err(raise!(
                TypeError,
                "{}(): argument 2 must be a byte string of length 1, not a {} object of length {}",
                name,
                f.ob_type().name(),
                bytes_of(f).len()
            ));
        }
        Some(f) => {
            return Err(raise!(TypeError, "{}() argument 2 must be a byte string of length 1, not {}", name, f.ob_type().name()));
        }
        None => b' ',
    };
    let d = data(o);
    let Some((l, r)) = stringlib::pad_counts(d.len(), width, how) else { return Ok(K::same(o)) };
    let mut out = vec![fill; l];
    out.extend_from_slice(&d);
    out.extend(core::iter::repeat_n(fill, r));
    Ok(K::make(&out))
}

pub fn m_center<K: ByteKind>(o: &Obj, args: &[&Obj]) -> PyResult<PyRef> {
    justify::<K>("center", o, args, Justify::Center)
}
pub fn m_ljust<K: ByteKind>(o: &Obj, args: &[&Obj]) -> PyResult<PyRef> {
    justify::<K>("ljust", o, args, Justify::Left)
}
pub fn m_rjust<K: ByteKind>(o: &Obj, args: &[&Obj]) -> PyResult<PyRef> {
    justify::<K>("rjust", o, args, Justify::Right)
}

pub fn m_zfill<K: ByteKind>(o: &Obj, width: &Obj) -> PyResult<PyRef> {
    let width = argparse::ssize(width)?;
    let d = data(o);
    if width <= d.len() as isize {
        return Ok(K::same(o));
    }
    Ok(K::make(&stringlib::zfill(&d, width)))
}

static EXPANDTABS_SIG: Sig = Sig { name: "expandtabs", params: &["tabsize"], posonly: 0, maxpos: 1, required: 0 };

pub fn m_expandtabs<K: ByteKind>(o: &Obj, args: &[&Obj], kw: Kw) -> PyResult<PyRef> {
    let [tabsize] = argparse::parse(&EXPANDTABS_SIG, args, kw)?;
    let tabsize = match tabsize {
        Some(t) => argparse::c_int(t)? as isize,
        None => 8,
    };
    Ok(K::make(&stringlib::expandtabs(&data(o), tabsize)))
}

static TRANSLATE_SIG: Sig = Sig { name: "translate", params: &["table", "delete"], posonly: 1, maxpos: 2, required: 1 };

pub fn m_translate<K: ByteKind>(o: &Obj, args: &[&Obj], kw: Kw) -> PyResult<PyRef> {
    let [table, delete] = argparse::parse(&TRANSLATE_SIG, args, kw)?;
    let table = match argparse::not_none(table) {
        None => None,
        Some(t) => {
            let t = bytes_like(t)?;
            if t.len() != 256 {
                return Err(raise!(ValueError, "translation table must be 256 characters long"));
            }
            Some(t)
        }
    };
    let delete = match delete {
        Some(d) => bytes_like(d)?,
        None => Vec::new(),
    };
    let out: Vec<u8> = data(o).iter().filter(|c| !delete.contains(c)).map(|&c| table.as_ref().map_or(c, |t| t[c as usize])).collect();
    Ok(K::make(&out))
}

/// `bytes.maketrans(frm, to)`.
pub fn m_maketrans<K: ByteKind>(args: &[&Obj], kw: Kw) -> PyResult<PyRef> {
    argparse::no_kw(&format!("{}.maketrans", K::NAME), kw)?;
    check_positional("maketrans", args.len(), 2, 2)?;
    let (frm, to) = (bytes_like(args[0])?, bytes_like(args[1])?);
    if frm.len() != to.len() {
        return Err(raise!(ValueError, "maketrans arguments must have same length"));
    }
    let mut table: Vec<u8> = (0..=255).collect();
    for (a, b) in frm.iter().zip(&to) {
        table[*a as usize] = *b;
    }
    Ok(new(&table))
}

static DECODE_SIG: Sig = Sig { name: "decode", params: &["encoding", "errors"], posonly: 0, maxpos: 2, required: 0 };

/// `bytes.decode(encoding='utf-8', errors='strict')`.
pub fn m_decode(o: &Obj, args: &[&Obj], kw: Kw) -> PyResult<PyRef> {
    let [enc, errs] = argparse::parse(&DECODE_SIG, args, kw)?;
    let param = |name: &str, v: Option<&Obj>, default: &str| -> PyResult<String> {
        match v {
            None => Ok(default.to_string()),
            Some(v) if unicode::check(v) => Ok(unicode::as_str(v)?.to_string()),
            Some(v) => Err(raise!(TypeError, "decode() argument '{}' must be str, not {}", name, v.ob_type().name())),
        }
    };
    let (enc, errs) = (param("encoding", enc, "utf-8")?, param("errors", errs, "strict")?);
    unicode::decode(&data(o), &enc, &errs)
}

static HEX_SIG: Sig = Sig { name: "hex", params: &["sep", "bytes_per_sep"], posonly: 0, maxpos: 2, required: 0 };

/// `b.hex(sep, bytes_per_sep)` (`_Py_strhex_impl`).
pub fn hex(d: &[u8], sep: Option<&Obj>, bytes_per_sep: isize) -> PyResult<PyRef> {
    let sep_char = match sep {
        None => None,
        Some(s) => {
            let chars: Vec<u32> = if unicode::check(s) {
                unicode::code_points(s)
            } else if check(s) || bytearray::check(s) {
                bytes_of(s).iter().map(|&b| b as u32).collect()
            } else {
                return Err(raise!(TypeError, "sep must be str or bytes."));
            };
            if chars.len() != 1 {
                return Err(raise!(ValueError, "sep must be length 1."));
            }
            if chars[0] > 0x7f {
                return Err(raise!(ValueError, "sep must be ASCII."));
            }
            Some(chars[0] as u8 as char)
        }
    };
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(d.len() * 3);
    let group = bytes_per_sep.unsigned_abs();
    for (i, &b) in d.iter().enumerate() {
        if let Some(sc) = sep_char.filter(|_| i > 0 && group > 0) {
            // Positive: groups counted from the right; negative: from the left.
            let boundary = if bytes_per_sep > 0 { (d.len() - i).is_multiple_of(group) } else { i.is_multiple_of(group) };
            if boundary {
                out.push(sc);
            }
        }
        out.push(DIGITS[(b >> 4) as usize] as char);
        out.push(DIGITS[(b & 15) as usize] as char);
    }
    Ok(unicode::new(&out))
}

pub fn m_hex(o: &Obj, args: &[&Obj], kw: Kw) -> PyResult<PyRef> {
    let [sep, per] = argparse::parse(&HEX_SIG, args, kw)?;
    let per = match per {
        Some(p) => argparse::c_int(p)? as isize,
        None => 1,
    };
    hex(&data(o), sep, per)
}

/// `bytes.fromhex(string)` as data.
pub fn fromhex_data(s: &Obj) -> PyResult<Vec<u8>> {
    let units: Vec<u32> = if unicode::check(s) {
        unicode::code_points(s)
    } else if let Some(b) = buffer_bytes(s)? {
        b.iter().map(|&x| x as u32).collect()
    } else {
        return Err(raise!(TypeError, "fromhex() argument must be str or bytes-like, not {}", s.ob_type().name()));
    };
    let digit = |c: u32| char::from_u32(c).and_then(|ch| ch.to_digit(16)).filter(|_| c < 0x80);
    let mut out = Vec::with_capacity(units.len() / 2);
    let mut i = 0;
    while i < units.len() {
        let c = units[i];
        if c < 0x80 && is_space(c as u8) {
            i += 1;
            continue;
        }
        let Some(hi) = digit(c) else {
            return Err(raise!(ValueError, "non-hexadecimal number found in fromhex() arg at position {}", i));
        };
        let Some(lo) = units.get(i + 1).and_then(|&c2| digit(c2)) else {
            if i + 1 >= units.len() {
                return Err(raise!(ValueError, "fromhex() arg must contain an even number of hexadecimal digits"));
            }
            return Err(raise!(ValueError, "non-hexadecimal number found in fromhex() arg at position {}", i + 1));
        };
        out.push((hi * 16 + lo) as u8);
        i += 2;
    }
    Ok(out)
}

pub fn m_fromhex<K: ByteKind>(cls: &Obj, s: &Obj) -> PyResult<PyRef> {
    let v = K::make(&fromhex_data(s)?);
    let exact: &Obj = if check(&v) { &PyBytes_Type } else { &bytearray::PyByteArray_Type };
    if cls.is(exact) {
        return Ok(v);
    }
    crate::abstract_::call_one_arg(cls, &v)
}
