//! The `sys` module: the parts the language itself needs (argv, path, modules, version
//! information, recursion limit, exit). The rest arrives with the standard library.

use core::cell::UnsafeCell;
use core::ffi::c_void;
use std::sync::OnceLock;

use pyrite_abi::*;

use crate::err::PyResult;
use crate::object::{Obj, PyRef, SyncPtr};
use crate::objects::type_::StaticTable;
use crate::objects::{dict, exceptions as exc, list, long, module, none, tuple, unicode};
use crate::slot::{arg, ret_obj};

/// The current interpreter's `sys` module: the main interpreter's (created on first use,
/// lives forever), or a sub-interpreter's.
#[inline]
pub fn module() -> PyRef {
    if let Some(sub) = crate::gil::current_sub_interpreter() {
        let p = sub.sys.get();
        if !p.is_null() {
            // SAFETY: the interpreter owns its sys module.
            return unsafe { Obj::from_ptr(p) }.new_ref();
        }
    }
    main_module()
}

/// The main interpreter's `sys` module.
pub fn main_module() -> PyRef {
    static MODULE: OnceLock<SyncPtr<PyObject>> = OnceLock::new();
    let p = MODULE.get_or_init(|| SyncPtr(crate::object::make_immortal(create().expect("creating sys")))).0;
    // SAFETY: the module is immortal.
    unsafe { Obj::from_ptr(p) }.new_ref()
}

pub fn get(name: &str) -> Option<PyRef> {
    dict::get_item_str(module::dict_of(&module()), name)
}

/// `sys.modules`.
/// `sys.copyright`, also `Py_GetCopyright()`.
pub const COPYRIGHT: &core::ffi::CStr = c"Copyright (c) The Pyrite authors.\nAll Rights Reserved.";

pub fn modules() -> PyRef {
    get("modules").expect("sys.modules")
}

/// `sys.path` (a list; callers must not assume it was not replaced).
pub fn path() -> Option<PyRef> {
    get("path").filter(|p| list::check(p))
}

fn create() -> PyResult<PyRef> {
    let m = module::new(&unicode::new("sys"))?;
    // SAFETY: the table is static.
    unsafe { module::add_functions(&m, SYS_METHODS.0.get() as *mut PyMethodDef)? };
    // SAFETY: as above.
    unsafe { module::add_functions(&m, SYS_MORE_METHODS.0.get() as *mut PyMethodDef)? };
    let d = module::dict_of(&m);
    for (name, dunder) in [("excepthook", "__excepthook__"), ("displayhook", "__displayhook__"), ("unraisablehook", "__unraisablehook__")] {
        let f = dict::get_item_str(d, name).expect("just added");
        dict::set_item_str(d, dunder, &f)?;
    }
    dict::set_item_str(d, "dont_write_bytecode", &crate::objects::bool_::new(true))?;
    // SAFETY: the table is static.
    let jit = unsafe { crate::stdlib::new_module("sys._jit", JIT_METHODS.0.get() as *mut PyMethodDef)? };
    dict::set_item_str(module::dict_of(&jit), "__doc__", &unicode::new("Utilities for observing just-in-time compilation."))?;
    dict::set_item_str(d, "_jit", &jit)?;
    let names = tuple::new_from_owned(STDLIB_MODULE_NAMES.iter().map(|n| unicode::new(n)).collect());
    dict::set_item_str(d, "stdlib_module_names", &*crate::objects::set::frozenset_from_iterable(Some(&names))?)?;
    let prefix = crate::config::get().pycache_prefix.as_deref().map_or_else(crate::objects::none::none, unicode::new);
    dict::set_item_str(d, "pycache_prefix", &prefix)?;
    dict::set_item_str(d, "warnoptions", &list::new())?;
    dict::set_item_str(d, "abiflags", &unicode::new(""))?;
    dict::set_item_str(d, "platlibdir", &unicode::new("lib"))?;
    dict::set_item_str(d, "float_repr_style", &unicode::new("short"))?;
    let modules = dict::new();
    dict::set_item_str(&modules, "sys", &m)?;
    // As in CPython, `builtins` is in sys.modules from the start (pickle looks types up there).
    dict::set_item_str(&modules, "builtins", &crate::builtins::module())?;
    dict::set_item_str(d, "modules", &modules)?;
    dict::set_item_str(d, "path", &list::new())?;
    // Filled when importlib is first imported (`import::install_importlib`).
    dict::set_item_str(d, "meta_path", &list::new())?;
    dict::set_item_str(d, "path_hooks", &list::new())?;
    dict::set_item_str(d, "path_importer_cache", &dict::new())?;
    dict::set_item_str(d, "argv", &list::new_from(&[&unicode::new("")]))?;
    dict::set_item_str(d, "platform", &unicode::new("linux"))?;
    dict::set_item_str(d, "copyright", &unicode::new(COPYRIGHT.to_str().unwrap_or_default()))?;
    dict::set_item_str(d, "byteorder", &unicode::new("little"))?;
    dict::set_item_str(d, "maxsize", &long::from_i64(isize::MAX as i64))?;
    dict::set_item_str(d, "maxunicode", &long::from_i64(0x10ffff))?;
    dict::set_item_str(d, "hexversion", &long::from_i64(PY_VERSION_HEX as i64))?;
    dict::set_item_str(d, "api_version", &long::from_i64(PYTHON_API_VERSION as i64))?;
    let version = format!("3.15.0 (pyrite {}) [rustc]", env!("CARGO_PKG_VERSION"));
    dict::set_item_str(d, "version", &unicode::new(&version))?;
    let vi = tuple::new_from_owned(vec![
        long::from_i64(3),
        long::from_i64(15),
        long::from_i64(0),
        unicode::new("final"),
        long::from_i64(0),
    ]);
    dict::set_item_str(d, "version_info", &vi)?;
    let implementation = crate::objects::namespace::new(&[
        ("name", &unicode::new("pyrite")),
        ("cache_tag", &unicode::new(CACHE_TAG.to_str().unwrap_or_default())),
        ("version", &vi),
        ("hexversion", &long::from_i64(PY_VERSION_HEX as i64)),
        ("_multiarch", &unicode::new("x86_64-linux-gnu")),
    ])?;
    dict::set_item_str(d, "implementation", &implementation)?;
    let appended = crate::import::extension::inittab_names();
    let mut names: Vec<&str> = crate::stdlib::NAMES.to_vec();
    names.extend(["builtins", "sys"]);
    names.extend(appended.iter().map(String::as_str));
    names.sort();
    names.dedup();
    // PEP 810: the names of lazy imports not resolved yet.
    dict::set_item_str(d, "lazy_modules", &crate::objects::set::new_empty())?;
    dict::set_item_str(d, "builtin_module_names", &tuple::new_from_owned(names.iter().map(|n| unicode::new(n)).collect()))?;
    if let Ok(exe) = std::env::current_exe() {
        dict::set_item_str(d, "executable", &unicode::new(&exe.display().to_string()))?;
    }
    Ok(m)
}

/// `sys.warnoptions` from the command line (`-W`) and `PYTHONWARNINGS`.
pub fn set_warnoptions(options: &[String]) -> PyResult<()> {
    let l = list::new();
    for o in options {
        list::append(&l, &unicode::new(o));
    }
    dict::set_item_str(module::dict_of(&module()), "warnoptions", &l)
}

/// Whether `sys.warnoptions` holds any filter.
pub fn has_warnoptions() -> bool {
    dict::get_item_str(module::dict_of(&module()), "warnoptions").is_some_and(|l| list::check(&l) && list::len(&l) > 0)
}

/// Sets `sys._xoptions` from `-X` options (`name` or `name=value`; a bare name maps to True),
/// and acts on those Pyrite knows (`pystats`: print specialization statistics at exit).
pub fn set_xoptions(opts: &[String]) -> PyResult<()> {
    let d = dict::new();
    // PEP 810's mode, which `-X lazy_imports` overrides.
    if let Some(mode) = crate::config::env("PYTHON_LAZY_IMPORTS") {
        if !crate::objects::lazy_import::set_mode_from_config(&mode) {
            crate::objects::lazy_import::invalid_config("PYTHON_LAZY_IMPORTS");
        }
    }
    for o in opts {
        let (k, v) = match o.split_once('=') {
            Some((k, v)) => (k, unicode::new(v)),
            None => (o.as_str(), crate::objects::bool_::new(true)),
        };
        dict::set_item_str(&d, k, &v)?;
        if k == "pystats" {
            crate::interp::specialize::stats::enable();
        }
        if k == "lazy_imports" && !crate::objects::lazy_import::set_mode_from_config(&unicode::as_str_lossy(&v)) {
            crate::objects::lazy_import::invalid_config("-X lazy_imports");
        }
    }
    configure_int_max_str_digits(dict::get_item_str(&d, "int_max_str_digits").as_deref())?;
    dict::set_item_str(module::dict_of(&module()), "_xoptions", &d)
}

/// Where CPython 3.15's pure-Python standard library (`Lib/`, installed as
/// `lib/python3.15`) is: under `PYTHONHOME` if set; else the copy
/// `tools/fetch-cpython315.sh` unpacks from Debian's packages into Pyrite's cache
/// (`$PYRITE_CACHE`, default `~/.cache/pyrite`); else an installed CPython 3.15 under
/// `/usr/local` or `/usr`. A folder counts when it holds `os.py`.
pub fn stdlib_dir() -> Option<std::path::PathBuf> {
    use std::path::PathBuf;
    let lib = |prefix: PathBuf| prefix.join("lib/python3.15");
    let mut candidates = Vec::new();
    if let Some(home) = python_home() {
        // PYTHONHOME may be `prefix:exec_prefix`; the library is under the prefix.
        let home = home.split(':').next().unwrap_or_default().to_string();
        candidates.push(lib(PathBuf::from(home)));
    } else {
        let cache = std::env::var_os("PYRITE_CACHE")
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache/pyrite")));
        if let Some(c) = cache {
            candidates.push(lib(c.join("cpython315/root/usr")));
        }
        candidates.push(lib(PathBuf::from("/usr/local")));
        candidates.push(lib(PathBuf::from("/usr")));
    }
    candidates.into_iter().find(|d| d.join("os.py").is_file())
}

/// `sys.implementation.cache_tag`, for `PyImport_GetMagicTag`.
pub const CACHE_TAG: &core::ffi::CStr = c"pyrite-315";

/// Settings an embedder makes before initializing (`Py_SetPythonHome`, `Py_SetPath`).
static HOME_SETTING: std::sync::Mutex<Option<String>> = std::sync::Mutex::new(None);
static PATH_SETTING: std::sync::Mutex<Option<String>> = std::sync::Mutex::new(None);

/// `Py_SetPythonHome`: where the standard library is, instead of `PYTHONHOME`.
pub fn set_python_home(home: Option<String>) {
    *HOME_SETTING.lock().unwrap_or_else(|p| p.into_inner()) = home;
}

/// The home `Py_SetPythonHome` set, else `PYTHONHOME` (`prefix[:exec_prefix]`).
pub fn python_home() -> Option<String> {
    HOME_SETTING
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .clone()
        .or_else(|| std::env::var_os("PYTHONHOME").map(|h| h.to_string_lossy().into_owned()))
}

/// `Py_SetPath`: the module search path (`:`-separated), replacing the standard library's
/// discovery; `sys.prefix` and `sys.exec_prefix` are then empty, as in CPython.
pub fn set_module_search_path(path: Option<String>) {
    *PATH_SETTING.lock().unwrap_or_else(|p| p.into_inner()) = path;
}

/// The module search path `Py_SetPath` set, if any.
pub fn module_search_path() -> Option<String> {
    PATH_SETTING.lock().unwrap_or_else(|p| p.into_inner()).clone()
}

/// Appends the standard library's folder (see [`stdlib_dir`]) to `sys.path` and sets
/// `sys.prefix`/`sys.exec_prefix` (and their `base_` twins) to its installation prefix —
/// or, after `Py_SetPath`, the entries it gave.
pub fn add_stdlib_path() -> PyResult<()> {
    let m = module();
    let d = module::dict_of(&m);
    if let Some(p) = PATH_SETTING.lock().unwrap_or_else(|p| p.into_inner()).clone() {
        if let Some(path) = path() {
            for entry in p.split(':').filter(|e| !e.is_empty()) {
                list::append(&path, &unicode::new(entry));
            }
        }
        for key in ["prefix", "exec_prefix", "base_prefix", "base_exec_prefix"] {
            dict::set_item_str(d, key, &unicode::new(""))?;
        }
        return Ok(());
    }
    let Some(dir) = stdlib_dir() else { return Ok(()) };
    if let Some(path) = path() {
        list::append(&path, &unicode::new(&dir.display().to_string()));
    }
    let prefix = dir.parent().and_then(|p| p.parent()).map(|p| p.display().to_string()).unwrap_or_default();
    for key in ["prefix", "exec_prefix", "base_prefix", "base_exec_prefix"] {
        dict::set_item_str(d, key, &unicode::new(&prefix))?;
    }
    // The standard streams started the codec registry before `Lib/` was on the path, with
    // Pyrite's frozen fallbacks; CPython's own `codecs` and `encodings` package replace them.
    let modules = modules();
    let frozen = |name: &str| dict::get_item_str(&modules, name).is_some_and(|m| crate::abstract_::lookup_attr(&m, "__file__").ok().flatten().is_none());
    if frozen("encodings") || frozen("codecs") {
        // Its search function goes too, so codecs come back as Lib's `codecs.CodecInfo`.
        if let Some(enc) = dict::get_item_str(&modules, "encodings") {
            if let Some(f) = crate::abstract_::lookup_attr(&enc, "search_function")? {
                crate::codecs::unregister(&f)?;
            }
        }
        for name in ["encodings", "codecs"] {
            if dict::get_item_str(&modules, name).is_some() {
                dict::del_item(&modules, &unicode::new(name))?;
            }
        }
        crate::import::import_module("encodings")?;
    }
    Ok(())
}

/// `sys.float_info`, `sys.int_info` and `sys.thread_info`, made when the interpreter starts
/// running a program (their types are made at run time).
pub fn add_info_attributes() -> PyResult<()> {
    let m = module();
    let d = module::dict_of(&m);
    dict::set_item_str(d, "float_info", &*crate::objects::structseq::float_info()?)?;
    dict::set_item_str(d, "int_info", &*crate::objects::structseq::int_info()?)?;
    dict::set_item_str(d, "thread_info", &*crate::objects::structseq::thread_info()?)?;
    dict::set_item_str(d, "flags", &*crate::objects::structseq::sys_flags()?)?;
    dict::set_item_str(d, "hash_info", &*crate::objects::structseq::hash_info()?)
}

/// The attributes of the main interpreter's `sys` a sub-interpreter's starts without: the
/// import system's state, the standard streams (each interpreter makes its own), what
/// running code left behind.
const NOT_INHERITED: [&str; 16] = [
    "modules", "path_importer_cache", "meta_path", "path_hooks", "stdin", "stdout", "stderr", "__stdin__",
    "__stdout__", "__stderr__", "last_exc", "last_type", "last_value", "last_traceback", "ps1", "ps2",
];

/// A sub-interpreter's `sys` module (`Py_NewInterpreter`; the new interpreter is current,
/// its builtins made). As CPython copies the main interpreter's configuration, the
/// configuration attributes (`argv`, `path`, `flags`, `executable`, `_xoptions`, ...) start
/// as the main interpreter's, lists and dicts copied; `sys.modules` holds `sys` and
/// `builtins`.
pub fn create_for_subinterpreter() -> PyResult<PyRef> {
    let m = create()?;
    let d = module::dict_of(&m);
    let main = main_module();
    for (k, v) in dict::items_vec(module::dict_of(&main)) {
        let Ok(name) = unicode::as_str(&k) else { continue };
        if NOT_INHERITED.contains(&name) || dict::get_item_str(d, name).is_some() {
            continue;
        }
        let v = if list::check_exact(&v) {
            list::new_from(&list::to_vec(&v).iter().map(|e| &**e).collect::<Vec<_>>())
        } else if dict::check_exact(&v) {
            dict::copy(&v)?
        } else {
            v
        };
        dict::set_item(d, &k, &v)?;
    }
    // `sys.path` is the configuration's, not what the main program has made of it.
    if let Some(p) = dict::get_item_str(module::dict_of(&main), "path").filter(|p| list::check(p)) {
        dict::set_item_str(d, "path", &list::new_from(&list::to_vec(&p).iter().map(|e| &**e).collect::<Vec<_>>()))?;
    }
    Ok(m)
}

/// Sets `sys.argv`.
pub fn set_argv(args: &[String]) -> PyResult<()> {
    let items: Vec<PyRef> = args.iter().map(|a| unicode::new(a)).collect();
    let refs: Vec<&Obj> = items.iter().map(|r| &**r).collect();
    dict::set_item_str(module::dict_of(&module()), "argv", &list::new_from(&refs))
}

unsafe extern "C" fn sys_getrecursionlimit(_m: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    long::from_i64(crate::interp::recursion_limit() as i64).into_raw()
}

unsafe extern "C" fn sys_setrecursionlimit(_m: *mut PyObject, o: *mut PyObject) -> *mut PyObject {
    // SAFETY: METH_O contract.
    let o = unsafe { arg(o) };
    let r = (|| {
        if !long::check(o) {
            return Err(raise!(TypeError, "'{}' object cannot be interpreted as an integer", o.ob_type().name()));
        }
        let n = long::to_i64(o).unwrap_or(-1);
        if n < 1 {
            return Err(raise!(ValueError, "recursion limit must be greater or equal than 1"));
        }
        crate::interp::set_recursion_limit(n.min(u32::MAX as i64) as u32);
        Ok(none::none())
    })();
    ret_obj(r)
}

unsafe extern "C" fn sys_exit(_m: *mut PyObject, p: *const *mut PyObject, n: Py_ssize_t) -> *mut PyObject {
    // SAFETY: METH_FASTCALL contract.
    let e = if n == 0 {
        crate::err::PyErr::from_type_no_args(exc::SystemExit())
    } else {
        crate::err::PyErr::from_type_and_arg(exc::SystemExit(), unsafe { arg(*p) })
    };
    ret_obj(Err(e))
}

unsafe extern "C" fn sys_exception(_m: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    crate::interp::handled_exception().unwrap_or_else(none::none).into_raw()
}

unsafe extern "C" fn sys_getrefcount(_m: *mut PyObject, o: *mut PyObject) -> *mut PyObject {
    // SAFETY: METH_O contract: `o` is a live object. As in CPython, the count includes the
    // reference the caller's value stack holds for the argument.
    let o = unsafe { arg(o) };
    long::from_i64(o.refcnt() as i64).into_raw()
}

/// `sys.getallocatedblocks()`: in Pyrite, the number of live (non-static) objects, which is
/// what the ext-tests' leak checks compare before and after repeated rounds.
unsafe extern "C" fn sys_getallocatedblocks(_m: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    long::from_i64(crate::object::stats::live() as i64).into_raw()
}

/// The `depth` argument of `_getframe` and `_getframemodulename` (default 0).
fn depth_arg(a: &[&Obj], what: &str) -> PyResult<usize> {
    crate::objects::argparse::check_positional(what, a.len(), 0, 1)?;
    match a.first() {
        None => Ok(0),
        Some(d) => {
            let d = long::to_i64(&*crate::abstract_::index(d)?).unwrap_or(i64::MAX);
            Ok(d.max(0) as usize)
        }
    }
}

/// `sys._getframe(depth=0)`: the frame object of a running Python frame.
fn sys_getframe(_m: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    let depth = depth_arg(a, "_getframe")?;
    match crate::interp::with_frame_at(depth, crate::objects::frameobject::of) {
        // SAFETY: `of` returns a borrowed frame object the running frame keeps alive.
        Some(r) => Ok(unsafe { Obj::from_ptr(r?) }.new_ref()),
        None => Err(raise!(ValueError, "call stack is not deep enough")),
    }
}

/// `sys._getframemodulename(depth=0)`: the `__name__` of a running frame's globals, or None.
fn sys_getframemodulename(_m: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    let depth = depth_arg(a, "_getframemodulename")?;
    Ok(crate::interp::with_frame_at(depth, |f| crate::objects::dict::get_item_str(&f.globals, "__name__"))
        .flatten()
        .unwrap_or_else(crate::objects::none::none))
}

/// `sys.exc_info()`: `(type, value, traceback)` of the exception being handled.
fn sys_exc_info(_m: &Obj) -> PyResult<PyRef> {
    use crate::objects::{none, tuple};
    Ok(match crate::interp::handled_exception() {
        Some(e) => {
            let tb = crate::abstract_::getattr_str(&e, "__traceback__")?;
            let t: &Obj = e.ob_type();
            tuple::new_from(&[t, &e, &tb])
        }
        None => {
            let n = none::none();
            tuple::new_from(&[&n, &n, &n])
        }
    })
}

/// `sys.intern(s)`.
fn sys_intern(_m: &Obj, s: &Obj) -> PyResult<PyRef> {
    if !unicode::check_exact(s) {
        return Err(raise!(TypeError, "intern() argument must be str, not {}", s.ob_type().name()));
    }
    Ok(unicode::intern(&unicode::as_str_lossy(s)))
}

/// `sys.gettrace()`: Pyrite has no tracing, so no trace function is ever set.
fn sys_gettrace(_m: &Obj) -> PyResult<PyRef> {
    Ok(none::none())
}

/// `sys.settrace(None)` (what `doctest` and `unittest` do around a run) is accepted; a trace
/// function is refused rather than silently never called.
fn sys_settrace(_m: &Obj, f: &Obj) -> PyResult<PyRef> {
    if !f.is(none::none_obj()) {
        return Err(raise!(NotImplementedError, "sys.settrace(): Pyrite does not support trace functions yet"));
    }
    Ok(none::none())
}

fn sys_utf8(_m: &Obj) -> PyResult<PyRef> {
    Ok(unicode::new("utf-8"))
}

fn sys_surrogateescape(_m: &Obj) -> PyResult<PyRef> {
    Ok(unicode::new("surrogateescape"))
}

/// `sys.getsizeof(obj[, default])`: `obj.__sizeof__()` plus the GC header for GC objects.
fn sys_getsizeof(_m: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    crate::objects::argparse::check_positional("getsizeof", a.len(), 1, 2)?;
    let r = crate::abstract_::call_method(a[0], "__sizeof__", &[]).and_then(|n| {
        let n = long::to_i64(&*crate::abstract_::index(&n)?).unwrap_or(i64::MAX);
        if n < 0 {
            return Err(raise!(ValueError, "__sizeof__() should return >= 0"));
        }
        Ok(n)
    });
    match r {
        Ok(n) => {
            let gc = if a[0].ob_type().has_flag(Py_TPFLAGS_HAVE_GC) { 2 * core::mem::size_of::<usize>() as i64 } else { 0 };
            Ok(long::from_i64(n + gc))
        }
        Err(e) if a.len() == 2 && e.is_instance(crate::objects::exceptions::TypeError()) => Ok(a[1].new_ref()),
        Err(e) => Err(e),
    }
}

/// The hooks `sys.addaudithook` added, in order: a list kept for the process's life (hooks
/// cannot be removed).
fn audit_hooks() -> PyRef {
    static HOOKS: OnceLock<SyncPtr<PyObject>> = OnceLock::new();
    let p = HOOKS.get_or_init(|| SyncPtr(crate::object::make_immortal(list::new_from_owned(Vec::new())))).0;
    // SAFETY: the list is immortal.
    unsafe { Obj::from_ptr(p) }.new_ref()
}

/// Calls each audit hook with `(event, args)`; an error stops the event and is returned
/// (`sys.audit`, `PySys_Audit`). Only the events raised through these (not CPython's
/// built-in events) reach the hooks.
pub fn audit(event: &str, args: &Obj) -> PyResult<()> {
    let hooks = audit_hooks();
    if list::len(&hooks) == 0 {
        return Ok(());
    }
    let event = unicode::new(event);
    for hook in list::to_vec(&hooks) {
        crate::abstract_::call(&hook, &tuple::new_from(&[&*event, args]), None)?;
    }
    Ok(())
}

/// `sys.audit(event, *args)`: the event name must be a str.
fn sys_audit(_m: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    match a.first() {
        None => Err(raise!(TypeError, "audit() missing 1 required positional argument: 'event'")),
        Some(e) if !unicode::check(e) => Err(raise!(TypeError, "expected str for argument 'event', not {}", e.ob_type().name())),
        Some(e) => {
            audit(&unicode::as_str_lossy(e), &tuple::new_from(&a[1..]))?;
            Ok(crate::objects::none::none())
        }
    }
}

/// `sys.addaudithook(hook)`: the hooks already there hear "sys.addaudithook" first; one
/// raising an `Exception` refuses the new hook, silently, as in CPython.
fn sys_addaudithook(_m: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    crate::objects::argparse::check_positional("addaudithook", a.len(), 1, 1)?;
    if let Err(e) = audit("sys.addaudithook", &tuple::new_from(&[])) {
        if e.is_instance(exc::Exception()) {
            return Ok(none::none());
        }
        return Err(e);
    }
    list::append(&audit_hooks(), a[0]);
    Ok(none::none())
}

/// `sys.excepthook(type, value, traceback)`: prints the exception to stderr.
fn sys_excepthook(_m: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    crate::objects::argparse::check_positional("excepthook", a.len(), 3, 3)?;
    if a[1].is_instance_of(crate::objects::exceptions::BaseException()) {
        crate::traceback::print_exception(a[1]);
    } else {
        crate::stdlib::io::flush_std_streams();
        let r = crate::abstract_::str(a[1])?;
        eprintln!("TypeError: print_exception(): Exception expected for value, {} found ({})", a[1].ob_type().name(), unicode::as_str_lossy(&r));
    }
    Ok(crate::objects::none::none())
}

/// `sys.displayhook(value)`: the interactive prompt's echo: `repr(value)` on stdout, kept
/// in `builtins._`; None is not shown.
fn sys_displayhook(_m: &Obj, v: &Obj) -> PyResult<PyRef> {
    use crate::objects::none;
    if v.is(none::none_obj()) {
        return Ok(none::none());
    }
    let builtins = crate::builtins::module();
    dict::set_item_str(module::dict_of(&builtins), "_", &none::none())?;
    let text = crate::abstract_::repr(v)?;
    let out = crate::abstract_::getattr_str(&module(), "stdout")?;
    crate::abstract_::call_method(&out, "write", &[&text])?;
    crate::abstract_::call_method(&out, "write", &[&unicode::new("\n")])?;
    dict::set_item_str(module::dict_of(&builtins), "_", v)?;
    Ok(none::none())
}

/// Pyrite has no JIT compiler: `sys._jit` says so.
fn jit_false(_m: &Obj) -> PyResult<PyRef> {
    Ok(crate::objects::bool_::new(false))
}

crate::method_table!(static JIT_METHODS = [
    noargs c"is_available" => jit_false,
    noargs c"is_enabled" => jit_false,
    noargs c"is_active" => jit_false,
]);

/// `sys.__getattr__`: `sys.monitoring` is made on first use (from the frozen
/// `_pyrite_monitoring`), then kept as an ordinary attribute.
fn sys_getattr(_m: &Obj, name: &Obj) -> PyResult<PyRef> {
    if unicode::check(name) && unicode::as_str(name)? == "monitoring" {
        let m = crate::import::import_module("_pyrite_monitoring")?;
        // It is `sys.monitoring`, not a module of its own.
        dict::del_item(&modules(), &unicode::new("_pyrite_monitoring"))?;
        dict::set_item_str(module::dict_of(&m), "__name__", &unicode::new("sys.monitoring"))?;
        dict::set_item_str(module::dict_of(&module()), "monitoring", &m)?;
        return Ok(m);
    }
    Err(raise!(AttributeError, "module 'sys' has no attribute '{}'", unicode::as_str_lossy(name)))
}

thread_local! {
    /// `sys.set_asyncgen_hooks`: this thread's `firstiter` and `finalizer` (owned, or NULL).
    static ASYNCGEN_HOOKS: core::cell::Cell<[*mut PyObject; 2]> = const { core::cell::Cell::new([core::ptr::null_mut(); 2]) };
}

/// This thread's async-generator hooks `(firstiter, finalizer)`.
pub fn asyncgen_hooks() -> (Option<PyRef>, Option<PyRef>) {
    let [a, b] = ASYNCGEN_HOOKS.with(core::cell::Cell::get);
    // SAFETY: the slots hold owned references or NULL.
    unsafe { (crate::slot::opt_arg(a).map(Obj::new_ref), crate::slot::opt_arg(b).map(Obj::new_ref)) }
}

/// `sys.set_asyncgen_hooks([firstiter] [, finalizer])`: each None or callable; an omitted one
/// stays as it is.
fn sys_set_asyncgen_hooks(_m: &Obj, a: &[&Obj], kw: crate::objects::argparse::Kw) -> PyResult<PyRef> {
    static SIG: crate::objects::argparse::Sig =
        crate::objects::argparse::Sig { name: "set_asyncgen_hooks", params: &["firstiter", "finalizer"], posonly: 0, maxpos: 2, required: 0 };
    let [first, fin] = crate::objects::argparse::parse::<2>(&SIG, a, kw)?;
    for (v, what) in [(fin, "finalizer"), (first, "firstiter")] {
        if let Some(v) = v {
            if !v.is(none::none_obj()) && v.ob_type().slots().tp_call.is_none() {
                return Err(raise!(TypeError, "callable {} expected, got {}", what, v.ob_type().name()));
            }
        }
    }
    let mut hooks = ASYNCGEN_HOOKS.with(core::cell::Cell::get);
    for (i, v) in [first, fin].into_iter().enumerate() {
        if let Some(v) = v {
            let new = if v.is(none::none_obj()) { core::ptr::null_mut() } else { v.new_ref().into_raw() };
            // SAFETY: the slot held an owned reference or NULL.
            unsafe { crate::object::xdecref(core::mem::replace(&mut hooks[i], new)) };
        }
    }
    ASYNCGEN_HOOKS.with(|h| h.set(hooks));
    Ok(none::none())
}

static ASYNCGEN_HOOKS_TYPE: std::sync::OnceLock<crate::object::SyncPtr<PyObject>> = std::sync::OnceLock::new();

/// `sys.get_asyncgen_hooks()`: `asyncgen_hooks(firstiter, finalizer)`.
fn sys_get_asyncgen_hooks(_m: &Obj) -> PyResult<PyRef> {
    let t = crate::stdlib::struct_seq_type(&ASYNCGEN_HOOKS_TYPE, c"asyncgen_hooks", c"", &[Some(c"firstiter"), Some(c"finalizer")], 2)?;
    let (a, b) = asyncgen_hooks();
    crate::stdlib::struct_seq_new(t, vec![a.unwrap_or_else(none::none), b.unwrap_or_else(none::none)])
}

static FINALIZING: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// The interpreter started finalizing (`run::finalize`, after the atexit callbacks).
pub fn set_finalizing() {
    FINALIZING.store(true, std::sync::atomic::Ordering::Release);
}

/// `sys.is_finalizing()` and `Py_IsFinalizing()`.
pub fn is_finalizing() -> bool {
    FINALIZING.load(std::sync::atomic::Ordering::Acquire)
}

fn sys_is_finalizing(_m: &Obj) -> PyResult<PyRef> {
    Ok(crate::objects::bool_::new(is_finalizing()))
}

/// `sys._is_gil_enabled()`: Pyrite always runs with its GIL.
fn sys_is_gil_enabled(_m: &Obj) -> PyResult<PyRef> {
    Ok(crate::objects::bool_::new(true))
}

/// `sys._is_immortal(o)`: whether `o`'s reference count is the immortal mark.
fn sys_is_immortal(_m: &Obj, o: &Obj) -> PyResult<PyRef> {
    Ok(crate::objects::bool_::new(o.is_immortal()))
}

/// `sys.get_int_max_str_digits()`: the current interpreter's int/str digit limit (0: none).
fn sys_get_int_max_str_digits(_m: &Obj) -> PyResult<PyRef> {
    Ok(long::from_usize(long::max_str_digits()))
}

/// `sys.set_int_max_str_digits(maxdigits)`.
fn sys_set_int_max_str_digits(_m: &Obj, a: &[&Obj], kw: crate::objects::argparse::Kw) -> PyResult<PyRef> {
    static SIG: crate::objects::argparse::Sig =
        crate::objects::argparse::Sig { name: "set_int_max_str_digits", params: &["maxdigits"], posonly: 0, maxpos: 1, required: 1 };
    let [n] = crate::objects::argparse::parse::<1>(&SIG, a, kw)?;
    let n = crate::objects::argparse::c_int(n.expect("required"))?;
    long::set_max_str_digits(n.into())?;
    Ok(none::none())
}

/// The startup configuration of the int/str digit limit: `-X int_max_str_digits=N`, else
/// `PYTHONINTMAXSTRDIGITS` (CPython's `config_init_int_max_str_digits`). An invalid value is
/// fatal, with CPython's message.
fn configure_int_max_str_digits(xopt: Option<&Obj>) -> PyResult<()> {
    // As `_Py_str_to_int`: `strtol` in base 10 (leading spaces and a sign allowed), the whole
    // text used, and within a C int.
    let parse = |t: &str| -> Option<i64> {
        let t = t.trim_start_matches([' ', '\t', '\n', '\x0b', '\x0c', '\r']);
        let digits = t.strip_prefix(['+', '-']).unwrap_or(t);
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        t.parse::<i64>().ok().filter(|v| i32::try_from(*v).is_ok())
    };
    let (source, value) = match xopt {
        // A bare `-X int_max_str_digits` is True, not a number.
        Some(v) => ("-X int_max_str_digits", unicode::check(v).then(|| unicode::as_str_lossy(v).into_owned())),
        None => match crate::config::env("PYTHONINTMAXSTRDIGITS") {
            Some(v) => ("PYTHONINTMAXSTRDIGITS", Some(v)),
            _ => return Ok(()),
        },
    };
    match value.as_deref().and_then(parse).filter(|&n| long::valid_max_str_digits(n)) {
        Some(n) => long::set_max_str_digits(n),
        None => {
            eprintln!("Fatal Python error: config_init_int_max_str_digits: {source}: invalid limit; must be >= 640 or 0 for unlimited.");
            eprintln!("Python runtime state: preinitialized");
            eprintln!();
            std::process::exit(1)
        }
    }
}

crate::method_table!(static SYS_MORE_METHODS = [
    noargs c"get_int_max_str_digits" => sys_get_int_max_str_digits,
    kw c"set_int_max_str_digits" => sys_set_int_max_str_digits,
    o c"__getattr__" => sys_getattr,
    noargs c"_is_gil_enabled" => sys_is_gil_enabled,
    o c"_is_immortal" => sys_is_immortal,
    noargs c"is_finalizing" => sys_is_finalizing,
    o c"set_lazy_imports" => crate::objects::lazy_import::sys_set_lazy_imports,
    noargs c"get_lazy_imports" => crate::objects::lazy_import::sys_get_lazy_imports,
    o c"set_lazy_imports_filter" => crate::objects::lazy_import::sys_set_lazy_imports_filter,
    noargs c"get_lazy_imports_filter" => crate::objects::lazy_import::sys_get_lazy_imports_filter,
    kw c"set_asyncgen_hooks" => sys_set_asyncgen_hooks,
    noargs c"get_asyncgen_hooks" => sys_get_asyncgen_hooks,
    fast c"excepthook" => sys_excepthook,
    o c"displayhook" => sys_displayhook,
    o c"unraisablehook" => crate::traceback::sys_unraisablehook,
    fast c"_getframe" => sys_getframe,
    fast c"_getframemodulename" => sys_getframemodulename,
    noargs c"exc_info" => sys_exc_info,
    o c"intern" => sys_intern,
    noargs c"gettrace" => sys_gettrace,
    o c"settrace" => sys_settrace,
    noargs c"getdefaultencoding" => sys_utf8,
    noargs c"getfilesystemencoding" => sys_utf8,
    noargs c"getfilesystemencodeerrors" => sys_surrogateescape,
    fast c"getsizeof" => sys_getsizeof,
    fast c"audit" => sys_audit,
    fast c"addaudithook" => sys_addaudithook,
]);

const fn def(name: &'static core::ffi::CStr, f: *mut c_void, flags: i32) -> PyMethodDef {
    PyMethodDef { ml_name: name.as_ptr(), ml_meth: f, ml_flags: flags, ml_doc: core::ptr::null() }
}

static SYS_METHODS: StaticTable<PyMethodDef, 7> = StaticTable(UnsafeCell::new([
    def(c"getrecursionlimit", sys_getrecursionlimit as *mut c_void, METH_NOARGS),
    def(c"setrecursionlimit", sys_setrecursionlimit as *mut c_void, METH_O),
    def(c"exit", sys_exit as *mut c_void, METH_FASTCALL),
    def(c"exception", sys_exception as *mut c_void, METH_NOARGS),
    def(c"getrefcount", sys_getrefcount as *mut c_void, METH_O),
    def(c"getallocatedblocks", sys_getallocatedblocks as *mut c_void, METH_NOARGS),
    PyMethodDef { ml_name: core::ptr::null(), ml_meth: core::ptr::null_mut(), ml_flags: 0, ml_doc: core::ptr::null() },
]));
/// `sys.stdlib_module_names`: the names of CPython 3.15's standard-library modules (the list
/// CPython builds in, whether or not Pyrite has the module).
const STDLIB_MODULE_NAMES: &[&str] = &[
    "__future__", "_abc", "_aix_support", "_android_support", "_apple_support", "_ast",
    "_ast_unparse", "_asyncio", "_bisect", "_blake2", "_bz2", "_codecs", "_codecs_cn", "_codecs_hk",
    "_codecs_iso2022", "_codecs_jp", "_codecs_kr", "_codecs_tw", "_collections", "_collections_abc",
    "_colorize", "_compat_pickle", "_contextvars", "_csv", "_ctypes", "_curses", "_curses_panel",
    "_datetime", "_dbm", "_decimal", "_elementtree", "_frozen_importlib",
    "_frozen_importlib_external", "_functools", "_gdbm", "_hashlib", "_heapq", "_hmac", "_imp",
    "_interpchannels", "_interpqueues", "_interpreters", "_io", "_ios_support", "_json", "_locale",
    "_lsprof", "_lzma", "_markupbase", "_math_integer", "_md5", "_multibytecodec",
    "_multiprocessing", "_opcode", "_opcode_metadata", "_operator", "_osx_support", "_overlapped",
    "_pickle", "_posixshmem", "_posixsubprocess", "_py_abc", "_py_warnings", "_pydatetime",
    "_pydecimal", "_pyio", "_pylong", "_pyrepl", "_queue", "_random", "_remote_debugging",
    "_scproxy", "_sha1", "_sha2", "_sha3", "_signal", "_sitebuiltins", "_socket", "_sqlite3",
    "_sre", "_ssl", "_stat", "_statistics", "_string", "_strptime", "_struct", "_suggestions",
    "_symtable", "_sysconfig", "_thread", "_threading_local", "_tkinter", "_tokenize",
    "_tracemalloc", "_types", "_typing", "_uuid", "_warnings", "_weakref", "_weakrefset", "_winapi",
    "_wmi", "_zoneinfo", "_zstd", "abc", "annotationlib", "antigravity", "argparse", "array", "ast",
    "asyncio", "atexit", "base64", "bdb", "binascii", "bisect", "builtins", "bz2", "cProfile",
    "calendar", "cmath", "cmd", "code", "codecs", "codeop", "collections", "colorsys", "compileall",
    "compression", "concurrent", "configparser", "contextlib", "contextvars", "copy", "copyreg",
    "csv", "ctypes", "curses", "dataclasses", "datetime", "dbm", "decimal", "difflib", "dis",
    "doctest", "email", "encodings", "ensurepip", "enum", "errno", "faulthandler", "fcntl",
    "filecmp", "fileinput", "fnmatch", "fractions", "ftplib", "functools", "gc", "genericpath",
    "getopt", "getpass", "gettext", "glob", "graphlib", "grp", "gzip", "hashlib", "heapq", "hmac",
    "html", "http", "idlelib", "imaplib", "importlib", "inspect", "io", "ipaddress", "itertools",
    "json", "keyword", "linecache", "locale", "logging", "lzma", "mailbox", "marshal", "math",
    "mimetypes", "mmap", "modulefinder", "msvcrt", "multiprocessing", "netrc", "nt", "ntpath",
    "nturl2path", "numbers", "opcode", "operator", "optparse", "os", "pathlib", "pdb", "pickle",
    "pickletools", "pkgutil", "platform", "plistlib", "poplib", "posix", "posixpath", "pprint",
    "profile", "profiling", "pstats", "pty", "pwd", "py_compile", "pyclbr", "pydoc", "pydoc_data",
    "pyexpat", "queue", "quopri", "random", "re", "readline", "reprlib", "resource", "rlcompleter",
    "runpy", "sched", "secrets", "select", "selectors", "shelve", "shlex", "shutil", "signal",
    "site", "smtplib", "socket", "socketserver", "sqlite3", "ssl", "stat", "statistics", "string",
    "stringprep", "struct", "subprocess", "symtable", "sys", "sysconfig", "syslog", "tabnanny",
    "tarfile", "tempfile", "termios", "textwrap", "this", "threading", "time", "timeit", "tkinter",
    "token", "tokenize", "tomllib", "trace", "traceback", "tracemalloc", "tty", "turtle",
    "turtledemo", "types", "typing", "unicodedata", "unittest", "urllib", "uuid", "venv",
    "warnings", "wave", "weakref", "webbrowser", "winreg", "winsound", "wsgiref", "xml", "xmlrpc",
    "zipapp", "zipfile", "zipimport", "zlib", "zoneinfo",
];
