//! `sysmodule.h`: reading and changing `sys` attributes, argv, path, warning and `-X` options.

use core::ffi::{c_char, c_int};
use core::ptr::null_mut;

use pyrite_abi::*;
use pyrite_vm::objects::{bool_, dict, list, module, unicode};
use pyrite_vm::{raise, Obj, PyRef, PyResult};

use crate::boundary::{cstr, obj};
use crate::capi;

/// `wchar_t` is UTF-32 on the platforms Pyrite runs on.
pub type WChar = i32;

/// A NUL-terminated `wchar_t` string as text (invalid code points become U+FFFD).
///
/// # Safety
/// `p` is NULL or NUL-terminated.
pub unsafe fn wide_to_string(p: *const WChar) -> PyResult<String> {
    if p.is_null() {
        return Err(crate::boundary::bad_internal_call());
    }
    let mut s = String::new();
    let mut i = 0;
    // SAFETY: NUL-terminated by the caller's promise.
    while unsafe { *p.add(i) } != 0 {
        let c = unsafe { *p.add(i) } as u32;
        s.push(char::from_u32(c).unwrap_or('\u{fffd}'));
        i += 1;
    }
    Ok(s)
}

fn sys_dict() -> &'static Obj {
    let m = pyrite_vm::sys::module();
    // SAFETY: the main interpreter's sys module is immortal; a sub-interpreter's lives until
    // the interpreter ends, which is after any call made while it is current.
    unsafe { Obj::from_ptr(module::dict_of(&m).as_ptr()) }
}

fn name_str(name: &Obj) -> PyResult<&Obj> {
    if unicode::check(name) { Ok(name) } else { Err(raise!(TypeError, "attribute name must be string, not '{}'", name.ob_type().name())) }
}

/// `sys.<name>` or None (errors from the lookup propagate).
fn get_opt(name: &Obj) -> PyResult<Option<PyRef>> {
    dict::get_item(sys_dict(), name)
}

fn get_or_create_list(name: &str) -> PyResult<PyRef> {
    if let Some(l) = dict::get_item_str(sys_dict(), name).filter(|l| list::check(l)) {
        return Ok(l);
    }
    let l = list::new();
    dict::set_item_str(sys_dict(), name, &l)?;
    Ok(l)
}

fn xoptions() -> PyResult<PyRef> {
    if let Some(d) = dict::get_item_str(sys_dict(), "_xoptions").filter(|d| dict::check(d)) {
        return Ok(d);
    }
    let d = dict::new();
    dict::set_item_str(sys_dict(), "_xoptions", &d)?;
    Ok(d)
}

/// `sys.path[0]` for `PySys_SetArgvEx`: the directory of the script (argv[0], resolved with
/// `realpath` when it exists, as CPython does), or '' for `-c`, `-m`, an empty argv or a
/// name without a directory.
fn path0(argv0: Option<&str>) -> String {
    match argv0 {
        Some(a) if !a.is_empty() && a != "-c" && a != "-m" => match std::fs::canonicalize(a) {
            Ok(real) => real.parent().map(|p| p.display().to_string()).unwrap_or_default(),
            Err(_) => path0_lexical(a),
        },
        _ => String::new(),
    }
}

/// The directory part of a path that does not exist.
fn path0_lexical(a: &str) -> String {
    match a.rfind('/') {
        Some(0) => "/".into(),
        Some(i) => a[..i].into(),
        None => String::new(),
    }
}

capi! {
    /// The attribute of `sys` (borrowed), or NULL *without* an exception if it does not exist.
    fn PySys_GetObject(name: *const c_char) -> *mut PyObject [null_mut()] {
        let Ok(name) = cstr(name) else {
            pyrite_vm::PyErr::take();
            return Ok(null_mut());
        };
        Ok(dict::get_item_borrowed(sys_dict(), &unicode::new(name)).map_or(null_mut(), |v| v.as_ptr()))
    }
    /// Sets `sys.<name>`; NULL deletes it (no error if absent).
    fn PySys_SetObject(name: *const c_char, v: *mut PyObject) -> c_int [-1] {
        let key = unicode::new(cstr(name)?);
        match pyrite_vm::slot::opt_arg(v) {
            Some(v) => dict::set_item(sys_dict(), &key, v)?,
            None => { dict::pop(sys_dict(), &key)?; }
        }
        Ok(0)
    }
    fn PySys_GetAttr(name: *mut PyObject) -> *mut PyObject [null_mut()] {
        let name = name_str(obj(name)?)?;
        match get_opt(name)? {
            Some(v) => Ok(v.into_raw()),
            None => Err(raise!(RuntimeError, "lost sys.{}", unicode::as_str_lossy(name))),
        }
    }
    fn PySys_GetAttrString(name: *const c_char) -> *mut PyObject [null_mut()] {
        let n = cstr(name)?;
        match dict::get_item_str(sys_dict(), n) {
            Some(v) => Ok(v.into_raw()),
            None => Err(raise!(RuntimeError, "lost sys.{}", n)),
        }
    }
    /// 1 and a new reference in `*result`; 0 and NULL if missing; -1 on error.
    fn PySys_GetOptionalAttr(name: *mut PyObject, result: *mut *mut PyObject) -> c_int [-1] {
        *result = null_mut();
        let name = name_str(obj(name)?)?;
        Ok(match get_opt(name)? {
            Some(v) => { *result = v.into_raw(); 1 }
            None => 0,
        })
    }
    fn PySys_GetOptionalAttrString(name: *const c_char, result: *mut *mut PyObject) -> c_int [-1] {
        *result = null_mut();
        Ok(match dict::get_item_str(sys_dict(), cstr(name)?) {
            Some(v) => { *result = v.into_raw(); 1 }
            None => 0,
        })
    }
    /// `sys._xoptions` (borrowed), created if missing.
    fn PySys_GetXOptions() -> *mut PyObject [null_mut()] {
        let d = xoptions()?;
        Ok(d.as_ptr())
    }
    /// `-X name[=value]` added to `sys._xoptions` (a bare name maps to True); errors are
    /// cleared, as CPython's are.
    fn PySys_AddXOption(option: *const WChar) -> () [()] {
        let r = (|| -> PyResult<()> {
            let o = wide_to_string(option)?;
            let d = xoptions()?;
            match o.split_once('=') {
                Some((k, v)) => dict::set_item_str(&d, k, &unicode::new(v)),
                None => dict::set_item_str(&d, &o, &bool_::new(true)),
            }
        })();
        if r.is_err() { pyrite_vm::PyErr::take(); }
        Ok(())
    }
    fn PySys_AddWarnOptionUnicode(option: *mut PyObject) -> () [()] {
        let r = (|| -> PyResult<()> {
            let l = get_or_create_list("warnoptions")?;
            list::append(&l, obj(option)?);
            Ok(())
        })();
        if r.is_err() { pyrite_vm::PyErr::take(); }
        Ok(())
    }
    fn PySys_AddWarnOption(option: *const WChar) -> () [()] {
        let r = (|| -> PyResult<()> {
            let l = get_or_create_list("warnoptions")?;
            list::append(&l, &unicode::new(&wide_to_string(option)?));
            Ok(())
        })();
        if r.is_err() { pyrite_vm::PyErr::take(); }
        Ok(())
    }
    fn PySys_HasWarnOptions() -> c_int [0] {
        Ok(dict::get_item_str(sys_dict(), "warnoptions").is_some_and(|l| list::check(&l) && list::len(&l) > 0) as c_int)
    }
    fn PySys_ResetWarnOptions() -> () [()] {
        if let Some(l) = dict::get_item_str(sys_dict(), "warnoptions").filter(|l| list::check(l)) {
            list::clear(&l);
        }
        Ok(())
    }
    /// `sys.argv` from `argv` (`['']` when empty); with `updatepath`, the script's directory
    /// is inserted at `sys.path[0]`.
    fn PySys_SetArgvEx(argc: c_int, argv: *mut *mut WChar, updatepath: c_int) -> () [()] {
        let mut args = Vec::new();
        for i in 0..argc.max(0) as usize {
            args.push(wide_to_string(*argv.add(i))?);
        }
        if args.is_empty() { args.push(String::new()); }
        pyrite_vm::sys::set_argv(&args)?;
        if updatepath != 0
            && let Some(p) = pyrite_vm::sys::path()
        {
            list::insert(&p, 0, &unicode::new(&path0(if argc > 0 { Some(&args[0]) } else { None })));
        }
        Ok(())
    }
    fn PySys_SetArgv(argc: c_int, argv: *mut *mut WChar) -> () [()] {
        PySys_SetArgvEx(argc, argv, 1);
        Ok(())
    }
    /// `sys.path` from a `:`-separated list.
    fn PySys_SetPath(path: *const WChar) -> () [()] {
        let p = wide_to_string(path)?;
        let items: Vec<PyRef> = p.split(':').map(unicode::new).collect();
        dict::set_item_str(sys_dict(), "path", &list::new_from_owned(items))?;
        Ok(())
    }
    /// Calls the `sys.addaudithook` hooks with `(event, args)`; NULL args are `()`.
    fn PySys_AuditTuple(event: *const c_char, args: *mut PyObject) -> c_int [-1] {
        let args = match pyrite_vm::slot::opt_arg(args) {
            None => pyrite_vm::objects::tuple::new_from(&[]),
            Some(a) if pyrite_vm::objects::tuple::check(a) => a.new_ref(),
            Some(a) => return Err(raise!(TypeError, "args must be tuple, got {}", a.ob_type().name())),
        };
        pyrite_vm::sys::audit(cstr(event)?, &args)?;
        Ok(0)
    }
}
