//! Glue between Rust results and the C slot conventions (NULL/-1 + current exception).
//! Built-in behaviour is implemented *as slots* so the VM, the C API and C-defined types all
//! dispatch the same way; these helpers keep each slot body idiomatic Rust.

use core::ffi::c_int;

use pyrite_abi::{PyObject, Py_ssize_t};

use crate::err::{PyErr, PyResult};
use crate::object::{Obj, PyRef};

/// `Ok(obj)` → new reference; `Err` → set the exception, NULL.
#[inline]
pub fn ret_obj(r: PyResult<PyRef>) -> *mut PyObject {
    match r {
        Ok(v) => v.into_raw(),
        Err(e) => {
            e.restore();
            core::ptr::null_mut()
        }
    }
}

/// `Ok(n)` → n; `Err` → set the exception, -1.
#[inline]
pub fn ret_int(r: PyResult<c_int>) -> c_int {
    r.unwrap_or_else(|e| {
        e.restore();
        -1
    })
}

#[inline]
pub fn ret_ssize(r: PyResult<Py_ssize_t>) -> Py_ssize_t {
    r.unwrap_or_else(|e| {
        e.restore();
        -1
    })
}

/// A new reference returned by C (or NULL with an exception set) as a `PyResult`.
///
/// # Safety
/// `p` is NULL or a new reference.
#[inline]
pub unsafe fn from_new(p: *mut PyObject) -> PyResult<PyRef> {
    // SAFETY: guaranteed by the caller.
    match unsafe { PyRef::from_raw_opt(p) } {
        Some(v) => Ok(v),
        None => Err(PyErr::fetch()),
    }
}

/// A C status (`-1` = error) as a `PyResult`.
#[inline]
pub fn from_status(r: c_int) -> PyResult<c_int> {
    if r < 0 { Err(PyErr::fetch()) } else { Ok(r) }
}

/// Borrows a slot argument.
///
/// # Safety
/// `p` is a live object for the duration of the slot call.
#[inline(always)]
pub unsafe fn arg<'a>(p: *mut PyObject) -> &'a Obj {
    // SAFETY: guaranteed by the caller.
    unsafe { Obj::from_ptr(p) }
}

/// Borrows an optional slot argument (NULL → None).
///
/// # Safety
/// As [`arg`] when non-NULL.
#[inline(always)]
pub unsafe fn opt_arg<'a>(p: *mut PyObject) -> Option<&'a Obj> {
    // SAFETY: guaranteed by the caller.
    if p.is_null() { None } else { Some(unsafe { Obj::from_ptr(p) }) }
}
