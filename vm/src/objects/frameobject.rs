//! Frame objects (`frame`), made on demand for a running frame (`PyEval_GetFrame`), as
//! CPython makes `PyFrameObject`s lazily for its `_PyInterpreterFrame`s.
//!
//! The object points at its `interp::Frame` while that runs; when the frame finishes it
//! detaches (keeping its last line number), so references that outlive the frame stay valid.
//! The layout is private: the Stable ABI sees frames only through functions.

use core::ffi::{c_int, c_void};
use core::mem::size_of;
use core::ptr::null_mut;

use pyrite_abi::*;

use crate::err::PyResult;
use crate::interp::Frame;
use crate::object::{Obj, PyRef};
use crate::objects::type_::{StaticTable, TypeObj, BUILTIN_FLAGS};
use crate::objects::{code, long, none, unicode};
use crate::private_static_type;
use crate::slot::arg;

#[repr(C)]
pub struct FrameObject {
    pub ob_base: PyObject,
    /// The running frame, NULL once it finished.
    frame: *const Frame,
    code: *mut PyObject,
    globals: *mut PyObject,
    builtins: *mut PyObject,
    /// The line when the frame finished.
    lineno: c_int,
    /// The last instruction (code units) when the frame finished.
    lasti: c_int,
    /// `PyEval_GetLocals`' snapshot of a function's locals (owned, or NULL).
    locals_cache: *mut PyObject,
    /// The generator, coroutine or async generator whose frame this is (borrowed: set when
    /// the frame is suspended or `gi_frame` asks for it; valid while `frame` is not NULL,
    /// since such a frame lives in its generator).
    generator: *mut PyObject,
}

private_static_type!(PyFrame_Type, c"frame", size_of::<FrameObject>(), {
    tp_flags: BUILTIN_FLAGS | Py_TPFLAGS_HAVE_GC,
    tp_dealloc: Some(frame_dealloc),
    tp_traverse: Some(frame_traverse),
    tp_clear: Some(frame_clear),
    tp_repr: Some(frame_repr),
    tp_getset: FRAME_GETSET.0.get() as *mut PyGetSetDef,
    tp_methods: FRAME_METHODS.0.get() as *mut PyMethodDef,
    tp_free: Some(crate::alloc::gc_del),
});

crate::method_table!(static FRAME_METHODS = [
    noargs c"clear" => m_clear,
]);

/// `frame.clear()`: drops what a finished frame still holds (its locals snapshot); a running
/// frame cannot be cleared.
fn m_clear(o: &Obj) -> PyResult<PyRef> {
    // SAFETY: a live frame object.
    unsafe {
        let r = raw(o);
        if !(*r).frame.is_null() {
            return Err(raise!(RuntimeError, "cannot clear an executing frame"));
        }
        crate::object::xdecref(core::mem::replace(&mut (*r).locals_cache, core::ptr::null_mut()));
    }
    Ok(crate::objects::none::none())
}

static FRAME_GETSET: StaticTable<PyGetSetDef, 8> = StaticTable(core::cell::UnsafeCell::new([
    crate::getter_def!(c"f_code", g_code),
    crate::getter_def!(c"f_back", g_back),
    crate::getter_def!(c"f_lasti", g_lasti),
    crate::getter_def!(c"f_lineno", g_lineno),
    crate::getter_def!(c"f_globals", g_globals),
    crate::getter_def!(c"f_builtins", g_builtins),
    crate::getter_def!(c"f_locals", g_locals),
    PyGetSetDef { name: core::ptr::null(), get: None, set: None, doc: core::ptr::null(), closure: null_mut() },
]));

pub fn types() -> [&'static TypeObj; 1] {
    [&PyFrame_Type]
}

pub fn check(o: &Obj) -> bool {
    o.is_exact(&PyFrame_Type)
}

#[inline(always)]
fn raw(o: &Obj) -> *mut FrameObject {
    o.as_ptr() as *mut FrameObject
}

/// The frame object of a running frame (borrowed: the frame owns it), made on first use.
pub fn of(f: &Frame) -> PyResult<*mut PyObject> {
    let p = f.frame_obj.get();
    if !p.is_null() {
        return Ok(p);
    }
    // SAFETY: PyFrame_Type is live; the object is zeroed.
    let o = unsafe { crate::slot::from_new(crate::alloc::generic_alloc(PyFrame_Type.raw(), 0))? };
    // SAFETY: a fresh frame object.
    unsafe {
        let r = raw(&o);
        (*r).frame = f as *const Frame;
        (*r).code = f.code.clone().into_raw();
        (*r).globals = f.globals.clone().into_raw();
        (*r).builtins = f.builtins.clone().into_raw();
    }
    let p = o.into_raw();
    f.frame_obj.set(p);
    Ok(p)
}

/// The frame finished: the object keeps `lineno` and forgets the frame.
///
/// # Safety
/// `o` is a frame object.
pub unsafe fn detach(o: *mut PyObject, lineno: u32, lasti: usize) {
    // SAFETY: guaranteed by the caller.
    unsafe {
        let r = o as *mut FrameObject;
        (*r).frame = core::ptr::null();
        (*r).lineno = lineno as c_int;
        (*r).lasti = lasti as c_int;
    }
}

/// Records that `o`'s frame belongs to the generator `g` (see `FrameObject::generator`).
///
/// # Safety
/// `o` is a frame object whose frame `g` owns.
pub unsafe fn set_generator(o: *mut PyObject, g: *mut PyObject) {
    // SAFETY: guaranteed by the caller.
    unsafe { (*(o as *mut FrameObject)).generator = g };
}

/// What `PyEval_EvalFrame` finds in a frame object.
pub enum FrameState {
    /// The frame of this generator (or coroutine, async generator), which is not running.
    Suspended(PyRef),
    /// The frame runs (it is on some thread's stack, or its generator is running).
    Executing,
    /// The frame finished.
    Finished,
}

/// The state of the frame behind the frame object `o`.
pub fn state(o: &Obj) -> FrameState {
    // SAFETY: a live frame object.
    let r = unsafe { &*raw(o) };
    if r.frame.is_null() {
        return FrameState::Finished;
    }
    if r.generator.is_null() {
        return FrameState::Executing;
    }
    // SAFETY: the frame is live, so is the generator owning it.
    let g = unsafe { Obj::from_ptr(r.generator) }.new_ref();
    if crate::objects::genobject::is_running(&g) { FrameState::Executing } else { FrameState::Suspended(g) }
}

fn running(o: &Obj) -> Option<&Frame> {
    // SAFETY: a frame object's frame pointer is live until `detach` clears it.
    unsafe { (*raw(o)).frame.as_ref() }
}

/// `PyFrame_GetCode` (a new reference).
pub fn code_of(o: &Obj) -> PyRef {
    // SAFETY: a frame object owns its code.
    unsafe { Obj::from_ptr((*raw(o)).code) }.new_ref()
}

/// `PyFrame_GetLineNumber`: the current line while running, else the last one.
pub fn line_number(o: &Obj) -> c_int {
    match running(o) {
        Some(f) => f.lineno() as c_int,
        // SAFETY: a frame object.
        None => unsafe { (*raw(o)).lineno },
    }
}

/// `PyEval_GetLocals`: the namespace of a module or class body, or a snapshot of a function's
/// locals kept on the frame object (borrowed either way), as CPython 3.13+ does.
pub fn locals_borrowed(o: &Obj) -> PyResult<*mut PyObject> {
    let Some(f) = running(o) else { return Ok(null_mut()) };
    if let Some(l) = &f.locals {
        return Ok(l.as_ptr());
    }
    let snap = f.locals_snapshot()?;
    // SAFETY: the cache is owned by the frame object.
    unsafe {
        let r = raw(o);
        crate::object::xdecref(core::mem::replace(&mut (*r).locals_cache, snap.into_raw()));
        Ok((*r).locals_cache)
    }
}

unsafe extern "C" fn frame_dealloc(o: *mut PyObject) {
    // SAFETY: a dead frame object (its frame finished: it held a reference until then).
    unsafe {
        let r = o as *mut FrameObject;
        for p in [(*r).code, (*r).globals, (*r).builtins, (*r).locals_cache] {
            crate::object::xdecref(p);
        }
        crate::alloc::gc_del(o as *mut c_void);
    }
}

unsafe extern "C" fn frame_repr(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live frame object.
    let f = unsafe { arg(o) };
    let c = code_of(f);
    let cd = code::data(&c);
    let s = format!(
        "<frame at {:p}, file '{}', line {}, code {}>",
        o,
        unicode::as_str_lossy(&cd.filename),
        line_number(f),
        unicode::as_str_lossy(&cd.name)
    );
    unicode::new(&s).into_raw()
}

fn g_code(o: &Obj) -> PyResult<PyRef> {
    Ok(code_of(o))
}

/// `f_back`: the caller's frame while this one runs (None for the outermost, or once finished).
fn g_back(o: &Obj) -> PyResult<PyRef> {
    let Some(f) = running(o) else { return Ok(none::none()) };
    match crate::interp::with_caller_of(f, of) {
        // SAFETY: `of` returns a borrowed frame object the running frame keeps alive.
        Some(r) => Ok(unsafe { Obj::from_ptr(r?) }.new_ref()),
        None => Ok(none::none()),
    }
}

/// `f_lasti`: the byte offset of the instruction running (or last run).
fn g_lasti(o: &Obj) -> PyResult<PyRef> {
    let units = match running(o) {
        Some(f) => f.lasti as i64,
        // SAFETY: a frame object.
        None => (unsafe { (*raw(o)).lasti }) as i64,
    };
    Ok(long::from_i64(2 * units))
}

fn g_lineno(o: &Obj) -> PyResult<PyRef> {
    Ok(long::from_i64(line_number(o) as i64))
}

fn g_globals(o: &Obj) -> PyResult<PyRef> {
    // SAFETY: owned by the frame object.
    Ok(unsafe { Obj::from_ptr((*raw(o)).globals) }.new_ref())
}

fn g_builtins(o: &Obj) -> PyResult<PyRef> {
    // SAFETY: owned by the frame object.
    Ok(unsafe { Obj::from_ptr((*raw(o)).builtins) }.new_ref())
}

fn g_locals(o: &Obj) -> PyResult<PyRef> {
    match running(o) {
        Some(f) => f.locals_snapshot(),
        None => Ok(none::none()),
    }
}

/// The code unit the frame is executing (0 once it finished), for traceback entries.
pub fn lasti(o: &Obj) -> usize {
    running(o).map_or(0, |f| f.lasti)
}

/// What the frame object owns; a running frame's locals belong to the running frame, which
/// is a root for the collector.
unsafe extern "C" fn frame_traverse(o: *mut PyObject, visit: visitproc, a: *mut c_void) -> c_int {
    // SAFETY: a live frame object owning these references.
    unsafe {
        let r = o as *mut FrameObject;
        crate::gc::visit_each(&[(*r).code, (*r).globals, (*r).builtins, (*r).locals_cache], visit, a)
    }
}

unsafe extern "C" fn frame_clear(o: *mut PyObject) -> c_int {
    // SAFETY: a live frame object; the snapshot of locals may go.
    unsafe { crate::gc::clear_each(&[&raw mut (*(o as *mut FrameObject)).locals_cache]) };
    0
}
