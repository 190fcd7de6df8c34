//! `PyModuleDef`, its base and slots (`moduleobject.h`).

use core::ffi::{c_char, c_int, c_void};

use crate::methodobject::PyMethodDef;
use crate::object::PyObject;
use crate::typeobject::{freefunc, inquiry, traverseproc};
use crate::Py_ssize_t;

/// `PyModuleDef_Base`: starts with an object head that `PyModuleDef_HEAD_INIT` fills
/// differently per header vintage (1; 0xFFFFFFFF; 0x00050000C0000000) — contract §2.2.
#[repr(C)]
pub struct PyModuleDef_Base {
    pub ob_base: PyObject,
    pub m_init: Option<unsafe extern "C" fn() -> *mut PyObject>,
    pub m_index: Py_ssize_t,
    pub m_copy: *mut PyObject,
}

/// `PyModuleDef`: 104 bytes. `m_slots` was `m_reload` (always NULL) before 3.5.
#[repr(C)]
pub struct PyModuleDef {
    pub m_base: PyModuleDef_Base,
    pub m_name: *const c_char,
    pub m_doc: *const c_char,
    pub m_size: Py_ssize_t,
    pub m_methods: *mut PyMethodDef,
    pub m_slots: *mut PyModuleDef_Slot,
    pub m_traverse: traverseproc,
    pub m_clear: inquiry,
    pub m_free: freefunc,
}

/// `PyModuleDef_Slot`: 16 bytes, array terminated by slot 0.
#[repr(C)]
pub struct PyModuleDef_Slot {
    pub slot: c_int,
    pub value: *mut c_void,
}

/// Module slot ids. PEP 820 renumbered 1–4 in 3.15; binaries built with `Py_LIMITED_API`
/// below 3.15 carry the old numbers, so the runtime accepts both.
pub mod mod_slot {
    use core::ffi::c_int;
    pub const Py_mod_create_OLD: c_int = 1;
    pub const Py_mod_exec_OLD: c_int = 2;
    pub const Py_mod_multiple_interpreters_OLD: c_int = 3;
    pub const Py_mod_gil_OLD: c_int = 4;
    pub const Py_mod_create: c_int = 84;
    pub const Py_mod_exec: c_int = 85;
    pub const Py_mod_multiple_interpreters: c_int = 86;
    pub const Py_mod_gil: c_int = 87;
    pub const Py_mod_slots: c_int = 94;
    pub const Py_mod_name: c_int = 100;
    pub const Py_mod_doc: c_int = 101;
    pub const Py_mod_state_size: c_int = 102;
    pub const Py_mod_methods: c_int = 103;
    pub const Py_mod_state_traverse: c_int = 104;
    pub const Py_mod_state_clear: c_int = 105;
    pub const Py_mod_state_free: c_int = 106;
    pub const Py_mod_abi: c_int = 109;
    pub const Py_mod_token: c_int = 110;
}

pub const Py_MOD_GIL_USED: *mut c_void = core::ptr::null_mut();
pub const Py_MOD_GIL_NOT_USED: usize = 1;
pub const Py_MOD_MULTIPLE_INTERPRETERS_NOT_SUPPORTED: usize = 0;
pub const Py_MOD_MULTIPLE_INTERPRETERS_SUPPORTED: usize = 1;
pub const Py_MOD_PER_INTERPRETER_GIL_SUPPORTED: usize = 2;
