//! `_abc` (CPython's `Modules/_abc.c`): the machinery of `abc.ABCMeta` — computing
//! `__abstractmethods__`, the registry of virtual subclasses and the positive/negative
//! `issubclass` caches, invalidated by a global counter (`get_cache_token`).
//!
//! CPython keeps the registry and caches as sets of weak references; Pyrite keeps strong
//! references, which changes nothing observable while classes are never freed (no cycle
//! collector: every class is kept alive by its own MRO).

use std::collections::HashSet;
use std::sync::atomic::{AtomicU64, Ordering};

use pyrite_abi::*;

use super::native::{self, new_instance, with};
use crate::err::PyResult;
use crate::method_table;
use crate::object::{Obj, PyRef};
use crate::objects::type_::TypeObj;
use crate::objects::{bool_, dict, iterobject, long, none, set, tuple, unicode};
use crate::abstract_;

static INVALIDATION_COUNTER: AtomicU64 = AtomicU64::new(0);

pub fn create() -> PyResult<PyRef> {
    let m = native::new_module("_abc", ABC_FUNCTIONS.0.get() as *mut PyMethodDef)?;
    native::add_types(&m, &[&ABC_DATA])?;
    Ok(m)
}

method_table!(static ABC_FUNCTIONS = [
    noargs c"get_cache_token" => get_cache_token,
    o c"_abc_init" => abc_init,
    fast c"_abc_register" => abc_register,
    fast c"_abc_instancecheck" => abc_instancecheck,
    fast c"_abc_subclasscheck" => abc_subclasscheck,
    o c"_get_dump" => get_dump,
    o c"_reset_registry" => reset_registry,
    o c"_reset_caches" => reset_caches,
]);

/// A set of classes by identity.
#[derive(Default)]
struct ClassSet {
    members: Vec<PyRef>,
    ids: HashSet<usize>,
}

impl ClassSet {
    fn contains(&self, o: &Obj) -> bool {
        self.ids.contains(&(o.as_ptr() as usize))
    }

    fn add(&mut self, o: &Obj) {
        if self.ids.insert(o.as_ptr() as usize) {
            self.members.push(o.new_ref());
        }
    }

    fn clear(&mut self) -> Vec<PyRef> {
        self.ids.clear();
        core::mem::take(&mut self.members)
    }
}

#[derive(Default)]
struct AbcData {
    registry: ClassSet,
    cache: ClassSet,
    negative_cache: ClassSet,
    negative_cache_version: u64,
}

native_type!(final ABC_DATA, c"_abc._abc_data", AbcData, {
    tp_new: slot_new!(abc_data_new),
    tp_doc: c"Internal state held by ABC machinery.".as_ptr(),
});

fn abc_data_new(t: &TypeObj, _a: &[&Obj], _kw: Option<&Obj>) -> PyResult<PyRef> {
    new_instance(t, AbcData { negative_cache_version: INVALIDATION_COUNTER.load(Ordering::Relaxed), ..Default::default() })
}

fn get_cache_token(_m: &Obj) -> PyResult<PyRef> {
    Ok(long::from_u64(INVALIDATION_COUNTER.load(Ordering::Relaxed)))
}

fn impl_of(cls: &Obj) -> PyResult<PyRef> {
    let i = abstract_::getattr_str(cls, "_abc_impl")?;
    if !i.ob_type().is(&ABC_DATA) {
        return Err(raise!(TypeError, "_abc_impl is set to a wrong type"));
    }
    Ok(i)
}

/// `_PyObject_IsAbstract`: a true `__isabstractmethod__`.
fn is_abstract(o: &Obj) -> PyResult<bool> {
    match abstract_::lookup_attr(o, "__isabstractmethod__")? {
        Some(v) => abstract_::is_true(&v),
        None => Ok(false),
    }
}

fn compute_abstract_methods(cls: &Obj) -> PyResult<()> {
    let abstracts = set::new_empty();
    let ns = abstract_::getattr_str(cls, "__dict__")?;
    let items = iterobject::collect(&*abstract_::call_method(&ns, "items", &[])?)?;
    for item in items {
        let (k, v) = (tuple::get(&item, 0), tuple::get(&item, 1));
        if is_abstract(v)? {
            set::add(&abstracts, k)?;
        }
    }
    let bases = abstract_::getattr_str(cls, "__bases__")?;
    if !tuple::check(&bases) {
        return Err(raise!(TypeError, "__bases__ is not tuple"));
    }
    for base in tuple::items(&bases) {
        let Some(base_abstracts) = abstract_::lookup_attr(base, "__abstractmethods__")? else { continue };
        for key in iterobject::collect(&base_abstracts)? {
            let Some(value) = abstract_::getattr_opt(cls, &key)? else { continue };
            if is_abstract(&value)? {
                set::add(&abstracts, &key)?;
            }
        }
    }
    let frozen = abstract_::call(&set::PyFrozenSet_Type, &tuple::new_from(&[&abstracts]), None)?;
    abstract_::setattr(cls, &unicode::new("__abstractmethods__"), Some(&frozen))
}

const COLLECTION_FLAGS: core::ffi::c_ulong = Py_TPFLAGS_SEQUENCE | Py_TPFLAGS_MAPPING;

fn abc_init(_m: &Obj, cls: &Obj) -> PyResult<PyRef> {
    compute_abstract_methods(cls)?;
    let data = new_instance(&ABC_DATA, AbcData { negative_cache_version: INVALIDATION_COUNTER.load(Ordering::Relaxed), ..Default::default() })?;
    abstract_::setattr(cls, &unicode::new("_abc_impl"), Some(&data))?;
    // `__abc_tpflags__` in the class body (collections.abc's Sequence/Mapping) sets the
    // pattern-matching flags of the type and is removed.
    if let Some(t) = TypeObj::downcast(cls) {
        if let Some(d) = t.dict() {
            if let Some(flags) = dict::get_item_str(d, "__abc_tpflags__") {
                let bits = long::to_u64(&flags).unwrap_or(0) as core::ffi::c_ulong;
                // SAFETY: setting flag bits of a live type under the GIL.
                unsafe { (*t.raw()).tp_flags |= bits & COLLECTION_FLAGS };
                dict::del_item(d, &unicode::new("__abc_tpflags__"))?;
            }
        }
    }
    Ok(none::none())
}

/// Sets the collection flag of `cls` on `child` and its subclasses that have none yet.
fn set_collection_flag_recursive(child: &TypeObj, flag: core::ffi::c_ulong) -> PyResult<()> {
    if child.flags() & COLLECTION_FLAGS != 0 || child.has_flag(Py_TPFLAGS_IMMUTABLETYPE) {
        return Ok(());
    }
    // SAFETY: setting flag bits of a live type under the GIL.
    unsafe { (*child.raw()).tp_flags |= flag };
    for sub in iterobject::collect(&*abstract_::call_method(child, "__subclasses__", &[])?)? {
        if let Some(t) = TypeObj::downcast(&sub) {
            set_collection_flag_recursive(t, flag)?;
        }
    }
    Ok(())
}

/// `PyObject_IsSubclass`: a metaclass's `__subclasscheck__` (an ABC's), else the MRO.
fn is_subclass(a: &Obj, b: &Obj) -> PyResult<bool> {
    if !b.ob_type().is(&crate::objects::type_::PyType_Type) {
        if let Some(check) = crate::objects::argparse::lookup_special(b, "__subclasscheck__")? {
            return abstract_::is_true(&*abstract_::call_one_arg(&check, a)?);
        }
    }
    let Some(a) = TypeObj::downcast(a) else {
        return Err(raise!(TypeError, "issubclass() arg 1 must be a class"));
    };
    crate::builtins::is_subclass(a, b)
}

fn abc_register(_m: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    crate::objects::argparse::check_positional("_abc_register", a.len(), 2, 2)?;
    let (cls, subclass) = (a[0], a[1]);
    let Some(sub_t) = TypeObj::downcast(subclass) else {
        return Err(raise!(TypeError, "Can only register classes"));
    };
    if is_subclass(subclass, cls)? {
        return Ok(subclass.new_ref());
    }
    if is_subclass(cls, subclass)? {
        return Err(raise!(RuntimeError, "Refusing to create an inheritance cycle"));
    }
    let data = impl_of(cls)?;
    with(&data, |d: &mut AbcData| d.registry.add(subclass))?;
    INVALIDATION_COUNTER.fetch_add(1, Ordering::Relaxed);
    if let Some(t) = TypeObj::downcast(cls) {
        let flag = t.flags() & COLLECTION_FLAGS;
        if flag != 0 {
            set_collection_flag_recursive(sub_t, flag)?;
        }
    }
    Ok(subclass.new_ref())
}

fn abc_instancecheck(_m: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    crate::objects::argparse::check_positional("_abc_instancecheck", a.len(), 2, 2)?;
    let (cls, instance) = (a[0], a[1]);
    let data = impl_of(cls)?;
    let subclass = abstract_::getattr_str(instance, "__class__")?;
    if with(&data, |d: &mut AbcData| d.cache.contains(&subclass))? {
        return Ok(bool_::new(true));
    }
    // Held: `__subclasscheck__` may assign `instance.__class__`, and the old class may then be
    // freed by the cycle collector while it is still to be checked.
    let subtype: PyRef = instance.ob_type().new_ref();
    if subclass.is(&subtype) {
        let counter = INVALIDATION_COUNTER.load(Ordering::Relaxed);
        if with(&data, |d: &mut AbcData| d.negative_cache_version == counter && d.negative_cache.contains(&subclass))? {
            return Ok(bool_::new(false));
        }
        return abstract_::call_method(cls, "__subclasscheck__", &[&subclass]);
    }
    let r = abstract_::call_method(cls, "__subclasscheck__", &[&subclass])?;
    if abstract_::is_true(&r)? {
        return Ok(r);
    }
    abstract_::call_method(cls, "__subclasscheck__", &[&subtype])
}

fn abc_subclasscheck(_m: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    crate::objects::argparse::check_positional("_abc_subclasscheck", a.len(), 2, 2)?;
    let (cls, subclass) = (a[0], a[1]);
    if TypeObj::downcast(subclass).is_none() {
        return Err(raise!(TypeError, "issubclass() arg 1 must be a class"));
    }
    let data = impl_of(cls)?;
    let yes = |data: &Obj| -> PyResult<PyRef> {
        with(data, |d: &mut AbcData| d.cache.add(subclass))?;
        Ok(bool_::new(true))
    };
    if with(&data, |d: &mut AbcData| d.cache.contains(subclass))? {
        return Ok(bool_::new(true));
    }
    let counter = INVALIDATION_COUNTER.load(Ordering::Relaxed);
    let known_no = with(&data, |d: &mut AbcData| {
        if d.negative_cache_version < counter {
            drop(d.negative_cache.clear());
            d.negative_cache_version = counter;
            false
        } else {
            d.negative_cache.contains(subclass)
        }
    })?;
    if known_no {
        return Ok(bool_::new(false));
    }
    // 1. The class's own hook.
    let ok = abstract_::call_method(cls, "__subclasshook__", &[subclass])?;
    if !ok.is(none::not_implemented_obj()) {
        if !ok.ob_type().is(&bool_::PyBool_Type) {
            return Err(raise!(AssertionError, "__subclasshook__ must return either False, True, or NotImplemented"));
        }
        let b = abstract_::is_true(&ok)?;
        with(&data, |d: &mut AbcData| if b { d.cache.add(subclass) } else { d.negative_cache.add(subclass) })?;
        return Ok(ok);
    }
    // 2. A direct subclass.
    if let Some(mro) = abstract_::lookup_attr(subclass, "__mro__")? {
        if tuple::check(&mro) && tuple::items(&mro).iter().any(|c| c.is(cls)) {
            return yes(&data);
        }
    }
    // 3. A subclass of a registered class.
    let registry: Vec<PyRef> = with(&data, |d: &mut AbcData| d.registry.members.clone())?;
    for r in registry {
        if is_subclass(subclass, &r)? {
            return yes(&data);
        }
    }
    // 4. A subclass of a subclass (recursively through their own checks).
    for scls in iterobject::collect(&*abstract_::call_method(cls, "__subclasses__", &[])?)? {
        if is_subclass(subclass, &scls)? {
            return yes(&data);
        }
    }
    with(&data, |d: &mut AbcData| d.negative_cache.add(subclass))?;
    Ok(bool_::new(false))
}

fn get_dump(_m: &Obj, cls: &Obj) -> PyResult<PyRef> {
    let data = impl_of(cls)?;
    let (registry, cache, negative, version) = with(&data, |d: &mut AbcData| {
        (d.registry.members.clone(), d.cache.members.clone(), d.negative_cache.members.clone(), d.negative_cache_version)
    })?;
    // Sets of weak references, as CPython keeps them.
    let to_set = |v: Vec<PyRef>| -> PyResult<PyRef> {
        let s = set::new_empty();
        for x in v {
            set::add(&s, &*crate::objects::weakref::new_ref(&x, None)?)?;
        }
        Ok(s)
    };
    Ok(tuple::new_from(&[&*to_set(registry)?, &*to_set(cache)?, &*to_set(negative)?, &*long::from_u64(version)]))
}

fn reset_registry(_m: &Obj, cls: &Obj) -> PyResult<PyRef> {
    let data = impl_of(cls)?;
    let old = with(&data, |d: &mut AbcData| d.registry.clear())?;
    drop(old);
    Ok(none::none())
}

fn reset_caches(_m: &Obj, cls: &Obj) -> PyResult<PyRef> {
    let data = impl_of(cls)?;
    let old = with(&data, |d: &mut AbcData| (d.cache.clear(), d.negative_cache.clear()))?;
    drop(old);
    Ok(none::none())
}
