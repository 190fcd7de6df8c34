//! `moduleobject.h` and the module half of `modsupport.h`.

use core::ffi::{c_char, c_int, c_long, c_void};
use core::ptr::null_mut;

use pyrite_abi::*;
use pyrite_vm::objects::{dict, long, module, unicode};
use pyrite_vm::{raise, Obj, PyRef, PyResult, TypeObj};

use crate::boundary::{cstr, obj};
use crate::capi;

fn require_module(o: &Obj) -> PyResult<&Obj> {
    if module::check(o) { Ok(o) } else { Err(crate::boundary::bad_internal_call()) }
}

/// What the accessors CPython guards with `PyErr_BadArgument` (GetNameObject, GetDef,
/// GetState) raise for a non-module; GetDict raises a bad internal call instead.
fn module_arg(o: &Obj) -> PyResult<&Obj> {
    if module::check(o) { Ok(o) } else { Err(raise!(TypeError, "bad argument type for built-in operation")) }
}

fn add(m: &Obj, name: &str, v: &Obj) -> PyResult<c_int> {
    let m = require_module(m).map_err(|_| raise!(TypeError, "PyModule_AddObjectRef() first argument must be a module"))?;
    dict::set_item_str(module::dict_of(m), name, v).map(|_| 0)
}

capi! {
    fn PyModule_Create2(def: *mut PyModuleDef, _apiver: c_int) -> *mut PyObject [null_mut()] {
        module::create_from_def(def).map(PyRef::into_raw)
    }
    fn PyModuleDef_Init(def: *mut PyModuleDef) -> *mut PyObject [null_mut()] {
        Ok(module::init_def(def))
    }
    fn PyModule_FromDefAndSpec2(def: *mut PyModuleDef, spec: *mut PyObject, _apiver: c_int) -> *mut PyObject [null_mut()] {
        module::from_def_and_spec(def, obj(spec)?).map(PyRef::into_raw)
    }
    fn PyModule_ExecDef(m: *mut PyObject, def: *mut PyModuleDef) -> c_int [-1] {
        module::exec_def(obj(m)?, def).map(|_| 0)
    }
    fn PyModule_New(name: *const c_char) -> *mut PyObject [null_mut()] {
        module::new(&unicode::new(cstr(name)?)).map(PyRef::into_raw)
    }
    fn PyModule_NewObject(name: *mut PyObject) -> *mut PyObject [null_mut()] {
        module::new(obj(name)?).map(PyRef::into_raw)
    }
    fn PyModule_GetDict(m: *mut PyObject) -> *mut PyObject [null_mut()] {
        Ok(module::dict_of(require_module(obj(m)?)?).as_ptr())
    }
    fn PyModule_GetDef(m: *mut PyObject) -> *mut PyModuleDef [null_mut()] {
        Ok(module::def_of(module_arg(obj(m)?)?))
    }
    fn PyModule_GetState(m: *mut PyObject) -> *mut c_void [null_mut()] {
        Ok(module::state_of(module_arg(obj(m)?)?))
    }
    fn PyModule_GetNameObject(m: *mut PyObject) -> *mut PyObject [null_mut()] {
        module::name_of(module_arg(obj(m)?)?).map(PyRef::into_raw)
    }
    fn PyModule_GetName(m: *mut PyObject) -> *const c_char [core::ptr::null()] {
        let n = module::name_of(module_arg(obj(m)?)?)?;
        // Borrowed from the module dict, which keeps the name alive.
        let p = unicode::as_str(&n)?.as_ptr() as *const c_char;
        Ok(p)
    }
    fn PyModule_AddObjectRef(m: *mut PyObject, name: *const c_char, v: *mut PyObject) -> c_int [-1] {
        if v.is_null() {
            if pyrite_vm::err::occurred().is_null() {
                return Err(raise!(SystemError, "PyModule_AddObjectRef() must be called with an exception raised if value is NULL"));
            }
            return Ok(-1);
        }
        add(obj(m)?, cstr(name)?, Obj::from_ptr(v))
    }
    fn PyModule_Add(m: *mut PyObject, name: *const c_char, v: *mut PyObject) -> c_int [-1] {
        // Steals `v`, even on failure.
        let owned = PyRef::from_raw_opt(v);
        let Some(v) = owned else {
            if pyrite_vm::err::occurred().is_null() {
                return Err(raise!(SystemError, "PyModule_AddObjectRef() must be called with an exception raised if value is NULL"));
            }
            return Ok(-1);
        };
        add(obj(m)?, cstr(name)?, &v)
    }
    fn PyModule_AddObject(m: *mut PyObject, name: *const c_char, v: *mut PyObject) -> c_int [-1] {
        // Steals `v` only on success.
        if v.is_null() {
            return Err(raise!(SystemError, "PyModule_AddObjectRef() must be called with an exception raised if value is NULL"));
        }
        add(obj(m)?, cstr(name)?, Obj::from_ptr(v))?;
        pyrite_vm::object::decref(v);
        Ok(0)
    }
    fn PyModule_AddIntConstant(m: *mut PyObject, name: *const c_char, v: c_long) -> c_int [-1] {
        add(obj(m)?, cstr(name)?, &long::from_i64(v))
    }
    fn PyModule_AddStringConstant(m: *mut PyObject, name: *const c_char, v: *const c_char) -> c_int [-1] {
        add(obj(m)?, cstr(name)?, &unicode::new(cstr(v)?))
    }
    fn PyModule_AddType(m: *mut PyObject, ty: *mut PyTypeObject) -> c_int [-1] {
        let t = TypeObj::from_ptr(ty);
        pyrite_vm::objects::type_::ready(t)?;
        let name = t.name().to_string();
        add(obj(m)?, &name, t)
    }
    fn PyModule_AddFunctions(m: *mut PyObject, methods: *mut PyMethodDef) -> c_int [-1] {
        module::add_functions(require_module(obj(m)?)?, methods).map(|_| 0)
    }
    fn PyABIInfo_Check(info: *mut PyABIInfo, module_name: *const c_char) -> c_int [-1] {
        let name = if module_name.is_null() { "" } else { cstr(module_name)? };
        module::check_abi_info(info, name).map(|_| 0)
    }
    fn PyModule_SetDocString(m: *mut PyObject, doc: *const c_char) -> c_int [-1] {
        pyrite_vm::abstract_::setattr(obj(m)?, &unicode::new("__doc__"), Some(&unicode::new(cstr(doc)?))).map(|_| 0)
    }
}
