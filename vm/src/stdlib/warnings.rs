//! `_warnings`: the built-in half of the warnings machinery that `importlib._bootstrap` loads
//! while it sets itself up. Pyrite keeps the filters in Python (`Lib/warnings.py` falls back to
//! `_py_warnings` when this module lacks its filter state, as it does here), so `warn` and
//! `warn_explicit` hand the call to `warnings`. Being native functions, they add no frame, so
//! `stacklevel` counts from their caller as CPython's do.

use crate::err::PyResult;
use crate::object::{Obj, PyRef};
use crate::objects::argparse::Kw;
use crate::objects::{dict, tuple};

fn forward(name: &str, args: &[&Obj], kw: Kw) -> PyResult<PyRef> {
    let warnings = crate::import::import_module("warnings")?;
    let f = crate::abstract_::getattr_str(&warnings, name)?;
    let kwargs = if kw.is_empty() {
        None
    } else {
        let d = dict::new();
        for (k, v) in kw.names.iter().zip(kw.values) {
            dict::set_item(&d, k, v)?;
        }
        Some(d)
    };
    crate::abstract_::call(&f, &tuple::new_from(args), kwargs.as_deref())
}

fn m_warn(_m: &Obj, args: &[&Obj], kw: Kw) -> PyResult<PyRef> {
    forward("warn", args, kw)
}

fn m_warn_explicit(_m: &Obj, args: &[&Obj], kw: Kw) -> PyResult<PyRef> {
    forward("warn_explicit", args, kw)
}

crate::method_table!(static WARNINGS_METHODS = [
    kw c"warn" => m_warn,
    kw c"warn_explicit" => m_warn_explicit,
]);

/// The `_warnings` module.
pub fn create() -> PyResult<PyRef> {
    // SAFETY: the table is static and NULL-terminated.
    unsafe { super::new_module("_warnings", WARNINGS_METHODS.0.get() as *mut pyrite_abi::PyMethodDef) }
}
