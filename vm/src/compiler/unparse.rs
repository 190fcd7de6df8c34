//! Expressions back to source text, as CPython's `ast_unparse.c` spells them: the strings
//! `from __future__ import annotations` makes of annotations (`List[ int ]` is
//! `'List[int]'`). Forms this does not know keep their source text.

use ruff_python_ast as ast;
use ruff_text_size::Ranged;

/// Precedence levels (CPython's `PR_*`), loosest first.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Pr {
    Tuple,
    Test,
    Or,
    And,
    Not,
    Cmp,
    BOr,
    BXor,
    BAnd,
    Shift,
    Arith,
    Term,
    Factor,
    Power,
    Await,
    Atom,
}

/// The text of `e` (`source` is the module's source, for the fallback).
pub fn unparse(e: &ast::Expr, source: &str) -> String {
    let mut out = String::new();
    Unparser { source, out: &mut out }.expr(e, Pr::Test);
    out
}

/// Python's `repr` of a str.
pub fn str_repr(s: &str) -> String {
    let quote = if s.contains('\'') && !s.contains('"') { '"' } else { '\'' };
    let mut out = String::with_capacity(s.len() + 2);
    out.push(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if (c as u32) < 0x20 || c as u32 == 0x7f => out.push_str(&format!("\\x{:02x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push(quote);
    out
}

struct Unparser<'a> {
    source: &'a str,
    out: &'a mut String,
}

impl Unparser<'_> {
    fn source_text(&mut self, e: &ast::Expr) {
        let r = e.range();
        self.out.push_str(&self.source[usize::from(r.start())..usize::from(r.end())]);
    }

    fn list(&mut self, items: &[ast::Expr]) {
        for (i, x) in items.iter().enumerate() {
            if i > 0 {
                self.out.push_str(", ");
            }
            self.expr(x, Pr::Test);
        }
    }

    fn expr(&mut self, e: &ast::Expr, level: Pr) {
        use ast::Expr::*;
        match e {
            Name(n) => self.out.push_str(&n.id),
            NoneLiteral(_) => self.out.push_str("None"),
            BooleanLiteral(b) => self.out.push_str(if b.value { "True" } else { "False" }),
            EllipsisLiteral(_) => self.out.push_str("..."),
            StringLiteral(s) => match crate::compiler::literal::string_value(self.source, &s.value) {
                crate::compiler::literal::StrValue::Utf8(text) => self.out.push_str(&str_repr(&text)),
                crate::compiler::literal::StrValue::CodePoints(c) => self.out.push_str(&crate::compiler::literal::repr_code_points(&c)),
            },
            Attribute(a) => {
                self.expr(&a.value, Pr::Atom);
                // `1 .real`: an int literal needs a space before the dot.
                if matches!(&*a.value, NumberLiteral(n) if matches!(n.value, ast::Number::Int(_))) {
                    self.out.push(' ');
                }
                self.out.push('.');
                self.out.push_str(&a.attr.id);
            }
            Subscript(s) => {
                self.expr(&s.value, Pr::Atom);
                self.out.push('[');
                match &*s.slice {
                    Tuple(t) if !t.elts.is_empty() => {
                        self.list(&t.elts);
                        if t.elts.len() == 1 {
                            self.out.push(',');
                        }
                    }
                    other => self.expr(other, Pr::Tuple),
                }
                self.out.push(']');
            }
            Tuple(t) => {
                let paren = level > Pr::Tuple || t.elts.is_empty();
                if paren {
                    self.out.push('(');
                }
                self.list(&t.elts);
                if t.elts.len() == 1 {
                    self.out.push(',');
                }
                if paren {
                    self.out.push(')');
                }
            }
            List(l) => {
                self.out.push('[');
                self.list(&l.elts);
                self.out.push(']');
            }
            Starred(s) => {
                self.out.push('*');
                self.expr(&s.value, Pr::BOr);
            }
            Call(c) => {
                self.expr(&c.func, Pr::Atom);
                self.out.push('(');
                let mut first = true;
                for a in c.arguments.args.iter() {
                    if !first {
                        self.out.push_str(", ");
                    }
                    first = false;
                    self.expr(a, Pr::Test);
                }
                for k in c.arguments.keywords.iter() {
                    if !first {
                        self.out.push_str(", ");
                    }
                    first = false;
                    match &k.arg {
                        Some(name) => {
                            self.out.push_str(name);
                            self.out.push('=');
                        }
                        None => self.out.push_str("**"),
                    }
                    self.expr(&k.value, Pr::Test);
                }
                self.out.push(')');
            }
            BinOp(b) => {
                use ast::Operator::*;
                let (pr, text, right_assoc) = match b.op {
                    BitOr => (Pr::BOr, " | ", false),
                    BitXor => (Pr::BXor, " ^ ", false),
                    BitAnd => (Pr::BAnd, " & ", false),
                    LShift => (Pr::Shift, " << ", false),
                    RShift => (Pr::Shift, " >> ", false),
                    Add => (Pr::Arith, " + ", false),
                    Sub => (Pr::Arith, " - ", false),
                    Mult => (Pr::Term, " * ", false),
                    MatMult => (Pr::Term, " @ ", false),
                    Div => (Pr::Term, " / ", false),
                    Mod => (Pr::Term, " % ", false),
                    FloorDiv => (Pr::Term, " // ", false),
                    Pow => (Pr::Power, " ** ", true),
                };
                let paren = level > pr;
                if paren {
                    self.out.push('(');
                }
                let next = |p: Pr| if p == Pr::Power { Pr::Await } else { bump(p) };
                self.expr(&b.left, if right_assoc { next(pr) } else { pr });
                self.out.push_str(text);
                self.expr(&b.right, if right_assoc { pr } else { next(pr) });
                if paren {
                    self.out.push(')');
                }
            }
            UnaryOp(u) => {
                let (text, pr) = match u.op {
                    ast::UnaryOp::Not => ("not ", Pr::Not),
                    ast::UnaryOp::Invert => ("~", Pr::Factor),
                    ast::UnaryOp::USub => ("-", Pr::Factor),
                    ast::UnaryOp::UAdd => ("+", Pr::Factor),
                };
                let paren = level > pr;
                if paren {
                    self.out.push('(');
                }
                self.out.push_str(text);
                self.expr(&u.operand, pr);
                if paren {
                    self.out.push(')');
                }
            }
            BoolOp(b) => {
                let (pr, text) = if b.op == ast::BoolOp::And { (Pr::And, " and ") } else { (Pr::Or, " or ") };
                let paren = level > pr;
                if paren {
                    self.out.push('(');
                }
                for (i, v) in b.values.iter().enumerate() {
                    if i > 0 {
                        self.out.push_str(text);
                    }
                    self.expr(v, bump(pr));
                }
                if paren {
                    self.out.push(')');
                }
            }
            _ => {
                let paren = level > Pr::Test && !matches!(e, NumberLiteral(_) | BytesLiteral(_) | Dict(_) | Set(_) | FString(_));
                if paren {
                    self.out.push('(');
                }
                self.source_text(e);
                if paren {
                    self.out.push(')');
                }
            }
        }
    }
}

fn bump(p: Pr) -> Pr {
    use Pr::*;
    match p {
        Tuple => Test,
        Test => Or,
        Or => And,
        And => Not,
        Not => Cmp,
        Cmp => BOr,
        BOr => BXor,
        BXor => BAnd,
        BAnd => Shift,
        Shift => Arith,
        Arith => Term,
        Term => Factor,
        Factor => Power,
        Power => Await,
        Await | Atom => Atom,
    }
}
