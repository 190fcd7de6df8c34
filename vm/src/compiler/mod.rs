//! The front end: source text to code objects. `parse` is the only module that touches the
//! parser crate (`ruff_python_parser`, pinned); `symtable` resolves every name's scope;
//! `codegen` emits Pyrite bytecode.

pub mod parse;
pub mod symtable;

use crate::err::PyResult;
use crate::object::PyRef;

/// What the source is compiled as (`compile()`'s mode).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// A module or `exec()`: a sequence of statements.
    Exec,
    /// `eval()`: one expression whose value is returned.
    Eval,
    /// The interactive prompt: expression statements print their value.
    Single,
}

/// Compiles source text to a code object.
pub fn compile(source: &str, filename: &str, mode: Mode) -> PyResult<PyRef> {
    let _ = (source, filename, mode);
    Err(raise!(SystemError, "the Python compiler is not implemented in Pyrite yet"))
}
