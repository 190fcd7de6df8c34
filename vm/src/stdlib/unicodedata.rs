//! `unicodedata` (CPython's `Modules/unicodedata.c`): the properties, names, decompositions and
//! normal forms of Unicode 17.0.0, the `UCD` type whose one instance `ucd_3_2_0` answers the
//! same questions for Unicode 3.2.0 (IDNA's `nameprep` and `stringprep` need it), and 3.15's
//! grapheme cluster iteration. The data and algorithms are `pyrite_ucd`'s; this file turns
//! Python arguments into code points and answers into Python objects.

use pyrite_abi::*;
use pyrite_ucd::{Found, Version};

use super::native::{self, new_instance, with};
use crate::err::PyResult;
use crate::object::{Obj, PyRef};
use crate::objects::type_;
use crate::objects::{argparse, bool_, bytes, dict, float, long, module, none, unicode};
use crate::{getter_def, method_table};

pub fn create() -> PyResult<PyRef> {
    let m = native::new_module("unicodedata", MODULE_METHODS.0.get() as *mut PyMethodDef)?;
    native::add_types(&m, &[&UCD])?;
    type_::ready(&GRAPHEME_ITERATOR)?;
    type_::ready(&SEGMENT)?;
    let d = module::dict_of(&m);
    dict::set_item_str(d, "unidata_version", &unicode::new(pyrite_ucd::UNIDATA_VERSION))?;
    let ucd_3_2_0 = new_instance(&UCD, Version::V3_2)?;
    dict::set_item_str(d, "ucd_3_2_0", &ucd_3_2_0)?;
    dict::set_item_str(
        d,
        "__doc__",
        &unicode::new(&format!(
            "This module provides access to the Unicode Character Database which\n\
             defines character properties for all Unicode characters. The data in\n\
             this database is based on the UnicodeData.txt file version\n\
             {0} which is publicly available from ftp://ftp.unicode.org/.\n\n\
             The module uses the same names and symbols as defined by the\n\
             UnicodeData File Format {0}.",
            pyrite_ucd::UNIDATA_VERSION
        )),
    )?;
    Ok(m)
}

/// The version a call asks: module functions the current one, `UCD` methods their object's.
fn version_of(receiver: &Obj) -> PyResult<Version> {
    if receiver.ob_type().is(&UCD) { with(receiver, |v: &mut Version| *v) } else { Ok(Version::Current) }
}

fn type_name_for_error(o: &Obj) -> String {
    if o.is(none::none_obj()) { "None".to_string() } else { o.ob_type().name().to_string() }
}

/// The one character of a `chr` argument (`arg`: its position in the error message, if the
/// function takes several).
fn the_char(func: &str, arg: Option<usize>, o: &Obj) -> PyResult<u32> {
    let which = arg.map_or_else(String::new, |n| format!(" {n}"));
    if !unicode::check(o) {
        return Err(raise!(TypeError, "{func}() argument{which} must be a unicode character, not {}", type_name_for_error(o)));
    }
    if unicode::len(o) != 1 {
        return Err(raise!(
            TypeError,
            "{func}(): argument{which} must be a unicode character, not a string of length {}",
            unicode::len(o)
        ));
    }
    Ok(unicode::char_at(o, 0))
}

fn the_str<'a>(func: &str, n: usize, o: &'a Obj) -> PyResult<&'a Obj> {
    if unicode::check(o) {
        Ok(o)
    } else {
        Err(raise!(TypeError, "{func}() argument {n} must be str, not {}", type_name_for_error(o)))
    }
}

fn record(receiver: &Obj, func: &str, c: &Obj) -> PyResult<pyrite_ucd::Record> {
    let cp = the_char(func, None, c)?;
    Ok(pyrite_ucd::record(cp, version_of(receiver)?))
}

fn category(s: &Obj, c: &Obj) -> PyResult<PyRef> {
    Ok(unicode::new(record(s, "category", c)?.category()))
}

fn bidirectional(s: &Obj, c: &Obj) -> PyResult<PyRef> {
    Ok(unicode::new(record(s, "bidirectional", c)?.bidirectional()))
}

fn combining(s: &Obj, c: &Obj) -> PyResult<PyRef> {
    Ok(long::from_i64(record(s, "combining", c)?.combining() as i64))
}

fn east_asian_width(s: &Obj, c: &Obj) -> PyResult<PyRef> {
    Ok(unicode::new(record(s, "east_asian_width", c)?.east_asian_width()))
}

fn mirrored(s: &Obj, c: &Obj) -> PyResult<PyRef> {
    Ok(long::from_i64(record(s, "mirrored", c)?.mirrored() as i64))
}

fn decomposition(s: &Obj, c: &Obj) -> PyResult<PyRef> {
    let cp = the_char("decomposition", None, c)?;
    Ok(unicode::new(&pyrite_ucd::decomposition(cp, version_of(s)?)))
}

/// `decimal`, `digit`, `numeric` and `name`: `(chr, default=<unrepresentable>, /)`; a
/// missing value is `default` or ValueError(`missing`).
fn with_default(
    s: &Obj,
    a: &[&Obj],
    func: &str,
    missing: &str,
    get: impl FnOnce(u32, Version) -> Option<PyRef>,
) -> PyResult<PyRef> {
    argparse::check_positional(func, a.len(), 1, 2)?;
    let cp = the_char(func, Some(1), a[0])?;
    match get(cp, version_of(s)?) {
        Some(v) => Ok(v),
        None => match a.get(1) {
            Some(default) => Ok(default.new_ref()),
            None => Err(raise!(ValueError, "{missing}")),
        },
    }
}

fn decimal(s: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    with_default(s, a, "decimal", "not a decimal", |cp, v| pyrite_ucd::record(cp, v).decimal().map(|d| long::from_i64(d as i64)))
}

fn digit(s: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    with_default(s, a, "digit", "not a digit", |cp, v| pyrite_ucd::record(cp, v).digit().map(|d| long::from_i64(d as i64)))
}

fn numeric(s: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    with_default(s, a, "numeric", "not a numeric character", |cp, v| pyrite_ucd::record(cp, v).numeric().map(float::new))
}

fn name(s: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    with_default(s, a, "name", "no such name", |cp, v| pyrite_ucd::name(cp, v).map(|n| unicode::new(&n)))
}

/// CPython's `NAME_MAXLEN`: longer names are not looked up.
const NAME_MAXLEN: usize = 256;

fn lookup(s: &Obj, n: &Obj) -> PyResult<PyRef> {
    let raw: Vec<u8> = if unicode::check(n) {
        unicode::as_str_lossy(n).as_bytes().to_vec()
    } else {
        bytes::data_from_object(n)?
    };
    if raw.len() > NAME_MAXLEN {
        return Err(raise!(KeyError, "name too long"));
    }
    let text = String::from_utf8_lossy(&raw);
    let found = if raw.contains(&0) { None } else { pyrite_ucd::lookup(&text, version_of(s)?, true) };
    match found {
        Some(Found::Char(cp)) => Ok(unicode::from_code_points(&[cp])),
        Some(Found::Sequence(cps)) => Ok(unicode::from_code_points(cps)),
        None => Err(raise!(KeyError, "undefined character name '{text}'")),
    }
}

fn form_of(o: &Obj, func: &str) -> PyResult<pyrite_ucd::Form> {
    let form = the_str(func, 1, o)?;
    pyrite_ucd::Form::from_name(&unicode::as_str_lossy(form)).ok_or_else(|| raise!(ValueError, "invalid normalization form"))
}

fn normalize(s: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    argparse::check_positional("normalize", a.len(), 2, 2)?;
    let form = form_of(a[0], "normalize")?;
    let text = the_str("normalize", 2, a[1])?;
    let input = unicode::code_points(text);
    let out = pyrite_ucd::normalize(form, &input, version_of(s)?);
    if out == input && unicode::check_exact(text) {
        return Ok(text.new_ref());
    }
    Ok(unicode::from_code_points(&out))
}

fn is_normalized(s: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    argparse::check_positional("is_normalized", a.len(), 2, 2)?;
    let form = form_of(a[0], "is_normalized")?;
    let input = unicode::code_points(the_str("is_normalized", 2, a[1])?);
    Ok(bool_::new(pyrite_ucd::normalize(form, &input, version_of(s)?) == input))
}

fn current(func: &str, c: &Obj) -> PyResult<(u32, pyrite_ucd::Record)> {
    let cp = the_char(func, None, c)?;
    Ok((cp, pyrite_ucd::record(cp, Version::Current)))
}

fn block(_: &Obj, c: &Obj) -> PyResult<PyRef> {
    Ok(unicode::new(pyrite_ucd::block(the_char("block", None, c)?)))
}

fn extended_pictographic(_: &Obj, c: &Obj) -> PyResult<PyRef> {
    Ok(bool_::new(current("extended_pictographic", c)?.1.extended_pictographic()))
}

fn grapheme_cluster_break(_: &Obj, c: &Obj) -> PyResult<PyRef> {
    Ok(unicode::new(current("grapheme_cluster_break", c)?.1.grapheme_cluster_break()))
}

fn indic_conjunct_break(_: &Obj, c: &Obj) -> PyResult<PyRef> {
    Ok(unicode::new(current("indic_conjunct_break", c)?.1.indic_conjunct_break()))
}

fn isxidstart(_: &Obj, c: &Obj) -> PyResult<PyRef> {
    Ok(bool_::new(current("isxidstart", c)?.1.xid_start()))
}

fn isxidcontinue(_: &Obj, c: &Obj) -> PyResult<PyRef> {
    Ok(bool_::new(current("isxidcontinue", c)?.1.xid_continue()))
}

/// The module's types are made only by the module (`cannot create 'unicodedata.UCD' instances`).
const NOT_CALLABLE: core::ffi::c_ulong = type_::BUILTIN_FLAGS | Py_TPFLAGS_DISALLOW_INSTANTIATION;

// ---- iter_graphemes ---------------------------------------------------------------------------

struct Graphemes {
    text: PyRef,
    cps: Vec<u32>,
    pos: usize,
    end: usize,
}

native_type!(@ GRAPHEME_ITERATOR, c"unicodedata.GraphemeBreakIterator", Graphemes, NOT_CALLABLE, {
    tp_iter: Some(crate::objects::iterobject::self_iter),
    tp_iternext: slot_next!(graphemes_next),
    tp_getattro: Some(type_::generic_getattr),
});

struct Segment {
    text: PyRef,
    start: usize,
    end: usize,
}

native_type!(@ SEGMENT, c"unicodedata.Segment", Segment, NOT_CALLABLE, {
    tp_repr: slot_unary!(segment_repr),
    tp_str: slot_unary!(segment_str),
    tp_getattro: Some(type_::generic_getattr),
    tp_getset: SEGMENT_GETSET.0.get() as *mut PyGetSetDef,
});

static SEGMENT_GETSET: type_::StaticTable<PyGetSetDef, 3> = type_::StaticTable(core::cell::UnsafeCell::new([
    getter_def!(c"start", segment_start),
    getter_def!(c"end", segment_end),
    type_::GETSET_END,
]));

fn iter_graphemes(_: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    argparse::check_positional("iter_graphemes", a.len(), 1, 3)?;
    let text = the_str("iter_graphemes", 1, a[0])?;
    let start = a.get(1).map(|o| argparse::ssize_clamped(o)).transpose()?;
    let end = a.get(2).map(|o| argparse::ssize_clamped(o)).transpose()?;
    let (pos, end) = argparse::adjust_range(start, end, unicode::len(text));
    let state = Graphemes { text: text.new_ref(), cps: unicode::code_points(text), pos, end };
    new_instance(&GRAPHEME_ITERATOR, state)
}

fn graphemes_next(o: &Obj) -> PyResult<Option<PyRef>> {
    let next = with(o, |g: &mut Graphemes| {
        if g.pos >= g.end {
            return None;
        }
        let start = g.pos;
        g.pos = pyrite_ucd::next_boundary(&g.cps, start, g.end);
        Some(Segment { text: g.text.clone(), start, end: g.pos })
    })?;
    next.map(|s| new_instance(&SEGMENT, s)).transpose()
}

fn segment_repr(o: &Obj) -> PyResult<PyRef> {
    let (start, end) = with(o, |s: &mut Segment| (s.start, s.end))?;
    Ok(unicode::new(&format!("<Segment {start}:{end}>")))
}

fn segment_str(o: &Obj) -> PyResult<PyRef> {
    let (text, start, end) = with(o, |s: &mut Segment| (s.text.clone(), s.start, s.end))?;
    Ok(unicode::substring(&text, start, end))
}

fn segment_start(o: &Obj) -> PyResult<PyRef> {
    Ok(long::from_usize(with(o, |s: &mut Segment| s.start)?))
}

fn segment_end(o: &Obj) -> PyResult<PyRef> {
    Ok(long::from_usize(with(o, |s: &mut Segment| s.end)?))
}

// ---- the UCD type -----------------------------------------------------------------------------

native_type!(@ UCD, c"unicodedata.UCD", Version, NOT_CALLABLE, {
    tp_getattro: Some(type_::generic_getattr),
    tp_methods: UCD_METHODS.0.get() as *mut PyMethodDef,
    tp_getset: UCD_GETSET.0.get() as *mut PyGetSetDef,
});

static UCD_GETSET: type_::StaticTable<PyGetSetDef, 2> =
    type_::StaticTable(core::cell::UnsafeCell::new([getter_def!(c"unidata_version", ucd_unidata_version), type_::GETSET_END]));

fn ucd_unidata_version(o: &Obj) -> PyResult<PyRef> {
    Ok(unicode::new(match with(o, |v: &mut Version| *v)? {
        Version::Current => pyrite_ucd::UNIDATA_VERSION,
        Version::V3_2 => "3.2.0",
    }))
}

method_table!(static UCD_METHODS = [
    o c"bidirectional" => bidirectional,
    o c"category" => category,
    o c"combining" => combining,
    fast c"decimal" => decimal,
    o c"decomposition" => decomposition,
    fast c"digit" => digit,
    o c"east_asian_width" => east_asian_width,
    fast c"is_normalized" => is_normalized,
    o c"lookup" => lookup,
    o c"mirrored" => mirrored,
    fast c"name" => name,
    fast c"normalize" => normalize,
    fast c"numeric" => numeric,
]);

method_table!(static MODULE_METHODS = [
    o c"bidirectional" => bidirectional,
    o c"block" => block,
    o c"category" => category,
    o c"combining" => combining,
    fast c"decimal" => decimal,
    o c"decomposition" => decomposition,
    fast c"digit" => digit,
    o c"east_asian_width" => east_asian_width,
    o c"extended_pictographic" => extended_pictographic,
    o c"grapheme_cluster_break" => grapheme_cluster_break,
    o c"indic_conjunct_break" => indic_conjunct_break,
    fast c"is_normalized" => is_normalized,
    o c"isxidcontinue" => isxidcontinue,
    o c"isxidstart" => isxidstart,
    fast c"iter_graphemes" => iter_graphemes,
    o c"lookup" => lookup,
    o c"mirrored" => mirrored,
    fast c"name" => name,
    fast c"normalize" => normalize,
    fast c"numeric" => numeric,
]);
