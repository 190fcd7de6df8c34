//! The statement checks CPython makes while generating code (`Python/codegen.c`), made here
//! so that every compile-stage `SyntaxError` is known before code generation:
//! `'return'`/`'yield'` outside a function, `'break'`/`'continue'` outside a loop, a value
//! returned from an async generator, `yield from` in an async function, a keyword argument
//! given twice, a type parameter without a default after one with a default, and starred
//! expressions with nothing to unpack into (or two in one assignment target). Each needs only the block an expression runs in, from the table.

use super::{BlockKey, BlockKind, BlockType, ComprehensionKind, ErrorSite, SymbolTable};
use crate::compiler::parse::SyntaxErrorInfo;
use crate::compiler::parse::ast::visitor::{self, Visitor};
use crate::compiler::parse::ast::{self, Expr, Stmt};
use crate::compiler::parse::text_size::{Ranged, TextRange};
use std::collections::HashSet;

pub(super) fn check_module(
    module: &ast::ModModule,
    table: &SymbolTable,
    site: &ErrorSite,
) -> Result<(), SyntaxErrorInfo> {
    let mut checker = Checker::new(table, site);
    checker.visit_body(&module.body);
    checker.error.map_or(Ok(()), Err)
}

pub(super) fn check_expression(
    expression: &ast::ModExpression,
    table: &SymbolTable,
    site: &ErrorSite,
) -> Result<(), SyntaxErrorInfo> {
    let mut checker = Checker::new(table, site);
    checker.visit_expr(&expression.body);
    checker.error.map_or(Ok(()), Err)
}

/// What the code generator knows about the block it is emitting.
#[derive(Clone, Copy)]
struct Frame {
    function_like: bool,
    /// An `async def` (not a comprehension inside one).
    async_function: bool,
    async_generator: bool,
    /// Loops open in this block (a nested block starts with none).
    loops: u32,
    /// `except*` clauses open in this block, and those opened inside the innermost loop:
    /// `return`, and `break`/`continue` that would leave one, are errors.
    except_star: u32,
    except_star_in_loop: u32,
}

const EXCEPT_STAR_EXIT: &str = "'break', 'continue' and 'return' cannot appear in an except* block";

struct Checker<'a> {
    table: &'a SymbolTable,
    site: &'a ErrorSite<'a>,
    frames: Vec<Frame>,
    /// The first error; the walk stops recording once it is set.
    error: Option<SyntaxErrorInfo>,
}

impl<'a> Checker<'a> {
    fn new(table: &'a SymbolTable, site: &'a ErrorSite<'a>) -> Self {
        let top = Frame {
            function_like: false,
            async_function: false,
            async_generator: false,
            loops: 0,
            except_star: 0,
            except_star_in_loop: 0,
        };
        Checker {
            table,
            site,
            frames: vec![top],
            error: None,
        }
    }

    fn frame(&mut self) -> &mut Frame {
        self.frames
            .last_mut()
            .expect("the module frame is never popped")
    }

    fn fail(&mut self, msg: impl Into<String>, range: TextRange) {
        if self.error.is_none() {
            self.error = Some(self.site.error(msg, range));
        }
    }

    /// Runs `f` inside the block `key` defines.
    fn in_block(&mut self, range: TextRange, kind: BlockKind, f: impl FnOnce(&mut Self)) {
        let frame = match self.table.lookup(BlockKey { range, kind }) {
            Some(block) => Frame {
                function_like: block.is_function_like(),
                async_function: block.block_type == BlockType::Function
                    && block.is_coroutine
                    && block.comprehension.is_none(),
                async_generator: block.is_coroutine && block.is_generator,
                loops: 0,
                except_star: 0,
                except_star_in_loop: 0,
            },
            None => Frame {
                function_like: true,
                async_function: false,
                async_generator: false,
                loops: 0,
                except_star: 0,
                except_star_in_loop: 0,
            },
        };
        self.frames.push(frame);
        f(self);
        self.frames.pop();
    }

    /// An element of a display, of call arguments or of a comprehension, where `*x` unpacks.
    fn visit_element(&mut self, expr: &'a Expr) {
        match expr {
            Expr::Starred(starred) => self.visit_expr(&starred.value),
            _ => self.visit_expr(expr),
        }
    }

    fn check_keywords(&mut self, keywords: &[ast::Keyword]) {
        let mut seen = HashSet::new();
        for keyword in keywords {
            if let Some(arg) = &keyword.arg
                && !seen.insert(arg.as_str())
            {
                self.fail(format!("keyword argument repeated: {arg}"), keyword.range);
            }
        }
    }

    fn comprehension(
        &mut self,
        expr: &'a Expr,
        kind: ComprehensionKind,
        generators: &'a [ast::Comprehension],
        parts: &[&'a Expr],
    ) {
        let Some(first) = generators.first() else {
            return;
        };
        self.visit_expr(&first.iter);
        self.in_block(expr.range(), BlockKind::Comprehension(kind), |c| {
            c.visit_expr(&first.target);
            first.ifs.iter().for_each(|e| c.visit_expr(e));
            for generator in &generators[1..] {
                c.visit_comprehension(generator);
            }
            // PEP 798: `[*x for x in y]` unpacks each element.
            parts.iter().for_each(|e| c.visit_element(e));
        });
    }
}

impl<'a> Checker<'a> {
    /// A loop body: `break`/`continue` in it stay inside any enclosing `except*` clause.
    fn loop_body(&mut self, body: &'a [Stmt]) {
        let saved = self.frame().except_star_in_loop;
        self.frame().loops += 1;
        self.frame().except_star_in_loop = 0;
        self.visit_body(body);
        self.frame().loops -= 1;
        self.frame().except_star_in_loop = saved;
    }

    fn check_stmt(&mut self, stmt: &'a Stmt) {
        if self.error.is_some() {
            return;
        }
        match stmt {
            Stmt::FunctionDef(def) => {
                def.decorator_list
                    .iter()
                    .for_each(|d| self.visit_expr(&d.expression));
                let params = &def.parameters;
                for param in params
                    .posonlyargs
                    .iter()
                    .chain(&params.args)
                    .chain(&params.kwonlyargs)
                {
                    if let Some(default) = &param.default {
                        self.visit_expr(default);
                    }
                }
                if let Some(type_params) = &def.type_params {
                    self.visit_type_params(type_params);
                }
                for param in params.iter() {
                    if let Some(annotation) = param.annotation() {
                        self.visit_annotation(annotation);
                    }
                }
                if let Some(returns) = &def.returns {
                    self.visit_annotation(returns);
                }
                self.in_block(def.range, BlockKind::Function, |c| c.visit_body(&def.body));
            }
            Stmt::ClassDef(class) => {
                class
                    .decorator_list
                    .iter()
                    .for_each(|d| self.visit_expr(&d.expression));
                if let Some(type_params) = &class.type_params {
                    self.visit_type_params(type_params);
                }
                if let Some(arguments) = &class.arguments {
                    self.check_keywords(&arguments.keywords);
                    arguments.args.iter().for_each(|a| self.visit_element(a));
                    arguments
                        .keywords
                        .iter()
                        .for_each(|k| self.visit_expr(&k.value));
                }
                self.in_block(class.range, BlockKind::Class, |c| c.visit_body(&class.body));
            }
            Stmt::Return(ret) => {
                let frame = *self.frame();
                if !frame.function_like {
                    self.fail("'return' outside function", stmt.range());
                } else if frame.except_star > 0 {
                    // CPython points at the returned value, if there is one.
                    let at = ret.value.as_ref().map_or(stmt.range(), |v| v.range());
                    self.fail(EXCEPT_STAR_EXIT, at);
                } else if ret.value.is_some() && frame.async_generator {
                    self.fail("'return' with value in async generator", stmt.range());
                }
                visitor::walk_stmt(self, stmt);
            }
            Stmt::For(for_) => {
                self.visit_expr(&for_.target);
                self.visit_expr(&for_.iter);
                self.loop_body(&for_.body);
                self.visit_body(&for_.orelse);
            }
            Stmt::While(while_) => {
                self.visit_expr(&while_.test);
                self.loop_body(&while_.body);
                self.visit_body(&while_.orelse);
            }
            Stmt::Try(try_) if try_.is_star => {
                self.visit_body(&try_.body);
                for handler in &try_.handlers {
                    let ast::ExceptHandler::ExceptHandler(h) = handler;
                    if let Some(t) = &h.type_ {
                        self.visit_expr(t);
                    }
                    self.frame().except_star += 1;
                    self.frame().except_star_in_loop += 1;
                    self.visit_body(&h.body);
                    self.frame().except_star -= 1;
                    self.frame().except_star_in_loop -= 1;
                }
                self.visit_body(&try_.orelse);
                self.visit_body(&try_.finalbody);
            }
            Stmt::Break(_) | Stmt::Continue(_) if self.frame().except_star_in_loop > 0 => {
                self.fail(EXCEPT_STAR_EXIT, stmt.range())
            }
            Stmt::Break(_) if self.frame().loops == 0 => {
                self.fail("'break' outside loop", stmt.range())
            }
            Stmt::Continue(_) if self.frame().loops == 0 => {
                self.fail("'continue' not properly in loop", stmt.range());
            }
            _ => visitor::walk_stmt(self, stmt),
        }
    }

    fn check_expr(&mut self, expr: &'a Expr) {
        if self.error.is_some() {
            return;
        }
        match expr {
            Expr::Lambda(lambda) => {
                if let Some(params) = &lambda.parameters {
                    for param in params
                        .posonlyargs
                        .iter()
                        .chain(&params.args)
                        .chain(&params.kwonlyargs)
                    {
                        if let Some(default) = &param.default {
                            self.visit_expr(default);
                        }
                    }
                }
                self.in_block(lambda.range, BlockKind::Lambda, |c| {
                    c.visit_expr(&lambda.body)
                });
            }
            Expr::ListComp(comp) => {
                self.comprehension(
                    expr,
                    ComprehensionKind::List,
                    &comp.generators,
                    &[&comp.elt],
                );
            }
            Expr::SetComp(comp) => {
                self.comprehension(expr, ComprehensionKind::Set, &comp.generators, &[&comp.elt]);
            }
            Expr::Generator(generator) => {
                self.comprehension(
                    expr,
                    ComprehensionKind::Generator,
                    &generator.generators,
                    &[&generator.elt],
                );
            }
            Expr::DictComp(comp) => {
                let mut parts: Vec<&Expr> = comp.key.as_deref().into_iter().collect();
                parts.push(&comp.value);
                self.comprehension(expr, ComprehensionKind::Dict, &comp.generators, &parts);
            }
            Expr::Yield(_) | Expr::YieldFrom(_) => {
                let frame = *self.frame();
                if !frame.function_like {
                    self.fail("'yield' outside function", expr.range());
                } else if matches!(expr, Expr::YieldFrom(_)) && frame.async_function {
                    self.fail("'yield from' inside async function", expr.range());
                }
                visitor::walk_expr(self, expr);
            }
            Expr::Call(call) => {
                self.check_keywords(&call.arguments.keywords);
                self.visit_expr(&call.func);
                call.arguments
                    .args
                    .iter()
                    .for_each(|a| self.visit_element(a));
                call.arguments
                    .keywords
                    .iter()
                    .for_each(|k| self.visit_expr(&k.value));
            }
            Expr::List(ast::ExprList { elts, ctx, .. })
            | Expr::Tuple(ast::ExprTuple { elts, ctx, .. }) => {
                let starred = elts.iter().filter(|e| e.is_starred_expr()).count();
                if *ctx == ast::ExprContext::Store && starred > 1 {
                    self.fail("multiple starred expressions in assignment", expr.range());
                }
                elts.iter().for_each(|e| self.visit_element(e));
            }
            Expr::Set(set) => set.elts.iter().for_each(|e| self.visit_element(e)),
            // `x[*a]` is a tuple of one unpacked element.
            Expr::Subscript(subscript) => {
                self.visit_expr(&subscript.value);
                self.visit_element(&subscript.slice);
            }
            // Anywhere else, a starred expression has nothing to unpack into.
            Expr::Starred(starred) => {
                let msg = if starred.ctx == ast::ExprContext::Store {
                    "starred assignment target must be in a list or tuple"
                } else {
                    "can't use starred expression here"
                };
                self.fail(msg, expr.range());
            }
            _ => visitor::walk_expr(self, expr),
        }
    }
}

impl<'a> Visitor<'a> for Checker<'a> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        super::with_stack(|| self.check_stmt(stmt));
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        super::with_stack(|| self.check_expr(expr));
    }

    // Annotations and PEP 695 blocks are evaluated lazily in function-like blocks, where the
    // symbol table has already refused `yield` and the like; only calls matter there.
    fn visit_annotation(&mut self, expr: &'a Expr) {
        self.frames.push(Frame {
            function_like: true,
            async_function: false,
            async_generator: false,
            loops: 0,
            except_star: 0,
            except_star_in_loop: 0,
        });
        // `*args: *Ts` (PEP 646) unpacks.
        self.visit_element(expr);
        self.frames.pop();
    }

    fn visit_type_params(&mut self, type_params: &'a ast::TypeParams) {
        // A type parameter without a default cannot follow one with a default.
        let mut seen_default = false;
        for tp in type_params.iter() {
            let (name, has_default) = match tp {
                ast::TypeParam::TypeVar(v) => (&v.name, v.default.is_some()),
                ast::TypeParam::TypeVarTuple(v) => (&v.name, v.default.is_some()),
                ast::TypeParam::ParamSpec(v) => (&v.name, v.default.is_some()),
            };
            if seen_default && !has_default {
                self.fail(
                    format!("non-default type parameter '{name}' follows default type parameter"),
                    tp.range(),
                );
            }
            seen_default |= has_default;
        }
        self.frames.push(Frame {
            function_like: true,
            async_function: false,
            async_generator: false,
            loops: 0,
            except_star: 0,
            except_star_in_loop: 0,
        });
        visitor::walk_type_params(self, type_params);
        self.frames.pop();
    }

    fn visit_type_param(&mut self, type_param: &'a ast::TypeParam) {
        match type_param {
            // `*Ts = *tuple[int]` (PEP 696) unpacks.
            ast::TypeParam::TypeVarTuple(v) => {
                if let Some(d) = &v.default {
                    self.visit_element(d);
                }
            }
            _ => visitor::walk_type_param(self, type_param),
        }
    }
}
