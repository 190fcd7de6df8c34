//! The C boundary: the [`capi!`] declaration macro and the panic barrier behind it.

use std::panic::{catch_unwind, AssertUnwindSafe};

use pyrite_vm::{PyErr, PyResult};

/// Declares exported C API functions. Each item
///
/// ```ignore
/// fn PyLong_FromLong(v: c_long) -> *mut PyObject [null] { Ok(long::from_i64(v as i64).into_raw()) }
/// ```
///
/// becomes `#[unsafe(no_mangle)] pub unsafe extern "C" fn PyLong_FromLong(...)` whose body
/// returns a `PyResult`: `Err` sets the thread's exception and returns the bracketed error
/// value; a panic becomes `SystemError` with the same error value. The body runs in an
/// unsafe context because every argument is a raw pointer whose validity is the C caller's
/// promise.
#[macro_export]
macro_rules! capi {
    ($(
        $(#[$m:meta])*
        fn $name:ident($($arg:ident : $ty:ty),* $(,)?) -> $ret:ty [$err:expr] $body:block
    )*) => {$(
        $(#[$m])*
        #[unsafe(no_mangle)]
        pub unsafe extern "C" fn $name($($arg: $ty),*) -> $ret {
            $crate::boundary::guard(stringify!($name), $err, move || -> pyrite_vm::PyResult<$ret> {
                #[allow(unused_unsafe)]
                unsafe { $body }
            })
        }
    )*};
}

/// Runs a shim body: `Err` and panics become the current exception plus `err`.
#[inline(always)]
pub fn guard<T>(name: &'static str, err: T, f: impl FnOnce() -> PyResult<T>) -> T {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(Ok(v)) => v,
        Ok(Err(e)) => {
            e.restore();
            err
        }
        Err(panic) => {
            let msg = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".into());
            PyErr::new(pyrite_vm::objects::exceptions::SystemError(), format!("{name}: internal error in Pyrite: {msg}"))
                .restore();
            err
        }
    }
}

/// What every generated stub does: raise `SystemError("<name> is not implemented in Pyrite yet")`.
#[cold]
pub fn not_implemented(name: &str) {
    PyErr::new(pyrite_vm::objects::exceptions::SystemError(), format!("{name} is not implemented in Pyrite yet")).restore();
}

/// `PyErr_BadInternalCall`'s error, for NULL arguments where C code must not pass them.
#[cold]
pub fn bad_internal_call() -> PyErr {
    PyErr::new(pyrite_vm::objects::exceptions::SystemError(), "bad argument to internal function")
}

/// The `SystemError` CPython's `Objects/abstract.c` raises for a NULL argument (its
/// `null_error()`; other files use `PyErr_BadInternalCall`'s message).
pub fn null_error() -> PyErr {
    PyErr::new(pyrite_vm::objects::exceptions::SystemError(), "null argument to internal routine")
}

/// Borrows a non-NULL argument, or fails with `null_error()`.
///
/// # Safety
/// `p` is NULL or a live object.
pub unsafe fn obj_nn<'a>(p: *mut pyrite_abi::PyObject) -> PyResult<&'a pyrite_vm::Obj> {
    if p.is_null() {
        return Err(null_error());
    }
    // SAFETY: guaranteed by the caller.
    Ok(unsafe { pyrite_vm::Obj::from_ptr(p) })
}

/// Borrows a non-NULL argument, or fails with `SystemError` as CPython's
/// `PyErr_BadInternalCall` does.
///
/// # Safety
/// `p` is NULL or a live object.
#[inline(always)]
pub unsafe fn obj<'a>(p: *mut pyrite_abi::PyObject) -> PyResult<&'a pyrite_vm::Obj> {
    if p.is_null() {
        return Err(bad_internal_call());
    }
    // SAFETY: guaranteed by the caller.
    Ok(unsafe { pyrite_vm::Obj::from_ptr(p) })
}

/// A C string argument as `&str` (UTF-8; invalid bytes are an error).
///
/// # Safety
/// `p` is NULL or a NUL-terminated string.
pub unsafe fn cstr<'a>(p: *const core::ffi::c_char) -> PyResult<&'a str> {
    if p.is_null() {
        return Err(bad_internal_call());
    }
    // SAFETY: guaranteed by the caller.
    let c = unsafe { core::ffi::CStr::from_ptr(p) };
    match c.to_str() {
        Ok(s) => Ok(s),
        // The UnicodeDecodeError CPython's PyUnicode_FromString would raise.
        Err(_) => Err(pyrite_vm::objects::unicode::from_utf8(c.to_bytes()).err().unwrap_or_else(bad_internal_call)),
    }
}
