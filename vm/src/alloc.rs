//! Object memory: the raw allocator (`PyMem_*`/`PyObject_Malloc` are the C heap), the GC
//! pre-header placed before objects of `Py_TPFLAGS_HAVE_GC` types, and the generic
//! `tp_alloc`/`tp_free` slots.
//!
//! Layout of a GC object: `[PyGC_Head (16 bytes)][PyObject ...]`. Extensions only ever see the
//! object pointer and reach the pre-header through `PyObject_GC_*`; `tp_free` of GC types is
//! `PyObject_GC_Del`, which steps back over it.

use core::ffi::c_void;
use core::mem::size_of;

use pyrite_abi::{PyGC_Head, PyObject, PyTypeObject, PyVarObject, Py_TPFLAGS_HAVE_GC, Py_ssize_t};

use crate::object::init_header;

unsafe extern "C" {
    fn malloc(size: usize) -> *mut c_void;
    fn calloc(n: usize, size: usize) -> *mut c_void;
    fn realloc(p: *mut c_void, size: usize) -> *mut c_void;
    fn free(p: *mut c_void);
}

/// `PyMem_Malloc`/`PyObject_Malloc`: like CPython, a request of 0 bytes returns a unique
/// non-NULL pointer.
pub fn raw_malloc(size: usize) -> *mut c_void {
    // SAFETY: plain C heap allocation.
    unsafe { malloc(size.max(1)) }
}

pub fn raw_calloc(n: usize, size: usize) -> *mut c_void {
    // SAFETY: plain C heap allocation.
    unsafe { calloc(n.max(1), size.max(1)) }
}

/// # Safety
/// `p` is NULL or came from this allocator.
pub unsafe fn raw_realloc(p: *mut c_void, size: usize) -> *mut c_void {
    // SAFETY: guaranteed by the caller.
    unsafe { realloc(p, size.max(1)) }
}

/// # Safety
/// `p` is NULL or came from this allocator and is not used again.
pub unsafe fn raw_free(p: *mut c_void) {
    // SAFETY: guaranteed by the caller.
    unsafe { free(p) }
}

pub const GC_HEAD_SIZE: usize = size_of::<PyGC_Head>();

/// Bytes an instance of `ty` with `nitems` items needs (`_PyObject_VAR_SIZE`), rounded up to
/// pointer alignment.
///
/// # Safety
/// `ty` is a live type object.
pub unsafe fn var_size(ty: *mut PyTypeObject, nitems: Py_ssize_t) -> usize {
    // SAFETY: live type.
    let (basic, item) = unsafe { ((*ty).tp_basicsize as usize, (*ty).tp_itemsize as usize) };
    let n = basic + item * nitems.max(0) as usize;
    (n + 7) & !7
}

/// Allocates zeroed memory for an object of `size` bytes, with a GC pre-header if `gc`, and
/// initialises its header (count 1, type). Returns NULL when out of memory (no exception set).
///
/// # Safety
/// `ty` is a live type object and `size >= size_of::<PyObject>()`.
pub unsafe fn alloc_object(ty: *mut PyTypeObject, size: usize, gc: bool) -> *mut PyObject {
    let pre = if gc { GC_HEAD_SIZE } else { 0 };
    let mem = raw_calloc(1, pre + size) as *mut u8;
    if mem.is_null() {
        return core::ptr::null_mut();
    }
    // SAFETY: mem has pre + size bytes.
    unsafe {
        let op = mem.add(pre) as *mut PyObject;
        init_header(op, ty);
        op
    }
}

/// Frees an object's memory, stepping over the GC pre-header if its type has one.
///
/// # Safety
/// `op` came from [`alloc_object`] (or `PyObject_Malloc` for non-GC types) and is dead.
pub unsafe fn free_object(op: *mut PyObject) {
    // SAFETY: guaranteed by the caller.
    unsafe {
        let gc = (*(*op).ob_type).tp_flags & Py_TPFLAGS_HAVE_GC != 0;
        free_object_mem(op as *mut c_void, gc)
    }
}

/// # Safety
/// As [`free_object`], with `gc` saying whether a pre-header precedes `op`.
pub unsafe fn free_object_mem(op: *mut c_void, gc: bool) {
    // SAFETY: guaranteed by the caller.
    unsafe {
        let mem = if gc { (op as *mut u8).sub(GC_HEAD_SIZE) } else { op as *mut u8 };
        raw_free(mem as *mut c_void)
    }
}

/// `PyType_GenericAlloc`: zeroed memory for `nitems` items, `ob_size` set for var objects.
///
/// # Safety
/// `ty` is a live type object.
pub unsafe extern "C" fn generic_alloc(ty: *mut PyTypeObject, nitems: Py_ssize_t) -> *mut PyObject {
    // SAFETY: live type.
    unsafe {
        // One extra item, as CPython allocates, so that NUL-terminated var objects fit.
        let size = var_size(ty, nitems + 1);
        let gc = (*ty).tp_flags & Py_TPFLAGS_HAVE_GC != 0;
        let op = alloc_object(ty, size, gc);
        if op.is_null() {
            crate::err::set_no_memory();
            return op;
        }
        if (*ty).tp_itemsize != 0 {
            (*(op as *mut PyVarObject)).ob_size = nitems;
        }
        op
    }
}

/// `PyObject_Free` as a `tp_free` slot for non-GC types.
///
/// # Safety
/// `op` came from `PyObject_Malloc`/[`alloc_object`] without a pre-header.
pub unsafe extern "C" fn object_free(op: *mut c_void) {
    // SAFETY: guaranteed by the caller.
    unsafe { raw_free(op) }
}

/// `PyObject_GC_Del` as a `tp_free` slot for GC types.
///
/// # Safety
/// `op` came from [`alloc_object`] with a pre-header.
pub unsafe extern "C" fn gc_del(op: *mut c_void) {
    // SAFETY: guaranteed by the caller.
    unsafe { free_object_mem(op, true) }
}

/// A free list of dead objects of one exact built-in type and size (ints of up to two digits,
/// floats), as CPython keeps: reusing the memory skips `calloc`/`free` on the hottest
/// allocations. Entries are chained through their first word. Touched only under the GIL.
pub struct FreeList {
    head: core::cell::Cell<*mut *mut c_void>,
    len: core::cell::Cell<usize>,
    limit: usize,
}

// SAFETY: used only by code holding the GIL.
unsafe impl Sync for FreeList {}

impl FreeList {
    pub const fn new(limit: usize) -> FreeList {
        FreeList { head: core::cell::Cell::new(core::ptr::null_mut()), len: core::cell::Cell::new(0), limit }
    }

    /// Memory for one object (uninitialised but for what the previous object left), or NULL.
    #[inline(always)]
    pub fn pop(&self) -> *mut PyObject {
        let h = self.head.get();
        if !h.is_null() {
            // SAFETY: entries hold the next entry in their first word.
            self.head.set(unsafe { *h } as *mut *mut c_void);
            self.len.set(self.len.get() - 1);
        }
        h as *mut PyObject
    }

    /// Keeps a dead object's memory for reuse; false if the list is full (free it instead).
    ///
    /// # Safety
    /// `op` is dead, came from `alloc_object` without a GC pre-header, and has the size
    /// every entry of this list has.
    #[inline(always)]
    pub unsafe fn push(&self, op: *mut PyObject) -> bool {
        if self.len.get() >= self.limit {
            return false;
        }
        let p = op as *mut *mut c_void;
        // SAFETY: the memory is ours now.
        unsafe { *p = self.head.get() as *mut c_void };
        self.head.set(p);
        self.len.set(self.len.get() + 1);
        true
    }
}

/// CPython's `_PyGC_PREV_MASK_FINALIZED`: bit 0 of `_gc_prev` says `tp_finalize` ran.
const GC_FINALIZED: usize = 1;

/// The GC pre-header of `op`, if its type has one.
///
/// # Safety
/// `op` is a live object.
unsafe fn gc_head(op: *mut PyObject) -> Option<*mut PyGC_Head> {
    // SAFETY: guaranteed by the caller; GC objects are allocated after a pre-header.
    unsafe {
        if (*(*op).ob_type).tp_flags & Py_TPFLAGS_HAVE_GC == 0 {
            return None;
        }
        Some((op as *mut u8).sub(GC_HEAD_SIZE) as *mut PyGC_Head)
    }
}

/// Bit 1 of `_gc_prev`: the object is not tracked. Objects of GC types are tracked from
/// birth (zeroed header) — as CPython tracks the containers it makes — except those made by
/// `PyObject_GC_New`/`NewVar`, which wait for `PyObject_GC_Track`. Pyrite has no collector
/// yet; the bit answers `PyObject_GC_IsTracked` and `gc.is_tracked`.
const GC_UNTRACKED: usize = 2;

/// `PyObject_GC_Track` (`true`) / `PyObject_GC_UnTrack` (`false`).
///
/// # Safety
/// `op` is a live object.
pub unsafe fn gc_set_tracked(op: *mut PyObject, tracked: bool) {
    // SAFETY: guaranteed by the caller.
    unsafe {
        if let Some(h) = gc_head(op) {
            if tracked {
                (*h).gc_prev &= !GC_UNTRACKED;
            } else {
                (*h).gc_prev |= GC_UNTRACKED;
            }
        }
    }
}

/// `PyObject_GC_IsTracked`: an object of a GC type that is not untracked.
///
/// # Safety
/// `op` is a live object.
pub unsafe fn gc_is_tracked(op: *mut PyObject) -> bool {
    // SAFETY: guaranteed by the caller.
    unsafe { gc_head(op).is_some_and(|h| (*h).gc_prev & GC_UNTRACKED == 0) }
}

/// `_PyGC_FINALIZED`: whether `tp_finalize` already ran on `op` (GC objects only).
///
/// # Safety
/// `op` is a live object.
pub unsafe fn gc_is_finalized(op: *mut PyObject) -> bool {
    // SAFETY: guaranteed by the caller.
    unsafe { gc_head(op).is_some_and(|h| (*h).gc_prev & GC_FINALIZED != 0) }
}

/// `PyObject_CallFinalizer`: runs `tp_finalize` once per object (GC objects remember it).
///
/// # Safety
/// `op` is a live object.
pub unsafe fn call_finalizer(op: *mut PyObject) {
    // SAFETY: guaranteed by the caller.
    unsafe {
        let Some(fin) = (*(*op).ob_type).tp_finalize else { return };
        if gc_is_finalized(op) {
            return;
        }
        fin(op);
        if let Some(h) = gc_head(op) {
            (*h).gc_prev |= GC_FINALIZED;
        }
    }
}
