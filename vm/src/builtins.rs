//! The `builtins` module: built-in functions, types and exceptions.
//!
//! Functions are `PyMethodDef` entries like any C extension's, so they are
//! `builtin_function_or_method` objects and dispatch through the same METH_* conventions.

use core::cell::UnsafeCell;
use core::ffi::c_void;
use core::ptr::null_mut;
use std::sync::OnceLock;

use pyrite_abi::*;

use crate::err::PyResult;
use crate::object::{Obj, PyRef, SyncPtr};
use crate::objects::type_::StaticTable;
use crate::objects::{bool_, dict, exceptions as exc, long, module, none, tuple, unicode};
use crate::slot::{arg, opt_arg, ret_obj};
use crate::{abstract_, TypeObj};

/// The current interpreter's `builtins` module: the main interpreter's (created on first use,
/// lives forever), or a sub-interpreter's.
#[inline]
pub fn module() -> PyRef {
    if let Some(sub) = crate::gil::current_sub_interpreter() {
        let p = sub.builtins.get();
        if !p.is_null() {
            // SAFETY: the interpreter owns its builtins module.
            return unsafe { Obj::from_ptr(p) }.new_ref();
        }
    }
    main_module()
}

/// A sub-interpreter's `builtins` (`Py_NewInterpreter`): new functions bound to a new
/// module, plus what start-up added to the main interpreter's (`open`, `exit`, `quit`, ...:
/// the same objects, as CPython's `site` would make alike ones), but not `_`.
pub fn create_for_subinterpreter() -> PyResult<PyRef> {
    let m = create()?;
    let d = module::dict_of(&m);
    for (k, v) in dict::items_vec(module::dict_of(&main_module())) {
        if dict::get_item(d, &k)?.is_none() && unicode::as_str(&k).is_ok_and(|n| n != "_") {
            dict::set_item(d, &k, &v)?;
        }
    }
    Ok(m)
}

/// The main interpreter's `builtins` module.
pub fn main_module() -> PyRef {
    static MODULE: OnceLock<SyncPtr<PyObject>> = OnceLock::new();
    let p = MODULE.get_or_init(|| SyncPtr(crate::object::make_immortal(create().expect("creating builtins")))).0;
    // SAFETY: the module is immortal.
    unsafe { Obj::from_ptr(p) }.new_ref()
}

fn create() -> PyResult<PyRef> {
    let m = module::new(&unicode::new("builtins"))?;
    // SAFETY: the table is static.
    unsafe { module::add_functions(&m, BUILTIN_METHODS.0.get() as *mut PyMethodDef)? };
    // SAFETY: the table is static.
    unsafe { module::add_functions(&m, LAZY_IMPORT_FUNCTIONS.0.get() as *mut PyMethodDef)? };
    let d = module::dict_of(&m);
    dict::set_item_str(d, "__doc__", &unicode::new("Built-in functions, types, exceptions, and other objects."))?;
    dict::set_item_str(d, "None", &none::none())?;
    dict::set_item_str(d, "True", &bool_::new(true))?;
    dict::set_item_str(d, "False", &bool_::new(false))?;
    dict::set_item_str(d, "Ellipsis", &none::ellipsis())?;
    dict::set_item_str(d, "NotImplemented", &none::not_implemented())?;
    dict::set_item_str(d, "__debug__", &bool_::new(crate::config::get().optimize == 0))?;
    use crate::objects::*;
    let types: [(&str, &TypeObj); 29] = [
        ("memoryview", &memoryview::PyMemoryView_Type),
        ("frozendict", &crate::objects::frozendict::PyFrozenDict_Type),
        ("sentinel", &crate::objects::sentinel::PySentinel_Type),
        ("set", &set::PySet_Type),
        ("frozenset", &set::PyFrozenSet_Type),
        ("range", &range::PyRange_Type),
        ("slice", &slice::PySlice_Type),
        ("bytearray", &bytearray::PyByteArray_Type),
        ("enumerate", &itertools_builtin::PyEnum_Type),
        ("zip", &itertools_builtin::PyZip_Type),
        ("map", &itertools_builtin::PyMap_Type),
        ("filter", &itertools_builtin::PyFilter_Type),
        ("reversed", &itertools_builtin::PyReversed_Type),
        ("complex", &complex::PyComplex_Type),
        ("super", &heaptype::PySuper_Type),
        ("staticmethod", &heaptype::PyStaticMethod_Type),
        ("classmethod", &heaptype::PyClassMethod_Type),
        ("property", &heaptype::PyProperty_Type),
        ("object", &type_::PyBaseObject_Type),
        ("type", &type_::PyType_Type),
        ("int", &long::PyLong_Type),
        ("bool", &bool_::PyBool_Type),
        ("float", &float::PyFloat_Type),
        ("str", &unicode::PyUnicode_Type),
        ("bytes", &bytes::PyBytes_Type),
        ("tuple", &tuple::PyTuple_Type),
        ("list", &list::PyList_Type),
        ("dict", &dict::PyDict_Type),
        ("EnvironmentError", exc::OSError()),
    ];
    for (name, t) in types {
        dict::set_item_str(d, name, t)?;
    }
    dict::set_item_str(d, "IOError", exc::OSError())?;
    for t in exc::all() {
        dict::set_item_str(d, t.name(), t)?;
    }
    Ok(m)
}

/// Registers an extra built-in (types defined elsewhere, e.g. `range`), at start-up.
pub fn add(name: &str, v: &Obj) -> PyResult<()> {
    dict::set_item_str(module::dict_of(&module()), name, v)
}

/// `format(value, spec)` (CPython's `PyObject_Format`): `type(value).__format__(value, spec)`,
/// which must return a `str`; exact `str`, `int` and `float` with the empty spec skip the call.
pub fn format(v: &Obj, spec: Option<&Obj>) -> PyResult<PyRef> {
    let spec_empty = spec.is_none_or(|s| unicode::check(s) && unicode::len(s) == 0);
    if spec_empty && (unicode::check_exact(v) || v.ob_type().is(&long::PyLong_Type) || v.ob_type().is(&crate::objects::float::PyFloat_Type)) {
        return abstract_::str(v);
    }
    let f = crate::objects::argparse::lookup_special(v, "__format__")?
        .ok_or_else(|| raise!(TypeError, "Type {} doesn't define __format__", v.ob_type().name()))?;
    let s = spec.map_or_else(|| unicode::new(""), Obj::new_ref);
    let r = abstract_::call_one_arg(&f, &s)?;
    if !unicode::check(&r) {
        return Err(raise!(TypeError, "__format__ must return a str, not {}", r.ob_type().name()));
    }
    Ok(r)
}

/// `ascii(v)`.
pub fn ascii(v: &Obj) -> PyResult<PyRef> {
    let r = abstract_::repr(v)?;
    if unicode::is_ascii(&r) {
        return Ok(r);
    }
    Ok(unicode::new(&unicode::ascii_escape(&r)))
}

// ---- the functions --------------------------------------------------------------------------

type Args<'a> = &'a [&'a Obj];

/// Views a vectorcall argument array.
unsafe fn args<'a>(p: *const *mut PyObject, n: Py_ssize_t) -> Args<'a> {
    // SAFETY: the caller passes n live objects; *mut PyObject and &Obj share a layout.
    if n == 0 { &[] } else { unsafe { core::slice::from_raw_parts(p as *const &Obj, n as usize) } }
}

/// Keyword arguments of a METH_FASTCALL|METH_KEYWORDS call as (name, value) pairs.
unsafe fn kwargs<'a>(p: *const *mut PyObject, n: Py_ssize_t, kwnames: *mut PyObject) -> Vec<(&'a str, &'a Obj)> {
    // SAFETY: as above; kwnames is a tuple of str or NULL.
    unsafe {
        match opt_arg(kwnames) {
            None => Vec::new(),
            Some(k) => tuple::items(k)
                .iter()
                .enumerate()
                .map(|(i, name)| (unicode::as_str(name).unwrap_or(""), arg(*p.add(n as usize + i))))
                .collect(),
        }
    }
}

fn expect_args(name: &str, a: Args, min: usize, max: usize) -> PyResult<()> {
    if a.len() < min || a.len() > max {
        return Err(if min == max {
            raise!(TypeError, "{}() takes exactly {} argument{} ({} given)", name, min, if min == 1 { "" } else { "s" }, a.len())
        } else if a.len() < min {
            raise!(TypeError, "{} expected at least {} argument{}, got {}", name, min, if min == 1 { "" } else { "s" }, a.len())
        } else {
            raise!(TypeError, "{} expected at most {} argument{}, got {}", name, max, if max == 1 { "" } else { "s" }, a.len())
        });
    }
    Ok(())
}

unsafe extern "C" fn builtin_print(_m: *mut PyObject, p: *const *mut PyObject, n: Py_ssize_t, kwnames: *mut PyObject) -> *mut PyObject {
    // SAFETY: METH_FASTCALL|METH_KEYWORDS contract.
    let (a, kw) = unsafe { (args(p, n), kwargs(p, n, kwnames)) };
    let r = (|| {
        let (mut sep, mut end, mut file, mut flush) = (" ".to_string(), "\n".to_string(), None, false);
        for (k, v) in kw {
            let text = |what: &str| -> PyResult<Option<String>> {
                if v.is(none::none_obj()) {
                    Ok(None)
                } else if unicode::check(v) {
                    Ok(Some(unicode::as_str(v)?.to_string()))
                } else {
                    Err(raise!(TypeError, "{} must be None or a string, not {}", what, v.ob_type().name()))
                }
            };
            match k {
                "sep" => sep = text("sep")?.unwrap_or_else(|| " ".into()),
                "end" => end = text("end")?.unwrap_or_else(|| "\n".into()),
                "file" => file = (!v.is(none::none_obj())).then(|| v.new_ref()),
                "flush" => flush = abstract_::is_true(v)?,
                other => return Err(raise!(TypeError, "print() got an unexpected keyword argument '{}'", other)),
            }
        }
        // As CPython: each piece is a `write` call on the file (sys.stdout by default).
        let file = match file {
            Some(f) => f,
            None => match crate::stdlib::io::sys_stdout() {
                Some(f) => f,
                None => return Ok(none::none()),
            },
        };
        let sep = unicode::new(&sep);
        for (i, v) in a.iter().enumerate() {
            if i > 0 {
                crate::stdlib::io::write_to(&file, &sep)?;
            }
            let t = abstract_::str(v)?;
            crate::stdlib::io::write_to(&file, &t)?;
        }
        crate::stdlib::io::write_to(&file, &unicode::new(&end))?;
        if flush {
            abstract_::call_method(&file, "flush", &[])?;
        }
        Ok(none::none())
    })();
    ret_obj(r)
}

macro_rules! builtin_o {
    ($fname:ident, |$o:ident| $body:expr) => {
        unsafe extern "C" fn $fname(_m: *mut PyObject, o: *mut PyObject) -> *mut PyObject {
            // SAFETY: METH_O contract.
            let $o = unsafe { arg(o) };
            ret_obj((|| -> PyResult<PyRef> { $body })())
        }
    };
}

macro_rules! builtin_fast {
    ($fname:ident, |$a:ident| $body:expr) => {
        unsafe extern "C" fn $fname(_m: *mut PyObject, p: *const *mut PyObject, n: Py_ssize_t) -> *mut PyObject {
            // SAFETY: METH_FASTCALL contract.
            let $a = unsafe { args(p, n) };
            ret_obj((|| -> PyResult<PyRef> { $body })())
        }
    };
}

builtin_o!(builtin_len, |o| Ok(long::from_usize(abstract_::len(o)?)));
builtin_o!(builtin_repr, |o| abstract_::repr(o));
builtin_o!(builtin_ascii, |o| ascii(o));
builtin_o!(builtin_id, |o| Ok(long::from_usize(o.as_ptr() as usize)));
builtin_o!(builtin_hash, |o| Ok(long::from_i64(abstract_::hash(o)? as i64)));
builtin_o!(builtin_callable, |o| Ok(bool_::new(o.ob_type().slots().tp_call.is_some())));
builtin_o!(builtin_abs, |o| {
    // SAFETY: nb_absolute slot call.
    match unsafe { o.ob_type().slots().tp_as_number.as_ref() }.and_then(|nb| nb.nb_absolute) {
        Some(f) => unsafe { crate::slot::from_new(f(o.as_ptr())) },
        None => Err(raise!(TypeError, "bad operand type for abs(): '{}'", o.ob_type().name())),
    }
});
builtin_o!(builtin_chr, |o| {
    let i = long::to_i64(&*abstract_::index(o)?).ok_or_else(|| raise!(OverflowError, "Python int too large to convert to C int"))?;
    if !(0..=0x10ffff).contains(&i) {
        return Err(raise!(ValueError, "chr() arg not in range(0x110000)"));
    }
    Ok(unicode::from_code_points(&[i as u32]))
});
builtin_o!(builtin_ord, |o| {
    if unicode::check(o) {
        if unicode::len(o) != 1 {
            return Err(raise!(TypeError, "ord() expected a character, but string of length {} found", unicode::len(o)));
        }
        return Ok(long::from_i64(unicode::char_at(o, 0) as i64));
    }
    if crate::objects::bytes::check(o) {
        let b = crate::objects::bytes::as_bytes(o);
        if b.len() != 1 {
            return Err(raise!(TypeError, "ord() expected a character, but string of length {} found", b.len()));
        }
        return Ok(long::from_i64(b[0] as i64));
    }
    Err(raise!(TypeError, "ord() expected string of length 1, but {} found", o.ob_type().name()))
});
builtin_fast!(builtin_iter, |a| {
    expect_args("iter", a, 1, 2)?;
    if a.len() == 1 {
        return crate::objects::iterobject::get_iter(a[0]);
    }
    if a[0].ob_type().slots().tp_call.is_none() {
        return Err(raise!(TypeError, "iter(v, w): v must be callable"));
    }
    Ok(crate::objects::iterobject::call_iter_new(a[0], a[1]))
});

builtin_fast!(builtin_isinstance, |a| {
    expect_args("isinstance", a, 2, 2)?;
    Ok(bool_::new(is_instance(a[0], a[1])?))
});
builtin_fast!(builtin_issubclass, |a| {
    expect_args("issubclass", a, 2, 2)?;
    Ok(bool_::new(is_subclass(a[0], a[1])?))
});
builtin_fast!(builtin_getattr, |a| {
    expect_args("getattr", a, 2, 3)?;
    if !unicode::check(a[1]) {
        return Err(raise!(TypeError, "attribute name must be string, not '{}'", a[1].ob_type().name()));
    }
    match abstract_::getattr(a[0], a[1]) {
        Err(e) if a.len() == 3 && e.is_instance(exc::AttributeError()) => Ok(a[2].new_ref()),
        r => r,
    }
});
builtin_fast!(builtin_setattr, |a| {
    expect_args("setattr", a, 3, 3)?;
    abstract_::setattr(a[0], a[1], Some(a[2]))?;
    Ok(none::none())
});
builtin_fast!(builtin_delattr, |a| {
    expect_args("delattr", a, 2, 2)?;
    abstract_::setattr(a[0], a[1], None)?;
    Ok(none::none())
});
builtin_fast!(builtin_hasattr, |a| {
    expect_args("hasattr", a, 2, 2)?;
    Ok(bool_::new(abstract_::getattr_opt(a[0], a[1])?.is_some()))
});
builtin_o!(builtin_aiter, |o| crate::objects::genobject::aiter(o));
builtin_fast!(builtin_anext, |a| {
    expect_args("anext", a, 1, 2)?;
    crate::objects::genobject::anext_builtin(a[0], a.get(1).copied())
});
builtin_fast!(builtin_next, |a| {
    expect_args("next", a, 1, 2)?;
    let Some(f) = a[0].ob_type().slots().tp_iternext else {
        return Err(raise!(TypeError, "'{}' object is not an iterator", a[0].ob_type().name()));
    };
    // SAFETY: slot call with a live argument.
    let r = unsafe { f(a[0].as_ptr()) };
    if !r.is_null() {
        // SAFETY: a new reference.
        return Ok(unsafe { PyRef::from_raw(r) });
    }
    // Exhausted: the iterator's own StopIteration (it may carry a value) or a fresh one.
    match crate::err::PyErr::take() {
        Some(e) if !e.is_instance(exc::StopIteration()) => Err(e),
        _ if a.len() == 2 => Ok(a[1].new_ref()),
        Some(e) => Err(e),
        None => Err(crate::err::PyErr::from_type_no_args(exc::StopIteration())),
    }
});
builtin_fast!(builtin_format, |a| {
    expect_args("format", a, 1, 2)?;
    if let Some(spec) = a.get(1).filter(|s| !unicode::check(s)) {
        return Err(raise!(TypeError, "format() argument 2 must be str, not {}", spec.ob_type().name()));
    }
    format(a[0], a.get(1).copied())
});
/// `__import__(name, globals=None, locals=None, fromlist=(), level=0)`.
unsafe extern "C" fn builtin_import(_m: *mut PyObject, p: *const *mut PyObject, n: Py_ssize_t, kwnames: *mut PyObject) -> *mut PyObject {
    // SAFETY: METH_FASTCALL|METH_KEYWORDS contract.
    let (pos, kw) = unsafe { (args(p, n), kwargs(p, n, kwnames)) };
    ret_obj((|| {
        const NAMES: [&str; 5] = ["name", "globals", "locals", "fromlist", "level"];
        if pos.len() > 5 {
            return Err(raise!(TypeError, "__import__() takes at most 5 arguments ({} given)", pos.len() + kw.len()));
        }
        let mut a: [Option<&Obj>; 5] = [None; 5];
        for (i, v) in pos.iter().enumerate() {
            a[i] = Some(v);
        }
        for (k, v) in kw {
            let Some(i) = NAMES.iter().position(|n| *n == k) else {
                return Err(raise!(TypeError, "__import__() got an unexpected keyword argument '{}'", k));
            };
            if a[i].is_some() {
                return Err(raise!(TypeError, "argument for __import__() given by name ('{}') and position ({})", k, i + 1));
            }
            a[i] = Some(v);
        }
        let name = a[0].ok_or_else(|| raise!(TypeError, "__import__() missing required argument 'name' (pos 1)"))?;
        let empty = tuple::empty();
        let fromlist = a[3].filter(|f| !f.is(none::none_obj())).unwrap_or(&empty);
        let globals = a[1].filter(|g| dict::check(g)).map(Obj::new_ref).unwrap_or_else(dict::new);
        let level = match a[4] {
            Some(l) => long::to_i64(&*abstract_::index(l)?).unwrap_or(0),
            None => 0,
        };
        crate::import::import_name(name, &globals, fromlist, level)
    })())
}

unsafe extern "C" fn builtin_globals(_m: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    let g = crate::interp::with_current_frame(|f| f.globals.clone());
    ret_obj(g.ok_or_else(|| raise!(SystemError, "globals(): no current frame")))
}

unsafe extern "C" fn builtin_locals(_m: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    let l = crate::interp::with_current_frame(|f| f.locals_snapshot());
    ret_obj(l.unwrap_or_else(|| Err(raise!(SystemError, "locals(): no current frame"))))
}

/// `eval(source, /, globals=None, locals=None)` and `exec(...)`: compile (if given text) and run
/// in the caller's namespaces unless others are given.
unsafe fn eval_exec_call(name: &str, p: *const *mut PyObject, n: Py_ssize_t, kwnames: *mut PyObject, mode: crate::compiler::Mode) -> *mut PyObject {
    // SAFETY: METH_FASTCALL|METH_KEYWORDS contract, passed on by the caller.
    let (a, kw) = unsafe { (args(p, n), kwargs(p, n, kwnames)) };
    ret_obj((|| {
        expect_args(name, a, 1, 3)?;
        let mut vals: [Option<&Obj>; 4] = [None; 4];
        for (i, v) in a.iter().enumerate() {
            vals[i] = Some(v);
        }
        for (k, v) in kw {
            let i = match k {
                "globals" => 1,
                "locals" => 2,
                // Keyword-only, and only `exec` has it.
                "closure" if mode == crate::compiler::Mode::Exec => 3,
                _ => return Err(raise!(TypeError, "{}() got an unexpected keyword argument '{}'", name, k)),
            };
            if vals[i].is_some() {
                return Err(raise!(TypeError, "argument for {}() given by name ('{}') and position ({})", name, k, i + 1));
            }
            vals[i] = Some(v);
        }
        eval_exec(name, vals, mode)
    })())
}

fn eval_exec(name: &str, a: [Option<&Obj>; 4], mode: crate::compiler::Mode) -> PyResult<PyRef> {
    let source = a[0].expect("checked by the caller");
    let (caller_globals, caller_locals) = crate::interp::with_current_frame(|f| (f.globals.clone(), f.locals_snapshot()))
        .ok_or_else(|| raise!(SystemError, "{}(): no current frame", name))?;
    let given_globals = a[1].filter(|g| !g.is(none::none_obj()));
    let globals = match given_globals {
        Some(g) if dict::check(g) => g.new_ref(),
        Some(g) => return Err(raise!(TypeError, "{}() globals must be a dict, not {}", name, g.ob_type().name())),
        None => caller_globals,
    };
    let locals = match a[2].filter(|l| !l.is(none::none_obj())) {
        Some(l) => l.new_ref(),
        None if given_globals.is_some() => globals.clone(),
        None => caller_locals?,
    };
    // As CPython: globals without `__builtins__` get the builtins namespace (a dict).
    if dict::get_item_str(&globals, "__builtins__").is_none() {
        dict::set_item_str(&globals, "__builtins__", crate::objects::module::dict_of(&module()))?;
    }
    let closure = a[3].filter(|c| !c.is(none::none_obj()));
    if closure.is_some() && !crate::objects::code::check(source) {
        return Err(raise!(TypeError, "closure can only be used when source is a code object"));
    }
    // A code object with free variables runs in a function frame whose closure holds its cells
    // (`COPY_FREE_VARS` copies them in); `exec` must be given exactly those cells.
    let mut func = None;
    let code = if crate::objects::code::check(source) {
        let nfree = crate::objects::code::data(source).nfree();
        if nfree == 0 {
            if closure.is_some() {
                return Err(raise!(TypeError, "cannot use a closure with this code object"));
            }
        } else if mode == crate::compiler::Mode::Eval {
            return Err(raise!(TypeError, "code object passed to eval() may not contain free variables"));
        } else {
            let cells_ok = closure.is_some_and(|c| {
                c.ob_type().is(&tuple::PyTuple_Type)
                    && tuple::items(c).len() == nfree
                    && tuple::items(c).iter().all(|cell| cell.ob_type().is(&crate::objects::function::PyCell_Type))
            });
            if !cells_ok {
                return Err(raise!(TypeError, "code object requires a closure of exactly length {}", nfree));
            }
            let f = crate::objects::function::new(source, &globals, &*crate::interp::builtins_of(&globals)?);
            crate::objects::function::set_field(&f, 8, closure.expect("checked above"));
            func = Some(f);
        }
        source.new_ref()
    } else if unicode::check(source) || crate::objects::bytes::check(source) || crate::objects::bytearray::check(source) {
        let text: String = if unicode::check(source) {
            unicode::as_str(source)?.to_string()
        } else {
            // Source bytes are UTF-8 (Pyrite reads no coding cookie here).
            String::from_utf8(crate::objects::bytes::bytes_of(source).to_vec()).map_err(|_| raise!(SyntaxError, "source code string cannot contain invalid UTF-8"))?
        };
        if text.contains('\0') {
            return Err(raise!(SyntaxError, "source code string cannot contain null bytes"));
        }
        let src = if mode == crate::compiler::Mode::Eval { text.trim_start_matches([' ', '\t']) } else { &text };
        crate::compiler::compile(src, "<string>", mode)?
    } else {
        return Err(raise!(TypeError, "{}() arg 1 must be a string, bytes or code object", name));
    };
    let r = match func {
        Some(f) => crate::interp::run_code_in_function(&code, &globals, &locals, f)?,
        None => crate::interp::run_code(&code, &globals, Some(&locals))?,
    };
    Ok(if mode == crate::compiler::Mode::Eval { r } else { none::none() })
}

unsafe extern "C" fn builtin_eval(_m: *mut PyObject, p: *const *mut PyObject, n: Py_ssize_t, kwnames: *mut PyObject) -> *mut PyObject {
    // SAFETY: METH_FASTCALL|METH_KEYWORDS contract.
    unsafe { eval_exec_call("eval", p, n, kwnames, crate::compiler::Mode::Eval) }
}

unsafe extern "C" fn builtin_exec(_m: *mut PyObject, p: *const *mut PyObject, n: Py_ssize_t, kwnames: *mut PyObject) -> *mut PyObject {
    // SAFETY: METH_FASTCALL|METH_KEYWORDS contract.
    unsafe { eval_exec_call("exec", p, n, kwnames, crate::compiler::Mode::Exec) }
}

builtin_fast!(builtin_divmod, |a| {
    expect_args("divmod", a, 2, 2)?;
    crate::number::divmod(a[0], a[1])
});
builtin_fast!(builtin_pow, |a| {
    expect_args("pow", a, 2, 3)?;
    crate::number::power(a[0], a[1], a.get(2).copied().filter(|m| !m.is(none::none_obj())))
});
builtin_fast!(builtin_round, |a| {
    expect_args("round", a, 1, 2)?;
    let Some(f) = a[0].ob_type().lookup_str("__round__").map(Obj::new_ref) else {
        return Err(raise!(TypeError, "type {} doesn't define __round__ method", a[0].ob_type().name()));
    };
    let _ = f;
    let bound = abstract_::getattr_str(a[0], "__round__")?;
    match a.get(1).filter(|n| !n.is(none::none_obj())) {
        Some(n) => abstract_::call_one_arg(&bound, n),
        None => abstract_::call_no_args(&bound),
    }
});
builtin_o!(builtin_bin, |o| crate::number::to_base(o, 2));
builtin_o!(builtin_oct, |o| crate::number::to_base(o, 8));
builtin_o!(builtin_hex, |o| crate::number::to_base(o, 16));

unsafe extern "C" fn builtin_sorted(_m: *mut PyObject, p: *const *mut PyObject, n: Py_ssize_t, kwnames: *mut PyObject) -> *mut PyObject {
    // SAFETY: METH_FASTCALL|METH_KEYWORDS contract.
    let (a, kw) = unsafe { (args(p, n), kwargs(p, n, kwnames)) };
    let r = (|| {
        if a.len() != 1 {
            return Err(raise!(TypeError, "sorted expected 1 argument, got {}", a.len()));
        }
        let items = crate::interp::iterobject_collect(a[0])?;
        let refs: Vec<&Obj> = items.iter().map(|r| &**r).collect();
        let l = crate::objects::list::new_from(&refs);
        let sort = abstract_::getattr_str(&l, "sort")?;
        let kwd = dict::new();
        for (k, v) in kw {
            dict::set_item_str(&kwd, k, v)?;
        }
        abstract_::call(&sort, &tuple::empty(), Some(&kwd))?;
        Ok(l)
    })();
    ret_obj(r)
}

/// `min`/`max` over one iterable or several arguments (no `key`/`default` yet: see below).
/// `min()`/`max()`: of an iterable or of several arguments, by `key`, with a `default` for an
/// empty iterable (CPython's `min_max`).
fn min_max(name: &str, a: Args, kw: Vec<(&str, &Obj)>, op: i32) -> PyResult<PyRef> {
    let (mut key, mut default) = (None, None);
    for (k, v) in kw {
        match k {
            "key" => key = (!v.is(none::none_obj())).then_some(v),
            "default" => default = Some(v),
            other => return Err(raise!(TypeError, "{}() got an unexpected keyword argument '{}'", name, other)),
        }
    }
    if a.is_empty() {
        return Err(raise!(TypeError, "{} expected at least 1 argument, got 0", name));
    }
    if a.len() > 1 && default.is_some() {
        return Err(raise!(TypeError, "Cannot specify a default for {}() with multiple positional arguments", name));
    }
    // One iterable is read an item at a time (a failing comparison leaves the rest unread).
    let it = if a.len() == 1 { Some(crate::objects::iterobject::get_iter(a[0])?) } else { None };
    let mut rest = a.iter();
    let mut best: Option<(PyRef, PyRef)> = None;
    loop {
        let v = match &it {
            Some(it) => match crate::objects::iterobject::next(it)? {
                Some(v) => v,
                None => break,
            },
            None => match rest.next() {
                Some(v) => v.new_ref(),
                None => break,
            },
        };
        let k = match key {
            Some(f) => abstract_::call(f, &tuple::new_from(&[&v]), None)?,
            None => v.clone(),
        };
        best = Some(match best {
            None => (v, k),
            Some((bv, bk)) => {
                if abstract_::rich_compare_bool(&k, &bk, op)? { (v, k) } else { (bv, bk) }
            }
        });
    }
    match (best, default) {
        (Some((v, _)), _) => Ok(v),
        (None, Some(d)) => Ok(d.new_ref()),
        (None, None) => Err(raise!(ValueError, "{}() iterable argument is empty", name)),
    }
}

unsafe extern "C" fn builtin_min(_m: *mut PyObject, p: *const *mut PyObject, n: Py_ssize_t, kwnames: *mut PyObject) -> *mut PyObject {
    // SAFETY: METH_FASTCALL|METH_KEYWORDS contract.
    let (a, kw) = unsafe { (args(p, n), kwargs(p, n, kwnames)) };
    ret_obj(min_max("min", a, kw, Py_LT))
}

unsafe extern "C" fn builtin_max(_m: *mut PyObject, p: *const *mut PyObject, n: Py_ssize_t, kwnames: *mut PyObject) -> *mut PyObject {
    // SAFETY: METH_FASTCALL|METH_KEYWORDS contract.
    let (a, kw) = unsafe { (args(p, n), kwargs(p, n, kwnames)) };
    ret_obj(min_max("max", a, kw, Py_GT))
}

/// `dir([obj])`: the sorted names of the caller's scope, or what `type(obj).__dir__(obj)`
/// gives.
/// `dir()` / `dir(o)` (`PyObject_Dir`).
pub fn dir(a: Args) -> PyResult<PyRef> {
    expect_args("dir", a, 0, 1)?;
    let names = match a.first() {
        None => {
            let l = crate::interp::with_current_frame(|f| f.locals_snapshot()).ok_or_else(|| raise!(SystemError, "dir(): no current frame"))??;
            crate::objects::list::from_iterable(&*abstract_::call_method(&l, "keys", &[])?)?
        }
        Some(o) => {
            let f = o.ob_type().lookup_str("__dir__").map(Obj::new_ref).ok_or_else(|| raise!(TypeError, "object does not provide __dir__"))?;
            let r = abstract_::call(&f, &tuple::new_from(&[*o]), None)?;
            crate::objects::list::from_iterable(&r)?
        }
    };
    crate::objects::list::sort(&names, None, false)?;
    Ok(names)
}
builtin_fast!(builtin_dir, |a| dir(a));

/// `input([prompt])`: the prompt to stdout, then a line from stdin without its newline;
/// `EOFError` at end of input.
fn input(a: Args) -> PyResult<PyRef> {
    expect_args("input", a, 0, 1)?;
    let stdin = crate::stdlib::io::sys_stream("stdin").ok_or_else(|| raise!(RuntimeError, "input(): lost sys.stdin"))?;
    let stdout = crate::stdlib::io::sys_stream("stdout").ok_or_else(|| raise!(RuntimeError, "input(): lost sys.stdout"))?;
    if let Some(err) = crate::stdlib::io::sys_stream("stderr") {
        let _ = abstract_::call_method(&err, "flush", &[]);
        crate::err::PyErr::take();
    }
    if let Some(p) = a.first() {
        let s = abstract_::str(p)?;
        abstract_::call_method(&stdout, "write", &[&s])?;
    }
    abstract_::call_method(&stdout, "flush", &[])?;
    let line = abstract_::call_method(&stdin, "readline", &[])?;
    if !unicode::check(&line) {
        return Err(raise!(TypeError, "object.readline() returned non-string"));
    }
    let n = unicode::len(&line);
    if n == 0 {
        return Err(raise!(EOFError, "EOF when reading a line"));
    }
    if unicode::char_at(&line, n - 1) == 10 {
        return Ok(unicode::substring(&line, 0, n - 1));
    }
    Ok(line)
}
builtin_fast!(builtin_input, |a| input(a));

/// `vars([obj])`: `locals()`, or `obj.__dict__`.
fn vars(a: Args) -> PyResult<PyRef> {
    expect_args("vars", a, 0, 1)?;
    match a.first() {
        None => crate::interp::with_current_frame(|f| f.locals_snapshot()).ok_or_else(|| raise!(SystemError, "vars(): no current frame"))?,
        Some(o) => match abstract_::lookup_attr(o, "__dict__")? {
            Some(d) => Ok(d),
            None => Err(raise!(TypeError, "vars() argument must have __dict__ attribute")),
        },
    }
}
builtin_fast!(builtin_vars, |a| vars(a));

/// `compile(source, filename, mode, flags=0, dont_inherit=False, optimize=-1)`.
unsafe extern "C" fn builtin_compile(_m: *mut PyObject, p: *const *mut PyObject, n: Py_ssize_t, kwnames: *mut PyObject) -> *mut PyObject {
    // SAFETY: METH_FASTCALL|METH_KEYWORDS contract.
    let (a, kw) = unsafe { (args(p, n), kwargs(p, n, kwnames)) };
    let r = (|| {
        let names = ["source", "filename", "mode", "flags", "dont_inherit", "optimize", "_feature_version", "module"];
        let mut vals: [Option<&Obj>; 8] = [None; 8];
        if a.len() > 6 {
            return Err(raise!(TypeError, "compile() takes at most 6 arguments ({} given)", a.len()));
        }
        for (i, v) in a.iter().enumerate() {
            vals[i] = Some(v);
        }
        for (k, v) in kw {
            let i = names.iter().position(|n| *n == k).ok_or_else(|| raise!(TypeError, "compile() got an unexpected keyword argument '{}'", k))?;
            if vals[i].is_some() {
                return Err(raise!(TypeError, "argument for compile() given by name ('{}') and position ({})", k, i + 1));
            }
            vals[i] = Some(v);
        }
        let (Some(src), Some(filename), Some(mode)) = (vals[0], vals[1], vals[2]) else {
            return Err(raise!(TypeError, "compile() missing required argument 'source' (pos 1)"));
        };
        let mode = match unicode::as_str(mode)? {
            "exec" => crate::compiler::Mode::Exec,
            "eval" => crate::compiler::Mode::Eval,
            "single" => crate::compiler::Mode::Single,
            _ => return Err(raise!(ValueError, "compile() mode must be 'exec', 'eval' or 'single'")),
        };
        let filename = crate::objects::unicode::as_str(&*abstract_::str(filename)?)?.to_string();
        let flags = match vals[3] {
            Some(f) => long::to_i64(&*abstract_::index(f)?).unwrap_or(0),
            None => 0,
        };
        let only_ast = flags & crate::stdlib::ast::PYCF_ONLY_AST != 0;
        let optimize = match vals[5] {
            Some(o) => {
                let o = long::to_i64(&*abstract_::index(o)?).unwrap_or(-1);
                if !(-1..=2).contains(&o) {
                    return Err(raise!(ValueError, "compile(): invalid optimize value"));
                }
                o as i32
            }
            None => -1,
        };
        let text: String = if unicode::check(src) {
            unicode::as_str(src)?.to_string()
        } else if crate::objects::bytes::check(src) {
            String::from_utf8(crate::objects::bytes::as_bytes(src).to_vec()).map_err(|_| raise!(SyntaxError, "source code string cannot contain invalid UTF-8"))?
        } else if crate::objects::code::check(src) {
            return Ok(src.new_ref());
        } else if crate::stdlib::ast::is_ast(src)? {
            if only_ast {
                return Ok(src.new_ref());
            }
            // Pyrite's code generator works on the parser's tree: an AST object is compiled
            // through its source text (`ast.unparse`), which gives the same code for any tree
            // the parser could have produced (positions come from the unparsed text).
            let expected = match mode {
                crate::compiler::Mode::Exec => "Module",
                crate::compiler::Mode::Eval => "Expression",
                crate::compiler::Mode::Single => "Interactive",
            };
            let got = abstract_::getattr_str(&*abstract_::getattr_str(src, "__class__")?, "__name__")?;
            if unicode::as_str(&got)? != expected {
                return Err(raise!(TypeError, "expected {} node, got {}", expected, unicode::as_str(&got)?));
            }
            let ast_mod = crate::import::import_module("ast")?;
            let unparse = abstract_::getattr_str(&ast_mod, "unparse")?;
            let text = abstract_::call(&unparse, &crate::objects::tuple::new_from(&[src]), None)?;
            unicode::as_str(&text)?.to_string()
        } else {
            return Err(raise!(TypeError, "compile() arg 1 must be a string, bytes or AST object"));
        };
        if text.contains('\0') {
            return Err(raise!(SyntaxError, "source code string cannot contain null bytes"));
        }
        if only_ast {
            return crate::stdlib::ast::parse_to_ast(&text, &filename, mode);
        }
        crate::compiler::compile_optimized(&text, &filename, mode, optimize)
    })();
    ret_obj(r)
}
/// `sum(iterable, /, start=0)`, with Argument Clinic's messages for bad calls.
unsafe extern "C" fn builtin_sum(_m: *mut PyObject, p: *const *mut PyObject, n: Py_ssize_t, kwnames: *mut PyObject) -> *mut PyObject {
    // SAFETY: METH_FASTCALL|METH_KEYWORDS contract.
    let (a, kw) = unsafe { (args(p, n), kwargs(p, n, kwnames)) };
    ret_obj(sum_call(a, kw))
}

fn sum_call(a: Args, kw: Vec<(&str, &Obj)>) -> PyResult<PyRef> {
    let given = a.len() + kw.len();
    if given > 2 {
        return Err(raise!(TypeError, "sum() takes at most 2 arguments ({} given)", given));
    }
    if a.is_empty() {
        return Err(raise!(TypeError, "sum() takes at least 1 positional argument (0 given)"));
    }
    let mut start = a.get(1).copied();
    for (k, v) in kw {
        match k {
            // At most two arguments in all: `start` is not also positional here.
            "start" => start = Some(v),
            other => return Err(raise!(TypeError, "sum() got an unexpected keyword argument '{}'", other)),
        }
    }
    let it = crate::objects::iterobject::get_iter(a[0])?;
    let start = start.map_or_else(|| long::from_i64(0), Obj::new_ref);
    for (check, what) in [(unicode::check as fn(&Obj) -> bool, "strings [use ''.join(seq) instead]"), (crate::objects::bytes::check, "bytes [use b''.join(seq) instead]"), (crate::objects::bytearray::check, "bytearray [use b''.join(seq) instead]")] {
        if check(&start) {
            return Err(raise!(TypeError, "sum() can't sum {}", what));
        }
    }
    sum(&it, start)
}

/// `sum()` over iterator `it` from `start`, as CPython computes it: while the total and the
/// items are exact ints (or bools) that fit a machine word, in a machine word; while it is a
/// float and the items are floats or ints, in a compensated double (Neumaier's improved
/// Kahan–Babuška summation, which CPython 3.12+ uses, so `sum([0.1] * 10) == 1.0`); the same
/// for complex totals (3.14+); otherwise by `+`, one item at a time (items are taken only as
/// they are added: a failing `+` leaves the rest of the iterator unread).
fn sum(it: &Obj, start: PyRef) -> PyResult<PyRef> {
    use crate::objects::{bool_, complex, float};
    use crate::objects::iterobject::next;
    let mut total = start;
    if total.is_exact(&long::PyLong_Type) {
        if let Some(mut acc) = long::to_i64(&total) {
            loop {
                let Some(item) = next(it)? else { return Ok(long::from_i64(acc)) };
                if item.is_exact(&long::PyLong_Type) || bool_::check(&item) {
                    if let Some(x) = long::to_i64(&item).and_then(|x| acc.checked_add(x)) {
                        acc = x;
                        continue;
                    }
                }
                total = crate::number::binary_op(&long::from_i64(acc), &item, crate::number::BinaryOp::Add)?;
                break;
            }
        }
    }
    if total.is_exact(&float::PyFloat_Type) {
        let mut acc = Compensated::new(float::value(&total));
        loop {
            let Some(item) = next(it)? else { return Ok(float::new(acc.value())) };
            if item.is_exact(&float::PyFloat_Type) {
                acc.add(float::value(&item));
                continue;
            }
            if long::check(&item) {
                acc.add(long::to_f64(&item)?);
                continue;
            }
            total = crate::number::binary_op(&float::new(acc.value()), &item, crate::number::BinaryOp::Add)?;
            break;
        }
    }
    if total.is_exact(&complex::PyComplex_Type) {
        let z = complex::value(&total);
        let (mut re, mut im) = (Compensated::new(z.real), Compensated::new(z.imag));
        loop {
            let Some(item) = next(it)? else { return Ok(complex::from_doubles(re.value(), im.value())) };
            if item.is_exact(&complex::PyComplex_Type) {
                let z = complex::value(&item);
                re.add(z.real);
                im.add(z.imag);
                continue;
            }
            if long::check(&item) {
                re.add(long::to_f64(&item)?);
                continue;
            }
            if float::check(&item) {
                re.add(float::value(&item));
                continue;
            }
            total = crate::number::binary_op(&complex::from_doubles(re.value(), im.value()), &item, crate::number::BinaryOp::Add)?;
            break;
        }
    }
    while let Some(item) = next(it)? {
        total = crate::number::binary_op(&total, &item, crate::number::BinaryOp::Add)?;
    }
    Ok(total)
}

/// A running double sum with a compensation term for the low-order bits lost so far.
struct Compensated {
    hi: f64,
    lo: f64,
}

impl Compensated {
    fn new(x: f64) -> Compensated {
        Compensated { hi: x, lo: 0.0 }
    }

    fn add(&mut self, x: f64) {
        let t = self.hi + x;
        // Whichever operand is larger in magnitude lost the low bits of the other.
        self.lo += if self.hi.abs() >= x.abs() { (self.hi - t) + x } else { (x - t) + self.hi };
        self.hi = t;
    }

    fn value(&self) -> f64 {
        // The compensation is left out when it is zero (keeping the sign of -0.0) or not
        // finite (an infinite or overflowed sum must not become NaN).
        if self.lo != 0.0 && self.lo.is_finite() { self.hi + self.lo } else { self.hi }
    }
}

builtin_fast!(builtin_any, |a| {
    expect_args("any", a, 1, 1)?;
    let it = crate::objects::iterobject::get_iter(a[0])?;
    while let Some(v) = crate::objects::iterobject::next(&it)? {
        if abstract_::is_true(&v)? {
            return Ok(bool_::new(true));
        }
    }
    Ok(bool_::new(false))
});
builtin_fast!(builtin_all, |a| {
    expect_args("all", a, 1, 1)?;
    let it = crate::objects::iterobject::get_iter(a[0])?;
    while let Some(v) = crate::objects::iterobject::next(&it)? {
        if !abstract_::is_true(&v)? {
            return Ok(bool_::new(false));
        }
    }
    Ok(bool_::new(true))
});

/// `isinstance(o, cls)` (`PyObject_IsInstance`): a tuple is any of its items; a class whose
/// metaclass is not exactly `type` decides through `__instancecheck__` (ABCs do).
pub fn is_instance(o: &Obj, cls: &Obj) -> PyResult<bool> {
    if core::ptr::eq(o.ob_type().raw() as *const PyObject, cls.as_ptr()) {
        return Ok(true);
    }
    if cls.ob_type().is(&crate::objects::type_::PyType_Type) {
        return real_is_instance(o, cls);
    }
    if let Some(items) = class_alternatives(cls) {
        // Nested tuples recurse natively (CPython's `_Py_EnterRecursiveCall`).
        crate::interp::check_stack(" in __instancecheck__")?;
        for c in tuple::items(&items) {
            if is_instance(o, c)? {
                return Ok(true);
            }
        }
        return Ok(false);
    }
    match crate::objects::argparse::lookup_special(cls, "__instancecheck__")? {
        Some(check) => abstract_::is_true(&*abstract_::call_one_arg(&check, o)?),
        None => real_is_instance(o, cls),
    }
}

/// The items of `cls` when it stands for several classes (a tuple or a `X | Y` union).
fn class_alternatives(cls: &Obj) -> Option<PyRef> {
    if tuple::check(cls) {
        return Some(cls.new_ref());
    }
    crate::objects::unionobject::args_if_union(cls)
}

/// `isinstance` without `__instancecheck__` (`type.__instancecheck__`): the type, or the
/// `__class__` an object claims; for a non-type "class", its `__bases__` chain.
pub fn real_is_instance(o: &Obj, cls: &Obj) -> PyResult<bool> {
    if let Some(c) = TypeObj::downcast(cls) {
        if o.is_instance_of(c) {
            return Ok(true);
        }
        let claimed = abstract_::lookup_attr(o, "__class__")?;
        return Ok(claimed.as_deref().and_then(TypeObj::downcast).is_some_and(|k| !k.is(o.ob_type()) && k.is_subtype(c)));
    }
    if !has_bases(cls)? {
        return Err(raise!(TypeError, "isinstance() arg 2 must be a type, a tuple of types, or a union"));
    }
    match abstract_::lookup_attr(o, "__class__")? {
        Some(k) => abstract_is_subclass(&k, cls),
        None => Ok(false),
    }
}

/// `issubclass(derived, cls)` (`PyObject_IsSubclass`), with `__subclasscheck__` as for
/// [`is_instance`].
pub fn is_subclass(derived: &Obj, cls: &Obj) -> PyResult<bool> {
    if cls.ob_type().is(&crate::objects::type_::PyType_Type) {
        if derived.is(cls) {
            return Ok(true);
        }
        return real_is_subclass(derived, cls);
    }
    if let Some(items) = class_alternatives(cls) {
        crate::interp::check_stack(" in __subclasscheck__")?;
        for c in tuple::items(&items) {
            if is_subclass(derived, c)? {
                return Ok(true);
            }
        }
        return Ok(false);
    }
    match crate::objects::argparse::lookup_special(cls, "__subclasscheck__")? {
        Some(check) => abstract_::is_true(&*abstract_::call_one_arg(&check, derived)?),
        None => real_is_subclass(derived, cls),
    }
}

/// `issubclass` without `__subclasscheck__` (`type.__subclasscheck__`).
pub fn real_is_subclass(derived: &Obj, cls: &Obj) -> PyResult<bool> {
    if let (Some(d), Some(c)) = (TypeObj::downcast(derived), TypeObj::downcast(cls)) {
        return Ok(d.is_subtype(c));
    }
    if !has_bases(derived)? {
        return Err(raise!(TypeError, "issubclass() arg 1 must be a class"));
    }
    if crate::objects::unionobject::args_if_union(cls).is_none() && !has_bases(cls)? {
        return Err(raise!(TypeError, "issubclass() arg 2 must be a class, a tuple of classes, or a union"));
    }
    abstract_is_subclass(derived, cls)
}

/// Whether `o` has a tuple `__bases__` (what makes a non-type object usable as a class).
fn has_bases(o: &Obj) -> PyResult<bool> {
    Ok(abstract_::lookup_attr(o, "__bases__")?.is_some_and(|b| tuple::check(&b)))
}

/// Walks `__bases__` from `derived` looking for `cls` (CPython's `abstract_issubclass`).
fn abstract_is_subclass(derived: &Obj, cls: &Obj) -> PyResult<bool> {
    crate::interp::check_stack(" in __issubclass__")?;
    let mut d = derived.new_ref();
    loop {
        if d.is(cls) {
            return Ok(true);
        }
        let Some(bases) = abstract_::lookup_attr(&d, "__bases__")?.filter(|b| tuple::check(b)) else { return Ok(false) };
        let items = tuple::items(&bases);
        match items.len() {
            0 => return Ok(false),
            1 => d = items[0].new_ref(),
            _ => {
                for b in items {
                    if abstract_is_subclass(b, cls)? {
                        return Ok(true);
                    }
                }
                return Ok(false);
            }
        }
    }
}

/// Whether `ml` is the definition of the built-in `len` (for a specialized call).
pub fn is_len(ml: *const PyMethodDef) -> bool {
    // SAFETY: ml is a live method definition.
    unsafe { (*ml).ml_meth == builtin_len as *mut c_void }
}

/// Whether `ml` is the definition of the built-in `isinstance`.
pub fn is_isinstance(ml: *const PyMethodDef) -> bool {
    // SAFETY: as above.
    unsafe { (*ml).ml_meth == builtin_isinstance as *mut c_void }
}

const fn def(name: &'static core::ffi::CStr, f: *mut c_void, flags: i32) -> PyMethodDef {
    PyMethodDef { ml_name: name.as_ptr(), ml_meth: f, ml_flags: flags, ml_doc: core::ptr::null() }
}

crate::method_table!(static LAZY_IMPORT_FUNCTIONS = [
    kw c"__lazy_import__" => crate::objects::lazy_import::builtin_lazy_import,
]);

static BUILTIN_METHODS: StaticTable<PyMethodDef, 44> = StaticTable(UnsafeCell::new([
    def(c"print", builtin_print as *mut c_void, METH_FASTCALL | METH_KEYWORDS),
    def(c"len", builtin_len as *mut c_void, METH_O),
    def(c"repr", builtin_repr as *mut c_void, METH_O),
    def(c"ascii", builtin_ascii as *mut c_void, METH_O),
    def(c"id", builtin_id as *mut c_void, METH_O),
    def(c"hash", builtin_hash as *mut c_void, METH_O),
    def(c"callable", builtin_callable as *mut c_void, METH_O),
    def(c"abs", builtin_abs as *mut c_void, METH_O),
    def(c"chr", builtin_chr as *mut c_void, METH_O),
    def(c"ord", builtin_ord as *mut c_void, METH_O),
    def(c"iter", builtin_iter as *mut c_void, METH_FASTCALL),
    def(c"isinstance", builtin_isinstance as *mut c_void, METH_FASTCALL),
    def(c"issubclass", builtin_issubclass as *mut c_void, METH_FASTCALL),
    def(c"getattr", builtin_getattr as *mut c_void, METH_FASTCALL),
    def(c"setattr", builtin_setattr as *mut c_void, METH_FASTCALL),
    def(c"delattr", builtin_delattr as *mut c_void, METH_FASTCALL),
    def(c"hasattr", builtin_hasattr as *mut c_void, METH_FASTCALL),
    def(c"next", builtin_next as *mut c_void, METH_FASTCALL),
    def(c"aiter", builtin_aiter as *mut c_void, METH_O),
    def(c"anext", builtin_anext as *mut c_void, METH_FASTCALL),
    def(c"format", builtin_format as *mut c_void, METH_FASTCALL),
    def(c"__import__", builtin_import as *mut c_void, METH_FASTCALL | METH_KEYWORDS),
    def(c"min", builtin_min as *mut c_void, METH_FASTCALL | METH_KEYWORDS),
    def(c"max", builtin_max as *mut c_void, METH_FASTCALL | METH_KEYWORDS),
    def(c"dir", builtin_dir as *mut c_void, METH_FASTCALL),
    def(c"input", builtin_input as *mut c_void, METH_FASTCALL),
    def(c"vars", builtin_vars as *mut c_void, METH_FASTCALL),
    def(c"compile", builtin_compile as *mut c_void, METH_FASTCALL | METH_KEYWORDS),
    def(c"sum", builtin_sum as *mut c_void, METH_FASTCALL | METH_KEYWORDS),
    def(c"any", builtin_any as *mut c_void, METH_FASTCALL),
    def(c"all", builtin_all as *mut c_void, METH_FASTCALL),
    def(c"sorted", builtin_sorted as *mut c_void, METH_FASTCALL | METH_KEYWORDS),
    def(c"divmod", builtin_divmod as *mut c_void, METH_FASTCALL),
    def(c"pow", builtin_pow as *mut c_void, METH_FASTCALL),
    def(c"round", builtin_round as *mut c_void, METH_FASTCALL),
    def(c"bin", builtin_bin as *mut c_void, METH_O),
    def(c"oct", builtin_oct as *mut c_void, METH_O),
    def(c"hex", builtin_hex as *mut c_void, METH_O),
    def(c"globals", builtin_globals as *mut c_void, METH_NOARGS),
    def(c"locals", builtin_locals as *mut c_void, METH_NOARGS),
    def(c"eval", builtin_eval as *mut c_void, METH_FASTCALL | METH_KEYWORDS),
    def(c"exec", builtin_exec as *mut c_void, METH_FASTCALL | METH_KEYWORDS),
    def(c"__build_class__", crate::objects::heaptype::build_class as *mut c_void, METH_FASTCALL | METH_KEYWORDS),
    PyMethodDef { ml_name: core::ptr::null(), ml_meth: null_mut(), ml_flags: 0, ml_doc: core::ptr::null() },
]));
