//! The number protocol (`Objects/abstract.c`): binary, in-place, unary and ternary operators
//! dispatched on the `nb_*` slots with CPython's rules, the sequence fallbacks of `+` and `*`,
//! and the conversions `int(x)`, `float(x)`, `abs(x)`, `divmod`, `pow`.
//!
//! Dispatch (`binary_op1`): the left operand's slot first, unless the right operand's type is a
//! proper subtype of the left's with a different slot, which then goes first; a slot answering
//! `NotImplemented` passes the turn; when no slot answers, the error is CPython's
//! "unsupported operand type(s) for +: 'int' and 'str'".
//!
//! Also here: argument binding for the number types' `tp_new` and methods, with Argument
//! Clinic's error messages (`Signature`), since int, float and complex all need it.
//!
//! Invariant: the operators know no concrete type — every one goes through slots, so extension
//! types take part exactly as built-in ones do. Only the conversions (`to_int`, `to_float`)
//! know str and bytes, which they parse, as CPython's do.

use core::ffi::{c_int, c_void, CStr};
use core::ptr::null_mut;

use pyrite_abi::*;

use crate::abstract_;
use crate::err::{PyErr, PyResult};
use crate::object::{Obj, PyRef};
use crate::objects::type_::TypeObj;
use crate::objects::{bytes, dict, float, long, none, tuple, unicode};
use crate::slot::from_new;

/// A binary operator of the language (`a + b`, `a @ b`, ...).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinaryOp {
    Add,
    Sub,
    Mul,
    MatMul,
    TrueDiv,
    FloorDiv,
    Mod,
    Pow,
    LShift,
    RShift,
    And,
    Or,
    Xor,
}

/// A unary operator of the language (`-a`, `+a`, `~a`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnaryOp {
    Neg,
    Pos,
    Invert,
}

impl BinaryOp {
    /// In `BINARY_OP`'s oparg order (the in-place forms add 13).
    pub const ALL: [BinaryOp; 13] = [
        BinaryOp::Add, BinaryOp::Sub, BinaryOp::Mul, BinaryOp::MatMul, BinaryOp::TrueDiv, BinaryOp::FloorDiv,
        BinaryOp::Mod, BinaryOp::Pow, BinaryOp::LShift, BinaryOp::RShift, BinaryOp::And, BinaryOp::Or, BinaryOp::Xor,
    ];

    /// The operator as written in source (`"+"`, `"//"`, ...).
    pub fn symbol(self) -> &'static str {
        match self {
            BinaryOp::Add => "+",
            BinaryOp::Sub => "-",
            BinaryOp::Mul => "*",
            BinaryOp::MatMul => "@",
            BinaryOp::TrueDiv => "/",
            BinaryOp::FloorDiv => "//",
            BinaryOp::Mod => "%",
            BinaryOp::Pow => "**",
            BinaryOp::LShift => "<<",
            BinaryOp::RShift => ">>",
            BinaryOp::And => "&",
            BinaryOp::Or => "|",
            BinaryOp::Xor => "^",
        }
    }

    /// The augmented assignment (`"+="`, `"//="`, ...), as in-place error messages print it.
    pub fn inplace_symbol(self) -> &'static str {
        match self {
            BinaryOp::Add => "+=",
            BinaryOp::Sub => "-=",
            BinaryOp::Mul => "*=",
            BinaryOp::MatMul => "@=",
            BinaryOp::TrueDiv => "/=",
            BinaryOp::FloorDiv => "//=",
            BinaryOp::Mod => "%=",
            BinaryOp::Pow => "**=",
            BinaryOp::LShift => "<<=",
            BinaryOp::RShift => ">>=",
            BinaryOp::And => "&=",
            BinaryOp::Or => "|=",
            BinaryOp::Xor => "^=",
        }
    }

    /// The binary slot (`nb_add`, ...). `Pow` is ternary and has none.
    pub fn slot(self, nb: &PyNumberMethods) -> binaryfunc {
        match self {
            BinaryOp::Add => nb.nb_add,
            BinaryOp::Sub => nb.nb_subtract,
            BinaryOp::Mul => nb.nb_multiply,
            BinaryOp::MatMul => nb.nb_matrix_multiply,
            BinaryOp::TrueDiv => nb.nb_true_divide,
            BinaryOp::FloorDiv => nb.nb_floor_divide,
            BinaryOp::Mod => nb.nb_remainder,
            BinaryOp::Pow => None,
            BinaryOp::LShift => nb.nb_lshift,
            BinaryOp::RShift => nb.nb_rshift,
            BinaryOp::And => nb.nb_and,
            BinaryOp::Or => nb.nb_or,
            BinaryOp::Xor => nb.nb_xor,
        }
    }

    /// The in-place slot, writable (a class defining `__iadd__` sets it). Not for `Pow`.
    pub fn inplace_slot_mut(self, nb: &mut PyNumberMethods) -> &mut binaryfunc {
        match self {
            BinaryOp::Add => &mut nb.nb_inplace_add,
            BinaryOp::Sub => &mut nb.nb_inplace_subtract,
            BinaryOp::Mul => &mut nb.nb_inplace_multiply,
            BinaryOp::MatMul => &mut nb.nb_inplace_matrix_multiply,
            BinaryOp::TrueDiv => &mut nb.nb_inplace_true_divide,
            BinaryOp::FloorDiv => &mut nb.nb_inplace_floor_divide,
            BinaryOp::Mod => &mut nb.nb_inplace_remainder,
            BinaryOp::Pow => unreachable!("nb_inplace_power is ternary"),
            BinaryOp::LShift => &mut nb.nb_inplace_lshift,
            BinaryOp::RShift => &mut nb.nb_inplace_rshift,
            BinaryOp::And => &mut nb.nb_inplace_and,
            BinaryOp::Or => &mut nb.nb_inplace_or,
            BinaryOp::Xor => &mut nb.nb_inplace_xor,
        }
    }

    /// The in-place slot (`nb_inplace_add`, ...).
    pub fn inplace_slot(self, nb: &PyNumberMethods) -> binaryfunc {
        match self {
            BinaryOp::Add => nb.nb_inplace_add,
            BinaryOp::Sub => nb.nb_inplace_subtract,
            BinaryOp::Mul => nb.nb_inplace_multiply,
            BinaryOp::MatMul => nb.nb_inplace_matrix_multiply,
            BinaryOp::TrueDiv => nb.nb_inplace_true_divide,
            BinaryOp::FloorDiv => nb.nb_inplace_floor_divide,
            BinaryOp::Mod => nb.nb_inplace_remainder,
            BinaryOp::Pow => None,
            BinaryOp::LShift => nb.nb_inplace_lshift,
            BinaryOp::RShift => nb.nb_inplace_rshift,
            BinaryOp::And => nb.nb_inplace_and,
            BinaryOp::Or => nb.nb_inplace_or,
            BinaryOp::Xor => nb.nb_inplace_xor,
        }
    }
}

impl UnaryOp {
    pub fn symbol(self) -> &'static str {
        match self {
            UnaryOp::Neg => "-",
            UnaryOp::Pos => "+",
            UnaryOp::Invert => "~",
        }
    }
}

// ---- slot access ----------------------------------------------------------------------------

#[inline(always)]
pub fn number_methods(t: &TypeObj) -> Option<&PyNumberMethods> {
    // SAFETY: tp_as_number is NULL or a table that lives as long as the type.
    unsafe { t.slots().tp_as_number.as_ref() }
}

#[inline(always)]
fn sequence_methods(t: &TypeObj) -> Option<&PySequenceMethods> {
    // SAFETY: tp_as_sequence is NULL or a table that lives as long as the type.
    unsafe { t.slots().tp_as_sequence.as_ref() }
}

/// Whether two slots hold the same function (CPython compares slot pointers).
#[inline(always)]
fn same_fn<F: Copy>(a: F, b: F) -> bool {
    const { assert!(core::mem::size_of::<F>() == core::mem::size_of::<usize>()) };
    // SAFETY: F is a function pointer type; compare the addresses.
    unsafe { core::mem::transmute_copy::<F, usize>(&a) == core::mem::transmute_copy::<F, usize>(&b) }
}

type BinarySlotFn = unsafe extern "C" fn(*mut PyObject, *mut PyObject) -> *mut PyObject;
type TernarySlotFn = unsafe extern "C" fn(*mut PyObject, *mut PyObject, *mut PyObject) -> *mut PyObject;

/// Calls a binary slot; `Ok(None)` when it answered `NotImplemented`.
#[inline]
fn call_binary(f: BinarySlotFn, v: &Obj, w: &Obj) -> PyResult<Option<PyRef>> {
    // SAFETY: slot call with live arguments; the result is a new reference or NULL.
    let r = unsafe { from_new(f(v.as_ptr(), w.as_ptr())) }?;
    Ok(if r.is(none::not_implemented_obj()) { None } else { Some(r) })
}

#[inline]
fn call_ternary(f: TernarySlotFn, v: &Obj, w: &Obj, z: &Obj) -> PyResult<Option<PyRef>> {
    // SAFETY: as above.
    let r = unsafe { from_new(f(v.as_ptr(), w.as_ptr(), z.as_ptr())) }?;
    Ok(if r.is(none::not_implemented_obj()) { None } else { Some(r) })
}

/// `binary_op1`: `v`'s slot and `w`'s reflected slot in CPython's order. `Ok(None)` means
/// every slot answered `NotImplemented` (or there was none).
fn binary_op1(v: &Obj, w: &Obj, slot: impl Fn(&PyNumberMethods) -> binaryfunc) -> PyResult<Option<PyRef>> {
    let (tv, tw) = (v.ob_type(), w.ob_type());
    let slotv = number_methods(tv).and_then(&slot);
    let mut slotw = if tw.is(tv) { None } else { number_methods(tw).and_then(&slot) };
    if let (Some(a), Some(b)) = (slotv, slotw) {
        if same_fn(a, b) {
            slotw = None;
        }
    }
    if let Some(fv) = slotv {
        if let Some(fw) = slotw {
            if tw.is_subtype(tv) {
                if let Some(r) = call_binary(fw, v, w)? {
                    return Ok(Some(r));
                }
                slotw = None;
            }
        }
        if let Some(r) = call_binary(fv, v, w)? {
            return Ok(Some(r));
        }
    }
    if let Some(fw) = slotw {
        return call_binary(fw, v, w);
    }
    Ok(None)
}

fn binop_type_error(v: &Obj, w: &Obj, op_name: &str) -> PyErr {
    raise!(
        TypeError,
        "unsupported operand type(s) for {}: '{}' and '{}'",
        op_name,
        v.ob_type().name(),
        w.ob_type().name()
    )
}

/// `sequence_repeat`: `seq * n` through `sq_repeat` when `n` is an index.
fn sequence_repeat(f: ssizeargfunc, seq: &Obj, n: &Obj) -> PyResult<PyRef> {
    let f = f.expect("caller checked the slot");
    if !has_index(n) {
        return Err(raise!(TypeError, "can't multiply sequence by non-int of type '{}'", n.ob_type().name()));
    }
    let count = as_ssize_overflow(n)?;
    // SAFETY: slot call with a live argument.
    unsafe { from_new(f(seq.as_ptr(), count)) }
}

/// Whether `o` has `__index__` (`_PyIndex_Check`).
#[inline]
fn has_index(o: &Obj) -> bool {
    number_methods(o.ob_type()).is_some_and(|nb| nb.nb_index.is_some())
}

/// `PyNumber_AsSsize_t(o, PyExc_OverflowError)`.
fn as_ssize_overflow(o: &Obj) -> PyResult<Py_ssize_t> {
    let v = abstract_::index(o)?;
    long::to_i64(&v)
        .map(|x| x as Py_ssize_t)
        .ok_or_else(|| raise!(OverflowError, "cannot fit '{}' into an index-sized integer", o.ob_type().name()))
}

// ---- the operators --------------------------------------------------------------------------

/// `a <op> b` (`PyNumber_Add`, `PyNumber_Subtract`, ...), with the sequence fallbacks of `+`
/// (`sq_concat`) and `*` (`sq_repeat`, the sequence on either side).
pub fn binary_op(a: &Obj, b: &Obj, op: BinaryOp) -> PyResult<PyRef> {
    if op == BinaryOp::Pow {
        return power(a, b, None);
    }
    if let Some(r) = binary_op1(a, b, |nb| op.slot(nb))? {
        return Ok(r);
    }
    match op {
        BinaryOp::Add => {
            if let Some(f) = sequence_methods(a.ob_type()).and_then(|sq| sq.sq_concat) {
                // SAFETY: slot call with live arguments.
                return unsafe { from_new(f(a.as_ptr(), b.as_ptr())) };
            }
        }
        BinaryOp::Mul => {
            if let Some(sq) = sequence_methods(a.ob_type()).filter(|sq| sq.sq_repeat.is_some()) {
                return sequence_repeat(sq.sq_repeat, a, b);
            }
            if let Some(sq) = sequence_methods(b.ob_type()).filter(|sq| sq.sq_repeat.is_some()) {
                return sequence_repeat(sq.sq_repeat, b, a);
            }
        }
        _ => {}
    }
    Err(binop_type_error(a, b, op.symbol()))
}

/// `binary_op1` for an operator: its number slots only (no sequence fallback, no error);
/// `Ok(None)` when every slot answered `NotImplemented`.
pub fn binary_op_slots(a: &Obj, b: &Obj, op: BinaryOp) -> PyResult<Option<PyRef>> {
    binary_op1(a, b, |nb| op.slot(nb))
}

/// `binary_iop1`: the in-place number slot of `a`, then [`binary_op_slots`].
pub fn inplace_op_slots(a: &Obj, b: &Obj, op: BinaryOp) -> PyResult<Option<PyRef>> {
    if let Some(f) = number_methods(a.ob_type()).and_then(|nb| op.inplace_slot(nb)) {
        if let Some(r) = call_binary(f, a, b)? {
            return Ok(Some(r));
        }
    }
    binary_op1(a, b, |nb| op.slot(nb))
}

/// `a <op>= b` (`PyNumber_InPlaceAdd`, ...): `nb_inplace_*` of `a`, then the binary operator,
/// then `sq_inplace_concat`/`sq_concat` for `+=` and `sq_inplace_repeat`/`sq_repeat` for `*=`.
pub fn inplace_op(a: &Obj, b: &Obj, op: BinaryOp) -> PyResult<PyRef> {
    if op == BinaryOp::Pow {
        return inplace_power(a, b, None);
    }
    if let Some(f) = number_methods(a.ob_type()).and_then(|nb| op.inplace_slot(nb)) {
        if let Some(r) = call_binary(f, a, b)? {
            return Ok(r);
        }
    }
    if let Some(r) = binary_op1(a, b, |nb| op.slot(nb))? {
        return Ok(r);
    }
    match op {
        BinaryOp::Add => {
            if let Some(sq) = sequence_methods(a.ob_type()) {
                if let Some(f) = sq.sq_inplace_concat.or(sq.sq_concat) {
                    // SAFETY: slot call with live arguments.
                    return unsafe { from_new(f(a.as_ptr(), b.as_ptr())) };
                }
            }
        }
        BinaryOp::Mul => {
            // As CPython: a sequence type on the left decides alone; the right operand is never
            // repeated in place.
            if let Some(sq) = sequence_methods(a.ob_type()) {
                let f = sq.sq_inplace_repeat.or(sq.sq_repeat);
                if f.is_some() {
                    return sequence_repeat(f, a, b);
                }
            } else if let Some(sq) = sequence_methods(b.ob_type()).filter(|sq| sq.sq_repeat.is_some()) {
                return sequence_repeat(sq.sq_repeat, b, a);
            }
        }
        _ => {}
    }
    Err(binop_type_error(a, b, op.inplace_symbol()))
}

/// `ternary_op`: `nb_power` of `v`, `w` (reflected) and `z`, in CPython's order.
fn ternary_op(v: &Obj, w: &Obj, z: &Obj, op_name: &str) -> PyResult<PyRef> {
    let (tv, tw) = (v.ob_type(), w.ob_type());
    let slotv = number_methods(tv).and_then(|nb| nb.nb_power);
    let mut slotw = if tw.is(tv) { None } else { number_methods(tw).and_then(|nb| nb.nb_power) };
    if let (Some(a), Some(b)) = (slotv, slotw) {
        if same_fn(a, b) {
            slotw = None;
        }
    }
    if let Some(fv) = slotv {
        if let Some(fw) = slotw {
            if tw.is_subtype(tv) {
                if let Some(r) = call_ternary(fw, v, w, z)? {
                    return Ok(r);
                }
                slotw = None;
            }
        }
        if let Some(r) = call_ternary(fv, v, w, z)? {
            return Ok(r);
        }
    }
    if let Some(fw) = slotw {
        if let Some(r) = call_ternary(fw, v, w, z)? {
            return Ok(r);
        }
    }
    if let Some(fz) = number_methods(z.ob_type()).and_then(|nb| nb.nb_power) {
        let taken = slotv.is_some_and(|f| same_fn(f, fz)) || slotw.is_some_and(|f| same_fn(f, fz));
        if !taken {
            if let Some(r) = call_ternary(fz, v, w, z)? {
                return Ok(r);
            }
        }
    }
    Err(if z.is(none::none_obj()) {
        binop_type_error(v, w, op_name)
    } else {
        raise!(
            TypeError,
            "unsupported operand type(s) for {}: '{}', '{}', '{}'",
            op_name,
            v.ob_type().name(),
            w.ob_type().name(),
            z.ob_type().name()
        )
    })
}

/// `pow(a, b)` / `pow(a, b, modulus)` (`PyNumber_Power`).
pub fn power(a: &Obj, b: &Obj, modulus: Option<&Obj>) -> PyResult<PyRef> {
    ternary_op(a, b, modulus.unwrap_or(none::none_obj()), "** or pow()")
}

/// `a **= b` (`PyNumber_InPlacePower`).
pub fn inplace_power(a: &Obj, b: &Obj, modulus: Option<&Obj>) -> PyResult<PyRef> {
    let z = modulus.unwrap_or(none::none_obj());
    if let Some(f) = number_methods(a.ob_type()).and_then(|nb| nb.nb_inplace_power) {
        if let Some(r) = call_ternary(f, a, b, z)? {
            return Ok(r);
        }
    }
    ternary_op(a, b, z, "**=")
}

/// `divmod(a, b)` (`PyNumber_Divmod`).
pub fn divmod(a: &Obj, b: &Obj) -> PyResult<PyRef> {
    match binary_op1(a, b, |nb| nb.nb_divmod)? {
        Some(r) => Ok(r),
        None => Err(binop_type_error(a, b, "divmod()")),
    }
}

/// `-o`, `+o`, `~o` (`PyNumber_Negative`, `PyNumber_Positive`, `PyNumber_Invert`).
pub fn unary_op(o: &Obj, op: UnaryOp) -> PyResult<PyRef> {
    let f = number_methods(o.ob_type()).and_then(|nb| match op {
        UnaryOp::Neg => nb.nb_negative,
        UnaryOp::Pos => nb.nb_positive,
        UnaryOp::Invert => nb.nb_invert,
    });
    match f {
        // SAFETY: slot call with a live argument.
        Some(f) => unsafe { from_new(f(o.as_ptr())) },
        None => Err(raise!(TypeError, "bad operand type for unary {}: '{}'", op.symbol(), o.ob_type().name())),
    }
}

/// `abs(o)` (`PyNumber_Absolute`).
pub fn absolute(o: &Obj) -> PyResult<PyRef> {
    match number_methods(o.ob_type()).and_then(|nb| nb.nb_absolute) {
        // SAFETY: slot call with a live argument.
        Some(f) => unsafe { from_new(f(o.as_ptr())) },
        None => Err(raise!(TypeError, "bad operand type for abs(): '{}'", o.ob_type().name())),
    }
}

/// `PyNumber_Index` with an exact int result (a subclass's value is copied).
pub fn index_exact(o: &Obj) -> PyResult<PyRef> {
    let v = abstract_::index(o)?;
    Ok(if v.is_exact(&long::PyLong_Type) { v } else { long::exact_copy(&v) })
}

/// `int(o)` (`PyNumber_Long`): `__int__`, then `__index__`, then parsing a str or bytes.
/// (Since 3.14 `__trunc__` is no longer consulted.)
pub fn to_int(o: &Obj) -> PyResult<PyRef> {
    if o.is_exact(&long::PyLong_Type) {
        return Ok(o.new_ref());
    }
    let nb = number_methods(o.ob_type());
    if let Some(f) = nb.and_then(|nb| nb.nb_int) {
        // SAFETY: slot call with a live argument.
        let r = unsafe { from_new(f(o.as_ptr())) }?;
        if r.is_exact(&long::PyLong_Type) {
            return Ok(r);
        }
        if long::check(&r) {
            // CPython warns (DeprecationWarning) and converts; Pyrite has no warnings yet.
            return Ok(long::exact_copy(&r));
        }
        return Err(raise!(TypeError, "__int__ returned non-int (type {})", r.ob_type().name()));
    }
    if nb.is_some_and(|nb| nb.nb_index.is_some()) {
        return index_exact(o);
    }
    if unicode::check(o) {
        return long::from_unicode(o, 10);
    }
    if bytes::check(o) {
        return long::from_bytes_literal(bytes::as_bytes(o), 10);
    }
    // bytearray and other buffers parse as their bytes.
    if let Some(b) = bytes::buffer_bytes(o)? {
        return long::from_bytes_literal(&b, 10);
    }
    Err(raise!(
        TypeError,
        "int() argument must be a string, a bytes-like object or a real number, not '{}'",
        o.ob_type().name()
    ))
}

/// `float(o)` (`PyNumber_Float`): `__float__`, then `__index__`, then parsing a str or bytes.
pub fn to_float(o: &Obj) -> PyResult<PyRef> {
    if o.is_exact(&float::PyFloat_Type) {
        return Ok(o.new_ref());
    }
    Ok(float::new(to_f64(o)?))
}

/// The value of `float(o)` as an f64: a real number's, or a str or bytes parsed.
pub fn to_f64(o: &Obj) -> PyResult<f64> {
    if o.is_exact(&float::PyFloat_Type) {
        return Ok(float::value(o));
    }
    let nb = number_methods(o.ob_type());
    if float::check(o) || nb.is_some_and(|nb| nb.nb_float.is_some() || nb.nb_index.is_some()) {
        return as_f64(o);
    }
    if unicode::check(o) {
        return float::from_unicode(o);
    }
    if bytes::check(o) {
        return float::from_bytes_literal(bytes::as_bytes(o));
    }
    Err(raise!(TypeError, "float() argument must be a string or a real number, not '{}'", o.ob_type().name()))
}

/// `PyFloat_AsDouble`: a float's value, `__float__`, or `__index__`; nothing is parsed.
pub fn as_f64(o: &Obj) -> PyResult<f64> {
    if o.is_exact(&float::PyFloat_Type) {
        return Ok(float::value(o));
    }
    let nb = number_methods(o.ob_type());
    if let Some(f) = nb.and_then(|nb| nb.nb_float) {
        // SAFETY: slot call with a live argument.
        let r = unsafe { from_new(f(o.as_ptr())) }?;
        if float::check(&r) {
            if !r.is_exact(&float::PyFloat_Type) {
                warn_strict_subclass(&format!("{}.__float__ returned non-float (type {})", o.ob_type().name(), r.ob_type().name()), "float")?;
            }
            return Ok(float::value(&r));
        }
        return Err(raise!(
            TypeError,
            "{}.__float__ returned non-float (type {})",
            o.ob_type().name(),
            r.ob_type().name()
        ));
    }
    if nb.is_some_and(|nb| nb.nb_index.is_some()) {
        let i = abstract_::index(o)?;
        return long::to_f64(&i);
    }
    if float::check(o) {
        return Ok(float::value(o));
    }
    Err(raise!(TypeError, "must be real number, not {}", o.ob_type().name()))
}

/// CPython's DeprecationWarning for a conversion method (`__index__`, `__float__`,
/// `__complex__`) that returned an instance of a strict subclass of `kind`; `what` says who
/// returned what. An error means the warning was turned into one.
pub fn warn_strict_subclass(what: &str, kind: &str) -> PyResult<()> {
    let msg = unicode::new(&format!(
        "{what}.  The ability to return an instance of a strict subclass of {kind} is deprecated, and may be removed in a future version of Python."
    ));
    crate::stdlib::warnings::warn(None, &msg, 1, crate::objects::exceptions::DeprecationWarning())
}

/// `PyNumber_ToBase`: `bin()`, `oct()`, `str()`, `hex()` of an index, as a str.
pub fn to_base(o: &Obj, base: u32) -> PyResult<PyRef> {
    if !matches!(base, 2 | 8 | 10 | 16) {
        return Err(raise!(SystemError, "PyNumber_ToBase: base must be 2, 8, 10 or 16"));
    }
    let v = abstract_::index(o)?;
    Ok(unicode::new(&long::format_base(&v, base)?))
}

// ---- argument binding -----------------------------------------------------------------------

/// A parameter list as Argument Clinic declares it, for binding arguments with Clinic's error
/// messages (`_PyArg_UnpackKeywords`): `params` in order, the first `posonly` positional-only,
/// `minpos` of them required, at most `maxpos` accepted positionally (the rest keyword-only).
pub struct Signature {
    pub fname: &'static str,
    pub params: &'static [&'static str],
    pub posonly: usize,
    pub minpos: usize,
    pub maxpos: usize,
}

impl Signature {
    /// Binds positional arguments and `(name, value)` keyword pairs to the parameters.
    pub fn bind<'a, const N: usize>(&self, pos: &[&'a Obj], kw: &[(&'a Obj, &'a Obj)]) -> PyResult<[Option<&'a Obj>; N]> {
        assert_eq!(N, self.params.len(), "Signature::bind: wrong number of slots");
        let mut out: [Option<&'a Obj>; N] = [None; N];
        let (nargs, nkw) = (pos.len(), kw.len());
        let maxargs = self.params.len();
        let f = self.fname;
        if nargs + nkw > maxargs {
            return Err(raise!(
                TypeError,
                "{}() takes at most {} {}argument{} ({} given)",
                f,
                maxargs,
                if nargs == 0 { "keyword " } else { "" },
                if maxargs == 1 { "" } else { "s" },
                nargs + nkw
            ));
        }
        if nargs > self.maxpos {
            return Err(if self.maxpos == 0 {
                raise!(TypeError, "{}() takes no positional arguments", f)
            } else {
                raise!(
                    TypeError,
                    "{}() takes {} {} positional argument{} ({} given)",
                    f,
                    if self.minpos < self.maxpos { "at most" } else { "exactly" },
                    self.maxpos,
                    if self.maxpos == 1 { "" } else { "s" },
                    nargs
                )
            });
        }
        let minposonly = self.posonly.min(self.minpos);
        if nargs < minposonly {
            return Err(raise!(
                TypeError,
                "{}() takes {} {} positional argument{} ({} given)",
                f,
                if minposonly < self.maxpos { "at least" } else { "exactly" },
                minposonly,
                if minposonly == 1 { "" } else { "s" },
                nargs
            ));
        }
        for (slot, &p) in out.iter_mut().zip(pos) {
            *slot = Some(p);
        }
        let find = |name: &str| kw.iter().find(|(k, _)| unicode::check(k) && unicode::eq_str(k, name)).map(|&(_, v)| v);
        let mut unused = nkw;
        for i in nargs.max(self.posonly)..maxargs {
            let found = if unused > 0 { find(self.params[i]) } else { None };
            match found {
                Some(v) => {
                    out[i] = Some(v);
                    unused -= 1;
                }
                None if i < self.minpos => {
                    return Err(raise!(TypeError, "{}() missing required argument '{}' (pos {})", f, self.params[i], i + 1));
                }
                None => {}
            }
        }
        if unused > 0 {
            for i in self.posonly..nargs {
                if find(self.params[i]).is_some() {
                    return Err(raise!(
                        TypeError,
                        "argument for {}() given by name ('{}') and position ({})",
                        f,
                        self.params[i],
                        i + 1
                    ));
                }
            }
            for (k, _) in kw {
                if !unicode::check(k) {
                    return Err(raise!(TypeError, "keywords must be strings"));
                }
                let known = self.params[self.posonly..].iter().any(|p| unicode::eq_str(k, p));
                if !known {
                    return Err(raise!(TypeError, "{}() got an unexpected keyword argument '{}'", f, unicode::as_str_lossy(k)));
                }
            }
        }
        Ok(out)
    }

    /// Binds a vectorcall-style call (`METH_FASTCALL | METH_KEYWORDS`).
    ///
    /// # Safety
    /// `args` points to `nargs` live objects followed by one per name in `kwnames`
    /// (a tuple or NULL).
    pub unsafe fn bind_fastcall<'a, const N: usize>(
        &self,
        args: *const *mut PyObject,
        nargs: Py_ssize_t,
        kwnames: *mut PyObject,
    ) -> PyResult<[Option<&'a Obj>; N]> {
        // SAFETY: guaranteed by the caller.
        unsafe {
            let n = nargs.max(0) as usize;
            let pos: Vec<&'a Obj> = (0..n).map(|i| Obj::from_ptr(*args.add(i))).collect();
            let mut kw = Vec::new();
            if !kwnames.is_null() {
                for (i, k) in tuple::items(Obj::from_ptr(kwnames)).iter().enumerate() {
                    let k: &'a Obj = Obj::from_ptr(k.as_ptr());
                    kw.push((k, Obj::from_ptr(*args.add(n + i))));
                }
            }
            self.bind(&pos, &kw)
        }
    }

    /// Binds a `tp_new`/`tp_call`-style call (an argument tuple and an optional dict).
    pub fn bind_call<'a, const N: usize>(&self, args: &'a Obj, kwargs: Option<&'a Obj>) -> PyResult<[Option<&'a Obj>; N]> {
        let pos = tuple::items(args);
        let kw = kwargs_pairs(kwargs);
        self.bind(pos, &kw)
    }
}

/// The `(name, value)` pairs of a keyword-argument dict, borrowed from it.
pub fn kwargs_pairs(kwargs: Option<&Obj>) -> Vec<(&Obj, &Obj)> {
    let mut kw = Vec::new();
    if let Some(d) = kwargs {
        let mut i = 0;
        while let Some(pair) = dict::next(d, &mut i) {
            kw.push(pair);
        }
    }
    kw
}

/// `_PyArg_CheckPositional`: "`name` expected at most `max` argument(s), got `n`".
pub fn check_positional(name: &str, n: usize, min: usize, max: usize) -> PyResult<()> {
    if n < min {
        return Err(raise!(
            TypeError,
            "{} expected {}{} argument{}, got {}",
            name,
            if min == max { "" } else { "at least " },
            min,
            if min == 1 { "" } else { "s" },
            n
        ));
    }
    if n > max {
        return Err(raise!(
            TypeError,
            "{} expected {}{} argument{}, got {}",
            name,
            if min == max { "" } else { "at most " },
            max,
            if max == 1 { "" } else { "s" },
            n
        ));
    }
    Ok(())
}

/// Whether a call passed keyword arguments (a non-empty dict).
pub fn has_kwargs(kwargs: Option<&Obj>) -> bool {
    kwargs.is_some_and(|d| dict::len(d) > 0)
}

/// A `PyMethodDef` entry for a static method table.
pub const fn method_def(name: &'static CStr, meth: *mut c_void, flags: c_int) -> PyMethodDef {
    PyMethodDef { ml_name: name.as_ptr(), ml_meth: meth, ml_flags: flags, ml_doc: core::ptr::null() }
}

/// The terminating entry of a method table.
pub const METHOD_END: PyMethodDef =
    PyMethodDef { ml_name: core::ptr::null(), ml_meth: null_mut(), ml_flags: 0, ml_doc: core::ptr::null() };

/// A zeroed instance of `ty` (a subclass of a number type) from its `tp_alloc`; the caller
/// writes the value (`long_subtype_new`, `float_subtype_new`, ...).
pub fn subtype_alloc(ty: &TypeObj, nitems: Py_ssize_t) -> PyResult<PyRef> {
    let alloc = ty.slots().tp_alloc.unwrap_or(crate::alloc::generic_alloc);
    // SAFETY: tp_alloc of a ready type; returns a new reference or NULL with an exception.
    unsafe { from_new(alloc(ty.raw(), nitems)) }
}
