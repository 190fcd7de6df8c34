//! `list`: `PyListObject` (`ob_item` array on the C heap, `allocated` capacity). A GC container.

use core::ffi::c_int;

use pyrite_abi::*;

use crate::err::PyResult;
use crate::object::{Obj, PyRef, StaticObject};
use crate::objects::type_::{TypeObj, BUILTIN_BASETYPE_FLAGS};
use crate::objects::{none, tuple, unicode};
use crate::slot::{arg, opt_arg, ret_int, ret_obj};
use crate::static_type;

static_type!(PyList_Type, c"list", core::mem::size_of::<PyListObject>(), {
    tp_flags: BUILTIN_BASETYPE_FLAGS | Py_TPFLAGS_HAVE_GC | Py_TPFLAGS_LIST_SUBCLASS | _Py_TPFLAGS_MATCH_SELF | Py_TPFLAGS_SEQUENCE,
    tp_dealloc: Some(list_dealloc),
    tp_repr: Some(list_repr),
    tp_hash: Some(unhashable),
    tp_richcompare: Some(list_richcompare),
    tp_traverse: Some(list_traverse),
    tp_as_sequence: LIST_AS_SEQUENCE.0.get(),
    tp_as_mapping: LIST_AS_MAPPING.0.get(),
    tp_free: Some(crate::alloc::gc_del),
    tp_doc: c"Built-in mutable sequence.".as_ptr(),
});

static LIST_AS_SEQUENCE: StaticObject<PySequenceMethods> = StaticObject::new(PySequenceMethods {
    sq_length: Some(list_length),
    sq_item: Some(list_item),
    sq_ass_item: Some(list_ass_item),
    sq_contains: Some(list_contains),
    ..PySequenceMethods::EMPTY
});

static LIST_AS_MAPPING: StaticObject<PyMappingMethods> = StaticObject::new(PyMappingMethods {
    mp_length: Some(list_length),
    mp_subscript: Some(list_subscript),
    mp_ass_subscript: Some(list_ass_subscript),
});

#[inline(always)]
fn raw(o: &Obj) -> *mut PyListObject {
    o.as_ptr() as *mut PyListObject
}

/// A list of `n` NULL slots (`PyList_New`); fill them before anyone else sees it.
pub fn alloc(n: usize) -> PyRef {
    // SAFETY: PyList_Type is a live static type.
    unsafe {
        let op = crate::alloc::alloc_object(PyList_Type.raw(), core::mem::size_of::<PyListObject>(), true);
        assert!(!op.is_null(), "out of memory allocating a list");
        let l = op as *mut PyListObject;
        if n > 0 {
            (*l).ob_item = crate::alloc::raw_calloc(n, 8) as *mut *mut PyObject;
        }
        (*l).ob_base.ob_size = n as Py_ssize_t;
        (*l).allocated = n as Py_ssize_t;
        PyRef::from_raw(op)
    }
}

pub fn new() -> PyRef {
    alloc(0)
}

pub fn new_from(items: &[&Obj]) -> PyRef {
    let l = alloc(items.len());
    for (i, v) in items.iter().enumerate() {
        // SAFETY: i < len; slots start NULL.
        unsafe { *(*raw(&l)).ob_item.add(i) = v.new_ref().into_raw() };
    }
    l
}

#[inline(always)]
pub fn check(o: &Obj) -> bool {
    o.ob_type().has_flag(Py_TPFLAGS_LIST_SUBCLASS)
}

#[inline(always)]
pub fn len(l: &Obj) -> usize {
    // SAFETY: l is a list.
    unsafe { l.ob_size() as usize }
}

/// The raw slots (may hold NULL in a list under construction).
pub fn slots(l: &Obj) -> &[*mut PyObject] {
    // SAFETY: ob_item has ob_size initialised slots.
    unsafe {
        let p = (*raw(l)).ob_item;
        if p.is_null() { &[] } else { core::slice::from_raw_parts(p, len(l)) }
    }
}

/// Snapshot of the items as owned references (safe against mutation during iteration).
pub fn to_vec(l: &Obj) -> Vec<PyRef> {
    slots(l).iter().filter(|p| !p.is_null()).map(|&p| unsafe { Obj::from_ptr(p) }.new_ref()).collect()
}

/// Item `i`, borrowed (caller checked bounds).
pub fn get(l: &Obj, i: usize) -> Option<&Obj> {
    let p = slots(l)[i];
    // SAFETY: non-NULL slots hold owned references.
    if p.is_null() { None } else { Some(unsafe { Obj::from_ptr(p) }) }
}

/// Replaces item `i` (steals `v`), dropping the old one.
pub fn set(l: &Obj, i: usize, v: PyRef) {
    // SAFETY: i < len; the slot is NULL or owned.
    unsafe {
        let p = (*raw(l)).ob_item.add(i);
        let old = *p;
        *p = v.into_raw();
        crate::object::xdecref(old);
    }
}

fn resize(l: &Obj, newsize: usize) {
    // SAFETY: l is a list; growth follows CPython's over-allocation pattern.
    unsafe {
        let r = raw(l);
        if newsize as Py_ssize_t > (*r).allocated {
            let cap = (newsize + (newsize >> 3) + 6) & !3;
            let p = crate::alloc::raw_realloc((*r).ob_item as *mut _, cap * 8) as *mut *mut PyObject;
            assert!(!p.is_null(), "out of memory growing a list");
            (*r).ob_item = p;
            (*r).allocated = cap as Py_ssize_t;
        }
        (*r).ob_base.ob_size = newsize as Py_ssize_t;
    }
}

pub fn append(l: &Obj, v: &Obj) {
    let n = len(l);
    resize(l, n + 1);
    // SAFETY: the new slot is within the allocation.
    unsafe { *(*raw(l)).ob_item.add(n) = v.new_ref().into_raw() };
}

pub fn insert(l: &Obj, index: isize, v: &Obj) {
    let n = len(l) as isize;
    let i = if index < 0 { (index + n).max(0) } else { index.min(n) } as usize;
    resize(l, n as usize + 1);
    // SAFETY: shifting within the allocation.
    unsafe {
        let p = (*raw(l)).ob_item;
        core::ptr::copy(p.add(i), p.add(i + 1), n as usize - i);
        *p.add(i) = v.new_ref().into_raw();
    }
}

/// Removes item `i` (caller checked bounds) and returns it.
pub fn remove_at(l: &Obj, i: usize) -> PyRef {
    let n = len(l);
    // SAFETY: i < n; shifting within the allocation.
    unsafe {
        let p = (*raw(l)).ob_item;
        let v = PyRef::from_raw(*p.add(i));
        core::ptr::copy(p.add(i + 1), p.add(i), n - i - 1);
        (*raw(l)).ob_base.ob_size = (n - 1) as Py_ssize_t;
        v
    }
}

pub fn as_tuple(l: &Obj) -> PyRef {
    tuple::new_from_owned(to_vec(l))
}

pub fn types() -> [&'static TypeObj; 1] {
    [&PyList_Type]
}

// ---- slots ----------------------------------------------------------------------------------

/// `tp_hash` of unhashable types (`PyObject_HashNotImplemented`).
pub unsafe extern "C" fn unhashable(o: *mut PyObject) -> Py_hash_t {
    // SAFETY: live argument.
    let name = unsafe { arg(o) }.ob_type().name().to_string();
    crate::slot::ret_ssize(Err(raise!(TypeError, "unhashable type: '{}'", name)))
}

unsafe extern "C" fn list_dealloc(o: *mut PyObject) {
    // SAFETY: a dead list: release items and the item array, then memory.
    unsafe {
        let r = o as *mut PyListObject;
        let items = (*r).ob_item;
        if !items.is_null() {
            for i in 0..(*r).ob_base.ob_size as usize {
                crate::object::xdecref(*items.add(i));
            }
            crate::alloc::raw_free(items as *mut _);
        }
        match (*(*o).ob_type).tp_free {
            Some(f) => f(o as *mut _),
            None => crate::alloc::free_object(o),
        }
    }
}

unsafe extern "C" fn list_traverse(o: *mut PyObject, visit: visitproc, a: *mut core::ffi::c_void) -> c_int {
    // SAFETY: live list; visit is the collector's callback.
    unsafe {
        let Some(visit) = visit else { return 0 };
        for &p in slots(arg(o)) {
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

unsafe extern "C" fn list_repr(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: live list.
    let items = to_vec(unsafe { arg(o) });
    let refs: Vec<&Obj> = items.iter().map(|r| &**r).collect();
    ret_obj(tuple::repr_items(&refs, "[", "]", false).map(|s| unicode::new(&s)))
}

unsafe extern "C" fn list_richcompare(a: *mut PyObject, b: *mut PyObject, op: c_int) -> *mut PyObject {
    // SAFETY: live arguments.
    let (a, b) = unsafe { (arg(a), arg(b)) };
    if !check(a) || !check(b) {
        return none::not_implemented().into_raw();
    }
    let (x, y) = (to_vec(a), to_vec(b));
    let xs: Vec<&Obj> = x.iter().map(|r| &**r).collect();
    let ys: Vec<&Obj> = y.iter().map(|r| &**r).collect();
    ret_obj(crate::abstract_::sequence_richcompare(&xs, &ys, op))
}

unsafe extern "C" fn list_length(o: *mut PyObject) -> Py_ssize_t {
    // SAFETY: live list.
    len(unsafe { arg(o) }) as Py_ssize_t
}

fn normalize_index(l: &Obj, i: i64) -> PyResult<usize> {
    let n = len(l) as i64;
    let j = if i < 0 { i + n } else { i };
    if j < 0 || j >= n { Err(raise!(IndexError, "list index out of range")) } else { Ok(j as usize) }
}

unsafe extern "C" fn list_item(o: *mut PyObject, i: Py_ssize_t) -> *mut PyObject {
    // SAFETY: live list.
    let l = unsafe { arg(o) };
    if i < 0 || i as usize >= len(l) {
        return ret_obj(Err(raise!(IndexError, "list index out of range")));
    }
    ret_obj(get(l, i as usize).map(Obj::new_ref).ok_or_else(|| raise!(SystemError, "NULL item in list")))
}

unsafe extern "C" fn list_ass_item(o: *mut PyObject, i: Py_ssize_t, v: *mut PyObject) -> c_int {
    // SAFETY: live arguments.
    let (l, v) = unsafe { (arg(o), opt_arg(v)) };
    if i < 0 || i as usize >= len(l) {
        return ret_int(Err(raise!(IndexError, "list assignment index out of range")));
    }
    match v {
        Some(v) => set(l, i as usize, v.new_ref()),
        None => drop(remove_at(l, i as usize)),
    }
    0
}

unsafe extern "C" fn list_subscript(o: *mut PyObject, key: *mut PyObject) -> *mut PyObject {
    // SAFETY: live arguments.
    let (l, key) = unsafe { (arg(o), arg(key)) };
    let r = (|| {
        let i = normalize_index(l, crate::abstract_::index_for(key, "list")?)?;
        get(l, i).map(Obj::new_ref).ok_or_else(|| raise!(SystemError, "NULL item in list"))
    })();
    ret_obj(r)
}

unsafe extern "C" fn list_ass_subscript(o: *mut PyObject, key: *mut PyObject, v: *mut PyObject) -> c_int {
    // SAFETY: live arguments.
    let (l, key, v) = unsafe { (arg(o), arg(key), opt_arg(v)) };
    let r = (|| {
        let i = crate::abstract_::index_for(key, "list")?;
        let n = len(l) as i64;
        let j = if i < 0 { i + n } else { i };
        if j < 0 || j >= n {
            return Err(raise!(IndexError, "list assignment index out of range"));
        }
        match v {
            Some(v) => set(l, j as usize, v.new_ref()),
            None => drop(remove_at(l, j as usize)),
        }
        Ok(0)
    })();
    ret_int(r)
}

unsafe extern "C" fn list_contains(o: *mut PyObject, v: *mut PyObject) -> c_int {
    // SAFETY: live arguments.
    let (l, v) = unsafe { (arg(o), arg(v)) };
    let items = to_vec(l);
    let refs: Vec<&Obj> = items.iter().map(|r| &**r).collect();
    ret_int(crate::abstract_::contains_in(&refs, v).map(c_int::from))
}
