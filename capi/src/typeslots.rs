//! `PyType_GetSlot`: a type's slot by its `Py_*` id, for static and heap types alike.

use core::ffi::{c_int, c_void};
use core::ptr::null_mut;

use pyrite_abi::type_slot::*;
use pyrite_abi::*;
use pyrite_vm::objects::typespec;
use pyrite_vm::{Obj, TypeObj};

use crate::capi;

/// The slot `id` of `t` as an untyped pointer (NULL if the type does not have it).
///
/// # Safety
/// `t` is a live type object.
pub unsafe fn get_slot(t: *mut PyTypeObject, id: c_int) -> Option<*mut c_void> {
    macro_rules! f {
        ($v:expr) => {
            $v.map_or(null_mut(), |f| f as *mut c_void)
        };
    }
    macro_rules! suite {
        ($suite:ident, $field:ident) => {{
            let s = (*t).$suite;
            if s.is_null() { null_mut() } else { f!((*s).$field) }
        }};
    }
    // SAFETY: guaranteed by the caller; suites are NULL or valid.
    unsafe {
        Some(match id {
            Py_bf_getbuffer | Py_bf_getbuffer_OLD => suite!(tp_as_buffer, bf_getbuffer),
            Py_bf_releasebuffer | Py_bf_releasebuffer_OLD => suite!(tp_as_buffer, bf_releasebuffer),
            Py_mp_ass_subscript | Py_mp_ass_subscript_OLD => suite!(tp_as_mapping, mp_ass_subscript),
            Py_mp_length | Py_mp_length_OLD => suite!(tp_as_mapping, mp_length),
            Py_mp_subscript => suite!(tp_as_mapping, mp_subscript),
            Py_nb_absolute => suite!(tp_as_number, nb_absolute),
            Py_nb_add => suite!(tp_as_number, nb_add),
            Py_nb_and => suite!(tp_as_number, nb_and),
            Py_nb_bool => suite!(tp_as_number, nb_bool),
            Py_nb_divmod => suite!(tp_as_number, nb_divmod),
            Py_nb_float => suite!(tp_as_number, nb_float),
            Py_nb_floor_divide => suite!(tp_as_number, nb_floor_divide),
            Py_nb_index => suite!(tp_as_number, nb_index),
            Py_nb_inplace_add => suite!(tp_as_number, nb_inplace_add),
            Py_nb_inplace_and => suite!(tp_as_number, nb_inplace_and),
            Py_nb_inplace_floor_divide => suite!(tp_as_number, nb_inplace_floor_divide),
            Py_nb_inplace_lshift => suite!(tp_as_number, nb_inplace_lshift),
            Py_nb_inplace_multiply => suite!(tp_as_number, nb_inplace_multiply),
            Py_nb_inplace_or => suite!(tp_as_number, nb_inplace_or),
            Py_nb_inplace_power => suite!(tp_as_number, nb_inplace_power),
            Py_nb_inplace_remainder => suite!(tp_as_number, nb_inplace_remainder),
            Py_nb_inplace_rshift => suite!(tp_as_number, nb_inplace_rshift),
            Py_nb_inplace_subtract => suite!(tp_as_number, nb_inplace_subtract),
            Py_nb_inplace_true_divide => suite!(tp_as_number, nb_inplace_true_divide),
            Py_nb_inplace_xor => suite!(tp_as_number, nb_inplace_xor),
            Py_nb_int => suite!(tp_as_number, nb_int),
            Py_nb_invert => suite!(tp_as_number, nb_invert),
            Py_nb_lshift => suite!(tp_as_number, nb_lshift),
            Py_nb_multiply => suite!(tp_as_number, nb_multiply),
            Py_nb_negative => suite!(tp_as_number, nb_negative),
            Py_nb_or => suite!(tp_as_number, nb_or),
            Py_nb_positive => suite!(tp_as_number, nb_positive),
            Py_nb_power => suite!(tp_as_number, nb_power),
            Py_nb_remainder => suite!(tp_as_number, nb_remainder),
            Py_nb_rshift => suite!(tp_as_number, nb_rshift),
            Py_nb_subtract => suite!(tp_as_number, nb_subtract),
            Py_nb_true_divide => suite!(tp_as_number, nb_true_divide),
            Py_nb_xor => suite!(tp_as_number, nb_xor),
            Py_nb_matrix_multiply => suite!(tp_as_number, nb_matrix_multiply),
            Py_nb_inplace_matrix_multiply => suite!(tp_as_number, nb_inplace_matrix_multiply),
            Py_sq_ass_item => suite!(tp_as_sequence, sq_ass_item),
            Py_sq_concat => suite!(tp_as_sequence, sq_concat),
            Py_sq_contains => suite!(tp_as_sequence, sq_contains),
            Py_sq_inplace_concat => suite!(tp_as_sequence, sq_inplace_concat),
            Py_sq_inplace_repeat => suite!(tp_as_sequence, sq_inplace_repeat),
            Py_sq_item => suite!(tp_as_sequence, sq_item),
            Py_sq_length => suite!(tp_as_sequence, sq_length),
            Py_sq_repeat => suite!(tp_as_sequence, sq_repeat),
            Py_am_await => suite!(tp_as_async, am_await),
            Py_am_aiter => suite!(tp_as_async, am_aiter),
            Py_am_anext => suite!(tp_as_async, am_anext),
            Py_am_send => suite!(tp_as_async, am_send),
            Py_tp_alloc => f!((*t).tp_alloc),
            Py_tp_base => (*t).tp_base as *mut c_void,
            Py_tp_bases => (*t).tp_bases as *mut c_void,
            Py_tp_call => f!((*t).tp_call),
            Py_tp_clear => f!((*t).tp_clear),
            Py_tp_dealloc => f!((*t).tp_dealloc),
            Py_tp_del => f!((*t).tp_del),
            Py_tp_descr_get => f!((*t).tp_descr_get),
            Py_tp_descr_set => f!((*t).tp_descr_set),
            Py_tp_doc => (*t).tp_doc as *mut c_void,
            Py_tp_getattr => f!((*t).tp_getattr),
            Py_tp_getattro => f!((*t).tp_getattro),
            Py_tp_hash => f!((*t).tp_hash),
            Py_tp_init => f!((*t).tp_init),
            Py_tp_is_gc => f!((*t).tp_is_gc),
            Py_tp_iter => f!((*t).tp_iter),
            Py_tp_iternext => f!((*t).tp_iternext),
            Py_tp_methods => (*t).tp_methods as *mut c_void,
            Py_tp_new => f!((*t).tp_new),
            Py_tp_repr => f!((*t).tp_repr),
            Py_tp_richcompare => f!((*t).tp_richcompare),
            Py_tp_setattr => f!((*t).tp_setattr),
            Py_tp_setattro => f!((*t).tp_setattro),
            Py_tp_str => f!((*t).tp_str),
            Py_tp_traverse => f!((*t).tp_traverse),
            Py_tp_members => (*t).tp_members as *mut c_void,
            Py_tp_getset => (*t).tp_getset as *mut c_void,
            Py_tp_free => f!((*t).tp_free),
            Py_tp_finalize => f!((*t).tp_finalize),
            Py_tp_vectorcall => f!((*t).tp_vectorcall),
            Py_tp_name => (*t).tp_name as *mut c_void,
            _ => return None,
        })
    }
}

/// The `PyType_From*` family: NULL `bases` means "from the spec's slots".
///
/// # Safety
/// `spec` is a valid `PyType_Spec`; `bases` is NULL or a live object.
unsafe fn from(meta: Option<&TypeObj>, module: Option<&Obj>, spec: *mut PyType_Spec, bases: *mut PyObject) -> pyrite_vm::PyResult<*mut PyObject> {
    if spec.is_null() {
        return Err(crate::boundary::bad_internal_call());
    }
    // SAFETY: guaranteed by the caller.
    unsafe {
        let spec = typespec::Spec::from_c(spec)?;
        let bases = (!bases.is_null()).then(|| Obj::from_ptr(bases));
        typespec::from_spec(meta, module, &spec, bases).map(|t| t.into_raw())
    }
}

capi! {
    fn PyType_GetSlot(t: *mut PyTypeObject, id: c_int) -> *mut c_void [null_mut()] {
        get_slot(t, id).ok_or_else(|| crate::boundary::bad_internal_call())
    }
    fn PyType_GetModule(t: *mut PyTypeObject) -> *mut PyObject [null_mut()] {
        typespec::module_of(TypeObj::from_ptr(t)).map(|m| m.as_ptr())
    }
    fn PyType_GetModuleState(t: *mut PyTypeObject) -> *mut c_void [null_mut()] {
        typespec::module_of(TypeObj::from_ptr(t)).map(pyrite_vm::objects::module::state_of)
    }
    fn PyType_GetModuleByDef(t: *mut PyTypeObject, def: *mut PyModuleDef) -> *mut PyObject [null_mut()] {
        typespec::module_by_def(TypeObj::from_ptr(t), def).map(|m| m.as_ptr())
    }
    fn PyType_GetBaseByToken(t: *mut PyTypeObject, token: *mut c_void, result: *mut *mut PyTypeObject) -> c_int [-1] {
        if !result.is_null() {
            *result = null_mut();
        }
        if token.is_null() {
            return Err(pyrite_vm::raise!(SystemError, "PyType_GetBaseByToken called with token=NULL"));
        }
        let t = crate::boundary::obj(t as *mut PyObject)?;
        let Some(t) = TypeObj::downcast(t) else {
            return Err(pyrite_vm::raise!(TypeError, "expected a type, got a '{}' object", t.ob_type().name()));
        };
        match typespec::base_by_token(t, token) {
            Some(b) => {
                if !result.is_null() {
                    *result = b.new_ref().into_raw() as *mut PyTypeObject;
                }
                Ok(1)
            }
            None => Ok(0),
        }
    }
    fn PyType_GetBaseByToken_DuringGC(t: *mut PyTypeObject, token: *mut c_void, result: *mut *mut PyTypeObject) -> c_int [0] {
        // During GC nothing may be created or raised: a borrowed result, 0 when not found.
        let found = if token.is_null() { None } else { typespec::base_by_token(TypeObj::from_ptr(t), token) };
        if !result.is_null() {
            *result = found.map_or(null_mut(), |b| b.raw());
        }
        Ok(found.is_some() as c_int)
    }
    fn PyType_GetModuleByToken(t: *mut PyTypeObject, token: *mut c_void) -> *mut PyObject [null_mut()] {
        typespec::module_by_def(TypeObj::from_ptr(t), token as *mut PyModuleDef).map(|m| m.new_ref().into_raw())
    }
    fn PyType_GetModuleByToken_DuringGC(t: *mut PyTypeObject, token: *mut c_void) -> *mut PyObject [null_mut()] {
        Ok(typespec::module_by_token(TypeObj::from_ptr(t), token).map_or(null_mut(), |m| m.as_ptr()))
    }
    fn PyType_GetModule_DuringGC(t: *mut PyTypeObject) -> *mut PyObject [null_mut()] {
        Ok(typespec::module_of(TypeObj::from_ptr(t)).map_or(null_mut(), |m| m.as_ptr()))
    }
    fn PyType_GetModuleState_DuringGC(t: *mut PyTypeObject) -> *mut c_void [null_mut()] {
        Ok(typespec::module_of(TypeObj::from_ptr(t)).map_or(null_mut(), pyrite_vm::objects::module::state_of))
    }
    fn PyType_FromSlots(slots: *mut PySlot) -> *mut PyObject [null_mut()] {
        if slots.is_null() {
            return Err(crate::boundary::bad_internal_call());
        }
        typespec::from_slots(slots).map(|t| t.into_raw())
    }
    fn PyType_Freeze(t: *mut PyTypeObject) -> c_int [-1] {
        typespec::freeze(TypeObj::from_ptr(t)).map(|_| 0)
    }
    fn PyCriticalSection_Begin(_c: *mut c_void, _op: *mut PyObject) -> () [()] {
        // With the GIL, as in CPython's default build, a critical section adds nothing: the
        // GIL already serializes access to the object.
        Ok(())
    }
    fn PyCriticalSection_End(_c: *mut c_void) -> () [()] { Ok(()) }
    fn PyCriticalSection2_Begin(_c: *mut c_void, _a: *mut PyObject, _b: *mut PyObject) -> () [()] { Ok(()) }
    fn PyCriticalSection2_End(_c: *mut c_void) -> () [()] { Ok(()) }
    fn PyType_FromSpec(spec: *mut PyType_Spec) -> *mut PyObject [null_mut()] {
        from(None, None, spec, null_mut())
    }
    fn PyType_FromSpecWithBases(spec: *mut PyType_Spec, bases: *mut PyObject) -> *mut PyObject [null_mut()] {
        from(None, None, spec, bases)
    }
    fn PyType_FromModuleAndSpec(module: *mut PyObject, spec: *mut PyType_Spec, bases: *mut PyObject) -> *mut PyObject [null_mut()] {
        from(None, (!module.is_null()).then(|| Obj::from_ptr(module)), spec, bases)
    }
    fn PyType_FromMetaclass(meta: *mut PyTypeObject, module: *mut PyObject, spec: *mut PyType_Spec, bases: *mut PyObject) -> *mut PyObject [null_mut()] {
        let meta = (!meta.is_null()).then(|| TypeObj::from_ptr(meta));
        from(meta, (!module.is_null()).then(|| Obj::from_ptr(module)), spec, bases)
    }
}
