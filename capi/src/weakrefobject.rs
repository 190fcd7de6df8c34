//! `weakrefobject.h`: weak references and proxies (`weakref.ref`, `weakref.proxy`), and
//! `PyObject_ClearWeakRefs`, which extension types with `tp_weaklistoffset` call from their
//! `tp_dealloc`.

use core::ffi::c_int;
use core::ptr::null_mut;

use pyrite_abi::*;
use pyrite_vm::objects::weakref;
use pyrite_vm::slot::opt_arg;
use pyrite_vm::{raise, Obj, PyRef};

use crate::boundary::{bad_internal_call, obj};
use crate::capi;

capi! {
    fn PyWeakref_NewRef(o: *mut PyObject, callback: *mut PyObject) -> *mut PyObject [null_mut()] {
        weakref::new_ref(obj(o)?, opt_arg(callback)).map(PyRef::into_raw)
    }
    fn PyWeakref_NewProxy(o: *mut PyObject, callback: *mut PyObject) -> *mut PyObject [null_mut()] {
        weakref::new_proxy(obj(o)?, opt_arg(callback)).map(PyRef::into_raw)
    }
    /// 1 and a new reference to the referent, 0 and NULL once it died; -1 for a non-weakref.
    fn PyWeakref_GetRef(r: *mut PyObject, pobj: *mut *mut PyObject) -> c_int [-1] {
        *pobj = null_mut();
        match opt_arg(r) {
            Some(r) if weakref::check(r) => match weakref::referent(r) {
                Some(x) => { *pobj = x.new_ref().into_raw(); Ok(1) }
                None => Ok(0),
            },
            _ => Err(raise!(TypeError, "expected a weakref")),
        }
    }
    /// Deprecated: the referent borrowed, or `None` once it died.
    fn PyWeakref_GetObject(r: *mut PyObject) -> *mut PyObject [null_mut()] {
        match opt_arg(r) {
            Some(r) if weakref::check(r) => Ok(weakref::referent(r).map_or(pyrite_vm::objects::none::none_obj().as_ptr(), Obj::as_ptr)),
            _ => Err(bad_internal_call()),
        }
    }
    /// Clears the weak references to a dying object and calls their callbacks.
    fn PyObject_ClearWeakRefs(o: *mut PyObject) -> () [()] {
        let ob = obj(o)?;
        if !weakref::supports_weakrefs(ob.ob_type()) {
            return Err(bad_internal_call());
        }
        weakref::clear_weakrefs(o);
        Ok(())
    }
}
