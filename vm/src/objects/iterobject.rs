//! The iteration protocol (`iter()`, `next()`, `PyIter_*`) and the generic iterators of
//! `Objects/iterobject.c`: `iterator` (the sequence protocol: `__getitem__` from 0 until
//! `IndexError`) and `callable_iterator` (`iter(callable, sentinel)`).
//!
//! Container iterators live with their containers (`list_iterator` in `list.rs`, ...), as in
//! CPython; most share the `IndexIter` layout and helpers defined here. Built-in iterators
//! signal exhaustion by returning NULL *without* setting `StopIteration`, so `next` never
//! creates an exception object on the hot path.

use core::ffi::c_int;
use core::mem::size_of;

use pyrite_abi::*;

use crate::err::{PyErr, PyResult};
use crate::object::{Obj, PyRef};
use crate::objects::type_::{TypeObj, BUILTIN_FLAGS};
use crate::objects::{dict, exceptions as exc, list, long, none, tuple};
use crate::slot::{arg, from_new, ret_obj};
use crate::{method_table, static_type};

// ---- the protocol ---------------------------------------------------------------------------

/// `PyIter_Check`: whether `o`'s type has `tp_iternext`.
pub fn is_iterator(o: &Obj) -> bool {
    o.ob_type().slots().tp_iternext.is_some()
}

/// `PySequence_Check`: a type with `sq_item` that is not a dict.
pub fn is_sequence(o: &Obj) -> bool {
    if dict::check(o) {
        return false;
    }
    // SAFETY: reading the slot table of a live type.
    unsafe { o.ob_type().slots().tp_as_sequence.as_ref() }.is_some_and(|sq| sq.sq_item.is_some())
}

/// `iter(o)` (`PyObject_GetIter`): `tp_iter`, else the sequence protocol through an
/// `iterator` object.
pub fn get_iter(o: &Obj) -> PyResult<PyRef> {
    let ty = o.ob_type();
    if let Some(f) = ty.slots().tp_iter {
        // SAFETY: slot call with a live argument.
        let it = unsafe { from_new(f(o.as_ptr())) }?;
        if !is_iterator(&it) {
            return Err(raise!(TypeError, "iter() returned non-iterator of type '{}'", it.ob_type().name()));
        }
        return Ok(it);
    }
    if is_sequence(o) {
        return Ok(seq_iter_new(o));
    }
    Err(raise!(TypeError, "'{}' object is not iterable", ty.name()))
}

/// `next(it)` without a default: `Ok(None)` once exhausted (a `StopIteration` raised by a
/// Python-level `__next__` is swallowed; built-in iterators never create one).
pub fn next(it: &Obj) -> PyResult<Option<PyRef>> {
    let Some(f) = it.ob_type().slots().tp_iternext else {
        return Err(raise!(TypeError, "'{}' object is not an iterator", it.ob_type().name()));
    };
    // SAFETY: slot call with a live argument.
    let r = unsafe { f(it.as_ptr()) };
    if !r.is_null() {
        // SAFETY: tp_iternext returns a new reference.
        return Ok(Some(unsafe { PyRef::from_raw(r) }));
    }
    match PyErr::take() {
        None => Ok(None),
        Some(e) if e.is_instance(exc::StopIteration()) => Ok(None),
        Some(e) => Err(e),
    }
}

/// The items `list(o)` would hold.
pub fn collect(o: &Obj) -> PyResult<Vec<PyRef>> {
    if o.is_exact(&list::PyList_Type) {
        return Ok(list::to_vec(o));
    }
    if o.is_exact(&tuple::PyTuple_Type) {
        return Ok(tuple::items(o).iter().map(|v| v.new_ref()).collect());
    }
    let it = get_iter(o)?;
    let mut out = Vec::with_capacity(length_hint(o, 0).unwrap_or(0).min(1 << 20));
    while let Some(v) = next(&it)? {
        out.push(v);
    }
    Ok(out)
}

/// `PySequence_Fast` as owned items: a list's or tuple's items, else the items of an iterable;
/// a `TypeError` from `iter()` becomes `TypeError(msg)`.
pub fn fast_items(o: &Obj, msg: &str) -> PyResult<Vec<PyRef>> {
    if list::check(o) {
        return Ok(list::to_vec(o));
    }
    if tuple::check(o) {
        return Ok(tuple::items(o).iter().map(|v| v.new_ref()).collect());
    }
    match get_iter(o) {
        Ok(it) => {
            let mut out = Vec::new();
            while let Some(v) = next(&it)? {
                out.push(v);
            }
            Ok(out)
        }
        Err(e) if e.is_instance(exc::TypeError()) => Err(PyErr::new(exc::TypeError(), msg)),
        Err(e) => Err(e),
    }
}

/// `v in o` (`PySequence_Contains`): `sq_contains`, else a search by iteration
/// (`_PySequence_IterSearch`).
pub fn contains(o: &Obj, v: &Obj) -> PyResult<bool> {
    // SAFETY: reading a slot table of a live type.
    if let Some(f) = unsafe { o.ob_type().slots().tp_as_sequence.as_ref() }.and_then(|sq| sq.sq_contains) {
        // SAFETY: slot call with live arguments.
        return crate::slot::from_status(unsafe { f(o.as_ptr(), v.as_ptr()) }).map(|r| r != 0);
    }
    let it = match get_iter(o) {
        Ok(it) => it,
        Err(e) if e.is_instance(exc::TypeError()) => {
            return Err(raise!(TypeError, "argument of type '{}' is not a container or iterable", o.ob_type().name()));
        }
        Err(e) => return Err(e),
    };
    while let Some(x) = next(&it)? {
        if crate::abstract_::rich_compare_bool(&x, v, Py_EQ)? {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Calls `f` on each item of `o` in turn (without collecting them first).
pub fn for_each(o: &Obj, mut f: impl FnMut(PyRef) -> PyResult<()>) -> PyResult<()> {
    let it = get_iter(o)?;
    while let Some(v) = next(&it)? {
        f(v)?;
    }
    Ok(())
}

/// `PyObject_LengthHint`: `len(o)` if it has one, else `__length_hint__()`, else `default`.
pub fn length_hint(o: &Obj, default: usize) -> PyResult<usize> {
    let s = o.ob_type().slots();
    // SAFETY: reading slot tables of a live type.
    let has_len = unsafe {
        s.tp_as_sequence.as_ref().is_some_and(|sq| sq.sq_length.is_some())
            || s.tp_as_mapping.as_ref().is_some_and(|m| m.mp_length.is_some())
    };
    if has_len {
        match crate::abstract_::len(o) {
            Ok(n) => return Ok(n),
            Err(e) if e.is_instance(exc::TypeError()) => {}
            Err(e) => return Err(e),
        }
    }
    let Some(hint) = crate::objects::argparse::lookup_special(o, "__length_hint__")? else { return Ok(default) };
    let r = match crate::abstract_::call_no_args(&hint) {
        Ok(r) => r,
        Err(e) if e.is_instance(exc::TypeError()) => return Ok(default),
        Err(e) => return Err(e),
    };
    if r.is(none::not_implemented_obj()) {
        return Ok(default);
    }
    if !long::check(&r) {
        return Err(raise!(TypeError, "__length_hint__ must be an integer, not {}", r.ob_type().name()));
    }
    match long::to_i64(&r) {
        Some(n) if n >= 0 => Ok(n as usize),
        Some(_) => Err(raise!(ValueError, "__length_hint__() should return >= 0")),
        None if long::is_negative(&r) => Err(raise!(ValueError, "__length_hint__() should return >= 0")),
        None => Err(raise!(OverflowError, "cannot fit 'int' into an index-sized integer")),
    }
}

/// `PyIter_Send`'s outcomes (`PySendResult`).
pub enum Send {
    /// The iterator produced a value (`PYGEN_NEXT`).
    Next(PyRef),
    /// The iterator finished with this return value (`PYGEN_RETURN`).
    Return(PyRef),
}

/// `PyIter_Send`: `am_send`, else `next()` for `None`, else `.send(arg)`.
pub fn send(it: &Obj, value: &Obj) -> PyResult<Send> {
    let s = it.ob_type().slots();
    // SAFETY: reading a slot table of a live type.
    if let Some(f) = unsafe { s.tp_as_async.as_ref() }.and_then(|a| a.am_send) {
        let mut result: *mut PyObject = core::ptr::null_mut();
        // SAFETY: slot call with live arguments; `result` receives a new reference.
        let r = unsafe { f(it.as_ptr(), value.as_ptr(), &mut result) };
        return match r {
            1 => Ok(Send::Next(unsafe { PyRef::from_raw(result) })),
            0 => Ok(Send::Return(unsafe { PyRef::from_raw(result) })),
            _ => Err(PyErr::fetch()),
        };
    }
    let r = if value.is(none::none_obj()) && is_iterator(it) {
        // SAFETY: slot call with a live argument.
        let p = unsafe { (s.tp_iternext.unwrap())(it.as_ptr()) };
        // SAFETY: NULL or a new reference.
        unsafe { PyRef::from_raw_opt(p) }.ok_or_else(PyErr::take)
    } else {
        crate::abstract_::call_method(it, "send", &[value]).map_err(Some)
    };
    match r {
        Ok(v) => Ok(Send::Next(v)),
        Err(None) => Ok(Send::Return(none::none())),
        Err(Some(e)) if e.is_instance(exc::StopIteration()) => {
            let a = exc::args(e.value());
            Ok(Send::Return(if tuple::len(a) > 0 { tuple::get(a, 0).new_ref() } else { none::none() }))
        }
        Err(Some(e)) => Err(e),
    }
}

/// `PyObject_GetAIter`: `am_aiter`, checked to return an async iterator (what `aiter()` does,
/// with the same messages).
pub fn get_aiter(o: &Obj) -> PyResult<PyRef> {
    crate::objects::genobject::aiter(o)
}

// ---- the shared layout of index-based iterators ---------------------------------------------

/// `{index, seq}`: the layout of `list_iterator`, `tuple_iterator`, `str_iterator`,
/// `bytes_iterator`, `bytearray_iterator` and `iterator` (CPython's `seqiterobject` and its
/// siblings). `seq` is NULL once the iterator is exhausted.
#[repr(C)]
pub struct IndexIter {
    pub ob_base: PyObject,
    pub index: isize,
    pub seq: *mut PyObject,
}

/// A new index iterator of type `ty` over `seq`, starting at `index`.
pub fn index_iter_new(ty: &TypeObj, seq: &Obj, index: isize) -> PyRef {
    // SAFETY: ty is a live static type with the IndexIter layout.
    unsafe {
        let op = crate::alloc::alloc_object(ty.raw(), size_of::<IndexIter>(), true);
        assert!(!op.is_null(), "out of memory allocating an iterator");
        let it = op as *mut IndexIter;
        (*it).index = index;
        (*it).seq = seq.new_ref().into_raw();
        PyRef::from_raw(op)
    }
}

/// The iterator's state: its position and (if not exhausted) its sequence.
pub fn index_iter_state(it: &Obj) -> (isize, Option<&Obj>) {
    // SAFETY: `it` has the IndexIter layout.
    unsafe {
        let p = it.as_ptr() as *mut IndexIter;
        ((*p).index, crate::slot::opt_arg((*p).seq))
    }
}

pub fn index_iter_set_index(it: &Obj, i: isize) {
    // SAFETY: `it` has the IndexIter layout.
    unsafe { (*(it.as_ptr() as *mut IndexIter)).index = i };
}

/// Marks the iterator exhausted, dropping its sequence.
pub fn index_iter_exhaust(it: &Obj) {
    // SAFETY: `it` has the IndexIter layout; the field holds NULL or an owned reference.
    unsafe {
        let p = it.as_ptr() as *mut IndexIter;
        let old = core::mem::replace(&mut (*p).seq, core::ptr::null_mut());
        crate::object::xdecref(old);
    }
}

pub unsafe extern "C" fn index_iter_dealloc(o: *mut PyObject) {
    // SAFETY: a dead index iterator.
    unsafe {
        crate::object::xdecref((*(o as *mut IndexIter)).seq);
        crate::alloc::gc_del(o as *mut _);
    }
}

pub unsafe extern "C" fn index_iter_traverse(o: *mut PyObject, visit: visitproc, a: *mut core::ffi::c_void) -> c_int {
    // SAFETY: live iterator.
    unsafe {
        let seq = (*(o as *mut IndexIter)).seq;
        match visit {
            Some(v) if !seq.is_null() => v(seq, a),
            _ => 0,
        }
    }
}

/// `PyObject_SelfIter`: the `tp_iter` of iterators.
pub unsafe extern "C" fn self_iter(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: live argument.
    unsafe { arg(o) }.new_ref().into_raw()
}

/// The common `__length_hint__` of forward index iterators over a sized sequence.
pub fn forward_length_hint(it: &Obj, len: impl Fn(&Obj) -> usize) -> PyResult<PyRef> {
    let (i, seq) = index_iter_state(it);
    let n = match seq {
        Some(s) => (len(s) as isize - i).max(0),
        None => 0,
    };
    Ok(long::from_i64(n as i64))
}

// ---- `iterator`: the sequence protocol ------------------------------------------------------

static_type!(PySeqIter_Type, c"iterator", size_of::<IndexIter>(), {
    tp_flags: BUILTIN_FLAGS | Py_TPFLAGS_HAVE_GC,
    tp_dealloc: Some(index_iter_dealloc),
    tp_traverse: Some(index_iter_traverse),
    tp_iter: Some(self_iter),
    tp_iternext: Some(seqiter_next),
    tp_methods: SEQITER_METHODS.0.get() as *mut PyMethodDef,
    tp_free: Some(crate::alloc::gc_del),
});

method_table!(static SEQITER_METHODS = [
    noargs c"__length_hint__" => seqiter_length_hint,
]);

/// `PySeqIter_New`.
pub fn seq_iter_new(seq: &Obj) -> PyRef {
    index_iter_new(&PySeqIter_Type, seq, 0)
}

unsafe extern "C" fn seqiter_next(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: live iterator.
    let it = unsafe { arg(o) };
    let (i, Some(seq)) = index_iter_state(it) else { return core::ptr::null_mut() };
    let seq = seq.new_ref();
    if i == isize::MAX {
        return ret_obj(Err(raise!(OverflowError, "iter index too large")));
    }
    match crate::abstract_::getitem(&seq, &long::from_i64(i as i64)) {
        Ok(v) => {
            index_iter_set_index(it, i + 1);
            v.into_raw()
        }
        Err(e) if e.is_instance(exc::IndexError()) || e.is_instance(exc::StopIteration()) => {
            index_iter_exhaust(it);
            core::ptr::null_mut()
        }
        Err(e) => ret_obj(Err(e)),
    }
}

fn seqiter_length_hint(it: &Obj) -> PyResult<PyRef> {
    let (i, seq) = index_iter_state(it);
    let Some(seq) = seq else { return Ok(long::from_i64(0)) };
    // SAFETY: reading a slot table of a live type.
    let has_len = unsafe { seq.ob_type().slots().tp_as_sequence.as_ref() }.is_some_and(|sq| sq.sq_length.is_some());
    if !has_len {
        return Ok(none::not_implemented());
    }
    let n = crate::abstract_::len(seq)? as isize;
    Ok(long::from_i64((n - i).max(0) as i64))
}

// ---- `callable_iterator` --------------------------------------------------------------------

/// CPython's `calliterobject`.
#[repr(C)]
pub struct CallIter {
    pub ob_base: PyObject,
    pub callable: *mut PyObject,
    pub sentinel: *mut PyObject,
}

static_type!(PyCallIter_Type, c"callable_iterator", size_of::<CallIter>(), {
    tp_flags: BUILTIN_FLAGS | Py_TPFLAGS_HAVE_GC,
    tp_dealloc: Some(calliter_dealloc),
    tp_traverse: Some(calliter_traverse),
    tp_iter: Some(self_iter),
    tp_iternext: Some(calliter_next),
    tp_free: Some(crate::alloc::gc_del),
});

/// `PyCallIter_New`: `iter(callable, sentinel)`.
pub fn call_iter_new(callable: &Obj, sentinel: &Obj) -> PyRef {
    // SAFETY: PyCallIter_Type is a live static type.
    unsafe {
        let op = crate::alloc::alloc_object(PyCallIter_Type.raw(), size_of::<CallIter>(), true);
        assert!(!op.is_null(), "out of memory allocating an iterator");
        let it = op as *mut CallIter;
        (*it).callable = callable.new_ref().into_raw();
        (*it).sentinel = sentinel.new_ref().into_raw();
        PyRef::from_raw(op)
    }
}

fn calliter_clear(o: *mut PyObject) {
    // SAFETY: live callable iterator; the fields hold NULL or owned references.
    unsafe {
        let it = o as *mut CallIter;
        let (c, s) = (core::mem::replace(&mut (*it).callable, core::ptr::null_mut()), core::mem::replace(&mut (*it).sentinel, core::ptr::null_mut()));
        crate::object::xdecref(c);
        crate::object::xdecref(s);
    }
}

unsafe extern "C" fn calliter_dealloc(o: *mut PyObject) {
    calliter_clear(o);
    // SAFETY: a dead iterator.
    unsafe { crate::alloc::gc_del(o as *mut _) };
}

unsafe extern "C" fn calliter_traverse(o: *mut PyObject, visit: visitproc, a: *mut core::ffi::c_void) -> c_int {
    // SAFETY: live iterator.
    unsafe {
        let Some(visit) = visit else { return 0 };
        let it = o as *mut CallIter;
        for p in [(*it).callable, (*it).sentinel] {
            if !p.is_null() {
                let r = visit(p, a);
                if r != 0 {
                    return r;
                }
            }
        }
    }
    0
}

unsafe extern "C" fn calliter_next(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: live iterator.
    let (callable, sentinel) = unsafe {
        let it = o as *mut CallIter;
        match (crate::slot::opt_arg((*it).callable), crate::slot::opt_arg((*it).sentinel)) {
            (Some(c), Some(s)) => (c.new_ref(), s.new_ref()),
            _ => return core::ptr::null_mut(),
        }
    };
    match crate::abstract_::call_no_args(&callable) {
        Ok(v) => match crate::abstract_::rich_compare_bool(&v, &sentinel, Py_EQ) {
            Ok(true) => {
                calliter_clear(o);
                core::ptr::null_mut()
            }
            Ok(false) => v.into_raw(),
            Err(e) => ret_obj(Err(e)),
        },
        Err(e) if e.is_instance(exc::StopIteration()) => {
            calliter_clear(o);
            core::ptr::null_mut()
        }
        Err(e) => ret_obj(Err(e)),
    }
}

pub fn types() -> [&'static TypeObj; 2] {
    [&PySeqIter_Type, &PyCallIter_Type]
}
