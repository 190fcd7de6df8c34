//! `atexit`: Python functions to call when the interpreter ends. They run last registered
//! first, before the `Py_AtExit` C functions (`run::finalize` calls [`run_exitfuncs`]); an
//! exception in one is reported as unraisable and the others still run, as in CPython.

use std::sync::Mutex;

use pyrite_abi::*;

use crate::abstract_;
use crate::err::PyResult;
use crate::object::{Obj, PyRef};
use crate::objects::argparse::Kw;
use crate::objects::{dict, long, none, tuple, unicode};
use crate::method_table;

/// A registration: function, positional arguments (tuple), keyword arguments (dict or NULL),
/// as owned pointers. Only attached threads touch them.
struct Callback([usize; 3]);

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
    callbacks().push(Callback([f.new_ref().into_raw() as usize, args.into_raw() as usize, kwargs as usize]));
    Ok(f.new_ref())
}

fn m_unregister(_m: &Obj, f: &Obj) -> PyResult<PyRef> {
    // Comparisons may run Python code: take the list out while comparing.
    let list = std::mem::take(&mut *callbacks());
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

/// Runs and forgets every registered function, newest first.
pub fn run_exitfuncs() {
    loop {
        let Some(cb) = callbacks().pop() else { break };
        // SAFETY: owned, live references (kwargs may be NULL).
        let (args, kwargs) = unsafe { (Obj::from_ptr(cb.0[1] as *mut PyObject), crate::slot::opt_arg(cb.0[2] as *mut PyObject)) };
        if let Err(e) = abstract_::call(cb.func(), args, kwargs) {
            let what = abstract_::repr(cb.func()).map(|r| unicode::as_str_lossy(&r).into_owned()).unwrap_or_default();
            crate::traceback::write_unraisable(&format!("Exception ignored in atexit callback {what}"), &e);
        }
    }
}

fn m_run_exitfuncs(_m: &Obj) -> PyResult<PyRef> {
    run_exitfuncs();
    Ok(none::none())
}

fn m_clear(_m: &Obj) -> PyResult<PyRef> {
    let list = std::mem::take(&mut *callbacks());
    drop(list);
    Ok(none::none())
}

fn m_ncallbacks(_m: &Obj) -> PyResult<PyRef> {
    Ok(long::from_usize(callbacks().len()))
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
