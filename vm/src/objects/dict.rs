//! `dict`: Pyrite's own insertion-ordered hash table (CPython's public `ma_used` stays at +16).
//! A compact entry array in insertion order plus an open-addressed index table, as CPython's
//! design, and a keys version that changes whenever the key set changes so that specialized
//! instructions can guard on it.
//!
//! Invariant: a zeroed `DictObject` is a valid empty dict (`table: None`), so memory from a
//! generic `tp_alloc` (subclasses, extension code) is usable before `__init__`.

use core::ffi::c_int;
use std::sync::atomic::{AtomicU64, Ordering};

use pyrite_abi::*;

use crate::err::PyResult;
use crate::object::{Obj, PyRef, StaticObject};
use crate::objects::type_::{TypeObj, BUILTIN_BASETYPE_FLAGS};
use crate::objects::{bool_, list, none, tuple, unicode};
use crate::slot::{arg, opt_arg, ret_int, ret_obj};
use crate::static_type;

#[repr(C)]
pub struct DictObject {
    pub ob_base: PyObject,
    /// Number of items (CPython's `ma_used`, same offset).
    pub ma_used: Py_ssize_t,
    /// Changes whenever a key is added or removed (never for value updates).
    pub keys_version: u64,
    table: Option<Box<Table>>,
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

static NEXT_KEYS_VERSION: AtomicU64 = AtomicU64::new(1);

fn next_version() -> u64 {
    NEXT_KEYS_VERSION.fetch_add(1, Ordering::Relaxed)
}

static_type!(PyDict_Type, c"dict", core::mem::size_of::<DictObject>(), {
    tp_flags: BUILTIN_BASETYPE_FLAGS | Py_TPFLAGS_HAVE_GC | Py_TPFLAGS_DICT_SUBCLASS | _Py_TPFLAGS_MATCH_SELF | Py_TPFLAGS_MAPPING,
    tp_dealloc: Some(dict_dealloc),
    tp_repr: Some(dict_repr),
    tp_hash: Some(list::unhashable),
    tp_richcompare: Some(dict_richcompare),
    tp_traverse: Some(dict_traverse),
    tp_as_sequence: DICT_AS_SEQUENCE.0.get(),
    tp_as_mapping: DICT_AS_MAPPING.0.get(),
    tp_free: Some(crate::alloc::gc_del),
    tp_doc: c"dict() -> new empty dictionary".as_ptr(),
});

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
        (*(op as *mut DictObject)).keys_version = next_version();
        PyRef::from_raw(op)
    }
}

#[inline(always)]
pub fn check(o: &Obj) -> bool {
    o.ob_type().has_flag(Py_TPFLAGS_DICT_SUBCLASS)
}

#[inline(always)]
pub fn len(d: &Obj) -> usize {
    // SAFETY: d is a dict.
    unsafe { (*raw(d)).ma_used as usize }
}

pub fn keys_version(d: &Obj) -> u64 {
    // SAFETY: d is a dict.
    unsafe { (*raw(d)).keys_version }
}

fn table(d: &Obj) -> Option<&mut Table> {
    // SAFETY: d is a dict; the GIL serialises access.
    unsafe { (*raw(d)).table.as_deref_mut() }
}

fn table_ptr(d: &Obj) -> *const Table {
    table(d).map_or(core::ptr::null(), |t| t as *const Table)
}

/// Hash of a key, with the str fast path.
#[inline]
fn key_hash(key: &Obj) -> PyResult<Py_hash_t> {
    if unicode::check_exact(key) { Ok(unicode::hash_of(key)) } else { crate::abstract_::hash(key) }
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
    t.entries.push(Entry { hash, key: key.new_ref().into_raw(), value: value.new_ref().into_raw() });
    // SAFETY: d is a dict.
    unsafe {
        (*raw(d)).ma_used += 1;
        (*raw(d)).keys_version = next_version();
    }
    Ok(())
}

/// `d[key]`, or None if absent.
pub fn get_item(d: &Obj, key: &Obj) -> PyResult<Option<PyRef>> {
    let hash = key_hash(key)?;
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

/// `del d[key]`: `KeyError(key)` if absent.
pub fn del_item(d: &Obj, key: &Obj) -> PyResult<()> {
    let hash = key_hash(key)?;
    let Some(ix) = lookup(d, key, hash)? else {
        return Err(crate::err::PyErr::from_type_and_arg(crate::objects::exceptions::KeyError(), key));
    };
    let t = table(d).unwrap();
    // Mark the index slot as DUMMY.
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
        (*raw(d)).keys_version = next_version();
        crate::object::decref(k);
        crate::object::decref(v);
    }
    Ok(())
}

pub fn contains(d: &Obj, key: &Obj) -> PyResult<bool> {
    let hash = key_hash(key)?;
    Ok(lookup(d, key, hash)?.is_some())
}

/// `PyDict_Next`: the next live entry at or after `*pos`, borrowed.
pub fn next<'a>(d: &'a Obj, pos: &mut usize) -> Option<(&'a Obj, &'a Obj)> {
    let t = table(d)?;
    while *pos < t.entries.len() {
        let e = &t.entries[*pos];
        *pos += 1;
        if !e.key.is_null() {
            // SAFETY: live entries hold owned references the dict keeps alive.
            return Some(unsafe { (Obj::from_ptr(e.key), Obj::from_ptr(e.value)) });
        }
    }
    None
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

pub fn keys(d: &Obj) -> PyRef {
    let ks: Vec<PyRef> = items_vec(d).into_iter().map(|(k, _)| k).collect();
    let refs: Vec<&Obj> = ks.iter().map(|k| &**k).collect();
    list::new_from(&refs)
}

pub fn values(d: &Obj) -> PyRef {
    let vs: Vec<PyRef> = items_vec(d).into_iter().map(|(_, v)| v).collect();
    let refs: Vec<&Obj> = vs.iter().map(|v| &**v).collect();
    list::new_from(&refs)
}

pub fn items(d: &Obj) -> PyRef {
    let pairs: Vec<PyRef> = items_vec(d).into_iter().map(|(k, v)| tuple::new_from(&[&k, &v])).collect();
    let refs: Vec<&Obj> = pairs.iter().map(|p| &**p).collect();
    list::new_from(&refs)
}

pub fn clear(d: &Obj) {
    // SAFETY: d is a dict; take the table out first so re-entrant decrefs see an empty dict.
    let old = unsafe {
        (*raw(d)).ma_used = 0;
        (*raw(d)).keys_version = next_version();
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

pub fn copy(d: &Obj) -> PyResult<PyRef> {
    let n = new();
    update(&n, d)?;
    Ok(n)
}

/// `a.update(b)` for a dict `b`.
pub fn update(a: &Obj, b: &Obj) -> PyResult<()> {
    for (k, v) in items_vec(b) {
        set_item(a, &k, &v)?;
    }
    Ok(())
}

pub fn types() -> [&'static TypeObj; 1] {
    [&PyDict_Type]
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

unsafe extern "C" fn dict_repr(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: live dict.
    let d = unsafe { arg(o) };
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

unsafe extern "C" fn dict_subscript(o: *mut PyObject, key: *mut PyObject) -> *mut PyObject {
    // SAFETY: live arguments.
    let (d, key) = unsafe { (arg(o), arg(key)) };
    ret_obj(get_item(d, key).and_then(|v| {
        v.ok_or_else(|| crate::err::PyErr::from_type_and_arg(crate::objects::exceptions::KeyError(), key))
    }))
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
