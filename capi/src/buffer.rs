//! `pybuffer.h`: the buffer protocol (`bf_getbuffer`/`bf_releasebuffer`) and `Py_buffer`
//! helpers. Contiguous one-dimensional buffers for now (bytes); memoryview and N-d layouts come
//! with the full C API.

use core::ffi::{c_char, c_int, c_void};
use core::ptr::null_mut;

use pyrite_abi::*;
use pyrite_vm::{raise, Obj};

use crate::boundary::obj;
use crate::capi;

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
