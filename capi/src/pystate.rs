//! `pystate.h`, `ceval.h`'s thread functions and PEP 788's guards: thread states, the GIL
//! and the interpreter state, over `pyrite_vm::gil`.
//!
//! `PyThreadState *` and `PyInterpreterState *` are pointers to the VM's `ThreadState` and
//! `InterpreterState` (opaque to the Stable ABI): the main interpreter, sub-interpreters
//! (`Py_NewInterpreter`, in `pylifecycle.rs`) and bare ones (`PyInterpreterState_New`).

use core::ffi::{c_int, c_void};
use core::ptr::null_mut;

use pyrite_abi::*;
use pyrite_vm::gil::{self, InterpreterState, ThreadState};
use pyrite_vm::PyErr;

use crate::capi;

/// CPython aborts the process for misuse of the thread-state API (`Py_FatalError`); so does
/// Pyrite, with the function's name.
fn fatal(function: &str, what: &str) -> ! {
    eprintln!("Fatal Python error: {function}: {what}");
    std::process::abort()
}

capi! {
    fn PyEval_SaveThread() -> *mut ThreadState [null_mut()] {
        let ts = gil::detach();
        if ts.is_null() {
            fatal("PyEval_SaveThread", "the function must be called with an active thread state");
        }
        Ok(ts)
    }
    fn PyEval_RestoreThread(ts: *mut ThreadState) -> () [()] {
        if ts.is_null() {
            fatal("PyEval_RestoreThread", "NULL thread state");
        }
        if !gil::current().is_null() {
            fatal("PyEval_RestoreThread", "the thread already has an active thread state");
        }
        gil::attach(ts);
        Ok(())
    }
    fn PyEval_AcquireThread(ts: *mut ThreadState) -> () [()] {
        if ts.is_null() {
            fatal("PyEval_AcquireThread", "NULL thread state");
        }
        gil::attach(ts);
        Ok(())
    }
    fn PyEval_ReleaseThread(ts: *mut ThreadState) -> () [()] {
        if ts.is_null() || gil::current() != ts {
            fatal("PyEval_ReleaseThread", "wrong thread state");
        }
        gil::detach();
        Ok(())
    }
    fn PyEval_InitThreads() -> () [()] { Ok(()) }
    fn PyEval_AcquireLock() -> () [()] {
        // Deprecated: takes the GIL for the thread's own (GIL-state) thread state.
        gil::ensure_attached();
        Ok(())
    }
    fn PyEval_ReleaseLock() -> () [()] {
        gil::detach();
        Ok(())
    }
    fn PyEval_ThreadsInitialized() -> c_int [0] { Ok(1) }
    fn PyGILState_Ensure() -> c_int [0] { Ok(gil::gilstate_ensure()) }
    fn PyGILState_Release(state: c_int) -> () [()] {
        gil::gilstate_release(state);
        Ok(())
    }
    fn PyGILState_GetThisThreadState() -> *mut ThreadState [null_mut()] { Ok(gil::gilstate_this_thread()) }
    fn PyThreadState_Get() -> *mut ThreadState [null_mut()] {
        let ts = gil::current();
        if ts.is_null() {
            fatal("PyThreadState_Get", "the function must be called with the GIL held, but the GIL is released");
        }
        Ok(ts)
    }
    fn PyThreadState_Swap(ts: *mut ThreadState) -> *mut ThreadState [null_mut()] { Ok(gil::swap(ts)) }
    fn PyThreadState_New(interp: *mut InterpreterState) -> *mut ThreadState [null_mut()] {
        if !gil::is_live_interpreter(interp) {
            fatal("PyThreadState_New", "not a live interpreter");
        }
        Ok(gil::new_thread_state_in(interp))
    }
    fn _PyThreadState_Prealloc(interp: *mut InterpreterState) -> *mut ThreadState [null_mut()] {
        if !gil::is_live_interpreter(interp) {
            fatal("_PyThreadState_Prealloc", "not a live interpreter");
        }
        Ok(gil::new_thread_state_in(interp))
    }
    /// Internal since CPython 3.12, which ends the process when it is called.
    fn _PyThreadState_Init(_ts: *mut ThreadState) -> () [()] {
        fatal("_PyThreadState_Init", "_PyThreadState_Init() is for internal use only")
    }
    fn PyThreadState_Clear(ts: *mut ThreadState) -> () [()] {
        gil::clear_thread_state(ts);
        Ok(())
    }
    fn PyThreadState_Delete(ts: *mut ThreadState) -> () [()] {
        if ts.is_null() {
            fatal("PyThreadState_Delete", "NULL thread state");
        }
        if gil::current() == ts {
            fatal("PyThreadState_Delete", "tstate is still current");
        }
        gil::delete_thread_state(ts);
        Ok(())
    }
    fn PyThreadState_DeleteCurrent() -> () [()] {
        let ts = gil::current();
        if ts.is_null() {
            fatal("PyThreadState_DeleteCurrent", "the function must be called with the GIL held");
        }
        gil::clear_thread_state(ts);
        gil::detach();
        gil::delete_thread_state(ts);
        Ok(())
    }
    fn PyThreadState_GetDict() -> *mut PyObject [null_mut()] { Ok(gil::thread_dict()) }
    fn PyThreadState_GetID(ts: *mut ThreadState) -> u64 [0] { Ok((*ts).id) }
    /// The thread's innermost running frame (a new reference), NULL without one.
    fn PyThreadState_GetFrame(ts: *mut ThreadState) -> *mut PyObject [null_mut()] {
        if ts.is_null() || (*ts).running.is_null() { return Ok(null_mut()); }
        match pyrite_vm::interp::with_innermost_frame_in((*ts).running, pyrite_vm::objects::frameobject::of) {
            Some(p) => { let p = p?; pyrite_vm::object::incref(p); Ok(p) }
            None => Ok(null_mut()),
        }
    }
    /// Asks thread `id` (`threading.get_ident()`) to raise `exc` at its next eval break.
    fn PyThreadState_SetAsyncExc(id: core::ffi::c_ulong, exc: *mut PyObject) -> c_int [-1] {
        Ok(pyrite_vm::pending::set_async_exc(id as u64, exc))
    }
    fn PyThreadState_GetInterpreter(ts: *mut ThreadState) -> *mut InterpreterState [null_mut()] { Ok((*ts).interp) }
    fn PyInterpreterState_Get() -> *mut InterpreterState [null_mut()] {
        if gil::current().is_null() {
            fatal("PyInterpreterState_Get", "no current thread state");
        }
        Ok(gil::current_interpreter())
    }
    fn PyInterpreterState_GetID(interp: *mut InterpreterState) -> i64 [-1] {
        if interp.is_null() {
            return Err(pyrite_vm::raise!(RuntimeError, "no interpreter provided"));
        }
        Ok((*interp).id)
    }
    fn PyInterpreterState_GetDict(interp: *mut InterpreterState) -> *mut PyObject [null_mut()] {
        if !gil::is_live_interpreter(interp) {
            return Err(crate::boundary::bad_internal_call());
        }
        Ok(gil::interpreter_dict(interp))
    }
    /// A bare interpreter: no modules, no thread state (`PyThreadState_New` gives it one).
    fn PyInterpreterState_New() -> *mut InterpreterState [null_mut()] {
        if !gil::current().is_null() {
            pyrite_vm::sys::audit("cpython.PyInterpreterState_New", &pyrite_vm::objects::tuple::empty())?;
        }
        Ok(pyrite_vm::subinterpreter::new_bare_interpreter())
    }
    /// Clears the interpreter's thread states and drops what it holds. As CPython, a failing
    /// audit hook does not stop it.
    fn PyInterpreterState_Clear(interp: *mut InterpreterState) -> () [()] {
        if interp.is_null() || !gil::is_live_interpreter(interp) {
            fatal("PyInterpreterState_Clear", "not a live interpreter");
        }
        if interp == gil::interpreter() {
            fatal("PyInterpreterState_Clear", "the main interpreter is cleared only by Py_FinalizeEx");
        }
        if gil::current().is_null() {
            fatal("PyInterpreterState_Clear", "the function must be called with an attached thread state");
        }
        if pyrite_vm::sys::audit("cpython.PyInterpreterState_Clear", &pyrite_vm::objects::tuple::empty()).is_err() {
            PyErr::take();
        }
        pyrite_vm::subinterpreter::clear_interpreter(interp);
        Ok(())
    }
    /// Deletes the interpreter's remaining thread states and frees it; when the current thread
    /// state is one of them, the thread is left without one.
    fn PyInterpreterState_Delete(interp: *mut InterpreterState) -> () [()] {
        if interp.is_null() || !gil::is_live_interpreter(interp) {
            fatal("PyInterpreterState_Delete", "NULL interpreter");
        }
        if interp == gil::interpreter() {
            fatal("PyInterpreterState_Delete", "the main interpreter is deleted only by Py_FinalizeEx");
        }
        gil::delete_interpreter_state(interp);
        Ok(())
    }
}

// PEP 788 (3.15): interpreter guards and views. With one interpreter that is never finalized
// while Python code can still run, a guard or view is a token standing for it: a small
// allocation, so that each must be closed once, as the API requires.

/// What `PyInterpreterGuard *` and `PyInterpreterView *` point to.
#[repr(C)]
pub struct InterpreterToken {
    interp: *mut InterpreterState,
}

fn token() -> *mut InterpreterToken {
    Box::into_raw(Box::new(InterpreterToken { interp: gil::interpreter() }))
}

/// What `PyThreadStateToken *` points to: how `PyThreadState_Release` restores the thread.
struct EnsureToken {
    /// The state attached before `PyThreadState_Ensure` (NULL: the thread was detached).
    previous: *mut ThreadState,
    /// The state `PyThreadState_Ensure` attached (NULL: it reused the attached one).
    created: *mut ThreadState,
}

/// Attaches a thread state of the interpreter to the calling thread, as PEP 788 describes:
/// an already attached state is reused; otherwise a new one is made and attached.
fn ensure_thread_state() -> *mut c_void {
    let previous = gil::current();
    let created = if previous.is_null() {
        let ts = gil::new_thread_state();
        // SAFETY: a new state, and the thread is detached.
        unsafe { gil::attach(ts) };
        ts
    } else {
        null_mut()
    };
    Box::into_raw(Box::new(EnsureToken { previous, created })) as *mut c_void
}

capi! {
    fn PyInterpreterGuard_FromCurrent() -> *mut InterpreterToken [null_mut()] {
        if gil::current().is_null() {
            fatal("PyInterpreterGuard_FromCurrent", "no attached thread state");
        }
        Ok(token())
    }
    fn PyInterpreterGuard_FromView(view: *mut InterpreterToken) -> *mut InterpreterToken [null_mut()] {
        if view.is_null() {
            fatal("PyInterpreterGuard_FromView", "NULL view");
        }
        Ok(token())
    }
    fn PyInterpreterGuard_Close(guard: *mut InterpreterToken) -> () [()] {
        if !guard.is_null() {
            drop(Box::from_raw(guard));
        }
        Ok(())
    }
    fn PyInterpreterView_FromCurrent() -> *mut InterpreterToken [null_mut()] {
        if gil::current().is_null() {
            fatal("PyInterpreterView_FromCurrent", "no attached thread state");
        }
        Ok(token())
    }
    fn PyInterpreterView_FromMain() -> *mut InterpreterToken [null_mut()] { Ok(token()) }
    fn PyInterpreterView_Close(view: *mut InterpreterToken) -> () [()] {
        if !view.is_null() {
            drop(Box::from_raw(view));
        }
        Ok(())
    }
    fn PyThreadState_Ensure(guard: *mut InterpreterToken) -> *mut c_void [null_mut()] {
        if guard.is_null() {
            fatal("PyThreadState_Ensure", "NULL guard");
        }
        Ok(ensure_thread_state())
    }
    fn PyThreadState_EnsureFromView(view: *mut InterpreterToken) -> *mut c_void [null_mut()] {
        if view.is_null() {
            fatal("PyThreadState_EnsureFromView", "NULL view");
        }
        Ok(ensure_thread_state())
    }
    fn PyThreadState_Release(token: *mut c_void) -> () [()] {
        if token.is_null() {
            fatal("PyThreadState_Release", "NULL token");
        }
        let t = Box::from_raw(token as *mut EnsureToken);
        if !t.created.is_null() {
            gil::clear_thread_state(t.created);
            gil::detach();
            gil::delete_thread_state(t.created);
        }
        debug_assert!(t.previous.is_null() || gil::current() == t.previous);
        Ok(())
    }
}
