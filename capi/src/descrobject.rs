//! `descrobject.h`: descriptors for C definitions (`PyDescr_New*`), the member accessors
//! (`PyMember_GetOne`/`SetOne`, structmember.h) and `PyWrapper_New`.

use core::ffi::{c_char, c_int};
use core::ptr::null_mut;

use pyrite_abi::*;
use pyrite_vm::objects::{descr, slotdefs};
use pyrite_vm::{raise, PyRef, TypeObj};

use crate::boundary::{bad_internal_call, obj};
use crate::capi;

/// # Safety
/// `t` is NULL or a live type.
unsafe fn owner<'a>(t: *mut PyTypeObject) -> pyrite_vm::PyResult<&'a TypeObj> {
    // SAFETY: guaranteed by the caller.
    if t.is_null() { Err(bad_internal_call()) } else { Ok(unsafe { TypeObj::from_ptr(t) }) }
}

capi! {
    fn PyDescr_NewMethod(t: *mut PyTypeObject, ml: *mut PyMethodDef) -> *mut PyObject [null_mut()] {
        if ml.is_null() { return Err(bad_internal_call()); }
        descr::new_method_descr_exact(owner(t)?, ml, false).map(PyRef::into_raw)
    }
    fn PyDescr_NewClassMethod(t: *mut PyTypeObject, ml: *mut PyMethodDef) -> *mut PyObject [null_mut()] {
        if ml.is_null() { return Err(bad_internal_call()); }
        descr::new_method_descr_exact(owner(t)?, ml, true).map(PyRef::into_raw)
    }
    fn PyDescr_NewMember(t: *mut PyTypeObject, m: *mut PyMemberDef) -> *mut PyObject [null_mut()] {
        if m.is_null() { return Err(bad_internal_call()); }
        descr::new_member_descriptor(owner(t)?, m).map(PyRef::into_raw)
    }
    fn PyDescr_NewGetSet(t: *mut PyTypeObject, g: *mut PyGetSetDef) -> *mut PyObject [null_mut()] {
        if g.is_null() { return Err(bad_internal_call()); }
        descr::new_getset_descriptor(owner(t)?, g).map(PyRef::into_raw)
    }
    /// The member at `addr` (the object's address) as a new reference.
    fn PyMember_GetOne(addr: *const c_char, m: *mut PyMemberDef) -> *mut PyObject [null_mut()] {
        let o = obj(addr as *mut PyObject)?;
        if (*m).flags & Py_RELATIVE_OFFSET != 0 {
            return Err(raise!(SystemError, "PyMember_GetOne used with Py_RELATIVE_OFFSET"));
        }
        descr::member_get(o, &*m, o.ob_type()).map(PyRef::into_raw)
    }
    /// Sets (or with NULL deletes) the member at `addr`.
    fn PyMember_SetOne(addr: *mut c_char, m: *mut PyMemberDef, v: *mut PyObject) -> c_int [-1] {
        let o = obj(addr as *mut PyObject)?;
        if (*m).flags & Py_RELATIVE_OFFSET != 0 {
            return Err(raise!(SystemError, "PyMember_SetOne used with Py_RELATIVE_OFFSET"));
        }
        descr::member_set(o, &*m, o.ob_type(), pyrite_vm::slot::opt_arg(v)).map(|_| 0)
    }
    fn PyWrapper_New(d: *mut PyObject, self_: *mut PyObject) -> *mut PyObject [null_mut()] {
        slotdefs::bind_wrapper(obj(d)?, obj(self_)?).map(PyRef::into_raw)
    }
}
