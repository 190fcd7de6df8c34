//! `dictobject.h`.

use core::ffi::{c_char, c_int};
use core::ptr::null_mut;

use pyrite_abi::*;
use pyrite_vm::objects::{dict, unicode};
use pyrite_vm::{PyErr, PyRef, Obj, PyResult};

use crate::boundary::{cstr, obj};
use crate::capi;

fn require_dict(o: &Obj) -> PyResult<&Obj> {
    if dict::check(o) { Ok(o) } else { Err(crate::boundary::bad_internal_call()) }
}

capi! {
    fn PyDict_New() -> *mut PyObject [null_mut()] { Ok(dict::new().into_raw()) }
    fn PyDictProxy_New(m: *mut PyObject) -> *mut PyObject [null_mut()] {
        Ok(pyrite_vm::objects::mappingproxy::new(obj(m)?)?.into_raw())
    }
    fn PyDict_SetItem(d: *mut PyObject, k: *mut PyObject, v: *mut PyObject) -> c_int [-1] {
        dict::set_item(require_dict(obj(d)?)?, obj(k)?, obj(v)?).map(|_| 0)
    }
    fn PyDict_SetItemString(d: *mut PyObject, k: *const c_char, v: *mut PyObject) -> c_int [-1] {
        dict::set_item(require_dict(obj(d)?)?, &unicode::new(cstr(k)?), obj(v)?).map(|_| 0)
    }
    /// Borrowed, and errors are swallowed (CPython's historical behaviour).
    fn PyDict_GetItem(d: *mut PyObject, k: *mut PyObject) -> *mut PyObject [null_mut()] {
        if d.is_null() || k.is_null() || !dict::check(Obj::from_ptr(d)) { return Ok(null_mut()); }
        let saved = PyErr::take();
        let r = dict::get_item_borrowed(Obj::from_ptr(d), Obj::from_ptr(k)).map_or(null_mut(), |v| v.as_ptr());
        drop(PyErr::take());
        if let Some(e) = saved { e.restore(); }
        Ok(r)
    }
    fn PyDict_GetItemString(d: *mut PyObject, k: *const c_char) -> *mut PyObject [null_mut()] {
        let key = unicode::new(cstr(k)?);
        Ok(PyDict_GetItem(d, key.as_ptr()))
    }
    fn PyDict_GetItemWithError(d: *mut PyObject, k: *mut PyObject) -> *mut PyObject [null_mut()] {
        let d = require_dict(obj(d)?)?;
        // Borrowed: the value stays owned by the dict.
        Ok(match dict::get_item(d, obj(k)?)? { Some(v) => { let p = v.as_ptr(); drop(v); p } None => null_mut() })
    }
    fn PyDict_GetItemRef(d: *mut PyObject, k: *mut PyObject, result: *mut *mut PyObject) -> c_int [-1] {
        *result = null_mut();
        let dd = obj(d)?;
        if !dict::check(dd) { return Err(pyrite_vm::raise!(SystemError, "bad argument to internal function")); }
        match dict::get_item(dd, obj(k)?)? { Some(v) => { *result = v.into_raw(); Ok(1) } None => Ok(0) }
    }
    fn PyDict_GetItemStringRef(d: *mut PyObject, k: *const c_char, result: *mut *mut PyObject) -> c_int [-1] {
        let key = unicode::new(cstr(k)?);
        Ok(PyDict_GetItemRef(d, key.as_ptr(), result))
    }
    fn PyDict_DelItem(d: *mut PyObject, k: *mut PyObject) -> c_int [-1] {
        dict::del_item(require_dict(obj(d)?)?, obj(k)?).map(|_| 0)
    }
    fn PyDict_DelItemString(d: *mut PyObject, k: *const c_char) -> c_int [-1] {
        dict::del_item(require_dict(obj(d)?)?, &unicode::new(cstr(k)?)).map(|_| 0)
    }
    fn PyDict_Contains(d: *mut PyObject, k: *mut PyObject) -> c_int [-1] {
        dict::contains(require_dict(obj(d)?)?, obj(k)?).map(c_int::from)
    }
    fn PyDict_ContainsString(d: *mut PyObject, k: *const c_char) -> c_int [-1] {
        dict::contains(require_dict(obj(d)?)?, &unicode::new(cstr(k)?)).map(c_int::from)
    }
    fn PyDict_Size(d: *mut PyObject) -> Py_ssize_t [-1] {
        Ok(dict::len(require_dict(obj(d)?)?) as Py_ssize_t)
    }
    fn PyDict_Next(d: *mut PyObject, pos: *mut Py_ssize_t, k: *mut *mut PyObject, v: *mut *mut PyObject) -> c_int [0] {
        if d.is_null() || !dict::check(Obj::from_ptr(d)) { return Ok(0); }
        let mut p = (*pos).max(0) as usize;
        match dict::next(Obj::from_ptr(d), &mut p) {
            Some((kk, vv)) => {
                *pos = p as Py_ssize_t;
                if !k.is_null() { *k = kk.as_ptr(); }
                if !v.is_null() { *v = vv.as_ptr(); }
                Ok(1)
            }
            None => Ok(0),
        }
    }
    fn PyDict_Keys(d: *mut PyObject) -> *mut PyObject [null_mut()] { Ok(dict::keys(require_dict(obj(d)?)?).into_raw()) }
    fn PyDict_Values(d: *mut PyObject) -> *mut PyObject [null_mut()] { Ok(dict::values(require_dict(obj(d)?)?).into_raw()) }
    fn PyDict_Items(d: *mut PyObject) -> *mut PyObject [null_mut()] { Ok(dict::items(require_dict(obj(d)?)?).into_raw()) }
    fn PyDict_Clear(d: *mut PyObject) -> () [()] {
        if !d.is_null() && dict::check(Obj::from_ptr(d)) { dict::clear(Obj::from_ptr(d)); }
        Ok(())
    }
    fn PyDict_Copy(d: *mut PyObject) -> *mut PyObject [null_mut()] { dict::copy(require_dict(obj(d)?)?).map(PyRef::into_raw) }
    /// `b` may be any mapping (read through `keys()` and `b[key]`).
    fn PyDict_Update(a: *mut PyObject, b: *mut PyObject) -> c_int [-1] {
        dict::merge(require_dict(obj(a)?)?, obj(b)?, true).map(|_| 0)
    }
    fn PyDict_Merge(a: *mut PyObject, b: *mut PyObject, override_: c_int) -> c_int [-1] {
        dict::merge(require_dict(obj(a)?)?, obj(b)?, override_ != 0).map(|_| 0)
    }
    fn PyDict_MergeFromSeq2(d: *mut PyObject, seq: *mut PyObject, override_: c_int) -> c_int [-1] {
        dict::merge_from_seq2(require_dict(obj(d)?)?, obj(seq)?, override_ != 0).map(|_| 0)
    }
    fn PyDict_SetDefaultRef(d: *mut PyObject, k: *mut PyObject, default: *mut PyObject, result: *mut *mut PyObject) -> c_int [-1] {
        if !result.is_null() { *result = null_mut(); }
        let (d, k) = (require_dict(obj(d)?)?, obj(k)?);
        let present = dict::contains(d, k)?;
        let v = dict::set_default(d, k, obj(default)?)?;
        if !result.is_null() { *result = v.into_raw(); }
        Ok(present as c_int)
    }
    fn PyDict_Pop(d: *mut PyObject, k: *mut PyObject, result: *mut *mut PyObject) -> c_int [-1] {
        if !result.is_null() { *result = null_mut(); }
        let (d, k) = (require_dict(obj(d)?)?, obj(k)?);
        match dict::pop(d, k)? {
            Some(v) => {
                if !result.is_null() { *result = v.into_raw(); }
                Ok(1)
            }
            None => Ok(0),
        }
    }
    fn PyDict_PopString(d: *mut PyObject, k: *const c_char, result: *mut *mut PyObject) -> c_int [-1] {
        let key = unicode::new(cstr(k)?);
        Ok(PyDict_Pop(d, key.as_ptr(), result))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pyrite_vm::objects::{list, long, tuple};

    #[test]
    fn dict_merge_functions() {
        crate::initialize();
        // SAFETY: C API calls with live arguments.
        unsafe {
            let d = PyDict_New();
            let pairs = list::new_from_owned(vec![
                tuple::new_from_owned(vec![long::from_i64(1), long::from_i64(2)]),
                tuple::new_from_owned(vec![long::from_i64(1), long::from_i64(3)]),
            ]);
            assert_eq!(PyDict_MergeFromSeq2(d, pairs.as_ptr(), 0), 0);
            assert_eq!(long::to_i64(Obj::from_ptr(PyDict_GetItem(d, long::from_i64(1).as_ptr()))), Some(2), "no override");
            assert_eq!(PyDict_MergeFromSeq2(d, pairs.as_ptr(), 1), 0);
            assert_eq!(long::to_i64(Obj::from_ptr(PyDict_GetItem(d, long::from_i64(1).as_ptr()))), Some(3));
            assert_eq!(PyDict_Update(d, long::from_i64(5).as_ptr()), -1);
            assert_eq!(format!("{:?}", PyErr::take().unwrap()), "AttributeError: 'int' object has no attribute 'keys'");
            let mut out = null_mut();
            assert_eq!(PyDict_SetDefaultRef(d, long::from_i64(7).as_ptr(), long::from_i64(8).as_ptr(), &mut out), 0);
            pyrite_vm::object::decref(out);
            assert_eq!(PyDict_SetDefaultRef(d, long::from_i64(7).as_ptr(), long::from_i64(9).as_ptr(), &mut out), 1);
            assert_eq!(long::to_i64(Obj::from_ptr(out)), Some(8));
            pyrite_vm::object::decref(out);
            assert_eq!(PyDict_Pop(d, long::from_i64(7).as_ptr(), &mut out), 1);
            pyrite_vm::object::decref(out);
            assert_eq!(PyDict_Pop(d, long::from_i64(7).as_ptr(), &mut out), 0);
            assert!(out.is_null());
            pyrite_vm::object::decref(d);
        }
    }
}
