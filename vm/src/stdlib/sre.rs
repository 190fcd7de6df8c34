//! `_sre`: the regular-expression engine under `Lib/re/`. `re._compiler` turns a pattern into
//! SRE opcodes (numbered as CPython 3.15's `Lib/re/_constants.py`, which the
//! `rustpython-sre_engine` crate follows: same `MAGIC`, same opcode, at-code and category
//! order); this module wraps that code in `re.Pattern` objects and runs it with the crate's
//! matcher over the subject's own storage — a str's PEP 393 code units of 1, 2 or 4 bytes, or
//! the bytes of a bytes-like object — and builds `re.Match` objects from the marks.
//!
//! The matcher runs no Python code, so a subject cannot change under it; subjects whose data
//! could change while a `sub()` callback runs (bytearray, other buffers) are copied first.

use core::cell::{Cell, UnsafeCell};
use core::ffi::c_int;

use pyrite_abi::*;
use rustpython_sre_engine::{Request, State, StrDrive, StringCursor};

use crate::err::PyResult;
use crate::object::{Obj, PyRef};
use crate::objects::argparse::{self, Kw, Sig};
use crate::objects::type_::{self, StaticTable, TypeObj, BUILTIN_FLAGS, GETSET_END};
use crate::objects::{bool_, bytearray, bytes, dict, list, long, mappingproxy, module, none, tuple, unicode};
use crate::slot::{arg, ret_obj};
use crate::stdlib::boxed::{boxed_dealloc, new_boxed, payload, Boxed};
use crate::{abstract_, getter_def, method_table, private_static_type};

/// CPython's `SRE_MAXGROUPS` on 64-bit builds (`INT32_MAX / 2`).
const MAXGROUPS: usize = 1_073_741_823;

// ---- the subject as the engine sees it ------------------------------------------------------

/// A subject of `W`-byte code units. The engine's cursor keeps its pointer private, so every
/// move goes through the `&[u8]` drive's pointer arithmetic (in bytes) with `position` put back
/// to a character index afterwards.
#[derive(Clone, Copy)]
struct Units<'a, const W: usize> {
    data: &'a [u8],
}

impl<const W: usize> Units<'_, W> {
    fn read(c: &StringCursor) -> u32 {
        let mut t = *c;
        let mut b = [0u8; 4];
        for slot in b.iter_mut().take(W) {
            *slot = <&[u8] as StrDrive>::peek(&t) as u8;
            <&[u8] as StrDrive>::skip(&mut t, 1);
        }
        match W {
            1 => b[0] as u32,
            2 => u16::from_ne_bytes([b[0], b[1]]) as u32,
            _ => u32::from_ne_bytes(b),
        }
    }
}

impl<const W: usize> StrDrive for Units<'_, W> {
    fn count(&self) -> usize {
        self.data.len() / W
    }
    fn create_cursor(&self, n: usize) -> StringCursor {
        let mut c = <&[u8] as StrDrive>::create_cursor(&self.data, n * W);
        c.position = n;
        c
    }
    fn adjust_cursor(&self, cursor: &mut StringCursor, n: usize) {
        *cursor = self.create_cursor(n);
    }
    fn advance(cursor: &mut StringCursor) -> u32 {
        let ch = Self::read(cursor);
        Self::skip(cursor, 1);
        ch
    }
    fn peek(cursor: &StringCursor) -> u32 {
        Self::read(cursor)
    }
    fn skip(cursor: &mut StringCursor, n: usize) {
        let p = cursor.position;
        cursor.position = p * W;
        <&[u8] as StrDrive>::skip(cursor, n * W);
        cursor.position = p + n;
    }
    fn back_advance(cursor: &mut StringCursor) -> u32 {
        Self::back_skip(cursor, 1);
        Self::read(cursor)
    }
    fn back_peek(cursor: &StringCursor) -> u32 {
        let mut t = *cursor;
        Self::back_skip(&mut t, 1);
        Self::read(&t)
    }
    fn back_skip(cursor: &mut StringCursor, n: usize) {
        let p = cursor.position;
        cursor.position = p * W;
        <&[u8] as StrDrive>::back_skip(cursor, n * W);
        cursor.position = p - n;
    }
}

/// A subject held for one operation: a str, bytes or bytearray object (read in place) or a
/// copy of another buffer's bytes.
enum Subject {
    Str(PyRef),
    Bytes(PyRef),
    Copy(Vec<u8>),
}

impl Subject {
    /// The subject for `string`, checked against the pattern's kind. A bytearray is read in
    /// place unless Python code may run (and resize it) while the subject is in use.
    fn new(p: &PatternData, string: &Obj, runs_code: bool) -> PyResult<Subject> {
        let s = if unicode::check(string) {
            Subject::Str(string.new_ref())
        } else if bytes::check(string) || (bytearray::check(string) && !runs_code) {
            Subject::Bytes(string.new_ref())
        } else {
            match bytes::buffer_bytes(string)? {
                Some(v) => Subject::Copy(v),
                None => return Err(raise!(TypeError, "expected string or bytes-like object, got '{}'", string.ob_type().name())),
            }
        };
        let is_str = matches!(s, Subject::Str(_));
        match p.isbytes {
            Some(true) if is_str => Err(raise!(TypeError, "cannot use a bytes pattern on a string-like object")),
            Some(false) if !is_str => Err(raise!(TypeError, "cannot use a string pattern on a bytes-like object")),
            _ => Ok(s),
        }
    }

    fn len(&self) -> usize {
        match self {
            Subject::Str(o) => unicode::len(o),
            Subject::Bytes(o) => bytes::bytes_of(o).len(),
            Subject::Copy(v) => v.len(),
        }
    }
}

/// Runs `$body` with `$d` bound to the engine's view of `$subject`.
macro_rules! with_drive {
    ($subject:expr, $d:ident => $body:expr) => {
        match $subject {
            Subject::Str(o) => match unicode::kind(o) {
                1 => {
                    let $d = Units::<1> { data: unicode::data_bytes(o) };
                    $body
                }
                2 => {
                    let $d = Units::<2> { data: unicode::data_bytes(o) };
                    $body
                }
                _ => {
                    let $d = Units::<4> { data: unicode::data_bytes(o) };
                    $body
                }
            },
            Subject::Bytes(o) => {
                let $d = Units::<1> { data: bytes::bytes_of(o) };
                $body
            }
            Subject::Copy(v) => {
                let $d = Units::<1> { data: v.as_slice() };
                $body
            }
        }
    };
}

/// One successful match: group 0 and every group's span ((-1, -1) when it did not take part).
struct Found {
    regs: Vec<(isize, isize)>,
    lastindex: isize,
}

impl Found {
    fn of(st: &State, groups: usize) -> Found {
        let mut regs = Vec::with_capacity(groups + 1);
        regs.push((st.start as isize, st.cursor.position as isize));
        for g in 0..groups {
            let (a, b) = st.marks.get(g);
            regs.push(match (a.into_option(), b.into_option()) {
                (Some(a), Some(b)) => (a as isize, b as isize),
                _ => (-1, -1),
            });
        }
        Found { regs, lastindex: st.marks.last_index() }
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Mode {
    Prefix,
    Full,
    Search,
}

fn exec<S: StrDrive>(s: S, code: &[u32], groups: usize, start: usize, end: usize, mode: Mode, must_advance: bool) -> Option<Found> {
    if start > end {
        return None;
    }
    let mut req = Request::new(s, start, end, code, mode == Mode::Full);
    req.must_advance = must_advance;
    let mut st = State::default();
    let ok = if mode == Mode::Search { st.search(req) } else { st.py_match(&req) };
    ok.then(|| Found::of(&st, groups))
}

/// Calls `f` for each successive non-overlapping match in `start..end` (an empty match is not
/// followed by another empty one at the same place), until it returns `false`.
fn scan<S: StrDrive>(
    s: S,
    code: &[u32],
    groups: usize,
    start: usize,
    end: usize,
    mut f: impl FnMut(Found) -> PyResult<bool>,
) -> PyResult<()> {
    if start > end {
        return Ok(());
    }
    let mut req = Request::new(s, start, end, code, false);
    let mut st = State::default();
    while req.start <= req.end {
        st.reset(&req, req.start);
        if !st.search(req) {
            break;
        }
        let found = Found::of(&st, groups);
        req.must_advance = st.cursor.position == st.start;
        req.start = st.cursor.position;
        if !f(found)? {
            break;
        }
    }
    Ok(())
}

// ---- objects whose state is a Rust value ----------------------------------------------------

fn is_instance(o: &Obj, ty: &TypeObj) -> bool {
    o.ob_type().is_subtype(ty)
}

// ---- re.Pattern -----------------------------------------------------------------------------

struct PatternData {
    /// The source (str or bytes), or None when compiled from a parsed pattern.
    pattern: PyRef,
    flags: u32,
    code: Vec<u32>,
    /// Number of capturing groups (group 0 not counted).
    groups: usize,
    groupindex: PyRef,
    indexgroup: PyRef,
    /// Some(true) for a bytes pattern, Some(false) for str, None when unknown.
    isbytes: Option<bool>,
}

/// Patterns can be weakly referenced (as CPython's): their weak-reference list follows the
/// boxed payload pointer.
const PATTERN_WEAKLIST_OFFSET: usize = core::mem::size_of::<Boxed<PatternData>>();

private_static_type!(PATTERN_TYPE, c"re.Pattern", PATTERN_WEAKLIST_OFFSET + core::mem::size_of::<*mut PyObject>(), {
    tp_flags: BUILTIN_FLAGS,
    tp_dealloc: Some(pattern_dealloc),
    tp_weaklistoffset: PATTERN_WEAKLIST_OFFSET as isize,
    tp_repr: Some(pattern_repr),
    tp_hash: Some(pattern_hash),
    tp_richcompare: Some(pattern_richcompare),
    tp_getattro: Some(type_::generic_getattr),
    tp_methods: PATTERN_METHODS.0.get() as *mut PyMethodDef,
    tp_getset: PATTERN_GETSET.0.get() as *mut PyGetSetDef,
    tp_free: Some(crate::alloc::object_free),
    tp_doc: c"Compiled regular expression object.".as_ptr(),
});

method_table!(static PATTERN_METHODS = [
    kw c"match" => p_prefixmatch,
    kw c"prefixmatch" => p_prefixmatch,
    kw c"fullmatch" => p_fullmatch,
    kw c"search" => p_search,
    kw c"findall" => p_findall,
    kw c"finditer" => p_finditer,
    kw c"scanner" => p_scanner,
    kw c"split" => p_split,
    kw c"sub" => p_sub,
    kw c"subn" => p_subn,
    noargs c"__copy__" => self_copy,
    o c"__deepcopy__" => self_deepcopy,
    class_o c"__class_getitem__" => crate::objects::genericalias::class_getitem,
]);

static PATTERN_GETSET: StaticTable<PyGetSetDef, 5> = StaticTable(UnsafeCell::new([
    getter_def!(c"pattern", pg_pattern),
    getter_def!(c"flags", pg_flags),
    getter_def!(c"groups", pg_groups),
    getter_def!(c"groupindex", pg_groupindex),
    GETSET_END,
]));

unsafe extern "C" fn pattern_dealloc(o: *mut PyObject) {
    // SAFETY: a dead pattern: its weak references are cleared before the payload goes.
    unsafe {
        crate::objects::weakref::clear_weakrefs(o);
        boxed_dealloc::<PatternData>(o);
    }
}

fn self_copy(o: &Obj) -> PyResult<PyRef> {
    Ok(o.new_ref())
}

fn self_deepcopy(o: &Obj, _memo: &Obj) -> PyResult<PyRef> {
    Ok(o.new_ref())
}

fn pg_pattern(o: &Obj) -> PyResult<PyRef> {
    Ok(payload::<PatternData>(o).pattern.clone())
}
fn pg_flags(o: &Obj) -> PyResult<PyRef> {
    Ok(long::from_u64(payload::<PatternData>(o).flags as u64))
}
fn pg_groups(o: &Obj) -> PyResult<PyRef> {
    Ok(long::from_usize(payload::<PatternData>(o).groups))
}
fn pg_groupindex(o: &Obj) -> PyResult<PyRef> {
    mappingproxy::new(&payload::<PatternData>(o).groupindex)
}

const FLAG_NAMES: [(&str, u32); 8] = [
    ("re.IGNORECASE", 2),
    ("re.LOCALE", 4),
    ("re.MULTILINE", 8),
    ("re.DOTALL", 16),
    ("re.UNICODE", 32),
    ("re.VERBOSE", 64),
    ("re.DEBUG", 128),
    ("re.ASCII", 256),
];

unsafe extern "C" fn pattern_repr(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live pattern.
    let o = unsafe { arg(o) };
    ret_obj((|| {
        let p = payload::<PatternData>(o);
        let r = abstract_::repr(&p.pattern)?;
        let src: String = unicode::chars(&r).take(200).filter_map(char::from_u32).collect();
        let mut flags = p.flags;
        // `re.UNICODE` is the default for str patterns: not shown alone.
        if p.isbytes == Some(false) && flags & (4 | 32 | 256) == 32 {
            flags &= !32;
        }
        if flags == 0 {
            return Ok(unicode::new(&format!("re.compile({src})")));
        }
        let mut names = Vec::new();
        for (name, bit) in FLAG_NAMES {
            if flags & bit != 0 {
                names.push(name.to_string());
                flags &= !bit;
            }
        }
        if flags != 0 {
            names.push(format!("0x{flags:x}"));
        }
        Ok(unicode::new(&format!("re.compile({src}, {})", names.join("|"))))
    })())
}

unsafe extern "C" fn pattern_hash(o: *mut PyObject) -> Py_hash_t {
    // SAFETY: a live pattern.
    let o = unsafe { arg(o) };
    let p = payload::<PatternData>(o);
    let h = match abstract_::hash(&p.pattern) {
        Ok(h) => h,
        Err(e) => {
            e.restore();
            return -1;
        }
    };
    let code: Vec<u8> = p.code.iter().flat_map(|c| c.to_ne_bytes()).collect();
    let mut h = h ^ crate::hash::hash_bytes(&code) ^ (p.flags as Py_hash_t) ^ (p.isbytes == Some(true)) as Py_hash_t;
    if h == -1 {
        h = -2;
    }
    h
}

unsafe extern "C" fn pattern_richcompare(a: *mut PyObject, b: *mut PyObject, op: c_int) -> *mut PyObject {
    // SAFETY: live arguments.
    let (a, b) = unsafe { (arg(a), arg(b)) };
    if (op != Py_EQ && op != Py_NE) || !is_instance(b, &PATTERN_TYPE) {
        return none::not_implemented().into_raw();
    }
    ret_obj((|| {
        let eq = a.is(b) || {
            let (x, y) = (payload::<PatternData>(a), payload::<PatternData>(b));
            x.flags == y.flags && x.isbytes == y.isbytes && x.code == y.code && abstract_::rich_compare_bool(&x.pattern, &y.pattern, Py_EQ)?
        };
        Ok(bool_::new(eq == (op == Py_EQ)))
    })())
}

/// `string, pos=0, endpos=sys.maxsize` of the matching methods, clamped to the subject.
fn string_pos_endpos<'a>(name: &'static str, params: &'static [&'static str], args: &[&'a Obj], kw: Kw<'a>) -> PyResult<(&'a Obj, isize, isize)> {
    let sig = Sig { name, params, posonly: 0, maxpos: 3, required: 1 };
    let [s, pos, endpos] = argparse::parse::<3>(&sig, args, kw)?;
    let pos = pos.map(argparse::ssize).transpose()?.unwrap_or(0);
    let endpos = endpos.map(argparse::ssize).transpose()?.unwrap_or(isize::MAX);
    Ok((s.unwrap(), pos, endpos))
}

fn clamp(v: isize, len: usize) -> usize {
    v.clamp(0, len as isize) as usize
}

const MATCH_PARAMS: &[&str] = &["string", "pos", "endpos"];

fn run_mode(name: &'static str, o: &Obj, args: &[&Obj], kw: Kw, mode: Mode) -> PyResult<PyRef> {
    let (string, pos, endpos) = string_pos_endpos(name, MATCH_PARAMS, args, kw)?;
    let p = payload::<PatternData>(o);
    let subject = Subject::new(p, string, false)?;
    let n = subject.len();
    let (pos, endpos) = (clamp(pos, n), clamp(endpos, n));
    let found = with_drive!(&subject, d => exec(d, &p.code, p.groups, pos, endpos, mode, false));
    match found {
        Some(f) => new_match(o, string, pos, endpos, f),
        None => Ok(none::none()),
    }
}

fn p_prefixmatch(o: &Obj, args: &[&Obj], kw: Kw) -> PyResult<PyRef> {
    run_mode("prefixmatch", o, args, kw, Mode::Prefix)
}
fn p_fullmatch(o: &Obj, args: &[&Obj], kw: Kw) -> PyResult<PyRef> {
    run_mode("fullmatch", o, args, kw, Mode::Full)
}
fn p_search(o: &Obj, args: &[&Obj], kw: Kw) -> PyResult<PyRef> {
    run_mode("search", o, args, kw, Mode::Search)
}

/// `string[start:end]` as `re` returns it: str for a str subject, bytes for any bytes-like one.
fn slice_of(string: &Obj, start: usize, end: usize) -> PyResult<PyRef> {
    if unicode::check(string) {
        Ok(unicode::substring(string, start, end))
    } else if bytes::check(string) || bytearray::check(string) {
        // A bytearray may have shrunk since the match: slicing clamps, as CPython's does.
        let data = bytes::bytes_of(string);
        let end = end.min(data.len());
        Ok(bytes::new(&data[start.min(end)..end]))
    } else {
        let data = bytes::bytes_like(string)?;
        Ok(bytes::new(&data[start.min(data.len())..end.min(data.len())]))
    }
}

/// Group `(a, b)` of `string`, or `default` when it did not take part.
fn group_of(string: &Obj, span: (isize, isize), default: &Obj) -> PyResult<PyRef> {
    if span.0 < 0 {
        return Ok(default.new_ref());
    }
    slice_of(string, span.0 as usize, span.1 as usize)
}

/// The empty str or bytes of the subject's kind.
fn empty_like(string: &Obj) -> PyRef {
    if unicode::check(string) { unicode::empty_obj().new_ref() } else { bytes::empty_obj().new_ref() }
}

fn p_findall(o: &Obj, args: &[&Obj], kw: Kw) -> PyResult<PyRef> {
    let (string, pos, endpos) = string_pos_endpos("findall", MATCH_PARAMS, args, kw)?;
    let p = payload::<PatternData>(o);
    let subject = Subject::new(p, string, false)?;
    let n = subject.len();
    let out = list::new();
    let empty = empty_like(string);
    with_drive!(&subject, d => scan(d, &p.code, p.groups, clamp(pos, n), clamp(endpos, n), |f| {
        let item = match p.groups {
            0 => group_of(string, f.regs[0], &empty)?,
            1 => group_of(string, f.regs[1], &empty)?,
            _ => tuple::new_from_owned(f.regs[1..].iter().map(|r| group_of(string, *r, &empty)).collect::<PyResult<Vec<_>>>()?),
        };
        list::push(&out, item);
        Ok(true)
    }))?;
    Ok(out)
}

fn p_scanner(o: &Obj, args: &[&Obj], kw: Kw) -> PyResult<PyRef> {
    let (string, pos, endpos) = string_pos_endpos("scanner", MATCH_PARAMS, args, kw)?;
    new_scanner(o, string, pos, endpos)
}

fn p_finditer(o: &Obj, args: &[&Obj], kw: Kw) -> PyResult<PyRef> {
    let (string, pos, endpos) = string_pos_endpos("finditer", MATCH_PARAMS, args, kw)?;
    let sc = new_scanner(o, string, pos, endpos)?;
    let search = abstract_::getattr_str(&sc, "search")?;
    // `iter(scanner.search, None)`, as CPython builds it.
    Ok(crate::objects::iterobject::call_iter_new(&search, none::none_obj()))
}

fn p_split(o: &Obj, args: &[&Obj], kw: Kw) -> PyResult<PyRef> {
    let sig = Sig { name: "split", params: &["string", "maxsplit"], posonly: 0, maxpos: 2, required: 1 };
    let [string, maxsplit] = argparse::parse::<2>(&sig, args, kw)?;
    let string = string.unwrap();
    let maxsplit = maxsplit.map(argparse::ssize).transpose()?.unwrap_or(0);
    let p = payload::<PatternData>(o);
    let subject = Subject::new(p, string, false)?;
    let n = subject.len();
    let out = list::new();
    let mut last = 0usize;
    let mut count = 0isize;
    if maxsplit >= 0 {
        with_drive!(&subject, d => scan(d, &p.code, p.groups, 0, n, |f| {
            let (b, e) = f.regs[0];
            list::push(&out, slice_of(string, last, b as usize)?);
            for r in &f.regs[1..] {
                list::push(&out, group_of(string, *r, none::none_obj())?);
            }
            last = e as usize;
            count += 1;
            Ok(maxsplit == 0 || count < maxsplit)
        }))?;
    }
    list::push(&out, slice_of(string, last, n)?);
    Ok(out)
}

/// What `sub()` puts in place of each match.
enum Replacement {
    Callable(PyRef),
    Literal(PyRef),
    Template(PyRef),
}

fn has_backslash(o: &Obj) -> Option<bool> {
    if unicode::check(o) {
        Some(unicode::chars(o).any(|c| c == '\\' as u32))
    } else if bytes::check(o) || bytearray::check(o) {
        Some(bytes::bytes_of(o).contains(&b'\\'))
    } else {
        None
    }
}

fn subx(name: &'static str, o: &Obj, args: &[&Obj], kw: Kw) -> PyResult<(PyRef, usize)> {
    let sig = Sig { name, params: &["repl", "string", "count"], posonly: 0, maxpos: 3, required: 2 };
    let [repl, string, count] = argparse::parse::<3>(&sig, args, kw)?;
    let (repl, string) = (repl.unwrap(), string.unwrap());
    let count = count.map(argparse::ssize).transpose()?.unwrap_or(0);
    let p = payload::<PatternData>(o);
    let replacement = if repl.ob_type().slots().tp_call.is_some() {
        Replacement::Callable(repl.new_ref())
    } else if has_backslash(repl) == Some(false) {
        Replacement::Literal(repl.new_ref())
    } else {
        let re = crate::import::import_module("re")?;
        let t = abstract_::call_method(&re, "_compile_template", &[o, repl])?;
        if !is_instance(&t, &TEMPLATE_TYPE) {
            return Err(raise!(RuntimeError, "the result of compiling a replacement string is {}", t.ob_type().name()));
        }
        let td = payload::<TemplateData>(&t);
        if td.items.is_empty() {
            Replacement::Literal(td.literal.clone().unwrap_or_else(|| empty_like(string)))
        } else {
            Replacement::Template(t)
        }
    };
    let subject = Subject::new(p, string, matches!(replacement, Replacement::Callable(_)))?;
    let n = subject.len();
    let mut pieces: Vec<PyRef> = Vec::new();
    let mut last = 0usize;
    let mut done = 0usize;
    if count >= 0 {
        with_drive!(&subject, d => scan(d, &p.code, p.groups, 0, n, |f| {
            let (b, e) = (f.regs[0].0 as usize, f.regs[0].1 as usize);
            if last < b {
                pieces.push(slice_of(string, last, b)?);
            }
            match &replacement {
                Replacement::Literal(l) => pieces.push(l.clone()),
                Replacement::Callable(c) => {
                    let m = new_match(o, string, 0, n, f)?;
                    let item = abstract_::call_one_arg(c, &m)?;
                    if !item.is(none::none_obj()) {
                        pieces.push(item);
                    }
                }
                Replacement::Template(t) => {
                    let m = new_match(o, string, 0, n, f)?;
                    expand_into(t, &m, &mut pieces)?;
                }
            }
            last = e;
            done += 1;
            Ok(count == 0 || (done as isize) < count)
        }))?;
    }
    if last < n {
        pieces.push(slice_of(string, last, n)?);
    }
    Ok((join(string, &pieces)?, done))
}

/// Joins `pieces` into one str (str subjects) or bytes (bytes-like subjects).
fn join(string: &Obj, pieces: &[PyRef]) -> PyResult<PyRef> {
    if unicode::check(string) {
        // No match, or one that replaced nothing: the subject itself, uncopied, as CPython.
        if let [only] = pieces
            && unicode::check_exact(only)
        {
            return Ok(only.clone());
        }
        let mut cps: Vec<u32> = Vec::new();
        for (i, item) in pieces.iter().enumerate() {
            if !unicode::check(item) {
                return Err(raise!(TypeError, "sequence item {}: expected str instance, {} found", i, item.ob_type().name()));
            }
            cps.extend(unicode::chars(item));
        }
        return Ok(unicode::from_code_points(&cps));
    }
    let mut out: Vec<u8> = Vec::new();
    for (i, item) in pieces.iter().enumerate() {
        match bytes::buffer_bytes(item)? {
            Some(b) => out.extend_from_slice(&b),
            None => {
                return Err(raise!(TypeError, "sequence item {}: expected a bytes-like object, {} found", i, item.ob_type().name()));
            }
        }
    }
    Ok(bytes::new(&out))
}

fn p_sub(o: &Obj, args: &[&Obj], kw: Kw) -> PyResult<PyRef> {
    Ok(subx("sub", o, args, kw)?.0)
}

fn p_subn(o: &Obj, args: &[&Obj], kw: Kw) -> PyResult<PyRef> {
    let (s, n) = subx("subn", o, args, kw)?;
    Ok(tuple::new_from(&[&s, &long::from_usize(n)]))
}

// ---- re.Match -------------------------------------------------------------------------------

struct MatchData {
    string: PyRef,
    pattern: PyRef,
    pos: usize,
    endpos: usize,
    regs: Vec<(isize, isize)>,
    lastindex: isize,
}

private_static_type!(MATCH_TYPE, c"re.Match", core::mem::size_of::<Boxed<MatchData>>(), {
    tp_flags: BUILTIN_FLAGS,
    tp_dealloc: Some(boxed_dealloc::<MatchData>),
    tp_repr: Some(match_repr),
    tp_getattro: Some(type_::generic_getattr),
    tp_as_mapping: MATCH_AS_MAPPING.0.get(),
    tp_methods: MATCH_METHODS.0.get() as *mut PyMethodDef,
    tp_getset: MATCH_GETSET.0.get() as *mut PyGetSetDef,
    tp_free: Some(crate::alloc::object_free),
    tp_doc: c"The result of re.match() and re.search().\nMatch objects always have a boolean value of True.".as_ptr(),
});

static MATCH_AS_MAPPING: crate::object::StaticObject<PyMappingMethods> =
    crate::object::StaticObject::new(PyMappingMethods { mp_length: None, mp_subscript: Some(match_getitem), mp_ass_subscript: None });

method_table!(static MATCH_METHODS = [
    fast c"group" => m_group,
    kw c"groups" => m_groups,
    kw c"groupdict" => m_groupdict,
    fast c"start" => m_start,
    fast c"end" => m_end,
    fast c"span" => m_span,
    o c"expand" => m_expand,
    noargs c"__copy__" => self_copy,
    o c"__deepcopy__" => self_deepcopy,
    class_o c"__class_getitem__" => crate::objects::genericalias::class_getitem,
]);

static MATCH_GETSET: StaticTable<PyGetSetDef, 9> = StaticTable(UnsafeCell::new([
    getter_def!(c"string", mg_string),
    getter_def!(c"re", mg_re),
    getter_def!(c"pos", mg_pos),
    getter_def!(c"endpos", mg_endpos),
    getter_def!(c"lastindex", mg_lastindex),
    getter_def!(c"lastgroup", mg_lastgroup),
    getter_def!(c"regs", mg_regs),
    GETSET_END,
    GETSET_END,
]));

fn new_match(pattern: &Obj, string: &Obj, pos: usize, endpos: usize, f: Found) -> PyResult<PyRef> {
    new_boxed(
        &MATCH_TYPE,
        MatchData { string: string.new_ref(), pattern: pattern.new_ref(), pos, endpos, regs: f.regs, lastindex: f.lastindex },
    )
}

fn mdata(o: &Obj) -> &MatchData {
    payload::<MatchData>(o)
}

/// `match_getindex`: an int group number or a group name.
fn group_index(m: &MatchData, key: &Obj) -> PyResult<usize> {
    let i = if argparse::index_check(key) {
        argparse::ssize_clamped(key)?
    } else {
        let gi = &payload::<PatternData>(&m.pattern).groupindex;
        match dict::get_item(gi, key) {
            Ok(Some(v)) if long::check(&v) => argparse::ssize_clamped(&v)?,
            Ok(_) => -1,
            Err(e) if e.is_instance(crate::objects::exceptions::TypeError()) => -1,
            Err(e) => return Err(e),
        }
    };
    if i < 0 || i as usize >= m.regs.len() {
        return Err(raise!(IndexError, "no such group"));
    }
    Ok(i as usize)
}

fn group_value(m: &MatchData, key: Option<&Obj>, default: &Obj) -> PyResult<PyRef> {
    let i = match key {
        Some(k) => group_index(m, k)?,
        None => 0,
    };
    group_of(&m.string, m.regs[i], default)
}

fn m_group(o: &Obj, args: &[&Obj]) -> PyResult<PyRef> {
    let m = mdata(o);
    match args.len() {
        0 => group_value(m, None, none::none_obj()),
        1 => group_value(m, Some(args[0]), none::none_obj()),
        _ => Ok(tuple::new_from_owned(args.iter().map(|a| group_value(m, Some(a), none::none_obj())).collect::<PyResult<Vec<_>>>()?)),
    }
}

unsafe extern "C" fn match_getitem(o: *mut PyObject, key: *mut PyObject) -> *mut PyObject {
    // SAFETY: live arguments.
    let (o, key) = unsafe { (arg(o), arg(key)) };
    ret_obj(group_value(mdata(o), Some(key), none::none_obj()))
}

fn default_arg<'a>(name: &'static str, args: &[&'a Obj], kw: Kw<'a>) -> PyResult<&'a Obj> {
    let sig = Sig { name, params: &["default"], posonly: 0, maxpos: 1, required: 0 };
    let [d] = argparse::parse::<1>(&sig, args, kw)?;
    Ok(d.unwrap_or(none::none_obj()))
}

fn m_groups(o: &Obj, args: &[&Obj], kw: Kw) -> PyResult<PyRef> {
    let default = default_arg("groups", args, kw)?;
    let m = mdata(o);
    Ok(tuple::new_from_owned(m.regs[1..].iter().map(|r| group_of(&m.string, *r, default)).collect::<PyResult<Vec<_>>>()?))
}

fn m_groupdict(o: &Obj, args: &[&Obj], kw: Kw) -> PyResult<PyRef> {
    let default = default_arg("groupdict", args, kw)?;
    let m = mdata(o);
    let out = dict::new();
    let gi = &payload::<PatternData>(&m.pattern).groupindex;
    for (k, _) in dict::items_vec(gi) {
        let v = group_value(m, Some(&k), default)?;
        dict::set_item(&out, &k, &v)?;
    }
    Ok(out)
}

fn span_arg(name: &str, o: &Obj, args: &[&Obj]) -> PyResult<(isize, isize)> {
    argparse::check_positional(name, args.len(), 0, 1)?;
    let m = mdata(o);
    let i = match args.first() {
        Some(k) => group_index(m, k)?,
        None => 0,
    };
    Ok(m.regs[i])
}

fn m_start(o: &Obj, args: &[&Obj]) -> PyResult<PyRef> {
    Ok(long::from_i64(span_arg("start", o, args)?.0 as i64))
}
fn m_end(o: &Obj, args: &[&Obj]) -> PyResult<PyRef> {
    Ok(long::from_i64(span_arg("end", o, args)?.1 as i64))
}
fn span_tuple(s: (isize, isize)) -> PyRef {
    tuple::new_from(&[&long::from_i64(s.0 as i64), &long::from_i64(s.1 as i64)])
}
fn m_span(o: &Obj, args: &[&Obj]) -> PyResult<PyRef> {
    Ok(span_tuple(span_arg("span", o, args)?))
}

fn m_expand(o: &Obj, template: &Obj) -> PyResult<PyRef> {
    let m = mdata(o);
    let re = crate::import::import_module("re")?;
    let t = abstract_::call_method(&re, "_compile_template", &[&m.pattern, template])?;
    if !is_instance(&t, &TEMPLATE_TYPE) {
        return Err(raise!(TypeError, "invalid template"));
    }
    let mut pieces = Vec::new();
    expand_into(&t, o, &mut pieces)?;
    join(&m.string, &pieces)
}

fn mg_string(o: &Obj) -> PyResult<PyRef> {
    Ok(mdata(o).string.clone())
}
fn mg_re(o: &Obj) -> PyResult<PyRef> {
    Ok(mdata(o).pattern.clone())
}
fn mg_pos(o: &Obj) -> PyResult<PyRef> {
    Ok(long::from_usize(mdata(o).pos))
}
fn mg_endpos(o: &Obj) -> PyResult<PyRef> {
    Ok(long::from_usize(mdata(o).endpos))
}
fn mg_lastindex(o: &Obj) -> PyResult<PyRef> {
    let li = mdata(o).lastindex;
    Ok(if li >= 0 { long::from_i64(li as i64) } else { none::none() })
}
fn mg_lastgroup(o: &Obj) -> PyResult<PyRef> {
    let m = mdata(o);
    let ig = &payload::<PatternData>(&m.pattern).indexgroup;
    if m.lastindex >= 0 && tuple::check(ig) && (m.lastindex as usize) < tuple::len(ig) {
        return Ok(tuple::get(ig, m.lastindex as usize).new_ref());
    }
    Ok(none::none())
}
fn mg_regs(o: &Obj) -> PyResult<PyRef> {
    Ok(tuple::new_from_owned(mdata(o).regs.iter().map(|r| span_tuple(*r)).collect()))
}

unsafe extern "C" fn match_repr(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live match.
    let o = unsafe { arg(o) };
    ret_obj((|| {
        let m = mdata(o);
        let g0 = group_of(&m.string, m.regs[0], none::none_obj())?;
        let r = abstract_::repr(&g0)?;
        let shown: String = unicode::chars(&r).take(50).filter_map(char::from_u32).collect();
        Ok(unicode::new(&format!("<{} object; span=({}, {}), match={}>", o.ob_type().full_name(), m.regs[0].0, m.regs[0].1, shown)))
    })())
}

// ---- _sre.SRE_Scanner -----------------------------------------------------------------------

struct ScannerData {
    pattern: PyRef,
    string: PyRef,
    pos: usize,
    endpos: usize,
    start: Cell<usize>,
    must_advance: Cell<bool>,
    done: Cell<bool>,
    /// The subject's buffer export, held while the scanner lives (as CPython's scanner
    /// state): a bytearray cannot be resized under a pending `finditer`.
    _export: Option<Export>,
}

/// A `PyBUF_SIMPLE` buffer export of an object other than str and bytes, released on drop.
struct Export(Py_buffer);

impl Export {
    fn of(o: &Obj) -> PyResult<Option<Export>> {
        if unicode::check(o) || bytes::check(o) {
            return Ok(None);
        }
        // SAFETY: reading a slot table of a live type.
        let Some(get) = (unsafe { o.ob_type().slots().tp_as_buffer.as_ref() }).and_then(|b| b.bf_getbuffer) else {
            return Ok(None);
        };
        // SAFETY: a buffer request to a live exporter; `Drop` releases it.
        unsafe {
            let mut view: Py_buffer = core::mem::zeroed();
            crate::slot::from_status(get(o.as_ptr(), &mut view, PyBUF_SIMPLE))?;
            Ok(Some(Export(view)))
        }
    }
}

impl Drop for Export {
    fn drop(&mut self) {
        let view = &mut self.0;
        // SAFETY: `view` is a granted export; its owner reference is given back after release.
        unsafe {
            if let Some(rel) = view.obj.as_ref().and_then(|ob| (*ob.ob_type).tp_as_buffer.as_ref()).and_then(|b| b.bf_releasebuffer) {
                rel(view.obj, view);
            }
            crate::object::xdecref(core::mem::replace(&mut view.obj, core::ptr::null_mut()));
        }
    }
}

private_static_type!(SCANNER_TYPE, c"_sre.SRE_Scanner", core::mem::size_of::<Boxed<ScannerData>>(), {
    tp_flags: BUILTIN_FLAGS,
    tp_dealloc: Some(boxed_dealloc::<ScannerData>),
    tp_getattro: Some(type_::generic_getattr),
    tp_methods: SCANNER_METHODS.0.get() as *mut PyMethodDef,
    tp_getset: SCANNER_GETSET.0.get() as *mut PyGetSetDef,
    tp_free: Some(crate::alloc::object_free),
});

method_table!(static SCANNER_METHODS = [
    noargs c"match" => s_match,
    noargs c"prefixmatch" => s_match,
    noargs c"search" => s_search,
]);

static SCANNER_GETSET: StaticTable<PyGetSetDef, 2> = StaticTable(UnsafeCell::new([getter_def!(c"pattern", sg_pattern), GETSET_END]));

fn new_scanner(pattern: &Obj, string: &Obj, pos: isize, endpos: isize) -> PyResult<PyRef> {
    let p = payload::<PatternData>(pattern);
    let n = Subject::new(p, string, false)?.len();
    let (pos, endpos) = (clamp(pos, n), clamp(endpos, n));
    let export = Export::of(string)?;
    new_boxed(
        &SCANNER_TYPE,
        ScannerData {
            pattern: pattern.new_ref(),
            string: string.new_ref(),
            pos,
            endpos,
            start: Cell::new(pos),
            must_advance: Cell::new(false),
            done: Cell::new(false),
            _export: export,
        },
    )
}

fn scanner_step(o: &Obj, mode: Mode) -> PyResult<PyRef> {
    let s = payload::<ScannerData>(o);
    if s.done.get() {
        return Ok(none::none());
    }
    let p = payload::<PatternData>(&s.pattern);
    let subject = Subject::new(p, &s.string, false)?;
    let end = s.endpos.min(subject.len());
    let found = with_drive!(&subject, d => exec(d, &p.code, p.groups, s.start.get(), end, mode, s.must_advance.get()));
    match found {
        Some(f) => {
            let (b, e) = (f.regs[0].0 as usize, f.regs[0].1 as usize);
            s.must_advance.set(b == e);
            s.start.set(e);
            new_match(&s.pattern, &s.string, s.pos, s.endpos, f)
        }
        None => {
            s.done.set(true);
            Ok(none::none())
        }
    }
}

fn s_match(o: &Obj) -> PyResult<PyRef> {
    scanner_step(o, Mode::Prefix)
}
fn s_search(o: &Obj) -> PyResult<PyRef> {
    scanner_step(o, Mode::Search)
}
fn sg_pattern(o: &Obj) -> PyResult<PyRef> {
    Ok(payload::<ScannerData>(o).pattern.clone())
}

// ---- _sre.SRE_Template ----------------------------------------------------------------------

/// A parsed replacement: a leading literal, then (group, literal) pairs; empty literals are None.
struct TemplateData {
    literal: Option<PyRef>,
    items: Vec<(usize, Option<PyRef>)>,
}

private_static_type!(TEMPLATE_TYPE, c"_sre.SRE_Template", core::mem::size_of::<Boxed<TemplateData>>(), {
    tp_flags: BUILTIN_FLAGS,
    tp_dealloc: Some(boxed_dealloc::<TemplateData>),
    tp_free: Some(crate::alloc::object_free),
});

fn nonempty(o: &Obj) -> PyResult<Option<PyRef>> {
    Ok(if abstract_::len(o)? == 0 { None } else { Some(o.new_ref()) })
}

/// `_sre.template(pattern, template)`: `template` is `[literal, group, literal, group, ...,
/// literal]` as `re._parser.parse_template` makes it.
fn sre_template(_m: &Obj, args: &[&Obj]) -> PyResult<PyRef> {
    argparse::check_positional("template", args.len(), 2, 2)?;
    let t = args[1];
    if !list::check(t) || list::len(t) % 2 == 0 {
        return Err(raise!(TypeError, "invalid template"));
    }
    let items = list::to_vec(t);
    let literal = nonempty(&items[0])?;
    let mut pairs = Vec::with_capacity(items.len() / 2);
    for pair in items[1..].chunks(2) {
        let index = argparse::ssize(&pair[0])?;
        if index < 0 {
            return Err(raise!(TypeError, "invalid template"));
        }
        pairs.push((index as usize, nonempty(&pair[1])?));
    }
    new_boxed(&TEMPLATE_TYPE, TemplateData { literal, items: pairs })
}

/// Appends the pieces of `template` expanded for match `m`.
fn expand_into(template: &Obj, m: &Obj, out: &mut Vec<PyRef>) -> PyResult<()> {
    let t = payload::<TemplateData>(template);
    let md = mdata(m);
    if let Some(l) = &t.literal {
        out.push(l.clone());
    }
    for (index, lit) in &t.items {
        let Some(span) = md.regs.get(*index) else {
            return Err(raise!(IndexError, "no such group"));
        };
        if span.0 >= 0 {
            out.push(slice_of(&md.string, span.0 as usize, span.1 as usize)?);
        }
        if let Some(l) = lit {
            out.push(l.clone());
        }
    }
    Ok(())
}

// ---- the module -----------------------------------------------------------------------------

/// `_sre.compile(pattern, flags, code, groups, groupindex, indexgroup)`.
fn sre_compile(_m: &Obj, args: &[&Obj], kw: Kw) -> PyResult<PyRef> {
    let sig = Sig {
        name: "compile",
        params: &["pattern", "flags", "code", "groups", "groupindex", "indexgroup"],
        posonly: 0,
        maxpos: 6,
        required: 6,
    };
    let [pattern, flags, code, groups, groupindex, indexgroup] = argparse::parse::<6>(&sig, args, kw)?;
    let (pattern, code, groupindex, indexgroup) = (pattern.unwrap(), code.unwrap(), groupindex.unwrap(), indexgroup.unwrap());
    if !list::check(code) {
        return Err(raise!(TypeError, "compile() argument 'code' must be list, not {}", code.ob_type().name()));
    }
    if !dict::check(groupindex) {
        return Err(raise!(TypeError, "compile() argument 'groupindex' must be dict, not {}", groupindex.ob_type().name()));
    }
    if !tuple::check(indexgroup) {
        return Err(raise!(TypeError, "compile() argument 'indexgroup' must be tuple, not {}", indexgroup.ob_type().name()));
    }
    let flags = argparse::c_int(flags.unwrap())? as u32;
    let groups = argparse::ssize(groups.unwrap())?;
    let mut words = Vec::with_capacity(list::len(code));
    for item in list::to_vec(code) {
        let v = abstract_::index(&item)?;
        match long::to_u64(&v).and_then(|x| u32::try_from(x).ok()) {
            Some(x) => words.push(x),
            None => return Err(raise!(OverflowError, "regular expression code size limit exceeded")),
        }
    }
    let isbytes = if pattern.is(none::none_obj()) {
        None
    } else if unicode::check(pattern) {
        Some(false)
    } else if bytes::buffer_bytes(pattern)?.is_some() {
        Some(true)
    } else {
        return Err(raise!(TypeError, "expected string or bytes-like object, got '{}'", pattern.ob_type().name()));
    };
    new_boxed(
        &PATTERN_TYPE,
        PatternData {
            pattern: pattern.new_ref(),
            flags,
            code: words,
            groups: groups.max(0) as usize,
            groupindex: dict::copy(groupindex)?,
            indexgroup: indexgroup.new_ref(),
            isbytes,
        },
    )
}

fn char_arg(o: &Obj) -> PyResult<u32> {
    let v = argparse::c_int(o)?;
    Ok(v as u32)
}

fn sre_getcodesize(_m: &Obj, _a: &[&Obj]) -> PyResult<PyRef> {
    Ok(long::from_i64(rustpython_sre_engine::CODESIZE as i64))
}

fn sre_ascii_iscased(_m: &Obj, ch: &Obj) -> PyResult<PyRef> {
    let c = char_arg(ch)?;
    Ok(bool_::new(c < 128 && (c as u8).is_ascii_alphabetic()))
}

/// As CPython's `Py_UNICODE_TOLOWER(ch) != ch || Py_UNICODE_TOUPPER(ch) != ch`, whose case
/// mappings give a character with a full (multi-character) mapping the first character of
/// it: U+FB05 'ﬅ' is cased (upper "ST"), though its simple mappings are itself.
fn sre_unicode_iscased(_m: &Obj, ch: &Obj) -> PyResult<PyRef> {
    let c = char_arg(ch)?;
    let cased = char::from_u32(c).is_some_and(|x| {
        x.to_lowercase().next() != Some(x) || x.to_uppercase().next() != Some(x)
    });
    Ok(bool_::new(cased))
}

fn sre_ascii_tolower(_m: &Obj, ch: &Obj) -> PyResult<PyRef> {
    let c = char_arg(ch)?;
    Ok(long::from_u64(rustpython_sre_engine::string::lower_ascii(c) as u64))
}

fn sre_unicode_tolower(_m: &Obj, ch: &Obj) -> PyResult<PyRef> {
    let c = char_arg(ch)?;
    Ok(long::from_u64(rustpython_sre_engine::string::lower_unicode(c) as u64))
}

method_table!(static SRE_METHODS = [
    kw c"compile" => sre_compile,
    fast c"template" => sre_template,
    fast c"getcodesize" => sre_getcodesize,
    o c"ascii_iscased" => sre_ascii_iscased,
    o c"unicode_iscased" => sre_unicode_iscased,
    o c"ascii_tolower" => sre_ascii_tolower,
    o c"unicode_tolower" => sre_unicode_tolower,
]);

/// Creates the `_sre` module (its types are readied on first use).
pub fn create() -> PyResult<PyRef> {
    for t in [&PATTERN_TYPE, &MATCH_TYPE, &SCANNER_TYPE, &TEMPLATE_TYPE] {
        type_::ready(t)?;
        crate::objects::slotdefs::add_wrappers(t)?;
    }
    let m = module::new(&unicode::new("_sre"))?;
    // SAFETY: the table is static.
    unsafe { module::add_functions(&m, SRE_METHODS.0.get() as *mut PyMethodDef)? };
    let d = module::dict_of(&m);
    dict::set_item_str(d, "MAGIC", &long::from_u64(rustpython_sre_engine::SRE_MAGIC as u64))?;
    dict::set_item_str(d, "CODESIZE", &long::from_u64(rustpython_sre_engine::CODESIZE as u64))?;
    dict::set_item_str(d, "MAXREPEAT", &long::from_u64(rustpython_sre_engine::MAXREPEAT as u64))?;
    dict::set_item_str(d, "MAXGROUPS", &long::from_u64(MAXGROUPS as u64))?;
    dict::set_item_str(d, "copyright", &unicode::new(" SRE 2.2.2 Copyright (c) 1997-2002 by Secret Labs AB "))?;
    Ok(m)
}
