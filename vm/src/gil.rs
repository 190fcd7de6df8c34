//! Threads and the GIL: thread states, the global interpreter lock, and the GIL-state API
//! that C extensions use from their own threads (`PyGILState_Ensure`/`Release`,
//! `PyEval_SaveThread`/`RestoreThread`, `PyThreadState_Swap`).
//!
//! A thread runs Python or touches objects only while *attached*: it has a
//! current thread state, and holding one means holding the GIL. The lock is a mutex-guarded
//! flag with a condition variable; a thread that waits longer than the switch interval sets
//! [`drop_requested`], which the interpreter polls on backward jumps and then hands the lock
//! over ([`yield_gil`]), as CPython's eval breaker does.
//!
//! A thread that exits while attached releases the GIL (its thread-local guard does), so an
//! embedding test harness that runs the VM on successive threads does not deadlock.

use core::cell::{Cell, RefCell};
use core::ptr::null_mut;
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU64, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard};
use std::time::Duration;

use pyrite_abi::PyObject;

use crate::objects::dict;

/// How long a thread waits for the GIL before asking the holder to let go (CPython's
/// default `sys.getswitchinterval()`).
const SWITCH_INTERVAL: Duration = Duration::from_millis(5);

/// A thread state (`PyThreadState *` in the C API; opaque to the Stable ABI).
#[repr(C)]
pub struct ThreadState {
    pub interp: *mut InterpreterState,
    /// `PyThreadState_GetID`: unique for the process's life.
    pub id: u64,
    /// `PyThreadState_GetDict`: an owned dict, created on first request, or NULL.
    pub dict: *mut PyObject,
    /// `PyGILState_Ensure` calls not yet matched by `PyGILState_Release`.
    pub gilstate_counter: i64,
    /// The OS thread (`pthread_self`, `threading.get_ident()`) it was last attached to.
    pub thread_ident: u64,
    /// `PyThreadState_SetAsyncExc`: an exception (owned, or NULL) to raise in this thread at
    /// its next eval break.
    pub async_exc: *mut PyObject,
    /// The thread's list of running evaluation loops (`interp::running_lists`), recorded
    /// when it attaches, so `PyThreadState_GetFrame` can see another thread's frames.
    pub running: *const core::ffi::c_void,
    /// The VM state (running loops, exceptions) this state had when its thread swapped to
    /// another one ([`swap`]); given back when it is attached again.
    pub swapped_out: Option<crate::interp::SwappedOut>,
}

/// Every live thread state, for `PyThreadState_SetAsyncExc` (addresses).
static ALL_STATES: Mutex<Vec<usize>> = Mutex::new(Vec::new());

/// Calls `f` on each live thread state (the caller holds the GIL).
pub fn for_each_thread_state(mut f: impl FnMut(*mut ThreadState)) {
    let all = ALL_STATES.lock().unwrap_or_else(|p| p.into_inner()).clone();
    for p in all {
        f(p as *mut ThreadState);
    }
}

/// The interpreter state (`PyInterpreterState *`; opaque to the Stable ABI).
///
/// The main interpreter is a static; sub-interpreters (`Py_NewInterpreter`) and bare ones
/// (`PyInterpreterState_New`) are boxed. What is per interpreter hangs off it: its `sys` and
/// `builtins` modules (for the main interpreter these are the process-wide statics behind
/// `sys::module()`/`builtins::module()`, so its fields stay NULL), whether importlib is
/// installed in it, its single-phase modules by definition, and its dict (`atexit` and
/// fork hooks carry its id). Everything else (types, the codec registry, signal handlers,
/// the native modules kept immortal) is shared: see ARCHITECTURE.md.
#[repr(C)]
pub struct InterpreterState {
    pub id: i64,
    /// `PyInterpreterState_GetDict`: owned, created on first request.
    pub dict: Cell<*mut PyObject>,
    /// A sub-interpreter's `sys` module (owned); NULL for the main and for a bare interpreter.
    pub sys: Cell<*mut PyObject>,
    /// A sub-interpreter's `builtins` module (owned); NULL for the main and for a bare one.
    pub builtins: Cell<*mut PyObject>,
    /// `import::install_importlib` ran in this interpreter.
    pub importlib_installed: Cell<bool>,
    /// The single-phase modules by their definition's `m_index` (`PyState_FindModule`).
    pub modules_by_index: RefCell<Vec<Option<crate::object::PyRef>>>,
    /// `sys.get_int_max_str_digits()` (0: no limit); a new interpreter starts with its
    /// creator's, as CPython copies the creating interpreter's config.
    pub int_max_str_digits: Cell<usize>,
}

// SAFETY: the interpreter's fields are touched only by the thread holding the GIL.
unsafe impl Sync for InterpreterState {}

static MAIN_INTERPRETER: InterpreterState = InterpreterState {
    id: 0,
    dict: Cell::new(null_mut()),
    sys: Cell::new(null_mut()),
    builtins: Cell::new(null_mut()),
    importlib_installed: Cell::new(false),
    modules_by_index: RefCell::new(Vec::new()),
    int_max_str_digits: Cell::new(crate::objects::long::DEFAULT_MAX_STR_DIGITS),
};

/// The ids of interpreters made after the main one (CPython numbers them 1, 2, ...).
static NEXT_INTERPRETER_ID: AtomicI64 = AtomicI64::new(1);

/// Every live interpreter but the main one (addresses).
static SUB_INTERPRETERS: Mutex<Vec<usize>> = Mutex::new(Vec::new());

/// The main interpreter.
pub fn interpreter() -> *mut InterpreterState {
    &MAIN_INTERPRETER as *const InterpreterState as *mut InterpreterState
}

/// The attached thread's interpreter; the main one when the thread is detached.
pub fn current_interpreter() -> *mut InterpreterState {
    let ts = current();
    if ts.is_null() {
        return interpreter();
    }
    // SAFETY: the attached state is live.
    unsafe { (*ts).interp }
}

/// The attached thread's interpreter when it is not the main one: the slow path of
/// `sys::module()`/`builtins::module()` (one thread-local read and a compare otherwise).
#[inline]
pub fn current_sub_interpreter() -> Option<&'static InterpreterState> {
    let interp = current_interpreter();
    if core::ptr::eq(interp, &MAIN_INTERPRETER) {
        return None;
    }
    // SAFETY: a live interpreter (it has an attached thread state); it is freed only by
    // `delete_interpreter`, after its last thread state.
    Some(unsafe { &*interp })
}

/// `interp` is the main interpreter or a live one made by [`new_interpreter_state`].
pub fn is_live_interpreter(interp: *mut InterpreterState) -> bool {
    interp == interpreter() || SUB_INTERPRETERS.lock().unwrap_or_else(|p| p.into_inner()).contains(&(interp as usize))
}

/// A new interpreter state with the next id and nothing in it (`PyInterpreterState_New`).
pub fn new_interpreter_state() -> *mut InterpreterState {
    // SAFETY: the current interpreter is live.
    let int_max_str_digits = unsafe { (*current_interpreter()).int_max_str_digits.get() };
    let interp = Box::into_raw(Box::new(InterpreterState {
        id: NEXT_INTERPRETER_ID.fetch_add(1, Ordering::Relaxed),
        dict: Cell::new(null_mut()),
        sys: Cell::new(null_mut()),
        builtins: Cell::new(null_mut()),
        importlib_installed: Cell::new(false),
        modules_by_index: RefCell::new(Vec::new()),
        int_max_str_digits: Cell::new(int_max_str_digits),
    }));
    SUB_INTERPRETERS.lock().unwrap_or_else(|p| p.into_inner()).push(interp as usize);
    interp
}

/// The thread states of `interp` (addresses).
pub fn thread_states_of(interp: *mut InterpreterState) -> Vec<*mut ThreadState> {
    let all = ALL_STATES.lock().unwrap_or_else(|p| p.into_inner()).clone();
    // SAFETY: every registered state is live.
    all.into_iter().map(|p| p as *mut ThreadState).filter(|&ts| unsafe { (*ts).interp } == interp).collect()
}

/// `PyInterpreterState_Clear`'s part on the state itself: drops the references it holds
/// (the caller has cleared its modules).
///
/// # Safety
/// `interp` is a live interpreter; the caller is attached (objects may be freed).
pub unsafe fn clear_interpreter_state(interp: *mut InterpreterState) {
    // SAFETY: guaranteed by the caller.
    let i = unsafe { &*interp };
    let by_index = core::mem::take(&mut *i.modules_by_index.borrow_mut());
    drop(by_index);
    for cell in [&i.dict, &i.sys, &i.builtins] {
        let p = cell.replace(null_mut());
        // SAFETY: an owned reference.
        unsafe { crate::object::xdecref(p) };
    }
    i.importlib_installed.set(false);
}

/// `PyInterpreterState_Delete`: deletes the interpreter's remaining thread states and frees it.
///
/// # Safety
/// `interp` is a live interpreter other than the main one, with no attached state on
/// another thread; it is not used again; the caller is attached.
pub unsafe fn delete_interpreter_state(interp: *mut InterpreterState) {
    // What `PyInterpreterState_Clear` was not called to drop (CPython would leak it).
    // SAFETY: live; the caller is attached.
    unsafe { clear_interpreter_state(interp) };
    let ts = current();
    // SAFETY: the attached state is live.
    if !ts.is_null() && unsafe { (*ts).interp } == interp {
        detach();
    }
    for ts in thread_states_of(interp) {
        // SAFETY: a live state of this interpreter, not attached here (detached above).
        unsafe { delete_thread_state(ts) };
    }
    SUB_INTERPRETERS.lock().unwrap_or_else(|p| p.into_inner()).retain(|&p| p != interp as usize);
    // SAFETY: made by `new_interpreter_state` and unregistered above.
    unsafe { drop(Box::from_raw(interp)) };
}

/// `PyInterpreterState_GetDict`: the interpreter's dict (borrowed), created on first use.
pub fn interpreter_dict(interp: *mut InterpreterState) -> *mut PyObject {
    // SAFETY: a live interpreter (the caller checked).
    let i = unsafe { &*interp };
    let d = i.dict.get();
    if !d.is_null() {
        return d;
    }
    let d = dict::new().into_raw();
    i.dict.set(d);
    d
}

struct Lock {
    held: bool,
    /// Incremented at each acquisition, so a thread yielding the lock can tell that another
    /// thread took it.
    switches: u64,
    waiters: usize,
}

static LOCK: Mutex<Lock> = Mutex::new(Lock { held: false, switches: 0, waiters: 0 });
static CHANGED: Condvar = Condvar::new();
static DROP_REQUEST: AtomicBool = AtomicBool::new(false);
static NEXT_THREAD_ID: AtomicU64 = AtomicU64::new(1);

fn lock() -> MutexGuard<'static, Lock> {
    LOCK.lock().unwrap_or_else(|p| p.into_inner())
}

/// Another thread has waited a switch interval for the GIL.
#[inline(always)]
pub fn drop_requested() -> bool {
    DROP_REQUEST.load(Ordering::Relaxed)
}

/// Makes the interpreter look up from its loop at the next backward jump, where it also
/// runs pending signal handlers (`stdlib::signal::check_signals`). Async-signal-safe: a
/// C signal handler calls it.
#[inline(always)]
pub fn request_eval_break() {
    DROP_REQUEST.store(true, Ordering::Relaxed);
}

fn acquire_lock() {
    let mut l = lock();
    if l.held {
        l.waiters += 1;
        while l.held {
            let (g, timeout) = CHANGED.wait_timeout(l, SWITCH_INTERVAL).unwrap_or_else(|p| p.into_inner());
            l = g;
            if l.held && timeout.timed_out() {
                DROP_REQUEST.store(true, Ordering::Relaxed);
            }
        }
        l.waiters -= 1;
    }
    l.held = true;
    l.switches += 1;
    if l.waiters == 0 {
        DROP_REQUEST.store(false, Ordering::Relaxed);
    }
    drop(l);
    // A thread yielding the lock waits for this acquisition.
    CHANGED.notify_all();
}

fn release_lock() {
    let mut l = lock();
    debug_assert!(l.held, "releasing a GIL nobody holds");
    l.held = false;
    drop(l);
    CHANGED.notify_all();
}

/// Called by the attached thread when [`drop_requested`]: lets a waiting thread take the GIL
/// and run, then takes it back.
pub fn yield_gil() {
    let ts = CURRENT.with(Cell::get);
    if ts.is_null() {
        return;
    }
    DROP_REQUEST.store(false, Ordering::Relaxed);
    let mut l = lock();
    let before = l.switches;
    l.held = false;
    CHANGED.notify_all();
    while l.waiters > 0 && l.switches == before {
        l = CHANGED.wait(l).unwrap_or_else(|p| p.into_inner());
    }
    drop(l);
    acquire_lock();
}

thread_local! {
    /// The GIL's bookkeeping lock, held by the forking thread across `fork()`
    /// ([`before_fork`] .. [`after_fork_parent`]/[`after_fork_child`]), so the child never
    /// inherits it locked by a thread that does not exist there.
    static FORK_GUARD: core::cell::RefCell<Option<MutexGuard<'static, Lock>>> = const { core::cell::RefCell::new(None) };
}

/// `PyOS_BeforeFork`: takes the GIL's bookkeeping lock for the duration of the fork.
pub fn before_fork() {
    let g = lock();
    FORK_GUARD.with(|f| *f.borrow_mut() = Some(g));
}

/// `PyOS_AfterFork_Parent`: the fork is over; other threads may take the GIL again.
pub fn after_fork_parent() {
    FORK_GUARD.with(|f| drop(f.borrow_mut().take()));
}

/// `PyOS_AfterFork_Child`: only the forking thread exists in the child. The GIL is held
/// exactly if that thread was attached; nobody waits for it.
pub fn after_fork_child() {
    let attached = !current().is_null();
    FORK_GUARD.with(|f| {
        let mut slot = f.borrow_mut();
        let mut g = slot.take().unwrap_or_else(lock);
        g.held = attached;
        g.waiters = 0;
    });
    DROP_REQUEST.store(false, Ordering::Relaxed);
}

/// Releases the GIL if the thread ends while attached.
struct ThreadGuard;

impl Drop for ThreadGuard {
    fn drop(&mut self) {
        let ts = CURRENT.with(Cell::get);
        if !ts.is_null() {
            CURRENT.with(|c| c.set(null_mut()));
            release_lock();
        }
    }
}

thread_local! {
    /// The attached thread state (NULL: detached, not holding the GIL).
    static CURRENT: Cell<*mut ThreadState> = const { Cell::new(null_mut()) };
    /// This thread's `PyGILState` thread state, created by the first `PyGILState_Ensure`.
    static AUTO: Cell<*mut ThreadState> = const { Cell::new(null_mut()) };
    static GUARD: ThreadGuard = const { ThreadGuard };
}

/// `PyThreadState_New`: a new, detached thread state of the main interpreter.
pub fn new_thread_state() -> *mut ThreadState {
    new_thread_state_in(interpreter())
}

/// `PyThreadState_New(interp)`: a new, detached thread state of `interp`.
pub fn new_thread_state_in(interp: *mut InterpreterState) -> *mut ThreadState {
    let ts = Box::into_raw(Box::new(ThreadState {
        interp,
        id: NEXT_THREAD_ID.fetch_add(1, Ordering::Relaxed),
        dict: null_mut(),
        gilstate_counter: 0,
        thread_ident: 0,
        async_exc: null_mut(),
        running: core::ptr::null(),
        swapped_out: None,
    }));
    ALL_STATES.lock().unwrap_or_else(|p| p.into_inner()).push(ts as usize);
    ts
}

/// `PyThreadState_Clear`: drops what the state owns.
///
/// # Safety
/// `ts` came from [`new_thread_state`] and is live; the caller is attached.
pub unsafe fn clear_thread_state(ts: *mut ThreadState) {
    // SAFETY: guaranteed by the caller.
    unsafe {
        let d = core::mem::replace(&mut (*ts).dict, null_mut());
        crate::object::xdecref(d);
        let e = core::mem::replace(&mut (*ts).async_exc, null_mut());
        crate::object::xdecref(e);
        if let Some(saved) = (*ts).swapped_out.take() {
            saved.discard();
        }
    }
}

/// Takes `ts` off the list of live thread states while its thread still holds the GIL, so an
/// attached thread never sees a state whose thread has finished with it (`Py_EndInterpreter`
/// counting its interpreter's threads); [`delete_thread_state`] then frees it.
pub fn unregister_thread_state(ts: *mut ThreadState) {
    ALL_STATES.lock().unwrap_or_else(|p| p.into_inner()).retain(|&p| p != ts as usize);
}

/// `PyThreadState_Delete`: frees a detached thread state.
///
/// # Safety
/// `ts` came from [`new_thread_state`], is not attached to any thread, and is not used again.
pub unsafe fn delete_thread_state(ts: *mut ThreadState) {
    AUTO.with(|a| {
        if a.get() == ts {
            a.set(null_mut());
        }
    });
    ALL_STATES.lock().unwrap_or_else(|p| p.into_inner()).retain(|&p| p != ts as usize);
    // SAFETY: guaranteed by the caller; a dict left behind is dropped without the GIL only
    // if the caller broke the contract of clearing first.
    unsafe {
        let d = (*ts).dict;
        if !d.is_null() {
            crate::object::xdecref(d);
        }
        crate::object::xdecref((*ts).async_exc);
        drop(Box::from_raw(ts));
    }
}

/// The attached thread state, or NULL.
pub fn current() -> *mut ThreadState {
    CURRENT.with(Cell::get)
}

/// Attaches `ts` to this thread, taking the GIL.
///
/// # Safety
/// `ts` is a live thread state not attached elsewhere; this thread is detached.
pub unsafe fn attach(ts: *mut ThreadState) {
    debug_assert!(current().is_null(), "attaching an already attached thread");
    GUARD.with(|_| ());
    acquire_lock();
    CURRENT.with(|c| c.set(ts));
    // SAFETY: guaranteed by the caller; this thread now holds the GIL.
    unsafe {
        (*ts).thread_ident = crate::stdlib::thread::ident();
        (*ts).running = crate::interp::running_lists();
        if let Some(saved) = (*ts).swapped_out.take() {
            crate::interp::swap_in(saved);
        }
        if !(*ts).async_exc.is_null() {
            request_eval_break();
        }
    }
}

/// Detaches this thread's state and releases the GIL; returns the state (NULL if detached).
pub fn detach() -> *mut ThreadState {
    let ts = CURRENT.with(|c| c.replace(null_mut()));
    if !ts.is_null() {
        release_lock();
    }
    ts
}

/// `PyThreadState_Swap`: makes `ts` (or nothing) this thread's attached state.
///
/// # Safety
/// `ts` is NULL or a live thread state not attached to another thread.
pub unsafe fn swap(ts: *mut ThreadState) -> *mut ThreadState {
    let old = current();
    if old == ts {
        return old;
    }
    if !old.is_null() {
        // The frames and exceptions of `old` are its own: the next state starts without them.
        // SAFETY: the attached state is live and this thread's.
        unsafe { (*old).swapped_out = Some(crate::interp::swap_out()) };
    }
    detach();
    if !ts.is_null() {
        // SAFETY: guaranteed by the caller.
        unsafe { attach(ts) };
    }
    old
}

/// This thread's GIL-state thread state, created if needed.
pub fn gilstate_thread_state() -> *mut ThreadState {
    AUTO.with(|a| {
        if a.get().is_null() {
            a.set(new_thread_state());
        }
        a.get()
    })
}

/// `PyGILState_GetThisThreadState`: this thread's GIL-state thread state, or NULL.
pub fn gilstate_this_thread() -> *mut ThreadState {
    AUTO.with(Cell::get)
}

/// `PyGILState_LOCKED` and `PyGILState_UNLOCKED`.
pub const GILSTATE_LOCKED: i32 = 0;
pub const GILSTATE_UNLOCKED: i32 = 1;

/// `PyGILState_Ensure`: attaches this thread (any thread, also one Python never saw) unless
/// it is attached already; says which, for the matching [`gilstate_release`].
pub fn gilstate_ensure() -> i32 {
    let auto = gilstate_thread_state();
    let attached = !current().is_null();
    if !attached {
        // SAFETY: `auto` is this thread's own state and the thread is detached.
        unsafe { attach(auto) };
    }
    // SAFETY: `auto` is live and used only by this thread.
    unsafe { (*auto).gilstate_counter += 1 };
    if attached {
        GILSTATE_LOCKED
    } else {
        GILSTATE_UNLOCKED
    }
}

/// `PyGILState_Release`: undoes the matching [`gilstate_ensure`].
pub fn gilstate_release(state: i32) {
    let auto = gilstate_this_thread();
    if !auto.is_null() {
        // SAFETY: this thread's own state.
        unsafe { (*auto).gilstate_counter -= 1 };
    }
    if state == GILSTATE_UNLOCKED {
        detach();
    }
}

/// Attaches the calling thread with its GIL-state thread state unless it is attached: what
/// the runtime does for the thread that initializes it.
pub fn ensure_attached() {
    if current().is_null() {
        // SAFETY: this thread's own state, and the thread is detached.
        unsafe { attach(gilstate_thread_state()) };
    }
}

/// `PyThreadState_GetDict`: the attached state's dict (borrowed), or NULL when detached.
pub fn thread_dict() -> *mut PyObject {
    let ts = current();
    if ts.is_null() {
        return null_mut();
    }
    // SAFETY: the attached state is live and this thread's.
    unsafe {
        if (*ts).dict.is_null() {
            (*ts).dict = dict::new().into_raw();
        }
        (*ts).dict
    }
}

/// Runs `f` detached (other threads may run Python meanwhile), then re-attaches.
pub fn allow_threads<T>(f: impl FnOnce() -> T) -> T {
    let ts = detach();
    let r = f();
    if !ts.is_null() {
        // SAFETY: `ts` was this thread's attached state a moment ago.
        unsafe { attach(ts) };
    }
    r
}

