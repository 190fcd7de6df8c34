//! The interpreter: frames and the evaluation loop.
//!
//! Python-to-Python calls push a `Frame` on the loop's own frame stack and continue in the same
//! loop — no Rust recursion per Python call; only calls that cross C (a C function calling back
//! into Python, `abstract_::call` on a function) start a new loop. Exceptions unwind through
//! each code object's exception table, so `try` costs nothing until something is raised.
//!
//! Invariant: the value stack and the fast locals hold owned references (or NULL); a frame
//! releases them when it is popped.

pub mod args;
pub mod specialize;

use core::cell::Cell;
use core::ptr::null_mut;

use pyrite_abi::*;

use crate::bytecode::{instruction_len, CodeUnit, Opcode};
use specialize::{small_int, stats, Cache};
use crate::err::{PyErr, PyResult};
use crate::number::{self, BinaryOp, UnaryOp};
use crate::object::{Obj, PyRef};
use crate::objects::code::{self, CodeData, CO_FAST_CELL, CO_FAST_FREE};
use crate::objects::type_::{self, TypeObj};
use crate::objects::{bool_, dict, exceptions as exc, float, function, genobject, iterobject, lazy_import, list, long, none, tuple, unicode};
use crate::{abstract_, slot};

/// One activation of a code object.
pub struct Frame {
    pub code: PyRef,
    pub func: Option<PyRef>,
    pub globals: PyRef,
    pub builtins: PyRef,
    /// `globals` and `builtins` are `func`'s, borrowed (not counted): see
    /// [`Frame::for_function`].
    borrowed_ns: bool,
    /// The namespace of module and class bodies (`LOAD_NAME`), None in functions.
    pub locals: Option<PyRef>,
    /// Locals, then cells, then free variables (owned, NULL = unbound).
    pub fast: Vec<*mut PyObject>,
    pub stack: Vec<*mut PyObject>,
    /// Index of the next code unit to run.
    pub ip: usize,
    /// Start of the instruction running (or that raised).
    pub lasti: usize,
    /// Set by re-raising instructions (`RERAISE`, bare `raise`): the exception keeps its
    /// traceback, and the handler is looked up at this offset (the re-raising instruction)
    /// even when `lasti` was restored to the original raise for line numbers.
    pub reraise_at: Option<usize>,
    /// An exception to raise at the current instruction when the frame resumes
    /// (`generator.throw()`).
    pub pending_throw: Option<PyErr>,
    /// For an `__init__` frame entered by `CALL_ALLOC_AND_ENTER_INIT`: the new instance, which
    /// the call produces instead of `__init__`'s (None) result.
    pub init_self: Option<PyRef>,
    /// The frame object (`PyEval_GetFrame`), made on first request; owned, or NULL.
    pub frame_obj: Cell<*mut PyObject>,
    /// The generator whose frame this is while it runs inline, in its caller's frame list
    /// (`FOR_ITER_GEN`, see `genobject::enter_inline`): owned, or NULL.
    pub generator: *mut PyObject,
}

impl Frame {
    /// A new frame, boxed: frames move between the frame stack, `Flow::Call` and generators
    /// as pointers, never by copying the struct.
    pub fn new(code_obj: PyRef, globals: PyRef, builtins: PyRef, locals: Option<PyRef>, func: Option<PyRef>) -> FrameBox {
        // SAFETY: no arguments to move; the namespaces are owned references.
        unsafe { Frame::make(code_obj, globals, builtins, false, locals, func, &mut []) }
    }

    /// A frame running function `func` (whose reference it takes) in the function's own
    /// namespaces, which it borrows (CPython's frames do too): `func` keeps them alive, and a
    /// function's `__globals__` and `__builtins__` never change. The first `args.len()` locals
    /// are moved from `args`, which is left NULL; the others start unbound.
    ///
    /// # Safety
    /// `func` is a function; `args` holds owned references, no more than its code has locals.
    #[inline(always)]
    pub(crate) unsafe fn for_function(func: PyRef, args: &mut [*mut PyObject]) -> FrameBox {
        // SAFETY: a function's fields are live owned references; the frame borrows the
        // namespaces (`borrowed_ns`), so these `PyRef`s are never released.
        unsafe {
            let r = function::raw(&func);
            let (globals, builtins) = (PyRef::from_raw((*r).globals), PyRef::from_raw((*r).builtins));
            let code_obj = function::code_of(&func).new_ref();
            Frame::make(code_obj, globals, builtins, true, None, Some(func), args)
        }
    }

    /// # Safety
    /// `globals`/`builtins` are owned unless `borrowed_ns` (then `func`'s); `args` as in
    /// [`Frame::for_function`].
    #[inline(always)]
    unsafe fn make(
        code_obj: PyRef,
        globals: PyRef,
        builtins: PyRef,
        borrowed_ns: bool,
        locals: Option<PyRef>,
        func: Option<PyRef>,
        args: &mut [*mut PyObject],
    ) -> FrameBox {
        let cd = code::data(&code_obj);
        let (nfast, stacksize) = (cd.nlocalsplus(), cd.stacksize as usize + 1);
        let entry = code::entry(&code_obj);
        debug_assert!(args.len() <= nfast);
        let mem = pool::take();
        let f = mem.as_ptr();
        // SAFETY: `mem` holds empty `fast`/`stack` buffers and no other live field: each field
        // is written once here, in place (moving a whole `Frame` would copy its buffers
        // through the stack). The locals buffer gets room for `nfast` slots, all written
        // before its length is set.
        unsafe {
            (&raw mut (*f).code).write(code_obj);
            (&raw mut (*f).func).write(func);
            (&raw mut (*f).globals).write(globals);
            (&raw mut (*f).builtins).write(builtins);
            (&raw mut (*f).borrowed_ns).write(borrowed_ns);
            (&raw mut (*f).locals).write(locals);
            (&raw mut (*f).ip).write(entry);
            (&raw mut (*f).lasti).write(0);
            (&raw mut (*f).reraise_at).write(None);
            (&raw mut (*f).pending_throw).write(None);
            (&raw mut (*f).init_self).write(None);
            (&raw mut (*f).frame_obj).write(Cell::new(null_mut()));
            (&raw mut (*f).generator).write(null_mut());
            let fast = &mut (*f).fast;
            if fast.capacity() < nfast {
                fast.reserve(nfast);
            }
            let slots = fast.as_mut_ptr();
            for (i, a) in args.iter_mut().enumerate() {
                *slots.add(i) = core::mem::replace(a, null_mut());
            }
            for i in args.len()..nfast {
                *slots.add(i) = null_mut();
            }
            fast.set_len(nfast);
            let stack = &mut (*f).stack;
            if stack.capacity() < stacksize {
                stack.reserve(stacksize);
            }
        }
        FrameBox(mem)
    }

    fn code(&self) -> &CodeData {
        code::data(&self.code)
    }

    /// Whether `globals` and `builtins` are references of the frame's own (false when it
    /// borrows its function's).
    pub fn owns_namespaces(&self) -> bool {
        !self.borrowed_ns
    }

    #[inline(always)]
    fn push(&mut self, v: PyRef) {
        self.stack.push(v.into_raw());
    }

    #[inline(always)]
    fn push_raw(&mut self, v: *mut PyObject) {
        self.stack.push(v);
    }

    /// Pops an owned reference (NULL if the slot held NULL).
    #[inline(always)]
    fn pop_raw(&mut self) -> *mut PyObject {
        self.stack.pop().expect("value stack underflow")
    }

    #[inline(always)]
    fn pop(&mut self) -> PyRef {
        let p = self.pop_raw();
        // SAFETY: the stack holds owned references; callers pop only non-NULL slots here.
        unsafe { PyRef::from_raw(p) }
    }

    #[inline(always)]
    fn top(&self) -> &Obj {
        // SAFETY: the top slot holds a live object.
        unsafe { Obj::from_ptr(*self.stack.last().expect("value stack underflow")) }
    }

    #[inline(always)]
    fn peek(&self, n: usize) -> &Obj {
        // SAFETY: the slot holds a live object.
        unsafe { Obj::from_ptr(self.stack[self.stack.len() - n]) }
    }

    fn name(&self, i: u32) -> &Obj {
        tuple::get(&self.code().names, i as usize)
    }

    /// The source line of the instruction at `lasti`.
    /// `locals()`: the namespace of module/class bodies, or a new dict of a function's bound
    /// locals (cells and free variables by their contents).
    pub fn locals_snapshot(&self) -> PyResult<PyRef> {
        if let Some(l) = &self.locals {
            return Ok(l.clone());
        }
        let cd = self.code();
        let d = dict::new();
        for (i, &p) in self.fast.iter().enumerate() {
            if p.is_null() {
                continue;
            }
            // SAFETY: a live local.
            let v = unsafe { Obj::from_ptr(p) };
            let v = if cd.localspluskinds[i] & (CO_FAST_CELL | CO_FAST_FREE) != 0 {
                match function::cell_get(v) {
                    Some(x) => x,
                    None => continue,
                }
            } else {
                v
            };
            dict::set_item(&d, cd.localplus_name(i), v)?;
        }
        Ok(d)
    }

    /// Pushes the value a resumed generator receives.
    pub fn push_sent(&mut self, v: PyRef) {
        self.push(v);
    }

    pub fn lineno(&self) -> u32 {
        self.code().positions.get(self.lasti).map_or(self.code().firstlineno, |p| p.line)
    }
}

impl Frame {
    /// Detaches the frame object and releases what the slots hold, leaving them empty (their
    /// buffers stay allocated). Idempotent.
    #[inline(always)]
    fn release(&mut self) {
        let fo = self.frame_obj.replace(null_mut());
        if !fo.is_null() {
            self.detach_frame_object(fo);
        }
        // Slots are taken one at a time: a finalizer run by a release may look at the frame.
        while let Some(p) = self.stack.pop() {
            // SAFETY: the slot held NULL or an owned reference.
            unsafe { crate::object::xdecref(p) };
        }
        let slots = self.fast.as_mut_ptr();
        for i in 0..self.fast.len() {
            // SAFETY: `i` is below the length; the buffer is never reallocated (a finalizer
            // that releases the frame again only empties the slots).
            let p = unsafe { core::mem::replace(&mut *slots.add(i), null_mut()) };
            // SAFETY: as above.
            unsafe { crate::object::xdecref(p) };
        }
        // SAFETY: every slot is NULL now.
        unsafe { self.fast.set_len(0) };
    }

    /// The frame object outlives the frame: it keeps its last line.
    #[inline(never)]
    fn detach_frame_object(&self, fo: *mut PyObject) {
        // SAFETY: the frame object this frame owned.
        unsafe {
            crate::objects::frameobject::detach(fo, self.lineno(), self.lasti);
            crate::object::decref(fo);
        }
    }
}

impl Drop for Frame {
    fn drop(&mut self) {
        self.release();
    }
}

/// A boxed frame whose memory, and that of its locals and value stack, is recycled through
/// pools: a Python-to-Python call then allocates nothing from the C heap in the
/// steady state (CPython gets the same from its per-thread data stack).
pub struct FrameBox(core::ptr::NonNull<Frame>);

impl FrameBox {
    /// Gives up ownership (a generator keeps its suspended frame as a raw pointer).
    pub fn into_raw(self) -> *mut Frame {
        let p = self.0.as_ptr();
        core::mem::forget(self);
        p
    }

    /// # Safety
    /// `p` came from [`FrameBox::into_raw`] and is not used again.
    pub unsafe fn from_raw(p: *mut Frame) -> FrameBox {
        FrameBox(core::ptr::NonNull::new(p).expect("a frame pointer"))
    }
}

impl core::ops::Deref for FrameBox {
    type Target = Frame;
    fn deref(&self) -> &Frame {
        // SAFETY: the box owns a live frame.
        unsafe { self.0.as_ref() }
    }
}

impl core::ops::DerefMut for FrameBox {
    fn deref_mut(&mut self) -> &mut Frame {
        // SAFETY: the box owns a live frame, uniquely.
        unsafe { self.0.as_mut() }
    }
}

impl Drop for FrameBox {
    #[inline]
    fn drop(&mut self) {
        // SAFETY: the box owns a live frame. Its slot buffers stay in place, emptied, for the
        // next frame made in this memory; every other field is dropped in place, after which
        // the memory holds no other live field.
        unsafe {
            let f = self.0.as_ptr();
            (*f).release();
            // Every field is named: a new one must be dropped here (or say why not).
            let Frame { code, func, globals, builtins, borrowed_ns, locals, fast: _, stack: _, ip: _, lasti: _, reraise_at: _, pending_throw, init_self, frame_obj: _, generator } =
                &mut *f;
            if !generator.is_null() {
                // An inline generator frame dropped without returning (its loop was left by
                // an error): the generator is finished.
                drop(crate::objects::genobject::inline_finished(core::mem::replace(generator, null_mut()), None));
            }
            if !*borrowed_ns {
                core::ptr::drop_in_place(globals);
                core::ptr::drop_in_place(builtins);
            }
            core::ptr::drop_in_place(code);
            core::ptr::drop_in_place(func);
            core::ptr::drop_in_place(locals);
            core::ptr::drop_in_place(pending_throw);
            core::ptr::drop_in_place(init_self);
            pool::put(self.0);
        }
    }
}

/// The pool behind [`FrameBox`]: unused frame memory that keeps the emptied buffers of its
/// locals and value stack (with their capacity). Bounded, so a deep recursion that unwinds
/// does not keep its peak.
mod pool {
    use core::cell::{Cell, UnsafeCell};
    use core::mem::MaybeUninit;
    use core::ptr::{null_mut, NonNull};

    use super::{Frame, FrameBox};

    const MAX_FRAMES: usize = 128;
    const MAX_LISTS: usize = 32;

    /// Empty frame lists with their buffers, for `FrameList`.
    struct Lists {
        free: UnsafeCell<[(usize, usize); MAX_LISTS]>,
        len: Cell<usize>,
    }

    // SAFETY: touched only by code holding the GIL.
    unsafe impl Sync for Lists {}

    static LISTS: Lists = Lists { free: UnsafeCell::new([(0, 0); MAX_LISTS]), len: Cell::new(0) };

    /// An empty frame list, with the buffer of one used before if there is one.
    pub(super) fn take_list() -> Vec<FrameBox> {
        let n = LISTS.len.get();
        if n == 0 {
            return Vec::with_capacity(8);
        }
        LISTS.len.set(n - 1);
        // SAFETY: GIL held; entries below `len` are the (pointer, capacity) of empty lists
        // given to `put_list`.
        unsafe {
            let (p, cap) = (*LISTS.free.get())[n - 1];
            Vec::from_raw_parts(p as *mut FrameBox, 0, cap)
        }
    }

    /// Keeps an empty list's buffer for `take_list` (or frees it when the pool is full).
    pub(super) fn put_list(v: Vec<FrameBox>) {
        debug_assert!(v.is_empty());
        let n = LISTS.len.get();
        if n >= MAX_LISTS || v.capacity() == 0 {
            return;
        }
        let mut v = core::mem::ManuallyDrop::new(v);
        // SAFETY: GIL held; slot `n` is free; the buffer is owned by the pool from now on.
        unsafe { (*LISTS.free.get())[n] = (v.as_mut_ptr() as usize, v.capacity()) };
        LISTS.len.set(n + 1);
    }

    /// Unused frames: memory whose `fast` and `stack` fields hold empty buffers and whose
    /// other fields are not initialized. Shared by all threads: frames are made and dropped
    /// only with the GIL held.
    struct Pool {
        free: UnsafeCell<[*mut Frame; MAX_FRAMES]>,
        len: Cell<usize>,
    }

    // SAFETY: touched only by code holding the GIL.
    unsafe impl Sync for Pool {}

    static POOL: Pool = Pool { free: UnsafeCell::new([null_mut(); MAX_FRAMES]), len: Cell::new(0) };

    /// Memory for a frame: its `fast` and `stack` fields hold empty buffers, the other fields
    /// are for the caller to write.
    #[inline(always)]
    pub(super) fn take() -> NonNull<Frame> {
        let n = POOL.len.get();
        if n > 0 {
            POOL.len.set(n - 1);
            // SAFETY: GIL held; entries below `len` are pooled frames, non-NULL.
            return unsafe { NonNull::new_unchecked((*POOL.free.get())[n - 1]) };
        }
        fresh()
    }

    /// New memory for a frame, when the pool is empty.
    #[inline(never)]
    fn fresh() -> NonNull<Frame> {
        let p: *mut Frame = Box::leak(Box::<MaybeUninit<Frame>>::new_uninit()).as_mut_ptr().cast();
        // SAFETY: fresh memory laid out for a Frame; only the buffers are written.
        unsafe {
            (&raw mut (*p).fast).write(Vec::new());
            (&raw mut (*p).stack).write(Vec::new());
        }
        NonNull::new(p).expect("allocated memory")
    }

    /// Returns a dropped frame's memory.
    ///
    /// # Safety
    /// `p` came from [`take`]; its `fast` and `stack` are empty and its other fields dropped.
    #[inline(always)]
    pub(super) unsafe fn put(p: NonNull<Frame>) {
        let n = POOL.len.get();
        if n >= MAX_FRAMES {
            // SAFETY: as promised by the caller.
            unsafe { free(p) };
            return;
        }
        // SAFETY: GIL held; slot `n` is free.
        unsafe { (*POOL.free.get())[n] = p.as_ptr() };
        POOL.len.set(n + 1);
    }

    /// Frees a dropped frame's memory, when the pool is full.
    ///
    /// # Safety
    /// As for [`put`].
    #[inline(never)]
    unsafe fn free(p: NonNull<Frame>) {
        // SAFETY: the buffers are the only live fields; the memory was allocated by `take` as
        // a Box of MaybeUninit<Frame>.
        unsafe {
            core::ptr::drop_in_place(&raw mut (*p.as_ptr()).fast);
            core::ptr::drop_in_place(&raw mut (*p.as_ptr()).stack);
            drop(Box::from_raw(p.as_ptr() as *mut MaybeUninit<Frame>));
        }
    }
}

/// The frame list of one run of the evaluation loop (`run`), holding its entry frame at first.
/// Its buffer comes from and goes back to a bounded pool (shared, under the GIL), so a call
/// into Python from C, or a generator's resumption, allocates no list.
pub struct FrameList(Vec<FrameBox>);

impl FrameList {
    pub fn new(entry: FrameBox) -> FrameList {
        let mut v = pool::take_list();
        v.push(entry);
        FrameList(v)
    }
}

impl core::ops::Deref for FrameList {
    type Target = Vec<FrameBox>;
    fn deref(&self) -> &Vec<FrameBox> {
        &self.0
    }
}

impl core::ops::DerefMut for FrameList {
    fn deref_mut(&mut self) -> &mut Vec<FrameBox> {
        &mut self.0
    }
}

impl Drop for FrameList {
    fn drop(&mut self) {
        // Frames still listed are dropped first (their finalizers may use the pool), innermost
        // first.
        while let Some(frame) = self.0.pop() {
            drop(frame);
        }
        pool::put_list(core::mem::take(&mut self.0));
    }
}

thread_local! {
    /// The exception being handled (`sys.exception()`), owned, or NULL.
    static HANDLED: Cell<*mut PyObject> = const { Cell::new(null_mut()) };
    /// Python frames active on this thread, for the recursion limit.
    static DEPTH: Cell<u32> = const { Cell::new(0) };
    static RECURSION_LIMIT: Cell<u32> = const { Cell::new(1000) };
    /// The frame lists of the evaluation loops running on this thread (innermost last), so
    /// built-ins like `globals()` can see the calling frame.
    static RUNNING: core::cell::RefCell<Vec<*const Vec<FrameBox>>> = const { core::cell::RefCell::new(Vec::new()) };
    /// The handled exceptions (owned or NULL) of the callers of the generators running on
    /// this thread, innermost last: a generator runs with its own `HANDLED` and sees its
    /// callers' when it handles none (CPython's `exc_info` chain).
    static OUTER_HANDLED: core::cell::RefCell<Vec<*mut PyObject>> = const { core::cell::RefCell::new(Vec::new()) };
}

/// What a thread state had on its thread when the thread swapped to another state
/// (`PyThreadState_Swap`): its running evaluation loops, its current and handled exceptions
/// and its depth of Python frames. Each thread state has its own, as in CPython, so code run
/// in a sub-interpreter sees none of its caller's frames or exceptions.
#[derive(Default)]
pub struct SwappedOut {
    loops: Vec<*const Vec<FrameBox>>,
    /// Owned or NULL.
    handled: *mut PyObject,
    /// Owned or NULL each.
    outer_handled: Vec<*mut PyObject>,
    depth: u32,
    error: Option<PyErr>,
}

impl SwappedOut {
    /// Drops what it holds (its thread state is cleared without becoming current again).
    pub fn discard(self) {
        for p in core::iter::once(self.handled).chain(self.outer_handled) {
            // SAFETY: owned references or NULL, released once; the caller is attached.
            unsafe { crate::object::xdecref(p) };
        }
    }
}

/// Takes the thread's per-thread-state VM state away (its thread swaps to another state),
/// leaving it as a new thread state's.
pub fn swap_out() -> SwappedOut {
    SwappedOut {
        loops: RUNNING.with(|r| core::mem::take(&mut *r.borrow_mut())),
        handled: swap_handled(null_mut()),
        outer_handled: OUTER_HANDLED.with(|o| core::mem::take(&mut *o.borrow_mut())),
        depth: DEPTH.with(|d| d.replace(0)),
        error: PyErr::take(),
    }
}

/// Gives the thread back what [`swap_out`] took (its state is current again). What the thread
/// has meanwhile (normally nothing) stays innermost.
pub fn swap_in(saved: SwappedOut) {
    RUNNING.with(|r| {
        let mut r = r.borrow_mut();
        let newer = core::mem::replace(&mut *r, saved.loops);
        r.extend(newer);
    });
    OUTER_HANDLED.with(|o| {
        let mut o = o.borrow_mut();
        let newer = core::mem::replace(&mut *o, saved.outer_handled);
        o.extend(newer);
    });
    if !saved.handled.is_null() {
        let old = swap_handled(saved.handled);
        // SAFETY: HANDLED held NULL or an owned reference.
        unsafe { crate::object::xdecref(old) };
    }
    DEPTH.with(|d| d.set(d.get() + saved.depth));
    if let Some(e) = saved.error {
        if PyErr::take().is_none() {
            e.restore();
        }
    }
}

/// This thread's list of running evaluation loops, as an address another thread can keep
/// (`ThreadState::running`) and read with [`with_innermost_frame_in`].
pub fn running_lists() -> *const core::ffi::c_void {
    RUNNING.with(|r| r as *const core::cell::RefCell<Vec<*const Vec<FrameBox>>> as *const core::ffi::c_void)
}

/// Calls `f` with the innermost running frame of the thread whose [`running_lists`] is
/// `lists`, if it runs one.
///
/// # Safety
/// `lists` came from `running_lists` on a thread that is still alive, and the caller holds the
/// GIL (so that thread is not running Python and its frames stay put).
pub unsafe fn with_innermost_frame_in<R>(lists: *const core::ffi::c_void, f: impl FnOnce(&Frame) -> R) -> Option<R> {
    // SAFETY: guaranteed by the caller.
    let cell = unsafe { &*(lists as *const core::cell::RefCell<Vec<*const Vec<FrameBox>>>) };
    let p = cell.try_borrow().ok()?.last().copied()?;
    // SAFETY: as in `with_current_frame`.
    let frames = unsafe { &*p };
    frames.last().map(|b| f(b))
}

/// Calls `f` with the innermost running Python frame, if any.
pub fn with_current_frame<R>(f: impl FnOnce(&Frame) -> R) -> Option<R> {
    let p = RUNNING.with(|r| r.borrow().last().copied())?;
    // SAFETY: the pointer is pushed by `run` for the duration of the loop that owns the list;
    // built-ins are called from inside that loop, so the list and its frames are alive.
    let frames = unsafe { &*p };
    frames.last().map(|b| f(b))
}

/// Calls `f` with the running Python frame `depth` frames out from the innermost (0), if the
/// stack is that deep (`sys._getframe(depth)`).
pub fn with_frame_at<R>(depth: usize, f: impl FnOnce(&Frame) -> R) -> Option<R> {
    let lists: Vec<*const Vec<FrameBox>> = RUNNING.with(|r| r.borrow().clone());
    let mut remaining = depth;
    for &p in lists.iter().rev() {
        // SAFETY: as in `with_current_frame`: every listed loop is still running below us.
        let frames = unsafe { &*p };
        for fr in frames.iter().rev() {
            if remaining == 0 {
                return Some(f(fr));
            }
            remaining -= 1;
        }
    }
    None
}

/// Calls `f` with the running frame that called `frame` (the next one out), if any.
pub fn with_caller_of<R>(frame: *const Frame, f: impl FnOnce(&Frame) -> R) -> Option<R> {
    let lists: Vec<*const Vec<FrameBox>> = RUNNING.with(|r| r.borrow().clone());
    let mut found = false;
    for &p in lists.iter().rev() {
        // SAFETY: as in `with_current_frame`: every listed loop is still running below us.
        let frames = unsafe { &*p };
        for fr in frames.iter().rev() {
            if found {
                return Some(f(fr));
            }
            found = core::ptr::eq(&**fr, frame);
        }
    }
    None
}

/// Where the Python frame `level` frames out from the innermost one (1: the innermost) is:
/// its code's filename, its current line, and its globals' `__name__` — what a warning's
/// `stacklevel` points at.
pub fn frame_location(level: usize) -> Option<(String, u32, String)> {
    let lists: Vec<*const Vec<FrameBox>> = RUNNING.with(|r| r.borrow().clone());
    let mut remaining = level.max(1);
    for &p in lists.iter().rev() {
        // SAFETY: as in `with_current_frame`: every listed loop is still running below us.
        let frames = unsafe { &*p };
        for f in frames.iter().rev() {
            remaining -= 1;
            if remaining == 0 {
                let file = unicode::as_str_lossy(&f.code().filename).into_owned();
                let module = dict::get_item_str(&f.globals, "__name__")
                    .map(|n| unicode::as_str_lossy(&n).into_owned())
                    .unwrap_or_default();
                return Some((file, f.lineno(), module));
            }
        }
    }
    None
}

/// `sys.exception()`: the exception being handled, if any.
pub fn handled_exception() -> Option<PyRef> {
    let mut p = HANDLED.with(Cell::get);
    if p.is_null() {
        p = OUTER_HANDLED.with(|o| o.borrow().iter().rev().copied().find(|p| !p.is_null()).unwrap_or(null_mut()));
    }
    // SAFETY: HANDLED holds NULL or a live owned exception.
    unsafe { slot::opt_arg(p) }.map(Obj::new_ref)
}

/// `PyErr_SetHandledException`: makes `e` (None or NULL: no exception) the exception being
/// handled, as `sys.exception()` reports it.
pub fn set_handled_exception(e: Option<&Obj>) {
    let new = e.filter(|e| !e.is(none::none_obj())).map_or(null_mut(), |e| e.new_ref().into_raw());
    let old = swap_handled(new);
    // SAFETY: HANDLED held NULL or an owned reference.
    unsafe { crate::object::xdecref(old) };
}

fn swap_handled(p: *mut PyObject) -> *mut PyObject {
    HANDLED.with(|h| h.replace(p))
}

/// Resuming a generator: its own handled exception (owned or NULL) becomes the current one;
/// the caller's is kept aside until `leave_generator_exc`.
pub fn enter_generator_exc(own: *mut PyObject) {
    let caller = swap_handled(own);
    OUTER_HANDLED.with(|o| o.borrow_mut().push(caller));
}

/// The generator stopped running: returns its handled exception (owned or NULL; what it is
/// handling at a yield) and restores the caller's.
pub fn leave_generator_exc() -> *mut PyObject {
    let caller = OUTER_HANDLED.with(|o| o.borrow_mut().pop()).expect("a generator's caller state");
    swap_handled(caller)
}

pub fn recursion_limit() -> u32 {
    RECURSION_LIMIT.with(Cell::get)
}

pub fn set_recursion_limit(n: u32) {
    RECURSION_LIMIT.with(|l| l.set(n));
}

thread_local! {
    /// The lowest stack address this thread may reach before `check_stack` raises (0: not
    /// computed yet).
    static STACK_LIMIT: Cell<usize> = const { Cell::new(0) };
    /// Set while a stack-overflow `RecursionError` is being made.
    static HEADROOM: Cell<bool> = const { Cell::new(false) };
}

/// This thread's stack floor plus a margin for the work that follows a `RecursionError`
/// (unwinding, tracebacks, printing): a quarter of the stack, at most 1 MiB.
fn stack_limit() -> usize {
    let l = STACK_LIMIT.with(Cell::get);
    if l != 0 {
        return l;
    }
    let (addr, size) = thread_stack();
    let limit = if addr == 0 { 1 } else { addr + (size / 4).min(1 << 20) };
    STACK_LIMIT.with(|c| c.set(limit));
    limit
}

/// The lowest address and the size of this thread's stack ((0, 0) if unknown).
fn thread_stack() -> (usize, usize) {
    // SAFETY: querying this thread's own attributes into a zeroed, then destroyed, attr.
    unsafe {
        let mut attr: libc::pthread_attr_t = core::mem::zeroed();
        let mut addr: *mut libc::c_void = null_mut();
        let mut size: libc::size_t = 0;
        if libc::pthread_getattr_np(libc::pthread_self(), &mut attr) == 0 {
            libc::pthread_attr_getstack(&attr, &mut addr, &mut size);
            libc::pthread_attr_destroy(&mut attr);
        }
        (addr as usize, size)
    }
}

/// CPython 3.14+'s `_Py_CheckRecursiveCall`, which callers reach once the stack check has
/// failed: a `RecursionError` saying how much of the thread's stack is in use (nothing while
/// that error is being made).
pub fn stack_overflow(where_: &str) -> PyResult<()> {
    if HEADROOM.with(Cell::get) {
        return Ok(());
    }
    let here = 0u8;
    let (addr, size) = thread_stack();
    let top = addr + size;
    let used_kb = top.saturating_sub(&here as *const u8 as usize) / 1024;
    HEADROOM.with(|h| h.set(true));
    let e = raise!(RecursionError, "Stack overflow (used {} kB){}", used_kb, where_);
    HEADROOM.with(|h| h.set(false));
    Err(e)
}

/// CPython 3.12+'s C-stack protection: native code that recurses (repr, comparison, calls
/// back into Python) raises `RecursionError` before the thread's stack runs out.
#[inline]
pub fn check_stack(where_: &str) -> PyResult<()> {
    let here = 0u8;
    if (&here as *const u8 as usize) < stack_limit() && !HEADROOM.with(Cell::get) {
        // Making the exception calls back into the runtime, which checks again: it gets the
        // margin's headroom (CPython's `recursion_headroom`).
        HEADROOM.with(|h| h.set(true));
        let e = raise!(RecursionError, "maximum recursion depth exceeded{}", where_);
        HEADROOM.with(|h| h.set(false));
        return Err(e);
    }
    Ok(())
}

fn enter_frame() -> PyResult<()> {
    check_stack("")?;
    count_frame()
}

#[inline(always)]
fn count_frame() -> PyResult<()> {
    let d = DEPTH.with(|d| {
        let v = d.get() + 1;
        d.set(v);
        v
    });
    if d > recursion_limit() {
        DEPTH.with(|x| x.set(x.get() - 1));
        return Err(raise!(RecursionError, "maximum recursion depth exceeded"));
    }
    Ok(())
}

fn leave_frame() {
    DEPTH.with(|d| d.set(d.get() - 1));
}

/// `Py_EnterRecursiveCall(where)`: C code that recurses counts against the same limit as
/// Python frames (as CPython 3.11 did; 3.12+ measure the C stack instead).
pub fn enter_recursive_call(where_: &str) -> PyResult<()> {
    check_stack(where_)?;
    let d = DEPTH.with(|d| {
        let v = d.get() + 1;
        d.set(v);
        v
    });
    if d > recursion_limit() {
        DEPTH.with(|x| x.set(x.get() - 1));
        return Err(raise!(RecursionError, "maximum recursion depth exceeded{}", where_));
    }
    Ok(())
}

/// `Py_LeaveRecursiveCall`.
pub fn leave_recursive_call() {
    DEPTH.with(|d| d.set(d.get().saturating_sub(1)));
}

/// `_Py_CheckRecursiveCall(tstate, where)`: whether the current depth is past the limit,
/// without counting a level.
pub fn check_recursion(where_: &str) -> PyResult<()> {
    if DEPTH.with(Cell::get) > recursion_limit() {
        return Err(raise!(RecursionError, "maximum recursion depth exceeded{}", where_));
    }
    Ok(())
}

/// Runs a code object to completion in a new frame (module bodies, `exec`).
pub fn run_code(code_obj: &Obj, globals: &Obj, locals: Option<&Obj>) -> PyResult<PyRef> {
    let builtins = builtins_of(globals)?;
    let frame = Frame::new(code_obj.new_ref(), globals.new_ref(), builtins, locals.map(Obj::new_ref), None);
    eval(frame)
}

/// Runs a code object with free variables as `exec(code, globals, locals, closure=...)` does:
/// in a frame of `func` (made for it, holding the closure) with `locals` as its namespace.
pub fn run_code_in_function(code_obj: &Obj, globals: &Obj, locals: &Obj, func: PyRef) -> PyResult<PyRef> {
    let builtins = builtins_of(globals)?;
    let frame = Frame::new(code_obj.new_ref(), globals.new_ref(), builtins, Some(locals.new_ref()), Some(func));
    eval(frame)
}

/// The builtins namespace for `globals`: its `__builtins__` (a module or dict), else the
/// `builtins` module's dict.
pub fn builtins_of(globals: &Obj) -> PyResult<PyRef> {
    if let Some(b) = dict::get_item_str(globals, "__builtins__") {
        if crate::objects::module::check(&b) {
            return Ok(crate::objects::module::dict_of(&b).new_ref());
        }
        if dict::check(&b) {
            return Ok(b);
        }
    }
    Ok(crate::objects::module::dict_of(&crate::builtins::module()).new_ref())
}

/// Vectorcall of a Python function from outside the loop: a new loop runs its frame.
pub unsafe extern "C" fn function_vectorcall(
    callable: *mut PyObject,
    args: *const *mut PyObject,
    nargsf: usize,
    kwnames: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: vectorcall contract.
    let r = unsafe {
        let f = slot::arg(callable);
        let nargs = nargsf & !PY_VECTORCALL_ARGUMENTS_OFFSET;
        args::frame_for_call(f, args, nargs, kwnames).and_then(eval)
    };
    slot::ret_obj(r)
}

/// What an instruction does to the flow of frames.
enum Flow {
    /// Go on with the next instruction.
    Next,
    /// Push this frame (a Python-to-Python call) and run it.
    Call(FrameBox),
    /// The frame returned this value.
    Return(PyRef),
    /// A generator frame suspended itself, handing out this value.
    Yield(PyRef),
    /// `RETURN_GENERATOR`: the frame becomes a generator object returned to the caller.
    Generator,
}

/// How a run of the evaluation loop ended.
pub enum Exit {
    Return(PyRef),
    /// The entry frame (a generator's) yielded; it is left in the frame list.
    Yield(PyRef),
}

/// The evaluation loop: runs `entry` and every Python frame it calls.
pub fn eval(entry: FrameBox) -> PyResult<PyRef> {
    let mut frames = FrameList::new(entry);
    match run(&mut frames)? {
        Exit::Return(v) => Ok(v),
        Exit::Yield(_) => Err(raise!(SystemError, "yield outside a generator frame")),
    }
}

/// Runs the frames in `frames` (the first is the entry frame) until the entry frame returns
/// or yields. On a yield, the entry frame stays in `frames` for the caller to keep.
pub fn run(frames: &mut Vec<FrameBox>) -> PyResult<Exit> {
    enter_frame()?;
    RUNNING.with(|r| r.borrow_mut().push(frames as *const Vec<FrameBox>));
    let result = run_frames(frames);
    RUNNING.with(|r| r.borrow_mut().pop());
    match &result {
        Ok(Exit::Yield(_)) => leave_frame(),
        _ => {
            // Frames still on the stack (an error escaped) are released here, innermost first
            // (an inline generator's frame restores its caller's handled exception).
            while let Some(frame) = frames.pop() {
                leave_frame();
                drop(frame);
            }
        }
    }
    result
}

fn run_frames(frames: &mut Vec<FrameBox>) -> PyResult<Exit> {
    loop {
        let f = frames.last_mut().expect("a frame to run");
        let flow = match f.pending_throw.take() {
            Some(e) => Err(e),
            None => step_until_flow(frames),
        };
        match flow {
            Ok(Flow::Next) => unreachable!(),
            Ok(Flow::Call(callee)) => {
                // A Python-to-Python call uses no C stack: only the depth is counted.
                if let Err(e) = count_frame() {
                    // The call failed before its frame started: raise in the caller.
                    drop(callee);
                    if let Some(r) = unwind(frames, e)? {
                        return Ok(Exit::Return(r));
                    }
                    continue;
                }
                frames.push(callee);
            }
            Ok(Flow::Return(v)) => {
                let mut done = frames.pop().expect("the returning frame");
                leave_frame();
                if !done.generator.is_null() {
                    return_inline(frames, done, v);
                    continue;
                }
                let v = match done.init_self.take() {
                    None => Ok(v),
                    Some(obj) if v.is(none::none_obj()) => Ok(obj),
                    Some(_) => Err(raise!(TypeError, "__init__() should return None, not '{}'", v.ob_type().name())),
                };
                drop(done);
                match (v, frames.last_mut()) {
                    (Ok(v), Some(caller)) => caller.push(v),
                    (Ok(v), None) => return Ok(Exit::Return(v)),
                    (Err(e), _) => {
                        if let Some(r) = unwind(frames, e)? {
                            return Ok(Exit::Return(r));
                        }
                    }
                }
            }
            Ok(Flow::Yield(v)) if frames.last().is_some_and(|f| !f.generator.is_null()) => suspend_inline(frames, v),
            Ok(Flow::Yield(v)) => return Ok(Exit::Yield(v)),
            Ok(Flow::Generator) => {
                let frame = frames.pop().unwrap();
                leave_frame();
                let generator = crate::objects::genobject::new(frame);
                match frames.last_mut() {
                    Some(caller) => caller.push(generator),
                    None => return Ok(Exit::Return(generator)),
                }
            }
            Err(e) => {
                if let Some(r) = unwind(frames, e)? {
                    return Ok(Exit::Return(r));
                }
            }
        }
    }
}

/// Handles exception `e` raised in the top frame: jumps to a handler in it or in a caller
/// (popping frames without one), recording traceback entries on the way. `Err` when no frame
/// handles it; `Ok(None)` to go on running.
fn unwind(frames: &mut Vec<FrameBox>, e: PyErr) -> PyResult<Option<PyRef>> {
    let mut e = e;
    loop {
        let Some(f) = frames.last_mut() else { return Err(e) };
        let at = match f.reraise_at.take() {
            Some(at) => at,
            None => {
                chain_context(e.value());
                // The frame object lets `traceback` see the frame (`tb_frame`).
                let fo = crate::objects::frameobject::of(f).ok();
                // SAFETY: `of` returns the frame's own object (borrowed), alive while the frame is.
                let fo = fo.map(|p| unsafe { Obj::from_ptr(p) });
                crate::traceback::add_frame_entry(e.value(), fo, &f.code, f.lasti, f.lineno());
                f.lasti
            }
        };
        // A handler runs with exactly its depth below what it is given (the hot loop's
        // verified depths rely on it): an instruction that popped below that (bytecode made
        // by hand) does not enter it.
        if let Some(h) = f.code().handler_for(at as u32).filter(|h| f.stack.len() >= h.depth as usize) {
            while f.stack.len() > h.depth as usize {
                let p = f.pop_raw();
                // SAFETY: owned or NULL.
                unsafe { crate::object::xdecref(p) };
            }
            if h.lasti {
                let lasti = f.lasti;
                f.push(long::from_i64(lasti as i64));
            }
            f.push(e.into_value());
            f.ip = h.target as usize;
            return Ok(None);
        }
        let mut done = frames.pop().expect("the frame unwound");
        leave_frame();
        if !done.generator.is_null() {
            // An inline generator raised: it is finished, and its caller gets the error at
            // its `FOR_ITER_GEN`.
            let g = core::mem::replace(&mut done.generator, null_mut());
            drop(done);
            // SAFETY: the generator reference the frame held.
            e = unsafe { genobject::inline_finished(g, Some(e)) }.expect("the error goes on");
        } else {
            drop(done);
        }
        if frames.is_empty() {
            return Err(e);
        }
    }
}

/// Sets `__context__` of an exception raised while another is being handled (implicit
/// chaining), unless that would create a cycle — as CPython's `_PyErr_SetObject` does.
fn chain_context(e: &Obj) {
    let Some(handled) = handled_exception() else { return };
    if handled.is(e) || exc::context(e).is_some() {
        return;
    }
    // Break a cycle: if `e` is already in the handled exception's context chain, cut it there.
    // The chain may itself loop (user code can set `__context__`): a second cursor moving at
    // half speed meets the first one then (Floyd's), and the walk stops.
    let mut cur = handled.clone();
    let mut slow = handled.clone();
    let mut move_slow = false;
    loop {
        let next = exc::context(&cur).map(Obj::new_ref);
        match next {
            Some(n) if n.is(e) => {
                exc::set_context(&cur, None);
                break;
            }
            Some(n) => cur = n,
            None => break,
        }
        if cur.is(&slow) {
            break;
        }
        if move_slow {
            slow = exc::context(&slow).map(Obj::new_ref).expect("the slow cursor trails the fast one");
        }
        move_slow = !move_slow;
    }
    exc::set_context(e, Some(&handled));
}

/// Decodes the instruction at `ip` (folding EXTENDED_ARG), advancing past its caches.
#[inline(always)]
fn fetch(code: &[Cell<CodeUnit>], ip: &mut usize) -> (Opcode, u32) {
    let mut arg: u32 = 0;
    loop {
        let u = code[*ip].get();
        let op = Opcode::from_u8(u as u8).unwrap_or(Opcode::NOP);
        arg |= (u >> 8) as u32;
        if op == Opcode::EXTENDED_ARG {
            arg <<= 8;
            *ip += 1;
            continue;
        }
        *ip += instruction_len(op);
        return (op, arg);
    }
}

/// Runs instructions of the top frame until it calls, returns or raises in a way the hot
/// loop does not handle itself (the hot loop enters and leaves plain Python-to-Python calls
/// without coming back here).
#[inline(always)]
fn step_until_flow(frames: &mut Vec<FrameBox>) -> PyResult<Flow> {
    // The hot instructions run in `hot_loop` (the value stack as a raw pointer in a
    // register); it hands back anything else, which runs here one instruction at a time. With
    // `-X pystats` every instruction goes the slow way, to be counted.
    let hot = !stats::on();
    loop {
        if hot {
            if let Some(flow) = hot_loop(frames)? {
                return Ok(flow);
            }
        }
        let f = frames.last_mut().expect("a frame to run");
        // SAFETY: the frame owns its code object and never replaces it, so the code outlives
        // this call; its units are read without re-borrowing `f`.
        let code_obj: &Obj = unsafe { Obj::from_ptr(f.code.as_ptr()) };
        let cd = code::data(code_obj);
        let units = code::adaptive(code_obj);
        let mut ip = f.ip;
        loop {
            // `f.lasti` (the instruction running, for tracebacks and line numbers) is stored
            // as each one starts.
            f.lasti = ip;
            let (op, arg) = fetch(units, &mut ip);
            stats::executed(op);
            let r = execute(f, cd, units, op, arg, &mut ip);
            f.ip = ip;
            match r {
                Ok(Flow::Next) if hot => break,
                Ok(Flow::Next) => {}
                r => return r,
            }
        }
    }
}

/// Runs the commonest instructions on their fast paths (locals, constants, jumps, small-int
/// and float arithmetic, exact-bool branches, specialized attribute and global loads...), and
/// calls of and returns from Python functions, switching frames itself, until an instruction
/// that is not among them, or not on its fast path, comes up; that one is left at the top
/// frame's `ip` for `execute`. The inner loop calls out only to deallocate, before which the
/// frame is made consistent; calls of built-ins and generators (`call_native`,
/// `for_iter_gen`) are made after it, like frame switches, with the frame stored back.
///
/// `Some(Flow::Return(v))`/`Some(Flow::Yield(v))` when the frame this run of the loop
/// started with returned or yielded `v` (its frame is still listed, as after `execute`'s
/// `RETURN_VALUE`/`YIELD_VALUE`).
#[inline(never)]
fn hot_loop(frames: &mut Vec<FrameBox>) -> PyResult<Option<Flow>> {
    use crate::bytecode::instructions::op_byte as B;
    use Opcode::*;
    let (true_, false_) = (bool_::_Py_TrueStruct.obj().as_ptr(), bool_::_Py_FalseStruct.obj().as_ptr());
    // Each turn runs the top frame; a call or a return switches frames and starts a new turn.
    loop {
        let f: &mut Frame = frames.last_mut().expect("a frame to run");
        // SAFETY: the frame owns its code object and never replaces it; the code outlives the
        // turn (a return drops the frame only after its last use of `cd`/`units`).
        let code_obj: &Obj = unsafe { Obj::from_ptr(f.code.as_ptr()) };
        // Only verified bytecode runs here (`bytecode::verify`): every instruction start the
        // frame can reach holds a valid opcode, its local and constant operands are in range, and
        // the stack depth there is fixed and within `co_stacksize`, below the stack's capacity.
        // The arms below rely on that instead of checking (`verified!` asserts it in debug
        // builds); the rest stays checked.
        if !code::verified(code_obj) {
            return Ok(None);
        }
        let cd = code::data(code_obj);
        let units = code::adaptive(code_obj);
        // The instruction pointer (`pc`) and the top of the value stack (`top`) are pointers, as
        // CPython's `next_instr` and `stack_pointer`: one register each while the frame runs,
        // stored back (as indices) on every way out.
        let first_unit = units.as_ptr();
        let mut pc = units[f.ip..].as_ptr();
        let consts = tuple::items(&cd.consts);
        let cap = f.stack.capacity();
        let stack = f.stack.as_mut_ptr();
        let fast = f.fast.as_mut_ptr();
        let nfast = f.fast.len();
        let mut top = stack.wrapping_add(f.stack.len());
        let mut switch = Switch::None;
        // SAFETY: `stack` has `cap` slots of which those below `top` are live; `fast` has `nfast`
        // slots; `pc` points into `units`; every index and offset is checked before use or proved
        // in range by the verifier (see above); slots hold owned references or NULL.
        unsafe {
            // The instruction pointer and the stack depth as indices (for the frame, caches and
            // assertions).
            macro_rules! ip {
                () => {
                    pc.offset_from(first_unit) as usize
                };
            }
            macro_rules! depth {
                () => {
                    top.offset_from(stack) as usize
                };
            }
            macro_rules! verified {
                ($c:expr) => {
                    debug_assert!($c, "verified bytecode broke at {}", ip!())
                };
            }
            // The inline cache of the instruction at `pc`, of family `$family`: a view of the
            // instruction through its last cache entry (inside the code: verified), so that
            // reads at constant offsets need no bounds checks.
            macro_rules! cache {
                ($family:expr) => {
                    Cache::new(core::slice::from_raw_parts(pc, 1 + $family.cache_entries()), 1)
                };
            }
            macro_rules! push {
                ($p:expr) => {{
                    *top = $p;
                    top = top.add(1);
                }};
            }
            // Drops a reference; if that would free the object, the frame is synced first (a
            // finalizer may look at it).
            macro_rules! release {
                ($p:expr) => {{
                    let p = $p;
                    if (*p).ob_refcnt as u32 <= 1 {
                        f.stack.set_len(depth!());
                        f.lasti = ip!();
                    }
                    crate::object::xdecref(p);
                }};
            }
            // A specialized comparison's result `$r`, with `pc` past the comparison: when a
            // `POP_JUMP_IF_FALSE`/`_TRUE` follows (as in `if`/`while` tests), that jump is taken
            // or not right here, without pushing the bool (one dispatch less: CPython 3.11's
            // `COMPARE_OP_*_JUMP`); otherwise the bool is pushed.
            macro_rules! compare_and_branch {
                ($r:expr) => {{
                    let r: bool = $r;
                    // A comparison is never last (the verifier refuses a fall-through off the end).
                    verified!(ip!() < units.len());
                    let next = (*pc).get();
                    match next as u8 {
                        B::POP_JUMP_IF_FALSE | B::POP_JUMP_IF_TRUE => {
                            pc = pc.add(2);
                            if r == (next as u8 == B::POP_JUMP_IF_TRUE) {
                                pc = pc.add((next >> 8) as usize);
                            }
                        }
                        _ => push!(if r { true_ } else { false_ }),
                    }
                }};
            }
            loop {
                verified!(ip!() < units.len());
                let u = (*pc).get();
                let arg = (u >> 8) as usize;
                // Dispatch on the opcode byte; an arm that needs the `Opcode` decodes it.
                let b = u as u8;
                match b {
                    B::LOAD_FAST => {
                        verified!(depth!() < cap && arg < nfast);
                        let p = *fast.add(arg);
                        if p.is_null() {
                            break;
                        }
                        crate::object::incref(p);
                        push!(p);
                        pc = pc.add(1);
                    }
                    B::LOAD_CONST => {
                        verified!(depth!() < cap && arg < consts.len());
                        let p = consts.get_unchecked(arg).as_ptr();
                        crate::object::incref(p);
                        push!(p);
                        pc = pc.add(1);
                    }
                    B::LOAD_FAST_LOAD_FAST => {
                        let (a, b) = (arg >> 4, arg & 15);
                        verified!(depth!() + 1 < cap && a < nfast && b < nfast);
                        // Both read before the increfs, which the compiler cannot tell apart
                        // from writes to the locals.
                        let (pa, pb) = (*fast.add(a), *fast.add(b));
                        if pa.is_null() || pb.is_null() {
                            break;
                        }
                        crate::object::incref(pa);
                        crate::object::incref(pb);
                        push!(pa);
                        push!(pb);
                        pc = pc.add(1);
                    }
                    B::STORE_FAST | B::STORE_FAST_STORE_FAST | B::STORE_FAST_LOAD_FAST => {
                        let op = match b { B::STORE_FAST => STORE_FAST, B::STORE_FAST_STORE_FAST => STORE_FAST_STORE_FAST, B::STORE_FAST_LOAD_FAST => STORE_FAST_LOAD_FAST, _ => NOP };
                        let (a, b) = if op == STORE_FAST { (arg, usize::MAX) } else { (arg >> 4, arg & 15) };
                        verified!(depth!() >= 1 && a < nfast);
                        verified!(op == STORE_FAST || (b < nfast && (op != STORE_FAST_STORE_FAST || depth!() >= 2)));
                        if op == STORE_FAST_LOAD_FAST && b != a && (*fast.add(b)).is_null() {
                            break;
                        }
                        top = top.sub(1);
                        let old = core::mem::replace(&mut *fast.add(a), *top);
                        pc = pc.add(1);
                        if !old.is_null() {
                            release!(old);
                        }
                        match op {
                            STORE_FAST_STORE_FAST => {
                                top = top.sub(1);
                                let old = core::mem::replace(&mut *fast.add(b), *top);
                                if !old.is_null() {
                                    release!(old);
                                }
                            }
                            STORE_FAST_LOAD_FAST => {
                                let p = *fast.add(b);
                                if p.is_null() {
                                    // Checked above; only a finalizer run by the store could
                                    // have unbound it.
                                    f.stack.set_len(depth!());
                                    f.lasti = ip!() - 1;
                                    f.ip = ip!();
                                    return Err(unbound_local(cd, b));
                                }
                                crate::object::incref(p);
                                push!(p);
                            }
                            _ => {}
                        }
                    }
                    B::POP_TOP => {
                        verified!(depth!() >= 1);
                        top = top.sub(1);
                        pc = pc.add(1);
                        release!(*top);
                    }
                    B::JUMP_BACKWARD if !crate::gil::drop_requested() => pc = pc.add(2).sub(arg),
                    B::JUMP_FORWARD => pc = pc.add(1 + arg),
                    B::NOP | B::RESUME => pc = pc.add(1),
                    B::PUSH_NULL => {
                        verified!(depth!() < cap);
                        push!(null_mut());
                        pc = pc.add(1);
                    }
                    B::POP_JUMP_IF_FALSE | B::POP_JUMP_IF_TRUE => {
                        verified!(depth!() >= 1);
                        let op = match b { B::POP_JUMP_IF_FALSE => POP_JUMP_IF_FALSE, B::POP_JUMP_IF_TRUE => POP_JUMP_IF_TRUE, _ => NOP };
                        let v = *top.sub(1);
                        if v != true_ && v != false_ {
                            break;
                        }
                        top = top.sub(1);
                        pc = pc.add(2);
                        if (v == true_) == (op == POP_JUMP_IF_TRUE) {
                            pc = pc.add(arg);
                        }
                    }
                    B::COPY if arg >= 1 => {
                        verified!(depth!() < cap && arg <= depth!());
                        let p = *top.sub(arg);
                        crate::object::incref(p);
                        push!(p);
                        pc = pc.add(1);
                    }
                    B::SWAP if arg >= 1 => {
                        verified!(arg <= depth!());
                        core::ptr::swap(top.sub(1), top.sub(arg));
                        pc = pc.add(1);
                    }
                    B::BINARY_OP_ADD_FLOAT | B::BINARY_OP_SUBTRACT_FLOAT | B::BINARY_OP_MULTIPLY_FLOAT | B::BINARY_OP_TRUE_DIVIDE_FLOAT => {
                        verified!(depth!() >= 2);
                        let op = match b { B::BINARY_OP_ADD_FLOAT => BINARY_OP_ADD_FLOAT, B::BINARY_OP_SUBTRACT_FLOAT => BINARY_OP_SUBTRACT_FLOAT, B::BINARY_OP_MULTIPLY_FLOAT => BINARY_OP_MULTIPLY_FLOAT, _ => BINARY_OP_TRUE_DIVIDE_FLOAT };
                        let (a, b) = (Obj::from_ptr(*top.sub(2)), Obj::from_ptr(*top.sub(1)));
                        if !a.is_exact(&float::PyFloat_Type) || !b.is_exact(&float::PyFloat_Type) {
                            break;
                        }
                        let (x, y) = (float::value(a), float::value(b));
                        let r = match op {
                            BINARY_OP_ADD_FLOAT => x + y,
                            BINARY_OP_SUBTRACT_FLOAT => x - y,
                            BINARY_OP_MULTIPLY_FLOAT => x * y,
                            // Division by zero raises on the generic path.
                            _ if y == 0.0 => break,
                            _ => x / y,
                        };
                        top = top.sub(2);
                        let (pa, pb) = (a.as_ptr(), b.as_ptr());
                        push!(float::new(r).into_raw());
                        pc = pc.add(2);
                        release!(pa);
                        release!(pb);
                    }
                    B::BINARY_SUBSCR_LIST_INT => {
                        verified!(depth!() >= 2);
                        let (c, k) = (Obj::from_ptr(*top.sub(2)), Obj::from_ptr(*top.sub(1)));
                        let Some(item) = small_int(k).filter(|_| list::check_exact(c)).and_then(|i| seq_index(i, list::len(c))).and_then(|i| list::get(c, i)) else {
                            break;
                        };
                        let item = item.as_ptr();
                        crate::object::incref(item);
                        top = top.sub(2);
                        let (pl, pk) = (c.as_ptr(), k.as_ptr());
                        push!(item);
                        pc = pc.add(2);
                        release!(pl);
                        release!(pk);
                    }
                    B::STORE_SUBSCR_LIST_INT => {
                        verified!(depth!() >= 3);
                        let (c, k) = (Obj::from_ptr(*top.sub(2)), Obj::from_ptr(*top.sub(1)));
                        let Some(i) = small_int(k).filter(|_| list::check_exact(c)).and_then(|i| seq_index(i, list::len(c))) else { break };
                        let (pl, pk, v) = (c.as_ptr(), k.as_ptr(), *top.sub(3));
                        top = top.sub(3);
                        pc = pc.add(2);
                        let slot = (*(pl as *mut PyListObject)).ob_item.add(i);
                        let old = core::mem::replace(&mut *slot, v);
                        if !old.is_null() {
                            release!(old);
                        }
                        release!(pl);
                        release!(pk);
                    }
                    B::COMPARE_OP_INT | B::BINARY_OP_ADD_INT | B::BINARY_OP_SUBTRACT_INT => {
                        verified!(depth!() >= 2);
                        let op = match b { B::COMPARE_OP_INT => COMPARE_OP_INT, B::BINARY_OP_ADD_INT => BINARY_OP_ADD_INT, B::BINARY_OP_SUBTRACT_INT => BINARY_OP_SUBTRACT_INT, _ => NOP };
                        let (a, b) = (Obj::from_ptr(*top.sub(2)), Obj::from_ptr(*top.sub(1)));
                        let (Some(x), Some(y)) = (small_int(a), small_int(b)) else { break };
                        let (pa, pb) = (a.as_ptr(), b.as_ptr());
                        top = top.sub(2);
                        pc = pc.add(1 + op.cache_entries());
                        if op == COMPARE_OP_INT {
                            let r = compare(x.partial_cmp(&y), arg as u32);
                            compare_and_branch!(r);
                        } else {
                            push!(if op == BINARY_OP_ADD_INT { long::from_i64(x + y) } else { long::from_i64(x - y) }.into_raw());
                        }
                        release!(pa);
                        release!(pb);
                    }
                    B::BINARY_OP_MULTIPLY_INT | B::BINARY_OP_EXTEND_INT => {
                        verified!(depth!() >= 2);
                        let op = match b { B::BINARY_OP_MULTIPLY_INT => BINARY_OP_MULTIPLY_INT, B::BINARY_OP_EXTEND_INT => BINARY_OP_EXTEND_INT, _ => NOP };
                        let (a, b) = (Obj::from_ptr(*top.sub(2)), Obj::from_ptr(*top.sub(1)));
                        let (Some(x), Some(y)) = (small_int(a), small_int(b)) else { break };
                        let v = if op == BINARY_OP_MULTIPLY_INT {
                            x as i128 * y as i128
                        } else {
                            match int_extend(specialize::binary_operator(arg as u32), x, y) {
                                Some(v) => v,
                                None => break,
                            }
                        };
                        top = top.sub(2);
                        let (pa, pb) = (a.as_ptr(), b.as_ptr());
                        push!(long::from_i128(v).into_raw());
                        pc = pc.add(1 + op.cache_entries());
                        release!(pa);
                        release!(pb);
                    }
                    B::COMPARE_OP_FLOAT | B::COMPARE_OP_STR => {
                        verified!(depth!() >= 2);
                        let op = match b { B::COMPARE_OP_FLOAT => COMPARE_OP_FLOAT, B::COMPARE_OP_STR => COMPARE_OP_STR, _ => NOP };
                        let (a, b) = (Obj::from_ptr(*top.sub(2)), Obj::from_ptr(*top.sub(1)));
                        let r = if op == COMPARE_OP_FLOAT {
                            if !a.is_exact(&float::PyFloat_Type) || !b.is_exact(&float::PyFloat_Type) {
                                break;
                            }
                            compare(float::value(a).partial_cmp(&float::value(b)), arg as u32)
                        } else {
                            if !unicode::check_exact(a) || !unicode::check_exact(b) {
                                break;
                            }
                            unicode::eq(a, b) == (arg >> 5 == Py_EQ as usize)
                        };
                        top = top.sub(2);
                        let (pa, pb) = (a.as_ptr(), b.as_ptr());
                        pc = pc.add(1 + op.cache_entries());
                        compare_and_branch!(r);
                        release!(pa);
                        release!(pb);
                    }
                    B::TO_BOOL_BOOL | B::TO_BOOL_INT | B::TO_BOOL_NONE | B::TO_BOOL_LIST | B::TO_BOOL_STR => {
                        verified!(depth!() >= 1);
                        let op = match b { B::TO_BOOL_BOOL => TO_BOOL_BOOL, B::TO_BOOL_INT => TO_BOOL_INT, B::TO_BOOL_NONE => TO_BOOL_NONE, B::TO_BOOL_LIST => TO_BOOL_LIST, B::TO_BOOL_STR => TO_BOOL_STR, _ => NOP };
                        let v = Obj::from_ptr(*top.sub(1));
                        let r = match op {
                            TO_BOOL_BOOL if v.is_exact(&bool_::PyBool_Type) => None,
                            TO_BOOL_INT if v.is_exact(&long::PyLong_Type) => Some(!long::is_zero(v)),
                            TO_BOOL_NONE if v.is(none::none_obj()) => Some(false),
                            TO_BOOL_LIST if list::check_exact(v) => Some(list::len(v) != 0),
                            TO_BOOL_STR if unicode::check_exact(v) => Some(unicode::len(v) != 0),
                            _ => break,
                        };
                        pc = pc.add(1 + op.cache_entries());
                        if let Some(r) = r {
                            *top.sub(1) = if r { true_ } else { false_ };
                            release!(v.as_ptr());
                        }
                    }
                    B::LOAD_GLOBAL_MODULE | B::LOAD_GLOBAL_BUILTIN => {
                        verified!(depth!() + 1 + (arg & 1) < cap);
                        let op = match b { B::LOAD_GLOBAL_MODULE => LOAD_GLOBAL_MODULE, B::LOAD_GLOBAL_BUILTIN => LOAD_GLOBAL_BUILTIN, _ => NOP };
                        let c = cache!(LOAD_GLOBAL);
                        let Some(v) = load_global_hit(op, &f.globals, &f.builtins, &c) else { break };
                        let v = v.as_ptr();
                        crate::object::incref(v);
                        push!(v);
                        if arg & 1 != 0 {
                            push!(null_mut());
                        }
                        pc = pc.add(1 + op.cache_entries());
                    }
                    B::LOAD_ATTR_INSTANCE_VALUE | B::LOAD_ATTR_SLOT | B::LOAD_ATTR_MODULE | B::LOAD_ATTR_CLASS => {
                        verified!(depth!() >= 1 && depth!() + (arg & 1) < cap);
                        let op = match b { B::LOAD_ATTR_INSTANCE_VALUE => LOAD_ATTR_INSTANCE_VALUE, B::LOAD_ATTR_SLOT => LOAD_ATTR_SLOT, B::LOAD_ATTR_MODULE => LOAD_ATTR_MODULE, B::LOAD_ATTR_CLASS => LOAD_ATTR_CLASS, _ => NOP };
                        let owner = Obj::from_ptr(*top.sub(1));
                        let c = cache!(LOAD_ATTR);
                        let Some(v) = load_attr_hit(op, owner, &c, cd, arg as u32) else { break };
                        let v = v.as_ptr();
                        crate::object::incref(v);
                        *top.sub(1) = v;
                        if arg & 1 != 0 {
                            push!(null_mut());
                        }
                        pc = pc.add(1 + op.cache_entries());
                        release!(owner.as_ptr());
                    }
                    B::LOAD_ATTR_METHOD_WITH_VALUES | B::LOAD_ATTR_METHOD_NO_DICT => {
                        // Specialized only for a call (`arg & 1`): pushes two, as verified.
                        verified!(depth!() >= 1 && arg & 1 == 1 && depth!() + 1 < cap);
                        let op = match b { B::LOAD_ATTR_METHOD_WITH_VALUES => LOAD_ATTR_METHOD_WITH_VALUES, B::LOAD_ATTR_METHOD_NO_DICT => LOAD_ATTR_METHOD_NO_DICT, _ => NOP };
                        let owner = *top.sub(1);
                        let c = cache!(LOAD_ATTR);
                        let Some(m) = load_method_hit(op, Obj::from_ptr(owner), &c, cd, arg as u32) else { break };
                        let m = m.as_ptr();
                        crate::object::incref(m);
                        *top.sub(1) = m;
                        push!(owner);
                        pc = pc.add(1 + op.cache_entries());
                    }
                    B::STORE_ATTR_INSTANCE_VALUE => {
                        verified!(depth!() >= 2);
                        let op = STORE_ATTR_INSTANCE_VALUE;
                        let owner = Obj::from_ptr(*top.sub(1));
                        let c = cache!(STORE_ATTR);
                        let name = tuple::get(&cd.names, arg);
                        let Some(at) = store_attr_target(owner, &c, name) else { break };
                        let v = PyRef::from_raw(*top.sub(2));
                        top = top.sub(2);
                        pc = pc.add(1 + op.cache_entries());
                        // The replaced value may be freed, running a finalizer: the frame is synced.
                        f.stack.set_len(depth!());
                        f.lasti = ip!();
                        store_instance_value(owner, name, at, v);
                        release!(owner.as_ptr());
                    }
                    B::LOAD_DEREF => {
                        verified!(depth!() < cap && arg < nfast);
                        let cell = *fast.add(arg);
                        if cell.is_null() {
                            break;
                        }
                        let Some(v) = function::cell_get(Obj::from_ptr(cell)) else { break };
                        let v = v.as_ptr();
                        crate::object::incref(v);
                        push!(v);
                        pc = pc.add(1);
                    }
                    B::FOR_ITER_RANGE => {
                        verified!(depth!() >= 1 && depth!() < cap);
                        let op = FOR_ITER_RANGE;
                        let it = Obj::from_ptr(*top.sub(1));
                        if !crate::objects::range::iter_check(it) {
                            break;
                        }
                        match crate::objects::range::iter_next_value(it) {
                            Some(v) => {
                                push!(long::from_i128(v).into_raw());
                                pc = pc.add(1 + op.cache_entries());
                            }
                            None => {
                                top = top.sub(1);
                                pc = pc.add(1 + op.cache_entries() + arg);
                                release!(it.as_ptr());
                            }
                        }
                    }
                    B::FOR_ITER_LIST | B::FOR_ITER_TUPLE => {
                        verified!(depth!() >= 1 && depth!() < cap);
                        let op = match b { B::FOR_ITER_LIST => FOR_ITER_LIST, _ => FOR_ITER_TUPLE };
                        let is_list = op == FOR_ITER_LIST;
                        let it = Obj::from_ptr(*top.sub(1));
                        if !it.is_exact(if is_list { &list::PyListIter_Type } else { &tuple::PyTupleIter_Type }) {
                            break;
                        }
                        let (i, seq) = iterobject::index_iter_state(it);
                        let next = seq.and_then(|s| {
                            let i = i as usize;
                            if is_list { list::get_ref(s, i) } else { (i < tuple::len(s)).then(|| tuple::get(s, i).new_ref()) }
                        });
                        match next {
                            Some(v) => {
                                iterobject::index_iter_set_index(it, i + 1);
                                push!(v.into_raw());
                                pc = pc.add(1 + op.cache_entries());
                            }
                            None => {
                                top = top.sub(1);
                                pc = pc.add(1 + op.cache_entries() + arg);
                                // Dropping the sequence may run finalizers: the frame is synced.
                                f.stack.set_len(depth!());
                                f.lasti = ip!();
                                iterobject::index_iter_exhaust(it);
                                release!(it.as_ptr());
                            }
                        }
                    }
                    B::BINARY_OP_EXTEND_FLOAT => {
                        verified!(depth!() >= 2);
                        let (x, y) = (Obj::from_ptr(*top.sub(2)), Obj::from_ptr(*top.sub(1)));
                        let Some(r) = specialize::extend_float(specialize::binary_operator(arg as u32), x, y) else { break };
                        top = top.sub(2);
                        let (px, py) = (x.as_ptr(), y.as_ptr());
                        push!(float::new(r).into_raw());
                        pc = pc.add(1 + BINARY_OP_EXTEND_FLOAT.cache_entries());
                        release!(px);
                        release!(py);
                    }
                    B::IS_OP => {
                        verified!(depth!() >= 2);
                        let (x, y) = (*top.sub(2), *top.sub(1));
                        top = top.sub(2);
                        push!(if (x == y) != (arg == 1) { true_ } else { false_ });
                        pc = pc.add(1);
                        release!(x);
                        release!(y);
                    }
                    B::UNARY_NEGATIVE | B::UNARY_INVERT => {
                        verified!(depth!() >= 1);
                        let v = Obj::from_ptr(*top.sub(1));
                        let Some(x) = small_int(v) else { break };
                        let r = if b == B::UNARY_NEGATIVE { -x } else { !x };
                        *top.sub(1) = long::from_i64(r).into_raw();
                        pc = pc.add(1);
                        release!(v.as_ptr());
                    }
                    B::BUILD_TUPLE if arg >= 1 => {
                        verified!(arg <= depth!());
                        // The items move from the stack into the new tuple (allocating never runs
                        // a collection: that waits for an eval break).
                        let t = tuple::alloc(arg).into_raw();
                        let items = (&raw mut (*(t as *mut PyTupleObject)).ob_item) as *mut *mut PyObject;
                        core::ptr::copy_nonoverlapping(top.sub(arg), items, arg);
                        top = top.sub(arg);
                        push!(t);
                        pc = pc.add(1);
                    }
                    B::UNPACK_SEQUENCE_TWO_TUPLE | B::UNPACK_SEQUENCE_TUPLE | B::UNPACK_SEQUENCE_LIST => {
                        verified!(depth!() >= 1 && depth!() - 1 + arg < cap);
                        let op = match b { B::UNPACK_SEQUENCE_TWO_TUPLE => UNPACK_SEQUENCE_TWO_TUPLE, B::UNPACK_SEQUENCE_TUPLE => UNPACK_SEQUENCE_TUPLE, _ => UNPACK_SEQUENCE_LIST };
                        let seq = Obj::from_ptr(*top.sub(1));
                        let items: &[*mut PyObject] = if op == UNPACK_SEQUENCE_LIST {
                            if !list::check_exact(seq) {
                                break;
                            }
                            list::slots(seq)
                        } else {
                            if !seq.is_exact(&tuple::PyTuple_Type) {
                                break;
                            }
                            tuple::items_raw(seq.as_ptr())
                        };
                        if items.len() != arg {
                            break;
                        }
                        top = top.sub(1);
                        for &p in items.iter().rev() {
                            crate::object::incref(p);
                            push!(p);
                        }
                        pc = pc.add(1 + op.cache_entries());
                        release!(seq.as_ptr());
                    }
                    B::STORE_ATTR_SLOT => {
                        verified!(depth!() >= 2);
                        let op = STORE_ATTR_SLOT;
                        let owner = Obj::from_ptr(*top.sub(1));
                        let c = cache!(STORE_ATTR);
                        if !type_::version_is(owner.ob_type(), c.u32(1)) {
                            break;
                        }
                        let v = *top.sub(2);
                        top = top.sub(2);
                        pc = pc.add(1 + op.cache_entries());
                        // The version guard proves a writable member at this offset.
                        let slot = (owner.as_ptr() as *mut u8).add(c.u16(3) as usize) as *mut *mut PyObject;
                        let old = core::mem::replace(&mut *slot, v);
                        if !old.is_null() {
                            release!(old);
                        }
                        release!(owner.as_ptr());
                    }
                    B::COPY_FREE_VARS if arg <= nfast => {
                        let Some(func) = f.func.as_ref() else { break };
                        let closure = (*function::raw(func)).closure;
                        if closure.is_null() || tuple::len(Obj::from_ptr(closure)) != arg {
                            break;
                        }
                        // The free-variable slots are still empty: the frame just started.
                        for (i, c) in tuple::items(Obj::from_ptr(closure)).iter().enumerate() {
                            *fast.add(nfast - arg + i) = c.new_ref().into_raw();
                        }
                        pc = pc.add(1);
                    }
                    // Calls and returns switch frames after the loop, so that the frame list is
                    // not live in it (registers are short).
                    B::CALL_PY_EXACT_ARGS | B::CALL_BOUND_METHOD_EXACT_ARGS | B::CALL_ALLOC_AND_ENTER_INIT | B::CALL_PY_GENERAL => {
                        switch = Switch::Call;
                        break;
                    }
                    B::RETURN_VALUE => {
                        switch = Switch::Return;
                        break;
                    }
                    B::YIELD_VALUE => {
                        switch = Switch::Yield;
                        break;
                    }
                    B::FOR_ITER_GEN => {
                        switch = Switch::ForIterGen;
                        break;
                    }
                    B::FOR_ITER => {
                        switch = Switch::ForIter;
                        break;
                    }
                    B::CALL_KW => {
                        switch = Switch::CallKw;
                        break;
                    }
                    B::CALL_BUILTIN_O | B::CALL_BUILTIN_FAST | B::CALL_METHOD_DESCRIPTOR_O | B::CALL_METHOD_DESCRIPTOR_FAST
                    | B::CALL_METHOD_DESCRIPTOR_NOARGS | B::CALL_LEN | B::CALL_ISINSTANCE | B::CALL_TYPE_1 | B::CALL_NON_PY_GENERAL => {
                        switch = Switch::CallNative;
                        break;
                    }
                    _ => break,
                }
            }
            f.stack.set_len(depth!());
            f.ip = ip!();
        }
        let switched = match switch {
            Switch::None => false,
            Switch::Call => enter_call(frames),
            Switch::Return if frames.len() < 2 => return Ok(entry_exit(frames, Flow::Return)),
            Switch::Return => leave_call(frames),
            Switch::Yield if frames.len() < 2 => return Ok(entry_exit(frames, Flow::Yield)),
            Switch::Yield => yield_inline(frames),
            Switch::CallNative => call_native(frames)?,
            Switch::ForIterGen => for_iter_gen(frames)?,
            Switch::ForIter => for_iter_generic(frames)?,
            Switch::CallKw => enter_call_kw(frames),
        };
        if !switched {
            return Ok(None);
        }
    }
}

/// Why the hot loop's inner loop stopped.
enum Switch {
    None,
    /// At a `CALL_PY_EXACT_ARGS`.
    Call,
    /// At a `RETURN_VALUE`.
    Return,
    /// At a specialized call of something other than a Python function (`CALL_BUILTIN_O`...).
    CallNative,
    /// At a `YIELD_VALUE`.
    Yield,
    /// At a `FOR_ITER_GEN`.
    ForIterGen,
    /// At an unspecialized `FOR_ITER`.
    ForIter,
    /// At a `CALL_KW`.
    CallKw,
}

/// The hot loop's calls of Python functions (`CALL_PY_EXACT_ARGS`,
/// `CALL_BOUND_METHOD_EXACT_ARGS`, `CALL_ALLOC_AND_ENTER_INIT`, at the top frame's `ip`):
/// when the guard holds, pushes the callee's frame, arguments moved into it, and returns
/// true; otherwise leaves everything for the generic form.
#[inline(always)]
fn enter_call(frames: &mut Vec<FrameBox>) -> bool {
    let f = frames.last_mut().expect("a frame to run");
    let ip = f.ip;
    // SAFETY: the frame owns its code object.
    let units = code::adaptive(unsafe { Obj::from_ptr(f.code.as_ptr()) });
    let unit = units[ip].get();
    let (op, arg) = (Opcode::from_u8(unit as u8), (unit >> 8) as usize);
    let sp = f.stack.len();
    if sp < arg + 2 {
        return false;
    }
    // Past the recursion limit, the generic form raises the RecursionError.
    if DEPTH.with(Cell::get) >= recursion_limit() {
        return false;
    }
    let base = sp - arg - 2;
    // SAFETY: the callable slot holds a live object.
    let callable = unsafe { Obj::from_ptr(f.stack[base]) };
    let mut init_self = None;
    match op {
        Some(Opcode::CALL_PY_EXACT_ARGS) => {
            let with_self = !f.stack[base + 1].is_null();
            if !function::check(callable) || !specialize::exact_args(callable, arg + with_self as usize) {
                return false;
            }
        }
        Some(Opcode::CALL_BOUND_METHOD_EXACT_ARGS) => {
            if !function::method_check(callable) || !f.stack[base + 1].is_null() {
                return false;
            }
            let (func, self_) = function::method_parts(callable);
            if !function::check(func) || !specialize::exact_args(func, arg + 1) {
                return false;
            }
            // The stack becomes (function, self, args...): the method's parts replace it.
            let (func, self_) = (func.new_ref().into_raw(), self_.new_ref().into_raw());
            let method = core::mem::replace(&mut f.stack[base], func);
            f.stack[base + 1] = self_;
            // SAFETY: the stack owned the method; its function and self are held above, so
            // freeing it runs no finalizer that could see a half-made frame.
            unsafe { crate::object::decref(method) };
        }
        Some(Opcode::CALL_PY_GENERAL) => {
            if !function::check(callable) {
                return false;
            }
            let first = if f.stack[base + 1].is_null() { base + 2 } else { base + 1 };
            // SAFETY: a function; the argument slots hold live objects (copied: the call's
            // slots are released below).
            let Some(frame) = (unsafe { args::frame_positional(callable, &f.stack[first..]) }) else { return false };
            DEPTH.with(|d| d.set(d.get() + 1));
            // The new frame holds what it runs (its function and arguments); a finalizer run
            // by releasing the call's slots sees this frame past the call.
            f.lasti = ip;
            f.ip = ip + 1 + Opcode::CALL.cache_entries();
            release_call_slots(f, base);
            frames.push(frame);
            return true;
        }
        Some(Opcode::CALL_ALLOC_AND_ENTER_INIT) => {
            let c = Cache::new(units, ip + 1);
            let hit = f.stack[base + 1].is_null()
                && TypeObj::downcast(callable).is_some_and(|t| t.ob_type().is(&type_::PyType_Type) && type_::version_is(t, c.u32(1)));
            if !hit {
                return false;
            }
            let cls = TypeObj::downcast(callable).expect("checked above");
            // SAFETY: the guard proves tp_alloc is the generic allocator.
            let Ok(obj) = (unsafe { crate::slot::from_new(crate::alloc::generic_alloc(cls.raw(), 0)) }) else {
                // Out of memory: the generic form raises it again.
                return false;
            };
            // The stack becomes (class, self, args...) so the arguments follow self; the
            // cached `__init__` (kept alive by the class while its version holds) is called.
            f.stack[base + 1] = obj.clone().into_raw();
            init_self = Some((obj, unsafe { Obj::from_ptr(c.ptr(3)) }.new_ref()));
        }
        _ => return false,
    }
    DEPTH.with(|d| d.set(d.get() + 1));
    let first = if f.stack[base + 1].is_null() { base + 2 } else { base + 1 };
    // The arguments move into the new frame's locals (their slots are nulled).
    let frame = match init_self {
        None => {
            // SAFETY: the callable slot holds a function, whose reference the frame takes; the
            // argument slots are owned.
            let func = unsafe { PyRef::from_raw(core::mem::replace(&mut f.stack[base], null_mut())) };
            unsafe { args::frame_exact(func, &mut f.stack[first..]) }
        }
        Some((obj, init)) => {
            // SAFETY: `__init__` is a function taking exactly these arguments (the guard).
            let mut frame = unsafe { args::frame_exact(init, &mut f.stack[first..]) };
            frame.init_self = Some(obj);
            // SAFETY: the stack owned the class; the new frame holds what it runs, so this runs
            // no finalizer of a function in use.
            unsafe { crate::object::decref(core::mem::replace(&mut f.stack[base], null_mut())) };
            frame
        }
    };
    // SAFETY: the slots from `base` on are NULL now.
    unsafe { f.stack.set_len(base) };
    f.lasti = ip;
    f.ip = ip + 1 + Opcode::CALL.cache_entries();
    frames.push(frame);
    true
}

/// The hot loop's `CALL_KW` (at the top frame's `ip`) of a Python function: binds the
/// arguments generally into a new frame, pushes it and returns true; false leaves everything
/// for the generic form (another callable, the recursion limit, or arguments that do not bind,
/// which the generic form binds again to raise the error).
#[inline(never)]
fn enter_call_kw(frames: &mut Vec<FrameBox>) -> bool {
    let f = frames.last_mut().expect("a frame to run");
    let ip = f.ip;
    // SAFETY: the frame owns its code object.
    let units = code::adaptive(unsafe { Obj::from_ptr(f.code.as_ptr()) });
    let arg = (units[ip].get() >> 8) as usize;
    // (callable, self or NULL, arguments..., keyword names)
    let sp = f.stack.len();
    if sp < arg + 3 || DEPTH.with(Cell::get) >= recursion_limit() {
        return false;
    }
    let base = sp - arg - 3;
    // SAFETY: the callable and keyword-names slots hold live objects.
    let (callable, kwnames) = unsafe { (Obj::from_ptr(f.stack[base]), Obj::from_ptr(f.stack[sp - 1])) };
    if !function::check(callable) || !tuple::check_exact(kwnames) {
        return false;
    }
    let first = if f.stack[base + 1].is_null() { base + 2 } else { base + 1 };
    let Some(npos) = (sp - 1 - first).checked_sub(tuple::len(kwnames)) else { return false };
    // SAFETY: the argument slots hold `npos` positional and one value per keyword name.
    let Ok(frame) = (unsafe { args::frame_for_call(callable, f.stack[first..].as_ptr(), npos, kwnames.as_ptr()) }) else {
        return false;
    };
    DEPTH.with(|d| d.set(d.get() + 1));
    // The new frame holds what it runs; a finalizer run by releasing the call's slots sees
    // this frame past the call.
    f.lasti = ip;
    f.ip = ip + instruction_len(Opcode::CALL_KW);
    release_call_slots(f, base);
    frames.push(frame);
    true
}

/// The hot loop's `RETURN_VALUE`: back to the caller, unless the top frame is the one this
/// run of the loop started with (whose return `run_frames` handles) or returns for
/// `__init__` (returns false, leaving it to the generic form).
#[inline(always)]
fn leave_call(frames: &mut Vec<FrameBox>) -> bool {
    if frames.len() < 2 {
        return false;
    }
    let f = frames.last_mut().expect("a frame to run");
    if f.stack.is_empty() {
        return false;
    }
    let mut v = f.pop_raw();
    if !f.generator.is_null() {
        f.lasti = f.ip;
        f.ip += 1;
        let done = frames.pop().expect("the returning frame");
        leave_frame();
        // SAFETY: the return value, owned.
        return_inline(frames, done, unsafe { PyRef::from_raw(v) });
        return true;
    }
    if let Some(obj) = f.init_self.as_ref() {
        // `__init__` called by `CALL_ALLOC_AND_ENTER_INIT` produces the new instance; a
        // result other than None raises on the generic path.
        if v != none::none_obj().as_ptr() {
            f.push_raw(v);
            return false;
        }
        // SAFETY: None is immortal; the instance is owned by the frame until it is dropped.
        unsafe { crate::object::decref(v) };
        v = obj.clone().into_raw();
    }
    f.lasti = f.ip;
    f.ip += 1;
    let done = frames.pop().expect("the returning frame");
    leave_frame();
    drop(done);
    frames.last_mut().expect("the caller").push_raw(v);
    true
}

/// The hot loop's `RETURN_VALUE` or `YIELD_VALUE` in the frame its run started with: pops
/// the value, leaving the frame as `execute` would (`run_frames` finishes the return,
/// `__init__`'s included, or the yield).
fn entry_exit(frames: &mut [FrameBox], flow: fn(PyRef) -> Flow) -> Option<Flow> {
    let f = frames.last_mut().expect("a frame to run");
    if f.stack.is_empty() {
        return None;
    }
    // SAFETY: the frame owns its code object.
    let unit = code::adaptive(unsafe { Obj::from_ptr(f.code.as_ptr()) })[f.ip].get();
    let op = Opcode::from_u8(unit as u8)?;
    f.lasti = f.ip;
    f.ip += instruction_len(op);
    Some(flow(f.pop()))
}

/// The hot loop's `FOR_ITER_GEN` (at the top frame's `ip`): when the iterator is a
/// generator, resumes it (a loop of its own runs it) and pushes what it yields or jumps past
/// the loop, returning `Ok(true)`; `Ok(false)` leaves everything for the generic form. The
/// frame is consistent while the generator runs, with `lasti` at the instruction.
#[inline(always)]
fn for_iter_gen(frames: &mut Vec<FrameBox>) -> PyResult<bool> {
    let f = frames.last_mut().expect("a frame to run");
    let ip = f.ip;
    // SAFETY: the frame owns its code object.
    let unit = code::adaptive(unsafe { Obj::from_ptr(f.code.as_ptr()) })[ip].get();
    let Some(it) = f.stack.last().copied() else { return Ok(false) };
    // SAFETY: the top slot holds a live object.
    let it = unsafe { Obj::from_ptr(it) };
    if !genobject::check(it) {
        return Ok(false);
    }
    let next = ip + instruction_len(Opcode::FOR_ITER_GEN);
    // A suspended generator runs in this loop, its frame above this one (the depth counts
    // it); `suspend_inline` and `return_inline` come back here.
    if DEPTH.with(Cell::get) < recursion_limit() {
        if let Some(frame) = genobject::enter_inline(it) {
            DEPTH.with(|d| d.set(d.get() + 1));
            f.lasti = ip;
            f.ip = next;
            frames.push(frame);
            return Ok(true);
        }
    }
    let it = it.new_ref();
    f.lasti = ip;
    f.ip = next;
    match genobject::iter_next(&it) {
        Ok(Some(v)) => {
            f.push(v);
            return Ok(true);
        }
        Ok(None) => {}
        Err(e) if e.is_instance(exc::StopIteration()) => {}
        Err(e) => return Err(e),
    }
    // Exhausted: the iterator goes and the loop ends.
    drop(f.pop());
    f.ip = next + (unit >> 8) as usize;
    Ok(true)
}

/// The hot loop's unspecialized `FOR_ITER` (at the top frame's `ip`), for iterators no
/// specialized form covers (`reversed`, `enumerate`, dict views, user classes...): while its
/// counter counts down to the next try at specializing, takes the next item as the generic
/// form does, returning `Ok(true)`; `Ok(false)` when the counter is due, leaving the
/// instruction to `execute` (which specializes). The frame is consistent while the iterator
/// runs, with `lasti` at the instruction.
#[inline(never)]
fn for_iter_generic(frames: &mut [FrameBox]) -> PyResult<bool> {
    let f = frames.last_mut().expect("a frame to run");
    let ip = f.ip;
    // SAFETY: the frame owns its code object.
    let units = code::adaptive(unsafe { Obj::from_ptr(f.code.as_ptr()) });
    let arg = (units[ip].get() >> 8) as usize;
    if specialize::tick(Cache::new(units, ip + 1)) {
        return Ok(false);
    }
    let Some(&it) = f.stack.last() else { return Ok(false) };
    // SAFETY: the top slot holds a live object; the reference keeps it while `next` runs.
    let it = unsafe { Obj::from_ptr(it) }.new_ref();
    f.lasti = ip;
    f.ip = ip + instruction_len(Opcode::FOR_ITER);
    match iterobject::next(&it)? {
        Some(v) => f.push(v),
        None => {
            drop(f.pop());
            f.ip += arg;
        }
    }
    Ok(true)
}

/// The hot loop's `YIELD_VALUE` in an inline generator frame (see [`for_iter_gen`]): hands
/// the value to the caller; false for any other frame.
#[inline(always)]
fn yield_inline(frames: &mut Vec<FrameBox>) -> bool {
    if frames.len() < 2 {
        return false;
    }
    let f = frames.last_mut().expect("a frame to run");
    if f.generator.is_null() || f.stack.is_empty() {
        return false;
    }
    let v = f.pop();
    f.lasti = f.ip;
    f.ip += instruction_len(Opcode::YIELD_VALUE);
    suspend_inline(frames, v);
    true
}

/// The inline generator frame on top of `frames` yielded `v` (its `ip` past the yield): the
/// frame goes back into its generator, and its caller goes on after its `FOR_ITER_GEN` with
/// `v`.
#[inline(always)]
fn suspend_inline(frames: &mut Vec<FrameBox>, v: PyRef) {
    let mut frame = frames.pop().expect("the yielding frame");
    leave_frame();
    let g = core::mem::replace(&mut frame.generator, null_mut());
    debug_assert!(!g.is_null(), "only an inline generator frame yields to a caller in its list");
    // SAFETY: the generator reference the frame held, and the frame taken from it.
    unsafe { genobject::inline_suspended(g, frame) };
    frames.last_mut().expect("the generator's caller").push(v);
}

/// The inline generator frame `done` (popped) returned `v`: the generator is exhausted, and
/// its caller's loop ends as `FOR_ITER_GEN` ends it (the value is dropped, the iterator
/// popped, and the caller jumps past the loop).
fn return_inline(frames: &mut [FrameBox], mut done: FrameBox, v: PyRef) {
    let g = core::mem::replace(&mut done.generator, null_mut());
    drop(done);
    drop(v);
    // SAFETY: the generator reference the frame held.
    drop(unsafe { genobject::inline_finished(g, None) });
    let caller = frames.last_mut().expect("the generator's caller");
    // The caller stopped at its `FOR_ITER_GEN` (`lasti`), which the hot loop runs only
    // without an `EXTENDED_ARG`: its jump is in its own unit.
    // SAFETY: the frame owns its code object.
    let unit = code::adaptive(unsafe { Obj::from_ptr(caller.code.as_ptr()) })[caller.lasti].get();
    drop(caller.pop());
    caller.ip = caller.lasti + instruction_len(Opcode::FOR_ITER_GEN) + (unit >> 8) as usize;
}

/// The hot loop's specialized calls of built-ins, method descriptors and other non-Python
/// callables (at the top frame's `ip`), made without leaving the loop for `execute`: when the
/// guard holds, calls, replaces the call's slots with the result and returns `Ok(true)`;
/// `Ok(false)` leaves everything for the generic form. The callee may run Python code (in a
/// loop of its own) that looks at this frame, so the frame is consistent during the call, with
/// `lasti` at the call as `execute` would leave it.
#[inline(always)]
fn call_native(frames: &mut [FrameBox]) -> PyResult<bool> {
    let f = frames.last_mut().expect("a frame to run");
    let ip = f.ip;
    // SAFETY: the frame owns its code object.
    let unit = code::adaptive(unsafe { Obj::from_ptr(f.code.as_ptr()) })[ip].get();
    let Some(op) = Opcode::from_u8(unit as u8) else { return Ok(false) };
    let argc = (unit >> 8) as usize;
    let sp = f.stack.len();
    if sp < argc + 2 {
        return Ok(false);
    }
    let base = sp - argc - 2;
    let first = if f.stack[base + 1].is_null() { base + 2 } else { base + 1 };
    let total = sp - first;
    f.lasti = ip;
    f.ip = ip + 1 + Opcode::CALL.cache_entries();
    // SAFETY: the callable and argument slots hold live objects; the stack is not reallocated
    // while the call runs (its capacity covers the code's stack size).
    let r = {
        let callable = unsafe { Obj::from_ptr(f.stack[base]) };
        let args = unsafe { core::slice::from_raw_parts(f.stack.as_ptr().add(first), total) };
        call_specialized(op, callable, args, total)
    };
    let Some(r) = r else {
        f.ip = ip;
        return Ok(false);
    };
    release_call_slots(f, base);
    f.push(r?);
    Ok(true)
}

/// The value a `LOAD_GLOBAL_MODULE`/`_BUILTIN` guard admits (borrowed from the namespace).
#[inline(always)]
fn load_global_hit<'a>(op: Opcode, globals: &'a Obj, builtins: &'a Obj, c: &Cache) -> Option<&'a Obj> {
    let v = if op == Opcode::LOAD_GLOBAL_MODULE {
        if dict::keys_version_is(globals, c.u32(2)) { dict::value_at(globals, c.u16(1) as usize) } else { None }
    } else if dict::keys_version_is(globals, c.u32(2)) && dict::keys_version_is(builtins, c.u32(4)) {
        dict::value_at(builtins, c.u16(1) as usize)
    } else {
        None
    };
    // A lazy import is resolved by the generic form.
    v.filter(|v| !lazy_import::check(v))
}

/// The attribute a specialized `LOAD_ATTR` (instance value, slot, module, class) finds on
/// `owner` when its guard holds (borrowed: the owner, its dict or its type keeps it alive).
#[inline(always)]
fn load_attr_hit<'a>(op: Opcode, owner: &'a Obj, c: &Cache, cd: &CodeData, arg: u32) -> Option<&'a Obj> {
    use Opcode::*;
    match op {
        LOAD_ATTR_INSTANCE_VALUE => {
            let name = tuple::get(&cd.names, (arg >> 1) as usize);
            let hint = c.u16(3) as usize;
            let v = if type_::version_is(owner.ob_type(), c.u32(1)) { instance_dict(owner).and_then(|d| dict::hinted_value(d, hint, name)) } else { None };
            v.or_else(|| instance_value_second_chance(owner, name, hint))
        }
        LOAD_ATTR_SLOT if type_::version_is(owner.ob_type(), c.u32(1)) => {
            // SAFETY: the version guard proves a member of the object at this offset.
            unsafe { crate::slot::opt_arg(*((owner.as_ptr() as *mut u8).add(c.u16(3) as usize) as *mut *mut PyObject)) }
        }
        LOAD_ATTR_MODULE if owner.is_exact(&crate::objects::module::PyModule_Type) => {
            let d = crate::objects::module::dict_of(owner);
            // A lazy import is resolved by the generic form.
            if dict::keys_version_is(d, c.u32(1)) { dict::value_at(d, c.u16(3) as usize).filter(|v| !lazy_import::check(v)) } else { None }
        }
        LOAD_ATTR_CLASS => match TypeObj::downcast(owner) {
            Some(cls) if owner.ob_type().is(&type_::PyType_Type) && type_::version_is(cls, c.u32(1)) => {
                // SAFETY: the class keeps the attribute alive while its version holds.
                Some(unsafe { Obj::from_ptr(c.ptr(4)) })
            }
            _ => None,
        },
        _ => None,
    }
}

/// A polymorphic `LOAD_ATTR_INSTANCE_VALUE` (the owner's type is not the cached one, or its
/// dict has the name at another entry): the value, if the generic lookup would take it from
/// the instance dict and the answer is known without running code. Out of line: the
/// cached-type path stays small.
#[inline(never)]
fn instance_value_second_chance<'a>(owner: &'a Obj, name: &Obj, hint: usize) -> Option<&'a Obj> {
    if !type_::instance_dict_first(owner.ob_type(), name, false) {
        return None;
    }
    let d = instance_dict(owner)?;
    if let Some(v) = dict::hinted_value(d, hint, name) {
        return Some(v);
    }
    dict::value_at(d, dict::str_index_no_eq(d, name).ok()??)
}

/// The method `LOAD_ATTR_METHOD_WITH_VALUES`/`_NO_DICT` pushes for `owner` when its guard
/// holds (borrowed: the owner's type keeps it alive): the one cached at `c.ptr(4)` for the
/// cached type, unless the instance dict shadows it; for another type, what its lookup cache
/// says, if that is a method the instance does not shadow.
#[inline(always)]
fn load_method_hit<'a>(op: Opcode, owner: &'a Obj, c: &Cache, cd: &CodeData, arg: u32) -> Option<&'a Obj> {
    if !type_::version_is(owner.ob_type(), c.u32(1)) {
        return method_second_chance(owner, tuple::get(&cd.names, (arg >> 1) as usize));
    }
    if op == Opcode::LOAD_ATTR_METHOD_WITH_VALUES
        && instance_dict(owner).is_some_and(|d| dict::str_index_no_eq(d, tuple::get(&cd.names, (arg >> 1) as usize)) != Ok(None))
    {
        return None;
    }
    // SAFETY: the type keeps the method alive while its version holds.
    Some(unsafe { Obj::from_ptr(c.ptr(4)) })
}

/// A polymorphic `LOAD_ATTR_METHOD_*`: `owner`'s type is not the cached one. Out of line.
#[inline(never)]
fn method_second_chance<'a>(owner: &'a Obj, name: &Obj) -> Option<&'a Obj> {
    let ty = owner.ob_type();
    if !ty.slots().tp_getattro.is_some_and(|g| type_::is_slot(g, type_::generic_getattr as unsafe extern "C" fn(_, _) -> _)) {
        return None;
    }
    let m = ty.lookup_without_eq(name)??;
    if !m.ob_type().has_flag(Py_TPFLAGS_METHOD_DESCRIPTOR) {
        return None;
    }
    if instance_dict(owner).is_some_and(|d| dict::str_index_no_eq(d, name) != Ok(None)) {
        return None;
    }
    Some(m)
}

/// Where `STORE_ATTR_INSTANCE_VALUE` stores into `owner`'s instance dict when its guard
/// holds: Some(ix) replaces entry `ix`'s value, None adds the name (to a new dict if the
/// instance has none yet). For the cached type the hinted entry; for another type, another
/// entry or a new name, wherever the generic protocol would store, if known without running
/// code. None: the generic path.
#[inline(always)]
fn store_attr_target(owner: &Obj, c: &Cache, name: &Obj) -> Option<Option<usize>> {
    let hint = c.u16(3) as usize;
    let cached_type = type_::version_is(owner.ob_type(), c.u32(1));
    if cached_type && instance_dict(owner).is_some_and(|d| dict::hinted_value(d, hint, name).is_some()) {
        return Some(Some(hint));
    }
    store_target_second_chance(owner, name, hint, cached_type)
}

#[inline(never)]
fn store_target_second_chance(owner: &Obj, name: &Obj, hint: usize, cached_type: bool) -> Option<Option<usize>> {
    // The cached type was checked when specializing: generic `__setattr__`, no data descriptor.
    if !cached_type && !type_::instance_dict_first(owner.ob_type(), name, true) {
        return None;
    }
    let Some(d) = instance_dict(owner) else { return type_::instance_dict_slot(owner).map(|_| None) };
    if dict::hinted_value(d, hint, name).is_some() {
        return Some(Some(hint));
    }
    match dict::str_index_no_eq(d, name) {
        Ok(Some(ix)) => dict::value_at(d, ix).map(|_| Some(ix)),
        Ok(None) if dict::check_exact(d) => Some(None),
        _ => None,
    }
}

/// Stores `v` where `store_attr_target` said. Replacing may free the old value and so run a
/// finalizer: the caller has synced the frame.
#[inline(always)]
fn store_instance_value(owner: &Obj, name: &Obj, at: Option<usize>, v: PyRef) {
    match (at, instance_dict(owner)) {
        (Some(ix), Some(d)) => {
            if dict::hinted_replace(d, ix, name, v).is_err() {
                unreachable!("the entry was checked");
            }
        }
        _ => add_instance_value(owner, name, v),
    }
}

/// `store_instance_value` for a name the instance dict does not have (made here if the
/// instance has none yet).
#[inline(never)]
fn add_instance_value(owner: &Obj, name: &Obj, v: PyRef) {
    let slot = type_::instance_dict_slot(owner).expect("a type with an instance dict");
    // SAFETY: the slot holds NULL or the instance's dict, which it owns.
    unsafe {
        if (*slot).is_null() {
            *slot = dict::new().into_raw();
        }
        dict::insert_absent_str(Obj::from_ptr(*slot), name, v);
    }
}

fn unbound_local(cd: &CodeData, i: usize) -> PyErr {
    let name = unicode::as_str_lossy(cd.localplus_name(i)).into_owned();
    if cd.localspluskinds[i] & (CO_FAST_CELL | CO_FAST_FREE) != 0 && cd.localspluskinds[i] & CO_FAST_FREE != 0 {
        return raise!(NameError, "cannot access free variable '{}' where it is not associated with a value in enclosing scope", name);
    }
    raise!(UnboundLocalError, "cannot access local variable '{}' where it is not associated with a value", name)
}

fn name_error(name: &Obj) -> PyErr {
    let n = unicode::as_str_lossy(name).into_owned();
    let e = raise!(NameError, "name '{}' is not defined", n);
    let _ = abstract_::setattr(e.value(), &unicode::new("name"), Some(name));
    e
}

/// `ns[name]` if present (`PyMapping_GetOptionalItem`): a dict is read directly, any
/// other mapping (a dict subclass with `__missing__`) through `__getitem__`.
fn mapping_get_optional(ns: &Obj, name: &Obj) -> PyResult<Option<PyRef>> {
    if ns.is_exact(&dict::PyDict_Type) {
        return dict::get_item(ns, name);
    }
    match abstract_::getitem(ns, name) {
        Ok(v) => Ok(Some(v)),
        Err(e) if e.is_instance(exc::KeyError()) => Ok(None),
        Err(e) => Err(e),
    }
}

/// `globals[name]`, then `builtins[name]` (through `__getitem__` unless both are dicts, as
/// `annotationlib`'s fake globals need).
fn load_global(f: &Frame, name: &Obj) -> PyResult<PyRef> {
    if !f.globals.is_exact(&dict::PyDict_Type) || !f.builtins.is_exact(&dict::PyDict_Type) {
        if let Some(v) = mapping_get_optional(&f.globals, name)? {
            return lazy_import::reify(&f.globals, name, v);
        }
        let v = mapping_get_optional(&f.builtins, name)?.ok_or_else(|| name_error(name))?;
        return lazy_import::reify(&f.builtins, name, v);
    }
    if let Some(v) = dict::get_item(&f.globals, name)? {
        return lazy_import::reify(&f.globals, name, v);
    }
    if let Some(v) = dict::get_item(&f.builtins, name)? {
        return lazy_import::reify(&f.builtins, name, v);
    }
    Err(name_error(name))
}

/// PEP 810: the lazy object `IMPORT_NAME` binds instead of importing, or None to import
/// now. `flags` are the oparg's low bits: 1 `lazy import`, 2 an import that stays eager
/// (in a function, class or `try`), 0 a module-level import that the mode `all` or
/// `__lazy_modules__` makes lazy. Only code running with its globals as locals (a module,
/// `exec` with one namespace) imports lazily.
fn lazy_import_name(f: &Frame, flags: u32, name: &Obj, fromlist: &Obj, level: i64) -> PyResult<Option<PyRef>> {
    const LAZY: u32 = 1;
    const EAGER: u32 = 2;
    if flags == EAGER {
        return Ok(None);
    }
    let module_level = f.locals.as_ref().is_some_and(|l| l.is(&f.globals));
    if !module_level {
        if flags == LAZY {
            let what = if fromlist.is(none::none_obj()) { "lazy import" } else { "lazy from ... import" };
            return Err(raise!(SyntaxError, "'{}' is only allowed at module level", what));
        }
        return Ok(None);
    }
    if flags != LAZY && !lazy_import::mode_all() && dict::get_item_str(&f.globals, "__lazy_modules__").is_none() {
        return Ok(None);
    }
    // `from m import *` binds nothing it could defer.
    if tuple::check(fromlist) && tuple::items(fromlist).first().is_some_and(|n| unicode::check(n) && unicode::as_str_lossy(n) == "*") {
        return Ok(None);
    }
    let full = crate::import::absolute_name(name, &f.globals, level)?;
    if flags != LAZY && !lazy_import::implicitly_lazy(&f.globals, &full)? {
        return Ok(None);
    }
    lazy_import::lazy_import(&f.globals, &full, fromlist, Some((f.code.clone(), f.lineno())))
}

/// Pops `n` items into a Vec in stack order (owned).
fn pop_n(f: &mut Frame, n: usize) -> Vec<PyRef> {
    let start = f.stack.len() - n;
    // SAFETY: the slots hold owned, non-NULL references.
    f.stack.drain(start..).map(|p| unsafe { PyRef::from_raw(p) }).collect()
}

/// Makes the call at the top of the stack: (callable, self_or_null, args..., [kwnames]).
fn do_call(f: &mut Frame, argc: usize, kwnames: Option<PyRef>) -> PyResult<Flow> {
    let base = f.stack.len() - argc - 2;
    let callable_p = f.stack[base];
    let self_p = f.stack[base + 1];
    let (args_start, nargs_total) = if self_p.is_null() { (base + 2, argc) } else { (base + 1, argc + 1) };
    let nkw = kwnames.as_ref().map_or(0, |k| tuple::len(k));
    let npos = nargs_total - nkw;
    // SAFETY: the callable slot holds a live object.
    let callable = unsafe { Obj::from_ptr(callable_p) };
    let argv = f.stack[args_start..].as_ptr();
    let kw_ptr = kwnames.as_ref().map_or(null_mut(), |k| k.as_ptr());
    let result = if function::check(callable) {
        // SAFETY: argv holds npos + nkw live arguments.
        let frame = unsafe { args::frame_for_call(callable, argv, npos, kw_ptr) };
        match frame {
            Ok(frame) => {
                release_call_slots(f, base);
                return Ok(Flow::Call(frame));
            }
            Err(e) => Err(e),
        }
    } else if callable.is_exact(&crate::objects::methodobject::PyCFunction_Type) {
        // SAFETY: a built-in function; argv holds npos + nkw live arguments.
        unsafe { crate::objects::methodobject::call_cfunction(callable, argv, npos, kw_ptr) }
    } else {
        // SAFETY: as above.
        unsafe { abstract_::vectorcall(callable, argv, npos, kw_ptr) }
    };
    release_call_slots(f, base);
    f.push(result?);
    Ok(Flow::Next)
}

/// Drops the callable, self and arguments of a call from the stack.
#[inline]
fn release_call_slots(f: &mut Frame, base: usize) {
    // Slots are taken from the top one at a time: a finalizer run by a release may look at
    // the frame.
    while f.stack.len() > base {
        let p = f.pop_raw();
        // SAFETY: owned or NULL.
        unsafe { crate::object::xdecref(p) };
    }
}

/// Executes one instruction.
#[inline(always)]
fn execute(f: &mut Frame, cd: &CodeData, units: &[Cell<CodeUnit>], op: Opcode, arg: u32, ip: &mut usize) -> PyResult<Flow> {
    use Opcode::*;
    match op {
        CACHE | NOP | RESUME | EXTENDED_ARG => {}
        // ---- Specialized forms (see `specialize`): guard, fast path, or `adaptive` on a miss.
        LOAD_GLOBAL_MODULE | LOAD_GLOBAL_BUILTIN => {
            let c = cache_of(*ip, units, LOAD_GLOBAL);
            let Some(v) = load_global_hit(op, &f.globals, &f.builtins, &c).map(Obj::new_ref) else { return adaptive(f, cd, units, op, arg, ip) };
            f.push(v);
            if arg & 1 != 0 {
                f.push_raw(null_mut());
            }
        }
        LOAD_ATTR_INSTANCE_VALUE | LOAD_ATTR_SLOT | LOAD_ATTR_MODULE | LOAD_ATTR_CLASS => {
            let c = cache_of(*ip, units, LOAD_ATTR);
            let Some(v) = load_attr_hit(op, f.top(), &c, cd, arg).map(Obj::new_ref) else { return adaptive(f, cd, units, op, arg, ip) };
            drop(f.pop());
            f.push(v);
            if arg & 1 != 0 {
                f.push_raw(null_mut());
            }
        }
        LOAD_ATTR_METHOD_WITH_VALUES | LOAD_ATTR_METHOD_NO_DICT => {
            let c = cache_of(*ip, units, LOAD_ATTR);
            let Some(m) = load_method_hit(op, f.top(), &c, cd, arg).map(Obj::new_ref) else { return adaptive(f, cd, units, op, arg, ip) };
            let owner = f.pop();
            f.push(m);
            f.push(owner);
        }
        STORE_ATTR_INSTANCE_VALUE | STORE_ATTR_SLOT => {
            let c = cache_of(*ip, units, STORE_ATTR);
            if op == STORE_ATTR_INSTANCE_VALUE {
                if let Some(at) = store_attr_target(f.top(), &c, f.name(arg)) {
                    let owner = f.pop();
                    let v = f.pop();
                    store_instance_value(&owner, f.name(arg), at, v);
                    return Ok(Flow::Next);
                }
            }
            if !type_::version_is(f.top().ob_type(), c.u32(1)) {
                return adaptive(f, cd, units, op, arg, ip);
            }
            let owner = f.pop();
            let v = f.pop();
            if op == STORE_ATTR_SLOT {
                // SAFETY: the version guard proves a writable member at this offset.
                unsafe {
                    let p = (owner.as_ptr() as *mut u8).add(c.u16(3) as usize) as *mut *mut PyObject;
                    crate::object::xdecref(core::mem::replace(&mut *p, v.into_raw()));
                }
            } else {
                let name = f.name(arg);
                // SAFETY: the slot holds NULL or the instance's dict.
                match type_::instance_dict_slot(&owner).and_then(|slot| unsafe { crate::slot::opt_arg(*slot) }) {
                    Some(d) => {
                        if let Err(v) = dict::hinted_replace(d, c.u16(3) as usize, name, v) {
                            dict::set_item(d, name, &v)?;
                        }
                    }
                    None => type_::generic_setattr_impl(&owner, name, Some(&v))?,
                }
            }
        }
        BINARY_OP_EXTEND_FLOAT => {
            let Some(r) = specialize::extend_float(specialize::binary_operator(arg), f.peek(2), f.peek(1)) else {
                return adaptive(f, cd, units, op, arg, ip);
            };
            drop(f.pop());
            drop(f.pop());
            f.push(float::new(r));
        }
        BINARY_OP_ADD_INT | BINARY_OP_SUBTRACT_INT | BINARY_OP_MULTIPLY_INT | BINARY_OP_EXTEND_INT => {
            let (Some(x), Some(y)) = (small_int(f.peek(2)), small_int(f.peek(1))) else { return adaptive(f, cd, units, op, arg, ip) };
            let r = match op {
                BINARY_OP_ADD_INT => long::from_i64(x + y),
                BINARY_OP_SUBTRACT_INT => long::from_i64(x - y),
                BINARY_OP_MULTIPLY_INT => long::from_i128(x as i128 * y as i128),
                _ => match int_extend(specialize::binary_operator(arg), x, y) {
                    Some(v) => long::from_i128(v),
                    None => return adaptive(f, cd, units, op, arg, ip),
                },
            };
            drop(f.pop());
            drop(f.pop());
            f.push(r);
        }
        BINARY_OP_ADD_FLOAT | BINARY_OP_SUBTRACT_FLOAT | BINARY_OP_MULTIPLY_FLOAT | BINARY_OP_TRUE_DIVIDE_FLOAT => {
            let (a, b) = (f.peek(2), f.peek(1));
            if !a.is_exact(&float::PyFloat_Type) || !b.is_exact(&float::PyFloat_Type) {
                return adaptive(f, cd, units, op, arg, ip);
            }
            let (x, y) = (float::value(a), float::value(b));
            let r = match op {
                BINARY_OP_ADD_FLOAT => x + y,
                BINARY_OP_SUBTRACT_FLOAT => x - y,
                BINARY_OP_MULTIPLY_FLOAT => x * y,
                _ if y == 0.0 => return adaptive(f, cd, units, op, arg, ip),
                _ => x / y,
            };
            drop(f.pop());
            drop(f.pop());
            f.push(float::new(r));
        }
        BINARY_OP_ADD_UNICODE => {
            let (a, b) = (f.peek(2), f.peek(1));
            if !unicode::check_exact(a) || !unicode::check_exact(b) {
                return adaptive(f, cd, units, op, arg, ip);
            }
            let r = unicode::concat(a, b);
            drop(f.pop());
            drop(f.pop());
            f.push(r);
        }
        BINARY_SUBSCR_LIST_INT | BINARY_SUBSCR_TUPLE_INT => {
            let (c, k) = (f.peek(2), f.peek(1));
            let is_list = op == BINARY_SUBSCR_LIST_INT;
            let hit = match small_int(k) {
                Some(i) if is_list && list::check_exact(c) => seq_index(i, list::len(c)).and_then(|i| list::get(c, i)).map(Obj::new_ref),
                Some(i) if !is_list && c.is_exact(&tuple::PyTuple_Type) => seq_index(i, tuple::len(c)).map(|i| tuple::get(c, i).new_ref()),
                _ => None,
            };
            let Some(v) = hit else { return adaptive(f, cd, units, op, arg, ip) };
            drop(f.pop());
            drop(f.pop());
            f.push(v);
        }
        BINARY_SUBSCR_DICT => {
            if !f.peek(2).is_exact(&dict::PyDict_Type) {
                return adaptive(f, cd, units, op, arg, ip);
            }
            let key = f.pop();
            let d = f.pop();
            match dict::get_item(&d, &key)? {
                Some(v) => f.push(v),
                None => return Err(PyErr::from_type_and_arg(exc::KeyError(), &key)),
            }
        }
        STORE_SUBSCR_LIST_INT => {
            let (c, k) = (f.peek(2), f.peek(1));
            let Some(i) = small_int(k).filter(|_| list::check_exact(c)).and_then(|i| seq_index(i, list::len(c))) else {
                return adaptive(f, cd, units, op, arg, ip);
            };
            drop(f.pop());
            let c = f.pop();
            let v = f.pop();
            list::set(&c, i, v);
        }
        STORE_SUBSCR_DICT => {
            if !f.peek(2).is_exact(&dict::PyDict_Type) {
                return adaptive(f, cd, units, op, arg, ip);
            }
            let key = f.pop();
            let d = f.pop();
            let v = f.pop();
            dict::set_item(&d, &key, &v)?;
        }
        COMPARE_OP_INT | COMPARE_OP_FLOAT | COMPARE_OP_STR => {
            let (a, b) = (f.peek(2), f.peek(1));
            let r = match op {
                COMPARE_OP_INT => match (small_int(a), small_int(b)) {
                    (Some(x), Some(y)) => Some(compare(x.partial_cmp(&y), arg)),
                    _ => None,
                },
                COMPARE_OP_FLOAT if a.is_exact(&float::PyFloat_Type) && b.is_exact(&float::PyFloat_Type) => {
                    Some(compare(float::value(a).partial_cmp(&float::value(b)), arg))
                }
                COMPARE_OP_STR if unicode::check_exact(a) && unicode::check_exact(b) => Some(unicode::eq(a, b) == (arg >> 5 == Py_EQ as u32)),
                _ => None,
            };
            let Some(r) = r else { return adaptive(f, cd, units, op, arg, ip) };
            drop(f.pop());
            drop(f.pop());
            f.push(bool_::new(r));
        }
        TO_BOOL_BOOL | TO_BOOL_INT | TO_BOOL_NONE | TO_BOOL_LIST | TO_BOOL_STR => {
            let v = f.top();
            let r = match op {
                TO_BOOL_BOOL if v.is_exact(&bool_::PyBool_Type) => return Ok(Flow::Next),
                TO_BOOL_INT if v.is_exact(&long::PyLong_Type) => !long::is_zero(v),
                TO_BOOL_NONE if v.is(none::none_obj()) => false,
                TO_BOOL_LIST if list::check_exact(v) => list::len(v) != 0,
                TO_BOOL_STR if unicode::check_exact(v) => unicode::len(v) != 0,
                _ => return adaptive(f, cd, units, op, arg, ip),
            };
            drop(f.pop());
            f.push(bool_::new(r));
        }
        UNPACK_SEQUENCE_TWO_TUPLE | UNPACK_SEQUENCE_TUPLE | UNPACK_SEQUENCE_LIST => {
            let is_list = op == UNPACK_SEQUENCE_LIST;
            let v = f.top();
            let fits = if is_list { list::check_exact(v) && list::len(v) == arg as usize } else { v.is_exact(&tuple::PyTuple_Type) && tuple::len(v) == arg as usize };
            if !fits {
                return adaptive(f, cd, units, op, arg, ip);
            }
            let seq = f.pop();
            // SAFETY: seq is a tuple here unless it is a list.
            let items: &[*mut PyObject] = if is_list { list::slots(&seq) } else { unsafe { tuple::items_raw(seq.as_ptr()) } };
            for &p in items.iter().rev() {
                // SAFETY: the sequence's items are live.
                f.push(unsafe { Obj::from_ptr(p) }.new_ref());
            }
        }
        FOR_ITER_LIST | FOR_ITER_TUPLE => {
            let it = f.top();
            let is_list = op == FOR_ITER_LIST;
            if !it.is_exact(if is_list { &list::PyListIter_Type } else { &tuple::PyTupleIter_Type }) {
                return adaptive(f, cd, units, op, arg, ip);
            }
            let (i, seq) = iterobject::index_iter_state(it);
            let next = seq.and_then(|s| {
                let i = i as usize;
                if is_list { list::get_ref(s, i) } else { (i < tuple::len(s)).then(|| tuple::get(s, i).new_ref()) }
            });
            match next {
                Some(v) => {
                    iterobject::index_iter_set_index(it, i + 1);
                    f.push(v);
                }
                None => {
                    iterobject::index_iter_exhaust(it);
                    drop(f.pop());
                    *ip += arg as usize;
                }
            }
        }
        FOR_ITER_RANGE => {
            let it = f.top();
            if !crate::objects::range::iter_check(it) {
                return adaptive(f, cd, units, op, arg, ip);
            }
            match crate::objects::range::iter_next_value(it) {
                Some(v) => f.push(long::from_i128(v)),
                None => {
                    drop(f.pop());
                    *ip += arg as usize;
                }
            }
        }
        FOR_ITER_GEN => {
            let it = f.top();
            if !crate::objects::genobject::check(it) {
                return adaptive(f, cd, units, op, arg, ip);
            }
            let it = it.new_ref();
            match crate::objects::genobject::iter_next(&it) {
                Ok(Some(v)) => f.push(v),
                Ok(None) => {
                    drop(f.pop());
                    *ip += arg as usize;
                }
                Err(e) if e.is_instance(exc::StopIteration()) => {
                    drop(f.pop());
                    *ip += arg as usize;
                }
                Err(e) => return Err(e),
            }
        }
        CALL_PY_EXACT_ARGS | CALL_BOUND_METHOD_EXACT_ARGS => {
            let argc = arg as usize;
            let base = f.stack.len() - argc - 2;
            // SAFETY: the callable slot holds a live object.
            let callable = unsafe { Obj::from_ptr(f.stack[base]) };
            if op == CALL_BOUND_METHOD_EXACT_ARGS {
                if !function::method_check(callable) || !f.stack[base + 1].is_null() {
                    return adaptive(f, cd, units, op, arg, ip);
                }
                let (func, self_) = function::method_parts(callable);
                if !function::check(func) || !specialize::exact_args(func, argc + 1) {
                    return adaptive(f, cd, units, op, arg, ip);
                }
                let (func, self_) = (func.new_ref().into_raw(), self_.new_ref().into_raw());
                let method = core::mem::replace(&mut f.stack[base], func);
                f.stack[base + 1] = self_;
                // SAFETY: the stack owned the method.
                unsafe { crate::object::decref(method) };
            } else {
                let total = argc + !f.stack[base + 1].is_null() as usize;
                if !function::check(callable) || !specialize::exact_args(callable, total) {
                    return adaptive(f, cd, units, op, arg, ip);
                }
            }
            let first = if f.stack[base + 1].is_null() { base + 2 } else { base + 1 };
            // SAFETY: the callable slot holds a function; the argument slots are owned.
            let frame = unsafe { args::frame_exact(Obj::from_ptr(f.stack[base]).new_ref(), &mut f.stack[first..]) };
            release_call_slots(f, base);
            return Ok(Flow::Call(frame));
        }
        CALL_PY_GENERAL => {
            let base = f.stack.len() - arg as usize - 2;
            // SAFETY: the callable slot holds a live object.
            if !function::check(unsafe { Obj::from_ptr(f.stack[base]) }) {
                return adaptive(f, cd, units, op, arg, ip);
            }
            return do_call(f, arg as usize, None);
        }
        CALL_ALLOC_AND_ENTER_INIT => {
            let c = cache_of(*ip, units, CALL);
            let argc = arg as usize;
            let base = f.stack.len() - argc - 2;
            // SAFETY: the callable slot holds a live object.
            let callable = unsafe { Obj::from_ptr(f.stack[base]) };
            let hit = f.stack[base + 1].is_null()
                && TypeObj::downcast(callable).is_some_and(|t| t.ob_type().is(&type_::PyType_Type) && type_::version_is(t, c.u32(1)));
            if !hit {
                return adaptive(f, cd, units, op, arg, ip);
            }
            let cls = TypeObj::downcast(callable).expect("checked above");
            // SAFETY: the version guard keeps `__init__` alive in the class dict.
            let init = unsafe { Obj::from_ptr(c.ptr(3)) }.new_ref();
            // SAFETY: the guard proves tp_alloc is the generic allocator.
            let obj = unsafe { crate::slot::from_new(crate::alloc::generic_alloc(cls.raw(), 0)) }?;
            // The stack becomes (NULL, self, args...) so the arguments follow self.
            f.stack[base + 1] = obj.clone().into_raw();
            // SAFETY: __init__ is a function; the argument slots are owned.
            let mut frame = unsafe { args::frame_exact(init, &mut f.stack[base + 1..]) };
            frame.init_self = Some(obj);
            release_call_slots(f, base);
            return Ok(Flow::Call(frame));
        }
        CALL_BUILTIN_O | CALL_BUILTIN_FAST | CALL_METHOD_DESCRIPTOR_O | CALL_METHOD_DESCRIPTOR_FAST | CALL_METHOD_DESCRIPTOR_NOARGS | CALL_LEN
        | CALL_ISINSTANCE | CALL_TYPE_1 | CALL_NON_PY_GENERAL => {
            let argc = arg as usize;
            let base = f.stack.len() - argc - 2;
            let first = if f.stack[base + 1].is_null() { base + 2 } else { base + 1 };
            let total = f.stack.len() - first;
            // SAFETY: the callable and argument slots hold live objects.
            let callable = unsafe { Obj::from_ptr(f.stack[base]) };
            let args = &f.stack[first..];
            let r = match call_specialized(op, callable, args, total) {
                Some(r) => r,
                None => return adaptive(f, cd, units, op, arg, ip),
            };
            release_call_slots(f, base);
            f.push(r?);
        }
        POP_TOP => {
            let p = f.pop_raw();
            // SAFETY: owned or NULL.
            unsafe { crate::object::xdecref(p) };
        }
        PUSH_NULL => f.push_raw(null_mut()),
        COPY => {
            let p = f.stack[f.stack.len() - arg as usize];
            // SAFETY: a live object.
            f.push(unsafe { Obj::from_ptr(p) }.new_ref());
        }
        SWAP => {
            let n = f.stack.len();
            f.stack.swap(n - 1, n - arg as usize);
        }
        LOAD_CONST => f.push(tuple::get(&cd.consts, arg as usize).new_ref()),
        LOAD_FAST => load_fast(f, cd, arg as usize)?,
        STORE_FAST => store_fast(f, arg as usize),
        LOAD_FAST_LOAD_FAST => {
            load_fast(f, cd, (arg >> 4) as usize)?;
            load_fast(f, cd, (arg & 15) as usize)?;
        }
        STORE_FAST_LOAD_FAST => {
            store_fast(f, (arg >> 4) as usize);
            load_fast(f, cd, (arg & 15) as usize)?;
        }
        STORE_FAST_STORE_FAST => {
            store_fast(f, (arg >> 4) as usize);
            store_fast(f, (arg & 15) as usize);
        }
        DELETE_FAST => {
            let old = core::mem::replace(&mut f.fast[arg as usize], null_mut());
            if old.is_null() {
                return Err(unbound_local(cd, arg as usize));
            }
            // SAFETY: owned.
            unsafe { crate::object::decref(old) };
        }
        MAKE_CELL => {
            let i = arg as usize;
            let initial = core::mem::replace(&mut f.fast[i], null_mut());
            // SAFETY: owned or NULL.
            let cell = function::new_cell(unsafe { PyRef::from_raw_opt(initial) });
            f.fast[i] = cell.into_raw();
        }
        COPY_FREE_VARS => {
            let func = f.func.as_ref().expect("COPY_FREE_VARS outside a function");
            // SAFETY: a function with a closure tuple of `arg` cells.
            let closure = unsafe { (*function::raw(func)).closure };
            let cells = tuple::items(unsafe { Obj::from_ptr(closure) });
            let off = cd.nlocalsplus() - arg as usize;
            for (i, c) in cells.iter().enumerate() {
                f.fast[off + i] = c.new_ref().into_raw();
            }
        }
        LOAD_DEREF => {
            // SAFETY: cell slots hold cells.
            let cell = unsafe { Obj::from_ptr(f.fast[arg as usize]) };
            match function::cell_get(cell) {
                Some(v) => f.push(v.new_ref()),
                None => return Err(unbound_local(cd, arg as usize)),
            }
        }
        STORE_DEREF => {
            let v = f.pop();
            // SAFETY: cell slots hold cells.
            function::cell_set(unsafe { Obj::from_ptr(f.fast[arg as usize]) }, Some(v));
        }
        DELETE_DEREF => {
            // SAFETY: cell slots hold cells.
            let cell = unsafe { Obj::from_ptr(f.fast[arg as usize]) };
            if function::cell_get(cell).is_none() {
                return Err(unbound_local(cd, arg as usize));
            }
            function::cell_set(cell, None);
        }
        LOAD_NAME => {
            let name = f.name(arg).new_ref();
            if let Some(l) = &f.locals {
                if let Some(v) = locals_get(l, &name)? {
                    let v = lazy_import::reify(l, &name, v)?;
                    f.push(v);
                    return Ok(Flow::Next);
                }
            }
            let v = load_global(f, &name)?;
            f.push(v);
        }
        STORE_NAME => {
            let v = f.pop();
            let name = f.name(arg).new_ref();
            let l = f.locals.clone().ok_or_else(|| raise!(SystemError, "no locals found when storing {}", unicode::as_str_lossy(&name)))?;
            if dict::check_exact(&l) { dict::set_item(&l, &name, &v)? } else { abstract_::setitem(&l, &name, Some(&v))? }
        }
        DELETE_NAME => {
            let name = f.name(arg).new_ref();
            let l = f.locals.clone().ok_or_else(|| raise!(SystemError, "no locals when deleting {}", unicode::as_str_lossy(&name)))?;
            if abstract_::setitem(&l, &name, None).is_err() {
                return Err(name_error(&name));
            }
        }
        LOAD_GLOBAL => return adaptive(f, cd, units, op, arg, ip),
        STORE_GLOBAL => {
            let v = f.pop();
            let name = f.name(arg).new_ref();
            dict::set_item(&f.globals, &name, &v)?;
        }
        DELETE_GLOBAL => {
            let name = f.name(arg).new_ref();
            if dict::del_item(&f.globals, &name).is_err() {
                return Err(name_error(&name));
            }
        }
        LOAD_ATTR => return adaptive(f, cd, units, op, arg, ip),
        STORE_ATTR => return adaptive(f, cd, units, op, arg, ip),
        DELETE_ATTR => {
            let owner = f.pop();
            abstract_::setattr(&owner, f.name(arg), None)?;
        }
        BINARY_OP => return adaptive(f, cd, units, op, arg, ip),
        BINARY_SUBSCR => return adaptive(f, cd, units, op, arg, ip),
        STORE_SUBSCR => return adaptive(f, cd, units, op, arg, ip),
        DELETE_SUBSCR => {
            let key = f.pop();
            let container = f.pop();
            abstract_::setitem(&container, &key, None)?;
        }
        UNARY_NEGATIVE => {
            let v = f.pop();
            f.push(number::unary_op(&v, UnaryOp::Neg)?);
        }
        UNARY_INVERT => {
            let v = f.pop();
            f.push(number::unary_op(&v, UnaryOp::Invert)?);
        }
        UNARY_NOT => {
            let v = f.pop();
            f.push(bool_::new(!abstract_::is_true(&v)?));
        }
        TO_BOOL => return adaptive(f, cd, units, op, arg, ip),
        COMPARE_OP => return adaptive(f, cd, units, op, arg, ip),
        IS_OP => {
            let b = f.pop();
            let a = f.pop();
            f.push(bool_::new(a.is(&b) != (arg == 1)));
        }
        CONTAINS_OP => {
            let container = f.pop();
            let item = f.pop();
            let r = abstract_::contains(&container, &item)?;
            f.push(bool_::new(r != (arg == 1)));
        }
        BUILD_TUPLE => {
            let items = pop_n(f, arg as usize);
            f.push(tuple::new_from_owned(items));
        }
        BUILD_LIST => {
            let items = pop_n(f, arg as usize);
            let refs: Vec<&Obj> = items.iter().map(|r| &**r).collect();
            f.push(list::new_from(&refs));
        }
        BUILD_MAP => {
            let items = pop_n(f, 2 * arg as usize);
            let d = dict::new();
            for kv in items.chunks(2) {
                dict::set_item(&d, &kv[0], &kv[1])?;
            }
            f.push(d);
        }
        BUILD_STRING => {
            let items = pop_n(f, arg as usize);
            let mut s = String::new();
            let mut cps: Option<Vec<u32>> = None;
            for it in &items {
                match (&mut cps, unicode::as_str(it)) {
                    (None, Ok(t)) => s.push_str(t),
                    (cps_slot, _) => {
                        let v = cps_slot.get_or_insert_with(|| s.chars().map(|c| c as u32).collect());
                        v.extend(unicode::chars(it));
                    }
                }
            }
            f.push(match cps { Some(v) => unicode::from_code_points(&v), None => unicode::new(&s) });
        }
        LIST_APPEND => {
            let v = f.pop();
            list::append(f.peek(arg as usize), &v);
        }
        MAP_ADD => {
            let v = f.pop();
            let k = f.pop();
            dict::set_item(f.peek(arg as usize), &k, &v)?;
        }
        LIST_EXTEND => {
            let seq = f.pop();
            let target = f.peek(arg as usize).new_ref();
            let items = iterobject_collect(&seq).map_err(|e| {
                let t = seq.ob_type();
                // SAFETY: a type's `tp_as_sequence` is NULL or lives as long as the type.
                let seqlike = unsafe { t.slots().tp_as_sequence.as_ref() }.is_some_and(|m| m.sq_item.is_some()) && !dict::check(&seq);
                if e.is_instance(exc::TypeError()) && t.slots().tp_iter.is_none() && !seqlike {
                    raise!(TypeError, "Value after * must be an iterable, not {}", t.name())
                } else {
                    e
                }
            })?;
            for v in items {
                list::append(&target, &v);
            }
        }
        DICT_UPDATE => {
            let src = f.pop();
            let target = f.peek(arg as usize).new_ref();
            dict::merge(&target, &src, true).map_err(|e| {
                if e.is_instance(exc::AttributeError()) {
                    raise!(TypeError, "'{}' object is not a mapping", src.ob_type().name())
                } else {
                    e
                }
            })?;
        }
        DICT_MERGE => {
            // `f(**m)`: the callable sits below NULL-or-self, the positional tuple and the dict.
            let src = f.pop();
            let target = f.peek(arg as usize).new_ref();
            let callable = f.peek(arg as usize + 3).new_ref();
            let keys = if dict::check(&src) {
                dict::items_vec(&src).into_iter().map(|(k, _)| k).collect()
            } else {
                match crate::abstract_::call_method(&src, "keys", &[]) {
                    Ok(keys) => iterobject_collect(&keys)?,
                    Err(e) if e.is_instance(exc::AttributeError()) => {
                        return Err(raise!(TypeError, "{} argument after ** must be a mapping, not {}", function_str(&callable), src.ob_type().name()));
                    }
                    Err(e) => return Err(e),
                }
            };
            for k in keys {
                if dict::contains(&target, &k)? {
                    return Err(raise!(TypeError, "{} got multiple values for keyword argument '{}'", function_str(&callable), unicode::as_str_lossy(&k)));
                }
                let v = crate::abstract_::getitem(&src, &k)?;
                dict::set_item(&target, &k, &v)?;
            }
        }
        UNPACK_SEQUENCE => return adaptive(f, cd, units, op, arg, ip),
        UNPACK_EX => {
            let (before, after) = ((arg & 0xff) as usize, (arg >> 8) as usize);
            let seq = f.pop();
            let items = iterobject_collect(&seq).map_err(|e| unpack_type_error(&seq, e))?;
            if items.len() < before + after {
                return Err(raise!(ValueError, "not enough values to unpack (expected at least {}, got {})", before + after, items.len()));
            }
            let mid = items.len() - after;
            let rest: Vec<&Obj> = items[before..mid].iter().map(|r| &**r).collect();
            let starred = list::new_from(&rest);
            for v in items[mid..].iter().rev() {
                f.push(v.clone());
            }
            f.push(starred);
            for v in items[..before].iter().rev() {
                f.push(v.clone());
            }
        }
        GET_ITER => {
            let v = f.pop();
            f.push(iterobject::get_iter(&v)?);
        }
        FOR_ITER => return adaptive(f, cd, units, op, arg, ip),
        JUMP_FORWARD => *ip += arg as usize,
        JUMP_BACKWARD => {
            if crate::gil::drop_requested() {
                crate::gil::yield_gil();
                crate::stdlib::signal::check_signals()?;
                crate::pending::run_on_eval_break()?;
            }
            *ip -= arg as usize
        }
        POP_JUMP_IF_FALSE | POP_JUMP_IF_TRUE => {
            let v = f.pop();
            let t = if v.is(bool_::_Py_TrueStruct.obj()) {
                true
            } else if v.is(bool_::_Py_FalseStruct.obj()) {
                false
            } else {
                abstract_::is_true(&v)?
            };
            if t == (op == POP_JUMP_IF_TRUE) {
                *ip += arg as usize;
            }
        }
        POP_JUMP_IF_NONE | POP_JUMP_IF_NOT_NONE => {
            let v = f.pop();
            if v.is(none::none_obj()) == (op == POP_JUMP_IF_NONE) {
                *ip += arg as usize;
            }
        }
        CALL => return adaptive(f, cd, units, op, arg, ip),
        CALL_KW => {
            let kwnames = f.pop();
            return do_call(f, arg as usize, Some(kwnames));
        }
        CALL_FUNCTION_EX => {
            let kwargs = f.pop_raw();
            let args = f.pop();
            let self_or_null = f.pop_raw();
            let callable = f.pop();
            // SAFETY: owned or NULL.
            let kwargs = unsafe { PyRef::from_raw_opt(kwargs) };
            let _self = unsafe { PyRef::from_raw_opt(self_or_null) };
            let args = if tuple::check(&args) { args } else { tuple::new_from_owned(iterobject_collect(&args)?) };
            f.push(abstract_::call(&callable, &args, kwargs.as_deref())?);
        }
        MAKE_FUNCTION => {
            let code_obj = f.pop();
            let func = function::new(&code_obj, &f.globals, &f.builtins);
            f.push(func);
        }
        SET_FUNCTION_ATTRIBUTE => {
            let func = f.pop();
            let v = f.pop();
            function::set_field(&func, arg, &v);
            f.push(func);
        }
        RETURN_VALUE => return Ok(Flow::Return(f.pop())),
        IMPORT_NAME => {
            let fromlist = f.pop();
            let level = f.pop();
            let name = f.name(arg >> 2).new_ref();
            let level = long::to_i64(&level).unwrap_or(0);
            let m = match lazy_import_name(f, arg & 3, &name, &fromlist, level)? {
                Some(lazy) => lazy,
                None => crate::import::import_name(&name, &f.globals, &fromlist, level)?,
            };
            f.push(m);
        }
        IMPORT_FROM => {
            let name = f.name(arg).new_ref();
            let v = if lazy_import::check(f.top()) {
                lazy_import::import_from(f.top(), &name)?
            } else {
                crate::import::import_from(f.top(), &name)?
            };
            f.push(v);
        }
        RAISE_VARARGS => return Err(do_raise(f, arg)?),
        RERAISE => {
            let e = f.pop();
            f.reraise_at = Some(f.lasti);
            if arg != 0 {
                let lasti = f.pop();
                f.lasti = long::to_i64(&lasti).unwrap_or(0) as usize;
            }
            return Err(PyErr::from_value(e));
        }
        PUSH_EXC_INFO => {
            let e = f.pop();
            let prev = swap_handled(e.new_ref().into_raw());
            f.push_raw(if prev.is_null() { none::none().into_raw() } else { prev });
            f.push(e);
        }
        POP_EXCEPT => {
            let prev = f.pop();
            let p = if prev.is(none::none_obj()) { null_mut() } else { prev.into_raw() };
            let old = swap_handled(p);
            // SAFETY: owned or NULL.
            unsafe { crate::object::xdecref(old) };
        }
        CHECK_EXC_MATCH => {
            let ty = f.pop();
            check_except_type(&ty)?;
            let m = crate::err::given_exception_matches(f.top(), &ty);
            f.push(bool_::new(m));
        }
        LOAD_BUILD_CLASS => f.push(load_global(f, &unicode::new("__build_class__"))?),
        LOAD_LOCALS => {
            let l = f.locals.clone().ok_or_else(|| raise!(SystemError, "no locals found"))?;
            f.push(l);
        }
        FORMAT_SIMPLE => {
            let v = f.pop();
            f.push(if unicode::check_exact(&v) { v } else { crate::builtins::format(&v, None)? });
        }
        FORMAT_WITH_SPEC => {
            let spec = f.pop();
            let v = f.pop();
            f.push(crate::builtins::format(&v, Some(&spec))?);
        }
        CONVERT_VALUE => {
            let v = f.pop();
            f.push(match arg {
                1 => abstract_::str(&v)?,
                2 => abstract_::repr(&v)?,
                _ => crate::builtins::ascii(&v)?,
            });
        }
        CALL_INTRINSIC_1 => {
            let v = f.pop();
            let r = intrinsic(f, arg, &v)?;
            f.push(r);
        }
        BEFORE_WITH => {
            let mgr = f.pop();
            let enter = lookup_special(&mgr, "__enter__").ok_or_else(|| {
                raise!(TypeError, "'{}' object does not support the context manager protocol", mgr.ob_type().name())
            })?;
            let exit = lookup_special(&mgr, "__exit__").ok_or_else(|| {
                raise!(TypeError, "'{}' object does not support the context manager protocol (missed __exit__ method)", mgr.ob_type().name())
            })?;
            let res = abstract_::call_no_args(&enter)?;
            f.push(exit);
            f.push(res);
        }
        WITH_EXCEPT_START => {
            let exc_v = f.peek(1).new_ref();
            let exit = f.peek(3).new_ref();
            let tb = exc::traceback(&exc_v).map_or_else(none::none, Obj::new_ref);
            let ty = exc_v.ob_type().new_ref();
            let r = abstract_::call(&exit, &tuple::new_from(&[&ty, &exc_v, &tb]), None)?;
            f.push(r);
        }
        YIELD_VALUE => return Ok(Flow::Yield(f.pop())),
        GET_YIELD_FROM_ITER => {
            let v = f.pop();
            if genobject::is_coroutine(&v) && cd.flags & (code::CO_COROUTINE | code::CO_ITERABLE_COROUTINE) == 0 {
                return Err(raise!(TypeError, "cannot 'yield from' a coroutine object in a non-coroutine generator"));
            }
            f.push(if genobject::check(&v) || genobject::is_coroutine(&v) { v } else { iterobject::get_iter(&v)? });
        }
        SEND => {
            use crate::objects::genobject::{send_into, Sent};
            let v = f.pop();
            let receiver = f.top().new_ref();
            match send_into(&receiver, &v)? {
                Sent::Yielded(y) => f.push(y),
                Sent::Returned(r) => {
                    drop(f.pop());
                    f.push(r);
                    *ip += arg as usize;
                }
            }
        }
        SEND_THROW => {
            let e = f.pop();
            drop(f.pop());
            let receiver = f.top().new_ref();
            // Re-raising keeps the traceback the throw gave it (no new entry for this frame).
            let reraise = |f: &mut Frame, e: PyRef| {
                f.reraise_at = Some(f.lasti);
                Err(PyErr::from_value(e))
            };
            if e.is_instance_of(exc::GeneratorExit()) {
                if let Some(close) = abstract_::lookup_attr(&receiver, "close")? {
                    abstract_::call_no_args(&close)?;
                }
                return reraise(f, e);
            }
            let Some(throw) = abstract_::lookup_attr(&receiver, "throw")? else { return reraise(f, e) };
            match abstract_::call(&throw, &tuple::new_from(&[&e]), None) {
                Ok(y) => f.push(y),
                Err(err) if err.is_instance(exc::StopIteration()) => {
                    drop(f.pop());
                    f.push(exc::stop_iteration_value(err.value()));
                    *ip += arg as usize;
                }
                Err(err) => return Err(err),
            }
        }
        RETURN_GENERATOR => {
            return Ok(Flow::Generator);
        }
        GET_AWAITABLE => {
            let v = f.pop();
            f.push(get_awaitable(&v, arg)?);
        }
        GET_AITER => {
            let v = f.pop();
            f.push(get_aiter(&v)?);
        }
        GET_ANEXT => {
            let aw = get_anext(f.top())?;
            f.push(aw);
        }
        END_ASYNC_FOR => {
            let e = f.pop();
            if e.is_instance_of(exc::StopAsyncIteration()) {
                drop(f.pop());
            } else {
                // Re-raising keeps the exception's traceback.
                f.reraise_at = Some(f.lasti);
                return Err(PyErr::from_value(e));
            }
        }
        BEFORE_ASYNC_WITH => {
            let mgr = f.pop();
            let missing = |method: &str| {
                let t = mgr.ob_type();
                // CPython 3.14+ points at `with` when the object is a synchronous manager.
                let hint = if t.lookup_str("__enter__").is_some() && t.lookup_str("__exit__").is_some() {
                    " but it supports the context manager protocol. Did you mean to use 'with'?"
                } else {
                    ""
                };
                raise!(TypeError, "'{}' object does not support the asynchronous context manager protocol (missed {} method){}", t.name(), method, hint)
            };
            let exit = lookup_special(&mgr, "__aexit__").ok_or_else(|| missing("__aexit__"))?;
            let enter = lookup_special(&mgr, "__aenter__").ok_or_else(|| missing("__aenter__"))?;
            let res = abstract_::call_no_args(&enter)?;
            f.push(exit);
            f.push(res);
        }
        BUILD_SET => {
            let items = pop_n(f, arg as usize);
            let s = crate::objects::set::new_empty();
            for v in &items {
                crate::objects::set::add(&s, v)?;
            }
            f.push(s);
        }
        SET_ADD => {
            let v = f.pop();
            crate::objects::set::add(f.peek(arg as usize), &v)?;
        }
        SET_UPDATE => {
            let it = f.pop();
            crate::objects::set::update(f.peek(arg as usize), &it)?;
        }
        MATCH_CLASS => {
            let names = f.pop();
            let cls = f.pop();
            let subject = f.pop();
            f.push(match_class(&subject, &cls, arg as usize, &names)?.unwrap_or_else(none::none));
        }
        MATCH_MAPPING | MATCH_SEQUENCE => {
            let flag = if op == MATCH_MAPPING { Py_TPFLAGS_MAPPING } else { Py_TPFLAGS_SEQUENCE };
            let r = f.top().ob_type().has_flag(flag);
            f.push(bool_::new(r));
        }
        MATCH_KEYS => {
            let keys = f.peek(1).new_ref();
            let subject = f.peek(2).new_ref();
            f.push(match_keys(&subject, &keys)?.unwrap_or_else(none::none));
        }
        GET_LEN => {
            let n = abstract_::len(f.top())?;
            f.push(long::from_i64(n as i64));
        }
        CHECK_EG_MATCH => {
            let ty = f.pop();
            let e = f.pop();
            check_except_star_type(&ty)?;
            let (rest, matched) = exception_group_match(f, &e, &ty)?;
            if !matched.is(none::none_obj()) {
                // The handler body sees the matched group as the handled exception.
                let old = swap_handled(matched.new_ref().into_raw());
                // SAFETY: owned or NULL.
                unsafe { crate::object::xdecref(old) };
            }
            f.push(rest);
            f.push(matched);
        }
        CALL_INTRINSIC_2 => {
            let b = f.pop();
            let a = f.pop();
            let r = intrinsic_2(arg, &a, &b)?;
            f.push(r);
        }
        BUILD_SLICE => {
            let step = if arg == 3 { Some(f.pop()) } else { None };
            let stop = f.pop();
            let start = f.pop();
            f.push(crate::objects::slice::new(Some(&start), Some(&stop), step.as_deref()));
        }
        LOAD_FROM_DICT_OR_DEREF => {
            let mapping = f.pop();
            let i = arg as usize;
            let name = cd.localplus_name(i).new_ref();
            match locals_get(&mapping, &name)? {
                Some(v) => f.push(v),
                None => {
                    // SAFETY: cell slots hold cells.
                    let cell = unsafe { Obj::from_ptr(f.fast[i]) };
                    match function::cell_get(cell) {
                        Some(v) => f.push(v.new_ref()),
                        None => return Err(unbound_local(cd, i)),
                    }
                }
            }
        }
        LOAD_FROM_DICT_OR_GLOBALS => {
            let mapping = f.pop();
            let name = f.name(arg).new_ref();
            let v = match locals_get(&mapping, &name)? {
                Some(v) => v,
                None => load_global(f, &name)?,
            };
            f.push(v);
        }
        LOAD_COMMON_CONSTANT => f.push(match arg {
            0 => exc::AssertionError().new_ref(),
            _ => exc::NotImplementedError().new_ref(),
        }),
        SETUP_ANNOTATIONS => {
            let l = f.locals.clone().ok_or_else(|| raise!(SystemError, "no locals found when setting up annotations"))?;
            let key = unicode::new("__annotations__");
            if locals_get(&l, &key)?.is_none() {
                abstract_::setitem(&l, &key, Some(&dict::new()))?;
            }
        }
        BUILD_INTERPOLATION => {
            let spec = if arg & 1 != 0 { Some(f.pop()) } else { None };
            let expr = f.pop();
            let value = f.pop();
            f.push(crate::objects::templatelib::new_interpolation(&value, &expr, arg >> 2, spec.as_deref())?);
        }
        BUILD_TEMPLATE => {
            let interpolations = f.pop();
            let strings = f.pop();
            f.push(crate::objects::templatelib::new_template(&strings, &interpolations)?);
        }
    }
    Ok(Flow::Next)
}

#[inline(always)]
fn load_fast(f: &mut Frame, cd: &CodeData, i: usize) -> PyResult<()> {
    let p = f.fast[i];
    if p.is_null() {
        return Err(unbound_local(cd, i));
    }
    // SAFETY: a live local.
    f.push(unsafe { Obj::from_ptr(p) }.new_ref());
    Ok(())
}

#[inline(always)]
fn store_fast(f: &mut Frame, i: usize) {
    let v = f.pop_raw();
    let old = core::mem::replace(&mut f.fast[i], v);
    // SAFETY: owned or NULL.
    unsafe { crate::object::xdecref(old) };
}

/// `seq[i]`'s position for an index that may count from the end, if in range.
#[inline(always)]
fn seq_index(i: i64, len: usize) -> Option<usize> {
    let i = if i < 0 { i + len as i64 } else { i };
    (0..len as i64).contains(&i).then_some(i as usize)
}

/// The result of rich comparison `arg` (`Py_LT`..`Py_GE`) given an ordering (None: unordered,
/// as NaN is).
#[inline(always)]
fn compare(o: Option<core::cmp::Ordering>, arg: u32) -> bool {
    use core::cmp::Ordering::*;
    match ((arg >> 5) as i32, o) {
        (Py_LT, Some(Less)) | (Py_LE, Some(Less | Equal)) | (Py_EQ, Some(Equal)) | (Py_GT, Some(Greater)) | (Py_GE, Some(Greater | Equal)) => {
            true
        }
        (Py_NE, o) => o != Some(Equal),
        _ => false,
    }
}

/// The operators of `BINARY_OP_EXTEND_INT` on operands below 2^60 (None: leave it to the
/// generic code — a zero divisor, a negative or huge shift).
#[inline(always)]
fn int_extend(op: BinaryOp, x: i64, y: i64) -> Option<i128> {
    Some(match op {
        BinaryOp::FloorDiv if y != 0 => x.div_euclid(y) as i128 - ((y < 0 && x.rem_euclid(y) != 0) as i128),
        BinaryOp::Mod if y != 0 => {
            let r = x % y;
            (if r != 0 && (r < 0) != (y < 0) { r + y } else { r }) as i128
        }
        BinaryOp::And => (x & y) as i128,
        BinaryOp::Or => (x | y) as i128,
        BinaryOp::Xor => (x ^ y) as i128,
        BinaryOp::LShift if (0..64).contains(&y) => (x as i128) << y,
        BinaryOp::RShift if y >= 0 => (x >> y.min(63)) as i128,
        _ => return None,
    })
}

type PyCFunction = unsafe extern "C" fn(*mut PyObject, *mut PyObject) -> *mut PyObject;
type PyCFunctionFast = unsafe extern "C" fn(*mut PyObject, *const *mut PyObject, Py_ssize_t) -> *mut PyObject;
type PyCFunctionFastWithKeywords = unsafe extern "C" fn(*mut PyObject, *const *mut PyObject, Py_ssize_t, *mut PyObject) -> *mut PyObject;

/// The specialized calls of built-ins and method descriptors; None when the guard fails.
#[inline(always)]
fn call_specialized(op: Opcode, callable: &Obj, args: &[*mut PyObject], total: usize) -> Option<PyResult<PyRef>> {
    use crate::objects::methodobject::{self, CFunctionObject};
    use Opcode::*;
    // SAFETY: argument slots hold live objects.
    let a = |i: usize| unsafe { Obj::from_ptr(args[i]) };
    if op == CALL_TYPE_1 {
        return (callable.is(&type_::PyType_Type) && total == 1).then(|| Ok(a(0).ob_type().new_ref()));
    }
    if op == CALL_NON_PY_GENERAL {
        if callable.is_exact(&methodobject::PyCFunction_Type) {
            // SAFETY: a built-in function; `args` holds `total` live positional arguments.
            return Some(unsafe { methodobject::call_cfunction(callable, args.as_ptr(), total, null_mut()) });
        }
        // SAFETY: `args` holds `total` live positional arguments.
        return (!function::check(callable) && !function::method_check(callable))
            .then(|| unsafe { abstract_::vectorcall(callable, args.as_ptr(), total, null_mut()) });
    }
    let (ml, flags) = specialize::method_def(callable)?;
    let is_cfunction = callable.is_exact(&methodobject::PyCFunction_Type);
    // SAFETY: a built-in's self is its m_self; a method descriptor's is the first argument,
    // which must be an instance of exactly the type defining it.
    let meth = unsafe { (*ml).ml_meth };
    let descr_self_ok = || {
        // SAFETY: callable is a method descriptor here.
        total >= 1 && a(0).ob_type().as_ptr() == unsafe { (*(callable.as_ptr() as *mut crate::objects::descr::DescrObject)).d_type } as *mut PyObject
    };
    // SAFETY: each call matches the definition's calling convention (checked on `flags`).
    let r = unsafe {
        match op {
            CALL_LEN if is_cfunction && crate::builtins::is_len(ml) && total == 1 => return Some(abstract_::len(a(0)).map(long::from_usize)),
            CALL_ISINSTANCE if is_cfunction && crate::builtins::is_isinstance(ml) && total == 2 => {
                return Some(crate::builtins::is_instance(a(0), a(1)).map(bool_::new));
            }
            CALL_BUILTIN_O if is_cfunction && flags == METH_O && total == 1 => {
                let f: PyCFunction = core::mem::transmute(meth);
                f((*(callable.as_ptr() as *mut CFunctionObject)).m_self, args[0])
            }
            CALL_BUILTIN_FAST if is_cfunction && flags == METH_FASTCALL => {
                let f: PyCFunctionFast = core::mem::transmute(meth);
                f((*(callable.as_ptr() as *mut CFunctionObject)).m_self, args.as_ptr(), total as Py_ssize_t)
            }
            // Called positionally: no keyword names (CPython's `_WITH_KEYWORDS` forms).
            CALL_BUILTIN_FAST if is_cfunction && flags == METH_FASTCALL | METH_KEYWORDS => {
                let f: PyCFunctionFastWithKeywords = core::mem::transmute(meth);
                f((*(callable.as_ptr() as *mut CFunctionObject)).m_self, args.as_ptr(), total as Py_ssize_t, null_mut())
            }
            CALL_METHOD_DESCRIPTOR_O if !is_cfunction && flags == METH_O && total == 2 && descr_self_ok() => {
                let f: PyCFunction = core::mem::transmute(meth);
                f(args[0], args[1])
            }
            CALL_METHOD_DESCRIPTOR_FAST if !is_cfunction && flags == METH_FASTCALL && descr_self_ok() => {
                let f: PyCFunctionFast = core::mem::transmute(meth);
                f(args[0], args.as_ptr().add(1), total as Py_ssize_t - 1)
            }
            CALL_METHOD_DESCRIPTOR_FAST if !is_cfunction && flags == METH_FASTCALL | METH_KEYWORDS && descr_self_ok() => {
                let f: PyCFunctionFastWithKeywords = core::mem::transmute(meth);
                f(args[0], args.as_ptr().add(1), total as Py_ssize_t - 1, null_mut())
            }
            CALL_METHOD_DESCRIPTOR_NOARGS if !is_cfunction && flags == METH_NOARGS && total == 1 && descr_self_ok() => {
                let f: PyCFunction = core::mem::transmute(meth);
                f(args[0], null_mut())
            }
            _ => return None,
        }
    };
    // SAFETY: r is what the C function returned.
    Some(unsafe { methodobject::check_function_result(callable, r) })
}

/// The cache of the instruction being executed (of family `base`), which `fetch` has passed.
#[inline(always)]
fn cache_of(ip: usize, units: &[Cell<CodeUnit>], base: Opcode) -> Cache<'_> {
    Cache::new(units, ip - base.cache_entries())
}

/// An adaptive instruction unspecialized, or a specialized one whose guard failed: counts
/// down and either specializes (then re-dispatches the instruction) or runs the generic code.
#[inline(never)]
fn adaptive(f: &mut Frame, cd: &CodeData, units: &[Cell<CodeUnit>], op: Opcode, arg: u32, ip: &mut usize) -> PyResult<Flow> {
    let base = op.family();
    if op != base {
        stats::miss(op);
    }
    let c = cache_of(*ip, units, base);
    if specialize::tick(c) {
        specialize::specialize(&specialize::Site {
            op,
            arg,
            cache: c,
            names: &cd.names,
            stack: &f.stack,
            globals: &f.globals,
            builtins: &f.builtins,
        });
        *ip = f.lasti;
        return Ok(Flow::Next);
    }
    generic(f, base, arg, ip)
}

/// The unspecialized behaviour of the adaptive instructions (`op` is a family's base).
fn generic(f: &mut Frame, op: Opcode, arg: u32, ip: &mut usize) -> PyResult<Flow> {
    use Opcode::*;
    match op {
        LOAD_GLOBAL => {
            let name = f.name(arg >> 1).new_ref();
            let v = load_global(f, &name)?;
            f.push(v);
            if arg & 1 != 0 {
                f.push_raw(null_mut());
            }
        }
        LOAD_ATTR => {
            let name = f.name(arg >> 1).new_ref();
            let owner = f.pop();
            if arg & 1 != 0 {
                match load_method(&owner, &name)? {
                    (m, true) => {
                        f.push(m);
                        f.push(owner);
                    }
                    (a, false) => {
                        f.push(a);
                        f.push_raw(null_mut());
                    }
                }
            } else {
                f.push(abstract_::getattr(&owner, &name)?);
            }
        }
        STORE_ATTR => {
            let owner = f.pop();
            let v = f.pop();
            abstract_::setattr(&owner, f.name(arg), Some(&v))?;
        }
        BINARY_OP => {
            let b = f.pop();
            let a = f.pop();
            let (which, inplace) = if arg >= 13 { (arg - 13, true) } else { (arg, false) };
            let bop = BinaryOp::ALL[which as usize];
            let r = if inplace { number::inplace_op(&a, &b, bop)? } else { number::binary_op(&a, &b, bop)? };
            f.push(r);
        }
        BINARY_SUBSCR => {
            let key = f.pop();
            let container = f.pop();
            f.push(abstract_::getitem(&container, &key)?);
        }
        STORE_SUBSCR => {
            let key = f.pop();
            let container = f.pop();
            let v = f.pop();
            abstract_::setitem(&container, &key, Some(&v))?;
        }
        COMPARE_OP => {
            let b = f.pop();
            let a = f.pop();
            f.push(abstract_::rich_compare(&a, &b, (arg >> 5) as i32)?);
        }
        TO_BOOL => {
            let v = f.pop();
            f.push(bool_::new(abstract_::is_true(&v)?));
        }
        UNPACK_SEQUENCE => {
            let seq = f.pop();
            let items = unpack_iterable(&seq, arg as usize)?;
            for v in items.into_iter().rev() {
                f.push(v);
            }
        }
        FOR_ITER => {
            let it = f.top().new_ref();
            match iterobject::next(&it)? {
                Some(v) => f.push(v),
                None => {
                    drop(f.pop());
                    *ip += arg as usize;
                }
            }
        }
        CALL => return do_call(f, arg as usize, None),
        _ => unreachable!("{} is not adaptive", op.name()),
    }
    Ok(Flow::Next)
}

// ---- coroutines --------------------------------------------------------------------------------

/// `GET_AWAITABLE`: the iterator `await v` delegates to; `how` 1 and 2 name `__aenter__` and
/// `__aexit__` in the message when their result cannot be awaited.
fn get_awaitable(v: &Obj, how: u32) -> PyResult<PyRef> {
    let it = match genobject::awaitable_iter(v) {
        Ok(it) => it,
        Err(e) if how != 0 && !genobject::has_await(v) && e.is_instance(exc::TypeError()) => {
            let method = if how == 1 { "__aenter__" } else { "__aexit__" };
            return Err(raise!(TypeError, "'async with' received an object from {} that does not implement __await__: {}", method, v.ob_type().name()));
        }
        Err(e) => return Err(e),
    };
    if genobject::is_coroutine(&it) && genobject::yielding_from(&it).is_some() {
        return Err(raise!(RuntimeError, "coroutine is being awaited already"));
    }
    Ok(it)
}

fn async_slot(t: &TypeObj, which: fn(&PyAsyncMethods) -> unaryfunc) -> unaryfunc {
    // SAFETY: a type's async suite is NULL or a live table.
    unsafe { t.slots().tp_as_async.as_ref() }.and_then(which)
}

/// `GET_AITER`: `v.__aiter__()`, which must have `__anext__`.
fn get_aiter(v: &Obj) -> PyResult<PyRef> {
    let Some(aiter) = async_slot(v.ob_type(), |a| a.am_aiter) else {
        return Err(raise!(TypeError, "'async for' requires an object with __aiter__ method, got {}", v.ob_type().name()));
    };
    // SAFETY: slot call with a live argument.
    let it = unsafe { slot::from_new(aiter(v.as_ptr())) }?;
    if async_slot(it.ob_type(), |a| a.am_anext).is_none() {
        return Err(raise!(TypeError, "'async for' received an object from __aiter__ that does not implement __anext__: {}", it.ob_type().name()));
    }
    Ok(it)
}

/// `GET_ANEXT`: the awaitable iterator of `aiter.__anext__()`.
fn get_anext(aiter: &Obj) -> PyResult<PyRef> {
    if genobject::is_async_gen(aiter) {
        return genobject::anext(aiter);
    }
    let Some(anext) = async_slot(aiter.ob_type(), |a| a.am_anext) else {
        return Err(raise!(TypeError, "'async for' requires an iterator with __anext__ method, got {}", aiter.ob_type().name()));
    };
    // SAFETY: slot call with a live argument.
    let next = unsafe { slot::from_new(anext(aiter.as_ptr())) }?;
    genobject::awaitable_iter(&next).map_err(|e| {
        let err = raise!(TypeError, "'async for' received an invalid object from __anext__: {}", next.ob_type().name());
        exc::set_cause(err.value(), Some(e.value()));
        err
    })
}

/// `type(o).name` bound to `o` (special method lookup skips the instance dict).
fn lookup_special(o: &Obj, name: &str) -> Option<PyRef> {
    let f = o.ob_type().lookup_str(name)?.new_ref();
    match f.ob_type().slots().tp_descr_get {
        // SAFETY: descriptor slot call with live arguments.
        Some(get) => unsafe { slot::from_new(get(f.as_ptr(), o.as_ptr(), o.ob_type().as_ptr())) }.ok(),
        None => Some(f),
    }
}

/// Intrinsics called by `CALL_INTRINSIC_1`.
pub const INTRINSIC_LIST_TO_TUPLE: u32 = 1;
pub const INTRINSIC_IMPORT_STAR: u32 = 2;
pub const INTRINSIC_UNARY_POSITIVE: u32 = 3;
/// Marks a value an async generator yields itself (see `genobject::wrap_value`).
pub const INTRINSIC_ASYNC_GEN_WRAP: u32 = 4;
/// The interactive prompt's display of an expression statement's value.
pub const INTRINSIC_PRINT: u32 = 5;
/// PEP 695: a type parameter from its name; the generic base of a class from its parameters;
/// a `type` alias from `(name, type_params or None, evaluate_value)` (see `objects::typevar`).
pub const INTRINSIC_TYPEVAR: u32 = 6;
pub const INTRINSIC_PARAMSPEC: u32 = 7;
pub const INTRINSIC_TYPEVARTUPLE: u32 = 8;
pub const INTRINSIC_SUBSCRIPT_GENERIC: u32 = 9;
pub const INTRINSIC_TYPEALIAS: u32 = 10;

/// `sys.displayhook`'s default: print `repr(v)` unless it is None, and keep it as
/// `builtins._`.
fn display(v: &Obj) -> PyResult<()> {
    if let Some(hook) = dict::get_item_str(crate::objects::module::dict_of(&crate::sys::module()), "displayhook") {
        abstract_::call(&hook, &tuple::new_from(&[v]), None)?;
        return Ok(());
    }
    if v.is(none::none_obj()) {
        return Ok(());
    }
    let b = crate::builtins::module();
    let bd = crate::objects::module::dict_of(&b);
    dict::set_item_str(bd, "_", none::none_obj())?;
    let r = abstract_::repr(v)?;
    match crate::stdlib::io::sys_stream("stdout") {
        Some(out) => {
            abstract_::call_method(&out, "write", &[&r])?;
            abstract_::call_method(&out, "write", &[&unicode::new("\n")])?;
        }
        None => return Err(raise!(RuntimeError, "lost sys.stdout")),
    }
    dict::set_item_str(bd, "_", v)
}

fn intrinsic(f: &mut Frame, which: u32, v: &Obj) -> PyResult<PyRef> {
    match which {
        INTRINSIC_LIST_TO_TUPLE => Ok(list::as_tuple(v)),
        INTRINSIC_UNARY_POSITIVE => number::unary_op(v, UnaryOp::Pos),
        INTRINSIC_ASYNC_GEN_WRAP => Ok(genobject::wrap_value(v)),
        INTRINSIC_PRINT => {
            display(v)?;
            Ok(none::none())
        }
        INTRINSIC_TYPEVAR => Ok(crate::objects::typevar::make_typevar(v)),
        INTRINSIC_PARAMSPEC => Ok(crate::objects::typevar::make_paramspec(v)),
        INTRINSIC_TYPEVARTUPLE => Ok(crate::objects::typevar::make_typevartuple(v)),
        INTRINSIC_SUBSCRIPT_GENERIC => crate::objects::typevar::subscript_generic(v),
        INTRINSIC_TYPEALIAS => Ok(crate::objects::typevar::make_typealias(v)),
        INTRINSIC_IMPORT_STAR => {
            let l = f.locals.clone().ok_or_else(|| raise!(SystemError, "no locals for import *"))?;
            crate::import::import_star(v, &l)?;
            Ok(none::none())
        }
        _ => Err(raise!(SystemError, "unknown intrinsic {}", which)),
    }
}

pub const INTRINSIC_PREP_RERAISE_STAR: u32 = 1;
/// PEP 695: (name, evaluate bound/constraints) -> TypeVar; (function, type params) ->
/// function; (type parameter, evaluate default) -> the parameter.
pub const INTRINSIC_TYPEVAR_WITH_BOUND: u32 = 2;
pub const INTRINSIC_TYPEVAR_WITH_CONSTRAINTS: u32 = 3;
pub const INTRINSIC_SET_FUNCTION_TYPE_PARAMS: u32 = 4;
pub const INTRINSIC_SET_TYPEPARAM_DEFAULT: u32 = 5;

fn intrinsic_2(which: u32, a: &Obj, b: &Obj) -> PyResult<PyRef> {
    match which {
        INTRINSIC_PREP_RERAISE_STAR => exc::prep_reraise_star(a, b),
        INTRINSIC_TYPEVAR_WITH_BOUND => Ok(crate::objects::typevar::make_typevar_lazy(a, b, false)),
        INTRINSIC_TYPEVAR_WITH_CONSTRAINTS => Ok(crate::objects::typevar::make_typevar_lazy(a, b, true)),
        INTRINSIC_SET_FUNCTION_TYPE_PARAMS => {
            function::set_field(a, 32, b);
            Ok(a.new_ref())
        }
        INTRINSIC_SET_TYPEPARAM_DEFAULT => crate::objects::typevar::set_default(a, b),
        _ => Err(raise!(SystemError, "unknown intrinsic {}", which)),
    }
}

// ---- pattern matching ------------------------------------------------------------------------

/// `MATCH_CLASS`: the attributes a class pattern extracts (positional sub-patterns through
/// `__match_args__`, then the keywords), or None when the subject does not match.
fn match_class(subject: &Obj, cls: &Obj, nargs: usize, kwnames: &Obj) -> PyResult<Option<PyRef>> {
    let Some(ty) = crate::TypeObj::downcast(cls) else {
        return Err(raise!(TypeError, "class pattern must refer to a class"));
    };
    if !crate::builtins::is_instance(subject, cls)? {
        return Ok(None);
    }
    let seen = crate::objects::set::new_empty();
    let mut attrs: Vec<PyRef> = Vec::new();
    // One attribute; None when the subject lacks it (no match).
    let attr = |name: &Obj| -> PyResult<Option<PyRef>> {
        if crate::objects::set::contains_key(&seen, name)? {
            return Err(raise!(TypeError, "{}() got multiple sub-patterns for attribute {}", ty.name(), unicode::as_str_lossy(&*abstract_::repr(name)?)));
        }
        crate::objects::set::add(&seen, name)?;
        abstract_::getattr_opt(subject, name)
    };
    if nargs > 0 {
        let (match_args, match_self) = match abstract_::getattr_str(cls, "__match_args__") {
            Ok(m) => {
                if !tuple::check_exact(&m) {
                    return Err(raise!(TypeError, "{}.__match_args__ must be a tuple (got {})", ty.name(), m.ob_type().name()));
                }
                (m, false)
            }
            Err(e) if e.is_instance(exc::AttributeError()) => (tuple::empty(), ty.has_flag(_Py_TPFLAGS_MATCH_SELF)),
            Err(e) => return Err(e),
        };
        let allowed = if match_self { 1 } else { tuple::len(&match_args) };
        if allowed < nargs {
            let plural = if allowed == 1 { "" } else { "s" };
            return Err(raise!(TypeError, "{}() accepts {} positional sub-pattern{} ({} given)", ty.name(), allowed, plural, nargs));
        }
        if match_self {
            attrs.push(subject.new_ref());
        } else {
            for name in &tuple::items(&match_args)[..nargs] {
                if !unicode::check_exact(name) {
                    return Err(raise!(TypeError, "__match_args__ elements must be strings (got {})", name.ob_type().name()));
                }
                match attr(name)? {
                    Some(v) => attrs.push(v),
                    None => return Ok(None),
                }
            }
        }
    }
    for name in tuple::items(kwnames) {
        match attr(name)? {
            Some(v) => attrs.push(v),
            None => return Ok(None),
        }
    }
    Ok(Some(tuple::new_from_owned(attrs)))
}

/// `MATCH_KEYS`: the values of `keys` in the mapping (looked up with `get`, so
/// `__missing__` is not triggered), or None if one is missing.
fn match_keys(map: &Obj, keys: &Obj) -> PyResult<Option<PyRef>> {
    let keys = tuple::items(keys);
    if keys.is_empty() {
        return Ok(Some(tuple::empty()));
    }
    let get = abstract_::getattr_str(map, "get")?;
    let seen = crate::objects::set::new_empty();
    let dummy = abstract_::call_no_args(&crate::objects::type_::PyBaseObject_Type)?;
    let mut values = Vec::with_capacity(keys.len());
    for key in keys {
        if crate::objects::set::contains_key(&seen, key)? {
            return Err(raise!(ValueError, "mapping pattern checks duplicate key ({})", unicode::as_str_lossy(&*abstract_::repr(key)?)));
        }
        crate::objects::set::add(&seen, key)?;
        let v = abstract_::call(&get, &tuple::new_from(&[key, &dummy]), None)?;
        if v.is(&dummy) {
            return Ok(None);
        }
        values.push(v);
    }
    Ok(Some(tuple::new_from_owned(values)))
}

// ---- except* ---------------------------------------------------------------------------------

/// `except* T` accepts what `except T` accepts, except exception groups.
fn check_except_star_type(ty: &Obj) -> PyResult<()> {
    check_except_type(ty)?;
    let is_group = |t: &Obj| crate::TypeObj::downcast(t).is_some_and(|t| t.is_subtype(exc::BaseExceptionGroup()));
    let bad = match tuple::as_slice_if_tuple(ty) {
        Some(items) => items.iter().any(|t| is_group(t)),
        None => is_group(ty),
    };
    if bad {
        return Err(raise!(TypeError, "catching ExceptionGroup with except* is not allowed. Use except instead."));
    }
    Ok(())
}

/// Splits the exception an `except*` clause sees into (rest, match): a full match of a
/// group is the group itself; a matching naked exception is wrapped in
/// `ExceptionGroup("", [exc])`; a group matching in part is split.
fn exception_group_match(f: &Frame, e: &Obj, ty: &Obj) -> PyResult<(PyRef, PyRef)> {
    if e.is(none::none_obj()) {
        return Ok((none::none(), none::none()));
    }
    if crate::err::given_exception_matches(e, ty) {
        if exc::is_group(e) {
            return Ok((none::none(), e.new_ref()));
        }
        let wrapped = exc::create_group("", &tuple::new_from(&[e]))?;
        let fo = crate::objects::frameobject::of(f).ok();
        // SAFETY: `of` returns the frame's own object (borrowed), alive while the frame is.
        let fo = fo.map(|p| unsafe { Obj::from_ptr(p) });
        crate::traceback::add_frame_entry(&wrapped, fo, &f.code, f.lasti, f.lineno());
        return Ok((none::none(), wrapped));
    }
    if exc::is_group(e) {
        let pair = abstract_::call_method(e, "split", &[ty])?;
        if !tuple::check_exact(&pair) {
            return Err(raise!(TypeError, "{}.split must return a tuple, not {}", e.ob_type().name(), pair.ob_type().name()));
        }
        if tuple::len(&pair) < 2 {
            return Err(raise!(TypeError, "{}.split must return a 2-tuple, got tuple of size {}", e.ob_type().name(), tuple::len(&pair)));
        }
        return Ok((tuple::get(&pair, 1).new_ref(), tuple::get(&pair, 0).new_ref()));
    }
    Ok((e.new_ref(), none::none()))
}

/// `except T:` requires classes deriving from BaseException (or tuples of them).
fn check_except_type(ty: &Obj) -> PyResult<()> {
    let ok = |t: &Obj| crate::TypeObj::downcast(t).is_some_and(|t| t.is_subtype(exc::BaseException()));
    let valid = match tuple::as_slice_if_tuple(ty) {
        Some(items) => items.iter().all(|t| ok(t)),
        None => ok(ty),
    };
    if valid {
        Ok(())
    } else {
        Err(raise!(TypeError, "catching classes that do not inherit from BaseException is not allowed"))
    }
}

/// `raise`, `raise exc`, `raise exc from cause`.
fn do_raise(f: &mut Frame, argc: u32) -> PyResult<PyErr> {
    let cause = if argc == 2 { Some(f.pop()) } else { None };
    if argc == 0 {
        return match handled_exception() {
            Some(e) => {
                // A bare `raise` re-raises: the traceback is not extended here.
                f.reraise_at = Some(f.lasti);
                Ok(PyErr::from_value(e))
            }
            None => Ok(raise!(RuntimeError, "No active exception to reraise")),
        };
    }
    let v = f.pop();
    let e = instantiate_exception(&v)?;
    if let Some(c) = cause {
        if c.is(none::none_obj()) {
            exc::set_cause(e.value(), None);
        } else {
            let c = instantiate_exception(&c).map_err(|_| raise!(TypeError, "exception causes must derive from BaseException"))?;
            exc::set_cause(e.value(), Some(c.value()));
        }
    }
    Ok(e)
}

/// An exception instance from `raise X` (a class is called with no arguments).
fn instantiate_exception(v: &Obj) -> PyResult<PyErr> {
    if let Some(t) = crate::TypeObj::downcast(v) {
        if t.is_subtype(exc::BaseException()) {
            return Ok(PyErr::from_type_no_args(t));
        }
    } else if v.is_instance_of(exc::BaseException()) {
        return Ok(PyErr::from_value(v.new_ref()));
    }
    Err(raise!(TypeError, "exceptions must derive from BaseException"))
}

/// `LOAD_ATTR` for a call: `(function, true)` when the attribute is a plain method found on
/// the type (call it with the owner as first argument, no bound-method object), else
/// `(attribute, false)`.
fn load_method(owner: &Obj, name: &Obj) -> PyResult<(PyRef, bool)> {
    let ty = owner.ob_type();
    let generic = ty.slots().tp_getattro.is_some_and(|g| {
        crate::objects::type_::is_slot(g, crate::objects::type_::generic_getattr as unsafe extern "C" fn(_, _) -> _)
    });
    if generic {
        if let Some(d) = ty.lookup(name).map(Obj::new_ref) {
            if d.ob_type().has_flag(Py_TPFLAGS_METHOD_DESCRIPTOR) {
                // An instance attribute of the same name shadows the method.
                let shadowed = instance_dict(owner).is_some_and(|dd| dict::get_item_borrowed(dd, name).is_some());
                if !shadowed {
                    return Ok((d, true));
                }
            }
        }
    }
    Ok((abstract_::getattr(owner, name)?, false))
}

fn instance_dict(o: &Obj) -> Option<&Obj> {
    // SAFETY: the slot holds NULL or the instance's dict.
    type_::instance_dict_slot(o).and_then(|slot| unsafe { slot::opt_arg(*slot) })
}

/// `locals[name]` for a dict or any mapping; None if absent.
fn locals_get(l: &Obj, name: &Obj) -> PyResult<Option<PyRef>> {
    if dict::check_exact(l) {
        return dict::get_item(l, name);
    }
    match abstract_::getitem(l, name) {
        Ok(v) => Ok(Some(v)),
        Err(e) if e.is_instance(exc::KeyError()) => Ok(None),
        Err(e) => Err(e),
    }
}

/// The items of any iterable.
/// `a, b, c = seq` (CPython's `unpack_iterable`): exactly `n` items, taking at most one more
/// from the iterator (which may be endless) to tell that there are too many.
fn unpack_iterable(seq: &Obj, n: usize) -> PyResult<Vec<PyRef>> {
    let it = iterobject::get_iter(seq).map_err(|e| unpack_type_error(seq, e))?;
    let mut items = Vec::with_capacity(n);
    while items.len() < n {
        match iterobject::next(&it)? {
            Some(v) => items.push(v),
            None => return Err(raise!(ValueError, "not enough values to unpack (expected {}, got {})", n, items.len())),
        }
    }
    if iterobject::next(&it)?.is_none() {
        return Ok(items);
    }
    // The length of a list, tuple or dict is known (3.14+ names it).
    let known = if tuple::check_exact(seq) || seq.ob_type().is(&list::PyList_Type) || seq.ob_type().is(&dict::PyDict_Type) {
        Some(abstract_::len(seq)?)
    } else {
        None
    };
    Err(match known {
        Some(len) => raise!(ValueError, "too many values to unpack (expected {}, got {})", n, len),
        None => raise!(ValueError, "too many values to unpack (expected {})", n),
    })
}

/// Unpacking an object that cannot be iterated: CPython's message names the unpacking.
fn unpack_type_error(seq: &Obj, e: PyErr) -> PyErr {
    let t = seq.ob_type();
    // SAFETY: a live type's sequence suite is NULL or a live table.
    let is_sequence = unsafe { t.slots().tp_as_sequence.as_ref() }.is_some_and(|s| s.sq_item.is_some()) && !t.is(&dict::PyDict_Type);
    if e.is_instance(exc::TypeError()) && t.slots().tp_iter.is_none() && !is_sequence {
        return raise!(TypeError, "cannot unpack non-iterable {} object", t.name());
    }
    e
}

pub fn iterobject_collect(o: &Obj) -> PyResult<Vec<PyRef>> {
    if let Some(items) = tuple::as_slice_if_tuple(o) {
        return Ok(items.iter().map(|i| i.new_ref()).collect());
    }
    if list::check(o) {
        return Ok(list::to_vec(o));
    }
    let it = iterobject::get_iter(o)?;
    let mut out = Vec::new();
    while let Some(v) = iterobject::next(&it)? {
        out.push(v);
    }
    Ok(out)
}

/// `_PyObject_FunctionStr`: `module.qualname()` (just `qualname()` for builtins) for errors
/// that name a callable.
fn function_str(f: &Obj) -> String {
    let qualname = match abstract_::lookup_attr(f, "__qualname__") {
        Ok(Some(q)) if unicode::check(&q) => unicode::as_str_lossy(&q).to_string(),
        _ => return abstract_::str(f).map(|s| unicode::as_str_lossy(&s).into_owned()).unwrap_or_default(),
    };
    match abstract_::lookup_attr(f, "__module__") {
        Ok(Some(m)) if unicode::check(&m) && unicode::as_str_lossy(&m) != "builtins" => format!("{}.{}()", unicode::as_str_lossy(&m), qualname),
        _ => format!("{qualname}()"),
    }
}
