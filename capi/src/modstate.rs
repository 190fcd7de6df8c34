//! `pystate.h`'s module registry (`PyState_AddModule`/`FindModule`/`RemoveModule`) and the
//! 3.15 additions of `moduleobject.h` (`PyModule_FromSlotsAndSpec`, `PyModule_Exec`, state
//! size, tokens, the `_DuringGC` accessors) with `PyModule_GetFilename*`.

use core::ffi::{c_char, c_int, c_void};
use core::ptr::null_mut;

use pyrite_abi::*;
use pyrite_vm::objects::{dict, module, type_, unicode};
use pyrite_vm::{raise, Obj, PyRef, PyResult, TypeObj};

use crate::boundary::obj;
use crate::capi;

fn expect_module(o: &Obj) -> PyResult<&Obj> {
    if module::check(o) {
        Ok(o)
    } else {
        Err(raise!(TypeError, "expected module, got {}", type_::qualified_name(o.ob_type())))
    }
}

/// `PyModule_GetFilenameObject`: `__file__`, a str.
fn filename(m: &Obj) -> PyResult<PyRef> {
    if !module::check(m) {
        return Err(raise!(TypeError, "bad argument type for built-in operation"));
    }
    match dict::get_item_str(module::dict_of(m), "__file__") {
        Some(f) if unicode::check(&f) => Ok(f),
        _ => Err(raise!(SystemError, "module filename missing")),
    }
}

capi! {
    fn PyState_AddModule(m: *mut PyObject, def: *mut PyModuleDef) -> c_int [-1] {
        if def.is_null() { return Err(raise!(SystemError, "module definition is NULL")); }
        module::state_add(obj(m)?, def).map(|_| 0)
    }
    /// The internal form older headers' macros call (the thread state is implied).
    fn _PyState_AddModule(_tstate: *mut c_void, m: *mut PyObject, def: *mut PyModuleDef) -> c_int [-1] {
        if def.is_null() { return Err(raise!(SystemError, "module definition is NULL")); }
        module::state_add(obj(m)?, def).map(|_| 0)
    }
    /// The module recorded for `def`, borrowed; NULL without an exception when there is none.
    fn PyState_FindModule(def: *mut PyModuleDef) -> *mut PyObject [null_mut()] {
        if def.is_null() { return Ok(null_mut()); }
        Ok(module::state_find(def).unwrap_or(null_mut()))
    }
    fn PyState_RemoveModule(def: *mut PyModuleDef) -> c_int [-1] {
        if def.is_null() { return Err(raise!(SystemError, "module definition is NULL")); }
        module::state_remove(def).map(|_| 0)
    }

    fn PyModule_FromSlotsAndSpec(slots: *const PySlot, spec: *mut PyObject) -> *mut PyObject [null_mut()] {
        if slots.is_null() { return Err(crate::boundary::bad_internal_call()); }
        let spec = obj(spec)?;
        let name_obj = pyrite_vm::abstract_::getattr_str(spec, "name")?;
        let name = unicode::as_str(&name_obj)?.to_string();
        pyrite_vm::import::extension::create_from_slots(slots, spec, &name).map(PyRef::into_raw)
    }
    /// Runs the module's `Py_mod_exec` slots (from its slots or its definition).
    fn PyModule_Exec(m: *mut PyObject) -> c_int [-1] {
        let m = expect_module(obj(m)?)?;
        let def = module::def_of(m);
        if def.is_null() { return Ok(0); }
        module::exec_def(m, def).map(|_| 0)
    }
    fn PyModule_GetStateSize(m: *mut PyObject, size: *mut Py_ssize_t) -> c_int [-1] {
        *size = -1;
        let m = expect_module(obj(m)?)?;
        let def = module::def_of(m);
        *size = if def.is_null() { 0 } else { (*def).m_size };
        Ok(0)
    }
    fn PyModule_GetToken(m: *mut PyObject, token: *mut *mut c_void) -> c_int [-1] {
        *token = null_mut();
        let m = expect_module(obj(m)?)?;
        *token = module::token_of(m);
        Ok(0)
    }
    /// For `tp_traverse`: no exception is ever set.
    fn PyModule_GetToken_DuringGC(m: *mut PyObject, token: *mut *mut c_void) -> c_int [-1] {
        *token = null_mut();
        match pyrite_vm::slot::opt_arg(m) {
            Some(m) if module::check(m) => { *token = module::token_of(m); Ok(0) }
            _ => Ok(-1),
        }
    }
    fn PyModule_GetState_DuringGC(m: *mut PyObject) -> *mut c_void [null_mut()] {
        Ok(match pyrite_vm::slot::opt_arg(m) {
            Some(m) if module::check(m) => module::state_of(m),
            _ => null_mut(),
        })
    }
    fn PyObject_GetTypeData_DuringGC(o: *mut PyObject, cls: *mut PyTypeObject) -> *mut c_void [null_mut()] {
        Ok((o as *mut u8).add(type_::type_data_offset(TypeObj::from_ptr(cls))) as *mut c_void)
    }
    fn PyModule_GetFilenameObject(m: *mut PyObject) -> *mut PyObject [null_mut()] {
        filename(obj(m)?).map(PyRef::into_raw)
    }
    /// Deprecated: `__file__` as UTF-8, borrowed from the module's dict.
    fn PyModule_GetFilename(m: *mut PyObject) -> *const c_char [core::ptr::null()] {
        let f = filename(obj(m)?)?;
        Ok(unicode::as_str(&f)?.as_ptr() as *const c_char)
    }
}
