//! `_operator` (CPython's `Modules/_operator.c`): so far `_compare_digest`, the constant-time
//! comparison `hmac.compare_digest` is. `Lib/operator.py` defines everything else in Python
//! and takes only what this module has.

use pyrite_abi::*;

use crate::err::PyResult;
use crate::method_table;
use crate::object::{Obj, PyRef};
use crate::objects::{bool_, bytes, unicode};

pub fn create() -> PyResult<PyRef> {
    let m = super::native::new_module("_operator", OPERATOR_FUNCTIONS.0.get() as *mut PyMethodDef)?;
    // `Lib/operator.py` takes its docstring from here.
    crate::objects::dict::set_item_str(
        crate::objects::module::dict_of(&m),
        "__doc__",
        &unicode::new("Operator interface.\n\nFunctions for Python's intrinsic operators: operator.add(x, y) is x+y."),
    )?;
    Ok(m)
}

method_table!(static OPERATOR_FUNCTIONS = [
    fast c"_compare_digest" => compare_digest,
]);

/// Compares without an early exit, so the time taken tells nothing about where `a` and `b`
/// differ (only about their lengths).
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    let mut diff = (a.len() != b.len()) as u8;
    // Against itself when the lengths differ, as CPython does, to keep the loop's length `b`'s.
    let left = if a.len() == b.len() { a } else { b };
    for (x, y) in left.iter().zip(b) {
        diff |= x ^ y;
    }
    diff == 0
}

fn compare_digest(_m: &Obj, args: &[&Obj]) -> PyResult<PyRef> {
    crate::objects::argparse::check_positional("_compare_digest", args.len(), 2, 2)?;
    let (a, b) = (args[0], args[1]);
    let eq = if unicode::check(a) && unicode::check(b) {
        if !unicode::is_ascii(a) || !unicode::is_ascii(b) {
            return Err(raise!(TypeError, "comparing strings with non-ASCII characters is not supported"));
        }
        constant_time_eq(unicode::as_str_lossy(a).as_bytes(), unicode::as_str_lossy(b).as_bytes())
    } else {
        let unsupported = || {
            raise!(
                TypeError,
                "unsupported operand types(s) or combination of types: '{}' and '{}'",
                a.ob_type().name(),
                b.ob_type().name()
            )
        };
        if unicode::check(a) || unicode::check(b) {
            return Err(unsupported());
        }
        let (Some(x), Some(y)) = (bytes::buffer_bytes(a)?, bytes::buffer_bytes(b)?) else {
            return Err(unsupported());
        };
        constant_time_eq(&x, &y)
    };
    Ok(bool_::new(eq))
}
