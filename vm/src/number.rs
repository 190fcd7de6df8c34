//! The number protocol (being written on the wip-numbers branch; this is the minimum the
//! interpreter needs meanwhile): binary and unary operators dispatched on `nb_*` slots.

use crate::err::PyResult;
use crate::object::{Obj, PyRef};
use crate::objects::none;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinaryOp { Add, Sub, Mul, MatMul, TrueDiv, FloorDiv, Mod, Pow, LShift, RShift, And, Or, Xor }

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnaryOp { Neg, Pos, Invert }

impl BinaryOp {
    pub const ALL: [BinaryOp; 13] = [
        BinaryOp::Add, BinaryOp::Sub, BinaryOp::Mul, BinaryOp::MatMul, BinaryOp::TrueDiv, BinaryOp::FloorDiv,
        BinaryOp::Mod, BinaryOp::Pow, BinaryOp::LShift, BinaryOp::RShift, BinaryOp::And, BinaryOp::Or, BinaryOp::Xor,
    ];
    pub fn symbol(self) -> &'static str {
        match self {
            BinaryOp::Add => "+", BinaryOp::Sub => "-", BinaryOp::Mul => "*", BinaryOp::MatMul => "@",
            BinaryOp::TrueDiv => "/", BinaryOp::FloorDiv => "//", BinaryOp::Mod => "%", BinaryOp::Pow => "**",
            BinaryOp::LShift => "<<", BinaryOp::RShift => ">>", BinaryOp::And => "&", BinaryOp::Or => "|", BinaryOp::Xor => "^",
        }
    }
}

fn slot(o: &Obj, op: BinaryOp) -> pyrite_abi::binaryfunc {
    // SAFETY: tp_as_number is NULL or a valid suite.
    let nb = unsafe { o.ob_type().slots().tp_as_number.as_ref() }?;
    match op {
        BinaryOp::Add => nb.nb_add, BinaryOp::Sub => nb.nb_subtract, BinaryOp::Mul => nb.nb_multiply,
        BinaryOp::MatMul => nb.nb_matrix_multiply, BinaryOp::TrueDiv => nb.nb_true_divide,
        BinaryOp::FloorDiv => nb.nb_floor_divide, BinaryOp::Mod => nb.nb_remainder, BinaryOp::Pow => None,
        BinaryOp::LShift => nb.nb_lshift, BinaryOp::RShift => nb.nb_rshift, BinaryOp::And => nb.nb_and,
        BinaryOp::Or => nb.nb_or, BinaryOp::Xor => nb.nb_xor,
    }
}

pub fn binary_op(a: &Obj, b: &Obj, op: BinaryOp) -> PyResult<PyRef> {
    for (x, y, f) in [(a, b, slot(a, op)), (a, b, slot(b, op))] {
        if let Some(f) = f {
            // SAFETY: slot call with live arguments.
            let r = unsafe { crate::slot::from_new(f(x.as_ptr(), y.as_ptr())) }?;
            if !r.is(none::not_implemented_obj()) {
                return Ok(r);
            }
        }
    }
    if op == BinaryOp::Add {
        // SAFETY: sequence concat slot.
        if let Some(f) = unsafe { a.ob_type().slots().tp_as_sequence.as_ref() }.and_then(|s| s.sq_concat) {
            return unsafe { crate::slot::from_new(f(a.as_ptr(), b.as_ptr())) };
        }
    }
    Err(raise!(
        TypeError,
        "unsupported operand type(s) for {}: '{}' and '{}'",
        op.symbol(),
        a.ob_type().name(),
        b.ob_type().name()
    ))
}

pub fn inplace_op(a: &Obj, b: &Obj, op: BinaryOp) -> PyResult<PyRef> {
    binary_op(a, b, op)
}

pub fn unary_op(o: &Obj, op: UnaryOp) -> PyResult<PyRef> {
    // SAFETY: tp_as_number is NULL or a valid suite.
    let nb = unsafe { o.ob_type().slots().tp_as_number.as_ref() };
    let f = nb.and_then(|nb| match op {
        UnaryOp::Neg => nb.nb_negative,
        UnaryOp::Pos => nb.nb_positive,
        UnaryOp::Invert => nb.nb_invert,
    });
    match f {
        // SAFETY: slot call with a live argument.
        Some(f) => unsafe { crate::slot::from_new(f(o.as_ptr())) },
        None => Err(raise!(
            TypeError,
            "bad operand type for unary {}: '{}'",
            match op { UnaryOp::Neg => "-", UnaryOp::Pos => "+", UnaryOp::Invert => "~" },
            o.ob_type().name()
        )),
    }
}
