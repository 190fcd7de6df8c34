//! `marshal.h`: the Stable ABI's two string functions over `vm::marshal`.

use core::ffi::{c_char, c_int};
use core::ptr::null_mut;

use pyrite_abi::*;
use pyrite_vm::marshal;
use pyrite_vm::objects::bytes;
use pyrite_vm::PyRef;

use crate::boundary::obj;
use crate::capi;

capi! {
    fn PyMarshal_WriteObjectToString(o: *mut PyObject, version: c_int) -> *mut PyObject [null_mut()] {
        Ok(bytes::new(&marshal::dumps(obj(o)?, version)?).into_raw())
    }
    /// The first object of `data[..len]` (what follows it is ignored).
    fn PyMarshal_ReadObjectFromString(data: *const c_char, len: Py_ssize_t) -> *mut PyObject [null_mut()] {
        if len < 0 || (data.is_null() && len > 0) { return Err(crate::boundary::bad_internal_call()); }
        let d = if len == 0 { &[][..] } else { core::slice::from_raw_parts(data as *const u8, len as usize) };
        marshal::loads(d).map(PyRef::into_raw)
    }
}
