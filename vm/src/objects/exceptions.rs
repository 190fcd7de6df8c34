//! The built-in exception hierarchy. Each exception type is a static type object; the
//! exported `PyExc_*` data symbols are `PyObject *` variables pointing at them, as in CPython
//! (`PyExc_EnvironmentError` and `PyExc_IOError` alias `OSError`).
//!
//! Instances share one layout, `BaseExceptionObject`; its fields are Pyrite's own (no public
//! macro reads them).

use core::cell::UnsafeCell;
use core::ffi::{c_int, c_void};
use core::mem::offset_of;
use core::ptr::null_mut;

use pyrite_abi::*;

use crate::err::PyResult;
use crate::object::{Obj, PyRef, SyncPtr};
use crate::objects::type_::{getset, StaticTable, TypeObj, BUILTIN_BASETYPE_FLAGS, GETSET_END};
use crate::objects::{list, none, tuple, unicode, unicode_error};
use crate::slot::{arg, opt_arg, ret_int, ret_obj};
use crate::private_static_type;

#[repr(C)]
pub struct BaseExceptionObject {
    pub ob_base: PyObject,
    pub dict: *mut PyObject,
    pub args: *mut PyObject,
    pub notes: *mut PyObject,
    pub traceback: *mut PyObject,
    pub context: *mut PyObject,
    pub cause: *mut PyObject,
    pub suppress_context: u8,
}

const EXC_FLAGS: core::ffi::c_ulong = BUILTIN_BASETYPE_FLAGS | Py_TPFLAGS_HAVE_GC | Py_TPFLAGS_BASE_EXC_SUBCLASS;

private_static_type!(_PyExc_BaseException, c"BaseException", core::mem::size_of::<BaseExceptionObject>(), {
    tp_flags: EXC_FLAGS,
    tp_dealloc: Some(exc_dealloc),
    tp_clear: Some(exc_clear),
    tp_repr: Some(exc_repr),
    tp_str: Some(exc_str),
    tp_traverse: Some(exc_traverse),
    tp_dictoffset: offset_of!(BaseExceptionObject, dict) as isize,
    tp_init: Some(exc_init),
    tp_new: Some(exc_new),
    tp_free: Some(crate::alloc::gc_del),
    tp_getset: EXC_GETSET.0.get() as *mut PyGetSetDef,
    tp_members: EXC_MEMBERS.0.get() as *mut PyMemberDef,
    tp_methods: EXC_METHODS.0.get() as *mut PyMethodDef,
    tp_doc: c"Common base class for all exceptions".as_ptr(),
});

#[unsafe(no_mangle)]
pub static PyExc_BaseException: SyncPtr<PyObject> = SyncPtr(_PyExc_BaseException.raw() as *mut PyObject);

#[allow(non_snake_case)]
pub const fn BaseException() -> &'static TypeObj {
    &_PyExc_BaseException
}

/// One line per exception: `Name(Base) "doc" [extra slots]`.
macro_rules! exceptions {
    ($($name:ident($base:ident) $doc:literal $([$size:expr])? $({ $($f:ident : $v:expr),* })?;)*) => {
        $(
            paste_exc!($name, $base, $doc, [$($size)?], { $($($f: $v),*)? });
        )*
        /// Every built-in exception type, base classes first.
        pub fn all() -> Vec<&'static TypeObj> {
            vec![&_PyExc_BaseException, $(exc_static!($name),)* &_PyExc_BaseExceptionGroup, &_PyExc_ExceptionGroup]
        }
    };
}

macro_rules! exc_static {
    ($name:ident) => {
        &$name::TYPE
    };
}

macro_rules! paste_exc {
    ($name:ident, $base:ident, $doc:literal, [], { $($f:ident : $v:expr),* }) => {
        paste_exc!($name, $base, $doc, [core::mem::size_of::<BaseExceptionObject>()], { $($f: $v),* });
    };
    ($name:ident, $base:ident, $doc:literal, [$size:expr], { $($f:ident : $v:expr),* }) => {
        #[allow(non_snake_case)]
        pub const fn $name() -> &'static TypeObj {
            &$name::TYPE
        }
        #[allow(non_snake_case)]
        pub mod $name {
            use super::*;
            private_static_type!(TYPE, unsafe { core::ffi::CStr::from_bytes_with_nul_unchecked(concat!(stringify!($name), "\0").as_bytes()) },
                $size, {
                tp_flags: EXC_FLAGS,
                tp_base: super::$base().raw(),
                tp_doc: unsafe { core::ffi::CStr::from_bytes_with_nul_unchecked(concat!($doc, "\0").as_bytes()) }.as_ptr()
                $(, $f: $v)*
            });
        }
    };
}

exceptions! {
    Exception(BaseException) "Common base class for all non-exit exceptions.";
    GeneratorExit(BaseException) "Request that a generator exit.";
    KeyboardInterrupt(BaseException) "Program interrupted by user.";
    SystemExit(BaseException) "Request to exit from the interpreter." { tp_getset: SYSEXIT_GETSET.0.get() as *mut PyGetSetDef };
    ArithmeticError(Exception) "Base class for arithmetic errors.";
    FloatingPointError(ArithmeticError) "Floating-point operation failed.";
    OverflowError(ArithmeticError) "Result too large to be represented.";
    ZeroDivisionError(ArithmeticError) "Second argument to a division or modulo operation was zero.";
    AssertionError(Exception) "Assertion failed.";
    AttributeError(Exception) "Attribute not found.";
    BufferError(Exception) "Buffer error.";
    EOFError(Exception) "Read beyond end of file.";
    ImportError(Exception) "Import can't find module, or can't find name in module." { tp_init: Some(importerror_init), tp_str: Some(importerror_str) };
    ModuleNotFoundError(ImportError) "Module not found.";
    LookupError(Exception) "Base class for lookup errors.";
    IndexError(LookupError) "Sequence index out of range.";
    KeyError(LookupError) "Mapping key not found." { tp_str: Some(keyerror_str) };
    MemoryError(Exception) "Out of memory.";
    NameError(Exception) "Name not found globally.";
    UnboundLocalError(NameError) "Local name referenced but not bound to a value.";
    OSError(Exception) "Base class for I/O related errors." { tp_new: Some(oserror_new), tp_init: Some(oserror_init), tp_str: Some(oserror_str) };
    BlockingIOError(OSError) "I/O operation would block.";
    ChildProcessError(OSError) "Child process error.";
    ConnectionError(OSError) "Connection error.";
    BrokenPipeError(ConnectionError) "Broken pipe.";
    ConnectionAbortedError(ConnectionError) "Connection aborted.";
    ConnectionRefusedError(ConnectionError) "Connection refused.";
    ConnectionResetError(ConnectionError) "Connection reset.";
    FileExistsError(OSError) "File already exists.";
    FileNotFoundError(OSError) "File not found.";
    InterruptedError(OSError) "Interrupted by signal.";
    IsADirectoryError(OSError) "Operation doesn't work on directories.";
    NotADirectoryError(OSError) "Operation only works on directories.";
    PermissionError(OSError) "Not enough permissions.";
    ProcessLookupError(OSError) "Process not found.";
    TimeoutError(OSError) "Timeout expired.";
    ReferenceError(Exception) "Weak ref proxy used after referent went away.";
    RuntimeError(Exception) "Unspecified run-time error.";
    NotImplementedError(RuntimeError) "Method or function hasn't been implemented yet.";
    RecursionError(RuntimeError) "Recursion limit exceeded.";
    PythonFinalizationError(RuntimeError) "Operation blocked during Python finalization.";
    StopAsyncIteration(Exception) "Signal the end from iterator.__anext__().";
    StopIteration(Exception) "Signal the end from iterator.__next__()." { tp_getset: STOPITER_GETSET.0.get() as *mut PyGetSetDef };
    SyntaxError(Exception) "Invalid syntax." { tp_init: Some(syntaxerror_init), tp_str: Some(syntaxerror_str) };
    IndentationError(SyntaxError) "Improper indentation.";
    TabError(IndentationError) "Improper mixture of spaces and tabs.";
    SystemError(Exception) "Internal error in the Python interpreter.";
    TypeError(Exception) "Inappropriate argument type.";
    ValueError(Exception) "Inappropriate argument value (of correct type).";
    UnicodeError(ValueError) "Unicode related error.";
    UnicodeDecodeError(UnicodeError) "Unicode decoding error." [core::mem::size_of::<unicode_error::UnicodeErrorObject>()] { tp_init: Some(unicode_error::decode_init), tp_str: Some(unicode_error::decode_str), tp_dealloc: Some(unicode_error::dealloc), tp_traverse: Some(unicode_error::traverse), tp_members: unicode_error::MEMBERS.0.get() as *mut PyMemberDef };
    UnicodeEncodeError(UnicodeError) "Unicode encoding error." [core::mem::size_of::<unicode_error::UnicodeErrorObject>()] { tp_init: Some(unicode_error::encode_init), tp_str: Some(unicode_error::encode_str), tp_dealloc: Some(unicode_error::dealloc), tp_traverse: Some(unicode_error::traverse), tp_members: unicode_error::MEMBERS.0.get() as *mut PyMemberDef };
    UnicodeTranslateError(UnicodeError) "Unicode translation error." [core::mem::size_of::<unicode_error::UnicodeErrorObject>()] { tp_init: Some(unicode_error::translate_init), tp_str: Some(unicode_error::translate_str), tp_dealloc: Some(unicode_error::dealloc), tp_traverse: Some(unicode_error::traverse), tp_members: unicode_error::MEMBERS.0.get() as *mut PyMemberDef };
    Warning(Exception) "Base class for warning categories.";
    BytesWarning(Warning) "Base class for warnings about bytes and buffer related problems, mostly related to conversion from str or comparing to str.";
    DeprecationWarning(Warning) "Base class for warnings about deprecated features.";
    EncodingWarning(Warning) "Base class for warnings about encodings.";
    FutureWarning(Warning) "Base class for warnings about constructs that will change semantically in the future.";
    ImportWarning(Warning) "Base class for warnings about probable mistakes in module imports";
    PendingDeprecationWarning(Warning) "Base class for warnings about features which will be deprecated in the future.";
    ResourceWarning(Warning) "Base class for warnings about resource usage.";
    RuntimeWarning(Warning) "Base class for warnings about dubious runtime behavior.";
    SyntaxWarning(Warning) "Base class for warnings about dubious syntax.";
    UnicodeWarning(Warning) "Base class for warnings about Unicode related problems, mostly related to conversion problems.";
    UserWarning(Warning) "Base class for warnings generated by user code.";
}

/// Exports `PyExc_<Name>` pointer variables for the listed exceptions.
macro_rules! export_exc_pointers {
    ($($sym:ident => $name:ident),* $(,)?) => {$(
        #[unsafe(no_mangle)]
        pub static $sym: SyncPtr<PyObject> = SyncPtr($name::TYPE.raw() as *mut PyObject);
    )*};
}

export_exc_pointers! {
    PyExc_Exception => Exception, PyExc_GeneratorExit => GeneratorExit,
    PyExc_KeyboardInterrupt => KeyboardInterrupt, PyExc_SystemExit => SystemExit,
    PyExc_ArithmeticError => ArithmeticError,
    PyExc_FloatingPointError => FloatingPointError, PyExc_OverflowError => OverflowError,
    PyExc_ZeroDivisionError => ZeroDivisionError, PyExc_AssertionError => AssertionError,
    PyExc_AttributeError => AttributeError, PyExc_BufferError => BufferError, PyExc_EOFError => EOFError,
    PyExc_ImportError => ImportError, PyExc_ModuleNotFoundError => ModuleNotFoundError,
    PyExc_LookupError => LookupError, PyExc_IndexError => IndexError, PyExc_KeyError => KeyError,
    PyExc_MemoryError => MemoryError, PyExc_NameError => NameError, PyExc_UnboundLocalError => UnboundLocalError,
    PyExc_OSError => OSError, PyExc_EnvironmentError => OSError, PyExc_IOError => OSError,
    PyExc_BlockingIOError => BlockingIOError, PyExc_ChildProcessError => ChildProcessError,
    PyExc_ConnectionError => ConnectionError, PyExc_BrokenPipeError => BrokenPipeError,
    PyExc_ConnectionAbortedError => ConnectionAbortedError, PyExc_ConnectionRefusedError => ConnectionRefusedError,
    PyExc_ConnectionResetError => ConnectionResetError, PyExc_FileExistsError => FileExistsError,
    PyExc_FileNotFoundError => FileNotFoundError, PyExc_InterruptedError => InterruptedError,
    PyExc_IsADirectoryError => IsADirectoryError, PyExc_NotADirectoryError => NotADirectoryError,
    PyExc_PermissionError => PermissionError, PyExc_ProcessLookupError => ProcessLookupError,
    PyExc_TimeoutError => TimeoutError, PyExc_ReferenceError => ReferenceError, PyExc_RuntimeError => RuntimeError,
    PyExc_NotImplementedError => NotImplementedError, PyExc_RecursionError => RecursionError,
    PyExc_StopAsyncIteration => StopAsyncIteration, PyExc_StopIteration => StopIteration,
    PyExc_SyntaxError => SyntaxError, PyExc_IndentationError => IndentationError, PyExc_TabError => TabError,
    PyExc_SystemError => SystemError, PyExc_TypeError => TypeError, PyExc_ValueError => ValueError,
    PyExc_UnicodeError => UnicodeError, PyExc_UnicodeDecodeError => UnicodeDecodeError,
    PyExc_UnicodeEncodeError => UnicodeEncodeError, PyExc_UnicodeTranslateError => UnicodeTranslateError,
    PyExc_Warning => Warning, PyExc_BytesWarning => BytesWarning, PyExc_DeprecationWarning => DeprecationWarning,
    PyExc_EncodingWarning => EncodingWarning, PyExc_FutureWarning => FutureWarning, PyExc_ImportWarning => ImportWarning,
    PyExc_PendingDeprecationWarning => PendingDeprecationWarning, PyExc_ResourceWarning => ResourceWarning,
    PyExc_RuntimeWarning => RuntimeWarning, PyExc_SyntaxWarning => SyntaxWarning,
    PyExc_UnicodeWarning => UnicodeWarning, PyExc_UserWarning => UserWarning,
}

#[inline(always)]
fn raw(o: &Obj) -> *mut BaseExceptionObject {
    o.as_ptr() as *mut BaseExceptionObject
}

/// The exception's `args` tuple (borrowed).
pub fn args(o: &Obj) -> &Obj {
    // SAFETY: o is an exception; args is always a tuple once constructed.
    unsafe {
        let a = (*raw(o)).args;
        if a.is_null() { tuple::empty_obj() } else { Obj::from_ptr(a) }
    }
}

/// Replaces an owned pointer field.
fn set_field(slot: *mut *mut PyObject, v: Option<&Obj>) {
    // SAFETY: slot is a field of a live exception holding NULL or an owned reference.
    unsafe {
        let old = *slot;
        *slot = v.map_or(null_mut(), |v| v.new_ref().into_raw());
        crate::object::xdecref(old);
    }
}

pub fn traceback(o: &Obj) -> Option<&Obj> {
    // SAFETY: o is an exception.
    unsafe { crate::slot::opt_arg((*raw(o)).traceback) }
}
pub fn set_traceback(o: &Obj, tb: Option<&Obj>) {
    set_field(unsafe { &raw mut (*raw(o)).traceback }, tb.filter(|t| !t.is(none::none_obj())));
}
pub fn context(o: &Obj) -> Option<&Obj> {
    // SAFETY: o is an exception.
    unsafe { crate::slot::opt_arg((*raw(o)).context) }
}
pub fn set_context(o: &Obj, c: Option<&Obj>) {
    set_field(unsafe { &raw mut (*raw(o)).context }, c);
}
pub fn cause(o: &Obj) -> Option<&Obj> {
    // SAFETY: o is an exception.
    unsafe { crate::slot::opt_arg((*raw(o)).cause) }
}
pub fn set_cause(o: &Obj, c: Option<&Obj>) {
    set_field(unsafe { &raw mut (*raw(o)).cause }, c);
    // SAFETY: o is an exception.
    unsafe { (*raw(o)).suppress_context = 1 };
}

// ---- slots ----------------------------------------------------------------------------------

unsafe extern "C" fn exc_new(ty: *mut PyTypeObject, args: *mut PyObject, _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: live type; tp_alloc returns zeroed memory of our layout.
    unsafe {
        let alloc = (*ty).tp_alloc.unwrap_or(crate::alloc::generic_alloc);
        let o = alloc(ty, 0);
        if o.is_null() {
            return o;
        }
        let a = if args.is_null() { tuple::empty() } else { arg(args).new_ref() };
        (*(o as *mut BaseExceptionObject)).args = a.into_raw();
        o
    }
}

pub(crate) unsafe extern "C" fn exc_init(o: *mut PyObject, args: *mut PyObject, _kw: *mut PyObject) -> c_int {
    // SAFETY: live exception.
    unsafe {
        if !args.is_null() {
            set_field(&raw mut (*raw(arg(o))).args, Some(arg(args)));
        }
    }
    0
}

pub(crate) unsafe extern "C" fn exc_dealloc(o: *mut PyObject) {
    // SAFETY: a dead exception: release every field, then memory.
    unsafe {
        let e = o as *mut BaseExceptionObject;
        for p in [(*e).dict, (*e).args, (*e).notes, (*e).traceback, (*e).context, (*e).cause] {
            crate::object::xdecref(p);
        }
        // Subclasses defined in Python release their type in `subtype_dealloc`.
        let ty = (*o).ob_type;
        match (*ty).tp_free {
            Some(f) => f(o as *mut _),
            None => crate::alloc::free_object(o),
        }
    }
}

pub(crate) unsafe extern "C" fn exc_traverse(o: *mut PyObject, visit: visitproc, a: *mut c_void) -> c_int {
    // SAFETY: live exception.
    unsafe {
        let Some(visit) = visit else { return 0 };
        let e = o as *mut BaseExceptionObject;
        for p in [(*e).dict, (*e).args, (*e).notes, (*e).traceback, (*e).context, (*e).cause] {
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

/// Breaks the cycles an exception is in (traceback -> frame -> locals -> exception, chained
/// contexts); `args` becomes `()` rather than NULL, so the object stays printable.
pub(crate) unsafe extern "C" fn exc_clear(o: *mut PyObject) -> c_int {
    // SAFETY: a live exception; NULL is valid for every field cleared.
    unsafe {
        let e = o as *mut BaseExceptionObject;
        crate::gc::clear_each(&[&raw mut (*e).dict, &raw mut (*e).notes, &raw mut (*e).traceback, &raw mut (*e).context, &raw mut (*e).cause]);
        let old = core::mem::replace(&mut (*e).args, tuple::empty().into_raw());
        crate::object::xdecref(old);
    }
    0
}

fn exc_str_impl(o: &Obj) -> PyResult<PyRef> {
    let a = args(o);
    match tuple::len(a) {
        0 => Ok(unicode::new("")),
        1 => crate::abstract_::str(tuple::get(a, 0)),
        _ => crate::abstract_::str(a),
    }
}

unsafe extern "C" fn exc_str(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: live exception.
    ret_obj(exc_str_impl(unsafe { arg(o) }))
}

/// An attribute stored in the exception's instance dict (by `set_in_dict`), if any.
fn assigned_in_dict(o: &Obj, name: &str) -> Option<PyRef> {
    crate::objects::type_::instance_dict_slot(o)
        // SAFETY: the slot holds NULL or the instance's dict.
        .and_then(|slot| unsafe { crate::slot::opt_arg(*slot) })
        .and_then(|d| crate::objects::dict::get_item_str(d, name))
}

/// `StopIteration.value`: what was assigned to it, else the first argument, else None.
pub fn stop_iteration_value(o: &Obj) -> PyRef {
    let assigned = assigned_in_dict(o, "value");
    assigned.unwrap_or_else(|| tuple::items(args(o)).first().map_or_else(none::none, |v| v.new_ref()))
}

unsafe extern "C" fn stopiter_get_value(o: *mut PyObject, _: *mut core::ffi::c_void) -> *mut PyObject {
    // SAFETY: live StopIteration.
    stop_iteration_value(unsafe { arg(o) }).into_raw()
}

unsafe extern "C" fn stopiter_set_value(o: *mut PyObject, v: *mut PyObject, c: *mut core::ffi::c_void) -> core::ffi::c_int {
    // SAFETY: live arguments; the value lives in the instance dict.
    unsafe { set_in_dict(o, v, c"value", c) }
}

/// `SystemExit.code`: what was assigned to it, else None, the only argument, or the args.
pub fn system_exit_code(o: &Obj) -> PyRef {
    let assigned = assigned_in_dict(o, "code");
    assigned.unwrap_or_else(|| {
        let a = args(o);
        match tuple::len(a) {
            0 => none::none(),
            1 => tuple::get(a, 0).new_ref(),
            _ => a.new_ref(),
        }
    })
}

unsafe extern "C" fn sysexit_get_code(o: *mut PyObject, _: *mut core::ffi::c_void) -> *mut PyObject {
    // SAFETY: live SystemExit.
    system_exit_code(unsafe { arg(o) }).into_raw()
}

unsafe extern "C" fn sysexit_set_code(o: *mut PyObject, v: *mut PyObject, c: *mut core::ffi::c_void) -> core::ffi::c_int {
    // SAFETY: as `stopiter_set_value`, under the name `code`.
    unsafe { set_in_dict(o, v, c"code", c) }
}

/// Stores an attribute of an exception in its instance dict (the setters of `value`/`code`).
unsafe fn set_in_dict(o: *mut PyObject, v: *mut PyObject, name: &core::ffi::CStr, _: *mut core::ffi::c_void) -> core::ffi::c_int {
    // SAFETY: live arguments.
    unsafe {
        let key = unicode::intern(name.to_str().unwrap_or_default());
        crate::slot::ret_int(match crate::slot::opt_arg(v) {
            Some(v) => crate::objects::type_::instance_dict_slot(arg(o))
                .ok_or_else(|| raise!(AttributeError, "cannot set '{}'", name.to_str().unwrap_or_default()))
                .and_then(|slot| {
                    if (*slot).is_null() {
                        *slot = crate::objects::dict::new().into_raw();
                    }
                    crate::objects::dict::set_item(arg(*slot), &key, v)
                })
                .map(|_| 0),
            None => Err(raise!(TypeError, "cannot delete '{}'", name.to_str().unwrap_or_default())),
        })
    }
}

static SYSEXIT_GETSET: StaticTable<PyGetSetDef, 2> =
    StaticTable(core::cell::UnsafeCell::new([getset(c"code", Some(sysexit_get_code), Some(sysexit_set_code)), GETSET_END]));

static STOPITER_GETSET: StaticTable<PyGetSetDef, 2> =
    StaticTable(core::cell::UnsafeCell::new([getset(c"value", Some(stopiter_get_value), Some(stopiter_set_value)), GETSET_END]));

unsafe extern "C" fn keyerror_str(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: live exception.
    let o = unsafe { arg(o) };
    let a = args(o);
    if tuple::len(a) == 1 {
        return ret_obj(crate::abstract_::repr(tuple::get(a, 0)));
    }
    ret_obj(exc_str_impl(o))
}

unsafe extern "C" fn exc_repr(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: live exception.
    let o = unsafe { arg(o) };
    let r = (|| {
        let name = o.ob_type().name().to_string();
        let a = args(o);
        let inner = if tuple::len(a) == 1 {
            format!("({})", unicode::as_str_lossy(&*crate::abstract_::repr(tuple::get(a, 0))?))
        } else {
            unicode::as_str_lossy(&*crate::abstract_::repr(a)?).into_owned()
        };
        Ok(unicode::new(&format!("{name}{inner}")))
    })();
    ret_obj(r)
}

unsafe extern "C" fn exc_get_args(o: *mut PyObject, _: *mut c_void) -> *mut PyObject {
    // SAFETY: live exception.
    args(unsafe { arg(o) }).new_ref().into_raw()
}

unsafe extern "C" fn exc_set_args(o: *mut PyObject, v: *mut PyObject, _: *mut c_void) -> c_int {
    // SAFETY: live arguments.
    let (o, v) = unsafe { (arg(o), opt_arg(v)) };
    let Some(v) = v else { return ret_int(Err(raise!(TypeError, "args may not be deleted"))) };
    let t = match crate::abstract_::sequence_tuple(v) {
        Ok(t) => t,
        Err(e) => return ret_int(Err(e)),
    };
    set_field(unsafe { &raw mut (*raw(o)).args }, Some(&t));
    0
}

macro_rules! exc_field_getset {
    ($get:ident, $set:ident, $field:ident, $check:expr, $msg:literal) => {
        unsafe extern "C" fn $get(o: *mut PyObject, _: *mut c_void) -> *mut PyObject {
            // SAFETY: live exception.
            let p = unsafe { (*(o as *mut BaseExceptionObject)).$field };
            if p.is_null() { none::none().into_raw() } else { unsafe { arg(p) }.new_ref().into_raw() }
        }
        unsafe extern "C" fn $set(o: *mut PyObject, v: *mut PyObject, _: *mut c_void) -> c_int {
            // SAFETY: live arguments.
            let (o, v) = unsafe { (arg(o), opt_arg(v)) };
            let v = v.filter(|v| !v.is(none::none_obj()));
            if let Some(v) = v {
                let ok: fn(&Obj) -> bool = $check;
                if !ok(v) {
                    return ret_int(Err(raise!(TypeError, $msg)));
                }
            }
            set_field(unsafe { &raw mut (*raw(o)).$field }, v);
            0
        }
    };
}

exc_field_getset!(exc_get_tb, exc_set_tb, traceback, |_| true, "__traceback__ must be a traceback or None");
exc_field_getset!(exc_get_context, exc_set_context, context, |v| v.is_instance_of(BaseException()), "exception context must be None or derive from BaseException");
exc_field_getset!(exc_get_cause, exc_set_cause, cause, |v| v.is_instance_of(BaseException()), "exception cause must be None or derive from BaseException");

static EXC_GETSET: StaticTable<PyGetSetDef, 5> = StaticTable(UnsafeCell::new([
    getset(c"args", Some(exc_get_args), Some(exc_set_args)),
    getset(c"__traceback__", Some(exc_get_tb), Some(exc_set_tb)),
    getset(c"__context__", Some(exc_get_context), Some(exc_set_context)),
    getset(c"__cause__", Some(exc_get_cause), Some(exc_set_cause)),
    GETSET_END,
]));

static EXC_MEMBERS: StaticTable<PyMemberDef, 2> = StaticTable(UnsafeCell::new([
    PyMemberDef {
        name: c"__suppress_context__".as_ptr(),
        type_code: Py_T_BOOL,
        offset: offset_of!(BaseExceptionObject, suppress_context) as isize,
        flags: 0,
        doc: core::ptr::null(),
    },
    PyMemberDef { name: core::ptr::null(), type_code: 0, offset: 0, flags: 0, doc: core::ptr::null() },
]));

unsafe extern "C" fn exc_with_traceback(o: *mut PyObject, tb: *mut PyObject) -> *mut PyObject {
    // SAFETY: live arguments.
    unsafe {
        if exc_set_tb(o, tb, null_mut()) < 0 {
            return null_mut();
        }
        arg(o).new_ref().into_raw()
    }
}

unsafe extern "C" fn exc_add_note(o: *mut PyObject, note: *mut PyObject) -> *mut PyObject {
    // SAFETY: live arguments.
    let (o, note) = unsafe { (arg(o), arg(note)) };
    if !unicode::check(note) {
        return ret_obj(Err(raise!(TypeError, "add_note() argument must be str, not {}", note.ob_type().name())));
    }
    // Notes live in the instance dict as `__notes__`, as in CPython.
    let r = (|| {
        let notes = match crate::abstract_::getattr_str(o, "__notes__") {
            Ok(n) => n,
            Err(e) if e.is_instance(AttributeError()) => {
                let n = list::new();
                crate::abstract_::setattr(o, &unicode::new("__notes__"), Some(&n))?;
                n
            }
            Err(e) => return Err(e),
        };
        if !list::check(&notes) {
            return Err(raise!(TypeError, "Cannot add note: __notes__ is not a list"));
        }
        list::append(&notes, note);
        Ok(none::none())
    })();
    ret_obj(r)
}

static EXC_METHODS: StaticTable<PyMethodDef, 3> = StaticTable(UnsafeCell::new([
    PyMethodDef { ml_name: c"with_traceback".as_ptr(), ml_meth: exc_with_traceback as *mut c_void, ml_flags: METH_O, ml_doc: core::ptr::null() },
    PyMethodDef { ml_name: c"add_note".as_ptr(), ml_meth: exc_add_note as *mut c_void, ml_flags: METH_O, ml_doc: core::ptr::null() },
    PyMethodDef { ml_name: core::ptr::null(), ml_meth: null_mut(), ml_flags: 0, ml_doc: core::ptr::null() },
]));

/// `SyntaxError(msg, (filename, lineno, offset, text[, end_lineno, end_offset]))`: the details
/// become attributes, as CPython's `SyntaxError.__init__` makes them.
unsafe extern "C" fn syntaxerror_init(o: *mut PyObject, args: *mut PyObject, kw: *mut PyObject) -> c_int {
    // SAFETY: tp_init contract.
    unsafe {
        if exc_init(o, args, kw) < 0 {
            return -1;
        }
        let e = arg(o);
        let a = args_of(e);
        let names = ["msg", "filename", "lineno", "offset", "text", "end_lineno", "end_offset", "print_file_and_line"];
        for n in names {
            let _ = crate::objects::type_::generic_setattr_impl(e, &unicode::new(n), Some(none::none_obj()));
        }
        if let Some(msg) = a.first() {
            let _ = crate::objects::type_::generic_setattr_impl(e, &unicode::new("msg"), Some(msg));
        }
        if let Some(info) = a.get(1) {
            if let Some(items) = tuple::as_slice_if_tuple(info) {
                for (n, v) in names[1..7].iter().zip(items.iter()) {
                    let _ = crate::objects::type_::generic_setattr_impl(e, &unicode::new(n), Some(v));
                }
            }
        }
    }
    0
}

/// `ImportError(*args, name=None, path=None, name_from=None)`: `msg` is the only positional
/// argument, if there is exactly one.
unsafe extern "C" fn importerror_init(o: *mut PyObject, args: *mut PyObject, kw: *mut PyObject) -> c_int {
    // SAFETY: tp_init contract.
    unsafe {
        let e = arg(o);
        let r = (|| -> PyResult<()> {
            let mut attrs: [(&str, PyRef); 3] = [("name", none::none()), ("path", none::none()), ("name_from", none::none())];
            if let Some(kw) = opt_arg(kw) {
                for (k, v) in crate::objects::dict::items_vec(kw) {
                    let key = unicode::as_str_lossy(&k).into_owned();
                    match attrs.iter_mut().find(|(n, _)| *n == key) {
                        Some(slot) => slot.1 = v,
                        None => return Err(raise!(TypeError, "'{}' is an invalid keyword argument for {}()", key, e.ob_type().name())),
                    }
                }
            }
            if exc_init(o, args, null_mut()) < 0 {
                return Err(crate::err::PyErr::take().unwrap_or_else(|| raise!(SystemError, "ImportError.__init__ failed")));
            }
            let a = args_of(e);
            let msg = if a.len() == 1 { a[0].new_ref() } else { none::none() };
            // Stored as CPython stores them (struct fields, not through attribute lookup), so
            // a subclass's read-only property of the same name does not get in the way.
            let slot = crate::objects::type_::instance_dict_slot(e).ok_or_else(|| raise!(SystemError, "exception without a dict slot"))?;
            if (*slot).is_null() {
                *slot = crate::objects::dict::new().into_raw();
            }
            let d = arg(*slot);
            crate::objects::dict::set_item_str(d, "msg", &msg)?;
            for (n, v) in &attrs {
                crate::objects::dict::set_item_str(d, n, v)?;
            }
            Ok(())
        })();
        ret_int(r.map(|_| 0))
    }
}

/// `str(ImportError)`: the message if there is one, else as `BaseException`.
unsafe extern "C" fn importerror_str(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: live exception.
    let e = unsafe { arg(o) };
    match crate::abstract_::getattr_str(e, "msg") {
        Ok(m) if !m.is(none::none_obj()) => ret_obj(crate::abstract_::str(&m)),
        _ => ret_obj(exc_str_impl(e)),
    }
}

fn args_of(e: &Obj) -> Vec<&Obj> {
    tuple::items(args(e)).to_vec()
}

/// `msg (filename, line N)`, with the file's base name, as CPython prints it.
unsafe extern "C" fn syntaxerror_str(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: live exception.
    let e = unsafe { arg(o) };
    let get = |n: &str| crate::abstract_::getattr_str(e, n).ok().filter(|v| !v.is(none::none_obj()));
    let msg = match get("msg") {
        Some(m) => unicode::as_str_lossy(&*match crate::abstract_::str(&m) { Ok(s) => s, Err(err) => return ret_obj(Err(err)) }).into_owned(),
        None => return ret_obj(exc_str_impl(e)),
    };
    let file = get("filename").filter(|f| unicode::check(f)).map(|f| {
        let f = unicode::as_str_lossy(&f).into_owned();
        f.rsplit('/').next().unwrap_or(&f).to_string()
    });
    let line = get("lineno").and_then(|l| crate::objects::long::to_i64(&l));
    let s = match (file, line) {
        (Some(f), Some(l)) => format!("{msg} ({f}, line {l})"),
        (Some(f), None) => format!("{msg} ({f})"),
        (None, Some(l)) => format!("{msg} (line {l})"),
        (None, None) => msg,
    };
    unicode::new(&s).into_raw()
}

// ---- OSError and its errno subclasses -------------------------------------------------------

/// The `OSError` subclass CPython picks for an errno (`OSError(2, ...)` is a
/// `FileNotFoundError`), Linux values.
fn oserror_subclass(errno: i64) -> Option<&'static TypeObj> {
    Some(match errno {
        11 | 114 | 115 => BlockingIOError(), // EAGAIN (= EWOULDBLOCK), EALREADY, EINPROGRESS
        10 => ChildProcessError(),            // ECHILD
        32 | 108 => BrokenPipeError(),        // EPIPE, ESHUTDOWN
        103 => ConnectionAbortedError(),      // ECONNABORTED
        111 => ConnectionRefusedError(),      // ECONNREFUSED
        104 => ConnectionResetError(),        // ECONNRESET
        17 => FileExistsError(),              // EEXIST
        2 => FileNotFoundError(),             // ENOENT
        21 => IsADirectoryError(),            // EISDIR
        20 => NotADirectoryError(),           // ENOTDIR
        4 => InterruptedError(),              // EINTR
        13 | 1 => PermissionError(),          // EACCES, EPERM
        3 => ProcessLookupError(),            // ESRCH
        110 => TimeoutError(),                // ETIMEDOUT
        _ => return None,
    })
}

/// Whether `ty` parses its arguments in `__init__` (a subclass overriding `__init__`) rather
/// than in `__new__`, as CPython's `oserror_use_init` decides.
unsafe fn oserror_uses_init(ty: *mut PyTypeObject) -> bool {
    // SAFETY: a live type.
    // (Slot inheritance copies the pointer, so comparing addresses is exact.)
    unsafe { (*ty).tp_init.map(|f| f as usize) != Some(oserror_init as *const () as usize) }
}

/// Sets `errno`, `strerror`, `filename`, `filename2` (and `characters_written` for
/// `BlockingIOError(errno, strerror, n)`) from `OSError(errno, strerror[, filename[, winerror[, filename2]]])`;
/// with a filename, `args` keeps only the first two.
fn oserror_parse_args(e: &Obj) -> PyResult<()> {
    let a: Vec<PyRef> = args_of(e).into_iter().map(Obj::new_ref).collect();
    let none = none::none();
    let mut attrs: [(&str, PyRef); 4] = [("errno", none.clone()), ("strerror", none.clone()), ("filename", none.clone()), ("filename2", none.clone())];
    if (2..=5).contains(&a.len()) {
        attrs[0].1 = a[0].clone();
        attrs[1].1 = a[1].clone();
        if let Some(f) = a.get(2).filter(|f| !f.is(none::none_obj())) {
            if e.is_instance_of(BlockingIOError()) && crate::objects::argparse::index_check(f) {
                crate::objects::type_::generic_setattr_impl(e, &unicode::new("characters_written"), Some(&*crate::abstract_::index(f)?))?;
            } else {
                attrs[2].1 = f.clone();
                if let Some(f2) = a.get(4) {
                    attrs[3].1 = f2.clone();
                }
                set_field(unsafe { &raw mut (*raw(e)).args }, Some(&tuple::new_from(&[&a[0], &a[1]])));
            }
        }
    }
    for (n, v) in &attrs {
        crate::objects::type_::generic_setattr_impl(e, &unicode::new(n), Some(v))?;
    }
    Ok(())
}

unsafe extern "C" fn oserror_new(ty: *mut PyTypeObject, args: *mut PyObject, kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: tp_new contract.
    unsafe {
        let mut ty = ty;
        if core::ptr::eq(ty, OSError().as_ptr() as *mut PyTypeObject) {
            if let Some(a) = opt_arg(args).and_then(tuple::as_slice_if_tuple) {
                if a.len() >= 2 && crate::objects::long::check(a[0]) {
                    if let Some(sub) = crate::objects::long::to_i64(a[0]).and_then(oserror_subclass) {
                        ty = sub.as_ptr() as *mut PyTypeObject;
                    }
                }
            }
        }
        let o = exc_new(ty, args, kw);
        if o.is_null() || oserror_uses_init(ty) {
            return o;
        }
        match oserror_parse_args(arg(o)) {
            Ok(()) => o,
            Err(e) => {
                crate::object::decref(o);
                e.restore();
                null_mut()
            }
        }
    }
}

unsafe extern "C" fn oserror_init(o: *mut PyObject, args: *mut PyObject, kw: *mut PyObject) -> c_int {
    // SAFETY: tp_init contract.
    unsafe {
        if !oserror_uses_init((*o).ob_type) {
            return 0;
        }
        if exc_init(o, args, kw) < 0 {
            return -1;
        }
        ret_int(oserror_parse_args(arg(o)).map(|_| 0))
    }
}

/// `[Errno 2] No such file or directory: 'x'` (`-> 'y'` with a second filename).
unsafe extern "C" fn oserror_str(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: live exception.
    let e = unsafe { arg(o) };
    let r = (|| {
        let get = |n: &str| crate::abstract_::lookup_attr(e, n).ok().flatten().filter(|v| !v.is(none::none_obj()));
        let text = |v: &Obj| -> PyResult<String> { Ok(unicode::as_str_lossy(&*crate::abstract_::str(v)?).into_owned()) };
        let repr = |v: &Obj| -> PyResult<String> { Ok(unicode::as_str_lossy(&*crate::abstract_::repr(v)?).into_owned()) };
        let errno = crate::abstract_::lookup_attr(e, "errno")?.unwrap_or_else(none::none);
        let strerror = crate::abstract_::lookup_attr(e, "strerror")?.unwrap_or_else(none::none);
        if let Some(f) = get("filename") {
            let head = format!("[Errno {}] {}: {}", text(&errno)?, text(&strerror)?, repr(&f)?);
            return Ok(unicode::new(&match get("filename2") {
                Some(f2) => format!("{head} -> {}", repr(&f2)?),
                None => head,
            }));
        }
        if !errno.is(none::none_obj()) && !strerror.is(none::none_obj()) {
            return Ok(unicode::new(&format!("[Errno {}] {}", text(&errno)?, text(&strerror)?)));
        }
        exc_str_impl(e)
    })();
    ret_obj(r)
}

// ---- exception groups (PEP 654) ---------------------------------------------------------------

/// `BaseExceptionGroup` instances: the exception fields, then the message and the tuple of
/// nested exceptions (CPython's `PyBaseExceptionGroupObject`).
#[repr(C)]
pub struct BaseExceptionGroupObject {
    pub base: BaseExceptionObject,
    pub msg: *mut PyObject,
    pub excs: *mut PyObject,
}

private_static_type!(_PyExc_BaseExceptionGroup, c"BaseExceptionGroup", core::mem::size_of::<BaseExceptionGroupObject>(), {
    tp_flags: EXC_FLAGS,
    tp_base: _PyExc_BaseException.raw(),
    tp_new: Some(eg_new),
    tp_init: Some(eg_init),
    tp_dealloc: Some(eg_dealloc),
    tp_traverse: Some(eg_traverse),
    tp_str: Some(eg_str),
    tp_members: EG_MEMBERS.0.get() as *mut PyMemberDef,
    tp_methods: EG_METHODS.0.get() as *mut PyMethodDef,
    tp_doc: c"A combination of multiple unrelated exceptions.".as_ptr(),
});

// `ExceptionGroup(BaseExceptionGroup, Exception)`: CPython creates it at start-up with both
// bases; `prepare` gives this static type its second base before it is readied.
private_static_type!(_PyExc_ExceptionGroup, c"ExceptionGroup", core::mem::size_of::<BaseExceptionGroupObject>(), {
    tp_flags: EXC_FLAGS,
    tp_base: _PyExc_BaseExceptionGroup.raw(),
});

#[unsafe(no_mangle)]
pub static PyExc_BaseExceptionGroup: SyncPtr<PyObject> = SyncPtr(_PyExc_BaseExceptionGroup.raw() as *mut PyObject);

#[allow(non_snake_case)]
pub const fn BaseExceptionGroup() -> &'static TypeObj {
    &_PyExc_BaseExceptionGroup
}

#[allow(non_snake_case)]
pub const fn ExceptionGroup() -> &'static TypeObj {
    &_PyExc_ExceptionGroup
}

/// Sets up what static initialisers cannot express (before the types are readied).
pub fn prepare() {
    let t = _PyExc_ExceptionGroup.raw();
    // SAFETY: called once at start-up, before the type is readied or used.
    unsafe {
        if (*t).tp_bases.is_null() {
            (*t).tp_bases = tuple::new_from(&[BaseExceptionGroup(), Exception()]).into_raw();
        }
    }
}

#[inline(always)]
fn eg_raw(o: &Obj) -> *mut BaseExceptionGroupObject {
    o.as_ptr() as *mut BaseExceptionGroupObject
}

/// Whether `o` is an exception group (`_PyBaseExceptionGroup_Check`).
pub fn is_group(o: &Obj) -> bool {
    o.is_instance_of(BaseExceptionGroup())
}

/// The nested exceptions of a group (borrowed tuple).
pub fn group_exceptions(o: &Obj) -> &Obj {
    // SAFETY: o is a constructed exception group; excs is a tuple.
    unsafe { Obj::from_ptr((*eg_raw(o)).excs) }
}

/// The message of a group (borrowed str).
pub fn group_message(o: &Obj) -> &Obj {
    // SAFETY: o is a constructed exception group; msg is a str.
    unsafe { Obj::from_ptr((*eg_raw(o)).msg) }
}

/// `BaseExceptionGroup(msg, excs)` (`_PyExc_CreateExceptionGroup`).
pub fn create_group(msg: &str, excs: &Obj) -> PyResult<PyRef> {
    crate::abstract_::call(BaseExceptionGroup(), &tuple::new_from(&[&*unicode::new(msg), excs]), None)
}

fn eg_new_impl(ty: &TypeObj, args: &Obj, kw: *mut PyObject) -> PyResult<PyRef> {
    let a = tuple::items(args);
    if a.len() != 2 {
        return Err(raise!(TypeError, "BaseExceptionGroup.__new__() takes exactly 2 arguments ({} given)", a.len()));
    }
    let (message, excs) = (a[0], a[1]);
    if !unicode::check(message) {
        return Err(raise!(TypeError, "BaseExceptionGroup.__new__() argument 1 must be str, not {}", message.ob_type().name()));
    }
    if !crate::objects::iterobject::is_sequence(excs) {
        return Err(raise!(TypeError, "second argument (exceptions) must be a sequence"));
    }
    let excs = crate::abstract_::sequence_tuple(excs)?;
    let items = tuple::items(&excs);
    if items.is_empty() {
        return Err(raise!(ValueError, "second argument (exceptions) must be a non-empty sequence"));
    }
    let mut nested_base = false;
    for (i, e) in items.iter().enumerate() {
        if !e.is_instance_of(BaseException()) {
            return Err(raise!(ValueError, "Item {} of second argument (exceptions) is not an exception", i));
        }
        if !e.is_instance_of(Exception()) {
            nested_base = true;
        }
    }
    let mut cls = ty;
    if ty.is(ExceptionGroup()) {
        if nested_base {
            return Err(raise!(TypeError, "Cannot nest BaseExceptions in an ExceptionGroup"));
        }
    } else if ty.is(BaseExceptionGroup()) {
        if !nested_base {
            cls = ExceptionGroup();
        }
    } else if nested_base && ty.is_subtype(Exception()) {
        return Err(raise!(TypeError, "Cannot nest BaseExceptions in '{}'", ty.name()));
    }
    // SAFETY: exc_new allocates an instance of `cls` (a group type) and sets its args.
    let o = unsafe { crate::slot::from_new(exc_new(cls.raw(), args.as_ptr(), kw))? };
    // SAFETY: o is a fresh group whose msg/excs are NULL.
    unsafe {
        (*eg_raw(&o)).msg = message.new_ref().into_raw();
        (*eg_raw(&o)).excs = excs.into_raw();
    }
    Ok(o)
}

unsafe extern "C" fn eg_new(ty: *mut PyTypeObject, args: *mut PyObject, kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: tp_new contract.
    ret_obj(unsafe { eg_new_impl(TypeObj::from_ptr(ty), arg(args), kw) })
}

unsafe extern "C" fn eg_init(o: *mut PyObject, args: *mut PyObject, kw: *mut PyObject) -> c_int {
    // SAFETY: tp_init contract.
    unsafe {
        if opt_arg(kw).is_some_and(|k| crate::objects::dict::len(k) > 0) {
            return ret_int(Err(raise!(TypeError, "{}() takes no keyword arguments", arg(o).ob_type().name())));
        }
        exc_init(o, args, kw)
    }
}

unsafe extern "C" fn eg_dealloc(o: *mut PyObject) {
    // SAFETY: a dead group: release its own fields, then the exception's.
    unsafe {
        let g = o as *mut BaseExceptionGroupObject;
        crate::object::xdecref(core::mem::replace(&mut (*g).msg, null_mut()));
        crate::object::xdecref(core::mem::replace(&mut (*g).excs, null_mut()));
        exc_dealloc(o);
    }
}

unsafe extern "C" fn eg_traverse(o: *mut PyObject, visit: visitproc, a: *mut c_void) -> c_int {
    // SAFETY: live group.
    unsafe {
        let Some(v) = visit else { return 0 };
        let g = o as *mut BaseExceptionGroupObject;
        for p in [(*g).msg, (*g).excs] {
            if !p.is_null() {
                let r = v(p, a);
                if r != 0 {
                    return r;
                }
            }
        }
        exc_traverse(o, visit, a)
    }
}

unsafe extern "C" fn eg_str(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: live group.
    let o = unsafe { arg(o) };
    let r = (|| {
        let msg = crate::abstract_::str(group_message(o))?;
        let n = tuple::len(group_exceptions(o));
        Ok(unicode::new(&format!("{} ({} sub-exception{})", unicode::as_str_lossy(&msg), n, if n > 1 { "s" } else { "" })))
    })();
    ret_obj(r)
}

static EG_MEMBERS: StaticTable<PyMemberDef, 3> = StaticTable(UnsafeCell::new([
    PyMemberDef {
        name: c"message".as_ptr(),
        type_code: _Py_T_OBJECT,
        offset: offset_of!(BaseExceptionGroupObject, msg) as isize,
        flags: Py_READONLY,
        doc: c"exception message".as_ptr(),
    },
    PyMemberDef {
        name: c"exceptions".as_ptr(),
        type_code: _Py_T_OBJECT,
        offset: offset_of!(BaseExceptionGroupObject, excs) as isize,
        flags: Py_READONLY,
        doc: c"nested exceptions".as_ptr(),
    },
    PyMemberDef { name: core::ptr::null(), type_code: 0, offset: 0, flags: 0, doc: core::ptr::null() },
]));

static EG_METHODS: StaticTable<PyMethodDef, 4> = StaticTable(UnsafeCell::new([
    PyMethodDef { ml_name: c"derive".as_ptr(), ml_meth: eg_derive as *mut c_void, ml_flags: METH_O, ml_doc: core::ptr::null() },
    PyMethodDef { ml_name: c"split".as_ptr(), ml_meth: eg_split as *mut c_void, ml_flags: METH_O, ml_doc: core::ptr::null() },
    PyMethodDef { ml_name: c"subgroup".as_ptr(), ml_meth: eg_subgroup as *mut c_void, ml_flags: METH_O, ml_doc: core::ptr::null() },
    PyMethodDef { ml_name: core::ptr::null(), ml_meth: null_mut(), ml_flags: 0, ml_doc: core::ptr::null() },
]));

/// `eg.derive(excs)`: a group with the same message (always built by `BaseExceptionGroup`).
unsafe extern "C" fn eg_derive(o: *mut PyObject, excs: *mut PyObject) -> *mut PyObject {
    // SAFETY: live arguments.
    let (o, excs) = unsafe { (arg(o), arg(excs)) };
    ret_obj(crate::abstract_::call(BaseExceptionGroup(), &tuple::new_from(&[group_message(o), excs]), None))
}

/// What `split`/`subgroup` select leaf exceptions by.
enum Matcher<'a> {
    /// An exception type or a tuple of them.
    Type(&'a Obj),
    /// A callable returning true for the exceptions to select.
    Predicate(&'a Obj),
    /// The addresses of the leaf exceptions to keep (the interpreter's re-raise projection).
    Ids(&'a std::collections::HashSet<usize>),
}

fn is_exception_class(o: &Obj) -> bool {
    TypeObj::downcast(o).is_some_and(|t| t.is_subtype(BaseException()))
}

fn matcher_of(v: &Obj) -> PyResult<Matcher<'_>> {
    if v.ob_type().slots().tp_call.is_some() && TypeObj::downcast(v).is_none() {
        return Ok(Matcher::Predicate(v));
    }
    if is_exception_class(v) {
        return Ok(Matcher::Type(v));
    }
    if tuple::check_exact(v) && tuple::items(v).iter().all(|t| is_exception_class(t)) {
        return Ok(Matcher::Type(v));
    }
    Err(raise!(TypeError, "expected an exception type, a tuple of exception types, or a callable (other than a class)"))
}

fn matches(e: &Obj, m: &Matcher<'_>) -> PyResult<bool> {
    match m {
        Matcher::Type(t) => Ok(crate::err::given_exception_matches(e, t)),
        Matcher::Predicate(f) => crate::abstract_::is_true(&*crate::abstract_::call_one_arg(f, e)?),
        Matcher::Ids(ids) => Ok(!is_group(e) && ids.contains(&(e.as_ptr() as usize))),
    }
}

/// A group like `orig` (traceback, context, cause, a copy of the notes) holding `excs`;
/// None if `excs` is empty.
fn group_subset(orig: &Obj, excs: Vec<PyRef>) -> PyResult<Option<PyRef>> {
    if excs.is_empty() {
        return Ok(None);
    }
    let eg = crate::abstract_::call_method(orig, "derive", &[&*list::new_from_owned(excs)])?;
    if !is_group(&eg) {
        return Err(raise!(TypeError, "derive must return an instance of BaseExceptionGroup"));
    }
    if let Some(tb) = traceback(orig) {
        set_traceback(&eg, Some(tb));
    }
    set_context(&eg, context(orig));
    set_cause(&eg, cause(orig));
    match crate::abstract_::getattr_str(orig, "__notes__") {
        Ok(notes) => {
            if crate::objects::iterobject::is_sequence(&notes) {
                let copy = list::from_iterable(&notes)?;
                crate::abstract_::setattr(&eg, &unicode::new("__notes__"), Some(&copy))?;
            }
        }
        Err(e) if e.is_instance(AttributeError()) => {}
        Err(e) => return Err(e),
    }
    Ok(Some(eg))
}

/// (match, rest) of `e` split by `m`, recursively through nested groups.
fn split_recursive(e: &Obj, m: &Matcher<'_>, construct_rest: bool) -> PyResult<(Option<PyRef>, Option<PyRef>)> {
    crate::interp::check_stack(" in exceptiongroup_split_recursive")?;
    if matches(e, m)? {
        return Ok((Some(e.new_ref()), None));
    }
    if !is_group(e) {
        return Ok((None, if construct_rest { Some(e.new_ref()) } else { None }));
    }
    let mut match_list = Vec::new();
    let mut rest_list = Vec::new();
    for sub in tuple::items(group_exceptions(e)) {
        let (m_, r_) = split_recursive(sub, m, construct_rest)?;
        match_list.extend(m_);
        rest_list.extend(r_);
    }
    let matched = group_subset(e, match_list)?;
    let rest = if construct_rest { group_subset(e, rest_list)? } else { None };
    Ok((matched, rest))
}

unsafe extern "C" fn eg_split(o: *mut PyObject, v: *mut PyObject) -> *mut PyObject {
    // SAFETY: live arguments.
    let (o, v) = unsafe { (arg(o), arg(v)) };
    let r = (|| {
        let m = matcher_of(v)?;
        let (matched, rest) = split_recursive(o, &m, true)?;
        let (matched, rest) = (matched.unwrap_or_else(none::none), rest.unwrap_or_else(none::none));
        Ok(tuple::new_from(&[&*matched, &*rest]))
    })();
    ret_obj(r)
}

unsafe extern "C" fn eg_subgroup(o: *mut PyObject, v: *mut PyObject) -> *mut PyObject {
    // SAFETY: live arguments.
    let (o, v) = unsafe { (arg(o), arg(v)) };
    let r = (|| {
        let m = matcher_of(v)?;
        Ok(split_recursive(o, &m, false)?.0.unwrap_or_else(none::none))
    })();
    ret_obj(r)
}

fn collect_leaf_ids(e: &Obj, ids: &mut std::collections::HashSet<usize>) -> PyResult<()> {
    if e.is(none::none_obj()) {
        return Ok(());
    }
    if !is_group(e) {
        ids.insert(e.as_ptr() as usize);
        return Ok(());
    }
    crate::interp::check_stack(" in collect_exception_group_leaf_ids")?;
    for sub in tuple::items(group_exceptions(e)) {
        collect_leaf_ids(sub, ids)?;
    }
    Ok(())
}

fn same_metadata(a: &Obj, b: &Obj) -> bool {
    // SAFETY: both are exceptions.
    unsafe {
        let (x, y) = (raw(a), raw(b));
        (*x).notes == (*y).notes && (*x).traceback == (*y).traceback && (*x).cause == (*y).cause && (*x).context == (*y).context
    }
}

/// What the end of a `try`/`except*` raises (`_PyExc_PrepReraiseStar`): `excs` lists what
/// the clauses raised or re-raised and the unhandled rest. Re-raised parts keep `orig`'s
/// nesting; newly raised exceptions become siblings in a new `ExceptionGroup("", ...)`.
/// None when nothing is left to raise.
pub fn prep_reraise_star(orig: &Obj, excs: &Obj) -> PyResult<PyRef> {
    let excs = list::to_vec(excs);
    if excs.is_empty() {
        return Ok(none::none());
    }
    if !is_group(orig) {
        // A naked exception was caught (wrapped): at most one clause ran.
        return Ok(excs[0].clone());
    }
    let mut raised: Vec<PyRef> = Vec::new();
    let mut reraised: Vec<PyRef> = Vec::new();
    for e in excs.into_iter().filter(|e| !e.is(none::none_obj())) {
        if same_metadata(&e, orig) { reraised.push(e) } else { raised.push(e) }
    }
    let mut ids = std::collections::HashSet::new();
    for e in &reraised {
        collect_leaf_ids(e, &mut ids)?;
    }
    let reraised_eg = split_recursive(orig, &Matcher::Ids(&ids), false)?.0;
    if raised.is_empty() {
        return Ok(reraised_eg.unwrap_or_else(none::none));
    }
    raised.extend(reraised_eg);
    if raised.len() > 1 {
        create_group("", &list::new_from_owned(raised))
    } else {
        Ok(raised.pop().unwrap())
    }
}
