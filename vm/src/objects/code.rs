//! Code objects: compiled bytecode with its constants, names, local layout, line table and
//! exception table. Pyrite's own layout (no public macro reads it).

use core::cell::Cell;
use core::ffi::c_void;

use pyrite_abi::*;

use crate::bytecode::CodeUnit;
use crate::object::{Obj, PyRef};
use crate::objects::type_::{TypeObj, BUILTIN_FLAGS};
use crate::objects::{tuple, unicode};
use crate::private_static_type;
use crate::slot::arg;

pub const CO_OPTIMIZED: u32 = 0x1;
pub const CO_NEWLOCALS: u32 = 0x2;
pub const CO_VARARGS: u32 = 0x4;
pub const CO_VARKEYWORDS: u32 = 0x8;
pub const CO_NESTED: u32 = 0x10;
pub const CO_GENERATOR: u32 = 0x20;
pub const CO_COROUTINE: u32 = 0x80;
pub const CO_ITERABLE_COROUTINE: u32 = 0x100;
pub const CO_ASYNC_GENERATOR: u32 = 0x200;

/// What a slot of the frame's "locals plus" array holds.
pub const CO_FAST_LOCAL: u8 = 0x20;
pub const CO_FAST_CELL: u8 = 0x40;
pub const CO_FAST_FREE: u8 = 0x80;

/// Source position of one code unit (1-based lines, 0-based UTF-8 columns, as `co_positions`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Position {
    pub line: u32,
    pub end_line: u32,
    pub col: u32,
    pub end_col: u32,
}

/// An exception-table entry: instructions in `start..end` (code units) jump to `target` with
/// the value stack cut to `depth` (+ the exception); `lasti` also pushes the raising offset.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ExceptionEntry {
    pub start: u32,
    pub end: u32,
    pub target: u32,
    pub depth: u32,
    pub lasti: bool,
}

/// The contents of a code object.
#[derive(Clone)]
pub struct CodeData {
    pub code: Vec<CodeUnit>,
    pub consts: PyRef,
    pub names: PyRef,
    /// Names of the locals, then cells, then free variables.
    pub localsplusnames: PyRef,
    pub localspluskinds: Vec<u8>,
    pub argcount: u32,
    pub posonlyargcount: u32,
    pub kwonlyargcount: u32,
    pub flags: u32,
    pub stacksize: u32,
    pub name: PyRef,
    pub qualname: PyRef,
    pub filename: PyRef,
    pub firstlineno: u32,
    /// One entry per code unit.
    pub positions: Vec<Position>,
    pub exception_table: Vec<ExceptionEntry>,
}

impl CodeData {
    pub fn nlocalsplus(&self) -> usize {
        self.localspluskinds.len()
    }

    /// Number of free variables (they come last in localsplus).
    pub fn nfree(&self) -> usize {
        self.localspluskinds.iter().filter(|&&k| k & CO_FAST_FREE != 0).count()
    }

    /// Total positional parameters, keyword-only parameters, and `*args`/`**kwargs`.
    pub fn total_args(&self) -> usize {
        let mut n = (self.argcount + self.kwonlyargcount) as usize;
        if self.flags & CO_VARARGS != 0 {
            n += 1;
        }
        if self.flags & CO_VARKEYWORDS != 0 {
            n += 1;
        }
        n
    }

    pub fn localplus_name(&self, i: usize) -> &Obj {
        tuple::get(&self.localsplusnames, i)
    }

    /// The exception handler covering code unit `offset`, innermost first.
    pub fn handler_for(&self, offset: u32) -> Option<ExceptionEntry> {
        self.exception_table.iter().copied().find(|e| e.start <= offset && offset < e.end)
    }
}

#[repr(C)]
pub struct CodeObject {
    pub ob_base: PyObject,
    /// Inline, not boxed: calls and the hot loop reach a code's contents with one load less.
    data: CodeBox,
}

/// What a code object owns: its contents, and the bytecode the interpreter runs and
/// specializes in place (`co_code` stays as compiled).
struct CodeBox {
    data: CodeData,
    adaptive: Box<[Cell<CodeUnit>]>,
    /// The bytecode passed `bytecode::verify`: the hot loop may run it.
    verified: bool,
    /// Where a frame starts: past a leading `RESUME`, which does nothing in Pyrite (no
    /// tracing; the eval breaker is polled at backward jumps and calls), one dispatch less per
    /// call.
    entry: usize,
}

private_static_type!(PyCode_Type, c"code", core::mem::size_of::<CodeObject>(), {
    tp_flags: BUILTIN_FLAGS,
    tp_dealloc: Some(code_dealloc),
    tp_repr: Some(code_repr),
    tp_getset: CODE_GETSET.0.get() as *mut PyGetSetDef,
    tp_methods: CODE_METHODS.0.get() as *mut PyMethodDef,
});

macro_rules! code_getters {
    ($($name:ident => |$d:ident| $e:expr;)*) => {
        $(
            unsafe extern "C" fn $name(o: *mut PyObject, _: *mut c_void) -> *mut PyObject {
                // SAFETY: live code object.
                let $d = data(unsafe { arg(o) });
                let r: PyRef = $e;
                r.into_raw()
            }
        )*
    };
}

fn names_of_kind(d: &CodeData, kind: u8) -> PyRef {
    let v: Vec<PyRef> = (0..d.nlocalsplus()).filter(|&i| d.localspluskinds[i] & kind != 0).map(|i| d.localplus_name(i).new_ref()).collect();
    tuple::new_from_owned(v)
}

fn int(v: u32) -> PyRef {
    crate::objects::long::from_i64(v as i64)
}

code_getters! {
    co_name => |d| d.name.clone();
    co_qualname => |d| d.qualname.clone();
    co_filename => |d| d.filename.clone();
    co_firstlineno => |d| int(d.firstlineno);
    co_argcount => |d| int(d.argcount);
    co_posonlyargcount => |d| int(d.posonlyargcount);
    co_kwonlyargcount => |d| int(d.kwonlyargcount);
    co_flags => |d| int(d.flags);
    co_stacksize => |d| int(d.stacksize);
    co_nlocals => |d| int(d.localspluskinds.iter().filter(|&&k| k & CO_FAST_LOCAL != 0).count() as u32);
    co_varnames => |d| names_of_kind(d, CO_FAST_LOCAL);
    co_cellvars => |d| names_of_kind(d, CO_FAST_CELL);
    co_freevars => |d| names_of_kind(d, CO_FAST_FREE);
    co_names => |d| d.names.clone();
    co_consts => |d| d.consts.clone();
    co_code => |d| crate::objects::bytes::new(&d.code.iter().flat_map(|u| u.to_le_bytes()).collect::<Vec<u8>>());
    co_exceptiontable => |d| crate::objects::bytes::new(&exception_table_bytes(d));
}

/// `_co_code_adaptive`: the bytecode as the interpreter has specialized it so far.
unsafe extern "C" fn co_code_adaptive(o: *mut PyObject, _: *mut c_void) -> *mut PyObject {
    // SAFETY: live code object.
    let units = adaptive(unsafe { arg(o) });
    crate::objects::bytes::new(&units.iter().flat_map(|u| u.get().to_le_bytes()).collect::<Vec<u8>>()).into_raw()
}

/// The handler of each code unit (innermost), as CPython's exception table lists them: one
/// entry per run of code units with the same handler, in order, none overlapping.
fn flat_exception_table(d: &CodeData) -> Vec<ExceptionEntry> {
    let mut out: Vec<ExceptionEntry> = Vec::new();
    for unit in 0..d.code.len() as u32 {
        let Some(h) = d.handler_for(unit) else { continue };
        match out.last_mut() {
            Some(last) if last.end == unit && (last.target, last.depth, last.lasti) == (h.target, h.depth, h.lasti) => last.end = unit + 1,
            _ => out.push(ExceptionEntry { start: unit, end: unit + 1, ..h }),
        }
    }
    out
}

/// `co_exceptiontable` in CPython's format (`InternalDocs/exception_handling.md`): per entry
/// start, length, target (code units) and `depth << 1 | lasti`, each a big-endian varint of
/// 6-bit groups with bit 6 marking "more follows"; bit 7 marks an entry's first byte.
fn exception_table_bytes(d: &CodeData) -> Vec<u8> {
    fn varint(out: &mut Vec<u8>, v: u32, first: bool) {
        let mut shift = 30;
        while shift > 0 && v >> shift == 0 {
            shift -= 6;
        }
        let mut mark = if first { 0x80 } else { 0 };
        while shift > 0 {
            out.push(((v >> shift) & 0x3f) as u8 | 0x40 | mark);
            mark = 0;
            shift -= 6;
        }
        out.push((v & 0x3f) as u8 | mark);
    }
    let mut out = Vec::new();
    for e in flat_exception_table(d) {
        varint(&mut out, e.start, true);
        varint(&mut out, e.end - e.start, false);
        varint(&mut out, e.target, false);
        varint(&mut out, e.depth << 1 | e.lasti as u32, false);
    }
    out
}

/// A line number as `co_lines`/`co_positions` give it (0 means "no line": None).
fn line_or_none(line: u32) -> PyRef {
    if line == 0 { crate::objects::none::none() } else { int(line) }
}

/// `co_lines()`: `(start, end, line)` byte ranges over which the line stays the same.
fn m_co_lines(o: &Obj) -> crate::err::PyResult<PyRef> {
    let d = data(o);
    let mut ranges: Vec<(usize, usize, u32)> = Vec::new();
    for (i, p) in d.positions.iter().enumerate().take(d.code.len()) {
        match ranges.last_mut() {
            Some(last) if last.2 == p.line => last.1 = i + 1,
            _ => ranges.push((i, i + 1, p.line)),
        }
    }
    let items = ranges.into_iter().map(|(s, e, l)| tuple::new_from_owned(vec![int(2 * s as u32), int(2 * e as u32), line_or_none(l)])).collect();
    crate::objects::iterobject::get_iter(&crate::objects::list::new_from_owned(items))
}

/// `co_positions()`: `(line, end_line, col, end_col)` of every code unit, None where unknown.
fn m_co_positions(o: &Obj) -> crate::err::PyResult<PyRef> {
    let d = data(o);
    let items = d
        .positions
        .iter()
        .take(d.code.len())
        .map(|p| {
            let fields = if p.line == 0 {
                vec![crate::objects::none::none(), crate::objects::none::none(), crate::objects::none::none(), crate::objects::none::none()]
            } else {
                vec![int(p.line), line_or_none(p.end_line), int(p.col), int(p.end_col)]
            };
            tuple::new_from_owned(fields)
        })
        .collect();
    crate::objects::iterobject::get_iter(&crate::objects::list::new_from_owned(items))
}

/// `_varname_from_oparg(i)`: the name of locals-plus slot `i` (what `dis` shows for an
/// instruction that reads a local or cell).
fn m_varname_from_oparg(o: &Obj, i: &Obj) -> crate::err::PyResult<PyRef> {
    let d = data(o);
    let i = crate::objects::long::to_i64(&*crate::abstract_::index(i)?).unwrap_or(-1);
    if i < 0 || i as usize >= d.nlocalsplus() {
        return Err(crate::raise!(IndexError, "tuple index out of range"));
    }
    Ok(d.localplus_name(i as usize).new_ref())
}

/// `code.replace(**changes)` (and `copy.replace`): a copy with some fields changed. Pyrite's
/// bytecode, position and exception tables are its own, so the fields that describe them
/// (`co_code`, `co_linetable`, `co_exceptiontable`) and the variable-name layout cannot be
/// swapped in from outside; asking for that is a ValueError rather than a silently wrong
/// code object.
fn m_replace(o: &Obj, a: &[&Obj], kw: crate::objects::argparse::Kw) -> crate::err::PyResult<PyRef> {
    crate::objects::argparse::check_positional("replace", a.len(), 0, 0)?;
    let d = data(o);
    let mut n = d.clone();
    let uint = |v: &Obj, what: &str| -> crate::err::PyResult<u32> {
        let x = crate::objects::argparse::ssize(v)?;
        u32::try_from(x).map_err(|_| crate::raise!(ValueError, "{what} must be a non-negative integer"))
    };
    let text = |v: &Obj, what: &str| -> crate::err::PyResult<PyRef> {
        if unicode::check(v) { Ok(v.new_ref()) } else { Err(crate::raise!(TypeError, "replace() argument '{what}' must be str, not {}", v.ob_type().name())) }
    };
    let tup = |v: &Obj, what: &str| -> crate::err::PyResult<PyRef> {
        if tuple::check(v) { Ok(v.new_ref()) } else { Err(crate::raise!(TypeError, "replace() argument '{what}' must be tuple, not {}", v.ob_type().name())) }
    };
    for (k, v) in kw.names.iter().zip(kw.values) {
        let key = unicode::as_str_lossy(k).into_owned();
        match key.as_str() {
            "co_flags" => n.flags = uint(v, "co_flags")?,
            "co_argcount" => n.argcount = uint(v, "co_argcount")?,
            "co_posonlyargcount" => n.posonlyargcount = uint(v, "co_posonlyargcount")?,
            "co_kwonlyargcount" => n.kwonlyargcount = uint(v, "co_kwonlyargcount")?,
            "co_stacksize" => n.stacksize = n.stacksize.max(uint(v, "co_stacksize")?),
            "co_firstlineno" => n.firstlineno = uint(v, "co_firstlineno")?,
            "co_name" => n.name = text(v, "co_name")?,
            "co_qualname" => n.qualname = text(v, "co_qualname")?,
            "co_filename" => n.filename = text(v, "co_filename")?,
            "co_consts" => {
                let t = tup(v, "co_consts")?;
                if tuple::len(&t) < tuple::len(&d.consts) {
                    return Err(crate::raise!(ValueError, "co_consts has fewer constants than the bytecode uses"));
                }
                n.consts = t;
            }
            "co_names" => {
                let t = tup(v, "co_names")?;
                if tuple::len(&t) != tuple::len(&d.names) {
                    return Err(crate::raise!(ValueError, "co_names must keep its length in Pyrite"));
                }
                n.names = t;
            }
            "co_code" | "co_linetable" | "co_exceptiontable" | "co_varnames" | "co_freevars" | "co_cellvars" | "co_nlocals" => {
                // Unchanged values are fine (copy.replace passes what it read).
                let same = match key.as_str() {
                    "co_code" => crate::abstract_::rich_compare_bool(v, &*co_bytes(d), Py_EQ)?,
                    "co_exceptiontable" => crate::abstract_::rich_compare_bool(v, &*crate::objects::bytes::new(&exception_table_bytes(d)), Py_EQ)?,
                    "co_varnames" => crate::abstract_::rich_compare_bool(v, &*names_of_kind(d, CO_FAST_LOCAL), Py_EQ)?,
                    "co_freevars" => crate::abstract_::rich_compare_bool(v, &*names_of_kind(d, CO_FAST_FREE), Py_EQ)?,
                    "co_cellvars" => crate::abstract_::rich_compare_bool(v, &*names_of_kind(d, CO_FAST_CELL), Py_EQ)?,
                    _ => false,
                };
                if !same {
                    return Err(crate::raise!(ValueError, "code.replace({}=...) is not supported by Pyrite: its bytecode is its own", key));
                }
            }
            _ => return Err(crate::raise!(TypeError, "replace() got an unexpected keyword argument '{}'", key)),
        }
    }
    Ok(new(n))
}

fn co_bytes(d: &CodeData) -> PyRef {
    crate::objects::bytes::new(&d.code.iter().flat_map(|u| u.to_le_bytes()).collect::<Vec<u8>>())
}

crate::method_table!(static CODE_METHODS = [
    kw c"replace" => m_replace,
    kw c"__replace__" => m_replace,
    noargs c"co_lines" => m_co_lines,
    noargs c"co_positions" => m_co_positions,
    o c"_varname_from_oparg" => m_varname_from_oparg,
]);

static CODE_GETSET: crate::objects::type_::StaticTable<PyGetSetDef, 19> = crate::objects::type_::StaticTable(core::cell::UnsafeCell::new([
    crate::objects::type_::getset(c"co_name", Some(co_name), None),
    crate::objects::type_::getset(c"co_qualname", Some(co_qualname), None),
    crate::objects::type_::getset(c"co_filename", Some(co_filename), None),
    crate::objects::type_::getset(c"co_firstlineno", Some(co_firstlineno), None),
    crate::objects::type_::getset(c"co_argcount", Some(co_argcount), None),
    crate::objects::type_::getset(c"co_posonlyargcount", Some(co_posonlyargcount), None),
    crate::objects::type_::getset(c"co_kwonlyargcount", Some(co_kwonlyargcount), None),
    crate::objects::type_::getset(c"co_flags", Some(co_flags), None),
    crate::objects::type_::getset(c"co_stacksize", Some(co_stacksize), None),
    crate::objects::type_::getset(c"co_nlocals", Some(co_nlocals), None),
    crate::objects::type_::getset(c"co_varnames", Some(co_varnames), None),
    crate::objects::type_::getset(c"co_cellvars", Some(co_cellvars), None),
    crate::objects::type_::getset(c"co_freevars", Some(co_freevars), None),
    crate::objects::type_::getset(c"co_names", Some(co_names), None),
    crate::objects::type_::getset(c"co_consts", Some(co_consts), None),
    crate::objects::type_::getset(c"co_code", Some(co_code), None),
    crate::objects::type_::getset(c"_co_code_adaptive", Some(co_code_adaptive), None),
    crate::objects::type_::getset(c"co_exceptiontable", Some(co_exceptiontable), None),
    crate::objects::type_::GETSET_END,
]));

pub fn types() -> [&'static TypeObj; 1] {
    [&PyCode_Type]
}

pub fn new(data: CodeData) -> PyRef {
    // SAFETY: PyCode_Type is a live static type.
    unsafe {
        let op = crate::alloc::alloc_object(PyCode_Type.raw(), core::mem::size_of::<CodeObject>(), false);
        assert!(!op.is_null(), "out of memory allocating a code object");
        let adaptive = crate::interp::specialize::adaptive_copy(&data.code);
        let verified = crate::bytecode::verify::verify(&data).is_ok();
        let entry = data.code.first().is_some_and(|&u| u as u8 == crate::bytecode::instructions::op_byte::RESUME) as usize;
        (&raw mut (*(op as *mut CodeObject)).data).write(CodeBox { data, adaptive, verified, entry });
        PyRef::from_raw(op)
    }
}

#[inline(always)]
pub fn check(o: &Obj) -> bool {
    o.is_exact(&PyCode_Type)
}

/// The contents of a code object (caller checked the type).
#[inline(always)]
pub fn data(o: &Obj) -> &CodeData {
    // SAFETY: o is a code object; its data lives as long as it.
    unsafe { &(*(o.as_ptr() as *mut CodeObject)).data.data }
}

/// The bytecode the interpreter runs: `co_code` as specialized so far (caller checked the type).
#[inline(always)]
pub fn adaptive(o: &Obj) -> &[Cell<CodeUnit>] {
    // SAFETY: as in `data`.
    unsafe { &(*(o.as_ptr() as *mut CodeObject)).data.adaptive }
}

/// Whether the code passed `bytecode::verify` (the hot loop runs only code that did).
#[inline(always)]
pub fn verified(o: &Obj) -> bool {
    // SAFETY: as in `data`.
    unsafe { (*(o.as_ptr() as *mut CodeObject)).data.verified }
}

/// The offset a new frame of the code starts at.
#[inline(always)]
pub fn entry(o: &Obj) -> usize {
    // SAFETY: as in `data`.
    unsafe { (*(o.as_ptr() as *mut CodeObject)).data.entry }
}

/// `_imp._fix_co_filename`: gives `code`, and the code objects nested in its constants that
/// carry the same old name, the file name `path` (a loader moved the source). Meant for code
/// just loaded, before any frame runs it: frames read `filename` through shared references.
pub fn fix_filename(code: &Obj, path: &Obj) -> crate::err::PyResult<()> {
    let old = data(code).filename.clone();
    if crate::abstract_::rich_compare_bool(&old, path, pyrite_abi::Py_EQ)? {
        return Ok(());
    }
    rename(code, &old, path)
}

fn rename(code: &Obj, old: &Obj, path: &Obj) -> crate::err::PyResult<()> {
    if !crate::abstract_::rich_compare_bool(&data(code).filename, old, pyrite_abi::Py_EQ)? {
        return Ok(());
    }
    // SAFETY: `code` is a code object (callers check); it owns its contents and, per this
    // function's contract, no frame holds a reference into it while it is renamed.
    unsafe { (*(code.as_ptr() as *mut CodeObject)).data.data.filename = path.new_ref() };
    let consts = data(code).consts.clone();
    for i in 0..tuple::len(&consts) {
        let c = tuple::get(&consts, i);
        if check(c) {
            rename(c, old, path)?;
        }
    }
    Ok(())
}

unsafe extern "C" fn code_dealloc(o: *mut PyObject) {
    // SAFETY: a dead code object owns its contents, dropped once here.
    unsafe {
        core::ptr::drop_in_place(&raw mut (*(o as *mut CodeObject)).data);
        crate::alloc::object_free(o as *mut c_void);
    }
}

unsafe extern "C" fn code_repr(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: live code object.
    let c = unsafe { arg(o) };
    let d = data(c);
    unicode::new(&format!(
        "<code object {} at {:#x}, file \"{}\", line {}>",
        unicode::as_str_lossy(&d.name),
        o as usize,
        unicode::as_str_lossy(&d.filename),
        d.firstlineno
    ))
    .into_raw()
}
