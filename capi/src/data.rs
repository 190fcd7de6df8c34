//! Data symbols of the Stable ABI that are not objects the VM owns: version and encoding
//! settings, hooks, and `_Py_SwappedOp`.

use core::ffi::{c_char, c_int, c_ulong};

use pyrite_abi::*;
use pyrite_vm::object::SyncPtr;

/// `Py_Version`: the version Pyrite follows (3.15.0 final).
#[unsafe(no_mangle)]
pub static Py_Version: c_ulong = pyrite_abi::PY_VERSION_HEX as c_ulong;

/// `Py_FileSystemDefaultEncoding`: always UTF-8 on Linux under PEP 686 (3.15).
#[unsafe(no_mangle)]
pub static Py_FileSystemDefaultEncoding: SyncPtr<c_char> = SyncPtr(c"utf-8".as_ptr() as *mut c_char);

#[unsafe(no_mangle)]
pub static Py_FileSystemDefaultEncodeErrors: SyncPtr<c_char> = SyncPtr(c"surrogateescape".as_ptr() as *mut c_char);

/// `Py_HasFileSystemDefaultEncoding`: 0, as every CPython 3.x leaves it.
#[unsafe(no_mangle)]
pub static Py_HasFileSystemDefaultEncoding: c_int = 0;

/// `Py_UTF8Mode`: 3.15 enables UTF-8 mode by default (PEP 686).
#[unsafe(no_mangle)]
pub static Py_UTF8Mode: c_int = 1;

/// `PyOS_InputHook`: called by the REPL while waiting for input; none installed.
#[unsafe(no_mangle)]
pub static mut PyOS_InputHook: Option<unsafe extern "C" fn() -> c_int> = None;

/// `PyStructSequence_UnnamedField`.
#[unsafe(no_mangle)]
pub static PyStructSequence_UnnamedField: SyncPtr<c_char> = SyncPtr(c"unnamed field".as_ptr() as *mut c_char);

/// `_Py_SwappedOp`: the reflected comparison of each `Py_LT`..`Py_GE`.
#[unsafe(no_mangle)]
pub static _Py_SwappedOp: [c_int; 6] = [Py_GT, Py_GE, Py_EQ, Py_NE, Py_LT, Py_LE];
