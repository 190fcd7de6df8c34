//! The iterator types of `builtins`: `enumerate`, `zip`, `map`, `filter`, `reversed`.
//! Each holds its source iterators and produces items lazily, as CPython's do.

use core::ffi::c_void;
use core::ptr::null_mut;

use pyrite_abi::*;

use crate::err::PyResult;
use crate::object::{Obj, PyRef};
use crate::objects::iterobject::{get_iter, next, self_iter};
use crate::objects::type_::{TypeObj, BUILTIN_BASETYPE_FLAGS};
use crate::objects::{dict, long, none, tuple, unicode};
use crate::slot::{arg, opt_arg, ret_obj};
use crate::{abstract_, static_type};

/// One layout serves all five: the source iterators, the function (map/filter) and a counter.
#[repr(C)]
pub struct IterToolObject {
    pub ob_base: PyObject,
    /// A tuple of iterators (NULL once exhausted).
    pub iters: *mut PyObject,
    pub func: *mut PyObject,
    pub count: *mut PyObject,
    pub strict: bool,
}

macro_rules! itertool_type {
    ($name:ident, $tpname:literal, $new:ident, $next:ident, $doc:literal) => {
        static_type!($name, $tpname, core::mem::size_of::<IterToolObject>(), {
            tp_flags: BUILTIN_BASETYPE_FLAGS | Py_TPFLAGS_HAVE_GC,
            tp_dealloc: Some(itertool_dealloc),
            tp_iter: Some(self_iter),
            tp_iternext: Some($next),
            tp_alloc: Some(crate::alloc::generic_alloc),
            tp_new: Some($new),
            tp_free: Some(crate::alloc::gc_del),
            tp_doc: $doc.as_ptr(),
        });
    };
}

itertool_type!(PyEnum_Type, c"enumerate", enumerate_new, enumerate_next, c"Return an enumerate object.");
itertool_type!(PyZip_Type, c"zip", zip_new, zip_next, c"The zip object yields n-length tuples.");
itertool_type!(PyMap_Type, c"map", map_new, map_next, c"Make an iterator that computes the function using arguments from each of the iterables.");
itertool_type!(PyFilter_Type, c"filter", filter_new, filter_next, c"Return an iterator yielding those items of iterable for which function(item) is true.");
itertool_type!(PyReversed_Type, c"reversed", reversed_new, reversed_next, c"Return a reverse iterator over the values of the given sequence.");

pub fn types() -> [&'static TypeObj; 5] {
    [&PyEnum_Type, &PyZip_Type, &PyMap_Type, &PyFilter_Type, &PyReversed_Type]
}

/// Allocates an instance of `t` holding `iters`, `func` and `count`.
fn make(t: *mut PyTypeObject, iters: PyRef, func: Option<&Obj>, count: Option<PyRef>) -> PyResult<PyRef> {
    // SAFETY: t is one of the types above (or a subclass); fields start NULL.
    unsafe {
        let alloc = (*t).tp_alloc.unwrap_or(crate::alloc::generic_alloc);
        let o = crate::slot::from_new(alloc(t, 0))?;
        let r = o.as_ptr() as *mut IterToolObject;
        (*r).iters = iters.into_raw();
        (*r).func = func.map_or(null_mut(), |f| f.new_ref().into_raw());
        (*r).count = count.map_or(null_mut(), PyRef::into_raw);
        Ok(o)
    }
}

fn raw(o: &Obj) -> *mut IterToolObject {
    o.as_ptr() as *mut IterToolObject
}

/// The source iterators, or None once exhausted.
fn iters(o: &Obj) -> Option<&[&Obj]> {
    // SAFETY: o is an itertool object.
    unsafe { opt_arg((*raw(o)).iters) }.map(tuple::items)
}

fn exhaust(o: &Obj) {
    // SAFETY: o is an itertool object; iters holds NULL or an owned tuple.
    unsafe {
        let p = core::mem::replace(&mut (*raw(o)).iters, null_mut());
        crate::object::xdecref(p);
    }
}

unsafe fn positional<'a>(args: *mut PyObject) -> &'a [&'a Obj] {
    // SAFETY: tp_new receives a tuple.
    tuple::items(unsafe { arg(args) })
}

fn kwarg<'a>(kw: Option<&'a Obj>, name: &str) -> Option<&'a Obj> {
    kw.and_then(|k| dict::get_item_borrowed(k, &unicode::new(name)))
}

unsafe extern "C" fn enumerate_new(t: *mut PyTypeObject, args: *mut PyObject, kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: tp_new contract.
    let (a, kw) = unsafe { (positional(args), opt_arg(kw)) };
    let r = (|| {
        let iterable = a.first().copied().or_else(|| kwarg(kw, "iterable")).ok_or_else(|| raise!(TypeError, "enumerate() missing required argument 'iterable'"))?;
        let start = a.get(1).copied().or_else(|| kwarg(kw, "start")).map_or_else(|| Ok(long::from_i64(0)), abstract_::index)?;
        make(t, tuple::new_from(&[&*get_iter(iterable)?]), None, Some(start))
    })();
    ret_obj(r)
}

unsafe extern "C" fn enumerate_next(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: live enumerate object.
    let o = unsafe { arg(o) };
    let r = (|| {
        let Some(its) = iters(o) else { return Ok(None) };
        let Some(v) = next(its[0])? else {
            exhaust(o);
            return Ok(None);
        };
        // SAFETY: count is an owned int.
        let count = unsafe { arg((*raw(o)).count) }.new_ref();
        let next_count = crate::number::binary_op(&count, &long::from_i64(1), crate::number::BinaryOp::Add)?;
        // SAFETY: replacing the owned count.
        unsafe { crate::object::decref(core::mem::replace(&mut (*raw(o)).count, next_count.into_raw())) };
        Ok(Some(tuple::new_from(&[&count, &v])))
    })();
    optional(r)
}

/// A `tp_iternext` result: NULL without an exception at exhaustion.
fn optional(r: PyResult<Option<PyRef>>) -> *mut PyObject {
    match r {
        Ok(Some(v)) => v.into_raw(),
        Ok(None) => null_mut(),
        Err(e) => ret_obj(Err(e)),
    }
}

unsafe extern "C" fn zip_new(t: *mut PyTypeObject, args: *mut PyObject, kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: tp_new contract.
    let (a, kw) = unsafe { (positional(args), opt_arg(kw)) };
    let r = (|| {
        let its: PyResult<Vec<PyRef>> = a.iter().map(|x| get_iter(x)).collect();
        let z = make(t, tuple::new_from_owned(its?), None, None)?;
        let strict = match kwarg(kw, "strict") {
            Some(s) => abstract_::is_true(s)?,
            None => false,
        };
        // SAFETY: z is a fresh zip object.
        unsafe { (*raw(&z)).strict = strict };
        Ok(z)
    })();
    ret_obj(r)
}

unsafe extern "C" fn zip_next(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: live zip object.
    let o = unsafe { arg(o) };
    let r = (|| {
        let Some(its) = iters(o) else { return Ok(None) };
        if its.is_empty() {
            return Ok(None);
        }
        let mut items = Vec::with_capacity(its.len());
        for (i, it) in its.iter().enumerate() {
            match next(it)? {
                Some(v) => items.push(v),
                None => {
                    // SAFETY: o is a zip object.
                    if unsafe { (*raw(o)).strict } {
                        if i > 0 {
                            let plural = if i == 1 { " " } else { "s 1-" };
                            return Err(raise!(ValueError, "zip() argument {} is shorter than argument{}{}", i + 1, plural, i));
                        }
                        for (j, rest) in its.iter().enumerate().skip(1) {
                            if next(rest)?.is_some() {
                                let plural = if j == 1 { " " } else { "s 1-" };
                                return Err(raise!(ValueError, "zip() argument {} is longer than argument{}{}", j + 1, plural, j));
                            }
                        }
                    }
                    exhaust(o);
                    return Ok(None);
                }
            }
        }
        Ok(Some(tuple::new_from_owned(items)))
    })();
    optional(r)
}

unsafe extern "C" fn map_new(t: *mut PyTypeObject, args: *mut PyObject, _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: tp_new contract.
    let a = unsafe { positional(args) };
    let r = (|| {
        if a.len() < 2 {
            return Err(raise!(TypeError, "map() must have at least two arguments."));
        }
        let its: PyResult<Vec<PyRef>> = a[1..].iter().map(|x| get_iter(x)).collect();
        make(t, tuple::new_from_owned(its?), Some(a[0]), None)
    })();
    ret_obj(r)
}

unsafe extern "C" fn map_next(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: live map object.
    let o = unsafe { arg(o) };
    let r = (|| {
        let Some(its) = iters(o) else { return Ok(None) };
        let mut items = Vec::with_capacity(its.len());
        for it in its {
            match next(it)? {
                Some(v) => items.push(v),
                None => {
                    exhaust(o);
                    return Ok(None);
                }
            }
        }
        // SAFETY: func is an owned callable.
        let f = unsafe { arg((*raw(o)).func) };
        abstract_::call(f, &tuple::new_from_owned(items), None).map(Some)
    })();
    optional(r)
}

unsafe extern "C" fn filter_new(t: *mut PyTypeObject, args: *mut PyObject, _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: tp_new contract.
    let a = unsafe { positional(args) };
    let r = (|| {
        if a.len() != 2 {
            return Err(raise!(TypeError, "filter expected 2 arguments, got {}", a.len()));
        }
        let func = if a[0].is(none::none_obj()) { None } else { Some(a[0]) };
        make(t, tuple::new_from(&[&*get_iter(a[1])?]), func, None)
    })();
    ret_obj(r)
}

unsafe extern "C" fn filter_next(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: live filter object.
    let o = unsafe { arg(o) };
    let r = (|| {
        let Some(its) = iters(o) else { return Ok(None) };
        let it = its[0].new_ref();
        loop {
            let Some(v) = next(&it)? else {
                exhaust(o);
                return Ok(None);
            };
            // SAFETY: func is NULL (truth test) or an owned callable.
            let keep = match unsafe { opt_arg((*raw(o)).func) } {
                None => abstract_::is_true(&v)?,
                Some(f) => abstract_::is_true(&*abstract_::call_one_arg(f, &v)?)?,
            };
            if keep {
                return Ok(Some(v));
            }
        }
    })();
    optional(r)
}

unsafe extern "C" fn reversed_new(t: *mut PyTypeObject, args: *mut PyObject, _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: tp_new contract.
    let a = unsafe { positional(args) };
    let r = (|| {
        if a.len() != 1 {
            return Err(raise!(TypeError, "reversed expected 1 argument, got {}", a.len()));
        }
        let seq = a[0];
        if let Some(rev) = seq.ob_type().lookup_str("__reversed__").map(Obj::new_ref) {
            if !rev.is(none::none_obj()) {
                return abstract_::call_method(seq, "__reversed__", &[]);
            }
            return Err(raise!(TypeError, "'{}' object is not reversible", seq.ob_type().name()));
        }
        // The sequence protocol: __len__ and __getitem__, walked from the end.
        let n = abstract_::len(seq).map_err(|_| raise!(TypeError, "'{}' object is not reversible", seq.ob_type().name()))?;
        make(t, tuple::new_from(&[seq]), None, Some(long::from_usize(n)))
    })();
    ret_obj(r)
}

unsafe extern "C" fn reversed_next(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: live reversed object; `count` is the number of items left.
    let o = unsafe { arg(o) };
    let r = (|| {
        let Some(its) = iters(o) else { return Ok(None) };
        let left = long::to_i64(unsafe { arg((*raw(o)).count) }).unwrap_or(0);
        if left <= 0 {
            exhaust(o);
            return Ok(None);
        }
        let idx = long::from_i64(left - 1);
        // SAFETY: replacing the owned count.
        unsafe { crate::object::decref(core::mem::replace(&mut (*raw(o)).count, idx.new_ref().into_raw())) };
        abstract_::getitem(its[0], &idx).map(Some)
    })();
    optional(r)
}

unsafe extern "C" fn itertool_dealloc(o: *mut PyObject) {
    // SAFETY: a dead itertool object.
    unsafe {
        let r = o as *mut IterToolObject;
        crate::object::xdecref((*r).iters);
        crate::object::xdecref((*r).func);
        crate::object::xdecref((*r).count);
        // Subclasses release their type in `subtype_dealloc`.
        crate::alloc::gc_del(o as *mut c_void);
    }
}

