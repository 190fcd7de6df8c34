//! `_json`: the string speedups of `Lib/json` — `scanstring` (decoding a JSON string body)
//! and `encode_basestring(_ascii)` (quoting a str). `make_scanner` and `make_encoder` are
//! not here: `json.scanner` and `json.encoder` fall back to their pure-Python versions.

use crate::err::PyResult;
use crate::object::{Obj, PyRef};
use crate::objects::argparse;
use crate::objects::{long, module, tuple, unicode};
use crate::{abstract_, method_table};

/// Raises `json.decoder.JSONDecodeError(msg, doc, pos)`.
fn decode_error(msg: &str, doc: &Obj, pos: isize) -> crate::err::PyErr {
    let r = (|| -> PyResult<crate::err::PyErr> {
        let m = crate::import::import_module("json.decoder")?;
        let cls = abstract_::getattr_str(&m, "JSONDecodeError")?;
        let args = tuple::new_from(&[&unicode::new(msg), doc, &long::from_i64(pos as i64)]);
        let e = abstract_::call(&cls, &args, None)?;
        Ok(crate::err::PyErr::from_value(e))
    })();
    r.unwrap_or_else(|e| e)
}

fn hex4(s: &Obj, at: usize, len: usize) -> Option<u32> {
    if at + 4 > len {
        return None;
    }
    let mut v = 0;
    for i in at..at + 4 {
        v = v * 16 + char::from_u32(unicode::char_at(s, i))?.to_digit(16)?;
    }
    Some(v)
}

/// `scanstring(string, end, strict=True)`: the string whose body starts at `end` (just past
/// its opening quote), and the index just past its closing quote.
fn scanstring(_m: &Obj, args: &[&Obj]) -> PyResult<PyRef> {
    argparse::check_positional("scanstring", args.len(), 2, 3)?;
    let (s, end, strict) = (args[0], Some(args[1]), args.get(2).copied());
    if !unicode::check(s) {
        return Err(raise!(TypeError, "first argument must be a string, not {}", s.ob_type().name()));
    }
    let end = argparse::ssize(end.unwrap())?;
    let strict = match strict {
        Some(v) => abstract_::is_true(v)?,
        None => true,
    };
    let len = unicode::len(s);
    if end < 0 || end as usize > len {
        return Err(raise!(ValueError, "end is out of bounds"));
    }
    let begin = end - 1;
    let mut pos = end as usize;
    let mut out: Vec<u32> = Vec::new();
    loop {
        // The next quote or backslash; control characters are errors when strict.
        let mut next = pos;
        let mut term = None;
        while next < len {
            let c = unicode::char_at(s, next);
            if c == '"' as u32 || c == '\\' as u32 {
                term = Some(c);
                break;
            }
            if c <= 0x1f && strict {
                return Err(decode_error("Invalid control character at", s, next as isize));
            }
            next += 1;
        }
        let Some(term) = term else {
            return Err(decode_error("Unterminated string starting at", s, begin));
        };
        out.extend((pos..next).map(|i| unicode::char_at(s, i)));
        next += 1;
        if term == '"' as u32 {
            pos = next;
            break;
        }
        if next == len {
            return Err(decode_error("Unterminated string starting at", s, begin));
        }
        let esc = unicode::char_at(s, next);
        if esc != 'u' as u32 {
            let c = match char::from_u32(esc) {
                Some('"') => '"',
                Some('\\') => '\\',
                Some('/') => '/',
                Some('b') => '\u{8}',
                Some('f') => '\u{c}',
                Some('n') => '\n',
                Some('r') => '\r',
                Some('t') => '\t',
                _ => return Err(decode_error("Invalid \\escape", s, next as isize - 1)),
            };
            out.push(c as u32);
            pos = next + 1;
            continue;
        }
        // `next` is at the 'u'.
        let Some(mut c) = hex4(s, next + 1, len) else {
            return Err(decode_error("Invalid \\uXXXX escape", s, next as isize));
        };
        pos = next + 5;
        if (0xd800..=0xdbff).contains(&c)
            && pos + 1 < len
            && unicode::char_at(s, pos) == '\\' as u32
            && unicode::char_at(s, pos + 1) == 'u' as u32
        {
            let Some(c2) = hex4(s, pos + 2, len) else {
                return Err(decode_error("Invalid \\uXXXX escape", s, pos as isize + 1));
            };
            if (0xdc00..=0xdfff).contains(&c2) {
                c = 0x10000 + (((c - 0xd800) << 10) | (c2 - 0xdc00));
                pos += 6;
            }
        }
        out.push(c);
    }
    Ok(tuple::new_from(&[&unicode::from_code_points(&out), &long::from_usize(pos)]))
}

/// Appends `c` quoted for JSON; `ascii` also escapes everything outside printable ASCII.
fn quote_char(out: &mut Vec<u32>, c: u32, ascii: bool) {
    let short = match c {
        0x22 => Some('"'),
        0x5c => Some('\\'),
        0x0a => Some('n'),
        0x0d => Some('r'),
        0x09 => Some('t'),
        0x08 => Some('b'),
        0x0c => Some('f'),
        _ => None,
    };
    if let Some(e) = short {
        out.extend(['\\' as u32, e as u32]);
    } else if c < 0x20 || (ascii && c > 0x7e) {
        let mut unit = |u: u32| out.extend(format!("\\u{u:04x}").chars().map(|ch| ch as u32));
        if c >= 0x10000 {
            let v = c - 0x10000;
            unit(0xd800 | (v >> 10));
            unit(0xdc00 | (v & 0x3ff));
        } else {
            unit(c);
        }
    } else {
        out.push(c);
    }
}

fn encode(name: &str, s: &Obj, ascii: bool) -> PyResult<PyRef> {
    if !unicode::check(s) {
        return Err(raise!(TypeError, "{}() argument must be str, not {}", name, s.ob_type().name()));
    }
    let mut out = Vec::with_capacity(unicode::len(s) + 2);
    out.push('"' as u32);
    for c in unicode::chars(s) {
        quote_char(&mut out, c, ascii);
    }
    out.push('"' as u32);
    Ok(unicode::from_code_points(&out))
}

fn encode_basestring_ascii(_m: &Obj, s: &Obj) -> PyResult<PyRef> {
    encode("encode_basestring_ascii", s, true)
}

fn encode_basestring(_m: &Obj, s: &Obj) -> PyResult<PyRef> {
    encode("encode_basestring", s, false)
}

method_table!(static JSON_METHODS = [
    fast c"scanstring" => scanstring,
    o c"encode_basestring_ascii" => encode_basestring_ascii,
    o c"encode_basestring" => encode_basestring,
]);

pub fn create() -> PyResult<PyRef> {
    let m = module::new(&unicode::new("_json"))?;
    // SAFETY: the table is static.
    unsafe { module::add_functions(&m, JSON_METHODS.0.get() as *mut pyrite_abi::PyMethodDef)? };
    Ok(m)
}
