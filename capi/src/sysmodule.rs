//! `sysmodule.h`, the parts that need no `sys` module yet.

use core::ffi::{c_char, c_int};
use core::ptr::null_mut;

use pyrite_abi::*;

use crate::capi;

capi! {
    /// Returns the attribute of `sys`, or NULL *without* an exception if it does not exist.
    /// Pyrite has no `sys` module until the language lands, so no attribute exists yet:
    /// callers (like `PySys_WriteStdout`) fall back to the C streams, as CPython's do.
    fn PySys_GetObject(_name: *const c_char) -> *mut PyObject [null_mut()] { Ok(null_mut()) }
    /// No audit hooks can be installed yet (`sys.addaudithook` comes with `sys`): nothing to call.
    fn PySys_AuditTuple(_event: *const c_char, _args: *mut PyObject) -> c_int [-1] { Ok(0) }
}
