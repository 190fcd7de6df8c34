//! `_contextvars` (PEP 567): `ContextVar`, `Token`, `Context` and `copy_context`, which
//! `Lib/contextvars.py` re-exports and `warnings`, `threading`, `decimal` and `asyncio` use.
//!
//! Each thread has a current context (made empty on first use). A context maps variables to
//! values in a dict keyed by the `ContextVar` objects (which hash by identity). `var.set()`
//! changes the current context in place — so a context entered with `Context.run` shows what
//! ran in it afterwards — and `copy_context()` copies, so copies are snapshots.

use core::cell::{Cell, UnsafeCell};

use pyrite_abi::*;

use crate::err::PyResult;
use crate::object::{Obj, PyRef};
use crate::objects::argparse::{self, Kw, Sig};
use crate::objects::type_::{self, StaticTable, BUILTIN_FLAGS, GETSET_END};
use crate::objects::{dict, list, module, none, tuple, unicode};
use crate::slot::{arg, opt_arg, ret_int, ret_obj, ret_ssize};
use crate::stdlib::boxed::{boxed_dealloc, new_boxed, payload, Boxed};
use crate::{abstract_, getter_def, method_table, private_static_type};

// ---- the current context of each thread -----------------------------------------------------

thread_local! {
    /// This thread's current context (an owned reference), or NULL before first use. Touched
    /// only while attached; a thread's last context is not released when it ends.
    static CURRENT: Cell<*mut PyObject> = const { Cell::new(core::ptr::null_mut()) };
}

/// The current context, created empty on first use.
fn current() -> PyResult<PyRef> {
    let p = CURRENT.with(Cell::get);
    if !p.is_null() {
        // SAFETY: CURRENT holds an owned reference to a live context.
        return Ok(unsafe { Obj::from_ptr(p) }.new_ref());
    }
    let ctx = new_context(dict::new())?;
    CURRENT.with(|c| c.set(ctx.new_ref().into_raw()));
    Ok(ctx)
}

/// Makes `ctx` current; returns the previous current context (owned, or NULL).
fn swap_current(ctx: PyRef) -> *mut PyObject {
    CURRENT.with(|c| c.replace(ctx.into_raw()))
}

// ---- Context --------------------------------------------------------------------------------

struct ContextData {
    vars: PyRef,
    entered: Cell<bool>,
}

private_static_type!(CONTEXT_TYPE, c"_contextvars.Context", core::mem::size_of::<Boxed<ContextData>>(), {
    tp_flags: BUILTIN_FLAGS | Py_TPFLAGS_MAPPING,
    tp_dealloc: Some(boxed_dealloc::<ContextData>),
    tp_richcompare: Some(ctx_richcompare),
    tp_iter: Some(ctx_iter),
    tp_getattro: Some(type_::generic_getattr),
    tp_as_mapping: CTX_AS_MAPPING.0.get(),
    tp_as_sequence: CTX_AS_SEQUENCE.0.get(),
    tp_methods: CTX_METHODS.0.get() as *mut PyMethodDef,
    tp_new: Some(ctx_new),
    tp_hash: Some(crate::objects::list::unhashable),
    tp_free: Some(crate::alloc::object_free),
});

static CTX_AS_MAPPING: crate::object::StaticObject<PyMappingMethods> =
    crate::object::StaticObject::new(PyMappingMethods { mp_length: Some(ctx_len), mp_subscript: Some(ctx_getitem), mp_ass_subscript: None });

static CTX_AS_SEQUENCE: crate::object::StaticObject<PySequenceMethods> =
    crate::object::StaticObject::new(PySequenceMethods { sq_contains: Some(ctx_contains), ..PySequenceMethods::EMPTY });

method_table!(static CTX_METHODS = [
    kw c"run" => c_run,
    noargs c"copy" => c_copy,
    fast c"get" => c_get,
    noargs c"keys" => c_keys,
    noargs c"values" => c_values,
    noargs c"items" => c_items,
]);

fn new_context(vars: PyRef) -> PyResult<PyRef> {
    new_boxed(&CONTEXT_TYPE, ContextData { vars, entered: Cell::new(false) })
}

fn cdata(o: &Obj) -> &ContextData {
    payload::<ContextData>(o)
}

unsafe extern "C" fn ctx_new(_t: *mut PyTypeObject, args: *mut PyObject, kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: tp_new contract.
    let (args, kw) = unsafe { (arg(args), opt_arg(kw)) };
    ret_obj((|| {
        if tuple::len(args) > 0 || kw.is_some_and(|k| dict::len(k) > 0) {
            return Err(raise!(TypeError, "Context() does not accept any arguments"));
        }
        new_context(dict::new())
    })())
}

fn check_var(key: &Obj) -> PyResult<()> {
    if key.ob_type().is(&VAR_TYPE) {
        Ok(())
    } else {
        Err(raise!(TypeError, "a ContextVar key was expected, got {}", unicode::as_str_lossy(&*abstract_::repr(key)?)))
    }
}

/// `ctx.run(callable, *args, **kwargs)`: runs in `ctx`, then restores the previous context.
fn c_run(o: &Obj, args: &[&Obj], kw: Kw) -> PyResult<PyRef> {
    let Some((f, rest)) = args.split_first() else {
        return Err(raise!(TypeError, "run() missing 1 required positional argument"));
    };
    let data = cdata(o);
    if data.entered.get() {
        return Err(raise!(RuntimeError, "cannot enter context: {} is already entered", unicode::as_str_lossy(&*abstract_::repr(o)?)));
    }
    current()?; // the context to come back to exists
    data.entered.set(true);
    let prev = swap_current(o.new_ref());
    let kwargs = if kw.is_empty() {
        None
    } else {
        let d = dict::new();
        for (k, v) in kw.names.iter().zip(kw.values) {
            dict::set_item(&d, k, v)?;
        }
        Some(d)
    };
    let r = abstract_::call(f, &tuple::new_from(rest), kwargs.as_deref());
    let mine = swap_current_raw(prev);
    // SAFETY: `mine` is the owned reference `swap_current` stored.
    drop(unsafe { PyRef::from_raw_opt(mine) });
    data.entered.set(false);
    r
}

fn swap_current_raw(p: *mut PyObject) -> *mut PyObject {
    CURRENT.with(|c| c.replace(p))
}

fn c_copy(o: &Obj) -> PyResult<PyRef> {
    new_context(dict::copy(&cdata(o).vars)?)
}

fn c_get(o: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    argparse::check_positional("get", a.len(), 1, 2)?;
    check_var(a[0])?;
    Ok(dict::get_item(&cdata(o).vars, a[0])?.unwrap_or_else(|| a.get(1).map_or_else(none::none, |d| d.new_ref())))
}

fn c_keys(o: &Obj) -> PyResult<PyRef> {
    Ok(list::new_from_owned(dict::items_vec(&cdata(o).vars).into_iter().map(|(k, _)| k).collect()))
}

fn c_values(o: &Obj) -> PyResult<PyRef> {
    Ok(list::new_from_owned(dict::items_vec(&cdata(o).vars).into_iter().map(|(_, v)| v).collect()))
}

fn c_items(o: &Obj) -> PyResult<PyRef> {
    Ok(list::new_from_owned(dict::items_vec(&cdata(o).vars).into_iter().map(|(k, v)| tuple::new_from(&[&k, &v])).collect()))
}

unsafe extern "C" fn ctx_len(o: *mut PyObject) -> Py_ssize_t {
    // SAFETY: a live context.
    ret_ssize(Ok(dict::len(&cdata(unsafe { arg(o) }).vars) as Py_ssize_t))
}

unsafe extern "C" fn ctx_getitem(o: *mut PyObject, key: *mut PyObject) -> *mut PyObject {
    // SAFETY: live arguments.
    let (o, key) = unsafe { (arg(o), arg(key)) };
    ret_obj((|| {
        check_var(key)?;
        dict::get_item(&cdata(o).vars, key)?.ok_or_else(|| crate::err::PyErr::from_type_and_arg(crate::objects::exceptions::KeyError(), key))
    })())
}

unsafe extern "C" fn ctx_contains(o: *mut PyObject, key: *mut PyObject) -> core::ffi::c_int {
    // SAFETY: live arguments.
    let (o, key) = unsafe { (arg(o), arg(key)) };
    ret_int((|| {
        check_var(key)?;
        Ok(dict::contains(&cdata(o).vars, key)? as core::ffi::c_int)
    })())
}

unsafe extern "C" fn ctx_iter(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live context.
    let o = unsafe { arg(o) };
    ret_obj(c_keys(o).and_then(|l| crate::objects::iterobject::get_iter(&l)))
}

unsafe extern "C" fn ctx_richcompare(a: *mut PyObject, b: *mut PyObject, op: core::ffi::c_int) -> *mut PyObject {
    // SAFETY: live arguments.
    let (a, b) = unsafe { (arg(a), arg(b)) };
    if (op != Py_EQ && op != Py_NE) || !b.ob_type().is(&CONTEXT_TYPE) {
        return none::not_implemented().into_raw();
    }
    ret_obj(abstract_::rich_compare(&cdata(a).vars, &cdata(b).vars, op))
}

// ---- ContextVar -----------------------------------------------------------------------------

struct VarData {
    name: PyRef,
    default: Option<PyRef>,
}

private_static_type!(VAR_TYPE, c"_contextvars.ContextVar", core::mem::size_of::<Boxed<VarData>>(), {
    tp_flags: BUILTIN_FLAGS,
    tp_dealloc: Some(boxed_dealloc::<VarData>),
    tp_repr: Some(var_repr),
    tp_getattro: Some(type_::generic_getattr),
    tp_methods: VAR_METHODS.0.get() as *mut PyMethodDef,
    tp_getset: VAR_GETSET.0.get() as *mut PyGetSetDef,
    tp_new: Some(var_new),
    tp_free: Some(crate::alloc::object_free),
});

method_table!(static VAR_METHODS = [
    fast c"get" => v_get,
    o c"set" => v_set,
    o c"reset" => v_reset,
    class_o c"__class_getitem__" => crate::objects::genericalias::class_getitem,
]);

static VAR_GETSET: StaticTable<PyGetSetDef, 2> = StaticTable(UnsafeCell::new([getter_def!(c"name", vg_name), GETSET_END]));

unsafe extern "C" fn var_new(_t: *mut PyTypeObject, args: *mut PyObject, kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: tp_new contract.
    let (args, kw) = unsafe { (arg(args), opt_arg(kw)) };
    ret_obj((|| {
        let pairs = Kw::pairs_of_dict(kw);
        let names: Vec<&Obj> = pairs.iter().map(|(k, _)| &**k).collect();
        let values: Vec<&Obj> = pairs.iter().map(|(_, v)| &**v).collect();
        let sig = Sig { name: "ContextVar", params: &["name", "default"], posonly: 0, maxpos: 1, required: 1 };
        let [name, default] = argparse::parse::<2>(&sig, tuple::items(args), Kw { names: &names, values: &values })?;
        let name = name.unwrap();
        if !unicode::check(name) {
            return Err(raise!(TypeError, "context variable name must be a str"));
        }
        new_boxed(&VAR_TYPE, VarData { name: name.new_ref(), default: default.map(|d| d.new_ref()) })
    })())
}

fn vdata(o: &Obj) -> &VarData {
    payload::<VarData>(o)
}

fn vg_name(o: &Obj) -> PyResult<PyRef> {
    Ok(vdata(o).name.clone())
}

/// `var.get([default])`: the value in the current context, else `default`, else the
/// variable's default, else `LookupError(var)`.
fn v_get(o: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    argparse::check_positional("get", a.len(), 0, 1)?;
    let ctx = current()?;
    if let Some(v) = dict::get_item(&cdata(&ctx).vars, o)? {
        return Ok(v);
    }
    if let Some(d) = a.first() {
        return Ok(d.new_ref());
    }
    if let Some(d) = &vdata(o).default {
        return Ok(d.clone());
    }
    Err(crate::err::PyErr::from_type_and_arg(crate::objects::exceptions::LookupError(), o))
}

fn v_set(o: &Obj, value: &Obj) -> PyResult<PyRef> {
    let ctx = current()?;
    let vars = &cdata(&ctx).vars;
    let old = dict::get_item(vars, o)?;
    dict::set_item(vars, o, value)?;
    new_boxed(&TOKEN_TYPE, TokenData { context: ctx.clone(), var: o.new_ref(), old, used: Cell::new(false) })
}

fn v_reset(o: &Obj, token: &Obj) -> PyResult<PyRef> {
    if !token.ob_type().is(&TOKEN_TYPE) {
        return Err(raise!(TypeError, "expected an instance of Token, got {}", unicode::as_str_lossy(&*abstract_::repr(token)?)));
    }
    let t = tdata(token);
    let trepr = || abstract_::repr(token).map(|r| unicode::as_str_lossy(&r).into_owned());
    if t.used.get() {
        return Err(raise!(RuntimeError, "{} has already been used once", trepr()?));
    }
    if !t.var.is(o) {
        return Err(raise!(ValueError, "{} was created by a different ContextVar", trepr()?));
    }
    let ctx = current()?;
    if !t.context.is(&ctx) {
        return Err(raise!(ValueError, "{} was created in a different Context", trepr()?));
    }
    t.used.set(true);
    let vars = &cdata(&ctx).vars;
    match &t.old {
        Some(v) => dict::set_item(vars, o, v)?,
        None => {
            if dict::contains(vars, o)? {
                dict::del_item(vars, o)?;
            }
        }
    }
    Ok(none::none())
}

unsafe extern "C" fn var_repr(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live ContextVar.
    let o = unsafe { arg(o) };
    ret_obj((|| {
        let v = vdata(o);
        let name = unicode::as_str_lossy(&*abstract_::repr(&v.name)?).into_owned();
        let default = match &v.default {
            Some(d) => format!(" default={}", unicode::as_str_lossy(&*abstract_::repr(d)?)),
            None => String::new(),
        };
        Ok(unicode::new(&format!("<ContextVar name={name}{default} at {:#x}>", o.as_ptr() as usize)))
    })())
}

// ---- Token ----------------------------------------------------------------------------------

struct TokenData {
    context: PyRef,
    var: PyRef,
    /// The value before `set()`, or None when the variable had none.
    old: Option<PyRef>,
    used: Cell<bool>,
}

private_static_type!(TOKEN_TYPE, c"_contextvars.Token", core::mem::size_of::<Boxed<TokenData>>(), {
    tp_flags: BUILTIN_FLAGS,
    tp_dealloc: Some(boxed_dealloc::<TokenData>),
    tp_repr: Some(token_repr),
    tp_getattro: Some(type_::generic_getattr),
    tp_methods: TOKEN_METHODS.0.get() as *mut PyMethodDef,
    tp_getset: TOKEN_GETSET.0.get() as *mut PyGetSetDef,
    tp_free: Some(crate::alloc::object_free),
});

method_table!(static TOKEN_METHODS = [
    noargs c"__enter__" => tk_enter,
    fast c"__exit__" => tk_exit,
    class_o c"__class_getitem__" => crate::objects::genericalias::class_getitem,
]);

static TOKEN_GETSET: StaticTable<PyGetSetDef, 3> =
    StaticTable(UnsafeCell::new([getter_def!(c"var", tkg_var), getter_def!(c"old_value", tkg_old_value), GETSET_END]));

fn tdata(o: &Obj) -> &TokenData {
    payload::<TokenData>(o)
}

fn tkg_var(o: &Obj) -> PyResult<PyRef> {
    Ok(tdata(o).var.clone())
}

fn tkg_old_value(o: &Obj) -> PyResult<PyRef> {
    Ok(tdata(o).old.clone().unwrap_or_else(|| missing().new_ref()))
}

fn tk_enter(o: &Obj) -> PyResult<PyRef> {
    Ok(o.new_ref())
}

/// `with var.set(value):` (3.14) resets the variable on the way out.
fn tk_exit(o: &Obj, _a: &[&Obj]) -> PyResult<PyRef> {
    let var = tdata(o).var.clone();
    v_reset(&var, o)
}

unsafe extern "C" fn token_repr(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live Token.
    let o = unsafe { arg(o) };
    ret_obj((|| {
        let t = tdata(o);
        let used = if t.used.get() { " used" } else { "" };
        let var = abstract_::repr(&t.var)?;
        Ok(unicode::new(&format!("<Token{used} var={} at {:#x}>", unicode::as_str_lossy(&var), o.as_ptr() as usize)))
    })())
}

// `Token.MISSING`: the marker `old_value` has when the variable had no value.
private_static_type!(MISSING_TYPE, c"Token.MISSING", core::mem::size_of::<PyObject>(), {
    tp_flags: BUILTIN_FLAGS,
    tp_repr: Some(missing_repr),
});

unsafe extern "C" fn missing_repr(_o: *mut PyObject) -> *mut PyObject {
    unicode::new("<Token.MISSING>").into_raw()
}

fn missing() -> &'static Obj {
    static M: std::sync::OnceLock<crate::object::SyncPtr<PyObject>> = std::sync::OnceLock::new();
    let p = M
        .get_or_init(|| {
            // SAFETY: a readied static type; the instance lives for the process.
            let o = unsafe { crate::slot::from_new(crate::alloc::generic_alloc(MISSING_TYPE.raw(), 0)) }.expect("allocating Token.MISSING");
            crate::object::SyncPtr(crate::object::make_immortal(o))
        })
        .0;
    // SAFETY: immortal.
    unsafe { Obj::from_ptr(p) }
}

// ---- the module -----------------------------------------------------------------------------

fn m_copy_context(_m: &Obj, _a: &[&Obj]) -> PyResult<PyRef> {
    let ctx = current()?;
    c_copy(&ctx)
}

method_table!(static CONTEXTVARS_METHODS = [
    fast c"copy_context" => m_copy_context,
]);

pub fn create() -> PyResult<PyRef> {
    for t in [&CONTEXT_TYPE, &VAR_TYPE, &TOKEN_TYPE, &MISSING_TYPE] {
        type_::ready(t)?;
        crate::objects::slotdefs::add_wrappers(t)?;
    }
    if let Some(d) = TOKEN_TYPE.dict() {
        dict::set_item_str(d, "MISSING", missing())?;
    }
    type_::modified(&TOKEN_TYPE);
    let m = module::new(&unicode::new("_contextvars"))?;
    // SAFETY: the table is static.
    unsafe { module::add_functions(&m, CONTEXTVARS_METHODS.0.get() as *mut PyMethodDef)? };
    let d = module::dict_of(&m);
    dict::set_item_str(d, "Context", &CONTEXT_TYPE)?;
    dict::set_item_str(d, "ContextVar", &VAR_TYPE)?;
    dict::set_item_str(d, "Token", &TOKEN_TYPE)?;
    Ok(m)
}
