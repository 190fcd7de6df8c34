//! The object header (`object.h`): what every extension vintage compiles against.

use crate::typeobject::PyTypeObject;
use crate::Py_ssize_t;

/// `PyObject` as CPython 3.14/3.15 (GIL build) lays it out: a 64-bit refcount word
/// (low 32 bits: the count; then `ob_overflow: u16`, `ob_flags: u16`) and `ob_type` at +8.
///
/// The word is kept as one `u64` because extensions of different vintages access it
/// differently (64-bit `addq` from <=3.11 headers, 32-bit from 3.12+); see [`crate::refcount`].
#[repr(C)]
pub struct PyObject {
    pub ob_refcnt: u64,
    pub ob_type: *mut PyTypeObject,
}

/// `PyVarObject`: `ob_size` at +16 (`Py_SIZE`, inlined by extensions built with < 3.15 headers).
#[repr(C)]
pub struct PyVarObject {
    pub ob_base: PyObject,
    pub ob_size: Py_ssize_t,
}

/// `ob_flags` bits (upper 16 bits of the refcount word), `object.h` 3.14+.
pub const _Py_IMMORTAL_FLAGS: u16 = 1;
/// 3.15 (`object.h`: "see PyModuleDef_Init()"): consulted by free-threaded `PyModuleDef_Init`
/// to reject GIL-ABI defs. The GIL build's `PyModuleDef_HEAD_INIT` does *not* set it: its
/// `ob_flags` are `_Py_IMMORTAL_FLAGS | _Py_STATICALLY_ALLOCATED_FLAG` = 5 (tests/layout.rs).
pub const _Py_LEGACY_ABI_CHECK_FLAG: u16 = 2;
pub const _Py_STATICALLY_ALLOCATED_FLAG: u16 = 4;

/// `Py_GetConstant()` identifiers (`object.h`, 3.13).
pub const Py_CONSTANT_NONE: u32 = 0;
pub const Py_CONSTANT_FALSE: u32 = 1;
pub const Py_CONSTANT_TRUE: u32 = 2;
pub const Py_CONSTANT_ELLIPSIS: u32 = 3;
pub const Py_CONSTANT_NOT_IMPLEMENTED: u32 = 4;
pub const Py_CONSTANT_ZERO: u32 = 5;
pub const Py_CONSTANT_ONE: u32 = 6;
pub const Py_CONSTANT_EMPTY_STR: u32 = 7;
pub const Py_CONSTANT_EMPTY_BYTES: u32 = 8;
pub const Py_CONSTANT_EMPTY_TUPLE: u32 = 9;

/// Rich comparison operators.
pub const Py_LT: i32 = 0;
pub const Py_LE: i32 = 1;
pub const Py_EQ: i32 = 2;
pub const Py_NE: i32 = 3;
pub const Py_GT: i32 = 4;
pub const Py_GE: i32 = 5;

/// `PY_VECTORCALL_ARGUMENTS_OFFSET`: the high bit of `nargsf`.
pub const PY_VECTORCALL_ARGUMENTS_OFFSET: usize = 1 << (usize::BITS - 1);

/// The GC pre-header CPython places before objects of `Py_TPFLAGS_HAVE_GC` types (two words).
/// Extensions never see it; they reach it only through `PyObject_GC_*` and `PyType_GenericAlloc`.
#[repr(C)]
pub struct PyGC_Head {
    pub gc_next: usize,
    pub gc_prev: usize,
}
