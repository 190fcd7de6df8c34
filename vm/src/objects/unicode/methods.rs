//! `str`'s methods and constructor, `ord`/`chr`, and the codecs built into the VM (UTF-8,
//! ASCII, Latin-1) with the standard error handlers. Messages are CPython 3.15's.

use pyrite_abi::*;

use super::{case, check, check_exact, code_points, ctype, from_code_points, len, stringlib, PyUnicode_Type};
use crate::err::PyResult;
use crate::object::{Obj, PyRef};
use crate::objects::argparse::{self, check_positional, Kw, Sig};
use super::stringlib::Justify;
use crate::objects::type_::TypeObj;
use crate::objects::{bool_, bytes, dict, exceptions as exc, iterobject, list, long, none, tuple};
use crate::slot::{arg, opt_arg, ret_obj};

crate::method_table!(pub(super) static UNICODE_METHODS = [
    kw c"encode" => m_encode,
    kw c"replace" => m_replace,
    kw c"format" => m_format,
    o c"format_map" => m_format_map,
    o c"__format__" => m_format_spec,
    kw c"split" => m_split,
    kw c"rsplit" => m_rsplit,
    o c"join" => m_join,
    noargs c"capitalize" => m_capitalize,
    noargs c"casefold" => m_casefold,
    noargs c"title" => m_title,
    fast c"center" => m_center,
    fast c"count" => m_count,
    kw c"expandtabs" => m_expandtabs,
    fast c"find" => m_find,
    o c"partition" => m_partition,
    fast c"index" => m_index,
    fast c"ljust" => m_ljust,
    noargs c"lower" => m_lower,
    fast c"lstrip" => m_lstrip,
    fast c"rfind" => m_rfind,
    fast c"rindex" => m_rindex,
    fast c"rjust" => m_rjust,
    fast c"rstrip" => m_rstrip,
    o c"rpartition" => m_rpartition,
    kw c"splitlines" => m_splitlines,
    fast c"strip" => m_strip,
    noargs c"swapcase" => m_swapcase,
    o c"translate" => m_translate,
    noargs c"upper" => m_upper,
    fast c"startswith" => m_startswith,
    fast c"endswith" => m_endswith,
    o c"removeprefix" => m_removeprefix,
    o c"removesuffix" => m_removesuffix,
    noargs c"isascii" => m_isascii,
    noargs c"islower" => m_islower,
    noargs c"isupper" => m_isupper,
    noargs c"istitle" => m_istitle,
    noargs c"isspace" => m_isspace,
    noargs c"isdecimal" => m_isdecimal,
    noargs c"isdigit" => m_isdigit,
    noargs c"isnumeric" => m_isnumeric,
    noargs c"isalpha" => m_isalpha,
    noargs c"isalnum" => m_isalnum,
    noargs c"isidentifier" => m_isidentifier,
    noargs c"isprintable" => m_isprintable,
    o c"zfill" => m_zfill,
    static_kw c"maketrans" => m_maketrans,
    noargs c"__getnewargs__" => m_getnewargs,
]);

fn s(cps: &[u32]) -> PyRef {
    from_code_points(cps)
}

/// `self` unchanged: the object itself for an exact str, else an exact copy.
fn same(o: &Obj) -> PyRef {
    if check_exact(o) { o.new_ref() } else { s(&code_points(o)) }
}

/// Clinic's `str` converter: "`f`() argument `which` must be str, not int".
fn str_param<'a>(f: &str, which: &str, o: &'a Obj) -> PyResult<&'a Obj> {
    if check(o) { Ok(o) } else { Err(raise!(TypeError, "{}() argument {} must be str, not {}", f, which, o.ob_type().name())) }
}

/// A substring argument: "must be str, not int".
fn sub_param(o: &Obj) -> PyResult<&Obj> {
    if check(o) { Ok(o) } else { Err(raise!(TypeError, "must be str, not {}", o.ob_type().name())) }
}

fn list_of(o: &[u32], ranges: Vec<core::ops::Range<usize>>) -> PyRef {
    list::new_from_owned(ranges.into_iter().map(|r| s(&o[r])).collect())
}

// ---- case -----------------------------------------------------------------------------------

/// `lower_ucs4`: the lowercase of `cps[i]`, with the final-sigma rule for U+03A3.
fn lower_at(cps: &[u32], i: usize, out: &mut Vec<u32>) {
    if cps[i] != 0x3a3 {
        return case::lower(cps[i], out);
    }
    // Final sigma: after a cased letter and not before one, case-ignorables skipped.
    let before = cps[..i].iter().rev().find(|&&c| !ctype::is_case_ignorable(c));
    let mut final_sigma = before.is_some_and(|&c| ctype::is_cased(c));
    if final_sigma {
        let after = cps[i + 1..].iter().find(|&&c| !ctype::is_case_ignorable(c));
        final_sigma = after.is_none_or(|&c| !ctype::is_cased(c));
    }
    out.push(if final_sigma { 0x3c2 } else { 0x3c3 });
}

pub fn lower(o: &Obj) -> PyRef {
    let cps = code_points(o);
    let mut out = Vec::with_capacity(cps.len());
    for i in 0..cps.len() {
        lower_at(&cps, i, &mut out);
    }
    s(&out)
}

pub fn upper(o: &Obj) -> PyRef {
    let mut out = Vec::with_capacity(len(o));
    for c in code_points(o) {
        case::upper(c, &mut out);
    }
    s(&out)
}

fn m_lower(o: &Obj) -> PyResult<PyRef> {
    Ok(lower(o))
}

fn m_upper(o: &Obj) -> PyResult<PyRef> {
    Ok(upper(o))
}

fn m_casefold(o: &Obj) -> PyResult<PyRef> {
    let mut out = Vec::with_capacity(len(o));
    for c in code_points(o) {
        case::fold(c, &mut out);
    }
    Ok(s(&out))
}

fn m_title(o: &Obj) -> PyResult<PyRef> {
    let cps = code_points(o);
    let mut out = Vec::with_capacity(cps.len());
    let mut prev_cased = false;
    for (i, &c) in cps.iter().enumerate() {
        if prev_cased { lower_at(&cps, i, &mut out) } else { case::title(c, &mut out) }
        prev_cased = ctype::is_cased(c);
    }
    Ok(s(&out))
}

fn m_capitalize(o: &Obj) -> PyResult<PyRef> {
    let cps = code_points(o);
    let mut out = Vec::with_capacity(cps.len());
    if let Some(&first) = cps.first() {
        case::title(first, &mut out);
        for i in 1..cps.len() {
            lower_at(&cps, i, &mut out);
        }
    }
    Ok(s(&out))
}

fn m_swapcase(o: &Obj) -> PyResult<PyRef> {
    let cps = code_points(o);
    let mut out = Vec::with_capacity(cps.len());
    for (i, &c) in cps.iter().enumerate() {
        if ctype::is_upper(c) {
            lower_at(&cps, i, &mut out);
        } else if ctype::is_lower(c) {
            case::upper(c, &mut out);
        } else {
            out.push(c);
        }
    }
    Ok(s(&out))
}

// ---- predicates -----------------------------------------------------------------------------

fn all_nonempty(o: &Obj, f: fn(u32) -> bool) -> PyResult<PyRef> {
    let cps = code_points(o);
    Ok(bool_::new(!cps.is_empty() && cps.iter().all(|&c| f(c))))
}

fn m_isascii(o: &Obj) -> PyResult<PyRef> {
    Ok(bool_::new(super::is_ascii(o)))
}
fn m_isspace(o: &Obj) -> PyResult<PyRef> {
    all_nonempty(o, ctype::is_space)
}
fn m_isdecimal(o: &Obj) -> PyResult<PyRef> {
    all_nonempty(o, ctype::is_decimal)
}
fn m_isdigit(o: &Obj) -> PyResult<PyRef> {
    all_nonempty(o, ctype::is_digit)
}
fn m_isnumeric(o: &Obj) -> PyResult<PyRef> {
    all_nonempty(o, ctype::is_numeric)
}
fn m_isalpha(o: &Obj) -> PyResult<PyRef> {
    all_nonempty(o, ctype::is_alpha)
}
fn m_isalnum(o: &Obj) -> PyResult<PyRef> {
    all_nonempty(o, ctype::is_alnum)
}
fn m_isprintable(o: &Obj) -> PyResult<PyRef> {
    Ok(bool_::new(code_points(o).iter().all(|&c| ctype::is_printable(c))))
}

/// `str.isidentifier()` (`PyUnicode_IsIdentifier`).
pub fn is_identifier(o: &Obj) -> bool {
    let cps = code_points(o);
    match cps.split_first() {
        None => false,
        Some((&first, rest)) => (ctype::is_xid_start(first) || first == 0x5f) && rest.iter().all(|&c| ctype::is_xid_continue(c)),
    }
}

fn m_isidentifier(o: &Obj) -> PyResult<PyRef> {
    Ok(bool_::new(is_identifier(o)))
}

fn m_islower(o: &Obj) -> PyResult<PyRef> {
    let mut cased = false;
    for c in code_points(o) {
        if ctype::is_upper(c) || ctype::is_titlecase(c) {
            return Ok(bool_::new(false));
        }
        cased |= ctype::is_lower(c);
    }
    Ok(bool_::new(cased))
}

fn m_isupper(o: &Obj) -> PyResult<PyRef> {
    let mut cased = false;
    for c in code_points(o) {
        if ctype::is_lower(c) || ctype::is_titlecase(c) {
            return Ok(bool_::new(false));
        }
        cased |= ctype::is_upper(c);
    }
    Ok(bool_::new(cased))
}

fn m_istitle(o: &Obj) -> PyResult<PyRef> {
    let (mut cased, mut prev_cased) = (false, false);
    for c in code_points(o) {
        if ctype::is_upper(c) || ctype::is_titlecase(c) {
            if prev_cased {
                return Ok(bool_::new(false));
            }
            prev_cased = true;
            cased = true;
        } else if ctype::is_lower(c) {
            if !prev_cased {
                return Ok(bool_::new(false));
            }
            prev_cased = true;
            cased = true;
        } else {
            prev_cased = false;
        }
    }
    Ok(bool_::new(cased))
}

// ---- searching ------------------------------------------------------------------------------

/// `sub[, start[, end]]` of `find`, `count`, ...: the substring's code points and the range.
fn find_args(name: &str, o: &Obj, args: &[&Obj]) -> PyResult<(Vec<u32>, Vec<u32>, usize, usize)> {
    check_positional(name, args.len(), 1, 3)?;
    let sub = str_param(name, "1", args[0])?;
    let start = argparse::find_index(args.get(1).copied())?;
    let end = argparse::find_index(args.get(2).copied())?;
    let hay = code_points(o);
    let (a, b) = argparse::adjust_range(start, end, hay.len());
    Ok((hay, code_points(sub), a, b))
}

fn m_find(o: &Obj, args: &[&Obj]) -> PyResult<PyRef> {
    let (hay, sub, a, b) = find_args("find", o, args)?;
    Ok(long::from_i64(stringlib::find(&hay, &sub, a, b).map_or(-1, |i| i as i64)))
}

fn m_rfind(o: &Obj, args: &[&Obj]) -> PyResult<PyRef> {
    let (hay, sub, a, b) = find_args("rfind", o, args)?;
    Ok(long::from_i64(stringlib::rfind(&hay, &sub, a, b).map_or(-1, |i| i as i64)))
}

fn m_index(o: &Obj, args: &[&Obj]) -> PyResult<PyRef> {
    let (hay, sub, a, b) = find_args("index", o, args)?;
    match stringlib::find(&hay, &sub, a, b) {
        Some(i) => Ok(long::from_i64(i as i64)),
        None => Err(raise!(ValueError, "substring not found")),
    }
}

fn m_rindex(o: &Obj, args: &[&Obj]) -> PyResult<PyRef> {
    let (hay, sub, a, b) = find_args("rindex", o, args)?;
    match stringlib::rfind(&hay, &sub, a, b) {
        Some(i) => Ok(long::from_i64(i as i64)),
        None => Err(raise!(ValueError, "substring not found")),
    }
}

fn m_count(o: &Obj, args: &[&Obj]) -> PyResult<PyRef> {
    let (hay, sub, a, b) = find_args("count", o, args)?;
    Ok(long::from_i64(stringlib::count(&hay, &sub, a, b, usize::MAX) as i64))
}

/// `startswith`/`endswith` for one candidate (`tailmatch`).
fn tailmatch(hay: &[u32], sub: &[u32], start: usize, end: usize, suffix: bool) -> bool {
    let end = end.min(hay.len());
    if start > end || end - start < sub.len() {
        return false;
    }
    if suffix { hay[end - sub.len()..end] == *sub } else { hay[start..start + sub.len()] == *sub }
}

fn starts_ends(name: &str, o: &Obj, args: &[&Obj], suffix: bool) -> PyResult<PyRef> {
    check_positional(name, args.len(), 1, 3)?;
    let start = argparse::find_index(args.get(1).copied())?;
    let end = argparse::find_index(args.get(2).copied())?;
    let hay = code_points(o);
    let (a, b) = argparse::adjust_range(start, end, hay.len());
    if let Some(items) = tuple::as_slice_if_tuple(args[0]) {
        for it in items {
            if !check(it) {
                return Err(raise!(TypeError, "tuple for {} must only contain str, not {}", name, it.ob_type().name()));
            }
            if tailmatch(&hay, &code_points(it), a, b, suffix) {
                return Ok(bool_::new(true));
            }
        }
        return Ok(bool_::new(false));
    }
    if !check(args[0]) {
        return Err(raise!(TypeError, "{} first arg must be str or a tuple of str, not {}", name, args[0].ob_type().name()));
    }
    Ok(bool_::new(tailmatch(&hay, &code_points(args[0]), a, b, suffix)))
}

fn m_startswith(o: &Obj, args: &[&Obj]) -> PyResult<PyRef> {
    starts_ends("startswith", o, args, false)
}

fn m_endswith(o: &Obj, args: &[&Obj]) -> PyResult<PyRef> {
    starts_ends("endswith", o, args, true)
}

// ---- splitting and joining ------------------------------------------------------------------

static SPLIT_SIG: Sig = Sig { name: "split", params: &["sep", "maxsplit"], posonly: 0, maxpos: 2, required: 0 };
static RSPLIT_SIG: Sig = Sig { name: "rsplit", params: &["sep", "maxsplit"], posonly: 0, maxpos: 2, required: 0 };

fn split_impl(o: &Obj, args: &[&Obj], kw: Kw, right: bool) -> PyResult<PyRef> {
    let [sep, maxsplit] = argparse::parse(if right { &RSPLIT_SIG } else { &SPLIT_SIG }, args, kw)?;
    let max = match maxsplit {
        Some(m) => argparse::ssize(m)?,
        None => -1,
    };
    let max = if max < 0 { usize::MAX } else { max as usize };
    let cps = code_points(o);
    let ranges = match argparse::not_none(sep) {
        None if right => stringlib::rsplit_whitespace(&cps, ctype::is_space, max),
        None => stringlib::split_whitespace(&cps, ctype::is_space, max),
        Some(sep) => {
            if !check(sep) {
                return Err(raise!(TypeError, "must be str or None, not {}", sep.ob_type().name()));
            }
            let sep = code_points(sep);
            if sep.is_empty() {
                return Err(raise!(ValueError, "empty separator"));
            }
            if right { stringlib::rsplit_sep(&cps, &sep, max) } else { stringlib::split_sep(&cps, &sep, max) }
        }
    };
    Ok(list_of(&cps, ranges))
}

fn m_split(o: &Obj, args: &[&Obj], kw: Kw) -> PyResult<PyRef> {
    split_impl(o, args, kw, false)
}

fn m_rsplit(o: &Obj, args: &[&Obj], kw: Kw) -> PyResult<PyRef> {
    split_impl(o, args, kw, true)
}

/// `sep.join(iterable)`.
pub fn join(sep: &Obj, iterable: &Obj) -> PyResult<PyRef> {
    let items = iterobject::fast_items(iterable, "can only join an iterable")?;
    if items.len() == 1 && items[0].is_exact(&PyUnicode_Type) {
        return Ok(items[0].clone());
    }
    if let Some((i, it)) = items.iter().enumerate().find(|(_, it)| !check(it)) {
        return Err(raise!(TypeError, "sequence item {}: expected str instance, {} found", i, it.ob_type().name()));
    }
    let parts: Vec<&Obj> = items.iter().map(|p| &**p).collect();
    Ok(super::joined(&parts, Some(sep)))
}

fn m_join(o: &Obj, iterable: &Obj) -> PyResult<PyRef> {
    join(o, iterable)
}

static SPLITLINES_SIG: Sig = Sig { name: "splitlines", params: &["keepends"], posonly: 0, maxpos: 1, required: 0 };

fn m_splitlines(o: &Obj, args: &[&Obj], kw: Kw) -> PyResult<PyRef> {
    let [keepends] = argparse::parse(&SPLITLINES_SIG, args, kw)?;
    let keep = match keepends {
        Some(k) => crate::abstract_::is_true(k)?,
        None => false,
    };
    let cps = code_points(o);
    Ok(list_of(&cps, stringlib::splitlines(&cps, ctype::is_linebreak, keep)))
}

fn partition_impl(o: &Obj, sep: &Obj, right: bool) -> PyResult<PyRef> {
    let sep = sub_param(sep)?;
    let (cps, sc) = (code_points(o), code_points(sep));
    if sc.is_empty() {
        return Err(raise!(ValueError, "empty separator"));
    }
    let found = if right { stringlib::rfind(&cps, &sc, 0, cps.len()) } else { stringlib::find(&cps, &sc, 0, cps.len()) };
    let empty = || s(&[]);
    Ok(match found {
        Some(i) => tuple::new_from_owned(vec![s(&cps[..i]), sep.new_ref(), s(&cps[i + sc.len()..])]),
        None if right => tuple::new_from_owned(vec![empty(), empty(), same(o)]),
        None => tuple::new_from_owned(vec![same(o), empty(), empty()]),
    })
}

fn m_partition(o: &Obj, sep: &Obj) -> PyResult<PyRef> {
    partition_impl(o, sep, false)
}

fn m_rpartition(o: &Obj, sep: &Obj) -> PyResult<PyRef> {
    partition_impl(o, sep, true)
}

// ---- transforming ---------------------------------------------------------------------------

static REPLACE_SIG: Sig = Sig { name: "replace", params: &["old", "new", "count"], posonly: 2, maxpos: 3, required: 2 };

/// `s.replace(old, new, count)` (`count < 0`: all).
pub fn replace(o: &Obj, old: &Obj, new: &Obj, count: isize) -> PyRef {
    let count = if count < 0 { usize::MAX } else { count as usize };
    s(&stringlib::replace(&code_points(o), &code_points(old), &code_points(new), count))
}

/// `str.format(*args, **kwargs)` (`vm/src/format.rs`).
fn m_format_map(o: &Obj, mapping: &Obj) -> PyResult<PyRef> {
    crate::format::str_format_map(o, mapping)
}

fn m_format(o: &Obj, args: &[&Obj], kw: Kw) -> PyResult<PyRef> {
    crate::format::str_format(o, args, kw)
}

fn m_replace(o: &Obj, args: &[&Obj], kw: Kw) -> PyResult<PyRef> {
    let [old, new, count] = argparse::parse(&REPLACE_SIG, args, kw)?;
    let old = str_param("replace", "1", old.unwrap())?;
    let new = str_param("replace", "2", new.unwrap())?;
    let count = match count {
        Some(c) => argparse::ssize(c)?,
        None => -1,
    };
    Ok(replace(o, old, new, count))
}

fn strip_impl(name: &str, o: &Obj, args: &[&Obj], left: bool, right: bool) -> PyResult<PyRef> {
    check_positional(name, args.len(), 0, 1)?;
    let cps = code_points(o);
    let r = match argparse::not_none(args.first().copied()) {
        None => stringlib::strip(&cps, left, right, ctype::is_space),
        Some(chars) if check(chars) => {
            let set = code_points(chars);
            stringlib::strip(&cps, left, right, |c| set.contains(&c))
        }
        Some(_) => return Err(raise!(TypeError, "{} arg must be None or str", name)),
    };
    if r.start == 0 && r.end == cps.len() {
        return Ok(same(o));
    }
    Ok(s(&cps[r]))
}

fn m_strip(o: &Obj, args: &[&Obj]) -> PyResult<PyRef> {
    strip_impl("strip", o, args, true, true)
}
fn m_lstrip(o: &Obj, args: &[&Obj]) -> PyResult<PyRef> {
    strip_impl("lstrip", o, args, true, false)
}
fn m_rstrip(o: &Obj, args: &[&Obj]) -> PyResult<PyRef> {
    strip_impl("rstrip", o, args, false, true)
}

fn justify(name: &str, o: &Obj, args: &[&Obj], how: Justify) -> PyResult<PyRef> {
    check_positional(name, args.len(), 1, 2)?;
    let width = argparse::ssize(args[0])?;
    let fill = match args.get(1) {
        Some(f) => {
            if !check(f) {
                return Err(raise!(TypeError, "The fill character must be a unicode character, not {}", f.ob_type().name()));
            }
            if len(f) != 1 {
                return Err(raise!(TypeError, "The fill character must be exactly one character long"));
            }
            super::char_at(f, 0)
        }
        None => 0x20,
    };
    let cps = code_points(o);
    let Some((l, r)) = stringlib::pad_counts(cps.len(), width, how) else { return Ok(same(o)) };
    let mut out = vec![fill; l];
    out.extend_from_slice(&cps);
    out.extend(core::iter::repeat_n(fill, r));
    Ok(s(&out))
}

fn m_center(o: &Obj, args: &[&Obj]) -> PyResult<PyRef> {
    justify("center", o, args, Justify::Center)
}
fn m_ljust(o: &Obj, args: &[&Obj]) -> PyResult<PyRef> {
    justify("ljust", o, args, Justify::Left)
}
fn m_rjust(o: &Obj, args: &[&Obj]) -> PyResult<PyRef> {
    justify("rjust", o, args, Justify::Right)
}

fn m_zfill(o: &Obj, width: &Obj) -> PyResult<PyRef> {
    let width = argparse::ssize(width)?;
    let cps = code_points(o);
    if width <= cps.len() as isize {
        return Ok(same(o));
    }
    Ok(s(&stringlib::zfill(&cps, width)))
}

static EXPANDTABS_SIG: Sig = Sig { name: "expandtabs", params: &["tabsize"], posonly: 0, maxpos: 1, required: 0 };

fn m_expandtabs(o: &Obj, args: &[&Obj], kw: Kw) -> PyResult<PyRef> {
    let [tabsize] = argparse::parse(&EXPANDTABS_SIG, args, kw)?;
    let tabsize = match tabsize {
        Some(t) => argparse::c_int(t)? as isize,
        None => 8,
    };
    Ok(s(&stringlib::expandtabs(&code_points(o), tabsize)))
}

fn affix(o: &Obj, a: &Obj, name: &str, suffix: bool) -> PyResult<PyRef> {
    if !check(a) {
        return Err(raise!(TypeError, "{}() argument must be str, not {}", name, a.ob_type().name()));
    }
    let (cps, ac) = (code_points(o), code_points(a));
    if !ac.is_empty() && tailmatch(&cps, &ac, 0, cps.len(), suffix) {
        return Ok(if suffix { s(&cps[..cps.len() - ac.len()]) } else { s(&cps[ac.len()..]) });
    }
    Ok(same(o))
}

fn m_removeprefix(o: &Obj, a: &Obj) -> PyResult<PyRef> {
    affix(o, a, "removeprefix", false)
}

fn m_removesuffix(o: &Obj, a: &Obj) -> PyResult<PyRef> {
    affix(o, a, "removesuffix", true)
}

fn m_getnewargs(o: &Obj) -> PyResult<PyRef> {
    Ok(tuple::new_from_owned(vec![s(&code_points(o))]))
}

/// `str.translate(table)`: `table[ord(c)]` is an int, a str or None (delete); a missing key
/// (`LookupError`) keeps the character.
fn m_translate(o: &Obj, table: &Obj) -> PyResult<PyRef> {
    let mut out = Vec::with_capacity(len(o));
    for c in code_points(o) {
        match crate::abstract_::getitem(table, &long::from_i64(c as i64)) {
            Ok(v) => {
                if v.is(none::none_obj()) {
                    continue;
                }
                if long::check(&v) {
                    match long::to_i64(&v) {
                        Some(x) if (0..0x110000).contains(&x) => out.push(x as u32),
                        _ => return Err(raise!(ValueError, "character mapping must be in range(0x110000)")),
                    }
                } else if check(&v) {
                    out.extend(super::chars(&v));
                } else {
                    return Err(raise!(TypeError, "character mapping must return integer, None or str"));
                }
            }
            Err(e) if e.is_instance(exc::LookupError()) => out.push(c),
            Err(e) => return Err(e),
        }
    }
    Ok(s(&out))
}

/// `str.maketrans(x[, y[, z]])`.
fn m_maketrans(args: &[&Obj], kw: Kw) -> PyResult<PyRef> {
    argparse::no_kw("str.maketrans", kw)?;
    check_positional("maketrans", args.len(), 1, 3)?;
    let d = dict::new();
    if args.len() == 1 {
        let x = args[0];
        if !dict::check(x) {
            return Err(raise!(TypeError, "if you give only one argument to maketrans it must be a dict"));
        }
        for (k, v) in dict::items_vec(x) {
            if check(&k) {
                if len(&k) != 1 {
                    return Err(raise!(ValueError, "string keys in translatetable must be of length 1"));
                }
                dict::set_item(&d, &long::from_i64(super::char_at(&k, 0) as i64), &v)?;
            } else if long::check(&k) {
                dict::set_item(&d, &k, &v)?;
            } else {
                return Err(raise!(TypeError, "keys in translate table must be strings or integers"));
            }
        }
        return Ok(d);
    }
    let (x, y) = (args[0], args[1]);
    if !check(x) {
        return Err(raise!(TypeError, "first maketrans argument must be a string if there is a second argument"));
    }
    if !check(y) {
        return Err(raise!(TypeError, "maketrans() argument 2 must be str, not {}", y.ob_type().name()));
    }
    if len(x) != len(y) {
        return Err(raise!(ValueError, "the first two maketrans arguments must have equal length"));
    }
    for (a, b) in super::chars(x).zip(super::chars(y)) {
        dict::set_item(&d, &long::from_i64(a as i64), &long::from_i64(b as i64))?;
    }
    if let Some(z) = args.get(2) {
        if !check(z) {
            return Err(raise!(TypeError, "maketrans() argument 3 must be str, not {}", z.ob_type().name()));
        }
        for c in super::chars(z) {
            dict::set_item(&d, &long::from_i64(c as i64), none::none_obj())?;
        }
    }
    Ok(d)
}

// ---- ord / chr ------------------------------------------------------------------------------

/// `ord(c)` for a str, bytes or bytearray of length 1.
pub fn ord(o: &Obj) -> PyResult<PyRef> {
    let (n, v) = if check(o) {
        (len(o), if len(o) == 1 { super::char_at(o, 0) } else { 0 })
    } else if bytes::check(o) || crate::objects::bytearray::check(o) {
        let b = bytes::bytes_of(o);
        (b.len(), if b.len() == 1 { b[0] as u32 } else { 0 })
    } else {
        return Err(raise!(TypeError, "ord() expected string of length 1, but {} found", o.ob_type().name()));
    };
    if n != 1 {
        return Err(raise!(TypeError, "ord() expected a character, but string of length {} found", n));
    }
    Ok(long::from_i64(v as i64))
}

/// `chr(i)`.
pub fn chr(i: &Obj) -> PyResult<PyRef> {
    let v = crate::abstract_::index(i)?;
    match long::to_i64(&v) {
        Some(x) if (0..0x110000).contains(&x) => Ok(s(&[x as u32])),
        _ => Err(raise!(ValueError, "chr() arg not in range(0x110000)")),
    }
}

// ---- constructor ----------------------------------------------------------------------------

static STR_SIG: Sig = Sig { name: "str", params: &["object", "encoding", "errors"], posonly: 0, maxpos: 3, required: 0 };

/// `str(object='', encoding='utf-8', errors='strict')` for `ty` (a subclass gets a copy in
/// its own, non-compact, layout).
pub fn new_instance(ty: &TypeObj, args: &[&Obj], kw: Kw) -> PyResult<PyRef> {
    if args.len() > 3 {
        return Err(raise!(TypeError, "str expected at most 3 arguments, got {}", args.len()));
    }
    let [object, encoding, errors] = argparse::parse(&STR_SIG, args, kw)?;
    let param = |name: &str, o: Option<&Obj>| -> PyResult<Option<String>> {
        match o {
            None => Ok(None),
            Some(v) if check(v) => super::as_str(v).map(|s| Some(s.to_string())),
            Some(v) => Err(raise!(TypeError, "str() argument '{}' must be str, not {}", name, v.ob_type().name())),
        }
    };
    let (enc, errs) = (param("encoding", encoding)?, param("errors", errors)?);
    let value = match object {
        None => s(&[]),
        Some(o) if enc.is_none() && errs.is_none() => crate::abstract_::str(o)?,
        Some(o) => from_encoded_object(o, enc.as_deref().unwrap_or("utf-8"), errs.as_deref().unwrap_or("strict"))?,
    };
    if ty.is(&PyUnicode_Type) {
        return Ok(value);
    }
    subtype_new(ty, &value)
}

/// `PyUnicode_FromEncodedObject`: decodes a bytes-like object.
pub fn from_encoded_object(o: &Obj, encoding: &str, errors: &str) -> PyResult<PyRef> {
    if check(o) {
        return Err(raise!(TypeError, "decoding str is not supported"));
    }
    match bytes::buffer_bytes(o)? {
        Some(b) => decode(&b, encoding, errors),
        None => Err(raise!(TypeError, "decoding to str: need a bytes-like object, {} found", o.ob_type().name())),
    }
}

/// `unicode_subtype_new`: an instance of a str subclass holding `value`'s text.
fn subtype_new(ty: &TypeObj, value: &Obj) -> PyResult<PyRef> {
    use pyrite_abi::unicode_state::*;
    let alloc = ty.slots().tp_alloc.unwrap_or(crate::alloc::generic_alloc);
    // SAFETY: tp_alloc of a str subtype returns zeroed memory with PyUnicodeObject's layout.
    let op = unsafe { crate::slot::from_new(alloc(ty.raw(), 0)) }?;
    let (n, k, ascii) = (len(value), super::kind(value), super::is_ascii(value));
    let bytes = super::data_bytes(value);
    // SAFETY: op has PyUnicodeObject's layout; the data block has room for n + 1 units.
    unsafe {
        let u = op.as_ptr() as *mut super::PyUnicodeObject;
        let block = crate::alloc::raw_calloc(n + 1, k as usize) as *mut u8;
        assert!(!block.is_null(), "out of memory allocating a str");
        core::ptr::copy_nonoverlapping(bytes.as_ptr(), block, bytes.len());
        let a = u as *mut PyASCIIObject;
        (*a).length = n as Py_ssize_t;
        (*a).hash = -1;
        (*a).state = (k << KIND_SHIFT) | if ascii { ASCII } else { 0 };
        (*u).data = block as *mut core::ffi::c_void;
        if ascii {
            let c = u as *mut PyCompactUnicodeObject;
            (*c).utf8 = block as *mut core::ffi::c_char;
            (*c).utf8_length = n as Py_ssize_t;
        }
    }
    Ok(op)
}

pub(super) unsafe extern "C" fn unicode_new(ty: *mut PyTypeObject, args: *mut PyObject, kwds: *mut PyObject) -> *mut PyObject {
    // SAFETY: tp_new contract.
    let (t, args, kwds) = unsafe { (TypeObj::from_ptr(ty), tuple::items(arg(args)), opt_arg(kwds)) };
    let pairs = Kw::pairs_of_dict(kwds);
    let names: Vec<&Obj> = pairs.iter().map(|(k, _)| &**k).collect();
    let values: Vec<&Obj> = pairs.iter().map(|(_, v)| &**v).collect();
    ret_obj(new_instance(t, args, Kw { names: &names, values: &values }))
}

// ---- codecs ---------------------------------------------------------------------------------

/// `str.encode(encoding, errors)`: the codecs live in `crate::codecs`.
pub fn encode(o: &Obj, encoding: &str, errors: &str) -> PyResult<PyRef> {
    crate::codecs::encode_text(o, encoding, errors)
}

/// `bytes.decode(encoding, errors)`.
pub fn decode(b: &[u8], encoding: &str, errors: &str) -> PyResult<PyRef> {
    crate::codecs::decode_text(b, encoding, errors)
}

static ENCODE_SIG: Sig = Sig { name: "encode", params: &["encoding", "errors"], posonly: 0, maxpos: 2, required: 0 };

fn m_encode(o: &Obj, args: &[&Obj], kw: Kw) -> PyResult<PyRef> {
    let [enc, errs] = argparse::parse(&ENCODE_SIG, args, kw)?;
    let enc = match enc {
        Some(e) => super::as_str(str_param("encode", "'encoding'", e)?)?.to_string(),
        None => "utf-8".to_string(),
    };
    let errs = match errs {
        Some(e) => super::as_str(str_param("encode", "'errors'", e)?)?.to_string(),
        None => "strict".to_string(),
    };
    encode(o, &enc, &errs)
}

/// `str.__format__(spec)`.
fn m_format_spec(s: &Obj, spec: &Obj) -> PyResult<PyRef> {
    // SAFETY: both are live objects; the result is a new reference or NULL with an exception.
    unsafe { crate::slot::from_new(crate::format::builtin_format_method(s.as_ptr(), spec.as_ptr())) }
}
