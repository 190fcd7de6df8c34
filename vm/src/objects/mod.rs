//! Built-in types, one file per type (as CPython's `Objects/`).

pub mod argparse;
pub mod bool_;
pub mod bytearray;
pub mod bytes;
pub mod code;
pub mod complex;
pub mod descr;
pub mod dict;
pub mod exceptions;
pub mod float;
pub mod function;
pub mod genobject;
pub mod heaptype;
pub mod iterobject;
pub mod list;
pub mod long;
pub mod methodobject;
pub mod module;
pub mod none;
pub mod range;
pub mod set;
pub mod slice;
pub mod slotdefs;
pub mod tuple;
pub mod type_;
pub mod unicode;
