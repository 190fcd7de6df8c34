//! `cmath` (CPython's `Modules/cmathmodule.c`): the elementary functions of a complex
//! variable with CPython's branch cuts, its formulas for finite arguments (scaled to avoid
//! overflow and underflow near the extremes), and its results for infinite and NaN parts.
//! Those results (the `*_SV` tables, indexed by the class of the real and the imaginary part)
//! were recorded from CPython 3.15 itself; `D` marks the inputs CPython rejects with
//! `ValueError("math domain error")`. `asin`, `atan`, `cos`, `sin`, `tan` are the hyperbolic
//! functions of `i*z` rotated back, as in CPython.

use pyrite_abi::*;

use crate::err::PyResult;
use crate::method_table;
use crate::object::{Obj, PyRef};
use crate::objects::argparse::{self, Kw, Sig};
use crate::objects::complex::{self, Py_complex};
use crate::objects::{bool_, dict, float, tuple};

unsafe extern "C" {
    // The C library's, as CPython uses (Rust's own `asinh`/`log1p` may differ in the last bit).
    fn asinh(x: f64) -> f64;
    fn log1p(x: f64) -> f64;
}

fn c_asinh_real(x: f64) -> f64 {
    // SAFETY: a pure C math function.
    unsafe { asinh(x) }
}

fn c_log1p(x: f64) -> f64 {
    // SAFETY: a pure C math function.
    unsafe { log1p(x) }
}

fn c_hypot(x: f64, y: f64) -> f64 {
    x.hypot(y)
}

pub fn create() -> PyResult<PyRef> {
    let m = super::native::new_module("cmath", CMATH_FUNCTIONS.0.get() as *mut PyMethodDef)?;
    let d = crate::objects::module::dict_of(&m);
    dict::set_item_str(d, "__doc__", &crate::objects::unicode::new("This module provides access to mathematical functions for complex\nnumbers."))?;
    dict::set_item_str(d, "pi", &float::new(core::f64::consts::PI))?;
    dict::set_item_str(d, "e", &float::new(core::f64::consts::E))?;
    dict::set_item_str(d, "tau", &float::new(core::f64::consts::TAU))?;
    dict::set_item_str(d, "inf", &float::new(f64::INFINITY))?;
    dict::set_item_str(d, "infj", &complex::from_doubles(0.0, f64::INFINITY))?;
    dict::set_item_str(d, "nan", &float::new(f64::NAN))?;
    dict::set_item_str(d, "nanj", &complex::from_doubles(0.0, f64::NAN))?;
    Ok(m)
}

method_table!(static CMATH_FUNCTIONS = [
    o c"acos" => m_acos,
    o c"acosh" => m_acosh,
    o c"asin" => m_asin,
    o c"asinh" => m_asinh,
    o c"atan" => m_atan,
    o c"atanh" => m_atanh,
    o c"cos" => m_cos,
    o c"cosh" => m_cosh,
    o c"exp" => m_exp,
    kw c"isclose" => m_isclose,
    o c"isfinite" => m_isfinite,
    o c"isinf" => m_isinf,
    o c"isnan" => m_isnan,
    fast c"log" => m_log,
    o c"log10" => m_log10,
    o c"phase" => m_phase,
    o c"polar" => m_polar,
    fast c"rect" => m_rect,
    o c"sin" => m_sin,
    o c"sinh" => m_sinh,
    o c"sqrt" => m_sqrt,
    o c"tan" => m_tan,
    o c"tanh" => m_tanh,
]);

// ---- special values -------------------------------------------------------------------------

/// A result for infinite or NaN parts: a value, a domain error, or computed by the function.
#[derive(Clone, Copy)]
enum Sv {
    V(f64, f64),
    D,
    X,
}
use Sv::{D, V, X};

type Table = [[Sv; 7]; 7];

const I: f64 = f64::INFINITY;
const N: f64 = f64::NAN;
const P: f64 = core::f64::consts::PI;
const P2: f64 = core::f64::consts::FRAC_PI_2;
const P4: f64 = core::f64::consts::FRAC_PI_4;
const P34: f64 = 0.75 * core::f64::consts::PI;

/// CPython's classes of a double: -inf, negative, -0, +0, positive, +inf, NaN.
fn class(x: f64) -> usize {
    if x.is_nan() {
        6
    } else if x.is_infinite() {
        if x > 0.0 { 5 } else { 0 }
    } else if x == 0.0 {
        if x.is_sign_negative() { 2 } else { 3 }
    } else if x < 0.0 {
        1
    } else {
        4
    }
}

/// A function's outcome: a value, or CPython's errno (domain or range error).
enum Errno {
    Dom,
    Range,
}

type CResult = Result<Py_complex, Errno>;

fn c(real: f64, imag: f64) -> Py_complex {
    Py_complex { real, imag }
}

/// The table's answer for `z` if a part is not finite (`None` when the function computes it).
fn special(table: &Table, z: Py_complex) -> Option<CResult> {
    if z.real.is_finite() && z.imag.is_finite() {
        return None;
    }
    match table[class(z.real)][class(z.imag)] {
        V(a, b) => Some(Ok(c(a, b))),
        D => Some(Err(Errno::Dom)),
        X => None,
    }
}

const LARGE_DOUBLE: f64 = f64::MAX / 4.0;
fn sqrt_large_double() -> f64 {
    LARGE_DOUBLE.sqrt()
}
fn log_large_double() -> f64 {
    LARGE_DOUBLE.ln()
}
fn sqrt_dbl_min() -> f64 {
    f64::MIN_POSITIVE.sqrt()
}
const LN2: f64 = core::f64::consts::LN_2;

/// Overflow in a finite computation is a range error.
fn checked(r: Py_complex) -> CResult {
    if r.real.is_infinite() || r.imag.is_infinite() { Err(Errno::Range) } else { Ok(r) }
}

// ---- the functions --------------------------------------------------------------------------

fn c_sqrt(z: Py_complex) -> CResult {
    if let Some(r) = special(&SQRT_SV, z) {
        return r;
    }
    if z.real == 0.0 && z.imag == 0.0 {
        return Ok(c(0.0, z.imag));
    }
    let (mut ax, ay) = (z.real.abs(), z.imag.abs());
    let s = if ax < f64::MIN_POSITIVE && ay < f64::MIN_POSITIVE {
        // Subnormal parts: scale up by 2^53 so hypot keeps its precision; the square root
        // scales back by 2^-27 (the half-power left over is the /2 of the formula below).
        ax *= 2f64.powi(53);
        (ax + c_hypot(ax, ay * 2f64.powi(53))).sqrt() * 2f64.powi(-27)
    } else {
        ax /= 8.0;
        2.0 * (ax + c_hypot(ax, ay / 8.0)).sqrt()
    };
    let d = ay / (2.0 * s);
    Ok(if z.real >= 0.0 { c(s, d.copysign(z.imag)) } else { c(d, s.copysign(z.imag)) })
}

fn c_acos(z: Py_complex) -> CResult {
    if let Some(r) = special(&ACOS_SV, z) {
        return r;
    }
    let (x, y) = (z.real, z.imag);
    if x.abs() > LARGE_DOUBLE || y.abs() > LARGE_DOUBLE {
        let real = y.abs().atan2(x);
        let l = (c_hypot(x / 2.0, y / 2.0)).ln() + LN2 * 2.0;
        let imag = if x < 0.0 { -l.copysign(y) } else { l.copysign(-y) };
        return Ok(c(real, imag));
    }
    let s1 = c_sqrt(c(1.0 - x, -y))?;
    let s2 = c_sqrt(c(1.0 + x, y))?;
    Ok(c(2.0 * s1.real.atan2(s2.real), c_asinh_real(s2.real * s1.imag - s2.imag * s1.real)))
}

fn c_acosh(z: Py_complex) -> CResult {
    if let Some(r) = special(&ACOSH_SV, z) {
        return r;
    }
    let (x, y) = (z.real, z.imag);
    if x.abs() > LARGE_DOUBLE || y.abs() > LARGE_DOUBLE {
        return Ok(c(c_hypot(x / 2.0, y / 2.0).ln() + LN2 * 2.0, y.atan2(x)));
    }
    let s1 = c_sqrt(c(x - 1.0, y))?;
    let s2 = c_sqrt(c(x + 1.0, y))?;
    Ok(c(c_asinh_real(s1.real * s2.real + s1.imag * s2.imag), 2.0 * s1.imag.atan2(s2.real)))
}

fn c_asinh(z: Py_complex) -> CResult {
    if let Some(r) = special(&ASINH_SV, z) {
        return r;
    }
    let (x, y) = (z.real, z.imag);
    if x.abs() > LARGE_DOUBLE || y.abs() > LARGE_DOUBLE {
        let l = c_hypot(x / 2.0, y / 2.0).ln() + LN2 * 2.0;
        let real = if y >= 0.0 { l.copysign(x) } else { -l.copysign(-x) };
        return Ok(c(real, y.atan2(x.abs())));
    }
    let s1 = c_sqrt(c(1.0 + y, -x))?;
    let s2 = c_sqrt(c(1.0 - y, x))?;
    Ok(c(c_asinh_real(s1.real * s2.imag - s2.real * s1.imag), y.atan2(s1.real * s2.real - s1.imag * s2.imag)))
}

/// `f(i*z)` rotated back by `-i`: asin from asinh, atan from atanh, sin/tan from sinh/tanh.
fn rotated(f: fn(Py_complex) -> CResult, z: Py_complex) -> CResult {
    let r = f(c(-z.imag, z.real))?;
    Ok(c(r.imag, -r.real))
}

fn c_atanh(z: Py_complex) -> CResult {
    if let Some(r) = special(&ATANH_SV, z) {
        return r;
    }
    // Odd: reduce to a non-negative real part.
    if z.real < 0.0 {
        let r = c_atanh(c(-z.real, -z.imag))?;
        return Ok(c(-r.real, -r.imag));
    }
    let (x, y) = (z.real, z.imag);
    let ay = y.abs();
    if x > sqrt_large_double() || ay > sqrt_large_double() {
        let h = c_hypot(x / 2.0, y / 2.0);
        return Ok(c(x / 4.0 / h / h, -P2.copysign(-y)));
    }
    if x == 1.0 && ay < sqrt_dbl_min() {
        if ay == 0.0 {
            return Err(Errno::Dom);
        }
        return Ok(c(-(ay.sqrt() / c_hypot(ay, 2.0).sqrt()).ln(), (2.0f64.atan2(-ay) / 2.0).copysign(y)));
    }
    Ok(c(c_log1p(4.0 * x / ((1.0 - x) * (1.0 - x) + ay * ay)) / 4.0, -(-2.0 * y).atan2((1.0 - x) * (1.0 + x) - ay * ay) / 2.0))
}

/// The infinite-real-part rule shared by cosh, sinh and exp: signs from cos(y) and sin(y).
fn inf_real_finite_imag(z: Py_complex) -> bool {
    z.real.is_infinite() && z.imag.is_finite() && z.imag != 0.0
}

fn c_cosh(z: Py_complex) -> CResult {
    let (x, y) = (z.real, z.imag);
    if !x.is_finite() || !y.is_finite() {
        let r = if inf_real_finite_imag(z) {
            let im = I.copysign(y.sin());
            c(I.copysign(y.cos()), if x > 0.0 { im } else { -im })
        } else {
            match special(&COSH_SV, z) {
                Some(r) => r?,
                None => unreachable!("table entry"),
            }
        };
        return if y.is_infinite() && !x.is_nan() { Err(Errno::Dom) } else { Ok(r) };
    }
    let r = if x.abs() > log_large_double() {
        let xm1 = x - 1.0f64.copysign(x);
        c(y.cos() * xm1.cosh() * core::f64::consts::E, y.sin() * xm1.sinh() * core::f64::consts::E)
    } else {
        c(y.cos() * x.cosh(), y.sin() * x.sinh())
    };
    checked(r)
}

fn c_sinh(z: Py_complex) -> CResult {
    let (x, y) = (z.real, z.imag);
    if !x.is_finite() || !y.is_finite() {
        let r = if inf_real_finite_imag(z) {
            let re = I.copysign(y.cos());
            c(if x > 0.0 { re } else { -re }, I.copysign(y.sin()))
        } else {
            match special(&SINH_SV, z) {
                Some(r) => r?,
                None => unreachable!("table entry"),
            }
        };
        return if y.is_infinite() && !x.is_nan() { Err(Errno::Dom) } else { Ok(r) };
    }
    let r = if x.abs() > log_large_double() {
        let xm1 = x - 1.0f64.copysign(x);
        c(y.cos() * xm1.sinh() * core::f64::consts::E, y.sin() * xm1.cosh() * core::f64::consts::E)
    } else {
        c(y.cos() * x.sinh(), y.sin() * x.cosh())
    };
    checked(r)
}

fn c_exp(z: Py_complex) -> CResult {
    let (x, y) = (z.real, z.imag);
    if !x.is_finite() || !y.is_finite() {
        let r = if inf_real_finite_imag(z) {
            if x > 0.0 { c(I.copysign(y.cos()), I.copysign(y.sin())) } else { c(0.0f64.copysign(y.cos()), 0.0f64.copysign(y.sin())) }
        } else {
            match special(&EXP_SV, z) {
                Some(r) => r?,
                None => unreachable!("table entry"),
            }
        };
        return if y.is_infinite() && (x.is_finite() || x == I) { Err(Errno::Dom) } else { Ok(r) };
    }
    let r = if x > log_large_double() {
        let l = (x - 1.0).exp();
        c(l * y.cos() * core::f64::consts::E, l * y.sin() * core::f64::consts::E)
    } else {
        let l = x.exp();
        c(l * y.cos(), l * y.sin())
    };
    checked(r)
}

fn c_tanh(z: Py_complex) -> CResult {
    let (x, y) = (z.real, z.imag);
    if !x.is_finite() || !y.is_finite() {
        let r = if inf_real_finite_imag(z) {
            c(if x > 0.0 { 1.0 } else { -1.0 }, 0.0f64.copysign(2.0 * y.sin() * y.cos()))
        } else {
            match special(&TANH_SV, z) {
                Some(r) => r?,
                None => unreachable!("table entry"),
            }
        };
        return if y.is_infinite() && x.is_finite() { Err(Errno::Dom) } else { Ok(r) };
    }
    if x.abs() > log_large_double() {
        return Ok(c(1.0f64.copysign(x), 4.0 * y.sin() * y.cos() * (-2.0 * x.abs()).exp()));
    }
    let (tx, ty) = (x.tanh(), y.tan());
    let cx = 1.0 / x.cosh();
    let txty = tx * ty;
    let denom = 1.0 + txty * txty;
    Ok(c(tx * (1.0 + ty * ty) / denom, ((ty / denom) * cx) * cx))
}

fn c_log(z: Py_complex) -> CResult {
    if let Some(r) = special(&LOG_SV, z) {
        return r;
    }
    let (ax, ay) = (z.real.abs(), z.imag.abs());
    let real = if ax > LARGE_DOUBLE || ay > LARGE_DOUBLE {
        c_hypot(ax / 2.0, ay / 2.0).ln() + LN2
    } else if ax < f64::MIN_POSITIVE && ay < f64::MIN_POSITIVE {
        if ax > 0.0 || ay > 0.0 {
            c_hypot(ax * 2f64.powi(53), ay * 2f64.powi(53)).ln() - 53.0 * LN2
        } else {
            return Err(Errno::Dom);
        }
    } else {
        let h = c_hypot(ax, ay);
        if (0.71..=1.73).contains(&h) {
            let (am, an) = if ax > ay { (ax, ay) } else { (ay, ax) };
            c_log1p((am - 1.0) * (am + 1.0) + an * an) / 2.0
        } else {
            h.ln()
        }
    };
    Ok(c(real, z.imag.atan2(z.real)))
}

// ---- argument and result conversion ---------------------------------------------------------

fn arg(o: &Obj) -> PyResult<Py_complex> {
    complex::as_c_complex(o)
}

fn result(r: CResult) -> PyResult<PyRef> {
    match r {
        Ok(z) => Ok(complex::new(z)),
        Err(e) => Err(math_error(e)),
    }
}

fn math_error(e: Errno) -> crate::err::PyErr {
    match e {
        Errno::Dom => raise!(ValueError, "math domain error"),
        Errno::Range => raise!(OverflowError, "math range error"),
    }
}

macro_rules! unary {
    ($name:ident, $f:expr) => {
        fn $name(_m: &Obj, z: &Obj) -> PyResult<PyRef> {
            let f: fn(Py_complex) -> CResult = $f;
            result(f(arg(z)?))
        }
    };
}

unary!(m_acos, c_acos);
unary!(m_acosh, c_acosh);
unary!(m_asin, |z| rotated(c_asinh, z));
unary!(m_asinh, c_asinh);
unary!(m_atan, |z| rotated(c_atanh, z));
unary!(m_atanh, c_atanh);
unary!(m_cos, |z| c_cosh(c(-z.imag, z.real)));
unary!(m_cosh, c_cosh);
unary!(m_exp, c_exp);
unary!(m_sin, |z| rotated(c_sinh, z));
unary!(m_sinh, c_sinh);
unary!(m_sqrt, c_sqrt);
unary!(m_tan, |z| rotated(c_tanh, z));
unary!(m_tanh, c_tanh);

/// `log(z[, base])`: a zero logarithm of the base is a domain error.
fn m_log(_m: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    argparse::check_positional("log", a.len(), 1, 2)?;
    let z = arg(a[0])?;
    let Some(base) = a.get(1) else { return result(c_log(z)) };
    // As CPython: with a base, only the base's logarithm and the division can fail (log(0)
    // is then -inf with its phase).
    let x = c_log(z).unwrap_or(c(f64::NEG_INFINITY, z.imag.atan2(z.real)));
    let y = c_log(arg(base)?).map_err(math_error)?;
    let (q, errno) = complex::c_quot(x, y);
    if !matches!(errno, complex::Errno::Ok) {
        return Err(math_error(Errno::Dom));
    }
    Ok(complex::new(q))
}

fn m_log10(_m: &Obj, z: &Obj) -> PyResult<PyRef> {
    let r = c_log(arg(z)?).map_err(math_error)?;
    let ln10 = core::f64::consts::LN_10;
    Ok(complex::new(c(r.real / ln10, r.imag / ln10)))
}

/// `phase(z)`: `atan2(imag, real)` (the C library's, which has C99's special cases).
fn m_phase(_m: &Obj, z: &Obj) -> PyResult<PyRef> {
    let z = arg(z)?;
    let phi = z.imag.atan2(z.real);
    // The C library reports a range error when a non-zero angle underflows to zero.
    if phi == 0.0 && z.imag != 0.0 && z.imag.is_finite() && z.real.is_finite() {
        return Err(math_error(Errno::Range));
    }
    Ok(float::new(phi))
}

fn m_polar(_m: &Obj, z: &Obj) -> PyResult<PyRef> {
    let z = arg(z)?;
    let (r, errno) = complex::c_abs(z);
    if !matches!(errno, complex::Errno::Ok) {
        return Err(math_error(Errno::Range));
    }
    Ok(tuple::new_from(&[&*float::new(r), &*float::new(z.imag.atan2(z.real))]))
}

fn m_rect(_m: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    argparse::check_positional("rect", a.len(), 2, 2)?;
    let r = crate::number::as_f64(a[0])?;
    let phi = crate::number::as_f64(a[1])?;
    if !r.is_finite() || !phi.is_finite() {
        let z = if r.is_infinite() && phi.is_finite() && phi != 0.0 {
            let (re, im) = (I.copysign(phi.cos()), I.copysign(phi.sin()));
            if r > 0.0 { c(re, im) } else { c(-re, -im) }
        } else {
            match RECT_SV[class(r)][class(phi)] {
                V(a, b) => c(a, b),
                D => return Err(math_error(Errno::Dom)),
                X => unreachable!("table entry"),
            }
        };
        if r != 0.0 && !r.is_nan() && phi.is_infinite() {
            return Err(math_error(Errno::Dom));
        }
        return Ok(complex::new(z));
    }
    // phi == 0 keeps r * phi's sign (CPython's workaround for some C libraries).
    if phi == 0.0 {
        return Ok(complex::new(c(r, r * phi)));
    }
    Ok(complex::new(c(r * phi.cos(), r * phi.sin())))
}

fn m_isfinite(_m: &Obj, z: &Obj) -> PyResult<PyRef> {
    let z = arg(z)?;
    Ok(bool_::new(z.real.is_finite() && z.imag.is_finite()))
}

fn m_isinf(_m: &Obj, z: &Obj) -> PyResult<PyRef> {
    let z = arg(z)?;
    Ok(bool_::new(z.real.is_infinite() || z.imag.is_infinite()))
}

fn m_isnan(_m: &Obj, z: &Obj) -> PyResult<PyRef> {
    let z = arg(z)?;
    Ok(bool_::new(z.real.is_nan() || z.imag.is_nan()))
}

fn m_isclose(_m: &Obj, a: &[&Obj], kw: Kw) -> PyResult<PyRef> {
    let sig = Sig { name: "isclose", params: &["a", "b", "rel_tol", "abs_tol"], posonly: 0, maxpos: 2, required: 2 };
    let [x, y, rel, abs] = argparse::parse::<4>(&sig, a, kw)?;
    let (x, y) = (arg(x.unwrap())?, arg(y.unwrap())?);
    let rel = rel.map_or(Ok(1e-9), crate::number::as_f64)?;
    let abs = abs.map_or(Ok(0.0), crate::number::as_f64)?;
    if rel < 0.0 || abs < 0.0 {
        return Err(raise!(ValueError, "tolerances must be non-negative"));
    }
    if x.real == y.real && x.imag == y.imag {
        return Ok(bool_::new(true));
    }
    if x.real.is_infinite() || x.imag.is_infinite() || y.real.is_infinite() || y.imag.is_infinite() {
        return Ok(bool_::new(false));
    }
    let diff = complex::c_abs(c(y.real - x.real, y.imag - x.imag)).0;
    let close = diff <= rel * complex::c_abs(y).0 || diff <= rel * complex::c_abs(x).0 || diff <= abs;
    Ok(bool_::new(close))
}

const ACOS_SV: Table = [
    [V(P34, I), V(P, I), V(P, I), V(P, -I), V(P, -I), V(P34, -I), V(N, I)],
    [V(P2, I), X, X, X, X, V(P2, -I), V(N, N)],
    [V(P2, I), X, X, X, X, V(P2, -I), V(P2, N)],
    [V(P2, I), X, X, X, X, V(P2, -I), V(P2, N)],
    [V(P2, I), X, X, X, X, V(P2, -I), V(N, N)],
    [V(P4, I), V(0.0, I), V(0.0, I), V(0.0, -I), V(0.0, -I), V(P4, -I), V(N, I)],
    [V(N, I), V(N, N), V(N, N), V(N, N), V(N, N), V(N, -I), V(N, N)],
];
const ACOSH_SV: Table = [
    [V(I, -P34), V(I, -P), V(I, -P), V(I, P), V(I, P), V(I, P34), V(I, N)],
    [V(I, -P2), X, X, X, X, V(I, P2), V(N, N)],
    [V(I, -P2), X, X, X, X, V(I, P2), V(N, P2)],
    [V(I, -P2), X, X, X, X, V(I, P2), V(N, P2)],
    [V(I, -P2), X, X, X, X, V(I, P2), V(N, N)],
    [V(I, -P4), V(I, -0.0), V(I, -0.0), V(I, 0.0), V(I, 0.0), V(I, P4), V(I, N)],
    [V(I, N), V(N, N), V(N, N), V(N, N), V(N, N), V(I, N), V(N, N)],
];
const ASINH_SV: Table = [
    [V(-I, -P4), V(-I, -0.0), V(-I, -0.0), V(-I, 0.0), V(-I, 0.0), V(-I, P4), V(-I, N)],
    [V(-I, -P2), X, X, X, X, V(-I, P2), V(N, N)],
    [V(-I, -P2), X, X, X, X, V(-I, P2), V(N, N)],
    [V(I, -P2), X, X, X, X, V(I, P2), V(N, N)],
    [V(I, -P2), X, X, X, X, V(I, P2), V(N, N)],
    [V(I, -P4), V(I, -0.0), V(I, -0.0), V(I, 0.0), V(I, 0.0), V(I, P4), V(I, N)],
    [V(I, N), V(N, N), V(N, -0.0), V(N, 0.0), V(N, N), V(I, N), V(N, N)],
];
const ATANH_SV: Table = [
    [V(-0.0, -P2), V(-0.0, -P2), V(-0.0, -P2), V(-0.0, P2), V(-0.0, P2), V(-0.0, P2), V(-0.0, N)],
    [V(-0.0, -P2), X, X, X, X, V(-0.0, P2), V(N, N)],
    [V(-0.0, -P2), X, X, X, X, V(-0.0, P2), V(-0.0, N)],
    [V(0.0, -P2), X, X, X, X, V(0.0, P2), V(0.0, N)],
    [V(0.0, -P2), X, X, X, X, V(0.0, P2), V(N, N)],
    [V(0.0, -P2), V(0.0, -P2), V(0.0, -P2), V(0.0, P2), V(0.0, P2), V(0.0, P2), V(0.0, N)],
    [V(0.0, -P2), V(N, N), V(N, N), V(N, N), V(N, N), V(0.0, P2), V(N, N)],
];
const COSH_SV: Table = [
    [D, X, V(I, 0.0), V(I, -0.0), X, D, V(I, N)],
    [D, X, X, X, X, D, V(N, N)],
    [D, X, X, X, X, D, V(N, 0.0)],
    [D, X, X, X, X, D, V(N, 0.0)],
    [D, X, X, X, X, D, V(N, N)],
    [D, X, V(I, -0.0), V(I, 0.0), X, D, V(I, N)],
    [V(N, N), V(N, N), V(N, 0.0), V(N, 0.0), V(N, N), V(N, N), V(N, N)],
];
const EXP_SV: Table = [
    [V(0.0, 0.0), X, V(0.0, -0.0), V(0.0, 0.0), X, V(0.0, 0.0), V(0.0, 0.0)],
    [D, X, X, X, X, D, V(N, N)],
    [D, X, X, X, X, D, V(N, N)],
    [D, X, X, X, X, D, V(N, N)],
    [D, X, X, X, X, D, V(N, N)],
    [D, X, V(I, -0.0), V(I, 0.0), X, D, V(I, N)],
    [V(N, N), V(N, N), V(N, -0.0), V(N, 0.0), V(N, N), V(N, N), V(N, N)],
];
const LOG_SV: Table = [
    [V(I, -P34), V(I, -P), V(I, -P), V(I, P), V(I, P), V(I, P34), V(I, N)],
    [V(I, -P2), X, X, X, X, V(I, P2), V(N, N)],
    [V(I, -P2), X, X, X, X, V(I, P2), V(N, N)],
    [V(I, -P2), X, X, X, X, V(I, P2), V(N, N)],
    [V(I, -P2), X, X, X, X, V(I, P2), V(N, N)],
    [V(I, -P4), V(I, -0.0), V(I, -0.0), V(I, 0.0), V(I, 0.0), V(I, P4), V(I, N)],
    [V(I, N), V(N, N), V(N, N), V(N, N), V(N, N), V(I, N), V(N, N)],
];
const SINH_SV: Table = [
    [D, X, V(-I, -0.0), V(-I, 0.0), X, D, V(I, N)],
    [D, X, X, X, X, D, V(N, N)],
    [D, X, X, X, X, D, V(0.0, N)],
    [D, X, X, X, X, D, V(0.0, N)],
    [D, X, X, X, X, D, V(N, N)],
    [D, X, V(I, -0.0), V(I, 0.0), X, D, V(I, N)],
    [V(N, N), V(N, N), V(N, -0.0), V(N, 0.0), V(N, N), V(N, N), V(N, N)],
];
const SQRT_SV: Table = [
    [V(I, -I), V(0.0, -I), V(0.0, -I), V(0.0, I), V(0.0, I), V(I, I), V(N, I)],
    [V(I, -I), X, X, X, X, V(I, I), V(N, N)],
    [V(I, -I), X, X, X, X, V(I, I), V(N, N)],
    [V(I, -I), X, X, X, X, V(I, I), V(N, N)],
    [V(I, -I), X, X, X, X, V(I, I), V(N, N)],
    [V(I, -I), V(I, -0.0), V(I, -0.0), V(I, 0.0), V(I, 0.0), V(I, I), V(I, N)],
    [V(I, -I), V(N, N), V(N, N), V(N, N), V(N, N), V(I, I), V(N, N)],
];
const TANH_SV: Table = [
    [V(-1.0, 0.0), X, V(-1.0, -0.0), V(-1.0, 0.0), X, V(-1.0, 0.0), V(-1.0, 0.0)],
    [D, X, X, X, X, D, V(N, N)],
    [D, X, X, X, X, D, V(-0.0, N)],
    [D, X, X, X, X, D, V(0.0, N)],
    [D, X, X, X, X, D, V(N, N)],
    [V(1.0, 0.0), X, V(1.0, -0.0), V(1.0, 0.0), X, V(1.0, 0.0), V(1.0, 0.0)],
    [V(N, N), V(N, N), V(N, -0.0), V(N, 0.0), V(N, N), V(N, N), V(N, N)],
];
const RECT_SV: Table = [
    [D, X, V(-I, 0.0), V(-I, -0.0), X, D, V(I, N)],
    [D, X, X, X, X, D, V(N, N)],
    [V(0.0, 0.0), X, X, X, X, V(0.0, 0.0), V(0.0, 0.0)],
    [V(0.0, 0.0), X, X, X, X, V(0.0, 0.0), V(0.0, 0.0)],
    [D, X, X, X, X, D, V(N, N)],
    [D, X, V(I, -0.0), V(I, 0.0), X, D, V(I, N)],
    [V(N, N), V(N, N), V(N, 0.0), V(N, 0.0), V(N, N), V(N, N), V(N, N)],
];
