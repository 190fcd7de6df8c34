//! `listobject.h`.

use core::ffi::c_int;
use core::ptr::null_mut;

use pyrite_abi::*;
use pyrite_vm::objects::list;
use pyrite_vm::{raise, Obj, PyRef, PyResult};

use crate::boundary::obj;
use crate::capi;

fn require_list(o: &Obj) -> PyResult<&Obj> {
    if list::check(o) { Ok(o) } else { Err(crate::boundary::bad_internal_call()) }
}

capi! {
    fn PyList_New(n: Py_ssize_t) -> *mut PyObject [null_mut()] {
        if n < 0 { return Err(crate::boundary::bad_internal_call()); }
        Ok(list::alloc(n as usize).into_raw())
    }
    fn PyList_Size(o: *mut PyObject) -> Py_ssize_t [-1] {
        Ok(list::len(require_list(obj(o)?)?) as Py_ssize_t)
    }
    fn PyList_GetItem(o: *mut PyObject, i: Py_ssize_t) -> *mut PyObject [null_mut()] {
        let l = require_list(obj(o)?)?;
        if i < 0 || i as usize >= list::len(l) { return Err(raise!(IndexError, "list index out of range")); }
        Ok(list::slots(l)[i as usize])
    }
    fn PyList_GetItemRef(o: *mut PyObject, i: Py_ssize_t) -> *mut PyObject [null_mut()] {
        let l = obj(o)?;
        if !list::check(l) { return Err(raise!(TypeError, "expected a list")); }
        if i < 0 || i as usize >= list::len(l) { return Err(raise!(IndexError, "list index out of range")); }
        list::get(l, i as usize).map(|v| v.new_ref().into_raw()).ok_or_else(|| raise!(IndexError, "list index out of range"))
    }
    fn PyList_SetItem(o: *mut PyObject, i: Py_ssize_t, v: *mut PyObject) -> c_int [-1] {
        // Steals `v`, even on failure.
        let v = PyRef::from_raw_opt(v);
        let l = require_list(obj(o)?)?;
        if i < 0 || i as usize >= list::len(l) { return Err(raise!(IndexError, "list assignment index out of range")); }
        match v {
            Some(v) => list::set(l, i as usize, v),
            None => {
                let slot = list::slots(l).as_ptr().add(i as usize) as *mut *mut PyObject;
                pyrite_vm::object::xdecref(core::mem::replace(&mut *slot, null_mut()));
            }
        }
        Ok(0)
    }
    fn PyList_Insert(o: *mut PyObject, i: Py_ssize_t, v: *mut PyObject) -> c_int [-1] {
        list::insert(require_list(obj(o)?)?, i, obj(v)?);
        Ok(0)
    }
    fn PyList_Append(o: *mut PyObject, v: *mut PyObject) -> c_int [-1] {
        list::append(require_list(obj(o)?)?, obj(v)?);
        Ok(0)
    }
    fn PyList_GetSlice(o: *mut PyObject, lo: Py_ssize_t, hi: Py_ssize_t) -> *mut PyObject [null_mut()] {
        Ok(list::get_slice(require_list(obj(o)?)?, lo, hi).into_raw())
    }
    /// `l[lo:hi] = v` (`v` NULL: `del l[lo:hi]`), bounds clamped.
    fn PyList_SetSlice(o: *mut PyObject, lo: Py_ssize_t, hi: Py_ssize_t, v: *mut PyObject) -> c_int [-1] {
        list::set_slice(require_list(obj(o)?)?, lo, hi, pyrite_vm::slot::opt_arg(v)).map(|_| 0)
    }
    fn PyList_Sort(o: *mut PyObject) -> c_int [-1] {
        if o.is_null() { return Err(crate::boundary::bad_internal_call()); }
        list::sort(require_list(obj(o)?)?, None, false).map(|_| 0)
    }
    fn PyList_AsTuple(o: *mut PyObject) -> *mut PyObject [null_mut()] {
        Ok(list::as_tuple(require_list(obj(o)?)?).into_raw())
    }
    fn PyList_Reverse(o: *mut PyObject) -> c_int [-1] {
        list::reverse(require_list(obj(o)?)?);
        Ok(0)
    }
    fn PyList_Extend(o: *mut PyObject, it: *mut PyObject) -> c_int [-1] {
        list::extend(require_list(obj(o)?)?, obj(it)?).map(|_| 0)
    }
    fn PyList_Clear(o: *mut PyObject) -> c_int [-1] {
        list::clear(require_list(obj(o)?)?);
        Ok(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pyrite_vm::objects::{long, tuple, unicode};

    fn repr(p: *mut PyObject) -> String {
        // SAFETY: a live object.
        unicode::as_str_lossy(&pyrite_vm::abstract_::repr(unsafe { Obj::from_ptr(p) }).unwrap()).into_owned()
    }

    #[test]
    fn list_slice_and_sort_functions() {
        crate::initialize();
        // SAFETY: C API calls with live arguments.
        unsafe {
            let l = list::new_from_owned((0..6).rev().map(long::from_i64).collect()).into_raw();
            assert_eq!(PyList_Sort(l), 0);
            assert_eq!(repr(l), "[0, 1, 2, 3, 4, 5]");
            let s = PyList_GetSlice(l, -5, 100);
            assert_eq!(repr(s), "[0, 1, 2, 3, 4, 5]", "bounds are clamped, negatives to 0");
            assert_eq!(PyList_SetSlice(l, 1, 3, null_mut()), 0);
            assert_eq!(repr(l), "[0, 3, 4, 5]");
            let t = tuple::new_from_owned(vec![long::from_i64(9), long::from_i64(8)]);
            assert_eq!(PyList_SetSlice(l, 4, 4, t.as_ptr()), 0);
            assert_eq!(repr(l), "[0, 3, 4, 5, 9, 8]");
            assert_eq!(PyList_SetSlice(l, 0, 1, long::from_i64(1).as_ptr()), -1);
            assert!(pyrite_vm::PyErr::take().unwrap().is_instance(pyrite_vm::objects::exceptions::TypeError()));
            assert_eq!(PyList_Extend(l, unicode::new("ab").as_ptr()), 0);
            assert_eq!(repr(l), "[0, 3, 4, 5, 9, 8, 'a', 'b']");
            assert_eq!(PyList_Sort(l), -1, "int < str fails");
            drop(pyrite_vm::PyErr::take());
            assert_eq!(PyList_Clear(l), 0);
            assert_eq!(PyList_Size(l), 0);
            pyrite_vm::object::decref(s);
            pyrite_vm::object::decref(l);
        }
    }
}
