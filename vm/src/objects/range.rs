//! `range`: CPython's `rangeobject` (start, stop, step and length as int objects) and its
//! iterators (`range_iterator`, and `longrange_iterator` where CPython would pick it).
//!
//! Pyrite keeps machine copies of the values next to the objects when they fit 64 bits; a
//! range whose bounds do not (`range(1 << 1000)`) is "big" and computes with int objects
//! instead. `len()` of a range longer than `sys.maxsize` raises `OverflowError`, as in CPython.

use core::ffi::c_int;
use core::mem::{offset_of, size_of};

use pyrite_abi::*;

use crate::err::PyResult;
use crate::object::{Obj, PyRef, StaticObject};
use crate::objects::argparse::{self, check_positional};
use crate::objects::iterobject;
use crate::objects::slice;
use crate::objects::type_::{StaticTable, TypeObj, BUILTIN_FLAGS};
use crate::objects::{bool_, long, none, tuple, unicode};
use crate::slot::{arg, opt_arg, ret_int, ret_obj};
use crate::{method_table, static_type};

/// CPython's `rangeobject`, then Pyrite's machine copies.
#[repr(C)]
pub struct RangeObject {
    pub ob_base: PyObject,
    pub start: *mut PyObject,
    pub stop: *mut PyObject,
    pub step: *mut PyObject,
    pub length: *mut PyObject,
    istart: i64,
    istop: i64,
    istep: i64,
    ilen: u64,
    /// The bounds do not fit 64 bits: only the objects are meaningful.
    big: bool,
}

static_type!(PyRange_Type, c"range", size_of::<RangeObject>(), {
    tp_flags: BUILTIN_FLAGS | Py_TPFLAGS_SEQUENCE,
    tp_dealloc: Some(range_dealloc),
    tp_repr: Some(range_repr),
    tp_hash: Some(range_hash),
    tp_richcompare: Some(range_richcompare),
    tp_iter: Some(range_iter),
    tp_as_number: RANGE_AS_NUMBER.0.get(),
    tp_as_sequence: RANGE_AS_SEQUENCE.0.get(),
    tp_as_mapping: RANGE_AS_MAPPING.0.get(),
    tp_methods: RANGE_METHODS.0.get() as *mut PyMethodDef,
    tp_members: RANGE_MEMBERS.0.get() as *mut PyMemberDef,
    tp_new: Some(range_new),
    tp_doc: c"range(stop) -> range object\nrange(start, stop[, step]) -> range object\n\nReturn an object that produces a sequence of integers from start (inclusive)\nto stop (exclusive) by step.  range(i, j) produces i, i+1, i+2, ..., j-1.\nstart defaults to 0, and stop is omitted!  range(4) produces 0, 1, 2, 3.\nThese are exactly the valid indices for a list of 4 elements.\nWhen step is given, it specifies the increment (or decrement).".as_ptr(),
});

static RANGE_AS_NUMBER: StaticObject<PyNumberMethods> =
    StaticObject::new(PyNumberMethods { nb_bool: Some(range_bool), ..PyNumberMethods::EMPTY });

static RANGE_AS_SEQUENCE: StaticObject<PySequenceMethods> = StaticObject::new(PySequenceMethods {
    sq_length: Some(range_length),
    sq_item: Some(range_item),
    sq_contains: Some(range_contains),
    ..PySequenceMethods::EMPTY
});

static RANGE_AS_MAPPING: StaticObject<PyMappingMethods> = StaticObject::new(PyMappingMethods {
    mp_length: Some(range_length),
    mp_subscript: Some(range_subscript),
    mp_ass_subscript: None,
});

method_table!(static RANGE_METHODS = [
    noargs c"__reversed__" => m_reversed,
    noargs c"__reduce__" => m_reduce,
    o c"count" => m_count,
    o c"index" => m_index,
]);

const fn member(name: &'static core::ffi::CStr, offset: usize) -> PyMemberDef {
    PyMemberDef { name: name.as_ptr(), type_code: _Py_T_OBJECT, offset: offset as isize, flags: Py_READONLY, doc: core::ptr::null() }
}

static RANGE_MEMBERS: StaticTable<PyMemberDef, 4> = StaticTable(core::cell::UnsafeCell::new([
    member(c"start", offset_of!(RangeObject, start)),
    member(c"stop", offset_of!(RangeObject, stop)),
    member(c"step", offset_of!(RangeObject, step)),
    PyMemberDef { name: core::ptr::null(), type_code: 0, offset: 0, flags: 0, doc: core::ptr::null() },
]));

/// CPython's `longrangeiterobject`: for values beyond a C long, int objects.
#[repr(C)]
pub struct LongRangeIterObject {
    pub ob_base: PyObject,
    start: *mut PyObject,
    step: *mut PyObject,
    len: *mut PyObject,
}

/// CPython's `_PyRangeIterObject`, widened so reversal and the last step cannot overflow.
#[repr(C)]
pub struct RangeIterObject {
    pub ob_base: PyObject,
    start: i128,
    step: i128,
    len: u64,
}

static_type!(PyRangeIter_Type, c"range_iterator", size_of::<RangeIterObject>(), {
    tp_flags: BUILTIN_FLAGS,
    tp_iter: Some(iterobject::self_iter),
    tp_iternext: Some(rangeiter_next),
    tp_methods: RANGEITER_METHODS.0.get() as *mut PyMethodDef,
});

static_type!(PyLongRangeIter_Type, c"longrange_iterator", size_of::<LongRangeIterObject>(), {
    tp_flags: BUILTIN_FLAGS,
    tp_dealloc: Some(longrangeiter_dealloc),
    tp_iter: Some(iterobject::self_iter),
    tp_iternext: Some(longrangeiter_next),
    tp_methods: LONGRANGEITER_METHODS.0.get() as *mut PyMethodDef,
});

method_table!(static LONGRANGEITER_METHODS = [
    noargs c"__length_hint__" => longrangeiter_length_hint,
]);

method_table!(static RANGEITER_METHODS = [
    noargs c"__length_hint__" => rangeiter_length_hint,
]);

pub fn types() -> [&'static TypeObj; 3] {
    [&PyRange_Type, &PyRangeIter_Type, &PyLongRangeIter_Type]
}

#[inline(always)]
fn raw(o: &Obj) -> *mut RangeObject {
    o.as_ptr() as *mut RangeObject
}

pub fn check(o: &Obj) -> bool {
    o.is_exact(&PyRange_Type)
}

/// Whether the range's bounds do not fit 64 bits (then [`parts`] is meaningless).
pub fn is_big(r: &Obj) -> bool {
    // SAFETY: r is a range.
    unsafe { (*raw(r)).big }
}

/// The int objects start, stop, step and length (borrowed from the range).
fn objects(r: &Obj) -> [&Obj; 4] {
    // SAFETY: a range's fields are always set and live as long as it.
    unsafe {
        let p = raw(r);
        [arg((*p).start), arg((*p).stop), arg((*p).step), arg((*p).length)]
    }
}

/// start, stop, step and length of a range whose bounds fit 64 bits.
pub fn parts(r: &Obj) -> (i64, i64, i64, u64) {
    // SAFETY: r is a range.
    unsafe {
        let p = raw(r);
        ((*p).istart, (*p).istop, (*p).istep, (*p).ilen)
    }
}

/// The number of values in `range(lo, hi, step)`.
fn len_of(lo: i128, hi: i128, step: i128) -> i128 {
    if step > 0 && lo < hi {
        (hi - lo - 1) / step + 1
    } else if step < 0 && lo > hi {
        (lo - hi - 1) / (-step) + 1
    } else {
        0
    }
}

/// The length of a big range, with int objects (`compute_range_length`).
fn big_len(lo: &Obj, hi: &Obj, step: &Obj) -> PyResult<PyRef> {
    use crate::number::{binary_op, BinaryOp};
    let zero = long::from_i64(0);
    let one = long::from_i64(1);
    let (lo, hi, step) = if crate::abstract_::rich_compare_bool(step, &zero, Py_GT)? {
        (lo.new_ref(), hi.new_ref(), step.new_ref())
    } else {
        (hi.new_ref(), lo.new_ref(), crate::number::unary_op(step, crate::number::UnaryOp::Neg)?)
    };
    if crate::abstract_::rich_compare_bool(&lo, &hi, Py_GE)? {
        return Ok(zero);
    }
    // (hi - lo - 1) // step + 1
    let d = binary_op(&*binary_op(&hi, &lo, BinaryOp::Sub)?, &one, BinaryOp::Sub)?;
    binary_op(&*binary_op(&d, &step, BinaryOp::FloorDiv)?, &one, BinaryOp::Add)
}

/// `range(start, stop, step)` from int objects (step non-zero).
fn make(start: PyRef, stop: PyRef, step: PyRef) -> PyResult<PyRef> {
    let (Some(a), Some(b), Some(c)) = (long::to_i64(&start), long::to_i64(&stop), long::to_i64(&step)) else {
        let n = big_len(&start, &stop, &step)?;
        return Ok(alloc(start, stop, step, n, 0, 0, 0, 0, true));
    };
    let n = len_of(a as i128, b as i128, c as i128) as u64;
    Ok(alloc(start, stop, step, long::from_u64(n), a, b, c, n, false))
}

#[allow(clippy::too_many_arguments)]
fn alloc(start: PyRef, stop: PyRef, step: PyRef, length: PyRef, a: i64, b: i64, c: i64, n: u64, big: bool) -> PyRef {
    // SAFETY: PyRange_Type is a live static type.
    unsafe {
        let op = crate::alloc::alloc_object(PyRange_Type.raw(), size_of::<RangeObject>(), false);
        assert!(!op.is_null(), "out of memory allocating a range");
        let r = op as *mut RangeObject;
        (*r).start = start.into_raw();
        (*r).stop = stop.into_raw();
        (*r).step = step.into_raw();
        (*r).length = length.into_raw();
        (*r).istart = a;
        (*r).istop = b;
        (*r).istep = c;
        (*r).ilen = n;
        (*r).big = big;
        PyRef::from_raw(op)
    }
}

/// `range(start, stop, step)` from machine integers.
pub fn new(start: i64, stop: i64, step: i64) -> PyResult<PyRef> {
    if step == 0 {
        return Err(raise!(ValueError, "range() arg 3 must not be zero"));
    }
    make(long::from_i64(start), long::from_i64(stop), long::from_i64(step))
}

fn new_i128(start: i128, stop: i128, step: i128) -> PyResult<PyRef> {
    let fit = |v: i128| i64::try_from(v).map_err(|_| raise!(OverflowError, "Python int too large to convert to C long"));
    new(fit(start)?, fit(stop)?, fit(step)?)
}

/// The value at `i` (no bounds check).
fn item_value(r: &Obj, i: i128) -> i128 {
    let (start, _, step, _) = parts(r);
    start as i128 + i * step as i128
}

/// `start + i * step` with int objects (a big range).
fn big_item(r: &Obj, i: &Obj) -> PyResult<PyRef> {
    use crate::number::{binary_op, BinaryOp};
    let [start, _, step, _] = objects(r);
    binary_op(start, &*binary_op(i, step, BinaryOp::Mul)?, BinaryOp::Add)
}

/// `x in r` for an int, with int objects (a big range).
fn big_contains(r: &Obj, x: &Obj) -> PyResult<bool> {
    use crate::number::{binary_op, BinaryOp};
    let [start, stop, step, _] = objects(r);
    let zero = long::from_i64(0);
    let inside = if crate::abstract_::rich_compare_bool(step, &zero, Py_GT)? {
        crate::abstract_::rich_compare_bool(start, x, Py_LE)? && crate::abstract_::rich_compare_bool(x, stop, Py_LT)?
    } else {
        crate::abstract_::rich_compare_bool(stop, x, Py_LT)? && crate::abstract_::rich_compare_bool(x, start, Py_LE)?
    };
    if !inside {
        return Ok(false);
    }
    let rem = binary_op(&*binary_op(x, start, BinaryOp::Sub)?, step, BinaryOp::Mod)?;
    crate::abstract_::rich_compare_bool(&rem, &zero, Py_EQ)
}

/// `x in r` for an exact int or bool (`range_contains_long`).
fn contains_long(r: &Obj, x: &Obj) -> bool {
    if is_big(r) {
        return big_contains(r, x).unwrap_or(false);
    }
    let (start, stop, step, _) = parts(r);
    let Some(v) = long::to_i128(x) else { return false };
    let (start, stop, step) = (start as i128, stop as i128, step as i128);
    let inside = if step > 0 { start <= v && v < stop } else { stop < v && v <= start };
    inside && (v - start) % step == 0
}

fn is_int_exactly(o: &Obj) -> bool {
    o.is_exact(&long::PyLong_Type) || o.is_exact(&crate::objects::bool_::PyBool_Type)
}

/// `r[key]`: an int or a range.
pub fn subscript(r: &Obj, key: &Obj) -> PyResult<PyRef> {
    if is_big(r) {
        if !argparse::index_check(key) {
            return Err(raise!(OverflowError, "slicing a range beyond 64-bit bounds is not supported by Pyrite yet"));
        }
        let mut i = crate::abstract_::index(key)?;
        let [_, _, _, n] = objects(r);
        let zero = long::from_i64(0);
        if crate::abstract_::rich_compare_bool(&i, &zero, Py_LT)? {
            i = crate::number::binary_op(&i, n, crate::number::BinaryOp::Add)?;
        }
        if crate::abstract_::rich_compare_bool(&i, &zero, Py_LT)? || crate::abstract_::rich_compare_bool(&i, n, Py_GE)? {
            return Err(raise!(IndexError, "range object index out of range"));
        }
        return big_item(r, &i);
    }
    let (_, _, step, n) = parts(r);
    if argparse::index_check(key) {
        let i = crate::abstract_::index(key)?;
        let mut i = long::to_i128(&i).unwrap_or(i128::MAX);
        if i < 0 {
            i += n as i128;
        }
        if i < 0 || i >= n as i128 {
            return Err(raise!(IndexError, "range object index out of range"));
        }
        return Ok(long::from_i128(item_value(r, i)));
    }
    if slice::check(key) {
        let (a, b, s, _) = slice::long_indices(key, n as i128)?;
        return new_i128(item_value(r, a), item_value(r, b), s.saturating_mul(step as i128));
    }
    Err(raise!(TypeError, "range indices must be integers or slices, not {}", key.ob_type().name()))
}

/// A range iterator producing `len` values from `start` by `step`, of the type CPython would
/// pick (`longrange_iterator` when the values do not all fit a C long).
fn iter_new(start: i128, step: i128, len: u64, long_range: bool) -> PyRef {
    if long_range {
        return long_iter_new(long::from_i128(start), long::from_i128(step), long::from_u64(len));
    }
    // SAFETY: PyRangeIter_Type is a live static type with the RangeIterObject layout.
    unsafe {
        let op = crate::alloc::alloc_object(PyRangeIter_Type.raw(), size_of::<RangeIterObject>(), false);
        assert!(!op.is_null(), "out of memory allocating a range iterator");
        let it = op as *mut RangeIterObject;
        (*it).start = start;
        (*it).step = step;
        (*it).len = len;
        PyRef::from_raw(op)
    }
}

fn long_iter_new(start: PyRef, step: PyRef, len: PyRef) -> PyRef {
    // SAFETY: PyLongRangeIter_Type is a live static type with this layout.
    unsafe {
        let op = crate::alloc::alloc_object(PyLongRangeIter_Type.raw(), size_of::<LongRangeIterObject>(), false);
        assert!(!op.is_null(), "out of memory allocating a range iterator");
        let it = op as *mut LongRangeIterObject;
        (*it).start = start.into_raw();
        (*it).step = step.into_raw();
        (*it).len = len.into_raw();
        PyRef::from_raw(op)
    }
}

/// `iter(r)`: CPython's `range_iter` overflow checks decide the iterator type.
pub fn iter(r: &Obj) -> PyRef {
    if is_big(r) {
        let [start, _, step, n] = objects(r);
        return long_iter_new(start.new_ref(), step.new_ref(), n.new_ref());
    }
    let (start, stop, step, n) = parts(r);
    let long_range = n > i64::MAX as u64
        || (n > 0 && if step > 0 { stop > i64::MAX - (step - 1) } else { stop < i64::MIN + (-1 - step) });
    iter_new(start as i128, step as i128, n, long_range)
}

/// `reversed(r)` (`range_reverse`).
pub fn reversed(r: &Obj) -> PyResult<PyRef> {
    if is_big(r) {
        let [_, _, step, n] = objects(r);
        let one = long::from_i64(1);
        let last = crate::number::binary_op(n, &one, crate::number::BinaryOp::Sub)?;
        let first = if long::to_i64(n) == Some(0) { objects(r)[0].new_ref() } else { big_item(r, &last)? };
        let neg = crate::number::unary_op(step, crate::number::UnaryOp::Neg)?;
        return Ok(long_iter_new(first, neg, n.new_ref()));
    }
    let (start, _, step, n) = parts(r);
    let long_range = step == i64::MIN
        || if step > 0 { (start as i128) - (i64::MIN as i128) < step as i128 } else { (i64::MAX as i128) - (start as i128) < -(step as i128) }
        || n > i64::MAX as u64;
    let first = start as i128 + (n as i128 - 1) * step as i128;
    Ok(iter_new(if n == 0 { start as i128 } else { first }, -(step as i128), n, long_range))
}

// ---- slots ----------------------------------------------------------------------------------

unsafe extern "C" fn range_dealloc(o: *mut PyObject) {
    // SAFETY: a dead range.
    unsafe {
        let r = o as *mut RangeObject;
        for p in [(*r).start, (*r).stop, (*r).step, (*r).length] {
            crate::object::xdecref(p);
        }
        crate::alloc::free_object(o);
    }
}

unsafe extern "C" fn range_new(_ty: *mut PyTypeObject, args: *mut PyObject, kwds: *mut PyObject) -> *mut PyObject {
    // SAFETY: tp_new contract.
    let (args, kwds) = unsafe { (tuple::items(arg(args)), opt_arg(kwds)) };
    let r = (|| {
        argparse::no_kw_dict("range", kwds)?;
        check_positional("range", args.len(), 1, 3)?;
        let (start, stop, step) = match args {
            [stop] => (long::from_i64(0), crate::abstract_::index(stop)?, long::from_i64(1)),
            [start, stop] => (crate::abstract_::index(start)?, crate::abstract_::index(stop)?, long::from_i64(1)),
            [start, stop, step] => {
                let (a, b) = (crate::abstract_::index(start)?, crate::abstract_::index(stop)?);
                let c = crate::abstract_::index(step)?;
                if long::to_i64(&c) == Some(0) {
                    return Err(raise!(ValueError, "range() arg 3 must not be zero"));
                }
                (a, b, c)
            }
            _ => unreachable!(),
        };
        make(start, stop, step)
    })();
    ret_obj(r)
}

unsafe extern "C" fn range_repr(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: live range.
    let r = unsafe { arg(o) };
    let [start, stop, step, _] = objects(r);
    ret_obj((|| {
        let text = |v: &Obj| long::to_decimal_string(v);
        let s = if long::to_i64(step) == Some(1) {
            format!("range({}, {})", text(start)?, text(stop)?)
        } else {
            format!("range({}, {}, {})", text(start)?, text(stop)?, text(step)?)
        };
        Ok(unicode::new(&s))
    })())
}

/// `hash((len, start, step))`, with `None` for the parts that do not matter (empty and
/// one-element ranges), so that equal ranges hash equal.
unsafe extern "C" fn range_hash(o: *mut PyObject) -> Py_hash_t {
    // SAFETY: live range.
    let r = unsafe { arg(o) };
    let [start, _, step, n] = objects(r);
    let none = none::none();
    let t = match long::to_i64(n) {
        Some(0) => tuple::new_from(&[n, &none, &none]),
        Some(1) => tuple::new_from(&[n, start, &none]),
        _ => tuple::new_from(&[n, start, step]),
    };
    crate::slot::ret_ssize(crate::abstract_::hash(&t))
}

/// Ranges are equal when they produce the same values.
pub fn equal(a: &Obj, b: &Obj) -> bool {
    if a.is(b) {
        return true;
    }
    if is_big(a) || is_big(b) {
        let ([sa, _, pa, na], [sb, _, pb, nb]) = (objects(a), objects(b));
        let eq = |x: &Obj, y: &Obj| crate::abstract_::rich_compare_bool(x, y, Py_EQ).unwrap_or(false);
        let n = long::to_i64(na);
        return eq(na, nb) && (n == Some(0) || (eq(sa, sb) && (n == Some(1) || eq(pa, pb))));
    }
    let (sa, _, pa, na) = parts(a);
    let (sb, _, pb, nb) = parts(b);
    na == nb && (na == 0 || (sa == sb && (na == 1 || pa == pb)))
}

unsafe extern "C" fn range_richcompare(a: *mut PyObject, b: *mut PyObject, op: c_int) -> *mut PyObject {
    // SAFETY: live arguments.
    let (a, b) = unsafe { (arg(a), arg(b)) };
    if !check(b) || (op != Py_EQ && op != Py_NE) {
        return none::not_implemented().into_raw();
    }
    let eq = equal(a, b);
    bool_::new(if op == Py_EQ { eq } else { !eq }).into_raw()
}

unsafe extern "C" fn range_bool(o: *mut PyObject) -> c_int {
    // SAFETY: live range.
    (long::to_i64(objects(unsafe { arg(o) })[3]) != Some(0)) as c_int
}

unsafe extern "C" fn range_length(o: *mut PyObject) -> Py_ssize_t {
    // SAFETY: live range.
    let r = unsafe { arg(o) };
    let n = if is_big(r) { long::to_i64(objects(r)[3]).map_or(u64::MAX, |n| n as u64) } else { parts(r).3 };
    if n > isize::MAX as u64 {
        return crate::slot::ret_ssize(Err(raise!(OverflowError, "Python int too large to convert to C ssize_t")));
    }
    n as Py_ssize_t
}

unsafe extern "C" fn range_item(o: *mut PyObject, i: Py_ssize_t) -> *mut PyObject {
    // SAFETY: live range.
    let r = unsafe { arg(o) };
    if is_big(r) {
        return ret_obj(subscript(r, &long::from_i64(i as i64)));
    }
    if i < 0 || i as u64 >= parts(r).3 {
        return ret_obj(Err(raise!(IndexError, "range object index out of range")));
    }
    long::from_i128(item_value(r, i as i128)).into_raw()
}

unsafe extern "C" fn range_subscript(o: *mut PyObject, key: *mut PyObject) -> *mut PyObject {
    // SAFETY: live arguments.
    ret_obj(subscript(unsafe { arg(o) }, unsafe { arg(key) }))
}

/// `x in r`: arithmetic for ints and bools, else a search by iteration.
pub fn contains(r: &Obj, x: &Obj) -> PyResult<bool> {
    if is_int_exactly(x) {
        return Ok(contains_long(r, x));
    }
    let it = iter(r);
    while let Some(v) = iterobject::next(&it)? {
        if crate::abstract_::rich_compare_bool(&v, x, Py_EQ)? {
            return Ok(true);
        }
    }
    Ok(false)
}

unsafe extern "C" fn range_contains(o: *mut PyObject, x: *mut PyObject) -> c_int {
    // SAFETY: live arguments.
    ret_int(contains(unsafe { arg(o) }, unsafe { arg(x) }).map(c_int::from))
}

unsafe extern "C" fn range_iter(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: live range.
    iter(unsafe { arg(o) }).into_raw()
}

// ---- methods --------------------------------------------------------------------------------

fn m_reversed(r: &Obj) -> PyResult<PyRef> {
    reversed(r)
}

fn m_reduce(r: &Obj) -> PyResult<PyRef> {
    // SAFETY: a range's fields are always set.
    let (a, b, c) = unsafe { (arg((*raw(r)).start), arg((*raw(r)).stop), arg((*raw(r)).step)) };
    let ty: &Obj = r.ob_type();
    Ok(tuple::new_from(&[ty, &tuple::new_from(&[a, b, c])]))
}

fn m_count(r: &Obj, x: &Obj) -> PyResult<PyRef> {
    if is_int_exactly(x) {
        return Ok(long::from_i64(contains_long(r, x) as i64));
    }
    let it = iter(r);
    let mut n = 0;
    while let Some(v) = iterobject::next(&it)? {
        if crate::abstract_::rich_compare_bool(&v, x, Py_EQ)? {
            n += 1;
        }
    }
    Ok(long::from_i64(n))
}

fn m_index(r: &Obj, x: &Obj) -> PyResult<PyRef> {
    if is_int_exactly(x) && is_big(r) {
        if big_contains(r, x)? {
            let [start, _, step, _] = objects(r);
            let d = crate::number::binary_op(x, start, crate::number::BinaryOp::Sub)?;
            return crate::number::binary_op(&d, step, crate::number::BinaryOp::FloorDiv);
        }
        return Err(raise!(ValueError, "range.index(x): x not in range"));
    }
    if is_int_exactly(x) {
        if contains_long(r, x) {
            let (start, _, step, _) = parts(r);
            let v = long::to_i128(x).expect("contained values fit");
            return Ok(long::from_i128((v - start as i128) / step as i128));
        }
        return Err(raise!(ValueError, "range.index(x): x not in range"));
    }
    let it = iter(r);
    let mut i = 0i64;
    while let Some(v) = iterobject::next(&it)? {
        if crate::abstract_::rich_compare_bool(&v, x, Py_EQ)? {
            return Ok(long::from_i64(i));
        }
        i += 1;
    }
    Err(raise!(ValueError, "sequence.index(x): x not in sequence"))
}

// ---- iterators ------------------------------------------------------------------------------

/// Whether `o` is exactly a `range_iterator`.
#[inline(always)]
pub fn iter_check(o: &Obj) -> bool {
    o.is_exact(&PyRangeIter_Type)
}

/// The next value of a range iterator (caller checked the type), None when exhausted.
#[inline(always)]
pub fn iter_next_value(o: &Obj) -> Option<i128> {
    let it = o.as_ptr() as *mut RangeIterObject;
    // SAFETY: o is a live range iterator.
    unsafe {
        if (*it).len == 0 {
            return None;
        }
        let v = (*it).start;
        (*it).start += (*it).step;
        (*it).len -= 1;
        Some(v)
    }
}

unsafe extern "C" fn rangeiter_next(o: *mut PyObject) -> *mut PyObject {
    let it = o as *mut RangeIterObject;
    // SAFETY: live range iterator.
    unsafe {
        if (*it).len == 0 {
            return core::ptr::null_mut();
        }
        let v = (*it).start;
        (*it).start += (*it).step;
        (*it).len -= 1;
        long::from_i128(v).into_raw()
    }
}

fn rangeiter_length_hint(o: &Obj) -> PyResult<PyRef> {
    // SAFETY: o is a range iterator.
    Ok(long::from_u64(unsafe { (*(o.as_ptr() as *mut RangeIterObject)).len }))
}

unsafe extern "C" fn longrangeiter_next(o: *mut PyObject) -> *mut PyObject {
    use crate::number::{binary_op, BinaryOp};
    let it = o as *mut LongRangeIterObject;
    // SAFETY: a live long range iterator owns its three ints.
    unsafe {
        let (start, step, len) = (arg((*it).start), arg((*it).step), arg((*it).len));
        if long::to_i64(len) == Some(0) {
            return core::ptr::null_mut();
        }
        let r = (|| {
            let next = binary_op(start, step, BinaryOp::Add)?;
            let rest = binary_op(len, &long::from_i64(1), BinaryOp::Sub)?;
            Ok((next, rest))
        })();
        match r {
            Ok((next, rest)) => {
                let v = core::mem::replace(&mut (*it).start, next.into_raw());
                crate::object::xdecref((*it).len);
                (*it).len = rest.into_raw();
                v
            }
            Err(e) => ret_obj(Err(e)),
        }
    }
}

fn longrangeiter_length_hint(o: &Obj) -> PyResult<PyRef> {
    // SAFETY: o is a live long range iterator.
    Ok(unsafe { arg((*(o.as_ptr() as *mut LongRangeIterObject)).len) }.new_ref())
}

unsafe extern "C" fn longrangeiter_dealloc(o: *mut PyObject) {
    // SAFETY: a dead long range iterator releases its ints.
    unsafe {
        let it = o as *mut LongRangeIterObject;
        for p in [(*it).start, (*it).step, (*it).len] {
            crate::object::xdecref(p);
        }
        crate::alloc::free_object(o);
    }
}
