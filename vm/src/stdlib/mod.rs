//! Modules that CPython builds in C and Pyrite implements in Rust. Each is made on first
//! import (`import::import_module` asks [`find`] before searching `sys.path`) and then lives
//! in `sys.modules` like any other.

use core::ffi::CStr;
use std::sync::OnceLock;

use pyrite_abi::*;

use crate::err::PyResult;
use crate::object::{Obj, PyRef, SyncPtr};
use crate::objects::type_::TypeObj;
use crate::objects::{dict, long, module, unicode};

#[macro_use]
pub(crate) mod native;

mod abc;
mod stat;
mod array;
pub mod ast;
pub mod atexit;
mod binascii;
mod bisect;
mod blake2;
pub mod boxed;
mod cmath;
mod collections;
mod contextvars;
mod csv;
mod errno;
mod fcntl;
mod functools;
mod functools_partial;
pub mod gc;
mod hashes;
mod heapq;
pub mod imp;
pub mod io;
mod itertools;
mod json;
mod locale;
mod math;
mod opcode;
mod operator;
pub mod posix;
mod posixsubprocess;
mod pwd;
mod random;
mod resource;
mod select;
pub mod signal;
mod socket;
mod sre;
mod string;
mod struct_;
pub mod thread;
mod time;
mod tokenize;
mod types_;
mod typing;
mod unicodedata;
pub mod warnings;
mod zlib;

/// The native module called `name`, if Pyrite has one.
pub fn find(name: &str) -> Option<fn() -> PyResult<PyRef>> {
    Some(match name {
        "_abc" => abc::create,
        "_ast" => ast::create,
        "_bisect" => bisect::create,
        "_blake2" => hashes::create_blake2,
        "_codecs" => || Ok(crate::codecs::module()),
        "_collections" => collections::create,
        "_contextvars" => contextvars::create,
        "_csv" => csv::create,
        "_functools" => functools::create,
        "_heapq" => heapq::create,
        "_imp" => imp::create,
        "_io" => io::create,
        "_json" => json::create,
        "_locale" => locale::create,
        "_md5" => hashes::create_md5,
        "_opcode" => opcode::create,
        // `_opcode_metadata` and `opcode` are Python modules in CPython (not in `NAMES`):
        // Pyrite's describe its own instruction set, so they must win over `Lib/`'s.
        "_opcode_metadata" => opcode::create_metadata,
        "_operator" => operator::create,
        "_posixsubprocess" => posixsubprocess::create,
        "_random" => random::create,
        "_sha1" => hashes::create_sha1,
        "_sha2" => hashes::create_sha2,
        "_sha3" => hashes::create_sha3,
        "_signal" => signal::create,
        "_socket" => socket::create,
        "_sre" => sre::create,
        "_stat" => stat::create,
        "_string" => string::create,
        "_struct" => struct_::create,
        "_thread" => thread::create,
        "_tokenize" => tokenize::create,
        "_types" => types_::create,
        "_typing" => typing::create,
        "_warnings" => warnings::create,
        "_weakref" => crate::objects::weakref::module,
        "array" => array::create,
        "atexit" => atexit::create,
        "binascii" => binascii::create,
        "cmath" => cmath::create,
        "errno" => errno::create,
        "fcntl" => fcntl::create,
        "gc" => gc::create,
        "itertools" => itertools::create,
        "marshal" => || Ok(crate::marshal::module()),
        "math" => math::create,
        "opcode" => opcode::create_opcode,
        "posix" => posix::create,
        "pwd" => pwd::create,
        "resource" => resource::create,
        "select" => select::create,
        "time" => time::create,
        "unicodedata" => unicodedata::create,
        "zlib" => zlib::create,
        _ => return None,
    })
}

/// The names of the native modules (`sys.builtin_module_names` adds `builtins` and `sys`),
/// except the ones `find` has in place of CPython's pure-Python modules.
pub const NAMES: &[&str] = &[
    "_abc",
    "_ast",
    "_bisect",
    "_blake2",
    "_codecs",
    "_collections",
    "_contextvars",
    "_csv",
    "_functools",
    "_heapq",
    "_imp",
    "_io",
    "_json",
    "_locale",
    "_md5",
    "_opcode",
    "_operator",
    "_posixsubprocess",
    "_random",
    "_sha1",
    "_sha2",
    "_sha3",
    "_signal",
    "_socket",
    "_sre",
    "_stat",
    "_string",
    "_struct",
    "_thread",
    "_tokenize",
    "_types",
    "_typing",
    "_warnings",
    "_weakref",
    "array",
    "atexit",
    "binascii",
    "cmath",
    "errno",
    "fcntl",
    "gc",
    "itertools",
    "marshal",
    "math",
    "posix",
    "pwd",
    "resource",
    "select",
    "time",
    "unicodedata",
    "zlib",
];

/// A new module `name` with the functions of a static `method_table!`.
///
/// # Safety
/// `methods` is a NULL-terminated static table.
pub(crate) unsafe fn new_module(name: &str, methods: *mut PyMethodDef) -> PyResult<PyRef> {
    let m = module::new(&unicode::new(name))?;
    // SAFETY: guaranteed by the caller.
    unsafe { module::add_functions(&m, methods)? };
    Ok(m)
}

/// Adds integer constants to a module's dict.
pub(crate) fn add_ints(m: &Obj, items: &[(&str, i64)]) -> PyResult<()> {
    let d = module::dict_of(m);
    for (n, v) in items {
        dict::set_item_str(d, n, &long::from_i64(*v))?;
    }
    Ok(())
}

/// A struct sequence type made once per process: `fields` in order (`None` for an unnamed
/// field), the first `visible` of them shown by the tuple.
pub(crate) fn struct_seq_type(
    cell: &'static OnceLock<SyncPtr<PyObject>>,
    name: &'static CStr,
    doc: &'static CStr,
    fields: &[Option<&'static CStr>],
    visible: usize,
) -> PyResult<&'static TypeObj> {
    if let Some(p) = cell.get() {
        // SAFETY: the type is immortal.
        return Ok(unsafe { TypeObj::from_ptr(p.0 as *mut PyTypeObject) });
    }
    let mut defs: Vec<PyStructSequence_Field> = fields
        .iter()
        .map(|f| PyStructSequence_Field { name: f.unwrap_or(crate::objects::structseq::UNNAMED_FIELD).as_ptr(), doc: core::ptr::null() })
        .collect();
    defs.push(PyStructSequence_Field { name: core::ptr::null(), doc: core::ptr::null() });
    let defs = Box::leak(defs.into_boxed_slice());
    let desc = PyStructSequence_Desc { name: name.as_ptr(), doc: doc.as_ptr(), fields: defs.as_mut_ptr(), n_in_sequence: visible as core::ffi::c_int };
    // SAFETY: the description and its strings live forever.
    let t = unsafe { crate::objects::structseq::new_type(&desc)? };
    let p = cell.get_or_init(|| SyncPtr(crate::object::make_immortal(t))).0;
    // SAFETY: immortal.
    Ok(unsafe { TypeObj::from_ptr(p as *mut PyTypeObject) })
}

/// An instance of a struct sequence type with one value per field.
pub(crate) fn struct_seq_new(t: &TypeObj, values: Vec<PyRef>) -> PyResult<PyRef> {
    let o = crate::objects::structseq::new(t)?;
    // SAFETY: a fresh struct sequence with one NULL slot per field.
    unsafe {
        for (slot, v) in crate::objects::structseq::items(o.as_ptr()).iter_mut().zip(values) {
            *slot = v.into_raw();
        }
    }
    Ok(o)
}
