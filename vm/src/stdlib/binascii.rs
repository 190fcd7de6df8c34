//! `binascii` (CPython's `Modules/binascii.c`), the parts `base64` and friends use: hex
//! (`hexlify`/`unhexlify` with separators and 3.15's `ignorechars`), base32 (3.15's
//! `a2b_base32`/`b2a_base32`, always strict), base64 (`a2b_base64` with 3.15's
//! `strict_mode`/`padded`/`alphabet`/`ignorechars`/`canonical`, `b2a_base64` with
//! `padded`/`wrapcol`/`newline`/`alphabet`), base85 (3.15's `a2b_base85`/`b2a_base85`, also
//! Z85), 3.15's Ascii85 (`a2b_ascii85`/`b2a_ascii85`: `z`/`y` short groups, Adobe framing)
//! and the CRCs (`crc32`, `crc_hqx`), with `binascii.Error`/`Incomplete`. Not here yet:
//! uuencode and quoted-printable (`quopri` has a Python fallback).

use std::sync::OnceLock;

use pyrite_abi::*;

use crate::err::{PyErr, PyResult};
use crate::method_table;
use crate::object::{Obj, PyRef, SyncPtr};
use crate::objects::argparse::{self, Kw, Sig};
use crate::objects::type_::TypeObj;
use crate::objects::{bytes, dict, long, tuple, unicode};
use crate::abstract_;

pub fn create() -> PyResult<PyRef> {
    let m = super::native::new_module("binascii", BINASCII_FUNCTIONS.0.get() as *mut PyMethodDef)?;
    let d = crate::objects::module::dict_of(&m);
    dict::set_item_str(d, "Error", error_class())?;
    dict::set_item_str(d, "Incomplete", incomplete_class())?;
    dict::set_item_str(d, "BASE64_ALPHABET", &bytes::new(B64))?;
    dict::set_item_str(d, "URLSAFE_BASE64_ALPHABET", &bytes::new(B64_URLSAFE))?;
    dict::set_item_str(d, "BASE32_ALPHABET", &bytes::new(B32))?;
    dict::set_item_str(d, "BASE32HEX_ALPHABET", &bytes::new(B32_HEX))?;
    dict::set_item_str(d, "BASE85_ALPHABET", &bytes::new(B85))?;
    dict::set_item_str(d, "Z85_ALPHABET", &bytes::new(Z85))?;
    Ok(m)
}

method_table!(static BINASCII_FUNCTIONS = [
    kw c"hexlify" => hexlify,
    kw c"b2a_hex" => b2a_hex,
    kw c"unhexlify" => unhexlify,
    kw c"a2b_hex" => unhexlify,
    kw c"a2b_base64" => a2b_base64,
    kw c"b2a_base64" => b2a_base64,
    kw c"a2b_base32" => a2b_base32,
    kw c"b2a_base32" => b2a_base32,
    kw c"a2b_base85" => a2b_base85,
    kw c"b2a_base85" => b2a_base85,
    kw c"a2b_ascii85" => a2b_ascii85,
    kw c"b2a_ascii85" => b2a_ascii85,
    fast c"crc32" => crc32,
    fast c"crc_hqx" => crc_hqx,
]);

fn make_class(name: &str, base: &Obj) -> SyncPtr<PyObject> {
    let ns = dict::new();
    dict::set_item_str(&ns, "__module__", &unicode::new("binascii")).expect("dict insert");
    let cls = abstract_::call(
        &crate::objects::type_::PyType_Type,
        &tuple::new_from(&[&*unicode::new(name), &*tuple::new_from(&[base]), &*ns]),
        None,
    )
    .expect("creating a binascii exception");
    SyncPtr(crate::object::make_immortal(cls))
}

/// `binascii.Error`, a `ValueError`.
fn error_class() -> &'static Obj {
    static C: OnceLock<SyncPtr<PyObject>> = OnceLock::new();
    // SAFETY: the class is immortal.
    unsafe { Obj::from_ptr(C.get_or_init(|| make_class("Error", crate::objects::exceptions::ValueError())).0) }
}

fn incomplete_class() -> &'static Obj {
    static C: OnceLock<SyncPtr<PyObject>> = OnceLock::new();
    // SAFETY: the class is immortal.
    unsafe { Obj::from_ptr(C.get_or_init(|| make_class("Incomplete", crate::objects::exceptions::Exception())).0) }
}

fn error(msg: &str) -> PyErr {
    PyErr::from_type_and_arg(TypeObj::downcast(error_class()).expect("a class"), &unicode::new(msg))
}

/// The `ascii_buffer` converter: bytes-like data, or a str of ASCII characters.
fn ascii_data(o: &Obj) -> PyResult<Vec<u8>> {
    if unicode::check(o) {
        if !unicode::is_ascii(o) {
            return Err(raise!(ValueError, "string argument should contain only ASCII characters"));
        }
        return Ok(unicode::as_str_lossy(o).as_bytes().to_vec());
    }
    bytes::buffer_bytes(o)?.ok_or_else(|| {
        raise!(TypeError, "argument should be bytes, buffer or ASCII string, not '{}'", o.ob_type().name())
    })
}

// ---- hex ------------------------------------------------------------------------------------

fn hex_impl(name: &'static str, a: &[&Obj], kw: Kw) -> PyResult<PyRef> {
    let sig = Sig { name, params: &["data", "sep", "bytes_per_sep"], posonly: 0, maxpos: 3, required: 1 };
    let [data, sep, per] = argparse::parse::<3>(&sig, a, kw)?;
    let data = bytes::bytes_like(data.unwrap())?;
    let per = per.map_or(Ok(1), argparse::c_int)?;
    let digits = |b: u8, out: &mut Vec<u8>| {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        out.push(HEX[(b >> 4) as usize]);
        out.push(HEX[(b & 15) as usize]);
    };
    let mut out = Vec::with_capacity(data.len() * 3);
    let sep = match argparse::not_none(sep) {
        None => None,
        Some(s) => {
            let b = if unicode::check(s) { unicode::as_str_lossy(s).as_bytes().to_vec() } else { bytes::bytes_like(s)? };
            if unicode::check(s) && unicode::len(s) != 1 || !unicode::check(s) && b.len() != 1 {
                return Err(raise!(ValueError, "sep must be length 1."));
            }
            if !b[0].is_ascii() {
                return Err(raise!(ValueError, "sep must be ASCII."));
            }
            Some(b[0])
        }
    };
    match sep {
        Some(sep) if per != 0 && !data.is_empty() => {
            let group = per.unsigned_abs() as usize;
            // Positive: groups counted from the right; negative: from the left.
            let first = if per > 0 { data.len() % group } else { 0 };
            for (i, b) in data.iter().enumerate() {
                let boundary = if per > 0 { i != 0 && (i + group - first) % group == 0 } else { i != 0 && i % group == 0 };
                if boundary {
                    out.push(sep);
                }
                digits(*b, &mut out);
            }
        }
        _ => data.iter().for_each(|b| digits(*b, &mut out)),
    }
    Ok(bytes::new(&out))
}

fn hexlify(_m: &Obj, a: &[&Obj], kw: Kw) -> PyResult<PyRef> {
    hex_impl("hexlify", a, kw)
}

fn b2a_hex(_m: &Obj, a: &[&Obj], kw: Kw) -> PyResult<PyRef> {
    hex_impl("b2a_hex", a, kw)
}

/// `unhexlify(hexstr, /, *, ignorechars=b'')`: digits are read skipping the ignored bytes;
/// an invalid byte is reported before an odd digit count.
fn unhexlify(_m: &Obj, a: &[&Obj], kw: Kw) -> PyResult<PyRef> {
    let sig = Sig { name: "unhexlify", params: &["hexstr", "ignorechars"], posonly: 1, maxpos: 1, required: 1 };
    let [data, ignore] = argparse::parse::<2>(&sig, a, kw)?;
    let data = ascii_data(data.unwrap())?;
    let ignore = ignore.map(bytes::bytes_like).transpose()?.unwrap_or_default();
    let val = |c: u8| (c as char).to_digit(16).map(|d| d as u8);
    let mut digits = Vec::with_capacity(data.len());
    for &c in &data {
        match val(c) {
            Some(d) => digits.push(d),
            None if ignore.contains(&c) => {}
            None => return Err(error("Non-hexadecimal digit found")),
        }
    }
    if digits.len() % 2 != 0 {
        return Err(error("Odd number of hexadecimal digits"));
    }
    Ok(bytes::new(&digits.chunks(2).map(|p| p[0] << 4 | p[1]).collect::<Vec<u8>>()))
}

// ---- base64 ---------------------------------------------------------------------------------

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const B64_URLSAFE: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// An `alphabet` argument: 64 bytes (the standard alphabet when absent).
fn alphabet_arg(o: Option<&Obj>) -> PyResult<Vec<u8>> {
    match o {
        None => Ok(B64.to_vec()),
        Some(o) => {
            let a = bytes::bytes_like(o)?;
            if a.len() != 64 {
                return Err(raise!(ValueError, "alphabet must have length 64"));
            }
            Ok(a)
        }
    }
}

/// A `size_t` keyword (`wrapcol`).
fn size_arg(o: Option<&Obj>) -> PyResult<usize> {
    match o {
        None => Ok(0),
        Some(o) => {
            let i = abstract_::index(o)?;
            if long::is_negative(&i) {
                return Err(raise!(ValueError, "Cannot convert negative int"));
            }
            Ok(long::to_u64(&i).ok_or_else(|| raise!(OverflowError, "Python int too large to convert to C size_t"))? as usize)
        }
    }
}

/// `a2b_base64(data, /, *, strict_mode=<ignorechars given>, padded=True, alphabet=..., ignorechars=..., canonical=False)`.
///
/// Lenient decoding (the default) skips bytes outside the alphabet and goes on after padding;
/// the padding seen at the end decides whether the last quad is complete. Strict decoding
/// rejects anything but the alphabet and `ignorechars`, and any data after complete padding.
fn a2b_base64(_m: &Obj, a: &[&Obj], kw: Kw) -> PyResult<PyRef> {
    let sig = Sig {
        name: "a2b_base64",
        params: &["data", "strict_mode", "padded", "alphabet", "ignorechars", "canonical"],
        posonly: 1,
        maxpos: 1,
        required: 1,
    };
    let [data, strict, padded, alphabet, ignore, canonical] = argparse::parse::<6>(&sig, a, kw)?;
    let data = ascii_data(data.unwrap())?;
    let ignore = ignore.map(bytes::bytes_like).transpose()?;
    let strict = strict.map_or(Ok(ignore.is_some()), abstract_::is_true)?;
    let ignore = ignore.unwrap_or_default();
    let padded = padded.map_or(Ok(true), abstract_::is_true)?;
    let canonical = canonical.map_or(Ok(false), abstract_::is_true)?;
    let mut table = [0xffu8; 256];
    for (i, &c) in alphabet_arg(alphabet)?.iter().enumerate() {
        table[c as usize] = i as u8;
    }
    let count_error = |n: usize| {
        error(&format!("Invalid base64-encoded string: number of data characters ({}) cannot be 1 more than a multiple of 4", n))
    };
    let mut out = Vec::with_capacity(data.len() / 4 * 3);
    let (mut quad_pos, mut pads, mut left) = (0usize, 0usize, 0u8);
    let mut padding_started = false;
    let mut data_chars = 0usize;
    if strict && padded && data.first() == Some(&b'=') {
        return Err(error("Leading padding not allowed"));
    }
    let mut i = 0;
    while i < data.len() {
        let c = data[i];
        i += 1;
        if c == b'=' {
            if strict && !padded {
                return Err(error("Padding not allowed"));
            }
            if strict && quad_pos == 0 {
                return Err(error("Excess padding not allowed"));
            }
            if strict && quad_pos == 1 {
                return Err(count_error(data_chars));
            }
            padding_started = true;
            pads += 1;
            if strict && quad_pos + pads >= 4 {
                if canonical && left != 0 {
                    return Err(error("Non-zero padding bits"));
                }
                // Only ignored bytes may follow complete padding.
                if let Some(&next) = data[i..].iter().find(|b| !ignore.contains(b)) {
                    return Err(error(if next == b'=' {
                        "Excess padding not allowed"
                    } else if table[next as usize] != 0xff {
                        "Excess data after padding"
                    } else {
                        "Only base64 data is allowed"
                    }));
                }
                return Ok(bytes::new(&out));
            }
            continue;
        }
        let v = table[c as usize];
        if v == 0xff {
            if strict && !ignore.contains(&c) {
                return Err(error("Only base64 data is allowed"));
            }
            continue;
        }
        if strict && padding_started {
            return Err(error("Discontinuous padding not allowed"));
        }
        pads = 0;
        data_chars += 1;
        match quad_pos {
            0 => {
                quad_pos = 1;
                left = v;
            }
            1 => {
                quad_pos = 2;
                out.push(left << 2 | v >> 4);
                left = v & 0x0f;
            }
            2 => {
                quad_pos = 3;
                out.push(left << 4 | v >> 2);
                left = v & 0x03;
            }
            _ => {
                quad_pos = 0;
                out.push(left << 6 | v);
                left = 0;
            }
        }
    }
    if quad_pos == 1 {
        return Err(count_error(data_chars));
    }
    if quad_pos != 0 && padded && quad_pos + pads < 4 {
        return Err(error("Incorrect padding"));
    }
    if canonical && quad_pos != 0 && left != 0 {
        return Err(error("Non-zero padding bits"));
    }
    Ok(bytes::new(&out))
}

/// `b2a_base64(data, /, *, padded=True, wrapcol=0, newline=True, alphabet=...)`: lines of
/// `wrapcol` rounded down to whole quads (at least one).
fn b2a_base64(_m: &Obj, a: &[&Obj], kw: Kw) -> PyResult<PyRef> {
    let sig = Sig { name: "b2a_base64", params: &["data", "padded", "wrapcol", "newline", "alphabet"], posonly: 1, maxpos: 1, required: 1 };
    let [data, padded, wrapcol, newline, alphabet] = argparse::parse::<5>(&sig, a, kw)?;
    let data = bytes::bytes_like(data.unwrap())?;
    let padded = padded.map_or(Ok(true), abstract_::is_true)?;
    let wrapcol = size_arg(wrapcol)?;
    let newline = newline.map_or(Ok(true), abstract_::is_true)?;
    let alphabet = alphabet_arg(alphabet)?;
    let mut text = Vec::with_capacity(data.len().div_ceil(3) * 4 + 1);
    for chunk in data.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (b[0] as u32) << 16 | (b[1] as u32) << 8 | b[2] as u32;
        for k in 0..4 {
            if k <= chunk.len() {
                text.push(alphabet[(n >> (18 - 6 * k) & 63) as usize]);
            } else if padded {
                text.push(b'=');
            }
        }
    }
    let mut out = wrap(text, wrapcol, 4);
    if newline {
        out.push(b'\n');
    }
    Ok(bytes::new(&out))
}

// ---- base32 (3.15) -------------------------------------------------------------------------

const B32: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const B32_HEX: &[u8; 32] = b"0123456789ABCDEFGHIJKLMNOPQRSTUV";

fn alphabet32_arg(o: Option<&Obj>) -> PyResult<Vec<u8>> {
    match o {
        None => Ok(B32.to_vec()),
        Some(o) => {
            let a = bytes::bytes_like(o)?;
            if a.len() != 32 {
                return Err(raise!(ValueError, "alphabet must have length 32"));
            }
            Ok(a)
        }
    }
}

/// Breaks `text` into lines of `wrapcol` rounded down to whole `unit`s (at least one).
fn wrap(text: Vec<u8>, wrapcol: usize, unit: usize) -> Vec<u8> {
    if wrapcol == 0 {
        return text;
    }
    let line = (wrapcol / unit * unit).max(unit);
    let mut v = Vec::with_capacity(text.len() + text.len() / line + 1);
    for (k, l) in text.chunks(line).enumerate() {
        if k > 0 {
            v.push(b'\n');
        }
        v.extend_from_slice(l);
    }
    v
}

/// `b2a_base32(data, /, *, padded=True, wrapcol=0, alphabet=BASE32_ALPHABET)`.
fn b2a_base32(_m: &Obj, a: &[&Obj], kw: Kw) -> PyResult<PyRef> {
    let sig = Sig { name: "b2a_base32", params: &["data", "padded", "wrapcol", "alphabet"], posonly: 1, maxpos: 1, required: 1 };
    let [data, padded, wrapcol, alphabet] = argparse::parse::<4>(&sig, a, kw)?;
    let data = bytes::bytes_like(data.unwrap())?;
    let padded = padded.map_or(Ok(true), abstract_::is_true)?;
    let wrapcol = size_arg(wrapcol)?;
    let alphabet = alphabet32_arg(alphabet)?;
    let mut text = Vec::with_capacity(data.len().div_ceil(5) * 8);
    for chunk in data.chunks(5) {
        let mut block = [0u8; 5];
        block[..chunk.len()].copy_from_slice(chunk);
        let n = block.iter().fold(0u64, |acc, b| acc << 8 | *b as u64);
        // Characters that carry data: ceil(bits / 5).
        let used = (chunk.len() * 8).div_ceil(5);
        for k in 0..8 {
            if k < used {
                text.push(alphabet[(n >> (35 - 5 * k) & 31) as usize]);
            } else if padded {
                text.push(b'=');
            }
        }
    }
    Ok(bytes::new(&wrap(text, wrapcol, 8)))
}

/// `a2b_base32(data, /, *, padded=True, alphabet=BASE32_ALPHABET, ignorechars=b'', canonical=False)`:
/// always strict (only the alphabet, padding and `ignorechars`).
fn a2b_base32(_m: &Obj, a: &[&Obj], kw: Kw) -> PyResult<PyRef> {
    let sig =
        Sig { name: "a2b_base32", params: &["data", "padded", "alphabet", "ignorechars", "canonical"], posonly: 1, maxpos: 1, required: 1 };
    let [data, padded, alphabet, ignore, canonical] = argparse::parse::<5>(&sig, a, kw)?;
    let data = ascii_data(data.unwrap())?;
    let padded = padded.map_or(Ok(true), abstract_::is_true)?;
    let ignore = ignore.map(bytes::bytes_like).transpose()?.unwrap_or_default();
    let canonical = canonical.map_or(Ok(false), abstract_::is_true)?;
    let mut table = [0xffu8; 256];
    for (i, &c) in alphabet32_arg(alphabet)?.iter().enumerate() {
        table[c as usize] = i as u8;
    }
    let count_error = |n: usize| {
        error(&format!(
            "Invalid base32-encoded string: number of data characters ({}) cannot be 1, 3, or 6 more than a multiple of 8",
            n
        ))
    };
    // Data characters in a final group that padding may complete, and the padding each needs.
    let pads_needed = |pos: usize| match pos {
        2 => Some(6),
        4 => Some(4),
        5 => Some(3),
        7 => Some(1),
        _ => None,
    };
    let mut out = Vec::with_capacity(data.len() / 8 * 5);
    let (mut pos, mut pads, mut data_chars) = (0usize, 0usize, 0usize);
    let (mut acc, mut bits) = (0u64, 0u32);
    if data.first() == Some(&b'=') {
        return Err(error(if padded { "Leading padding not allowed" } else { "Padding not allowed" }));
    }
    let mut i = 0;
    while i < data.len() {
        let c = data[i];
        i += 1;
        if c == b'=' {
            if !padded {
                return Err(error("Padding not allowed"));
            }
            if pos == 0 {
                return Err(error("Excess padding not allowed"));
            }
            let Some(need) = pads_needed(pos) else { return Err(count_error(data_chars)) };
            pads += 1;
            if pads == need {
                if canonical && acc & ((1 << bits) - 1) != 0 {
                    return Err(error("Non-zero padding bits"));
                }
                if let Some(&next) = data[i..].iter().find(|b| !ignore.contains(b)) {
                    return Err(error(if next == b'=' {
                        "Excess padding not allowed"
                    } else if table[next as usize] != 0xff {
                        "Excess data after padding"
                    } else {
                        "Only base32 data is allowed"
                    }));
                }
                return Ok(bytes::new(&out));
            }
            continue;
        }
        let v = table[c as usize];
        if v == 0xff {
            if ignore.contains(&c) {
                continue;
            }
            return Err(error("Only base32 data is allowed"));
        }
        if pads > 0 {
            return Err(error("Discontinuous padding not allowed"));
        }
        data_chars += 1;
        acc = (acc << 5 | v as u64) & 0xff_ffff_ffff;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
        pos = (pos + 1) % 8;
        if pos == 0 {
            acc = 0;
            bits = 0;
        }
    }
    if pos != 0 {
        if pads_needed(pos).is_none() {
            return Err(count_error(data_chars));
        }
        if padded {
            return Err(error("Incorrect padding"));
        }
        if canonical && acc & ((1 << bits) - 1) != 0 {
            return Err(error("Non-zero padding bits"));
        }
    }
    Ok(bytes::new(&out))
}

// ---- base85 (3.15) -------------------------------------------------------------------------

const B85: &[u8; 85] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz!#$%&()*+-;<=>?@^_`{|}~";
const Z85: &[u8; 85] = b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#";

fn alphabet85_arg(o: Option<&Obj>) -> PyResult<Vec<u8>> {
    match o {
        None => Ok(B85.to_vec()),
        Some(o) => {
            let a = bytes::bytes_like(o)?;
            if a.len() != 85 {
                return Err(raise!(ValueError, "alphabet must have length 85"));
            }
            Ok(a)
        }
    }
}

/// Base85 text of `data`: 5 characters per 4 bytes; a final partial group of `n` bytes keeps
/// `n + 1` characters unless `pad`.
fn encode85(data: &[u8], alphabet: &[u8], pad: bool) -> Vec<u8> {
    let mut text = Vec::with_capacity(data.len().div_ceil(4) * 5);
    for chunk in data.chunks(4) {
        let mut block = [0u8; 4];
        block[..chunk.len()].copy_from_slice(chunk);
        let mut n = u32::from_be_bytes(block);
        let mut digits = [0u8; 5];
        for d in digits.iter_mut().rev() {
            *d = alphabet[(n % 85) as usize];
            n /= 85;
        }
        let keep = if pad { 5 } else { chunk.len() + 1 };
        text.extend_from_slice(&digits[..keep]);
    }
    text
}

/// `b2a_base85(data, /, *, pad=False, wrapcol=0, alphabet=BASE85_ALPHABET)`.
fn b2a_base85(_m: &Obj, a: &[&Obj], kw: Kw) -> PyResult<PyRef> {
    let sig = Sig { name: "b2a_base85", params: &["data", "pad", "wrapcol", "alphabet"], posonly: 1, maxpos: 1, required: 1 };
    let [data, pad, wrapcol, alphabet] = argparse::parse::<4>(&sig, a, kw)?;
    let data = bytes::bytes_like(data.unwrap())?;
    let pad = pad.map_or(Ok(false), abstract_::is_true)?;
    let wrapcol = size_arg(wrapcol)?;
    let alphabet = alphabet85_arg(alphabet)?;
    Ok(bytes::new(&wrap(encode85(&data, &alphabet, pad), wrapcol, 5)))
}

/// `a2b_base85(data, /, *, alphabet=BASE85_ALPHABET, ignorechars=b'', canonical=False)`: a
/// final partial group is completed with the highest digit; `canonical` requires it to be
/// the shortest encoding of its bytes.
fn a2b_base85(_m: &Obj, a: &[&Obj], kw: Kw) -> PyResult<PyRef> {
    let sig = Sig { name: "a2b_base85", params: &["data", "alphabet", "ignorechars", "canonical"], posonly: 1, maxpos: 1, required: 1 };
    let [data, alphabet, ignore, canonical] = argparse::parse::<4>(&sig, a, kw)?;
    let data = ascii_data(data.unwrap())?;
    let alphabet = alphabet85_arg(alphabet)?;
    let ignore = ignore.map(bytes::bytes_like).transpose()?.unwrap_or_default();
    let canonical = canonical.map_or(Ok(false), abstract_::is_true)?;
    let mut table = [0xffu8; 256];
    for (i, &c) in alphabet.iter().enumerate() {
        table[c as usize] = i as u8;
    }
    let mut out = Vec::with_capacity(data.len() / 5 * 4);
    let mut group: Vec<u8> = Vec::with_capacity(5);
    let mut start = 0usize;
    let flush = |group: &[u8], start: usize, out: &mut Vec<u8>| -> PyResult<()> {
        let mut n: u64 = 0;
        for k in 0..5 {
            n = n * 85 + *group.get(k).unwrap_or(&84) as u64;
        }
        if n > u32::MAX as u64 {
            return Err(error(&format!("Base85 overflow in hunk starting at byte {}", start)));
        }
        let b = (n as u32).to_be_bytes();
        let keep = group.len() - 1;
        if canonical && group.len() < 5 {
            let again = encode85(&b[..keep], &alphabet, false);
            let given: Vec<u8> = group.iter().map(|v| alphabet[*v as usize]).collect();
            if again != given {
                return Err(error("Non-zero padding bits"));
            }
        }
        out.extend_from_slice(&b[..keep]);
        Ok(())
    };
    for (i, &c) in data.iter().enumerate() {
        let v = table[c as usize];
        if v == 0xff {
            if ignore.contains(&c) {
                continue;
            }
            return Err(error(&format!("bad Base85 character at position {}", i)));
        }
        if group.is_empty() {
            start = i;
        }
        group.push(v);
        if group.len() == 5 {
            flush(&group, start, &mut out)?;
            group.clear();
        }
    }
    match group.len() {
        0 => {}
        1 => return Err(error("Incomplete Base85 group")),
        _ => flush(&group, start, &mut out)?,
    }
    Ok(bytes::new(&out))
}

// ---- Ascii85 (3.15) ------------------------------------------------------------------------

/// Ascii85's digits are the 85 characters from `!` to `u`.
const A85: [u8; 85] = {
    let mut t = [0u8; 85];
    let mut i = 0;
    while i < 85 {
        t[i] = b'!' + i as u8;
        i += 1;
    }
    t
};
/// The group `y` stands for (with `foldspaces`): four spaces.
const A85_Y: u32 = 0x2020_2020;

/// `b2a_ascii85(data, /, *, foldspaces=False, wrapcol=0, pad=False, adobe=False)`: an
/// all-zero group of 4 bytes is written `z` (also a padded final group), four spaces `y`
/// with `foldspaces`; `adobe` frames the text in `<~` `~>` and never leaves `~>` split by a
/// line break.
fn b2a_ascii85(_m: &Obj, a: &[&Obj], kw: Kw) -> PyResult<PyRef> {
    let sig = Sig { name: "b2a_ascii85", params: &["data", "foldspaces", "wrapcol", "pad", "adobe"], posonly: 1, maxpos: 1, required: 1 };
    let [data, foldspaces, wrapcol, pad, adobe] = argparse::parse::<5>(&sig, a, kw)?;
    let data = bytes::bytes_like(data.unwrap())?;
    let foldspaces = foldspaces.map_or(Ok(false), abstract_::is_true)?;
    let mut wrapcol = size_arg(wrapcol)?;
    let pad = pad.map_or(Ok(false), abstract_::is_true)?;
    let adobe = adobe.map_or(Ok(false), abstract_::is_true)?;
    if adobe && wrapcol == 1 {
        // A line of one character would split the `~>` terminator.
        wrapcol = 2;
    }
    let mut text = Vec::with_capacity(data.len().div_ceil(4) * 5 + 4);
    if adobe {
        text.extend_from_slice(b"<~");
    }
    for chunk in data.chunks(4) {
        let mut block = [0u8; 4];
        block[..chunk.len()].copy_from_slice(chunk);
        let n = u32::from_be_bytes(block);
        let full = chunk.len() == 4;
        if n == 0 && (full || pad) {
            text.push(b'z');
        } else if foldspaces && full && n == A85_Y {
            text.push(b'y');
        } else {
            text.extend_from_slice(&encode85(&block, &A85, true)[..if pad { 5 } else { chunk.len() + 1 }]);
        }
    }
    if adobe {
        text.extend_from_slice(b"~>");
    }
    let mut text = wrap(text, wrapcol, 1);
    let len = text.len();
    if adobe && wrapcol != 0 && text[len - 2] == b'\n' {
        // `~\n>` becomes `\n~>`.
        text[len - 3] = b'\n';
        text[len - 2] = b'~';
    }
    Ok(bytes::new(&text))
}

/// `a2b_ascii85(data, /, *, foldspaces=False, adobe=False, ignorechars=b'', canonical=False)`.
/// Bytes outside the alphabet are skipped only if in `ignorechars`; a final partial group is
/// completed with the highest digit. `canonical` rejects `!!!!!` for `z` and final groups
/// that are not the shortest encoding of their bytes.
fn a2b_ascii85(_m: &Obj, a: &[&Obj], kw: Kw) -> PyResult<PyRef> {
    let sig = Sig { name: "a2b_ascii85", params: &["data", "foldspaces", "adobe", "ignorechars", "canonical"], posonly: 1, maxpos: 1, required: 1 };
    let [data, foldspaces, adobe, ignore, canonical] = argparse::parse::<5>(&sig, a, kw)?;
    let data = ascii_data(data.unwrap())?;
    let foldspaces = foldspaces.map_or(Ok(false), abstract_::is_true)?;
    let adobe = adobe.map_or(Ok(false), abstract_::is_true)?;
    let ignore = ignore.map(bytes::bytes_like).transpose()?.unwrap_or_default();
    let canonical = canonical.map_or(Ok(false), abstract_::is_true)?;
    let mut text = &data[..];
    if adobe {
        text = text.strip_suffix(b"~>").ok_or_else(|| error("Ascii85 encoded byte sequences must end with b'~>'"))?;
        text = text.strip_prefix(b"<~").unwrap_or(text);
    }
    let mut out = Vec::with_capacity(text.len() / 5 * 4 + 4);
    let mut group: Vec<u8> = Vec::with_capacity(5);
    // The value of a group (completed with `u`s), or None past 2**32 - 1.
    let value = |group: &[u8]| -> Option<u32> {
        let n = (0..5).fold(0u64, |n, k| n * 85 + *group.get(k).unwrap_or(&84) as u64);
        u32::try_from(n).ok()
    };
    for &c in text {
        if (b'!'..=b'u').contains(&c) {
            group.push(c - b'!');
            if group.len() == 5 {
                let n = value(&group).ok_or_else(|| error("Ascii85 overflow"))?;
                if canonical && n == 0 {
                    return Err(error("Non-canonical encoding, use 'z' for all-zero groups"));
                }
                out.extend_from_slice(&n.to_be_bytes());
                group.clear();
            }
        } else if c == b'z' || (c == b'y' && foldspaces) {
            if !group.is_empty() {
                return Err(error(&format!("'{}' inside Ascii85 5-tuple", c as char)));
            }
            out.extend_from_slice(&if c == b'z' { 0 } else { A85_Y }.to_be_bytes());
        } else if !ignore.contains(&c) {
            return Err(error(&format!("Non-Ascii85 digit found: {}", c as char)));
        }
    }
    if !group.is_empty() {
        let n = value(&group).ok_or_else(|| error("Ascii85 overflow"))?;
        if group.len() == 1 {
            return Err(error("Incomplete Ascii85 group"));
        }
        let keep = &n.to_be_bytes()[..group.len() - 1];
        if canonical && encode85(keep, &A85, false) != group.iter().map(|d| A85[*d as usize]).collect::<Vec<u8>>() {
            return Err(error("Non-zero padding bits"));
        }
        out.extend_from_slice(keep);
    }
    Ok(bytes::new(&out))
}

// ---- CRCs -----------------------------------------------------------------------------------

/// The CRC argument: an int whose low 32 bits are used (clinic's `unsigned int` bitwise).
pub(crate) fn crc_arg(o: Option<&&Obj>) -> PyResult<u32> {
    match o {
        None => Ok(0),
        Some(o) => {
            if !long::check(o) {
                return Err(raise!(TypeError, "'{}' object cannot be interpreted as an integer", o.ob_type().name()));
            }
            let low = long::and(o, &long::from_u64(u32::MAX as u64));
            Ok(long::to_u64(&low).unwrap_or(0) as u32)
        }
    }
}

fn crc32(_m: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    argparse::check_positional("crc32", a.len(), 1, 2)?;
    let data = bytes::bytes_like(a[0])?;
    let mut crc = !crc_arg(a.get(1))?;
    for &b in &data {
        crc ^= b as u32;
        for _ in 0..8 {
            crc = if crc & 1 != 0 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    Ok(long::from_u64(!crc as u64))
}

fn crc_hqx(_m: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    argparse::check_positional("crc_hqx", a.len(), 2, 2)?;
    let data = bytes::bytes_like(a[0])?;
    let mut crc = (crc_arg(a.get(1))? & 0xffff) as u16;
    for &b in &data {
        crc ^= (b as u16) << 8;
        for _ in 0..8 {
            crc = if crc & 0x8000 != 0 { (crc << 1) ^ 0x1021 } else { crc << 1 };
        }
    }
    Ok(long::from_u64(crc as u64))
}
