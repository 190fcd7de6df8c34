//! `BufferedReader`, `BufferedWriter`, `BufferedRandom` (one implementation: a read buffer,
//! a write buffer, or both) and `BufferedRWPair`. The raw stream is called through its Python
//! methods (`read`, `readall`, `write`, `seek`, `tell`, ...), so any `RawIOBase` works.

use std::sync::Mutex;

use pyrite_abi::*;

use super::{borrow, bytes_result, is_none, size_arg, InitArgs, State, DEFAULT_BUFFER_SIZE};
use crate::err::{PyErr, PyResult};
use crate::object::{Obj, PyRef};
use crate::objects::argparse::{self, Sig};
use crate::objects::{bytes, long, none, unicode};
use crate::{abstract_, method_table};

const READER: u8 = 1;
const WRITER: u8 = 2;
const RANDOM: u8 = 3;

#[derive(Default)]
pub(crate) struct Buffered {
    raw: Option<PyRef>,
    kind: u8,
    buffer_size: usize,
    /// Read-ahead data and how much of it was consumed.
    rbuf: Vec<u8>,
    rpos: usize,
    /// Data written but not yet passed to the raw stream.
    wbuf: Vec<u8>,
    detached: bool,
}

impl Buffered {
    fn unread(&self) -> usize {
        self.rbuf.len() - self.rpos
    }
    fn reads(&self) -> bool {
        self.kind & READER != 0
    }
    fn writes(&self) -> bool {
        self.kind & WRITER != 0
    }
}

fn pick(s: &mut State) -> Option<&mut Buffered> {
    match s {
        State::Buffered(b) => Some(b),
        _ => None,
    }
}

fn state(o: &Obj) -> PyResult<core::cell::RefMut<'_, Buffered>> {
    borrow(o, "buffered object", pick)
}

/// The raw stream (ValueError if detached or never initialised).
fn raw_of(o: &Obj) -> PyResult<PyRef> {
    let b = state(o)?;
    if b.detached {
        return Err(raise!(ValueError, "raw stream has been detached"));
    }
    b.raw.clone().ok_or_else(|| raise!(ValueError, "I/O operation on uninitialized object"))
}

/// The raw stream, if attached and not busy (for the fast closed check).
pub(crate) fn raw_if_attached(o: &Obj) -> Option<PyRef> {
    let b = state(o).ok()?;
    if b.detached { None } else { b.raw.clone() }
}

// ---- the registry of live writers, flushed at exit ---------------------------------------------

static LIVE_WRITERS: Mutex<Vec<usize>> = Mutex::new(Vec::new());

pub(crate) fn remember_writer(o: &Obj) {
    let mut v = LIVE_WRITERS.lock().unwrap_or_else(|p| p.into_inner());
    let p = o.as_ptr() as usize;
    if !v.contains(&p) {
        v.push(p);
    }
}

/// Called by the deallocator: `o` is going away.
pub(crate) fn forget_writer(o: *mut PyObject) {
    let mut v = LIVE_WRITERS.lock().unwrap_or_else(|p| p.into_inner());
    v.retain(|&p| p != o as usize);
}

/// Flushes every buffered writer still alive (at exit), ignoring errors.
pub(crate) fn flush_live_writers() {
    // Newest first: a text wrapper is registered after its buffer and must flush into it first.
    let ptrs: Vec<usize> = LIVE_WRITERS.lock().unwrap_or_else(|p| p.into_inner()).iter().rev().copied().collect();
    let saved = PyErr::take();
    for p in ptrs {
        // SAFETY: the registry holds only live objects (the deallocator removes them).
        let o = unsafe { Obj::from_ptr(p as *mut PyObject) }.new_ref();
        let open = matches!(super::is_closed(&o), Ok(false));
        PyErr::take();
        if open && abstract_::call_method(&o, "flush", &[]).is_err() {
            PyErr::take();
        }
    }
    if let Some(e) = saved {
        e.restore();
    }
}

// ---- construction ---------------------------------------------------------------------------------

static READER_SIG: Sig = Sig { name: "BufferedReader", params: &["raw", "buffer_size"], posonly: 0, maxpos: 2, required: 1 };
static WRITER_SIG: Sig = Sig { name: "BufferedWriter", params: &["raw", "buffer_size"], posonly: 0, maxpos: 2, required: 1 };
static RANDOM_SIG: Sig = Sig { name: "BufferedRandom", params: &["raw", "buffer_size"], posonly: 0, maxpos: 2, required: 1 };

fn init_kind(o: &Obj, a: &InitArgs, kind: u8) -> PyResult<()> {
    let sig = match kind {
        READER => &READER_SIG,
        WRITER => &WRITER_SIG,
        _ => &RANDOM_SIG,
    };
    let [raw, size] = a.parse(sig)?;
    let raw = raw.expect("required");
    if kind == RANDOM {
        check_seekable(raw)?;
    }
    if kind & READER != 0 {
        super::require_readable(raw)?;
    }
    if kind & WRITER != 0 {
        super::require_writable(raw)?;
    }
    let buffer_size = match size {
        None => DEFAULT_BUFFER_SIZE as isize,
        Some(s) => argparse::ssize(s)?,
    };
    if buffer_size <= 0 {
        return Err(raise!(ValueError, "buffer size must be strictly positive"));
    }
    *state(o)? = Buffered { raw: Some(raw.new_ref()), kind, buffer_size: buffer_size as usize, ..Buffered::default() };
    if kind & WRITER != 0 {
        remember_writer(o);
    }
    Ok(())
}

fn check_seekable(raw: &Obj) -> PyResult<()> {
    if !super::call_bool(raw, "seekable")? {
        return Err(super::unsupported("File or stream is not seekable."));
    }
    Ok(())
}

fn reader_init(o: &Obj, a: &InitArgs) -> PyResult<()> {
    init_kind(o, a, READER)
}
fn writer_init(o: &Obj, a: &InitArgs) -> PyResult<()> {
    init_kind(o, a, WRITER)
}
fn random_init(o: &Obj, a: &InitArgs) -> PyResult<()> {
    init_kind(o, a, RANDOM)
}
super::init_slot!(init_reader, reader_init);
super::init_slot!(init_writer, writer_init);
super::init_slot!(init_random, random_init);

fn buffered_repr(o: &Obj) -> PyResult<PyRef> {
    let tn = super::tp_name(o);
    Ok(unicode::new(&match super::name_repr(o)? {
        Some(n) => format!("<{tn} name={n}>"),
        None => format!("<{tn}>"),
    }))
}
super::repr_slot!(repr, buffered_repr);

method_table!(pub(crate) static METHODS = [
    fast c"read" => m_read,
    fast c"read1" => m_read1,
    fast c"peek" => m_peek,
    fast c"readline" => m_readline,
    o c"write" => m_write,
    noargs c"flush" => m_flush,
    fast c"seek" => m_seek,
    noargs c"tell" => m_tell,
    fast c"truncate" => m_truncate,
    noargs c"close" => m_close,
    noargs c"detach" => m_detach,
    noargs c"seekable" => m_seekable,
    noargs c"readable" => m_readable,
    noargs c"writable" => m_writable,
    noargs c"fileno" => m_fileno,
    noargs c"isatty" => m_isatty,
    o c"_dealloc_warn" => m_dealloc_warn,
]);

pub(crate) static GETSET: crate::objects::type_::StaticTable<PyGetSetDef, 5> = crate::objects::type_::StaticTable(core::cell::UnsafeCell::new([
    crate::getter_def!(c"raw", g_raw),
    crate::getter_def!(c"closed", g_closed),
    crate::getter_def!(c"name", g_name),
    crate::getter_def!(c"mode", g_mode),
    crate::objects::type_::GETSET_END,
]));

fn g_raw(o: &Obj) -> PyResult<PyRef> {
    raw_of(o)
}
fn g_closed(o: &Obj) -> PyResult<PyRef> {
    abstract_::getattr_str(&*raw_of(o)?, "closed")
}
fn g_name(o: &Obj) -> PyResult<PyRef> {
    abstract_::getattr_str(&*raw_of(o)?, "name")
}
fn g_mode(o: &Obj) -> PyResult<PyRef> {
    abstract_::getattr_str(&*raw_of(o)?, "mode")
}

fn delegate(o: &Obj, name: &str) -> PyResult<PyRef> {
    abstract_::call_method(&*raw_of(o)?, name, &[])
}
fn m_seekable(o: &Obj) -> PyResult<PyRef> {
    delegate(o, "seekable")
}
// A reader is never writable and a writer never readable (they inherit `_IOBase`'s answer).
fn m_readable(o: &Obj) -> PyResult<PyRef> {
    if !state(o)?.reads() {
        return Ok(crate::objects::bool_::new(false));
    }
    delegate(o, "readable")
}
fn m_writable(o: &Obj) -> PyResult<PyRef> {
    if !state(o)?.writes() {
        return Ok(crate::objects::bool_::new(false));
    }
    delegate(o, "writable")
}
fn m_fileno(o: &Obj) -> PyResult<PyRef> {
    delegate(o, "fileno")
}
fn m_isatty(o: &Obj) -> PyResult<PyRef> {
    delegate(o, "isatty")
}
fn m_dealloc_warn(_o: &Obj, _src: &Obj) -> PyResult<PyRef> {
    Ok(none::none())
}

/// ValueError `msg` if the raw stream is closed.
fn check_open(o: &Obj, msg: &str) -> PyResult<PyRef> {
    let raw = raw_of(o)?;
    if super::is_closed(&raw)? {
        return Err(PyErr::new(crate::objects::exceptions::ValueError(), msg));
    }
    Ok(raw)
}

/// Passes the write buffer to the raw stream (partial writes retried).
fn flush_writes(o: &Obj, raw: &Obj) -> PyResult<()> {
    loop {
        let data = {
            let b = state(o)?;
            if b.wbuf.is_empty() {
                return Ok(());
            }
            b.wbuf.clone()
        };
        let r = abstract_::call_method(raw, "write", &[&bytes::new(&data)])?;
        if is_none(&r) {
            return Err(PyErr::new(crate::objects::exceptions::BlockingIOError(), "write could not complete without blocking"));
        }
        let n = argparse::ssize(&r)?;
        if n < 0 || n as usize > data.len() {
            return Err(raise!(OSError, "raw write() returned invalid length {} (should have been between 0 and {})", n, data.len()));
        }
        state(o)?.wbuf.drain(..n as usize);
    }
}

/// Drops the read-ahead buffer, moving the raw position back to the logical one.
fn rewind_reads(o: &Obj, raw: &Obj) -> PyResult<()> {
    let unread = {
        let mut b = state(o)?;
        let u = b.unread();
        b.rbuf.clear();
        b.rpos = 0;
        u
    };
    if unread > 0 {
        abstract_::call_method(raw, "seek", &[&long::from_i64(-(unread as i64)), long::small_int_obj(1)])?;
    }
    Ok(())
}

/// `raw.read(n)` as data; `None` when the raw stream would block.
fn raw_read(raw: &Obj, n: usize) -> PyResult<Option<Vec<u8>>> {
    let r = abstract_::call_method(raw, "read", &[&long::from_usize(n)])?;
    bytes_result(&r, "read")
}

/// Takes up to `n` bytes of read-ahead.
fn take_buffered(o: &Obj, n: usize) -> PyResult<Vec<u8>> {
    let mut b = state(o)?;
    let k = n.min(b.unread());
    let start = b.rpos;
    let out = b.rbuf[start..start + k].to_vec();
    b.rpos += k;
    if b.rpos == b.rbuf.len() {
        b.rbuf.clear();
        b.rpos = 0;
    }
    Ok(out)
}

/// Reads one buffer's worth into the read-ahead; Ok(false) at EOF, Err/None when blocking.
fn fill(o: &Obj, raw: &Obj) -> PyResult<Option<bool>> {
    let size = state(o)?.buffer_size;
    let Some(data) = raw_read(raw, size)? else { return Ok(None) };
    if data.is_empty() {
        return Ok(Some(false));
    }
    let mut b = state(o)?;
    let start = b.rpos;
    b.rbuf.drain(..start);
    b.rpos = 0;
    b.rbuf.extend_from_slice(&data);
    Ok(Some(true))
}

fn prepare_read(o: &Obj, what: &str) -> PyResult<PyRef> {
    prepare_read_as(o, what, what)
}

/// `unsupported_as` names the operation for a writer, `what` for a closed file.
fn prepare_read_as(o: &Obj, what: &str, unsupported_as: &str) -> PyResult<PyRef> {
    let (reads, has_data) = {
        let b = state(o)?;
        (b.reads(), b.unread() > 0)
    };
    if !reads {
        return Err(super::unsupported(unsupported_as));
    }
    let raw = raw_of(o)?;
    if !has_data && super::is_closed(&raw)? {
        return Err(PyErr::new(crate::objects::exceptions::ValueError(), format!("{what} of closed file")));
    }
    if state(o)?.writes() {
        flush_writes(o, &raw)?;
    }
    Ok(raw)
}

fn m_read(o: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    argparse::check_positional("read", a.len(), 0, 1)?;
    let n = size_arg(a.first().copied())?;
    if n < -1 {
        return Err(raise!(ValueError, "read length must be non-negative or -1"));
    }
    let raw = prepare_read(o, "read")?;
    if n == -1 {
        let mut out = take_buffered(o, usize::MAX)?;
        if abstract_::lookup_attr(&raw, "readall")?.is_some() {
            let r = abstract_::call_method(&raw, "readall", &[])?;
            match bytes_result(&r, "readall")? {
                Some(d) => out.extend_from_slice(&d),
                None if out.is_empty() => return Ok(none::none()),
                None => {}
            }
        } else {
            loop {
                match raw_read(&raw, DEFAULT_BUFFER_SIZE)? {
                    Some(d) if !d.is_empty() => out.extend_from_slice(&d),
                    None if out.is_empty() => return Ok(none::none()),
                    _ => break,
                }
            }
        }
        return Ok(bytes::new(&out));
    }
    let n = n as usize;
    let mut out = take_buffered(o, n)?;
    let size = state(o)?.buffer_size;
    while out.len() < n {
        let want = n - out.len();
        if want >= size {
            match raw_read(&raw, want)? {
                Some(d) if !d.is_empty() => out.extend_from_slice(&d),
                None if out.is_empty() => return Ok(none::none()),
                _ => break,
            }
        } else {
            match fill(o, &raw)? {
                Some(true) => out.extend(take_buffered(o, want)?),
                None if out.is_empty() => return Ok(none::none()),
                _ => break,
            }
        }
    }
    Ok(bytes::new(&out))
}

fn m_read1(o: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    argparse::check_positional("read1", a.len(), 0, 1)?;
    let n = size_arg(a.first().copied())?;
    let raw = prepare_read(o, "read1")?;
    let n = if n < 0 { state(o)?.buffer_size } else { n as usize };
    if n == 0 {
        return Ok(bytes::new(&[]));
    }
    if state(o)?.unread() > 0 {
        return Ok(bytes::new(&take_buffered(o, n)?));
    }
    match raw_read(&raw, n)? {
        Some(d) => Ok(bytes::new(&d)),
        None => Ok(none::none()),
    }
}

fn m_peek(o: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    argparse::check_positional("peek", a.len(), 0, 1)?;
    let raw = prepare_read(o, "peek")?;
    if state(o)?.unread() == 0 {
        fill(o, &raw)?;
    }
    let b = state(o)?;
    Ok(bytes::new(&b.rbuf[b.rpos..]))
}

fn m_readline(o: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    argparse::check_positional("readline", a.len(), 0, 1)?;
    let limit = size_arg(a.first().copied())?;
    let raw = prepare_read_as(o, "readline", "read")?;
    let mut out: Vec<u8> = Vec::new();
    loop {
        let room = if limit < 0 { usize::MAX } else { limit as usize - out.len() };
        if room == 0 {
            break;
        }
        let found = {
            let b = state(o)?;
            let avail = &b.rbuf[b.rpos..];
            avail.iter().position(|&c| c == b'\n').map(|i| i + 1)
        };
        if let Some(k) = found {
            out.extend(take_buffered(o, k.min(room))?);
            if k <= room {
                break;
            }
            continue;
        }
        out.extend(take_buffered(o, room)?);
        if limit >= 0 && out.len() >= limit as usize {
            break;
        }
        match fill(o, &raw)? {
            Some(true) => {}
            _ => break,
        }
    }
    Ok(bytes::new(&out))
}

fn m_write(o: &Obj, data: &Obj) -> PyResult<PyRef> {
    if !state(o)?.writes() {
        return Err(super::unsupported("write"));
    }
    let raw = raw_of(o)?;
    if super::is_closed(&raw)? {
        return Err(raise!(ValueError, "write to closed file"));
    }
    let data = bytes::bytes_like(data)?;
    if state(o)?.unread() > 0 {
        rewind_reads(o, &raw)?;
    } else if state(o)?.reads() {
        state(o)?.rbuf.clear();
    }
    let full = {
        let mut b = state(o)?;
        b.wbuf.extend_from_slice(&data);
        b.wbuf.len() >= b.buffer_size
    };
    if full {
        flush_writes(o, &raw)?;
    }
    Ok(long::from_usize(data.len()))
}

fn m_flush(o: &Obj) -> PyResult<PyRef> {
    let raw = raw_of(o)?;
    let (writes, reads) = {
        let b = state(o)?;
        (b.writes(), b.reads())
    };
    if !writes {
        // A reader's flush is its raw stream's.
        return abstract_::call_method(&raw, "flush", &[]);
    }
    if super::is_closed(&raw)? {
        return Err(raise!(ValueError, "flush of closed file"));
    }
    {
        flush_writes(o, &raw)?;
        if reads {
            rewind_reads(o, &raw)?;
        }
    }
    Ok(none::none())
}

fn m_seek(o: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    argparse::check_positional("seek", a.len(), 1, 2)?;
    let whence = match a.get(1) {
        Some(w) => argparse::c_int(w)?,
        None => 0,
    };
    if !(0..=2).contains(&whence) {
        return Err(raise!(ValueError, "whence value {} unsupported", whence));
    }
    let raw = check_open(o, "seek of closed file")?;
    check_seekable(&raw)?;
    let target = abstract_::index(a[0])?;
    if state(o)?.writes() {
        flush_writes(o, &raw)?;
    }
    let mut target = target;
    let unread = {
        let mut b = state(o)?;
        let u = b.unread();
        b.rbuf.clear();
        b.rpos = 0;
        u
    };
    if whence == 1 {
        target = long::sub(&target, &long::from_usize(unread));
    }
    abstract_::call_method(&raw, "seek", &[&target, &long::from_i64(whence as i64)])
}

fn m_tell(o: &Obj) -> PyResult<PyRef> {
    let raw = raw_of(o)?;
    let pos = abstract_::call_method(&raw, "tell", &[])?;
    let pos = long::to_i64(&*abstract_::index(&pos)?).unwrap_or(0);
    let b = state(o)?;
    let r = pos - b.unread() as i64 + b.wbuf.len() as i64;
    if r < 0 {
        return Err(raise!(OSError, "Raw stream returned invalid position {}", pos));
    }
    Ok(long::from_i64(r))
}

fn m_truncate(o: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    argparse::check_positional("truncate", a.len(), 0, 1)?;
    let raw = check_open(o, "truncate of closed file")?;
    if !state(o)?.writes() {
        return Err(super::unsupported("truncate"));
    }
    flush_writes(o, &raw)?;
    rewind_reads(o, &raw)?;
    let pos = a.first().map(|p| p.new_ref()).unwrap_or_else(none::none);
    abstract_::call_method(&raw, "truncate", &[&pos])
}

fn m_close(o: &Obj) -> PyResult<PyRef> {
    let raw = raw_of(o)?;
    if super::is_closed(&raw)? {
        return Ok(none::none());
    }
    let flushed = abstract_::call_method(o, "flush", &[]);
    let closed = abstract_::call_method(&raw, "close", &[]);
    {
        let mut b = state(o)?;
        b.rbuf.clear();
        b.rpos = 0;
    }
    flushed?;
    closed
}

fn m_detach(o: &Obj) -> PyResult<PyRef> {
    let raw = raw_of(o)?;
    abstract_::call_method(o, "flush", &[])?;
    let mut b = state(o)?;
    b.detached = true;
    b.raw = None;
    drop(b);
    forget_writer(o.as_ptr());
    Ok(raw)
}

// ---- BufferedRWPair ---------------------------------------------------------------------------------

#[derive(Default)]
pub(crate) struct Pair {
    reader: Option<PyRef>,
    writer: Option<PyRef>,
}

fn pick_pair(s: &mut State) -> Option<&mut Pair> {
    match s {
        State::Pair(p) => Some(p),
        _ => None,
    }
}

static PAIR_SIG: Sig = Sig { name: "BufferedRWPair", params: &["reader", "writer", "buffer_size"], posonly: 2, maxpos: 3, required: 2 };

fn pair_init(o: &Obj, a: &InitArgs) -> PyResult<()> {
    let [reader, writer, size] = a.parse(&PAIR_SIG)?;
    let (reader, writer) = (reader.expect("required"), writer.expect("required"));
    super::require_readable(reader)?;
    super::require_writable(writer)?;
    let size = size.map(|s| s.new_ref()).unwrap_or_else(|| long::from_usize(DEFAULT_BUFFER_SIZE));
    let r = abstract_::call(&super::BufferedReader_Type, &crate::objects::tuple::new_from(&[reader, &size]), None)?;
    let w = abstract_::call(&super::BufferedWriter_Type, &crate::objects::tuple::new_from(&[writer, &size]), None)?;
    *borrow(o, "_io.BufferedRWPair", pick_pair)? = Pair { reader: Some(r), writer: Some(w) };
    Ok(())
}
super::init_slot!(init_pair, pair_init);

fn pair_parts(o: &Obj) -> PyResult<(PyRef, PyRef)> {
    let p = borrow(o, "_io.BufferedRWPair", pick_pair)?;
    match (&p.reader, &p.writer) {
        (Some(r), Some(w)) => Ok((r.clone(), w.clone())),
        _ => Err(raise!(ValueError, "I/O operation on uninitialized object")),
    }
}

fn fwd(target: &Obj, name: &str, a: &[&Obj]) -> PyResult<PyRef> {
    abstract_::call_method(target, name, a)
}

macro_rules! pair_fwd {
    ($f:ident, $side:tt, $name:literal) => {
        fn $f(o: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
            let parts = pair_parts(o)?;
            fwd(&parts.$side, $name, a)
        }
    };
}
pair_fwd!(p_read, 0, "read");
pair_fwd!(p_peek, 0, "peek");
pair_fwd!(p_read1, 0, "read1");
pair_fwd!(p_readinto, 0, "readinto");
pair_fwd!(p_readinto1, 0, "readinto1");
pair_fwd!(p_readline, 0, "readline");
pair_fwd!(p_readable, 0, "readable");
pair_fwd!(p_write, 1, "write");
pair_fwd!(p_flush, 1, "flush");
pair_fwd!(p_writable, 1, "writable");

fn p_isatty(o: &Obj, _a: &[&Obj]) -> PyResult<PyRef> {
    let (r, w) = pair_parts(o)?;
    let x = abstract_::call_method(&w, "isatty", &[])?;
    if abstract_::is_true(&x)? {
        return Ok(x);
    }
    abstract_::call_method(&r, "isatty", &[])
}

fn p_close(o: &Obj, _a: &[&Obj]) -> PyResult<PyRef> {
    let (r, w) = pair_parts(o)?;
    let a = abstract_::call_method(&w, "close", &[]);
    let b = abstract_::call_method(&r, "close", &[]);
    a?;
    b
}

fn p_closed(o: &Obj) -> PyResult<PyRef> {
    let (_, w) = pair_parts(o)?;
    abstract_::getattr_str(&w, "closed")
}

method_table!(pub(crate) static PAIR_METHODS = [
    fast c"read" => p_read,
    fast c"peek" => p_peek,
    fast c"read1" => p_read1,
    fast c"readinto" => p_readinto,
    fast c"readinto1" => p_readinto1,
    fast c"readline" => p_readline,
    fast c"write" => p_write,
    fast c"flush" => p_flush,
    fast c"readable" => p_readable,
    fast c"writable" => p_writable,
    fast c"isatty" => p_isatty,
    fast c"close" => p_close,
]);

pub(crate) static PAIR_GETSET: crate::objects::type_::StaticTable<PyGetSetDef, 2> =
    crate::objects::type_::StaticTable(core::cell::UnsafeCell::new([crate::getter_def!(c"closed", p_closed), crate::objects::type_::GETSET_END]));
