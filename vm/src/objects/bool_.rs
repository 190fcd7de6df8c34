//! `bool`: a subclass of int whose two instances are the exported statics `_Py_TrueStruct`
//! and `_Py_FalseStruct` (`PyLongObject` layout, 32 bytes).

use pyrite_abi::*;

use crate::object::{static_head, PyRef, StaticObject};
use crate::objects::long::PyLong_Type;
use crate::objects::type_::{TypeObj, BUILTIN_FLAGS};
use crate::objects::unicode;
use crate::static_type;

static_type!(PyBool_Type, c"bool", core::mem::offset_of!(PyLongObject, ob_digit), {
    tp_itemsize: 4,
    tp_flags: BUILTIN_FLAGS | Py_TPFLAGS_LONG_SUBCLASS,
    tp_base: PyLong_Type.raw(),
    tp_repr: Some(bool_repr),
    tp_doc: c"Returns True when the argument is true, False otherwise.".as_ptr(),
});

#[unsafe(no_mangle)]
pub static _Py_FalseStruct: StaticObject<PyLongObject> = StaticObject::new(PyLongObject {
    ob_base: static_head(PyBool_Type.raw()),
    lv_tag: _PyLong_SIGN_ZERO | _PyLong_IMMORTAL_FLAG,
    ob_digit: [0],
});

#[unsafe(no_mangle)]
pub static _Py_TrueStruct: StaticObject<PyLongObject> = StaticObject::new(PyLongObject {
    ob_base: static_head(PyBool_Type.raw()),
    lv_tag: (1 << _PyLong_NON_SIZE_BITS) | _PyLong_IMMORTAL_FLAG,
    ob_digit: [1],
});

#[inline(always)]
pub fn new(v: bool) -> PyRef {
    if v { _Py_TrueStruct.new_ref() } else { _Py_FalseStruct.new_ref() }
}

pub fn types() -> [&'static TypeObj; 1] {
    [&PyBool_Type]
}

unsafe extern "C" fn bool_repr(o: *mut PyObject) -> *mut PyObject {
    unicode::new(if o == _Py_TrueStruct.as_ptr() { "True" } else { "False" }).into_raw()
}
