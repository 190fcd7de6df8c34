//! Modules that CPython builds in C and Pyrite implements in Rust. Each is made on first
//! import (`import::import_module` asks [`find`] before searching `sys.path`) and then lives
//! in `sys.modules` like any other.

use crate::err::PyResult;
use crate::object::PyRef;

#[macro_use]
pub(crate) mod native;

mod abc;
mod binascii;
mod bisect;
mod collections;
mod functools;
mod functools_partial;
mod heapq;
mod itertools;
mod math;
mod random;
mod string;
mod struct_;
mod types_;

/// The native module called `name`, if Pyrite has one.
pub fn find(name: &str) -> Option<fn() -> PyResult<PyRef>> {
    Some(match name {
        "_abc" => abc::create,
        "_bisect" => bisect::create,
        "_codecs" => || Ok(crate::codecs::module()),
        "_collections" => collections::create,
        "_functools" => functools::create,
        "_heapq" => heapq::create,
        "_random" => random::create,
        "_string" => string::create,
        "_struct" => struct_::create,
        "_types" => types_::create,
        "_weakref" => crate::objects::weakref::module,
        "binascii" => binascii::create,
        "itertools" => itertools::create,
        "marshal" => || Ok(crate::marshal::module()),
        "math" => math::create,
        _ => return None,
    })
}

/// The names of the native modules (`sys.builtin_module_names` adds `builtins` and `sys`).
pub const NAMES: &[&str] = &[
    "_abc",
    "_bisect",
    "_codecs",
    "_collections",
    "_functools",
    "_heapq",
    "_random",
    "_string",
    "_struct",
    "_types",
    "_weakref",
    "binascii",
    "itertools",
    "marshal",
    "math",
];
