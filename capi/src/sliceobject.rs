//! `sliceobject.h`: `PySlice_*` (`Py_Ellipsis` lives with `None` in `object.rs`).

use core::ffi::c_int;
use core::ptr::null_mut;

use pyrite_abi::*;
use pyrite_vm::objects::{long, none, slice};
use pyrite_vm::{Obj, PyResult};

use crate::boundary::obj;
use crate::capi;

fn require_slice(o: &Obj) -> PyResult<&Obj> {
    if slice::check(o) { Ok(o) } else { Err(crate::boundary::bad_internal_call()) }
}

/// `PySlice_GetIndices`' reading of one part: `None`, or an int (anything else fails).
fn old_index(o: &Obj, default: Py_ssize_t) -> Option<Py_ssize_t> {
    if o.is(none::none_obj()) {
        return Some(default);
    }
    if !long::check(o) {
        return None;
    }
    Some(long::to_i64(o).map_or(if long::is_negative(o) { Py_ssize_t::MIN } else { Py_ssize_t::MAX }, |v| v as Py_ssize_t))
}

capi! {
    fn PySlice_New(start: *mut PyObject, stop: *mut PyObject, step: *mut PyObject) -> *mut PyObject [null_mut()] {
        Ok(slice::new(pyrite_vm::slot::opt_arg(start), pyrite_vm::slot::opt_arg(stop), pyrite_vm::slot::opt_arg(step)).into_raw())
    }
    fn PySlice_Unpack(s: *mut PyObject, start: *mut Py_ssize_t, stop: *mut Py_ssize_t, step: *mut Py_ssize_t) -> c_int [-1] {
        let (a, b, c) = slice::unpack(require_slice(obj(s)?)?)?;
        *start = a;
        *stop = b;
        *step = c;
        Ok(0)
    }
    fn PySlice_AdjustIndices(length: Py_ssize_t, start: *mut Py_ssize_t, stop: *mut Py_ssize_t, step: Py_ssize_t) -> Py_ssize_t [-1] {
        Ok(slice::adjust_indices(length, &mut *start, &mut *stop, step))
    }
    fn PySlice_GetIndicesEx(s: *mut PyObject, length: Py_ssize_t, start: *mut Py_ssize_t, stop: *mut Py_ssize_t, step: *mut Py_ssize_t, slicelength: *mut Py_ssize_t) -> c_int [-1] {
        let (mut a, mut b, c) = slice::unpack(require_slice(obj(s)?)?)?;
        let n = slice::adjust_indices(length, &mut a, &mut b, c);
        *start = a;
        *stop = b;
        *step = c;
        if !slicelength.is_null() { *slicelength = n; }
        Ok(0)
    }
    /// The pre-3.2 function: plain ints only, and -1 *without* an exception for anything it
    /// cannot handle, as CPython's.
    fn PySlice_GetIndices(s: *mut PyObject, length: Py_ssize_t, start: *mut Py_ssize_t, stop: *mut Py_ssize_t, step: *mut Py_ssize_t) -> c_int [-1] {
        let s = obj(s)?;
        let Some(c) = old_index(slice::step(s), 1) else { return Ok(-1) };
        let Some(mut a) = old_index(slice::start(s), if c < 0 { length - 1 } else { 0 }) else { return Ok(-1) };
        let Some(mut b) = old_index(slice::stop(s), if c < 0 { -1 } else { length }) else { return Ok(-1) };
        if !slice::start(s).is(none::none_obj()) && a < 0 { a = a.saturating_add(length); }
        if !slice::stop(s).is(none::none_obj()) && b < 0 { b = b.saturating_add(length); }
        if b > length || a >= length || c == 0 { return Ok(-1); }
        *start = a;
        *stop = b;
        *step = c;
        Ok(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pyrite_vm::objects::long;

    #[test]
    fn slice_functions_follow_cpython() {
        crate::initialize();
        // SAFETY: C API calls with live arguments.
        unsafe {
            let s = PySlice_New(null_mut(), null_mut(), long::from_i64(-2).into_raw());
            let (mut a, mut b, mut c, mut n) = (0, 0, 0, 0);
            assert_eq!(PySlice_GetIndicesEx(s, 10, &mut a, &mut b, &mut c, &mut n), 0);
            assert_eq!((a, b, c, n), (9, -1, -2, 5));
            assert_eq!(PySlice_Unpack(s, &mut a, &mut b, &mut c), 0);
            assert_eq!((a, b, c), (Py_ssize_t::MAX, Py_ssize_t::MIN, -2));
            assert_eq!(PySlice_AdjustIndices(4, &mut a, &mut b, c), 2);
            // The old function fails without an exception on out-of-range parts.
            let s2 = PySlice_New(long::from_i64(20).into_raw(), null_mut(), null_mut());
            assert_eq!(PySlice_GetIndices(s2, 10, &mut a, &mut b, &mut c), -1);
            assert!(pyrite_vm::err::occurred().is_null());
            pyrite_vm::object::decref(s);
            pyrite_vm::object::decref(s2);
        }
    }
}
