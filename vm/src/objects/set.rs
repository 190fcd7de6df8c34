//! `set` and `frozenset`: CPython's `PySetObject` and its hash table, algorithm for algorithm
//! (probe runs of 9 slots then perturbed jumps, an 8-slot table inside the object, dummy
//! entries reused on insertion, the same resize policy), so that for the same hashes iteration
//! order — and therefore every repr — is CPython's. Also `set_iterator` and `frozenset`'s hash.
//!
//! Invariant: a zeroed `SetObject` is a valid empty set (`table` NULL means "the small table"),
//! so memory from a generic `tp_alloc` is usable.

use core::ffi::c_int;
use core::mem::size_of;
use core::ptr::null_mut;

use pyrite_abi::*;

use crate::err::{PyErr, PyResult};
use crate::object::{static_head, Obj, PyRef, StaticObject};
use crate::objects::argparse::{self, check_positional};
use crate::objects::type_::{TypeObj, BUILTIN_BASETYPE_FLAGS, BUILTIN_FLAGS};
use crate::objects::{bool_, dict, exceptions as exc, iterobject, list, long, none, tuple, unicode};
use crate::slot::{arg, opt_arg, ret_int, ret_obj};
use crate::{method_table, static_type};

/// CPython's `setentry`: an empty slot is `{NULL, 0}`, a deleted one `{dummy, -1}`.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct SetEntry {
    pub key: *mut PyObject,
    pub hash: Py_hash_t,
}

const MINSIZE: usize = 8;
const LINEAR_PROBES: usize = 9;
const PERTURB_SHIFT: u32 = 5;

/// CPython's `PySetObject`.
#[repr(C)]
pub struct SetObject {
    pub ob_base: PyObject,
    /// Active + dummy entries.
    pub fill: Py_ssize_t,
    /// Active entries (`PySet_GET_SIZE`).
    pub used: Py_ssize_t,
    /// Table size - 1.
    pub mask: Py_ssize_t,
    pub table: *mut SetEntry,
    /// frozenset's cached hash (-1: not computed).
    pub hash: Py_hash_t,
    /// Where `pop` resumes its search.
    pub finger: Py_ssize_t,
    pub smalltable: [SetEntry; MINSIZE],
    pub weakreflist: *mut PyObject,
}

/// The placeholder key of deleted entries (never seen by Python code).
static DUMMY: StaticObject<PyObject> = StaticObject::new(static_head(crate::objects::type_::PyBaseObject_Type.raw()));

#[inline(always)]
fn dummy() -> *mut PyObject {
    DUMMY.as_ptr()
}

static_type!(PySet_Type, c"set", size_of::<SetObject>(), {
    tp_flags: BUILTIN_BASETYPE_FLAGS | Py_TPFLAGS_HAVE_GC | _Py_TPFLAGS_MATCH_SELF,
    tp_dealloc: Some(set_dealloc),
    tp_clear: Some(set_clear),
    tp_repr: Some(set_repr),
    tp_hash: Some(list::unhashable),
    tp_richcompare: Some(set_richcompare),
    tp_traverse: Some(set_traverse),
    tp_iter: Some(set_iter),
    tp_as_number: SET_AS_NUMBER.0.get(),
    tp_as_sequence: SET_AS_SEQUENCE.0.get(),
    tp_methods: SET_METHODS.0.get() as *mut PyMethodDef,
    tp_weaklistoffset: core::mem::offset_of!(SetObject, weakreflist) as isize,
    tp_init: Some(set_init),
    tp_alloc: Some(crate::alloc::generic_alloc),
    tp_new: Some(set_new),
    tp_free: Some(crate::alloc::gc_del),
    tp_doc: c"Build an unordered collection of unique elements.".as_ptr(),
});

static_type!(PyFrozenSet_Type, c"frozenset", size_of::<SetObject>(), {
    tp_flags: BUILTIN_BASETYPE_FLAGS | Py_TPFLAGS_HAVE_GC | _Py_TPFLAGS_MATCH_SELF,
    tp_dealloc: Some(set_dealloc),
    tp_clear: Some(set_clear),
    tp_repr: Some(set_repr),
    tp_hash: Some(frozenset_hash),
    tp_richcompare: Some(set_richcompare),
    tp_traverse: Some(set_traverse),
    tp_iter: Some(set_iter),
    tp_as_number: FROZENSET_AS_NUMBER.0.get(),
    tp_as_sequence: SET_AS_SEQUENCE.0.get(),
    tp_methods: FROZENSET_METHODS.0.get() as *mut PyMethodDef,
    tp_weaklistoffset: core::mem::offset_of!(SetObject, weakreflist) as isize,
    tp_alloc: Some(crate::alloc::generic_alloc),
    tp_new: Some(frozenset_new),
    tp_free: Some(crate::alloc::gc_del),
    tp_doc: c"Build an immutable unordered collection of unique elements.".as_ptr(),
});

static SET_AS_SEQUENCE: StaticObject<PySequenceMethods> = StaticObject::new(PySequenceMethods {
    sq_length: Some(set_len),
    sq_contains: Some(set_contains),
    ..PySequenceMethods::EMPTY
});

static SET_AS_NUMBER: StaticObject<PyNumberMethods> = StaticObject::new(PyNumberMethods {
    nb_subtract: Some(set_sub),
    nb_and: Some(set_and),
    nb_xor: Some(set_xor),
    nb_or: Some(set_or),
    nb_inplace_subtract: Some(set_isub),
    nb_inplace_and: Some(set_iand),
    nb_inplace_xor: Some(set_ixor),
    nb_inplace_or: Some(set_ior),
    ..PyNumberMethods::EMPTY
});

static FROZENSET_AS_NUMBER: StaticObject<PyNumberMethods> = StaticObject::new(PyNumberMethods {
    nb_subtract: Some(set_sub),
    nb_and: Some(set_and),
    nb_xor: Some(set_xor),
    nb_or: Some(set_or),
    ..PyNumberMethods::EMPTY
});

method_table!(static SET_METHODS = [
    class_o c"__class_getitem__" => crate::objects::genericalias::class_getitem,
    o c"add" => m_add,
    noargs c"clear" => m_clear,
    o_coexist c"__contains__" => m_contains,
    noargs c"copy" => m_copy,
    o c"discard" => m_discard,
    fast c"difference" => m_difference,
    fast c"difference_update" => m_difference_update,
    fast c"intersection" => m_intersection,
    fast c"intersection_update" => m_intersection_update,
    o c"isdisjoint" => m_isdisjoint,
    o c"issubset" => m_issubset,
    o c"issuperset" => m_issuperset,
    noargs c"pop" => m_pop,
    o c"remove" => m_remove,
    o c"symmetric_difference" => m_symmetric_difference,
    o c"symmetric_difference_update" => m_symmetric_difference_update,
    fast c"union" => m_union,
    fast c"update" => m_update,
]);

method_table!(static FROZENSET_METHODS = [
    class_o c"__class_getitem__" => crate::objects::genericalias::class_getitem,
    o_coexist c"__contains__" => m_contains,
    noargs c"copy" => m_copy,
    fast c"difference" => m_difference,
    fast c"intersection" => m_intersection,
    o c"isdisjoint" => m_isdisjoint,
    o c"issubset" => m_issubset,
    o c"issuperset" => m_issuperset,
    o c"symmetric_difference" => m_symmetric_difference,
    fast c"union" => m_union,
]);

/// CPython's `setiterobject`.
#[repr(C)]
pub struct SetIterObject {
    pub ob_base: PyObject,
    pub si_set: *mut PyObject,
    pub si_used: Py_ssize_t,
    pub si_pos: Py_ssize_t,
    pub len: Py_ssize_t,
}

static_type!(PySetIter_Type, c"set_iterator", size_of::<SetIterObject>(), {
    tp_flags: BUILTIN_FLAGS | Py_TPFLAGS_HAVE_GC,
    tp_dealloc: Some(setiter_dealloc),
    tp_traverse: Some(setiter_traverse),
    tp_iter: Some(iterobject::self_iter),
    tp_iternext: Some(setiter_next),
    tp_methods: SETITER_METHODS.0.get() as *mut PyMethodDef,
    tp_free: Some(crate::alloc::gc_del),
});

method_table!(static SETITER_METHODS = [
    noargs c"__length_hint__" => setiter_length_hint,
]);

pub fn types() -> [&'static TypeObj; 3] {
    [&PySet_Type, &PyFrozenSet_Type, &PySetIter_Type]
}

// ---- type checks ----------------------------------------------------------------------------

/// `PySet_Check`: a set or a subclass.
pub fn check(o: &Obj) -> bool {
    o.is_instance_of(&PySet_Type)
}

/// `PySet_CheckExact`.
pub fn check_exact(o: &Obj) -> bool {
    o.is_exact(&PySet_Type)
}

/// `PyFrozenSet_Check`.
pub fn check_frozen(o: &Obj) -> bool {
    o.is_instance_of(&PyFrozenSet_Type)
}

/// `PyAnySet_Check`: a set, a frozenset, or a subclass of either.
pub fn check_any(o: &Obj) -> bool {
    check(o) || check_frozen(o)
}

// ---- the table ------------------------------------------------------------------------------

#[inline(always)]
fn so(o: &Obj) -> *mut SetObject {
    o.as_ptr() as *mut SetObject
}

/// The set's header, with a zeroed object given its small table first.
fn head(o: &Obj) -> *mut SetObject {
    let s = so(o);
    // SAFETY: o is a set; the GIL serialises access.
    unsafe {
        if (*s).table.is_null() {
            (*s).table = (&raw mut (*s).smalltable) as *mut SetEntry;
            (*s).mask = (MINSIZE - 1) as Py_ssize_t;
            (*s).hash = -1;
        }
    }
    s
}

/// The number of items (`PySet_GET_SIZE`).
pub fn len(o: &Obj) -> usize {
    // SAFETY: o is a set.
    unsafe { (*so(o)).used as usize }
}

/// The table as a slice (valid until the next mutation). Objects are C memory shared under
/// the GIL, so a `&Obj` gives mutable access, as `dict`'s table does.
#[allow(clippy::mut_from_ref)]
fn entries(o: &Obj) -> &mut [SetEntry] {
    let s = head(o);
    // SAFETY: table has mask + 1 entries.
    unsafe { core::slice::from_raw_parts_mut((*s).table, (*s).mask as usize + 1) }
}

#[inline]
fn is_active(e: &SetEntry) -> bool {
    !e.key.is_null() && e.key != dummy()
}

fn key_hash(key: &Obj) -> PyResult<Py_hash_t> {
    if unicode::check_exact(key) {
        return Ok(unicode::hash_of(key));
    }
    crate::abstract_::hash(key).map_err(|e| dict::unhashable_error(e, key, "a set element"))
}

/// Whether a stored key equals `key`: identity, str equality, or `==` (which may mutate the
/// set: `Restart` if the table or the entry changed meanwhile).
enum Cmp {
    Equal,
    Different,
    Restart,
}

fn compare_entry(o: &Obj, idx: usize, key: &Obj) -> PyResult<Cmp> {
    let startkey = entries(o)[idx].key;
    if startkey == key.as_ptr() {
        return Ok(Cmp::Equal);
    }
    // SAFETY: an active entry holds an owned key.
    let held = unsafe { Obj::from_ptr(startkey) }.new_ref();
    if unicode::check_exact(&held) && unicode::check_exact(key) {
        return Ok(if unicode::eq(&held, key) { Cmp::Equal } else { Cmp::Different });
    }
    let table_before = entries(o).as_ptr();
    let eq = crate::abstract_::rich_compare_bool(&held, key, Py_EQ)?;
    let t = entries(o);
    if t.as_ptr() != table_before || t.get(idx).is_none_or(|e| e.key != startkey) {
        return Ok(Cmp::Restart);
    }
    Ok(if eq { Cmp::Equal } else { Cmp::Different })
}

/// `set_lookkey`: the index of the active entry equal to `key`, if any.
fn lookkey(o: &Obj, key: &Obj, hash: Py_hash_t) -> PyResult<Option<usize>> {
    'restart: loop {
        let mut mask = entries(o).len() - 1;
        let mut perturb = hash as usize;
        let mut i = hash as usize & mask;
        loop {
            let probes = if i + LINEAR_PROBES <= mask { LINEAR_PROBES } else { 0 };
            for idx in i..=i + probes {
                let e = entries(o)[idx];
                if e.hash == 0 && e.key.is_null() {
                    return Ok(None);
                }
                if e.hash == hash {
                    match compare_entry(o, idx, key)? {
                        Cmp::Equal => return Ok(Some(idx)),
                        Cmp::Restart => continue 'restart,
                        Cmp::Different => mask = entries(o).len() - 1,
                    }
                }
            }
            perturb >>= PERTURB_SHIFT;
            i = (i.wrapping_mul(5).wrapping_add(1).wrapping_add(perturb)) & mask;
        }
    }
}

/// `set_add_entry`: inserts `key` (a new reference is taken) unless an equal key is present;
/// reuses the first dummy slot on the probe path; grows when 3/5 full.
fn add_entry(o: &Obj, key: &Obj, hash: Py_hash_t) -> PyResult<()> {
    let key = key.new_ref();
    let slot = 'restart: loop {
        let mut mask = entries(o).len() - 1;
        let mut perturb = hash as usize;
        let mut i = hash as usize & mask;
        let mut freeslot: Option<usize> = None;
        loop {
            let probes = if i + LINEAR_PROBES <= mask { LINEAR_PROBES } else { 0 };
            for idx in i..=i + probes {
                let e = entries(o)[idx];
                if e.hash == 0 && e.key.is_null() {
                    break 'restart freeslot.map_or((idx, true), |f| (f, false));
                }
                if e.hash == hash {
                    match compare_entry(o, idx, &key)? {
                        Cmp::Equal => return Ok(()),
                        Cmp::Restart => continue 'restart,
                        Cmp::Different => mask = entries(o).len() - 1,
                    }
                } else if e.hash == -1 && freeslot.is_none() {
                    freeslot = Some(idx);
                }
            }
            perturb >>= PERTURB_SHIFT;
            i = (i.wrapping_mul(5).wrapping_add(1).wrapping_add(perturb)) & mask;
        }
    };
    let (idx, unused) = slot;
    let s = head(o);
    entries(o)[idx] = SetEntry { key: key.into_raw(), hash };
    // SAFETY: o is a set.
    unsafe {
        (*s).used += 1;
        if !unused {
            return Ok(());
        }
        (*s).fill += 1;
        let mask = (*s).mask as usize;
        if ((*s).fill as usize) * 5 < mask * 3 {
            return Ok(());
        }
        let used = (*s).used as usize;
        table_resize(o, if used > 50000 { used * 2 } else { used * 4 });
    }
    Ok(())
}

/// `set_insert_clean`: places a key known to be absent into a table without dummies.
fn insert_clean(table: &mut [SetEntry], key: *mut PyObject, hash: Py_hash_t) {
    let mask = table.len() - 1;
    let mut perturb = hash as usize;
    let mut i = hash as usize & mask;
    loop {
        if table[i].key.is_null() {
            table[i] = SetEntry { key, hash };
            return;
        }
        if i + LINEAR_PROBES <= mask
            && let Some(e) = table[i + 1..=i + LINEAR_PROBES].iter_mut().find(|e| e.key.is_null())
        {
            *e = SetEntry { key, hash };
            return;
        }
        perturb >>= PERTURB_SHIFT;
        i = (i.wrapping_mul(5).wrapping_add(1).wrapping_add(perturb)) & mask;
    }
}

/// `set_table_resize`: a table of the smallest power of two above `minused`, without dummies.
fn table_resize(o: &Obj, minused: usize) {
    let s = head(o);
    let mut newsize = MINSIZE;
    while newsize <= minused {
        newsize <<= 1;
    }
    // SAFETY: o is a set; the old table is copied out before the new one is filled.
    unsafe {
        let small = (&raw mut (*s).smalltable) as *mut SetEntry;
        let old_table = (*s).table;
        let old: Vec<SetEntry> = core::slice::from_raw_parts(old_table, (*s).mask as usize + 1).to_vec();
        if newsize == MINSIZE && old_table == small && (*s).fill == (*s).used {
            return;
        }
        let new_table = if newsize == MINSIZE {
            small
        } else {
            let p = crate::alloc::raw_calloc(newsize, size_of::<SetEntry>()) as *mut SetEntry;
            assert!(!p.is_null(), "out of memory growing a set");
            p
        };
        if new_table == small {
            core::ptr::write_bytes(small, 0, MINSIZE);
        }
        (*s).mask = (newsize - 1) as Py_ssize_t;
        (*s).table = new_table;
        (*s).fill = (*s).used;
        let t = core::slice::from_raw_parts_mut(new_table, newsize);
        for e in old.iter().filter(|e| is_active(e)) {
            insert_clean(t, e.key, e.hash);
        }
        if old_table != small {
            crate::alloc::raw_free(old_table as *mut _);
        }
    }
}

/// Removes the entry at `idx`, returning its key (released by the caller).
fn remove_at(o: &Obj, idx: usize) -> PyRef {
    let e = &mut entries(o)[idx];
    let k = core::mem::replace(&mut e.key, dummy());
    e.hash = -1;
    // SAFETY: o is a set; the key was owned by the entry.
    unsafe {
        (*so(o)).used -= 1;
        PyRef::from_raw(k)
    }
}

/// `set_discard_entry`: whether `key` was present.
fn discard_entry(o: &Obj, key: &Obj, hash: Py_hash_t) -> PyResult<bool> {
    match lookkey(o, key, hash)? {
        Some(idx) => {
            drop(remove_at(o, idx));
            Ok(true)
        }
        None => Ok(false),
    }
}

/// The active entries' keys and hashes, in table order (owned snapshot).
fn active(o: &Obj) -> Vec<(PyRef, Py_hash_t)> {
    entries(o)
        .iter()
        .filter(|e| is_active(e))
        // SAFETY: active entries hold owned keys.
        .map(|e| (unsafe { Obj::from_ptr(e.key) }.new_ref(), e.hash))
        .collect()
}

/// The items in iteration order.
pub fn to_vec(o: &Obj) -> Vec<PyRef> {
    active(o).into_iter().map(|(k, _)| k).collect()
}

/// `set_clear_internal`: empties the set, releasing keys once it is consistent.
pub fn clear(o: &Obj) {
    let s = head(o);
    // SAFETY: o is a set; the old table is detached before any key is released.
    unsafe {
        let small = (&raw mut (*s).smalltable) as *mut SetEntry;
        let old_table = (*s).table;
        let old: Vec<SetEntry> = core::slice::from_raw_parts(old_table, (*s).mask as usize + 1).to_vec();
        core::ptr::write_bytes(small, 0, MINSIZE);
        (*s).table = small;
        (*s).mask = (MINSIZE - 1) as Py_ssize_t;
        (*s).fill = 0;
        (*s).used = 0;
        (*s).hash = -1;
        if old_table != small {
            crate::alloc::raw_free(old_table as *mut _);
        }
        for e in old.iter().filter(|e| is_active(e)) {
            crate::object::decref(e.key);
        }
    }
}

// ---- construction ---------------------------------------------------------------------------

/// An empty set of type `ty` (`make_new_set` without an iterable).
fn alloc_set(ty: &TypeObj) -> PyResult<PyRef> {
    let op = if ty.is(&PySet_Type) || ty.is(&PyFrozenSet_Type) {
        // SAFETY: live static type; zeroed memory is an empty set.
        let p = unsafe { crate::alloc::alloc_object(ty.raw(), size_of::<SetObject>(), true) };
        assert!(!p.is_null(), "out of memory allocating a set");
        // SAFETY: p is a new reference.
        unsafe { PyRef::from_raw(p) }
    } else {
        let alloc = ty.slots().tp_alloc.unwrap_or(crate::alloc::generic_alloc);
        // SAFETY: tp_alloc of a set subtype returns zeroed memory of its layout.
        unsafe { crate::slot::from_new(alloc(ty.raw(), 0)) }?
    };
    head(&op);
    Ok(op)
}

/// `make_new_set(ty, iterable)`.
fn make_new(ty: &TypeObj, iterable: Option<&Obj>) -> PyResult<PyRef> {
    let s = alloc_set(ty)?;
    if let Some(it) = iterable {
        update_internal(&s, it)?;
    }
    Ok(s)
}

/// `make_new_set_basetype`: a set or frozenset (not a subclass) like `like`.
fn make_new_basetype(like: &Obj, iterable: Option<&Obj>) -> PyResult<PyRef> {
    let ty: &TypeObj = if check(like) { &PySet_Type } else { &PyFrozenSet_Type };
    make_new(ty, iterable)
}

/// `set()`.
pub fn new_empty() -> PyRef {
    make_new(&PySet_Type, None).expect("an empty set cannot fail")
}

/// `set(iterable)` (`PySet_New`).
pub fn new_from_iterable(it: &Obj) -> PyResult<PyRef> {
    make_new(&PySet_Type, Some(it))
}

/// `frozenset(iterable)` (`PyFrozenSet_New`).
pub fn frozenset_from_iterable(it: Option<&Obj>) -> PyResult<PyRef> {
    let s = make_new(&PyFrozenSet_Type, it)?;
    untrack_if_atomic(&s);
    Ok(s)
}

/// `_PyObject_GC_MAY_BE_TRACKED`: whether `o` could be part of a reference cycle — an object
/// of a GC type, except a tuple the collector no longer tracks.
pub fn may_be_tracked(o: &Obj) -> bool {
    // SAFETY: live objects.
    unsafe { crate::alloc::is_gc(o.as_ptr()) && (!o.is_exact(&tuple::PyTuple_Type) || crate::alloc::gc_is_tracked(o.as_ptr())) }
}

/// As CPython 3.14+ does for a new frozenset (exact type) made from an iterable: when no
/// item may be tracked, the frozenset cannot be part of a cycle and the collector skips it.
/// `PySet_Add` on a frozenset being built tracks it again when the added item may be tracked.
fn untrack_if_atomic(s: &Obj) {
    if !entries(s).iter().any(|e| is_active(e) && may_be_tracked(entry_key(e))) {
        // SAFETY: a live frozenset.
        unsafe { crate::alloc::gc_set_tracked(s.as_ptr(), false) };
    }
}

fn entry_key(e: &SetEntry) -> &Obj {
    // SAFETY: an active entry holds a live key.
    unsafe { Obj::from_ptr(e.key) }
}

// ---- operations -----------------------------------------------------------------------------

/// `s.add(key)`.
pub fn add(s: &Obj, key: &Obj) -> PyResult<()> {
    let hash = key_hash(key)?;
    add_entry(s, key, hash)
}

/// A set key that is itself an unhashable set is looked up as a frozenset (`set_contains`,
/// `set_discard`, `set_remove`).
fn with_frozen_fallback<T>(key: &Obj, f: impl Fn(&Obj, Py_hash_t) -> PyResult<T>) -> PyResult<T> {
    match key_hash(key) {
        Ok(h) => f(key, h),
        Err(e) if check(key) && e.is_instance(exc::TypeError()) => {
            let tmp = frozenset_from_iterable(Some(key))?;
            let h = key_hash(&tmp)?;
            f(&tmp, h)
        }
        Err(e) => Err(e),
    }
}

/// `key in s`.
pub fn contains(s: &Obj, key: &Obj) -> PyResult<bool> {
    with_frozen_fallback(key, |k, h| Ok(lookkey(s, k, h)?.is_some()))
}

/// `set_contains_key`: `key in s` without the frozenset fallback (`PySet_Contains`).
pub fn contains_key(s: &Obj, key: &Obj) -> PyResult<bool> {
    let h = key_hash(key)?;
    Ok(lookkey(s, key, h)?.is_some())
}

/// `set_discard_key`: whether `key` was present, without the frozenset fallback
/// (`PySet_Discard`).
pub fn discard_key(s: &Obj, key: &Obj) -> PyResult<bool> {
    let h = key_hash(key)?;
    discard_entry(s, key, h)
}

/// `s.discard(key)`: whether it was present.
pub fn discard(s: &Obj, key: &Obj) -> PyResult<bool> {
    with_frozen_fallback(key, |k, h| discard_entry(s, k, h))
}

/// `s.pop()`: an arbitrary item (the next from the search finger, as CPython).
pub fn pop(o: &Obj) -> PyResult<PyRef> {
    if len(o) == 0 {
        return Err(raise!(KeyError, "pop from an empty set"));
    }
    let s = head(o);
    let t = entries(o);
    let mask = t.len() - 1;
    // SAFETY: o is a set.
    let mut i = unsafe { (*s).finger } as usize & mask;
    while !is_active(&t[i]) {
        i += 1;
        if i > mask {
            i = 0;
        }
    }
    let k = remove_at(o, i);
    // SAFETY: as above.
    unsafe { (*s).finger = (i + 1) as Py_ssize_t };
    Ok(k)
}

/// `set_merge`: adds every key of set `other` (stored hashes reused).
fn merge(o: &Obj, other: &Obj) -> PyResult<()> {
    if o.is(other) || len(other) == 0 {
        return Ok(());
    }
    let s = head(o);
    // SAFETY: o is a set.
    unsafe {
        if ((*s).fill as usize + len(other)) * 5 >= (*s).mask as usize * 3 {
            table_resize(o, (len(o) + len(other)) * 2);
        }
        let other_fill = (*head(other)).fill as usize;
        if (*s).fill == 0 && (*s).mask == (*head(other)).mask && other_fill == len(other) {
            // Same size, no dummies on either side: copy slot for slot.
            let src: Vec<SetEntry> = entries(other).to_vec();
            let dst = entries(o);
            for (d, e) in dst.iter_mut().zip(src) {
                if !e.key.is_null() {
                    crate::object::incref(e.key);
                    *d = e;
                }
            }
            (*s).fill = other_fill as Py_ssize_t;
            (*s).used = len(other) as Py_ssize_t;
            return Ok(());
        }
        if (*s).fill == 0 {
            let keys = active(other);
            (*s).fill = keys.len() as Py_ssize_t;
            (*s).used = keys.len() as Py_ssize_t;
            let t = entries(o);
            for (k, h) in keys {
                insert_clean(t, k.into_raw(), h);
            }
            return Ok(());
        }
    }
    for (k, h) in active(other) {
        add_entry(o, &k, h)?;
    }
    Ok(())
}

/// `set_update_internal`: adds the items of any iterable.
fn update_internal(o: &Obj, other: &Obj) -> PyResult<()> {
    if check_any(other) {
        return merge(o, other);
    }
    if other.is_exact(&dict::PyDict_Type) {
        let n = dict::len(other);
        let s = head(o);
        // SAFETY: o is a set.
        unsafe {
            if ((*s).fill as usize + n) * 5 >= (*s).mask as usize * 3 {
                table_resize(o, (len(o) + n) * 2);
            }
        }
        let mut pos = 0;
        let mut keys = Vec::with_capacity(n);
        while let Some((k, _, h)) = dict::next_hashed(other, &mut pos) {
            keys.push((k.new_ref(), h));
        }
        for (k, h) in keys {
            add_entry(o, &k, h)?;
        }
        return Ok(());
    }
    iterobject::for_each(other, |k| add(o, &k))
}

/// `s.update(other)` / `s |= other` for any iterable.
pub fn update(s: &Obj, other: &Obj) -> PyResult<()> {
    update_internal(s, other)
}

/// `set_intersection`: a new set (of `s`'s base type) of the items in both.
pub fn intersection(s: &Obj, other: &Obj) -> PyResult<PyRef> {
    if s.is(other) {
        return make_new_basetype(s, Some(s));
    }
    let result = make_new_basetype(s, None)?;
    if check_any(other) {
        let (big, small) = if len(other) > len(s) { (other, s) } else { (s, other) };
        for (k, h) in active(small) {
            if lookkey(big, &k, h)?.is_some() {
                add_entry(&result, &k, h)?;
            }
        }
        return Ok(result);
    }
    iterobject::for_each(other, |k| {
        let h = key_hash(&k)?;
        if lookkey(s, &k, h)?.is_some() {
            add_entry(&result, &k, h)?;
        }
        Ok(())
    })?;
    Ok(result)
}

/// `set_intersection_multi`: `s.intersection(*others)`.
fn intersection_multi(s: &Obj, others: &[&Obj]) -> PyResult<PyRef> {
    if others.is_empty() {
        return make_new_basetype(s, Some(s));
    }
    let mut result = s.new_ref();
    for o in others {
        result = intersection(&result, o)?;
    }
    Ok(result)
}

/// `set_swap_bodies`: exchanges the tables (and cached hashes) of two sets.
fn swap_bodies(a: &Obj, b: &Obj) {
    let (sa, sb) = (head(a), head(b));
    // SAFETY: both are sets; tables inside the objects are swapped by value.
    unsafe {
        let a_small = (*sa).table == (&raw mut (*sa).smalltable) as *mut SetEntry;
        let b_small = (*sb).table == (&raw mut (*sb).smalltable) as *mut SetEntry;
        let (ta, tb) = ((*sa).table, (*sb).table);
        core::mem::swap(&mut (*sa).fill, &mut (*sb).fill);
        core::mem::swap(&mut (*sa).used, &mut (*sb).used);
        core::mem::swap(&mut (*sa).mask, &mut (*sb).mask);
        core::mem::swap(&mut (*sa).smalltable, &mut (*sb).smalltable);
        core::mem::swap(&mut (*sa).hash, &mut (*sb).hash);
        (*sa).table = if b_small { (&raw mut (*sa).smalltable) as *mut SetEntry } else { tb };
        (*sb).table = if a_small { (&raw mut (*sb).smalltable) as *mut SetEntry } else { ta };
    }
}

/// `s &= other` (`set_intersection_update`).
pub fn intersection_update(s: &Obj, other: &Obj) -> PyResult<()> {
    let tmp = intersection(s, other)?;
    swap_bodies(s, &tmp);
    Ok(())
}

/// `set_difference_update_internal`.
pub fn difference_update(s: &Obj, other: &Obj) -> PyResult<()> {
    if s.is(other) {
        clear(s);
        return Ok(());
    }
    if check_any(other) {
        let other = if len(other) >> 3 > len(s) { intersection(s, other)? } else { other.new_ref() };
        for (k, h) in active(&other) {
            discard_entry(s, &k, h)?;
        }
    } else {
        iterobject::for_each(other, |k| discard(s, &k).map(|_| ()))?;
    }
    // More than a quarter dummies: rebuild.
    let sh = head(s);
    // SAFETY: s is a set.
    unsafe {
        if ((*sh).fill - (*sh).used) as usize > (*sh).mask as usize / 4 {
            let used = len(s);
            table_resize(s, if used > 50000 { used * 2 } else { used * 4 });
        }
    }
    Ok(())
}

/// `set_copy_and_difference`.
fn copy_and_difference(s: &Obj, other: &Obj) -> PyResult<PyRef> {
    let result = make_new_basetype(s, Some(s))?;
    difference_update(&result, other)?;
    Ok(result)
}

/// `set_difference`: a new set of the items of `s` not in `other`.
pub fn difference(s: &Obj, other: &Obj) -> PyResult<PyRef> {
    let other_size = if check_any(other) {
        len(other)
    } else if other.is_exact(&dict::PyDict_Type) {
        dict::len(other)
    } else {
        return copy_and_difference(s, other);
    };
    if len(s) >> 2 > other_size {
        return copy_and_difference(s, other);
    }
    let result = make_new_basetype(s, None)?;
    for (k, h) in active(s) {
        let present = if check_any(other) { lookkey(other, &k, h)?.is_some() } else { dict::contains_hashed(other, &k, h)? };
        if !present {
            add_entry(&result, &k, h)?;
        }
    }
    Ok(result)
}

/// `s ^= other` (`set_symmetric_difference_update`).
pub fn symmetric_difference_update(s: &Obj, other: &Obj) -> PyResult<()> {
    if s.is(other) {
        clear(s);
        return Ok(());
    }
    let keys: Vec<(PyRef, Py_hash_t)> = if other.is_exact(&dict::PyDict_Type) {
        let mut pos = 0;
        let mut v = Vec::new();
        while let Some((k, _, h)) = dict::next_hashed(other, &mut pos) {
            v.push((k.new_ref(), h));
        }
        v
    } else if check_any(other) {
        active(other)
    } else {
        active(&*make_new_basetype(s, Some(other))?)
    };
    for (k, h) in keys {
        if !discard_entry(s, &k, h)? {
            add_entry(s, &k, h)?;
        }
    }
    Ok(())
}

/// `set_symmetric_difference`.
pub fn symmetric_difference(s: &Obj, other: &Obj) -> PyResult<PyRef> {
    let result = make_new_basetype(s, Some(other))?;
    symmetric_difference_update(&result, s)?;
    Ok(result)
}

/// `s <= other` for any iterable `other` (`set_issubset`).
pub fn issubset(s: &Obj, other: &Obj) -> PyResult<bool> {
    if !check_any(other) {
        let tmp = intersection(s, other)?;
        return Ok(len(&tmp) == len(s));
    }
    if len(s) > len(other) {
        return Ok(false);
    }
    for (k, h) in active(s) {
        if lookkey(other, &k, h)?.is_none() {
            return Ok(false);
        }
    }
    Ok(true)
}

/// `set_issuperset`.
pub fn issuperset(s: &Obj, other: &Obj) -> PyResult<bool> {
    if check_any(other) {
        return issubset(other, s);
    }
    let it = iterobject::get_iter(other)?;
    while let Some(k) = iterobject::next(&it)? {
        if !contains(s, &k)? {
            return Ok(false);
        }
    }
    Ok(true)
}

/// `set_isdisjoint`.
pub fn isdisjoint(s: &Obj, other: &Obj) -> PyResult<bool> {
    if s.is(other) {
        return Ok(len(s) == 0);
    }
    if check_any(other) {
        let (big, small) = if len(other) > len(s) { (other, s) } else { (s, other) };
        for (k, h) in active(small) {
            if lookkey(big, &k, h)?.is_some() {
                return Ok(false);
            }
        }
        return Ok(true);
    }
    let it = iterobject::get_iter(other)?;
    while let Some(k) = iterobject::next(&it)? {
        let h = key_hash(&k)?;
        if lookkey(s, &k, h)?.is_some() {
            return Ok(false);
        }
    }
    Ok(true)
}

/// `s.copy()`: a frozenset copies to itself.
pub fn copy(s: &Obj) -> PyResult<PyRef> {
    if s.is_exact(&PyFrozenSet_Type) {
        return Ok(s.new_ref());
    }
    make_new_basetype(s, Some(s))
}

/// `s.union(*others)`.
pub fn union(s: &Obj, others: &[&Obj]) -> PyResult<PyRef> {
    let result = make_new_basetype(s, Some(s))?;
    for o in others {
        if o.is(s) {
            continue;
        }
        update_internal(&result, o)?;
    }
    Ok(result)
}

// ---- slots ----------------------------------------------------------------------------------

unsafe extern "C" fn set_dealloc(o: *mut PyObject) {
    // SAFETY: a dead set: release the keys and any heap table, then memory.
    unsafe {
        crate::objects::weakref::clear_weakrefs(o);
        let s = o as *mut SetObject;
        if !(*s).table.is_null() {
            let small = (&raw mut (*s).smalltable) as *mut SetEntry;
            let t = core::slice::from_raw_parts((*s).table, (*s).mask as usize + 1);
            for e in t.iter().filter(|e| is_active(e)) {
                crate::object::decref(e.key);
            }
            if (*s).table != small {
                crate::alloc::raw_free((*s).table as *mut _);
            }
        }
        match (*(*o).ob_type).tp_free {
            Some(f) => f(o as *mut _),
            None => crate::alloc::free_object(o),
        }
    }
}

unsafe extern "C" fn set_traverse(o: *mut PyObject, visit: visitproc, a: *mut core::ffi::c_void) -> c_int {
    // SAFETY: live set.
    unsafe {
        let Some(visit) = visit else { return 0 };
        let s = o as *mut SetObject;
        if (*s).table.is_null() {
            return 0;
        }
        for e in core::slice::from_raw_parts((*s).table, (*s).mask as usize + 1) {
            if is_active(e) {
                let r = visit(e.key, a);
                if r != 0 {
                    return r;
                }
            }
        }
    }
    0
}

unsafe extern "C" fn set_len(o: *mut PyObject) -> Py_ssize_t {
    // SAFETY: live set.
    len(unsafe { arg(o) }) as Py_ssize_t
}

unsafe extern "C" fn set_contains(o: *mut PyObject, key: *mut PyObject) -> c_int {
    // SAFETY: live arguments.
    ret_int(contains(unsafe { arg(o) }, unsafe { arg(key) }).map(c_int::from))
}

unsafe extern "C" fn set_repr(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: live set.
    let s = unsafe { arg(o) };
    let name = s.ob_type().name().to_string();
    if len(s) == 0 {
        return unicode::new(&format!("{name}()")).into_raw();
    }
    let Some(_guard) = list::ReprGuard::enter(s) else { return unicode::new(&format!("{name}(...)")).into_raw() };
    let r = (|| {
        let keys = list::new_from_owned(to_vec(s));
        let lr = crate::abstract_::repr(&keys)?;
        let cps: Vec<u32> = unicode::chars(&lr).collect();
        let inner = unicode::from_code_points(&cps[1..cps.len() - 1]);
        let inner = unicode::as_str_lossy(&inner).into_owned();
        Ok(unicode::new(&if check_exact(s) { format!("{{{inner}}}") } else { format!("{name}({{{inner}}})") }))
    })();
    ret_obj(r)
}

fn shuffle_bits(h: u64) -> u64 {
    ((h ^ 89869747) ^ (h << 16)).wrapping_mul(3644798167)
}

/// `frozenset_hash`: order-independent, cached.
unsafe extern "C" fn frozenset_hash(o: *mut PyObject) -> Py_hash_t {
    // SAFETY: live frozenset.
    let f = unsafe { arg(o) };
    let s = head(f);
    // SAFETY: as above.
    unsafe {
        if (*s).hash != -1 {
            return (*s).hash;
        }
        let mut hash: u64 = 0;
        for e in entries(f).iter().filter(|e| is_active(e)) {
            hash ^= shuffle_bits(e.hash as u64);
        }
        hash ^= (len(f) as u64 + 1).wrapping_mul(1927868237);
        hash ^= (hash >> 11) ^ (hash >> 25);
        hash = hash.wrapping_mul(69069).wrapping_add(907133923);
        if hash == u64::MAX {
            hash = 590923713;
        }
        (*s).hash = hash as Py_hash_t;
        hash as Py_hash_t
    }
}

unsafe extern "C" fn set_richcompare(a: *mut PyObject, b: *mut PyObject, op: c_int) -> *mut PyObject {
    // SAFETY: live arguments.
    let (a, b) = unsafe { (arg(a), arg(b)) };
    if !check_any(b) {
        return none::not_implemented().into_raw();
    }
    let r = (|| {
        Ok(match op {
            Py_EQ | Py_NE => {
                let eq = if len(a) != len(b) {
                    false
                } else {
                    // SAFETY: both are sets.
                    let (ha, hb) = unsafe { ((*head(a)).hash, (*head(b)).hash) };
                    if ha != -1 && hb != -1 && ha != hb { false } else { issubset(a, b)? }
                };
                if op == Py_EQ { eq } else { !eq }
            }
            Py_LE => issubset(a, b)?,
            Py_GE => issuperset(a, b)?,
            Py_LT => len(a) < len(b) && issubset(a, b)?,
            _ => len(a) > len(b) && issuperset(a, b)?,
        })
    })();
    ret_obj(r.map(bool_::new))
}

unsafe extern "C" fn set_new(ty: *mut PyTypeObject, _args: *mut PyObject, kwds: *mut PyObject) -> *mut PyObject {
    // SAFETY: tp_new contract.
    let (t, kwds) = unsafe { (TypeObj::from_ptr(ty), opt_arg(kwds)) };
    let r = (|| {
        if t.is(&PySet_Type) {
            argparse::no_kw_dict("set", kwds)?;
        }
        alloc_set(t)
    })();
    ret_obj(r)
}

unsafe extern "C" fn set_init(o: *mut PyObject, args: *mut PyObject, kwds: *mut PyObject) -> c_int {
    // SAFETY: tp_init contract.
    let (s, args, kwds) = unsafe { (arg(o), tuple::items(arg(args)), opt_arg(kwds)) };
    let r = (|| {
        argparse::no_kw_dict("set", kwds)?;
        check_positional(s.ob_type().name(), args.len(), 0, 1)?;
        clear(s);
        if let Some(it) = args.first() {
            update_internal(s, it)?;
        }
        Ok(0)
    })();
    ret_int(r)
}

unsafe extern "C" fn frozenset_new(ty: *mut PyTypeObject, args: *mut PyObject, kwds: *mut PyObject) -> *mut PyObject {
    // SAFETY: tp_new contract.
    let (t, args, kwds) = unsafe { (TypeObj::from_ptr(ty), tuple::items(arg(args)), opt_arg(kwds)) };
    let r = (|| {
        if t.is(&PyFrozenSet_Type) {
            argparse::no_kw_dict("frozenset", kwds)?;
        }
        check_positional(t.name(), args.len(), 0, 1)?;
        let it = args.first().copied();
        if let Some(i) = it.filter(|i| t.is(&PyFrozenSet_Type) && i.is_exact(&PyFrozenSet_Type)) {
            return Ok(i.new_ref());
        }
        if t.is(&PyFrozenSet_Type) {
            return frozenset_from_iterable(it);
        }
        make_new(t, it)
    })();
    ret_obj(r)
}

fn binop(a: *mut PyObject, b: *mut PyObject, f: fn(&Obj, &Obj) -> PyResult<PyRef>) -> *mut PyObject {
    // SAFETY: live slot arguments.
    let (a, b) = unsafe { (arg(a), arg(b)) };
    if !check_any(a) || !check_any(b) {
        return none::not_implemented().into_raw();
    }
    ret_obj(f(a, b))
}

fn inplace(a: *mut PyObject, b: *mut PyObject, f: fn(&Obj, &Obj) -> PyResult<()>) -> *mut PyObject {
    // SAFETY: live slot arguments.
    let (a, b) = unsafe { (arg(a), arg(b)) };
    if !check_any(b) {
        return none::not_implemented().into_raw();
    }
    ret_obj(f(a, b).map(|_| a.new_ref()))
}

unsafe extern "C" fn set_sub(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    binop(a, b, difference)
}
unsafe extern "C" fn set_and(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    binop(a, b, intersection)
}
unsafe extern "C" fn set_xor(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    binop(a, b, symmetric_difference)
}
unsafe extern "C" fn set_or(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    binop(a, b, |a, b| union(a, &[b]))
}
unsafe extern "C" fn set_isub(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    inplace(a, b, difference_update)
}
unsafe extern "C" fn set_iand(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    inplace(a, b, intersection_update)
}
unsafe extern "C" fn set_ixor(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    inplace(a, b, symmetric_difference_update)
}
unsafe extern "C" fn set_ior(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    inplace(a, b, update_internal)
}

unsafe extern "C" fn set_iter(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: live set; SetIter_Type is a live static type.
    unsafe {
        let s = arg(o);
        let p = crate::alloc::alloc_object(PySetIter_Type.raw(), size_of::<SetIterObject>(), true);
        assert!(!p.is_null(), "out of memory allocating a set iterator");
        let it = p as *mut SetIterObject;
        (*it).si_set = s.new_ref().into_raw();
        (*it).si_used = len(s) as Py_ssize_t;
        (*it).len = len(s) as Py_ssize_t;
        p
    }
}

// ---- methods --------------------------------------------------------------------------------

fn m_add(s: &Obj, key: &Obj) -> PyResult<PyRef> {
    add(s, key)?;
    Ok(none::none())
}

fn m_clear(s: &Obj) -> PyResult<PyRef> {
    clear(s);
    Ok(none::none())
}

fn m_contains(s: &Obj, key: &Obj) -> PyResult<PyRef> {
    contains(s, key).map(bool_::new)
}

fn m_copy(s: &Obj) -> PyResult<PyRef> {
    copy(s)
}

fn m_discard(s: &Obj, key: &Obj) -> PyResult<PyRef> {
    discard(s, key)?;
    Ok(none::none())
}

fn m_remove(s: &Obj, key: &Obj) -> PyResult<PyRef> {
    if discard(s, key)? {
        Ok(none::none())
    } else {
        Err(PyErr::from_type_and_arg(exc::KeyError(), key))
    }
}

fn m_pop(s: &Obj) -> PyResult<PyRef> {
    pop(s)
}

fn m_difference(s: &Obj, others: &[&Obj]) -> PyResult<PyRef> {
    if others.is_empty() {
        return make_new_basetype(s, Some(s));
    }
    let result = difference(s, others[0])?;
    for o in &others[1..] {
        difference_update(&result, o)?;
    }
    Ok(result)
}

fn m_difference_update(s: &Obj, others: &[&Obj]) -> PyResult<PyRef> {
    for o in others {
        difference_update(s, o)?;
    }
    Ok(none::none())
}

fn m_intersection(s: &Obj, others: &[&Obj]) -> PyResult<PyRef> {
    intersection_multi(s, others)
}

fn m_intersection_update(s: &Obj, others: &[&Obj]) -> PyResult<PyRef> {
    let tmp = intersection_multi(s, others)?;
    swap_bodies(s, &tmp);
    Ok(none::none())
}

fn m_isdisjoint(s: &Obj, other: &Obj) -> PyResult<PyRef> {
    isdisjoint(s, other).map(bool_::new)
}

fn m_issubset(s: &Obj, other: &Obj) -> PyResult<PyRef> {
    issubset(s, other).map(bool_::new)
}

fn m_issuperset(s: &Obj, other: &Obj) -> PyResult<PyRef> {
    issuperset(s, other).map(bool_::new)
}

fn m_symmetric_difference(s: &Obj, other: &Obj) -> PyResult<PyRef> {
    symmetric_difference(s, other)
}

fn m_symmetric_difference_update(s: &Obj, other: &Obj) -> PyResult<PyRef> {
    symmetric_difference_update(s, other)?;
    Ok(none::none())
}

fn m_union(s: &Obj, others: &[&Obj]) -> PyResult<PyRef> {
    union(s, others)
}

fn m_update(s: &Obj, others: &[&Obj]) -> PyResult<PyRef> {
    for o in others {
        update_internal(s, o)?;
    }
    Ok(none::none())
}

// ---- iterator -------------------------------------------------------------------------------

unsafe extern "C" fn setiter_dealloc(o: *mut PyObject) {
    // SAFETY: a dead iterator.
    unsafe {
        crate::object::xdecref((*(o as *mut SetIterObject)).si_set);
        crate::alloc::gc_del(o as *mut _);
    }
}

unsafe extern "C" fn setiter_traverse(o: *mut PyObject, visit: visitproc, a: *mut core::ffi::c_void) -> c_int {
    // SAFETY: live iterator.
    unsafe {
        let s = (*(o as *mut SetIterObject)).si_set;
        match visit {
            Some(v) if !s.is_null() => v(s, a),
            _ => 0,
        }
    }
}

unsafe extern "C" fn setiter_next(o: *mut PyObject) -> *mut PyObject {
    let it = o as *mut SetIterObject;
    // SAFETY: live iterator.
    unsafe {
        let Some(s) = opt_arg((*it).si_set) else { return null_mut() };
        if (*it).si_used != len(s) as Py_ssize_t {
            (*it).si_used = -1;
            return ret_obj(Err(raise!(RuntimeError, "Set changed size during iteration")));
        }
        let t = entries(s);
        let mut i = (*it).si_pos.max(0) as usize;
        while i < t.len() && !is_active(&t[i]) {
            i += 1;
        }
        (*it).si_pos = i as Py_ssize_t + 1;
        if i >= t.len() {
            let p = core::mem::replace(&mut (*it).si_set, null_mut());
            crate::object::decref(p);
            return null_mut();
        }
        (*it).len -= 1;
        Obj::from_ptr(t[i].key).new_ref().into_raw()
    }
}

fn setiter_length_hint(o: &Obj) -> PyResult<PyRef> {
    let it = o.as_ptr() as *mut SetIterObject;
    // SAFETY: o is a set iterator.
    let n = unsafe {
        match opt_arg((*it).si_set) {
            Some(s) if (*it).si_used == len(s) as Py_ssize_t => (*it).len,
            _ => 0,
        }
    };
    Ok(long::from_i64(n as i64))
}

unsafe extern "C" fn set_clear(o: *mut PyObject) -> core::ffi::c_int {
    // SAFETY: a live set or frozenset (emptied only as garbage, by the collector).
    clear(unsafe { Obj::from_ptr(o) });
    0
}
