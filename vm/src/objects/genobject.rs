//! Generators, coroutines and async generators: a suspended frame owned by a `generator`,
//! `coroutine` or `async_generator` object (one layout, three static types). Resuming pushes
//! the frame as the entry frame of a new run of the evaluation loop; `YIELD_VALUE` hands it
//! back. Coroutines are awaited through `coroutine_wrapper` (`__await__`); an async
//! generator's `asend`/`athrow`/`aclose` return the awaitables `async_generator_asend` and
//! `async_generator_athrow`, and its own yields travel wrapped
//! (`async_generator_wrapped_value`) so that they can be told apart from the values its
//! awaits pass through to the event loop.

use core::cell::UnsafeCell;
use core::ffi::c_void;
use core::ptr::null_mut;

use pyrite_abi::*;

use crate::err::{PyErr, PyResult};
use crate::interp::{Exit, Frame, FrameBox};
use crate::object::{Obj, PyRef, StaticObject};
use crate::objects::type_::{getset, StaticTable, TypeObj, BUILTIN_FLAGS, GETSET_END};
use crate::objects::{bool_, code, exceptions as exc, none, tuple, unicode};
use crate::slot::{arg, ret_obj};
use crate::private_static_type;

#[repr(C)]
pub struct GenObject {
    pub ob_base: PyObject,
    /// The suspended frame (boxed), NULL once the generator finished.
    frame: *mut Frame,
    name: *mut PyObject,
    qualname: *mut PyObject,
    code: *mut PyObject,
    started: bool,
    running: bool,
    /// Async generators: an `asend`/`athrow` awaitable is driving it.
    running_async: bool,
    /// Async generators: finished, or `aclose()` began.
    closed: bool,
    /// The exception the suspended frame is handling (owned, or NULL).
    exc_state: *mut PyObject,
    /// Async generators: the thread's `firstiter` hook has been called for it.
    hooks_inited: bool,
}

const GEN_SIZE: usize = core::mem::size_of::<GenObject>();

private_static_type!(PyGen_Type, c"generator", GEN_SIZE, {
    tp_flags: BUILTIN_FLAGS | Py_TPFLAGS_HAVE_GC,
    tp_dealloc: Some(gen_dealloc),
    tp_traverse: Some(gen_traverse),
    tp_repr: Some(gen_repr),
    tp_iter: Some(crate::objects::iterobject::self_iter),
    tp_iternext: Some(gen_iternext),
    tp_free: Some(crate::alloc::gc_del),
    tp_methods: GEN_METHODS.0.get() as *mut PyMethodDef,
    tp_getset: GEN_GETSET.0.get() as *mut PyGetSetDef,
});

private_static_type!(PyCoro_Type, c"coroutine", GEN_SIZE, {
    tp_flags: BUILTIN_FLAGS | Py_TPFLAGS_HAVE_GC,
    tp_dealloc: Some(gen_dealloc),
    tp_traverse: Some(gen_traverse),
    tp_repr: Some(gen_repr),
    tp_as_async: CORO_AS_ASYNC.0.get(),
    tp_free: Some(crate::alloc::gc_del),
    tp_methods: CORO_METHODS.0.get() as *mut PyMethodDef,
    tp_getset: CORO_GETSET.0.get() as *mut PyGetSetDef,
});

private_static_type!(PyAsyncGen_Type, c"async_generator", GEN_SIZE, {
    tp_flags: BUILTIN_FLAGS | Py_TPFLAGS_HAVE_GC,
    tp_dealloc: Some(gen_dealloc),
    tp_traverse: Some(gen_traverse),
    tp_repr: Some(gen_repr),
    tp_as_async: ASYNC_GEN_AS_ASYNC.0.get(),
    tp_free: Some(crate::alloc::gc_del),
    tp_methods: ASYNC_GEN_METHODS.0.get() as *mut PyMethodDef,
    tp_getset: ASYNC_GEN_GETSET.0.get() as *mut PyGetSetDef,
});

/// `coroutine_wrapper` (what `coroutine.__await__()` returns), `async_generator_asend` and
/// `async_generator_athrow` share this layout.
#[repr(C)]
struct AwaitableObject {
    ob_base: PyObject,
    /// The coroutine or async generator (owned).
    target: *mut PyObject,
    /// asend: the value to send first; athrow: the arguments tuple, NULL for `aclose()`.
    arg: *mut PyObject,
    state: u8,
}

const AWAITABLE_SIZE: usize = core::mem::size_of::<AwaitableObject>();
const STATE_INIT: u8 = 0;
const STATE_ITER: u8 = 1;
const STATE_CLOSED: u8 = 2;

private_static_type!(PyCoroWrapper_Type, c"coroutine_wrapper", AWAITABLE_SIZE, {
    tp_flags: BUILTIN_FLAGS,
    tp_dealloc: Some(awaitable_dealloc),
    tp_iter: Some(crate::objects::iterobject::self_iter),
    tp_iternext: Some(wrapper_iternext),
    tp_methods: WRAPPER_METHODS.0.get() as *mut PyMethodDef,
});

private_static_type!(PyAsyncGenASend_Type, c"async_generator_asend", AWAITABLE_SIZE, {
    tp_flags: BUILTIN_FLAGS,
    tp_dealloc: Some(awaitable_dealloc),
    tp_as_async: AWAITABLE_AS_ASYNC.0.get(),
    tp_iter: Some(crate::objects::iterobject::self_iter),
    tp_iternext: Some(asend_iternext),
    tp_methods: ASEND_METHODS.0.get() as *mut PyMethodDef,
});

private_static_type!(PyAsyncGenAThrow_Type, c"async_generator_athrow", AWAITABLE_SIZE, {
    tp_flags: BUILTIN_FLAGS,
    tp_dealloc: Some(awaitable_dealloc),
    tp_as_async: AWAITABLE_AS_ASYNC.0.get(),
    tp_iter: Some(crate::objects::iterobject::self_iter),
    tp_iternext: Some(athrow_iternext),
    tp_methods: ATHROW_METHODS.0.get() as *mut PyMethodDef,
});

/// A value yielded by an async generator itself (not by what it awaits).
#[repr(C)]
struct WrappedValue {
    ob_base: PyObject,
    val: *mut PyObject,
}

private_static_type!(PyAsyncGenWrappedValue_Type, c"async_generator_wrapped_value", core::mem::size_of::<WrappedValue>(), {
    tp_flags: BUILTIN_FLAGS,
    tp_dealloc: Some(wrapped_dealloc),
});

pub fn types() -> [&'static TypeObj; 8] {
    [
        &PyGen_Type,
        &PyCoro_Type,
        &PyAsyncGen_Type,
        &PyCoroWrapper_Type,
        &PyAsyncGenASend_Type,
        &PyAsyncGenAThrow_Type,
        &PyAsyncGenWrappedValue_Type,
        &PyAnextAwaitable_Type,
    ]
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Generator,
    Coroutine,
    AsyncGenerator,
}

impl Kind {
    fn of(g: &Obj) -> Kind {
        if g.is_exact(&PyCoro_Type) {
            Kind::Coroutine
        } else if g.is_exact(&PyAsyncGen_Type) {
            Kind::AsyncGenerator
        } else {
            Kind::Generator
        }
    }

    /// How CPython's messages name the object.
    fn noun(self) -> &'static str {
        match self {
            Kind::Generator => "generator",
            Kind::Coroutine => "coroutine",
            Kind::AsyncGenerator => "async generator",
        }
    }
}

/// A generator, coroutine or async generator (by the code's flags) suspended at the start
/// of `frame`.
pub fn new(frame: FrameBox) -> PyRef {
    let cd = code::data(&frame.code);
    let (name, qualname) = (cd.name.new_ref(), cd.qualname.new_ref());
    let ty = if cd.flags & code::CO_COROUTINE != 0 {
        &PyCoro_Type
    } else if cd.flags & code::CO_ASYNC_GENERATOR != 0 {
        &PyAsyncGen_Type
    } else {
        &PyGen_Type
    };
    let code_obj = frame.code.new_ref();
    // SAFETY: a live static type; the object is fully initialised before it is shared.
    unsafe {
        let op = crate::alloc::alloc_object(ty.raw(), GEN_SIZE, true);
        assert!(!op.is_null(), "out of memory allocating a generator");
        let g = op as *mut GenObject;
        (*g).frame = FrameBox::into_raw(frame);
        (*g).name = name.into_raw();
        (*g).qualname = qualname.into_raw();
        (*g).code = code_obj.into_raw();
        PyRef::from_raw(op)
    }
}

#[inline(always)]
fn raw(o: &Obj) -> *mut GenObject {
    o.as_ptr() as *mut GenObject
}

/// Whether `o` is exactly a generator.
#[inline(always)]
pub fn check(o: &Obj) -> bool {
    o.is_exact(&PyGen_Type)
}

/// Whether `o` is exactly a coroutine.
#[inline(always)]
pub fn is_coroutine(o: &Obj) -> bool {
    o.is_exact(&PyCoro_Type)
}

/// Whether `o` is exactly an async generator.
#[inline(always)]
pub fn is_async_gen(o: &Obj) -> bool {
    o.is_exact(&PyAsyncGen_Type)
}

fn code_flags(g: &Obj) -> u32 {
    // SAFETY: g has GenObject's layout; its code is a live code object.
    code::data(unsafe { arg((*raw(g)).code) }).flags
}

/// A coroutine, or a generator whose code is marked `CO_ITERABLE_COROUTINE`.
fn is_awaitable_coroutine(o: &Obj) -> bool {
    is_coroutine(o) || (check(o) && code_flags(o) & code::CO_ITERABLE_COROUTINE != 0)
}

/// `next(g)` for a generator: `Ok(None)` when it is exhausted (a return value other than
/// None is raised as `StopIteration(value)`, as `tp_iternext` does).
pub fn iter_next(g: &Obj) -> PyResult<Option<PyRef>> {
    resume(g, None, None, false)
}

/// `FOR_ITER_GEN` resuming generator `g` in its caller's evaluation loop (CPython 3.12+ does
/// the same): when `g` is exactly a generator that is suspended, not running and not
/// finished, returns its frame marked running (the sent None pushed, the generator's handled
/// exception made current, `Frame::generator` holding a new reference to `g`). The caller
/// pushes the frame on its frame list and ends the run with [`inline_suspended`] at a yield
/// or [`inline_finished`] at a return or an exception.
pub fn enter_inline(g: &Obj) -> Option<FrameBox> {
    if !check(g) {
        return None;
    }
    let r = raw(g);
    // SAFETY: g is a generator; its frame pointer is NULL or a box it owns.
    unsafe {
        if (*r).running || (*r).frame.is_null() {
            return None;
        }
        let mut frame = FrameBox::from_raw(core::mem::replace(&mut (*r).frame, null_mut()));
        frame.push_sent(none::none());
        (*r).started = true;
        (*r).running = true;
        crate::interp::enter_generator_exc(core::mem::replace(&mut (*r).exc_state, null_mut()));
        frame.generator = g.new_ref().into_raw();
        Some(frame)
    }
}

/// The inline run of generator `g` (the reference [`enter_inline`] stored, given up here)
/// yielded: `frame` goes back into it, suspended.
///
/// # Safety
/// `g` is the generator `frame` was taken from by [`enter_inline`], owned by the caller.
pub unsafe fn inline_suspended(g: *mut PyObject, frame: FrameBox) {
    // SAFETY: as promised; the caller's reference keeps `g` alive until the decref.
    unsafe {
        let r = g as *mut GenObject;
        (*r).running = false;
        (*r).exc_state = crate::interp::leave_generator_exc();
        (*r).frame = FrameBox::into_raw(frame);
        // A frame object made while it ran now belongs to a suspended generator.
        let fo = (*(*r).frame).frame_obj.get();
        if !fo.is_null() {
            crate::objects::frameobject::set_generator(fo, g);
        }
        crate::object::decref(g);
    }
}

/// The inline run of generator `g` ended (its frame, already dropped, returned or raised
/// `error`): `g` is finished. Returns the exception for the caller, turned into
/// `RuntimeError` when a `StopIteration` escaped (PEP 479, [`escaped`]), as [`resume`] does.
///
/// # Safety
/// `g` is the generator of a frame from [`enter_inline`], owned by the caller.
pub unsafe fn inline_finished(g: *mut PyObject, error: Option<PyErr>) -> Option<PyErr> {
    // SAFETY: as promised.
    unsafe {
        let r = g as *mut GenObject;
        (*r).running = false;
        crate::object::xdecref(crate::interp::leave_generator_exc());
        crate::object::decref(g);
    }
    Some(escaped(Kind::Generator, error?))
}

/// What a `yield from` receiver did with a value sent into it.
pub enum Sent {
    Yielded(PyRef),
    Returned(PyRef),
}

/// `yield from`'s and `await`'s step: sends `v` into `receiver` (a generator or coroutine
/// directly; other iterators by `__next__` for None, else their `send` method).
pub fn send_into(receiver: &Obj, v: &Obj) -> PyResult<Sent> {
    let r = if check(receiver) || is_coroutine(receiver) {
        resume(receiver, Some(v), None, false)
    } else if v.is(none::none_obj()) {
        let Some(next) = receiver.ob_type().slots().tp_iternext else {
            return Err(raise!(TypeError, "'{}' object is not an iterator", receiver.ob_type().name()));
        };
        // SAFETY: slot call with a live argument; NULL with or without an exception.
        match unsafe { PyRef::from_raw_opt(next(receiver.as_ptr())) } {
            Some(y) => Ok(Some(y)),
            None => match PyErr::take() {
                None => Ok(None),
                Some(e) => Err(e),
            },
        }
    } else {
        crate::abstract_::call_method(receiver, "send", &[v]).map(Some)
    };
    match r {
        Ok(Some(y)) => Ok(Sent::Yielded(y)),
        Ok(None) => Ok(Sent::Returned(none::none())),
        Err(e) if e.is_instance(exc::StopIteration()) => Ok(Sent::Returned(exc::stop_iteration_value(e.value()))),
        Err(e) => Err(e),
    }
}

/// The iterator `await o` delegates to (CPython's `_PyCoro_GetAwaitableIter`): a coroutine
/// itself, else what the type's `__await__` returns, which must be an iterator.
pub fn awaitable_iter(o: &Obj) -> PyResult<PyRef> {
    if is_awaitable_coroutine(o) {
        return Ok(o.new_ref());
    }
    let t = o.ob_type();
    // SAFETY: a type's async suite is NULL or a live table.
    let am_await = unsafe { t.slots().tp_as_async.as_ref() }.and_then(|a| a.am_await);
    let Some(f) = am_await else {
        return Err(raise!(TypeError, "'{}' object can't be awaited", t.name()));
    };
    // SAFETY: slot call with a live argument.
    let res = unsafe { crate::slot::from_new(f(o.as_ptr())) }?;
    if is_awaitable_coroutine(&res) || res.ob_type().slots().tp_iternext.is_none() {
        // CPython 3.15's `%T`: the qualified name, without `builtins.`/`__main__.`.
        let qual = crate::objects::type_::qualified_name(t);
        let qual = qual.strip_prefix("__main__.").unwrap_or(&qual);
        let what = if is_awaitable_coroutine(&res) { "coroutine" } else { res.ob_type().name() };
        return Err(raise!(TypeError, "{}.__await__() must return an iterator, not {}", qual, what));
    }
    Ok(res)
}

/// Whether `o`'s type can be awaited at all (has `__await__`, or is a coroutine).
pub fn has_await(o: &Obj) -> bool {
    // SAFETY: a type's async suite is NULL or a live table.
    is_awaitable_coroutine(o) || unsafe { o.ob_type().slots().tp_as_async.as_ref() }.is_some_and(|a| a.am_await.is_some())
}

/// What a generator or coroutine suspended in `yield from`/`await` delegates to (CPython's
/// `_PyGen_yf`): the receiver below the yield of the delegation loop (`YIELD_VALUE 1`).
pub fn yielding_from(g: &Obj) -> Option<PyRef> {
    // SAFETY: g has GenObject's layout; a suspended frame is ours to read.
    unsafe {
        let r = raw(g);
        if (*r).frame.is_null() || (*r).running || !(*r).started {
            return None;
        }
        let f = &*(*r).frame;
        let u = code::adaptive(&f.code).get(f.lasti)?.get();
        if crate::bytecode::Opcode::from_u8(u as u8) != Some(crate::bytecode::Opcode::YIELD_VALUE) || (u >> 8) != 1 {
            return None;
        }
        f.stack.last().map(|&p| Obj::from_ptr(p).new_ref())
    }
}

/// Resumes the generator with `value` sent in (or `throw` raised at the yield).
/// `Ok(Some(v))` it yielded `v`; `Ok(None)` it finished (its return value, if not None, is
/// raised as `StopIteration(value)` only when `raise_stop`).
fn resume(g: &Obj, value: Option<&Obj>, throw: Option<PyErr>, raise_stop: bool) -> PyResult<Option<PyRef>> {
    let kind = Kind::of(g);
    let r = raw(g);
    // SAFETY: g is a generator; its frame pointer is NULL or a box we own.
    unsafe {
        if (*r).running {
            return Err(raise!(ValueError, "{} already executing", kind.noun()));
        }
        if (*r).frame.is_null() {
            if kind == Kind::Coroutine {
                return Err(raise!(RuntimeError, "cannot reuse already awaited coroutine"));
            }
            return match throw {
                Some(e) => Err(e),
                None if raise_stop => Err(PyErr::from_type_no_args(exc::StopIteration())),
                None => Ok(None),
            };
        }
        if !(*r).started && throw.is_none() && value.is_some_and(|v| !v.is(none::none_obj())) {
            return Err(raise!(TypeError, "can't send non-None value to a just-started {}", kind.noun()));
        }
        let mut frame = FrameBox::from_raw(core::mem::replace(&mut (*r).frame, null_mut()));
        // A throw resumes with None in the sent value's slot too (the `yield from` handler
        // finds it below the exception, as CPython's CLEANUP_THROW does).
        frame.push_sent(value.filter(|_| throw.is_none()).map_or_else(none::none, Obj::new_ref));
        if let Some(e) = throw {
            frame.pending_throw = Some(e);
        }
        (*r).started = true;
        (*r).running = true;
        let mut frames = crate::interp::FrameList::new(frame);
        crate::interp::enter_generator_exc(core::mem::replace(&mut (*r).exc_state, null_mut()));
        let result = crate::interp::run(&mut frames);
        let own = crate::interp::leave_generator_exc();
        (*r).running = false;
        if matches!(result, Ok(Exit::Yield(_))) {
            (*r).exc_state = own;
        } else {
            crate::object::xdecref(own);
        }
        match result {
            Ok(Exit::Yield(v)) => {
                (*r).frame = FrameBox::into_raw(frames.pop().expect("the suspended frame"));
                // A frame object made while it ran now belongs to a suspended generator.
                let fo = (*(*r).frame).frame_obj.get();
                if !fo.is_null() {
                    crate::objects::frameobject::set_generator(fo, g.as_ptr());
                }
                Ok(Some(v))
            }
            Ok(Exit::Return(v)) => {
                if raise_stop || !v.is(none::none_obj()) {
                    let e = if v.is(none::none_obj()) {
                        PyErr::from_type_no_args(exc::StopIteration())
                    } else {
                        PyErr::from_type_and_arg(exc::StopIteration(), &v)
                    };
                    return Err(e);
                }
                Ok(None)
            }
            Err(e) => Err(escaped(kind, e)),
        }
    }
}

/// The error a generator's caller gets for `e`, which escaped the generator: PEP 479 turns a
/// `StopIteration` (and an async generator's `StopAsyncIteration`) into `RuntimeError`, a bug
/// in the generator, caused by it.
fn escaped(kind: Kind, e: PyErr) -> PyErr {
    let err = if e.is_instance(exc::StopIteration()) {
        raise!(RuntimeError, "{} raised StopIteration", kind.noun())
    } else if kind == Kind::AsyncGenerator && e.is_instance(exc::StopAsyncIteration()) {
        raise!(RuntimeError, "async generator raised StopAsyncIteration")
    } else {
        return e;
    };
    exc::set_cause(err.value(), Some(e.value()));
    err
}

unsafe extern "C" fn gen_iternext(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: live generator. Exhaustion is NULL without an exception (unless it returned a value).
    match resume(unsafe { arg(o) }, None, None, false) {
        Ok(Some(v)) => v.into_raw(),
        Ok(None) => null_mut(),
        Err(e) => ret_obj(Err(e)),
    }
}

/// `send(v)`: what the generator yields, or StopIteration with what it returns.
fn send(g: &Obj, v: &Obj) -> PyResult<PyRef> {
    resume(g, Some(v), None, true).map(|r| r.expect("raise_stop yields or raises"))
}

unsafe extern "C" fn gen_send(o: *mut PyObject, v: *mut PyObject) -> *mut PyObject {
    // SAFETY: METH_O contract.
    ret_obj(send(unsafe { arg(o) }, unsafe { arg(v) }))
}

/// The exception `throw(type[, value[, tb]])` raises.
fn throw_exception(args: &[&Obj]) -> PyResult<PyErr> {
    let Some(&typ) = args.first() else {
        return Err(raise!(TypeError, "throw expected at least 1 argument, got 0"));
    };
    let val = args.get(1).copied().filter(|v| !v.is(none::none_obj()));
    Ok(match TypeObj::downcast(typ) {
        Some(t) if t.is_subtype(exc::BaseException()) => match val {
            Some(v) if v.is_instance_of(t) => PyErr::from_value(v.new_ref()),
            Some(v) => PyErr::from_type_and_arg(t, v),
            None => PyErr::from_type_no_args(t),
        },
        _ if typ.is_instance_of(exc::BaseException()) => {
            if val.is_some() {
                return Err(raise!(TypeError, "instance exception may not have a separate value"));
            }
            PyErr::from_value(typ.new_ref())
        }
        _ => {
            return Err(raise!(TypeError, "exceptions must be classes or instances deriving from BaseException, not {}", typ.ob_type().name()));
        }
    })
}

/// # Safety
/// `p` points to `n` live arguments.
unsafe fn fast_args<'a>(p: *const *mut PyObject, n: Py_ssize_t) -> Vec<&'a Obj> {
    // SAFETY: the caller's contract.
    (0..n.max(0) as usize).map(|i| unsafe { arg(*p.add(i)) }).collect()
}

unsafe extern "C" fn gen_throw(o: *mut PyObject, p: *const *mut PyObject, n: Py_ssize_t) -> *mut PyObject {
    // SAFETY: METH_FASTCALL contract.
    unsafe {
        let args = fast_args(p, n);
        ret_obj(throw_exception(&args).and_then(|e| resume(arg(o), None, Some(e), true).map(|r| r.expect("raise_stop yields or raises"))))
    }
}

/// `generator.close()`: raise GeneratorExit at the yield; the generator must not yield again.
pub fn close(g: &Obj) -> PyResult<()> {
    // SAFETY: g is a generator.
    if unsafe { (*raw(g)).frame.is_null() } || !unsafe { (*raw(g)).started } {
        // SAFETY: as above; a never-started generator just drops its frame.
        unsafe {
            let f = core::mem::replace(&mut (*raw(g)).frame, null_mut());
            if !f.is_null() {
                drop(FrameBox::from_raw(f));
            }
        }
        return Ok(());
    }
    match resume(g, None, Some(PyErr::from_type_no_args(exc::GeneratorExit())), false) {
        Ok(Some(_)) => Err(raise!(RuntimeError, "{} ignored GeneratorExit", Kind::of(g).noun())),
        Ok(None) => Ok(()),
        Err(e) if e.is_instance(exc::GeneratorExit()) || e.is_instance(exc::StopIteration()) => Ok(()),
        Err(e) => Err(e),
    }
}

unsafe extern "C" fn gen_close(o: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    // SAFETY: METH_NOARGS contract.
    ret_obj(close(unsafe { arg(o) }).map(|_| none::none()))
}

unsafe extern "C" fn gen_dealloc(o: *mut PyObject) {
    // SAFETY: a dead generator: drop its frame (without running finally blocks: generator
    // finalization comes with the GC work) and names.
    unsafe {
        let g = o as *mut GenObject;
        if !(*g).frame.is_null() {
            drop(FrameBox::from_raw((*g).frame));
        }
        crate::object::xdecref((*g).name);
        crate::object::xdecref((*g).qualname);
        crate::object::xdecref((*g).code);
        crate::object::xdecref((*g).exc_state);
        crate::alloc::gc_del(o as *mut c_void);
    }
}

unsafe extern "C" fn gen_repr(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: live generator.
    let q = unsafe { arg((*(o as *mut GenObject)).qualname) };
    let g = unsafe { arg(o) };
    unicode::new(&format!("<{} object {} at {:#x}>", g.ob_type().name(), unicode::as_str_lossy(q), o as usize)).into_raw()
}

unsafe extern "C" fn gen_get_name(o: *mut PyObject, _: *mut c_void) -> *mut PyObject {
    // SAFETY: live generator.
    unsafe { arg((*(o as *mut GenObject)).name) }.new_ref().into_raw()
}

unsafe extern "C" fn gen_get_qualname(o: *mut PyObject, _: *mut c_void) -> *mut PyObject {
    // SAFETY: live generator.
    unsafe { arg((*(o as *mut GenObject)).qualname) }.new_ref().into_raw()
}

unsafe extern "C" fn gen_get_code(o: *mut PyObject, _: *mut c_void) -> *mut PyObject {
    // SAFETY: live generator.
    unsafe { arg((*(o as *mut GenObject)).code) }.new_ref().into_raw()
}

/// The generator (coroutine, async generator) is executing.
pub fn is_running(g: &Obj) -> bool {
    // SAFETY: g has GenObject's layout.
    unsafe { (*raw(g)).running }
}

/// `gi_frame`/`cr_frame`/`ag_frame`: the suspended frame's object, None once finished (or
/// while running, as the frame is then the running one's, which the thread's stack owns).
unsafe extern "C" fn gen_get_frame(o: *mut PyObject, _: *mut c_void) -> *mut PyObject {
    // SAFETY: live generator; its frame, when present, is live and owned by it.
    unsafe {
        let g = &*(o as *mut GenObject);
        if g.frame.is_null() {
            return none::none().into_raw();
        }
        match crate::objects::frameobject::of(&*g.frame) {
            Ok(f) => {
                crate::objects::frameobject::set_generator(f, o);
                crate::object::incref(f);
                f
            }
            Err(e) => ret_obj(Err(e)),
        }
    }
}

/// `PyEval_EvalFrameEx` on the frame of the suspended generator `g`: resumes it as `send(None)`
/// does, or as `throw(e)` when `throw` is given, and returns what it yields or what it
/// returns (as CPython's evaluation of the frame does: no StopIteration).
pub fn eval_suspended_frame(g: &Obj, throw: Option<PyErr>) -> PyResult<PyRef> {
    match resume(g, None, throw, true) {
        Ok(v) => Ok(v.unwrap_or_else(none::none)),
        // With `raise_stop`, StopIteration comes only from the frame's return.
        Err(e) if e.is_instance(exc::StopIteration()) => Ok(exc::stop_iteration_value(e.value())),
        Err(e) => Err(e),
    }
}

unsafe extern "C" fn gen_get_running(o: *mut PyObject, _: *mut c_void) -> *mut PyObject {
    // SAFETY: live generator.
    bool_::new(unsafe { (*(o as *mut GenObject)).running }).into_raw()
}

unsafe extern "C" fn gen_get_suspended(o: *mut PyObject, _: *mut c_void) -> *mut PyObject {
    // SAFETY: live generator.
    let g = unsafe { &*(o as *mut GenObject) };
    bool_::new(g.started && !g.running && !g.frame.is_null()).into_raw()
}

/// `gi_state`/`cr_state`/`ag_state`: `<PREFIX>_CREATED`, `_RUNNING`, `_SUSPENDED` or `_CLOSED`.
unsafe fn state_name(o: *mut PyObject, prefix: &str) -> *mut PyObject {
    // SAFETY: live generator, coroutine or async generator (guaranteed by the caller).
    let g = unsafe { &*(o as *mut GenObject) };
    let state = if g.running {
        "RUNNING"
    } else if g.frame.is_null() {
        "CLOSED"
    } else if !g.started {
        "CREATED"
    } else {
        "SUSPENDED"
    };
    crate::objects::unicode::new(&format!("{prefix}_{state}")).into_raw()
}

unsafe extern "C" fn gen_get_state(o: *mut PyObject, _: *mut c_void) -> *mut PyObject {
    // SAFETY: live generator.
    unsafe { state_name(o, "GEN") }
}

unsafe extern "C" fn coro_get_state(o: *mut PyObject, _: *mut c_void) -> *mut PyObject {
    // SAFETY: live coroutine.
    unsafe { state_name(o, "CORO") }
}

unsafe extern "C" fn agen_get_state(o: *mut PyObject, _: *mut c_void) -> *mut PyObject {
    // SAFETY: live async generator.
    unsafe { state_name(o, "AGEN") }
}

unsafe extern "C" fn gen_get_yieldfrom(o: *mut PyObject, _: *mut c_void) -> *mut PyObject {
    // SAFETY: live generator.
    yielding_from(unsafe { arg(o) }).unwrap_or_else(none::none).into_raw()
}

unsafe extern "C" fn agen_get_running(o: *mut PyObject, _: *mut c_void) -> *mut PyObject {
    // SAFETY: live async generator.
    bool_::new(unsafe { (*(o as *mut GenObject)).running_async }).into_raw()
}

const fn method(name: &'static core::ffi::CStr, f: *mut c_void, flags: core::ffi::c_int) -> PyMethodDef {
    PyMethodDef { ml_name: name.as_ptr(), ml_meth: f, ml_flags: flags, ml_doc: core::ptr::null() }
}
const METHOD_END: PyMethodDef = PyMethodDef { ml_name: core::ptr::null(), ml_meth: null_mut(), ml_flags: 0, ml_doc: core::ptr::null() };

static GEN_METHODS: StaticTable<PyMethodDef, 4> = StaticTable(UnsafeCell::new([
    method(c"send", gen_send as *mut c_void, METH_O),
    method(c"throw", gen_throw as *mut c_void, METH_FASTCALL),
    method(c"close", gen_close as *mut c_void, METH_NOARGS),
    METHOD_END,
]));

static GEN_GETSET: StaticTable<PyGetSetDef, 9> = StaticTable(UnsafeCell::new([
    getset(c"__name__", Some(gen_get_name), None),
    getset(c"__qualname__", Some(gen_get_qualname), None),
    getset(c"gi_code", Some(gen_get_code), None),
    getset(c"gi_running", Some(gen_get_running), None),
    getset(c"gi_frame", Some(gen_get_frame), None),
    getset(c"gi_suspended", Some(gen_get_suspended), None),
    getset(c"gi_state", Some(gen_get_state), None),
    getset(c"gi_yieldfrom", Some(gen_get_yieldfrom), None),
    GETSET_END,
]));

// ---- coroutines ------------------------------------------------------------------------------

fn new_awaitable(ty: &TypeObj, target: &Obj, a: Option<&Obj>) -> PyRef {
    // SAFETY: a live static type; the object is initialised before it is shared.
    unsafe {
        let op = crate::alloc::alloc_object(ty.raw(), AWAITABLE_SIZE, false);
        assert!(!op.is_null(), "out of memory allocating an awaitable");
        let r = op as *mut AwaitableObject;
        (*r).target = target.new_ref().into_raw();
        (*r).arg = a.map_or(null_mut(), |a| a.new_ref().into_raw());
        (*r).state = STATE_INIT;
        PyRef::from_raw(op)
    }
}

/// # Safety
/// `o` is a live awaitable object (`coroutine_wrapper`, `asend` or `athrow`).
unsafe fn awaitable<'a>(o: *mut PyObject) -> &'a mut AwaitableObject {
    // SAFETY: the caller's contract.
    unsafe { &mut *(o as *mut AwaitableObject) }
}

unsafe extern "C" fn coro_await(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: live coroutine.
    new_awaitable(&PyCoroWrapper_Type, unsafe { arg(o) }, None).into_raw()
}

unsafe extern "C" fn coro_await_method(o: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    // SAFETY: METH_NOARGS contract.
    unsafe { coro_await(o) }
}

static CORO_AS_ASYNC: StaticObject<PyAsyncMethods> =
    StaticObject::new(PyAsyncMethods { am_await: Some(coro_await), am_aiter: None, am_anext: None, am_send: None });

static CORO_METHODS: StaticTable<PyMethodDef, 5> = StaticTable(UnsafeCell::new([
    method(c"send", gen_send as *mut c_void, METH_O),
    method(c"throw", gen_throw as *mut c_void, METH_FASTCALL),
    method(c"close", gen_close as *mut c_void, METH_NOARGS),
    method(c"__await__", coro_await_method as *mut c_void, METH_NOARGS),
    METHOD_END,
]));

static CORO_GETSET: StaticTable<PyGetSetDef, 9> = StaticTable(UnsafeCell::new([
    getset(c"__name__", Some(gen_get_name), None),
    getset(c"__qualname__", Some(gen_get_qualname), None),
    getset(c"cr_code", Some(gen_get_code), None),
    getset(c"cr_running", Some(gen_get_running), None),
    getset(c"cr_frame", Some(gen_get_frame), None),
    getset(c"cr_suspended", Some(gen_get_suspended), None),
    getset(c"cr_state", Some(coro_get_state), None),
    getset(c"cr_await", Some(gen_get_yieldfrom), None),
    GETSET_END,
]));

unsafe extern "C" fn wrapper_iternext(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: live coroutine_wrapper holding a coroutine.
    match resume(unsafe { arg(awaitable(o).target) }, None, None, false) {
        Ok(Some(v)) => v.into_raw(),
        Ok(None) => null_mut(),
        Err(e) => ret_obj(Err(e)),
    }
}

unsafe extern "C" fn wrapper_send(o: *mut PyObject, v: *mut PyObject) -> *mut PyObject {
    // SAFETY: METH_O contract on a coroutine_wrapper.
    unsafe { gen_send(awaitable(o).target, v) }
}

unsafe extern "C" fn wrapper_throw(o: *mut PyObject, p: *const *mut PyObject, n: Py_ssize_t) -> *mut PyObject {
    // SAFETY: METH_FASTCALL contract on a coroutine_wrapper.
    unsafe { gen_throw(awaitable(o).target, p, n) }
}

unsafe extern "C" fn wrapper_close(o: *mut PyObject, x: *mut PyObject) -> *mut PyObject {
    // SAFETY: METH_NOARGS contract on a coroutine_wrapper.
    unsafe { gen_close(awaitable(o).target, x) }
}

static WRAPPER_METHODS: StaticTable<PyMethodDef, 4> = StaticTable(UnsafeCell::new([
    method(c"send", wrapper_send as *mut c_void, METH_O),
    method(c"throw", wrapper_throw as *mut c_void, METH_FASTCALL),
    method(c"close", wrapper_close as *mut c_void, METH_NOARGS),
    METHOD_END,
]));

unsafe extern "C" fn awaitable_dealloc(o: *mut PyObject) {
    // SAFETY: a dead awaitable: release what it holds.
    unsafe {
        let a = awaitable(o);
        crate::object::xdecref(a.target);
        crate::object::xdecref(a.arg);
        crate::alloc::object_free(o as *mut c_void);
    }
}

// ---- async generators ------------------------------------------------------------------------

/// `CALL_INTRINSIC_1 ASYNC_GEN_WRAP`: marks a value an async generator yields itself.
pub fn wrap_value(v: &Obj) -> PyRef {
    // SAFETY: a live static type; initialised before it is shared.
    unsafe {
        let op = crate::alloc::alloc_object(PyAsyncGenWrappedValue_Type.raw(), core::mem::size_of::<WrappedValue>(), false);
        assert!(!op.is_null(), "out of memory allocating a wrapped value");
        (*(op as *mut WrappedValue)).val = v.new_ref().into_raw();
        PyRef::from_raw(op)
    }
}

unsafe extern "C" fn wrapped_dealloc(o: *mut PyObject) {
    // SAFETY: a dead wrapped value.
    unsafe {
        crate::object::xdecref((*(o as *mut WrappedValue)).val);
        crate::alloc::object_free(o as *mut c_void);
    }
}

fn unwrapped(v: &Obj) -> Option<&Obj> {
    // SAFETY: checked to be a wrapped value.
    v.is_exact(&PyAsyncGenWrappedValue_Type).then(|| unsafe { arg((*(v.as_ptr() as *mut WrappedValue)).val) })
}

/// What one step of an async generator means to the awaitable driving it (CPython's
/// `async_gen_unwrap_value`): its own yield ends the await with StopIteration(value); its
/// end is StopAsyncIteration; what its awaits yield passes through.
fn unwrap_step(g: &Obj, r: PyResult<Option<PyRef>>) -> PyResult<PyRef> {
    let gr = raw(g);
    // SAFETY: g is an async generator.
    unsafe {
        match r {
            Ok(Some(v)) => match unwrapped(&v) {
                Some(inner) => {
                    (*gr).running_async = false;
                    Err(PyErr::from_type_and_arg(exc::StopIteration(), inner))
                }
                None => Ok(v),
            },
            Ok(None) => {
                (*gr).closed = true;
                (*gr).running_async = false;
                Err(PyErr::from_type_no_args(exc::StopAsyncIteration()))
            }
            Err(e) => {
                if e.is_instance(exc::StopAsyncIteration()) || e.is_instance(exc::GeneratorExit()) {
                    (*gr).closed = true;
                }
                (*gr).running_async = false;
                Err(e)
            }
        }
    }
}

/// CPython's `async_gen_init_hooks`: the first `asend`/`athrow`/`aclose`/`__anext__` of an
/// async generator calls the thread's `firstiter` hook (`sys.set_asyncgen_hooks`) with it.
/// (The `finalizer` hook is kept by `sys` but not called: Pyrite does not finalize suspended
/// generators yet.)
fn init_hooks(g: &Obj) -> PyResult<()> {
    // SAFETY: an async generator object.
    let r = g.as_ptr() as *mut GenObject;
    unsafe {
        if (*r).hooks_inited {
            return Ok(());
        }
        (*r).hooks_inited = true;
    }
    if let Some(first) = crate::sys::asyncgen_hooks().0 {
        crate::abstract_::call(&first, &tuple::new_from(&[g]), None)?;
    }
    Ok(())
}

unsafe extern "C" fn agen_asend(o: *mut PyObject, v: *mut PyObject) -> *mut PyObject {
    // SAFETY: METH_O contract.
    unsafe {
        if let Err(e) = init_hooks(arg(o)) {
            return ret_obj(Err(e));
        }
        new_awaitable(&PyAsyncGenASend_Type, arg(o), Some(arg(v))).into_raw()
    }
}

unsafe extern "C" fn agen_anext(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: live async generator.
    unsafe { ret_obj(anext(arg(o))) }
}

/// `anext` of an async generator: its `asend(None)` awaitable.
pub fn anext(g: &Obj) -> PyResult<PyRef> {
    init_hooks(g)?;
    Ok(new_awaitable(&PyAsyncGenASend_Type, g, Some(none::none_obj())))
}

unsafe extern "C" fn agen_anext_method(o: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    // SAFETY: METH_NOARGS contract.
    unsafe { agen_anext(o) }
}

unsafe extern "C" fn agen_aiter_method(o: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    // SAFETY: METH_NOARGS contract.
    unsafe { arg(o) }.new_ref().into_raw()
}

unsafe extern "C" fn agen_athrow(o: *mut PyObject, p: *const *mut PyObject, n: Py_ssize_t) -> *mut PyObject {
    // SAFETY: METH_FASTCALL contract.
    unsafe {
        if !(1..=3).contains(&n) {
            return ret_obj(Err(raise!(TypeError, "athrow expected at least 1 argument, got {}", n)));
        }
        if let Err(e) = init_hooks(arg(o)) {
            return ret_obj(Err(e));
        }
        let args = tuple::new_from(&fast_args(p, n));
        new_awaitable(&PyAsyncGenAThrow_Type, arg(o), Some(&args)).into_raw()
    }
}

unsafe extern "C" fn agen_aclose(o: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    // SAFETY: METH_NOARGS contract.
    let g = unsafe { arg(o) };
    if let Err(e) = init_hooks(g) {
        return ret_obj(Err(e));
    }
    new_awaitable(&PyAsyncGenAThrow_Type, g, None).into_raw()
}

static ASYNC_GEN_AS_ASYNC: StaticObject<PyAsyncMethods> = StaticObject::new(PyAsyncMethods {
    am_await: None,
    am_aiter: Some(crate::objects::iterobject::self_iter),
    am_anext: Some(agen_anext),
    am_send: None,
});

static ASYNC_GEN_METHODS: StaticTable<PyMethodDef, 6> = StaticTable(UnsafeCell::new([
    method(c"asend", agen_asend as *mut c_void, METH_O),
    method(c"athrow", agen_athrow as *mut c_void, METH_FASTCALL),
    method(c"aclose", agen_aclose as *mut c_void, METH_NOARGS),
    method(c"__aiter__", agen_aiter_method as *mut c_void, METH_NOARGS),
    method(c"__anext__", agen_anext_method as *mut c_void, METH_NOARGS),
    METHOD_END,
]));

static ASYNC_GEN_GETSET: StaticTable<PyGetSetDef, 9> = StaticTable(UnsafeCell::new([
    getset(c"__name__", Some(gen_get_name), None),
    getset(c"__qualname__", Some(gen_get_qualname), None),
    getset(c"ag_code", Some(gen_get_code), None),
    getset(c"ag_running", Some(agen_get_running), None),
    getset(c"ag_frame", Some(gen_get_frame), None),
    getset(c"ag_suspended", Some(gen_get_suspended), None),
    getset(c"ag_state", Some(agen_get_state), None),
    getset(c"ag_await", Some(gen_get_yieldfrom), None),
    GETSET_END,
]));

static AWAITABLE_AS_ASYNC: StaticObject<PyAsyncMethods> = StaticObject::new(PyAsyncMethods {
    am_await: Some(crate::objects::iterobject::self_iter),
    am_aiter: None,
    am_anext: None,
    am_send: None,
});

/// `asend(v)`/`__anext__()` awaitable: one step of the async generator.
fn asend_send(o: *mut PyObject, v: &Obj, throw: Option<PyErr>) -> PyResult<PyRef> {
    // SAFETY: o is a live asend object holding an async generator.
    unsafe {
        let a = awaitable(o);
        let g = arg(a.target);
        let gr = raw(g);
        let mut v = v;
        match a.state {
            STATE_CLOSED => return Err(raise!(RuntimeError, "cannot reuse already awaited __anext__()/asend()")),
            STATE_INIT => {
                if (*gr).running_async {
                    a.state = STATE_CLOSED;
                    return Err(raise!(RuntimeError, "anext(): asynchronous generator is already running"));
                }
                if v.is(none::none_obj()) && throw.is_none() {
                    v = arg(a.arg);
                }
                a.state = STATE_ITER;
            }
            _ => {}
        }
        (*gr).running_async = true;
        let r = match throw {
            Some(e) => resume(g, None, Some(e), false),
            None => resume(g, Some(v), None, false),
        };
        let r = unwrap_step(g, r);
        if r.is_err() {
            a.state = STATE_CLOSED;
        }
        r
    }
}

unsafe extern "C" fn asend_iternext(o: *mut PyObject) -> *mut PyObject {
    ret_obj(asend_send(o, none::none_obj(), None))
}

unsafe extern "C" fn asend_send_method(o: *mut PyObject, v: *mut PyObject) -> *mut PyObject {
    // SAFETY: METH_O contract.
    ret_obj(asend_send(o, unsafe { arg(v) }, None))
}

unsafe extern "C" fn asend_throw(o: *mut PyObject, p: *const *mut PyObject, n: Py_ssize_t) -> *mut PyObject {
    // SAFETY: METH_FASTCALL contract.
    let args = unsafe { fast_args(p, n) };
    ret_obj(throw_exception(&args).and_then(|e| asend_send(o, none::none_obj(), Some(e))))
}

unsafe extern "C" fn awaitable_close(o: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    // SAFETY: METH_NOARGS contract on an asend/athrow object.
    unsafe { awaitable(o) }.state = STATE_CLOSED;
    none::none().into_raw()
}

unsafe extern "C" fn awaitable_await_method(o: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    // SAFETY: METH_NOARGS contract.
    unsafe { arg(o) }.new_ref().into_raw()
}

static ASEND_METHODS: StaticTable<PyMethodDef, 5> = StaticTable(UnsafeCell::new([
    method(c"send", asend_send_method as *mut c_void, METH_O),
    method(c"throw", asend_throw as *mut c_void, METH_FASTCALL),
    method(c"close", awaitable_close as *mut c_void, METH_NOARGS),
    method(c"__await__", awaitable_await_method as *mut c_void, METH_NOARGS),
    METHOD_END,
]));

/// `athrow(...)`/`aclose()` awaitable: throws into the async generator, then drives it until
/// it yields a value of its own (athrow: the await's result; aclose: an error) or ends.
fn athrow_send(o: *mut PyObject, v: &Obj, throw: Option<PyErr>) -> PyResult<PyRef> {
    // SAFETY: o is a live athrow object holding an async generator.
    unsafe {
        let a = awaitable(o);
        let g = arg(a.target);
        let gr = raw(g);
        let is_aclose = a.arg.is_null();
        if a.state == STATE_CLOSED {
            return Err(raise!(RuntimeError, "cannot reuse already awaited aclose()/athrow()"));
        }
        if (*gr).frame.is_null() {
            a.state = STATE_CLOSED;
            return Err(PyErr::from_type_no_args(exc::StopIteration()));
        }
        let r = if a.state == STATE_INIT {
            if (*gr).running_async {
                a.state = STATE_CLOSED;
                let which = if is_aclose { "aclose" } else { "athrow" };
                return Err(raise!(RuntimeError, "{}(): asynchronous generator is already running", which));
            }
            if (*gr).closed {
                a.state = STATE_CLOSED;
                return Err(PyErr::from_type_no_args(exc::StopAsyncIteration()));
            }
            if throw.is_none() && !v.is(none::none_obj()) {
                return Err(raise!(RuntimeError, "can't send non-None value to a just-started coroutine"));
            }
            a.state = STATE_ITER;
            (*gr).running_async = true;
            let e = match throw {
                Some(e) => e,
                None if is_aclose => {
                    (*gr).closed = true;
                    PyErr::from_type_no_args(exc::GeneratorExit())
                }
                None => match throw_exception(tuple::items(arg(a.arg))) {
                    Ok(e) => e,
                    Err(e) => {
                        (*gr).running_async = false;
                        a.state = STATE_CLOSED;
                        return Err(e);
                    }
                },
            };
            resume(g, None, Some(e), false)
        } else {
            match throw {
                Some(e) => resume(g, None, Some(e), false),
                None => resume(g, Some(v), None, false),
            }
        };
        if !is_aclose {
            let r = unwrap_step(g, r);
            if r.is_err() {
                a.state = STATE_CLOSED;
            }
            return r;
        }
        // aclose(): the generator must not yield a value of its own any more.
        let r = match r {
            Ok(Some(v)) if unwrapped(&v).is_some() => Err(raise!(RuntimeError, "async generator ignored GeneratorExit")),
            Ok(Some(v)) => return Ok(v),
            Ok(None) => Err(PyErr::from_type_no_args(exc::StopIteration())),
            Err(e) if e.is_instance(exc::StopAsyncIteration()) || e.is_instance(exc::GeneratorExit()) => {
                Err(PyErr::from_type_no_args(exc::StopIteration()))
            }
            Err(e) => Err(e),
        };
        (*gr).running_async = false;
        a.state = STATE_CLOSED;
        r
    }
}

unsafe extern "C" fn athrow_iternext(o: *mut PyObject) -> *mut PyObject {
    ret_obj(athrow_send(o, none::none_obj(), None))
}

unsafe extern "C" fn athrow_send_method(o: *mut PyObject, v: *mut PyObject) -> *mut PyObject {
    // SAFETY: METH_O contract.
    ret_obj(athrow_send(o, unsafe { arg(v) }, None))
}

unsafe extern "C" fn athrow_throw(o: *mut PyObject, p: *const *mut PyObject, n: Py_ssize_t) -> *mut PyObject {
    // SAFETY: METH_FASTCALL contract.
    let args = unsafe { fast_args(p, n) };
    ret_obj(throw_exception(&args).and_then(|e| athrow_send(o, none::none_obj(), Some(e))))
}

static ATHROW_METHODS: StaticTable<PyMethodDef, 5> = StaticTable(UnsafeCell::new([
    method(c"send", athrow_send_method as *mut c_void, METH_O),
    method(c"throw", athrow_throw as *mut c_void, METH_FASTCALL),
    method(c"close", awaitable_close as *mut c_void, METH_NOARGS),
    method(c"__await__", awaitable_await_method as *mut c_void, METH_NOARGS),
    METHOD_END,
]));

// ---- aiter() and anext() -------------------------------------------------------------------

/// `aiter(o)`: `o.__aiter__()`, which must be an async iterator.
pub fn aiter(o: &Obj) -> PyResult<PyRef> {
    // SAFETY: a type's async suite is NULL or a live table.
    let Some(f) = (unsafe { o.ob_type().slots().tp_as_async.as_ref() }).and_then(|a| a.am_aiter) else {
        return Err(raise!(TypeError, "'{}' object is not an async iterable", o.ob_type().name()));
    };
    // SAFETY: slot call with a live argument.
    let it = unsafe { crate::slot::from_new(f(o.as_ptr())) }?;
    if !has_anext(&it) {
        // CPython 3.15's message (`%T`: no `builtins.`/`__main__.` prefix).
        let qual = crate::objects::type_::qualified_name(o.ob_type());
        let qual = qual.strip_prefix("__main__.").unwrap_or(&qual);
        return Err(raise!(TypeError, "{}.__aiter__() must return an async iterator, not {}", qual, it.ob_type().name()));
    }
    Ok(it)
}

fn has_anext(o: &Obj) -> bool {
    // SAFETY: a type's async suite is NULL or a live table.
    unsafe { o.ob_type().slots().tp_as_async.as_ref() }.is_some_and(|a| a.am_anext.is_some())
}

/// `anext(it)`: `it.__anext__()`; with a default, an `anext_awaitable` that ends with the
/// default instead of StopAsyncIteration.
pub fn anext_builtin(it: &Obj, default: Option<&Obj>) -> PyResult<PyRef> {
    if !has_anext(it) {
        return Err(raise!(TypeError, "'{}' object is not an async iterator", it.ob_type().name()));
    }
    let Some(default) = default else { return call_anext(it) };
    // SAFETY: a live static type; initialised before it is shared.
    unsafe {
        let op = crate::alloc::alloc_object(PyAnextAwaitable_Type.raw(), core::mem::size_of::<AnextAwaitable>(), false);
        assert!(!op.is_null(), "out of memory allocating an anext awaitable");
        let a = op as *mut AnextAwaitable;
        (*a).aiter = it.new_ref().into_raw();
        (*a).default = default.new_ref().into_raw();
        (*a).iter = null_mut();
        Ok(PyRef::from_raw(op))
    }
}

fn call_anext(it: &Obj) -> PyResult<PyRef> {
    // SAFETY: checked by the caller: the type has `am_anext`.
    let f = unsafe { it.ob_type().slots().tp_as_async.as_ref() }.and_then(|a| a.am_anext).expect("an async iterator");
    // SAFETY: slot call with a live argument.
    unsafe { crate::slot::from_new(f(it.as_ptr())) }
}

#[repr(C)]
struct AnextAwaitable {
    ob_base: PyObject,
    aiter: *mut PyObject,
    default: *mut PyObject,
    /// The iterator of the awaitable `__anext__()` returned (NULL until first needed).
    iter: *mut PyObject,
}

private_static_type!(PyAnextAwaitable_Type, c"anext_awaitable", core::mem::size_of::<AnextAwaitable>(), {
    tp_flags: BUILTIN_FLAGS,
    tp_dealloc: Some(anext_aw_dealloc),
    tp_as_async: AWAITABLE_AS_ASYNC.0.get(),
    tp_iter: Some(crate::objects::iterobject::self_iter),
    tp_iternext: Some(anext_aw_iternext),
    tp_methods: ANEXT_AW_METHODS.0.get() as *mut PyMethodDef,
});

/// The iterator an `anext_awaitable` drives: `__anext__()`'s result made an iterator.
fn anext_aw_iter(o: *mut PyObject) -> PyResult<PyRef> {
    // SAFETY: o is a live anext_awaitable.
    unsafe {
        let a = o as *mut AnextAwaitable;
        if !(*a).iter.is_null() {
            return Ok(arg((*a).iter).new_ref());
        }
        let aw = call_anext(arg((*a).aiter))?;
        let mut it = awaitable_iter(&aw)?;
        if is_awaitable_coroutine(&it) {
            it = new_awaitable(&PyCoroWrapper_Type, &it, None);
        }
        (*a).iter = it.new_ref().into_raw();
        Ok(it)
    }
}

/// One step of an `anext_awaitable`: StopAsyncIteration becomes StopIteration(default).
fn anext_aw_step(o: *mut PyObject, step: impl FnOnce(&Obj) -> PyResult<Option<PyRef>>) -> PyResult<Option<PyRef>> {
    let it = anext_aw_iter(o)?;
    match step(&it) {
        Err(e) if e.is_instance(exc::StopAsyncIteration()) => {
            // SAFETY: o is a live anext_awaitable.
            let default = unsafe { arg((*(o as *mut AnextAwaitable)).default) };
            Err(PyErr::from_type_and_arg(exc::StopIteration(), default))
        }
        r => r,
    }
}

unsafe extern "C" fn anext_aw_iternext(o: *mut PyObject) -> *mut PyObject {
    let r = anext_aw_step(o, |it| {
        let next = it.ob_type().slots().tp_iternext.expect("an iterator");
        // SAFETY: slot call with a live argument; NULL with or without an exception.
        match unsafe { PyRef::from_raw_opt(next(it.as_ptr())) } {
            Some(v) => Ok(Some(v)),
            None => PyErr::take().map_or(Ok(None), Err),
        }
    });
    match r {
        Ok(Some(v)) => v.into_raw(),
        Ok(None) => null_mut(),
        Err(e) => ret_obj(Err(e)),
    }
}

unsafe extern "C" fn anext_aw_send(o: *mut PyObject, v: *mut PyObject) -> *mut PyObject {
    // SAFETY: METH_O contract.
    let v = unsafe { arg(v) };
    ret_obj(anext_aw_step(o, |it| crate::abstract_::call_method(it, "send", &[v]).map(Some)).map(|r| r.unwrap_or_else(none::none)))
}

unsafe extern "C" fn anext_aw_throw(o: *mut PyObject, p: *const *mut PyObject, n: Py_ssize_t) -> *mut PyObject {
    // SAFETY: METH_FASTCALL contract.
    let args = unsafe { fast_args(p, n) };
    ret_obj(anext_aw_step(o, |it| crate::abstract_::call_method(it, "throw", &args).map(Some)).map(|r| r.unwrap_or_else(none::none)))
}

unsafe extern "C" fn anext_aw_close(o: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    ret_obj(anext_aw_step(o, |it| crate::abstract_::call_method(it, "close", &[]).map(Some)).map(|r| r.unwrap_or_else(none::none)))
}

unsafe extern "C" fn anext_aw_dealloc(o: *mut PyObject) {
    // SAFETY: a dead anext_awaitable.
    unsafe {
        let a = o as *mut AnextAwaitable;
        crate::object::xdecref((*a).aiter);
        crate::object::xdecref((*a).default);
        crate::object::xdecref((*a).iter);
        crate::alloc::object_free(o as *mut c_void);
    }
}

static ANEXT_AW_METHODS: StaticTable<PyMethodDef, 5> = StaticTable(UnsafeCell::new([
    method(c"send", anext_aw_send as *mut c_void, METH_O),
    method(c"throw", anext_aw_throw as *mut c_void, METH_FASTCALL),
    method(c"close", anext_aw_close as *mut c_void, METH_NOARGS),
    method(c"__await__", awaitable_await_method as *mut c_void, METH_NOARGS),
    METHOD_END,
]));

/// What a generator owns: its names and code, the exception it is handling, and, while it is
/// suspended, everything its frame holds (a running frame is on the frame stack, a root).
unsafe extern "C" fn gen_traverse(o: *mut PyObject, visit: visitproc, a: *mut c_void) -> core::ffi::c_int {
    // SAFETY: a live generator; its suspended frame is owned through `frame`.
    unsafe {
        let g = o as *mut GenObject;
        let r = crate::gc::visit_each(&[(*g).name, (*g).qualname, (*g).code, (*g).exc_state], visit, a);
        if r != 0 || (*g).frame.is_null() {
            return r;
        }
        let f = &*(*g).frame;
        // Namespaces the frame borrows from its function are not its references.
        let ns = |p: &PyRef| if f.owns_namespaces() { p.as_ptr() } else { null_mut() };
        let own = [
            f.code.as_ptr(),
            f.func.as_ref().map_or(null_mut(), |p| p.as_ptr()),
            ns(&f.globals),
            ns(&f.builtins),
            f.locals.as_ref().map_or(null_mut(), |p| p.as_ptr()),
            f.init_self.as_ref().map_or(null_mut(), |p| p.as_ptr()),
            f.pending_throw.as_ref().map_or(null_mut(), |e| e.value().as_ptr()),
            f.frame_obj.get(),
        ];
        for part in [&own[..], &f.fast, &f.stack] {
            let r = crate::gc::visit_each(part, visit, a);
            if r != 0 {
                return r;
            }
        }
        0
    }
}
