//! `methodobject.h`: C function objects.

use core::ffi::{c_int, c_void};
use core::ptr::null_mut;

use pyrite_abi::*;
use pyrite_vm::objects::methodobject::{self as mo, CFunctionObject, PyCFunction_Type};
use pyrite_vm::slot::opt_arg;
use pyrite_vm::{Obj, PyRef, TypeObj};

use crate::boundary::obj;
use crate::capi;

fn require_cfunction(o: &Obj) -> pyrite_vm::PyResult<*mut CFunctionObject> {
    if o.is_instance_of(&PyCFunction_Type) { Ok(o.as_ptr() as *mut CFunctionObject) } else { Err(crate::boundary::bad_internal_call()) }
}

capi! {
    fn PyCFunction_New(ml: *mut PyMethodDef, self_: *mut PyObject) -> *mut PyObject [null_mut()] {
        mo::new(ml, opt_arg(self_), None, None).map(PyRef::into_raw)
    }
    fn PyCFunction_NewEx(ml: *mut PyMethodDef, self_: *mut PyObject, module: *mut PyObject) -> *mut PyObject [null_mut()] {
        mo::new(ml, opt_arg(self_), opt_arg(module), None).map(PyRef::into_raw)
    }
    fn PyCMethod_New(ml: *mut PyMethodDef, self_: *mut PyObject, module: *mut PyObject, cls: *mut PyTypeObject) -> *mut PyObject [null_mut()] {
        let c = if cls.is_null() { None } else { Some(TypeObj::from_ptr(cls)) };
        mo::new(ml, opt_arg(self_), opt_arg(module), c).map(PyRef::into_raw)
    }
    fn PyCFunction_GetFunction(o: *mut PyObject) -> *mut c_void [null_mut()] {
        Ok((*(*require_cfunction(obj(o)?)?).m_ml).ml_meth)
    }
    fn PyCFunction_GetSelf(o: *mut PyObject) -> *mut PyObject [null_mut()] {
        Ok((*require_cfunction(obj(o)?)?).m_self)
    }
    fn PyCFunction_GetFlags(o: *mut PyObject) -> c_int [-1] {
        Ok((*(*require_cfunction(obj(o)?)?).m_ml).ml_flags)
    }
}
