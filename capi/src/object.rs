//! `object.h` / `refcount.h`: reference counting with the encoding every extension vintage
//! shares, header accessors (`Py_TYPE`, ... — functions for abi3t and >= 3.14 targets),
//! constants, and the object protocol basics.

use core::ffi::{c_char, c_int, c_uint};
use core::ptr::null_mut;

use pyrite_abi::*;
use pyrite_vm::objects::{bool_, bytes, none, tuple, type_, unicode};
use pyrite_vm::builtins::{is_instance, is_subclass};
use pyrite_vm::{abstract_, object, Obj, PyRef};

use crate::boundary::{cstr, obj};
use crate::capi;

/// `_Py_Dealloc`: called directly by <= 3.11 headers (and 3.12–3.15 with a limited API below
/// 3.12) when their inline decrement reaches 0.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn _Py_Dealloc(op: *mut PyObject) {
    // SAFETY: the caller's decrement reached 0 on a live object.
    unsafe { object::dealloc(op) }
}

/// `_Py_IncRef`: what `Py_INCREF` compiles to for limited API >= 3.12 and abi3t.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn _Py_IncRef(op: *mut PyObject) {
    // SAFETY: NULL-tolerant, else a live object.
    unsafe { object::xincref(op) }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn _Py_DecRef(op: *mut PyObject) {
    // SAFETY: NULL-tolerant, else a live object whose reference the caller gives up.
    unsafe { object::xdecref(op) }
}

/// `Py_IncRef`: the NULL-tolerant form older debug builds call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn Py_IncRef(op: *mut PyObject) {
    // SAFETY: as `_Py_IncRef`.
    unsafe { object::xincref(op) }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn Py_DecRef(op: *mut PyObject) {
    // SAFETY: as `_Py_DecRef`.
    unsafe { object::xdecref(op) }
}

/// `_Py_SetRefcnt`: immortal objects keep their count; mortal counts are stored in the low
/// half (a count of 2^31 or more makes the object immortal, as in CPython).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn _Py_SetRefcnt(op: *mut PyObject, n: Py_ssize_t) {
    // SAFETY: a live object.
    unsafe {
        let w = (*op).ob_refcnt;
        if refcount::is_immortal(w) {
            return;
        }
        (*op).ob_refcnt = if n as u64 >= refcount::IMMORTAL_MINIMUM_REFCNT as u64 {
            (w & !0xFFFF_FFFF) | refcount::IMMORTAL_INITIAL_REFCNT as u64
        } else {
            (w & !0xFFFF_FFFF) | (n as u64 & 0xFFFF_FFFF)
        };
    }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn Py_REFCNT(op: *mut PyObject) -> Py_ssize_t {
    // SAFETY: a live object.
    unsafe { Obj::from_ptr(op) }.refcnt()
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn Py_TYPE(op: *mut PyObject) -> *mut PyTypeObject {
    // SAFETY: a live object.
    unsafe { (*op).ob_type }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn Py_SIZE(op: *mut PyObject) -> Py_ssize_t {
    // SAFETY: a live variable-size object.
    unsafe { (*(op as *mut PyVarObject)).ob_size }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn Py_IS_TYPE(op: *mut PyObject, ty: *mut PyTypeObject) -> c_int {
    // SAFETY: a live object.
    unsafe { ((*op).ob_type == ty) as c_int }
}

#[unsafe(no_mangle)]
pub unsafe extern "C" fn Py_SET_SIZE(op: *mut PyVarObject, size: Py_ssize_t) {
    // SAFETY: a live variable-size object.
    unsafe { (*op).ob_size = size }
}

/// The object behind a `Py_CONSTANT_*` id (borrowed; all are immortal).
fn constant(id: c_uint) -> Option<&'static Obj> {
    Some(match id {
        Py_CONSTANT_NONE => none::none_obj(),
        Py_CONSTANT_FALSE => bool_::_Py_FalseStruct.obj(),
        Py_CONSTANT_TRUE => bool_::_Py_TrueStruct.obj(),
        Py_CONSTANT_ELLIPSIS => none::_Py_EllipsisObject.obj(),
        Py_CONSTANT_NOT_IMPLEMENTED => none::not_implemented_obj(),
        Py_CONSTANT_ZERO => pyrite_vm::objects::long::small_int_obj(0),
        Py_CONSTANT_ONE => pyrite_vm::objects::long::small_int_obj(1),
        Py_CONSTANT_EMPTY_STR => unicode::empty_obj(),
        Py_CONSTANT_EMPTY_BYTES => bytes::empty_obj(),
        Py_CONSTANT_EMPTY_TUPLE => tuple::empty_obj(),
        _ => return None,
    })
}

capi! {
    fn Py_GetConstant(id: c_uint) -> *mut PyObject [null_mut()] {
        constant(id).map(|o| o.new_ref().into_raw()).ok_or_else(crate::boundary::bad_internal_call)
    }
    fn Py_GetConstantBorrowed(id: c_uint) -> *mut PyObject [null_mut()] {
        constant(id).map(|o| o.as_ptr()).ok_or_else(crate::boundary::bad_internal_call)
    }
    fn Py_Is(x: *mut PyObject, y: *mut PyObject) -> c_int [0] { Ok((x == y) as c_int) }
    fn Py_IsNone(x: *mut PyObject) -> c_int [0] { Ok((x == none::none_obj().as_ptr()) as c_int) }
    fn Py_IsTrue(x: *mut PyObject) -> c_int [0] { Ok((x == bool_::_Py_TrueStruct.as_ptr()) as c_int) }
    fn Py_IsFalse(x: *mut PyObject) -> c_int [0] { Ok((x == bool_::_Py_FalseStruct.as_ptr()) as c_int) }

    fn PyObject_Repr(o: *mut PyObject) -> *mut PyObject [null_mut()] {
        if o.is_null() { return Ok(unicode::new("<NULL>").into_raw()); }
        abstract_::repr(obj(o)?).map(PyRef::into_raw)
    }
    fn PyObject_Str(o: *mut PyObject) -> *mut PyObject [null_mut()] {
        if o.is_null() { return Ok(unicode::new("<NULL>").into_raw()); }
        abstract_::str(obj(o)?).map(PyRef::into_raw)
    }
    fn PyObject_ASCII(o: *mut PyObject) -> *mut PyObject [null_mut()] {
        if o.is_null() { return Ok(unicode::new("<NULL>").into_raw()); }
        let r = abstract_::repr(obj(o)?)?;
        if unicode::is_ascii(&r) { return Ok(r.into_raw()); }
        Ok(unicode::new(&unicode::ascii_escape(&r)).into_raw())
    }
    fn PyObject_GetAttr(o: *mut PyObject, name: *mut PyObject) -> *mut PyObject [null_mut()] {
        abstract_::getattr(obj(o)?, obj(name)?).map(PyRef::into_raw)
    }
    fn PyObject_GetAttrString(o: *mut PyObject, name: *const c_char) -> *mut PyObject [null_mut()] {
        abstract_::getattr_str(obj(o)?, cstr(name)?).map(PyRef::into_raw)
    }
    fn PyObject_SetAttr(o: *mut PyObject, name: *mut PyObject, v: *mut PyObject) -> c_int [-1] {
        abstract_::setattr(obj(o)?, obj(name)?, pyrite_vm::slot::opt_arg(v)).map(|_| 0)
    }
    fn PyObject_SetAttrString(o: *mut PyObject, name: *const c_char, v: *mut PyObject) -> c_int [-1] {
        abstract_::setattr(obj(o)?, &unicode::new(cstr(name)?), pyrite_vm::slot::opt_arg(v)).map(|_| 0)
    }
    fn PyObject_DelAttr(o: *mut PyObject, name: *mut PyObject) -> c_int [-1] {
        abstract_::setattr(obj(o)?, obj(name)?, None).map(|_| 0)
    }
    fn PyObject_DelAttrString(o: *mut PyObject, name: *const c_char) -> c_int [-1] {
        abstract_::setattr(obj(o)?, &unicode::new(cstr(name)?), None).map(|_| 0)
    }
    fn PyObject_HasAttrWithError(o: *mut PyObject, name: *mut PyObject) -> c_int [-1] {
        has_attr(obj(o)?, obj(name)?)
    }
    fn PyObject_HasAttrStringWithError(o: *mut PyObject, name: *const c_char) -> c_int [-1] {
        has_attr(obj(o)?, &unicode::new(cstr(name)?))
    }
    /// Errors are reported as unraisable (CPython 3.13+) and answer 0.
    fn PyObject_HasAttr(o: *mut PyObject, name: *mut PyObject) -> c_int [0] {
        Ok(has_attr(obj(o)?, obj(name)?).unwrap_or_else(|e| {
            pyrite_vm::traceback::write_unraisable(
                "Exception ignored in PyObject_HasAttr(); consider using PyObject_HasAttrWithError(), PyObject_GetOptionalAttr() or PyObject_GetAttr()",
                &e,
            );
            0
        }))
    }
    fn PyObject_HasAttrString(o: *mut PyObject, name: *const c_char) -> c_int [0] {
        Ok(cstr(name).and_then(|n| has_attr(obj(o)?, &unicode::new(n))).unwrap_or_else(|e| {
            pyrite_vm::traceback::write_unraisable(
                "Exception ignored in PyObject_HasAttrString(); consider using PyObject_HasAttrStringWithError(), PyObject_GetOptionalAttrString() or PyObject_GetAttrString()",
                &e,
            );
            0
        }))
    }
    fn PyObject_GetOptionalAttr(o: *mut PyObject, name: *mut PyObject, result: *mut *mut PyObject) -> c_int [-1] {
        *result = null_mut();
        Ok(match abstract_::getattr_opt(obj(o)?, obj(name)?)? {
            Some(v) => { *result = v.into_raw(); 1 }
            None => 0,
        })
    }
    fn PyObject_GetOptionalAttrString(o: *mut PyObject, name: *const c_char, result: *mut *mut PyObject) -> c_int [-1] {
        *result = null_mut();
        Ok(match abstract_::lookup_attr(obj(o)?, cstr(name)?)? {
            Some(v) => { *result = v.into_raw(); 1 }
            None => 0,
        })
    }
    fn PyObject_GenericGetDict(o: *mut PyObject, context: *mut core::ffi::c_void) -> *mut PyObject [null_mut()] {
        crate::boundary::obj(o)?;
        Ok(pyrite_vm::objects::heaptype::instance_get_dict(o, context))
    }
    fn PyObject_GenericSetDict(o: *mut PyObject, value: *mut PyObject, context: *mut core::ffi::c_void) -> c_int [-1] {
        crate::boundary::obj(o)?;
        Ok(pyrite_vm::objects::heaptype::instance_set_dict(o, value, context))
    }
    fn PyObject_GenericGetAttr(o: *mut PyObject, name: *mut PyObject) -> *mut PyObject [null_mut()] {
        type_::generic_getattr_impl(obj(o)?, obj(name)?).map(PyRef::into_raw)
    }
    fn PyObject_GenericSetAttr(o: *mut PyObject, name: *mut PyObject, v: *mut PyObject) -> c_int [-1] {
        type_::generic_setattr_impl(obj(o)?, obj(name)?, pyrite_vm::slot::opt_arg(v)).map(|_| 0)
    }
    fn PyObject_RichCompare(a: *mut PyObject, b: *mut PyObject, op: c_int) -> *mut PyObject [null_mut()] {
        if !(0..6).contains(&op) { return Err(crate::boundary::bad_internal_call()); }
        abstract_::rich_compare(obj(a)?, obj(b)?, op).map(PyRef::into_raw)
    }
    fn PyObject_RichCompareBool(a: *mut PyObject, b: *mut PyObject, op: c_int) -> c_int [-1] {
        if !(0..6).contains(&op) { return Err(crate::boundary::bad_internal_call()); }
        abstract_::rich_compare_bool(obj(a)?, obj(b)?, op).map(c_int::from)
    }
    fn PyObject_Hash(o: *mut PyObject) -> Py_hash_t [-1] { abstract_::hash(obj(o)?) }
    fn PyObject_HashNotImplemented(o: *mut PyObject) -> Py_hash_t [-1] {
        Err(pyrite_vm::raise!(TypeError, "unhashable type: '{}'", obj(o)?.ob_type().name()))
    }
    fn PyObject_IsTrue(o: *mut PyObject) -> c_int [-1] { abstract_::is_true(obj(o)?).map(c_int::from) }
    fn PyObject_Not(o: *mut PyObject) -> c_int [-1] { abstract_::is_true(obj(o)?).map(|t| (!t) as c_int) }
    fn PyObject_Type(o: *mut PyObject) -> *mut PyObject [null_mut()] {
        Ok(obj(o)?.ob_type().new_ref().into_raw())
    }
    fn PyCallable_Check(o: *mut PyObject) -> c_int [0] {
        if o.is_null() { return Ok(0); }
        Ok(obj(o)?.ob_type().slots().tp_call.is_some() as c_int)
    }
    fn PyObject_Init(o: *mut PyObject, t: *mut PyTypeObject) -> *mut PyObject [null_mut()] {
        if o.is_null() { return Err(pyrite_vm::PyErr::from_type_no_args(pyrite_vm::objects::exceptions::MemoryError())); }
        object::init_header(o, t);
        Ok(o)
    }
    fn PyObject_InitVar(o: *mut PyVarObject, t: *mut PyTypeObject, n: Py_ssize_t) -> *mut PyVarObject [null_mut()] {
        if o.is_null() { return Err(pyrite_vm::PyErr::from_type_no_args(pyrite_vm::objects::exceptions::MemoryError())); }
        object::init_header(o as *mut PyObject, t);
        (*o).ob_size = n;
        Ok(o)
    }
    fn PyObject_IsInstance(o: *mut PyObject, cls: *mut PyObject) -> c_int [-1] {
        is_instance(obj(o)?, obj(cls)?).map(c_int::from)
    }
    fn PyObject_IsSubclass(derived: *mut PyObject, cls: *mut PyObject) -> c_int [-1] {
        is_subclass(obj(derived)?, obj(cls)?).map(c_int::from)
    }
    fn PyObject_SelfIter(o: *mut PyObject) -> *mut PyObject [null_mut()] { Ok(obj(o)?.new_ref().into_raw()) }
}

fn has_attr(o: &Obj, name: &Obj) -> pyrite_vm::PyResult<c_int> {
    abstract_::getattr_opt(o, name).map(|v| c_int::from(v.is_some()))
}
