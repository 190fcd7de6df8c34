//! `_json`: the speedups of `Lib/json` — `scanstring` (decoding a JSON string body),
//! `make_scanner` (the `_json.Scanner` that decodes one JSON value) and
//! `encode_basestring(_ascii)` (quoting a str). `make_encoder` is not here: `json.encoder`
//! falls back to its pure-Python `_make_iterencode`.

use pyrite_abi::*;

use crate::err::PyResult;
use crate::object::{Obj, PyRef};
use crate::objects::argparse::{self, Kw, Sig};
use crate::objects::{dict, list, long, module, none, tuple, type_, unicode};
use crate::slot::{arg, opt_arg, ret_obj};
use crate::stdlib::boxed::{boxed_dealloc, new_boxed, payload, Boxed};
use crate::{abstract_, method_table, private_static_type};

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

/// The body of `scanstring`: the decoded string and the index past its closing quote.
fn scan_string(s: &Obj, end: isize, strict: bool) -> PyResult<(PyRef, usize)> {
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
    Ok((unicode::from_code_points(&out), pos))
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
    let (text, pos) = scan_string(s, end, strict)?;
    Ok(tuple::new_from(&[&text, &long::from_usize(pos)]))
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


// ---- _json.Scanner --------------------------------------------------------------------------

/// What a scanner takes from its `JSONDecoder` context.
struct ScannerData {
    strict: bool,
    object_hook: PyRef,
    object_pairs_hook: PyRef,
    /// 3.15: applied to every decoded array (`None`: keep the list).
    array_hook: PyRef,
    parse_float: PyRef,
    parse_int: PyRef,
    parse_constant: PyRef,
}

private_static_type!(SCANNER_TYPE, c"_json.Scanner", core::mem::size_of::<Boxed<ScannerData>>(), {
    tp_flags: type_::BUILTIN_FLAGS,
    tp_dealloc: Some(boxed_dealloc::<ScannerData>),
    tp_call: Some(scanner_call),
    tp_getattro: Some(type_::generic_getattr),
    tp_new: Some(scanner_new),
    tp_free: Some(crate::alloc::object_free),
    tp_doc: c"JSON scanner object".as_ptr(),
});

unsafe extern "C" fn scanner_new(_t: *mut PyTypeObject, args: *mut PyObject, kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: tp_new contract.
    let (args, kw) = unsafe { (arg(args), opt_arg(kw)) };
    ret_obj((|| {
        let pairs = Kw::pairs_of_dict(kw);
        let names: Vec<&Obj> = pairs.iter().map(|(k, _)| &**k).collect();
        let values: Vec<&Obj> = pairs.iter().map(|(_, v)| &**v).collect();
        let sig = Sig { name: "Scanner", params: &["context"], posonly: 0, maxpos: 1, required: 1 };
        let [ctx] = argparse::parse::<1>(&sig, tuple::items(args), Kw { names: &names, values: &values })?;
        let ctx = ctx.unwrap();
        let get = |name: &str| abstract_::getattr_str(ctx, name);
        let data = ScannerData {
            strict: abstract_::is_true(&*get("strict")?)?,
            object_hook: get("object_hook")?,
            object_pairs_hook: get("object_pairs_hook")?,
            array_hook: get("array_hook")?,
            parse_float: get("parse_float")?,
            parse_int: get("parse_int")?,
            parse_constant: get("parse_constant")?,
        };
        new_boxed(&SCANNER_TYPE, data)
    })())
}

unsafe extern "C" fn scanner_call(o: *mut PyObject, args: *mut PyObject, kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: tp_call contract.
    let (o, args, kw) = unsafe { (arg(o), arg(args), opt_arg(kw)) };
    ret_obj((|| {
        let pairs = Kw::pairs_of_dict(kw);
        let names: Vec<&Obj> = pairs.iter().map(|(k, _)| &**k).collect();
        let values: Vec<&Obj> = pairs.iter().map(|(_, v)| &**v).collect();
        let sig = Sig { name: "scanner", params: &["string", "idx"], posonly: 0, maxpos: 2, required: 2 };
        let [string, idx] = argparse::parse::<2>(&sig, tuple::items(args), Kw { names: &names, values: &values })?;
        let string = string.unwrap();
        if !unicode::check(string) {
            return Err(raise!(TypeError, "first argument must be a string, not {}", string.ob_type().name()));
        }
        let idx = argparse::ssize(idx.unwrap())?;
        let sc = Scan { data: payload::<ScannerData>(o), s: string, len: unicode::len(string), memo: dict::new() };
        let (v, end) = sc.scan_once(idx)?;
        Ok(tuple::new_from(&[&v, &long::from_usize(end)]))
    })())
}

/// `StopIteration(idx)`: no JSON value starts at `idx`.
fn stop_iteration(idx: isize) -> crate::err::PyErr {
    crate::err::PyErr::from_type_and_arg(crate::objects::exceptions::StopIteration(), &long::from_i64(idx as i64))
}

fn is_ws(c: u32) -> bool {
    matches!(c, 0x20 | 0x09 | 0x0a | 0x0d)
}

/// One call of a scanner: the subject and the memo that shares equal keys.
struct Scan<'a> {
    data: &'a ScannerData,
    s: &'a Obj,
    len: usize,
    memo: PyRef,
}

impl Scan<'_> {
    fn at(&self, i: usize) -> u32 {
        unicode::char_at(self.s, i)
    }

    fn skip_ws(&self, mut i: usize) -> usize {
        while i < self.len && is_ws(self.at(i)) {
            i += 1;
        }
        i
    }

    fn is(&self, i: usize, c: char) -> bool {
        i < self.len && self.at(i) == c as u32
    }

    fn matches(&self, i: usize, word: &str) -> bool {
        i + word.len() <= self.len && word.chars().enumerate().all(|(k, c)| self.at(i + k) == c as u32)
    }

    fn scan_once(&self, idx: isize) -> PyResult<(PyRef, usize)> {
        if idx < 0 {
            return Err(raise!(ValueError, "idx cannot be negative"));
        }
        let i = idx as usize;
        if i >= self.len {
            return Err(stop_iteration(idx));
        }
        match char::from_u32(self.at(i)) {
            Some('"') => return scan_string(self.s, idx + 1, self.data.strict),
            Some('{') => {
                crate::interp::enter_recursive_call(" while decoding a JSON object from a unicode string")?;
                let r = self.parse_object(i + 1);
                crate::interp::leave_recursive_call();
                return r;
            }
            Some('[') => {
                crate::interp::enter_recursive_call(" while decoding a JSON array from a unicode string")?;
                let r = self.parse_array(i + 1);
                crate::interp::leave_recursive_call();
                return r;
            }
            Some('n') if self.matches(i, "null") => return Ok((none::none(), i + 4)),
            Some('t') if self.matches(i, "true") => return Ok((crate::objects::bool_::new(true), i + 4)),
            Some('f') if self.matches(i, "false") => return Ok((crate::objects::bool_::new(false), i + 5)),
            Some('N') if self.matches(i, "NaN") => return self.constant("NaN", i),
            Some('I') if self.matches(i, "Infinity") => return self.constant("Infinity", i),
            Some('-') if self.matches(i, "-Infinity") => return self.constant("-Infinity", i),
            _ => {}
        }
        self.number(i)
    }

    fn constant(&self, name: &str, i: usize) -> PyResult<(PyRef, usize)> {
        let v = abstract_::call_one_arg(&self.data.parse_constant, &unicode::intern(name))?;
        Ok((v, i + name.len()))
    }

    fn parse_object(&self, mut i: usize) -> PyResult<(PyRef, usize)> {
        let pairs_hook = !self.data.object_pairs_hook.is(none::none_obj());
        let rval = if pairs_hook { list::new() } else { dict::new() };
        i = self.skip_ws(i);
        if !self.is(i, '}') {
            loop {
                if !self.is(i, '"') {
                    return Err(decode_error("Expecting property name enclosed in double quotes", self.s, i as isize));
                }
                let (key, next) = scan_string(self.s, i as isize + 1, self.data.strict)?;
                let key = dict::set_default(&self.memo, &key, &key)?;
                i = self.skip_ws(next);
                if !self.is(i, ':') {
                    return Err(decode_error("Expecting ':' delimiter", self.s, i as isize));
                }
                i = self.skip_ws(i + 1);
                let (val, next) = self.scan_once(i as isize)?;
                if pairs_hook {
                    list::push(&rval, tuple::new_from(&[&key, &val]));
                } else {
                    dict::set_item(&rval, &key, &val)?;
                }
                i = self.skip_ws(next);
                if self.is(i, '}') {
                    break;
                }
                if !self.is(i, ',') {
                    return Err(decode_error("Expecting ',' delimiter", self.s, i as isize));
                }
                let comma = i;
                i = self.skip_ws(i + 1);
                if self.is(i, '}') {
                    return Err(decode_error("Illegal trailing comma before end of object", self.s, comma as isize));
                }
            }
        }
        let end = i + 1;
        if pairs_hook {
            return Ok((abstract_::call_one_arg(&self.data.object_pairs_hook, &rval)?, end));
        }
        if !self.data.object_hook.is(none::none_obj()) {
            return Ok((abstract_::call_one_arg(&self.data.object_hook, &rval)?, end));
        }
        Ok((rval, end))
    }

    fn parse_array(&self, mut i: usize) -> PyResult<(PyRef, usize)> {
        let rval = list::new();
        i = self.skip_ws(i);
        if !self.is(i, ']') {
            loop {
                let (val, next) = self.scan_once(i as isize)?;
                list::push(&rval, val);
                i = self.skip_ws(next);
                if self.is(i, ']') {
                    break;
                }
                if !self.is(i, ',') {
                    return Err(decode_error("Expecting ',' delimiter", self.s, i as isize));
                }
                let comma = i;
                i = self.skip_ws(i + 1);
                if self.is(i, ']') {
                    return Err(decode_error("Illegal trailing comma before end of array", self.s, comma as isize));
                }
            }
        }
        if !self.data.array_hook.is(none::none_obj()) {
            return Ok((abstract_::call_one_arg(&self.data.array_hook, &rval)?, i + 1));
        }
        Ok((rval, i + 1))
    }

    fn digit(&self, i: usize) -> bool {
        i < self.len && (b'0' as u32..=b'9' as u32).contains(&self.at(i))
    }

    fn number(&self, start: usize) -> PyResult<(PyRef, usize)> {
        let mut i = start;
        if self.is(i, '-') {
            i += 1;
            if i >= self.len {
                return Err(stop_iteration(start as isize));
            }
        }
        if self.digit(i) && !self.is(i, '0') {
            i += 1;
            while self.digit(i) {
                i += 1;
            }
        } else if self.is(i, '0') {
            i += 1;
        } else {
            return Err(stop_iteration(start as isize));
        }
        let mut is_float = false;
        if i + 1 < self.len && self.is(i, '.') && self.digit(i + 1) {
            is_float = true;
            i += 2;
            while self.digit(i) {
                i += 1;
            }
        }
        if i + 1 < self.len && (self.is(i, 'e') || self.is(i, 'E')) {
            let e_start = i;
            i += 1;
            if i + 1 < self.len && (self.is(i, '-') || self.is(i, '+')) {
                i += 1;
            }
            while self.digit(i) {
                i += 1;
            }
            if self.digit(i - 1) {
                is_float = true;
            } else {
                i = e_start;
            }
        }
        let text: String = (start..i).filter_map(|k| char::from_u32(self.at(k))).collect();
        let custom = if is_float {
            Some(&self.data.parse_float).filter(|f| !f.is(&crate::objects::float::PyFloat_Type))
        } else {
            Some(&self.data.parse_int).filter(|f| !f.is(&long::PyLong_Type))
        };
        let v = match custom {
            Some(f) => abstract_::call_one_arg(f, &unicode::new(&text))?,
            None if is_float => crate::objects::float::new(
                crate::objects::float::parse_ascii(text.as_bytes()).ok_or_else(|| raise!(ValueError, "could not convert string to float: '{}'", text))?,
            ),
            None => long::from_str_radix(&text, 10)?,
        };
        Ok((v, i))
    }
}

method_table!(static JSON_METHODS = [
    fast c"scanstring" => scanstring,
    o c"encode_basestring_ascii" => encode_basestring_ascii,
    o c"encode_basestring" => encode_basestring,
]);

pub fn create() -> PyResult<PyRef> {
    type_::ready(&SCANNER_TYPE)?;
    crate::objects::slotdefs::add_wrappers(&SCANNER_TYPE)?;
    let m = module::new(&unicode::new("_json"))?;
    // SAFETY: the table is static.
    unsafe { module::add_functions(&m, JSON_METHODS.0.get() as *mut pyrite_abi::PyMethodDef)? };
    crate::objects::dict::set_item_str(module::dict_of(&m), "make_scanner", &SCANNER_TYPE)?;
    Ok(m)
}
