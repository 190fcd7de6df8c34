//! Sub-interpreters as CPython's legacy ones (`Py_NewInterpreter`): one GIL for all, shared
//! objects and static types, and per interpreter a `sys` module (its own `sys.modules`,
//! `sys.path` list, standard stream objects), a `builtins` module and `__main__`. What else
//! is per interpreter, and what is shared, is listed on `gil::InterpreterState`.
//!
//! Must never: free a module or object the main interpreter can reach (ending a
//! sub-interpreter clears only the modules it made).

use crate::err::{PyErr, PyResult};
use crate::gil::{self, InterpreterState, ThreadState};
use crate::object::{Obj, PyRef};
use crate::objects::{dict, module, none, unicode};

/// CPython ends the process for misuse of these calls (`Py_FatalError`); so does Pyrite.
fn fatal(function: &str, what: &str) -> ! {
    eprintln!("Fatal Python error: {function}: {what}");
    std::process::abort()
}

/// `Py_NewInterpreter`: a new interpreter with its own `sys`, `builtins` and `__main__` and a
/// thread state of it, which becomes the thread's current one (the caller's is detached).
/// On failure the caller's thread state is current again.
pub fn new_interpreter() -> PyResult<*mut ThreadState> {
    let save = gil::current();
    let interp = gil::new_interpreter_state();
    let ts = gil::new_thread_state_in(interp);
    // SAFETY: a new state; the caller's is detached by the swap.
    unsafe { gil::swap(ts) };
    match init_main(interp) {
        Ok(()) => Ok(ts),
        Err(e) => {
            // SAFETY: `ts` is current and the interpreter's only state.
            unsafe { teardown(ts) };
            // SAFETY: the caller's state, detached a moment ago.
            unsafe { gil::swap(save) };
            Err(e)
        }
    }
}

/// What `Py_NewInterpreter` puts in a new (current) interpreter, in CPython's order:
/// builtins, sys (and `sys.modules`), `__main__`, the standard streams.
fn init_main(interp: *mut InterpreterState) -> PyResult<()> {
    // SAFETY: the new interpreter is live and current.
    let i = unsafe { &*interp };
    i.builtins.set(crate::builtins::create_for_subinterpreter()?.into_raw());
    i.sys.set(crate::sys::create_for_subinterpreter()?.into_raw());
    let main = module::new(&unicode::new("__main__"))?;
    dict::set_item_str(module::dict_of(&main), "__builtins__", &crate::builtins::module())?;
    dict::set_item_str(&crate::sys::modules(), "__main__", &main)?;
    crate::stdlib::io::init_std_streams()
}

/// `Py_EndInterpreter`: ends the interpreter of `ts`, which must be the current thread state
/// and its interpreter's only one; afterwards no thread state is current.
///
/// # Safety
/// `ts` is a live thread state.
pub unsafe fn end_interpreter(ts: *mut ThreadState) {
    if ts != gil::current() {
        fatal("Py_EndInterpreter", "thread is not current");
    }
    // SAFETY: guaranteed by the caller.
    let interp = unsafe { (*ts).interp };
    if interp == gil::interpreter() {
        fatal("Py_EndInterpreter", "cannot end the main interpreter");
    }
    if crate::interp::with_current_frame(|_| ()).is_some() {
        fatal("Py_EndInterpreter", "thread still has a frame");
    }
    // As CPython: `threading`'s threads are joined, the interpreter's atexit functions run,
    // then its modules go.
    crate::stdlib::thread::wait_for_shutdown();
    crate::stdlib::atexit::run_exitfuncs();
    if gil::thread_states_of(interp).len() != 1 {
        fatal("Py_EndInterpreter", "not the last thread");
    }
    crate::stdlib::io::flush_std_streams();
    // SAFETY: checked above.
    unsafe { teardown(ts) };
}

/// Clears the current interpreter's modules and state, then deletes it with `ts`, leaving
/// the thread detached.
///
/// # Safety
/// `ts` is current and its interpreter's only thread state; the interpreter is not the main one.
unsafe fn teardown(ts: *mut ThreadState) {
    // SAFETY: guaranteed by the caller.
    let interp = unsafe { (*ts).interp };
    clear_modules();
    // SAFETY: live, and the thread is attached.
    unsafe {
        crate::stdlib::atexit::forget_interpreter((*interp).id);
        crate::stdlib::posix::forget_interpreter((*interp).id);
        gil::clear_interpreter_state(interp);
        gil::clear_thread_state(ts);
    }
    // Cycles left among what the interpreter made go now, while the thread is attached.
    let _ = crate::gc::collect(false);
    gil::detach();
    // SAFETY: cleared above; detached, so nothing runs in it any more.
    unsafe { gil::delete_interpreter_state(interp) };
}

/// CPython's `finalize_modules` in brief: each module the interpreter made has its dict
/// cleared (names set to None, those with one leading underscore first, `__builtins__`
/// last), newest first; then `sys.modules`, `builtins` and `sys` are emptied. Modules it
/// shares with the main interpreter (immortal native modules, or ones the main
/// interpreter's `sys.modules` holds too) are left alone.
fn clear_modules() {
    let saved = PyErr::take();
    let sys = crate::sys::module();
    let main_sys = crate::sys::main_module();
    if sys.is(&main_sys) {
        // A bare interpreter (`PyInterpreterState_New`) has no modules of its own.
        if let Some(e) = saved {
            e.restore();
        }
        return;
    }
    let main_modules = dict::get_item_str(module::dict_of(&main_sys), "modules");
    let modules = crate::sys::modules();
    let shared = |m: &Obj| {
        m.is_immortal()
            || main_modules.as_ref().is_some_and(|mm| dict::items_vec(mm).iter().any(|(_, v)| v.is(m)))
    };
    let owned: Vec<PyRef> = dict::items_vec(&modules)
        .into_iter()
        .rev()
        .map(|(_, m)| m)
        .filter(|m| module::check(m) && !shared(m))
        .collect();
    for m in &owned {
        clear_module_dict(module::dict_of(m));
    }
    dict::clear(&modules);
    drop(owned);
    dict::clear(module::dict_of(&crate::builtins::module()));
    dict::clear(module::dict_of(&sys));
    if let Some(e) = saved {
        e.restore();
    }
}

/// `_PyModule_ClearDict`: names with one leading underscore set to None first, then every
/// other name but `__builtins__`.
fn clear_module_dict(d: &Obj) {
    let private = |k: &str| k.starts_with('_') && !k.starts_with("__");
    for first in [true, false] {
        for (k, _) in dict::items_vec(d) {
            let Ok(name) = unicode::as_str(&k) else { continue };
            if (first && private(name)) || (!first && name != "__builtins__") {
                if let Err(e) = dict::set_item(d, &k, none::none_obj()) {
                    crate::traceback::write_unraisable("Exception ignored while clearing a module", &e);
                }
            }
        }
    }
}

/// `PyInterpreterState_New`: a bare interpreter (no modules), not current.
pub fn new_bare_interpreter() -> *mut InterpreterState {
    gil::new_interpreter_state()
}

/// `PyInterpreterState_Clear`: clears the thread states of `interp` and drops what the
/// interpreter holds (its modules, when it is a sub-interpreter made by `Py_NewInterpreter`
/// and still has them).
///
/// # Safety
/// `interp` is a live interpreter other than the main one; the caller is attached.
pub unsafe fn clear_interpreter(interp: *mut InterpreterState) {
    for ts in gil::thread_states_of(interp) {
        // SAFETY: a live state; the caller is attached.
        unsafe { gil::clear_thread_state(ts) };
    }
    // Its modules are cleared with it current, so `sys::module()` finds them.
    // SAFETY: guaranteed by the caller.
    let has_modules = unsafe { !(*interp).sys.get().is_null() };
    if has_modules {
        let visitor = gil::new_thread_state_in(interp);
        // SAFETY: a new state of this interpreter; the caller's is restored below.
        let save = unsafe { gil::swap(visitor) };
        clear_modules();
        // SAFETY: `visitor` is current; `save` was the caller's.
        unsafe {
            gil::swap(save);
            gil::delete_thread_state(visitor);
        }
    }
    // SAFETY: guaranteed by the caller.
    unsafe {
        crate::stdlib::atexit::forget_interpreter((*interp).id);
        crate::stdlib::posix::forget_interpreter((*interp).id);
        gil::clear_interpreter_state(interp);
    }
}
