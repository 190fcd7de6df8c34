//! `TextIOWrapper` (text over a buffered binary stream: decoding, encoding, newline
//! translation) and `IncrementalNewlineDecoder`. UTF-8, Latin-1 and ASCII are decoded and
//! encoded by the Rust codecs; any other encoding through the codec registry's incremental
//! decoder and encoder.

use pyrite_abi::*;

use super::{borrow, bytes_result, closed_error, is_none, size_arg, unsupported, InitArgs, State};
use crate::codecs::builtin::{self as rc, Codec};
use crate::err::PyResult;
use crate::object::{Obj, PyRef};
use crate::objects::argparse::{self, Kw, Sig};
use crate::objects::{bool_, bytes, long, none, tuple, unicode};
use crate::{abstract_, method_table};

const CR: u32 = 13;
const LF: u32 = 10;
const SEEN_LF: u8 = 1;
const SEEN_CR: u8 = 2;
const SEEN_CRLF: u8 = 4;

/// The newline half of `IncrementalNewlineDecoder`: holds back a final '\r' (it may start
/// "\r\n"), records which newlines were seen, and translates them to '\n' if asked.
#[derive(Default, Clone)]
pub(crate) struct NlState {
    pub translate: bool,
    pub pendingcr: bool,
    pub seennl: u8,
}

impl NlState {
    pub fn new(translate: bool) -> NlState {
        NlState { translate, pendingcr: false, seennl: 0 }
    }

    pub fn decode(&mut self, input: &[u32], final_: bool) -> Vec<u32> {
        let mut s: Vec<u32> = Vec::with_capacity(input.len() + 1);
        if self.pendingcr && (!input.is_empty() || final_) {
            s.push(CR);
            self.pendingcr = false;
        }
        s.extend_from_slice(input);
        if !final_ && s.last() == Some(&CR) {
            s.pop();
            self.pendingcr = true;
        }
        let mut i = 0;
        while i < s.len() {
            match s[i] {
                LF => self.seennl |= SEEN_LF,
                CR if s.get(i + 1) == Some(&LF) => {
                    self.seennl |= SEEN_CRLF;
                    i += 1;
                }
                CR => self.seennl |= SEEN_CR,
                _ => {}
            }
            i += 1;
        }
        if self.translate && s.contains(&CR) {
            let mut out = Vec::with_capacity(s.len());
            let mut i = 0;
            while i < s.len() {
                if s[i] == CR {
                    out.push(LF);
                    if s.get(i + 1) == Some(&LF) {
                        i += 1;
                    }
                } else {
                    out.push(s[i]);
                }
                i += 1;
            }
            s = out;
        }
        s
    }

    pub fn newlines(&self) -> PyRef {
        let names: Vec<&str> = [(SEEN_CR, "\r"), (SEEN_LF, "\n"), (SEEN_CRLF, "\r\n")]
            .iter()
            .filter(|(f, _)| self.seennl & f != 0)
            .map(|(_, s)| *s)
            .collect();
        match names.len() {
            0 => none::none(),
            1 => unicode::new(names[0]),
            _ => tuple::new_from_owned(names.iter().map(|s| unicode::new(s)).collect()),
        }
    }
}

/// The end (exclusive) of the first line in `text`: '\n' when translated, any of '\r',
/// '\n', "\r\n" in universal mode, else the `readnl` sequence.
pub(crate) fn find_line_end(text: &[u32], translated: bool, universal: bool, readnl: Option<&[u32]>, _final: bool) -> Option<usize> {
    if translated {
        return text.iter().position(|&c| c == LF).map(|i| i + 1);
    }
    if universal {
        let i = text.iter().position(|&c| c == LF || c == CR)?;
        if text[i] == CR && text.get(i + 1) == Some(&LF) {
            return Some(i + 2);
        }
        return Some(i + 1);
    }
    let nl = readnl.unwrap_or(&[LF]);
    if nl.is_empty() {
        return None;
    }
    text.windows(nl.len()).position(|w| w == nl).map(|i| i + nl.len())
}

// ---- TextIOWrapper ------------------------------------------------------------------------------------

#[derive(Default)]
pub(crate) struct Text {
    ok: bool,
    detached: bool,
    buffer: Option<PyRef>,
    encoding: String,
    errors: String,
    /// The Rust codec, when the encoding has one that needs no state across chunks.
    codec: Option<Codec>,
    decoder: Option<PyRef>,
    encoder: Option<PyRef>,
    readable: bool,
    writable: bool,
    seekable: bool,
    line_buffering: bool,
    write_through: bool,
    readuniversal: bool,
    readtranslate: bool,
    readnl: Option<Vec<u32>>,
    writenl: Option<Vec<u32>>,
    nl: NlState,
    /// Encoded text not yet passed to the buffer (CPython's `pending_bytes`).
    wpending: Vec<u8>,
    /// Undecoded bytes (an incomplete sequence) of the Rust codec.
    pending: Vec<u8>,
    /// Decoded text not yet returned, and how much of it was.
    decoded: Vec<u32>,
    decoded_pos: usize,
    /// Where the bytes behind `decoded` start in the buffer, and those bytes.
    snapshot: Option<(i64, Vec<u8>)>,
    /// The state the newline decoder had at the snapshot.
    snapshot_nl: NlState,
    eof: bool,
}

fn pick(s: &mut State) -> Option<&mut Text> {
    match s {
        State::Text(t) => Some(t),
        _ => None,
    }
}

fn state(o: &Obj) -> PyResult<core::cell::RefMut<'_, Text>> {
    borrow(o, "_io.TextIOWrapper", pick)
}

/// The buffer of an attached wrapper.
fn buffer_of(o: &Obj) -> PyResult<PyRef> {
    let t = state(o)?;
    if t.detached {
        return Err(raise!(ValueError, "underlying buffer has been detached"));
    }
    if !t.ok {
        return Err(raise!(ValueError, "I/O operation on uninitialized object"));
    }
    Ok(t.buffer.clone().expect("attached"))
}

fn check_closed_text(o: &Obj) -> PyResult<PyRef> {
    let b = buffer_of(o)?;
    if super::is_closed(&b)? {
        return Err(closed_error());
    }
    Ok(b)
}

/// `TextIOWrapper(buffer, encoding, errors, newline, line_buffering, write_through)` from Rust.
pub(crate) fn new_wrapper(
    buffer: &Obj,
    encoding: &str,
    errors: Option<&str>,
    newline: Option<&str>,
    line_buffering: bool,
    write_through: bool,
) -> PyResult<PyRef> {
    let o = abstract_::call(&super::TextIOWrapper_Type, &tuple::new_from(&[buffer]), None)?;
    configure(&o, buffer, encoding, errors.unwrap_or("strict"), newline.map(|n| n.chars().map(|c| c as u32).collect()), line_buffering, write_through)?;
    Ok(o)
}

fn check_newline(newline: Option<&Obj>) -> PyResult<Option<Vec<u32>>> {
    match newline {
        None => Ok(None),
        Some(n) if is_none(n) => Ok(None),
        Some(n) if unicode::check(n) => {
            let v = unicode::code_points(n);
            if ![&[][..], &[LF][..], &[CR][..], &[CR, LF][..]].contains(&v.as_slice()) {
                return Err(raise!(ValueError, "illegal newline value: {}", unicode::as_str_lossy(n)));
            }
            Ok(Some(v))
        }
        Some(n) => Err(raise!(TypeError, "TextIOWrapper() argument 'newline' must be str or None, not {}", n.ob_type().name())),
    }
}

fn configure(o: &Obj, buffer: &Obj, encoding: &str, errors: &str, newline: Option<Vec<u32>>, line_buffering: bool, write_through: bool) -> PyResult<()> {
    let encoding = if encoding == "locale" { "utf-8".to_string() } else { encoding.to_string() };
    let codec = rc::lookup(&rc::normalize(&encoding)).filter(|c| matches!(c, Codec::Utf8 | Codec::Latin1 | Codec::Ascii));
    let info = crate::codecs::lookup(&encoding)?;
    if let Some(flag) = abstract_::lookup_attr(&info, "_is_text_encoding")?
        && !abstract_::is_true(&flag)?
    {
        return Err(raise!(LookupError, "'{}' is not a text encoding; use codecs.open() to handle arbitrary codecs", encoding));
    }
    let readable = super::call_bool(buffer, "readable")?;
    let writable = super::call_bool(buffer, "writable")?;
    let seekable = super::call_bool(buffer, "seekable")?;
    let (decoder, encoder) = if codec.is_some() {
        (None, None)
    } else {
        let d = if readable { Some(crate::codecs::incremental(&encoding, Some(errors), "incrementaldecoder")?) } else { None };
        let e = if writable { Some(crate::codecs::incremental(&encoding, Some(errors), "incrementalencoder")?) } else { None };
        (d, e)
    };
    // A stream opened past its start must not get a BOM.
    if let Some(e) = &encoder
        && seekable
    {
        let pos = abstract_::call_method(buffer, "tell", &[])?;
        if !long::check(&pos) || !long::is_zero(&pos) {
            let _ = abstract_::call_method(e, "setstate", &[long::small_int_obj(0)]);
            crate::err::PyErr::take();
        }
    }
    let readuniversal = newline.as_ref().is_none_or(|n| n.is_empty());
    let readtranslate = newline.is_none();
    let writenl = match &newline {
        None => None,
        Some(n) if n.is_empty() || n.as_slice() == [LF] => None,
        Some(n) => Some(n.clone()),
    };
    let mut t = state(o)?;
    *t = Text {
        ok: true,
        buffer: Some(buffer.new_ref()),
        encoding,
        errors: errors.to_string(),
        codec,
        decoder,
        encoder,
        readable,
        writable,
        seekable,
        line_buffering,
        write_through,
        readuniversal,
        readtranslate,
        readnl: newline,
        writenl,
        nl: NlState::new(readtranslate),
        ..Text::default()
    };
    t.snapshot_nl = t.nl.clone();
    drop(t);
    if writable {
        super::buffered::remember_writer(o);
    }
    Ok(())
}

/// Passes the pending encoded text to the buffer.
fn write_pending(o: &Obj, buffer: &Obj) -> PyResult<()> {
    let data = std::mem::take(&mut state(o)?.wpending);
    if !data.is_empty() {
        abstract_::call_method(buffer, "write", &[&bytes::new(&data)])?;
    }
    Ok(())
}

static INIT_SIG: Sig = Sig {
    name: "TextIOWrapper",
    params: &["buffer", "encoding", "errors", "newline", "line_buffering", "write_through"],
    posonly: 0,
    maxpos: 6,
    required: 1,
};

fn text_init(o: &Obj, a: &InitArgs) -> PyResult<()> {
    let [buffer, encoding, errors, newline, line_buffering, write_through] = a.parse(&INIT_SIG)?;
    let buffer = buffer.expect("required");
    let encoding = match encoding.filter(|e| !is_none(e)) {
        None => "utf-8".to_string(),
        Some(e) if unicode::check(e) => unicode::as_str(e)?.to_string(),
        Some(e) => return Err(raise!(TypeError, "TextIOWrapper() argument 'encoding' must be str or None, not {}", e.ob_type().name())),
    };
    if encoding.contains('\0') {
        return Err(raise!(ValueError, "embedded null character"));
    }
    let errors = match errors.filter(|e| !is_none(e)) {
        None => "strict".to_string(),
        Some(e) if unicode::check(e) => unicode::as_str(e)?.to_string(),
        Some(e) => return Err(raise!(TypeError, "TextIOWrapper() argument 'errors' must be str or None, not {}", e.ob_type().name())),
    };
    let newline = check_newline(newline)?;
    let lb = match line_buffering {
        Some(v) => abstract_::is_true(v)?,
        None => false,
    };
    let wt = match write_through {
        Some(v) => abstract_::is_true(v)?,
        None => false,
    };
    configure(o, buffer, &encoding, &errors, newline, lb, wt)
}
super::init_slot!(init, text_init);

fn text_repr(o: &Obj) -> PyResult<PyRef> {
    let tn = super::tp_name(o);
    let enc = state(o)?.encoding.clone();
    let mut s = format!("<{tn}");
    if let Some(n) = super::name_repr(o)? {
        s.push_str(&format!(" name={n}"));
    }
    if let Some(m) = abstract_::lookup_attr(o, "mode")? {
        s.push_str(&format!(" mode={}", unicode::as_str_lossy(&*abstract_::repr(&m)?)));
    }
    s.push_str(&format!(" encoding='{enc}'>"));
    Ok(unicode::new(&s))
}
super::repr_slot!(repr, text_repr);

method_table!(pub(crate) static METHODS = [
    fast c"read" => m_read,
    fast c"readline" => m_readline,
    o c"write" => m_write,
    noargs c"flush" => m_flush,
    noargs c"close" => m_close,
    noargs c"detach" => m_detach,
    fast c"seek" => m_seek,
    noargs c"tell" => m_tell,
    fast c"truncate" => m_truncate,
    noargs c"fileno" => m_fileno,
    noargs c"isatty" => m_isatty,
    noargs c"seekable" => m_seekable,
    noargs c"readable" => m_readable,
    noargs c"writable" => m_writable,
    kw c"reconfigure" => m_reconfigure,
]);

pub(crate) static GETSET: crate::objects::type_::StaticTable<PyGetSetDef, 10> = crate::objects::type_::StaticTable(core::cell::UnsafeCell::new([
    crate::getter_def!(c"encoding", g_encoding),
    crate::getter_def!(c"errors", g_errors),
    crate::getter_def!(c"line_buffering", g_line_buffering),
    crate::getter_def!(c"write_through", g_write_through),
    crate::getter_def!(c"buffer", g_buffer),
    crate::getter_def!(c"closed", g_closed),
    crate::getter_def!(c"name", g_name),
    crate::getter_def!(c"newlines", g_newlines),
    crate::getter_def!(c"_CHUNK_SIZE", g_chunk_size),
    crate::objects::type_::GETSET_END,
]));

fn g_encoding(o: &Obj) -> PyResult<PyRef> {
    Ok(unicode::new(&state(o)?.encoding))
}
fn g_errors(o: &Obj) -> PyResult<PyRef> {
    Ok(unicode::new(&state(o)?.errors))
}
fn g_line_buffering(o: &Obj) -> PyResult<PyRef> {
    Ok(bool_::new(state(o)?.line_buffering))
}
fn g_write_through(o: &Obj) -> PyResult<PyRef> {
    Ok(bool_::new(state(o)?.write_through))
}
fn g_buffer(o: &Obj) -> PyResult<PyRef> {
    buffer_of(o)
}
fn g_closed(o: &Obj) -> PyResult<PyRef> {
    abstract_::getattr_str(&*buffer_of(o)?, "closed")
}
fn g_name(o: &Obj) -> PyResult<PyRef> {
    abstract_::getattr_str(&*buffer_of(o)?, "name")
}
fn g_newlines(o: &Obj) -> PyResult<PyRef> {
    let t = state(o)?;
    if !t.readuniversal || !t.readable {
        return Ok(none::none());
    }
    Ok(t.nl.newlines())
}
fn g_chunk_size(_o: &Obj) -> PyResult<PyRef> {
    Ok(long::from_usize(CHUNK_SIZE))
}

const CHUNK_SIZE: usize = 8192;

fn delegate(o: &Obj, name: &str) -> PyResult<PyRef> {
    abstract_::call_method(&*buffer_of(o)?, name, &[])
}
fn m_fileno(o: &Obj) -> PyResult<PyRef> {
    delegate(o, "fileno")
}
fn m_isatty(o: &Obj) -> PyResult<PyRef> {
    delegate(o, "isatty")
}
fn m_seekable(o: &Obj) -> PyResult<PyRef> {
    delegate(o, "seekable")
}
fn m_readable(o: &Obj) -> PyResult<PyRef> {
    delegate(o, "readable")
}
fn m_writable(o: &Obj) -> PyResult<PyRef> {
    delegate(o, "writable")
}

fn m_flush(o: &Obj) -> PyResult<PyRef> {
    let b = check_closed_text(o)?;
    write_pending(o, &b)?;
    abstract_::call_method(&b, "flush", &[])
}

fn m_close(o: &Obj) -> PyResult<PyRef> {
    let b = buffer_of(o)?;
    if super::is_closed(&b)? {
        return Ok(none::none());
    }
    let flushed = abstract_::call_method(o, "flush", &[]);
    let closed = abstract_::call_method(&b, "close", &[]);
    flushed?;
    closed
}

fn m_detach(o: &Obj) -> PyResult<PyRef> {
    let b = buffer_of(o)?;
    abstract_::call_method(o, "flush", &[])?;
    let mut t = state(o)?;
    t.detached = true;
    t.buffer = None;
    drop(t);
    super::buffered::forget_writer(o.as_ptr());
    Ok(b)
}

/// Encodes `text` with the wrapper's codec.
fn encode(o: &Obj, text: &Obj) -> PyResult<PyRef> {
    let (codec, errors, encoder) = {
        let t = state(o)?;
        (t.codec, t.errors.clone(), t.encoder.clone())
    };
    match (codec, encoder) {
        (Some(c), _) => rc::encode(text, c, &errors),
        (None, Some(e)) => {
            let r = abstract_::call_method(&e, "encode", &[text])?;
            if !bytes::check(&r) {
                return Err(raise!(TypeError, "encoder should return a bytes object, not '{}'", r.ob_type().name()));
            }
            Ok(r)
        }
        (None, None) => Err(unsupported("not writable")),
    }
}

fn m_write(o: &Obj, text: &Obj) -> PyResult<PyRef> {
    let buffer = check_closed_text(o)?;
    if !unicode::check(text) {
        return Err(raise!(TypeError, "write() argument must be str, not {}", text.ob_type().name()));
    }
    let (writable, writenl, line_buffering, translate_lf) = {
        let t = state(o)?;
        (t.writable, t.writenl.clone(), t.line_buffering, t.writenl.is_some())
    };
    if !writable {
        return Err(unsupported("not writable"));
    }
    let n = unicode::len(text);
    let (mut has_lf, mut has_cr) = (false, false);
    for c in unicode::chars(text) {
        has_lf |= c == LF;
        has_cr |= c == CR;
    }
    let needflush = line_buffering && (has_lf || has_cr);
    let text_ref;
    let text: &Obj = if has_lf && translate_lf {
        let nl = writenl.expect("translating");
        let mut v = Vec::with_capacity(n + 8);
        for c in unicode::chars(text) {
            if c == LF { v.extend_from_slice(&nl) } else { v.push(c) }
        }
        text_ref = unicode::from_code_points(&v);
        &text_ref
    } else {
        text
    };
    // UTF-8/ASCII/Latin-1 of ASCII text is the text's own bytes.
    let ascii = unicode::is_ascii(text) && state(o)?.codec.is_some();
    let data = if ascii { None } else { Some(encode(o, text)?) };
    {
        // Writing drops what was read ahead (as CPython does).
        let mut t = state(o)?;
        if !t.decoded.is_empty() || t.snapshot.is_some() {
            t.decoded.clear();
            t.decoded_pos = 0;
            t.snapshot = None;
            t.pending.clear();
        }
    }
    let dec = state(o)?.decoder.clone();
    if let Some(d) = dec {
        abstract_::call_method(&d, "reset", &[])?;
    }
    let (write_through, full) = {
        let mut t = state(o)?;
        match &data {
            Some(d) => t.wpending.extend_from_slice(bytes::as_bytes(d)),
            None => t.wpending.extend_from_slice(unicode::data_bytes(text)),
        }
        (t.write_through, t.wpending.len() > CHUNK_SIZE)
    };
    if full || needflush || write_through {
        write_pending(o, &buffer)?;
    }
    if needflush {
        abstract_::call_method(&buffer, "flush", &[])?;
    }
    Ok(long::from_usize(n))
}

/// Decodes `input` (`final` at end of stream) into code points, before newline handling.
fn decode_chunk(o: &Obj, input: &[u8], final_: bool) -> PyResult<Vec<u32>> {
    let (codec, errors, decoder, mut pending) = {
        let mut t = state(o)?;
        (t.codec, t.errors.clone(), t.decoder.clone(), std::mem::take(&mut t.pending))
    };
    let text = match (codec, decoder) {
        (Some(c), _) => {
            pending.extend_from_slice(input);
            let d = rc::decode(&pending, None, c, &errors, final_)?;
            let rest = pending[d.consumed..].to_vec();
            state(o)?.pending = rest;
            d.text
        }
        (None, Some(d)) => {
            let r = abstract_::call_method(&d, "decode", &[&bytes::new(input), &bool_::new(final_)])?;
            if !unicode::check(&r) {
                return Err(raise!(TypeError, "decoder should return a string result, not '{}'", r.ob_type().name()));
            }
            r
        }
        (None, None) => return Err(unsupported("not readable")),
    };
    Ok(unicode::code_points(&text))
}

/// Reads and decodes the next chunk into `decoded` (which must be consumed); false at EOF.
fn read_chunk(o: &Obj, buffer: &Obj, size_hint: usize) -> PyResult<bool> {
    let seekable = state(o)?.seekable;
    let start = if seekable {
        let p = abstract_::call_method(buffer, "tell", &[])?;
        Some(long::to_i64(&*abstract_::index(&p)?).unwrap_or(0))
    } else {
        None
    };
    let size = size_hint.max(CHUNK_SIZE);
    let method = if abstract_::lookup_attr(buffer, "read1")?.is_some() { "read1" } else { "read" };
    let r = abstract_::call_method(buffer, method, &[&long::from_usize(size)])?;
    let input = bytes_result(&r, method)?.ok_or_else(|| raise!(TypeError, "underlying {}() should have returned a bytes-like object, not 'NoneType'", method))?;
    let eof = input.is_empty();
    let pending_before = state(o)?.pending.clone();
    let nl_before = state(o)?.nl.clone();
    let cps = decode_chunk(o, &input, eof)?;
    let mut t = state(o)?;
    let out = t.nl.decode(&cps, eof);
    t.decoded = out;
    t.decoded_pos = 0;
    t.eof = eof;
    t.snapshot = start.map(|s| {
        let mut raw = pending_before.clone();
        raw.extend_from_slice(&input);
        (s - pending_before.len() as i64, raw)
    });
    t.snapshot_nl = nl_before;
    Ok(!eof)
}

fn prepare_read(o: &Obj) -> PyResult<PyRef> {
    let b = check_closed_text(o)?;
    if !state(o)?.readable {
        return Err(unsupported("not readable"));
    }
    Ok(b)
}

fn take_decoded(t: &mut Text, n: usize) -> Vec<u32> {
    let avail = t.decoded.len() - t.decoded_pos;
    let k = n.min(avail);
    let out = t.decoded[t.decoded_pos..t.decoded_pos + k].to_vec();
    t.decoded_pos += k;
    out
}

fn m_read(o: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    argparse::check_positional("read", a.len(), 0, 1)?;
    let n = size_arg(a.first().copied())?;
    let buffer = prepare_read(o)?;
    // Pending writes go out first.
    write_pending(o, &buffer)?;
    abstract_::call_method(&buffer, "flush", &[])?;
    if n < 0 {
        let mut out = take_decoded(&mut *state(o)?, usize::MAX);
        let r = abstract_::call_method(&buffer, "read", &[])?;
        let input = bytes_result(&r, "read")?.unwrap_or_default();
        let cps = decode_chunk(o, &input, true)?;
        let mut t = state(o)?;
        out.extend(t.nl.decode(&cps, true));
        t.decoded.clear();
        t.decoded_pos = 0;
        t.snapshot = None;
        return Ok(unicode::from_code_points(&out));
    }
    let n = n as usize;
    let mut out = take_decoded(&mut *state(o)?, n);
    while out.len() < n {
        if !read_chunk(o, &buffer, n - out.len())? {
            out.extend(take_decoded(&mut *state(o)?, n - out.len()));
            break;
        }
        out.extend(take_decoded(&mut *state(o)?, n - out.len()));
    }
    Ok(unicode::from_code_points(&out))
}

fn m_readline(o: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    argparse::check_positional("readline", a.len(), 0, 1)?;
    let limit = size_arg(a.first().copied())?;
    let buffer = prepare_read(o)?;
    write_pending(o, &buffer)?;
    let mut line: Vec<u32> = Vec::new();
    loop {
        let done = {
            let mut t = state(o)?;
            let rest = &t.decoded[t.decoded_pos..];
            // A '\r' at the very end may be the start of "\r\n" in untranslated universal mode.
            let end = find_line_end(rest, t.readtranslate, t.readuniversal, t.readnl.as_deref(), t.eof);
            let room = if limit < 0 { usize::MAX } else { limit as usize - line.len() };
            match end {
                Some(e) if e <= room => {
                    line.extend(take_decoded(&mut t, e));
                    true
                }
                _ => {
                    // A "\r\n" split across the pieces counts as one ending.
                    line.extend(take_decoded(&mut t, room));
                    limit >= 0 && line.len() >= limit as usize
                }
            }
        };
        if done {
            break;
        }
        // Join a "\r" ending this piece with a "\n" starting the next (newline='' mode).
        if !read_chunk(o, &buffer, 0)? {
            let mut t = state(o)?;
            line.extend(take_decoded(&mut t, usize::MAX));
            break;
        }
        let t = state(o)?;
        if t.readuniversal && !t.readtranslate && line.last() == Some(&CR) {
            drop(t);
            let mut t = state(o)?;
            if t.decoded.get(t.decoded_pos) == Some(&LF) {
                t.decoded_pos += 1;
                line.push(LF);
            }
            break;
        }
    }
    Ok(unicode::from_code_points(&line))
}

/// The cookie for the current position: the snapshot's start plus the bytes that decode to
/// the characters consumed so far.
fn m_tell(o: &Obj) -> PyResult<PyRef> {
    let buffer = check_closed_text(o)?;
    if !state(o)?.seekable {
        return Err(unsupported("underlying stream is not seekable"));
    }
    abstract_::call_method(o, "flush", &[])?;
    let (snapshot, consumed, codec) = {
        let t = state(o)?;
        (t.snapshot.clone(), t.decoded_pos, t.codec)
    };
    let Some((start, raw)) = snapshot else {
        let p = abstract_::call_method(&buffer, "tell", &[])?;
        let pending = state(o)?.pending.len() as i64;
        let p = long::to_i64(&*abstract_::index(&p)?).unwrap_or(0);
        return Ok(long::from_i64(p - pending));
    };
    if consumed == 0 {
        return Ok(long::from_i64(start));
    }
    let (errors, nl0) = {
        let t = state(o)?;
        (t.errors.clone(), t.snapshot_nl.clone())
    };
    let Some(codec) = codec else {
        return Err(unsupported("tell() is only supported for UTF-8, Latin-1 and ASCII streams in Pyrite"));
    };
    // Feed bytes one at a time until the consumed characters are produced.
    let mut nl = nl0;
    let mut produced = 0usize;
    let mut fed = 0usize;
    let mut pend: Vec<u8> = Vec::new();
    while fed < raw.len() {
        pend.push(raw[fed]);
        fed += 1;
        let d = rc::decode(&pend, None, codec, &errors, false)?;
        if d.consumed > 0 {
            pend.drain(..d.consumed);
            let cps = unicode::code_points(&d.text);
            produced += nl.decode(&cps, false).len();
        }
        if produced >= consumed && pend.is_empty() && !nl.pendingcr {
            break;
        }
    }
    Ok(long::from_i64(start + fed as i64))
}

fn reset_read_state(t: &mut Text) {
    t.decoded.clear();
    t.decoded_pos = 0;
    t.snapshot = None;
    t.pending.clear();
    t.nl.pendingcr = false;
    t.eof = false;
}

fn m_seek(o: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    argparse::check_positional("seek", a.len(), 1, 2)?;
    let buffer = check_closed_text(o)?;
    let whence = match a.get(1) {
        Some(w) => argparse::c_int(w)?,
        None => 0,
    };
    if !state(o)?.seekable {
        return Err(unsupported("underlying stream is not seekable"));
    }
    let cookie = abstract_::index(a[0])?;
    match whence {
        1 => {
            if !long::is_zero(&cookie) {
                return Err(unsupported("can't do nonzero cur-relative seeks"));
            }
            return m_tell(o);
        }
        2 => {
            if !long::is_zero(&cookie) {
                return Err(unsupported("can't do nonzero end-relative seeks"));
            }
            abstract_::call_method(o, "flush", &[])?;
            reset_read_state(&mut *state(o)?);
            if let Some(d) = state(o)?.decoder.clone() {
                abstract_::call_method(&d, "reset", &[])?;
            }
            return abstract_::call_method(&buffer, "seek", &[long::small_int_obj(0), long::small_int_obj(2)]);
        }
        0 => {}
        _ => return Err(raise!(ValueError, "invalid whence ({}, should be 0, 1 or 2)", whence)),
    }
    if long::is_negative(&cookie) {
        return Err(raise!(ValueError, "negative seek position {}", unicode::as_str_lossy(&*abstract_::repr(&cookie)?)));
    }
    abstract_::call_method(o, "flush", &[])?;
    reset_read_state(&mut *state(o)?);
    if let Some(d) = state(o)?.decoder.clone() {
        abstract_::call_method(&d, "reset", &[])?;
    }
    abstract_::call_method(&buffer, "seek", &[&cookie])?;
    Ok(cookie)
}

fn m_truncate(o: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    argparse::check_positional("truncate", a.len(), 0, 1)?;
    let buffer = buffer_of(o)?;
    abstract_::call_method(o, "flush", &[])?;
    let pos = a.first().map(|p| p.new_ref()).unwrap_or_else(none::none);
    abstract_::call_method(&buffer, "truncate", &[&pos])
}

static RECONFIGURE_SIG: Sig = Sig {
    name: "reconfigure",
    params: &["encoding", "errors", "newline", "line_buffering", "write_through"],
    posonly: 0,
    maxpos: 0,
    required: 0,
};

fn m_reconfigure(o: &Obj, a: &[&Obj], kw: Kw) -> PyResult<PyRef> {
    let [encoding, errors, newline, line_buffering, write_through] = argparse::parse(&RECONFIGURE_SIG, a, kw)?;
    let buffer = buffer_of(o)?;
    let started = {
        let t = state(o)?;
        t.snapshot.is_some() || !t.decoded.is_empty()
    };
    let enc_given = encoding.filter(|e| !is_none(e));
    let err_given = errors.filter(|e| !is_none(e));
    if started && (enc_given.is_some() || err_given.is_some() || newline.is_some()) {
        return Err(unsupported("It is not possible to set the encoding or newline of stream after the first read"));
    }
    let new_newline = match newline {
        Some(n) => check_newline(Some(n))?,
        None => state(o)?.readnl.clone(),
    };
    abstract_::call_method(o, "flush", &[])?;
    let (old_enc, old_err, old_lb, old_wt) = {
        let t = state(o)?;
        (t.encoding.clone(), t.errors.clone(), t.line_buffering, t.write_through)
    };
    let enc = match enc_given {
        Some(e) if unicode::check(e) => unicode::as_str(e)?.to_string(),
        Some(e) => return Err(raise!(TypeError, "reconfigure() argument 'encoding' must be str or None, not {}", e.ob_type().name())),
        None => old_enc,
    };
    let err = match err_given {
        Some(e) if unicode::check(e) => unicode::as_str(e)?.to_string(),
        Some(e) => return Err(raise!(TypeError, "reconfigure() argument 'errors' must be str or None, not {}", e.ob_type().name())),
        None if enc_given.is_some() => "strict".to_string(),
        None => old_err,
    };
    let lb = match line_buffering.filter(|v| !is_none(v)) {
        Some(v) => abstract_::is_true(v)?,
        None => old_lb,
    };
    let wt = match write_through.filter(|v| !is_none(v)) {
        Some(v) => abstract_::is_true(v)?,
        None => old_wt,
    };
    configure(o, &buffer, &enc, &err, new_newline, lb, wt)?;
    Ok(none::none())
}

// ---- IncrementalNewlineDecoder ---------------------------------------------------------------------

#[derive(Default)]
pub(crate) struct NlDecoder {
    decoder: Option<PyRef>,
    nl: NlState,
    ok: bool,
}

fn pick_nl(s: &mut State) -> Option<&mut NlDecoder> {
    match s {
        State::NlDecoder(d) => Some(d),
        _ => None,
    }
}

fn nl_state(o: &Obj) -> PyResult<core::cell::RefMut<'_, NlDecoder>> {
    let d = borrow(o, "_io.IncrementalNewlineDecoder", pick_nl)?;
    if !d.ok {
        return Err(raise!(ValueError, "IncrementalNewlineDecoder.__init__() not called"));
    }
    Ok(d)
}

static NL_INIT_SIG: Sig = Sig { name: "IncrementalNewlineDecoder", params: &["decoder", "translate", "errors"], posonly: 0, maxpos: 3, required: 2 };

fn nl_init_impl(o: &Obj, a: &InitArgs) -> PyResult<()> {
    // `errors` is accepted for compatibility; CPython does not use it either.
    let [decoder, translate, _errors] = a.parse(&NL_INIT_SIG)?;
    let translate = abstract_::is_true(translate.expect("required"))?;
    let decoder = decoder.filter(|d| !is_none(d)).map(|d| d.new_ref());
    *borrow(o, "_io.IncrementalNewlineDecoder", pick_nl)? = NlDecoder { decoder, nl: NlState::new(translate), ok: true };
    Ok(())
}
super::init_slot!(nl_init, nl_init_impl);

method_table!(pub(crate) static NL_METHODS = [
    kw c"decode" => nl_decode,
    noargs c"getstate" => nl_getstate,
    o c"setstate" => nl_setstate,
    noargs c"reset" => nl_reset,
]);

pub(crate) static NL_GETSET: crate::objects::type_::StaticTable<PyGetSetDef, 2> =
    crate::objects::type_::StaticTable(core::cell::UnsafeCell::new([crate::getter_def!(c"newlines", nl_newlines), crate::objects::type_::GETSET_END]));

static NL_DECODE_SIG: Sig = Sig { name: "decode", params: &["input", "final"], posonly: 0, maxpos: 2, required: 1 };

fn nl_decode(o: &Obj, a: &[&Obj], kw: Kw) -> PyResult<PyRef> {
    let [input, final_] = argparse::parse(&NL_DECODE_SIG, a, kw)?;
    let input = input.expect("required");
    let final_ = match final_ {
        Some(f) => abstract_::is_true(f)?,
        None => false,
    };
    let decoder = nl_state(o)?.decoder.clone();
    let text = match decoder {
        Some(d) => abstract_::call_method(&d, "decode", &[input, &bool_::new(final_)])?,
        None => input.new_ref(),
    };
    if !unicode::check(&text) {
        return Err(raise!(TypeError, "decoder should return a string result, not '{}'", text.ob_type().name()));
    }
    let cps = unicode::code_points(&text);
    let out = nl_state(o)?.nl.decode(&cps, final_);
    Ok(unicode::from_code_points(&out))
}

fn nl_getstate(o: &Obj) -> PyResult<PyRef> {
    let (decoder, pendingcr) = {
        let d = nl_state(o)?;
        (d.decoder.clone(), d.nl.pendingcr)
    };
    let (buf, flag) = match decoder {
        Some(d) => {
            let st = abstract_::call_method(&d, "getstate", &[])?;
            if !tuple::check(&st) || tuple::len(&st) != 2 {
                return Err(raise!(TypeError, "illegal decoder state"));
            }
            let flag = long::to_i64(&*abstract_::index(tuple::get(&st, 1))?).unwrap_or(0);
            (tuple::get(&st, 0).new_ref(), flag)
        }
        None => (bytes::new(&[]), 0),
    };
    let flag = (flag << 1) | pendingcr as i64;
    Ok(tuple::new_from(&[&buf, &long::from_i64(flag)]))
}

fn nl_setstate(o: &Obj, st: &Obj) -> PyResult<PyRef> {
    if !tuple::check(st) || tuple::len(st) != 2 {
        return Err(raise!(TypeError, "state argument must be a tuple"));
    }
    let flag = long::to_i64(&*abstract_::index(tuple::get(st, 1))?).unwrap_or(0);
    let decoder = {
        let mut d = nl_state(o)?;
        d.nl.pendingcr = flag & 1 != 0;
        d.decoder.clone()
    };
    if let Some(d) = decoder {
        let inner = tuple::new_from(&[tuple::get(st, 0), &*long::from_i64(flag >> 1)]);
        abstract_::call_method(&d, "setstate", &[&inner])?;
    }
    Ok(none::none())
}

fn nl_reset(o: &Obj) -> PyResult<PyRef> {
    let decoder = {
        let mut d = nl_state(o)?;
        d.nl.seennl = 0;
        d.nl.pendingcr = false;
        d.decoder.clone()
    };
    if let Some(d) = decoder {
        abstract_::call_method(&d, "reset", &[])?;
    }
    Ok(none::none())
}

fn nl_newlines(o: &Obj) -> PyResult<PyRef> {
    Ok(nl_state(o)?.nl.newlines())
}
