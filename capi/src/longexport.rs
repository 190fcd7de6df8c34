//! `longobject.h`'s import/export API (3.14+, stable in 3.15): `PyLong_GetNativeLayout`,
//! `PyLong_Export`/`FreeExport` and the `PyLongWriter_*` builder. Pyrite's ints are
//! CPython's: 30-bit digits in 32-bit words, least significant first, native endianness.

use core::ffi::{c_int, c_void};
use core::ptr::null_mut;

use pyrite_abi::*;
use pyrite_vm::objects::long;
use pyrite_vm::{raise, PyRef};

use crate::boundary::obj;
use crate::capi;

static NATIVE_LAYOUT: PyLongLayout = PyLongLayout {
    bits_per_digit: 30,
    digit_size: 4,
    digits_order: -1,
    digit_endianness: if cfg!(target_endian = "little") { -1 } else { 1 },
};

capi! {
    fn PyLong_GetNativeLayout() -> *const PyLongLayout [core::ptr::null()] {
        Ok(&NATIVE_LAYOUT)
    }
    /// A value that fits 64 bits is exported as `value`; a larger one as its digits, which
    /// stay valid until `PyLong_FreeExport` (the export holds a reference to the int).
    fn PyLong_Export(o: *mut PyObject, export: *mut PyLongExport) -> c_int [-1] {
        let ob = obj(o)?;
        if !long::check(ob) {
            core::ptr::write_bytes(export, 0, 1);
            return Err(raise!(TypeError, "expect int, got {}", ob.ob_type().full_name()));
        }
        let e = &mut *export;
        if let Some(v) = long::to_i64(ob) {
            *e = PyLongExport { value: v, negative: 0, ndigits: 0, digits: core::ptr::null(), _reserved: 0 };
        } else {
            let (sign, digits) = long::sign_and_digits(ob);
            *e = PyLongExport {
                value: 0,
                negative: (sign < 0) as u8,
                ndigits: digits.len().max(1) as isize,
                digits: digits.as_ptr() as *const c_void,
                _reserved: ob.new_ref().into_raw() as usize,
            };
        }
        Ok(0)
    }
    fn PyLong_FreeExport(export: *mut PyLongExport) -> () [()] {
        let o = core::mem::replace(&mut (*export)._reserved, 0) as *mut PyObject;
        pyrite_vm::object::xdecref(o);
        Ok(())
    }
    /// A writer is an int under construction, owned by the caller until Finish or Discard.
    fn PyLongWriter_Create(negative: c_int, ndigits: Py_ssize_t, digits: *mut *mut c_void) -> *mut c_void [null_mut()] {
        if ndigits <= 0 {
            if !digits.is_null() { *digits = null_mut(); }
            return Err(raise!(ValueError, "ndigits must be positive"));
        }
        let w = long::writer_new(negative != 0, ndigits as usize);
        *digits = long::digits_mut(&w) as *mut c_void;
        Ok(w.into_raw() as *mut c_void)
    }
    fn PyLongWriter_Finish(writer: *mut c_void) -> *mut PyObject [null_mut()] {
        if writer.is_null() { return Err(crate::boundary::bad_internal_call()); }
        let w = PyRef::from_raw(writer as *mut PyObject);
        Ok(long::writer_finish(w).into_raw())
    }
    fn PyLongWriter_Discard(writer: *mut c_void) -> () [()] {
        if !writer.is_null() { drop(PyRef::from_raw(writer as *mut PyObject)); }
        Ok(())
    }
}
