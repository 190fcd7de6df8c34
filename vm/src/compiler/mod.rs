//! The front end: source text to code objects. `parse` is the only module that touches the
//! parser crate (`ruff_python_parser`, pinned; the rest reaches the AST and text-position
//! types through its `ast` and `text_size` re-exports); `symtable` resolves every name's scope
//! and finds every compile-stage `SyntaxError`; the code generator (to come) emits Pyrite
//! bytecode from the AST and the tables.

pub mod codegen;
pub mod literal;
pub mod parse;
pub mod scopes;
pub mod symtable;
pub mod unparse;

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

/// Compiles source text to a code object, at the interpreter's optimization level (`-O`).
pub fn compile(source: &str, filename: &str, mode: Mode) -> PyResult<PyRef> {
    compile_optimized(source, filename, mode, -1)
}

/// Compiles source text at optimization level `optimize` (`compile()`'s argument): 0 keeps
/// everything, 1 drops `assert` statements and makes `__debug__` false, 2 drops docstrings
/// too; -1 is the interpreter's level.
pub fn compile_optimized(source: &str, filename: &str, mode: Mode, optimize: i32) -> PyResult<PyRef> {
    let optimize = if optimize < 0 { crate::config::get().optimize } else { optimize.min(2) as u8 };
    let to_err = |e: parse::SyntaxErrorInfo| syntax_error_from(&e);
    match mode {
        Mode::Eval => {
            let (parsed, warnings) = parse::parse_expression(source, filename).map_err(to_err)?;
            emit_warnings(&warnings, source, filename)?;
            let scopes = scopes::Scopes::build_expr(&parsed, source, filename).map_err(to_err)?;
            let mut c = codegen::Compiler::new(source, filename, scopes);
            c.set_optimize(optimize);
            let code = c.expression(&parsed.body).map_err(|e| c.syntax_error(e))?;
            emit_warnings(&c.warnings, source, filename)?;
            Ok(code)
        }
        Mode::Exec | Mode::Single => {
            let (m, warnings) = parse::parse_module(source, filename).map_err(to_err)?;
            emit_warnings(&warnings, source, filename)?;
            if mode == Mode::Single && m.body.len() > 1 {
                use ruff_text_size::Ranged;
                let index = parse::LineIndex::new(source);
                let e = parse::SyntaxErrorInfo::compiler_error(
                    "multiple statements found while compiling a single statement",
                    filename,
                    source,
                    &index,
                    m.body[0].range(),
                );
                return Err(to_err(e));
            }
            let scopes = scopes::Scopes::build(&m, source, filename).map_err(to_err)?;
            let mut c = codegen::Compiler::new(source, filename, scopes);
            c.set_optimize(optimize);
            if mode == Mode::Single {
                c.set_interactive();
            }
            let code = c.module(&m).map_err(|e| c.syntax_error(e))?;
            emit_warnings(&c.warnings, source, filename)?;
            Ok(code)
        }
    }
}

/// Issues compile-time `SyntaxWarning`s through the warnings machinery, as CPython's
/// `_PyErr_EmitSyntaxWarning`: one that the filters turn into an error becomes the
/// `SyntaxError` at the warning's place.
pub fn emit_warnings(warnings: &[parse::CompileWarning], source: &str, filename: &str) -> crate::err::PyResult<()> {
    use crate::objects::{exceptions as exc, unicode};
    if warnings.is_empty() {
        return Ok(());
    }
    let index = parse::LineIndex::new(source);
    for w in warnings {
        let line = index.location(source, w.range.start()).line as u32;
        let category: &crate::Obj = exc::SyntaxWarning();
        if let Err(e) = crate::stdlib::warnings::warn_explicit(Some(category), &unicode::new(&w.msg), filename, line, None, None) {
            if e.is_instance(exc::SyntaxWarning()) {
                let info = parse::SyntaxErrorInfo::compiler_error(w.error_msg.clone(), filename, source, &index, w.range);
                return Err(syntax_error_from(&info));
            }
            return Err(e);
        }
    }
    Ok(())
}

/// The `SyntaxError` (or `IndentationError`/`TabError`) for a parse or scope error.
pub fn syntax_error_from(e: &parse::SyntaxErrorInfo) -> crate::err::PyErr {
    use crate::objects::{exceptions as exc, long, tuple, unicode};
    let ty = match e.kind {
        parse::SyntaxErrorKind::IndentationError => exc::IndentationError(),
        parse::SyntaxErrorKind::TabError => exc::TabError(),
        _ => exc::SyntaxError(),
    };
    let details = tuple::new_from_owned(vec![
        unicode::new(&e.filename),
        long::from_usize(e.lineno),
        long::from_usize(e.offset),
        unicode::new(&e.text),
        long::from_usize(e.end_lineno),
        long::from_usize(e.end_offset),
    ]);
    let args = tuple::new_from_owned(vec![unicode::new(&e.msg), details]);
    match crate::abstract_::call(ty, &args, None) {
        Ok(v) => crate::err::PyErr::from_value(v),
        Err(err) => err,
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
