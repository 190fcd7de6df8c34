//! `float`: `PyFloatObject` (`ob_fval` at +16), repr as the shortest round-trip string in
//! CPython's format, arithmetic with CPython's special cases (floor division and modulo with
//! Python's signs, `**` with C99's edge cases and a complex result for a negative base),
//! exact comparison with ints of any size, correctly rounded `round()`, `float(str)` with
//! CPython's syntax, and `hex`/`fromhex`.

use core::cell::UnsafeCell;
use core::cmp::Ordering;
use core::ffi::{c_int, c_void};

use pyrite_abi::*;

use crate::abstract_;
use crate::err::{PyErr, PyResult};
use crate::hash;
use crate::number::{self, method_def, METHOD_END};
use crate::object::{Obj, PyRef, StaticObject};
use crate::objects::type_::{getset, StaticTable, TypeObj, BUILTIN_BASETYPE_FLAGS, GETSET_END};
use crate::objects::{bool_, complex, exceptions as exc, long, none, tuple, unicode};
use crate::slot::{arg, opt_arg, ret_obj};
use crate::static_type;

static_type!(PyFloat_Type, c"float", core::mem::size_of::<PyFloatObject>(), {
    tp_flags: BUILTIN_BASETYPE_FLAGS | _Py_TPFLAGS_MATCH_SELF,
    tp_dealloc: Some(float_dealloc),
    tp_repr: Some(float_repr),
    tp_hash: Some(float_hash),
    tp_richcompare: Some(float_richcompare),
    tp_as_number: FLOAT_AS_NUMBER.0.get(),
    tp_methods: FLOAT_METHODS.0.get() as *mut PyMethodDef,
    tp_getset: FLOAT_GETSET.0.get() as *mut PyGetSetDef,
    tp_new: Some(float_new),
    tp_doc: c"Convert a string or number to a floating-point number, if possible.".as_ptr(),
});

static FLOAT_AS_NUMBER: StaticObject<PyNumberMethods> = StaticObject::new(PyNumberMethods {
    nb_add: Some(float_add),
    nb_subtract: Some(float_sub),
    nb_multiply: Some(float_mul),
    nb_remainder: Some(float_rem),
    nb_divmod: Some(float_divmod),
    nb_power: Some(float_pow),
    nb_negative: Some(float_neg),
    nb_positive: Some(float_float),
    nb_absolute: Some(float_abs),
    nb_bool: Some(float_bool),
    nb_int: Some(float_int),
    nb_float: Some(float_float),
    nb_floor_divide: Some(float_floor_div),
    nb_true_divide: Some(float_div),
    ..PyNumberMethods::EMPTY
});

static FLOAT_METHODS: StaticTable<PyMethodDef, 15> = StaticTable(UnsafeCell::new([
    method_def(c"conjugate", float_float_meth as *mut c_void, METH_NOARGS),
    method_def(c"is_integer", float_is_integer as *mut c_void, METH_NOARGS),
    method_def(c"as_integer_ratio", float_as_integer_ratio as *mut c_void, METH_NOARGS),
    method_def(c"hex", float_hex as *mut c_void, METH_NOARGS),
    method_def(c"fromhex", float_fromhex as *mut c_void, METH_O | METH_CLASS),
    method_def(c"from_number", float_from_number as *mut c_void, METH_O | METH_CLASS),
    method_def(c"__trunc__", float_trunc as *mut c_void, METH_NOARGS),
    method_def(c"__floor__", float_floor as *mut c_void, METH_NOARGS),
    method_def(c"__ceil__", float_ceil as *mut c_void, METH_NOARGS),
    method_def(c"__round__", float_round as *mut c_void, METH_FASTCALL),
    method_def(c"__getnewargs__", float_getnewargs as *mut c_void, METH_NOARGS),
    method_def(c"__getformat__", float_getformat as *mut c_void, METH_O | METH_CLASS),
    method_def(c"__sizeof__", float_sizeof as *mut c_void, METH_NOARGS),
    method_def(c"__format__", crate::format::builtin_format_method as *mut c_void, METH_O),
    METHOD_END,
]));

static FLOAT_GETSET: StaticTable<PyGetSetDef, 3> = StaticTable(UnsafeCell::new([
    getset(c"real", Some(float_get_real), None),
    getset(c"imag", Some(float_get_imag), None),
    GETSET_END,
]));

/// Dead exact floats, kept for reuse.
static FREE_FLOATS: crate::alloc::FreeList = crate::alloc::FreeList::new(256);

pub fn new(v: f64) -> PyRef {
    // SAFETY: PyFloat_Type is a live static type; a free-list entry is float-sized memory.
    unsafe {
        let mut op = FREE_FLOATS.pop();
        if op.is_null() {
            op = crate::alloc::alloc_object(PyFloat_Type.raw(), core::mem::size_of::<PyFloatObject>(), false);
        } else {
            crate::object::init_header(op, PyFloat_Type.raw());
        }
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

// ---- formatting -----------------------------------------------------------------------------

/// `repr(float)`: shortest round-trip digits; fixed notation for 1e-4 <= |v| < 1e16,
/// otherwise `d.ddde+XX`, as CPython's `float_repr_style = 'short'`.
pub fn repr_f64(v: f64) -> String {
    format_r(v, true, false)
}

/// `PyOS_double_to_string(v, 'r', 0, flags)`: the shortest round-trip form; `add_dot_0`
/// (`Py_DTSF_ADD_DOT_0`) makes integral values end in `.0`, `always_sign` (`Py_DTSF_SIGN`)
/// prefixes `+` to non-negative values (NaN included: NaN's sign bit is never shown).
pub fn format_r(v: f64, add_dot_0: bool, always_sign: bool) -> String {
    let plus = if always_sign { "+" } else { "" };
    if v.is_nan() {
        return format!("{plus}nan");
    }
    let sign = if v.is_sign_negative() { "-" } else { plus };
    if v.is_infinite() {
        return format!("{sign}inf");
    }
    if v == 0.0 {
        return format!("{sign}0{}", if add_dot_0 { ".0" } else { "" });
    }
    let (digits, exp) = shortest_digits(v.abs());
    if (-4..16).contains(&exp) {
        let n = digits.len() as i32;
        let s = if exp >= 0 {
            if n > exp + 1 {
                format!("{}.{}", &digits[..(exp + 1) as usize], &digits[(exp + 1) as usize..])
            } else {
                let zeros = "0".repeat((exp + 1 - n) as usize);
                format!("{digits}{zeros}{}", if add_dot_0 { ".0" } else { "" })
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

/// The significant digits of `x` (> 0) in scientific notation, and the exponent.
fn sci_digits(formatted: &str) -> (String, i32) {
    let (mant, exp) = formatted.split_once('e').expect("LowerExp has an exponent");
    (mant.chars().filter(|c| *c != '.').collect(), exp.parse().expect("LowerExp exponent"))
}

/// The shortest digits that round-trip to `x` (> 0, finite) and their decimal exponent.
/// When two candidates of that length are equally near — `x` is exactly their midpoint —
/// the even one wins, as in David Gay's dtoa (mode 0); Rust's formatter picks the upper.
fn shortest_digits(x: f64) -> (String, i32) {
    let (digits, exp) = sci_digits(&format!("{x:e}"));
    let n = digits.len();
    let Ok(d) = digits.parse::<u64>() else { return (digits, exp) };
    if d % 2 == 0 {
        return (digits, exp);
    }
    // A tie needs x to have at most 18 significant decimal digits. With x = m * 2^e, m odd,
    // that rules out e < -25 (m * 5^-e would need more) and e > 90 (m * 2^e would).
    let (m, e) = decompose(x);
    let e = e + m.trailing_zeros() as i64;
    if !(-25..=90).contains(&e) {
        return (digits, exp);
    }
    for other in [d - 1, d + 1] {
        let cand = other.to_string();
        if cand.len() != n || format!("{cand}e{}", exp - (n as i32 - 1)).parse::<f64>() != Ok(x) {
            continue;
        }
        // Both round-trip; a tie only if x is exactly their midpoint (digits then 5).
        let mid = format!("{}5", d.min(other));
        let (near, near_exp) = sci_digits(&format!("{:.*e}", n, x));
        if near != mid || near_exp != exp {
            continue;
        }
        let (exact, _) = sci_digits(&format!("{x:.800e}"));
        if exact.trim_end_matches('0') == mid {
            return (cand, exp);
        }
    }
    (digits, exp)
}

// ---- parsing --------------------------------------------------------------------------------

/// The longest prefix of `s` that is a float literal (`PyOS_string_to_double` with an end
/// pointer): `[sign] (digits [. digits] | . digits) [e [sign] digits] | [sign] inf | infinity |
/// nan`, case-insensitive. Returns the value and the prefix length.
pub fn parse_prefix(s: &[u8]) -> Option<(f64, usize)> {
    let mut i = 0;
    let negative = match s.first() {
        Some(b'-') => {
            i += 1;
            true
        }
        Some(b'+') => {
            i += 1;
            false
        }
        _ => false,
    };
    let rest = &s[i..];
    let starts = |w: &[u8]| rest.len() >= w.len() && rest[..w.len()].eq_ignore_ascii_case(w);
    let special = if starts(b"infinity") {
        Some((f64::INFINITY, 8))
    } else if starts(b"inf") {
        Some((f64::INFINITY, 3))
    } else if starts(b"nan") {
        Some((f64::NAN, 3))
    } else {
        None
    };
    if let Some((v, n)) = special {
        return Some((if negative { -v } else { v }, i + n));
    }
    let digits_from = |mut j: usize| {
        while j < s.len() && s[j].is_ascii_digit() {
            j += 1;
        }
        j
    };
    let int_end = digits_from(i);
    let mut end = int_end;
    let mut ndigits = int_end - i;
    if end < s.len() && s[end] == b'.' {
        let frac_end = digits_from(end + 1);
        ndigits += frac_end - end - 1;
        end = frac_end;
    }
    if ndigits == 0 {
        return None;
    }
    if end < s.len() && (s[end] == b'e' || s[end] == b'E') {
        let mut j = end + 1;
        if j < s.len() && (s[j] == b'+' || s[j] == b'-') {
            j += 1;
        }
        let exp_end = digits_from(j);
        if exp_end > j {
            end = exp_end;
        }
    }
    let text = core::str::from_utf8(&s[..end]).ok()?;
    // Rust's parser is correctly rounded, as David Gay's strtod is.
    let v: f64 = text.parse().ok()?;
    Some((v, end))
}

/// `_Py_string_to_number_with_underscores`: underscores are allowed only between digits;
/// returns the text without them, or None when one is misplaced.
pub fn strip_underscores(s: &[u8]) -> Option<Vec<u8>> {
    if !s.contains(&b'_') {
        return Some(s.to_vec());
    }
    let mut out = Vec::with_capacity(s.len());
    let mut prev = 0u8;
    for &c in s {
        if c == b'_' {
            if !prev.is_ascii_digit() {
                return None;
            }
        } else {
            if prev == b'_' && !c.is_ascii_digit() {
                return None;
            }
            out.push(c);
        }
        prev = c;
    }
    if prev == b'_' {
        return None;
    }
    Some(out)
}

fn is_ascii_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r')
}

/// `float_from_string_inner` on ASCII text: surrounding whitespace, then exactly one literal.
pub fn parse_ascii(s: &[u8]) -> Option<f64> {
    let s = strip_underscores(s)?;
    let mut a = 0;
    let mut b = s.len();
    while a < b && is_ascii_space(s[a]) {
        a += 1;
    }
    while b > a && is_ascii_space(s[b - 1]) {
        b -= 1;
    }
    match parse_prefix(&s[a..b]) {
        Some((v, n)) if n == b - a => Some(v),
        _ => None,
    }
}

/// `float(s)` for a str object (`PyFloat_FromString`).
pub fn from_unicode(s: &Obj) -> PyResult<f64> {
    let ascii = long::transform_decimal_and_space(unicode::chars(s));
    parse_ascii(&ascii).ok_or_else(|| raise!(ValueError, "could not convert string to float: {}", unicode::repr_of(s)))
}

/// `float(b)` for bytes.
pub fn from_bytes_literal(b: &[u8]) -> PyResult<f64> {
    parse_ascii(b).ok_or_else(|| {
        raise!(ValueError, "could not convert string to float: {}", crate::objects::bytes::repr_bytes(b))
    })
}

/// `float(text)` for Rust text.
pub fn from_str(s: &str) -> PyResult<f64> {
    from_unicode(&unicode::new(s))
}

// ---- arithmetic -----------------------------------------------------------------------------

/// Converts an int or float operand to f64 (`CONVERT_TO_DOUBLE`); `Ok(None)` means
/// NotImplemented.
pub fn operand(o: &Obj) -> PyResult<Option<f64>> {
    if check(o) {
        Ok(Some(value(o)))
    } else if long::check(o) {
        long::to_f64(o).map(Some)
    } else {
        Ok(None)
    }
}

fn zero_division() -> PyErr {
    raise!(ZeroDivisionError, "division by zero")
}

/// `x % y` with the sign of `y` (`float_rem`).
pub fn rem(x: f64, y: f64) -> PyResult<f64> {
    if y == 0.0 {
        return Err(zero_division());
    }
    let mut m = x % y;
    if m != 0.0 {
        if (y < 0.0) != (m < 0.0) {
            m += y;
        }
    } else {
        // fmod's zero has the dividend's sign; Python's has the divisor's.
        m = 0.0f64.copysign(y);
    }
    Ok(m)
}

/// `divmod(x, y)` for floats (`_float_div_mod`): floor quotient, remainder with `y`'s sign.
pub fn divmod(x: f64, y: f64) -> PyResult<(f64, f64)> {
    if y == 0.0 {
        return Err(zero_division());
    }
    let mut m = x % y;
    let mut div = (x - m) / y;
    if m != 0.0 {
        if (y < 0.0) != (m < 0.0) {
            m += y;
            div -= 1.0;
        }
    } else {
        m = 0.0f64.copysign(y);
    }
    let floordiv = if div != 0.0 {
        let f = div.floor();
        if div - f > 0.5 { f + 1.0 } else { f }
    } else {
        0.0f64.copysign(x / y)
    };
    Ok((floordiv, m))
}

/// `fmod(|x|, 2) == 1`: an odd integer.
fn is_odd_integer(x: f64) -> bool {
    x.abs() % 2.0 == 1.0
}

/// `x ** y` for floats (`float_pow`): C99's special values, `ZeroDivisionError` for zero to
/// a negative power, a complex result for a negative base and a non-integral exponent.
pub fn pow_values(x: f64, y: f64) -> PyResult<PyRef> {
    pow_f64(x, y).map(new).or_else(|e| match e {
        PowError::Complex => complex::pow_values(complex::Py_complex { real: x, imag: 0.0 }, complex::Py_complex { real: y, imag: 0.0 }),
        PowError::Err(e) => Err(e),
    })
}

enum PowError {
    /// A negative base to a non-integral power: the result is complex.
    Complex,
    Err(PyErr),
}

fn pow_f64(iv: f64, iw: f64) -> Result<f64, PowError> {
    if iw == 0.0 {
        return Ok(1.0);
    }
    if iv.is_nan() {
        return Ok(iv);
    }
    if iw.is_nan() {
        return Ok(if iv == 1.0 { 1.0 } else { iw });
    }
    if iw.is_infinite() {
        let av = iv.abs();
        return Ok(if av == 1.0 {
            1.0
        } else if (iw > 0.0) == (av > 1.0) {
            iw.abs()
        } else {
            0.0
        });
    }
    if iv.is_infinite() {
        let odd = is_odd_integer(iw);
        return Ok(if iw > 0.0 {
            if odd { iv } else { iv.abs() }
        } else if odd {
            0.0f64.copysign(iv)
        } else {
            0.0
        });
    }
    if iv == 0.0 {
        if iw < 0.0 {
            return Err(PowError::Err(raise!(ZeroDivisionError, "zero to a negative power")));
        }
        return Ok(if is_odd_integer(iw) { iv } else { 0.0 });
    }
    let (mut iv, mut negate) = (iv, false);
    if iv < 0.0 {
        if iw != iw.floor() {
            return Err(PowError::Complex);
        }
        iv = -iv;
        negate = is_odd_integer(iw);
    }
    if iv == 1.0 {
        return Ok(if negate { -1.0 } else { 1.0 });
    }
    let ix = iv.powf(iw);
    if ix.is_infinite() {
        // libm reports ERANGE; CPython raises it as OSError-style (errno, strerror).
        return Err(PowError::Err(range_error()));
    }
    Ok(if negate { -ix } else { ix })
}

/// `OverflowError(34, 'Numerical result out of range')`, as `PyErr_SetFromErrno(ERANGE)`.
fn range_error() -> PyErr {
    let args = tuple::new_from_owned(vec![long::from_i64(34), unicode::new("Numerical result out of range")]);
    match abstract_::call(exc::OverflowError(), &args, None) {
        Ok(v) => PyErr::from_value(v),
        Err(e) => e,
    }
}

/// Exact comparison of a float with an int (`float_richcompare`); None when `x` is NaN.
pub fn compare_with_int(x: f64, n: &Obj) -> PyResult<Option<Ordering>> {
    if x.is_nan() {
        return Ok(None);
    }
    if x.is_infinite() {
        return Ok(Some(if x > 0.0 { Ordering::Greater } else { Ordering::Less }));
    }
    if let Some(v) = long::to_i64(n) {
        if v.unsigned_abs() <= 1 << 53 {
            return Ok(x.partial_cmp(&(v as f64)));
        }
    }
    // Compare floor(x) with n exactly; a fractional part breaks a tie upward.
    let f = x.floor();
    let fi = long::from_f64(f)?;
    Ok(Some(match long::compare(&fi, n) {
        Ordering::Equal if f != x => Ordering::Greater,
        Ordering::Less => Ordering::Less,
        o => o,
    }))
}

// ---- rounding -------------------------------------------------------------------------------

/// `round(x, ndigits)` (`double_round`): the decimal value of `x` rounded half-to-even at
/// `ndigits`, then converted back to the nearest double — done exactly with ints.
pub fn round_f64(x: f64, ndigits: i64) -> PyResult<f64> {
    // Beyond these, rounding cannot change x (or leaves nothing of it): CPython's NDIGITS_MAX
    // and NDIGITS_MIN.
    const NDIGITS_MAX: i64 = 323;
    const NDIGITS_MIN: i64 = -308;
    if !x.is_finite() || x == 0.0 {
        return Ok(x);
    }
    if ndigits > NDIGITS_MAX {
        return Ok(x);
    }
    if ndigits < NDIGITS_MIN {
        return Ok(0.0 * x);
    }
    let (mant, exp) = decompose(x.abs());
    let m = long::from_u64(mant);
    let one = long::from_i64(1);
    // |x| * 10^ndigits = num / den.
    let p = long::pow(&long::from_i64(10), &long::from_i64(ndigits.abs()), None)?;
    let (mut num, mut den) = if ndigits >= 0 { (long::mul(&m, &p)?, one.clone()) } else { (m, p) };
    if exp >= 0 {
        num = long::lshift(&num, &long::from_i64(exp))?;
    } else {
        den = long::lshift(&den, &long::from_i64(-exp))?;
    }
    let (q, r) = long::divmod(&num, &den)?;
    let twice = long::add(&r, &r);
    let up = match long::compare(&twice, &den) {
        Ordering::Greater => true,
        Ordering::Equal => !long::and(&q, &one).is(long::small_int_obj(0)),
        Ordering::Less => false,
    };
    let q = if up { long::add(&q, &one) } else { q };
    let text = format!("{}e{}", long::to_decimal_string_unlimited(&q), -ndigits);
    let y: f64 = text.parse().expect("a decimal literal");
    if y.is_infinite() {
        return Err(raise!(OverflowError, "rounded value too large to represent"));
    }
    Ok(y.copysign(x))
}

/// `x = mant * 2^exp` exactly, for finite `x >= 0`.
fn decompose(x: f64) -> (u64, i64) {
    let bits = x.to_bits();
    let biased = ((bits >> 52) & 0x7ff) as i64;
    let frac = bits & ((1u64 << 52) - 1);
    if biased == 0 { (frac, -1074) } else { (frac | (1u64 << 52), biased - 1075) }
}

/// `float.as_integer_ratio()` as (numerator, denominator) ints.
pub fn as_integer_ratio(x: f64) -> PyResult<(PyRef, PyRef)> {
    if x.is_infinite() {
        return Err(raise!(OverflowError, "cannot convert Infinity to integer ratio"));
    }
    if x.is_nan() {
        return Err(raise!(ValueError, "cannot convert NaN to integer ratio"));
    }
    if x == 0.0 {
        return Ok((long::from_i64(0), long::from_i64(1)));
    }
    let (mut mant, mut exp) = decompose(x.abs());
    let tz = mant.trailing_zeros();
    mant >>= tz;
    exp += tz as i64;
    let num = if x < 0.0 { long::from_i64(-(mant as i64)) } else { long::from_u64(mant) };
    let one = long::from_i64(1);
    Ok(if exp >= 0 {
        (long::lshift(&num, &long::from_i64(exp))?, one)
    } else {
        (num, long::lshift(&one, &long::from_i64(-exp))?)
    })
}

/// `float.hex()`: `[-]0x1.<13 hex digits>p<exp>` (`0x0.` for subnormals).
pub fn to_hex(x: f64) -> String {
    if !x.is_finite() {
        return repr_f64(x);
    }
    let sign = if x.is_sign_negative() { "-" } else { "" };
    if x == 0.0 {
        return format!("{sign}0x0.0p+0");
    }
    let bits = x.to_bits();
    let biased = ((bits >> 52) & 0x7ff) as i64;
    let frac = bits & ((1u64 << 52) - 1);
    let (lead, exp) = if biased == 0 { (0, -1022) } else { (1, biased - 1023) };
    format!("{sign}0x{lead}.{frac:013x}p{}{}", if exp < 0 { '-' } else { '+' }, exp.abs())
}

/// `float.fromhex(s)`: CPython's hexadecimal float syntax, correctly rounded.
pub fn from_hex(s: &str) -> PyResult<f64> {
    let invalid = || raise!(ValueError, "invalid hexadecimal floating-point string");
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() && is_ascii_space(b[i]) {
        i += 1;
    }
    let mut negative = false;
    if i < b.len() && (b[i] == b'-' || b[i] == b'+') {
        negative = b[i] == b'-';
        i += 1;
    }
    let finish = |j: usize, v: f64| -> PyResult<f64> {
        let mut j = j;
        while j < b.len() && is_ascii_space(b[j]) {
            j += 1;
        }
        if j != b.len() {
            return Err(invalid());
        }
        Ok(if negative { -v } else { v })
    };
    let rest = &b[i..];
    let starts = |w: &[u8]| rest.len() >= w.len() && rest[..w.len()].eq_ignore_ascii_case(w);
    if starts(b"infinity") {
        return finish(i + 8, f64::INFINITY);
    }
    if starts(b"inf") {
        return finish(i + 3, f64::INFINITY);
    }
    if starts(b"nan") {
        return finish(i + 3, f64::NAN);
    }
    if starts(b"0x") {
        i += 2;
    }
    let hexval = |c: u8| (c as char).to_digit(16);
    let mut digits_hex: Vec<u32> = Vec::new();
    let mut frac_digits: i64 = 0;
    while i < b.len() && hexval(b[i]).is_some() {
        digits_hex.push(hexval(b[i]).unwrap());
        i += 1;
    }
    if i < b.len() && b[i] == b'.' {
        i += 1;
        while i < b.len() && hexval(b[i]).is_some() {
            digits_hex.push(hexval(b[i]).unwrap());
            frac_digits += 1;
            i += 1;
        }
    }
    if digits_hex.is_empty() {
        return Err(invalid());
    }
    let mut exp: i64 = 0;
    if i < b.len() && (b[i] == b'p' || b[i] == b'P') {
        i += 1;
        let mut eneg = false;
        if i < b.len() && (b[i] == b'-' || b[i] == b'+') {
            eneg = b[i] == b'-';
            i += 1;
        }
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            // Saturate: any exponent this large already over- or underflows.
            exp = (exp * 10 + (b[i] - b'0') as i64).min(1 << 40);
            i += 1;
        }
        if i == start {
            return Err(invalid());
        }
        if eneg {
            exp = -exp;
        }
    }
    // The value is (hex digits as an integer) * 2^(exp - 4 * frac_digits).
    let mut mag: Vec<u32> = Vec::new();
    for d in &digits_hex {
        long::digits::mul_small_add(&mut mag, 16, *d);
    }
    long::digits::trim(&mut mag);
    let v = long::scaled_to_f64(&mag, exp - 4 * frac_digits);
    if v.is_infinite() {
        return Err(raise!(OverflowError, "hexadecimal value too large to represent as a float"));
    }
    finish(i, v)
}

// ---- slots ----------------------------------------------------------------------------------

unsafe extern "C" fn float_dealloc(o: *mut PyObject) {
    // SAFETY: a dead float.
    unsafe {
        let ty = (*o).ob_type;
        if ty == PyFloat_Type.raw() && FREE_FLOATS.push(o) {
            return;
        }
        match (*ty).tp_free {
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
        if !check(a) {
            return Ok(none::not_implemented());
        }
        let x = value(a);
        let ord = if check(b) {
            x.partial_cmp(&value(b))
        } else if long::check(b) {
            compare_with_int(x, b)?
        } else {
            return Ok(none::not_implemented());
        };
        Ok(bool_::new(match ord {
            Some(o) => abstract_::ordering_matches(o, op),
            None => op == Py_NE,
        }))
    })();
    ret_obj(r)
}

macro_rules! float_binop {
    ($name:ident, |$x:ident, $y:ident| $body:expr) => {
        unsafe extern "C" fn $name(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
            // SAFETY: live arguments.
            let (a, b) = unsafe { (arg(a), arg(b)) };
            let r = (|| -> PyResult<PyRef> {
                let Some($x) = operand(a)? else { return Ok(none::not_implemented()) };
                let Some($y) = operand(b)? else { return Ok(none::not_implemented()) };
                $body
            })();
            ret_obj(r)
        }
    };
}

float_binop!(float_add, |x, y| Ok(new(x + y)));
float_binop!(float_sub, |x, y| Ok(new(x - y)));
float_binop!(float_mul, |x, y| Ok(new(x * y)));
float_binop!(float_div, |x, y| if y == 0.0 { Err(zero_division()) } else { Ok(new(x / y)) });
float_binop!(float_rem, |x, y| rem(x, y).map(new));
float_binop!(float_floor_div, |x, y| divmod(x, y).map(|(q, _)| new(q)));
float_binop!(float_divmod, |x, y| divmod(x, y).map(|(q, r)| tuple::new_from_owned(vec![new(q), new(r)])));

unsafe extern "C" fn float_pow(a: *mut PyObject, b: *mut PyObject, c: *mut PyObject) -> *mut PyObject {
    // SAFETY: live arguments.
    let (a, b, c) = unsafe { (arg(a), arg(b), arg(c)) };
    let r = (|| -> PyResult<PyRef> {
        let Some(x) = operand(a)? else { return Ok(none::not_implemented()) };
        let Some(y) = operand(b)? else { return Ok(none::not_implemented()) };
        if !c.is(none::none_obj()) {
            return Err(raise!(TypeError, "pow() 3rd argument not allowed unless all arguments are integers"));
        }
        pow_values(x, y)
    })();
    ret_obj(r)
}

unsafe extern "C" fn float_neg(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: live float.
    new(-value(unsafe { arg(o) })).into_raw()
}

/// `float(self)` as an exact float (`nb_float`, `nb_positive`).
unsafe extern "C" fn float_float(o: *mut PyObject) -> *mut PyObject {
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

// ---- methods and attributes -----------------------------------------------------------------

unsafe extern "C" fn float_float_meth(o: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    // SAFETY: live float.
    unsafe { float_float(o) }
}

unsafe extern "C" fn float_is_integer(o: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    // SAFETY: live float.
    let x = value(unsafe { arg(o) });
    bool_::new(x.is_finite() && x.floor() == x).into_raw()
}

unsafe extern "C" fn float_as_integer_ratio(o: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    // SAFETY: live float.
    ret_obj(as_integer_ratio(value(unsafe { arg(o) })).map(|(n, d)| tuple::new_from_owned(vec![n, d])))
}

unsafe extern "C" fn float_hex(o: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    // SAFETY: live float.
    unicode::new(&to_hex(value(unsafe { arg(o) }))).into_raw()
}

/// Calls `cls(v)` unless `cls` is `float` itself (alternate constructors of subclasses).
fn construct(cls: &Obj, v: f64) -> PyResult<PyRef> {
    let r = new(v);
    if cls.is(&PyFloat_Type) { Ok(r) } else { abstract_::call_one_arg(cls, &r) }
}

unsafe extern "C" fn float_fromhex(cls: *mut PyObject, s: *mut PyObject) -> *mut PyObject {
    // SAFETY: METH_O | METH_CLASS: cls is a type, s a live object.
    let (cls, s) = unsafe { (arg(cls), arg(s)) };
    let r = (|| {
        if !unicode::check(s) {
            return Err(raise!(TypeError, "bad argument type for built-in operation"));
        }
        construct(cls, from_hex(&unicode::as_str_lossy(s))?)
    })();
    ret_obj(r)
}

/// `float.from_number(x)`: like `float(x)` but refusing strings.
unsafe extern "C" fn float_from_number(cls: *mut PyObject, x: *mut PyObject) -> *mut PyObject {
    // SAFETY: METH_O | METH_CLASS.
    let (cls, x) = unsafe { (arg(cls), arg(x)) };
    let r = (|| {
        if unicode::check(x) || crate::objects::bytes::check(x) {
            return Err(raise!(TypeError, "must be real number, not {}", x.ob_type().name()));
        }
        construct(cls, number::to_f64(x)?)
    })();
    ret_obj(r)
}

unsafe extern "C" fn float_trunc(o: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    // SAFETY: live float.
    ret_obj(long::from_f64(value(unsafe { arg(o) })))
}

unsafe extern "C" fn float_floor(o: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    // SAFETY: live float.
    ret_obj(long::from_f64(value(unsafe { arg(o) }).floor()))
}

unsafe extern "C" fn float_ceil(o: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    // SAFETY: live float.
    ret_obj(long::from_f64(value(unsafe { arg(o) }).ceil()))
}

/// `float.__round__(ndigits=None, /)`.
unsafe extern "C" fn float_round(o: *mut PyObject, args: *const *mut PyObject, nargs: Py_ssize_t) -> *mut PyObject {
    // SAFETY: METH_FASTCALL contract.
    let r = (|| unsafe {
        let x = value(arg(o));
        number::check_positional("__round__", nargs as usize, 0, 1)?;
        let nd = if nargs == 1 { Some(arg(*args)) } else { None };
        match nd.filter(|n| !n.is(none::none_obj())) {
            None => long::from_f64(x.round_ties_even()),
            Some(n) => {
                let n = abstract_::index(n)?;
                // PyNumber_AsSsize_t(n, NULL) clamps.
                let n = long::to_i64(&n).unwrap_or(if long::is_negative(&n) { i64::MIN } else { i64::MAX });
                round_f64(x, n).map(new)
            }
        }
    })();
    ret_obj(r)
}

unsafe extern "C" fn float_getnewargs(o: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    // SAFETY: live float.
    tuple::new_from_owned(vec![new(value(unsafe { arg(o) }))]).into_raw()
}

unsafe extern "C" fn float_getformat(_: *mut PyObject, t: *mut PyObject) -> *mut PyObject {
    // SAFETY: METH_O | METH_CLASS.
    let t = unsafe { arg(t) };
    let r = (|| {
        if !unicode::check(t) {
            return Err(raise!(TypeError, "__getformat__() argument must be str, not {}", t.ob_type().name()));
        }
        if !unicode::eq_str(t, "double") && !unicode::eq_str(t, "float") {
            return Err(raise!(ValueError, "__getformat__() argument 1 must be 'double' or 'float'"));
        }
        Ok(unicode::new("IEEE, little-endian"))
    })();
    ret_obj(r)
}

unsafe extern "C" fn float_sizeof(_: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    long::from_usize(core::mem::size_of::<PyFloatObject>()).into_raw()
}

unsafe extern "C" fn float_get_real(o: *mut PyObject, _: *mut c_void) -> *mut PyObject {
    // SAFETY: live float.
    unsafe { float_float(o) }
}

unsafe extern "C" fn float_get_imag(_: *mut PyObject, _: *mut c_void) -> *mut PyObject {
    new(0.0).into_raw()
}

// ---- float() --------------------------------------------------------------------------------

/// `float(x=0.0, /)`, as float's vectorcall words its errors.
unsafe extern "C" fn float_new(ty: *mut PyTypeObject, args: *mut PyObject, kwargs: *mut PyObject) -> *mut PyObject {
    // SAFETY: tp_new contract.
    let r = (|| unsafe {
        let ty = TypeObj::from_ptr(ty);
        let (args, kwargs) = (arg(args), opt_arg(kwargs));
        if number::has_kwargs(kwargs) {
            return Err(raise!(TypeError, "float() takes no keyword arguments"));
        }
        let items = tuple::items(args);
        number::check_positional("float", items.len(), 0, 1)?;
        let v = match items.first() {
            None => 0.0,
            Some(x) => number::to_f64(x)?,
        };
        if ty.is(&PyFloat_Type) {
            return Ok(new(v));
        }
        subtype_new(ty, v)
    })();
    ret_obj(r)
}

/// `float_subtype_new`: an instance of the float subclass `ty` with value `v`.
pub fn subtype_new(ty: &TypeObj, v: f64) -> PyResult<PyRef> {
    let o = number::subtype_alloc(ty, 0)?;
    // SAFETY: a subclass instance starts with PyFloatObject's layout.
    unsafe { (*(o.as_ptr() as *mut PyFloatObject)).ob_fval = v };
    Ok(o)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[allow(clippy::excessive_precision)]
    fn repr_matches_cpython_format() {
        for (v, s) in [
            (1.0, "1.0"), (0.1, "0.1"), (1e16, "1e+16"), (1e15, "1000000000000000.0"), (0.0001, "0.0001"),
            (0.00001, "1e-05"), (1.5e-7, "1.5e-07"), (-2.5, "-2.5"), (123456789.125, "123456789.125"),
            (1.7976931348623157e308, "1.7976931348623157e+308"), (5e-324, "5e-324"),
        ] {
            assert_eq!(repr_f64(v), s);
        }
        assert_eq!(format_r(2.0, false, true), "+2");
        assert_eq!(format_r(-0.0, false, false), "-0");
        assert_eq!(format_r(-f64::NAN, false, true), "+nan");
        // A tie between two shortest candidates goes to the even one (CPython, dtoa).
        assert_eq!(repr_f64(900719925474099.25), "900719925474099.2");
        assert_eq!(repr_f64(-900719925474099.75), "-900719925474099.8");
    }

    #[test]
    fn parse_prefix_takes_the_longest_literal() {
        assert_eq!(parse_prefix(b"1.5e3j"), Some((1500.0, 5)));
        assert_eq!(parse_prefix(b"1e+j"), Some((1.0, 1)));
        assert_eq!(parse_prefix(b"-infinityx"), Some((f64::NEG_INFINITY, 9)));
        assert_eq!(parse_prefix(b".j"), None);
        assert_eq!(parse_ascii(b" 1_000.5 "), Some(1000.5));
        assert_eq!(parse_ascii(b"1_.5"), None);
    }
}
