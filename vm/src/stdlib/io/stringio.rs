//! `_io.StringIO`: a text stream over an in-memory buffer of code points, with the newline
//! translation of a text file (universal newlines when `newline` is None or '').

use pyrite_abi::*;

use super::textio::{find_line_end, NlState};
use super::{borrow, is_none, size_arg, InitArgs, State};
use crate::err::PyResult;
use crate::object::{Obj, PyRef};
use crate::objects::argparse::{self, Sig};
use crate::objects::{bool_, long, none, unicode};
use crate::method_table;

#[derive(Default)]
pub(crate) struct Str {
    pub buf: Vec<u32>,
    pub pos: usize,
    pub closed: bool,
    /// The newline argument (None = universal newlines with translation).
    pub readnl: Option<Vec<u32>>,
    pub readuniversal: bool,
    pub readtranslate: bool,
    /// What '\n' becomes on write ('\r' or '\r\n'), if anything.
    pub writenl: Option<Vec<u32>>,
    /// The newline decoder of universal mode.
    pub decoder: Option<NlState>,
}

fn pick(s: &mut State) -> Option<&mut Str> {
    match s {
        State::Str(b) => Some(b),
        _ => None,
    }
}

fn open_state(o: &Obj) -> PyResult<core::cell::RefMut<'_, Str>> {
    let b = borrow(o, "_io.StringIO", pick)?;
    if b.closed {
        return Err(raise!(ValueError, "I/O operation on closed file"));
    }
    Ok(b)
}

static INIT_SIG: Sig = Sig { name: "StringIO", params: &["initial_value", "newline"], posonly: 0, maxpos: 2, required: 0 };

fn str_init(o: &Obj, a: &InitArgs) -> PyResult<()> {
    let [initial, newline] = a.parse(&INIT_SIG)?;
    let newline: Option<Vec<u32>> = match newline {
        None => Some(vec![b'\n' as u32]),
        Some(n) if is_none(n) => None,
        Some(n) if unicode::check(n) => Some(unicode::code_points(n)),
        Some(n) => return Err(raise!(TypeError, "newline must be str or None, not {}", n.ob_type().name())),
    };
    if let Some(nl) = &newline {
        let ok = [&[][..], &[10][..], &[13][..], &[13, 10][..]].contains(&nl.as_slice());
        if !ok {
            let r = crate::abstract_::repr(&unicode::from_code_points(nl))?;
            return Err(raise!(ValueError, "illegal newline value: {}", unicode::as_str_lossy(&r)));
        }
    }
    let initial = match initial.filter(|x| !is_none(x)) {
        Some(v) if unicode::check(v) => Some(unicode::code_points(v)),
        Some(v) => return Err(raise!(TypeError, "initial_value must be str or None, not {}", v.ob_type().name())),
        None => None,
    };
    let readuniversal = newline.as_ref().is_none_or(|n| n.is_empty());
    let readtranslate = newline.is_none();
    let writenl = newline.clone().filter(|n| n.first() == Some(&13));
    let mut s = borrow(o, "_io.StringIO", pick)?;
    *s = Str {
        buf: Vec::new(),
        pos: 0,
        closed: false,
        readnl: newline,
        readuniversal,
        readtranslate,
        writenl,
        decoder: readuniversal.then(|| NlState::new(readtranslate)),
    };
    if let Some(init) = initial {
        write_cps(&mut s, &init);
        s.pos = 0;
    }
    Ok(())
}
super::init_slot!(init, str_init);

/// Writes code points at the position with the newline translation; returns nothing (the
/// caller reports the original length).
fn write_cps(s: &mut Str, text: &[u32]) {
    let mut data: Vec<u32> = match &mut s.decoder {
        Some(d) => d.decode(text, true),
        None => text.to_vec(),
    };
    if let Some(nl) = &s.writenl {
        let mut out = Vec::with_capacity(data.len());
        for &c in &data {
            if c == 10 {
                out.extend_from_slice(nl);
            } else {
                out.push(c);
            }
        }
        data = out;
    }
    let pos = s.pos;
    if pos > s.buf.len() {
        s.buf.resize(pos, 0);
    }
    let end = pos + data.len();
    if end > s.buf.len() {
        s.buf.resize(end, 0);
    }
    s.buf[pos..end].copy_from_slice(&data);
    s.pos = end;
}

method_table!(pub(crate) static METHODS = [
    noargs c"getvalue" => m_getvalue,
    fast c"read" => m_read,
    fast c"readline" => m_readline,
    o c"write" => m_write,
    fast c"seek" => m_seek,
    noargs c"tell" => m_tell,
    fast c"truncate" => m_truncate,
    noargs c"readable" => m_true,
    noargs c"writable" => m_true,
    noargs c"seekable" => m_true,
    noargs c"close" => m_close,
]);

pub(crate) static GETSET: crate::objects::type_::StaticTable<PyGetSetDef, 4> = crate::objects::type_::StaticTable(core::cell::UnsafeCell::new([
    crate::getter_def!(c"closed", g_closed),
    crate::getter_def!(c"newlines", g_newlines),
    crate::getter_def!(c"line_buffering", g_line_buffering),
    crate::objects::type_::GETSET_END,
]));

fn g_closed(o: &Obj) -> PyResult<PyRef> {
    Ok(bool_::new(borrow(o, "_io.StringIO", pick)?.closed))
}

fn g_newlines(o: &Obj) -> PyResult<PyRef> {
    let s = open_state(o)?;
    Ok(match &s.decoder {
        Some(d) => d.newlines(),
        None => none::none(),
    })
}

fn g_line_buffering(o: &Obj) -> PyResult<PyRef> {
    open_state(o)?;
    Ok(bool_::new(false))
}

fn m_getvalue(o: &Obj) -> PyResult<PyRef> {
    Ok(unicode::from_code_points(&open_state(o)?.buf))
}

fn m_true(o: &Obj) -> PyResult<PyRef> {
    open_state(o)?;
    Ok(bool_::new(true))
}

fn m_close(o: &Obj) -> PyResult<PyRef> {
    let mut s = borrow(o, "_io.StringIO", pick)?;
    s.closed = true;
    s.buf = Vec::new();
    Ok(none::none())
}

fn take(s: &mut Str, n: usize) -> PyRef {
    let start = s.pos.min(s.buf.len());
    let end = (start + n).min(s.buf.len());
    let r = unicode::from_code_points(&s.buf[start..end]);
    s.pos = end.max(s.pos);
    r
}

fn m_read(o: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    argparse::check_positional("read", a.len(), 0, 1)?;
    let n = size_arg(a.first().copied())?;
    let mut s = open_state(o)?;
    let avail = s.buf.len().saturating_sub(s.pos);
    let n = if n < 0 { avail } else { (n as usize).min(avail) };
    Ok(take(&mut s, n))
}

fn m_readline(o: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    argparse::check_positional("readline", a.len(), 0, 1)?;
    let limit = size_arg(a.first().copied())?;
    let mut s = open_state(o)?;
    let start = s.pos.min(s.buf.len());
    let rest = &s.buf[start..];
    let rest = if limit >= 0 && (limit as usize) < rest.len() { &rest[..limit as usize] } else { rest };
    let n = match find_line_end(rest, s.readtranslate, s.readuniversal, s.readnl.as_deref(), true) {
        Some(end) => end,
        None => rest.len(),
    };
    Ok(take(&mut s, n))
}

fn m_write(o: &Obj, text: &Obj) -> PyResult<PyRef> {
    if !unicode::check(text) {
        return Err(raise!(TypeError, "string argument expected, got '{}'", text.ob_type().name()));
    }
    let mut s = open_state(o)?;
    let cps = unicode::code_points(text);
    let n = cps.len();
    if n > 0 {
        write_cps(&mut s, &cps);
    }
    Ok(long::from_usize(n))
}

fn m_seek(o: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    argparse::check_positional("seek", a.len(), 1, 2)?;
    let pos = argparse::ssize(a[0])?;
    let whence = match a.get(1) {
        Some(w) => argparse::c_int(w)?,
        None => 0,
    };
    let mut s = open_state(o)?;
    if !(0..=2).contains(&whence) {
        return Err(raise!(ValueError, "Invalid whence ({}, should be 0, 1 or 2)", whence));
    }
    if pos < 0 && whence == 0 {
        return Err(raise!(ValueError, "Negative seek position {}", pos));
    }
    if whence != 0 && pos != 0 {
        return Err(raise!(OSError, "Can't do nonzero cur-relative seeks"));
    }
    s.pos = match whence {
        0 => pos as usize,
        1 => s.pos,
        _ => s.buf.len(),
    };
    Ok(long::from_usize(s.pos))
}

fn m_tell(o: &Obj) -> PyResult<PyRef> {
    Ok(long::from_usize(open_state(o)?.pos))
}

fn m_truncate(o: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    argparse::check_positional("truncate", a.len(), 0, 1)?;
    let given = match a.first().filter(|x| !is_none(x)) {
        Some(v) => Some(argparse::ssize(v)?),
        None => None,
    };
    let mut s = open_state(o)?;
    let size = given.unwrap_or(s.pos as isize);
    if size < 0 {
        return Err(raise!(ValueError, "negative pos value {}", size));
    }
    if (size as usize) < s.buf.len() {
        s.buf.truncate(size as usize);
    }
    Ok(long::from_usize(size as usize))
}
