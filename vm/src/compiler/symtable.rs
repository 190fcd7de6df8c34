//! Symbol tables: which scope every name in a module lives in, computed as CPython 3.15's
//! `Python/symtable.c` computes them, except that comprehensions keep their own scope (the
//! CPython 3.11 model; PEP 709 inlining is deliberately not done, so the code generator emits
//! every comprehension as a nested function).
//!
//! [`build`] walks the AST twice, like CPython: the first pass ([`builder`]) creates a [`Block`]
//! per scope and records raw facts about each name (bound here, used here, declared global,
//! a parameter, ...) as [`SymbolFlags`]; the second pass ([`analysis`]) resolves each name's
//! [`Scope`] (local, global, free, cell) from the enclosing blocks' bindings. Then a small
//! pass ([`checks`]) makes the checks CPython's code generator makes on statements
//! (`'break' outside loop`, `'return' outside function`, repeated keyword arguments, ...), so
//! that every compile-stage `SyntaxError` is known before code generation starts.
//!
//! The blocks, and so the scopes a code object can have:
//! * module, class, function (`def`, `async def`, `lambda`), and one per comprehension
//!   (`<listcomp>`, `<setcomp>`, `<dictcomp>`, `<genexpr>`), whose parameter `.0` is the
//!   outermost iterable, evaluated in the enclosing block;
//! * PEP 695 blocks: the type-parameter block around a generic `def`/`class`/`type`, the
//!   lazily evaluated value of a `type` alias, and one per type variable bound or default;
//! * PEP 649 annotation blocks (`__annotate__`): one for each function's parameter and return
//!   annotations, and one per module, class or function body for its annotated assignments
//!   (a function's are never evaluated, so its names are not recorded).
//!
//! Each block has a [`BlockKey`] (the range of the AST node that defines it, and what kind of
//! block it is), so the code generator finds the block for the node it is compiling.
//!
//! What this module must never do: emit code, or look at anything but the AST (no runtime
//! objects): it is a pure function from an AST to tables and compile-stage errors.

mod analysis;
mod builder;
mod checks;

/// The walks recurse once per AST level; deep expressions (a 20,000-term `1 + 1 + ...`
/// compiles in CPython) get a fresh stack segment instead of overflowing the thread's.
fn with_stack<R>(f: impl FnOnce() -> R) -> R {
    const RED_ZONE: usize = 128 * 1024;
    const SEGMENT: usize = 2 * 1024 * 1024;
    stacker::maybe_grow(RED_ZONE, SEGMENT, f)
}

use super::parse::ast;
use super::parse::{LineIndex, SyntaxErrorInfo};
use crate::compiler::parse::text_size::TextRange;
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::ops::{BitOr, BitOrAssign};

/// What the first pass records about a name in a block. The bit values are CPython 3.15's
/// (`Include/internal/pycore_symtable.h`), so they compare directly with `_symtable`'s.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct SymbolFlags(u32);

impl SymbolFlags {
    pub const EMPTY: SymbolFlags = SymbolFlags(0);
    /// Declared `global` in this block.
    pub const DEF_GLOBAL: SymbolFlags = SymbolFlags(1);
    /// Bound here (assignment, `def`, `class`, `for` target, `except ... as`, ...).
    pub const DEF_LOCAL: SymbolFlags = SymbolFlags(2);
    /// A parameter.
    pub const DEF_PARAM: SymbolFlags = SymbolFlags(4);
    /// Declared `nonlocal` in this block.
    pub const DEF_NONLOCAL: SymbolFlags = SymbolFlags(8);
    /// Read here.
    pub const USE: SymbolFlags = SymbolFlags(16);
    /// A class-body name that is also free in a method: the class passes it through.
    pub const DEF_FREE_CLASS: SymbolFlags = SymbolFlags(64);
    /// Bound by an import.
    pub const DEF_IMPORT: SymbolFlags = SymbolFlags(128);
    /// Annotated (`x: int`).
    pub const DEF_ANNOT: SymbolFlags = SymbolFlags(256);
    /// A comprehension's iteration variable.
    pub const DEF_COMP_ITER: SymbolFlags = SymbolFlags(512);
    /// A PEP 695 type parameter.
    pub const DEF_TYPE_PARAM: SymbolFlags = SymbolFlags(1024);
    /// A cell of an inlined comprehension; never set here (no inlining), kept for the values.
    pub const DEF_COMP_CELL: SymbolFlags = SymbolFlags(2048);
    /// Any binding: local, parameter or import.
    pub const DEF_BOUND: SymbolFlags = SymbolFlags(2 | 4 | 128);

    pub const fn bits(self) -> u32 {
        self.0
    }

    /// Whether any of `other`'s bits are set.
    pub const fn intersects(self, other: SymbolFlags) -> bool {
        self.0 & other.0 != 0
    }

    pub const fn contains(self, other: SymbolFlags) -> bool {
        self.0 & other.0 == other.0
    }
}

impl BitOr for SymbolFlags {
    type Output = SymbolFlags;
    fn bitor(self, other: SymbolFlags) -> SymbolFlags {
        SymbolFlags(self.0 | other.0)
    }
}

impl BitOrAssign for SymbolFlags {
    fn bitor_assign(&mut self, other: SymbolFlags) {
        self.0 |= other.0;
    }
}

impl fmt::Debug for SymbolFlags {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const NAMES: [(SymbolFlags, &str); 11] = [
            (SymbolFlags::DEF_GLOBAL, "DEF_GLOBAL"),
            (SymbolFlags::DEF_LOCAL, "DEF_LOCAL"),
            (SymbolFlags::DEF_PARAM, "DEF_PARAM"),
            (SymbolFlags::DEF_NONLOCAL, "DEF_NONLOCAL"),
            (SymbolFlags::USE, "USE"),
            (SymbolFlags::DEF_FREE_CLASS, "DEF_FREE_CLASS"),
            (SymbolFlags::DEF_IMPORT, "DEF_IMPORT"),
            (SymbolFlags::DEF_ANNOT, "DEF_ANNOT"),
            (SymbolFlags::DEF_COMP_ITER, "DEF_COMP_ITER"),
            (SymbolFlags::DEF_TYPE_PARAM, "DEF_TYPE_PARAM"),
            (SymbolFlags::DEF_COMP_CELL, "DEF_COMP_CELL"),
        ];
        let names: Vec<&str> = NAMES
            .iter()
            .filter(|(flag, _)| self.contains(*flag))
            .map(|(_, n)| *n)
            .collect();
        write!(
            f,
            "{}",
            if names.is_empty() {
                "0".to_string()
            } else {
                names.join("|")
            }
        )
    }
}

/// Where a name resolves, CPython's `LOCAL` .. `CELL` (same numbering).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scope {
    /// A local of this block (a fast local in functions, a namespace entry elsewhere).
    Local = 1,
    /// Declared `global` (here, or in the class body around a class-visible block).
    GlobalExplicit = 2,
    /// Not bound in any enclosing function: a global or a builtin.
    GlobalImplicit = 3,
    /// Bound in an enclosing function: read through a cell of the closure.
    Free = 4,
    /// A local that a nested block uses: stored in a cell.
    Cell = 5,
}

/// CPython's block types (`_Py_block_ty`), as `symtable.SymbolTable.get_type()` names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BlockType {
    Module,
    Function,
    Class,
    /// A PEP 649 `__annotate__` block.
    Annotation,
    /// The lazily evaluated value of a `type` statement.
    TypeAlias,
    /// The block around a generic `def`, `class` or `type` that binds its type parameters.
    TypeParameters,
    /// A type variable's lazily evaluated bound, constraints or default.
    TypeVariable,
}

impl BlockType {
    /// The name `symtable.SymbolTableType` gives the type ("type parameters", ...).
    pub fn name(self) -> &'static str {
        match self {
            BlockType::Module => "module",
            BlockType::Function => "function",
            BlockType::Class => "class",
            BlockType::Annotation => "annotation",
            BlockType::TypeAlias => "type alias",
            BlockType::TypeParameters => "type parameters",
            BlockType::TypeVariable => "type variable",
        }
    }
}

/// Which comprehension a comprehension block is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ComprehensionKind {
    List,
    Set,
    Dict,
    Generator,
}

/// What defines a block; with the defining node's range it makes the block's [`BlockKey`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum BlockKind {
    /// The module (range: the whole `ModModule`/`ModExpression`).
    Module,
    /// A `def`/`async def` body (range: the `StmtFunctionDef`).
    Function,
    /// A `lambda` (range: the `ExprLambda`).
    Lambda,
    /// A comprehension (range: the `ExprListComp`/`ExprSetComp`/`ExprDictComp`/`ExprGenerator`).
    Comprehension(ComprehensionKind),
    /// A class body (range: the `StmtClassDef`).
    Class,
    /// The `__annotate__` of a function's parameter and return annotations (range: the
    /// `StmtFunctionDef`).
    FunctionAnnotations,
    /// The `__annotate__` of the annotated assignments in a body (range: the module, the
    /// `StmtClassDef` or the `StmtFunctionDef` whose body it is).
    BodyAnnotations,
    /// The type-parameter block of a generic `def`, `class` or `type` (range: that statement).
    TypeParameters,
    /// The value of a `type` statement (range: the `StmtTypeAlias`).
    TypeAlias,
    /// A type variable's bound or constraints (range: the `TypeParam`).
    TypeVarBound,
    /// A type variable's default (range: the `TypeParam`).
    TypeVarDefault,
}

/// Identifies a block by the AST node that defines it: the node's range and the block kind
/// (one node can define several blocks: a generic `def` has a type-parameter block, an
/// annotation block and the function's own).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct BlockKey {
    pub range: TextRange,
    pub kind: BlockKind,
}

/// Index of a block in its [`SymbolTable`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct BlockId(pub u32);

/// A name in a block: what the block does with it and where it resolves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Symbol {
    pub name: String,
    pub flags: SymbolFlags,
    pub scope: Scope,
}

impl Symbol {
    /// Bound in this block (`symtable.Symbol.is_assigned`).
    pub fn is_bound(&self) -> bool {
        self.flags.intersects(SymbolFlags::DEF_BOUND)
    }
}

/// One scope: CPython's symbol table entry (`PySTEntryObject`).
#[derive(Debug, Clone)]
pub struct Block {
    pub id: BlockId,
    pub key: BlockKey,
    /// "top" for the module, the function's or class's name, "<lambda>", "<genexpr>", ...,
    /// "__annotate__", or the generic's/type variable's name for the PEP 695 blocks.
    pub name: String,
    pub block_type: BlockType,
    /// Set for comprehension blocks.
    pub comprehension: Option<ComprehensionKind>,
    /// The line CPython gives the block (`ste_lineno`; 0 for the module).
    pub lineno: usize,
    pub parent: Option<BlockId>,
    /// Nested blocks in the order CPython lists them (source order, with a function's
    /// annotation block before the function).
    pub children: Vec<BlockId>,
    /// Symbols in the order CPython first records them.
    symbols: Vec<Symbol>,
    symbol_index: HashMap<String, usize>,
    /// Parameters, in order (`ste_varnames`): positional-only, positional, keyword-only,
    /// `*args`, `**kwargs`; or the implicit ones (`.0` of a comprehension, `.format` of an
    /// annotation block, `.defaults`/`.kwdefaults` of a type-parameter block). The code
    /// generator appends the other locals as it meets them, as CPython's does.
    pub varnames: Vec<String>,
    /// Cell variables in `co_cellvars` order: names resolved to [`Scope::Cell`], sorted, then
    /// (classes only) `__class__`, `__classdict__`, `__conditional_annotations__` when needed.
    pub cellvars: Vec<String>,
    /// Free variables in `co_freevars` order: names resolved to [`Scope::Free`] or flagged
    /// [`SymbolFlags::DEF_FREE_CLASS`], sorted.
    pub freevars: Vec<String>,
    /// Inside a function-like block (`ste_nested`).
    pub is_nested: bool,
    pub is_generator: bool,
    pub is_coroutine: bool,
    pub has_varargs: bool,
    pub has_varkeywords: bool,
    /// Contains `return <value>`.
    pub returns_value: bool,
    /// A class whose methods use `__class__` or `super()`: it needs the `__class__` cell.
    pub needs_class_closure: bool,
    /// A class whose annotation or PEP 695 blocks read the class namespace: it needs the
    /// `__classdict__` cell.
    pub needs_classdict: bool,
    /// A module or class with annotations inside `if`/`for`/`try`/...: it tracks which ran
    /// in `__conditional_annotations__`.
    pub has_conditional_annotations: bool,
    /// An annotation or PEP 695 block directly in a class: reads class names through
    /// `__classdict__`.
    pub can_see_class_scope: bool,
    /// A `def` directly in a class body.
    pub is_method: bool,
    /// Has annotations to compile (`ste_annotations_used`): for a function's `__annotate__`
    /// block, some parameter or the return is annotated; for a module, class or function,
    /// its body has annotated assignments.
    pub annotations_used: bool,
    pub has_docstring: bool,
    /// For the type-parameter block of a generic class and the blocks inside it: only these
    /// names are mangled with the class name (the type parameters).
    pub mangled_names: Option<HashSet<String>>,
    /// The class name used to mangle private names in this block, if any.
    pub private: Option<String>,
}

impl Block {
    pub fn symbols(&self) -> &[Symbol] {
        &self.symbols
    }

    /// The symbol for `name` (already mangled, as the table stores names).
    pub fn symbol(&self, name: &str) -> Option<&Symbol> {
        self.symbol_index.get(name).map(|&i| &self.symbols[i])
    }

    pub fn scope_of(&self, name: &str) -> Option<Scope> {
        self.symbol(name).map(|s| s.scope)
    }

    /// An `async def` that also yields (or an asynchronous generator expression).
    pub fn is_async_generator(&self) -> bool {
        self.is_coroutine && self.is_generator
    }

    /// Functions and the blocks compiled like functions (annotation and PEP 695 blocks).
    pub fn is_function_like(&self) -> bool {
        !matches!(self.block_type, BlockType::Module | BlockType::Class)
    }

    /// `name` mangled as this block's code must spell it (`__x` in class `C` is `_C__x`).
    pub fn mangle<'n>(&self, name: &'n str) -> Cow<'n, str> {
        if let Some(names) = &self.mangled_names
            && !names.contains(name)
        {
            return Cow::Borrowed(name);
        }
        mangle(self.private.as_deref(), name)
    }
}

/// The blocks of one module, with the module first.
#[derive(Debug, Clone)]
pub struct SymbolTable {
    blocks: Vec<Block>,
    by_key: HashMap<BlockKey, BlockId>,
    /// `from __future__ import annotations`: annotations compile to strings.
    pub future_annotations: bool,
}

impl SymbolTable {
    pub fn top(&self) -> &Block {
        &self.blocks[0]
    }

    pub fn block(&self, id: BlockId) -> &Block {
        &self.blocks[id.0 as usize]
    }

    /// The block defined by the node with `key`.
    pub fn lookup(&self, key: BlockKey) -> Option<&Block> {
        self.by_key.get(&key).map(|&id| self.block(id))
    }

    /// Every block, in creation order (a parent before its children).
    pub fn blocks(&self) -> &[Block] {
        &self.blocks
    }

    pub fn children(&self, block: &Block) -> impl Iterator<Item = &Block> {
        block.children.iter().map(|&id| self.block(id))
    }
}

/// Builds the symbol tables of a module and makes the compile-stage checks; the error is the
/// `SyntaxError` CPython's compiler would raise first.
pub fn build(
    module: &ast::ModModule,
    source: &str,
    filename: &str,
) -> Result<SymbolTable, SyntaxErrorInfo> {
    let index = LineIndex::new(source);
    let errors = ErrorSite {
        source,
        filename,
        index: &index,
    };
    let table = builder::build_module(module, &errors)?;
    let table = analysis::analyze(table, &errors)?;
    checks::check_module(module, &table, &errors)?;
    Ok(table)
}

/// [`build`] for `eval` input.
pub fn build_expression(
    expression: &ast::ModExpression,
    source: &str,
    filename: &str,
) -> Result<SymbolTable, SyntaxErrorInfo> {
    let index = LineIndex::new(source);
    let errors = ErrorSite {
        source,
        filename,
        index: &index,
    };
    let table = builder::build_expression(expression, &errors)?;
    let table = analysis::analyze(table, &errors)?;
    checks::check_expression(expression, &table, &errors)?;
    Ok(table)
}

/// Private name mangling (`_Py_Mangle`): inside class `private`, `__spam` becomes
/// `_private__spam`; dunder names, dotted names and classes named only with underscores are
/// left alone.
pub fn mangle<'n>(private: Option<&str>, name: &'n str) -> Cow<'n, str> {
    let Some(private) = private else {
        return Cow::Borrowed(name);
    };
    if !name.starts_with("__") || name.ends_with("__") || name.contains('.') {
        return Cow::Borrowed(name);
    }
    let stripped = private.trim_start_matches('_');
    if stripped.is_empty() {
        return Cow::Borrowed(name);
    }
    Cow::Owned(format!("_{stripped}{name}"))
}

/// What a compile-stage error needs to say where it is.
struct ErrorSite<'a> {
    source: &'a str,
    filename: &'a str,
    index: &'a LineIndex,
}

impl ErrorSite<'_> {
    fn error(&self, msg: impl Into<String>, range: TextRange) -> SyntaxErrorInfo {
        SyntaxErrorInfo::compiler_error(msg, self.filename, self.source, self.index, range)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compiler::parse::text_size::Ranged;
    use crate::compiler::parse::{parse_expression, parse_module};

    fn table(source: &str) -> (ast::ModModule, SymbolTable) {
        let (module, _) = parse_module(source, "<test>").unwrap();
        let table = build(&module, source, "<test>").unwrap();
        (module, table)
    }

    #[test]
    fn code_generator_finds_blocks_by_node() {
        let source = "@dec\ndef f[T](x: T) -> T:\n    return (y for y in x)\n";
        let (module, table) = table(source);
        let ast::Stmt::FunctionDef(def) = &module.body[0] else {
            panic!()
        };
        let key = |kind| BlockKey {
            range: def.range,
            kind,
        };
        let function = table.lookup(key(BlockKind::Function)).unwrap();
        assert_eq!(
            (function.name.as_str(), function.block_type),
            ("f", BlockType::Function)
        );
        assert_eq!(function.lineno, 2, "the `def` line, not the decorator's");
        let params = table.lookup(key(BlockKind::TypeParameters)).unwrap();
        assert_eq!(params.block_type, BlockType::TypeParameters);
        assert_eq!(function.parent, Some(params.id));
        let annotations = table.lookup(key(BlockKind::FunctionAnnotations)).unwrap();
        assert_eq!(annotations.block_type, BlockType::Annotation);
        assert_eq!(params.children, vec![annotations.id, function.id]);
        let ast::Stmt::Return(ret) = &def.body[0] else {
            panic!()
        };
        let genexpr_key = BlockKey {
            range: ret.value.as_ref().unwrap().range(),
            kind: BlockKind::Comprehension(ComprehensionKind::Generator),
        };
        let genexpr = table.lookup(genexpr_key).unwrap();
        assert_eq!(genexpr.varnames, [".0"]);
        assert!(genexpr.is_generator);
        assert_eq!(genexpr.scope_of("y"), Some(Scope::Local));
    }

    #[test]
    fn function_properties_for_code_generation() {
        let (_, table) = table(
            "async def f(a, /, b, *args, c, **kw):\n    yield a\n\n\
             def g():\n    x = 1\n    def h():\n        return x\n    return h\n",
        );
        let f = table.blocks().iter().find(|b| b.name == "f").unwrap();
        assert_eq!(f.varnames, ["a", "b", "c", "args", "kw"]);
        assert!(f.is_async_generator() && f.has_varargs && f.has_varkeywords);
        let g = table.blocks().iter().find(|b| b.name == "g").unwrap();
        let h = table.blocks().iter().find(|b| b.name == "h").unwrap();
        assert_eq!(g.cellvars, ["x"]);
        assert_eq!(h.freevars, ["x"]);
        assert!(h.is_nested && !g.is_nested);
    }

    #[test]
    fn annotations_used_where_cpython_compiles_annotate() {
        let (module, table) = table("x: int\ndef f(a): pass\ndef g(a: int): pass\n");
        assert!(table.top().annotations_used);
        let annotate_of = |i: usize| {
            let ast::Stmt::FunctionDef(def) = &module.body[i] else {
                panic!()
            };
            let key = BlockKey {
                range: def.range,
                kind: BlockKind::FunctionAnnotations,
            };
            table.lookup(key).unwrap().annotations_used
        };
        assert!(!annotate_of(1));
        assert!(annotate_of(2));
    }

    #[test]
    fn class_closure_and_mangling() {
        let (_, table) = table(
            "class C:\n    __slot = 1\n    def m(self, __arg):\n        return super(), __arg\n",
        );
        let class = table.blocks().iter().find(|b| b.name == "C").unwrap();
        assert!(class.needs_class_closure);
        assert_eq!(class.cellvars, ["__class__", "__classdict__"]);
        assert!(class.symbol("_C__slot").is_some());
        let method = table.blocks().iter().find(|b| b.name == "m").unwrap();
        assert!(method.is_method);
        assert_eq!(method.varnames, ["self", "_C__arg"]);
        assert_eq!(method.freevars, ["__class__"]);
        assert_eq!(method.mangle("__arg"), "_C__arg");
    }

    #[test]
    fn eval_input_has_a_module_block() {
        let source = "[x for x in y]";
        let (expression, _) = parse_expression(source, "<test>").unwrap();
        let table = build_expression(&expression, source, "<test>").unwrap();
        assert_eq!(table.top().scope_of("y"), Some(Scope::GlobalImplicit));
        let comp = table.children(table.top()).next().unwrap();
        assert_eq!(comp.name, "<listcomp>");
        assert_eq!(comp.comprehension, Some(ComprehensionKind::List));
    }

    #[test]
    fn compile_stage_errors_count_bytes() {
        // CPython's compiler reports `col_offset + 1` in UTF-8 bytes, unlike its parser.
        let source = "é = 1; return 1\n";
        let (module, _) = parse_module(source, "<test>").unwrap();
        let error = build(&module, source, "<test>").unwrap_err();
        assert_eq!(
            (error.msg.as_str(), error.lineno, error.offset),
            ("'return' outside function", 1, 9)
        );
    }

    #[test]
    fn mangles_private_names_as_cpython() {
        assert_eq!(mangle(Some("C"), "__x"), "_C__x");
        assert_eq!(mangle(Some("__C"), "__x"), "_C__x");
        assert_eq!(mangle(Some("C"), "__x__"), "__x__");
        assert_eq!(mangle(Some("C"), "_x"), "_x");
        assert_eq!(mangle(Some("___"), "__x"), "__x");
        assert_eq!(mangle(Some("C"), "__a.b"), "__a.b");
        assert_eq!(mangle(None, "__x"), "__x");
    }
}
