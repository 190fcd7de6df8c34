//! `_csv`: the parser and writer under `Lib/csv.py` — the `Dialect` type (validated
//! formatting parameters), `reader` (a state machine fed one character at a time, lines
//! coming from any iterable of str), `writer` (quoting and escaping each field, one `write`
//! call per record), the dialect registry and the field size limit.
//!
//! The registry, the `Error` class and the limit are per process (CPython keeps them per
//! module object; Pyrite makes the module once).

use core::cell::UnsafeCell;
use core::ptr::null_mut;
use core::sync::atomic::{AtomicIsize, Ordering};
use std::sync::OnceLock;

use pyrite_abi::*;

use super::native::{self, new_instance};
use crate::err::{PyErr, PyResult};
use crate::object::{Obj, PyRef, SyncPtr};
use crate::objects::argparse::{self, Kw, Sig};
use crate::objects::iterobject::{get_iter, next, self_iter};
use crate::objects::type_::{StaticTable, TypeObj};
use crate::objects::{bool_, dict, exceptions as exc, list, long, module, none, tuple, type_, unicode};
use crate::{abstract_, getter_def, method_table};

/// No character (a `None` quotechar or escapechar).
const NOT_SET: u32 = u32::MAX;
/// The end of an input line, fed to the parser after the line's characters.
const EOL: u32 = u32::MAX - 1;

const QUOTE_MINIMAL: i32 = 0;
const QUOTE_ALL: i32 = 1;
const QUOTE_NONNUMERIC: i32 = 2;
const QUOTE_NONE: i32 = 3;
const QUOTE_STRINGS: i32 = 4;
const QUOTE_NOTNULL: i32 = 5;

/// `field_size_limit()`: the longest field the reader accepts.
static FIELD_LIMIT: AtomicIsize = AtomicIsize::new(128 * 1024);
/// The `_csv.Error` class and the `_dialects` registry (immortal, made with the module).
static ERROR: OnceLock<SyncPtr<PyObject>> = OnceLock::new();
static DIALECTS: OnceLock<SyncPtr<PyObject>> = OnceLock::new();

fn error_type() -> &'static TypeObj {
    // SAFETY: set (immortal) when the module is made, before any function of it can run.
    let p = ERROR.get().map_or(exc::Exception().as_ptr(), |p| p.0);
    unsafe { TypeObj::from_ptr(p as *mut PyTypeObject) }
}

fn csv_error(msg: impl AsRef<str>) -> PyErr {
    PyErr::new(error_type(), msg)
}

fn dialects() -> &'static Obj {
    // SAFETY: set (immortal) when the module is made, before any function of it can run.
    unsafe { Obj::from_ptr(DIALECTS.get().expect("the _csv module is made first").0) }
}

fn registered(name: &Obj) -> PyResult<PyRef> {
    dict::get_item(dialects(), name)?.ok_or_else(|| csv_error("unknown dialect"))
}

// ---- Dialect --------------------------------------------------------------------------------

/// The validated parameters of a dialect.
#[derive(Clone)]
struct Dialect {
    doublequote: bool,
    skipinitialspace: bool,
    strict: bool,
    quoting: i32,
    delimiter: u32,
    quotechar: u32,
    escapechar: u32,
    lineterminator: PyRef,
    /// The code points of `lineterminator`.
    terminator: Vec<u32>,
}

native_type!(DIALECT, c"_csv.Dialect", Dialect, {
    tp_new: slot_new!(dialect_new),
    tp_getset: DIALECT_GETSET.0.get() as *mut PyGetSetDef,
    tp_methods: DIALECT_METHODS.0.get() as *mut PyMethodDef,
    tp_doc: c"CSV dialect\n\nThe Dialect type records CSV parsing and generation options.\n".as_ptr(),
});

static DIALECT_GETSET: StaticTable<PyGetSetDef, 9> = StaticTable(UnsafeCell::new([
    getter_def!(c"delimiter", d_delimiter),
    getter_def!(c"escapechar", d_escapechar),
    getter_def!(c"lineterminator", d_lineterminator),
    getter_def!(c"quotechar", d_quotechar),
    getter_def!(c"quoting", d_quoting),
    PyGetSetDef { set: Some(readonly_member), ..getter_def!(c"skipinitialspace", d_skipinitialspace) },
    PyGetSetDef { set: Some(readonly_member), ..getter_def!(c"doublequote", d_doublequote) },
    PyGetSetDef { set: Some(readonly_member), ..getter_def!(c"strict", d_strict) },
    PyGetSetDef { name: core::ptr::null(), get: None, set: None, doc: core::ptr::null(), closure: null_mut() },
]));

method_table!(static DIALECT_METHODS = [
    fast c"__reduce__" => dialect_reduce,
    fast c"__reduce_ex__" => dialect_reduce,
]);

/// The three flags are read-only members in CPython, which words the error this way.
unsafe extern "C" fn readonly_member(_o: *mut PyObject, _v: *mut PyObject, _c: *mut core::ffi::c_void) -> core::ffi::c_int {
    raise!(AttributeError, "readonly attribute").restore();
    -1
}

fn params(o: &Obj) -> PyResult<Dialect> {
    Ok(native::cell::<Dialect>(o)?.borrow().clone())
}

fn char_or_none(c: u32) -> PyRef {
    if c == NOT_SET {
        none::none_obj().new_ref()
    } else {
        unicode::from_code_points(&[c])
    }
}

fn d_delimiter(o: &Obj) -> PyResult<PyRef> {
    Ok(char_or_none(params(o)?.delimiter))
}
fn d_escapechar(o: &Obj) -> PyResult<PyRef> {
    Ok(char_or_none(params(o)?.escapechar))
}
fn d_quotechar(o: &Obj) -> PyResult<PyRef> {
    Ok(char_or_none(params(o)?.quotechar))
}
fn d_lineterminator(o: &Obj) -> PyResult<PyRef> {
    Ok(params(o)?.lineterminator)
}
fn d_quoting(o: &Obj) -> PyResult<PyRef> {
    Ok(long::from_i64(params(o)?.quoting as i64))
}
fn d_skipinitialspace(o: &Obj) -> PyResult<PyRef> {
    Ok(bool_::new(params(o)?.skipinitialspace))
}
fn d_doublequote(o: &Obj) -> PyResult<PyRef> {
    Ok(bool_::new(params(o)?.doublequote))
}
fn d_strict(o: &Obj) -> PyResult<PyRef> {
    Ok(bool_::new(params(o)?.strict))
}

/// Dialects are not picklable (protocols 0 and 1 would otherwise copy them field by field).
fn dialect_reduce(o: &Obj, _args: &[&Obj]) -> PyResult<PyRef> {
    let name = o.ob_type().name();
    let short = name.rsplit('.').next().unwrap_or(name);
    Err(raise!(TypeError, "cannot pickle '{}' instances", short))
}

const DIALECT_PARAMS: [&str; 9] =
    ["dialect", "delimiter", "doublequote", "escapechar", "lineterminator", "quotechar", "quoting", "skipinitialspace", "strict"];

/// A one-character parameter (`delimiter`).
fn char_param(name: &str, src: Option<&Obj>, default: u32) -> PyResult<u32> {
    let Some(src) = src else { return Ok(default) };
    if !unicode::check(src) {
        return Err(raise!(TypeError, "\"{}\" must be a unicode character, not {}", name, src.ob_type().name()));
    }
    if unicode::len(src) != 1 {
        return Err(raise!(TypeError, "\"{}\" must be a unicode character, not a string of length {}", name, unicode::len(src)));
    }
    Ok(unicode::char_at(src, 0))
}

/// A one-character parameter that may be None (`quotechar`, `escapechar`).
fn char_or_none_param(name: &str, src: Option<&Obj>, default: u32) -> PyResult<u32> {
    let Some(src) = src else { return Ok(default) };
    if src.is(none::none_obj()) {
        return Ok(NOT_SET);
    }
    if !unicode::check(src) {
        return Err(raise!(TypeError, "\"{}\" must be a unicode character or None, not {}", name, src.ob_type().name()));
    }
    if unicode::len(src) != 1 {
        return Err(raise!(
            TypeError,
            "\"{}\" must be a unicode character or None, not a string of length {}",
            name,
            unicode::len(src)
        ));
    }
    Ok(unicode::char_at(src, 0))
}

fn bool_param(src: Option<&Obj>, default: bool) -> PyResult<bool> {
    src.map_or(Ok(default), abstract_::is_true)
}

/// Rejects a special character that would make the output ambiguous.
fn check_char(d: &Dialect, name: &str, c: u32, allow_space: bool) -> PyResult<()> {
    if c == '\r' as u32 || c == '\n' as u32 || (c == ' ' as u32 && !allow_space) {
        return Err(raise!(ValueError, "bad {} value", name));
    }
    if d.terminator.contains(&c) {
        return Err(raise!(ValueError, "bad {} or lineterminator value", name));
    }
    Ok(())
}

fn check_distinct(name1: &str, name2: &str, c1: u32, c2: u32) -> PyResult<()> {
    if c1 == c2 && c1 != NOT_SET {
        return Err(raise!(ValueError, "bad {} or {} value", name1, name2));
    }
    Ok(())
}

/// `Dialect(dialect=None, **params)`: a base dialect (an object or a registered name) whose
/// attributes fill the parameters not given.
fn dialect_new(t: &TypeObj, args: &[&Obj], kw: Option<&Obj>) -> PyResult<PyRef> {
    let mut given: [Option<PyRef>; 9] = Default::default();
    if args.len() > DIALECT_PARAMS.len() {
        return Err(raise!(TypeError, "function takes at most {} arguments ({} given)", DIALECT_PARAMS.len(), args.len()));
    }
    for (slot, a) in given.iter_mut().zip(args) {
        *slot = Some(a.new_ref());
    }
    for (k, v) in Kw::pairs_of_dict(kw) {
        let key = unicode::as_str_lossy(&k);
        match DIALECT_PARAMS.iter().position(|p| *p == key) {
            Some(i) if given[i].is_some() => {
                return Err(raise!(TypeError, "argument for function given by name ('{}') and position ({})", key, i + 1));
            }
            Some(i) => given[i] = Some(v),
            None => return Err(raise!(TypeError, "this function got an unexpected keyword argument '{}'", key)),
        }
    }
    let [base, rest @ ..] = given;
    let mut rest = rest;
    let base = match base {
        Some(b) if unicode::check(&b) => Some(registered(&b)?),
        b => b,
    };
    if let Some(b) = &base {
        if b.is_instance_of(&DIALECT) && rest.iter().all(Option::is_none) {
            return Ok(b.clone());
        }
        for (slot, name) in rest.iter_mut().zip(&DIALECT_PARAMS[1..]) {
            if slot.is_none() {
                *slot = abstract_::lookup_attr(b, name)?;
            }
        }
    }
    let [delimiter, doublequote, escapechar, lineterminator, quotechar, quoting, skipinitialspace, strict] =
        rest.each_ref().map(|o| o.as_deref());
    let delimiter = char_param("delimiter", delimiter, ',' as u32)?;
    let doublequote_v = bool_param(doublequote, true)?;
    let escapechar = char_or_none_param("escapechar", escapechar, NOT_SET)?;
    let lineterminator = match lineterminator {
        None => unicode::new("\r\n"),
        Some(l) if unicode::check(l) => l.new_ref(),
        Some(l) => return Err(raise!(TypeError, "\"lineterminator\" must be a string, not {}", l.ob_type().name())),
    };
    let quotechar_v = char_or_none_param("quotechar", quotechar, '"' as u32)?;
    let mut quoting_v = match quoting {
        None => QUOTE_MINIMAL,
        Some(q) if q.is_exact(&long::PyLong_Type) => {
            long::to_i64(q).and_then(|v| i32::try_from(v).ok()).ok_or_else(|| raise!(OverflowError, "Python int too large to convert to C int"))?
        }
        Some(q) => return Err(raise!(TypeError, "\"quoting\" must be an integer, not {}", q.ob_type().name())),
    };
    let skipinitialspace = bool_param(skipinitialspace, false)?;
    let strict = bool_param(strict, false)?;
    if !(QUOTE_MINIMAL..=QUOTE_NOTNULL).contains(&quoting_v) {
        return Err(raise!(TypeError, "bad \"quoting\" value"));
    }
    if quotechar.is_some_and(|q| q.is(none::none_obj())) && quoting.is_none() {
        quoting_v = QUOTE_NONE;
    }
    if quoting_v != QUOTE_NONE && quotechar_v == NOT_SET {
        return Err(raise!(TypeError, "quotechar must be set if quoting enabled"));
    }
    let d = Dialect {
        doublequote: doublequote_v,
        skipinitialspace,
        strict,
        quoting: quoting_v,
        delimiter,
        quotechar: quotechar_v,
        escapechar,
        terminator: unicode::code_points(&lineterminator),
        lineterminator,
    };
    check_char(&d, "delimiter", d.delimiter, true)?;
    check_char(&d, "escapechar", d.escapechar, !d.skipinitialspace)?;
    check_char(&d, "quotechar", d.quotechar, !d.skipinitialspace)?;
    check_distinct("delimiter", "escapechar", d.delimiter, d.escapechar)?;
    check_distinct("delimiter", "quotechar", d.delimiter, d.quotechar)?;
    check_distinct("escapechar", "quotechar", d.escapechar, d.quotechar)?;
    new_instance(t, d)
}

/// `Dialect(dialect, **kw)` for `reader`, `writer` and `register_dialect`.
fn call_dialect(base: Option<&Obj>, kw: Kw) -> PyResult<PyRef> {
    let kwargs = if kw.is_empty() {
        None
    } else {
        let d = dict::new();
        for (k, v) in kw.names.iter().zip(kw.values) {
            dict::set_item(&d, k, v)?;
        }
        Some(d)
    };
    let args: Vec<&Obj> = base.into_iter().collect();
    dialect_new(&DIALECT, &args, kwargs.as_deref())
}

// ---- reader ---------------------------------------------------------------------------------

#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    StartRecord,
    StartField,
    EscapedChar,
    InField,
    InQuotedField,
    EscapeInQuotedField,
    QuoteInQuotedField,
    EatCrnl,
    AfterEscapedCrnl,
}

struct Reader {
    input: PyRef,
    dialect: PyRef,
    d: Dialect,
    fields: Vec<PyRef>,
    state: State,
    field: Vec<u32>,
    /// The current field had no quotes around it (so it may become None or a float).
    unquoted_field: bool,
    line_num: u64,
    /// The record was handed out: set when a call (maybe one the input iterator made while
    /// an outer call waited) returns it, cleared when the next call starts.
    taken: bool,
}

crate::private_static_type!(READER, c"_csv.reader", native::NATIVE_SIZE, {
    tp_flags: type_::BUILTIN_BASETYPE_FLAGS | Py_TPFLAGS_DISALLOW_INSTANTIATION,
    tp_dealloc: Some(native::dealloc::<Reader>),
    tp_alloc: Some(crate::alloc::generic_alloc),
    tp_free: Some(crate::alloc::object_free),
    tp_iter: Some(self_iter),
    tp_iternext: slot_next!(reader_next),
    tp_getset: READER_GETSET.0.get() as *mut PyGetSetDef,
    tp_doc: c"CSV reader\n\nReader objects are responsible for reading and parsing tabular data\nin CSV format.\n".as_ptr(),
});

static READER_GETSET: StaticTable<PyGetSetDef, 3> = StaticTable(UnsafeCell::new([
    getter_def!(c"dialect", reader_dialect),
    getter_def!(c"line_num", reader_line_num),
    PyGetSetDef { name: core::ptr::null(), get: None, set: None, doc: core::ptr::null(), closure: null_mut() },
]));

fn reader_dialect(o: &Obj) -> PyResult<PyRef> {
    Ok(native::cell::<Reader>(o)?.borrow().dialect.clone())
}

fn reader_line_num(o: &Obj) -> PyResult<PyRef> {
    Ok(long::from_i64(native::cell::<Reader>(o)?.borrow().line_num as i64))
}

fn is_eol_char(c: u32) -> bool {
    c == '\n' as u32 || c == '\r' as u32
}

impl Reader {
    fn reset(&mut self) {
        self.fields.clear();
        self.field.clear();
        self.state = State::StartRecord;
        self.unquoted_field = false;
        self.taken = false;
    }

    /// Ends the current field: None for an empty unquoted field under QUOTE_NOTNULL and
    /// QUOTE_STRINGS, a float for a non-empty unquoted one under QUOTE_NONNUMERIC and
    /// QUOTE_STRINGS, else the text.
    fn save_field(&mut self) -> PyResult<()> {
        let q = self.d.quoting;
        let value = if self.unquoted_field && self.field.is_empty() && (q == QUOTE_NOTNULL || q == QUOTE_STRINGS) {
            none::none_obj().new_ref()
        } else {
            let text = unicode::from_code_points(&self.field);
            self.field.clear();
            if self.unquoted_field && unicode::len(&text) != 0 && (q == QUOTE_NONNUMERIC || q == QUOTE_STRINGS) {
                crate::number::to_float(&text)?
            } else {
                text
            }
        };
        self.fields.push(value);
        Ok(())
    }

    fn add_char(&mut self, c: u32) -> PyResult<()> {
        let limit = FIELD_LIMIT.load(Ordering::Relaxed);
        if self.field.len() as isize >= limit {
            return Err(csv_error(format!("field larger than field limit ({limit})")));
        }
        self.field.push(c);
        Ok(())
    }

    /// Saves the field and ends the record at a line end (`c` is EOL) or waits for the rest
    /// of a line break.
    fn end_field_at_line_end(&mut self, c: u32) -> PyResult<()> {
        self.save_field()?;
        self.state = if c == EOL { State::StartRecord } else { State::EatCrnl };
        Ok(())
    }

    fn process(&mut self, c: u32) -> PyResult<()> {
        let quoting_on = self.d.quoting != QUOTE_NONE;
        let mut state = self.state;
        if state == State::StartRecord {
            if c == EOL {
                // An empty line is a record without fields.
                return Ok(());
            }
            if is_eol_char(c) {
                self.state = State::EatCrnl;
                return Ok(());
            }
            state = State::StartField;
            self.state = state;
        }
        if state == State::AfterEscapedCrnl {
            if c == EOL {
                return Ok(());
            }
            state = State::InField;
        }
        match state {
            State::StartRecord | State::AfterEscapedCrnl => unreachable!("handled above"),
            State::StartField => {
                self.unquoted_field = true;
                if is_eol_char(c) || c == EOL {
                    self.end_field_at_line_end(c)?;
                } else if c == self.d.quotechar && quoting_on {
                    self.unquoted_field = false;
                    self.state = State::InQuotedField;
                } else if c == self.d.escapechar {
                    self.state = State::EscapedChar;
                } else if c == ' ' as u32 && self.d.skipinitialspace {
                    // Spaces after a delimiter are skipped.
                } else if c == self.d.delimiter {
                    self.save_field()?;
                } else {
                    self.add_char(c)?;
                    self.state = State::InField;
                }
            }
            State::EscapedChar => {
                if is_eol_char(c) {
                    self.add_char(c)?;
                    self.state = State::AfterEscapedCrnl;
                } else {
                    self.add_char(if c == EOL { '\n' as u32 } else { c })?;
                    self.state = State::InField;
                }
            }
            State::InField => {
                if is_eol_char(c) || c == EOL {
                    self.end_field_at_line_end(c)?;
                } else if c == self.d.escapechar {
                    self.state = State::EscapedChar;
                } else if c == self.d.delimiter {
                    self.save_field()?;
                    self.state = State::StartField;
                } else {
                    self.add_char(c)?;
                    self.state = State::InField;
                }
            }
            State::InQuotedField => {
                if c == EOL {
                    // The field goes on on the next line.
                } else if c == self.d.escapechar {
                    self.state = State::EscapeInQuotedField;
                } else if c == self.d.quotechar && quoting_on {
                    self.state = if self.d.doublequote { State::QuoteInQuotedField } else { State::InField };
                } else {
                    self.add_char(c)?;
                }
            }
            State::EscapeInQuotedField => {
                self.add_char(if c == EOL { '\n' as u32 } else { c })?;
                self.state = State::InQuotedField;
            }
            State::QuoteInQuotedField => {
                if quoting_on && c == self.d.quotechar {
                    // A doubled quote stands for one.
                    self.add_char(c)?;
                    self.state = State::InQuotedField;
                } else if c == self.d.delimiter {
                    self.save_field()?;
                    self.state = State::StartField;
                } else if is_eol_char(c) || c == EOL {
                    self.end_field_at_line_end(c)?;
                } else if !self.d.strict {
                    self.add_char(c)?;
                    self.state = State::InField;
                } else {
                    let ch = |c: u32| char::from_u32(c).unwrap_or('\u{fffd}');
                    return Err(csv_error(format!("'{}' expected after '{}'", ch(self.d.delimiter), ch(self.d.quotechar))));
                }
            }
            State::EatCrnl => {
                if is_eol_char(c) {
                } else if c == EOL {
                    self.state = State::StartRecord;
                } else {
                    return Err(csv_error(
                        "new-line character seen in unquoted field - do you need to open the file with newline=''?",
                    ));
                }
            }
        }
        Ok(())
    }
}

/// The next record: input lines are parsed until one ends outside a quoted field.
fn reader_next(o: &Obj) -> PyResult<Option<PyRef>> {
    let cell = native::cell::<Reader>(o)?;
    let busy = || raise!(RuntimeError, "cannot re-enter the '{}' object", o.ob_type().name());
    let input = {
        let mut r = cell.try_borrow_mut().map_err(|_| busy())?;
        r.reset();
        r.input.clone()
    };
    loop {
        // No borrow is held while the input iterator runs Python code.
        let line = next(&input)?;
        let mut r = cell.try_borrow_mut().map_err(|_| busy())?;
        if r.taken {
            return Err(csv_error("iterator has already advanced the reader"));
        }
        let Some(line) = line else {
            if !r.field.is_empty() || r.state == State::InQuotedField {
                if r.d.strict {
                    return Err(csv_error("unexpected end of data"));
                }
                r.save_field()?;
                break;
            }
            return Ok(None);
        };
        if !unicode::check(&line) {
            return Err(csv_error(format!(
                "iterator should return strings, not {} (the file should be opened in text mode)",
                line.ob_type().name()
            )));
        }
        r.line_num += 1;
        for c in unicode::chars(&line) {
            r.process(c)?;
        }
        r.process(EOL)?;
        if r.state == State::StartRecord {
            break;
        }
    }
    let mut r = cell.try_borrow_mut().map_err(|_| busy())?;
    let fields = core::mem::take(&mut r.fields);
    r.taken = true;
    let refs: Vec<&Obj> = fields.iter().map(|f| &**f).collect();
    Ok(Some(list::new_from(&refs)))
}

/// `reader(iterable, dialect='excel', **fmtparams)`.
fn csv_reader(_m: &Obj, args: &[&Obj], kw: Kw) -> PyResult<PyRef> {
    argparse::check_positional("reader", args.len(), 1, 2)?;
    let input = get_iter(args[0])?;
    let dialect = call_dialect(args.get(1).copied(), kw)?;
    let d = params(&dialect)?;
    new_instance(
        &READER,
        Reader {
            input,
            dialect,
            d,
            fields: Vec::new(),
            state: State::StartRecord,
            field: Vec::new(),
            unquoted_field: false,
            line_num: 0,
            taken: false,
        },
    )
}

// ---- writer ---------------------------------------------------------------------------------

struct Writer {
    write: PyRef,
    dialect: PyRef,
    d: Dialect,
}

crate::private_static_type!(WRITER, c"_csv.writer", native::NATIVE_SIZE, {
    tp_flags: type_::BUILTIN_BASETYPE_FLAGS | Py_TPFLAGS_DISALLOW_INSTANTIATION,
    tp_dealloc: Some(native::dealloc::<Writer>),
    tp_alloc: Some(crate::alloc::generic_alloc),
    tp_free: Some(crate::alloc::object_free),
    tp_methods: WRITER_METHODS.0.get() as *mut PyMethodDef,
    tp_getset: WRITER_GETSET.0.get() as *mut PyGetSetDef,
    tp_doc: c"CSV writer\n\nWriter objects are responsible for generating tabular data\nin CSV format from sequence input.\n".as_ptr(),
});

method_table!(static WRITER_METHODS = [
    o c"writerow" => writer_writerow,
    o c"writerows" => writer_writerows,
]);

static WRITER_GETSET: StaticTable<PyGetSetDef, 2> = StaticTable(UnsafeCell::new([
    getter_def!(c"dialect", writer_dialect),
    PyGetSetDef { name: core::ptr::null(), get: None, set: None, doc: core::ptr::null(), closure: null_mut() },
]));

fn writer_dialect(o: &Obj) -> PyResult<PyRef> {
    Ok(native::cell::<Writer>(o)?.borrow().dialect.clone())
}

/// One record being joined.
struct Record<'a> {
    d: &'a Dialect,
    out: Vec<u32>,
    fields: usize,
}

impl Record<'_> {
    /// Appends a field (`None` for a None value), quoting it when asked or when its content
    /// needs it, escaping what cannot be quoted.
    fn append(&mut self, field: Option<&[u32]>, mut quoted: bool) -> PyResult<()> {
        let d = self.d;
        let text = field.unwrap_or(&[]);
        if text.is_empty() && d.delimiter == ' ' as u32 && d.skipinitialspace {
            if d.quoting == QUOTE_NONE || (field.is_none() && (d.quoting == QUOTE_STRINGS || d.quoting == QUOTE_NOTNULL)) {
                return Err(csv_error("empty field must be quoted if delimiter is a space and skipinitialspace is true"));
            }
            quoted = true;
        }
        let mut body = Vec::with_capacity(text.len());
        for &c in text {
            let special = c == d.delimiter
                || c == d.escapechar
                || c == d.quotechar
                || is_eol_char(c)
                || d.terminator.contains(&c);
            if special {
                let mut escape = false;
                if d.quoting == QUOTE_NONE {
                    escape = true;
                } else {
                    if c == d.quotechar {
                        if d.doublequote {
                            body.push(d.quotechar);
                        } else {
                            escape = true;
                        }
                    } else if c == d.escapechar {
                        escape = true;
                    }
                    if !escape {
                        quoted = true;
                    }
                }
                if escape {
                    if d.escapechar == NOT_SET {
                        return Err(csv_error("need to escape, but no escapechar set"));
                    }
                    body.push(d.escapechar);
                }
            }
            body.push(c);
        }
        if self.fields > 0 {
            self.out.push(d.delimiter);
        }
        if quoted {
            self.out.push(d.quotechar);
        }
        self.out.extend_from_slice(&body);
        if quoted {
            self.out.push(d.quotechar);
        }
        self.fields += 1;
        Ok(())
    }
}

/// PyNumber_Check: what QUOTE_NONNUMERIC leaves unquoted.
fn number_check(o: &Obj) -> bool {
    // SAFETY: reading the number suite of a live type.
    let nb = unsafe { o.ob_type().slots().tp_as_number.as_ref() };
    nb.is_some_and(|nb| nb.nb_index.is_some() || nb.nb_int.is_some() || nb.nb_float.is_some())
        || crate::objects::complex::check(o)
}

/// `writerow(row)`: joins the fields (non-strings through `str`) and writes the record.
fn writer_writerow(o: &Obj, row: &Obj) -> PyResult<PyRef> {
    let (write, d) = {
        let w = native::cell::<Writer>(o)?.borrow();
        (w.write.clone(), w.d.clone())
    };
    let it = get_iter(row).map_err(|e| {
        if e.is_instance(exc::TypeError()) {
            csv_error(format!("iterable expected, not {}", row.ob_type().name()))
        } else {
            e
        }
    })?;
    let mut rec = Record { d: &d, out: Vec::new(), fields: 0 };
    let mut null_field = false;
    while let Some(field) = next(&it)? {
        let quoted = match d.quoting {
            QUOTE_NONNUMERIC => !number_check(&field),
            QUOTE_ALL => true,
            QUOTE_STRINGS => unicode::check(&field),
            QUOTE_NOTNULL => !field.is(none::none_obj()),
            _ => false,
        };
        null_field = field.is(none::none_obj());
        if null_field {
            rec.append(None, quoted)?;
        } else {
            let text = if unicode::check(&field) { field } else { abstract_::str(&field)? };
            rec.append(Some(&unicode::code_points(&text)), quoted)?;
        }
    }
    if rec.fields > 0 && rec.out.is_empty() {
        // A lone empty field must be quoted, or the record would read back as no fields.
        if d.quoting == QUOTE_NONE || (null_field && (d.quoting == QUOTE_STRINGS || d.quoting == QUOTE_NOTNULL)) {
            return Err(csv_error("single empty field record must be quoted"));
        }
        rec.fields -= 1;
        rec.append(None, true)?;
    }
    rec.out.extend_from_slice(&d.terminator);
    let line = unicode::from_code_points(&rec.out);
    abstract_::call_one_arg(&write, &line)
}

/// `writerows(rows)`: `writerow` for each row.
fn writer_writerows(o: &Obj, rows: &Obj) -> PyResult<PyRef> {
    let it = get_iter(rows)?;
    while let Some(row) = next(&it)? {
        writer_writerow(o, &row)?;
    }
    Ok(none::none_obj().new_ref())
}

/// `writer(fileobj, dialect='excel', **fmtparams)`.
fn csv_writer(_m: &Obj, args: &[&Obj], kw: Kw) -> PyResult<PyRef> {
    argparse::check_positional("writer", args.len(), 1, 2)?;
    let write = abstract_::lookup_attr(args[0], "write")?;
    let Some(write) = write.filter(|w| w.ob_type().slots().tp_call.is_some()) else {
        return Err(raise!(TypeError, "argument 1 must have a \"write\" method"));
    };
    let dialect = call_dialect(args.get(1).copied(), kw)?;
    let d = params(&dialect)?;
    new_instance(&WRITER, Writer { write, dialect, d })
}

// ---- registry and limit ---------------------------------------------------------------------

/// `register_dialect(name, dialect=None, **fmtparams)`.
fn register_dialect(_m: &Obj, args: &[&Obj], kw: Kw) -> PyResult<PyRef> {
    argparse::check_positional("register_dialect", args.len(), 1, 2)?;
    if !unicode::check(args[0]) {
        return Err(raise!(TypeError, "dialect name must be a string"));
    }
    let dialect = call_dialect(args.get(1).copied(), kw)?;
    dict::set_item(dialects(), args[0], &dialect)?;
    Ok(none::none_obj().new_ref())
}

/// The one `name` argument of `get_dialect` and `unregister_dialect`.
fn one_name<'a>(fname: &'static str, args: &[&'a Obj], kw: Kw<'a>) -> PyResult<&'a Obj> {
    let sig = Sig { name: fname, params: &["name"], posonly: 0, maxpos: 1, required: 1 };
    let [name] = argparse::parse::<1>(&sig, args, kw)?;
    Ok(name.expect("required"))
}

/// `unregister_dialect(name)`.
fn unregister_dialect(_m: &Obj, args: &[&Obj], kw: Kw) -> PyResult<PyRef> {
    let name = one_name("unregister_dialect", args, kw)?;
    match dict::pop(dialects(), name)? {
        Some(_) => Ok(none::none_obj().new_ref()),
        None => Err(csv_error("unknown dialect")),
    }
}

/// `get_dialect(name)`.
fn get_dialect(_m: &Obj, args: &[&Obj], kw: Kw) -> PyResult<PyRef> {
    let name = one_name("get_dialect", args, kw)?;
    registered(name)
}

/// `list_dialects()`.
fn list_dialects(_m: &Obj) -> PyResult<PyRef> {
    let keys: Vec<PyRef> = dict::items_vec(dialects()).into_iter().map(|(k, _)| k).collect();
    let refs: Vec<&Obj> = keys.iter().map(|k| &**k).collect();
    Ok(list::new_from(&refs))
}

/// `field_size_limit(new_limit=<unchanged>)`: the previous limit.
fn field_size_limit(_m: &Obj, args: &[&Obj], kw: Kw) -> PyResult<PyRef> {
    let sig = Sig { name: "field_size_limit", params: &["new_limit"], posonly: 0, maxpos: 1, required: 0 };
    let [new] = argparse::parse::<1>(&sig, args, kw)?;
    let old = FIELD_LIMIT.load(Ordering::Relaxed);
    if let Some(new) = new {
        if !new.is_exact(&long::PyLong_Type) {
            return Err(raise!(TypeError, "limit must be an integer"));
        }
        let v = long::to_i64(new).ok_or_else(|| raise!(OverflowError, "Python int too large to convert to C ssize_t"))?;
        FIELD_LIMIT.store(v as isize, Ordering::Relaxed);
    }
    Ok(long::from_i64(old as i64))
}

method_table!(static CSV_METHODS = [
    kw c"reader" => csv_reader,
    kw c"writer" => csv_writer,
    kw c"register_dialect" => register_dialect,
    kw c"unregister_dialect" => unregister_dialect,
    kw c"get_dialect" => get_dialect,
    noargs c"list_dialects" => list_dialects,
    kw c"field_size_limit" => field_size_limit,
]);

pub fn create() -> PyResult<PyRef> {
    if ERROR.get().is_none() {
        let ns = dict::new();
        dict::set_item_str(&ns, "__module__", &unicode::new("_csv"))?;
        let bases = tuple::new_from(&[exc::Exception()]);
        let t = abstract_::call(&type_::PyType_Type, &tuple::new_from(&[&*unicode::new("Error"), &*bases, &*ns]), None)?;
        let _ = ERROR.set(SyncPtr(crate::object::make_immortal(t)));
    }
    if DIALECTS.get().is_none() {
        let _ = DIALECTS.set(SyncPtr(crate::object::make_immortal(dict::new())));
    }
    let m = native::new_module("_csv", CSV_METHODS.0.get() as *mut PyMethodDef)?;
    let d = module::dict_of(&m);
    dict::set_item_str(d, "__doc__", &unicode::new("CSV parsing and writing.\n"))?;
    for (name, t) in [("Dialect", &DIALECT), ("Reader", &READER), ("Writer", &WRITER)] {
        type_::ready(t)?;
        crate::objects::slotdefs::add_wrappers(t)?;
        dict::set_item_str(d, name, t)?;
    }
    dict::set_item_str(d, "_dialects", dialects())?;
    super::add_ints(
        &m,
        &[
            ("QUOTE_MINIMAL", QUOTE_MINIMAL as i64),
            ("QUOTE_ALL", QUOTE_ALL as i64),
            ("QUOTE_NONNUMERIC", QUOTE_NONNUMERIC as i64),
            ("QUOTE_NONE", QUOTE_NONE as i64),
            ("QUOTE_STRINGS", QUOTE_STRINGS as i64),
            ("QUOTE_NOTNULL", QUOTE_NOTNULL as i64),
        ],
    )?;
    dict::set_item_str(d, "Error", error_type())?;
    Ok(m)
}
