//! Objects of Rust-implemented module types whose state is a Rust value: the CPython header
//! followed by one pointer to a boxed payload, freed by [`boxed_dealloc`]. Used by the types
//! of `_sre`, `_thread` and `_contextvars`, which hold Rust collections, locks and `Arc`s.

use pyrite_abi::*;

use crate::err::PyResult;
use crate::object::{Obj, PyRef};
use crate::objects::type_::TypeObj;

#[repr(C)]
pub struct Boxed<T> {
    pub ob_base: PyObject,
    pub payload: *mut T,
}

/// The payload of `o`.
///
/// `o` must be an instance of a type whose instances are `Boxed<T>` made by [`new_boxed`]
/// (callers check the type first, or are methods of that type).
pub fn payload<T>(o: &Obj) -> &T {
    // SAFETY: guaranteed by the caller (see above); the payload lives as long as `o`.
    unsafe { &*(*(o.as_ptr() as *mut Boxed<T>)).payload }
}

/// A new instance of `ty` (a readied type with `Boxed<T>`'s size) holding `v`.
pub fn new_boxed<T>(ty: &TypeObj, v: T) -> PyResult<PyRef> {
    // SAFETY: `ty` is live and its instances have `Boxed<T>`'s layout; the payload starts NULL.
    unsafe {
        let alloc = ty.slots().tp_alloc.unwrap_or(crate::alloc::generic_alloc);
        let o = crate::slot::from_new(alloc(ty.raw(), 0))?;
        (*(o.as_ptr() as *mut Boxed<T>)).payload = Box::into_raw(Box::new(v));
        Ok(o)
    }
}

/// Sets the payload of a fresh instance (allocated by `tp_alloc`, payload still NULL).
pub fn init_payload<T>(o: &Obj, v: T) {
    // SAFETY: `o` is a fresh `Boxed<T>` instance whose payload is NULL.
    unsafe { (*(o.as_ptr() as *mut Boxed<T>)).payload = Box::into_raw(Box::new(v)) };
}

/// `tp_dealloc` of such types: drops the payload, then frees the object with `tp_free`.
///
/// # Safety
/// `o` is a dead instance of a type whose instances are `Boxed<T>`.
pub unsafe extern "C" fn boxed_dealloc<T>(o: *mut PyObject) {
    // SAFETY: guaranteed by the caller; the payload is NULL or the box `new_boxed` made.
    unsafe {
        let p = core::mem::replace(&mut (*(o as *mut Boxed<T>)).payload, core::ptr::null_mut());
        if !p.is_null() {
            drop(Box::from_raw(p));
        }
        let free = (*(*o).ob_type).tp_free.unwrap_or(crate::alloc::object_free);
        free(o as *mut core::ffi::c_void);
    }
}
