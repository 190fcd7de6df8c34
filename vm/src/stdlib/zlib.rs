//! `zlib` (CPython's `Modules/zlibmodule.c`) over `miniz_oxide`'s deflate and inflate streams:
//! `compress`/`decompress` and the streaming `Compress`/`Decompress` objects in the zlib
//! (`wbits` 9..15), raw deflate (-15..-9) and gzip (25..31) formats, automatic zlib/gzip
//! detection when decompressing (40..47), `crc32`, `adler32` and `zlib.error`. miniz_oxide
//! handles zlib headers and Adler-32 itself; the gzip header and trailer are done here.
//! Compressed bytes are valid deflate but not byte-for-byte what C zlib produces; compression
//! always uses a 32 KiB window and `memLevel`/`strategy` are accepted and not used.

use std::sync::OnceLock;

use miniz_oxide::deflate::core::CompressorOxide;
use miniz_oxide::inflate::stream::InflateState;
use miniz_oxide::{DataFormat, MZError, MZFlush, MZStatus};
use pyrite_abi::*;

use super::native::{self, new_instance, with};
use crate::err::{PyErr, PyResult};
use crate::method_table;
use crate::object::{Obj, PyRef, SyncPtr};
use crate::objects::argparse::{self, Kw, Sig};
use crate::objects::type_::{self, StaticTable, TypeObj};
use crate::objects::{bool_, bytes, dict, long, module, tuple, unicode};
use crate::{abstract_, getter_def};

const DEF_BUF_SIZE: usize = 16384;
const Z_NO_FLUSH: i32 = 0;
const Z_FINISH: i32 = 4;

pub fn create() -> PyResult<PyRef> {
    let m = native::new_module("zlib", ZLIB_FUNCTIONS.0.get() as *mut PyMethodDef)?;
    native::add_types(&m, &[&COMPRESS, &DECOMPRESS, &ZLIB_DECOMPRESSOR])?;
    let d = module::dict_of(&m);
    dict::set_item_str(d, "error", error_class())?;
    super::add_ints(
        &m,
        &[
            ("MAX_WBITS", 15),
            ("DEFLATED", 8),
            ("DEF_MEM_LEVEL", 8),
            ("DEF_BUF_SIZE", DEF_BUF_SIZE as i64),
            ("Z_NO_COMPRESSION", 0),
            ("Z_BEST_SPEED", 1),
            ("Z_BEST_COMPRESSION", 9),
            ("Z_DEFAULT_COMPRESSION", -1),
            ("Z_FILTERED", 1),
            ("Z_HUFFMAN_ONLY", 2),
            ("Z_RLE", 3),
            ("Z_FIXED", 4),
            ("Z_DEFAULT_STRATEGY", 0),
            ("Z_NO_FLUSH", 0),
            ("Z_PARTIAL_FLUSH", 1),
            ("Z_SYNC_FLUSH", 2),
            ("Z_FULL_FLUSH", 3),
            ("Z_FINISH", 4),
            ("Z_BLOCK", 5),
            ("Z_TREES", 6),
        ],
    )?;
    // The zlib release whose format and behaviour this follows.
    dict::set_item_str(d, "ZLIB_VERSION", &unicode::new("1.3.1"))?;
    dict::set_item_str(d, "ZLIB_RUNTIME_VERSION", &unicode::new("1.3.1"))?;
    Ok(m)
}

method_table!(static ZLIB_FUNCTIONS = [
    kw c"compress" => compress,
    kw c"decompress" => decompress,
    kw c"compressobj" => compressobj,
    kw c"decompressobj" => decompressobj,
    fast c"crc32" => crc32,
    fast c"adler32" => adler32,
]);

/// `zlib.error`, an `Exception`.
fn error_class() -> &'static Obj {
    static C: OnceLock<SyncPtr<PyObject>> = OnceLock::new();
    let p = C.get_or_init(|| {
        let ns = dict::new();
        dict::set_item_str(&ns, "__module__", &unicode::new("zlib")).expect("dict insert");
        let cls = abstract_::call(
            &crate::objects::type_::PyType_Type,
            &tuple::new_from(&[&*unicode::new("error"), &*tuple::new_from(&[crate::objects::exceptions::Exception()]), &*ns]),
            None,
        )
        .expect("creating zlib.error");
        SyncPtr(crate::object::make_immortal(cls))
    });
    // SAFETY: the class is immortal.
    unsafe { Obj::from_ptr(p.0) }
}

fn error(msg: String) -> PyErr {
    PyErr::from_type_and_arg(TypeObj::downcast(error_class()).expect("a class"), &unicode::new(&msg))
}

// ---- checksums ------------------------------------------------------------------------------

fn crc32_table() -> &'static [u32; 256] {
    static T: OnceLock<[u32; 256]> = OnceLock::new();
    T.get_or_init(|| {
        let mut t = [0u32; 256];
        for (i, e) in t.iter_mut().enumerate() {
            let mut c = i as u32;
            for _ in 0..8 {
                c = if c & 1 != 0 { (c >> 1) ^ 0xEDB8_8320 } else { c >> 1 };
            }
            *e = c;
        }
        t
    })
}

fn crc32_update(crc: u32, data: &[u8]) -> u32 {
    let t = crc32_table();
    let mut c = !crc;
    for &b in data {
        c = t[((c ^ b as u32) & 0xff) as usize] ^ (c >> 8);
    }
    !c
}

fn adler32_update(adler: u32, data: &[u8]) -> u32 {
    let (mut a, mut b) = (adler & 0xffff, adler >> 16);
    // 5552 is the most bytes that cannot overflow the sums before the reduction.
    for chunk in data.chunks(5552) {
        for &x in chunk {
            a += x as u32;
            b += a;
        }
        a %= 65521;
        b %= 65521;
    }
    (b << 16) | a
}

fn crc32(_m: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    argparse::check_positional("crc32", a.len(), 1, 2)?;
    let data = bytes::bytes_like(a[0])?;
    let start = super::binascii::crc_arg(a.get(1))?;
    Ok(long::from_u64(crc32_update(start, &data) as u64))
}

fn adler32(_m: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    argparse::check_positional("adler32", a.len(), 1, 2)?;
    let data = bytes::bytes_like(a[0])?;
    let start = if a.len() > 1 { super::binascii::crc_arg(a.get(1))? } else { 1 };
    Ok(long::from_u64(adler32_update(start, &data) as u64))
}

// ---- compression ----------------------------------------------------------------------------

struct Deflater {
    comp: Box<CompressorOxide>,
    /// For the gzip format: the CRC-32 and length of the input so far, and whether the
    /// header is out.
    gzip: Option<(u32, u32, bool)>,
    level: u8,
    finished: bool,
}

impl Deflater {
    fn new(level: i32, wbits: i32) -> PyResult<Deflater> {
        let level = match level {
            -1 => 6,
            0..=9 => level as u8,
            _ => return Err(raise!(ValueError, "Invalid initialization option")),
        };
        let (format, gzip) = match wbits {
            9..=15 => (DataFormat::Zlib, None),
            -15..=-9 => (DataFormat::Raw, None),
            25..=31 => (DataFormat::Raw, Some((0, 0, false))),
            _ => return Err(raise!(ValueError, "Invalid initialization option")),
        };
        let mut comp = Box::<CompressorOxide>::default();
        comp.set_format_and_level(format, level);
        Ok(Deflater { comp, gzip, level, finished: false })
    }

    fn run(&mut self, mut input: &[u8], flush: MZFlush) -> PyResult<Vec<u8>> {
        if self.finished {
            return Err(error("Error -2 while compressing data: inconsistent stream state".into()));
        }
        let mut out = Vec::new();
        if let Some((crc, size, header)) = &mut self.gzip {
            if !*header {
                // No name, no mtime; XFL says which extreme level was used; OS 3 (Unix).
                let xfl = match self.level {
                    9 => 2,
                    1 => 4,
                    _ => 0,
                };
                out.extend_from_slice(&[0x1f, 0x8b, 8, 0, 0, 0, 0, 0, xfl, 3]);
                *header = true;
            }
            *crc = crc32_update(*crc, input);
            *size = size.wrapping_add(input.len() as u32);
        }
        let mut buf = vec![0u8; DEF_BUF_SIZE];
        loop {
            let r = miniz_oxide::deflate::stream::deflate(&mut self.comp, input, &mut buf, flush);
            input = &input[r.bytes_consumed..];
            out.extend_from_slice(&buf[..r.bytes_written]);
            match r.status {
                Ok(MZStatus::StreamEnd) => break,
                Ok(_) => {
                    if input.is_empty() && r.bytes_written < buf.len() {
                        break;
                    }
                }
                Err(MZError::Buf) => break,
                Err(e) => return Err(error(format!("Error {} while compressing data", e as i32))),
            }
        }
        if flush == MZFlush::Finish {
            self.finished = true;
            if let Some((crc, size, _)) = self.gzip {
                out.extend_from_slice(&crc.to_le_bytes());
                out.extend_from_slice(&size.to_le_bytes());
            }
        }
        Ok(out)
    }
}

fn int_arg(o: Option<&Obj>, default: i32) -> PyResult<i32> {
    match o {
        Some(v) => argparse::c_int(v),
        None => Ok(default),
    }
}

/// `zlib.compress(data, /, level=-1, wbits=15)`.
fn compress(_m: &Obj, args: &[&Obj], kw: Kw) -> PyResult<PyRef> {
    let sig = Sig { name: "compress", params: &["", "level", "wbits"], posonly: 1, maxpos: 3, required: 1 };
    let [data, level, wbits] = argparse::parse::<3>(&sig, args, kw)?;
    let data = bytes::bytes_like(data.expect("required"))?;
    let mut d = Deflater::new(int_arg(level, -1)?, int_arg(wbits, 15)?).map_err(|_| error("Bad compression level".into()))?;
    Ok(bytes::new(&d.run(&data, MZFlush::Finish)?))
}

native_type!(final COMPRESS, c"zlib.Compress", Deflater, {
    tp_getattro: Some(type_::generic_getattr),
    tp_methods: COMPRESS_METHODS.0.get() as *mut PyMethodDef,
});

method_table!(static COMPRESS_METHODS = [
    o c"compress" => compress_compress,
    fast c"flush" => compress_flush,
    noargs c"copy" => compress_copy,
    noargs c"__copy__" => compress_copy,
    o c"__deepcopy__" => compress_deepcopy,
]);

/// `zlib.compressobj(level=-1, method=DEFLATED, wbits=MAX_WBITS, memLevel=DEF_MEM_LEVEL,
/// strategy=Z_DEFAULT_STRATEGY, zdict=None)`.
fn compressobj(_m: &Obj, args: &[&Obj], kw: Kw) -> PyResult<PyRef> {
    let sig = Sig {
        name: "compressobj",
        params: &["level", "method", "wbits", "memLevel", "strategy", "zdict"],
        posonly: 0,
        maxpos: 6,
        required: 0,
    };
    let [level, method, wbits, mem_level, strategy, zdict] = argparse::parse::<6>(&sig, args, kw)?;
    let mem_level = int_arg(mem_level, 8)?;
    if int_arg(method, 8)? != 8 || !(1..=9).contains(&mem_level) || !(0..=4).contains(&int_arg(strategy, 0)?) {
        return Err(raise!(ValueError, "Invalid initialization option"));
    }
    if zdict.is_some_and(|z| !z.is(crate::objects::none::none_obj())) {
        // miniz_oxide has no preset dictionaries.
        return Err(raise!(NotImplementedError, "zdict is not supported"));
    }
    let d = Deflater::new(int_arg(level, -1)?, int_arg(wbits, 15)?)?;
    new_instance(&COMPRESS, d)
}

fn compress_compress(o: &Obj, data: &Obj) -> PyResult<PyRef> {
    let data = bytes::bytes_like(data)?;
    let out = with(o, |d: &mut Deflater| d.run(&data, MZFlush::None))??;
    Ok(bytes::new(&out))
}

fn compress_flush(o: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    argparse::check_positional("flush", a.len(), 0, 1)?;
    let mode = int_arg(a.first().copied(), Z_FINISH)?;
    if mode == Z_NO_FLUSH {
        return Ok(bytes::new(b""));
    }
    let flush = match mode {
        Z_FINISH => MZFlush::Finish,
        3 => MZFlush::Full,
        1 => MZFlush::Partial,
        _ => MZFlush::Sync,
    };
    let out = with(o, |d: &mut Deflater| d.run(&[], flush))??;
    Ok(bytes::new(&out))
}

fn compress_copy(o: &Obj) -> PyResult<PyRef> {
    let d = with(o, |d: &mut Deflater| {
        if d.finished {
            return Err(raise!(ValueError, "Inconsistent stream state"));
        }
        Ok(Deflater { comp: d.comp.clone(), gzip: d.gzip, level: d.level, finished: false })
    })??;
    new_instance(&COMPRESS, d)
}

fn compress_deepcopy(o: &Obj, _memo: &Obj) -> PyResult<PyRef> {
    compress_copy(o)
}

// ---- decompression --------------------------------------------------------------------------

#[derive(Clone, Copy, PartialEq)]
enum Stage {
    /// Waiting for enough bytes to tell zlib from gzip (automatic detection).
    Detect,
    GzipHeader,
    Body,
    GzipTrailer,
    Done,
}

#[derive(Clone)]
struct Inflater {
    state: Box<InflateState>,
    stage: Stage,
    /// Gzip header or trailer bytes seen so far.
    pending: Vec<u8>,
    gzip: bool,
    crc: u32,
    size: u32,
    /// Input after the end of the stream.
    unused_data: Vec<u8>,
    /// Input not consumed because of a `max_length`.
    unconsumed_tail: Vec<u8>,
    /// Output to drop: already returned before the input that makes it was given back.
    skip: usize,
}

/// The length of the gzip header at the start of `h`, `None` while it is incomplete.
fn gzip_header_len(h: &[u8]) -> Result<Option<usize>, String> {
    if h.len() < 10 {
        return Ok(None);
    }
    if h[0] != 0x1f || h[1] != 0x8b {
        return Err("incorrect header check".into());
    }
    if h[2] != 8 {
        return Err("unknown compression method".into());
    }
    let flags = h[3];
    let mut pos = 10;
    if flags & 4 != 0 {
        if h.len() < pos + 2 {
            return Ok(None);
        }
        pos += 2 + u16::from_le_bytes([h[pos], h[pos + 1]]) as usize;
    }
    for bit in [8u8, 16] {
        if flags & bit != 0 {
            match h.get(pos..).and_then(|r| r.iter().position(|&b| b == 0)) {
                Some(i) => pos += i + 1,
                None => return Ok(None),
            }
        }
    }
    if flags & 2 != 0 {
        pos += 2;
    }
    Ok(if h.len() >= pos { Some(pos) } else { None })
}

impl Inflater {
    fn new(wbits: i32) -> PyResult<Inflater> {
        let (format, stage, gzip) = match wbits {
            0 | 8..=15 => (DataFormat::Zlib, Stage::Body, false),
            -15..=-8 => (DataFormat::Raw, Stage::Body, false),
            24..=31 => (DataFormat::Raw, Stage::GzipHeader, true),
            40..=47 => (DataFormat::Zlib, Stage::Detect, false),
            _ => return Err(raise!(ValueError, "Invalid initialization option")),
        };
        Ok(Inflater {
            state: InflateState::new_boxed(format),
            stage,
            pending: Vec::new(),
            gzip,
            crc: 0,
            size: 0,
            unused_data: Vec::new(),
            unconsumed_tail: Vec::new(),
            skip: 0,
        })
    }

    fn eof(&self) -> bool {
        self.stage == Stage::Done
    }

    /// Decompresses `input` (at most `max_length` bytes of output when not 0); what is not
    /// consumed because of the limit goes to `unconsumed_tail`, what follows the end of the
    /// stream to `unused_data`. miniz_oxide takes in more input than the output it hands
    /// back, so under a limit the input goes in small pieces; the piece that crosses the limit
    /// is given back (the state rewound to before it) and the part of its output already
    /// returned is skipped when it is decompressed again.
    fn feed(&mut self, input: &[u8], max_length: usize) -> Result<Vec<u8>, String> {
        let mut out = Vec::new();
        if max_length == 0 {
            self.feed_all(input, &mut out)?;
            self.unconsumed_tail.clear();
            return Ok(out);
        }
        let mut rest = input;
        while !rest.is_empty() {
            let n = if self.stage == Stage::Done { rest.len() } else { rest.len().min(256) };
            let snapshot = self.clone();
            let before = out.len();
            self.feed_all(&rest[..n], &mut out)?;
            if out.len() > max_length {
                let skip = snapshot.skip + (max_length - before);
                out.truncate(max_length);
                *self = snapshot;
                self.skip = skip;
                break;
            }
            rest = &rest[n..];
            if out.len() == max_length {
                break;
            }
        }
        self.unconsumed_tail = rest.to_vec();
        Ok(out)
    }

    /// Decompresses all of `input` into `out`.
    fn feed_all(&mut self, mut input: &[u8], out: &mut Vec<u8>) -> Result<(), String> {
        loop {
            match self.stage {
                Stage::Done => {
                    self.unused_data.extend_from_slice(input);
                    break;
                }
                Stage::Detect => {
                    if input.is_empty() {
                        break;
                    }
                    if input[0] == 0x1f {
                        self.gzip = true;
                        self.state = InflateState::new_boxed(DataFormat::Raw);
                        self.stage = Stage::GzipHeader;
                    } else {
                        self.stage = Stage::Body;
                    }
                }
                Stage::GzipHeader => {
                    let before = self.pending.len();
                    self.pending.extend_from_slice(input);
                    match gzip_header_len(&self.pending)? {
                        None => break,
                        Some(n) => {
                            input = &input[n - before..];
                            self.pending.clear();
                            self.stage = Stage::Body;
                        }
                    }
                }
                Stage::GzipTrailer => {
                    let take = (8 - self.pending.len()).min(input.len());
                    self.pending.extend_from_slice(&input[..take]);
                    input = &input[take..];
                    if self.pending.len() < 8 {
                        break;
                    }
                    let p = &self.pending;
                    if u32::from_le_bytes([p[0], p[1], p[2], p[3]]) != self.crc {
                        return Err("incorrect data check".into());
                    }
                    if u32::from_le_bytes([p[4], p[5], p[6], p[7]]) != self.size {
                        return Err("incorrect length check".into());
                    }
                    self.stage = Stage::Done;
                }
                Stage::Body => {
                    let mut buf = vec![0u8; DEF_BUF_SIZE];
                    let r = miniz_oxide::inflate::stream::inflate(&mut self.state, input, &mut buf, MZFlush::None);
                    input = &input[r.bytes_consumed..];
                    let produced = &buf[..r.bytes_written];
                    if self.gzip {
                        self.crc = crc32_update(self.crc, produced);
                        self.size = self.size.wrapping_add(produced.len() as u32);
                    }
                    let dropped = self.skip.min(produced.len());
                    self.skip -= dropped;
                    out.extend_from_slice(&produced[dropped..]);
                    match r.status {
                        Ok(MZStatus::StreamEnd) => self.stage = if self.gzip { Stage::GzipTrailer } else { Stage::Done },
                        Ok(_) => {
                            if r.bytes_consumed == 0 && r.bytes_written == 0 {
                                break;
                            }
                        }
                        Err(MZError::Buf) => break,
                        Err(_) => return Err(self.data_error()),
                    }
                }
            }
        }
        Ok(())
    }

    /// zlib's message for corrupt input: header problems are told apart, the rest is one
    /// message (miniz_oxide does not say which check failed).
    fn data_error(&self) -> String {
        "invalid deflate data".into()
    }
}

/// Checks a zlib header before inflating, for zlib's messages.
fn zlib_header_error(data: &[u8]) -> Option<&'static str> {
    if data.len() < 2 {
        return None;
    }
    if (data[0] as u32 * 256 + data[1] as u32) % 31 != 0 {
        return Some("incorrect header check");
    }
    if data[0] & 0x0f != 8 {
        return Some("unknown compression method");
    }
    None
}

/// `zlib.decompress(data, /, wbits=15, bufsize=16384)`.
fn decompress(_m: &Obj, args: &[&Obj], kw: Kw) -> PyResult<PyRef> {
    let sig = Sig { name: "decompress", params: &["", "wbits", "bufsize"], posonly: 1, maxpos: 3, required: 1 };
    let [data, wbits, bufsize] = argparse::parse::<3>(&sig, args, kw)?;
    let data = bytes::bytes_like(data.expect("required"))?;
    let wbits = int_arg(wbits, 15)?;
    if let Some(b) = bufsize {
        if argparse::ssize(b)? < 0 {
            return Err(raise!(ValueError, "bufsize must be non-negative"));
        }
    }
    let mut inf = Inflater::new(wbits).map_err(|_| error("Error -2 while preparing to decompress data: inconsistent stream state".into()))?;
    if matches!(wbits, 0 | 8..=15) || (matches!(wbits, 40..=47) && data.first() != Some(&0x1f)) {
        if let Some(msg) = zlib_header_error(&data) {
            return Err(error(format!("Error -3 while decompressing data: {msg}")));
        }
    }
    let out = inf.feed(&data, 0).map_err(|m| error(format!("Error -3 while decompressing data: {m}")))?;
    if !inf.eof() {
        return Err(error("Error -5 while decompressing data: incomplete or truncated stream".into()));
    }
    Ok(bytes::new(&out))
}

struct DecompressState {
    inf: Inflater,
    /// Whether the zlib header has been checked (for its messages).
    header_checked: bool,
    zlib: bool,
}

native_type!(final DECOMPRESS, c"zlib.Decompress", DecompressState, {
    tp_getattro: Some(type_::generic_getattr),
    tp_methods: DECOMPRESS_METHODS.0.get() as *mut PyMethodDef,
    tp_getset: DECOMPRESS_GETSET.0.get() as *mut PyGetSetDef,
});

method_table!(static DECOMPRESS_METHODS = [
    kw c"decompress" => decompress_decompress,
    fast c"flush" => decompress_flush,
    noargs c"copy" => decompress_copy,
    noargs c"__copy__" => decompress_copy,
    o c"__deepcopy__" => decompress_deepcopy,
]);

static DECOMPRESS_GETSET: StaticTable<PyGetSetDef, 4> = StaticTable(core::cell::UnsafeCell::new([
    getter_def!(c"unused_data", decompress_unused_data),
    getter_def!(c"unconsumed_tail", decompress_unconsumed_tail),
    getter_def!(c"eof", decompress_eof),
    type_::GETSET_END,
]));

/// `zlib.decompressobj(wbits=15, zdict=b'')`.
fn decompressobj(_m: &Obj, args: &[&Obj], kw: Kw) -> PyResult<PyRef> {
    let sig = Sig { name: "decompressobj", params: &["wbits", "zdict"], posonly: 0, maxpos: 2, required: 0 };
    let [wbits, zdict] = argparse::parse::<2>(&sig, args, kw)?;
    if let Some(z) = zdict {
        if !bytes::bytes_like(z)?.is_empty() {
            return Err(raise!(NotImplementedError, "zdict is not supported"));
        }
    }
    let wbits = int_arg(wbits, 15)?;
    let inf = Inflater::new(wbits)?;
    new_instance(&DECOMPRESS, DecompressState { inf, header_checked: false, zlib: matches!(wbits, 0 | 8..=15) })
}

fn run_decompress(s: &mut DecompressState, data: &[u8], max_length: usize) -> PyResult<Vec<u8>> {
    if s.zlib && !s.header_checked && data.len() >= 2 {
        s.header_checked = true;
        if let Some(msg) = zlib_header_error(data) {
            return Err(error(format!("Error -3 while decompressing data: {msg}")));
        }
    }
    s.inf.feed(data, max_length).map_err(|m| error(format!("Error -3 while decompressing data: {m}")))
}

/// `Decompress.decompress(data, /, max_length=0)`.
fn decompress_decompress(o: &Obj, args: &[&Obj], kw: Kw) -> PyResult<PyRef> {
    let sig = Sig { name: "decompress", params: &["", "max_length"], posonly: 1, maxpos: 2, required: 1 };
    let [data, max_length] = argparse::parse::<2>(&sig, args, kw)?;
    let data = bytes::bytes_like(data.expect("required"))?;
    let max_length = match max_length {
        Some(m) => argparse::ssize(m)?,
        None => 0,
    };
    if max_length < 0 {
        return Err(raise!(ValueError, "max_length must be non-negative"));
    }
    let out = with(o, |s: &mut DecompressState| run_decompress(s, &data, max_length as usize))??;
    Ok(bytes::new(&out))
}

/// `Decompress.flush(length=DEF_BUF_SIZE, /)`: decompresses what `max_length` held back.
fn decompress_flush(o: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    argparse::check_positional("flush", a.len(), 0, 1)?;
    if let Some(l) = a.first() {
        if argparse::ssize(l)? <= 0 {
            return Err(raise!(ValueError, "length must be greater than zero"));
        }
    }
    let out = with(o, |s: &mut DecompressState| {
        let tail = core::mem::take(&mut s.inf.unconsumed_tail);
        run_decompress(s, &tail, 0)
    })??;
    Ok(bytes::new(&out))
}

fn decompress_copy(o: &Obj) -> PyResult<PyRef> {
    let s = with(o, |s: &mut DecompressState| DecompressState { inf: s.inf.clone(), header_checked: s.header_checked, zlib: s.zlib })?;
    new_instance(&DECOMPRESS, s)
}

fn decompress_deepcopy(o: &Obj, _memo: &Obj) -> PyResult<PyRef> {
    decompress_copy(o)
}

fn decompress_unused_data(o: &Obj) -> PyResult<PyRef> {
    Ok(bytes::new(&with(o, |s: &mut DecompressState| s.inf.unused_data.clone())?))
}

fn decompress_unconsumed_tail(o: &Obj) -> PyResult<PyRef> {
    Ok(bytes::new(&with(o, |s: &mut DecompressState| s.inf.unconsumed_tail.clone())?))
}

fn decompress_eof(o: &Obj) -> PyResult<PyRef> {
    Ok(bool_::new(with(o, |s: &mut DecompressState| s.inf.eof())?))
}

// ---- _ZlibDecompressor ----------------------------------------------------------------------

native_type!(final ZLIB_DECOMPRESSOR, c"zlib._ZlibDecompressor", Inflater, {
    tp_getattro: Some(type_::generic_getattr),
    tp_new: slot_new!(zd_new),
    tp_methods: ZD_METHODS.0.get() as *mut PyMethodDef,
    tp_getset: ZD_GETSET.0.get() as *mut PyGetSetDef,
});

method_table!(static ZD_METHODS = [kw c"decompress" => zd_decompress]);

static ZD_GETSET: StaticTable<PyGetSetDef, 4> = StaticTable(core::cell::UnsafeCell::new([
    getter_def!(c"unused_data", zd_unused_data),
    getter_def!(c"eof", zd_eof),
    getter_def!(c"needs_input", zd_needs_input),
    type_::GETSET_END,
]));

/// `_ZlibDecompressor(wbits=15, zdict=b'')`, the one-shot-per-stream decompressor
/// `Lib/gzip.py` reads with: it keeps the input it has not used yet itself.
fn zd_new(t: &TypeObj, args: &[&Obj], kw: Option<&Obj>) -> PyResult<PyRef> {
    let sig = Sig { name: "_ZlibDecompressor", params: &["wbits", "zdict"], posonly: 0, maxpos: 2, required: 0 };
    let [wbits, zdict] = native::parse_new::<2>(&sig, args, kw)?;
    if let Some(z) = zdict {
        if !bytes::bytes_like(&z)?.is_empty() {
            return Err(raise!(NotImplementedError, "zdict is not supported"));
        }
    }
    new_instance(t, Inflater::new(int_arg(wbits.as_deref(), 15)?)?)
}

/// `decompress(data, max_length=-1)`.
fn zd_decompress(o: &Obj, args: &[&Obj], kw: Kw) -> PyResult<PyRef> {
    let sig = Sig { name: "decompress", params: &["data", "max_length"], posonly: 0, maxpos: 2, required: 1 };
    let [data, max_length] = argparse::parse::<2>(&sig, args, kw)?;
    let data = bytes::bytes_like(data.expect("required"))?;
    let max_length = match max_length {
        Some(m) => argparse::ssize(m)?,
        None => -1,
    };
    let out = with(o, |inf: &mut Inflater| {
        if inf.eof() {
            return Err(raise!(EOFError, "End of stream already reached"));
        }
        let mut input = core::mem::take(&mut inf.unconsumed_tail);
        input.extend_from_slice(&data);
        if max_length == 0 {
            inf.unconsumed_tail = input;
            return Ok(Vec::new());
        }
        let limit = if max_length < 0 { 0 } else { max_length as usize };
        inf.feed(&input, limit).map_err(|m| error(format!("Error -3 while decompressing data: {m}")))
    })??;
    Ok(bytes::new(&out))
}

fn zd_unused_data(o: &Obj) -> PyResult<PyRef> {
    Ok(bytes::new(&with(o, |s: &mut Inflater| s.unused_data.clone())?))
}

fn zd_eof(o: &Obj) -> PyResult<PyRef> {
    Ok(bool_::new(with(o, |s: &mut Inflater| s.eof())?))
}

fn zd_needs_input(o: &Obj) -> PyResult<PyRef> {
    Ok(bool_::new(with(o, |s: &mut Inflater| !s.eof() && s.unconsumed_tail.is_empty())?))
}
