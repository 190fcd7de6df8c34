//! The singletons `None`, `NotImplemented` and `Ellipsis`, exported as `_Py_NoneStruct`,
//! `_Py_NotImplementedStruct` and `_Py_EllipsisObject` (what <= 3.12 headers compile
//! `Py_None` etc. into).

use pyrite_abi::{PyObject, Py_hash_t};

use crate::object::{static_head, PyRef, StaticObject};
use crate::objects::type_::{TypeObj, BUILTIN_FLAGS};
use crate::objects::unicode;
use crate::{private_static_type, static_type};

private_static_type!(_PyNone_Type, c"NoneType", core::mem::size_of::<PyObject>(), {
    tp_flags: BUILTIN_FLAGS,
    tp_repr: Some(none_repr),
    tp_hash: Some(none_hash),
    tp_as_number: NONE_AS_NUMBER.0.get(),
});

static NONE_AS_NUMBER: StaticObject<pyrite_abi::PyNumberMethods> =
    StaticObject::new(pyrite_abi::PyNumberMethods { nb_bool: Some(none_bool), ..pyrite_abi::PyNumberMethods::EMPTY });

private_static_type!(_PyNotImplemented_Type, c"NotImplementedType", core::mem::size_of::<PyObject>(), {
    tp_flags: BUILTIN_FLAGS,
    tp_repr: Some(notimpl_repr),
});

static_type!(PyEllipsis_Type, c"ellipsis", core::mem::size_of::<PyObject>(), {
    tp_flags: BUILTIN_FLAGS,
    tp_repr: Some(ellipsis_repr),
});

#[unsafe(no_mangle)]
pub static _Py_NoneStruct: StaticObject<PyObject> = StaticObject::new(static_head(_PyNone_Type.raw()));
#[unsafe(no_mangle)]
pub static _Py_NotImplementedStruct: StaticObject<PyObject> =
    StaticObject::new(static_head(_PyNotImplemented_Type.raw()));
#[unsafe(no_mangle)]
pub static _Py_EllipsisObject: StaticObject<PyObject> = StaticObject::new(static_head(PyEllipsis_Type.raw()));

#[inline(always)]
pub fn none() -> PyRef {
    _Py_NoneStruct.new_ref()
}
#[inline(always)]
pub fn none_obj() -> &'static crate::object::Obj {
    _Py_NoneStruct.obj()
}
#[inline(always)]
pub fn not_implemented() -> PyRef {
    _Py_NotImplementedStruct.new_ref()
}
#[inline(always)]
pub fn not_implemented_obj() -> &'static crate::object::Obj {
    _Py_NotImplementedStruct.obj()
}
#[inline(always)]
pub fn ellipsis() -> PyRef {
    _Py_EllipsisObject.new_ref()
}

pub fn types() -> [&'static TypeObj; 3] {
    [&_PyNone_Type, &_PyNotImplemented_Type, &PyEllipsis_Type]
}

unsafe extern "C" fn none_repr(_: *mut PyObject) -> *mut PyObject {
    unicode::new("None").into_raw()
}
unsafe extern "C" fn none_hash(_: *mut PyObject) -> Py_hash_t {
    // CPython 3.12+: a constant, not the address.
    0xFCA86420
}
unsafe extern "C" fn none_bool(_: *mut PyObject) -> core::ffi::c_int {
    0
}
unsafe extern "C" fn notimpl_repr(_: *mut PyObject) -> *mut PyObject {
    unicode::new("NotImplemented").into_raw()
}
unsafe extern "C" fn ellipsis_repr(_: *mut PyObject) -> *mut PyObject {
    unicode::new("Ellipsis").into_raw()
}
