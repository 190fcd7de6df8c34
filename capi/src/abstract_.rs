//! `abstract.h`: the object, sequence, mapping and number protocols (the parts that need no
//! iterators yet).

use core::ffi::{c_char, c_int};
use core::ptr::null_mut;

use pyrite_abi::*;
use pyrite_vm::objects::{dict, list, long, tuple, unicode};
use pyrite_vm::{abstract_, raise, PyRef};

use crate::boundary::{cstr, obj};
use crate::capi;

capi! {
    fn PyObject_GetItem(o: *mut PyObject, key: *mut PyObject) -> *mut PyObject [null_mut()] {
        abstract_::getitem(obj(o)?, obj(key)?).map(PyRef::into_raw)
    }
    fn PyObject_SetItem(o: *mut PyObject, key: *mut PyObject, v: *mut PyObject) -> c_int [-1] {
        abstract_::setitem(obj(o)?, obj(key)?, Some(obj(v)?)).map(|_| 0)
    }
    fn PyObject_DelItem(o: *mut PyObject, key: *mut PyObject) -> c_int [-1] {
        abstract_::setitem(obj(o)?, obj(key)?, None).map(|_| 0)
    }
    fn PyObject_DelItemString(o: *mut PyObject, key: *const c_char) -> c_int [-1] {
        abstract_::setitem(obj(o)?, &unicode::new(cstr(key)?), None).map(|_| 0)
    }
    fn PyObject_Size(o: *mut PyObject) -> Py_ssize_t [-1] { abstract_::len(obj(o)?).map(|n| n as Py_ssize_t) }
    fn PyObject_Length(o: *mut PyObject) -> Py_ssize_t [-1] { abstract_::len(obj(o)?).map(|n| n as Py_ssize_t) }
    fn PySequence_Check(o: *mut PyObject) -> c_int [0] {
        let o = obj(o)?;
        if dict::check(o) { return Ok(0); }
        Ok(o.ob_type().slots().tp_as_sequence.as_ref().is_some_and(|s| s.sq_item.is_some()) as c_int)
    }
    fn PySequence_Size(o: *mut PyObject) -> Py_ssize_t [-1] {
        let o = obj(o)?;
        match o.ob_type().slots().tp_as_sequence.as_ref().and_then(|s| s.sq_length) {
            Some(f) => { let n = f(o.as_ptr()); if n < 0 { Err(pyrite_vm::PyErr::fetch()) } else { Ok(n) } }
            None if dict::check(o) => Err(raise!(TypeError, "{} is not a sequence", o.ob_type().name())),
            None => Err(raise!(TypeError, "object of type '{}' has no len()", o.ob_type().name())),
        }
    }
    fn PySequence_Length(o: *mut PyObject) -> Py_ssize_t [-1] { Ok(PySequence_Size(o)) }
    fn PySequence_GetItem(o: *mut PyObject, i: Py_ssize_t) -> *mut PyObject [null_mut()] {
        abstract_::sequence_getitem(obj(o)?, i).map(PyRef::into_raw)
    }
    /// `tuple(o)`: any iterable (an exact tuple is returned as is).
    fn PySequence_Tuple(o: *mut PyObject) -> *mut PyObject [null_mut()] {
        tuple::from_iterable(obj(o)?).map(PyRef::into_raw)
    }
    /// `list(o)`: any iterable, always a new list.
    fn PySequence_List(o: *mut PyObject) -> *mut PyObject [null_mut()] {
        list::from_iterable(obj(o)?).map(PyRef::into_raw)
    }
    fn PySequence_Contains(o: *mut PyObject, v: *mut PyObject) -> c_int [-1] {
        let o = obj(o)?;
        if v.is_null() {
            // CPython hands NULL to the comparison of the first item, which rejects it: an
            // empty container answers 0, another fails.
            let items = tuple::from_iterable(o)?;
            return if tuple::len(&items) == 0 { Ok(0) } else { Err(crate::boundary::bad_internal_call()) };
        }
        let v = obj(v)?;
        if let Some(f) = o.ob_type().slots().tp_as_sequence.as_ref().and_then(|s| s.sq_contains) {
            return pyrite_vm::slot::from_status(f(o.as_ptr(), v.as_ptr()));
        }
        // Without sq_contains: search by iterating, as `in` does.
        let t = tuple::from_iterable(o)?;
        abstract_::contains_in(tuple::items(&t), v).map(c_int::from)
    }
    fn PyMapping_Check(o: *mut PyObject) -> c_int [0] {
        if o.is_null() { return Ok(0); }
        let o = obj(o)?;
        Ok(abstract_::mapping_check(o) as c_int)
    }
    fn PyMapping_Size(o: *mut PyObject) -> Py_ssize_t [-1] {
        let o = obj(o)?;
        match o.ob_type().slots().tp_as_mapping.as_ref().and_then(|m| m.mp_length) {
            Some(f) => { let n = f(o.as_ptr()); if n < 0 { Err(pyrite_vm::PyErr::fetch()) } else { Ok(n) } }
            None => Err(raise!(TypeError, "object of type '{}' has no len()", o.ob_type().name())),
        }
    }
    fn PyMapping_Length(o: *mut PyObject) -> Py_ssize_t [-1] { Ok(PyMapping_Size(o)) }
    fn PyMapping_GetItemString(o: *mut PyObject, key: *const c_char) -> *mut PyObject [null_mut()] {
        abstract_::getitem(obj(o)?, &unicode::new(cstr(key)?)).map(PyRef::into_raw)
    }
    fn PyMapping_SetItemString(o: *mut PyObject, key: *const c_char, v: *mut PyObject) -> c_int [-1] {
        abstract_::setitem(obj(o)?, &unicode::new(cstr(key)?), Some(obj(v)?)).map(|_| 0)
    }
    fn PyIndex_Check(o: *mut PyObject) -> c_int [0] {
        let o = obj(o)?;
        Ok(o.ob_type().slots().tp_as_number.as_ref().is_some_and(|n| n.nb_index.is_some()) as c_int)
    }
    fn PyNumber_Check(o: *mut PyObject) -> c_int [0] {
        let o = obj(o)?;
        Ok(o.ob_type().slots().tp_as_number.as_ref().is_some_and(|n| n.nb_index.is_some() || n.nb_int.is_some() || n.nb_float.is_some()) as c_int)
    }
    fn PyNumber_Index(o: *mut PyObject) -> *mut PyObject [null_mut()] { abstract_::index(obj(o)?).map(PyRef::into_raw) }
    fn PyNumber_AsSsize_t(o: *mut PyObject, exc: *mut PyObject) -> Py_ssize_t [-1] {
        let v = abstract_::index(obj(o)?)?;
        match long::to_i64(&v) {
            Some(x) => Ok(x as Py_ssize_t),
            None if exc.is_null() => Ok(if long::is_negative(&v) { Py_ssize_t::MIN } else { Py_ssize_t::MAX }),
            None => {
                let msg = format!("cannot fit '{}' into an index-sized integer", obj(o)?.ob_type().name());
                crate::pyerrors::normalize(obj(exc)?, Some(&unicode::new(&msg)))?.restore();
                Ok(-1)
            }
        }
    }
}
