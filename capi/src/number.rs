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

#[cfg(test)]
mod tests {
    use super::*;
    use pyrite_vm::objects::{complex, long, none, unicode};
    use pyrite_vm::{abstract_, PyErr};

    /// Takes a C result: its repr, or the exception the call set.
    ///
    /// # Safety
    /// `r` is NULL (with an exception set) or a new reference.
    unsafe fn outcome(r: *mut PyObject) -> String {
        // SAFETY: guaranteed by the caller.
        match unsafe { PyRef::from_raw_opt(r) } {
            Some(v) => unicode::as_str_lossy(&abstract_::repr(&v).unwrap()).into_owned(),
            None => format!("!{:?}", PyErr::take().expect("NULL without an exception")),
        }
    }

    #[test]
    fn pynumber_functions_return_new_references_or_null_with_the_exception() {
        crate::initialize();
        let (seven, minus_two, three, five) = (long::from_i64(7), long::from_i64(-2), long::from_i64(3), long::from_i64(5));
        let x = unicode::new("x");
        // SAFETY: live arguments; every result is consumed by `outcome`.
        unsafe {
            assert_eq!(outcome(PyNumber_FloorDivide(seven.as_ptr(), minus_two.as_ptr())), "-4");
            assert_eq!(outcome(PyNumber_Remainder(seven.as_ptr(), minus_two.as_ptr())), "-1");
            assert_eq!(outcome(PyNumber_Divmod(seven.as_ptr(), minus_two.as_ptr())), "(-4, -1)");
            assert_eq!(outcome(PyNumber_Power(seven.as_ptr(), minus_two.as_ptr(), none::none_obj().as_ptr())), "0.02040816326530612");
            assert_eq!(outcome(PyNumber_Power(seven.as_ptr(), three.as_ptr(), five.as_ptr())), "3");
            assert_eq!(outcome(PyNumber_InPlacePower(seven.as_ptr(), three.as_ptr(), none::none_obj().as_ptr())), "343");
            assert_eq!(outcome(PyNumber_InPlaceLshift(seven.as_ptr(), three.as_ptr())), "56");
            assert_eq!(outcome(PyNumber_Invert(seven.as_ptr())), "-8");
            assert_eq!(outcome(PyNumber_Absolute(minus_two.as_ptr())), "2");
            assert_eq!(outcome(PyNumber_ToBase(seven.as_ptr(), 2)), "'0b111'");
            assert_eq!(outcome(PyNumber_Float(seven.as_ptr())), "7.0");
            assert_eq!(outcome(PyNumber_Long(unicode::new(" 12 ").as_ptr())), "12");
            assert_eq!(
                outcome(PyNumber_Add(seven.as_ptr(), x.as_ptr())),
                "!TypeError: unsupported operand type(s) for +: 'int' and 'str'"
            );
            assert_eq!(
                outcome(PyNumber_InPlaceSubtract(seven.as_ptr(), x.as_ptr())),
                "!TypeError: unsupported operand type(s) for -=: 'int' and 'str'"
            );
            assert_eq!(outcome(PyNumber_Negative(x.as_ptr())), "!TypeError: bad operand type for unary -: 'str'");
            assert_eq!(outcome(PyNumber_Add(seven.as_ptr(), core::ptr::null_mut())), "!SystemError: bad argument to internal function");
        }
    }

    #[test]
    fn complex_float_and_long_conversions() {
        crate::initialize();
        // SAFETY: live arguments; results consumed.
        unsafe {
            assert_eq!(outcome(crate::complexobject::PyComplex_FromDoubles(1.0, -0.0)), "(1-0j)");
            let z = complex::from_doubles(2.5, -4.0);
            assert_eq!(crate::complexobject::PyComplex_RealAsDouble(z.as_ptr()), 2.5);
            assert_eq!(crate::complexobject::PyComplex_ImagAsDouble(z.as_ptr()), -4.0);
            assert_eq!(crate::complexobject::PyComplex_RealAsDouble(long::from_i64(5).as_ptr()), 5.0);
            assert_eq!(crate::complexobject::PyComplex_ImagAsDouble(long::from_i64(5).as_ptr()), 0.0);
            assert_eq!(crate::complexobject::PyComplex_RealAsDouble(unicode::new("1").as_ptr()), -1.0);
            assert_eq!(format!("{:?}", PyErr::take().unwrap()), "TypeError: must be real number, not str");
            assert_eq!(outcome(crate::floatobject::PyFloat_FromString(unicode::new(" 1_0.5 ").as_ptr())), "10.5");
            assert_eq!(crate::floatobject::PyFloat_AsDouble(unicode::new("1").as_ptr()), -1.0);
            assert_eq!(format!("{:?}", PyErr::take().unwrap()), "TypeError: must be real number, not str");
            let mut end: *mut core::ffi::c_char = core::ptr::null_mut();
            let text = c"  -0x1F  ";
            assert_eq!(outcome(crate::longobject::PyLong_FromString(text.as_ptr(), &mut end, 0)), "-31");
            assert_eq!(end as usize - text.as_ptr() as usize, text.to_bytes().len());
            assert_eq!(
                outcome(crate::longobject::PyLong_FromString(c"12abc".as_ptr(), &mut end, 10)),
                "!ValueError: invalid literal for int() with base 10: '12abc'"
            );
        }
    }
}
