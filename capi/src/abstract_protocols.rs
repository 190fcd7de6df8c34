//! `abstract.h`, continued: the rest of the sequence and mapping protocols, `PyObject_Format`,
//! `PyObject_Bytes`, `PyObject_Dir`, `PyObject_AsFileDescriptor`, `PyAIter_Check`, and the
//! legacy buffer functions (`PyObject_AsReadBuffer`, ...).
//!
//! The dispatch follows CPython's `Objects/abstract.c`: the sequence slots first, then the
//! number or mapping slots that Python classes fill, with CPython's messages.

use core::ffi::{c_char, c_int, c_void};
use core::ptr::null_mut;

use pyrite_abi::*;
use pyrite_vm::number::{self, BinaryOp};
use pyrite_vm::objects::exceptions as exc;
use pyrite_vm::objects::{bytes, dict, iterobject, list, long, slice, tuple, unicode};
use pyrite_vm::{abstract_, raise, Obj, PyErr, PyRef, PyResult};

use crate::boundary::{cstr, obj, obj_nn};
use crate::capi;

/// A key given as a C string, NULL being `null_error()` as in `Objects/abstract.c`.
unsafe fn cstr_nn<'a>(p: *const c_char) -> PyResult<&'a str> {
    if p.is_null() {
        return Err(crate::boundary::null_error());
    }
    // SAFETY: guaranteed by the caller.
    unsafe { cstr(p) }
}

fn seq_methods(o: &Obj) -> Option<&PySequenceMethods> {
    // SAFETY: tp_as_sequence is NULL or a table that lives as long as the type.
    unsafe { o.ob_type().slots().tp_as_sequence.as_ref() }
}

fn map_methods(o: &Obj) -> Option<&PyMappingMethods> {
    // SAFETY: tp_as_mapping is NULL or a table that lives as long as the type.
    unsafe { o.ob_type().slots().tp_as_mapping.as_ref() }
}

/// `PySequence_Check`: has `sq_item` and is not a dict.
fn is_sequence(o: &Obj) -> bool {
    !dict::check(o) && seq_methods(o).is_some_and(|s| s.sq_item.is_some())
}

fn from_new(p: *mut PyObject) -> PyResult<PyRef> {
    // SAFETY: a slot's result: a new reference or NULL with an exception set.
    unsafe { pyrite_vm::slot::from_new(p) }
}

/// A negative index made relative to `sq_length` (when the type has one), as CPython's
/// `PySequence_GetItem`/`SetItem`/`DelItem` do.
fn adjust_index(o: &Obj, i: Py_ssize_t) -> PyResult<Py_ssize_t> {
    if i >= 0 {
        return Ok(i);
    }
    match seq_methods(o).and_then(|s| s.sq_length) {
        Some(len) => {
            // SAFETY: slot call with a live object.
            let n = unsafe { len(o.as_ptr()) };
            if n < 0 {
                return Err(PyErr::fetch());
            }
            Ok(i + n)
        }
        None => Ok(i),
    }
}

fn slice_of(i1: Py_ssize_t, i2: Py_ssize_t) -> PyRef {
    slice::new(Some(&long::from_i64(i1 as i64)), Some(&long::from_i64(i2 as i64)), None)
}

/// `_PySequence_IterSearch`.
enum Search {
    Count,
    Index,
    Contains,
}

fn iter_search(seq: &Obj, item: &Obj, op: Search) -> PyResult<Py_ssize_t> {
    let it = iterobject::get_iter(seq).map_err(|e| {
        if e.is_instance(exc::TypeError()) {
            raise!(TypeError, "argument of type '{}' is not iterable", seq.ob_type().name())
        } else {
            e
        }
    })?;
    let mut n: Py_ssize_t = 0;
    while let Some(x) = iterobject::next(&it)? {
        if abstract_::rich_compare_bool(&x, item, Py_EQ)? {
            match op {
                Search::Count => n += 1,
                Search::Index => return Ok(n),
                Search::Contains => return Ok(1),
            }
        } else if let Search::Index = op {
            n += 1;
        }
    }
    match op {
        Search::Count => Ok(n),
        Search::Index => Err(raise!(ValueError, "sequence.index(x): x not in sequence")),
        Search::Contains => Ok(0),
    }
}

/// `PyMapping_GetOptionalItem`: `Ok(None)` when the key is missing (KeyError swallowed).
fn get_optional_item(o: &Obj, key: &Obj) -> PyResult<Option<PyRef>> {
    if o.is_exact(&dict::PyDict_Type) {
        return dict::get_item(o, key);
    }
    match abstract_::getitem(o, key) {
        Ok(v) => Ok(Some(v)),
        Err(e) if e.is_instance(exc::KeyError()) => Ok(None),
        Err(e) => Err(e),
    }
}

/// `method_output_as_list`: `o.<name>()` as a list.
fn method_output_as_list(o: &Obj, name: &str) -> PyResult<PyRef> {
    let out = abstract_::call_method(o, name, &[])?;
    let it = iterobject::get_iter(&out).map_err(|e| {
        if e.is_instance(exc::TypeError()) {
            raise!(TypeError, "{}.{}() returned a non-iterable (type {})", o.ob_type().name(), name, out.ob_type().name())
        } else {
            e
        }
    })?;
    list::from_iterable(&it)
}

/// # Safety
/// `result` is writable.
unsafe fn store(result: *mut *mut PyObject, v: Option<PyRef>) -> c_int {
    let found = v.is_some() as c_int;
    // SAFETY: the caller passes a writable result pointer.
    unsafe { *result = v.map_or(null_mut(), PyRef::into_raw) };
    found
}

/// The legacy `PyObject_As*Buffer` functions: a simple buffer, released at once (the memory
/// stays valid only while the object lives and is not resized, as CPython documents).
/// # Safety
/// `o` is NULL or a live object.
unsafe fn legacy_buffer(o: *mut PyObject, writable: bool) -> PyResult<(*mut c_void, Py_ssize_t)> {
    // SAFETY: NULL or a live object, the caller's promise.
    unsafe { obj(o)? };
    let mut view = core::mem::MaybeUninit::<Py_buffer>::zeroed();
    let flags = if writable { PyBUF_WRITABLE } else { PyBUF_SIMPLE };
    // SAFETY: a live object and a zeroed view; the view is released before returning.
    unsafe {
        if crate::buffer::PyObject_GetBuffer(o, view.as_mut_ptr(), flags) != 0 {
            if writable {
                // CPython replaces whatever the exporter raised.
                PyErr::take();
                return Err(raise!(TypeError, "expected a writable bytes-like object"));
            }
            return Err(PyErr::fetch());
        }
        let v = view.assume_init_mut();
        let r = (v.buf, v.len);
        crate::buffer::PyBuffer_Release(v);
        Ok(r)
    }
}

capi! {
    fn PySequence_Concat(s: *mut PyObject, o: *mut PyObject) -> *mut PyObject [null_mut()] {
        let (s, o) = (obj(s)?, obj(o)?);
        if let Some(f) = seq_methods(s).and_then(|m| m.sq_concat) {
            return from_new(f(s.as_ptr(), o.as_ptr())).map(PyRef::into_raw);
        }
        // Classes defining `__add__` fill only `nb_add`.
        if is_sequence(s) && is_sequence(o) {
            if let Some(r) = number::binary_op_slots(s, o, BinaryOp::Add)? {
                return Ok(r.into_raw());
            }
        }
        Err(raise!(TypeError, "'{}' object can't be concatenated", s.ob_type().name()))
    }
    fn PySequence_Repeat(o: *mut PyObject, count: Py_ssize_t) -> *mut PyObject [null_mut()] {
        let o = obj(o)?;
        if let Some(f) = seq_methods(o).and_then(|m| m.sq_repeat) {
            return from_new(f(o.as_ptr(), count)).map(PyRef::into_raw);
        }
        if is_sequence(o) {
            if let Some(r) = number::binary_op_slots(o, &long::from_i64(count as i64), BinaryOp::Mul)? {
                return Ok(r.into_raw());
            }
        }
        Err(raise!(TypeError, "'{}' object can't be repeated", o.ob_type().name()))
    }
    fn PySequence_InPlaceConcat(s: *mut PyObject, o: *mut PyObject) -> *mut PyObject [null_mut()] {
        let (s, o) = (obj(s)?, obj(o)?);
        if let Some(f) = seq_methods(s).and_then(|m| m.sq_inplace_concat.or(m.sq_concat)) {
            return from_new(f(s.as_ptr(), o.as_ptr())).map(PyRef::into_raw);
        }
        if is_sequence(s) && is_sequence(o) {
            if let Some(r) = number::inplace_op_slots(s, o, BinaryOp::Add)? {
                return Ok(r.into_raw());
            }
        }
        Err(raise!(TypeError, "'{}' object can't be concatenated", s.ob_type().name()))
    }
    fn PySequence_InPlaceRepeat(o: *mut PyObject, count: Py_ssize_t) -> *mut PyObject [null_mut()] {
        let o = obj(o)?;
        if let Some(f) = seq_methods(o).and_then(|m| m.sq_inplace_repeat.or(m.sq_repeat)) {
            return from_new(f(o.as_ptr(), count)).map(PyRef::into_raw);
        }
        if is_sequence(o) {
            if let Some(r) = number::inplace_op_slots(o, &long::from_i64(count as i64), BinaryOp::Mul)? {
                return Ok(r.into_raw());
            }
        }
        Err(raise!(TypeError, "'{}' object can't be repeated", o.ob_type().name()))
    }
    fn PySequence_GetSlice(s: *mut PyObject, i1: Py_ssize_t, i2: Py_ssize_t) -> *mut PyObject [null_mut()] {
        let s = obj(s)?;
        match map_methods(s).and_then(|m| m.mp_subscript) {
            Some(f) => from_new(f(s.as_ptr(), slice_of(i1, i2).as_ptr())).map(PyRef::into_raw),
            None => Err(raise!(TypeError, "'{}' object is unsliceable", s.ob_type().name())),
        }
    }
    fn PySequence_SetItem(s: *mut PyObject, i: Py_ssize_t, o: *mut PyObject) -> c_int [-1] {
        // A NULL `o` deletes the item, as the slot does.
        let s = obj_nn(s)?;
        if let Some(f) = seq_methods(s).and_then(|m| m.sq_ass_item) {
            let i = adjust_index(s, i)?;
            return pyrite_vm::slot::from_status(f(s.as_ptr(), i, o));
        }
        if map_methods(s).is_some_and(|m| m.mp_ass_subscript.is_some()) {
            return Err(raise!(TypeError, "{} is not a sequence", s.ob_type().name()));
        }
        Err(raise!(TypeError, "'{}' object does not support item assignment", s.ob_type().name()))
    }
    fn PySequence_DelItem(s: *mut PyObject, i: Py_ssize_t) -> c_int [-1] {
        let s = obj(s)?;
        if let Some(f) = seq_methods(s).and_then(|m| m.sq_ass_item) {
            let i = adjust_index(s, i)?;
            return pyrite_vm::slot::from_status(f(s.as_ptr(), i, null_mut()));
        }
        if map_methods(s).is_some_and(|m| m.mp_ass_subscript.is_some()) {
            return Err(raise!(TypeError, "{} is not a sequence", s.ob_type().name()));
        }
        Err(raise!(TypeError, "'{}' object doesn't support item deletion", s.ob_type().name()))
    }
    fn PySequence_SetSlice(s: *mut PyObject, i1: Py_ssize_t, i2: Py_ssize_t, o: *mut PyObject) -> c_int [-1] {
        let s = obj(s)?;
        match map_methods(s).and_then(|m| m.mp_ass_subscript) {
            Some(f) => pyrite_vm::slot::from_status(f(s.as_ptr(), slice_of(i1, i2).as_ptr(), o)).map(|_| 0),
            None => Err(raise!(TypeError, "'{}' object doesn't support slice assignment", s.ob_type().name())),
        }
    }
    fn PySequence_DelSlice(s: *mut PyObject, i1: Py_ssize_t, i2: Py_ssize_t) -> c_int [-1] {
        let s = obj(s)?;
        match map_methods(s).and_then(|m| m.mp_ass_subscript) {
            Some(f) => pyrite_vm::slot::from_status(f(s.as_ptr(), slice_of(i1, i2).as_ptr(), null_mut())).map(|_| 0),
            None => Err(raise!(TypeError, "'{}' object doesn't support slice deletion", s.ob_type().name())),
        }
    }
    /// A list or tuple as is (exact types), anything else iterated into a new list; a
    /// non-iterable raises `TypeError(m)`.
    fn PySequence_Fast(v: *mut PyObject, m: *const c_char) -> *mut PyObject [null_mut()] {
        let v = obj(v)?;
        if list::check_exact(v) || tuple::check_exact(v) {
            return Ok(v.new_ref().into_raw());
        }
        let it = match iterobject::get_iter(v) {
            Ok(it) => it,
            Err(e) if e.is_instance(exc::TypeError()) => {
                let msg = if m.is_null() { String::new() } else { core::ffi::CStr::from_ptr(m).to_string_lossy().into_owned() };
                return Err(PyErr::new(exc::TypeError(), msg));
            }
            Err(e) => return Err(e),
        };
        list::from_iterable(&it).map(PyRef::into_raw)
    }
    fn PySequence_Count(s: *mut PyObject, o: *mut PyObject) -> Py_ssize_t [-1] {
        iter_search(obj(s)?, obj(o)?, Search::Count)
    }
    fn PySequence_Index(s: *mut PyObject, o: *mut PyObject) -> Py_ssize_t [-1] {
        iter_search(obj(s)?, obj(o)?, Search::Index)
    }
    /// The old name of `PySequence_Contains`.
    fn PySequence_In(s: *mut PyObject, v: *mut PyObject) -> c_int [-1] {
        let (so, vo) = (obj(s)?, obj(v)?);
        if let Some(f) = seq_methods(so).and_then(|m| m.sq_contains) {
            return pyrite_vm::slot::from_status(f(s, v));
        }
        iter_search(so, vo, Search::Contains).map(|n| n as c_int)
    }

    fn PyMapping_GetOptionalItem(o: *mut PyObject, key: *mut PyObject, result: *mut *mut PyObject) -> c_int [-1] {
        *result = null_mut();
        let v = get_optional_item(obj_nn(o)?, obj_nn(key)?)?;
        Ok(store(result, v))
    }
    fn PyMapping_GetOptionalItemString(o: *mut PyObject, key: *const c_char, result: *mut *mut PyObject) -> c_int [-1] {
        *result = null_mut();
        let o = obj_nn(o)?;
        let v = get_optional_item(o, &unicode::new(cstr_nn(key)?))?;
        Ok(store(result, v))
    }
    fn PyMapping_HasKeyWithError(o: *mut PyObject, key: *mut PyObject) -> c_int [-1] {
        Ok(get_optional_item(obj_nn(o)?, obj_nn(key)?)?.is_some() as c_int)
    }
    fn PyMapping_HasKeyStringWithError(o: *mut PyObject, key: *const c_char) -> c_int [-1] {
        let o = obj_nn(o)?;
        Ok(get_optional_item(o, &unicode::new(cstr_nn(key)?))?.is_some() as c_int)
    }
    /// Errors other than a missing key are reported as unraisable (CPython 3.13+) and
    /// answer 0.
    fn PyMapping_HasKey(o: *mut PyObject, key: *mut PyObject) -> c_int [0] {
        match obj_nn(o).and_then(|o| get_optional_item(o, obj_nn(key)?)) {
            Ok(v) => Ok(v.is_some() as c_int),
            Err(e) => {
                pyrite_vm::traceback::write_unraisable(
                    "Exception ignored in PyMapping_HasKey(); consider using PyMapping_HasKeyWithError(), PyMapping_GetOptionalItem() or PyObject_GetItem()",
                    &e,
                );
                Ok(0)
            }
        }
    }
    fn PyMapping_HasKeyString(o: *mut PyObject, key: *const c_char) -> c_int [0] {
        match obj_nn(o).and_then(|o| get_optional_item(o, &unicode::new(cstr_nn(key)?))) {
            Ok(v) => Ok(v.is_some() as c_int),
            Err(e) => {
                pyrite_vm::traceback::write_unraisable(
                    "Exception ignored in PyMapping_HasKeyString(); consider using PyMapping_HasKeyStringWithError(), PyMapping_GetOptionalItemString() or PyMapping_GetItemString()",
                    &e,
                );
                Ok(0)
            }
        }
    }
    fn PyMapping_Keys(o: *mut PyObject) -> *mut PyObject [null_mut()] {
        let o = obj(o)?;
        if o.is_exact(&dict::PyDict_Type) { return Ok(dict::keys(o).into_raw()); }
        method_output_as_list(o, "keys").map(PyRef::into_raw)
    }
    fn PyMapping_Values(o: *mut PyObject) -> *mut PyObject [null_mut()] {
        let o = obj(o)?;
        if o.is_exact(&dict::PyDict_Type) { return Ok(dict::values(o).into_raw()); }
        method_output_as_list(o, "values").map(PyRef::into_raw)
    }
    fn PyMapping_Items(o: *mut PyObject) -> *mut PyObject [null_mut()] {
        let o = obj(o)?;
        if o.is_exact(&dict::PyDict_Type) { return Ok(dict::items(o).into_raw()); }
        method_output_as_list(o, "items").map(PyRef::into_raw)
    }

    fn PyObject_Format(o: *mut PyObject, spec: *mut PyObject) -> *mut PyObject [null_mut()] {
        let o = obj(o)?;
        let spec = pyrite_vm::slot::opt_arg(spec);
        if let Some(s) = spec {
            if !unicode::check(s) {
                return Err(raise!(SystemError, "Format specifier must be a string, not {}", s.ob_type().name()));
            }
        }
        let r = pyrite_vm::builtins::format(o, spec)?;
        if !unicode::check(&r) {
            return Err(raise!(TypeError, "__format__ must return a str, not {}", r.ob_type().name()));
        }
        Ok(r.into_raw())
    }
    /// `bytes(o)` without the integer form: `__bytes__`, else the buffer or an iterable of
    /// ints. A NULL object gives `b"<NULL>"`.
    fn PyObject_Bytes(o: *mut PyObject) -> *mut PyObject [null_mut()] {
        if o.is_null() { return Ok(bytes::new(b"<NULL>").into_raw()); }
        Ok(bytes::object_bytes(obj(o)?)?.into_raw())
    }
    /// `dir(o)`, or the names of the current frame's locals for NULL.
    fn PyObject_Dir(o: *mut PyObject) -> *mut PyObject [null_mut()] {
        let o = pyrite_vm::slot::opt_arg(o);
        let args: Vec<&Obj> = o.into_iter().collect();
        pyrite_vm::builtins::dir(&args).map(PyRef::into_raw)
    }
    fn PyObject_AsFileDescriptor(o: *mut PyObject) -> c_int [-1] {
        let o = obj(o)?;
        let v = if long::check(o) {
            // As CPython 3.14+, a bool works but is probably a mistake.
            if o.is_exact(&pyrite_vm::objects::bool_::PyBool_Type) {
                pyrite_vm::stdlib::warnings::warn(None, &unicode::new("bool is used as a file descriptor"), 1, exc::RuntimeWarning())?;
            }
            o.new_ref()
        } else if let Some(f) = abstract_::lookup_attr(o, "fileno")? {
            let r = abstract_::call_no_args(&f)?;
            if !long::check(&r) {
                return Err(raise!(TypeError, "fileno() returned a non-integer"));
            }
            r
        } else {
            return Err(raise!(TypeError, "argument must be an int, or have a fileno() method."));
        };
        let fd = long::to_i64(&v)
            .filter(|&x| x >= c_int::MIN as i64 && x <= c_int::MAX as i64)
            .ok_or_else(|| raise!(OverflowError, "Python int too large to convert to C int"))?;
        if fd < 0 {
            return Err(raise!(ValueError, "file descriptor cannot be a negative integer ({})", fd));
        }
        Ok(fd as c_int)
    }
    fn PyAIter_Check(o: *mut PyObject) -> c_int [0] {
        let o = obj(o)?;
        let am = o.ob_type().slots().tp_as_async.as_ref();
        Ok(am.is_some_and(|a| a.am_anext.is_some()) as c_int)
    }

    fn PyObject_CheckReadBuffer(o: *mut PyObject) -> c_int [0] {
        if o.is_null() { return Ok(0); }
        let ob = Obj::from_ptr(o);
        let Some(get) = ob.ob_type().slots().tp_as_buffer.as_ref().and_then(|b| b.bf_getbuffer) else { return Ok(0) };
        let mut view = core::mem::MaybeUninit::<Py_buffer>::zeroed();
        if get(o, view.as_mut_ptr(), PyBUF_SIMPLE) != 0 {
            PyErr::take();
            return Ok(0);
        }
        crate::buffer::PyBuffer_Release(view.as_mut_ptr());
        Ok(1)
    }
    fn PyObject_AsReadBuffer(o: *mut PyObject, buffer: *mut *const c_void, len: *mut Py_ssize_t) -> c_int [-1] {
        if buffer.is_null() || len.is_null() { return Err(crate::boundary::bad_internal_call()); }
        let (b, n) = legacy_buffer(o, false)?;
        *buffer = b;
        *len = n;
        Ok(0)
    }
    fn PyObject_AsCharBuffer(o: *mut PyObject, buffer: *mut *const c_char, len: *mut Py_ssize_t) -> c_int [-1] {
        if buffer.is_null() || len.is_null() { return Err(crate::boundary::bad_internal_call()); }
        let (b, n) = legacy_buffer(o, false)?;
        *buffer = b as *const c_char;
        *len = n;
        Ok(0)
    }
    fn PyObject_AsWriteBuffer(o: *mut PyObject, buffer: *mut *mut c_void, len: *mut Py_ssize_t) -> c_int [-1] {
        if buffer.is_null() || len.is_null() { return Err(crate::boundary::bad_internal_call()); }
        let (b, n) = legacy_buffer(o, true)?;
        *buffer = b;
        *len = n;
        Ok(0)
    }
}
