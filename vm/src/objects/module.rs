//! `module` objects and `PyModuleDef`-driven creation: single-phase (`PyModule_Create2`),
//! multi-phase (`PyModuleDef_Init` + `Py_mod_create`/`Py_mod_exec`/... slots, accepting both
//! the pre-3.15 and the 3.15 slot numbering) and module state (`m_size`).

use core::ffi::{c_int, c_void, CStr};
use core::mem::offset_of;

use pyrite_abi::mod_slot::*;
use pyrite_abi::*;

use crate::err::{PyErr, PyResult};
use crate::object::{Obj, PyRef};
use crate::objects::slotiter::SlotIter;
use crate::objects::type_::{TypeObj, BUILTIN_BASETYPE_FLAGS, BUILTIN_FLAGS};
use crate::objects::{dict, methodobject, none, unicode};
use crate::slot::{arg, ret_obj};
use crate::static_type;

#[repr(C)]
pub struct ModuleObject {
    pub ob_base: PyObject,
    pub md_dict: *mut PyObject,
    pub md_def: *mut PyModuleDef,
    pub md_state: *mut c_void,
    pub md_weaklist: *mut PyObject,
    pub md_name: *mut PyObject,
    /// `Py_mod_token` (3.15): identifies the module's definition for `PyType_GetModuleByToken`.
    pub md_token: *mut c_void,
    /// Whether the module declared `Py_mod_gil = Py_MOD_GIL_NOT_USED`.
    pub md_gil_not_used: bool,
}

static_type!(PyModule_Type, c"module", core::mem::size_of::<ModuleObject>(), {
    tp_flags: BUILTIN_BASETYPE_FLAGS | Py_TPFLAGS_HAVE_GC,
    tp_dictoffset: offset_of!(ModuleObject, md_dict) as isize,
    tp_weaklistoffset: offset_of!(ModuleObject, md_weaklist) as isize,
    tp_dealloc: Some(module_dealloc),
    tp_repr: Some(module_repr),
    tp_getattro: Some(module_getattro),
    tp_new: Some(module_new),
    tp_init: Some(module_init),
    tp_alloc: Some(crate::alloc::generic_alloc),
    tp_traverse: Some(module_traverse),
    tp_free: Some(crate::alloc::gc_del),
    tp_getset: MODULE_GETSET.0.get() as *mut PyGetSetDef,
    tp_methods: MODULE_METHODS.0.get() as *mut PyMethodDef,
    tp_doc: c"Create a module object.".as_ptr(),
});

/// `module.__new__`: an empty module (subclasses too), its dict made at once.
unsafe extern "C" fn module_new(t: *mut PyTypeObject, _args: *mut PyObject, _kw: *mut PyObject) -> *mut PyObject {
    // SAFETY: tp_new contract: `t` is module or a subclass.
    unsafe {
        let alloc = (*t).tp_alloc.unwrap_or(crate::alloc::generic_alloc);
        let o = alloc(t, 0);
        if !o.is_null() {
            (*(o as *mut ModuleObject)).md_dict = dict::new().into_raw();
        }
        o
    }
}

/// `module(name, doc=None)`: sets `__name__`, `__doc__`, `__package__`, `__loader__` and
/// `__spec__`.
unsafe extern "C" fn module_init(o: *mut PyObject, args: *mut PyObject, kw: *mut PyObject) -> core::ffi::c_int {
    // SAFETY: tp_init contract.
    unsafe {
        let r = (|| -> PyResult<()> {
            let pos = crate::objects::tuple::items(arg(args));
            let mut name = pos.first().map(|n| n.new_ref());
            let mut doc = pos.get(1).map(|d| d.new_ref());
            if pos.len() > 2 {
                return Err(raise!(TypeError, "module() takes at most 2 arguments ({} given)", pos.len()));
            }
            if let Some(kw) = crate::slot::opt_arg(kw) {
                for (k, v) in dict::items_vec(kw) {
                    match unicode::as_str_lossy(&k).as_ref() {
                        "name" if name.is_none() => name = Some(v),
                        "doc" if doc.is_none() => doc = Some(v),
                        other => return Err(raise!(TypeError, "module() got an unexpected keyword argument '{}'", other)),
                    }
                }
            }
            let Some(name) = name else {
                return Err(raise!(TypeError, "module() missing required argument 'name' (pos 1)"));
            };
            if !unicode::check(&name) {
                return Err(raise!(TypeError, "module() argument 'name' must be str, not {}", name.ob_type().name()));
            }
            let m = arg(o);
            let d = dict_of(m);
            dict::set_item_str(d, "__name__", &name)?;
            dict::set_item_str(d, "__doc__", &doc.unwrap_or_else(none::none))?;
            for k in ["__package__", "__loader__", "__spec__"] {
                dict::set_item_str(d, k, &none::none())?;
            }
            let mo = o as *mut ModuleObject;
            crate::object::xdecref(core::mem::replace(&mut (*mo).md_name, name.into_raw()));
            Ok(())
        })();
        crate::slot::ret_int(r.map(|_| 0))
    }
}

/// `module.__getattribute__`: the generic lookup, then the module's own `__getattr__`
/// (PEP 562), then CPython's message naming the module.
unsafe extern "C" fn module_getattro(o: *mut PyObject, name: *mut PyObject) -> *mut PyObject {
    // SAFETY: live arguments.
    let (m, name) = unsafe { (arg(o), arg(name)) };
    let r = crate::objects::type_::generic_getattr_impl(m, name);
    let Err(e) = r else {
        // PEP 810: a lazy import in the module's namespace is resolved and replaced.
        return ret_obj(r.and_then(|v| crate::objects::lazy_import::reify(dict_of(m), name, v)));
    };
    if !e.is_instance(crate::objects::exceptions::AttributeError()) {
        return ret_obj(Err(e));
    }
    let d = dict_of(m);
    if let Some(getattr) = dict::get_item_str(d, "__getattr__") {
        return ret_obj(crate::abstract_::call(&getattr, &crate::objects::tuple::new_from(&[name]), None));
    }
    let attr = unicode::as_str_lossy(name);
    ret_obj(Err(match dict::get_item_str(d, "__name__").filter(|n| unicode::check(n)) {
        Some(modname) => raise!(AttributeError, "module '{}' has no attribute '{}'", unicode::as_str_lossy(&modname), attr),
        None => raise!(AttributeError, "module has no attribute '{}'", attr),
    }))
}

static MODULE_GETSET: crate::objects::type_::StaticTable<PyGetSetDef, 4> = crate::objects::type_::StaticTable(core::cell::UnsafeCell::new([
    crate::objects::type_::getset(c"__dict__", Some(module_get_dict), None),
    crate::objects::type_::getset(c"__annotations__", Some(module_get_annotations), Some(module_set_annotations)),
    crate::objects::type_::getset(c"__annotate__", Some(module_get_annotate), Some(module_set_annotate)),
    crate::objects::type_::GETSET_END,
]));

static MODULE_METHODS: crate::objects::type_::StaticTable<PyMethodDef, 2> = crate::objects::type_::StaticTable(core::cell::UnsafeCell::new([
    PyMethodDef { ml_name: c"__dir__".as_ptr(), ml_meth: module_dir as *mut c_void, ml_flags: METH_NOARGS, ml_doc: core::ptr::null() },
    PyMethodDef { ml_name: core::ptr::null(), ml_meth: core::ptr::null_mut(), ml_flags: 0, ml_doc: core::ptr::null() },
]));

/// `module.__dir__()`: the namespace's `__dir__()` if it defines one, else its keys.
unsafe extern "C" fn module_dir(o: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    // SAFETY: METH_NOARGS contract on a live module.
    unsafe {
        let d = (*(o as *mut ModuleObject)).md_dict;
        if d.is_null() {
            return crate::objects::list::new().into_raw();
        }
        let d = crate::slot::arg(d);
        if let Some(f) = crate::objects::dict::get_item_str(d, "__dir__") {
            return crate::slot::ret_obj(crate::abstract_::call_no_args(&f));
        }
        crate::objects::list::new_from_owned(crate::objects::dict::items_vec(d).into_iter().map(|(k, _)| k).collect()).into_raw()
    }
}

/// The namespace of a module (NULL only before initialisation).
fn md_dict(o: &Obj) -> PyResult<&Obj> {
    // SAFETY: o is a live module.
    unsafe { crate::slot::opt_arg((*(o.as_ptr() as *mut ModuleObject)).md_dict) }.ok_or_else(|| raise!(AttributeError, "module has no __dict__"))
}

/// `module.__annotations__`: from the namespace, else `__annotate__(1)` (or `{}`), cached in
/// the namespace unless the module is still being imported (`__spec__._initializing`).
fn module_annotations(o: &Obj) -> PyResult<PyRef> {
    let d = md_dict(o)?;
    if let Some(a) = dict::get_item_str(d, "__annotations__") {
        return Ok(a);
    }
    let a = match dict::get_item_str(d, "__annotate__") {
        Some(f) if f.ob_type().slots().tp_call.is_some() => {
            let a = crate::abstract_::call(&f, &crate::objects::tuple::new_from(&[&*crate::objects::long::from_i64(1)]), None)?;
            if !dict::check(&a) {
                return Err(raise!(TypeError, "__annotate__ returned non-dict of type '{}'", a.ob_type().name()));
            }
            a
        }
        _ => dict::new(),
    };
    let initializing = match dict::get_item_str(d, "__spec__") {
        Some(spec) if !spec.is(none::none_obj()) => match crate::abstract_::getattr_str(&spec, "_initializing") {
            Ok(v) => crate::abstract_::is_true(&v)?,
            Err(_) => false,
        },
        _ => false,
    };
    if !initializing {
        dict::set_item_str(d, "__annotations__", &a)?;
    }
    Ok(a)
}

unsafe extern "C" fn module_get_annotations(o: *mut PyObject, _: *mut c_void) -> *mut PyObject {
    // SAFETY: live module.
    ret_obj(module_annotations(unsafe { arg(o) }))
}

unsafe extern "C" fn module_set_annotations(o: *mut PyObject, v: *mut PyObject, _: *mut c_void) -> c_int {
    // SAFETY: live arguments.
    let (o, v) = unsafe { (arg(o), crate::slot::opt_arg(v)) };
    let r = (|| -> PyResult<c_int> {
        let d = md_dict(o)?;
        match v {
            Some(v) => dict::set_item_str(d, "__annotations__", v)?,
            None => {
                let key = unicode::new("__annotations__");
                if dict::get_item(d, &key)?.is_none() {
                    return Err(raise!(AttributeError, "__annotations__"));
                }
                dict::del_item(d, &key)?;
            }
        }
        let annotate = unicode::new("__annotate__");
        if dict::get_item(d, &annotate)?.is_some() {
            dict::del_item(d, &annotate)?;
        }
        Ok(0)
    })();
    crate::slot::ret_int(r)
}

unsafe extern "C" fn module_get_annotate(o: *mut PyObject, _: *mut c_void) -> *mut PyObject {
    // SAFETY: live module.
    let r = md_dict(unsafe { arg(o) }).map(|d| dict::get_item_str(d, "__annotate__").unwrap_or_else(none::none));
    ret_obj(r)
}

unsafe extern "C" fn module_set_annotate(o: *mut PyObject, v: *mut PyObject, _: *mut c_void) -> c_int {
    // SAFETY: live arguments.
    let (o, v) = unsafe { (arg(o), crate::slot::opt_arg(v)) };
    let r = (|| -> PyResult<c_int> {
        let Some(v) = v else {
            return Err(raise!(TypeError, "cannot delete __annotate__ attribute"));
        };
        let is_none = v.is(none::none_obj());
        if !is_none && v.ob_type().slots().tp_call.is_none() {
            return Err(raise!(TypeError, "__annotate__ must be callable or None"));
        }
        let d = md_dict(o)?;
        dict::set_item_str(d, "__annotate__", v)?;
        if !is_none {
            let key = unicode::new("__annotations__");
            if dict::get_item(d, &key)?.is_some() {
                dict::del_item(d, &key)?;
            }
        }
        Ok(0)
    })();
    crate::slot::ret_int(r)
}

/// `module.__dict__`: the namespace itself.
unsafe extern "C" fn module_get_dict(o: *mut PyObject, _: *mut c_void) -> *mut PyObject {
    // SAFETY: live module; md_dict is NULL only before initialisation.
    unsafe {
        let d = (*(o as *mut ModuleObject)).md_dict;
        if d.is_null() { crate::objects::none::none().into_raw() } else { crate::slot::arg(d).new_ref().into_raw() }
    }
}

// The type of `PyModuleDef` structs once `PyModuleDef_Init` has marked them: instances live
// in extension memory and are never freed.
static_type!(PyModuleDef_Type, c"moduledef", core::mem::size_of::<PyModuleDef>(), {
    tp_flags: BUILTIN_FLAGS,
    tp_dealloc: Some(moduledef_dealloc),
});

pub fn types() -> [&'static TypeObj; 2] {
    [&PyModule_Type, &PyModuleDef_Type]
}

#[inline(always)]
fn raw(m: &Obj) -> *mut ModuleObject {
    m.as_ptr() as *mut ModuleObject
}

#[inline(always)]
pub fn check(o: &Obj) -> bool {
    o.is_instance_of(&PyModule_Type)
}

/// `PyModule_NewObject`: an empty module with `__name__`, `__doc__`, `__package__`,
/// `__loader__` and `__spec__` set.
pub fn new(name: &Obj) -> PyResult<PyRef> {
    // SAFETY: PyModule_Type is a live static type.
    let m = unsafe {
        let op = crate::alloc::alloc_object(PyModule_Type.raw(), core::mem::size_of::<ModuleObject>(), true);
        if op.is_null() {
            return Err(PyErr::from_type_no_args(crate::objects::exceptions::MemoryError()));
        }
        PyRef::from_raw(op)
    };
    let d = dict::new();
    dict::set_item_str(&d, "__name__", name)?;
    for k in ["__doc__", "__package__", "__loader__", "__spec__"] {
        dict::set_item_str(&d, k, &none::none())?;
    }
    // SAFETY: m is a fresh module.
    unsafe {
        (*raw(&m)).md_dict = d.into_raw();
        (*raw(&m)).md_name = name.new_ref().into_raw();
    }
    Ok(m)
}

pub fn dict_of(m: &Obj) -> &Obj {
    // SAFETY: modules always have a dict.
    unsafe { arg((*raw(m)).md_dict) }
}

pub fn def_of(m: &Obj) -> *mut PyModuleDef {
    // SAFETY: m is a module.
    unsafe { (*raw(m)).md_def }
}

pub fn state_of(m: &Obj) -> *mut c_void {
    // SAFETY: m is a module.
    unsafe { (*raw(m)).md_state }
}

pub fn name_of(m: &Obj) -> PyResult<PyRef> {
    match dict::get_item_str(dict_of(m), "__name__") {
        Some(n) if unicode::check(&n) => Ok(n),
        _ => Err(raise!(SystemError, "nameless module")),
    }
}

/// Adds the functions of a `PyMethodDef` table, bound to the module (`PyModule_AddFunctions`).
///
/// # Safety
/// `methods` is NULL or a NULL-terminated table that outlives the module.
pub unsafe fn add_functions(m: &Obj, methods: *mut PyMethodDef) -> PyResult<()> {
    let name = name_of(m)?;
    let mut p = methods;
    // SAFETY: guaranteed by the caller.
    unsafe {
        while !p.is_null() && !(*p).ml_name.is_null() {
            if (*p).ml_flags & (METH_CLASS | METH_STATIC) != 0 {
                return Err(raise!(ValueError, "module functions cannot set METH_CLASS or METH_STATIC"));
            }
            let f = methodobject::new(p, Some(m), Some(&name), None)?;
            dict::set_item_str(dict_of(m), &CStr::from_ptr((*p).ml_name).to_string_lossy(), &f)?;
            p = p.add(1);
        }
    }
    Ok(())
}

/// Allocates zeroed module state of `size` bytes.
fn alloc_state(m: &Obj, size: Py_ssize_t) {
    if size > 0 {
        // SAFETY: m is a module without state yet.
        unsafe { (*raw(m)).md_state = crate::alloc::raw_calloc(1, size as usize) };
    }
}

/// A single-phase module made again from its definition's `m_copy` (the dict its first
/// initialization left), as CPython does when another interpreter imports it: the init
/// function does not run again.
///
/// # Safety
/// `def` is a live module definition whose `m_copy` is a dict.
pub unsafe fn new_from_copy(def: *mut PyModuleDef, name: &str) -> PyResult<PyRef> {
    // SAFETY: guaranteed by the caller.
    unsafe {
        let m = new(&unicode::new(name))?;
        (*raw(&m)).md_def = def;
        (*raw(&m)).md_token = def as *mut c_void;
        dict::update(dict_of(&m), Obj::from_ptr((*def).m_base.m_copy))?;
        state_add(&m, def)?;
        Ok(m)
    }
}

/// `PyModule_Create2` (single-phase initialisation). `apiver` mismatches only warn in CPython;
/// Pyrite accepts both `PYTHON_ABI_VERSION` and `PYTHON_API_VERSION`.
///
/// # Safety
/// `def` is a module definition that outlives the module (extension statics do).
pub unsafe fn create_from_def(def: *mut PyModuleDef) -> PyResult<PyRef> {
    // SAFETY: guaranteed by the caller.
    unsafe {
        init_def(def);
        let name = unicode::new(&CStr::from_ptr((*def).m_name).to_string_lossy());
        let m = new(&name)?;
        (*raw(&m)).md_def = def;
        (*raw(&m)).md_token = def as *mut c_void;
        alloc_state(&m, (*def).m_size);
        add_functions(&m, (*def).m_methods)?;
        if !(*def).m_doc.is_null() {
            dict::set_item_str(dict_of(&m), "__doc__", &unicode::new(&CStr::from_ptr((*def).m_doc).to_string_lossy()))?;
        }
        Ok(m)
    }
}

static NEXT_MODULE_INDEX: core::sync::atomic::AtomicIsize = core::sync::atomic::AtomicIsize::new(1);

/// `PyModuleDef_Init`: marks the def as an object of `PyModuleDef_Type` (how a loader tells
/// multi-phase init from a module) and gives it an index. Its head becomes immortal: the
/// struct is static memory in the extension, whatever `PyModuleDef_HEAD_INIT` put there.
///
/// # Safety
/// `def` points to a writable `PyModuleDef`.
pub unsafe fn init_def(def: *mut PyModuleDef) -> *mut PyObject {
    // SAFETY: guaranteed by the caller.
    unsafe {
        if (*def).m_base.m_index == 0 {
            (*def).m_base.ob_base.ob_type = PyModuleDef_Type.raw();
            (*def).m_base.ob_base.ob_refcnt = pyrite_abi::refcount::STATIC_IMMORTAL_INITIAL_REFCNT;
            (*def).m_base.m_index = NEXT_MODULE_INDEX.fetch_add(1, core::sync::atomic::Ordering::Relaxed);
        }
        def as *mut PyObject
    }
}

/// `PyModule_FromDefAndSpec2`: runs `Py_mod_create` (or makes a plain module), records
/// `Py_mod_gil`, allocates state; `Py_mod_exec` runs later in [`exec_def`].
///
/// # Safety
/// `def` is a module definition that outlives the module.
pub unsafe fn from_def_and_spec(def: *mut PyModuleDef, spec: &Obj) -> PyResult<PyRef> {
    // SAFETY: guaranteed by the caller.
    unsafe {
        init_def(def);
        let name_obj = crate::abstract_::getattr_str(spec, "name")?;
        let name = unicode::as_str(&name_obj)?.to_string();
        let mut create: Option<unsafe extern "C" fn(*mut PyObject, *mut PyModuleDef) -> *mut PyObject> = None;
        let mut gil_not_used = false;
        // The PEP 820 iterator checks ids, nesting, NULLs and repeats (several exec slots
        // are allowed here); the slots that duplicate the definition's own fields are refused.
        let mut it = SlotIter::legacy_module((*def).m_slots);
        it.name = Some(name.clone());
        while let Some(e) = it.next()? {
            let p = e.ptr();
            let conflict = |field: &str| raise!(SystemError, "module {}: {} conflicts with PyModuleDef.{}", name, crate::objects::slotiter::name(e.id as u16), field);
            match e.id {
                // A NULL create slot (deprecated) is no create slot.
                Py_mod_create if !p.is_null() => create = Some(core::mem::transmute::<*mut c_void, _>(p)),
                Py_mod_create | Py_mod_exec | Py_mod_multiple_interpreters => {}
                Py_mod_gil => gil_not_used = p as usize == Py_MOD_GIL_NOT_USED,
                Py_mod_abi => check_abi_info(p as *const PyABIInfo, &name)?,
                Py_mod_name => return Err(conflict("m_name")),
                Py_mod_doc => return Err(conflict("m_doc")),
                Py_mod_state_size => return Err(conflict("m_size")),
                Py_mod_methods => return Err(conflict("m_methods")),
                Py_mod_state_traverse => return Err(conflict("m_traverse")),
                Py_mod_state_clear => return Err(conflict("m_clear")),
                Py_mod_state_free => return Err(conflict("m_free")),
                Py_mod_token if p != def as *mut c_void => {
                    return Err(raise!(SystemError, "module {}: arbitrary Py_mod_token not allowed with PyModuleDef", name));
                }
                _ => {}
            }
        }
        let m = match create {
            Some(f) => {
                let r = f(spec.as_ptr(), def);
                let m = crate::slot::from_new(r)?;
                if !check(&m) {
                    // Non-module objects are allowed; they get no def or state.
                    return Ok(m);
                }
                m
            }
            None => new(&name_obj)?,
        };
        if (*raw(&m)).md_def.is_null() {
            (*raw(&m)).md_def = def;
            (*raw(&m)).md_token = def as *mut c_void;
            alloc_state(&m, (*def).m_size);
        }
        (*raw(&m)).md_gil_not_used = gil_not_used;
        add_functions(&m, (*def).m_methods)?;
        if !(*def).m_doc.is_null() {
            dict::set_item_str(dict_of(&m), "__doc__", &unicode::new(&CStr::from_ptr((*def).m_doc).to_string_lossy()))?;
        }
        Ok(m)
    }
}

/// `PyModule_ExecDef`: runs every `Py_mod_exec` slot in order.
///
/// # Safety
/// `def` is the module's definition.
pub unsafe fn exec_def(m: &Obj, def: *mut PyModuleDef) -> PyResult<()> {
    // SAFETY: guaranteed by the caller.
    unsafe {
        if (*def).m_size >= 0 && check(m) && (*raw(m)).md_state.is_null() {
            alloc_state(m, (*def).m_size);
        }
        let mut it = SlotIter::legacy_module((*def).m_slots);
        while let Some(e) = it.next()? {
            if e.id == Py_mod_exec {
                let f: unsafe extern "C" fn(*mut PyObject) -> c_int = core::mem::transmute(e.ptr());
                let r = f(m.as_ptr());
                let name = name_of(m).map(|n| unicode::as_str_lossy(&n).into_owned()).unwrap_or_default();
                if r != 0 {
                    return Err(PyErr::take().unwrap_or_else(|| {
                        raise!(SystemError, "execution of module {} failed without setting an exception", name)
                    }));
                }
                if let Some(e) = PyErr::take() {
                    let err = raise!(SystemError, "execution of module {} raised unreported exception", name);
                    crate::objects::exceptions::set_cause(err.value(), Some(e.value()));
                    return Err(err);
                }
            }
        }
    }
    Ok(())
}

/// Runs `f` on the current interpreter's single-phase modules by their definition's
/// `m_index` (`PyState_FindModule`; owned references).
fn with_modules_by_index<T>(f: impl FnOnce(&mut Vec<Option<PyRef>>) -> T) -> T {
    // SAFETY: the current interpreter is live while its thread is attached.
    let interp = unsafe { &*crate::gil::current_interpreter() };
    f(&mut interp.modules_by_index.borrow_mut())
}

/// `_PyState_AddModule`: records `m` as the module of `def` (a def with slots is refused).
///
/// # Safety
/// `def` is a live module definition.
pub unsafe fn state_add(m: &Obj, def: *mut PyModuleDef) -> PyResult<()> {
    // SAFETY: guaranteed by the caller.
    unsafe {
        if !(*def).m_slots.is_null() {
            return Err(raise!(SystemError, "PyState_AddModule called on module with slots"));
        }
        init_def(def);
        let index = (*def).m_base.m_index as usize;
        // The module it replaces is dropped after the table is released.
        let old = with_modules_by_index(|l| {
            if l.len() <= index {
                l.resize_with(index + 1, || None);
            }
            l[index].replace(m.new_ref())
        });
        drop(old);
    }
    Ok(())
}

/// `PyState_FindModule`: the module recorded for `def` (borrowed: the table keeps it alive).
///
/// # Safety
/// `def` is a live module definition.
pub unsafe fn state_find(def: *mut PyModuleDef) -> Option<*mut PyObject> {
    // SAFETY: guaranteed by the caller.
    unsafe {
        if !(*def).m_slots.is_null() || (*def).m_base.m_index == 0 {
            return None;
        }
        let index = (*def).m_base.m_index as usize;
        with_modules_by_index(|l| l.get(index).and_then(|m| m.as_ref().map(|m| m.as_ptr())))
    }
}

/// `PyState_RemoveModule`. CPython treats a def that was never indexed as a fatal error;
/// Pyrite raises `SystemError` with the same text.
///
/// # Safety
/// `def` is a live module definition.
pub unsafe fn state_remove(def: *mut PyModuleDef) -> PyResult<()> {
    // SAFETY: guaranteed by the caller.
    unsafe {
        if !(*def).m_slots.is_null() {
            return Err(raise!(SystemError, "PyState_RemoveModule called on module with slots"));
        }
        let index = (*def).m_base.m_index;
        if index == 0 {
            return Err(raise!(SystemError, "invalid module index"));
        }
        let old = with_modules_by_index(|l| {
            if index as usize >= l.len() {
                return Err(raise!(SystemError, "Module index out of bounds."));
            }
            Ok(l[index as usize].take())
        })?;
        drop(old);
    }
    Ok(())
}

/// The module's `md_token` (`PyModule_GetToken`).
pub fn token_of(m: &Obj) -> *mut c_void {
    // SAFETY: m is a module.
    unsafe { (*raw(m)).md_token }
}

/// `PyABIInfo_Check`, with CPython 3.15's rules and messages (`Python/modsupport.c`):
/// every failure is an `ImportError` prefixed with the module name.
///
/// # Safety
/// `info` is NULL or points to a `PyABIInfo`.
pub unsafe fn check_abi_info(info: *const PyABIInfo, modname: &str) -> PyResult<()> {
    let fail = |msg: String| {
        let text = if modname.is_empty() { msg } else { format!("{modname}: {msg}") };
        Err(PyErr::new(crate::objects::exceptions::ImportError(), text))
    };
    if info.is_null() {
        return fail("NULL PyABIInfo".into());
    }
    // SAFETY: guaranteed by the caller.
    let i = unsafe { &*info };
    if i.abiinfo_major_version == 0 {
        return Ok(());
    }
    if i.abiinfo_major_version > 1 {
        return fail("PyABIInfo version too high".into());
    }
    let xy = |v: u32| ((v >> 24) & 0xff, (v >> 16) & 0xff);
    const XY_MASK: u32 = 0xffff_0000;
    if i.flags & PyABIInfo_INTERNAL != 0 && i.abi_version != 0 && i.abi_version != PY_VERSION_HEX {
        return fail(format!("incompatible internal ABI (0x{:x} != 0x{:x})", i.abi_version, PY_VERSION_HEX));
    }
    if i.flags & PyABIInfo_STABLE != 0 {
        if i.abi_version != 0 {
            let (x, y) = xy(i.abi_version);
            if i.abi_version & XY_MASK > PY_VERSION_HEX & XY_MASK {
                return fail(format!("incompatible future stable ABI version ({x}.{y})"));
            }
            if i.abi_version < 0x0302_0000 {
                return fail(format!("invalid stable ABI version ({x}.{y})"));
            }
        }
        if i.flags & PyABIInfo_INTERNAL != 0 {
            return fail("cannot use both internal and stable ABI".into());
        }
    } else if i.abi_version != 0 && i.abi_version & XY_MASK != PY_VERSION_HEX & XY_MASK {
        let (x, y) = xy(i.abi_version);
        return fail(format!("incompatible ABI version ({x}.{y})"));
    }
    // Pyrite runs with a GIL: builds that only work free-threaded are refused.
    if i.flags & PyABIInfo_FREETHREADING_AGNOSTIC == PyABIInfo_FREETHREADED {
        return fail("only compatible with free-threaded CPython".into());
    }
    Ok(())
}

unsafe extern "C" fn module_dealloc(o: *mut PyObject) {
    // SAFETY: a dead module: run m_free as CPython does, release state and fields.
    unsafe {
        crate::objects::weakref::clear_weakrefs(o);
        let m = o as *mut ModuleObject;
        let def = (*m).md_def;
        if !def.is_null() {
            if let Some(free) = (*def).m_free {
                if (*def).m_size <= 0 || !(*m).md_state.is_null() {
                    free(o as *mut c_void);
                }
            }
        }
        if !(*m).md_state.is_null() {
            crate::alloc::raw_free((*m).md_state);
        }
        crate::object::xdecref((*m).md_dict);
        crate::object::xdecref((*m).md_name);
        crate::alloc::gc_del(o as *mut c_void);
    }
}

unsafe extern "C" fn module_traverse(o: *mut PyObject, visit: visitproc, a: *mut c_void) -> c_int {
    // SAFETY: live module.
    unsafe {
        let Some(visit) = visit else { return 0 };
        let m = o as *mut ModuleObject;
        let def = (*m).md_def;
        if !def.is_null() {
            if let Some(t) = (*def).m_traverse {
                if (*def).m_size <= 0 || !(*m).md_state.is_null() {
                    let r = t(o, Some(visit), a);
                    if r != 0 {
                        return r;
                    }
                }
            }
        }
        if !(*m).md_dict.is_null() {
            return visit((*m).md_dict, a);
        }
    }
    0
}

unsafe extern "C" fn module_repr(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: live module.
    let m = unsafe { arg(o) };
    let r = (|| {
        let name = name_of(m).map(|n| unicode::as_str_lossy(&n).into_owned()).unwrap_or_else(|_| "?".into());
        Ok(match dict::get_item_str(dict_of(m), "__file__") {
            Some(f) if unicode::check(&f) => unicode::new(&format!("<module '{}' from '{}'>", name, unicode::as_str_lossy(&f))),
            _ => unicode::new(&format!("<module '{}'>", name)),
        })
    })();
    ret_obj(r)
}

unsafe extern "C" fn moduledef_dealloc(_: *mut PyObject) {
    // Module definitions are static data of their extension; never freed.
}
