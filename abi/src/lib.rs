//! `pyrite-abi`: the binary contract between Pyrite and compiled extension modules.
//!
//! Everything here is fixed by CPython's headers (3.2 to 3.15, abi3 and abi3t): `#[repr(C)]`
//! mirrors of the structs an extension shares with the runtime, the flag and slot-id constants,
//! the reference-count encoding every header vintage agrees with, and the Stable ABI manifest
//! as data. This crate has **no behaviour**: no allocation, no globals, no functions beyond
//! pure encodings of constants. Layout tests (`tests/layout.rs`) compile a C probe against
//! CPython's own headers and compare every size, offset and constant with these definitions.

#![no_std]
#![allow(non_camel_case_types, non_snake_case, non_upper_case_globals)]

pub mod buffer;
pub mod descrobject;
pub mod layouts;
pub mod manifest;
pub mod methodobject;
pub mod moduleobject;
pub mod object;
pub mod refcount;
pub mod slots;
pub mod structseq;
pub mod typeobject;
pub mod typeslots;

pub use buffer::*;
pub use descrobject::*;
pub use layouts::*;
pub use methodobject::*;
pub use moduleobject::*;
pub use object::*;
pub use slots::*;
pub use structseq::*;
pub use typeobject::*;
pub use typeslots::*;

/// `Py_ssize_t`
pub type Py_ssize_t = isize;
/// `Py_hash_t`
pub type Py_hash_t = isize;
/// `Py_UCS4`
pub type Py_UCS4 = u32;

/// `PYTHON_API_VERSION`: what `PyModule_Create2` receives from non-limited builds.
pub const PYTHON_API_VERSION: i32 = 1013;
/// `PYTHON_ABI_VERSION`: what `PyModule_Create2` receives from limited-API builds.
pub const PYTHON_ABI_VERSION: i32 = 3;

/// `PY_VERSION_HEX` of the CPython release whose behaviour Pyrite follows (3.15.0 final).
pub const PY_VERSION_HEX: u32 = 0x030F_00F0;
