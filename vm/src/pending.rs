//! Work the interpreter picks up at its next eval break (the check at backward jumps, where
//! signal handlers also run): C functions queued by `Py_AddPendingCall`, and exceptions
//! `PyThreadState_SetAsyncExc` asked a thread to raise.

use core::ffi::{c_int, c_void};
use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

use pyrite_abi::PyObject;

use crate::err::{PyErr, PyResult};

/// A queued call: `func(arg)`, both as addresses.
type Call = (usize, usize);

/// CPython keeps at most this many calls queued (`NPENDINGCALLS` for the main thread).
const MAX_PENDING: usize = 300;

static QUEUE: Mutex<VecDeque<Call>> = Mutex::new(VecDeque::new());
static ANY: AtomicBool = AtomicBool::new(false);

/// `Py_AddPendingCall`: queues `func(arg)` for the main thread; callable from any thread,
/// with or without the GIL. -1 when the queue is full.
pub fn add(func: unsafe extern "C" fn(*mut c_void) -> c_int, arg: *mut c_void) -> c_int {
    let mut q = QUEUE.lock().unwrap_or_else(|p| p.into_inner());
    if q.len() >= MAX_PENDING {
        return -1;
    }
    q.push_back((func as usize, arg as usize));
    ANY.store(true, Ordering::SeqCst);
    crate::gil::request_eval_break();
    0
}

fn is_main_thread() -> bool {
    // SAFETY: plain queries.
    unsafe { libc::gettid() == libc::getpid() }
}

/// `Py_MakePendingCalls`: on the main thread, runs the queued calls in order; a call that
/// returns -1 stops the run with its exception (the rest stay queued). Signal handlers run
/// first, as in CPython.
pub fn make_pending_calls() -> PyResult<()> {
    if !is_main_thread() {
        return Ok(());
    }
    crate::stdlib::signal::check_signals()?;
    while ANY.load(Ordering::SeqCst) {
        let next = {
            let mut q = QUEUE.lock().unwrap_or_else(|p| p.into_inner());
            let c = q.pop_front();
            if q.is_empty() {
                ANY.store(false, Ordering::SeqCst);
            }
            c
        };
        let Some((f, arg)) = next else { break };
        // SAFETY: `add` stored a function of this type.
        let func: unsafe extern "C" fn(*mut c_void) -> c_int = unsafe { core::mem::transmute(f) };
        // SAFETY: calling the extension's function with the argument it queued.
        if unsafe { func(arg as *mut c_void) } < 0 {
            return Err(PyErr::take().unwrap_or_else(|| raise!(SystemError, "pending call failed without setting an exception")));
        }
    }
    Ok(())
}

/// At an eval break: the pending calls (main thread), then this thread's async exception.
pub fn run_on_eval_break() -> PyResult<()> {
    if ANY.load(Ordering::SeqCst) {
        if is_main_thread() {
            make_pending_calls()?;
        } else {
            // Only the main thread runs them: keep asking until it looks.
            crate::gil::request_eval_break();
        }
    }
    if crate::gc::take_pending() {
        crate::stdlib::gc::collect_automatic();
    }
    let ts = crate::gil::current();
    if ts.is_null() {
        return Ok(());
    }
    // SAFETY: this thread's attached state; the GIL is held.
    let e = unsafe { core::mem::replace(&mut (*ts).async_exc, core::ptr::null_mut()) };
    if e.is_null() {
        return Ok(());
    }
    // SAFETY: an owned reference moved out of the thread state.
    let e = unsafe { crate::object::PyRef::from_raw(e) };
    Err(match crate::objects::type_::TypeObj::downcast(&e) {
        Some(t) => PyErr::from_type_no_args(t),
        None => PyErr::from_value(e),
    })
}

/// `PyThreadState_SetAsyncExc`: asks the thread `ident` (`threading.get_ident()`) to raise
/// `exc` (NULL: forget a pending one) at its next eval break; the number of thread states
/// changed (0 or 1).
pub fn set_async_exc(ident: u64, exc: *mut PyObject) -> c_int {
    let mut n = 0;
    crate::gil::for_each_thread_state(|ts| {
        // SAFETY: live thread states; the caller holds the GIL.
        unsafe {
            if n == 0 && (*ts).thread_ident == ident && !(*ts).running.is_null() {
                if !exc.is_null() {
                    crate::object::incref(exc);
                }
                let old = core::mem::replace(&mut (*ts).async_exc, exc);
                crate::object::xdecref(old);
                n = 1;
            }
        }
    });
    if n > 0 {
        crate::gil::request_eval_break();
    }
    n
}
