//! 3.15's `PySlot` (PEP 820) and `PyABIInfo` (PEP 793 module export).

use core::ffi::c_void;

/// `PySlot`: 16 bytes. `sl_reserved` must be 0.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct PySlot {
    pub sl_id: u16,
    pub sl_flags: u16,
    pub sl_reserved: u32,
    pub value: PySlotValue,
}

/// The union at +8 of `PySlot` (`sl_ptr`, `sl_func`, `sl_size`, `sl_int64`, `sl_uint64`).
#[repr(C)]
#[derive(Clone, Copy)]
pub union PySlotValue {
    pub sl_ptr: *mut c_void,
    pub sl_func: Option<unsafe extern "C" fn()>,
    pub sl_size: isize,
    pub sl_int64: i64,
    pub sl_uint64: u64,
}

pub const PySlot_OPTIONAL: u16 = 1;
pub const PySlot_STATIC: u16 = 2;
pub const PySlot_INTPTR: u16 = 4;

/// `PyABIInfo`: 12 bytes, align 4.
#[repr(C)]
pub struct PyABIInfo {
    pub abiinfo_major_version: u8,
    pub abiinfo_minor_version: u8,
    pub flags: u16,
    pub build_version: u32,
    pub abi_version: u32,
}

pub const PyABIInfo_STABLE: u16 = 1;
pub const PyABIInfo_GIL: u16 = 2;
pub const PyABIInfo_FREETHREADED: u16 = 4;
pub const PyABIInfo_FREETHREADING_AGNOSTIC: u16 = 6;
pub const PyABIInfo_INTERNAL: u16 = 8;
