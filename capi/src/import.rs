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
fn exec_code_module(name: &Obj, code: &Obj, pathname: Option<&Obj>) -> PyResult<PyRef> {
    let m = add_module(name)?;
    let d = module::dict_of(&m);
    if dict::get_item_str(d, "__builtins__").is_none() {
        dict::set_item_str(d, "__builtins__", &pyrite_vm::builtins::module())?;
    }
    if let Some(p) = pathname {
        dict::set_item_str(d, "__file__", p)?;
    }
    let modules = sys::modules();
    if let Err(e) = pyrite_vm::interp::run_code(code, d, None) {
        let _ = dict::del_item(&modules, name);
        return Err(e);
    }
    dict::get_item(&modules, name)?.ok_or_else(|| raise!(ImportError, "Loaded module {} not found in sys.modules", unicode::as_str_lossy(name)))
}

capi! {
    fn PyImport_Import(name: *mut PyObject) -> *mut PyObject [null_mut()] {
        Ok(import::import_module(name_str(obj(name)?)?)?.into_raw())
    }
    fn PyImport_ImportModule(name: *const c_char) -> *mut PyObject [null_mut()] {
        Ok(import::import_module(cstr(name)?)?.into_raw())
    }
    fn PyImport_ImportModuleNoBlock(name: *const c_char) -> *mut PyObject [null_mut()] {
        Ok(import::import_module(cstr(name)?)?.into_raw())
    }
    fn PyImport_ImportModuleLevelObject(name: *mut PyObject, globals: *mut PyObject, _locals: *mut PyObject, fromlist: *mut PyObject, level: c_int) -> *mut PyObject [null_mut()] {
        let name = obj(name)?;
        name_str(name)?;
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
        Ok(exec_code_module(&unicode::new(cstr(name)?), obj(code)?, None)?.into_raw())
    }
    fn PyImport_ExecCodeModuleEx(name: *const c_char, code: *mut PyObject, pathname: *const c_char) -> *mut PyObject [null_mut()] {
        let path = if pathname.is_null() { None } else { Some(unicode::new(cstr(pathname)?)) };
        Ok(exec_code_module(&unicode::new(cstr(name)?), obj(code)?, path.as_deref())?.into_raw())
    }
    fn PyImport_ExecCodeModuleWithPathnames(name: *const c_char, code: *mut PyObject, pathname: *const c_char, _cpathname: *const c_char) -> *mut PyObject [null_mut()] {
        let path = if pathname.is_null() { None } else { Some(unicode::new(cstr(pathname)?)) };
        Ok(exec_code_module(&unicode::new(cstr(name)?), obj(code)?, path.as_deref())?.into_raw())
    }
    fn PyImport_ExecCodeModuleObject(name: *mut PyObject, code: *mut PyObject, pathname: *mut PyObject, _cpathname: *mut PyObject) -> *mut PyObject [null_mut()] {
        let path = if pathname.is_null() { None } else { Some(Obj::from_ptr(pathname)) };
        Ok(exec_code_module(obj(name)?, obj(code)?, path)?.into_raw())
    }
}
