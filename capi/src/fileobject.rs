//! `fileobject.h`: writing to and reading lines from file-like objects through their
//! `write`/`readline` methods, and `PyFile_FromFd` over `io.open`.

use core::ffi::{c_char, c_int};
use core::ptr::null_mut;

use pyrite_abi::*;
use pyrite_vm::objects::{bytes, long, unicode};
use pyrite_vm::{raise, PyRef};

use crate::boundary::obj;
use crate::capi;

/// `Py_PRINT_RAW`: write `str(obj)` instead of `repr(obj)`.
const PY_PRINT_RAW: c_int = 1;

/// A C string argument as `io.open` takes it (NULL: None).
unsafe fn opt_text(p: *const c_char) -> pyrite_vm::PyResult<PyRef> {
    if p.is_null() {
        return Ok(pyrite_vm::objects::none::none());
    }
    // SAFETY: a NUL-terminated string from the caller.
    Ok(unicode::new(unsafe { crate::boundary::cstr(p)? }))
}

capi! {
    /// `io.open(fd, mode, buffering, encoding, errors, newline, closefd)`; `name` is unused,
    /// as in CPython.
    fn PyFile_FromFd(fd: c_int, _name: *const c_char, mode: *const c_char, buffering: c_int, encoding: *const c_char, errors: *const c_char, newline: *const c_char, closefd: c_int) -> *mut PyObject [null_mut()] {
        let io = pyrite_vm::import::import_module("io")?;
        let open = pyrite_vm::abstract_::getattr_str(&io, "open")?;
        let args = pyrite_vm::objects::tuple::new_from_owned(vec![
            long::from_i64(fd as i64),
            opt_text(mode)?,
            long::from_i64(buffering as i64),
            opt_text(encoding)?,
            opt_text(errors)?,
            opt_text(newline)?,
            pyrite_vm::objects::bool_::new(closefd != 0),
        ]);
        Ok(pyrite_vm::abstract_::call(&open, &args, None)?.into_raw())
    }
    fn PyFile_WriteObject(v: *mut PyObject, f: *mut PyObject, flags: c_int) -> c_int [-1] {
        if f.is_null() { return Err(raise!(TypeError, "writeobject with NULL file")); }
        let f = obj(f)?;
        let write = pyrite_vm::abstract_::getattr_str(f, "write")?;
        // NULL is written as `<NULL>`, what CPython's str() and repr() give for it.
        let text = if v.is_null() {
            pyrite_vm::objects::unicode::new("<NULL>")
        } else if flags & PY_PRINT_RAW != 0 {
            pyrite_vm::abstract_::str(obj(v)?)?
        } else {
            pyrite_vm::abstract_::repr(obj(v)?)?
        };
        pyrite_vm::abstract_::call_one_arg(&write, &text)?;
        Ok(0)
    }
    /// A NULL file is an error (SystemError unless one is already set).
    fn PyFile_WriteString(s: *const c_char, f: *mut PyObject) -> c_int [-1] {
        if f.is_null() {
            if pyrite_vm::err::occurred().is_null() {
                return Err(raise!(SystemError, "null file for PyFile_WriteString"));
            }
            return Ok(-1);
        }
        if !pyrite_vm::err::occurred().is_null() { return Ok(-1); }
        let text = unicode::from_utf8(core::ffi::CStr::from_ptr(s).to_bytes())?;
        let write = pyrite_vm::abstract_::getattr_str(obj(f)?, "write")?;
        pyrite_vm::abstract_::call_one_arg(&write, &text)?;
        Ok(0)
    }
    /// `f.readline()` (`n` <= 0) or `f.readline(n)`; with `n` < 0 the trailing newline is
    /// stripped and an empty result is `EOFError`.
    fn PyFile_GetLine(f: *mut PyObject, n: c_int) -> *mut PyObject [null_mut()] {
        let f = obj(f)?;
        let readline = pyrite_vm::abstract_::getattr_str(f, "readline")?;
        let r = if n <= 0 {
            pyrite_vm::abstract_::call_no_args(&readline)?
        } else {
            pyrite_vm::abstract_::call_one_arg(&readline, &long::from_i64(n as i64))?
        };
        if !(bytes::check(&r) || unicode::check(&r)) {
            let q = pyrite_vm::objects::type_::qualified_name;
            return Err(raise!(TypeError, "{}.readline() must return a str, not {}", q(f.ob_type()), q(r.ob_type())));
        }
        if n >= 0 { return Ok(r.into_raw()); }
        if bytes::check(&r) {
            let b = bytes::as_bytes(&r);
            if b.is_empty() { return Err(raise!(EOFError, "EOF when reading a line")); }
            if b.last() == Some(&b'\n') { return Ok(bytes::new(&b[..b.len() - 1]).into_raw()); }
        } else {
            let len = unicode::len(&r);
            if len == 0 { return Err(raise!(EOFError, "EOF when reading a line")); }
            if unicode::char_at(&r, len - 1) == u32::from(b'\n') { return Ok(unicode::substring(&r, 0, len - 1).into_raw()); }
        }
        Ok(PyRef::into_raw(r))
    }
}
