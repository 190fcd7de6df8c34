//! `bool`: a subclass of int whose two instances are the exported statics `_Py_TrueStruct`
//! and `_Py_FalseStruct` (`PyLongObject` layout, 32 bytes). `&`, `|` and `^` of two bools
//! are bools; every other operation is int's.

use pyrite_abi::*;

use crate::err::PyResult;
use crate::number;
use crate::object::{static_head, Obj, PyRef, StaticObject};
use crate::objects::long::{self, PyLong_Type};
use crate::objects::type_::{TypeObj, BUILTIN_FLAGS};
use crate::objects::{tuple, unicode};
use crate::slot::{arg, opt_arg, ret_obj};
use crate::static_type;

static_type!(PyBool_Type, c"bool", core::mem::offset_of!(PyLongObject, ob_digit), {
    tp_itemsize: 4,
    tp_flags: BUILTIN_FLAGS | Py_TPFLAGS_LONG_SUBCLASS,
    tp_base: PyLong_Type.raw(),
    tp_repr: Some(bool_repr),
    tp_as_number: BOOL_AS_NUMBER.0.get(),
    tp_new: Some(bool_new),
    tp_doc: c"Returns True when the argument is true, False otherwise.".as_ptr(),
});

/// Only the bitwise operators differ from int's; readying fills the rest from int.
static BOOL_AS_NUMBER: StaticObject<PyNumberMethods> = StaticObject::new(PyNumberMethods {
    nb_and: Some(bool_and),
    nb_xor: Some(bool_xor),
    nb_or: Some(bool_or),
    ..PyNumberMethods::EMPTY
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

#[inline(always)]
pub fn check(o: &Obj) -> bool {
    o.is_exact(&PyBool_Type)
}

pub fn types() -> [&'static TypeObj; 1] {
    [&PyBool_Type]
}

unsafe extern "C" fn bool_repr(o: *mut PyObject) -> *mut PyObject {
    unicode::new(if o == _Py_TrueStruct.as_ptr() { "True" } else { "False" }).into_raw()
}

macro_rules! bool_bitwise {
    ($name:ident, $op:tt, $int:path) => {
        unsafe extern "C" fn $name(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
            // SAFETY: slot arguments are live.
            let (a, b) = unsafe { (arg(a), arg(b)) };
            if check(a) && check(b) {
                let (x, y) = (a.is(_Py_TrueStruct.obj()), b.is(_Py_TrueStruct.obj()));
                return new(x $op y).into_raw();
            }
            if !long::check(a) || !long::check(b) {
                return crate::objects::none::not_implemented().into_raw();
            }
            $int(a, b).into_raw()
        }
    };
}

bool_bitwise!(bool_and, &, long::and);
bool_bitwise!(bool_or, |, long::or);
bool_bitwise!(bool_xor, ^, long::xor);

/// `bool(x=False, /)`, with the errors of bool's vectorcall.
unsafe extern "C" fn bool_new(_: *mut PyTypeObject, args: *mut PyObject, kwargs: *mut PyObject) -> *mut PyObject {
    // SAFETY: tp_new contract.
    let r = (|| -> PyResult<PyRef> {
        let (args, kwargs) = unsafe { (arg(args), opt_arg(kwargs)) };
        if number::has_kwargs(kwargs) {
            return Err(raise!(TypeError, "bool() takes no keyword arguments"));
        }
        let items = tuple::items(args);
        number::check_positional("bool", items.len(), 0, 1)?;
        Ok(new(match items.first() {
            Some(x) => crate::abstract_::is_true(x)?,
            None => false,
        }))
    })();
    ret_obj(r)
}
