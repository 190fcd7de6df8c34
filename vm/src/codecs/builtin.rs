//! The codecs written in Rust (CPython's `Objects/unicodeobject.c` ones): UTF-8, ASCII,
//! Latin-1, UTF-16, UTF-32, UTF-7, unicode-escape, raw-unicode-escape and charmap, each with
//! the error handlers applied as CPython applies them (the standard ones inline, any other
//! through the registry with a `Unicode*Error` object).

use crate::err::PyResult;
use crate::object::{Obj, PyRef};
use crate::objects::{bytes, dict, long, none, tuple, unicode};

use super::errors::{DecodeErrors, EncodeErrors};

/// Byte order of a UTF-16/32 codec: 0 writes a BOM (native order) and sniffs one when
/// decoding; -1 little endian; 1 big endian (CPython's `byteorder` argument).
pub type ByteOrder = i32;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Codec {
    Utf8,
    Ascii,
    Latin1,
    Utf16(ByteOrder),
    Utf32(ByteOrder),
    Utf7,
    UnicodeEscape,
    RawUnicodeEscape,
}

/// CPython's `encodings.normalize_encoding` plus lower-casing (what `codecs.lookup` does to
/// a name since 3.9): runs of punctuation become one `_`, `.` is kept.
pub fn normalize(encoding: &str) -> String {
    let mut norm = String::with_capacity(encoding.len());
    let mut punct = false;
    for ch in encoding.chars() {
        if ch.is_alphanumeric() || ch == '.' {
            if punct && !norm.is_empty() {
                norm.push('_');
            }
            punct = false;
            norm.extend(ch.to_lowercase());
        } else {
            punct = true;
        }
    }
    norm
}

/// The built-in codec for a normalized name, by CPython's aliases (`encodings.aliases`).
pub fn lookup(norm: &str) -> Option<Codec> {
    Some(match norm {
        "utf_8" | "utf8" | "u8" | "utf" | "utf8_ucs2" | "utf8_ucs4" | "cp65001" => Codec::Utf8,
        "ascii" | "us_ascii" | "646" | "ansi_x3.4_1968" | "ansi_x3_4_1968" | "ansi_x3.4_1986" | "cp367" | "csascii" | "ibm367"
        | "iso646_us" | "iso_646.irv_1991" | "iso_ir_6" | "us" => Codec::Ascii,
        "latin_1" | "latin1" | "latin" | "l1" | "iso8859_1" | "iso_8859_1" | "iso_8859_1_1987" | "8859" | "cp819" | "ibm819"
        | "iso_ir_100" | "csisolatin1" => Codec::Latin1,
        "utf_16" | "utf16" | "u16" => Codec::Utf16(0),
        "utf_16_le" | "utf_16le" | "unicodelittleunmarked" => Codec::Utf16(-1),
        "utf_16_be" | "utf_16be" | "unicodebigunmarked" => Codec::Utf16(1),
        "utf_32" | "utf32" | "u32" => Codec::Utf32(0),
        "utf_32_le" | "utf_32le" => Codec::Utf32(-1),
        "utf_32_be" | "utf_32be" => Codec::Utf32(1),
        "utf_7" | "utf7" | "u7" | "unicode_1_1_utf_7" | "csunicode11utf7" => Codec::Utf7,
        "unicode_escape" => Codec::UnicodeEscape,
        "raw_unicode_escape" => Codec::RawUnicodeEscape,
        _ => return None,
    })
}

impl Codec {
    /// The name `encodings` gives the codec (`CodecInfo.name`).
    pub fn info_name(self) -> &'static str {
        match self {
            Codec::Utf8 => "utf-8",
            Codec::Ascii => "ascii",
            Codec::Latin1 => "iso8859-1",
            Codec::Utf16(0) => "utf-16",
            Codec::Utf16(-1) => "utf-16-le",
            Codec::Utf16(_) => "utf-16-be",
            Codec::Utf32(0) => "utf-32",
            Codec::Utf32(-1) => "utf-32-le",
            Codec::Utf32(_) => "utf-32-be",
            Codec::Utf7 => "utf-7",
            Codec::UnicodeEscape => "unicode-escape",
            Codec::RawUnicodeEscape => "raw-unicode-escape",
        }
    }
}

// ---- encoding -------------------------------------------------------------------------------

fn escape_into(out: &mut Vec<u32>, c: u32) {
    let s = if c < 0x100 {
        format!("\\x{c:02x}")
    } else if c < 0x10000 {
        format!("\\u{c:04x}")
    } else {
        format!("\\U{c:08x}")
    };
    out.extend(s.bytes().map(u32::from));
}

pub fn push_utf8(out: &mut Vec<u8>, c: u32) {
    match c {
        0..=0x7f => out.push(c as u8),
        0x80..=0x7ff => out.extend_from_slice(&[0xc0 | (c >> 6) as u8, 0x80 | (c & 0x3f) as u8]),
        0x800..=0xffff => out.extend_from_slice(&[0xe0 | (c >> 12) as u8, 0x80 | ((c >> 6) & 0x3f) as u8, 0x80 | (c & 0x3f) as u8]),
        _ => out.extend_from_slice(&[
            0xf0 | (c >> 18) as u8,
            0x80 | ((c >> 12) & 0x3f) as u8,
            0x80 | ((c >> 6) & 0x3f) as u8,
            0x80 | (c & 0x3f) as u8,
        ]),
    }
}

fn push_unit16(out: &mut Vec<u8>, u: u16, big: bool) {
    out.extend_from_slice(&if big { u.to_be_bytes() } else { u.to_le_bytes() });
}

fn push_utf16(out: &mut Vec<u8>, c: u32, big: bool) {
    if c >= 0x10000 {
        let v = c - 0x10000;
        push_unit16(out, 0xd800 | (v >> 10) as u16, big);
        push_unit16(out, 0xdc00 | (v & 0x3ff) as u16, big);
    } else {
        push_unit16(out, c as u16, big);
    }
}

fn push_utf32(out: &mut Vec<u8>, c: u32, big: bool) {
    out.extend_from_slice(&if big { c.to_be_bytes() } else { c.to_le_bytes() });
}

fn is_surrogate(c: u32) -> bool {
    (0xd800..0xe000).contains(&c)
}

/// Encodes the str `o` with a built-in codec.
pub fn encode(o: &Obj, codec: Codec, errors: &str) -> PyResult<PyRef> {
    if let (Codec::Utf8, Ok(text)) = (codec, unicode::as_str(o)) {
        return Ok(bytes::new(text.as_bytes()));
    }
    let cps = unicode::code_points(o);
    let out = match codec {
        Codec::Utf7 => encode_utf7(&cps),
        Codec::UnicodeEscape => encode_unicode_escape(&cps, false),
        Codec::RawUnicodeEscape => encode_unicode_escape(&cps, true),
        _ => encode_simple(o, &cps, codec, errors)?,
    };
    Ok(bytes::new(&out))
}

/// The codecs whose only failures are characters they cannot represent.
fn encode_simple(o: &Obj, cps: &[u32], codec: Codec, errors: &str) -> PyResult<Vec<u8>> {
    let (name, reason) = match codec {
        Codec::Utf8 => ("utf-8", "surrogates not allowed"),
        Codec::Ascii => ("ascii", "ordinal not in range(128)"),
        Codec::Latin1 => ("latin-1", "ordinal not in range(256)"),
        Codec::Utf16(bo) => ([("utf-16-le"), "utf-16", "utf-16-be"][(bo + 1) as usize], "surrogates not allowed"),
        Codec::Utf32(bo) => ([("utf-32-le"), "utf-32", "utf-32-be"][(bo + 1) as usize], "surrogates not allowed"),
        _ => unreachable!(),
    };
    let big = matches!(codec, Codec::Utf16(1) | Codec::Utf32(1));
    let encodable = |c: u32| match codec {
        Codec::Ascii => c < 0x80,
        Codec::Latin1 => c < 0x100,
        _ => !is_surrogate(c),
    };
    let push = |out: &mut Vec<u8>, c: u32| match codec {
        Codec::Utf8 => push_utf8(out, c),
        Codec::Ascii | Codec::Latin1 => out.push(c as u8),
        Codec::Utf16(_) => push_utf16(out, c, big),
        _ => push_utf32(out, c, big),
    };
    let mut out = Vec::with_capacity(cps.len());
    match codec {
        Codec::Utf16(0) => push_unit16(&mut out, 0xfeff, false),
        Codec::Utf32(0) => push_utf32(&mut out, 0xfeff, false),
        _ => {}
    }
    let mut errs = EncodeErrors::new(o, cps, errors, name, reason);
    let mut i = 0;
    while i < cps.len() {
        let c = cps[i];
        if encodable(c) {
            push(&mut out, c);
            i += 1;
            continue;
        }
        let mut end = i + 1;
        while end < cps.len() && !encodable(cps[end]) {
            end += 1;
        }
        if errors == "surrogatepass" && !matches!(codec, Codec::Ascii | Codec::Latin1) && cps[i..end].iter().all(|&c| is_surrogate(c)) {
            for &c in &cps[i..end] {
                match codec {
                    Codec::Utf16(_) => push_unit16(&mut out, c as u16, big),
                    _ => push(&mut out, c),
                }
            }
            i = end;
            continue;
        }
        // Replacement text must be ASCII for the Unicode codecs, encodable for the others.
        let ascii_only = !matches!(codec, Codec::Ascii | Codec::Latin1);
        i = errs.handle(i, end, &mut out, &|c| if ascii_only { c < 0x80 } else { encodable(c) }, &push)?;
    }
    Ok(out)
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

fn b64_value(b: u8) -> Option<u32> {
    B64.iter().position(|&x| x == b).map(|p| p as u32)
}

/// UTF-7 "direct" characters (written as themselves): RFC 2152's sets O and D plus space,
/// tab, CR, LF; CPython encodes set O directly too.
fn utf7_direct(c: u32) -> bool {
    c < 0x7f && c != u32::from(b'+') && c != u32::from(b'\\') && c != u32::from(b'~') && (c >= 32 || c == 9 || c == 10 || c == 13)
}

fn encode_utf7(cps: &[u32]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut in_shift = false;
    let (mut bits, mut nbits) = (0u64, 0u32);
    let mut units = Vec::new();
    for &c in cps {
        if in_shift {
            if utf7_direct(c) {
                if nbits > 0 {
                    out.push(B64[((bits << (6 - nbits)) & 0x3f) as usize]);
                    bits = 0;
                    nbits = 0;
                }
                in_shift = false;
                // A '-' terminates explicitly when the next character could be read as base64.
                if b64_value(c as u8).is_some() || c == u32::from(b'-') {
                    out.push(b'-');
                }
                out.push(c as u8);
                continue;
            }
        } else if c == u32::from(b'+') {
            out.extend_from_slice(b"+-");
            continue;
        } else if utf7_direct(c) {
            out.push(c as u8);
            continue;
        } else {
            out.push(b'+');
            in_shift = true;
        }
        units.clear();
        if c >= 0x10000 {
            let v = c - 0x10000;
            units.push(0xd800 | (v >> 10));
            units.push(0xdc00 | (v & 0x3ff));
        } else {
            units.push(c);
        }
        for &u in &units {
            bits = (bits << 16) | u as u64;
            nbits += 16;
            while nbits >= 6 {
                nbits -= 6;
                out.push(B64[((bits >> nbits) & 0x3f) as usize]);
            }
            bits &= (1 << nbits) - 1;
        }
    }
    if in_shift {
        if nbits > 0 {
            out.push(B64[((bits << (6 - nbits)) & 0x3f) as usize]);
        }
        out.push(b'-');
    }
    out
}

fn encode_unicode_escape(cps: &[u32], raw: bool) -> Vec<u8> {
    let mut out = Vec::with_capacity(cps.len());
    for &c in cps {
        if raw {
            if c < 0x100 {
                out.push(c as u8);
            } else if c < 0x10000 {
                out.extend_from_slice(format!("\\u{c:04x}").as_bytes());
            } else {
                out.extend_from_slice(format!("\\U{c:08x}").as_bytes());
            }
            continue;
        }
        match c {
            0x5c => out.extend_from_slice(b"\\\\"),
            0x09 => out.extend_from_slice(b"\\t"),
            0x0a => out.extend_from_slice(b"\\n"),
            0x0d => out.extend_from_slice(b"\\r"),
            0x20..=0x7e => out.push(c as u8),
            0..=0xff => out.extend_from_slice(format!("\\x{c:02x}").as_bytes()),
            0x100..=0xffff => out.extend_from_slice(format!("\\u{c:04x}").as_bytes()),
            _ => out.extend_from_slice(format!("\\U{c:08x}").as_bytes()),
        }
    }
    out
}

// ---- decoding -------------------------------------------------------------------------------

/// The result of a decoder: the text, how many bytes it consumed (less than all only when
/// not `final` and the input ends inside a sequence), and the byte order a UTF-16/32
/// decoder settled on.
pub struct Decoded {
    pub text: PyRef,
    pub consumed: usize,
    pub byteorder: ByteOrder,
}

/// Decodes `b` with a built-in codec. `input` is the bytes object to put in error objects
/// (made from `b` when absent).
pub fn decode(b: &[u8], input: Option<&Obj>, codec: Codec, errors: &str, final_: bool) -> PyResult<Decoded> {
    let mut d = DecodeErrors::new(b, input, errors, "");
    let mut bo = 0;
    let consumed = match codec {
        Codec::Latin1 => {
            d.out.extend(b.iter().map(|&x| x as u32));
            b.len()
        }
        Codec::Ascii => {
            d.codec = "ascii";
            let mut i = 0;
            while i < b.len() {
                if b[i] < 0x80 {
                    d.out.push(b[i] as u32);
                    i += 1;
                } else {
                    i = d.handle(i, i + 1, "ordinal not in range(128)")?;
                }
            }
            b.len()
        }
        Codec::Utf8 => {
            if let Ok(text) = core::str::from_utf8(b) {
                return Ok(Decoded { text: unicode::new(text), consumed: b.len(), byteorder: 0 });
            }
            d.codec = "utf-8";
            decode_utf8(&mut d, final_)?
        }
        Codec::Utf16(order) => {
            let (n, o) = decode_utf16(&mut d, order, final_)?;
            bo = o;
            n
        }
        Codec::Utf32(order) => {
            let (n, o) = decode_utf32(&mut d, order, final_)?;
            bo = o;
            n
        }
        Codec::Utf7 => {
            d.codec = "utf7";
            decode_utf7(&mut d, final_)?
        }
        Codec::UnicodeEscape => {
            d.codec = "unicodeescape";
            decode_unicode_escape(&mut d, false, final_)?
        }
        Codec::RawUnicodeEscape => {
            d.codec = "rawunicodeescape";
            decode_unicode_escape(&mut d, true, final_)?
        }
    };
    Ok(Decoded { text: unicode::from_code_points(&d.out), consumed, byteorder: bo })
}

/// Whether `b[i..]` starts with a UTF-8-encoded surrogate (what `surrogatepass` accepts).
fn encoded_surrogate(b: &[u8], i: usize) -> Option<u32> {
    if i + 3 <= b.len() && b[i] == 0xed && (0xa0..=0xbf).contains(&b[i + 1]) && (0x80..=0xbf).contains(&b[i + 2]) {
        Some(0xd000 | ((b[i + 1] as u32 & 0x3f) << 6) | (b[i + 2] as u32 & 0x3f))
    } else {
        None
    }
}

fn decode_utf8(d: &mut DecodeErrors, final_: bool) -> PyResult<usize> {
    let b = d.input;
    let mut i = 0;
    while i < b.len() {
        match core::str::from_utf8(&b[i..]) {
            Ok(text) => {
                d.out.extend(text.chars().map(|c| c as u32));
                i = b.len();
            }
            Err(e) => {
                let start = i + e.valid_up_to();
                // SAFETY: validated above.
                d.out.extend(unsafe { core::str::from_utf8_unchecked(&b[i..start]) }.chars().map(|c| c as u32));
                let (end, reason) = match e.error_len() {
                    None => {
                        if !final_ {
                            return Ok(start);
                        }
                        (b.len(), "unexpected end of data")
                    }
                    Some(n) => {
                        let lead = b[start];
                        let invalid_start = (0x80..=0xc1).contains(&lead) || lead >= 0xf5;
                        (start + n, if invalid_start { "invalid start byte" } else { "invalid continuation byte" })
                    }
                };
                if d.errors == "surrogatepass"
                    && let Some(c) = encoded_surrogate(b, start)
                {
                    d.out.push(c);
                    i = start + 3;
                    continue;
                }
                i = d.handle(start, end, reason)?;
            }
        }
    }
    Ok(b.len())
}

fn decode_utf16(d: &mut DecodeErrors, mut order: ByteOrder, final_: bool) -> PyResult<(usize, ByteOrder)> {
    let b = d.input;
    let mut i = 0;
    if order == 0 && b.len() >= 2 {
        match (b[0], b[1]) {
            (0xff, 0xfe) => {
                order = -1;
                i = 2;
            }
            (0xfe, 0xff) => {
                order = 1;
                i = 2;
            }
            _ => {}
        }
    }
    let big = order == 1;
    d.codec = if big { "utf-16-be" } else { "utf-16-le" };
    let unit = |i: usize| -> u32 { (if big { u16::from_be_bytes([b[i], b[i + 1]]) } else { u16::from_le_bytes([b[i], b[i + 1]]) }) as u32 };
    while i < b.len() {
        if i + 2 > b.len() {
            if !final_ {
                break;
            }
            i = d.handle(i, b.len(), "truncated data")?;
            continue;
        }
        let u = unit(i);
        if !is_surrogate(u) {
            d.out.push(u);
            i += 2;
            continue;
        }
        if u >= 0xdc00 {
            if d.errors == "surrogatepass" {
                d.out.push(u);
                i += 2;
            } else {
                i = d.handle(i, i + 2, "illegal encoding")?;
            }
            continue;
        }
        if i + 4 > b.len() {
            if !final_ {
                break;
            }
            if d.errors == "surrogatepass" && i + 2 == b.len() {
                d.out.push(u);
                i += 2;
                continue;
            }
            i = d.handle(i, b.len(), "unexpected end of data")?;
            continue;
        }
        let u2 = unit(i + 2);
        if (0xdc00..0xe000).contains(&u2) {
            d.out.push(0x10000 + (((u & 0x3ff) << 10) | (u2 & 0x3ff)));
            i += 4;
        } else if d.errors == "surrogatepass" {
            d.out.push(u);
            i += 2;
        } else {
            i = d.handle(i, i + 2, "illegal UTF-16 surrogate")?;
        }
    }
    Ok((i.min(b.len()), order))
}

fn decode_utf32(d: &mut DecodeErrors, mut order: ByteOrder, final_: bool) -> PyResult<(usize, ByteOrder)> {
    let b = d.input;
    let mut i = 0;
    if order == 0 && b.len() >= 4 {
        match (b[0], b[1], b[2], b[3]) {
            (0xff, 0xfe, 0, 0) => {
                order = -1;
                i = 4;
            }
            (0, 0, 0xfe, 0xff) => {
                order = 1;
                i = 4;
            }
            _ => {}
        }
    }
    let big = order == 1;
    d.codec = if big { "utf-32-be" } else { "utf-32-le" };
    while i < b.len() {
        if i + 4 > b.len() {
            if !final_ {
                break;
            }
            i = d.handle(i, b.len(), "truncated data")?;
            continue;
        }
        let w = [b[i], b[i + 1], b[i + 2], b[i + 3]];
        let c = if big { u32::from_be_bytes(w) } else { u32::from_le_bytes(w) };
        if c >= 0x110000 {
            i = d.handle(i, i + 4, "code point not in range(0x110000)")?;
        } else if is_surrogate(c) && d.errors != "surrogatepass" {
            i = d.handle(i, i + 4, "code point in surrogate code point range(0xd800, 0xe000)")?;
        } else {
            d.out.push(c);
            i += 4;
        }
    }
    Ok((i.min(b.len()), order))
}

fn decode_utf7(d: &mut DecodeErrors, final_: bool) -> PyResult<usize> {
    let b = d.input;
    let mut i = 0;
    let mut in_shift = false;
    let mut shift_start = 0; // where the current shift sequence began ('+')
    let mut out_at_shift = 0; // output length before it
    let (mut bits, mut nbits) = (0u32, 0u32);
    let mut surrogate: u32 = 0;
    while i < b.len() {
        let ch = b[i];
        if in_shift {
            if let Some(v) = b64_value(ch) {
                bits = (bits << 6) | v;
                nbits += 6;
                i += 1;
                if nbits >= 16 {
                    let u = (bits >> (nbits - 16)) & 0xffff;
                    nbits -= 16;
                    bits &= (1 << nbits) - 1;
                    if surrogate != 0 {
                        if (0xdc00..0xe000).contains(&u) {
                            d.out.push(0x10000 + (((surrogate & 0x3ff) << 10) | (u & 0x3ff)));
                            surrogate = 0;
                            continue;
                        }
                        d.out.push(surrogate);
                        surrogate = 0;
                    }
                    if (0xd800..0xdc00).contains(&u) {
                        surrogate = u;
                    } else {
                        d.out.push(u);
                    }
                }
                continue;
            }
            // The shift sequence ends here.
            in_shift = false;
            if nbits > 6 || (nbits > 0 && bits != 0) {
                let (start, end) = (shift_start, i + usize::from(ch == b'-'));
                let reason = if nbits > 6 { "partial character in shift sequence" } else { "non-zero padding bits in shift sequence" };
                // A pending high surrogate goes with the bad sequence.
                surrogate = 0;
                bits = 0;
                nbits = 0;
                i = d.handle(start, end, reason)?;
                continue;
            }
            if surrogate != 0 {
                d.out.push(surrogate);
                surrogate = 0;
            }
            bits = 0;
            nbits = 0;
            if ch == b'-' {
                i += 1;
            }
            continue;
        }
        if ch == b'+' {
            if i + 1 < b.len() && b[i + 1] == b'-' {
                d.out.push(u32::from(b'+'));
                i += 2;
            } else if i + 1 < b.len() && b64_value(b[i + 1]).is_none() {
                i = d.handle(i, i + 2, "ill-formed sequence")?;
            } else {
                shift_start = i;
                out_at_shift = d.out.len();
                in_shift = true;
                i += 1;
            }
        } else if ch < 0x80 {
            d.out.push(ch as u32);
            i += 1;
        } else {
            i = d.handle(i, i + 1, "unexpected special character")?;
        }
    }
    if in_shift && !final_ {
        // Leave the whole shift sequence for the next call.
        d.out.truncate(out_at_shift);
        return Ok(shift_start);
    }
    if in_shift && (surrogate != 0 || nbits >= 6 || (nbits > 0 && bits != 0)) {
        d.handle(shift_start, b.len(), "unterminated shift sequence")?;
    }
    Ok(b.len())
}

fn hex_digits(b: &[u8], i: usize, n: usize) -> Option<u32> {
    if i + n > b.len() {
        return None;
    }
    let mut v = 0u32;
    for &x in &b[i..i + n] {
        v = (v << 4) | (x as char).to_digit(16)?;
    }
    Some(v)
}

fn decode_unicode_escape(d: &mut DecodeErrors, raw: bool, final_: bool) -> PyResult<usize> {
    let b = d.input;
    let mut i = 0;
    while i < b.len() {
        let ch = b[i];
        if ch != b'\\' {
            d.out.push(ch as u32);
            i += 1;
            continue;
        }
        let start = i;
        if raw {
            // Only \uXXXX and \UXXXXXXXX after an odd run of backslashes are escapes.
            let mut j = i;
            while j < b.len() && b[j] == b'\\' {
                j += 1;
            }
            let run = j - i;
            if run % 2 == 0 || j >= b.len() || (b[j] != b'u' && b[j] != b'U') {
                if j >= b.len() && !final_ && run % 2 == 1 {
                    d.out.extend(core::iter::repeat_n(u32::from(b'\\'), run - 1));
                    return Ok(j - 1);
                }
                d.out.extend(core::iter::repeat_n(u32::from(b'\\'), run));
                i = j;
                continue;
            }
            d.out.extend(core::iter::repeat_n(u32::from(b'\\'), run - 1));
            let s = j - 1;
            let n = if b[j] == b'u' { 4 } else { 8 };
            let avail = b[j + 1..].iter().take(n).take_while(|x| x.is_ascii_hexdigit()).count();
            if avail < n {
                if !final_ && j + 1 + avail == b.len() {
                    return Ok(s);
                }
                let reason = if n == 4 { "truncated \\uXXXX escape" } else { "truncated \\UXXXXXXXX escape" };
                i = d.handle(s, j + 1 + avail, reason)?;
                continue;
            }
            let v = hex_digits(b, j + 1, n).unwrap_or(0);
            if v > 0x10ffff {
                i = d.handle(s, j + 1 + n, "\\Uxxxxxxxx out of range")?;
                continue;
            }
            d.out.push(v);
            i = j + 1 + n;
            continue;
        }
        if i + 1 >= b.len() {
            if !final_ {
                return Ok(i);
            }
            i = d.handle(i, b.len(), "\\ at end of string")?;
            continue;
        }
        let e = b[i + 1];
        i += 2;
        let simple = match e {
            b'\n' => Some(None),
            b'\\' => Some(Some(0x5c)),
            b'\'' => Some(Some(0x27)),
            b'"' => Some(Some(0x22)),
            b'b' => Some(Some(8)),
            b'f' => Some(Some(12)),
            b't' => Some(Some(9)),
            b'n' => Some(Some(10)),
            b'r' => Some(Some(13)),
            b'v' => Some(Some(11)),
            b'a' => Some(Some(7)),
            _ => None,
        };
        if let Some(c) = simple {
            d.out.extend(c);
            continue;
        }
        match e {
            b'0'..=b'7' => {
                let mut v = (e - b'0') as u32;
                for _ in 0..2 {
                    if i < b.len() && (b'0'..=b'7').contains(&b[i]) {
                        v = v * 8 + (b[i] - b'0') as u32;
                        i += 1;
                    }
                }
                d.out.push(v);
            }
            b'x' | b'u' | b'U' => {
                let (n, reason) = match e {
                    b'x' => (2, "truncated \\xXX escape"),
                    b'u' => (4, "truncated \\uXXXX escape"),
                    _ => (8, "truncated \\UXXXXXXXX escape"),
                };
                let avail = b[i..].iter().take(n).take_while(|x| x.is_ascii_hexdigit()).count();
                if avail < n {
                    if !final_ && i + avail == b.len() {
                        return Ok(start);
                    }
                    i = d.handle(start, i + avail, reason)?;
                    continue;
                }
                let v = hex_digits(b, i, n).unwrap_or(0);
                i += n;
                if v > 0x10ffff {
                    i = d.handle(start, i, "illegal Unicode character")?;
                    continue;
                }
                d.out.push(v);
            }
            b'N' => {
                let close = if i < b.len() && b[i] == b'{' { b[i + 1..].iter().position(|&x| x == b'}').map(|p| i + 1 + p) } else { None };
                match close {
                    Some(c) if c > i + 1 => {
                        let name = String::from_utf8_lossy(&b[i + 1..c]);
                        match pyrite_ucd::character_by_name(&name) {
                            Some(ch) => {
                                d.out.push(ch as u32);
                                i = c + 1;
                            }
                            None => i = d.handle(start, c + 1, "unknown Unicode character name")?,
                        }
                    }
                    _ => {
                        if !final_ && close.is_none() {
                            return Ok(start);
                        }
                        let end = match close {
                            Some(c) => c + 1,
                            None if i < b.len() && b[i] == b'{' => b.len(),
                            None => i,
                        };
                        i = d.handle(start, end, "malformed \\N character escape")?;
                    }
                }
            }
            _ => {
                // An invalid escape stays as it is (CPython also warns).
                d.out.push(0x5c);
                d.out.push(e as u32);
            }
        }
    }
    Ok(b.len())
}

// ---- charmap --------------------------------------------------------------------------------

/// `PyUnicode_DecodeCharmap`: no mapping (C NULL) is Latin-1; a str is a decoding table;
/// anything else is looked up by byte value (an int code point, a str, or None for undefined).
pub fn decode_charmap(b: &[u8], input: Option<&Obj>, errors: &str, mapping: Option<&Obj>) -> PyResult<PyRef> {
    let Some(mapping) = mapping else {
        return decode(b, input, Codec::Latin1, errors, true).map(|d| d.text);
    };
    let mut d = DecodeErrors::new(b, input, errors, "charmap");
    let table = if unicode::check(mapping) { Some(unicode::code_points(mapping)) } else { None };
    let mut i = 0;
    while i < b.len() {
        let x = b[i];
        if let Some(t) = &table {
            match t.get(x as usize) {
                Some(&c) if c != 0xfffe => {
                    d.out.push(c);
                    i += 1;
                }
                _ => i = d.handle(i, i + 1, "character maps to <undefined>")?,
            }
            continue;
        }
        let v = match crate::abstract_::getitem(mapping, &long::from_i64(x as i64)) {
            Ok(v) => Some(v),
            Err(e) if e.is_instance(crate::objects::exceptions::LookupError()) => None,
            Err(e) => return Err(e),
        };
        match v {
            None => i = d.handle(i, i + 1, "character maps to <undefined>")?,
            Some(v) if v.is(none::none_obj()) => i = d.handle(i, i + 1, "character maps to <undefined>")?,
            Some(v) if long::check(&v) => {
                let c = long::to_i64(&v).unwrap_or(-1);
                if !(0..=0x10ffff).contains(&c) {
                    return Err(raise!(TypeError, "character mapping must be in range(0x110000)"));
                }
                if c == 0xfffe {
                    i = d.handle(i, i + 1, "character maps to <undefined>")?;
                } else {
                    d.out.push(c as u32);
                    i += 1;
                }
            }
            Some(v) if unicode::check(&v) => {
                let cps = unicode::code_points(&v);
                if cps.len() == 1 && cps[0] == 0xfffe {
                    i = d.handle(i, i + 1, "character maps to <undefined>")?;
                } else {
                    d.out.extend(cps);
                    i += 1;
                }
            }
            Some(_) => return Err(raise!(TypeError, "character mapping must return integer, None or str")),
        }
    }
    Ok(unicode::from_code_points(&d.out))
}

/// What a charmap encoding maps one character to.
enum Mapped {
    Byte(Vec<u8>),
    Undefined,
}

fn charmap_lookup(mapping: &Obj, c: u32) -> PyResult<Mapped> {
    if let Some(m) = super::encoding_map::as_map(mapping) {
        return Ok(m.get(c).map_or(Mapped::Undefined, |b| Mapped::Byte(vec![b])));
    }
    let v = match crate::abstract_::getitem(mapping, &long::from_i64(c as i64)) {
        Ok(v) => v,
        Err(e) if e.is_instance(crate::objects::exceptions::LookupError()) => return Ok(Mapped::Undefined),
        Err(e) => return Err(e),
    };
    if v.is(none::none_obj()) {
        return Ok(Mapped::Undefined);
    }
    if long::check(&v) {
        let x = long::to_i64(&v).unwrap_or(-1);
        if !(0..256).contains(&x) {
            return Err(raise!(TypeError, "character mapping must be in range(256)"));
        }
        return Ok(Mapped::Byte(vec![x as u8]));
    }
    if bytes::check(&v) {
        return Ok(Mapped::Byte(bytes::as_bytes(&v).to_vec()));
    }
    Err(raise!(TypeError, "character mapping must return integer, bytes or None, not {}", v.ob_type().name()))
}

/// `PyUnicode_AsCharmapString` / `codecs.charmap_encode`: no mapping (C NULL) is Latin-1.
pub fn encode_charmap(o: &Obj, errors: &str, mapping: Option<&Obj>) -> PyResult<PyRef> {
    let Some(mapping) = mapping else {
        return encode(o, Codec::Latin1, errors);
    };
    let cps = unicode::code_points(o);
    let mut out = Vec::new();
    let mut errs = EncodeErrors::new(o, &cps, errors, "charmap", "character maps to <undefined>");
    let mut i = 0;
    while i < cps.len() {
        match charmap_lookup(mapping, cps[i])? {
            Mapped::Byte(b) => {
                out.extend_from_slice(&b);
                i += 1;
            }
            Mapped::Undefined => {
                let mut end = i + 1;
                while end < cps.len() && matches!(charmap_lookup(mapping, cps[end])?, Mapped::Undefined) {
                    end += 1;
                }
                // Replacement characters go through the mapping too.
                let mut failed = None;
                let encodable = |c: u32| matches!(charmap_lookup(mapping, c), Ok(Mapped::Byte(_)));
                let push = |out: &mut Vec<u8>, c: u32| {
                    if let Ok(Mapped::Byte(b)) = charmap_lookup(mapping, c) {
                        out.extend_from_slice(&b);
                    }
                };
                match errs.handle(i, end, &mut out, &encodable, &push) {
                    Ok(n) => i = n,
                    Err(e) => failed = Some(e),
                }
                if let Some(e) = failed {
                    return Err(e);
                }
            }
        }
    }
    Ok(bytes::new(&out))
}

/// Splits a `(str, int)`-style pair returned by a codec function.
pub fn pair(text: PyRef, n: usize) -> PyRef {
    tuple::new_from_owned(vec![text, long::from_usize(n)])
}

/// `codecs.charmap_build` / `PyUnicode_BuildEncodingMap`: a 256-character decoding table
/// becomes the compact `EncodingMap` when it starts with NUL and every other character is
/// in the BMP and not NUL, else a dict from code point to byte.
pub fn build_encoding_map(table: &Obj) -> PyResult<PyRef> {
    if !unicode::check(table) {
        return Err(crate::err::PyErr::new(crate::objects::exceptions::TypeError(), "bad argument type for built-in operation"));
    }
    let cps = unicode::code_points(table);
    let need_dict = cps.len() != 256 || cps[0] != 0 || cps[1..].iter().any(|&c| c == 0 || c > 0xffff);
    if !need_dict {
        return Ok(super::encoding_map::new(&cps));
    }
    let d = dict::new();
    for (i, &c) in cps.iter().enumerate() {
        dict::set_item(&d, &long::from_i64(c as i64), &long::from_usize(i))?;
    }
    Ok(d)
}

/// Escapes for the text of an error (`backslashreplace`).
pub fn backslash_escape(cps: &[u32]) -> Vec<u32> {
    let mut out = Vec::new();
    for &c in cps {
        escape_into(&mut out, c);
    }
    out
}
