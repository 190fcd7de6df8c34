//! Modules that CPython builds in C and Pyrite implements in Rust. Each is made on first
//! import (`import::import_module` asks [`find`] before searching `sys.path`) and then lives
//! in `sys.modules` like any other.

use crate::err::PyResult;
use crate::object::PyRef;

pub mod boxed;
mod contextvars;
pub mod io;
mod json;
mod sre;
pub mod thread;
mod types_;

/// The native module called `name`, if Pyrite has one.
pub fn find(name: &str) -> Option<fn() -> PyResult<PyRef>> {
    Some(match name {
        "_codecs" => || Ok(crate::codecs::module()),
        "_contextvars" => contextvars::create,
        "_io" => io::create,
        "_json" => json::create,
        "_sre" => sre::create,
        "_thread" => thread::create,
        "_types" => types_::create,
        "_weakref" => crate::objects::weakref::module,
        "marshal" => || Ok(crate::marshal::module()),
        _ => return None,
    })
}

/// The names of the native modules (`sys.builtin_module_names` adds `builtins` and `sys`).
pub const NAMES: &[&str] = &["_codecs", "_contextvars", "_io", "_json", "_sre", "_thread", "_types", "_weakref", "marshal"];
