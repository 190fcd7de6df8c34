//! `dictobject.h`.

use core::ffi::{c_char, c_int};
use core::ptr::null_mut;

use pyrite_abi::*;
use pyrite_vm::objects::{dict, frozendict, unicode};
use pyrite_vm::{PyErr, PyRef, Obj, PyResult};

use crate::boundary::{cstr, obj};
use crate::capi;

fn require_dict(o: &Obj) -> PyResult<&Obj> {
    if dict::check(o) { Ok(o) } else { Err(crate::boundary::bad_internal_call()) }
}

/// The dict to read for a function that also takes a frozendict (CPython 3.15's
/// `PyAnyDict_Check`): the dict itself, or the frozendict's items.
fn readable(o: &Obj) -> Option<&Obj> {
    if dict::check(o) {
        Some(o)
    } else if frozendict::check(o) {
        Some(frozendict::items(o))
    } else {
        None
    }
}

/// A dict to change; a frozendict is a `TypeError` (`what`: "assignment" or "deletion").
fn require_mutable<'a>(o: &'a Obj, what: &str) -> PyResult<&'a Obj> {
    if frozendict::check(o) {
        return Err(pyrite_vm::raise!(TypeError, "frozendict object does not support item {what}"));
    }
    require_dict(o)
}

fn require_anydict(o: &Obj) -> PyResult<&Obj> {
    readable(o).ok_or_else(crate::boundary::bad_internal_call)
}

capi! {
    fn PyDict_New() -> *mut PyObject [null_mut()] { Ok(dict::new().into_raw()) }
    fn PyDictProxy_New(m: *mut PyObject) -> *mut PyObject [null_mut()] {
        Ok(pyrite_vm::objects::mappingproxy::new(obj(m)?)?.into_raw())
    }
    fn PyDict_SetItem(d: *mut PyObject, k: *mut PyObject, v: *mut PyObject) -> c_int [-1] {
        dict::set_item(require_mutable(obj(d)?, "assignment")?, obj(k)?, obj(v)?).map(|_| 0)
    }
    fn PyDict_SetItemString(d: *mut PyObject, k: *const c_char, v: *mut PyObject) -> c_int [-1] {
        dict::set_item(require_mutable(obj(d)?, "assignment")?, &unicode::new(cstr(k)?), obj(v)?).map(|_| 0)
    }
    /// Borrowed; a missing key and a non-dict answer NULL, other errors (an unhashable key)
    /// are reported as unraisable (CPython 3.14+).
    fn PyDict_GetItem(d: *mut PyObject, k: *mut PyObject) -> *mut PyObject [null_mut()] {
        if d.is_null() || k.is_null() { return Ok(null_mut()); }
        let Some(d) = readable(Obj::from_ptr(d)) else { return Ok(null_mut()); };
        Ok(get_item_or_unraisable(d, Obj::from_ptr(k), "PyDict_GetItem"))
    }
    fn PyDict_GetItemString(d: *mut PyObject, k: *const c_char) -> *mut PyObject [null_mut()] {
        if d.is_null() { return Ok(null_mut()); }
        let Some(d) = readable(Obj::from_ptr(d)) else { return Ok(null_mut()); };
        match cstr(k) {
            Ok(key) => Ok(get_item_or_unraisable(d, &unicode::new(key), "PyDict_GetItemString")),
            Err(e) => {
                unraisable(e, "PyDict_GetItemString");
                Ok(null_mut())
            }
        }
    }
    fn PyDict_GetItemWithError(d: *mut PyObject, k: *mut PyObject) -> *mut PyObject [null_mut()] {
        let d = require_anydict(obj(d)?)?;
        // Borrowed: the value stays owned by the dict.
        Ok(match dict::get_item(d, obj(k)?)? { Some(v) => { let p = v.as_ptr(); drop(v); p } None => null_mut() })
    }
    fn PyDict_GetItemRef(d: *mut PyObject, k: *mut PyObject, result: *mut *mut PyObject) -> c_int [-1] {
        *result = null_mut();
        let dd = require_anydict(obj(d)?)?;
        match dict::get_item(dd, obj(k)?)? { Some(v) => { *result = v.into_raw(); Ok(1) } None => Ok(0) }
    }
    fn PyDict_GetItemStringRef(d: *mut PyObject, k: *const c_char, result: *mut *mut PyObject) -> c_int [-1] {
        let key = unicode::new(cstr(k)?);
        Ok(PyDict_GetItemRef(d, key.as_ptr(), result))
    }
    fn PyDict_DelItem(d: *mut PyObject, k: *mut PyObject) -> c_int [-1] {
        dict::del_item(require_mutable(obj(d)?, "deletion")?, obj(k)?).map(|_| 0)
    }
    fn PyDict_DelItemString(d: *mut PyObject, k: *const c_char) -> c_int [-1] {
        dict::del_item(require_mutable(obj(d)?, "deletion")?, &unicode::new(cstr(k)?)).map(|_| 0)
    }
    fn PyDict_Contains(d: *mut PyObject, k: *mut PyObject) -> c_int [-1] {
        dict::contains(require_anydict(obj(d)?)?, obj(k)?).map(c_int::from)
    }
    fn PyDict_ContainsString(d: *mut PyObject, k: *const c_char) -> c_int [-1] {
        dict::contains(require_anydict(obj(d)?)?, &unicode::new(cstr(k)?)).map(c_int::from)
    }
    fn PyDict_Size(d: *mut PyObject) -> Py_ssize_t [-1] {
        Ok(dict::len(require_anydict(obj(d)?)?) as Py_ssize_t)
    }
    fn PyDict_Next(d: *mut PyObject, pos: *mut Py_ssize_t, k: *mut *mut PyObject, v: *mut *mut PyObject) -> c_int [0] {
        if d.is_null() { return Ok(0); }
        let Some(d) = readable(Obj::from_ptr(d)) else { return Ok(0); };
        let mut p = (*pos).max(0) as usize;
        match dict::next(d, &mut p) {
            Some((kk, vv)) => {
                *pos = p as Py_ssize_t;
                if !k.is_null() { *k = kk.as_ptr(); }
                if !v.is_null() { *v = vv.as_ptr(); }
                Ok(1)
            }
            None => Ok(0),
        }
    }
    fn PyDict_Keys(d: *mut PyObject) -> *mut PyObject [null_mut()] { Ok(dict::keys(require_anydict(obj(d)?)?).into_raw()) }
    fn PyDict_Values(d: *mut PyObject) -> *mut PyObject [null_mut()] { Ok(dict::values(require_anydict(obj(d)?)?).into_raw()) }
    fn PyDict_Items(d: *mut PyObject) -> *mut PyObject [null_mut()] { Ok(dict::items(require_anydict(obj(d)?)?).into_raw()) }
    fn PyDict_Clear(d: *mut PyObject) -> () [()] {
        if !d.is_null() && dict::check(Obj::from_ptr(d)) { dict::clear(Obj::from_ptr(d)); }
        Ok(())
    }
    fn PyDict_Copy(d: *mut PyObject) -> *mut PyObject [null_mut()] { dict::copy(require_dict(obj(d)?)?).map(PyRef::into_raw) }
    /// `b` may be any mapping (read through `keys()` and `b[key]`).
    fn PyDict_Update(a: *mut PyObject, b: *mut PyObject) -> c_int [-1] {
        dict::merge(require_mutable(obj(a)?, "assignment")?, obj(b)?, true).map(|_| 0)
    }
    fn PyDict_Merge(a: *mut PyObject, b: *mut PyObject, override_: c_int) -> c_int [-1] {
        dict::merge(require_mutable(obj(a)?, "assignment")?, obj(b)?, override_ != 0).map(|_| 0)
    }
    fn PyDict_MergeFromSeq2(d: *mut PyObject, seq: *mut PyObject, override_: c_int) -> c_int [-1] {
        dict::merge_from_seq2(require_mutable(obj(d)?, "assignment")?, obj(seq)?, override_ != 0).map(|_| 0)
    }
    fn PyDict_SetDefaultRef(d: *mut PyObject, k: *mut PyObject, default: *mut PyObject, result: *mut *mut PyObject) -> c_int [-1] {
        if !result.is_null() { *result = null_mut(); }
        let (d, k) = (require_mutable(obj(d)?, "assignment")?, obj(k)?);
        let present = dict::contains(d, k)?;
        let v = dict::set_default(d, k, obj(default)?)?;
        if !result.is_null() { *result = v.into_raw(); }
        Ok(present as c_int)
    }
    fn PyDict_Pop(d: *mut PyObject, k: *mut PyObject, result: *mut *mut PyObject) -> c_int [-1] {
        if !result.is_null() { *result = null_mut(); }
        let (d, k) = (require_mutable(obj(d)?, "deletion")?, obj(k)?);
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

/// `PyDict_GetItem`'s lookup: the value borrowed, or NULL; an error other than a missing key
/// is reported as unraisable. The caller's exception, if any, is kept.
fn get_item_or_unraisable(d: &Obj, k: &Obj, func: &str) -> *mut PyObject {
    let saved = PyErr::take();
    // Hashed here: CPython's message is the bare `unhashable type: ...`.
    let r = match pyrite_vm::abstract_::hash(k).and_then(|h| dict::get_item_hashed(d, k, h)) {
        // Borrowed: the value stays owned by the dict.
        Ok(Some(v)) => v.as_ptr(),
        Ok(None) => null_mut(),
        Err(e) => {
            unraisable(e, func);
            null_mut()
        }
    };
    if let Some(e) = saved { e.restore(); }
    r
}

fn unraisable(e: PyErr, func: &str) {
    pyrite_vm::traceback::write_unraisable(
        &format!("Exception ignored in {func}(); consider using {func}Ref() or PyDict_GetItemWithError()"),
        &e,
    );
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
