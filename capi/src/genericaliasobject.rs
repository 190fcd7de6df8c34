//! `genericaliasobject.h`: `Py_GenericAlias`, what `__class_getitem__` of generic extension
//! types returns (`types.GenericAlias`).

use core::ptr::null_mut;

use pyrite_abi::*;
use pyrite_vm::objects::genericalias;
use pyrite_vm::PyRef;

use crate::boundary::obj;
use crate::capi;

capi! {
    fn Py_GenericAlias(origin: *mut PyObject, args: *mut PyObject) -> *mut PyObject [null_mut()] {
        genericalias::new(obj(origin)?, obj(args)?).map(PyRef::into_raw)
    }
}
