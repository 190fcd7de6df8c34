//! CPython 3.15's public layouts of the core objects, as `cpython/*.h` show them to
//! version-specific code. abi3 code never reads these fields, but keeping them costs nothing
//! and lets `cp315` wheels run later. Everything past these fields is Pyrite's own.

use core::ffi::c_char;

use crate::object::{PyObject, PyVarObject};
use crate::{Py_hash_t, Py_ssize_t};

/// `digit` of `PyLongObject`: 30 bits used of a `u32`.
pub type digit = u32;
pub const PyLong_SHIFT: u32 = 30;
pub const PyLong_BASE: u32 = 1 << PyLong_SHIFT;
pub const PyLong_MASK: u32 = PyLong_BASE - 1;
/// `lv_tag`: `ndigits << 3 | flags`; low 2 bits are the sign (0 positive, 1 zero, 2 negative),
/// bit 2 marks the immortal small ints.
pub const _PyLong_NON_SIZE_BITS: u32 = 3;
pub const _PyLong_SIGN_MASK: usize = 3;
pub const _PyLong_SIGN_POSITIVE: usize = 0;
pub const _PyLong_SIGN_ZERO: usize = 1;
pub const _PyLong_SIGN_NEGATIVE: usize = 2;
pub const _PyLong_IMMORTAL_FLAG: usize = 4;

/// `struct _longobject`: head, `lv_tag`, then `ob_digit[]` (at least one digit is allocated).
#[repr(C)]
pub struct PyLongObject {
    pub ob_base: PyObject,
    pub lv_tag: usize,
    pub ob_digit: [digit; 1],
}

/// `PyFloatObject`.
#[repr(C)]
pub struct PyFloatObject {
    pub ob_base: PyObject,
    pub ob_fval: f64,
}

/// `PyTupleObject` (3.14+: with a cached hash before the items).
#[repr(C)]
pub struct PyTupleObject {
    pub ob_base: PyVarObject,
    pub ob_hash: Py_hash_t,
    pub ob_item: [*mut PyObject; 1],
}

/// `PyListObject`.
#[repr(C)]
pub struct PyListObject {
    pub ob_base: PyVarObject,
    pub ob_item: *mut *mut PyObject,
    pub allocated: Py_ssize_t,
}

/// `PyBytesObject`: `ob_sval` holds `ob_size + 1` bytes, the last one 0.
#[repr(C)]
pub struct PyBytesObject {
    pub ob_base: PyVarObject,
    pub ob_shash: Py_hash_t,
    pub ob_sval: [c_char; 1],
}

/// `PyASCIIObject` (PEP 393). Compact ASCII strings keep their characters right after it.
#[repr(C)]
pub struct PyASCIIObject {
    pub ob_base: PyObject,
    pub length: Py_ssize_t,
    pub hash: Py_hash_t,
    /// Bit field: `interned:2, kind:3, compact:1, ascii:1, statically_allocated:1, :24`.
    pub state: u32,
}

/// `PyCompactUnicodeObject`: compact non-ASCII strings keep their characters right after it.
#[repr(C)]
pub struct PyCompactUnicodeObject {
    pub _base: PyASCIIObject,
    /// UTF-8 length in bytes, excluding the terminating NUL (valid when `utf8` is set).
    pub utf8_length: Py_ssize_t,
    /// Cached NUL-terminated UTF-8 form, or NULL until asked for.
    pub utf8: *mut c_char,
}

/// `state` bit field of [`PyASCIIObject`], as gcc lays out the C bit field on x86_64.
pub mod unicode_state {
    pub const INTERNED_MASK: u32 = 0b11;
    pub const KIND_SHIFT: u32 = 2;
    pub const KIND_MASK: u32 = 0b111 << KIND_SHIFT;
    pub const COMPACT: u32 = 1 << 5;
    pub const ASCII: u32 = 1 << 6;
    pub const STATICALLY_ALLOCATED: u32 = 1 << 7;

    pub const SSTATE_NOT_INTERNED: u32 = 0;
    pub const SSTATE_INTERNED_MORTAL: u32 = 1;
    pub const SSTATE_INTERNED_IMMORTAL: u32 = 2;
    pub const SSTATE_INTERNED_IMMORTAL_STATIC: u32 = 3;
}

/// `PyUnicode_1BYTE_KIND` etc.
pub const PyUnicode_1BYTE_KIND: u32 = 1;
pub const PyUnicode_2BYTE_KIND: u32 = 2;
pub const PyUnicode_4BYTE_KIND: u32 = 4;

/// `PyLongLayout` (3.14+, `longobject.h`): how `PyLong_Export` digits are laid out.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct PyLongLayout {
    pub bits_per_digit: u8,
    pub digit_size: u8,
    pub digits_order: i8,
    pub digit_endianness: i8,
}

/// `PyLongExport` (3.14+): an int as a 64-bit value, or as digits of the native layout that
/// stay valid until `PyLong_FreeExport` (`_reserved` holds the exported int).
#[repr(C)]
#[derive(Debug)]
pub struct PyLongExport {
    pub value: i64,
    pub negative: u8,
    pub ndigits: isize,
    pub digits: *const core::ffi::c_void,
    pub _reserved: usize,
}
