//! `pybuffer.h`: the buffer protocol (`bf_getbuffer`/`bf_releasebuffer`) and `Py_buffer`
//! helpers. Contiguous one-dimensional buffers for now (bytes); memoryview and N-d layouts come
//! with the full C API.

use core::ffi::{c_char, c_int, c_void};
use core::ptr::null_mut;

use pyrite_abi::*;
use pyrite_vm::{raise, Obj};

use crate::boundary::obj;
use crate::capi;

/// The bytes of `o`'s buffer asked for as `PyBUF_SIMPLE` (one C-contiguous block), or None
/// when `o` has no buffer or cannot give that one (a strided memoryview); the error is
/// cleared, callers raise their own (`can't concat ...`).
pub(crate) fn simple_buffer_bytes(o: &Obj) -> Option<Vec<u8>> {
    let mut view = core::mem::MaybeUninit::<Py_buffer>::zeroed();
    // SAFETY: a live object and a zeroed view, released below when filled.
    unsafe {
        if PyObject_GetBuffer(o.as_ptr(), view.as_mut_ptr(), PyBUF_SIMPLE) != 0 {
            drop(pyrite_vm::PyErr::take());
            return None;
        }
        let v = view.assume_init_mut();
        let data = if v.buf.is_null() || v.len <= 0 { Vec::new() } else { core::slice::from_raw_parts(v.buf as *const u8, v.len as usize).to_vec() };
        PyBuffer_Release(v);
        Some(data)
    }
}

capi! {
    fn PyObject_CheckBuffer(o: *mut PyObject) -> c_int [0] {
        let o = obj(o)?;
        Ok(o.ob_type().slots().tp_as_buffer.as_ref().is_some_and(|b| b.bf_getbuffer.is_some()) as c_int)
    }
    fn PyObject_GetBuffer(o: *mut PyObject, view: *mut Py_buffer, flags: c_int) -> c_int [-1] {
        let ob = obj(o)?;
        match ob.ob_type().slots().tp_as_buffer.as_ref().and_then(|b| b.bf_getbuffer) {
            Some(f) => pyrite_vm::slot::from_status(f(o, view, flags)),
            None => Err(raise!(TypeError, "a bytes-like object is required, not '{}'", ob.ob_type().name())),
        }
    }
    fn PyBuffer_Release(view: *mut Py_buffer) -> () [()] {
        let o = (*view).obj;
        if o.is_null() { return Ok(()); }
        let ob = Obj::from_ptr(o);
        if let Some(f) = ob.ob_type().slots().tp_as_buffer.as_ref().and_then(|b| b.bf_releasebuffer) {
            f(o, view);
        }
        (*view).obj = null_mut();
        pyrite_vm::object::decref(o);
        Ok(())
    }
    fn PyBuffer_FillInfo(view: *mut Py_buffer, o: *mut PyObject, buf: *mut c_void, len: Py_ssize_t, readonly: c_int, flags: c_int) -> c_int [-1] {
        pyrite_vm::buffer::fill_info(view, pyrite_vm::slot::opt_arg(o), buf, len, readonly != 0, flags).map(|_| 0)
    }
    fn PyBuffer_IsContiguous(view: *const Py_buffer, order: c_char) -> c_int [0] {
        let v = &*view;
        if !v.suboffsets.is_null() { return Ok(0); }
        if v.strides.is_null() { return Ok(1); }
        // One-dimensional with unit stride is contiguous in every order.
        let order = order as u8;
        if v.ndim <= 1 {
            return Ok((v.ndim == 0 || *v.strides == v.itemsize || *v.shape <= 1) as c_int);
        }
        let (mut sd, ndim) = (v.itemsize, v.ndim as usize);
        let shape = core::slice::from_raw_parts(v.shape, ndim);
        let strides = core::slice::from_raw_parts(v.strides, ndim);
        let c = (0..ndim).rev().all(|i| { let ok = shape[i] == 1 || strides[i] == sd; sd *= shape[i]; ok });
        sd = v.itemsize;
        let f = (0..ndim).all(|i| { let ok = shape[i] == 1 || strides[i] == sd; sd *= shape[i]; ok });
        Ok(match order { b'C' => c, b'F' => f, _ => c || f } as c_int)
    }
}

capi! {
    /// The address of the item at `indices` (one per dimension), following suboffsets.
    fn PyBuffer_GetPointer(view: *const Py_buffer, indices: *const Py_ssize_t) -> *mut c_void [null_mut()] {
        let v = &*view;
        let ix = if v.ndim == 0 { &[][..] } else { core::slice::from_raw_parts(indices, v.ndim as usize) };
        Ok(pyrite_vm::buffer::item_pointer(v, ix) as *mut c_void)
    }
    /// Strides of a contiguous array: Fortran order for `'F'`, C order otherwise.
    fn PyBuffer_FillContiguousStrides(ndim: c_int, shape: *mut Py_ssize_t, strides: *mut Py_ssize_t, itemsize: c_int, order: c_char) -> () [()] {
        if ndim <= 0 { return Ok(()); }
        let sh = core::slice::from_raw_parts(shape, ndim as usize);
        let st = pyrite_vm::buffer::contiguous_strides(sh, itemsize as Py_ssize_t, if order as u8 == b'F' { b'F' } else { b'C' });
        core::ptr::copy_nonoverlapping(st.as_ptr(), strides, ndim as usize);
        Ok(())
    }
    /// The item size of a `struct` format (CPython asks the `struct` module; Pyrite knows the
    /// native codes itself).
    fn PyBuffer_SizeFromFormat(format: *const c_char) -> Py_ssize_t [-1] {
        let f = crate::boundary::cstr(format)?;
        pyrite_vm::buffer::format_size(f).ok_or_else(|| raise!(ValueError, "bad char in struct format"))
    }
    /// Copies `len` (exactly the view's length) bytes of the view's items into `buf` in `order`.
    fn PyBuffer_ToContiguous(buf: *mut c_void, src: *const Py_buffer, len: Py_ssize_t, order: c_char) -> c_int [-1] {
        let v = &*src;
        if len != v.len {
            return Err(raise!(ValueError, "PyBuffer_ToContiguous: len != view->len"));
        }
        let data = pyrite_vm::buffer::to_contiguous(v, order as u8);
        core::ptr::copy_nonoverlapping(data.as_ptr(), buf as *mut u8, data.len().min(len as usize));
        Ok(0)
    }
    /// Fills the view's items from `len` contiguous bytes at `buf` (at most the view's length).
    fn PyBuffer_FromContiguous(view: *const Py_buffer, buf: *const c_void, len: Py_ssize_t, order: c_char) -> c_int [-1] {
        let v = &*view;
        let n = len.min(v.len).max(0) as usize;
        if n == 0 || buf.is_null() { return Ok(0); }
        let data = core::slice::from_raw_parts(buf as *const u8, n);
        pyrite_vm::buffer::from_contiguous(v, data, if order as u8 == b'F' { b'F' } else { order as u8 });
        Ok(0)
    }
    /// Copies the items of `src` into `dest` (both buffers, `dest` writable and large enough).
    fn PyObject_CopyData(dest: *mut PyObject, src: *mut PyObject) -> c_int [-1] {
        let (d, s) = (obj(dest)?, obj(src)?);
        let has = |o: &Obj| o.ob_type().slots().tp_as_buffer.as_ref().is_some_and(|b| b.bf_getbuffer.is_some());
        if !has(d) || !has(s) {
            return Err(raise!(TypeError, "both destination and source must be bytes-like objects"));
        }
        let mut dv = core::mem::MaybeUninit::<Py_buffer>::zeroed();
        let mut sv = core::mem::MaybeUninit::<Py_buffer>::zeroed();
        if PyObject_GetBuffer(dest, dv.as_mut_ptr(), PyBUF_FULL) != 0 { return Err(pyrite_vm::PyErr::fetch()); }
        if PyObject_GetBuffer(src, sv.as_mut_ptr(), PyBUF_FULL_RO) != 0 {
            PyBuffer_Release(dv.as_mut_ptr());
            return Err(pyrite_vm::PyErr::fetch());
        }
        let (dvr, svr) = (dv.assume_init_mut(), sv.assume_init_mut());
        let r = if dvr.len < svr.len {
            Err(raise!(BufferError, "destination is too small to receive data from source"))
        } else {
            let data = pyrite_vm::buffer::to_contiguous(svr, b'C');
            pyrite_vm::buffer::from_contiguous(dvr, &data, b'C');
            Ok(0)
        };
        PyBuffer_Release(dvr);
        PyBuffer_Release(svr);
        r
    }
}
