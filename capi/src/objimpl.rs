//! `objimpl.h`, the parts about finalization and GC objects: `PyObject_CallFinalizerFromDealloc`,
//! `PyObject_GC_IsFinalized`, `_PyObject_GC_Resize`. (`PyObject_GC_IsTracked` stays
//! unimplemented: Pyrite does not track objects until the cycle collector lands, so it could
//! not answer as CPython does.)

use core::ffi::c_int;
use core::ptr::null_mut;

use pyrite_abi::*;
use pyrite_vm::alloc;

use crate::boundary::obj;
use crate::capi;

capi! {
    /// Runs `tp_finalize` (once) on an object whose count reached 0, reviving it for the call.
    /// 0 when it stays dead; -1 if the finalizer resurrected it (the caller's dealloc stops).
    fn PyObject_CallFinalizerFromDealloc(o: *mut PyObject) -> c_int [-1] {
        obj(o)?;
        let saved = (*o).ob_refcnt;
        (*o).ob_refcnt = 1;
        alloc::call_finalizer(o);
        (*o).ob_refcnt -= 1;
        if (*o).ob_refcnt == 0 {
            (*o).ob_refcnt = saved;
            return Ok(0);
        }
        Ok(-1)
    }
    fn PyObject_GC_IsFinalized(o: *mut PyObject) -> c_int [0] {
        Ok(alloc::gc_is_finalized(obj(o)?.as_ptr()) as c_int)
    }
    /// Resizes a GC var object that is not tracked (pre-header included); sets `ob_size`.
    fn _PyObject_GC_Resize(op: *mut PyVarObject, n: Py_ssize_t) -> *mut PyVarObject [null_mut()] {
        let t = (*op).ob_base.ob_type;
        let size = alloc::var_size(t, n);
        let pre = alloc::GC_HEAD_SIZE;
        if size > isize::MAX as usize - pre {
            pyrite_vm::err::set_no_memory();
            return Ok(null_mut());
        }
        let op = alloc::gc_resize(op as *mut PyObject, size) as *mut PyVarObject;
        if op.is_null() {
            pyrite_vm::err::set_no_memory();
            return Ok(null_mut());
        }
        (*op).ob_size = n;
        Ok(op)
    }
}
