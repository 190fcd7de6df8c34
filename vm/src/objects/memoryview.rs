//! `memoryview` (`PyMemoryView_Type`): a view of another object's buffer (the buffer
//! protocol), N-dimensional, with `struct`-module item formats.
//!
//! As in CPython's `Objects/memoryobject.c`, views share a *managed buffer*: the exporter's
//! `Py_buffer`, obtained once and released when the last view of it is released (slices and
//! `toreadonly()`/`cast()` results are further views of the same managed buffer). Each view
//! keeps its own layout (format, shape, strides, suboffsets). The layout is private: the
//! Stable ABI sees memoryviews only through functions and the buffer protocol.
//!
//! Item formats are the native single-item `struct` codes (`@` optional): c b B ? h H i I l L
//! q Q n N f d e P; others can be viewed, copied and compared as bytes but not unpacked.

use core::ffi::{c_char, c_int, c_void};
use core::mem::size_of;
use core::ptr::null_mut;
use std::ffi::CString;

use pyrite_abi::*;

use crate::abstract_;
use crate::buffer::{contiguous_strides, is_contiguous, item_pointer, shape_of, strides_of, to_contiguous};
use crate::err::{PyErr, PyResult};
use crate::object::{Obj, PyRef, StaticObject};
use crate::objects::argparse::{self, Kw};
use crate::objects::type_::{StaticTable, TypeObj, BUILTIN_FLAGS};
use crate::objects::{bool_, bytes, float, list, long, none, slice, tuple, unicode};
use crate::slot::{arg, from_new, opt_arg, ret_int, ret_obj};
use crate::{method_table, static_type};

/// The exporter's buffer, shared by every view made from it.
pub struct Managed {
    master: Py_buffer,
    /// Views alive on it.
    views: usize,
    /// Whether `master` came from `bf_getbuffer` (and must be released), or was copied from a
    /// caller's `Py_buffer` (`PyMemoryView_FromBuffer`, `FromMemory`: nothing to release).
    owned: bool,
}

/// A view's own layout; the `Py_buffer` of the view points into it.
struct Layout {
    format: CString,
    shape: Vec<Py_ssize_t>,
    strides: Vec<Py_ssize_t>,
    suboffsets: Option<Vec<Py_ssize_t>>,
}

#[repr(C)]
pub struct MemoryViewObject {
    pub ob_base: PyObject,
    /// NULL once released.
    mbuf: *mut Managed,
    view: Py_buffer,
    layout: *mut Layout,
    exports: Py_ssize_t,
    hash: Py_hash_t,
    weakreflist: *mut PyObject,
}

static_type!(PyMemoryView_Type, c"memoryview", size_of::<MemoryViewObject>(), {
    tp_flags: BUILTIN_FLAGS | Py_TPFLAGS_HAVE_GC | Py_TPFLAGS_SEQUENCE,
    tp_dealloc: Some(mv_dealloc),
    tp_traverse: Some(mv_traverse),
    tp_repr: Some(mv_repr),
    tp_hash: Some(mv_hash),
    tp_richcompare: Some(mv_richcompare),
    tp_weaklistoffset: core::mem::offset_of!(MemoryViewObject, weakreflist) as isize,
    tp_as_buffer: MV_AS_BUFFER.0.get(),
    tp_as_sequence: MV_AS_SEQUENCE.0.get(),
    tp_as_mapping: MV_AS_MAPPING.0.get(),
    tp_methods: MV_METHODS.0.get() as *mut PyMethodDef,
    tp_getset: MV_GETSET.0.get() as *mut PyGetSetDef,
    tp_new: Some(mv_new),
    tp_free: Some(crate::alloc::gc_del),
    tp_doc: c"Create a new memoryview object which references the given object.".as_ptr(),
});

static MV_AS_BUFFER: StaticObject<PyBufferProcs> =
    StaticObject::new(PyBufferProcs { bf_getbuffer: Some(mv_getbuffer), bf_releasebuffer: Some(mv_releasebuffer) });

static MV_AS_SEQUENCE: StaticObject<PySequenceMethods> =
    StaticObject::new(PySequenceMethods { sq_length: Some(mv_len), sq_item: Some(mv_item), ..PySequenceMethods::EMPTY });

static MV_AS_MAPPING: StaticObject<PyMappingMethods> =
    StaticObject::new(PyMappingMethods { mp_length: Some(mv_len), mp_subscript: Some(mv_subscript), mp_ass_subscript: Some(mv_ass_subscript) });

method_table!(static MV_METHODS = [
    noargs c"release" => m_release,
    kw c"tobytes" => m_tobytes,
    noargs c"tolist" => m_tolist,
    noargs c"hex" => m_hex,
    noargs c"toreadonly" => m_toreadonly,
    kw c"cast" => m_cast,
    noargs c"__enter__" => m_enter,
    fast c"__exit__" => m_exit,
]);

static MV_GETSET: StaticTable<PyGetSetDef, 13> = StaticTable(core::cell::UnsafeCell::new([
    crate::getter_def!(c"obj", g_obj),
    crate::getter_def!(c"nbytes", g_nbytes),
    crate::getter_def!(c"readonly", g_readonly),
    crate::getter_def!(c"itemsize", g_itemsize),
    crate::getter_def!(c"format", g_format),
    crate::getter_def!(c"ndim", g_ndim),
    crate::getter_def!(c"shape", g_shape),
    crate::getter_def!(c"strides", g_strides),
    crate::getter_def!(c"suboffsets", g_suboffsets),
    crate::getter_def!(c"c_contiguous", g_c_contiguous),
    crate::getter_def!(c"f_contiguous", g_f_contiguous),
    crate::getter_def!(c"contiguous", g_contiguous),
    PyGetSetDef { name: core::ptr::null(), get: None, set: None, doc: core::ptr::null(), closure: null_mut() },
]));

pub fn types() -> [&'static TypeObj; 1] {
    [&PyMemoryView_Type]
}

pub fn check(o: &Obj) -> bool {
    o.is_instance_of(&PyMemoryView_Type)
}

#[inline(always)]
fn raw(o: &Obj) -> *mut MemoryViewObject {
    o.as_ptr() as *mut MemoryViewObject
}

/// A bitwise copy of a view description (raw pointers only; no reference is taken).
fn copy_buf(v: &Py_buffer) -> Py_buffer {
    // SAFETY: `Py_buffer` is plain data.
    unsafe { core::ptr::read(v) }
}

fn released_error() -> PyErr {
    raise!(ValueError, "operation forbidden on released memoryview object")
}

/// The view of a live memoryview, else the released error.
fn view(o: &Obj) -> PyResult<&Py_buffer> {
    // SAFETY: a memoryview; its view lives as long as it is not released.
    unsafe {
        let m = raw(o);
        if (*m).mbuf.is_null() {
            return Err(released_error());
        }
        Ok(&(*m).view)
    }
}

fn format_str(v: &Py_buffer) -> &str {
    if v.format.is_null() {
        return "B";
    }
    // SAFETY: a NUL-terminated format.
    unsafe { core::ffi::CStr::from_ptr(v.format) }.to_str().unwrap_or("?")
}

// ---- construction ---------------------------------------------------------------------------

/// A new view of `mbuf` (one more view counted) with the layout of `src`.
fn new_view(mbuf: *mut Managed, src: &Py_buffer) -> PyResult<PyRef> {
    // SAFETY: src is a filled view.
    let (shape, strides) = unsafe { (shape_of(src), strides_of(src)) };
    let suboffsets = if src.suboffsets.is_null() {
        None
    } else {
        // SAFETY: ndim entries.
        Some(unsafe { core::slice::from_raw_parts(src.suboffsets, src.ndim as usize) }.to_vec())
    };
    let format = CString::new(format_str(src)).unwrap_or_else(|_| CString::new("B").unwrap());
    let layout = Box::into_raw(Box::new(Layout { format, shape, strides, suboffsets }));
    // SAFETY: PyMemoryView_Type is live; the object is zeroed.
    let o = unsafe { from_new(crate::alloc::generic_alloc(PyMemoryView_Type.raw(), 0))? };
    // SAFETY: a fresh memoryview and its layout.
    unsafe {
        let m = raw(&o);
        (*mbuf).views += 1;
        (*m).mbuf = mbuf;
        (*m).layout = layout;
        (*m).hash = -1;
        let l = &mut *layout;
        let v = &mut (*m).view;
        v.buf = src.buf;
        v.obj = (*mbuf).master.obj;
        crate::object::xincref(v.obj);
        v.len = src.len;
        v.itemsize = src.itemsize;
        v.readonly = src.readonly;
        v.ndim = src.ndim;
        v.format = l.format.as_ptr() as *mut c_char;
        v.shape = l.shape.as_mut_ptr();
        v.strides = l.strides.as_mut_ptr();
        v.suboffsets = l.suboffsets.as_mut().map_or(null_mut(), |s| s.as_mut_ptr());
    }
    Ok(o)
}

fn new_managed(master: Py_buffer, owned: bool) -> *mut Managed {
    Box::into_raw(Box::new(Managed { master, views: 0, owned }))
}

/// Drops one view of `mbuf`; the last releases the exporter's buffer.
///
/// # Safety
/// `mbuf` is a live managed buffer with at least one view.
unsafe fn drop_view(mbuf: *mut Managed) {
    // SAFETY: guaranteed by the caller.
    unsafe {
        (*mbuf).views -= 1;
        if (*mbuf).views == 0 {
            let mut m = Box::from_raw(mbuf);
            let o = m.master.obj;
            if m.owned && !o.is_null() {
                if let Some(rel) = (*(*o).ob_type).tp_as_buffer.as_ref().and_then(|b| b.bf_releasebuffer) {
                    rel(o, &mut m.master);
                }
                crate::object::decref(o);
            }
        }
    }
}

/// `PyMemoryView_FromObject` / `memoryview(o)`.
pub fn from_object(o: &Obj) -> PyResult<PyRef> {
    if check(o) {
        let v = view(o)?;
        // SAFETY: a live memoryview.
        return new_view(unsafe { (*raw(o)).mbuf }, v);
    }
    // SAFETY: reading a slot table of a live type.
    let Some(get) = (unsafe { o.ob_type().slots().tp_as_buffer.as_ref() }).and_then(|b| b.bf_getbuffer) else {
        return Err(raise!(TypeError, "memoryview: a bytes-like object is required, not '{}'", o.ob_type().name()));
    };
    // The exporter fills the master in its final place: its shape and strides may point into
    // the `Py_buffer` itself (`PyBuffer_FillInfo` does).
    // SAFETY: a zeroed view is a valid `Py_buffer`.
    let mbuf = new_managed(unsafe { core::mem::zeroed() }, true);
    // SAFETY: the master is writable; on failure the box is freed without a release.
    if let Err(e) = unsafe { crate::slot::from_status(get(o.as_ptr(), &mut (*mbuf).master, PyBUF_FULL_RO)) } {
        // SAFETY: the box was never shared (no view was made).
        drop(unsafe { Box::from_raw(mbuf) });
        return Err(e);
    }
    // SAFETY: the master was just filled.
    let r = new_view(mbuf, unsafe { &(*mbuf).master });
    if r.is_err() {
        // SAFETY: no view was counted; release the master.
        unsafe {
            (*mbuf).views = 1;
            drop_view(mbuf);
        }
    }
    r
}

/// `PyMemoryView_FromBuffer`: a view of a caller's buffer description (not released by the
/// view; `obj` is not kept).
///
/// # Safety
/// `info` is a filled view whose memory outlives the memoryview.
pub unsafe fn from_buffer(info: &Py_buffer) -> PyResult<PyRef> {
    if info.buf.is_null() {
        return Err(raise!(ValueError, "PyMemoryView_FromBuffer(): info->buf must not be NULL"));
    }
    let mut master = copy_buf(info);
    master.obj = null_mut();
    if master.shape == &raw const info.len as *mut Py_ssize_t {
        master.shape = null_mut();
    }
    if master.strides == &raw const info.itemsize as *mut Py_ssize_t {
        master.strides = null_mut();
    }
    let mbuf = new_managed(master, false);
    // SAFETY: the master is a copy of a filled view.
    new_view(mbuf, unsafe { &(*mbuf).master })
}

/// `PyMemoryView_FromMemory(mem, size, flags)`: `PyBUF_READ` or `PyBUF_WRITE`.
///
/// # Safety
/// `mem` points to `size` bytes that outlive the memoryview.
pub unsafe fn from_memory(mem: *mut c_char, size: Py_ssize_t, flags: c_int) -> PyResult<PyRef> {
    if flags != PyBUF_READ && flags != PyBUF_WRITE {
        return Err(crate::err::PyErr::new(crate::objects::exceptions::SystemError(), "bad argument to internal function"));
    }
    // SAFETY: a zeroed view filled for the memory.
    let mut info: Py_buffer = unsafe { core::mem::zeroed() };
    // SAFETY: `info` is a zeroed view on the stack; `mem` holds `size` bytes (the caller's promise).
    unsafe { crate::buffer::fill_info(&mut info, None, mem as *mut c_void, size, flags == PyBUF_READ, PyBUF_FULL_RO)? };
    let mbuf = new_managed(info, false);
    // SAFETY: the master is filled; its shape and strides point into itself (moved into the
    // box), so refresh them there.
    unsafe {
        let m = &mut (*mbuf).master;
        m.shape = &raw mut m.len;
        m.strides = &raw mut m.itemsize;
        new_view(mbuf, m)
    }
}

/// `PyMemoryView_GetContiguous(o, buffertype, order)`: a view of `o` if it is contiguous in
/// `order`, else a read-only view of a contiguous copy.
pub fn get_contiguous(o: &Obj, buffertype: c_int, order: u8) -> PyResult<PyRef> {
    let mv = from_object(o)?;
    let v = view(&mv)?;
    if buffertype == PyBUF_WRITE && v.readonly != 0 {
        return Err(raise!(BufferError, "underlying buffer is not writable"));
    }
    // SAFETY: a live view.
    if unsafe { is_contiguous(v, order) } {
        return Ok(mv);
    }
    if buffertype == PyBUF_WRITE {
        return Err(raise!(BufferError, "writable contiguous buffer requested for a non-contiguous object."));
    }
    // SAFETY: a live view.
    let data = unsafe { to_contiguous(v, order) };
    let b = bytes::new(&data);
    let bv = from_object(&b)?;
    // SAFETY: a live view.
    let shape = tuple::new_from_owned(unsafe { shape_of(v) }.iter().map(|&s| long::from_i64(s as i64)).collect());
    cast(&bv, format_str(v), Some(&shape))
}

fn release(o: &Obj) -> PyResult<()> {
    // SAFETY: a memoryview.
    unsafe {
        let m = raw(o);
        if (*m).mbuf.is_null() {
            return Ok(());
        }
        if (*m).exports > 0 {
            let n = (*m).exports;
            return Err(raise!(BufferError, "memoryview has {} exported buffer{}", n, if n == 1 { "" } else { "s" }));
        }
        let mbuf = core::mem::replace(&mut (*m).mbuf, null_mut());
        crate::object::xdecref(core::mem::replace(&mut (*m).view.obj, null_mut()));
        drop_view(mbuf);
    }
    Ok(())
}

// ---- items ----------------------------------------------------------------------------------

/// The single native `struct` code of a format (`@` optional), if it is one.
fn item_code(fmt: &str) -> Option<u8> {
    let f = fmt.strip_prefix('@').unwrap_or(fmt);
    (f.len() == 1).then(|| f.as_bytes()[0])
}

fn unsupported_format(fmt: &str) -> PyErr {
    raise!(NotImplementedError, "memoryview: format {} not supported", fmt)
}

/// Reads one item at `p`.
///
/// # Safety
/// `p` points to an item of format `fmt`.
unsafe fn unpack(fmt: &str, p: *const u8) -> PyResult<PyRef> {
    let code = item_code(fmt).ok_or_else(|| unsupported_format(fmt))?;
    // SAFETY: guaranteed by the caller (unaligned reads: views may be unaligned).
    unsafe {
        Ok(match code {
            b'c' => bytes::new(&[*p]),
            b'b' => long::from_i64(*(p as *const i8) as i64),
            b'B' => long::from_i64(*p as i64),
            b'?' => bool_::new(*p != 0),
            b'h' => long::from_i64((p as *const i16).read_unaligned() as i64),
            b'H' => long::from_i64((p as *const u16).read_unaligned() as i64),
            b'i' => long::from_i64((p as *const i32).read_unaligned() as i64),
            b'I' => long::from_i64((p as *const u32).read_unaligned() as i64),
            b'l' | b'q' | b'n' => long::from_i64((p as *const i64).read_unaligned()),
            b'L' | b'Q' | b'N' | b'P' => long::from_u64((p as *const u64).read_unaligned()),
            b'f' => float::new((p as *const f32).read_unaligned() as f64),
            b'd' => float::new((p as *const f64).read_unaligned()),
            b'e' => float::new(half_to_f64((p as *const u16).read_unaligned())),
            _ => return Err(unsupported_format(fmt)),
        })
    }
}

fn half_to_f64(h: u16) -> f64 {
    let sign = if h & 0x8000 != 0 { -1.0 } else { 1.0 };
    let exp = ((h >> 10) & 0x1f) as i32;
    let frac = (h & 0x3ff) as f64;
    sign * match exp {
        0 => frac * 2f64.powi(-24),
        31 => if frac == 0.0 { f64::INFINITY } else { f64::NAN },
        e => (1.0 + frac / 1024.0) * 2f64.powi(e - 15),
    }
}

/// Writes `v` as one item at `p`, with CPython's type and range errors.
///
/// # Safety
/// `p` points to a writable item of format `fmt`.
unsafe fn pack(fmt: &str, p: *mut u8, v: &Obj) -> PyResult<()> {
    let code = item_code(fmt).ok_or_else(|| unsupported_format(fmt))?;
    let invalid_type = || raise!(TypeError, "memoryview: invalid type for format '{}'", fmt);
    let invalid_value = || raise!(ValueError, "memoryview: invalid value for format '{}'", fmt);
    let int = |lo: i128, hi: i128| -> PyResult<i128> {
        if !long::check(v) && v.ob_type().slots().tp_as_number.is_null() {
            return Err(invalid_type());
        }
        let i = abstract_::index(v).map_err(|e| if e.is_instance(crate::objects::exceptions::TypeError()) { invalid_type() } else { e })?;
        let x = long::to_i64(&i).map(|x| x as i128).or_else(|| long::to_u64(&i).map(|x| x as i128)).ok_or_else(invalid_value)?;
        if x < lo || x > hi { Err(invalid_value()) } else { Ok(x) }
    };
    // SAFETY: guaranteed by the caller (unaligned writes).
    unsafe {
        match code {
            b'c' => {
                if !bytes::check(v) || bytes::as_bytes(v).len() != 1 {
                    return Err(if bytes::check(v) { invalid_value() } else { invalid_type() });
                }
                *p = bytes::as_bytes(v)[0];
            }
            b'b' => *(p as *mut i8) = int(i8::MIN as i128, i8::MAX as i128)? as i8,
            b'B' => *p = int(0, u8::MAX as i128)? as u8,
            b'?' => *p = abstract_::is_true(v)? as u8,
            b'h' => (p as *mut i16).write_unaligned(int(i16::MIN as i128, i16::MAX as i128)? as i16),
            b'H' => (p as *mut u16).write_unaligned(int(0, u16::MAX as i128)? as u16),
            b'i' => (p as *mut i32).write_unaligned(int(i32::MIN as i128, i32::MAX as i128)? as i32),
            b'I' => (p as *mut u32).write_unaligned(int(0, u32::MAX as i128)? as u32),
            b'l' | b'q' | b'n' => (p as *mut i64).write_unaligned(int(i64::MIN as i128, i64::MAX as i128)? as i64),
            b'L' | b'Q' | b'N' | b'P' => (p as *mut u64).write_unaligned(int(0, u64::MAX as i128)? as u64),
            b'f' | b'd' | b'e' => {
                if !float::check(v) && !long::check(v) {
                    return Err(invalid_type());
                }
                let x = crate::number::as_f64(v)?;
                match code {
                    b'f' => (p as *mut f32).write_unaligned(x as f32),
                    b'd' => (p as *mut f64).write_unaligned(x),
                    _ => return Err(unsupported_format(fmt)),
                }
            }
            _ => return Err(unsupported_format(fmt)),
        }
    }
    Ok(())
}

fn tolist_dim(v: &Py_buffer, fmt: &str, ix: &mut Vec<Py_ssize_t>, shape: &[Py_ssize_t]) -> PyResult<PyRef> {
    let d = ix.len();
    if d == shape.len() {
        // SAFETY: in-range indices of a live view.
        return unsafe { unpack(fmt, item_pointer(v, ix)) };
    }
    let mut items = Vec::with_capacity(shape[d].max(0) as usize);
    for i in 0..shape[d] {
        ix.push(i);
        items.push(tolist_dim(v, fmt, ix, shape)?);
        ix.pop();
    }
    Ok(list::new_from_owned(items))
}

/// `memoryview.tolist()`.
pub fn tolist(o: &Obj) -> PyResult<PyRef> {
    let v = view(o)?;
    let fmt = format_str(v);
    item_code(fmt).filter(|c| b"cbB?hHiIlLqQnNfdeP".contains(c)).ok_or_else(|| unsupported_format(fmt))?;
    // SAFETY: a live view.
    let shape = unsafe { shape_of(v) };
    tolist_dim(v, fmt, &mut Vec::new(), &shape)
}

/// `memoryview.tobytes(order)`: the items in C (default), Fortran or either order.
pub fn tobytes(o: &Obj, order: u8) -> PyResult<PyRef> {
    let v = view(o)?;
    // SAFETY: a live view.
    Ok(bytes::new(&unsafe { to_contiguous(v, order) }))
}

/// Index `i` on dimension `dim` (0-based), negative from the end.
fn checked_index(v: &Py_buffer, dim: usize, key: &Obj) -> PyResult<Py_ssize_t> {
    let i = abstract_::index_for(key, "memoryview")? as Py_ssize_t;
    // SAFETY: a live view.
    let n = unsafe { shape_of(v) }[dim];
    let j = if i < 0 { i + n } else { i };
    if j < 0 || j >= n {
        return Err(raise!(IndexError, "index out of bounds on dimension {}", dim + 1));
    }
    Ok(j)
}

fn is_index(k: &Obj) -> bool {
    // SAFETY: reading the slot table of a live type.
    unsafe { k.ob_type().slots().tp_as_number.as_ref() }.is_some_and(|n| n.nb_index.is_some())
}

enum Key {
    Item(Vec<Py_ssize_t>),
    Whole,
    Slice(Py_ssize_t, Py_ssize_t, Py_ssize_t),
}

fn classify(o: &Obj, key: &Obj) -> PyResult<Key> {
    let v = view(o)?;
    if v.ndim == 0 {
        if key.is(&none::ellipsis()) {
            return Ok(Key::Whole);
        }
        if tuple::check(key) && tuple::len(key) == 0 {
            return Ok(Key::Item(Vec::new()));
        }
        return Err(raise!(TypeError, "invalid indexing of 0-dim memory"));
    }
    if is_index(key) {
        if v.ndim != 1 {
            return Err(raise!(NotImplementedError, "multi-dimensional sub-views are not implemented"));
        }
        return Ok(Key::Item(vec![checked_index(v, 0, key)?]));
    }
    if slice::check(key) {
        // SAFETY: a live view.
        let n = unsafe { shape_of(v) }[0];
        let (mut start, mut stop, step) = slice::unpack(key)?;
        let len = slice::adjust_indices(n, &mut start, &mut stop, step);
        return Ok(Key::Slice(start, step, len));
    }
    if key.is(&none::ellipsis()) {
        return Ok(Key::Whole);
    }
    if tuple::check(key) {
        let items = tuple::items(key);
        if items.iter().all(|k| is_index(k)) {
            if items.len() < v.ndim as usize {
                return Err(raise!(NotImplementedError, "sub-views are not implemented"));
            }
            if items.len() > v.ndim as usize {
                return Err(raise!(TypeError, "cannot index {}-dimension view with {}-element tuple", v.ndim, items.len()));
            }
            let mut ix = Vec::with_capacity(items.len());
            for (d, k) in items.iter().enumerate() {
                ix.push(checked_index(v, d, k)?);
            }
            return Ok(Key::Item(ix));
        }
        if items.iter().all(|k| is_index(k) || slice::check(k)) {
            return Err(raise!(NotImplementedError, "multi-dimensional slicing is not implemented"));
        }
    }
    Err(raise!(TypeError, "memoryview: invalid slice key"))
}

/// A view of `o` sliced on its first dimension.
fn sliced(o: &Obj, start: Py_ssize_t, step: Py_ssize_t, len: Py_ssize_t) -> PyResult<PyRef> {
    let v = view(o)?;
    // SAFETY: a live view.
    let mut shape = unsafe { shape_of(v) };
    let mut strides = unsafe { strides_of(v) };
    let mut sub = copy_buf(v);
    // SAFETY: the new start lies inside the exporter's buffer (or the slice is empty).
    sub.buf = unsafe { (v.buf as *mut u8).offset(if len > 0 { start * strides[0] } else { 0 }) } as *mut c_void;
    shape[0] = len;
    strides[0] *= step;
    sub.shape = shape.as_mut_ptr();
    sub.strides = strides.as_mut_ptr();
    sub.len = shape.iter().product::<Py_ssize_t>() * v.itemsize;
    // SAFETY: a live memoryview; the layout is copied by `new_view`.
    new_view(unsafe { (*raw(o)).mbuf }, &sub)
}

pub fn getitem(o: &Obj, key: &Obj) -> PyResult<PyRef> {
    match classify(o, key)? {
        Key::Whole => Ok(o.new_ref()),
        Key::Item(ix) => {
            let v = view(o)?;
            // SAFETY: in-range indices of a live view.
            unsafe { unpack(format_str(v), item_pointer(v, &ix)) }
        }
        Key::Slice(start, step, len) => sliced(o, start, step, len),
    }
}

fn setitem(o: &Obj, key: &Obj, value: Option<&Obj>) -> PyResult<()> {
    let v = view(o)?;
    if v.readonly != 0 {
        return Err(raise!(TypeError, "cannot modify read-only memory"));
    }
    let Some(value) = value else {
        return Err(raise!(TypeError, "cannot delete memory"));
    };
    let fmt = format_str(v).to_string();
    match classify(o, key)? {
        // SAFETY: in-range indices of a live, writable view.
        Key::Item(ix) => unsafe { pack(&fmt, item_pointer(v, &ix), value) },
        // SAFETY: a 0-dim view's buffer holds one writable item.
        Key::Whole if v.ndim == 0 => unsafe { pack(&fmt, v.buf as *mut u8, value) },
        key => {
            let dest = match key {
                Key::Slice(start, step, len) => sliced(o, start, step, len)?,
                _ => o.new_ref(),
            };
            let src = from_object(value)?;
            let (dv, sv) = (view(&dest)?, view(&src)?);
            // SAFETY: both views are live.
            let same = unsafe { shape_of(dv) == shape_of(sv) } && format_str(dv) == format_str(sv) && dv.itemsize == sv.itemsize;
            if !same {
                release(&src)?;
                release(&dest)?;
                return Err(raise!(ValueError, "memoryview assignment: lvalue and rvalue have different structures"));
            }
            // Copied out first: source and destination may overlap.
            // SAFETY: both views are live; the destination is writable.
            unsafe {
                let data = to_contiguous(sv, b'C');
                crate::buffer::from_contiguous(dv, &data, b'C');
            }
            release(&src)?;
            release(&dest)
        }
    }
}

/// `memoryview.cast(format, shape)`: a C-contiguous view reinterpreted, with a byte format on
/// one side.
pub fn cast(o: &Obj, format: &str, shape: Option<&Obj>) -> PyResult<PyRef> {
    let v = view(o)?;
    // SAFETY: a live view.
    if !unsafe { is_contiguous(v, b'C') } {
        return Err(raise!(TypeError, "memoryview: casts are restricted to C-contiguous views"));
    }
    let is_byte = |f: &str| matches!(item_code(f), Some(b'B' | b'b' | b'c'));
    let size = item_code(format)
        .filter(|c| b"cbB?hHiIlLqQnNfdeP".contains(c))
        .and_then(|_| crate::buffer::format_size(format))
        .ok_or_else(|| raise!(ValueError, "memoryview: destination format must be a native single character format prefixed with an optional '@'"))?;
    if !is_byte(format_str(v)) && !is_byte(format) {
        return Err(raise!(TypeError, "memoryview: cannot cast between two non-byte formats"));
    }
    if v.len % size != 0 {
        return Err(raise!(TypeError, "memoryview: length is not a multiple of itemsize"));
    }
    let mut new_shape: Vec<Py_ssize_t> = match shape {
        None => vec![v.len / size],
        Some(s) => {
            let items: Vec<PyRef> = crate::objects::iterobject::collect(s)?;
            let mut out = Vec::new();
            for it in &items {
                let n = long::to_i64(it).filter(|&n| n > 0).ok_or_else(|| raise!(ValueError, "memoryview.cast(): elements of shape must be integers > 0"))?;
                out.push(n as Py_ssize_t);
            }
            if out.iter().product::<Py_ssize_t>() * size != v.len {
                return Err(raise!(TypeError, "memoryview: product(shape) * itemsize != buffer size"));
            }
            out
        }
    };
    let mut strides = contiguous_strides(&new_shape, size, b'C');
    let cformat = CString::new(format).map_err(|_| raise!(ValueError, "embedded null character"))?;
    let mut nv = copy_buf(v);
    nv.itemsize = size;
    nv.ndim = new_shape.len() as c_int;
    nv.format = cformat.as_ptr() as *mut c_char;
    nv.shape = new_shape.as_mut_ptr();
    nv.strides = strides.as_mut_ptr();
    nv.suboffsets = null_mut();
    // SAFETY: a live memoryview; `new_view` copies the layout.
    new_view(unsafe { (*raw(o)).mbuf }, &nv)
}

// ---- slots ----------------------------------------------------------------------------------

unsafe extern "C" fn mv_new(_t: *mut PyTypeObject, args: *mut PyObject, kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: tp_new contract.
    let (args, kw) = unsafe { (arg(args), opt_arg(kw)) };
    ret_obj((|| {
        let a = tuple::items(args);
        let mut target = a.first().copied();
        if let Some(k) = kw {
            let mut pos = 0;
            while let Some((key, val)) = crate::objects::dict::next(k, &mut pos) {
                if unicode::as_str(key).ok() == Some("object") && target.is_none() {
                    target = Some(val);
                } else {
                    return Err(raise!(TypeError, "memoryview() got an unexpected keyword argument '{}'", unicode::as_str_lossy(key)));
                }
            }
        }
        argparse::check_positional("memoryview", a.len(), 0, 1)?;
        let t = target.ok_or_else(|| raise!(TypeError, "memoryview() missing required argument 'object' (pos 1)"))?;
        from_object(t)
    })())
}

unsafe extern "C" fn mv_dealloc(o: *mut PyObject) {
    // SAFETY: a dead memoryview (no exports: they hold references).
    unsafe {
        crate::objects::weakref::clear_weakrefs(o);
        let m = o as *mut MemoryViewObject;
        if !(*m).mbuf.is_null() {
            crate::object::xdecref((*m).view.obj);
            drop_view((*m).mbuf);
        }
        if !(*m).layout.is_null() {
            drop(Box::from_raw((*m).layout));
        }
        crate::alloc::gc_del(o as *mut c_void);
    }
}

unsafe extern "C" fn mv_getbuffer(o: *mut PyObject, out: *mut Py_buffer, flags: c_int) -> c_int {
    // SAFETY: bf_getbuffer contract.
    let me = unsafe { arg(o) };
    let r = (|| -> PyResult<()> {
        let v = view(me)?;
        let err = |m: &str| Err(PyErr::new(crate::objects::exceptions::BufferError(), m));
        // SAFETY: a live view.
        let (c, f, any) = unsafe { (is_contiguous(v, b'C'), is_contiguous(v, b'F'), is_contiguous(v, b'A')) };
        if flags & PyBUF_WRITABLE != 0 && v.readonly != 0 {
            return err("memoryview: underlying buffer is not writable");
        }
        if flags & PyBUF_C_CONTIGUOUS == PyBUF_C_CONTIGUOUS && !c {
            return err("memoryview: underlying buffer is not C-contiguous");
        }
        if flags & PyBUF_F_CONTIGUOUS == PyBUF_F_CONTIGUOUS && !f {
            return err("memoryview: underlying buffer is not Fortran contiguous");
        }
        if flags & PyBUF_ANY_CONTIGUOUS == PyBUF_ANY_CONTIGUOUS && !any {
            return err("memoryview: underlying buffer is not contiguous");
        }
        if flags & PyBUF_INDIRECT != PyBUF_INDIRECT && !v.suboffsets.is_null() {
            return err("memoryview: underlying buffer requires suboffsets");
        }
        // SAFETY: the caller's view is writable; it points into this view's layout, which
        // lives while the export holds a reference.
        // SAFETY: the export's view points into this view's layout, alive while the export holds a reference.
        unsafe {
            let mut x = copy_buf(v);
            if flags & PyBUF_FORMAT != PyBUF_FORMAT {
                x.format = null_mut();
            }
            if flags & PyBUF_STRIDES != PyBUF_STRIDES {
                if !c {
                    return err("memoryview: underlying buffer is not C-contiguous");
                }
                x.strides = null_mut();
            }
            if flags & PyBUF_ND != PyBUF_ND {
                if !x.format.is_null() {
                    return err("memoryview: cannot cast to unsigned bytes if the format flag is present");
                }
                x.ndim = 1;
                x.shape = null_mut();
            }
            x.obj = me.new_ref().into_raw();
            *out = x;
            (*raw(me)).exports += 1;
        }
        Ok(())
    })();
    ret_int(r.map(|_| 0))
}

unsafe extern "C" fn mv_releasebuffer(o: *mut PyObject, _v: *mut Py_buffer) {
    // SAFETY: a live memoryview with an export.
    unsafe { (*(o as *mut MemoryViewObject)).exports -= 1 };
}

unsafe extern "C" fn mv_len(o: *mut PyObject) -> Py_ssize_t {
    // SAFETY: a live memoryview.
    let me = unsafe { arg(o) };
    let r = view(me).and_then(|v| {
        if v.ndim == 0 {
            return Err(raise!(TypeError, "0-dim memory has no length"));
        }
        // SAFETY: a live view.
        Ok(unsafe { shape_of(v) }[0])
    });
    match r {
        Ok(n) => n,
        Err(e) => {
            e.restore();
            -1
        }
    }
}

unsafe extern "C" fn mv_item(o: *mut PyObject, i: Py_ssize_t) -> *mut PyObject {
    // SAFETY: sq_item contract.
    let me = unsafe { arg(o) };
    ret_obj(getitem(me, &long::from_i64(i as i64)))
}

unsafe extern "C" fn mv_subscript(o: *mut PyObject, k: *mut PyObject) -> *mut PyObject {
    // SAFETY: mp_subscript contract.
    let (me, k) = unsafe { (arg(o), arg(k)) };
    ret_obj(getitem(me, k))
}

unsafe extern "C" fn mv_ass_subscript(o: *mut PyObject, k: *mut PyObject, v: *mut PyObject) -> c_int {
    // SAFETY: mp_ass_subscript contract.
    let (me, k, v) = unsafe { (arg(o), arg(k), opt_arg(v)) };
    ret_int(setitem(me, k, v).map(|_| 0))
}

unsafe extern "C" fn mv_repr(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live memoryview.
    let released = unsafe { (*(o as *mut MemoryViewObject)).mbuf.is_null() };
    let s = if released { format!("<released memory at {:p}>", o) } else { format!("<memory at {:p}>", o) };
    unicode::new(&s).into_raw()
}

unsafe extern "C" fn mv_hash(o: *mut PyObject) -> Py_hash_t {
    // SAFETY: a live memoryview.
    let me = unsafe { arg(o) };
    let r = (|| -> PyResult<Py_hash_t> {
        // SAFETY: as above.
        let cached = unsafe { (*raw(me)).hash };
        if cached != -1 {
            return Ok(cached);
        }
        let v = view(me)?;
        if v.readonly == 0 {
            return Err(raise!(ValueError, "cannot hash writable memoryview object"));
        }
        if !matches!(item_code(format_str(v)), Some(b'B' | b'b' | b'c')) {
            return Err(raise!(ValueError, "memoryview: hashing is restricted to formats 'B', 'b' or 'c'"));
        }
        // SAFETY: NULL or the live exporter.
        if let Some(exporter) = unsafe { opt_arg(v.obj) } {
            // The exporter's `__hash__` may run Python code: count an export meanwhile so
            // that code cannot release this view (and free the bytes) under us.
            // SAFETY: a live memoryview.
            unsafe { (*raw(me)).exports += 1 };
            let r = abstract_::hash(exporter);
            // SAFETY: as above.
            unsafe { (*raw(me)).exports -= 1 };
            r?;
        }
        // SAFETY: a live view.
        let h = crate::hash::hash_bytes(&unsafe { to_contiguous(v, b'C') });
        // SAFETY: as above.
        unsafe { (*raw(me)).hash = h };
        Ok(h)
    })();
    match r {
        Ok(h) => h,
        Err(e) => {
            e.restore();
            -1
        }
    }
}

unsafe extern "C" fn mv_richcompare(a: *mut PyObject, b: *mut PyObject, op: c_int) -> *mut PyObject {
    // SAFETY: tp_richcompare contract.
    let (a, b) = unsafe { (arg(a), arg(b)) };
    if op != Py_EQ && op != Py_NE {
        return none::not_implemented().into_raw();
    }
    ret_obj((|| {
        let answer = |eq: bool| Ok(bool_::new(eq == (op == Py_EQ)));
        if a.is(b) {
            return answer(true);
        }
        // SAFETY: `a` is a memoryview (the slot's owner) or `b` is.
        let (mv, other) = if check(a) { (a, b) } else { (b, a) };
        // SAFETY: both are memoryviews (checked) and live.
        if unsafe { (*raw(mv)).mbuf.is_null() } || (check(other) && unsafe { (*raw(other)).mbuf.is_null() }) {
            return answer(false);
        }
        // SAFETY: reading a slot table.
        if unsafe { other.ob_type().slots().tp_as_buffer.as_ref() }.and_then(|p| p.bf_getbuffer).is_none() {
            return Ok(none::not_implemented());
        }
        let ov = from_object(other)?;
        let (v1, v2) = (view(mv)?, view(&ov)?);
        // SAFETY: both views are live.
        if unsafe { shape_of(v1) != shape_of(v2) } {
            release(&ov)?;
            return answer(false);
        }
        let eq = if format_str(v1) == format_str(v2) && item_code(format_str(v1)).is_none_or(|c| c != b'f' && c != b'd' && c != b'e') {
            // SAFETY: both views are live.
            unsafe { to_contiguous(v1, b'C') == to_contiguous(v2, b'C') }
        } else {
            let (l1, l2) = (tolist(mv), tolist(&ov));
            match (l1, l2) {
                (Ok(l1), Ok(l2)) => abstract_::rich_compare_bool(&l1, &l2, Py_EQ)?,
                (Err(e), _) | (_, Err(e)) => {
                    release(&ov)?;
                    if e.is_instance(crate::objects::exceptions::NotImplementedError()) {
                        return Ok(none::not_implemented());
                    }
                    return Err(e);
                }
            }
        };
        release(&ov)?;
        answer(eq)
    })())
}

// ---- methods and attributes -----------------------------------------------------------------

fn m_release(o: &Obj) -> PyResult<PyRef> {
    release(o)?;
    Ok(none::none())
}

fn order_arg(name: &str, v: Option<&Obj>) -> PyResult<u8> {
    match v {
        None => Ok(b'C'),
        Some(x) if x.is(none::none_obj()) => Ok(b'C'),
        Some(x) => match unicode::as_str(x).ok() {
            Some("C") => Ok(b'C'),
            Some("F") => Ok(b'F'),
            Some("A") => Ok(b'A'),
            _ if !unicode::check(x) => Err(raise!(TypeError, "{}() argument 'order' must be str or None, not {}", name, x.ob_type().name())),
            _ => Err(raise!(ValueError, "order must be 'C', 'F' or 'A'")),
        },
    }
}

fn m_tobytes(o: &Obj, a: &[&Obj], kw: Kw) -> PyResult<PyRef> {
    argparse::check_positional("tobytes", a.len(), 0, 1)?;
    let mut order = a.first().copied();
    for (k, v) in kw.names.iter().zip(kw.values) {
        if unicode::as_str(k).ok() == Some("order") && order.is_none() {
            order = Some(*v);
        } else {
            return Err(raise!(TypeError, "tobytes() got an unexpected keyword argument '{}'", unicode::as_str_lossy(k)));
        }
    }
    tobytes(o, order_arg("tobytes", order)?)
}

fn m_tolist(o: &Obj) -> PyResult<PyRef> {
    tolist(o)
}

fn m_hex(o: &Obj) -> PyResult<PyRef> {
    let v = view(o)?;
    // SAFETY: a live view.
    let data = unsafe { to_contiguous(v, b'C') };
    let s: String = data.iter().map(|b| format!("{b:02x}")).collect();
    Ok(unicode::new(&s))
}

fn m_toreadonly(o: &Obj) -> PyResult<PyRef> {
    let v = view(o)?;
    let mut x = copy_buf(v);
    x.readonly = 1;
    // SAFETY: a live memoryview.
    new_view(unsafe { (*raw(o)).mbuf }, &x)
}

fn m_cast(o: &Obj, a: &[&Obj], kw: Kw) -> PyResult<PyRef> {
    argparse::check_positional("cast", a.len(), 1, 2)?;
    let mut shape = a.get(1).copied();
    for (k, v) in kw.names.iter().zip(kw.values) {
        if unicode::as_str(k).ok() == Some("shape") && shape.is_none() {
            shape = Some(*v);
        } else {
            return Err(raise!(TypeError, "cast() got an unexpected keyword argument '{}'", unicode::as_str_lossy(k)));
        }
    }
    if !unicode::check(a[0]) {
        return Err(raise!(TypeError, "memoryview: format argument must be a string"));
    }
    if let Some(s) = shape {
        if !list::check(s) && !tuple::check(s) {
            return Err(raise!(TypeError, "shape must be a list or a tuple"));
        }
    }
    cast(o, unicode::as_str(a[0])?, shape)
}

fn m_enter(o: &Obj) -> PyResult<PyRef> {
    view(o)?;
    Ok(o.new_ref())
}

fn m_exit(o: &Obj, _a: &[&Obj]) -> PyResult<PyRef> {
    release(o)?;
    Ok(none::none())
}

fn g_obj(o: &Obj) -> PyResult<PyRef> {
    let v = view(o)?;
    Ok(opt_arg_ref(v.obj))
}

fn opt_arg_ref(p: *mut PyObject) -> PyRef {
    // SAFETY: NULL or a live object.
    unsafe { opt_arg(p) }.map_or_else(none::none, Obj::new_ref)
}

fn g_nbytes(o: &Obj) -> PyResult<PyRef> {
    Ok(long::from_i64(view(o)?.len as i64))
}

fn g_readonly(o: &Obj) -> PyResult<PyRef> {
    Ok(bool_::new(view(o)?.readonly != 0))
}

fn g_itemsize(o: &Obj) -> PyResult<PyRef> {
    Ok(long::from_i64(view(o)?.itemsize as i64))
}

fn g_format(o: &Obj) -> PyResult<PyRef> {
    Ok(unicode::new(format_str(view(o)?)))
}

fn g_ndim(o: &Obj) -> PyResult<PyRef> {
    Ok(long::from_i64(view(o)?.ndim as i64))
}

fn ints(v: &[Py_ssize_t]) -> PyRef {
    tuple::new_from_owned(v.iter().map(|&x| long::from_i64(x as i64)).collect())
}

fn g_shape(o: &Obj) -> PyResult<PyRef> {
    // SAFETY: a live view.
    Ok(ints(&unsafe { shape_of(view(o)?) }))
}

fn g_strides(o: &Obj) -> PyResult<PyRef> {
    // SAFETY: a live view.
    Ok(ints(&unsafe { strides_of(view(o)?) }))
}

fn g_suboffsets(o: &Obj) -> PyResult<PyRef> {
    let v = view(o)?;
    if v.suboffsets.is_null() {
        return Ok(tuple::empty());
    }
    // SAFETY: ndim entries.
    Ok(ints(unsafe { core::slice::from_raw_parts(v.suboffsets, v.ndim as usize) }))
}

fn g_c_contiguous(o: &Obj) -> PyResult<PyRef> {
    // SAFETY: a live view.
    Ok(bool_::new(unsafe { is_contiguous(view(o)?, b'C') }))
}

fn g_f_contiguous(o: &Obj) -> PyResult<PyRef> {
    // SAFETY: a live view.
    Ok(bool_::new(unsafe { is_contiguous(view(o)?, b'F') }))
}

fn g_contiguous(o: &Obj) -> PyResult<PyRef> {
    // SAFETY: a live view.
    Ok(bool_::new(unsafe { is_contiguous(view(o)?, b'A') }))
}

/// The exporter the view holds (`release()` drops it). The managed buffer, shared by views,
/// holds one more reference that no traverse reports (it is not an object, as CPython's
/// `managedbuffer` is), so a cycle through an exporter and its views is not collected yet.
unsafe extern "C" fn mv_traverse(o: *mut PyObject, visit: visitproc, a: *mut c_void) -> core::ffi::c_int {
    // SAFETY: a live memoryview; `view.obj` is NULL or owned.
    unsafe { crate::gc::visit_each(&[(*(o as *mut MemoryViewObject)).view.obj], visit, a) }
}
