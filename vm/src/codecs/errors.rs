//! Error handling inside the codecs (CPython's `unicode_encode_call_errorhandler` and
//! `unicode_decode_call_errorhandler`), and the standard handlers as callables
//! (`codecs.strict_errors`, ..., `PyCodec_*Errors`).

use crate::err::{PyErr, PyResult};
use crate::object::{Obj, PyRef};
use crate::objects::unicode_error::{self, Kind};
use crate::objects::{bytes, long, tuple, unicode};

/// Resolves a handler position: negative counts from the end; outside the object is an
/// `IndexError`.
fn new_position(pos: &Obj, len: usize) -> PyResult<usize> {
    let p = long::to_i64(&*crate::abstract_::index(pos)?).unwrap_or(i64::MAX);
    let q = if p < 0 { len as i64 + p } else { p };
    if q < 0 || q > len as i64 {
        return Err(raise!(IndexError, "position {} from error handler out of bounds", q));
    }
    Ok(q as usize)
}

/// Calls a registered handler with the error object; checks the `(replacement, position)`
/// result.
fn call_handler(errors: &str, exc: &Obj, encode: bool) -> PyResult<(PyRef, PyRef)> {
    let h = super::lookup_error(errors)?;
    let r = crate::abstract_::call_one_arg(&h, exc)?;
    let ok = tuple::check(&r)
        && tuple::len(&r) == 2
        && (unicode::check(tuple::get(&r, 0)) || (encode && bytes::check(tuple::get(&r, 0))))
        && long::check(tuple::get(&r, 1));
    if !ok {
        return Err(if encode {
            raise!(TypeError, "encoding error handler must return (str/bytes, int) tuple")
        } else {
            raise!(TypeError, "decoding error handler must return (str, int) tuple")
        });
    }
    Ok((tuple::get(&r, 0).new_ref(), tuple::get(&r, 1).new_ref()))
}

/// The state of one encoding call's error handling.
pub struct EncodeErrors<'a> {
    obj: &'a Obj,
    cps: &'a [u32],
    errors: &'a str,
    codec: &'a str,
    reason: &'a str,
}

impl<'a> EncodeErrors<'a> {
    pub fn new(obj: &'a Obj, cps: &'a [u32], errors: &'a str, codec: &'a str, reason: &'a str) -> Self {
        EncodeErrors { obj, cps, errors, codec, reason }
    }

    fn exception(&self, start: usize, end: usize) -> PyResult<PyRef> {
        unicode_error::new(Kind::Encode, self.codec, self.obj, start, end, self.reason)
    }

    fn fail(&self, start: usize, end: usize) -> PyErr {
        match self.exception(start, end) {
            Ok(e) => PyErr::from_value(e),
            Err(e) => e,
        }
    }

    /// Handles the unencodable run `start..end`: writes the replacement into `out` (each
    /// character through `push`, after checking it with `encodable`) and returns where
    /// encoding resumes.
    pub fn handle(
        &mut self,
        start: usize,
        end: usize,
        out: &mut Vec<u8>,
        encodable: &dyn Fn(u32) -> bool,
        push: &dyn Fn(&mut Vec<u8>, u32),
    ) -> PyResult<usize> {
        let bad = &self.cps[start..end];
        let text: Vec<u32> = match self.errors {
            "strict" => return Err(self.fail(start, end)),
            "ignore" => Vec::new(),
            "replace" => vec![u32::from(b'?'); bad.len()],
            "backslashreplace" => super::builtin::backslash_escape(bad),
            "xmlcharrefreplace" => bad.iter().flat_map(|c| format!("&#{c};").into_bytes()).map(u32::from).collect(),
            "namereplace" => name_escape(bad),
            "surrogateescape" => {
                if !bad.iter().all(|c| (0xdc80..=0xdcff).contains(c)) {
                    return Err(self.fail(start, end));
                }
                out.extend(bad.iter().map(|c| (c - 0xdc00) as u8));
                return Ok(end);
            }
            "surrogatepass" => return Err(self.fail(start, end)),
            _ => {
                let exc = self.exception(start, end)?;
                let (rep, pos) = call_handler(self.errors, &exc, true)?;
                let pos = new_position(&pos, self.cps.len())?;
                if bytes::check(&rep) {
                    out.extend_from_slice(bytes::as_bytes(&rep));
                } else {
                    let cps = unicode::code_points(&rep);
                    if !cps.iter().all(|&c| encodable(c)) {
                        return Err(self.fail(start, end));
                    }
                    for c in cps {
                        push(out, c);
                    }
                }
                return Ok(pos);
            }
        };
        if !text.iter().all(|&c| encodable(c)) {
            return Err(self.fail(start, end));
        }
        for c in text {
            push(out, c);
        }
        Ok(end)
    }
}

/// The state of one decoding call: the input, the text so far, and the error handling.
pub struct DecodeErrors<'a> {
    pub input: &'a [u8],
    input_obj: Option<PyRef>,
    pub errors: &'a str,
    pub codec: &'a str,
    pub out: Vec<u32>,
}

impl<'a> DecodeErrors<'a> {
    pub fn new(input: &'a [u8], input_obj: Option<&Obj>, errors: &'a str, codec: &'a str) -> Self {
        DecodeErrors { input, input_obj: input_obj.map(Obj::new_ref), errors, codec, out: Vec::with_capacity(input.len()) }
    }

    fn exception(&mut self, start: usize, end: usize, reason: &str) -> PyResult<PyRef> {
        let obj = self.input_obj.get_or_insert_with(|| bytes::new(self.input)).clone();
        unicode_error::new(Kind::Decode, self.codec, &obj, start, end, reason)
    }

    /// Handles the undecodable bytes `start..end`: appends the replacement to `out`, returns
    /// where decoding resumes.
    pub fn handle(&mut self, start: usize, end: usize, reason: &str) -> PyResult<usize> {
        let bad = &self.input[start..end];
        match self.errors {
            "ignore" => {}
            "replace" => self.out.push(0xfffd),
            "backslashreplace" => {
                for &x in bad {
                    self.out.extend(format!("\\x{x:02x}").bytes().map(u32::from));
                }
            }
            "surrogateescape" => {
                // Up to four leading bytes of 128 and above become lone surrogates.
                let n = bad.iter().take(4).take_while(|&&x| x >= 0x80).count();
                if n == 0 {
                    return Err(PyErr::from_value(self.exception(start, end, reason)?));
                }
                self.out.extend(bad[..n].iter().map(|&x| 0xdc00 + x as u32));
                return Ok(start + n);
            }
            "strict" | "surrogatepass" => return Err(PyErr::from_value(self.exception(start, end, reason)?)),
            _ => {
                let exc = self.exception(start, end, reason)?;
                let (rep, pos) = call_handler(self.errors, &exc, false)?;
                let pos = new_position(&pos, self.input.len())?;
                self.out.extend(unicode::code_points(&rep));
                return Ok(pos);
            }
        }
        Ok(end)
    }
}

/// `\N{NAME}` for characters with a name, else the backslash escape (`namereplace`).
fn name_escape(cps: &[u32]) -> Vec<u32> {
    let mut out = Vec::new();
    for &c in cps {
        match pyrite_ucd::name(c, pyrite_ucd::Version::Current) {
            Some(n) => out.extend(format!("\\N{{{n}}}").bytes().map(u32::from)),
            None => out.extend(super::builtin::backslash_escape(&[c])),
        }
    }
    out
}

// ---- the standard handlers as callables ------------------------------------------------------

/// Which of the standard handlers.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Standard {
    Strict,
    Ignore,
    Replace,
    XmlCharRefReplace,
    BackslashReplace,
    NameReplace,
    SurrogateEscape,
    SurrogatePass,
}

fn wrong_kind(exc: &Obj) -> PyErr {
    raise!(TypeError, "don't know how to handle {} in error callback", exc.ob_type().name())
}

/// Runs a standard handler on an error object, as `codecs.<name>_errors(exc)` does.
pub fn run_standard(h: Standard, exc: &Obj) -> PyResult<PyRef> {
    if h == Standard::Strict {
        if exc.is_instance_of(crate::objects::exceptions::BaseException()) {
            return Err(PyErr::from_value(exc.new_ref()));
        }
        return Err(raise!(TypeError, "codec must pass exception instance"));
    }
    let Some(kind) = Kind::of(exc) else { return Err(wrong_kind(exc)) };
    let as_bytes = kind == Kind::Decode;
    let (start, end) = unicode_error::clipped_range(exc, as_bytes)?;
    let obj = unicode_error::object(exc, as_bytes)?;
    let n = end.saturating_sub(start);
    let cps = || unicode::code_points(&obj)[start..start + n].to_vec();
    let text: Vec<u32> = match (h, kind) {
        (Standard::Ignore, _) => Vec::new(),
        (Standard::Replace, Kind::Encode) => vec![u32::from(b'?'); n],
        (Standard::Replace, Kind::Decode) => vec![0xfffd],
        (Standard::Replace, Kind::Translate) => vec![0xfffd; n],
        (Standard::XmlCharRefReplace, Kind::Encode) => cps().iter().flat_map(|c| format!("&#{c};").into_bytes()).map(u32::from).collect(),
        (Standard::BackslashReplace, Kind::Decode) => {
            bytes::as_bytes(&obj)[start..start + n].iter().flat_map(|x| format!("\\x{x:02x}").into_bytes()).map(u32::from).collect()
        }
        (Standard::BackslashReplace, _) => super::builtin::backslash_escape(&cps()),
        (Standard::NameReplace, Kind::Encode) => name_escape(&cps()),
        (Standard::SurrogateEscape, Kind::Decode) => {
            let b = &bytes::as_bytes(&obj)[start..start + n];
            let k = b.iter().take(4).take_while(|&&x| x >= 0x80).count();
            if k == 0 {
                return Err(PyErr::from_value(exc.new_ref()));
            }
            let text: Vec<u32> = b[..k].iter().map(|&x| 0xdc00 + x as u32).collect();
            return Ok(tuple::new_from_owned(vec![unicode::from_code_points(&text), long::from_usize(start + k)]));
        }
        (Standard::SurrogateEscape, Kind::Encode) => {
            let c = cps();
            if !c.iter().all(|x| (0xdc80..=0xdcff).contains(x)) {
                return Err(PyErr::from_value(exc.new_ref()));
            }
            let b: Vec<u8> = c.iter().map(|x| (x - 0xdc00) as u8).collect();
            return Ok(tuple::new_from_owned(vec![bytes::new(&b), long::from_usize(end)]));
        }
        (Standard::SurrogatePass, Kind::Encode | Kind::Decode) => {
            // Only UTF-8/16/32 can pass surrogates; the codecs do it themselves, so a direct
            // call is only ever for one they cannot: fail as CPython does for such codecs.
            return Err(PyErr::from_value(exc.new_ref()));
        }
        _ => return Err(wrong_kind(exc)),
    };
    Ok(tuple::new_from_owned(vec![unicode::from_code_points(&text), long::from_usize(end)]))
}
