//! `PyMethodDef` and the `METH_*` calling conventions (`methodobject.h`).

use core::ffi::{c_char, c_int, c_void};

/// `PyMethodDef`: 32 bytes. `ml_meth` is stored untyped; its real signature is chosen by
/// `ml_flags` (see `vm`'s method dispatch).
#[repr(C)]
pub struct PyMethodDef {
    pub ml_name: *const c_char,
    pub ml_meth: *mut c_void,
    pub ml_flags: c_int,
    pub ml_doc: *const c_char,
}

pub const METH_VARARGS: c_int = 0x0001;
/// Not in the manifest, but usable under the limited API (`METH_VARARGS | METH_KEYWORDS`).
pub const METH_KEYWORDS: c_int = 0x0002;
pub const METH_NOARGS: c_int = 0x0004;
pub const METH_O: c_int = 0x0008;
pub const METH_CLASS: c_int = 0x0010;
pub const METH_STATIC: c_int = 0x0020;
pub const METH_COEXIST: c_int = 0x0040;
pub const METH_FASTCALL: c_int = 0x0080;
/// 0 unless Stackless; listed for completeness.
pub const METH_STACKLESS: c_int = 0x0000;
pub const METH_METHOD: c_int = 0x0200;
