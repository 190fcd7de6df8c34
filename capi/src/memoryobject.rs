//! `memoryobject.h`: memoryviews from objects, raw memory and buffer descriptions.

use core::ffi::{c_char, c_int};
use core::ptr::null_mut;

use pyrite_abi::*;
use pyrite_vm::objects::memoryview;
use pyrite_vm::PyRef;

use crate::boundary::{bad_internal_call, obj};
use crate::capi;

capi! {
    fn PyMemoryView_FromObject(o: *mut PyObject) -> *mut PyObject [null_mut()] {
        memoryview::from_object(obj(o)?).map(PyRef::into_raw)
    }
    /// A view of `size` bytes at `mem`, `PyBUF_READ` (read-only) or `PyBUF_WRITE`.
    fn PyMemoryView_FromMemory(mem: *mut c_char, size: Py_ssize_t, flags: c_int) -> *mut PyObject [null_mut()] {
        memoryview::from_memory(mem, size, flags).map(PyRef::into_raw)
    }
    /// A view described by `info` (copied; `info->obj` is not kept, the memory must outlive
    /// the view).
    fn PyMemoryView_FromBuffer(info: *const Py_buffer) -> *mut PyObject [null_mut()] {
        if info.is_null() { return Err(bad_internal_call()); }
        memoryview::from_buffer(&*info).map(PyRef::into_raw)
    }
    fn PyMemoryView_GetContiguous(o: *mut PyObject, buffertype: c_int, order: c_char) -> *mut PyObject [null_mut()] {
        memoryview::get_contiguous(obj(o)?, buffertype, order as u8).map(PyRef::into_raw)
    }
}
