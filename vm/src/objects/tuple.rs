//! `tuple`: `PyTupleObject` (var header, cached hash, inline item pointers). A GC container.
//! The empty tuple is an immortal static.

use core::ffi::c_int;
use core::mem::offset_of;

use pyrite_abi::*;

use crate::err::PyResult;
use crate::object::{Obj, PyRef, StaticObject};
use crate::objects::type_::{TypeObj, BUILTIN_BASETYPE_FLAGS};
use crate::objects::{none, unicode};
use crate::slot::{arg, ret_int, ret_obj};
use crate::static_type;

static_type!(PyTuple_Type, c"tuple", offset_of!(PyTupleObject, ob_item), {
    tp_itemsize: core::mem::size_of::<*mut PyObject>() as isize,
    tp_flags: BUILTIN_BASETYPE_FLAGS | Py_TPFLAGS_HAVE_GC | Py_TPFLAGS_TUPLE_SUBCLASS | _Py_TPFLAGS_MATCH_SELF | Py_TPFLAGS_SEQUENCE,
    tp_dealloc: Some(tuple_dealloc),
    tp_repr: Some(tuple_repr),
    tp_hash: Some(tuple_hash),
    tp_richcompare: Some(tuple_richcompare),
    tp_traverse: Some(tuple_traverse),
    tp_as_sequence: TUPLE_AS_SEQUENCE.0.get(),
    tp_as_mapping: TUPLE_AS_MAPPING.0.get(),
    tp_free: Some(crate::alloc::gc_del),
    tp_doc: c"Built-in immutable sequence.".as_ptr(),
});

static TUPLE_AS_SEQUENCE: StaticObject<PySequenceMethods> = StaticObject::new(PySequenceMethods {
    sq_length: Some(tuple_length),
    sq_item: Some(tuple_item),
    sq_contains: Some(tuple_contains),
    ..PySequenceMethods::EMPTY
});

static TUPLE_AS_MAPPING: StaticObject<PyMappingMethods> = StaticObject::new(PyMappingMethods {
    mp_length: Some(tuple_length),
    mp_subscript: Some(tuple_subscript),
    mp_ass_subscript: None,
});

/// The empty tuple (immortal, static; it has no GC pre-header and is never freed).
static EMPTY_TUPLE: StaticObject<PyTupleObject> = StaticObject::new(PyTupleObject {
    ob_base: PyVarObject { ob_base: crate::object::static_head(PyTuple_Type.raw()), ob_size: 0 },
    ob_hash: -1,
    ob_item: [core::ptr::null_mut()],
});

pub fn empty() -> PyRef {
    EMPTY_TUPLE.new_ref()
}

pub fn empty_obj() -> &'static Obj {
    EMPTY_TUPLE.obj()
}

/// A tuple of `n` NULL items, to be filled with [`init_item`] before anyone else sees it.
pub fn alloc(n: usize) -> PyRef {
    if n == 0 {
        return empty();
    }
    let size = offset_of!(PyTupleObject, ob_item) + n * 8;
    // SAFETY: PyTuple_Type is a live static type.
    unsafe {
        let op = crate::alloc::alloc_object(PyTuple_Type.raw(), size, true);
        assert!(!op.is_null(), "out of memory allocating a tuple");
        let t = op as *mut PyTupleObject;
        (*t).ob_base.ob_size = n as Py_ssize_t;
        (*t).ob_hash = -1;
        PyRef::from_raw(op)
    }
}

#[inline(always)]
fn item_ptr(t: &Obj, i: usize) -> *mut *mut PyObject {
    // SAFETY: t is a tuple with more than i items.
    unsafe { ((&raw mut (*(t.as_ptr() as *mut PyTupleObject)).ob_item) as *mut *mut PyObject).add(i) }
}

/// Stores an owned item into a fresh tuple (`PyTuple_SET_ITEM`: steals, drops any old item).
pub fn init_item(t: &Obj, i: usize, v: PyRef) {
    // SAFETY: i < len(t); the previous value is NULL or owned.
    unsafe {
        let p = item_ptr(t, i);
        let old = *p;
        *p = v.into_raw();
        crate::object::xdecref(old);
    }
}

pub fn new_from(items: &[&Obj]) -> PyRef {
    let t = alloc(items.len());
    for (i, v) in items.iter().enumerate() {
        init_item(&t, i, v.new_ref());
    }
    t
}

pub fn new_from_owned(items: Vec<PyRef>) -> PyRef {
    let t = alloc(items.len());
    for (i, v) in items.into_iter().enumerate() {
        init_item(&t, i, v);
    }
    t
}

#[inline(always)]
pub fn check(o: &Obj) -> bool {
    o.ob_type().has_flag(Py_TPFLAGS_TUPLE_SUBCLASS)
}

#[inline(always)]
pub fn len(t: &Obj) -> usize {
    // SAFETY: t is a tuple.
    unsafe { t.ob_size() as usize }
}

/// The raw item pointers of a tuple.
///
/// # Safety
/// `t` is a live tuple.
pub unsafe fn items_raw<'a>(t: *mut PyObject) -> &'a [*mut PyObject] {
    // SAFETY: guaranteed by the caller.
    unsafe {
        let t = Obj::from_ptr(t);
        core::slice::from_raw_parts(item_ptr(t, 0), len(t))
    }
}

/// The items of a fully built tuple.
pub fn items(t: &Obj) -> &[&Obj] {
    // SAFETY: a built tuple has no NULL items; `*mut PyObject` and `&Obj` share a layout.
    unsafe { &*(items_raw(t.as_ptr()) as *const [*mut PyObject] as *const [&Obj]) }
}

pub fn as_slice_if_tuple(o: &Obj) -> Option<&[&Obj]> {
    if check(o) { Some(items(o)) } else { None }
}

/// Item `i` (borrowed; caller checked bounds).
pub fn get(t: &Obj, i: usize) -> &Obj {
    items(t)[i]
}

pub fn types() -> [&'static TypeObj; 1] {
    [&PyTuple_Type]
}

/// `repr` of a sequence of items between `open` and `close`.
pub fn repr_items(items: &[&Obj], open: &str, close: &str, trailing_comma_for_one: bool) -> PyResult<String> {
    let mut s = String::from(open);
    for (i, v) in items.iter().enumerate() {
        if i > 0 {
            s.push_str(", ");
        }
        s.push_str(&unicode::as_str_lossy(&*crate::abstract_::repr(v)?));
    }
    if trailing_comma_for_one && items.len() == 1 {
        s.push(',');
    }
    s.push_str(close);
    Ok(s)
}

// ---- slots ----------------------------------------------------------------------------------

unsafe extern "C" fn tuple_dealloc(o: *mut PyObject) {
    // SAFETY: a dead tuple: release items, then memory.
    unsafe {
        let t = arg(o);
        for &p in items_raw(o) {
            crate::object::xdecref(p);
        }
        match (*(*o).ob_type).tp_free {
            Some(f) => f(o as *mut _),
            None => crate::alloc::free_object(t.as_ptr()),
        }
    }
}

unsafe extern "C" fn tuple_traverse(o: *mut PyObject, visit: visitproc, a: *mut core::ffi::c_void) -> c_int {
    // SAFETY: live tuple; visit is the collector's callback.
    unsafe {
        let Some(visit) = visit else { return 0 };
        for &p in items_raw(o) {
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

unsafe extern "C" fn tuple_repr(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: live tuple.
    ret_obj(repr_items(items(unsafe { arg(o) }), "(", ")", true).map(|s| unicode::new(&s)))
}

/// CPython's xxHash-based tuple hash (`tuplehash`).
unsafe extern "C" fn tuple_hash(o: *mut PyObject) -> Py_hash_t {
    const P1: u64 = 11400714785074694791;
    const P2: u64 = 14029467366897019727;
    const P5: u64 = 2870177450012600261;
    // SAFETY: live tuple.
    let t = unsafe { arg(o) };
    let its = items(t);
    let mut acc = P5;
    for v in its {
        let h = match crate::abstract_::hash(v) {
            Ok(h) => h,
            Err(e) => {
                e.restore();
                return -1;
            }
        };
        acc = acc.wrapping_add((h as u64).wrapping_mul(P2));
        acc = acc.rotate_left(31);
        acc = acc.wrapping_mul(P1);
    }
    acc = acc.wrapping_add((its.len() as u64) ^ (P5 ^ 3527539));
    if acc == u64::MAX { 1546275796 } else { acc as Py_hash_t }
}

unsafe extern "C" fn tuple_richcompare(a: *mut PyObject, b: *mut PyObject, op: c_int) -> *mut PyObject {
    // SAFETY: live arguments.
    let (a, b) = unsafe { (arg(a), arg(b)) };
    if !check(a) || !check(b) {
        return none::not_implemented().into_raw();
    }
    ret_obj(crate::abstract_::sequence_richcompare(items(a), items(b), op))
}

unsafe extern "C" fn tuple_length(o: *mut PyObject) -> Py_ssize_t {
    // SAFETY: live tuple.
    len(unsafe { arg(o) }) as Py_ssize_t
}

unsafe extern "C" fn tuple_item(o: *mut PyObject, i: Py_ssize_t) -> *mut PyObject {
    // SAFETY: live tuple.
    let t = unsafe { arg(o) };
    if i < 0 || i as usize >= len(t) {
        return ret_obj(Err(raise!(IndexError, "tuple index out of range")));
    }
    get(t, i as usize).new_ref().into_raw()
}

unsafe extern "C" fn tuple_subscript(o: *mut PyObject, key: *mut PyObject) -> *mut PyObject {
    // SAFETY: live arguments.
    let (t, key) = unsafe { (arg(o), arg(key)) };
    let r = (|| {
        let i = crate::abstract_::index_for(key, "tuple")?;
        let n = len(t) as i64;
        let j = if i < 0 { i + n } else { i };
        if j < 0 || j >= n {
            return Err(raise!(IndexError, "tuple index out of range"));
        }
        Ok(get(t, j as usize).new_ref())
    })();
    ret_obj(r)
}

unsafe extern "C" fn tuple_contains(o: *mut PyObject, v: *mut PyObject) -> c_int {
    // SAFETY: live arguments.
    let (t, v) = unsafe { (arg(o), arg(v)) };
    ret_int(crate::abstract_::contains_in(items(t), v).map(c_int::from))
}
