//! The front end: source text to code objects. `parse` is the only module that touches the
//! parser crate (`ruff_python_parser`, pinned); `symtable` resolves every name's scope;
//! `codegen` emits Pyrite bytecode.

pub mod codegen;
pub mod parse;
pub mod scopes;
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
    use ruff_python_parser as parser;
    let syntax_error = |msg: &str, start: u32| -> crate::err::PyErr {
        let line_start = source[..start as usize].rfind('\n').map_or(0, |i| i + 1);
        let lineno = source[..start as usize].matches('\n').count() + 1;
        let col = source[line_start..start as usize].chars().count() + 1;
        let text = source[line_start..].lines().next().unwrap_or("").to_string();
        syntax_error_obj(msg, filename, lineno, col, &text)
    };
    match mode {
        Mode::Eval => {
            let parsed = parser::parse_expression(source).map_err(|e| syntax_error(&e.error.to_string(), e.location.start().into()))?;
            let expr = &parsed.syntax().body;
            let scopes = scopes::Scopes::build_expr(expr);
            let mut c = codegen::Compiler::new(source, filename, scopes);
            c.expression(expr).map_err(|e| syntax_error(&e.msg, e.range.start().into()))
        }
        Mode::Exec | Mode::Single => {
            let parsed = parser::parse_module(source).map_err(|e| syntax_error(&e.error.to_string(), e.location.start().into()))?;
            let m = parsed.syntax();
            let scopes = scopes::Scopes::build(m);
            let mut c = codegen::Compiler::new(source, filename, scopes);
            c.module(m).map_err(|e| syntax_error(&e.msg, e.range.start().into()))
        }
    }
}

/// `SyntaxError(msg, (filename, lineno, offset, text, end_lineno, end_offset))`.
pub fn syntax_error_obj(msg: &str, filename: &str, lineno: usize, offset: usize, text: &str) -> crate::err::PyErr {
    use crate::objects::{long, tuple, unicode};
    let details = tuple::new_from_owned(vec![
        unicode::new(filename),
        long::from_usize(lineno),
        long::from_usize(offset),
        unicode::new(text),
        long::from_usize(lineno),
        long::from_usize(offset),
    ]);
    let args = tuple::new_from_owned(vec![unicode::new(msg), details]);
    match crate::abstract_::call(crate::objects::exceptions::SyntaxError(), &args, None) {
        Ok(v) => crate::err::PyErr::from_value(v),
        Err(e) => e,
    }
}
