//! Classes defined in Python: `type(name, bases, ns)` (heap types laid out as CPython's
//! `PyHeapTypeObject`), `__build_class__`, and the descriptor types classes use —
//! `super`, `staticmethod`, `classmethod`, `property`.

use core::ffi::{c_char, c_int, c_void};
use core::ptr::null_mut;

use pyrite_abi::*;

use crate::err::PyResult;
use crate::object::{Obj, PyRef};
use crate::objects::type_::{self, getset, StaticTable, TypeObj, BUILTIN_BASETYPE_FLAGS, GETSET_END};
use crate::objects::{dict, function, none, tuple, unicode};
use crate::slot::{arg, opt_arg, ret_int, ret_obj};
use crate::{abstract_, static_type};

/// CPython's `PyHeapTypeObject` prefix: the type, its own method suites, then names.
#[repr(C)]
pub struct HeapTypeObject {
    pub ht_type: PyTypeObject,
    pub as_async: PyAsyncMethods,
    pub as_number: PyNumberMethods,
    pub as_mapping: PyMappingMethods,
    pub as_sequence: PySequenceMethods,
    pub as_buffer: PyBufferProcs,
    pub ht_name: *mut PyObject,
    pub ht_slots: *mut PyObject,
    pub ht_qualname: *mut PyObject,
    pub ht_cached_keys: *mut c_void,
    pub ht_module: *mut PyObject,
    pub _ht_tpname: *mut c_char,
    pub ht_token: *mut c_void,
}

/// Allocates an empty heap type of metatype `meta`, its suites wired to its own storage.
pub fn alloc_heap_type(meta: &TypeObj) -> PyResult<PyRef> {
    let alloc = meta.slots().tp_alloc.unwrap_or(crate::alloc::generic_alloc);
    // SAFETY: the metatype's allocator returns zeroed memory of at least HeapTypeObject size.
    unsafe {
        let p = crate::slot::from_new(alloc(meta.raw(), 0))?;
        let h = p.as_ptr() as *mut HeapTypeObject;
        (*h).ht_type.tp_as_async = &raw mut (*h).as_async;
        (*h).ht_type.tp_as_number = &raw mut (*h).as_number;
        (*h).ht_type.tp_as_mapping = &raw mut (*h).as_mapping;
        (*h).ht_type.tp_as_sequence = &raw mut (*h).as_sequence;
        (*h).ht_type.tp_as_buffer = &raw mut (*h).as_buffer;
        Ok(p)
    }
}

/// The base a new class's layout extends (CPython's `best_base`): each base stands for its
/// [`layout_base`]; those must form a chain, and the base whose layout is the most derived wins.
pub fn solid_base(bases: &Obj) -> PyResult<&TypeObj> {
    let mut base: Option<&TypeObj> = None;
    let mut winner: Option<&TypeObj> = None;
    for b in tuple::items(bases) {
        let Some(bt) = TypeObj::downcast(b) else {
            return Err(raise!(TypeError, "bases must be types"));
        };
        if !bt.has_flag(Py_TPFLAGS_BASETYPE) {
            return Err(raise!(TypeError, "type '{}' is not an acceptable base type", type_::qualified_name(bt)));
        }
        let candidate = layout_base(bt);
        match winner {
            None => {
                winner = Some(candidate);
                base = Some(bt);
            }
            Some(w) if w.is_subtype(candidate) => {}
            Some(w) if candidate.is_subtype(w) => {
                winner = Some(candidate);
                base = Some(bt);
            }
            Some(_) => return Err(raise!(TypeError, "multiple bases have instance lay-out conflict")),
        }
    }
    base.ok_or_else(|| raise!(TypeError, "bases must not be empty"))
}

/// The nearest type along `tp_base` whose instances are laid out differently from its base's
/// (CPython's `solid_base`); a class adding only `__dict__`/`__weakref__` slots keeps its
/// base's layout, as CPython 3.11's `extra_ivars` counts it.
pub fn layout_base(t: &TypeObj) -> &TypeObj {
    // SAFETY: tp_base is NULL or a live type.
    let base = match unsafe { t.slots().tp_base.as_ref() } {
        Some(_) => layout_base(unsafe { TypeObj::from_ptr(t.slots().tp_base) }),
        None => &type_::PyBaseObject_Type,
    };
    if extra_ivars(t, base) { t } else { base }
}

fn extra_ivars(t: &TypeObj, base: &TypeObj) -> bool {
    let (ts, bs) = (t.slots(), base.slots());
    let word = core::mem::size_of::<*mut PyObject>() as isize;
    let mut size = ts.tp_basicsize;
    if ts.tp_itemsize != 0 || bs.tp_itemsize != 0 {
        return size != bs.tp_basicsize || ts.tp_itemsize != bs.tp_itemsize;
    }
    let heap = t.has_flag(Py_TPFLAGS_HEAPTYPE);
    if heap && ts.tp_weaklistoffset != 0 && bs.tp_weaklistoffset == 0 && ts.tp_weaklistoffset + word == size {
        size -= word;
    }
    if heap && ts.tp_dictoffset != 0 && bs.tp_dictoffset == 0 && ts.tp_dictoffset + word == size {
        size -= word;
    }
    size != bs.tp_basicsize
}

/// `type.__new__(meta, name, bases, ns)`.
pub fn type_new(meta: &TypeObj, name: &Obj, bases: &Obj, ns: &Obj) -> PyResult<PyRef> {
    type_new_kw(meta, name, bases, ns, None)
}

/// `type.__new__(meta, name, bases, ns, **kwargs)`: the keyword arguments go to the parent's
/// `__init_subclass__`.
pub fn type_new_kw(meta: &TypeObj, name: &Obj, bases: &Obj, ns: &Obj, kwargs: Option<&Obj>) -> PyResult<PyRef> {
    if !unicode::check(name) {
        return Err(raise!(TypeError, "type.__new__() argument 1 must be str, not {}", name.ob_type().name()));
    }
    if !tuple::check(bases) {
        return Err(raise!(TypeError, "type.__new__() argument 2 must be tuple, not {}", bases.ob_type().name()));
    }
    if !dict::check(ns) {
        return Err(raise!(TypeError, "type.__new__() argument 3 must be dict, not {}", ns.ob_type().name()));
    }
    let bases = if tuple::len(bases) == 0 { tuple::new_from(&[&type_::PyBaseObject_Type]) } else { bases.new_ref() };
    let base = solid_base(&bases)?;
    let name_s = unicode::as_str(name)?.to_string();
    let slots = parse_slots(&name_s, base, ns)?;
    let t = alloc_heap_type(meta)?;
    let qualname = dict::get_item_str(ns, "__qualname__").unwrap_or_else(|| name.new_ref());
    // SAFETY: t is a fresh heap type we initialise before anyone sees it.
    unsafe {
        let h = t.as_ptr() as *mut HeapTypeObject;
        let r = &mut (*h).ht_type;
        let tpname = std::ffi::CString::new(name_s.clone()).map_err(|_| raise!(ValueError, "type name must not contain null characters"))?;
        (*h)._ht_tpname = tpname.into_raw();
        r.tp_name = (*h)._ht_tpname;
        (*h).ht_name = name.new_ref().into_raw();
        (*h).ht_qualname = qualname.into_raw();
        r.tp_base = base.new_ref().into_raw() as *mut PyTypeObject;
        r.tp_bases = bases.clone().into_raw();
        r.tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HEAPTYPE | Py_TPFLAGS_BASETYPE | Py_TPFLAGS_HAVE_GC;
        let mut size = base.slots().tp_basicsize;
        r.tp_dictoffset = base.slots().tp_dictoffset;
        r.tp_weaklistoffset = base.slots().tp_weaklistoffset;
        let word = core::mem::size_of::<*mut PyObject>() as isize;
        // `__slots__` members first (CPython's order), then `__dict__` and `__weakref__`.
        if let Some(s) = &slots {
            let mut members = SlotMembers { defs: Vec::new(), names: Vec::new() };
            for n in &s.names {
                let c = std::ffi::CString::new(n.as_str()).map_err(|_| raise!(ValueError, "embedded null character"))?;
                let flags = if base.slots().tp_itemsize != 0 { crate::objects::descr::MEMBER_AFTER_ITEMS } else { 0 };
                members.defs.push(PyMemberDef { name: c.as_ptr(), type_code: Py_T_OBJECT_EX, offset: size, flags, doc: core::ptr::null() });
                members.names.push(c);
                size += word;
            }
            (*h).ht_slots = tuple::new_from_owned(s.names.iter().map(|n| unicode::intern(n)).collect()).into_raw();
            (*h).ht_cached_keys = Box::into_raw(Box::new(members)) as *mut c_void;
        }
        let adds_dict = r.tp_dictoffset == 0 && slots.as_ref().is_none_or(|s| s.dict);
        if adds_dict {
            // After a variable-size base's items, the dict is the object's last word.
            r.tp_dictoffset = if base.slots().tp_itemsize == 0 { size } else { -word };
            size += word;
        }
        let adds_weakref = r.tp_weaklistoffset == 0 && base.slots().tp_itemsize == 0 && slots.as_ref().is_none_or(|s| s.weakref);
        if adds_weakref {
            r.tp_weaklistoffset = size;
            size += word;
        }
        r.tp_basicsize = size;
        r.tp_itemsize = base.slots().tp_itemsize;
        r.tp_dealloc = Some(subtype_dealloc);
        r.tp_traverse = Some(subtype_traverse);
        r.tp_clear = Some(subtype_clear);
        r.tp_alloc = Some(crate::alloc::generic_alloc);
        r.tp_free = Some(crate::alloc::gc_del);
        r.tp_getattro = base.slots().tp_getattro.or(Some(type_::generic_getattr));
        r.tp_setattro = base.slots().tp_setattro.or(Some(type_::generic_setattr));
        let d = dict::copy(ns)?;
        // `type(name, bases, ns)` called from code: `__module__` is the caller's module
        // (CPython's `type_new_set_module`); a class statement's body has set it already.
        if dict::get_item_str(&d, "__module__").is_none()
            && let Some(m) = crate::interp::with_current_frame(|f| dict::get_item_str(&f.globals, "__name__")).flatten()
        {
            dict::set_item_str(&d, "__module__", &m)?;
        }
        let _ = dict::del_item(&d, &unicode::new("__qualname__"));
        // The `__class__` cell of the class body's methods now holds the class.
        if let Some(cell) = dict::get_item_str(&d, "__classcell__") {
            if !cell.is_exact(&function::PyCell_Type) {
                return Err(raise!(TypeError, "__classcell__ must be a nonlocal cell, not {}", unicode::as_str_lossy(&*abstract_::repr(&cell.ob_type())?)));
            }
            function::cell_set(&cell, Some(t.clone()));
            let _ = dict::del_item(&d, &unicode::new("__classcell__"));
        }
        // The `__classdict__` cell of annotation and PEP 695 scopes now sees the class's dict.
        if let Some(cell) = dict::get_item_str(&d, "__classdictcell__") {
            if cell.is_exact(&function::PyCell_Type) {
                function::cell_set(&cell, Some(d.clone()));
            }
            let _ = dict::del_item(&d, &unicode::new("__classdictcell__"));
        }
        // `__new__` is a static method; `__init_subclass__` and `__class_getitem__` class methods.
        if let Some(f) = dict::get_item_str(&d, "__new__").filter(|f| function::check(f)) {
            dict::set_item_str(&d, "__new__", &*new_wrapper(&PyStaticMethod_Type, &f)?)?;
        }
        for key in ["__init_subclass__", "__class_getitem__"] {
            if let Some(f) = dict::get_item_str(&d, key).filter(|f| function::check(f)) {
                dict::set_item_str(&d, key, &*new_wrapper(&PyClassMethod_Type, &f)?)?;
            }
        }
        if let Some(m) = ((*h).ht_cached_keys as *mut SlotMembers).as_mut() {
            let owner = TypeObj::from_ptr(t.as_ptr() as *mut PyTypeObject);
            for (def, n) in m.defs.iter_mut().zip(&slots.as_ref().unwrap().names) {
                let descr = crate::objects::descr::new_member_descriptor(owner, def)?;
                dict::set_item(&d, &unicode::intern(n), &descr)?;
            }
        }
        if adds_dict && dict::get_item_str(&d, "__dict__").is_none() {
            let owner = TypeObj::from_ptr(t.as_ptr() as *mut PyTypeObject);
            let descr = crate::objects::descr::new_getset_descriptor(owner, INSTANCE_DICT_GETSET.0.get() as *mut PyGetSetDef)?;
            dict::set_item_str(&d, "__dict__", &descr)?;
        }
        if adds_weakref && dict::get_item_str(&d, "__weakref__").is_none() {
            let owner = TypeObj::from_ptr(t.as_ptr() as *mut PyTypeObject);
            let descr = crate::objects::descr::new_getset_descriptor(owner, INSTANCE_WEAKREF_GETSET.0.get() as *mut PyGetSetDef)?;
            dict::set_item_str(&d, "__weakref__", &descr)?;
        }
        r.tp_dict = d.into_raw();
        let tobj = TypeObj::from_ptr(t.as_ptr() as *mut PyTypeObject);
        type_::ready(tobj)?;
        // `__new__` defined here, or by a class on the MRO ahead of the solid base's (a
        // `class C(A, B)` whose `B` defines it in Python): dispatch through the MRO.
        let inherited_py_new = || tobj.lookup_str("__new__").is_some_and(|f| f.is_instance_of(&PyStaticMethod_Type));
        if dict::get_item_str(tobj.dict().unwrap(), "__new__").is_some() || inherited_py_new() {
            r.tp_new = Some(slot_tp_new);
        }
        crate::objects::slotdefs::update_slots(tobj);
        set_names_and_init_subclass(tobj, kwargs)?;
    }
    Ok(t)
}

/// A class's `__slots__`: the member names (mangled, sorted, as CPython lays them out) and
/// whether `__dict__` / `__weakref__` were asked for.
struct Slots {
    names: Vec<String>,
    dict: bool,
    weakref: bool,
}

/// The member definitions behind a class's `__slots__` descriptors; owned by the type
/// (through `ht_cached_keys`, which Pyrite does not otherwise use) and freed with it.
pub struct SlotMembers {
    pub defs: Vec<PyMemberDef>,
    pub names: Vec<std::ffi::CString>,
}

/// `_Py_Mangle` for a private name inside class `class_name`.
fn mangle(class_name: &str, name: &str) -> String {
    if !name.starts_with("__") || name.ends_with("__") || name.contains('.') {
        return name.to_string();
    }
    let stripped = class_name.trim_start_matches('_');
    if stripped.is_empty() {
        return name.to_string();
    }
    format!("_{stripped}{name}")
}

fn parse_slots(class_name: &str, base: &TypeObj, ns: &Obj) -> PyResult<Option<Slots>> {
    let Some(spec) = dict::get_item_str(ns, "__slots__") else { return Ok(None) };
    let items: Vec<PyRef> = if unicode::check(&spec) { vec![spec.clone()] } else { crate::objects::iterobject::collect(&spec)? };
    let mut out = Slots { names: Vec::new(), dict: false, weakref: false };
    for it in &items {
        if !unicode::check(it) {
            return Err(raise!(TypeError, "__slots__ items must be strings, not '{}'", it.ob_type().name()));
        }
        let s = unicode::as_str(it)?;
        let ident = s.chars().next().is_some_and(|c| c == '_' || c.is_alphabetic()) && s.chars().all(|c| c == '_' || c.is_alphanumeric());
        if !ident {
            return Err(raise!(TypeError, "__slots__ must be identifiers"));
        }
        match s {
            "__dict__" => {
                if out.dict || base.slots().tp_dictoffset != 0 {
                    return Err(raise!(TypeError, "__dict__ slot disallowed: we already got one"));
                }
                out.dict = true;
            }
            "__weakref__" => {
                if out.weakref || base.slots().tp_weaklistoffset != 0 {
                    return Err(raise!(TypeError, "__weakref__ slot disallowed: we already got one"));
                }
                out.weakref = true;
            }
            _ => {
                let m = mangle(class_name, s);
                if dict::get_item_str(ns, &m).is_some() {
                    return Err(raise!(ValueError, "'{}' in __slots__ conflicts with class variable", s));
                }
                out.names.push(m);
            }
        }
    }
    // Named slots of a variable-size type follow its items; CPython 3.15 allows that for
    // `tuple` subclasses only.
    if !out.names.is_empty() && base.slots().tp_itemsize != 0 && !base.is_subtype(&crate::objects::tuple::PyTuple_Type) {
        return Err(raise!(TypeError, "arbitrary __slots__ not supported for subtype of '{}'", base.name()));
    }
    out.names.sort();
    Ok(Some(out))
}

/// Releases what an instance holds in the `__slots__` members of heap type `t`.
///
/// # Safety
/// `o` is an instance of `t` being deallocated.
unsafe fn clear_slots(t: *mut PyTypeObject, o: *mut PyObject) {
    // SAFETY: guaranteed by the caller; heap types own their member table.
    unsafe {
        let h = t as *mut HeapTypeObject;
        if let Some(m) = ((*h).ht_cached_keys as *const SlotMembers).as_ref() {
            // As CPython: writable object members (all of a class's `__slots__`; those of a
            // type made from a spec that uses this deallocator).
            for d in m.defs.iter().filter(|d| !d.name.is_null() && d.type_code == Py_T_OBJECT_EX && d.flags & Py_READONLY == 0) {
                let p = (o as *mut u8).add(crate::objects::descr::member_offset(o, d)) as *mut *mut PyObject;
                crate::object::xdecref(core::mem::replace(&mut *p, null_mut()));
            }
        }
    }
}

/// The `__slots__` member words of heap type `t` in instance `o` that hold references.
///
/// # Safety
/// `o` is a live instance of `t`.
unsafe fn slot_words(t: *mut PyTypeObject, o: *mut PyObject, mut f: impl FnMut(*mut *mut PyObject) -> c_int) -> c_int {
    // SAFETY: guaranteed by the caller; heap types own their member table.
    unsafe {
        let h = t as *mut HeapTypeObject;
        if let Some(m) = ((*h).ht_cached_keys as *const SlotMembers).as_ref() {
            for d in m.defs.iter().filter(|d| !d.name.is_null() && d.type_code == Py_T_OBJECT_EX && d.flags & Py_READONLY == 0) {
                let r = f((o as *mut u8).add(crate::objects::descr::member_offset(o, d)) as *mut *mut PyObject);
                if r != 0 {
                    return r;
                }
            }
        }
        0
    }
}

/// The nearest base of `o`'s type whose slot `get` is not `ours`, with `f` called for each
/// class on the way (CPython's walk in `subtype_traverse`/`subtype_clear`).
///
/// # Safety
/// `o` is a live instance of a heap type.
unsafe fn nearest_other<F: Copy + PartialEq>(o: *mut PyObject, get: impl Fn(*mut PyTypeObject) -> Option<F>, ours: F, mut f: impl FnMut(*mut PyTypeObject) -> c_int) -> Result<*mut PyTypeObject, c_int> {
    // SAFETY: guaranteed by the caller; the base chain of a heap type ends in a static type.
    unsafe {
        let mut base = (*o).ob_type;
        while get(base) == Some(ours) {
            let r = f(base);
            if r != 0 {
                return Err(r);
            }
            base = (*base).tp_base;
        }
        Ok(base)
    }
}

/// `tp_traverse` of classes defined in Python: the `__slots__` members of each such class,
/// the instance dict the class added, the class itself (instances own a reference to a heap
/// type, unless a heap base's own traverse visits it), then the nearest other base's traverse.
pub unsafe extern "C" fn subtype_traverse(o: *mut PyObject, visit: visitproc, a: *mut c_void) -> c_int {
    // SAFETY: a live instance of a heap type.
    unsafe {
        let Some(visit_fn) = visit else { return 0 };
        let ty = (*o).ob_type;
        let base = match nearest_other(o, |t| (*t).tp_traverse, subtype_traverse as unsafe extern "C" fn(_, _, _) -> _, |t| {
            slot_words(t, o, |w| if (*w).is_null() { 0 } else { visit_fn(*w, a) })
        }) {
            Ok(b) => b,
            Err(r) => return r,
        };
        if (*ty).tp_dictoffset != (*base).tp_dictoffset
            && let Some(slot) = type_::instance_dict_slot(arg(o))
            && !(*slot).is_null()
        {
            let r = visit_fn(*slot, a);
            if r != 0 {
                return r;
            }
        }
        let base_traverse = (*base).tp_traverse;
        if base_traverse.is_none() || (*base).tp_flags & Py_TPFLAGS_HEAPTYPE == 0 {
            let r = visit_fn(ty as *mut PyObject, a);
            if r != 0 {
                return r;
            }
        }
        match base_traverse {
            Some(f) => f(o, visit, a),
            None => 0,
        }
    }
}

/// `tp_clear` of classes defined in Python: drops the `__slots__` members and the instance
/// dict, then runs the nearest other base's clear.
pub unsafe extern "C" fn subtype_clear(o: *mut PyObject) -> c_int {
    // SAFETY: a live instance of a heap type.
    unsafe {
        let ty = (*o).ob_type;
        let Ok(base) = nearest_other(o, |t| (*t).tp_clear, subtype_clear as unsafe extern "C" fn(_) -> _, |t| {
            slot_words(t, o, |w| {
                crate::object::xdecref(core::mem::replace(&mut *w, null_mut()));
                0
            })
        }) else {
            return 0;
        };
        if (*ty).tp_dictoffset != (*base).tp_dictoffset
            && let Some(slot) = type_::instance_dict_slot(arg(o))
        {
            crate::object::xdecref(core::mem::replace(&mut *slot, null_mut()));
        }
        match (*base).tp_clear {
            Some(f) => f(o),
            None => 0,
        }
    }
}

static INSTANCE_WEAKREF_GETSET: crate::object::StaticObject<PyGetSetDef> = crate::object::StaticObject::new(PyGetSetDef {
    name: c"__weakref__".as_ptr(),
    get: Some(instance_get_weakref),
    set: None,
    doc: c"list of weak references to the object".as_ptr(),
    closure: null_mut(),
});

/// `obj.__weakref__`: the first weak reference to the instance, or None.
unsafe extern "C" fn instance_get_weakref(o: *mut PyObject, _: *mut c_void) -> *mut PyObject {
    // SAFETY: a live instance of a class with a weak reference list.
    unsafe {
        let off = (*(*o).ob_type).tp_weaklistoffset;
        let head = if off > 0 { *((o as *mut u8).add(off as usize) as *mut *mut PyObject) } else { null_mut() };
        if head.is_null() { crate::objects::none::none().into_raw() } else { arg(head).new_ref().into_raw() }
    }
}

static INSTANCE_DICT_GETSET: crate::object::StaticObject<PyGetSetDef> = crate::object::StaticObject::new(PyGetSetDef {
    name: c"__dict__".as_ptr(),
    get: Some(instance_get_dict),
    set: Some(instance_set_dict),
    doc: c"dictionary for instance variables".as_ptr(),
    closure: null_mut(),
});

/// `obj.__dict__` of a class instance (created on first use, as CPython does).
pub unsafe extern "C" fn instance_get_dict(o: *mut PyObject, _: *mut c_void) -> *mut PyObject {
    // SAFETY: live instance of a type with a dict slot.
    unsafe {
        let Some(slot) = type_::instance_dict_slot(arg(o)) else {
            return ret_obj(Err(raise!(AttributeError, "This object has no __dict__")));
        };
        if (*slot).is_null() {
            *slot = dict::new().into_raw();
        }
        arg(*slot).new_ref().into_raw()
    }
}

pub unsafe extern "C" fn instance_set_dict(o: *mut PyObject, v: *mut PyObject, _: *mut c_void) -> core::ffi::c_int {
    // SAFETY: live arguments.
    unsafe {
        let r = (|| {
            let Some(v) = opt_arg(v) else { return Err(raise!(TypeError, "cannot delete __dict__")) };
            if !dict::check(v) {
                return Err(raise!(TypeError, "__dict__ must be set to a dictionary, not a '{}'", v.ob_type().name()));
            }
            let slot = type_::instance_dict_slot(arg(o)).ok_or_else(|| raise!(AttributeError, "This object has no __dict__"))?;
            crate::object::xdecref(core::mem::replace(&mut *slot, v.new_ref().into_raw()));
            Ok(0)
        })();
        crate::slot::ret_int(r)
    }
}

/// Calls `__set_name__` on descriptors in the new class, then the parent's
/// `__init_subclass__` (PEP 487).
fn set_names_and_init_subclass(t: &TypeObj, kwargs: Option<&Obj>) -> PyResult<()> {
    for (k, v) in dict::items_vec(t.dict().unwrap()) {
        if let Some(sn) = v.ob_type().lookup_str("__set_name__").map(Obj::new_ref) {
            let bound = abstract_::getattr_str(&v, "__set_name__")?;
            let _ = sn;
            abstract_::call(&bound, &tuple::new_from(&[t, &k]), None)?;
        }
    }
    // super(t, t).__init_subclass__()
    let s = call_super(t, t)?;
    let f = abstract_::getattr_str(&s, "__init_subclass__")?;
    match kwargs.filter(|k| dict::len(k) > 0) {
        Some(kw) => abstract_::call(&f, &tuple::empty(), Some(kw))?,
        None => abstract_::call_no_args(&f)?,
    };
    Ok(())
}

fn call_super(t: &TypeObj, o: &Obj) -> PyResult<PyRef> {
    abstract_::call(&PySuper_Type, &tuple::new_from(&[t, o]), None)
}

/// `tp_new` of a class defining `__new__`: calls it as `__new__(cls, *args, **kwargs)`.
pub unsafe extern "C" fn slot_tp_new(t: *mut PyTypeObject, args: *mut PyObject, kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: tp_new contract.
    unsafe {
        let t = TypeObj::from_ptr(t);
        let r = (|| {
            let f = abstract_::getattr_str(t, "__new__")?;
            let mut items: Vec<&Obj> = vec![t];
            items.extend(tuple::items(arg(args)).iter().copied());
            abstract_::call(&f, &tuple::new_from(&items), opt_arg(kw))
        })();
        ret_obj(r)
    }
}

/// Runs the class's `__del__` on a live instance, once per object (PEP 442: the collector
/// and deallocation share the finalized mark). Errors are reported as unraisable and the
/// current exception is kept, as CPython's `PyObject_CallFinalizer` does. False when there
/// was nothing to run.
///
/// # Safety
/// `o` is a live instance of a heap type, with a reference held by the caller.
pub unsafe fn run_del(o: *mut PyObject) -> bool {
    // SAFETY: guaranteed by the caller.
    unsafe {
        if crate::alloc::gc_is_finalized(o) {
            return false;
        }
        let ty = TypeObj::from_ptr((*o).ob_type);
        let Some(del) = ty.lookup_str("__del__").map(Obj::new_ref) else { return false };
        crate::alloc::gc_set_finalized(o, true);
        let me = Obj::from_ptr(o);
        // An exception being raised may be what dropped the object: it stays pending.
        let pending = crate::err::PyErr::take();
        let r = match del.ob_type().slots().tp_descr_get {
            Some(get) => crate::slot::from_new(get(del.as_ptr(), o, ty.as_ptr())).and_then(|m| abstract_::call_no_args(&m)),
            None => abstract_::call(&del, &tuple::new_from(&[me]), None),
        };
        if let Err(e) = r {
            let what = abstract_::repr(&del).map(|s| unicode::as_str_lossy(&s).into_owned()).unwrap_or_default();
            crate::traceback::write_unraisable(&format!("Exception ignored while calling deallocator {what}"), &e);
        }
        if let Some(e) = pending {
            e.restore();
        }
        true
    }
}

/// Runs `__del__` on a dying instance (finalization from dealloc): the object is revived for
/// the call; false if the call resurrected it (then it lives on).
///
/// # Safety
/// `o` is an instance of a heap type whose count just reached zero.
unsafe fn call_del(o: *mut PyObject) -> bool {
    // SAFETY: guaranteed by the caller.
    unsafe {
        if crate::alloc::gc_is_finalized(o) || TypeObj::from_ptr((*o).ob_type).lookup_str("__del__").is_none() {
            return true;
        }
        (*o).ob_refcnt = 1;
        run_del(o);
        // Drop the revival reference without deallocating again.
        (*o).ob_refcnt -= 1;
        (*o).ob_refcnt == 0
    }
}

/// `tp_dealloc` of classes defined in Python: clear the instance dict, run the nearest
/// built-in base's deallocation, then release the reference the instance held on its type.
pub unsafe extern "C" fn subtype_dealloc(o: *mut PyObject) {
    // SAFETY: a dead instance of a heap type.
    unsafe {
        if !call_del(o) {
            return;
        }
        let ty = (*o).ob_type;
        let off = (*ty).tp_dictoffset;
        let mut base = ty;
        while (*base).tp_flags & Py_TPFLAGS_HEAPTYPE != 0
            && (*base).tp_dealloc.is_some_and(|d| type_::is_slot(d, subtype_dealloc as unsafe extern "C" fn(_)))
        {
            base = (*base).tp_base;
        }
        // Weak references die first if this class added the list (CPython clears them
        // after the finalizer and before the slots).
        if (*ty).tp_weaklistoffset > 0 && (*base).tp_weaklistoffset == 0 {
            crate::objects::weakref::clear_weakrefs(o);
        }
        let mut t = ty;
        while t != base {
            clear_slots(t, o);
            t = (*t).tp_base;
        }
        if off != 0 && (*base).tp_dictoffset != off {
            if let Some(slot) = type_::instance_dict_slot(arg(o)) {
                let d = core::mem::replace(&mut *slot, null_mut());
                crate::object::xdecref(d);
            }
        }
        // A static base's deallocation leaves the type alone; a heap base's (an extension
        // type following CPython's rules) releases it itself.
        let base_is_heap = (*base).tp_flags & Py_TPFLAGS_HEAPTYPE != 0;
        match (*base).tp_dealloc {
            Some(f) => f(o),
            None => crate::alloc::free_object(o),
        }
        if !base_is_heap {
            crate::object::decref(ty as *mut PyObject);
        }
    }
}

// ---- __build_class__ ------------------------------------------------------------------------

/// `__build_class__(func, name, *bases, metaclass=None, **kwds)`: runs the class body in a
/// fresh namespace and calls the metaclass.
pub unsafe extern "C" fn build_class(_m: *mut PyObject, p: *const *mut PyObject, n: Py_ssize_t, kwnames: *mut PyObject) -> *mut PyObject {
    // SAFETY: METH_FASTCALL|METH_KEYWORDS contract.
    let r = unsafe {
        (|| -> PyResult<PyRef> {
            if n < 2 {
                return Err(raise!(TypeError, "__build_class__: not enough arguments"));
            }
            let func = arg(*p);
            let name = arg(*p.add(1));
            if !function::check(func) {
                return Err(raise!(TypeError, "__build_class__: func must be a function"));
            }
            let orig_bases: Vec<&Obj> = (2..n as usize).map(|i| arg(*p.add(i))).collect();
            let orig_bases_t = tuple::new_from(&orig_bases);
            // PEP 560: a base that is not a class names its replacements (`__mro_entries__`).
            let mut replaced: Vec<PyRef> = Vec::new();
            let mut changed = false;
            for b in &orig_bases {
                if TypeObj::downcast(b).is_none() {
                    if let Some(me) = abstract_::lookup_attr(b, "__mro_entries__")? {
                        let r = abstract_::call_one_arg(&me, &orig_bases_t)?;
                        if !tuple::check(&r) {
                            return Err(raise!(TypeError, "__mro_entries__ must return a tuple"));
                        }
                        replaced.extend(tuple::items(&r).iter().map(|x| x.new_ref()));
                        changed = true;
                        continue;
                    }
                }
                replaced.push(b.new_ref());
            }
            let bases: Vec<&Obj> = replaced.iter().map(|b| &**b).collect();
            let bases_t = if changed { tuple::new_from(&bases) } else { orig_bases_t.clone() };
            let mut meta: Option<PyRef> = None;
            let kwargs = dict::new();
            if let Some(k) = opt_arg(kwnames) {
                for (i, key) in tuple::items(k).iter().enumerate() {
                    let v = arg(*p.add(n as usize + i));
                    if unicode::eq_str(key, "metaclass") {
                        meta = Some(v.new_ref());
                    } else {
                        dict::set_item(&kwargs, key, v)?;
                    }
                }
            }
            let meta = match meta {
                Some(m) => m,
                None => match bases.first() {
                    Some(b) => b.ob_type().new_ref(),
                    None => type_::PyType_Type.new_ref(),
                },
            };
            // The most derived metaclass among the bases'.
            let mut winner = meta;
            if let Some(w) = TypeObj::downcast(&winner) {
                let mut best: &TypeObj = w;
                for b in &bases {
                    let bt = b.ob_type();
                    if bt.is_subtype(best) {
                        best = bt;
                    } else if !best.is_subtype(bt) {
                        return Err(raise!(
                            TypeError,
                            "metaclass conflict: the metaclass of a derived class must be a (non-strict) subclass of the metaclasses of all its bases"
                        ));
                    }
                }
                winner = best.new_ref();
            }
            let ns = match abstract_::getattr_str(&winner, "__prepare__") {
                Ok(prep) => abstract_::call(&prep, &tuple::new_from(&[name, &bases_t]), Some(&kwargs))?,
                Err(_) => dict::new(),
            };
            let code = function::code_of(func).new_ref();
            let globals = arg((*function::raw(func)).globals).new_ref();
            let frame = crate::interp::Frame::new(code, globals.clone(), crate::interp::builtins_of(&globals)?, Some(ns.clone()), Some(func.new_ref()));
            crate::interp::eval(frame)?;
            // The body's `__class__` cell (CPython's class body returns it), which the
            // metaclass must pass on to `type.__new__`.
            let body_cell = dict::get_item_str(&ns, "__classcell__").filter(|c| c.is_exact(&function::PyCell_Type));
            if changed {
                abstract_::setitem(&ns, &unicode::new("__orig_bases__"), Some(&orig_bases_t))?;
            }
            let cls = abstract_::call(&winner, &tuple::new_from(&[name, &bases_t, &ns]), Some(&kwargs))?;
            if let Some(cell) = body_cell.filter(|_| TypeObj::downcast(&cls).is_some()) {
                match function::cell_get(&cell) {
                    Some(c) if c.is(&cls) => {}
                    None => {
                        return Err(raise!(
                            RuntimeError,
                            "__class__ not set defining {} as {}. Was __classcell__ propagated to type.__new__?",
                            unicode::as_str_lossy(&*abstract_::repr(name)?),
                            unicode::as_str_lossy(&*abstract_::repr(&cls)?)
                        ));
                    }
                    Some(c) => {
                        return Err(raise!(
                            TypeError,
                            "__class__ set to {} defining {} as {}",
                            unicode::as_str_lossy(&*abstract_::repr(c)?),
                            unicode::as_str_lossy(&*abstract_::repr(name)?),
                            unicode::as_str_lossy(&*abstract_::repr(&cls)?)
                        ));
                    }
                }
            }
            Ok(cls)
        })()
    };
    ret_obj(r)
}

// ---- super ----------------------------------------------------------------------------------

#[repr(C)]
pub struct SuperObject {
    pub ob_base: PyObject,
    pub type_: *mut PyObject,
    pub obj: *mut PyObject,
    pub obj_type: *mut PyObject,
}

static_type!(PySuper_Type, c"super", core::mem::size_of::<SuperObject>(), {
    tp_flags: BUILTIN_BASETYPE_FLAGS | Py_TPFLAGS_HAVE_GC,
    tp_dealloc: Some(super_dealloc),
    tp_traverse: Some(super_traverse),
    tp_getattro: Some(super_getattro),
    tp_init: Some(super_init),
    tp_alloc: Some(crate::alloc::generic_alloc),
    tp_new: Some(type_::object_new),
    tp_free: Some(crate::alloc::gc_del),
    tp_doc: c"super() -> same as super(__class__, <first argument>)".as_ptr(),
});

unsafe extern "C" fn super_init(o: *mut PyObject, args: *mut PyObject, _kw: *mut PyObject) -> c_int {
    // SAFETY: tp_init contract.
    unsafe {
        let items = tuple::items(arg(args));
        if items.len() != 2 {
            return ret_int(Err(raise!(RuntimeError, "super(): no arguments (Pyrite's compiler passes __class__ and self explicitly)")));
        }
        let (t, obj) = (items[0], items[1]);
        let Some(tt) = TypeObj::downcast(t) else {
            return ret_int(Err(raise!(TypeError, "super() argument 1 must be a type, not {}", t.ob_type().name())));
        };
        let obj_type: &TypeObj = match TypeObj::downcast(obj) {
            Some(ot) if ot.is_subtype(tt) => ot,
            _ if obj.is_instance_of(tt) => obj.ob_type(),
            _ => {
                let (what, of) = match TypeObj::downcast(obj) {
                    Some(ot) => ("type", ot.name()),
                    None => ("instance of", obj.ob_type().name()),
                };
                return ret_int(Err(raise!(
                    TypeError,
                    "super(type, obj): obj ({what} {of}) is not an instance or subtype of type ({}).",
                    tt.name()
                )));
            }
        };
        let s = o as *mut SuperObject;
        (*s).type_ = t.new_ref().into_raw();
        (*s).obj = obj.new_ref().into_raw();
        (*s).obj_type = obj_type.new_ref().into_raw();
    }
    0
}

unsafe extern "C" fn super_getattro(o: *mut PyObject, name: *mut PyObject) -> *mut PyObject {
    // SAFETY: live super object.
    unsafe {
        let s = o as *mut SuperObject;
        let name_o = arg(name);
        if (*s).obj_type.is_null() || unicode::eq_str(name_o, "__class__") {
            return type_::generic_getattr(o, name);
        }
        let start = arg((*s).type_).as_ptr();
        let obj_type = TypeObj::from_ptr((*s).obj_type as *mut PyTypeObject);
        // A class still being readied (a metaclass's `mro()` is running) has no MRO yet:
        // only the super object's own attributes, as in CPython.
        if obj_type.slots().tp_mro.is_null() {
            return type_::generic_getattr(o, name);
        }
        let mro = tuple::items(arg(obj_type.slots().tp_mro));
        let after = mro.iter().position(|t| t.as_ptr() == start).map_or(mro.len(), |i| i + 1);
        for t in &mro[after..] {
            let tt = TypeObj::from_ptr(t.as_ptr() as *mut PyTypeObject);
            if let Some(v) = tt.dict().and_then(|d| dict::get_item_borrowed(d, name_o)).map(Obj::new_ref) {
                if let Some(get) = v.ob_type().slots().tp_descr_get {
                    let inst = if (*s).obj == obj_type.as_ptr() { null_mut() } else { (*s).obj };
                    return get(v.as_ptr(), inst, obj_type.as_ptr());
                }
                return v.into_raw();
            }
        }
        type_::generic_getattr(o, name)
    }
}

unsafe extern "C" fn super_dealloc(o: *mut PyObject) {
    // SAFETY: a dead super object.
    unsafe {
        let s = o as *mut SuperObject;
        crate::object::xdecref((*s).type_);
        crate::object::xdecref((*s).obj);
        crate::object::xdecref((*s).obj_type);
        crate::alloc::gc_del(o as *mut c_void);
    }
}

// ---- staticmethod / classmethod / property --------------------------------------------------

#[repr(C)]
pub struct WrapperObject {
    pub ob_base: PyObject,
    pub callable: *mut PyObject,
    pub dict: *mut PyObject,
}

static_type!(PyStaticMethod_Type, c"staticmethod", core::mem::size_of::<WrapperObject>(), {
    tp_flags: BUILTIN_BASETYPE_FLAGS | Py_TPFLAGS_HAVE_GC,
    tp_dealloc: Some(wrapper_obj_dealloc),
    tp_traverse: Some(wrapper_obj_traverse),
    tp_clear: Some(wrapper_obj_clear),
    tp_descr_get: Some(staticmethod_get),
    tp_init: Some(wrapper_obj_init),
    tp_alloc: Some(crate::alloc::generic_alloc),
    tp_new: Some(type_::object_new),
    tp_free: Some(crate::alloc::gc_del),
    tp_dictoffset: core::mem::offset_of!(WrapperObject, dict) as isize,
    tp_getset: WRAPPER_GETSET.0.get() as *mut PyGetSetDef,
});

static_type!(PyClassMethod_Type, c"classmethod", core::mem::size_of::<WrapperObject>(), {
    tp_flags: BUILTIN_BASETYPE_FLAGS | Py_TPFLAGS_HAVE_GC,
    tp_dealloc: Some(wrapper_obj_dealloc),
    tp_traverse: Some(wrapper_obj_traverse),
    tp_clear: Some(wrapper_obj_clear),
    tp_descr_get: Some(classmethod_get),
    tp_init: Some(wrapper_obj_init),
    tp_alloc: Some(crate::alloc::generic_alloc),
    tp_new: Some(type_::object_new),
    tp_free: Some(crate::alloc::gc_del),
    tp_dictoffset: core::mem::offset_of!(WrapperObject, dict) as isize,
    tp_getset: WRAPPER_GETSET.0.get() as *mut PyGetSetDef,
});

static WRAPPER_GETSET: StaticTable<PyGetSetDef, 3> = StaticTable(core::cell::UnsafeCell::new([
    getset(c"__func__", Some(wrapper_get_func), None),
    getset(c"__isabstractmethod__", Some(wrapper_get_isabstract), None),
    GETSET_END,
]));

/// Whether any of `fs` has a true `__isabstractmethod__` (abc's test of a descriptor).
fn any_abstract(fs: &[*mut PyObject]) -> PyResult<bool> {
    for &f in fs {
        // SAFETY: NULL or a live object owned by the descriptor.
        if let Some(f) = unsafe { opt_arg(f) } {
            if let Some(v) = abstract_::lookup_attr(f, "__isabstractmethod__")? {
                if abstract_::is_true(&v)? {
                    return Ok(true);
                }
            }
        }
    }
    Ok(false)
}

unsafe extern "C" fn wrapper_get_isabstract(o: *mut PyObject, _: *mut c_void) -> *mut PyObject {
    // SAFETY: live wrapper object.
    let c = unsafe { (*(o as *mut WrapperObject)).callable };
    ret_obj(any_abstract(&[c]).map(crate::objects::bool_::new))
}

unsafe extern "C" fn property_get_isabstract(o: *mut PyObject, _: *mut c_void) -> *mut PyObject {
    // SAFETY: live property object.
    let p = o as *mut PropertyObject;
    ret_obj(unsafe { any_abstract(&[(*p).fget, (*p).fset, (*p).fdel]) }.map(crate::objects::bool_::new))
}

static PROPERTY_GETSET: StaticTable<PyGetSetDef, 2> =
    StaticTable(core::cell::UnsafeCell::new([getset(c"__isabstractmethod__", Some(property_get_isabstract), None), GETSET_END]));

fn new_wrapper(t: &TypeObj, f: &Obj) -> PyResult<PyRef> {
    abstract_::call(t, &tuple::new_from(&[f]), None)
}

unsafe extern "C" fn wrapper_obj_init(o: *mut PyObject, args: *mut PyObject, _kw: *mut PyObject) -> c_int {
    // SAFETY: tp_init contract.
    unsafe {
        let items = tuple::items(arg(args));
        if items.len() != 1 {
            return ret_int(Err(raise!(TypeError, "{} expected 1 argument, got {}", arg(o).ob_type().name(), items.len())));
        }
        let w = o as *mut WrapperObject;
        let old = core::mem::replace(&mut (*w).callable, items[0].new_ref().into_raw());
        crate::object::xdecref(old);
    }
    0
}

unsafe extern "C" fn wrapper_obj_dealloc(o: *mut PyObject) {
    // SAFETY: a dead wrapper object.
    unsafe {
        let w = o as *mut WrapperObject;
        crate::object::xdecref((*w).callable);
        crate::object::xdecref((*w).dict);
        crate::alloc::gc_del(o as *mut c_void);
    }
}

unsafe extern "C" fn wrapper_get_func(o: *mut PyObject, _: *mut c_void) -> *mut PyObject {
    // SAFETY: live wrapper object.
    let c = unsafe { (*(o as *mut WrapperObject)).callable };
    if c.is_null() { none::none().into_raw() } else { unsafe { arg(c) }.new_ref().into_raw() }
}

unsafe extern "C" fn staticmethod_get(o: *mut PyObject, _obj: *mut PyObject, _t: *mut PyObject) -> *mut PyObject {
    // SAFETY: live staticmethod object.
    unsafe { wrapper_get_func(o, null_mut()) }
}

unsafe extern "C" fn classmethod_get(o: *mut PyObject, obj: *mut PyObject, t: *mut PyObject) -> *mut PyObject {
    // SAFETY: live arguments.
    unsafe {
        let c = (*(o as *mut WrapperObject)).callable;
        let cls = match opt_arg(t) {
            Some(t) => t,
            None => arg(obj).ob_type(),
        };
        function::new_method(arg(c), cls).into_raw()
    }
}

#[repr(C)]
pub struct PropertyObject {
    pub ob_base: PyObject,
    pub fget: *mut PyObject,
    pub fset: *mut PyObject,
    pub fdel: *mut PyObject,
    pub doc: *mut PyObject,
    pub name: *mut PyObject,
}

static_type!(PyProperty_Type, c"property", core::mem::size_of::<PropertyObject>(), {
    tp_flags: BUILTIN_BASETYPE_FLAGS | Py_TPFLAGS_HAVE_GC,
    tp_dealloc: Some(property_dealloc),
    tp_traverse: Some(property_traverse),
    tp_clear: Some(property_clear),
    tp_descr_get: Some(property_get),
    tp_descr_set: Some(property_set),
    tp_init: Some(property_init),
    tp_alloc: Some(crate::alloc::generic_alloc),
    tp_new: Some(type_::object_new),
    tp_free: Some(crate::alloc::gc_del),
    tp_methods: PROPERTY_METHODS.0.get() as *mut PyMethodDef,
    tp_getset: PROPERTY_GETSET.0.get() as *mut PyGetSetDef,
    tp_members: PROPERTY_MEMBERS.0.get() as *mut PyMemberDef,
});

const fn property_member(name: &'static core::ffi::CStr, offset: usize, flags: c_int) -> PyMemberDef {
    PyMemberDef { name: name.as_ptr(), type_code: _Py_T_OBJECT, offset: offset as Py_ssize_t, flags, doc: core::ptr::null() }
}

/// `fget`/`fset`/`fdel` are read-only; `__doc__` may be replaced (namedtuple does).
static PROPERTY_MEMBERS: StaticTable<PyMemberDef, 5> = StaticTable(core::cell::UnsafeCell::new([
    property_member(c"fget", core::mem::offset_of!(PropertyObject, fget), Py_READONLY),
    property_member(c"fset", core::mem::offset_of!(PropertyObject, fset), Py_READONLY),
    property_member(c"fdel", core::mem::offset_of!(PropertyObject, fdel), Py_READONLY),
    property_member(c"__doc__", core::mem::offset_of!(PropertyObject, doc), 0),
    PyMemberDef { name: core::ptr::null(), type_code: 0, offset: 0, flags: 0, doc: core::ptr::null() },
]));

unsafe extern "C" fn property_init(o: *mut PyObject, args: *mut PyObject, kw: *mut PyObject) -> c_int {
    // SAFETY: tp_init contract.
    unsafe {
        let p = o as *mut PropertyObject;
        let items = tuple::items(arg(args));
        let mut vals: [*mut PyObject; 4] = [null_mut(); 4];
        for (i, v) in items.iter().take(4).enumerate() {
            vals[i] = v.as_ptr();
        }
        if let Some(k) = opt_arg(kw) {
            for (key, v) in dict::items_vec(k) {
                let idx = ["fget", "fset", "fdel", "doc"].iter().position(|n| unicode::eq_str(&key, n));
                match idx {
                    Some(i) => vals[i] = v.as_ptr(),
                    None => return ret_int(Err(raise!(TypeError, "property() got an unexpected keyword argument '{}'", unicode::as_str_lossy(&key)))),
                }
            }
        }
        for (i, slot) in [&raw mut (*p).fget, &raw mut (*p).fset, &raw mut (*p).fdel, &raw mut (*p).doc].into_iter().enumerate() {
            let v = opt_arg(vals[i]).filter(|v| !v.is(none::none_obj())).map_or(null_mut(), |v| v.new_ref().into_raw());
            let old = core::mem::replace(&mut *slot, v);
            crate::object::xdecref(old);
        }
    }
    0
}

unsafe extern "C" fn property_get(o: *mut PyObject, obj: *mut PyObject, _t: *mut PyObject) -> *mut PyObject {
    // SAFETY: live arguments.
    unsafe {
        let p = o as *mut PropertyObject;
        let Some(obj) = opt_arg(obj) else { return arg(o).new_ref().into_raw() };
        match opt_arg((*p).fget) {
            Some(f) => ret_obj(abstract_::call_one_arg(f, obj)),
            None => ret_obj(Err(raise!(AttributeError, "property of '{}' object has no getter", obj.ob_type().name()))),
        }
    }
}

unsafe extern "C" fn property_set(o: *mut PyObject, obj: *mut PyObject, v: *mut PyObject) -> c_int {
    // SAFETY: live arguments.
    unsafe {
        let p = o as *mut PropertyObject;
        let obj = arg(obj);
        let r = match opt_arg(v) {
            Some(v) => match opt_arg((*p).fset) {
                Some(f) => abstract_::call(f, &tuple::new_from(&[obj, v]), None),
                None => Err(raise!(AttributeError, "property of '{}' object has no setter", obj.ob_type().name())),
            },
            None => match opt_arg((*p).fdel) {
                Some(f) => abstract_::call_one_arg(f, obj),
                None => Err(raise!(AttributeError, "property of '{}' object has no deleter", obj.ob_type().name())),
            },
        };
        ret_int(r.map(|_| 0))
    }
}

unsafe extern "C" fn property_dealloc(o: *mut PyObject) {
    // SAFETY: a dead property.
    unsafe {
        let p = o as *mut PropertyObject;
        for f in [(*p).fget, (*p).fset, (*p).fdel, (*p).doc, (*p).name] {
            crate::object::xdecref(f);
        }
        crate::alloc::gc_del(o as *mut c_void);
    }
}

/// `prop.setter(f)` / `prop.deleter(f)`: a copy of the property with that accessor replaced.
unsafe fn property_copy(o: *mut PyObject, which: usize, f: *mut PyObject) -> *mut PyObject {
    // SAFETY: live property and function.
    unsafe {
        let p = o as *mut PropertyObject;
        let mut acc = [(*p).fget, (*p).fset, (*p).fdel];
        acc[which] = f;
        let none = none::none();
        let args: Vec<&Obj> = acc.iter().map(|&x| opt_arg(x).unwrap_or(&none)).collect();
        ret_obj(abstract_::call(arg(o).ob_type(), &tuple::new_from(&args), None))
    }
}

unsafe extern "C" fn property_setter(o: *mut PyObject, f: *mut PyObject) -> *mut PyObject {
    // SAFETY: METH_O contract.
    unsafe { property_copy(o, 1, f) }
}

unsafe extern "C" fn property_deleter(o: *mut PyObject, f: *mut PyObject) -> *mut PyObject {
    // SAFETY: METH_O contract.
    unsafe { property_copy(o, 2, f) }
}

unsafe extern "C" fn property_getter(o: *mut PyObject, f: *mut PyObject) -> *mut PyObject {
    // SAFETY: METH_O contract.
    unsafe { property_copy(o, 0, f) }
}

static PROPERTY_METHODS: StaticTable<PyMethodDef, 4> = StaticTable(core::cell::UnsafeCell::new([
    PyMethodDef { ml_name: c"getter".as_ptr(), ml_meth: property_getter as *mut c_void, ml_flags: METH_O, ml_doc: core::ptr::null() },
    PyMethodDef { ml_name: c"setter".as_ptr(), ml_meth: property_setter as *mut c_void, ml_flags: METH_O, ml_doc: core::ptr::null() },
    PyMethodDef { ml_name: c"deleter".as_ptr(), ml_meth: property_deleter as *mut c_void, ml_flags: METH_O, ml_doc: core::ptr::null() },
    PyMethodDef { ml_name: core::ptr::null(), ml_meth: null_mut(), ml_flags: 0, ml_doc: core::ptr::null() },
]));

pub fn types() -> [&'static TypeObj; 4] {
    [&PySuper_Type, &PyStaticMethod_Type, &PyClassMethod_Type, &PyProperty_Type]
}


unsafe extern "C" fn super_traverse(o: *mut PyObject, visit: visitproc, a: *mut c_void) -> c_int {
    // SAFETY: a live super object owning these references.
    unsafe {
        let s = o as *mut SuperObject;
        crate::gc::visit_each(&[(*s).type_, (*s).obj, (*s).obj_type], visit, a)
    }
}

unsafe extern "C" fn wrapper_obj_traverse(o: *mut PyObject, visit: visitproc, a: *mut c_void) -> c_int {
    // SAFETY: a live staticmethod/classmethod owning these references.
    unsafe {
        let w = o as *mut WrapperObject;
        crate::gc::visit_each(&[(*w).callable, (*w).dict], visit, a)
    }
}

unsafe extern "C" fn wrapper_obj_clear(o: *mut PyObject) -> c_int {
    // SAFETY: as above; both fields may be NULL.
    unsafe {
        let w = o as *mut WrapperObject;
        crate::gc::clear_each(&[&raw mut (*w).callable, &raw mut (*w).dict]);
    }
    0
}

unsafe extern "C" fn property_traverse(o: *mut PyObject, visit: visitproc, a: *mut c_void) -> c_int {
    // SAFETY: a live property owning these references.
    unsafe {
        let p = o as *mut PropertyObject;
        crate::gc::visit_each(&[(*p).fget, (*p).fset, (*p).fdel, (*p).doc, (*p).name], visit, a)
    }
}

unsafe extern "C" fn property_clear(o: *mut PyObject) -> c_int {
    // SAFETY: as above; every field may be NULL.
    unsafe {
        let p = o as *mut PropertyObject;
        crate::gc::clear_each(&[&raw mut (*p).fget, &raw mut (*p).fset, &raw mut (*p).fdel, &raw mut (*p).doc, &raw mut (*p).name]);
    }
    0
}
