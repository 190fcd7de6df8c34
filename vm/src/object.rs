//! The object model core: borrowed (`&Obj`) and owned (`PyRef`) references to CPython-layout
//! objects, reference counting with the encoding every extension vintage shares, and
//! deallocation through the type's `tp_dealloc`.
//!
//! Invariant: a `*mut PyObject` handed to C *is* the object; nothing here wraps or proxies it.
//! Mortal counts stay below 2^31 with the upper half of the word zero (<= 3.11 extensions do
//! 64-bit `++`/`--`); immortal objects carry 0xC0000000 and are never freed.

use core::cell::UnsafeCell;
use core::fmt;
use core::ops::Deref;
use core::ptr::NonNull;
use std::sync::atomic::{AtomicUsize, Ordering};

use pyrite_abi::refcount::{self, Decref};
use pyrite_abi::{PyObject, PyTypeObject, PyVarObject, Py_ssize_t};

use crate::objects::type_::TypeObj;

/// A Python object, seen through a shared borrow. Never constructed by value: it only exists
/// behind pointers to memory laid out as CPython's `PyObject`.
#[repr(transparent)]
pub struct Obj(UnsafeCell<PyObject>);

impl Obj {
    /// # Safety
    /// `p` must point to a live object that stays alive for `'a`.
    #[inline(always)]
    pub unsafe fn from_ptr<'a>(p: *mut PyObject) -> &'a Obj {
        // SAFETY: Obj is a transparent wrapper of PyObject; the caller guarantees liveness.
        unsafe { &*(p as *const Obj) }
    }

    #[inline(always)]
    pub fn as_ptr(&self) -> *mut PyObject {
        self.0.get()
    }

    /// The object's type (`Py_TYPE`).
    #[inline(always)]
    pub fn ob_type(&self) -> &TypeObj {
        // SAFETY: every live object has a live type; the type outlives the borrow of self.
        unsafe { TypeObj::from_ptr((*self.as_ptr()).ob_type) }
    }

    /// The whole 64-bit refcount word.
    #[inline(always)]
    pub fn refcnt_word(&self) -> u64 {
        // SAFETY: reading the header of a live object (GIL held).
        unsafe { (*self.as_ptr()).ob_refcnt }
    }

    /// `Py_REFCNT`: the count as 3.14+ reports it (low 32 bits).
    #[inline(always)]
    pub fn refcnt(&self) -> Py_ssize_t {
        refcount::low32(self.refcnt_word()) as Py_ssize_t
    }

    #[inline(always)]
    pub fn is_immortal(&self) -> bool {
        refcount::is_immortal(self.refcnt_word())
    }

    /// Identity (`is`).
    #[inline(always)]
    pub fn is(&self, other: &Obj) -> bool {
        core::ptr::eq(self, other)
    }

    /// A new strong reference.
    #[inline(always)]
    pub fn new_ref(&self) -> PyRef {
        // SAFETY: self is live; incref makes the new reference valid.
        unsafe {
            incref(self.as_ptr());
            PyRef::from_raw(self.as_ptr())
        }
    }

    /// `ob_size` for variable-size objects.
    ///
    /// # Safety
    /// The object's layout must start with `PyVarObject`.
    #[inline(always)]
    pub unsafe fn ob_size(&self) -> Py_ssize_t {
        // SAFETY: guaranteed by the caller.
        unsafe { (*(self.as_ptr() as *mut PyVarObject)).ob_size }
    }

    /// # Safety
    /// As [`Obj::ob_size`].
    #[inline(always)]
    pub unsafe fn set_ob_size(&self, n: Py_ssize_t) {
        // SAFETY: guaranteed by the caller.
        unsafe { (*(self.as_ptr() as *mut PyVarObject)).ob_size = n }
    }

    /// Whether the object is an instance of `ty` or a subtype (`PyObject_TypeCheck`).
    #[inline]
    pub fn is_instance_of(&self, ty: &TypeObj) -> bool {
        let t = self.ob_type();
        t.is(ty) || t.is_subtype(ty)
    }

    /// Whether the object's exact type is `ty` (`Py_IS_TYPE`).
    #[inline(always)]
    pub fn is_exact(&self, ty: &TypeObj) -> bool {
        self.ob_type().is(ty)
    }

    /// Casts the object pointer to a concrete layout.
    ///
    /// # Safety
    /// The object must have layout `T` (or a layout starting with `T`).
    #[inline(always)]
    pub unsafe fn layout<T>(&self) -> *mut T {
        self.as_ptr() as *mut T
    }
}

impl fmt::Debug for Obj {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match crate::abstract_::repr(self) {
            Ok(s) => f.write_str(crate::objects::unicode::as_str_lossy(&s).as_ref()),
            Err(_) => write!(f, "<{} object at {:p}>", self.ob_type().name(), self.as_ptr()),
        }
    }
}

/// An owned (strong) reference: `Clone` increfs, `Drop` decrefs.
#[repr(transparent)]
pub struct PyRef(NonNull<Obj>);

impl PyRef {
    /// Takes ownership of a strong reference (a "new reference" in C API terms).
    ///
    /// # Safety
    /// `p` must be non-NULL and carry a strong reference the caller gives up.
    #[inline(always)]
    pub unsafe fn from_raw(p: *mut PyObject) -> PyRef {
        debug_assert!(!p.is_null());
        // SAFETY: non-NULL by contract.
        PyRef(unsafe { NonNull::new_unchecked(p as *mut Obj) })
    }

    /// Takes ownership if non-NULL.
    ///
    /// # Safety
    /// As [`PyRef::from_raw`] when non-NULL.
    #[inline(always)]
    pub unsafe fn from_raw_opt(p: *mut PyObject) -> Option<PyRef> {
        NonNull::new(p as *mut Obj).map(PyRef)
    }

    /// Gives up ownership: the caller now holds the strong reference.
    #[inline(always)]
    pub fn into_raw(self) -> *mut PyObject {
        let p = self.as_ptr();
        core::mem::forget(self);
        p
    }
}

impl Deref for PyRef {
    type Target = Obj;
    #[inline(always)]
    fn deref(&self) -> &Obj {
        // SAFETY: a PyRef keeps its object alive.
        unsafe { self.0.as_ref() }
    }
}

impl Clone for PyRef {
    #[inline(always)]
    fn clone(&self) -> PyRef {
        self.new_ref()
    }
}

impl Drop for PyRef {
    #[inline(always)]
    fn drop(&mut self) {
        // SAFETY: we own one strong reference.
        unsafe { decref(self.as_ptr()) }
    }
}

impl fmt::Debug for PyRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        (**self).fmt(f)
    }
}

impl AsRef<Obj> for PyRef {
    fn as_ref(&self) -> &Obj {
        self
    }
}

/// `Py_INCREF` with the 3.14+ encoding: immortal objects are left alone; a mortal count
/// reaching 2^31 saturates to immortal.
///
/// # Safety
/// `op` must be a live object.
#[inline(always)]
pub unsafe fn incref(op: *mut PyObject) {
    // SAFETY: live object; the GIL serialises header writes.
    unsafe {
        let w = (*op).ob_refcnt;
        (*op).ob_refcnt = refcount::incremented(w);
    }
}

/// `Py_DECREF`: immortal objects are left alone; at zero the object is deallocated.
///
/// # Safety
/// `op` must be a live object and the caller must own the reference it gives up.
#[inline(always)]
pub unsafe fn decref(op: *mut PyObject) {
    // SAFETY: as above.
    unsafe {
        let w = (*op).ob_refcnt;
        let count = w as u32;
        // As `refcount::decremented`, with the common case (a count of 2 to 2^31 - 1) in one
        // comparison: it is then the low half of the word, and nothing borrows from above.
        if count.wrapping_sub(2) < refcount::IMMORTAL_MINIMUM_REFCNT - 2 {
            (*op).ob_refcnt = w - 1;
        } else if count <= 1 {
            debug_assert!(matches!(refcount::decremented(w), Decref::Dead));
            (*op).ob_refcnt = w & !0xFFFF_FFFF;
            dealloc(op)
        }
    }
}

/// # Safety
/// `op` is NULL or a live object.
#[inline(always)]
pub unsafe fn xdecref(op: *mut PyObject) {
    if !op.is_null() {
        // SAFETY: non-NULL live object.
        unsafe { decref(op) }
    }
}

/// # Safety
/// `op` is NULL or a live object.
#[inline(always)]
pub unsafe fn xincref(op: *mut PyObject) {
    if !op.is_null() {
        // SAFETY: non-NULL live object.
        unsafe { incref(op) }
    }
}

/// Counters for tests: how many objects were initialised and how many deallocated.
/// Written with plain load/store (the GIL serialises them), so they cost one add each.
pub mod stats {
    use super::*;
    pub(crate) static INITIALIZED: AtomicUsize = AtomicUsize::new(0);
    pub(crate) static DEALLOCATED: AtomicUsize = AtomicUsize::new(0);

    #[inline(always)]
    pub(crate) fn bump(c: &AtomicUsize) {
        c.store(c.load(Ordering::Relaxed).wrapping_add(1), Ordering::Relaxed);
    }

    /// Objects initialised so far (every allocation path goes through `init_header`).
    pub fn initialized() -> usize {
        INITIALIZED.load(Ordering::Relaxed)
    }
    /// Objects deallocated so far (every path goes through `dealloc`).
    pub fn deallocated() -> usize {
        DEALLOCATED.load(Ordering::Relaxed)
    }
    /// Objects alive now (initialised minus deallocated), static objects excluded.
    pub fn live() -> isize {
        initialized() as isize - deallocated() as isize
    }
}

/// `_Py_Dealloc`: runs the type's `tp_dealloc`. Called when a count reaches 0, whether the
/// decrement happened in the VM or inline in an extension (<= 3.11 headers call this directly).
///
/// # Safety
/// `op` must be a live object whose count has reached 0.
pub unsafe fn dealloc(op: *mut PyObject) {
    // SAFETY: live object with a live type.
    unsafe {
        let word = (*op).ob_refcnt;
        if refcount::is_static(word) || refcount::is_immortal(word) {
            // An old extension over-decref'd an immortal object to an apparent zero: ignore.
            return;
        }
        stats::bump(&stats::DEALLOCATED);
        // Objects of types without GC support hold no references to deep structures (in
        // CPython too only container types use the trashcan): freed at once, without the
        // thread-local below (~4% of float-heavy code).
        if (*(*op).ob_type).tp_flags & pyrite_abi::Py_TPFLAGS_HAVE_GC == 0 {
            run_dealloc(op);
            return;
        }
        // CPython's trashcan: deallocating a deep structure (a list nested 100,000 deep)
        // would recurse once per level; past `TRASH_DEPTH` nested deallocations the object
        // waits in a per-thread list, freed when the outermost deallocation finishes.
        // One thread-local access per deallocation (nested ones re-enter it).
        TRASH.with(|t| {
            let depth = t.depth.get();
            if depth >= TRASH_DEPTH {
                t.deferred.borrow_mut().push(op as usize);
                return;
            }
            t.depth.set(depth + 1);
            run_dealloc(op);
            if depth == 0 {
                loop {
                    let next = t.deferred.borrow_mut().pop();
                    match next {
                        Some(p) => run_dealloc(p as *mut PyObject),
                        None => break,
                    }
                }
            }
            t.depth.set(depth);
        });
    }
}

/// Nested deallocations after which further ones are deferred (see `dealloc`).
const TRASH_DEPTH: u32 = 500;

struct Trash {
    depth: core::cell::Cell<u32>,
    /// Objects whose count reached 0 while `depth` was at the limit (addresses).
    deferred: core::cell::RefCell<Vec<usize>>,
}

thread_local! {
    static TRASH: Trash = const { Trash { depth: core::cell::Cell::new(0), deferred: core::cell::RefCell::new(Vec::new()) } };
}

/// Runs `op`'s `tp_dealloc` (or frees it).
///
/// # Safety
/// `op` is a live object whose count reached 0.
unsafe fn run_dealloc(op: *mut PyObject) {
    // SAFETY: guaranteed by the caller.
    unsafe {
        let ty = (*op).ob_type;
        match (*ty).tp_dealloc {
            Some(f) => f(op),
            None => crate::alloc::free_object(op),
        }
    }
}

/// Initialises an object header: count 1, the type (increfed if it is a heap type),
/// as `PyObject_Init` does. Every allocation path calls this exactly once.
///
/// # Safety
/// `op` points to writable memory at least `tp_basicsize` long.
#[inline]
pub unsafe fn init_header(op: *mut PyObject, ty: *mut PyTypeObject) {
    // SAFETY: guaranteed by the caller.
    unsafe {
        (*op).ob_refcnt = 1;
        (*op).ob_type = ty;
        if (*ty).tp_flags & pyrite_abi::Py_TPFLAGS_HEAPTYPE != 0 {
            incref(ty as *mut PyObject);
        }
    }
    stats::bump(&stats::INITIALIZED);
}

/// An immortal object that lives in static memory (None, True, the type objects ...),
/// exported under a CPython data-symbol name. Interior mutability: old extensions write
/// the refcount word even of immortal objects.
#[repr(transparent)]
pub struct StaticObject<T>(pub UnsafeCell<T>);

// SAFETY: mutated only under the GIL (and by extension code holding it).
unsafe impl<T> Sync for StaticObject<T> {}

impl<T> StaticObject<T> {
    pub const fn new(v: T) -> Self {
        StaticObject(UnsafeCell::new(v))
    }
    #[inline(always)]
    pub const fn as_ptr(&self) -> *mut PyObject {
        self.0.get() as *mut PyObject
    }
    #[inline(always)]
    pub fn obj(&self) -> &Obj {
        // SAFETY: a static object lives forever.
        unsafe { Obj::from_ptr(self.as_ptr()) }
    }
    #[inline(always)]
    pub fn new_ref(&self) -> PyRef {
        self.obj().new_ref()
    }
}

/// The header of a static immortal object of type `ty`.
pub const fn static_head(ty: *mut PyTypeObject) -> PyObject {
    PyObject { ob_refcnt: refcount::STATIC_IMMORTAL_INITIAL_REFCNT, ob_type: ty }
}

/// A raw pointer that may live in a `static` (exported `PyObject *` data symbols).
#[repr(transparent)]
pub struct SyncPtr<T>(pub *mut T);
// SAFETY: the pointee is a static immortal object; the pointer itself is never written.
unsafe impl<T> Sync for SyncPtr<T> {}
// SAFETY: as above; the pointee is immortal and shared under the GIL.
unsafe impl<T> Send for SyncPtr<T> {}

/// Makes an object immortal (CPython's `_Py_SetImmortal`): it will never be deallocated.
/// Returns the pointer; the reference given up becomes part of the immortal count.
pub fn make_immortal(o: PyRef) -> *mut PyObject {
    let p = o.into_raw();
    // SAFETY: p is live; the upper half keeps the immortal flag for old-ABI robustness.
    unsafe { (*p).ob_refcnt = refcount::IMMORTAL_REFCNT_WORD };
    // An immortal object is no longer counted among the live ones.
    stats::bump(&stats::DEALLOCATED);
    p
}
