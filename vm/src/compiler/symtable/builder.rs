//! The first pass: walks the AST in CPython's order (`symtable_visit_*` in `symtable.c`),
//! creating a block per scope and recording each name's flags in the block that mentions it.
//! The errors it raises are the ones CPython raises during this walk, with the same messages
//! and locations.

use super::{
    Block, BlockId, BlockKey, BlockKind, BlockType, ComprehensionKind, ErrorSite, SymbolFlags,
    SymbolTable, mangle,
};
use crate::compiler::parse::SyntaxErrorInfo;
use crate::compiler::parse::ast::{self, Expr, ExprContext, Pattern, Stmt, TypeParam};
use crate::compiler::parse::text_size::{Ranged, TextRange, TextSize};
use std::collections::{HashMap, HashSet};

type Result<T = ()> = std::result::Result<T, SyntaxErrorInfo>;

const USE: SymbolFlags = SymbolFlags::USE;
const DEF_LOCAL: SymbolFlags = SymbolFlags::DEF_LOCAL;
const DEF_PARAM: SymbolFlags = SymbolFlags::DEF_PARAM;
const DEF_GLOBAL: SymbolFlags = SymbolFlags::DEF_GLOBAL;
const DEF_NONLOCAL: SymbolFlags = SymbolFlags::DEF_NONLOCAL;

/// Per-block state the walk needs and the result does not (CPython keeps it in the entry).
#[derive(Default)]
struct WalkState {
    /// Visiting a comprehension's iteration target (`ste_comp_iter_target`).
    comp_iter_target: bool,
    /// Depth of comprehension iterables being visited (`ste_comp_iter_expr`).
    comp_iter_expr: u32,
    /// Inside `if`/`for`/`while`/`try`/`with`/`match` (`ste_in_conditional_block`).
    in_conditional_block: bool,
    /// Visiting a function body's annotation, whose names are never evaluated.
    in_unevaluated_annotation: bool,
    /// Inside a `try` statement (for `lazy import`).
    in_try_block: bool,
    /// This block's `__annotate__` for annotated assignments, once created.
    annotation_block: Option<BlockId>,
    /// `global`/`nonlocal` declarations (and walrus-implied ones): name and location, for
    /// the errors found when resolving them.
    directives: Vec<(String, TextRange)>,
    /// What a type-variable block evaluates ("a TypeVar bound", ...), for its errors.
    scope_info: Option<&'static str>,
    /// The block whose `mangled_names` set applies here (generic classes).
    mangled_names_owner: Option<BlockId>,
}

pub(super) struct Builder<'a> {
    site: &'a ErrorSite<'a>,
    blocks: Vec<Block>,
    walk: Vec<WalkState>,
    by_key: HashMap<BlockKey, BlockId>,
    stack: Vec<BlockId>,
    /// The class whose name mangles private names (`st_private`).
    private: Option<String>,
    /// `from __future__ import annotations`: annotations are strings, so their blocks are
    /// walked but kept out of the tree.
    future_annotations: bool,
    /// The last statement of the future-import prologue (`ff_location`).
    future_location: Option<TextRange>,
    /// A generator expression that is a call's only argument (`f(x for x in y)`), with the
    /// call's parentheses: CPython's AST gives it the parentheses' position.
    sole_generator_argument: Option<(TextRange, TextRange)>,
}

/// Result of the first pass: the blocks (symbols not yet resolved) and the directives the
/// second pass needs for its errors.
pub(super) struct FirstPass {
    pub table: SymbolTable,
    pub directives: Vec<Vec<(String, TextRange)>>,
}

pub(super) fn build_module(module: &ast::ModModule, site: &ErrorSite) -> Result<FirstPass> {
    let mut builder = Builder::new(site);
    builder.read_future_imports(&module.body);
    builder.enter_block(
        "top",
        BlockType::Module,
        BlockKey {
            range: module.range,
            kind: BlockKind::Module,
        },
        TextRange::default(),
    )?;
    builder.blocks[0].lineno = 0;
    builder.blocks[0].has_docstring = has_docstring(&module.body);
    for stmt in &module.body {
        builder.visit_stmt(stmt)?;
    }
    builder.exit_block();
    Ok(builder.finish())
}

pub(super) fn build_expression(
    expression: &ast::ModExpression,
    site: &ErrorSite,
) -> Result<FirstPass> {
    let mut builder = Builder::new(site);
    let key = BlockKey {
        range: expression.range,
        kind: BlockKind::Module,
    };
    builder.enter_block("top", BlockType::Module, key, TextRange::default())?;
    builder.blocks[0].lineno = 0;
    builder.visit_expr(&expression.body)?;
    builder.exit_block();
    Ok(builder.finish())
}

fn has_docstring(body: &[Stmt]) -> bool {
    matches!(body.first(), Some(Stmt::Expr(e)) if matches!(&*e.value, Expr::StringLiteral(_)))
}

/// Whether a comprehension's outermost `for` is `async`.
fn first_is_async(generators: &[ast::Comprehension]) -> bool {
    generators.first().is_some_and(|g| g.is_async)
}

impl<'a> Builder<'a> {
    fn new(site: &'a ErrorSite<'a>) -> Self {
        Builder {
            site,
            blocks: Vec::new(),
            walk: Vec::new(),
            by_key: HashMap::new(),
            stack: Vec::new(),
            private: None,
            future_annotations: false,
            future_location: None,
            sole_generator_argument: None,
        }
    }

    fn finish(mut self) -> FirstPass {
        // Blocks under a generic class's type-parameter block share its mangled-names set.
        for i in 0..self.blocks.len() {
            if let Some(owner) = self.walk[i].mangled_names_owner
                && owner.0 as usize != i
            {
                self.blocks[i].mangled_names = self.blocks[owner.0 as usize].mangled_names.clone();
            }
        }
        let directives = self.walk.into_iter().map(|w| w.directives).collect();
        FirstPass {
            table: SymbolTable {
                blocks: self.blocks,
                by_key: self.by_key,
                future_annotations: self.future_annotations,
            },
            directives,
        }
    }

    fn error(&self, msg: impl Into<String>, range: TextRange) -> SyntaxErrorInfo {
        self.site.error(msg, range)
    }

    fn cur(&self) -> BlockId {
        *self
            .stack
            .last()
            .expect("a block is always open while walking")
    }

    fn cur_block(&self) -> &Block {
        &self.blocks[self.cur().0 as usize]
    }

    fn cur_block_mut(&mut self) -> &mut Block {
        let id = self.cur();
        &mut self.blocks[id.0 as usize]
    }

    fn cur_walk(&mut self) -> &mut WalkState {
        let id = self.cur();
        &mut self.walk[id.0 as usize]
    }

    fn block_mut(&mut self, id: BlockId) -> &mut Block {
        &mut self.blocks[id.0 as usize]
    }

    fn line_of(&self, offset: TextSize) -> usize {
        self.site.index.line_of(offset)
    }

    /// Where CPython locates a `def`/`class`: at the keyword (or `async`), after decorators.
    fn definition_range(&self, range: TextRange, decorators: &[ast::Decorator]) -> TextRange {
        let Some(last) = decorators.last() else {
            return range;
        };
        let bytes = self.site.source.as_bytes();
        let mut i = last.range.end().to_usize();
        while i < range.end().to_usize() {
            match bytes[i] {
                b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' | b'\\' => i += 1,
                b'#' => {
                    while i < bytes.len() && bytes[i] != b'\n' && bytes[i] != b'\r' {
                        i += 1;
                    }
                }
                _ => break,
            }
        }
        TextRange::new(TextSize::new(i as u32), range.end())
    }

    // ---- Blocks -------------------------------------------------------------------------------

    /// Creates a block (`ste_new`) without entering it.
    fn new_block(
        &mut self,
        name: &str,
        block_type: BlockType,
        key: BlockKey,
        location: TextRange,
    ) -> BlockId {
        let id = BlockId(self.blocks.len() as u32);
        let parent = self.stack.last().copied();
        let is_nested = parent.is_some_and(|p| {
            let p = &self.blocks[p.0 as usize];
            p.is_nested || p.is_function_like()
        });
        let is_method = block_type == BlockType::Function
            && parent.is_some_and(|p| self.blocks[p.0 as usize].block_type == BlockType::Class);
        self.blocks.push(Block {
            id,
            key,
            name: name.to_owned(),
            block_type,
            comprehension: None,
            lineno: self.line_of(location.start()),
            parent,
            children: Vec::new(),
            symbols: Vec::new(),
            symbol_index: HashMap::new(),
            varnames: Vec::new(),
            cellvars: Vec::new(),
            freevars: Vec::new(),
            is_nested,
            is_generator: false,
            is_coroutine: false,
            has_varargs: false,
            has_varkeywords: false,
            returns_value: false,
            needs_class_closure: false,
            needs_classdict: false,
            has_conditional_annotations: false,
            can_see_class_scope: false,
            is_method,
            annotations_used: false,
            has_docstring: false,
            mangled_names: None,
            private: self.private.clone(),
        });
        self.walk.push(WalkState::default());
        self.by_key.insert(key, id);
        id
    }

    /// Pushes `id` and attaches it to the current block (`symtable_enter_existing_block`).
    fn enter_existing_block(&mut self, id: BlockId, add_to_children: bool) {
        let prev = self.stack.last().copied();
        self.stack.push(id);
        if let Some(prev) = prev {
            let (iter_expr, owner) = {
                let w = &self.walk[prev.0 as usize];
                (w.comp_iter_expr, w.mangled_names_owner)
            };
            // bpo-37757: walrus is refused anywhere inside a comprehension's outermost
            // iterable, even in a nested comprehension or lambda there.
            self.walk[id.0 as usize].comp_iter_expr = iter_expr;
            if owner.is_some() && self.blocks[id.0 as usize].block_type != BlockType::Class {
                self.walk[id.0 as usize].mangled_names_owner = owner;
            }
        }
        // With `from __future__ import annotations`, annotations compile to strings: their
        // blocks see the names but are no part of the tree.
        if self.future_annotations && self.blocks[id.0 as usize].block_type == BlockType::Annotation
        {
            return;
        }
        if let (Some(prev), true) = (prev, add_to_children) {
            self.block_mut(prev).children.push(id);
        }
    }

    fn enter_block(
        &mut self,
        name: &str,
        block_type: BlockType,
        key: BlockKey,
        location: TextRange,
    ) -> Result<BlockId> {
        let id = self.new_block(name, block_type, key, location);
        self.enter_existing_block(id, true);
        if matches!(
            block_type,
            BlockType::Annotation | BlockType::TypeVariable | BlockType::TypeAlias
        ) {
            // The generated function reads its `format` argument.
            self.add_def(".format", DEF_PARAM, location)?;
            self.add_def(".format", USE, location)?;
        }
        Ok(id)
    }

    fn exit_block(&mut self) {
        self.stack.pop();
    }

    // ---- Names --------------------------------------------------------------------------------

    /// `_Py_MaybeMangle` for the current block.
    fn maybe_mangle(&self, name: &str) -> String {
        if let Some(owner) = self.walk[self.cur().0 as usize].mangled_names_owner {
            let names = self.blocks[owner.0 as usize].mangled_names.as_ref();
            if !names.is_some_and(|n| n.contains(name)) {
                return name.to_owned();
            }
        }
        mangle(self.private.as_deref(), name).into_owned()
    }

    fn lookup_in(&self, block: BlockId, name: &str) -> SymbolFlags {
        let mangled = self.maybe_mangle(name);
        self.blocks[block.0 as usize]
            .symbol(&mangled)
            .map_or(SymbolFlags::EMPTY, |s| s.flags)
    }

    fn lookup(&self, name: &str) -> SymbolFlags {
        self.lookup_in(self.cur(), name)
    }

    /// `check_name`: `__debug__` can be neither bound nor deleted.
    fn check_name(&self, name: &str, range: TextRange, ctx: ExprContext) -> Result {
        if name == "__debug__" {
            match ctx {
                ExprContext::Store => return Err(self.error("cannot assign to __debug__", range)),
                ExprContext::Del => return Err(self.error("cannot delete __debug__", range)),
                _ => {}
            }
        }
        Ok(())
    }

    fn add_def(&mut self, name: &str, flag: SymbolFlags, range: TextRange) -> Result {
        let ctx = if flag == USE {
            ExprContext::Load
        } else {
            ExprContext::Store
        };
        self.add_def_ctx(name, flag, range, ctx)
    }

    fn add_def_ctx(
        &mut self,
        name: &str,
        flag: SymbolFlags,
        range: TextRange,
        ctx: ExprContext,
    ) -> Result {
        if flag.intersects(DEF_PARAM | DEF_LOCAL | SymbolFlags::DEF_IMPORT) {
            self.check_name(name, range, ctx)?;
        }
        if flag.contains(SymbolFlags::DEF_TYPE_PARAM)
            && let Some(owner) = self.walk[self.cur().0 as usize].mangled_names_owner
            && let Some(names) = self.block_mut(owner).mangled_names.as_mut()
        {
            names.insert(name.to_owned());
        }
        self.add_def_in(name, flag, self.cur(), range)
    }

    /// `symtable_add_def_helper`: records `flag` for `name` in `block`.
    fn add_def_in(
        &mut self,
        name: &str,
        flag: SymbolFlags,
        block: BlockId,
        range: TextRange,
    ) -> Result {
        let mangled = self.maybe_mangle(name);
        let existing = self.blocks[block.0 as usize]
            .symbol(&mangled)
            .map(|s| s.flags);
        let mut value = match existing {
            Some(old) => {
                if flag.contains(DEF_PARAM) && old.contains(DEF_PARAM) {
                    return Err(self.error(
                        format!("duplicate parameter '{name}' in function definition"),
                        range,
                    ));
                }
                if flag.contains(SymbolFlags::DEF_TYPE_PARAM)
                    && old.contains(SymbolFlags::DEF_TYPE_PARAM)
                {
                    return Err(self.error(format!("duplicate type parameter '{name}'"), range));
                }
                old | flag
            }
            None => flag,
        };
        if self.walk[block.0 as usize].comp_iter_target {
            // An iteration variable: it must not be a walrus target already, and later walrus
            // targets check against it.
            if value.intersects(DEF_GLOBAL | DEF_NONLOCAL) {
                return Err(self.error(
                    format!("comprehension inner loop cannot rebind assignment expression target '{name}'"),
                    range,
                ));
            }
            value |= SymbolFlags::DEF_COMP_ITER;
        }
        set_flags(self.block_mut(block), &mangled, value);
        if flag.contains(DEF_PARAM) {
            self.block_mut(block).varnames.push(mangled);
        } else if flag.contains(DEF_GLOBAL) {
            // The module learns of every `global` declaration (`st_global`).
            let module = BlockId(0);
            let old = self.blocks[0]
                .symbol(&mangled)
                .map_or(SymbolFlags::EMPTY, |s| s.flags);
            set_flags(self.block_mut(module), &mangled, old | flag);
        }
        Ok(())
    }

    fn record_directive(&mut self, name: &str, range: TextRange) {
        let mangled = self.maybe_mangle(name);
        self.cur_walk().directives.push((mangled, range));
    }

    // ---- Statements ---------------------------------------------------------------------------

    fn visit_body(&mut self, body: &[Stmt]) -> Result {
        body.iter().try_for_each(|s| self.visit_stmt(s))
    }

    /// Runs `f` with the current block marked as inside a conditional statement.
    fn conditional(&mut self, f: impl FnOnce(&mut Self) -> Result) -> Result {
        let saved = std::mem::replace(&mut self.cur_walk().in_conditional_block, true);
        let result = f(self);
        self.cur_walk().in_conditional_block = saved;
        result
    }

    fn visit_stmt(&mut self, stmt: &Stmt) -> Result {
        super::with_stack(|| self.visit_stmt_inner(stmt))
    }

    fn visit_stmt_inner(&mut self, stmt: &Stmt) -> Result {
        match stmt {
            Stmt::FunctionDef(def) => self.visit_function_def(def),
            Stmt::ClassDef(class) => self.visit_class_def(class),
            Stmt::TypeAlias(alias) => self.visit_type_alias(alias),
            Stmt::Return(ret) => {
                if let Some(value) = &ret.value {
                    self.visit_expr(value)?;
                    self.cur_block_mut().returns_value = true;
                }
                Ok(())
            }
            Stmt::Delete(del) => del.targets.iter().try_for_each(|t| self.visit_expr(t)),
            Stmt::Assign(assign) => {
                assign.targets.iter().try_for_each(|t| self.visit_expr(t))?;
                self.visit_expr(&assign.value)
            }
            Stmt::AnnAssign(ann) => self.visit_ann_assign(ann),
            Stmt::AugAssign(aug) => {
                self.visit_expr(&aug.target)?;
                self.visit_expr(&aug.value)
            }
            Stmt::For(for_) => {
                if for_.is_async {
                    self.require_coroutine("'async for' outside async function", stmt.range())?;
                }
                self.visit_expr(&for_.target)?;
                self.visit_expr(&for_.iter)?;
                self.conditional(|b| {
                    b.visit_body(&for_.body)?;
                    b.visit_body(&for_.orelse)
                })
            }
            Stmt::While(while_) => {
                self.visit_expr(&while_.test)?;
                self.conditional(|b| {
                    b.visit_body(&while_.body)?;
                    b.visit_body(&while_.orelse)
                })
            }
            Stmt::If(if_) => {
                self.visit_expr(&if_.test)?;
                self.conditional(|b| {
                    b.visit_body(&if_.body)?;
                    for clause in &if_.elif_else_clauses {
                        if let Some(test) = &clause.test {
                            b.visit_expr(test)?;
                        }
                        b.visit_body(&clause.body)?;
                    }
                    Ok(())
                })
            }
            Stmt::With(with) => {
                if with.is_async {
                    self.require_coroutine("'async with' outside async function", stmt.range())?;
                }
                self.conditional(|b| {
                    for item in &with.items {
                        b.visit_expr(&item.context_expr)?;
                        if let Some(vars) = &item.optional_vars {
                            b.visit_expr(vars)?;
                        }
                    }
                    b.visit_body(&with.body)
                })
            }
            Stmt::Match(match_) => {
                self.visit_expr(&match_.subject)?;
                self.conditional(|b| {
                    for case in &match_.cases {
                        b.visit_pattern(&case.pattern)?;
                        if let Some(guard) = &case.guard {
                            b.visit_expr(guard)?;
                        }
                        b.visit_body(&case.body)?;
                    }
                    Ok(())
                })
            }
            Stmt::Raise(raise) => {
                if let Some(exc) = &raise.exc {
                    self.visit_expr(exc)?;
                    if let Some(cause) = &raise.cause {
                        self.visit_expr(cause)?;
                    }
                }
                Ok(())
            }
            Stmt::Try(try_) => {
                let saved_try = std::mem::replace(&mut self.cur_walk().in_try_block, true);
                let result = self.conditional(|b| {
                    b.visit_body(&try_.body)?;
                    for handler in &try_.handlers {
                        let ast::ExceptHandler::ExceptHandler(h) = handler;
                        if let Some(type_) = &h.type_ {
                            b.visit_expr(type_)?;
                        }
                        if let Some(name) = &h.name {
                            b.add_def(name, DEF_LOCAL, h.range)?;
                        }
                        b.visit_body(&h.body)?;
                    }
                    b.visit_body(&try_.orelse)?;
                    b.visit_body(&try_.finalbody)
                });
                self.cur_walk().in_try_block = saved_try;
                result
            }
            Stmt::Assert(assert) => {
                self.visit_expr(&assert.test)?;
                if let Some(msg) = &assert.msg {
                    self.visit_expr(msg)?;
                }
                Ok(())
            }
            Stmt::Import(import) => {
                self.check_lazy_import(import.is_lazy, "lazy import", stmt.range())?;
                import
                    .names
                    .iter()
                    .try_for_each(|alias| self.visit_alias(alias))
            }
            Stmt::ImportFrom(import) => {
                self.check_lazy_import(import.is_lazy, "lazy from ... import", stmt.range())?;
                if import.is_lazy && import.names.iter().any(|a| a.name.as_str() == "*") {
                    return Err(self.error("lazy from ... import * is not allowed", stmt.range()));
                }
                import
                    .names
                    .iter()
                    .try_for_each(|alias| self.visit_alias(alias))?;
                self.check_import_from(import)
            }
            Stmt::Global(global) => self.visit_declaration(&global.names, stmt.range(), true),
            Stmt::Nonlocal(nonlocal) => {
                self.visit_declaration(&nonlocal.names, stmt.range(), false)
            }
            Stmt::Expr(expr) => self.visit_expr(&expr.value),
            Stmt::Pass(_) | Stmt::Break(_) | Stmt::Continue(_) | Stmt::IpyEscapeCommand(_) => {
                Ok(())
            }
        }
    }

    /// `async for`/`async with` need an `async def` around them.
    fn require_coroutine(&self, msg: &str, range: TextRange) -> Result {
        if self.cur_block().is_coroutine {
            Ok(())
        } else {
            Err(self.error(msg, range))
        }
    }

    /// PEP 810: `lazy` imports only at module level, outside `try`.
    fn check_lazy_import(&self, is_lazy: bool, what: &str, range: TextRange) -> Result {
        if !is_lazy {
            return Ok(());
        }
        let block = self.cur_block();
        let place = if block.is_function_like() {
            "functions"
        } else if block.block_type == BlockType::Class {
            "classes"
        } else if self.walk[self.cur().0 as usize].in_try_block {
            "try/except blocks"
        } else {
            return Ok(());
        };
        Err(self.error(format!("{what} not allowed inside {place}"), range))
    }

    fn visit_function_def(&mut self, def: &ast::StmtFunctionDef) -> Result {
        let location = self.definition_range(def.range, &def.decorator_list);
        self.add_def(&def.name, DEF_LOCAL, location)?;
        let params = &def.parameters;
        self.visit_defaults(params)?;
        for decorator in &def.decorator_list {
            self.visit_expr(&decorator.expression)?;
        }
        if let Some(type_params) = &def.type_params {
            // CPython tests whether the AST's `defaults` sequence exists, and its parser always
            // makes one (empty or not): every generic function gets `.defaults`.
            let has_defaults = true;
            let has_kwdefaults = params.kwonlyargs.iter().any(|p| p.default.is_some());
            self.enter_type_param_block(
                &def.name,
                def.range,
                has_defaults,
                has_kwdefaults,
                false,
                location,
            )?;
            type_params
                .iter()
                .try_for_each(|tp| self.visit_type_param(tp))?;
        }
        let key = BlockKey {
            range: def.range,
            kind: BlockKind::Function,
        };
        let function = self.new_block(&def.name, BlockType::Function, key, location);
        self.blocks[function.0 as usize].has_docstring = has_docstring(&def.body);
        self.visit_annotations(def, location)?;
        self.enter_existing_block(function, true);
        if def.is_async {
            self.cur_block_mut().is_coroutine = true;
        }
        self.visit_parameters(params)?;
        self.visit_body(&def.body)?;
        self.exit_block();
        if def.type_params.is_some() {
            self.exit_block();
        }
        Ok(())
    }

    /// Parameter defaults, evaluated where the function is defined.
    fn visit_defaults(&mut self, params: &ast::Parameters) -> Result {
        for param in params
            .posonlyargs
            .iter()
            .chain(&params.args)
            .chain(&params.kwonlyargs)
        {
            if let Some(default) = &param.default {
                self.visit_expr(default)?;
            }
        }
        Ok(())
    }

    /// Binds the parameters in `co_varnames` order (`symtable_visit_arguments`).
    fn visit_parameters(&mut self, params: &ast::Parameters) -> Result {
        for param in params
            .posonlyargs
            .iter()
            .chain(&params.args)
            .chain(&params.kwonlyargs)
        {
            self.add_def(&param.parameter.name, DEF_PARAM, param.parameter.name.range)?;
        }
        if let Some(vararg) = &params.vararg {
            self.add_def(&vararg.name, DEF_PARAM, vararg.name.range)?;
            self.cur_block_mut().has_varargs = true;
        }
        if let Some(kwarg) = &params.kwarg {
            self.add_def(&kwarg.name, DEF_PARAM, kwarg.name.range)?;
            self.cur_block_mut().has_varkeywords = true;
        }
        Ok(())
    }

    /// The `__annotate__` block of a function's parameters and return value; CPython creates
    /// it for every function, annotated or not.
    fn visit_annotations(&mut self, def: &ast::StmtFunctionDef, location: TextRange) -> Result {
        let in_class =
            self.cur_block().can_see_class_scope || self.cur_block().block_type == BlockType::Class;
        let key = BlockKey {
            range: def.range,
            kind: BlockKind::FunctionAnnotations,
        };
        self.enter_block("__annotate__", BlockType::Annotation, key, location)?;
        if in_class {
            self.cur_block_mut().can_see_class_scope = true;
            self.add_def("__classdict__", USE, location)?;
        }
        let params = &def.parameters;
        // CPython's order: positional-only, positional, *args, **kwargs, keyword-only, return.
        let annotations = params
            .posonlyargs
            .iter()
            .chain(&params.args)
            .map(|p| &p.parameter)
            .chain(params.vararg.as_deref())
            .chain(params.kwarg.as_deref())
            .chain(params.kwonlyargs.iter().map(|p| &p.parameter))
            .filter_map(|p| p.annotation.as_deref())
            .chain(def.returns.as_deref());
        for annotation in annotations {
            self.cur_block_mut().annotations_used = true;
            self.visit_expr(annotation)?;
        }
        self.exit_block();
        Ok(())
    }

    fn visit_class_def(&mut self, class: &ast::StmtClassDef) -> Result {
        let location = self.definition_range(class.range, &class.decorator_list);
        self.add_def(&class.name, DEF_LOCAL, location)?;
        for decorator in &class.decorator_list {
            self.visit_expr(&decorator.expression)?;
        }
        let saved_private = self.private.clone();
        if let Some(type_params) = &class.type_params {
            let tp_block = self.enter_type_param_block(
                &class.name,
                class.range,
                false,
                false,
                true,
                location,
            )?;
            self.private = Some(class.name.to_string());
            self.block_mut(tp_block).private = self.private.clone();
            // Only the type parameters are mangled in this block (they are visible in the
            // class body under their mangled names).
            self.block_mut(tp_block).mangled_names = Some(HashSet::new());
            self.walk[tp_block.0 as usize].mangled_names_owner = Some(tp_block);
            type_params
                .iter()
                .try_for_each(|tp| self.visit_type_param(tp))?;
        }
        if let Some(arguments) = &class.arguments {
            self.note_sole_generator_argument(arguments);
            arguments
                .args
                .iter()
                .try_for_each(|base| self.visit_expr(base))?;
            self.check_keywords(&arguments.keywords)?;
            arguments
                .keywords
                .iter()
                .try_for_each(|k| self.visit_expr(&k.value))?;
        }
        let key = BlockKey {
            range: class.range,
            kind: BlockKind::Class,
        };
        let class_block = self.enter_block(&class.name, BlockType::Class, key, location)?;
        self.private = Some(class.name.to_string());
        self.block_mut(class_block).private = self.private.clone();
        if class.type_params.is_some() {
            self.add_def("__type_params__", DEF_LOCAL, location)?;
            self.add_def(".type_params", USE, location)?;
        }
        self.cur_block_mut().has_docstring = has_docstring(&class.body);
        self.visit_body(&class.body)?;
        self.exit_block();
        if class.type_params.is_some() {
            self.exit_block();
        }
        self.private = saved_private;
        Ok(())
    }

    fn visit_type_alias(&mut self, alias: &ast::StmtTypeAlias) -> Result {
        self.visit_expr(&alias.name)?;
        let name = match &*alias.name {
            Expr::Name(name) => name.id.to_string(),
            other => return Err(self.error("invalid syntax", other.range())),
        };
        let in_class = self.cur_block().block_type == BlockType::Class;
        if let Some(type_params) = &alias.type_params {
            self.enter_type_param_block(&name, alias.range, false, false, false, alias.range)?;
            type_params
                .iter()
                .try_for_each(|tp| self.visit_type_param(tp))?;
        }
        let key = BlockKey {
            range: alias.range,
            kind: BlockKind::TypeAlias,
        };
        self.enter_block(&name, BlockType::TypeAlias, key, alias.range)?;
        self.cur_block_mut().can_see_class_scope = in_class;
        if in_class {
            self.add_def("__classdict__", USE, alias.value.range())?;
        }
        self.visit_expr(&alias.value)?;
        self.exit_block();
        if alias.type_params.is_some() {
            self.exit_block();
        }
        Ok(())
    }

    /// `symtable_enter_type_param_block`.
    fn enter_type_param_block(
        &mut self,
        name: &str,
        range: TextRange,
        has_defaults: bool,
        has_kwdefaults: bool,
        is_class: bool,
        location: TextRange,
    ) -> Result<BlockId> {
        let in_class = self.cur_block().block_type == BlockType::Class;
        let key = BlockKey {
            range,
            kind: BlockKind::TypeParameters,
        };
        let id = self.enter_block(name, BlockType::TypeParameters, key, location)?;
        if in_class {
            self.cur_block_mut().can_see_class_scope = true;
            self.add_def("__classdict__", USE, location)?;
        }
        if is_class {
            // Set when the tuple of type parameters is built, read to build the bases.
            self.add_def(".type_params", DEF_LOCAL, location)?;
            self.add_def(".type_params", USE, location)?;
            self.add_def(".generic_base", DEF_LOCAL, location)?;
            self.add_def(".generic_base", USE, location)?;
        }
        if has_defaults {
            self.add_def(".defaults", DEF_PARAM, location)?;
        }
        if has_kwdefaults {
            self.add_def(".kwdefaults", DEF_PARAM, location)?;
        }
        Ok(id)
    }

    fn visit_type_param(&mut self, tp: &TypeParam) -> Result {
        let type_param = SymbolFlags::DEF_TYPE_PARAM | DEF_LOCAL;
        match tp {
            TypeParam::TypeVar(var) => {
                self.add_def(&var.name, type_param, var.range)?;
                let info = match var.bound.as_deref() {
                    Some(Expr::Tuple(_)) => "a TypeVar constraint",
                    _ => "a TypeVar bound",
                };
                self.visit_type_param_expr(
                    var.bound.as_deref(),
                    &var.name,
                    var.range,
                    BlockKind::TypeVarBound,
                    info,
                )?;
                self.visit_type_param_expr(
                    var.default.as_deref(),
                    &var.name,
                    var.range,
                    BlockKind::TypeVarDefault,
                    "a TypeVar default",
                )
            }
            TypeParam::TypeVarTuple(var) => {
                self.add_def(&var.name, type_param, var.range)?;
                self.visit_type_param_expr(
                    var.default.as_deref(),
                    &var.name,
                    var.range,
                    BlockKind::TypeVarDefault,
                    "a TypeVarTuple default",
                )
            }
            TypeParam::ParamSpec(spec) => {
                self.add_def(&spec.name, type_param, spec.range)?;
                self.visit_type_param_expr(
                    spec.default.as_deref(),
                    &spec.name,
                    spec.range,
                    BlockKind::TypeVarDefault,
                    "a ParamSpec default",
                )
            }
        }
    }

    /// A type variable's bound or default, evaluated lazily in its own block.
    fn visit_type_param_expr(
        &mut self,
        expr: Option<&Expr>,
        name: &str,
        tp_range: TextRange,
        kind: BlockKind,
        info: &'static str,
    ) -> Result {
        if name == "__classdict__" {
            return Err(self.error(
                "reserved name '__classdict__' cannot be used for type parameter",
                tp_range,
            ));
        }
        let Some(expr) = expr else { return Ok(()) };
        let in_class = self.cur_block().can_see_class_scope;
        self.enter_block(
            name,
            BlockType::TypeVariable,
            BlockKey {
                range: tp_range,
                kind,
            },
            expr.range(),
        )?;
        self.cur_block_mut().can_see_class_scope = in_class;
        if in_class {
            self.add_def("__classdict__", USE, expr.range())?;
        }
        self.cur_walk().scope_info = Some(info);
        self.visit_expr(expr)?;
        self.exit_block();
        Ok(())
    }

    fn visit_ann_assign(&mut self, ann: &ast::StmtAnnAssign) -> Result {
        self.cur_block_mut().annotations_used = true;
        if let Expr::Name(target) = &*ann.target {
            let current = self.lookup(&target.id);
            let is_module = self.cur() == BlockId(0);
            if current.intersects(DEF_GLOBAL | DEF_NONLOCAL) && !is_module && ann.simple {
                let what = if current.contains(DEF_GLOBAL) {
                    "global"
                } else {
                    "nonlocal"
                };
                return Err(self.error(
                    format!("annotated name '{}' can't be {what}", target.id),
                    ann.range,
                ));
            }
            if ann.simple {
                self.add_def_ctx(
                    &target.id,
                    SymbolFlags::DEF_ANNOT | DEF_LOCAL,
                    target.range,
                    ExprContext::Store,
                )?;
            } else if ann.value.is_some() {
                self.add_def_ctx(&target.id, DEF_LOCAL, target.range, ExprContext::Store)?;
            }
        } else {
            self.visit_expr(&ann.target)?;
        }
        self.visit_annotation(&ann.annotation)?;
        if let Some(value) = &ann.value {
            self.visit_expr(value)?;
        }
        Ok(())
    }

    /// An annotated assignment's annotation goes into the body's one `__annotate__` block.
    fn visit_annotation(&mut self, annotation: &Expr) -> Result {
        let parent = self.cur();
        let parent_type = self.cur_block().block_type;
        // A function's annotations are never evaluated (PEP 649 keeps only module and class
        // annotations), so the names in them are not recorded.
        let unevaluated = parent_type == BlockType::Function;
        // Which annotations ran is tracked at run time in `__conditional_annotations__`: in a
        // class, for those under `if`/`for`/`try`/...; in a module, for all of them (a module
        // can stop part way, and its `__annotate__` must only report what ran).
        let conditional = match parent_type {
            BlockType::Module => true,
            BlockType::Class => self.walk[parent.0 as usize].in_conditional_block,
            _ => false,
        };
        if conditional && !self.cur_block().has_conditional_annotations {
            self.cur_block_mut().has_conditional_annotations = true;
            self.add_def("__conditional_annotations__", USE, annotation.range())?;
        }
        match self.walk[parent.0 as usize].annotation_block {
            None => {
                let owner = self.cur_block().key.range;
                let key = BlockKey {
                    range: owner,
                    kind: BlockKind::BodyAnnotations,
                };
                let id = self.enter_block(
                    "__annotate__",
                    BlockType::Annotation,
                    key,
                    annotation.range(),
                )?;
                self.walk[parent.0 as usize].annotation_block = Some(id);
                if parent_type == BlockType::Class && !self.future_annotations {
                    self.cur_block_mut().can_see_class_scope = true;
                    self.add_def("__classdict__", USE, annotation.range())?;
                }
            }
            // Later annotations go to the same block, which is already a child.
            Some(id) => self.enter_existing_block(id, false),
        }
        if unevaluated {
            self.cur_walk().in_unevaluated_annotation = true;
        }
        let result = self.visit_expr(annotation);
        if unevaluated {
            self.cur_walk().in_unevaluated_annotation = false;
        }
        self.exit_block();
        result
    }

    fn visit_alias(&mut self, alias: &ast::Alias) -> Result {
        let name = alias.asname.as_ref().unwrap_or(&alias.name);
        if name.as_str() == "*" {
            if self.cur_block().block_type != BlockType::Module {
                return Err(self.error("import * only allowed at module level", alias.range));
            }
            return Ok(());
        }
        // `import a.b.c` binds `a`.
        let store_name = name.split('.').next().unwrap_or(name);
        self.add_def(store_name, SymbolFlags::DEF_IMPORT, alias.range)
    }

    /// A `from __future__` import after the prologue (`check_import_from`).
    fn check_import_from(&self, import: &ast::StmtImportFrom) -> Result {
        let is_future = import.level == 0
            && import
                .module
                .as_ref()
                .is_some_and(|m| m.as_str() == "__future__");
        if !is_future {
            return Ok(());
        }
        let late = match self.future_location {
            None => true,
            Some(prologue_end) => {
                let line = self.line_of(import.range.start());
                let end_line = self.line_of(prologue_end.end());
                line > self.line_of(prologue_end.start())
                    || (line == end_line && import.range.start() > prologue_end.end())
            }
        };
        if late {
            return Err(self.error(
                "from __future__ imports must occur at the beginning of the file",
                import.range,
            ));
        }
        Ok(())
    }

    /// The future-import prologue (`future.c`): an optional docstring, then `from __future__`
    /// imports (whose features the parser stage has validated). `annotations` changes how
    /// annotations compile.
    fn read_future_imports(&mut self, body: &[Stmt]) {
        let start = usize::from(has_docstring(body));
        for stmt in &body[start.min(body.len())..] {
            let Stmt::ImportFrom(import) = stmt else {
                break;
            };
            let is_future = import.level == 0
                && import
                    .module
                    .as_ref()
                    .is_some_and(|m| m.as_str() == "__future__");
            if !is_future {
                break;
            }
            if import
                .names
                .iter()
                .any(|alias| alias.name.as_str() == "annotations")
            {
                self.future_annotations = true;
            }
            self.future_location = Some(import.range);
        }
    }

    /// `global`/`nonlocal` statements.
    fn visit_declaration(
        &mut self,
        names: &[ast::Identifier],
        range: TextRange,
        global: bool,
    ) -> Result {
        for name in names {
            let current = self.lookup(name);
            if current.intersects(DEF_PARAM | DEF_LOCAL | USE | SymbolFlags::DEF_ANNOT) {
                let kind = if global { "global" } else { "nonlocal" };
                let msg = if current.contains(DEF_PARAM) {
                    format!("name '{name}' is parameter and {kind}")
                } else if current.contains(USE) {
                    format!("name '{name}' is used prior to {kind} declaration")
                } else if current.contains(SymbolFlags::DEF_ANNOT) {
                    format!("annotated name '{name}' can't be {kind}")
                } else {
                    format!("name '{name}' is assigned to before {kind} declaration")
                };
                return Err(self.error(msg, range));
            }
            self.add_def(name, if global { DEF_GLOBAL } else { DEF_NONLOCAL }, range)?;
            self.record_directive(name, range);
        }
        Ok(())
    }

    /// Keyword names in calls and class definitions cannot be `__debug__`.
    fn check_keywords(&self, keywords: &[ast::Keyword]) -> Result {
        for keyword in keywords {
            if let Some(arg) = &keyword.arg {
                self.check_name(arg, keyword.range, ExprContext::Store)?;
            }
        }
        Ok(())
    }

    // ---- Expressions --------------------------------------------------------------------------

    fn visit_expr(&mut self, expr: &Expr) -> Result {
        super::with_stack(|| self.visit_expr_inner(expr))
    }

    fn visit_expr_inner(&mut self, expr: &Expr) -> Result {
        match expr {
            Expr::Named(named) => {
                self.reject_in_annotation_like_block("named expression", expr.range())?;
                self.visit_named_expr(named)
            }
            Expr::BoolOp(op) => op.values.iter().try_for_each(|v| self.visit_expr(v)),
            Expr::BinOp(op) => {
                self.visit_expr(&op.left)?;
                self.visit_expr(&op.right)
            }
            Expr::UnaryOp(op) => self.visit_expr(&op.operand),
            Expr::Lambda(lambda) => {
                if let Some(params) = &lambda.parameters {
                    self.visit_defaults(params)?;
                }
                let key = BlockKey {
                    range: lambda.range,
                    kind: BlockKind::Lambda,
                };
                self.enter_block("<lambda>", BlockType::Function, key, lambda.range)?;
                if let Some(params) = &lambda.parameters {
                    self.visit_parameters(params)?;
                }
                self.visit_expr(&lambda.body)?;
                self.exit_block();
                Ok(())
            }
            Expr::If(if_) => {
                self.visit_expr(&if_.test)?;
                self.visit_expr(&if_.body)?;
                self.visit_expr(&if_.orelse)
            }
            Expr::Dict(dict) => {
                // CPython visits every key, then every value.
                dict.items
                    .iter()
                    .filter_map(|i| i.key.as_ref())
                    .try_for_each(|k| self.visit_expr(k))?;
                dict.items
                    .iter()
                    .try_for_each(|i| self.visit_expr(&i.value))
            }
            Expr::Set(set) => set.elts.iter().try_for_each(|e| self.visit_expr(e)),
            Expr::ListComp(comp) => self.visit_comprehension(
                expr,
                ComprehensionKind::List,
                &comp.generators,
                &[Some(&*comp.elt)],
            ),
            Expr::SetComp(comp) => self.visit_comprehension(
                expr,
                ComprehensionKind::Set,
                &comp.generators,
                &[Some(&*comp.elt)],
            ),
            Expr::DictComp(comp) => {
                // CPython visits the value before the key.
                self.visit_comprehension(
                    expr,
                    ComprehensionKind::Dict,
                    &comp.generators,
                    &[Some(&*comp.value), comp.key.as_deref()],
                )
            }
            Expr::Generator(generator) => self.visit_comprehension(
                expr,
                ComprehensionKind::Generator,
                &generator.generators,
                &[Some(&*generator.elt)],
            ),
            Expr::Yield(yield_) => {
                self.reject_in_annotation_like_block("yield expression", expr.range())?;
                if let Some(value) = &yield_.value {
                    self.visit_expr(value)?;
                }
                self.mark_generator(expr.range())
            }
            Expr::YieldFrom(yield_from) => {
                self.reject_in_annotation_like_block("yield expression", expr.range())?;
                self.visit_expr(&yield_from.value)?;
                self.mark_generator(expr.range())
            }
            Expr::Await(await_) => {
                self.reject_in_annotation_like_block("await expression", expr.range())?;
                let block = self.cur_block();
                if !block.is_function_like() {
                    return Err(self.error("'await' outside function", expr.range()));
                }
                let is_async_def = block.block_type == BlockType::Function && block.is_coroutine;
                if !is_async_def && block.comprehension.is_none() {
                    return Err(self.error("'await' outside async function", expr.range()));
                }
                self.visit_expr(&await_.value)?;
                self.cur_block_mut().is_coroutine = true;
                Ok(())
            }
            Expr::Compare(compare) => {
                self.visit_expr(&compare.left)?;
                compare
                    .comparators
                    .iter()
                    .try_for_each(|c| self.visit_expr(c))
            }
            Expr::Call(call) => {
                self.visit_expr(&call.func)?;
                self.note_sole_generator_argument(&call.arguments);
                call.arguments
                    .args
                    .iter()
                    .try_for_each(|a| self.visit_expr(a))?;
                self.check_keywords(&call.arguments.keywords)?;
                call.arguments
                    .keywords
                    .iter()
                    .try_for_each(|k| self.visit_expr(&k.value))
            }
            Expr::FString(fstring) => {
                for element in fstring.value.elements() {
                    self.visit_interpolated_element(element)?;
                }
                Ok(())
            }
            Expr::TString(tstring) => {
                for element in tstring.value.elements() {
                    self.visit_interpolated_element(element)?;
                }
                Ok(())
            }
            Expr::StringLiteral(_)
            | Expr::BytesLiteral(_)
            | Expr::NumberLiteral(_)
            | Expr::BooleanLiteral(_)
            | Expr::NoneLiteral(_)
            | Expr::EllipsisLiteral(_)
            | Expr::IpyEscapeCommand(_) => Ok(()),
            Expr::Attribute(attribute) => {
                self.check_name(&attribute.attr, expr.range(), attribute.ctx)?;
                self.visit_expr(&attribute.value)
            }
            Expr::Subscript(subscript) => {
                self.visit_expr(&subscript.value)?;
                self.visit_expr(&subscript.slice)
            }
            Expr::Starred(starred) => self.visit_expr(&starred.value),
            Expr::Slice(slice) => {
                for part in [&slice.lower, &slice.upper, &slice.step]
                    .into_iter()
                    .flatten()
                {
                    self.visit_expr(part)?;
                }
                Ok(())
            }
            Expr::Name(name) => {
                if self.walk[self.cur().0 as usize].in_unevaluated_annotation {
                    return Ok(());
                }
                let flag = if name.ctx == ExprContext::Load {
                    USE
                } else {
                    DEF_LOCAL
                };
                self.add_def_ctx(&name.id, flag, name.range, name.ctx)?;
                // `super()` needs the `__class__` cell, whatever the class names it.
                if name.ctx == ExprContext::Load
                    && self.cur_block().is_function_like()
                    && name.id.as_str() == "super"
                {
                    self.add_def("__class__", USE, name.range)?;
                }
                Ok(())
            }
            Expr::List(list) => list.elts.iter().try_for_each(|e| self.visit_expr(e)),
            Expr::Tuple(tuple) => tuple.elts.iter().try_for_each(|e| self.visit_expr(e)),
        }
    }

    fn note_sole_generator_argument(&mut self, arguments: &ast::Arguments) {
        if let ([Expr::Generator(generator)], []) = (&*arguments.args, &*arguments.keywords)
            && !generator.parenthesized
        {
            self.sole_generator_argument = Some((generator.range, arguments.range));
        }
    }

    fn visit_interpolated_element(&mut self, element: &ast::InterpolatedStringElement) -> Result {
        if let ast::InterpolatedStringElement::Interpolation(interpolation) = element {
            self.visit_expr(&interpolation.expression)?;
            if let Some(spec) = &interpolation.format_spec {
                for element in &spec.elements {
                    self.visit_interpolated_element(element)?;
                }
            }
        }
        Ok(())
    }

    fn mark_generator(&mut self, range: TextRange) -> Result {
        self.cur_block_mut().is_generator = true;
        if let Some(kind) = self.cur_block().comprehension {
            let what = match kind {
                ComprehensionKind::List => "list comprehension",
                ComprehensionKind::Set => "set comprehension",
                ComprehensionKind::Dict => "dict comprehension",
                ComprehensionKind::Generator => "generator expression",
            };
            return Err(self.error(format!("'yield' inside {what}"), range));
        }
        Ok(())
    }

    /// `symtable_raise_if_annotation_block`: some expressions cannot be evaluated lazily.
    fn reject_in_annotation_like_block(&self, what: &str, range: TextRange) -> Result {
        let msg = match self.cur_block().block_type {
            BlockType::Annotation => format!("{what} cannot be used within an annotation"),
            BlockType::TypeVariable => {
                let info = self.walk[self.cur().0 as usize]
                    .scope_info
                    .unwrap_or("a TypeVar bound");
                format!("{what} cannot be used within {info}")
            }
            BlockType::TypeAlias => format!("{what} cannot be used within a type alias"),
            BlockType::TypeParameters => {
                format!("{what} cannot be used within the definition of a generic")
            }
            _ => return Ok(()),
        };
        Err(self.error(msg, range))
    }

    fn visit_named_expr(&mut self, named: &ast::ExprNamed) -> Result {
        if self.walk[self.cur().0 as usize].comp_iter_expr > 0 {
            return Err(self.error(
                "assignment expression cannot be used in a comprehension iterable expression",
                named.range,
            ));
        }
        if self.cur_block().comprehension.is_some()
            && let Expr::Name(target) = &*named.target
        {
            self.extend_named_expr_scope(target)?;
        }
        self.visit_expr(&named.value)?;
        self.visit_expr(&named.target)
    }

    /// A walrus in a comprehension binds in the nearest enclosing function (or the module):
    /// declare it there, and `nonlocal`/`global` in the comprehension.
    fn extend_named_expr_scope(&mut self, target: &ast::ExprName) -> Result {
        let name = target.id.as_str();
        for &id in self.stack.clone().iter().rev() {
            let block = &self.blocks[id.0 as usize];
            if block.comprehension.is_some() {
                let flags = self.lookup_in(id, name);
                if flags.contains(SymbolFlags::DEF_COMP_ITER) && flags.contains(DEF_LOCAL) {
                    return Err(self.error(
                        format!("assignment expression cannot rebind comprehension iteration variable '{name}'"),
                        target.range,
                    ));
                }
                continue;
            }
            match block.block_type {
                BlockType::Function => {
                    let flags = self.lookup_in(id, name);
                    let declaration = if flags.contains(DEF_GLOBAL) {
                        DEF_GLOBAL
                    } else {
                        DEF_NONLOCAL
                    };
                    self.add_def(name, declaration, target.range)?;
                    self.record_directive(name, target.range);
                    return self.add_def_in(name, DEF_LOCAL, id, target.range);
                }
                BlockType::Module => {
                    self.add_def(name, DEF_GLOBAL, target.range)?;
                    self.record_directive(name, target.range);
                    return self.add_def_in(name, DEF_GLOBAL, id, target.range);
                }
                BlockType::Class => {
                    return Err(self.error(
                        "assignment expression within a comprehension cannot be used in a class body",
                        target.range,
                    ));
                }
                BlockType::TypeParameters => {
                    return Err(self.error(
                        "assignment expression within a comprehension cannot be used within the definition of a generic",
                        target.range,
                    ));
                }
                BlockType::TypeAlias => {
                    return Err(self.error(
                        "assignment expression within a comprehension cannot be used in a type alias",
                        target.range,
                    ));
                }
                BlockType::TypeVariable => {
                    return Err(self.error(
                        "assignment expression within a comprehension cannot be used in a TypeVar bound",
                        target.range,
                    ));
                }
                // Named expressions are refused in annotation blocks before getting here.
                BlockType::Annotation => continue,
            }
        }
        Ok(())
    }

    /// `symtable_handle_comprehension`: the outermost iterable is evaluated here; the rest in
    /// the comprehension's own block, which receives the iterator as its parameter `.0`.
    fn visit_comprehension(
        &mut self,
        expr: &Expr,
        kind: ComprehensionKind,
        generators: &[ast::Comprehension],
        parts: &[Option<&Expr>],
    ) -> Result {
        let Some(outermost) = generators.first() else {
            return Ok(());
        };
        self.cur_walk().comp_iter_expr += 1;
        let result = self.visit_expr(&outermost.iter);
        self.cur_walk().comp_iter_expr -= 1;
        result?;
        let name = match kind {
            ComprehensionKind::List => "<listcomp>",
            ComprehensionKind::Set => "<setcomp>",
            ComprehensionKind::Dict => "<dictcomp>",
            ComprehensionKind::Generator => "<genexpr>",
        };
        let key = BlockKey {
            range: expr.range(),
            kind: BlockKind::Comprehension(kind),
        };
        let location = match self.sole_generator_argument {
            Some((generator, parentheses)) if generator == expr.range() => {
                self.sole_generator_argument = None;
                parentheses
            }
            _ => expr.range(),
        };
        self.enter_block(name, BlockType::Function, key, location)?;
        self.cur_block_mut().comprehension = Some(kind);
        if first_is_async(generators) {
            self.cur_block_mut().is_coroutine = true;
        }
        let location = expr.range();
        self.add_def(".0", DEF_PARAM, location)?;
        self.cur_walk().comp_iter_target = true;
        let result = self.visit_expr(&outermost.target);
        self.cur_walk().comp_iter_target = false;
        result?;
        outermost.ifs.iter().try_for_each(|e| self.visit_expr(e))?;
        for generator in &generators[1..] {
            self.cur_walk().comp_iter_target = true;
            let result = self.visit_expr(&generator.target);
            self.cur_walk().comp_iter_target = false;
            result?;
            self.cur_walk().comp_iter_expr += 1;
            let result = self.visit_expr(&generator.iter);
            self.cur_walk().comp_iter_expr -= 1;
            result?;
            generator.ifs.iter().try_for_each(|e| self.visit_expr(e))?;
            if generator.is_async {
                self.cur_block_mut().is_coroutine = true;
            }
        }
        for part in parts.iter().flatten() {
            self.visit_expr(part)?;
        }
        let is_generator = kind == ComprehensionKind::Generator;
        self.cur_block_mut().is_generator = is_generator;
        let is_async = self.cur_block().is_coroutine && !is_generator;
        self.exit_block();
        if is_async {
            let block = self.cur_block();
            let is_async_def = block.block_type == BlockType::Function && block.is_coroutine;
            if !is_async_def && block.comprehension.is_none() {
                return Err(self.error(
                    "asynchronous comprehension outside of an asynchronous function",
                    expr.range(),
                ));
            }
            self.cur_block_mut().is_coroutine = true;
        }
        Ok(())
    }

    fn visit_pattern(&mut self, pattern: &Pattern) -> Result {
        super::with_stack(|| self.visit_pattern_inner(pattern))
    }

    fn visit_pattern_inner(&mut self, pattern: &Pattern) -> Result {
        match pattern {
            Pattern::MatchValue(value) => self.visit_expr(&value.value),
            Pattern::MatchSingleton(_) => Ok(()),
            Pattern::MatchSequence(sequence) => sequence
                .patterns
                .iter()
                .try_for_each(|p| self.visit_pattern(p)),
            Pattern::MatchStar(star) => match &star.name {
                Some(name) => self.add_def(name, DEF_LOCAL, star.range),
                None => Ok(()),
            },
            Pattern::MatchMapping(mapping) => {
                mapping.keys.iter().try_for_each(|k| self.visit_expr(k))?;
                mapping
                    .patterns
                    .iter()
                    .try_for_each(|p| self.visit_pattern(p))?;
                match &mapping.rest {
                    Some(rest) => self.add_def(rest, DEF_LOCAL, mapping.range),
                    None => Ok(()),
                }
            }
            Pattern::MatchClass(class) => {
                self.visit_expr(&class.cls)?;
                class
                    .arguments
                    .patterns
                    .iter()
                    .try_for_each(|p| self.visit_pattern(p))?;
                for keyword in &class.arguments.keywords {
                    self.check_name(&keyword.attr, keyword.pattern.range(), ExprContext::Store)?;
                }
                class
                    .arguments
                    .keywords
                    .iter()
                    .try_for_each(|k| self.visit_pattern(&k.pattern))
            }
            Pattern::MatchAs(as_) => {
                if let Some(pattern) = &as_.pattern {
                    self.visit_pattern(pattern)?;
                }
                match &as_.name {
                    Some(name) => self.add_def(name, DEF_LOCAL, as_.range),
                    None => Ok(()),
                }
            }
            Pattern::MatchOr(or) => or.patterns.iter().try_for_each(|p| self.visit_pattern(p)),
        }
    }
}

fn set_flags(block: &mut Block, name: &str, flags: SymbolFlags) {
    match block.symbol_index.get(name) {
        Some(&i) => block.symbols[i].flags = flags,
        None => {
            block
                .symbol_index
                .insert(name.to_owned(), block.symbols.len());
            block.symbols.push(super::Symbol {
                name: name.to_owned(),
                flags,
                // Resolved by the second pass.
                scope: super::Scope::Local,
            });
        }
    }
}
