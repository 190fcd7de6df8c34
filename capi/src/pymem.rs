//! `pymem.h` / `objimpl.h`: the C heap behind `PyMem_*` and `PyObject_Malloc`, object
//! allocation helpers and the GC entry points (tracking is a no-op until the collector lands;
//! the pre-header is already reserved).

use core::ffi::c_void;
use core::ptr::null_mut;

use pyrite_abi::*;
use pyrite_vm::alloc;

use crate::capi;

capi! {
    fn PyMem_Malloc(n: usize) -> *mut c_void [null_mut()] { Ok(if n > isize::MAX as usize { null_mut() } else { alloc::raw_malloc(n) }) }
    fn PyMem_Calloc(n: usize, size: usize) -> *mut c_void [null_mut()] { Ok(alloc::raw_calloc(n, size)) }
    fn PyMem_Realloc(p: *mut c_void, n: usize) -> *mut c_void [null_mut()] { Ok(alloc::raw_realloc(p, n)) }
    fn PyMem_Free(p: *mut c_void) -> () [()] { alloc::raw_free(p); Ok(()) }
    fn PyMem_RawMalloc(n: usize) -> *mut c_void [null_mut()] { Ok(alloc::raw_malloc(n)) }
    fn PyMem_RawCalloc(n: usize, size: usize) -> *mut c_void [null_mut()] { Ok(alloc::raw_calloc(n, size)) }
    fn PyMem_RawRealloc(p: *mut c_void, n: usize) -> *mut c_void [null_mut()] { Ok(alloc::raw_realloc(p, n)) }
    fn PyMem_RawFree(p: *mut c_void) -> () [()] { alloc::raw_free(p); Ok(()) }
    fn PyObject_Malloc(n: usize) -> *mut c_void [null_mut()] { Ok(alloc::raw_malloc(n)) }
    fn PyObject_Calloc(n: usize, size: usize) -> *mut c_void [null_mut()] { Ok(alloc::raw_calloc(n, size)) }
    fn PyObject_Realloc(p: *mut c_void, n: usize) -> *mut c_void [null_mut()] { Ok(alloc::raw_realloc(p, n)) }
    fn PyObject_Free(p: *mut c_void) -> () [()] { alloc::raw_free(p); Ok(()) }
    fn _PyObject_New(t: *mut PyTypeObject) -> *mut PyObject [null_mut()] {
        let op = alloc::alloc_object(t, alloc::var_size(t, 0), false);
        if op.is_null() { pyrite_vm::err::set_no_memory(); }
        Ok(op)
    }
    fn _PyObject_NewVar(t: *mut PyTypeObject, n: Py_ssize_t) -> *mut PyVarObject [null_mut()] {
        let op = alloc::alloc_object(t, alloc::var_size(t, n), false) as *mut PyVarObject;
        if op.is_null() { pyrite_vm::err::set_no_memory(); return Ok(op); }
        (*op).ob_size = n;
        Ok(op)
    }
    /// Untracked until `PyObject_GC_Track`, as in CPython.
    fn _PyObject_GC_New(t: *mut PyTypeObject) -> *mut PyObject [null_mut()] {
        let op = alloc::alloc_object(t, alloc::var_size(t, 0), true);
        if op.is_null() { pyrite_vm::err::set_no_memory(); return Ok(op); }
        alloc::gc_set_tracked(op, false);
        Ok(op)
    }
    fn _PyObject_GC_NewVar(t: *mut PyTypeObject, n: Py_ssize_t) -> *mut PyVarObject [null_mut()] {
        let op = alloc::alloc_object(t, alloc::var_size(t, n), true) as *mut PyVarObject;
        if op.is_null() { pyrite_vm::err::set_no_memory(); return Ok(op); }
        (*op).ob_size = n;
        alloc::gc_set_tracked(op as *mut PyObject, false);
        Ok(op)
    }
    fn PyObject_GC_Del(p: *mut c_void) -> () [()] { alloc::free_object_mem(p, true); Ok(()) }
    /// No collector walks the tracked objects yet; tracking is recorded for `PyObject_GC_IsTracked`.
    fn PyObject_GC_Track(p: *mut c_void) -> () [()] { alloc::gc_set_tracked(p as *mut PyObject, true); Ok(()) }
    fn PyObject_GC_UnTrack(p: *mut c_void) -> () [()] { alloc::gc_set_tracked(p as *mut PyObject, false); Ok(()) }
    fn PyObject_GC_IsTracked(o: *mut PyObject) -> core::ffi::c_int [0] { Ok(alloc::gc_is_tracked(o) as core::ffi::c_int) }
}
