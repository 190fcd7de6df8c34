//! `_string` (CPython's `Objects/stringlib/unicode_format.h` entry points): the parser behind
//! `string.Formatter` — `formatter_parser` (literal text and replacement fields) and
//! `formatter_field_name_split` (a field name's first part and its `.attr`/`[key]` chain).
//! Both iterate lazily and raise CPython's `ValueError`s when they reach a malformed part.

use pyrite_abi::*;

use super::native::{self, new_instance, with};
use crate::err::PyResult;
use crate::method_table;
use crate::object::{Obj, PyRef};
use crate::objects::iterobject::self_iter;
use crate::objects::{bool_, long, none, tuple, unicode};

pub fn create() -> PyResult<PyRef> {
    let m = native::new_module("_string", STRING_FUNCTIONS.0.get() as *mut PyMethodDef)?;
    for t in [&FORMATTER_ITER, &FIELD_NAME_ITER] {
        crate::objects::type_::ready(t)?;
        crate::objects::slotdefs::add_wrappers(t)?;
    }
    Ok(m)
}

method_table!(static STRING_FUNCTIONS = [
    o c"formatter_parser" => formatter_parser,
    o c"formatter_field_name_split" => formatter_field_name_split,
]);

fn text(s: &[char]) -> PyRef {
    unicode::new(&s.iter().collect::<String>())
}

fn str_arg(o: &Obj) -> PyResult<Vec<char>> {
    if !unicode::check(o) {
        return Err(raise!(TypeError, "expected str, got {}", o.ob_type().name()));
    }
    Ok(unicode::as_str_lossy(o).chars().collect())
}

// ---- formatter_parser -----------------------------------------------------------------------

struct FormatterIter {
    chars: Vec<char>,
    pos: usize,
}

native_type!(final FORMATTER_ITER, c"formatteriterator", FormatterIter, {
    tp_iter: Some(self_iter),
    tp_iternext: slot_next!(formatter_next),
});

fn formatter_parser(_m: &Obj, s: &Obj) -> PyResult<PyRef> {
    new_instance(&FORMATTER_ITER, FormatterIter { chars: str_arg(s)?, pos: 0 })
}

/// One step: literal text up to the next field (an escaped `{{`/`}}` ends the literal with
/// one brace and no field), then the field split into name, spec and conversion.
fn formatter_next(o: &Obj) -> PyResult<Option<PyRef>> {
    let (chars, start) = with(o, |s: &mut FormatterIter| (s.chars.clone(), s.pos))?;
    if start >= chars.len() {
        return Ok(None);
    }
    let mut i = start;
    let mut brace = None;
    while i < chars.len() {
        let c = chars[i];
        i += 1;
        if c == '{' || c == '}' {
            brace = Some(c);
            break;
        }
    }
    let at_end = i >= chars.len();
    let mut literal_end = i;
    let mut field = false;
    if let Some(c) = brace {
        if c == '}' && (at_end || chars[i] != '}') {
            return fail(o, "Single '}' encountered in format string");
        }
        if at_end && c == '{' {
            return fail(o, "Single '{' encountered in format string");
        }
        if chars[i] == c {
            // An escaped brace: the literal keeps one, and no field follows.
            i += 1;
        } else {
            literal_end -= 1;
            field = true;
        }
    }
    let literal = text(&chars[start..literal_end]);
    if !field {
        with(o, |s: &mut FormatterIter| s.pos = i)?;
        return Ok(Some(tuple::new_from(&[&literal, none::none_obj(), none::none_obj(), none::none_obj()])));
    }
    // The field: a name (where `[key]` may hold anything and '{' is an error), then an
    // optional `!c` conversion (any one character), then an optional `:spec` in which braces
    // nest, up to the closing '}'.
    let name_start = i;
    let mut in_bracket = false;
    let mut conversion = None;
    let mut spec = (0, 0);
    let name_end;
    loop {
        if i >= chars.len() {
            return fail(o, "expected '}' before end of string");
        }
        let c = chars[i];
        i += 1;
        match c {
            _ if in_bracket => in_bracket = c != ']',
            '[' => in_bracket = true,
            '{' => return fail(o, "unexpected '{' in field name"),
            '}' | ':' | '!' => {
                name_end = i - 1;
                if c == '!' {
                    if i >= chars.len() {
                        return fail(o, "end of string while looking for conversion specifier");
                    }
                    conversion = Some(chars[i]);
                    i += 1;
                    if i >= chars.len() {
                        return fail(o, "unmatched '{' in format spec");
                    }
                    match chars[i] {
                        ':' | '}' => {}
                        _ => return fail(o, "expected ':' after conversion specifier"),
                    }
                    i += 1;
                    if chars[i - 1] == '}' {
                        break;
                    }
                } else if c == '}' {
                    break;
                }
                // The spec runs to the '}' that balances the field's '{'.
                let spec_start = i;
                let mut nesting = 1;
                loop {
                    if i >= chars.len() {
                        return fail(o, "unmatched '{' in format spec");
                    }
                    match chars[i] {
                        '{' => nesting += 1,
                        '}' => nesting -= 1,
                        _ => {}
                    }
                    i += 1;
                    if nesting == 0 {
                        break;
                    }
                }
                spec = (spec_start, i - 1);
                break;
            }
            _ => {}
        }
    }
    with(o, |s: &mut FormatterIter| s.pos = i)?;
    let conversion = conversion.map_or_else(none::none, |c| unicode::new(&c.to_string()));
    let (name, spec) = (text(&chars[name_start..name_end]), text(&chars[spec.0..spec.1]));
    Ok(Some(tuple::new_from(&[&literal, &*name, &*spec, &conversion])))
}

/// Stops the iterator and raises `ValueError(msg)`.
fn fail(o: &Obj, msg: &str) -> PyResult<Option<PyRef>> {
    with(o, |s: &mut FormatterIter| s.pos = s.chars.len())?;
    Err(raise!(ValueError, "{}", msg))
}

// ---- formatter_field_name_split -------------------------------------------------------------

struct FieldNameIter {
    chars: Vec<char>,
    pos: usize,
}

native_type!(final FIELD_NAME_ITER, c"fieldnameiterator", FieldNameIter, {
    tp_iter: Some(self_iter),
    tp_iternext: slot_next!(field_name_next),
});

/// An all-digit part is an int (an index), anything else a str.
fn index_or_str(part: &[char]) -> PyResult<PyRef> {
    if !part.is_empty() && part.iter().all(|c| c.is_ascii_digit()) {
        let s: String = part.iter().collect();
        return match s.parse::<i64>() {
            Ok(n) if n <= isize::MAX as i64 => Ok(long::from_i64(n)),
            _ => Err(raise!(ValueError, "Too many decimal digits in format string")),
        };
    }
    Ok(text(part))
}

fn formatter_field_name_split(_m: &Obj, s: &Obj) -> PyResult<PyRef> {
    let chars = str_arg(s)?;
    let first_end = chars.iter().position(|&c| c == '.' || c == '[').unwrap_or(chars.len());
    let first = index_or_str(&chars[..first_end])?;
    let rest = new_instance(&FIELD_NAME_ITER, FieldNameIter { chars, pos: first_end })?;
    Ok(tuple::new_from(&[&first, &rest]))
}

fn field_name_next(o: &Obj) -> PyResult<Option<PyRef>> {
    let (chars, pos) = with(o, |s: &mut FieldNameIter| (s.chars.clone(), s.pos))?;
    if pos >= chars.len() {
        return Ok(None);
    }
    let stop = |o: &Obj| with(o, |s: &mut FieldNameIter| s.pos = s.chars.len());
    match chars[pos] {
        '.' => {
            let start = pos + 1;
            let mut j = start;
            while j < chars.len() && chars[j] != '.' && chars[j] != '[' {
                j += 1;
            }
            if j == start {
                stop(o)?;
                return Err(raise!(ValueError, "Empty attribute in format string"));
            }
            with(o, |s: &mut FieldNameIter| s.pos = j)?;
            Ok(Some(tuple::new_from(&[&*bool_::new(true), &*text(&chars[start..j])])))
        }
        '[' => {
            let start = pos + 1;
            let Some(close) = chars[start..].iter().position(|&c| c == ']').map(|k| start + k) else {
                stop(o)?;
                return Err(raise!(ValueError, "Missing ']' in format string"));
            };
            if close == start {
                stop(o)?;
                return Err(raise!(ValueError, "Empty attribute in format string"));
            }
            let next = close + 1;
            if next < chars.len() && chars[next] != '.' && chars[next] != '[' {
                stop(o)?;
                return Err(raise!(ValueError, "Only '.' or '[' may follow ']' in format field specifier"));
            }
            with(o, |s: &mut FieldNameIter| s.pos = next)?;
            let key = index_or_str(&chars[start..close])?;
            Ok(Some(tuple::new_from(&[&*bool_::new(false), &key])))
        }
        _ => {
            stop(o)?;
            Err(raise!(ValueError, "Only '.' or '[' may follow ']' in format field specifier"))
        }
    }
}
