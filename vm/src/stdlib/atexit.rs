//! `atexit`: Python functions to call when the interpreter ends. They run last registered
//! first, before the `Py_AtExit` C functions (`run::finalize` calls [`run_exitfuncs`]); an
//! exception in one is reported as unraisable and the others still run, as in CPython.
//! Each interpreter has its own: a sub-interpreter's run when it ends (`Py_EndInterpreter`).

use std::sync::Mutex;

use pyrite_abi::*;

use crate::abstract_;
use crate::err::PyResult;
use crate::object::{Obj, PyRef};
use crate::objects::argparse::Kw;
use crate::objects::{dict, long, none, tuple, unicode};
use crate::method_table;

/// A registration: function, positional arguments (tuple), keyword arguments (dict or NULL),
/// as owned pointers, and the id of the interpreter that made it. Only attached threads
/// touch them.
struct Callback([usize; 3], i64);

/// The current interpreter's id.
fn interp_id() -> i64 {
    // SAFETY: the current interpreter is live while its thread is attached.
    unsafe { (*crate::gil::current_interpreter()).id }
}

/// Takes the current interpreter's registrations out of the list (oldest first).
fn take_own() -> Vec<Callback> {
    let id = interp_id();
    let mut all = callbacks();
    let (own, others): (Vec<Callback>, Vec<Callback>) = std::mem::take(&mut *all).into_iter().partition(|c| c.1 == id);
    *all = others;
    own
}

static CALLBACKS: Mutex<Vec<Callback>> = Mutex::new(Vec::new());

fn callbacks() -> std::sync::MutexGuard<'static, Vec<Callback>> {
    CALLBACKS.lock().unwrap_or_else(|p| p.into_inner())
}

impl Callback {
    fn func(&self) -> &Obj {
        // SAFETY: an owned, live reference.
        unsafe { Obj::from_ptr(self.0[0] as *mut PyObject) }
    }
}

impl Drop for Callback {
    fn drop(&mut self) {
        for p in self.0 {
            // SAFETY: owned references (or NULL) released once.
            unsafe { crate::object::xdecref(p as *mut PyObject) };
        }
    }
}

fn m_register(_m: &Obj, a: &[&Obj], kw: Kw) -> PyResult<PyRef> {
    let Some(f) = a.first() else {
        return Err(raise!(TypeError, "register() takes at least 1 argument (0 given)"));
    };
    if f.ob_type().slots().tp_call.is_none() {
        return Err(raise!(TypeError, "the first argument must be callable"));
    }
    let args = tuple::new_from(&a[1..]);
    let kwargs = if kw.is_empty() {
        core::ptr::null_mut()
    } else {
        let d = dict::new();
        for (k, v) in kw.names.iter().zip(kw.values) {
            dict::set_item(&d, k, v)?;
        }
        d.into_raw()
    };
    callbacks().push(Callback([f.new_ref().into_raw() as usize, args.into_raw() as usize, kwargs as usize], interp_id()));
    Ok(f.new_ref())
}

fn m_unregister(_m: &Obj, f: &Obj) -> PyResult<PyRef> {
    // Comparisons may run Python code: take the list out while comparing.
    let list = take_own();
    let mut kept = Vec::with_capacity(list.len());
    let mut err = None;
    for cb in list {
        if err.is_none() {
            match abstract_::rich_compare_bool(cb.func(), f, Py_EQ) {
                Ok(true) => continue,
                Ok(false) => {}
                Err(e) => err = Some(e),
            }
        }
        kept.push(cb);
    }
    let mut cur = callbacks();
    kept.append(&mut cur);
    *cur = kept;
    match err {
        Some(e) => Err(e),
        None => Ok(none::none()),
    }
}

/// Runs and forgets every function the current interpreter registered, newest first.
pub fn run_exitfuncs() {
    let id = interp_id();
    loop {
        let Some(cb) = ({
            let mut all = callbacks();
            all.iter().rposition(|c| c.1 == id).map(|i| all.remove(i))
        }) else {
            break;
        };
        // SAFETY: owned, live references (kwargs may be NULL).
        let (args, kwargs) = unsafe { (Obj::from_ptr(cb.0[1] as *mut PyObject), crate::slot::opt_arg(cb.0[2] as *mut PyObject)) };
        if let Err(e) = abstract_::call(cb.func(), args, kwargs) {
            let what = abstract_::repr(cb.func()).map(|r| unicode::as_str_lossy(&r).into_owned()).unwrap_or_default();
            crate::traceback::write_unraisable(&format!("Exception ignored in atexit callback {what}"), &e);
        }
    }
}

/// Drops the registrations of the interpreter `id` without running them (it is cleared).
pub fn forget_interpreter(id: i64) {
    let mut all = callbacks();
    let (gone, kept): (Vec<Callback>, Vec<Callback>) = std::mem::take(&mut *all).into_iter().partition(|c| c.1 == id);
    *all = kept;
    drop(all);
    drop(gone);
}

fn m_run_exitfuncs(_m: &Obj) -> PyResult<PyRef> {
    run_exitfuncs();
    Ok(none::none())
}

fn m_clear(_m: &Obj) -> PyResult<PyRef> {
    let list = take_own();
    drop(list);
    Ok(none::none())
}

fn m_ncallbacks(_m: &Obj) -> PyResult<PyRef> {
    let id = interp_id();
    Ok(long::from_usize(callbacks().iter().filter(|c| c.1 == id).count()))
}

method_table!(static ATEXIT_METHODS = [
    kw c"register" => m_register,
    o c"unregister" => m_unregister,
    noargs c"_run_exitfuncs" => m_run_exitfuncs,
    noargs c"_clear" => m_clear,
    noargs c"_ncallbacks" => m_ncallbacks,
]);

pub fn create() -> PyResult<PyRef> {
    // SAFETY: the table is static.
    unsafe { super::new_module("atexit", ATEXIT_METHODS.0.get() as *mut PyMethodDef) }
}
