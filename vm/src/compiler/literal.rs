//! The exact values of str literals. The parser crate holds literal values as Rust strings,
//! which cannot hold lone surrogates (U+D800..U+DFFF), so it turns a `\ud800` escape into
//! U+FFFD; Python's str holds any code point. A literal whose parsed value has a U+FFFD that
//! its source text does not spell literally is decoded again here from that text, and kept
//! as code points when it holds a surrogate. Everything else keeps the parser's `String`
//! (the common case costs a scan for U+FFFD). Escape errors and warnings stay the parser's
//! business: this only reads literals that already parsed.

use ruff_python_ast::{self as ast, StringFlags};
use ruff_text_size::{Ranged, TextRange};

use crate::object::PyRef;
use crate::objects::unicode;

/// Text being built from literal parts: UTF-8 until a part holds a lone surrogate, then
/// code points.
#[derive(Clone, Debug, Default)]
pub struct LiteralText {
    utf8: String,
    wide: Option<Vec<u32>>,
}

/// A finished literal: Rust text, or code points when it holds a lone surrogate.
#[derive(Clone, Debug, PartialEq)]
pub enum StrValue {
    Utf8(String),
    CodePoints(Vec<u32>),
}

impl StrValue {
    /// The str object.
    pub fn to_obj(&self) -> PyRef {
        match self {
            StrValue::Utf8(s) => unicode::new(s),
            StrValue::CodePoints(c) => unicode::from_code_points(c),
        }
    }
}

impl LiteralText {
    pub fn new() -> LiteralText {
        LiteralText::default()
    }

    pub fn is_empty(&self) -> bool {
        match &self.wide {
            Some(w) => w.is_empty(),
            None => self.utf8.is_empty(),
        }
    }

    /// Appends Rust text (source text, or a literal known to be exact).
    pub fn push_str(&mut self, s: &str) {
        match &mut self.wide {
            Some(w) => w.extend(s.chars().map(|c| c as u32)),
            None => self.utf8.push_str(s),
        }
    }

    fn push_code_points(&mut self, cps: &[u32]) {
        let w = self.wide.get_or_insert_with(|| self.utf8.chars().map(|c| c as u32).collect());
        w.extend_from_slice(cps);
    }

    /// Appends a literal part whose source text (without prefix and quotes) is at `content`
    /// in `source` and whose parsed value is `value`; `interpolated`: an f-string or t-string
    /// part (doubled braces stand for one).
    pub fn push_literal(&mut self, source: &str, content: TextRange, value: &str, interpolated: bool) {
        match recover(source, content, value, interpolated) {
            Some(cps) => self.push_code_points(&cps),
            None => self.push_str(value),
        }
    }

    pub fn finish(self) -> StrValue {
        match self.wide {
            Some(w) => StrValue::CodePoints(w),
            None => StrValue::Utf8(self.utf8),
        }
    }

    pub fn to_obj(&self) -> PyRef {
        match &self.wide {
            Some(w) => unicode::from_code_points(w),
            None => unicode::new(&self.utf8),
        }
    }
}

/// The value of a (possibly implicitly concatenated) str literal.
pub fn string_value(source: &str, v: &ast::StringLiteralValue) -> StrValue {
    let mut t = LiteralText::new();
    for part in v.iter() {
        t.push_literal(source, string_content(part), &part.value, false);
    }
    t.finish()
}

/// The range of a str literal part's text between its quotes.
pub fn string_content(part: &ast::StringLiteral) -> TextRange {
    let r = part.range();
    TextRange::new(r.start() + part.flags.opener_len(), r.end() - part.flags.closer_len())
}

/// The literal's code points when its value holds a lone surrogate the parser replaced;
/// `None` when `value` is exact.
fn recover(source: &str, content: TextRange, value: &str, interpolated: bool) -> Option<Vec<u32>> {
    const REPLACEMENT: char = '\u{FFFD}';
    if !value.contains(REPLACEMENT) {
        return None;
    }
    let text = source.get(usize::from(content.start())..usize::from(content.end()))?;
    // A raw literal's value is its text, U+FFFD included; only escapes make new ones.
    if value.matches(REPLACEMENT).count() == text.matches(REPLACEMENT).count() {
        return None;
    }
    let cps = decode_escapes(text, interpolated)?;
    cps.iter().any(|c| (0xD800..=0xDFFF).contains(c)).then_some(cps)
}

/// Decodes a non-raw str literal's text as the tokenizer does (the text already passed the
/// parser's checks; `None` if it somehow does not decode).
fn decode_escapes(text: &str, interpolated: bool) -> Option<Vec<u32>> {
    let mut out = Vec::with_capacity(text.len());
    let b = text.as_bytes();
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '{' | '}' if interpolated => {
                out.push(c as u32);
                if chars.peek().map(|&(_, n)| n) == Some(c) {
                    chars.next();
                }
            }
            '\\' => {
                let Some(&(_, e)) = chars.peek() else {
                    // A backslash ending an f-string part (before a replacement field).
                    out.push('\\' as u32);
                    continue;
                };
                // `\{{` in an f-string: the backslash stays, the doubled brace is one brace.
                if interpolated && (e == '{' || e == '}') && b.get(i + 2) == Some(&(e as u8)) {
                    out.push('\\' as u32);
                    continue;
                }
                chars.next();
                let hex = |chars: &mut core::iter::Peekable<core::str::CharIndices>, n: usize| -> Option<u32> {
                    let mut v = 0u32;
                    for _ in 0..n {
                        v = v.checked_mul(16)? + chars.next()?.1.to_digit(16)?;
                    }
                    Some(v)
                };
                let v = match e {
                    '\n' => continue,
                    '\r' => {
                        if chars.peek().map(|&(_, n)| n) == Some('\n') {
                            chars.next();
                        }
                        continue;
                    }
                    '\\' | '\'' | '"' => e as u32,
                    'a' => 0x07,
                    'b' => 0x08,
                    'f' => 0x0c,
                    'n' => 0x0a,
                    'r' => 0x0d,
                    't' => 0x09,
                    'v' => 0x0b,
                    '0'..='7' => {
                        let mut v = e as u32 - '0' as u32;
                        for _ in 0..2 {
                            match chars.peek() {
                                Some(&(_, d @ '0'..='7')) => {
                                    v = v * 8 + (d as u32 - '0' as u32);
                                    chars.next();
                                }
                                _ => break,
                            }
                        }
                        v
                    }
                    'x' => hex(&mut chars, 2)?,
                    'u' => hex(&mut chars, 4)?,
                    'U' => Some(hex(&mut chars, 8)?).filter(|&v| v <= 0x10FFFF)?,
                    'N' => {
                        let (open, _) = chars.next().filter(|&(_, c)| c == '{')?;
                        let len = text[open + 1..].find('}')?;
                        let name = &text[open + 1..open + 1 + len];
                        let ch = pyrite_ucd::character_by_name(name)?;
                        while chars.next_if(|&(j, _)| j <= open + 1 + len).is_some() {}
                        ch as u32
                    }
                    // Not an escape: both characters stay (the parser warned).
                    other => {
                        out.push('\\' as u32);
                        other as u32
                    }
                };
                out.push(v);
            }
            c => out.push(c as u32),
        }
    }
    Some(out)
}

/// `repr()` of code points, as the unparser spells strings: surrogates as `\udXXX`.
pub fn repr_code_points(cps: &[u32]) -> String {
    let has = |q: u32| cps.contains(&q);
    let quote = if has('\'' as u32) && !has('"' as u32) { '"' } else { '\'' };
    let mut out = String::with_capacity(cps.len() + 2);
    out.push(quote);
    for &c in cps {
        match char::from_u32(c) {
            Some('\\') => out.push_str("\\\\"),
            Some('\n') => out.push_str("\\n"),
            Some('\r') => out.push_str("\\r"),
            Some('\t') => out.push_str("\\t"),
            Some(ch) if ch == quote => {
                out.push('\\');
                out.push(ch);
            }
            Some(ch) if c < 0x20 || c == 0x7f => out.push_str(&format!("\\x{:02x}", ch as u32)),
            Some(ch) => out.push(ch),
            None => out.push_str(&format!("\\u{c:04x}")),
        }
    }
    out.push(quote);
    out
}

/// The value of an int literal whose text the parser kept (too big for 64 bits): its decimal
/// digits are subject to `sys.set_int_max_str_digits`, and going over the limit is a
/// `SyntaxError` (CPython's parser, which reports the line but no columns).
pub fn big_int_value(text: &str, filename: &str, source: &str, range: TextRange) -> crate::err::PyResult<PyRef> {
    use crate::objects::long;
    let e = match long::from_str_radix(text, 0).or_else(|_| long::from_str_radix(&text.replace('_', ""), 10)) {
        Ok(v) => return Ok(v),
        Err(e) => e,
    };
    if !e.is_instance(crate::objects::exceptions::ValueError()) {
        return Err(e);
    }
    let msg = format!(
        "{} - Consider hexadecimal for huge integer literals to avoid decimal conversion limits.",
        unicode::as_str_lossy(&*crate::abstract_::str(e.value())?)
    );
    let index = crate::compiler::parse::LineIndex::new(source);
    let mut info = crate::compiler::parse::SyntaxErrorInfo::compiler_error(msg, filename, source, &index, range);
    info.offset = 0;
    info.end_offset = 0;
    Err(crate::compiler::syntax_error_from(&info))
}
