//! `tuple`: `PyTupleObject` (var header, cached hash, inline item pointers). A GC container.
//! The empty tuple is an immortal static.

use core::ffi::c_int;
use core::mem::offset_of;

use pyrite_abi::*;

use crate::err::PyResult;
use crate::object::{Obj, PyRef, StaticObject};
use crate::objects::argparse::{self, check_positional};
use crate::objects::iterobject::{self, index_iter_state, IndexIter};
use crate::objects::slice::{self, Key};
use crate::objects::type_::{TypeObj, BUILTIN_BASETYPE_FLAGS, BUILTIN_FLAGS};
use crate::objects::{list, long, none, unicode};
use crate::slot::{arg, opt_arg, ret_int, ret_obj};
use crate::{method_table, static_type};

static_type!(PyTuple_Type, c"tuple", offset_of!(PyTupleObject, ob_item), {
    tp_itemsize: core::mem::size_of::<*mut PyObject>() as isize,
    tp_flags: BUILTIN_BASETYPE_FLAGS | Py_TPFLAGS_HAVE_GC | Py_TPFLAGS_TUPLE_SUBCLASS | _Py_TPFLAGS_MATCH_SELF | Py_TPFLAGS_SEQUENCE,
    tp_dealloc: Some(tuple_dealloc),
    tp_repr: Some(tuple_repr),
    tp_hash: Some(tuple_hash),
    tp_richcompare: Some(tuple_richcompare),
    tp_traverse: Some(tuple_traverse),
    tp_iter: Some(tuple_iter),
    tp_as_sequence: TUPLE_AS_SEQUENCE.0.get(),
    tp_as_mapping: TUPLE_AS_MAPPING.0.get(),
    tp_methods: TUPLE_METHODS.0.get() as *mut PyMethodDef,
    tp_alloc: Some(crate::alloc::generic_alloc),
    tp_new: Some(tuple_new),
    tp_free: Some(crate::alloc::gc_del),
    tp_doc: c"Built-in immutable sequence.\n\nIf no argument is given, the constructor returns an empty tuple.\nIf iterable is specified the tuple is initialized from iterable's items.\n\nIf the argument is a tuple, the return value is the same object.".as_ptr(),
});

static TUPLE_AS_SEQUENCE: StaticObject<PySequenceMethods> = StaticObject::new(PySequenceMethods {
    sq_length: Some(tuple_length),
    sq_concat: Some(tuple_concat),
    sq_repeat: Some(tuple_repeat),
    sq_item: Some(tuple_item),
    sq_contains: Some(tuple_contains),
    ..PySequenceMethods::EMPTY
});

method_table!(static TUPLE_METHODS = [
    class_o c"__class_getitem__" => crate::objects::genericalias::class_getitem,
    noargs c"__getnewargs__" => m_getnewargs,
    fast c"index" => m_index,
    o c"count" => m_count,
]);

static_type!(PyTupleIter_Type, c"tuple_iterator", core::mem::size_of::<IndexIter>(), {
    tp_flags: BUILTIN_FLAGS | Py_TPFLAGS_HAVE_GC,
    tp_dealloc: Some(iterobject::index_iter_dealloc),
    tp_traverse: Some(iterobject::index_iter_traverse),
    tp_iter: Some(iterobject::self_iter),
    tp_iternext: Some(tupleiter_next),
    tp_methods: TUPLEITER_METHODS.0.get() as *mut PyMethodDef,
    tp_free: Some(crate::alloc::gc_del),
});

method_table!(static TUPLEITER_METHODS = [
    noargs c"__length_hint__" => tupleiter_length_hint,
]);

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

pub fn types() -> [&'static TypeObj; 2] {
    [&PyTuple_Type, &PyTupleIter_Type]
}

#[inline(always)]
pub fn check_exact(o: &Obj) -> bool {
    o.is_exact(&PyTuple_Type)
}

/// `tuple(iterable)` (`PySequence_Tuple`): an exact tuple is returned as is.
pub fn from_iterable(o: &Obj) -> PyResult<PyRef> {
    if check_exact(o) {
        return Ok(o.new_ref());
    }
    Ok(new_from_owned(iterobject::collect(o)?))
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
    let t = unsafe { arg(o) };
    if len(t) == 0 {
        return unicode::new("()").into_raw();
    }
    let Some(_guard) = list::ReprGuard::enter(t) else { return unicode::new("(...)").into_raw() };
    // SAFETY: a live tuple's slots. A tuple C code made with `PyTuple_New` and has not filled
    // yet holds NULLs, shown as `<NULL>` as CPython does.
    let raw = unsafe { items_raw(o) };
    if raw.iter().any(|p| p.is_null()) {
        let r = (|| {
            let mut s = String::from("(");
            for (i, &p) in raw.iter().enumerate() {
                if i > 0 {
                    s.push_str(", ");
                }
                // SAFETY: a non-NULL slot is an owned item.
                match unsafe { opt_arg(p) } {
                    Some(v) => s.push_str(&unicode::as_str_lossy(&*crate::abstract_::repr(v)?)),
                    None => s.push_str("<NULL>"),
                }
            }
            s.push_str(if raw.len() == 1 { ",)" } else { ")" });
            Ok(unicode::new(&s))
        })();
        return ret_obj(r);
    }
    ret_obj(repr_items(items(t), "(", ")", true).map(|s| unicode::new(&s)))
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

/// `t[key]`: an item or a slice (a full slice of an exact tuple is the tuple itself).
pub fn subscript(t: &Obj, key: &Obj) -> PyResult<PyRef> {
    match slice::sequence_key(key, len(t))? {
        Some(Key::Index(i)) => {
            if i < 0 || i as usize >= len(t) {
                return Err(raise!(IndexError, "tuple index out of range"));
            }
            Ok(get(t, i as usize).new_ref())
        }
        Some(Key::Slice(r)) => {
            if r.step == 1 && r.len == len(t) && check_exact(t) {
                return Ok(t.new_ref());
            }
            let its = items(t);
            let picked: Vec<&Obj> = r.indices().map(|i| its[i]).collect();
            Ok(new_from(&picked))
        }
        None => Err(raise!(TypeError, "tuple indices must be integers or slices, not {}", key.ob_type().name())),
    }
}

unsafe extern "C" fn tuple_subscript(o: *mut PyObject, key: *mut PyObject) -> *mut PyObject {
    // SAFETY: live arguments.
    ret_obj(subscript(unsafe { arg(o) }, unsafe { arg(key) }))
}

unsafe extern "C" fn tuple_concat(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    // SAFETY: live arguments.
    let (a, b) = unsafe { (arg(a), arg(b)) };
    if !check(b) {
        return ret_obj(Err(raise!(TypeError, "can only concatenate tuple (not \"{}\") to tuple", b.ob_type().name())));
    }
    if len(b) == 0 && check_exact(a) {
        return a.new_ref().into_raw();
    }
    if len(a) == 0 && check_exact(b) {
        return b.new_ref().into_raw();
    }
    let mut v: Vec<&Obj> = items(a).to_vec();
    v.extend_from_slice(items(b));
    new_from(&v).into_raw()
}

unsafe extern "C" fn tuple_repeat(a: *mut PyObject, n: Py_ssize_t) -> *mut PyObject {
    // SAFETY: live argument.
    let t = unsafe { arg(a) };
    if n == 1 && check_exact(t) {
        return t.new_ref().into_raw();
    }
    let owned: Vec<PyRef> = items(t).iter().map(|v| v.new_ref()).collect();
    ret_obj(list::repeat_items(&owned, n).map(new_from_owned))
}

unsafe extern "C" fn tuple_iter(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: live tuple.
    iterobject::index_iter_new(&PyTupleIter_Type, unsafe { arg(o) }, 0).into_raw()
}

unsafe extern "C" fn tupleiter_next(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: live iterator.
    let it = unsafe { arg(o) };
    let (i, Some(seq)) = index_iter_state(it) else { return core::ptr::null_mut() };
    if i >= 0 && (i as usize) < len(seq) {
        iterobject::index_iter_set_index(it, i + 1);
        return get(seq, i as usize).new_ref().into_raw();
    }
    iterobject::index_iter_exhaust(it);
    core::ptr::null_mut()
}

fn tupleiter_length_hint(it: &Obj) -> PyResult<PyRef> {
    iterobject::forward_length_hint(it, len)
}

unsafe extern "C" fn tuple_new(ty: *mut PyTypeObject, args: *mut PyObject, kwds: *mut PyObject) -> *mut PyObject {
    // SAFETY: tp_new contract.
    let (t, args, kwds) = unsafe { (TypeObj::from_ptr(ty), items(arg(args)), opt_arg(kwds)) };
    let r = (|| {
        if t.is(&PyTuple_Type) {
            argparse::no_kw_dict("tuple", kwds)?;
        }
        check_positional("tuple", args.len(), 0, 1)?;
        let base = match args.first() {
            Some(it) => from_iterable(it)?,
            None => empty(),
        };
        if t.is(&PyTuple_Type) {
            return Ok(base);
        }
        // A subclass instance: allocated by the subtype, filled with the items.
        let n = len(&base);
        // SAFETY: tp_alloc of a tuple subtype returns zeroed memory of its layout.
        unsafe {
            let alloc = t.slots().tp_alloc.unwrap_or(crate::alloc::generic_alloc);
            let op = crate::slot::from_new(alloc(t.raw(), n as Py_ssize_t))?;
            (*(op.as_ptr() as *mut PyTupleObject)).ob_hash = -1;
            for (i, v) in items(&base).iter().enumerate() {
                init_item(&op, i, v.new_ref());
            }
            Ok(op)
        }
    })();
    ret_obj(r)
}

fn m_getnewargs(t: &Obj) -> PyResult<PyRef> {
    Ok(new_from(&[&*new_from(items(t))]))
}

fn m_index(t: &Obj, args: &[&Obj]) -> PyResult<PyRef> {
    check_positional("index", args.len(), 1, 3)?;
    let (start, stop) = argparse::adjust_range(
        argparse::slice_index_not_none(args.get(1).copied())?,
        argparse::slice_index_not_none(args.get(2).copied())?,
        len(t),
    );
    let its = items(t);
    for (i, v) in its.iter().enumerate().take(stop).skip(start) {
        if crate::abstract_::rich_compare_bool(v, args[0], Py_EQ)? {
            return Ok(long::from_i64(i as i64));
        }
    }
    Err(raise!(ValueError, "tuple.index(x): x not in tuple"))
}

fn m_count(t: &Obj, v: &Obj) -> PyResult<PyRef> {
    let mut n = 0;
    for x in items(t) {
        if crate::abstract_::rich_compare_bool(x, v, Py_EQ)? {
            n += 1;
        }
    }
    Ok(long::from_i64(n))
}

unsafe extern "C" fn tuple_contains(o: *mut PyObject, v: *mut PyObject) -> c_int {
    // SAFETY: live arguments.
    let (t, v) = unsafe { (arg(o), arg(v)) };
    ret_int(crate::abstract_::contains_in(items(t), v).map(c_int::from))
}
