//! `_operator` (CPython's `Modules/_operator.c`): `_compare_digest` (the constant-time
//! comparison `hmac.compare_digest` is), and the operator functions over the object protocol:
//! arithmetic and its in-place forms, comparisons, identity, truth, items. `Lib/operator.py`
//! defines the rest in Python and takes what this module has; being built-in functions, these
//! do not bind as methods when stored on a class (`glob` keeps `operator.add` as one).

use pyrite_abi::*;

use crate::err::PyResult;
use crate::method_table;
use crate::object::{Obj, PyRef};
use crate::abstract_;
use crate::number::{self, BinaryOp, UnaryOp};
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

/// Two-operand functions: `name(a, b)` with the clinic's "expected 2 arguments" check.
macro_rules! binary_functions {
    ($($f:ident $name:literal => |$a:ident, $b:ident| $e:expr;)*) => {
        $(
            fn $f(_m: &Obj, args: &[&Obj]) -> PyResult<PyRef> {
                crate::objects::argparse::check_positional($name, args.len(), 2, 2)?;
                let ($a, $b) = (args[0], args[1]);
                $e
            }
        )*
    };
}

/// One-operand functions (`METH_O`).
macro_rules! unary_functions {
    ($($f:ident => |$a:ident| $e:expr;)*) => {
        $( fn $f(_m: &Obj, $a: &Obj) -> PyResult<PyRef> { $e } )*
    };
}

binary_functions! {
    op_add "add" => |a, b| number::binary_op(a, b, BinaryOp::Add);
    op_sub "sub" => |a, b| number::binary_op(a, b, BinaryOp::Sub);
    op_mul "mul" => |a, b| number::binary_op(a, b, BinaryOp::Mul);
    op_matmul "matmul" => |a, b| number::binary_op(a, b, BinaryOp::MatMul);
    op_truediv "truediv" => |a, b| number::binary_op(a, b, BinaryOp::TrueDiv);
    op_floordiv "floordiv" => |a, b| number::binary_op(a, b, BinaryOp::FloorDiv);
    op_mod "mod" => |a, b| number::binary_op(a, b, BinaryOp::Mod);
    op_pow "pow" => |a, b| number::power(a, b, None);
    op_lshift "lshift" => |a, b| number::binary_op(a, b, BinaryOp::LShift);
    op_rshift "rshift" => |a, b| number::binary_op(a, b, BinaryOp::RShift);
    op_and "and_" => |a, b| number::binary_op(a, b, BinaryOp::And);
    op_or "or_" => |a, b| number::binary_op(a, b, BinaryOp::Or);
    op_xor "xor" => |a, b| number::binary_op(a, b, BinaryOp::Xor);
    op_iadd "iadd" => |a, b| number::inplace_op(a, b, BinaryOp::Add);
    op_isub "isub" => |a, b| number::inplace_op(a, b, BinaryOp::Sub);
    op_imul "imul" => |a, b| number::inplace_op(a, b, BinaryOp::Mul);
    op_imatmul "imatmul" => |a, b| number::inplace_op(a, b, BinaryOp::MatMul);
    op_itruediv "itruediv" => |a, b| number::inplace_op(a, b, BinaryOp::TrueDiv);
    op_ifloordiv "ifloordiv" => |a, b| number::inplace_op(a, b, BinaryOp::FloorDiv);
    op_imod "imod" => |a, b| number::inplace_op(a, b, BinaryOp::Mod);
    op_ipow "ipow" => |a, b| number::inplace_power(a, b, None);
    op_ilshift "ilshift" => |a, b| number::inplace_op(a, b, BinaryOp::LShift);
    op_irshift "irshift" => |a, b| number::inplace_op(a, b, BinaryOp::RShift);
    op_iand "iand" => |a, b| number::inplace_op(a, b, BinaryOp::And);
    op_ior "ior" => |a, b| number::inplace_op(a, b, BinaryOp::Or);
    op_ixor "ixor" => |a, b| number::inplace_op(a, b, BinaryOp::Xor);
    op_lt "lt" => |a, b| abstract_::rich_compare(a, b, Py_LT);
    op_le "le" => |a, b| abstract_::rich_compare(a, b, Py_LE);
    op_eq "eq" => |a, b| abstract_::rich_compare(a, b, Py_EQ);
    op_ne "ne" => |a, b| abstract_::rich_compare(a, b, Py_NE);
    op_gt "gt" => |a, b| abstract_::rich_compare(a, b, Py_GT);
    op_ge "ge" => |a, b| abstract_::rich_compare(a, b, Py_GE);
    op_is "is_" => |a, b| Ok(bool_::new(a.is(b)));
    op_is_not "is_not" => |a, b| Ok(bool_::new(!a.is(b)));
    op_getitem "getitem" => |a, b| abstract_::getitem(a, b);
    op_contains "contains" => |a, b| Ok(bool_::new(abstract_::contains(a, b)?));
}

unary_functions! {
    op_not => |a| Ok(bool_::new(!abstract_::is_true(a)?));
    op_truth => |a| Ok(bool_::new(abstract_::is_true(a)?));
    op_neg => |a| number::unary_op(a, UnaryOp::Neg);
    op_pos => |a| number::unary_op(a, UnaryOp::Pos);
    op_invert => |a| number::unary_op(a, UnaryOp::Invert);
    op_abs => |a| number::absolute(a);
    op_index => |a| abstract_::index(a);
    op_is_none => |a| Ok(bool_::new(a.is(crate::objects::none::none_obj())));
    op_is_not_none => |a| Ok(bool_::new(!a.is(crate::objects::none::none_obj())));
}

method_table!(static OPERATOR_FUNCTIONS = [
    fast c"_compare_digest" => compare_digest,
    fast c"add" => op_add,
    fast c"sub" => op_sub,
    fast c"mul" => op_mul,
    fast c"matmul" => op_matmul,
    fast c"truediv" => op_truediv,
    fast c"floordiv" => op_floordiv,
    fast c"mod" => op_mod,
    fast c"pow" => op_pow,
    fast c"lshift" => op_lshift,
    fast c"rshift" => op_rshift,
    fast c"and_" => op_and,
    fast c"or_" => op_or,
    fast c"xor" => op_xor,
    fast c"iadd" => op_iadd,
    fast c"isub" => op_isub,
    fast c"imul" => op_imul,
    fast c"imatmul" => op_imatmul,
    fast c"itruediv" => op_itruediv,
    fast c"ifloordiv" => op_ifloordiv,
    fast c"imod" => op_imod,
    fast c"ipow" => op_ipow,
    fast c"ilshift" => op_ilshift,
    fast c"irshift" => op_irshift,
    fast c"iand" => op_iand,
    fast c"ior" => op_ior,
    fast c"ixor" => op_ixor,
    fast c"lt" => op_lt,
    fast c"le" => op_le,
    fast c"eq" => op_eq,
    fast c"ne" => op_ne,
    fast c"gt" => op_gt,
    fast c"ge" => op_ge,
    fast c"is_" => op_is,
    fast c"is_not" => op_is_not,
    fast c"getitem" => op_getitem,
    fast c"contains" => op_contains,
    o c"not_" => op_not,
    o c"truth" => op_truth,
    o c"neg" => op_neg,
    o c"pos" => op_pos,
    o c"invert" => op_invert,
    o c"inv" => op_invert,
    o c"abs" => op_abs,
    o c"index" => op_index,
    o c"is_none" => op_is_none,
    o c"is_not_none" => op_is_not_none,
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
