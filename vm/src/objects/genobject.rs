//! Generators: a suspended frame owned by a `generator` object. Resuming pushes the frame as
//! the entry frame of a new run of the evaluation loop; `YIELD_VALUE` hands it back.

use core::cell::UnsafeCell;
use core::ffi::c_void;
use core::ptr::null_mut;

use pyrite_abi::*;

use crate::err::{PyErr, PyResult};
use crate::interp::{Exit, Frame};
use crate::object::{Obj, PyRef};
use crate::objects::type_::{getset, StaticTable, TypeObj, BUILTIN_FLAGS, GETSET_END};
use crate::objects::{code, exceptions as exc, none, unicode};
use crate::slot::{arg, ret_obj};
use crate::private_static_type;

#[repr(C)]
pub struct GenObject {
    pub ob_base: PyObject,
    /// The suspended frame (boxed), NULL once the generator finished.
    frame: *mut Frame,
    name: *mut PyObject,
    qualname: *mut PyObject,
    started: bool,
    running: bool,
}

private_static_type!(PyGen_Type, c"generator", core::mem::size_of::<GenObject>(), {
    tp_flags: BUILTIN_FLAGS | Py_TPFLAGS_HAVE_GC,
    tp_dealloc: Some(gen_dealloc),
    tp_repr: Some(gen_repr),
    tp_iter: Some(crate::objects::iterobject::self_iter),
    tp_iternext: Some(gen_iternext),
    tp_free: Some(crate::alloc::gc_del),
    tp_methods: GEN_METHODS.0.get() as *mut PyMethodDef,
    tp_getset: GEN_GETSET.0.get() as *mut PyGetSetDef,
});

pub fn types() -> [&'static TypeObj; 1] {
    [&PyGen_Type]
}

/// A generator suspended at the start of `frame`.
pub fn new(frame: Frame) -> PyRef {
    let cd = code::data(&frame.code);
    let (name, qualname) = (cd.name.new_ref(), cd.qualname.new_ref());
    // SAFETY: PyGen_Type is a live static type.
    unsafe {
        let op = crate::alloc::alloc_object(PyGen_Type.raw(), core::mem::size_of::<GenObject>(), true);
        assert!(!op.is_null(), "out of memory allocating a generator");
        let g = op as *mut GenObject;
        (*g).frame = Box::into_raw(Box::new(frame));
        (*g).name = name.into_raw();
        (*g).qualname = qualname.into_raw();
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

/// `next(g)` for a generator: `Ok(None)` when it is exhausted (a return value other than
/// None is raised as `StopIteration(value)`, as `tp_iternext` does).
pub fn iter_next(g: &Obj) -> PyResult<Option<PyRef>> {
    resume(g, None, None, false)
}

/// What a `yield from` receiver did with a value sent into it.
pub enum Sent {
    Yielded(PyRef),
    Returned(PyRef),
}

/// `yield from`'s step: sends `v` into `receiver` (a generator directly; other iterators by
/// `__next__` for None, else their `send` method).
pub fn send_into(receiver: &Obj, v: &Obj) -> PyResult<Sent> {
    let r = if check(receiver) {
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

/// Resumes the generator with `value` sent in (or `throw` raised at the yield).
/// `Ok(Some(v))` it yielded `v`; `Ok(None)` it finished (its return value, if not None, is
/// raised as `StopIteration(value)` only when `raise_stop`).
fn resume(g: &Obj, value: Option<&Obj>, throw: Option<PyErr>, raise_stop: bool) -> PyResult<Option<PyRef>> {
    let r = raw(g);
    // SAFETY: g is a generator; its frame pointer is NULL or a box we own.
    unsafe {
        if (*r).running {
            return Err(raise!(ValueError, "generator already executing"));
        }
        if (*r).frame.is_null() {
            return match throw {
                Some(e) => Err(e),
                None if raise_stop => Err(PyErr::from_type_no_args(exc::StopIteration())),
                None => Ok(None),
            };
        }
        if !(*r).started && throw.is_none() && value.is_some_and(|v| !v.is(none::none_obj())) {
            return Err(raise!(TypeError, "can't send non-None value to a just-started generator"));
        }
        let mut frame = *Box::from_raw(core::mem::replace(&mut (*r).frame, null_mut()));
        // A throw resumes with None in the sent value's slot too (the `yield from` handler
        // finds it below the exception, as CPython's CLEANUP_THROW does).
        frame.push_sent(value.filter(|_| throw.is_none()).map_or_else(none::none, Obj::new_ref));
        if let Some(e) = throw {
            frame.pending_throw = Some(e);
        }
        (*r).started = true;
        (*r).running = true;
        let mut frames = vec![frame];
        let result = crate::interp::run(&mut frames);
        (*r).running = false;
        match result {
            Ok(Exit::Yield(v)) => {
                (*r).frame = Box::into_raw(Box::new(frames.pop().expect("the suspended frame")));
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
            Err(e) if e.is_instance(exc::StopIteration()) => {
                // PEP 479: a StopIteration escaping a generator is a bug in it.
                let err = raise!(RuntimeError, "generator raised StopIteration");
                exc::set_cause(err.value(), Some(e.value()));
                Err(err)
            }
            Err(e) => Err(e),
        }
    }
}

unsafe extern "C" fn gen_iternext(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: live generator. Exhaustion is NULL without an exception (unless it returned a value).
    match resume(unsafe { arg(o) }, None, None, false) {
        Ok(Some(v)) => v.into_raw(),
        Ok(None) => null_mut(),
        Err(e) => ret_obj(Err(e)),
    }
}

unsafe extern "C" fn gen_send(o: *mut PyObject, v: *mut PyObject) -> *mut PyObject {
    // SAFETY: METH_O contract.
    ret_obj(resume(unsafe { arg(o) }, Some(unsafe { arg(v) }), None, true).map(|r| r.expect("raise_stop yields or raises")))
}

unsafe extern "C" fn gen_throw(o: *mut PyObject, p: *const *mut PyObject, n: Py_ssize_t) -> *mut PyObject {
    // SAFETY: METH_FASTCALL contract.
    unsafe {
        if n < 1 {
            return ret_obj(Err(raise!(TypeError, "throw expected at least 1 argument, got 0")));
        }
        let typ = arg(*p);
        let e = match TypeObj::downcast(typ) {
            Some(t) if t.is_subtype(exc::BaseException()) => {
                if n > 1 { PyErr::from_type_and_arg(t, arg(*p.add(1))) } else { PyErr::from_type_no_args(t) }
            }
            _ if typ.is_instance_of(exc::BaseException()) => PyErr::from_value(typ.new_ref()),
            _ => return ret_obj(Err(raise!(TypeError, "exceptions must be classes or instances deriving from BaseException, not {}", typ.ob_type().name()))),
        };
        ret_obj(resume(arg(o), None, Some(e), true).map(|r| r.expect("raise_stop yields or raises")))
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
                drop(Box::from_raw(f));
            }
        }
        return Ok(());
    }
    match resume(g, None, Some(PyErr::from_type_no_args(exc::GeneratorExit())), false) {
        Ok(Some(_)) => Err(raise!(RuntimeError, "generator ignored GeneratorExit")),
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
            drop(Box::from_raw((*g).frame));
        }
        crate::object::xdecref((*g).name);
        crate::object::xdecref((*g).qualname);
        crate::alloc::gc_del(o as *mut c_void);
    }
}

unsafe extern "C" fn gen_repr(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: live generator.
    let q = unsafe { arg((*(o as *mut GenObject)).qualname) };
    unicode::new(&format!("<generator object {} at {:#x}>", unicode::as_str_lossy(q), o as usize)).into_raw()
}

unsafe extern "C" fn gen_get_name(o: *mut PyObject, _: *mut c_void) -> *mut PyObject {
    // SAFETY: live generator.
    unsafe { arg((*(o as *mut GenObject)).name) }.new_ref().into_raw()
}

unsafe extern "C" fn gen_get_qualname(o: *mut PyObject, _: *mut c_void) -> *mut PyObject {
    // SAFETY: live generator.
    unsafe { arg((*(o as *mut GenObject)).qualname) }.new_ref().into_raw()
}

static GEN_METHODS: StaticTable<PyMethodDef, 4> = StaticTable(UnsafeCell::new([
    PyMethodDef { ml_name: c"send".as_ptr(), ml_meth: gen_send as *mut c_void, ml_flags: METH_O, ml_doc: core::ptr::null() },
    PyMethodDef { ml_name: c"throw".as_ptr(), ml_meth: gen_throw as *mut c_void, ml_flags: METH_FASTCALL, ml_doc: core::ptr::null() },
    PyMethodDef { ml_name: c"close".as_ptr(), ml_meth: gen_close as *mut c_void, ml_flags: METH_NOARGS, ml_doc: core::ptr::null() },
    PyMethodDef { ml_name: core::ptr::null(), ml_meth: null_mut(), ml_flags: 0, ml_doc: core::ptr::null() },
]));

static GEN_GETSET: StaticTable<PyGetSetDef, 3> = StaticTable(UnsafeCell::new([
    getset(c"__name__", Some(gen_get_name), None),
    getset(c"__qualname__", Some(gen_get_qualname), None),
    GETSET_END,
]));
