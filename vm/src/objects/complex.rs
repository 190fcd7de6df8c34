//! `complex`: `PyComplexObject` (the object header, then `Py_complex {double real, imag}`),
//! arithmetic as CPython 3.14+ does it — mixed-mode operations with a real operand do not
//! invent a zero imaginary part, division uses Smith's algorithm with C11 Annex G's recovery
//! of infinities and zeros, small integral powers use repeated multiplication — repr in
//! CPython's shortest round-trip form (`(1+2j)`, `2j`, `(-0-0j)`), the numeric hash, and
//! `complex()` from numbers and strings.

use core::cell::UnsafeCell;
use core::ffi::{c_int, c_void};
use core::mem::offset_of;

use pyrite_abi::*;

use crate::abstract_;
use crate::err::PyResult;
use crate::hash;
use crate::number::{self, method_def, Signature, METHOD_END};
use crate::object::{Obj, PyRef, StaticObject};
use crate::objects::type_::{StaticTable, TypeObj, BUILTIN_BASETYPE_FLAGS};
use crate::objects::{bool_, bytes, float, long, none, tuple, unicode};
use crate::slot::{arg, opt_arg, ret_obj};
use crate::static_type;

/// `Py_complex`.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Py_complex {
    pub real: f64,
    pub imag: f64,
}

/// `PyComplexObject`.
#[repr(C)]
pub struct PyComplexObject {
    pub ob_base: PyObject,
    pub cval: Py_complex,
}

static_type!(PyComplex_Type, c"complex", core::mem::size_of::<PyComplexObject>(), {
    tp_flags: BUILTIN_BASETYPE_FLAGS,
    tp_dealloc: Some(complex_dealloc),
    tp_repr: Some(complex_repr),
    tp_hash: Some(complex_hash),
    tp_richcompare: Some(complex_richcompare),
    tp_as_number: COMPLEX_AS_NUMBER.0.get(),
    tp_methods: COMPLEX_METHODS.0.get() as *mut PyMethodDef,
    tp_members: COMPLEX_MEMBERS.0.get() as *mut PyMemberDef,
    tp_new: Some(complex_new),
    tp_doc: c"Create a complex number from a string or numbers.".as_ptr(),
});

static COMPLEX_AS_NUMBER: StaticObject<PyNumberMethods> = StaticObject::new(PyNumberMethods {
    nb_add: Some(complex_add),
    nb_subtract: Some(complex_sub),
    nb_multiply: Some(complex_mul),
    nb_power: Some(complex_pow),
    nb_negative: Some(complex_neg),
    nb_positive: Some(complex_pos),
    nb_absolute: Some(complex_abs),
    nb_bool: Some(complex_bool),
    nb_true_divide: Some(complex_div),
    ..PyNumberMethods::EMPTY
});

static COMPLEX_METHODS: StaticTable<PyMethodDef, 6> = StaticTable(UnsafeCell::new([
    method_def(c"conjugate", complex_conjugate as *mut c_void, METH_NOARGS),
    method_def(c"__complex__", complex_complex as *mut c_void, METH_NOARGS),
    method_def(c"__getnewargs__", complex_getnewargs as *mut c_void, METH_NOARGS),
    method_def(c"from_number", complex_from_number as *mut c_void, METH_O | METH_CLASS),
    method_def(c"__format__", crate::format::builtin_format_method as *mut c_void, METH_O),
    METHOD_END,
]));

const fn member(name: &'static core::ffi::CStr, offset: usize) -> PyMemberDef {
    PyMemberDef {
        name: name.as_ptr(),
        type_code: Py_T_DOUBLE,
        offset: offset as Py_ssize_t,
        flags: Py_READONLY,
        doc: core::ptr::null(),
    }
}

static COMPLEX_MEMBERS: StaticTable<PyMemberDef, 3> = StaticTable(UnsafeCell::new([
    member(c"real", offset_of!(PyComplexObject, cval) + offset_of!(Py_complex, real)),
    member(c"imag", offset_of!(PyComplexObject, cval) + offset_of!(Py_complex, imag)),
    PyMemberDef { name: core::ptr::null(), type_code: 0, offset: 0, flags: 0, doc: core::ptr::null() },
]));

pub fn types() -> [&'static TypeObj; 1] {
    [&PyComplex_Type]
}

/// `PyComplex_FromCComplex`.
pub fn new(c: Py_complex) -> PyRef {
    // SAFETY: PyComplex_Type is a live static type.
    unsafe {
        let op = crate::alloc::alloc_object(PyComplex_Type.raw(), core::mem::size_of::<PyComplexObject>(), false);
        assert!(!op.is_null(), "out of memory allocating a complex");
        (*(op as *mut PyComplexObject)).cval = c;
        PyRef::from_raw(op)
    }
}

pub fn from_doubles(real: f64, imag: f64) -> PyRef {
    new(Py_complex { real, imag })
}

#[inline(always)]
pub fn check(o: &Obj) -> bool {
    o.is_instance_of(&PyComplex_Type)
}

/// The value of a complex object (caller checked the type).
#[inline(always)]
pub fn value(o: &Obj) -> Py_complex {
    // SAFETY: o is a complex.
    unsafe { (*(o.as_ptr() as *mut PyComplexObject)).cval }
}

// ---- arithmetic on Py_complex ---------------------------------------------------------------

/// A failed operation, as CPython's `errno` reports it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Errno {
    Ok,
    /// EDOM: division by zero, zero to a negative or complex power.
    Domain,
    /// ERANGE: the result overflowed.
    Range,
}

const C_1: Py_complex = Py_complex { real: 1.0, imag: 0.0 };

fn c(real: f64, imag: f64) -> Py_complex {
    Py_complex { real, imag }
}

pub fn c_sum(a: Py_complex, b: Py_complex) -> Py_complex {
    c(a.real + b.real, a.imag + b.imag)
}
pub fn cr_sum(a: Py_complex, b: f64) -> Py_complex {
    c(a.real + b, a.imag)
}
pub fn c_diff(a: Py_complex, b: Py_complex) -> Py_complex {
    c(a.real - b.real, a.imag - b.imag)
}
pub fn cr_diff(a: Py_complex, b: f64) -> Py_complex {
    c(a.real - b, a.imag)
}
pub fn rc_diff(a: f64, b: Py_complex) -> Py_complex {
    c(a - b.real, -b.imag)
}
/// `a * b`, recovering infinities that came out as `nan+nanj` as C11 Annex G.5.1's
/// `_Cmultd` does.
pub fn c_prod(a: Py_complex, b: Py_complex) -> Py_complex {
    let (mut ar, mut ai, mut br, mut bi) = (a.real, a.imag, b.real, b.imag);
    let (ac, bd, ad, bc) = (ar * br, ai * bi, ar * bi, ai * br);
    let r = c(ac - bd, ad + bc);
    if !(r.real.is_nan() && r.imag.is_nan()) {
        return r;
    }
    // "Box" an infinite factor to its direction and turn NaNs of the other into zeros.
    let boxed = |v: f64| (if v.is_infinite() { 1.0f64 } else { 0.0 }).copysign(v);
    let zeroed = |v: f64| if v.is_nan() { 0.0f64.copysign(v) } else { v };
    let mut recalc = false;
    if ar.is_infinite() || ai.is_infinite() {
        (ar, ai) = (boxed(ar), boxed(ai));
        (br, bi) = (zeroed(br), zeroed(bi));
        recalc = true;
    }
    if br.is_infinite() || bi.is_infinite() {
        (br, bi) = (boxed(br), boxed(bi));
        (ar, ai) = (zeroed(ar), zeroed(ai));
        recalc = true;
    }
    if !recalc && (ac.is_infinite() || bd.is_infinite() || ad.is_infinite() || bc.is_infinite()) {
        // Overflow in the partial products: NaNs to zeros keeps the infinities.
        (ar, ai, br, bi) = (zeroed(ar), zeroed(ai), zeroed(br), zeroed(bi));
        recalc = true;
    }
    if !recalc {
        return r;
    }
    c(f64::INFINITY * (ar * br - ai * bi), f64::INFINITY * (ar * bi + ai * br))
}
pub fn cr_prod(a: Py_complex, b: f64) -> Py_complex {
    c(a.real * b, a.imag * b)
}

/// `a / b` (Smith's algorithm), recovering infinities and zeros that came out as `nan+nanj`
/// as C11 Annex G.5.2's `_Cdivd` does.
pub fn c_quot(a: Py_complex, b: Py_complex) -> (Py_complex, Errno) {
    let (abs_breal, abs_bimag) = (b.real.abs(), b.imag.abs());
    let mut r = if abs_breal >= abs_bimag {
        if abs_breal == 0.0 {
            return (c(0.0, 0.0), Errno::Domain);
        }
        let ratio = b.imag / b.real;
        let denom = b.real + b.imag * ratio;
        c((a.real + a.imag * ratio) / denom, (a.imag - a.real * ratio) / denom)
    } else if abs_bimag >= abs_breal {
        let ratio = b.real / b.imag;
        let denom = b.real * ratio + b.imag;
        c((a.real * ratio + a.imag) / denom, (a.imag * ratio - a.real) / denom)
    } else {
        // At least one of b.real, b.imag is a NaN.
        c(f64::NAN, f64::NAN)
    };
    if r.real.is_nan() && r.imag.is_nan() {
        let unit = |v: f64| (if v.is_infinite() { 1.0f64 } else { 0.0 }).copysign(v);
        if (a.real.is_infinite() || a.imag.is_infinite()) && b.real.is_finite() && b.imag.is_finite() {
            let (x, y) = (unit(a.real), unit(a.imag));
            r = c(f64::INFINITY * (x * b.real + y * b.imag), f64::INFINITY * (y * b.real - x * b.imag));
        } else if (abs_breal.is_infinite() || abs_bimag.is_infinite()) && a.real.is_finite() && a.imag.is_finite() {
            let (x, y) = (unit(b.real), unit(b.imag));
            r = c(0.0 * (a.real * x + a.imag * y), 0.0 * (a.imag * x - a.real * y));
        }
    }
    (r, Errno::Ok)
}

pub fn cr_quot(a: Py_complex, b: f64) -> (Py_complex, Errno) {
    if b == 0.0 {
        return (c(0.0, 0.0), Errno::Domain);
    }
    (c(a.real / b, a.imag / b), Errno::Ok)
}

/// A real divided by a complex: `c_quot` without the numerator's imaginary part.
pub fn rc_quot(a: f64, b: Py_complex) -> (Py_complex, Errno) {
    let (abs_breal, abs_bimag) = (b.real.abs(), b.imag.abs());
    let mut r = if abs_breal >= abs_bimag {
        if abs_breal == 0.0 {
            return (c(0.0, 0.0), Errno::Domain);
        }
        let ratio = b.imag / b.real;
        let denom = b.real + b.imag * ratio;
        c(a / denom, (-a * ratio) / denom)
    } else if abs_bimag >= abs_breal {
        let ratio = b.real / b.imag;
        let denom = b.real * ratio + b.imag;
        c((a * ratio) / denom, (-a) / denom)
    } else {
        c(f64::NAN, f64::NAN)
    };
    if r.real.is_nan() && r.imag.is_nan() && a.is_finite() && (abs_breal.is_infinite() || abs_bimag.is_infinite()) {
        let unit = |v: f64| (if v.is_infinite() { 1.0f64 } else { 0.0 }).copysign(v);
        let (x, y) = (unit(b.real), unit(b.imag));
        r = c(0.0 * (a * x), 0.0 * (-a * y));
    }
    (r, Errno::Ok)
}

/// The C library's math functions and `errno`, called exactly as CPython calls them: whether
/// `**` on complex numbers raises depends on the `errno` they leave (`cos(inf)` sets EDOM,
/// an overflowing `pow` sets ERANGE).
mod libm {
    use core::ffi::c_int;

    pub const EDOM: c_int = 33;
    pub const ERANGE: c_int = 34;

    unsafe extern "C" {
        pub safe fn pow(x: f64, y: f64) -> f64;
        pub safe fn hypot(x: f64, y: f64) -> f64;
        pub safe fn atan2(y: f64, x: f64) -> f64;
        pub safe fn exp(x: f64) -> f64;
        pub safe fn log(x: f64) -> f64;
        pub safe fn cos(x: f64) -> f64;
        pub safe fn sin(x: f64) -> f64;
        fn __errno_location() -> *mut c_int;
    }

    pub fn errno() -> c_int {
        // SAFETY: glibc's thread-local errno.
        unsafe { *__errno_location() }
    }

    pub fn set_errno(v: c_int) {
        // SAFETY: as above.
        unsafe { *__errno_location() = v }
    }
}

/// `_Py_c_pow`: polar form, through libm so that `errno` ends as CPython's does.
pub fn c_pow(a: Py_complex, b: Py_complex) -> (Py_complex, Errno) {
    if b.real == 0.0 && b.imag == 0.0 {
        return (C_1, Errno::Ok);
    }
    if a.real == 0.0 && a.imag == 0.0 {
        let e = if b.imag != 0.0 || b.real < 0.0 { Errno::Domain } else { Errno::Ok };
        return (c(0.0, 0.0), e);
    }
    libm::set_errno(0);
    let vabs = libm::hypot(a.real, a.imag);
    let mut len = libm::pow(vabs, b.real);
    let at = libm::atan2(a.imag, a.real);
    let mut phase = at * b.real;
    if b.imag != 0.0 {
        // 3.14+ multiplies by exp(-at*b.imag) (older versions divided by exp(at*b.imag)).
        len *= libm::exp(-at * b.imag);
        phase += b.imag * libm::log(vabs);
    }
    let r = c(len * libm::cos(phase), len * libm::sin(phase));
    let e = match libm::errno() {
        0 => Errno::Ok,
        libm::EDOM => Errno::Domain,
        libm::ERANGE => Errno::Range,
        _ => Errno::Ok,
    };
    (r, e)
}

fn c_powu(x: Py_complex, n: u64) -> Py_complex {
    let (mut r, mut p) = (C_1, x);
    let mut mask: u64 = 1;
    while mask != 0 && n >= mask {
        if n & mask != 0 {
            r = c_prod(r, p);
        }
        mask <<= 1;
        p = c_prod(p, p);
    }
    r
}

fn c_powi(x: Py_complex, n: i64) -> (Py_complex, Errno) {
    if n > 0 { (c_powu(x, n as u64), Errno::Ok) } else { c_quot(C_1, c_powu(x, n.unsigned_abs())) }
}

/// `a ** b` for complex values (`complex_pow`), with CPython's errors.
pub fn pow_values(a: Py_complex, b: Py_complex) -> PyResult<PyRef> {
    let (p, mut errno) = if b.imag == 0.0 && b.real == b.real.floor() && b.real.abs() <= 100.0 {
        // Small integral exponents: repeated multiplication is faster and more accurate.
        c_powi(a, b.real as i64)
    } else {
        c_pow(a, b)
    };
    // _Py_ADJUST_ERANGE2: an infinite part means overflow; an ERANGE from underflow is not.
    if p.real.is_infinite() || p.imag.is_infinite() {
        if errno == Errno::Ok {
            errno = Errno::Range;
        }
    } else if errno == Errno::Range {
        errno = Errno::Ok;
    }
    match errno {
        Errno::Domain => Err(raise!(ZeroDivisionError, "zero to a negative or complex power")),
        Errno::Range => Err(raise!(OverflowError, "complex exponentiation")),
        Errno::Ok => Ok(new(p)),
    }
}

/// `abs(z)` (`_Py_c_abs`): C99's rules for infinities and NaNs, `Errno::Range` on overflow.
pub fn c_abs(z: Py_complex) -> (f64, Errno) {
    if !z.real.is_finite() || !z.imag.is_finite() {
        if z.real.is_infinite() {
            return (z.real.abs(), Errno::Ok);
        }
        if z.imag.is_infinite() {
            return (z.imag.abs(), Errno::Ok);
        }
        return (f64::NAN, Errno::Ok);
    }
    let r = z.real.hypot(z.imag);
    (r, if r.is_finite() { Errno::Ok } else { Errno::Range })
}

// ---- formatting and parsing -----------------------------------------------------------------

/// `repr(complex)`: `2j` when the real part is +0, else `(re±imj)`.
pub fn repr_complex(z: Py_complex) -> String {
    if z.real == 0.0 && z.real.is_sign_positive() {
        format!("{}j", float::format_r(z.imag, false, false))
    } else {
        format!("({}{}j)", float::format_r(z.real, false, false), float::format_r(z.imag, false, true))
    }
}

fn is_ascii_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r')
}

/// `complex_from_string_inner` on ASCII text (underscores already removed): `<float>`,
/// `<float>j`, `<float><signed-float>j`, and the legacy `<float><sign>j`, `<sign>j`, `j`,
/// optionally in parentheses, with surrounding whitespace.
pub fn parse_ascii(s: &[u8]) -> Option<Py_complex> {
    let at = |i: usize| s.get(i).copied().unwrap_or(0);
    let mut i = 0;
    while is_ascii_space(at(i)) {
        i += 1;
    }
    let got_bracket = at(i) == b'(';
    if got_bracket {
        i += 1;
        while is_ascii_space(at(i)) {
            i += 1;
        }
    }
    let (mut x, mut y) = (0.0, 0.0);
    let is_j = |c: u8| c == b'j' || c == b'J';
    match float::parse_prefix(&s[i..]) {
        Some((z, n)) => {
            i += n;
            if at(i) == b'+' || at(i) == b'-' {
                x = z;
                match float::parse_prefix(&s[i..]) {
                    Some((w, m)) => {
                        y = w;
                        i += m;
                    }
                    None => {
                        y = if at(i) == b'+' { 1.0 } else { -1.0 };
                        i += 1;
                    }
                }
                if !is_j(at(i)) {
                    return None;
                }
                i += 1;
            } else if is_j(at(i)) {
                i += 1;
                y = z;
            } else {
                x = z;
            }
        }
        None => {
            if at(i) == b'+' || at(i) == b'-' {
                y = if at(i) == b'+' { 1.0 } else { -1.0 };
                i += 1;
            } else {
                y = 1.0;
            }
            if !is_j(at(i)) {
                return None;
            }
            i += 1;
        }
    }
    while is_ascii_space(at(i)) {
        i += 1;
    }
    if got_bracket {
        if at(i) != b')' {
            return None;
        }
        i += 1;
        while is_ascii_space(at(i)) {
            i += 1;
        }
    }
    (i == s.len()).then_some(c(x, y))
}

/// `complex(s)` for a str object.
pub fn from_unicode(s: &Obj) -> PyResult<Py_complex> {
    let ascii = long::transform_decimal_and_space(unicode::chars(s));
    let Some(clean) = float::strip_underscores(&ascii) else {
        return Err(raise!(ValueError, "could not convert string to complex: {}", unicode::repr_of(s)));
    };
    parse_ascii(&clean).ok_or_else(|| raise!(ValueError, "complex() arg is a malformed string"))
}

/// A real number's value for `complex()`: `__float__`, then `__index__`.
fn real_value(o: &Obj) -> Option<PyResult<f64>> {
    // SAFETY: tp_as_number is NULL or a static table of the type.
    let nb = unsafe { o.ob_type().slots().tp_as_number.as_ref() }?;
    if nb.nb_float.is_some() || nb.nb_index.is_some() {
        Some(number::to_f64(o))
    } else {
        None
    }
}

/// `__complex__` of a non-complex object, if its type has one.
fn try_complex_method(o: &Obj) -> PyResult<Option<Py_complex>> {
    if o.ob_type().lookup_str("__complex__").is_none() {
        return Ok(None);
    }
    let r = abstract_::call_method(o, "__complex__", &[])?;
    if !check(&r) {
        return Err(raise!(TypeError, "__complex__ returned non-complex (type {})", r.ob_type().name()));
    }
    if !r.is_exact(&PyComplex_Type) {
        crate::number::warn_strict_subclass(&format!("__complex__ returned non-complex (type {})", r.ob_type().name()), "complex")?;
    }
    Ok(Some(value(&r)))
}

/// `PyComplex_AsCComplex`: a complex's value, `__complex__`, or a real number with a zero
/// imaginary part.
pub fn as_c_complex(o: &Obj) -> PyResult<Py_complex> {
    if check(o) {
        return Ok(value(o));
    }
    if let Some(z) = try_complex_method(o)? {
        return Ok(z);
    }
    match real_value(o) {
        Some(v) => Ok(c(v?, 0.0)),
        None => Err(raise!(TypeError, "must be real number, not {}", o.ob_type().name())),
    }
}

/// `complex(x)` with one positional argument: a string, a complex, `__complex__`, or a real.
fn from_one(x: &Obj) -> PyResult<Py_complex> {
    if unicode::check(x) {
        return from_unicode(x);
    }
    if x.is_exact(&PyComplex_Type) {
        return Ok(value(x));
    }
    if let Some(z) = try_complex_method(x)? {
        return Ok(z);
    }
    if check(x) {
        return Ok(value(x));
    }
    match real_value(x) {
        Some(v) => Ok(c(v?, 0.0)),
        None => Err(raise!(TypeError, "complex() argument must be a string or a number, not {}", x.ob_type().name())),
    }
}

/// One part of `complex(real, imag)`: a real number (a complex is still accepted; CPython
/// warns that this is deprecated). Returns the value and whether it was complex.
fn part(o: &Obj, which: &str) -> PyResult<(Py_complex, bool)> {
    if check(o) {
        return Ok((value(o), true));
    }
    match real_value(o) {
        Some(v) => Ok((c(v?, 0.0), false)),
        None => Err(raise!(TypeError, "complex() argument '{}' must be a real number, not {}", which, o.ob_type().name())),
    }
}

static COMPLEX_NEW_SIG: Signature =
    Signature { fname: "complex", params: &["real", "imag"], posonly: 0, minpos: 0, maxpos: 2 };

/// `complex(real=0, imag=0)`.
pub fn complex_value(args: &Obj, kwargs: Option<&Obj>) -> PyResult<Py_complex> {
    if !number::has_kwargs(kwargs) && tuple::len(args) == 1 {
        return from_one(tuple::get(args, 0));
    }
    let [r, i] = COMPLEX_NEW_SIG.bind_call::<2>(args, kwargs)?;
    let (cr, cr_is_complex) = match r {
        Some(r) => part(r, "real")?,
        None => (c(0.0, 0.0), false),
    };
    let (ci, ci_is_complex) = match i {
        Some(i) => part(i, "imag")?,
        None => (c(0.0, 0.0), false),
    };
    let (mut re, mut im) = (cr.real, ci.real);
    if ci_is_complex {
        re -= ci.imag;
    }
    if cr_is_complex {
        im = if i.is_some() { im + cr.imag } else { cr.imag };
    }
    Ok(c(re, im))
}

unsafe extern "C" fn complex_new(ty: *mut PyTypeObject, args: *mut PyObject, kwargs: *mut PyObject) -> *mut PyObject {
    // SAFETY: tp_new contract.
    let r = (|| unsafe {
        let ty = TypeObj::from_ptr(ty);
        let (args, kwargs) = (arg(args), opt_arg(kwargs));
        if ty.is(&PyComplex_Type) && !number::has_kwargs(kwargs) && tuple::len(args) == 1 {
            let x = tuple::get(args, 0);
            if x.is_exact(&PyComplex_Type) {
                return Ok(x.new_ref());
            }
        }
        let z = complex_value(args, kwargs)?;
        subtype_new(ty, z)
    })();
    ret_obj(r)
}

/// An instance of `ty` (complex or a subclass) with value `z`.
pub fn subtype_new(ty: &TypeObj, z: Py_complex) -> PyResult<PyRef> {
    if ty.is(&PyComplex_Type) {
        return Ok(new(z));
    }
    let o = number::subtype_alloc(ty, 0)?;
    // SAFETY: a subclass instance starts with PyComplexObject's layout.
    unsafe { (*(o.as_ptr() as *mut PyComplexObject)).cval = z };
    Ok(o)
}

// ---- slots ----------------------------------------------------------------------------------

unsafe extern "C" fn complex_dealloc(o: *mut PyObject) {
    // SAFETY: a dead complex.
    unsafe {
        let ty = (*o).ob_type;
        match (*ty).tp_free {
            Some(f) => f(o as *mut _),
            None => crate::alloc::free_object(o),
        }
    }
}

unsafe extern "C" fn complex_repr(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: live complex.
    unicode::new(&repr_complex(value(unsafe { arg(o) }))).into_raw()
}

/// `_PyHASH_IMAG`: the multiplier of the imaginary part's hash.
const HASH_IMAG: u64 = 1000003;

unsafe extern "C" fn complex_hash(o: *mut PyObject) -> Py_hash_t {
    // SAFETY: live complex.
    let z = value(unsafe { arg(o) });
    // NaN parts hash by identity, as _Py_HashDouble(obj, NaN) does.
    // SAFETY: hashing the address.
    let part = |v: f64| if v.is_nan() { unsafe { crate::objects::type_::object_hash(o) } } else { hash::hash_f64(v) };
    let combined = (part(z.real) as u64).wrapping_add(HASH_IMAG.wrapping_mul(part(z.imag) as u64));
    hash::fix(combined as Py_hash_t)
}

unsafe extern "C" fn complex_richcompare(v: *mut PyObject, w: *mut PyObject, op: c_int) -> *mut PyObject {
    // SAFETY: live arguments.
    let (v, w) = unsafe { (arg(v), arg(w)) };
    let r = (|| -> PyResult<PyRef> {
        if (op != Py_EQ && op != Py_NE) || !check(v) {
            return Ok(none::not_implemented());
        }
        let i = value(v);
        let equal = if long::check(w) {
            if i.imag == 0.0 {
                return abstract_::rich_compare(&float::new(i.real), w, op);
            }
            false
        } else if float::check(w) {
            i.real == float::value(w) && i.imag == 0.0
        } else if check(w) {
            i == value(w)
        } else {
            return Ok(none::not_implemented());
        };
        Ok(bool_::new(equal == (op == Py_EQ)))
    })();
    ret_obj(r)
}

/// An operand of complex arithmetic: a complex, or a real (int or float) kept real.
enum Operand {
    Complex(Py_complex),
    Real(f64),
}

fn operand(o: &Obj) -> PyResult<Option<Operand>> {
    if check(o) {
        return Ok(Some(Operand::Complex(value(o))));
    }
    Ok(float::operand(o)?.map(Operand::Real))
}

/// `TO_COMPLEX`: an int, float or complex as a `Py_complex`.
fn to_complex(o: &Obj) -> PyResult<Option<Py_complex>> {
    Ok(operand(o)?.map(|x| match x {
        Operand::Complex(z) => z,
        Operand::Real(r) => c(r, 0.0),
    }))
}

type Kernels = (
    fn(Py_complex, Py_complex) -> (Py_complex, Errno),
    fn(Py_complex, f64) -> (Py_complex, Errno),
    fn(f64, Py_complex) -> (Py_complex, Errno),
);

/// `COMPLEX_BINOP`: picks the complex-complex, complex-real or real-complex kernel.
fn binop(v: *mut PyObject, w: *mut PyObject, k: Kernels) -> *mut PyObject {
    // SAFETY: slot arguments are live.
    let (v, w) = unsafe { (arg(v), arg(w)) };
    let r = (|| -> PyResult<PyRef> {
        let Some(a) = operand(v)? else { return Ok(none::not_implemented()) };
        let Some(b) = operand(w)? else { return Ok(none::not_implemented()) };
        let (z, errno) = match (a, b) {
            (Operand::Complex(a), Operand::Complex(b)) => (k.0)(a, b),
            (Operand::Complex(a), Operand::Real(b)) => (k.1)(a, b),
            (Operand::Real(a), Operand::Complex(b)) => (k.2)(a, b),
            (Operand::Real(a), Operand::Real(b)) => (k.0)(c(a, 0.0), c(b, 0.0)),
        };
        if errno == Errno::Domain {
            return Err(raise!(ZeroDivisionError, "division by zero"));
        }
        Ok(new(z))
    })();
    ret_obj(r)
}

unsafe extern "C" fn complex_add(v: *mut PyObject, w: *mut PyObject) -> *mut PyObject {
    binop(v, w, (|a, b| (c_sum(a, b), Errno::Ok), |a, b| (cr_sum(a, b), Errno::Ok), |a, b| (cr_sum(b, a), Errno::Ok)))
}

unsafe extern "C" fn complex_sub(v: *mut PyObject, w: *mut PyObject) -> *mut PyObject {
    binop(v, w, (|a, b| (c_diff(a, b), Errno::Ok), |a, b| (cr_diff(a, b), Errno::Ok), |a, b| (rc_diff(a, b), Errno::Ok)))
}

unsafe extern "C" fn complex_mul(v: *mut PyObject, w: *mut PyObject) -> *mut PyObject {
    binop(v, w, (|a, b| (c_prod(a, b), Errno::Ok), |a, b| (cr_prod(a, b), Errno::Ok), |a, b| (cr_prod(b, a), Errno::Ok)))
}

unsafe extern "C" fn complex_div(v: *mut PyObject, w: *mut PyObject) -> *mut PyObject {
    binop(v, w, (c_quot, cr_quot, rc_quot))
}

unsafe extern "C" fn complex_pow(v: *mut PyObject, w: *mut PyObject, z: *mut PyObject) -> *mut PyObject {
    // SAFETY: slot arguments are live.
    let (v, w, z) = unsafe { (arg(v), arg(w), arg(z)) };
    let r = (|| -> PyResult<PyRef> {
        let Some(a) = to_complex(v)? else { return Ok(none::not_implemented()) };
        let Some(b) = to_complex(w)? else { return Ok(none::not_implemented()) };
        if !z.is(none::none_obj()) {
            return Err(raise!(ValueError, "complex modulo"));
        }
        pow_values(a, b)
    })();
    ret_obj(r)
}

unsafe extern "C" fn complex_neg(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: live complex.
    let z = value(unsafe { arg(o) });
    new(c(-z.real, -z.imag)).into_raw()
}

unsafe extern "C" fn complex_pos(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: live complex.
    let o = unsafe { arg(o) };
    if o.is_exact(&PyComplex_Type) { o.new_ref().into_raw() } else { new(value(o)).into_raw() }
}

unsafe extern "C" fn complex_abs(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: live complex.
    let (r, errno) = c_abs(value(unsafe { arg(o) }));
    if errno == Errno::Range {
        return ret_obj(Err(raise!(OverflowError, "absolute value too large")));
    }
    float::new(r).into_raw()
}

unsafe extern "C" fn complex_bool(o: *mut PyObject) -> c_int {
    // SAFETY: live complex.
    let z = value(unsafe { arg(o) });
    (z.real != 0.0 || z.imag != 0.0) as c_int
}

// ---- methods --------------------------------------------------------------------------------

unsafe extern "C" fn complex_conjugate(o: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    // SAFETY: live complex.
    let z = value(unsafe { arg(o) });
    new(c(z.real, -z.imag)).into_raw()
}

unsafe extern "C" fn complex_complex(o: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    // SAFETY: live complex.
    unsafe { complex_pos(o) }
}

unsafe extern "C" fn complex_getnewargs(o: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    // SAFETY: live complex.
    let z = value(unsafe { arg(o) });
    tuple::new_from_owned(vec![float::new(z.real), float::new(z.imag)]).into_raw()
}

/// `complex.from_number(x)`: like `complex(x)` but refusing strings.
unsafe extern "C" fn complex_from_number(cls: *mut PyObject, x: *mut PyObject) -> *mut PyObject {
    // SAFETY: METH_O | METH_CLASS: cls is a type.
    let (cls, x) = unsafe { (arg(cls), arg(x)) };
    let r = (|| {
        if unicode::check(x) || bytes::check(x) {
            return Err(raise!(TypeError, "must be real number, not {}", x.ob_type().name()));
        }
        let z = as_c_complex(x)?;
        let v = new(z);
        if cls.is(&PyComplex_Type) { Ok(v) } else { abstract_::call_one_arg(cls, &v) }
    })();
    ret_obj(r)
}

/// `PyComplex_RealAsDouble`: a complex's real part, `__complex__`, or a real number.
pub fn real_as_double(o: &Obj) -> PyResult<f64> {
    if check(o) {
        return Ok(value(o).real);
    }
    if let Some(z) = try_complex_method(o)? {
        return Ok(z.real);
    }
    number::as_f64(o)
}

/// `PyComplex_ImagAsDouble`: a complex's imaginary part, `__complex__`, or 0.0 for a real.
pub fn imag_as_double(o: &Obj) -> PyResult<f64> {
    if check(o) {
        return Ok(value(o).imag);
    }
    if let Some(z) = try_complex_method(o)? {
        return Ok(z.imag);
    }
    number::as_f64(o).map(|_| 0.0)
}

