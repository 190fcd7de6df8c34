//! `_imp`: what `importlib._bootstrap` and `_bootstrap_external` need from the interpreter's
//! import machinery — which modules are built in and how to make them, the import lock, the
//! extension suffixes. Pyrite's own `import` does not go through `importlib`; this module lets
//! `Lib/importlib` (and everything that imports it: `inspect`, `pkgutil`, ...) set itself up.
//!
//! Pyrite has no frozen modules in `importlib`'s sense (its `import/frozen` sources are
//! compiled at import time, not stored as marshalled code), so the frozen queries say "none".

use std::sync::{Condvar, Mutex};

use crate::err::PyResult;
use crate::object::{Obj, PyRef};
use crate::objects::argparse::{self, Kw, Sig};
use crate::objects::{bool_, list, long, none, unicode};

fn str_arg<'a>(func: &str, o: &'a Obj) -> PyResult<&'a Obj> {
    if unicode::check(o) {
        Ok(o)
    } else {
        Err(raise!(TypeError, "{}() argument must be str, not {}", func, o.ob_type().name()))
    }
}

fn builtin_kind(name: &str) -> i64 {
    match name {
        // Cannot be initialized again (CPython answers -1 for these).
        "sys" | "builtins" => -1,
        n if super::NAMES.contains(&n) => 1,
        _ => 0,
    }
}

/// `is_builtin(name)`: 1 for a built-in module, -1 for one that cannot be re-initialized, else 0.
fn m_is_builtin(_m: &Obj, name: &Obj) -> PyResult<PyRef> {
    let name = str_arg("is_builtin", name)?;
    Ok(long::from_i64(builtin_kind(&unicode::as_str_lossy(name))))
}

/// `create_builtin(spec)`: the built-in module `spec.name` (the one already made, if any).
fn m_create_builtin(_m: &Obj, spec: &Obj) -> PyResult<PyRef> {
    let name = crate::abstract_::getattr_str(spec, "name")?;
    if !unicode::check(&name) {
        return Err(raise!(TypeError, "name must be string, not {}", name.ob_type().name()));
    }
    let name = unicode::as_str_lossy(&name).into_owned();
    if builtin_kind(&name) == 0 {
        let e = crate::err::PyErr::new(crate::objects::exceptions::ImportError(), format!("no built-in module named {name}"));
        let _ = crate::abstract_::setattr(e.value(), &unicode::new("name"), Some(&unicode::new(&name)));
        return Err(e);
    }
    crate::import::import_module(&name)
}

/// `exec_builtin(mod)`: Pyrite's built-in modules are complete when made.
fn m_exec_builtin(_m: &Obj, _module: &Obj) -> PyResult<PyRef> {
    Ok(long::from_i64(0))
}

fn m_is_frozen(_m: &Obj, name: &Obj) -> PyResult<PyRef> {
    str_arg("is_frozen", name)?;
    Ok(bool_::new(false))
}

fn no_frozen(name: &Obj) -> crate::err::PyErr {
    let e = crate::err::PyErr::new(
        crate::objects::exceptions::ImportError(),
        format!("No such frozen object named {}", unicode::as_str_lossy(&crate::abstract_::repr(name).unwrap_or_else(|_| name.new_ref()))),
    );
    let _ = crate::abstract_::setattr(e.value(), &unicode::new("name"), Some(name));
    e
}

fn m_is_frozen_package(_m: &Obj, name: &Obj) -> PyResult<PyRef> {
    Err(no_frozen(str_arg("is_frozen_package", name)?))
}

fn m_init_frozen(_m: &Obj, name: &Obj) -> PyResult<PyRef> {
    Err(no_frozen(str_arg("init_frozen", name)?))
}

static FIND_FROZEN_SIG: Sig = Sig { name: "find_frozen", params: &["name", "withdata"], posonly: 1, maxpos: 1, required: 1 };

/// `find_frozen(name, /, *, withdata=False)`: None (no frozen modules).
fn m_find_frozen(_m: &Obj, args: &[&Obj], kw: Kw) -> PyResult<PyRef> {
    let [name, _] = argparse::parse::<2>(&FIND_FROZEN_SIG, args, kw)?;
    str_arg("find_frozen", name.unwrap())?;
    Ok(none::none())
}

static GET_FROZEN_OBJECT_SIG: Sig = Sig { name: "get_frozen_object", params: &["name", "data"], posonly: 2, maxpos: 2, required: 1 };

fn m_get_frozen_object(_m: &Obj, args: &[&Obj], kw: Kw) -> PyResult<PyRef> {
    let [name, _] = argparse::parse::<2>(&GET_FROZEN_OBJECT_SIG, args, kw)?;
    Err(no_frozen(str_arg("get_frozen_object", name.unwrap())?))
}

/// `extension_suffixes()`: the file suffixes Pyrite loads extensions from, in search order.
fn m_extension_suffixes(_m: &Obj) -> PyResult<PyRef> {
    Ok(list::new_from_owned(crate::import::extension::EXTENSION_SUFFIXES.iter().map(|s| unicode::new(s)).collect()))
}

/// The import lock `importlib` takes around finder calls: re-entrant, owned by a thread.
static IMPORT_LOCK: Mutex<(u64, usize)> = Mutex::new((0, 0));
static IMPORT_LOCK_FREED: Condvar = Condvar::new();

fn m_acquire_lock(_m: &Obj) -> PyResult<PyRef> {
    let me = super::thread::ident();
    // Waiting detached: the holder may need the GIL to finish and release.
    crate::gil::allow_threads(|| {
        let mut held = IMPORT_LOCK.lock().unwrap_or_else(|e| e.into_inner());
        while held.1 > 0 && held.0 != me {
            held = IMPORT_LOCK_FREED.wait(held).unwrap_or_else(|e| e.into_inner());
        }
        *held = (me, held.1 + 1);
    });
    Ok(none::none())
}

fn m_release_lock(_m: &Obj) -> PyResult<PyRef> {
    let me = super::thread::ident();
    let mut held = IMPORT_LOCK.lock().unwrap_or_else(|e| e.into_inner());
    if held.1 == 0 || held.0 != me {
        return Err(raise!(RuntimeError, "not holding the import lock"));
    }
    held.1 -= 1;
    if held.1 == 0 {
        IMPORT_LOCK_FREED.notify_all();
    }
    Ok(none::none())
}

fn m_lock_held(_m: &Obj) -> PyResult<PyRef> {
    Ok(bool_::new(IMPORT_LOCK.lock().unwrap_or_else(|e| e.into_inner()).1 > 0))
}

crate::method_table!(static IMP_METHODS = [
    o c"is_builtin" => m_is_builtin,
    o c"create_builtin" => m_create_builtin,
    o c"exec_builtin" => m_exec_builtin,
    o c"is_frozen" => m_is_frozen,
    o c"is_frozen_package" => m_is_frozen_package,
    o c"init_frozen" => m_init_frozen,
    kw c"find_frozen" => m_find_frozen,
    kw c"get_frozen_object" => m_get_frozen_object,
    noargs c"extension_suffixes" => m_extension_suffixes,
    noargs c"acquire_lock" => m_acquire_lock,
    noargs c"release_lock" => m_release_lock,
    noargs c"lock_held" => m_lock_held,
]);

/// `importlib.util.MAGIC_NUMBER`'s source: a `.pyc` magic number (low 16 bits, then `\r\n`)
/// that CPython never used, so no CPython `.pyc` in a `__pycache__` passes for Pyrite bytecode.
const PYC_MAGIC_NUMBER_TOKEN: i64 = 0x7079 | (0x0a0d << 16);

/// The `_imp` module.
pub fn create() -> PyResult<PyRef> {
    // SAFETY: the table is static and NULL-terminated.
    let m = unsafe { super::new_module("_imp", IMP_METHODS.0.get() as *mut pyrite_abi::PyMethodDef)? };
    let d = crate::objects::module::dict_of(&m);
    crate::objects::dict::set_item_str(d, "check_hash_based_pycs", &unicode::new("default"))?;
    super::add_ints(&m, &[("pyc_magic_number_token", PYC_MAGIC_NUMBER_TOKEN)])?;
    Ok(m)
}
