//! `iterobject.h` and the iterator functions of `abstract.h`: `PyObject_GetIter`,
//! `PyIter_*`, `PySeqIter_New`, `PyCallIter_New`, `PyObject_GetAIter`.

use core::ffi::c_int;
use core::ptr::null_mut;

use pyrite_abi::*;
use pyrite_vm::objects::iterobject::{self, Send};
use pyrite_vm::{raise, PyRef};
#[cfg(test)]
use pyrite_vm::PyErr;

use crate::boundary::obj;
use crate::capi;

/// `PySendResult`.
const PYGEN_RETURN: c_int = 0;
const PYGEN_ERROR: c_int = -1;
const PYGEN_NEXT: c_int = 1;

capi! {
    fn PyObject_GetIter(o: *mut PyObject) -> *mut PyObject [null_mut()] {
        iterobject::get_iter(obj(o)?).map(PyRef::into_raw)
    }
    fn PyObject_GetAIter(o: *mut PyObject) -> *mut PyObject [null_mut()] {
        iterobject::get_aiter(obj(o)?).map(PyRef::into_raw)
    }
    fn PyIter_Check(o: *mut PyObject) -> c_int [0] {
        Ok(iterobject::is_iterator(obj(o)?) as c_int)
    }
    /// NULL without an exception at the end; a `StopIteration` raised by the iterator is
    /// cleared.
    fn PyIter_Next(it: *mut PyObject) -> *mut PyObject [null_mut()] {
        Ok(iterobject::next(obj(it)?)?.map_or(null_mut(), PyRef::into_raw))
    }
    /// 3.14: 1 and a new reference in `*item`, 0 at the end, -1 on error (`*item` NULL).
    fn PyIter_NextItem(it: *mut PyObject, item: *mut *mut PyObject) -> c_int [-1] {
        *item = null_mut();
        let it = obj(it)?;
        if !iterobject::is_iterator(it) {
            return Err(raise!(TypeError, "expected an iterator, got '{}'", it.ob_type().name()));
        }
        match iterobject::next(it)? {
            Some(v) => { *item = v.into_raw(); Ok(1) }
            None => Ok(0),
        }
    }
    fn PyIter_Send(it: *mut PyObject, arg: *mut PyObject, presult: *mut *mut PyObject) -> c_int [PYGEN_ERROR] {
        *presult = null_mut();
        match iterobject::send(obj(it)?, obj(arg)?) {
            Ok(Send::Next(v)) => { *presult = v.into_raw(); Ok(PYGEN_NEXT) }
            Ok(Send::Return(v)) => { *presult = v.into_raw(); Ok(PYGEN_RETURN) }
            Err(e) => Err(e),
        }
    }
    fn PySeqIter_New(seq: *mut PyObject) -> *mut PyObject [null_mut()] {
        Ok(iterobject::seq_iter_new(obj(seq)?).into_raw())
    }
    fn PyCallIter_New(callable: *mut PyObject, sentinel: *mut PyObject) -> *mut PyObject [null_mut()] {
        Ok(iterobject::call_iter_new(obj(callable)?, obj(sentinel)?).into_raw())
    }
}


#[cfg(test)]
mod tests {
    use super::*;
    use pyrite_vm::objects::{list, long, none};

    #[test]
    fn iterator_functions_follow_cpython() {
        crate::initialize();
        // SAFETY: C API calls with live arguments.
        unsafe {
            let l = list::new_from_owned(vec![long::from_i64(1), long::from_i64(2)]);
            assert_eq!(PyIter_Check(l.as_ptr()), 0);
            let it = PyObject_GetIter(l.as_ptr());
            assert_eq!(PyIter_Check(it), 1);
            let mut item = null_mut();
            assert_eq!(PyIter_NextItem(it, &mut item), 1);
            assert_eq!(long::to_i64(pyrite_vm::Obj::from_ptr(item)), Some(1));
            pyrite_vm::object::decref(item);
            let mut r = null_mut();
            assert_eq!(PyIter_Send(it, none::none_obj().as_ptr(), &mut r), PYGEN_NEXT);
            pyrite_vm::object::decref(r);
            assert_eq!(PyIter_Send(it, none::none_obj().as_ptr(), &mut r), PYGEN_RETURN);
            assert!(pyrite_vm::Obj::from_ptr(r).is(none::none_obj()));
            pyrite_vm::object::decref(r);
            assert_eq!(PyIter_NextItem(it, &mut item), 0);
            assert!(item.is_null());
            assert!(PyIter_Next(it).is_null());
            assert!(pyrite_vm::err::occurred().is_null(), "exhaustion sets no exception");
            assert_eq!(PyIter_NextItem(l.as_ptr(), &mut item), -1);
            let e = PyErr::take().unwrap();
            assert_eq!(format!("{e:?}"), "TypeError: expected an iterator, got 'list'");
            assert!(PyObject_GetIter(long::from_i64(3).as_ptr()).is_null());
            assert_eq!(format!("{:?}", PyErr::take().unwrap()), "TypeError: 'int' object is not iterable");
            pyrite_vm::object::decref(it);
        }
    }
}
