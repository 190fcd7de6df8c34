//! `_warnings`: where C code (`PyErr_WarnEx` and friends), `importlib` and Python code issue
//! warnings. Pyrite has no accelerated copy of the filters: `warnings` runs its pure-Python
//! implementation (`Lib/_py_warnings.py`, which it uses when `_warnings` lacks `filters`), and
//! these entry points call it once `warnings` is imported, so `warnings.filters`,
//! `simplefilter("error")` and `catch_warnings` govern C-level warnings too. Before that, they
//! apply CPython's default filters themselves and print what `warnings.showwarning` would.

use std::collections::HashSet;
use std::sync::Mutex;

use crate::err::PyResult;
use crate::method_table;
use crate::object::{Obj, PyRef};
use crate::objects::argparse::{self, Kw, Sig};
use crate::objects::exceptions as exc;
use crate::objects::type_::TypeObj;
use crate::objects::{dict, long, none, tuple, unicode};

/// The `warnings` module, if the program imported it.
fn warnings_module() -> Option<PyRef> {
    dict::get_item_str(&crate::sys::modules(), "warnings").filter(|m| crate::objects::module::check(m))
}

/// `category` as given, else the class of a `Warning` instance `message`, else `default`.
fn category_of(category: Option<&Obj>, message: &Obj, default: &TypeObj) -> PyRef {
    match category {
        Some(c) if !c.is(none::none_obj()) => c.new_ref(),
        _ if message.is_instance_of(exc::Warning()) => (**message.ob_type()).new_ref(),
        _ => (**default).new_ref(),
    }
}

/// Warns `message` (str or Warning instance) of `category` (None: `default`), attributed to
/// the Python frame `stacklevel` frames out (1: the innermost).
pub fn warn(category: Option<&Obj>, message: &Obj, stacklevel: isize, default: &TypeObj) -> PyResult<()> {
    let cat = category_of(category, message, default);
    if let Some(w) = warnings_module() {
        let f = crate::abstract_::getattr_str(&w, "warn")?;
        let args = tuple::new_from(&[message, &*cat, &*long::from_i64(stacklevel as i64)]);
        crate::abstract_::call(&f, &args, None)?;
        return Ok(());
    }
    let (file, line, module) = crate::interp::frame_location(stacklevel.max(1) as usize)
        .unwrap_or_else(|| ("sys".to_string(), 1, "sys".to_string()));
    default_action(&cat, message, &file, line, &module)
}

/// Warns at an explicit location (`PyErr_WarnExplicit`, `warnings.warn_explicit`).
pub fn warn_explicit(category: Option<&Obj>, message: &Obj, filename: &str, lineno: u32, module: Option<&str>, registry: Option<&Obj>) -> PyResult<()> {
    let cat = category_of(category, message, exc::UserWarning());
    if let Some(w) = warnings_module() {
        let f = crate::abstract_::getattr_str(&w, "warn_explicit")?;
        let module = match module {
            Some(m) => unicode::new(m),
            None => none::none(),
        };
        let registry = registry.map(|r| r.new_ref()).unwrap_or_else(none::none);
        let args = tuple::new_from(&[message, &*cat, &*unicode::new(filename), &*long::from_i64(lineno as i64), &*module, &*registry]);
        crate::abstract_::call(&f, &args, None)?;
        return Ok(());
    }
    // Without a module name CPython takes the file name without `.py`.
    let module = module.unwrap_or_else(|| filename.strip_suffix(".py").unwrap_or(filename));
    default_action(&cat, message, filename, lineno, module)
}

/// CPython's default filters before `warnings` is imported: DeprecationWarning shows only
/// when triggered by `__main__`'s code; PendingDeprecationWarning, ImportWarning and
/// ResourceWarning are ignored; anything else prints once per location as
/// `file:line: Category: message` and the stripped source line, to stderr.
fn default_action(cat: &Obj, message: &Obj, file: &str, line: u32, module: &str) -> PyResult<()> {
    static SHOWN: Mutex<Option<HashSet<(String, String, String, u32)>>> = Mutex::new(None);
    let Some(cat) = TypeObj::downcast(cat) else {
        return Err(raise!(TypeError, "category must be a Warning subclass, not '{}'", cat.ob_type().name()));
    };
    if !cat.is_subtype(exc::Warning()) {
        return Err(raise!(TypeError, "category must be a Warning subclass, not '{}'", cat.name()));
    }
    for ignored in [exc::PendingDeprecationWarning(), exc::ImportWarning(), exc::ResourceWarning()] {
        if cat.is_subtype(ignored) {
            return Ok(());
        }
    }
    if cat.is_subtype(exc::DeprecationWarning()) && module != "__main__" {
        return Ok(());
    }
    let text = crate::abstract_::str(message)?;
    let msg = unicode::as_str_lossy(&text).into_owned();
    let key = (msg.clone(), cat.name().to_string(), file.to_string(), line);
    if !SHOWN.lock().unwrap_or_else(|p| p.into_inner()).get_or_insert_with(HashSet::new).insert(key) {
        return Ok(());
    }
    let mut out = format!("{file}:{line}: {}: {msg}\n", cat.name());
    if let Some(src) = std::fs::read_to_string(file).ok().and_then(|t| t.lines().nth(line.saturating_sub(1) as usize).map(str::to_string)) {
        let src = src.trim();
        if !src.is_empty() {
            out.push_str(&format!("  {src}\n"));
        }
    }
    use std::io::Write;
    super::io::flush_std_streams();
    let _ = std::io::stderr().write_all(out.as_bytes());
    Ok(())
}

fn m_warn(_m: &Obj, a: &[&Obj], kw: Kw) -> PyResult<PyRef> {
    static SIG: Sig = Sig {
        name: "warn",
        params: &["message", "category", "stacklevel", "source", "skip_file_prefixes"],
        posonly: 0,
        maxpos: 4,
        required: 1,
    };
    let [message, category, stacklevel, source, skip] = argparse::parse::<5>(&SIG, a, kw)?;
    let message = message.unwrap();
    let stacklevel = match stacklevel {
        Some(s) => argparse::ssize(s)?,
        None => 1,
    };
    let (source, skip) = (argparse::not_none(source), skip.filter(|s| !tuple::check(s) || tuple::len(s) > 0));
    if (source.is_some() || skip.is_some()) && warnings_module().is_some() {
        // Only the Python implementation knows what to do with these.
        let w = warnings_module().unwrap();
        let f = crate::abstract_::getattr_str(&w, "warn")?;
        let cat = category_of(category, message, exc::UserWarning());
        let args = tuple::new_from(&[message, &*cat, &*long::from_i64(stacklevel as i64), source.unwrap_or(none::none_obj())]);
        let kwargs = dict::new();
        if let Some(s) = skip {
            dict::set_item_str(&kwargs, "skip_file_prefixes", s)?;
        }
        crate::abstract_::call(&f, &args, Some(&kwargs))?;
        return Ok(none::none());
    }
    warn(category, message, stacklevel, exc::UserWarning())?;
    Ok(none::none())
}

fn m_warn_explicit(_m: &Obj, a: &[&Obj], kw: Kw) -> PyResult<PyRef> {
    static SIG: Sig = Sig {
        name: "warn_explicit",
        params: &["message", "category", "filename", "lineno", "module", "registry", "module_globals", "source"],
        posonly: 0,
        maxpos: 8,
        required: 4,
    };
    let [message, category, filename, lineno, module, registry, _globals, _source] = argparse::parse::<8>(&SIG, a, kw)?;
    let filename = filename.unwrap();
    if !unicode::check(filename) {
        return Err(raise!(TypeError, "warn_explicit() argument 'filename' must be str, not {}", filename.ob_type().name()));
    }
    let lineno = argparse::ssize(lineno.unwrap())?;
    let module = argparse::not_none(module).map(|m| unicode::as_str_lossy(m).into_owned());
    warn_explicit(category, message.unwrap(), &unicode::as_str_lossy(filename), lineno.max(0) as u32, module.as_deref(), argparse::not_none(registry))?;
    Ok(none::none())
}

method_table!(static WARNINGS_METHODS = [
    kw c"warn" => m_warn,
    kw c"warn_explicit" => m_warn_explicit,
]);

pub fn create() -> PyResult<PyRef> {
    // SAFETY: the table is static.
    unsafe { super::new_module("_warnings", WARNINGS_METHODS.0.get() as *mut pyrite_abi::PyMethodDef) }
}
