//! `setobject.h`: `PySet_*` and `PyFrozenSet_New`.

use core::ffi::c_int;
use core::ptr::null_mut;

use pyrite_abi::*;
use pyrite_vm::objects::set;
use pyrite_vm::{Obj, PyRef, PyResult};

use crate::boundary::{bad_internal_call, obj};
use crate::capi;

fn require_set(o: &Obj) -> PyResult<&Obj> {
    if set::check(o) { Ok(o) } else { Err(bad_internal_call()) }
}

fn require_anyset(o: &Obj) -> PyResult<&Obj> {
    if set::check_any(o) { Ok(o) } else { Err(bad_internal_call()) }
}

capi! {
    fn PySet_New(iterable: *mut PyObject) -> *mut PyObject [null_mut()] {
        match pyrite_vm::slot::opt_arg(iterable) {
            Some(it) => set::new_from_iterable(it).map(PyRef::into_raw),
            None => Ok(set::new_empty().into_raw()),
        }
    }
    fn PyFrozenSet_New(iterable: *mut PyObject) -> *mut PyObject [null_mut()] {
        set::frozenset_from_iterable(pyrite_vm::slot::opt_arg(iterable)).map(PyRef::into_raw)
    }
    fn PySet_Size(s: *mut PyObject) -> Py_ssize_t [-1] {
        Ok(set::len(require_anyset(obj(s)?)?) as Py_ssize_t)
    }
    fn PySet_Clear(s: *mut PyObject) -> c_int [-1] {
        set::clear(require_set(obj(s)?)?);
        Ok(0)
    }
    /// No frozenset fallback for set keys, unlike `in`.
    fn PySet_Contains(s: *mut PyObject, key: *mut PyObject) -> c_int [-1] {
        set::contains_key(require_anyset(obj(s)?)?, obj(key)?).map(c_int::from)
    }
    fn PySet_Discard(s: *mut PyObject, key: *mut PyObject) -> c_int [-1] {
        set::discard_key(require_set(obj(s)?)?, obj(key)?).map(c_int::from)
    }
    /// Also fills a frozenset that nobody else references yet (how C code builds them).
    fn PySet_Add(s: *mut PyObject, key: *mut PyObject) -> c_int [-1] {
        let s = obj(s)?;
        if !(set::check(s) || (set::check_frozen(s) && s.refcnt() == 1)) {
            return Err(bad_internal_call());
        }
        let key = obj(key)?;
        set::add(s, key)?;
        if set::check_frozen(s) && set::may_be_tracked(key) {
            // A frozenset of atomic items starts untracked; this item may make a cycle.
            // SAFETY: a live frozenset.
            unsafe { pyrite_vm::alloc::gc_set_tracked(s.as_ptr(), true) };
        }
        Ok(0)
    }
    fn PySet_Pop(s: *mut PyObject) -> *mut PyObject [null_mut()] {
        set::pop(require_set(obj(s)?)?).map(PyRef::into_raw)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pyrite_vm::objects::{long, set};
    use pyrite_vm::{Obj, PyErr};

    #[test]
    fn set_functions_follow_cpython() {
        crate::initialize();
        // SAFETY: C API calls with live arguments.
        unsafe {
            let s = PySet_New(null_mut());
            assert_eq!(PySet_Add(s, long::from_i64(3).as_ptr()), 0);
            assert_eq!(PySet_Add(s, long::from_i64(3).as_ptr()), 0);
            assert_eq!(PySet_Size(s), 1);
            assert_eq!(PySet_Contains(s, long::from_i64(3).as_ptr()), 1);
            assert_eq!(PySet_Discard(s, long::from_i64(4).as_ptr()), 0);
            // A frozenset being built (count 1) accepts PySet_Add; a shared one does not.
            let f = PyFrozenSet_New(null_mut());
            assert_eq!(PySet_Add(f, long::from_i64(1).as_ptr()), 0);
            let f2 = Obj::from_ptr(f).new_ref();
            assert_eq!(PySet_Add(f, long::from_i64(2).as_ptr()), -1);
            assert_eq!(format!("{:?}", PyErr::take().unwrap()), "SystemError: bad argument to internal function");
            drop(f2);
            // PySet_Contains has no frozenset fallback for set keys, unlike `in`.
            let key = PySet_New(null_mut());
            assert_eq!(PySet_Contains(s, key), -1);
            assert!(PyErr::take().unwrap().is_instance(pyrite_vm::objects::exceptions::TypeError()));
            assert!(!set::contains(Obj::from_ptr(s), Obj::from_ptr(key)).unwrap());
            let popped = PySet_Pop(s);
            assert_eq!(long::to_i64(Obj::from_ptr(popped)), Some(3));
            assert!(PySet_Pop(s).is_null());
            assert_eq!(format!("{:?}", PyErr::take().unwrap()), "KeyError: 'pop from an empty set'");
            assert_eq!(PySet_Clear(f), -1, "PySet_Clear wants a set");
            drop(PyErr::take());
            for p in [s, f, key, popped] {
                pyrite_vm::object::decref(p);
            }
        }
    }
}
