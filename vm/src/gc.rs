//! The cycle collector: frees groups of objects that refer to each other but that nothing
//! else refers to, which reference counting alone never frees.
//!
//! The algorithm is CPython's (Modules/gcmodule.c, "Garbage Collector Design" in its
//! InternalDocs), over the tracked objects of the generations collected — the young one
//! (allocated since the last collection) or both:
//!
//! 1. every tracked object gets `refs` = its reference count;
//! 2. each object's `tp_traverse` subtracts one from every tracked object it refers to, so
//!    what is left is the number of references from outside the tracked set (frames on the
//!    Rust stack, untracked and non-GC objects, C globals);
//! 3. objects with outside references are reachable, and so is everything they refer to;
//! 4. the rest is unreachable: its weak references are cleared (callbacks run only for
//!    references that are not garbage themselves), finalizers run once (PEP 442), objects a
//!    finalizer resurrected are spared, and `tp_clear` breaks the remaining cycles, after which
//!    reference counting frees them.
//!
//! A side table (address -> index) holds the counts, so the collector never writes into the
//! pre-headers it walks and never reads a header through a pointer it did not find on the
//! list (static objects of GC types have no pre-header). A `tp_traverse` that visits a
//! reference its object does not own would make a count negative: such objects are treated
//! as reachable, so a wrong traverse can leak but not free a live object.
//!
//! References from objects outside the collected set count as outside references, so a
//! young collection never frees what an old object refers to (it can only miss garbage,
//! which a full collection finds).
//!
//! Automatic collections start when allocations minus frees of GC objects since the last one
//! pass the first threshold (`gc.set_threshold`); they run at the interpreter's next eval
//! break, never inside an allocation. They collect the young generation and promote its
//! survivors, as CPython's generation 0; once the objects promoted since the last full
//! collection pass a quarter of those that survived it (CPython's `long_lived_pending`
//! rule), the next one is full. So building a big structure walks each object a bounded
//! number of times, not once per threshold's worth of allocations.

use core::ffi::{c_int, c_void};
use core::hash::{BuildHasherDefault, Hasher};
use core::sync::atomic::{AtomicBool, AtomicIsize, Ordering::Relaxed};
use std::collections::HashMap;

use pyrite_abi::{visitproc, PyObject, Py_TPFLAGS_HEAPTYPE};

use crate::object::{Obj, PyRef};

static COLLECTING: AtomicBool = AtomicBool::new(false);
static PENDING: AtomicBool = AtomicBool::new(false);
static ENABLED: AtomicBool = AtomicBool::new(true);
static THRESHOLD: AtomicIsize = AtomicIsize::new(2000);
/// Objects that survived the last full collection, and objects promoted to the old
/// generation since: when the second passes a quarter of the first, the next automatic
/// collection is full.
static LONG_LIVED: AtomicIsize = AtomicIsize::new(0);
static PROMOTED: AtomicIsize = AtomicIsize::new(0);

/// `gc.enable()`/`disable()` (and `PyGC_Enable`/`Disable`): returns the previous state.
pub fn set_enabled(on: bool) -> bool {
    ENABLED.swap(on, Relaxed)
}

pub fn is_enabled() -> bool {
    ENABLED.load(Relaxed)
}

/// The first threshold of `gc.set_threshold`; 0 turns automatic collection off.
pub fn set_threshold(t: isize) {
    THRESHOLD.store(t, Relaxed);
}

/// Called by the allocator with the net count of GC objects allocated since the last
/// collection: asks for a collection at the next eval break once it is due.
#[inline]
pub fn note_allocations(young: isize) {
    let threshold = THRESHOLD.load(Relaxed);
    if young > threshold && threshold > 0 && ENABLED.load(Relaxed) && !PENDING.load(Relaxed) && !COLLECTING.load(Relaxed) {
        PENDING.store(true, Relaxed);
        crate::gil::request_eval_break();
    }
}

/// Whether an automatic collection is due (cleared by taking it).
pub fn take_pending() -> bool {
    PENDING.swap(false, Relaxed) && ENABLED.load(Relaxed)
}

/// What a collection found.
#[derive(Default)]
pub struct Outcome {
    /// Unreachable objects found (freed unless resurrected or saved).
    pub collected: usize,
    /// Unreachable objects that could not be freed (a legacy `tp_del`), and what they keep.
    pub uncollectable: usize,
    /// Objects for `gc.garbage`: the uncollectable ones, and with `save_all` every
    /// unreachable object (which is then kept, not cleared).
    pub garbage: Vec<PyRef>,
    /// Tracked objects examined.
    pub candidates: usize,
}

/// A fast hash for object addresses (16-byte aligned, so the low bits carry nothing).
#[derive(Default)]
struct AddrHasher(u64);

impl Hasher for AddrHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, _: &[u8]) {
        unreachable!("only addresses are hashed")
    }
    fn write_usize(&mut self, n: usize) {
        self.0 = ((n >> 4) as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

type Index = HashMap<usize, u32, BuildHasherDefault<AddrHasher>>;

/// A set of objects with a count each, as the traversal callbacks see it.
struct Graph {
    objs: Vec<*mut PyObject>,
    index: Index,
    refs: Vec<isize>,
    reachable: Vec<bool>,
    stack: Vec<u32>,
}

impl Graph {
    fn new(objs: Vec<*mut PyObject>) -> Graph {
        let mut index = Index::with_capacity_and_hasher(objs.len(), Default::default());
        for (i, &op) in objs.iter().enumerate() {
            index.insert(op as usize, i as u32);
        }
        let n = objs.len();
        Graph { objs, index, refs: vec![0; n], reachable: vec![false; n], stack: Vec::new() }
    }

    /// Step 2: subtract the references members hold on members.
    ///
    /// # Safety
    /// Every member is live; the GIL is held.
    unsafe fn subtract_internal(&mut self) {
        for i in 0..self.objs.len() {
            // SAFETY: guaranteed by the caller.
            unsafe { traverse(self.objs[i], Some(visit_decref), self) };
        }
    }

    /// Step 3: members with outside references, and what they reach, are reachable.
    ///
    /// # Safety
    /// As [`Graph::subtract_internal`].
    unsafe fn mark_reachable(&mut self) {
        for i in 0..self.objs.len() {
            if self.refs[i] != 0 && !self.reachable[i] {
                self.reachable[i] = true;
                self.stack.push(i as u32);
            }
        }
        self.propagate();
    }

    fn propagate(&mut self) {
        while let Some(i) = self.stack.pop() {
            // SAFETY: members are live (the caller of the marking functions promised it).
            unsafe { traverse(self.objs[i as usize], Some(visit_reach), self) };
        }
    }

    fn unreachable(&self) -> Vec<*mut PyObject> {
        self.objs.iter().zip(&self.reachable).filter(|(_, r)| !**r).map(|(o, _)| *o).collect()
    }
}

/// # Safety
/// `op` is live; `g` outlives the call.
unsafe fn traverse(op: *mut PyObject, visit: visitproc, g: &mut Graph) {
    // SAFETY: guaranteed by the caller.
    unsafe {
        if let Some(t) = (*(*op).ob_type).tp_traverse {
            t(op, visit, g as *mut Graph as *mut c_void);
        }
    }
}

unsafe extern "C" fn visit_decref(op: *mut PyObject, arg: *mut c_void) -> c_int {
    // SAFETY: `arg` is the graph `traverse` passed.
    let g = unsafe { &mut *(arg as *mut Graph) };
    if let Some(&i) = g.index.get(&(op as usize)) {
        g.refs[i as usize] -= 1;
    }
    0
}

unsafe extern "C" fn visit_reach(op: *mut PyObject, arg: *mut c_void) -> c_int {
    // SAFETY: as in `visit_decref`.
    let g = unsafe { &mut *(arg as *mut Graph) };
    if let Some(&i) = g.index.get(&(op as usize)) {
        if !g.reachable[i as usize] {
            g.reachable[i as usize] = true;
            g.stack.push(i);
        }
    }
    0
}

/// The reference count the collector starts from.
///
/// # Safety
/// `op` is live.
unsafe fn count_of(op: *mut PyObject) -> isize {
    // SAFETY: guaranteed by the caller.
    unsafe { Obj::from_ptr(op).refcnt() as isize }
}

/// Whether `op` only has the legacy `tp_del` finalizer, which CPython will not run on
/// cyclic garbage (such objects end up in `gc.garbage`).
///
/// # Safety
/// `op` is live.
unsafe fn has_legacy_finalizer(op: *mut PyObject) -> bool {
    // SAFETY: guaranteed by the caller.
    unsafe {
        let t = (*op).ob_type;
        (*t).tp_del.is_some() && (*t).tp_finalize.is_none()
    }
}

/// Runs `op`'s finalizer once: `tp_finalize`, or `__del__` for classes defined in Python.
///
/// # Safety
/// `op` is live and held by the caller.
unsafe fn finalize(op: *mut PyObject) {
    // SAFETY: guaranteed by the caller.
    unsafe {
        let t = (*op).ob_type;
        if (*t).tp_finalize.is_some() {
            crate::alloc::call_finalizer(op);
        } else if (*t).tp_flags & Py_TPFLAGS_HEAPTYPE != 0 {
            crate::objects::heaptype::run_del(op);
        }
    }
}

/// Collects now (all generations). With `save_all` (`gc.DEBUG_SAVEALL`) unreachable objects
/// are handed back in `garbage` instead of being freed. A collection already under way (a
/// finalizer calling `gc.collect()`) makes this return an empty outcome.
pub fn collect(save_all: bool) -> Outcome {
    collect_generations(true, save_all)
}

/// Collects the young generation only, and promotes what survives to the old one.
pub fn collect_young(save_all: bool) -> Outcome {
    collect_generations(false, save_all)
}

/// Whether the next automatic collection should be full: the objects promoted since the last
/// full one passed a quarter of those that survived it.
pub fn full_collection_due() -> bool {
    let threshold = THRESHOLD.load(Relaxed);
    PROMOTED.load(Relaxed) > threshold.max(LONG_LIVED.load(Relaxed) / 4)
}

fn collect_generations(full: bool, save_all: bool) -> Outcome {
    use crate::alloc::Generation;
    if COLLECTING.swap(true, Relaxed) {
        return Outcome::default();
    }
    PENDING.store(false, Relaxed);
    let gens: &[Generation] = if full { &[Generation::Old, Generation::Young] } else { &[Generation::Young] };
    // SAFETY: the GIL is held (every caller runs Python code or is the eval loop).
    let out = unsafe { collect_inner(gens, save_all) };
    // SAFETY: the GIL is held.
    unsafe { crate::alloc::gc_promote_young() };
    let survivors = out.candidates.saturating_sub(out.collected) as isize;
    if full {
        let (live, _) = crate::alloc::gc_counts();
        LONG_LIVED.store(live as isize, Relaxed);
        PROMOTED.store(0, Relaxed);
    } else {
        PROMOTED.store(PROMOTED.load(Relaxed) + survivors, Relaxed);
    }
    crate::alloc::gc_reset_young();
    COLLECTING.store(false, Relaxed);
    out
}

/// # Safety
/// The GIL is held.
unsafe fn collect_inner(gens: &[crate::alloc::Generation], save_all: bool) -> Outcome {
    let mut objs = Vec::new();
    // Objects whose count already reached zero are being deallocated (waiting in the
    // trashcan's list, or a finalizer running from dealloc): not the collector's to touch.
    // SAFETY: the GIL is held; the closure does not allocate GC objects.
    unsafe {
        crate::alloc::gc_for_each_tracked_in(gens, |op| {
            if count_of(op) > 0 {
                objs.push(op);
            }
        })
    };
    let candidates = objs.len();
    let mut g = Graph::new(objs);
    // SAFETY: all members are live: nothing runs between listing and marking.
    unsafe {
        for i in 0..g.objs.len() {
            g.refs[i] = count_of(g.objs[i]);
        }
        g.subtract_internal();
        g.mark_reachable();
    }
    let mut out = Outcome { candidates, ..Outcome::default() };
    let mut unreachable = g.unreachable();
    if unreachable.is_empty() {
        return out;
    }
    // Objects with a legacy finalizer cannot be freed, nor can anything they refer to.
    // SAFETY: members are live.
    let legacy: Vec<usize> = (0..g.objs.len()).filter(|&i| !g.reachable[i] && unsafe { has_legacy_finalizer(g.objs[i]) }).collect();
    if !legacy.is_empty() {
        let was_reachable = g.reachable.clone();
        for i in legacy {
            g.reachable[i] = true;
            g.stack.push(i as u32);
        }
        g.propagate();
        for i in 0..g.objs.len() {
            if g.reachable[i] && !was_reachable[i] {
                out.uncollectable += 1;
                // SAFETY: live objects (nothing has run since marking).
                out.garbage.push(unsafe { Obj::from_ptr(g.objs[i]) }.new_ref());
            }
        }
        unreachable = g.unreachable();
    }
    drop(g);
    out.collected = unreachable.len();
    // Hold every unreachable object: from here on Python code runs (weak reference
    // callbacks, finalizers) and nothing may be freed under the collector's feet.
    // SAFETY: live objects.
    let held: Vec<PyRef> = unreachable.iter().map(|&o| unsafe { Obj::from_ptr(o) }.new_ref()).collect();
    if save_all {
        out.garbage.extend(held);
        return out;
    }
    // Weak references to garbage die now; callbacks run for references that are not garbage.
    let garbage: std::collections::HashSet<usize> = unreachable.iter().map(|&o| o as usize).collect();
    let mut callbacks = Vec::new();
    for &o in &unreachable {
        // SAFETY: a held, live object.
        callbacks.extend(unsafe { crate::objects::weakref::detach_all(o, |r| !garbage.contains(&(r as usize))) });
    }
    let saved = crate::err::PyErr::take();
    crate::objects::weakref::run_callbacks(callbacks);
    for &o in &unreachable {
        // SAFETY: held.
        unsafe { finalize(o) };
    }
    if let Some(e) = saved {
        e.restore();
    }
    // A finalizer may have stored a reference to garbage somewhere reachable: recount within
    // the unreachable set (less the collector's own hold) and spare what is referred to from
    // outside it, with everything that reaches.
    let mut g = Graph::new(unreachable);
    // SAFETY: all held.
    unsafe {
        for i in 0..g.objs.len() {
            g.refs[i] = count_of(g.objs[i]) - 1;
        }
        g.subtract_internal();
        g.mark_reachable();
    }
    for o in g.unreachable() {
        // SAFETY: held; `tp_clear` drops references, and the hold keeps `o` itself alive.
        unsafe {
            if let Some(clear) = (*(*o).ob_type).tp_clear {
                clear(o);
            }
        }
    }
    // Errors a `tp_clear` left behind are not the caller's.
    if let Some(e) = crate::err::PyErr::take() {
        crate::traceback::write_unraisable("Exception ignored in garbage collector", &e);
    }
    drop(held);
    out
}

/// The objects `op` refers to, as its `tp_traverse` reports them (`gc.get_referents`).
///
/// # Safety
/// `op` is live.
pub unsafe fn referents(op: *mut PyObject) -> Vec<PyRef> {
    unsafe extern "C" fn push(o: *mut PyObject, arg: *mut c_void) -> c_int {
        // SAFETY: `arg` is the vector below; `o` is a live object its owner refers to.
        unsafe { (*(arg as *mut Vec<PyRef>)).push(Obj::from_ptr(o).new_ref()) };
        0
    }
    let mut out: Vec<PyRef> = Vec::new();
    // SAFETY: guaranteed by the caller.
    unsafe {
        if crate::alloc::is_gc(op)
            && let Some(t) = (*(*op).ob_type).tp_traverse
        {
            t(op, Some(push), &mut out as *mut Vec<PyRef> as *mut c_void);
        }
    }
    out
}

/// Every tracked object (not frozen), held (`gc.get_objects`).
pub fn tracked_objects() -> Vec<PyRef> {
    let mut v = Vec::new();
    // SAFETY: the GIL is held; pushing to a Vec allocates no GC object.
    unsafe { crate::alloc::gc_for_each_tracked(|op| v.push(op)) };
    // SAFETY: listed objects are live.
    v.into_iter().map(|op| unsafe { Obj::from_ptr(op) }.new_ref()).collect()
}

/// Tracked objects that refer to any of `targets` (`gc.get_referrers`).
pub fn referrers(targets: &[*mut PyObject]) -> Vec<PyRef> {
    struct Probe<'a> {
        targets: &'a [*mut PyObject],
        hit: bool,
    }
    unsafe extern "C" fn probe(o: *mut PyObject, arg: *mut c_void) -> c_int {
        // SAFETY: `arg` is the probe below.
        let p = unsafe { &mut *(arg as *mut Probe) };
        if p.targets.contains(&o) {
            p.hit = true;
            return 1;
        }
        0
    }
    let mut found = Vec::new();
    // SAFETY: the GIL is held; traversal does not allocate.
    unsafe {
        crate::alloc::gc_for_each_tracked(|op| {
            if let Some(t) = (*(*op).ob_type).tp_traverse {
                let mut p = Probe { targets, hit: false };
                t(op, Some(probe), &mut p as *mut Probe as *mut c_void);
                if p.hit {
                    found.push(op);
                }
            }
        });
    }
    // SAFETY: listed objects are live.
    found.into_iter().map(|op| unsafe { Obj::from_ptr(op) }.new_ref()).collect()
}

/// A `tp_traverse` body: visits each non-NULL reference, stopping at a non-zero result.
///
/// # Safety
/// Each pointer is NULL or a live object the caller's object owns a reference to.
#[inline]
pub unsafe fn visit_each(refs: &[*mut PyObject], visit: visitproc, a: *mut c_void) -> c_int {
    let Some(visit) = visit else { return 0 };
    for &p in refs {
        if !p.is_null() {
            // SAFETY: guaranteed by the caller.
            let r = unsafe { visit(p, a) };
            if r != 0 {
                return r;
            }
        }
    }
    0
}

/// A `tp_clear` body: each slot becomes NULL, then its old reference is dropped (`Py_CLEAR`).
///
/// # Safety
/// Each slot holds NULL or an owned reference, and NULL is a valid value for it.
pub unsafe fn clear_each(slots: &[*mut *mut PyObject]) {
    for &s in slots {
        // SAFETY: guaranteed by the caller.
        unsafe { crate::object::xdecref(core::mem::replace(&mut *s, core::ptr::null_mut())) };
    }
}
