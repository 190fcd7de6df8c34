//! `_locale` (CPython's `Modules/_localemodule.c`) over the C library: `setlocale`,
//! `localeconv`, `nl_langinfo` and its constants, `getencoding`, `strcoll`/`strxfrm` (on wide
//! strings, as CPython), the `LC_*` categories and `locale.Error` — what `Lib/locale.py` is
//! built on. Strings the C library returns are decoded as UTF-8 (lossily): Pyrite's locales
//! are C or UTF-8 ones. The gettext functions are not here (`Lib/gettext.py` does not need them).

use core::ffi::{c_char, c_int, CStr};
use std::ffi::CString;
use std::sync::OnceLock;

use pyrite_abi::*;

use crate::err::{PyErr, PyResult};
use crate::method_table;
use crate::object::{Obj, PyRef, SyncPtr};
use crate::objects::argparse::{self, check_positional};
use crate::objects::type_::TypeObj;
use crate::objects::{dict, list, long, tuple, unicode};

pub fn create() -> PyResult<PyRef> {
    let m = super::native::new_module("_locale", LOCALE_FUNCTIONS.0.get() as *mut PyMethodDef)?;
    let d = crate::objects::module::dict_of(&m);
    dict::set_item_str(d, "Error", error_class())?;
    let mut ints: Vec<(&str, i64)> = vec![
        ("LC_CTYPE", libc::LC_CTYPE as i64),
        ("LC_TIME", libc::LC_TIME as i64),
        ("LC_COLLATE", libc::LC_COLLATE as i64),
        ("LC_MONETARY", libc::LC_MONETARY as i64),
        ("LC_MESSAGES", libc::LC_MESSAGES as i64),
        ("LC_NUMERIC", libc::LC_NUMERIC as i64),
        ("LC_ALL", libc::LC_ALL as i64),
        ("CHAR_MAX", c_char::MAX as i64),
    ];
    ints.extend(LANGINFO.iter().map(|(n, v)| (*n, *v as i64)));
    super::add_ints(&m, &ints)?;
    Ok(m)
}

method_table!(static LOCALE_FUNCTIONS = [
    fast c"setlocale" => setlocale,
    noargs c"localeconv" => localeconv,
    o c"nl_langinfo" => nl_langinfo,
    noargs c"getencoding" => getencoding,
    fast c"strcoll" => strcoll,
    o c"strxfrm" => strxfrm,
]);

/// The `nl_langinfo` keys CPython exposes on Linux.
const LANGINFO: &[(&str, libc::nl_item)] = &[
    ("CODESET", libc::CODESET),
    ("D_T_FMT", libc::D_T_FMT),
    ("D_FMT", libc::D_FMT),
    ("T_FMT", libc::T_FMT),
    ("T_FMT_AMPM", libc::T_FMT_AMPM),
    ("AM_STR", libc::AM_STR),
    ("PM_STR", libc::PM_STR),
    ("DAY_1", libc::DAY_1),
    ("DAY_2", libc::DAY_2),
    ("DAY_3", libc::DAY_3),
    ("DAY_4", libc::DAY_4),
    ("DAY_5", libc::DAY_5),
    ("DAY_6", libc::DAY_6),
    ("DAY_7", libc::DAY_7),
    ("ABDAY_1", libc::ABDAY_1),
    ("ABDAY_2", libc::ABDAY_2),
    ("ABDAY_3", libc::ABDAY_3),
    ("ABDAY_4", libc::ABDAY_4),
    ("ABDAY_5", libc::ABDAY_5),
    ("ABDAY_6", libc::ABDAY_6),
    ("ABDAY_7", libc::ABDAY_7),
    ("MON_1", libc::MON_1),
    ("MON_2", libc::MON_2),
    ("MON_3", libc::MON_3),
    ("MON_4", libc::MON_4),
    ("MON_5", libc::MON_5),
    ("MON_6", libc::MON_6),
    ("MON_7", libc::MON_7),
    ("MON_8", libc::MON_8),
    ("MON_9", libc::MON_9),
    ("MON_10", libc::MON_10),
    ("MON_11", libc::MON_11),
    ("MON_12", libc::MON_12),
    ("ABMON_1", libc::ABMON_1),
    ("ABMON_2", libc::ABMON_2),
    ("ABMON_3", libc::ABMON_3),
    ("ABMON_4", libc::ABMON_4),
    ("ABMON_5", libc::ABMON_5),
    ("ABMON_6", libc::ABMON_6),
    ("ABMON_7", libc::ABMON_7),
    ("ABMON_8", libc::ABMON_8),
    ("ABMON_9", libc::ABMON_9),
    ("ABMON_10", libc::ABMON_10),
    ("ABMON_11", libc::ABMON_11),
    ("ABMON_12", libc::ABMON_12),
    ("RADIXCHAR", libc::RADIXCHAR),
    ("THOUSEP", libc::THOUSEP),
    ("YESEXPR", libc::YESEXPR),
    ("NOEXPR", libc::NOEXPR),
    ("CRNCYSTR", libc::CRNCYSTR),
    ("ERA", libc::ERA),
    ("ERA_D_FMT", libc::ERA_D_FMT),
    ("ERA_D_T_FMT", libc::ERA_D_T_FMT),
    ("ERA_T_FMT", libc::ERA_T_FMT),
    ("ALT_DIGITS", libc::ALT_DIGITS),
    // glibc's `_DATE_FMT` (the format of date(1)).
    ("_DATE_FMT", 0x2006c),
];

/// `locale.Error`, an `Exception` subclass.
fn error_class() -> &'static Obj {
    static C: OnceLock<SyncPtr<PyObject>> = OnceLock::new();
    let p = C.get_or_init(|| {
        let ns = dict::new();
        dict::set_item_str(&ns, "__module__", &unicode::new("locale")).expect("dict insert");
        let cls = crate::abstract_::call(
            &crate::objects::type_::PyType_Type,
            &tuple::new_from(&[&*unicode::new("Error"), &*tuple::new_from(&[crate::objects::exceptions::Exception()]), &*ns]),
            None,
        )
        .expect("creating locale.Error");
        SyncPtr(crate::object::make_immortal(cls))
    });
    // SAFETY: the class is immortal.
    unsafe { Obj::from_ptr(p.0) }
}

fn error(msg: &str) -> PyErr {
    PyErr::from_type_and_arg(TypeObj::downcast(error_class()).expect("a class"), &unicode::new(msg))
}

/// A C string the C library returned, as a str.
///
/// # Safety
/// `p` is NULL or a NUL-terminated string.
unsafe fn decode(p: *const c_char) -> PyRef {
    if p.is_null() {
        return unicode::new("");
    }
    // SAFETY: guaranteed by the caller.
    let b = unsafe { CStr::from_ptr(p) }.to_bytes();
    unicode::new(&String::from_utf8_lossy(b))
}

fn c_string(s: &Obj) -> PyResult<CString> {
    let s = unicode::as_str(s)?;
    CString::new(s).map_err(|_| raise!(ValueError, "embedded null character"))
}

fn setlocale(_m: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    check_positional("setlocale", a.len(), 1, 2)?;
    let category = argparse::c_int(a[0])?;
    let loc = match argparse::not_none(a.get(1).copied()) {
        None => None,
        Some(l) if unicode::check(l) => Some(c_string(l)?),
        Some(l) => return Err(raise!(TypeError, "setlocale() argument 2 must be str or None, not {}", l.ob_type().name())),
    };
    // SAFETY: setlocale with a valid C string or NULL; the result is copied at once.
    let r = unsafe { libc::setlocale(category, loc.as_ref().map_or(core::ptr::null(), |c| c.as_ptr())) };
    if r.is_null() {
        return Err(error(if loc.is_some() { "unsupported locale setting" } else { "locale query failed" }));
    }
    // SAFETY: a NUL-terminated string from the C library.
    Ok(unsafe { decode(r) })
}

/// A `grouping` string as CPython lists it: the sizes up to and including the terminating
/// 0 or `CHAR_MAX` (empty for an empty string).
///
/// # Safety
/// `p` is a NUL-terminated string.
unsafe fn grouping(p: *const c_char) -> PyRef {
    // SAFETY: guaranteed by the caller.
    let b = unsafe { CStr::from_ptr(p) }.to_bytes_with_nul();
    if b[0] == 0 {
        return list::new();
    }
    let mut items = Vec::new();
    for &c in b {
        items.push(long::from_i64(c as c_char as i64));
        if c == 0 || c as c_char == c_char::MAX {
            break;
        }
    }
    list::new_from_owned(items)
}

fn localeconv(_m: &Obj) -> PyResult<PyRef> {
    let d = dict::new();
    // SAFETY: localeconv returns a static struct valid until the next locale call; every field
    // is read here, under the GIL.
    unsafe {
        let lc = &*libc::localeconv();
        let strs: [(&str, *const c_char); 7] = [
            ("int_curr_symbol", lc.int_curr_symbol),
            ("currency_symbol", lc.currency_symbol),
            ("mon_decimal_point", lc.mon_decimal_point),
            ("mon_thousands_sep", lc.mon_thousands_sep),
            ("positive_sign", lc.positive_sign),
            ("negative_sign", lc.negative_sign),
            ("decimal_point", lc.decimal_point),
        ];
        for (k, v) in &strs[..6] {
            dict::set_item_str(&d, k, &decode(*v))?;
        }
        dict::set_item_str(&d, "mon_grouping", &grouping(lc.mon_grouping))?;
        let chars: [(&str, c_char); 8] = [
            ("int_frac_digits", lc.int_frac_digits),
            ("frac_digits", lc.frac_digits),
            ("p_cs_precedes", lc.p_cs_precedes),
            ("p_sep_by_space", lc.p_sep_by_space),
            ("n_cs_precedes", lc.n_cs_precedes),
            ("n_sep_by_space", lc.n_sep_by_space),
            ("p_sign_posn", lc.p_sign_posn),
            ("n_sign_posn", lc.n_sign_posn),
        ];
        for (k, v) in chars {
            dict::set_item_str(&d, k, &long::from_i64(v as i64))?;
        }
        dict::set_item_str(&d, "decimal_point", &decode(strs[6].1))?;
        dict::set_item_str(&d, "thousands_sep", &decode(lc.thousands_sep))?;
        dict::set_item_str(&d, "grouping", &grouping(lc.grouping))?;
    }
    Ok(d)
}

fn nl_langinfo(_m: &Obj, key: &Obj) -> PyResult<PyRef> {
    let k = argparse::c_int(key)?;
    if !LANGINFO.iter().any(|(_, v)| *v == k) {
        return Err(raise!(ValueError, "unsupported langinfo constant"));
    }
    // SAFETY: a known item; the result is copied at once.
    Ok(unsafe { decode(libc::nl_langinfo(k)) })
}

/// `getencoding()`: the locale's encoding (`nl_langinfo(CODESET)`), "UTF-8" when that is
/// empty, as CPython's `_Py_GetLocaleEncoding`.
fn getencoding(_m: &Obj) -> PyResult<PyRef> {
    // SAFETY: CODESET is a valid item; copied at once.
    let enc = unsafe { decode(libc::nl_langinfo(libc::CODESET)) };
    if unicode::len(&enc) == 0 {
        return Ok(unicode::new("UTF-8"));
    }
    Ok(enc)
}

/// A str as a NUL-terminated wide string (`wchar_t` is UCS-4 here).
fn wide(s: &Obj, name: &str, n: usize) -> PyResult<Vec<libc::wchar_t>> {
    if !unicode::check(s) {
        return Err(raise!(TypeError, "{}() argument {} must be str, not {}", name, n, s.ob_type().name()));
    }
    let mut w: Vec<libc::wchar_t> = unicode::chars(s).map(|c| c as libc::wchar_t).collect();
    if w.contains(&0) {
        return Err(raise!(ValueError, "embedded null character"));
    }
    w.push(0);
    Ok(w)
}

unsafe extern "C" {
    fn wcscoll(a: *const libc::wchar_t, b: *const libc::wchar_t) -> c_int;
    fn wcsxfrm(dest: *mut libc::wchar_t, src: *const libc::wchar_t, n: libc::size_t) -> libc::size_t;
}

fn strcoll(_m: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    check_positional("strcoll", a.len(), 2, 2)?;
    let (x, y) = (wide(a[0], "strcoll", 1)?, wide(a[1], "strcoll", 2)?);
    // SAFETY: two NUL-terminated wide strings.
    Ok(long::from_i64(unsafe { wcscoll(x.as_ptr(), y.as_ptr()) } as i64))
}

fn strxfrm(_m: &Obj, s: &Obj) -> PyResult<PyRef> {
    let w = wide(s, "strxfrm", 1)?;
    // SAFETY: a NUL-terminated source; the first call only measures, the second writes at
    // most `n + 1` units into a buffer of that size.
    let out = unsafe {
        let n = wcsxfrm(core::ptr::null_mut(), w.as_ptr(), 0);
        let mut buf: Vec<libc::wchar_t> = vec![0; n + 1];
        wcsxfrm(buf.as_mut_ptr(), w.as_ptr(), n + 1);
        buf.truncate(n);
        buf
    };
    let cps: Vec<u32> = out.iter().map(|c| *c as u32).collect();
    if cps.iter().any(|c| *c > 0x10ffff) {
        return Err(raise!(ValueError, "character out of range"));
    }
    Ok(unicode::from_code_points(&cps))
}
