//! `complexobject.h`: creating complex numbers and reading their parts (the C-variadic
//! `Py_BuildValue("D")` and `PyArg_Parse("D")` in `c/` use these).

use core::ptr::null_mut;

use pyrite_abi::*;
use pyrite_vm::objects::complex;

use crate::boundary::obj;
use crate::capi;

capi! {
    fn PyComplex_FromDoubles(real: f64, imag: f64) -> *mut PyObject [null_mut()] {
        Ok(complex::from_doubles(real, imag).into_raw())
    }
    /// A complex's real part; for other objects `__complex__`, else the value as a float.
    fn PyComplex_RealAsDouble(o: *mut PyObject) -> f64 [-1.0] { complex::real_as_double(obj(o)?) }
    /// A complex's imaginary part; for other objects `__complex__`, else 0.0 for a real number.
    fn PyComplex_ImagAsDouble(o: *mut PyObject) -> f64 [-1.0] { complex::imag_as_double(obj(o)?) }
}
