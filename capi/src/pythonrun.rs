//! `pythonrun.h` and `ceval.h`'s evaluation entry points: compiling source and running code
//! objects from C.

use core::ffi::{c_char, c_int};
use core::ptr::null_mut;

use pyrite_abi::*;
use pyrite_vm::compiler::{self, Mode};
use pyrite_vm::objects::{code, dict, function, tuple};
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
    /// With arguments, defaults or a closure the code runs as a function made around it (as
    /// CPython builds one); without, as `PyEval_EvalCode`.
    fn PyEval_EvalCodeEx(
        co: *mut PyObject, globals: *mut PyObject, locals: *mut PyObject,
        args: *const *mut PyObject, argcount: c_int, kws: *const *mut PyObject, kwcount: c_int,
        defs: *const *mut PyObject, defcount: c_int, kwdefs: *mut PyObject, closure: *mut PyObject
    ) -> *mut PyObject [null_mut()] {
        let (co, globals) = (obj(co)?, obj(globals)?);
        if argcount <= 0 && kwcount <= 0 && defcount <= 0 && kwdefs.is_null() && closure.is_null() {
            let locals = if locals.is_null() { None } else { Some(Obj::from_ptr(locals)) };
            return Ok(eval_code(co, globals, locals)?.into_raw());
        }
        if !code::check(co) {
            return Err(raise!(SystemError, "PyEval_EvalCodeEx: expected a code object, got {}", co.ob_type().name()));
        }
        if !dict::check(globals) {
            return Err(raise!(SystemError, "globals must be a dict"));
        }
        let items = |p: *const *mut PyObject, n: c_int| -> PyResult<Vec<PyRef>> {
            (0..n.max(0) as usize).map(|i| Ok(obj(*p.add(i))?.new_ref())).collect()
        };
        let builtins = pyrite_vm::interp::builtins_of(globals)?;
        let f = function::new(co, globals, &builtins);
        if defcount > 0 {
            function::set_field(&f, 1, &tuple::new_from_owned(items(defs, defcount)?));
        }
        if let Some(k) = pyrite_vm::slot::opt_arg(kwdefs) {
            function::set_field(&f, 2, k);
        }
        if let Some(c) = pyrite_vm::slot::opt_arg(closure) {
            function::set_field(&f, 8, c);
        }
        let positional = tuple::new_from_owned(items(args, argcount)?);
        let keywords = items(kws, kwcount.max(0) * 2)?;
        let kwargs = (!keywords.is_empty()).then(dict::new);
        if let Some(d) = &kwargs {
            for pair in keywords.chunks(2) {
                dict::set_item(d, &pair[0], &pair[1])?;
            }
        }
        Ok(pyrite_vm::abstract_::call(&f, &positional, kwargs.as_deref())?.into_raw())
    }
}
