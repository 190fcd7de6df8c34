//! `type` and `object`: type objects laid out as CPython 3.15's `PyTypeObject`, readying
//! (`PyType_Ready`: MRO, slot inheritance, the type dict from `tp_methods`/`tp_members`/
//! `tp_getset`), attribute lookup along the MRO, and the generic attribute protocol.
//!
//! Invariant: built-in types are immortal statics exported under CPython's data-symbol names,
//! so `Py_TYPE(x) == &PyLong_Type` holds for every int the VM makes.

use core::cell::UnsafeCell;
use core::ffi::{c_char, c_int, c_ulong, c_void, CStr};
use core::ops::Deref;
use core::ptr::null_mut;
use core::sync::atomic::{AtomicBool, AtomicU32, Ordering};

use pyrite_abi::*;

use crate::err::PyResult;
use crate::object::{static_head, Obj, PyRef};
use crate::objects::{descr, dict, exceptions as exc, none, tuple, unicode};
use crate::slot::{arg, opt_arg, ret_int, ret_obj};

/// A type object. Static built-in types are `static` items of this type; heap types are
/// allocated by `type.__new__`/`PyType_FromSpec` with the same leading layout.
#[repr(transparent)]
pub struct TypeObj(UnsafeCell<PyTypeObject>);

// SAFETY: type objects are mutated only under the GIL.
unsafe impl Sync for TypeObj {}

impl TypeObj {
    pub const fn new(t: PyTypeObject) -> TypeObj {
        TypeObj(UnsafeCell::new(t))
    }

    /// # Safety
    /// `p` is a live type object for `'a`.
    #[inline(always)]
    pub unsafe fn from_ptr<'a>(p: *mut PyTypeObject) -> &'a TypeObj {
        // SAFETY: transparent wrapper; liveness guaranteed by the caller.
        unsafe { &*(p as *const TypeObj) }
    }

    #[inline(always)]
    pub const fn raw(&self) -> *mut PyTypeObject {
        self.0.get()
    }

    /// The slot table. Reading is fine under the GIL; writers go through `raw()`.
    #[inline(always)]
    pub fn slots(&self) -> &PyTypeObject {
        // SAFETY: the type is live; mutation happens only while readying or under the GIL.
        unsafe { &*self.raw() }
    }

    #[inline(always)]
    pub fn flags(&self) -> c_ulong {
        self.slots().tp_flags
    }

    #[inline(always)]
    pub fn has_flag(&self, f: c_ulong) -> bool {
        self.flags() & f != 0
    }

    #[inline(always)]
    pub fn is(&self, other: &TypeObj) -> bool {
        core::ptr::eq(self, other)
    }

    /// `tp_name` as written (may contain a module prefix).
    pub fn full_name(&self) -> &str {
        let p = self.slots().tp_name;
        if p.is_null() {
            return "?";
        }
        // SAFETY: tp_name is a NUL-terminated string that lives as long as the type.
        unsafe { CStr::from_ptr(p) }.to_str().unwrap_or("?")
    }

    /// `__name__`: a heap type's `ht_name`; for a static type, the part of `tp_name` after
    /// the last dot.
    pub fn name(&self) -> &str {
        let full = self.full_name();
        if self.has_flag(Py_TPFLAGS_HEAPTYPE) {
            // SAFETY: heap types are PyHeapTypeObjects; ht_name is NULL or a str the type owns.
            let n = unsafe { (*(self.raw() as *mut crate::objects::heaptype::HeapTypeObject)).ht_name };
            if !n.is_null() {
                // SAFETY: as above.
                if let Ok(s) = unicode::as_str(unsafe { arg(n) }) {
                    return s;
                }
            }
            return full;
        }
        full.rsplit('.').next().unwrap_or(full)
    }

    /// `PyType_IsSubtype`: along the MRO once ready, else along `tp_base`.
    pub fn is_subtype(&self, other: &TypeObj) -> bool {
        if self.is(other) {
            return true;
        }
        let mro = self.slots().tp_mro;
        if !mro.is_null() {
            // SAFETY: tp_mro is a tuple of types owned by the type.
            let items = unsafe { tuple::items_raw(mro) };
            return items.iter().any(|&t| t == other.raw() as *mut PyObject);
        }
        let mut b = self.slots().tp_base;
        while !b.is_null() {
            if b == other.raw() {
                return true;
            }
            // SAFETY: tp_base chains through live types.
            b = unsafe { (*b).tp_base };
        }
        other.is(&PyBaseObject_Type)
    }

    /// The object as a type, if it is one.
    #[inline]
    pub fn downcast(o: &Obj) -> Option<&TypeObj> {
        if o.ob_type().has_flag(Py_TPFLAGS_TYPE_SUBCLASS) {
            // SAFETY: objects of type subclasses have PyTypeObject layout.
            Some(unsafe { TypeObj::from_ptr(o.as_ptr() as *mut PyTypeObject) })
        } else {
            None
        }
    }

    /// `_PyType_Lookup`: the attribute `name` along the MRO, borrowed. Results for interned
    /// names are remembered in a global cache keyed by the type's version tag, as CPython's
    /// method cache does: a type change retires the tag, and so the entries.
    pub fn lookup(&self, name: &Obj) -> Option<&Obj> {
        if !unicode::check_exact(name) || !unicode::is_interned_immortal(name) {
            return self.lookup_uncached(name);
        }
        let tag = version_tag(self);
        if tag == 0 {
            return self.lookup_uncached(name);
        }
        let slot = lookup_cache_slot(tag, name);
        // SAFETY: the cache is touched only under the GIL.
        let e = unsafe { &mut (*LOOKUP_CACHE.0.get())[slot] };
        if e.version == tag && e.name == name.as_ptr() {
            // SAFETY: the value lives in a dict of a type on this MRO while the tag holds.
            return unsafe { crate::slot::opt_arg(e.value) };
        }
        let found = self.lookup_uncached(name);
        *e = LookupEntry { version: tag, name: name.as_ptr(), value: found.map_or(null_mut(), |v| v.as_ptr()) };
        found
    }

    /// `lookup`, when it can answer without running Python code (Some(None): known absent):
    /// from its cache, else by an MRO walk whose dict probes compare str keys only; None when
    /// a key of another type would need its `__eq__`. For the interpreter's fast paths,
    /// which run with the frame unsynced.
    #[inline]
    pub fn lookup_without_eq(&self, name: &Obj) -> Option<Option<&Obj>> {
        let tag = self.slots().tp_version_tag;
        if tag != 0 && tag >= VALID_FROM.load(Ordering::Relaxed) {
            // SAFETY: the cache is touched only under the GIL.
            let e = unsafe { &(*LOOKUP_CACHE.0.get())[lookup_cache_slot(tag, name)] };
            if e.version == tag && e.name == name.as_ptr() {
                // SAFETY: the value lives in a dict of a type on this MRO while the tag holds.
                return Some(unsafe { crate::slot::opt_arg(e.value) });
            }
        }
        self.lookup_str_keys(name)
    }

    #[inline(never)]
    fn lookup_str_keys(&self, name: &Obj) -> Option<Option<&Obj>> {
        let mro = self.slots().tp_mro;
        if mro.is_null() || !unicode::check_exact(name) {
            return None;
        }
        let mut found = None;
        // SAFETY: tp_mro is a tuple of ready types.
        for &t in unsafe { tuple::items_raw(mro) } {
            let d = unsafe { (*(t as *mut PyTypeObject)).tp_dict };
            if d.is_null() {
                continue;
            }
            // SAFETY: tp_dict is a dict owned by the type.
            let d = unsafe { Obj::from_ptr(d) };
            if let Some(ix) = dict::str_index_no_eq(d, name).ok()? {
                // SAFETY: the value lives in a dict the type keeps alive.
                found = dict::value_at(d, ix).map(|v| unsafe { Obj::from_ptr(v.as_ptr()) });
                break;
            }
        }
        if unicode::is_interned_immortal(name) {
            let tag = version_tag(self);
            if tag != 0 {
                // SAFETY: the cache is touched only under the GIL.
                let e = unsafe { &mut (*LOOKUP_CACHE.0.get())[lookup_cache_slot(tag, name)] };
                *e = LookupEntry { version: tag, name: name.as_ptr(), value: found.map_or(null_mut(), |v| v.as_ptr()) };
            }
        }
        Some(found)
    }

    /// The MRO walk behind `lookup`.
    fn lookup_uncached(&self, name: &Obj) -> Option<&Obj> {
        let mro = self.slots().tp_mro;
        if mro.is_null() {
            return None;
        }
        // SAFETY: tp_mro is a tuple of ready types.
        for &t in unsafe { tuple::items_raw(mro) } {
            let d = unsafe { (*(t as *mut PyTypeObject)).tp_dict };
            if d.is_null() {
                continue;
            }
            // SAFETY: tp_dict is a dict owned by the type.
            if let Some(v) = dict::get_item_borrowed(unsafe { Obj::from_ptr(d) }, name) {
                // SAFETY: the value lives in a dict the type keeps alive.
                return Some(unsafe { Obj::from_ptr(v.as_ptr()) });
            }
        }
        None
    }

    pub fn lookup_str(&self, name: &str) -> Option<&Obj> {
        // Interned, so that the lookup cache can serve it (names here are dunders and the
        // like, a bounded set).
        let key = interned_name(name);
        self.lookup(key)
    }

    pub fn dict(&self) -> Option<&Obj> {
        let d = self.slots().tp_dict;
        // SAFETY: tp_dict is NULL or a live dict.
        if d.is_null() { None } else { Some(unsafe { Obj::from_ptr(d) }) }
    }
}

impl Deref for TypeObj {
    type Target = Obj;
    #[inline(always)]
    fn deref(&self) -> &Obj {
        // SAFETY: a type object is an object.
        unsafe { Obj::from_ptr(self.raw() as *mut PyObject) }
    }
}

/// The header of a static type object (its type is `type`).
pub const fn static_type_head() -> PyVarObject {
    PyVarObject { ob_base: static_head(PyType_Type.raw()), ob_size: 0 }
}

/// Defines an exported static built-in type: `static_type!(PyLong_Type, c"int", size, { tp_x: ... })`.
/// `private_static_type!` is the same for types CPython does not export (`_PyNone_Type`, ...).
#[macro_export]
macro_rules! static_type {
    ($(#[$m:meta])* $name:ident, $tpname:expr, $basicsize:expr, { $($field:ident : $val:expr),* $(,)? }) => {
        $(#[$m])*
        #[unsafe(no_mangle)]
        pub static $name: $crate::objects::type_::TypeObj =
            $crate::private_static_type!(@value $tpname, $basicsize, { $($field: $val),* });
    };
}

#[macro_export]
macro_rules! private_static_type {
    ($(#[$m:meta])* $name:ident, $tpname:expr, $basicsize:expr, { $($field:ident : $val:expr),* $(,)? }) => {
        $(#[$m])*
        pub static $name: $crate::objects::type_::TypeObj =
            $crate::private_static_type!(@value $tpname, $basicsize, { $($field: $val),* });
    };
    (@value $tpname:expr, $basicsize:expr, { $($field:ident : $val:expr),* $(,)? }) => {
            $crate::objects::type_::TypeObj::new(pyrite_abi::PyTypeObject {
                ob_base: $crate::objects::type_::static_type_head(),
                tp_name: $tpname.as_ptr(),
                tp_basicsize: $basicsize as isize,
                $($field: $val,)*
                ..pyrite_abi::PyTypeObject::ZEROED
            })
    };
}

pub const BUILTIN_FLAGS: c_ulong = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_IMMUTABLETYPE;
pub const BUILTIN_BASETYPE_FLAGS: c_ulong = BUILTIN_FLAGS | Py_TPFLAGS_BASETYPE;

static_type!(PyType_Type, c"type", core::mem::size_of::<crate::objects::heaptype::HeapTypeObject>(), {
    tp_itemsize: core::mem::size_of::<PyMemberDef>() as isize,
    tp_weaklistoffset: core::mem::offset_of!(PyTypeObject, tp_weaklist) as isize,
    // A class's namespace is its `tp_dict`, so a metaclass adds no instance dict of its own.
    tp_dictoffset: core::mem::offset_of!(PyTypeObject, tp_dict) as isize,
    tp_flags: BUILTIN_BASETYPE_FLAGS | Py_TPFLAGS_TYPE_SUBCLASS | Py_TPFLAGS_HAVE_GC,
    tp_new: Some(type_tp_new),
    tp_init: Some(type_init),
    tp_alloc: Some(crate::alloc::generic_alloc),
    tp_free: Some(crate::alloc::gc_del),
    tp_dealloc: Some(type_dealloc),
    tp_traverse: Some(type_traverse),
    tp_clear: Some(type_clear),
    tp_is_gc: Some(type_is_gc),
    tp_repr: Some(type_repr),
    tp_call: Some(type_call),
    tp_getattro: Some(type_getattro),
    tp_setattro: Some(type_setattro),
    tp_getset: TYPE_GETSET.0.get() as *mut PyGetSetDef,
    tp_methods: TYPE_METHODS.0.get() as *mut PyMethodDef,
    tp_as_number: TYPE_AS_NUMBER.0.get(),
    tp_doc: c"type(object) -> the object's type\ntype(name, bases, dict, **kwds) -> a new type".as_ptr(),
});

/// `int | str` makes a `typing.Union`.
static TYPE_AS_NUMBER: crate::object::StaticObject<PyNumberMethods> =
    crate::object::StaticObject::new(PyNumberMethods { nb_or: Some(crate::objects::unionobject::type_or), ..PyNumberMethods::EMPTY });

static_type!(PyBaseObject_Type, c"object", core::mem::size_of::<PyObject>(), {
    tp_flags: BUILTIN_BASETYPE_FLAGS,
    tp_dealloc: Some(object_dealloc),
    tp_repr: Some(object_repr),
    tp_str: Some(object_str),
    tp_hash: Some(object_hash),
    tp_richcompare: Some(object_richcompare),
    tp_getattro: Some(generic_getattr),
    tp_setattro: Some(generic_setattr),
    tp_init: Some(object_init),
    tp_alloc: Some(crate::alloc::generic_alloc),
    tp_new: Some(object_new),
    tp_free: Some(crate::alloc::object_free),
    tp_getset: OBJECT_GETSET.0.get() as *mut PyGetSetDef,
    tp_methods: OBJECT_METHODS.0.get() as *mut PyMethodDef,
    tp_doc: c"The base class of the class hierarchy.".as_ptr(),
});

/// A static, NULL-terminated C table that the VM may hand out as `*mut`.
#[repr(transparent)]
pub struct StaticTable<T, const N: usize>(pub UnsafeCell<[T; N]>);
// SAFETY: tables are read-only after definition.
unsafe impl<T, const N: usize> Sync for StaticTable<T, N> {}

/// A getset entry for a static table.
pub const fn getset(name: &'static CStr, get: getter, set: setter) -> PyGetSetDef {
    PyGetSetDef { name: name.as_ptr(), get, set, doc: core::ptr::null(), closure: null_mut() }
}
pub const GETSET_END: PyGetSetDef =
    PyGetSetDef { name: core::ptr::null(), get: None, set: None, doc: core::ptr::null(), closure: null_mut() };

static TYPE_GETSET: StaticTable<PyGetSetDef, 17> = StaticTable(UnsafeCell::new([
    getset(c"__abstractmethods__", Some(type_get_abstractmethods), Some(type_set_abstractmethods)),
    crate::getter_def!(c"__basicsize__", type_basicsize),
    crate::getter_def!(c"__itemsize__", type_itemsize),
    crate::getter_def!(c"__flags__", type_flags),
    crate::getter_def!(c"__dictoffset__", type_dictoffset),
    crate::getter_def!(c"__weakrefoffset__", type_weakrefoffset),
    getset(c"__dict__", Some(type_get_dict), None),
    getset(c"__annotations__", Some(type_get_annotations), Some(type_set_annotations)),
    getset(c"__annotate__", Some(type_get_annotate), Some(type_set_annotate)),
    getset(c"__name__", Some(type_get_name), Some(type_set_name)),
    getset(c"__qualname__", Some(type_get_qualname), Some(type_set_qualname)),
    getset(c"__module__", Some(type_get_module), Some(type_set_module)),
    getset(c"__mro__", Some(type_get_mro), None),
    getset(c"__base__", Some(type_get_base), None),
    getset(c"__bases__", Some(type_get_bases), Some(type_set_bases)),
    getset(c"__type_params__", Some(type_get_type_params), Some(type_set_type_params)),
    GETSET_END,
]));

unsafe extern "C" fn object_init_subclass(_cls: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    none::none().into_raw()
}

/// Adds the names in `t.__dict__` and, recursively, its bases' (CPython's `merge_class_dict`).
fn merge_class_dict(names: &Obj, t: &Obj) -> PyResult<()> {
    if let Some(d) = crate::abstract_::lookup_attr(t, "__dict__")? {
        for k in crate::objects::iterobject::collect(&d)? {
            dict::set_item(names, &k, none::none_obj())?;
        }
    }
    if let Some(bases) = crate::abstract_::lookup_attr(t, "__bases__")? {
        for b in crate::objects::iterobject::collect(&bases)? {
            merge_class_dict(names, &b)?;
        }
    }
    Ok(())
}

/// `object.__dir__()`: the instance's `__dict__` keys and its class's attributes.
unsafe extern "C" fn object_dir(o: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    // SAFETY: METH_NOARGS contract.
    let o = unsafe { arg(o) };
    ret_obj((|| {
        let names = dict::new();
        if let Some(d) = crate::abstract_::lookup_attr(o, "__dict__")?.filter(|d| dict::check(d)) {
            dict::update(&names, &d)?;
        }
        if let Some(cls) = crate::abstract_::lookup_attr(o, "__class__")? {
            merge_class_dict(&names, &cls)?;
        }
        Ok(crate::objects::list::new_from_owned(dict::items_vec(&names).into_iter().map(|(k, _)| k).collect()))
    })())
}

/// `type.mro()`: the C3 linearisation, as a list (a metaclass may override it).
fn type_mro(t: &Obj) -> PyResult<PyRef> {
    let ty = TypeObj::downcast(t).ok_or_else(|| raise!(TypeError, "descriptor 'mro' requires a 'type' object"))?;
    let m = compute_mro(ty)?;
    Ok(crate::objects::list::new_from(tuple::items(&m)))
}

fn type_instancecheck(t: &Obj, o: &Obj) -> PyResult<PyRef> {
    Ok(crate::objects::bool_::new(crate::builtins::real_is_instance(o, t)?))
}

fn type_subclasscheck(t: &Obj, sub: &Obj) -> PyResult<PyRef> {
    Ok(crate::objects::bool_::new(crate::builtins::real_is_subclass(sub, t)?))
}

/// `type.__prepare__(name, bases, **kwds)`: the namespace a class body runs in.
unsafe extern "C" fn type_prepare(_t: *mut PyObject, _args: *const *mut PyObject, _n: Py_ssize_t, _kwnames: *mut PyObject) -> *mut PyObject {
    dict::new().into_raw()
}

fn type_sizeof(t: &Obj) -> PyResult<PyRef> {
    let ty = TypeObj::downcast(t).ok_or_else(|| raise!(TypeError, "descriptor '__sizeof__' requires a 'type' object"))?;
    let mut size = core::mem::size_of::<PyTypeObject>();
    if ty.has_flag(Py_TPFLAGS_HEAPTYPE) {
        size = core::mem::size_of::<crate::objects::heaptype::HeapTypeObject>();
    }
    Ok(crate::objects::long::from_i64(size as i64))
}

fn type_field(t: &Obj, f: impl Fn(&PyTypeObject) -> i64) -> PyResult<PyRef> {
    let ty = TypeObj::downcast(t).ok_or_else(|| raise!(TypeError, "descriptor requires a 'type' object"))?;
    Ok(crate::objects::long::from_i64(f(ty.slots())))
}

fn type_basicsize(t: &Obj) -> PyResult<PyRef> {
    type_field(t, |s| s.tp_basicsize as i64)
}

fn type_itemsize(t: &Obj) -> PyResult<PyRef> {
    type_field(t, |s| s.tp_itemsize as i64)
}

fn type_flags(t: &Obj) -> PyResult<PyRef> {
    type_field(t, |s| s.tp_flags as i64)
}

fn type_dictoffset(t: &Obj) -> PyResult<PyRef> {
    type_field(t, |s| s.tp_dictoffset as i64)
}

fn type_weakrefoffset(t: &Obj) -> PyResult<PyRef> {
    type_field(t, |s| s.tp_weaklistoffset as i64)
}

/// `__abstractmethods__`: stored in the class's own dict (`type` itself has none); setting it
/// turns `Py_TPFLAGS_IS_ABSTRACT` on when the set is non-empty, as `abc` relies on.
unsafe extern "C" fn type_get_abstractmethods(o: *mut PyObject, _: *mut core::ffi::c_void) -> *mut PyObject {
    // SAFETY: getter contract: a live type.
    let t = unsafe { TypeObj::from_ptr(o as *mut PyTypeObject) };
    let found = (!t.is(&PyType_Type)).then(|| t.dict().and_then(|d| dict::get_item_str(d, "__abstractmethods__"))).flatten();
    match found {
        Some(v) => v.new_ref().into_raw(),
        None => ret_obj(Err(raise!(AttributeError, "__abstractmethods__"))),
    }
}

unsafe extern "C" fn type_set_abstractmethods(o: *mut PyObject, v: *mut PyObject, _: *mut core::ffi::c_void) -> core::ffi::c_int {
    // SAFETY: setter contract: a live type, `v` NULL (delete) or live.
    let (t, v) = unsafe { (TypeObj::from_ptr(o as *mut PyTypeObject), opt_arg(v)) };
    let r = (|| {
        let d = t.dict().ok_or_else(|| raise!(TypeError, "cannot set '__abstractmethods__' attribute of immutable type '{}'", t.name()))?;
        let abstract_ = match v {
            Some(v) => {
                dict::set_item_str(d, "__abstractmethods__", v)?;
                crate::abstract_::is_true(v)?
            }
            None => {
                if dict::get_item_str(d, "__abstractmethods__").is_none() {
                    return Err(raise!(AttributeError, "__abstractmethods__"));
                }
                dict::del_item(d, &unicode::new("__abstractmethods__"))?;
                false
            }
        };
        retire_own_tag(t);
        // SAFETY: flags change under the GIL.
        unsafe {
            if abstract_ {
                (*t.raw()).tp_flags |= Py_TPFLAGS_IS_ABSTRACT;
            } else {
                (*t.raw()).tp_flags &= !Py_TPFLAGS_IS_ABSTRACT;
            }
        }
        Ok(())
    })();
    crate::slot::ret_int(r.map(|_| 0))
}

/// The message for instantiating an abstract class: its abstract methods, sorted.
fn abstract_instantiation_error(t: &TypeObj) -> crate::err::PyErr {
    let names = (|| -> PyResult<Vec<String>> {
        let Some(am) = t.dict().and_then(|d| dict::get_item_str(d, "__abstractmethods__")) else { return Ok(vec![]) };
        let mut v: Vec<String> = crate::objects::iterobject::collect(&am)?.iter().map(|n| unicode::as_str_lossy(n).into_owned()).collect();
        v.sort();
        Ok(v)
    })();
    match names {
        Ok(v) if !v.is_empty() => raise!(
            TypeError,
            "Can't instantiate abstract class {} without an implementation for abstract method{} {}",
            t.name(),
            if v.len() == 1 { "" } else { "s" },
            v.iter().map(|n| format!("'{n}'")).collect::<Vec<_>>().join(", ")
        ),
        Ok(_) => raise!(TypeError, "Can't instantiate abstract class {}", t.name()),
        Err(e) => e,
    }
}

/// `type.__dir__()`: the attributes of the class and its bases.
unsafe extern "C" fn type_dir(o: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    // SAFETY: METH_NOARGS contract.
    let o = unsafe { arg(o) };
    ret_obj((|| {
        let names = dict::new();
        merge_class_dict(&names, o)?;
        Ok(crate::objects::list::new_from_owned(dict::items_vec(&names).into_iter().map(|(k, _)| k).collect()))
    })())
}

static TYPE_METHODS: StaticTable<PyMethodDef, 8> = StaticTable(UnsafeCell::new([
    crate::method_def!(noargs c"mro", type_mro),
    crate::method_def!(o c"__instancecheck__", type_instancecheck),
    crate::method_def!(o c"__subclasscheck__", type_subclasscheck),
    PyMethodDef {
        ml_name: c"__prepare__".as_ptr(),
        ml_meth: type_prepare as *mut core::ffi::c_void,
        ml_flags: METH_FASTCALL | METH_KEYWORDS | METH_CLASS,
        ml_doc: core::ptr::null(),
    },
    crate::method_def!(noargs c"__sizeof__", type_sizeof),
    PyMethodDef { ml_name: c"__dir__".as_ptr(), ml_meth: type_dir as *mut core::ffi::c_void, ml_flags: METH_NOARGS, ml_doc: core::ptr::null() },
    PyMethodDef {
        ml_name: c"__subclasses__".as_ptr(),
        ml_meth: type_subclasses as *mut core::ffi::c_void,
        ml_flags: METH_NOARGS,
        ml_doc: core::ptr::null(),
    },
    PyMethodDef { ml_name: core::ptr::null(), ml_meth: core::ptr::null_mut(), ml_flags: 0, ml_doc: core::ptr::null() },
]));

static OBJECT_METHODS: StaticTable<PyMethodDef, 9> = StaticTable(UnsafeCell::new([
    crate::method_def!(o c"__reduce_ex__", crate::objects::reduce::m_reduce_ex),
    crate::method_def!(noargs c"__reduce__", crate::objects::reduce::m_reduce),
    crate::method_def!(noargs c"__getstate__", crate::objects::reduce::m_getstate),
    crate::method_def!(noargs c"__sizeof__", crate::objects::reduce::m_sizeof),
    crate::method_def!(class_fast c"__subclasshook__", crate::objects::reduce::m_subclasshook),
    PyMethodDef {
        ml_name: c"__format__".as_ptr(),
        ml_meth: crate::format::object_format_method as *mut core::ffi::c_void,
        ml_flags: METH_O,
        ml_doc: core::ptr::null(),
    },
    PyMethodDef {
        ml_name: c"__init_subclass__".as_ptr(),
        ml_meth: object_init_subclass as *mut core::ffi::c_void,
        ml_flags: METH_CLASS | METH_NOARGS,
        ml_doc: core::ptr::null(),
    },
    PyMethodDef { ml_name: c"__dir__".as_ptr(), ml_meth: object_dir as *mut core::ffi::c_void, ml_flags: METH_NOARGS, ml_doc: core::ptr::null() },
    PyMethodDef { ml_name: core::ptr::null(), ml_meth: core::ptr::null_mut(), ml_flags: 0, ml_doc: core::ptr::null() },
]));

static OBJECT_GETSET: StaticTable<PyGetSetDef, 2> =
    StaticTable(UnsafeCell::new([getset(c"__class__", Some(object_get_class), Some(object_set_class)), GETSET_END]));

// ---- readying -------------------------------------------------------------------------------

/// `PyType_Ready`.
pub fn ready(ty: &TypeObj) -> PyResult<()> {
    if ty.has_flag(Py_TPFLAGS_READY) {
        return Ok(());
    }
    let t = ty.raw();
    // SAFETY: readying mutates the type before anyone else uses it (GIL held).
    unsafe {
        (*t).tp_flags |= Py_TPFLAGS_READYING;
        if (*t).tp_base.is_null() && !ty.is(&PyBaseObject_Type) {
            (*t).tp_base = PyBaseObject_Type.raw();
        }
        let base = (*t).tp_base;
        if !base.is_null() {
            let b = TypeObj::from_ptr(base);
            // A base still being readied (its metaclass's `mro()` is defining this class).
            if b.has_flag(Py_TPFLAGS_READYING) && !b.has_flag(Py_TPFLAGS_READY) {
                (*t).tp_flags &= !Py_TPFLAGS_READYING;
                return Err(raise!(TypeError, "Cannot extend an incomplete type '{}'", b.name()));
            }
            ready(b)?;
        }
        if (*t).ob_base.ob_base.ob_type.is_null() {
            (*t).ob_base.ob_base.ob_type = if base.is_null() { PyType_Type.raw() } else { (*base).ob_base.ob_base.ob_type };
        }
        if (*t).tp_bases.is_null() {
            let bases = if base.is_null() {
                tuple::empty()
            } else {
                tuple::new_from(&[TypeObj::from_ptr(base)])
            };
            (*t).tp_bases = bases.into_raw();
        }
        for b in tuple::items(arg((*t).tp_bases)) {
            add_subclass(b.as_ptr() as *mut PyTypeObject, t);
        }
        if !base.is_null() {
            inherit_slots(t, base);
        }
        (*t).tp_mro = mro_for(ty)?.into_raw();
        // Pattern matching's sequence/mapping flags come from the first class in the MRO that
        // has one, unless the type sets its own (`inherit_patma_flags`).
        const COLLECTION_FLAGS: core::ffi::c_ulong = Py_TPFLAGS_SEQUENCE | Py_TPFLAGS_MAPPING;
        if (*t).tp_flags & COLLECTION_FLAGS == 0 {
            for &b in &tuple::items_raw((*t).tp_mro)[1..] {
                let inherited = (*(b as *mut PyTypeObject)).tp_flags & COLLECTION_FLAGS;
                if inherited != 0 {
                    (*t).tp_flags |= inherited;
                    break;
                }
            }
        }
        if (*t).tp_dict.is_null() {
            (*t).tp_dict = dict::new().into_raw();
        }
        fill_dict(ty)?;
        (*t).tp_flags = ((*t).tp_flags & !Py_TPFLAGS_READYING) | Py_TPFLAGS_READY;
    }
    Ok(())
}

/// The MRO a type gets when readied: C3 (`compute_mro`), unless its metaclass overrides
/// `mro()`, whose result (an iterable of classes) is used instead, as CPython's `mro_invoke`.
/// The override is called as a plain function of the class (the class has no MRO yet, so
/// nothing is looked up on it).
fn mro_for(ty: &TypeObj) -> PyResult<PyRef> {
    let meta = ty.ob_type();
    if !meta.is(&PyType_Type)
        && let Some(m) = meta.lookup_str("mro")
        && PyType_Type.lookup_str("mro").is_none_or(|own| !own.is(m))
    {
        let m = m.new_ref();
        CUSTOM_MRO_SEEN.store(true, Ordering::Relaxed);
        let r = crate::abstract_::call_one_arg(&m, ty)?;
        let t = tuple::from_iterable(&r)?;
        for item in tuple::items(&t) {
            if TypeObj::downcast(item).is_none() {
                return Err(raise!(TypeError, "mro() returned a non-class ('{}')", item.ob_type().name()));
            }
        }
        return Ok(t);
    }
    compute_mro(ty)
}

/// The MRO: C3 linearisation over `tp_bases`.
fn compute_mro(ty: &TypeObj) -> PyResult<PyRef> {
    // SAFETY: tp_bases was set by `ready`.
    let bases: Vec<&TypeObj> = unsafe { tuple::items_raw(ty.slots().tp_bases) }
        .iter()
        .map(|&b| unsafe { TypeObj::from_ptr(b as *mut PyTypeObject) })
        .collect();
    let mut seqs: Vec<Vec<*mut PyTypeObject>> = Vec::new();
    for b in &bases {
        let mro = b.slots().tp_mro;
        // SAFETY: bases are ready, their MRO is a tuple of types.
        seqs.push(unsafe { tuple::items_raw(mro) }.iter().map(|&p| p as *mut PyTypeObject).collect());
    }
    seqs.push(bases.iter().map(|b| b.raw()).collect());
    let mut out = vec![ty.raw()];
    loop {
        seqs.retain(|s| !s.is_empty());
        if seqs.is_empty() {
            break;
        }
        let head = seqs
            .iter()
            .map(|s| s[0])
            .find(|&c| !seqs.iter().any(|s| s[1..].contains(&c)))
            .ok_or_else(|| {
                // CPython's `set_mro_error`: the heads left in each sequence, each named once.
                let mut heads: Vec<*mut PyTypeObject> = Vec::new();
                for s in &seqs {
                    if !heads.contains(&s[0]) {
                        heads.push(s[0]);
                    }
                }
                // SAFETY: every entry is a live type.
                let names: Vec<String> = heads.iter().map(|&h| unsafe { TypeObj::from_ptr(h) }.name().to_string()).collect();
                raise!(TypeError, "Cannot create a consistent method resolution order (MRO) for bases {}", names.join(", "))
            })?;
        out.push(head);
        for s in seqs.iter_mut() {
            if s[0] == head {
                s.remove(0);
            }
        }
    }
    // SAFETY: every entry is a live type.
    let items: Vec<&Obj> = out.iter().map(|&t| unsafe { Obj::from_ptr(t as *mut PyObject) }).collect();
    Ok(tuple::new_from(&items))
}

macro_rules! inherit {
    ($t:expr, $b:expr, $($f:ident),*) => {$(
        if (*$t).$f.is_none() { (*$t).$f = (*$b).$f; }
    )*};
}

macro_rules! inherit_suite {
    ($t:expr, $b:expr, $suite:ident, $($f:ident),*) => {
        if (*$t).$suite.is_null() {
            (*$t).$suite = (*$b).$suite;
        } else if !(*$b).$suite.is_null() && (*$t).$suite != (*$b).$suite {
            let (ts, bs) = (&mut *(*$t).$suite, &*(*$b).$suite);
            $( if ts.$f.is_none() { ts.$f = bs.$f; } )*
        }
    };
}

/// Slot inheritance (`inherit_special` + `inherit_slots`), for a single base.
///
/// # Safety
/// `t` is being readied; `b` is ready.
unsafe fn inherit_slots(t: *mut PyTypeObject, b: *mut PyTypeObject) {
    // SAFETY: guaranteed by the caller.
    unsafe {
        if (*t).tp_basicsize == 0 {
            (*t).tp_basicsize = (*b).tp_basicsize;
        }
        if (*t).tp_itemsize == 0 {
            (*t).tp_itemsize = (*b).tp_itemsize;
        }
        (*t).tp_flags |= (*b).tp_flags
            & (Py_TPFLAGS_LONG_SUBCLASS
                | Py_TPFLAGS_LIST_SUBCLASS
                | Py_TPFLAGS_TUPLE_SUBCLASS
                | Py_TPFLAGS_BYTES_SUBCLASS
                | Py_TPFLAGS_UNICODE_SUBCLASS
                | Py_TPFLAGS_DICT_SUBCLASS
                | Py_TPFLAGS_BASE_EXC_SUBCLASS
                | Py_TPFLAGS_TYPE_SUBCLASS
                | _Py_TPFLAGS_MATCH_SELF);
        // As CPython's `inherit_special`; and a GC type of Pyrite's own that names neither
        // traverse nor clear (the static exception subclasses) uses its base's.
        if (*b).tp_flags & Py_TPFLAGS_HAVE_GC != 0 && (*t).tp_traverse.is_none() && (*t).tp_clear.is_none() {
            let static_gc = (*t).tp_flags & (Py_TPFLAGS_HAVE_GC | Py_TPFLAGS_HEAPTYPE) == Py_TPFLAGS_HAVE_GC;
            if (*t).tp_flags & Py_TPFLAGS_HAVE_GC == 0 || static_gc {
                (*t).tp_flags |= Py_TPFLAGS_HAVE_GC;
                inherit!(t, b, tp_traverse, tp_clear);
            }
        }
        if (*t).tp_weaklistoffset == 0 {
            (*t).tp_weaklistoffset = (*b).tp_weaklistoffset;
        }
        if (*t).tp_dictoffset == 0 {
            (*t).tp_dictoffset = (*b).tp_dictoffset;
        }
        inherit!(t, b, tp_dealloc, tp_repr, tp_str, tp_call);
        // The char* and object forms go together (CPython's rule): a type that defines only
        // the legacy `tp_setattr` keeps it and inherits no `tp_setattro` that would hide it.
        if (*t).tp_getattr.is_none() && (*t).tp_getattro.is_none() {
            inherit!(t, b, tp_getattr, tp_getattro);
        }
        if (*t).tp_setattr.is_none() && (*t).tp_setattro.is_none() {
            inherit!(t, b, tp_setattr, tp_setattro);
        }
        inherit!(t, b, tp_iter, tp_iternext, tp_descr_get, tp_descr_set, tp_init, tp_alloc, tp_finalize);
        // CPython's `type_ready_set_new`: a type that disallows instantiation keeps a NULL
        // `tp_new`, so calling it is "cannot create '...' instances".
        if (*t).tp_flags & Py_TPFLAGS_DISALLOW_INSTANTIATION == 0 {
            inherit!(t, b, tp_new);
        }
        if (*t).tp_richcompare.is_none() && (*t).tp_hash.is_none() {
            (*t).tp_richcompare = (*b).tp_richcompare;
            (*t).tp_hash = (*b).tp_hash;
        }
        if (*t).tp_free.is_none() {
            // A GC type under a non-GC base must free with the pre-header in mind.
            let gc = (*t).tp_flags & Py_TPFLAGS_HAVE_GC != 0;
            let base_gc = (*b).tp_flags & Py_TPFLAGS_HAVE_GC != 0;
            (*t).tp_free = if gc == base_gc {
                (*b).tp_free
            } else if gc {
                Some(crate::alloc::gc_del)
            } else {
                Some(crate::alloc::object_free)
            };
        }
        if (*t).tp_vectorcall_offset == 0 && (*b).tp_flags & Py_TPFLAGS_HAVE_VECTORCALL != 0 && (*t).tp_call.is_none() {
            (*t).tp_vectorcall_offset = (*b).tp_vectorcall_offset;
        }
        inherit_suite!(t, b, tp_as_number, nb_add, nb_subtract, nb_multiply, nb_remainder, nb_divmod, nb_power,
            nb_negative, nb_positive, nb_absolute, nb_bool, nb_invert, nb_lshift, nb_rshift, nb_and, nb_xor,
            nb_or, nb_int, nb_float, nb_inplace_add, nb_inplace_subtract, nb_inplace_multiply,
            nb_inplace_remainder, nb_inplace_power, nb_inplace_lshift, nb_inplace_rshift, nb_inplace_and,
            nb_inplace_xor, nb_inplace_or, nb_floor_divide, nb_true_divide, nb_inplace_floor_divide,
            nb_inplace_true_divide, nb_index, nb_matrix_multiply, nb_inplace_matrix_multiply);
        inherit_suite!(t, b, tp_as_sequence, sq_length, sq_concat, sq_repeat, sq_item, sq_ass_item,
            sq_contains, sq_inplace_concat, sq_inplace_repeat);
        inherit_suite!(t, b, tp_as_mapping, mp_length, mp_subscript, mp_ass_subscript);
        inherit_suite!(t, b, tp_as_async, am_await, am_aiter, am_anext, am_send);
        inherit_suite!(t, b, tp_as_buffer, bf_getbuffer, bf_releasebuffer);
    }
}

/// Fills the type dict from `tp_methods`, `tp_members`, `tp_getset` and `tp_doc`.
fn fill_dict(ty: &TypeObj) -> PyResult<()> {
    let d = ty.dict().expect("readied type has a dict");
    let s = ty.slots();
    // SAFETY: the tables are NULL-terminated arrays the type definition keeps alive.
    unsafe {
        let mut m = s.tp_methods;
        while !m.is_null() && !(*m).ml_name.is_null() {
            let name = CStr::from_ptr((*m).ml_name).to_string_lossy();
            if (*m).ml_flags & METH_COEXIST != 0 || dict::get_item_str(d, &name).is_none() {
                let descr = descr::new_method_descriptor(ty, m)?;
                dict::set_item_str(d, &name, &descr)?;
            }
            m = m.add(1);
        }
        let mut mb = s.tp_members;
        while !mb.is_null() && !(*mb).name.is_null() {
            let name = CStr::from_ptr((*mb).name).to_string_lossy();
            let descr = descr::new_member_descriptor(ty, mb)?;
            dict::set_item_str(d, &name, &descr)?;
            mb = mb.add(1);
        }
        let mut g = s.tp_getset;
        while !g.is_null() && !(*g).name.is_null() {
            let name = CStr::from_ptr((*g).name).to_string_lossy();
            let descr = descr::new_getset_descriptor(ty, g)?;
            dict::set_item_str(d, &name, &descr)?;
            g = g.add(1);
        }
        if dict::get_item_str(d, "__doc__").is_none() {
            let doc = if s.tp_doc.is_null() {
                none::none()
            } else {
                let doc = CStr::from_ptr(s.tp_doc).to_string_lossy();
                unicode::new(crate::objects::typespec::doc_without_signature(ty.name(), &doc))
            };
            dict::set_item_str(d, "__doc__", &doc)?;
        }
    }
    retire_own_tag(ty);
    Ok(())
}

// ---- the generic attribute protocol ---------------------------------------------------------

/// The instance `__dict__` slot, if the type has one. A positive `tp_dictoffset` is from the
/// start of the object; a negative one (classes deriving from variable-size types such as
/// `int`, `tuple` and `bytes`) from the end of its items, as CPython 3.11 computes it.
#[inline]
pub fn instance_dict_slot(o: &Obj) -> Option<*mut *mut PyObject> {
    let s = o.ob_type().slots();
    let off = s.tp_dictoffset;
    if off > 0 {
        // SAFETY: the type promises a PyObject* at that offset.
        Some(unsafe { (o.as_ptr() as *mut u8).add(off as usize) as *mut *mut PyObject })
    } else if off < 0 {
        let n = var_items(o);
        let size = (s.tp_basicsize as usize + n * s.tp_itemsize.unsigned_abs() + 7) & !7;
        // SAFETY: the allocation holds `size` bytes at least (see `alloc::generic_alloc`), the
        // last word of which is the dict slot the class reserved in its basic size.
        Some(unsafe { (o.as_ptr() as *mut u8).add(size).offset(off) as *mut *mut PyObject })
    } else {
        None
    }
}

/// How many items a variable-size object holds: an int's digits (at least one, as
/// allocated), else `ob_size`.
fn var_items(o: &Obj) -> usize {
    // SAFETY: a variable-size object starts with a PyVarObject (ints: a PyLongObject).
    unsafe {
        if o.is_instance_of(&crate::objects::long::PyLong_Type) {
            ((*(o.as_ptr() as *mut PyLongObject)).lv_tag >> _PyLong_NON_SIZE_BITS).max(1)
        } else {
            (*(o.as_ptr() as *mut PyVarObject)).ob_size.unsigned_abs()
        }
    }
}

// ---- Version tags: what specialized instructions guard on ------------------------------------
//
// A type's `tp_version_tag` names the current state of every attribute lookup along its MRO.
// Tags are handed out lazily from one counter and never reused. A change to a type retires
// its tag and those of its subclasses, found through the subclass lists (as CPython walks
// `tp_subclasses`): every type whose MRO holds the changed one is among them, since MROs
// are made of bases and their ancestors. Once a metaclass's `mro()` has given some type an
// MRO of its own choosing, that no longer holds, and from then on a change retires every tag
// handed out so far (tags below `VALID_FROM` are stale).

static NEXT_VERSION: AtomicU32 = AtomicU32::new(1);

const LOOKUP_CACHE_SIZE: usize = 4096;

#[derive(Clone, Copy)]
struct LookupEntry {
    version: u32,
    name: *mut PyObject,
    value: *mut PyObject,
}

struct LookupCache(UnsafeCell<[LookupEntry; LOOKUP_CACHE_SIZE]>);
// SAFETY: used only under the GIL.
unsafe impl Sync for LookupCache {}

/// `TypeObj::lookup`'s cache: (version tag, interned name) -> the attribute or NULL.
static LOOKUP_CACHE: LookupCache =
    LookupCache(UnsafeCell::new([LookupEntry { version: 0, name: null_mut(), value: null_mut() }; LOOKUP_CACHE_SIZE]));
static VALID_FROM: AtomicU32 = AtomicU32::new(1);
/// Set once a custom `mro()` has made some type's MRO: `modified` then retires every tag.
static CUSTOM_MRO_SEEN: AtomicBool = AtomicBool::new(false);

const NAME_CACHE_SIZE: usize = 64;

struct NameCache(UnsafeCell<[(usize, *mut PyObject); NAME_CACHE_SIZE]>);
// SAFETY: used only under the GIL.
unsafe impl Sync for NameCache {}

/// `interned_name`'s cache: the address of a Rust text -> its interned str.
static NAME_CACHE: NameCache = NameCache(UnsafeCell::new([(0, null_mut()); NAME_CACHE_SIZE]));

/// The interned str for `name`. Callers of `lookup_str` pass literals, so the text's address
/// finds the str in a small cache (the bytes are compared, since a non-literal address may
/// be reused for other text) before `unicode::intern`'s hash index: `subtype_dealloc` asks for
/// `__del__` on every object it frees.
fn interned_name(name: &str) -> &'static Obj {
    let addr = name.as_ptr() as usize;
    let slot = (addr >> 3 ^ name.len()) & (NAME_CACHE_SIZE - 1);
    // SAFETY: the cache is touched only under the GIL; its strs are interned, so immortal.
    unsafe {
        let e = &mut (*NAME_CACHE.0.get())[slot];
        if e.0 == addr {
            let o = Obj::from_ptr(e.1);
            if unicode::as_str(o).is_ok_and(|t| t == name) {
                return o;
            }
        }
        let o = unicode::intern(name).into_raw();
        *e = (addr, o);
        Obj::from_ptr(o)
    }
}

#[inline(always)]
fn lookup_cache_slot(tag: u32, name: &Obj) -> usize {
    ((tag as usize).wrapping_mul(0x9E37_79B9) ^ (name.as_ptr() as usize >> 4)) & (LOOKUP_CACHE_SIZE - 1)
}

/// Whether the generic attribute protocol on instances of `t` goes to the instance dict for
/// `name` (`store`: when setting it, else when getting it): the type's `tp_setattro` or
/// `tp_getattro` is the generic one, and the MRO has no data descriptor of that name, so only
/// the instance dict can answer first (a non-data descriptor or plain class attribute is
/// shadowed by an instance value). False when not known without running code
/// (`lookup_without_eq`). A specialized `LOAD_ATTR`/`STORE_ATTR` whose type guard failed asks this to
/// serve another type at a polymorphic site.
#[inline]
pub fn instance_dict_first(t: &TypeObj, name: &Obj, store: bool) -> bool {
    let s = t.slots();
    let generic = if store {
        s.tp_setattro.is_some_and(|f| is_slot(f, generic_setattr as unsafe extern "C" fn(_, _, _) -> _))
    } else {
        s.tp_getattro.is_some_and(|f| is_slot(f, generic_getattr as unsafe extern "C" fn(_, _) -> _))
    };
    generic
        && s.tp_dictoffset != 0
        && t.lookup_without_eq(name).is_some_and(|d| d.is_none_or(|d| d.ob_type().slots().tp_descr_set.is_none()))
}

/// The type's version tag, assigned if it has none; 0 when tags are exhausted (the caller
/// then does not specialize).
pub fn version_tag(t: &TypeObj) -> u32 {
    let tag = t.slots().tp_version_tag;
    if tag != 0 && tag >= VALID_FROM.load(Ordering::Relaxed) {
        return tag;
    }
    let next = NEXT_VERSION.load(Ordering::Relaxed);
    if next == u32::MAX {
        return 0;
    }
    NEXT_VERSION.store(next + 1, Ordering::Relaxed);
    // SAFETY: t is a live type; the tag is Pyrite's (no extension reads it) and written under
    // the GIL.
    unsafe { (*t.raw()).tp_version_tag = next };
    next
}

/// Whether `t` still has the tag `cached` (from `version_tag`) and nothing has changed since.
#[inline(always)]
pub fn version_is(t: &TypeObj, cached: u32) -> bool {
    t.slots().tp_version_tag == cached && cached >= VALID_FROM.load(Ordering::Relaxed)
}

// ---- Subclass lists (`type.__subclasses__()`) -------------------------------------------------
//
// Pyrite keeps them beside the types (CPython's `tp_subclasses` is a dict of weak references):
// base address -> subclass addresses, in the order the subclasses were readied. A heap type
// removes itself from its bases' lists when it dies, so every address listed is a live type.

type SubclassMap = std::collections::HashMap<usize, Vec<usize>>;

fn subclass_map() -> std::sync::MutexGuard<'static, SubclassMap> {
    static MAP: std::sync::OnceLock<std::sync::Mutex<SubclassMap>> = std::sync::OnceLock::new();
    MAP.get_or_init(Default::default).lock().unwrap_or_else(|e| e.into_inner())
}

fn add_subclass(base: *mut PyTypeObject, sub: *mut PyTypeObject) {
    let mut m = subclass_map();
    let v = m.entry(base as usize).or_default();
    if !v.contains(&(sub as usize)) {
        v.push(sub as usize);
    }
}

/// Forgets a dying type, as a subclass of its bases and as a base.
fn remove_subclass(t: *mut PyTypeObject) {
    let mut m = subclass_map();
    for v in m.values_mut() {
        v.retain(|&s| s != t as usize);
    }
    m.remove(&(t as usize));
}

/// `type.__subclasses__()`: the live immediate subclasses, oldest first.
unsafe extern "C" fn type_subclasses(o: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    let subs: Vec<usize> = subclass_map().get(&(o as usize)).cloned().unwrap_or_default();
    // SAFETY: listed types are alive (a dying type removes itself first).
    let items: Vec<PyRef> = subs.into_iter().map(|s| unsafe { Obj::from_ptr(s as *mut PyObject) }.new_ref()).collect();
    crate::objects::list::new_from_owned(items).into_raw()
}

/// A type still being built changed its own dict: only its own tag (and the lookups cached
/// under it) is retired — nothing can have subclassed it yet.
pub fn retire_own_tag(t: &TypeObj) {
    // SAFETY: as in `version_tag`.
    unsafe { (*t.raw()).tp_version_tag = 0 };
}

/// `PyType_Modified`: `t` (and so possibly its subclasses) changed; the tags of `t` and of
/// every type that inherits from it are retired.
pub fn modified(t: &TypeObj) {
    // SAFETY: as in `version_tag`.
    unsafe { (*t.raw()).tp_version_tag = 0 };
    if CUSTOM_MRO_SEEN.load(Ordering::Relaxed) {
        VALID_FROM.store(NEXT_VERSION.load(Ordering::Relaxed), Ordering::Relaxed);
        return;
    }
    let map = subclass_map();
    let mut todo: Vec<usize> = map.get(&(t.raw() as usize)).cloned().unwrap_or_default();
    let mut seen = std::collections::HashSet::new();
    while let Some(s) = todo.pop() {
        if !seen.insert(s) {
            continue;
        }
        // SAFETY: listed subclasses are alive (a dying type removes itself first); tags are
        // written under the GIL.
        unsafe { (*(s as *mut PyTypeObject)).tp_version_tag = 0 };
        if let Some(subs) = map.get(&s) {
            todo.extend_from_slice(subs);
        }
    }
}

/// `PyObject_GenericGetAttr`.
pub fn generic_getattr_impl(o: &Obj, name: &Obj) -> PyResult<PyRef> {
    let ty = o.ob_type();
    let descr = ty.lookup(name).map(|d| d.new_ref());
    if let Some(d) = &descr {
        if let Some(get) = d.ob_type().slots().tp_descr_get {
            if d.ob_type().slots().tp_descr_set.is_some() {
                // SAFETY: calling a descriptor slot with live arguments.
                return unsafe { crate::slot::from_new(get(d.as_ptr(), o.as_ptr(), ty.as_ptr())) };
            }
        }
    }
    if let Some(slot) = instance_dict_slot(o) {
        // SAFETY: the slot holds NULL or a dict owned by the object.
        let dp = unsafe { *slot };
        if !dp.is_null() {
            if let Some(v) = dict::get_item_borrowed(unsafe { Obj::from_ptr(dp) }, name) {
                return Ok(v.new_ref());
            }
        }
    }
    if let Some(d) = descr {
        if let Some(get) = d.ob_type().slots().tp_descr_get {
            // SAFETY: as above.
            return unsafe { crate::slot::from_new(get(d.as_ptr(), o.as_ptr(), ty.as_ptr())) };
        }
        return Ok(d);
    }
    Err(raise!(AttributeError, "'{}' object has no attribute '{}'", ty.full_name(), unicode::as_str_lossy(name)))
}

/// `PyObject_GenericSetAttr` (`value` None = delete).
pub fn generic_setattr_impl(o: &Obj, name: &Obj, value: Option<&Obj>) -> PyResult<()> {
    let ty = o.ob_type();
    if let Some(d) = ty.lookup(name).map(|d| d.new_ref()) {
        if let Some(set) = d.ob_type().slots().tp_descr_set {
            let v = value.map_or(null_mut(), |v| v.as_ptr());
            // SAFETY: descriptor slot with live arguments.
            crate::slot::from_status(unsafe { set(d.as_ptr(), o.as_ptr(), v) })?;
            return Ok(());
        }
    }
    let Some(slot) = instance_dict_slot(o) else {
        return Err(match ty.lookup(name) {
            Some(_) => raise!(AttributeError, "'{}' object attribute '{}' is read-only", ty.name(), unicode::as_str_lossy(name)),
            None => raise!(AttributeError, "'{}' object has no attribute '{}' and no __dict__ for setting new attributes", ty.full_name(), unicode::as_str_lossy(name)),
        });
    };
    // SAFETY: the slot holds NULL or an owned dict.
    unsafe {
        if (*slot).is_null() {
            if value.is_none() {
                return Err(raise!(AttributeError, "'{}' object has no attribute '{}'", ty.full_name(), unicode::as_str_lossy(name)));
            }
            *slot = dict::new().into_raw();
        }
        let d = Obj::from_ptr(*slot);
        match value {
            Some(v) => dict::set_item(d, name, v),
            None => dict::del_item(d, name).map_err(|e| {
                if e.is_instance(exc::KeyError()) {
                    raise!(AttributeError, "'{}' object has no attribute '{}'", ty.full_name(), unicode::as_str_lossy(name))
                } else {
                    e
                }
            }),
        }
    }
}

pub unsafe extern "C" fn generic_getattr(o: *mut PyObject, name: *mut PyObject) -> *mut PyObject {
    // SAFETY: slot arguments are live.
    ret_obj(generic_getattr_impl(unsafe { arg(o) }, unsafe { arg(name) }))
}

pub unsafe extern "C" fn generic_setattr(o: *mut PyObject, name: *mut PyObject, v: *mut PyObject) -> c_int {
    // SAFETY: slot arguments are live.
    ret_int(generic_setattr_impl(unsafe { arg(o) }, unsafe { arg(name) }, unsafe { opt_arg(v) }).map(|_| 0))
}

// ---- object's slots -------------------------------------------------------------------------

unsafe extern "C" fn object_dealloc(o: *mut PyObject) {
    // SAFETY: called once on a dead object.
    unsafe {
        let ty = (*o).ob_type;
        if let Some(slot) = instance_dict_slot(Obj::from_ptr(o)) {
            crate::object::xdecref(*slot);
        }
        // The reference an instance holds on a heap type is released by `subtype_dealloc`.
        match (*ty).tp_free {
            Some(free) => free(o as *mut _),
            None => crate::alloc::free_object(o),
        }
    }
}

/// `type.__new__` / `type(name, bases, ns)`.
unsafe extern "C" fn type_tp_new(meta: *mut PyTypeObject, args: *mut PyObject, kwds: *mut PyObject) -> *mut PyObject {
    // SAFETY: tp_new contract.
    unsafe {
        let items = tuple::items(arg(args));
        if items.len() != 3 {
            return ret_obj(Err(raise!(TypeError, "type() takes 1 or 3 arguments")));
        }
        let meta = TypeObj::from_ptr(meta);
        // The most derived metaclass of the bases decides (`_PyType_CalculateMetaclass`); if
        // it is not `meta` and has its own `__new__`, it makes the class.
        let mut winner = meta;
        if tuple::check(items[1]) {
            for b in tuple::items(items[1]) {
                let bt = b.ob_type();
                if winner.is_subtype(bt) {
                    continue;
                }
                if bt.is_subtype(winner) {
                    winner = bt;
                    continue;
                }
                return ret_obj(Err(raise!(
                    TypeError,
                    "metaclass conflict: the metaclass of a derived class must be a (non-strict) subclass of the metaclasses of all its bases"
                )));
            }
        }
        if !winner.is(meta) && winner.slots().tp_new.is_some_and(|n| !is_slot(n, type_tp_new as unsafe extern "C" fn(_, _, _) -> _)) {
            return winner.slots().tp_new.unwrap()(winner.raw(), args, kwds);
        }
        ret_obj(crate::objects::heaptype::type_new_kw(winner, items[0], items[1], items[2], opt_arg(kwds)))
    }
}

/// Deallocates a heap type (static types are immortal and never get here).
/// Only heap types were allocated with a GC pre-header; static type objects have none.
unsafe extern "C" fn type_is_gc(o: *mut PyObject) -> c_int {
    // SAFETY: a live type object.
    unsafe { ((*(o as *mut PyTypeObject)).tp_flags & Py_TPFLAGS_HEAPTYPE != 0) as c_int }
}

/// What a heap type owns (the references `type_dealloc` releases; a heap metatype is visited
/// by `subtype_traverse`, as it is released by `subtype_dealloc`). Static types own nothing the
/// collector could free.
unsafe extern "C" fn type_traverse(o: *mut PyObject, visit: visitproc, a: *mut c_void) -> c_int {
    // SAFETY: a live type object.
    unsafe {
        let t = o as *mut PyTypeObject;
        let Some(visit) = visit else { return 0 };
        if (*t).tp_flags & Py_TPFLAGS_HEAPTYPE == 0 {
            return 0;
        }
        let h = o as *mut crate::objects::heaptype::HeapTypeObject;
        for p in [(*t).tp_dict, (*t).tp_bases, (*t).tp_mro, (*t).tp_base as *mut PyObject, (*h).ht_module] {
            if !p.is_null() {
                let r = visit(p, a);
                if r != 0 {
                    return r;
                }
            }
        }
        0
    }
}

/// Breaks the cycles a heap type is part of: its namespace (methods refer back to the class
/// through `__class__` cells) and its MRO (which holds the type itself). The type stays a
/// valid, empty type until its count drops.
unsafe extern "C" fn type_clear(o: *mut PyObject) -> c_int {
    // SAFETY: a live type object.
    unsafe {
        let t = o as *mut PyTypeObject;
        if (*t).tp_flags & Py_TPFLAGS_HEAPTYPE == 0 {
            return 0;
        }
        modified(TypeObj::from_ptr(t));
        if !(*t).tp_dict.is_null() {
            dict::clear(Obj::from_ptr((*t).tp_dict));
        }
        crate::object::xdecref(core::mem::replace(&mut (*t).tp_mro, null_mut()));
        0
    }
}

unsafe extern "C" fn type_dealloc(o: *mut PyObject) {
    // SAFETY: a dead heap type: release what it owns.
    unsafe {
        crate::objects::weakref::clear_weakrefs(o);
        let h = o as *mut crate::objects::heaptype::HeapTypeObject;
        let t = &mut (*h).ht_type;
        remove_subclass(t);
        for p in [t.tp_dict, t.tp_bases, t.tp_mro, t.tp_base as *mut PyObject, (*h).ht_name, (*h).ht_qualname, (*h).ht_slots, (*h).ht_module] {
            crate::object::xdecref(p);
        }
        if !(*h).ht_cached_keys.is_null() {
            drop(Box::from_raw((*h).ht_cached_keys as *mut crate::objects::heaptype::SlotMembers));
        }
        if !(*h)._ht_tpname.is_null() {
            drop(std::ffi::CString::from_raw((*h)._ht_tpname));
        }
        // A heap type's tp_doc is its own PyObject_Malloc copy (types from specs), as in CPython.
        if !t.tp_doc.is_null() {
            crate::alloc::raw_free(t.tp_doc as *mut core::ffi::c_void);
        }
        // A heap metaclass's reference is released by `subtype_dealloc`, which runs this.
        crate::alloc::gc_del(o as *mut core::ffi::c_void);
    }
}

/// Module-qualified type name, as `object.__repr__` prints it.
pub fn qualified_name(ty: &TypeObj) -> String {
    qualified_name_except(ty, &["builtins"])
}

/// `PyType_GetFullyQualifiedName` (C's `%T`): as [`qualified_name`], also without a
/// `__main__` module.
pub fn fully_qualified_name(ty: &TypeObj) -> String {
    qualified_name_except(ty, &["builtins", "__main__"])
}

/// `module.qualname`, or the bare qualname when the module is one of `bare_modules` or not
/// a str.
fn qualified_name_except(ty: &TypeObj, bare_modules: &[&str]) -> String {
    // A class keeps its `__qualname__` (`f.<locals>.C`) where reprs show it.
    let qualname = if ty.has_flag(Py_TPFLAGS_HEAPTYPE) {
        // SAFETY: heap types are PyHeapTypeObjects; ht_qualname is NULL or a str.
        let q = unsafe { (*(ty.raw() as *mut crate::objects::heaptype::HeapTypeObject)).ht_qualname };
        // SAFETY: as above.
        (!q.is_null()).then(|| unicode::as_str_lossy(unsafe { arg(q) }).into_owned())
    } else {
        None
    };
    let name = qualname.as_deref().unwrap_or(ty.name());
    match type_module_name(ty) {
        Some(m) if !bare_modules.contains(&m.as_str()) => format!("{m}.{name}"),
        _ => name.to_string(),
    }
}

fn type_module_name(ty: &TypeObj) -> Option<String> {
    if ty.has_flag(Py_TPFLAGS_HEAPTYPE) {
        let d = ty.dict()?;
        let m = dict::get_item_str(d, "__module__")?;
        // `X.__module__ = 42` is allowed: only a str names a module.
        return if unicode::check(&m) { unicode::as_str(&m).ok().map(str::to_string) } else { None };
    }
    let full = ty.full_name();
    Some(match full.rfind('.') {
        Some(i) => full[..i].to_string(),
        None => "builtins".to_string(),
    })
}

unsafe extern "C" fn object_repr(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: live argument.
    let o = unsafe { arg(o) };
    let s = format!("<{} object at {:#x}>", qualified_name(o.ob_type()), o.as_ptr() as usize);
    unicode::new(&s).into_raw()
}

unsafe extern "C" fn object_str(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: live argument.
    ret_obj(crate::abstract_::repr(unsafe { arg(o) }))
}

/// `object.__hash__`: the address, rotated as CPython's `_Py_HashPointer` does.
pub unsafe extern "C" fn object_hash(o: *mut PyObject) -> Py_hash_t {
    let y = o as usize;
    let h = y.rotate_right(4) as isize;
    if h == -1 { -2 } else { h }
}

unsafe extern "C" fn object_richcompare(a: *mut PyObject, b: *mut PyObject, op: c_int) -> *mut PyObject {
    let r = match op {
        Py_EQ if a == b => crate::objects::bool_::new(true),
        Py_NE => {
            // object.__ne__ inverts __eq__ unless it returned NotImplemented.
            // SAFETY: live arguments.
            let eq = unsafe { crate::abstract_::rich_compare_slot(arg(a), arg(b), Py_EQ) };
            match eq {
                Ok(v) if v.is(none::not_implemented_obj()) => v,
                Ok(v) => match crate::abstract_::is_true(&v) {
                    Ok(t) => crate::objects::bool_::new(!t),
                    Err(e) => return ret_obj(Err(e)),
                },
                Err(e) => return ret_obj(Err(e)),
            }
        }
        _ => none::not_implemented(),
    };
    r.into_raw()
}

/// `type.__init__`: the class is made by `type.__new__`; this only checks the call's shape,
/// so a metaclass's `super().__init__(name, bases, ns, **kw)` reaches it (not `object`'s).
unsafe extern "C" fn type_init(_cls: *mut PyObject, args: *mut PyObject, kwds: *mut PyObject) -> c_int {
    // SAFETY: tp_init contract: `args` a tuple, `kwds` NULL or a dict.
    let (n, nkw) = unsafe { (tuple::len(arg(args)), if kwds.is_null() { 0 } else { dict::len(arg(kwds)) }) };
    if n == 1 && nkw != 0 {
        return ret_int(Err(raise!(TypeError, "type.__init__() takes no keyword arguments")));
    }
    if n != 1 && n != 3 {
        return ret_int(Err(raise!(TypeError, "type.__init__() takes 1 or 3 arguments")));
    }
    0
}

unsafe extern "C" fn object_init(o: *mut PyObject, args: *mut PyObject, kwds: *mut PyObject) -> c_int {
    // SAFETY: live arguments.
    let ty = unsafe { arg(o) }.ob_type();
    let has_args = unsafe { excess_args(args, kwds) };
    if has_args {
        let s = ty.slots();
        if !s.tp_init.is_some_and(|f| is_slot(f, object_init)) {
            return ret_int(Err(raise!(TypeError, "object.__init__() takes exactly one argument (the instance to initialize)")));
        }
        if s.tp_new.is_some_and(|f| is_slot(f, object_new)) {
            return ret_int(Err(raise!(TypeError, "{}() takes no arguments", ty.name())));
        }
    }
    0
}

/// Whether a call passed any positional or keyword arguments.
///
/// # Safety
/// `args` is NULL or a tuple; `kwds` NULL or a dict.
unsafe fn excess_args(args: *mut PyObject, kwds: *mut PyObject) -> bool {
    // SAFETY: guaranteed by the caller.
    unsafe {
        (!args.is_null() && tuple::len(arg(args)) > 0) || (!kwds.is_null() && dict::len(arg(kwds)) > 0)
    }
}

pub unsafe extern "C" fn object_new(ty: *mut PyTypeObject, args: *mut PyObject, kwds: *mut PyObject) -> *mut PyObject {
    // SAFETY: live arguments.
    unsafe {
        let t = TypeObj::from_ptr(ty);
        if excess_args(args, kwds) {
            let s = t.slots();
            if !s.tp_new.is_some_and(|f| is_slot(f, object_new)) {
                return ret_obj(Err(raise!(TypeError, "object.__new__() takes exactly one argument (the type to instantiate)")));
            }
            if s.tp_init.is_some_and(|f| is_slot(f, object_init)) {
                return ret_obj(Err(raise!(TypeError, "{}() takes no arguments", t.name())));
            }
        }
        if t.has_flag(Py_TPFLAGS_IS_ABSTRACT) {
            return ret_obj(Err(abstract_instantiation_error(t)));
        }
        let alloc = t.slots().tp_alloc.unwrap_or(crate::alloc::generic_alloc);
        alloc(ty, 0)
    }
}

unsafe extern "C" fn object_get_class(o: *mut PyObject, _: *mut core::ffi::c_void) -> *mut PyObject {
    // SAFETY: live argument.
    unsafe { arg(o) }.ob_type().new_ref().into_raw()
}

/// The instance layout of `t`: size, item size, dict and weakref offsets, deallocator.
fn instance_layout(t: &TypeObj) -> (isize, isize, isize, isize, Option<usize>) {
    let s = t.slots();
    (s.tp_basicsize, s.tp_itemsize, s.tp_dictoffset, s.tp_weaklistoffset, s.tp_dealloc.map(|f| f as usize))
}

/// `obj.__class__ = C` (CPython's `object_set_class`): only between mutable (heap) classes
/// whose instances have the same layout (same size, offsets and `__slots__`).
unsafe extern "C" fn object_set_class(o: *mut PyObject, v: *mut PyObject, _: *mut core::ffi::c_void) -> c_int {
    // SAFETY: live arguments.
    let (obj, v) = unsafe { (arg(o), opt_arg(v)) };
    ret_int((|| -> PyResult<c_int> {
        let v = v.ok_or_else(|| raise!(TypeError, "can't delete __class__ attribute"))?;
        let Some(new) = TypeObj::downcast(v) else {
            return Err(raise!(TypeError, "__class__ must be set to a class, not '{}' object", v.ob_type().name()));
        };
        let old = obj.ob_type();
        let module = &crate::objects::module::PyModule_Type;
        let both_modules = new.is_subtype(module) && old.is_subtype(module);
        let mutable = |t: &TypeObj| t.has_flag(Py_TPFLAGS_HEAPTYPE) && !t.has_flag(Py_TPFLAGS_IMMUTABLETYPE);
        if !both_modules && (!mutable(new) || !mutable(old)) {
            return Err(raise!(TypeError, "__class__ assignment only supported for mutable types or ModuleType subclasses"));
        }
        let slots_of = |t: &TypeObj| t.dict().and_then(|d| dict::get_item_str(d, "__slots__")).map(|s| s.as_ptr() as usize);
        let same_slots = match (slots_of(new), slots_of(old)) {
            (None, None) => true,
            (Some(a), Some(b)) => {
                // SAFETY: both are live objects held by the class dicts.
                let (a, b) = unsafe { (Obj::from_ptr(a as *mut PyObject), Obj::from_ptr(b as *mut PyObject)) };
                crate::abstract_::rich_compare_bool(a, b, Py_EQ)?
            }
            _ => false,
        };
        if instance_layout(new) != instance_layout(old) || !same_slots {
            return Err(raise!(TypeError, "__class__ assignment: '{}' object layout differs from '{}'", new.name(), old.name()));
        }
        // SAFETY: `obj` is live; heap types are reference-counted by their instances.
        unsafe {
            let prev = core::mem::replace(&mut (*obj.as_ptr()).ob_type, new.new_ref().into_raw() as *mut PyTypeObject);
            crate::object::decref(prev as *mut PyObject);
        }
        Ok(0)
    })())
}

// ---- type's slots ---------------------------------------------------------------------------

unsafe extern "C" fn type_repr(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: live type argument.
    let t = unsafe { TypeObj::from_ptr(o as *mut PyTypeObject) };
    unicode::new(&format!("<class '{}'>", qualified_name(t))).into_raw()
}

/// `type.__call__`: `tp_new`, then `tp_init` if the result is an instance.
unsafe extern "C" fn type_call(o: *mut PyObject, args: *mut PyObject, kwds: *mut PyObject) -> *mut PyObject {
    // SAFETY: live arguments.
    unsafe {
        let t = TypeObj::from_ptr(o as *mut PyTypeObject);
        if t.is(&PyType_Type) && !args.is_null() && tuple::len(arg(args)) == 1 && (kwds.is_null() || dict::len(arg(kwds)) == 0) {
            return tuple::get(arg(args), 0).ob_type().new_ref().into_raw();
        }
        let Some(new) = t.slots().tp_new else {
            return ret_obj(Err(raise!(TypeError, "cannot create '{}' instances", qualified_name(t))));
        };
        let obj = new(t.raw(), args, kwds);
        if obj.is_null() {
            return obj;
        }
        let ot = (*obj).ob_type;
        if ot == t.raw() || TypeObj::from_ptr(ot).is_subtype(t) {
            if let Some(init) = (*ot).tp_init {
                if init(obj, args, kwds) < 0 {
                    crate::object::decref(obj);
                    return null_mut();
                }
            }
        }
        obj
    }
}

/// `type.__getattribute__`: metatype data descriptors, then the MRO (binding with
/// `descr_get(None, type)`), then metatype attributes.
pub fn type_getattr_impl(t: &TypeObj, name: &Obj) -> PyResult<PyRef> {
    let meta = t.ob_type();
    let meta_attr = meta.lookup(name).map(|a| a.new_ref());
    if let Some(ma) = &meta_attr {
        let s = ma.ob_type().slots();
        if let (Some(get), Some(_)) = (s.tp_descr_get, s.tp_descr_set) {
            // SAFETY: descriptor slot with live arguments.
            return unsafe { crate::slot::from_new(get(ma.as_ptr(), t.as_ptr(), meta.as_ptr())) };
        }
    }
    if let Some(a) = t.lookup(name).map(|a| a.new_ref()) {
        if let Some(get) = a.ob_type().slots().tp_descr_get {
            // SAFETY: as above.
            return unsafe { crate::slot::from_new(get(a.as_ptr(), null_mut(), t.as_ptr())) };
        }
        return Ok(a);
    }
    if let Some(ma) = meta_attr {
        if let Some(get) = ma.ob_type().slots().tp_descr_get {
            // SAFETY: as above.
            return unsafe { crate::slot::from_new(get(ma.as_ptr(), t.as_ptr(), meta.as_ptr())) };
        }
        return Ok(ma);
    }
    Err(raise!(AttributeError, "type object '{}' has no attribute '{}'", t.name(), unicode::as_str_lossy(name)))
}

unsafe extern "C" fn type_getattro(o: *mut PyObject, name: *mut PyObject) -> *mut PyObject {
    // SAFETY: live arguments.
    ret_obj(type_getattr_impl(unsafe { TypeObj::from_ptr(o as *mut PyTypeObject) }, unsafe { arg(name) }))
}

unsafe extern "C" fn type_setattro(o: *mut PyObject, name: *mut PyObject, v: *mut PyObject) -> c_int {
    // SAFETY: live arguments.
    unsafe {
        let t = TypeObj::from_ptr(o as *mut PyTypeObject);
        if !t.has_flag(Py_TPFLAGS_HEAPTYPE) || t.has_flag(Py_TPFLAGS_IMMUTABLETYPE) {
            return ret_int(Err(raise!(
                TypeError,
                "cannot set '{}' attribute of immutable type '{}'",
                unicode::as_str_lossy(arg(name)),
                t.full_name()
            )));
        }
        // A data descriptor of the metatype (`__annotations__`, ...) takes the assignment.
        if let Some(descr) = t.ob_type().lookup(arg(name))
            && let Some(set) = descr.ob_type().slots().tp_descr_set
        {
            return set(descr.as_ptr(), o, v);
        }
        let d = t.dict().expect("ready type");
        modified(t);
        let r = match opt_arg(v) {
            Some(v) => dict::set_item(d, arg(name), v).map(|_| 0),
            None => dict::del_item(d, arg(name)).map(|_| 0),
        };
        // `__abstractmethods__` (set by `abc`) decides whether the class can be instantiated
        // (CPython's `type_set_abstractmethods`).
        if r.is_ok() && unicode::eq_str(arg(name), "__abstractmethods__") {
            let is_abstract = match opt_arg(v) {
                Some(v) => match crate::abstract_::is_true(v) {
                    Ok(b) => b,
                    Err(e) => return ret_int(Err(e)),
                },
                None => false,
            };
            let p = t.raw();
            if is_abstract {
                (*p).tp_flags |= Py_TPFLAGS_IS_ABSTRACT;
            } else {
                (*p).tp_flags &= !Py_TPFLAGS_IS_ABSTRACT;
            }
        }
        // A dunder assigned to a class defined in Python re-points its slots (CPython's
        // `update_slot`); subclasses keep the slots they inherited (Pyrite keeps no subclass
        // lists yet).
        if r.is_ok() && t.has_flag(Py_TPFLAGS_HEAPTYPE) && unicode::as_str(arg(name)).is_ok_and(|n| n.starts_with("__") && n.ends_with("__")) {
            crate::objects::slotdefs::update_slots(t);
        }
        ret_int(r)
    }
}

// ---- annotations (PEP 649/749) ---------------------------------------------------------------

/// `cls.__annotate__`: `__annotate__` or `__annotate_func__` from the class's own dict (None,
/// remembered, when neither is there).
fn type_annotate(t: &TypeObj) -> PyResult<PyRef> {
    if !t.has_flag(Py_TPFLAGS_HEAPTYPE) {
        return Err(raise!(AttributeError, "type object '{}' has no attribute '__annotate__'", t.name()));
    }
    let d = t.dict().expect("ready type");
    let found = match dict::get_item_str(d, "__annotate__") {
        Some(a) => Some(a),
        None => dict::get_item_str(d, "__annotate_func__"),
    };
    match found {
        Some(a) => match a.ob_type().slots().tp_descr_get {
            // SAFETY: live arguments; the slot returns a new reference or NULL.
            Some(get) => unsafe { crate::slot::from_new(get(a.as_ptr(), core::ptr::null_mut(), t.as_ptr())) },
            None => Ok(a),
        },
        None => {
            dict::set_item_str(d, "__annotate_func__", none::none_obj())?;
            modified(t);
            Ok(none::none())
        }
    }
}

/// `cls.__annotations__`: from the class's own dict (`__annotations__`, then the cache),
/// else `cls.__annotate__(1)` (or `{}`), cached in `__annotations_cache__`.
fn type_annotations(t: &TypeObj) -> PyResult<PyRef> {
    if !t.has_flag(Py_TPFLAGS_HEAPTYPE) {
        return Err(raise!(AttributeError, "type object '{}' has no attribute '__annotations__'", t.name()));
    }
    let d = t.dict().expect("ready type");
    let found = match dict::get_item_str(d, "__annotations__") {
        Some(a) => Some(a),
        None => dict::get_item_str(d, "__annotations_cache__"),
    };
    if let Some(a) = found {
        return match a.ob_type().slots().tp_descr_get {
            // SAFETY: live arguments; the slot returns a new reference or NULL.
            Some(get) => unsafe { crate::slot::from_new(get(a.as_ptr(), core::ptr::null_mut(), t.as_ptr())) },
            None => Ok(a),
        };
    }
    let annotate = type_annotate(t)?;
    let a = if annotate.ob_type().slots().tp_call.is_some() {
        let a = crate::abstract_::call(&annotate, &tuple::new_from(&[&*crate::objects::long::from_i64(1)]), None)?;
        if !dict::check(&a) {
            return Err(raise!(TypeError, "__annotate__ returned non-dict of type '{}'", a.ob_type().name()));
        }
        a
    } else {
        dict::new()
    };
    dict::set_item_str(d, "__annotations_cache__", &a)?;
    modified(t);
    Ok(a)
}

/// `__type_params__`: what a PEP 695 class body stored in the class dict, else ().
unsafe extern "C" fn type_get_type_params(o: *mut PyObject, _: *mut core::ffi::c_void) -> *mut PyObject {
    // SAFETY: live type argument.
    let t = unsafe { TypeObj::from_ptr(o as *mut PyTypeObject) };
    let own = if t.is(&PyType_Type) { None } else { t.dict().and_then(|d| dict::get_item_str(d, "__type_params__")) };
    own.unwrap_or_else(|| tuple::new_from(&[])).into_raw()
}

unsafe extern "C" fn type_set_type_params(o: *mut PyObject, v: *mut PyObject, _: *mut core::ffi::c_void) -> c_int {
    // SAFETY: live arguments.
    let (t, v) = unsafe { (TypeObj::from_ptr(o as *mut PyTypeObject), opt_arg(v)) };
    ret_int((|| -> PyResult<c_int> {
        if !t.has_flag(Py_TPFLAGS_HEAPTYPE) || t.has_flag(Py_TPFLAGS_IMMUTABLETYPE) {
            return Err(raise!(TypeError, "cannot set '__type_params__' attribute of immutable type '{}'", t.name()));
        }
        let v = v.ok_or_else(|| raise!(TypeError, "cannot delete '__type_params__' attribute of immutable type '{}'", t.name()))?;
        if !tuple::check(v) {
            return Err(raise!(TypeError, "__type_params__ must be set to a tuple, not {}", v.ob_type().name()));
        }
        dict::set_item_str(t.dict().expect("ready type"), "__type_params__", v)?;
        modified(t);
        Ok(0)
    })())
}

unsafe extern "C" fn type_get_annotations(o: *mut PyObject, _: *mut core::ffi::c_void) -> *mut PyObject {
    // SAFETY: live type argument.
    ret_obj(type_annotations(unsafe { TypeObj::from_ptr(o as *mut PyTypeObject) }))
}

unsafe extern "C" fn type_get_annotate(o: *mut PyObject, _: *mut core::ffi::c_void) -> *mut PyObject {
    // SAFETY: live type argument.
    ret_obj(type_annotate(unsafe { TypeObj::from_ptr(o as *mut PyTypeObject) }))
}

unsafe extern "C" fn type_set_annotations(o: *mut PyObject, v: *mut PyObject, _: *mut core::ffi::c_void) -> c_int {
    // SAFETY: live arguments.
    let (t, v) = unsafe { (TypeObj::from_ptr(o as *mut PyTypeObject), opt_arg(v)) };
    let r = (|| -> PyResult<c_int> {
        if !t.has_flag(Py_TPFLAGS_HEAPTYPE) || t.has_flag(Py_TPFLAGS_IMMUTABLETYPE) {
            return Err(raise!(TypeError, "cannot set '__annotations__' attribute of immutable type '{}'", t.name()));
        }
        let d = t.dict().expect("ready type");
        match v {
            Some(v) => {
                dict::set_item_str(d, "__annotations_cache__", v)?;
                dict::set_item_str(d, "__annotate_func__", none::none_obj())?;
            }
            None => {
                let cache = unicode::new("__annotations_cache__");
                let plain = unicode::new("__annotations__");
                if dict::get_item(d, &cache)?.is_some() {
                    dict::del_item(d, &cache)?;
                } else if dict::get_item(d, &plain)?.is_some() {
                    dict::del_item(d, &plain)?;
                } else {
                    return Err(raise!(AttributeError, "__annotations__"));
                }
            }
        }
        modified(t);
        Ok(0)
    })();
    ret_int(r)
}

unsafe extern "C" fn type_set_annotate(o: *mut PyObject, v: *mut PyObject, _: *mut core::ffi::c_void) -> c_int {
    // SAFETY: live arguments.
    let (t, v) = unsafe { (TypeObj::from_ptr(o as *mut PyTypeObject), opt_arg(v)) };
    let r = (|| -> PyResult<c_int> {
        let Some(v) = v else {
            return Err(raise!(TypeError, "cannot delete __annotate__ attribute"));
        };
        if !t.has_flag(Py_TPFLAGS_HEAPTYPE) || t.has_flag(Py_TPFLAGS_IMMUTABLETYPE) {
            return Err(raise!(TypeError, "cannot set '__annotate__' attribute of immutable type '{}'", t.name()));
        }
        let is_none = v.is(none::none_obj());
        if !is_none && v.ob_type().slots().tp_call.is_none() {
            return Err(raise!(TypeError, "__annotate__ must be callable or None"));
        }
        let d = t.dict().expect("ready type");
        dict::set_item_str(d, "__annotate_func__", v)?;
        if !is_none {
            let cache = unicode::new("__annotations_cache__");
            if dict::get_item(d, &cache)?.is_some() {
                dict::del_item(d, &cache)?;
            }
        }
        modified(t);
        Ok(0)
    })();
    ret_int(r)
}

/// `cls.__dict__`: a read-only proxy of the type dict.
unsafe extern "C" fn type_get_dict(o: *mut PyObject, _: *mut core::ffi::c_void) -> *mut PyObject {
    // SAFETY: live type argument.
    let t = unsafe { TypeObj::from_ptr(o as *mut PyTypeObject) };
    match t.dict() {
        Some(d) => ret_obj(crate::objects::mappingproxy::new(d)),
        None => none::none().into_raw(),
    }
}

unsafe extern "C" fn type_get_name(o: *mut PyObject, _: *mut core::ffi::c_void) -> *mut PyObject {
    // SAFETY: live type argument.
    unicode::new(unsafe { TypeObj::from_ptr(o as *mut PyTypeObject) }.name()).into_raw()
}

/// `__qualname__`: a heap type's `ht_qualname`, else `__name__`.
unsafe extern "C" fn type_get_qualname(o: *mut PyObject, c: *mut core::ffi::c_void) -> *mut PyObject {
    // SAFETY: live type argument; heap types are PyHeapTypeObjects.
    unsafe {
        let t = TypeObj::from_ptr(o as *mut PyTypeObject);
        if t.has_flag(Py_TPFLAGS_HEAPTYPE) {
            let q = (*(o as *mut crate::objects::heaptype::HeapTypeObject)).ht_qualname;
            if !q.is_null() {
                return arg(q).new_ref().into_raw();
            }
        }
        type_get_name(o, c)
    }
}

/// CPython's `check_set_special_type_attr`: only mutable heap types, and no deleting.
fn check_special_set(t: &TypeObj, v: Option<&Obj>, name: &str) -> PyResult<()> {
    if !t.has_flag(Py_TPFLAGS_HEAPTYPE) || t.has_flag(Py_TPFLAGS_IMMUTABLETYPE) {
        return Err(raise!(TypeError, "cannot set '{}' attribute of immutable type '{}'", name, t.full_name()));
    }
    if v.is_none() {
        return Err(raise!(TypeError, "cannot delete '{}' attribute of immutable type '{}'", name, t.full_name()));
    }
    Ok(())
}

unsafe extern "C" fn type_set_name(o: *mut PyObject, v: *mut PyObject, _: *mut core::ffi::c_void) -> c_int {
    // SAFETY: live type argument; heap types are PyHeapTypeObjects.
    unsafe {
        let t = TypeObj::from_ptr(o as *mut PyTypeObject);
        let v = opt_arg(v);
        let r = (|| -> PyResult<()> {
            check_special_set(t, v, "__name__")?;
            let v = v.unwrap();
            if !unicode::check(v) {
                return Err(raise!(TypeError, "can only assign string to {}.__name__, not '{}'", t.full_name(), v.ob_type().name()));
            }
            let name = std::ffi::CString::new(unicode::as_str(v)?).map_err(|_| raise!(ValueError, "type name must not contain null characters"))?;
            let h = o as *mut crate::objects::heaptype::HeapTypeObject;
            let old_name = core::mem::replace(&mut (*h).ht_name, v.new_ref().into_raw());
            let old_tpname = core::mem::replace(&mut (*h)._ht_tpname, name.into_raw());
            (*h).ht_type.tp_name = (*h)._ht_tpname;
            crate::object::xdecref(old_name);
            if !old_tpname.is_null() {
                drop(std::ffi::CString::from_raw(old_tpname));
            }
            Ok(())
        })();
        ret_int(r.map(|_| 0))
    }
}

unsafe extern "C" fn type_set_qualname(o: *mut PyObject, v: *mut PyObject, _: *mut core::ffi::c_void) -> c_int {
    // SAFETY: live type argument; heap types are PyHeapTypeObjects.
    unsafe {
        let t = TypeObj::from_ptr(o as *mut PyTypeObject);
        let v = opt_arg(v);
        let r = (|| -> PyResult<()> {
            check_special_set(t, v, "__qualname__")?;
            let v = v.unwrap();
            if !unicode::check(v) {
                return Err(raise!(TypeError, "can only assign string to {}.__qualname__, not '{}'", t.full_name(), v.ob_type().name()));
            }
            let h = o as *mut crate::objects::heaptype::HeapTypeObject;
            crate::object::xdecref(core::mem::replace(&mut (*h).ht_qualname, v.new_ref().into_raw()));
            Ok(())
        })();
        ret_int(r.map(|_| 0))
    }
}

unsafe extern "C" fn type_set_module(o: *mut PyObject, v: *mut PyObject, _: *mut core::ffi::c_void) -> c_int {
    // SAFETY: live type argument.
    unsafe {
        let t = TypeObj::from_ptr(o as *mut PyTypeObject);
        let v = opt_arg(v);
        let r = (|| -> PyResult<()> {
            check_special_set(t, v, "__module__")?;
            let d = t.dict().ok_or_else(|| raise!(SystemError, "type has no dict"))?;
            dict::set_item_str(d, "__module__", v.unwrap())?;
            modified(t);
            Ok(())
        })();
        ret_int(r.map(|_| 0))
    }
}

/// `C.__bases__ = (...)` (CPython's `type_set_bases`): a heap type takes new bases of the same
/// instance layout; its MRO and its subclasses' MROs are computed again. (A metaclass's own
/// `mro()` is not consulted, and slots are not inherited again from the new bases.)
unsafe extern "C" fn type_set_bases(o: *mut PyObject, v: *mut PyObject, _: *mut core::ffi::c_void) -> c_int {
    // SAFETY: live type argument.
    let (t, v) = unsafe { (TypeObj::from_ptr(o as *mut PyTypeObject), opt_arg(v)) };
    ret_int((|| -> PyResult<c_int> {
        check_special_set(t, v, "__bases__")?;
        let v = v.unwrap();
        if !tuple::check(v) {
            return Err(raise!(TypeError, "can only assign tuple to {}.__bases__, not {}", t.full_name(), v.ob_type().name()));
        }
        if tuple::len(v) == 0 {
            return Err(raise!(TypeError, "can only assign non-empty tuple to {}.__bases__, not ()", t.full_name()));
        }
        for b in tuple::items(v) {
            let Some(bt) = TypeObj::downcast(b) else {
                return Err(raise!(TypeError, "{}.__bases__ must be tuple of classes, not '{}'", t.full_name(), b.ob_type().name()));
            };
            if bt.is_subtype(t) {
                return Err(raise!(TypeError, "a __bases__ item causes an inheritance cycle"));
            }
        }
        let new_base = crate::objects::heaptype::solid_base(v)?;
        // SAFETY: a ready type's bases are a tuple.
        let old_bases = unsafe { Obj::from_ptr(t.slots().tp_bases) }.new_ref();
        let old_base = crate::objects::heaptype::solid_base(&old_bases)?;
        let layout = |b: &TypeObj| (b.slots().tp_basicsize, b.slots().tp_itemsize, b.slots().tp_dealloc.map(|f| f as usize));
        if layout(old_base) != layout(new_base) {
            return Err(raise!(
                TypeError,
                "__bases__ assignment: '{}' object layout differs from '{}'",
                new_base.name(),
                old_base.name()
            ));
        }
        // SAFETY: `t` is a live heap type; the replaced fields held owned references.
        unsafe {
            let r = t.raw();
            for &b in tuple::items_raw((*r).tp_bases) {
                subclass_map().get_mut(&(b as usize)).map(|l| l.retain(|&s| s != r as usize));
            }
            let old = core::mem::replace(&mut (*r).tp_bases, v.new_ref().into_raw());
            crate::object::decref(old);
            let old = core::mem::replace(&mut (*r).tp_base, new_base.new_ref().into_raw() as *mut PyTypeObject);
            crate::object::xdecref(old as *mut PyObject);
            for &b in tuple::items_raw((*r).tp_bases) {
                add_subclass(b as *mut PyTypeObject, r);
            }
        }
        remake_mro(t)?;
        modified(t);
        Ok(0)
    })())
}

/// Computes the MRO of `t` and of its subclasses again, after `t.__bases__` changed.
fn remake_mro(t: &TypeObj) -> PyResult<()> {
    let mro = compute_mro(t)?;
    // SAFETY: `t` is live; tp_mro holds an owned tuple.
    unsafe {
        let old = core::mem::replace(&mut (*t.raw()).tp_mro, mro.into_raw());
        crate::object::xdecref(old);
    }
    let subs: Vec<usize> = subclass_map().get(&(t.raw() as usize)).cloned().unwrap_or_default();
    for s in subs {
        // SAFETY: listed subclasses are alive.
        remake_mro(unsafe { TypeObj::from_ptr(s as *mut PyTypeObject) })?;
    }
    Ok(())
}

unsafe extern "C" fn type_get_module(o: *mut PyObject, _: *mut core::ffi::c_void) -> *mut PyObject {
    // SAFETY: live type argument.
    let t = unsafe { TypeObj::from_ptr(o as *mut PyTypeObject) };
    // A heap type's `__module__` is whatever its dict holds, str or not (CPython's `type_module`).
    if t.has_flag(Py_TPFLAGS_HEAPTYPE) {
        if let Some(m) = t.dict().and_then(|d| dict::get_item_str(d, "__module__")) {
            return m.into_raw();
        }
    }
    match type_module_name(t) {
        Some(m) => unicode::new(&m).into_raw(),
        None => ret_obj(Err(raise!(AttributeError, "__module__"))),
    }
}

unsafe extern "C" fn type_get_mro(o: *mut PyObject, _: *mut core::ffi::c_void) -> *mut PyObject {
    // SAFETY: live type argument.
    let m = unsafe { (*(o as *mut PyTypeObject)).tp_mro };
    if m.is_null() { none::none().into_raw() } else { unsafe { arg(m) }.new_ref().into_raw() }
}

unsafe extern "C" fn type_get_base(o: *mut PyObject, _: *mut core::ffi::c_void) -> *mut PyObject {
    // SAFETY: live type argument.
    let b = unsafe { (*(o as *mut PyTypeObject)).tp_base };
    if b.is_null() { none::none().into_raw() } else { unsafe { arg(b as *mut PyObject) }.new_ref().into_raw() }
}

unsafe extern "C" fn type_get_bases(o: *mut PyObject, _: *mut core::ffi::c_void) -> *mut PyObject {
    // SAFETY: live type argument.
    let b = unsafe { (*(o as *mut PyTypeObject)).tp_bases };
    if b.is_null() { tuple::empty().into_raw() } else { unsafe { arg(b) }.new_ref().into_raw() }
}

/// A NUL-terminated C string from a `&CStr`, as C slots take it.
pub fn cstr_ptr(s: &CStr) -> *const c_char {
    s.as_ptr()
}

/// Where the type data of `ty` starts in its instances (`PyObject_GetTypeData`): the base's
/// basic size, aligned to the maximum C alignment.
pub fn type_data_offset(ty: &TypeObj) -> usize {
    let base = ty.slots().tp_base;
    let n = if base.is_null() {
        core::mem::size_of::<PyObject>()
    } else {
        // SAFETY: tp_base is a live type.
        unsafe { (*base).tp_basicsize as usize }
    };
    (n + 15) & !15
}

/// Whether a slot holds a particular function (CPython compares slot pointers the same way).
pub fn is_slot<F: Copy>(slot: F, f: F) -> bool {
    const { assert!(core::mem::size_of::<F>() == core::mem::size_of::<usize>()) };
    // SAFETY: F is a function pointer type (pointer-sized, Copy); compare the addresses.
    unsafe { core::mem::transmute_copy::<F, usize>(&slot) == core::mem::transmute_copy::<F, usize>(&f) }
}
