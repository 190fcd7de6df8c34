//! `abstract.h` calls: `PyObject_Call*` and vectorcall.


use core::ptr::null_mut;

use pyrite_abi::*;
use pyrite_vm::objects::{dict, tuple};
use pyrite_vm::slot::opt_arg;
use pyrite_vm::{abstract_, raise, PyRef};

use crate::boundary::obj;
use crate::capi;

capi! {
    fn PyObject_Call(callable: *mut PyObject, args: *mut PyObject, kwargs: *mut PyObject) -> *mut PyObject [null_mut()] {
        let args = obj(args)?;
        if !tuple::check(args) { return Err(raise!(TypeError, "argument list must be a tuple")); }
        let kw = opt_arg(kwargs);
        if kw.is_some_and(|k| !dict::check(k)) { return Err(raise!(TypeError, "keyword list must be a dictionary")); }
        abstract_::call(obj(callable)?, args, kw).map(PyRef::into_raw)
    }
    fn PyObject_CallObject(callable: *mut PyObject, args: *mut PyObject) -> *mut PyObject [null_mut()] {
        match opt_arg(args) {
            None => abstract_::call_no_args(obj(callable)?).map(PyRef::into_raw),
            Some(a) if tuple::check(a) => abstract_::call(obj(callable)?, a, None).map(PyRef::into_raw),
            Some(_) => Err(raise!(TypeError, "argument list must be a tuple")),
        }
    }
    fn PyEval_CallObjectWithKeywords(callable: *mut PyObject, args: *mut PyObject, kwargs: *mut PyObject) -> *mut PyObject [null_mut()] {
        let t = match opt_arg(args) { Some(a) => a.new_ref(), None => tuple::empty() };
        if !tuple::check(&t) { return Err(raise!(TypeError, "argument list must be a tuple")); }
        if opt_arg(kwargs).is_some_and(|k| !pyrite_vm::objects::dict::check(k)) {
            return Err(raise!(TypeError, "keyword list must be a dictionary"));
        }
        abstract_::call(obj(callable)?, &t, opt_arg(kwargs)).map(PyRef::into_raw)
    }
    fn PyObject_CallNoArgs(callable: *mut PyObject) -> *mut PyObject [null_mut()] {
        abstract_::call_no_args(obj(callable)?).map(PyRef::into_raw)
    }
    fn PyObject_CallOneArg(callable: *mut PyObject, arg: *mut PyObject) -> *mut PyObject [null_mut()] {
        abstract_::call_one_arg(obj(callable)?, obj(arg)?).map(PyRef::into_raw)
    }
    fn PyObject_Vectorcall(callable: *mut PyObject, args: *const *mut PyObject, nargsf: usize, kwnames: *mut PyObject) -> *mut PyObject [null_mut()] {
        abstract_::vectorcall(obj(callable)?, args, nargsf, kwnames).map(PyRef::into_raw)
    }
    fn PyObject_VectorcallDict(callable: *mut PyObject, args: *const *mut PyObject, nargsf: usize, kwdict: *mut PyObject) -> *mut PyObject [null_mut()] {
        let n = nargsf & !PY_VECTORCALL_ARGUMENTS_OFFSET;
        let t = pyrite_vm::objects::methodobject::args_tuple(args, n);
        abstract_::call(obj(callable)?, &t, opt_arg(kwdict)).map(PyRef::into_raw)
    }
    fn PyObject_VectorcallMethod(name: *mut PyObject, args: *const *mut PyObject, nargsf: usize, kwnames: *mut PyObject) -> *mut PyObject [null_mut()] {
        let n = nargsf & !PY_VECTORCALL_ARGUMENTS_OFFSET;
        if n == 0 { return Err(crate::boundary::bad_internal_call()); }
        let m = abstract_::getattr(obj(*args)?, obj(name)?)?;
        abstract_::vectorcall(&m, args.add(1), n - 1, kwnames).map(PyRef::into_raw)
    }
    fn PyVectorcall_Call(callable: *mut PyObject, args: *mut PyObject, kwargs: *mut PyObject) -> *mut PyObject [null_mut()] {
        Ok(abstract_::vectorcall_call(callable, args, kwargs))
    }
    fn PyVectorcall_NARGS(nargsf: usize) -> Py_ssize_t [-1] { Ok((nargsf & !PY_VECTORCALL_ARGUMENTS_OFFSET) as Py_ssize_t) }
}

