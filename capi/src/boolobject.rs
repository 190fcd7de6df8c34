//! `boolobject.h`.

use core::ffi::c_long;
use core::ptr::null_mut;

use pyrite_abi::*;
use pyrite_vm::objects::bool_;

use crate::capi;

capi! {
    fn PyBool_FromLong(v: c_long) -> *mut PyObject [null_mut()] { Ok(bool_::new(v != 0).into_raw()) }
}
