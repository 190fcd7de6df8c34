//! `pyrite-vm`: the runtime. The object model (objects laid out as CPython lays them out, so
//! a `*mut PyObject` handed to an extension *is* the object), the built-in types, extension
//! loading, and — as they land — the compiler, interpreter, GC and threads.
//!
//! Invariants:
//! * `vm` never calls into `capi`; C code reaches `vm` only through `capi`.
//! * Every object header uses the 3.14+ refcount encoding (see `pyrite_abi::refcount`).
//! * Built-in types are immortal statics under CPython's exported names.

#![allow(non_upper_case_globals, non_snake_case, clippy::missing_safety_doc)]

#[macro_use]
pub mod err;
pub mod abstract_;
pub mod alloc;
pub mod compiler;
pub mod config;
pub mod buffer;
pub mod builtins;
pub mod codecs;
pub mod bytecode;
pub mod format;
pub mod gc;
pub mod gil;
pub mod hash;
pub mod import;
pub mod interp;
pub mod number;
pub mod object;
pub mod pending;
pub mod objects;
pub mod run;
pub mod slot;
pub mod stdlib;
pub mod subinterpreter;
pub mod marshal;
pub mod sys;
pub mod traceback;

pub use err::{PyErr, PyResult};
pub use object::{Obj, PyRef};
pub use objects::type_::TypeObj;

use std::sync::Once;

/// Every static built-in type, in an order where bases come before subclasses.
pub fn static_types() -> Vec<&'static TypeObj> {
    use objects::*;
    let mut v: Vec<&'static TypeObj> = vec![&type_::PyBaseObject_Type, &type_::PyType_Type];
    v.extend(none::types());
    v.extend(long::types());
    v.extend(mappingproxy::types());
    v.extend(capsule::types());
    v.extend(namespace::types());
    v.extend(crate::codecs::encoding_map::types());
    v.extend(typevar::types());
    v.extend(bool_::types());
    v.extend(float::types());
    v.extend(complex::types());
    v.extend(unicode::types());
    v.extend(bytes::types());
    v.extend(bytearray::types());
    v.extend(tuple::types());
    v.extend(list::types());
    v.extend(dict::types());
    v.extend(slice::types());
    v.extend(set::types());
    v.extend(range::types());
    v.extend(iterobject::types());
    v.extend(descr::types());
    v.extend(methodobject::types());
    v.extend(module::types());
    v.extend(code::types());
    v.extend(function::types());
    v.extend(crate::traceback::types());
    v.extend(heaptype::types());
    v.extend(genobject::types());
    v.extend(itertools_builtin::types());
    v.extend(slotdefs::types());
    v.extend(weakref::types());
    v.extend(memoryview::types());
    v.extend(frameobject::types());
    v.extend(genericalias::types());
    v.extend(unionobject::types());
    v.extend(frozendict::types());
    v.extend(sentinel::types());
    v.extend(lazy_import::types());
    v.extend(exceptions::all());
    v
}

/// Readies every static type. Idempotent; called by `Py_Initialize` and the `pyrite` binary.
pub fn initialize() {
    static INIT: Once = Once::new();
    INIT.call_once(|| {
        objects::exceptions::prepare();
        for t in static_types() {
            if let Err(e) = objects::type_::ready(t) {
                panic!("readying built-in type {} failed: {:?}", t.name(), e);
            }
        }
        // Dunder methods for the slots each built-in type defines (`object.__init__`, ...).
        for t in static_types() {
            objects::slotdefs::add_wrappers(t).expect("adding slot wrappers");
        }
    });
    // The initializing thread (and any thread that initializes again) runs attached.
    gil::ensure_attached();
    // sys.stdin/stdout/stderr, once the types exist and the thread is attached.
    static STREAMS: Once = Once::new();
    STREAMS.call_once(|| {
        if let Err(e) = stdlib::io::init_std_streams() {
            panic!("creating the standard streams failed: {:?}", e);
        }
    });
}
