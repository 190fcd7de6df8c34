//! PEP 750 template strings: `string.templatelib.Template` and `Interpolation`.

use crate::err::PyResult;
use crate::object::{Obj, PyRef};

pub fn new_interpolation(_value: &Obj, _expr: &Obj, _conversion: u32, _spec: Option<&Obj>) -> PyResult<PyRef> {
    Err(raise!(SystemError, "t-strings are not supported yet"))
}

pub fn new_template(_strings: &Obj, _interpolations: &Obj) -> PyResult<PyRef> {
    Err(raise!(SystemError, "t-strings are not supported yet"))
}
