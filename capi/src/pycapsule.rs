//! `pycapsule.h`: `PyCapsule_*` over `pyrite_vm::objects::capsule`.

use core::ffi::{c_char, c_int, c_void, CStr};
use core::ptr::null_mut;

use pyrite_abi::*;
use pyrite_vm::objects::capsule::{self, CapsuleObject};
use pyrite_vm::Obj;

use crate::capi;

/// The argument as an optional borrowed object (NULL is an invalid capsule, not a crash).
unsafe fn opt<'a>(o: *mut PyObject) -> Option<&'a Obj> {
    // SAFETY: NULL or a live object, the C caller's promise.
    (!o.is_null()).then(|| unsafe { Obj::from_ptr(o) })
}

unsafe fn legal<'a>(o: *mut PyObject, function: &str) -> pyrite_vm::PyResult<&'a mut CapsuleObject> {
    // SAFETY: as `opt`.
    capsule::legal(unsafe { opt(o) }, function)
}

capi! {
    fn PyCapsule_New(pointer: *mut c_void, name: *const c_char, destructor: destructor) -> *mut PyObject [null_mut()] {
        capsule::new(pointer, name, destructor).map(|c| c.into_raw())
    }
    fn PyCapsule_GetPointer(o: *mut PyObject, name: *const c_char) -> *mut c_void [null_mut()] {
        let c = legal(o, "PyCapsule_GetPointer")?;
        if !capsule::names_match(c.name, name) {
            return Err(pyrite_vm::raise!(ValueError, "PyCapsule_GetPointer called with incorrect name"));
        }
        Ok(c.pointer)
    }
    fn PyCapsule_GetName(o: *mut PyObject) -> *const c_char [core::ptr::null()] {
        Ok(legal(o, "PyCapsule_GetName")?.name)
    }
    fn PyCapsule_GetDestructor(o: *mut PyObject) -> destructor [None] {
        Ok(legal(o, "PyCapsule_GetDestructor")?.destructor)
    }
    fn PyCapsule_GetContext(o: *mut PyObject) -> *mut c_void [null_mut()] {
        Ok(legal(o, "PyCapsule_GetContext")?.context)
    }
    fn PyCapsule_IsValid(o: *mut PyObject, name: *const c_char) -> c_int [0] {
        Ok(capsule::is_valid(opt(o), name) as c_int)
    }
    fn PyCapsule_SetPointer(o: *mut PyObject, pointer: *mut c_void) -> c_int [-1] {
        if pointer.is_null() {
            return Err(pyrite_vm::raise!(ValueError, "PyCapsule_SetPointer called with null pointer"));
        }
        legal(o, "PyCapsule_SetPointer")?.pointer = pointer;
        Ok(0)
    }
    fn PyCapsule_SetName(o: *mut PyObject, name: *const c_char) -> c_int [-1] {
        legal(o, "PyCapsule_SetName")?.name = name;
        Ok(0)
    }
    fn PyCapsule_SetDestructor(o: *mut PyObject, d: destructor) -> c_int [-1] {
        legal(o, "PyCapsule_SetDestructor")?.destructor = d;
        Ok(0)
    }
    fn PyCapsule_SetContext(o: *mut PyObject, context: *mut c_void) -> c_int [-1] {
        legal(o, "PyCapsule_SetContext")?.context = context;
        Ok(0)
    }
    fn PyCapsule_Import(name: *const c_char, _no_block: c_int) -> *mut c_void [null_mut()] {
        if name.is_null() {
            return Err(crate::boundary::bad_internal_call());
        }
        capsule::import(CStr::from_ptr(name))
    }
}
