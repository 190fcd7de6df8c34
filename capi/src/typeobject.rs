//! `object.h`'s type functions (`PyType_*`) that do not need heap types.

use core::ffi::{c_int, c_ulong, c_void};
use core::ptr::null_mut;

use pyrite_abi::*;
use pyrite_vm::objects::{type_, unicode};
use pyrite_vm::{PyRef, TypeObj};

use crate::capi;

capi! {
    fn PyType_GetFlags(t: *mut PyTypeObject) -> c_ulong [0] { Ok((*t).tp_flags) }
    fn PyType_IsSubtype(a: *mut PyTypeObject, b: *mut PyTypeObject) -> c_int [0] {
        Ok(TypeObj::from_ptr(a).is_subtype(TypeObj::from_ptr(b)) as c_int)
    }
    fn PyType_Ready(t: *mut PyTypeObject) -> c_int [-1] { type_::ready(TypeObj::from_ptr(t)).map(|_| 0) }
    fn PyType_GenericAlloc(t: *mut PyTypeObject, n: Py_ssize_t) -> *mut PyObject [null_mut()] {
        Ok(pyrite_vm::alloc::generic_alloc(t, n))
    }
    fn PyType_GenericNew(t: *mut PyTypeObject, _args: *mut PyObject, _kw: *mut PyObject) -> *mut PyObject [null_mut()] {
        let alloc = (*t).tp_alloc.unwrap_or(pyrite_vm::alloc::generic_alloc);
        Ok(alloc(t, 0))
    }
    fn PyType_GetName(t: *mut PyTypeObject) -> *mut PyObject [null_mut()] {
        Ok(unicode::new(TypeObj::from_ptr(t).name()).into_raw())
    }
    fn PyType_GetQualName(t: *mut PyTypeObject) -> *mut PyObject [null_mut()] {
        let ty = TypeObj::from_ptr(t);
        pyrite_vm::abstract_::getattr_str(ty, "__qualname__").map(PyRef::into_raw)
    }
    fn PyType_GetModuleName(t: *mut PyTypeObject) -> *mut PyObject [null_mut()] {
        pyrite_vm::abstract_::getattr_str(TypeObj::from_ptr(t), "__module__").map(PyRef::into_raw)
    }
    fn PyType_GetFullyQualifiedName(t: *mut PyTypeObject) -> *mut PyObject [null_mut()] {
        Ok(unicode::new(&type_::fully_qualified_name(TypeObj::from_ptr(t))).into_raw())
    }
    fn PyType_ClearCache() -> core::ffi::c_uint [0] { Ok(0) }
    fn PyType_Modified(t: *mut PyTypeObject) -> () [()] { pyrite_vm::objects::type_::modified(TypeObj::from_ptr(t)); Ok(()) }
    fn PyType_GetTypeDataSize(cls: *mut PyTypeObject) -> Py_ssize_t [-1] {
        let t = TypeObj::from_ptr(cls);
        Ok((t.slots().tp_basicsize - type_::type_data_offset(t) as Py_ssize_t).max(0))
    }
    fn PyObject_GetTypeData(o: *mut PyObject, cls: *mut PyTypeObject) -> *mut c_void [null_mut()] {
        Ok((o as *mut u8).add(type_::type_data_offset(TypeObj::from_ptr(cls))) as *mut c_void)
    }
}
