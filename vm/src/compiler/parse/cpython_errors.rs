//! Chooses and words the one `SyntaxError` CPython 3.15 would raise for a source, from what the
//! ruff parser reported (it recovers, so it reports every error it meets, in its own words).
//!
//! CPython's choice follows from how its tokenizer and PEG parser cooperate
//! (`Parser/pegen_errors.c`):
//! * The tokenizer fails first wherever its error comes before the parser's: bracket mismatches,
//!   unterminated strings, inconsistent indentation, digits glued to names. When the parser
//!   fails first, CPython still tokenizes the rest of the file and a tokenizer error found there
//!   replaces the parser's, except after "unexpected indent" (raised on a path that returns
//!   early) and except the indentation and line-continuation errors, which the tokenizer only
//!   flags for the parser to raise.
//! * A bracket still open at end of file is reported as "'(' was never closed" at the bracket
//!   when the parser read past the bracket's line before failing (or met the end of file).
//! * Parser errors come from the grammar's `invalid_*` rules (specific messages) or are a
//!   generic "invalid syntax" at the token where parsing stopped.
//!
//! The scans over the token stream below re-implement the tokenizer checks the ruff lexer does
//! not make the way CPython does; the rest maps ruff's `ParseErrorType`s to CPython's messages,
//! looking at the recovered AST where the message names an expression ("cannot assign to
//! function call"). One trap: after an error inside brackets, ruff's parser re-lexes the rest
//! as if the brackets were closed (line breaks become statement ends), so the scans count
//! brackets themselves and ignore what ruff's lexer says about the lines in between.
//! `vm/tests/syntax_errors.rs` holds the cases checked against CPython 3.15 and the known
//! differences.

use super::{LineIndex, SyntaxErrorInfo, SyntaxErrorKind};
use ruff_python_ast::token::{Token, TokenKind};
use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{self as ast, Expr, Mod, Stmt};
use ruff_python_parser::{
    InterpolatedStringErrorType, LexicalErrorType, ParseError, ParseErrorType, Parsed,
    UnsupportedSyntaxErrorKind,
};
use ruff_text_size::{Ranged, TextRange, TextSize};

/// CPython's tokenizer expands tabs to multiples of 8 for the indentation it compares, and to
/// multiples of 1 for the "alternate" indentation that detects inconsistent tabs and spaces.
const TAB_SIZE: usize = 8;
/// CPython's tokenizer limits (`MAXLEVEL`, `MAXINDENT` in `Parser/lexer/state.h`).
const MAX_BRACKET_DEPTH: usize = 200;
const MAX_INDENT_LEVELS: usize = 100;

/// An error as CPython will report it, before positions are turned into lines and columns.
#[derive(Debug, Clone)]
struct Found {
    kind: SyntaxErrorKind,
    msg: String,
    range: TextRange,
    /// CPython's 1-based `offset` when it is not `range.start()`'s character column + 1.
    offset: Option<usize>,
    /// Tokenizer errors carry the line without its terminator as `text`; parser errors with it.
    from_tokenizer: bool,
    /// "unexpected indent" is raised on a path that skips the scan for later tokenizer errors.
    skips_tokenizer_rescan: bool,
    /// A tokenizer error that only stops the parser, raising nothing itself (bad indentation,
    /// line continuation): met after a parser error, it does not replace it.
    silent_after_parser_error: bool,
    /// The furthest token the parser read before failing, when it is past `range.start()`
    /// (the "forgot a comma" rule reads the token after its second expression).
    reach: Option<TextSize>,
    /// The parser failed on reaching the end of file (inside an open bracket).
    at_eof: bool,
}

impl Found {
    fn parser(msg: impl Into<String>, range: TextRange) -> Self {
        Found {
            kind: SyntaxErrorKind::SyntaxError,
            msg: msg.into(),
            range,
            offset: None,
            from_tokenizer: false,
            skips_tokenizer_rescan: false,
            silent_after_parser_error: false,
            reach: None,
            at_eof: false,
        }
    }

    fn tokenizer(msg: impl Into<String>, range: TextRange) -> Self {
        Found {
            from_tokenizer: true,
            ..Found::parser(msg, range)
        }
    }

    fn kind(mut self, kind: SyntaxErrorKind) -> Self {
        self.kind = kind;
        // The tokenizer's indentation errors are flags the parser turns into exceptions.
        self.silent_after_parser_error =
            self.from_tokenizer && kind != SyntaxErrorKind::SyntaxError;
        self
    }

    fn at_offset(mut self, offset: usize) -> Self {
        self.offset = Some(offset);
        self
    }
}

/// The error CPython would raise for `parsed`, or `None` when CPython accepts the source.
pub(super) fn translate(
    source: &str,
    filename: &str,
    parsed: &Parsed<Mod>,
) -> Option<SyntaxErrorInfo> {
    let ctx = Context::new(source, parsed);
    let scan = ctx.scan_tokens();
    let tokenizer_error = scan.first_error(&ctx, parsed.errors());
    let parser_error = ctx.first_parser_error(parsed, &scan);

    let chosen = match (tokenizer_error, parser_error) {
        (Some((order, tok)), Some((p_order, _))) if order <= p_order => tok,
        (Some(_), Some((_, par))) if par.skips_tokenizer_rescan => par,
        (Some((_, tok)), Some((_, par))) if tok.silent_after_parser_error => par,
        // CPython keeps an error from an f-string's expression over a tokenizer error met
        // later in the same f-string (`tok_mode_stack_index > 0`).
        (Some((order, _)), Some((_, par))) if ctx.interpolation_at(order).is_some() => par,
        (Some((_, tok)), _) => tok,
        // A bracket left open wins when the parser read past the bracket's line before failing
        // (`_PyPegen_tokenize_full_source_to_check_for_errors`), or met the end of file.
        (None, Some((p_order, par))) => match scan.unclosed {
            Some(bracket)
                if par.at_eof
                    || ctx.line_of(par.reach.unwrap_or(p_order)) > ctx.line_of(bracket.start()) =>
            {
                never_closed(&ctx, bracket)
            }
            _ => par,
        },
        (None, None) => never_closed(&ctx, scan.unclosed?),
    };
    Some(ctx.finish(chosen, filename))
}

fn never_closed(ctx: &Context, bracket: TextRange) -> Found {
    Found::tokenizer(
        format!("'{}' was never closed", &ctx.source[bracket]),
        bracket,
    )
}

/// The name CPython's parser gives an expression in its messages (`_PyPegen_get_expr_name`).
fn expr_name(expr: &Expr) -> &'static str {
    match expr {
        Expr::Attribute(_) => "attribute",
        Expr::Subscript(_) => "subscript",
        Expr::Starred(_) => "starred",
        Expr::Name(_) => "name",
        Expr::List(_) => "list",
        Expr::Tuple(_) => "tuple",
        Expr::Lambda(_) => "lambda",
        Expr::Call(_) => "function call",
        Expr::BoolOp(_) | Expr::BinOp(_) | Expr::UnaryOp(_) => "expression",
        Expr::Generator(_) => "generator expression",
        Expr::Yield(_) | Expr::YieldFrom(_) => "yield expression",
        Expr::Await(_) => "await expression",
        Expr::ListComp(_) => "list comprehension",
        Expr::SetComp(_) => "set comprehension",
        Expr::DictComp(_) => "dict comprehension",
        Expr::Dict(_) => "dict literal",
        Expr::Set(_) => "set display",
        Expr::FString(_) => "f-string expression",
        Expr::TString(_) => "t-string expression",
        Expr::NoneLiteral(_) => "None",
        Expr::BooleanLiteral(b) if b.value => "True",
        Expr::BooleanLiteral(_) => "False",
        Expr::EllipsisLiteral(_) => "ellipsis",
        Expr::StringLiteral(_) | Expr::BytesLiteral(_) | Expr::NumberLiteral(_) => "literal",
        Expr::Compare(_) => "comparison",
        Expr::If(_) => "conditional expression",
        Expr::Named(_) => "named expression",
        Expr::Slice(_) | Expr::IpyEscapeCommand(_) => "expression",
    }
}

/// Tokens that can begin an expression (CPython's "Perhaps you forgot a comma?" needs one).
fn starts_expression(kind: TokenKind) -> bool {
    use TokenKind::*;
    matches!(
        kind,
        Name | Int
            | Float
            | Complex
            | String
            | FStringStart
            | TStringStart
            | Lpar
            | Lsqb
            | Lbrace
            | Minus
            | Plus
            | Tilde
            | Not
            | Await
            | Lambda
            | None
            | True
            | False
            | Ellipsis
            | Case
            | Match
            | Type
            | Lazy
    )
}

fn is_trivia(kind: TokenKind) -> bool {
    matches!(
        kind,
        TokenKind::Comment | TokenKind::NonLogicalNewline | TokenKind::Indent | TokenKind::Dedent
    )
}

/// What the token scans found: tokenizer errors (each with the offset of the token where
/// CPython's tokenizer fails, to order it against parser errors) and the innermost bracket
/// still open at end of file.
struct TokenScan {
    errors: Vec<(TextSize, Found)>,
    unclosed: Option<TextRange>,
    /// Bracket nesting before each token (CPython's `tok->level`).
    depth: Vec<u32>,
}

impl TokenScan {
    /// The first tokenizer error, from the scans or from ruff's lexer.
    fn first_error(&self, ctx: &Context, errors: &[ParseError]) -> Option<(TextSize, Found)> {
        let mut all: Vec<(TextSize, Found)> = self.errors.clone();
        for error in errors {
            if let Some(found) = ctx.lexical_error(error) {
                all.push((error.location.start(), found));
            }
        }
        all.into_iter().min_by_key(|(order, _)| *order)
    }
}

struct Context<'a> {
    source: &'a str,
    index: LineIndex,
    tokens: &'a [Token],
    /// The recovered AST's nodes, in source order (a statement before its children).
    nodes: Nodes<'a>,
    /// Ranges of f-strings and t-strings (start token to end token), with their kind's name.
    interpolated: Vec<(TextRange, &'static str)>,
}

impl<'a> Context<'a> {
    fn new(source: &'a str, parsed: &'a Parsed<Mod>) -> Self {
        let tokens: &[Token] = parsed.tokens();
        let mut interpolated = Vec::new();
        let mut open: Vec<(TextSize, &'static str)> = Vec::new();
        for token in tokens {
            match token.kind() {
                TokenKind::FStringStart => open.push((token.start(), "f-string")),
                TokenKind::TStringStart => open.push((token.start(), "t-string")),
                TokenKind::FStringEnd | TokenKind::TStringEnd => {
                    if let Some((start, kind)) = open.pop() {
                        interpolated.push((TextRange::new(start, token.end()), kind));
                    }
                }
                _ => {}
            }
        }
        for (start, kind) in open {
            interpolated.push((TextRange::new(start, TextSize::of(source)), kind));
        }
        let mut nodes = Nodes::default();
        match parsed.syntax() {
            Mod::Module(module) => nodes.visit_body(&module.body),
            Mod::Expression(expression) => nodes.visit_expr(&expression.body),
        }
        Context {
            source,
            index: LineIndex::new(source),
            tokens,
            nodes,
            interpolated,
        }
    }

    fn finish(&self, found: Found, filename: &str) -> SyntaxErrorInfo {
        let start = self.index.location(self.source, found.range.start());
        let end = self.index.location(self.source, found.range.end());
        let mut text = self.index.line_text(self.source, start.line);
        if found.from_tokenizer {
            text = text.trim_end_matches(['\n', '\r']);
        }
        SyntaxErrorInfo {
            msg: found.msg,
            filename: filename.to_owned(),
            lineno: start.line,
            offset: found.offset.unwrap_or(start.char_column + 1),
            end_lineno: end.line,
            end_offset: end.char_column + 1,
            text: text.to_owned(),
            kind: found.kind,
        }
    }

    fn line_of(&self, offset: TextSize) -> usize {
        self.index.line_of(offset)
    }

    fn char_column(&self, offset: TextSize) -> usize {
        self.index.location(self.source, offset).char_column
    }

    /// The f-string or t-string `offset` is inside, if any ("f-string" or "t-string").
    fn interpolation_at(&self, offset: TextSize) -> Option<&'static str> {
        self.interpolated
            .iter()
            .filter(|(range, _)| range.start() < offset && offset < range.end())
            .max_by_key(|(range, _)| range.start())
            .map(|(_, kind)| *kind)
    }

    /// The first token at or after `offset` that is not trivia or a line break.
    fn next_significant_token(&self, offset: TextSize) -> Option<&Token> {
        self.tokens[self.token_index_at(offset)..].iter().find(|t| {
            !is_trivia(t.kind())
                && !matches!(t.kind(), TokenKind::Newline | TokenKind::NonLogicalNewline)
        })
    }

    /// Index of the first token starting at or after `offset`.
    fn token_index_at(&self, offset: TextSize) -> usize {
        self.tokens.partition_point(|t| t.start() < offset)
    }

    fn token_at(&self, offset: TextSize) -> Option<&Token> {
        self.tokens.get(self.token_index_at(offset))
    }

    /// The last significant token ending at or before `offset`.
    fn token_before(&self, offset: TextSize) -> Option<&Token> {
        self.tokens[..self.token_index_at(offset)]
            .iter()
            .rev()
            .find(|t| !is_trivia(t.kind()) && t.end() <= offset)
    }

    /// The first token of the logical line that contains `offset` (after an `async`).
    fn line_header(&self, offset: TextSize) -> Option<&Token> {
        let before = &self.tokens[..self.token_index_at(offset)];
        let line_start = before
            .iter()
            .rposition(|t| t.kind() == TokenKind::Newline)
            .map_or(0, |i| i + 1);
        self.tokens[line_start..]
            .iter()
            .filter(|t| !is_trivia(t.kind()))
            .find(|t| t.kind() != TokenKind::Async)
    }

    fn expr_with_range(&self, range: TextRange) -> Option<&'a Expr> {
        self.nodes
            .exprs
            .iter()
            .rev()
            .copied()
            .find(|e| e.range() == range)
    }

    fn expressions(&self) -> impl Iterator<Item = &'a Expr> + '_ {
        self.nodes.exprs.iter().copied()
    }

    /// The widest expression that ends at `end` and starts at or after `not_before`, skipping
    /// the kinds CPython's `disjunction` cannot be (the left operand of "forgot a comma").
    fn widest_expr_ending_at(&self, end: TextSize, not_before: TextSize) -> Option<&'a Expr> {
        self.expressions()
            .filter(|e| e.end() == end && e.start() >= not_before)
            .filter(|e| {
                !matches!(
                    e,
                    Expr::Lambda(_) | Expr::If(_) | Expr::Named(_) | Expr::Starred(_)
                )
            })
            .min_by_key(|e| e.start())
    }

    /// The innermost statement whose range contains `offset`.
    fn statement_at(&self, offset: TextSize) -> Option<&'a Stmt> {
        self.nodes
            .stmts
            .iter()
            .rev()
            .copied()
            .find(|s| s.range().contains_inclusive(offset))
    }

    /// The end of the innermost bracket open before `offset` (start of file if none).
    fn open_bracket_end(&self, scan: &TokenScan, offset: TextSize) -> TextSize {
        let index = self.token_index_at(offset);
        let depth = scan.depth.get(index).copied().unwrap_or(0);
        if depth == 0 {
            return TextSize::new(0);
        }
        self.tokens[..index]
            .iter()
            .enumerate()
            .rev()
            .find(|(i, t)| {
                matches!(
                    t.kind(),
                    TokenKind::Lpar | TokenKind::Lsqb | TokenKind::Lbrace
                ) && scan.depth[*i] == depth - 1
            })
            .map_or(TextSize::new(0), |(_, t)| t.end())
    }

    // ---- Tokenizer checks --------------------------------------------------------------------

    fn scan_tokens(&self) -> TokenScan {
        let mut scan = TokenScan {
            errors: Vec::new(),
            unclosed: None,
            depth: Vec::new(),
        };
        self.scan_brackets(&mut scan);
        self.scan_indentation(&mut scan);
        self.scan_numbers(&mut scan);
        scan
    }

    /// Bracket matching as CPython's tokenizer does it (`tok->parenstack`).
    fn scan_brackets(&self, scan: &mut TokenScan) {
        let mut stack: Vec<TextRange> = Vec::new();
        // Brackets opened inside an f-string's replacement field close with it; an f-string
        // left open is reported by the lexer, not as a bracket error.
        let mut string_floors: Vec<usize> = Vec::new();
        for token in self.tokens {
            scan.depth.push(stack.len() as u32);
            match token.kind() {
                TokenKind::Lpar | TokenKind::Lsqb | TokenKind::Lbrace => {
                    // CPython's tokenizer keeps at most 200 open brackets (`MAXLEVEL`).
                    if stack.len() >= MAX_BRACKET_DEPTH {
                        let found = Found::tokenizer("too many nested parentheses", token.range());
                        scan.errors.push((token.start(), found));
                        return;
                    }
                    stack.push(token.range());
                }
                TokenKind::Rpar | TokenKind::Rsqb | TokenKind::Rbrace => {
                    let floor = string_floors.last().copied().unwrap_or(0);
                    let closer = &self.source[token.range()];
                    if stack.len() <= floor {
                        if string_floors.is_empty() {
                            let found =
                                Found::tokenizer(format!("unmatched '{closer}'"), token.range());
                            scan.errors.push((token.start(), found));
                            return;
                        }
                        continue;
                    }
                    let opener = stack.pop().expect("stack is above its floor");
                    let open_text = &self.source[opener];
                    let matches =
                        matches!((open_text, closer), ("(", ")") | ("[", "]") | ("{", "}"));
                    if !matches {
                        let open_line = self.line_of(opener.start());
                        let mut msg = format!(
                            "closing parenthesis '{closer}' does not match opening parenthesis '{open_text}'"
                        );
                        if open_line != self.line_of(token.start()) {
                            msg.push_str(&format!(" on line {open_line}"));
                        }
                        scan.errors
                            .push((token.start(), Found::tokenizer(msg, token.range())));
                        return;
                    }
                }
                TokenKind::FStringStart | TokenKind::TStringStart => {
                    string_floors.push(stack.len())
                }
                TokenKind::FStringEnd | TokenKind::TStringEnd => {
                    if let Some(floor) = string_floors.pop() {
                        stack.truncate(floor);
                    }
                }
                _ => {}
            }
        }
        if string_floors.is_empty() {
            scan.unclosed = stack.last().copied();
        }
    }

    /// Indentation as CPython's tokenizer checks it at the start of each logical line: the
    /// column with tabs to multiples of 8 must agree with the column with tabs counted as 1
    /// (else `TabError`), and a dedent must return to an enclosing level.
    fn scan_indentation(&self, scan: &mut TokenScan) {
        let mut levels: Vec<(usize, usize)> = vec![(0, 0)];
        let mut at_line_start = true;
        for (index, token) in self.tokens.iter().enumerate() {
            // After an error inside brackets, ruff's parser re-lexes as if they were closed;
            // CPython's tokenizer still counts them and checks no indentation there.
            if scan.depth.get(index).is_some_and(|&d| d > 0) {
                at_line_start = false;
                continue;
            }
            match token.kind() {
                kind if is_trivia(kind) => continue,
                TokenKind::Newline => {
                    at_line_start = true;
                    continue;
                }
                TokenKind::EndOfFile => break,
                _ if !at_line_start => continue,
                _ => at_line_start = false,
            }
            let line = self.line_of(token.start());
            let line_start = self.index.line_start(line);
            // From the source, not the token: ruff's lexer turns some indentation it rejects
            // into an `Unknown` token.
            let indent = self.index.line_text(self.source, line);
            // A backslash in the indentation is the tokenizer's line-continuation error (or
            // a continued indentation, which the lexer has already folded), not an indent.
            if indent
                .trim_start_matches([' ', '\t', '\x0c'])
                .starts_with('\\')
            {
                continue;
            }
            let (mut col, mut altcol) = (0, 0);
            for c in indent.chars() {
                match c {
                    ' ' => {
                        col += 1;
                        altcol += 1;
                    }
                    '\t' => {
                        col = (col / TAB_SIZE + 1) * TAB_SIZE;
                        altcol += 1;
                    }
                    '\x0c' => (col, altcol) = (0, 0),
                    _ => break,
                }
            }
            let line_range = TextRange::empty(line_start);
            let tab_error = || {
                Found::tokenizer(
                    "inconsistent use of tabs and spaces in indentation",
                    line_range,
                )
                .kind(SyntaxErrorKind::TabError)
                .at_offset(1)
            };
            let (top, alttop) = *levels.last().expect("the base level is never popped");
            if col == top {
                if altcol != alttop {
                    scan.errors.push((line_start, tab_error()));
                    return;
                }
            } else if col > top {
                if altcol <= alttop {
                    scan.errors.push((line_start, tab_error()));
                    return;
                }
                // CPython's tokenizer keeps at most 100 indentation levels (`MAXINDENT`).
                if levels.len() >= MAX_INDENT_LEVELS {
                    let found = Found::tokenizer("too many levels of indentation", line_range)
                        .kind(SyntaxErrorKind::IndentationError)
                        .at_offset(1);
                    scan.errors.push((line_start, found));
                    return;
                }
                levels.push((col, altcol));
            } else {
                while levels.len() > 1 && col < levels.last().expect("non-empty").0 {
                    levels.pop();
                }
                let (top, alttop) = *levels.last().expect("the base level is never popped");
                if col != top {
                    let found = self.unindent_mismatch(line);
                    scan.errors.push((line_start, found));
                    return;
                }
                if altcol != alttop {
                    scan.errors.push((line_start, tab_error()));
                    return;
                }
            }
        }
    }

    /// CPython reports a dedent to an unknown level with the offset just past the line's end
    /// (the tokenizer has read the whole line).
    fn unindent_mismatch(&self, line: usize) -> Found {
        let line_start = self.index.line_start(line);
        let text = self.index.line_text(self.source, line);
        let body = text.trim_end_matches(['\n', '\r']);
        let offset = body.chars().count() + 1;
        let range = TextRange::at(line_start, TextSize::of(body));
        Found::tokenizer("unindent does not match any outer indentation level", range)
            .kind(SyntaxErrorKind::IndentationError)
            .at_offset(offset)
    }

    /// Number literals as CPython's tokenizer checks them: leading zeros, digits of the wrong
    /// base, and a literal running straight into a name (`1a`, `0x1g`, `1_`).
    fn scan_numbers(&self, scan: &mut TokenScan) {
        for token in self.tokens {
            if !matches!(
                token.kind(),
                TokenKind::Int | TokenKind::Float | TokenKind::Complex
            ) {
                continue;
            }
            if let Some(found) = self.check_number(token.range(), token.kind()) {
                scan.errors.push((token.start(), found));
                return;
            }
        }
    }

    fn check_number(&self, range: TextRange, kind: TokenKind) -> Option<Found> {
        let text = &self.source[range];
        let lower = text.to_ascii_lowercase();
        let base = match lower.get(..2) {
            Some("0x") => "hexadecimal",
            Some("0o") => "octal",
            Some("0b") => "binary",
            _ if kind == TokenKind::Complex => "imaginary",
            _ => "decimal",
        };
        if kind == TokenKind::Int
            && base == "decimal"
            && text.len() > 1
            && text.starts_with('0')
            && text.bytes().any(|b| matches!(b, b'1'..=b'9'))
        {
            return Some(Found::tokenizer(
                "leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers",
                range,
            ));
        }
        let rest = &self.source[range.end().to_usize()..];
        let next = rest.chars().next()?;
        let next_at = TextRange::at(range.end(), TextSize::of(next));
        if lower.len() == 2 && base != "decimal" && base != "imaginary" {
            // "0x", "0o", "0b" with no digit: a digit of another base, or none at all.
            if next.is_ascii_digit() {
                let found =
                    Found::tokenizer(format!("invalid digit '{next}' in {base} literal"), next_at);
                return Some(found);
            }
            let found = Found::tokenizer(format!("invalid {base} literal"), next_at);
            return Some(found.at_offset(self.char_column(range.end())));
        }
        if next.is_ascii_digit() && base != "decimal" && base != "imaginary" {
            let found =
                Found::tokenizer(format!("invalid digit '{next}' in {base} literal"), next_at);
            return Some(found);
        }
        if next == '_' {
            // `1_` then a non-digit: CPython points just past the underscore.
            let found = Found::tokenizer(format!("invalid {base} literal"), next_at);
            return Some(found.at_offset(self.char_column(range.end()) + 1));
        }
        let is_identifier_char = next.is_ascii_alphanumeric();
        // A keyword right after a number (`1if x else y`) is only a SyntaxWarning in CPython.
        let keyword_follows = ["and", "else", "for", "if", "in", "is", "or", "not"]
            .iter()
            .any(|kw| {
                rest.starts_with(kw)
                    && (matches!(*kw, "if" | "in" | "is")
                        || !rest[kw.len()..].starts_with(|c: char| c.is_alphanumeric() || c == '_'))
            });
        if is_identifier_char && !keyword_follows {
            let found = Found::tokenizer(format!("invalid {base} literal"), next_at);
            return Some(found.at_offset(self.char_column(range.end())));
        }
        None
    }

    /// A lexer error from ruff as CPython's tokenizer reports it; `None` for those the token
    /// scans re-derive, and for those CPython raises in its parser (mapped as parser errors).
    fn lexical_error(&self, error: &ParseError) -> Option<Found> {
        let range = error.location;
        let found = match &error.error {
            ParseErrorType::Lexical(lexical) => match lexical {
                LexicalErrorType::UnclosedStringError => self.unterminated_string(range, "", false),
                LexicalErrorType::FStringError(e) | LexicalErrorType::TStringError(e) => {
                    let kind = if matches!(lexical, LexicalErrorType::FStringError(_)) {
                        "f"
                    } else {
                        "t"
                    };
                    match e {
                        InterpolatedStringErrorType::UnterminatedString => {
                            self.unterminated_string(range, kind, false)
                        }
                        InterpolatedStringErrorType::UnterminatedTripleQuotedString => {
                            self.unterminated_string(range, kind, true)
                        }
                        _ => {
                            return self.interpolation_error(kind, e, range).map(|f| Found {
                                from_tokenizer: true,
                                ..f
                            });
                        }
                    }
                }
                // The indentation scan is CPython's; ruff's lexer also reports dedents it
                // meets after re-lexing a recovered bracket, where CPython's checks none.
                LexicalErrorType::IndentationError => return None,
                LexicalErrorType::UnrecognizedToken { tok } if !tok.is_ascii() => {
                    let msg = if is_printable(*tok) {
                        format!("invalid character '{tok}' (U+{:04X})", *tok as u32)
                    } else {
                        format!("invalid non-printable character U+{:04X}", *tok as u32)
                    };
                    Found::tokenizer(msg, range)
                }
                LexicalErrorType::LineContinuationError => Found {
                    silent_after_parser_error: true,
                    ..Found::tokenizer(
                        "unexpected character after line continuation character",
                        TextRange::at(range.start() + TextSize::new(1), TextSize::new(0)),
                    )
                },
                LexicalErrorType::OtherError(_) => {
                    // ruff's number errors ("0777", "0x"): re-checked with CPython's wording.
                    let text = &self.source[range];
                    if text.starts_with(|c: char| c.is_ascii_digit()) {
                        let kind = TokenKind::Int;
                        return self.check_number(range, kind);
                    }
                    return None;
                }
                _ => return None,
            },
            _ => return None,
        };
        Some(found)
    }

    /// "unterminated [triple-quoted ][f-]string literal (detected at line N)", at the opening
    /// quote's token (prefix included).
    fn unterminated_string(&self, range: TextRange, kind: &str, triple: bool) -> Found {
        let start = if kind.is_empty() {
            // ruff's range starts at the string's prefix, if any, else at its quote.
            range.start()
        } else {
            // For f- and t-strings it covers the text after the opening quote.
            self.tokens
                .iter()
                .rev()
                .find(|t| {
                    matches!(t.kind(), TokenKind::FStringStart | TokenKind::TStringStart)
                        && t.start() <= range.start()
                })
                .map_or(range.start(), |t| t.start())
        };
        let token = self.token_at(start).filter(|t| t.start() == start);
        let opening = &self.source[start.to_usize()..];
        let quote_at = opening.find(['\'', '"']).unwrap_or(0);
        let triple = triple
            || opening[quote_at..].starts_with("'''")
            || opening[quote_at..].starts_with("\"\"\"");
        // The tokenizer gives up at end of file (or end of line): the line it had reached.
        let mut end = range.end();
        if let Some(token) = token {
            end = end.max(token.end());
        }
        let at_eof = end.to_usize() >= self.source.len();
        let mut detected = self.line_of(end);
        if at_eof && self.source.ends_with(['\n', '\r']) {
            detected -= 1;
        }
        let string = if kind.is_empty() {
            String::new()
        } else {
            format!("{kind}-")
        };
        let what = if triple { "triple-quoted " } else { "" };
        let msg =
            format!("unterminated {what}{string}string literal (detected at line {detected})");
        Found::tokenizer(msg, TextRange::empty(start))
    }

    // ---- Parser errors -----------------------------------------------------------------------

    /// The parser error CPython would report, with the offset where parsing failed.
    fn first_parser_error(
        &self,
        parsed: &Parsed<Mod>,
        scan: &TokenScan,
    ) -> Option<(TextSize, Found)> {
        let mut candidates: Vec<(TextSize, Found)> = Vec::new();
        for error in parsed.errors() {
            if let Some(found) = self.parser_error(error, scan) {
                // A bad target is only known at the `=` or `:` after it: errors inside the
                // target come first.
                let order = match &error.error {
                    ParseErrorType::InvalidAssignmentTarget
                    | ParseErrorType::InvalidAnnotatedAssignmentTarget
                    | ParseErrorType::InvalidAugmentedAssignmentTarget
                    | ParseErrorType::InvalidDeleteTarget => error.location.end(),
                    ParseErrorType::OtherError(msg) if msg.starts_with("Only single target") => {
                        error.location.end()
                    }
                    _ => error.location.start(),
                };
                // Where the error was moved on to a later token, the parser got that far.
                candidates.push((order.max(found.range.start()), found));
            }
        }
        for error in parsed.unsupported_syntax_errors() {
            let found = match error.kind {
                UnsupportedSyntaxErrorKind::ParenthesizedKeywordArgumentName => {
                    // The keyword's name is not an expression node: find its token.
                    let inner = self
                        .tokens
                        .iter()
                        .find(|t| {
                            t.kind() == TokenKind::Name && error.range.contains_range(t.range())
                        })
                        .map_or(error.range, |t| t.range());
                    Found::parser(
                        "expression cannot contain assignment, perhaps you meant \"==\"?",
                        inner,
                    )
                }
                _ => Found::parser("invalid syntax", error.range),
            };
            candidates.push((error.range.start(), found));
        }
        candidates.into_iter().min_by_key(|(order, _)| *order)
    }

    fn parser_error(&self, error: &ParseError, scan: &TokenScan) -> Option<Found> {
        let mut found = self.parser_error_at_token(error, scan)?;
        // `[a.b = 1]`: an `=` where the expression should go on.
        if found.msg == "invalid syntax"
            && found.offset.is_none()
            && self
                .token_at(found.range.start())
                .is_some_and(|t| t.kind() == TokenKind::Equal && t.start() == found.range.start())
            && let Some(better) = self.assignment_in_expression(found.range, scan)
        {
            found = better;
        }
        // `x not y`: `not` after an operand may begin `not in`, so CPython fails at the token
        // after it.
        let index = self.token_index_at(found.range.start());
        if found.msg == "invalid syntax"
            && found.offset.is_none()
            && self
                .tokens
                .get(index)
                .is_some_and(|t| t.kind() == TokenKind::Not && t.start() == found.range.start())
            && self.token_before(found.range.start()).is_some_and(|t| {
                matches!(
                    t.kind(),
                    TokenKind::Name
                        | TokenKind::Int
                        | TokenKind::Float
                        | TokenKind::String
                        | TokenKind::Rpar
                        | TokenKind::Rsqb
                        | TokenKind::Rbrace
                        | TokenKind::None
                        | TokenKind::True
                        | TokenKind::False
                )
            })
            && let Some(next) = self.next_significant_token(self.tokens[index].end())
            && next.kind() != TokenKind::In
        {
            found.range = next.range();
        }
        // Failing at an opening bracket, CPython's error rules parse the display on to its
        // closing bracket (to the end of file if there is none).
        let index = self.token_index_at(found.range.start());
        if let Some(token) = self.tokens.get(index)
            && matches!(
                token.kind(),
                TokenKind::Lpar | TokenKind::Lsqb | TokenKind::Lbrace
            )
            && token.start() == found.range.start()
            && found.reach.is_none()
        {
            let depth = scan.depth.get(index).copied();
            let closer = self.tokens[index + 1..].iter().enumerate().find(|(i, t)| {
                matches!(
                    t.kind(),
                    TokenKind::Rpar | TokenKind::Rsqb | TokenKind::Rbrace
                ) && scan.depth.get(index + 1 + i).copied() == depth.map(|d| d + 1)
            });
            found.reach = Some(closer.map_or(TextSize::of(self.source), |(_, t)| t.start()));
        }
        // Inside brackets CPython's tokenizer emits no NEWLINE: where ruff (having re-lexed
        // after recovering) stops at a line break, CPython's parser reads on to the next token.
        let index = self.token_index_at(found.range.start());
        if let Some(token) = self.tokens.get(index)
            && matches!(
                token.kind(),
                TokenKind::Newline | TokenKind::NonLogicalNewline
            )
            && scan.depth.get(index).is_some_and(|&d| d > 0)
            && found.reach.is_none()
            && let Some(next) = self.next_significant_token(token.start())
        {
            found.reach = Some(next.start());
            if found.offset.is_none() && found.msg == "invalid syntax" {
                found.range = next.range();
            }
        }
        // CPython's NEWLINE token starts at the comment before it, if there is one.
        let index = self.token_index_at(found.range.start());
        if self
            .tokens
            .get(index)
            .is_some_and(|t| t.kind() == TokenKind::Newline && t.start() == found.range.start())
            && let Some(comment) = index.checked_sub(1).map(|i| &self.tokens[i])
            && comment.kind() == TokenKind::Comment
            && self.line_of(comment.start()) == self.line_of(found.range.start())
            && found.offset.is_none()
        {
            found.range = TextRange::new(comment.start(), found.range.end().max(comment.start()));
        }
        Some(found)
    }

    fn parser_error_at_token(&self, error: &ParseError, scan: &TokenScan) -> Option<Found> {
        let range = error.location;
        let invalid = || Found::parser("invalid syntax", range);
        let found = match &error.error {
            // Handled as tokenizer errors (or re-derived by the token scans).
            ParseErrorType::Lexical(lexical) => match lexical {
                LexicalErrorType::UnrecognizedToken { tok } if tok.is_ascii() => invalid(),
                LexicalErrorType::InvalidByteLiteral => {
                    let start = self.string_token_start(range.start());
                    Found::parser(
                        "bytes can only contain ASCII literal characters",
                        TextRange::empty(start),
                    )
                }
                LexicalErrorType::UnicodeError
                | LexicalErrorType::MissingUnicodeLbrace
                | LexicalErrorType::MissingUnicodeRbrace => {
                    let start = self.string_token_start(range.start());
                    let detail = self.unicode_escape_error(start, range.start());
                    let msg = match detail {
                        Some(detail) => format!("(unicode error) 'unicodeescape' codec {detail}"),
                        None => {
                            "(unicode error) 'unicodeescape' codec can't decode bytes".to_owned()
                        }
                    };
                    Found::parser(msg, TextRange::empty(start))
                }
                LexicalErrorType::Eof => Found {
                    at_eof: true,
                    ..Found::parser("unexpected EOF while parsing", range)
                },
                _ => return None,
            },
            ParseErrorType::ExpectedToken { expected, found } => {
                self.expected_token(*expected, *found, range, scan)
            }
            ParseErrorType::ExpectedExpression => self.expected_expression(range),
            ParseErrorType::SimpleStatementsOnSameLine => {
                self.legacy_print(range).unwrap_or_else(invalid)
            }
            // Inside brackets (ruff re-lexed them as closed) there is no indentation for
            // CPython: it fails on the token itself.
            ParseErrorType::UnexpectedIndentation
                if scan
                    .depth
                    .get(self.token_index_at(range.end()))
                    .is_some_and(|&d| d > 0) =>
            {
                let next = self
                    .next_significant_token(range.end())
                    .map_or(range, Token::range);
                Found::parser("invalid syntax", next)
            }
            ParseErrorType::UnexpectedIndentation => {
                let offset = self.char_column(range.end());
                let mut found = Found::parser("unexpected indent", range)
                    .kind(SyntaxErrorKind::IndentationError)
                    .at_offset(offset);
                found.skips_tokenizer_rescan = true;
                found
            }
            // CPython 3.15 accepts `case +1:` (the parser crate predates that).
            ParseErrorType::OtherError(msg)
                if msg == "Unary '+' is not allowed as a literal pattern" =>
            {
                return None;
            }
            // CPython 3.15 accepts `case +1:` (the parser crate predates that).
            ParseErrorType::OtherError(msg)
                if msg == "Unary '+' is not allowed as a literal pattern" =>
            {
                return None;
            }
            // `f(a.b=1)`: CPython's `invalid_kwarg` rule.
            ParseErrorType::OtherError(msg) if msg == "Expected a parameter name" => {
                let equal = self.token_at(range.end()).map_or(range, Token::range);
                Found::parser(
                    "expression cannot contain assignment, perhaps you meant \"==\"?",
                    TextRange::new(range.start(), equal.end()),
                )
            }
            ParseErrorType::OtherError(msg) => self.other_error(msg, range),
            ParseErrorType::InvalidAssignmentTarget => self.invalid_assignment(range, scan),
            ParseErrorType::InvalidDeleteTarget => match self.expr_with_range(range) {
                Some(expr) => Found::parser(format!("cannot delete {}", expr_name(expr)), range),
                None => invalid(),
            },
            ParseErrorType::InvalidAugmentedAssignmentTarget => match self.expr_with_range(range) {
                Some(expr) => Found::parser(
                    format!(
                        "'{}' is an illegal expression for augmented assignment",
                        expr_name(expr)
                    ),
                    range,
                ),
                None => invalid(),
            },
            ParseErrorType::InvalidNamedAssignmentTarget => match self.expr_with_range(range) {
                Some(expr) => Found::parser(
                    format!("cannot use assignment expressions with {}", expr_name(expr)),
                    range,
                ),
                None => invalid(),
            },
            ParseErrorType::InvalidAnnotatedAssignmentTarget => self
                .annotation_missing(range)
                .unwrap_or_else(|| Found::parser("illegal target for annotation", range)),
            // `f(a=1, b c=2)`: a missing comma, seen before the argument order.
            ParseErrorType::PositionalAfterKeywordArgument
            | ParseErrorType::PositionalAfterKeywordUnpacking
                if self
                    .next_significant_token(range.end())
                    .is_some_and(|t| starts_expression(t.kind())) =>
            {
                let next = TextRange::empty(
                    self.next_significant_token(range.end())
                        .map_or(range.end(), Token::start),
                );
                self.forgot_comma(next, scan).unwrap_or_else(invalid)
            }
            ParseErrorType::PositionalAfterKeywordArgument => Found::parser(
                "positional argument follows keyword argument",
                self.call_closer(range),
            ),
            ParseErrorType::PositionalAfterKeywordUnpacking => Found::parser(
                "positional argument follows keyword argument unpacking",
                self.call_closer(range),
            ),
            ParseErrorType::InvalidArgumentUnpackingOrder => {
                // CPython points just past the `**mapping` argument that comes first.
                let start = self
                    .keyword_unpacking_before(range.start())
                    .unwrap_or(range.start());
                Found::parser(
                    "iterable argument unpacking follows keyword argument unpacking",
                    TextRange::new(start, range.end()),
                )
            }
            ParseErrorType::InvalidStarredExpressionUsage => {
                Found::parser("cannot use starred expression here", range)
            }
            ParseErrorType::UnparenthesizedGeneratorExpression => {
                Found::parser("Generator expression must be parenthesized", range)
            }
            ParseErrorType::NonDefaultParamAfterDefaultParam => Found::parser(
                "parameter without a default follows parameter with a default",
                range,
            ),
            ParseErrorType::ExpectedKeywordParam => self.bare_star(range),
            ParseErrorType::ParamAfterVarKeywordParam => {
                Found::parser("parameters cannot follow var-keyword parameter", range)
            }
            ParseErrorType::VarParameterWithDefault => {
                let keyword = self
                    .tokens
                    .iter()
                    .rev()
                    .filter(|t| t.end() <= range.start())
                    .find(|t| matches!(t.kind(), TokenKind::Star | TokenKind::DoubleStar))
                    .is_some_and(|t| t.kind() == TokenKind::DoubleStar);
                let what = if keyword {
                    "var-keyword"
                } else {
                    "var-positional"
                };
                Found::parser(format!("{what} parameter cannot have default value"), range)
            }
            ParseErrorType::EmptyTypeParams => {
                let close = self
                    .tokens
                    .iter()
                    .find(|t| t.start() >= range.start() && t.kind() == TokenKind::Rsqb)
                    .map_or(range, |t| t.range());
                Found::parser("Type parameter list cannot be empty", close)
            }
            ParseErrorType::EmptyImportNames => {
                Found::parser("Expected one or more names after 'import'", range)
            }
            ParseErrorType::FStringError(e) => return self.interpolation_error("f", e, range),
            ParseErrorType::TStringError(e) => return self.interpolation_error("t", e, range),
            _ => invalid(),
        };
        Some(found)
    }

    /// "named parameters must follow bare *": at the `*` in a `def` (the grammar rule knows
    /// its location), at the last token read in a lambda (the rule raises without one).
    fn bare_star(&self, range: TextRange) -> Found {
        let index = self.token_index_at(range.start());
        let star_index = self.tokens[..=index.min(self.tokens.len() - 1)]
            .iter()
            .rposition(|t| t.kind() == TokenKind::Star)
            .unwrap_or(index);
        let in_lambda = self.tokens[..star_index]
            .iter()
            .rev()
            .find(|t| matches!(t.kind(), TokenKind::Lambda | TokenKind::Lpar))
            .is_some_and(|t| t.kind() == TokenKind::Lambda);
        let msg = "named parameters must follow bare *";
        if !in_lambda {
            return Found::parser(
                msg,
                self.tokens.get(star_index).map_or(range, |t| t.range()),
            );
        }
        // `lambda *: 1` stops at the `:`, `lambda *, **k: 1` at the `**`.
        let last_read = self.tokens[star_index + 1..]
            .iter()
            .find(|t| matches!(t.kind(), TokenKind::Colon | TokenKind::DoubleStar));
        Found::parser(msg, last_read.map_or(range, |t| t.range()))
    }

    /// The `unicodeescape` codec's complaint about the string literal at `start`, as CPython's
    /// parser feeds the literal to it (`decode_unicode_with_escapes`: each non-ASCII
    /// character becomes a 10-byte `\\U` escape first, which shifts the positions).
    /// `error_at` is where ruff found the bad escape (it has checked `\\N{...}` names).
    fn unicode_escape_error(&self, start: TextSize, error_at: TextSize) -> Option<String> {
        let token = self
            .token_at(start)
            .filter(|t| t.kind() == TokenKind::String)?;
        let text = &self.source[token.range()];
        let prefix_len = text.find(['\'', '"'])?;
        let quote =
            if text[prefix_len..].starts_with("'''") || text[prefix_len..].starts_with("\"\"\"") {
                3
            } else {
                1
            };
        if text[..prefix_len].contains(['r', 'R', 'b', 'B']) || text.len() < prefix_len + 2 * quote
        {
            return None;
        }
        let content_start = token.start().to_usize() + prefix_len + quote;
        let content = &self.source[content_start..token.end().to_usize() - quote];
        // The codec's input: byte offsets shifted by the \\U rewriting.
        let mut buffer_pos = Vec::with_capacity(content.len() + 1);
        let mut pos = 0usize;
        let chars: Vec<(usize, char)> = content.char_indices().collect();
        for &(_, c) in &chars {
            buffer_pos.push(pos);
            pos += if c.is_ascii() { 1 } else { 10 };
        }
        buffer_pos.push(pos);
        let hex = |c: char| c.is_ascii_hexdigit();
        let mut i = 0;
        while i < chars.len() {
            if chars[i].1 != '\\' {
                i += 1;
                continue;
            }
            let escape_start = i;
            let Some(&(_, kind)) = chars.get(i + 1) else {
                break;
            };
            let (count, what) = match kind {
                'x' => (2, "truncated \\xXX escape"),
                'u' => (4, "truncated \\uXXXX escape"),
                'U' => (8, "truncated \\UXXXXXXXX escape"),
                'N' => (0, "malformed \\N character escape"),
                _ => {
                    i += 2;
                    continue;
                }
            };
            let mut j = i + 2;
            let failed = if kind == 'N' {
                if chars.get(j).map(|c| c.1) != Some('{') {
                    Some(what)
                } else {
                    let name_start = j + 1;
                    while j < chars.len() && chars[j].1 != '}' {
                        j += 1;
                    }
                    if j >= chars.len() || j == name_start {
                        Some(what)
                    } else {
                        j += 1;
                        let escape_range = content_start + chars[escape_start].0
                            ..content_start + chars[j - 1].0 + 1;
                        escape_range
                            .contains(&error_at.to_usize())
                            .then_some("unknown Unicode character name")
                    }
                }
            } else {
                let mut digits = 0;
                while digits < count && j < chars.len() && hex(chars[j].1) {
                    j += 1;
                    digits += 1;
                }
                if digits < count {
                    Some(what)
                } else {
                    let value = u32::from_str_radix(
                        &content[chars[i + 2].0..chars.get(j).map_or(content.len(), |c| c.0)],
                        16,
                    )
                    .ok();
                    value
                        .is_none_or(|v| v > 0x10FFFF)
                        .then_some("illegal Unicode character")
                }
            };
            if let Some(reason) = failed {
                let (from, to) = (buffer_pos[escape_start], buffer_pos[j]);
                return Some(if to - from > 1 {
                    format!(
                        "can't decode bytes in position {}-{}: {reason}",
                        from,
                        to - 1
                    )
                } else {
                    format!("can't decode byte 0x5c in position {from}: {reason}")
                });
            }
            i = j;
        }
        None
    }

    fn string_token_start(&self, offset: TextSize) -> TextSize {
        self.tokens
            .iter()
            .rev()
            .find(|t| t.start() <= offset && offset < t.end().max(t.start() + TextSize::new(1)))
            .map_or(offset, |t| t.start())
    }

    /// The `)` of the call whose arguments contain `range` (CPython's location for the
    /// positional-after-keyword errors).
    fn call_closer(&self, range: TextRange) -> TextRange {
        let args = self
            .nodes
            .arguments
            .iter()
            .rev()
            .find(|a| a.range.contains_range(range));
        match args {
            Some(args) => TextRange::at(args.end() - TextSize::new(1), TextSize::new(1)),
            None => range,
        }
    }

    fn keyword_unpacking_before(&self, offset: TextSize) -> Option<TextSize> {
        self.nodes
            .keywords
            .iter()
            .filter(|k| k.arg.is_none() && k.range.end() <= offset)
            .map(|k| k.range.end())
            .max()
    }

    fn expected_token(
        &self,
        expected: TokenKind,
        found: TokenKind,
        range: TextRange,
        scan: &TokenScan,
    ) -> Found {
        let invalid = || Found::parser("invalid syntax", range);
        let depth = scan
            .depth
            .get(self.token_index_at(range.start()))
            .copied()
            .unwrap_or(0);
        match expected {
            TokenKind::Colon => {
                let header = self.line_header(range.start()).map(Token::kind);
                // Headers whose grammar rule forces the colon (`&&':'`) say so whatever follows;
                // the others only when the line ends where the colon should be.
                let forced = matches!(
                    header,
                    Some(TokenKind::Def | TokenKind::Try | TokenKind::Finally | TokenKind::Else)
                );
                let optional = matches!(
                    header,
                    Some(
                        TokenKind::If
                            | TokenKind::Elif
                            | TokenKind::While
                            | TokenKind::For
                            | TokenKind::With
                            | TokenKind::Class
                            | TokenKind::Except
                            | TokenKind::Match
                            | TokenKind::Case
                    )
                );
                if found == TokenKind::Equal
                    && matches!(
                        header,
                        Some(TokenKind::If | TokenKind::Elif | TokenKind::While)
                    )
                {
                    return self
                        .assignment_in_expression(range, scan)
                        .unwrap_or_else(invalid);
                }
                if forced || (optional && found == TokenKind::Newline) {
                    return Found::parser("expected ':'", range);
                }
                let open = self.open_bracket_end(scan, range.start());
                if depth > 0
                    && &self.source[TextRange::at(open - TextSize::new(1), TextSize::new(1))] == "{"
                {
                    // A dict display with a key and no value.
                    if let Some(key) = self
                        .token_before(range.start())
                        .and_then(|t| self.widest_expr_ending_at(t.end(), open))
                    {
                        let mut found =
                            Found::parser("':' expected after dictionary key", key.range());
                        found.range = TextRange::new(key.start(), key.end());
                        return found;
                    }
                }
                invalid()
            }
            TokenKind::Comma if is_augmented_assignment(found) => {
                let start = self
                    .line_header(range.start())
                    .map_or(range.start(), Token::start);
                Found::parser(
                    "'tuple' is an illegal expression for augmented assignment",
                    TextRange::new(start, range.start()),
                )
            }
            TokenKind::Comma | TokenKind::Rpar | TokenKind::Rsqb | TokenKind::Rbrace
                if depth > 0 && starts_expression(found) =>
            {
                self.forgot_comma(range, scan).unwrap_or_else(invalid)
            }
            TokenKind::Else => {
                // The conditional's body is the expression before its `if`, at the same depth.
                let index = self.token_index_at(range.start());
                let depth = scan.depth.get(index).copied().unwrap_or(0);
                let if_token = self.tokens[..index]
                    .iter()
                    .enumerate()
                    .rev()
                    .find(|(i, t)| t.kind() == TokenKind::If && scan.depth.get(*i) == Some(&depth))
                    .map(|(_, t)| t);
                let open = self.open_bracket_end(scan, range.start());
                let body = if_token
                    .and_then(|t| self.token_before(t.start()))
                    .and_then(|t| self.widest_expr_ending_at(t.end(), open));
                match body {
                    Some(body) => Found::parser(
                        "expected 'else' after 'if' expression",
                        TextRange::new(body.start(), range.start()),
                    ),
                    None => invalid(),
                }
            }
            // In a comprehension (a `for` statement has no such rule).
            TokenKind::In
                if depth > 0
                    || self.line_header(range.start()).map(Token::kind) != Some(TokenKind::For) =>
            {
                Found::parser("'in' expected after for-loop variables", range)
            }
            TokenKind::Lpar
                if self.line_header(range.start()).map(Token::kind) == Some(TokenKind::Def) =>
            {
                Found::parser("expected '('", range)
            }
            _ => invalid(),
        }
    }

    /// `=` where an expression goes on (`if x = 1:`, `[a.b = 1]`, `assert f() = 0`): CPython's
    /// `invalid_named_expression` rule suggests `==` (or `:=` for a plain name), naming the
    /// left side.
    fn assignment_in_expression(&self, equal: TextRange, scan: &TokenScan) -> Option<Found> {
        let index = self.token_index_at(equal.start());
        let depth = scan.depth.get(index).copied().unwrap_or(0);
        let header = self.line_header(equal.start())?;
        let name_suggests_walrus = match header.kind() {
            _ if depth > 0 => true,
            TokenKind::If | TokenKind::Elif | TokenKind::While => true,
            // `assert`'s test is not a named expression: even a name gets the `==` message.
            TokenKind::Assert => false,
            _ => return None,
        };
        let before = self.token_before(equal.start())?;
        let not_before = if depth > 0 {
            self.open_bracket_end(scan, equal.start())
        } else {
            header.end()
        };
        let left = self.widest_expr_ending_at(before.end(), not_before)?;
        let right_start = self.next_significant_token(equal.end())?;
        if matches!(
            right_start.kind(),
            TokenKind::Not | TokenKind::Lambda | TokenKind::Yield | TokenKind::Star
        ) {
            return None;
        }
        if let Expr::Name(_) = left
            && name_suggests_walrus
        {
            let right_end = self
                .expressions()
                .filter(|e| e.start() == right_start.start())
                .map(|e| e.end())
                .min()
                .unwrap_or(right_start.end());
            return Some(Found::parser(
                "invalid syntax. Maybe you meant '==' or ':=' instead of '='?",
                TextRange::new(left.start(), right_end),
            ));
        }
        if !self.is_bitwise_or_operand(left) {
            return None;
        }
        Some(Found::parser(
            format!(
                "cannot assign to {} here. Maybe you meant '==' instead of '='?",
                expr_name(left)
            ),
            left.range(),
        ))
    }

    /// Whether `expr` can be the left side of CPython's `bitwise_or '=' ...` error rule:
    /// an operand of `|` (or anything parenthesized), and not a display it excludes.
    fn is_bitwise_or_operand(&self, expr: &Expr) -> bool {
        let parenthesized = self.is_parenthesized(expr);
        let excluded = match expr {
            Expr::List(_) | Expr::Generator(_) | Expr::NoneLiteral(_) | Expr::BooleanLiteral(_) => {
                true
            }
            Expr::Tuple(tuple) => tuple.parenthesized || parenthesized,
            _ => false,
        };
        let operand = parenthesized
            || !matches!(
                expr,
                Expr::BoolOp(_)
                    | Expr::Compare(_)
                    | Expr::Lambda(_)
                    | Expr::If(_)
                    | Expr::Named(_)
                    | Expr::Starred(_)
                    | Expr::Yield(_)
                    | Expr::YieldFrom(_)
                    | Expr::UnaryOp(ast::ExprUnaryOp {
                        op: ast::UnaryOp::Not,
                        ..
                    })
            );
        !excluded && operand
    }

    /// "invalid syntax. Perhaps you forgot a comma?" at the expression before `range`.
    fn forgot_comma(&self, range: TextRange, scan: &TokenScan) -> Option<Found> {
        let before = self.token_before(range.start())?;
        // `print "x"`-like pairs are CPython's `!(NAME STRING | SOFT_KEYWORD)` exception.
        let found = self.token_at(range.start())?;
        if before.kind() == TokenKind::Name
            && matches!(found.kind(), TokenKind::String | TokenKind::FStringStart)
        {
            return None;
        }
        let open = self.open_bracket_end(scan, range.start());
        let left = self.widest_expr_ending_at(before.end(), open)?;
        let right = self
            .expressions()
            .filter(|e| e.start() == found.start())
            .map(|e| e.end())
            .max()
            .unwrap_or(found.end());
        let end = right.max(left.end());
        // The rule reads one token past its second expression (inside brackets, past line
        // breaks).
        let reach = self.next_significant_token(end).map(Token::start);
        Some(Found {
            reach,
            ..Found::parser(
                "invalid syntax. Perhaps you forgot a comma?",
                TextRange::new(left.start(), end),
            )
        })
    }

    fn expected_expression(&self, range: TextRange) -> Found {
        let invalid = Found::parser("invalid syntax", range);
        let before = self.token_before(range.start()).map(Token::kind);
        let found = self.token_at(range.start()).map(Token::kind);
        if let Some(kind) = self.interpolation_at(range.start()) {
            let found_text = self
                .source
                .get(range.start().to_usize()..)
                .and_then(|s| s.chars().next());
            // `f'{}'`, `f'{!r}'`: nothing between the brace and what ends the field.
            if before == Some(TokenKind::Lbrace)
                && let Some(c @ ('}' | '!' | ':' | '=')) = found_text
            {
                return Found::parser(
                    format!("{kind}: valid expression required before '{c}'"),
                    range,
                );
            }
            // `f'{'`: the string ends inside the replacement field.
            if matches!(
                found,
                Some(
                    TokenKind::FStringEnd
                        | TokenKind::TStringEnd
                        | TokenKind::Newline
                        | TokenKind::EndOfFile
                )
            ) {
                return Found::parser(format!("{kind}: expecting '}}'"), range);
            }
            // `f'{1 +}'`: CPython parsed `1` and stops at the operator.
            if let Some(op) = self.token_before(range.start())
                && op.kind() != TokenKind::Lbrace
            {
                return Found::parser(
                    format!("{kind}: expecting '=', or '!', or ':', or '}}'"),
                    op.range(),
                );
            }
            return invalid;
        }
        match (before, found) {
            (Some(TokenKind::Else), Some(TokenKind::Newline)) => Found::parser(
                "expected expression after 'else', but statement is given",
                range,
            ),
            (Some(TokenKind::From), _)
                if self.line_header(range.start()).map(Token::kind) == Some(TokenKind::Raise) =>
            {
                let from = self.token_before(range.start()).expect("checked above");
                Found::parser("did you forget an expression after 'from'?", from.range())
            }
            _ => invalid,
        }
    }

    /// `print "x"`: CPython's `invalid_legacy_expression` rule.
    fn legacy_print(&self, range: TextRange) -> Option<Found> {
        let name = self.token_before(range.start())?;
        let text = &self.source[name.range()];
        let header = self.line_header(range.start())?;
        if name.kind() != TokenKind::Name
            || header.start() != name.start()
            || !matches!(text, "print" | "exec")
        {
            return None;
        }
        Some(Found::parser(
            format!("Missing parentheses in call to '{text}'. Did you mean {text}(...)?"),
            TextRange::new(name.start(), range.end()),
        ))
    }

    fn other_error(&self, msg: &str, range: TextRange) -> Found {
        if let Some(clause) = msg.strip_prefix("Expected an indented block after ") {
            return self.expected_block(clause, range);
        }
        let parser = |m: &str| Found::parser(m, range);
        match msg {
            "Expected `except` or `finally` after `try` block" => {
                parser("expected 'except' or 'finally' block")
            }
            "Only single target (not tuple) can be annotated" => self
                .annotation_missing(range)
                .unwrap_or_else(|| parser("only single target (not tuple) can be annotated")),
            "Only single target (not list) can be annotated" => self
                .annotation_missing(range)
                .unwrap_or_else(|| parser("only single target (not list) can be annotated")),
            "Only one '/' separator allowed" => parser("/ may appear only once"),
            "Only one '*' parameter allowed" => parser("* may appear only once"),
            "'/' parameter must appear before '*' parameter" => parser("/ must be ahead of *"),
            "Cannot have both 'except' and 'except*' on the same 'try'" => {
                parser("cannot have both 'except' and 'except*' on the same 'try'")
            }
            "Trailing comma not allowed" => Found::parser(
                "trailing comma not allowed without surrounding parentheses",
                TextRange::empty(range.end()),
            ),
            "Positional patterns cannot follow keyword patterns" => {
                parser("positional patterns follow keyword patterns")
            }
            "Expected one or more exception types" => {
                parser("expected one or more exception types")
            }
            "Multiple exception types must be parenthesized when using `as`" => {
                parser("multiple exception types must be parenthesized when using 'as'")
            }
            "Exception missing in `raise` statement with cause" => {
                let start = self
                    .line_header(range.start())
                    .map_or(range.start(), Token::start);
                Found::parser(
                    "did you forget an expression between 'raise' and 'from'?",
                    TextRange::new(start, range.end()),
                )
            }
            "Bytes literal cannot be mixed with non-bytes literals" => {
                // CPython points just past the concatenation.
                Found::parser(
                    "cannot mix bytes and nonbytes literals",
                    TextRange::empty(range.end()),
                )
            }
            _ => parser("invalid syntax"),
        }
    }

    /// `f(x):` at the end of a line is no annotation (CPython's annotation rules need an
    /// expression after the colon): plain "invalid syntax" at the colon.
    fn annotation_missing(&self, target: TextRange) -> Option<Found> {
        let colon = self.next_significant_token(target.end())?;
        let after = self.tokens.get(self.token_index_at(colon.end()))?;
        (colon.kind() == TokenKind::Colon
            && matches!(after.kind(), TokenKind::Newline | TokenKind::EndOfFile))
        .then(|| Found::parser("invalid syntax", colon.range()))
    }

    /// "expected an indented block after 'if' statement on line N" (IndentationError).
    fn expected_block(&self, clause: &str, range: TextRange) -> Found {
        let (keyword, what) = match clause {
            "`if` statement" => (TokenKind::If, "'if' statement"),
            "`elif` clause" => (TokenKind::Elif, "'elif' statement"),
            "`else` clause" => (TokenKind::Else, "'else' statement"),
            "`for` statement" => (TokenKind::For, "'for' statement"),
            "`with` statement" => (TokenKind::With, "'with' statement"),
            "`class` definition" => (TokenKind::Class, "class definition"),
            "`while` statement" => (TokenKind::While, "'while' statement"),
            "function definition" => (TokenKind::Def, "function definition"),
            "`case` block" => (TokenKind::Case, "'case' statement"),
            "`match` statement" => (TokenKind::Match, "'match' statement"),
            "`try` statement" => (TokenKind::Try, "'try' statement"),
            "`except` clause" => (TokenKind::Except, "'except' statement"),
            "`finally` clause" => (TokenKind::Finally, "'finally' statement"),
            _ => return Found::parser("invalid syntax", range),
        };
        let header_index = self.tokens[..self.token_index_at(range.start())]
            .iter()
            .rposition(|t| t.kind() == keyword);
        let (line, star) = match header_index {
            Some(i) => (
                self.line_of(self.tokens[i].start()),
                self.tokens
                    .get(i + 1)
                    .is_some_and(|t| t.kind() == TokenKind::Star),
            ),
            None => (self.line_of(range.start()), false),
        };
        let what = if keyword == TokenKind::Except && star {
            "'except*' statement"
        } else {
            what
        };
        // ruff points at the header's line break when a dedent follows; CPython at the DEDENT
        // token, whose offset is the next line's indentation, 0-based (the line break only at
        // the end of file).
        let dedent_to = match self.tokens.get(self.token_index_at(range.start())) {
            Some(t) if t.kind() == TokenKind::Newline && t.start() == range.start() => self
                .next_significant_token(t.end())
                .filter(|next| next.kind() != TokenKind::EndOfFile),
            _ => None,
        };
        if let Some(next) = dedent_to {
            let msg = format!("expected an indented block after {what} on line {line}");
            return Found::parser(msg, next.range())
                .kind(SyntaxErrorKind::IndentationError)
                .at_offset(self.char_column(next.start()));
        }
        Found::parser(
            format!("expected an indented block after {what} on line {line}"),
            range,
        )
        .kind(SyntaxErrorKind::IndentationError)
    }

    /// An invalid assignment target, worded by the construct it is in (CPython's
    /// `invalid_assignment` and `invalid_named_expression` rules).
    fn invalid_assignment(&self, range: TextRange, scan: &TokenScan) -> Found {
        // `(1 = 2)`: an `=` inside brackets is an expression's, not an assignment's.
        if let Some(equal) = self.next_significant_token(range.end())
            && equal.kind() == TokenKind::Equal
            && scan
                .depth
                .get(self.token_index_at(equal.start()))
                .is_some_and(|&d| d > 0)
            && let Some(found) = self.assignment_in_expression(equal.range(), scan)
        {
            return found;
        }
        let Some(invalid) = self.expr_with_range(range) else {
            return Found::parser("invalid syntax", range);
        };
        if let Some(Stmt::Assign(assign)) = self.statement_at(range.start()) {
            let position = assign
                .targets
                .iter()
                .position(|t| t.range().contains_range(range));
            if let (Some(0), [target]) = (position, assign.targets.as_slice()) {
                // `x = ...` where x is not a target: the comparison rule suggests `==`, naming
                // the whole left side (or, in an unparenthesized tuple, its last element).
                let candidate = match target {
                    Expr::Tuple(tuple) if !tuple.parenthesized => tuple.elts.last(),
                    _ => Some(target),
                };
                if let Some(left) = candidate
                    && left.range().contains_range(range)
                    && self.comparison_rule_applies(left, &assign.value)
                {
                    return Found::parser(
                        format!(
                            "cannot assign to {} here. Maybe you meant '==' instead of '='?",
                            expr_name(left)
                        ),
                        left.range(),
                    );
                }
            }
            // `x = a < b = 1`: the rule sees `x = a` and stops at the `<`.
            if let [Expr::Name(first), second, ..] = assign.targets.as_slice()
                && position.is_some_and(|p| p >= 1)
                && !self.is_bitwise_or_operand(second)
                && self.token_at(second.start()).is_some_and(|t| {
                    !matches!(
                        t.kind(),
                        TokenKind::Not | TokenKind::Lambda | TokenKind::Yield | TokenKind::Star
                    )
                })
            {
                let operand_end = self
                    .expressions()
                    .filter(|e| e.start() == second.start() && self.is_bitwise_or_operand(e))
                    .map(|e| e.end())
                    .max()
                    .unwrap_or(second.end());
                return Found::parser(
                    "invalid syntax. Maybe you meant '==' or ':=' instead of '='?",
                    TextRange::new(first.range.start(), operand_end),
                );
            }
            if matches!(invalid, Expr::Yield(_) | Expr::YieldFrom(_))
                && !self.is_parenthesized(invalid)
            {
                return Found::parser("assignment to yield expression not possible", range);
            }
        }
        Found::parser(format!("cannot assign to {}", expr_name(invalid)), range)
    }

    /// Whether `left = value` matches `!(list|tuple|genexp|'True'|'None'|'False') bitwise_or
    /// '=' bitwise_or !('='|':=')`.
    fn comparison_rule_applies(&self, left: &Expr, value: &Expr) -> bool {
        // The right side must start with a bitwise_or: not `not`, `lambda`, `yield`, `*`.
        let value_ok = self.token_at(value.start()).is_some_and(|t| {
            !matches!(
                t.kind(),
                TokenKind::Not | TokenKind::Lambda | TokenKind::Yield | TokenKind::Star
            )
        }) || self.is_parenthesized(value);
        self.is_bitwise_or_operand(left) && value_ok
    }

    fn is_parenthesized(&self, expr: &Expr) -> bool {
        let before = self.token_before(expr.start()).map(Token::kind);
        let after = self.token_at(expr.end()).map(Token::kind);
        before == Some(TokenKind::Lpar) && after == Some(TokenKind::Rpar)
    }

    /// Whether `offset` is in the format spec of the replacement field it is in (a `:` at the
    /// field's own nesting level comes between the field's `{` and `offset`).
    fn in_format_spec(&self, offset: TextSize) -> bool {
        let mut balance = 0i32;
        for token in self.tokens[..self.token_index_at(offset)].iter().rev() {
            match token.kind() {
                TokenKind::Rbrace | TokenKind::Rpar | TokenKind::Rsqb => balance += 1,
                TokenKind::Lpar | TokenKind::Lsqb => balance -= 1,
                TokenKind::Lbrace if balance == 0 => return false,
                TokenKind::Lbrace => balance -= 1,
                TokenKind::Colon if balance == 0 => return true,
                TokenKind::FStringStart | TokenKind::TStringStart => return false,
                _ => {}
            }
        }
        false
    }

    /// Errors inside f-strings and t-strings, worded as CPython's f-string grammar words them.
    fn interpolation_error(
        &self,
        kind: &str,
        error: &InterpolatedStringErrorType,
        range: TextRange,
    ) -> Option<Found> {
        let prefix = format!("{kind}-string");
        let msg = match error {
            InterpolatedStringErrorType::UnclosedLbrace => {
                let found = self.token_at(range.start());
                let before = self.token_before(range.start());
                match (before, found) {
                    // `f'{a b}'`: the grammar's "forgot a comma" rule applies inside the field.
                    (Some(b), Some(f))
                        if starts_expression(f.kind()) && f.start() == range.start() =>
                    {
                        if b.kind() == TokenKind::Name
                            && self.source[..b.start().to_usize()].ends_with('!')
                        {
                            format!("{prefix}: expecting ':' or '}}'")
                        } else {
                            let left = self.widest_expr_ending_at(b.end(), TextSize::new(0));
                            let right = self
                                .expressions()
                                .filter(|e| e.start() == f.start())
                                .map(|e| e.end())
                                .max()
                                .unwrap_or(f.end());
                            let start = left.map_or(b.start(), |l| {
                                // The widest expression ending there may reach before the `{`.
                                let brace = self
                                    .tokens
                                    .iter()
                                    .rev()
                                    .find(|t| t.kind() == TokenKind::Lbrace && t.end() <= b.start())
                                    .map_or(TextSize::new(0), |t| t.end());
                                self.widest_expr_ending_at(b.end(), brace)
                                    .map_or(l.start(), |e| e.start())
                            });
                            return Some(Found::parser(
                                "invalid syntax. Perhaps you forgot a comma?",
                                TextRange::new(start, right),
                            ));
                        }
                    }
                    (Some(b), _)
                        if b.kind() == TokenKind::Exclamation
                            || self.source[..range.start().to_usize()]
                                .trim_end()
                                .ends_with('=')
                                && b.kind() == TokenKind::Name =>
                    {
                        format!("{prefix}: expecting ':' or '}}'")
                    }
                    _ if self.in_format_spec(range.start()) => {
                        format!("{prefix}: expecting '}}', or format specs")
                    }
                    _ => format!("{prefix}: expecting '}}'"),
                }
            }
            InterpolatedStringErrorType::InvalidConversionFlag => {
                let found = self
                    .token_at(range.start())
                    .filter(|t| t.start() == range.start());
                match found {
                    Some(t) if t.kind() == TokenKind::Name => format!(
                        "{prefix}: invalid conversion character '{}': expected 's', 'r', or 'a'",
                        &self.source[t.range()]
                    ),
                    _ => format!("{prefix}: missing conversion character"),
                }
            }
            InterpolatedStringErrorType::SingleRbrace => {
                format!("{prefix}: single '}}' is not allowed")
            }
            InterpolatedStringErrorType::LambdaWithoutParentheses => {
                format!("{prefix}: lambda expressions are not allowed without parentheses")
            }
            InterpolatedStringErrorType::ConversionFlagNotImmediatelyAfterExclamation => {
                // (sic) CPython 3.15 spells it this way.
                format!("{prefix}: conversion type must come right after the exclamanation mark")
            }
            InterpolatedStringErrorType::NewlineInFormatSpec => {
                format!(
                    "{prefix}: newlines are not allowed in format specifiers for single quoted {prefix}s"
                )
            }
            InterpolatedStringErrorType::UnterminatedString
            | InterpolatedStringErrorType::UnterminatedTripleQuotedString => return None,
        };
        Some(Found::parser(msg, range))
    }
}

/// The statements, expressions, call argument lists and keywords of an AST, in source order.
#[derive(Default)]
struct Nodes<'a> {
    stmts: Vec<&'a Stmt>,
    exprs: Vec<&'a Expr>,
    arguments: Vec<&'a ast::Arguments>,
    keywords: Vec<&'a ast::Keyword>,
}

impl<'a> Visitor<'a> for Nodes<'a> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        self.stmts.push(stmt);
        stacker::maybe_grow(128 * 1024, 2 * 1024 * 1024, || {
            visitor::walk_stmt(self, stmt)
        });
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        self.exprs.push(expr);
        stacker::maybe_grow(128 * 1024, 2 * 1024 * 1024, || {
            visitor::walk_expr(self, expr)
        });
    }

    fn visit_arguments(&mut self, arguments: &'a ast::Arguments) {
        self.arguments.push(arguments);
        visitor::walk_arguments(self, arguments);
    }

    fn visit_keyword(&mut self, keyword: &'a ast::Keyword) {
        self.keywords.push(keyword);
        visitor::walk_keyword(self, keyword);
    }
}

fn is_augmented_assignment(kind: TokenKind) -> bool {
    use TokenKind::*;
    matches!(
        kind,
        PlusEqual
            | MinusEqual
            | StarEqual
            | SlashEqual
            | PercentEqual
            | AmperEqual
            | VbarEqual
            | CircumflexEqual
            | LeftShiftEqual
            | RightShiftEqual
            | DoubleStarEqual
            | DoubleSlashEqual
            | AtEqual
    )
}

/// CPython's `Py_UNICODE_ISPRINTABLE`, closely enough for error messages: separators other
/// than the space and control/format characters are not printable.
fn is_printable(c: char) -> bool {
    !(c.is_control()
        || (c.is_whitespace() && c != ' ')
        || matches!(c, '\u{AD}' | '\u{200B}'..='\u{200F}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}'))
}
