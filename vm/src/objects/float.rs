//! `float`: `PyFloatObject` (`ob_fval` at +16), repr as the shortest round-trip string in
//! CPython's format, and the numeric hash shared with int.

use core::ffi::c_int;

use pyrite_abi::*;

use crate::err::PyResult;
use crate::hash;
use crate::object::{Obj, PyRef, StaticObject};
use crate::objects::type_::{TypeObj, BUILTIN_BASETYPE_FLAGS};
use crate::objects::{bool_, long, none, unicode};
use crate::slot::{arg, ret_obj};
use crate::static_type;

static_type!(PyFloat_Type, c"float", core::mem::size_of::<PyFloatObject>(), {
    tp_flags: BUILTIN_BASETYPE_FLAGS | _Py_TPFLAGS_MATCH_SELF,
    tp_dealloc: Some(float_dealloc),
    tp_repr: Some(float_repr),
    tp_hash: Some(float_hash),
    tp_richcompare: Some(float_richcompare),
    tp_as_number: FLOAT_AS_NUMBER.0.get(),
    tp_doc: c"Convert a string or number to a floating-point number, if possible.".as_ptr(),
});

static FLOAT_AS_NUMBER: StaticObject<PyNumberMethods> = StaticObject::new(PyNumberMethods {
    nb_add: Some(float_add),
    nb_subtract: Some(float_sub),
    nb_multiply: Some(float_mul),
    nb_true_divide: Some(float_div),
    nb_negative: Some(float_neg),
    nb_positive: Some(float_pos),
    nb_absolute: Some(float_abs),
    nb_bool: Some(float_bool),
    nb_int: Some(float_int),
    nb_float: Some(float_pos),
    ..PyNumberMethods::EMPTY
});

pub fn new(v: f64) -> PyRef {
    // SAFETY: PyFloat_Type is a live static type.
    unsafe {
        let op = crate::alloc::alloc_object(PyFloat_Type.raw(), core::mem::size_of::<PyFloatObject>(), false);
        assert!(!op.is_null(), "out of memory allocating a float");
        (*(op as *mut PyFloatObject)).ob_fval = v;
        PyRef::from_raw(op)
    }
}

#[inline(always)]
pub fn check(o: &Obj) -> bool {
    o.is_instance_of(&PyFloat_Type)
}

/// The value of a float object (caller checked the type).
#[inline(always)]
pub fn value(o: &Obj) -> f64 {
    // SAFETY: o is a float.
    unsafe { (*(o.as_ptr() as *mut PyFloatObject)).ob_fval }
}

pub fn types() -> [&'static TypeObj; 1] {
    [&PyFloat_Type]
}

/// `repr(float)`: shortest round-trip digits; fixed notation for 1e-4 <= |v| < 1e16,
/// otherwise `d.ddde+XX`, as CPython's `float_repr_style = 'short'`.
pub fn repr_f64(v: f64) -> String {
    if v.is_nan() {
        return "nan".into();
    }
    if v.is_infinite() {
        return if v > 0.0 { "inf".into() } else { "-inf".into() };
    }
    if v == 0.0 {
        return if v.is_sign_negative() { "-0.0".into() } else { "0.0".into() };
    }
    let sci = format!("{:e}", v.abs());
    let (mant, exp) = sci.split_once('e').unwrap();
    let exp: i32 = exp.parse().unwrap();
    let digits: String = mant.chars().filter(|c| *c != '.').collect();
    let sign = if v < 0.0 { "-" } else { "" };
    if (-4..16).contains(&exp) {
        let n = digits.len() as i32;
        let s = if exp >= 0 {
            if n > exp + 1 {
                format!("{}.{}", &digits[..(exp + 1) as usize], &digits[(exp + 1) as usize..])
            } else {
                format!("{}{}.0", digits, "0".repeat((exp + 1 - n) as usize))
            }
        } else {
            format!("0.{}{}", "0".repeat((-exp - 1) as usize), digits)
        };
        format!("{sign}{s}")
    } else {
        let m = if digits.len() > 1 { format!("{}.{}", &digits[..1], &digits[1..]) } else { digits };
        format!("{sign}{m}e{}{:02}", if exp < 0 { '-' } else { '+' }, exp.abs())
    }
}

/// Converts an int or float operand to f64; `Ok(None)` means NotImplemented.
pub fn operand(o: &Obj) -> PyResult<Option<f64>> {
    if check(o) {
        Ok(Some(value(o)))
    } else if long::check(o) {
        long::to_f64(o).map(Some)
    } else {
        Ok(None)
    }
}

unsafe extern "C" fn float_dealloc(o: *mut PyObject) {
    // SAFETY: a dead float.
    unsafe {
        match (*(*o).ob_type).tp_free {
            Some(f) => f(o as *mut _),
            None => crate::alloc::free_object(o),
        }
    }
}

unsafe extern "C" fn float_repr(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: live float.
    unicode::new(&repr_f64(value(unsafe { arg(o) }))).into_raw()
}

unsafe extern "C" fn float_hash(o: *mut PyObject) -> Py_hash_t {
    // SAFETY: live float.
    let v = value(unsafe { arg(o) });
    if v.is_nan() {
        // SAFETY: hashing the address, as CPython does for NaN.
        return unsafe { crate::objects::type_::object_hash(o) };
    }
    hash::hash_f64(v)
}

unsafe extern "C" fn float_richcompare(a: *mut PyObject, b: *mut PyObject, op: c_int) -> *mut PyObject {
    // SAFETY: live arguments.
    let (a, b) = unsafe { (arg(a), arg(b)) };
    let r = (|| -> PyResult<PyRef> {
        let (Some(x), Some(y)) = (operand(a)?, operand(b)?) else { return Ok(none::not_implemented()) };
        let res = match op {
            Py_LT => x < y,
            Py_LE => x <= y,
            Py_EQ => x == y,
            Py_NE => x != y,
            Py_GT => x > y,
            _ => x >= y,
        };
        Ok(bool_::new(res))
    })();
    ret_obj(r)
}

macro_rules! float_binop {
    ($name:ident, |$x:ident, $y:ident| $body:expr) => {
        unsafe extern "C" fn $name(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
            // SAFETY: live arguments.
            let (a, b) = unsafe { (arg(a), arg(b)) };
            let r = (|| -> PyResult<PyRef> {
                let (Some($x), Some($y)) = (operand(a)?, operand(b)?) else { return Ok(none::not_implemented()) };
                $body
            })();
            ret_obj(r)
        }
    };
}

float_binop!(float_add, |x, y| Ok(new(x + y)));
float_binop!(float_sub, |x, y| Ok(new(x - y)));
float_binop!(float_mul, |x, y| Ok(new(x * y)));
float_binop!(float_div, |x, y| if y == 0.0 { Err(raise!(ZeroDivisionError, "division by zero")) } else { Ok(new(x / y)) });

unsafe extern "C" fn float_neg(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: live float.
    new(-value(unsafe { arg(o) })).into_raw()
}
unsafe extern "C" fn float_pos(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: live float.
    let o = unsafe { arg(o) };
    if o.is_exact(&PyFloat_Type) { o.new_ref().into_raw() } else { new(value(o)).into_raw() }
}
unsafe extern "C" fn float_abs(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: live float.
    new(value(unsafe { arg(o) }).abs()).into_raw()
}
unsafe extern "C" fn float_bool(o: *mut PyObject) -> c_int {
    // SAFETY: live float.
    (value(unsafe { arg(o) }) != 0.0) as c_int
}
unsafe extern "C" fn float_int(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: live float.
    ret_obj(long::from_f64(value(unsafe { arg(o) })))
}

#[cfg(test)]
mod tests {
    use super::repr_f64;
    #[test]
    fn repr_matches_cpython_format() {
        for (v, s) in [
            (1.0, "1.0"), (0.1, "0.1"), (1e16, "1e+16"), (1e15, "1000000000000000.0"), (0.0001, "0.0001"),
            (0.00001, "1e-05"), (1.5e-7, "1.5e-07"), (-2.5, "-2.5"), (123456789.125, "123456789.125"),
            (1.7976931348623157e308, "1.7976931348623157e+308"), (5e-324, "5e-324"),
        ] {
            assert_eq!(repr_f64(v), s);
        }
    }
}
