//! Object memory: the raw allocator (`PyMem_*`/`PyObject_Malloc` are the C heap), the GC
//! pre-header placed before objects of `Py_TPFLAGS_HAVE_GC` types, and the generic
//! `tp_alloc`/`tp_free` slots.
//!
//! Layout of a GC object: `[PyGC_Head (16 bytes)][PyObject ...]`. Extensions only ever see the
//! object pointer and reach the pre-header through `PyObject_GC_*`; `tp_free` of GC types is
//! `PyObject_GC_Del`, which steps back over it.
//!
//! Every object allocated with a pre-header is on one of two lists, from allocation to free:
//! circular doubly linked lists through `gc_next` and `gc_prev` (whose low three bits are
//! flags: finalized, untracked, frozen) — the young generation, where allocation links it, and
//! the old one, where it goes when it survives a collection. The cycle collector (`crate::gc`)
//! walks them; whether an object
//! takes part in a collection is the *tracked* flag, not list membership, so `PyObject_GC_Track`
//! and `UnTrack` are bit flips. All of this is touched only with the GIL held.

use core::ffi::c_void;
use core::mem::size_of;

use pyrite_abi::{PyGC_Head, PyObject, PyTypeObject, PyVarObject, Py_TPFLAGS_HAVE_GC, Py_ssize_t};

use crate::object::init_header;

use libmimalloc_sys::{mi_free, mi_malloc, mi_realloc, mi_zalloc};

// The C heap of `PyMem_*`/`PyObject_*` (and of Rust's own allocations, see
// `GLOBAL_ALLOCATOR`) is mimalloc: thread-safe like the C library's, and much faster on the
// small blocks objects are made of (CPython uses its own pymalloc, and mimalloc in its
// free-threaded build, for the same reason). Memory from these functions must be freed by
// them, never by the C library's `free` — as in CPython, where only `PyMem_RawMalloc` is
// `malloc`.

/// `PyMem_Malloc`/`PyObject_Malloc`: like CPython, a request of 0 bytes returns a unique
/// non-NULL pointer.
pub fn raw_malloc(size: usize) -> *mut c_void {
    // SAFETY: plain heap allocation.
    unsafe { mi_malloc(size.max(1)) }
}

pub fn raw_calloc(n: usize, size: usize) -> *mut c_void {
    let Some(bytes) = n.checked_mul(size) else { return core::ptr::null_mut() };
    // SAFETY: plain heap allocation.
    unsafe { mi_zalloc(bytes.max(1)) }
}

/// # Safety
/// `p` is NULL or came from this allocator.
pub unsafe fn raw_realloc(p: *mut c_void, size: usize) -> *mut c_void {
    // SAFETY: guaranteed by the caller.
    unsafe { mi_realloc(p, size.max(1)) }
}

/// # Safety
/// `p` is NULL or came from this allocator and is not used again.
pub unsafe fn raw_free(p: *mut c_void) {
    // SAFETY: guaranteed by the caller.
    unsafe { mi_free(p) }
}

/// Rust's allocations (frames' vectors, compiler data, strings) share the same heap.
#[global_allocator]
static GLOBAL_ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
    let mem = raw_malloc(pre + size) as *mut u8;
    if mem.is_null() {
        return core::ptr::null_mut();
    }
    // SAFETY: mem has pre + size bytes; a GC object's header starts it.
    unsafe {
        // Zeroed here rather than by `mi_zalloc`, whose `rep stosb` is slow on the small
        // blocks objects are (~14% of a tuple-heavy loop).
        core::ptr::write_bytes(mem, 0, pre + size);
        if gc {
            gc_link(mem as *mut PyGC_Head);
        }
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
        if gc {
            gc_unlink(mem as *mut PyGC_Head);
        }
        raw_free(mem as *mut c_void)
    }
}

/// Resizes a GC object's memory (`_PyObject_GC_Resize`), keeping it on the list.
///
/// # Safety
/// `op` came from [`alloc_object`] with a pre-header; `size` covers the object.
pub unsafe fn gc_resize(op: *mut PyObject, size: usize) -> *mut PyObject {
    // SAFETY: guaranteed by the caller; the header moves with the block, so it is unlinked
    // first and linked again at its new address.
    unsafe {
        let head = (op as *mut u8).sub(GC_HEAD_SIZE) as *mut PyGC_Head;
        let flags = (*head).gc_prev & GC_FLAGS;
        gc_unlink(head);
        let mem = raw_realloc(head as *mut c_void, GC_HEAD_SIZE + size) as *mut PyGC_Head;
        if mem.is_null() {
            gc_link(head);
            (*head).gc_prev |= flags;
            return core::ptr::null_mut();
        }
        gc_link(mem);
        (*mem).gc_prev |= flags;
        (mem as *mut u8).add(GC_HEAD_SIZE) as *mut PyObject
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

/// Bit 2 of `_gc_prev`: `gc.freeze()` moved the object out of the collector's sight.
const GC_FROZEN: usize = 4;

/// The flag bits of `_gc_prev` (headers are 16-byte aligned, so a pointer leaves them free).
const GC_FLAGS: usize = 7;

/// A list's sentinel header.
struct GcList(core::cell::UnsafeCell<PyGC_Head>);

// SAFETY: touched only with the GIL held.
unsafe impl Sync for GcList {}

/// The two generations: objects allocated since the last collection (young), and those that
/// survived one (old). A collection of the young list promotes its survivors by splicing the
/// list onto the old one's tail, so allocation order is kept across both.
static YOUNG_GC: GcList = GcList(core::cell::UnsafeCell::new(PyGC_Head { gc_next: 0, gc_prev: 0 }));
static OLD_GC: GcList = GcList(core::cell::UnsafeCell::new(PyGC_Head { gc_next: 0, gc_prev: 0 }));

/// Objects on the lists, and objects allocated minus freed since the last collection (the
/// first number of `gc.get_count()`); plain load/store under the GIL.
static GC_LIVE: core::sync::atomic::AtomicUsize = core::sync::atomic::AtomicUsize::new(0);
static GC_YOUNG: core::sync::atomic::AtomicIsize = core::sync::atomic::AtomicIsize::new(0);

/// Which list: the young generation or the old one.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Generation {
    Young,
    Old,
}

fn gc_list(generation: Generation) -> *mut PyGC_Head {
    let h = match generation {
        Generation::Young => YOUNG_GC.0.get(),
        Generation::Old => OLD_GC.0.get(),
    };
    // SAFETY: the sentinel is static; first use makes the empty circle.
    unsafe {
        if (*h).gc_next == 0 {
            (*h).gc_next = h as usize;
            (*h).gc_prev = h as usize;
        }
    }
    h
}

/// # Safety
/// `g` is the header of a fresh (zeroed) or just-unlinked block; the GIL is held.
unsafe fn gc_link(g: *mut PyGC_Head) {
    use core::sync::atomic::Ordering::Relaxed;
    let h = gc_list(Generation::Young);
    // SAFETY: guaranteed by the caller; list members are live headers.
    unsafe {
        let last = ((*h).gc_prev & !GC_FLAGS) as *mut PyGC_Head;
        (*g).gc_next = h as usize;
        (*g).gc_prev = last as usize | ((*g).gc_prev & GC_FLAGS);
        (*last).gc_next = g as usize;
        (*h).gc_prev = g as usize;
    }
    GC_LIVE.store(GC_LIVE.load(Relaxed) + 1, Relaxed);
    let young = GC_YOUNG.load(Relaxed) + 1;
    GC_YOUNG.store(young, Relaxed);
    crate::gc::note_allocations(young);
}

/// # Safety
/// `g` is on a list; the GIL is held.
unsafe fn gc_unlink(g: *mut PyGC_Head) {
    use core::sync::atomic::Ordering::Relaxed;
    // SAFETY: guaranteed by the caller.
    unsafe {
        let prev = ((*g).gc_prev & !GC_FLAGS) as *mut PyGC_Head;
        let next = (*g).gc_next as *mut PyGC_Head;
        (*prev).gc_next = next as usize;
        (*next).gc_prev = prev as usize | ((*next).gc_prev & GC_FLAGS);
        (*g).gc_next = 0;
        (*g).gc_prev &= GC_FLAGS;
    }
    GC_LIVE.store(GC_LIVE.load(Relaxed).saturating_sub(1), Relaxed);
    GC_YOUNG.store(GC_YOUNG.load(Relaxed) - 1, Relaxed);
}

/// Moves every object of the young list to the end of the old one.
///
/// # Safety
/// The GIL is held.
pub unsafe fn gc_promote_young() {
    let (young, old) = (gc_list(Generation::Young), gc_list(Generation::Old));
    // SAFETY: both lists are well-formed circles of live headers; the sentinels' own
    // `gc_prev` carry no flags.
    unsafe {
        let first = (*young).gc_next as *mut PyGC_Head;
        if first == young {
            return;
        }
        let last = ((*young).gc_prev & !GC_FLAGS) as *mut PyGC_Head;
        let old_last = ((*old).gc_prev & !GC_FLAGS) as *mut PyGC_Head;
        (*old_last).gc_next = first as usize;
        (*first).gc_prev = old_last as usize | ((*first).gc_prev & GC_FLAGS);
        (*last).gc_next = old as usize;
        (*old).gc_prev = last as usize;
        (*young).gc_next = young as usize;
        (*young).gc_prev = young as usize;
    }
}

/// How many objects are on the lists, and the allocations minus frees since the last
/// collection (never below 0).
pub fn gc_counts() -> (usize, usize) {
    use core::sync::atomic::Ordering::Relaxed;
    (GC_LIVE.load(Relaxed), GC_YOUNG.load(Relaxed).max(0) as usize)
}

/// Starts a new count of allocations (after a collection).
pub fn gc_reset_young() {
    GC_YOUNG.store(0, core::sync::atomic::Ordering::Relaxed);
}

/// Calls `f` with every header of the given lists, in order. `f` must not allocate or free
/// GC objects.
///
/// # Safety
/// The GIL is held.
unsafe fn gc_for_each_head(gens: &[Generation], mut f: impl FnMut(*mut PyGC_Head)) {
    for &generation in gens {
        let h = gc_list(generation);
        // SAFETY: list members are live headers of live objects.
        unsafe {
            let mut g = (*h).gc_next as *mut PyGC_Head;
            while g != h {
                f(g);
                g = (*g).gc_next as *mut PyGC_Head;
            }
        }
    }
}

/// Both generations, old first: allocation order.
const ALL_GENERATIONS: &[Generation] = &[Generation::Old, Generation::Young];

/// Calls `f` with every object on the lists that is tracked and not frozen, in allocation
/// order. `f` must not allocate or free GC objects (it gets the lists as they are).
///
/// # Safety
/// The GIL is held.
pub unsafe fn gc_for_each_tracked(f: impl FnMut(*mut PyObject)) {
    // SAFETY: guaranteed by the caller.
    unsafe { gc_for_each_tracked_in(ALL_GENERATIONS, f) }
}

/// As [`gc_for_each_tracked`], for the objects of the given generations only.
///
/// # Safety
/// The GIL is held.
pub unsafe fn gc_for_each_tracked_in(gens: &[Generation], mut f: impl FnMut(*mut PyObject)) {
    // SAFETY: guaranteed by the caller; list members are live headers of live objects.
    unsafe {
        gc_for_each_head(gens, |g| {
            if (*g).gc_prev & (GC_UNTRACKED | GC_FROZEN) == 0 {
                f((g as *mut u8).add(GC_HEAD_SIZE) as *mut PyObject);
            }
        })
    }
}

/// `gc.freeze()` (`true`): every tracked object becomes frozen; `gc.unfreeze()` (`false`):
/// every frozen object comes back. Returns how many objects changed.
///
/// # Safety
/// The GIL is held.
pub unsafe fn gc_set_frozen_all(freeze: bool) -> usize {
    let mut n = 0;
    // SAFETY: guaranteed by the caller; list members are live headers.
    unsafe {
        gc_for_each_head(ALL_GENERATIONS, |g| {
            let frozen = (*g).gc_prev & GC_FROZEN != 0;
            if freeze && !frozen && (*g).gc_prev & GC_UNTRACKED == 0 {
                (*g).gc_prev |= GC_FROZEN;
                n += 1;
            } else if !freeze && frozen {
                (*g).gc_prev &= !GC_FROZEN;
                n += 1;
            }
        })
    };
    n
}

/// How many objects `gc.freeze()` set aside.
///
/// # Safety
/// The GIL is held.
pub unsafe fn gc_frozen_count() -> usize {
    let mut n = 0;
    // SAFETY: guaranteed by the caller; list members are live headers.
    unsafe { gc_for_each_head(ALL_GENERATIONS, |g| n += ((*g).gc_prev & GC_FROZEN != 0) as usize) };
    n
}

/// Marks a GC object finalized (`tp_finalize` or `__del__` ran) or not.
///
/// # Safety
/// `op` is a live object.
pub unsafe fn gc_set_finalized(op: *mut PyObject, yes: bool) {
    // SAFETY: guaranteed by the caller.
    unsafe {
        if let Some(h) = gc_head(op) {
            if yes {
                (*h).gc_prev |= GC_FINALIZED;
            } else {
                (*h).gc_prev &= !GC_FINALIZED;
            }
        }
    }
}

/// The GC pre-header of `op`, if its type has one.
///
/// # Safety
/// `op` is a live object.
unsafe fn gc_head(op: *mut PyObject) -> Option<*mut PyGC_Head> {
    // SAFETY: guaranteed by the caller; GC objects are allocated after a pre-header.
    unsafe {
        if !is_gc(op) {
            return None;
        }
        Some((op as *mut u8).sub(GC_HEAD_SIZE) as *mut PyGC_Head)
    }
}

/// `_PyObject_IS_GC`: the object has a pre-header — its type has `Py_TPFLAGS_HAVE_GC` and,
/// for types whose instances may be static (type objects), `tp_is_gc` agrees.
///
/// # Safety
/// `op` is a live object.
pub unsafe fn is_gc(op: *mut PyObject) -> bool {
    // SAFETY: guaranteed by the caller.
    unsafe {
        let t = (*op).ob_type;
        (*t).tp_flags & Py_TPFLAGS_HAVE_GC != 0 && (*t).tp_is_gc.is_none_or(|f| f(op) != 0)
    }
}

/// Bit 1 of `_gc_prev`: the object is not tracked. Objects of GC types are tracked from
/// birth (zeroed header) — as CPython tracks the containers it makes — except those made by
/// `PyObject_GC_New`/`NewVar`, which wait for `PyObject_GC_Track`. Untracked objects stay on
/// the list but the collector does not look at them.
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
        // Marked before the call, as CPython does: a finalizer that resurrects the object and
        // drops it again does not run twice.
        gc_set_finalized(op, true);
        fin(op);
    }
}
