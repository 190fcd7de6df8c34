//! `_io.BytesIO`: a binary stream over an in-memory, growable byte buffer.

use pyrite_abi::*;

use super::{borrow, closed_error, is_none, size_arg, InitArgs, State};
use crate::err::PyResult;
use crate::object::{Obj, PyRef};
use crate::objects::argparse::{self, Sig};
use crate::objects::{bool_, bytes, list, long, none, tuple};
use crate::{abstract_, method_table};

#[derive(Default)]
pub(crate) struct Bytes {
    pub buf: Vec<u8>,
    pub pos: usize,
    pub closed: bool,
    /// Live buffer exports (views from `getbuffer()`): the data may not move or change size.
    pub exports: usize,
}

fn pick(s: &mut State) -> Option<&mut Bytes> {
    match s {
        State::Bytes(b) => Some(b),
        _ => None,
    }
}

/// The open buffer of a BytesIO (ValueError once closed).
fn open_state(o: &Obj) -> PyResult<core::cell::RefMut<'_, Bytes>> {
    let b = borrow(o, "_io.BytesIO", pick)?;
    if b.closed {
        return Err(closed_error());
    }
    Ok(b)
}

static INIT_SIG: Sig = Sig { name: "BytesIO", params: &["initial_bytes"], posonly: 0, maxpos: 1, required: 0 };

fn bytes_init(o: &Obj, a: &InitArgs) -> PyResult<()> {
    let [initial] = a.parse(&INIT_SIG)?;
    let data = match initial.filter(|x| !is_none(x)) {
        Some(v) => bytes::bytes_like(v)?,
        None => Vec::new(),
    };
    let mut b = borrow(o, "_io.BytesIO", pick)?;
    check_exports(&b)?;
    *b = Bytes { buf: data, pos: 0, closed: false, exports: 0 };
    Ok(())
}
super::init_slot!(init, bytes_init);

method_table!(pub(crate) static METHODS = [
    noargs c"getvalue" => m_getvalue,
    noargs c"getbuffer" => m_getbuffer,
    fast c"read" => m_read,
    fast c"read1" => m_read,
    o c"readinto" => m_readinto,
    o c"readinto1" => m_readinto,
    fast c"readline" => m_readline,
    fast c"readlines" => m_readlines,
    o c"write" => m_write,
    o c"writelines" => m_writelines,
    fast c"seek" => m_seek,
    noargs c"tell" => m_tell,
    fast c"truncate" => m_truncate,
    noargs c"readable" => m_true,
    noargs c"writable" => m_true,
    noargs c"seekable" => m_true,
    noargs c"flush" => m_flush,
    noargs c"isatty" => m_isatty,
    noargs c"close" => m_close,
    noargs c"__getstate__" => m_getstate,
    o c"__setstate__" => m_setstate,
]);

pub(crate) static GETSET: crate::objects::type_::StaticTable<PyGetSetDef, 2> =
    crate::objects::type_::StaticTable(core::cell::UnsafeCell::new([crate::getter_def!(c"closed", g_closed), crate::objects::type_::GETSET_END]));

fn g_closed(o: &Obj) -> PyResult<PyRef> {
    Ok(bool_::new(borrow(o, "_io.BytesIO", pick)?.closed))
}

fn m_getvalue(o: &Obj) -> PyResult<PyRef> {
    Ok(bytes::new(&open_state(o)?.buf))
}

fn m_true(o: &Obj) -> PyResult<PyRef> {
    open_state(o)?;
    Ok(bool_::new(true))
}

fn m_flush(o: &Obj) -> PyResult<PyRef> {
    open_state(o)?;
    Ok(none::none())
}

fn m_isatty(o: &Obj) -> PyResult<PyRef> {
    open_state(o)?;
    Ok(bool_::new(false))
}

fn check_exports(b: &Bytes) -> PyResult<()> {
    if b.exports > 0 {
        return Err(raise!(BufferError, "Existing exports of data: object cannot be re-sized"));
    }
    Ok(())
}

fn m_close(o: &Obj) -> PyResult<PyRef> {
    let mut b = borrow(o, "_io.BytesIO", pick)?;
    check_exports(&b)?;
    b.closed = true;
    b.buf = Vec::new();
    Ok(none::none())
}

/// Takes up to `n` bytes (all for a negative `n`) from the current position.
fn take(b: &mut Bytes, n: isize) -> Vec<u8> {
    let avail = b.buf.len().saturating_sub(b.pos);
    let n = if n < 0 { avail } else { (n as usize).min(avail) };
    let start = b.pos.min(b.buf.len());
    let out = b.buf[start..start + n].to_vec();
    b.pos += n;
    out
}

fn m_read(o: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    argparse::check_positional("read", a.len(), 0, 1)?;
    let n = size_arg(a.first().copied())?;
    let mut b = open_state(o)?;
    Ok(bytes::new(&take(&mut b, n)))
}

fn m_readinto(o: &Obj, dst: &Obj) -> PyResult<PyRef> {
    open_state(o)?;
    let n = super::writable_buffer_len(dst)?;
    let data = take(&mut *open_state(o)?, n as isize);
    super::copy_into_buffer(dst, &data)?;
    Ok(long::from_usize(data.len()))
}

fn line_len(b: &Bytes, limit: isize) -> usize {
    let rest = if b.pos < b.buf.len() { &b.buf[b.pos..] } else { &[][..] };
    let mut n = rest.iter().position(|&c| c == b'\n').map_or(rest.len(), |i| i + 1);
    if limit >= 0 {
        n = n.min(limit as usize);
    }
    n
}

fn m_readline(o: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    argparse::check_positional("readline", a.len(), 0, 1)?;
    let limit = size_arg(a.first().copied())?;
    let mut b = open_state(o)?;
    let n = line_len(&b, limit);
    Ok(bytes::new(&take(&mut b, n as isize)))
}

fn m_readlines(o: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    argparse::check_positional("readlines", a.len(), 0, 1)?;
    let hint = size_arg(a.first().copied())?;
    let mut b = open_state(o)?;
    let mut lines = Vec::new();
    let mut total = 0usize;
    loop {
        let n = line_len(&b, -1);
        if n == 0 {
            break;
        }
        let line = take(&mut b, n as isize);
        total += line.len();
        lines.push(bytes::new(&line));
        if hint > 0 && total >= hint as usize {
            break;
        }
    }
    Ok(list::new_from_owned(lines))
}

fn m_write(o: &Obj, data: &Obj) -> PyResult<PyRef> {
    open_state(o)?;
    let data = bytes::bytes_like(data)?;
    let mut b = open_state(o)?;
    check_exports(&b)?;
    let pos = b.pos;
    if pos > b.buf.len() {
        b.buf.resize(pos, 0);
    }
    let end = pos + data.len();
    if end > b.buf.len() {
        b.buf.resize(end, 0);
    }
    b.buf[pos..end].copy_from_slice(&data);
    b.pos = end;
    Ok(long::from_usize(data.len()))
}

fn m_writelines(o: &Obj, lines: &Obj) -> PyResult<PyRef> {
    open_state(o)?;
    let it = crate::objects::iterobject::get_iter(lines)?;
    while let Some(line) = crate::objects::iterobject::next(&it)? {
        m_write(o, &line)?;
    }
    Ok(none::none())
}

fn m_seek(o: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    argparse::check_positional("seek", a.len(), 1, 2)?;
    let pos = argparse::ssize(a[0])?;
    let whence = match a.get(1) {
        Some(w) => argparse::c_int(w)?,
        None => 0,
    };
    let mut b = open_state(o)?;
    let target = match whence {
        0 => {
            if pos < 0 {
                return Err(raise!(ValueError, "negative seek value {}", pos));
            }
            pos
        }
        1 => (b.pos as isize).saturating_add(pos).max(0),
        2 => (b.buf.len() as isize).saturating_add(pos).max(0),
        _ => return Err(raise!(ValueError, "invalid whence ({}, should be 0, 1 or 2)", whence)),
    };
    b.pos = target as usize;
    Ok(long::from_usize(b.pos))
}

fn m_tell(o: &Obj) -> PyResult<PyRef> {
    Ok(long::from_usize(open_state(o)?.pos))
}

fn m_truncate(o: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    argparse::check_positional("truncate", a.len(), 0, 1)?;
    let mut b = open_state(o)?;
    let size = match a.first().filter(|x| !is_none(x)) {
        Some(s) => {
            drop(b);
            let v = argparse::ssize(s)?;
            b = open_state(o)?;
            v
        }
        None => b.pos as isize,
    };
    if size < 0 {
        return Err(raise!(ValueError, "negative size value {}", size));
    }
    check_exports(&b)?;
    if (size as usize) < b.buf.len() {
        b.buf.truncate(size as usize);
    }
    Ok(long::from_usize(size as usize))
}

fn m_getstate(o: &Obj) -> PyResult<PyRef> {
    let (data, pos) = {
        let b = open_state(o)?;
        (bytes::new(&b.buf), long::from_usize(b.pos))
    };
    let d = abstract_::getattr_str(o, "__dict__")?;
    let d = crate::objects::dict::copy(&d)?;
    Ok(tuple::new_from(&[&data, &pos, &d]))
}

fn m_setstate(o: &Obj, st: &Obj) -> PyResult<PyRef> {
    if !tuple::check(st) || tuple::len(st) < 3 {
        return Err(raise!(TypeError, "{}.__setstate__ argument should be 3-tuple, got {}", o.ob_type().name(), st.ob_type().name()));
    }
    let data = bytes::bytes_like(tuple::get(st, 0))?;
    let pos = argparse::ssize(tuple::get(st, 1))?;
    if pos < 0 {
        return Err(raise!(ValueError, "position value cannot be negative"));
    }
    {
        let mut b = open_state(o)?;
        check_exports(&b)?;
        b.buf = data;
        b.pos = pos as usize;
    }
    let d = tuple::get(st, 2);
    if !is_none(d) {
        let mine = abstract_::getattr_str(o, "__dict__")?;
        crate::objects::dict::update(&mine, d)?;
    }
    Ok(none::none())
}

// ---- getbuffer(): a view of the live data ----------------------------------------------------

/// The exporter behind `getbuffer()`'s memoryview (CPython's `_io._BytesIOBuffer`).
#[repr(C)]
pub struct BytesIOBufferObject {
    ob_base: PyObject,
    source: *mut PyObject,
}

crate::private_static_type!(BytesIOBuffer_Type, c"_io._BytesIOBuffer", core::mem::size_of::<BytesIOBufferObject>(), {
    tp_flags: crate::objects::type_::BUILTIN_FLAGS,
    tp_dealloc: Some(buffer_dealloc),
    tp_as_buffer: BUFFER_PROCS.0.get(),
    tp_alloc: Some(crate::alloc::generic_alloc),
    tp_free: Some(crate::alloc::object_free),
});

static BUFFER_PROCS: crate::object::StaticObject<PyBufferProcs> =
    crate::object::StaticObject::new(PyBufferProcs { bf_getbuffer: Some(buffer_get), bf_releasebuffer: Some(buffer_release) });

pub(crate) fn buffer_type() -> &'static crate::objects::type_::TypeObj {
    &BytesIOBuffer_Type
}

fn m_getbuffer(o: &Obj) -> PyResult<PyRef> {
    open_state(o)?;
    // SAFETY: a fresh instance of a readied static type; `source` owns a reference.
    let exporter = unsafe {
        let e = crate::slot::from_new(crate::alloc::generic_alloc(BytesIOBuffer_Type.raw(), 0))?;
        (*(e.as_ptr() as *mut BytesIOBufferObject)).source = o.new_ref().into_raw();
        e
    };
    crate::objects::memoryview::from_object(&exporter)
}

unsafe extern "C" fn buffer_get(e: *mut PyObject, view: *mut Py_buffer, flags: core::ffi::c_int) -> core::ffi::c_int {
    // SAFETY: a live exporter holding its BytesIO; the export count keeps the data in place.
    unsafe {
        let src = crate::slot::arg((*(e as *mut BytesIOBufferObject)).source);
        let r = (|| -> PyResult<()> {
            let mut b = open_state(src)?;
            let (ptr, len) = (b.buf.as_mut_ptr(), b.buf.len());
            crate::buffer::fill_info(view, Some(crate::slot::arg(e)), ptr as *mut _, len as Py_ssize_t, false, flags)?;
            b.exports += 1;
            Ok(())
        })();
        crate::slot::ret_int(r.map(|_| 0))
    }
}

unsafe extern "C" fn buffer_release(e: *mut PyObject, _view: *mut Py_buffer) {
    // SAFETY: a live exporter whose export is being released.
    unsafe {
        let src = crate::slot::arg((*(e as *mut BytesIOBufferObject)).source);
        if let Ok(mut b) = borrow(src, "_io.BytesIO", pick) {
            b.exports = b.exports.saturating_sub(1);
        }
    }
}

unsafe extern "C" fn buffer_dealloc(e: *mut PyObject) {
    // SAFETY: a dead exporter; it owns one reference to its BytesIO.
    unsafe {
        crate::object::xdecref((*(e as *mut BytesIOBufferObject)).source);
        crate::alloc::object_free(e as *mut core::ffi::c_void);
    }
}
