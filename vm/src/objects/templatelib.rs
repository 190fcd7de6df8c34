//! PEP 750 template strings: `BUILD_TEMPLATE` and `BUILD_INTERPOLATION` make
//! `string.templatelib.Template` and `Interpolation` objects. The types are written in Python
//! for now (`import/frozen/_pyrite_templatelib.py`), compiled into the binary.

use crate::err::PyResult;
use crate::object::{Obj, PyRef};
use crate::objects::{none, tuple, unicode};

fn helper(name: &str) -> PyResult<PyRef> {
    let m = crate::import::import_module("_pyrite_templatelib")?;
    crate::abstract_::getattr_str(&m, name)
}

/// `BUILD_INTERPOLATION`: `conversion` is 0 (none) or 1/2/3 (`!s`/`!r`/`!a`).
pub fn new_interpolation(value: &Obj, expr: &Obj, conversion: u32, spec: Option<&Obj>) -> PyResult<PyRef> {
    let conv = match conversion {
        1 => unicode::new("s"),
        2 => unicode::new("r"),
        3 => unicode::new("a"),
        _ => none::none(),
    };
    let spec = spec.map_or_else(|| unicode::new(""), Obj::new_ref);
    let f = helper("_interpolation")?;
    crate::abstract_::call(&f, &tuple::new_from(&[value, expr, &conv, &spec]), None)
}

/// `BUILD_TEMPLATE`: from the tuple of strings and the tuple of interpolations.
pub fn new_template(strings: &Obj, interpolations: &Obj) -> PyResult<PyRef> {
    let f = helper("_build")?;
    crate::abstract_::call(&f, &tuple::new_from(&[strings, interpolations]), None)
}
