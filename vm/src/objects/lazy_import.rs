//! PEP 810 lazy imports: the `lazy_import` object (`types.LazyImportType`) a lazy `import`
//! binds instead of a module, the global mode and filter (`sys.set_lazy_imports`,
//! `sys.set_lazy_imports_filter`, `-X lazy_imports`, `PYTHON_LAZY_IMPORTS`), and
//! `__lazy_import__`.
//!
//! A lazy object records what the statement would have imported: the absolute module name,
//! the `from` list (None for `import a.b`) and the names `IMPORT_FROM` took from it since
//! (`from m import a` adds `a`; `import a.b.c as x` adds `b`, `c`). Resolving it runs the
//! import and those `import_from` steps. Whoever finds one where a value is expected resolves
//! it and stores the result in its place: `LOAD_GLOBAL`/`LOAD_NAME` in the namespace, module
//! attribute access in the module's dict. `globals()`, `__dict__` and `dir()` show it as is.
//! A failed resolution raises the import's exception with an `ImportError` naming the lazy
//! import as its cause, and leaves the lazy object in place.

use core::mem::size_of;
use core::sync::atomic::{AtomicBool, AtomicPtr, Ordering};

use pyrite_abi::*;

use crate::err::{PyErr, PyResult};
use crate::object::{Obj, PyRef};
use crate::objects::argparse::{self, Kw, Sig};
use crate::objects::type_::{TypeObj, BUILTIN_FLAGS};
use crate::objects::{dict, exceptions, none, set, tuple, unicode};
use crate::slot::{arg, ret_obj};
use crate::{method_table, static_type};

#[repr(C)]
pub struct LazyImportObject {
    pub ob_base: PyObject,
    /// The absolute name of the module to import (str).
    name: *mut PyObject,
    /// The `from` list: None for `import a.b`.
    fromlist: *mut PyObject,
    /// The names taken from the import's result, in order (tuple of str).
    attrs: *mut PyObject,
    /// The code object of the `lazy import` statement (NULL if unknown), and its line: the
    /// note a failed resolution adds names them.
    code: *mut PyObject,
    line: u32,
}

/// Where a lazy import was declared: the statement's code object and line.
pub type Declared = Option<(PyRef, u32)>;

static_type!(PyLazyImport_Type, c"lazy_import", size_of::<LazyImportObject>(), {
    tp_flags: BUILTIN_FLAGS | Py_TPFLAGS_DISALLOW_INSTANTIATION,
    tp_dealloc: Some(lazy_dealloc),
    tp_repr: Some(lazy_repr),
    tp_getattro: Some(lazy_getattro),
    tp_methods: LAZY_METHODS.0.get() as *mut PyMethodDef,
    tp_doc: c"lazy_import(builtins, name, fromlist=None, /)\n--\n\nRepresents a deferred import that will be resolved on first use.".as_ptr(),
});

method_table!(static LAZY_METHODS = [
    noargs c"resolve" => m_resolve,
]);

pub fn types() -> [&'static TypeObj; 1] {
    [&PyLazyImport_Type]
}

#[inline(always)]
pub fn check(o: &Obj) -> bool {
    o.ob_type().is(&PyLazyImport_Type)
}

fn fields(o: &Obj) -> (&Obj, &Obj, &Obj) {
    // SAFETY: a live lazy_import owns its three fields.
    unsafe {
        let r = o.as_ptr() as *mut LazyImportObject;
        (arg((*r).name), arg((*r).fromlist), arg((*r).attrs))
    }
}

fn new(name: &Obj, fromlist: &Obj, attrs: &Obj, declared: Declared) -> PyResult<PyRef> {
    // SAFETY: a fresh object of this static type, its fields set before use.
    let o = unsafe {
        let op = crate::alloc::alloc_object(PyLazyImport_Type.raw(), size_of::<LazyImportObject>(), false);
        if op.is_null() {
            return Err(PyErr::fetch());
        }
        let r = op as *mut LazyImportObject;
        (*r).name = name.new_ref().into_raw();
        (*r).fromlist = fromlist.new_ref().into_raw();
        (*r).attrs = attrs.new_ref().into_raw();
        let (code, line) = declared.map_or((core::ptr::null_mut(), 0), |(c, l)| (c.into_raw(), l));
        (*r).code = code;
        (*r).line = line;
        PyRef::from_raw(op)
    };
    // `sys.lazy_modules` names the module for an import, `m.x` once `x` is taken from it.
    if tuple::len(attrs) == 0 {
        record_pending(&unicode::as_str_lossy(name));
    } else {
        record_pending(&display_name(&o));
    }
    Ok(o)
}

/// The dotted name the lazy object stands for (its repr, `sys.lazy_modules`, errors):
/// `a.b.c` for `import a.b.c`, `m.x` once `x` is taken from `from m import ...`, `m...`
/// for an import with a `from` list nothing was taken from yet.
fn display_name(o: &Obj) -> String {
    let (name, fromlist, attrs) = fields(o);
    let name = unicode::as_str_lossy(name).into_owned();
    let attrs = tuple::items(attrs);
    let plain = fromlist.is(none::none_obj());
    if attrs.is_empty() {
        return if plain { name } else { format!("{name}...") };
    }
    let mut s = if plain { name.split('.').next().unwrap_or("").to_string() } else { name };
    for a in attrs {
        s.push('.');
        s.push_str(&unicode::as_str_lossy(a));
    }
    s
}

/// Adds a name to `sys.lazy_modules` (the set of lazy imports not resolved yet), unless
/// that module is already imported.
fn record_pending(name: &str) {
    if dict::get_item_str(&crate::sys::modules(), name).is_some() {
        return;
    }
    if let Some(s) = crate::sys::get("lazy_modules").filter(|s| set::check(s)) {
        let _ = set::add(&s, &unicode::new(name));
    }
}

fn forget_pending(name: &str) {
    if let Some(s) = crate::sys::get("lazy_modules").filter(|s| set::check(s)) {
        let _ = set::discard(&s, &unicode::new(name));
    }
}

/// "lazy import of 'x' declared in <module> at file.py:3".
fn declared_note(o: &Obj, shown: &str) -> Option<String> {
    // SAFETY: a live lazy_import; `code` is NULL or owned.
    let (code, line) = unsafe {
        let r = o.as_ptr() as *mut LazyImportObject;
        (crate::slot::opt_arg((*r).code)?, (*r).line)
    };
    let text = |attr| crate::abstract_::getattr_str(code, attr).ok().map(|v| unicode::as_str_lossy(&v).into_owned());
    Some(format!("lazy import of '{shown}' declared in {} at {}:{line}", text("co_name")?, text("co_filename")?))
}

/// A module was imported (lazily or not): it is no longer a pending lazy import.
pub fn module_imported(name: &str) {
    if crate::sys::get("lazy_modules").is_some_and(|s| set::check(&s) && set::len(&s) > 0) {
        forget_pending(name);
    }
}

/// Runs the deferred import: the value the eager statement would have bound.
pub fn resolve(o: &Obj) -> PyResult<PyRef> {
    let (name, fromlist, attrs) = fields(o);
    let shown = display_name(o);
    let r = (|| -> PyResult<PyRef> {
        let mut v = crate::import::import_name(name, &dict::new(), fromlist, 0)?;
        if tuple::len(attrs) == 0 && !fromlist.is(none::none_obj()) {
            import_fromlist_submodules(&v, fromlist)?;
        }
        for a in tuple::items(attrs) {
            v = take(&v, a)?;
        }
        Ok(v)
    })();
    match r {
        Ok(v) => {
            forget_pending(&shown);
            forget_pending(&unicode::as_str_lossy(name));
            Ok(v)
        }
        Err(e) => {
            let chained = exceptions::cause(e.value()).is_some() || exceptions::context(e.value()).is_some();
            if chained {
                // The exception's own chain stays: a note says where the import was declared.
                if let Some(note) = declared_note(o, &shown) {
                    crate::abstract_::call_method(e.value(), "add_note", &[&*unicode::new(&note)])?;
                }
            } else {
                let cause = raise!(ImportError, "lazy import of '{}' raised an exception during resolution", shown);
                exceptions::set_cause(e.value(), Some(cause.value()));
            }
            Err(e)
        }
    }
}

/// What `__import__` does with a `from` list: each name the module lacks is tried as a
/// submodule (`__lazy_import__('pkg', fromlist=('sub',))` resolves to `pkg` with `pkg.sub`).
fn import_fromlist_submodules(m: &Obj, fromlist: &Obj) -> PyResult<()> {
    let names = if unicode::check(fromlist) { vec![fromlist.new_ref()] } else { crate::interp::iterobject_collect(fromlist)? };
    let Some(base) = crate::abstract_::getattr_str(m, "__name__").ok().filter(|n| unicode::check(n)) else { return Ok(()) };
    if crate::abstract_::getattr_str(m, "__path__").is_err() {
        return Ok(());
    }
    for n in names.iter().filter(|n| unicode::check(n)) {
        let short = unicode::as_str_lossy(n);
        if short == "*" || crate::abstract_::getattr(m, n).is_ok() {
            continue;
        }
        match crate::import::import_module(&format!("{}.{short}", unicode::as_str_lossy(&base))) {
            Err(e) if e.is_instance(exceptions::ModuleNotFoundError()) => {}
            r => {
                r?;
            }
        }
    }
    Ok(())
}

/// `from m import a` for a resolution: as `IMPORT_FROM`, except that a lazy import bound to
/// `a` in `m`'s own namespace (`lazy from . import a` in a package's `__init__`, possibly
/// the very object being resolved) is not resolved again: the submodule `m.a` is imported.
fn take(m: &Obj, attr: &Obj) -> PyResult<PyRef> {
    if crate::objects::module::check(m) {
        let own = dict::get_item(crate::objects::module::dict_of(m), attr)?;
        if own.is_some_and(|v| check(&v)) {
            if let Some(name) = dict::get_item_str(crate::objects::module::dict_of(m), "__name__").filter(|n| unicode::check(n)) {
                let full = format!("{}.{}", unicode::as_str_lossy(&name), unicode::as_str_lossy(attr));
                return crate::import::import_module(&full);
            }
        }
    }
    crate::import::import_from(m, attr)
}

/// The value `v` read from `ns[name]` stands for: resolved and stored back in its place
/// if it is a lazy import (unless something else was stored there meanwhile).
pub fn reify(ns: &Obj, name: &Obj, v: PyRef) -> PyResult<PyRef> {
    if !check(&v) {
        return Ok(v);
    }
    let r = resolve(&v)?;
    if dict::check(ns) {
        if dict::get_item(ns, name)?.is_some_and(|cur| cur.is(&v)) {
            dict::set_item(ns, name, &r)?;
        }
    }
    Ok(r)
}

/// `IMPORT_FROM` on a lazy import: what `from m import x` takes from a module already
/// imported is taken now; anything else stays deferred.
pub fn import_from(o: &Obj, attr: &Obj) -> PyResult<PyRef> {
    let (name, fromlist, attrs) = fields(o);
    let items = tuple::items(attrs);
    if !fromlist.is(none::none_obj()) && items.is_empty() {
        if let Some(m) = dict::get_item(&crate::sys::modules(), name)? {
            if !m.is(none::none_obj()) {
                if let Ok(v) = crate::abstract_::getattr(&m, attr) {
                    return Ok(v);
                }
            }
        }
    }
    let mut more: Vec<&Obj> = items.to_vec();
    more.push(attr);
    // SAFETY: a live lazy_import; `code` is NULL or owned.
    let declared = unsafe {
        let r = o.as_ptr() as *mut LazyImportObject;
        crate::slot::opt_arg((*r).code).map(|c| (c.new_ref(), (*r).line))
    };
    new(name, fromlist, &tuple::new_from(&more), declared)
}

// ---- the global mode and filter --------------------------------------------------------------

/// `sys.set_lazy_imports("all")`: every eligible import is lazy.
static MODE_ALL: AtomicBool = AtomicBool::new(false);
/// `sys.set_lazy_imports_filter(f)`: an owned reference, or NULL.
static FILTER: AtomicPtr<PyObject> = AtomicPtr::new(core::ptr::null_mut());

/// Sets the mode from `-X lazy_imports=...` or `PYTHON_LAZY_IMPORTS` (`all` or `normal`).
pub fn set_mode_from_config(v: &str) -> bool {
    match v {
        "all" => MODE_ALL.store(true, Ordering::Relaxed),
        "normal" => MODE_ALL.store(false, Ordering::Relaxed),
        _ => return false,
    }
    true
}

/// An invalid mode at startup is fatal, as in CPython.
pub fn invalid_config(source: &str) -> ! {
    eprintln!("Fatal Python error: config_init_lazy_imports: {source}: invalid value; expected 'all' or 'normal'");
    std::process::exit(1)
}

pub fn mode_all() -> bool {
    MODE_ALL.load(Ordering::Relaxed)
}

fn filter() -> Option<PyRef> {
    let p = FILTER.load(Ordering::Acquire);
    // SAFETY: FILTER holds NULL or an owned reference, replaced only under the GIL.
    unsafe { crate::slot::opt_arg(p) }.map(Obj::new_ref)
}

/// Whether the filter lets `importer` import `name` lazily.
fn filter_allows(globals: &Obj, name: &Obj, fromlist: &Obj) -> PyResult<bool> {
    let Some(f) = filter() else { return Ok(true) };
    let importer = dict::get_item_str(globals, "__name__").unwrap_or_else(none::none);
    let r = crate::abstract_::call(&f, &tuple::new_from(&[&*importer, name, fromlist]), None)?;
    crate::abstract_::is_true(&r)
}

/// The lazy object for an import of `name` (absolute) with `fromlist`, or None when the
/// filter wants it eager.
pub fn lazy_import(globals: &Obj, name: &Obj, fromlist: &Obj, declared: Declared) -> PyResult<Option<PyRef>> {
    if !filter_allows(globals, name, fromlist)? {
        return Ok(None);
    }
    new(name, fromlist, &tuple::empty(), declared).map(Some)
}

/// Whether a plain `import` (neither `lazy` nor in a function/class/`try`) of `name` is
/// lazy: the mode is `all`, or `__lazy_modules__` lists it.
pub fn implicitly_lazy(globals: &Obj, name: &Obj) -> PyResult<bool> {
    if mode_all() {
        return Ok(true);
    }
    match dict::get_item_str(globals, "__lazy_modules__") {
        Some(l) => crate::abstract_::contains(&l, name),
        None => Ok(false),
    }
}

pub fn sys_set_lazy_imports(_m: &Obj, mode: &Obj) -> PyResult<PyRef> {
    if !unicode::check(mode) {
        return Err(raise!(TypeError, "mode must be a string: 'normal' or 'all'"));
    }
    if !set_mode_from_config(&unicode::as_str_lossy(mode)) {
        return Err(raise!(ValueError, "mode must be 'normal' or 'all'"));
    }
    Ok(none::none())
}

pub fn sys_get_lazy_imports(_m: &Obj) -> PyResult<PyRef> {
    Ok(unicode::new(if mode_all() { "all" } else { "normal" }))
}

pub fn sys_set_lazy_imports_filter(_m: &Obj, f: &Obj) -> PyResult<PyRef> {
    let new = if f.is(none::none_obj()) {
        core::ptr::null_mut()
    } else if f.ob_type().slots().tp_call.is_some() {
        f.new_ref().into_raw()
    } else {
        return Err(raise!(ValueError, "filter provided but is not callable"));
    };
    let old = FILTER.swap(new, Ordering::AcqRel);
    // SAFETY: the previous filter was an owned reference (or NULL).
    unsafe { crate::object::xdecref(old) };
    Ok(none::none())
}

pub fn sys_get_lazy_imports_filter(_m: &Obj) -> PyResult<PyRef> {
    Ok(filter().unwrap_or_else(none::none))
}

/// `__lazy_import__(name, globals=None, locals=None, fromlist=(), level=0)`: the lazy
/// object an explicit lazy import would make (the module itself if the filter refuses).
pub fn builtin_lazy_import(_m: &Obj, a: &[&Obj], kw: Kw) -> PyResult<PyRef> {
    let sig = Sig { name: "__lazy_import__", params: &["name", "globals", "locals", "fromlist", "level"], posonly: 0, maxpos: 5, required: 1 };
    let [name, globals, _locals, fromlist, level] = argparse::parse::<5>(&sig, a, kw)?;
    let name = name.unwrap();
    if !unicode::check(name) {
        return Err(raise!(TypeError, "module name must be a string"));
    }
    let globals = match globals.filter(|g| !g.is(none::none_obj())) {
        Some(g) if dict::check(g) => g.new_ref(),
        Some(_) => return Err(raise!(TypeError, "globals must be a dict")),
        None => crate::interp::with_current_frame(|f| f.globals.clone()).unwrap_or_else(dict::new),
    };
    let level = match level {
        Some(l) => argparse::c_int(l)? as i64,
        None => 0,
    };
    if level < 0 {
        return Err(raise!(ValueError, "level must be >= 0"));
    }
    let fromlist = match fromlist {
        Some(f) if !f.is(none::none_obj()) && crate::abstract_::is_true(f)? => {
            let items = if unicode::check(f) { vec![f.new_ref()] } else { crate::interp::iterobject_collect(f)? };
            if let Some(bad) = items.iter().find(|i| !unicode::check(i)) {
                return Err(raise!(TypeError, "Item in ``from list'' must be str, not {}", bad.ob_type().name()));
            }
            f.new_ref()
        }
        _ => none::none(),
    };
    let full = crate::import::absolute_name(name, &globals, level)?;
    let declared = crate::interp::with_current_frame(|f| (f.code.clone(), f.lineno()));
    match lazy_import(&globals, &full, &fromlist, declared)? {
        Some(o) => Ok(o),
        None => crate::import::import_name(&full, &globals, &fromlist, 0),
    }
}

// ---- slots ------------------------------------------------------------------------------------

fn m_resolve(o: &Obj) -> PyResult<PyRef> {
    resolve(o)
}

unsafe extern "C" fn lazy_repr(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live lazy_import.
    let o = unsafe { arg(o) };
    unicode::new(&format!("<lazy_import '{}'>", display_name(o))).into_raw()
}

/// Only the type's own attributes: anything else is a mistake of using the object before
/// it was resolved.
unsafe extern "C" fn lazy_getattro(o: *mut PyObject, name: *mut PyObject) -> *mut PyObject {
    // SAFETY: live arguments.
    let (o, name) = unsafe { (arg(o), arg(name)) };
    let r = crate::objects::type_::generic_getattr_impl(o, name);
    ret_obj(match r {
        Err(e) if e.is_instance(exceptions::AttributeError()) => Err(raise!(
            AttributeError,
            "cannot access attribute '{}' on unresolved lazy import '{}'",
            unicode::as_str_lossy(name),
            display_name(o)
        )),
        r => r,
    })
}

unsafe extern "C" fn lazy_dealloc(o: *mut PyObject) {
    // SAFETY: a dead lazy_import releases its fields.
    unsafe {
        let r = o as *mut LazyImportObject;
        crate::object::xdecref((*r).name);
        crate::object::xdecref((*r).fromlist);
        crate::object::xdecref((*r).attrs);
        crate::object::xdecref((*r).code);
        crate::alloc::free_object(o);
    }
}
