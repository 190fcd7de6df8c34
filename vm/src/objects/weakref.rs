//! Weak references: `weakref.ReferenceType` (`_weakref.ref`), `weakref.ProxyType` and
//! `weakref.CallableProxyType`, the `_weakref` module, and [`clear_weakrefs`], which every
//! deallocator of a type with `tp_weaklistoffset` runs (`PyObject_ClearWeakRefs`).
//!
//! As in CPython, the referent keeps a doubly linked list of its weak references in the word
//! at `tp_weaklistoffset`; a reference holds no count on its referent, and the referent's
//! deallocation unlinks every reference (which then points at `None`) and calls the callbacks.
//! List order is CPython's: the callback-less basic reference first, then the basic proxy,
//! then the others, newest first, which is the order callbacks run in.

use core::ffi::{c_int, c_void};
use core::mem::{offset_of, size_of};
use core::ptr::null_mut;
use std::sync::OnceLock;

use pyrite_abi::*;

use crate::abstract_;
use crate::err::{PyErr, PyResult};
use crate::object::{Obj, PyRef, StaticObject, SyncPtr};
use crate::objects::type_::{self, StaticTable, TypeObj, BUILTIN_BASETYPE_FLAGS, BUILTIN_FLAGS};
use crate::objects::{bool_, dict, long, module, none, tuple, unicode};
use crate::slot::{arg, from_new, opt_arg, ret_int, ret_obj};
use crate::{method_table, static_type};

/// CPython's `PyWeakReference`.
#[repr(C)]
pub struct WeakrefObject {
    pub ob_base: PyObject,
    /// The referent, borrowed; `None` once it died.
    pub wr_object: *mut PyObject,
    /// Owned, or NULL.
    pub wr_callback: *mut PyObject,
    /// The referent's hash, cached (-1: not computed).
    pub hash: Py_hash_t,
    pub wr_prev: *mut WeakrefObject,
    pub wr_next: *mut WeakrefObject,
    pub vectorcall: vectorcallfunc,
}

static_type!(_PyWeakref_RefType, c"weakref.ReferenceType", size_of::<WeakrefObject>(), {
    tp_flags: BUILTIN_BASETYPE_FLAGS | Py_TPFLAGS_HAVE_GC,
    tp_dealloc: Some(weakref_dealloc),
    tp_repr: Some(weakref_repr),
    tp_hash: Some(weakref_hash),
    tp_call: Some(weakref_call),
    tp_richcompare: Some(weakref_richcompare),
    tp_traverse: Some(weakref_traverse),
    tp_members: WEAKREF_MEMBERS.0.get() as *mut PyMemberDef,
    tp_methods: WEAKREF_METHODS.0.get() as *mut PyMethodDef,
    tp_init: Some(weakref_init),
    tp_alloc: Some(crate::alloc::generic_alloc),
    tp_new: Some(weakref_new),
    tp_free: Some(crate::alloc::gc_del),
});

static_type!(_PyWeakref_ProxyType, c"weakref.ProxyType", size_of::<WeakrefObject>(), {
    tp_flags: BUILTIN_FLAGS | Py_TPFLAGS_HAVE_GC,
    tp_dealloc: Some(weakref_dealloc),
    tp_repr: Some(proxy_repr),
    tp_str: Some(proxy_str),
    tp_hash: Some(proxy_hash),
    tp_getattro: Some(proxy_getattr),
    tp_setattro: Some(proxy_setattr),
    tp_richcompare: Some(proxy_richcompare),
    tp_iter: Some(proxy_iter),
    tp_iternext: Some(proxy_iternext),
    tp_traverse: Some(weakref_traverse),
    tp_as_number: PROXY_AS_NUMBER.0.get(),
    tp_as_sequence: PROXY_AS_SEQUENCE.0.get(),
    tp_as_mapping: PROXY_AS_MAPPING.0.get(),
    tp_methods: PROXY_METHODS.0.get() as *mut PyMethodDef,
    tp_free: Some(crate::alloc::gc_del),
});

static_type!(_PyWeakref_CallableProxyType, c"weakref.CallableProxyType", size_of::<WeakrefObject>(), {
    tp_flags: BUILTIN_FLAGS | Py_TPFLAGS_HAVE_GC,
    tp_dealloc: Some(weakref_dealloc),
    tp_repr: Some(proxy_repr),
    tp_str: Some(proxy_str),
    tp_hash: Some(proxy_hash),
    tp_call: Some(proxy_call),
    tp_getattro: Some(proxy_getattr),
    tp_setattro: Some(proxy_setattr),
    tp_richcompare: Some(proxy_richcompare),
    tp_iter: Some(proxy_iter),
    tp_iternext: Some(proxy_iternext),
    tp_traverse: Some(weakref_traverse),
    tp_as_number: PROXY_AS_NUMBER.0.get(),
    tp_as_sequence: PROXY_AS_SEQUENCE.0.get(),
    tp_as_mapping: PROXY_AS_MAPPING.0.get(),
    tp_methods: PROXY_METHODS.0.get() as *mut PyMethodDef,
    tp_free: Some(crate::alloc::gc_del),
});

static WEAKREF_MEMBERS: StaticTable<PyMemberDef, 2> = StaticTable(core::cell::UnsafeCell::new([
    PyMemberDef {
        name: c"__callback__".as_ptr(),
        type_code: _Py_T_OBJECT,
        offset: offset_of!(WeakrefObject, wr_callback) as isize,
        flags: Py_READONLY,
        doc: core::ptr::null(),
    },
    PyMemberDef { name: core::ptr::null(), type_code: 0, offset: 0, flags: 0, doc: core::ptr::null() },
]));

method_table!(static WEAKREF_METHODS = [
    class_o c"__class_getitem__" => crate::objects::genericalias::class_getitem,
]);

method_table!(static PROXY_METHODS = [
    noargs c"__bytes__" => proxy_bytes,
    noargs c"__reversed__" => proxy_reversed,
]);

pub fn types() -> [&'static TypeObj; 3] {
    [&_PyWeakref_RefType, &_PyWeakref_ProxyType, &_PyWeakref_CallableProxyType]
}

#[inline(always)]
fn raw(o: &Obj) -> *mut WeakrefObject {
    o.as_ptr() as *mut WeakrefObject
}

/// `PyWeakref_Check`: a reference or a proxy.
pub fn check(o: &Obj) -> bool {
    check_ref(o) || check_proxy(o)
}

/// `PyWeakref_CheckRef`: `weakref.ref` or a subclass.
pub fn check_ref(o: &Obj) -> bool {
    o.is_instance_of(&_PyWeakref_RefType)
}

pub fn check_proxy(o: &Obj) -> bool {
    o.is_exact(&_PyWeakref_ProxyType) || o.is_exact(&_PyWeakref_CallableProxyType)
}

/// The word holding `o`'s list of weak references, if its type supports them.
fn list_ptr(o: *mut PyObject) -> Option<*mut *mut WeakrefObject> {
    // SAFETY: a live object; the offset is inside its instance layout.
    unsafe {
        let off = (*(*o).ob_type).tp_weaklistoffset;
        if off <= 0 {
            return None;
        }
        Some((o as *mut u8).add(off as usize) as *mut *mut WeakrefObject)
    }
}

/// Whether instances of `t` can be weakly referenced.
pub fn supports_weakrefs(t: &TypeObj) -> bool {
    t.slots().tp_weaklistoffset > 0
}

/// The referent, or None when it died.
pub fn referent(r: &Obj) -> Option<&Obj> {
    // SAFETY: `r` is a weak reference; wr_object is None or a live object.
    let p = unsafe { (*raw(r)).wr_object };
    if p.is_null() || p == none::none_obj().as_ptr() {
        return None;
    }
    // SAFETY: a live referent (dead ones are None).
    Some(unsafe { Obj::from_ptr(p) })
}

/// Unlinks `r` from its referent's list and forgets the referent; drops the callback.
///
/// # Safety
/// `r` is a weak reference.
unsafe fn clear_weakref(r: *mut WeakrefObject) {
    // SAFETY: guaranteed by the caller; list neighbours are live references.
    unsafe {
        let o = (*r).wr_object;
        if !o.is_null() && o != none::none_obj().as_ptr() {
            if let Some(list) = list_ptr(o) {
                if *list == r {
                    *list = (*r).wr_next;
                }
            }
            if !(*r).wr_prev.is_null() {
                (*(*r).wr_prev).wr_next = (*r).wr_next;
            }
            if !(*r).wr_next.is_null() {
                (*(*r).wr_next).wr_prev = (*r).wr_prev;
            }
            (*r).wr_object = none::none_obj().as_ptr();
            (*r).wr_prev = null_mut();
            (*r).wr_next = null_mut();
        }
        let cb = core::mem::replace(&mut (*r).wr_callback, null_mut());
        crate::object::xdecref(cb);
    }
}

/// The basic reference and basic proxy of `o` (callback-less, exact types), which sit at the
/// head of its list and are shared.
///
/// # Safety
/// `list` is `o`'s weak reference list.
unsafe fn basic_refs(list: *mut *mut WeakrefObject) -> (*mut WeakrefObject, *mut WeakrefObject) {
    // SAFETY: guaranteed by the caller.
    unsafe {
        let mut r = null_mut();
        let mut p = null_mut();
        let mut cur = *list;
        if !cur.is_null() && (*cur).wr_callback.is_null() && (*cur).ob_base.ob_type == _PyWeakref_RefType.raw() {
            r = cur;
            cur = (*cur).wr_next;
        }
        if !cur.is_null()
            && (*cur).wr_callback.is_null()
            && ((*cur).ob_base.ob_type == _PyWeakref_ProxyType.raw() || (*cur).ob_base.ob_type == _PyWeakref_CallableProxyType.raw())
        {
            p = cur;
        }
        (r, p)
    }
}

/// # Safety
/// `list` is a weak reference list; `r` is unlinked; `prev` is in the list.
unsafe fn insert_after(r: *mut WeakrefObject, prev: *mut WeakrefObject) {
    // SAFETY: guaranteed by the caller.
    unsafe {
        (*r).wr_prev = prev;
        (*r).wr_next = (*prev).wr_next;
        if !(*prev).wr_next.is_null() {
            (*(*prev).wr_next).wr_prev = r;
        }
        (*prev).wr_next = r;
    }
}

/// # Safety
/// As [`insert_after`].
unsafe fn insert_head(r: *mut WeakrefObject, list: *mut *mut WeakrefObject) {
    // SAFETY: guaranteed by the caller.
    unsafe {
        let next = *list;
        (*r).wr_prev = null_mut();
        (*r).wr_next = next;
        if !next.is_null() {
            (*next).wr_prev = r;
        }
        *list = r;
    }
}

fn cannot_reference(o: &Obj) -> PyErr {
    raise!(TypeError, "cannot create weak reference to '{}' object", o.ob_type().name())
}

/// Allocates a reference of type `ty` to `o` and links it in (not sharing basic refs).
fn new_linked(ty: &TypeObj, o: &Obj, callback: Option<&Obj>) -> PyResult<PyRef> {
    let list = list_ptr(o.as_ptr()).ok_or_else(|| cannot_reference(o))?;
    // SAFETY: tp_alloc of a weakref type (a subclass inherits it).
    let r = unsafe {
        let alloc = ty.slots().tp_alloc.unwrap_or(crate::alloc::generic_alloc);
        from_new(alloc(ty.raw(), 0))?
    };
    let w = raw(&r);
    // SAFETY: a fresh, zeroed reference; the list is `o`'s.
    unsafe {
        (*w).wr_object = o.as_ptr();
        (*w).wr_callback = callback.map_or(null_mut(), |c| c.new_ref().into_raw());
        (*w).hash = -1;
        let (basic_ref, basic_proxy) = basic_refs(list);
        let is_proxy = ty.is(&_PyWeakref_ProxyType) || ty.is(&_PyWeakref_CallableProxyType);
        if callback.is_none() && ty.is(&_PyWeakref_RefType) {
            insert_head(w, list);
        } else if callback.is_none() && is_proxy {
            if basic_ref.is_null() { insert_head(w, list) } else { insert_after(w, basic_ref) }
        } else {
            let prev = if basic_proxy.is_null() { basic_ref } else { basic_proxy };
            if prev.is_null() { insert_head(w, list) } else { insert_after(w, prev) }
        }
    }
    Ok(r)
}

/// `PyWeakref_NewRef(o, callback)`: a callback of `None` is no callback; the basic reference is
/// shared.
pub fn new_ref(o: &Obj, callback: Option<&Obj>) -> PyResult<PyRef> {
    let callback = callback.filter(|c| !c.is(none::none_obj()));
    let list = list_ptr(o.as_ptr()).filter(|_| supports_weakrefs(o.ob_type())).ok_or_else(|| cannot_reference(o))?;
    if callback.is_none() {
        // SAFETY: `o`'s list.
        let (r, _) = unsafe { basic_refs(list) };
        if !r.is_null() {
            // SAFETY: a live reference in the list.
            return Ok(unsafe { Obj::from_ptr(r as *mut PyObject) }.new_ref());
        }
    }
    new_linked(&_PyWeakref_RefType, o, callback)
}

/// `PyWeakref_NewProxy(o, callback)`: `CallableProxyType` for callables.
pub fn new_proxy(o: &Obj, callback: Option<&Obj>) -> PyResult<PyRef> {
    let callback = callback.filter(|c| !c.is(none::none_obj()));
    let list = list_ptr(o.as_ptr()).filter(|_| supports_weakrefs(o.ob_type())).ok_or_else(|| cannot_reference(o))?;
    if callback.is_none() {
        // SAFETY: `o`'s list.
        let (_, p) = unsafe { basic_refs(list) };
        if !p.is_null() {
            // SAFETY: a live proxy in the list.
            return Ok(unsafe { Obj::from_ptr(p as *mut PyObject) }.new_ref());
        }
    }
    let ty = if o.ob_type().slots().tp_call.is_some() { &_PyWeakref_CallableProxyType } else { &_PyWeakref_ProxyType };
    new_linked(ty, o, callback)
}

/// `PyObject_ClearWeakRefs`: every weak reference to the dying `o` is cleared, then the
/// callbacks run (newest first), each with its reference; their errors are unraisable. The
/// current exception is kept.
///
/// # Safety
/// `o` is an object being deallocated (or at least one whose references must die now).
pub unsafe fn clear_weakrefs(o: *mut PyObject) {
    let Some(list) = list_ptr(o) else { return };
    // SAFETY: the list word of a live object.
    if unsafe { (*list).is_null() } {
        return;
    }
    let saved = PyErr::take();
    // SAFETY: guaranteed by the caller.
    let pending = unsafe { detach_all(o, |_| true) };
    run_callbacks(pending);
    if let Some(e) = saved {
        e.restore();
    }
}

/// Clears every weak reference to `o` (unlinked, referent forgotten) and returns, newest
/// first, `(reference, callback)` for those whose callback should still run: the ones
/// `wants_callback` accepts (the collector refuses references that are garbage themselves).
///
/// # Safety
/// `o` is a live object whose references must die now.
pub unsafe fn detach_all(o: *mut PyObject, wants_callback: impl Fn(*mut PyObject) -> bool) -> Vec<(PyRef, PyRef)> {
    let Some(list) = list_ptr(o) else { return Vec::new() };
    let mut pending: Vec<(PyRef, PyRef)> = Vec::new();
    // SAFETY: each reference in the list is live (it unlinks itself when it dies).
    unsafe {
        while !(*list).is_null() {
            let r = *list;
            let cb = core::mem::replace(&mut (*r).wr_callback, null_mut());
            clear_weakref(r);
            if !cb.is_null() {
                let cb = PyRef::from_raw(cb);
                // A reference at refcount 0 is itself being deallocated (a weakref subclass
                // whose `__dict__` held the referent's last strong reference): its callback
                // is dropped, not called, or it would be resurrected and freed twice (bpo-3100).
                let r = Obj::from_ptr(r as *mut PyObject);
                if r.refcnt() > 0 && wants_callback(r.as_ptr()) {
                    pending.push((r.new_ref(), cb));
                }
            }
        }
    }
    pending
}

/// Calls each weak reference callback with its reference; errors are unraisable.
pub fn run_callbacks(pending: Vec<(PyRef, PyRef)>) {
    for (r, cb) in pending {
        if let Err(e) = abstract_::call_one_arg(&cb, &r) {
            let what = abstract_::repr(&cb).map(|s| unicode::as_str_lossy(&s).into_owned()).unwrap_or_default();
            crate::traceback::write_unraisable(&format!("Exception ignored while calling weakref callback {what}"), &e);
        }
    }
}

/// `_PyWeakref_GetWeakrefCount`.
pub fn weakref_count(o: &Obj) -> usize {
    let Some(list) = list_ptr(o.as_ptr()) else { return 0 };
    let mut n = 0;
    // SAFETY: the list of a live object.
    unsafe {
        let mut cur = *list;
        while !cur.is_null() {
            n += 1;
            cur = (*cur).wr_next;
        }
    }
    n
}

fn weakrefs_of(o: &Obj) -> PyRef {
    let l = crate::objects::list::new();
    if let Some(list) = list_ptr(o.as_ptr()) {
        // SAFETY: the list of a live object.
        unsafe {
            let mut cur = *list;
            while !cur.is_null() {
                crate::objects::list::append(&l, Obj::from_ptr(cur as *mut PyObject));
                cur = (*cur).wr_next;
            }
        }
    }
    l
}

// ---- ref slots ------------------------------------------------------------------------------

fn unpack_args<'a>(name: &str, args: &'a Obj) -> PyResult<(&'a Obj, Option<&'a Obj>)> {
    let a = tuple::items(args);
    crate::objects::argparse::check_positional(name, a.len(), 1, 2)?;
    Ok((a[0], a.get(1).copied().filter(|c| !c.is(none::none_obj()))))
}

unsafe extern "C" fn weakref_new(t: *mut PyTypeObject, args: *mut PyObject, _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: tp_new contract.
    let (ty, args) = unsafe { (TypeObj::from_ptr(t), arg(args)) };
    ret_obj((|| {
        let (o, callback) = unpack_args("__new__", args)?;
        if !supports_weakrefs(o.ob_type()) {
            return Err(cannot_reference(o));
        }
        if ty.is(&_PyWeakref_RefType) {
            return new_ref(o, callback);
        }
        new_linked(ty, o, callback)
    })())
}

unsafe extern "C" fn weakref_init(_o: *mut PyObject, args: *mut PyObject, _kw: *mut PyObject) -> c_int {
    // SAFETY: tp_init contract.
    let args = unsafe { arg(args) };
    ret_int(unpack_args("__init__", args).map(|_| 0))
}

unsafe extern "C" fn weakref_dealloc(o: *mut PyObject) {
    // SAFETY: a dead weak reference.
    unsafe {
        clear_weakref(o as *mut WeakrefObject);
        let free = (*(*o).ob_type).tp_free.unwrap_or(crate::alloc::gc_del);
        free(o as *mut c_void);
    }
}

unsafe extern "C" fn weakref_traverse(o: *mut PyObject, visit: visitproc, a: *mut c_void) -> c_int {
    // SAFETY: a live reference.
    unsafe {
        let cb = (*(o as *mut WeakrefObject)).wr_callback;
        if !cb.is_null() {
            if let Some(v) = visit {
                return v(cb, a);
            }
        }
    }
    0
}

unsafe extern "C" fn weakref_call(o: *mut PyObject, args: *mut PyObject, kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: tp_call contract.
    let (r, args, kw) = unsafe { (arg(o), arg(args), opt_arg(kw)) };
    ret_obj((|| {
        crate::objects::argparse::no_kw_dict("weakref", kw)?;
        crate::objects::argparse::check_positional("weakref", tuple::len(args), 0, 0)?;
        Ok(referent(r).map_or_else(none::none, Obj::new_ref))
    })())
}

unsafe extern "C" fn weakref_hash(o: *mut PyObject) -> Py_hash_t {
    // SAFETY: a live reference.
    let r = unsafe { arg(o) };
    let w = raw(r);
    // SAFETY: as above.
    unsafe {
        if (*w).hash != -1 {
            return (*w).hash;
        }
        let Some(x) = referent(r) else {
            raise!(TypeError, "weak object has gone away").restore();
            return -1;
        };
        match abstract_::hash(x) {
            Ok(h) => {
                (*w).hash = h;
                h
            }
            Err(e) => {
                e.restore();
                -1
            }
        }
    }
}

unsafe extern "C" fn weakref_repr(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live reference.
    let r = unsafe { arg(o) };
    ret_obj((|| {
        let Some(x) = referent(r) else {
            return Ok(unicode::new(&format!("<weakref at {:p}; dead>", o)));
        };
        let tn = type_::qualified_name(x.ob_type());
        let name = crate::objects::argparse::lookup_special(x, "__name__").ok().flatten().filter(|n| unicode::check(n));
        Ok(unicode::new(&match name {
            Some(n) => format!("<weakref at {:p}; to '{}' at {:p} ({})>", o, tn, x.as_ptr(), unicode::as_str_lossy(&n)),
            None => format!("<weakref at {:p}; to '{}' at {:p}>", o, tn, x.as_ptr()),
        }))
    })())
}

unsafe extern "C" fn weakref_richcompare(a: *mut PyObject, b: *mut PyObject, op: c_int) -> *mut PyObject {
    // SAFETY: tp_richcompare contract.
    let (a, b) = unsafe { (arg(a), arg(b)) };
    if (op != Py_EQ && op != Py_NE) || !check_ref(a) || !check_ref(b) {
        return none::not_implemented().into_raw();
    }
    match (referent(a), referent(b)) {
        (Some(x), Some(y)) => ret_obj(abstract_::rich_compare(x, y, op)),
        _ => bool_::new(a.is(b) == (op == Py_EQ)).into_raw(),
    }
}

// ---- proxies --------------------------------------------------------------------------------

/// The live referent of a proxy, else `ReferenceError`.
fn proxy_target(p: &Obj) -> PyResult<&Obj> {
    referent(p).ok_or_else(|| raise!(ReferenceError, "weakly-referenced object no longer exists"))
}

/// A proxy argument unwrapped (other objects as they are).
fn unwrap(o: &Obj) -> PyResult<&Obj> {
    if check_proxy(o) { proxy_target(o) } else { Ok(o) }
}

unsafe extern "C" fn proxy_repr(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live proxy.
    let p = unsafe { arg(o) };
    ret_obj(proxy_target(p).map(|x| unicode::new(&format!("<weakproxy at {:p}; to '{}' at {:p}>", o, type_::qualified_name(x.ob_type()), x.as_ptr()))))
}

unsafe extern "C" fn proxy_str(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live proxy.
    ret_obj(proxy_target(unsafe { arg(o) }).and_then(abstract_::str))
}

unsafe extern "C" fn proxy_hash(o: *mut PyObject) -> Py_hash_t {
    // SAFETY: a live proxy.
    let p = unsafe { arg(o) };
    raise!(TypeError, "unhashable type: '{}'", p.ob_type().full_name()).restore();
    -1
}

unsafe extern "C" fn proxy_getattr(o: *mut PyObject, name: *mut PyObject) -> *mut PyObject {
    // SAFETY: tp_getattro contract.
    let (p, name) = unsafe { (arg(o), arg(name)) };
    ret_obj(proxy_target(p).and_then(|x| abstract_::getattr(x, name)))
}

unsafe extern "C" fn proxy_setattr(o: *mut PyObject, name: *mut PyObject, v: *mut PyObject) -> c_int {
    // SAFETY: tp_setattro contract.
    let (p, name, v) = unsafe { (arg(o), arg(name), opt_arg(v)) };
    ret_int(proxy_target(p).and_then(|x| abstract_::setattr(x, name, v)).map(|_| 0))
}

unsafe extern "C" fn proxy_call(o: *mut PyObject, args: *mut PyObject, kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: tp_call contract.
    let (p, args, kw) = unsafe { (arg(o), arg(args), opt_arg(kw)) };
    ret_obj(proxy_target(p).and_then(|x| abstract_::call(x, args, kw)))
}

unsafe extern "C" fn proxy_richcompare(a: *mut PyObject, b: *mut PyObject, op: c_int) -> *mut PyObject {
    // SAFETY: tp_richcompare contract.
    let (a, b) = unsafe { (arg(a), arg(b)) };
    ret_obj((|| abstract_::rich_compare(unwrap(a)?, unwrap(b)?, op))())
}

unsafe extern "C" fn proxy_iter(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live proxy.
    ret_obj(proxy_target(unsafe { arg(o) }).and_then(crate::objects::iterobject::get_iter))
}

unsafe extern "C" fn proxy_iternext(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live proxy.
    let p = unsafe { arg(o) };
    let r = proxy_target(p).and_then(|x| {
        if x.ob_type().slots().tp_iternext.is_none() {
            return Err(raise!(TypeError, "Weakref proxy referenced a non-iterator '{}' object", x.ob_type().name()));
        }
        crate::objects::iterobject::next(x)
    });
    match r {
        Ok(Some(v)) => v.into_raw(),
        Ok(None) => null_mut(),
        Err(e) => {
            e.restore();
            null_mut()
        }
    }
}

fn proxy_bytes(p: &Obj) -> PyResult<PyRef> {
    let x = proxy_target(p)?;
    abstract_::call_one_arg(&crate::objects::bytes::PyBytes_Type, x)
}

fn proxy_reversed(p: &Obj) -> PyResult<PyRef> {
    let x = proxy_target(p)?;
    abstract_::call_one_arg(&crate::objects::itertools_builtin::PyReversed_Type, x)
}

unsafe extern "C" fn proxy_len(o: *mut PyObject) -> Py_ssize_t {
    // SAFETY: a live proxy.
    match proxy_target(unsafe { arg(o) }).and_then(abstract_::len) {
        Ok(n) => n as Py_ssize_t,
        Err(e) => {
            e.restore();
            -1
        }
    }
}

unsafe extern "C" fn proxy_contains(o: *mut PyObject, v: *mut PyObject) -> c_int {
    // SAFETY: sq_contains contract.
    let (p, v) = unsafe { (arg(o), arg(v)) };
    ret_int(proxy_target(p).and_then(|x| abstract_::contains(x, v)).map(c_int::from))
}

unsafe extern "C" fn proxy_getitem(o: *mut PyObject, k: *mut PyObject) -> *mut PyObject {
    // SAFETY: mp_subscript contract.
    let (p, k) = unsafe { (arg(o), arg(k)) };
    ret_obj(proxy_target(p).and_then(|x| abstract_::getitem(x, k)))
}

unsafe extern "C" fn proxy_setitem(o: *mut PyObject, k: *mut PyObject, v: *mut PyObject) -> c_int {
    // SAFETY: mp_ass_subscript contract.
    let (p, k, v) = unsafe { (arg(o), arg(k), opt_arg(v)) };
    ret_int(proxy_target(p).and_then(|x| abstract_::setitem(x, k, v)).map(|_| 0))
}

unsafe extern "C" fn proxy_bool(o: *mut PyObject) -> c_int {
    // SAFETY: a live proxy.
    ret_int(proxy_target(unsafe { arg(o) }).and_then(abstract_::is_true).map(c_int::from))
}

/// Binary and unary number slots that unwrap proxies and apply the operator.
macro_rules! proxy_binary {
    ($($f:ident => $op:ident),* $(,)?) => {$(
        unsafe extern "C" fn $f(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
            // SAFETY: binary slot contract.
            let (a, b) = unsafe { (arg(a), arg(b)) };
            ret_obj((|| crate::number::binary_op(unwrap(a)?, unwrap(b)?, crate::number::BinaryOp::$op))())
        }
    )*};
}
macro_rules! proxy_inplace {
    ($($f:ident => $op:ident),* $(,)?) => {$(
        unsafe extern "C" fn $f(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
            // SAFETY: binary slot contract. The referent is updated in place; the proxy stays.
            let (a, b) = unsafe { (arg(a), arg(b)) };
            ret_obj((|| {
                let r = crate::number::inplace_op(unwrap(a)?, unwrap(b)?, crate::number::BinaryOp::$op)?;
                Ok(if referent(a).is_some_and(|x| x.is(&r)) { a.new_ref() } else { r })
            })())
        }
    )*};
}
macro_rules! proxy_unary {
    ($($f:ident => $e:expr),* $(,)?) => {$(
        unsafe extern "C" fn $f(o: *mut PyObject) -> *mut PyObject {
            // SAFETY: unary slot contract.
            ret_obj(proxy_target(unsafe { arg(o) }).and_then($e))
        }
    )*};
}

proxy_binary!(
    proxy_add => Add, proxy_sub => Sub, proxy_mul => Mul, proxy_matmul => MatMul, proxy_truediv => TrueDiv,
    proxy_floordiv => FloorDiv, proxy_mod => Mod, proxy_lshift => LShift, proxy_rshift => RShift,
    proxy_and => And, proxy_or => Or, proxy_xor => Xor,
);
proxy_inplace!(
    proxy_iadd => Add, proxy_isub => Sub, proxy_imul => Mul, proxy_imatmul => MatMul, proxy_itruediv => TrueDiv,
    proxy_ifloordiv => FloorDiv, proxy_imod => Mod, proxy_ilshift => LShift, proxy_irshift => RShift,
    proxy_iand => And, proxy_ior => Or, proxy_ixor => Xor,
);
proxy_unary!(
    proxy_neg => |x| crate::number::unary_op(x, crate::number::UnaryOp::Neg),
    proxy_pos => |x| crate::number::unary_op(x, crate::number::UnaryOp::Pos),
    proxy_invert => |x| crate::number::unary_op(x, crate::number::UnaryOp::Invert),
    proxy_abs => crate::number::absolute,
    proxy_int => crate::number::to_int,
    proxy_float => crate::number::to_float,
    proxy_index => abstract_::index,
);

unsafe extern "C" fn proxy_pow(a: *mut PyObject, b: *mut PyObject, c: *mut PyObject) -> *mut PyObject {
    // SAFETY: ternary slot contract.
    let (a, b, c) = unsafe { (arg(a), arg(b), arg(c)) };
    ret_obj((|| {
        let m = if c.is(none::none_obj()) { None } else { Some(unwrap(c)?) };
        crate::number::power(unwrap(a)?, unwrap(b)?, m)
    })())
}

unsafe extern "C" fn proxy_divmod(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    // SAFETY: binary slot contract.
    let (a, b) = unsafe { (arg(a), arg(b)) };
    ret_obj((|| crate::number::divmod(unwrap(a)?, unwrap(b)?))())
}

static PROXY_AS_NUMBER: StaticObject<PyNumberMethods> = StaticObject::new(PyNumberMethods {
    nb_add: Some(proxy_add),
    nb_subtract: Some(proxy_sub),
    nb_multiply: Some(proxy_mul),
    nb_remainder: Some(proxy_mod),
    nb_divmod: Some(proxy_divmod),
    nb_power: Some(proxy_pow),
    nb_negative: Some(proxy_neg),
    nb_positive: Some(proxy_pos),
    nb_absolute: Some(proxy_abs),
    nb_bool: Some(proxy_bool),
    nb_invert: Some(proxy_invert),
    nb_lshift: Some(proxy_lshift),
    nb_rshift: Some(proxy_rshift),
    nb_and: Some(proxy_and),
    nb_xor: Some(proxy_xor),
    nb_or: Some(proxy_or),
    nb_int: Some(proxy_int),
    nb_float: Some(proxy_float),
    nb_inplace_add: Some(proxy_iadd),
    nb_inplace_subtract: Some(proxy_isub),
    nb_inplace_multiply: Some(proxy_imul),
    nb_inplace_remainder: Some(proxy_imod),
    nb_inplace_lshift: Some(proxy_ilshift),
    nb_inplace_rshift: Some(proxy_irshift),
    nb_inplace_and: Some(proxy_iand),
    nb_inplace_xor: Some(proxy_ixor),
    nb_inplace_or: Some(proxy_ior),
    nb_floor_divide: Some(proxy_floordiv),
    nb_true_divide: Some(proxy_truediv),
    nb_inplace_floor_divide: Some(proxy_ifloordiv),
    nb_inplace_true_divide: Some(proxy_itruediv),
    nb_index: Some(proxy_index),
    nb_matrix_multiply: Some(proxy_matmul),
    nb_inplace_matrix_multiply: Some(proxy_imatmul),
    ..PyNumberMethods::EMPTY
});

static PROXY_AS_SEQUENCE: StaticObject<PySequenceMethods> = StaticObject::new(PySequenceMethods {
    sq_contains: Some(proxy_contains),
    ..PySequenceMethods::EMPTY
});

static PROXY_AS_MAPPING: StaticObject<PyMappingMethods> = StaticObject::new(PyMappingMethods {
    mp_length: Some(proxy_len),
    mp_subscript: Some(proxy_getitem),
    mp_ass_subscript: Some(proxy_setitem),
});

// ---- the _weakref module --------------------------------------------------------------------

fn getweakrefcount(_m: &Obj, o: &Obj) -> PyResult<PyRef> {
    Ok(long::from_i64(weakref_count(o) as i64))
}

fn getweakrefs(_m: &Obj, o: &Obj) -> PyResult<PyRef> {
    Ok(weakrefs_of(o))
}

fn proxy(_m: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    crate::objects::argparse::check_positional("proxy", a.len(), 1, 2)?;
    new_proxy(a[0], a.get(1).copied())
}

/// `_remove_dead_weakref(dct, key)`: deletes `dct[key]` if it is a dead weak reference.
fn remove_dead_weakref(_m: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    crate::objects::argparse::check_positional("_remove_dead_weakref", a.len(), 2, 2)?;
    if !dict::check(a[0]) {
        return Err(raise!(TypeError, "_remove_dead_weakref() argument 1 must be dict, not {}", a[0].ob_type().name()));
    }
    if let Some(v) = dict::get_item(a[0], a[1])? {
        if check(&v) && referent(&v).is_none() {
            dict::del_item(a[0], a[1])?;
        }
    }
    Ok(none::none())
}

method_table!(static WEAKREF_MODULE_METHODS = [
    o c"getweakrefcount" => getweakrefcount,
    o c"getweakrefs" => getweakrefs,
    fast c"proxy" => proxy,
    fast c"_remove_dead_weakref" => remove_dead_weakref,
]);

/// The `_weakref` module (one per process, like `sys`).
pub fn module() -> PyResult<PyRef> {
    static MODULE: OnceLock<SyncPtr<PyObject>> = OnceLock::new();
    if let Some(p) = MODULE.get() {
        // SAFETY: the module is immortal.
        return Ok(unsafe { Obj::from_ptr(p.0) }.new_ref());
    }
    let m = module::new(&unicode::new("_weakref"))?;
    // SAFETY: the table is static.
    unsafe { module::add_functions(&m, WEAKREF_MODULE_METHODS.0.get() as *mut PyMethodDef)? };
    let d = module::dict_of(&m);
    dict::set_item_str(d, "ref", &_PyWeakref_RefType)?;
    dict::set_item_str(d, "ReferenceType", &_PyWeakref_RefType)?;
    dict::set_item_str(d, "ProxyType", &_PyWeakref_ProxyType)?;
    dict::set_item_str(d, "CallableProxyType", &_PyWeakref_CallableProxyType)?;
    let p = MODULE.get_or_init(|| SyncPtr(crate::object::make_immortal(m))).0;
    // SAFETY: immortal.
    Ok(unsafe { Obj::from_ptr(p) }.new_ref())
}
