//! `_imp`: the low-level pieces `importlib` builds on (CPython's `Python/import.c` module
//! functions) — the global import lock, built-in and "frozen" modules, extension loading, the
//! keyed hash of hash-based `.pyc` files.
//!
//! Pyrite's frozen modules are source carried in the binary (`import/frozen/`); only the ones
//! that are not fallbacks for `Lib/` are reported as frozen here. `exec_builtin` and
//! `exec_dynamic` have nothing left to do: Pyrite's native modules are complete when created,
//! and `create_dynamic` runs a multi-phase extension's exec slots as part of loading it.

use std::sync::{Condvar, Mutex};

use crate::err::PyResult;
use crate::method_table;
use crate::object::{Obj, PyRef};
use crate::objects::argparse::{self, Kw, Sig};
use crate::objects::{bool_, bytes, dict, list, long, none, tuple, unicode};

/// The import lock: a recursive lock owned by one thread (`pthread_self`).
struct ImportLock {
    owner: u64,
    depth: u64,
}

static LOCK: Mutex<ImportLock> = Mutex::new(ImportLock { owner: 0, depth: 0 });
static RELEASED: Condvar = Condvar::new();

fn lock() -> std::sync::MutexGuard<'static, ImportLock> {
    LOCK.lock().unwrap_or_else(|p| p.into_inner())
}

fn m_acquire_lock(_m: &Obj) -> PyResult<PyRef> {
    let me = super::thread::ident();
    {
        let mut l = lock();
        if l.depth == 0 || l.owner == me {
            l.owner = me;
            l.depth += 1;
            return Ok(none::none());
        }
    }
    // Another thread holds it: wait without the GIL.
    crate::gil::allow_threads(|| {
        let mut l = lock();
        while l.depth != 0 {
            l = RELEASED.wait(l).unwrap_or_else(|p| p.into_inner());
        }
        l.owner = me;
        l.depth = 1;
    });
    Ok(none::none())
}

fn m_release_lock(_m: &Obj) -> PyResult<PyRef> {
    let mut l = lock();
    if l.depth == 0 || l.owner != super::thread::ident() {
        return Err(raise!(RuntimeError, "not holding the import lock"));
    }
    l.depth -= 1;
    if l.depth == 0 {
        l.owner = 0;
        RELEASED.notify_one();
    }
    Ok(none::none())
}

fn m_lock_held(_m: &Obj) -> PyResult<PyRef> {
    Ok(bool_::new(lock().depth != 0))
}

fn name_str(o: &Obj) -> PyResult<String> {
    if !unicode::check(o) {
        return Err(raise!(TypeError, "argument must be str, not {}", o.ob_type().name()));
    }
    Ok(unicode::as_str(o)?.to_string())
}

/// `is_builtin(name)`: 1 for a native module, -1 for `sys` and `builtins` (which cannot be
/// initialised again), 0 otherwise.
fn m_is_builtin(_m: &Obj, name: &Obj) -> PyResult<PyRef> {
    let n = name_str(name)?;
    Ok(long::from_i64(match n.as_str() {
        "sys" | "builtins" => -1,
        n if super::find(n).is_some() => 1,
        _ => 0,
    }))
}

/// `create_builtin(spec)`: the native module `spec.name` (the one in `sys.modules` if it was
/// made already: native modules are made once per process, like single-phase ones).
fn m_create_builtin(_m: &Obj, spec: &Obj) -> PyResult<PyRef> {
    let name_obj = crate::abstract_::getattr_str(spec, "name")?;
    let name = name_str(&name_obj)?;
    match name.as_str() {
        "sys" => return Ok(crate::sys::module()),
        "builtins" => return Ok(crate::builtins::module()),
        _ => {}
    }
    if let Some(m) = dict::get_item_str(&crate::sys::modules(), &name) {
        if crate::objects::module::check(&m) {
            return Ok(m);
        }
    }
    match super::find(&name) {
        Some(create) => create(),
        None => {
            let e = raise!(ImportError, "no built-in module named {}", name);
            let _ = crate::abstract_::setattr(e.value(), &unicode::new("name"), Some(&name_obj));
            Err(e)
        }
    }
}

fn m_exec_builtin(_m: &Obj, _module: &Obj) -> PyResult<PyRef> {
    Ok(long::from_i64(0))
}

fn not_frozen(name: &Obj) -> PyResult<PyRef> {
    let r = crate::abstract_::repr(name)?;
    let e = raise!(ImportError, "No such frozen object named {}", unicode::as_str_lossy(&r));
    let _ = crate::abstract_::setattr(e.value(), &unicode::new("name"), Some(name));
    Err(e)
}

fn m_is_frozen(_m: &Obj, name: &Obj) -> PyResult<PyRef> {
    Ok(bool_::new(crate::import::frozen_module(&name_str(name)?).is_some()))
}

fn m_is_frozen_package(_m: &Obj, name: &Obj) -> PyResult<PyRef> {
    match crate::import::frozen_module(&name_str(name)?) {
        Some(f) => Ok(bool_::new(f.is_package)),
        None => not_frozen(name),
    }
}

/// `find_frozen(name, *, withdata=False)`: `None`, or `(data, ispkg, origname)`; Pyrite's
/// frozen modules carry source, not marshalled code, so `data` is always `None`.
fn m_find_frozen(_m: &Obj, a: &[&Obj], kw: Kw) -> PyResult<PyRef> {
    static SIG: Sig = Sig { name: "find_frozen", params: &["name", "withdata"], posonly: 1, maxpos: 1, required: 1 };
    let [name, _withdata] = argparse::parse::<2>(&SIG, a, kw)?;
    let name = name.unwrap();
    Ok(match crate::import::frozen_module(&name_str(name)?) {
        Some(f) => tuple::new_from(&[&*none::none(), &*bool_::new(f.is_package), name]),
        None => none::none(),
    })
}

/// `get_frozen_object(name, data=None)`: the frozen module's code, compiled from its source.
fn m_get_frozen_object(_m: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    argparse::check_positional("get_frozen_object", a.len(), 1, 2)?;
    if a.len() == 2 && !a[1].is(none::none_obj()) {
        return Err(raise!(ImportError, "Pyrite's frozen modules hold source, not marshalled code"));
    }
    let name = name_str(a[0])?;
    match crate::import::frozen_module(&name) {
        Some(f) => crate::compiler::compile(f.source, &format!("<frozen {name}>"), crate::compiler::Mode::Exec),
        None => not_frozen(a[0]),
    }
}

/// `init_frozen(name)`: imports the frozen module (`None` if there is none).
fn m_init_frozen(_m: &Obj, name: &Obj) -> PyResult<PyRef> {
    let n = name_str(name)?;
    if crate::import::frozen_module(&n).is_none() {
        return Ok(none::none());
    }
    crate::import::import_module(&n)
}

fn m_frozen_module_names(_m: &Obj) -> PyResult<PyRef> {
    let l = list::new();
    for n in crate::import::FROZEN_NAMES {
        list::append(&l, &unicode::new(n));
    }
    Ok(l)
}

fn m_extension_suffixes(_m: &Obj) -> PyResult<PyRef> {
    let l = list::new();
    for s in crate::import::extension::EXTENSION_SUFFIXES {
        list::append(&l, &unicode::new(s));
    }
    Ok(l)
}

/// `create_dynamic(spec, file=None)`: loads the extension at `spec.origin` as `spec.name`.
fn m_create_dynamic(_m: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    argparse::check_positional("create_dynamic", a.len(), 1, 2)?;
    let spec = a[0];
    let name = name_str(&*crate::abstract_::getattr_str(spec, "name")?)?;
    let origin = crate::abstract_::getattr_str(spec, "origin")?;
    let origin = unicode::as_str(&*super::posix::fspath(&origin)?)?.to_string();
    let s = crate::import::extension::Spec { name, origin: origin.clone() };
    crate::import::extension::load_with_spec(std::path::Path::new(&origin), &s, spec)
}

fn m_exec_dynamic(_m: &Obj, _module: &Obj) -> PyResult<PyRef> {
    Ok(long::from_i64(0))
}

fn m_fix_co_filename(_m: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    argparse::check_positional("_fix_co_filename", a.len(), 2, 2)?;
    if !crate::objects::code::check(a[0]) {
        return Err(raise!(TypeError, "_fix_co_filename() argument 1 must be code, not {}", a[0].ob_type().name()));
    }
    if !unicode::check(a[1]) {
        return Err(raise!(TypeError, "_fix_co_filename() argument 2 must be str, not {}", a[1].ob_type().name()));
    }
    crate::objects::code::fix_filename(a[0], a[1])?;
    Ok(none::none())
}

/// `source_hash(key, source)`: SipHash-1-3 of `source` under `(key, 0)`, as 8 little-endian
/// bytes — the hash CPython's hash-based `.pyc` files record.
fn m_source_hash(_m: &Obj, a: &[&Obj], kw: Kw) -> PyResult<PyRef> {
    static SIG: Sig = Sig { name: "source_hash", params: &["key", "source"], posonly: 0, maxpos: 2, required: 2 };
    let [key, source] = argparse::parse::<2>(&SIG, a, kw)?;
    let key = argparse::ssize(key.unwrap())? as i64;
    let data = bytes::buffer_bytes(source.unwrap())?.ok_or_else(|| {
        raise!(TypeError, "a bytes-like object is required, not '{}'", source.unwrap().ob_type().name())
    })?;
    let h = crate::hash::siphash13_keyed(key as u64, 0, &data);
    Ok(bytes::new(&h.to_le_bytes()))
}

static OVERRIDE_FROZEN: Mutex<i64> = Mutex::new(0);
static OVERRIDE_MULTI_INTERP: Mutex<i64> = Mutex::new(0);

fn swap_override(cell: &Mutex<i64>, v: &Obj) -> PyResult<PyRef> {
    let v = argparse::ssize(v)? as i64;
    let mut c = cell.lock().unwrap_or_else(|p| p.into_inner());
    let old = std::mem::replace(&mut *c, v);
    Ok(long::from_i64(old))
}

/// Tests override whether frozen modules are used; Pyrite records the setting (its only
/// frozen modules have no `Lib/` counterpart to prefer).
fn m_override_frozen(_m: &Obj, v: &Obj) -> PyResult<PyRef> {
    swap_override(&OVERRIDE_FROZEN, v)
}

/// Pyrite has one interpreter: the multi-interpreter check it overrides never fails.
fn m_override_multi_interp(_m: &Obj, v: &Obj) -> PyResult<PyRef> {
    swap_override(&OVERRIDE_MULTI_INTERP, v)
}

/// `_set_lazy_attributes(module, name)`: binds the submodules that PEP 810 `lazy import`s
/// left pending on a package. Pyrite runs `lazy import` eagerly, so none are ever pending.
fn m_set_lazy_attributes(_m: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    argparse::check_positional("_set_lazy_attributes", a.len(), 2, 2)?;
    Ok(none::none())
}

method_table!(static IMP_METHODS = [
    noargs c"acquire_lock" => m_acquire_lock,
    noargs c"release_lock" => m_release_lock,
    noargs c"lock_held" => m_lock_held,
    o c"is_builtin" => m_is_builtin,
    o c"create_builtin" => m_create_builtin,
    o c"exec_builtin" => m_exec_builtin,
    o c"is_frozen" => m_is_frozen,
    o c"is_frozen_package" => m_is_frozen_package,
    kw c"find_frozen" => m_find_frozen,
    fast c"get_frozen_object" => m_get_frozen_object,
    o c"init_frozen" => m_init_frozen,
    noargs c"_frozen_module_names" => m_frozen_module_names,
    noargs c"extension_suffixes" => m_extension_suffixes,
    fast c"create_dynamic" => m_create_dynamic,
    o c"exec_dynamic" => m_exec_dynamic,
    fast c"_fix_co_filename" => m_fix_co_filename,
    kw c"source_hash" => m_source_hash,
    o c"_override_frozen_modules_for_tests" => m_override_frozen,
    o c"_override_multi_interp_extensions_check" => m_override_multi_interp,
    fast c"_set_lazy_attributes" => m_set_lazy_attributes,
]);

/// The magic number of Pyrite's cached bytecode (`importlib.util.MAGIC_NUMBER` is its
/// little-endian bytes followed by `\r\n`). Pyrite writes no `.pyc` files yet (its code
/// objects do not marshal); the number is its own so no CPython `.pyc` is ever taken for one.
pub const PYC_MAGIC: u16 = 0x7970;

pub fn create() -> PyResult<PyRef> {
    // SAFETY: the table is static.
    let m = unsafe { super::new_module("_imp", IMP_METHODS.0.get() as *mut pyrite_abi::PyMethodDef)? };
    let d = crate::objects::module::dict_of(&m);
    dict::set_item_str(d, "check_hash_based_pycs", &unicode::new("default"))?;
    let token = PYC_MAGIC as i64 | ((b'\r' as i64) << 16) | ((b'\n' as i64) << 24);
    dict::set_item_str(d, "pyc_magic_number_token", &long::from_i64(token))?;
    dict::set_item_str(d, "__doc__", &unicode::new("(Extremely) low-level import machinery bits as used by importlib."))?;
    Ok(m)
}
