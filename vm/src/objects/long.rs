//! `int`: CPython's layout (`lv_tag` + 30-bit digits), compact values fast-pathed, and the
//! small ints -5..=256 as immortal statics (<= 3.11 extensions may inline-incref them).

use core::ffi::c_int;
use core::mem::offset_of;

use pyrite_abi::*;

use crate::err::PyResult;
use crate::hash;
use crate::object::{Obj, PyRef, StaticObject};
use crate::objects::type_::{TypeObj, BUILTIN_BASETYPE_FLAGS};
use crate::objects::{bool_, float, none, unicode};
use crate::slot::{arg, ret_obj};
use crate::static_type;

static_type!(PyLong_Type, c"int", offset_of!(PyLongObject, ob_digit), {
    tp_itemsize: core::mem::size_of::<digit>() as isize,
    tp_flags: BUILTIN_BASETYPE_FLAGS | Py_TPFLAGS_LONG_SUBCLASS | Py_TPFLAGS_MATCH_SELF,
    tp_dealloc: Some(long_dealloc),
    tp_repr: Some(long_repr),
    tp_hash: Some(long_hash),
    tp_richcompare: Some(long_richcompare),
    tp_as_number: LONG_AS_NUMBER.0.get(),
    tp_doc: c"int([x]) -> integer\nint(x, base=10) -> integer".as_ptr(),
});

const Py_TPFLAGS_MATCH_SELF: core::ffi::c_ulong = _Py_TPFLAGS_MATCH_SELF;

static LONG_AS_NUMBER: StaticObject<PyNumberMethods> = StaticObject::new(PyNumberMethods {
    nb_add: Some(long_add),
    nb_subtract: Some(long_sub),
    nb_multiply: Some(long_mul),
    nb_remainder: Some(long_mod),
    nb_negative: Some(long_neg),
    nb_positive: Some(long_pos),
    nb_absolute: Some(long_abs),
    nb_bool: Some(long_bool),
    nb_invert: Some(long_invert),
    nb_int: Some(long_pos),
    nb_float: Some(long_float),
    nb_floor_divide: Some(long_floordiv),
    nb_true_divide: Some(long_truediv),
    nb_index: Some(long_pos),
    ..PyNumberMethods::EMPTY
});

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
    debug_assert!((SMALL_MIN..=SMALL_MAX).contains(&v));
    // SAFETY: index in range; the statics live forever.
    unsafe {
        let p = (SMALL_INTS.0.get() as *mut PyLongObject).add((v - SMALL_MIN) as usize);
        Obj::from_ptr(p as *mut PyObject).new_ref()
    }
}

#[inline(always)]
fn raw(o: &Obj) -> *mut PyLongObject {
    o.as_ptr() as *mut PyLongObject
}

/// The sign (-1, 0, 1) and the digits, least significant first.
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

/// Allocates an int with `nd` digits (uninitialised), sign given.
fn alloc(nd: usize, negative: bool) -> PyRef {
    let size = offset_of!(PyLongObject, ob_digit) + 4 * nd.max(1);
    // SAFETY: PyLong_Type is a live static type; size covers the header.
    unsafe {
        let op = crate::alloc::alloc_object(PyLong_Type.raw(), (size + 7) & !7, false);
        assert!(!op.is_null(), "out of memory allocating an int");
        let sign = if nd == 0 { _PyLong_SIGN_ZERO } else if negative { _PyLong_SIGN_NEGATIVE } else { _PyLong_SIGN_POSITIVE };
        (*(op as *mut PyLongObject)).lv_tag = (nd << _PyLong_NON_SIZE_BITS) | sign;
        PyRef::from_raw(op)
    }
}

/// An int from a sign and a magnitude given as 30-bit digits (normalised here).
pub fn from_digits(negative: bool, mut digits: &[digit]) -> PyRef {
    while let [rest @ .., 0] = digits {
        digits = rest;
    }
    if digits.len() <= 2 {
        let mag = digits.iter().rev().fold(0i64, |acc, &d| (acc << PyLong_SHIFT) | d as i64);
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
    from_u128_signed(v < 0, v.unsigned_abs() as u128)
}

pub fn from_u64(v: u64) -> PyRef {
    from_u128_signed(false, v as u128)
}

pub fn from_i128(v: i128) -> PyRef {
    from_u128_signed(v < 0, v.unsigned_abs())
}

pub fn from_usize(v: usize) -> PyRef {
    from_u64(v as u64)
}

/// `int(v)` for a finite float (truncates toward zero).
pub fn from_f64(v: f64) -> PyResult<PyRef> {
    if v.is_nan() {
        return Err(raise!(ValueError, "cannot convert float NaN to integer"));
    }
    if v.is_infinite() {
        return Err(raise!(OverflowError, "cannot convert float infinity to integer"));
    }
    let t = v.trunc();
    if t.abs() < 9.2e18 {
        return Ok(from_i64(t as i64));
    }
    let (m, e) = hash::frexp(t.abs());
    // t = m * 2^e, 0.5 <= m < 1; take the 53 significant bits then shift.
    let mant = (m * (1u64 << 53) as f64) as u64;
    let shift = e - 53;
    let mut digits = Vec::new();
    let (q, r) = (shift / PyLong_SHIFT as i32, shift % PyLong_SHIFT as i32);
    digits.resize(q as usize, 0);
    let mut acc = (mant as u128) << r;
    while acc != 0 {
        digits.push((acc as u32) & PyLong_MASK);
        acc >>= PyLong_SHIFT;
    }
    Ok(from_digits(v < 0.0, &digits))
}

/// The value as i128, if it fits.
pub fn to_i128(o: &Obj) -> Option<i128> {
    let (sign, ds) = sign_and_digits(o);
    if ds.len() > 4 {
        return None;
    }
    let mag = ds.iter().rev().fold(0u128, |acc, &d| (acc << PyLong_SHIFT) | d as u128);
    if mag > i128::MAX as u128 {
        return None;
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
        _ => to_i128(o).and_then(|v| i64::try_from(v).ok()),
    }
}

pub fn to_u64(o: &Obj) -> Option<u64> {
    let (sign, ds) = sign_and_digits(o);
    if sign < 0 || ds.len() > 3 {
        return None;
    }
    u64::try_from(to_i128(o)?).ok()
}

pub fn is_negative(o: &Obj) -> bool {
    sign_and_digits(o).0 < 0
}

/// Nearest float (correct for values of 53 bits or fewer; larger values are summed digit by
/// digit, which may differ from CPython's correctly-rounded result in the last bit).
pub fn to_f64(o: &Obj) -> PyResult<f64> {
    if let Some(v) = to_i64(o) {
        return Ok(v as f64);
    }
    let (sign, ds) = sign_and_digits(o);
    let mut f = 0.0f64;
    for &d in ds.iter().rev() {
        f = f * PyLong_BASE as f64 + d as f64;
    }
    if f.is_infinite() {
        return Err(raise!(OverflowError, "int too large to convert to float"));
    }
    Ok(sign as f64 * f)
}

/// Decimal representation.
pub fn to_decimal_string(o: &Obj) -> String {
    if let Some(v) = to_i128(o) {
        return v.to_string();
    }
    let (sign, ds) = sign_and_digits(o);
    let mut mag: Vec<u32> = ds.to_vec();
    let mut chunks = Vec::new();
    const BIG: u64 = 1_000_000_000;
    while !mag.is_empty() {
        let mut rem: u64 = 0;
        for d in mag.iter_mut().rev() {
            let cur = (rem << PyLong_SHIFT) | *d as u64;
            *d = (cur / BIG) as u32;
            rem = cur % BIG;
        }
        chunks.push(rem as u32);
        while mag.last() == Some(&0) {
            mag.pop();
        }
    }
    let mut s = String::new();
    if sign < 0 {
        s.push('-');
    }
    s.push_str(&chunks.last().unwrap().to_string());
    for c in chunks.iter().rev().skip(1) {
        s.push_str(&format!("{c:09}"));
    }
    s
}

/// Parses an int literal the way `int(s, base)` does (underscores, sign, prefixes for base 0).
pub fn from_str_radix(s: &str, base: u32) -> PyResult<PyRef> {
    let invalid = || raise!(ValueError, "invalid literal for int() with base {}: {}", base, unicode::repr_str(s));
    if base != 0 && !(2..=36).contains(&base) {
        return Err(raise!(ValueError, "int() base must be >= 2 and <= 36, or 0"));
    }
    let t = s.trim_matches(|c: char| c.is_whitespace());
    let (neg, mut body) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    let mut b = base;
    let lower = body.get(..2).map(str::to_ascii_lowercase);
    let prefixed = match lower.as_deref() {
        Some("0x") if base == 0 || base == 16 => Some(16),
        Some("0o") if base == 0 || base == 8 => Some(8),
        Some("0b") if base == 0 || base == 2 => Some(2),
        _ => None,
    };
    if let Some(p) = prefixed {
        b = p;
        body = &body[2..];
        body = body.strip_prefix('_').unwrap_or(body);
    } else if base == 0 {
        b = 10;
        if body.len() > 1 && body.starts_with('0') && body.trim_start_matches(['0', '_']).len() > 0 {
            return Err(invalid());
        }
    }
    if body.is_empty() || body.starts_with('_') || body.ends_with('_') || body.contains("__") {
        return Err(invalid());
    }
    let mut mag: Vec<u32> = Vec::new();
    for c in body.chars() {
        if c == '_' {
            continue;
        }
        let d = c.to_digit(36).filter(|&d| d < b).ok_or_else(invalid)?;
        // mag = mag * b + d
        let mut carry = d as u64;
        for x in mag.iter_mut() {
            let cur = *x as u64 * b as u64 + carry;
            *x = (cur as u32) & PyLong_MASK;
            carry = cur >> PyLong_SHIFT;
        }
        while carry != 0 {
            mag.push((carry as u32) & PyLong_MASK);
            carry >>= PyLong_SHIFT;
        }
    }
    Ok(from_digits(neg, &mag))
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

/// Three-way comparison of two ints.
pub fn compare(a: &Obj, b: &Obj) -> core::cmp::Ordering {
    use core::cmp::Ordering::*;
    let (sa, da) = sign_and_digits(a);
    let (sb, db) = sign_and_digits(b);
    if sa != sb {
        return sa.cmp(&sb);
    }
    let mag = da.len().cmp(&db.len()).then_with(|| da.iter().rev().cmp(db.iter().rev()));
    if sa < 0 { mag.reverse() } else if sa == 0 { Equal } else { mag }
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
        match (*ty).tp_free {
            Some(f) => f(o as *mut _),
            None => crate::alloc::free_object(o),
        }
    }
}

unsafe extern "C" fn long_repr(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: live int.
    unicode::new(&to_decimal_string(unsafe { arg(o) })).into_raw()
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
    bool_::new(crate::abstract_::ordering_matches(compare(a, b), op)).into_raw()
}

/// Both operands as i64, or NotImplemented if either is not an int, or None if too big.
fn operands(a: &Obj, b: &Obj) -> Result<Option<(i64, i64)>, ()> {
    if !check(a) || !check(b) {
        return Err(());
    }
    Ok(to_i64(a).zip(to_i64(b)))
}

fn big_unsupported(op: &str) -> PyResult<PyRef> {
    Err(raise!(SystemError, "int {op} on values beyond 64 bits is not implemented in Pyrite yet"))
}

macro_rules! int_binop {
    ($name:ident, $op:literal, |$x:ident, $y:ident| $body:expr) => {
        unsafe extern "C" fn $name(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
            // SAFETY: live arguments.
            let (a, b) = unsafe { (arg(a), arg(b)) };
            let r: PyResult<PyRef> = match operands(a, b) {
                Err(()) => Ok(none::not_implemented()),
                Ok(Some(($x, $y))) => $body,
                Ok(None) => big_unsupported($op),
            };
            ret_obj(r)
        }
    };
}

int_binop!(long_add, "+", |x, y| Ok(from_i128(x as i128 + y as i128)));
int_binop!(long_sub, "-", |x, y| Ok(from_i128(x as i128 - y as i128)));
int_binop!(long_mul, "*", |x, y| Ok(from_i128(x as i128 * y as i128)));
int_binop!(long_floordiv, "//", |x, y| {
    if y == 0 {
        Err(raise!(ZeroDivisionError, "integer division or modulo by zero"))
    } else {
        Ok(from_i128((x as i128).div_euclid(y as i128) - if y < 0 && (x as i128).rem_euclid(y as i128) != 0 { 1 } else { 0 }))
    }
});
int_binop!(long_mod, "%", |x, y| {
    if y == 0 {
        Err(raise!(ZeroDivisionError, "integer modulo by zero"))
    } else {
        let r = (x as i128) % (y as i128);
        Ok(from_i128(if r != 0 && ((r < 0) != (y < 0)) { r + y as i128 } else { r }))
    }
});
int_binop!(long_truediv, "/", |x, y| {
    if y == 0 { Err(raise!(ZeroDivisionError, "division by zero")) } else { Ok(float::new(x as f64 / y as f64)) }
});

unsafe extern "C" fn long_neg(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: live int.
    let o = unsafe { arg(o) };
    let (sign, ds) = sign_and_digits(o);
    from_digits(sign > 0, ds).into_raw()
}

unsafe extern "C" fn long_pos(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: live int.
    let o = unsafe { arg(o) };
    if o.is_exact(&PyLong_Type) {
        return o.new_ref().into_raw();
    }
    let (sign, ds) = sign_and_digits(o);
    from_digits(sign < 0, ds).into_raw()
}

unsafe extern "C" fn long_abs(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: live int.
    let (_, ds) = sign_and_digits(unsafe { arg(o) });
    from_digits(false, ds).into_raw()
}

unsafe extern "C" fn long_invert(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: live int.
    ret_obj(match to_i64(unsafe { arg(o) }) {
        Some(v) => Ok(from_i128(-(v as i128) - 1)),
        None => big_unsupported("~"),
    })
}

unsafe extern "C" fn long_bool(o: *mut PyObject) -> c_int {
    // SAFETY: live int.
    (sign_and_digits(unsafe { arg(o) }).0 != 0) as c_int
}

unsafe extern "C" fn long_float(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: live int.
    ret_obj(to_f64(unsafe { arg(o) }).map(float::new))
}

/// The immortal small int `v` (-5..=256), borrowed.
pub fn small_int_obj(v: i64) -> &'static Obj {
    assert!((SMALL_MIN..=SMALL_MAX).contains(&v));
    // SAFETY: index in range; the statics live forever.
    unsafe { Obj::from_ptr((SMALL_INTS.0.get() as *mut PyLongObject).add((v - SMALL_MIN) as usize) as *mut PyObject) }
}
