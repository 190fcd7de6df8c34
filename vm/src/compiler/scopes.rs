//! What the code generator consumes of the symbol tables (`symtable`): for each block, its
//! kind, parameters and locals, cells and free variables, and how each name resolves —
//! indexed by the block's position, with children found by the defining node's start.

use ruff_python_ast as ast;
use ruff_text_size::TextRange;

use crate::compiler::parse::SyntaxErrorInfo;
use crate::compiler::symtable::{self, BlockKind, BlockType, Scope, SymbolTable};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ScopeKind {
    Module,
    Function,
    Class,
    Comprehension,
    /// Annotation, type-alias, type-parameter and type-variable blocks (compiled like
    /// functions).
    Annotation,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NameScope {
    Local,
    GlobalExplicit,
    GlobalImplicit,
    Free,
    Cell,
}

#[derive(Debug, Default, Clone)]
pub struct ScopeInfo {
    pub kind: Option<ScopeKind>,
    pub varnames: Vec<String>,
    pub cellvars: Vec<String>,
    pub freevars: Vec<String>,
    pub is_generator: bool,
    /// `async def`, or a comprehension with `async for`/`await` (CPython's `ste_coroutine`).
    pub is_coroutine: bool,
    /// How many of `varnames` are parameters (they come first).
    pub nparams: usize,
    /// The class name used to mangle `__private` names in this block, if any.
    pub private: Option<String>,
    /// Has annotations to compile (see `symtable::Block::annotations_used`).
    pub annotations_used: bool,
    /// A class whose annotation or PEP 695 blocks read its namespace (`__classdict__`).
    pub needs_classdict: bool,
    /// A module or class tracking which annotations ran (`__conditional_annotations__`).
    pub has_conditional_annotations: bool,
    /// An annotation or PEP 695 block in a class: reads names through `__classdict__`.
    pub can_see_class_scope: bool,
    /// The symbol-table block type.
    pub block_type: Option<BlockType>,
}

pub struct Scopes {
    table: SymbolTable,
    pub scopes: Vec<ScopeInfo>,
}

impl Scopes {
    fn from_table(table: SymbolTable) -> Scopes {
        let scopes = table
            .blocks()
            .iter()
            .map(|b| ScopeInfo {
                kind: Some(match (b.block_type, b.key.kind) {
                    (BlockType::Module, _) => ScopeKind::Module,
                    (BlockType::Class, _) => ScopeKind::Class,
                    (BlockType::Function, BlockKind::Comprehension(_)) => ScopeKind::Comprehension,
                    (BlockType::Function, _) => ScopeKind::Function,
                    _ => ScopeKind::Annotation,
                }),
                varnames: {
                    // Parameters first, then every other local of a function-like block.
                    let mut v = b.varnames.clone();
                    if b.is_function_like() {
                        for sym in b.symbols() {
                            if sym.scope == Scope::Local && !v.contains(&sym.name) {
                                v.push(sym.name.clone());
                            }
                        }
                    }
                    v
                },
                cellvars: b.cellvars.clone(),
                freevars: b.freevars.clone(),
                is_generator: b.is_generator,
                is_coroutine: b.is_coroutine,
                nparams: b.varnames.len(),
                private: b.private.clone(),
                annotations_used: b.annotations_used,
                needs_classdict: b.needs_classdict,
                has_conditional_annotations: b.has_conditional_annotations,
                can_see_class_scope: b.can_see_class_scope,
                block_type: Some(b.block_type),
            })
            .collect();
        Scopes { table, scopes }
    }

    pub fn build(module: &ast::ModModule, source: &str, filename: &str) -> Result<Scopes, SyntaxErrorInfo> {
        symtable::build(module, source, filename).map(Scopes::from_table)
    }

    pub fn build_expr(expr: &ast::ModExpression, source: &str, filename: &str) -> Result<Scopes, SyntaxErrorInfo> {
        symtable::build_expression(expr, source, filename).map(Scopes::from_table)
    }

    /// The block the function, lambda, class or comprehension spanning `range` defines, among
    /// the children of `parent`.
    pub fn child(&self, parent: usize, range: TextRange) -> usize {
        let p = &self.table.blocks()[parent];
        self.table
            .children(p)
            .find(|b| {
                b.key.range == range
                    && matches!(b.key.kind, BlockKind::Function | BlockKind::Lambda | BlockKind::Class | BlockKind::Comprehension(_))
            })
            .map(|b| b.id.0 as usize)
            .expect("a symbol table block for every scope-defining node")
    }

    /// The block of `kind` defined by the node spanning `range` (annotation and PEP 695
    /// blocks), if the symbol table made one.
    pub fn block(&self, range: TextRange, kind: BlockKind) -> Option<usize> {
        self.table.lookup(symtable::BlockKey { range, kind }).map(|b| b.id.0 as usize)
    }

    /// `from __future__ import annotations` is in effect.
    pub fn future_annotations(&self) -> bool {
        self.table.future_annotations
    }

    /// How `name` (already mangled) resolves in block `i`.
    pub fn lookup(&self, i: usize, name: &str) -> NameScope {
        let b = &self.table.blocks()[i];
        match b.scope_of(name) {
            Some(Scope::Local) => NameScope::Local,
            Some(Scope::GlobalExplicit) => NameScope::GlobalExplicit,
            Some(Scope::GlobalImplicit) | None => NameScope::GlobalImplicit,
            Some(Scope::Free) => NameScope::Free,
            Some(Scope::Cell) => NameScope::Cell,
        }
    }

    /// `name` as block `i` spells it (`__spam` inside class `C` is `_C__spam`).
    pub fn mangle(&self, i: usize, name: &str) -> String {
        symtable::mangle(self.scopes[i].private.as_deref(), name).into_owned()
    }
}
