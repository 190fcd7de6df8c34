//! `_tokenize` (CPython's `Python/Python-tokenize.c` over `Parser/lexer/`): `TokenizerIter`,
//! the token stream `Lib/tokenize.py` is built on.
//!
//! Pyrite's parser (ruff's) has its own lexer whose tokens differ from CPython's, so this is a
//! separate lexer that reproduces CPython 3.15's: the same buffer model (a line is read with
//! `readline()` when the previous one is used up; the buffer keeps every line of a token or an
//! f-string still being read), the same positions (byte offsets in the UTF-8 buffer turned into
//! character columns), the same `line` attribute, the same f-string/t-string modes and the
//! same errors. `extra_tokens=True` (what `tokenize` uses) adds COMMENT/NL, turns exact
//! operator types into OP and gives NEWLINE/DEDENT/ENDMARKER the values `tokenize` always had.
//! Positions are kept as indices into the buffer; `start == None` is the C lexer's NULL.

use super::native::{self, new_instance, parse_new, with};
use crate::err::{PyErr, PyResult};
use crate::object::{Obj, PyRef};
use crate::objects::argparse::Sig;
use crate::objects::iterobject::self_iter;
use crate::objects::type_::TypeObj;
use crate::objects::{bytes, exceptions as exc, long, none, tuple, unicode};
use crate::abstract_;

pub fn create() -> PyResult<PyRef> {
    let m = native::new_module("_tokenize", core::ptr::null_mut())?;
    native::add_types(&m, &[&TOKENIZER_ITER])?;
    Ok(m)
}

// Token numbers of CPython 3.15 (`Lib/token.py`).
const ENDMARKER: i32 = 0;
const NAME: i32 = 1;
const NUMBER: i32 = 2;
const STRING: i32 = 3;
const NEWLINE: i32 = 4;
const INDENT: i32 = 5;
const DEDENT: i32 = 6;
const DOT: i32 = 23;
const ELLIPSIS: i32 = 52;
const OP: i32 = 55;
const FSTRING_START: i32 = 59;
const FSTRING_MIDDLE: i32 = 60;
const FSTRING_END: i32 = 61;
const TSTRING_START: i32 = 62;
const TSTRING_MIDDLE: i32 = 63;
const TSTRING_END: i32 = 64;
const COMMENT: i32 = 65;
const NL: i32 = 66;

const EOF: i32 = -1;
const TABSIZE: i32 = 8;
const MAXINDENT: usize = 100;
const MAXLEVEL: usize = 200;
const MAXFSTRINGLEVEL: usize = 150;
const MAX_EXPR_NESTING: i32 = 3;

/// The exact type of a one-character operator (`OP` for any other character).
fn one_char(c: i32) -> i32 {
    match c as u8 {
        b'!' => 54,
        b'%' => 24,
        b'&' => 19,
        b'(' => 7,
        b')' => 8,
        b'*' => 16,
        b'+' => 14,
        b',' => 12,
        b'-' => 15,
        b'.' => 23,
        b'/' => 17,
        b':' => 11,
        b';' => 13,
        b'<' => 20,
        b'=' => 22,
        b'>' => 21,
        b'@' => 49,
        b'[' => 9,
        b']' => 10,
        b'^' => 32,
        b'{' => 25,
        b'|' => 18,
        b'}' => 26,
        b'~' => 31,
        _ => OP,
    }
}

fn two_chars(c1: i32, c2: i32) -> i32 {
    if !(0..128).contains(&c1) || !(0..128).contains(&c2) {
        return OP;
    }
    match (c1 as u8, c2 as u8) {
        (b'!', b'=') => 28,
        (b'%', b'=') => 40,
        (b'&', b'=') => 41,
        (b'*', b'*') => 35,
        (b'*', b'=') => 38,
        (b'+', b'=') => 36,
        (b'-', b'=') => 37,
        (b'-', b'>') => 51,
        (b'/', b'/') => 47,
        (b'/', b'=') => 39,
        (b':', b'=') => 53,
        (b'<', b'<') => 33,
        (b'<', b'=') => 29,
        (b'=', b'=') => 27,
        (b'>', b'=') => 30,
        (b'>', b'>') => 34,
        (b'@', b'=') => 50,
        (b'^', b'=') => 43,
        (b'|', b'=') => 42,
        _ => OP,
    }
}

fn three_chars(c1: i32, c2: i32, c3: i32) -> i32 {
    if !(0..128).contains(&c1) || !(0..128).contains(&c2) || !(0..128).contains(&c3) {
        return OP;
    }
    match (c1 as u8, c2 as u8, c3 as u8) {
        (b'*', b'*', b'=') => 46,
        (b'.', b'.', b'.') => 52,
        (b'/', b'/', b'=') => 48,
        (b'<', b'<', b'=') => 44,
        (b'>', b'>', b'=') => 45,
        _ => OP,
    }
}

fn is_ident_start(c: i32) -> bool {
    (b'a' as i32..=b'z' as i32).contains(&c) || (b'A' as i32..=b'Z' as i32).contains(&c) || c == b'_' as i32 || c >= 128
}

fn is_ident_char(c: i32) -> bool {
    is_ident_start(c) || is_digit(c)
}

fn is_digit(c: i32) -> bool {
    (b'0' as i32..=b'9' as i32).contains(&c)
}

fn is_xdigit(c: i32) -> bool {
    is_digit(c) || (b'a' as i32..=b'f' as i32).contains(&c) || (b'A' as i32..=b'F' as i32).contains(&c)
}

fn lower(c: u8) -> u8 {
    c.to_ascii_lowercase()
}

/// Why the lexer stopped (CPython's `tok->done` codes that reach `TokenizerIter`).
#[derive(Clone, Copy, PartialEq, Debug)]
enum Done {
    Ok,
    Eof,
    /// A `SyntaxError` is already in `Lexer::err`.
    Error,
    Dedent,
    TabSpace,
    TooDeep,
    LineCont,
    /// `readline()` failed or returned something unusable (the exception is in `err`).
    Decode,
}

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Regular,
    FString,
}

/// One level of the mode stack: the outermost is the plain tokenizer, each f-/t-string
/// being read pushes one.
struct Mode {
    kind: Kind,
    quote: u8,
    quote_size: usize,
    raw: bool,
    tstring: bool,
    /// Where the f-string's prefix starts, its line's start, and its line number (errors
    /// point there).
    start: usize,
    multi_line_start: usize,
    line_start: i64,
    curly_depth: i32,
    expr_start_depth: i32,
    in_format_spec: bool,
    debug: bool,
}

impl Mode {
    fn regular() -> Mode {
        Mode {
            kind: Kind::Regular,
            quote: 0,
            quote_size: 0,
            raw: false,
            tstring: false,
            start: 0,
            multi_line_start: 0,
            line_start: 0,
            curly_depth: 0,
            expr_start_depth: -1,
            in_format_spec: false,
            debug: false,
        }
    }

    fn prefix(&self) -> char {
        if self.tstring {
            't'
        } else {
            'f'
        }
    }
}

/// A token: its type and the bytes it covers (`None`: CPython's NULL, an empty string).
#[derive(Clone, Copy)]
struct Tok {
    ty: i32,
    start: Option<usize>,
    end: Option<usize>,
}

/// `Err(Stop)`: CPython's ERRORTOKEN; why is in `done` (and `err`).
struct Stop;
type Lex<T> = Result<T, Stop>;

struct Lexer {
    readline: PyRef,
    encoding: Option<String>,
    extra: bool,
    buf: Vec<u8>,
    cur: usize,
    inp: usize,
    line_start: usize,
    start: Option<usize>,
    multi_line_start: usize,
    first_lineno: i64,
    lineno: i64,
    atbol: bool,
    pendin: i32,
    indstack: Vec<i32>,
    altindstack: Vec<i32>,
    parens: Vec<(u8, i64)>,
    done: Done,
    implicit_newline: bool,
    comment_newline: bool,
    modes: Vec<Mode>,
    err: Option<PyErr>,
}

impl Lexer {
    fn new(readline: PyRef, encoding: Option<String>, extra: bool) -> Lexer {
        Lexer {
            readline,
            encoding,
            extra,
            buf: Vec::new(),
            cur: 0,
            inp: 0,
            line_start: 0,
            start: None,
            multi_line_start: 0,
            first_lineno: 0,
            lineno: 0,
            atbol: true,
            pendin: 0,
            indstack: vec![0],
            altindstack: vec![0],
            parens: Vec::new(),
            done: Done::Ok,
            implicit_newline: false,
            comment_newline: false,
            modes: vec![Mode::regular()],
            err: None,
        }
    }

    fn inside_fstring(&self) -> bool {
        self.modes.len() > 1
    }

    fn mode(&mut self) -> &mut Mode {
        self.modes.last_mut().unwrap()
    }

    fn level(&self) -> usize {
        self.parens.len()
    }

    /// Reads one more line into the buffer (CPython's `tok_underflow_readline`).
    fn underflow(&mut self) -> bool {
        if self.start.is_none() && !self.inside_fstring() {
            self.buf.clear();
            self.cur = 0;
            self.inp = 0;
        }
        let line = match self.read_line() {
            Ok(Some(l)) => l,
            Ok(None) => Vec::new(),
            Err(e) => {
                self.err = Some(e);
                self.done = Done::Decode;
                return false;
            }
        };
        self.buf.truncate(self.inp);
        self.buf.extend_from_slice(&line);
        self.inp = self.buf.len();
        self.line_start = self.cur;
        if self.inp == self.cur {
            self.done = Done::Eof;
            return false;
        }
        self.implicit_newline = false;
        if self.buf[self.inp - 1] != b'\n' {
            self.buf.push(b'\n');
            self.inp += 1;
            self.implicit_newline = true;
        }
        self.lineno += 1;
        true
    }

    /// The UTF-8 text of the next `readline()` result; `None` at `StopIteration`.
    fn read_line(&self) -> PyResult<Option<Vec<u8>>> {
        let raw = match abstract_::call_no_args(&self.readline) {
            Ok(r) => r,
            Err(e) if e.is_instance(exc::StopIteration()) => return Ok(None),
            Err(e) => return Err(e),
        };
        let text = match &self.encoding {
            Some(enc) => {
                if !bytes::check(&raw) {
                    return Err(raise!(TypeError, "readline() returned a non-bytes object"));
                }
                crate::codecs::decode_text(bytes::as_bytes(&raw), enc, "replace")?
            }
            None => {
                if !unicode::check(&raw) {
                    return Err(raise!(TypeError, "readline() returned a non-string object"));
                }
                raw
            }
        };
        Ok(Some(unicode::as_str(&text)?.as_bytes().to_vec()))
    }

    fn nextc(&mut self) -> i32 {
        loop {
            if self.cur != self.inp {
                let c = self.buf[self.cur];
                self.cur += 1;
                return c as i32;
            }
            if self.done != Done::Ok {
                return EOF;
            }
            if !self.underflow() {
                self.cur = self.inp;
                return EOF;
            }
            self.line_start = self.cur;
            if self.buf[self.line_start..self.inp].contains(&0) {
                let _ = self.syntax_error("source code cannot contain null bytes".into());
                self.cur = self.inp;
                return EOF;
            }
        }
    }

    fn backup(&mut self, c: i32) {
        if c != EOF {
            debug_assert!(self.cur > 0 && self.buf[self.cur - 1] as i32 == c);
            self.cur -= 1;
        }
    }

    /// A `SyntaxError` located at the current position (CPython's `_syntaxerror_range`
    /// with no explicit range): the column is the length of the line read so far.
    fn syntax_error(&mut self, msg: String) -> Lex<Tok> {
        self.syntax_error_range(msg, None)
    }

    /// A `SyntaxError` at columns `range` (1-based, as `SyntaxError.offset`), or at the current
    /// position.
    fn syntax_error_range(&mut self, msg: String, range: Option<(i64, i64)>) -> Lex<Tok> {
        if self.done == Done::Error {
            return Err(Stop);
        }
        let upto = String::from_utf8_lossy(&self.buf[self.line_start..self.cur.max(self.line_start)]).chars().count() as i64;
        let (col, end_col) = range.unwrap_or((upto, upto));
        let rest = &self.buf[self.line_start..];
        let line_len = rest.iter().position(|&b| b == b'\n').unwrap_or(rest.len());
        let text = String::from_utf8_lossy(&rest[..line_len]).into_owned();
        let err = (|| -> PyResult<PyErr> {
            let details = tuple::new_from_owned(vec![
                unicode::new("<string>"),
                long::from_i64(self.lineno),
                long::from_i64(col),
                unicode::new(&text),
                long::from_i64(self.lineno),
                long::from_i64(end_col),
            ]);
            let args = tuple::new_from_owned(vec![unicode::new(&msg), details]);
            Ok(PyErr::from_value(abstract_::call(exc::SyntaxError(), &args, None)?))
        })();
        self.err = Some(err.unwrap_or_else(|e| e));
        self.done = Done::Error;
        Err(Stop)
    }

    fn indent_error(&mut self) -> Lex<Tok> {
        self.done = Done::TabSpace;
        self.cur = self.inp;
        Err(Stop)
    }

    fn token(&self, ty: i32, start: usize, end: usize) -> Lex<Tok> {
        Ok(Tok { ty, start: Some(start), end: Some(end) })
    }

    fn next_token(&mut self) -> Lex<Tok> {
        let r = if self.modes.last().unwrap().kind == Kind::Regular { self.normal_mode() } else { self.fstring_mode() };
        if self.done == Done::Decode {
            return Err(Stop);
        }
        r
    }

    /// `\` at the end of a line: the next line continues this one.
    fn continuation_line(&mut self) -> Lex<i32> {
        let mut c = self.nextc();
        if c == b'\r' as i32 {
            c = self.nextc();
        }
        if c != b'\n' as i32 {
            self.done = Done::LineCont;
            return Err(Stop);
        }
        c = self.nextc();
        if c == EOF {
            self.done = Done::Eof;
            self.cur = self.inp;
            return Err(Stop);
        }
        self.backup(c);
        Ok(c)
    }

    fn decimal_tail(&mut self) -> Lex<i32> {
        loop {
            let mut c;
            loop {
                c = self.nextc();
                if !is_digit(c) {
                    break;
                }
            }
            if c != b'_' as i32 {
                return Ok(c);
            }
            c = self.nextc();
            if !is_digit(c) {
                self.backup(c);
                self.syntax_error("invalid decimal literal".into())?;
            }
        }
    }

    /// What may follow a number: with `extra_tokens` anything (tokenize is liberal);
    /// otherwise an identifier character right after it is an error, except the keywords
    /// that can legally follow a number, which CPython only warns about.
    fn verify_end_of_number(&mut self, c: i32, kind: &str) -> Lex<()> {
        if self.extra {
            return Ok(());
        }
        let keyword_follows = match c as u8 {
            b'a' => self.lookahead(b"nd"),
            b'e' => self.lookahead(b"lse"),
            b'f' => self.lookahead(b"or"),
            b'i' => {
                let c2 = self.nextc();
                self.backup(c2);
                c2 == b'f' as i32 || c2 == b'n' as i32 || c2 == b's' as i32
            }
            b'o' => self.lookahead(b"r"),
            b'n' => self.lookahead(b"ot"),
            _ => false,
        };
        if keyword_follows {
            // CPython only warns here (SyntaxWarning through the warnings machinery).
            let warned = (|| -> PyResult<()> {
                let warnings = crate::import::import_module("warnings")?;
                let warn = abstract_::getattr_str(&warnings, "warn_explicit")?;
                let args = tuple::new_from_owned(vec![
                    unicode::new(&format!("invalid {kind} literal")),
                    exc::SyntaxWarning().new_ref(),
                    unicode::new("<string>"),
                    long::from_i64(self.lineno),
                ]);
                abstract_::call(&warn, &args, None).map(drop)
            })();
            if let Err(e) = warned {
                self.err = Some(e);
                self.done = Done::Error;
                return Err(Stop);
            }
            return Ok(());
        }
        if (0..128).contains(&c) && is_ident_char(c) {
            self.backup(c);
            self.syntax_error(format!("invalid {kind} literal"))?;
        }
        Ok(())
    }

    fn lookahead(&mut self, test: &[u8]) -> bool {
        let mut n = 0;
        let res;
        loop {
            let c = self.nextc();
            if n == test.len() {
                res = !is_ident_char(c);
            } else if c == test[n] as i32 {
                n += 1;
                continue;
            } else {
                res = false;
            }
            self.backup(c);
            while n > 0 {
                n -= 1;
                self.backup(test[n] as i32);
            }
            return res;
        }
    }

    fn verify_identifier(&mut self) -> Lex<()> {
        if self.extra {
            return Ok(());
        }
        let start = self.start.unwrap();
        let s = String::from_utf8_lossy(&self.buf[start..self.cur]).into_owned();
        use crate::objects::unicode::ctype;
        let bad = s.chars().enumerate().find(|&(i, ch)| {
            let cp = ch as u32;
            !(if i == 0 { ctype::is_xid_start(cp) || ch == '_' } else { ctype::is_xid_continue(cp) })
        });
        if let Some((i, ch)) = bad {
            let prefix: String = s.chars().take(i + 1).collect();
            if i + 1 < s.chars().count() {
                self.cur = start + prefix.len();
            }
            let cp = ch as u32;
            let msg = if ctype::is_printable(cp) {
                format!("invalid character '{ch}' (U+{cp:04X})")
            } else {
                format!("invalid non-printable character U+{cp:04X}")
            };
            self.syntax_error(msg)?;
        }
        Ok(())
    }

    fn normal_mode(&mut self) -> Lex<Tok> {
        'nextline: loop {
            self.start = None;
            let mut blankline = false;

            if self.atbol {
                let mut col: i32 = 0;
                let mut altcol: i32 = 0;
                self.atbol = false;
                let mut cont_line_col = 0;
                let mut c;
                loop {
                    c = self.nextc();
                    if c == b' ' as i32 {
                        col += 1;
                        altcol += 1;
                    } else if c == b'\t' as i32 {
                        col = (col / TABSIZE + 1) * TABSIZE;
                        altcol += 1;
                    } else if c == 0o14 {
                        col = 0;
                        altcol = 0;
                    } else if c == b'\\' as i32 {
                        cont_line_col = if cont_line_col != 0 { cont_line_col } else { col };
                        self.continuation_line()?;
                    } else {
                        break;
                    }
                }
                self.backup(c);
                if c == b'#' as i32 || c == b'\n' as i32 || c == b'\r' as i32 {
                    blankline = true;
                }
                if !blankline && self.level() == 0 {
                    if cont_line_col != 0 {
                        col = cont_line_col;
                        altcol = cont_line_col;
                    }
                    let top = *self.indstack.last().unwrap();
                    let alttop = *self.altindstack.last().unwrap();
                    if col == top {
                        if altcol != alttop {
                            return self.indent_error();
                        }
                    } else if col > top {
                        if self.indstack.len() >= MAXINDENT {
                            self.done = Done::TooDeep;
                            self.cur = self.inp;
                            return Err(Stop);
                        }
                        if altcol <= alttop {
                            return self.indent_error();
                        }
                        self.pendin += 1;
                        self.indstack.push(col);
                        self.altindstack.push(altcol);
                    } else {
                        while self.indstack.len() > 1 && col < *self.indstack.last().unwrap() {
                            self.pendin -= 1;
                            self.indstack.pop();
                            self.altindstack.pop();
                        }
                        if col != *self.indstack.last().unwrap() {
                            self.done = Done::Dedent;
                            self.cur = self.inp;
                            return Err(Stop);
                        }
                        if altcol != *self.altindstack.last().unwrap() {
                            return self.indent_error();
                        }
                    }
                }
            }

            self.start = Some(self.cur);

            if self.pendin != 0 {
                if self.pendin < 0 {
                    self.pendin += 1;
                    return if self.extra { self.token(DEDENT, self.cur, self.cur) } else { Ok(Tok { ty: DEDENT, start: None, end: None }) };
                } else {
                    self.pendin -= 1;
                    return if self.extra { self.token(INDENT, 0, self.cur) } else { Ok(Tok { ty: INDENT, start: None, end: None }) };
                }
            }

            let c = self.nextc();
            self.backup(c);

            'again: loop {
                self.start = None;
                let mut c;
                loop {
                    c = self.nextc();
                    if !(c == b' ' as i32 || c == b'\t' as i32 || c == 0o14) {
                        break;
                    }
                }
                let start = if c == EOF { self.cur } else { self.cur - 1 };
                self.start = Some(start);

                if c == b'#' as i32 {
                    while c != EOF && c != b'\n' as i32 && c != b'\r' as i32 {
                        c = self.nextc();
                    }
                    if self.extra {
                        self.backup(c);
                        self.comment_newline = blankline;
                        return self.token(COMMENT, start, self.cur);
                    }
                }

                if c == EOF {
                    if self.level() > 0 {
                        return Err(Stop);
                    }
                    return if self.done == Done::Eof { Ok(Tok { ty: ENDMARKER, start: None, end: None }) } else { Err(Stop) };
                }

                if is_ident_start(c) {
                    let (mut saw_b, mut saw_r, mut saw_u, mut saw_f, mut saw_t) = (false, false, false, false, false);
                    loop {
                        let ch = c as u8;
                        if !(saw_b || saw_u || saw_f || saw_t) && (ch == b'b' || ch == b'B') {
                            saw_b = true;
                        } else if !(saw_b || saw_u || saw_r || saw_f || saw_t) && (ch == b'u' || ch == b'U') {
                            saw_u = true;
                        } else if !(saw_r || saw_u) && (ch == b'r' || ch == b'R') {
                            saw_r = true;
                        } else if !(saw_f || saw_b || saw_u || saw_t) && (ch == b'f' || ch == b'F') {
                            saw_f = true;
                        } else if !(saw_t || saw_b || saw_u || saw_f) && (ch == b't' || ch == b'T') {
                            saw_t = true;
                        } else {
                            break;
                        }
                        c = self.nextc();
                        if c == b'"' as i32 || c == b'\'' as i32 {
                            if saw_f || saw_t {
                                return self.fstring_start(c);
                            }
                            return self.string(c);
                        }
                    }
                    let mut nonascii = false;
                    while is_ident_char(c) {
                        if c >= 128 {
                            nonascii = true;
                        }
                        c = self.nextc();
                    }
                    self.backup(c);
                    if nonascii {
                        self.verify_identifier()?;
                    }
                    return self.token(NAME, start, self.cur);
                }

                if c == b'\r' as i32 {
                    c = self.nextc();
                }

                if c == b'\n' as i32 {
                    self.atbol = true;
                    if blankline || self.level() > 0 {
                        if self.extra {
                            self.comment_newline = false;
                            return self.token(NL, start, self.cur);
                        }
                        continue 'nextline;
                    }
                    if self.comment_newline && self.extra {
                        self.comment_newline = false;
                        return self.token(NL, start, self.cur);
                    }
                    return self.token(NEWLINE, start, self.cur - 1);
                }

                if c == b'.' as i32 {
                    c = self.nextc();
                    if is_digit(c) {
                        return self.number_fraction(c);
                    } else if c == b'.' as i32 {
                        c = self.nextc();
                        if c == b'.' as i32 {
                            return self.token(ELLIPSIS, start, self.cur);
                        }
                        self.backup(c);
                        self.backup(b'.' as i32);
                    } else {
                        self.backup(c);
                    }
                    return self.token(DOT, start, self.cur);
                }

                if is_digit(c) {
                    return self.number(c);
                }

                if c == b'"' as i32 || c == b'\'' as i32 {
                    return self.string(c);
                }

                if c == b'\\' as i32 {
                    self.continuation_line()?;
                    continue 'again;
                }

                return self.operator(c, start);
            }
        }
    }

    fn number(&mut self, first: i32) -> Lex<Tok> {
        let mut c = first;
        if c == b'0' as i32 {
            c = self.nextc();
            if c == b'x' as i32 || c == b'X' as i32 {
                c = self.nextc();
                loop {
                    if c == b'_' as i32 {
                        c = self.nextc();
                    }
                    if !is_xdigit(c) {
                        self.backup(c);
                        return self.syntax_error("invalid hexadecimal literal".into());
                    }
                    loop {
                        c = self.nextc();
                        if !is_xdigit(c) {
                            break;
                        }
                    }
                    if c != b'_' as i32 {
                        break;
                    }
                }
                self.verify_end_of_number(c, "hexadecimal")?;
            } else if c == b'o' as i32 || c == b'O' as i32 {
                c = self.nextc();
                loop {
                    if c == b'_' as i32 {
                        c = self.nextc();
                    }
                    if !(b'0' as i32..b'8' as i32).contains(&c) {
                        if is_digit(c) {
                            return self.syntax_error(format!("invalid digit '{}' in octal literal", c as u8 as char));
                        }
                        self.backup(c);
                        return self.syntax_error("invalid octal literal".into());
                    }
                    loop {
                        c = self.nextc();
                        if !(b'0' as i32..b'8' as i32).contains(&c) {
                            break;
                        }
                    }
                    if c != b'_' as i32 {
                        break;
                    }
                }
                if is_digit(c) {
                    return self.syntax_error(format!("invalid digit '{}' in octal literal", c as u8 as char));
                }
                self.verify_end_of_number(c, "octal")?;
            } else if c == b'b' as i32 || c == b'B' as i32 {
                c = self.nextc();
                loop {
                    if c == b'_' as i32 {
                        c = self.nextc();
                    }
                    if c != b'0' as i32 && c != b'1' as i32 {
                        if is_digit(c) {
                            return self.syntax_error(format!("invalid digit '{}' in binary literal", c as u8 as char));
                        }
                        self.backup(c);
                        return self.syntax_error("invalid binary literal".into());
                    }
                    loop {
                        c = self.nextc();
                        if c != b'0' as i32 && c != b'1' as i32 {
                            break;
                        }
                    }
                    if c != b'_' as i32 {
                        break;
                    }
                }
                if is_digit(c) {
                    return self.syntax_error(format!("invalid digit '{}' in binary literal", c as u8 as char));
                }
                self.verify_end_of_number(c, "binary")?;
            } else {
                let mut nonzero = false;
                loop {
                    if c == b'_' as i32 {
                        c = self.nextc();
                        if !is_digit(c) {
                            self.backup(c);
                            return self.syntax_error("invalid decimal literal".into());
                        }
                    }
                    if c != b'0' as i32 {
                        break;
                    }
                    c = self.nextc();
                }
                let zeros_end = self.cur;
                if is_digit(c) {
                    nonzero = true;
                    c = self.decimal_tail()?;
                }
                if c == b'.' as i32 {
                    c = self.nextc();
                    return self.number_fraction(c);
                } else if c == b'e' as i32 || c == b'E' as i32 {
                    return self.number_exponent(c);
                } else if c == b'j' as i32 || c == b'J' as i32 {
                    return self.number_imaginary();
                } else if nonzero && !self.extra {
                    self.backup(c);
                    let first = self.start.unwrap() + 1 - self.line_start;
                    let range = (first as i64, (zeros_end - self.line_start) as i64);
                    return self.syntax_error_range(
                        "leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers".into(),
                        Some(range),
                    );
                }
                self.verify_end_of_number(c, "decimal")?;
            }
        } else {
            c = self.decimal_tail()?;
            if c == b'.' as i32 {
                c = self.nextc();
                return self.number_fraction(c);
            }
            return self.number_after_fraction(c);
        }
        self.backup(c);
        self.token(NUMBER, self.start.unwrap(), self.cur)
    }

    /// After the `.` of a float (`c` is the character after it).
    fn number_fraction(&mut self, mut c: i32) -> Lex<Tok> {
        if is_digit(c) {
            c = self.decimal_tail()?;
        }
        self.number_after_fraction(c)
    }

    fn number_after_fraction(&mut self, c: i32) -> Lex<Tok> {
        if c == b'e' as i32 || c == b'E' as i32 {
            return self.number_exponent(c);
        }
        if c == b'j' as i32 || c == b'J' as i32 {
            return self.number_imaginary();
        }
        self.verify_end_of_number(c, "decimal")?;
        self.backup(c);
        self.token(NUMBER, self.start.unwrap(), self.cur)
    }

    fn number_exponent(&mut self, e: i32) -> Lex<Tok> {
        let mut c = self.nextc();
        if c == b'+' as i32 || c == b'-' as i32 {
            c = self.nextc();
            if !is_digit(c) {
                self.backup(c);
                return self.syntax_error("invalid decimal literal".into());
            }
        } else if !is_digit(c) {
            self.backup(c);
            self.verify_end_of_number(e, "decimal")?;
            self.backup(e);
            return self.token(NUMBER, self.start.unwrap(), self.cur);
        }
        c = self.decimal_tail()?;
        if c == b'j' as i32 || c == b'J' as i32 {
            return self.number_imaginary();
        }
        self.verify_end_of_number(c, "decimal")?;
        self.backup(c);
        self.token(NUMBER, self.start.unwrap(), self.cur)
    }

    fn number_imaginary(&mut self) -> Lex<Tok> {
        let c = self.nextc();
        self.verify_end_of_number(c, "imaginary")?;
        self.backup(c);
        self.token(NUMBER, self.start.unwrap(), self.cur)
    }

    /// The prefix and opening quote(s) of an f-string or t-string: pushes its mode.
    fn fstring_start(&mut self, quote: i32) -> Lex<Tok> {
        let start = self.start.unwrap();
        self.first_lineno = self.lineno;
        self.multi_line_start = self.line_start;
        let mut quote_size = 1;
        let after = self.nextc();
        if after == quote {
            let after2 = self.nextc();
            if after2 == quote {
                quote_size = 3;
            } else {
                self.backup(after2);
                self.backup(after);
            }
        }
        if after != quote {
            self.backup(after);
        }
        if self.modes.len() >= MAXFSTRINGLEVEL {
            return self.syntax_error("too many nested f-strings or t-strings".into());
        }
        let prefix = &self.buf[start..self.cur];
        let tstring = prefix.iter().any(|&b| lower(b) == b't');
        let raw = prefix.iter().any(|&b| lower(b) == b'r');
        self.modes.push(Mode {
            kind: Kind::FString,
            quote: quote as u8,
            quote_size,
            raw,
            tstring,
            start,
            multi_line_start: self.line_start,
            line_start: self.lineno,
            curly_depth: 0,
            expr_start_depth: -1,
            in_format_spec: false,
            debug: false,
        });
        self.token(if tstring { TSTRING_START } else { FSTRING_START }, start, self.cur)
    }

    /// A string literal (any prefix but f/t is already read; `quote` is the first quote).
    fn string(&mut self, quote: i32) -> Lex<Tok> {
        let start = self.start.unwrap();
        let mut quote_size = 1;
        let mut end_quote_size = 0;
        let mut has_escaped_quote = false;
        self.first_lineno = self.lineno;
        self.multi_line_start = self.line_start;
        let mut c = self.nextc();
        if c == quote {
            c = self.nextc();
            if c == quote {
                quote_size = 3;
            } else {
                end_quote_size = 1;
            }
        }
        if c != quote {
            self.backup(c);
        }
        while end_quote_size != quote_size {
            c = self.nextc();
            if self.done == Done::Error {
                return Err(Stop);
            }
            if self.done == Done::Decode {
                break;
            }
            if c == EOF || (quote_size == 1 && c == b'\n' as i32) {
                self.cur = start + 1;
                self.line_start = self.multi_line_start;
                let detected = self.lineno;
                self.lineno = self.first_lineno;
                if self.inside_fstring() {
                    let m = self.modes.last().unwrap();
                    if m.quote as i32 == quote && m.quote_size == quote_size {
                        let p = m.prefix();
                        return self.syntax_error(format!("{p}-string: expecting '}}'"));
                    }
                }
                if quote_size == 3 {
                    return self.syntax_error(format!("unterminated triple-quoted string literal (detected at line {detected})"));
                }
                if has_escaped_quote {
                    return self.syntax_error(format!(
                        "unterminated string literal (detected at line {detected}); perhaps you escaped the end quote?"
                    ));
                }
                return self.syntax_error(format!("unterminated string literal (detected at line {detected})"));
            }
            if c == quote {
                end_quote_size += 1;
            } else {
                end_quote_size = 0;
                if c == b'\\' as i32 {
                    c = self.nextc();
                    if c == quote {
                        has_escaped_quote = true;
                    }
                    if c == b'\r' as i32 {
                        self.nextc();
                    }
                }
            }
        }
        self.token(STRING, start, self.cur)
    }

    fn operator(&mut self, c: i32, start: usize) -> Lex<Tok> {
        // `:`/`!`/`{`/`}` inside the expression part of an f-string.
        let is_punct = c == b':' as i32 || c == b'}' as i32 || c == b'!' as i32 || c == b'{' as i32;
        if is_punct && self.inside_fstring() && self.modes.last().unwrap().expr_start_depth >= 0 {
            let m = self.mode();
            let cursor = m.curly_depth - (c != b'{' as i32) as i32;
            if c == b':' as i32 && cursor == m.expr_start_depth {
                m.kind = Kind::FString;
                m.in_format_spec = true;
                return self.token(one_char(c), start, self.cur);
            }
        }

        let c2 = self.nextc();
        let two = two_chars(c, c2);
        if two != OP {
            let c3 = self.nextc();
            let three = three_chars(c, c2, c3);
            let ty = if three != OP {
                three
            } else {
                self.backup(c3);
                two
            };
            return self.token(ty, start, self.cur);
        }
        self.backup(c2);

        let ch = c as u8;
        match ch {
            b'(' | b'[' | b'{' => {
                if self.level() >= MAXLEVEL {
                    return self.syntax_error("too many nested parentheses".into());
                }
                self.parens.push((ch, self.lineno));
                if self.inside_fstring() {
                    self.mode().curly_depth += 1;
                }
            }
            b')' | b']' | b'}' => {
                if self.inside_fstring() && self.modes.last().unwrap().curly_depth == 0 && ch == b'}' {
                    let p = self.modes.last().unwrap().prefix();
                    return self.syntax_error(format!("{p}-string: single '}}' is not allowed"));
                }
                if !self.extra && self.level() == 0 {
                    return self.syntax_error(format!("unmatched '{}'", ch as char));
                }
                if let Some((opening, line)) = self.parens.pop() {
                    let matches = matches!((opening, ch), (b'(', b')') | (b'[', b']') | (b'{', b'}'));
                    if !self.extra && !matches {
                        if self.inside_fstring() && opening == b'{' {
                            let m = self.modes.last().unwrap();
                            if m.curly_depth - 1 == m.expr_start_depth {
                                let p = m.prefix();
                                return self.syntax_error(format!("{p}-string: unmatched '{}'", ch as char));
                            }
                        }
                        if line != self.lineno {
                            return self.syntax_error(format!(
                                "closing parenthesis '{}' does not match opening parenthesis '{}' on line {line}",
                                ch as char, opening as char
                            ));
                        }
                        return self.syntax_error(format!(
                            "closing parenthesis '{}' does not match opening parenthesis '{}'",
                            ch as char, opening as char
                        ));
                    }
                }
                if self.inside_fstring() {
                    let m = self.mode();
                    m.curly_depth -= 1;
                    if m.curly_depth < 0 {
                        let p = m.prefix();
                        return self.syntax_error(format!("{p}-string: unmatched '{}'", ch as char));
                    }
                    if ch == b'}' && m.curly_depth == m.expr_start_depth {
                        m.expr_start_depth -= 1;
                        m.kind = Kind::FString;
                        m.in_format_spec = false;
                        m.debug = false;
                    }
                }
            }
            _ => {}
        }

        if !(0x20..0x7f).contains(&c) {
            return self.syntax_error(format!("invalid non-printable character U+{c:04X}"));
        }
        if c == b'=' as i32 && self.inside_fstring() && self.modes.last().unwrap().expr_start_depth >= 0 {
            self.mode().debug = true;
        }
        self.token(one_char(c), start, self.cur)
    }

    /// Inside an f-string/t-string, outside its replacement fields: the literal text up to
    /// the next `{`/`}` or the closing quote, or the closing quote itself.
    fn fstring_mode(&mut self) -> Lex<Tok> {
        let start = self.cur;
        self.start = Some(start);
        self.first_lineno = self.lineno;
        let (quote, quote_size, raw, tstring) = {
            let m = self.modes.last().unwrap();
            (m.quote as i32, m.quote_size, m.raw, m.tstring)
        };
        let middle = if tstring { TSTRING_MIDDLE } else { FSTRING_MIDDLE };

        let start_char = self.nextc();
        if start_char == b'{' as i32 {
            let peek = self.nextc();
            self.backup(peek);
            self.backup(start_char);
            if peek != b'{' as i32 {
                let m = self.mode();
                m.expr_start_depth += 1;
                if m.expr_start_depth >= MAX_EXPR_NESTING {
                    let p = m.prefix();
                    return self.syntax_error(format!("{p}-string: expressions nested too deeply"));
                }
                m.kind = Kind::Regular;
                return self.normal_mode();
            }
        } else {
            self.backup(start_char);
        }

        // The closing quote(s)?
        let mut at_end = true;
        for _ in 0..quote_size {
            let q = self.nextc();
            if q != quote {
                self.backup(q);
                at_end = false;
                break;
            }
        }
        if at_end {
            self.modes.pop();
            return self.token(if tstring { TSTRING_END } else { FSTRING_END }, start, self.cur);
        }

        self.multi_line_start = self.line_start;
        let mut end_quote_size = 0;
        let mut unicode_escape = false;
        while end_quote_size != quote_size {
            let c = self.nextc();
            if self.done == Done::Error || self.done == Done::Decode {
                return Err(Stop);
            }
            let in_format_spec = {
                let m = self.modes.last().unwrap();
                m.in_format_spec && m.expr_start_depth >= 0
            };
            if c == EOF || (quote_size == 1 && c == b'\n' as i32) {
                if in_format_spec && c == b'\n' as i32 {
                    self.backup(c);
                    let m = self.mode();
                    m.kind = Kind::Regular;
                    m.in_format_spec = false;
                    return self.token(middle, start, self.cur);
                }
                let (fstart, fmls, fline, p) = {
                    let m = self.modes.last().unwrap();
                    (m.start, m.multi_line_start, m.line_start, m.prefix())
                };
                self.cur = fstart + 1;
                self.line_start = fmls;
                let detected = self.lineno;
                self.lineno = fline;
                if quote_size == 3 {
                    return self.syntax_error(format!("unterminated triple-quoted {p}-string literal (detected at line {detected})"));
                }
                return self.syntax_error(format!("unterminated {p}-string literal (detected at line {detected})"));
            }
            if c == quote {
                end_quote_size += 1;
                continue;
            }
            end_quote_size = 0;

            if c == b'{' as i32 {
                let peek = self.nextc();
                if peek != b'{' as i32 || in_format_spec {
                    self.backup(peek);
                    self.backup(c);
                    let m = self.mode();
                    m.expr_start_depth += 1;
                    if m.expr_start_depth >= MAX_EXPR_NESTING {
                        let p = m.prefix();
                        return self.syntax_error(format!("{p}-string: expressions nested too deeply"));
                    }
                    m.kind = Kind::Regular;
                    m.in_format_spec = false;
                    return self.token(middle, start, self.cur);
                }
                return self.token(middle, start, self.cur - 1);
            } else if c == b'}' as i32 {
                if unicode_escape {
                    return self.token(middle, start, self.cur);
                }
                let peek = self.nextc();
                let cursor = self.modes.last().unwrap().curly_depth;
                if peek == b'}' as i32 && !in_format_spec && cursor == 0 {
                    return self.token(middle, start, self.cur - 1);
                }
                self.backup(peek);
                self.backup(c);
                let m = self.mode();
                m.kind = Kind::Regular;
                m.in_format_spec = false;
                return self.token(middle, start, self.cur);
            } else if c == b'\\' as i32 {
                let mut peek = self.nextc();
                if peek == b'\r' as i32 {
                    peek = self.nextc();
                }
                if peek == b'{' as i32 || peek == b'}' as i32 {
                    self.backup(peek);
                    continue;
                }
                if !raw && peek == b'N' as i32 {
                    let p2 = self.nextc();
                    if p2 == b'{' as i32 {
                        unicode_escape = true;
                    } else {
                        self.backup(p2);
                    }
                }
            }
        }
        for _ in 0..quote_size {
            self.backup(quote);
        }
        self.token(middle, start, self.cur)
    }
}

// ---- TokenizerIter -------------------------------------------------------------------------

struct TokenizerIter {
    lexer: Lexer,
    done: bool,
    last_line: Option<PyRef>,
    last_lineno: i64,
}

native_type!(final TOKENIZER_ITER, c"_tokenize.TokenizerIter", TokenizerIter, {
    tp_iter: Some(self_iter),
    tp_iternext: slot_next!(tokenizer_next),
    tp_new: slot_new!(tokenizer_new),
    tp_getattro: Some(crate::objects::type_::generic_getattr),
});

fn tokenizer_new(t: &TypeObj, a: &[&Obj], kw: Option<&Obj>) -> PyResult<PyRef> {
    let sig = Sig { name: "tokenizeriter", params: &["readline", "extra_tokens", "encoding"], posonly: 1, maxpos: 1, required: 2 };
    let [readline, extra, encoding] = parse_new::<3>(&sig, a, kw)?;
    let extra = abstract_::is_true(extra.as_deref().unwrap())?;
    let encoding = match encoding {
        Some(e) => {
            if !unicode::check(&e) {
                return Err(raise!(
                    TypeError,
                    "tokenizeriter() argument 'encoding' must be str, not {}",
                    e.ob_type().name()
                ));
            }
            Some(unicode::as_str(&e)?.to_string())
        }
        None => None,
    };
    let lexer = Lexer::new(readline.unwrap(), encoding, extra);
    new_instance(t, TokenizerIter { lexer, done: false, last_line: None, last_lineno: 0 })
}

/// The number of characters in `b[from..to]` counted by UTF-8 lead bytes (a byte past the end
/// counts as one character, as CPython's walk over the NUL-terminated line does).
fn char_count(b: &[u8], from: usize, to: usize) -> i64 {
    let mut i = from;
    let mut n = 0;
    while i < to {
        let ch = b.get(i).copied().unwrap_or(0);
        i += if ch < 0x80 {
            1
        } else if ch & 0xe0 == 0xc0 {
            2
        } else if ch & 0xf0 == 0xe0 {
            3
        } else {
            4
        };
        n += 1;
    }
    n
}

fn tokenizer_next(o: &Obj) -> PyResult<Option<PyRef>> {
    let r = with(o, |it: &mut TokenizerIter| -> PyResult<Option<PyRef>> {
        if it.done {
            return Ok(None);
        }
        let tok = match it.lexer.next_token() {
            Ok(t) => t,
            Err(Stop) => return Err(it.lexer.error()),
        };
        let r = it.build(tok);
        if tok.ty == ENDMARKER {
            it.done = true;
        }
        r.map(Some)
    })?;
    r
}

impl TokenizerIter {
    fn build(&mut self, tok: Tok) -> PyResult<PyRef> {
        let lx = &self.lexer;
        let mut ty = tok.ty;
        let mut text = match (tok.start, tok.end) {
            (Some(s), Some(e)) if e >= s => unicode::new(&String::from_utf8_lossy(&lx.buf[s..e])),
            _ => unicode::new(""),
        };
        let trailing = ty == ENDMARKER || (ty == DEDENT && lx.done == Done::Eof);
        let is_string_lit = ty == STRING || ty == FSTRING_MIDDLE || ty == TSTRING_MIDDLE;
        let line_start = if is_string_lit { lx.multi_line_start } else { lx.line_start };

        let line_bytes: Vec<u8>;
        let line = if lx.extra && trailing {
            line_bytes = Vec::new();
            unicode::new("")
        } else {
            let mut end = lx.inp.max(line_start);
            if end - line_start >= 1 && lx.implicit_newline {
                end -= 1;
            }
            line_bytes = lx.buf[line_start..end].to_vec();
            if lx.lineno != self.last_lineno || self.last_line.is_none() {
                let l = unicode::new(&String::from_utf8_lossy(&line_bytes));
                self.last_line = Some(l.clone());
                l
            } else {
                self.last_line.clone().unwrap()
            }
        };

        let mut lineno = if is_string_lit { lx.first_lineno } else { lx.lineno };
        let mut end_lineno = lx.lineno;
        self.last_lineno = lineno;

        let mut col: i64 = -1;
        let mut end_col: i64 = -1;
        let mut byte_offset = 0usize;
        if let Some(s) = tok.start {
            if s >= line_start {
                byte_offset = s - line_start;
                col = char_count(&line_bytes, 0, byte_offset);
            }
        }
        if let Some(e) = tok.end {
            if e >= lx.line_start {
                let end_byte = e - lx.line_start;
                if lineno == end_lineno {
                    end_col = col + char_count(&line_bytes, byte_offset, end_byte);
                } else {
                    end_col = String::from_utf8_lossy(&lx.buf[lx.line_start..e]).chars().count() as i64;
                }
            }
        }

        if lx.extra {
            if trailing {
                lineno += 1;
                end_lineno = lineno;
                col = 0;
                end_col = 0;
            }
            if ty > DEDENT && ty < OP {
                ty = OP;
            } else if ty == NEWLINE {
                if !lx.implicit_newline {
                    let crlf = tok.start.is_some_and(|s| lx.buf.get(s) == Some(&b'\r'));
                    text = unicode::new(if crlf { "\r\n" } else { "\n" });
                }
                end_col += 1;
            } else if ty == NL && lx.implicit_newline {
                text = unicode::new("");
            }
        }
        let pos = |a: i64, b: i64| tuple::new_from_owned(vec![long::from_i64(a), long::from_i64(b)]);
        Ok(tuple::new_from_owned(vec![long::from_i64(ty as i64), text, pos(lineno, col), pos(end_lineno, end_col), line]))
    }
}

impl Lexer {
    /// The exception for a stopped lexer (CPython's `_tokenizer_error`).
    fn error(&mut self) -> PyErr {
        if let Some(e) = self.err.take() {
            return e;
        }
        let (ty, msg) = match self.done {
            Done::Eof => {
                let e = PyErr::new(exc::SyntaxError(), "unexpected EOF in multi-line statement");
                let v = e.value();
                let _ = abstract_::setattr(v, &unicode::new("filename"), Some(&unicode::new("<string>")));
                let _ = abstract_::setattr(v, &unicode::new("lineno"), Some(&long::from_i64(self.lineno)));
                let _ = abstract_::setattr(v, &unicode::new("offset"), Some(&long::from_i64(self.inp as i64)));
                return e;
            }
            Done::Dedent => (exc::IndentationError(), "unindent does not match any outer indentation level"),
            Done::TabSpace => (exc::TabError(), "inconsistent use of tabs and spaces in indentation"),
            Done::TooDeep => (exc::IndentationError(), "too many levels of indentation"),
            Done::LineCont => (exc::SyntaxError(), "unexpected character after line continuation character"),
            _ => (exc::SyntaxError(), "unknown tokenization error"),
        };
        let mut size = self.inp;
        if size > 0 && self.buf[size - 1] == b'\n' {
            size -= 1;
        }
        let line = String::from_utf8_lossy(&self.buf[..size]).into_owned();
        let offset = line.chars().count() as i64 + if self.inp > size { 1 } else { 0 };
        let build = || -> PyResult<PyErr> {
            let details = tuple::new_from_owned(vec![
                unicode::new("<string>"),
                long::from_i64(self.lineno),
                long::from_i64(offset),
                unicode::new(&line),
                none::none(),
                none::none(),
            ]);
            let args = tuple::new_from_owned(vec![unicode::new(msg), details]);
            Ok(PyErr::from_value(abstract_::call(ty, &args, None)?))
        };
        build().unwrap_or_else(|e| e)
    }
}
