//! The front end: source text to code objects. `parse` is the only module that touches the
//! parser crate (`ruff_python_parser`, pinned); `symtable` resolves every name's scope;
//! `codegen` emits Pyrite bytecode.

pub mod parse;
pub mod symtable;
