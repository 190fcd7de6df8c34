//! `_thread`: OS threads running Python under the GIL (`gil.rs`), locks, thread handles and
//! thread-local objects — what `Lib/threading.py` (3.13+ API) is built on.
//!
//! A started thread gets its own thread state and attaches (takes the GIL) before it touches
//! any object; it detaches and frees the state when its function returns. Every blocking wait
//! here (lock acquisition, joining a thread) releases the GIL while it waits, so the thread
//! that will release the lock or finish can run.

use core::cell::{Cell, RefCell, UnsafeCell};
use core::ffi::{c_int, c_ulong};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, OnceLock};
use std::time::{Duration, Instant};

use pyrite_abi::*;

use crate::err::PyResult;
use crate::gil;
use crate::object::{Obj, PyRef};
use crate::objects::argparse::{self, Kw, Sig};
use crate::objects::type_::{self, StaticTable, TypeObj, BUILTIN_BASETYPE_FLAGS, BUILTIN_FLAGS, GETSET_END};
use crate::objects::{bool_, dict, float, long, module, none, tuple, unicode};
use crate::slot::{arg, opt_arg, ret_int, ret_obj};
use crate::stdlib::boxed::{boxed_dealloc, init_payload, new_boxed, payload, Boxed};
use crate::{abstract_, getter_def, method_table, private_static_type};

unsafe extern "C" {
    fn pthread_self() -> c_ulong;
    fn gettid() -> c_int;
}

/// `threading.get_ident()`: the pthread id, as CPython's.
pub fn ident() -> u64 {
    // SAFETY: no preconditions.
    unsafe { pthread_self() as u64 }
}

/// CPython's `PY_TIMEOUT_MAX` in seconds on Linux (`LLONG_MAX` nanoseconds, whole seconds).
const TIMEOUT_MAX: f64 = 9223372036.0;

static MAIN_IDENT: OnceLock<u64> = OnceLock::new();
/// Threads started by this module and still running (`_thread._count()`).
static RUNNING: AtomicUsize = AtomicUsize::new(0);
/// The stack size of new threads (0: the platform's default): `_thread.stack_size` and
/// `PyThread_get_stacksize`/`PyThread_set_stacksize` share it.
pub static STACK_SIZE: AtomicUsize = AtomicUsize::new(0);

// ---- locks ----------------------------------------------------------------------------------

/// A lock any thread may release, waited for without the GIL.
#[derive(Default)]
struct RawLock {
    locked: Mutex<bool>,
    released: Condvar,
}

impl RawLock {
    fn try_acquire(&self) -> bool {
        let mut l = self.locked.lock().unwrap_or_else(|p| p.into_inner());
        !core::mem::replace(&mut *l, true)
    }

    /// Waits up to `timeout` (None: forever). Called detached.
    fn acquire_timed(&self, timeout: Option<Duration>) -> bool {
        let mut l = self.locked.lock().unwrap_or_else(|p| p.into_inner());
        let deadline = timeout.map(|t| Instant::now() + t);
        while *l {
            match deadline {
                None => l = self.released.wait(l).unwrap_or_else(|p| p.into_inner()),
                Some(d) => {
                    let now = Instant::now();
                    if now >= d {
                        return false;
                    }
                    l = self.released.wait_timeout(l, d - now).unwrap_or_else(|p| p.into_inner()).0;
                }
            }
        }
        *l = true;
        true
    }

    /// False if it was not locked.
    fn release(&self) -> bool {
        let mut l = self.locked.lock().unwrap_or_else(|p| p.into_inner());
        if !*l {
            return false;
        }
        *l = false;
        drop(l);
        self.released.notify_one();
        true
    }

    fn is_locked(&self) -> bool {
        *self.locked.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Acquires as `lock.acquire(blocking, timeout)` does: without waiting if it can, else
    /// with the GIL released while waiting.
    fn acquire_py(&self, blocking: bool, timeout: Option<Duration>) -> PyResult<bool> {
        if self.try_acquire() {
            return Ok(true);
        }
        if !blocking || timeout == Some(Duration::ZERO) {
            return Ok(false);
        }
        wait_interruptibly(timeout, |t| self.acquire_timed(t))
    }
}

/// Waits, detached, with `wait(timeout)` (true: done) until it is done or `timeout` passes.
/// On the main thread the wait is interruptible, as CPython's lock waits and joins are: every
/// 20 ms it looks for signals that arrived and runs their Python handlers; a handler that
/// raises (KeyboardInterrupt, an alarm's) ends the wait with its exception, one that returns
/// lets the wait go on.
fn wait_interruptibly(timeout: Option<Duration>, wait: impl Fn(Option<Duration>) -> bool) -> PyResult<bool> {
    if !crate::stdlib::signal::is_main_thread() {
        return Ok(gil::allow_threads(|| wait(timeout)));
    }
    const SLICE: Duration = Duration::from_millis(20);
    let deadline = timeout.map(|t| Instant::now() + t);
    loop {
        let slice = match deadline {
            None => SLICE,
            Some(d) => d.saturating_duration_since(Instant::now()).min(SLICE),
        };
        if gil::allow_threads(|| wait(Some(slice))) {
            return Ok(true);
        }
        if crate::stdlib::signal::pending() {
            crate::stdlib::signal::check_signals()?;
        }
        if deadline.is_some_and(|d| Instant::now() >= d) {
            return Ok(false);
        }
    }
}

/// `acquire(blocking=True, timeout=-1)`'s arguments, checked as CPython checks them.
fn acquire_args(args: &[&Obj], kw: Kw) -> PyResult<(bool, Option<Duration>)> {
    let sig = Sig { name: "acquire", params: &["blocking", "timeout"], posonly: 0, maxpos: 2, required: 0 };
    let [blocking, timeout] = argparse::parse::<2>(&sig, args, kw)?;
    let blocking = match blocking {
        Some(b) => abstract_::is_true(b)?,
        None => true,
    };
    let timeout = match timeout {
        Some(t) => crate::number::as_f64(t)?,
        None => -1.0,
    };
    if !blocking && timeout != -1.0 {
        return Err(raise!(ValueError, "can't specify a timeout for a non-blocking call"));
    }
    if timeout < 0.0 && timeout != -1.0 {
        return Err(raise!(ValueError, "timeout value must be a non-negative number"));
    }
    if timeout > TIMEOUT_MAX {
        return Err(raise!(OverflowError, "timeout value is too large"));
    }
    Ok((blocking, if timeout < 0.0 { None } else { Some(Duration::from_secs_f64(timeout)) }))
}

private_static_type!(LOCK_TYPE, c"_thread.lock", core::mem::size_of::<Boxed<RawLock>>(), {
    tp_flags: BUILTIN_FLAGS,
    tp_dealloc: Some(boxed_dealloc::<RawLock>),
    tp_repr: Some(lock_repr),
    tp_getattro: Some(type_::generic_getattr),
    tp_methods: LOCK_METHODS.0.get() as *mut PyMethodDef,
    tp_new: Some(lock_new),
    tp_free: Some(crate::alloc::object_free),
    tp_doc: c"A lock object is a synchronization primitive.".as_ptr(),
});

method_table!(static LOCK_METHODS = [
    kw c"acquire" => l_acquire,
    kw c"acquire_lock" => l_acquire,
    kw c"__enter__" => l_acquire,
    noargs c"release" => l_release,
    noargs c"release_lock" => l_release,
    fast c"__exit__" => l_exit,
    noargs c"locked" => l_locked,
    noargs c"locked_lock" => l_locked,
    noargs c"_at_fork_reinit" => l_at_fork_reinit,
]);

fn new_lock() -> PyResult<PyRef> {
    new_boxed(&LOCK_TYPE, RawLock::default())
}

unsafe extern "C" fn lock_new(_t: *mut PyTypeObject, args: *mut PyObject, kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: tp_new contract.
    let (args, kw) = unsafe { (arg(args), opt_arg(kw)) };
    ret_obj((|| {
        if tuple::len(args) > 0 || kw.is_some_and(|k| dict::len(k) > 0) {
            return Err(raise!(TypeError, "lock() takes no arguments"));
        }
        new_lock()
    })())
}

fn l_acquire(o: &Obj, args: &[&Obj], kw: Kw) -> PyResult<PyRef> {
    let (blocking, timeout) = acquire_args(args, kw)?;
    Ok(bool_::new(payload::<RawLock>(o).acquire_py(blocking, timeout)?))
}

fn l_release(o: &Obj) -> PyResult<PyRef> {
    if !payload::<RawLock>(o).release() {
        return Err(raise!(RuntimeError, "release unlocked lock"));
    }
    Ok(none::none())
}

fn l_exit(o: &Obj, _args: &[&Obj]) -> PyResult<PyRef> {
    l_release(o)
}

fn l_locked(o: &Obj) -> PyResult<PyRef> {
    Ok(bool_::new(payload::<RawLock>(o).is_locked()))
}

fn l_at_fork_reinit(o: &Obj) -> PyResult<PyRef> {
    *payload::<RawLock>(o).locked.lock().unwrap_or_else(|p| p.into_inner()) = false;
    Ok(none::none())
}

unsafe extern "C" fn lock_repr(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live lock.
    let o = unsafe { arg(o) };
    let state = if payload::<RawLock>(o).is_locked() { "locked" } else { "unlocked" };
    ret_obj(Ok(unicode::new(&format!("<{state} {} object at {:#x}>", o.ob_type().full_name(), o.as_ptr() as usize))))
}

/// A reentrant lock: the owner's ident and its recursion count (both changed only by the
/// owner while it holds the GIL).
#[derive(Default)]
struct RLockData {
    lock: RawLock,
    owner: AtomicU64,
    count: Cell<usize>,
}

private_static_type!(RLOCK_TYPE, c"_thread.RLock", core::mem::size_of::<Boxed<RLockData>>(), {
    tp_flags: BUILTIN_BASETYPE_FLAGS,
    tp_dealloc: Some(boxed_dealloc::<RLockData>),
    tp_repr: Some(rlock_repr),
    tp_getattro: Some(type_::generic_getattr),
    tp_methods: RLOCK_METHODS.0.get() as *mut PyMethodDef,
    tp_alloc: Some(crate::alloc::generic_alloc),
    tp_new: Some(rlock_new),
    tp_free: Some(crate::alloc::object_free),
});

method_table!(static RLOCK_METHODS = [
    kw c"acquire" => r_acquire,
    kw c"__enter__" => r_acquire,
    noargs c"release" => r_release,
    fast c"__exit__" => r_exit,
    noargs c"locked" => r_locked,
    noargs c"_is_owned" => r_is_owned,
    noargs c"_recursion_count" => r_recursion_count,
    noargs c"_release_save" => r_release_save,
    o c"_acquire_restore" => r_acquire_restore,
    noargs c"_at_fork_reinit" => r_at_fork_reinit,
]);

unsafe extern "C" fn rlock_new(t: *mut PyTypeObject, _args: *mut PyObject, _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: tp_new contract: `t` is RLock or a subclass.
    unsafe {
        let alloc = (*t).tp_alloc.unwrap_or(crate::alloc::generic_alloc);
        let o = alloc(t, 0);
        if !o.is_null() {
            init_payload(arg(o), RLockData::default());
        }
        o
    }
}

fn rdata(o: &Obj) -> &RLockData {
    payload::<RLockData>(o)
}

fn r_acquire(o: &Obj, args: &[&Obj], kw: Kw) -> PyResult<PyRef> {
    let (blocking, timeout) = acquire_args(args, kw)?;
    let r = rdata(o);
    let me = ident();
    if r.count.get() > 0 && r.owner.load(Ordering::Relaxed) == me {
        r.count.set(r.count.get().checked_add(1).ok_or_else(|| raise!(OverflowError, "Internal lock count overflowed"))?);
        return Ok(bool_::new(true));
    }
    if !r.lock.acquire_py(blocking, timeout)? {
        return Ok(bool_::new(false));
    }
    r.owner.store(me, Ordering::Relaxed);
    r.count.set(1);
    Ok(bool_::new(true))
}

fn r_release(o: &Obj) -> PyResult<PyRef> {
    let r = rdata(o);
    if r.count.get() == 0 || r.owner.load(Ordering::Relaxed) != ident() {
        return Err(raise!(RuntimeError, "cannot release un-acquired lock"));
    }
    r.count.set(r.count.get() - 1);
    if r.count.get() == 0 {
        r.owner.store(0, Ordering::Relaxed);
        r.lock.release();
    }
    Ok(none::none())
}

fn r_exit(o: &Obj, _args: &[&Obj]) -> PyResult<PyRef> {
    r_release(o)
}

fn r_locked(o: &Obj) -> PyResult<PyRef> {
    Ok(bool_::new(rdata(o).count.get() > 0))
}

fn r_is_owned(o: &Obj) -> PyResult<PyRef> {
    let r = rdata(o);
    Ok(bool_::new(r.count.get() > 0 && r.owner.load(Ordering::Relaxed) == ident()))
}

fn r_recursion_count(o: &Obj) -> PyResult<PyRef> {
    let r = rdata(o);
    Ok(long::from_usize(if r.owner.load(Ordering::Relaxed) == ident() { r.count.get() } else { 0 }))
}

/// `_release_save()`: releases completely, returning `(count, owner)` for `_acquire_restore`.
fn r_release_save(o: &Obj) -> PyResult<PyRef> {
    let r = rdata(o);
    if r.count.get() == 0 {
        return Err(raise!(RuntimeError, "cannot release un-acquired lock"));
    }
    let saved = tuple::new_from(&[&long::from_usize(r.count.get()), &long::from_u64(r.owner.load(Ordering::Relaxed))]);
    r.count.set(0);
    r.owner.store(0, Ordering::Relaxed);
    r.lock.release();
    Ok(saved)
}

fn r_acquire_restore(o: &Obj, state: &Obj) -> PyResult<PyRef> {
    let items = tuple::as_slice_if_tuple(state).filter(|s| s.len() == 2).ok_or_else(|| raise!(TypeError, "_acquire_restore() argument 1 must be tuple"))?;
    let count = argparse::ssize(items[0])? as usize;
    let owner = long::to_u64(&*abstract_::index(items[1])?).unwrap_or(0);
    let r = rdata(o);
    r.lock.acquire_py(true, None)?;
    r.owner.store(owner, Ordering::Relaxed);
    r.count.set(count);
    Ok(none::none())
}

fn r_at_fork_reinit(o: &Obj) -> PyResult<PyRef> {
    let r = rdata(o);
    *r.lock.locked.lock().unwrap_or_else(|p| p.into_inner()) = false;
    r.owner.store(0, Ordering::Relaxed);
    r.count.set(0);
    Ok(none::none())
}

unsafe extern "C" fn rlock_repr(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live RLock.
    let o = unsafe { arg(o) };
    let r = rdata(o);
    let state = if r.count.get() > 0 { "locked" } else { "unlocked" };
    ret_obj(Ok(unicode::new(&format!(
        "<{state} {} object owner={} count={} at {:#x}>",
        o.ob_type().full_name(),
        r.owner.load(Ordering::Relaxed),
        r.count.get(),
        o.as_ptr() as usize
    ))))
}

// ---- thread handles -------------------------------------------------------------------------

#[derive(Clone, Copy, PartialEq)]
enum Run {
    NotStarted,
    Running,
    Done,
}

/// What `threading` joins: a thread's ident and whether it has finished.
struct Handle {
    ident: AtomicU64,
    state: Mutex<Run>,
    changed: Condvar,
}

impl Handle {
    fn new(state: Run, ident: u64) -> Arc<Handle> {
        Arc::new(Handle { ident: AtomicU64::new(ident), state: Mutex::new(state), changed: Condvar::new() })
    }

    fn run(&self) -> Run {
        *self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn set(&self, r: Run) {
        *self.state.lock().unwrap_or_else(|p| p.into_inner()) = r;
        self.changed.notify_all();
    }

    /// Waits (detached) until done or `timeout` passes; true if done.
    fn wait_done(&self, timeout: Option<Duration>) -> bool {
        let deadline = timeout.map(|t| Instant::now() + t);
        let mut s = self.state.lock().unwrap_or_else(|p| p.into_inner());
        while *s != Run::Done {
            match deadline {
                None => s = self.changed.wait(s).unwrap_or_else(|p| p.into_inner()),
                Some(d) => {
                    let now = Instant::now();
                    if now >= d {
                        return false;
                    }
                    s = self.changed.wait_timeout(s, d - now).unwrap_or_else(|p| p.into_inner()).0;
                }
            }
        }
        true
    }
}

/// Handles of non-daemon threads, joined by `_shutdown()`.
static SHUTDOWN_HANDLES: Mutex<Vec<Arc<Handle>>> = Mutex::new(Vec::new());

private_static_type!(HANDLE_TYPE, c"_thread._ThreadHandle", core::mem::size_of::<Boxed<Arc<Handle>>>(), {
    tp_flags: BUILTIN_FLAGS,
    tp_dealloc: Some(boxed_dealloc::<Arc<Handle>>),
    tp_repr: Some(handle_repr),
    tp_getattro: Some(type_::generic_getattr),
    tp_methods: HANDLE_METHODS.0.get() as *mut PyMethodDef,
    tp_getset: HANDLE_GETSET.0.get() as *mut PyGetSetDef,
    tp_new: Some(handle_new),
    tp_free: Some(crate::alloc::object_free),
});

method_table!(static HANDLE_METHODS = [
    kw c"join" => h_join,
    noargs c"is_done" => h_is_done,
    noargs c"_set_done" => h_set_done,
]);

static HANDLE_GETSET: StaticTable<PyGetSetDef, 2> = StaticTable(UnsafeCell::new([getter_def!(c"ident", h_ident), GETSET_END]));

unsafe extern "C" fn handle_new(_t: *mut PyTypeObject, _args: *mut PyObject, _kw: *mut PyObject) -> *mut PyObject {
    ret_obj(new_boxed(&HANDLE_TYPE, Handle::new(Run::NotStarted, 0)))
}

fn handle_of(o: &Obj) -> &Arc<Handle> {
    payload::<Arc<Handle>>(o)
}

fn h_ident(o: &Obj) -> PyResult<PyRef> {
    Ok(long::from_u64(handle_of(o).ident.load(Ordering::Relaxed)))
}

fn h_join(o: &Obj, args: &[&Obj], kw: Kw) -> PyResult<PyRef> {
    let sig = Sig { name: "join", params: &["timeout"], posonly: 0, maxpos: 1, required: 0 };
    let [timeout] = argparse::parse::<1>(&sig, args, kw)?;
    let timeout = match argparse::not_none(timeout) {
        Some(t) => {
            let t = crate::number::as_f64(t)?;
            if t < 0.0 { None } else { Some(Duration::from_secs_f64(t.min(TIMEOUT_MAX))) }
        }
        None => None,
    };
    let h = handle_of(o).clone();
    match h.run() {
        Run::NotStarted => return Err(raise!(RuntimeError, "thread not started")),
        Run::Done => return Ok(none::none()),
        Run::Running => {}
    }
    if h.ident.load(Ordering::Relaxed) == ident() {
        return Err(raise!(RuntimeError, "Cannot join current thread"));
    }
    wait_interruptibly(timeout, |t| h.wait_done(t))?;
    Ok(none::none())
}

fn h_is_done(o: &Obj) -> PyResult<PyRef> {
    Ok(bool_::new(handle_of(o).run() == Run::Done))
}

fn h_set_done(o: &Obj) -> PyResult<PyRef> {
    handle_of(o).set(Run::Done);
    Ok(none::none())
}

unsafe extern "C" fn handle_repr(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live handle.
    let o = unsafe { arg(o) };
    ret_obj(Ok(unicode::new(&format!("<{} object: ident={}>", o.ob_type().full_name(), handle_of(o).ident.load(Ordering::Relaxed)))))
}

// ---- starting threads -----------------------------------------------------------------------

/// What a new thread runs: owned references, handed to the thread that attaches to use them.
struct Job {
    func: *mut PyObject,
    args: *mut PyObject,
    kwargs: *mut PyObject,
    handle: Arc<Handle>,
    /// `start_new_thread` reports an exception as unraisable; `threading` handles its own.
    report_errors: bool,
}

// SAFETY: the pointers are only dereferenced by the new thread after it attaches (holds the
// GIL); until then nobody else uses these references.
unsafe impl Send for Job {}

fn spawn(job: Job) -> PyResult<u64> {
    let handle = job.handle.clone();
    handle.set(Run::Running);
    RUNNING.fetch_add(1, Ordering::Relaxed);
    let mut builder = std::thread::Builder::new();
    let size = STACK_SIZE.load(Ordering::Relaxed);
    if size != 0 {
        builder = builder.stack_size(size);
    }
    let (tx, rx) = std::sync::mpsc::channel();
    // The new thread's state belongs to the starting thread's interpreter, and exists before
    // `start_new_thread` returns (so `Py_EndInterpreter` sees the thread).
    let ts = gil::new_thread_state_in(gil::current_interpreter()) as usize;
    let spawned = builder.spawn(move || {
        let job = job;
        job.handle.ident.store(ident(), Ordering::Relaxed);
        let _ = tx.send(());
        thread_main(job, ts as *mut gil::ThreadState);
    });
    match spawned {
        Ok(_) => {
            // The new thread sets its ident before it attaches; wait for it without the GIL.
            gil::allow_threads(|| rx.recv().ok());
            Ok(handle.ident.load(Ordering::Relaxed))
        }
        Err(_) => {
            // SAFETY: the state made above, never attached.
            unsafe { gil::delete_thread_state(ts as *mut gil::ThreadState) };
            RUNNING.fetch_sub(1, Ordering::Relaxed);
            handle.set(Run::NotStarted);
            Err(raise!(RuntimeError, "can't start new thread"))
        }
    }
}

fn thread_main(job: Job, ts: *mut gil::ThreadState) {
    // SAFETY: a fresh thread state for this new, detached thread.
    unsafe { gil::attach(ts) };
    // SAFETY: attached; the job's references are owned and live.
    let (func, args, kwargs) = unsafe { (PyRef::from_raw(job.func), PyRef::from_raw(job.args), PyRef::from_raw_opt(job.kwargs)) };
    if let Err(e) = abstract_::call(&func, &args, kwargs.as_deref()) {
        if job.report_errors && !e.is_instance(crate::objects::exceptions::SystemExit()) {
            let what = match abstract_::repr(&func) {
                Ok(r) => format!("Exception ignored in thread started by {}", unicode::as_str_lossy(&r)),
                Err(_) => "Exception ignored in thread started by <function>".to_string(),
            };
            crate::traceback::write_unraisable(&what, &e);
        }
    }
    drop((func, args, kwargs));
    locals_thread_exit(current_thread_key());
    RUNNING.fetch_sub(1, Ordering::Relaxed);
    job.handle.set(Run::Done);
    // SAFETY: this thread's own attached state, cleared while attached, freed once detached.
    unsafe {
        gil::clear_thread_state(ts);
        gil::unregister_thread_state(ts);
        gil::detach();
        gil::delete_thread_state(ts);
    }
}

/// `start_new_thread(function, args, kwargs=None)`: returns the new thread's ident.
fn t_start_new_thread(_m: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    argparse::check_positional("start_new_thread", a.len(), 2, 3)?;
    if a[0].ob_type().slots().tp_call.is_none() {
        return Err(raise!(TypeError, "first arg must be callable"));
    }
    if !tuple::check(a[1]) {
        return Err(raise!(TypeError, "2nd arg must be a tuple"));
    }
    let kwargs = argparse::not_none(a.get(2).copied());
    if kwargs.is_some_and(|k| !dict::check(k)) {
        return Err(raise!(TypeError, "optional 3rd arg must be a dictionary"));
    }
    let job = Job {
        func: a[0].new_ref().into_raw(),
        args: a[1].new_ref().into_raw(),
        kwargs: kwargs.map_or(core::ptr::null_mut(), |k| k.new_ref().into_raw()),
        handle: Handle::new(Run::NotStarted, 0),
        report_errors: true,
    };
    Ok(long::from_u64(spawn(job)?))
}

/// `start_joinable_thread(function, handle=None, daemon=True)`: returns the thread's handle.
fn t_start_joinable_thread(_m: &Obj, args: &[&Obj], kw: Kw) -> PyResult<PyRef> {
    let sig = Sig { name: "start_joinable_thread", params: &["function", "handle", "daemon"], posonly: 0, maxpos: 3, required: 1 };
    let [function, handle, daemon] = argparse::parse::<3>(&sig, args, kw)?;
    let function = function.unwrap();
    if function.ob_type().slots().tp_call.is_none() {
        return Err(raise!(TypeError, "thread function must be callable"));
    }
    let handle = match argparse::not_none(handle) {
        Some(h) if h.ob_type().is_subtype(&HANDLE_TYPE) => h.new_ref(),
        Some(_) => return Err(raise!(TypeError, "'handle' must be a _ThreadHandle")),
        None => new_boxed(&HANDLE_TYPE, Handle::new(Run::NotStarted, 0))?,
    };
    let daemon = match daemon {
        Some(d) => abstract_::is_true(d)?,
        None => true,
    };
    let h = handle_of(&handle).clone();
    if h.run() != Run::NotStarted {
        return Err(raise!(RuntimeError, "thread already started"));
    }
    let job = Job {
        func: function.new_ref().into_raw(),
        args: tuple::empty().into_raw(),
        kwargs: core::ptr::null_mut(),
        handle: h.clone(),
        report_errors: true,
    };
    spawn(job)?;
    if !daemon {
        SHUTDOWN_HANDLES.lock().unwrap_or_else(|p| p.into_inner()).push(h);
    }
    Ok(handle)
}

fn t_make_thread_handle(_m: &Obj, id: &Obj) -> PyResult<PyRef> {
    let id = long::to_u64(&*abstract_::index(id)?).ok_or_else(|| raise!(OverflowError, "Python int too large to convert to C unsigned long"))?;
    new_boxed(&HANDLE_TYPE, Handle::new(Run::Running, id))
}

/// `_shutdown()`: waits for every non-daemon thread (other than the caller) to finish.
fn t_shutdown(_m: &Obj, _a: &[&Obj]) -> PyResult<PyRef> {
    let me = ident();
    loop {
        let next = SHUTDOWN_HANDLES.lock().unwrap_or_else(|p| p.into_inner()).pop();
        let Some(h) = next else { break };
        if h.ident.load(Ordering::Relaxed) != me {
            gil::allow_threads(|| h.wait_done(None));
        }
    }
    Ok(none::none())
}

fn t_get_ident(_m: &Obj, _a: &[&Obj]) -> PyResult<PyRef> {
    Ok(long::from_u64(ident()))
}

fn t_get_native_id(_m: &Obj, _a: &[&Obj]) -> PyResult<PyRef> {
    // SAFETY: no preconditions.
    Ok(long::from_i64(unsafe { gettid() } as i64))
}

fn t_get_main_thread_ident(_m: &Obj, _a: &[&Obj]) -> PyResult<PyRef> {
    Ok(long::from_u64(*MAIN_IDENT.get().unwrap_or(&0)))
}

fn t_is_main_interpreter(_m: &Obj, _a: &[&Obj]) -> PyResult<PyRef> {
    Ok(bool_::new(true))
}

fn t_daemon_threads_allowed(_m: &Obj, _a: &[&Obj]) -> PyResult<PyRef> {
    Ok(bool_::new(true))
}

fn t_count(_m: &Obj, _a: &[&Obj]) -> PyResult<PyRef> {
    Ok(long::from_usize(RUNNING.load(Ordering::Relaxed)))
}

fn t_allocate_lock(_m: &Obj, _a: &[&Obj]) -> PyResult<PyRef> {
    new_lock()
}

fn t_stack_size(_m: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    argparse::check_positional("stack_size", a.len(), 0, 1)?;
    let old = STACK_SIZE.load(Ordering::Relaxed);
    if let Some(s) = a.first() {
        let size = argparse::ssize(s)?;
        if size != 0 && size < 32768 {
            return Err(raise!(ValueError, "size not valid: {} bytes", size));
        }
        if size < 0 {
            return Err(raise!(ValueError, "size must be 0 or a positive value"));
        }
        STACK_SIZE.store(size as usize, Ordering::Relaxed);
    }
    Ok(long::from_usize(old))
}

/// `set_name(name)`: the OS thread name (Linux keeps 15 bytes; truncated on a character boundary).
fn t_set_name(_m: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    argparse::check_positional("set_name", a.len(), 1, 1)?;
    if !unicode::check(a[0]) {
        return Err(raise!(TypeError, "set_name() argument 'name' must be str, not {}", a[0].ob_type().name()));
    }
    unsafe extern "C" {
        fn pthread_setname_np(thread: c_ulong, name: *const core::ffi::c_char) -> c_int;
    }
    let name = unicode::as_str_lossy(a[0]).into_owned();
    let mut end = name.len().min(NAME_MAXLEN);
    while !name.is_char_boundary(end) {
        end -= 1;
    }
    let c = std::ffi::CString::new(name[..end].replace('\0', "")).unwrap_or_default();
    // SAFETY: a NUL-terminated name of at most 15 bytes for the calling thread.
    unsafe { pthread_setname_np(pthread_self(), c.as_ptr()) };
    Ok(none::none())
}

/// Linux's limit on a thread name, in bytes (`_thread._NAME_MAXLEN`).
const NAME_MAXLEN: usize = 15;

/// `_get_name()`: the calling thread's OS name.
fn t_get_name(_m: &Obj, _a: &[&Obj]) -> PyResult<PyRef> {
    unsafe extern "C" {
        fn pthread_getname_np(thread: c_ulong, name: *mut core::ffi::c_char, len: usize) -> c_int;
    }
    let mut buf = [0u8; NAME_MAXLEN + 1];
    // SAFETY: the buffer has room for the longest name and its NUL.
    if unsafe { pthread_getname_np(pthread_self(), buf.as_mut_ptr() as *mut core::ffi::c_char, buf.len()) } != 0 {
        return Ok(none::none());
    }
    let n = buf.iter().position(|&b| b == 0).unwrap_or(buf.len());
    Ok(unicode::new(&String::from_utf8_lossy(&buf[..n])))
}

/// `exit()` / `exit_thread()`: ends the calling thread by raising SystemExit.
fn t_exit(_m: &Obj, _a: &[&Obj]) -> PyResult<PyRef> {
    Err(crate::err::PyErr::from_type_no_args(crate::objects::exceptions::SystemExit()))
}

// `interrupt_main()` is left out: Pyrite has no signal handling to deliver it through yet.

// ---- _excepthook ----------------------------------------------------------------------------

fn except_hook_args_type() -> PyResult<&'static TypeObj> {
    static T: OnceLock<crate::object::SyncPtr<PyObject>> = OnceLock::new();
    crate::objects::structseq::runtime_type(
        &T,
        c"_thread._ExceptHookArgs",
        c"ExceptHookArgs\n\nType used to pass arguments to threading.excepthook.",
        &[c"exc_type", c"exc_value", c"exc_traceback", c"thread"],
    )
}

/// `_excepthook(args)`: what `threading.excepthook` does by default — "Exception in thread
/// NAME:" and the traceback on `sys.stderr`; `SystemExit` is ignored.
fn t_excepthook(_m: &Obj, args: &Obj) -> PyResult<PyRef> {
    let t = except_hook_args_type()?;
    if !args.ob_type().is(t) {
        return Err(raise!(TypeError, "_thread.excepthook argument type must be ExceptHookArgs"));
    }
    let items = tuple::items(args);
    let (exc_type, exc_value, thread) = (items[0], items[1], items[3]);
    if exc_type.is(crate::objects::exceptions::SystemExit()) {
        return Ok(none::none());
    }
    let name = if thread.is(none::none_obj()) {
        None
    } else {
        abstract_::getattr_str(thread, "name").ok().filter(|n| !n.is(none::none_obj()))
    };
    let header = match name {
        Some(n) => format!("Exception in thread {}:\n", unicode::as_str_lossy(&*abstract_::str(&n)?)),
        None => format!("Exception in thread {}:\n", ident()),
    };
    let body = if exc_value.is(none::none_obj()) { String::new() } else { crate::traceback::format_exception(exc_value) };
    let text = header + &body;
    let stderr = crate::sys::module();
    match abstract_::getattr_str(&stderr, "stderr").ok().filter(|f| !f.is(none::none_obj())) {
        Some(f) => {
            abstract_::call_method(&f, "write", &[&unicode::new(&text)])?;
            let _ = abstract_::call_method(&f, "flush", &[]);
        }
        None => {
            use std::io::Write;
            let _ = std::io::stdout().flush();
            let _ = std::io::stderr().write_all(text.as_bytes());
        }
    }
    Ok(none::none())
}

// ---- _local ---------------------------------------------------------------------------------

/// A thread-local object: one attribute dict per thread (keyed by thread state id); the dict
/// slot holds the current thread's dict whenever attributes are looked up.
#[repr(C)]
struct LocalObject {
    base: Boxed<LocalData>,
    dict: *mut PyObject,
}

struct LocalData {
    dicts: RefCell<HashMap<u64, PyRef>>,
    args: PyRef,
    kwargs: Option<PyRef>,
}

private_static_type!(LOCAL_TYPE, c"_thread._local", core::mem::size_of::<LocalObject>(), {
    tp_flags: BUILTIN_BASETYPE_FLAGS,
    tp_dictoffset: core::mem::offset_of!(LocalObject, dict) as isize,
    tp_dealloc: Some(local_dealloc),
    tp_getattro: Some(local_getattro),
    tp_setattro: Some(local_setattro),
    tp_getset: LOCAL_GETSET.0.get() as *mut PyGetSetDef,
    tp_alloc: Some(crate::alloc::generic_alloc),
    tp_new: Some(local_new),
    tp_free: Some(crate::alloc::object_free),
    tp_doc: c"Thread-local data".as_ptr(),
});

static LOCAL_GETSET: StaticTable<PyGetSetDef, 2> = StaticTable(UnsafeCell::new([
    PyGetSetDef {
        name: c"__dict__".as_ptr(),
        get: Some(crate::objects::heaptype::instance_get_dict),
        set: None,
        doc: core::ptr::null(),
        closure: core::ptr::null_mut(),
    },
    GETSET_END,
]));

fn current_thread_key() -> u64 {
    let ts = gil::current();
    // SAFETY: an attached thread's state is live.
    if ts.is_null() { 0 } else { unsafe { (*ts).id } }
}

unsafe extern "C" fn local_new(t: *mut PyTypeObject, args: *mut PyObject, kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: tp_new contract.
    let (ty, args, kw) = unsafe { (TypeObj::from_ptr(t), arg(args), opt_arg(kw)) };
    ret_obj((|| {
        let has_args = tuple::len(args) > 0 || kw.is_some_and(|k| dict::len(k) > 0);
        if has_args && type_::is_slot(ty.slots().tp_init, type_::PyBaseObject_Type.slots().tp_init) {
            return Err(raise!(TypeError, "Initialization arguments are not supported"));
        }
        // SAFETY: `t` is _local or a subclass; fields start zeroed.
        let o = unsafe {
            let alloc = ty.slots().tp_alloc.unwrap_or(crate::alloc::generic_alloc);
            crate::slot::from_new(alloc(t, 0))?
        };
        let data = LocalData {
            dicts: RefCell::new(HashMap::new()),
            args: args.new_ref(),
            kwargs: kw.map(|k| k.new_ref()),
        };
        data.dicts.borrow_mut().insert(current_thread_key(), dict::new());
        init_payload(&o, data);
        live_locals().push(o.as_ptr() as usize);
        Ok(o)
    })())
}

/// Puts the current thread's dict in the slot, creating it (and running `__init__` with the
/// constructor's arguments, as CPython does) on a thread's first use.
fn local_select(o: &Obj) -> PyResult<()> {
    let data = payload::<LocalData>(o);
    let key = current_thread_key();
    let existing = data.dicts.borrow().get(&key).cloned();
    let (d, created) = match existing {
        Some(d) => (d, false),
        None => {
            let d = dict::new();
            data.dicts.borrow_mut().insert(key, d.clone());
            (d, true)
        }
    };
    // SAFETY: `o` is a _local instance; the slot holds NULL or an owned dict.
    unsafe {
        let slot = &mut (*(o.as_ptr() as *mut LocalObject)).dict;
        if *slot != d.as_ptr() {
            crate::object::xdecref(core::mem::replace(slot, d.clone().into_raw()));
        }
    }
    if created {
        let init = o.ob_type().slots().tp_init;
        if let Some(init) = init.filter(|_| !type_::is_slot(init, type_::PyBaseObject_Type.slots().tp_init)) {
            let kw = data.kwargs.as_ref().map_or(core::ptr::null_mut(), |k| k.as_ptr());
            // SAFETY: tp_init called with live arguments.
            crate::slot::from_status(unsafe { init(o.as_ptr(), data.args.as_ptr(), kw) })?;
        }
    }
    Ok(())
}

unsafe extern "C" fn local_getattro(o: *mut PyObject, name: *mut PyObject) -> *mut PyObject {
    // SAFETY: live arguments.
    let (o, name) = unsafe { (arg(o), arg(name)) };
    ret_obj((|| {
        local_select(o)?;
        type_::generic_getattr_impl(o, name)
    })())
}

unsafe extern "C" fn local_setattro(o: *mut PyObject, name: *mut PyObject, v: *mut PyObject) -> c_int {
    // SAFETY: live arguments.
    let (o, name, v) = unsafe { (arg(o), arg(name), opt_arg(v)) };
    ret_int((|| {
        if unicode::check(name) && unicode::eq_str(name, "__dict__") {
            return Err(raise!(AttributeError, "'{}' object attribute '__dict__' is read-only", o.ob_type().name()));
        }
        local_select(o)?;
        type_::generic_setattr_impl(o, name, v).map(|_| 0)
    })())
}

/// The live `_local` objects, so a thread's dicts can be dropped when it ends.
fn live_locals() -> std::sync::MutexGuard<'static, Vec<usize>> {
    static LIVE: Mutex<Vec<usize>> = Mutex::new(Vec::new());
    LIVE.lock().unwrap_or_else(|p| p.into_inner())
}

/// Drops the dicts the ending thread (`key`) had in every `_local`, as CPython does when a
/// thread state goes away. Called attached.
fn locals_thread_exit(key: u64) {
    let mut dropped: Vec<PyRef> = Vec::new();
    for &addr in live_locals().iter() {
        // SAFETY: registered locals are live (`local_dealloc` unregisters them).
        let o = unsafe { Obj::from_ptr(addr as *mut PyObject) };
        if let Some(d) = payload::<LocalData>(o).dicts.borrow_mut().remove(&key) {
            // SAFETY: the slot holds NULL or an owned dict.
            unsafe {
                let slot = &mut (*(addr as *mut LocalObject)).dict;
                if *slot == d.as_ptr() {
                    dropped.push(PyRef::from_raw(core::mem::replace(slot, core::ptr::null_mut())));
                }
            }
            dropped.push(d);
        }
    }
    // Released after the registry's lock: finalizers may make or drop locals.
    drop(dropped);
}

unsafe extern "C" fn local_dealloc(o: *mut PyObject) {
    live_locals().retain(|&a| a != o as usize);
    // SAFETY: a dead _local; its slot holds NULL or an owned dict.
    unsafe {
        let slot = &mut (*(o as *mut LocalObject)).dict;
        crate::object::xdecref(core::mem::replace(slot, core::ptr::null_mut()));
        boxed_dealloc::<LocalData>(o);
    }
}

// ---- the module -----------------------------------------------------------------------------

method_table!(static THREAD_METHODS = [
    fast c"start_new_thread" => t_start_new_thread,
    fast c"start_new" => t_start_new_thread,
    kw c"start_joinable_thread" => t_start_joinable_thread,
    o c"_make_thread_handle" => t_make_thread_handle,
    fast c"_shutdown" => t_shutdown,
    fast c"get_ident" => t_get_ident,
    fast c"get_native_id" => t_get_native_id,
    fast c"_get_main_thread_ident" => t_get_main_thread_ident,
    fast c"_is_main_interpreter" => t_is_main_interpreter,
    fast c"daemon_threads_allowed" => t_daemon_threads_allowed,
    fast c"_count" => t_count,
    fast c"allocate_lock" => t_allocate_lock,
    fast c"allocate" => t_allocate_lock,
    fast c"stack_size" => t_stack_size,
    fast c"set_name" => t_set_name,
    o c"_excepthook" => t_excepthook,
    fast c"_get_name" => t_get_name,
    fast c"exit" => t_exit,
    fast c"exit_thread" => t_exit,
]);

/// Creates the `_thread` module; the importing thread counts as the main thread.
pub fn create() -> PyResult<PyRef> {
    MAIN_IDENT.get_or_init(ident);
    for t in [&LOCK_TYPE, &RLOCK_TYPE, &HANDLE_TYPE, &LOCAL_TYPE] {
        type_::ready(t)?;
        crate::objects::slotdefs::add_wrappers(t)?;
    }
    let m = module::new(&unicode::new("_thread"))?;
    // SAFETY: the table is static.
    unsafe { module::add_functions(&m, THREAD_METHODS.0.get() as *mut PyMethodDef)? };
    let d = module::dict_of(&m);
    dict::set_item_str(d, "LockType", &LOCK_TYPE)?;
    dict::set_item_str(d, "lock", &LOCK_TYPE)?;
    dict::set_item_str(d, "RLock", &RLOCK_TYPE)?;
    dict::set_item_str(d, "_ThreadHandle", &HANDLE_TYPE)?;
    dict::set_item_str(d, "_local", &LOCAL_TYPE)?;
    dict::set_item_str(d, "_ExceptHookArgs", except_hook_args_type()?)?;
    dict::set_item_str(d, "error", crate::objects::exceptions::RuntimeError())?;
    dict::set_item_str(d, "TIMEOUT_MAX", &float::new(TIMEOUT_MAX))?;
    dict::set_item_str(d, "_NAME_MAXLEN", &long::from_usize(NAME_MAXLEN))?;
    Ok(m)
}

/// At exit: `threading._shutdown()` if `threading` was imported (joins non-daemon threads),
/// as `Py_FinalizeEx` does.
pub fn wait_for_shutdown() {
    let Some(threading) = dict::get_item_str(&crate::sys::modules(), "threading") else { return };
    if let Err(e) = abstract_::call_method(&threading, "_shutdown", &[]) {
        crate::traceback::write_unraisable("Exception ignored on threading shutdown", &e);
    }
}
