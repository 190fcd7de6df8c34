//! The buffer protocol's common case: a contiguous, one-dimensional byte buffer
//! (`PyBuffer_FillInfo`), used by `bytes` and by the C API.

use core::ffi::{c_char, c_int, c_void};
use core::ptr::null_mut;

use pyrite_abi::*;

use crate::err::PyResult;
use crate::object::Obj;

/// Fills `view` for `len` bytes at `buf` owned by `o`.
///
/// # Safety
/// `view` is NULL or writable; `buf` points to `len` bytes that live as long as `o`.
pub unsafe fn fill_info(view: *mut Py_buffer, o: Option<&Obj>, buf: *mut c_void, len: Py_ssize_t, readonly: bool, flags: c_int) -> PyResult<()> {
    if view.is_null() {
        return Err(raise!(BufferError, "PyBuffer_FillInfo: view==NULL argument is obsolete"));
    }
    if flags & PyBUF_WRITABLE == PyBUF_WRITABLE && readonly {
        return Err(raise!(BufferError, "Object is not writable."));
    }
    // SAFETY: guaranteed by the caller.
    unsafe {
        let v = &mut *view;
        v.obj = o.map_or(null_mut(), |o| o.new_ref().into_raw());
        v.buf = buf;
        v.len = len;
        v.readonly = readonly as c_int;
        v.itemsize = 1;
        v.format = if flags & PyBUF_FORMAT == PyBUF_FORMAT { c"B".as_ptr() as *mut c_char } else { null_mut() };
        v.ndim = 1;
        v.shape = if flags & PyBUF_ND == PyBUF_ND { &raw mut v.len } else { null_mut() };
        v.strides = if flags & PyBUF_STRIDES == PyBUF_STRIDES { &raw mut v.itemsize } else { null_mut() };
        v.suboffsets = null_mut();
        v.internal = null_mut();
    }
    Ok(())
}

// ---- N-dimensional layouts ------------------------------------------------------------------

/// The shape of a view as a slice (`[len / itemsize]` when the exporter gave none).
///
/// # Safety
/// `v` is a filled view.
pub unsafe fn shape_of(v: &Py_buffer) -> Vec<Py_ssize_t> {
    if v.ndim == 0 {
        return Vec::new();
    }
    if v.shape.is_null() {
        return vec![if v.itemsize > 0 { v.len / v.itemsize } else { 0 }];
    }
    // SAFETY: ndim entries, the exporter's promise.
    unsafe { core::slice::from_raw_parts(v.shape, v.ndim as usize) }.to_vec()
}

/// Strides (C-contiguous ones when the exporter gave none), as `PyBuffer_FillContiguousStrides`.
///
/// # Safety
/// `v` is a filled view.
pub unsafe fn strides_of(v: &Py_buffer) -> Vec<Py_ssize_t> {
    // SAFETY: guaranteed by the caller.
    let shape = unsafe { shape_of(v) };
    if !v.strides.is_null() {
        // SAFETY: ndim entries.
        return unsafe { core::slice::from_raw_parts(v.strides, v.ndim as usize) }.to_vec();
    }
    contiguous_strides(&shape, v.itemsize, b'C')
}

/// The strides of a contiguous array of `shape` in order `C` or `F`.
pub fn contiguous_strides(shape: &[Py_ssize_t], itemsize: Py_ssize_t, order: u8) -> Vec<Py_ssize_t> {
    let mut strides = vec![0; shape.len()];
    let mut sd = itemsize;
    if order == b'F' {
        for (i, s) in shape.iter().enumerate() {
            strides[i] = sd;
            sd *= *s;
        }
    } else {
        for i in (0..shape.len()).rev() {
            strides[i] = sd;
            sd *= shape[i];
        }
    }
    strides
}

/// `PyBuffer_GetPointer`: the address of the item at `indices`, following suboffsets.
///
/// # Safety
/// `v` is a filled view and `indices` has `ndim` in-range entries.
pub unsafe fn item_pointer(v: &Py_buffer, indices: &[Py_ssize_t]) -> *mut u8 {
    // SAFETY: guaranteed by the caller.
    unsafe {
        let strides = strides_of(v);
        let mut p = v.buf as *mut u8;
        for (i, &ix) in indices.iter().enumerate() {
            p = p.offset(strides[i] * ix);
            if !v.suboffsets.is_null() && *v.suboffsets.add(i) >= 0 {
                p = (*(p as *mut *mut u8)).offset(*v.suboffsets.add(i));
            }
        }
        p
    }
}

/// Every item index of `shape`, in C order (last index fastest) or Fortran order.
pub fn for_each_index(shape: &[Py_ssize_t], order: u8, mut f: impl FnMut(&[Py_ssize_t])) {
    if shape.iter().any(|&s| s <= 0) {
        return;
    }
    let n = shape.len();
    let mut ix = vec![0 as Py_ssize_t; n];
    loop {
        f(&ix);
        // Advance like an odometer.
        let dims: Box<dyn Iterator<Item = usize>> = if order == b'F' { Box::new(0..n) } else { Box::new((0..n).rev()) };
        let mut done = true;
        for d in dims {
            ix[d] += 1;
            if ix[d] < shape[d] {
                done = false;
                break;
            }
            ix[d] = 0;
        }
        if done {
            return;
        }
    }
}

/// `PyBuffer_IsContiguous` for order `C`, `F` or `A` (either).
///
/// # Safety
/// `v` is a filled view.
pub unsafe fn is_contiguous(v: &Py_buffer, order: u8) -> bool {
    if !v.suboffsets.is_null() {
        // SAFETY: ndim entries.
        let subs = unsafe { core::slice::from_raw_parts(v.suboffsets, v.ndim as usize) };
        if subs.iter().any(|&s| s >= 0) {
            return false;
        }
    }
    if v.strides.is_null() {
        return true;
    }
    // SAFETY: guaranteed by the caller.
    let (shape, strides) = unsafe { (shape_of(v), strides_of(v)) };
    let check = |ord: u8| -> bool {
        if shape.contains(&0) {
            return true;
        }
        let want = contiguous_strides(&shape, v.itemsize, ord);
        shape.iter().zip(strides.iter().zip(want.iter())).all(|(&s, (&a, &b))| s == 1 || a == b)
    };
    match order {
        b'C' => check(b'C'),
        b'F' => check(b'F'),
        _ => check(b'C') || check(b'F'),
    }
}

/// The view's items copied out in `order` (`PyBuffer_ToContiguous` without the length check).
///
/// # Safety
/// `v` is a filled view.
pub unsafe fn to_contiguous(v: &Py_buffer, order: u8) -> Vec<u8> {
    // SAFETY: guaranteed by the caller.
    unsafe {
        // An empty exporter may hand out a NULL `buf` (an empty `array.array` does).
        if v.len <= 0 || v.buf.is_null() {
            return Vec::new();
        }
        if is_contiguous(v, order) {
            return core::slice::from_raw_parts(v.buf as *const u8, v.len as usize).to_vec();
        }
        let shape = shape_of(v);
        let n = v.itemsize as usize;
        let mut out = Vec::with_capacity(v.len.max(0) as usize);
        let ord = if order == b'F' { b'F' } else { b'C' };
        for_each_index(&shape, ord, |ix| {
            let p = item_pointer(v, ix);
            out.extend_from_slice(core::slice::from_raw_parts(p, n));
        });
        out
    }
}

/// Writes `data` into the view's items in `order` (`PyBuffer_FromContiguous`).
///
/// # Safety
/// `v` is a filled, writable view; `data` holds at most `v.len` bytes.
pub unsafe fn from_contiguous(v: &Py_buffer, data: &[u8], order: u8) {
    // SAFETY: guaranteed by the caller.
    unsafe {
        if data.is_empty() || v.buf.is_null() {
            return;
        }
        if is_contiguous(v, order) {
            core::ptr::copy_nonoverlapping(data.as_ptr(), v.buf as *mut u8, data.len());
            return;
        }
        let shape = shape_of(v);
        let n = v.itemsize as usize;
        let ord = if order == b'F' { b'F' } else { b'C' };
        let mut at = 0;
        for_each_index(&shape, ord, |ix| {
            if at + n <= data.len() {
                core::ptr::copy_nonoverlapping(data.as_ptr().add(at), item_pointer(v, ix), n);
                at += n;
            }
        });
    }
}

/// The size of one item of a `struct`-module format in native mode (`@`, `=`, `<`, `>`, `!`
/// prefixes, repeat counts); `None` for formats Pyrite does not know.
pub fn format_size(fmt: &str) -> Option<Py_ssize_t> {
    let b = fmt.as_bytes();
    let (native, mut i) = match b.first() {
        Some(b'@') => (true, 1),
        Some(b'=' | b'<' | b'>' | b'!') => (false, 1),
        _ => (true, 0),
    };
    let mut size: Py_ssize_t = 0;
    while i < b.len() {
        let mut count: Option<Py_ssize_t> = None;
        while i < b.len() && b[i].is_ascii_digit() {
            count = Some(count.unwrap_or(0) * 10 + (b[i] - b'0') as Py_ssize_t);
            i += 1;
        }
        let c = *b.get(i)?;
        i += 1;
        if c.is_ascii_whitespace() {
            continue;
        }
        let (sz, align) = match c {
            b'x' | b'c' | b'b' | b'B' | b'?' | b's' | b'p' => (1, 1),
            b'h' | b'H' | b'e' => (2, 2),
            b'i' | b'I' | b'f' => (4, 4),
            b'l' | b'L' => (if native { 8 } else { 4 }, if native { 8 } else { 4 }),
            b'q' | b'Q' | b'd' => (8, 8),
            b'n' | b'N' | b'P' if native => (8, 8),
            _ => return None,
        };
        if native && size % align != 0 {
            size += align - size % align;
        }
        let n = count.unwrap_or(1);
        size += if c == b's' || c == b'p' { n } else { sz * n };
    }
    Some(size)
}
