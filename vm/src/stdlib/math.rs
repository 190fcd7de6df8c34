//! `math` (CPython's `Modules/mathmodule.c`): the C library's functions on floats with
//! CPython's error rules (a NaN from a non-NaN is a `ValueError`, an infinity from a finite
//! input an `OverflowError` or a `ValueError`), 3.15's per-function messages, exact integer
//! functions on Pyrite's ints, and the carefully rounded `fsum` and `hypot`.

use pyrite_abi::*;

use crate::err::{PyErr, PyResult};
use crate::method_table;
use crate::number::{self, BinaryOp};
use crate::object::{Obj, PyRef};
use crate::objects::argparse::{self, Kw, Sig};
use crate::objects::{bool_, dict, float, iterobject, long, none, tuple};
use crate::{abstract_, stdlib::native};

unsafe extern "C" {
    // The C library's (CPython 3.15 uses them too).
    fn erf(x: f64) -> f64;
    fn erfc(x: f64) -> f64;
}

pub fn create() -> PyResult<PyRef> {
    let m = native::new_module("math", MATH_FUNCTIONS.0.get() as *mut PyMethodDef)?;
    let d = crate::objects::module::dict_of(&m);
    dict::set_item_str(d, "pi", &float::new(core::f64::consts::PI))?;
    dict::set_item_str(d, "e", &float::new(core::f64::consts::E))?;
    dict::set_item_str(d, "tau", &float::new(core::f64::consts::TAU))?;
    dict::set_item_str(d, "inf", &float::new(f64::INFINITY))?;
    dict::set_item_str(d, "nan", &float::new(f64::NAN))?;
    Ok(m)
}

macro_rules! unary {
    ($name:ident, $f:expr, $overflow:expr, $msg:expr) => {
        fn $name(_m: &Obj, x: &Obj) -> PyResult<PyRef> {
            math_1(x, $f, $overflow, $msg)
        }
    };
}

unary!(m_acos, f64::acos, false, Some("expected a number in range from -1 up to 1, got "));
unary!(m_acosh, f64::acosh, false, Some("expected argument value not less than 1, got "));
unary!(m_asin, f64::asin, false, Some("expected a number in range from -1 up to 1, got "));
unary!(m_asinh, f64::asinh, false, None);
unary!(m_atan, f64::atan, false, None);
unary!(m_atanh, f64::atanh, false, Some("expected a number between -1 and 1, got "));
unary!(m_cbrt, f64::cbrt, false, None);
unary!(m_cos, f64::cos, false, Some("expected a finite input, got "));
unary!(m_cosh, f64::cosh, true, None);
unary!(m_erf, |x| unsafe { erf(x) }, false, None);
unary!(m_erfc, |x| unsafe { erfc(x) }, false, None);
unary!(m_exp, f64::exp, true, None);
unary!(m_exp2, f64::exp2, true, None);
unary!(m_expm1, f64::exp_m1, true, None);
unary!(m_fabs, f64::abs, false, None);
unary!(m_gamma, gamma, true, Some("expected a noninteger or positive integer, got "));
unary!(m_lgamma, log_gamma, true, Some("expected a noninteger or positive integer, got "));
unary!(m_log1p, f64::ln_1p, false, Some("expected argument value > -1, got "));
unary!(m_sin, f64::sin, false, Some("expected a finite input, got "));
unary!(m_sinh, f64::sinh, true, None);
unary!(m_sqrt, f64::sqrt, false, Some("expected a nonnegative input, got "));
unary!(m_tan, f64::tan, false, Some("expected a finite input, got "));
unary!(m_tanh, f64::tanh, false, None);

method_table!(static MATH_FUNCTIONS = [
    o c"acos" => m_acos,
    o c"acosh" => m_acosh,
    o c"asin" => m_asin,
    o c"asinh" => m_asinh,
    o c"atan" => m_atan,
    fast c"atan2" => m_atan2,
    o c"atanh" => m_atanh,
    o c"cbrt" => m_cbrt,
    o c"ceil" => m_ceil,
    fast c"comb" => m_comb,
    fast c"copysign" => m_copysign,
    o c"cos" => m_cos,
    o c"cosh" => m_cosh,
    o c"degrees" => m_degrees,
    fast c"dist" => m_dist,
    o c"erf" => m_erf,
    o c"erfc" => m_erfc,
    o c"exp" => m_exp,
    o c"exp2" => m_exp2,
    o c"expm1" => m_expm1,
    o c"fabs" => m_fabs,
    o c"factorial" => m_factorial,
    o c"floor" => m_floor,
    fast c"fma" => m_fma,
    fast c"fmax" => m_fmax,
    fast c"fmin" => m_fmin,
    fast c"fmod" => m_fmod,
    o c"frexp" => m_frexp,
    o c"fsum" => m_fsum,
    o c"gamma" => m_gamma,
    fast c"gcd" => m_gcd,
    fast c"hypot" => m_hypot,
    kw c"isclose" => m_isclose,
    o c"isfinite" => m_isfinite,
    o c"isinf" => m_isinf,
    o c"isnan" => m_isnan,
    o c"isnormal" => m_isnormal,
    o c"isqrt" => m_isqrt,
    o c"issubnormal" => m_issubnormal,
    fast c"lcm" => m_lcm,
    fast c"ldexp" => m_ldexp,
    o c"lgamma" => m_lgamma,
    fast c"log" => m_log,
    o c"log10" => m_log10,
    o c"log1p" => m_log1p,
    o c"log2" => m_log2,
    o c"modf" => m_modf,
    kw c"nextafter" => m_nextafter,
    fast c"perm" => m_perm,
    fast c"pow" => m_pow,
    kw c"prod" => m_prod,
    o c"radians" => m_radians,
    fast c"remainder" => m_remainder,
    o c"signbit" => m_signbit,
    o c"sin" => m_sin,
    o c"sinh" => m_sinh,
    o c"sqrt" => m_sqrt,
    fast c"sumprod" => m_sumprod,
    o c"tan" => m_tan,
    o c"tanh" => m_tanh,
    o c"trunc" => m_trunc,
    o c"ulp" => m_ulp,
]);

fn domain_error() -> PyErr {
    raise!(ValueError, "math domain error")
}

fn range_error() -> PyErr {
    raise!(OverflowError, "math range error")
}

fn f(o: &Obj) -> PyResult<f64> {
    number::as_f64(o)
}

fn fl(v: f64) -> PyResult<PyRef> {
    Ok(float::new(v))
}

/// CPython's `math_1`: `func(float(x))` with its error rules; `msg` (3.15) is followed by the
/// argument's repr, otherwise "math domain error".
fn math_1(x: &Obj, func: impl Fn(f64) -> f64, can_overflow: bool, msg: Option<&str>) -> PyResult<PyRef> {
    let x = f(x)?;
    let r = func(x);
    let domain = || match msg {
        Some(m) => raise!(ValueError, "{}{}", m, float::repr_f64(x)),
        None => domain_error(),
    };
    if r.is_nan() && !x.is_nan() {
        return Err(domain());
    }
    if r.is_infinite() && x.is_finite() {
        return Err(if can_overflow { range_error() } else { domain() });
    }
    fl(r)
}

// CPython computes Γ and log Γ itself (Lanczos approximation, g = 6.02468..., N = 13) rather
// than trusting the platform's libm, so Pyrite does the same to give the same bits.
const LANCZOS_G: f64 = 6.024680040776729583740234375;
const LANCZOS_G_MINUS_HALF: f64 = 5.524680040776729583740234375;
const LANCZOS_NUM: [f64; 13] = [
    23531376880.410759688572007674451636754734846804940,
    42919803642.649098768957899047001988850926355848959,
    35711959237.355668049440185451547166705960488635843,
    17921034426.037209699919755754458931112671403265390,
    6039542586.3520280050642916443072979210699388420708,
    1439720407.3117216736632230727949123939715485786772,
    248874557.86205415651146038641322942321632125127801,
    31426415.585400194380614231628318205362874684987640,
    2876370.6289353724412254090516208496135991145378768,
    186056.26539522349504029498971604569928220784236328,
    8071.6720023658162106380029022722506138218516325024,
    210.82427775157934587250973392071336271166969580291,
    2.5066282746310002701649081771338373386264310793408,
];
const LANCZOS_DEN: [f64; 13] = [
    0.0, 39916800.0, 120543840.0, 150917976.0, 105258076.0, 45995730.0, 13339535.0, 2637558.0, 357423.0, 32670.0, 1925.0,
    66.0, 1.0,
];

/// (n-1)! for n in 1..=23, the exact values of Γ at the small integers.
#[allow(clippy::excessive_precision)]
const GAMMA_INTEGRAL: [f64; 23] = [1.0, 1.0, 2.0, 6.0, 24.0, 120.0, 720.0, 5040.0, 40320.0, 362880.0, 3628800.0, 39916800.0, 479001600.0, 6227020800.0, 87178291200.0, 1307674368000.0, 20922789888000.0, 355687428096000.0, 6402373705728000.0, 121645100408832000.0, 2432902008176640000.0, 51090942171709440000.0, 1124000727777607680000.0];

fn lanczos_sum(x: f64) -> f64 {
    let (mut num, mut den) = (0.0, 0.0);
    if x < 5.0 {
        for i in (0..13).rev() {
            num = num * x + LANCZOS_NUM[i];
            den = den * x + LANCZOS_DEN[i];
        }
    } else {
        for i in 0..13 {
            num = num / x + LANCZOS_NUM[i];
            den = den / x + LANCZOS_DEN[i];
        }
    }
    num / den
}

/// sin(pi * x), exact at the integers and half-integers.
fn sinpi(x: f64) -> f64 {
    use core::f64::consts::PI;
    let y = x.abs() % 2.0;
    let r = match (2.0 * y).round() as i32 {
        0 => (PI * y).sin(),
        1 => (PI * (y - 0.5)).cos(),
        2 => (PI * (1.0 - y)).sin(),
        3 => -(PI * (y - 1.5)).cos(),
        _ => (PI * (y - 2.0)).sin(),
    };
    1.0f64.copysign(x) * r
}

/// Γ(x); NaN at the poles (zero and the negative integers) and at -inf, which `math_1` turns
/// into the domain error.
fn gamma(x: f64) -> f64 {
    if !x.is_finite() {
        return if x.is_nan() || x > 0.0 { x } else { f64::NAN };
    }
    if x == 0.0 {
        return f64::NAN;
    }
    if x == x.floor() {
        if x < 0.0 {
            return f64::NAN;
        }
        if x <= 23.0 {
            return GAMMA_INTEGRAL[x as usize - 1];
        }
    }
    let absx = x.abs();
    if absx < 1e-20 {
        return 1.0 / x;
    }
    if absx > 200.0 {
        return if x < 0.0 { 0.0 / sinpi(x) } else { f64::INFINITY };
    }
    let y = absx + LANCZOS_G_MINUS_HALF;
    let z = if absx > LANCZOS_G_MINUS_HALF {
        let q = y - absx;
        q - LANCZOS_G_MINUS_HALF
    } else {
        let q = y - LANCZOS_G_MINUS_HALF;
        q - absx
    };
    let z = z * LANCZOS_G / y;
    let mut r;
    if x < 0.0 {
        r = -core::f64::consts::PI / sinpi(absx) / absx * y.exp() / lanczos_sum(absx);
        r -= z * r;
        if absx < 140.0 {
            r /= y.powf(absx - 0.5);
        } else {
            let sqrtpow = y.powf(absx / 2.0 - 0.25);
            r /= sqrtpow;
            r /= sqrtpow;
        }
    } else {
        r = lanczos_sum(absx) / y.exp();
        r += z * r;
        if absx < 140.0 {
            r *= y.powf(absx - 0.5);
        } else {
            let sqrtpow = y.powf(absx / 2.0 - 0.25);
            r *= sqrtpow;
            r *= sqrtpow;
        }
    }
    r
}

fn log_gamma(x: f64) -> f64 {
    if !x.is_finite() {
        return if x.is_nan() { x } else { f64::INFINITY };
    }
    if x == x.floor() && x <= 2.0 {
        return if x <= 0.0 { f64::NAN } else { 0.0 };
    }
    let absx = x.abs();
    if absx < 1e-20 {
        return -absx.ln();
    }
    let mut r = lanczos_sum(absx).ln() - LANCZOS_G;
    r += (absx - 0.5) * ((absx + LANCZOS_G - 0.5).ln() - 1.0);
    if x < 0.0 {
        r = core::f64::consts::PI.ln() - sinpi(absx).abs().ln() - absx.ln() - r;
    }
    r
}

/// CPython's `math_2`: a NaN from non-NaNs is a domain error, an infinity from finite
/// inputs a range error.
fn math_2(a: &[&Obj], name: &str, func: impl Fn(f64, f64) -> f64) -> PyResult<PyRef> {
    argparse::check_positional(name, a.len(), 2, 2)?;
    let (x, y) = (f(a[0])?, f(a[1])?);
    let r = func(x, y);
    if r.is_nan() && !x.is_nan() && !y.is_nan() {
        return Err(domain_error());
    }
    if r.is_infinite() && x.is_finite() && y.is_finite() {
        return Err(range_error());
    }
    fl(r)
}

fn m_atan2(_m: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    math_2(a, "atan2", f64::atan2)
}

fn m_copysign(_m: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    math_2(a, "copysign", f64::copysign)
}

fn m_fmod(_m: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    math_2(a, "fmod", |x, y| if y.is_infinite() && x.is_finite() { x } else { x % y })
}

fn m_fmax(_m: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    argparse::check_positional("fmax", a.len(), 2, 2)?;
    fl(f(a[0])?.max(f(a[1])?))
}

fn m_fmin(_m: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    argparse::check_positional("fmin", a.len(), 2, 2)?;
    fl(f(a[0])?.min(f(a[1])?))
}

/// IEEE 754 remainder: `x - n*y` with `n` the integer nearest `x/y` (ties to even).
fn remainder(x: f64, y: f64) -> f64 {
    if x.is_nan() {
        return x;
    }
    if y.is_nan() {
        return y;
    }
    if x.is_infinite() || y == 0.0 {
        return f64::NAN;
    }
    if y.is_infinite() {
        return x;
    }
    let (ax, ay) = (x.abs(), y.abs());
    let m = ax % ay;
    let c = ay - m;
    let r = if m < c {
        m
    } else if m > c {
        -c
    } else {
        // Half-way: pick the even multiple.
        m - 2.0 * ((0.5 * (ax - m)) % ay)
    };
    1.0f64.copysign(x) * r
}

fn m_remainder(_m: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    math_2(a, "remainder", remainder)
}

fn m_pow(_m: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    argparse::check_positional("pow", a.len(), 2, 2)?;
    let (x, y) = (f(a[0])?, f(a[1])?);
    if !x.is_finite() || !y.is_finite() {
        // C99 Annex F's special values, as CPython spells them out.
        let r = if x.is_nan() {
            if y == 0.0 { 1.0 } else { x }
        } else if y.is_nan() {
            if x == 1.0 { 1.0 } else { y }
        } else if x.is_infinite() {
            let odd_y = y.is_finite() && (y.abs() % 2.0) == 1.0;
            if y > 0.0 {
                if odd_y { x } else { x.abs() }
            } else if y == 0.0 {
                1.0
            } else if odd_y {
                0.0f64.copysign(x)
            } else {
                0.0
            }
        } else if x.abs() == 1.0 {
            1.0
        } else if (y > 0.0) == (x.abs() > 1.0) {
            f64::INFINITY
        } else {
            0.0
        };
        return fl(r);
    }
    let r = x.powf(y);
    if r.is_nan() {
        return Err(domain_error());
    }
    if r.is_infinite() {
        return Err(if x == 0.0 { domain_error() } else { range_error() });
    }
    fl(r)
}

fn m_fma(_m: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    argparse::check_positional("fma", a.len(), 3, 3)?;
    let (x, y, z) = (f(a[0])?, f(a[1])?, f(a[2])?);
    let r = x.mul_add(y, z);
    if r.is_finite() {
        return fl(r);
    }
    if r.is_nan() {
        if !x.is_nan() && !y.is_nan() && !z.is_nan() {
            return Err(raise!(ValueError, "invalid operation in fma"));
        }
    } else if x.is_finite() && y.is_finite() && z.is_finite() {
        return Err(raise!(OverflowError, "overflow in fma"));
    }
    fl(r)
}

fn m_degrees(_m: &Obj, x: &Obj) -> PyResult<PyRef> {
    fl(f(x)? * (180.0 / core::f64::consts::PI))
}

fn m_radians(_m: &Obj, x: &Obj) -> PyResult<PyRef> {
    fl(f(x)? * (core::f64::consts::PI / 180.0))
}

fn m_isfinite(_m: &Obj, x: &Obj) -> PyResult<PyRef> {
    Ok(bool_::new(f(x)?.is_finite()))
}

fn m_isinf(_m: &Obj, x: &Obj) -> PyResult<PyRef> {
    Ok(bool_::new(f(x)?.is_infinite()))
}

fn m_isnan(_m: &Obj, x: &Obj) -> PyResult<PyRef> {
    Ok(bool_::new(f(x)?.is_nan()))
}

fn m_isnormal(_m: &Obj, x: &Obj) -> PyResult<PyRef> {
    Ok(bool_::new(f(x)?.is_normal()))
}

fn m_issubnormal(_m: &Obj, x: &Obj) -> PyResult<PyRef> {
    Ok(bool_::new(f(x)?.is_subnormal()))
}

fn m_signbit(_m: &Obj, x: &Obj) -> PyResult<PyRef> {
    Ok(bool_::new(f(x)?.is_sign_negative()))
}

/// `(m, e)` with `x == m * 2**e` and `0.5 <= |m| < 1` (zero, infinities and NaN as is).
fn frexp(x: f64) -> (f64, i32) {
    if x == 0.0 || !x.is_finite() {
        return (x, 0);
    }
    let bits = x.to_bits();
    let exp = ((bits >> 52) & 0x7ff) as i32;
    if exp == 0 {
        // Subnormal: scale into the normal range first.
        let (m, e) = frexp(x * 2f64.powi(64));
        return (m, e - 64);
    }
    let m = f64::from_bits((bits & !(0x7ffu64 << 52)) | (1022u64 << 52));
    (m, exp - 1022)
}

fn m_frexp(_m: &Obj, x: &Obj) -> PyResult<PyRef> {
    let (m, e) = frexp(f(x)?);
    Ok(tuple::new_from(&[&*float::new(m), &*long::from_i64(e as i64)]))
}

fn m_modf(_m: &Obj, x: &Obj) -> PyResult<PyRef> {
    let x = f(x)?;
    let (frac, int) = if x.is_infinite() {
        (0.0f64.copysign(x), x)
    } else {
        let t = x.trunc();
        ((x - t).copysign(x), t)
    };
    Ok(tuple::new_from(&[&*float::new(frac), &*float::new(int)]))
}

fn m_ldexp(_m: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    argparse::check_positional("ldexp", a.len(), 2, 2)?;
    let x = f(a[0])?;
    if !long::check(a[1]) {
        return Err(raise!(TypeError, "Expected an int as second argument to ldexp."));
    }
    let e = long::to_i64(a[1]).unwrap_or(if long::is_negative(a[1]) { i64::MIN } else { i64::MAX });
    if x == 0.0 || !x.is_finite() {
        return fl(x);
    }
    let e = e.clamp(-10000, 10000);
    let r = long::ldexp(x, e);
    if r.is_infinite() {
        return Err(range_error());
    }
    fl(r)
}

fn m_ulp(_m: &Obj, x: &Obj) -> PyResult<PyRef> {
    let x = f(x)?;
    if x.is_nan() || x.is_infinite() {
        return fl(x.abs());
    }
    let x = x.abs();
    let up = next_toward(x, f64::INFINITY);
    if up.is_infinite() {
        return fl(x - next_toward(x, f64::NEG_INFINITY));
    }
    fl(up - x)
}

/// The float next to `x` in the direction of `y` (C's `nextafter`).
fn next_toward(x: f64, y: f64) -> f64 {
    if x.is_nan() || y.is_nan() {
        return x + y;
    }
    if x == y {
        return y;
    }
    if x == 0.0 {
        return f64::from_bits(1).copysign(y);
    }
    let bits = x.to_bits();
    let away = (y > x) == (x > 0.0);
    f64::from_bits(if away { bits + 1 } else { bits - 1 })
}

/// A float's position on a line where consecutive floats are consecutive integers.
fn ordered(x: f64) -> i64 {
    let b = x.to_bits() as i64;
    if b < 0 { i64::MIN - b } else { b }
}

fn from_ordered(i: i64) -> f64 {
    f64::from_bits(if i < 0 { (i64::MIN - i) as u64 } else { i as u64 })
}

fn m_nextafter(_m: &Obj, a: &[&Obj], kw: Kw) -> PyResult<PyRef> {
    let sig = Sig { name: "nextafter", params: &["x", "y", "steps"], posonly: 2, maxpos: 2, required: 2 };
    let [x, y, steps] = argparse::parse::<3>(&sig, a, kw)?;
    let (x, y) = (f(x.unwrap())?, f(y.unwrap())?);
    let Some(steps) = argparse::not_none(steps) else { return fl(next_toward(x, y)) };
    let steps = abstract_::index(steps)?;
    if long::is_negative(&steps) {
        return Err(raise!(ValueError, "steps must be a non-negative integer"));
    }
    let steps = long::to_u64(&steps).unwrap_or(u64::MAX);
    if steps == 0 || x.is_nan() {
        return fl(x);
    }
    if y.is_nan() {
        return fl(y);
    }
    let (ox, oy) = (ordered(x) as i128, ordered(y) as i128);
    let r = if oy > ox { (ox + steps as i128).min(oy) } else { (ox - steps as i128).max(oy) };
    fl(from_ordered(r as i64))
}

/// The value of a call to `__floor__`/`__ceil__`/`__trunc__`, if `x`'s type defines it.
fn special(x: &Obj, name: &str) -> PyResult<Option<PyRef>> {
    match argparse::lookup_special(x, name)? {
        Some(m) => abstract_::call_no_args(&m).map(Some),
        None => Ok(None),
    }
}

fn rounding(x: &Obj, name: &str, op: fn(f64) -> f64) -> PyResult<PyRef> {
    if x.is_exact(&float::PyFloat_Type) {
        return long::from_f64(op(float::value(x)));
    }
    if long::check(x) {
        return Ok(long::exact_copy(x));
    }
    if let Some(r) = special(x, name)? {
        return Ok(r);
    }
    long::from_f64(op(f(x)?))
}

fn m_floor(_m: &Obj, x: &Obj) -> PyResult<PyRef> {
    rounding(x, "__floor__", f64::floor)
}

fn m_ceil(_m: &Obj, x: &Obj) -> PyResult<PyRef> {
    rounding(x, "__ceil__", f64::ceil)
}

fn m_trunc(_m: &Obj, x: &Obj) -> PyResult<PyRef> {
    if x.is_exact(&float::PyFloat_Type) {
        return long::from_f64(float::value(x).trunc());
    }
    if long::check(x) {
        return Ok(long::exact_copy(x));
    }
    special(x, "__trunc__")?.ok_or_else(|| raise!(TypeError, "type {} doesn't define __trunc__ method", x.ob_type().name()))
}

fn m_isclose(_m: &Obj, a: &[&Obj], kw: Kw) -> PyResult<PyRef> {
    let sig = Sig { name: "isclose", params: &["a", "b", "rel_tol", "abs_tol"], posonly: 0, maxpos: 2, required: 2 };
    let [x, y, rel, abs] = argparse::parse::<4>(&sig, a, kw)?;
    let (x, y) = (f(x.unwrap())?, f(y.unwrap())?);
    let rel = rel.map_or(Ok(1e-9), f)?;
    let abs = abs.map_or(Ok(0.0), f)?;
    if rel < 0.0 || abs < 0.0 {
        return Err(raise!(ValueError, "tolerances must be non-negative"));
    }
    if x == y {
        return Ok(bool_::new(true));
    }
    if x.is_infinite() || y.is_infinite() {
        return Ok(bool_::new(false));
    }
    let diff = (y - x).abs();
    Ok(bool_::new(diff <= (rel * y).abs() || diff <= (rel * x).abs() || diff <= abs))
}

// ---- sums and norms -------------------------------------------------------------------------

/// Shewchuk's exact summation with CPython's handling of infinities, NaNs and overflow.
fn fsum(values: impl IntoIterator<Item = PyResult<f64>>) -> PyResult<f64> {
    let mut partials: Vec<f64> = Vec::new();
    let (mut special_sum, mut inf_sum) = (0.0f64, 0.0f64);
    for x in values {
        let mut x = x?;
        let xsave = x;
        let mut i = 0;
        for j in 0..partials.len() {
            let mut y = partials[j];
            if x.abs() < y.abs() {
                core::mem::swap(&mut x, &mut y);
            }
            let hi = x + y;
            let lo = y - (hi - x);
            if lo != 0.0 {
                partials[i] = lo;
                i += 1;
            }
            x = hi;
        }
        partials.truncate(i);
        if x != 0.0 {
            if !x.is_finite() {
                // A non-finite partial from finite inputs is an overflow; otherwise the
                // infinities and NaNs are summed on the side.
                if xsave.is_finite() {
                    return Err(raise!(OverflowError, "intermediate overflow in fsum"));
                }
                if xsave.is_infinite() {
                    inf_sum += xsave;
                }
                special_sum += xsave;
                partials.clear();
            } else {
                partials.push(x);
            }
        }
    }
    if special_sum != 0.0 {
        if inf_sum.is_nan() {
            return Err(raise!(ValueError, "-inf + inf in fsum"));
        }
        return Ok(special_sum);
    }
    let mut n = partials.len();
    let mut hi = 0.0;
    if n > 0 {
        n -= 1;
        hi = partials[n];
        let mut lo = 0.0;
        while n > 0 {
            let x = hi;
            n -= 1;
            let y = partials[n];
            hi = x + y;
            let yr = hi - x;
            lo = y - yr;
            if lo != 0.0 {
                break;
            }
        }
        // Round half-even correctly when the rest of the partials push past a tie.
        if n > 0 && ((lo < 0.0 && partials[n - 1] < 0.0) || (lo > 0.0 && partials[n - 1] > 0.0)) {
            let y = lo * 2.0;
            let x = hi + y;
            let yr = x - hi;
            if y == yr {
                hi = x;
            }
        }
    }
    Ok(hi)
}

fn m_fsum(_m: &Obj, iterable: &Obj) -> PyResult<PyRef> {
    let it = iterobject::get_iter(iterable)?;
    let values = core::iter::from_fn(|| match iterobject::next(&it) {
        Ok(Some(v)) => Some(f(&v)),
        Ok(None) => None,
        Err(e) => Some(Err(e)),
    });
    fl(fsum(values)?)
}

/// `sqrt(sum(x*x for x in v))` correctly rounded in nearly all cases (CPython's
/// `vector_norm`: scaling by a power of two, double-length accumulation, one correction step).
fn vector_norm(v: &mut [f64], max: f64, found_nan: bool) -> f64 {
    if max.is_infinite() {
        return max;
    }
    if found_nan {
        return f64::NAN;
    }
    if max == 0.0 || v.len() <= 1 {
        return max;
    }
    let (_, max_e) = frexp(max);
    if max_e < -1023 {
        for x in v.iter_mut() {
            *x /= f64::MIN_POSITIVE;
        }
        return f64::MIN_POSITIVE * vector_norm(v, max / f64::MIN_POSITIVE, found_nan);
    }
    let scale = long::ldexp(1.0, -(max_e as i64));
    let (mut csum, mut frac1, mut frac2) = (1.0f64, 0.0f64, 0.0f64);
    let dl_mul = |x: f64, y: f64| {
        let hi = x * y;
        (hi, x.mul_add(y, -hi))
    };
    let dl_fast_sum = |a: f64, b: f64| {
        let hi = a + b;
        (hi, (a - hi) + b)
    };
    for x in v.iter() {
        let x = x * scale;
        let (phi, plo) = dl_mul(x, x);
        let (shi, slo) = dl_fast_sum(csum, phi);
        csum = shi;
        frac1 += plo;
        frac2 += slo;
    }
    let mut h = (csum - 1.0 + (frac1 + frac2)).sqrt();
    let (phi, plo) = dl_mul(-h, h);
    let (shi, slo) = dl_fast_sum(csum, phi);
    csum = shi;
    frac1 += plo;
    frac2 += slo;
    let x = csum - 1.0 + (frac1 + frac2);
    h += x / (2.0 * h);
    h / scale
}

fn norm_of(mut v: Vec<f64>) -> f64 {
    let mut max = 0.0f64;
    let mut found_nan = false;
    for x in v.iter_mut() {
        *x = x.abs();
        found_nan |= x.is_nan();
        if *x > max {
            max = *x;
        }
    }
    vector_norm(&mut v, max, found_nan)
}

fn m_hypot(_m: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    let v = a.iter().map(|x| f(x)).collect::<PyResult<Vec<f64>>>()?;
    fl(norm_of(v))
}

fn m_dist(_m: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    argparse::check_positional("dist", a.len(), 2, 2)?;
    let p = iterobject::fast_items(a[0], "dist() argument 1 must be a sequence")?;
    let q = iterobject::fast_items(a[1], "dist() argument 2 must be a sequence")?;
    if p.len() != q.len() {
        return Err(raise!(ValueError, "both points must have the same number of dimensions"));
    }
    let v = p.iter().zip(&q).map(|(x, y)| Ok(f(x)? - f(y)?)).collect::<PyResult<Vec<f64>>>()?;
    fl(norm_of(v))
}

fn m_prod(_m: &Obj, a: &[&Obj], kw: Kw) -> PyResult<PyRef> {
    let sig = Sig { name: "prod", params: &["iterable", "start"], posonly: 1, maxpos: 1, required: 1 };
    let [iterable, start] = argparse::parse::<2>(&sig, a, kw)?;
    let mut acc = start.map_or_else(|| long::from_i64(1), Obj::new_ref);
    iterobject::for_each(iterable.unwrap(), |v| {
        acc = number::binary_op(&acc, &v, BinaryOp::Mul)?;
        Ok(())
    })?;
    Ok(acc)
}

fn m_sumprod(_m: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    argparse::check_positional("sumprod", a.len(), 2, 2)?;
    let p = iterobject::get_iter(a[0])?;
    let q = iterobject::get_iter(a[1])?;
    let mut pairs = Vec::new();
    loop {
        match (iterobject::next(&p)?, iterobject::next(&q)?) {
            (Some(x), Some(y)) => pairs.push((x, y)),
            (None, None) => break,
            _ => return Err(raise!(ValueError, "Inputs are not the same length")),
        }
    }
    let all_float = pairs.iter().all(|(x, y)| x.is_exact(&float::PyFloat_Type) && y.is_exact(&float::PyFloat_Type));
    if all_float && !pairs.is_empty() {
        // Exact products (hi + lo by fused multiply-add) summed exactly, then rounded once.
        let mut parts = Vec::with_capacity(pairs.len() * 2);
        let mut finite = true;
        for (x, y) in &pairs {
            let (x, y) = (float::value(x), float::value(y));
            let hi = x * y;
            finite &= hi.is_finite();
            parts.push(Ok(hi));
            parts.push(Ok(x.mul_add(y, -hi)));
        }
        if finite {
            return fl(fsum(parts)?);
        }
    }
    let mut acc = long::from_i64(0);
    for (x, y) in pairs {
        let prod = number::binary_op(&x, &y, BinaryOp::Mul)?;
        acc = number::binary_op(&acc, &prod, BinaryOp::Add)?;
    }
    Ok(acc)
}

// ---- logarithms -----------------------------------------------------------------------------

/// CPython's `loghelper`: ints of any size (a huge one as `m * 2**e`), other numbers as floats.
fn loghelper(x: &Obj, func: fn(f64) -> f64) -> PyResult<f64> {
    if long::check(x) {
        if long::is_negative(x) || long::is_zero(x) {
            return Err(raise!(ValueError, "expected a positive input"));
        }
        return Ok(match long::to_f64(x) {
            Ok(v) => func(v),
            Err(_) => {
                // Too large for a float: log(m * 2**e) = log(m) + e*log(2).
                let e = long::bit_length(x) as i64;
                let shift = e - 60;
                let top = long::rshift(x, &long::from_i64(shift))?;
                let m = long::to_f64(&top)? / 2f64.powi(60);
                func(m) + (e as f64) * func(2.0)
            }
        });
    }
    let r = math_1(x, func, false, Some("expected a positive input, got "))?;
    Ok(float::value(&r))
}

fn m_log(_m: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    argparse::check_positional("log", a.len(), 1, 2)?;
    let num = loghelper(a[0], f64::ln)?;
    let Some(base) = a.get(1) else { return fl(num) };
    let den = loghelper(base, f64::ln)?;
    if den == 0.0 {
        return Err(raise!(ZeroDivisionError, "division by zero"));
    }
    fl(num / den)
}

fn m_log2(_m: &Obj, x: &Obj) -> PyResult<PyRef> {
    fl(loghelper(x, f64::log2)?)
}

fn m_log10(_m: &Obj, x: &Obj) -> PyResult<PyRef> {
    fl(loghelper(x, f64::log10)?)
}

// ---- integers -------------------------------------------------------------------------------

fn int_gcd(a: &Obj, b: &Obj) -> PyResult<PyRef> {
    let mut x = number::absolute(a)?;
    let mut y = number::absolute(b)?;
    while !long::is_zero(&y) {
        let r = long::modulo(&x, &y)?;
        x = y;
        y = r;
    }
    Ok(x)
}

fn m_gcd(_m: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    let mut acc = long::from_i64(0);
    for x in a {
        let x = abstract_::index(x)?;
        acc = int_gcd(&acc, &x)?;
    }
    Ok(acc)
}

fn m_lcm(_m: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    let mut acc = long::from_i64(1);
    for x in a {
        let x = abstract_::index(x)?;
        if long::is_zero(&acc) || long::is_zero(&x) {
            acc = long::from_i64(0);
            continue;
        }
        let g = int_gcd(&acc, &x)?;
        let q = long::floor_div(&acc, &g)?;
        acc = number::absolute(&*long::mul(&q, &x)?)?;
    }
    Ok(acc)
}

fn m_isqrt(_m: &Obj, n: &Obj) -> PyResult<PyRef> {
    let n = abstract_::index(n)?;
    if long::is_negative(&n) {
        return Err(raise!(ValueError, "isqrt() argument must be nonnegative"));
    }
    if long::is_zero(&n) {
        return Ok(long::from_i64(0));
    }
    // Newton's iteration from a power of two above the root, decreasing to the floor.
    let bits = long::bit_length(&n);
    let mut x = long::lshift(&long::from_i64(1), &long::from_i64(bits.div_ceil(2) as i64))?;
    loop {
        let y = long::rshift(&long::add(&x, &*long::floor_div(&n, &x)?), &long::from_i64(1))?;
        if long::compare(&y, &x) != core::cmp::Ordering::Less {
            return Ok(x);
        }
        x = y;
    }
}

/// The product of the integers in `lo..=hi` (as Python ints), by halving.
fn range_product(lo: &Obj, hi: &Obj) -> PyResult<PyRef> {
    let n = long::sub(hi, lo);
    match long::to_i64(&n) {
        Some(d) if d < 0 => Ok(long::from_i64(1)),
        Some(0) => Ok(lo.new_ref()),
        Some(1) => long::mul(lo, hi),
        _ => {
            let mid = long::floor_div(&long::add(lo, hi), &long::from_i64(2))?;
            let left = range_product(lo, &mid)?;
            let right = range_product(&long::add(&mid, &long::from_i64(1)), hi)?;
            long::mul(&left, &right)
        }
    }
}

fn m_factorial(_m: &Obj, n: &Obj) -> PyResult<PyRef> {
    let n = abstract_::index(n)?;
    if long::is_negative(&n) {
        return Err(raise!(ValueError, "factorial() not defined for negative values"));
    }
    if long::to_i64(&n).is_none() {
        return Err(raise!(OverflowError, "factorial() argument should not exceed {}", i64::MAX));
    }
    range_product(&long::from_i64(1), &n)
}

fn non_negative(o: &Obj, what: &str) -> PyResult<PyRef> {
    let v = abstract_::index(o)?;
    if long::is_negative(&v) {
        return Err(raise!(ValueError, "{} must be a non-negative integer", what));
    }
    Ok(v)
}

fn m_perm(_m: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    argparse::check_positional("perm", a.len(), 1, 2)?;
    let n = non_negative(a[0], "n")?;
    let Some(k) = a.get(1).filter(|k| !k.is(none::none_obj())) else { return m_factorial(a[0], &n) };
    let k = non_negative(k, "k")?;
    if long::compare(&k, &n) == core::cmp::Ordering::Greater {
        return Ok(long::from_i64(0));
    }
    if long::to_i64(&k).is_none() {
        return Err(raise!(OverflowError, "k must not exceed {}", i64::MAX));
    }
    if long::is_zero(&k) {
        return Ok(long::from_i64(1));
    }
    let lo = long::add(&long::sub(&n, &k), &long::from_i64(1));
    range_product(&lo, &n)
}

fn m_comb(_m: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    argparse::check_positional("comb", a.len(), 2, 2)?;
    let n = non_negative(a[0], "n")?;
    let k = non_negative(a[1], "k")?;
    if long::compare(&k, &n) == core::cmp::Ordering::Greater {
        return Ok(long::from_i64(0));
    }
    let other = long::sub(&n, &k);
    let k = if long::compare(&other, &k) == core::cmp::Ordering::Less { other } else { k };
    let Some(kk) = long::to_i64(&k) else {
        return Err(raise!(OverflowError, "min(n - k, k) must not exceed {}", i64::MAX));
    };
    // C(n, k) = prod((n-k+i)/i), each partial quotient exact.
    let mut acc = long::from_i64(1);
    let base = long::sub(&n, &k);
    for i in 1..=kk {
        let i = long::from_i64(i);
        acc = long::mul(&acc, &long::add(&base, &i))?;
        acc = long::floor_div(&acc, &i)?;
    }
    Ok(acc)
}
