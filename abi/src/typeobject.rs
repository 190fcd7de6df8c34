//! `PyTypeObject` as CPython 3.15 lays it out (`cpython/object.h`), the method suites,
//! the slot function types and `Py_TPFLAGS_*`.
//!
//! The limited API treats `PyTypeObject` as opaque, but the exported static type objects
//! (`PyLong_Type`, ...) are this struct, and version-specific wheels read its fields.

use core::ffi::{c_char, c_int, c_uint, c_ulong, c_void};

use crate::buffer::Py_buffer;
use crate::descrobject::{PyGetSetDef, PyMemberDef};
use crate::methodobject::PyMethodDef;
use crate::object::{PyObject, PyVarObject};
use crate::{Py_hash_t, Py_ssize_t};

pub type destructor = Option<unsafe extern "C" fn(*mut PyObject)>;
pub type getattrfunc = Option<unsafe extern "C" fn(*mut PyObject, *mut c_char) -> *mut PyObject>;
pub type setattrfunc = Option<unsafe extern "C" fn(*mut PyObject, *mut c_char, *mut PyObject) -> c_int>;
pub type getattrofunc = Option<unsafe extern "C" fn(*mut PyObject, *mut PyObject) -> *mut PyObject>;
pub type setattrofunc = Option<unsafe extern "C" fn(*mut PyObject, *mut PyObject, *mut PyObject) -> c_int>;
pub type reprfunc = Option<unsafe extern "C" fn(*mut PyObject) -> *mut PyObject>;
pub type hashfunc = Option<unsafe extern "C" fn(*mut PyObject) -> Py_hash_t>;
pub type richcmpfunc = Option<unsafe extern "C" fn(*mut PyObject, *mut PyObject, c_int) -> *mut PyObject>;
pub type getiterfunc = Option<unsafe extern "C" fn(*mut PyObject) -> *mut PyObject>;
pub type iternextfunc = Option<unsafe extern "C" fn(*mut PyObject) -> *mut PyObject>;
pub type descrgetfunc = Option<unsafe extern "C" fn(*mut PyObject, *mut PyObject, *mut PyObject) -> *mut PyObject>;
pub type descrsetfunc = Option<unsafe extern "C" fn(*mut PyObject, *mut PyObject, *mut PyObject) -> c_int>;
pub type initproc = Option<unsafe extern "C" fn(*mut PyObject, *mut PyObject, *mut PyObject) -> c_int>;
pub type newfunc = Option<unsafe extern "C" fn(*mut PyTypeObject, *mut PyObject, *mut PyObject) -> *mut PyObject>;
pub type allocfunc = Option<unsafe extern "C" fn(*mut PyTypeObject, Py_ssize_t) -> *mut PyObject>;
pub type freefunc = Option<unsafe extern "C" fn(*mut c_void)>;
pub type visitproc = Option<unsafe extern "C" fn(*mut PyObject, *mut c_void) -> c_int>;
pub type traverseproc = Option<unsafe extern "C" fn(*mut PyObject, visitproc, *mut c_void) -> c_int>;
pub type inquiry = Option<unsafe extern "C" fn(*mut PyObject) -> c_int>;
pub type ternaryfunc = Option<unsafe extern "C" fn(*mut PyObject, *mut PyObject, *mut PyObject) -> *mut PyObject>;
pub type binaryfunc = Option<unsafe extern "C" fn(*mut PyObject, *mut PyObject) -> *mut PyObject>;
pub type unaryfunc = Option<unsafe extern "C" fn(*mut PyObject) -> *mut PyObject>;
pub type lenfunc = Option<unsafe extern "C" fn(*mut PyObject) -> Py_ssize_t>;
pub type ssizeargfunc = Option<unsafe extern "C" fn(*mut PyObject, Py_ssize_t) -> *mut PyObject>;
pub type ssizeobjargproc = Option<unsafe extern "C" fn(*mut PyObject, Py_ssize_t, *mut PyObject) -> c_int>;
pub type objobjproc = Option<unsafe extern "C" fn(*mut PyObject, *mut PyObject) -> c_int>;
pub type objobjargproc = Option<unsafe extern "C" fn(*mut PyObject, *mut PyObject, *mut PyObject) -> c_int>;
pub type getbufferproc = Option<unsafe extern "C" fn(*mut PyObject, *mut Py_buffer, c_int) -> c_int>;
pub type releasebufferproc = Option<unsafe extern "C" fn(*mut PyObject, *mut Py_buffer)>;
pub type sendfunc = Option<unsafe extern "C" fn(*mut PyObject, *mut PyObject, *mut *mut PyObject) -> c_int>;
pub type vectorcallfunc =
    Option<unsafe extern "C" fn(*mut PyObject, *const *mut PyObject, usize, *mut PyObject) -> *mut PyObject>;
/// 3.15's internal `_Py_iteritemfunc` (`_tp_iteritem`); opaque to Pyrite.
pub type iteritemfunc = Option<unsafe extern "C" fn(*mut PyObject, Py_ssize_t) -> *mut c_void>;

#[repr(C)]
#[derive(Clone, Copy)]
pub struct PyNumberMethods {
    pub nb_add: binaryfunc,
    pub nb_subtract: binaryfunc,
    pub nb_multiply: binaryfunc,
    pub nb_remainder: binaryfunc,
    pub nb_divmod: binaryfunc,
    pub nb_power: ternaryfunc,
    pub nb_negative: unaryfunc,
    pub nb_positive: unaryfunc,
    pub nb_absolute: unaryfunc,
    pub nb_bool: inquiry,
    pub nb_invert: unaryfunc,
    pub nb_lshift: binaryfunc,
    pub nb_rshift: binaryfunc,
    pub nb_and: binaryfunc,
    pub nb_xor: binaryfunc,
    pub nb_or: binaryfunc,
    pub nb_int: unaryfunc,
    pub nb_reserved: *mut c_void,
    pub nb_float: unaryfunc,
    pub nb_inplace_add: binaryfunc,
    pub nb_inplace_subtract: binaryfunc,
    pub nb_inplace_multiply: binaryfunc,
    pub nb_inplace_remainder: binaryfunc,
    pub nb_inplace_power: ternaryfunc,
    pub nb_inplace_lshift: binaryfunc,
    pub nb_inplace_rshift: binaryfunc,
    pub nb_inplace_and: binaryfunc,
    pub nb_inplace_xor: binaryfunc,
    pub nb_inplace_or: binaryfunc,
    pub nb_floor_divide: binaryfunc,
    pub nb_true_divide: binaryfunc,
    pub nb_inplace_floor_divide: binaryfunc,
    pub nb_inplace_true_divide: binaryfunc,
    pub nb_index: unaryfunc,
    pub nb_matrix_multiply: binaryfunc,
    pub nb_inplace_matrix_multiply: binaryfunc,
}

#[repr(C)]
#[derive(Clone, Copy)]
pub struct PySequenceMethods {
    pub sq_length: lenfunc,
    pub sq_concat: binaryfunc,
    pub sq_repeat: ssizeargfunc,
    pub sq_item: ssizeargfunc,
    pub was_sq_slice: *mut c_void,
    pub sq_ass_item: ssizeobjargproc,
    pub was_sq_ass_slice: *mut c_void,
    pub sq_contains: objobjproc,
    pub sq_inplace_concat: binaryfunc,
    pub sq_inplace_repeat: ssizeargfunc,
}

#[repr(C)]
#[derive(Clone, Copy)]
pub struct PyMappingMethods {
    pub mp_length: lenfunc,
    pub mp_subscript: binaryfunc,
    pub mp_ass_subscript: objobjargproc,
}

#[repr(C)]
#[derive(Clone, Copy)]
pub struct PyAsyncMethods {
    pub am_await: unaryfunc,
    pub am_aiter: unaryfunc,
    pub am_anext: unaryfunc,
    pub am_send: sendfunc,
}

#[repr(C)]
#[derive(Clone, Copy)]
pub struct PyBufferProcs {
    pub bf_getbuffer: getbufferproc,
    pub bf_releasebuffer: releasebufferproc,
}

macro_rules! zeroed_suite {
    ($($t:ident),*) => {$(
        impl $t {
            /// All slots empty.
            pub const EMPTY: $t = unsafe { core::mem::zeroed() };
        }
    )*};
}
zeroed_suite!(PyNumberMethods, PySequenceMethods, PyMappingMethods, PyAsyncMethods, PyBufferProcs);

/// `struct _typeobject`, CPython 3.15 (`cpython/object.h`): 424 bytes on x86_64.
#[repr(C)]
pub struct PyTypeObject {
    pub ob_base: PyVarObject,
    pub tp_name: *const c_char,
    pub tp_basicsize: Py_ssize_t,
    pub tp_itemsize: Py_ssize_t,
    pub tp_dealloc: destructor,
    pub tp_vectorcall_offset: Py_ssize_t,
    pub tp_getattr: getattrfunc,
    pub tp_setattr: setattrfunc,
    pub tp_as_async: *mut PyAsyncMethods,
    pub tp_repr: reprfunc,
    pub tp_as_number: *mut PyNumberMethods,
    pub tp_as_sequence: *mut PySequenceMethods,
    pub tp_as_mapping: *mut PyMappingMethods,
    pub tp_hash: hashfunc,
    pub tp_call: ternaryfunc,
    pub tp_str: reprfunc,
    pub tp_getattro: getattrofunc,
    pub tp_setattro: setattrofunc,
    pub tp_as_buffer: *mut PyBufferProcs,
    pub tp_flags: c_ulong,
    pub tp_doc: *const c_char,
    pub tp_traverse: traverseproc,
    pub tp_clear: inquiry,
    pub tp_richcompare: richcmpfunc,
    pub tp_weaklistoffset: Py_ssize_t,
    pub tp_iter: getiterfunc,
    pub tp_iternext: iternextfunc,
    pub tp_methods: *mut PyMethodDef,
    pub tp_members: *mut PyMemberDef,
    pub tp_getset: *mut PyGetSetDef,
    pub tp_base: *mut PyTypeObject,
    pub tp_dict: *mut PyObject,
    pub tp_descr_get: descrgetfunc,
    pub tp_descr_set: descrsetfunc,
    pub tp_dictoffset: Py_ssize_t,
    pub tp_init: initproc,
    pub tp_alloc: allocfunc,
    pub tp_new: newfunc,
    pub tp_free: freefunc,
    pub tp_is_gc: inquiry,
    pub tp_bases: *mut PyObject,
    pub tp_mro: *mut PyObject,
    pub tp_cache: *mut PyObject,
    pub tp_subclasses: *mut c_void,
    pub tp_weaklist: *mut PyObject,
    pub tp_del: destructor,
    pub tp_version_tag: c_uint,
    pub tp_finalize: destructor,
    pub tp_vectorcall: vectorcallfunc,
    pub tp_watched: u8,
    pub tp_versions_used: u16,
    pub _tp_iteritem: iteritemfunc,
}

impl PyTypeObject {
    /// A type object with every field zero/NULL (the state of a C `static PyTypeObject` before
    /// its initializer's named fields).
    pub const ZEROED: PyTypeObject = unsafe { core::mem::zeroed() };
}

// Py_TPFLAGS_* (object.h). Bits old binaries may set are listed too: the runtime tolerates all.
pub const Py_TPFLAGS_HAVE_FINALIZE: c_ulong = 1 << 0;
pub const Py_TPFLAGS_STATIC_BUILTIN: c_ulong = 1 << 1;
pub const Py_TPFLAGS_INLINE_VALUES: c_ulong = 1 << 2;
pub const Py_TPFLAGS_MANAGED_WEAKREF: c_ulong = 1 << 3;
pub const Py_TPFLAGS_MANAGED_DICT: c_ulong = 1 << 4;
/// Types whose dict/weakref pointers live in the pre-header (`MANAGED_WEAKREF | MANAGED_DICT`).
pub const Py_TPFLAGS_PREHEADER: c_ulong = Py_TPFLAGS_MANAGED_WEAKREF | Py_TPFLAGS_MANAGED_DICT;
pub const Py_TPFLAGS_SEQUENCE: c_ulong = 1 << 5;
pub const Py_TPFLAGS_MAPPING: c_ulong = 1 << 6;
pub const Py_TPFLAGS_DISALLOW_INSTANTIATION: c_ulong = 1 << 7;
pub const Py_TPFLAGS_IMMUTABLETYPE: c_ulong = 1 << 8;
pub const Py_TPFLAGS_HEAPTYPE: c_ulong = 1 << 9;
pub const Py_TPFLAGS_BASETYPE: c_ulong = 1 << 10;
pub const Py_TPFLAGS_HAVE_VECTORCALL: c_ulong = 1 << 11;
pub const Py_TPFLAGS_READY: c_ulong = 1 << 12;
pub const Py_TPFLAGS_READYING: c_ulong = 1 << 13;
pub const Py_TPFLAGS_HAVE_GC: c_ulong = 1 << 14;
pub const Py_TPFLAGS_HAVE_STACKLESS_EXTENSION: c_ulong = 0;
pub const Py_TPFLAGS_METHOD_DESCRIPTOR: c_ulong = 1 << 17;
pub const Py_TPFLAGS_VALID_VERSION_TAG: c_ulong = 1 << 19;
pub const Py_TPFLAGS_IS_ABSTRACT: c_ulong = 1 << 20;
pub const _Py_TPFLAGS_MATCH_SELF: c_ulong = 1 << 22;
pub const Py_TPFLAGS_ITEMS_AT_END: c_ulong = 1 << 23;
pub const Py_TPFLAGS_LONG_SUBCLASS: c_ulong = 1 << 24;
pub const Py_TPFLAGS_LIST_SUBCLASS: c_ulong = 1 << 25;
pub const Py_TPFLAGS_TUPLE_SUBCLASS: c_ulong = 1 << 26;
pub const Py_TPFLAGS_BYTES_SUBCLASS: c_ulong = 1 << 27;
pub const Py_TPFLAGS_UNICODE_SUBCLASS: c_ulong = 1 << 28;
pub const Py_TPFLAGS_DICT_SUBCLASS: c_ulong = 1 << 29;
pub const Py_TPFLAGS_BASE_EXC_SUBCLASS: c_ulong = 1 << 30;
pub const Py_TPFLAGS_TYPE_SUBCLASS: c_ulong = 1 << 31;
pub const Py_TPFLAGS_DEFAULT: c_ulong = Py_TPFLAGS_HAVE_STACKLESS_EXTENSION;
pub const Py_TPFLAGS_HAVE_VERSION_TAG: c_ulong = 1 << 18;
