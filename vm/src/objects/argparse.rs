//! Built-in methods written in Rust: `PyMethodDef` entries whose C trampolines call plain Rust
//! functions (`method_table!`), and argument parsing with the messages CPython's Argument Clinic
//! produces (`_PyArg_CheckPositional`, `_PyArg_UnpackKeywords`, `_PyArg_NoKeywords`).
//!
//! A method body receives borrowed arguments and returns a `PyResult`; the trampoline does the
//! C convention (new reference or NULL + exception), so method tables are real `PyMethodDef`
//! arrays and built-in methods dispatch exactly as an extension's would.

use pyrite_abi::*;

use crate::err::PyResult;
use crate::object::Obj;
use crate::objects::{long, none, unicode};

/// Keyword arguments of a vectorcall: names (str) and their values, borrowed.
#[derive(Clone, Copy)]
pub struct Kw<'a> {
    pub names: &'a [&'a Obj],
    pub values: &'a [&'a Obj],
}

impl<'a> Kw<'a> {
    pub const NONE: Kw<'static> = Kw { names: &[], values: &[] };

    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// The keywords of a vectorcall (`kwnames` a tuple or NULL; `values` follow the positionals).
    ///
    /// # Safety
    /// `kwnames` is NULL or a tuple of str; `values` points to one live object per name.
    pub unsafe fn from_vectorcall(kwnames: *mut PyObject, values: *const *mut PyObject) -> Kw<'a> {
        if kwnames.is_null() {
            return Kw { names: &[], values: &[] };
        }
        // SAFETY: guaranteed by the caller.
        let names: &'a [&'a Obj] = crate::objects::tuple::items(unsafe { Obj::from_ptr::<'a>(kwnames) });
        // SAFETY: as above.
        Kw { names, values: unsafe { objs(values, names.len()) } }
    }

    /// The keywords of a `tp_init`/`tp_new` call (`kwds` a dict or NULL), as owned pairs.
    pub fn pairs_of_dict(kwds: Option<&Obj>) -> Vec<(crate::PyRef, crate::PyRef)> {
        kwds.map_or_else(Vec::new, crate::objects::dict::items_vec)
    }
}

/// `n` borrowed objects at `p` (NULL allowed when `n == 0`).
///
/// # Safety
/// `p` points to `n` live objects that outlive `'a`.
#[inline(always)]
pub unsafe fn objs<'a>(p: *const *mut PyObject, n: usize) -> &'a [&'a Obj] {
    if n == 0 || p.is_null() {
        &[]
    } else {
        // SAFETY: `*mut PyObject` and `&Obj` share a layout; liveness guaranteed by the caller.
        unsafe { core::slice::from_raw_parts(p as *const &Obj, n) }
    }
}

pub const METHOD_END: PyMethodDef =
    PyMethodDef { ml_name: core::ptr::null(), ml_meth: core::ptr::null_mut(), ml_flags: 0, ml_doc: core::ptr::null() };

/// A read-only `PyGetSetDef` whose getter is a trampoline into `fn(&Obj) -> PyResult<PyRef>`.
#[macro_export]
macro_rules! getter_def {
    ($name:literal, $f:path) => {
        pyrite_abi::PyGetSetDef {
            name: $name.as_ptr(),
            get: Some({
                unsafe extern "C" fn tramp(o: *mut pyrite_abi::PyObject, _: *mut core::ffi::c_void) -> *mut pyrite_abi::PyObject {
                    // SAFETY: getter contract: `o` is a live instance of the type.
                    $crate::slot::ret_obj($f(unsafe { $crate::slot::arg(o) }))
                }
                tramp
            }),
            set: None,
            doc: core::ptr::null(),
            closure: core::ptr::null_mut(),
        }
    };
}

/// One `PyMethodDef` whose `ml_meth` is a trampoline into a Rust function:
/// * `noargs`: `fn(&Obj) -> PyResult<PyRef>` (`METH_NOARGS`)
/// * `o`: `fn(&Obj, &Obj)` (`METH_O`); `o_coexist` adds `METH_COEXIST`
/// * `fast`: `fn(&Obj, &[&Obj])` (`METH_FASTCALL`, positional only)
/// * `kw`: `fn(&Obj, &[&Obj], Kw)` (`METH_FASTCALL | METH_KEYWORDS`)
/// * `class_fast`, `class_o`: the same with `METH_CLASS` (`self` is the class)
/// * `static_fast`: `METH_STATIC | METH_FASTCALL` (`self` is NULL and not passed)
/// * `static_kw`: the same with keywords: `fn(&[&Obj], Kw)`
#[macro_export]
macro_rules! method_def {
    (noargs $name:literal, $f:path) => {
        $crate::method_def!(@def $name, pyrite_abi::METH_NOARGS, {
            unsafe extern "C" fn tramp(s: *mut pyrite_abi::PyObject, _: *mut pyrite_abi::PyObject) -> *mut pyrite_abi::PyObject {
                // SAFETY: METH_NOARGS contract: `s` is live for the call.
                $crate::slot::ret_obj($f(unsafe { $crate::slot::arg(s) }))
            }
            tramp as *mut core::ffi::c_void
        })
    };
    (o $name:literal, $f:path) => {
        $crate::method_def!(@def $name, pyrite_abi::METH_O, $crate::method_def!(@o $f))
    };
    (o_coexist $name:literal, $f:path) => {
        $crate::method_def!(@def $name, pyrite_abi::METH_O | pyrite_abi::METH_COEXIST, $crate::method_def!(@o $f))
    };
    (class_o $name:literal, $f:path) => {
        $crate::method_def!(@def $name, pyrite_abi::METH_O | pyrite_abi::METH_CLASS, $crate::method_def!(@o $f))
    };
    (fast $name:literal, $f:path) => {
        $crate::method_def!(@def $name, pyrite_abi::METH_FASTCALL, $crate::method_def!(@fast $f))
    };
    (class_fast $name:literal, $f:path) => {
        $crate::method_def!(@def $name, pyrite_abi::METH_FASTCALL | pyrite_abi::METH_CLASS, $crate::method_def!(@fast $f))
    };
    (static_fast $name:literal, $f:path) => {
        $crate::method_def!(@def $name, pyrite_abi::METH_FASTCALL | pyrite_abi::METH_STATIC, {
            unsafe extern "C" fn tramp(_: *mut pyrite_abi::PyObject, args: *const *mut pyrite_abi::PyObject, n: pyrite_abi::Py_ssize_t) -> *mut pyrite_abi::PyObject {
                // SAFETY: METH_FASTCALL contract: `n` live arguments.
                $crate::slot::ret_obj($f(unsafe { $crate::objects::argparse::objs(args, n as usize) }))
            }
            tramp as *mut core::ffi::c_void
        })
    };
    (static_kw $name:literal, $f:path) => {
        $crate::method_def!(@def $name, pyrite_abi::METH_FASTCALL | pyrite_abi::METH_KEYWORDS | pyrite_abi::METH_STATIC, {
            unsafe extern "C" fn tramp(
                _: *mut pyrite_abi::PyObject,
                args: *const *mut pyrite_abi::PyObject,
                n: pyrite_abi::Py_ssize_t,
                kwnames: *mut pyrite_abi::PyObject,
            ) -> *mut pyrite_abi::PyObject {
                // SAFETY: METH_FASTCALL|METH_KEYWORDS contract.
                unsafe {
                    let pos = $crate::objects::argparse::objs(args, n as usize);
                    let kw = $crate::objects::argparse::Kw::from_vectorcall(kwnames, args.add(n as usize));
                    $crate::slot::ret_obj($f(pos, kw))
                }
            }
            tramp as *mut core::ffi::c_void
        })
    };
    (kw $name:literal, $f:path) => {
        $crate::method_def!(@def $name, pyrite_abi::METH_FASTCALL | pyrite_abi::METH_KEYWORDS, {
            unsafe extern "C" fn tramp(
                s: *mut pyrite_abi::PyObject,
                args: *const *mut pyrite_abi::PyObject,
                n: pyrite_abi::Py_ssize_t,
                kwnames: *mut pyrite_abi::PyObject,
            ) -> *mut pyrite_abi::PyObject {
                // SAFETY: METH_FASTCALL|METH_KEYWORDS contract: `n` positional arguments, then
                // one value per name in `kwnames`.
                unsafe {
                    let pos = $crate::objects::argparse::objs(args, n as usize);
                    let kw = $crate::objects::argparse::Kw::from_vectorcall(kwnames, args.add(n as usize));
                    $crate::slot::ret_obj($f($crate::slot::arg(s), pos, kw))
                }
            }
            tramp as *mut core::ffi::c_void
        })
    };
    (@o $f:path) => {{
        unsafe extern "C" fn tramp(s: *mut pyrite_abi::PyObject, a: *mut pyrite_abi::PyObject) -> *mut pyrite_abi::PyObject {
            // SAFETY: METH_O contract: both are live for the call.
            $crate::slot::ret_obj($f(unsafe { $crate::slot::arg(s) }, unsafe { $crate::slot::arg(a) }))
        }
        tramp as *mut core::ffi::c_void
    }};
    (@fast $f:path) => {{
        unsafe extern "C" fn tramp(s: *mut pyrite_abi::PyObject, args: *const *mut pyrite_abi::PyObject, n: pyrite_abi::Py_ssize_t) -> *mut pyrite_abi::PyObject {
            // SAFETY: METH_FASTCALL contract: `n` live arguments.
            $crate::slot::ret_obj($f(unsafe { $crate::slot::arg(s) }, unsafe { $crate::objects::argparse::objs(args, n as usize) }))
        }
        tramp as *mut core::ffi::c_void
    }};
    (@def $name:literal, $flags:expr, $meth:expr) => {
        pyrite_abi::PyMethodDef { ml_name: $name.as_ptr(), ml_meth: $meth, ml_flags: $flags, ml_doc: core::ptr::null() }
    };
}

/// A NULL-terminated static `PyMethodDef` table: `method_table!(static NAME = [kind c"name" => f, ...]);`
#[macro_export]
macro_rules! method_table {
    ($vis:vis static $name:ident = [ $( $kind:ident $pyname:literal => $f:path ),* $(,)? ] $(;)?) => {
        $vis static $name: $crate::objects::type_::StaticTable<pyrite_abi::PyMethodDef, { 1 $(+ $crate::method_table!(@one $pyname))* }> =
            $crate::objects::type_::StaticTable(core::cell::UnsafeCell::new([
                $( $crate::method_def!($kind $pyname, $f), )*
                $crate::objects::argparse::METHOD_END,
            ]));
    };
    (@one $x:literal) => { 1 };
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// `_PyArg_CheckPositional`: "`name` expected at least 1 argument, got 0".
pub fn check_positional(name: &str, n: usize, min: usize, max: usize) -> PyResult<()> {
    if n < min {
        let q = if min == max { "" } else { "at least " };
        return Err(raise!(TypeError, "{} expected {}{} argument{}, got {}", name, q, min, plural(min), n));
    }
    if n > max {
        let q = if min == max { "" } else { "at most " };
        return Err(raise!(TypeError, "{} expected {}{} argument{}, got {}", name, q, max, plural(max), n));
    }
    Ok(())
}

/// `_PyArg_NoKwnames` / `_PyArg_NoKeywords`: "`name`() takes no keyword arguments".
pub fn no_kw(name: &str, kw: Kw) -> PyResult<()> {
    if kw.is_empty() { Ok(()) } else { Err(raise!(TypeError, "{}() takes no keyword arguments", name)) }
}

/// Whether a `tp_new`/`tp_init` keyword dict is absent or empty.
pub fn no_kw_dict(name: &str, kwds: Option<&Obj>) -> PyResult<()> {
    match kwds {
        Some(d) if crate::objects::dict::len(d) > 0 => Err(raise!(TypeError, "{}() takes no keyword arguments", name)),
        _ => Ok(()),
    }
}

/// A clinic signature: `params` in order; the first `posonly` are positional-only, the first
/// `maxpos` may be given positionally (the rest are keyword-only), the first `required` must be
/// given.
pub struct Sig {
    pub name: &'static str,
    pub params: &'static [&'static str],
    pub posonly: usize,
    pub maxpos: usize,
    pub required: usize,
}

/// `_PyArg_UnpackKeywords`: binds positional and keyword arguments to `sig`'s parameters.
pub fn parse<'a, const N: usize>(sig: &Sig, args: &[&'a Obj], kw: Kw<'a>) -> PyResult<[Option<&'a Obj>; N]> {
    debug_assert_eq!(sig.params.len(), N);
    let name = sig.name;
    let mut out: [Option<&'a Obj>; N] = [None; N];
    let total = args.len() + kw.names.len();
    if total > N {
        // "keyword" when only keywords were given (bpo-31229).
        return Err(raise!(
            TypeError,
            "{}() takes at most {} {}argument{} ({} given)",
            name,
            N,
            if args.is_empty() { "keyword " } else { "" },
            plural(N),
            total
        ));
    }
    if args.len() > sig.maxpos {
        return Err(if sig.maxpos == 0 {
            raise!(TypeError, "{}() takes no positional arguments", name)
        } else {
            raise!(
                TypeError,
                "{}() takes {} {} positional argument{} ({} given)",
                name,
                if sig.required < sig.maxpos { "at most" } else { "exactly" },
                sig.maxpos,
                plural(sig.maxpos),
                args.len()
            )
        });
    }
    let min_posonly = sig.posonly.min(sig.required);
    if args.len() < min_posonly {
        return Err(raise!(
            TypeError,
            "{}() takes {} {} positional argument{} ({} given)",
            name,
            if min_posonly < sig.maxpos { "at least" } else { "exactly" },
            min_posonly,
            plural(min_posonly),
            args.len()
        ));
    }
    for (i, a) in args.iter().enumerate() {
        out[i] = Some(*a);
    }
    if !kw.is_empty() && sig.posonly == N {
        return Err(raise!(TypeError, "{}() takes no keyword arguments", name));
    }
    let mut posonly_as_kw: Vec<String> = Vec::new();
    for (k, v) in kw.names.iter().zip(kw.values) {
        let key = unicode::as_str_lossy(k);
        match sig.params.iter().position(|p| *p == key) {
            Some(i) if i >= sig.posonly => {
                if out[i].is_some() {
                    return Err(raise!(TypeError, "argument for {}() given by name ('{}') and position ({})", name, key, i + 1));
                }
                out[i] = Some(*v);
            }
            Some(_) => posonly_as_kw.push(key.into_owned()),
            None => {
                return Err(raise!(TypeError, "{}() got an unexpected keyword argument '{}'", name, key));
            }
        }
    }
    if !posonly_as_kw.is_empty() {
        let list = posonly_as_kw.iter().map(|s| format!("'{s}'")).collect::<Vec<_>>().join(", ");
        return Err(raise!(
            TypeError,
            "{}() got some positional-only arguments passed as keyword arguments: {}",
            name,
            list
        ));
    }
    if let Some(i) = out[..sig.required].iter().position(Option::is_none) {
        return Err(raise!(TypeError, "{}() missing required argument '{}' (pos {})", name, sig.params[i], i + 1));
    }
    Ok(out)
}

/// Treats `None` like an omitted argument.
pub fn not_none(o: Option<&Obj>) -> Option<&Obj> {
    o.filter(|v| !v.is(none::none_obj()))
}

/// Clinic's `Py_ssize_t` converter (`PyNumber_Index` + `PyLong_AsSsize_t`).
pub fn ssize(o: &Obj) -> PyResult<isize> {
    let v = crate::abstract_::index(o)?;
    long::to_i64(&v).map(|x| x as isize).ok_or_else(|| raise!(OverflowError, "Python int too large to convert to C ssize_t"))
}

/// Clinic's `int` converter (`PyLong_AsInt` after `__index__`).
pub fn c_int(o: &Obj) -> PyResult<i32> {
    if crate::objects::float::check(o) {
        return Err(raise!(TypeError, "'float' object cannot be interpreted as an integer"));
    }
    let v = crate::abstract_::index(o)?;
    long::to_i64(&v)
        .and_then(|x| i32::try_from(x).ok())
        .ok_or_else(|| raise!(OverflowError, "Python int too large to convert to C int"))
}

/// `PyNumber_AsSsize_t(o, NULL)`: `__index__`, clamped to the `isize` range on overflow.
pub fn ssize_clamped(o: &Obj) -> PyResult<isize> {
    let v = crate::abstract_::index(o)?;
    Ok(match long::to_i64(&v) {
        Some(x) => x as isize,
        None if long::is_negative(&v) => isize::MIN,
        None => isize::MAX,
    })
}

/// Whether `o` can be used as an index (`_PyIndex_Check`: an int or a type with `nb_index`).
pub fn index_check(o: &Obj) -> bool {
    long::check(o)
        // SAFETY: reading a slot table of a live type.
        || unsafe { o.ob_type().slots().tp_as_number.as_ref() }.is_some_and(|nb| nb.nb_index.is_some())
}

/// `_PyEval_SliceIndex`: `None` is `None`; otherwise `__index__`, clamped to the `isize` range.
pub fn slice_index(o: Option<&Obj>) -> PyResult<Option<isize>> {
    match o {
        None => Ok(None),
        Some(v) if v.is(none::none_obj()) => Ok(None),
        Some(v) if index_check(v) => ssize_clamped(v).map(Some),
        Some(_) => Err(raise!(TypeError, "slice indices must be integers or None or have an __index__ method")),
    }
}

/// The start/end arguments of `str.find` & co.: `None` or `__index__`, with the message
/// those methods give.
pub fn find_index(o: Option<&Obj>) -> PyResult<Option<isize>> {
    match o {
        None => Ok(None),
        Some(v) if v.is(none::none_obj()) => Ok(None),
        Some(v) if index_check(v) => ssize_clamped(v).map(Some),
        Some(_) => Err(raise!(TypeError, "slice indices must be integers or have an __index__ method")),
    }
}

/// `_PyEval_SliceIndexNotNone` (start/stop of `index()` methods).
pub fn slice_index_not_none(o: Option<&Obj>) -> PyResult<Option<isize>> {
    match o {
        None => Ok(None),
        Some(v) if index_check(v) => ssize_clamped(v).map(Some),
        Some(_) => Err(raise!(TypeError, "slice indices must be integers or have an __index__ method")),
    }
}

/// Adjusts `start`/`end` arguments of `find`-like methods to `0..=len` (`ADJUST_INDICES`).
pub fn adjust_range(start: Option<isize>, end: Option<isize>, len: usize) -> (usize, usize) {
    let n = len as isize;
    let mut s = start.unwrap_or(0);
    let mut e = end.unwrap_or(isize::MAX);
    if e > n {
        e = n;
    } else if e < 0 {
        e += n;
        if e < 0 {
            e = 0;
        }
    }
    if s < 0 {
        s += n;
        if s < 0 {
            s = 0;
        }
    }
    (s as usize, e.max(0) as usize)
}

/// `_PyObject_LookupSpecial`: `name` looked up on the type and bound to `o`, or `None`.
pub fn lookup_special(o: &Obj, name: &str) -> PyResult<Option<crate::PyRef>> {
    let ty = o.ob_type();
    let Some(f) = ty.lookup_str(name).map(Obj::new_ref) else { return Ok(None) };
    match f.ob_type().slots().tp_descr_get {
        // SAFETY: a descriptor slot called with live arguments.
        Some(get) => unsafe { crate::slot::from_new(get(f.as_ptr(), o.as_ptr(), ty.as_ptr())) }.map(Some),
        None => Ok(Some(f)),
    }
}
