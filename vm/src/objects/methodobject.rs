//! `builtin_function_or_method`: a C function described by a `PyMethodDef`, bound to a
//! `self` (a module for module-level functions, an instance for bound methods), called with
//! vectorcall and dispatched on `ml_flags` to every `METH_*` convention.

use core::ffi::{c_int, c_void, CStr};
use core::mem::offset_of;
use core::ptr::null_mut;

use pyrite_abi::*;

use crate::err::{PyErr, PyResult};
use crate::object::{Obj, PyRef};
use crate::objects::type_::{TypeObj, BUILTIN_FLAGS};
use crate::objects::{dict, exceptions as exc, tuple, unicode};
use crate::slot::{arg, ret_obj};
use crate::static_type;

#[repr(C)]
pub struct CFunctionObject {
    pub ob_base: PyObject,
    pub m_ml: *mut PyMethodDef,
    pub m_self: *mut PyObject,
    pub m_module: *mut PyObject,
    pub m_weakreflist: *mut PyObject,
    pub vectorcall: vectorcallfunc,
    /// The defining class, for `METH_METHOD`.
    pub m_class: *mut PyObject,
}

static_type!(PyCFunction_Type, c"builtin_function_or_method", core::mem::size_of::<CFunctionObject>(), {
    tp_flags: BUILTIN_FLAGS | Py_TPFLAGS_HAVE_GC | Py_TPFLAGS_HAVE_VECTORCALL,
    tp_vectorcall_offset: offset_of!(CFunctionObject, vectorcall) as isize,
    tp_dealloc: Some(cfunction_dealloc),
    tp_repr: Some(cfunction_repr),
    tp_call: Some(crate::abstract_::vectorcall_call),
    tp_traverse: Some(cfunction_traverse),
    tp_free: Some(crate::alloc::gc_del),
    tp_getset: CFUNCTION_GETSET.0.get() as *mut PyGetSetDef,
    tp_methods: CFUNCTION_METHODS.0.get() as *mut PyMethodDef,
    tp_members: CFUNCTION_MEMBERS.0.get() as *mut PyMemberDef,
});

/// `__module__`: the module a module-level function was made for (None for methods).
static CFUNCTION_MEMBERS: crate::objects::type_::StaticTable<PyMemberDef, 2> = crate::objects::type_::StaticTable(core::cell::UnsafeCell::new([
    PyMemberDef { name: c"__module__".as_ptr(), type_code: _Py_T_OBJECT, offset: offset_of!(CFunctionObject, m_module) as Py_ssize_t, flags: 0, doc: core::ptr::null() },
    PyMemberDef { name: core::ptr::null(), type_code: 0, offset: 0, flags: 0, doc: core::ptr::null() },
]));

crate::method_table!(static CFUNCTION_METHODS = [
    noargs c"__reduce__" => cfunction_reduce,
]);

/// `__reduce__`: a module-level function pickles by its name (a global), a bound method as
/// `getattr(self, name)`, as CPython's `meth_reduce`.
fn cfunction_reduce(f: &Obj) -> PyResult<PyRef> {
    // SAFETY: a live function object.
    let (s, name) = unsafe { ((*raw(f)).m_self, unicode::new(ml_name((*raw(f)).m_ml))) };
    if s.is_null() || crate::objects::module::check(unsafe { arg(s) }) {
        return Ok(name);
    }
    let getattr = crate::abstract_::getattr_str(&crate::builtins::module(), "getattr")?;
    // SAFETY: m_self is a live object the function owns.
    let args = crate::objects::tuple::new_from(&[unsafe { arg(s) }, &*name]);
    Ok(crate::objects::tuple::new_from(&[&*getattr, &*args]))
}

static CFUNCTION_GETSET: crate::objects::type_::StaticTable<PyGetSetDef, 4> =
    crate::objects::type_::StaticTable(core::cell::UnsafeCell::new([
        crate::objects::type_::getset(c"__name__", Some(cfunction_get_name), None),
        crate::objects::type_::getset(c"__qualname__", Some(cfunction_get_name), None),
        crate::objects::type_::getset(c"__self__", Some(cfunction_get_self), None),
        crate::objects::type_::GETSET_END,
    ]));

/// `PyCMethod_New`: a function object for `ml` bound to `self_` (may be NULL).
///
/// # Safety
/// `ml` must outlive the function object (extension method tables are static).
pub unsafe fn new(ml: *mut PyMethodDef, self_: Option<&Obj>, module: Option<&Obj>, class: Option<&TypeObj>) -> PyResult<PyRef> {
    // SAFETY: ml is a valid method definition.
    let flags = unsafe { (*ml).ml_flags };
    if flags & METH_METHOD != 0 && class.is_none() {
        return Err(raise!(SystemError, "attempting to create PyCMethod with a METH_METHOD flag but no class"));
    }
    if flags & METH_METHOD == 0 && class.is_some() {
        return Err(raise!(SystemError, "attempting to create PyCFunction with class but no METH_METHOD flag"));
    }
    // SAFETY: PyCFunction_Type is a live static type.
    unsafe {
        let op = crate::alloc::alloc_object(PyCFunction_Type.raw(), core::mem::size_of::<CFunctionObject>(), true);
        if op.is_null() {
            return Err(PyErr::from_type_no_args(exc::MemoryError()));
        }
        let f = op as *mut CFunctionObject;
        (*f).m_ml = ml;
        (*f).m_self = self_.map_or(null_mut(), |s| s.new_ref().into_raw());
        (*f).m_module = module.map_or(null_mut(), |m| m.new_ref().into_raw());
        (*f).m_class = class.map_or(null_mut(), |c| c.new_ref().into_raw());
        (*f).vectorcall = Some(cfunction_vectorcall);
        Ok(PyRef::from_raw(op))
    }
}

/// The method's name from its definition.
///
/// # Safety
/// `ml` is a valid method definition.
pub unsafe fn ml_name<'a>(ml: *const PyMethodDef) -> &'a str {
    // SAFETY: ml_name is a static NUL-terminated string.
    unsafe { CStr::from_ptr((*ml).ml_name) }.to_str().unwrap_or("?")
}

/// Calls a `PyMethodDef` with vectorcall-style arguments, following its `METH_*` convention,
/// and checks the result as CPython's `_Py_CheckFunctionResult` does.
///
/// # Safety
/// `args` points to `nargs` live objects followed by one per name in `kwnames` (a tuple or NULL).
pub unsafe fn call_method_def(
    callable: &Obj,
    ml: *mut PyMethodDef,
    self_: *mut PyObject,
    class: *mut PyObject,
    args: *const *mut PyObject,
    nargs: usize,
    kwnames: *mut PyObject,
    qualname: &dyn Fn() -> String,
) -> PyResult<PyRef> {
    // SAFETY: guaranteed by the caller; the method pointer's real type is chosen by its flags.
    unsafe {
        let flags = (*ml).ml_flags & !(METH_CLASS | METH_STATIC | METH_COEXIST);
        let meth = (*ml).ml_meth;
        let nkw = if kwnames.is_null() { 0 } else { tuple::len(arg(kwnames)) };
        let no_kwargs = || -> PyResult<()> {
            if nkw != 0 { Err(raise!(TypeError, "{}() takes no keyword arguments", qualname())) } else { Ok(()) }
        };
        let r = match flags {
            METH_NOARGS => {
                no_kwargs()?;
                if nargs != 0 {
                    return Err(raise!(TypeError, "{}() takes no arguments ({} given)", qualname(), nargs));
                }
                let f: unsafe extern "C" fn(*mut PyObject, *mut PyObject) -> *mut PyObject = core::mem::transmute(meth);
                f(self_, null_mut())
            }
            METH_O => {
                no_kwargs()?;
                if nargs != 1 {
                    return Err(raise!(TypeError, "{}() takes exactly one argument ({} given)", qualname(), nargs));
                }
                let f: unsafe extern "C" fn(*mut PyObject, *mut PyObject) -> *mut PyObject = core::mem::transmute(meth);
                f(self_, *args)
            }
            METH_VARARGS => {
                no_kwargs()?;
                let t = args_tuple(args, nargs);
                let f: unsafe extern "C" fn(*mut PyObject, *mut PyObject) -> *mut PyObject = core::mem::transmute(meth);
                f(self_, t.as_ptr())
            }
            x if x == METH_VARARGS | METH_KEYWORDS => {
                let t = args_tuple(args, nargs);
                let kw = kwargs_dict(args.add(nargs), kwnames)?;
                let f: unsafe extern "C" fn(*mut PyObject, *mut PyObject, *mut PyObject) -> *mut PyObject =
                    core::mem::transmute(meth);
                f(self_, t.as_ptr(), kw.as_ref().map_or(null_mut(), |k| k.as_ptr()))
            }
            METH_FASTCALL => {
                no_kwargs()?;
                let f: unsafe extern "C" fn(*mut PyObject, *const *mut PyObject, Py_ssize_t) -> *mut PyObject =
                    core::mem::transmute(meth);
                f(self_, args, nargs as Py_ssize_t)
            }
            x if x == METH_FASTCALL | METH_KEYWORDS => {
                let f: unsafe extern "C" fn(*mut PyObject, *const *mut PyObject, Py_ssize_t, *mut PyObject) -> *mut PyObject =
                    core::mem::transmute(meth);
                f(self_, args, nargs as Py_ssize_t, if nkw == 0 { null_mut() } else { kwnames })
            }
            x if x == METH_METHOD | METH_FASTCALL | METH_KEYWORDS => {
                let f: unsafe extern "C" fn(
                    *mut PyObject,
                    *mut PyTypeObject,
                    *const *mut PyObject,
                    Py_ssize_t,
                    *mut PyObject,
                ) -> *mut PyObject = core::mem::transmute(meth);
                f(self_, class as *mut PyTypeObject, args, nargs as Py_ssize_t, if nkw == 0 { null_mut() } else { kwnames })
            }
            _ => {
                return Err(raise!(
                    SystemError,
                    "{}() method: bad call flags",
                    qualname()
                ));
            }
        };
        check_function_result(callable, r)
    }
}

/// `_Py_CheckFunctionResult`: NULL without an exception, or a result with one, is a
/// `SystemError` worded as CPython words it.
///
/// # Safety
/// `r` is NULL or a new reference.
pub unsafe fn check_function_result(callable: &Obj, r: *mut PyObject) -> PyResult<PyRef> {
    // The common case reads the error indicator without writing it.
    if !r.is_null() && crate::err::occurred().is_null() {
        // SAFETY: r is a new reference.
        return Ok(unsafe { PyRef::from_raw(r) });
    }
    let pending = crate::err::PyErr::take();
    if r.is_null() {
        return Err(pending.unwrap_or_else(|| {
            let desc = crate::abstract_::repr(callable).map(|s| unicode::as_str_lossy(&s).into_owned()).unwrap_or_default();
            raise!(SystemError, "{} returned NULL without setting an exception", desc)
        }));
    }
    // SAFETY: r is a new reference.
    let v = unsafe { PyRef::from_raw(r) };
    if let Some(e) = pending {
        drop(v);
        let desc = crate::abstract_::repr(callable).map(|s| unicode::as_str_lossy(&s).into_owned()).unwrap_or_default();
        let err = raise!(SystemError, "{} returned a result with an exception set", desc);
        exc::set_cause(err.value(), Some(e.value()));
        exc::set_context(err.value(), Some(e.value()));
        return Err(err);
    }
    Ok(v)
}

/// # Safety
/// `args` points to `n` live objects.
pub unsafe fn args_tuple(args: *const *mut PyObject, n: usize) -> PyRef {
    let t = tuple::alloc(n);
    for i in 0..n {
        // SAFETY: guaranteed by the caller.
        tuple::init_item(&t, i, unsafe { arg(*args.add(i)) }.new_ref());
    }
    t
}

/// The keyword arguments of a vectorcall as a dict, or None if there are none.
///
/// # Safety
/// `values` points to one live object per name in `kwnames` (a tuple or NULL).
pub unsafe fn kwargs_dict(values: *const *mut PyObject, kwnames: *mut PyObject) -> PyResult<Option<PyRef>> {
    if kwnames.is_null() {
        return Ok(None);
    }
    // SAFETY: guaranteed by the caller.
    let names = tuple::items(unsafe { arg(kwnames) });
    if names.is_empty() {
        return Ok(None);
    }
    let d = dict::new();
    for (i, k) in names.iter().enumerate() {
        // SAFETY: as above.
        dict::set_item(&d, k, unsafe { arg(*values.add(i)) })?;
    }
    Ok(Some(d))
}

#[inline(always)]
fn raw(o: &Obj) -> *mut CFunctionObject {
    o.as_ptr() as *mut CFunctionObject
}

/// Whether `o` is a module (functions bound to modules print as plain functions).
fn self_is_module(f: &Obj) -> bool {
    // SAFETY: f is a cfunction.
    let s = unsafe { (*raw(f)).m_self };
    s.is_null() || unsafe { arg(s) }.is_instance_of(&crate::objects::module::PyModule_Type)
}

fn qualname_of(f: &Obj) -> String {
    // SAFETY: f is a cfunction with a valid method definition.
    let name = unsafe { ml_name((*raw(f)).m_ml) };
    if self_is_module(f) {
        return name.to_string();
    }
    // SAFETY: non-NULL self.
    let s = unsafe { arg((*raw(f)).m_self) };
    let owner = TypeObj::downcast(s).unwrap_or_else(|| s.ob_type());
    format!("{}.{}", owner.name(), name)
}

/// Calls a built-in function (`PyCFunction_Type` exactly, or a subtype that keeps its
/// vectorcall) by its definition's convention: what its vectorcall does, without the round
/// trip through the C error indicator.
///
/// # Safety
/// `callable` is a built-in function; `args` points to `nargs` live objects followed by one
/// per name in `kwnames` (a tuple or NULL).
#[inline]
pub unsafe fn call_cfunction(callable: &Obj, args: *const *mut PyObject, nargs: usize, kwnames: *mut PyObject) -> PyResult<PyRef> {
    let f = raw(callable);
    // SAFETY: guaranteed by the caller.
    unsafe { call_method_def(callable, (*f).m_ml, (*f).m_self, (*f).m_class, args, nargs, kwnames, &|| qualname_of(callable)) }
}

unsafe extern "C" fn cfunction_vectorcall(
    callable: *mut PyObject,
    args: *const *mut PyObject,
    nargsf: usize,
    kwnames: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: vectorcall contract: live callable and arguments.
    unsafe {
        let nargs = nargsf & !PY_VECTORCALL_ARGUMENTS_OFFSET;
        ret_obj(call_cfunction(arg(callable), args, nargs, kwnames))
    }
}

unsafe extern "C" fn cfunction_dealloc(o: *mut PyObject) {
    // SAFETY: a dead function object.
    unsafe {
        crate::objects::weakref::clear_weakrefs(o);
        let f = o as *mut CFunctionObject;
        crate::object::xdecref((*f).m_self);
        crate::object::xdecref((*f).m_module);
        crate::object::xdecref((*f).m_class);
        crate::alloc::gc_del(o as *mut c_void);
    }
}

unsafe extern "C" fn cfunction_traverse(o: *mut PyObject, visit: visitproc, a: *mut c_void) -> c_int {
    // SAFETY: live function object.
    unsafe {
        let Some(visit) = visit else { return 0 };
        let f = o as *mut CFunctionObject;
        for p in [(*f).m_self, (*f).m_module, (*f).m_class] {
            if !p.is_null() {
                let r = visit(p, a);
                if r != 0 {
                    return r;
                }
            }
        }
    }
    0
}

unsafe extern "C" fn cfunction_repr(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: live function object.
    let c = unsafe { arg(o) };
    let name = unsafe { ml_name((*raw(c)).m_ml) };
    if self_is_module(c) {
        return unicode::new(&format!("<built-in function {name}>")).into_raw();
    }
    // SAFETY: non-NULL self.
    let s = unsafe { arg((*raw(c)).m_self) };
    unicode::new(&format!("<built-in method {} of {} object at {:#x}>", name, s.ob_type().name(), s.as_ptr() as usize))
        .into_raw()
}

unsafe extern "C" fn cfunction_get_name(o: *mut PyObject, _: *mut c_void) -> *mut PyObject {
    // SAFETY: live function object.
    unicode::new(unsafe { ml_name((*raw(arg(o))).m_ml) }).into_raw()
}

unsafe extern "C" fn cfunction_get_self(o: *mut PyObject, _: *mut c_void) -> *mut PyObject {
    // SAFETY: live function object.
    let s = unsafe { (*raw(arg(o))).m_self };
    if s.is_null() { crate::objects::none::none().into_raw() } else { unsafe { arg(s) }.new_ref().into_raw() }
}

pub fn types() -> [&'static TypeObj; 1] {
    [&PyCFunction_Type]
}
