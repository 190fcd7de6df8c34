//! `pyerrors.h`: the error indicator and exception objects.

use core::ffi::{c_char, c_int};
use core::ptr::null_mut;

use pyrite_abi::*;
use pyrite_vm::objects::{exceptions as exc, none, tuple, unicode};
use pyrite_vm::slot::opt_arg;
use pyrite_vm::{abstract_, err, Obj, PyErr, PyRef, PyResult, TypeObj};

use crate::boundary::{cstr, obj};
use crate::capi;

/// Instantiates `ty` for `value` as `PyErr_SetObject` does: an instance of `ty` is used as
/// is; a tuple is the argument list; None or NULL means no arguments.
pub fn normalize(ty: &Obj, value: Option<&Obj>) -> PyResult<PyErr> {
    let Some(t) = TypeObj::downcast(ty).filter(|t| t.is_subtype(exc::BaseException())) else {
        return Err(pyrite_vm::raise!(
            SystemError,
            "_PyErr_SetObject: exception {} is not a BaseException subclass",
            unicode::as_str_lossy(&*abstract_::repr(ty)?)
        ));
    };
    match value {
        Some(v) if v.is_instance_of(t) => Ok(PyErr::from_value(v.new_ref())),
        Some(v) if v.is(none::none_obj()) => Ok(PyErr::from_type_no_args(t)),
        None => Ok(PyErr::from_type_no_args(t)),
        Some(v) if tuple::check(v) => Ok(PyErr::from_value(abstract_::call(t, v, None)?)),
        Some(v) => Ok(PyErr::from_type_and_arg(t, v)),
    }
}

capi! {
    // The error being replaced is dropped before the new exception is made: making it calls
    // the type, which must not run with an exception set (CPython clears it the same way, so
    // `PyErr_SetString(PyExc_AttributeError, ...)` over a pending KeyError simply replaces it).
    fn PyErr_SetString(ty: *mut PyObject, msg: *const c_char) -> () [()] {
        drop(PyErr::take());
        let m = unicode::from_utf8(core::ffi::CStr::from_ptr(msg).to_bytes())?;
        normalize(obj(ty)?, Some(&m))?.restore();
        Ok(())
    }
    fn PyErr_SetObject(ty: *mut PyObject, value: *mut PyObject) -> () [()] {
        drop(PyErr::take());
        normalize(obj(ty)?, opt_arg(value))?.restore();
        Ok(())
    }
    fn PyErr_SetNone(ty: *mut PyObject) -> () [()] {
        drop(PyErr::take());
        normalize(obj(ty)?, None)?.restore();
        Ok(())
    }
    fn PyErr_Occurred() -> *mut PyObject [null_mut()] { Ok(err::occurred()) }
    fn PyErr_Clear() -> () [()] { drop(PyErr::take()); Ok(()) }
    fn PyErr_GetRaisedException() -> *mut PyObject [null_mut()] {
        Ok(PyErr::take().map_or(null_mut(), |e| e.into_value().into_raw()))
    }
    fn PyErr_SetRaisedException(e: *mut PyObject) -> () [()] {
        err::set_raised(e);
        Ok(())
    }
    fn PyErr_Fetch(ptype: *mut *mut PyObject, pvalue: *mut *mut PyObject, ptb: *mut *mut PyObject) -> () [()] {
        match PyErr::take() {
            None => { *ptype = null_mut(); *pvalue = null_mut(); *ptb = null_mut(); }
            Some(e) => {
                let v = e.into_value();
                *ptype = v.ob_type().new_ref().into_raw();
                *ptb = exc::traceback(&v).map_or(null_mut(), |t| t.new_ref().into_raw());
                *pvalue = v.into_raw();
            }
        }
        Ok(())
    }
    fn PyErr_Restore(ty: *mut PyObject, value: *mut PyObject, tb: *mut PyObject) -> () [()] {
        // Steals all three references.
        let (t, v, tb) = (PyRef::from_raw_opt(ty), PyRef::from_raw_opt(value), PyRef::from_raw_opt(tb));
        let Some(t) = t else { drop(PyErr::take()); return Ok(()); };
        let e = normalize(&t, v.as_deref())?;
        if let Some(tb) = tb.as_deref() { exc::set_traceback(e.value(), Some(tb)); }
        e.restore();
        Ok(())
    }
    fn PyErr_NormalizeException(pt: *mut *mut PyObject, pv: *mut *mut PyObject, ptb: *mut *mut PyObject) -> () [()] {
        if (*pt).is_null() { return Ok(()); }
        let t = Obj::from_ptr(*pt);
        let v = opt_arg(*pv);
        if v.is_some_and(|v| TypeObj::downcast(t).is_some_and(|tt| v.is_instance_of(tt))) { return Ok(()); }
        let e = normalize(t, v)?;
        let newv = e.into_value();
        pyrite_vm::object::xdecref(*pv);
        pyrite_vm::object::decref(*pt);
        *pt = newv.ob_type().new_ref().into_raw();
        *pv = newv.into_raw();
        let _ = ptb;
        Ok(())
    }
    fn PyErr_ExceptionMatches(ty: *mut PyObject) -> c_int [0] {
        let cur = err::current_raw();
        if cur.is_null() || ty.is_null() { return Ok(0); }
        Ok(err::given_exception_matches(Obj::from_ptr(cur), Obj::from_ptr(ty)) as c_int)
    }
    fn PyErr_GivenExceptionMatches(given: *mut PyObject, ty: *mut PyObject) -> c_int [0] {
        if given.is_null() || ty.is_null() { return Ok(0); }
        Ok(err::given_exception_matches(Obj::from_ptr(given), Obj::from_ptr(ty)) as c_int)
    }
    fn PyErr_NoMemory() -> *mut PyObject [null_mut()] {
        err::set_no_memory();
        Ok(null_mut())
    }
    fn PyErr_BadArgument() -> c_int [0] {
        Err(pyrite_vm::raise!(TypeError, "bad argument type for built-in operation"))
    }
    fn PyErr_BadInternalCall() -> () [()] { Err(crate::boundary::bad_internal_call()) }
    fn _PyErr_BadInternalCall(filename: *const c_char, lineno: c_int) -> () [()] {
        let f = cstr(filename).unwrap_or("?");
        Err(pyrite_vm::raise!(SystemError, "{}:{}: bad argument to internal function", f, lineno))
    }
    fn PyException_GetTraceback(e: *mut PyObject) -> *mut PyObject [null_mut()] {
        Ok(exc::traceback(obj(e)?).map_or(null_mut(), |t| t.new_ref().into_raw()))
    }
    fn PyException_SetTraceback(e: *mut PyObject, tb: *mut PyObject) -> c_int [-1] {
        // As `BaseException.__traceback__`'s setter: a traceback, or None to clear it.
        let tb = opt_arg(tb).filter(|t| !t.is(none::none_obj()));
        if let Some(t) = tb
            && !t.is_instance_of(&pyrite_vm::traceback::PyTraceBack_Type)
        {
            return Err(pyrite_vm::raise!(TypeError, "__traceback__ must be a traceback or None"));
        }
        exc::set_traceback(obj(e)?, tb);
        Ok(0)
    }
    fn PyException_GetContext(e: *mut PyObject) -> *mut PyObject [null_mut()] {
        Ok(exc::context(obj(e)?).map_or(null_mut(), |t| t.new_ref().into_raw()))
    }
    fn PyException_SetContext(e: *mut PyObject, ctx: *mut PyObject) -> () [()] {
        let c = PyRef::from_raw_opt(ctx); // steals
        exc::set_context(obj(e)?, c.as_deref());
        Ok(())
    }
    fn PyException_GetCause(e: *mut PyObject) -> *mut PyObject [null_mut()] {
        Ok(exc::cause(obj(e)?).map_or(null_mut(), |t| t.new_ref().into_raw()))
    }
    fn PyException_SetCause(e: *mut PyObject, cause: *mut PyObject) -> () [()] {
        let c = PyRef::from_raw_opt(cause); // steals
        exc::set_cause(obj(e)?, c.as_deref());
        Ok(())
    }
    fn PyException_GetArgs(e: *mut PyObject) -> *mut PyObject [null_mut()] {
        Ok(exc::args(obj(e)?).new_ref().into_raw())
    }
    fn PyException_SetArgs(e: *mut PyObject, args: *mut PyObject) -> () [()] {
        abstract_::setattr(obj(e)?, &unicode::new("args"), Some(obj(args)?))
    }
    fn PyExceptionInstance_Class(e: *mut PyObject) -> *mut PyObject [null_mut()] {
        Ok(obj(e)?.ob_type().new_ref().into_raw())
    }
    fn PyErr_PrintEx(set_sys_last_vars: c_int) -> () [()] {
        print_current(set_sys_last_vars != 0)
    }
    fn PyErr_Print() -> () [()] {
        print_current(true)
    }
    /// Through `sys.unraisablehook`, whose default writes "Exception ignored in: <repr of
    /// o>", then the exception with its traceback.
    fn PyErr_WriteUnraisable(o: *mut PyObject) -> () [()] {
        let Some(e) = PyErr::take() else { return Ok(()); };
        pyrite_vm::traceback::report_unraisable(&e, None, opt_arg(o).filter(|o| !o.is(none::none_obj())));
        Ok(())
    }
    fn PyErr_WarnEx(category: *mut PyObject, msg: *const c_char, stacklevel: Py_ssize_t) -> c_int [-1] {
        warn_at(opt_arg(category), cstr(msg)?, stacklevel)
    }
    fn PyErr_SetFromErrno(ty: *mut PyObject) -> *mut PyObject [null_mut()] {
        set_from_errno(obj(ty)?, None)?;
        Ok(null_mut())
    }
    fn PyErr_SetFromErrnoWithFilenameObject(ty: *mut PyObject, filename: *mut PyObject) -> *mut PyObject [null_mut()] {
        set_from_errno(obj(ty)?, opt_arg(filename))?;
        Ok(null_mut())
    }
    fn PyErr_SetFromErrnoWithFilenameObjects(ty: *mut PyObject, filename: *mut PyObject, filename2: *mut PyObject) -> *mut PyObject [null_mut()] {
        set_from_errno2(obj(ty)?, opt_arg(filename), opt_arg(filename2))?;
        Ok(null_mut())
    }
    fn PyErr_SetFromErrnoWithFilename(ty: *mut PyObject, filename: *const c_char) -> *mut PyObject [null_mut()] {
        let f = if filename.is_null() { None } else { Some(unicode::new(cstr(filename)?)) };
        set_from_errno(obj(ty)?, f.as_deref())?;
        Ok(null_mut())
    }
}

/// Raises `ty(errno, strerror[, filename])` from the C `errno`.
fn set_from_errno(ty: &Obj, filename: Option<&Obj>) -> PyResult<()> {
    set_from_errno2(ty, filename, None)
}

/// `PyErr_SetFromErrnoWithFilenameObjects`: `ty(errno, strerror[, filename[, None, filename2]])`.
fn set_from_errno2(ty: &Obj, filename: Option<&Obj>, filename2: Option<&Obj>) -> PyResult<()> {
    let e = std::io::Error::last_os_error();
    let code = e.raw_os_error().unwrap_or(0);
    if code == libc_eintr() {
        // CPython checks signals here; Pyrite's signal handling comes with the stdlib.
    }
    let msg = e.to_string();
    let msg = msg.split(" (os error").next().unwrap_or(&msg).to_string();
    let mut items: Vec<PyRef> = vec![pyrite_vm::objects::long::from_i64(code as i64), unicode::new(&msg)];
    if let Some(f) = filename {
        items.push(f.new_ref());
        if let Some(f2) = filename2 {
            items.push(none::none());
            items.push(f2.new_ref());
        }
    }
    let args = tuple::new_from_owned(items);
    normalize(ty, Some(&args))?.restore();
    Ok(())
}

const fn libc_eintr() -> i32 {
    4
}

/// `PyErr_WarnEx`: warns `msg` of `category` (NULL: RuntimeWarning) from the Python frame
/// `stacklevel` frames out, through `warnings`' filters once it is imported
/// (`pyrite_vm::stdlib::warnings`). Returns -1 with the exception set when a filter says "error".
pub fn warn_at(category: Option<&Obj>, msg: &str, stacklevel: Py_ssize_t) -> PyResult<c_int> {
    pyrite_vm::stdlib::warnings::warn(category, &unicode::new(msg), stacklevel, exc::RuntimeWarning())?;
    Ok(0)
}

/// `warn_at` for the innermost Python frame.
pub fn warn(category: Option<&Obj>, msg: &str) -> PyResult<c_int> {
    warn_at(category, msg, 1)
}

/// Prints an exception with its traceback and chain to stderr, as CPython's
/// `PyErr_Print` does.
/// `PyErr_PrintEx`: prints the current exception (clearing it) and, when asked, keeps it as
/// `sys.last_exc` and the older `sys.last_type`, `last_value`, `last_traceback`.
fn print_current(set_sys_last_vars: bool) -> PyResult<()> {
    let Some(e) = PyErr::take() else { return Ok(()) };
    // A SystemExit ends the process with its status, as `Py_Exit` does.
    if let Some(status) = pyrite_vm::run::system_exit_status(&e) {
        drop(e);
        pyrite_vm::run::finalize();
        std::process::exit(status);
    }
    if set_sys_last_vars {
        let sys = pyrite_vm::sys::module();
        let d = pyrite_vm::objects::module::dict_of(&sys);
        let v = e.value();
        let tb = exc::traceback(v).map_or_else(none::none, |t| t.new_ref());
        for (name, value) in [("last_exc", v), ("last_type", &**v.ob_type()), ("last_value", v), ("last_traceback", &*tb)] {
            pyrite_vm::objects::dict::set_item_str(d, name, value)?;
        }
    }
    print_exception(e.value());
    Ok(())
}

pub fn print_exception(e: &Obj) {
    pyrite_vm::traceback::print_exception(e);
}

/// `PyErr_NewException(WithDoc)`: a class `name` ("module.Class") deriving from `base` (an
/// exception class or a tuple of them; NULL: `Exception`), with `dict` as its namespace.
fn new_exception(name: &str, doc: Option<&str>, base: Option<&Obj>, d: Option<&Obj>) -> PyResult<PyRef> {
    let Some(dot) = name.rfind('.') else {
        return Err(pyrite_vm::raise!(SystemError, "PyErr_NewException: name must be module.class"));
    };
    let ns = match d {
        Some(d) => d.new_ref(),
        None => pyrite_vm::objects::dict::new(),
    };
    if let Some(doc) = doc {
        pyrite_vm::objects::dict::set_item_str(&ns, "__doc__", &unicode::new(doc))?;
    }
    if pyrite_vm::objects::dict::get_item_str(&ns, "__module__").is_none() {
        pyrite_vm::objects::dict::set_item_str(&ns, "__module__", &unicode::new(&name[..dot]))?;
    }
    let bases = match base {
        None => tuple::new_from(&[exc::Exception()]),
        Some(b) if tuple::check(b) => b.new_ref(),
        Some(b) => tuple::new_from(&[b]),
    };
    let class_name = unicode::new(&name[dot + 1..]);
    abstract_::call(&pyrite_vm::objects::type_::PyType_Type, &tuple::new_from(&[&*class_name, &*bases, &*ns]), None)
}

capi! {
    fn PyErr_NewException(name: *const c_char, base: *mut PyObject, dict: *mut PyObject) -> *mut PyObject [null_mut()] {
        Ok(new_exception(cstr(name)?, None, opt_arg(base), opt_arg(dict))?.into_raw())
    }
    fn PyErr_NewExceptionWithDoc(name: *const c_char, doc: *const c_char, base: *mut PyObject, dict: *mut PyObject) -> *mut PyObject [null_mut()] {
        let doc = if doc.is_null() { None } else { Some(cstr(doc)?) };
        Ok(new_exception(cstr(name)?, doc, opt_arg(base), opt_arg(dict))?.into_raw())
    }
    fn PyErr_GetHandledException() -> *mut PyObject [null_mut()] {
        Ok(pyrite_vm::interp::handled_exception().map_or(null_mut(), PyRef::into_raw))
    }
    fn PyErr_SetHandledException(e: *mut PyObject) -> () [()] {
        pyrite_vm::interp::set_handled_exception(opt_arg(e));
        Ok(())
    }
    fn PyErr_GetExcInfo(ptype: *mut *mut PyObject, pvalue: *mut *mut PyObject, ptb: *mut *mut PyObject) -> () [()] {
        match pyrite_vm::interp::handled_exception() {
            Some(e) => {
                *ptype = e.ob_type().new_ref().into_raw();
                *ptb = exc::traceback(&e).map_or(null_mut(), |t| t.new_ref().into_raw());
                *pvalue = e.into_raw();
            }
            None => {
                *ptype = null_mut();
                *pvalue = null_mut();
                *ptb = null_mut();
            }
        }
        Ok(())
    }
    fn PyErr_SetExcInfo(ty: *mut PyObject, value: *mut PyObject, tb: *mut PyObject) -> () [()] {
        // Steals all three; only the value matters since 3.11 (the type and traceback are
        // taken from it).
        pyrite_vm::interp::set_handled_exception(opt_arg(value));
        for p in [ty, value, tb] {
            pyrite_vm::object::xdecref(p);
        }
        Ok(())
    }
    fn PyErr_CheckSignals() -> c_int [-1] {
        pyrite_vm::stdlib::signal::check_signals().map(|_| 0)
    }
    /// As if SIGINT arrived: `KeyboardInterrupt` (the default handler) at the next check.
    fn PyErr_SetInterrupt() -> () [()] {
        pyrite_vm::stdlib::signal::simulate(2);
        Ok(())
    }
    fn PyErr_SetInterruptEx(signum: c_int) -> c_int [-1] {
        Ok(pyrite_vm::stdlib::signal::simulate(signum))
    }
    /// Adds an entry for `frame` (at its current line) to the current exception's traceback.
    fn PyTraceBack_Here(frame: *mut PyObject) -> c_int [-1] {
        let f = obj(frame)?;
        if !pyrite_vm::objects::frameobject::check(f) {
            return Err(crate::boundary::bad_internal_call());
        }
        let Some(e) = PyErr::take() else { return Ok(0) };
        let code = pyrite_vm::objects::frameobject::code_of(f);
        let line = pyrite_vm::objects::frameobject::line_number(f).max(0) as u32;
        pyrite_vm::traceback::add_frame_entry(e.value(), Some(f), &code, pyrite_vm::objects::frameobject::lasti(f), line);
        e.restore();
        Ok(0)
    }
    fn PyTraceBack_Print(tb: *mut PyObject, file: *mut PyObject) -> c_int [-1] {
        let tb = obj(tb)?;
        if !tb.is_instance_of(&pyrite_vm::traceback::PyTraceBack_Type) {
            return Err(crate::boundary::bad_internal_call());
        }
        let text = format!("Traceback (most recent call last):\n{}", pyrite_vm::traceback::format_entries(tb));
        abstract_::call_method(obj(file)?, "write", &[&*unicode::new(&text)])?;
        Ok(0)
    }
}

/// `PyErr_SetImportErrorSubclass`: raises `exc(msg, name=name, path=path)`.
fn set_import_error(exc_type: &Obj, msg: Option<&Obj>, name: Option<&Obj>, path: Option<&Obj>) -> PyResult<()> {
    let Some(t) = TypeObj::downcast(exc_type).filter(|t| t.is_subtype(exc::ImportError())) else {
        return Err(pyrite_vm::raise!(TypeError, "expected a subclass of ImportError"));
    };
    let Some(msg) = msg else {
        return Err(pyrite_vm::raise!(TypeError, "expected a message argument"));
    };
    let kw = pyrite_vm::objects::dict::new();
    pyrite_vm::objects::dict::set_item_str(&kw, "name", name.unwrap_or(none::none_obj()))?;
    pyrite_vm::objects::dict::set_item_str(&kw, "path", path.unwrap_or(none::none_obj()))?;
    let e = abstract_::call(t, &tuple::new_from(&[msg]), Some(&kw))?;
    PyErr::from_value(e).restore();
    Ok(())
}

/// Line `lineno` (1-based) of a file, with its line ending, as `PyErr_ProgramText` returns it.
fn program_text(filename: &str, lineno: c_int) -> Option<String> {
    if lineno < 1 {
        return None;
    }
    let text = std::fs::read(filename).ok()?;
    let line = text.split_inclusive(|&b| b == b'\n').nth(lineno as usize - 1)?;
    Some(String::from_utf8_lossy(line).into_owned())
}

/// `PyErr_SyntaxLocationObject`: puts a location on the current exception (a SyntaxError
/// gets filename, lineno, offset and, when the file can be read, text).
fn syntax_location(filename: Option<&Obj>, lineno: c_int, col_offset: c_int) -> PyResult<()> {
    // As CPython's `PyErr_SyntaxLocationObject`: failures to set an attribute are ignored.
    let Some(e) = PyErr::take() else { return Ok(()) };
    let v = e.value();
    let set = |n: &str, x: &Obj| {
        if abstract_::setattr(v, &unicode::new(n), Some(x)).is_err() {
            drop(PyErr::take());
        }
    };
    let int_or_none = |n: c_int| if n >= 0 { pyrite_vm::objects::long::from_i64(n as i64) } else { none::none() };
    set("lineno", &pyrite_vm::objects::long::from_i64(lineno as i64));
    set("offset", &int_or_none(col_offset));
    set("end_lineno", &int_or_none(lineno));
    set("end_offset", &none::none());
    if let Some(f) = filename {
        set("filename", f);
        if let Some(text) = unicode::as_str(f).ok().and_then(|f| program_text(f, lineno)) {
            set("text", &unicode::new(&text));
        }
    }
    // Another exception gets what printing a SyntaxError reads.
    if !v.ob_type().is(exc::SyntaxError()) {
        let has = |n: &str| abstract_::getattr_str(v, n).map(|_| true).unwrap_or_else(|_| { drop(PyErr::take()); false });
        if !has("msg") {
            match abstract_::str(v) {
                Ok(s) => set("msg", &s),
                Err(_) => drop(PyErr::take()),
            }
        }
        if !has("print_file_and_line") {
            set("print_file_and_line", &none::none());
        }
    }
    e.restore();
    Ok(())
}

capi! {
    fn PyErr_SetImportErrorSubclass(exc_type: *mut PyObject, msg: *mut PyObject, name: *mut PyObject, path: *mut PyObject) -> *mut PyObject [null_mut()] {
        set_import_error(obj(exc_type)?, opt_arg(msg), opt_arg(name), opt_arg(path))?;
        Ok(null_mut())
    }
    fn PyErr_SetImportError(msg: *mut PyObject, name: *mut PyObject, path: *mut PyObject) -> *mut PyObject [null_mut()] {
        set_import_error(exc::ImportError(), opt_arg(msg), opt_arg(name), opt_arg(path))?;
        Ok(null_mut())
    }
    /// The line, or NULL without an exception (no file name, no such file or line).
    fn PyErr_ProgramText(filename: *const c_char, lineno: c_int) -> *mut PyObject [null_mut()] {
        if filename.is_null() { return Ok(null_mut()); }
        Ok(program_text(cstr(filename)?, lineno).map_or(null_mut(), |t| unicode::new(&t).into_raw()))
    }
    fn PyErr_SyntaxLocationEx(filename: *const c_char, lineno: c_int, col_offset: c_int) -> () [()] {
        let f = if filename.is_null() { None } else { Some(unicode::new(cstr(filename)?)) };
        syntax_location(f.as_deref(), lineno, col_offset)
    }
    fn PyErr_SyntaxLocation(filename: *const c_char, lineno: c_int) -> () [()] {
        let f = if filename.is_null() { None } else { Some(unicode::new(cstr(filename)?)) };
        syntax_location(f.as_deref(), lineno, -1)
    }
    fn PyErr_DisplayException(e: *mut PyObject) -> () [()] {
        print_exception(obj(e)?);
        Ok(())
    }
    fn PyErr_Display(_ty: *mut PyObject, value: *mut PyObject, tb: *mut PyObject) -> () [()] {
        let v = obj(value)?;
        if let Some(tb) = opt_arg(tb) {
            if v.is_instance_of(exc::BaseException()) && exc::traceback(v).is_none() {
                exc::set_traceback(v, Some(tb));
            }
        }
        print_exception(v);
        Ok(())
    }
    fn PyErr_WarnExplicit(category: *mut PyObject, msg: *const c_char, filename: *const c_char, lineno: c_int, module: *const c_char, _registry: *mut PyObject) -> c_int [-1] {
        let cat = opt_arg(category).unwrap_or(&**exc::RuntimeWarning());
        let module = if module.is_null() { None } else { Some(cstr(module)?) };
        pyrite_vm::stdlib::warnings::warn_explicit(Some(cat), &unicode::new(cstr(msg)?), cstr(filename)?, lineno.max(0) as u32, module, opt_arg(_registry))?;
        Ok(0)
    }
}
