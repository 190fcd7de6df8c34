//! Loading compiled extension modules: `dlopen` with `RTLD_NOW` (every `Py*` import must
//! resolve against the runtime's own exports), then 3.15's `PyModExport_<name>` if present,
//! else `PyInit_<name>` — single-phase (a module comes back) or multi-phase (a
//! `PyModuleDef` marked by `PyModuleDef_Init` comes back).
//!
//! Failures are exceptions that name the cause, worded as CPython words them.

use core::ffi::c_void;
use std::path::Path;

use pyrite_abi::mod_slot::*;
use pyrite_abi::*;

use crate::err::{PyErr, PyResult};
use crate::object::{Obj, PyRef};
use crate::objects::{dict, module, unicode};

/// The filename suffixes CPython 3.15 (GIL build, x86_64 Linux) accepts, in search order.
pub const EXTENSION_SUFFIXES: [&str; 6] = [
    ".cpython-315-x86_64-linux-gnu.so",
    ".abi3-x86_64-linux-gnu.so",
    ".abi3.so",
    ".abi3t-x86_64-linux-gnu.so",
    ".abi3t.so",
    ".so",
];

/// A minimal module spec (`name`, `origin`) for loaders that have no importlib yet.
pub struct Spec {
    pub name: String,
    pub origin: String,
}

fn import_error(msg: String, name: &str, path: &str) -> PyErr {
    let e = PyErr::new(crate::objects::exceptions::ImportError(), msg);
    let _ = crate::abstract_::setattr(e.value(), &unicode::new("name"), Some(&unicode::new(name)));
    let _ = crate::abstract_::setattr(e.value(), &unicode::new("path"), Some(&unicode::new(path)));
    e
}

/// Loads the extension at `path` as module `spec.name`, with a stand-in spec object.
pub fn load(path: &Path, spec: &Spec) -> PyResult<PyRef> {
    load_with_spec(path, spec, &*spec_object(spec)?)
}

/// Loads the extension at `path` as module `spec.name`; `spec_obj` is the spec the module
/// sees (`importlib`'s `ModuleSpec` when `_imp.create_dynamic` loads it).
pub fn load_with_spec(path: &Path, spec: &Spec, spec_obj: &Obj) -> PyResult<PyRef> {
    let path_str = path.display().to_string();
    if let Some(m) = copy_in_subinterpreter(&path_str, &spec.name) {
        let m = m?;
        let d = module::dict_of(&m);
        dict::set_item_str(d, "__file__", &unicode::new(&path_str))?;
        dict::set_item_str(d, "__spec__", spec_obj)?;
        return Ok(m);
    }
    let short = spec.name.rsplit('.').next().unwrap_or(&spec.name).to_string();
    // SAFETY: loading a shared object runs its constructors; extensions are trusted code.
    let lib = unsafe {
        libloading::os::unix::Library::open(Some(path), libloading::os::unix::RTLD_NOW | libloading::os::unix::RTLD_LOCAL)
    }
    .map_err(|e| import_error(dl_message(&e), &spec.name, &path_str))?;

    let export_sym = format!("PyModExport_{short}\0");
    let init_sym = format!("PyInit_{short}\0");
    // SAFETY: symbol lookups; the types are those CPython's loader assumes.
    let export: Option<unsafe extern "C" fn() -> *mut PySlot> =
        unsafe { lib.get::<unsafe extern "C" fn() -> *mut PySlot>(export_sym.as_bytes()) }.ok().map(|s| *s);
    let init: Option<unsafe extern "C" fn() -> *mut PyObject> =
        unsafe { lib.get::<unsafe extern "C" fn() -> *mut PyObject>(init_sym.as_bytes()) }.ok().map(|s| *s);
    // CPython never unloads extension modules.
    core::mem::forget(lib);

    let mut single_phase = false;
    let m = if let Some(export) = export {
        // SAFETY: calling the module's export hook.
        let slots = unsafe { export() };
        if slots.is_null() {
            return Err(PyErr::take().unwrap_or_else(|| {
                raise!(SystemError, "module export hook for module '{}' failed without setting an exception", spec.name)
            }));
        }
        // SAFETY: the hook returns a static slot array.
        unsafe { from_slots(slots, spec_obj, &spec.name)? }
    } else if let Some(init) = init {
        // SAFETY: the module's init function.
        let (m, single) = unsafe { run_init(init, spec_obj, &short)? };
        single_phase = single;
        m
    } else {
        return Err(import_error(
            format!("dynamic module does not define module export function (PyModExport_{short} or PyInit_{short})"),
            &spec.name,
            &path_str,
        ));
    };
    if module::check(&m) {
        if single_phase {
            remember_single_phase(&m, &path_str, &spec.name)?;
        }
        let d = module::dict_of(&m);
        dict::set_item_str(d, "__file__", &unicode::new(&path_str))?;
        dict::set_item_str(d, "__spec__", spec_obj)?;
    }
    Ok(m)
}

/// CPython's cache of single-phase extensions: (file, module name, definition address) of
/// those whose `m_size` is -1 (no per-module state), with the dict their first
/// initialization left in the definition's `m_copy`.
static SINGLE_PHASE: std::sync::Mutex<Vec<(String, String, usize)>> = std::sync::Mutex::new(Vec::new());

/// Records a single-phase module's first initialization (`m_copy`, a copy of its dict).
fn remember_single_phase(m: &Obj, path: &str, name: &str) -> PyResult<()> {
    let def = module::def_of(m);
    // SAFETY: the module's own definition, static data of its extension.
    unsafe {
        if def.is_null() || (*def).m_size != -1 || !(*def).m_base.m_copy.is_null() {
            return Ok(());
        }
        (*def).m_base.m_copy = dict::copy(module::dict_of(m))?.into_raw();
    }
    SINGLE_PHASE.lock().unwrap_or_else(|p| p.into_inner()).push((path.to_string(), name.to_string(), def as usize));
    Ok(())
}

/// In a sub-interpreter, a single-phase module without per-module state that an interpreter
/// loaded before is made from its `m_copy` (its init function does not run again), as
/// CPython does. The main interpreter runs the init function each time it loads one.
fn copy_in_subinterpreter(path: &str, name: &str) -> Option<PyResult<PyRef>> {
    crate::gil::current_sub_interpreter()?;
    let def = SINGLE_PHASE.lock().unwrap_or_else(|p| p.into_inner()).iter().find(|(p, n, _)| p == path && n == name).map(|e| e.2)?;
    // SAFETY: a recorded definition (static data of a loaded extension) with `m_copy` set.
    Some(unsafe { module::new_from_copy(def as *mut PyModuleDef, name) })
}

/// Runs a `PyInit_<name>` function: single-phase (a module comes back) or multi-phase (a
/// `PyModuleDef` marked by `PyModuleDef_Init` comes back, created and executed here).
///
/// # Safety
/// `init` is a module init function.
/// Also says whether the module is single-phase.
unsafe fn run_init(init: unsafe extern "C" fn() -> *mut PyObject, spec_obj: &Obj, short: &str) -> PyResult<(PyRef, bool)> {
    Ok({
        // SAFETY: calling the module's init function.
        let r = unsafe { init() };
        let pending = PyErr::take();
        if r.is_null() {
            return Err(pending.unwrap_or_else(|| {
                raise!(SystemError, "initialization of {} failed without raising an exception", short)
            }));
        }
        if let Some(e) = pending {
            // SAFETY: r is a new reference we drop.
            unsafe { crate::object::decref(r) };
            let err = raise!(SystemError, "initialization of {} raised unreported exception", short);
            crate::objects::exceptions::set_cause(err.value(), Some(e.value()));
            return Err(err);
        }
        // SAFETY: r is a new reference (or a PyModuleDef marked by PyModuleDef_Init).
        let ob = unsafe { Obj::from_ptr(r) };
        if ob.is_exact(&module::PyModuleDef_Type) {
            let def = r as *mut PyModuleDef;
            // SAFETY: a marked PyModuleDef from the extension.
            unsafe {
                let m = module::from_def_and_spec(def, spec_obj)?;
                module::exec_def(&m, def)?;
                (m, false)
            }
        } else {
            // SAFETY: a new reference to the module.
            let m = unsafe { PyRef::from_raw(r) };
            if !module::check(&m) {
                return Err(raise!(SystemError, "initialization of {} did not return an extension module", short));
            }
            // Single-phase modules are found again by their definition (`PyState_FindModule`).
            let def = module::def_of(&m);
            if !def.is_null() {
                // SAFETY: the module's own definition.
                unsafe { module::state_add(&m, def)? };
            }
            (m, true)
        }
    })
}

/// Modules an embedder added with `PyImport_AppendInittab` before initializing: name and init
/// function (as an address). They import as built-in modules.
static INITTAB: std::sync::Mutex<Vec<(String, usize)>> = std::sync::Mutex::new(Vec::new());

/// `PyImport_AppendInittab`: registers `init` as the built-in module `name`.
pub fn append_inittab(name: &str, init: unsafe extern "C" fn() -> *mut PyObject) {
    INITTAB.lock().unwrap_or_else(|p| p.into_inner()).push((name.to_string(), init as usize));
}

/// The names `PyImport_AppendInittab` added.
pub fn inittab_names() -> Vec<String> {
    INITTAB.lock().unwrap_or_else(|p| p.into_inner()).iter().map(|(n, _)| n.clone()).collect()
}

/// Makes the appended built-in module `name`, if there is one.
pub fn init_appended(name: &str) -> Option<PyResult<PyRef>> {
    let f = INITTAB.lock().unwrap_or_else(|p| p.into_inner()).iter().rev().find(|(n, _)| n == name).map(|&(_, f)| f)?;
    // SAFETY: `append_inittab` stored a function of this type.
    let init: unsafe extern "C" fn() -> *mut PyObject = unsafe { core::mem::transmute(f) };
    let spec = Spec { name: name.to_string(), origin: "built-in".to_string() };
    Some(spec_object(&spec).and_then(|spec_obj| {
        // SAFETY: an init function the embedder registered.
        unsafe { run_init(init, &spec_obj, name).map(|(m, _)| m) }
    }))
}

/// The message of a `dlopen` failure: the loader's own text, which names a missing symbol
/// ("undefined symbol: PyFoo").
fn dl_message(e: &libloading::Error) -> String {
    match e {
        libloading::Error::DlOpen { desc } => format!("{desc:?}").trim_matches('"').to_string(),
        other => other.to_string(),
    }
}

/// A stand-in for `importlib.machinery.ModuleSpec` until importlib runs: a module object
/// with `name`, `origin` and `submodule_search_locations`, which is all `PyModule_FromDefAndSpec` reads.
fn spec_object(spec: &Spec) -> PyResult<PyRef> {
    let s = module::new(&unicode::new("ModuleSpec"))?;
    let d = module::dict_of(&s);
    dict::set_item_str(d, "name", &unicode::new(&spec.name))?;
    dict::set_item_str(d, "origin", &unicode::new(&spec.origin))?;
    dict::set_item_str(d, "submodule_search_locations", &crate::objects::none::none())?;
    Ok(s)
}

/// 3.15 (PEP 793): builds a module from a `PySlot` array (`PyModule_FromSlotsAndSpec`; its
/// `Py_mod_exec` slots run in `PyModule_Exec`). `Py_mod_abi` is mandatory here.
///
/// # Safety
/// `slots` is a static array ending with `Py_slot_end`.
pub unsafe fn create_from_slots(slots: *const PySlot, spec: &Obj, name: &str) -> PyResult<PyRef> {
    let mut def_name: *const core::ffi::c_char = core::ptr::null();
    let mut doc: *const core::ffi::c_char = core::ptr::null();
    let mut methods: *mut PyMethodDef = core::ptr::null_mut();
    let mut state_size: Py_ssize_t = 0;
    let mut create: *mut c_void = core::ptr::null_mut();
    let mut exec: Option<*mut c_void> = None;
    let mut abi_seen = false;
    let mut gil_not_used = false;
    let mut token: *mut c_void = slots as *mut c_void;
    let mut traverse: traverseproc = None;
    let mut clear: inquiry = None;
    let mut free: freefunc = None;
    // The PEP 820 iterator checks ids, nesting, NULLs and repeats; a module from slots
    // takes one exec slot only.
    let mut it = crate::objects::slotiter::SlotIter::new(slots, crate::objects::slotiter::Target::Module);
    it.name = Some(name.to_string());
    // SAFETY: guaranteed by the caller; union members read per slot id.
    unsafe {
        while let Some(e) = it.next()? {
            let p = e.ptr();
            match e.id {
                Py_mod_name => def_name = p as *const _,
                Py_mod_doc => doc = p as *const _,
                Py_mod_methods => methods = p as *mut PyMethodDef,
                Py_mod_state_size => state_size = e.size(),
                Py_mod_create => create = p,
                Py_mod_exec => {
                    if exec.is_some() {
                        return Err(raise!(SystemError, "module {} has multiple Py_mod_exec slots", name));
                    }
                    exec = Some(p);
                }
                Py_mod_abi => {
                    abi_seen = true;
                    module::check_abi_info(p as *const PyABIInfo, name)?;
                }
                Py_mod_gil => gil_not_used = p as usize == Py_MOD_GIL_NOT_USED,
                Py_mod_multiple_interpreters => {}
                Py_mod_token => token = p,
                Py_mod_state_traverse => traverse = core::mem::transmute::<*mut c_void, traverseproc>(p),
                Py_mod_state_clear => clear = core::mem::transmute::<*mut c_void, inquiry>(p),
                Py_mod_state_free => free = core::mem::transmute::<*mut c_void, freefunc>(p),
                other => return Err(raise!(SystemError, "invalid module slot {}", other)),
            }
        }
        if !abi_seen {
            return Err(raise!(
                SystemError,
                "module {} does not define Py_mod_abi, which is mandatory for modules defined from slots only.",
                name
            ));
        }
        // A module definition that lives as long as the process, as the slots do; its
        // `m_slots` keeps the exec slots for `PyModule_Exec`.
        if state_size < 0 {
            return Err(raise!(SystemError, "module {}: m_size may not be negative for multi-phase initialization", name));
        }
        let mut exec_slots: Vec<PyModuleDef_Slot> = exec.iter().map(|&e| PyModuleDef_Slot { slot: Py_mod_exec, value: e }).collect();
        exec_slots.push(PyModuleDef_Slot { slot: 0, value: core::ptr::null_mut() });
        let exec_slots = Box::leak(exec_slots.into_boxed_slice()).as_mut_ptr();
        let def = Box::into_raw(Box::new(PyModuleDef {
            m_base: PyModuleDef_Base {
                ob_base: PyObject { ob_refcnt: pyrite_abi::refcount::STATIC_IMMORTAL_INITIAL_REFCNT, ob_type: core::ptr::null_mut() },
                m_init: None,
                m_index: 0,
                m_copy: core::ptr::null_mut(),
            },
            m_name: def_name,
            m_doc: doc,
            m_size: state_size,
            m_methods: methods,
            m_slots: exec_slots,
            m_traverse: traverse,
            m_clear: clear,
            m_free: free,
        }));
        let m = if create.is_null() {
            module::new(&*crate::abstract_::getattr_str(spec, "name")?)?
        } else {
            // Py_mod_create is called with def=NULL for PyModExport modules.
            let f: unsafe extern "C" fn(*mut PyObject, *mut PyModuleDef) -> *mut PyObject = core::mem::transmute(create);
            crate::slot::from_new(f(spec.as_ptr(), core::ptr::null_mut()))?
        };
        if module::check(&m) {
            let mo = m.as_ptr() as *mut module::ModuleObject;
            (*mo).md_def = def;
            (*mo).md_token = token;
            (*mo).md_gil_not_used = gil_not_used;
            // The state is allocated by `PyModule_Exec` (`module::exec_def`), as in CPython.
            module::add_functions(&m, methods)?;
            if !doc.is_null() {
                dict::set_item_str(module::dict_of(&m), "__doc__", &unicode::new(&core::ffi::CStr::from_ptr(doc).to_string_lossy()))?;
            }
        }
        Ok(m)
    }
}

/// `PyModule_FromSlotsAndSpec` then `PyModule_Exec`.
///
/// # Safety
/// As [`create_from_slots`].
pub unsafe fn from_slots(slots: *const PySlot, spec: &Obj, name: &str) -> PyResult<PyRef> {
    // SAFETY: guaranteed by the caller.
    unsafe {
        let m = create_from_slots(slots, spec, name)?;
        if module::check(&m) {
            module::exec_def(&m, module::def_of(&m))?;
        }
        Ok(m)
    }
}

/// Finds `name` (a top-level module name) as an extension in `dir`, trying each suffix.
pub fn find_in(dir: &Path, name: &str) -> Option<std::path::PathBuf> {
    EXTENSION_SUFFIXES.iter().map(|s| dir.join(format!("{name}{s}"))).find(|p| p.is_file())
}
