//! Descriptors made from C tables: `method_descriptor` / `classmethod_descriptor`
//! (`PyMethodDef`), `member_descriptor` (`PyMemberDef`) and `getset_descriptor`
//! (`PyGetSetDef`). Built-in types and extension types get the same descriptors.

use core::ffi::{c_char, c_int, c_void, CStr};
use core::mem::offset_of;
use core::ptr::null_mut;

use pyrite_abi::*;

use crate::err::{PyErr, PyResult};
use crate::object::{Obj, PyRef};
use crate::objects::type_::{TypeObj, BUILTIN_FLAGS};
use crate::objects::{bool_, exceptions as exc, float, long, methodobject, none, unicode};
use crate::slot::{arg, opt_arg, ret_int, ret_obj};
use crate::static_type;

/// The common head of the descriptors (CPython's `PyDescr_COMMON`).
#[repr(C)]
pub struct DescrObject {
    pub ob_base: PyObject,
    pub d_type: *mut PyTypeObject,
    pub d_name: *mut PyObject,
    pub d_qualname: *mut PyObject,
    /// The `PyMethodDef`, `PyMemberDef` or `PyGetSetDef` this descriptor wraps.
    pub d_def: *mut c_void,
    pub vectorcall: vectorcallfunc,
}

const DESCR_FLAGS: core::ffi::c_ulong = BUILTIN_FLAGS | Py_TPFLAGS_HAVE_GC;

static_type!(PyMethodDescr_Type, c"method_descriptor", core::mem::size_of::<DescrObject>(), {
    tp_flags: DESCR_FLAGS | Py_TPFLAGS_HAVE_VECTORCALL | Py_TPFLAGS_METHOD_DESCRIPTOR,
    tp_vectorcall_offset: offset_of!(DescrObject, vectorcall) as isize,
    tp_dealloc: Some(descr_dealloc),
    tp_traverse: Some(descr_traverse),
    tp_repr: Some(method_descr_repr),
    tp_getset: DESCR_GETSET.0.get() as *mut PyGetSetDef,
    tp_call: Some(crate::abstract_::vectorcall_call),
    tp_descr_get: Some(method_descr_get),
    tp_free: Some(crate::alloc::gc_del),
});

static_type!(PyClassMethodDescr_Type, c"classmethod_descriptor", core::mem::size_of::<DescrObject>(), {
    tp_flags: DESCR_FLAGS,
    tp_dealloc: Some(descr_dealloc),
    tp_traverse: Some(descr_traverse),
    tp_repr: Some(method_descr_repr),
    tp_getset: DESCR_GETSET.0.get() as *mut PyGetSetDef,
    tp_descr_get: Some(classmethod_descr_get),
    tp_free: Some(crate::alloc::gc_del),
});

static_type!(PyMemberDescr_Type, c"member_descriptor", core::mem::size_of::<DescrObject>(), {
    tp_flags: DESCR_FLAGS,
    tp_dealloc: Some(descr_dealloc),
    tp_traverse: Some(descr_traverse),
    tp_repr: Some(member_descr_repr),
    tp_getset: DESCR_GETSET.0.get() as *mut PyGetSetDef,
    tp_descr_get: Some(member_descr_get),
    tp_descr_set: Some(member_descr_set),
    tp_free: Some(crate::alloc::gc_del),
});

static_type!(PyGetSetDescr_Type, c"getset_descriptor", core::mem::size_of::<DescrObject>(), {
    tp_flags: DESCR_FLAGS,
    tp_dealloc: Some(descr_dealloc),
    tp_traverse: Some(descr_traverse),
    tp_repr: Some(getset_descr_repr),
    tp_getset: DESCR_GETSET.0.get() as *mut PyGetSetDef,
    tp_descr_get: Some(getset_descr_get),
    tp_descr_set: Some(getset_descr_set),
    tp_free: Some(crate::alloc::gc_del),
});

static DESCR_GETSET: crate::objects::type_::StaticTable<PyGetSetDef, 5> = crate::objects::type_::StaticTable(core::cell::UnsafeCell::new([
    crate::objects::type_::getset(c"__doc__", Some(descr_get_doc), None),
    crate::objects::type_::getset(c"__name__", Some(descr_get_name), None),
    crate::objects::type_::getset(c"__qualname__", Some(descr_get_qualname), None),
    crate::objects::type_::getset(c"__objclass__", Some(descr_get_objclass), None),
    crate::objects::type_::GETSET_END,
]));

/// The C docstring of the definition a descriptor wraps (NULL if none).
///
/// # Safety
/// `d` is a live descriptor of one of the four kinds.
unsafe fn raw_doc(d: *mut DescrObject) -> *const c_char {
    // SAFETY: guaranteed by the caller; d_def's type follows the descriptor's type.
    unsafe {
        let t = (*d).ob_base.ob_type;
        if t == PyMethodDescr_Type.raw() || t == PyClassMethodDescr_Type.raw() {
            (*((*d).d_def as *mut PyMethodDef)).ml_doc
        } else if t == PyMemberDescr_Type.raw() {
            (*((*d).d_def as *mut PyMemberDef)).doc
        } else {
            (*((*d).d_def as *mut PyGetSetDef)).doc
        }
    }
}

/// `__doc__`: the definition's docstring without its `name(signature)\n--\n\n` prefix.
unsafe extern "C" fn descr_get_doc(o: *mut PyObject, _: *mut c_void) -> *mut PyObject {
    // SAFETY: a live descriptor.
    unsafe {
        let d = o as *mut DescrObject;
        let doc = raw_doc(d);
        if doc.is_null() {
            return none::none().into_raw();
        }
        let text = CStr::from_ptr(doc).to_string_lossy();
        let name = unicode::as_str_lossy(arg((*d).d_name));
        unicode::new(crate::objects::typespec::doc_without_signature(&name, &text)).into_raw()
    }
}

unsafe extern "C" fn descr_get_name(o: *mut PyObject, _: *mut c_void) -> *mut PyObject {
    // SAFETY: a live descriptor owning its name.
    unsafe { arg((*(o as *mut DescrObject)).d_name).new_ref().into_raw() }
}

unsafe extern "C" fn descr_get_qualname(o: *mut PyObject, _: *mut c_void) -> *mut PyObject {
    // SAFETY: a live descriptor.
    unsafe {
        let d = o as *mut DescrObject;
        let owner = crate::abstract_::getattr_str(TypeObj::from_ptr((*d).d_type), "__qualname__");
        ret_obj(owner.map(|q| unicode::new(&format!("{}.{}", unicode::as_str_lossy(&q), unicode::as_str_lossy(arg((*d).d_name))))))
    }
}

unsafe extern "C" fn descr_get_objclass(o: *mut PyObject, _: *mut c_void) -> *mut PyObject {
    // SAFETY: a live descriptor owning its type.
    unsafe { TypeObj::from_ptr((*(o as *mut DescrObject)).d_type).new_ref().into_raw() }
}

pub fn types() -> [&'static TypeObj; 4] {
    [&PyMethodDescr_Type, &PyClassMethodDescr_Type, &PyMemberDescr_Type, &PyGetSetDescr_Type]
}

fn new_descr(kind: &TypeObj, owner: &TypeObj, name: *const c_char, def: *mut c_void) -> PyResult<PyRef> {
    // SAFETY: kind is a live static type; name is a NUL-terminated static string.
    unsafe {
        let op = crate::alloc::alloc_object(kind.raw(), core::mem::size_of::<DescrObject>(), true);
        if op.is_null() {
            return Err(PyErr::from_type_no_args(exc::MemoryError()));
        }
        let d = op as *mut DescrObject;
        (*d).d_type = owner.new_ref().into_raw() as *mut PyTypeObject;
        (*d).d_name = unicode::new(&CStr::from_ptr(name).to_string_lossy()).into_raw();
        (*d).d_def = def;
        Ok(PyRef::from_raw(op))
    }
}

/// The descriptor (or, for `METH_STATIC`, the plain function) that `tp_methods` puts in the
/// type dict.
///
/// # Safety
/// `ml` points to a method definition that outlives the type.
pub unsafe fn new_method_descriptor(owner: &TypeObj, ml: *mut PyMethodDef) -> PyResult<PyRef> {
    // SAFETY: guaranteed by the caller.
    unsafe {
        let flags = (*ml).ml_flags;
        if flags & METH_STATIC != 0 {
            return methodobject::new(ml, None, None, None);
        }
        if flags & METH_CLASS != 0 {
            return new_descr(&PyClassMethodDescr_Type, owner, (*ml).ml_name, ml as *mut c_void);
        }
        let d = new_descr(&PyMethodDescr_Type, owner, (*ml).ml_name, ml as *mut c_void)?;
        (*(d.as_ptr() as *mut DescrObject)).vectorcall = Some(method_descr_vectorcall);
        Ok(d)
    }
}

/// `PyDescr_NewMethod` / `PyDescr_NewClassMethod`: a `method_descriptor` (or
/// `classmethod_descriptor`) whatever the definition's `METH_CLASS`/`METH_STATIC` flags say.
///
/// # Safety
/// `ml` points to a method definition that outlives the descriptor.
pub unsafe fn new_method_descr_exact(owner: &TypeObj, ml: *mut PyMethodDef, class_method: bool) -> PyResult<PyRef> {
    // SAFETY: guaranteed by the caller.
    unsafe {
        if class_method {
            return new_descr(&PyClassMethodDescr_Type, owner, (*ml).ml_name, ml as *mut c_void);
        }
        let d = new_descr(&PyMethodDescr_Type, owner, (*ml).ml_name, ml as *mut c_void)?;
        (*(d.as_ptr() as *mut DescrObject)).vectorcall = Some(method_descr_vectorcall);
        Ok(d)
    }
}

/// # Safety
/// `m` points to a member definition that outlives the type.
pub unsafe fn new_member_descriptor(owner: &TypeObj, m: *mut PyMemberDef) -> PyResult<PyRef> {
    // SAFETY: guaranteed by the caller.
    unsafe { new_descr(&PyMemberDescr_Type, owner, (*m).name, m as *mut c_void) }
}

/// # Safety
/// `g` points to a getset definition that outlives the type.
pub unsafe fn new_getset_descriptor(owner: &TypeObj, g: *mut PyGetSetDef) -> PyResult<PyRef> {
    // SAFETY: guaranteed by the caller.
    unsafe { new_descr(&PyGetSetDescr_Type, owner, (*g).name, g as *mut c_void) }
}

#[inline(always)]
fn raw(o: &Obj) -> *mut DescrObject {
    o.as_ptr() as *mut DescrObject
}

fn owner(d: &Obj) -> &TypeObj {
    // SAFETY: descriptors hold a strong reference to their owner type.
    unsafe { TypeObj::from_ptr((*raw(d)).d_type) }
}

fn name(d: &Obj) -> std::borrow::Cow<'_, str> {
    // SAFETY: d_name is a str owned by the descriptor.
    unicode::as_str_lossy(unsafe { arg((*raw(d)).d_name) })
}

unsafe extern "C" fn descr_dealloc(o: *mut PyObject) {
    // SAFETY: a dead descriptor.
    unsafe {
        let d = o as *mut DescrObject;
        crate::object::xdecref((*d).d_type as *mut PyObject);
        crate::object::xdecref((*d).d_name);
        crate::object::xdecref((*d).d_qualname);
        crate::alloc::gc_del(o as *mut c_void);
    }
}

/// Type-checks `obj` for a descriptor of `d`, with CPython's message.
fn check_self(d: &Obj, obj: &Obj) -> PyResult<()> {
    let t = owner(d);
    if obj.is_instance_of(t) {
        return Ok(());
    }
    Err(raise!(
        TypeError,
        "descriptor '{}' for '{}' objects doesn't apply to a '{}' object",
        name(d),
        t.name(),
        obj.ob_type().name()
    ))
}

unsafe extern "C" fn method_descr_vectorcall(
    callable: *mut PyObject,
    args: *const *mut PyObject,
    nargsf: usize,
    kwnames: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: vectorcall contract.
    unsafe {
        let d = arg(callable);
        let nargs = nargsf & !PY_VECTORCALL_ARGUMENTS_OFFSET;
        if nargs < 1 {
            return ret_obj(Err(raise!(TypeError, "unbound method {}.{}() needs an argument", owner(d).name(), name(d))));
        }
        let self_ = arg(*args);
        if let Err(e) = check_self(d, self_) {
            return ret_obj(Err(e));
        }
        let ml = (*raw(d)).d_def as *mut PyMethodDef;
        let qual = || format!("{}.{}", owner(d).name(), name(d));
        ret_obj(methodobject::call_method_def(d, ml, self_.as_ptr(), owner(d).as_ptr(), args.add(1), nargs - 1, kwnames, &qual))
    }
}

unsafe extern "C" fn method_descr_get(d: *mut PyObject, obj: *mut PyObject, _ty: *mut PyObject) -> *mut PyObject {
    // SAFETY: live arguments.
    unsafe {
        let d = arg(d);
        let Some(obj) = opt_arg(obj) else { return d.new_ref().into_raw() };
        if let Err(e) = check_self(d, obj) {
            return ret_obj(Err(e));
        }
        let ml = (*raw(d)).d_def as *mut PyMethodDef;
        let class = if (*ml).ml_flags & METH_METHOD != 0 { Some(owner(d)) } else { None };
        ret_obj(methodobject::new(ml, Some(obj), None, class))
    }
}

unsafe extern "C" fn classmethod_descr_get(d: *mut PyObject, obj: *mut PyObject, ty: *mut PyObject) -> *mut PyObject {
    // SAFETY: live arguments.
    unsafe {
        let d = arg(d);
        let cls = match opt_arg(ty) {
            Some(t) => t,
            None => arg(obj).ob_type(),
        };
        let ml = (*raw(d)).d_def as *mut PyMethodDef;
        let class = if (*ml).ml_flags & METH_METHOD != 0 { Some(owner(d)) } else { None };
        ret_obj(methodobject::new(ml, Some(cls), None, class))
    }
}

unsafe extern "C" fn method_descr_repr(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: live descriptor.
    let d = unsafe { arg(o) };
    unicode::new(&format!("<method '{}' of '{}' objects>", name(d), owner(d).full_name())).into_raw()
}

unsafe extern "C" fn member_descr_repr(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: live descriptor.
    let d = unsafe { arg(o) };
    unicode::new(&format!("<member '{}' of '{}' objects>", name(d), owner(d).full_name())).into_raw()
}

unsafe extern "C" fn getset_descr_repr(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: live descriptor.
    let d = unsafe { arg(o) };
    unicode::new(&format!("<attribute '{}' of '{}' objects>", name(d), owner(d).full_name())).into_raw()
}

/// Pyrite's flag (CPython has an internal one like it) for the `__slots__` members of a
/// `tuple` subclass: they follow the items, so the offset counts from the end of them.
pub const MEMBER_AFTER_ITEMS: core::ffi::c_int = 1 << 4;

/// `m`'s offset in `obj`: its own, after `obj`'s items with [`MEMBER_AFTER_ITEMS`].
pub fn member_offset(obj: *mut PyObject, m: &PyMemberDef) -> usize {
    let mut off = m.offset as usize;
    if m.flags & MEMBER_AFTER_ITEMS != 0 {
        // SAFETY: a live variable-size object (the flag is set only for such types).
        unsafe { off += (*(obj as *mut PyVarObject)).ob_size as usize * (*(*obj).ob_type).tp_itemsize as usize };
    }
    off
}

/// Where a member lives in `obj`: its offset, or with `Py_RELATIVE_OFFSET` the offset within
/// the type data of the defining class.
fn member_addr(obj: &Obj, m: &PyMemberDef, defining: &TypeObj) -> *mut u8 {
    let mut off = member_offset(obj.as_ptr(), m);
    if m.flags & Py_RELATIVE_OFFSET != 0 {
        off += crate::objects::type_::type_data_offset(defining);
    }
    // SAFETY: the type's definition promises a field of the member's type at that offset.
    unsafe { (obj.as_ptr() as *mut u8).add(off) }
}

/// `PyMember_GetOne`.
pub fn member_get(obj: &Obj, m: &PyMemberDef, defining: &TypeObj) -> PyResult<PyRef> {
    let p = member_addr(obj, m, defining);
    // SAFETY: p points to a field of the member's C type.
    unsafe {
        Ok(match m.type_code {
            Py_T_BYTE => long::from_i64(*(p as *const i8) as i64),
            Py_T_UBYTE => long::from_i64(*p as i64),
            Py_T_SHORT => long::from_i64(*(p as *const i16) as i64),
            Py_T_USHORT => long::from_i64(*(p as *const u16) as i64),
            Py_T_INT => long::from_i64(*(p as *const i32) as i64),
            Py_T_UINT => long::from_i64(*(p as *const u32) as i64),
            Py_T_LONG | Py_T_LONGLONG | Py_T_PYSSIZET => long::from_i64(*(p as *const i64)),
            Py_T_ULONG | Py_T_ULONGLONG => long::from_u64(*(p as *const u64)),
            Py_T_BOOL => bool_::new(*(p as *const u8) != 0),
            Py_T_FLOAT => float::new(*(p as *const f32) as f64),
            Py_T_DOUBLE => float::new(*(p as *const f64)),
            Py_T_CHAR => unicode::from_code_points(&[*p as u32]),
            Py_T_STRING => {
                let s = *(p as *const *const c_char);
                if s.is_null() { none::none() } else { unicode::new(&CStr::from_ptr(s).to_string_lossy()) }
            }
            Py_T_STRING_INPLACE => unicode::new(&CStr::from_ptr(p as *const c_char).to_string_lossy()),
            _Py_T_OBJECT => match opt_arg(*(p as *const *mut PyObject)) {
                Some(v) => v.new_ref(),
                None => none::none(),
            },
            Py_T_OBJECT_EX => match opt_arg(*(p as *const *mut PyObject)) {
                Some(v) => v.new_ref(),
                None => {
                    let n = CStr::from_ptr(m.name).to_string_lossy();
                    return Err(raise!(AttributeError, "'{}' object has no attribute '{}'", obj.ob_type().full_name(), n));
                }
            },
            _Py_T_NONE => none::none(),
            t => return Err(raise!(SystemError, "bad memberdescr type for {}: {}", CStr::from_ptr(m.name).to_string_lossy(), t)),
        })
    }
}

/// `PyMember_SetOne` (`value` None = delete).
pub fn member_set(obj: &Obj, m: &PyMemberDef, defining: &TypeObj, value: Option<&Obj>) -> PyResult<()> {
    if m.flags & Py_READONLY != 0 {
        return Err(raise!(AttributeError, "readonly attribute"));
    }
    let p = member_addr(obj, m, defining);
    let Some(v) = value else {
        return match m.type_code {
            Py_T_OBJECT_EX | _Py_T_OBJECT => {
                // SAFETY: p is a PyObject* field.
                let old = unsafe { core::mem::replace(&mut *(p as *mut *mut PyObject), null_mut()) };
                if old.is_null() && m.type_code == Py_T_OBJECT_EX {
                    // SAFETY: m.name is a static string.
                    let n = unsafe { CStr::from_ptr(m.name) }.to_string_lossy();
                    return Err(raise!(AttributeError, "'{}' object has no attribute '{}'", obj.ob_type().full_name(), n));
                }
                // SAFETY: the field held NULL or an owned reference.
                unsafe { crate::object::xdecref(old) };
                Ok(())
            }
            _ => Err(raise!(TypeError, "can't delete numeric/char attribute")),
        };
    };
    let int = |lo: i128, hi: i128| -> PyResult<i128> {
        if !long::check(v) {
            return Err(raise!(TypeError, "'{}' object cannot be interpreted as an integer", v.ob_type().name()));
        }
        match long::to_i128(v) {
            Some(x) if (lo..=hi).contains(&x) => Ok(x),
            _ => Err(raise!(OverflowError, "Python int too large to convert to C long")),
        }
    };
    // SAFETY: p points to a field of the member's C type.
    unsafe {
        match m.type_code {
            Py_T_BYTE => *(p as *mut i8) = int(i8::MIN as i128, u8::MAX as i128)? as i8,
            Py_T_UBYTE => *p = int(i8::MIN as i128, u8::MAX as i128)? as u8,
            Py_T_SHORT => *(p as *mut i16) = int(i16::MIN as i128, u16::MAX as i128)? as i16,
            Py_T_USHORT => *(p as *mut u16) = int(i16::MIN as i128, u16::MAX as i128)? as u16,
            Py_T_INT => *(p as *mut i32) = int(i32::MIN as i128, i32::MAX as i128)? as i32,
            Py_T_UINT => *(p as *mut u32) = int(0, u32::MAX as i128)? as u32,
            Py_T_LONG | Py_T_LONGLONG | Py_T_PYSSIZET => *(p as *mut i64) = int(i64::MIN as i128, i64::MAX as i128)? as i64,
            Py_T_ULONG | Py_T_ULONGLONG => *(p as *mut u64) = int(0, u64::MAX as i128)? as u64,
            Py_T_BOOL => {
                if !v.is_exact(&crate::objects::bool_::PyBool_Type) {
                    return Err(raise!(TypeError, "attribute value type must be bool"));
                }
                *p = (v.is(crate::objects::bool_::_Py_TrueStruct.obj())) as u8;
            }
            Py_T_FLOAT | Py_T_DOUBLE => {
                let Some(x) = float::operand(v)? else {
                    return Err(raise!(TypeError, "attribute value type must be float"));
                };
                if m.type_code == Py_T_FLOAT { *(p as *mut f32) = x as f32 } else { *(p as *mut f64) = x }
            }
            Py_T_CHAR => {
                if !unicode::check(v) || unicode::len(v) != 1 || unicode::char_at(v, 0) > 0x7f {
                    return Err(raise!(TypeError, "attribute value type must be str of length 1"));
                }
                *p = unicode::char_at(v, 0) as u8;
            }
            Py_T_STRING | Py_T_STRING_INPLACE => return Err(raise!(TypeError, "readonly attribute")),
            _Py_T_OBJECT | Py_T_OBJECT_EX => {
                let old = core::mem::replace(&mut *(p as *mut *mut PyObject), v.new_ref().into_raw());
                crate::object::xdecref(old);
            }
            t => return Err(raise!(SystemError, "bad memberdescr type for {}: {}", CStr::from_ptr(m.name).to_string_lossy(), t)),
        }
    }
    Ok(())
}

unsafe extern "C" fn member_descr_get(d: *mut PyObject, obj: *mut PyObject, _ty: *mut PyObject) -> *mut PyObject {
    // SAFETY: live arguments.
    unsafe {
        let d = arg(d);
        let Some(obj) = opt_arg(obj) else { return d.new_ref().into_raw() };
        if let Err(e) = check_self(d, obj) {
            return ret_obj(Err(e));
        }
        ret_obj(member_get(obj, &*((*raw(d)).d_def as *const PyMemberDef), owner(d)))
    }
}

unsafe extern "C" fn member_descr_set(d: *mut PyObject, obj: *mut PyObject, v: *mut PyObject) -> c_int {
    // SAFETY: live arguments.
    unsafe {
        let (d, obj) = (arg(d), arg(obj));
        if let Err(e) = check_self(d, obj) {
            return ret_int(Err(e));
        }
        ret_int(member_set(obj, &*((*raw(d)).d_def as *const PyMemberDef), owner(d), opt_arg(v)).map(|_| 0))
    }
}

unsafe extern "C" fn getset_descr_get(d: *mut PyObject, obj: *mut PyObject, _ty: *mut PyObject) -> *mut PyObject {
    // SAFETY: live arguments; the getter follows the C getter convention.
    unsafe {
        let d = arg(d);
        let Some(obj) = opt_arg(obj) else { return d.new_ref().into_raw() };
        if let Err(e) = check_self(d, obj) {
            return ret_obj(Err(e));
        }
        let g = &*((*raw(d)).d_def as *const PyGetSetDef);
        match g.get {
            Some(get) => ret_obj(crate::slot::from_new(get(obj.as_ptr(), g.closure))),
            None => ret_obj(Err(raise!(
                AttributeError,
                "attribute '{}' of '{}' objects is not readable",
                name(d),
                owner(d).name()
            ))),
        }
    }
}

unsafe extern "C" fn getset_descr_set(d: *mut PyObject, obj: *mut PyObject, v: *mut PyObject) -> c_int {
    // SAFETY: live arguments; the setter follows the C setter convention.
    unsafe {
        let (d, o) = (arg(d), arg(obj));
        if let Err(e) = check_self(d, o) {
            return ret_int(Err(e));
        }
        let g = &*((*raw(d)).d_def as *const PyGetSetDef);
        match g.set {
            Some(set) => set(obj, v, g.closure),
            None => ret_int(Err(raise!(
                AttributeError,
                "attribute '{}' of '{}' objects is not writable",
                name(d),
                owner(d).full_name()
            ))),
        }
    }
}

unsafe extern "C" fn descr_traverse(o: *mut PyObject, visit: visitproc, a: *mut c_void) -> c_int {
    // SAFETY: a live descriptor owning these references (`descr_dealloc` drops them).
    unsafe {
        let d = o as *mut DescrObject;
        crate::gc::visit_each(&[(*d).d_type as *mut PyObject, (*d).d_name, (*d).d_qualname], visit, a)
    }
}
