//! `structseq.h`: struct sequence types and instances, and the two the runtime defines
//! (`PyFloat_GetInfo`, `PyLong_GetInfo`).

use core::ptr::null_mut;

use pyrite_abi::*;
use pyrite_vm::objects::structseq;
use pyrite_vm::{PyRef, TypeObj};

use crate::boundary::obj;
use crate::capi;

capi! {
    fn PyStructSequence_NewType(desc: *mut PyStructSequence_Desc) -> *mut PyTypeObject [null_mut()] {
        if desc.is_null() { return Err(crate::boundary::bad_internal_call()); }
        structseq::new_type(desc).map(|t| t.into_raw() as *mut PyTypeObject)
    }
    fn PyStructSequence_New(t: *mut PyTypeObject) -> *mut PyObject [null_mut()] {
        if t.is_null() { return Err(crate::boundary::bad_internal_call()); }
        structseq::new(TypeObj::from_ptr(t)).map(PyRef::into_raw)
    }
    /// Steals `v`; the old item (normally NULL) is released.
    fn PyStructSequence_SetItem(o: *mut PyObject, pos: Py_ssize_t, v: *mut PyObject) -> () [()] {
        obj(o)?;
        let slots = structseq::items(o);
        if pos < 0 || pos as usize >= slots.len() {
            pyrite_vm::object::xdecref(v);
            return Err(pyrite_vm::raise!(IndexError, "tuple index out of range"));
        }
        let old = core::mem::replace(&mut slots[pos as usize], v);
        pyrite_vm::object::xdecref(old);
        Ok(())
    }
    /// Borrowed.
    fn PyStructSequence_GetItem(o: *mut PyObject, pos: Py_ssize_t) -> *mut PyObject [null_mut()] {
        obj(o)?;
        let slots = structseq::items(o);
        if pos < 0 || pos as usize >= slots.len() {
            return Err(pyrite_vm::raise!(IndexError, "tuple index out of range"));
        }
        Ok(slots[pos as usize])
    }
    fn PyFloat_GetInfo() -> *mut PyObject [null_mut()] { structseq::float_info().map(PyRef::into_raw) }
    fn PyLong_GetInfo() -> *mut PyObject [null_mut()] { structseq::int_info().map(PyRef::into_raw) }
}
