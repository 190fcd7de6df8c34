//! `dict`: Pyrite's own insertion-ordered hash table (CPython's public `ma_used` stays at +16).
//! A compact entry array in insertion order plus an open-addressed index table, as CPython's
//! design, and a keys version that changes whenever the key set changes so that specialized
//! instructions can guard on it.
//!
//! Invariant: a zeroed `DictObject` is a valid empty dict (`table: None`), so memory from a
//! generic `tp_alloc` (subclasses, extension code) is usable before `__init__`.

use core::ffi::c_int;
use std::sync::atomic::{AtomicU32, Ordering};

use pyrite_abi::*;

use crate::err::{PyErr, PyResult};
use crate::object::{Obj, PyRef, StaticObject};
use crate::objects::argparse::{self, check_positional, Kw};
use crate::objects::iterobject;
use crate::objects::type_::{TypeObj, BUILTIN_BASETYPE_FLAGS, BUILTIN_FLAGS};
use crate::objects::{bool_, exceptions as exc, list, long, none, set, tuple, unicode};
use crate::slot::{arg, opt_arg, ret_int, ret_obj};
use crate::{method_table, static_type};

#[repr(C)]
pub struct DictObject {
    pub ob_base: PyObject,
    /// Number of items (CPython's `ma_used`, same offset).
    pub ma_used: Py_ssize_t,
    /// 0, or the version a specialized instruction guards on: handed out on request
    /// (`keys_version_for_specialization`) and reset to 0 whenever a key is added or removed
    /// (never for value updates), so a nonzero version names one set of keys at fixed entries.
    keys_version: u32,
    /// A 32-bit Bloom filter of the keys' hashes (`hash_bit`): set for every key added, cleared
    /// only when the dict is emptied, so a clear bit proves a key absent without a probe (how
    /// `LOAD_ATTR_METHOD_WITH_VALUES` sees that an instance does not shadow its method).
    hash_bits: u32,
    table: Option<Box<Table>>,
}

#[inline(always)]
fn hash_bit(hash: Py_hash_t) -> u32 {
    1 << ((hash as u64 >> 32) & 31)
}

struct Entry {
    hash: Py_hash_t,
    /// NULL marks a deleted entry.
    key: *mut PyObject,
    value: *mut PyObject,
}

struct Table {
    /// Open-addressed slots: index into `entries`, or EMPTY / DUMMY.
    indices: Vec<i64>,
    entries: Vec<Entry>,
}

const EMPTY: i64 = -1;
const DUMMY: i64 = -2;
const PERTURB_SHIFT: u32 = 5;

static NEXT_KEYS_VERSION: AtomicU32 = AtomicU32::new(1);

/// The keys changed: a version handed out before no longer applies.
#[inline(always)]
fn keys_changed(d: &Obj) {
    // SAFETY: d is a dict.
    unsafe { (*raw(d)).keys_version = 0 };
}

static_type!(PyDict_Type, c"dict", core::mem::size_of::<DictObject>(), {
    tp_flags: BUILTIN_BASETYPE_FLAGS | Py_TPFLAGS_HAVE_GC | Py_TPFLAGS_DICT_SUBCLASS | _Py_TPFLAGS_MATCH_SELF | Py_TPFLAGS_MAPPING,
    tp_dealloc: Some(dict_dealloc),
    tp_clear: Some(dict_clear),
    tp_repr: Some(dict_repr),
    tp_hash: Some(list::unhashable),
    tp_richcompare: Some(dict_richcompare),
    tp_traverse: Some(dict_traverse),
    tp_iter: Some(dict_iter),
    tp_as_number: DICT_AS_NUMBER.0.get(),
    tp_as_sequence: DICT_AS_SEQUENCE.0.get(),
    tp_as_mapping: DICT_AS_MAPPING.0.get(),
    tp_methods: DICT_METHODS.0.get() as *mut PyMethodDef,
    tp_init: Some(dict_init),
    tp_alloc: Some(crate::alloc::generic_alloc),
    tp_new: Some(dict_new),
    tp_free: Some(crate::alloc::gc_del),
    tp_doc: c"dict() -> new empty dictionary\ndict(mapping) -> new dictionary initialized from a mapping object's\n    (key, value) pairs\ndict(iterable) -> new dictionary initialized as if via:\n    d = {}\n    for k, v in iterable:\n        d[k] = v\ndict(**kwargs) -> new dictionary initialized with the name=value pairs\n    in the keyword argument list.  For example:  dict(one=1, two=2)".as_ptr(),
});

static DICT_AS_NUMBER: StaticObject<PyNumberMethods> = StaticObject::new(PyNumberMethods {
    nb_or: Some(dict_or),
    nb_inplace_or: Some(dict_ior),
    ..PyNumberMethods::EMPTY
});

method_table!(static DICT_METHODS = [
    class_o c"__class_getitem__" => crate::objects::genericalias::class_getitem,
    o_coexist c"__contains__" => m_contains,
    o_coexist c"__getitem__" => m_getitem,
    fast c"get" => m_get,
    fast c"setdefault" => m_setdefault,
    fast c"pop" => m_pop,
    noargs c"popitem" => m_popitem,
    noargs c"keys" => m_keys,
    noargs c"items" => m_items,
    noargs c"values" => m_values,
    kw c"update" => m_update,
    class_fast c"fromkeys" => m_fromkeys,
    noargs c"clear" => m_clear,
    noargs c"copy" => m_copy,
    noargs c"__reversed__" => m_reversed,
]);

static DICT_AS_SEQUENCE: StaticObject<PySequenceMethods> =
    StaticObject::new(PySequenceMethods { sq_contains: Some(dict_contains), ..PySequenceMethods::EMPTY });

static DICT_AS_MAPPING: StaticObject<PyMappingMethods> = StaticObject::new(PyMappingMethods {
    mp_length: Some(dict_length),
    mp_subscript: Some(dict_subscript),
    mp_ass_subscript: Some(dict_ass_subscript),
});

#[inline(always)]
fn raw(d: &Obj) -> *mut DictObject {
    d.as_ptr() as *mut DictObject
}

pub fn new() -> PyRef {
    // SAFETY: PyDict_Type is a live static type; zeroed memory is an empty dict.
    unsafe {
        let op = crate::alloc::alloc_object(PyDict_Type.raw(), core::mem::size_of::<DictObject>(), true);
        assert!(!op.is_null(), "out of memory allocating a dict");
        PyRef::from_raw(op)
    }
}

#[inline(always)]
pub fn check(o: &Obj) -> bool {
    o.ob_type().has_flag(Py_TPFLAGS_DICT_SUBCLASS)
}

/// Exactly a `dict` (a subclass may override `__getitem__`/`__setitem__`).
#[inline(always)]
pub fn check_exact(o: &Obj) -> bool {
    o.ob_type().is(&PyDict_Type)
}

#[inline(always)]
pub fn len(d: &Obj) -> usize {
    // SAFETY: d is a dict.
    unsafe { (*raw(d)).ma_used as usize }
}

/// A version naming the dict's current keys and their entry positions, for a specialized
/// instruction to guard on (`keys_version_is`); 0 when versions are exhausted.
pub fn keys_version_for_specialization(d: &Obj) -> u32 {
    // SAFETY: d is a dict.
    unsafe {
        let v = (*raw(d)).keys_version;
        if v != 0 {
            return v;
        }
        let next = NEXT_KEYS_VERSION.load(Ordering::Relaxed);
        if next == u32::MAX {
            return 0;
        }
        NEXT_KEYS_VERSION.store(next + 1, Ordering::Relaxed);
        (*raw(d)).keys_version = next;
        next
    }
}

/// Whether the dict's keys are still those `version` was handed out for.
#[inline(always)]
pub fn keys_version_is(d: &Obj, version: u32) -> bool {
    // SAFETY: d is a dict.
    unsafe { (*raw(d)).keys_version == version }
}

/// The entry index of an exact-str `key` (for a specializer's cache), if present.
pub fn str_entry_index(d: &Obj, key: &Obj) -> Option<usize> {
    debug_assert!(unicode::check_exact(key));
    lookup(d, key, unicode::hash_of(key)).ok().flatten()
}

/// Where the exact-str `key` is, found without running Python code: Ok(Some(ix)) present,
/// Ok(None) absent, Err(()) when a key of another type with the same hash would need its
/// `__eq__` (the caller then takes the generic path). For the interpreter's fast paths,
/// which run with the frame unsynced.
#[inline]
pub fn str_index_no_eq(d: &Obj, key: &Obj) -> Result<Option<usize>, ()> {
    let hash = unicode::hash_of(key);
    // SAFETY: d is a dict.
    if unsafe { (*raw(d)).hash_bits } & hash_bit(hash) == 0 {
        return Ok(None);
    }
    let Some(t) = table(d) else { return Ok(None) };
    let mask = t.indices.len() - 1;
    let mut perturb = hash as u64;
    let mut i = (hash as u64 as usize) & mask;
    loop {
        let ix = t.indices[i];
        if ix == EMPTY {
            return Ok(None);
        }
        if ix >= 0 {
            let e = &t.entries[ix as usize];
            if e.key == key.as_ptr() {
                return Ok(Some(ix as usize));
            }
            if e.hash == hash {
                // SAFETY: live entries hold owned keys.
                let ek = unsafe { Obj::from_ptr(e.key) };
                if !unicode::check_exact(ek) {
                    return Err(());
                }
                if unicode::eq(ek, key) {
                    return Ok(Some(ix as usize));
                }
            }
        }
        perturb >>= PERTURB_SHIFT;
        i = (i * 5 + perturb as usize + 1) & mask;
    }
}

/// The value at entry `ix` (NULL-checked), given a version guard proved the entry exists.
#[inline(always)]
pub fn value_at(d: &Obj, ix: usize) -> Option<&Obj> {
    let t = table(d)?;
    let e = t.entries.get(ix)?;
    // SAFETY: a live entry's value is owned by the dict.
    unsafe { crate::slot::opt_arg(e.value) }
}

/// Whether entry `e` holds the exact-str `key` (identity, else equal strings).
#[inline(always)]
fn entry_is_str_key(e: &Entry, key: &Obj) -> bool {
    if e.key == key.as_ptr() {
        return true;
    }
    // SAFETY: a live entry's key is owned by the dict.
    !e.key.is_null() && e.hash == unicode::hash_of(key) && unicode::check_exact(unsafe { Obj::from_ptr(e.key) }) && unicode::eq(unsafe { Obj::from_ptr(e.key) }, key)
}

/// The value at entry `ix` if that entry's key is the exact-str `key` (a specializer's hint).
#[inline(always)]
pub fn hinted_value<'a>(d: &'a Obj, ix: usize, key: &Obj) -> Option<&'a Obj> {
    let t = table(d)?;
    let e = t.entries.get(ix)?;
    if !entry_is_str_key(e, key) {
        return None;
    }
    // SAFETY: as above.
    unsafe { crate::slot::opt_arg(e.value) }
}

/// Replaces the value at entry `ix` if that entry's key is `key` itself; false otherwise.
#[inline(always)]
pub fn hinted_replace(d: &Obj, ix: usize, key: &Obj, value: PyRef) -> Result<(), PyRef> {
    let Some(e) = table(d).and_then(|t| t.entries.get_mut(ix)) else { return Err(value) };
    if e.value.is_null() || !entry_is_str_key(e, key) {
        return Err(value);
    }
    let old = core::mem::replace(&mut e.value, value.into_raw());
    // SAFETY: the old value was owned by the entry.
    unsafe { crate::object::decref(old) };
    Ok(())
}

/// The table, writable: objects are C memory shared under the GIL.
#[allow(clippy::mut_from_ref)]
fn table(d: &Obj) -> Option<&mut Table> {
    // SAFETY: d is a dict; the GIL serialises access.
    unsafe { (*raw(d)).table.as_deref_mut() }
}

fn table_ptr(d: &Obj) -> *const Table {
    table(d).map_or(core::ptr::null(), |t| t as *const Table)
}

/// Hash of a key, with the str fast path. An unhashable key's `TypeError` says what it was
/// for, as 3.14+ words it (`dict_unhashable_type`).
#[inline]
fn key_hash(key: &Obj) -> PyResult<Py_hash_t> {
    if unicode::check_exact(key) {
        return Ok(unicode::hash_of(key));
    }
    crate::abstract_::hash(key).map_err(|e| unhashable_error(e, key, "a dict key"))
}

/// `cannot use 'T' as a dict key (unhashable type: 'T')` from an exact `TypeError` of
/// `hash(key)`; other exceptions pass through.
pub fn unhashable_error(e: PyErr, key: &Obj, role: &str) -> PyErr {
    if !e.value().is_exact(exc::TypeError()) {
        return e;
    }
    let msg = crate::abstract_::str(e.value()).map(|s| unicode::as_str_lossy(&s).into_owned()).unwrap_or_default();
    PyErr::new(exc::TypeError(), format!("cannot use '{}' as {} ({})", key.ob_type().name(), role, msg))
}

/// Finds the entry index for `key` with `hash`: Ok(Some(i)) found, Ok(None) absent.
fn lookup(d: &Obj, key: &Obj, hash: Py_hash_t) -> PyResult<Option<usize>> {
    'restart: loop {
        let Some(t) = table(d) else { return Ok(None) };
        let mask = t.indices.len() - 1;
        let mut perturb = hash as u64;
        let mut i = (hash as u64 as usize) & mask;
        loop {
            let ix = t.indices[i];
            if ix == EMPTY {
                return Ok(None);
            }
            if ix >= 0 {
                let e = &t.entries[ix as usize];
                if e.key == key.as_ptr() {
                    return Ok(Some(ix as usize));
                }
                if e.hash == hash {
                    // SAFETY: live entries hold owned keys.
                    let ek = unsafe { Obj::from_ptr(e.key) };
                    if unicode::check_exact(ek) && unicode::check_exact(key) {
                        if unicode::eq(ek, key) {
                            return Ok(Some(ix as usize));
                        }
                    } else {
                        let held = ek.new_ref();
                        let before = table_ptr(d);
                        let same = crate::abstract_::rich_compare_bool(&held, key, Py_EQ)?;
                        // The comparison may have mutated the dict: start over if so.
                        let t2 = table(d);
                        if table_ptr(d) != before
                            || t2.is_none_or(|t2| t2.entries.get(ix as usize).is_none_or(|e| e.key != held.as_ptr()))
                        {
                            continue 'restart;
                        }
                        if same {
                            return Ok(Some(ix as usize));
                        }
                    }
                }
            }
            perturb >>= PERTURB_SHIFT;
            i = (i * 5 + perturb as usize + 1) & mask;
        }
    }
}

fn insert_index(t: &mut Table, hash: Py_hash_t, ix: usize) {
    let mask = t.indices.len() - 1;
    let mut perturb = hash as u64;
    let mut i = (hash as u64 as usize) & mask;
    while t.indices[i] >= 0 {
        perturb >>= PERTURB_SHIFT;
        i = (i * 5 + perturb as usize + 1) & mask;
    }
    t.indices[i] = ix as i64;
}

/// Rebuilds the table with room for at least `min_used` items, dropping deleted entries.
fn rebuild(d: &Obj, min_used: usize) {
    let mut size = 8;
    while size * 2 < min_used * 3 {
        size *= 2;
    }
    keys_changed(d);
    // SAFETY: d is a dict.
    let old = unsafe { (*raw(d)).table.take() };
    let mut t = Box::new(Table { indices: vec![EMPTY; size], entries: Vec::with_capacity(size * 2 / 3) });
    if let Some(old) = old {
        for e in old.entries.into_iter().filter(|e| !e.key.is_null()) {
            let ix = t.entries.len();
            insert_index(&mut t, e.hash, ix);
            t.entries.push(e);
        }
    }
    // SAFETY: d is a dict.
    unsafe { (*raw(d)).table = Some(t) };
}

/// `d[key] = value`.
pub fn set_item(d: &Obj, key: &Obj, value: &Obj) -> PyResult<()> {
    let hash = key_hash(key)?;
    set_item_hashed(d, key, hash, value)
}

fn set_item_hashed(d: &Obj, key: &Obj, hash: Py_hash_t, value: &Obj) -> PyResult<()> {
    if let Some(ix) = lookup(d, key, hash)? {
        let t = table(d).expect("found entries imply a table");
        let old = core::mem::replace(&mut t.entries[ix].value, value.new_ref().into_raw());
        // SAFETY: the old value was owned by the entry.
        unsafe { crate::object::decref(old) };
        return Ok(());
    }
    append_entry(d, hash, key.new_ref(), value.new_ref());
    Ok(())
}

/// Adds an entry for a key known to be absent.
#[inline]
fn append_entry(d: &Obj, hash: Py_hash_t, key: PyRef, value: PyRef) {
    let used = len(d);
    let need_rebuild = match table(d) {
        None => true,
        Some(t) => (t.entries.len() + 1) * 3 > t.indices.len() * 2,
    };
    if need_rebuild {
        rebuild(d, used + 1);
    }
    let t = table(d).expect("table after rebuild");
    let ix = t.entries.len();
    insert_index(t, hash, ix);
    t.entries.push(Entry { hash, key: key.into_raw(), value: value.into_raw() });
    // SAFETY: d is a dict.
    unsafe {
        (*raw(d)).ma_used += 1;
        (*raw(d)).hash_bits |= hash_bit(hash);
        keys_changed(d);
    }
}

/// `d[key] = value` for an exact-str `key` that `str_index_no_eq` found absent: runs no
/// Python code (for the interpreter's fast paths).
pub fn insert_absent_str(d: &Obj, key: &Obj, value: PyRef) {
    debug_assert!(str_index_no_eq(d, key) == Ok(None));
    append_entry(d, unicode::hash_of(key), key.new_ref(), value);
}

/// `d[key]`, or None if absent.
pub fn get_item(d: &Obj, key: &Obj) -> PyResult<Option<PyRef>> {
    let hash = key_hash(key)?;
    get_item_hashed(d, key, hash)
}

pub fn get_item_hashed(d: &Obj, key: &Obj, hash: Py_hash_t) -> PyResult<Option<PyRef>> {
    Ok(lookup(d, key, hash)?.map(|ix| {
        // SAFETY: entry values are owned by the dict.
        unsafe { Obj::from_ptr(table(d).unwrap().entries[ix].value) }.new_ref()
    }))
}

/// `d[key]` borrowed, swallowing errors (`PyDict_GetItem` semantics; used with str keys).
pub fn get_item_borrowed<'a>(d: &'a Obj, key: &Obj) -> Option<&'a Obj> {
    let hash = match key_hash(key) {
        Ok(h) => h,
        Err(_) => return None,
    };
    match lookup(d, key, hash) {
        // SAFETY: entry values are owned by the dict, which outlives the borrow.
        Ok(Some(ix)) => Some(unsafe { Obj::from_ptr(table(d).unwrap().entries[ix].value) }),
        _ => None,
    }
}

pub fn get_item_str(d: &Obj, key: &str) -> Option<PyRef> {
    let k = unicode::new(key);
    get_item_borrowed(d, &k).map(Obj::new_ref)
}

pub fn set_item_str(d: &Obj, key: &str, value: &Obj) -> PyResult<()> {
    set_item(d, &unicode::new(key), value)
}

/// Removes entry `ix` (whose key hashes to `hash`) and hands back its key and value, so the
/// caller releases them once the dict is consistent.
fn delete_at(d: &Obj, ix: usize, hash: Py_hash_t) -> (PyRef, PyRef) {
    let t = table(d).expect("a found entry implies a table");
    let mask = t.indices.len() - 1;
    let mut perturb = hash as u64;
    let mut i = (hash as u64 as usize) & mask;
    while t.indices[i] != ix as i64 {
        perturb >>= PERTURB_SHIFT;
        i = (i * 5 + perturb as usize + 1) & mask;
    }
    t.indices[i] = DUMMY;
    let e = &mut t.entries[ix];
    let (k, v) = (core::mem::replace(&mut e.key, core::ptr::null_mut()), core::mem::replace(&mut e.value, core::ptr::null_mut()));
    // SAFETY: d is a dict; the key and value were owned by the entry.
    unsafe {
        (*raw(d)).ma_used -= 1;
        keys_changed(d);
        (PyRef::from_raw(k), PyRef::from_raw(v))
    }
}

fn key_error(key: &Obj) -> PyErr {
    PyErr::from_type_and_arg(exc::KeyError(), key)
}

/// `del d[key]`: `KeyError(key)` if absent.
pub fn del_item(d: &Obj, key: &Obj) -> PyResult<()> {
    let hash = key_hash(key)?;
    let Some(ix) = lookup(d, key, hash)? else { return Err(key_error(key)) };
    drop(delete_at(d, ix, hash));
    Ok(())
}

/// Removes `key` and returns its value, or None if absent.
pub fn pop(d: &Obj, key: &Obj) -> PyResult<Option<PyRef>> {
    if len(d) == 0 {
        return Ok(None);
    }
    let hash = key_hash(key)?;
    let Some(ix) = lookup(d, key, hash)? else { return Ok(None) };
    let (_k, v) = delete_at(d, ix, hash);
    Ok(Some(v))
}

/// Removes and returns the last inserted item (LIFO), or None if empty.
pub fn pop_item(d: &Obj) -> Option<(PyRef, PyRef)> {
    let t = table(d)?;
    let ix = t.entries.iter().rposition(|e| !e.key.is_null())?;
    let hash = t.entries[ix].hash;
    let kv = delete_at(d, ix, hash);
    // Drop trailing deleted entries so their slots are reused, as CPython's popitem does.
    let t = table(d).expect("table");
    while t.entries.last().is_some_and(|e| e.key.is_null()) {
        t.entries.pop();
    }
    Some(kv)
}

pub fn contains(d: &Obj, key: &Obj) -> PyResult<bool> {
    let hash = key_hash(key)?;
    Ok(lookup(d, key, hash)?.is_some())
}

pub fn contains_hashed(d: &Obj, key: &Obj, hash: Py_hash_t) -> PyResult<bool> {
    Ok(lookup(d, key, hash)?.is_some())
}

/// `PyDict_Next`: the next live entry at or after `*pos`, borrowed.
pub fn next<'a>(d: &'a Obj, pos: &mut usize) -> Option<(&'a Obj, &'a Obj)> {
    next_hashed(d, pos).map(|(k, v, _)| (k, v))
}

/// `_PyDict_Next`: as [`next`], with the key's stored hash.
pub fn next_hashed<'a>(d: &'a Obj, pos: &mut usize) -> Option<(&'a Obj, &'a Obj, Py_hash_t)> {
    let t = table(d)?;
    while *pos < t.entries.len() {
        let e = &t.entries[*pos];
        *pos += 1;
        if !e.key.is_null() {
            // SAFETY: live entries hold owned references the dict keeps alive.
            return Some(unsafe { (Obj::from_ptr(e.key), Obj::from_ptr(e.value), e.hash) });
        }
    }
    None
}

/// Number of entry slots (live or deleted), the range of iteration positions.
fn entries_len(d: &Obj) -> usize {
    table(d).map_or(0, |t| t.entries.len())
}

/// The live entry at position `i`, if any.
fn entry_at(d: &Obj, i: usize) -> Option<(&Obj, &Obj)> {
    let e = table(d)?.entries.get(i)?;
    // SAFETY: live entries hold owned references the dict keeps alive.
    if e.key.is_null() { None } else { Some(unsafe { (Obj::from_ptr(e.key), Obj::from_ptr(e.value)) }) }
}

/// Owned snapshot of the items in insertion order.
pub fn items_vec(d: &Obj) -> Vec<(PyRef, PyRef)> {
    let mut pos = 0;
    let mut out = Vec::with_capacity(len(d));
    while let Some((k, v)) = next(d, &mut pos) {
        out.push((k.new_ref(), v.new_ref()));
    }
    out
}

/// `PyDict_Keys`: a list.
pub fn keys(d: &Obj) -> PyRef {
    list::new_from_owned(items_vec(d).into_iter().map(|(k, _)| k).collect())
}

/// `PyDict_Values`: a list.
pub fn values(d: &Obj) -> PyRef {
    list::new_from_owned(items_vec(d).into_iter().map(|(_, v)| v).collect())
}

/// `PyDict_Items`: a list of pairs.
pub fn items(d: &Obj) -> PyRef {
    list::new_from_owned(items_vec(d).into_iter().map(|(k, v)| tuple::new_from_owned(vec![k, v])).collect())
}

pub fn clear(d: &Obj) {
    // SAFETY: d is a dict; take the table out first so re-entrant decrefs see an empty dict.
    let old = unsafe {
        (*raw(d)).ma_used = 0;
        (*raw(d)).hash_bits = 0;
        keys_changed(d);
        (*raw(d)).table.take()
    };
    if let Some(t) = old {
        for e in t.entries {
            // SAFETY: entries own their keys and values.
            unsafe {
                crate::object::xdecref(e.key);
                crate::object::xdecref(e.value);
            }
        }
    }
}

/// `PyDict_Copy`: a new exact dict with the same items.
pub fn copy(d: &Obj) -> PyResult<PyRef> {
    let n = new();
    merge(&n, d, true)?;
    Ok(n)
}

/// `a.update(b)` for a dict `b`.
pub fn update(a: &Obj, b: &Obj) -> PyResult<()> {
    merge(a, b, true)
}

/// Whether `o` is a dict whose iteration is dict's own (so its items can be read directly).
fn is_plain_dict(o: &Obj) -> bool {
    check(o) && o.ob_type().slots().tp_iter.is_some_and(|f| core::ptr::eq(f as *const (), dict_iter as *const ()))
}

/// `PyDict_Merge`: copies every item of mapping `b` into `a` (existing keys are kept unless
/// `override_`). A non-dict mapping is read through `keys()` and `b[key]`.
pub fn merge(a: &Obj, b: &Obj, override_: bool) -> PyResult<()> {
    if is_plain_dict(b) {
        if a.is(b) || len(b) == 0 {
            return Ok(());
        }
        let mut pos = 0;
        let mut pairs = Vec::with_capacity(len(b));
        while let Some((k, v, h)) = next_hashed(b, &mut pos) {
            pairs.push((k.new_ref(), v.new_ref(), h));
        }
        for (k, v, h) in pairs {
            if override_ || !contains_hashed(a, &k, h)? {
                set_item_hashed(a, &k, h, &v)?;
            }
        }
        return Ok(());
    }
    let keys = crate::abstract_::call_method(b, "keys", &[])?;
    let it = iterobject::get_iter(&keys)?;
    while let Some(k) = iterobject::next(&it)? {
        if !override_ && contains(a, &k)? {
            continue;
        }
        let v = crate::abstract_::getitem(b, &k)?;
        set_item(a, &k, &v)?;
    }
    Ok(())
}

/// `PyDict_MergeFromSeq2`: items from an iterable of pairs.
pub fn merge_from_seq2(d: &Obj, seq: &Obj, override_: bool) -> PyResult<()> {
    let it = iterobject::get_iter(seq)?;
    let mut i = 0usize;
    while let Some(item) = iterobject::next(&it)? {
        let pair = match iterobject::fast_items(&item, "object is not iterable") {
            Ok(p) => p,
            Err(e) => {
                if e.is_instance(exc::TypeError()) {
                    let note = unicode::new(&format!("Cannot convert dictionary update sequence element #{i} to a sequence"));
                    let _ = crate::abstract_::call_method(e.value(), "add_note", &[&note]);
                }
                return Err(e);
            }
        };
        if pair.len() != 2 {
            return Err(raise!(
                ValueError,
                "dictionary update sequence element #{} has length {}; 2 is required",
                i,
                pair.len()
            ));
        }
        if override_ || !contains(d, &pair[0])? {
            set_item(d, &pair[0], &pair[1])?;
        }
        i += 1;
    }
    Ok(())
}

/// `dict_update_arg`: a dict or anything with `keys()` is merged as a mapping, anything else
/// as an iterable of pairs.
pub fn update_arg(d: &Obj, arg: &Obj) -> PyResult<()> {
    if arg.is_exact(&PyDict_Type) {
        return merge(d, arg, true);
    }
    match crate::abstract_::getattr_str(arg, "keys") {
        Ok(_) => merge(d, arg, true),
        Err(e) if e.is_instance(exc::AttributeError()) => merge_from_seq2(d, arg, true),
        Err(e) => Err(e),
    }
}

/// `dict.update(*args, **kwargs)` / `dict(*args, **kwargs)` (`dict_update_common`).
fn update_common(d: &Obj, name: &str, args: &[&Obj], kw: &[(&Obj, &Obj)]) -> PyResult<()> {
    check_positional(name, args.len(), 0, 1)?;
    if let Some(a) = args.first() {
        update_arg(d, a)?;
    }
    for (k, v) in kw {
        set_item(d, k, v)?;
    }
    Ok(())
}

pub fn types() -> [&'static TypeObj; 10] {
    [
        &PyDict_Type,
        &PyDictKeys_Type,
        &PyDictValues_Type,
        &PyDictItems_Type,
        &PyDictIterKey_Type,
        &PyDictIterValue_Type,
        &PyDictIterItem_Type,
        &PyDictRevIterKey_Type,
        &PyDictRevIterValue_Type,
        &PyDictRevIterItem_Type,
    ]
}

// ---- slots ----------------------------------------------------------------------------------

unsafe extern "C" fn dict_dealloc(o: *mut PyObject) {
    // SAFETY: a dead dict.
    unsafe {
        clear(arg(o));
        match (*(*o).ob_type).tp_free {
            Some(f) => f(o as *mut _),
            None => crate::alloc::free_object(o),
        }
    }
}

unsafe extern "C" fn dict_traverse(o: *mut PyObject, visit: visitproc, a: *mut core::ffi::c_void) -> c_int {
    // SAFETY: live dict; visit is the collector's callback.
    unsafe {
        let Some(visit) = visit else { return 0 };
        if let Some(t) = table(arg(o)) {
            for e in t.entries.iter().filter(|e| !e.key.is_null()) {
                for p in [e.key, e.value] {
                    let r = visit(p, a);
                    if r != 0 {
                        return r;
                    }
                }
            }
        }
    }
    0
}

unsafe extern "C" fn dict_new(ty: *mut PyTypeObject, _args: *mut PyObject, _kwds: *mut PyObject) -> *mut PyObject {
    // SAFETY: tp_new contract; zeroed memory is an empty dict.
    unsafe {
        let alloc = (*ty).tp_alloc.unwrap_or(crate::alloc::generic_alloc);
        let op = alloc(ty, 0);
        if !op.is_null() {
        }
        op
    }
}

unsafe extern "C" fn dict_init(o: *mut PyObject, args: *mut PyObject, kwds: *mut PyObject) -> c_int {
    // SAFETY: tp_init contract.
    let (d, args, kwds) = unsafe { (arg(o), tuple::items(arg(args)), opt_arg(kwds)) };
    let kw = argparse::Kw::pairs_of_dict(kwds);
    let kw: Vec<(&Obj, &Obj)> = kw.iter().map(|(k, v)| (&**k, &**v)).collect();
    ret_int(update_common(d, "dict", args, &kw).map(|_| 0))
}

unsafe extern "C" fn dict_repr(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: live dict.
    let d = unsafe { arg(o) };
    if len(d) == 0 {
        return unicode::new("{}").into_raw();
    }
    let Some(_guard) = list::ReprGuard::enter(d) else { return unicode::new("{...}").into_raw() };
    let r = (|| {
        let mut s = String::from("{");
        for (i, (k, v)) in items_vec(d).iter().enumerate() {
            if i > 0 {
                s.push_str(", ");
            }
            s.push_str(&unicode::as_str_lossy(&*crate::abstract_::repr(k)?));
            s.push_str(": ");
            s.push_str(&unicode::as_str_lossy(&*crate::abstract_::repr(v)?));
        }
        s.push('}');
        Ok(unicode::new(&s))
    })();
    ret_obj(r)
}

unsafe extern "C" fn dict_richcompare(a: *mut PyObject, b: *mut PyObject, op: c_int) -> *mut PyObject {
    // SAFETY: live arguments.
    let (a, b) = unsafe { (arg(a), arg(b)) };
    if !check(a) || !check(b) || (op != Py_EQ && op != Py_NE) {
        return none::not_implemented().into_raw();
    }
    let r = (|| {
        let mut eq = len(a) == len(b);
        if eq {
            for (k, v) in items_vec(a) {
                match get_item(b, &k)? {
                    Some(w) if crate::abstract_::rich_compare_bool(&v, &w, Py_EQ)? => {}
                    _ => {
                        eq = false;
                        break;
                    }
                }
            }
        }
        Ok(bool_::new(if op == Py_EQ { eq } else { !eq }))
    })();
    ret_obj(r)
}

unsafe extern "C" fn dict_length(o: *mut PyObject) -> Py_ssize_t {
    // SAFETY: live dict.
    len(unsafe { arg(o) }) as Py_ssize_t
}

/// `d[key]`: a subclass's `__missing__` handles absent keys.
pub fn subscript(d: &Obj, key: &Obj) -> PyResult<PyRef> {
    if let Some(v) = get_item(d, key)? {
        return Ok(v);
    }
    let missing = if d.is_exact(&PyDict_Type) { None } else { argparse::lookup_special(d, "__missing__")? };
    if let Some(missing) = missing {
        return crate::abstract_::call_one_arg(&missing, key);
    }
    Err(key_error(key))
}

unsafe extern "C" fn dict_subscript(o: *mut PyObject, key: *mut PyObject) -> *mut PyObject {
    // SAFETY: live arguments.
    ret_obj(subscript(unsafe { arg(o) }, unsafe { arg(key) }))
}

unsafe extern "C" fn dict_ass_subscript(o: *mut PyObject, key: *mut PyObject, v: *mut PyObject) -> c_int {
    // SAFETY: live arguments.
    let (d, key, v) = unsafe { (arg(o), arg(key), opt_arg(v)) };
    ret_int(match v {
        Some(v) => set_item(d, key, v).map(|_| 0),
        None => del_item(d, key).map(|_| 0),
    })
}

unsafe extern "C" fn dict_contains(o: *mut PyObject, key: *mut PyObject) -> c_int {
    // SAFETY: live arguments.
    ret_int(contains(unsafe { arg(o) }, unsafe { arg(key) }).map(c_int::from))
}

unsafe extern "C" fn dict_iter(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: live dict.
    dict_iter_new(&PyDictIterKey_Type, unsafe { arg(o) }, false).into_raw()
}

unsafe extern "C" fn dict_or(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    // SAFETY: live arguments.
    let (a, b) = unsafe { (arg(a), arg(b)) };
    if !check(a) || !check(b) {
        return none::not_implemented().into_raw();
    }
    ret_obj(copy(a).and_then(|n| update_arg(&n, b).map(|_| n)))
}

unsafe extern "C" fn dict_ior(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    // SAFETY: live arguments.
    let (a, b) = unsafe { (arg(a), arg(b)) };
    ret_obj(update_arg(a, b).map(|_| a.new_ref()))
}

// ---- methods --------------------------------------------------------------------------------

fn m_contains(d: &Obj, key: &Obj) -> PyResult<PyRef> {
    contains(d, key).map(bool_::new)
}

fn m_getitem(d: &Obj, key: &Obj) -> PyResult<PyRef> {
    subscript(d, key)
}

fn m_get(d: &Obj, args: &[&Obj]) -> PyResult<PyRef> {
    check_positional("get", args.len(), 1, 2)?;
    Ok(get_item(d, args[0])?.unwrap_or_else(|| args.get(1).map_or_else(none::none, |v| v.new_ref())))
}

/// `dict.setdefault(key, default=None)`: the value, inserting `default` if absent.
pub fn set_default(d: &Obj, key: &Obj, default: &Obj) -> PyResult<PyRef> {
    let hash = key_hash(key)?;
    if let Some(v) = get_item_hashed(d, key, hash)? {
        return Ok(v);
    }
    set_item_hashed(d, key, hash, default)?;
    Ok(default.new_ref())
}

fn m_setdefault(d: &Obj, args: &[&Obj]) -> PyResult<PyRef> {
    check_positional("setdefault", args.len(), 1, 2)?;
    let none = none::none();
    set_default(d, args[0], args.get(1).copied().unwrap_or(&none))
}

fn m_pop(d: &Obj, args: &[&Obj]) -> PyResult<PyRef> {
    check_positional("pop", args.len(), 1, 2)?;
    match pop(d, args[0])? {
        Some(v) => Ok(v),
        None => match args.get(1) {
            Some(default) => Ok(default.new_ref()),
            None => Err(key_error(args[0])),
        },
    }
}

fn m_popitem(d: &Obj) -> PyResult<PyRef> {
    match pop_item(d) {
        Some((k, v)) => Ok(tuple::new_from_owned(vec![k, v])),
        None => Err(raise!(KeyError, "popitem(): dictionary is empty")),
    }
}

fn m_keys(d: &Obj) -> PyResult<PyRef> {
    Ok(view_new(&PyDictKeys_Type, d))
}

fn m_items(d: &Obj) -> PyResult<PyRef> {
    Ok(view_new(&PyDictItems_Type, d))
}

fn m_values(d: &Obj) -> PyResult<PyRef> {
    Ok(view_new(&PyDictValues_Type, d))
}

fn m_update(d: &Obj, args: &[&Obj], kw: Kw) -> PyResult<PyRef> {
    let pairs: Vec<(&Obj, &Obj)> = kw.names.iter().copied().zip(kw.values.iter().copied()).collect();
    update_common(d, "update", args, &pairs)?;
    Ok(none::none())
}

/// `dict.fromkeys(iterable, value=None)` on `cls`.
pub fn from_keys(cls: &Obj, iterable: &Obj, value: &Obj) -> PyResult<PyRef> {
    let d = crate::abstract_::call_no_args(cls)?;
    let exact = d.is_exact(&PyDict_Type);
    iterobject::for_each(iterable, |k| if exact { set_item(&d, &k, value) } else { crate::abstract_::setitem(&d, &k, Some(value)) })?;
    Ok(d)
}

fn m_fromkeys(cls: &Obj, args: &[&Obj]) -> PyResult<PyRef> {
    check_positional("fromkeys", args.len(), 1, 2)?;
    let none = none::none();
    from_keys(cls, args[0], args.get(1).copied().unwrap_or(&none))
}

fn m_clear(d: &Obj) -> PyResult<PyRef> {
    clear(d);
    Ok(none::none())
}

fn m_copy(d: &Obj) -> PyResult<PyRef> {
    copy(d)
}

fn m_reversed(d: &Obj) -> PyResult<PyRef> {
    Ok(dict_iter_new(&PyDictRevIterKey_Type, d, true))
}

// ---- iterators ------------------------------------------------------------------------------

/// CPython's `dictiterobject`: position in the entry array, the size seen at creation (a change
/// is an error) and the number of items left.
#[repr(C)]
pub struct DictIterObject {
    pub ob_base: PyObject,
    pub di_dict: *mut PyObject,
    pub di_used: Py_ssize_t,
    pub di_pos: Py_ssize_t,
    pub di_result: *mut PyObject,
    pub len: Py_ssize_t,
}

const KEYS: u8 = 0;
const VALUES: u8 = 1;
const ITEMS: u8 = 2;

// Written out one by one: capi/build.rs finds exported types by `static_type!(Name,`.

static_type!(PyDictIterKey_Type, c"dict_keyiterator", core::mem::size_of::<DictIterObject>(), {
    tp_flags: BUILTIN_FLAGS | Py_TPFLAGS_HAVE_GC,
    tp_dealloc: Some(dictiter_dealloc),
    tp_traverse: Some(dictiter_traverse),
    tp_iter: Some(iterobject::self_iter),
    tp_iternext: Some(dictiter_next::<KEYS, false>),
    tp_methods: DICTITER_METHODS.0.get() as *mut PyMethodDef,
    tp_free: Some(crate::alloc::gc_del),
});

static_type!(PyDictIterValue_Type, c"dict_valueiterator", core::mem::size_of::<DictIterObject>(), {
    tp_flags: BUILTIN_FLAGS | Py_TPFLAGS_HAVE_GC,
    tp_dealloc: Some(dictiter_dealloc),
    tp_traverse: Some(dictiter_traverse),
    tp_iter: Some(iterobject::self_iter),
    tp_iternext: Some(dictiter_next::<VALUES, false>),
    tp_methods: DICTITER_METHODS.0.get() as *mut PyMethodDef,
    tp_free: Some(crate::alloc::gc_del),
});

static_type!(PyDictIterItem_Type, c"dict_itemiterator", core::mem::size_of::<DictIterObject>(), {
    tp_flags: BUILTIN_FLAGS | Py_TPFLAGS_HAVE_GC,
    tp_dealloc: Some(dictiter_dealloc),
    tp_traverse: Some(dictiter_traverse),
    tp_iter: Some(iterobject::self_iter),
    tp_iternext: Some(dictiter_next::<ITEMS, false>),
    tp_methods: DICTITER_METHODS.0.get() as *mut PyMethodDef,
    tp_free: Some(crate::alloc::gc_del),
});

static_type!(PyDictRevIterKey_Type, c"dict_reversekeyiterator", core::mem::size_of::<DictIterObject>(), {
    tp_flags: BUILTIN_FLAGS | Py_TPFLAGS_HAVE_GC,
    tp_dealloc: Some(dictiter_dealloc),
    tp_traverse: Some(dictiter_traverse),
    tp_iter: Some(iterobject::self_iter),
    tp_iternext: Some(dictiter_next::<KEYS, true>),
    tp_methods: DICTITER_METHODS.0.get() as *mut PyMethodDef,
    tp_free: Some(crate::alloc::gc_del),
});

static_type!(PyDictRevIterValue_Type, c"dict_reversevalueiterator", core::mem::size_of::<DictIterObject>(), {
    tp_flags: BUILTIN_FLAGS | Py_TPFLAGS_HAVE_GC,
    tp_dealloc: Some(dictiter_dealloc),
    tp_traverse: Some(dictiter_traverse),
    tp_iter: Some(iterobject::self_iter),
    tp_iternext: Some(dictiter_next::<VALUES, true>),
    tp_methods: DICTITER_METHODS.0.get() as *mut PyMethodDef,
    tp_free: Some(crate::alloc::gc_del),
});

static_type!(PyDictRevIterItem_Type, c"dict_reverseitemiterator", core::mem::size_of::<DictIterObject>(), {
    tp_flags: BUILTIN_FLAGS | Py_TPFLAGS_HAVE_GC,
    tp_dealloc: Some(dictiter_dealloc),
    tp_traverse: Some(dictiter_traverse),
    tp_iter: Some(iterobject::self_iter),
    tp_iternext: Some(dictiter_next::<ITEMS, true>),
    tp_methods: DICTITER_METHODS.0.get() as *mut PyMethodDef,
    tp_free: Some(crate::alloc::gc_del),
});

method_table!(static DICTITER_METHODS = [
    noargs c"__length_hint__" => dictiter_length_hint,
]);

fn dict_iter_new(ty: &TypeObj, d: &Obj, reverse: bool) -> PyRef {
    // SAFETY: ty is a live static type with the DictIterObject layout.
    unsafe {
        let op = crate::alloc::alloc_object(ty.raw(), core::mem::size_of::<DictIterObject>(), true);
        assert!(!op.is_null(), "out of memory allocating a dict iterator");
        let it = op as *mut DictIterObject;
        (*it).di_dict = d.new_ref().into_raw();
        (*it).di_used = len(d) as Py_ssize_t;
        (*it).len = len(d) as Py_ssize_t;
        (*it).di_pos = if reverse { entries_len(d) as Py_ssize_t - 1 } else { 0 };
        PyRef::from_raw(op)
    }
}

unsafe extern "C" fn dictiter_dealloc(o: *mut PyObject) {
    // SAFETY: a dead iterator.
    unsafe {
        let it = o as *mut DictIterObject;
        crate::object::xdecref((*it).di_dict);
        crate::object::xdecref((*it).di_result);
        crate::alloc::gc_del(o as *mut _);
    }
}

unsafe extern "C" fn dictiter_traverse(o: *mut PyObject, visit: visitproc, a: *mut core::ffi::c_void) -> c_int {
    // SAFETY: live iterator.
    unsafe {
        let d = (*(o as *mut DictIterObject)).di_dict;
        match visit {
            Some(v) if !d.is_null() => v(d, a),
            _ => 0,
        }
    }
}

fn dictiter_exhaust(it: *mut DictIterObject) {
    // SAFETY: live iterator; the field holds NULL or an owned reference.
    unsafe {
        let d = core::mem::replace(&mut (*it).di_dict, core::ptr::null_mut());
        crate::object::xdecref(d);
    }
}

unsafe extern "C" fn dictiter_next<const KIND: u8, const REV: bool>(o: *mut PyObject) -> *mut PyObject {
    let it = o as *mut DictIterObject;
    // SAFETY: live iterator.
    let Some(d) = (unsafe { opt_arg((*it).di_dict) }) else { return core::ptr::null_mut() };
    // SAFETY: as above.
    unsafe {
        if (*it).di_used != len(d) as Py_ssize_t {
            (*it).di_used = -1;
            return ret_obj(Err(raise!(RuntimeError, "dictionary changed size during iteration")));
        }
        let mut i = (*it).di_pos;
        let found = if REV {
            loop {
                if i < 0 {
                    break None;
                }
                if let Some(kv) = entry_at(d, i as usize) {
                    break Some(kv);
                }
                i -= 1;
            }
        } else {
            let n = entries_len(d) as isize;
            loop {
                if i >= n {
                    break None;
                }
                if let Some(kv) = entry_at(d, i as usize) {
                    break Some(kv);
                }
                i += 1;
            }
        };
        let Some((k, v)) = found else {
            dictiter_exhaust(it);
            return core::ptr::null_mut();
        };
        if (*it).len == 0 {
            dictiter_exhaust(it);
            return ret_obj(Err(raise!(RuntimeError, "dictionary keys changed during iteration")));
        }
        (*it).di_pos = if REV { i - 1 } else { i + 1 };
        (*it).len -= 1;
        match KIND {
            KEYS => k.new_ref().into_raw(),
            VALUES => v.new_ref().into_raw(),
            _ => tuple::new_from(&[k, v]).into_raw(),
        }
    }
}

fn dictiter_length_hint(o: &Obj) -> PyResult<PyRef> {
    let it = o.as_ptr() as *mut DictIterObject;
    // SAFETY: o is a dict iterator.
    let n = unsafe {
        match opt_arg((*it).di_dict) {
            Some(d) if (*it).di_used == len(d) as Py_ssize_t => (*it).len,
            _ => 0,
        }
    };
    Ok(long::from_i64(n as i64))
}

// ---- views ----------------------------------------------------------------------------------

/// CPython's `_PyDictViewObject`.
#[repr(C)]
pub struct DictViewObject {
    pub ob_base: PyObject,
    pub dv_dict: *mut PyObject,
}

static_type!(PyDictKeys_Type, c"dict_keys", core::mem::size_of::<DictViewObject>(), {
    tp_flags: BUILTIN_FLAGS | Py_TPFLAGS_HAVE_GC,
    tp_dealloc: Some(view_dealloc),
    tp_repr: Some(view_repr),
    tp_richcompare: Some(view_richcompare),
    tp_traverse: Some(view_traverse),
    tp_iter: Some(view_iter::<KEYS>),
    tp_as_number: VIEW_AS_NUMBER.0.get(),
    tp_as_sequence: KEYS_AS_SEQUENCE.0.get(),
    tp_methods: SETVIEW_METHODS_KEYS.0.get() as *mut PyMethodDef,
    tp_free: Some(crate::alloc::gc_del),
});

static_type!(PyDictItems_Type, c"dict_items", core::mem::size_of::<DictViewObject>(), {
    tp_flags: BUILTIN_FLAGS | Py_TPFLAGS_HAVE_GC,
    tp_dealloc: Some(view_dealloc),
    tp_repr: Some(view_repr),
    tp_richcompare: Some(view_richcompare),
    tp_traverse: Some(view_traverse),
    tp_iter: Some(view_iter::<ITEMS>),
    tp_as_number: VIEW_AS_NUMBER.0.get(),
    tp_as_sequence: ITEMS_AS_SEQUENCE.0.get(),
    tp_methods: SETVIEW_METHODS_ITEMS.0.get() as *mut PyMethodDef,
    tp_free: Some(crate::alloc::gc_del),
});

static_type!(PyDictValues_Type, c"dict_values", core::mem::size_of::<DictViewObject>(), {
    tp_flags: BUILTIN_FLAGS | Py_TPFLAGS_HAVE_GC,
    tp_dealloc: Some(view_dealloc),
    tp_repr: Some(view_repr),
    tp_traverse: Some(view_traverse),
    tp_iter: Some(view_iter::<VALUES>),
    tp_as_sequence: VALUES_AS_SEQUENCE.0.get(),
    tp_methods: VALUES_METHODS.0.get() as *mut PyMethodDef,
    tp_free: Some(crate::alloc::gc_del),
});

static KEYS_AS_SEQUENCE: StaticObject<PySequenceMethods> = StaticObject::new(PySequenceMethods {
    sq_length: Some(view_len),
    sq_contains: Some(keys_contains),
    ..PySequenceMethods::EMPTY
});

static ITEMS_AS_SEQUENCE: StaticObject<PySequenceMethods> = StaticObject::new(PySequenceMethods {
    sq_length: Some(view_len),
    sq_contains: Some(items_contains),
    ..PySequenceMethods::EMPTY
});

static VALUES_AS_SEQUENCE: StaticObject<PySequenceMethods> =
    StaticObject::new(PySequenceMethods { sq_length: Some(view_len), ..PySequenceMethods::EMPTY });

static VIEW_AS_NUMBER: StaticObject<PyNumberMethods> = StaticObject::new(PyNumberMethods {
    nb_subtract: Some(views_sub),
    nb_and: Some(views_and),
    nb_xor: Some(views_xor),
    nb_or: Some(views_or),
    ..PyNumberMethods::EMPTY
});

method_table!(static SETVIEW_METHODS_KEYS = [
    o c"isdisjoint" => view_isdisjoint,
    noargs c"__reversed__" => view_reversed::<KEYS>,
]);

method_table!(static SETVIEW_METHODS_ITEMS = [
    o c"isdisjoint" => view_isdisjoint,
    noargs c"__reversed__" => view_reversed::<ITEMS>,
]);

method_table!(static VALUES_METHODS = [
    noargs c"__reversed__" => view_reversed::<VALUES>,
]);

fn view_new(ty: &TypeObj, d: &Obj) -> PyRef {
    // SAFETY: ty is a live static type with the view layout.
    unsafe {
        let op = crate::alloc::alloc_object(ty.raw(), core::mem::size_of::<DictViewObject>(), true);
        assert!(!op.is_null(), "out of memory allocating a dict view");
        (*(op as *mut DictViewObject)).dv_dict = d.new_ref().into_raw();
        PyRef::from_raw(op)
    }
}

/// The dict behind a view.
pub fn view_dict(v: &Obj) -> &Obj {
    // SAFETY: v is a dict view; dv_dict is always set.
    unsafe { arg((*(v.as_ptr() as *mut DictViewObject)).dv_dict) }
}

/// `PyDictKeys_Check || PyDictItems_Check`: the set-like views.
pub fn is_set_view(o: &Obj) -> bool {
    o.is_exact(&PyDictKeys_Type) || o.is_exact(&PyDictItems_Type)
}

pub fn is_view(o: &Obj) -> bool {
    is_set_view(o) || o.is_exact(&PyDictValues_Type)
}

unsafe extern "C" fn view_dealloc(o: *mut PyObject) {
    // SAFETY: a dead view.
    unsafe {
        crate::object::xdecref((*(o as *mut DictViewObject)).dv_dict);
        crate::alloc::gc_del(o as *mut _);
    }
}

unsafe extern "C" fn view_traverse(o: *mut PyObject, visit: visitproc, a: *mut core::ffi::c_void) -> c_int {
    // SAFETY: live view.
    unsafe {
        let d = (*(o as *mut DictViewObject)).dv_dict;
        match visit {
            Some(v) if !d.is_null() => v(d, a),
            _ => 0,
        }
    }
}

unsafe extern "C" fn view_len(o: *mut PyObject) -> Py_ssize_t {
    // SAFETY: live view.
    len(view_dict(unsafe { arg(o) })) as Py_ssize_t
}

unsafe extern "C" fn view_iter<const KIND: u8>(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: live view.
    let d = view_dict(unsafe { arg(o) });
    let ty: &TypeObj = match KIND {
        KEYS => &PyDictIterKey_Type,
        VALUES => &PyDictIterValue_Type,
        _ => &PyDictIterItem_Type,
    };
    dict_iter_new(ty, d, false).into_raw()
}

fn view_reversed<const KIND: u8>(v: &Obj) -> PyResult<PyRef> {
    let ty: &TypeObj = match KIND {
        KEYS => &PyDictRevIterKey_Type,
        VALUES => &PyDictRevIterValue_Type,
        _ => &PyDictRevIterItem_Type,
    };
    Ok(dict_iter_new(ty, view_dict(v), true))
}

unsafe extern "C" fn view_repr(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: live view.
    let v = unsafe { arg(o) };
    let Some(_guard) = list::ReprGuard::enter(v) else { return unicode::new("...").into_raw() };
    let r = (|| {
        let items = list::from_iterable(v)?;
        let inner = crate::abstract_::repr(&items)?;
        Ok(unicode::new(&format!("{}({})", v.ob_type().name(), unicode::as_str_lossy(&inner))))
    })();
    ret_obj(r)
}

unsafe extern "C" fn keys_contains(o: *mut PyObject, key: *mut PyObject) -> c_int {
    // SAFETY: live arguments.
    ret_int(contains(view_dict(unsafe { arg(o) }), unsafe { arg(key) }).map(c_int::from))
}

/// `(key, value) in d.items()`.
fn items_contains_impl(v: &Obj, item: &Obj) -> PyResult<bool> {
    if !tuple::check(item) || tuple::len(item) != 2 {
        return Ok(false);
    }
    let (k, val) = (tuple::get(item, 0), tuple::get(item, 1));
    match get_item(view_dict(v), k)? {
        Some(found) => crate::abstract_::rich_compare_bool(&found, val, Py_EQ),
        None => Ok(false),
    }
}

unsafe extern "C" fn items_contains(o: *mut PyObject, item: *mut PyObject) -> c_int {
    // SAFETY: live arguments.
    ret_int(items_contains_impl(unsafe { arg(o) }, unsafe { arg(item) }).map(c_int::from))
}

/// Every item of `a` is in `b` (`all_contained_in`).
fn all_contained_in(a: &Obj, b: &Obj) -> PyResult<bool> {
    let it = iterobject::get_iter(a)?;
    while let Some(x) = iterobject::next(&it)? {
        if !iterobject::contains(b, &x)? {
            return Ok(false);
        }
    }
    Ok(true)
}

unsafe extern "C" fn view_richcompare(a: *mut PyObject, b: *mut PyObject, op: c_int) -> *mut PyObject {
    // SAFETY: live arguments.
    let (a, b) = unsafe { (arg(a), arg(b)) };
    if !set::check_any(b) && !is_set_view(b) {
        return none::not_implemented().into_raw();
    }
    let r = (|| {
        let (la, lb) = (crate::abstract_::len(a)?, crate::abstract_::len(b)?);
        let ok = match op {
            Py_EQ | Py_NE => {
                let eq = la == lb && all_contained_in(a, b)?;
                if op == Py_EQ { eq } else { !eq }
            }
            Py_LT => la < lb && all_contained_in(a, b)?,
            Py_LE => la <= lb && all_contained_in(a, b)?,
            Py_GT => la > lb && all_contained_in(b, a)?,
            _ => la >= lb && all_contained_in(b, a)?,
        };
        Ok(bool_::new(ok))
    })();
    ret_obj(r)
}

/// `set(view)` for the set operators (a keys view reads its dict directly).
fn view_to_set(o: &Obj) -> PyResult<PyRef> {
    if o.is_exact(&PyDictKeys_Type) {
        return set::new_from_iterable(view_dict(o));
    }
    set::new_from_iterable(o)
}

unsafe extern "C" fn views_sub(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    // SAFETY: live arguments.
    let (a, b) = unsafe { (arg(a), arg(b)) };
    ret_obj(view_to_set(a).and_then(|s| set::difference_update(&s, b).map(|_| s)))
}

unsafe extern "C" fn views_or(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    // SAFETY: live arguments.
    let (a, b) = unsafe { (arg(a), arg(b)) };
    ret_obj(view_to_set(a).and_then(|s| set::update(&s, b).map(|_| s)))
}

unsafe extern "C" fn views_xor(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    // SAFETY: live arguments.
    let (a, b) = unsafe { (arg(a), arg(b)) };
    ret_obj(view_to_set(a).and_then(|s| set::symmetric_difference_update(&s, b).map(|_| s)))
}

/// `_PyDictView_Intersect`.
fn views_and_impl(a: &Obj, b: &Obj) -> PyResult<PyRef> {
    // The interpreter passes the view second when it is the right operand.
    let (view, other) = if is_set_view(a) { (a, b) } else { (b, a) };
    let len_view = len(view_dict(view));
    if set::check_exact(other) && len_view <= set::len(other) {
        return set::intersection(other, view);
    }
    let (view, other) = if is_set_view(other) && crate::abstract_::len(other)? > len_view { (other, view) } else { (view, other) };
    let result = set::new_empty();
    let it = iterobject::get_iter(other)?;
    while let Some(x) = iterobject::next(&it)? {
        let found = if view.is_exact(&PyDictKeys_Type) { contains(view_dict(view), &x)? } else { items_contains_impl(view, &x)? };
        if found {
            set::add(&result, &x)?;
        }
    }
    Ok(result)
}

unsafe extern "C" fn views_and(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    // SAFETY: live arguments.
    ret_obj(views_and_impl(unsafe { arg(a) }, unsafe { arg(b) }))
}

fn view_isdisjoint(v: &Obj, other: &Obj) -> PyResult<PyRef> {
    if v.is(other) {
        return Ok(bool_::new(len(view_dict(v)) == 0));
    }
    let (mut this, mut that) = (v, other);
    if (set::check_any(other) || is_set_view(other)) && crate::abstract_::len(other)? > len(view_dict(v)) {
        core::mem::swap(&mut this, &mut that);
    }
    let it = iterobject::get_iter(that)?;
    while let Some(x) = iterobject::next(&it)? {
        if iterobject::contains(this, &x)? {
            return Ok(bool_::new(false));
        }
    }
    Ok(bool_::new(true))
}

unsafe extern "C" fn dict_clear(o: *mut PyObject) -> core::ffi::c_int {
    // SAFETY: a live dict.
    clear(unsafe { Obj::from_ptr(o) });
    0
}
