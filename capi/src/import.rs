//! `import.h`: importing from C, over `pyrite_vm::import` and `sys.modules`.

use core::ffi::{c_char, c_int};
use core::ptr::null_mut;

use pyrite_abi::*;
use pyrite_vm::objects::{dict, module, tuple, unicode};
use pyrite_vm::{import, raise, sys, Obj, PyRef, PyResult};

use crate::boundary::{cstr, obj};
use crate::capi;

fn name_str(name: &Obj) -> PyResult<&str> {
    if !unicode::check(name) {
        return Err(raise!(TypeError, "module name must be str, not {}", name.ob_type().name()));
    }
    unicode::as_str(name)
}

/// `PyImport_AddModuleObject`'s work: `sys.modules[name]`, made (an empty module) if absent.
fn add_module(name: &Obj) -> PyResult<PyRef> {
    let modules = sys::modules();
    if let Some(m) = dict::get_item(&modules, name)? {
        if module::check(&m) {
            return Ok(m);
        }
    }
    let m = module::new(name)?;
    dict::set_item(&modules, name, &m)?;
    Ok(m)
}

/// `PyImport_ExecCodeModuleObject`: runs `code` in the (new or existing) module `name` and
/// returns `sys.modules[name]`; on failure the module is removed from `sys.modules`.
/// `PyImport_ExecCodeModuleObject`: runs `code` in the module `name` (made if missing) after
/// `importlib._bootstrap_external._fix_up_module` gave it `__spec__`, `__loader__` and
/// `__file__` for `pathname` (default: the code's file name) and `cpathname`, as CPython.
fn exec_code_module(name: &Obj, code: &Obj, pathname: Option<&Obj>, cpathname: Option<&Obj>) -> PyResult<PyRef> {
    let m = add_module(name)?;
    let d = module::dict_of(&m);
    let filename;
    let pathname = match pathname {
        Some(p) => p,
        None => {
            filename = pyrite_vm::abstract_::getattr_str(code, "co_filename")?;
            &*filename
        }
    };
    let none = pyrite_vm::objects::none::none();
    let external = import::import_module("importlib._bootstrap_external")?;
    pyrite_vm::abstract_::call_method(&external, "_fix_up_module", &[d, name, pathname, cpathname.unwrap_or(&none)])?;
    run_in_module(name, code)
}

/// Runs `code` in the module `name` (made if missing, given `__builtins__`) and answers the
/// module `sys.modules` then holds; on failure the module is taken out of `sys.modules`.
fn run_in_module(name: &Obj, code: &Obj) -> PyResult<PyRef> {
    let m = add_module(name)?;
    let d = module::dict_of(&m);
    if dict::get_item_str(d, "__builtins__").is_none() {
        dict::set_item_str(d, "__builtins__", &pyrite_vm::builtins::module())?;
    }
    let modules = sys::modules();
    if let Err(e) = pyrite_vm::interp::run_code(code, d, Some(d)) {
        let _ = dict::del_item(&modules, name);
        return Err(e);
    }
    dict::get_item(&modules, name)?.ok_or_else(|| raise!(ImportError, "Loaded module {} not found in sys.modules", unicode::as_str_lossy(name)))
}

/// A C path argument as a str (the file system encoding, as `PyUnicode_DecodeFSDefault`).
unsafe fn fs_path(p: *const c_char) -> PyResult<Option<PyRef>> {
    if p.is_null() {
        return Ok(None);
    }
    // SAFETY: a NUL-terminated C string from the caller.
    let raw = unsafe { core::ffi::CStr::from_ptr(p) }.to_bytes();
    Ok(Some(unicode::decode(raw, "utf-8", "surrogateescape")?))
}

capi! {
    fn PyImport_Import(name: *mut PyObject) -> *mut PyObject [null_mut()] {
        Ok(import::import_module(name_str(obj(name)?)?)?.into_raw())
    }
    fn PyImport_ImportModule(name: *const c_char) -> *mut PyObject [null_mut()] {
        Ok(import::import_module(cstr(name)?)?.into_raw())
    }
    /// `PyImport_ImportModule`, with CPython 3.13+'s deprecation warning.
    fn PyImport_ImportModuleNoBlock(name: *const c_char) -> *mut PyObject [null_mut()] {
        crate::pyerrors::warn(
            Some(pyrite_vm::objects::exceptions::DeprecationWarning()),
            "PyImport_ImportModuleNoBlock() is deprecated and scheduled for removal in Python 3.15. Use PyImport_ImportModule() instead.",
        )?;
        Ok(import::import_module(cstr(name)?)?.into_raw())
    }
    fn PyImport_ImportModuleLevelObject(name: *mut PyObject, globals: *mut PyObject, _locals: *mut PyObject, fromlist: *mut PyObject, level: c_int) -> *mut PyObject [null_mut()] {
        // CPython answers a NULL name as an empty one.
        if name.is_null() { return Err(raise!(ValueError, "Empty module name")); }
        let name = obj(name)?;
        if !unicode::check(name) {
            return Err(raise!(TypeError, "module name must be a string"));
        }
        if level < 0 {
            return Err(raise!(ValueError, "level must be >= 0"));
        }
        let empty_globals;
        let globals = if globals.is_null() { empty_globals = dict::new(); &*empty_globals } else { Obj::from_ptr(globals) };
        let empty_from;
        let fromlist = if fromlist.is_null() { empty_from = tuple::empty(); &*empty_from } else { Obj::from_ptr(fromlist) };
        Ok(import::import_name(name, globals, fromlist, level as i64)?.into_raw())
    }
    fn PyImport_ImportModuleLevel(name: *const c_char, globals: *mut PyObject, locals: *mut PyObject, fromlist: *mut PyObject, level: c_int) -> *mut PyObject [null_mut()] {
        let name = unicode::new(cstr(name)?);
        let r = PyImport_ImportModuleLevelObject(name.as_ptr(), globals, locals, fromlist, level);
        if r.is_null() { Err(pyrite_vm::PyErr::take().unwrap_or_else(crate::boundary::bad_internal_call)) } else { Ok(r) }
    }
    fn PyImport_GetModuleDict() -> *mut PyObject [null_mut()] {
        // Borrowed: sys.modules lives as long as the sys module.
        let m = sys::modules();
        Ok(m.as_ptr())
    }
    fn PyImport_GetModule(name: *mut PyObject) -> *mut PyObject [null_mut()] {
        let modules = sys::modules();
        Ok(dict::get_item(&modules, obj(name)?)?.map_or(null_mut(), PyRef::into_raw))
    }
    fn PyImport_AddModuleRef(name: *const c_char) -> *mut PyObject [null_mut()] {
        Ok(add_module(&unicode::new(cstr(name)?))?.into_raw())
    }
    fn PyImport_AddModuleObject(name: *mut PyObject) -> *mut PyObject [null_mut()] {
        // Borrowed: sys.modules keeps the module alive.
        Ok(add_module(obj(name)?)?.as_ptr())
    }
    fn PyImport_AddModule(name: *const c_char) -> *mut PyObject [null_mut()] {
        Ok(add_module(&unicode::new(cstr(name)?))?.as_ptr())
    }
    fn PyImport_ExecCodeModule(name: *const c_char, code: *mut PyObject) -> *mut PyObject [null_mut()] {
        Ok(exec_code_module(&unicode::new(cstr(name)?), obj(code)?, None, None)?.into_raw())
    }
    fn PyImport_ExecCodeModuleEx(name: *const c_char, code: *mut PyObject, pathname: *const c_char) -> *mut PyObject [null_mut()] {
        let name = unicode::new(cstr(name)?);
        let path = fs_path(pathname)?;
        Ok(exec_code_module(&name, obj(code)?, path.as_deref(), None)?.into_raw())
    }
    /// Without `pathname`, the source file of `cpathname` (a cache file) when given.
    fn PyImport_ExecCodeModuleWithPathnames(name: *const c_char, code: *mut PyObject, pathname: *const c_char, cpathname: *const c_char) -> *mut PyObject [null_mut()] {
        let name = unicode::new(cstr(name)?);
        let cpath = fs_path(cpathname)?;
        let mut path = fs_path(pathname)?;
        if path.is_none() && let Some(c) = &cpath {
            let external = import::import_module("importlib._bootstrap_external")?;
            path = Some(pyrite_vm::abstract_::call_method(&external, "_get_sourcefile", &[c])?);
        }
        Ok(exec_code_module(&name, obj(code)?, path.as_deref(), cpath.as_deref())?.into_raw())
    }
    fn PyImport_ExecCodeModuleObject(name: *mut PyObject, code: *mut PyObject, pathname: *mut PyObject, cpathname: *mut PyObject) -> *mut PyObject [null_mut()] {
        let path = if pathname.is_null() { None } else { Some(Obj::from_ptr(pathname)) };
        let cpath = if cpathname.is_null() { None } else { Some(Obj::from_ptr(cpathname)) };
        Ok(exec_code_module(obj(name)?, obj(code)?, path, cpath)?.into_raw())
    }
    /// The magic number of Pyrite's bytecode cache files (see `_imp.pyc_magic_number_token`).
    fn PyImport_GetMagicNumber() -> core::ffi::c_long [-1] {
        Ok(pyrite_vm::stdlib::imp::magic_token() as core::ffi::c_long)
    }
    /// `sys.implementation.cache_tag`.
    fn PyImport_GetMagicTag() -> *const c_char [core::ptr::null()] {
        Ok(pyrite_vm::sys::CACHE_TAG.as_ptr())
    }
    /// `importlib.reload(m)`, as CPython does.
    fn PyImport_ReloadModule(m: *mut PyObject) -> *mut PyObject [null_mut()] {
        let m = obj(m)?;
        let importlib = import::import_module("importlib")?;
        let reload = pyrite_vm::abstract_::getattr_str(&importlib, "reload")?;
        Ok(pyrite_vm::abstract_::call(&reload, &tuple::new_from(&[m]), None)?.into_raw())
    }
    /// The finder for the `sys.path` entry `path`: `sys.path_importer_cache[path]`, else the
    /// first of `sys.path_hooks` that accepts it (cached), else None.
    fn PyImport_GetImporter(path: *mut PyObject) -> *mut PyObject [null_mut()] {
        let path = obj(path)?;
        // importlib installs the default path hooks.
        import::import_module("importlib")?;
        let cache = sys::get("path_importer_cache").ok_or_else(|| raise!(RuntimeError, "lost sys.path_importer_cache"))?;
        if let Some(f) = dict::get_item(&cache, path)? {
            return Ok(f.into_raw());
        }
        let hooks = sys::get("path_hooks").ok_or_else(|| raise!(RuntimeError, "lost sys.path_hooks"))?;
        for hook in pyrite_vm::interp::iterobject_collect(&hooks)? {
            match pyrite_vm::abstract_::call(&hook, &tuple::new_from(&[path]), None) {
                Ok(finder) => {
                    pyrite_vm::abstract_::setitem(&cache, path, Some(&finder))?;
                    return Ok(finder.into_raw());
                }
                Err(e) if e.is_instance(pyrite_vm::objects::exceptions::ImportError()) => continue,
                Err(e) => return Err(e),
            }
        }
        dict::set_item(&cache, path, &pyrite_vm::objects::none::none())?;
        Ok(pyrite_vm::objects::none::none().into_raw())
    }
    /// Runs the frozen module `name` afresh in `sys.modules[name]` (made if absent): 1, or 0
    /// if there is no such frozen module, -1 on error.
    fn PyImport_ImportFrozenModuleObject(name: *mut PyObject) -> c_int [-1] {
        let name = obj(name)?;
        let n = name_str(name)?.to_string();
        let Some(frozen) = import::frozen_module(&n) else { return Ok(0) };
        let code = pyrite_vm::compiler::compile(frozen.source, &format!("<frozen {n}>"), pyrite_vm::compiler::Mode::Exec)?;
        let m = add_module(name)?;
        if frozen.is_package {
            let d = module::dict_of(&m);
            dict::set_item_str(d, "__path__", &pyrite_vm::objects::list::new())?;
        }
        run_in_module(name, &code)?;
        Ok(1)
    }
    fn PyImport_ImportFrozenModule(name: *const c_char) -> c_int [-1] {
        let name = unicode::new(cstr(name)?);
        let r = PyImport_ImportFrozenModuleObject(name.as_ptr());
        if r < 0 { Err(pyrite_vm::PyErr::take().unwrap_or_else(crate::boundary::bad_internal_call)) } else { Ok(r) }
    }
    /// Adds a built-in module for an embedder, before `Py_Initialize`; afterwards the table
    /// can no longer change and, as CPython 3.12+, the process ends with a fatal error.
    fn PyImport_AppendInittab(name: *const c_char, initfunc: Option<unsafe extern "C" fn() -> *mut PyObject>) -> c_int [-1] {
        if crate::pylifecycle::is_initialized() {
            eprintln!("Fatal Python error: PyImport_AppendInittab: PyImport_AppendInittab() may not be called after Py_Initialize()");
            std::process::abort();
        }
        let Some(init) = initfunc else { return Ok(-1) };
        // The name stays the caller's; Pyrite copies it.
        import::extension::append_inittab(cstr(name)?, init);
        Ok(0)
    }
}
