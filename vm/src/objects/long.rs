//! `int`: arbitrary precision on CPython's layout (`lv_tag` + 30-bit digits in `ob_digit`),
//! the small ints -5..=256 as immortal statics (<= 3.11 extensions may inline-incref them),
//! and CPython's semantics: floor division, two's-complement bitwise operations on negative
//! values, correctly rounded conversion to float and true division, modular `pow` with
//! inverses, and the 4300-digit limit of decimal string conversion.
//!
//! Values that fit in an i64 take fast paths through i128 arithmetic; everything else runs on
//! magnitudes (`digits`: little-endian 30-bit digits, schoolbook/Karatsuba multiplication,
//! Knuth's division) with the sign kept beside them (`Big`).

use core::cell::UnsafeCell;
use core::cmp::Ordering;
use core::ffi::{c_int, c_void};
use core::mem::offset_of;

use pyrite_abi::*;

use crate::abstract_;
use crate::err::{PyErr, PyResult};
use crate::hash;
use crate::number::{self, method_def, Signature, METHOD_END};
use crate::object::{Obj, PyRef, StaticObject};
use crate::objects::type_::{getset, StaticTable, TypeObj, BUILTIN_BASETYPE_FLAGS, GETSET_END};
use crate::objects::{bool_, bytes, float, none, tuple, unicode};
use crate::slot::{arg, opt_arg, ret_obj};
use crate::static_type;

static_type!(PyLong_Type, c"int", offset_of!(PyLongObject, ob_digit), {
    tp_itemsize: core::mem::size_of::<digit>() as isize,
    tp_flags: BUILTIN_BASETYPE_FLAGS | Py_TPFLAGS_LONG_SUBCLASS | Py_TPFLAGS_MATCH_SELF,
    tp_dealloc: Some(long_dealloc),
    tp_repr: Some(long_repr),
    tp_hash: Some(long_hash),
    tp_richcompare: Some(long_richcompare),
    tp_as_number: LONG_AS_NUMBER.0.get(),
    tp_methods: LONG_METHODS.0.get() as *mut PyMethodDef,
    tp_getset: LONG_GETSET.0.get() as *mut PyGetSetDef,
    tp_new: Some(long_new),
    tp_doc: c"int([x]) -> integer\nint(x, base=10) -> integer".as_ptr(),
});

const Py_TPFLAGS_MATCH_SELF: core::ffi::c_ulong = _Py_TPFLAGS_MATCH_SELF;

static LONG_AS_NUMBER: StaticObject<PyNumberMethods> = StaticObject::new(PyNumberMethods {
    nb_add: Some(long_add),
    nb_subtract: Some(long_sub),
    nb_multiply: Some(long_mul),
    nb_remainder: Some(long_mod),
    nb_divmod: Some(long_divmod),
    nb_power: Some(long_pow),
    nb_negative: Some(long_neg),
    nb_positive: Some(long_long),
    nb_absolute: Some(long_abs),
    nb_bool: Some(long_bool),
    nb_invert: Some(long_invert),
    nb_lshift: Some(long_lshift),
    nb_rshift: Some(long_rshift),
    nb_and: Some(long_and),
    nb_xor: Some(long_xor),
    nb_or: Some(long_or),
    nb_int: Some(long_long),
    nb_float: Some(long_float),
    nb_floor_divide: Some(long_floordiv),
    nb_true_divide: Some(long_truediv),
    nb_index: Some(long_long),
    ..PyNumberMethods::EMPTY
});

static LONG_METHODS: StaticTable<PyMethodDef, 16> = StaticTable(UnsafeCell::new([
    method_def(c"conjugate", long_long_meth as *mut c_void, METH_NOARGS),
    method_def(c"bit_length", long_bit_length as *mut c_void, METH_NOARGS),
    method_def(c"bit_count", long_bit_count as *mut c_void, METH_NOARGS),
    method_def(c"to_bytes", long_to_bytes as *mut c_void, METH_FASTCALL | METH_KEYWORDS),
    method_def(c"from_bytes", long_from_bytes as *mut c_void, METH_FASTCALL | METH_KEYWORDS | METH_CLASS),
    method_def(c"as_integer_ratio", long_as_integer_ratio as *mut c_void, METH_NOARGS),
    method_def(c"is_integer", long_is_integer as *mut c_void, METH_NOARGS),
    method_def(c"__trunc__", long_long_meth as *mut c_void, METH_NOARGS),
    method_def(c"__floor__", long_long_meth as *mut c_void, METH_NOARGS),
    method_def(c"__ceil__", long_long_meth as *mut c_void, METH_NOARGS),
    method_def(c"__round__", long_round as *mut c_void, METH_FASTCALL),
    method_def(c"__index__", long_long_meth as *mut c_void, METH_NOARGS),
    method_def(c"__getnewargs__", long_getnewargs as *mut c_void, METH_NOARGS),
    method_def(c"__sizeof__", long_sizeof as *mut c_void, METH_NOARGS),
    method_def(c"__format__", crate::format::builtin_format_method as *mut c_void, METH_O),
    METHOD_END,
]));

static LONG_GETSET: StaticTable<PyGetSetDef, 5> = StaticTable(UnsafeCell::new([
    getset(c"real", Some(long_get_self), None),
    getset(c"imag", Some(long_get_zero), None),
    getset(c"numerator", Some(long_get_self), None),
    getset(c"denominator", Some(long_get_one), None),
    GETSET_END,
]));

pub const SMALL_MIN: i64 = -5;
pub const SMALL_MAX: i64 = 256;
const NSMALL: usize = (SMALL_MAX - SMALL_MIN + 1) as usize;

const fn small_int(v: i64) -> PyLongObject {
    let (sign, nd) = if v == 0 {
        (_PyLong_SIGN_ZERO, 0)
    } else if v < 0 {
        (_PyLong_SIGN_NEGATIVE, 1)
    } else {
        (_PyLong_SIGN_POSITIVE, 1)
    };
    PyLongObject {
        ob_base: crate::object::static_head(PyLong_Type.raw()),
        lv_tag: (nd << _PyLong_NON_SIZE_BITS) | sign | _PyLong_IMMORTAL_FLAG,
        ob_digit: [v.unsigned_abs() as u32],
    }
}

static SMALL_INTS: StaticObject<[PyLongObject; NSMALL]> = StaticObject::new({
    let mut a = [const { small_int(0) }; NSMALL];
    let mut i = 0;
    while i < NSMALL {
        a[i] = small_int(SMALL_MIN + i as i64);
        i += 1;
    }
    a
});

/// The immortal small int `v` (-5..=256).
#[inline(always)]
fn small(v: i64) -> PyRef {
    small_int_obj(v).new_ref()
}

/// The immortal small int `v` (-5..=256), borrowed.
#[inline(always)]
pub fn small_int_obj(v: i64) -> &'static Obj {
    assert!((SMALL_MIN..=SMALL_MAX).contains(&v));
    // SAFETY: index in range; the statics live forever.
    unsafe { Obj::from_ptr((SMALL_INTS.0.get() as *mut PyLongObject).add((v - SMALL_MIN) as usize) as *mut PyObject) }
}

#[inline(always)]
fn raw(o: &Obj) -> *mut PyLongObject {
    o.as_ptr() as *mut PyLongObject
}

/// The sign (-1, 0, 1) and the digits, least significant first.
#[inline]
pub fn sign_and_digits(o: &Obj) -> (i32, &[digit]) {
    // SAFETY: o is an int; ob_digit holds ndigits digits.
    unsafe {
        let tag = (*raw(o)).lv_tag;
        let nd = tag >> _PyLong_NON_SIZE_BITS;
        let sign = 1 - (tag & _PyLong_SIGN_MASK) as i32;
        let digits = core::slice::from_raw_parts((&raw const (*raw(o)).ob_digit) as *const digit, nd);
        (sign, digits)
    }
}

/// `lv_tag` for a value with `nd` digits and the given sign.
fn make_tag(nd: usize, negative: bool) -> usize {
    let sign = if nd == 0 {
        _PyLong_SIGN_ZERO
    } else if negative {
        _PyLong_SIGN_NEGATIVE
    } else {
        _PyLong_SIGN_POSITIVE
    };
    (nd << _PyLong_NON_SIZE_BITS) | sign
}

/// Dead exact ints of up to two digits (all 32 bytes), kept for reuse.
static FREE_INTS: crate::alloc::FreeList = crate::alloc::FreeList::new(256);

/// Allocates an int with `nd` digits (uninitialised), sign given.
fn alloc(nd: usize, negative: bool) -> PyRef {
    if nd <= 2 {
        let op = FREE_INTS.pop();
        if !op.is_null() {
            // SAFETY: a free-list entry is int-sized memory from alloc_object.
            unsafe {
                crate::object::init_header(op, PyLong_Type.raw());
                (*(op as *mut PyLongObject)).lv_tag = make_tag(nd, negative);
                return PyRef::from_raw(op);
            }
        }
    }
    let size = offset_of!(PyLongObject, ob_digit) + 4 * nd.max(2);
    // SAFETY: PyLong_Type is a live static type; size covers the header.
    unsafe {
        let op = crate::alloc::alloc_object(PyLong_Type.raw(), (size + 7) & !7, false);
        assert!(!op.is_null(), "out of memory allocating an int");
        (*(op as *mut PyLongObject)).lv_tag = make_tag(nd, negative);
        PyRef::from_raw(op)
    }
}

/// `PyLongWriter_Create`: a new int with room for `nd` (> 0) digits, zeroed, for the caller
/// to fill through [`digits_mut`] before [`writer_finish`].
pub fn writer_new(negative: bool, nd: usize) -> PyRef {
    let r = alloc(nd, negative);
    // SAFETY: r has room for nd digits.
    unsafe { core::ptr::write_bytes((&raw mut (*raw(&r)).ob_digit) as *mut digit, 0, nd) };
    r
}

/// The digit array of an int (least significant first).
pub fn digits_mut(o: &Obj) -> *mut digit {
    // SAFETY: o is an int.
    unsafe { (&raw mut (*raw(o)).ob_digit) as *mut digit }
}

/// `PyLongWriter_Finish`: drops leading zero digits (a zero loses its sign) and answers the
/// cached small int where there is one.
pub fn writer_finish(o: PyRef) -> PyRef {
    let (sign, digits) = sign_and_digits(&o);
    let mut nd = digits.len();
    while nd > 0 && digits[nd - 1] == 0 {
        nd -= 1;
    }
    if nd <= 1 {
        let mag = if nd == 1 { digits[0] as i64 } else { 0 };
        let v = if sign < 0 { -mag } else { mag };
        if (SMALL_MIN..=SMALL_MAX).contains(&v) {
            return small(v);
        }
    }
    // SAFETY: o is an int we own alone; shrinking the count keeps the memory valid.
    unsafe { (*raw(&o)).lv_tag = make_tag(nd, sign < 0) };
    o
}

/// An int from a sign and a magnitude given as 30-bit digits (normalised here).
pub fn from_digits(negative: bool, mut digits: &[digit]) -> PyRef {
    while let [rest @ .., 0] = digits {
        digits = rest;
    }
    if digits.len() <= 1 {
        let mag = digits.first().copied().unwrap_or(0) as i64;
        let v = if negative { -mag } else { mag };
        if (SMALL_MIN..=SMALL_MAX).contains(&v) {
            return small(v);
        }
    }
    let r = alloc(digits.len(), negative);
    // SAFETY: r has room for digits.len() digits.
    unsafe {
        let dst = (&raw mut (*raw(&r)).ob_digit) as *mut digit;
        core::ptr::copy_nonoverlapping(digits.as_ptr(), dst, digits.len());
    }
    r
}

pub fn from_u128_signed(negative: bool, mut mag: u128) -> PyRef {
    // Digits on the stack: every int result of the fast paths comes through here.
    let mut ds = [0u32; 5];
    let mut n = 0;
    while mag != 0 {
        ds[n] = (mag as u32) & PyLong_MASK;
        mag >>= PyLong_SHIFT;
        n += 1;
    }
    from_digits(negative, &ds[..n])
}

#[inline]
pub fn from_i64(v: i64) -> PyRef {
    if (SMALL_MIN..=SMALL_MAX).contains(&v) {
        return small(v);
    }
    let mag = v.unsigned_abs();
    if mag >> (2 * PyLong_SHIFT) == 0 {
        // One or two digits, the results of the interpreter's int fast paths.
        let (lo, hi) = ((mag as u32) & PyLong_MASK, (mag >> PyLong_SHIFT) as u32);
        let nd = if hi == 0 { 1 } else { 2 };
        let r = alloc(nd, v < 0);
        // SAFETY: r has room for at least two digits (`alloc` never makes fewer).
        unsafe {
            let dst = (&raw mut (*raw(&r)).ob_digit) as *mut digit;
            *dst = lo;
            *dst.add(1) = hi;
        }
        return r;
    }
    from_u128_signed(v < 0, mag as u128)
}

pub fn from_u64(v: u64) -> PyRef {
    from_u128_signed(false, v as u128)
}

#[inline]
pub fn from_i128(v: i128) -> PyRef {
    if let Ok(v) = i64::try_from(v) {
        return from_i64(v);
    }
    from_u128_signed(v < 0, v.unsigned_abs())
}

pub fn from_usize(v: usize) -> PyRef {
    from_u64(v as u64)
}

/// An exact `int` with the value of `o` (an int or subclass): `_PyLong_Copy`.
pub fn exact_copy(o: &Obj) -> PyRef {
    if o.is_exact(&PyLong_Type) {
        return o.new_ref();
    }
    let (sign, ds) = sign_and_digits(o);
    from_digits(sign < 0, ds)
}

/// `int(v)` for a float: truncates toward zero; NaN and infinities are errors.
pub fn from_f64(v: f64) -> PyResult<PyRef> {
    if v.is_nan() {
        return Err(raise!(ValueError, "cannot convert float NaN to integer"));
    }
    if v.is_infinite() {
        return Err(raise!(OverflowError, "cannot convert float infinity to integer"));
    }
    let t = v.trunc();
    if t.abs() < 9.0e18 {
        return Ok(from_i64(t as i64));
    }
    // |t| >= 2^63: t = mantissa * 2^exp with a 53-bit integer mantissa and exp > 0.
    let bits = t.abs().to_bits();
    let exp = ((bits >> 52) & 0x7ff) - 1075;
    let mant = (bits & ((1u64 << 52) - 1)) | (1u64 << 52);
    let mag = digits::shl(&digits::from_u128(mant as u128), exp);
    Ok(from_digits(v < 0.0, &mag))
}

/// The value as i128, if it fits.
pub fn to_i128(o: &Obj) -> Option<i128> {
    let (sign, ds) = sign_and_digits(o);
    let mag = digits::to_u128(ds)?;
    if mag > i128::MAX as u128 {
        return if sign < 0 && mag == 1u128 << 127 { Some(i128::MIN) } else { None };
    }
    Some(if sign < 0 { -(mag as i128) } else { mag as i128 })
}

/// The value as i64, if it fits.
#[inline]
pub fn to_i64(o: &Obj) -> Option<i64> {
    let (sign, ds) = sign_and_digits(o);
    match ds.len() {
        0 => Some(0),
        1 => Some(sign as i64 * ds[0] as i64),
        2 => Some(sign as i64 * ((ds[1] as i64) << PyLong_SHIFT | ds[0] as i64)),
        3 => to_i128(o).and_then(|v| i64::try_from(v).ok()),
        _ => None,
    }
}

pub fn to_u64(o: &Obj) -> Option<u64> {
    let (sign, ds) = sign_and_digits(o);
    if sign < 0 {
        return None;
    }
    digits::to_u128(ds).and_then(|v| u64::try_from(v).ok())
}

pub fn is_negative(o: &Obj) -> bool {
    sign_and_digits(o).0 < 0
}

pub fn is_zero(o: &Obj) -> bool {
    sign_and_digits(o).0 == 0
}

/// `PyLong_AsDouble`: the nearest double (round-half-even), or `OverflowError`.
pub fn to_f64(o: &Obj) -> PyResult<f64> {
    let (sign, ds) = sign_and_digits(o);
    if ds.len() <= 1 {
        return Ok(sign as f64 * ds.first().copied().unwrap_or(0) as f64);
    }
    let f = scaled_to_f64(ds, 0);
    if f.is_infinite() {
        return Err(raise!(OverflowError, "int too large to convert to float"));
    }
    Ok(if sign < 0 { -f } else { f })
}

/// `x * 2^e` for an `x` whose scaled value is representable (or overflows to infinity).
pub fn ldexp(x: f64, e: i64) -> f64 {
    fn pow2(e: i64) -> f64 {
        debug_assert!((-1022..=1023).contains(&e));
        f64::from_bits(((e + 1023) as u64) << 52)
    }
    let (mut x, mut e) = (x, e);
    while e > 1023 {
        x *= pow2(1023);
        e -= 1023;
        if x.is_infinite() {
            return x;
        }
    }
    // Scale down in steps that keep intermediate values normal, so only the last step can
    // round (and it does not when the result is representable).
    while e < -1022 {
        x *= pow2(-1000);
        e += 1000;
    }
    x * pow2(e)
}

/// The nearest double to `mag * 2^exp` (round-half-even, subnormals included), or +infinity
/// when it is too large.
pub fn scaled_to_f64(mag: &[u32], exp: i64) -> f64 {
    let nbits = digits::bit_length(mag) as i64;
    if nbits == 0 {
        return 0.0;
    }
    let top = nbits - 1 + exp;
    if top > 1023 {
        return f64::INFINITY;
    }
    let keep = (top + 1075).min(53);
    if keep < 0 {
        return 0.0;
    }
    if nbits <= keep {
        let q = digits::to_u128(mag).expect("at most 53 bits") as u64;
        return ldexp(q as f64, exp);
    }
    let drop = (nbits - keep) as u64;
    let mut q = digits::extract_bits(mag, drop, keep as u32);
    let round = digits::bit(mag, drop - 1);
    let sticky = digits::any_below(mag, drop - 1);
    if round && (sticky || q & 1 == 1) {
        q += 1;
    }
    ldexp(q as f64, exp + drop as i64)
}

/// Nearest float of `a / b` (`long_true_divide`), correctly rounded.
pub fn true_divide(a: &Obj, b: &Obj) -> PyResult<f64> {
    let (sa, da) = sign_and_digits(a);
    let (sb, db) = sign_and_digits(b);
    if sb == 0 {
        return Err(raise!(ZeroDivisionError, "division by zero"));
    }
    let negate = (sa < 0) != (sb < 0);
    if sa == 0 {
        return Ok(if negate { -0.0 } else { 0.0 });
    }
    const EXACT: u64 = 1 << 53;
    if let (Some(x), Some(y)) = (to_i64(a), to_i64(b)) {
        if x.unsigned_abs() <= EXACT && y.unsigned_abs() <= EXACT {
            return Ok(x as f64 / y as f64);
        }
    }
    let diff = digits::bit_length(da) as i64 - digits::bit_length(db) as i64;
    let overflow = || raise!(OverflowError, "integer division result too large for a float");
    if diff > 1024 {
        return Err(overflow());
    }
    if diff < -1076 {
        return Ok(if negate { -0.0 } else { 0.0 });
    }
    // A quotient of at least 55 bits, with a sticky bit for an inexact remainder below the
    // rounding position.
    let shift = (56 - diff).max(0) as u64;
    let num = digits::shl(da, shift);
    let (mut q, r) = digits::divrem(&num, db);
    if !r.is_empty() {
        q[0] |= 1;
    }
    let f = scaled_to_f64(&q, -(shift as i64));
    if f.is_infinite() {
        return Err(overflow());
    }
    Ok(if negate { -f } else { f })
}

// ---- the digit-string limit -----------------------------------------------------------------

/// `sys.int_info.str_digits_check_threshold`: conversions of at most this many digits are
/// never limited, and a limit must be at least this (or 0).
pub const MAX_STR_DIGITS_THRESHOLD: usize = 640;
/// `sys.int_info.default_max_str_digits`.
pub const DEFAULT_MAX_STR_DIGITS: usize = 4300;

/// `sys.get_int_max_str_digits()` (0 = unlimited): the current interpreter's, as in CPython.
pub fn max_str_digits() -> usize {
    // SAFETY: the current interpreter is live; its fields are touched under the GIL.
    unsafe { (*crate::gil::current_interpreter()).int_max_str_digits.get() }
}

/// Whether `n` is a valid limit (0, or at least the threshold).
pub fn valid_max_str_digits(n: i64) -> bool {
    n == 0 || (MAX_STR_DIGITS_THRESHOLD as i64..=i32::MAX as i64).contains(&n)
}

/// `sys.set_int_max_str_digits(n)` (also the startup configuration's value): the limit of the
/// current interpreter, which `sys.flags.int_max_str_digits` shows.
pub fn set_max_str_digits(n: i64) -> PyResult<()> {
    if n != 0 && n < MAX_STR_DIGITS_THRESHOLD as i64 {
        return Err(raise!(ValueError, "maxdigits must be >= {} or 0 for unlimited", MAX_STR_DIGITS_THRESHOLD));
    }
    // SAFETY: as in `max_str_digits`.
    unsafe { (*crate::gil::current_interpreter()).int_max_str_digits.set(n as usize) };
    crate::objects::structseq::set_sys_flag_int_max_str_digits()
}

fn to_str_limit_error(limit: usize) -> PyErr {
    raise!(
        ValueError,
        "Exceeds the limit ({} digits) for integer string conversion; use sys.set_int_max_str_digits() to increase the limit",
        limit
    )
}

// ---- magnitudes -----------------------------------------------------------------------------

/// Arithmetic on magnitudes: little-endian slices of 30-bit digits, normalised (no zero
/// digit at the top) unless a function says otherwise.
pub mod digits {
    use core::cmp::Ordering;

    pub const SHIFT: u32 = 30;
    pub const MASK: u32 = (1 << SHIFT) - 1;
    pub const BASE: u64 = 1 << SHIFT;
    /// Below this many digits in the smaller factor, schoolbook multiplication is faster.
    const KARATSUBA_CUTOFF: usize = 70;

    pub fn trim(v: &mut Vec<u32>) {
        while v.last() == Some(&0) {
            v.pop();
        }
    }

    pub fn trimmed(a: &[u32]) -> &[u32] {
        let mut n = a.len();
        while n > 0 && a[n - 1] == 0 {
            n -= 1;
        }
        &a[..n]
    }

    pub fn cmp(a: &[u32], b: &[u32]) -> Ordering {
        a.len().cmp(&b.len()).then_with(|| a.iter().rev().cmp(b.iter().rev()))
    }

    pub fn bit_length(a: &[u32]) -> u64 {
        match a.last() {
            None => 0,
            Some(&top) => (a.len() as u64 - 1) * SHIFT as u64 + (32 - top.leading_zeros()) as u64,
        }
    }

    pub fn from_u128(mut v: u128) -> Vec<u32> {
        let mut r = Vec::with_capacity(5);
        while v != 0 {
            r.push((v as u32) & MASK);
            v >>= SHIFT;
        }
        r
    }

    pub fn to_u128(a: &[u32]) -> Option<u128> {
        if bit_length(a) > 128 {
            return None;
        }
        Some(a.iter().rev().fold(0u128, |acc, &d| (acc << SHIFT) | d as u128))
    }

    /// Bit `i` of the magnitude.
    pub fn bit(a: &[u32], i: u64) -> bool {
        let (q, r) = ((i / SHIFT as u64) as usize, (i % SHIFT as u64) as u32);
        a.get(q).is_some_and(|d| d >> r & 1 == 1)
    }

    /// Whether any bit below bit `i` is set.
    pub fn any_below(a: &[u32], i: u64) -> bool {
        let (q, r) = ((i / SHIFT as u64) as usize, (i % SHIFT as u64) as u32);
        a[..q.min(a.len())].iter().any(|&d| d != 0) || a.get(q).is_some_and(|d| d & ((1u32 << r) - 1) != 0)
    }

    /// `count` (<= 64) bits starting at bit `from`.
    pub fn extract_bits(a: &[u32], from: u64, count: u32) -> u64 {
        let mut r: u128 = 0;
        let q = (from / SHIFT as u64) as usize;
        let s = (from % SHIFT as u64) as u32;
        for (k, &d) in a.iter().enumerate().skip(q).take(4) {
            r |= (d as u128) << (SHIFT as usize * (k - q));
        }
        ((r >> s) & ((1u128 << count) - 1)) as u64
    }

    pub fn add(a: &[u32], b: &[u32]) -> Vec<u32> {
        let (a, b) = if a.len() >= b.len() { (a, b) } else { (b, a) };
        let mut r = Vec::with_capacity(a.len() + 1);
        let mut carry = 0u32;
        for (i, &x) in a.iter().enumerate() {
            carry += x + b.get(i).copied().unwrap_or(0);
            r.push(carry & MASK);
            carry >>= SHIFT;
        }
        if carry != 0 {
            r.push(carry);
        }
        r
    }

    /// `a - b` for `a >= b`.
    pub fn sub(a: &[u32], b: &[u32]) -> Vec<u32> {
        debug_assert!(cmp(a, b) != Ordering::Less);
        let mut r = Vec::with_capacity(a.len());
        let mut borrow = 0u32;
        for (i, &x) in a.iter().enumerate() {
            // Wrapping: a negative difference sets bit SHIFT, which becomes the next borrow.
            borrow = x.wrapping_sub(b.get(i).copied().unwrap_or(0)).wrapping_sub(borrow);
            r.push(borrow & MASK);
            borrow = (borrow >> SHIFT) & 1;
        }
        trim(&mut r);
        r
    }

    pub fn add_small(a: &[u32], n: u32) -> Vec<u32> {
        add(a, &[n])
    }

    /// `a - 1` for `a > 0`.
    pub fn sub_one(a: &[u32]) -> Vec<u32> {
        sub(a, &[1])
    }

    /// `a * m + c` in place (`m`, `c` < 2^32).
    pub fn mul_small_add(a: &mut Vec<u32>, m: u32, c: u32) {
        let mut carry = c as u64;
        for d in a.iter_mut() {
            carry += *d as u64 * m as u64;
            *d = (carry as u32) & MASK;
            carry >>= SHIFT;
        }
        while carry != 0 {
            a.push((carry as u32) & MASK);
            carry >>= SHIFT;
        }
    }

    pub fn mul(a: &[u32], b: &[u32]) -> Vec<u32> {
        let (a, b) = if a.len() >= b.len() { (a, b) } else { (b, a) };
        if b.is_empty() {
            return Vec::new();
        }
        let mut r = if b.len() < KARATSUBA_CUTOFF {
            mul_school(a, b)
        } else if 2 * b.len() <= a.len() {
            mul_lopsided(a, b)
        } else {
            karatsuba(a, b)
        };
        trim(&mut r);
        r
    }

    fn mul_school(a: &[u32], b: &[u32]) -> Vec<u32> {
        let mut r = vec![0u32; a.len() + b.len()];
        for (i, &bi) in b.iter().enumerate() {
            if bi == 0 {
                continue;
            }
            let mut carry: u64 = 0;
            for (j, &aj) in a.iter().enumerate() {
                carry += r[i + j] as u64 + aj as u64 * bi as u64;
                r[i + j] = (carry as u32) & MASK;
                carry >>= SHIFT;
            }
            let mut k = i + a.len();
            while carry != 0 {
                carry += r[k] as u64;
                r[k] = (carry as u32) & MASK;
                carry >>= SHIFT;
                k += 1;
            }
        }
        r
    }

    /// Adds `x` into `r` at digit offset `off` (`r` is long enough for the sum).
    fn add_into(r: &mut [u32], x: &[u32], off: usize) {
        let mut carry = 0u32;
        let mut i = 0;
        while i < x.len() || carry != 0 {
            carry += r[off + i] + x.get(i).copied().unwrap_or(0);
            r[off + i] = carry & MASK;
            carry >>= SHIFT;
            i += 1;
        }
    }

    /// `a * b` when `a` is at least twice as long as `b`: `b` times slices of `a`.
    fn mul_lopsided(a: &[u32], b: &[u32]) -> Vec<u32> {
        let mut r = vec![0u32; a.len() + b.len() + 1];
        let mut off = 0;
        while off < a.len() {
            let end = (off + b.len()).min(a.len());
            let p = mul(trimmed(&a[off..end]), b);
            add_into(&mut r, &p, off);
            off = end;
        }
        r
    }

    /// Karatsuba: with `a = a1*B^m + a0` and likewise `b`, three half-size products.
    fn karatsuba(a: &[u32], b: &[u32]) -> Vec<u32> {
        let m = a.len() / 2;
        let (a0, a1) = (trimmed(&a[..m]), &a[m..]);
        let (b0, b1) = (trimmed(&b[..m.min(b.len())]), &b[m.min(b.len())..]);
        let z0 = mul(a0, b0);
        let z2 = mul(a1, b1);
        let z1 = sub(&sub(&mul(&add(a0, a1), &add(b0, b1)), &z0), &z2);
        let mut r = vec![0u32; a.len() + b.len() + 1];
        add_into(&mut r, &z0, 0);
        add_into(&mut r, &z1, m);
        add_into(&mut r, &z2, 2 * m);
        r
    }

    /// `(a / n, a % n)` for a single digit `n > 0`.
    pub fn divrem_small(a: &[u32], n: u32) -> (Vec<u32>, u32) {
        let mut q = vec![0u32; a.len()];
        let mut rem: u64 = 0;
        for i in (0..a.len()).rev() {
            rem = (rem << SHIFT) | a[i] as u64;
            q[i] = (rem / n as u64) as u32;
            rem %= n as u64;
        }
        trim(&mut q);
        (q, rem as u32)
    }

    /// `(a / b, a % b)` for `b > 0`.
    pub fn divrem(a: &[u32], b: &[u32]) -> (Vec<u32>, Vec<u32>) {
        assert!(!b.is_empty(), "division of magnitudes by zero");
        if cmp(a, b) == Ordering::Less {
            return (Vec::new(), a.to_vec());
        }
        if b.len() == 1 {
            let (q, r) = divrem_small(a, b[0]);
            return (q, if r == 0 { Vec::new() } else { vec![r] });
        }
        divrem_knuth(a, b)
    }

    /// Knuth's algorithm D (TAOCP 4.3.1) in base 2^30, `a >= b`, `b` of two digits or more.
    fn divrem_knuth(a: &[u32], b: &[u32]) -> (Vec<u32>, Vec<u32>) {
        let n = b.len();
        // Normalise so the divisor's top digit has its high bit (bit 29) set.
        let d = SHIFT - (32 - b[n - 1].leading_zeros());
        let w = shl_digits_bits(b, d);
        let mut v = shl_digits_bits(a, d);
        v.resize(a.len() + 1, 0);
        let k = v.len() - n;
        let mut q = vec![0u32; k];
        let (wm1, wm2) = (w[n - 1] as u64, w[n - 2] as u64);
        for j in (0..k).rev() {
            // Estimate the quotient digit from the top two digits; it may be one too large.
            let vtop = v[j + n] as u64;
            let vv = (vtop << SHIFT) | v[j + n - 1] as u64;
            let mut qd = vv / wm1;
            let mut r = vv - wm1 * qd;
            while wm2 * qd > ((r << SHIFT) | v[j + n - 2] as u64) {
                qd -= 1;
                r += wm1;
                if r >= BASE {
                    break;
                }
            }
            // v[j..=j+n] -= qd * w
            let mut zhi: i64 = 0;
            for i in 0..n {
                let z = v[j + i] as i64 + zhi - qd as i64 * w[i] as i64;
                v[j + i] = (z as u32) & MASK;
                zhi = z >> SHIFT;
            }
            if vtop as i64 + zhi < 0 {
                // The estimate was one too large: add w back.
                let mut carry = 0u32;
                for i in 0..n {
                    carry += v[j + i] + w[i];
                    v[j + i] = carry & MASK;
                    carry >>= SHIFT;
                }
                qd -= 1;
            }
            v[j + n] = 0;
            q[j] = qd as u32;
        }
        trim(&mut q);
        let mut rem = shr_digits_bits(&v[..n], d);
        trim(&mut rem);
        (q, rem)
    }

    /// Shift left by `s < SHIFT` bits, keeping the length unless a carry needs a new digit.
    fn shl_digits_bits(a: &[u32], s: u32) -> Vec<u32> {
        let mut r = Vec::with_capacity(a.len() + 1);
        let mut carry = 0u32;
        for &x in a {
            let acc = ((x as u64) << s) | carry as u64;
            r.push((acc as u32) & MASK);
            carry = (acc >> SHIFT) as u32;
        }
        if carry != 0 {
            r.push(carry);
        }
        r
    }

    fn shr_digits_bits(a: &[u32], s: u32) -> Vec<u32> {
        let mut r = vec![0u32; a.len()];
        let mut carry = 0u32;
        for i in (0..a.len()).rev() {
            let acc = ((carry as u64) << SHIFT) | a[i] as u64;
            r[i] = (acc >> s) as u32 & MASK;
            carry = a[i] & ((1u32 << s) - 1);
        }
        r
    }

    /// `a << n`.
    pub fn shl(a: &[u32], n: u64) -> Vec<u32> {
        if a.is_empty() {
            return Vec::new();
        }
        let (q, s) = ((n / SHIFT as u64) as usize, (n % SHIFT as u64) as u32);
        let mut r = vec![0u32; q];
        r.extend(shl_digits_bits(a, s));
        r
    }

    /// `(a >> n, whether any 1 bit was shifted out)`.
    pub fn shr(a: &[u32], n: u64) -> (Vec<u32>, bool) {
        let (q, s) = ((n / SHIFT as u64) as usize, (n % SHIFT as u64) as u32);
        if q >= a.len() {
            return (Vec::new(), !a.is_empty());
        }
        let lost = a[..q].iter().any(|&d| d != 0) || a[q] & ((1u32 << s) - 1) != 0;
        let mut r = shr_digits_bits(&a[q..], s);
        trim(&mut r);
        (r, lost)
    }

    /// Two's complement of a magnitude in `n` digits (`n` > len), negated if `neg`.
    pub fn twos(neg: bool, a: &[u32], n: usize) -> Vec<u32> {
        let mut v = a.to_vec();
        v.resize(n, 0);
        if neg {
            negate_twos(&mut v);
        }
        v
    }

    /// In-place two's-complement negation of a fixed-width digit vector.
    pub fn negate_twos(v: &mut [u32]) {
        let mut carry = 1u32;
        for d in v.iter_mut() {
            let x = (!*d & MASK) + carry;
            *d = x & MASK;
            carry = x >> SHIFT;
        }
    }

    pub fn popcount(a: &[u32]) -> u64 {
        a.iter().map(|d| d.count_ones() as u64).sum()
    }
}

/// A signed value as a magnitude plus sign, for the slow paths.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Big {
    pub neg: bool,
    pub mag: Vec<u32>,
}

impl Big {
    pub fn new(neg: bool, mut mag: Vec<u32>) -> Big {
        digits::trim(&mut mag);
        Big { neg: neg && !mag.is_empty(), mag }
    }

    pub fn of(o: &Obj) -> Big {
        let (s, d) = sign_and_digits(o);
        Big { neg: s < 0, mag: d.to_vec() }
    }

    pub fn from_i128(v: i128) -> Big {
        Big::new(v < 0, digits::from_u128(v.unsigned_abs()))
    }

    pub fn into_obj(self) -> PyRef {
        from_digits(self.neg, &self.mag)
    }

    pub fn is_zero(&self) -> bool {
        self.mag.is_empty()
    }

    pub fn is_odd(&self) -> bool {
        self.mag.first().is_some_and(|d| d & 1 == 1)
    }

    pub fn negated(&self) -> Big {
        Big::new(!self.neg, self.mag.clone())
    }

    pub fn add(&self, o: &Big) -> Big {
        add_signed(self.neg, &self.mag, o.neg, &o.mag)
    }

    pub fn sub(&self, o: &Big) -> Big {
        add_signed(self.neg, &self.mag, !o.neg, &o.mag)
    }

    pub fn mul(&self, o: &Big) -> Big {
        Big::new(self.neg != o.neg, digits::mul(&self.mag, &o.mag))
    }

    /// Floor division and modulo (`o` nonzero): the remainder takes the divisor's sign.
    pub fn divmod_floor(&self, o: &Big) -> (Big, Big) {
        divmod_floor(self.neg, &self.mag, o.neg, &o.mag)
    }

    pub fn compare(&self, o: &Big) -> Ordering {
        match (self.neg, o.neg) {
            (false, true) => Ordering::Greater,
            (true, false) => Ordering::Less,
            (false, false) => digits::cmp(&self.mag, &o.mag),
            (true, true) => digits::cmp(&o.mag, &self.mag),
        }
    }
}

fn add_signed(an: bool, a: &[u32], bn: bool, b: &[u32]) -> Big {
    if an == bn {
        return Big::new(an, digits::add(a, b));
    }
    match digits::cmp(a, b) {
        Ordering::Less => Big::new(bn, digits::sub(b, a)),
        _ => Big::new(an, digits::sub(a, b)),
    }
}

fn divmod_floor(an: bool, a: &[u32], bn: bool, b: &[u32]) -> (Big, Big) {
    let (q, r) = digits::divrem(a, b);
    let (q, r) = (Big::new(an != bn, q), Big::new(an, r));
    if an != bn && !r.is_zero() {
        // Truncation rounded toward zero; floor is one further, and the remainder moves
        // to the divisor's side.
        let q = Big::new(true, digits::add_small(&q.mag, 1));
        let r = Big::new(bn, digits::sub(b, &r.mag));
        return (q, r);
    }
    (q, r)
}

/// Beyond this many digits an operation's result is refused with `MemoryError` instead of
/// attempting the allocation (Rust aborts on allocation failure).
const MAX_DIGITS: usize = 1 << 28;

fn check_size(ndigits: u128) -> PyResult<()> {
    if ndigits > (isize::MAX as u128 - 24) / 4 {
        return Err(raise!(OverflowError, "too many digits in integer"));
    }
    if ndigits > MAX_DIGITS as u128 {
        return Err(PyErr::from_type_no_args(crate::objects::exceptions::MemoryError()));
    }
    Ok(())
}

// ---- arithmetic on int objects --------------------------------------------------------------

/// `a + b` for two ints.
pub fn add(a: &Obj, b: &Obj) -> PyRef {
    if let (Some(x), Some(y)) = (to_i64(a), to_i64(b)) {
        return from_i128(x as i128 + y as i128);
    }
    let ((sa, da), (sb, db)) = (sign_and_digits(a), sign_and_digits(b));
    add_signed(sa < 0, da, sb < 0, db).into_obj()
}

/// `a - b` for two ints.
pub fn sub(a: &Obj, b: &Obj) -> PyRef {
    if let (Some(x), Some(y)) = (to_i64(a), to_i64(b)) {
        return from_i128(x as i128 - y as i128);
    }
    let ((sa, da), (sb, db)) = (sign_and_digits(a), sign_and_digits(b));
    add_signed(sa < 0, da, sb >= 0, db).into_obj()
}

/// `a * b` for two ints.
pub fn mul(a: &Obj, b: &Obj) -> PyResult<PyRef> {
    if let (Some(x), Some(y)) = (to_i64(a), to_i64(b)) {
        return Ok(from_i128(x as i128 * y as i128));
    }
    let ((sa, da), (sb, db)) = (sign_and_digits(a), sign_and_digits(b));
    check_size(da.len() as u128 + db.len() as u128)?;
    Ok(Big::new((sa < 0) != (sb < 0), digits::mul(da, db)).into_obj())
}

fn zero_division() -> PyErr {
    raise!(ZeroDivisionError, "division by zero")
}

/// `divmod(a, b)` for two ints, floor semantics.
pub fn divmod(a: &Obj, b: &Obj) -> PyResult<(PyRef, PyRef)> {
    if let (Some(x), Some(y)) = (to_i64(a), to_i64(b)) {
        if y == 0 {
            return Err(zero_division());
        }
        let (x, y) = (x as i128, y as i128);
        let (mut q, mut r) = (x / y, x % y);
        if r != 0 && ((r < 0) != (y < 0)) {
            q -= 1;
            r += y;
        }
        return Ok((from_i128(q), from_i128(r)));
    }
    let ((sa, da), (sb, db)) = (sign_and_digits(a), sign_and_digits(b));
    if sb == 0 {
        return Err(zero_division());
    }
    let (q, r) = divmod_floor(sa < 0, da, sb < 0, db);
    Ok((q.into_obj(), r.into_obj()))
}

pub fn floor_div(a: &Obj, b: &Obj) -> PyResult<PyRef> {
    divmod(a, b).map(|(q, _)| q)
}

pub fn modulo(a: &Obj, b: &Obj) -> PyResult<PyRef> {
    divmod(a, b).map(|(_, r)| r)
}

/// `-a`.
pub fn neg(a: &Obj) -> PyRef {
    let (sign, ds) = sign_and_digits(a);
    from_digits(sign > 0, ds)
}

/// `~a` = `-(a + 1)`.
pub fn invert(a: &Obj) -> PyRef {
    if let Some(x) = to_i64(a) {
        return from_i128(-(x as i128) - 1);
    }
    let (sa, da) = sign_and_digits(a);
    add_signed(sa < 0, da, false, &[1]).negated().into_obj()
}

/// The shift count of `<<`/`>>`: `None` when it does not fit in a u64.
fn shift_count(b: &Obj) -> PyResult<Option<u64>> {
    if is_negative(b) {
        return Err(raise!(ValueError, "negative shift count"));
    }
    Ok(to_u64(b))
}

/// `a << b`.
pub fn lshift(a: &Obj, b: &Obj) -> PyResult<PyRef> {
    let n = shift_count(b)?;
    let (sa, da) = sign_and_digits(a);
    if sa == 0 {
        return Ok(small(0));
    }
    let Some(n) = n.filter(|&n| n <= i64::MAX as u64) else {
        return Err(raise!(OverflowError, "too many digits in integer"));
    };
    if let Some(x) = to_i64(a) {
        if n < 64 {
            let v = (x as i128) << n;
            if v >> n == x as i128 {
                return Ok(from_i128(v));
            }
        }
    }
    check_size(da.len() as u128 + n as u128 / 30 + 1)?;
    Ok(Big::new(sa < 0, digits::shl(da, n)).into_obj())
}

/// `a >> b` (floor: negative values round toward negative infinity).
pub fn rshift(a: &Obj, b: &Obj) -> PyResult<PyRef> {
    let n = shift_count(b)?;
    let (sa, da) = sign_and_digits(a);
    let Some(n) = n.filter(|&n| n < digits::bit_length(da)) else {
        return Ok(small(if sa < 0 { -1 } else { 0 }));
    };
    if let Some(x) = to_i64(a) {
        return Ok(from_i64(x >> n.min(63)));
    }
    if sa >= 0 {
        return Ok(from_digits(false, &digits::shr(da, n).0));
    }
    let (q, lost) = digits::shr(da, n);
    let q = if lost { digits::add_small(&q, 1) } else { q };
    Ok(from_digits(true, &q))
}

#[derive(Clone, Copy)]
enum Bitwise {
    And,
    Or,
    Xor,
}

/// `&`, `|`, `^` with two's-complement semantics for negative values.
fn bitwise(a: &Obj, b: &Obj, op: Bitwise) -> PyRef {
    if let (Some(x), Some(y)) = (to_i64(a), to_i64(b)) {
        return from_i64(match op {
            Bitwise::And => x & y,
            Bitwise::Or => x | y,
            Bitwise::Xor => x ^ y,
        });
    }
    let ((sa, da), (sb, db)) = (sign_and_digits(a), sign_and_digits(b));
    let (an, bn) = (sa < 0, sb < 0);
    let n = da.len().max(db.len()) + 1;
    let (ta, tb) = (digits::twos(an, da, n), digits::twos(bn, db, n));
    let mut r: Vec<u32> = ta
        .iter()
        .zip(&tb)
        .map(|(&x, &y)| match op {
            Bitwise::And => x & y,
            Bitwise::Or => x | y,
            Bitwise::Xor => x ^ y,
        })
        .collect();
    let neg = match op {
        Bitwise::And => an && bn,
        Bitwise::Or => an || bn,
        Bitwise::Xor => an != bn,
    };
    if neg {
        digits::negate_twos(&mut r);
    }
    Big::new(neg, r).into_obj()
}

pub fn and(a: &Obj, b: &Obj) -> PyRef {
    bitwise(a, b, Bitwise::And)
}
pub fn or(a: &Obj, b: &Obj) -> PyRef {
    bitwise(a, b, Bitwise::Or)
}
pub fn xor(a: &Obj, b: &Obj) -> PyRef {
    bitwise(a, b, Bitwise::Xor)
}

/// `pow(a, b)` / `pow(a, b, m)` for ints. A negative exponent without a modulus gives a
/// float; with a modulus it takes the modular inverse of the base.
pub fn pow(a: &Obj, b: &Obj, m: Option<&Obj>) -> PyResult<PyRef> {
    let (sb, db) = sign_and_digits(b);
    let Some(m) = m else {
        if sb < 0 {
            return float::pow_values(to_f64(a)?, to_f64(b)?);
        }
        return pow_plain(a, db);
    };
    let (sm, dm) = sign_and_digits(m);
    if sm == 0 {
        return Err(raise!(ValueError, "pow() 3rd argument cannot be 0"));
    }
    if dm == [1] {
        return Ok(small(0));
    }
    let modulus = Big::new(false, dm.to_vec());
    let mut base = Big::of(a);
    if sb < 0 {
        base = invmod(&base, &modulus)?;
    }
    let base = base.divmod_floor(&modulus).1;
    let mut z = pow_mod(&base.mag, db, &modulus.mag);
    if sm < 0 && !z.is_empty() {
        z = digits::sub(&modulus.mag, &z);
        return Ok(from_digits(true, &z));
    }
    Ok(from_digits(false, &z))
}

/// `a ** e` for `e >= 0` (magnitude `de`).
fn pow_plain(a: &Obj, de: &[u32]) -> PyResult<PyRef> {
    let (sa, da) = sign_and_digits(a);
    let odd = de.first().is_some_and(|d| d & 1 == 1);
    if de.is_empty() {
        return Ok(small(1));
    }
    if da.is_empty() {
        return Ok(small(0));
    }
    if da == [1] {
        return Ok(small(if sa < 0 && odd { -1 } else { 1 }));
    }
    let Some(e) = digits::to_u128(de).filter(|&e| e <= u64::MAX as u128) else {
        return Err(PyErr::from_type_no_args(crate::objects::exceptions::MemoryError()));
    };
    let e = e as u64;
    if let Some(x) = to_i64(a) {
        if let Some(v) = u32::try_from(e).ok().and_then(|e| (x as i128).checked_pow(e)) {
            return Ok(from_i128(v));
        }
    }
    let bits = (digits::bit_length(da) - 1) as u128 * e as u128 + 1;
    check_size(bits / 30 + 1)?;
    // Left to right: square for every bit of the exponent, multiply for the set ones.
    let mut r: Vec<u32> = da.to_vec();
    for i in (0..63 - e.leading_zeros()).rev() {
        r = digits::mul(&r, &r);
        if e >> i & 1 == 1 {
            r = digits::mul(&r, da);
        }
    }
    Ok(from_digits(sa < 0 && odd, &r))
}

/// `base ** e % m` on magnitudes (`base < m`).
fn pow_mod(base: &[u32], e: &[u32], m: &[u32]) -> Vec<u32> {
    let mut r: Vec<u32> = if digits::cmp(&[1], m) == Ordering::Less { vec![1] } else { Vec::new() };
    let nbits = digits::bit_length(e);
    for i in (0..nbits).rev() {
        r = digits::divrem(&digits::mul(&r, &r), m).1;
        if digits::bit(e, i) {
            r = digits::divrem(&digits::mul(&r, base), m).1;
        }
    }
    r
}

/// The inverse of `a` modulo `n > 0` (extended Euclid), as `long_invmod`.
fn invmod(a: &Big, n: &Big) -> PyResult<Big> {
    let (mut a, mut n) = (a.clone(), n.clone());
    let (mut b, mut c) = (Big::from_i128(1), Big::default());
    while !n.is_zero() {
        let (q, r) = a.divmod_floor(&n);
        a = core::mem::replace(&mut n, r);
        let s = b.sub(&q.mul(&c));
        b = core::mem::replace(&mut c, s);
    }
    if a.mag != [1] || a.neg {
        return Err(raise!(ValueError, "base is not invertible for the given modulus"));
    }
    Ok(b)
}

/// Three-way comparison of two ints.
pub fn compare(a: &Obj, b: &Obj) -> Ordering {
    let (sa, da) = sign_and_digits(a);
    let (sb, db) = sign_and_digits(b);
    if sa != sb {
        return sa.cmp(&sb);
    }
    let mag = digits::cmp(da, db);
    if sa < 0 {
        mag.reverse()
    } else if sa == 0 {
        Ordering::Equal
    } else {
        mag
    }
}

/// `int.bit_length()`.
pub fn bit_length(o: &Obj) -> u64 {
    digits::bit_length(sign_and_digits(o).1)
}

/// `round(a, ndigits)` for `ndigits < 0`: to a multiple of `10**-ndigits`, ties to even.
fn round_to_pow10(a: &Obj, ndigits: &Obj) -> PyResult<PyRef> {
    // 10**n for n beyond the value's length is just 0 (or a tie that rounds to 0).
    let n = neg(ndigits);
    let ten = small(10);
    let Some(nn) = to_u64(&n).filter(|&k| k < 1 << 32) else {
        return Ok(small(0));
    };
    if nn as f64 * 3.3219280948873626 > bit_length(a) as f64 + 2.0 {
        return Ok(small(0));
    }
    let p = pow(&ten, &n, None)?;
    let (q, r) = divmod(a, &p)?;
    // Round half to even: compare 2r with p.
    let twice = add(&r, &r);
    let up = match compare(&twice, &p) {
        Ordering::Greater => true,
        Ordering::Equal => sign_and_digits(&q).1.first().is_some_and(|d| d & 1 == 1),
        Ordering::Less => false,
    };
    let q = if up { add(&q, &small(1)) } else { q };
    mul(&q, &p)
}

// ---- strings --------------------------------------------------------------------------------

/// Decimal representation (`str(int)`), with the digit limit of `sys.set_int_max_str_digits`.
pub fn to_decimal_string(o: &Obj) -> PyResult<String> {
    if let Some(v) = to_i128(o) {
        return Ok(v.to_string());
    }
    let (sign, ds) = sign_and_digits(o);
    let limit = max_str_digits();
    // Quick rejection before the quadratic conversion (10/3 >= log2(10)).
    if limit > 0 && ds.len() >= 10 * MAX_STR_DIGITS_THRESHOLD / (3 * 30) + 2 && limit / (3 * 30) <= (ds.len() - 11) / 10 {
        return Err(to_str_limit_error(limit));
    }
    let mut s = decimal_digits(ds);
    if limit > 0 && s.len() > limit {
        return Err(to_str_limit_error(limit));
    }
    if sign < 0 {
        s.insert(0, '-');
    }
    Ok(s)
}

/// Decimal representation without the digit limit (for Pyrite's own use, e.g. `round`).
pub fn to_decimal_string_unlimited(o: &Obj) -> String {
    if let Some(v) = to_i128(o) {
        return v.to_string();
    }
    let (sign, ds) = sign_and_digits(o);
    let s = decimal_digits(ds);
    if sign < 0 { format!("-{s}") } else { s }
}

/// The decimal digits of a magnitude, by repeated division by 10^9 (quadratic).
fn decimal_digits(ds: &[u32]) -> String {
    let mut mag: Vec<u32> = ds.to_vec();
    let mut chunks = Vec::new();
    const CHUNK: u32 = 1_000_000_000;
    while !mag.is_empty() {
        let (q, r) = digits::divrem_small(&mag, CHUNK);
        chunks.push(r);
        mag = q;
    }
    let mut s = String::with_capacity(chunks.len() * 9 + 1);
    s.push_str(&chunks.last().copied().unwrap_or(0).to_string());
    for c in chunks.iter().rev().skip(1) {
        s.push_str(&format!("{c:09}"));
    }
    s
}

/// `bin()`/`oct()`/`hex()`/`str()` of an int: `"-0x1f"` etc.
pub fn format_base(o: &Obj, base: u32) -> PyResult<String> {
    let (prefix, bits) = match base {
        2 => ("0b", 1),
        8 => ("0o", 3),
        16 => ("0x", 4),
        _ => return to_decimal_string(o),
    };
    let (sign, ds) = sign_and_digits(o);
    let mut out = Vec::new();
    let nbits = digits::bit_length(ds);
    let mut i = 0;
    while i < nbits.max(1) {
        let d = digits::extract_bits(ds, i, bits) as u8;
        out.push(b"0123456789abcdef"[d as usize]);
        i += bits as u64;
    }
    out.reverse();
    let mut s = String::with_capacity(out.len() + 3);
    if sign < 0 {
        s.push('-');
    }
    s.push_str(prefix);
    s.push_str(core::str::from_utf8(&out).expect("ASCII digits"));
    Ok(s)
}

/// Whether `c` is whitespace as `str.isspace()` sees it (`Py_UNICODE_ISSPACE`).
pub fn is_unicode_space(c: char) -> bool {
    matches!(
        c,
        '\t'..='\r' | '\x1c'..='\x20' | '\u{85}' | '\u{a0}' | '\u{1680}' | '\u{2000}'..='\u{200a}'
            | '\u{2028}' | '\u{2029}' | '\u{202f}' | '\u{205f}' | '\u{3000}'
    )
}

/// The code points of value 0 of every run of Unicode decimal digits (category Nd) —
/// generated from CPython 3.15's `unicodedata` (Unicode 17.0), each run being ten code points.
const DECIMAL_ZEROS: [u32; 77] = [
    0x30, 0x660, 0x6F0, 0x7C0, 0x966, 0x9E6, 0xA66, 0xAE6, 0xB66, 0xBE6, 0xC66, 0xCE6, 0xD66, 0xDE6, 0xE50, 0xED0,
    0xF20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0, 0x1A80, 0x1A90, 0x1B50, 0x1BB0, 0x1C40, 0x1C50, 0xA620,
    0xA8D0, 0xA900, 0xA9D0, 0xA9F0, 0xAA50, 0xABF0, 0xFF10, 0x104A0, 0x10D30, 0x10D40, 0x11066, 0x110F0, 0x11136,
    0x111D0, 0x112F0, 0x11450, 0x114D0, 0x11650, 0x116C0, 0x116D0, 0x116DA, 0x11730, 0x118E0, 0x11950, 0x11BF0,
    0x11C50, 0x11D50, 0x11DA0, 0x11DE0, 0x11F50, 0x16130, 0x16A60, 0x16AC0, 0x16B50, 0x16D70, 0x1CCF0, 0x1D7CE,
    0x1D7D8, 0x1D7E2, 0x1D7EC, 0x1D7F6, 0x1E140, 0x1E2F0, 0x1E4F0, 0x1E5F1, 0x1E950, 0x1FBF0,
];

/// The decimal value of a Unicode decimal digit (`Py_UNICODE_TODECIMAL`).
pub fn unicode_decimal(c: char) -> Option<u32> {
    let c = c as u32;
    let i = DECIMAL_ZEROS.partition_point(|&z| z <= c);
    let z = DECIMAL_ZEROS[i.checked_sub(1)?];
    (c - z < 10).then_some(c - z)
}

/// `_PyUnicode_TransformDecimalAndSpaceToASCII`: Unicode digits to ASCII digits, Unicode
/// whitespace to spaces, other non-ASCII characters to `?` (never valid in a number).
pub fn transform_decimal_and_space(s: impl Iterator<Item = u32>) -> Vec<u8> {
    s.map(|c| match char::from_u32(c) {
        Some(ch) if ch.is_ascii() => ch as u8,
        Some(ch) if is_unicode_space(ch) => b' ',
        Some(ch) => unicode_decimal(ch).map_or(b'?', |d| b'0' + d as u8),
        None => b'?',
    })
    .collect()
}

/// `Py_ISSPACE`: ASCII whitespace.
fn is_ascii_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r')
}

fn digit_value(c: u8) -> u32 {
    match c {
        b'0'..=b'9' => (c - b'0') as u32,
        b'a'..=b'z' => (c - b'a') as u32 + 10,
        b'A'..=b'Z' => (c - b'A') as u32 + 10,
        _ => 37,
    }
}

/// The outcome of parsing a number out of ASCII text.
pub enum Parse {
    Value(PyRef),
    /// Not a valid literal: the caller words the `ValueError`.
    Invalid,
    /// Another error (the digit limit).
    Error(PyErr),
}

/// `PyLong_FromString` on ASCII text (the whole text must be the number, with surrounding
/// whitespace): sign, base prefixes, single underscores between digits, the digit limit.
pub fn parse_ascii(s: &[u8], base: u32) -> Parse {
    let at = |i: usize| s.get(i).copied().unwrap_or(0);
    let mut i = 0;
    while is_ascii_space(at(i)) {
        i += 1;
    }
    let mut negative = false;
    if at(i) == b'+' {
        i += 1;
    } else if at(i) == b'-' {
        i += 1;
        negative = true;
    }
    let mut base = base;
    let mut error_if_nonzero = false;
    if base == 0 {
        base = if at(i) != b'0' {
            10
        } else {
            match at(i + 1) {
                b'x' | b'X' => 16,
                b'o' | b'O' => 8,
                b'b' | b'B' => 2,
                _ => {
                    // "Old" C-style octal: invalid, unless it is zero.
                    error_if_nonzero = true;
                    10
                }
            }
        };
    }
    if at(i) == b'0' {
        let p = at(i + 1).to_ascii_lowercase();
        if (base == 16 && p == b'x') || (base == 8 && p == b'o') || (base == 2 && p == b'b') {
            i += 2;
            if at(i) == b'_' {
                i += 1;
            }
        }
    }
    let start = i;
    if at(i) == b'_' {
        return Parse::Invalid;
    }
    let mut prev = 0u8;
    let mut ndigits = 0usize;
    while i < s.len() && (digit_value(s[i]) < base || s[i] == b'_') {
        if s[i] == b'_' {
            if prev == b'_' {
                return Parse::Invalid;
            }
        } else {
            ndigits += 1;
        }
        prev = s[i];
        i += 1;
    }
    if prev == b'_' {
        return Parse::Invalid;
    }
    let end = i;
    if start == end {
        return Parse::Invalid;
    }
    while i < s.len() && is_ascii_space(s[i]) {
        i += 1;
    }
    if i != s.len() {
        return Parse::Invalid;
    }
    let body = s[start..end].iter().copied().filter(|&c| c != b'_');
    let mag = if base.is_power_of_two() {
        let bits = base.trailing_zeros() as u64;
        let mut mag = vec![0u32; (ndigits as u64 * bits / 30 + 1) as usize];
        for (k, c) in body.collect::<Vec<_>>().iter().rev().enumerate() {
            let pos = k as u64 * bits;
            let d = digit_value(*c) as u64;
            let (q, r) = ((pos / 30) as usize, pos % 30);
            let v = d << r;
            mag[q] |= (v as u32) & digits::MASK;
            if v >> 30 != 0 {
                mag[q + 1] |= (v >> 30) as u32;
            }
        }
        mag
    } else {
        let limit = max_str_digits();
        if ndigits > MAX_STR_DIGITS_THRESHOLD && limit > 0 && ndigits > limit {
            return Parse::Error(raise!(
                ValueError,
                "Exceeds the limit ({} digits) for integer string conversion: value has {} digits; use sys.set_int_max_str_digits() to increase the limit",
                limit,
                ndigits
            ));
        }
        // Digits in chunks whose value base**k stays below 2^30.
        let mut per = 1u32;
        let mut chunk_mul = base;
        while (chunk_mul as u64) * (base as u64) < 1 << 30 {
            chunk_mul *= base;
            per += 1;
        }
        let mut mag: Vec<u32> = Vec::with_capacity(ndigits / 9 + 1);
        let (mut acc, mut n, mut m) = (0u32, 0u32, 1u32);
        for c in body {
            acc = acc * base + digit_value(c);
            m *= base;
            n += 1;
            if n == per {
                digits::mul_small_add(&mut mag, m, acc);
                (acc, n, m) = (0, 0, 1);
            }
        }
        if n > 0 {
            digits::mul_small_add(&mut mag, m, acc);
        }
        mag
    };
    let mut mag = mag;
    digits::trim(&mut mag);
    if error_if_nonzero && !mag.is_empty() {
        return Parse::Invalid;
    }
    Parse::Value(from_digits(negative, &mag))
}

fn check_base(base: i64) -> PyResult<u32> {
    if (base != 0 && base < 2) || base > 36 {
        return Err(raise!(ValueError, "int() base must be >= 2 and <= 36, or 0"));
    }
    Ok(base as u32)
}

/// Truncates a repr to 200 characters, as `%.200R` does.
fn repr_200(r: String) -> String {
    match r.char_indices().nth(200) {
        Some((i, _)) => r[..i].to_string(),
        None => r,
    }
}

/// `int(s, base)` for a str object (`PyLong_FromUnicodeObject`).
pub fn from_unicode(s: &Obj, base: u32) -> PyResult<PyRef> {
    let base = check_base(base as i64)?;
    let ascii = transform_decimal_and_space(unicode::chars(s));
    match parse_ascii(&ascii, base) {
        Parse::Value(v) => Ok(v),
        Parse::Error(e) => Err(e),
        Parse::Invalid => Err(raise!(
            ValueError,
            "invalid literal for int() with base {}: {}",
            base,
            repr_200(unicode::repr_of(s))
        )),
    }
}

/// `int(text, base)` for Rust text (`PyLong_FromUnicodeObject` semantics).
pub fn from_str_radix(s: &str, base: u32) -> PyResult<PyRef> {
    from_unicode(&unicode::new(s), base)
}

/// `int(b, base)` for bytes (`_PyLong_FromBytes`): every failure is "invalid literal".
pub fn from_bytes_literal(b: &[u8], base: u32) -> PyResult<PyRef> {
    let base = check_base(base as i64)?;
    match parse_ascii(b, base) {
        Parse::Value(v) => Ok(v),
        Parse::Error(e) => Err(e),
        Parse::Invalid => Err(raise!(
            ValueError,
            "invalid literal for int() with base {}: {}",
            base,
            repr_200(bytes::repr_bytes(&b[..b.len().min(200)]))
        )),
    }
}

pub fn hash_of(o: &Obj) -> Py_hash_t {
    if let Some(v) = to_i64(o) {
        return hash::hash_i64(v);
    }
    let (sign, ds) = sign_and_digits(o);
    let m = hash::HASH_MODULUS;
    let mut x: u64 = 0;
    for &d in ds.iter().rev() {
        x = ((x << PyLong_SHIFT) & m) | (x >> (hash::HASH_BITS - PyLong_SHIFT));
        x += d as u64;
        if x >= m {
            x -= m;
        }
    }
    hash::fix(if sign < 0 { -(x as i64) } else { x as i64 } as Py_hash_t)
}

/// Whether `o` is an int (or subclass, including bool).
#[inline(always)]
pub fn check(o: &Obj) -> bool {
    o.ob_type().has_flag(Py_TPFLAGS_LONG_SUBCLASS)
}

pub fn types() -> [&'static TypeObj; 1] {
    [&PyLong_Type]
}

// ---- slots ----------------------------------------------------------------------------------

unsafe extern "C" fn long_dealloc(o: *mut PyObject) {
    // SAFETY: a dead int; its type's tp_free releases the memory.
    unsafe {
        let ty = (*o).ob_type;
        if ty == PyLong_Type.raw() && (*(o as *mut PyLongObject)).lv_tag >> _PyLong_NON_SIZE_BITS <= 2 && FREE_INTS.push(o) {
            return;
        }
        match (*ty).tp_free {
            Some(f) => f(o as *mut _),
            None => crate::alloc::free_object(o),
        }
    }
}

unsafe extern "C" fn long_repr(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: live int.
    ret_obj(to_decimal_string(unsafe { arg(o) }).map(|s| unicode::new(&s)))
}

unsafe extern "C" fn long_hash(o: *mut PyObject) -> Py_hash_t {
    // SAFETY: live int.
    hash_of(unsafe { arg(o) })
}

unsafe extern "C" fn long_richcompare(a: *mut PyObject, b: *mut PyObject, op: c_int) -> *mut PyObject {
    // SAFETY: live arguments.
    let (a, b) = unsafe { (arg(a), arg(b)) };
    if !check(a) || !check(b) {
        return none::not_implemented().into_raw();
    }
    bool_::new(abstract_::ordering_matches(compare(a, b), op)).into_raw()
}

/// A binary slot: NotImplemented unless both operands are ints.
macro_rules! int_binary_slot {
    ($name:ident, |$x:ident, $y:ident| $body:expr) => {
        unsafe extern "C" fn $name(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
            // SAFETY: slot arguments are live objects.
            let ($x, $y) = unsafe { (arg(a), arg(b)) };
            if !check($x) || !check($y) {
                return none::not_implemented().into_raw();
            }
            let r: PyResult<PyRef> = $body;
            ret_obj(r)
        }
    };
}

int_binary_slot!(long_add, |a, b| Ok(add(a, b)));
int_binary_slot!(long_sub, |a, b| Ok(sub(a, b)));
int_binary_slot!(long_mul, |a, b| mul(a, b));
int_binary_slot!(long_floordiv, |a, b| floor_div(a, b));
int_binary_slot!(long_mod, |a, b| modulo(a, b));
int_binary_slot!(long_divmod, |a, b| divmod(a, b).map(|(q, r)| tuple::new_from_owned(vec![q, r])));
int_binary_slot!(long_truediv, |a, b| true_divide(a, b).map(float::new));
int_binary_slot!(long_lshift, |a, b| lshift(a, b));
int_binary_slot!(long_rshift, |a, b| rshift(a, b));
int_binary_slot!(long_and, |a, b| Ok(and(a, b)));
int_binary_slot!(long_or, |a, b| Ok(or(a, b)));
int_binary_slot!(long_xor, |a, b| Ok(xor(a, b)));

unsafe extern "C" fn long_pow(a: *mut PyObject, b: *mut PyObject, c: *mut PyObject) -> *mut PyObject {
    // SAFETY: slot arguments are live objects.
    let (a, b, c) = unsafe { (arg(a), arg(b), arg(c)) };
    if !check(a) || !check(b) {
        return none::not_implemented().into_raw();
    }
    let m = if c.is(none::none_obj()) {
        None
    } else if check(c) {
        Some(c)
    } else {
        return none::not_implemented().into_raw();
    };
    ret_obj(pow(a, b, m))
}

unsafe extern "C" fn long_neg(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: live int.
    neg(unsafe { arg(o) }).into_raw()
}

/// `int(self)`: the value as an exact int (`nb_int`, `nb_index`, `nb_positive`).
unsafe extern "C" fn long_long(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: live int.
    exact_copy(unsafe { arg(o) }).into_raw()
}

unsafe extern "C" fn long_abs(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: live int.
    let (_, ds) = sign_and_digits(unsafe { arg(o) });
    from_digits(false, ds).into_raw()
}

unsafe extern "C" fn long_invert(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: live int.
    invert(unsafe { arg(o) }).into_raw()
}

unsafe extern "C" fn long_bool(o: *mut PyObject) -> c_int {
    // SAFETY: live int.
    (sign_and_digits(unsafe { arg(o) }).0 != 0) as c_int
}

unsafe extern "C" fn long_float(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: live int.
    ret_obj(to_f64(unsafe { arg(o) }).map(float::new))
}

// ---- methods and attributes -----------------------------------------------------------------

unsafe extern "C" fn long_long_meth(o: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    // SAFETY: live int.
    exact_copy(unsafe { arg(o) }).into_raw()
}

unsafe extern "C" fn long_bit_length(o: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    // SAFETY: live int.
    from_u64(bit_length(unsafe { arg(o) })).into_raw()
}

unsafe extern "C" fn long_bit_count(o: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    // SAFETY: live int.
    from_u64(digits::popcount(sign_and_digits(unsafe { arg(o) }).1)).into_raw()
}

unsafe extern "C" fn long_as_integer_ratio(o: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    // SAFETY: live int.
    tuple::new_from_owned(vec![exact_copy(unsafe { arg(o) }), small(1)]).into_raw()
}

unsafe extern "C" fn long_is_integer(_: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    bool_::new(true).into_raw()
}

unsafe extern "C" fn long_getnewargs(o: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    // SAFETY: live int.
    tuple::new_from_owned(vec![exact_copy(unsafe { arg(o) })]).into_raw()
}

unsafe extern "C" fn long_sizeof(o: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    // SAFETY: live int.
    let (_, ds) = sign_and_digits(unsafe { arg(o) });
    from_usize(offset_of!(PyLongObject, ob_digit) + 4 * ds.len().max(1)).into_raw()
}

unsafe extern "C" fn long_get_self(o: *mut PyObject, _: *mut c_void) -> *mut PyObject {
    // SAFETY: live int.
    exact_copy(unsafe { arg(o) }).into_raw()
}

unsafe extern "C" fn long_get_zero(_: *mut PyObject, _: *mut c_void) -> *mut PyObject {
    small(0).into_raw()
}

unsafe extern "C" fn long_get_one(_: *mut PyObject, _: *mut c_void) -> *mut PyObject {
    small(1).into_raw()
}

/// `int.__round__(ndigits=None, /)`.
unsafe extern "C" fn long_round(o: *mut PyObject, args: *const *mut PyObject, nargs: Py_ssize_t) -> *mut PyObject {
    // SAFETY: METH_FASTCALL contract.
    let r = (|| unsafe {
        let o = arg(o);
        number::check_positional("__round__", nargs as usize, 0, 1)?;
        let nd = if nargs == 1 { Some(arg(*args)) } else { None };
        match nd.filter(|n| !n.is(none::none_obj())) {
            None => Ok(exact_copy(o)),
            Some(n) => {
                let n = abstract_::index(n)?;
                if !is_negative(&n) {
                    return Ok(exact_copy(o));
                }
                round_to_pow10(o, &n)
            }
        }
    })();
    ret_obj(r)
}

/// The `byteorder` argument of `to_bytes`/`from_bytes`: true for little-endian.
fn byteorder_arg(fname: &str, o: Option<&Obj>) -> PyResult<bool> {
    let Some(o) = o else { return Ok(false) };
    if !unicode::check(o) {
        return Err(raise!(TypeError, "{}() argument 'byteorder' must be str, not {}", fname, o.ob_type().name()));
    }
    if unicode::eq_str(o, "little") {
        Ok(true)
    } else if unicode::eq_str(o, "big") {
        Ok(false)
    } else {
        Err(raise!(ValueError, "byteorder must be either 'little' or 'big'"))
    }
}

static TO_BYTES_SIG: Signature =
    Signature { fname: "to_bytes", params: &["length", "byteorder", "signed"], posonly: 0, minpos: 0, maxpos: 2 };
static FROM_BYTES_SIG: Signature =
    Signature { fname: "from_bytes", params: &["bytes", "byteorder", "signed"], posonly: 0, minpos: 1, maxpos: 2 };

/// `int.to_bytes(length=1, byteorder='big', *, signed=False)`.
unsafe extern "C" fn long_to_bytes(
    o: *mut PyObject,
    args: *const *mut PyObject,
    nargs: Py_ssize_t,
    kwnames: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: METH_FASTCALL | METH_KEYWORDS contract.
    let r = (|| unsafe {
        let o = arg(o);
        let [length, order, signed] = TO_BYTES_SIG.bind_fastcall::<3>(args, nargs, kwnames)?;
        let length = match length {
            Some(l) => {
                let v = abstract_::index(l)?;
                to_i64(&v).ok_or_else(|| raise!(OverflowError, "Python int too large to convert to C ssize_t"))?
            }
            None => 1,
        };
        if length < 0 {
            return Err(raise!(ValueError, "length cannot be negative"));
        }
        let little = byteorder_arg("to_bytes", order)?;
        let signed = match signed {
            Some(s) => abstract_::is_true(s)?,
            None => false,
        };
        let data = to_byte_array(o, length as usize, little, signed)?;
        Ok(bytes::new(&data))
    })();
    ret_obj(r)
}

/// `_PyLong_AsByteArray`: the value in `n` bytes, two's complement when `signed`.
pub fn to_byte_array(o: &Obj, n: usize, little: bool, signed: bool) -> PyResult<Vec<u8>> {
    let (sign, ds) = sign_and_digits(o);
    if sign < 0 && !signed {
        return Err(raise!(OverflowError, "can't convert negative int to unsigned"));
    }
    let too_big = || raise!(OverflowError, "int too big to convert");
    let nbits = digits::bit_length(ds);
    // Magnitude bits must fit, leaving the sign bit for signed values (-2^(8n-1) fits).
    if n == 0 {
        if sign != 0 {
            return Err(too_big());
        }
    } else if signed {
        let limit = 8 * n as u64 - 1;
        let is_min = sign < 0 && nbits == limit + 1 && !digits::any_below(ds, limit);
        if nbits > limit && !is_min {
            return Err(too_big());
        }
    } else if nbits > 8 * n as u64 {
        return Err(too_big());
    }
    check_size(n as u128 / 4)?;
    Ok(low_bytes(o, n, little))
}

/// The low `n` bytes of the value in two's complement, sign-extended or truncated as needed
/// (`_PyLong_AsByteArray` without its overflow check, as `PyLong_AsNativeBytes` uses it).
pub fn low_bytes(o: &Obj, n: usize, little: bool) -> Vec<u8> {
    let (sign, ds) = sign_and_digits(o);
    let width = ds.len().max((8 * n).div_ceil(30)) + 1;
    let t = digits::twos(sign < 0, ds, width);
    let mut v: Vec<u8> = (0..n).map(|k| digits::extract_bits(&t, 8 * k as u64, 8) as u8).collect();
    if !little {
        v.reverse();
    }
    v
}

/// `PyLong_AsNativeBytes` flags (`Py_ASNATIVEBYTES_*`).
pub mod native_bytes {
    use core::ffi::c_int;
    pub const DEFAULTS: c_int = -1;
    pub const BIG_ENDIAN: c_int = 0;
    pub const LITTLE_ENDIAN: c_int = 1;
    pub const NATIVE_ENDIAN: c_int = 3;
    pub const UNSIGNED_BUFFER: c_int = 4;
    pub const REJECT_NEGATIVE: c_int = 8;
    pub const ALLOW_INDEX: c_int = 16;

    /// Whether the flags ask for little-endian bytes (-1 and the NATIVE bit mean native).
    pub fn little_endian(flags: c_int) -> bool {
        if flags == DEFAULTS || flags & 2 != 0 { cfg!(target_endian = "little") } else { flags & 1 == 1 }
    }

    pub fn has(flags: c_int, f: c_int) -> bool {
        flags != DEFAULTS && flags & f != 0
    }
}

/// `_fits_in_n_bits`: whether `v` survives truncation to `bits` bits of two's complement.
fn fits_in_bits(v: i64, bits: usize) -> bool {
    if bits >= 64 {
        return true;
    }
    let ext = v >> (bits - 1);
    ext == 0 || ext == -1
}

/// `PyLong_AsNativeBytes`: the value in `n` bytes (truncated or sign-extended) and how many
/// bytes it needs — CPython's answers exactly, including 8 (a `Py_ssize_t`) for single-digit
/// values, and `n` for values that fill the buffer's sign bit when the buffer is unsigned.
pub fn as_native_bytes(o: &Obj, n: usize, flags: c_int) -> PyResult<(Vec<u8>, usize)> {
    use native_bytes::*;
    let little = little_endian(flags);
    let owned;
    let v: &Obj = if check(o) {
        o
    } else if has(flags, ALLOW_INDEX) {
        owned = abstract_::index(o)?;
        &owned
    } else {
        return Err(raise!(TypeError, "expect int, got {}", o.ob_type().name()));
    };
    if has(flags, REJECT_NEGATIVE) && is_negative(v) {
        return Err(raise!(ValueError, "Cannot convert negative int"));
    }
    let unsigned_ok = flags == DEFAULTS || flags & UNSIGNED_BUFFER != 0;
    let out = low_bytes(v, n, little);
    let (sign, ds) = sign_and_digits(v);
    if ds.len() <= 1 {
        // A compact value goes through a Py_ssize_t, as in CPython.
        let cv = to_i64(v).expect("one digit");
        let word = core::mem::size_of::<Py_ssize_t>();
        let mut res = word;
        if n > 0 && n <= word {
            if fits_in_bits(cv, n * 8) {
                res = n;
            } else if cv > 0 && fits_in_bits(cv, n * 8 + 1) {
                res = if unsigned_ok { n } else { n + 1 };
            }
        }
        return Ok((out, res));
    }
    let nb = digits::bit_length(ds) as usize;
    // The magnitude's bytes plus a sign bit.
    let mut res = nb / 8 + 1;
    if n > 0 && res == n + 1 && nb.is_multiple_of(8) {
        let (top, rest) = if little { (out[n - 1], &out[..n - 1]) } else { (out[0], &out[1..]) };
        if sign < 0 {
            // -0x80...00 using every bit of the buffer needs no extra sign bit.
            if top == 0x80 && rest.iter().all(|&b| b == 0) {
                res = n;
            }
        } else if top & 0x80 != 0 {
            res = if unsigned_ok { n } else { n + 1 };
        }
    }
    Ok((out, res))
}

/// `PyLong_FromNativeBytes` / `PyLong_FromUnsignedNativeBytes`.
pub fn from_native_bytes(data: &[u8], flags: c_int, force_unsigned: bool) -> PyRef {
    use native_bytes::*;
    let signed = !force_unsigned && (flags == DEFAULTS || flags & UNSIGNED_BUFFER == 0);
    from_byte_array(data, little_endian(flags), signed)
}

/// `_PyLong_FromByteArray`.
pub fn from_byte_array(data: &[u8], little: bool, signed: bool) -> PyRef {
    let mut le: Vec<u8> = data.to_vec();
    if !little {
        le.reverse();
    }
    let negative = signed && le.last().is_some_and(|&b| b & 0x80 != 0);
    let nbits = 8 * le.len() as u64;
    let mut mag = vec![0u32; (nbits / 30 + 1) as usize];
    for (k, &b) in le.iter().enumerate() {
        let pos = 8 * k as u64;
        let (q, r) = ((pos / 30) as usize, pos % 30);
        let v = (b as u64) << r;
        mag[q] |= (v as u32) & digits::MASK;
        if v >> 30 != 0 {
            mag[q + 1] |= (v >> 30) as u32;
        }
    }
    if negative {
        // Sign-extend to the full digit width, then negate back to a magnitude.
        let total = mag.len() as u64 * 30;
        for bit in nbits..total {
            let (q, r) = ((bit / 30) as usize, bit % 30);
            mag[q] |= 1 << r;
        }
        digits::negate_twos(&mut mag);
    }
    Big::new(negative, mag).into_obj()
}

/// The bytes of `from_bytes`'s argument (`PyObject_Bytes`): bytes, `__bytes__`, a buffer, or
/// an iterable of ints.
fn bytes_of(o: &Obj) -> PyResult<Vec<u8>> {
    if bytes::check(o) {
        return Ok(bytes::as_bytes(o).to_vec());
    }
    Ok(bytes::as_bytes(&*bytes::object_bytes(o)?).to_vec())
}

/// `int.from_bytes(bytes, byteorder='big', *, signed=False)` (a classmethod).
unsafe extern "C" fn long_from_bytes(
    cls: *mut PyObject,
    args: *const *mut PyObject,
    nargs: Py_ssize_t,
    kwnames: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: METH_FASTCALL | METH_KEYWORDS | METH_CLASS contract: cls is a type.
    let r = (|| unsafe {
        let cls = arg(cls);
        let [data, order, signed] = FROM_BYTES_SIG.bind_fastcall::<3>(args, nargs, kwnames)?;
        let little = byteorder_arg("from_bytes", order)?;
        let signed = match signed {
            Some(s) => abstract_::is_true(s)?,
            None => false,
        };
        let data = bytes_of(data.expect("required"))?;
        let v = from_byte_array(&data, little, signed);
        if cls.is(&PyLong_Type) {
            return Ok(v);
        }
        abstract_::call_one_arg(cls, &v)
    })();
    ret_obj(r)
}

// ---- int() ----------------------------------------------------------------------------------

static INT_NEW_SIG: Signature = Signature { fname: "int", params: &["", "base"], posonly: 1, minpos: 0, maxpos: 2 };

/// `int(x=0, /, base=10)`: without a base, `int(x)` is `PyNumber_Long`; with one, `x` must
/// be a str, bytes or bytearray.
pub fn int_new(x: Option<&Obj>, base: Option<&Obj>) -> PyResult<PyRef> {
    let Some(x) = x else {
        if base.is_some() {
            return Err(raise!(TypeError, "int() missing string argument"));
        }
        return Ok(small(0));
    };
    let Some(base) = base else { return number::to_int(x) };
    let b = abstract_::index(base)?;
    let b = to_i64(&b).unwrap_or(if is_negative(&b) { i64::MIN } else { i64::MAX });
    let b = check_base(b)?;
    if unicode::check(x) {
        from_unicode(x, b)
    } else if bytes::check(x) {
        from_bytes_literal(bytes::as_bytes(x), b)
    } else if crate::objects::bytearray::check(x) {
        from_bytes_literal(crate::objects::bytearray::as_slice(x), b)
    } else {
        Err(raise!(TypeError, "int() can't convert non-string with explicit base"))
    }
}

unsafe extern "C" fn long_new(ty: *mut PyTypeObject, args: *mut PyObject, kwargs: *mut PyObject) -> *mut PyObject {
    // SAFETY: tp_new contract: a live type, an argument tuple, a dict or NULL.
    let r = (|| unsafe {
        let ty = TypeObj::from_ptr(ty);
        let (args, kwargs) = (arg(args), opt_arg(kwargs));
        if !number::has_kwargs(kwargs) && tuple::len(args) > 2 {
            // int's vectorcall words this error as _PyArg_CheckPositional does.
            return Err(raise!(TypeError, "int expected at most 2 arguments, got {}", tuple::len(args)));
        }
        let [x, base] = INT_NEW_SIG.bind_call::<2>(args, kwargs)?;
        let v = int_new(x, base)?;
        if ty.is(&PyLong_Type) {
            return Ok(v);
        }
        subtype_new(ty, &v)
    })();
    ret_obj(r)
}

/// `long_subtype_new`: an instance of the int subclass `ty` with the value of `v`.
pub fn subtype_new(ty: &TypeObj, v: &Obj) -> PyResult<PyRef> {
    let (sign, ds) = sign_and_digits(v);
    let o = number::subtype_alloc(ty, ds.len().max(1) as Py_ssize_t)?;
    // SAFETY: tp_alloc gave room for max(1, n) digits after the int header of a subclass.
    unsafe {
        (*raw(&o)).lv_tag = make_tag(ds.len(), sign < 0);
        let dst = (&raw mut (*raw(&o)).ob_digit) as *mut digit;
        core::ptr::copy_nonoverlapping(ds.as_ptr(), dst, ds.len());
    }
    Ok(o)
}
