//! The `_io` module (CPython's `Modules/_io/`): the I/O class hierarchy `Lib/io.py` re-exports.
//!
//! Every `_io` type shares one object layout ([`IoObject`]): the header, an instance dict, the
//! weak-reference list, `_IOBase`'s closed flag, and the Rust state of the concrete class
//! ([`State`]) behind a `RefCell`. The abstract bases (`_IOBase`, `_RawIOBase`,
//! `_BufferedIOBase`, `_TextIOBase`) work only through method calls on `self`, so Python
//! subclasses (`io.IOBase`, user classes) get their behaviour as in CPython; the concrete
//! classes (`FileIO`, `BytesIO`, `StringIO`, `Buffered*`, `TextIOWrapper`) keep their data in
//! Rust and call the objects they wrap through their Python methods.
//!
//! Also here: `open()`, the standard streams (`sys.stdin`/`stdout`/`stderr` are real
//! `TextIOWrapper`s over fds 0–2) and flushing them (and every live buffered writer) at exit.
//! A state is never borrowed across a call into Python code.

use core::cell::{RefCell, RefMut};
use core::ffi::{c_int, c_void};
use core::mem::offset_of;

use pyrite_abi::*;

use crate::err::{PyErr, PyResult};
use crate::object::{Obj, PyRef, SyncPtr};
use crate::objects::argparse::{self, Kw, Sig};
use crate::objects::type_::{self, TypeObj, BUILTIN_BASETYPE_FLAGS};
use crate::objects::{bool_, bytearray, bytes, dict, exceptions as exc, list, long, module, none, tuple, unicode};
use crate::slot::{arg, opt_arg, ret_obj};
use crate::{abstract_, method_table};

/// A name made once (interned, immortal): for the attribute lookups on print's hot path.
macro_rules! static_name {
    ($s:literal) => {{
        static N: std::sync::OnceLock<crate::object::SyncPtr<pyrite_abi::PyObject>> = std::sync::OnceLock::new();
        let p = N.get_or_init(|| crate::object::SyncPtr(crate::objects::unicode::intern($s).into_raw())).0;
        // SAFETY: interned strings are immortal.
        unsafe { crate::object::Obj::from_ptr(p) }
    }};
}

/// `o.<name>(*args)` with a prepared name.
fn call_named(o: &Obj, name: &Obj, args: &[&Obj]) -> PyResult<PyRef> {
    let m = abstract_::getattr(o, name)?;
    let argv: Vec<*mut PyObject> = args.iter().map(|a| a.as_ptr()).collect();
    // SAFETY: live arguments for the call.
    unsafe { abstract_::vectorcall(&m, argv.as_ptr(), argv.len(), core::ptr::null_mut()) }
}

mod buffered;
mod bytesio;
mod fileio;
mod stringio;
mod textio;

/// `io.DEFAULT_BUFFER_SIZE` (128 KiB since 3.15).
pub const DEFAULT_BUFFER_SIZE: usize = 128 * 1024;

/// The Rust state of a concrete `_io` class.
pub(crate) enum State {
    Base,
    File(fileio::File),
    Bytes(bytesio::Bytes),
    Str(stringio::Str),
    Buffered(buffered::Buffered),
    Pair(buffered::Pair),
    Text(textio::Text),
    NlDecoder(textio::NlDecoder),
}

/// The layout every `_io` object shares.
#[repr(C)]
pub struct IoObject {
    pub ob_base: PyObject,
    pub dict: *mut PyObject,
    pub weaklist: *mut PyObject,
    /// `_IOBase`'s own closed flag (CPython's `__IOBase_closed`).
    pub iobase_closed: c_int,
    /// The concrete class's state; `None` only in memory nobody initialised (a zeroed object).
    pub(crate) state: Option<Box<RefCell<State>>>,
}

fn layout(o: &Obj) -> *mut IoObject {
    o.as_ptr() as *mut IoObject
}

/// The state cell of an `_io` object.
fn cell(o: &Obj) -> PyResult<&RefCell<State>> {
    if !o.ob_type().is_subtype(&IOBase_Type) && !o.ob_type().is_subtype(&IncrementalNewlineDecoder_Type) {
        return Err(raise!(TypeError, "descriptor requires an '_io._IOBase' object but received '{}'", o.ob_type().name()));
    }
    // SAFETY: `o` is an `_io` object (checked above); the box is created in tp_new and only
    // dropped by the deallocator.
    unsafe { (*layout(o)).state.as_deref().ok_or_else(|| raise!(ValueError, "I/O operation on uninitialized object")) }
}

/// Borrows the state of `o` as the variant `pick` selects.
pub(crate) fn borrow<'a, T>(o: &'a Obj, what: &str, pick: fn(&mut State) -> Option<&mut T>) -> PyResult<RefMut<'a, T>> {
    let c = cell(o)?;
    let b = c.try_borrow_mut().map_err(|_| raise!(RuntimeError, "reentrant call inside {}", what))?;
    RefMut::filter_map(b, pick).map_err(|_| raise!(TypeError, "descriptor requires a '{}' object but received '{}'", what, o.ob_type().name()))
}

// ---- errors -----------------------------------------------------------------------------------

/// `io.UnsupportedOperation`, a class deriving from `OSError` and `ValueError` (made once).
pub fn unsupported_type() -> PyRef {
    static T: std::sync::OnceLock<SyncPtr<PyObject>> = std::sync::OnceLock::new();
    let p = T
        .get_or_init(|| {
            let ns = dict::new();
            dict::set_item_str(&ns, "__module__", &unicode::new("io")).expect("UnsupportedOperation");
            let bases = tuple::new_from(&[exc::OSError(), exc::ValueError()]);
            let t = abstract_::call(&type_::PyType_Type, &tuple::new_from(&[&*unicode::new("UnsupportedOperation"), &bases, &ns]), None)
                .expect("creating io.UnsupportedOperation");
            SyncPtr(crate::object::make_immortal(t))
        })
        .0;
    // SAFETY: immortal.
    unsafe { Obj::from_ptr(p) }.new_ref()
}

/// `UnsupportedOperation(msg)`.
pub(crate) fn unsupported(msg: &str) -> PyErr {
    let t = unsupported_type();
    PyErr::new(TypeObj::downcast(&t).expect("a type"), msg)
}

pub(crate) fn closed_error() -> PyErr {
    raise!(ValueError, "I/O operation on closed file.")
}

/// The `OSError` subclass CPython picks for `errno` (PEP 3151), made as `cls(errno, strerror[, filename])`.
pub(crate) fn os_error(errno: i32, filename: Option<&Obj>) -> PyErr {
    let ty: &TypeObj = match errno {
        1 | 13 => exc::PermissionError(),
        2 => exc::FileNotFoundError(),
        4 => exc::InterruptedError(),
        11 | 114 | 115 => exc::BlockingIOError(),
        17 => exc::FileExistsError(),
        20 => exc::NotADirectoryError(),
        21 => exc::IsADirectoryError(),
        32 => exc::BrokenPipeError(),
        _ => exc::OSError(),
    };
    let msg = std::io::Error::from_raw_os_error(errno).to_string();
    let msg = msg.split(" (os error").next().unwrap_or("").to_string();
    let mut items: Vec<PyRef> = vec![long::from_i64(errno as i64), unicode::new(&msg)];
    if let Some(f) = filename {
        items.push(f.new_ref());
    }
    match abstract_::call(ty, &tuple::new_from_owned(items), None) {
        Ok(v) => PyErr::from_value(v),
        Err(e) => e,
    }
}

pub(crate) fn last_os_error(filename: Option<&Obj>) -> PyErr {
    os_error(std::io::Error::last_os_error().raw_os_error().unwrap_or(0), filename)
}

// ---- helpers shared by the classes ------------------------------------------------------------

pub(crate) fn is_none(o: &Obj) -> bool {
    o.is(none::none_obj())
}

/// `getattr(o, "closed")` as a truth value.
pub(crate) fn is_closed(o: &Obj) -> PyResult<bool> {
    // The built-in classes answer without attribute lookups (print's hot path); a subclass
    // may override `closed`, so only exact types take the shortcut.
    let t = o.ob_type();
    if t.is(&FileIO_Type) {
        return fileio::closed(o);
    }
    if t.is(&BufferedWriter_Type) || t.is(&BufferedReader_Type) || t.is(&BufferedRandom_Type) {
        if let Some(raw) = buffered::raw_if_attached(o) {
            return is_closed(&raw);
        }
    }
    abstract_::is_true(&*abstract_::getattr_str(o, "closed")?)
}

pub(crate) fn check_closed(o: &Obj) -> PyResult<()> {
    if is_closed(o)? { Err(closed_error()) } else { Ok(()) }
}

pub(crate) fn call_bool(o: &Obj, name: &str) -> PyResult<bool> {
    abstract_::is_true(&*abstract_::call_method(o, name, &[])?)
}

/// An optional size argument: `None` or absent is -1.
pub(crate) fn size_arg(o: Option<&Obj>) -> PyResult<isize> {
    match argparse::not_none(o) {
        None => Ok(-1),
        Some(v) => {
            if !argparse::index_check(v) {
                return Err(raise!(TypeError, "argument should be integer or None, not '{}'", v.ob_type().name()));
            }
            argparse::ssize(v)
        }
    }
}

/// Copies `data` into the writable buffer `dst` (at most its length); returns the count.
pub(crate) fn copy_into_buffer(dst: &Obj, data: &[u8]) -> PyResult<usize> {
    with_writable_buffer(dst, |buf| {
        let n = data.len().min(buf.len());
        buf[..n].copy_from_slice(&data[..n]);
        n
    })
}

/// The length of a writable buffer.
pub(crate) fn writable_buffer_len(dst: &Obj) -> PyResult<usize> {
    with_writable_buffer(dst, |buf| buf.len())
}

/// Runs `f` over the contiguous writable buffer of `o` (a bytearray, memoryview, ...).
pub(crate) fn with_writable_buffer<R>(o: &Obj, f: impl FnOnce(&mut [u8]) -> R) -> PyResult<R> {
    if bytearray::check(o) {
        let n = bytearray::len(o);
        // SAFETY: a live bytearray owns `n` bytes at its pointer; no Python code runs in `f`.
        let s = unsafe { core::slice::from_raw_parts_mut(bytearray::as_ptr(o), n) };
        return Ok(f(s));
    }
    // SAFETY: reading a slot table of a live type.
    let Some(get) = (unsafe { o.ob_type().slots().tp_as_buffer.as_ref() }).and_then(|b| b.bf_getbuffer) else {
        return Err(raise!(TypeError, "readinto() argument must be read-write bytes-like object, not {}", o.ob_type().name()));
    };
    // SAFETY: a zeroed Py_buffer is the expected input of bf_getbuffer.
    let mut view: Py_buffer = unsafe { core::mem::zeroed() };
    // SAFETY: a writable, C-contiguous request to a live exporter, released below.
    unsafe {
        if get(o.as_ptr(), &mut view, PyBUF_WRITABLE | PyBUF_C_CONTIGUOUS) < 0 {
            crate::err::PyErr::fetch();
            return Err(raise!(TypeError, "readinto() argument must be read-write bytes-like object, not {}", o.ob_type().name()));
        }
        let s: &mut [u8] = if view.buf.is_null() || view.len <= 0 { &mut [] } else { core::slice::from_raw_parts_mut(view.buf as *mut u8, view.len as usize) };
        let r = f(s);
        if let Some(rel) = view.obj.as_ref().and_then(|ob| (*ob.ob_type).tp_as_buffer.as_ref()).and_then(|b| b.bf_releasebuffer) {
            rel(view.obj, &mut view);
        }
        crate::object::xdecref(view.obj);
        Ok(r)
    }
}

/// Data of a bytes-like object returned by a `read`-style call (`None` stays `None`).
pub(crate) fn bytes_result(r: &Obj, what: &str) -> PyResult<Option<Vec<u8>>> {
    if is_none(r) {
        return Ok(None);
    }
    if bytes::check(r) || bytearray::check(r) {
        return Ok(Some(bytes::bytes_of(r).to_vec()));
    }
    match bytes::buffer_bytes(r)? {
        Some(v) => Ok(Some(v)),
        None => Err(raise!(TypeError, "{}() should return bytes", what)),
    }
}

/// A `tp_init` argument list as a positional slice and [`Kw`]: keeps the dict's pairs alive.
pub(crate) struct InitArgs {
    pos: Vec<PyRef>,
    names: Vec<PyRef>,
    values: Vec<PyRef>,
}

impl InitArgs {
    /// # Safety
    /// `args` is a tuple, `kw` NULL or a dict (tp_init contract).
    pub(crate) unsafe fn new(args: *mut PyObject, kw: *mut PyObject) -> InitArgs {
        // SAFETY: guaranteed by the caller.
        let (args, kw) = unsafe { (arg(args), opt_arg(kw)) };
        let pos = tuple::items(args).iter().map(|a| a.new_ref()).collect();
        let (names, values) = Kw::pairs_of_dict(kw).into_iter().unzip();
        InitArgs { pos, names, values }
    }

    pub(crate) fn parse<const N: usize>(&self, sig: &Sig) -> PyResult<[Option<&Obj>; N]> {
        let pos: Vec<&Obj> = self.pos.iter().map(|p| &**p).collect();
        let names: Vec<&Obj> = self.names.iter().map(|p| &**p).collect();
        let values: Vec<&Obj> = self.values.iter().map(|p| &**p).collect();
        let r: [Option<&Obj>; N] = argparse::parse(sig, &pos, Kw { names: &names, values: &values })?;
        // SAFETY: every returned reference points into `self`'s vectors, which outlive the
        // result (the temporaries above only borrowed them).
        Ok(r.map(|o| o.map(|o| unsafe { Obj::from_ptr(o.as_ptr()) })))
    }
}

/// Defines a `tp_init` trampoline over `fn(&Obj, &InitArgs) -> PyResult<()>`.
macro_rules! init_slot {
    ($name:ident, $f:path) => {
        pub(crate) unsafe extern "C" fn $name(o: *mut pyrite_abi::PyObject, args: *mut pyrite_abi::PyObject, kw: *mut pyrite_abi::PyObject) -> core::ffi::c_int {
            // SAFETY: tp_init contract.
            unsafe {
                let a = $crate::stdlib::io::InitArgs::new(args, kw);
                $crate::slot::ret_int($f($crate::slot::arg(o), &a).map(|_| 0))
            }
        }
    };
}
pub(crate) use init_slot;

/// Defines a `tp_repr` trampoline over `fn(&Obj) -> PyResult<PyRef>`.
macro_rules! repr_slot {
    ($name:ident, $f:path) => {
        pub(crate) unsafe extern "C" fn $name(o: *mut pyrite_abi::PyObject) -> *mut pyrite_abi::PyObject {
            // SAFETY: tp_repr contract.
            $crate::slot::ret_obj($f(unsafe { $crate::slot::arg(o) }))
        }
    };
}
pub(crate) use repr_slot;

/// The C-level type name (`_io.FileIO` for the built-in classes), as CPython's reprs show it.
pub(crate) fn tp_name(o: &Obj) -> String {
    // SAFETY: every type has a NUL-terminated tp_name.
    unsafe { core::ffi::CStr::from_ptr((*o.ob_type().raw()).tp_name).to_string_lossy().into_owned() }
}

/// `name=...` for reprs: the `name` attribute's repr, if it has one.
pub(crate) fn name_repr(o: &Obj) -> PyResult<Option<String>> {
    match abstract_::lookup_attr(o, "name") {
        Ok(Some(n)) => Ok(Some(unicode::as_str_lossy(&*abstract_::repr(&n)?).into_owned())),
        Ok(None) => Ok(None),
        Err(e) if e.is_instance(exc::ValueError()) => Ok(None),
        Err(e) => Err(e),
    }
}

// ---- the types ---------------------------------------------------------------------------------

macro_rules! io_type {
    ($name:ident, $tpname:literal, $base:expr, $init:expr, $methods:expr, $getset:expr, $repr:expr, $doc:literal) => {
        crate::private_static_type!($name, $tpname, core::mem::size_of::<IoObject>(), {
            tp_flags: BUILTIN_BASETYPE_FLAGS,
            tp_base: $base,
            tp_dictoffset: offset_of!(IoObject, dict) as isize,
            tp_weaklistoffset: offset_of!(IoObject, weaklist) as isize,
            tp_dealloc: Some(io_dealloc),
            tp_getattro: Some(type_::generic_getattr),
            tp_setattro: Some(type_::generic_setattr),
            tp_iter: Some(iobase_iter),
            tp_iternext: Some(iobase_iternext),
            tp_init: $init,
            tp_new: Some(io_new),
            tp_alloc: Some(crate::alloc::generic_alloc),
            tp_free: Some(crate::alloc::object_free),
            tp_methods: $methods,
            tp_getset: $getset,
            tp_repr: $repr,
            tp_doc: $doc.as_ptr(),
        });
    };
}

io_type!(IOBase_Type, c"_io._IOBase", core::ptr::null_mut(), None, IOBASE_METHODS.0.get() as *mut PyMethodDef, IOBASE_GETSET.0.get() as *mut PyGetSetDef, None,
    c"The abstract base class for all I/O classes.");
io_type!(RawIOBase_Type, c"_io._RawIOBase", IOBase_Type.raw(), None, RAWIOBASE_METHODS.0.get() as *mut PyMethodDef, core::ptr::null_mut(), None,
    c"Base class for raw binary I/O.");
io_type!(BufferedIOBase_Type, c"_io._BufferedIOBase", IOBase_Type.raw(), None, BUFFEREDIOBASE_METHODS.0.get() as *mut PyMethodDef, core::ptr::null_mut(), None,
    c"Base class for buffered IO objects.");
io_type!(TextIOBase_Type, c"_io._TextIOBase", IOBase_Type.raw(), None, TEXTIOBASE_METHODS.0.get() as *mut PyMethodDef, TEXTIOBASE_GETSET.0.get() as *mut PyGetSetDef, None,
    c"Base class for text I/O.");
io_type!(FileIO_Type, c"_io.FileIO", RawIOBase_Type.raw(), Some(fileio::init), fileio::METHODS.0.get() as *mut PyMethodDef, fileio::GETSET.0.get() as *mut PyGetSetDef, Some(fileio::repr),
    c"Open a file.");
io_type!(BytesIO_Type, c"_io.BytesIO", BufferedIOBase_Type.raw(), Some(bytesio::init), bytesio::METHODS.0.get() as *mut PyMethodDef, bytesio::GETSET.0.get() as *mut PyGetSetDef, None,
    c"Buffered I/O implementation using an in-memory bytes buffer.");
io_type!(StringIO_Type, c"_io.StringIO", TextIOBase_Type.raw(), Some(stringio::init), stringio::METHODS.0.get() as *mut PyMethodDef, stringio::GETSET.0.get() as *mut PyGetSetDef, None,
    c"Text I/O implementation using an in-memory buffer.");
io_type!(BufferedReader_Type, c"_io.BufferedReader", BufferedIOBase_Type.raw(), Some(buffered::init_reader), buffered::METHODS.0.get() as *mut PyMethodDef, buffered::GETSET.0.get() as *mut PyGetSetDef, Some(buffered::repr),
    c"Create a new buffered reader using the given readable raw IO object.");
io_type!(BufferedWriter_Type, c"_io.BufferedWriter", BufferedIOBase_Type.raw(), Some(buffered::init_writer), buffered::METHODS.0.get() as *mut PyMethodDef, buffered::GETSET.0.get() as *mut PyGetSetDef, Some(buffered::repr),
    c"A buffer for a writeable sequential RawIO object.");
io_type!(BufferedRandom_Type, c"_io.BufferedRandom", BufferedIOBase_Type.raw(), Some(buffered::init_random), buffered::METHODS.0.get() as *mut PyMethodDef, buffered::GETSET.0.get() as *mut PyGetSetDef, Some(buffered::repr),
    c"A buffered interface to random access streams.");
io_type!(BufferedRWPair_Type, c"_io.BufferedRWPair", BufferedIOBase_Type.raw(), Some(buffered::init_pair), buffered::PAIR_METHODS.0.get() as *mut PyMethodDef, buffered::PAIR_GETSET.0.get() as *mut PyGetSetDef, None,
    c"A buffered reader and writer object together.");
io_type!(TextIOWrapper_Type, c"_io.TextIOWrapper", TextIOBase_Type.raw(), Some(textio::init), textio::METHODS.0.get() as *mut PyMethodDef, textio::GETSET.0.get() as *mut PyGetSetDef, Some(textio::repr),
    c"Character and line based layer over a BufferedIOBase object, buffer.");
// Not a stream: same layout (for the state), but no iteration and nothing to close.
crate::private_static_type!(IncrementalNewlineDecoder_Type, c"_io.IncrementalNewlineDecoder", core::mem::size_of::<IoObject>(), {
    tp_flags: BUILTIN_BASETYPE_FLAGS,
    tp_dealloc: Some(io_dealloc),
    tp_getattro: Some(type_::generic_getattr),
    tp_setattro: Some(type_::generic_setattr),
    tp_init: Some(textio::nl_init),
    tp_new: Some(io_new),
    tp_alloc: Some(crate::alloc::generic_alloc),
    tp_free: Some(crate::alloc::object_free),
    tp_methods: textio::NL_METHODS.0.get() as *mut PyMethodDef,
    tp_getset: textio::NL_GETSET.0.get() as *mut PyGetSetDef,
    tp_doc: c"Codec used when reading a file in universal newlines mode.".as_ptr(),
});

fn all_types() -> [&'static TypeObj; 13] {
    [
        &IOBase_Type,
        &RawIOBase_Type,
        &BufferedIOBase_Type,
        &TextIOBase_Type,
        &FileIO_Type,
        &BytesIO_Type,
        &StringIO_Type,
        &BufferedReader_Type,
        &BufferedWriter_Type,
        &BufferedRandom_Type,
        &BufferedRWPair_Type,
        &TextIOWrapper_Type,
        &IncrementalNewlineDecoder_Type,
    ]
}

/// Readies the `_io` types (once).
pub fn ready_types() -> PyResult<()> {
    static DONE: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
    if DONE.load(std::sync::atomic::Ordering::Acquire) {
        return Ok(());
    }
    for t in all_types() {
        type_::ready(t)?;
        crate::objects::slotdefs::add_wrappers(t)?;
    }
    type_::ready(bytesio::buffer_type())?;
    DONE.store(true, std::sync::atomic::Ordering::Release);
    Ok(())
}

/// The initial state of an instance of `t`, by the concrete `_io` class it derives from.
fn initial_state(t: &TypeObj) -> State {
    if t.is_subtype(&FileIO_Type) {
        State::File(fileio::File::default())
    } else if t.is_subtype(&BytesIO_Type) {
        State::Bytes(bytesio::Bytes::default())
    } else if t.is_subtype(&StringIO_Type) {
        State::Str(stringio::Str::default())
    } else if t.is_subtype(&BufferedReader_Type) || t.is_subtype(&BufferedWriter_Type) || t.is_subtype(&BufferedRandom_Type) {
        State::Buffered(buffered::Buffered::default())
    } else if t.is_subtype(&BufferedRWPair_Type) {
        State::Pair(buffered::Pair::default())
    } else if t.is_subtype(&TextIOWrapper_Type) {
        State::Text(textio::Text::default())
    } else if t.is_subtype(&IncrementalNewlineDecoder_Type) {
        State::NlDecoder(textio::NlDecoder::default())
    } else {
        State::Base
    }
}

unsafe extern "C" fn io_new(t: *mut PyTypeObject, _args: *mut PyObject, _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: tp_new contract: `t` is a live subtype of an `_io` type.
    unsafe {
        let alloc = (*t).tp_alloc.unwrap_or(crate::alloc::generic_alloc);
        let o = alloc(t, 0);
        if !o.is_null() {
            let st = initial_state(TypeObj::from_ptr(t));
            core::ptr::write(&mut (*(o as *mut IoObject)).state, Some(Box::new(RefCell::new(st))));
        }
        o
    }
}

/// `_IOBase.__del__` (CPython's `iobase_finalize`): closes the object if it is still open;
/// errors are ignored, as CPython does outside development mode.
fn finalize(o: &Obj) {
    let saved = crate::err::PyErr::take();
    match is_closed(o) {
        Ok(false) => {
            let _ = abstract_::call_method(o, "close", &[]);
        }
        _ => {}
    }
    crate::err::PyErr::take();
    if let Some(e) = saved {
        e.restore();
    }
}

unsafe extern "C" fn io_dealloc(o: *mut PyObject) {
    // SAFETY: a dead `_io` object (or a subclass instance whose subtype_dealloc already ran);
    // it is revived for the finalizer, as PEP 442 finalization from dealloc does.
    unsafe {
        if TypeObj::from_ptr((*o).ob_type).is_subtype(&IOBase_Type) {
            (*o).ob_refcnt = 1;
            finalize(arg(o));
            (*o).ob_refcnt -= 1;
            if (*o).ob_refcnt != 0 {
                return;
            }
        }
        buffered::forget_writer(o);
        crate::objects::weakref::clear_weakrefs(o);
        let p = o as *mut IoObject;
        crate::object::xdecref(core::mem::replace(&mut (*p).dict, core::ptr::null_mut()));
        drop((*p).state.take());
        let free = (*(*o).ob_type).tp_free.unwrap_or(crate::alloc::object_free);
        free(o as *mut c_void);
    }
}

// ---- _IOBase ---------------------------------------------------------------------------------------

static IOBASE_GETSET: type_::StaticTable<PyGetSetDef, 3> = type_::StaticTable(core::cell::UnsafeCell::new([
    PyGetSetDef {
        name: c"__dict__".as_ptr(),
        get: Some(crate::objects::heaptype::instance_get_dict),
        set: Some(crate::objects::heaptype::instance_set_dict),
        doc: core::ptr::null(),
        closure: core::ptr::null_mut(),
    },
    crate::getter_def!(c"closed", iobase_closed),
    type_::GETSET_END,
]));

method_table!(static IOBASE_METHODS = [
    fast c"seek" => iobase_seek,
    noargs c"tell" => iobase_tell,
    fast c"truncate" => iobase_truncate,
    noargs c"flush" => iobase_flush,
    noargs c"close" => iobase_close,
    noargs c"seekable" => ret_false,
    noargs c"readable" => ret_false,
    noargs c"writable" => ret_false,
    fast c"_checkClosed" => iobase_check_closed,
    fast c"_checkSeekable" => iobase_check_seekable,
    fast c"_checkReadable" => iobase_check_readable,
    fast c"_checkWritable" => iobase_check_writable,
    noargs c"fileno" => iobase_fileno,
    noargs c"isatty" => iobase_isatty,
    noargs c"__enter__" => iobase_enter,
    fast c"__exit__" => iobase_exit,
    kw c"readline" => iobase_readline,
    fast c"readlines" => iobase_readlines,
    o c"writelines" => iobase_writelines,
    noargs c"__del__" => iobase_del,
]);

fn iobase_closed(o: &Obj) -> PyResult<PyRef> {
    // SAFETY: `_IOBase` instances share the layout.
    Ok(bool_::new(unsafe { (*layout(o)).iobase_closed != 0 }))
}

fn iobase_flag_closed(o: &Obj) -> bool {
    // SAFETY: as above.
    unsafe { (*layout(o)).iobase_closed != 0 }
}

fn ret_false(_o: &Obj) -> PyResult<PyRef> {
    Ok(bool_::new(false))
}

fn iobase_seek(_o: &Obj, _a: &[&Obj]) -> PyResult<PyRef> {
    Err(unsupported("seek"))
}

fn iobase_tell(o: &Obj) -> PyResult<PyRef> {
    abstract_::call_method(o, "seek", &[long::small_int_obj(0), long::small_int_obj(1)])
}

fn iobase_truncate(_o: &Obj, _a: &[&Obj]) -> PyResult<PyRef> {
    Err(unsupported("truncate"))
}

fn iobase_flush(o: &Obj) -> PyResult<PyRef> {
    if iobase_flag_closed(o) {
        return Err(closed_error());
    }
    Ok(none::none())
}

fn iobase_close(o: &Obj) -> PyResult<PyRef> {
    if iobase_flag_closed(o) {
        return Ok(none::none());
    }
    let r = abstract_::call_method(o, "flush", &[]);
    // SAFETY: `_IOBase` layout.
    unsafe { (*layout(o)).iobase_closed = 1 };
    r.map(|_| none::none())
}

fn iobase_check_closed(o: &Obj, _a: &[&Obj]) -> PyResult<PyRef> {
    check_closed(o)?;
    Ok(none::none())
}

fn check_capability(o: &Obj, a: &[&Obj], method: &str, msg: &str) -> PyResult<PyRef> {
    let r = abstract_::call_method(o, method, &[])?;
    if !r.is(bool_::new(true).as_ref()) {
        let m = a.first().filter(|m| !is_none(m)).map(|m| unicode::as_str_lossy(m).into_owned()).unwrap_or_else(|| msg.to_string());
        return Err(unsupported(&m));
    }
    Ok(r)
}

fn iobase_check_seekable(o: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    check_capability(o, a, "seekable", "File or stream is not seekable.")
}

fn iobase_check_readable(o: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    check_capability(o, a, "readable", "File or stream is not readable.")
}

fn iobase_check_writable(o: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    check_capability(o, a, "writable", "File or stream is not writable.")
}

pub(crate) fn require_readable(o: &Obj) -> PyResult<()> {
    check_capability(o, &[], "readable", "File or stream is not readable.").map(drop)
}

pub(crate) fn require_writable(o: &Obj) -> PyResult<()> {
    check_capability(o, &[], "writable", "File or stream is not writable.").map(drop)
}

fn iobase_fileno(_o: &Obj) -> PyResult<PyRef> {
    Err(unsupported("fileno"))
}

fn iobase_isatty(o: &Obj) -> PyResult<PyRef> {
    check_closed(o)?;
    Ok(bool_::new(false))
}

fn iobase_enter(o: &Obj) -> PyResult<PyRef> {
    check_closed(o)?;
    Ok(o.new_ref())
}

fn iobase_exit(o: &Obj, _a: &[&Obj]) -> PyResult<PyRef> {
    abstract_::call_method(o, "close", &[])
}

fn iobase_del(o: &Obj) -> PyResult<PyRef> {
    finalize(o);
    Ok(none::none())
}

unsafe extern "C" fn iobase_iter(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: tp_iter contract.
    let o = unsafe { arg(o) };
    // BytesIO iterates even when closed (its `__next__` is what complains).
    if o.ob_type().is_subtype(&BytesIO_Type) {
        return o.new_ref().into_raw();
    }
    ret_obj(check_closed(o).map(|_| o.new_ref()))
}

unsafe extern "C" fn iobase_iternext(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: tp_iternext contract.
    let o = unsafe { arg(o) };
    match call_named(o, static_name!("readline"), &[]) {
        Ok(line) => match abstract_::len(&line) {
            Ok(0) => core::ptr::null_mut(),
            Ok(_) => line.into_raw(),
            Err(e) => ret_obj(Err(e)),
        },
        Err(e) => ret_obj(Err(e)),
    }
}

static READLINE_SIG: Sig = Sig { name: "readline", params: &["size"], posonly: 1, maxpos: 1, required: 0 };

/// `_IOBase.readline`: byte by byte through `read(1)`, or through `peek` when the object has it.
fn iobase_readline(o: &Obj, a: &[&Obj], kw: Kw) -> PyResult<PyRef> {
    let [size] = argparse::parse(&READLINE_SIG, a, kw)?;
    let limit = size_arg(size)?;
    let peek = abstract_::lookup_attr(o, "peek")?;
    let mut out: Vec<u8> = Vec::new();
    while limit < 0 || (out.len() as isize) < limit {
        let mut nreadahead = 1usize;
        if let Some(peek) = &peek {
            let ahead = abstract_::call_one_arg(peek, long::small_int_obj(1))?;
            let Some(ahead) = bytes_result(&ahead, "peek")? else { break };
            if !ahead.is_empty() {
                let mut n = ahead.iter().position(|&b| b == b'\n').map_or(ahead.len(), |i| i + 1);
                if limit >= 0 {
                    n = n.min((limit as usize) - out.len());
                }
                nreadahead = n.max(1);
            }
        }
        let b = abstract_::call_method(o, "read", &[&long::from_usize(nreadahead)])?;
        if is_none(&b) {
            break;
        }
        let Some(b) = bytes_result(&b, "read")? else { break };
        if b.is_empty() {
            break;
        }
        out.extend_from_slice(&b);
        if out.last() == Some(&b'\n') {
            break;
        }
    }
    Ok(bytes::new(&out))
}

fn iobase_readlines(o: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    argparse::check_positional("readlines", a.len(), 0, 1)?;
    let hint = size_arg(a.first().copied())?;
    let result = list::new();
    if hint <= 0 {
        let it = crate::objects::iterobject::get_iter(o)?;
        while let Some(line) = crate::objects::iterobject::next(&it)? {
            list::append(&result, &line);
        }
        return Ok(result);
    }
    let mut total = 0isize;
    let it = crate::objects::iterobject::get_iter(o)?;
    while let Some(line) = crate::objects::iterobject::next(&it)? {
        total += abstract_::len(&line)? as isize;
        list::append(&result, &line);
        if total >= hint {
            break;
        }
    }
    Ok(result)
}

fn iobase_writelines(o: &Obj, lines: &Obj) -> PyResult<PyRef> {
    check_closed(o)?;
    let it = crate::objects::iterobject::get_iter(lines)?;
    while let Some(line) = crate::objects::iterobject::next(&it)? {
        abstract_::call_method(o, "write", &[&line])?;
    }
    Ok(none::none())
}

// ---- _RawIOBase ---------------------------------------------------------------------------------

method_table!(static RAWIOBASE_METHODS = [
    fast c"read" => rawiobase_read,
    noargs c"readall" => rawiobase_readall,
    o c"readinto" => rawiobase_readinto,
    o c"write" => rawiobase_write,
]);

fn rawiobase_read(o: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    argparse::check_positional("read", a.len(), 0, 1)?;
    let n = size_arg(a.first().copied())?;
    if n < 0 {
        return abstract_::call_method(o, "readall", &[]);
    }
    let b = bytearray::new(&vec![0u8; n as usize]);
    let r = abstract_::call_method(o, "readinto", &[&b])?;
    if is_none(&r) {
        return Ok(r);
    }
    let got = argparse::ssize(&r)?;
    if got < 0 || got > n {
        return Err(raise!(ValueError, "readinto returned {} outside buffer size {}", got, n));
    }
    Ok(bytes::new(&bytearray::as_slice(&b)[..got as usize]))
}

fn rawiobase_readall(o: &Obj) -> PyResult<PyRef> {
    let mut out = Vec::new();
    loop {
        let chunk = abstract_::call_method(o, "read", &[&long::from_usize(DEFAULT_BUFFER_SIZE)])?;
        if is_none(&chunk) {
            if out.is_empty() {
                return Ok(chunk);
            }
            break;
        }
        let Some(c) = bytes_result(&chunk, "read")? else { break };
        if c.is_empty() {
            break;
        }
        out.extend_from_slice(&c);
    }
    Ok(bytes::new(&out))
}

fn rawiobase_readinto(_o: &Obj, _b: &Obj) -> PyResult<PyRef> {
    Err(raise!(NotImplementedError, ""))
}

fn rawiobase_write(_o: &Obj, _b: &Obj) -> PyResult<PyRef> {
    Err(raise!(NotImplementedError, ""))
}

// ---- _BufferedIOBase ----------------------------------------------------------------------------

method_table!(static BUFFEREDIOBASE_METHODS = [
    fast c"read" => bufferediobase_read,
    fast c"read1" => bufferediobase_read1,
    o c"readinto" => bufferediobase_readinto,
    o c"readinto1" => bufferediobase_readinto1,
    fast c"write" => bufferediobase_write,
    noargs c"detach" => bufferediobase_detach,
]);

fn bufferediobase_read(_o: &Obj, _a: &[&Obj]) -> PyResult<PyRef> {
    Err(unsupported("read"))
}

fn bufferediobase_read1(_o: &Obj, _a: &[&Obj]) -> PyResult<PyRef> {
    Err(unsupported("read1"))
}

fn bufferediobase_write(_o: &Obj, _a: &[&Obj]) -> PyResult<PyRef> {
    Err(unsupported("write"))
}

fn bufferediobase_detach(_o: &Obj) -> PyResult<PyRef> {
    Err(unsupported("detach"))
}

fn readinto_via(o: &Obj, b: &Obj, method: &str) -> PyResult<PyRef> {
    let n = writable_buffer_len(b)?;
    let data = abstract_::call_method(o, method, &[&long::from_usize(n)])?;
    let Some(data) = bytes_result(&data, method)? else { return Ok(none::none()) };
    if data.len() > n {
        return Err(raise!(ValueError, "read() returned too much data: {} bytes requested, {} returned", n, data.len()));
    }
    Ok(long::from_usize(copy_into_buffer(b, &data)?))
}

fn bufferediobase_readinto(o: &Obj, b: &Obj) -> PyResult<PyRef> {
    readinto_via(o, b, "read")
}

fn bufferediobase_readinto1(o: &Obj, b: &Obj) -> PyResult<PyRef> {
    readinto_via(o, b, "read1")
}

// ---- _TextIOBase ----------------------------------------------------------------------------------

method_table!(static TEXTIOBASE_METHODS = [
    fast c"read" => textiobase_read,
    fast c"readline" => textiobase_readline,
    fast c"write" => textiobase_write,
    noargs c"detach" => bufferediobase_detach,
]);

static TEXTIOBASE_GETSET: type_::StaticTable<PyGetSetDef, 4> = type_::StaticTable(core::cell::UnsafeCell::new([
    crate::getter_def!(c"encoding", ret_none),
    crate::getter_def!(c"newlines", ret_none),
    crate::getter_def!(c"errors", ret_none),
    type_::GETSET_END,
]));

fn ret_none(_o: &Obj) -> PyResult<PyRef> {
    Ok(none::none())
}

fn textiobase_read(_o: &Obj, _a: &[&Obj]) -> PyResult<PyRef> {
    Err(unsupported("read"))
}

fn textiobase_readline(_o: &Obj, _a: &[&Obj]) -> PyResult<PyRef> {
    Err(unsupported("readline"))
}

fn textiobase_write(_o: &Obj, _a: &[&Obj]) -> PyResult<PyRef> {
    Err(unsupported("write"))
}

// ---- the module ------------------------------------------------------------------------------------

/// The `_io` module.
pub fn create() -> PyResult<PyRef> {
    ready_types()?;
    let m = module::new(&unicode::new("_io"))?;
    // SAFETY: the table is static.
    unsafe { module::add_functions(&m, MODULE_METHODS.0.get() as *mut PyMethodDef)? };
    let d = module::dict_of(&m);
    dict::set_item_str(d, "DEFAULT_BUFFER_SIZE", &long::from_usize(DEFAULT_BUFFER_SIZE))?;
    dict::set_item_str(d, "UnsupportedOperation", &unsupported_type())?;
    dict::set_item_str(d, "BlockingIOError", exc::BlockingIOError())?;
    for t in all_types() {
        let full = t.name();
        let short = full.rsplit('.').next().unwrap_or(full);
        dict::set_item_str(d, short, t)?;
    }
    Ok(m)
}

method_table!(static MODULE_METHODS = [
    kw c"open" => io_open,
    kw c"open_code" => io_open_code,
    kw c"text_encoding" => io_text_encoding,
]);

static OPEN_SIG: Sig = Sig {
    name: "open",
    params: &["file", "mode", "buffering", "encoding", "errors", "newline", "closefd", "opener"],
    posonly: 0,
    maxpos: 8,
    required: 1,
};

fn opt_str(o: Option<&Obj>, func: &str, what: &str) -> PyResult<Option<String>> {
    match argparse::not_none(o) {
        None => Ok(None),
        Some(v) if unicode::check(v) => Ok(Some(unicode::as_str(v)?.to_string())),
        Some(v) => Err(raise!(TypeError, "{}() argument '{}' must be str or None, not {}", func, what, v.ob_type().name())),
    }
}

/// `open(file, mode='r', buffering=-1, encoding=None, errors=None, newline=None, closefd=True, opener=None)`.
fn io_open(_m: &Obj, a: &[&Obj], kw: Kw) -> PyResult<PyRef> {
    let [file, mode, buffering, encoding, errors, newline, closefd, opener] = argparse::parse(&OPEN_SIG, a, kw)?;
    let file = file.expect("required");
    let mode_s = match mode {
        None => "r".to_string(),
        Some(m) if unicode::check(m) => unicode::as_str(m)?.to_string(),
        Some(m) => return Err(raise!(TypeError, "open() argument 'mode' must be str, not {}", m.ob_type().name())),
    };
    let buffering = match buffering {
        None => -1,
        Some(b) => argparse::c_int(b)? as i64,
    };
    let encoding_s = opt_str(encoding, "open", "encoding")?;
    let errors_s = opt_str(errors, "open", "errors")?;
    let newline_s = opt_str(newline, "open", "newline")?;
    let closefd = match closefd {
        None => true,
        Some(c) => abstract_::is_true(c)?,
    };
    let (mut creating, mut reading, mut writing, mut appending, mut updating, mut text, mut binary) = (false, false, false, false, false, false, false);
    let mut seen = String::new();
    for c in mode_s.chars() {
        if !"axrwb+t".contains(c) || seen.contains(c) {
            return Err(raise!(ValueError, "invalid mode: '{}'", mode_s));
        }
        seen.push(c);
        match c {
            'x' => creating = true,
            'r' => reading = true,
            'w' => writing = true,
            'a' => appending = true,
            '+' => updating = true,
            't' => text = true,
            _ => binary = true,
        }
    }
    if text && binary {
        return Err(raise!(ValueError, "can't have text and binary mode at once"));
    }
    // None at all is left to FileIO's own message.
    if [creating, reading, writing, appending].iter().filter(|&&x| x).count() > 1 {
        return Err(raise!(ValueError, "must have exactly one of create/read/write/append mode"));
    }
    if binary && encoding_s.is_some() {
        return Err(raise!(ValueError, "binary mode doesn't take an encoding argument"));
    }
    if binary && errors_s.is_some() {
        return Err(raise!(ValueError, "binary mode doesn't take an errors argument"));
    }
    if binary && newline_s.is_some() {
        return Err(raise!(ValueError, "binary mode doesn't take a newline argument"));
    }
    let mut rawmode = String::new();
    for (flag, c) in [(creating, 'x'), (reading, 'r'), (writing, 'w'), (appending, 'a'), (updating, '+')] {
        if flag {
            rawmode.push(c);
        }
    }
    let closefd_obj = bool_::new(closefd);
    let opener = opener.map(|o| o.new_ref()).unwrap_or_else(none::none);
    let raw = abstract_::call(
        &FileIO_Type,
        &tuple::new_from(&[file, &*unicode::new(&rawmode), &closefd_obj, &opener]),
        None,
    )?;
    let result = (|| -> PyResult<PyRef> {
        let mut buffering = buffering;
        let mut line_buffering = false;
        if buffering == 1 || (buffering < 0 && call_bool(&raw, "isatty")?) {
            buffering = -1;
            line_buffering = true;
        }
        if buffering < 0 {
            let blksize = fileio::blksize(&raw).unwrap_or(0);
            buffering = (blksize.min(8192 * 1024) as i64).max(DEFAULT_BUFFER_SIZE as i64);
        }
        if buffering == 0 {
            if binary {
                return Ok(raw.clone());
            }
            return Err(raise!(ValueError, "can't have unbuffered text I/O"));
        }
        let cls: &TypeObj = if updating {
            &BufferedRandom_Type
        } else if creating || writing || appending {
            &BufferedWriter_Type
        } else {
            &BufferedReader_Type
        };
        let buffer = abstract_::call(cls, &tuple::new_from(&[&*raw, &*long::from_i64(buffering)]), None)?;
        if binary {
            return Ok(buffer);
        }
        let enc = encoding_s.clone().unwrap_or_else(|| "utf-8".to_string());
        let text = textio::new_wrapper(&buffer, &enc, errors_s.as_deref(), newline_s.as_deref(), line_buffering, false);
        let text = match text {
            Ok(t) => t,
            Err(e) => {
                let _ = abstract_::call_method(&buffer, "close", &[]);
                return Err(e);
            }
        };
        abstract_::setattr(&text, &unicode::new("mode"), Some(&unicode::new(&mode_s)))?;
        Ok(text)
    })();
    if result.is_err() {
        let saved = PyErr::take();
        let _ = abstract_::call_method(&raw, "close", &[]);
        PyErr::take();
        if let Some(e) = saved {
            e.restore();
        }
    }
    result
}

static OPEN_CODE_SIG: Sig = Sig { name: "open_code", params: &["path"], posonly: 0, maxpos: 1, required: 1 };

fn io_open_code(m: &Obj, a: &[&Obj], kw: Kw) -> PyResult<PyRef> {
    let [path] = argparse::parse(&OPEN_CODE_SIG, a, kw)?;
    let path = path.expect("required");
    if !unicode::check(path) {
        return Err(raise!(TypeError, "open_code() argument 'path' must be str, not {}", path.ob_type().name()));
    }
    io_open(m, &[path, &unicode::new("rb")], Kw::NONE)
}

static TEXT_ENCODING_SIG: Sig = Sig { name: "text_encoding", params: &["encoding", "stacklevel"], posonly: 2, maxpos: 2, required: 1 };

/// `text_encoding(encoding, stacklevel=2, /)`: the encoding, or "utf-8" for None (Pyrite runs
/// in UTF-8 mode, the 3.15 default).
fn io_text_encoding(_m: &Obj, a: &[&Obj], kw: Kw) -> PyResult<PyRef> {
    let [encoding, _stacklevel] = argparse::parse(&TEXT_ENCODING_SIG, a, kw)?;
    let e = encoding.expect("required");
    if is_none(e) {
        return Ok(unicode::new("utf-8"));
    }
    Ok(e.new_ref())
}

// ---- the standard streams -------------------------------------------------------------------------

/// Makes `sys.stdin`, `sys.stdout`, `sys.stderr` (and the `__std*__` originals): text
/// wrappers over fds 0–2, as CPython's `create_stdio` does. stdout is line-buffered on a
/// terminal; stderr always is, with `backslashreplace` errors.
pub fn init_std_streams() -> PyResult<()> {
    ready_types()?;
    // `builtins.open` is `_io.open`.
    let io = crate::import::import_module("_io")?;
    let open = abstract_::getattr_str(&io, "open")?;
    dict::set_item_str(module::dict_of(&crate::builtins::module()), "open", &open)?;
    let d = module::dict_of(&crate::sys::module()).new_ref();
    for (fd, name, mode) in [(0, "stdin", "r"), (1, "stdout", "w"), (2, "stderr", "w")] {
        // Closed when the process started (the command line holds it on /dev/null meanwhile).
        let closed_at_start = crate::config::get().closed_std_fds[fd as usize];
        let raw = if closed_at_start {
            Err(raise!(OSError, "bad file descriptor"))
        } else {
            abstract_::call(
                &FileIO_Type,
                &tuple::new_from(&[&*long::from_i64(fd), &*unicode::new(&format!("{mode}b")), &*bool_::new(false)]),
                None,
            )
        };
        let Ok(raw) = raw else {
            // A closed standard descriptor: the stream is None, as in CPython.
            PyErr::take();
            dict::set_item_str(&d, name, none::none_obj())?;
            dict::set_item_str(&d, &format!("__{name}__"), none::none_obj())?;
            continue;
        };
        abstract_::setattr(&raw, &unicode::new("name"), Some(&unicode::new(&format!("<{name}>"))))?;
        let tty = call_bool(&raw, "isatty")?;
        // `-u` (PYTHONUNBUFFERED): the output streams write straight to the descriptor.
        let unbuffered = crate::config::get().unbuffered && fd != 0;
        let buffer = if unbuffered {
            raw.clone()
        } else {
            let cls: &TypeObj = if fd == 0 { &BufferedReader_Type } else { &BufferedWriter_Type };
            abstract_::call(cls, &tuple::new_from(&[&*raw]), None)?
        };
        let errors = if fd == 2 { "backslashreplace" } else { "strict" };
        let line_buffering = !unbuffered && (fd == 2 || (fd == 1 && tty));
        let text = textio::new_wrapper(&buffer, "utf-8", Some(errors), Some("\n"), line_buffering, unbuffered)?;
        abstract_::setattr(&text, &unicode::new("mode"), Some(&unicode::new(mode)))?;
        dict::set_item_str(&d, name, &text)?;
        dict::set_item_str(&d, &format!("__{name}__"), &text)?;
    }
    Ok(())
}

/// `sys.stdout`, if set and not None (print's default file).
pub fn sys_stdout() -> Option<PyRef> {
    crate::objects::dict::get_item_borrowed(module::dict_of(&crate::sys::module()), static_name!("stdout"))
        .filter(|s| !is_none(s))
        .map(|s| s.new_ref())
}

/// `file.write(text)` (print's pieces).
pub fn write_to(file: &Obj, text: &Obj) -> PyResult<()> {
    call_named(file, static_name!("write"), &[text]).map(drop)
}

/// `sys.<name>`, if set and not None.
pub fn sys_stream(name: &str) -> Option<PyRef> {
    dict::get_item_str(module::dict_of(&crate::sys::module()), name).filter(|s| !is_none(s))
}

/// Flushes `sys.stdout` and `sys.stderr` (before a traceback is written, and at exit); errors
/// are dropped and the current exception is kept.
pub fn flush_std_streams() {
    let saved = PyErr::take();
    for name in ["stdout", "stderr"] {
        if let Some(s) = sys_stream(name) {
            if abstract_::call_method(&s, "flush", &[]).is_err() {
                PyErr::take();
            }
        }
    }
    if let Some(e) = saved {
        e.restore();
    }
}

/// At exit: the standard streams, then every buffered writer still alive (CPython flushes
/// them when it tears the objects down; Pyrite does not tear objects down).
pub fn flush_at_exit() {
    flush_std_streams();
    buffered::flush_live_writers();
}
