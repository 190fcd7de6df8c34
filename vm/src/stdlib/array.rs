//! `array` (CPython's `Modules/arraymodule.c`): `array.array`, a resizable vector of C
//! numbers (or characters) with one type code, laid out as CPython's `arrayobject`
//! (`ob_item`, `allocated`, `ob_descr`, `weakreflist`, `ob_exports`) and exporting its items
//! through the buffer protocol with the `struct` format of its type code. Resizing while a
//! buffer is exported raises `BufferError`. Pickles through `_array_reconstructor` and the
//! machine format codes of CPython 3.15 (protocol 3 and above).
//!
//! Values are converted with CPython's checks and messages (each type code behaves like the
//! `PyArg_Parse` unit CPython uses for it). Not done: the `'u'` deprecation warning (Pyrite
//! has no warnings machinery yet), pickling of the iterator.

use core::ffi::{c_int, c_void};
use core::mem::size_of;
use core::ptr::null_mut;

use pyrite_abi::*;

use crate::abstract_;
use crate::err::PyResult;
use crate::object::{Obj, PyRef, StaticObject};
use crate::objects::argparse::{self, check_positional};
use crate::objects::complex::Py_complex;
use crate::objects::iterobject::{self, index_iter_state, IndexIter};
use crate::objects::slice::{self, Key};
use crate::objects::type_::{TypeObj, BUILTIN_BASETYPE_FLAGS, BUILTIN_FLAGS};
use crate::objects::{bool_, bytearray, bytes, complex, dict, float, list, long, none, tuple, unicode};
use crate::slot::{arg, opt_arg, ret_int, ret_obj};
use crate::{getter_def, method_table};

/// CPython's `arrayobject`.
#[repr(C)]
pub struct ArrayObject {
    pub ob_base: PyVarObject,
    /// `allocated` items of `descr.size` bytes (NULL when nothing is allocated).
    pub ob_item: *mut u8,
    pub allocated: Py_ssize_t,
    pub ob_descr: *const Descr,
    pub weakreflist: *mut PyObject,
    /// Live buffer exports: the items may not move while this is positive.
    pub ob_exports: Py_ssize_t,
}

/// How one type code stores its items.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Kind {
    I8,
    U8,
    I16,
    U16,
    I32,
    U32,
    /// C `long` (`'l'`).
    Long,
    /// C `unsigned long` (`'L'`).
    ULong,
    I64,
    U64,
    F16,
    F32,
    F64,
    /// `wchar_t` (`'u'`, 4 bytes on Linux) or `Py_UCS4` (`'w'`).
    Char,
    C32,
    C64,
}

/// CPython's `struct arraydescr`: a type code, its item size and buffer format.
pub struct Descr {
    pub typecode: &'static str,
    pub size: usize,
    pub kind: Kind,
    pub format: &'static core::ffi::CStr,
    /// The machine format code `__reduce_ex__` records (little-endian: the native order here).
    pub mformat: i32,
}

macro_rules! descr {
    ($tc:literal, $kind:ident, $size:expr, $fmt:literal, $mf:expr) => {
        Descr { typecode: $tc, size: $size, kind: Kind::$kind, format: $fmt, mformat: $mf }
    };
}

/// The type codes in CPython 3.15's order (`array.typecodes`).
pub static DESCRS: [Descr; 17] = [
    descr!("b", I8, 1, c"b", 1),
    descr!("B", U8, 1, c"B", 0),
    descr!("u", Char, 4, c"w", 20),
    descr!("w", Char, 4, c"w", 20),
    descr!("h", I16, 2, c"h", 4),
    descr!("H", U16, 2, c"H", 2),
    descr!("i", I32, 4, c"i", 8),
    descr!("I", U32, 4, c"I", 6),
    descr!("l", Long, 8, c"l", 12),
    descr!("L", ULong, 8, c"L", 10),
    descr!("q", I64, 8, c"q", 12),
    descr!("Q", U64, 8, c"Q", 10),
    descr!("e", F16, 2, c"e", 26),
    descr!("f", F32, 4, c"f", 14),
    descr!("d", F64, 8, c"d", 16),
    descr!("Zf", C32, 8, c"Zf", 22),
    descr!("Zd", C64, 16, c"Zd", 24),
];

const BAD_TYPECODE: &str = "bad typecode (must be b, B, u, w, h, H, i, I, l, L, q, Q, e, f, d, Zf or Zd)";

fn descr_for(tc: &str) -> Option<&'static Descr> {
    DESCRS.iter().find(|d| d.typecode == tc)
}

pub fn create() -> PyResult<PyRef> {
    let m = super::native::new_module("array", ARRAY_MODULE_FUNCTIONS.0.get() as *mut PyMethodDef)?;
    super::native::add_types(&m, &[&ARRAY_TYPE])?;
    crate::objects::type_::ready(&ARRAY_ITER_TYPE)?;
    let d = crate::objects::module::dict_of(&m);
    dict::set_item_str(d, "ArrayType", &ARRAY_TYPE)?;
    let codes: Vec<PyRef> = DESCRS.iter().map(|d| unicode::new(d.typecode)).collect();
    dict::set_item_str(d, "typecodes", &tuple::new_from_owned(codes))?;
    Ok(m)
}

method_table!(static ARRAY_MODULE_FUNCTIONS = [
    fast c"_array_reconstructor" => array_reconstructor,
]);

static ARRAY_AS_SEQUENCE: StaticObject<PySequenceMethods> = StaticObject::new(PySequenceMethods {
    sq_length: Some(array_length),
    sq_concat: Some(array_concat),
    sq_repeat: Some(array_repeat),
    sq_item: Some(array_item),
    sq_ass_item: Some(array_ass_item),
    sq_contains: Some(array_contains),
    sq_inplace_concat: Some(array_iconcat),
    sq_inplace_repeat: Some(array_irepeat),
    ..PySequenceMethods::EMPTY
});

static ARRAY_AS_MAPPING: StaticObject<PyMappingMethods> = StaticObject::new(PyMappingMethods {
    mp_length: Some(array_length),
    mp_subscript: Some(array_subscript),
    mp_ass_subscript: Some(array_ass_subscript),
});

static ARRAY_AS_BUFFER: StaticObject<PyBufferProcs> =
    StaticObject::new(PyBufferProcs { bf_getbuffer: Some(array_getbuffer), bf_releasebuffer: Some(array_releasebuffer) });

crate::private_static_type!(ARRAY_TYPE, c"array.array", size_of::<ArrayObject>(), {
    tp_flags: BUILTIN_BASETYPE_FLAGS | _Py_TPFLAGS_MATCH_SELF | Py_TPFLAGS_SEQUENCE,
    tp_dealloc: Some(array_dealloc),
    tp_repr: Some(array_repr),
    tp_hash: Some(crate::objects::list::unhashable),
    tp_richcompare: Some(array_richcompare),
    tp_iter: Some(array_iter),
    tp_as_sequence: ARRAY_AS_SEQUENCE.0.get(),
    tp_as_mapping: ARRAY_AS_MAPPING.0.get(),
    tp_as_buffer: ARRAY_AS_BUFFER.0.get(),
    tp_methods: ARRAY_METHODS.0.get() as *mut PyMethodDef,
    tp_getset: ARRAY_GETSET.0.get() as *mut PyGetSetDef,
    tp_weaklistoffset: core::mem::offset_of!(ArrayObject, weakreflist) as isize,
    tp_alloc: Some(crate::alloc::generic_alloc),
    tp_new: Some(array_new),
    tp_free: Some(crate::alloc::object_free),
    tp_doc: c"array(typecode [, initializer]) -> array\n\nReturn a new array whose items are restricted by typecode, and\ninitialized from the optional initializer value, which must be a list,\nstring, or iterable over elements of the appropriate type.\n\nArrays represent basic values and behave very much like lists, except\nthe type of objects stored in them is constrained. The type is specified\nat object creation time by using a type code, which is a single character.".as_ptr(),
});

method_table!(static ARRAY_METHODS = [
    o c"append" => m_append,
    noargs c"buffer_info" => m_buffer_info,
    noargs c"byteswap" => m_byteswap,
    noargs c"clear" => m_clear,
    noargs c"__copy__" => m_copy,
    o c"count" => m_count,
    o c"__deepcopy__" => m_deepcopy,
    o c"extend" => m_extend,
    o c"frombytes" => m_frombytes,
    fast c"fromfile" => m_fromfile,
    o c"fromlist" => m_fromlist,
    o c"fromunicode" => m_fromunicode,
    fast c"index" => m_index,
    fast c"insert" => m_insert,
    fast c"pop" => m_pop,
    o c"__reduce_ex__" => m_reduce_ex,
    o c"remove" => m_remove,
    noargs c"reverse" => m_reverse,
    noargs c"tobytes" => m_tobytes,
    o c"tofile" => m_tofile,
    noargs c"tolist" => m_tolist,
    noargs c"tounicode" => m_tounicode,
    noargs c"__sizeof__" => m_sizeof,
    class_o c"__class_getitem__" => m_class_getitem,
]);

static ARRAY_GETSET: crate::objects::type_::StaticTable<PyGetSetDef, 3> = crate::objects::type_::StaticTable(core::cell::UnsafeCell::new([
    getter_def!(c"typecode", get_typecode),
    getter_def!(c"itemsize", get_itemsize),
    PyGetSetDef { name: core::ptr::null(), get: None, set: None, doc: core::ptr::null(), closure: null_mut() },
]));

crate::private_static_type!(ARRAY_ITER_TYPE, c"array.arrayiterator", size_of::<IndexIter>(), {
    tp_flags: BUILTIN_FLAGS | Py_TPFLAGS_HAVE_GC,
    tp_dealloc: Some(iterobject::index_iter_dealloc),
    tp_traverse: Some(iterobject::index_iter_traverse),
    tp_iter: Some(iterobject::self_iter),
    tp_iternext: Some(arrayiter_next),
    tp_free: Some(crate::alloc::gc_del),
});

// ---- the object -----------------------------------------------------------------------------

#[inline(always)]
fn raw(o: &Obj) -> *mut ArrayObject {
    o.as_ptr() as *mut ArrayObject
}

pub fn check(o: &Obj) -> bool {
    o.is_instance_of(&ARRAY_TYPE)
}

fn descr(o: &Obj) -> &'static Descr {
    // SAFETY: an array's descriptor points into the static table (set before use).
    unsafe { &*(*raw(o)).ob_descr }
}

fn len(o: &Obj) -> usize {
    // SAFETY: o is an array.
    unsafe { (*raw(o)).ob_base.ob_size as usize }
}

/// The items' bytes (invalidated by any resize).
fn data(o: &Obj) -> &[u8] {
    // SAFETY: ob_item holds ob_size items of the descriptor's size when non-NULL.
    unsafe {
        let p = (*raw(o)).ob_item;
        if p.is_null() { &[] } else { core::slice::from_raw_parts(p, len(o) * descr(o).size) }
    }
}

#[allow(clippy::mut_from_ref)]
fn data_mut(o: &Obj) -> &mut [u8] {
    // SAFETY: as `data`; the GIL serialises writers.
    unsafe {
        let p = (*raw(o)).ob_item;
        if p.is_null() { &mut [] } else { core::slice::from_raw_parts_mut(p, len(o) * descr(o).size) }
    }
}

/// `array_resize`: new items are zeroed; refuses to move items a buffer exports.
fn resize(o: &Obj, n: usize) -> PyResult<()> {
    let r = raw(o);
    let size = descr(o).size;
    // SAFETY: o is an array; the allocation is ours.
    unsafe {
        let old = len(o);
        if (*r).ob_exports > 0 && n != old {
            return Err(raise!(BufferError, "cannot resize an array that is exporting buffers"));
        }
        // Shrink in place unless much smaller (CPython's policy).
        if (*r).allocated as usize >= n && old < n + 16 && !(*r).ob_item.is_null() {
            if n > old {
                core::ptr::write_bytes((*r).ob_item.add(old * size), 0, (n - old) * size);
            }
            (*r).ob_base.ob_size = n as Py_ssize_t;
            return Ok(());
        }
        if n == 0 {
            crate::alloc::raw_free((*r).ob_item as *mut c_void);
            (*r).ob_item = null_mut();
            (*r).ob_base.ob_size = 0;
            (*r).allocated = 0;
            return Ok(());
        }
        let alloc = (n >> 4) + if old < 8 { 3 } else { 7 } + n;
        let Some(bytes) = alloc.checked_mul(size).filter(|b| *b <= isize::MAX as usize) else {
            return Err(crate::err::PyErr::from_type_no_args(crate::objects::exceptions::MemoryError()));
        };
        let p = crate::alloc::raw_realloc((*r).ob_item as *mut c_void, bytes) as *mut u8;
        if p.is_null() {
            return Err(crate::err::PyErr::from_type_no_args(crate::objects::exceptions::MemoryError()));
        }
        if n > old {
            core::ptr::write_bytes(p.add(old * size), 0, (n - old) * size);
        }
        (*r).ob_item = p;
        (*r).allocated = alloc as Py_ssize_t;
        (*r).ob_base.ob_size = n as Py_ssize_t;
    }
    Ok(())
}

/// A new empty array of type `ty` with descriptor `d`.
fn new_array(ty: &TypeObj, d: &'static Descr) -> PyResult<PyRef> {
    // SAFETY: `ty` is array.array or a subclass; tp_alloc zeroes the instance.
    unsafe {
        let alloc = ty.slots().tp_alloc.unwrap_or(crate::alloc::generic_alloc);
        let o = crate::slot::from_new(alloc(ty.raw(), 0))?;
        (*raw(&o)).ob_descr = d;
        Ok(o)
    }
}

/// A new `array.array` with descriptor `d` holding `bytes` (a whole number of items).
fn new_with(ty: &TypeObj, d: &'static Descr, bytes: &[u8]) -> PyResult<PyRef> {
    let o = new_array(ty, d)?;
    resize(&o, bytes.len() / d.size)?;
    data_mut(&o).copy_from_slice(bytes);
    Ok(o)
}

/// Replaces items `lo..hi` with the bytes of whole items `with`.
fn splice(o: &Obj, lo: usize, hi: usize, with: &[u8]) -> PyResult<()> {
    let size = descr(o).size;
    let n = len(o);
    let add = with.len() / size;
    if hi - lo == add {
        data_mut(o)[lo * size..hi * size].copy_from_slice(with);
        return Ok(());
    }
    let tail = data(o)[hi * size..].to_vec();
    let new_len = n - (hi - lo) + add;
    resize(o, new_len)?;
    let d = data_mut(o);
    d[lo * size..lo * size + with.len()].copy_from_slice(with);
    d[(lo + add) * size..].copy_from_slice(&tail);
    Ok(())
}

// ---- item conversion ------------------------------------------------------------------------

/// `__index__` as a C long ("Python int too large to convert to C long").
fn as_c_long(v: &Obj) -> PyResult<i64> {
    let i = abstract_::index(v)?;
    long::to_i64(&i).ok_or_else(|| raise!(OverflowError, "Python int too large to convert to C long"))
}

fn in_range(x: i64, lo: i64, hi: i64, what: &str) -> PyResult<i64> {
    if x < lo {
        return Err(raise!(OverflowError, "{} is less than minimum", what));
    }
    if x > hi {
        return Err(raise!(OverflowError, "{} is greater than maximum", what));
    }
    Ok(x)
}

/// An unsigned C value of an int: `neg_msg` for negatives, `big_msg` above `u64`.
fn as_unsigned(v: &Obj, neg_msg: &str, big_msg: &str) -> PyResult<u64> {
    let i = abstract_::index(v)?;
    if long::is_negative(&i) {
        return Err(raise!(OverflowError, "{}", neg_msg));
    }
    long::to_u64(&i).ok_or_else(|| raise!(OverflowError, "{}", big_msg))
}

fn as_char(v: &Obj) -> PyResult<u32> {
    if !unicode::check(v) {
        return Err(raise!(TypeError, "array item must be a unicode character, not {}", v.ob_type().name()));
    }
    if unicode::len(v) != 1 {
        return Err(raise!(TypeError, "array item must be a unicode character, not a string of length {}", unicode::len(v)));
    }
    Ok(unicode::char_at(v, 0))
}

fn as_complex(v: &Obj) -> PyResult<Py_complex> {
    if complex::check(v) {
        return Ok(complex::value(v));
    }
    Ok(Py_complex { real: crate::number::as_f64(v)?, imag: 0.0 })
}

/// The native bytes of `v` stored with `kind` (CPython's `*_setitem` checks).
fn encode(kind: Kind, v: &Obj, out: &mut Vec<u8>) -> PyResult<()> {
    match kind {
        Kind::I8 => {
            let x = in_range(as_c_long(v)?, i16::MIN as i64, i16::MAX as i64, "signed short integer")?;
            out.push(in_range(x, -128, 127, "signed char")? as i8 as u8);
        }
        Kind::U8 => out.push(in_range(as_c_long(v)?, 0, 255, "unsigned byte integer")? as u8),
        Kind::I16 => out.extend_from_slice(&(in_range(as_c_long(v)?, i16::MIN as i64, i16::MAX as i64, "signed short integer")? as i16).to_ne_bytes()),
        Kind::U16 => {
            let x = in_range(as_c_long(v)?, i32::MIN as i64, i32::MAX as i64, "signed integer")?;
            out.extend_from_slice(&(in_range(x, 0, u16::MAX as i64, "unsigned short")? as u16).to_ne_bytes());
        }
        Kind::I32 => out.extend_from_slice(&(in_range(as_c_long(v)?, i32::MIN as i64, i32::MAX as i64, "signed integer")? as i32).to_ne_bytes()),
        Kind::U32 => {
            let x = as_unsigned(v, "can't convert negative value to unsigned int", "Python int too large to convert to C unsigned long")?;
            if x > u32::MAX as u64 {
                return Err(raise!(OverflowError, "unsigned int is greater than maximum"));
            }
            out.extend_from_slice(&(x as u32).to_ne_bytes());
        }
        Kind::Long => out.extend_from_slice(&as_c_long(v)?.to_ne_bytes()),
        Kind::ULong => out.extend_from_slice(
            &as_unsigned(v, "can't convert negative value to unsigned int", "Python int too large to convert to C unsigned long")?.to_ne_bytes(),
        ),
        Kind::I64 => {
            let i = abstract_::index(v)?;
            let x = long::to_i64(&i).ok_or_else(|| raise!(OverflowError, "int too big to convert"))?;
            out.extend_from_slice(&x.to_ne_bytes());
        }
        Kind::U64 => out.extend_from_slice(&as_unsigned(v, "can't convert negative int to unsigned", "int too big to convert")?.to_ne_bytes()),
        Kind::F16 => {
            let x = crate::number::as_f64(v)?;
            // A C cast to _Float16: out-of-range values become infinities.
            let h = super::struct_::to_half(x).unwrap_or(if x < 0.0 { 0xfc00 } else { 0x7c00 });
            out.extend_from_slice(&h.to_ne_bytes());
        }
        Kind::F32 => out.extend_from_slice(&(crate::number::as_f64(v)? as f32).to_ne_bytes()),
        Kind::F64 => out.extend_from_slice(&crate::number::as_f64(v)?.to_ne_bytes()),
        Kind::Char => out.extend_from_slice(&as_char(v)?.to_ne_bytes()),
        Kind::C32 => {
            let z = as_complex(v)?;
            out.extend_from_slice(&(z.real as f32).to_ne_bytes());
            out.extend_from_slice(&(z.imag as f32).to_ne_bytes());
        }
        Kind::C64 => {
            let z = as_complex(v)?;
            out.extend_from_slice(&z.real.to_ne_bytes());
            out.extend_from_slice(&z.imag.to_ne_bytes());
        }
    }
    Ok(())
}

fn encode_one(kind: Kind, v: &Obj) -> PyResult<Vec<u8>> {
    let mut out = Vec::with_capacity(16);
    encode(kind, v, &mut out)?;
    Ok(out)
}

fn ne<const N: usize>(b: &[u8]) -> [u8; N] {
    b[..N].try_into().expect("item size")
}

/// The Python value of one stored item.
fn decode(kind: Kind, b: &[u8]) -> PyRef {
    match kind {
        Kind::I8 => long::from_i64(b[0] as i8 as i64),
        Kind::U8 => long::from_i64(b[0] as i64),
        Kind::I16 => long::from_i64(i16::from_ne_bytes(ne(b)) as i64),
        Kind::U16 => long::from_i64(u16::from_ne_bytes(ne(b)) as i64),
        Kind::I32 => long::from_i64(i32::from_ne_bytes(ne(b)) as i64),
        Kind::U32 => long::from_i64(u32::from_ne_bytes(ne(b)) as i64),
        Kind::Long | Kind::I64 => long::from_i64(i64::from_ne_bytes(ne(b))),
        Kind::ULong | Kind::U64 => long::from_u64(u64::from_ne_bytes(ne(b))),
        Kind::F16 => float::new(super::struct_::from_half(u16::from_ne_bytes(ne(b)))),
        Kind::F32 => float::new(f32::from_ne_bytes(ne(b)) as f64),
        Kind::F64 => float::new(f64::from_ne_bytes(ne(b))),
        Kind::Char => unicode::from_code_points(&[u32::from_ne_bytes(ne(b))]),
        Kind::C32 => complex::from_doubles(f32::from_ne_bytes(ne(b)) as f64, f32::from_ne_bytes(ne(&b[4..])) as f64),
        Kind::C64 => complex::from_doubles(f64::from_ne_bytes(ne(b)), f64::from_ne_bytes(ne(&b[8..]))),
    }
}

fn get_item(o: &Obj, i: usize) -> PyRef {
    let d = descr(o);
    decode(d.kind, &data(o)[i * d.size..(i + 1) * d.size])
}

fn items(o: &Obj) -> Vec<PyRef> {
    (0..len(o)).map(|i| get_item(o, i)).collect()
}

fn is_unicode(d: &Descr) -> bool {
    d.kind == Kind::Char
}

/// `PyErr_BadArgument`.
fn bad_argument() -> crate::err::PyErr {
    raise!(TypeError, "bad argument type for built-in operation")
}

// ---- construction ---------------------------------------------------------------------------

unsafe extern "C" fn array_new(ty: *mut PyTypeObject, args: *mut PyObject, kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: tp_new contract.
    let (ty, args, kw) = unsafe { (TypeObj::from_ptr(ty), tuple::items(arg(args)), opt_arg(kw)) };
    ret_obj(new_impl(ty, args, kw))
}

fn new_impl(ty: &TypeObj, args: &[&Obj], kw: Option<&Obj>) -> PyResult<PyRef> {
    if core::ptr::eq(ty.raw(), ARRAY_TYPE.raw()) {
        argparse::no_kw_dict("array.array", kw)?;
    }
    if args.len() > 2 {
        return Err(raise!(TypeError, "array() takes at most 2 arguments ({} given)", args.len()));
    }
    if args.is_empty() {
        return Err(raise!(TypeError, "array() takes at least 1 argument (0 given)"));
    }
    let tc = args[0];
    if !unicode::check(tc) {
        return Err(raise!(TypeError, "array() argument 1 must be str, not {}", tc.ob_type().name()));
    }
    let d = descr_for(&unicode::as_str_lossy(tc)).ok_or_else(|| raise!(ValueError, "{}", BAD_TYPECODE))?;
    let init = args.get(1).copied();
    let o = new_array(ty, d)?;
    let Some(init) = init else { return Ok(o) };
    if unicode::check(init) {
        if !is_unicode(d) {
            return Err(raise!(TypeError, "cannot use a str to initialize an array with typecode '{}'", d.typecode));
        }
        from_unicode(&o, init)?;
        return Ok(o);
    }
    if check(init) && is_unicode(descr(init)) && !is_unicode(d) {
        return Err(raise!(TypeError, "cannot use a unicode array to initialize an array with typecode '{}'", d.typecode));
    }
    if bytes::check(init) || bytearray::check(init) {
        from_bytes(&o, bytes::bytes_of(init).to_vec())?;
    } else if check(init) && descr(init).typecode == d.typecode {
        let b = data(init).to_vec();
        resize(&o, b.len() / d.size)?;
        data_mut(&o).copy_from_slice(&b);
    } else if list::check(init) || tuple::check(init) {
        let vals: Vec<PyRef> = if list::check(init) { list::to_vec(init) } else { tuple::items(init).iter().map(|v| v.new_ref()).collect() };
        let mut buf = Vec::with_capacity(vals.len() * d.size);
        for v in &vals {
            encode(d.kind, v, &mut buf)?;
        }
        append_bytes(&o, &buf)?;
    } else {
        extend_iter(&o, init)?;
    }
    Ok(o)
}

fn append_bytes(o: &Obj, b: &[u8]) -> PyResult<()> {
    let n = len(o);
    let size = descr(o).size;
    resize(o, n + b.len() / size)?;
    data_mut(o)[n * size..].copy_from_slice(b);
    Ok(())
}

fn from_bytes(o: &Obj, b: Vec<u8>) -> PyResult<()> {
    if b.len() % descr(o).size != 0 {
        return Err(raise!(ValueError, "bytes length not a multiple of item size"));
    }
    append_bytes(o, &b)
}

fn from_unicode(o: &Obj, s: &Obj) -> PyResult<()> {
    let mut b = Vec::with_capacity(unicode::len(s) * 4);
    for c in unicode::chars(s) {
        b.extend_from_slice(&c.to_ne_bytes());
    }
    append_bytes(o, &b)
}

/// Appends every item of an iterable, one at a time (`array_iter_extend`).
fn extend_iter(o: &Obj, it: &Obj) -> PyResult<()> {
    let iter = iterobject::get_iter(it)?;
    let kind = descr(o).kind;
    while let Some(v) = iterobject::next(&iter)? {
        let b = encode_one(kind, &v)?;
        append_bytes(o, &b)?;
    }
    Ok(())
}

fn extend(o: &Obj, bb: &Obj) -> PyResult<()> {
    if !check(bb) {
        return extend_iter(o, bb);
    }
    if descr(bb).typecode != descr(o).typecode {
        return Err(raise!(TypeError, "can only extend with array of same kind"));
    }
    let b = data(bb).to_vec();
    append_bytes(o, &b)
}

// ---- slots ----------------------------------------------------------------------------------

unsafe extern "C" fn array_dealloc(o: *mut PyObject) {
    // SAFETY: a dead array.
    unsafe {
        let r = o as *mut ArrayObject;
        if !(*r).weakreflist.is_null() {
            crate::objects::weakref::clear_weakrefs(o);
        }
        if !(*r).ob_item.is_null() {
            crate::alloc::raw_free((*r).ob_item as *mut c_void);
        }
        match (*(*o).ob_type).tp_free {
            Some(f) => f(o as *mut c_void),
            None => crate::alloc::free_object(o),
        }
    }
}

unsafe extern "C" fn array_getbuffer(o: *mut PyObject, view: *mut Py_buffer, flags: c_int) -> c_int {
    static EMPTY: [u8; 16] = [0; 16];
    if view.is_null() {
        return ret_int(Err(raise!(BufferError, "array_buffer_getbuf: view==NULL argument is obsolete")));
    }
    // SAFETY: a live array and a writable view; shape points at ob_size, strides at the view's
    // itemsize, both living as long as the export (resizing is refused while exported).
    unsafe {
        let a = arg(o);
        let r = raw(a);
        let d = descr(a);
        let v = &mut *view;
        v.buf = if (*r).ob_item.is_null() { EMPTY.as_ptr() as *mut c_void } else { (*r).ob_item as *mut c_void };
        v.obj = a.new_ref().into_raw();
        v.len = (len(a) * d.size) as Py_ssize_t;
        v.readonly = 0;
        v.ndim = 1;
        v.itemsize = d.size as Py_ssize_t;
        v.suboffsets = null_mut();
        v.shape = if flags & PyBUF_ND == PyBUF_ND { &raw mut (*r).ob_base.ob_size } else { null_mut() };
        v.strides = if flags & PyBUF_STRIDES == PyBUF_STRIDES { &raw mut v.itemsize } else { null_mut() };
        v.format = if flags & PyBUF_FORMAT == PyBUF_FORMAT { d.format.as_ptr() as *mut _ } else { null_mut() };
        v.internal = null_mut();
        (*r).ob_exports += 1;
    }
    0
}

unsafe extern "C" fn array_releasebuffer(o: *mut PyObject, _view: *mut Py_buffer) {
    // SAFETY: a live array with an export being released.
    unsafe { (*(o as *mut ArrayObject)).ob_exports -= 1 };
}

fn repr(o: &Obj) -> PyResult<PyRef> {
    let d = descr(o);
    let name = o.ob_type().name();
    if len(o) == 0 {
        return Ok(unicode::new(&format!("{}('{}')", name, d.typecode)));
    }
    let body = if is_unicode(d) { unicode_of(o)? } else { m_tolist(o)? };
    let r = abstract_::repr(&body)?;
    Ok(unicode::new(&format!("{}('{}', {})", name, d.typecode, unicode::as_str_lossy(&r))))
}

unsafe extern "C" fn array_repr(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live array.
    ret_obj(repr(unsafe { arg(o) }))
}

fn richcompare(a: &Obj, b: &Obj, op: c_int) -> PyResult<PyRef> {
    if !check(a) || !check(b) {
        return Ok(none::not_implemented());
    }
    let (na, nb) = (len(a), len(b));
    if na != nb && (op == Py_EQ || op == Py_NE) {
        return Ok(bool_::new(op == Py_NE));
    }
    // The first index where the items differ decides; equal prefixes compare by length.
    let mut i = 0;
    while i < na.min(nb) && i < len(a) && i < len(b) {
        let (x, y) = (get_item(a, i), get_item(b, i));
        if !abstract_::rich_compare_bool(&x, &y, Py_EQ)? {
            return match op {
                Py_EQ => Ok(bool_::new(false)),
                Py_NE => Ok(bool_::new(true)),
                _ => abstract_::rich_compare(&x, &y, op),
            };
        }
        i += 1;
    }
    let (na, nb) = (len(a), len(b));
    Ok(bool_::new(abstract_::ordering_matches(na.cmp(&nb), op)))
}

unsafe extern "C" fn array_richcompare(a: *mut PyObject, b: *mut PyObject, op: c_int) -> *mut PyObject {
    // SAFETY: live operands.
    ret_obj(richcompare(unsafe { arg(a) }, unsafe { arg(b) }, op))
}

unsafe extern "C" fn array_length(o: *mut PyObject) -> Py_ssize_t {
    // SAFETY: a live array.
    len(unsafe { arg(o) }) as Py_ssize_t
}

fn concat(a: &Obj, b: &Obj) -> PyResult<PyRef> {
    if !check(b) {
        return Err(raise!(TypeError, "can only append array (not \"{}\") to array", b.ob_type().name()));
    }
    if descr(a).typecode != descr(b).typecode {
        return Err(bad_argument());
    }
    let mut v = data(a).to_vec();
    v.extend_from_slice(data(b));
    new_with(&ARRAY_TYPE, descr(a), &v)
}

unsafe extern "C" fn array_concat(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    // SAFETY: live operands.
    ret_obj(concat(unsafe { arg(a) }, unsafe { arg(b) }))
}

unsafe extern "C" fn array_iconcat(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    // SAFETY: live operands.
    let (a, b) = unsafe { (arg(a), arg(b)) };
    let r = (|| {
        if !check(b) {
            return Err(raise!(TypeError, "can only extend array with array (not \"{}\")", b.ob_type().name()));
        }
        extend(a, b)?;
        Ok(a.new_ref())
    })();
    ret_obj(r)
}

fn repeated(o: &Obj, n: isize) -> PyResult<Vec<u8>> {
    bytes::repeat_data(data(o), n)
}

unsafe extern "C" fn array_repeat(a: *mut PyObject, n: Py_ssize_t) -> *mut PyObject {
    // SAFETY: a live array.
    let a = unsafe { arg(a) };
    ret_obj(repeated(a, n).and_then(|v| new_with(&ARRAY_TYPE, descr(a), &v)))
}

unsafe extern "C" fn array_irepeat(a: *mut PyObject, n: Py_ssize_t) -> *mut PyObject {
    // SAFETY: a live array.
    let a = unsafe { arg(a) };
    let r = (|| {
        let v = repeated(a, n)?;
        resize(a, v.len() / descr(a).size)?;
        data_mut(a).copy_from_slice(&v);
        Ok(a.new_ref())
    })();
    ret_obj(r)
}

unsafe extern "C" fn array_item(a: *mut PyObject, i: Py_ssize_t) -> *mut PyObject {
    // SAFETY: a live array.
    let a = unsafe { arg(a) };
    if i < 0 || i as usize >= len(a) {
        return ret_obj(Err(raise!(IndexError, "array index out of range")));
    }
    get_item(a, i as usize).into_raw()
}

fn ass_item(a: &Obj, i: isize, v: Option<&Obj>) -> PyResult<()> {
    if i < 0 || i as usize >= len(a) {
        return Err(raise!(IndexError, "array assignment index out of range"));
    }
    let i = i as usize;
    match v {
        None => splice(a, i, i + 1, &[]),
        Some(v) => {
            let b = encode_one(descr(a).kind, v)?;
            if i >= len(a) {
                return Err(raise!(IndexError, "array assignment index out of range"));
            }
            let size = descr(a).size;
            data_mut(a)[i * size..(i + 1) * size].copy_from_slice(&b);
            Ok(())
        }
    }
}

unsafe extern "C" fn array_ass_item(a: *mut PyObject, i: Py_ssize_t, v: *mut PyObject) -> c_int {
    // SAFETY: live arguments.
    let (a, v) = unsafe { (arg(a), opt_arg(v)) };
    ret_int(ass_item(a, i, v).map(|_| 0))
}

fn contains(a: &Obj, v: &Obj) -> PyResult<bool> {
    let mut i = 0;
    while i < len(a) {
        if abstract_::rich_compare_bool(&get_item(a, i), v, Py_EQ)? {
            return Ok(true);
        }
        i += 1;
    }
    Ok(false)
}

unsafe extern "C" fn array_contains(a: *mut PyObject, v: *mut PyObject) -> c_int {
    // SAFETY: live arguments.
    ret_int(contains(unsafe { arg(a) }, unsafe { arg(v) }).map(c_int::from))
}

fn subscript(a: &Obj, key: &Obj) -> PyResult<PyRef> {
    if !slice::check(key) && !argparse::index_check(key) {
        return Err(raise!(TypeError, "array indices must be integers"));
    }
    match slice::sequence_key(key, len(a))? {
        Some(Key::Index(i)) => {
            let n = len(a) as isize;
            let i = if i < 0 { i + n } else { i };
            if i < 0 || i >= n {
                return Err(raise!(IndexError, "array index out of range"));
            }
            Ok(get_item(a, i as usize))
        }
        _ => {
            let r = slice::resolve(key, len(a))?;
            let size = descr(a).size;
            let d = data(a);
            let mut out = Vec::with_capacity(r.len * size);
            for i in r.indices() {
                out.extend_from_slice(&d[i * size..(i + 1) * size]);
            }
            new_with(&ARRAY_TYPE, descr(a), &out)
        }
    }
}

unsafe extern "C" fn array_subscript(a: *mut PyObject, key: *mut PyObject) -> *mut PyObject {
    // SAFETY: live arguments.
    ret_obj(subscript(unsafe { arg(a) }, unsafe { arg(key) }))
}

fn ass_subscript(a: &Obj, key: &Obj, v: Option<&Obj>) -> PyResult<()> {
    if !slice::check(key) {
        if !argparse::index_check(key) {
            return Err(raise!(TypeError, "array indices must be integers"));
        }
        let i = argparse::ssize(key)?;
        let n = len(a) as isize;
        return ass_item(a, if i < 0 { i + n } else { i }, v);
    }
    let with = match v {
        None => None,
        Some(v) => {
            if !check(v) {
                return Err(raise!(TypeError, "can only assign array (not \"{}\") to array slice", v.ob_type().name()));
            }
            if descr(v).typecode != descr(a).typecode {
                return Err(bad_argument());
            }
            Some(data(v).to_vec())
        }
    };
    let r = slice::resolve(key, len(a))?;
    let size = descr(a).size;
    if r.step == 1 {
        let lo = r.start.max(0) as usize;
        let hi = (r.stop.max(r.start)).max(0) as usize;
        return splice(a, lo, hi.min(len(a)).max(lo), with.as_deref().unwrap_or(&[]));
    }
    match with {
        None => {
            let mut gone = vec![false; len(a)];
            for i in r.indices() {
                gone[i] = true;
            }
            let kept: Vec<u8> =
                data(a).chunks(size).zip(&gone).filter(|(_, g)| !**g).flat_map(|(c, _)| c.iter().copied()).collect();
            resize(a, kept.len() / size)?;
            data_mut(a).copy_from_slice(&kept);
            Ok(())
        }
        Some(w) => {
            if w.len() / size != r.len {
                return Err(raise!(ValueError, "attempt to assign array of size {} to extended slice of size {}", w.len() / size, r.len));
            }
            let d = data_mut(a);
            for (i, chunk) in r.indices().zip(w.chunks(size)) {
                d[i * size..(i + 1) * size].copy_from_slice(chunk);
            }
            Ok(())
        }
    }
}

unsafe extern "C" fn array_ass_subscript(a: *mut PyObject, key: *mut PyObject, v: *mut PyObject) -> c_int {
    // SAFETY: live arguments.
    let (a, key, v) = unsafe { (arg(a), arg(key), opt_arg(v)) };
    ret_int(ass_subscript(a, key, v).map(|_| 0))
}

unsafe extern "C" fn array_iter(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live array.
    iterobject::index_iter_new(&ARRAY_ITER_TYPE, unsafe { arg(o) }, 0).into_raw()
}

unsafe extern "C" fn arrayiter_next(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live iterator over an array.
    let it = unsafe { arg(o) };
    let (i, Some(seq)) = index_iter_state(it) else { return null_mut() };
    if i >= 0 && (i as usize) < len(seq) {
        iterobject::index_iter_set_index(it, i + 1);
        return get_item(seq, i as usize).into_raw();
    }
    iterobject::index_iter_exhaust(it);
    null_mut()
}

// ---- methods --------------------------------------------------------------------------------

fn get_typecode(o: &Obj) -> PyResult<PyRef> {
    Ok(unicode::new(descr(o).typecode))
}

fn get_itemsize(o: &Obj) -> PyResult<PyRef> {
    Ok(long::from_usize(descr(o).size))
}

fn m_append(o: &Obj, v: &Obj) -> PyResult<PyRef> {
    let b = encode_one(descr(o).kind, v)?;
    append_bytes(o, &b)?;
    Ok(none::none())
}

fn m_buffer_info(o: &Obj) -> PyResult<PyRef> {
    // SAFETY: o is an array.
    let p = unsafe { (*raw(o)).ob_item } as usize;
    Ok(tuple::new_from(&[&*long::from_usize(p), &*long::from_usize(len(o))]))
}

fn m_byteswap(o: &Obj) -> PyResult<PyRef> {
    let d = descr(o);
    // Complex items swap each of their two halves.
    let unit = match d.kind {
        Kind::C32 | Kind::C64 => d.size / 2,
        _ => d.size,
    };
    for chunk in data_mut(o).chunks_mut(unit) {
        chunk.reverse();
    }
    Ok(none::none())
}

fn m_clear(o: &Obj) -> PyResult<PyRef> {
    resize(o, 0)?;
    Ok(none::none())
}

fn m_copy(o: &Obj) -> PyResult<PyRef> {
    new_with(&ARRAY_TYPE, descr(o), data(o))
}

fn m_deepcopy(o: &Obj, _memo: &Obj) -> PyResult<PyRef> {
    m_copy(o)
}

fn m_count(o: &Obj, v: &Obj) -> PyResult<PyRef> {
    let mut n = 0;
    let mut i = 0;
    while i < len(o) {
        if abstract_::rich_compare_bool(&get_item(o, i), v, Py_EQ)? {
            n += 1;
        }
        i += 1;
    }
    Ok(long::from_usize(n))
}

fn m_extend(o: &Obj, it: &Obj) -> PyResult<PyRef> {
    extend(o, it)?;
    Ok(none::none())
}

fn m_frombytes(o: &Obj, b: &Obj) -> PyResult<PyRef> {
    from_bytes(o, bytes::bytes_like(b)?)?;
    Ok(none::none())
}

fn m_fromfile(o: &Obj, args: &[&Obj]) -> PyResult<PyRef> {
    check_positional("fromfile", args.len(), 2, 2)?;
    let n = argparse::ssize(args[1])?;
    if n < 0 {
        return Err(raise!(ValueError, "n cannot be negative"));
    }
    let size = descr(o).size;
    let Some(nbytes) = (n as usize).checked_mul(size).filter(|b| *b <= isize::MAX as usize) else {
        return Err(crate::err::PyErr::from_type_no_args(crate::objects::exceptions::MemoryError()));
    };
    let b = abstract_::call_method(args[0], "read", &[&*long::from_usize(nbytes)])?;
    if !bytes::check(&b) {
        return Err(raise!(TypeError, "read() didn't return bytes"));
    }
    let got = bytes::as_bytes(&b);
    let whole = got.len() / size * size;
    append_bytes(o, &got[..whole])?;
    if got.len() != nbytes {
        return Err(raise!(EOFError, "read() didn't return enough bytes"));
    }
    Ok(none::none())
}

fn m_fromlist(o: &Obj, l: &Obj) -> PyResult<PyRef> {
    if !list::check(l) {
        return Err(raise!(TypeError, "arg must be list"));
    }
    let kind = descr(o).kind;
    let mut buf = Vec::new();
    for v in list::to_vec(l) {
        encode(kind, &v, &mut buf)?;
    }
    append_bytes(o, &buf)?;
    Ok(none::none())
}

fn m_fromunicode(o: &Obj, s: &Obj) -> PyResult<PyRef> {
    if !unicode::check(s) {
        return Err(raise!(TypeError, "fromunicode() argument must be str, not {}", s.ob_type().name()));
    }
    if !is_unicode(descr(o)) {
        return Err(raise!(ValueError, "fromunicode() may only be called on unicode type arrays ('u' or 'w')"));
    }
    from_unicode(o, s)?;
    Ok(none::none())
}

fn m_index(o: &Obj, args: &[&Obj]) -> PyResult<PyRef> {
    check_positional("index", args.len(), 1, 3)?;
    let n = len(o) as isize;
    let clamp = |x: isize| if x < 0 { (x + n).max(0) } else { x.min(n) };
    let start = match args.get(1) {
        Some(s) => clamp(argparse::ssize_clamped(s)?),
        None => 0,
    };
    let stop = match args.get(2) {
        Some(s) => clamp(argparse::ssize_clamped(s)?),
        None => n,
    };
    let mut i = start;
    while i < stop && (i as usize) < len(o) {
        if abstract_::rich_compare_bool(&get_item(o, i as usize), args[0], Py_EQ)? {
            return Ok(long::from_i64(i as i64));
        }
        i += 1;
    }
    Err(raise!(ValueError, "array.index(x): x not in array"))
}

fn m_insert(o: &Obj, args: &[&Obj]) -> PyResult<PyRef> {
    check_positional("insert", args.len(), 2, 2)?;
    let i = argparse::ssize(args[0])?;
    let b = encode_one(descr(o).kind, args[1])?;
    let n = len(o) as isize;
    let i = if i < 0 { (i + n).max(0) } else { i.min(n) } as usize;
    splice(o, i, i, &b)?;
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
        return Err(raise!(IndexError, "pop from empty array"));
    }
    let j = if i < 0 { i + n } else { i };
    if j < 0 || j >= n {
        return Err(raise!(IndexError, "pop index out of range"));
    }
    let v = get_item(o, j as usize);
    splice(o, j as usize, j as usize + 1, &[])?;
    Ok(v)
}

fn m_remove(o: &Obj, v: &Obj) -> PyResult<PyRef> {
    let mut i = 0;
    while i < len(o) {
        if abstract_::rich_compare_bool(&get_item(o, i), v, Py_EQ)? {
            splice(o, i, i + 1, &[])?;
            return Ok(none::none());
        }
        i += 1;
    }
    Err(raise!(ValueError, "array.remove(x): x not in array"))
}

fn m_reverse(o: &Obj) -> PyResult<PyRef> {
    let size = descr(o).size;
    let d = data_mut(o);
    let n = d.len() / size;
    for i in 0..n / 2 {
        let j = n - 1 - i;
        for k in 0..size {
            d.swap(i * size + k, j * size + k);
        }
    }
    Ok(none::none())
}

fn m_tobytes(o: &Obj) -> PyResult<PyRef> {
    Ok(bytes::new(data(o)))
}

fn m_tofile(o: &Obj, f: &Obj) -> PyResult<PyRef> {
    // Written in blocks of 64 KiB, as CPython (a file sees the same write calls).
    const BLOCK: usize = 64 * 1024;
    let all = data(o).to_vec();
    for chunk in all.chunks(BLOCK) {
        abstract_::call_method(f, "write", &[&*bytes::new(chunk)])?;
    }
    Ok(none::none())
}

fn m_tolist(o: &Obj) -> PyResult<PyRef> {
    Ok(list::new_from_owned(items(o)))
}

fn unicode_of(o: &Obj) -> PyResult<PyRef> {
    let cps: Vec<u32> = data(o).chunks(4).map(|c| u32::from_ne_bytes(ne(c))).collect();
    if let Some(bad) = cps.iter().find(|c| **c > 0x10ffff) {
        return Err(raise!(ValueError, "character U+{:x} is not in range [U+0000; U+10ffff]", bad));
    }
    Ok(unicode::from_code_points(&cps))
}

fn m_tounicode(o: &Obj) -> PyResult<PyRef> {
    if !is_unicode(descr(o)) {
        return Err(raise!(ValueError, "tounicode() may only be called on unicode type arrays ('u' or 'w')"));
    }
    unicode_of(o)
}

fn m_sizeof(o: &Obj) -> PyResult<PyRef> {
    // SAFETY: o is an array.
    let alloc = unsafe { (*raw(o)).allocated } as usize;
    Ok(long::from_usize(o.ob_type().slots().tp_basicsize as usize + alloc * descr(o).size))
}

fn m_class_getitem(cls: &Obj, item: &Obj) -> PyResult<PyRef> {
    crate::objects::genericalias::new(cls, item)
}

/// `__reduce_ex__(protocol)`: `_array_reconstructor` with the machine format from protocol 3,
/// `array(typecode, list)` before it.
fn m_reduce_ex(o: &Obj, protocol: &Obj) -> PyResult<PyRef> {
    let protocol = argparse::c_int(protocol)?;
    let dict = abstract_::lookup_attr(o, "__dict__")?.unwrap_or_else(none::none);
    let cls: &Obj = o.ob_type();
    let d = descr(o);
    if protocol < 3 {
        let l = m_tolist(o)?;
        let args = tuple::new_from(&[&*unicode::new(d.typecode), &*l]);
        return Ok(tuple::new_from(&[cls, &*args, &*dict]));
    }
    let m = crate::import::import_module("array")?;
    let recon = abstract_::getattr_str(&m, "_array_reconstructor")?;
    let args = tuple::new_from(&[cls, &*unicode::new(d.typecode), &*long::from_i64(d.mformat as i64), &*bytes::new(data(o))]);
    Ok(tuple::new_from(&[&*recon, &*args, &*dict]))
}

// ---- _array_reconstructor -------------------------------------------------------------------

/// A machine format code: item size, signedness, big-endianness and what it holds.
#[derive(Clone, Copy)]
enum MKind {
    Int { signed: bool },
    Float,
    Half,
    Utf16,
    Utf32,
    Complex,
}

fn machine_format(code: i64) -> Option<(usize, bool, MKind)> {
    let big = code % 2 == 1;
    Some(match code {
        0 => (1, false, MKind::Int { signed: false }),
        1 => (1, false, MKind::Int { signed: true }),
        2 | 3 => (2, big, MKind::Int { signed: false }),
        4 | 5 => (2, big, MKind::Int { signed: true }),
        6 | 7 => (4, big, MKind::Int { signed: false }),
        8 | 9 => (4, big, MKind::Int { signed: true }),
        10 | 11 => (8, big, MKind::Int { signed: false }),
        12 | 13 => (8, big, MKind::Int { signed: true }),
        14 | 15 => (4, big, MKind::Float),
        16 | 17 => (8, big, MKind::Float),
        18 | 19 => (2, big, MKind::Utf16),
        20 | 21 => (4, big, MKind::Utf32),
        22 | 23 => (8, big, MKind::Complex),
        24 | 25 => (16, big, MKind::Complex),
        26 | 27 => (2, big, MKind::Half),
        _ => return None,
    })
}

fn array_reconstructor(_m: &Obj, args: &[&Obj]) -> PyResult<PyRef> {
    check_positional("_array_reconstructor", args.len(), 4, 4)?;
    let Some(ty) = TypeObj::downcast(args[0]) else {
        return Err(raise!(TypeError, "first argument must be a type object, not {}", args[0].ob_type().name()));
    };
    if !ty.is_subtype(&ARRAY_TYPE) {
        return Err(raise!(TypeError, "{} is not a subtype of array.array", ty.name()));
    }
    if !unicode::check(args[1]) {
        return Err(raise!(TypeError, "_array_reconstructor() argument 2 must be str, not {}", args[1].ob_type().name()));
    }
    let d = descr_for(&unicode::as_str_lossy(args[1])).ok_or_else(|| raise!(ValueError, "second argument must be a valid type code"))?;
    let code = argparse::c_int(args[2])? as i64;
    let Some((size, big, mkind)) = machine_format(code) else {
        return Err(raise!(ValueError, "third argument must be a valid machine format code."));
    };
    if !bytes::check(args[3]) {
        return Err(raise!(TypeError, "fourth argument should be bytes, not {}", args[3].ob_type().name()));
    }
    let raw_items = bytes::as_bytes(args[3]);
    if code == d.mformat as i64 {
        if raw_items.len() % d.size != 0 {
            return Err(raise!(ValueError, "bytes length not a multiple of item size"));
        }
        return new_with(ty, d, raw_items);
    }
    if raw_items.len() % size != 0 {
        return Err(raise!(ValueError, "string length not a multiple of item size"));
    }
    let item = |c: &[u8]| -> Vec<u8> {
        let mut v = c.to_vec();
        if big {
            v.reverse();
        }
        v
    };
    let init: PyRef = match mkind {
        MKind::Utf16 | MKind::Utf32 => {
            let units: Vec<u32> = raw_items
                .chunks(size)
                .map(|c| {
                    let b = item(c);
                    if size == 2 { u16::from_le_bytes([b[0], b[1]]) as u32 } else { u32::from_le_bytes([b[0], b[1], b[2], b[3]]) }
                })
                .collect();
            if size == 2 {
                let u16s: Vec<u16> = units.iter().map(|u| *u as u16).collect();
                let cps: Vec<u32> = char::decode_utf16(u16s).map(|r| r.map_or(0xfffd, |c| c as u32)).collect();
                unicode::from_code_points(&cps)
            } else {
                unicode::from_code_points(&units)
            }
        }
        _ => {
            let vals: Vec<PyRef> = raw_items
                .chunks(size)
                .map(|c| {
                    let mut b = c.to_vec();
                    if big {
                        // Each half of a complex is its own big-endian double.
                        match mkind {
                            MKind::Complex => {
                                let h = size / 2;
                                b[..h].reverse();
                                b[h..].reverse();
                            }
                            _ => b.reverse(),
                        }
                    }
                    match mkind {
                        MKind::Int { signed } => long::from_byte_array(&b, true, signed),
                        MKind::Float if size == 4 => float::new(f32::from_le_bytes(ne(&b)) as f64),
                        MKind::Float => float::new(f64::from_le_bytes(ne(&b))),
                        MKind::Half => float::new(super::struct_::from_half(u16::from_le_bytes(ne(&b)))),
                        MKind::Complex if size == 8 => {
                            complex::from_doubles(f32::from_le_bytes(ne(&b)) as f64, f32::from_le_bytes(ne(&b[4..])) as f64)
                        }
                        _ => complex::from_doubles(f64::from_le_bytes(ne(&b)), f64::from_le_bytes(ne(&b[8..]))),
                    }
                })
                .collect();
            list::new_from_owned(vals)
        }
    };
    // Integers go to the first type code of the same size and signedness (the native one for
    // this machine), as CPython does; other formats convert to the requested type code.
    let d = match mkind {
        MKind::Int { signed } => DESCRS
            .iter()
            .find(|c| c.size == size && is_int_kind(c.kind) && is_signed(c.kind) == signed)
            .unwrap_or(d),
        _ => d,
    };
    new_impl(ty, &[&*unicode::new(d.typecode), &*init], None)
}

fn is_int_kind(k: Kind) -> bool {
    !matches!(k, Kind::F16 | Kind::F32 | Kind::F64 | Kind::Char | Kind::C32 | Kind::C64)
}

fn is_signed(k: Kind) -> bool {
    matches!(k, Kind::I8 | Kind::I16 | Kind::I32 | Kind::Long | Kind::I64)
}
