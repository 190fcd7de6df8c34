//! `tupleobject.h`.

use core::ffi::c_int;
use core::ptr::null_mut;

use pyrite_abi::*;
use pyrite_vm::objects::tuple;
use pyrite_vm::{raise, Obj, PyRef, PyResult};

use crate::boundary::obj;
use crate::capi;

fn require_tuple(o: &Obj) -> PyResult<&Obj> {
    if tuple::check(o) { Ok(o) } else { Err(crate::boundary::bad_internal_call()) }
}

capi! {
    fn PyTuple_New(n: Py_ssize_t) -> *mut PyObject [null_mut()] {
        if n < 0 { return Err(crate::boundary::bad_internal_call()); }
        // More items than a Py_ssize_t byte size can hold: CPython's MemoryError.
        if n as usize > (isize::MAX as usize - 24) / 8 {
            return Err(pyrite_vm::PyErr::from_type_no_args(pyrite_vm::objects::exceptions::MemoryError()));
        }
        Ok(tuple::alloc(n as usize).into_raw())
    }
    fn PyTuple_Size(o: *mut PyObject) -> Py_ssize_t [-1] {
        Ok(tuple::len(require_tuple(obj(o)?)?) as Py_ssize_t)
    }
    fn PyTuple_GetItem(o: *mut PyObject, i: Py_ssize_t) -> *mut PyObject [null_mut()] {
        let t = require_tuple(obj(o)?)?;
        if i < 0 || i as usize >= tuple::len(t) { return Err(raise!(IndexError, "tuple index out of range")); }
        Ok(tuple::items_raw(t.as_ptr())[i as usize])
    }
    fn PyTuple_SetItem(o: *mut PyObject, i: Py_ssize_t, v: *mut PyObject) -> c_int [-1] {
        // Steals `v`, even on failure.
        let v = PyRef::from_raw_opt(v);
        let t = obj(o)?;
        if !tuple::check(t) || t.refcnt() != 1 { return Err(crate::boundary::bad_internal_call()); }
        if i < 0 || i as usize >= tuple::len(t) { return Err(raise!(IndexError, "tuple assignment index out of range")); }
        let slot = tuple::items_raw(t.as_ptr()).as_ptr().add(i as usize) as *mut *mut PyObject;
        let old = core::mem::replace(&mut *slot, v.map_or(null_mut(), PyRef::into_raw));
        pyrite_vm::object::xdecref(old);
        Ok(0)
    }
    fn PyTuple_GetSlice(o: *mut PyObject, lo: Py_ssize_t, hi: Py_ssize_t) -> *mut PyObject [null_mut()] {
        let t = require_tuple(obj(o)?)?;
        let n = tuple::len(t) as isize;
        let lo = lo.clamp(0, n) as usize;
        let hi = hi.clamp(lo as isize, n) as usize;
        if lo == 0 && hi == n as usize && tuple::check_exact(t) {
            return Ok(t.new_ref().into_raw());
        }
        Ok(tuple::new_from(&tuple::items(t)[lo..hi]).into_raw())
    }
}
