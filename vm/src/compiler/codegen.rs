//! The code generator: AST to Pyrite bytecode.
//!
//! Each function-like scope becomes a `Unit`: a list of instructions with symbolic jump
//! labels and two pseudo-instructions (`SetupHandler`, `PopHandler`) that bracket protected
//! code. Assembly then follows the control flow once to compute each instruction's stack depth
//! and innermost handler (as CPython's `label_exception_targets` does), which gives the
//! exception table, resolves labels to relative jumps (with `EXTENDED_ARG` where needed) and
//! reserves the inline caches the instruction table asks for.

use ruff_python_ast as ast;
use ruff_text_size::{Ranged, TextRange, TextSize};

use crate::bytecode::{instruction_len, CodeUnit, Opcode};
use crate::compiler::literal::{self, LiteralText, StrValue};
use crate::compiler::scopes::{NameScope, ScopeKind, Scopes};
use crate::err::PyResult;
use crate::number::BinaryOp;
use crate::object::PyRef;
use crate::objects::code::{self, CodeData, ExceptionEntry, Position};
use crate::objects::{bytes, float, long, none, tuple, unicode};

type Label = usize;

#[derive(Clone, Copy, Debug)]
enum Arg {
    Int(u32),
    Label(Label),
}

#[derive(Clone, Copy, Debug)]
enum Item {
    Op(Opcode, Arg),
    /// Start protecting the following code with the handler at `Label` (`lasti`: also push
    /// the raising offset). The handler keeps the stack as it is here, less the top `u8`
    /// items (a `with`'s `__enter__` result, which the protected code consumes first).
    SetupHandler(Label, bool, u8),
    PopHandler,
    /// A label definition.
    Mark(Label),
}

#[derive(Clone, Copy)]
struct Instr {
    item: Item,
    pos: Position,
}

/// A compile-time constant (deduplicated by value and type).
#[derive(Clone, Debug, PartialEq)]
enum Const {
    None,
    Bool(bool),
    Int(String),
    Float(u64),
    /// Real and imaginary parts (as bits).
    Complex(u64, u64),
    Str(String),
    /// A str holding a lone surrogate, which a Rust `String` cannot (see `literal`).
    StrCodePoints(Vec<u32>),
    Bytes(Vec<u8>),
    Code(usize),
    Tuple(Vec<Const>),
}

/// How control leaves the enclosing blocks.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Leave {
    Return,
    Break,
    Continue,
}

enum FBlock {
    Loop { brk: Label, cont: Label },
    /// A `try` with `finally`: its final body runs when leaving through return/break/continue.
    Finally(*const [ast::Stmt]),
    /// Inside an `except` handler: leaving it restores the previously handled exception.
    Handler,
    /// Inside a for loop's body: leaving through return must pop the iterator.
    ForIter,
    /// Inside a `with` body: leaving through return/break/continue calls `__exit__`.
    With,
    /// Inside an `async with` body: leaving awaits `__aexit__`.
    AsyncWith,
    /// Inside an `except*` clause: nothing may leave it through return/break/continue.
    ExceptStar,
}

struct Unit {
    scope: usize,
    name: String,
    qualname: String,
    instrs: Vec<Instr>,
    nlabels: usize,
    consts: Vec<Const>,
    names: Vec<String>,
    varnames: Vec<String>,
    cellvars: Vec<String>,
    freevars: Vec<String>,
    argcount: u32,
    posonlyargcount: u32,
    kwonlyargcount: u32,
    flags: u32,
    firstlineno: u32,
    pos: Position,
    fblocks: Vec<FBlock>,
    /// Module and class bodies: the annotated names their `__annotate__` reports, in order
    /// (mangled name, annotation, index in `__conditional_annotations__` if conditional).
    deferred_annotations: Vec<(String, *const ast::Expr, Option<u32>)>,
    next_conditional_annotation: u32,
    /// Inside an `if`/loop/`try`/`with`/`match` body (annotations there are conditional).
    in_conditional: u32,
    /// Inside a `try` statement's body, handlers or `else`, or its `finally` run on an
    /// exception: imports there stay eager under PEP 810's lazy modes.
    in_try: u32,
}

/// Finished code objects are built bottom-up; a parent's `Const::Code(i)` refers to `done[i]`.
pub struct Compiler<'s> {
    source: &'s str,
    filename: String,
    line_starts: Vec<u32>,
    scopes: Scopes,
    units: Vec<Unit>,
    done: Vec<PyRef>,
    /// `compile(..., 'single')`: expression statements at top level go to `sys.displayhook`.
    interactive: bool,
    /// SyntaxWarnings found while generating code, for the caller to issue.
    pub warnings: Vec<crate::compiler::parse::CompileWarning>,
    /// The optimization level: 1 drops `assert`s and makes `__debug__` false, 2 drops
    /// docstrings too.
    optimize: u8,
}

/// A compile-time error with CPython's message, and its line.
pub struct CompileError {
    pub msg: String,
    pub range: TextRange,
    /// An exception other than `SyntaxError` that compiling raises as it is.
    pub raised: Option<crate::err::PyErr>,
}

type CResult<T> = Result<T, CompileError>;

fn err<T>(msg: impl Into<String>, range: TextRange) -> CResult<T> {
    Err(CompileError { msg: msg.into(), range, raised: None })
}

impl<'s> Compiler<'s> {
    pub fn new(source: &'s str, filename: &str, scopes: Scopes) -> Compiler<'s> {
        let mut line_starts = vec![0u32];
        for (i, b) in source.bytes().enumerate() {
            if b == b'\n' {
                line_starts.push(i as u32 + 1);
            }
        }
        Compiler { source, filename: filename.to_string(), line_starts, scopes, units: Vec::new(), done: Vec::new(), interactive: false, warnings: Vec::new(), optimize: 0 }
    }

    /// The docstring of a body, unless -OO drops docstrings.
    fn docstring(&self, body: &[ast::Stmt]) -> CResult<Option<Const>> {
        if self.optimize >= 2 {
            return Ok(None);
        }
        docstring(body, self.source)
    }

    /// Sets the optimization level (`compile()`'s `optimize`, `-O`).
    pub fn set_optimize(&mut self, level: u8) {
        self.optimize = level;
    }

    /// The interactive prompt's mode: top-level expression statements display their value.
    pub fn set_interactive(&mut self) {
        self.interactive = true;
    }

    /// (1-based line, 0-based UTF-8 column) of a byte offset.
    fn line_col(&self, off: TextSize) -> (u32, u32) {
        let o = u32::from(off);
        let line = self.line_starts.partition_point(|&s| s <= o);
        (line as u32, o - self.line_starts[line - 1])
    }

    fn position(&self, r: TextRange) -> Position {
        let (line, col) = self.line_col(r.start());
        let (end_line, end_col) = self.line_col(r.end());
        Position { line, end_line, col, end_col }
    }

    /// The `SyntaxError` for a code-generation error, positioned as CPython's compiler does.
    pub fn syntax_error(&self, e: CompileError) -> crate::err::PyErr {
        if let Some(raised) = e.raised {
            return raised;
        }
        let index = crate::compiler::parse::LineIndex::new(self.source);
        let info = crate::compiler::parse::SyntaxErrorInfo::compiler_error(e.msg.clone(), &self.filename, self.source, &index, e.range);
        crate::compiler::syntax_error_from(&info)
    }

    // ---- units ------------------------------------------------------------------------------

    fn cur_scope(&self) -> usize {
        self.units.last().expect("a unit").scope
    }

    fn u(&mut self) -> &mut Unit {
        self.units.last_mut().expect("a unit")
    }

    fn enter(&mut self, scope: usize, name: &str, qualname: String, range: TextRange) {
        let info = &self.scopes.scopes[scope];
        let info_kind = info.kind;
        let firstlineno = self.line_col(range.start()).0;
        let mut flags = 0;
        if !matches!(info.kind, Some(ScopeKind::Module | ScopeKind::Class)) {
            flags |= code::CO_OPTIMIZED | code::CO_NEWLOCALS;
        }
        if matches!(info.kind, Some(ScopeKind::Function | ScopeKind::Comprehension)) {
            flags |= match (info.is_generator, info.is_coroutine) {
                (true, true) => code::CO_ASYNC_GENERATOR,
                (false, true) => code::CO_COROUTINE,
                (true, false) => code::CO_GENERATOR,
                (false, false) => 0,
            };
        }
        let unit = Unit {
            scope,
            name: name.to_string(),
            qualname,
            instrs: Vec::new(),
            nlabels: 0,
            consts: Vec::new(),
            names: Vec::new(),
            varnames: info.varnames.clone(),
            cellvars: info.cellvars.clone(),
            freevars: info.freevars.clone(),
            argcount: 0,
            posonlyargcount: 0,
            kwonlyargcount: 0,
            flags,
            firstlineno,
            pos: self.position(range),
            fblocks: Vec::new(),
            deferred_annotations: Vec::new(),
            next_conditional_annotation: 0,
            in_conditional: 0,
            in_try: 0,
        };
        self.units.push(unit);
        if matches!(info_kind, Some(ScopeKind::Module)) {
            // A module's `__conditional_annotations__` lives in its namespace.
            self.u().cellvars.clear();
        }
        if matches!(info_kind, Some(ScopeKind::Annotation)) && self.u().varnames.first().is_some_and(|v| v == ".format") {
            // The generated `__annotate__(format, /)` (CPython names the parameter so).
            self.u().varnames[0] = "format".into();
        }
        // Cells for parameters and locals, then the closure.
        let ncells = self.u().cellvars.len();
        for i in 0..ncells {
            let idx = self.u().varnames.len() + i;
            self.emit(Opcode::MAKE_CELL, idx as u32);
        }
        // A parameter that is also a cell: move the argument into the cell.
        let param_cells: Vec<(u32, u32)> = {
            let u = self.units.last().unwrap();
            let params = &u.varnames[..self.scopes.scopes[scope].nparams.min(u.varnames.len())];
            u.cellvars
                .iter()
                .enumerate()
                .filter_map(|(i, c)| params.iter().position(|v| v == c).map(|p| (p as u32, (u.varnames.len() + i) as u32)))
                .collect()
        };
        for (param, cell) in param_cells {
            self.emit(Opcode::LOAD_FAST, param);
            self.emit(Opcode::STORE_DEREF, cell);
        }
        let nfree = self.u().freevars.len();
        if nfree > 0 {
            self.emit(Opcode::COPY_FREE_VARS, nfree as u32);
        }
        if self.u().flags & (code::CO_GENERATOR | code::CO_COROUTINE | code::CO_ASYNC_GENERATOR) != 0 {
            // Calling a generator function returns a generator (a coroutine, an async
            // generator); it starts with None sent in.
            self.emit(Opcode::RETURN_GENERATOR, 0);
            self.emit(Opcode::POP_TOP, 0);
        }
        self.emit(Opcode::RESUME, 0);
    }

    fn new_label(&mut self) -> Label {
        let u = self.u();
        u.nlabels += 1;
        u.nlabels - 1
    }

    fn mark(&mut self, l: Label) {
        let pos = self.u().pos;
        self.u().instrs.push(Instr { item: Item::Mark(l), pos });
    }

    fn emit(&mut self, op: Opcode, arg: u32) {
        let pos = self.u().pos;
        self.u().instrs.push(Instr { item: Item::Op(op, Arg::Int(arg)), pos });
    }

    fn emit_jump(&mut self, op: Opcode, l: Label) {
        let pos = self.u().pos;
        self.u().instrs.push(Instr { item: Item::Op(op, Arg::Label(l)), pos });
    }

    /// `await`: (awaitable) -> (result); `how` is GET_AWAITABLE's oparg.
    fn await_(&mut self, how: u32) {
        self.emit(Opcode::GET_AWAITABLE, how);
        self.load_const(Const::None);
        self.yield_from_loop();
    }

    /// YIELD_VALUE of a `yield` (an async generator's own values travel wrapped).
    fn yield_value(&mut self) {
        if self.u().flags & code::CO_ASYNC_GENERATOR != 0 {
            self.emit(Opcode::CALL_INTRINSIC_1, crate::interp::INTRINSIC_ASYNC_GEN_WRAP);
        }
        self.emit(Opcode::YIELD_VALUE, 0);
    }

    /// The delegation loop of `yield from` and `await`: stack (receiver, None) ->
    /// (result). Values the receiver yields pass through this frame's YIELD_VALUE; an exception
    /// thrown in there is thrown into the receiver by SEND_THROW.
    fn yield_from_loop(&mut self) {
        let (send, yield_, throw, exit) = (self.new_label(), self.new_label(), self.new_label(), self.new_label());
        self.mark(send);
        self.emit_jump(Opcode::SEND, exit);
        self.mark(yield_);
        self.setup(throw, false);
        self.emit(Opcode::YIELD_VALUE, 1);
        self.pop_handler();
        self.emit_jump(Opcode::JUMP_BACKWARD, send);
        self.mark(throw);
        self.emit_jump(Opcode::SEND_THROW, exit);
        self.emit_jump(Opcode::JUMP_BACKWARD, yield_);
        self.mark(exit);
    }

    fn setup(&mut self, handler: Label, lasti: bool) {
        self.setup_below(handler, lasti, 0);
    }

    /// `setup` for a handler that keeps all but the top `below` items of the current stack.
    fn setup_below(&mut self, handler: Label, lasti: bool, below: u8) {
        let pos = self.u().pos;
        self.u().instrs.push(Instr { item: Item::SetupHandler(handler, lasti, below), pos });
    }

    fn pop_handler(&mut self) {
        let pos = self.u().pos;
        self.u().instrs.push(Instr { item: Item::PopHandler, pos });
    }

    fn set_pos(&mut self, r: TextRange) {
        let p = self.position(r);
        self.u().pos = p;
    }

    fn add_const(&mut self, c: Const) -> u32 {
        let u = self.u();
        if let Some(i) = u.consts.iter().position(|x| *x == c) {
            return i as u32;
        }
        u.consts.push(c);
        (u.consts.len() - 1) as u32
    }

    fn load_const(&mut self, c: Const) {
        let i = self.add_const(c);
        self.emit(Opcode::LOAD_CONST, i);
    }

    /// The names-table index of an attribute name, mangled inside classes.
    fn attr_index(&mut self, attr: &str) -> u32 {
        let m = self.scopes.mangle(self.cur_scope(), attr);
        self.name_index(&m)
    }

    fn name_index(&mut self, name: &str) -> u32 {
        let u = self.u();
        if let Some(i) = u.names.iter().position(|n| n == name) {
            return i as u32;
        }
        u.names.push(name.to_string());
        (u.names.len() - 1) as u32
    }

    // ---- names ------------------------------------------------------------------------------

    fn localplus_index(&self, name: &str) -> Option<(u32, bool)> {
        let u = self.units.last().unwrap();
        if let Some(i) = u.cellvars.iter().position(|n| n == name) {
            // A parameter that is also a cell keeps its slot and is converted by MAKE_CELL.
            return Some(((u.varnames.len() + i) as u32, true));
        }
        if let Some(i) = u.freevars.iter().position(|n| n == name) {
            return Some(((u.varnames.len() + u.cellvars.len() + i) as u32, true));
        }
        u.varnames.iter().position(|n| n == name).map(|i| (i as u32, false))
    }

    fn name_op(&mut self, name: &str, ctx: ast::ExprContext) {
        let scope = self.u().scope;
        let mangled = self.scopes.mangle(scope, name);
        let name = mangled.as_str();
        let kind = self.scopes.scopes[scope].kind;
        let how = self.scopes.lookup(scope, name);
        let (fast, deref, global, plain) = match ctx {
            ast::ExprContext::Load => (Opcode::LOAD_FAST, Opcode::LOAD_DEREF, Opcode::LOAD_GLOBAL, Opcode::LOAD_NAME),
            ast::ExprContext::Store => (Opcode::STORE_FAST, Opcode::STORE_DEREF, Opcode::STORE_GLOBAL, Opcode::STORE_NAME),
            _ => (Opcode::DELETE_FAST, Opcode::DELETE_DEREF, Opcode::DELETE_GLOBAL, Opcode::DELETE_NAME),
        };
        let can_see_class = self.scopes.scopes[scope].can_see_class_scope;
        let load = matches!(ctx, ast::ExprContext::Load);
        match how {
            NameScope::Cell | NameScope::Free if matches!(kind, Some(ScopeKind::Module)) => {
                let i = self.name_index(name);
                self.emit(plain, i);
            }
            NameScope::Cell | NameScope::Free if load && matches!(kind, Some(ScopeKind::Class)) => {
                // A class body reads its namespace first.
                let (i, _) = self.localplus_index(name).expect("cell or free variable slot");
                self.emit(Opcode::LOAD_LOCALS, 0);
                self.emit(Opcode::LOAD_FROM_DICT_OR_DEREF, i);
            }
            NameScope::Free if load && can_see_class && name != "__classdict__" => {
                // An annotation or PEP 695 block in a class reads the class namespace first.
                let (i, _) = self.localplus_index(name).expect("cell or free variable slot");
                self.load_classdict();
                self.emit(Opcode::LOAD_FROM_DICT_OR_DEREF, i);
            }
            NameScope::Cell | NameScope::Free => {
                let (i, _) = self.localplus_index(name).expect("cell or free variable slot");
                self.emit(deref, i);
            }
            NameScope::GlobalImplicit if load && can_see_class => {
                let i = self.name_index(name);
                self.load_classdict();
                self.emit(Opcode::LOAD_FROM_DICT_OR_GLOBALS, i);
            }
            NameScope::Local if !matches!(kind, Some(ScopeKind::Module | ScopeKind::Class)) => {
                let (i, _) = self.localplus_index(name).unwrap_or_else(|| panic!("no local slot for {name:?} in {:?}", self.units.last().map(|u| (&u.name, &u.varnames))));
                self.emit(fast, i);
            }
            NameScope::GlobalExplicit | NameScope::GlobalImplicit if !matches!(kind, Some(ScopeKind::Module | ScopeKind::Class)) || how == NameScope::GlobalExplicit => {
                let i = self.name_index(name);
                if global == Opcode::LOAD_GLOBAL {
                    self.emit(global, i << 1);
                } else {
                    self.emit(global, i);
                }
            }
            _ => {
                let i = self.name_index(name);
                self.emit(plain, i);
            }
        }
    }

    /// Pushes the class namespace an annotation or PEP 695 block in a class closes over.
    fn load_classdict(&mut self) {
        let (i, _) = self.localplus_index("__classdict__").expect("the __classdict__ free variable");
        self.emit(Opcode::LOAD_DEREF, i);
    }

    /// Pushes a cell or free variable of this unit directly (no class-namespace lookup).
    fn load_deref_direct(&mut self, name: &str) {
        let (i, _) = self.localplus_index(name).expect("cell or free variable slot");
        self.emit(Opcode::LOAD_DEREF, i);
    }

    // ---- statements -------------------------------------------------------------------------

    fn body(&mut self, stmts: &[ast::Stmt]) -> CResult<()> {
        for s in stmts {
            self.stmt(s)?;
        }
        Ok(())
    }

    fn stmt(&mut self, s: &ast::Stmt) -> CResult<()> {
        let conditional = matches!(
            s,
            ast::Stmt::If(_) | ast::Stmt::For(_) | ast::Stmt::While(_) | ast::Stmt::Try(_) | ast::Stmt::With(_) | ast::Stmt::Match(_)
        );
        if conditional {
            self.u().in_conditional += 1;
        }
        let r = self.stmt_inner(s);
        if conditional {
            self.u().in_conditional -= 1;
        }
        r
    }

    fn stmt_inner(&mut self, s: &ast::Stmt) -> CResult<()> {
        self.set_pos(s.range());
        match s {
            ast::Stmt::Expr(e) => {
                self.expr(&e.value)?;
                if self.interactive && self.units.len() == 1 {
                    self.emit(Opcode::CALL_INTRINSIC_1, crate::interp::INTRINSIC_PRINT);
                }
                self.emit(Opcode::POP_TOP, 0);
            }
            ast::Stmt::Pass(_) | ast::Stmt::Global(_) | ast::Stmt::Nonlocal(_) => {}
            ast::Stmt::Assign(a) => {
                if let Some(values) = swap_assignment(a) {
                    // `a, b = b, a`: the values are swapped on the stack instead of packed
                    // into a tuple and unpacked (CPython's BUILD_TUPLE n + UNPACK_SEQUENCE n
                    // -> SWAP n, n <= 3); the targets are stored first to last, as unpacking
                    // would.
                    for v in values {
                        self.expr(v)?;
                    }
                    if values.len() > 1 {
                        self.emit(Opcode::SWAP, values.len() as u32);
                    }
                    let (ast::Expr::Tuple(ast::ExprTuple { elts, .. }) | ast::Expr::List(ast::ExprList { elts, .. })) = &a.targets[0] else {
                        unreachable!("swap_assignment checked the target")
                    };
                    for t in elts {
                        self.store(t)?;
                    }
                    return Ok(());
                }
                self.expr(&a.value)?;
                for (i, t) in a.targets.iter().enumerate() {
                    if i + 1 < a.targets.len() {
                        self.emit(Opcode::COPY, 1);
                    }
                    self.store(t)?;
                }
            }
            ast::Stmt::AugAssign(a) => self.aug_assign(a)?,
            ast::Stmt::AnnAssign(a) => self.ann_assign(a)?,
            ast::Stmt::Delete(d) => {
                for t in &d.targets {
                    self.delete(t)?;
                }
            }
            ast::Stmt::If(i) => self.if_stmt(i)?,
            ast::Stmt::While(w) => self.while_stmt(w)?,
            ast::Stmt::For(f) => self.for_stmt(f)?,
            ast::Stmt::Break(b) => self.break_continue(true, b.range())?,
            ast::Stmt::Continue(c) => self.break_continue(false, c.range())?,
            ast::Stmt::Return(r) => {
                let kind = self.scopes.scopes[self.cur_scope()].kind;
                if !matches!(kind, Some(ScopeKind::Function)) {
                    return err("'return' outside function", r.range());
                }
                match &r.value {
                    Some(v) => self.expr(v)?,
                    None => self.load_const(Const::None),
                }
                self.exit_fblocks(0, Leave::Return)?;
                self.emit(Opcode::RETURN_VALUE, 0);
            }
            ast::Stmt::FunctionDef(f) => self.function_def(f)?,
            ast::Stmt::ClassDef(c) => self.class_def(c)?,
            ast::Stmt::Import(i) => {
                for a in &i.names {
                    self.load_const(Const::Int("0".into()));
                    self.load_const(Const::None);
                    let idx = self.name_index(&a.name.id);
                    let flags = self.import_flags(i.is_lazy);
                    self.emit(Opcode::IMPORT_NAME, idx << 2 | flags);
                    match &a.asname {
                        Some(asname) => {
                            // `import a.b as c` binds the leaf module.
                            for part in a.name.id.split('.').skip(1) {
                                let pi = self.name_index(part);
                                self.emit(Opcode::IMPORT_FROM, pi);
                                self.emit(Opcode::SWAP, 2);
                                self.emit(Opcode::POP_TOP, 0);
                            }
                            self.name_op(&asname.id, ast::ExprContext::Store);
                        }
                        None => {
                            let top = a.name.id.split('.').next().unwrap().to_string();
                            self.name_op(&top, ast::ExprContext::Store);
                        }
                    }
                }
            }
            ast::Stmt::ImportFrom(i) => {
                self.load_const(Const::Int(i.level.to_string()));
                let names: Vec<Const> = i.names.iter().map(|a| Const::Str(a.name.id.to_string())).collect();
                self.load_const(Const::Tuple(names));
                let module = i.module.as_ref().map_or(String::new(), |m| m.id.to_string());
                let idx = self.name_index(&module);
                let flags = self.import_flags(i.is_lazy);
                self.emit(Opcode::IMPORT_NAME, idx << 2 | flags);
                if i.names.len() == 1 && &*i.names[0].name.id == "*" {
                    self.emit(Opcode::CALL_INTRINSIC_1, crate::interp::INTRINSIC_IMPORT_STAR);
                    self.emit(Opcode::POP_TOP, 0);
                } else {
                    for a in &i.names {
                        let ni = self.name_index(&a.name.id);
                        self.emit(Opcode::IMPORT_FROM, ni);
                        let store = a.asname.as_ref().unwrap_or(&a.name).id.to_string();
                        self.name_op(&store, ast::ExprContext::Store);
                    }
                    self.emit(Opcode::POP_TOP, 0);
                }
            }
            ast::Stmt::Raise(r) => {
                let mut n = 0;
                if let Some(e) = &r.exc {
                    self.expr(e)?;
                    n = 1;
                    if let Some(c) = &r.cause {
                        self.expr(c)?;
                        n = 2;
                    }
                }
                self.emit(Opcode::RAISE_VARARGS, n);
            }
            ast::Stmt::Try(t) => self.try_stmt(t)?,
            ast::Stmt::Match(m) => self.match_stmt(m)?,
            ast::Stmt::With(w) => {
                self.with_items(&w.items, &w.body, w.is_async)?;
            }
            // Compiled away at -O.
            ast::Stmt::Assert(_) if self.optimize > 0 => {}
            ast::Stmt::Assert(a) => {
                let end = self.new_label();
                self.expr(&a.test)?;
                self.emit_jump(Opcode::POP_JUMP_IF_TRUE, end);
                let ai = self.name_index("AssertionError");
                self.emit(Opcode::LOAD_GLOBAL, ai << 1);
                if let Some(m) = &a.msg {
                    self.emit(Opcode::PUSH_NULL, 0);
                    self.expr(m)?;
                    self.emit(Opcode::CALL, 1);
                }
                self.emit(Opcode::RAISE_VARARGS, 1);
                self.mark(end);
            }
            ast::Stmt::TypeAlias(a) => self.type_alias(a)?,
            other => {
                return err(format!("this statement is not supported by Pyrite's compiler yet ({})", stmt_kind(other)), other.range());
            }
        }
        Ok(())
    }

    /// Emits what leaving the blocks above index `down_to` requires, innermost first: popping
    /// a for loop's iterator, calling a `with`'s `__exit__`, restoring the handled exception,
    /// running a `finally` body. For `return`, the value stays on top throughout.
    fn exit_fblocks(&mut self, down_to: usize, how: Leave) -> CResult<()> {
        let is_return = how == Leave::Return;
        for i in (down_to..self.u().fblocks.len()).rev() {
            // Take the block out while emitting its exit code (a finally body must not see it).
            let block = core::mem::replace(&mut self.u().fblocks[i], FBlock::Handler);
            match &block {
                FBlock::Loop { .. } => {}
                FBlock::ExceptStar => {
                    self.u().fblocks[i] = block;
                    return err("'break', 'continue' and 'return' cannot appear in an except* block", TextRange::default());
                }
                FBlock::ForIter => match how {
                    // The return value is on top; the iterator below it.
                    Leave::Return => {
                        self.emit(Opcode::SWAP, 2);
                        self.emit(Opcode::POP_TOP, 0);
                    }
                    Leave::Break => self.emit(Opcode::POP_TOP, 0),
                    Leave::Continue => {}
                },
                FBlock::With | FBlock::AsyncWith => {
                    self.pop_handler();
                    if is_return {
                        self.emit(Opcode::SWAP, 2);
                    }
                    self.with_exit_none(matches!(block, FBlock::AsyncWith));
                }
                FBlock::Handler => {
                    self.pop_handler();
                    if is_return {
                        self.emit(Opcode::SWAP, 2);
                    }
                    self.emit(Opcode::POP_EXCEPT, 0);
                }
                FBlock::Finally(body) => {
                    self.pop_handler();
                    // SAFETY: the statements outlive compilation of their try statement.
                    let body: &[ast::Stmt] = unsafe { &**body };
                    let saved = self.u().fblocks.split_off(i);
                    self.body(body)?;
                    self.u().fblocks.extend(saved);
                }
            }
            self.u().fblocks[i] = block;
        }
        Ok(())
    }

    /// Calls the `__exit__` (`__aexit__`, awaited) on top of the stack with (None, None,
    /// None) and drops it.
    fn with_exit_none(&mut self, is_async: bool) {
        // Stack: exit -> exit, NULL, None, None, None.
        self.emit(Opcode::PUSH_NULL, 0);
        for _ in 0..3 {
            self.load_const(Const::None);
        }
        self.emit(Opcode::CALL, 3);
        if is_async {
            self.await_(2);
        }
        self.emit(Opcode::POP_TOP, 0);
    }

    fn break_continue(&mut self, is_break: bool, range: TextRange) -> CResult<()> {
        let Some(pos) = self.u().fblocks.iter().rposition(|b| matches!(b, FBlock::Loop { .. })) else {
            return err(if is_break { "'break' outside loop" } else { "'continue' not properly in loop" }, range);
        };
        self.exit_fblocks(pos + 1, if is_break { Leave::Break } else { Leave::Continue })?;
        let FBlock::Loop { brk, cont } = self.u().fblocks[pos] else { unreachable!() };
        if is_break {
            self.emit_jump(Opcode::JUMP_FORWARD, brk);
        } else {
            self.emit_jump(Opcode::JUMP_BACKWARD, cont);
        }
        Ok(())
    }

    fn if_stmt(&mut self, i: &ast::StmtIf) -> CResult<()> {
        let end = self.new_label();
        let mut next = self.new_label();
        self.test(&i.test, false, next)?;
        self.body(&i.body)?;
        self.emit_jump(Opcode::JUMP_FORWARD, end);
        for clause in &i.elif_else_clauses {
            self.mark(next);
            next = self.new_label();
            self.set_pos(clause.range());
            if let Some(t) = &clause.test {
                self.test(t, false, next)?;
            }
            self.body(&clause.body)?;
            self.emit_jump(Opcode::JUMP_FORWARD, end);
        }
        self.mark(next);
        self.mark(end);
        Ok(())
    }

    /// Evaluates `e` for truth and jumps to `target` when it is `jump_if`.
    fn test(&mut self, e: &ast::Expr, jump_if: bool, target: Label) -> CResult<()> {
        match e {
            ast::Expr::UnaryOp(u) if u.op == ast::UnaryOp::Not => return self.test(&u.operand, !jump_if, target),
            ast::Expr::BoolOp(b) => {
                let is_and = b.op == ast::BoolOp::And;
                if is_and != jump_if {
                    // and/false or or/true: any operand decides.
                    for v in &b.values {
                        self.test(v, jump_if, target)?;
                    }
                } else {
                    let skip = self.new_label();
                    let n = b.values.len();
                    for v in &b.values[..n - 1] {
                        self.test(v, !jump_if, skip)?;
                    }
                    self.test(&b.values[n - 1], jump_if, target)?;
                    self.mark(skip);
                }
                return Ok(());
            }
            _ => {}
        }
        self.expr(e)?;
        self.emit_jump(if jump_if { Opcode::POP_JUMP_IF_TRUE } else { Opcode::POP_JUMP_IF_FALSE }, target);
        Ok(())
    }

    fn while_stmt(&mut self, w: &ast::StmtWhile) -> CResult<()> {
        let top = self.new_label();
        let orelse = self.new_label();
        let end = self.new_label();
        self.mark(top);
        self.test(&w.test, false, orelse)?;
        self.u().fblocks.push(FBlock::Loop { brk: end, cont: top });
        self.body(&w.body)?;
        self.u().fblocks.pop();
        self.emit_jump(Opcode::JUMP_BACKWARD, top);
        self.mark(orelse);
        self.body(&w.orelse)?;
        self.mark(end);
        Ok(())
    }

    fn for_stmt(&mut self, f: &ast::StmtFor) -> CResult<()> {
        if f.is_async {
            return self.async_for_stmt(f);
        }
        let top = self.new_label();
        let exhausted = self.new_label();
        let end = self.new_label();
        self.expr(&f.iter)?;
        self.emit(Opcode::GET_ITER, 0);
        self.mark(top);
        self.set_pos(f.target.range());
        self.emit_jump(Opcode::FOR_ITER, exhausted);
        self.store(&f.target)?;
        self.u().fblocks.push(FBlock::Loop { brk: end, cont: top });
        self.u().fblocks.push(FBlock::ForIter);
        self.body(&f.body)?;
        self.u().fblocks.pop();
        self.u().fblocks.pop();
        self.emit_jump(Opcode::JUMP_BACKWARD, top);
        self.mark(exhausted);
        self.body(&f.orelse)?;
        self.mark(end);
        Ok(())
    }

    /// `async for`: each step awaits `__anext__()` under a handler that ends the loop on
    /// StopAsyncIteration (END_ASYNC_FOR).
    fn async_for_stmt(&mut self, f: &ast::StmtFor) -> CResult<()> {
        let top = self.new_label();
        let handler = self.new_label();
        let end = self.new_label();
        self.expr(&f.iter)?;
        self.emit(Opcode::GET_AITER, 0);
        self.mark(top);
        self.set_pos(f.target.range());
        self.setup(handler, false);
        self.emit(Opcode::GET_ANEXT, 0);
        self.await_next();
        self.pop_handler();
        self.store(&f.target)?;
        self.u().fblocks.push(FBlock::Loop { brk: end, cont: top });
        self.u().fblocks.push(FBlock::ForIter);
        self.body(&f.body)?;
        self.u().fblocks.pop();
        self.u().fblocks.pop();
        self.emit_jump(Opcode::JUMP_BACKWARD, top);
        self.mark(handler);
        self.set_pos(f.iter.range());
        self.emit(Opcode::END_ASYNC_FOR, 0);
        self.body(&f.orelse)?;
        self.mark(end);
        Ok(())
    }

    /// Awaits the awaitable GET_ANEXT pushed (it is already an iterator).
    fn await_next(&mut self) {
        self.load_const(Const::None);
        self.yield_from_loop();
    }

    /// `IMPORT_NAME`'s low oparg bits (PEP 810, as CPython 3.15 encodes them): 1 for `lazy`,
    /// 2 for an import in a function, class or `try` that no lazy mode may defer, else 0.
    fn import_flags(&mut self, is_lazy: bool) -> u32 {
        let kind = self.scopes.scopes[self.cur_scope()].kind;
        if is_lazy {
            1
        } else if !matches!(kind, Some(ScopeKind::Module)) || self.u().in_try > 0 {
            2
        } else {
            0
        }
    }

    fn try_stmt(&mut self, t: &ast::StmtTry) -> CResult<()> {
        // The `try:` line has an instruction of its own, as in CPython (where the handler
        // setup becomes a NOP): `co_lines`, `dis` and line tracing see the line start.
        self.emit(Opcode::NOP, 0);
        if t.finalbody.is_empty() {
            return if t.is_star { self.try_except_star(t) } else { self.try_except(t) };
        }
        // try/finally around (try/except/else).
        let handler = self.new_label();
        let cleanup = self.new_label();
        let end = self.new_label();
        self.setup(handler, false);
        self.u().fblocks.push(FBlock::Finally(&t.finalbody[..] as *const [ast::Stmt]));
        self.u().in_try += 1;
        if t.handlers.is_empty() {
            self.body(&t.body)?;
        } else if t.is_star {
            self.try_except_star(t)?;
        } else {
            self.try_except(t)?;
        }
        self.u().in_try -= 1;
        self.u().fblocks.pop();
        self.pop_handler();
        self.body(&t.finalbody)?;
        self.emit_jump(Opcode::JUMP_FORWARD, end);
        // Exceptional path: run the final body, then re-raise.
        self.mark(handler);
        self.setup(cleanup, true);
        self.emit(Opcode::PUSH_EXC_INFO, 0);
        self.u().in_try += 1;
        self.body(&t.finalbody)?;
        self.u().in_try -= 1;
        self.emit(Opcode::RERAISE, 0);
        self.pop_handler();
        self.mark(cleanup);
        self.emit(Opcode::COPY, 3);
        self.emit(Opcode::POP_EXCEPT, 0);
        self.emit(Opcode::RERAISE, 1);
        self.mark(end);
        Ok(())
    }

    fn try_except(&mut self, t: &ast::StmtTry) -> CResult<()> {
        let handler = self.new_label();
        let cleanup = self.new_label();
        let end = self.new_label();
        self.u().in_try += 1;
        self.setup(handler, false);
        self.body(&t.body)?;
        self.pop_handler();
        self.body(&t.orelse)?;
        self.emit_jump(Opcode::JUMP_FORWARD, end);
        self.mark(handler);
        self.setup(cleanup, true);
        self.emit(Opcode::PUSH_EXC_INFO, 0);
        for h in &t.handlers {
            let ast::ExceptHandler::ExceptHandler(h) = h;
            self.set_pos(h.range());
            let next = self.new_label();
            if let Some(ty) = &h.type_ {
                self.expr(ty)?;
                self.emit(Opcode::CHECK_EXC_MATCH, 0);
                self.emit_jump(Opcode::POP_JUMP_IF_FALSE, next);
            }
            match &h.name {
                Some(n) => self.name_op(&n.id, ast::ExprContext::Store),
                None => self.emit(Opcode::POP_TOP, 0),
            }
            self.u().fblocks.push(FBlock::Handler);
            self.body(&h.body)?;
            self.u().fblocks.pop();
            if let Some(n) = &h.name {
                self.load_const(Const::None);
                self.name_op(&n.id, ast::ExprContext::Store);
                self.name_op(&n.id, ast::ExprContext::Del);
            }
            self.pop_handler();
            self.emit(Opcode::POP_EXCEPT, 0);
            self.emit_jump(Opcode::JUMP_FORWARD, end);
            // Reached by the failed match, where the cleanup handler is still active.
            self.mark(next);
        }
        self.emit(Opcode::RERAISE, 0);
        self.pop_handler();
        self.mark(cleanup);
        self.emit(Opcode::COPY, 3);
        self.emit(Opcode::POP_EXCEPT, 0);
        self.emit(Opcode::RERAISE, 1);
        self.u().in_try -= 1;
        self.mark(end);
        Ok(())
    }

    /// `try`/`except*` (PEP 654), as CPython compiles it: each clause splits what is left of
    /// the exception (`CHECK_EG_MATCH`); what the clauses raise and the unmatched rest are
    /// collected in a list that `PREP_RERAISE_STAR` turns into the exception to re-raise.
    fn try_except_star(&mut self, t: &ast::StmtTry) -> CResult<()> {
        let handler = self.new_label();
        let cleanup = self.new_label();
        let reraise_star = self.new_label();
        let reraise = self.new_label();
        let end = self.new_label();
        self.u().in_try += 1;
        self.setup(handler, false);
        self.body(&t.body)?;
        self.pop_handler();
        self.body(&t.orelse)?;
        self.emit_jump(Opcode::JUMP_FORWARD, end);
        self.mark(handler);
        self.setup(cleanup, true);
        self.emit(Opcode::PUSH_EXC_INFO, 0);
        let n = t.handlers.len();
        for (i, h) in t.handlers.iter().enumerate() {
            let ast::ExceptHandler::ExceptHandler(h) = h;
            self.set_pos(h.range());
            let next = self.new_label();
            let no_match = self.new_label();
            let cleanup_end = self.new_label();
            if i == 0 {
                // Stack: prev, orig -> prev, orig, [], exc (what is left to match).
                self.emit(Opcode::BUILD_LIST, 0);
                self.emit(Opcode::COPY, 2);
            }
            if let Some(ty) = &h.type_ {
                self.expr(ty)?;
                self.emit(Opcode::CHECK_EG_MATCH, 0);
                self.emit(Opcode::COPY, 1);
                self.emit_jump(Opcode::POP_JUMP_IF_NONE, no_match);
            }
            match &h.name {
                Some(nm) => self.name_op(&nm.id, ast::ExprContext::Store),
                None => self.emit(Opcode::POP_TOP, 0),
            }
            self.setup(cleanup_end, true);
            self.u().fblocks.push(FBlock::ExceptStar);
            self.body(&h.body)?;
            self.u().fblocks.pop();
            self.pop_handler();
            if let Some(nm) = &h.name {
                self.load_const(Const::None);
                self.name_op(&nm.id, ast::ExprContext::Store);
                self.name_op(&nm.id, ast::ExprContext::Del);
            }
            self.emit_jump(Opcode::JUMP_FORWARD, next);
            // The clause raised: add its exception to the list.
            self.mark(cleanup_end);
            if let Some(nm) = &h.name {
                self.load_const(Const::None);
                self.name_op(&nm.id, ast::ExprContext::Store);
                self.name_op(&nm.id, ast::ExprContext::Del);
            }
            self.emit(Opcode::LIST_APPEND, 3);
            self.emit(Opcode::POP_TOP, 0);
            self.emit_jump(Opcode::JUMP_FORWARD, next);
            self.mark(no_match);
            self.emit(Opcode::POP_TOP, 0);
            self.mark(next);
            if i == n - 1 {
                // The unmatched rest (or None) joins the list.
                self.emit(Opcode::LIST_APPEND, 1);
                self.emit_jump(Opcode::JUMP_FORWARD, reraise_star);
            }
        }
        self.mark(reraise_star);
        self.emit(Opcode::CALL_INTRINSIC_2, crate::interp::INTRINSIC_PREP_RERAISE_STAR);
        self.emit(Opcode::COPY, 1);
        self.emit_jump(Opcode::POP_JUMP_IF_NOT_NONE, reraise);
        // Nothing to re-raise.
        self.emit(Opcode::POP_TOP, 0);
        self.pop_handler();
        self.emit(Opcode::POP_EXCEPT, 0);
        self.emit_jump(Opcode::JUMP_FORWARD, end);
        self.mark(reraise);
        self.pop_handler();
        self.emit(Opcode::SWAP, 2);
        self.emit(Opcode::POP_EXCEPT, 0);
        self.emit(Opcode::RERAISE, 0);
        self.mark(cleanup);
        self.emit(Opcode::COPY, 3);
        self.emit(Opcode::POP_EXCEPT, 0);
        self.emit(Opcode::RERAISE, 1);
        self.u().in_try -= 1;
        self.mark(end);
        Ok(())
    }

    /// `with a as x, b as y: body` nests one protected region per item (`async with` awaits
    /// `__aenter__()` and `__aexit__(...)`).
    fn with_items(&mut self, items: &[ast::WithItem], body: &[ast::Stmt], is_async: bool) -> CResult<()> {
        let Some((item, rest)) = items.split_first() else { return self.body(body) };
        let handler = self.new_label();
        let cleanup = self.new_label();
        let suppress = self.new_label();
        let end = self.new_label();
        self.expr(&item.context_expr)?;
        self.set_pos(item.range());
        if is_async {
            self.emit(Opcode::BEFORE_ASYNC_WITH, 0);
            self.await_(1);
        } else {
            self.emit(Opcode::BEFORE_WITH, 0);
        }
        // The handler sees `__exit__` only: the `__enter__` result is stored (or popped) first.
        self.setup_below(handler, false, 1);
        match &item.optional_vars {
            Some(t) => self.store(t)?,
            None => self.emit(Opcode::POP_TOP, 0),
        }
        self.u().fblocks.push(if is_async { FBlock::AsyncWith } else { FBlock::With });
        self.with_items(rest, body, is_async)?;
        self.u().fblocks.pop();
        self.pop_handler();
        // Normal exit: __exit__(None, None, None).
        self.with_exit_none(is_async);
        self.emit_jump(Opcode::JUMP_FORWARD, end);
        // Exceptional exit: __exit__(type, exc, tb) decides whether to suppress.
        self.mark(handler);
        self.setup(cleanup, true);
        self.emit(Opcode::PUSH_EXC_INFO, 0);
        self.emit(Opcode::WITH_EXCEPT_START, 0);
        if is_async {
            self.await_(2);
        }
        self.emit(Opcode::TO_BOOL, 0);
        self.emit_jump(Opcode::POP_JUMP_IF_TRUE, suppress);
        self.emit(Opcode::RERAISE, 0);
        self.mark(suppress);
        self.pop_handler();
        self.emit(Opcode::POP_TOP, 0);
        self.emit(Opcode::POP_EXCEPT, 0);
        self.emit(Opcode::POP_TOP, 0);
        self.emit_jump(Opcode::JUMP_FORWARD, end);
        self.mark(cleanup);
        self.emit(Opcode::COPY, 3);
        self.emit(Opcode::POP_EXCEPT, 0);
        self.emit(Opcode::RERAISE, 1);
        self.mark(end);
        Ok(())
    }

    // ---- match (PEP 634) ---------------------------------------------------------------------
    //
    // Every pattern consumes its subject (the top of the stack) and jumps to a fail-pop label
    // when it does not match. Captured values stay on the stack, beneath the `on_top` items the
    // pattern still works on, and are stored only once the whole pattern has matched.

    fn match_stmt(&mut self, m: &ast::StmtMatch) -> CResult<()> {
        self.expr(&m.subject)?;
        let end = self.new_label();
        let ncases = m.cases.len();
        let last = &m.cases[ncases - 1];
        let has_default = is_wildcard(&last.pattern) && ncases > 1;
        for (i, case) in m.cases[..ncases - has_default as usize].iter().enumerate() {
            let is_last = i == ncases - has_default as usize - 1;
            self.set_pos(case.pattern.range());
            if !is_last {
                self.emit(Opcode::COPY, 1);
            }
            let mut pc = PatternCtx { stores: Vec::new(), allow_irrefutable: case.guard.is_some() || i == ncases - 1, fail_pop: Vec::new(), on_top: 0 };
            self.pattern(&case.pattern, &mut pc)?;
            debug_assert_eq!(pc.on_top, 0);
            self.set_pos(case.pattern.range());
            for name in pc.stores.clone() {
                self.name_op(&name, ast::ExprContext::Store);
            }
            if let Some(g) = &case.guard {
                self.ensure_fail_pop(&mut pc, 0);
                self.test(g, false, pc.fail_pop[0])?;
            }
            if !is_last {
                self.emit(Opcode::POP_TOP, 0);
            }
            self.body(&case.body)?;
            self.emit_jump(Opcode::JUMP_FORWARD, end);
            self.set_pos(case.pattern.range());
            self.emit_fail_pop(&mut pc);
        }
        if has_default {
            self.set_pos(last.pattern.range());
            if ncases == 1 {
                self.emit(Opcode::POP_TOP, 0);
            } else {
                self.emit(Opcode::NOP, 0);
            }
            if let Some(g) = &last.guard {
                self.test(g, false, end)?;
            }
            self.body(&last.body)?;
        }
        self.mark(end);
        Ok(())
    }

    /// Makes sure `pc.fail_pop[n]` exists (the label that pops `n` items and fails).
    fn ensure_fail_pop(&mut self, pc: &mut PatternCtx, n: usize) {
        while pc.fail_pop.len() <= n {
            let l = self.new_label();
            pc.fail_pop.push(l);
        }
    }

    /// Jumps (with `op`) to the failure path, popping what the pattern has on the stack.
    fn jump_to_fail_pop(&mut self, pc: &mut PatternCtx, op: Opcode) {
        let pops = pc.on_top + pc.stores.len();
        self.ensure_fail_pop(pc, pops);
        self.emit_jump(op, pc.fail_pop[pops]);
    }

    /// Emits the fail-pop chain: `fail_pop[n]` pops one item and falls into `fail_pop[n-1]`.
    fn emit_fail_pop(&mut self, pc: &mut PatternCtx) {
        let labels = core::mem::take(&mut pc.fail_pop);
        for (i, &l) in labels.iter().enumerate().rev() {
            self.mark(l);
            if i > 0 {
                self.emit(Opcode::POP_TOP, 0);
            }
        }
    }

    /// Moves the top of the stack `count - 1` places down.
    fn rotate(&mut self, count: usize) {
        for k in (2..=count).rev() {
            self.emit(Opcode::SWAP, k as u32);
        }
    }

    /// Binds the subject to `name` (or drops it for a wildcard) once the pattern matches.
    fn pattern_store(&mut self, name: Option<&ast::Identifier>, pc: &mut PatternCtx, range: TextRange) -> CResult<()> {
        let Some(name) = name else {
            self.emit(Opcode::POP_TOP, 0);
            return Ok(());
        };
        let n = name.id.to_string();
        if pc.stores.contains(&n) {
            return err(format!("multiple assignments to name '{n}' in pattern"), range);
        }
        self.rotate(pc.on_top + pc.stores.len() + 1);
        pc.stores.push(n);
        Ok(())
    }

    /// A sub-pattern: irrefutable patterns are allowed inside others.
    fn subpattern(&mut self, p: &ast::Pattern, pc: &mut PatternCtx) -> CResult<()> {
        let saved = pc.allow_irrefutable;
        pc.allow_irrefutable = true;
        self.pattern(p, pc)?;
        pc.allow_irrefutable = saved;
        Ok(())
    }

    fn pattern(&mut self, p: &ast::Pattern, pc: &mut PatternCtx) -> CResult<()> {
        self.set_pos(p.range());
        match p {
            ast::Pattern::MatchValue(v) => {
                self.expr(&v.value)?;
                self.set_pos(p.range());
                self.emit(Opcode::COMPARE_OP, (pyrite_abi::Py_EQ as u32) << 5);
                self.emit(Opcode::TO_BOOL, 0);
                self.jump_to_fail_pop(pc, Opcode::POP_JUMP_IF_FALSE);
            }
            ast::Pattern::MatchSingleton(s) => {
                self.load_const(match s.value {
                    ast::Singleton::None => Const::None,
                    ast::Singleton::True => Const::Bool(true),
                    ast::Singleton::False => Const::Bool(false),
                });
                self.emit(Opcode::IS_OP, 0);
                self.jump_to_fail_pop(pc, Opcode::POP_JUMP_IF_FALSE);
            }
            ast::Pattern::MatchSequence(s) => self.pattern_sequence(&s.patterns, p.range(), pc)?,
            ast::Pattern::MatchMapping(m) => self.pattern_mapping(m, pc)?,
            ast::Pattern::MatchClass(c) => self.pattern_class(c, pc)?,
            ast::Pattern::MatchStar(s) => self.pattern_store(s.name.as_ref(), pc, p.range())?,
            ast::Pattern::MatchAs(a) => match &a.pattern {
                None => {
                    if !pc.allow_irrefutable {
                        return match &a.name {
                            Some(n) => err(format!("name capture '{}' makes remaining patterns unreachable", n.id), p.range()),
                            None => err("wildcard makes remaining patterns unreachable", p.range()),
                        };
                    }
                    self.pattern_store(a.name.as_ref(), pc, p.range())?;
                }
                Some(inner) => {
                    pc.on_top += 1;
                    self.emit(Opcode::COPY, 1);
                    self.pattern(inner, pc)?;
                    pc.on_top -= 1;
                    self.set_pos(p.range());
                    self.pattern_store(a.name.as_ref(), pc, p.range())?;
                }
            },
            ast::Pattern::MatchOr(o) => self.pattern_or(o, pc)?,
        }
        Ok(())
    }

    fn pattern_sequence(&mut self, patterns: &[ast::Pattern], range: TextRange, pc: &mut PatternCtx) -> CResult<()> {
        let size = patterns.len();
        let mut star: Option<usize> = None;
        let mut only_wildcard = true;
        let mut star_wildcard = false;
        for (i, q) in patterns.iter().enumerate() {
            if let ast::Pattern::MatchStar(s) = q {
                if star.is_some() {
                    return err("multiple starred names in sequence pattern", range);
                }
                star_wildcard = s.name.is_none();
                only_wildcard &= star_wildcard;
                star = Some(i);
                continue;
            }
            only_wildcard &= is_wildcard(q);
        }
        pc.on_top += 1;
        self.emit(Opcode::MATCH_SEQUENCE, 0);
        self.jump_to_fail_pop(pc, Opcode::POP_JUMP_IF_FALSE);
        match star {
            None => {
                self.emit(Opcode::GET_LEN, 0);
                self.load_const(Const::Int(size.to_string()));
                self.emit(Opcode::COMPARE_OP, (pyrite_abi::Py_EQ as u32) << 5);
                self.jump_to_fail_pop(pc, Opcode::POP_JUMP_IF_FALSE);
            }
            Some(_) if size > 1 => {
                self.emit(Opcode::GET_LEN, 0);
                self.load_const(Const::Int((size - 1).to_string()));
                self.emit(Opcode::COMPARE_OP, (pyrite_abi::Py_GE as u32) << 5);
                self.jump_to_fail_pop(pc, Opcode::POP_JUMP_IF_FALSE);
            }
            Some(_) => {}
        }
        pc.on_top -= 1;
        if only_wildcard {
            self.emit(Opcode::POP_TOP, 0);
        } else if let (true, Some(star)) = (star_wildcard, star) {
            // `[a, *_, b]`: index the subject instead of unpacking it.
            pc.on_top += 1;
            for (i, q) in patterns.iter().enumerate() {
                if is_wildcard(q) || i == star {
                    continue;
                }
                self.set_pos(range);
                self.emit(Opcode::COPY, 1);
                if i < star {
                    self.load_const(Const::Int(i.to_string()));
                } else {
                    // The subject may not support negative indexes.
                    self.emit(Opcode::GET_LEN, 0);
                    self.load_const(Const::Int((size - i).to_string()));
                    self.emit(Opcode::BINARY_OP, BinaryOp::Sub as u32);
                }
                self.emit(Opcode::BINARY_SUBSCR, 0);
                self.subpattern(q, pc)?;
            }
            pc.on_top -= 1;
            self.emit(Opcode::POP_TOP, 0);
        } else {
            match star {
                None => self.emit(Opcode::UNPACK_SEQUENCE, size as u32),
                Some(i) => {
                    if i >= 256 || size - i > 256 {
                        return err("too many expressions in star-unpacking sequence pattern", range);
                    }
                    self.emit(Opcode::UNPACK_EX, (i | ((size - i - 1) << 8)) as u32);
                }
            }
            pc.on_top += size;
            for q in patterns {
                pc.on_top -= 1;
                self.subpattern(q, pc)?;
            }
        }
        Ok(())
    }

    fn pattern_mapping(&mut self, m: &ast::PatternMatchMapping, pc: &mut PatternCtx) -> CResult<()> {
        let size = m.keys.len();
        pc.on_top += 1;
        self.emit(Opcode::MATCH_MAPPING, 0);
        self.jump_to_fail_pop(pc, Opcode::POP_JUMP_IF_FALSE);
        if size == 0 && m.rest.is_none() {
            pc.on_top -= 1;
            self.emit(Opcode::POP_TOP, 0);
            return Ok(());
        }
        if size > 0 {
            self.emit(Opcode::GET_LEN, 0);
            self.load_const(Const::Int(size.to_string()));
            self.emit(Opcode::COMPARE_OP, (pyrite_abi::Py_GE as u32) << 5);
            self.jump_to_fail_pop(pc, Opcode::POP_JUMP_IF_FALSE);
        }
        // Literal keys must differ (checked here, as CPython's compiler does).
        let mut seen: Vec<PyRef> = Vec::new();
        for key in m.keys.iter() {
            if let Some(v) = self.literal_value(key) {
                let to_err = |e: crate::err::PyErr| CompileError { msg: format!("{e:?}"), range: m.range, raised: None };
                for s in &seen {
                    if crate::abstract_::rich_compare_bool(s, &v, pyrite_abi::Py_EQ).map_err(to_err)? {
                        let r = crate::abstract_::repr(&v).map_err(to_err)?;
                        return err(format!("mapping pattern checks duplicate key ({})", unicode::as_str_lossy(&r)), m.range);
                    }
                }
                seen.push(v);
            } else if !matches!(key, ast::Expr::Attribute(_)) {
                return err("mapping pattern keys may only match literals and attribute lookups", m.range);
            }
            self.expr(key)?;
        }
        self.set_pos(m.range);
        self.emit(Opcode::BUILD_TUPLE, size as u32);
        self.emit(Opcode::MATCH_KEYS, 0);
        pc.on_top += 2;
        self.emit(Opcode::COPY, 1);
        self.load_const(Const::None);
        self.emit(Opcode::IS_OP, 1);
        self.jump_to_fail_pop(pc, Opcode::POP_JUMP_IF_FALSE);
        self.emit(Opcode::UNPACK_SEQUENCE, size as u32);
        pc.on_top += size;
        pc.on_top -= 1;
        for q in m.patterns.iter() {
            pc.on_top -= 1;
            self.subpattern(q, pc)?;
        }
        self.set_pos(m.range);
        pc.on_top -= 2;
        match &m.rest {
            Some(rest) => {
                // rest = dict(subject) without the matched keys.
                self.emit(Opcode::BUILD_MAP, 0);
                self.emit(Opcode::SWAP, 3);
                self.emit(Opcode::DICT_UPDATE, 2);
                self.emit(Opcode::UNPACK_SEQUENCE, size as u32);
                let mut n = size;
                while n > 0 {
                    self.emit(Opcode::COPY, 1 + n as u32);
                    n -= 1;
                    self.emit(Opcode::SWAP, 2);
                    self.emit(Opcode::DELETE_SUBSCR, 0);
                }
                self.pattern_store(Some(rest), pc, m.range)?;
            }
            None => {
                self.emit(Opcode::POP_TOP, 0);
                self.emit(Opcode::POP_TOP, 0);
            }
        }
        Ok(())
    }

    /// The value of a literal pattern key (numbers, signed numbers, complex sums, strings,
    /// bytes, True/False/None), computed at compile time for the duplicate-key check.
    fn literal_value(&self, e: &ast::Expr) -> Option<PyRef> {
        use crate::number::{binary_op, unary_op, UnaryOp};
        match e {
            ast::Expr::NumberLiteral(_) | ast::Expr::StringLiteral(_) | ast::Expr::BytesLiteral(_) | ast::Expr::BooleanLiteral(_) | ast::Expr::NoneLiteral(_) => {
                let c = match e {
                    ast::Expr::NumberLiteral(n) => match &n.value {
                        ast::Number::Int(i) => Const::Int(i.to_string()),
                        ast::Number::Float(f) => Const::Float(f.to_bits()),
                        ast::Number::Complex { real, imag } => Const::Complex(real.to_bits(), imag.to_bits()),
                    },
                    ast::Expr::StringLiteral(s) => str_const(literal::string_value(self.source, &s.value)),
                    ast::Expr::BytesLiteral(b) => Const::Bytes(b.value.as_slice().iter().flat_map(|p| p.value.iter().copied()).collect()),
                    ast::Expr::BooleanLiteral(b) => Const::Bool(b.value),
                    _ => Const::None,
                };
                self.const_obj(&c).ok()
            }
            ast::Expr::UnaryOp(u) if u.op == ast::UnaryOp::USub => unary_op(&*self.literal_value(&u.operand)?, UnaryOp::Neg).ok(),
            ast::Expr::BinOp(b) if matches!(b.op, ast::Operator::Add | ast::Operator::Sub) => {
                let op = if b.op == ast::Operator::Add { BinaryOp::Add } else { BinaryOp::Sub };
                binary_op(&*self.literal_value(&b.left)?, &*self.literal_value(&b.right)?, op).ok()
            }
            _ => None,
        }
    }

    fn pattern_class(&mut self, c: &ast::PatternMatchClass, pc: &mut PatternCtx) -> CResult<()> {
        let args = &c.arguments.patterns;
        let kws = &c.arguments.keywords;
        for (i, k) in kws.iter().enumerate() {
            if let Some(other) = kws[i + 1..].iter().find(|o| o.attr.id == k.attr.id) {
                return err(format!("attribute name repeated in class pattern: {}", k.attr.id), other.pattern.range());
            }
        }
        self.expr(&c.cls)?;
        self.set_pos(c.range);
        let names: Vec<Const> = kws.iter().map(|k| Const::Str(k.attr.id.to_string())).collect();
        self.load_const(Const::Tuple(names));
        self.emit(Opcode::MATCH_CLASS, args.len() as u32);
        self.emit(Opcode::COPY, 1);
        self.load_const(Const::None);
        self.emit(Opcode::IS_OP, 1);
        pc.on_top += 1;
        self.jump_to_fail_pop(pc, Opcode::POP_JUMP_IF_FALSE);
        let n = args.len() + kws.len();
        self.emit(Opcode::UNPACK_SEQUENCE, n as u32);
        pc.on_top += n;
        pc.on_top -= 1;
        for q in args.iter().chain(kws.iter().map(|k| &k.pattern)) {
            pc.on_top -= 1;
            if is_wildcard(q) {
                self.set_pos(c.range);
                self.emit(Opcode::POP_TOP, 0);
                continue;
            }
            self.subpattern(q, pc)?;
        }
        Ok(())
    }

    fn pattern_or(&mut self, o: &ast::PatternMatchOr, pc: &mut PatternCtx) -> CResult<()> {
        let end = self.new_label();
        let n = o.patterns.len();
        let outer_on_top = pc.on_top;
        let outer_allow = pc.allow_irrefutable;
        let outer_stores = core::mem::take(&mut pc.stores);
        let outer_fail_pop = core::mem::take(&mut pc.fail_pop);
        let mut control: Option<Vec<String>> = None;
        let diff = || err("alternative patterns bind different names", o.range);
        for (i, alt) in o.patterns.iter().enumerate() {
            pc.stores = Vec::new();
            pc.allow_irrefutable = i == n - 1 && outer_allow;
            pc.fail_pop = Vec::new();
            pc.on_top = 0;
            self.set_pos(alt.range());
            self.emit(Opcode::COPY, 1);
            self.pattern(alt, pc)?;
            self.set_pos(alt.range());
            match &control {
                None => control = Some(pc.stores.clone()),
                Some(ctl) if ctl.len() != pc.stores.len() => return diff(),
                Some(ctl) => {
                    // Same names, maybe bound in another order: reorder the stack to match.
                    for icontrol in (0..ctl.len()).rev() {
                        let Some(istores) = pc.stores.iter().position(|s| *s == ctl[icontrol]) else { return diff() };
                        if icontrol != istores {
                            let rotations = istores + 1;
                            let rotated: Vec<String> = pc.stores.drain(..rotations).collect();
                            let at = icontrol - istores;
                            for (k, r) in rotated.into_iter().enumerate() {
                                pc.stores.insert(at + k, r);
                            }
                            for _ in 0..rotations {
                                self.rotate(icontrol + 1);
                            }
                        }
                    }
                }
            }
            self.emit_jump(Opcode::JUMP_FORWARD, end);
            self.emit_fail_pop(pc);
        }
        pc.stores = outer_stores;
        pc.fail_pop = outer_fail_pop;
        pc.on_top = outer_on_top;
        pc.allow_irrefutable = outer_allow;
        // No alternative matched: drop the subject copy and fail.
        self.set_pos(o.range);
        self.emit(Opcode::POP_TOP, 0);
        self.jump_to_fail_pop(pc, Opcode::JUMP_FORWARD);
        self.mark(end);
        let control = control.unwrap_or_default();
        let nrots = control.len() + 1 + pc.on_top + pc.stores.len();
        for name in control {
            self.rotate(nrots);
            if pc.stores.contains(&name) {
                return err(format!("multiple assignments to name '{name}' in pattern"), o.range);
            }
            pc.stores.push(name);
        }
        self.emit(Opcode::POP_TOP, 0);
        Ok(())
    }

    fn aug_assign(&mut self, a: &ast::StmtAugAssign) -> CResult<()> {
        let op = binop(a.op) as u32 + 13;
        match &*a.target {
            ast::Expr::Name(n) => {
                self.name_op(&n.id, ast::ExprContext::Load);
                self.expr(&a.value)?;
                self.emit(Opcode::BINARY_OP, op);
                self.name_op(&n.id, ast::ExprContext::Store);
            }
            ast::Expr::Attribute(at) => {
                self.expr(&at.value)?;
                self.emit(Opcode::COPY, 1);
                let i = self.attr_index(&at.attr.id);
                self.emit(Opcode::LOAD_ATTR, i << 1);
                self.expr(&a.value)?;
                self.emit(Opcode::BINARY_OP, op);
                self.emit(Opcode::SWAP, 2);
                self.emit(Opcode::STORE_ATTR, i);
            }
            ast::Expr::Subscript(s) => {
                self.expr(&s.value)?;
                self.expr(&s.slice)?;
                self.emit(Opcode::COPY, 2);
                self.emit(Opcode::COPY, 2);
                self.emit(Opcode::BINARY_SUBSCR, 0);
                self.expr(&a.value)?;
                self.emit(Opcode::BINARY_OP, op);
                self.emit(Opcode::SWAP, 3);
                self.emit(Opcode::SWAP, 2);
                self.emit(Opcode::STORE_SUBSCR, 0);
            }
            other => return err("'expression' is an illegal expression for augmented assignment", other.range()),
        }
        Ok(())
    }

    /// Stores the value on top of the stack into a target.
    fn store(&mut self, t: &ast::Expr) -> CResult<()> {
        match t {
            ast::Expr::Name(n) => self.name_op(&n.id, ast::ExprContext::Store),
            ast::Expr::Attribute(a) => {
                self.expr(&a.value)?;
                let i = self.attr_index(&a.attr.id);
                self.emit(Opcode::STORE_ATTR, i);
            }
            ast::Expr::Subscript(s) => {
                self.expr(&s.value)?;
                self.expr(&s.slice)?;
                self.emit(Opcode::STORE_SUBSCR, 0);
            }
            ast::Expr::Tuple(ast::ExprTuple { elts, .. }) | ast::Expr::List(ast::ExprList { elts, .. }) => {
                match elts.iter().position(|e| e.is_starred_expr()) {
                    None => self.emit(Opcode::UNPACK_SEQUENCE, elts.len() as u32),
                    Some(star) => {
                        let after = elts.len() - star - 1;
                        if star > 255 || after > 255 {
                            return err("too many expressions in star-unpacking assignment", t.range());
                        }
                        self.emit(Opcode::UNPACK_EX, (star | (after << 8)) as u32);
                    }
                }
                for e in elts {
                    match e {
                        ast::Expr::Starred(s) => self.store(&s.value)?,
                        _ => self.store(e)?,
                    }
                }
            }
            other => return err(format!("cannot assign to {}", expr_kind(other)), other.range()),
        }
        Ok(())
    }

    fn delete(&mut self, t: &ast::Expr) -> CResult<()> {
        match t {
            ast::Expr::Name(n) => self.name_op(&n.id, ast::ExprContext::Del),
            ast::Expr::Attribute(a) => {
                self.expr(&a.value)?;
                let i = self.attr_index(&a.attr.id);
                self.emit(Opcode::DELETE_ATTR, i);
            }
            ast::Expr::Subscript(s) => {
                self.expr(&s.value)?;
                self.expr(&s.slice)?;
                self.emit(Opcode::DELETE_SUBSCR, 0);
            }
            ast::Expr::Tuple(ast::ExprTuple { elts, .. }) | ast::Expr::List(ast::ExprList { elts, .. }) => {
                for e in elts {
                    self.delete(e)?;
                }
            }
            other => return err(format!("cannot delete {}", expr_kind(other)), other.range()),
        }
        Ok(())
    }

    // ---- annotations (PEP 649) --------------------------------------------------------------

    fn ann_assign(&mut self, a: &ast::StmtAnnAssign) -> CResult<()> {
        if let Some(v) = &a.value {
            self.expr(v)?;
            self.store(&a.target)?;
        }
        let kind = self.scopes.scopes[self.cur_scope()].kind;
        match &*a.target {
            ast::Expr::Name(n) if a.simple && matches!(kind, Some(ScopeKind::Module | ScopeKind::Class)) => {
                let mangled = self.scopes.mangle(self.cur_scope(), &n.id);
                if self.scopes.future_annotations() {
                    // `from __future__ import annotations`: `__annotations__[name] = 'text'`.
                    let text = crate::compiler::unparse::unparse(&a.annotation, self.source);
                    self.load_const(Const::Str(text));
                    self.name_op("__annotations__", ast::ExprContext::Load);
                    self.load_const(Const::Str(mangled));
                    self.emit(Opcode::STORE_SUBSCR, 0);
                    return Ok(());
                }
                let info = &self.scopes.scopes[self.cur_scope()];
                let conditional = info.has_conditional_annotations && (self.u().in_conditional > 0 || matches!(kind, Some(ScopeKind::Module)));
                let index = if conditional {
                    let i = self.u().next_conditional_annotation;
                    self.u().next_conditional_annotation += 1;
                    Some(i)
                } else {
                    None
                };
                self.u().deferred_annotations.push((mangled, &*a.annotation as *const ast::Expr, index));
                if let Some(i) = index {
                    // Record that this annotation ran.
                    if matches!(kind, Some(ScopeKind::Class)) {
                        self.load_deref_direct("__conditional_annotations__");
                    } else {
                        let ni = self.name_index("__conditional_annotations__");
                        self.emit(Opcode::LOAD_NAME, ni);
                    }
                    self.load_const(Const::Int(i.to_string()));
                    self.emit(Opcode::SET_ADD, 1);
                    self.emit(Opcode::POP_TOP, 0);
                }
            }
            // The target's parts are evaluated when there is no value to store.
            ast::Expr::Attribute(at) if a.value.is_none() => {
                self.expr(&at.value)?;
                self.emit(Opcode::POP_TOP, 0);
            }
            ast::Expr::Subscript(sub) if a.value.is_none() => {
                self.expr(&sub.value)?;
                self.emit(Opcode::POP_TOP, 0);
                self.expr(&sub.slice)?;
                self.emit(Opcode::POP_TOP, 0);
            }
            _ => {}
        }
        Ok(())
    }

    /// Enters the `__annotate__(format, /)` block `scope` and emits its prologue: formats
    /// above VALUE_WITH_FAKE_GLOBALS (2) raise NotImplementedError.
    fn enter_annotate(&mut self, scope: usize, qualname: String, range: TextRange) {
        self.enter_annotation_scope(scope, "__annotate__", qualname, range);
    }

    /// `codegen_setup_annotations_scope`: a function of one positional-only `format` that
    /// raises NotImplementedError for formats above VALUE_WITH_FAKE_GLOBALS.
    fn enter_annotation_scope(&mut self, scope: usize, name: &str, qualname: String, range: TextRange) {
        self.enter(scope, name, qualname, range);
        self.u().argcount = 1;
        self.u().posonlyargcount = 1;
        let body = self.new_label();
        self.emit(Opcode::LOAD_FAST, 0);
        self.load_const(Const::Int("2".into()));
        self.emit(Opcode::COMPARE_OP, (pyrite_abi::Py_GT as u32) << 5);
        self.emit_jump(Opcode::POP_JUMP_IF_FALSE, body);
        self.emit(Opcode::LOAD_COMMON_CONSTANT, 1);
        self.emit(Opcode::RAISE_VARARGS, 1);
        self.mark(body);
    }

    /// A function's parameter and return annotations: pushes its `__annotate__` and returns
    /// true, or pushes nothing when nothing is annotated.
    fn function_annotations(&mut self, f: &ast::StmtFunctionDef, func_qualname: &str) -> CResult<bool> {
        let Some(scope) = self.scopes.block(f.range(), crate::compiler::symtable::BlockKind::FunctionAnnotations) else {
            return Ok(false);
        };
        if !self.scopes.scopes[scope].annotations_used {
            return Ok(false);
        }
        let p = &f.parameters;
        let mut items: Vec<(&str, &ast::Expr)> = Vec::new();
        for a in p.posonlyargs.iter().chain(p.args.iter()) {
            if let Some(ann) = &a.parameter.annotation {
                items.push((a.parameter.name.id.as_str(), ann));
            }
        }
        if let Some(v) = &p.vararg
            && let Some(ann) = &v.annotation
        {
            items.push((v.name.id.as_str(), ann));
        }
        for a in &p.kwonlyargs {
            if let Some(ann) = &a.parameter.annotation {
                items.push((a.parameter.name.id.as_str(), ann));
            }
        }
        if let Some(v) = &p.kwarg
            && let Some(ann) = &v.annotation
        {
            items.push((v.name.id.as_str(), ann));
        }
        if let Some(r) = &f.returns {
            items.push(("return", r));
        }
        self.enter_annotate(scope, format!("{func_qualname}.__annotate__"), f.range());
        let future = self.scopes.future_annotations();
        for (name, ann) in &items {
            let mangled = self.scopes.mangle(scope, name);
            self.load_const(Const::Str(mangled));
            if future {
                let text = crate::compiler::unparse::unparse(ann, self.source);
                self.load_const(Const::Str(text));
            } else if let ast::Expr::Starred(st) = ann {
                // `*args: *Ts` is the one item of the unpacked value.
                self.expr(&st.value)?;
                self.emit(Opcode::UNPACK_SEQUENCE, 1);
            } else {
                self.expr(ann)?;
            }
        }
        self.emit(Opcode::BUILD_MAP, items.len() as u32);
        self.emit(Opcode::RETURN_VALUE, 0);
        self.make_function(Vec::new())?;
        Ok(true)
    }

    /// The `__annotate__` of a module's or class's annotated assignments (`owner` spans the
    /// module or the class statement); pushes it, or returns false when there are none.
    fn body_annotations(&mut self, owner: TextRange, qualname: String) -> CResult<bool> {
        let deferred = core::mem::take(&mut self.u().deferred_annotations);
        if deferred.is_empty() {
            return Ok(false);
        }
        let scope = self.scopes.block(owner, crate::compiler::symtable::BlockKind::BodyAnnotations).expect("an annotation block for annotated assignments");
        let saved = self.u().pos;
        let parent_kind = self.scopes.scopes[self.cur_scope()].kind;
        let conditional = deferred.iter().any(|d| d.2.is_some());
        if conditional && matches!(parent_kind, Some(ScopeKind::Class)) {
            // The class's `__conditional_annotations__` cell joins the closure (CPython's
            // code generator adds it; the symbol table does not see the use).
            let free = &mut self.scopes.scopes[scope].freevars;
            if !free.iter().any(|f| f == "__conditional_annotations__") {
                free.push("__conditional_annotations__".into());
                free.sort();
            }
        }
        self.enter_annotate(scope, qualname, owner);
        self.emit(Opcode::BUILD_MAP, 0);
        for (name, ann, index) in &deferred {
            // SAFETY: the annotations outlive compilation of their module.
            let ann: &ast::Expr = unsafe { &**ann };
            let skip = self.new_label();
            if let Some(i) = index {
                self.load_const(Const::Int(i.to_string()));
                if matches!(parent_kind, Some(ScopeKind::Class)) {
                    self.load_deref_direct("__conditional_annotations__");
                } else {
                    self.name_op("__conditional_annotations__", ast::ExprContext::Load);
                }
                self.emit(Opcode::CONTAINS_OP, 0);
                self.emit_jump(Opcode::POP_JUMP_IF_FALSE, skip);
            }
            self.expr(ann)?;
            self.emit(Opcode::COPY, 2);
            self.load_const(Const::Str(name.clone()));
            self.emit(Opcode::STORE_SUBSCR, 0);
            self.mark(skip);
        }
        self.emit(Opcode::RETURN_VALUE, 0);
        self.make_function(Vec::new())?;
        self.u().pos = saved;
        Ok(true)
    }

    // ---- functions --------------------------------------------------------------------------

    fn qualname_for(&self, name: &str) -> String {
        let mut depth = self.units.len() - 1;
        // Inside an annotation scope (type parameters, an alias's value), the name is
        // qualified by the scope around it, as CPython's `compiler_set_qualname` does.
        if matches!(self.scopes.scopes[self.units[depth].scope].kind, Some(ScopeKind::Annotation)) {
            if depth <= 1 {
                return name.to_string();
            }
            depth -= 1;
        }
        let parent = &self.units[depth];
        // A function or class declared `global` in the enclosing function is a module-level name.
        let mangled = self.scopes.mangle(parent.scope, name);
        if self.scopes.lookup(parent.scope, &mangled) == NameScope::GlobalExplicit {
            return name.to_string();
        }
        match self.scopes.scopes[parent.scope].kind {
            Some(ScopeKind::Module) | None => name.to_string(),
            Some(ScopeKind::Class) => format!("{}.{}", parent.qualname, name),
            _ => format!("{}.<locals>.{}", parent.qualname, name),
        }
    }

    /// Emits defaults/kwdefaults; returns the SET_FUNCTION_ATTRIBUTE flags to apply.
    fn defaults(&mut self, p: &ast::Parameters) -> CResult<Vec<u32>> {
        let mut flags = Vec::new();
        let pos: Vec<&ast::Expr> = p.posonlyargs.iter().chain(p.args.iter()).filter_map(|a| a.default.as_deref()).collect();
        if !pos.is_empty() {
            for d in &pos {
                self.expr(d)?;
            }
            self.emit(Opcode::BUILD_TUPLE, pos.len() as u32);
            flags.push(1);
        }
        let kw: Vec<(&str, &ast::Expr)> = p.kwonlyargs.iter().filter_map(|a| a.default.as_deref().map(|d| (a.name().id.as_str(), d))).collect();
        if !kw.is_empty() {
            for (name, d) in &kw {
                self.load_const(Const::Str(name.to_string()));
                self.expr(d)?;
            }
            self.emit(Opcode::BUILD_MAP, kw.len() as u32);
            flags.push(2);
        }
        Ok(flags)
    }

    fn function_def(&mut self, f: &ast::StmtFunctionDef) -> CResult<()> {
        for d in &f.decorator_list {
            self.expr(&d.expression)?;
        }
        let mut flags = self.defaults(&f.parameters)?;
        let qualname = self.qualname_for(&f.name.id);
        // A generic function is made and returned by a function of its defaults (CPython's
        // `<generic parameters of f>`), whose locals are the type parameters.
        let n_generic_args = flags.len() as u32;
        if let Some(tps) = &f.type_params {
            if n_generic_args == 2 {
                self.emit(Opcode::SWAP, 2);
            }
            self.enter_type_params(f.range(), &f.name.id)?;
            self.type_params(tps)?;
            for i in 0..n_generic_args {
                self.emit(Opcode::LOAD_FAST, i);
            }
        }
        if self.function_annotations(f, &qualname)? {
            flags.push(16);
        }
        let scope = self.scopes.child(self.cur_scope(), f.range());
        let docstring = self.docstring(&f.body)?;
        self.enter(scope, &f.name.id, qualname, f.range());
        self.set_args(&f.parameters);
        if let Some(doc) = &docstring {
            // The docstring is the first constant (CPython 3.14's CO_HAS_DOCSTRING).
            self.add_const(doc.clone());
            self.u().flags |= crate::objects::function::CO_HAS_DOCSTRING;
        }
        let body: &[ast::Stmt] = if docstring.is_some() { &f.body[1..] } else { &f.body };
        self.body(body)?;
        self.load_const(Const::None);
        self.emit(Opcode::RETURN_VALUE, 0);
        self.make_function(flags)?;
        if f.type_params.is_some() {
            self.set_pos(f.range());
            self.emit(Opcode::SWAP, 2);
            self.emit(Opcode::CALL_INTRINSIC_2, crate::interp::INTRINSIC_SET_FUNCTION_TYPE_PARAMS);
            self.emit(Opcode::RETURN_VALUE, 0);
            self.u().argcount = n_generic_args;
            self.make_function(Vec::new())?;
            if n_generic_args > 0 {
                // Stack: defaults..., function -> function(defaults...), the first argument in
                // the `self` slot.
                self.emit(Opcode::SWAP, n_generic_args + 1);
                self.emit(Opcode::CALL, n_generic_args - 1);
            } else {
                self.emit(Opcode::PUSH_NULL, 0);
                self.emit(Opcode::CALL, 0);
            }
        }
        for _ in &f.decorator_list {
            self.emit(Opcode::PUSH_NULL, 0);
            self.emit(Opcode::SWAP, 2);
            // Stack: decorator, NULL, function -> call decorator(function).
            self.emit(Opcode::CALL, 1);
        }
        self.set_pos(f.range());
        self.name_op(&f.name.id, ast::ExprContext::Store);
        Ok(())
    }

    fn class_def(&mut self, c: &ast::StmtClassDef) -> CResult<()> {
        for d in &c.decorator_list {
            self.expr(&d.expression)?;
        }
        let qualname = self.qualname_for(&c.name.id);
        if let Some(tps) = &c.type_params {
            // `<generic parameters of C>` binds the type parameters, then builds the class
            // with `Generic` as its last base.
            self.enter_type_params(c.range(), &c.name.id)?;
            self.type_params(tps)?;
            self.name_op(".type_params", ast::ExprContext::Store);
        }
        self.set_pos(c.range());
        self.emit(Opcode::LOAD_BUILD_CLASS, 0);
        self.emit(Opcode::PUSH_NULL, 0);
        let scope = self.scopes.child(self.cur_scope(), c.range());
        self.enter(scope, &c.name.id, qualname.clone(), c.range());
        self.name_op("__name__", ast::ExprContext::Load);
        self.name_op("__module__", ast::ExprContext::Store);
        self.load_const(Const::Str(qualname.clone()));
        self.name_op("__qualname__", ast::ExprContext::Store);
        if c.type_params.is_some() {
            self.name_op(".type_params", ast::ExprContext::Load);
            self.name_op("__type_params__", ast::ExprContext::Store);
        }
        let info = &self.scopes.scopes[scope];
        let (needs_classdict, conditional, annotations_used) = (info.needs_classdict, info.has_conditional_annotations, info.annotations_used);
        if needs_classdict {
            self.emit(Opcode::LOAD_LOCALS, 0);
            let (i, _) = self.localplus_index("__classdict__").expect("the __classdict__ cell");
            self.emit(Opcode::STORE_DEREF, i);
        }
        if self.scopes.future_annotations() {
            if annotations_used {
                self.emit(Opcode::SETUP_ANNOTATIONS, 0);
            }
        } else if conditional {
            self.emit(Opcode::BUILD_SET, 0);
            let (i, _) = self.localplus_index("__conditional_annotations__").expect("the __conditional_annotations__ cell");
            self.emit(Opcode::STORE_DEREF, i);
        }
        let doc = self.docstring(&c.body)?;
        if let Some(d) = &doc {
            self.load_const(d.clone());
            self.name_op("__doc__", ast::ExprContext::Store);
        }
        let body: &[ast::Stmt] = if doc.is_some() { &c.body[1..] } else { &c.body };
        self.body(body)?;
        self.set_pos(c.range());
        if self.body_annotations(c.range(), format!("{qualname}.__annotate__"))? {
            self.name_op("__annotate_func__", ast::ExprContext::Store);
        }
        if needs_classdict {
            // `type.__new__` points the cell at the class's own dict.
            let (i, _) = self.localplus_index("__classdict__").expect("the __classdict__ cell");
            self.emit(Opcode::LOAD_FAST, i);
            self.name_op("__classdictcell__", ast::ExprContext::Store);
        }
        if let Some(i) = self.u().cellvars.iter().position(|n| n == "__class__") {
            // Hand the `__class__` cell to __build_class__, which fills it with the class.
            let idx = self.u().varnames.len() + i;
            self.emit(Opcode::LOAD_FAST, idx as u32);
            self.name_op("__classcell__", ast::ExprContext::Store);
        }
        self.load_const(Const::None);
        self.emit(Opcode::RETURN_VALUE, 0);
        self.make_function(Vec::new())?;
        self.load_const(Const::Str(c.name.id.to_string()));
        let (args, kws): (&[ast::Expr], &[ast::Keyword]) = match &c.arguments {
            Some(a) => (&a.args, &a.keywords),
            None => (&[], &[]),
        };
        if c.type_params.is_some() {
            // The generic base is computed before the bases and passed after them.
            self.set_pos(c.range());
            self.name_op(".type_params", ast::ExprContext::Load);
            self.emit(Opcode::CALL_INTRINSIC_1, crate::interp::INTRINSIC_SUBSCRIPT_GENERIC);
            self.name_op(".generic_base", ast::ExprContext::Store);
        }
        let generic_base = c.type_params.is_some().then_some(".generic_base");
        if args.iter().any(|e| e.is_starred_expr()) || kws.iter().any(|k| k.arg.is_none()) {
            // `__build_class__(func, name, *bases, **kw)` through the generic call.
            self.call_ex(args, kws, 2, generic_base, c.range())?;
        } else {
            self.class_call(args, kws, generic_base, c.range())?;
        }
        if c.type_params.is_some() {
            self.emit(Opcode::RETURN_VALUE, 0);
            self.make_function(Vec::new())?;
            self.emit(Opcode::PUSH_NULL, 0);
            self.emit(Opcode::CALL, 0);
        }
        for _ in &c.decorator_list {
            self.emit(Opcode::PUSH_NULL, 0);
            self.emit(Opcode::SWAP, 2);
            self.emit(Opcode::CALL, 1);
        }
        self.name_op(&c.name.id, ast::ExprContext::Store);
        Ok(())
    }

    /// `__build_class__(func, name, *bases, **kw)` with plain bases and keywords (func and name
    /// are pushed).
    fn class_call(&mut self, args: &[ast::Expr], kws: &[ast::Keyword], generic_base: Option<&str>, range: TextRange) -> CResult<()> {
        for a in args {
            self.expr(a)?;
        }
        let mut nargs = args.len();
        if let Some(g) = generic_base {
            self.name_op(g, ast::ExprContext::Load);
            nargs += 1;
        }
        for k in kws {
            self.expr(&k.value)?;
        }
        self.set_pos(range);
        if kws.is_empty() {
            self.emit(Opcode::CALL, 2 + nargs as u32);
        } else {
            let names: Vec<Const> = kws.iter().map(|k| Const::Str(k.arg.as_ref().unwrap().id.to_string())).collect();
            self.load_const(Const::Tuple(names));
            self.emit(Opcode::CALL_KW, (2 + nargs + kws.len()) as u32);
        }
        Ok(())
    }

    // ---- PEP 695 type parameters ----------------------------------------------------------------

    /// Enters the `<generic parameters of name>` block of the generic statement spanning `range`.
    fn enter_type_params(&mut self, range: TextRange, name: &str) -> CResult<()> {
        let scope = self.scopes.block(range, crate::compiler::symtable::BlockKind::TypeParameters).expect("a type-parameter block");
        let label = format!("<generic parameters of {name}>");
        let qualname = self.qualname_for(&label);
        self.enter(scope, &label, qualname, range);
        Ok(())
    }

    /// `codegen_type_params`: binds each type parameter and pushes the tuple of them.
    fn type_params(&mut self, tps: &ast::TypeParams) -> CResult<()> {
        use crate::compiler::symtable::BlockKind;
        use crate::interp::*;
        let mut seen_default = false;
        for tp in &tps.type_params {
            let (name, bound, default, make) = match tp {
                ast::TypeParam::TypeVar(v) => (&v.name, v.bound.as_deref(), v.default.as_deref(), INTRINSIC_TYPEVAR),
                ast::TypeParam::ParamSpec(v) => (&v.name, None, v.default.as_deref(), INTRINSIC_PARAMSPEC),
                ast::TypeParam::TypeVarTuple(v) => (&v.name, None, v.default.as_deref(), INTRINSIC_TYPEVARTUPLE),
            };
            self.set_pos(tp.range());
            self.load_const(Const::Str(name.id.to_string()));
            if let Some(b) = bound {
                self.type_param_thunk(b, &name.id, tp.range(), BlockKind::TypeVarBound, false)?;
                self.set_pos(tp.range());
                let which = if b.is_tuple_expr() { INTRINSIC_TYPEVAR_WITH_CONSTRAINTS } else { INTRINSIC_TYPEVAR_WITH_BOUND };
                self.emit(Opcode::CALL_INTRINSIC_2, which);
            } else {
                self.emit(Opcode::CALL_INTRINSIC_1, make);
            }
            if let Some(d) = default {
                seen_default = true;
                let starred = make == INTRINSIC_TYPEVARTUPLE;
                self.type_param_thunk(d, &name.id, tp.range(), BlockKind::TypeVarDefault, starred)?;
                self.set_pos(tp.range());
                self.emit(Opcode::CALL_INTRINSIC_2, INTRINSIC_SET_TYPEPARAM_DEFAULT);
            } else if seen_default {
                return err(format!("non-default type parameter '{}' follows default type parameter", name.id), tp.range());
            }
            self.emit(Opcode::COPY, 1);
            self.name_op(&name.id, ast::ExprContext::Store);
        }
        self.emit(Opcode::BUILD_TUPLE, tps.type_params.len() as u32);
        Ok(())
    }

    /// `codegen_type_param_bound_or_default`: pushes the function (with `format` defaulting
    /// to 1) that evaluates a bound, constraints or default lazily.
    fn type_param_thunk(&mut self, e: &ast::Expr, name: &str, range: TextRange, kind: crate::compiler::symtable::BlockKind, starred: bool) -> CResult<()> {
        self.load_const(Const::Tuple(vec![Const::Int("1".into())]));
        let scope = self.scopes.block(range, kind).expect("a type-variable block");
        let qualname = self.qualname_for(name);
        self.enter_annotation_scope(scope, name, qualname, e.range());
        match e {
            ast::Expr::Starred(st) if starred => {
                self.expr(&st.value)?;
                self.emit(Opcode::UNPACK_SEQUENCE, 1);
            }
            _ => self.expr(e)?,
        }
        self.emit(Opcode::RETURN_VALUE, 0);
        self.make_function(vec![1])
    }

    /// `codegen_typealias`: `type Name[params] = value` binds a `TypeAliasType` whose value
    /// is evaluated when first asked.
    fn type_alias(&mut self, a: &ast::StmtTypeAlias) -> CResult<()> {
        let name = match &*a.name {
            ast::Expr::Name(n) => n.id.to_string(),
            other => return err("invalid syntax", other.range()),
        };
        if let Some(tps) = &a.type_params {
            self.enter_type_params(a.range(), &name)?;
            self.set_pos(a.range());
            self.load_const(Const::Str(name.clone()));
            self.type_params(tps)?;
        } else {
            self.load_const(Const::Str(name.clone()));
            self.load_const(Const::None);
        }
        self.set_pos(a.range());
        self.load_const(Const::Tuple(vec![Const::Int("1".into())]));
        let scope = self.scopes.block(a.range(), crate::compiler::symtable::BlockKind::TypeAlias).expect("a type-alias block");
        let qualname = self.qualname_for(&name);
        self.enter_annotation_scope(scope, &name, qualname, a.range());
        self.expr(&a.value)?;
        self.emit(Opcode::RETURN_VALUE, 0);
        self.make_function(vec![1])?;
        self.set_pos(a.range());
        self.emit(Opcode::BUILD_TUPLE, 3);
        self.emit(Opcode::CALL_INTRINSIC_1, crate::interp::INTRINSIC_TYPEALIAS);
        if a.type_params.is_some() {
            self.emit(Opcode::RETURN_VALUE, 0);
            self.make_function(Vec::new())?;
            self.emit(Opcode::PUSH_NULL, 0);
            self.emit(Opcode::CALL, 0);
        }
        self.name_op(&name, ast::ExprContext::Store);
        Ok(())
    }

    fn set_args(&mut self, p: &ast::Parameters) {
        let u = self.u();
        u.posonlyargcount = p.posonlyargs.len() as u32;
        u.argcount = (p.posonlyargs.len() + p.args.len()) as u32;
        u.kwonlyargcount = p.kwonlyargs.len() as u32;
        if p.vararg.is_some() {
            u.flags |= code::CO_VARARGS;
        }
        if p.kwarg.is_some() {
            u.flags |= code::CO_VARKEYWORDS;
        }
    }

    /// Finishes the current unit and emits MAKE_FUNCTION (+ closure and attributes) in the
    /// parent. Stack before: the attribute values in `flags` order; after: the function.
    fn make_function(&mut self, flags: Vec<u32>) -> CResult<()> {
        let unit = self.units.pop().unwrap();
        let freevars = unit.freevars.clone();
        let code_obj = self.assemble(unit)?;
        self.done.push(code_obj);
        let idx = self.done.len() - 1;
        let mut all_flags = flags;
        if !freevars.is_empty() {
            // The closure: the parent's cells (or free variables) of the same names.
            for name in &freevars {
                let (i, _) = self.localplus_index(name).expect("closure variable in the enclosing scope");
                // LOAD_FAST of a cell slot pushes the cell itself (MAKE_CELL already ran).
                self.emit(Opcode::LOAD_FAST, i);
            }
            self.emit(Opcode::BUILD_TUPLE, freevars.len() as u32);
            all_flags.push(8);
        }
        self.load_const(Const::Code(idx));
        self.emit(Opcode::MAKE_FUNCTION, 0);
        for f in all_flags.into_iter().rev() {
            self.emit(Opcode::SET_FUNCTION_ATTRIBUTE, f);
        }
        Ok(())
    }

    fn lambda(&mut self, l: &ast::ExprLambda) -> CResult<()> {
        let flags = match &l.parameters {
            Some(p) => self.defaults(p)?,
            None => Vec::new(),
        };
        let scope = self.scopes.child(self.cur_scope(), l.range());
        let qualname = self.qualname_for("<lambda>");
        self.enter(scope, "<lambda>", qualname, l.range());
        if let Some(p) = &l.parameters {
            self.set_args(p);
        }
        self.expr(&l.body)?;
        self.emit(Opcode::RETURN_VALUE, 0);
        self.make_function(flags)
    }

    /// List/dict comprehensions as nested functions called with the first iterator
    /// (CPython 3.11's model; PEP 709 inlining is a later optimisation).
    fn comprehension(&mut self, range: TextRange, name: &str, generators: &[ast::Comprehension], kind: CompKind<'_>) -> CResult<()> {
        let first = generators.first().expect("a comprehension has a generator");
        self.expr(&first.iter)?;
        self.emit(if first.is_async { Opcode::GET_AITER } else { Opcode::GET_ITER }, 0);
        let scope = self.scopes.child(self.cur_scope(), range);
        let is_async = self.scopes.scopes[scope].is_coroutine;
        let qualname = self.qualname_for(name);
        if matches!(kind, CompKind::Gen(_)) {
            self.scopes.scopes[scope].is_generator = true;
        }
        self.enter(scope, name, qualname, range);
        self.u().argcount = 1;
        let depth = match kind {
            CompKind::List(_) => {
                self.emit(Opcode::BUILD_LIST, 0);
                2
            }
            CompKind::Dict(..) => {
                self.emit(Opcode::BUILD_MAP, 0);
                2
            }
            CompKind::Set(_) => {
                self.emit(Opcode::BUILD_SET, 0);
                2
            }
            CompKind::Gen(_) => 1,
        };
        self.emit(Opcode::LOAD_FAST, 0);
        self.comp_generator(generators, 0, kind, depth)?;
        if matches!(kind, CompKind::Gen(_)) {
            self.load_const(Const::None);
        }
        self.emit(Opcode::RETURN_VALUE, 0);
        self.make_function(Vec::new())?;
        // Stack: iterator, function -> call function(iterator).
        self.emit(Opcode::SWAP, 2);
        self.emit(Opcode::PUSH_NULL, 0);
        self.emit(Opcode::SWAP, 2);
        self.emit(Opcode::CALL, 1);
        if is_async && !matches!(kind, CompKind::Gen(_)) {
            // An async list/set/dict comprehension is a coroutine: await it.
            self.await_(0);
        }
        Ok(())
    }

    /// One `for ... if ...` level; `depth` is the result's distance from the top inside the
    /// innermost loop body (the result sits below one iterator per level).
    fn comp_generator(&mut self, generators: &[ast::Comprehension], i: usize, kind: CompKind<'_>, depth: u32) -> CResult<()> {
        let g = &generators[i];
        if i > 0 {
            self.expr(&g.iter)?;
            self.emit(if g.is_async { Opcode::GET_AITER } else { Opcode::GET_ITER }, 0);
        }
        let top = self.new_label();
        let next = self.new_label();
        let end = self.new_label();
        let handler = self.new_label();
        self.mark(top);
        if g.is_async {
            self.setup(handler, false);
            self.emit(Opcode::GET_ANEXT, 0);
            self.await_next();
            self.pop_handler();
        } else {
            self.emit_jump(Opcode::FOR_ITER, end);
        }
        self.store(&g.target)?;
        // Conditional jumps only go forward: a failed `if` goes to the loop's back edge.
        for cond in &g.ifs {
            self.test(cond, false, next)?;
        }
        if i + 1 < generators.len() {
            self.comp_generator(generators, i + 1, kind, depth + 1)?;
        } else {
            match kind {
                CompKind::List(elt) => {
                    self.expr(elt)?;
                    self.emit(Opcode::LIST_APPEND, depth);
                }
                CompKind::Dict(k, v) => {
                    self.expr(k)?;
                    self.expr(v)?;
                    self.emit(Opcode::MAP_ADD, depth);
                }
                CompKind::Set(elt) => {
                    self.expr(elt)?;
                    self.emit(Opcode::SET_ADD, depth);
                }
                CompKind::Gen(elt) => {
                    self.expr(elt)?;
                    self.yield_value();
                    self.emit(Opcode::POP_TOP, 0);
                }
            }
        }
        self.mark(next);
        self.emit_jump(Opcode::JUMP_BACKWARD, top);
        if g.is_async {
            self.mark(handler);
            self.emit(Opcode::END_ASYNC_FOR, 0);
        }
        self.mark(end);
        Ok(())
    }

    // ---- expressions ------------------------------------------------------------------------

    fn expr(&mut self, e: &ast::Expr) -> CResult<()> {
        let saved = self.u().pos;
        self.set_pos(e.range());
        self.expr_inner(e)?;
        self.u().pos = saved;
        Ok(())
    }

    fn expr_inner(&mut self, e: &ast::Expr) -> CResult<()> {
        match e {
            ast::Expr::NumberLiteral(n) => match &n.value {
                ast::Number::Int(i) => {
                    let text = i.to_string();
                    if i.as_u64().is_none() {
                        // Checked here for the digit limit's SyntaxError.
                        literal::big_int_value(&text, &self.filename, self.source, n.range)
                            .map_err(|e| CompileError { msg: String::new(), range: n.range, raised: Some(e) })?;
                    }
                    self.load_const(Const::Int(text))
                }
                ast::Number::Float(f) => self.load_const(Const::Float(f.to_bits())),
                ast::Number::Complex { real, imag } => self.load_const(Const::Complex(real.to_bits(), imag.to_bits())),
            },
            ast::Expr::StringLiteral(s) => self.load_const(str_const(literal::string_value(self.source, &s.value))),
            ast::Expr::BytesLiteral(b) => {
                let v: Vec<u8> = b.value.as_slice().iter().flat_map(|p| p.value.iter().copied()).collect();
                self.load_const(Const::Bytes(v));
            }
            ast::Expr::BooleanLiteral(b) => self.load_const(Const::Bool(b.value)),
            ast::Expr::NoneLiteral(_) => self.load_const(Const::None),
            ast::Expr::EllipsisLiteral(_) => {
                let i = self.name_index("Ellipsis");
                self.emit(Opcode::LOAD_GLOBAL, i << 1);
            }
            // As CPython's AST optimizer: `__debug__` is a constant.
            ast::Expr::Name(n) if n.id.as_str() == "__debug__" => self.load_const(Const::Bool(self.optimize == 0)),
            ast::Expr::Name(n) => self.name_op(&n.id, ast::ExprContext::Load),
            ast::Expr::Attribute(a) => {
                self.expr(&a.value)?;
                let i = self.attr_index(&a.attr.id);
                self.emit(Opcode::LOAD_ATTR, i << 1);
            }
            ast::Expr::Subscript(s) => {
                self.expr(&s.value)?;
                self.expr(&s.slice)?;
                self.emit(Opcode::BINARY_SUBSCR, 0);
            }
            ast::Expr::Slice(s) => {
                for part in [&s.lower, &s.upper] {
                    match part {
                        Some(p) => self.expr(p)?,
                        None => self.load_const(Const::None),
                    }
                }
                match &s.step {
                    Some(st) => {
                        self.expr(st)?;
                        self.emit(Opcode::BUILD_SLICE, 3);
                    }
                    None => self.emit(Opcode::BUILD_SLICE, 2),
                }
            }
            ast::Expr::BinOp(b) => {
                self.expr(&b.left)?;
                self.expr(&b.right)?;
                self.set_pos(b.range());
                self.emit(Opcode::BINARY_OP, binop(b.op) as u32);
            }
            ast::Expr::UnaryOp(u) => {
                self.expr(&u.operand)?;
                match u.op {
                    ast::UnaryOp::Not => self.emit(Opcode::UNARY_NOT, 0),
                    ast::UnaryOp::USub => self.emit(Opcode::UNARY_NEGATIVE, 0),
                    ast::UnaryOp::Invert => self.emit(Opcode::UNARY_INVERT, 0),
                    ast::UnaryOp::UAdd => {
                        // CPython compiles unary plus as an intrinsic; Pyrite uses the number protocol.
                        self.emit(Opcode::CALL_INTRINSIC_1, crate::interp::INTRINSIC_UNARY_POSITIVE);
                    }
                }
            }
            ast::Expr::BoolOp(b) => {
                let end = self.new_label();
                let n = b.values.len();
                for (i, v) in b.values.iter().enumerate() {
                    self.expr(v)?;
                    if i + 1 < n {
                        self.emit(Opcode::COPY, 1);
                        self.emit(Opcode::TO_BOOL, 0);
                        self.emit_jump(if b.op == ast::BoolOp::And { Opcode::POP_JUMP_IF_FALSE } else { Opcode::POP_JUMP_IF_TRUE }, end);
                        self.emit(Opcode::POP_TOP, 0);
                    }
                }
                self.mark(end);
            }
            ast::Expr::Compare(c) => self.compare(c)?,
            ast::Expr::If(i) => {
                let orelse = self.new_label();
                let end = self.new_label();
                self.test(&i.test, false, orelse)?;
                self.expr(&i.body)?;
                self.emit_jump(Opcode::JUMP_FORWARD, end);
                self.mark(orelse);
                self.expr(&i.orelse)?;
                self.mark(end);
            }
            ast::Expr::Named(n) => {
                self.expr(&n.value)?;
                self.emit(Opcode::COPY, 1);
                self.store(&n.target)?;
            }
            ast::Expr::Tuple(t) => self.sequence(&t.elts, Opcode::BUILD_TUPLE)?,
            ast::Expr::List(l) => self.sequence(&l.elts, Opcode::BUILD_LIST)?,
            ast::Expr::Set(s) => self.sequence(&s.elts, Opcode::BUILD_SET)?,
            ast::Expr::Dict(d) => {
                let mut pending = 0;
                let mut built = false;
                for item in &d.items {
                    match &item.key {
                        Some(k) => {
                            self.expr(k)?;
                            self.expr(&item.value)?;
                            pending += 1;
                        }
                        None => {
                            if !built || pending > 0 {
                                self.emit(Opcode::BUILD_MAP, pending);
                                if built {
                                    self.emit(Opcode::DICT_UPDATE, 1);
                                }
                                built = true;
                                pending = 0;
                            }
                            self.expr(&item.value)?;
                            self.emit(Opcode::DICT_UPDATE, 1);
                        }
                    }
                }
                if !built || pending > 0 {
                    self.emit(Opcode::BUILD_MAP, pending);
                    if built {
                        self.emit(Opcode::DICT_UPDATE, 1);
                    }
                }
            }
            ast::Expr::Call(c) => self.call(c)?,
            ast::Expr::Lambda(l) => self.lambda(l)?,
            ast::Expr::ListComp(c) => self.comprehension(c.range(), "<listcomp>", &c.generators, CompKind::List(&c.elt))?,
            ast::Expr::SetComp(c) => self.comprehension(c.range(), "<setcomp>", &c.generators, CompKind::Set(&c.elt))?,
            ast::Expr::DictComp(c) => match &c.key {
                Some(k) => self.comprehension(c.range(), "<dictcomp>", &c.generators, CompKind::Dict(k, &c.value))?,
                None => return err("dict unpacking cannot be used in dict comprehension", c.range()),
            },
            ast::Expr::FString(f) => self.fstring(f)?,
            ast::Expr::TString(t) => self.tstring(t)?,
            ast::Expr::Starred(s) => return err("can't use starred expression here", s.range()),
            ast::Expr::Yield(y) => {
                match &y.value {
                    Some(v) => self.expr(v)?,
                    None => self.load_const(Const::None),
                }
                self.yield_value();
            }
            ast::Expr::Await(a) => {
                self.expr(&a.value)?;
                self.await_(0);
            }
            ast::Expr::YieldFrom(y) => {
                self.expr(&y.value)?;
                self.emit(Opcode::GET_YIELD_FROM_ITER, 0);
                self.load_const(Const::None);
                self.yield_from_loop();
            }
            ast::Expr::Generator(g) => self.comprehension(g.range(), "<genexpr>", &g.generators, CompKind::Gen(&g.elt))?,
            other => {
                return err(format!("this expression is not supported by Pyrite's compiler yet ({})", expr_kind(other)), other.range());
            }
        }
        Ok(())
    }

    fn sequence(&mut self, elts: &[ast::Expr], build: Opcode) -> CResult<()> {
        self.sequence_with(elts, build, 0, None)
    }

    /// `sequence`, where the first `pushed` items are already on the stack and the variable
    /// `extra` (if given) is loaded as the last item.
    fn sequence_with(&mut self, elts: &[ast::Expr], build: Opcode, pushed: u32, extra: Option<&str>) -> CResult<()> {
        if !elts.iter().any(|e| e.is_starred_expr()) {
            for e in elts {
                self.expr(e)?;
            }
            let mut n = pushed + elts.len() as u32;
            if let Some(x) = extra {
                self.name_op(x, ast::ExprContext::Load);
                n += 1;
            }
            self.emit(build, n);
            return Ok(());
        }
        // With star items: build a list, extend it, convert at the end.
        let mut pending = pushed;
        let mut built = false;
        for e in elts {
            if let ast::Expr::Starred(s) = e {
                if !built || pending > 0 {
                    self.emit(Opcode::BUILD_LIST, pending);
                    if built {
                        self.emit(Opcode::LIST_EXTEND, 1);
                    }
                    built = true;
                    pending = 0;
                }
                self.expr(&s.value)?;
                self.emit(Opcode::LIST_EXTEND, 1);
            } else {
                self.expr(e)?;
                pending += 1;
            }
        }
        if let Some(x) = extra {
            self.name_op(x, ast::ExprContext::Load);
            pending += 1;
        }
        if pending > 0 {
            self.emit(Opcode::BUILD_LIST, pending);
            self.emit(Opcode::LIST_EXTEND, 1);
        }
        if build == Opcode::BUILD_TUPLE {
            self.emit(Opcode::CALL_INTRINSIC_1, crate::interp::INTRINSIC_LIST_TO_TUPLE);
        } else if build == Opcode::BUILD_SET {
            // {*a, b}: the list built above becomes a set.
            self.emit(Opcode::BUILD_SET, 0);
            self.emit(Opcode::SWAP, 2);
            self.emit(Opcode::SET_UPDATE, 1);
        }
        Ok(())
    }

    /// CPython's `check_compare`: `is`/`is not` with a literal operand (a number, str or bytes
    /// literal, or a tuple display of constants) gets a SyntaxWarning.
    fn check_is_literal(&mut self, c: &ast::ExprCompare) {
        let mut left = &*c.left;
        for (op, right) in c.ops.iter().zip(c.comparators.iter()) {
            if matches!(op, ast::CmpOp::Is | ast::CmpOp::IsNot) {
                if let Some(kind) = literal_type_name(left).or_else(|| literal_type_name(right)) {
                    let (word, instead) = if matches!(op, ast::CmpOp::Is) { ("is", "==") } else { ("is not", "!=") };
                    let msg = format!("\"{word}\" with '{kind}' literal. Did you mean \"{instead}\"?");
                    self.warnings.push(crate::compiler::parse::CompileWarning { error_msg: msg.clone(), msg, range: c.range() });
                    return; // one warning per comparison, as CPython
                }
            }
            left = right;
        }
    }

    fn compare(&mut self, c: &ast::ExprCompare) -> CResult<()> {
        self.check_is_literal(c);
        self.expr(&c.left)?;
        let n = c.ops.len();
        let cleanup = self.new_label();
        let end = self.new_label();
        for (i, (op, right)) in c.ops.iter().zip(c.comparators.iter()).enumerate() {
            self.expr(right)?;
            if i + 1 < n {
                self.emit(Opcode::SWAP, 2);
                self.emit(Opcode::COPY, 2);
            }
            self.set_pos(c.range());
            self.compare_op(*op);
            if i + 1 < n {
                self.emit(Opcode::COPY, 1);
                self.emit(Opcode::TO_BOOL, 0);
                self.emit_jump(Opcode::POP_JUMP_IF_FALSE, cleanup);
                self.emit(Opcode::POP_TOP, 0);
            }
        }
        if n > 1 {
            self.emit_jump(Opcode::JUMP_FORWARD, end);
            self.mark(cleanup);
            // Stack: right operand, False -> False.
            self.emit(Opcode::SWAP, 2);
            self.emit(Opcode::POP_TOP, 0);
            self.mark(end);
        }
        Ok(())
    }

    fn compare_op(&mut self, op: ast::CmpOp) {
        use pyrite_abi::*;
        match op {
            ast::CmpOp::Eq => self.emit(Opcode::COMPARE_OP, (Py_EQ as u32) << 5),
            ast::CmpOp::NotEq => self.emit(Opcode::COMPARE_OP, (Py_NE as u32) << 5),
            ast::CmpOp::Lt => self.emit(Opcode::COMPARE_OP, (Py_LT as u32) << 5),
            ast::CmpOp::LtE => self.emit(Opcode::COMPARE_OP, (Py_LE as u32) << 5),
            ast::CmpOp::Gt => self.emit(Opcode::COMPARE_OP, (Py_GT as u32) << 5),
            ast::CmpOp::GtE => self.emit(Opcode::COMPARE_OP, (Py_GE as u32) << 5),
            ast::CmpOp::Is => self.emit(Opcode::IS_OP, 0),
            ast::CmpOp::IsNot => self.emit(Opcode::IS_OP, 1),
            ast::CmpOp::In => self.emit(Opcode::CONTAINS_OP, 0),
            ast::CmpOp::NotIn => self.emit(Opcode::CONTAINS_OP, 1),
        }
    }

    fn call(&mut self, c: &ast::ExprCall) -> CResult<()> {
        // Zero-argument `super()` in a method is `super(__class__, <first argument>)`.
        if let ast::Expr::Name(n) = &*c.func {
            let u = self.units.last().unwrap();
            if &*n.id == "super" && c.arguments.args.is_empty() && c.arguments.keywords.is_empty() && u.freevars.iter().any(|f| f == "__class__") && u.argcount > 0 {
                let first = u.varnames[0].clone();
                self.name_op("super", ast::ExprContext::Load);
                self.emit(Opcode::PUSH_NULL, 0);
                self.name_op("__class__", ast::ExprContext::Load);
                self.name_op(&first, ast::ExprContext::Load);
                self.set_pos(c.range());
                self.emit(Opcode::CALL, 2);
                return Ok(());
            }
        }
        // Method calls avoid creating a bound method.
        match &*c.func {
            ast::Expr::Attribute(a) if !c.arguments.args.iter().any(|e| e.is_starred_expr()) && !c.arguments.keywords.iter().any(|k| k.arg.is_none()) => {
                self.expr(&a.value)?;
                let i = self.attr_index(&a.attr.id);
                self.set_pos(c.range());
                self.emit(Opcode::LOAD_ATTR, (i << 1) | 1);
            }
            f => {
                self.expr(f)?;
                self.emit(Opcode::PUSH_NULL, 0);
            }
        }
        let args = &c.arguments.args;
        let kws = &c.arguments.keywords;
        if args.iter().any(|e| e.is_starred_expr()) || kws.iter().any(|k| k.arg.is_none()) {
            return self.call_ex(args, kws, 0, None, c.range());
        }
        for a in args.iter() {
            self.expr(a)?;
        }
        for k in kws.iter() {
            self.expr(&k.value)?;
        }
        self.set_pos(c.range());
        if kws.is_empty() {
            self.emit(Opcode::CALL, args.len() as u32);
        } else {
            let names: Vec<Const> = kws.iter().map(|k| Const::Str(k.arg.as_ref().unwrap().id.to_string())).collect();
            self.load_const(Const::Tuple(names));
            self.emit(Opcode::CALL_KW, (args.len() + kws.len()) as u32);
        }
        Ok(())
    }

    /// The generic call (`CALL_FUNCTION_EX`) once the callable and NULL are pushed: the
    /// positional tuple starts with the `pushed` values already on the stack, then `args`, then
    /// the variable `extra` if given; the keywords become a dict.
    fn call_ex(&mut self, args: &[ast::Expr], kws: &[ast::Keyword], pushed: u32, extra: Option<&str>, range: TextRange) -> CResult<()> {
        self.sequence_with(args, Opcode::BUILD_TUPLE, pushed, extra)?;
        if kws.is_empty() {
            self.emit(Opcode::PUSH_NULL, 0);
        } else {
            self.emit(Opcode::BUILD_MAP, 0);
            for k in kws.iter() {
                match &k.arg {
                    Some(name) => {
                        self.load_const(Const::Str(name.id.to_string()));
                        self.expr(&k.value)?;
                        self.emit(Opcode::BUILD_MAP, 1);
                        self.emit(Opcode::DICT_MERGE, 1);
                    }
                    None => {
                        self.expr(&k.value)?;
                        self.emit(Opcode::DICT_MERGE, 1);
                    }
                }
            }
        }
        self.set_pos(range);
        self.emit(Opcode::CALL_FUNCTION_EX, 0);
        Ok(())
    }

    fn fstring(&mut self, f: &ast::ExprFString) -> CResult<()> {
        let mut n = 0;
        for part in f.value.iter() {
            match part {
                ast::FStringPart::Literal(l) => {
                    if !l.value.is_empty() {
                        let mut t = LiteralText::new();
                        t.push_literal(self.source, literal::string_content(l), &l.value, false);
                        self.load_const(str_const(t.finish()));
                        n += 1;
                    }
                }
                ast::FStringPart::FString(fs) => {
                    for el in fs.elements.iter() {
                        n += self.fstring_element(el)?;
                    }
                }
            }
        }
        match n {
            0 => self.load_const(Const::Str(String::new())),
            1 => {}
            _ => self.emit(Opcode::BUILD_STRING, n),
        }
        Ok(())
    }

    /// A t-string (PEP 750): (strings tuple, interpolations tuple) -> BUILD_TEMPLATE. The
    /// strings are constants: `{x=}` adds its text to the string before it.
    fn tstring(&mut self, t: &ast::ExprTString) -> CResult<()> {
        let mut strings: Vec<Const> = Vec::new();
        let mut cur = LiteralText::new();
        let mut interpolations: Vec<&ast::InterpolatedElement> = Vec::new();
        for part in t.value.iter() {
            for el in part.elements.iter() {
                match el {
                    ast::InterpolatedStringElement::Literal(l) => cur.push_literal(self.source, l.range, &l.value, true),
                    ast::InterpolatedStringElement::Interpolation(i) => {
                        if let Some(d) = &i.debug_text {
                            cur.push_str(&format!("{}{}{}", d.leading(), &self.source[i.expression.range()], d.trailing()));
                        }
                        strings.push(str_const(core::mem::take(&mut cur).finish()));
                        interpolations.push(i);
                    }
                }
            }
        }
        strings.push(str_const(cur.finish()));
        self.load_const(Const::Tuple(strings));
        for i in &interpolations {
            self.expr(&i.expression)?;
            let text = match &i.debug_text {
                Some(_) => self.source[i.expression.range()].to_string(),
                None => self.interpolation_text(i),
            };
            self.load_const(Const::Str(text));
            let conversion = match i.conversion {
                ast::ConversionFlag::Str => 1,
                ast::ConversionFlag::Repr => 2,
                ast::ConversionFlag::Ascii => 3,
                ast::ConversionFlag::None if i.debug_text.is_some() && i.format_spec.is_none() => 2,
                ast::ConversionFlag::None => 0,
            };
            let mut has_spec = 0;
            if let Some(spec) = &i.format_spec {
                let mut m = 0;
                for el in spec.elements.iter() {
                    m += self.fstring_element(el)?;
                }
                match m {
                    0 => self.load_const(Const::Str(String::new())),
                    1 => {}
                    _ => self.emit(Opcode::BUILD_STRING, m),
                }
                has_spec = 1;
            }
            self.emit(Opcode::BUILD_INTERPOLATION, (conversion << 2) | has_spec);
        }
        self.emit(Opcode::BUILD_TUPLE, interpolations.len() as u32);
        self.emit(Opcode::BUILD_TEMPLATE, 0);
        Ok(())
    }

    /// The source text of an interpolation's expression (between `{` and `!`, `:` or `}`).
    fn interpolation_text(&self, i: &ast::InterpolatedElement) -> String {
        // From just after `{` to the end of the expression, plus any whitespace before the
        // conversion, spec or closing brace.
        let start = usize::from(i.range.start()) + 1;
        let expr_end = usize::from(i.expression.range().end());
        let rest = &self.source[expr_end..usize::from(i.range.end())];
        let ws = rest.len() - rest.trim_start().len();
        self.source[start..expr_end + ws].to_string()
    }

    /// Emits one f-string element; returns how many strings it pushed.
    fn fstring_element(&mut self, el: &ast::InterpolatedStringElement) -> CResult<u32> {
        match el {
            ast::InterpolatedStringElement::Literal(l) => {
                let mut t = LiteralText::new();
                t.push_literal(self.source, l.range, &l.value, true);
                self.load_const(str_const(t.finish()));
                Ok(1)
            }
            ast::InterpolatedStringElement::Interpolation(i) => {
                let mut pushed = 0;
                if let Some(d) = &i.debug_text {
                    // `f"{x=}"`: the source text, then repr unless a conversion or spec is given.
                    let text = format!("{}{}{}", d.leading(), &self.source[i.expression.range()], d.trailing());
                    self.load_const(Const::Str(text));
                    pushed += 1;
                }
                self.expr(&i.expression)?;
                let conversion = match i.conversion {
                    ast::ConversionFlag::Str => 1,
                    ast::ConversionFlag::Repr => 2,
                    ast::ConversionFlag::Ascii => 3,
                    ast::ConversionFlag::None if i.debug_text.is_some() && i.format_spec.is_none() => 2,
                    ast::ConversionFlag::None => 0,
                };
                if conversion != 0 {
                    self.emit(Opcode::CONVERT_VALUE, conversion);
                }
                match &i.format_spec {
                    Some(spec) => {
                        let mut m = 0;
                        for el in spec.elements.iter() {
                            m += self.fstring_element(el)?;
                        }
                        match m {
                            0 => self.load_const(Const::Str(String::new())),
                            1 => {}
                            _ => self.emit(Opcode::BUILD_STRING, m),
                        }
                        self.emit(Opcode::FORMAT_WITH_SPEC, 0);
                    }
                    None => self.emit(Opcode::FORMAT_SIMPLE, 0),
                }
                Ok(pushed + 1)
            }
        }
    }

    // ---- assembly ---------------------------------------------------------------------------

    fn const_obj(&self, c: &Const) -> PyResult<PyRef> {
        Ok(match c {
            Const::None => none::none(),
            Const::Bool(b) => crate::objects::bool_::new(*b),
            Const::Int(s) => long::from_str_radix(s, 0).or_else(|_| long::from_str_radix(&s.replace('_', ""), 10))?,
            Const::Float(bits) => float::new(f64::from_bits(*bits)),
            Const::Complex(re, im) => crate::objects::complex::from_doubles(f64::from_bits(*re), f64::from_bits(*im)),
            // Identifier-like constants (keyword names, getattr strings) are interned too.
            Const::Str(s) if !s.is_empty() && s.len() <= 40 && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') => unicode::intern(s),
            Const::Str(s) => unicode::new(s),
            Const::StrCodePoints(c) => unicode::from_code_points(c),
            Const::Bytes(b) => bytes::new(b),
            Const::Code(i) => self.done[*i].clone(),
            Const::Tuple(items) => {
                let v: PyResult<Vec<PyRef>> = items.iter().map(|c| self.const_obj(c)).collect();
                tuple::new_from_owned(v?)
            }
        })
    }

    fn assemble(&self, unit: Unit) -> CResult<PyRef> {
        // (Superinstructions are formed first: see `superinstructions`.)
        let encode = crate::bytecode::unit;
        let to_err = |e: crate::err::PyErr| CompileError { msg: format!("{e:?}"), range: TextRange::default(), raised: None };
        let combined = superinstructions(&drop_jumps_to_next(&unit.instrs));
        let instrs = &combined;
        // Label -> index into instrs.
        let mut label_at = vec![usize::MAX; unit.nlabels];
        for (i, ins) in instrs.iter().enumerate() {
            if let Item::Mark(l) = ins.item {
                label_at[l] = i;
            }
        }
        // Flow analysis: stack depth and handler stack at each instruction.
        let n = instrs.len();
        let mut depth: Vec<Option<i64>> = vec![None; n + 1];
        let mut handlers: Vec<Option<Vec<(Label, bool, i64)>>> = vec![None; n + 1];
        let mut work: Vec<(usize, i64, Vec<(Label, bool, i64)>)> = vec![(0, 0, Vec::new())];
        let mut max_depth = 0i64;
        while let Some((mut i, mut d, mut hs)) = work.pop() {
            while i < n {
                if depth[i].is_some() {
                    break;
                }
                depth[i] = Some(d);
                handlers[i] = Some(hs.clone());
                max_depth = max_depth.max(d);
                match instrs[i].item {
                    Item::Mark(_) => {}
                    Item::SetupHandler(l, lasti, below) => {
                        // The handler starts with the stack cut to this depth plus the exception.
                        let hd = d - below as i64;
                        work.push((label_at[l], hd + 1 + lasti as i64, hs.clone()));
                        hs.push((l, lasti, hd));
                    }
                    Item::PopHandler => {
                        hs.pop();
                    }
                    Item::Op(op, arg) => {
                        let a = match arg {
                            Arg::Int(a) => a,
                            Arg::Label(_) => 0,
                        };
                        let (pop, push) = op.stack_effect(a);
                        if let Arg::Label(l) = arg {
                            let (jp, jpush) = op.jump_stack_effect(a);
                            work.push((label_at[l], d - jp as i64 + jpush as i64, hs.clone()));
                        }
                        d = d - pop as i64 + push as i64;
                        max_depth = max_depth.max(d);
                        if crate::bytecode::instructions::is_terminator(op) {
                            break;
                        }
                    }
                }
                i += 1;
            }
        }
        // Lay out code units; jump sizes can need EXTENDED_ARG, so iterate until stable.
        let mut ext = vec![0usize; n];
        loop {
            let mut offsets = vec![0usize; n + 1];
            let mut off = 0;
            for (i, ins) in instrs.iter().enumerate() {
                offsets[i] = off;
                if let Item::Op(op, _) = ins.item {
                    off += ext[i] + instruction_len(op);
                }
            }
            offsets[n] = off;
            let mut changed = false;
            let mut code: Vec<CodeUnit> = Vec::with_capacity(off);
            let mut positions = Vec::with_capacity(off);
            for (i, ins) in instrs.iter().enumerate() {
                let Item::Op(op, arg) = ins.item else { continue };
                let a: u32 = match arg {
                    Arg::Int(a) => a,
                    Arg::Label(l) => {
                        let target = offsets[label_at[l]];
                        let next = offsets[i] + ext[i] + instruction_len(op);
                        match crate::bytecode::instructions::jump_direction(op) {
                            Some(true) => target.checked_sub(next).expect("forward jump to an earlier instruction") as u32,
                            _ => next.checked_sub(target).expect("backward jump to a later instruction") as u32,
                        }
                    }
                };
                let need = if a > 0xFF_FFFF { 3 } else if a > 0xFFFF { 2 } else if a > 0xFF { 1 } else { 0 };
                if need > ext[i] {
                    ext[i] = need;
                    changed = true;
                }
                for k in (1..=ext[i]).rev() {
                    code.push(encode(Opcode::EXTENDED_ARG, (a >> (8 * k)) as u8));
                    positions.push(ins.pos);
                }
                code.push(encode(op, a as u8));
                positions.push(ins.pos);
                for _ in 0..op.cache_entries() {
                    code.push(encode(Opcode::CACHE, 0));
                    positions.push(ins.pos);
                }
            }
            if changed {
                continue;
            }
            // The exception table: runs of instructions with the same innermost handler.
            let mut table: Vec<ExceptionEntry> = Vec::new();
            for (i, ins) in instrs.iter().enumerate() {
                let Item::Op(..) = ins.item else { continue };
                let Some(Some(&(l, lasti, d))) = handlers[i].as_ref().map(|h| h.last()) else { continue };
                let start = offsets[i] as u32;
                let end = {
                    // The instruction's own extent.
                    let Item::Op(op, _) = ins.item else { unreachable!() };
                    start + (ext[i] + instruction_len(op)) as u32
                };
                let target = offsets[label_at[l]] as u32;
                match table.last_mut() {
                    Some(last) if last.end == start && last.target == target && last.depth == d as u32 && last.lasti == lasti => last.end = end,
                    _ => table.push(ExceptionEntry { start, end, target, depth: d as u32, lasti }),
                }
            }
            let consts: PyResult<Vec<PyRef>> = unit.consts.iter().map(|c| self.const_obj(c)).collect();
            // Names are interned, as CPython interns them: attribute and global lookups then
            // find dict keys by identity (the specialized instructions' hints rely on it).
            let strs = |v: &[String]| tuple::new_from_owned(v.iter().map(|s| unicode::intern(s)).collect());
            let mut localsplus: Vec<String> = unit.varnames.clone();
            localsplus.extend(unit.cellvars.iter().cloned());
            localsplus.extend(unit.freevars.iter().cloned());
            let mut kinds = vec![code::CO_FAST_LOCAL; unit.varnames.len()];
            kinds.extend(std::iter::repeat_n(code::CO_FAST_CELL, unit.cellvars.len()));
            kinds.extend(std::iter::repeat_n(code::CO_FAST_FREE, unit.freevars.len()));
            let mut flags = unit.flags;
            if self.scopes.scopes[unit.scope].kind.is_some_and(|k| k != ScopeKind::Module) && self.units.len() > 1 {
                flags |= code::CO_NESTED;
            }
            let data = CodeData {
                code,
                consts: tuple::new_from_owned(consts.map_err(to_err)?),
                names: strs(&unit.names),
                localsplusnames: strs(&localsplus),
                localspluskinds: kinds,
                argcount: unit.argcount,
                posonlyargcount: unit.posonlyargcount,
                kwonlyargcount: unit.kwonlyargcount,
                flags,
                stacksize: max_depth.max(0) as u32 + 2,
                name: unicode::new(&unit.name),
                qualname: unicode::new(&unit.qualname),
                filename: unicode::new(&self.filename),
                firstlineno: unit.firstlineno,
                positions,
                exception_table: table,
            };
            return Ok(code::new(data));
        }
    }

    /// Compiles a module body.
    pub fn module(&mut self, m: &ast::ModModule) -> CResult<PyRef> {
        self.enter(0, "<module>", "<module>".into(), TextRange::default());
        let insert_at = self.u().instrs.len();
        let info = &self.scopes.scopes[0];
        if self.scopes.future_annotations() {
            if info.annotations_used {
                self.emit(Opcode::SETUP_ANNOTATIONS, 0);
            }
        } else if info.has_conditional_annotations {
            self.emit(Opcode::BUILD_SET, 0);
            let ni = self.name_index("__conditional_annotations__");
            self.emit(Opcode::STORE_NAME, ni);
        }
        if let Some(doc) = self.docstring(&m.body)? {
            self.load_const(doc);
            self.name_op("__doc__", ast::ExprContext::Store);
        }
        self.body(&m.body)?;
        // The module's `__annotate__` is defined before its body runs.
        let end = self.u().instrs.len();
        if self.body_annotations(m.range, "__annotate__".into())? {
            self.name_op("__annotate__", ast::ExprContext::Store);
            let made: Vec<Instr> = self.u().instrs.drain(end..).collect();
            self.u().instrs.splice(insert_at..insert_at, made);
        }
        self.load_const(Const::None);
        self.emit(Opcode::RETURN_VALUE, 0);
        let unit = self.units.pop().unwrap();
        self.assemble(unit)
    }

    /// Compiles an expression whose value the code returns (`eval`).
    pub fn expression(&mut self, e: &ast::Expr) -> CResult<PyRef> {
        self.enter(0, "<module>", "<module>".into(), TextRange::default());
        self.expr(e)?;
        self.emit(Opcode::RETURN_VALUE, 0);
        let unit = self.units.pop().unwrap();
        self.assemble(unit)
    }
}

/// The state of a pattern being compiled (CPython's `pattern_context`).
struct PatternCtx {
    /// Names captured so far, in the order their values sit on the stack (first on top).
    stores: Vec<String>,
    /// Whether an irrefutable pattern is allowed here.
    allow_irrefutable: bool,
    /// `fail_pop[n]`: the label that pops `n` items and goes to the next case.
    fail_pop: Vec<Label>,
    /// Items the pattern keeps on top of the stack (popped on failure; captures go beneath).
    on_top: usize,
}

/// `_` (a capture pattern without a name).
/// The values of `t1, ..., tn = v1, ..., vn` with one target and 1 <= n <= 3, no starred
/// element on either side: such an assignment compiles to SWAP instead of a tuple.
fn swap_assignment(a: &ast::StmtAssign) -> Option<&[ast::Expr]> {
    let [target] = &a.targets[..] else { return None };
    let (ast::Expr::Tuple(ast::ExprTuple { elts: targets, .. }) | ast::Expr::List(ast::ExprList { elts: targets, .. })) = target else {
        return None;
    };
    let ast::Expr::Tuple(ast::ExprTuple { elts: values, .. }) = &*a.value else { return None };
    let starred = |e: &ast::Expr| matches!(e, ast::Expr::Starred(_));
    let fits = (1..=3).contains(&values.len()) && values.len() == targets.len();
    (fits && !values.iter().any(starred) && !targets.iter().any(starred)).then_some(&values[..])
}

/// The type name of a literal `is` should not be used with (see `check_is_literal`): what
/// CPython's AST holds as a constant other than None, True, False and Ellipsis.
fn literal_type_name(e: &ast::Expr) -> Option<&'static str> {
    let constant = |e: &ast::Expr| {
        matches!(
            e,
            ast::Expr::NumberLiteral(_) | ast::Expr::StringLiteral(_) | ast::Expr::BytesLiteral(_) | ast::Expr::BooleanLiteral(_) | ast::Expr::NoneLiteral(_) | ast::Expr::EllipsisLiteral(_)
        )
    };
    match e {
        ast::Expr::NumberLiteral(n) => Some(match n.value {
            ast::Number::Int(_) => "int",
            ast::Number::Float(_) => "float",
            ast::Number::Complex { .. } => "complex",
        }),
        ast::Expr::StringLiteral(_) => Some("str"),
        ast::Expr::BytesLiteral(_) => Some("bytes"),
        ast::Expr::Tuple(t) if t.elts.iter().all(constant) => Some("tuple"),
        _ => None,
    }
}

fn is_wildcard(p: &ast::Pattern) -> bool {
    matches!(p, ast::Pattern::MatchAs(a) if a.pattern.is_none() && a.name.is_none())
}

#[derive(Clone, Copy)]
enum CompKind<'a> {
    Gen(&'a ast::Expr),
    Set(&'a ast::Expr),
    List(&'a ast::Expr),
    Dict(&'a ast::Expr, &'a ast::Expr),
}

fn binop(op: ast::Operator) -> BinaryOp {
    match op {
        ast::Operator::Add => BinaryOp::Add,
        ast::Operator::Sub => BinaryOp::Sub,
        ast::Operator::Mult => BinaryOp::Mul,
        ast::Operator::MatMult => BinaryOp::MatMul,
        ast::Operator::Div => BinaryOp::TrueDiv,
        ast::Operator::FloorDiv => BinaryOp::FloorDiv,
        ast::Operator::Mod => BinaryOp::Mod,
        ast::Operator::Pow => BinaryOp::Pow,
        ast::Operator::LShift => BinaryOp::LShift,
        ast::Operator::RShift => BinaryOp::RShift,
        ast::Operator::BitAnd => BinaryOp::And,
        ast::Operator::BitOr => BinaryOp::Or,
        ast::Operator::BitXor => BinaryOp::Xor,
    }
}

/// A str constant.
fn str_const(v: StrValue) -> Const {
    match v {
        StrValue::Utf8(s) => Const::Str(s),
        StrValue::CodePoints(c) => Const::StrCodePoints(c),
    }
}

/// The docstring of a body: its first statement if it is a string literal. CPython 3.13+
/// cleans docstrings as UTF-8 text at compile time, so one holding a lone surrogate makes the
/// compilation raise `UnicodeEncodeError`.
fn docstring(body: &[ast::Stmt], source: &str) -> CResult<Option<Const>> {
    let Some(ast::Stmt::Expr(e)) = body.first() else { return Ok(None) };
    let ast::Expr::StringLiteral(s) = &*e.value else { return Ok(None) };
    match literal::string_value(source, &s.value) {
        StrValue::Utf8(s) => Ok(Some(Const::Str(s))),
        StrValue::CodePoints(c) => {
            let raised = unicode::as_str(&unicode::from_code_points(&c)).err();
            Err(CompileError { msg: String::new(), range: s.range, raised })
        }
    }
}

fn stmt_kind(s: &ast::Stmt) -> &'static str {
    match s {
        ast::Stmt::Match(_) => "match statements",
        ast::Stmt::TypeAlias(_) => "type aliases",
        _ => "statement",
    }
}

fn expr_kind(e: &ast::Expr) -> &'static str {
    match e {
        ast::Expr::Call(_) => "function call",
        ast::Expr::NumberLiteral(_) | ast::Expr::StringLiteral(_) | ast::Expr::BytesLiteral(_) | ast::Expr::BooleanLiteral(_) => "literal",
        ast::Expr::NoneLiteral(_) => "None",
        ast::Expr::Generator(_) => "generator expression",
        ast::Expr::Await(_) => "await expression",
        ast::Expr::Yield(_) | ast::Expr::YieldFrom(_) => "yield expression",
        ast::Expr::SetComp(_) => "set comprehension",
        ast::Expr::TString(_) => "t-string",
        ast::Expr::BinOp(_) => "expression",
        _ => "expression",
    }
}

/// Leaves out forward jumps to where execution goes anyway (an `if` without `else` at the end
/// of a block jumps over nothing): only labels lie between such a jump and its target.
fn drop_jumps_to_next(instrs: &[Instr]) -> Vec<Instr> {
    let mut out = Vec::with_capacity(instrs.len());
    for (i, ins) in instrs.iter().enumerate() {
        if let Item::Op(Opcode::JUMP_FORWARD, Arg::Label(target)) = ins.item {
            let lands_next = instrs[i + 1..].iter().take_while(|n| matches!(n.item, Item::Mark(_))).any(|n| matches!(n.item, Item::Mark(l) if l == target));
            if lands_next {
                continue;
            }
        }
        out.push(*ins);
    }
    out
}

/// Fuses adjacent local loads and stores on one line into superinstructions
/// (`LOAD_FAST_LOAD_FAST`, `STORE_FAST_LOAD_FAST`, `STORE_FAST_STORE_FAST`, both indices below
/// 16 packed in the oparg), as CPython's flowgraph does: one dispatch instead of two. Nothing
/// can jump between the two (no label, no handler change), so behaviour is unchanged.
fn superinstructions(instrs: &[Instr]) -> Vec<Instr> {
    let mut out: Vec<Instr> = Vec::with_capacity(instrs.len());
    for ins in instrs {
        if let (Some(prev), Item::Op(op2, Arg::Int(b))) = (out.last_mut(), ins.item) {
            if let Item::Op(op1, Arg::Int(a)) = prev.item {
                let fused = match (op1, op2) {
                    (Opcode::LOAD_FAST, Opcode::LOAD_FAST) => Some(Opcode::LOAD_FAST_LOAD_FAST),
                    (Opcode::STORE_FAST, Opcode::LOAD_FAST) => Some(Opcode::STORE_FAST_LOAD_FAST),
                    (Opcode::STORE_FAST, Opcode::STORE_FAST) => Some(Opcode::STORE_FAST_STORE_FAST),
                    _ => None,
                };
                if let Some(f) = fused.filter(|_| a < 16 && b < 16 && prev.pos.line == ins.pos.line) {
                    prev.item = Item::Op(f, Arg::Int(a << 4 | b));
                    continue;
                }
            }
        }
        out.push(*ins);
    }
    out
}
