//! The object protocol (`abstract.h`/`object.h` behaviour): repr/str, attributes, rich
//! comparison, hashing, truth, length, item access and calls — all by dispatching on type
//! slots, so built-in and extension types behave alike.

use core::cmp::Ordering;
use core::ffi::c_int;
use core::ptr::null_mut;

use pyrite_abi::*;

use crate::err::{PyErr, PyResult};
use crate::object::{Obj, PyRef};
use crate::objects::type_::TypeObj;
use crate::objects::{bool_, dict, list, long, methodobject, none, tuple, unicode};
use crate::slot::{arg, from_new, from_status};

/// `PyObject_Repr`.
pub fn repr(o: &Obj) -> PyResult<PyRef> {
    crate::interp::check_stack(" while getting the repr of an object")?;
    let Some(f) = o.ob_type().slots().tp_repr else {
        return Ok(unicode::new(&format!("<{} object at {:#x}>", o.ob_type().name(), o.as_ptr() as usize)));
    };
    // SAFETY: slot call with a live argument.
    let r = unsafe { from_new(f(o.as_ptr())) }?;
    if !unicode::check(&r) {
        return Err(raise!(TypeError, "__repr__ returned non-string (type {})", r.ob_type().name()));
    }
    Ok(r)
}

/// `PyObject_Str`.
pub fn str(o: &Obj) -> PyResult<PyRef> {
    if unicode::check_exact(o) {
        return Ok(o.new_ref());
    }
    crate::interp::check_stack(" while getting the str of an object")?;
    let Some(f) = o.ob_type().slots().tp_str else { return repr(o) };
    // SAFETY: slot call with a live argument.
    let r = unsafe { from_new(f(o.as_ptr())) }?;
    if !unicode::check(&r) {
        return Err(raise!(TypeError, "__str__ returned non-string (type {})", r.ob_type().name()));
    }
    Ok(r)
}

fn check_attr_name(name: &Obj) -> PyResult<()> {
    if !unicode::check(name) {
        return Err(raise!(TypeError, "attribute name must be string, not '{}'", name.ob_type().name()));
    }
    Ok(())
}

/// `PyObject_GetAttr`.
pub fn getattr(o: &Obj, name: &Obj) -> PyResult<PyRef> {
    check_attr_name(name)?;
    let s = o.ob_type().slots();
    if let Some(f) = s.tp_getattro {
        // SAFETY: slot call with live arguments.
        return unsafe { from_new(f(o.as_ptr(), name.as_ptr())) };
    }
    if let Some(f) = s.tp_getattr {
        let c = std::ffi::CString::new(unicode::as_str(name)?).map_err(|_| raise!(ValueError, "embedded null character"))?;
        // SAFETY: legacy slot taking a char*.
        return unsafe { from_new(f(o.as_ptr(), c.as_ptr() as *mut _)) };
    }
    Err(raise!(AttributeError, "'{}' object has no attribute '{}'", o.ob_type().full_name(), unicode::as_str_lossy(name)))
}

pub fn getattr_str(o: &Obj, name: &str) -> PyResult<PyRef> {
    getattr(o, &unicode::new(name))
}

/// `PyObject_GetOptionalAttr`: the attribute, or None if it is missing (`AttributeError`);
/// other errors pass through.
pub fn lookup_attr(o: &Obj, name: &str) -> PyResult<Option<PyRef>> {
    getattr_opt(o, &unicode::new(name))
}

/// `lookup_attr` with the name as a str object.
pub fn getattr_opt(o: &Obj, name: &Obj) -> PyResult<Option<PyRef>> {
    match getattr(o, name) {
        Ok(v) => Ok(Some(v)),
        Err(e) if e.is_instance(crate::objects::exceptions::AttributeError()) => Ok(None),
        Err(e) => Err(e),
    }
}

/// `PyObject_SetAttr` (`value` None = delete).
pub fn setattr(o: &Obj, name: &Obj, value: Option<&Obj>) -> PyResult<()> {
    check_attr_name(name)?;
    let s = o.ob_type().slots();
    let v = value.map_or(null_mut(), |v| v.as_ptr());
    if let Some(f) = s.tp_setattro {
        // SAFETY: slot call with live arguments.
        return from_status(unsafe { f(o.as_ptr(), name.as_ptr(), v) }).map(|_| ());
    }
    if let Some(f) = s.tp_setattr {
        let c = std::ffi::CString::new(unicode::as_str(name)?).map_err(|_| raise!(ValueError, "embedded null character"))?;
        // SAFETY: legacy slot taking a char*.
        return from_status(unsafe { f(o.as_ptr(), c.as_ptr() as *mut _, v) }).map(|_| ());
    }
    let ty = o.ob_type();
    let has_getattr = s.tp_getattro.is_some() || s.tp_getattr.is_some();
    Err(if has_getattr {
        raise!(
            AttributeError,
            "'{}' object has only read-only attributes ({} .{})",
            ty.name(),
            if value.is_some() { "assign to" } else { "del" },
            unicode::as_str_lossy(name)
        )
    } else {
        raise!(
            TypeError,
            "'{}' object has no attributes ({} .{})",
            ty.name(),
            if value.is_some() { "assign to" } else { "del" },
            unicode::as_str_lossy(name)
        )
    })
}

/// Whether an `Ordering` satisfies comparison operator `op`.
#[inline]
pub fn ordering_matches(ord: Ordering, op: c_int) -> bool {
    match op {
        Py_LT => ord == Ordering::Less,
        Py_LE => ord != Ordering::Greater,
        Py_EQ => ord == Ordering::Equal,
        Py_NE => ord != Ordering::Equal,
        Py_GT => ord == Ordering::Greater,
        _ => ord != Ordering::Less,
    }
}

const SWAPPED: [c_int; 6] = [Py_GT, Py_GE, Py_EQ, Py_NE, Py_LT, Py_LE];
const OP_SYMBOLS: [&str; 6] = ["<", "<=", "==", "!=", ">", ">="];

/// Calls only `a`'s `tp_richcompare`.
pub fn rich_compare_slot(a: &Obj, b: &Obj, op: c_int) -> PyResult<PyRef> {
    match a.ob_type().slots().tp_richcompare {
        // SAFETY: slot call with live arguments.
        Some(f) => unsafe { from_new(f(a.as_ptr(), b.as_ptr(), op)) },
        None => Ok(none::not_implemented()),
    }
}

/// `PyObject_RichCompare`: the reflected operation first when `b`'s type is a subclass of
/// `a`'s that overrides it, then `a`'s, then `b`'s reflected; `==`/`!=` fall back to identity.
pub fn rich_compare(a: &Obj, b: &Obj, op: c_int) -> PyResult<PyRef> {
    crate::interp::check_stack(" in comparison")?;
    if !(0..6).contains(&op) {
        return Err(raise!(SystemError, "Bad internal call"));
    }
    let (ta, tb) = (a.ob_type(), b.ob_type());
    let ni = none::not_implemented_obj();
    let mut checked_reverse = false;
    if !ta.is(tb) && tb.is_subtype(ta) && tb.slots().tp_richcompare.is_some() {
        checked_reverse = true;
        let r = rich_compare_slot(b, a, SWAPPED[op as usize])?;
        if !r.is(ni) {
            return Ok(r);
        }
    }
    let r = rich_compare_slot(a, b, op)?;
    if !r.is(ni) {
        return Ok(r);
    }
    if !checked_reverse {
        let r = rich_compare_slot(b, a, SWAPPED[op as usize])?;
        if !r.is(ni) {
            return Ok(r);
        }
    }
    match op {
        Py_EQ => Ok(bool_::new(a.is(b))),
        Py_NE => Ok(bool_::new(!a.is(b))),
        _ => Err(raise!(
            TypeError,
            "'{}' not supported between instances of '{}' and '{}'",
            OP_SYMBOLS[op as usize],
            ta.full_name(),
            tb.full_name()
        )),
    }
}

/// `PyObject_RichCompareBool`: identity implies equality.
pub fn rich_compare_bool(a: &Obj, b: &Obj, op: c_int) -> PyResult<bool> {
    if a.is(b) {
        if op == Py_EQ {
            return Ok(true);
        }
        if op == Py_NE {
            return Ok(false);
        }
    }
    let r = rich_compare(a, b, op)?;
    is_true(&r)
}

/// Lexicographic comparison of two sequences of items.
pub fn sequence_richcompare(xs: &[&Obj], ys: &[&Obj], op: c_int) -> PyResult<PyRef> {
    if (op == Py_EQ || op == Py_NE) && xs.len() != ys.len() {
        return Ok(bool_::new(op == Py_NE));
    }
    for (x, y) in xs.iter().zip(ys) {
        if !rich_compare_bool(x, y, Py_EQ)? {
            return match op {
                Py_EQ => Ok(bool_::new(false)),
                Py_NE => Ok(bool_::new(true)),
                _ => rich_compare(x, y, op),
            };
        }
    }
    Ok(bool_::new(ordering_matches(xs.len().cmp(&ys.len()), op)))
}

/// `x in items` by equality.
pub fn contains_in(items: &[&Obj], v: &Obj) -> PyResult<bool> {
    for x in items {
        if rich_compare_bool(x, v, Py_EQ)? {
            return Ok(true);
        }
    }
    Ok(false)
}

/// `item in container` (`PySequence_Contains`): `sq_contains`, else iteration by equality.
pub fn contains(container: &Obj, item: &Obj) -> PyResult<bool> {
    // SAFETY: slot call with live arguments.
    if let Some(f) = unsafe { container.ob_type().slots().tp_as_sequence.as_ref() }.and_then(|s| s.sq_contains) {
        return from_status(unsafe { f(container.as_ptr(), item.as_ptr()) }).map(|r| r != 0);
    }
    let it = crate::objects::iterobject::get_iter(container).map_err(|e| {
        if e.is_instance(crate::objects::exceptions::TypeError()) {
            raise!(TypeError, "argument of type '{}' is not a container or iterable", container.ob_type().name())
        } else {
            e
        }
    })?;
    while let Some(v) = crate::objects::iterobject::next(&it)? {
        if rich_compare_bool(&v, item, Py_EQ)? {
            return Ok(true);
        }
    }
    Ok(false)
}

/// `PyObject_Hash`.
pub fn hash(o: &Obj) -> PyResult<Py_hash_t> {
    crate::interp::check_stack("")?;
    match o.ob_type().slots().tp_hash {
        Some(f) => {
            // SAFETY: slot call with a live argument.
            let h = unsafe { f(o.as_ptr()) };
            if h == -1 { Err(PyErr::fetch()) } else { Ok(h) }
        }
        None => Err(raise!(TypeError, "unhashable type: '{}'", o.ob_type().name())),
    }
}

/// `PyObject_IsTrue`.
pub fn is_true(o: &Obj) -> PyResult<bool> {
    if o.is(bool_::_Py_TrueStruct.obj()) {
        return Ok(true);
    }
    if o.is(bool_::_Py_FalseStruct.obj()) || o.is(none::none_obj()) {
        return Ok(false);
    }
    let s = o.ob_type().slots();
    // SAFETY: slot calls with a live argument.
    unsafe {
        if let Some(nb) = s.tp_as_number.as_ref() {
            if let Some(f) = nb.nb_bool {
                return from_status(f(o.as_ptr())).map(|r| r != 0);
            }
        }
        if let Some(mp) = s.tp_as_mapping.as_ref() {
            if let Some(f) = mp.mp_length {
                let n = f(o.as_ptr());
                return if n < 0 { Err(PyErr::fetch()) } else { Ok(n != 0) };
            }
        }
        if let Some(sq) = s.tp_as_sequence.as_ref() {
            if let Some(f) = sq.sq_length {
                let n = f(o.as_ptr());
                return if n < 0 { Err(PyErr::fetch()) } else { Ok(n != 0) };
            }
        }
    }
    Ok(true)
}

/// `PyObject_Size`.
pub fn len(o: &Obj) -> PyResult<usize> {
    let s = o.ob_type().slots();
    // SAFETY: slot calls with a live argument.
    unsafe {
        let f = s.tp_as_sequence.as_ref().and_then(|sq| sq.sq_length).or_else(|| s.tp_as_mapping.as_ref().and_then(|m| m.mp_length));
        match f {
            Some(f) => {
                let n = f(o.as_ptr());
                if n < 0 { Err(PyErr::fetch()) } else { Ok(n as usize) }
            }
            // CPython names the type by `tp_name` (`itertools.repeat`).
            None => Err(raise!(TypeError, "object of type '{}' has no len()", o.ob_type().full_name())),
        }
    }
}

/// `PyNumber_Index` as a Rust integer, for subscripts: "`{what}` indices must be integers".
pub fn index_for(key: &Obj, what: &str) -> PyResult<i64> {
    if long::check(key) {
        return long::to_i64(key).ok_or_else(|| {
            raise!(IndexError, "cannot fit 'int' into an index-sized integer")
        });
    }
    let s = key.ob_type().slots();
    // SAFETY: slot call with a live argument.
    if let Some(f) = unsafe { s.tp_as_number.as_ref() }.and_then(|nb| nb.nb_index) {
        let r = unsafe { from_new(f(key.as_ptr())) }?;
        return index_for(&r, what);
    }
    Err(raise!(TypeError, "{} indices must be integers or slices, not {}", what, key.ob_type().name()))
}

/// `PyNumber_Index`.
pub fn index(o: &Obj) -> PyResult<PyRef> {
    if long::check(o) {
        return Ok(o.new_ref());
    }
    // SAFETY: slot call with a live argument.
    let f = unsafe { o.ob_type().slots().tp_as_number.as_ref() }.and_then(|nb| nb.nb_index);
    match f {
        Some(f) => {
            let r = unsafe { from_new(f(o.as_ptr())) }?;
            if !long::check(&r) {
                return Err(raise!(TypeError, "__index__ returned non-int (type {})", r.ob_type().name()));
            }
            if !r.is_exact(&long::PyLong_Type) {
                crate::number::warn_strict_subclass(&format!("__index__ returned non-int (type {})", r.ob_type().name()), "int")?;
            }
            Ok(r)
        }
        None => Err(raise!(TypeError, "'{}' object cannot be interpreted as an integer", o.ob_type().name())),
    }
}

/// `PyObject_GetItem`.
/// `PyMapping_Check`: the type fills `mp_subscript`.
pub fn mapping_check(o: &Obj) -> bool {
    // SAFETY: a type's `tp_as_mapping` is NULL or a suite that lives as long as the type.
    unsafe { o.ob_type().slots().tp_as_mapping.as_ref() }.is_some_and(|m| m.mp_subscript.is_some())
}

pub fn getitem(o: &Obj, key: &Obj) -> PyResult<PyRef> {
    let s = o.ob_type().slots();
    // SAFETY: slot calls with live arguments.
    unsafe {
        if let Some(f) = s.tp_as_mapping.as_ref().and_then(|m| m.mp_subscript) {
            return from_new(f(o.as_ptr(), key.as_ptr()));
        }
        if let Some(f) = s.tp_as_sequence.as_ref().and_then(|sq| sq.sq_item) {
            let mut i = index_for(key, "sequence")?;
            if i < 0 {
                if let Some(l) = s.tp_as_sequence.as_ref().and_then(|sq| sq.sq_length) {
                    let n = l(o.as_ptr());
                    if n < 0 {
                        return Err(PyErr::fetch());
                    }
                    i += n as i64;
                }
            }
            return from_new(f(o.as_ptr(), i as Py_ssize_t));
        }
    }
    if let Some(t) = TypeObj::downcast(o) {
        if let Some(cgi) = t.lookup_str("__class_getitem__") {
            let mut cgi = cgi.new_ref();
            // Bound to the class, as `PyObject_GetAttr(o, "__class_getitem__")` would be.
            if let Some(get) = cgi.ob_type().slots().tp_descr_get {
                // SAFETY: descriptor call with live arguments.
                cgi = unsafe { from_new(get(cgi.as_ptr(), core::ptr::null_mut(), o.as_ptr()))? };
            }
            return call_one_arg(&cgi, key);
        }
    }
    Err(raise!(TypeError, "'{}' object is not subscriptable", o.ob_type().name()))
}

/// `PyObject_SetItem` / `PyObject_DelItem` (`value` None).
pub fn setitem(o: &Obj, key: &Obj, value: Option<&Obj>) -> PyResult<()> {
    let s = o.ob_type().slots();
    let v = value.map_or(null_mut(), |v| v.as_ptr());
    // SAFETY: slot calls with live arguments.
    unsafe {
        if let Some(f) = s.tp_as_mapping.as_ref().and_then(|m| m.mp_ass_subscript) {
            return from_status(f(o.as_ptr(), key.as_ptr(), v)).map(|_| ());
        }
        if let Some(f) = s.tp_as_sequence.as_ref().and_then(|sq| sq.sq_ass_item) {
            let mut i = index_for(key, "sequence")?;
            if i < 0 {
                if let Some(l) = s.tp_as_sequence.as_ref().and_then(|sq| sq.sq_length) {
                    i += l(o.as_ptr()) as i64;
                }
            }
            return from_status(f(o.as_ptr(), i as Py_ssize_t, v)).map(|_| ());
        }
    }
    Err(if value.is_some() {
        raise!(TypeError, "'{}' object does not support item assignment", o.ob_type().name())
    } else {
        raise!(TypeError, "'{}' object doesn't support item deletion", o.ob_type().name())
    })
}

/// `PySequence_GetItem`: `o[i]` through the sequence protocol (`sq_item`); a negative `i`
/// counts from the end when the type has a length.
pub fn sequence_getitem(o: &Obj, i: isize) -> PyResult<PyRef> {
    let s = o.ob_type().slots();
    // SAFETY: the method suites of a live type are NULL or valid; its slots are called on a
    // live object and return a length (-1 with an exception) or a new reference (NULL with an
    // exception).
    unsafe {
        let Some(item) = s.tp_as_sequence.as_ref().and_then(|sq| sq.sq_item) else {
            // CPython: a mapping (mp_subscript) "is not a sequence"; anything else cannot be
            // indexed.
            if s.tp_as_mapping.as_ref().and_then(|m| m.mp_subscript).is_some() {
                return Err(raise!(TypeError, "{} is not a sequence", o.ob_type().name()));
            }
            return Err(raise!(TypeError, "'{}' object does not support indexing", o.ob_type().name()));
        };
        let mut i = i;
        if i < 0 {
            if let Some(l) = s.tp_as_sequence.as_ref().and_then(|sq| sq.sq_length) {
                let n = l(o.as_ptr());
                if n < 0 {
                    return Err(PyErr::fetch());
                }
                i += n;
            }
        }
        from_new(item(o.as_ptr(), i))
    }
}

/// A tuple with the items of a tuple or list (full iteration comes with the interpreter).
pub fn sequence_tuple(o: &Obj) -> PyResult<PyRef> {
    if tuple::check(o) {
        return Ok(if o.is_exact(&tuple::PyTuple_Type) { o.new_ref() } else { tuple::new_from(tuple::items(o)) });
    }
    if list::check(o) {
        return Ok(list::as_tuple(o));
    }
    Err(raise!(TypeError, "'{}' object is not iterable", o.ob_type().name()))
}

// ---- calls ----------------------------------------------------------------------------------

/// The vectorcall function of `callable`, if its type supports vectorcall.
#[inline]
fn vectorcall_fn(callable: &Obj) -> vectorcallfunc {
    let s = callable.ob_type().slots();
    if s.tp_flags & Py_TPFLAGS_HAVE_VECTORCALL == 0 || s.tp_vectorcall_offset <= 0 {
        return None;
    }
    // SAFETY: the type promises a vectorcallfunc at that offset.
    unsafe { *((callable.as_ptr() as *mut u8).add(s.tp_vectorcall_offset as usize) as *const vectorcallfunc) }
}

/// `PyObject_Vectorcall`.
///
/// # Safety
/// `args` points to `nargs` live objects followed by one per name in `kwnames`.
pub unsafe fn vectorcall(callable: &Obj, args: *const *mut PyObject, nargsf: usize, kwnames: *mut PyObject) -> PyResult<PyRef> {
    if let Some(f) = vectorcall_fn(callable) {
        // SAFETY: guaranteed by the caller.
        let r = unsafe { f(callable.as_ptr(), args, nargsf, kwnames) };
        // SAFETY: r is NULL or a new reference.
        return unsafe { methodobject::check_function_result(callable, r) };
    }
    let nargs = nargsf & !PY_VECTORCALL_ARGUMENTS_OFFSET;
    // SAFETY: guaranteed by the caller.
    let t = unsafe { methodobject::args_tuple(args, nargs) };
    let kw = unsafe { methodobject::kwargs_dict(args.add(nargs), kwnames) }?;
    call(callable, &t, kw.as_deref())
}

/// `PyObject_Call`.
pub fn call(callable: &Obj, args: &Obj, kwargs: Option<&Obj>) -> PyResult<PyRef> {
    crate::interp::check_stack("")?;
    if let Some(f) = vectorcall_fn(callable) {
        let (argv, kwnames, _held) = vectorcall_args(args, kwargs);
        // SAFETY: argv holds live objects (positional from the tuple, values kept by `_held`).
        let r = unsafe { f(callable.as_ptr(), argv.as_ptr(), tuple::len(args), kwnames.as_ref().map_or(null_mut(), |k| k.as_ptr())) };
        // SAFETY: r is NULL or a new reference.
        return unsafe { methodobject::check_function_result(callable, r) };
    }
    match callable.ob_type().slots().tp_call {
        Some(f) => {
            let kw = kwargs.map_or(null_mut(), |k| k.as_ptr());
            // SAFETY: slot call with live arguments.
            let r = unsafe { f(callable.as_ptr(), args.as_ptr(), kw) };
            // SAFETY: r is NULL or a new reference.
            unsafe { methodobject::check_function_result(callable, r) }
        }
        None => Err(raise!(TypeError, "'{}' object is not callable", callable.ob_type().name())),
    }
}

/// A tuple and a dict of arguments as a vectorcall argument array: (argv, kwnames, the
/// keyword values the array borrows from — keep it alive for the call).
fn vectorcall_args(args: &Obj, kwargs: Option<&Obj>) -> (Vec<*mut PyObject>, Option<PyRef>, Vec<PyRef>) {
    let mut argv: Vec<*mut PyObject> = tuple::items(args).iter().map(|o| o.as_ptr()).collect();
    let mut names = Vec::new();
    let mut held = Vec::new();
    if let Some(kw) = kwargs {
        for (k, v) in dict::items_vec(kw) {
            argv.push(v.as_ptr());
            names.push(k);
            held.push(v);
        }
    }
    let kwnames = if names.is_empty() { None } else { Some(tuple::new_from_owned(names)) };
    (argv, kwnames, held)
}

pub fn call_no_args(callable: &Obj) -> PyResult<PyRef> {
    // An empty (dangling, non-NULL) argument array: callees may form a slice from it.
    let argv: [*mut PyObject; 0] = [];
    // SAFETY: no arguments.
    unsafe { vectorcall(callable, argv.as_ptr(), 0, null_mut()) }
}

pub fn call_one_arg(callable: &Obj, a: &Obj) -> PyResult<PyRef> {
    let argv = [a.as_ptr()];
    // SAFETY: one live argument.
    unsafe { vectorcall(callable, argv.as_ptr(), 1, null_mut()) }
}

/// `o.name(*args)`.
pub fn call_method(o: &Obj, name: &str, args: &[&Obj]) -> PyResult<PyRef> {
    let m = getattr_str(o, name)?;
    let argv: Vec<*mut PyObject> = args.iter().map(|a| a.as_ptr()).collect();
    // SAFETY: live arguments.
    unsafe { vectorcall(&m, argv.as_ptr(), argv.len(), null_mut()) }
}

/// `tp_call` for types that implement vectorcall (`PyVectorcall_Call`).
pub unsafe extern "C" fn vectorcall_call(callable: *mut PyObject, args: *mut PyObject, kwargs: *mut PyObject) -> *mut PyObject {
    // SAFETY: tp_call contract.
    unsafe {
        let c = arg(callable);
        let Some(f) = vectorcall_fn(c) else {
            return crate::slot::ret_obj(Err(raise!(TypeError, "'{}' object does not support vectorcall", c.ob_type().name())));
        };
        let args = arg(args);
        let (argv, kwnames, _held) = vectorcall_args(args, crate::slot::opt_arg(kwargs));
        f(callable, argv.as_ptr(), tuple::len(args), kwnames.as_ref().map_or(null_mut(), |k| k.as_ptr()))
    }
}
