//! Import: `sys.modules`, the built-in modules, and finders over `sys.path` for Python source
//! (`name.py`, packages with `__init__.py`) and extension modules (every suffix CPython 3.15
//! accepts). `importlib` takes over once the standard library runs.

pub mod extension;

use std::path::{Path, PathBuf};

use crate::err::{PyErr, PyResult};
use crate::object::{Obj, PyRef};
use crate::objects::{dict, exceptions as exc, list, module, none, tuple, unicode};

/// `__import__(name, globals, locals, fromlist, level)` as `IMPORT_NAME` uses it: the top-level
/// package for `import a.b`, the leaf module when `fromlist` is non-empty.
pub fn import_name(name: &Obj, globals: &Obj, fromlist: &Obj, level: i64) -> PyResult<PyRef> {
    let name = unicode::as_str(name)?.to_string();
    let full = if level > 0 { resolve_relative(&name, globals, level)? } else { name.clone() };
    if full.is_empty() {
        return Err(raise!(ValueError, "Empty module name"));
    }
    let leaf = import_module(&full)?;
    let has_fromlist = !fromlist.is(none::none_obj()) && crate::abstract_::is_true(fromlist)?;
    if has_fromlist {
        return Ok(leaf);
    }
    if level > 0 && name.is_empty() {
        return Ok(leaf);
    }
    let top = if level > 0 {
        // `from . import x` handled above; `import .a.b` is not valid syntax.
        full.clone()
    } else {
        full.split('.').next().unwrap().to_string()
    };
    import_module(&top)
}

/// The absolute name `IMPORT_NAME` imports: `name` itself, or resolved against the package of
/// the module whose globals are `globals` when `level > 0` (PEP 810 lazy imports record it).
pub fn absolute_name(name: &Obj, globals: &Obj, level: i64) -> PyResult<PyRef> {
    if level <= 0 {
        return Ok(name.new_ref());
    }
    let full = resolve_relative(unicode::as_str(name)?, globals, level)?;
    if full.is_empty() {
        return Err(raise!(ValueError, "Empty module name"));
    }
    Ok(unicode::new(&full))
}

/// The absolute name of a relative import from the module whose globals are `globals`.
fn resolve_relative(name: &str, globals: &Obj, level: i64) -> PyResult<String> {
    // As CPython's `resolve_name`: `__package__`, else `__spec__.parent`, else (with an
    // ImportWarning) `__name__`, less its last part unless it names a package.
    if !dict::check(globals) {
        return Err(raise!(TypeError, "globals must be a dict"));
    }
    let not_none = |o: &Option<PyRef>| o.as_ref().is_some_and(|p| !p.is(crate::objects::none::none_obj()));
    let package = dict::get_item_str(globals, "__package__");
    let spec = dict::get_item_str(globals, "__spec__");
    let package = if not_none(&package) {
        let p = package.unwrap();
        if !unicode::check(&p) {
            return Err(raise!(TypeError, "package must be a string"));
        }
        unicode::as_str(&p)?.to_string()
    } else if not_none(&spec) {
        let parent = crate::abstract_::getattr_str(&spec.unwrap(), "parent")?;
        if !unicode::check(&parent) {
            return Err(raise!(TypeError, "__spec__.parent must be a string"));
        }
        unicode::as_str(&parent)?.to_string()
    } else {
        crate::stdlib::warnings::warn(
            None,
            &unicode::new("can't resolve package from __spec__ or __package__, falling back on __name__ and __path__"),
            1,
            crate::objects::exceptions::ImportWarning(),
        )?;
        let n = dict::get_item_str(globals, "__name__").ok_or_else(|| raise!(KeyError, "'__name__' not in globals"))?;
        if !unicode::check(&n) {
            return Err(raise!(TypeError, "__name__ must be a string"));
        }
        let n = unicode::as_str(&n)?.to_string();
        if dict::get_item_str(globals, "__path__").is_some() { n } else { n.rsplit_once('.').map(|(p, _)| p.to_string()).unwrap_or_default() }
    };
    if package.is_empty() {
        return Err(raise!(ImportError, "attempted relative import with no known parent package"));
    }
    let parts: Vec<&str> = package.split('.').collect();
    if (level as usize) > parts.len() {
        return Err(raise!(ImportError, "attempted relative import beyond top-level package"));
    }
    let base = parts[..parts.len() + 1 - level as usize].join(".");
    Ok(if name.is_empty() { base } else { format!("{base}.{name}") })
}

/// Whether `importlib` has been imported and installed (`_pyrite_importlib.install`) in the
/// current interpreter.
fn importlib_installed() -> bool {
    // SAFETY: the current interpreter is live while its thread is attached.
    unsafe { (*crate::gil::current_interpreter()).importlib_installed.get() }
}

/// A function of the frozen bridge module `_pyrite_importlib`.
fn bridge(name: &str) -> PyResult<PyRef> {
    crate::abstract_::getattr_str(&*import_module("_pyrite_importlib")?, name)
}

/// Completes importlib's installation once `Lib/importlib` has run (see
/// `frozen/_pyrite_importlib.py`).
fn install_importlib() -> PyResult<()> {
    crate::abstract_::call(&*bridge("install")?, &tuple::empty(), None)?;
    // SAFETY: as in `importlib_installed`.
    unsafe { (*crate::gil::current_interpreter()).importlib_installed.set(true) };
    Ok(())
}

/// Whether imports must go through importlib: the program put its own finders on
/// `sys.meta_path` or `sys.path_hooks`.
fn custom_finders() -> PyResult<bool> {
    if !importlib_installed() {
        let meta = crate::sys::get("meta_path");
        let hooks = crate::sys::get("path_hooks");
        let nonempty = |o: Option<PyRef>| o.is_some_and(|l| !list::check(&l) || list::len(&l) > 0);
        if !nonempty(meta) && !nonempty(hooks) {
            return Ok(false);
        }
        // importlib itself is being imported: its own imports take the native path.
        if dict::get_item_str(&crate::sys::modules(), "importlib").is_some() {
            return Ok(false);
        }
        import_module("importlib")?;
    }
    let r = crate::abstract_::call(&*bridge("uses_custom_finders")?, &tuple::empty(), None)?;
    crate::abstract_::is_true(&r)
}

/// Imports `full` (dotted), importing parents first, and returns the module itself.
pub fn import_module(full: &str) -> PyResult<PyRef> {
    let modules = crate::sys::modules();
    if let Some(m) = dict::get_item_str(&modules, full) {
        if m.is(none::none_obj()) {
            return Err(not_found(full, &format!("import of {full} halted; None in sys.modules")));
        }
        return Ok(m);
    }
    if full != "importlib" && !full.starts_with("importlib.") && full != "_pyrite_importlib" && custom_finders()? {
        let m = crate::abstract_::call(&*bridge("find_and_load")?, &tuple::new_from(&[&*unicode::new(full)]), None)?;
        return Ok(m);
    }
    if matches!(full, "_frozen_importlib" | "_frozen_importlib_external") {
        // CPython's names for importlib's bootstrap modules, registered by its installation.
        import_module("importlib")?;
        if let Some(m) = dict::get_item_str(&modules, full) {
            return Ok(m);
        }
    }
    let (parent, short) = match full.rsplit_once('.') {
        Some((p, s)) => (Some(import_module(p)?), s),
        None => (None, full),
    };
    // Importing the parent may have put the submodule in place (`collections` registers
    // `collections.abc` itself).
    if parent.is_some() {
        if let Some(m) = dict::get_item_str(&modules, full) {
            return Ok(m);
        }
    }
    if parent.is_none() {
        if let Some(m) = extension::init_appended(full) {
            let m = m?;
            dict::set_item_str(&modules, full, &m)?;
            return Ok(m);
        }
    }
    let search: Vec<PathBuf> = match &parent {
        Some(p) => match crate::abstract_::getattr_str(p, "__path__") {
            Ok(paths) => crate::interp::iterobject_collect(&paths)?
                .iter()
                .filter_map(|s| unicode::as_str(s).ok().map(PathBuf::from))
                .collect(),
            Err(_) => {
                return Err(not_found(full, &format!("No module named '{full}'; '{}' is not a package", full.rsplit_once('.').unwrap().0)));
            }
        },
        None => match full {
            "builtins" => return Ok(crate::builtins::module()),
            "sys" => return Ok(crate::sys::module()),
            name if crate::stdlib::find(name).is_some() => {
                let m = crate::stdlib::find(name).unwrap()()?;
                dict::set_item_str(&modules, name, &m)?;
                return Ok(m);
            }
            _ => sys_path()?,
        },
    };
    let mut found = None;
    for dir in &search {
        if let Some(m) = load_from_dir(dir, full, short)? {
            found = Some(m);
            break;
        }
    }
    // Pyrite's own copies come last: CPython's Lib/, when on sys.path, wins.
    if found.is_none() && frozen_source(full).is_some() {
        found = Some(exec_frozen(full)?);
    }
    // A directory without `__init__.py` is a portion of a namespace package (PEP 420), which
    // importlib's path finder makes (its `_NamespacePath` follows later changes).
    if found.is_none() && search.iter().any(|d| d.join(short).is_dir()) {
        import_module("importlib")?;
        return crate::abstract_::call(&*bridge("find_and_load")?, &tuple::new_from(&[&*unicode::new(full)]), None);
    }
    let Some(m) = found else { return Err(not_found(full, &format!("No module named '{full}'"))) };
    crate::objects::lazy_import::module_imported(full);
    if let Some(p) = &parent {
        crate::abstract_::setattr(p, &unicode::new(short), Some(&m))?;
    }
    if full == "importlib" && !importlib_installed() {
        install_importlib()?;
    }
    Ok(m)
}

fn not_found(name: &str, msg: &str) -> PyErr {
    let e = PyErr::new(exc::ModuleNotFoundError(), msg);
    let _ = crate::abstract_::setattr(e.value(), &unicode::new("name"), Some(&unicode::new(name)));
    e
}

fn sys_path() -> PyResult<Vec<PathBuf>> {
    let Some(p) = crate::sys::path() else { return Ok(Vec::new()) };
    Ok(list::to_vec(&p).iter().filter_map(|s| unicode::as_str(s).ok().map(PathBuf::from)).collect())
}

/// Tries `dir` for the module `short` (full name `full`): a package, a source file, or an
/// extension, in CPython's order (package directory first, then files by suffix).
fn load_from_dir(dir: &Path, full: &str, short: &str) -> PyResult<Option<PyRef>> {
    let pkg = dir.join(short);
    let init = pkg.join("__init__.py");
    if init.is_file() {
        return exec_source(full, &init, Some(&pkg)).map(Some);
    }
    if let Some(ext) = extension::find_in(dir, short) {
        let spec = extension::Spec { name: full.to_string(), origin: ext.display().to_string() };
        let m = if importlib_installed() {
            let args = tuple::new_from(&[&*unicode::new(full), &*unicode::new(&spec.origin), &*crate::objects::bool_::new(false)]);
            let spec_obj = crate::abstract_::call(&*bridge("spec_for")?, &args, None)?;
            let m = extension::load_with_spec(&ext, &spec, &spec_obj)?;
            if module::check(&m) {
                dict::set_item_str(module::dict_of(&m), "__loader__", &*crate::abstract_::getattr_str(&spec_obj, "loader")?)?;
            }
            m
        } else {
            extension::load(&ext, &spec)?
        };
        dict::set_item_str(&crate::sys::modules(), full, &m)?;
        return Ok(Some(m));
    }
    let file = dir.join(format!("{short}.py"));
    if file.is_file() {
        return exec_source(full, &file, None).map(Some);
    }
    Ok(None)
}

/// A module Pyrite carries in its binary as source (`import/frozen/`).
pub struct Frozen {
    pub source: &'static str,
    pub is_package: bool,
    /// A stand-in for CPython's `Lib/` copy, used only when `Lib/` is not on `sys.path`
    /// (searched after it, and not reported as frozen to `importlib`).
    pub fallback: bool,
}

const fn frozen(source: &'static str, is_package: bool, fallback: bool) -> Frozen {
    Frozen { source, is_package, fallback }
}

fn frozen_entry(name: &str) -> Option<Frozen> {
    Some(match name {
        "__future__" => frozen(include_str!("frozen/__future__.py"), false, true),
        "string" => frozen(include_str!("frozen/string/__init__.py"), true, true),
        "codecs" => frozen(include_str!("frozen/codecs.py"), false, true),
        "encodings" => frozen(include_str!("frozen/encodings/__init__.py"), true, true),
        "string.templatelib" => frozen(include_str!("frozen/string/templatelib.py"), false, true),
        "_pyrite_templatelib" => frozen(include_str!("frozen/_pyrite_templatelib.py"), false, false),
        "_pyrite_importlib" => frozen(include_str!("frozen/_pyrite_importlib.py"), false, false),
        "_pyrite_monitoring" => frozen(include_str!("frozen/_pyrite_monitoring.py"), false, false),
        _ => return None,
    })
}

/// The frozen modules `importlib` sees (`_imp.is_frozen`): Pyrite's own, not the fallbacks.
pub const FROZEN_NAMES: &[&str] = &["_pyrite_importlib", "_pyrite_monitoring", "_pyrite_templatelib"];

/// The frozen module `name` as `_imp` reports it.
pub fn frozen_module(name: &str) -> Option<Frozen> {
    frozen_entry(name).filter(|f| !f.fallback)
}

fn frozen_source(name: &str) -> Option<&'static str> {
    frozen_entry(name).map(|f| f.source)
}

fn exec_frozen(full: &str) -> PyResult<PyRef> {
    let source = frozen_source(full).expect("a frozen module");
    let m = run_module_source(full, source, &format!("<frozen {full}>"), None, false)?;
    // As CPython's PyImport_ImportFrozenModuleObject: importlib, set up later, adopts the
    // module with FrozenImporter, whose `_fix_up_module` needs the original name.
    dict::set_item_str(module::dict_of(&m), "__origname__", &unicode::new(full))?;
    Ok(m)
}

fn exec_source(full: &str, file: &Path, package_dir: Option<&Path>) -> PyResult<PyRef> {
    let source = std::fs::read_to_string(file).map_err(|e| raise!(ImportError, "cannot read {}: {}", file.display(), e))?;
    run_module_source(full, &source, &file.display().to_string(), package_dir, true)
}

pub(crate) fn run_module_source(full: &str, source: &str, filename: &str, package_dir: Option<&Path>, has_file: bool) -> PyResult<PyRef> {
    let m = module::new(&unicode::new(full))?;
    let d = module::dict_of(&m);
    if has_file {
        dict::set_item_str(d, "__file__", &unicode::new(filename))?;
    }
    // Imported modules see the builtins namespace as a dict (`__main__` sees the module).
    dict::set_item_str(d, "__builtins__", module::dict_of(&crate::builtins::module()))?;
    let package = match package_dir {
        Some(p) => {
            dict::set_item_str(d, "__path__", &list::new_from(&[&unicode::new(&p.display().to_string())]))?;
            full.to_string()
        }
        None => full.rsplit_once('.').map(|(p, _)| p.to_string()).unwrap_or_default(),
    };
    dict::set_item_str(d, "__package__", &unicode::new(&package))?;
    if has_file && importlib_installed() {
        let is_pkg = crate::objects::bool_::new(package_dir.is_some());
        let spec = crate::abstract_::call(&*bridge("spec_for")?, &tuple::new_from(&[&*unicode::new(full), &*unicode::new(filename), &*is_pkg]), None)?;
        dict::set_item_str(d, "__loader__", &*crate::abstract_::getattr_str(&spec, "loader")?)?;
        dict::set_item_str(d, "__spec__", &spec)?;
    }
    let modules = crate::sys::modules();
    dict::set_item_str(&modules, full, &m)?;
    let result = crate::compiler::compile(source, filename, crate::compiler::Mode::Exec)
        .and_then(|code| crate::interp::run_code(&code, d, Some(d)));
    if let Err(e) = result {
        let _ = dict::del_item(&modules, &unicode::new(full));
        return Err(e);
    }
    // The module may have replaced itself in sys.modules.
    Ok(dict::get_item_str(&modules, full).unwrap_or(m))
}

/// `from module import name`: the attribute, else the submodule `module.name`.
pub fn import_from(m: &Obj, name: &Obj) -> PyResult<PyRef> {
    match crate::abstract_::getattr(m, name) {
        Ok(v) => return Ok(v),
        Err(e) if !e.is_instance(exc::AttributeError()) => return Err(e),
        Err(_) => {}
    }
    let mname = crate::abstract_::getattr_str(m, "__name__").ok();
    if let Some(mn) = &mname {
        let full = format!("{}.{}", unicode::as_str_lossy(mn), unicode::as_str_lossy(name));
        if let Ok(sub) = import_module(&full) {
            return Ok(sub);
        }
    }
    let mn = mname.map(|n| unicode::as_str_lossy(&n).into_owned()).unwrap_or_else(|| "<unknown module name>".into());
    let location = crate::abstract_::getattr_str(m, "__file__")
        .ok()
        .filter(|f| unicode::check(f))
        .map(|f| format!(" ({})", unicode::as_str_lossy(&f)))
        .unwrap_or_else(|| " (unknown location)".into());
    let e = raise!(ImportError, "cannot import name '{}' from '{}'{}", unicode::as_str_lossy(name), mn, location);
    let _ = crate::abstract_::setattr(e.value(), &unicode::new("name"), Some(&unicode::new(&mn)));
    Err(e)
}

/// `from module import *` into `locals`: `__all__` if defined, else public names.
pub fn import_star(m: &Obj, locals: &Obj) -> PyResult<()> {
    let names: Vec<PyRef> = match crate::abstract_::getattr_str(m, "__all__") {
        Ok(all) => crate::interp::iterobject_collect(&all)?,
        Err(_) => {
            let d = crate::abstract_::getattr_str(m, "__dict__").ok().filter(|d| dict::check(d));
            match d {
                Some(d) => dict::items_vec(&d)
                    .into_iter()
                    .map(|(k, _)| k)
                    .filter(|k| unicode::as_str(k).is_ok_and(|s| !s.starts_with('_')))
                    .collect(),
                None if module::check(m) => dict::items_vec(module::dict_of(m))
                    .into_iter()
                    .map(|(k, _)| k)
                    .filter(|k| unicode::as_str(k).is_ok_and(|s| !s.starts_with('_')))
                    .collect(),
                None => Vec::new(),
            }
        }
    };
    for n in names {
        let v = crate::abstract_::getattr(m, &n)?;
        crate::abstract_::setitem(locals, &n, Some(&v))?;
    }
    let _ = tuple::empty();
    Ok(())
}
