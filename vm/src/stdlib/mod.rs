//! Modules that CPython builds in C and Pyrite implements in Rust. Each is made on first
//! import (`import::import_module` asks [`find`] before searching `sys.path`) and then lives
//! in `sys.modules` like any other.

use crate::err::PyResult;
use crate::object::PyRef;

#[macro_use]
pub(crate) mod native;

mod collections;
mod functools;
mod itertools;
mod math;
mod random;
mod struct_;
mod types_;

/// The native module called `name`, if Pyrite has one.
pub fn find(name: &str) -> Option<fn() -> PyResult<PyRef>> {
    Some(match name {
        "_functools" => functools::create,
        "_random" => random::create,
        "_struct" => struct_::create,
        "_types" => types_::create,
        "_weakref" => crate::objects::weakref::module,
        "itertools" => itertools::create,
        "_codecs" => || Ok(crate::codecs::module()),
        "_collections" => collections::create,
        "math" => math::create,
        "marshal" => || Ok(crate::marshal::module()),
        _ => return None,
    })
}

/// The names of the native modules (`sys.builtin_module_names` adds `builtins` and `sys`).
pub const NAMES: &[&str] = &["_codecs", "_collections", "_functools", "_random", "_struct", "_types", "_weakref", "itertools", "marshal", "math"];
