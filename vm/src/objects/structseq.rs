//! Struct sequences (`PyStructSequence_NewType`): named-tuple-like heap types that subclass
//! `tuple`, as CPython's `Objects/structseq.c` makes them (`os.stat_result`,
//! `sys.float_info`, ...).
//!
//! An instance is a tuple whose `ob_size` is the number of visible fields
//! (`n_sequence_fields`); the remaining named fields live after them in `ob_item` and are
//! reached only by attribute. Each named field is a read-only `T_OBJECT` member at its slot;
//! the type dict holds `n_sequence_fields`, `n_fields`, `n_unnamed_fields` and
//! `__match_args__`.

use core::ffi::{c_char, CStr};
use std::ffi::CString;

use pyrite_abi::*;

use crate::abstract_;
use crate::err::PyResult;
use crate::object::{Obj, PyRef};
use crate::objects::type_::{self, TypeObj};
use crate::objects::{dict, long, none, tuple, unicode};
use crate::slot::{arg, opt_arg, ret_obj};

/// The text CPython's `PyStructSequence_UnnamedField` points to.
pub const UNNAMED_FIELD: &CStr = c"unnamed field";

fn count(t: &TypeObj, key: &str) -> PyResult<usize> {
    let d = t.dict().ok_or_else(|| raise!(TypeError, "not a struct sequence type"))?;
    let v = dict::get_item_str(d, key).ok_or_else(|| raise!(TypeError, "missed attribute '{}'", key))?;
    long::to_i64(&v).map(|n| n as usize).ok_or_else(|| raise!(TypeError, "missed attribute '{}'", key))
}

/// `n_fields` of a struct sequence type: how many slots its instances have.
pub fn real_size(t: &TypeObj) -> PyResult<usize> {
    count(t, "n_fields")
}

/// `n_sequence_fields`: how many of them the tuple shows.
pub fn visible_size(t: &TypeObj) -> PyResult<usize> {
    count(t, "n_sequence_fields")
}

/// A field name from a desc entry: `None` for the unnamed-field marker.
///
/// # Safety
/// `name` is NULL or a NUL-terminated string.
unsafe fn field_name(name: *const c_char) -> Option<String> {
    if name.is_null() {
        return None;
    }
    // SAFETY: guaranteed by the caller.
    let s = unsafe { CStr::from_ptr(name) };
    if s == UNNAMED_FIELD || core::ptr::eq(name, UNNAMED_FIELD.as_ptr()) {
        return None;
    }
    Some(s.to_string_lossy().into_owned())
}

/// `PyStructSequence_NewType(desc)`. `desc->name` is `"module.Name"` (or just `"Name"`).
///
/// # Safety
/// `desc` describes the fields with a NULL-name-terminated array; its strings may be
/// borrowed for the life of the type (CPython keeps them too).
pub unsafe fn new_type(desc: *const PyStructSequence_Desc) -> PyResult<PyRef> {
    // SAFETY: guaranteed by the caller.
    unsafe {
        let d = &*desc;
        let full = CStr::from_ptr(d.name).to_string_lossy().into_owned();
        let (module, name) = match full.rfind('.') {
            Some(i) => (Some(full[..i].to_string()), full[i + 1..].to_string()),
            None => (None, full.clone()),
        };
        let mut fields: Vec<Option<String>> = Vec::new();
        let mut f = d.fields;
        while !(*f).name.is_null() {
            fields.push(field_name((*f).name));
            f = f.add(1);
        }
        let n_fields = fields.len();
        let n_in_sequence = d.n_in_sequence as usize;
        if n_in_sequence > n_fields {
            return Err(raise!(SystemError, "n_in_sequence > n_fields in struct sequence description"));
        }
        let n_unnamed = fields.iter().filter(|f| f.is_none()).count();
        let ns = dict::new();
        dict::set_item_str(&ns, "__module__", &module.as_deref().map_or_else(|| unicode::new("builtins"), unicode::new))?;
        dict::set_item_str(&ns, "__qualname__", &unicode::new(&name))?;
        dict::set_item_str(&ns, "__slots__", &tuple::empty())?;
        if !d.doc.is_null() {
            dict::set_item_str(&ns, "__doc__", &unicode::new(&CStr::from_ptr(d.doc).to_string_lossy()))?;
        }
        let bases = tuple::new_from(&[&tuple::PyTuple_Type]);
        let t = crate::objects::heaptype::type_new(&type_::PyType_Type, &unicode::new(&name), &bases, &ns)?;
        let ty = TypeObj::downcast(&t).expect("a type");
        let slots = ty.as_ptr() as *mut PyTypeObject;
        (*slots).tp_dealloc = Some(structseq_dealloc);
        (*slots).tp_repr = Some(structseq_repr);
        (*slots).tp_new = Some(structseq_new);
        let td = ty.dict().expect("a heap type has a dict");
        dict::set_item_str(td, "n_sequence_fields", &long::from_i64(n_in_sequence as i64))?;
        dict::set_item_str(td, "n_fields", &long::from_i64(n_fields as i64))?;
        dict::set_item_str(td, "n_unnamed_fields", &long::from_i64(n_unnamed as i64))?;
        let visible: Vec<PyRef> = fields[..n_in_sequence].iter().flatten().map(|n| unicode::new(n)).collect();
        dict::set_item_str(td, "__match_args__", &tuple::new_from_owned(visible))?;
        // One member per named field, at its item slot; the definitions live as long as the
        // process (types are never freed: they are in reference cycles).
        let item0 = core::mem::offset_of!(PyTupleObject, ob_item);
        for (i, f) in fields.iter().enumerate() {
            let Some(fname) = f else { continue };
            let cname = CString::new(fname.as_str()).map_err(|_| raise!(ValueError, "embedded null character"))?;
            let def = Box::into_raw(Box::new(PyMemberDef {
                name: cname.into_raw(),
                type_code: _Py_T_OBJECT,
                offset: (item0 + i * core::mem::size_of::<*mut PyObject>()) as Py_ssize_t,
                flags: Py_READONLY,
                doc: (*d.fields.add(i)).doc,
            }));
            let descr = crate::objects::descr::new_member_descriptor(ty, def)?;
            dict::set_item_str(td, fname, &descr)?;
        }
        let reduce = crate::objects::descr::new_method_descriptor(ty, REDUCE_DEF.0.get() as *mut PyMethodDef)?;
        dict::set_item_str(td, "__reduce__", &reduce)?;
        type_::modified(ty);
        Ok(t)
    }
}

static REDUCE_DEF: type_::StaticTable<PyMethodDef, 1> = type_::StaticTable(core::cell::UnsafeCell::new([PyMethodDef {
    ml_name: c"__reduce__".as_ptr(),
    ml_meth: structseq_reduce as *mut core::ffi::c_void,
    ml_flags: METH_NOARGS,
    ml_doc: core::ptr::null(),
}]));

/// `PyStructSequence_New(type)`: every slot NULL, the visible ones counted by `ob_size`.
pub fn new(t: &TypeObj) -> PyResult<PyRef> {
    let (n, visible) = (real_size(t)?, visible_size(t)?);
    // SAFETY: a struct sequence type (a tuple subclass) allocates `n` items.
    let o = unsafe { crate::slot::from_new(crate::alloc::generic_alloc(t.as_ptr() as *mut PyTypeObject, n as Py_ssize_t))? };
    // SAFETY: a var object.
    unsafe { o.set_ob_size(visible as Py_ssize_t) };
    Ok(o)
}

/// The slots of an instance (all `n_fields`, not just the visible ones).
///
/// # Safety
/// `o` is a struct sequence.
pub unsafe fn items<'a>(o: *mut PyObject) -> &'a mut [*mut PyObject] {
    // SAFETY: guaranteed by the caller.
    unsafe {
        let n = real_size(TypeObj::from_ptr((*o).ob_type)).unwrap_or(0);
        core::slice::from_raw_parts_mut((*(o as *mut PyTupleObject)).ob_item.as_mut_ptr(), n)
    }
}

unsafe extern "C" fn structseq_dealloc(o: *mut PyObject) {
    // SAFETY: a dead struct sequence: release every slot, then memory and the type.
    unsafe {
        let ty = (*o).ob_type;
        for p in items(o).iter() {
            crate::object::xdecref(*p);
        }
        match (*ty).tp_free {
            Some(f) => f(o as *mut _),
            None => crate::alloc::free_object(o),
        }
        crate::object::decref(ty as *mut PyObject);
    }
}

/// `name(field=value, ...)` over the visible fields.
unsafe extern "C" fn structseq_repr(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live struct sequence.
    let me = unsafe { arg(o) };
    ret_obj((|| {
        let t = me.ob_type();
        let mut s = type_::qualified_name(t);
        s.push('(');
        // As CPython, the i-th value is labelled with the i-th *named* field, so with unnamed
        // fields (os.stat_result's integer times) later names label them.
        let names: Vec<PyRef> = {
            let td = t.dict().expect("heap type");
            let mut pos = 0;
            let mut out = Vec::new();
            while let Some((k, v)) = dict::next(td, &mut pos) {
                if v.ob_type().is(&crate::objects::descr::PyMemberDescr_Type) && !unicode::as_str_lossy(k).starts_with("__") {
                    out.push(k.new_ref());
                }
            }
            out
        };
        for (i, v) in tuple::items(me).iter().enumerate() {
            if i > 0 {
                s.push_str(", ");
            }
            if let Some(n) = names.get(i) {
                s.push_str(&unicode::as_str_lossy(n));
                s.push('=');
            }
            s.push_str(&unicode::as_str_lossy(&*abstract_::repr(v)?));
        }
        s.push(')');
        Ok(unicode::new(&s))
    })())
}

/// `T(sequence, dict=None)`: the visible fields from the sequence, hidden ones from it or the
/// dict (else None).
unsafe extern "C" fn structseq_new(t: *mut PyTypeObject, args: *mut PyObject, kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: tp_new contract.
    let (ty, args, kw) = unsafe { (TypeObj::from_ptr(t), arg(args), opt_arg(kw)) };
    ret_obj((|| {
        let a = tuple::items(args);
        let kw_pairs = kw.map(dict::items_vec).unwrap_or_default();
        let mut seq = a.first().copied();
        let mut extra = a.get(1).copied();
        for (key, v) in &kw_pairs {
            match unicode::as_str(key)? {
                "sequence" if seq.is_none() => seq = Some(&**v),
                "dict" if extra.is_none() => extra = Some(&**v),
                other => return Err(raise!(TypeError, "structseq() got an unexpected keyword argument '{}'", other)),
            }
        }
        crate::objects::argparse::check_positional("structseq", a.len(), 0, 2)?;
        let seq = seq.ok_or_else(|| raise!(TypeError, "structseq() missing required argument 'sequence' (pos 1)"))?;
        let values = tuple::from_iterable(seq)?;
        let vals = tuple::items(&values);
        let (min_len, max_len) = (visible_size(ty)?, real_size(ty)?);
        let name = type_::qualified_name(ty);
        let n = vals.len();
        if n < min_len {
            return Err(if min_len == max_len {
                raise!(TypeError, "{}() takes a {}-sequence ({}-sequence given)", name, min_len, n)
            } else {
                raise!(TypeError, "{}() takes an at least {}-sequence ({}-sequence given)", name, min_len, n)
            });
        }
        if n > max_len {
            return Err(if min_len == max_len {
                raise!(TypeError, "{}() takes a {}-sequence ({}-sequence given)", name, min_len, n)
            } else {
                raise!(TypeError, "{}() takes an at most {}-sequence ({}-sequence given)", name, max_len, n)
            });
        }
        let extra = extra.filter(|d| !d.is(none::none_obj()));
        if let Some(d) = extra {
            if !dict::check(d) {
                return Err(raise!(TypeError, "{}() takes a dict as second arg, if any", name));
            }
        }
        let o = new(ty)?;
        // SAFETY: a fresh struct sequence with `max_len` NULL slots.
        unsafe {
            let slots = items(o.as_ptr());
            for (i, v) in vals.iter().enumerate() {
                slots[i] = v.new_ref().into_raw();
            }
            let members = member_names(ty);
            for (i, slot) in slots.iter_mut().enumerate().skip(n) {
                let v = match (extra, members.get(i).and_then(|m| m.as_deref())) {
                    (Some(d), Some(m)) => dict::get_item_str(d, m).unwrap_or_else(none::none),
                    _ => none::none(),
                };
                *slot = v.into_raw();
            }
        }
        Ok(o)
    })())
}

/// The field name of each slot (None for unnamed ones), from the type's member descriptors.
fn member_names(t: &TypeObj) -> Vec<Option<String>> {
    let n = real_size(t).unwrap_or(0);
    let mut out = vec![None; n];
    let item0 = core::mem::offset_of!(PyTupleObject, ob_item);
    if let Some(d) = t.dict() {
        let mut pos = 0;
        while let Some((k, v)) = dict::next(d, &mut pos) {
            if v.is_exact(&crate::objects::descr::PyMemberDescr_Type) {
                // SAFETY: a member descriptor's definition outlives it.
                let m = unsafe { &*((*(v.as_ptr() as *mut crate::objects::descr::DescrObject)).d_def as *const PyMemberDef) };
                let i = (m.offset as usize).wrapping_sub(item0) / core::mem::size_of::<*mut PyObject>();
                if i < n {
                    out[i] = unicode::as_str(k).ok().map(str::to_string);
                }
            }
        }
    }
    out
}

/// `__reduce__`: `(type, (visible fields, {hidden name: value}))`.
unsafe extern "C" fn structseq_reduce(o: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    // SAFETY: METH_NOARGS contract: `o` is the instance.
    let me = unsafe { arg(o) };
    ret_obj((|| {
        let t = me.ob_type();
        let visible = tuple::new_from(tuple::items(me));
        let d = dict::new();
        let names = member_names(t);
        // SAFETY: a live struct sequence.
        let slots = unsafe { items(o) };
        for (i, p) in slots.iter().enumerate().skip(tuple::len(me)) {
            if let (Some(n), false) = (&names[i], p.is_null()) {
                // SAFETY: a live slot.
                dict::set_item_str(&d, n, unsafe { Obj::from_ptr(*p) })?;
            }
        }
        Ok(tuple::new_from(&[t, &tuple::new_from(&[&visible, &d])]))
    })())
}

/// A struct sequence type the runtime itself defines, made once.
pub fn runtime_type(cell: &'static std::sync::OnceLock<crate::object::SyncPtr<PyObject>>, name: &'static CStr, doc: &'static CStr, fields: &[&'static CStr]) -> PyResult<&'static TypeObj> {
    runtime_type_with_hidden(cell, name, doc, fields, fields.len())
}

/// As [`runtime_type`], with only the first `visible` fields in the tuple.
pub fn runtime_type_with_hidden(
    cell: &'static std::sync::OnceLock<crate::object::SyncPtr<PyObject>>,
    name: &'static CStr,
    doc: &'static CStr,
    fields: &[&'static CStr],
    visible: usize,
) -> PyResult<&'static TypeObj> {
    if let Some(p) = cell.get() {
        // SAFETY: the type is immortal.
        return Ok(unsafe { TypeObj::from_ptr(p.0 as *mut PyTypeObject) });
    }
    let mut defs: Vec<PyStructSequence_Field> =
        fields.iter().map(|f| PyStructSequence_Field { name: f.as_ptr(), doc: core::ptr::null() }).collect();
    defs.push(PyStructSequence_Field { name: core::ptr::null(), doc: core::ptr::null() });
    let defs = Box::leak(defs.into_boxed_slice());
    let desc = PyStructSequence_Desc { name: name.as_ptr(), doc: doc.as_ptr(), fields: defs.as_mut_ptr(), n_in_sequence: visible as core::ffi::c_int };
    // SAFETY: the description and its strings are static.
    let t = unsafe { new_type(&desc)? };
    let p = cell.get_or_init(|| crate::object::SyncPtr(crate::object::make_immortal(t))).0;
    // SAFETY: immortal.
    Ok(unsafe { TypeObj::from_ptr(p as *mut PyTypeObject) })
}

/// A new instance of `t` holding `values`, one per field.
pub fn filled(t: &TypeObj, values: Vec<PyRef>) -> PyResult<PyRef> {
    let o = new(t)?;
    // SAFETY: a fresh struct sequence with one slot per value.
    unsafe {
        for (slot, v) in items(o.as_ptr()).iter_mut().zip(values) {
            *slot = v.into_raw();
        }
    }
    Ok(o)
}

/// `sys.float_info` (`PyFloat_GetInfo`): the limits of IEEE 754 binary64.
pub fn float_info() -> PyResult<PyRef> {
    static T: std::sync::OnceLock<crate::object::SyncPtr<PyObject>> = std::sync::OnceLock::new();
    let t = runtime_type(
        &T,
        c"sys.float_info",
        c"A named tuple holding information about the float type. It contains low level\ninformation about the precision and internal representation. Please study\nyour system's :file:`float.h` for more information.",
        &[c"max", c"max_exp", c"max_10_exp", c"min", c"min_exp", c"min_10_exp", c"dig", c"mant_dig", c"epsilon", c"radix", c"rounds"],
    )?;
    use crate::objects::float;
    filled(t, vec![
        float::new(f64::MAX),
        long::from_i64(f64::MAX_EXP as i64),
        long::from_i64(f64::MAX_10_EXP as i64),
        float::new(f64::MIN_POSITIVE),
        long::from_i64(f64::MIN_EXP as i64),
        long::from_i64(f64::MIN_10_EXP as i64),
        long::from_i64(f64::DIGITS as i64),
        long::from_i64(f64::MANTISSA_DIGITS as i64),
        float::new(f64::EPSILON),
        long::from_i64(f64::RADIX as i64),
        long::from_i64(1),
    ])
}

/// `sys.flags`: the start-up configuration ([`crate::config`]) — UTF-8 mode on, hash
/// randomization unless `PYTHONHASHSEED=0`. `dont_write_bytecode` is what -B /
/// `PYTHONDONTWRITEBYTECODE` asked for (Pyrite writes no bytecode caches either way, and
/// `sys.dont_write_bytecode` says so).
pub fn sys_flags() -> PyResult<PyRef> {
    static T: std::sync::OnceLock<crate::object::SyncPtr<PyObject>> = std::sync::OnceLock::new();
    let t = runtime_type_with_hidden(
        &T,
        c"sys.flags",
        c"Flags provided through command line arguments or environment vars.",
        &[
            c"debug", c"inspect", c"interactive", c"optimize", c"dont_write_bytecode", c"no_user_site", c"no_site",
            c"ignore_environment", c"verbose", c"bytes_warning", c"quiet", c"hash_randomization", c"isolated",
            c"dev_mode", c"utf8_mode", c"warn_default_encoding", c"safe_path", c"int_max_str_digits",
            c"gil", c"thread_inherit_context", c"context_aware_warnings", c"lazy_imports",
        ],
        18,
    )?;
    let i = |v: i64| long::from_i64(v);
    let c = crate::config::get();
    let hash_random = i64::from(crate::config::hash_seed() != Some(0));
    filled(t, vec![
        i(c.debug.into()), i(c.inspect.into()), i(c.inspect.into()), i(c.optimize.into()), i(c.dont_write_bytecode.into()),
        i(c.no_user_site.into()), i(c.no_site.into()), i(c.ignore_environment.into()), i(c.verbose.into()),
        i(c.bytes_warning.into()), i(c.quiet.into()), i(hash_random), i(c.isolated.into()),
        crate::objects::bool_::new(c.dev_mode), i(1), i(c.warn_default_encoding.into()), crate::objects::bool_::new(c.safe_path),
        i(long::max_str_digits() as i64),
        // The GIL is on; new threads start with an empty context; warnings are not context-aware
        // (CPython's defaults for a build with the GIL); lazy imports follow `lazy` keywords (-1).
        i(1), crate::objects::bool_::new(false), crate::objects::bool_::new(false), i(-1),
    ])
}

/// `sys.set_int_max_str_digits` gives `sys` a new `flags` with the new limit (as CPython's
/// `_PySys_SetFlagInt`: a flags object taken before keeps the old value).
pub fn set_sys_flag_int_max_str_digits() -> PyResult<()> {
    let sys = crate::sys::module();
    let d = crate::objects::module::dict_of(&sys);
    if dict::get_item_str(d, "flags").is_none() {
        // Not made yet: it will show the limit when it is.
        return Ok(());
    }
    dict::set_item_str(d, "flags", &*sys_flags()?)
}

/// `sys.hash_info`: Pyrite hashes numbers modulo 2**61 - 1 and str/bytes with SipHash-1-3,
/// as CPython on 64-bit Linux.
pub fn hash_info() -> PyResult<PyRef> {
    static T: std::sync::OnceLock<crate::object::SyncPtr<PyObject>> = std::sync::OnceLock::new();
    let t = runtime_type(
        &T,
        c"sys.hash_info",
        c"hash_info\n\nA named tuple providing parameters used for computing\nhashes. The attributes are read only.",
        &[c"width", c"modulus", c"inf", c"nan", c"imag", c"algorithm", c"hash_bits", c"seed_bits", c"cutoff"],
    )?;
    let i = |v: i64| long::from_i64(v);
    filled(t, vec![
        i(64), i((1i64 << 61) - 1), i(314159), i(0), i(1000003),
        crate::objects::unicode::new("siphash13"), i(64), i(128), i(0),
    ])
}

/// `sys.int_info` (`PyLong_GetInfo`): 30-bit digits in 32-bit words, and the int/str
/// conversion limits.
pub fn int_info() -> PyResult<PyRef> {
    static T: std::sync::OnceLock<crate::object::SyncPtr<PyObject>> = std::sync::OnceLock::new();
    let t = runtime_type(
        &T,
        c"sys.int_info",
        c"A named tuple that holds information about Python's\ninternal representation of integers.  The attributes are read only.",
        &[c"bits_per_digit", c"sizeof_digit", c"default_max_str_digits", c"str_digits_check_threshold"],
    )?;
    filled(t, vec![long::from_i64(30), long::from_i64(4), long::from_i64(4300), long::from_i64(640)])
}

/// `sys.thread_info` (`PyThread_GetInfo`): POSIX threads, with locks made of a mutex and a
/// condition variable, as Pyrite's are (`gil.rs`, `PyThread_allocate_lock`).
pub fn thread_info() -> PyResult<PyRef> {
    static T: std::sync::OnceLock<crate::object::SyncPtr<PyObject>> = std::sync::OnceLock::new();
    let t = runtime_type(
        &T,
        c"sys.thread_info",
        c"sys.thread_info\n\nA named tuple holding information about the thread implementation.",
        &[c"name", c"lock", c"version"],
    )?;
    filled(t, vec![crate::objects::unicode::new("pthread"), crate::objects::unicode::new("mutex+cond"), crate::objects::none::none()])
}
