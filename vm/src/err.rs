//! Exceptions on the Rust side (`PyErr`, `PyResult`) and the thread's error indicator.
//!
//! At the C boundary an `Err` becomes "set the current exception and return NULL/-1", and a
//! NULL from C becomes `Err(PyErr::fetch())`; a C function that returns NULL without setting an
//! exception is a `SystemError`, worded as CPython words it.

use core::cell::Cell;
use core::fmt;

use pyrite_abi::PyObject;

use crate::object::{Obj, PyRef};
use crate::objects::exceptions as exc;
use crate::objects::type_::TypeObj;

/// An exception instance (always normalized: CPython 3.12's model).
pub struct PyErr(PyRef);

pub type PyResult<T> = Result<T, PyErr>;

thread_local! {
    /// The thread's current exception (`PyErr_Occurred`), an owned reference or NULL.
    static CURRENT_EXCEPTION: Cell<*mut PyObject> = const { Cell::new(core::ptr::null_mut()) };
}

impl PyErr {
    /// `ty(msg)`: an exception of type `ty` with one string argument.
    pub fn new(ty: &TypeObj, msg: impl AsRef<str>) -> PyErr {
        let msg = crate::objects::unicode::new(msg.as_ref());
        PyErr::from_type_and_arg(ty, &msg)
    }

    /// `ty(arg)`, or `ty()` for `None`-like calls through [`PyErr::from_type_no_args`].
    pub fn from_type_and_arg(ty: &TypeObj, arg: &Obj) -> PyErr {
        match crate::abstract_::call_one_arg(ty, arg) {
            Ok(v) => PyErr::from_value(v),
            Err(e) => e,
        }
    }

    pub fn from_type_no_args(ty: &TypeObj) -> PyErr {
        match crate::abstract_::call_no_args(ty) {
            Ok(v) => PyErr::from_value(v),
            Err(e) => e,
        }
    }

    /// Wraps an exception instance. A non-exception becomes `TypeError`, as CPython's
    /// `PyErr_SetObject` would complain.
    pub fn from_value(v: PyRef) -> PyErr {
        if v.is_instance_of(exc::BaseException()) {
            PyErr(v)
        } else {
            PyErr::new(exc::TypeError(), "exceptions must derive from BaseException")
        }
    }

    /// Takes the current exception, or a `SystemError` if none is set: the caller saw an
    /// error return.
    pub fn fetch() -> PyErr {
        PyErr::take().unwrap_or_else(|| {
            PyErr::new(exc::SystemError(), "error return without exception set")
        })
    }

    /// Takes the current exception if there is one (`PyErr_GetRaisedException`).
    pub fn take() -> Option<PyErr> {
        let p = CURRENT_EXCEPTION.with(|c| c.replace(core::ptr::null_mut()));
        // SAFETY: the indicator holds an owned reference or NULL.
        unsafe { PyRef::from_raw_opt(p) }.map(PyErr)
    }

    /// Makes this the thread's current exception (`PyErr_SetRaisedException`).
    pub fn restore(self) {
        set_raised(self.0.into_raw());
    }

    pub fn value(&self) -> &Obj {
        &self.0
    }

    pub fn into_value(self) -> PyRef {
        self.0
    }

    pub fn type_obj(&self) -> &TypeObj {
        self.0.ob_type()
    }

    /// Whether the exception matches `ty` (a type or a tuple of types), as `except ty:` does.
    pub fn matches(&self, ty: &Obj) -> bool {
        given_exception_matches(&self.0, ty)
    }

    pub fn is_instance(&self, ty: &TypeObj) -> bool {
        self.0.is_instance_of(ty)
    }
}

impl fmt::Debug for PyErr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: ", self.type_obj().name())?;
        match crate::abstract_::str(&self.0) {
            Ok(s) => f.write_str(&crate::objects::unicode::as_str_lossy(&s)),
            Err(_) => f.write_str("<unprintable>"),
        }
    }
}

/// Replaces the current exception with `p` (an owned reference or NULL).
pub fn set_raised(p: *mut PyObject) {
    let old = CURRENT_EXCEPTION.with(|c| c.replace(p));
    // SAFETY: the indicator held an owned reference or NULL.
    unsafe { crate::object::xdecref(old) }
}

/// `PyErr_Occurred`: the current exception's type, borrowed, or NULL.
#[inline]
pub fn occurred() -> *mut PyObject {
    let p = CURRENT_EXCEPTION.with(|c| c.get());
    if p.is_null() {
        p
    } else {
        // SAFETY: p is a live exception instance.
        unsafe { (*p).ob_type as *mut PyObject }
    }
}

/// The current exception, borrowed, or NULL.
pub fn current_raw() -> *mut PyObject {
    CURRENT_EXCEPTION.with(|c| c.get())
}

/// `PyErr_NoMemory`.
pub fn set_no_memory() {
    PyErr::from_type_no_args(exc::MemoryError()).restore()
}

/// `PyErr_GivenExceptionMatches`: `err` (an instance or a class) against `ty` (a class or a
/// tuple of classes, recursively).
pub fn given_exception_matches(err: &Obj, ty: &Obj) -> bool {
    if let Some(items) = crate::objects::tuple::as_slice_if_tuple(ty) {
        return items.iter().any(|t| given_exception_matches(err, t));
    }
    let err_ty: &TypeObj = match TypeObj::downcast(err) {
        Some(t) => t,
        None => err.ob_type(),
    };
    match TypeObj::downcast(ty) {
        Some(t) => err_ty.is(t) || err_ty.is_subtype(t),
        None => err.is(ty),
    }
}

/// Builds a `PyErr` of the named built-in exception type from a format string.
#[macro_export]
macro_rules! raise {
    ($ty:ident, $($fmt:tt)+) => {
        $crate::err::PyErr::new($crate::objects::exceptions::$ty(), format!($($fmt)+))
    };
}
