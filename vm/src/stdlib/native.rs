//! Built-in types of the native modules whose instance state is an ordinary Rust value.
//!
//! CPython's iterator and container types of `itertools`, `_functools`, `_collections`... keep
//! their fields private (no public struct layout), so an instance here is the object header
//! plus one pointer to a boxed `RefCell<T>`: the state is plain Rust (owned `PyRef`s,
//! `Vec`s) and dropping it releases everything. The `RefCell` turns re-entrance (a key
//! function that advances the iterator calling it) into a `RuntimeError` instead of aliasing.
//! Slot bodies are `fn(...) -> PyResult<...>`; the `slot_*!` macros write the C trampolines.

use core::cell::RefCell;
use core::ffi::c_void;

use pyrite_abi::*;

use crate::err::PyResult;
use crate::object::{Obj, PyRef};
use crate::objects::argparse::{Kw, Sig};
use crate::objects::type_::TypeObj;

#[repr(C)]
pub struct NativeObject {
    pub ob_base: PyObject,
    /// A `Box<RefCell<T>>` made by [`new_instance`] (NULL before that and after deallocation).
    pub state: *mut c_void,
    /// The weak-reference list, for the types that set `tp_weaklistoffset` to it.
    pub weakrefs: *mut PyObject,
    /// The instance `__dict__`, for the types that set `tp_dictoffset` to it.
    pub dict: *mut PyObject,
}

pub const NATIVE_SIZE: usize = core::mem::size_of::<NativeObject>();
pub const WEAKLIST_OFFSET: isize = core::mem::offset_of!(NativeObject, weakrefs) as isize;
pub const DICT_OFFSET: isize = core::mem::offset_of!(NativeObject, dict) as isize;

/// The `__dict__` descriptor of native types with an instance dict.
pub const DICT_GETSET: PyGetSetDef = PyGetSetDef {
    name: c"__dict__".as_ptr(),
    get: Some(crate::objects::heaptype::instance_get_dict),
    set: Some(crate::objects::heaptype::instance_set_dict),
    doc: core::ptr::null(),
    closure: core::ptr::null_mut(),
};

/// A new instance of `t` (a native type or a subclass) owning `state`.
pub fn new_instance<T: 'static>(t: &TypeObj, state: T) -> PyResult<PyRef> {
    // SAFETY: `t` is a live type whose instances start with a NativeObject (zeroed by tp_alloc).
    unsafe {
        let alloc = t.slots().tp_alloc.unwrap_or(crate::alloc::generic_alloc);
        let o = crate::slot::from_new(alloc(t.raw(), 0))?;
        (*(o.as_ptr() as *mut NativeObject)).state = Box::into_raw(Box::new(RefCell::new(state))) as *mut c_void;
        Ok(o)
    }
}

/// The state cell of `o`, an instance of a native type made with state `T`.
pub fn cell<T>(o: &Obj) -> PyResult<&RefCell<T>> {
    // SAFETY: callers pass instances of the type whose state is `T` (slots and method
    // descriptors guarantee the receiver's type); the box lives as long as the object.
    unsafe {
        let p = (*(o.as_ptr() as *mut NativeObject)).state as *const RefCell<T>;
        if p.is_null() {
            return Err(raise!(SystemError, "'{}' object is not initialized", o.ob_type().name()));
        }
        Ok(&*p)
    }
}

/// Runs `f` on the state of `o`; re-entering (from Python code `f`'s caller runs while the
/// state is borrowed) is a `RuntimeError`.
pub fn with<T, R>(o: &Obj, f: impl FnOnce(&mut T) -> R) -> PyResult<R> {
    let c = cell::<T>(o)?;
    match c.try_borrow_mut() {
        Ok(mut s) => Ok(f(&mut s)),
        Err(_) => Err(raise!(RuntimeError, "cannot re-enter the '{}' object", o.ob_type().name())),
    }
}

/// `tp_dealloc` of a native type with state `T`.
///
/// # Safety
/// `o` is a dead instance of such a type.
pub unsafe extern "C" fn dealloc<T>(o: *mut PyObject) {
    // SAFETY: a dead instance; the state pointer is NULL or a box made by `new_instance`.
    unsafe {
        let n = o as *mut NativeObject;
        let ty = (*o).ob_type;
        if (*ty).tp_weaklistoffset == WEAKLIST_OFFSET {
            crate::objects::weakref::clear_weakrefs(o);
        }
        if (*ty).tp_dictoffset == DICT_OFFSET {
            crate::object::xdecref(core::mem::replace(&mut (*n).dict, core::ptr::null_mut()));
        }
        let p = core::mem::replace(&mut (*n).state, core::ptr::null_mut());
        if !p.is_null() {
            drop(Box::from_raw(p as *mut RefCell<T>));
        }
        match (*ty).tp_free {
            Some(free) => free(o as *mut c_void),
            None => crate::alloc::free_object(o),
        }
    }
}

/// Binds a `tp_new` call's arguments (tuple + keyword dict) to `sig`, as owned references.
pub fn parse_new<const N: usize>(sig: &Sig, args: &[&Obj], kw: Option<&Obj>) -> PyResult<[Option<PyRef>; N]> {
    let pairs = Kw::pairs_of_dict(kw);
    let names: Vec<&Obj> = pairs.iter().map(|(k, _)| &**k).collect();
    let values: Vec<&Obj> = pairs.iter().map(|(_, v)| &**v).collect();
    let r = crate::objects::argparse::parse::<N>(sig, args, Kw { names: &names, values: &values })?;
    Ok(r.map(|o| o.map(Obj::new_ref)))
}

/// Positional-only arguments of a `tp_new` without keywords ("`name`() takes no keyword
/// arguments", "`name` expected 2 arguments, got 1").
pub fn positional_only(name: &str, args: &[&Obj], kw: Option<&Obj>, min: usize, max: usize) -> PyResult<()> {
    crate::objects::argparse::no_kw_dict(name, kw)?;
    crate::objects::argparse::check_positional(name, args.len(), min, max)
}

/// A `tp_iternext` result: NULL without an exception at exhaustion.
pub fn ret_next(r: PyResult<Option<PyRef>>) -> *mut PyObject {
    match r {
        Ok(Some(v)) => v.into_raw(),
        Ok(None) => core::ptr::null_mut(),
        Err(e) => crate::slot::ret_obj(Err(e)),
    }
}

/// `tp_new` trampoline into `fn(&TypeObj, &[&Obj], Option<&Obj>) -> PyResult<PyRef>`.
macro_rules! slot_new {
    ($f:path) => {{
        unsafe extern "C" fn tramp(
            t: *mut pyrite_abi::PyTypeObject,
            args: *mut pyrite_abi::PyObject,
            kw: *mut pyrite_abi::PyObject,
        ) -> *mut pyrite_abi::PyObject {
            // SAFETY: tp_new contract: a live type, an argument tuple, NULL or a dict.
            let (t, a, kw) = unsafe {
                (
                    crate::objects::type_::TypeObj::from_ptr(t),
                    crate::objects::tuple::items(crate::slot::arg(args)),
                    crate::slot::opt_arg(kw),
                )
            };
            crate::slot::ret_obj($f(t, a, kw))
        }
        Some(tramp as unsafe extern "C" fn(_, _, _) -> _)
    }};
}

/// `tp_iternext` trampoline into `fn(&Obj) -> PyResult<Option<PyRef>>`.
macro_rules! slot_next {
    ($f:path) => {{
        unsafe extern "C" fn tramp(o: *mut pyrite_abi::PyObject) -> *mut pyrite_abi::PyObject {
            // SAFETY: tp_iternext contract: a live instance.
            crate::stdlib::native::ret_next($f(unsafe { crate::slot::arg(o) }))
        }
        Some(tramp as unsafe extern "C" fn(_) -> _)
    }};
}

/// `reprfunc` trampoline into `fn(&Obj) -> PyResult<PyRef>` (`tp_repr`, `tp_str`).
macro_rules! slot_unary {
    ($f:path) => {{
        unsafe extern "C" fn tramp(o: *mut pyrite_abi::PyObject) -> *mut pyrite_abi::PyObject {
            // SAFETY: slot contract: a live instance.
            crate::slot::ret_obj($f(unsafe { crate::slot::arg(o) }))
        }
        Some(tramp as unsafe extern "C" fn(_) -> _)
    }};
}

/// `tp_call` trampoline into `fn(&Obj, &[&Obj], Option<&Obj>) -> PyResult<PyRef>`.
#[allow(unused_macros)]
macro_rules! slot_call {
    ($f:path) => {{
        unsafe extern "C" fn tramp(
            o: *mut pyrite_abi::PyObject,
            args: *mut pyrite_abi::PyObject,
            kw: *mut pyrite_abi::PyObject,
        ) -> *mut pyrite_abi::PyObject {
            // SAFETY: tp_call contract: a live callable, an argument tuple, NULL or a dict.
            let (o, a, kw) = unsafe {
                (crate::slot::arg(o), crate::objects::tuple::items(crate::slot::arg(args)), crate::slot::opt_arg(kw))
            };
            crate::slot::ret_obj($f(o, a, kw))
        }
        Some(tramp as unsafe extern "C" fn(_, _, _) -> _)
    }};
}

/// `tp_richcompare` trampoline into `fn(&Obj, &Obj, c_int) -> PyResult<PyRef>`.
#[allow(unused_macros)]
macro_rules! slot_richcompare {
    ($f:path) => {{
        unsafe extern "C" fn tramp(
            a: *mut pyrite_abi::PyObject,
            b: *mut pyrite_abi::PyObject,
            op: core::ffi::c_int,
        ) -> *mut pyrite_abi::PyObject {
            // SAFETY: slot contract: live operands.
            crate::slot::ret_obj($f(unsafe { crate::slot::arg(a) }, unsafe { crate::slot::arg(b) }, op))
        }
        Some(tramp as unsafe extern "C" fn(_, _, _) -> _)
    }};
}

/// A static built-in type of a native module whose instances hold a `$state`:
/// `native_type!(NAME, c"module.name", State, { tp_x: ..., })`. Subclassable unless `final`.
macro_rules! native_type {
    ($name:ident, $tpname:literal, $state:ty, { $($field:ident : $val:expr),* $(,)? }) => {
        native_type!(@ $name, $tpname, $state, crate::objects::type_::BUILTIN_BASETYPE_FLAGS, { $($field: $val),* });
    };
    (final $name:ident, $tpname:literal, $state:ty, { $($field:ident : $val:expr),* $(,)? }) => {
        native_type!(@ $name, $tpname, $state, crate::objects::type_::BUILTIN_FLAGS, { $($field: $val),* });
    };
    (@ $name:ident, $tpname:literal, $state:ty, $flags:expr, { $($field:ident : $val:expr),* $(,)? }) => {
        crate::private_static_type!($name, $tpname, crate::stdlib::native::NATIVE_SIZE, {
            tp_flags: $flags,
            tp_dealloc: Some(crate::stdlib::native::dealloc::<$state>),
            tp_alloc: Some(crate::alloc::generic_alloc),
            tp_free: Some(crate::alloc::object_free),
            $($field: $val),*
        });
    };
}

/// Readies `types` and puts each in the module dict under its short name.
pub fn add_types(m: &Obj, types: &[&TypeObj]) -> PyResult<()> {
    let d = crate::objects::module::dict_of(m);
    for t in types {
        crate::objects::type_::ready(t)?;
        crate::objects::slotdefs::add_wrappers(t)?;
        crate::objects::dict::set_item_str(d, t.name(), t)?;
    }
    Ok(())
}

/// A new module `name` with the functions of `methods` (a static `method_table!`).
pub fn new_module(name: &str, methods: *mut PyMethodDef) -> PyResult<PyRef> {
    let m = crate::objects::module::new(&crate::objects::unicode::new(name))?;
    if !methods.is_null() {
        // SAFETY: the table is static and NULL-terminated.
        unsafe { crate::objects::module::add_functions(&m, methods)? };
    }
    Ok(m)
}

/// The type's name as `repr`s of built-in objects show it (`_PyType_Name`).
pub fn type_name(o: &Obj) -> String {
    o.ob_type().name().to_string()
}

/// `repr(o)` as a Rust string.
pub fn repr_string(o: &Obj) -> PyResult<String> {
    Ok(crate::objects::unicode::as_str_lossy(&*crate::abstract_::repr(o)?).into_owned())
}
