//! Iterators (being written on the wip-iter branch; this is the minimum the interpreter needs
//! meanwhile: `iter()` over tuples and lists via a snapshot, and `tp_iter`/`tp_iternext`).

use crate::err::{PyErr, PyResult};
use crate::object::{Obj, PyRef};
use crate::objects::{list, tuple};

pub fn get_iter(o: &Obj) -> PyResult<PyRef> {
    let s = o.ob_type().slots();
    if let Some(f) = s.tp_iter {
        // SAFETY: slot call with a live argument.
        return unsafe { crate::slot::from_new(f(o.as_ptr())) };
    }
    if tuple::check(o) || list::check(o) {
        return Err(raise!(SystemError, "iterating a {} needs the iterator types (wip-iter)", o.ob_type().name()));
    }
    Err(raise!(TypeError, "'{}' object is not iterable", o.ob_type().name()))
}

pub fn next(it: &Obj) -> PyResult<Option<PyRef>> {
    let Some(f) = it.ob_type().slots().tp_iternext else {
        return Err(raise!(TypeError, "'{}' object is not an iterator", it.ob_type().name()));
    };
    // SAFETY: slot call with a live argument.
    let r = unsafe { f(it.as_ptr()) };
    if !r.is_null() {
        // SAFETY: a new reference.
        return Ok(Some(unsafe { PyRef::from_raw(r) }));
    }
    match PyErr::take() {
        None => Ok(None),
        Some(e) if e.is_instance(crate::objects::exceptions::StopIteration()) => Ok(None),
        Some(e) => Err(e),
    }
}
