//! `_imp` (CPython's `Python/import.c` module functions): what `importlib._bootstrap` needs to
//! describe Pyrite's built-in modules (`importlib._bootstrap._setup`, `BuiltinImporter`), the
//! import lock, and the constants `importlib._bootstrap_external` reads at import time.
//! Pyrite's own import system (`import/mod.rs`) does not go through importlib; this module
//! lets `importlib` (and everything importing `importlib.util`: `traceback`, `logging`...)
//! load and work over the same built-in modules. Frozen modules: Pyrite's frozen fallbacks
//! are not exposed to `FrozenImporter` (`is_frozen` is False, `find_frozen` None).

use std::sync::OnceLock;

use pyrite_abi::*;

use crate::err::PyResult;
use crate::method_table;
use crate::object::{Obj, PyRef, SyncPtr};
use crate::objects::{bool_, dict, list, long, module, none, unicode};
use crate::{abstract_, import};

pub fn create() -> PyResult<PyRef> {
    let m = super::native::new_module("_imp", IMP_FUNCTIONS.0.get() as *mut PyMethodDef)?;
    let d = module::dict_of(&m);
    // CPython 3.15's `pyc_magic_number_token` (MAGIC_NUMBER as a little-endian int + "\r\n").
    dict::set_item_str(d, "pyc_magic_number_token", &long::from_i64(168627794))?;
    dict::set_item_str(d, "check_hash_based_pycs", &unicode::new("default"))?;
    Ok(m)
}

method_table!(static IMP_FUNCTIONS = [
    o c"is_builtin" => is_builtin,
    o c"create_builtin" => create_builtin,
    o c"exec_builtin" => exec_builtin,
    o c"is_frozen" => is_frozen,
    fast c"find_frozen" => find_frozen,
    noargs c"extension_suffixes" => extension_suffixes,
    noargs c"acquire_lock" => acquire_lock,
    noargs c"release_lock" => release_lock,
    noargs c"lock_held" => lock_held,
]);

fn name_of(o: &Obj, func: &str) -> PyResult<String> {
    if !unicode::check(o) {
        return Err(raise!(TypeError, "{func}() argument must be str, not {}", o.ob_type().name()));
    }
    Ok(unicode::as_str(o)?.to_string())
}

/// 1 for a built-in module that can be (re)created, -1 for `sys`/`builtins` (which cannot),
/// 0 for anything else.
fn is_builtin(_m: &Obj, name: &Obj) -> PyResult<PyRef> {
    let name = name_of(name, "is_builtin")?;
    let r = match name.as_str() {
        "sys" | "builtins" => -1,
        n if crate::stdlib::find(n).is_some() => 1,
        _ => 0,
    };
    Ok(long::from_i64(r))
}

/// `create_builtin(spec)`: the module `spec.name` (the one in `sys.modules` if it was already
/// made: Pyrite's built-in modules are made once per process).
fn create_builtin(_m: &Obj, spec: &Obj) -> PyResult<PyRef> {
    let name_obj = abstract_::getattr_str(spec, "name")?;
    let name = name_of(&name_obj, "create_builtin")?;
    if let Some(m) = dict::get_item_str(&crate::sys::modules(), &name) {
        return Ok(m);
    }
    match name.as_str() {
        "sys" | "builtins" => import::import_module(&name),
        n => match crate::stdlib::find(n) {
            Some(make) => make(),
            None => Err(raise!(ImportError, "no built-in module named {name}")),
        },
    }
}

/// Pyrite's built-in modules are complete when created: nothing to execute.
fn exec_builtin(_m: &Obj, _mod: &Obj) -> PyResult<PyRef> {
    Ok(long::from_i64(0))
}

fn is_frozen(_m: &Obj, name: &Obj) -> PyResult<PyRef> {
    name_of(name, "is_frozen")?;
    Ok(bool_::new(false))
}

fn find_frozen(_m: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    crate::objects::argparse::check_positional("find_frozen", a.len(), 1, 1)?;
    name_of(a[0], "find_frozen")?;
    Ok(none::none())
}

fn extension_suffixes(_m: &Obj) -> PyResult<PyRef> {
    let l = list::new();
    for s in crate::import::extension::EXTENSION_SUFFIXES {
        list::append(&l, &unicode::new(s));
    }
    Ok(l)
}

/// The import lock: a process-wide re-entrant lock (a `_thread.RLock`).
fn import_lock() -> PyResult<&'static Obj> {
    static LOCK: OnceLock<SyncPtr<PyObject>> = OnceLock::new();
    if LOCK.get().is_none() {
        let thread = import::import_module("_thread")?;
        let rlock = abstract_::call_no_args(&*abstract_::getattr_str(&thread, "RLock")?)?;
        let _ = LOCK.set(SyncPtr(crate::object::make_immortal(rlock)));
    }
    // SAFETY: the lock is immortal.
    Ok(unsafe { Obj::from_ptr(LOCK.get().unwrap().0) })
}

fn acquire_lock(_m: &Obj) -> PyResult<PyRef> {
    abstract_::call_method(import_lock()?, "acquire", &[])?;
    Ok(none::none())
}

fn release_lock(_m: &Obj) -> PyResult<PyRef> {
    let lock = import_lock()?;
    if !abstract_::is_true(&*abstract_::call_method(lock, "_is_owned", &[])?)? {
        return Err(raise!(RuntimeError, "not holding the import lock"));
    }
    abstract_::call_method(lock, "release", &[])?;
    Ok(none::none())
}

fn lock_held(_m: &Obj) -> PyResult<PyRef> {
    abstract_::call_method(import_lock()?, "locked", &[])
}
