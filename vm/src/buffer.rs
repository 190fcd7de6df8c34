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
