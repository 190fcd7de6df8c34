//! The front end: source text to code objects. `parse` is the only module that touches the
//! parser crate (`ruff_python_parser`, pinned; the rest reaches the AST and text-position
//! types through its `ast` and `text_size` re-exports); `symtable` resolves every name's scope
//! and finds every compile-stage `SyntaxError`; the code generator (to come) emits Pyrite
//! bytecode from the AST and the tables.

pub mod parse;
pub mod symtable;
