//! `pythonrun.h` and `ceval.h`'s evaluation entry points: compiling source and running code
//! objects from C.

use core::ffi::{c_char, c_int};
use core::ptr::null_mut;

use pyrite_abi::*;
use pyrite_vm::compiler::{self, Mode};
use pyrite_vm::objects::{code, dict};
use pyrite_vm::{raise, Obj, PyRef, PyResult};

use crate::boundary::{cstr, obj};
use crate::capi;

/// `Py_single_input`, `Py_file_input`, `Py_eval_input`.
const PY_SINGLE_INPUT: c_int = 256;
const PY_FILE_INPUT: c_int = 257;
const PY_EVAL_INPUT: c_int = 258;

/// Runs a code object with `globals` and `locals` (the current builtins serve when `globals`
/// has no `__builtins__`; as in CPython, none is added).
fn eval_code(co: &Obj, globals: &Obj, locals: Option<&Obj>) -> PyResult<PyRef> {
    if !code::check(co) {
        return Err(raise!(SystemError, "PyEval_EvalCode: expected a code object, got {}", co.ob_type().name()));
    }
    if !dict::check(globals) {
        return Err(raise!(SystemError, "globals must be a dict"));
    }
    pyrite_vm::interp::run_code(co, globals, Some(locals.unwrap_or(globals)))
}

capi! {
    fn Py_CompileString(source: *const c_char, filename: *const c_char, start: c_int) -> *mut PyObject [null_mut()] {
        let mode = match start {
            PY_FILE_INPUT => Mode::Exec,
            PY_EVAL_INPUT => Mode::Eval,
            PY_SINGLE_INPUT => Mode::Single,
            _ => return Err(raise!(ValueError, "invalid start argument")),
        };
        Ok(compiler::compile(cstr(source)?, cstr(filename)?, mode)?.into_raw())
    }
    fn PyEval_EvalCode(co: *mut PyObject, globals: *mut PyObject, locals: *mut PyObject) -> *mut PyObject [null_mut()] {
        let locals = if locals.is_null() { None } else { Some(Obj::from_ptr(locals)) };
        Ok(eval_code(obj(co)?, obj(globals)?, locals)?.into_raw())
    }
    fn PyEval_EvalCodeEx(
        co: *mut PyObject, globals: *mut PyObject, locals: *mut PyObject,
        args: *const *mut PyObject, argcount: c_int, kws: *const *mut PyObject, kwcount: c_int,
        defs: *const *mut PyObject, defcount: c_int, kwdefs: *mut PyObject, closure: *mut PyObject
    ) -> *mut PyObject [null_mut()] {
        let _ = (args, kws, defs);
        // Running a function body with arguments, defaults or a closure needs a function
        // object around the code: not supported yet; module-level code runs.
        if argcount != 0 || kwcount != 0 || defcount != 0 || !kwdefs.is_null() || !closure.is_null() {
            return Err(raise!(SystemError, "PyEval_EvalCodeEx with arguments, defaults or a closure is not implemented in Pyrite yet"));
        }
        let locals = if locals.is_null() { None } else { Some(Obj::from_ptr(locals)) };
        Ok(eval_code(obj(co)?, obj(globals)?, locals)?.into_raw())
    }
}
