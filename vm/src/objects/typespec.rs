//! Types made from C specifications: `PyType_FromSpec` and its family
//! (`...WithBases`, `...FromModuleAndSpec`, `...FromMetaclass`). The result is a heap type
//! laid out as CPython's `PyHeapTypeObject`, its slots filled from the spec's `PyType_Slot`
//! array, its member table copied (the spec may be temporary), its name and docstring
//! copied, and its dunder methods derived from the slots as for built-in types.
//!
//! What CPython enforces is enforced here with its messages: acceptable bases, no custom
//! metaclass `tp_new`, known slot ids, the special members `__dictoffset__`,
//! `__weaklistoffset__` and `__vectorcalloffset__` (which set the offsets and are not
//! exposed as attributes).

use core::ffi::{c_char, c_int, c_void, CStr};
use core::ptr::null_mut;
use std::ffi::CString;

use pyrite_abi::type_slot::*;
use pyrite_abi::*;

use crate::err::PyResult;
use crate::object::{Obj, PyRef};
use crate::objects::heaptype::{alloc_heap_type, subtype_dealloc, HeapTypeObject, SlotMembers};
use crate::objects::type_::{self, TypeObj};
use crate::objects::slotiter::{self, SlotIter, Target};
use crate::objects::{dict, tuple, unicode};

/// A type description, from a `PyType_Spec` (or, later, a 3.15 `PySlot` array).
pub struct Spec<'a> {
    pub name: &'a CStr,
    pub basicsize: c_int,
    pub itemsize: c_int,
    pub flags: core::ffi::c_ulong,
    pub slots: Vec<(c_int, *mut c_void)>,
    /// The address `Py_tp_token = Py_TP_USE_SPEC` stands for.
    pub spec_address: *mut c_void,
}

impl<'a> Spec<'a> {
    /// Reads a `PyType_Spec`, its slot array through the PEP 820 slot iterator (so ids of
    /// module slots, unknown ids, rejected NULLs and repeats fail as in CPython); the slots
    /// that stand for the spec's own fields (`Py_tp_name`, sizes, flags, metaclass, module)
    /// are refused.
    ///
    /// # Safety
    /// `spec` points to a valid spec whose slot array ends with slot 0.
    pub unsafe fn from_c(spec: *const PyType_Spec) -> PyResult<Spec<'a>> {
        // SAFETY: guaranteed by the caller.
        unsafe {
            let s = &*spec;
            let name = CStr::from_ptr(s.name);
            let mut it = SlotIter::legacy_type(s.slots);
            it.name = Some(name.to_string_lossy().into_owned());
            let mut slots = Vec::new();
            while let Some(e) = it.next()? {
                match e.id {
                    Py_tp_name | Py_tp_basicsize | Py_tp_extra_basicsize | Py_tp_itemsize | Py_tp_flags | Py_tp_metaclass | Py_tp_module => {
                        return Err(raise!(SystemError, "{} must not be used with PyType_Spec", slotiter::name(e.id as u16)));
                    }
                    id => slots.push((id, e.ptr())),
                }
            }
            Ok(Spec {
                name,
                basicsize: s.basicsize,
                itemsize: s.itemsize,
                flags: s.flags as core::ffi::c_ulong,
                slots,
                spec_address: spec as *mut c_void,
            })
        }
    }
}

/// CPython's `max_align_t` alignment, which a negative `basicsize` (PEP 697) rounds the
/// base's size up to (and `PyObject_GetTypeData` finds the data at).
const DATA_ALIGN: isize = 16;

/// `n` rounded up to [`DATA_ALIGN`].
fn align_data(n: isize) -> isize {
    (n + DATA_ALIGN - 1) & !(DATA_ALIGN - 1)
}

/// `PyType_FromMetaclass(meta, module, spec, bases)`.
///
/// # Safety
/// Every pointer in the spec's slots is what its slot id says (functions of the right
/// signature, NUL-terminated tables), as the C caller promises.
pub unsafe fn from_spec(meta: Option<&TypeObj>, module: Option<&Obj>, spec: &Spec<'_>, bases: Option<&Obj>) -> PyResult<PyRef> {
    let mut slot_base: Option<*mut c_void> = None;
    let mut slot_bases: Option<*mut c_void> = None;
    let mut members: *const PyMemberDef = core::ptr::null();
    let mut doc: *const c_char = core::ptr::null();
    let mut token: Option<*mut c_void> = None;
    for &(id, p) in &spec.slots {
        match id {
            Py_tp_base => slot_base = Some(p),
            Py_tp_bases => slot_bases = Some(p),
            Py_tp_members => members = p as *const PyMemberDef,
            Py_tp_doc => doc = p as *const c_char,
            Py_tp_token => token = Some(if p.is_null() { spec.spec_address } else { p }),
            _ if settable(id) => {}
            _ => return Err(raise!(SystemError, "unknown type slot ID {id}")),
        }
    }

    // Bases: the argument, else Py_tp_bases, else Py_tp_base, else object; each a type or
    // a tuple of types.
    // SAFETY: slot values are objects as the slot ids say.
    let bases: PyRef = unsafe {
        match bases.map(|b| b.new_ref()).or_else(|| slot_bases.filter(|p| !p.is_null()).map(|p| crate::slot::arg(p as *mut PyObject).new_ref())).or_else(|| slot_base.filter(|p| !p.is_null()).map(|p| crate::slot::arg(p as *mut PyObject).new_ref())) {
            Some(b) if tuple::check(&b) => b,
            Some(b) => tuple::new_from(&[&*b]),
            None => tuple::new_from(&[&type_::PyBaseObject_Type]),
        }
    };
    if let Some(b) = tuple::items(&bases).iter().find(|b| TypeObj::downcast(b).is_none()) {
        return Err(raise!(TypeError, "bases must be types; got '{}'", b.ob_type().name()));
    }
    let base = crate::objects::heaptype::solid_base(&bases)?;
    // PEP 697: data appended to a variable-size base would overlap its items.
    if spec.basicsize < 0 && base.slots().tp_itemsize != 0 && !base.has_flag(Py_TPFLAGS_ITEMS_AT_END) {
        return Err(raise!(SystemError, "Cannot extend variable-size class without Py_TPFLAGS_ITEMS_AT_END."));
    }
    if spec.flags & Py_TPFLAGS_IMMUTABLETYPE != 0 {
        for b in tuple::items(&bases) {
            let b = TypeObj::downcast(b).expect("checked above");
            if !b.has_flag(Py_TPFLAGS_IMMUTABLETYPE) {
                return Err(raise!(TypeError, "Creating immutable type {} from mutable base {}", spec.name.to_string_lossy(), type_::qualified_name(b)));
            }
        }
    }

    // The metaclass: the given one, else the most derived metaclass of the bases.
    if spec.flags & Py_TPFLAGS_HAVE_GC != 0 && !spec.slots.iter().any(|&(id, p)| id == Py_tp_traverse && !p.is_null()) {
        return Err(raise!(SystemError, "type {} has the Py_TPFLAGS_HAVE_GC flag but has no traverse function", spec.name.to_string_lossy()));
    }
    let meta: &TypeObj = match meta {
        Some(m) => m,
        None => {
            let mut winner = base.ob_type();
            for b in tuple::items(&bases) {
                let bm = b.ob_type();
                if bm.is_subtype(winner) {
                    winner = bm;
                } else if !winner.is_subtype(bm) {
                    return Err(raise!(
                        TypeError,
                        "metaclass conflict: the metaclass of a derived class must be a (non-strict) subclass of the metaclasses of all its bases"
                    ));
                }
            }
            winner
        }
    };
    if !meta.is_subtype(&type_::PyType_Type) {
        return Err(raise!(TypeError, "metaclass must be a subclass of type"));
    }
    if !type_::is_slot(meta.slots().tp_new, type_::PyType_Type.slots().tp_new) {
        return Err(raise!(TypeError, "Metaclasses with custom tp_new are not supported."));
    }

    let full = spec.name.to_str().map_err(|_| raise!(SystemError, "type name is not valid UTF-8"))?;
    let (module_name, short) = match full.rfind('.') {
        Some(i) => (Some(&full[..i]), &full[i + 1..]),
        None => (None, full),
    };

    let t = alloc_heap_type(meta)?;
    // SAFETY: `t` is a fresh heap type initialised here before anyone sees it; slot values
    // are the caller's promise.
    unsafe {
        let h = t.as_ptr() as *mut HeapTypeObject;
        let r = &mut (*h).ht_type;
        (*h)._ht_tpname = CString::from(spec.name).into_raw();
        r.tp_name = (*h)._ht_tpname;
        (*h).ht_name = unicode::new(short).into_raw();
        (*h).ht_qualname = unicode::new(short).into_raw();
        (*h).ht_module = module.map_or(null_mut(), |m| m.new_ref().into_raw());
        (*h).ht_token = token.unwrap_or(null_mut());
        r.tp_flags = spec.flags | Py_TPFLAGS_HEAPTYPE;
        r.tp_base = base.new_ref().into_raw() as *mut PyTypeObject;
        r.tp_bases = bases.clone().into_raw();
        r.tp_basicsize = match spec.basicsize {
            n if n > 0 => n as isize,
            0 => base.slots().tp_basicsize,
            // PEP 697: the base's size and the requested extra size, each rounded up to
            // `max_align_t`, as CPython lays it out.
            n => align_data(base.slots().tp_basicsize) + align_data(-(n as isize)),
        };
        r.tp_itemsize = if spec.itemsize != 0 { spec.itemsize as isize } else { base.slots().tp_itemsize };
        r.tp_dictoffset = base.slots().tp_dictoffset;
        r.tp_weaklistoffset = base.slots().tp_weaklistoffset;

        for &(id, p) in &spec.slots {
            set_slot(h, id, p);
        }

        // The member table, copied; the special offset members set offsets instead.
        let mut owned = SlotMembers { defs: Vec::new(), names: Vec::new() };
        // PEP 697: `Py_RELATIVE_OFFSET` members count from the start of the type's own data.
        let data_offset = align_data(base.slots().tp_basicsize) as Py_ssize_t;
        let mut m = members;
        while !m.is_null() && !(*m).name.is_null() {
            let mut d = PyMemberDef { name: (*m).name, type_code: (*m).type_code, offset: (*m).offset, flags: (*m).flags, doc: (*m).doc };
            let name = CStr::from_ptr(d.name).to_bytes();
            if matches!(name, b"__dictoffset__" | b"__weaklistoffset__" | b"__vectorcalloffset__") {
                let name = String::from_utf8_lossy(name);
                if d.type_code != Py_T_PYSSIZET {
                    return Err(raise!(SystemError, "type of {} must be Py_T_PYSSIZET", name));
                }
                if d.flags != Py_READONLY && d.flags != Py_READONLY | Py_RELATIVE_OFFSET {
                    return Err(raise!(SystemError, "flags for {} must be Py_READONLY or (Py_READONLY | Py_RELATIVE_OFFSET)", name));
                }
            }
            if d.flags & Py_RELATIVE_OFFSET != 0 {
                if spec.basicsize >= 0 {
                    return Err(raise!(SystemError, "With Py_RELATIVE_OFFSET, basicsize must be extended"));
                }
                if d.offset < 0 {
                    return Err(raise!(SystemError, "Member offset must not be negative"));
                }
                if d.offset >= -(spec.basicsize as Py_ssize_t) {
                    return Err(raise!(SystemError, "Member offset out of range (0..extra_basicsize)"));
                }
                d.offset += data_offset;
                d.flags &= !Py_RELATIVE_OFFSET;
            }
            let d = &d;
            match CStr::from_ptr(d.name).to_bytes() {
                b"__dictoffset__" => r.tp_dictoffset = d.offset,
                b"__weaklistoffset__" => r.tp_weaklistoffset = d.offset,
                b"__vectorcalloffset__" => r.tp_vectorcall_offset = d.offset,
                _ => owned.defs.push(PyMemberDef { name: d.name, type_code: d.type_code, offset: d.offset, flags: d.flags, doc: d.doc }),
            }
            m = m.add(1);
        }
        if !owned.defs.is_empty() {
            owned.defs.push(PyMemberDef { name: core::ptr::null(), type_code: 0, offset: 0, flags: 0, doc: core::ptr::null() });
            let boxed = Box::new(owned);
            r.tp_members = boxed.defs.as_ptr() as *mut PyMemberDef;
            (*h).ht_cached_keys = Box::into_raw(boxed) as *mut c_void;
        } else {
            r.tp_members = null_mut();
        }

        // The docstring without its `name(signature)\n--\n\n` prefix, copied.
        let doc_text = (!doc.is_null()).then(|| doc_without_signature(short, &CStr::from_ptr(doc).to_string_lossy()).to_string());
        // Allocated with PyObject_Malloc, as CPython does: `type_dealloc` frees a heap type's
        // tp_doc with PyObject_Free, also for heap types an extension builds by hand.
        r.tp_doc = match &doc_text {
            Some(d) => {
                let c = CString::new(d.as_str()).map_err(|_| raise!(ValueError, "embedded null character"))?;
                let bytes = c.as_bytes_with_nul();
                let p = crate::alloc::raw_malloc(bytes.len()) as *mut u8;
                if p.is_null() {
                    return Err(crate::err::PyErr::from_type_no_args(crate::objects::exceptions::MemoryError()));
                }
                core::ptr::copy_nonoverlapping(bytes.as_ptr(), p, bytes.len());
                p as *const c_char
            }
            None => core::ptr::null(),
        };

        if r.tp_dealloc.is_none() {
            r.tp_dealloc = Some(subtype_dealloc);
        }
        let free_given = r.tp_free.is_some();
        let d = dict::new();
        // Without a dot CPython sets no `__module__` (and warns that it is missing).
        if let Some(mn) = module_name {
            dict::set_item_str(&d, "__module__", &unicode::new(mn))?;
        }
        let doc_obj = match &doc_text {
            Some(s) => unicode::new(s),
            None => crate::objects::none::none(),
        };
        dict::set_item_str(&d, "__doc__", &doc_obj)?;
        r.tp_dict = d.into_raw();

        let tobj = TypeObj::from_ptr(t.as_ptr() as *mut PyTypeObject);
        let disallow = r.tp_flags & Py_TPFLAGS_DISALLOW_INSTANTIATION != 0;
        type_::ready(tobj)?;
        // The deallocator frees with tp_free: it must match how instances are allocated,
        // which depends on the GC flag as readying left it (inherited from a GC base).
        if !free_given {
            r.tp_free = Some(if r.tp_flags & Py_TPFLAGS_HAVE_GC != 0 { crate::alloc::gc_del } else { crate::alloc::object_free });
        }
        crate::objects::slotdefs::add_wrappers(tobj)?;
        if disallow {
            r.tp_new = None;
        }
    }
    Ok(t)
}

/// CPython's `_PyType_DocWithoutSignature`: a docstring that starts with `name(` and holds
/// a `)\n--\n\n` line carries a signature, which is not part of `__doc__`.
pub fn doc_without_signature<'d>(name: &str, doc: &'d str) -> &'d str {
    if let Some(rest) = doc.strip_prefix(name) {
        if rest.starts_with('(') {
            if let Some(i) = rest.find(")\n--\n\n") {
                return &rest[i + 6..];
            }
        }
    }
    doc
}

/// Whether `id` is a `PyType_Slot` id that [`set_slot`] stores.
fn settable(id: c_int) -> bool {
    matches!(id, Py_bf_getbuffer_OLD..=Py_tp_token | Py_bf_getbuffer..=Py_mp_length)
}

/// Stores a slot's value in the heap type.
///
/// # Safety
/// `h` is a heap type being built; `p` has the type the slot id says.
unsafe fn set_slot(h: *mut HeapTypeObject, id: c_int, p: *mut c_void) {
    macro_rules! f {
        ($place:expr) => {
            // The caller promises `p` is a function of the slot's signature (or NULL).
            $place = core::mem::transmute::<*mut c_void, _>(p)
        };
    }
    // SAFETY: guaranteed by the caller.
    unsafe {
        let t = &mut (*h).ht_type;
        let (n, s, m, a, b) = (&mut (*h).as_number, &mut (*h).as_sequence, &mut (*h).as_mapping, &mut (*h).as_async, &mut (*h).as_buffer);
        match id {
            Py_bf_getbuffer | Py_bf_getbuffer_OLD => f!(b.bf_getbuffer),
            Py_bf_releasebuffer | Py_bf_releasebuffer_OLD => f!(b.bf_releasebuffer),
            Py_mp_ass_subscript | Py_mp_ass_subscript_OLD => f!(m.mp_ass_subscript),
            Py_mp_length | Py_mp_length_OLD => f!(m.mp_length),
            Py_mp_subscript => f!(m.mp_subscript),
            Py_nb_absolute => f!(n.nb_absolute),
            Py_nb_add => f!(n.nb_add),
            Py_nb_and => f!(n.nb_and),
            Py_nb_bool => f!(n.nb_bool),
            Py_nb_divmod => f!(n.nb_divmod),
            Py_nb_float => f!(n.nb_float),
            Py_nb_floor_divide => f!(n.nb_floor_divide),
            Py_nb_index => f!(n.nb_index),
            Py_nb_inplace_add => f!(n.nb_inplace_add),
            Py_nb_inplace_and => f!(n.nb_inplace_and),
            Py_nb_inplace_floor_divide => f!(n.nb_inplace_floor_divide),
            Py_nb_inplace_lshift => f!(n.nb_inplace_lshift),
            Py_nb_inplace_multiply => f!(n.nb_inplace_multiply),
            Py_nb_inplace_or => f!(n.nb_inplace_or),
            Py_nb_inplace_power => f!(n.nb_inplace_power),
            Py_nb_inplace_remainder => f!(n.nb_inplace_remainder),
            Py_nb_inplace_rshift => f!(n.nb_inplace_rshift),
            Py_nb_inplace_subtract => f!(n.nb_inplace_subtract),
            Py_nb_inplace_true_divide => f!(n.nb_inplace_true_divide),
            Py_nb_inplace_xor => f!(n.nb_inplace_xor),
            Py_nb_int => f!(n.nb_int),
            Py_nb_invert => f!(n.nb_invert),
            Py_nb_lshift => f!(n.nb_lshift),
            Py_nb_multiply => f!(n.nb_multiply),
            Py_nb_negative => f!(n.nb_negative),
            Py_nb_or => f!(n.nb_or),
            Py_nb_positive => f!(n.nb_positive),
            Py_nb_power => f!(n.nb_power),
            Py_nb_remainder => f!(n.nb_remainder),
            Py_nb_rshift => f!(n.nb_rshift),
            Py_nb_subtract => f!(n.nb_subtract),
            Py_nb_true_divide => f!(n.nb_true_divide),
            Py_nb_xor => f!(n.nb_xor),
            Py_nb_matrix_multiply => f!(n.nb_matrix_multiply),
            Py_nb_inplace_matrix_multiply => f!(n.nb_inplace_matrix_multiply),
            Py_sq_ass_item => f!(s.sq_ass_item),
            Py_sq_concat => f!(s.sq_concat),
            Py_sq_contains => f!(s.sq_contains),
            Py_sq_inplace_concat => f!(s.sq_inplace_concat),
            Py_sq_inplace_repeat => f!(s.sq_inplace_repeat),
            Py_sq_item => f!(s.sq_item),
            Py_sq_length => f!(s.sq_length),
            Py_sq_repeat => f!(s.sq_repeat),
            Py_am_await => f!(a.am_await),
            Py_am_aiter => f!(a.am_aiter),
            Py_am_anext => f!(a.am_anext),
            Py_am_send => f!(a.am_send),
            Py_tp_alloc => f!(t.tp_alloc),
            Py_tp_call => f!(t.tp_call),
            Py_tp_clear => f!(t.tp_clear),
            Py_tp_dealloc => f!(t.tp_dealloc),
            Py_tp_del => f!(t.tp_del),
            Py_tp_descr_get => f!(t.tp_descr_get),
            Py_tp_descr_set => f!(t.tp_descr_set),
            Py_tp_getattr => f!(t.tp_getattr),
            Py_tp_getattro => f!(t.tp_getattro),
            Py_tp_hash => f!(t.tp_hash),
            Py_tp_init => f!(t.tp_init),
            Py_tp_is_gc => f!(t.tp_is_gc),
            Py_tp_iter => f!(t.tp_iter),
            Py_tp_iternext => f!(t.tp_iternext),
            Py_tp_methods => t.tp_methods = p as *mut PyMethodDef,
            Py_tp_new => f!(t.tp_new),
            Py_tp_repr => f!(t.tp_repr),
            Py_tp_richcompare => f!(t.tp_richcompare),
            Py_tp_setattr => f!(t.tp_setattr),
            Py_tp_setattro => f!(t.tp_setattro),
            Py_tp_str => f!(t.tp_str),
            Py_tp_traverse => f!(t.tp_traverse),
            Py_tp_getset => t.tp_getset = p as *mut PyGetSetDef,
            Py_tp_free => f!(t.tp_free),
            Py_tp_finalize => f!(t.tp_finalize),
            Py_tp_vectorcall => f!(t.tp_vectorcall),
            // Handled by `from_spec` itself: bases, members, doc, token.
            _ => {}
        }
    }
}

/// `PyType_GetModule`: the module a heap type was created with (borrowed).
pub fn module_of(t: &TypeObj) -> PyResult<&Obj> {
    if !t.has_flag(Py_TPFLAGS_HEAPTYPE) {
        return Err(raise!(TypeError, "PyType_GetModule: Type '{}' is not a heap type", t.name()));
    }
    // SAFETY: heap types are PyHeapTypeObjects.
    let m = unsafe { (*(t.raw() as *mut HeapTypeObject)).ht_module };
    if m.is_null() {
        return Err(raise!(TypeError, "PyType_GetModule: Type '{}' has no associated module", t.name()));
    }
    // SAFETY: ht_module is a live module the type owns.
    Ok(unsafe { crate::slot::arg(m) })
}

/// `PyType_GetModuleByDef` (and, with a new reference, `PyType_GetModuleByToken`): the
/// module of the first heap class on the MRO whose module has that token or definition
/// (borrowed).
pub fn module_by_def(t: &TypeObj, def: *mut PyModuleDef) -> PyResult<&Obj> {
    module_by_token(t, def as *mut c_void)
        .ok_or_else(|| raise!(TypeError, "PyType_GetModuleByDef: No superclass of '{}' has the given module", t.full_name()))
}

/// `PyType_FromSlots` (3.15): a heap type from a `PySlot` array, read through the PEP 820
/// slot iterator; the slots for what a `PyType_Spec` and `PyType_FromMetaclass`'s arguments
/// would give are taken here, with CPython's checks.
///
/// # Safety
/// `slots` is a valid `PySlot` array; slot values are what their ids say.
pub unsafe fn from_slots(slots: *const PySlot) -> PyResult<PyRef> {
    let mut name: Option<&CStr> = None;
    let (mut basicsize, mut extra_basicsize, mut itemsize) = (None, None, None);
    let mut flags = 0u64;
    let (mut metaclass, mut module) = (None, None);
    let mut rest = Vec::new();
    let mut it = SlotIter::new(slots, Target::Type);
    // SAFETY: guaranteed by the caller; the iterator refuses NULL names, metaclasses and
    // modules.
    unsafe {
        while let Some(e) = it.next()? {
            let positive = |what: &str| {
                if e.size() > 0 { Ok(Some(e.size())) } else { Err(raise!(SystemError, "{what} must be positive")) }
            };
            match e.id {
                Py_tp_name => {
                    let n = CStr::from_ptr(e.ptr() as *const c_char);
                    it.name = Some(n.to_string_lossy().into_owned());
                    name = Some(n);
                }
                Py_tp_basicsize => basicsize = positive("Py_tp_basicsize")?,
                Py_tp_extra_basicsize => extra_basicsize = positive("Py_tp_extra_basicsize")?,
                Py_tp_itemsize => itemsize = positive("Py_tp_itemsize")?,
                Py_tp_flags => flags = e.bits,
                Py_tp_metaclass => metaclass = Some(e.ptr() as *mut PyObject),
                Py_tp_module => module = Some(e.ptr() as *mut PyObject),
                Py_tp_token if e.ptr().is_null() => {
                    return Err(raise!(SystemError, "Py_tp_token: Py_TP_USE_SPEC (NULL) can only be used with PyType_Spec"));
                }
                id => rest.push((id, e.ptr())),
            }
        }
    }
    let Some(name) = name else {
        return Err(raise!(SystemError, "Py_tp_name slot is required."));
    };
    let basicsize = match (basicsize, extra_basicsize) {
        (Some(_), Some(_)) => {
            return Err(raise!(
                SystemError,
                "type {}: Py_tp_basicsize and Py_tp_extra_basicsize are mutually exclusive",
                name.to_string_lossy()
            ))
        }
        (Some(n), None) => n,
        (None, Some(n)) => -n,
        (None, None) => 0,
    };
    let to_int = |n: Py_ssize_t| c_int::try_from(n).map_err(|_| raise!(OverflowError, "type size out of range"));
    let spec = Spec {
        name,
        basicsize: to_int(basicsize)?,
        itemsize: to_int(itemsize.unwrap_or(0))?,
        flags: flags as core::ffi::c_ulong,
        slots: rest,
        spec_address: slots as *mut c_void,
    };
    // SAFETY: the metaclass and module slots hold live objects, as the caller promises.
    unsafe {
        let meta = match metaclass {
            Some(m) => Some(TypeObj::downcast(crate::slot::arg(m)).ok_or_else(|| raise!(TypeError, "Py_tp_metaclass must be a type"))?),
            None => None,
        };
        let module = module.map(|m| crate::slot::arg(m));
        from_spec(meta, module, &spec, None)
    }
}

/// `PyType_Freeze`: makes a type immutable (`Py_TPFLAGS_IMMUTABLETYPE`), which requires
/// every other class on its MRO to be immutable already.
pub fn freeze(t: &TypeObj) -> PyResult<()> {
    // SAFETY: a ready type's MRO tuple holds types, itself first.
    let mro = unsafe { tuple::items_raw(t.slots().tp_mro) };
    for &b in mro.iter().skip(1) {
        // SAFETY: bases are types.
        let b = unsafe { TypeObj::from_ptr(b as *mut PyTypeObject) };
        if !b.has_flag(Py_TPFLAGS_IMMUTABLETYPE) {
            return Err(raise!(TypeError, "Creating immutable type {} from mutable base {}", t.full_name(), type_::qualified_name(b)));
        }
    }
    // SAFETY: flags change under the GIL; the type's caches are retired below.
    unsafe { (*t.raw()).tp_flags |= Py_TPFLAGS_IMMUTABLETYPE };
    type_::modified(t);
    Ok(())
}

/// The heap types of `t`'s MRO, in order.
fn heap_mro(t: &TypeObj) -> impl Iterator<Item = &TypeObj> {
    let mro = t.slots().tp_mro;
    // SAFETY: a ready type's MRO is a tuple of live types (an unready type has none).
    let items: &[*mut PyObject] = if mro.is_null() { &[] } else { unsafe { tuple::items_raw(mro) } };
    items
        .iter()
        // SAFETY: MRO entries are types.
        .map(|&k| unsafe { TypeObj::from_ptr(k as *mut PyTypeObject) })
        .filter(|k| k.has_flag(Py_TPFLAGS_HEAPTYPE))
}

/// `PyType_GetBaseByToken`: the first class on `t`'s MRO whose `Py_tp_token` is `token`.
pub fn base_by_token(t: &TypeObj, token: *mut c_void) -> Option<&TypeObj> {
    // SAFETY: heap types are PyHeapTypeObjects.
    heap_mro(t).find(|k| unsafe { (*(k.raw() as *mut HeapTypeObject)).ht_token } == token)
}

/// `PyType_GetModuleByToken`: the module of the first heap class on `t`'s MRO whose module's
/// token (`Py_mod_token`, or its definition) is `token` (borrowed).
pub fn module_by_token(t: &TypeObj, token: *mut c_void) -> Option<&Obj> {
    heap_mro(t).find_map(|k| {
        // SAFETY: heap type; ht_module is NULL or a live module the type owns.
        let m = unsafe { (*(k.raw() as *mut HeapTypeObject)).ht_module };
        if m.is_null() {
            return None;
        }
        // SAFETY: as above.
        let m = unsafe { crate::slot::arg(m) };
        if !crate::objects::module::check(m) {
            return None;
        }
        // SAFETY: a module object.
        let mt = unsafe { (*(m.as_ptr() as *mut crate::objects::module::ModuleObject)).md_token };
        let def = crate::objects::module::def_of(m) as *mut c_void;
        (mt == token || (mt.is_null() && def == token)).then_some(m)
    })
}
