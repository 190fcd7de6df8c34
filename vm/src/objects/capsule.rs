//! `PyCapsule` (`types.CapsuleType`): an opaque C pointer with a name, a context and a
//! destructor, the way extensions hand C APIs to each other (`PyCapsule_Import`).
//! The layout is private to the runtime (the Stable ABI sees only functions).

use core::ffi::{c_char, c_void, CStr};

use pyrite_abi::*;

use crate::err::PyResult;
use crate::object::{Obj, PyRef};
use crate::objects::type_::{TypeObj, BUILTIN_FLAGS};
use crate::objects::unicode;
use crate::static_type;

#[repr(C)]
pub struct CapsuleObject {
    pub ob_base: PyObject,
    pub pointer: *mut c_void,
    pub name: *const c_char,
    pub context: *mut c_void,
    pub destructor: destructor,
}

static_type!(PyCapsule_Type, c"PyCapsule", core::mem::size_of::<CapsuleObject>(), {
    tp_flags: BUILTIN_FLAGS,
    tp_dealloc: Some(capsule_dealloc),
    tp_repr: Some(capsule_repr),
    tp_free: Some(crate::alloc::object_free),
    tp_doc: c"Capsule objects let you wrap a C \"void *\" pointer in a Python\nobject.".as_ptr(),
});

pub fn types() -> [&'static TypeObj; 1] {
    [&PyCapsule_Type]
}

/// The capsule's fields. Callers check the type first.
///
/// # Safety
/// `o` is a capsule.
unsafe fn fields(o: &Obj) -> &mut CapsuleObject {
    // SAFETY: guaranteed by the caller; the VM runs one thread at a time.
    unsafe { &mut *(o.as_ptr() as *mut CapsuleObject) }
}

/// A capsule the `function` may use: exactly `PyCapsule`, with a pointer. Otherwise
/// `ValueError("<function> called with invalid PyCapsule object")`.
pub fn legal<'a>(o: Option<&'a Obj>, function: &str) -> PyResult<&'a mut CapsuleObject> {
    match o {
        Some(o) if o.is_exact(&PyCapsule_Type) => {
            // SAFETY: checked the type.
            let c = unsafe { fields(o) };
            if c.pointer.is_null() {
                return Err(invalid(function));
            }
            Ok(c)
        }
        _ => Err(invalid(function)),
    }
}

fn invalid(function: &str) -> crate::PyErr {
    raise!(ValueError, "{function} called with invalid PyCapsule object")
}

/// CPython's rule for capsule names: equal C strings, or both NULL.
///
/// # Safety
/// Each name is NULL or NUL-terminated.
pub unsafe fn names_match(a: *const c_char, b: *const c_char) -> bool {
    if a.is_null() || b.is_null() {
        return a == b;
    }
    // SAFETY: both are NUL-terminated.
    unsafe { CStr::from_ptr(a) == CStr::from_ptr(b) }
}

/// `PyCapsule_New`. The name is borrowed, not copied: it must outlive the capsule, as in CPython.
pub fn new(pointer: *mut c_void, name: *const c_char, destructor: destructor) -> PyResult<PyRef> {
    if pointer.is_null() {
        return Err(raise!(ValueError, "PyCapsule_New called with null pointer"));
    }
    // SAFETY: PyCapsule_Type is a live static type.
    unsafe {
        let op = crate::alloc::alloc_object(PyCapsule_Type.raw(), core::mem::size_of::<CapsuleObject>(), false);
        if op.is_null() {
            return Err(crate::err::PyErr::from_type_no_args(crate::objects::exceptions::MemoryError()));
        }
        let c = &mut *(op as *mut CapsuleObject);
        c.pointer = pointer;
        c.name = name;
        c.destructor = destructor;
        Ok(PyRef::from_raw(op))
    }
}

/// `PyCapsule_IsValid`: never raises.
pub fn is_valid(o: Option<&Obj>, name: *const c_char) -> bool {
    match o {
        // SAFETY: the type is checked; `name` is the caller's C string.
        Some(o) if o.is_exact(&PyCapsule_Type) => unsafe {
            let c = fields(o);
            !c.pointer.is_null() && names_match(c.name, name)
        },
        _ => false,
    }
}

/// `PyCapsule_Import("package.module.attribute", no_block)`: imports the module, follows the
/// attributes, and returns the pointer of the capsule found if its name is exactly `name`.
pub fn import(name: &CStr) -> PyResult<*mut c_void> {
    // As 3.15: only the module (the first component) is imported, and any failure to import
    // it becomes one ImportError; the rest are attribute lookups, whose errors stand.
    let bytes = name.to_bytes();
    let (module, rest) = match bytes.iter().position(|&b| b == b'.') {
        Some(i) => (&bytes[..i], Some(&bytes[i + 1..])),
        None => (bytes, None),
    };
    let could_not = || raise!(ImportError, "PyCapsule_Import could not import module \"{}\"", String::from_utf8_lossy(module));
    let module_name = core::str::from_utf8(module).map_err(|_| could_not())?;
    if module_name.is_empty() {
        return Err(could_not());
    }
    let mut object = crate::import::import_module(module_name).map_err(|_| could_not())?;
    if let Some(rest) = rest {
        for part in rest.split(|&b| b == b'.') {
            let attr = unicode::from_utf8(part)?;
            object = crate::abstract_::getattr(&object, &attr)?;
        }
    }
    if is_valid(Some(&object), name.as_ptr()) {
        // SAFETY: a valid capsule.
        return Ok(unsafe { fields(&object) }.pointer);
    }
    Err(raise!(AttributeError, "PyCapsule_Import \"{}\" is not valid", String::from_utf8_lossy(bytes)))
}

unsafe extern "C" fn capsule_dealloc(o: *mut PyObject) {
    // SAFETY: a dead capsule; its destructor receives the capsule, as in CPython.
    unsafe {
        let c = &mut *(o as *mut CapsuleObject);
        if let Some(d) = c.destructor {
            d(o);
        }
        crate::alloc::object_free(o as *mut c_void);
    }
}

unsafe extern "C" fn capsule_repr(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live capsule.
    unsafe {
        let c = &*(o as *mut CapsuleObject);
        let shown = if c.name.is_null() {
            "NULL".to_string()
        } else {
            format!("\"{}\"", CStr::from_ptr(c.name).to_string_lossy())
        };
        unicode::new(&format!("<capsule object {shown} at {o:p}>")).into_raw()
    }
}
