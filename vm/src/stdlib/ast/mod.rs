//! `_ast`: the node classes of CPython 3.15's abstract grammar, and the conversion of the
//! parser's tree (ruff's AST, reached through `compiler::parse`) into instances of them, which
//! is what `compile(..., flags=PyCF_ONLY_AST)` and so `ast.parse` return.
//!
//! The classes are made by `nodes.py` (run in the module's namespace on first import) from the
//! grammar text, so that `_fields`, `_attributes`, `__match_args__`, `_field_types`, the
//! class-level `None` defaults of optional fields, and the constructor's defaults all come from
//! one table. This file owns the other half: how each ruff node maps onto CPython's (async
//! variants split out, `elif` chains nested, implicit string concatenation joined, f-strings
//! as `JoinedStr`, call/def positions as CPython's parser gives them). Columns are UTF-8 byte
//! offsets, as in CPython.
//!
//! What this module must never do: compile a tree back to code (the `compile()` builtin
//! unparses a tree with `ast.unparse` and compiles the text).

use std::cell::RefCell;
use std::collections::HashMap;

use ruff_text_size::{Ranged, TextRange, TextSize};

use crate::compiler::parse::{self, ast, LineIndex};
use crate::compiler::literal::{self, LiteralText};
use crate::compiler::Mode;
use crate::err::PyResult;
use crate::object::{Obj, PyRef};
use crate::objects::{bool_, bytes, dict, float, list, long, module, none, tuple, unicode};

/// `PyCF_ONLY_AST`: `compile()` returns the tree instead of a code object.
pub const PYCF_ONLY_AST: i64 = 0x400;

pub fn create() -> PyResult<PyRef> {
    let m = module::new(&unicode::new("_ast"))?;
    let d = module::dict_of(&m);
    dict::set_item_str(d, "__builtins__", &crate::builtins::module())?;
    let code = crate::compiler::compile(include_str!("nodes.py"), "<frozen _ast>", Mode::Exec)?;
    crate::interp::run_code(&code, d, Some(d))?;
    Ok(m)
}

/// The `_ast` module (imported, so it is the one in `sys.modules`).
fn ast_module() -> PyResult<PyRef> {
    crate::import::import_module("_ast")
}

/// Whether `o` is an instance of `_ast.AST`.
pub fn is_ast(o: &Obj) -> PyResult<bool> {
    let m = ast_module()?;
    let base = crate::abstract_::getattr_str(&m, "AST")?;
    crate::builtins::is_instance(o, &base)
}

/// `compile(source, filename, mode, PyCF_ONLY_AST)`: the tree of `source` as `_ast` nodes.
pub fn parse_to_ast(source: &str, filename: &str, mode: Mode) -> PyResult<PyRef> {
    let m = ast_module()?;
    let conv = Converter { source, filename, index: LineIndex::new(source), classes: module::dict_of(&m).new_ref(), singletons: RefCell::new(HashMap::new()) };
    let to_err = |e: parse::SyntaxErrorInfo| crate::compiler::syntax_error_from(&e);
    match mode {
        Mode::Eval => {
            let (parsed, warnings) = parse::parse_expression(source, filename).map_err(to_err)?;
            crate::compiler::emit_warnings(&warnings, source, filename)?;
            let body = conv.expr(&parsed.body)?;
            conv.node("Expression", vec![body], None)
        }
        Mode::Exec | Mode::Single => {
            let (parsed, warnings) = parse::parse_module(source, filename).map_err(to_err)?;
            crate::compiler::emit_warnings(&warnings, source, filename)?;
            if mode == Mode::Single && parsed.body.len() > 1 {
                let msg = "multiple statements found while compiling a single statement";
                let e = parse::SyntaxErrorInfo::compiler_error(msg, filename, source, &conv.index, parsed.body[0].range());
                return Err(to_err(e));
            }
            let body = conv.stmts(&parsed.body)?;
            if mode == Mode::Single {
                conv.node("Interactive", vec![body], None)
            } else {
                conv.node("Module", vec![body, list::new()], None)
            }
        }
    }
}

struct Converter<'a> {
    source: &'a str,
    filename: &'a str,
    index: LineIndex,
    /// The `_ast` module's dict, where the classes are found by name.
    classes: PyRef,
    /// One shared instance per operator and context class, as CPython's parser shares them.
    singletons: RefCell<HashMap<&'static str, PyRef>>,
}

fn int(v: i64) -> PyRef {
    long::from_i64(v)
}

fn str_obj(s: &str) -> PyRef {
    unicode::new(s)
}

fn opt_str(s: Option<&ast::Identifier>) -> PyRef {
    s.map_or_else(none::none, |i| str_obj(i.as_str()))
}

impl<'a> Converter<'a> {
    fn class(&self, name: &str) -> PyResult<PyRef> {
        dict::get_item_str(&self.classes, name).ok_or_else(|| raise!(SystemError, "_ast has no node class {}", name))
    }

    /// An instance of the node class `name` with its fields in `_fields` order and, for
    /// located nodes, its position.
    fn node(&self, name: &str, fields: Vec<PyRef>, range: Option<TextRange>) -> PyResult<PyRef> {
        let cls = self.class(name)?;
        let n = crate::abstract_::call(&cls, &tuple::new_from_owned(fields), None)?;
        if let Some(r) = range {
            self.set_position(&n, r.start(), r.end())?;
        }
        Ok(n)
    }

    fn set_position(&self, n: &Obj, start: TextSize, end: TextSize) -> PyResult<()> {
        let s = self.index.location(self.source, start);
        let e = self.index.location(self.source, end);
        for (k, v) in [("lineno", s.line), ("col_offset", s.column), ("end_lineno", e.line), ("end_col_offset", e.column)] {
            crate::abstract_::setattr(n, &unicode::intern(k), Some(&long::from_usize(v)))?;
        }
        Ok(())
    }

    /// A field-less node (operator, context): made once per conversion.
    fn singleton(&self, name: &'static str) -> PyResult<PyRef> {
        if let Some(o) = self.singletons.borrow().get(name) {
            return Ok(o.clone());
        }
        let o = self.node(name, vec![], None)?;
        self.singletons.borrow_mut().insert(name, o.clone());
        Ok(o)
    }

    fn list<T>(&self, items: &[T], f: impl Fn(&T) -> PyResult<PyRef>) -> PyResult<PyRef> {
        let v: PyResult<Vec<PyRef>> = items.iter().map(f).collect();
        Ok(list::new_from_owned(v?))
    }

    fn opt_expr(&self, e: Option<&ast::Expr>) -> PyResult<PyRef> {
        e.map_or_else(|| Ok(none::none()), |e| self.expr(e))
    }

    fn exprs(&self, es: &[ast::Expr]) -> PyResult<PyRef> {
        self.list(es, |e| self.expr(e))
    }

    fn stmts(&self, ss: &[ast::Stmt]) -> PyResult<PyRef> {
        let mut out = Vec::with_capacity(ss.len());
        for s in ss {
            out.push(self.stmt(s)?);
        }
        Ok(list::new_from_owned(out))
    }

    /// Where a decorated definition starts for CPython: at `def`/`async`/`class`, after the
    /// decorators (ruff's range starts at the first `@`).
    fn def_start(&self, range: TextRange, decorators: &[ast::Decorator]) -> TextSize {
        let Some(last) = decorators.last() else { return range.start() };
        let bytes = self.source.as_bytes();
        let mut i = usize::from(last.range().end());
        while i < bytes.len() {
            match bytes[i] {
                b' ' | b'\t' | b'\x0c' | b'\r' | b'\n' | b'\\' | b')' => i += 1,
                b'#' => {
                    while i < bytes.len() && bytes[i] != b'\n' && bytes[i] != b'\r' {
                        i += 1;
                    }
                }
                _ => break,
            }
        }
        TextSize::new(i as u32)
    }

    fn type_params(&self, tp: Option<&ast::TypeParams>) -> PyResult<PyRef> {
        let Some(tp) = tp else { return Ok(list::new()) };
        self.list(&tp.type_params, |p| {
            Ok(match p {
                ast::TypeParam::TypeVar(t) => self.node(
                    "TypeVar",
                    vec![str_obj(t.name.as_str()), self.opt_expr(t.bound.as_deref())?, self.opt_expr(t.default.as_deref())?],
                    Some(t.range),
                )?,
                ast::TypeParam::ParamSpec(t) => {
                    self.node("ParamSpec", vec![str_obj(t.name.as_str()), self.opt_expr(t.default.as_deref())?], Some(t.range))?
                }
                ast::TypeParam::TypeVarTuple(t) => {
                    self.node("TypeVarTuple", vec![str_obj(t.name.as_str()), self.opt_expr(t.default.as_deref())?], Some(t.range))?
                }
            })
        })
    }

    fn arg(&self, p: &ast::Parameter) -> PyResult<PyRef> {
        // `*args`/`**kwargs` start at the name for CPython (ruff's range includes the stars).
        let range = TextRange::new(p.name.range().start(), p.range.end());
        self.node("arg", vec![str_obj(p.name.as_str()), self.opt_expr(p.annotation.as_deref())?, none::none()], Some(range))
    }

    fn arguments(&self, p: Option<&ast::Parameters>) -> PyResult<PyRef> {
        let Some(p) = p else {
            return self.node("arguments", vec![list::new(), list::new(), none::none(), list::new(), list::new(), none::none(), list::new()], None);
        };
        let posonly = self.list(&p.posonlyargs, |a| self.arg(&a.parameter))?;
        let args = self.list(&p.args, |a| self.arg(&a.parameter))?;
        let vararg = p.vararg.as_deref().map_or_else(|| Ok(none::none()), |a| self.arg(a))?;
        let kwonly = self.list(&p.kwonlyargs, |a| self.arg(&a.parameter))?;
        let kw_defaults = self.list(&p.kwonlyargs, |a| self.opt_expr(a.default.as_deref()))?;
        let kwarg = p.kwarg.as_deref().map_or_else(|| Ok(none::none()), |a| self.arg(a))?;
        let mut defaults = Vec::new();
        for a in p.posonlyargs.iter().chain(p.args.iter()) {
            if let Some(d) = &a.default {
                defaults.push(self.expr(d)?);
            }
        }
        self.node("arguments", vec![posonly, args, vararg, kwonly, kw_defaults, kwarg, list::new_from_owned(defaults)], None)
    }

    fn keywords(&self, ks: &[ast::Keyword]) -> PyResult<PyRef> {
        self.list(ks, |k| self.node("keyword", vec![opt_str(k.arg.as_ref()), self.expr(&k.value)?], Some(k.range)))
    }

    fn alias(&self, a: &ast::Alias) -> PyResult<PyRef> {
        self.node("alias", vec![str_obj(a.name.as_str()), opt_str(a.asname.as_ref())], Some(a.range))
    }

    fn stmt(&self, s: &ast::Stmt) -> PyResult<PyRef> {
        use ast::Stmt as S;
        let r = Some(s.range());
        match s {
            S::FunctionDef(f) => {
                let name = if f.is_async { "AsyncFunctionDef" } else { "FunctionDef" };
                let decorators = self.list(&f.decorator_list, |d| self.expr(&d.expression))?;
                let n = self.node(
                    name,
                    vec![
                        str_obj(f.name.as_str()),
                        self.arguments(Some(&f.parameters))?,
                        self.stmts(&f.body)?,
                        decorators,
                        self.opt_expr(f.returns.as_deref())?,
                        none::none(),
                        self.type_params(f.type_params.as_deref())?,
                    ],
                    None,
                )?;
                self.set_position(&n, self.def_start(f.range, &f.decorator_list), f.range.end())?;
                Ok(n)
            }
            S::ClassDef(c) => {
                let (bases, keywords) = match c.arguments.as_deref() {
                    Some(a) => (self.exprs(&a.args)?, self.keywords(&a.keywords)?),
                    None => (list::new(), list::new()),
                };
                let decorators = self.list(&c.decorator_list, |d| self.expr(&d.expression))?;
                let n = self.node(
                    "ClassDef",
                    vec![str_obj(c.name.as_str()), bases, keywords, self.stmts(&c.body)?, decorators, self.type_params(c.type_params.as_deref())?],
                    None,
                )?;
                self.set_position(&n, self.def_start(c.range, &c.decorator_list), c.range.end())?;
                Ok(n)
            }
            S::Return(x) => self.node("Return", vec![self.opt_expr(x.value.as_deref())?], r),
            S::Delete(x) => self.node("Delete", vec![self.exprs(&x.targets)?], r),
            S::TypeAlias(x) => {
                self.node("TypeAlias", vec![self.expr(&x.name)?, self.type_params(x.type_params.as_deref())?, self.expr(&x.value)?], r)
            }
            S::Assign(x) => self.node("Assign", vec![self.exprs(&x.targets)?, self.expr(&x.value)?, none::none()], r),
            S::AugAssign(x) => self.node("AugAssign", vec![self.expr(&x.target)?, self.operator(x.op)?, self.expr(&x.value)?], r),
            S::AnnAssign(x) => self.node(
                "AnnAssign",
                vec![self.expr(&x.target)?, self.expr(&x.annotation)?, self.opt_expr(x.value.as_deref())?, int(x.simple as i64)],
                r,
            ),
            S::For(x) => self.node(
                if x.is_async { "AsyncFor" } else { "For" },
                vec![self.expr(&x.target)?, self.expr(&x.iter)?, self.stmts(&x.body)?, self.stmts(&x.orelse)?, none::none()],
                r,
            ),
            S::While(x) => self.node("While", vec![self.expr(&x.test)?, self.stmts(&x.body)?, self.stmts(&x.orelse)?], r),
            S::If(x) => {
                let orelse = self.elif_chain(&x.elif_else_clauses)?;
                self.node("If", vec![self.expr(&x.test)?, self.stmts(&x.body)?, orelse], r)
            }
            S::With(x) => {
                let items = self.list(&x.items, |i| {
                    self.node("withitem", vec![self.expr(&i.context_expr)?, self.opt_expr(i.optional_vars.as_deref())?], None)
                })?;
                self.node(if x.is_async { "AsyncWith" } else { "With" }, vec![items, self.stmts(&x.body)?, none::none()], r)
            }
            S::Match(x) => {
                let cases = self.list(&x.cases, |c| {
                    self.node("match_case", vec![self.pattern(&c.pattern)?, self.opt_expr(c.guard.as_deref())?, self.stmts(&c.body)?], None)
                })?;
                self.node("Match", vec![self.expr(&x.subject)?, cases], r)
            }
            S::Raise(x) => self.node("Raise", vec![self.opt_expr(x.exc.as_deref())?, self.opt_expr(x.cause.as_deref())?], r),
            S::Try(x) => {
                let handlers = self.list(&x.handlers, |h| {
                    let ast::ExceptHandler::ExceptHandler(h) = h;
                    self.node("ExceptHandler", vec![self.opt_expr(h.type_.as_deref())?, opt_str(h.name.as_ref()), self.stmts(&h.body)?], Some(h.range))
                })?;
                self.node(
                    if x.is_star { "TryStar" } else { "Try" },
                    vec![self.stmts(&x.body)?, handlers, self.stmts(&x.orelse)?, self.stmts(&x.finalbody)?],
                    r,
                )
            }
            S::Assert(x) => self.node("Assert", vec![self.expr(&x.test)?, self.opt_expr(x.msg.as_deref())?], r),
            S::Import(x) => self.node("Import", vec![self.list(&x.names, |a| self.alias(a))?, int(x.is_lazy as i64)], r),
            S::ImportFrom(x) => self.node(
                "ImportFrom",
                vec![opt_str(x.module.as_ref()), self.list(&x.names, |a| self.alias(a))?, int(x.level as i64), int(x.is_lazy as i64)],
                r,
            ),
            S::Global(x) => self.node("Global", vec![self.list(&x.names, |n| Ok(str_obj(n.as_str())))?], r),
            S::Nonlocal(x) => self.node("Nonlocal", vec![self.list(&x.names, |n| Ok(str_obj(n.as_str())))?], r),
            S::Expr(x) => self.node("Expr", vec![self.expr(&x.value)?], r),
            S::Pass(_) => self.node("Pass", vec![], r),
            S::Break(_) => self.node("Break", vec![], r),
            S::Continue(_) => self.node("Continue", vec![], r),
            S::IpyEscapeCommand(_) => Err(raise!(SyntaxError, "invalid syntax")),
        }
    }

    /// `elif`/`else` clauses as CPython nests them: each `elif` is an `If` in the `orelse` of
    /// the one before, spanning to the end of the whole chain.
    fn elif_chain(&self, clauses: &[ast::ElifElseClause]) -> PyResult<PyRef> {
        let Some(first) = clauses.first() else { return Ok(list::new()) };
        match &first.test {
            None => self.stmts(&first.body),
            Some(test) => {
                let orelse = self.elif_chain(&clauses[1..])?;
                let end = clauses.last().map_or(first.range.end(), |c| c.range.end());
                let n = self.node("If", vec![self.expr(test)?, self.stmts(&first.body)?, orelse], None)?;
                self.set_position(&n, first.range.start(), end)?;
                Ok(list::new_from_owned(vec![n]))
            }
        }
    }

    fn pattern(&self, p: &ast::Pattern) -> PyResult<PyRef> {
        use ast::Pattern as P;
        let r = Some(p.range());
        match p {
            P::MatchValue(x) => self.node("MatchValue", vec![self.expr(&x.value)?], r),
            P::MatchSingleton(x) => {
                let v = match x.value {
                    ast::Singleton::None => none::none(),
                    ast::Singleton::True => bool_::new(true),
                    ast::Singleton::False => bool_::new(false),
                };
                self.node("MatchSingleton", vec![v], r)
            }
            P::MatchSequence(x) => self.node("MatchSequence", vec![self.list(&x.patterns, |p| self.pattern(p))?], r),
            P::MatchMapping(x) => {
                self.node("MatchMapping", vec![self.exprs(&x.keys)?, self.list(&x.patterns, |p| self.pattern(p))?, opt_str(x.rest.as_ref())], r)
            }
            P::MatchClass(x) => self.node(
                "MatchClass",
                vec![
                    self.expr(&x.cls)?,
                    self.list(&x.arguments.patterns, |p| self.pattern(p))?,
                    self.list(&x.arguments.keywords, |k| Ok(str_obj(k.attr.as_str())))?,
                    self.list(&x.arguments.keywords, |k| self.pattern(&k.pattern))?,
                ],
                r,
            ),
            P::MatchStar(x) => self.node("MatchStar", vec![opt_str(x.name.as_ref())], r),
            P::MatchAs(x) => {
                let pat = x.pattern.as_deref().map_or_else(|| Ok(none::none()), |p| self.pattern(p))?;
                self.node("MatchAs", vec![pat, opt_str(x.name.as_ref())], r)
            }
            P::MatchOr(x) => self.node("MatchOr", vec![self.list(&x.patterns, |p| self.pattern(p))?], r),
        }
    }

    fn ctx(&self, c: ast::ExprContext) -> PyResult<PyRef> {
        self.singleton(match c {
            ast::ExprContext::Store => "Store",
            ast::ExprContext::Del => "Del",
            _ => "Load",
        })
    }

    fn operator(&self, op: ast::Operator) -> PyResult<PyRef> {
        use ast::Operator as O;
        self.singleton(match op {
            O::Add => "Add",
            O::Sub => "Sub",
            O::Mult => "Mult",
            O::MatMult => "MatMult",
            O::Div => "Div",
            O::Mod => "Mod",
            O::Pow => "Pow",
            O::LShift => "LShift",
            O::RShift => "RShift",
            O::BitOr => "BitOr",
            O::BitXor => "BitXor",
            O::BitAnd => "BitAnd",
            O::FloorDiv => "FloorDiv",
        })
    }

    fn cmpop(&self, op: &ast::CmpOp) -> PyResult<PyRef> {
        use ast::CmpOp as C;
        self.singleton(match op {
            C::Eq => "Eq",
            C::NotEq => "NotEq",
            C::Lt => "Lt",
            C::LtE => "LtE",
            C::Gt => "Gt",
            C::GtE => "GtE",
            C::Is => "Is",
            C::IsNot => "IsNot",
            C::In => "In",
            C::NotIn => "NotIn",
        })
    }

    fn comprehensions(&self, gens: &[ast::Comprehension]) -> PyResult<PyRef> {
        self.list(gens, |g| {
            self.node("comprehension", vec![self.expr(&g.target)?, self.expr(&g.iter)?, self.exprs(&g.ifs)?, int(g.is_async as i64)], None)
        })
    }

    fn constant(&self, value: PyRef, kind: PyRef, range: TextRange) -> PyResult<PyRef> {
        self.node("Constant", vec![value, kind], Some(range))
    }

    fn expr(&self, e: &ast::Expr) -> PyResult<PyRef> {
        use ast::Expr as E;
        let r = Some(e.range());
        match e {
            E::BoolOp(x) => {
                let op = self.singleton(match x.op {
                    ast::BoolOp::And => "And",
                    ast::BoolOp::Or => "Or",
                })?;
                self.node("BoolOp", vec![op, self.exprs(&x.values)?], r)
            }
            E::Named(x) => self.node("NamedExpr", vec![self.expr(&x.target)?, self.expr(&x.value)?], r),
            E::BinOp(x) => self.node("BinOp", vec![self.expr(&x.left)?, self.operator(x.op)?, self.expr(&x.right)?], r),
            E::UnaryOp(x) => {
                let op = self.singleton(match x.op {
                    ast::UnaryOp::Invert => "Invert",
                    ast::UnaryOp::Not => "Not",
                    ast::UnaryOp::UAdd => "UAdd",
                    ast::UnaryOp::USub => "USub",
                })?;
                self.node("UnaryOp", vec![op, self.expr(&x.operand)?], r)
            }
            E::Lambda(x) => self.node("Lambda", vec![self.arguments(x.parameters.as_deref())?, self.expr(&x.body)?], r),
            E::If(x) => self.node("IfExp", vec![self.expr(&x.test)?, self.expr(&x.body)?, self.expr(&x.orelse)?], r),
            E::Dict(x) => {
                let keys = self.list(&x.items, |i| self.opt_expr(i.key.as_ref()))?;
                let values = self.list(&x.items, |i| self.expr(&i.value))?;
                self.node("Dict", vec![keys, values], r)
            }
            E::Set(x) => self.node("Set", vec![self.exprs(&x.elts)?], r),
            E::ListComp(x) => self.node("ListComp", vec![self.expr(&x.elt)?, self.comprehensions(&x.generators)?], r),
            E::SetComp(x) => self.node("SetComp", vec![self.expr(&x.elt)?, self.comprehensions(&x.generators)?], r),
            E::DictComp(x) => {
                // `{**m for m in ms}` (PEP 798) has no key: CPython puts the unpacked value
                // in `key` and leaves `value` None.
                let (key, value) = match &x.key {
                    Some(k) => (self.expr(k)?, self.expr(&x.value)?),
                    None => (self.expr(&x.value)?, none::none()),
                };
                self.node("DictComp", vec![key, value, self.comprehensions(&x.generators)?], r)
            }
            E::Generator(x) => self.node("GeneratorExp", vec![self.expr(&x.elt)?, self.comprehensions(&x.generators)?], r),
            E::Await(x) => self.node("Await", vec![self.expr(&x.value)?], r),
            E::Yield(x) => self.node("Yield", vec![self.opt_expr(x.value.as_deref())?], r),
            E::YieldFrom(x) => self.node("YieldFrom", vec![self.expr(&x.value)?], r),
            E::Compare(x) => {
                let ops = self.list(&x.ops, |o| self.cmpop(o))?;
                self.node("Compare", vec![self.expr(&x.left)?, ops, self.exprs(&x.comparators)?], r)
            }
            E::Call(x) => {
                let args = self.exprs(&x.arguments.args)?;
                // `f(x for x in y)`: CPython's generator expression spans the call's parentheses.
                if let [ast::Expr::Generator(g)] = &*x.arguments.args {
                    if !g.parenthesized {
                        let g = list::get(&args, 0).expect("one argument");
                        self.set_position(g, x.arguments.range.start(), x.arguments.range.end())?;
                    }
                }
                self.node("Call", vec![self.expr(&x.func)?, args, self.keywords(&x.arguments.keywords)?], r)
            }
            E::FString(x) => self.fstring(x),
            E::TString(x) => self.tstring(x),
            E::StringLiteral(x) => {
                let kind = if x.value.is_unicode() { str_obj("u") } else { none::none() };
                self.constant(literal::string_value(self.source, &x.value).to_obj(), kind, x.range)
            }
            E::BytesLiteral(x) => {
                let b: Vec<u8> = x.value.bytes().collect();
                self.constant(bytes::new(&b), none::none(), x.range)
            }
            E::NumberLiteral(x) => {
                let v = match &x.value {
                    ast::Number::Int(i) => literal::big_int_value(&i.to_string(), self.filename, self.source, x.range)?,
                    ast::Number::Float(f) => float::new(*f),
                    ast::Number::Complex { real, imag } => crate::objects::complex::from_doubles(*real, *imag),
                };
                self.constant(v, none::none(), x.range)
            }
            E::BooleanLiteral(x) => self.constant(bool_::new(x.value), none::none(), x.range),
            E::NoneLiteral(x) => self.constant(none::none(), none::none(), x.range),
            E::EllipsisLiteral(x) => self.constant(none::ellipsis(), none::none(), x.range),
            E::Attribute(x) => self.node("Attribute", vec![self.expr(&x.value)?, str_obj(x.attr.as_str()), self.ctx(x.ctx)?], r),
            E::Subscript(x) => self.node("Subscript", vec![self.expr(&x.value)?, self.expr(&x.slice)?, self.ctx(x.ctx)?], r),
            E::Starred(x) => self.node("Starred", vec![self.expr(&x.value)?, self.ctx(x.ctx)?], r),
            E::Name(x) => self.node("Name", vec![str_obj(x.id.as_str()), self.ctx(x.ctx)?], r),
            E::List(x) => self.node("List", vec![self.exprs(&x.elts)?, self.ctx(x.ctx)?], r),
            E::Tuple(x) => self.node("Tuple", vec![self.exprs(&x.elts)?, self.ctx(x.ctx)?], r),
            E::Slice(x) => self.node(
                "Slice",
                vec![self.opt_expr(x.lower.as_deref())?, self.opt_expr(x.upper.as_deref())?, self.opt_expr(x.step.as_deref())?],
                r,
            ),
            E::IpyEscapeCommand(_) => Err(raise!(SyntaxError, "invalid syntax")),
        }
    }

    /// An f-string (with any implicitly concatenated parts) as `JoinedStr`: adjacent literal
    /// text merged into one `Constant`, each replacement field a `FormattedValue`.
    fn fstring(&self, x: &ast::ExprFString) -> PyResult<PyRef> {
        let mut parts = Parts::default();
        for part in x.value.iter() {
            match part {
                ast::FStringPart::Literal(l) => parts.literal(self.source, &l.value, literal::string_content(l), false, l.range),
                ast::FStringPart::FString(f) => self.elements(&f.elements, &mut parts, false)?,
            }
        }
        let values = parts.finish(self)?;
        self.node("JoinedStr", vec![list::new_from_owned(values)], Some(x.range))
    }

    /// A t-string as `TemplateStr`: literal text as `Constant`s, fields as `Interpolation`s.
    fn tstring(&self, x: &ast::ExprTString) -> PyResult<PyRef> {
        let mut parts = Parts::default();
        for t in x.value.iter() {
            self.elements(&t.elements, &mut parts, true)?;
        }
        let values = parts.finish(self)?;
        self.node("TemplateStr", vec![list::new_from_owned(values)], Some(x.range))
    }

    fn elements(&self, elements: &ast::InterpolatedStringElements, parts: &mut Parts, template: bool) -> PyResult<()> {
        for el in elements.iter() {
            match el {
                ast::InterpolatedStringElement::Literal(l) => parts.literal(self.source, &l.value, l.range, true, l.range),
                ast::InterpolatedStringElement::Interpolation(i) => {
                    if let Some(d) = &i.debug_text {
                        let text = format!("{}{}{}", d.leading(), &self.source[i.expression.range()], d.trailing());
                        // CPython places the text from the expression to the `=` and its spaces.
                        let start = i.range.start() + TextSize::new(1);
                        let end = i.expression.range().end() + TextSize::new(d.trailing().len() as u32);
                        parts.text(&text, TextRange::new(start, end));
                    }
                    let conversion: i64 = match i.conversion {
                        ast::ConversionFlag::Str => b's' as i64,
                        ast::ConversionFlag::Repr => b'r' as i64,
                        ast::ConversionFlag::Ascii => b'a' as i64,
                        ast::ConversionFlag::None if i.debug_text.is_some() && i.format_spec.is_none() => b'r' as i64,
                        ast::ConversionFlag::None => -1,
                    };
                    let spec = match &i.format_spec {
                        Some(spec) => {
                            let mut inner = Parts::default();
                            self.elements(&spec.elements, &mut inner, template)?;
                            let values = inner.finish(self)?;
                            let start = spec.range.start().checked_sub(TextSize::new(1)).unwrap_or(spec.range.start());
                            let n = self.node("JoinedStr", vec![list::new_from_owned(values)], None)?;
                            self.set_position(&n, start, spec.range.end())?;
                            n
                        }
                        None => none::none(),
                    };
                    let value = self.expr(&i.expression)?;
                    let node = if template {
                        let text = match &i.debug_text {
                            Some(_) => self.source[i.expression.range()].to_string(),
                            None => self.interpolation_text(i),
                        };
                        self.node("Interpolation", vec![value, str_obj(&text), int(conversion), spec], Some(i.range))?
                    } else {
                        self.node("FormattedValue", vec![value, int(conversion), spec], Some(i.range))?
                    };
                    parts.flush(self)?;
                    parts.values.push(node);
                }
            }
        }
        Ok(())
    }

    /// The source text of an interpolation's expression (between `{` and `!`, `:` or `}`).
    fn interpolation_text(&self, i: &ast::InterpolatedElement) -> String {
        let start = usize::from(i.range.start()) + 1;
        let expr_end = usize::from(i.expression.range().end());
        let rest = &self.source[expr_end..usize::from(i.range.end())];
        let ws = rest.len() - rest.trim_start().len();
        self.source[start..expr_end + ws].to_string()
    }
}

/// The values of a `JoinedStr`/`TemplateStr` being collected: literal text is merged until the
/// next replacement field.
#[derive(Default)]
struct Parts {
    values: Vec<PyRef>,
    text: Option<(LiteralText, TextSize, TextSize)>,
}

impl Parts {
    /// Text placed at `range` (an `f"{x=}"` field's source text).
    fn text(&mut self, s: &str, range: TextRange) {
        if s.is_empty() {
            return;
        }
        self.text_at(range).push_str(s);
    }

    /// A literal part whose text between any quotes is at `content` (see
    /// `LiteralText::push_literal`), placed at `range`.
    fn literal(&mut self, source: &str, value: &str, content: TextRange, interpolated: bool, range: TextRange) {
        if value.is_empty() {
            return;
        }
        self.text_at(range).push_literal(source, content, value, interpolated);
    }

    fn text_at(&mut self, range: TextRange) -> &mut LiteralText {
        match &mut self.text {
            Some((_, _, end)) => *end = range.end(),
            None => self.text = Some((LiteralText::new(), range.start(), range.end())),
        }
        &mut self.text.as_mut().expect("just set").0
    }

    fn flush(&mut self, conv: &Converter) -> PyResult<()> {
        if let Some((t, start, end)) = self.text.take() {
            let c = conv.node("Constant", vec![t.to_obj(), none::none()], None)?;
            conv.set_position(&c, start, end)?;
            self.values.push(c);
        }
        Ok(())
    }

    fn finish(mut self, conv: &Converter) -> PyResult<Vec<PyRef>> {
        self.flush(conv)?;
        Ok(self.values)
    }
}
