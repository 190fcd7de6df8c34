//! The scope information the code generator consumes: for each function-like scope, its
//! parameters, locals, cells and free variables, and how each name resolves.
//!
//! Interim: a compact analysis over the AST used until `symtable` (CPython's full rules,
//! written separately) replaces it; the code generator only sees `ScopeInfo`.

use std::collections::{BTreeSet, HashMap};

use ruff_python_ast as ast;
use ruff_python_ast::visitor::{self, Visitor};
use ruff_text_size::{Ranged, TextSize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ScopeKind {
    Module,
    Function,
    Class,
    Comprehension,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NameScope {
    Local,
    GlobalExplicit,
    GlobalImplicit,
    Free,
    Cell,
}

#[derive(Debug, Default)]
pub struct ScopeInfo {
    pub kind: Option<ScopeKind>,
    /// Parameters first (in order), then other locals in order of first binding.
    pub varnames: Vec<String>,
    pub cellvars: Vec<String>,
    pub freevars: Vec<String>,
    pub globals: BTreeSet<String>,
    pub nonlocals: BTreeSet<String>,
    assigned: BTreeSet<String>,
    used: BTreeSet<String>,
    pub is_generator: bool,
    /// A class whose methods use `super()` or `__class__`: it owns the `__class__` cell.
    pub needs_class_cell: bool,
    /// Child scopes by the start offset of their defining node.
    pub children: HashMap<TextSize, usize>,
}

/// All scopes of a module; index 0 is the module.
#[derive(Debug, Default)]
pub struct Scopes {
    pub scopes: Vec<ScopeInfo>,
    parents: Vec<Option<usize>>,
}

impl Scopes {
    pub fn build(module: &ast::ModModule) -> Scopes {
        let mut b = Builder { s: Scopes::default(), stack: Vec::new() };
        b.push(ScopeKind::Module, TextSize::default(), &[]);
        for st in &module.body {
            b.visit_stmt(st);
        }
        b.stack.pop();
        b.s.resolve();
        b.s
    }

    pub fn build_expr(expr: &ast::Expr) -> Scopes {
        let mut b = Builder { s: Scopes::default(), stack: Vec::new() };
        b.push(ScopeKind::Module, TextSize::default(), &[]);
        b.visit_expr(expr);
        b.stack.pop();
        b.s.resolve();
        b.s
    }

    pub fn child(&self, parent: usize, start: TextSize) -> usize {
        *self.scopes[parent].children.get(&start).expect("a scope for every scope-defining node")
    }

    /// How `name` resolves in scope `i`.
    pub fn lookup(&self, i: usize, name: &str) -> NameScope {
        let s = &self.scopes[i];
        if s.globals.contains(name) {
            return NameScope::GlobalExplicit;
        }
        if s.cellvars.iter().any(|c| c == name) {
            return NameScope::Cell;
        }
        if s.freevars.iter().any(|c| c == name) {
            return NameScope::Free;
        }
        match s.kind {
            Some(ScopeKind::Module) => NameScope::GlobalImplicit,
            Some(ScopeKind::Class) => {
                if s.assigned.contains(name) { NameScope::Local } else { NameScope::GlobalImplicit }
            }
            _ => {
                if s.assigned.contains(name) { NameScope::Local } else { NameScope::GlobalImplicit }
            }
        }
    }

    /// Computes cells and free variables: a name used in a function but bound in an enclosing
    /// function (not a class) is free here and a cell there.
    fn resolve(&mut self) {
        for i in 0..self.scopes.len() {
            let names: Vec<String> = self.scopes[i].used.iter().cloned().chain(self.scopes[i].nonlocals.iter().cloned()).collect();
            for name in names {
                let s = &self.scopes[i];
                if matches!(s.kind, Some(ScopeKind::Module)) || s.globals.contains(&name) {
                    continue;
                }
                if s.assigned.contains(&name) && !s.nonlocals.contains(&name) {
                    continue;
                }
                // Find the nearest enclosing function scope that binds it.
                let mut p = self.parents[i];
                let mut path = vec![i];
                let mut found = None;
                while let Some(j) = p {
                    let sj = &self.scopes[j];
                    if matches!(sj.kind, Some(ScopeKind::Module)) {
                        break;
                    }
                    if sj.globals.contains(&name) {
                        break;
                    }
                    let owns = if matches!(sj.kind, Some(ScopeKind::Class)) {
                        name == "__class__" && sj.needs_class_cell
                    } else {
                        sj.assigned.contains(&name) && !sj.nonlocals.contains(&name)
                    };
                    if owns {
                        found = Some(j);
                        break;
                    }
                    path.push(j);
                    p = self.parents[j];
                }
                if let Some(owner) = found {
                    if !self.scopes[owner].cellvars.contains(&name) {
                        self.scopes[owner].cellvars.push(name.clone());
                    }
                    for &k in &path {
                        let sk = &mut self.scopes[k];
                        if !sk.freevars.contains(&name) {
                            sk.freevars.push(name.clone());
                        }
                        sk.varnames.retain(|v| v != &name);
                    }
                }
            }
        }
        for s in &mut self.scopes {
            s.cellvars.sort();
            s.freevars.sort();
        }
    }
}

struct Builder {
    s: Scopes,
    stack: Vec<usize>,
}

impl Builder {
    fn cur(&mut self) -> &mut ScopeInfo {
        let i = *self.stack.last().unwrap();
        &mut self.s.scopes[i]
    }

    fn push(&mut self, kind: ScopeKind, start: TextSize, params: &[String]) {
        let idx = self.s.scopes.len();
        if let Some(&parent) = self.stack.last() {
            self.s.scopes[parent].children.insert(start, idx);
        }
        self.s.parents.push(self.stack.last().copied());
        let mut info = ScopeInfo { kind: Some(kind), ..Default::default() };
        for p in params {
            info.varnames.push(p.clone());
            info.assigned.insert(p.clone());
        }
        self.s.scopes.push(info);
        self.stack.push(idx);
    }

    fn bind(&mut self, name: &str) {
        let s = self.cur();
        if s.globals.contains(name) {
            return;
        }
        if s.assigned.insert(name.to_string()) && !s.nonlocals.contains(name) && !matches!(s.kind, Some(ScopeKind::Module | ScopeKind::Class)) {
            s.varnames.push(name.to_string());
        }
    }

    fn use_name(&mut self, name: &str) {
        self.cur().used.insert(name.to_string());
    }

    fn params(p: &ast::Parameters) -> Vec<String> {
        let mut v: Vec<String> = p.posonlyargs.iter().chain(p.args.iter()).map(|a| a.name().id.to_string()).collect();
        v.extend(p.kwonlyargs.iter().map(|a| a.name().id.to_string()));
        if let Some(a) = &p.vararg {
            v.insert(p.posonlyargs.len() + p.args.len() + p.kwonlyargs.len(), a.name.id.to_string());
        }
        if let Some(a) = &p.kwarg {
            v.push(a.name.id.to_string());
        }
        // CPython orders: positional, keyword-only, *args, **kwargs.
        let npos = p.posonlyargs.len() + p.args.len();
        let nkw = p.kwonlyargs.len();
        let mut ordered: Vec<String> = v[..npos].to_vec();
        let rest: Vec<String> = v[npos..].to_vec();
        let (kwonly, extra): (Vec<String>, Vec<String>) = {
            let kwnames: Vec<String> = p.kwonlyargs.iter().map(|a| a.name().id.to_string()).collect();
            (rest.iter().filter(|n| kwnames.contains(n)).cloned().collect(), rest.iter().filter(|n| !kwnames.contains(n)).cloned().collect())
        };
        let _ = nkw;
        ordered.extend(kwonly);
        if let Some(a) = &p.vararg {
            ordered.push(a.name.id.to_string());
        }
        if let Some(a) = &p.kwarg {
            ordered.push(a.name.id.to_string());
        }
        let _ = extra;
        ordered
    }

    fn visit_defaults(&mut self, p: &ast::Parameters) {
        for a in p.posonlyargs.iter().chain(p.args.iter()).chain(p.kwonlyargs.iter()) {
            if let Some(d) = &a.default {
                self.visit_expr(d);
            }
        }
    }

    fn comprehension(&mut self, start: TextSize, generators: &[ast::Comprehension], elts: &[&ast::Expr]) {
        // The first iterable is evaluated in the enclosing scope.
        if let Some(first) = generators.first() {
            self.visit_expr(&first.iter);
        }
        self.push(ScopeKind::Comprehension, start, &[".0".to_string()]);
        for (i, g) in generators.iter().enumerate() {
            if i > 0 {
                self.visit_expr(&g.iter);
            }
            self.target(&g.target);
            for c in &g.ifs {
                self.visit_expr(c);
            }
        }
        for e in elts {
            self.visit_expr(e);
        }
        self.stack.pop();
    }

    fn target(&mut self, t: &ast::Expr) {
        match t {
            ast::Expr::Name(n) => self.bind(&n.id),
            ast::Expr::Tuple(t) => t.elts.iter().for_each(|e| self.target(e)),
            ast::Expr::List(t) => t.elts.iter().for_each(|e| self.target(e)),
            ast::Expr::Starred(s) => self.target(&s.value),
            other => self.visit_expr(other),
        }
    }
}

impl<'a> Visitor<'a> for Builder {
    fn visit_stmt(&mut self, stmt: &'a ast::Stmt) {
        match stmt {
            ast::Stmt::FunctionDef(f) => {
                for d in &f.decorator_list {
                    self.visit_expr(&d.expression);
                }
                self.visit_defaults(&f.parameters);
                self.bind(&f.name.id);
                let params = Self::params(&f.parameters);
                let in_class = matches!(self.cur().kind, Some(ScopeKind::Class));
                self.push(ScopeKind::Function, f.range().start(), &params);
                for s in &f.body {
                    self.visit_stmt(s);
                }
                // `super()` and `__class__` in a method close over the class's `__class__` cell.
                let uses_class = { let c = self.cur(); c.used.contains("super") || c.used.contains("__class__") };
                self.stack.pop();
                if in_class && uses_class {
                    let fi = *self.s.scopes[*self.stack.last().unwrap()].children.get(&f.range().start()).unwrap();
                    self.s.scopes[fi].used.insert("__class__".into());
                    let c = self.cur();
                    c.needs_class_cell = true;
                    c.assigned.insert("__class__".into());
                }
            }
            ast::Stmt::ClassDef(c) => {
                for d in &c.decorator_list {
                    self.visit_expr(&d.expression);
                }
                if let Some(a) = &c.arguments {
                    for e in a.args.iter() {
                        self.visit_expr(e);
                    }
                    for k in a.keywords.iter() {
                        self.visit_expr(&k.value);
                    }
                }
                self.bind(&c.name.id);
                self.push(ScopeKind::Class, c.range().start(), &[]);
                for s in &c.body {
                    self.visit_stmt(s);
                }
                self.stack.pop();
            }
            ast::Stmt::Global(g) => {
                for n in &g.names {
                    self.cur().globals.insert(n.id.to_string());
                }
            }
            ast::Stmt::Nonlocal(g) => {
                for n in &g.names {
                    self.cur().nonlocals.insert(n.id.to_string());
                }
            }
            ast::Stmt::Import(i) => {
                for a in &i.names {
                    let n = a.asname.as_ref().map_or_else(|| a.name.id.split('.').next().unwrap().to_string(), |x| x.id.to_string());
                    self.bind(&n);
                }
            }
            ast::Stmt::ImportFrom(i) => {
                for a in &i.names {
                    let n = a.asname.as_ref().map_or_else(|| a.name.id.to_string(), |x| x.id.to_string());
                    if n != "*" {
                        self.bind(&n);
                    }
                }
            }
            ast::Stmt::Try(t) => {
                for h in &t.handlers {
                    let ast::ExceptHandler::ExceptHandler(h) = h;
                    if let Some(n) = &h.name {
                        self.bind(&n.id);
                    }
                }
                visitor::walk_stmt(self, stmt);
            }
            ast::Stmt::Assign(a) => {
                self.visit_expr(&a.value);
                for t in &a.targets {
                    self.target(t);
                }
            }
            ast::Stmt::AugAssign(a) => {
                self.visit_expr(&a.value);
                if let ast::Expr::Name(n) = &*a.target {
                    self.use_name(&n.id);
                }
                self.target(&a.target);
            }
            ast::Stmt::AnnAssign(a) => {
                if let Some(v) = &a.value {
                    self.visit_expr(v);
                }
                self.target(&a.target);
            }
            ast::Stmt::For(f) => {
                self.visit_expr(&f.iter);
                self.target(&f.target);
                for s in f.body.iter().chain(f.orelse.iter()) {
                    self.visit_stmt(s);
                }
            }
            ast::Stmt::With(w) => {
                for it in &w.items {
                    self.visit_expr(&it.context_expr);
                    if let Some(v) = &it.optional_vars {
                        self.target(v);
                    }
                }
                for s in &w.body {
                    self.visit_stmt(s);
                }
            }
            ast::Stmt::Delete(d) => {
                for t in &d.targets {
                    self.target(t);
                }
            }
            _ => visitor::walk_stmt(self, stmt),
        }
    }

    fn visit_expr(&mut self, expr: &'a ast::Expr) {
        match expr {
            ast::Expr::Name(n) => match n.ctx {
                ast::ExprContext::Load => self.use_name(&n.id),
                _ => self.bind(&n.id),
            },
            ast::Expr::Lambda(l) => {
                if let Some(p) = &l.parameters {
                    self.visit_defaults(p);
                }
                let params = l.parameters.as_ref().map(|p| Self::params(p)).unwrap_or_default();
                self.push(ScopeKind::Function, l.range().start(), &params);
                self.visit_expr(&l.body);
                self.stack.pop();
            }
            ast::Expr::ListComp(c) => self.comprehension(c.range().start(), &c.generators, &[&c.elt]),
            ast::Expr::SetComp(c) => self.comprehension(c.range().start(), &c.generators, &[&c.elt]),
            ast::Expr::Generator(c) => self.comprehension(c.range().start(), &c.generators, &[&c.elt]),
            ast::Expr::DictComp(c) => {
                let mut elts: Vec<&ast::Expr> = vec![&c.value];
                if let Some(k) = &c.key {
                    elts.insert(0, k);
                }
                self.comprehension(c.range().start(), &c.generators, &elts)
            }
            ast::Expr::Named(n) => {
                self.visit_expr(&n.value);
                self.target(&n.target);
            }
            ast::Expr::Yield(_) | ast::Expr::YieldFrom(_) => {
                self.cur().is_generator = true;
                visitor::walk_expr(self, expr);
            }
            _ => visitor::walk_expr(self, expr),
        }
    }
}
