//! The parser facade: source text to a ruff AST, or a `SyntaxError` as CPython 3.15 reports it.
//!
//! This module owns every call into the parser crate (`ruff_python_parser`, pinned at =0.0.10):
//! the rest of the compiler sees the AST types through the `ast` re-export and positions through
//! [`LineIndex`], so upgrading or replacing the parser touches only this file and
//! `parse/cpython_errors.rs`.
//!
//! It also owns the *translation* of the parser's diagnostics into CPython's: ruff's parser
//! recovers and reports every error it meets with its own wording, while CPython stops at one
//! error chosen by the rules of its tokenizer and PEG parser (tokenizer errors anywhere in the
//! file win over parser errors, an unclosed bracket at end of file is reported at the bracket,
//! assignment targets are named as `_PyPegen_get_expr_name` names them, ...). Those rules live
//! in `cpython_errors`, and `vm/tests/syntax_errors.rs` compares the result with CPython 3.15.
//!
//! Like CPython's AST stage (`future.c`), it also rejects `__future__` imports of features
//! that do not exist.
//!
//! What this module must never do: decide anything about names or scopes (that is
//! `symtable`'s), or report errors CPython raises after parsing (`'return' outside function`,
//! duplicate parameters, ...): those are compile-stage errors, found by `symtable` and reported
//! with the compiler's conventions (byte offsets), not the parser's (character offsets).

mod cpython_errors;

pub use ruff_python_ast as ast;
pub use ruff_text_size as text_size;

use ruff_python_ast::PythonVersion;
use ruff_python_parser::{Mode, ParseOptions};
use ruff_text_size::{TextRange, TextSize};
use std::fmt;

/// The grammar Pyrite accepts: the newest Python version the pinned parser knows.
const TARGET_VERSION: PythonVersion = PythonVersion::PY315;

/// Which `SyntaxError` subclass CPython raises.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SyntaxErrorKind {
    SyntaxError,
    IndentationError,
    TabError,
}

impl SyntaxErrorKind {
    /// The exception's name, as `type(e).__name__` prints it.
    pub fn name(self) -> &'static str {
        match self {
            SyntaxErrorKind::SyntaxError => "SyntaxError",
            SyntaxErrorKind::IndentationError => "IndentationError",
            SyntaxErrorKind::TabError => "TabError",
        }
    }
}

/// Everything a `SyntaxError` instance carries, in CPython's conventions: `lineno` is 1-based;
/// `offset`/`end_offset` are 1-based columns. Errors found by the parser count columns in
/// characters (CPython converts the parser's byte offsets); errors found later by the compiler
/// (`symtable`) count UTF-8 bytes, as CPython's compiler does (`col_offset + 1`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxErrorInfo {
    pub msg: String,
    pub filename: String,
    pub lineno: usize,
    pub offset: usize,
    pub end_lineno: usize,
    pub end_offset: usize,
    /// The source line the error is on (CPython's `SyntaxError.text`).
    pub text: String,
    pub kind: SyntaxErrorKind,
}

impl SyntaxErrorInfo {
    /// An error found by the compiler (symbol table, code generator) at `range`: CPython reports
    /// these with byte columns (`col_offset + 1`) and the line's text.
    pub fn compiler_error(
        msg: impl Into<String>,
        filename: &str,
        source: &str,
        index: &LineIndex,
        range: TextRange,
    ) -> Self {
        let start = index.location(source, range.start());
        let end = index.location(source, range.end());
        SyntaxErrorInfo {
            msg: msg.into(),
            filename: filename.to_owned(),
            lineno: start.line,
            offset: start.column + 1,
            end_lineno: end.line,
            end_offset: end.column + 1,
            text: index.line_text(source, start.line).to_owned(),
            kind: SyntaxErrorKind::SyntaxError,
        }
    }
}

impl fmt::Display for SyntaxErrorInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {} ({}, line {}, offset {})",
            self.kind.name(),
            self.msg,
            self.filename,
            self.lineno,
            self.offset
        )
    }
}

impl std::error::Error for SyntaxErrorInfo {}

/// A position in the source: `line` is 1-based, the columns 0-based.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SourceLocation {
    pub line: usize,
    /// Column in UTF-8 bytes (what CPython's AST `col_offset` and `co_positions` use).
    pub column: usize,
    /// Column in characters (what CPython's parser errors report, minus one).
    pub char_column: usize,
}

/// Maps byte offsets to lines and columns. Built once per source; lines end at `\n`, `\r\n`
/// or a lone `\r`, as CPython's universal newlines read them.
#[derive(Debug, Clone)]
pub struct LineIndex {
    /// Byte offset of the first character of each line; `line_starts[0] == 0`.
    line_starts: Vec<TextSize>,
    /// Whether the source is pure ASCII, so that character columns equal byte columns.
    ascii: bool,
}

impl LineIndex {
    pub fn new(source: &str) -> Self {
        let bytes = source.as_bytes();
        let mut line_starts = vec![TextSize::new(0)];
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'\n' => line_starts.push(TextSize::new(i as u32 + 1)),
                b'\r' if bytes.get(i + 1) == Some(&b'\n') => {
                    i += 1;
                    line_starts.push(TextSize::new(i as u32 + 1));
                }
                b'\r' => line_starts.push(TextSize::new(i as u32 + 1)),
                _ => {}
            }
            i += 1;
        }
        LineIndex {
            line_starts,
            ascii: source.is_ascii(),
        }
    }

    /// The number of lines; a final line terminator starts an (empty) last line.
    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// The 1-based line that contains `offset`.
    pub fn line_of(&self, offset: TextSize) -> usize {
        match self.line_starts.binary_search(&offset) {
            Ok(i) => i + 1,
            Err(i) => i,
        }
    }

    /// Byte offset where 1-based `line` starts (the end of the source past the last line).
    pub fn line_start(&self, line: usize) -> TextSize {
        self.line_starts[line.clamp(1, self.line_starts.len()) - 1]
    }

    pub fn location(&self, source: &str, offset: TextSize) -> SourceLocation {
        let offset = offset.min(TextSize::of(source));
        let line = self.line_of(offset);
        let start = self.line_start(line);
        let column = (offset - start).to_usize();
        let char_column = if self.ascii {
            column
        } else {
            let mut end = offset.to_usize();
            while !source.is_char_boundary(end) {
                end -= 1;
            }
            source[start.to_usize()..end].chars().count()
        };
        SourceLocation {
            line,
            column,
            char_column,
        }
    }

    /// The text of 1-based `line`, with its line terminator ("" past the end).
    pub fn line_text<'s>(&self, source: &'s str, line: usize) -> &'s str {
        if line == 0 || line > self.line_starts.len() {
            return "";
        }
        let start = self.line_starts[line - 1].to_usize();
        let end = self
            .line_starts
            .get(line)
            .map_or(source.len(), |s| s.to_usize());
        &source[start..end]
    }
}

/// Parses a module (`compile(source, filename, "exec")`).
/// The module comes with the warnings of its compilation, for the caller to issue.
pub fn parse_module(source: &str, filename: &str) -> Result<(ast::ModModule, Vec<CompileWarning>), SyntaxErrorInfo> {
    match parse(source, filename, Mode::Module)? {
        (ast::Mod::Module(module), w) => Ok((module, w)),
        (ast::Mod::Expression(_), _) => unreachable!("module mode yields a module"),
    }
}

/// Parses a single expression (`compile(source, filename, "eval")`).
pub fn parse_expression(
    source: &str,
    filename: &str,
) -> Result<(ast::ModExpression, Vec<CompileWarning>), SyntaxErrorInfo> {
    match parse(source, filename, Mode::Expression)? {
        (ast::Mod::Expression(expression), w) => Ok((expression, w)),
        (ast::Mod::Module(_), _) => unreachable!("expression mode yields an expression"),
    }
}

fn parse(source: &str, filename: &str, mode: Mode) -> Result<(ast::Mod, Vec<CompileWarning>), SyntaxErrorInfo> {
    let options = ParseOptions::from(mode).with_target_version(TARGET_VERSION);
    let parsed = ruff_python_parser::parse_unchecked(source, options);
    // The lexer's checks miss a few of CPython's tokenizer errors (inconsistent tabs, digits
    // glued to names, ...), so a clean parse is still run through them.
    if let Some(error) = cpython_errors::translate(source, filename, &parsed) {
        return Err(error);
    }
    let warnings = escape_warnings(source, parsed.tokens());
    let syntax = parsed.into_syntax();
    if let ast::Mod::Module(module) = &syntax {
        check_future_features(module, source, filename)?;
    }
    Ok((syntax, warnings))
}

/// A `SyntaxWarning` of the compilation (`crate::compiler::emit_warnings` issues it): its
/// message, the `SyntaxError` message it becomes when warnings are errors, and where.
pub struct CompileWarning {
    pub msg: String,
    pub error_msg: String,
    pub range: TextRange,
}

/// CPython 3.12+'s tokenizer warnings for invalid escape sequences: in each non-raw string,
/// bytes or f/t-string literal token, the first backslash followed by a character that
/// starts no escape (`"\d"`; `\N`, `\u`, `\U` in bytes), or an octal escape above 0o377.
fn escape_warnings(source: &str, tokens: &[ruff_python_ast::token::Token]) -> Vec<CompileWarning> {
    use ruff_python_ast::StringFlags;
    use ruff_text_size::Ranged;
    use ruff_python_ast::token::TokenKind;
    let mut out = Vec::new();
    for t in tokens {
        let content = match t.kind() {
            TokenKind::String => {
                let f = t.unwrap_string_flags();
                if f.is_raw_string() {
                    continue;
                }
                TextRange::new(t.start() + f.opener_len(), t.end() - f.closer_len())
            }
            TokenKind::FStringMiddle | TokenKind::TStringMiddle if !t.unwrap_string_flags().is_raw_string() => t.range(),
            _ => continue,
        };
        let bytes = t.unwrap_string_flags().is_byte_string();
        let Some(text) = source.get(usize::from(content.start())..usize::from(content.end())) else { continue };
        if let Some(w) = first_invalid_escape(text, bytes) {
            let at = content.start() + TextSize::from(w.0 as u32);
            out.push(CompileWarning {
                msg: format!("{} Such sequences will not work in the future. {}", w.1, w.2),
                error_msg: format!("{} {}", w.1, w.2),
                range: TextRange::new(at, at + TextSize::from(w.3 as u32)),
            });
        }
    }
    out
}

/// The first invalid escape of a literal's text: (byte offset of its backslash, the
/// statement, the suggestion, its length in bytes).
fn first_invalid_escape(text: &str, bytes: bool) -> Option<(usize, String, String, usize)> {
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'\\' {
            i += 1;
            continue;
        }
        let Some(c) = text[i + 1..].chars().next() else { return None };
        match c {
            '\n' | '\r' | '\\' | '\'' | '"' | 'a' | 'b' | 'f' | 'n' | 'r' | 't' | 'v' | 'x' => i += 2,
            'N' | 'u' | 'U' if !bytes => i += 2,
            '0'..='7' => {
                let digits = text[i + 1..].bytes().take(3).take_while(|d| (b'0'..=b'7').contains(d)).count();
                let escape = &text[i + 1..i + 1 + digits];
                if u32::from_str_radix(escape, 8).is_ok_and(|v| v > 0o377) {
                    return Some((
                        i,
                        format!("\"\\{escape}\" is an invalid octal escape sequence."),
                        format!("Did you mean \"\\\\{escape}\"? A raw string is also an option."),
                        1 + digits,
                    ));
                }
                i += 1 + digits;
            }
            c => {
                return Some((
                    i,
                    format!("\"\\{c}\" is an invalid escape sequence."),
                    format!("Did you mean \"\\\\{c}\"? A raw string is also an option."),
                    1 + c.len_utf8(),
                ));
            }
        }
    }
    None
}

/// `__future__` features CPython 3.15 knows. All but `annotations` are no-ops by now;
/// `barry_as_FLUFL` would change the grammar (`<>`), which the parser does not do.
const FUTURE_FEATURES: [&str; 10] = [
    "nested_scopes",
    "generators",
    "division",
    "absolute_import",
    "with_statement",
    "print_function",
    "unicode_literals",
    "barry_as_FLUFL",
    "generator_stop",
    "annotations",
];

/// The features named by the future-import prologue (an optional docstring, then
/// `from __future__ import ...` statements) must exist: CPython checks this while building
/// the AST (`future.c`), so `ast.parse` already raises. A future import after the prologue is
/// the compiler's error (`symtable`).
fn check_future_features(
    module: &ast::ModModule,
    source: &str,
    filename: &str,
) -> Result<(), SyntaxErrorInfo> {
    let is_future = |import: &ast::StmtImportFrom| {
        import.level == 0
            && import
                .module
                .as_ref()
                .is_some_and(|m| m.as_str() == "__future__")
    };
    let error = |msg: String, range| {
        let index = LineIndex::new(source);
        Err(SyntaxErrorInfo::compiler_error(
            msg, filename, source, &index, range,
        ))
    };
    // PEP 810: a future import cannot be lazy (CPython's parser refuses it).
    for stmt in &module.body {
        if let ast::Stmt::ImportFrom(import) = stmt
            && import.is_lazy
            && is_future(import)
        {
            // CPython points at the `lazy` keyword alone.
            let start = import.range.start();
            return error(
                "lazy from __future__ import is not allowed".to_owned(),
                ruff_text_size::TextRange::new(start, start + ruff_text_size::TextSize::from(4)),
            );
        }
    }
    let docstring =
        matches!(module.body.first(), Some(ast::Stmt::Expr(e)) if e.value.is_string_literal_expr());
    for stmt in &module.body[usize::from(docstring)..] {
        let ast::Stmt::ImportFrom(import) = stmt else {
            break;
        };
        if !is_future(import) {
            break;
        }
        for alias in &import.names {
            let msg = match alias.name.as_str() {
                "braces" => "not a chance".to_owned(),
                feature if FUTURE_FEATURES.contains(&feature) => continue,
                feature => format!("future feature {feature} is not defined"),
            };
            return error(msg, alias.range);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_index_counts_lines_and_columns() {
        let source = "ab\r\nçd\re\n";
        let index = LineIndex::new(source);
        assert_eq!(index.line_count(), 4);
        let loc = index.location(source, TextSize::new(6)); // 'd' after 'ç' (2 bytes)
        assert_eq!(
            loc,
            SourceLocation {
                line: 2,
                column: 2,
                char_column: 1
            }
        );
        assert_eq!(index.location(source, TextSize::new(8)).line, 3);
        assert_eq!(index.line_text(source, 2), "çd\r");
        assert_eq!(index.line_text(source, 4), "");
    }

    #[test]
    fn parses_valid_source() {
        let (module, _) = parse_module("def f[T](x: T) -> T:\n    return x\n", "<test>").unwrap();
        assert_eq!(module.body.len(), 1);
        assert!(parse_expression("a if b else c", "<test>").is_ok());
    }
}
