//! Traceback objects (`PyTraceBack_Type`) and printing exceptions the way CPython prints them.
//!
//! A traceback entry records the code object and position directly, and the frame object
//! of the frame the exception passed through (made then, as CPython materializes frames for
//! tracebacks); entries C code adds without a frame have `tb_frame` None.

use core::ffi::{c_int, c_void};
use std::io::Write;

use pyrite_abi::*;

use crate::object::{Obj, PyRef};
use crate::objects::code;
use crate::objects::exceptions as exc;
use crate::objects::type_::{TypeObj, BUILTIN_FLAGS};
use crate::objects::{none, unicode};
use crate::slot::opt_arg;
use crate::static_type;

#[repr(C)]
pub struct TracebackObject {
    pub ob_base: PyObject,
    pub tb_next: *mut PyObject,
    pub tb_frame: *mut PyObject,
    pub tb_lasti: c_int,
    pub tb_lineno: c_int,
    /// Pyrite: the code object of the frame (frame objects are created only on demand).
    pub tb_code: *mut PyObject,
}

static_type!(PyTraceBack_Type, c"traceback", core::mem::size_of::<TracebackObject>(), {
    tp_flags: BUILTIN_FLAGS | Py_TPFLAGS_HAVE_GC,
    tp_dealloc: Some(tb_dealloc),
    tp_traverse: Some(tb_traverse),
    tp_clear: Some(tb_clear),
    tp_free: Some(crate::alloc::gc_del),
    tp_members: TB_MEMBERS.0.get() as *mut PyMemberDef,
    tp_getset: TB_GETSET.0.get() as *mut PyGetSetDef,
});

static TB_GETSET: crate::objects::type_::StaticTable<PyGetSetDef, 2> = crate::objects::type_::StaticTable(core::cell::UnsafeCell::new([
    PyGetSetDef { name: c"tb_next".as_ptr(), get: Some(tb_next_get), set: Some(tb_next_set), doc: core::ptr::null(), closure: core::ptr::null_mut() },
    PyGetSetDef { name: core::ptr::null(), get: None, set: None, doc: core::ptr::null(), closure: core::ptr::null_mut() },
]));

unsafe extern "C" fn tb_next_get(o: *mut PyObject, _: *mut c_void) -> *mut PyObject {
    // SAFETY: a live traceback.
    let next = unsafe { (*(o as *mut TracebackObject)).tb_next };
    match unsafe { opt_arg(next) } {
        Some(n) => n.new_ref().into_raw(),
        None => none::none().into_raw(),
    }
}

/// `tb.tb_next = value`: another traceback (that does not lead back here) or None.
unsafe extern "C" fn tb_next_set(o: *mut PyObject, v: *mut PyObject, _: *mut c_void) -> c_int {
    let r = (|| -> crate::err::PyResult<()> {
        // SAFETY: setter contract: `o` is a live traceback, `v` NULL (delete) or live.
        let Some(v) = (unsafe { opt_arg(v) }) else {
            return Err(raise!(TypeError, "can't delete tb_next attribute"));
        };
        let new = if v.is(none::none_obj()) {
            None
        } else if v.ob_type().is(&PyTraceBack_Type) {
            Some(v)
        } else {
            return Err(raise!(TypeError, "expected traceback object or None, got '{}'", v.ob_type().name()));
        };
        let mut cur = new.map(|n| n.as_ptr());
        while let Some(p) = cur {
            if p == o {
                return Err(raise!(ValueError, "traceback loop detected"));
            }
            // SAFETY: p is a live traceback in the chain.
            cur = unsafe { opt_arg((*(p as *mut TracebackObject)).tb_next) }.map(|n| n.as_ptr());
        }
        // SAFETY: replacing the owned next pointer of a live traceback.
        unsafe {
            let t = o as *mut TracebackObject;
            let old = core::mem::replace(&mut (*t).tb_next, new.map_or(core::ptr::null_mut(), |n| n.new_ref().into_raw()));
            crate::object::xdecref(old);
        }
        Ok(())
    })();
    crate::slot::ret_int(r.map(|()| 0))
}

const fn member(name: &'static core::ffi::CStr, type_code: c_int, offset: usize) -> PyMemberDef {
    PyMemberDef { name: name.as_ptr(), type_code, offset: offset as isize, flags: Py_READONLY, doc: core::ptr::null() }
}

static TB_MEMBERS: crate::objects::type_::StaticTable<PyMemberDef, 4> = crate::objects::type_::StaticTable(core::cell::UnsafeCell::new([
    member(c"tb_frame", _Py_T_OBJECT, core::mem::offset_of!(TracebackObject, tb_frame)),
    member(c"tb_lasti", Py_T_INT, core::mem::offset_of!(TracebackObject, tb_lasti)),
    member(c"tb_lineno", Py_T_INT, core::mem::offset_of!(TracebackObject, tb_lineno)),
    PyMemberDef { name: core::ptr::null(), type_code: 0, offset: 0, flags: 0, doc: core::ptr::null() },
]));

pub fn types() -> [&'static TypeObj; 1] {
    [&PyTraceBack_Type]
}

unsafe extern "C" fn tb_dealloc(o: *mut PyObject) {
    // SAFETY: a dead traceback.
    unsafe {
        let t = o as *mut TracebackObject;
        crate::object::xdecref((*t).tb_next);
        crate::object::xdecref((*t).tb_frame);
        crate::object::xdecref((*t).tb_code);
        crate::alloc::gc_del(o as *mut c_void);
    }
}

/// Prepends an entry for (`code`, `lasti`, `lineno`) to the exception's traceback, as
/// `PyTraceBack_Here` does when an exception passes through a frame.
pub fn add_entry(e: &Obj, code_obj: &Obj, lasti: usize, lineno: u32) {
    add_frame_entry(e, None, code_obj, lasti, lineno);
}

/// [`add_entry`] with the frame object of the frame the exception passes through (its
/// `tb_frame`, which `traceback` reads for `f_code`, `f_globals` and `f_locals`).
pub fn add_frame_entry(e: &Obj, frame: Option<&Obj>, code_obj: &Obj, lasti: usize, lineno: u32) {
    let next = exc::traceback(e).map(Obj::new_ref);
    // SAFETY: PyTraceBack_Type is a live static type.
    let tb = unsafe {
        let op = crate::alloc::alloc_object(PyTraceBack_Type.raw(), core::mem::size_of::<TracebackObject>(), true);
        assert!(!op.is_null(), "out of memory allocating a traceback");
        let t = op as *mut TracebackObject;
        (*t).tb_next = next.map_or(core::ptr::null_mut(), PyRef::into_raw);
        (*t).tb_lasti = (lasti * 2) as c_int;
        (*t).tb_lineno = lineno as c_int;
        (*t).tb_code = code_obj.new_ref().into_raw();
        (*t).tb_frame = frame.map_or(core::ptr::null_mut(), |f| f.new_ref().into_raw());
        PyRef::from_raw(op)
    };
    exc::set_traceback(e, Some(&tb));
}

/// The entries of a traceback chain: (filename, line, function name).
fn entries(tb: &Obj) -> Vec<(String, u32, String)> {
    let mut out = Vec::new();
    let mut cur = Some(tb.new_ref());
    while let Some(t) = cur {
        // SAFETY: t is a traceback.
        unsafe {
            let r = t.as_ptr() as *mut TracebackObject;
            if let Some(c) = opt_arg((*r).tb_code) {
                let d = code::data(c);
                out.push((
                    unicode::as_str_lossy(&d.filename).into_owned(),
                    (*r).tb_lineno as u32,
                    unicode::as_str_lossy(&d.name).into_owned(),
                ));
            }
            cur = opt_arg((*r).tb_next).map(Obj::new_ref);
        }
    }
    out
}

/// Line `lineno` of `filename`, stripped, if the file can be read.
fn source_line(filename: &str, lineno: u32) -> Option<String> {
    let text = std::fs::read_to_string(filename).ok()?;
    text.lines().nth(lineno.checked_sub(1)? as usize).map(|l| l.trim().to_string())
}

/// `Type: message` (or just `Type`), with the module prefix CPython prints for non-builtins.
fn exception_line(e: &Obj) -> String {
    let name = crate::objects::type_::qualified_name(e.ob_type());
    let s = crate::abstract_::str(e).map(|s| unicode::as_str_lossy(&s).into_owned());
    match s {
        Ok(s) if s.is_empty() => name,
        Ok(s) => format!("{name}: {s}"),
        Err(_) => format!("{name}: <exception str() failed>"),
    }
}

/// Formats an exception with its traceback and its chain (`__cause__`, `__context__`) as
/// `traceback.print_exception` does, exception groups in their boxes.
pub fn format_exception(e: &Obj) -> String {
    let mut out = String::new();
    format_chain(e, &mut out, &mut Vec::new(), &mut PrintCtx { depth: 0, need_close: false });
    out
}

/// Groups nested deeper than this print as `... (max_group_depth is 10)`.
const MAX_GROUP_DEPTH: usize = 10;
/// Groups print at most this many of their exceptions.
const MAX_GROUP_WIDTH: usize = 15;

/// `traceback._ExceptionPrintContext`: how deep in exception groups the printing is.
struct PrintCtx {
    depth: usize,
    need_close: bool,
}

impl PrintCtx {
    fn indent(&self) -> String {
        " ".repeat(2 * self.depth)
    }

    /// Appends `text` with every line (empty ones too) prefixed by the group margin.
    fn emit(&self, out: &mut String, text: &str, margin: char) {
        let mut prefix = self.indent();
        if self.depth > 0 {
            prefix.push(margin);
            prefix.push(' ');
        }
        for line in text.split_inclusive('\n') {
            out.push_str(&prefix);
            out.push_str(line);
        }
    }
}

fn format_chain(e: &Obj, out: &mut String, seen: &mut Vec<*mut PyObject>, ctx: &mut PrintCtx) {
    seen.push(e.as_ptr());
    if let Some(c) = exc::cause(e).filter(|c| !c.is(none::none_obj())) {
        if !seen.contains(&c.as_ptr()) {
            format_chain(c, out, seen, ctx);
            ctx.emit(out, "\nThe above exception was the direct cause of the following exception:\n\n", '|');
        }
    } else if let Some(c) = exc::context(e) {
        // SAFETY: e is an exception.
        let suppress = unsafe { (*(e.as_ptr() as *mut exc::BaseExceptionObject)).suppress_context } != 0;
        if !suppress && !seen.contains(&c.as_ptr()) {
            format_chain(c, out, seen, ctx);
            ctx.emit(out, "\nDuring handling of the above exception, another exception occurred:\n\n", '|');
        }
    }
    if !exc::is_group(e) {
        if let Some(tb) = exc::traceback(e) {
            ctx.emit(out, "Traceback (most recent call last):\n", '|');
            ctx.emit(out, &format_entries(tb), '|');
        }
        ctx.emit(out, &format_exception_only(e), '|');
        return;
    }
    if ctx.depth > MAX_GROUP_DEPTH {
        ctx.emit(out, &format!("... (max_group_depth is {MAX_GROUP_DEPTH})\n"), '|');
        return;
    }
    let toplevel = ctx.depth == 0;
    if toplevel {
        ctx.depth += 1;
    }
    if let Some(tb) = exc::traceback(e) {
        ctx.emit(out, "Exception Group Traceback (most recent call last):\n", if toplevel { '+' } else { '|' });
        ctx.emit(out, &format_entries(tb), '|');
    }
    ctx.emit(out, &format_exception_only(e), '|');
    let excs = crate::objects::tuple::items(exc::group_exceptions(e));
    let n = excs.len().min(MAX_GROUP_WIDTH + 1);
    ctx.need_close = false;
    for i in 0..n {
        let last = i == n - 1;
        if last {
            // The closing line may be written by a nested group instead.
            ctx.need_close = true;
        }
        let truncated = i >= MAX_GROUP_WIDTH;
        let title = if truncated { "...".to_string() } else { (i + 1).to_string() };
        out.push_str(&format!("{}{}+---------------- {title} ----------------\n", ctx.indent(), if i == 0 { "+-" } else { "  " }));
        ctx.depth += 1;
        if truncated {
            let remaining = excs.len() - MAX_GROUP_WIDTH;
            ctx.emit(out, &format!("and {remaining} more exception{}\n", if remaining > 1 { "s" } else { "" }), '|');
        } else {
            format_chain(excs[i], out, seen, ctx);
        }
        if last && ctx.need_close {
            out.push_str(&format!("{}+------------------------------------\n", ctx.indent()));
            ctx.need_close = false;
        }
        ctx.depth -= 1;
    }
    if toplevel {
        ctx.depth = 0;
    }
}

/// The `File ..., line N, in f` lines (with the source line) of a traceback.
pub fn format_entries(tb: &Obj) -> String {
    let mut out = String::new();
    for (file, line, func) in entries(tb) {
        out.push_str(&format!("  File \"{file}\", line {line}, in {func}\n"));
        if let Some(src) = source_line(&file, line) {
            if !src.is_empty() {
                out.push_str(&format!("    {src}\n"));
            }
        }
    }
    out
}

/// `Type: message` and the exception's notes (`__notes__`), one line each.
fn format_exception_only(e: &Obj) -> String {
    let mut out = String::new();
    if e.is_instance_of(exc::SyntaxError()) {
        format_syntax_error(e, &mut out);
    } else {
        out.push_str(&exception_line(e));
        out.push('\n');
    }
    if let Ok(notes) = crate::abstract_::getattr_str(e, "__notes__") {
        let as_text = |o: &Obj, what: &str| match crate::abstract_::str(o) {
            Ok(s) => unicode::as_str_lossy(&s).into_owned(),
            Err(_) => format!("<{what} str() failed>"),
        };
        if let Some(items) = crate::objects::tuple::as_slice_if_tuple(&notes) {
            for n in items {
                for l in as_text(n, "note").split('\n') {
                    out.push_str(l);
                    out.push('\n');
                }
            }
        } else if crate::objects::list::check(&notes) {
            for n in crate::objects::list::to_vec(&notes) {
                for l in as_text(&n, "note").split('\n') {
                    out.push_str(l);
                    out.push('\n');
                }
            }
        } else if !notes.is(none::none_obj()) {
            match crate::abstract_::repr(&notes) {
                Ok(r) => out.push_str(&unicode::as_str_lossy(&r)),
                Err(_) => out.push_str("<__notes__ repr() failed>"),
            }
            out.push('\n');
        }
    }
    out
}

/// CPython's layout for syntax errors: the location, the line, a caret range, then
/// `SyntaxError: msg` (without the "(file, line N)" suffix of `str()`).
fn format_syntax_error(e: &Obj, out: &mut String) {
    let get = |n: &str| crate::abstract_::getattr_str(e, n).ok().filter(|v| !v.is(none::none_obj()));
    let file = get("filename").map(|f| unicode::as_str_lossy(&f).into_owned()).unwrap_or_else(|| "<string>".into());
    let line = get("lineno").and_then(|l| crate::objects::long::to_i64(&l));
    match line {
        Some(l) => out.push_str(&format!("  File \"{file}\", line {l}\n")),
        None => out.push_str(&format!("  File \"{file}\"\n")),
    }
    if let Some(text) = get("text").filter(|t| unicode::check(t)) {
        let text = unicode::as_str_lossy(&text).into_owned();
        let trimmed = text.trim_start();
        let indent = text.chars().count() - trimmed.chars().count();
        let shown = trimmed.trim_end();
        out.push_str(&format!("    {shown}\n"));
        // The caret line only for an offset inside (or just past) the shown text, as
        // `traceback` does for a column before it; offsets are whatever the exception holds.
        let len = shown.chars().count() as i64;
        if let Some(off) = get("offset").and_then(|o| crate::objects::long::to_i64(&o))
            && let Some(start) = off.checked_sub(1 + indent as i64).filter(|&c| c >= 0)
        {
            let start = start.min(len);
            let end = get("end_offset").and_then(|o| crate::objects::long::to_i64(&o)).filter(|&x| x > off).unwrap_or(off.saturating_add(1));
            let width = end.saturating_sub(off).max(1).min((len - start).max(1));
            out.push_str(&format!("    {}{}\n", " ".repeat(start as usize), "^".repeat(width as usize)));
        }
    }
    let name = crate::objects::type_::qualified_name(e.ob_type());
    let msg = get("msg").map(|m| unicode::as_str_lossy(&m).into_owned()).unwrap_or_default();
    out.push_str(&format!("{name}: {msg}\n"));
}

/// Reports an exception that cannot be raised (in a finalizer, a callback) with the message
/// `what` (CPython's `PyErr_FormatUnraisable`): through `sys.unraisablehook`.
pub fn write_unraisable(what: &str, e: &crate::err::PyErr) {
    report_unraisable(e, Some(what), None);
}

/// `sys.UnraisableHookArgs`, what `sys.unraisablehook` receives.
pub fn unraisable_hook_args_type() -> crate::err::PyResult<&'static TypeObj> {
    static T: std::sync::OnceLock<crate::object::SyncPtr<PyObject>> = std::sync::OnceLock::new();
    crate::objects::structseq::runtime_type(
        &T,
        c"UnraisableHookArgs",
        c"UnraisableHookArgs\n\nType used to pass arguments to sys.unraisablehook.",
        &[c"exc_type", c"exc_value", c"exc_traceback", c"err_msg", c"object"],
    )
}

/// Hands an unraisable exception to `sys.unraisablehook` as CPython does: with its type,
/// value and traceback, `err_msg` (None: "Exception ignored in") and the object it concerns.
/// Without a hook (or with None) the default one writes it; when the hook itself raises, the
/// default one reports that failure. The current exception is kept.
pub fn report_unraisable(e: &crate::err::PyErr, err_msg: Option<&str>, object: Option<&Obj>) {
    let saved = crate::err::PyErr::take();
    let value = e.value();
    let tb = crate::abstract_::getattr_str(value, "__traceback__").unwrap_or_else(|_| {
        drop(crate::err::PyErr::take());
        none::none()
    });
    let msg = err_msg.map_or_else(none::none, unicode::new);
    let object_arg = object.map_or_else(none::none, |o| o.new_ref());
    let hook = crate::sys::get("unraisablehook").filter(|h| !h.is(none::none_obj()));
    let args = unraisable_hook_args_type()
        .and_then(|t| crate::objects::structseq::filled(t, vec![value.ob_type().new_ref(), value.new_ref(), tb, msg, object_arg]));
    match (hook, args) {
        (Some(hook), Ok(args)) => {
            if let Err(failure) = crate::abstract_::call_one_arg(&hook, &args) {
                write_unraisable_default(&failure, Some("Exception ignored in sys.unraisablehook"), Some(&hook));
            }
        }
        _ => {
            drop(crate::err::PyErr::take());
            write_unraisable_default(e, err_msg, object);
        }
    }
    if let Some(s) = saved {
        s.restore();
    }
}

/// CPython's default `sys.unraisablehook`, to `sys.stderr`: "`err_msg`: repr(object)" (the
/// message defaulting to "Exception ignored in"), or "`err_msg`:" alone, then the exception.
fn write_unraisable_default(e: &crate::err::PyErr, err_msg: Option<&str>, object: Option<&Obj>) {
    let mut text = String::new();
    if let Some(o) = object {
        let r = crate::abstract_::repr(o).map(|s| unicode::as_str_lossy(&s).into_owned()).unwrap_or_else(|_| {
            drop(crate::err::PyErr::take());
            "<object repr() failed>".into()
        });
        text.push_str(&format!("{}: {r}\n", err_msg.unwrap_or("Exception ignored in")));
    } else if let Some(m) = err_msg {
        text.push_str(&format!("{m}:\n"));
    }
    text.push_str(&format_exception(e.value()));
    write_stderr(&text);
}

/// `sys.unraisablehook(unraisable)` (also `sys.__unraisablehook__`): the default hook.
pub fn sys_unraisablehook(_m: &Obj, args: &Obj) -> crate::err::PyResult<PyRef> {
    let t = unraisable_hook_args_type()?;
    if !args.ob_type().is(t) {
        return Err(crate::raise!(TypeError, "sys.unraisablehook argument type must be UnraisableHookArgs"));
    }
    let field = |name: &str| crate::abstract_::getattr_str(args, name);
    let value = field("exc_value")?;
    let msg = field("err_msg")?;
    let object = field("object")?;
    let msg = if unicode::check(&msg) { Some(unicode::as_str_lossy(&msg).into_owned()) } else { None };
    if value.is(none::none_obj()) {
        return Ok(none::none());
    }
    let e = crate::err::PyErr::from_value(value);
    write_unraisable_default(&e, msg.as_deref(), (!object.is(none::none_obj())).then_some(&*object));
    Ok(none::none())
}

/// Writes an exception to stderr (`sys.excepthook`'s default).
pub fn print_exception(e: &Obj) {
    let text = format_exception(e);
    write_stderr(&text);
}

/// Writes `text` to `sys.stderr` and flushes it, as CPython's `PyErr_Display` does: nothing
/// when `sys.stderr` is None, the process's stderr when it is missing or its `write` fails.
/// The current exception is kept.
pub fn write_stderr(text: &str) {
    crate::stdlib::io::flush_std_streams();
    let saved = crate::err::PyErr::take();
    let written = match crate::sys::get("stderr") {
        Some(f) if f.is(none::none_obj()) => true,
        Some(f) => {
            let ok = crate::abstract_::call_method(&f, "write", &[&unicode::new(text)]).is_ok()
                && crate::abstract_::call_method(&f, "flush", &[]).is_ok();
            drop(crate::err::PyErr::take());
            ok
        }
        None => false,
    };
    if !written {
        let _ = std::io::stderr().write_all(text.as_bytes());
    }
    if let Some(e) = saved {
        e.restore();
    }
}


unsafe extern "C" fn tb_traverse(o: *mut PyObject, visit: pyrite_abi::visitproc, a: *mut c_void) -> core::ffi::c_int {
    // SAFETY: a live traceback owning these references.
    unsafe {
        let t = o as *mut TracebackObject;
        crate::gc::visit_each(&[(*t).tb_next, (*t).tb_frame, (*t).tb_code], visit, a)
    }
}

unsafe extern "C" fn tb_clear(o: *mut PyObject) -> core::ffi::c_int {
    // SAFETY: as above; a traceback entry without next or frame is valid (the code stays).
    unsafe {
        let t = o as *mut TracebackObject;
        crate::gc::clear_each(&[&raw mut (*t).tb_next, &raw mut (*t).tb_frame]);
    }
    0
}
