//! Python functions, bound methods and closure cells.
//!
//! A function object runs its code on the interpreter: called from C (or through
//! `abstract_::call`) via vectorcall, which enters the evaluation loop; called from bytecode,
//! the loop pushes a frame without any Rust recursion.

use core::ffi::{c_int, c_void};
use core::mem::offset_of;
use core::ptr::null_mut;

use pyrite_abi::*;

use crate::err::PyResult;
use crate::object::{Obj, PyRef};
use crate::objects::type_::{getset, StaticTable, TypeObj, BUILTIN_FLAGS, GETSET_END};
use crate::objects::{code, dict, none, unicode};
use crate::slot::{arg, opt_arg, ret_obj};
use crate::private_static_type;

#[repr(C)]
pub struct FunctionObject {
    pub ob_base: PyObject,
    pub vectorcall: vectorcallfunc,
    pub code: *mut PyObject,
    pub globals: *mut PyObject,
    pub builtins: *mut PyObject,
    pub name: *mut PyObject,
    pub qualname: *mut PyObject,
    /// Tuple of positional defaults, or NULL.
    pub defaults: *mut PyObject,
    /// Dict of keyword-only defaults, or NULL.
    pub kwdefaults: *mut PyObject,
    /// Tuple of cells, or NULL.
    pub closure: *mut PyObject,
    pub doc: *mut PyObject,
    pub dict: *mut PyObject,
    pub module: *mut PyObject,
    pub annotations: *mut PyObject,
    pub weakreflist: *mut PyObject,
    /// The PEP 649 `__annotate__` function, or NULL (None).
    pub annotate: *mut PyObject,
    /// The PEP 695 `__type_params__` tuple, or NULL (empty).
    pub typeparams: *mut PyObject,
}

private_static_type!(PyFunction_Type, c"function", core::mem::size_of::<FunctionObject>(), {
    tp_flags: BUILTIN_FLAGS | Py_TPFLAGS_HAVE_GC | Py_TPFLAGS_HAVE_VECTORCALL | Py_TPFLAGS_METHOD_DESCRIPTOR,
    tp_vectorcall_offset: offset_of!(FunctionObject, vectorcall) as isize,
    tp_dictoffset: offset_of!(FunctionObject, dict) as isize,
    tp_weaklistoffset: offset_of!(FunctionObject, weakreflist) as isize,
    tp_dealloc: Some(function_dealloc),
    tp_repr: Some(function_repr),
    tp_call: Some(crate::abstract_::vectorcall_call),
    tp_descr_get: Some(function_descr_get),
    tp_traverse: Some(function_traverse),
    tp_free: Some(crate::alloc::gc_del),
    tp_getset: FUNCTION_GETSET.0.get() as *mut PyGetSetDef,
    tp_new: Some(function_new),
});

#[repr(C)]
pub struct MethodObject {
    pub ob_base: PyObject,
    pub im_func: *mut PyObject,
    pub im_self: *mut PyObject,
    pub vectorcall: vectorcallfunc,
}

private_static_type!(PyMethod_Type, c"method", core::mem::size_of::<MethodObject>(), {
    tp_flags: BUILTIN_FLAGS | Py_TPFLAGS_HAVE_GC | Py_TPFLAGS_HAVE_VECTORCALL,
    tp_vectorcall_offset: offset_of!(MethodObject, vectorcall) as isize,
    tp_dealloc: Some(method_dealloc),
    tp_traverse: Some(method_traverse),
    tp_repr: Some(method_repr),
    tp_call: Some(crate::abstract_::vectorcall_call),
    tp_free: Some(crate::alloc::gc_del),
    tp_getattro: Some(method_getattro),
    tp_getset: METHOD_GETSET.0.get() as *mut PyGetSetDef,
    tp_new: Some(method_tp_new),
});

/// `types.MethodType(function, instance)`.
unsafe extern "C" fn method_tp_new(_t: *mut PyTypeObject, args: *mut PyObject, kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: tp_new contract: args is a tuple, kw NULL or a dict.
    let (args, kw) = unsafe { (crate::objects::tuple::items(arg(args)), opt_arg(kw)) };
    crate::slot::ret_obj((|| {
        crate::objects::argparse::no_kw_dict("method", kw)?;
        if args.len() != 2 {
            return Err(raise!(TypeError, "method expected 2 arguments, got {}", args.len()));
        }
        if args[0].ob_type().slots().tp_call.is_none() {
            return Err(raise!(TypeError, "first argument must be callable"));
        }
        if args[1].is(none::none_obj()) {
            return Err(raise!(TypeError, "instance must not be None"));
        }
        Ok(new_method(args[0], args[1]))
    })())
}

/// A bound method's attributes are its type's, then its function's (`m.__doc__`, attributes
/// a decorator set on the function such as unittest's `__unittest_expecting_failure__`).
unsafe extern "C" fn method_getattro(o: *mut PyObject, name: *mut PyObject) -> *mut PyObject {
    // SAFETY: tp_getattro contract: live method and name.
    let r = unsafe { crate::objects::type_::generic_getattr(o, name) };
    if !r.is_null() {
        return r;
    }
    let err = crate::err::PyErr::fetch();
    if !err.is_instance(crate::objects::exceptions::AttributeError()) {
        err.restore();
        return core::ptr::null_mut();
    }
    // SAFETY: a live method owns its function; `name` is live.
    let (func, name) = unsafe { (crate::slot::arg((*(o as *mut MethodObject)).im_func), crate::slot::arg(name)) };
    crate::slot::ret_obj(crate::abstract_::getattr(func, name))
}

#[repr(C)]
pub struct CellObject {
    pub ob_base: PyObject,
    pub ob_ref: *mut PyObject,
}

private_static_type!(PyCell_Type, c"cell", core::mem::size_of::<CellObject>(), {
    tp_flags: BUILTIN_FLAGS | Py_TPFLAGS_HAVE_GC,
    tp_dealloc: Some(cell_dealloc),
    tp_traverse: Some(cell_traverse),
    tp_clear: Some(cell_clear),
    tp_free: Some(crate::alloc::gc_del),
    tp_getset: CELL_GETSET.0.get() as *mut PyGetSetDef,
    tp_new: Some(cell_new),
});

/// `cell(contents=<empty>, /)` (`types.CellType`).
unsafe extern "C" fn cell_new(_t: *mut PyTypeObject, args: *mut PyObject, kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: tp_new contract: an argument tuple and NULL or a dict.
    let (args, kw) = unsafe { (crate::objects::tuple::items(arg(args)), opt_arg(kw)) };
    let r = crate::objects::argparse::no_kw_dict("cell", kw)
        .and_then(|()| crate::objects::argparse::check_positional("cell", args.len(), 0, 1))
        .map(|()| new_cell(args.first().map(|a| a.new_ref())));
    ret_obj(r)
}

pub fn types() -> [&'static TypeObj; 3] {
    [&PyFunction_Type, &PyMethod_Type, &PyCell_Type]
}

// ---- functions ------------------------------------------------------------------------------

/// `MAKE_FUNCTION`: a function for `code` in `globals`, named by the code object.
pub fn new(code_obj: &Obj, globals: &Obj, builtins: &Obj) -> PyRef {
    let cd = code::data(code_obj);
    // SAFETY: PyFunction_Type is a live static type; fields start NULL and take owned refs.
    unsafe {
        let op = crate::alloc::alloc_object(PyFunction_Type.raw(), core::mem::size_of::<FunctionObject>(), true);
        assert!(!op.is_null(), "out of memory allocating a function");
        let f = op as *mut FunctionObject;
        (*f).vectorcall = Some(crate::interp::function_vectorcall);
        (*f).code = code_obj.new_ref().into_raw();
        (*f).globals = globals.new_ref().into_raw();
        (*f).builtins = builtins.new_ref().into_raw();
        (*f).name = cd.name.new_ref().into_raw();
        (*f).qualname = cd.qualname.new_ref().into_raw();
        let doc = match crate::objects::tuple::items(&cd.consts).first() {
            Some(c) if unicode::check(c) && cd.flags & code::CO_OPTIMIZED != 0 && has_docstring(cd) => c.new_ref(),
            _ => none::none(),
        };
        (*f).doc = doc.into_raw();
        (*f).module = dict::get_item_str(globals, "__name__").map_or(null_mut(), PyRef::into_raw);
        PyRef::from_raw(op)
    }
}

/// `types.FunctionType(code, globals, name=None, argdefs=None, closure=None, kwdefaults=None)`.
unsafe extern "C" fn function_new(_: *mut PyTypeObject, args: *mut PyObject, kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: tp_new contract: `args` a tuple, `kw` NULL or a dict.
    let (pos, kw) = unsafe { (crate::objects::tuple::items(arg(args)), crate::objects::argparse::Kw::pairs_of_dict(opt_arg(kw))) };
    crate::slot::ret_obj((|| {
        const NAMES: [&str; 6] = ["code", "globals", "name", "argdefs", "closure", "kwdefaults"];
        if pos.len() > NAMES.len() {
            return Err(raise!(TypeError, "function() takes at most 6 arguments ({} given)", pos.len()));
        }
        let mut vals: [Option<PyRef>; 6] = Default::default();
        for (i, v) in pos.iter().enumerate() {
            vals[i] = Some(v.new_ref());
        }
        for (k, v) in &kw {
            let k = unicode::as_str(k)?;
            let i = NAMES.iter().position(|n| *n == k).ok_or_else(|| raise!(TypeError, "function() got an unexpected keyword argument '{}'", k))?;
            if vals[i].is_some() {
                return Err(raise!(TypeError, "argument for function() given by name ('{}') and position ({})", k, i + 1));
            }
            vals[i] = Some(v.clone());
        }
        let [code_obj, globals, name, argdefs, closure, kwdefaults] = vals;
        let code_obj = code_obj.ok_or_else(|| raise!(TypeError, "function() missing required argument 'code' (pos 1)"))?;
        let globals = globals.ok_or_else(|| raise!(TypeError, "function() missing required argument 'globals' (pos 2)"))?;
        let given = |v: Option<PyRef>| v.filter(|v| !v.is(none::none_obj()));
        if !code::check(&code_obj) {
            return Err(raise!(TypeError, "function() argument 'code' must be code, not {}", code_obj.ob_type().name()));
        }
        if !dict::check(&globals) {
            return Err(raise!(TypeError, "function() argument 'globals' must be dict, not {}", globals.ob_type().name()));
        }
        let name = given(name);
        if let Some(n) = &name
            && !unicode::check(n)
        {
            return Err(raise!(TypeError, "arg 3 (name) must be None or string"));
        }
        let argdefs = given(argdefs);
        if let Some(d) = &argdefs
            && !crate::objects::tuple::check(d)
        {
            return Err(raise!(TypeError, "arg 4 (defaults) must be None or tuple"));
        }
        let kwdefaults = given(kwdefaults);
        if let Some(d) = &kwdefaults
            && !dict::check(d)
        {
            return Err(raise!(TypeError, "arg 6 (kwdefaults) must be None or dict"));
        }
        let nfree = code::data(&code_obj).nfree();
        let closure = given(closure);
        match &closure {
            Some(c) if !crate::objects::tuple::check(c) => {
                return Err(raise!(TypeError, "arg 5 (closure) must be tuple"));
            }
            None if nfree > 0 => return Err(raise!(TypeError, "arg 5 (closure) must be tuple")),
            _ => {}
        }
        let ncells = closure.as_ref().map_or(0, |c| crate::objects::tuple::len(c));
        if ncells != nfree {
            return Err(raise!(
                ValueError,
                "{} requires closure of length {}, not {}",
                unicode::as_str_lossy(&code::data(&code_obj).name),
                nfree,
                ncells
            ));
        }
        if let Some(c) = &closure {
            for cell in crate::objects::tuple::items(c) {
                if !cell.is_exact(&PyCell_Type) {
                    return Err(raise!(TypeError, "arg 5 (closure) expected cell, found {}", cell.ob_type().name()));
                }
            }
        }
        // The builtins are the globals' `__builtins__` (a module's dict), else the running code's.
        let builtins = match dict::get_item_str(&globals, "__builtins__") {
            Some(b) if crate::objects::module::check(&b) => crate::objects::module::dict_of(&b).new_ref(),
            Some(b) => b,
            None => crate::interp::with_current_frame(|f| f.builtins.clone())
                .unwrap_or_else(|| crate::objects::module::dict_of(&crate::builtins::module()).new_ref()),
        };
        let f = new(&code_obj, &globals, &builtins);
        if let Some(n) = name {
            // SAFETY: a fresh function owning its fields.
            unsafe {
                let old = core::mem::replace(&mut (*raw(&f)).name, n.into_raw());
                crate::object::xdecref(old);
            }
        }
        if let Some(d) = argdefs {
            set_field(&f, 1, &d);
        }
        if let Some(d) = kwdefaults {
            set_field(&f, 2, &d);
        }
        if let Some(c) = closure.filter(|c| crate::objects::tuple::len(c) > 0) {
            set_field(&f, 8, &c);
        }
        Ok(f)
    })())
}

/// Whether the compiler stored a docstring as the first constant (it marks it with a flag
/// in the code's first constant position; see the compiler).
fn has_docstring(cd: &code::CodeData) -> bool {
    cd.flags & CO_HAS_DOCSTRING != 0
}

/// Pyrite's code flag for "co_consts[0] is the docstring" (CPython 3.14's CO_HAS_DOCSTRING).
pub const CO_HAS_DOCSTRING: u32 = 0x0400_0000;

#[inline(always)]
pub fn check(o: &Obj) -> bool {
    o.is_exact(&PyFunction_Type)
}

#[inline(always)]
pub fn raw(o: &Obj) -> *mut FunctionObject {
    o.as_ptr() as *mut FunctionObject
}

/// The function's code object (borrowed).
pub fn code_of(f: &Obj) -> &Obj {
    // SAFETY: f is a function; code is never NULL.
    unsafe { arg((*raw(f)).code) }
}

/// Replaces one owned field of a function (`SET_FUNCTION_ATTRIBUTE`).
pub fn set_field(f: &Obj, which: u32, value: &Obj) {
    // SAFETY: f is a function; fields hold NULL or owned references.
    unsafe {
        let r = raw(f);
        let slot = match which {
            1 => &raw mut (*r).defaults,
            2 => &raw mut (*r).kwdefaults,
            4 => &raw mut (*r).annotations,
            8 => &raw mut (*r).closure,
            16 => &raw mut (*r).annotate,
            32 => &raw mut (*r).typeparams,
            _ => return,
        };
        let old = core::mem::replace(&mut *slot, value.new_ref().into_raw());
        crate::object::xdecref(old);
    }
}

unsafe extern "C" fn function_dealloc(o: *mut PyObject) {
    // SAFETY: a dead function: release every field.
    unsafe {
        crate::objects::weakref::clear_weakrefs(o);
        let f = o as *mut FunctionObject;
        for p in [
            (*f).code, (*f).globals, (*f).builtins, (*f).name, (*f).qualname, (*f).defaults, (*f).kwdefaults,
            (*f).closure, (*f).doc, (*f).dict, (*f).module, (*f).annotations, (*f).annotate, (*f).typeparams,
        ] {
            crate::object::xdecref(p);
        }
        crate::alloc::gc_del(o as *mut c_void);
    }
}

unsafe extern "C" fn function_traverse(o: *mut PyObject, visit: visitproc, a: *mut c_void) -> c_int {
    // SAFETY: live function.
    unsafe {
        let Some(visit) = visit else { return 0 };
        let f = o as *mut FunctionObject;
        for p in [(*f).code, (*f).globals, (*f).builtins, (*f).defaults, (*f).kwdefaults, (*f).closure, (*f).dict, (*f).module, (*f).annotations, (*f).annotate, (*f).typeparams] {
            if !p.is_null() {
                let r = visit(p, a);
                if r != 0 {
                    return r;
                }
            }
        }
    }
    0
}

unsafe extern "C" fn function_repr(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: live function.
    let q = unsafe { arg((*(o as *mut FunctionObject)).qualname) };
    unicode::new(&format!("<function {} at {:#x}>", unicode::as_str_lossy(q), o as usize)).into_raw()
}

unsafe extern "C" fn function_descr_get(f: *mut PyObject, obj: *mut PyObject, _ty: *mut PyObject) -> *mut PyObject {
    // SAFETY: live arguments.
    unsafe {
        match opt_arg(obj) {
            None => arg(f).new_ref().into_raw(),
            Some(o) => new_method(arg(f), o).into_raw(),
        }
    }
}

macro_rules! function_field_getter {
    ($name:ident, $field:ident) => {
        unsafe extern "C" fn $name(o: *mut PyObject, _: *mut c_void) -> *mut PyObject {
            // SAFETY: live function.
            let p = unsafe { (*(o as *mut FunctionObject)).$field };
            if p.is_null() { none::none().into_raw() } else { unsafe { arg(p) }.new_ref().into_raw() }
        }
    };
}
function_field_getter!(func_get_code, code);

/// `f.__code__ = code`: a code object with as many free variables as the closure has cells.
unsafe extern "C" fn func_set_code(o: *mut PyObject, v: *mut PyObject, _: *mut c_void) -> c_int {
    // SAFETY: live function; its fields hold owned references (closure may be NULL).
    unsafe {
        let r = (|| -> PyResult<()> {
            let Some(v) = opt_arg(v).filter(|v| crate::objects::code::check(v)) else {
                return Err(raise!(TypeError, "__code__ must be set to a code object"));
            };
            let f = o as *mut FunctionObject;
            let name = unicode::as_str_lossy(arg((*f).qualname)).into_owned();
            let ncells = opt_arg((*f).closure).map_or(0, |c| crate::objects::tuple::len(c));
            let nfree = crate::objects::code::data(v).nfree();
            if nfree != ncells {
                return Err(raise!(ValueError, "{}() requires a code object with {} free vars, not {}", name, ncells, nfree));
            }
            let old = core::mem::replace(&mut (*f).code, v.new_ref().into_raw());
            crate::object::xdecref(old);
            Ok(())
        })();
        crate::slot::ret_int(r.map(|_| 0))
    }
}
function_field_getter!(func_get_globals, globals);
function_field_getter!(func_get_name, name);
function_field_getter!(func_get_qualname, qualname);
function_field_getter!(func_get_defaults, defaults);
function_field_getter!(func_get_kwdefaults, kwdefaults);
function_field_getter!(func_get_closure, closure);
function_field_getter!(func_get_doc, doc);
function_field_getter!(func_get_module, module);
function_field_getter!(func_get_annotate, annotate);

/// A setter of a function field: `str_only` fields (`__name__`, `__qualname__`) take only a
/// str and cannot be deleted; the others take anything, deletion storing None.
macro_rules! function_field_setter {
    ($name:ident, $field:ident, str_only: $msg:literal) => {
        unsafe extern "C" fn $name(o: *mut PyObject, v: *mut PyObject, _: *mut c_void) -> c_int {
            // SAFETY: live function; the field holds NULL or an owned reference.
            unsafe {
                let Some(v) = opt_arg(v).filter(|v| unicode::check(v)) else {
                    return crate::slot::ret_int(Err(raise!(TypeError, $msg)));
                };
                let f = o as *mut FunctionObject;
                let old = core::mem::replace(&mut (*f).$field, v.new_ref().into_raw());
                crate::object::xdecref(old);
                0
            }
        }
    };
    ($name:ident, $field:ident) => {
        unsafe extern "C" fn $name(o: *mut PyObject, v: *mut PyObject, _: *mut c_void) -> c_int {
            // SAFETY: live function; the field holds NULL or an owned reference.
            unsafe {
                let v = opt_arg(v).map_or_else(none::none, Obj::new_ref);
                let f = o as *mut FunctionObject;
                let old = core::mem::replace(&mut (*f).$field, v.into_raw());
                crate::object::xdecref(old);
                0
            }
        }
    };
}
function_field_setter!(func_set_name, name, str_only: "__name__ must be set to a string object");
function_field_setter!(func_set_qualname, qualname, str_only: "__qualname__ must be set to a string object");
function_field_setter!(func_set_doc, doc);
function_field_setter!(func_set_module, module);

/// A setter for `__defaults__` (tuple) or `__kwdefaults__` (dict): None or deletion clears the
/// field (NULL, as the argument binding expects), any other type is CPython's TypeError.
macro_rules! function_defaults_setter {
    ($name:ident, $field:ident, $check:path, $msg:literal) => {
        unsafe extern "C" fn $name(o: *mut PyObject, v: *mut PyObject, _: *mut c_void) -> c_int {
            // SAFETY: live function; the field holds NULL or an owned reference.
            unsafe {
                let new = match opt_arg(v) {
                    Some(v) if v.is(none::none_obj()) => core::ptr::null_mut(),
                    Some(v) if $check(v) => v.new_ref().into_raw(),
                    Some(_) => return crate::slot::ret_int(Err(raise!(TypeError, $msg))),
                    None => core::ptr::null_mut(),
                };
                let f = o as *mut FunctionObject;
                let old = core::mem::replace(&mut (*f).$field, new);
                crate::object::xdecref(old);
                0
            }
        }
    };
}
function_defaults_setter!(func_set_defaults, defaults, crate::objects::tuple::check, "__defaults__ must be set to a tuple object");
function_defaults_setter!(func_set_kwdefaults, kwdefaults, crate::objects::dict::check, "__kwdefaults__ must be set to a dict object");

/// `function.__annotations__`: the cached dict, else `__annotate__(1)` (cached), else a new
/// empty dict (cached).
pub fn annotations(f: &Obj) -> PyResult<PyRef> {
    let r = raw(f);
    // SAFETY: f is a function; fields hold NULL or owned references.
    unsafe {
        if let Some(a) = opt_arg((*r).annotations) {
            return Ok(a.new_ref());
        }
        let d = match opt_arg((*r).annotate) {
            Some(annotate) if annotate.ob_type().slots().tp_call.is_some() => {
                let d = crate::abstract_::call(annotate, &crate::objects::tuple::new_from(&[&*crate::objects::long::from_i64(1)]), None)?;
                if !dict::check(&d) {
                    return Err(raise!(TypeError, "__annotate__() must return a dict, not {}", d.ob_type().name()));
                }
                d
            }
            _ => dict::new(),
        };
        set_field(f, 4, &d);
        Ok(d)
    }
}

unsafe extern "C" fn func_get_annotations(o: *mut PyObject, _: *mut c_void) -> *mut PyObject {
    // SAFETY: live function.
    ret_obj(annotations(unsafe { arg(o) }))
}

unsafe extern "C" fn func_set_annotations(o: *mut PyObject, v: *mut PyObject, _: *mut c_void) -> c_int {
    // SAFETY: live function; fields hold NULL or owned references.
    unsafe {
        let r = raw(arg(o));
        let v = match opt_arg(v) {
            Some(v) if v.is(none::none_obj()) => None,
            Some(v) if !dict::check(v) => {
                return crate::slot::ret_int(Err(raise!(TypeError, "__annotations__ must be set to a dict object")));
            }
            v => v,
        };
        let old = core::mem::replace(&mut (*r).annotations, v.map_or(null_mut(), |v| v.new_ref().into_raw()));
        crate::object::xdecref(old);
        let old = core::mem::replace(&mut (*r).annotate, null_mut());
        crate::object::xdecref(old);
    }
    0
}

unsafe extern "C" fn func_set_annotate(o: *mut PyObject, v: *mut PyObject, _: *mut c_void) -> c_int {
    // SAFETY: live function; fields hold NULL or owned references.
    unsafe {
        let r = raw(arg(o));
        let Some(v) = opt_arg(v) else {
            return crate::slot::ret_int(Err(raise!(TypeError, "__annotate__ cannot be deleted")));
        };
        let v = if v.is(none::none_obj()) {
            None
        } else if v.ob_type().slots().tp_call.is_some() {
            Some(v)
        } else {
            return crate::slot::ret_int(Err(raise!(TypeError, "__annotate__ must be callable or None")));
        };
        let old = core::mem::replace(&mut (*r).annotate, v.map_or(null_mut(), |v| v.new_ref().into_raw()));
        crate::object::xdecref(old);
        if v.is_some() {
            let old = core::mem::replace(&mut (*r).annotations, null_mut());
            crate::object::xdecref(old);
        }
    }
    0
}

unsafe extern "C" fn func_get_type_params(o: *mut PyObject, _: *mut c_void) -> *mut PyObject {
    // SAFETY: live function.
    let p = unsafe { (*(o as *mut FunctionObject)).typeparams };
    if p.is_null() { crate::objects::tuple::new_from(&[]).into_raw() } else { unsafe { arg(p) }.new_ref().into_raw() }
}

unsafe extern "C" fn func_set_type_params(o: *mut PyObject, v: *mut PyObject, _: *mut c_void) -> c_int {
    // SAFETY: live function; fields hold NULL or owned references.
    unsafe {
        match opt_arg(v) {
            Some(v) if crate::objects::tuple::check(v) => {
                set_field(arg(o), 32, v);
                0
            }
            Some(_) => crate::slot::ret_int(Err(raise!(TypeError, "__type_params__ must be set to a tuple"))),
            None => crate::slot::ret_int(Err(raise!(TypeError, "__type_params__ must be set to a tuple"))),
        }
    }
}

unsafe extern "C" fn func_get_builtins(o: *mut PyObject, _: *mut c_void) -> *mut PyObject {
    // SAFETY: live function; it owns its builtins dict.
    unsafe { arg((*(o as *mut FunctionObject)).builtins) }.new_ref().into_raw()
}

static FUNCTION_GETSET: StaticTable<PyGetSetDef, 15> = StaticTable(core::cell::UnsafeCell::new([
    getset(c"__dict__", Some(crate::objects::heaptype::instance_get_dict), Some(crate::objects::heaptype::instance_set_dict)),
    getset(c"__code__", Some(func_get_code), Some(func_set_code)),
    getset(c"__globals__", Some(func_get_globals), None),
    getset(c"__builtins__", Some(func_get_builtins), None),
    getset(c"__name__", Some(func_get_name), Some(func_set_name)),
    getset(c"__qualname__", Some(func_get_qualname), Some(func_set_qualname)),
    getset(c"__defaults__", Some(func_get_defaults), Some(func_set_defaults)),
    getset(c"__kwdefaults__", Some(func_get_kwdefaults), Some(func_set_kwdefaults)),
    getset(c"__closure__", Some(func_get_closure), None),
    getset(c"__doc__", Some(func_get_doc), Some(func_set_doc)),
    getset(c"__module__", Some(func_get_module), Some(func_set_module)),
    getset(c"__annotations__", Some(func_get_annotations), Some(func_set_annotations)),
    getset(c"__annotate__", Some(func_get_annotate), Some(func_set_annotate)),
    getset(c"__type_params__", Some(func_get_type_params), Some(func_set_type_params)),
    GETSET_END,
]));

// ---- bound methods --------------------------------------------------------------------------

/// `PyMethod_New`: `func` bound to `self_`.
pub fn new_method(func: &Obj, self_: &Obj) -> PyRef {
    // SAFETY: PyMethod_Type is a live static type.
    unsafe {
        let op = crate::alloc::alloc_object(PyMethod_Type.raw(), core::mem::size_of::<MethodObject>(), true);
        assert!(!op.is_null(), "out of memory allocating a method");
        let m = op as *mut MethodObject;
        (*m).im_func = func.new_ref().into_raw();
        (*m).im_self = self_.new_ref().into_raw();
        (*m).vectorcall = Some(method_vectorcall);
        PyRef::from_raw(op)
    }
}

/// Whether `o` is exactly a bound method.
#[inline(always)]
pub fn method_check(o: &Obj) -> bool {
    o.is_exact(&PyMethod_Type)
}

/// The function and self of a bound method (caller checked the type).
pub fn method_parts(m: &Obj) -> (&Obj, &Obj) {
    // SAFETY: m is a bound method; both fields are owned and non-NULL.
    unsafe {
        let r = m.as_ptr() as *mut MethodObject;
        (arg((*r).im_func), arg((*r).im_self))
    }
}

unsafe extern "C" fn method_vectorcall(m: *mut PyObject, args: *const *mut PyObject, nargsf: usize, kwnames: *mut PyObject) -> *mut PyObject {
    // SAFETY: vectorcall contract. Prepend self to the arguments.
    unsafe {
        let (func, self_) = method_parts(arg(m));
        let n = nargsf & !PY_VECTORCALL_ARGUMENTS_OFFSET;
        let nkw = if kwnames.is_null() { 0 } else { crate::objects::tuple::len(arg(kwnames)) };
        let mut v: Vec<*mut PyObject> = Vec::with_capacity(n + nkw + 1);
        v.push(self_.as_ptr());
        if n + nkw > 0 {
            v.extend_from_slice(core::slice::from_raw_parts(args, n + nkw));
        }
        ret_obj(crate::abstract_::vectorcall(func, v.as_ptr(), n + 1, kwnames))
    }
}

unsafe extern "C" fn method_dealloc(o: *mut PyObject) {
    // SAFETY: a dead method.
    unsafe {
        let m = o as *mut MethodObject;
        crate::object::xdecref((*m).im_func);
        crate::object::xdecref((*m).im_self);
        crate::alloc::gc_del(o as *mut c_void);
    }
}

unsafe extern "C" fn method_repr(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: live method.
    let (func, self_) = method_parts(unsafe { arg(o) });
    let r = (|| -> PyResult<PyRef> {
        let q = crate::abstract_::getattr_str(func, "__qualname__")?;
        let s = crate::abstract_::repr(self_)?;
        Ok(unicode::new(&format!("<bound method {} of {}>", unicode::as_str_lossy(&q), unicode::as_str_lossy(&s))))
    })();
    ret_obj(r)
}

unsafe extern "C" fn method_get_func(o: *mut PyObject, _: *mut c_void) -> *mut PyObject {
    // SAFETY: live method.
    method_parts(unsafe { arg(o) }).0.new_ref().into_raw()
}
unsafe extern "C" fn method_get_self(o: *mut PyObject, _: *mut c_void) -> *mut PyObject {
    // SAFETY: live method.
    method_parts(unsafe { arg(o) }).1.new_ref().into_raw()
}

static METHOD_GETSET: StaticTable<PyGetSetDef, 3> = StaticTable(core::cell::UnsafeCell::new([
    getset(c"__func__", Some(method_get_func), None),
    getset(c"__self__", Some(method_get_self), None),
    GETSET_END,
]));

// ---- cells ----------------------------------------------------------------------------------

/// A new cell holding `v` (or empty).
pub fn new_cell(v: Option<PyRef>) -> PyRef {
    // SAFETY: PyCell_Type is a live static type.
    unsafe {
        let op = crate::alloc::alloc_object(PyCell_Type.raw(), core::mem::size_of::<CellObject>(), true);
        assert!(!op.is_null(), "out of memory allocating a cell");
        (*(op as *mut CellObject)).ob_ref = v.map_or(null_mut(), PyRef::into_raw);
        PyRef::from_raw(op)
    }
}

/// The cell's content, borrowed.
pub fn cell_get(c: &Obj) -> Option<&Obj> {
    // SAFETY: c is a cell.
    unsafe { opt_arg((*(c.as_ptr() as *mut CellObject)).ob_ref) }
}

/// Replaces the cell's content.
pub fn cell_set(c: &Obj, v: Option<PyRef>) {
    // SAFETY: c is a cell holding NULL or an owned reference.
    unsafe {
        let r = c.as_ptr() as *mut CellObject;
        let old = core::mem::replace(&mut (*r).ob_ref, v.map_or(null_mut(), PyRef::into_raw));
        crate::object::xdecref(old);
    }
}

unsafe extern "C" fn cell_dealloc(o: *mut PyObject) {
    // SAFETY: a dead cell.
    unsafe {
        crate::object::xdecref((*(o as *mut CellObject)).ob_ref);
        crate::alloc::gc_del(o as *mut c_void);
    }
}

unsafe extern "C" fn cell_get_contents(o: *mut PyObject, _: *mut c_void) -> *mut PyObject {
    // SAFETY: live cell.
    match cell_get(unsafe { arg(o) }) {
        Some(v) => v.new_ref().into_raw(),
        None => ret_obj(Err(raise!(ValueError, "Cell is empty"))),
    }
}

/// `cell.cell_contents = v` / `del cell.cell_contents` (empties the cell).
unsafe extern "C" fn cell_set_contents(o: *mut PyObject, v: *mut PyObject, _: *mut c_void) -> c_int {
    // SAFETY: live cell; `v` is NULL (delete) or a live object.
    unsafe { cell_set(arg(o), opt_arg(v).map(Obj::new_ref)) };
    0
}

static CELL_GETSET: StaticTable<PyGetSetDef, 2> =
    StaticTable(core::cell::UnsafeCell::new([getset(c"cell_contents", Some(cell_get_contents), Some(cell_set_contents)), GETSET_END]));

unsafe extern "C" fn cell_traverse(o: *mut PyObject, visit: visitproc, a: *mut c_void) -> c_int {
    // SAFETY: a live cell owning its contents.
    unsafe { crate::gc::visit_each(&[(*(o as *mut CellObject)).ob_ref], visit, a) }
}

unsafe extern "C" fn cell_clear(o: *mut PyObject) -> c_int {
    // SAFETY: a live cell; an empty cell is valid.
    unsafe { crate::gc::clear_each(&[&raw mut (*(o as *mut CellObject)).ob_ref]) };
    0
}

unsafe extern "C" fn method_traverse(o: *mut PyObject, visit: visitproc, a: *mut c_void) -> c_int {
    // SAFETY: a live method owning both references.
    unsafe {
        let m = o as *mut MethodObject;
        crate::gc::visit_each(&[(*m).im_func, (*m).im_self], visit, a)
    }
}
