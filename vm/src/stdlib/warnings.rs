//! `_warnings`: the built-in face of the warnings machinery that `importlib._bootstrap`
//! insists on loading as a built-in module. Pyrite keeps the filters in `Lib/warnings.py`
//! (its pure-Python implementation, `_py_warnings`), so `warn` and `warn_explicit` here call
//! that module's functions; the C-accelerated state (`filters`, `_onceregistry`, the lock...)
//! is absent, and `warnings.py` then keeps its own.

use pyrite_abi::*;

use crate::err::PyResult;
use crate::method_table;
use crate::object::{Obj, PyRef};
use crate::objects::argparse::Kw;
use crate::objects::{dict, tuple};
use crate::{abstract_, import};

pub fn create() -> PyResult<PyRef> {
    super::native::new_module("_warnings", WARNINGS_FUNCTIONS.0.get() as *mut PyMethodDef)
}

method_table!(static WARNINGS_FUNCTIONS = [
    kw c"warn" => warn,
    kw c"warn_explicit" => warn_explicit,
]);

fn forward(name: &str, a: &[&Obj], kw: Kw) -> PyResult<PyRef> {
    let warnings = import::import_module("warnings")?;
    let f = abstract_::getattr_str(&warnings, name)?;
    let args = tuple::new_from(a);
    let kwargs = if kw.is_empty() {
        None
    } else {
        let d = dict::new();
        for (k, v) in kw.names.iter().zip(kw.values.iter()) {
            dict::set_item(&d, k, v)?;
        }
        Some(d)
    };
    abstract_::call(&f, &args, kwargs.as_deref())
}

fn warn(_m: &Obj, a: &[&Obj], kw: Kw) -> PyResult<PyRef> {
    forward("warn", a, kw)
}

fn warn_explicit(_m: &Obj, a: &[&Obj], kw: Kw) -> PyResult<PyRef> {
    forward("warn_explicit", a, kw)
}
