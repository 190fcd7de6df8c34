//! `list`: `PyListObject` (`ob_item` array on the C heap, `allocated` capacity). A GC container.
//! Also its iterators (`list_iterator`, `list_reverseiterator`), slicing, the methods and the
//! stable merge sort behind `list.sort`.
//!
//! While `sort` runs, the list is empty and `allocated == -1` (as in CPython), so a key function
//! or comparison that mutates it is detected ("list modified during sort").

use core::ffi::c_int;
use core::ptr::null_mut;
use std::cell::RefCell;

use pyrite_abi::*;

use crate::err::PyResult;
use crate::object::{Obj, PyRef, StaticObject};
use crate::objects::argparse::{self, check_positional, Kw, Sig};
use crate::objects::iterobject::{self, index_iter_state, IndexIter};
use crate::objects::slice::{self, Key};
use crate::objects::type_::{TypeObj, BUILTIN_BASETYPE_FLAGS, BUILTIN_FLAGS};
use crate::objects::{float, long, none, tuple, unicode};
use crate::slot::{arg, opt_arg, ret_int, ret_obj};
use crate::{method_table, static_type};

static_type!(PyList_Type, c"list", core::mem::size_of::<PyListObject>(), {
    tp_flags: BUILTIN_BASETYPE_FLAGS | Py_TPFLAGS_HAVE_GC | Py_TPFLAGS_LIST_SUBCLASS | _Py_TPFLAGS_MATCH_SELF | Py_TPFLAGS_SEQUENCE,
    tp_dealloc: Some(list_dealloc),
    tp_clear: Some(list_clear),
    tp_repr: Some(list_repr),
    tp_hash: Some(unhashable),
    tp_richcompare: Some(list_richcompare),
    tp_traverse: Some(list_traverse),
    tp_iter: Some(list_iter),
    tp_as_sequence: LIST_AS_SEQUENCE.0.get(),
    tp_as_mapping: LIST_AS_MAPPING.0.get(),
    tp_methods: LIST_METHODS.0.get() as *mut PyMethodDef,
    tp_init: Some(list_init),
    tp_alloc: Some(crate::alloc::generic_alloc),
    tp_new: Some(list_new),
    tp_free: Some(crate::alloc::gc_del),
    tp_doc: c"Built-in mutable sequence.\n\nIf no argument is given, the constructor creates a new empty list.\nThe argument must be an iterable if specified.".as_ptr(),
});

static LIST_AS_SEQUENCE: StaticObject<PySequenceMethods> = StaticObject::new(PySequenceMethods {
    sq_length: Some(list_length),
    sq_concat: Some(list_concat),
    sq_repeat: Some(list_repeat),
    sq_item: Some(list_item),
    sq_ass_item: Some(list_ass_item),
    sq_contains: Some(list_contains),
    sq_inplace_concat: Some(list_inplace_concat),
    sq_inplace_repeat: Some(list_inplace_repeat),
    ..PySequenceMethods::EMPTY
});

static LIST_AS_MAPPING: StaticObject<PyMappingMethods> = StaticObject::new(PyMappingMethods {
    mp_length: Some(list_length),
    mp_subscript: Some(list_subscript),
    mp_ass_subscript: Some(list_ass_subscript),
});

method_table!(static LIST_METHODS = [
    class_o c"__class_getitem__" => crate::objects::genericalias::class_getitem,
    o_coexist c"__getitem__" => m_getitem,
    noargs c"__reversed__" => m_reversed,
    noargs c"clear" => m_clear,
    noargs c"copy" => m_copy,
    o c"append" => m_append,
    fast c"insert" => m_insert,
    o c"extend" => m_extend,
    fast c"pop" => m_pop,
    o c"remove" => m_remove,
    fast c"index" => m_index,
    o c"count" => m_count,
    noargs c"reverse" => m_reverse,
    kw c"sort" => m_sort,
]);

static_type!(PyListIter_Type, c"list_iterator", core::mem::size_of::<IndexIter>(), {
    tp_flags: BUILTIN_FLAGS | Py_TPFLAGS_HAVE_GC,
    tp_dealloc: Some(iterobject::index_iter_dealloc),
    tp_traverse: Some(iterobject::index_iter_traverse),
    tp_iter: Some(iterobject::self_iter),
    tp_iternext: Some(listiter_next),
    tp_methods: LISTITER_METHODS.0.get() as *mut PyMethodDef,
    tp_free: Some(crate::alloc::gc_del),
});

method_table!(static LISTITER_METHODS = [
    noargs c"__length_hint__" => listiter_length_hint,
]);

static_type!(PyListRevIter_Type, c"list_reverseiterator", core::mem::size_of::<IndexIter>(), {
    tp_flags: BUILTIN_FLAGS | Py_TPFLAGS_HAVE_GC,
    tp_dealloc: Some(iterobject::index_iter_dealloc),
    tp_traverse: Some(iterobject::index_iter_traverse),
    tp_iter: Some(iterobject::self_iter),
    tp_iternext: Some(listreviter_next),
    tp_methods: LISTREVITER_METHODS.0.get() as *mut PyMethodDef,
    tp_free: Some(crate::alloc::gc_del),
});

method_table!(static LISTREVITER_METHODS = [
    noargs c"__length_hint__" => listreviter_length_hint,
]);

pub fn types() -> [&'static TypeObj; 3] {
    [&PyList_Type, &PyListIter_Type, &PyListRevIter_Type]
}

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
            assert!(!(*l).ob_item.is_null(), "out of memory allocating a list");
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

/// A list owning `items`.
pub fn new_from_owned(items: Vec<PyRef>) -> PyRef {
    let l = alloc(items.len());
    for (i, v) in items.into_iter().enumerate() {
        // SAFETY: i < len; slots start NULL.
        unsafe { *(*raw(&l)).ob_item.add(i) = v.into_raw() };
    }
    l
}

/// `list(iterable)`.
pub fn from_iterable(o: &Obj) -> PyResult<PyRef> {
    Ok(new_from_owned(iterobject::collect(o)?))
}

#[inline(always)]
pub fn check(o: &Obj) -> bool {
    o.ob_type().has_flag(Py_TPFLAGS_LIST_SUBCLASS)
}

#[inline(always)]
pub fn check_exact(o: &Obj) -> bool {
    o.is_exact(&PyList_Type)
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

/// Item `i` as a new reference, or None past the end (re-checked each call: safe while the
/// list changes under a loop).
pub fn get_ref(l: &Obj, i: usize) -> Option<PyRef> {
    if i < len(l) { get(l, i).map(Obj::new_ref) } else { None }
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

/// `list_resize`: sets the size to `newsize`, growing or shrinking the array as CPython does.
fn resize(l: &Obj, newsize: usize) {
    // SAFETY: l is a list; slots beyond the old size are uninitialised until the caller fills
    // them.
    unsafe {
        let r = raw(l);
        let allocated = (*r).allocated;
        if allocated >= newsize as Py_ssize_t && newsize as Py_ssize_t >= (allocated >> 1) {
            (*r).ob_base.ob_size = newsize as Py_ssize_t;
            return;
        }
        let mut cap = (newsize + (newsize >> 3) + 6) & !3;
        if newsize as isize - (*r).ob_base.ob_size > (cap - newsize) as isize {
            cap = (newsize + 3) & !3;
        }
        if newsize == 0 {
            cap = 0;
        }
        if cap == 0 {
            crate::alloc::raw_free((*r).ob_item as *mut _);
            (*r).ob_item = null_mut();
        } else {
            let p = crate::alloc::raw_realloc((*r).ob_item as *mut _, cap * 8) as *mut *mut PyObject;
            assert!(!p.is_null(), "out of memory growing a list");
            (*r).ob_item = p;
        }
        (*r).allocated = cap as Py_ssize_t;
        (*r).ob_base.ob_size = newsize as Py_ssize_t;
    }
}

pub fn append(l: &Obj, v: &Obj) {
    push(l, v.new_ref());
}

/// Appends an owned item.
pub fn push(l: &Obj, v: PyRef) {
    let n = len(l);
    resize(l, n + 1);
    // SAFETY: the new slot is within the allocation.
    unsafe { *(*raw(l)).ob_item.add(n) = v.into_raw() };
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
        resize(l, n - 1);
        v
    }
}

pub fn as_tuple(l: &Obj) -> PyRef {
    tuple::new_from_owned(to_vec(l))
}

/// `list.clear()`: the items are released after the list is already empty.
pub fn clear(l: &Obj) {
    // SAFETY: l is a list; the array and its items are taken out before any decref runs.
    unsafe {
        let r = raw(l);
        let (items, n) = ((*r).ob_item, (*r).ob_base.ob_size as usize);
        (*r).ob_item = null_mut();
        (*r).ob_base.ob_size = 0;
        (*r).allocated = 0;
        if !items.is_null() {
            for i in 0..n {
                crate::object::xdecref(*items.add(i));
            }
            crate::alloc::raw_free(items as *mut _);
        }
    }
}

/// `list.extend(iterable)`.
pub fn extend(l: &Obj, iterable: &Obj) -> PyResult<()> {
    if check(iterable) || tuple::check(iterable) {
        // `l.extend(l)` reads the items before growing.
        for v in iterobject::fast_items(iterable, "")? {
            push(l, v);
        }
        return Ok(());
    }
    let it = iterobject::get_iter(iterable)?;
    while let Some(v) = iterobject::next(&it)? {
        push(l, v);
    }
    Ok(())
}

/// `l[lo:hi]` as a new list (bounds clamped).
pub fn get_slice(l: &Obj, lo: isize, hi: isize) -> PyRef {
    let n = len(l) as isize;
    let lo = lo.clamp(0, n) as usize;
    let hi = hi.clamp(lo as isize, n) as usize;
    let items: Vec<PyRef> = slots(l)[lo..hi].iter().map(|&p| unsafe { Obj::from_ptr(p) }.new_ref()).collect();
    new_from_owned(items)
}

/// Replaces `l[lo:hi]` (bounds clamped) with `items`; the old items are released last.
fn replace_range(l: &Obj, lo: isize, hi: isize, items: Vec<PyRef>) {
    let n = len(l);
    let lo = lo.clamp(0, n as isize) as usize;
    let hi = hi.clamp(lo as isize, n as isize) as usize;
    let k = items.len();
    // SAFETY: indices are within 0..n; the array is rearranged before anything is released.
    unsafe {
        let mut old: Vec<Option<PyRef>> = Vec::with_capacity(hi - lo);
        {
            let p = (*raw(l)).ob_item;
            for i in lo..hi {
                old.push(PyRef::from_raw_opt(*p.add(i)));
            }
        }
        let newlen = n - (hi - lo) + k;
        if k > hi - lo {
            resize(l, newlen);
            let p = (*raw(l)).ob_item;
            core::ptr::copy(p.add(hi), p.add(lo + k), n - hi);
        } else {
            let p = (*raw(l)).ob_item;
            if !p.is_null() {
                core::ptr::copy(p.add(hi), p.add(lo + k), n - hi);
            }
            resize(l, newlen);
        }
        let p = (*raw(l)).ob_item;
        for (j, v) in items.into_iter().enumerate() {
            *p.add(lo + j) = v.into_raw();
        }
        drop(old);
    }
}

/// `l[lo:hi] = v` (`v` None: `del l[lo:hi]`) — `list_ass_slice`.
pub fn set_slice(l: &Obj, lo: isize, hi: isize, v: Option<&Obj>) -> PyResult<()> {
    let items = match v {
        None => Vec::new(),
        Some(v) if v.is(l) => to_vec(l),
        Some(v) => iterobject::fast_items(v, "must assign iterable to extended slice")?,
    };
    replace_range(l, lo, hi, items);
    Ok(())
}

/// `list.reverse()`.
pub fn reverse(l: &Obj) {
    let n = len(l);
    if n > 1 {
        // SAFETY: the array has n initialised slots.
        unsafe { core::slice::from_raw_parts_mut((*raw(l)).ob_item, n).reverse() };
    }
}

// ---- repr recursion guard -------------------------------------------------------------------

thread_local! {
    /// Containers whose repr is being computed on this thread (`Py_ReprEnter`).
    static REPR_STACK: RefCell<Vec<usize>> = const { RefCell::new(Vec::new()) };
}

/// `Py_ReprEnter`/`Py_ReprLeave` as a guard: `None` if `o`'s repr is already in progress (the
/// caller prints `[...]`, `{...}`, ...).
pub struct ReprGuard(usize);

impl ReprGuard {
    pub fn enter(o: &Obj) -> Option<ReprGuard> {
        let key = o.as_ptr() as usize;
        REPR_STACK.with(|s| {
            let mut s = s.borrow_mut();
            if s.contains(&key) {
                None
            } else {
                s.push(key);
                Some(ReprGuard(key))
            }
        })
    }
}

/// `Py_ReprEnter`: true if `o`'s repr is already in progress on this thread; else records it.
pub fn repr_enter(o: &Obj) -> bool {
    match ReprGuard::enter(o) {
        Some(g) => {
            core::mem::forget(g);
            false
        }
        None => true,
    }
}

/// `Py_ReprLeave`: forgets the innermost record of `o` (if any).
pub fn repr_leave(o: &Obj) {
    drop(ReprGuard(o.as_ptr() as usize));
}

impl Drop for ReprGuard {
    fn drop(&mut self) {
        REPR_STACK.with(|s| {
            let mut s = s.borrow_mut();
            if let Some(i) = s.iter().rposition(|&k| k == self.0) {
                s.remove(i);
            }
        });
    }
}

// ---- sorting --------------------------------------------------------------------------------

/// How keys compare: the fast paths CPython's `unsafe_*_compare` take when every key has the
/// same exact built-in type, else `<` through the rich comparison.
#[derive(Clone, Copy)]
enum KeyKind {
    Str,
    Int,
    Float,
    Generic,
}

fn key_kind(keys: &[&Obj]) -> KeyKind {
    let Some(first) = keys.first() else { return KeyKind::Generic };
    let t = first.ob_type();
    if !keys.iter().all(|k| k.ob_type().is(t)) {
        return KeyKind::Generic;
    }
    if t.is(&unicode::PyUnicode_Type) {
        KeyKind::Str
    } else if t.is(&long::PyLong_Type) {
        KeyKind::Int
    } else if t.is(&float::PyFloat_Type) {
        KeyKind::Float
    } else {
        KeyKind::Generic
    }
}

fn key_lt(kind: KeyKind, a: &Obj, b: &Obj) -> PyResult<bool> {
    Ok(match kind {
        KeyKind::Str => unicode::chars(a).lt(unicode::chars(b)),
        KeyKind::Int => long::compare(a, b) == core::cmp::Ordering::Less,
        KeyKind::Float => float::value(a) < float::value(b),
        KeyKind::Generic => crate::abstract_::rich_compare_bool(a, b, Py_LT)?,
    })
}

/// A stable merge sort of `perm` (indices into `keys`) by `lt`: binary insertion sort of runs
/// of 32, then bottom-up merges. Stops at the first comparison error.
fn merge_sort(perm: &mut Vec<usize>, lt: &mut dyn FnMut(usize, usize) -> PyResult<bool>) -> PyResult<()> {
    const RUN: usize = 32;
    let n = perm.len();
    let mut start = 0;
    while start < n {
        let end = (start + RUN).min(n);
        for i in start + 1..end {
            let x = perm[i];
            // Binary search for the insertion point after equal elements (stability).
            let (mut lo, mut hi) = (start, i);
            while lo < hi {
                let mid = (lo + hi) / 2;
                if lt(x, perm[mid])? {
                    hi = mid;
                } else {
                    lo = mid + 1;
                }
            }
            perm.copy_within(lo..i, lo + 1);
            perm[lo] = x;
        }
        start = end;
    }
    let mut width = RUN;
    let mut buf = perm.clone();
    while width < n {
        let mut lo = 0;
        while lo < n {
            let mid = (lo + width).min(n);
            let hi = (lo + 2 * width).min(n);
            let (mut i, mut j, mut k) = (lo, mid, lo);
            while i < mid && j < hi {
                // Take from the right run only when strictly less: equal keys keep their order.
                if lt(perm[j], perm[i])? {
                    buf[k] = perm[j];
                    j += 1;
                } else {
                    buf[k] = perm[i];
                    i += 1;
                }
                k += 1;
            }
            buf[k..k + (mid - i)].copy_from_slice(&perm[i..mid]);
            k += mid - i;
            buf[k..k + (hi - j)].copy_from_slice(&perm[j..hi]);
            lo = hi;
        }
        core::mem::swap(perm, &mut buf);
        width *= 2;
    }
    Ok(())
}

/// `list.sort(key=None, reverse=False)`: stable; `reverse` keeps equal items in their
/// original order (the list is reversed, sorted, and reversed back, as CPython does).
pub fn sort(l: &Obj, key: Option<&Obj>, reverse: bool) -> PyResult<()> {
    let r = raw(l);
    // SAFETY: l is a list; its array is taken out for the duration of the sort.
    let (saved, n, saved_alloc) = unsafe {
        let s = ((*r).ob_item, (*r).ob_base.ob_size as usize, (*r).allocated);
        (*r).ob_item = null_mut();
        (*r).ob_base.ob_size = 0;
        (*r).allocated = -1;
        s
    };
    // SAFETY: the saved array keeps its n items alive while we sort.
    let items: Vec<&Obj> = (0..n).map(|i| unsafe { Obj::from_ptr(*saved.add(i)) }).collect();
    let mut perm: Vec<usize> = (0..n).collect();
    let result = (|| -> PyResult<()> {
        let keys: Vec<PyRef>;
        let key_refs: Vec<&Obj> = match key {
            Some(f) => {
                keys = items.iter().map(|v| crate::abstract_::call_one_arg(f, v)).collect::<PyResult<_>>()?;
                keys.iter().map(|k| &**k).collect()
            }
            None => items.clone(),
        };
        if reverse {
            perm.reverse();
        }
        let kind = key_kind(&key_refs);
        let mut sorted = perm.clone();
        merge_sort(&mut sorted, &mut |a, b| key_lt(kind, key_refs[a], key_refs[b]))?;
        perm = sorted;
        if reverse {
            perm.reverse();
        }
        Ok(())
    })();
    // SAFETY: put the (permuted) items back and release whatever the list acquired meanwhile.
    unsafe {
        let order: Vec<*mut PyObject> = perm.iter().map(|&i| items[i].as_ptr()).collect();
        if result.is_ok() {
            core::ptr::copy_nonoverlapping(order.as_ptr(), saved, n);
        }
        let modified = (*r).allocated != -1;
        let (tmp_items, tmp_n) = ((*r).ob_item, (*r).ob_base.ob_size as usize);
        (*r).ob_item = saved;
        (*r).ob_base.ob_size = n as Py_ssize_t;
        (*r).allocated = saved_alloc;
        if !tmp_items.is_null() {
            for i in 0..tmp_n {
                crate::object::xdecref(*tmp_items.add(i));
            }
            crate::alloc::raw_free(tmp_items as *mut _);
        }
        if modified && result.is_ok() {
            return Err(raise!(ValueError, "list modified during sort"));
        }
    }
    result
}

// ---- slots ----------------------------------------------------------------------------------

/// `tp_hash` of unhashable types (`PyObject_HashNotImplemented`).
pub unsafe extern "C" fn unhashable(o: *mut PyObject) -> Py_hash_t {
    // SAFETY: live argument.
    // CPython names the type by `tp_name` (`functools.KeyWrapper`).
    let name = unsafe { arg(o) }.ob_type().full_name().to_string();
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
        // Last item first, as CPython visits (what `gc.get_referents` shows).
        for &p in slots(arg(o)).iter().rev() {
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

unsafe extern "C" fn list_new(ty: *mut PyTypeObject, _args: *mut PyObject, _kwds: *mut PyObject) -> *mut PyObject {
    // SAFETY: tp_new contract; a zeroed list is an empty list.
    unsafe {
        let alloc = (*ty).tp_alloc.unwrap_or(crate::alloc::generic_alloc);
        alloc(ty, 0)
    }
}

unsafe extern "C" fn list_init(o: *mut PyObject, args: *mut PyObject, kwds: *mut PyObject) -> c_int {
    // SAFETY: tp_init contract.
    let (l, args, kwds) = unsafe { (arg(o), tuple::items(arg(args)), opt_arg(kwds)) };
    let r = (|| {
        if l.is_exact(&PyList_Type) {
            argparse::no_kw_dict("list", kwds)?;
        }
        check_positional("list", args.len(), 0, 1)?;
        clear(l);
        if let Some(it) = args.first() {
            extend(l, it)?;
        }
        Ok(0)
    })();
    ret_int(r)
}

unsafe extern "C" fn list_repr(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: live list.
    let l = unsafe { arg(o) };
    if len(l) == 0 {
        return unicode::new("[]").into_raw();
    }
    let Some(_guard) = ReprGuard::enter(l) else { return unicode::new("[...]").into_raw() };
    let r = (|| {
        let mut s = String::from("[");
        // The length is read again each time: a repr may shrink the list. A slot C code has
        // not filled yet (`PyList_New`) shows as `<NULL>`, as in CPython.
        let mut i = 0;
        while i < len(l) {
            if i > 0 {
                s.push_str(", ");
            }
            match get_ref(l, i) {
                Some(v) => s.push_str(&unicode::as_str_lossy(&*crate::abstract_::repr(&v)?)),
                None => s.push_str("<NULL>"),
            }
            i += 1;
        }
        s.push(']');
        Ok(unicode::new(&s))
    })();
    ret_obj(r)
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

/// `l[key]`.
pub fn subscript(l: &Obj, key: &Obj) -> PyResult<PyRef> {
    match slice::sequence_key(key, len(l))? {
        Some(Key::Index(i)) => {
            if i < 0 || i as usize >= len(l) {
                return Err(raise!(IndexError, "list index out of range"));
            }
            get(l, i as usize).map(Obj::new_ref).ok_or_else(|| raise!(SystemError, "NULL item in list"))
        }
        Some(Key::Slice(r)) => {
            let items: Vec<PyRef> = r.indices().map(|i| unsafe { Obj::from_ptr(slots(l)[i]) }.new_ref()).collect();
            Ok(new_from_owned(items))
        }
        None => Err(raise!(TypeError, "list indices must be integers or slices, not {}", key.ob_type().name())),
    }
}

/// `l[key] = v` / `del l[key]`.
pub fn ass_subscript(l: &Obj, key: &Obj, v: Option<&Obj>) -> PyResult<()> {
    if !slice::check(key) {
        return match slice::sequence_key(key, len(l))? {
            Some(Key::Index(i)) => {
                if i < 0 || i as usize >= len(l) {
                    return Err(raise!(IndexError, "list assignment index out of range"));
                }
                match v {
                    Some(v) => set(l, i as usize, v.new_ref()),
                    None => drop(remove_at(l, i as usize)),
                }
                Ok(())
            }
            _ => Err(raise!(TypeError, "list indices must be integers or slices, not {}", key.ob_type().name())),
        };
    }
    // As CPython: the slice against the current length, then the new items. Reading them may
    // run code that resizes the list; then the slice is resolved again, so that no index is
    // stale (CPython would write past the end).
    let (start0, stop0, step) = slice::unpack(key)?;
    let resolve = |n: usize| {
        let (mut start, mut stop) = (start0, stop0);
        let len = slice::adjust_indices(n as isize, &mut start, &mut stop, step) as usize;
        slice::SliceRange { start, stop, step, len }
    };
    let before = len(l);
    let mut r = resolve(before);
    let items = match v {
        None => None,
        Some(v) if v.is(l) => Some(to_vec(l)),
        Some(v) => Some(iterobject::fast_items(v, "must assign iterable to extended slice")?),
    };
    if len(l) != before {
        r = resolve(len(l));
    }
    let (start, stop) = (r.start, r.stop);
    if step == 1 {
        replace_range(l, start, stop, items.unwrap_or_default());
        return Ok(());
    }
    match items {
        None => {
            if r.len == 0 {
                return Ok(());
            }
            let mut selected = vec![false; len(l)];
            for i in r.indices() {
                selected[i] = true;
            }
            let all: Vec<Option<PyRef>> = slots(l).iter().map(|&p| unsafe { PyRef::from_raw_opt(p) }).collect();
            let (mut kept, mut removed) = (Vec::new(), Vec::new());
            for (i, v) in all.into_iter().enumerate() {
                if selected[i] { removed.push(v) } else { kept.push(v) }
            }
            // SAFETY: the slots' references moved into `kept`/`removed`; rewrite the array.
            unsafe {
                let p = (*raw(l)).ob_item;
                for (i, v) in kept.into_iter().enumerate() {
                    *p.add(i) = v.map_or(null_mut(), PyRef::into_raw);
                }
            }
            resize(l, len(l) - removed.len());
            drop(removed);
            Ok(())
        }
        Some(seq) => {
            if seq.len() != r.len {
                return Err(raise!(
                    ValueError,
                    "attempt to assign sequence of size {} to extended slice of size {}",
                    seq.len(),
                    r.len
                ));
            }
            let mut old = Vec::with_capacity(r.len);
            for (i, item) in r.indices().zip(seq) {
                // SAFETY: i < len (the slice was resolved against the current length); the
                // slot's old reference is kept until the end.
                unsafe {
                    let p = (*raw(l)).ob_item.add(i);
                    old.push(PyRef::from_raw_opt(core::mem::replace(&mut *p, item.into_raw())));
                }
            }
            drop(old);
            Ok(())
        }
    }
}

unsafe extern "C" fn list_subscript(o: *mut PyObject, key: *mut PyObject) -> *mut PyObject {
    // SAFETY: live arguments.
    ret_obj(subscript(unsafe { arg(o) }, unsafe { arg(key) }))
}

unsafe extern "C" fn list_ass_subscript(o: *mut PyObject, key: *mut PyObject, v: *mut PyObject) -> c_int {
    // SAFETY: live arguments.
    let (l, key, v) = unsafe { (arg(o), arg(key), opt_arg(v)) };
    ret_int(ass_subscript(l, key, v).map(|_| 0))
}

/// `v in l`, comparing with the live list (it may change under a comparison).
pub fn contains(l: &Obj, v: &Obj) -> PyResult<bool> {
    let mut i = 0;
    while let Some(x) = get_ref(l, i) {
        if crate::abstract_::rich_compare_bool(&x, v, Py_EQ)? {
            return Ok(true);
        }
        i += 1;
    }
    Ok(false)
}

unsafe extern "C" fn list_contains(o: *mut PyObject, v: *mut PyObject) -> c_int {
    // SAFETY: live arguments.
    ret_int(contains(unsafe { arg(o) }, unsafe { arg(v) }).map(c_int::from))
}

fn concat(a: &Obj, b: &Obj) -> PyResult<PyRef> {
    if !check(b) {
        return Err(raise!(TypeError, "can only concatenate list (not \"{}\") to list", b.ob_type().name()));
    }
    let mut items = to_vec(a);
    items.extend(to_vec(b));
    Ok(new_from_owned(items))
}

/// `n` copies of `items` (a negative count gives none).
pub fn repeat_items(items: &[PyRef], n: isize) -> PyResult<Vec<PyRef>> {
    if n <= 0 || items.is_empty() {
        return Ok(Vec::new());
    }
    let total = items.len().checked_mul(n as usize).filter(|&t| t <= (isize::MAX as usize) / 8);
    let Some(total) = total else {
        return Err(crate::err::PyErr::from_type_no_args(crate::objects::exceptions::MemoryError()));
    };
    let mut out = Vec::with_capacity(total);
    for _ in 0..n {
        out.extend(items.iter().cloned());
    }
    Ok(out)
}

unsafe extern "C" fn list_concat(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    // SAFETY: live arguments.
    ret_obj(concat(unsafe { arg(a) }, unsafe { arg(b) }))
}

unsafe extern "C" fn list_repeat(a: *mut PyObject, n: Py_ssize_t) -> *mut PyObject {
    // SAFETY: live argument.
    let l = unsafe { arg(a) };
    ret_obj(repeat_items(&to_vec(l), n).map(new_from_owned))
}

unsafe extern "C" fn list_inplace_concat(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    // SAFETY: live arguments.
    let (l, b) = unsafe { (arg(a), arg(b)) };
    ret_obj(extend(l, b).map(|_| l.new_ref()))
}

unsafe extern "C" fn list_inplace_repeat(a: *mut PyObject, n: Py_ssize_t) -> *mut PyObject {
    // SAFETY: live argument.
    let l = unsafe { arg(a) };
    let r = (|| {
        let items = repeat_items(&to_vec(l), n)?;
        let cur = len(l) as isize;
        replace_range(l, 0, cur, items);
        Ok(l.new_ref())
    })();
    ret_obj(r)
}

unsafe extern "C" fn list_iter(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: live list.
    iterobject::index_iter_new(&PyListIter_Type, unsafe { arg(o) }, 0).into_raw()
}

// ---- iterators ------------------------------------------------------------------------------

unsafe extern "C" fn listiter_next(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: live iterator.
    let it = unsafe { arg(o) };
    let (i, Some(seq)) = index_iter_state(it) else { return null_mut() };
    if i >= 0 && (i as usize) < len(seq) {
        iterobject::index_iter_set_index(it, i + 1);
        if let Some(v) = get(seq, i as usize) {
            return v.new_ref().into_raw();
        }
    }
    iterobject::index_iter_exhaust(it);
    null_mut()
}

fn listiter_length_hint(it: &Obj) -> PyResult<PyRef> {
    iterobject::forward_length_hint(it, len)
}

unsafe extern "C" fn listreviter_next(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: live iterator.
    let it = unsafe { arg(o) };
    let (i, Some(seq)) = index_iter_state(it) else { return null_mut() };
    if i >= 0 && (i as usize) < len(seq) {
        iterobject::index_iter_set_index(it, i - 1);
        if let Some(v) = get(seq, i as usize) {
            return v.new_ref().into_raw();
        }
    }
    iterobject::index_iter_set_index(it, -1);
    iterobject::index_iter_exhaust(it);
    null_mut()
}

fn listreviter_length_hint(it: &Obj) -> PyResult<PyRef> {
    let (i, seq) = index_iter_state(it);
    let n = match seq {
        Some(s) if len(s) as isize > i => i + 1,
        _ => 0,
    };
    Ok(long::from_i64(n as i64))
}

// ---- methods --------------------------------------------------------------------------------

fn m_getitem(l: &Obj, key: &Obj) -> PyResult<PyRef> {
    subscript(l, key)
}

fn m_reversed(l: &Obj) -> PyResult<PyRef> {
    Ok(iterobject::index_iter_new(&PyListRevIter_Type, l, len(l) as isize - 1))
}

fn m_clear(l: &Obj) -> PyResult<PyRef> {
    clear(l);
    Ok(none::none())
}

fn m_copy(l: &Obj) -> PyResult<PyRef> {
    Ok(new_from_owned(to_vec(l)))
}

fn m_append(l: &Obj, v: &Obj) -> PyResult<PyRef> {
    append(l, v);
    Ok(none::none())
}

fn m_insert(l: &Obj, args: &[&Obj]) -> PyResult<PyRef> {
    check_positional("insert", args.len(), 2, 2)?;
    let i = argparse::ssize(args[0])?;
    insert(l, i, args[1]);
    Ok(none::none())
}

fn m_extend(l: &Obj, it: &Obj) -> PyResult<PyRef> {
    extend(l, it)?;
    Ok(none::none())
}

fn m_pop(l: &Obj, args: &[&Obj]) -> PyResult<PyRef> {
    check_positional("pop", args.len(), 0, 1)?;
    let i = match args.first() {
        Some(a) => argparse::ssize(a)?,
        None => -1,
    };
    let n = len(l) as isize;
    if n == 0 {
        return Err(raise!(IndexError, "pop from empty list"));
    }
    let j = if i < 0 { i + n } else { i };
    if j < 0 || j >= n {
        return Err(raise!(IndexError, "pop index out of range"));
    }
    Ok(remove_at(l, j as usize))
}

fn m_remove(l: &Obj, v: &Obj) -> PyResult<PyRef> {
    let mut i = 0;
    while let Some(x) = get_ref(l, i) {
        if crate::abstract_::rich_compare_bool(&x, v, Py_EQ)? {
            if i < len(l) {
                drop(remove_at(l, i));
            }
            return Ok(none::none());
        }
        i += 1;
    }
    Err(raise!(ValueError, "list.remove(x): x not in list"))
}

fn m_index(l: &Obj, args: &[&Obj]) -> PyResult<PyRef> {
    check_positional("index", args.len(), 1, 3)?;
    let n = len(l) as isize;
    let norm = |v: Option<isize>, default: isize| -> isize {
        match v {
            None => default,
            Some(x) if x < 0 => (x + n).max(0),
            Some(x) => x,
        }
    };
    let start = norm(argparse::slice_index_not_none(args.get(1).copied())?, 0);
    let stop = norm(argparse::slice_index_not_none(args.get(2).copied())?, isize::MAX);
    let mut i = start;
    while i < stop {
        let Some(x) = get_ref(l, i as usize) else { break };
        if crate::abstract_::rich_compare_bool(&x, args[0], Py_EQ)? {
            return Ok(long::from_i64(i as i64));
        }
        i += 1;
    }
    Err(raise!(ValueError, "list.index(x): x not in list"))
}

fn m_count(l: &Obj, v: &Obj) -> PyResult<PyRef> {
    let mut i = 0;
    let mut count = 0;
    while let Some(x) = get_ref(l, i) {
        if crate::abstract_::rich_compare_bool(&x, v, Py_EQ)? {
            count += 1;
        }
        i += 1;
    }
    Ok(long::from_i64(count))
}

fn m_reverse(l: &Obj) -> PyResult<PyRef> {
    reverse(l);
    Ok(none::none())
}

static SORT_SIG: Sig = Sig { name: "sort", params: &["key", "reverse"], posonly: 0, maxpos: 0, required: 0 };

fn m_sort(l: &Obj, args: &[&Obj], kw: Kw) -> PyResult<PyRef> {
    let [key, rev] = argparse::parse(&SORT_SIG, args, kw)?;
    let reverse = match rev {
        Some(r) => crate::abstract_::is_true(r)?,
        None => false,
    };
    sort(l, argparse::not_none(key), reverse)?;
    Ok(none::none())
}

unsafe extern "C" fn list_clear(o: *mut PyObject) -> core::ffi::c_int {
    // SAFETY: a live list.
    clear(unsafe { arg(o) });
    0
}
