//! `ceval.h`, `pystate.h` recursion guards, `refcount.h`'s `Py_NewRef`, `patchlevel.h`'s
//! version packing, `objimpl.h`'s `PyGC_*`, and the small object-protocol helpers that go with
//! them (`Py_ReprEnter`, `PyExceptionClass_Name`, `PyCFunction_Call`).
//!
//! Frame objects are made on demand (`objects::frameobject`) for `PyEval_GetFrame`.

use core::ffi::{c_char, c_int};
use core::ptr::null_mut;

use pyrite_abi::*;
use pyrite_vm::objects::{function, list, methodobject, unicode};
use pyrite_vm::{interp, Obj, PyErr, PyRef};

use crate::boundary::obj;
use crate::capi;

unsafe fn where_text(w: *const c_char) -> String {
    if w.is_null() {
        String::new()
    } else {
        // SAFETY: a NUL-terminated string from the caller.
        unsafe { core::ffi::CStr::from_ptr(w) }.to_string_lossy().into_owned()
    }
}

/// The function `PyEval_GetFuncName`/`GetFuncDesc` describe: a bound method's function.
fn func_of(f: &Obj) -> &Obj {
    if function::method_check(f) { function::method_parts(f).0 } else { f }
}

capi! {
    fn Py_NewRef(o: *mut PyObject) -> *mut PyObject [null_mut()] {
        pyrite_vm::object::incref(o);
        Ok(o)
    }
    fn Py_XNewRef(o: *mut PyObject) -> *mut PyObject [null_mut()] {
        pyrite_vm::object::xincref(o);
        Ok(o)
    }
    fn Py_PACK_FULL_VERSION(x: c_int, y: c_int, z: c_int, level: c_int, serial: c_int) -> u32 [0] {
        Ok(((x as u32 & 0xff) << 24) | ((y as u32 & 0xff) << 16) | ((z as u32 & 0xff) << 8) | ((level as u32 & 0xf) << 4) | (serial as u32 & 0xf))
    }
    fn Py_PACK_VERSION(x: c_int, y: c_int) -> u32 [0] {
        Ok(Py_PACK_FULL_VERSION(x, y, 0, 0, 0))
    }

    fn Py_EnterRecursiveCall(w: *const c_char) -> c_int [-1] {
        interp::enter_recursive_call(&where_text(w)).map(|_| 0)
    }
    fn Py_LeaveRecursiveCall() -> () [()] {
        interp::leave_recursive_call();
        Ok(())
    }
    fn _Py_CheckRecursiveCall(_tstate: *mut core::ffi::c_void, w: *const c_char) -> c_int [-1] {
        interp::stack_overflow(&where_text(w)).map(|_| 0)
    }
    fn Py_GetRecursionLimit() -> c_int [-1] {
        Ok(interp::recursion_limit().min(c_int::MAX as u32) as c_int)
    }
    fn Py_SetRecursionLimit(n: c_int) -> () [()] {
        interp::set_recursion_limit(n.max(1) as u32);
        Ok(())
    }
    /// 1 if `o`'s repr is already being computed on this thread (print `...`), else 0 and
    /// `o` is recorded until `Py_ReprLeave`.
    fn Py_ReprEnter(o: *mut PyObject) -> c_int [-1] {
        Ok(list::repr_enter(obj(o)?) as c_int)
    }
    fn Py_ReprLeave(o: *mut PyObject) -> () [()] {
        // Keeps the current exception, as CPython does.
        if !o.is_null() { list::repr_leave(Obj::from_ptr(o)); }
        Ok(())
    }

    fn PyGC_Enable() -> c_int [0] { Ok(pyrite_vm::stdlib::gc::set_enabled(true) as c_int) }
    fn PyGC_Disable() -> c_int [0] { Ok(pyrite_vm::stdlib::gc::set_enabled(false) as c_int) }
    fn PyGC_IsEnabled() -> c_int [0] { Ok(pyrite_vm::stdlib::gc::is_enabled() as c_int) }
    /// Queues `func(arg)` for the main thread's next eval break; any thread, GIL or not.
    fn Py_AddPendingCall(func: Option<unsafe extern "C" fn(*mut core::ffi::c_void) -> c_int>, arg: *mut core::ffi::c_void) -> c_int [-1] {
        match func {
            Some(f) => Ok(pyrite_vm::pending::add(f, arg)),
            None => Ok(-1),
        }
    }
    fn Py_MakePendingCalls() -> c_int [-1] {
        pyrite_vm::pending::make_pending_calls()?;
        Ok(0)
    }
    /// A full collection (as `gc.collect()`, callbacks and all): the unreachable objects found;
    /// 0 without collecting while the collector is disabled, as CPython does.
    fn PyGC_Collect() -> Py_ssize_t [0] {
        if !pyrite_vm::stdlib::gc::is_enabled() { return Ok(0); }
        Ok(pyrite_vm::stdlib::gc::collect() as Py_ssize_t)
    }

    /// The builtins of the running Python frame (borrowed), else the `builtins` module's.
    fn PyEval_GetBuiltins() -> *mut PyObject [null_mut()] {
        if let Some(p) = interp::with_current_frame(|f| f.builtins.as_ptr()) { return Ok(p); }
        Ok(pyrite_vm::objects::module::dict_of(&pyrite_vm::builtins::module()).as_ptr())
    }
    /// The globals of the running Python frame (borrowed), NULL (no exception) without one.
    fn PyEval_GetGlobals() -> *mut PyObject [null_mut()] {
        Ok(interp::with_current_frame(|f| f.globals.as_ptr()).unwrap_or(null_mut()))
    }
    fn PyEval_GetFrameBuiltins() -> *mut PyObject [null_mut()] {
        Ok(PyRef::into_raw(Obj::from_ptr(PyEval_GetBuiltins()).new_ref()))
    }
    fn PyEval_GetFrameGlobals() -> *mut PyObject [null_mut()] {
        Ok(interp::with_current_frame(|f| f.globals.clone().into_raw()).unwrap_or(null_mut()))
    }
    /// A new reference: the namespace of a module or class body, a snapshot dict in a
    /// function; NULL (no exception) without a running frame.
    fn PyEval_GetFrameLocals() -> *mut PyObject [null_mut()] {
        match interp::with_current_frame(|f| f.locals_snapshot()) {
            Some(r) => r.map(PyRef::into_raw),
            None => Ok(null_mut()),
        }
    }
    /// The running Python frame's object (borrowed), NULL (no exception) without one.
    fn PyEval_GetFrame() -> *mut PyObject [null_mut()] {
        match interp::with_current_frame(pyrite_vm::objects::frameobject::of) {
            Some(r) => r,
            None => Ok(null_mut()),
        }
    }
    fn PyFrame_GetCode(f: *mut PyObject) -> *mut PyObject [null_mut()] {
        let f = obj(f)?;
        if !pyrite_vm::objects::frameobject::check(f) { return Err(crate::boundary::bad_internal_call()); }
        Ok(pyrite_vm::objects::frameobject::code_of(f).into_raw())
    }
    fn PyFrame_GetLineNumber(f: *mut PyObject) -> c_int [-1] {
        let f = obj(f)?;
        if !pyrite_vm::objects::frameobject::check(f) { return Err(crate::boundary::bad_internal_call()); }
        Ok(pyrite_vm::objects::frameobject::line_number(f))
    }
    /// Deprecated: the running frame's locals, borrowed: a module or class namespace, or a
    /// function's snapshot kept on the frame object (as CPython 3.13+). NULL without a frame.
    fn PyEval_GetLocals() -> *mut PyObject [null_mut()] {
        let fo = match interp::with_current_frame(pyrite_vm::objects::frameobject::of) {
            Some(r) => r?,
            None => return Err(pyrite_vm::raise!(SystemError, "frame does not exist")),
        };
        pyrite_vm::objects::frameobject::locals_borrowed(Obj::from_ptr(fo))
    }
    fn PyEval_GetFuncName(f: *mut PyObject) -> *const c_char [core::ptr::null()] {
        let f = func_of(obj(f)?);
        if function::check(f) {
            let name = Obj::from_ptr((*function::raw(f)).name);
            return Ok(unicode::as_str(name)?.as_ptr() as *const c_char);
        }
        if f.is_instance_of(&methodobject::PyCFunction_Type) {
            return Ok((*(*(f.as_ptr() as *mut methodobject::CFunctionObject)).m_ml).ml_name);
        }
        Ok(f.ob_type().slots().tp_name)
    }
    fn PyEval_GetFuncDesc(f: *mut PyObject) -> *const c_char [core::ptr::null()] {
        let f = func_of(obj(f)?);
        Ok(if function::check(f) || f.is_instance_of(&methodobject::PyCFunction_Type) { c"()" } else { c" object" }.as_ptr())
    }

    fn PyExceptionClass_Name(o: *mut PyObject) -> *const c_char [core::ptr::null()] {
        Ok((*(obj(o)?.as_ptr() as *mut PyTypeObject)).tp_name)
    }
    /// Since 3.9 the same as `PyObject_Call`.
    fn PyCFunction_Call(f: *mut PyObject, args: *mut PyObject, kwargs: *mut PyObject) -> *mut PyObject [null_mut()] {
        let r = crate::call::PyObject_Call(f, args, kwargs);
        if r.is_null() { return Err(PyErr::fetch()); }
        Ok(r)
    }
}

/// `PyEval_EvalFrameEx`'s work. In CPython 3.11+ it runs the frame object's interpreter frame
/// as it is; the frames a Stable ABI caller can hold are a generator's or coroutine's
/// (`gi_frame`, `cr_frame`) and running ones (`PyEval_GetFrame`). For a suspended generator's
/// frame Pyrite resumes the generator, as `send(None)` does — or, with `throwflag`, as
/// `throw()` does with the current exception — and returns what it yields or returns (a
/// return finishes the generator; no StopIteration). Where CPython's behaviour is undefined
/// (it evaluates the frame a second time and corrupts it, or reads past a finished one), Pyrite
/// raises instead: an executing frame (the current one, an outer one, a running
/// generator's) and a finished frame raise RuntimeError, an async generator's frame (whose
/// yields are wrapped for its awaitables) raises RuntimeError, and `throwflag` without a
/// current exception raises SystemError.
fn eval_frame(f: *mut PyObject, throwflag: c_int) -> pyrite_vm::PyResult<*mut PyObject> {
    use pyrite_vm::objects::frameobject::{self, FrameState};
    // SAFETY: NULL or a live object, the caller's promise.
    let f = unsafe { obj(f)? };
    if !frameobject::check(f) {
        return Err(pyrite_vm::raise!(TypeError, "PyEval_EvalFrame: expected a frame object, not {}", f.ob_type().name()));
    }
    match frameobject::state(f) {
        FrameState::Executing => Err(pyrite_vm::raise!(RuntimeError, "cannot evaluate an executing frame")),
        FrameState::Finished => Err(pyrite_vm::raise!(RuntimeError, "cannot evaluate a finished frame")),
        FrameState::Suspended(g) if pyrite_vm::objects::genobject::is_async_gen(&g) => {
            Err(pyrite_vm::raise!(RuntimeError, "cannot evaluate an async generator's frame"))
        }
        FrameState::Suspended(g) => {
            let throw = if throwflag != 0 {
                Some(PyErr::take().ok_or_else(|| pyrite_vm::raise!(SystemError, "PyEval_EvalFrameEx: throwflag set without a current exception"))?)
            } else {
                None
            };
            pyrite_vm::objects::genobject::eval_suspended_frame(&g, throw).map(PyRef::into_raw)
        }
    }
}

capi! {
    fn PyEval_EvalFrame(f: *mut PyObject) -> *mut PyObject [null_mut()] { eval_frame(f, 0) }
    fn PyEval_EvalFrameEx(f: *mut PyObject, throwflag: c_int) -> *mut PyObject [null_mut()] { eval_frame(f, throwflag) }
}
