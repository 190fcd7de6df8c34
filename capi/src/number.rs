//! `abstract.h`'s number protocol: `PyNumber_*` over `pyrite_vm::number`, which dispatches on
//! the `nb_*` slots with CPython's rules. (`PyNumber_Index`, `PyNumber_AsSsize_t` and
//! `PyNumber_Check` live in `abstract_.rs`.)

use core::ffi::c_int;
use core::ptr::null_mut;

use pyrite_abi::*;
use pyrite_vm::number::{self, BinaryOp, UnaryOp};
use pyrite_vm::{Obj, PyRef, PyResult};

use crate::boundary::obj;
use crate::capi;

fn binary(a: *mut PyObject, b: *mut PyObject, op: BinaryOp) -> PyResult<*mut PyObject> {
    // SAFETY: the C caller passes live objects (NULL is a bad internal call).
    let (a, b) = unsafe { (obj(a)?, obj(b)?) };
    number::binary_op(a, b, op).map(PyRef::into_raw)
}

fn inplace(a: *mut PyObject, b: *mut PyObject, op: BinaryOp) -> PyResult<*mut PyObject> {
    // SAFETY: as above.
    let (a, b) = unsafe { (obj(a)?, obj(b)?) };
    number::inplace_op(a, b, op).map(PyRef::into_raw)
}

fn unary(o: *mut PyObject, op: UnaryOp) -> PyResult<*mut PyObject> {
    // SAFETY: as above.
    number::unary_op(unsafe { obj(o)? }, op).map(PyRef::into_raw)
}

/// The modulus of `PyNumber_Power`: C passes `Py_None` for none (NULL is taken as none too).
///
/// # Safety
/// `z` is NULL or a live object.
unsafe fn modulus<'a>(z: *mut PyObject) -> Option<&'a Obj> {
    // SAFETY: guaranteed by the caller.
    unsafe { pyrite_vm::slot::opt_arg(z) }
}

capi! {
    fn PyNumber_Add(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject [null_mut()] { binary(a, b, BinaryOp::Add) }
    fn PyNumber_Subtract(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject [null_mut()] { binary(a, b, BinaryOp::Sub) }
    fn PyNumber_Multiply(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject [null_mut()] { binary(a, b, BinaryOp::Mul) }
    fn PyNumber_MatrixMultiply(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject [null_mut()] { binary(a, b, BinaryOp::MatMul) }
    fn PyNumber_TrueDivide(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject [null_mut()] { binary(a, b, BinaryOp::TrueDiv) }
    fn PyNumber_FloorDivide(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject [null_mut()] { binary(a, b, BinaryOp::FloorDiv) }
    fn PyNumber_Remainder(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject [null_mut()] { binary(a, b, BinaryOp::Mod) }
    fn PyNumber_Lshift(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject [null_mut()] { binary(a, b, BinaryOp::LShift) }
    fn PyNumber_Rshift(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject [null_mut()] { binary(a, b, BinaryOp::RShift) }
    fn PyNumber_And(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject [null_mut()] { binary(a, b, BinaryOp::And) }
    fn PyNumber_Or(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject [null_mut()] { binary(a, b, BinaryOp::Or) }
    fn PyNumber_Xor(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject [null_mut()] { binary(a, b, BinaryOp::Xor) }
    fn PyNumber_Divmod(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject [null_mut()] {
        number::divmod(obj(a)?, obj(b)?).map(PyRef::into_raw)
    }
    fn PyNumber_Power(a: *mut PyObject, b: *mut PyObject, z: *mut PyObject) -> *mut PyObject [null_mut()] {
        number::power(obj(a)?, obj(b)?, modulus(z)).map(PyRef::into_raw)
    }

    fn PyNumber_InPlaceAdd(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject [null_mut()] { inplace(a, b, BinaryOp::Add) }
    fn PyNumber_InPlaceSubtract(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject [null_mut()] { inplace(a, b, BinaryOp::Sub) }
    fn PyNumber_InPlaceMultiply(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject [null_mut()] { inplace(a, b, BinaryOp::Mul) }
    fn PyNumber_InPlaceMatrixMultiply(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject [null_mut()] { inplace(a, b, BinaryOp::MatMul) }
    fn PyNumber_InPlaceTrueDivide(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject [null_mut()] { inplace(a, b, BinaryOp::TrueDiv) }
    fn PyNumber_InPlaceFloorDivide(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject [null_mut()] { inplace(a, b, BinaryOp::FloorDiv) }
    fn PyNumber_InPlaceRemainder(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject [null_mut()] { inplace(a, b, BinaryOp::Mod) }
    fn PyNumber_InPlaceLshift(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject [null_mut()] { inplace(a, b, BinaryOp::LShift) }
    fn PyNumber_InPlaceRshift(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject [null_mut()] { inplace(a, b, BinaryOp::RShift) }
    fn PyNumber_InPlaceAnd(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject [null_mut()] { inplace(a, b, BinaryOp::And) }
    fn PyNumber_InPlaceOr(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject [null_mut()] { inplace(a, b, BinaryOp::Or) }
    fn PyNumber_InPlaceXor(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject [null_mut()] { inplace(a, b, BinaryOp::Xor) }
    fn PyNumber_InPlacePower(a: *mut PyObject, b: *mut PyObject, z: *mut PyObject) -> *mut PyObject [null_mut()] {
        number::inplace_power(obj(a)?, obj(b)?, modulus(z)).map(PyRef::into_raw)
    }

    fn PyNumber_Negative(o: *mut PyObject) -> *mut PyObject [null_mut()] { unary(o, UnaryOp::Neg) }
    fn PyNumber_Positive(o: *mut PyObject) -> *mut PyObject [null_mut()] { unary(o, UnaryOp::Pos) }
    fn PyNumber_Invert(o: *mut PyObject) -> *mut PyObject [null_mut()] { unary(o, UnaryOp::Invert) }
    fn PyNumber_Absolute(o: *mut PyObject) -> *mut PyObject [null_mut()] {
        number::absolute(obj(o)?).map(PyRef::into_raw)
    }

    fn PyNumber_Long(o: *mut PyObject) -> *mut PyObject [null_mut()] { number::to_int(obj(o)?).map(PyRef::into_raw) }
    fn PyNumber_Float(o: *mut PyObject) -> *mut PyObject [null_mut()] { number::to_float(obj(o)?).map(PyRef::into_raw) }
    fn PyNumber_ToBase(n: *mut PyObject, base: c_int) -> *mut PyObject [null_mut()] {
        number::to_base(obj(n)?, base as u32).map(PyRef::into_raw)
    }
}
