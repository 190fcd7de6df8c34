//! The second pass: resolves every name's scope from the flags the first pass recorded
//! (`analyze_block`, `analyze_name`, `analyze_cells`, `update_symbols` in `symtable.c`), then
//! lays out each block's cell and free variables as CPython's compiler orders them.
//!
//! A block sees the names bound in its enclosing *function-like* blocks (`bound`): a name it
//! uses but does not bind is free if one of those binds it, else global. Names a child uses
//! freely come back up (`free`); the block that binds one turns it into a cell. Class bodies
//! bind nothing their methods can see, except through the implicit `__class__`,
//! `__classdict__` and `__conditional_annotations__` cells.

use super::builder::FirstPass;
use super::{BlockId, BlockType, ErrorSite, Scope, SymbolFlags, SymbolTable};
use crate::compiler::parse::SyntaxErrorInfo;
use crate::compiler::parse::text_size::TextRange;
use std::collections::{HashMap, HashSet};

type Names = HashSet<String>;

struct Analyzer<'a> {
    table: SymbolTable,
    directives: Vec<Vec<(String, TextRange)>>,
    site: &'a ErrorSite<'a>,
}

pub(super) fn analyze(first: FirstPass, site: &ErrorSite) -> Result<SymbolTable, SyntaxErrorInfo> {
    let FirstPass { table, directives } = first;
    let mut analyzer = Analyzer {
        table,
        directives,
        site,
    };
    let (mut free, mut global, mut type_params) = (Names::new(), Names::new(), Names::new());
    analyzer.analyze_block(
        BlockId(0),
        None,
        &mut free,
        &mut global,
        &mut type_params,
        None,
    )?;
    let mut table = analyzer.table;
    for block in &mut table.blocks {
        lay_out_closure_variables(block);
    }
    Ok(table)
}

/// `co_cellvars` and `co_freevars` as CPython's compiler builds them (`dictbytype`, sorted by
/// name), with the implicit cells of classes and modules after the block's own.
fn lay_out_closure_variables(block: &mut super::Block) {
    let mut cells: Vec<String> = block
        .symbols
        .iter()
        .filter(|s| s.scope == Scope::Cell || s.flags.contains(SymbolFlags::DEF_COMP_CELL))
        .map(|s| s.name.clone())
        .collect();
    cells.sort();
    if block.needs_class_closure {
        cells.push("__class__".to_owned());
    }
    if block.needs_classdict {
        cells.push("__classdict__".to_owned());
    }
    // A module keeps it in a cell too, though its symbol resolves as a global: the module's
    // `__annotate__` reads it as a free variable.
    if block.has_conditional_annotations {
        cells.push("__conditional_annotations__".to_owned());
    }
    let mut frees: Vec<String> = block
        .symbols
        .iter()
        .filter(|s| s.scope == Scope::Free || s.flags.contains(SymbolFlags::DEF_FREE_CLASS))
        .map(|s| s.name.clone())
        .collect();
    frees.sort();
    block.cellvars = cells;
    block.freevars = frees;
}

impl Analyzer<'_> {
    fn block(&self, id: BlockId) -> &super::Block {
        &self.table.blocks[id.0 as usize]
    }

    /// A `global`/`nonlocal` error, located at the (first) declaration of `name` in `id`.
    fn error_at_directive(&self, id: BlockId, name: &str, msg: String) -> SyntaxErrorInfo {
        let range = self.directives[id.0 as usize]
            .iter()
            .find(|(n, _)| n == name)
            .map_or(self.block(id).key.range, |(_, r)| *r);
        self.site.error(msg, range)
    }

    /// Resolves the names of block `id` and, recursively, of its children.
    ///
    /// `bound`: names bound in enclosing function-like blocks (`None` for the module);
    /// `free` (out): names free in this block or its children; `global`: names declared
    /// global in enclosing blocks; `type_params`: enclosing type parameters; `class_entry`:
    /// the class whose namespace a class-visible block reads first.
    fn analyze_block(
        &mut self,
        id: BlockId,
        mut bound: Option<&mut Names>,
        free: &mut Names,
        global: &mut Names,
        type_params: &mut Names,
        class_entry: Option<BlockId>,
    ) -> Result<(), SyntaxErrorInfo> {
        let block_type = self.block(id).block_type;
        let is_class = block_type == BlockType::Class;
        let function_like = self.block(id).is_function_like();
        let mut local = Names::new();
        let mut scopes: HashMap<String, Scope> = HashMap::new();
        let (mut new_global, mut new_free, mut new_bound) =
            (Names::new(), Names::new(), Names::new());

        // A class body's bindings are invisible to nested blocks: what they see is decided
        // before the class's own names are.
        if is_class {
            new_global.extend(global.iter().cloned());
            if let Some(bound) = bound.as_deref() {
                new_bound.extend(bound.iter().cloned());
            }
        }

        let symbols: Vec<(String, SymbolFlags)> = self
            .block(id)
            .symbols
            .iter()
            .map(|s| (s.name.clone(), s.flags))
            .collect();
        for (name, flags) in symbols {
            let scope = self.analyze_name(
                id,
                &name,
                flags,
                bound.as_deref_mut(),
                &mut local,
                free,
                global,
                type_params,
                class_entry,
            )?;
            scopes.insert(name, scope);
        }

        if !is_class {
            if function_like {
                new_bound.extend(local.iter().cloned());
            }
            if let Some(bound) = bound.as_deref() {
                new_bound.extend(bound.iter().cloned());
            }
            new_global.extend(global.iter().cloned());
        } else {
            for implicit in ["__class__", "__classdict__", "__conditional_annotations__"] {
                new_bound.insert(implicit.to_owned());
            }
        }

        let children = self.block(id).children.clone();
        for child in children {
            let child_class_entry = if self.block(child).can_see_class_scope {
                if is_class { Some(id) } else { class_entry }
            } else {
                None
            };
            // No PEP 709 inlining: every comprehension stays a block of its own.
            let mut child_bound = new_bound.clone();
            let mut child_free = new_free.clone();
            let mut child_global = new_global.clone();
            let mut child_type_params = type_params.clone();
            super::with_stack(|| {
                self.analyze_block(
                    child,
                    Some(&mut child_bound),
                    &mut child_free,
                    &mut child_global,
                    &mut child_type_params,
                    child_class_entry,
                )
            })?;
            new_free.extend(child_free);
        }

        if function_like {
            // A local that a child uses freely becomes a cell.
            for (name, scope) in scopes.iter_mut() {
                if *scope == Scope::Local && new_free.remove(name) {
                    *scope = Scope::Cell;
                }
            }
        } else if is_class {
            let block = &mut self.table.blocks[id.0 as usize];
            if new_free.remove("__class__") {
                block.needs_class_closure = true;
            }
            if new_free.remove("__classdict__") {
                block.needs_classdict = true;
            }
            if new_free.remove("__conditional_annotations__") {
                block.has_conditional_annotations = true;
            }
        }

        let class_flag = is_class || self.block(id).can_see_class_scope;
        self.update_symbols(id, &scopes, bound.as_deref(), &new_free, class_flag);
        free.extend(new_free);
        Ok(())
    }

    /// `analyze_name`: the scope of one name from its flags and what encloses the block.
    #[allow(clippy::too_many_arguments)]
    fn analyze_name(
        &self,
        id: BlockId,
        name: &str,
        flags: SymbolFlags,
        bound: Option<&mut Names>,
        local: &mut Names,
        free: &mut Names,
        global: &mut Names,
        type_params: &mut Names,
        class_entry: Option<BlockId>,
    ) -> Result<Scope, SyntaxErrorInfo> {
        if flags.contains(SymbolFlags::DEF_GLOBAL) {
            if flags.contains(SymbolFlags::DEF_NONLOCAL) {
                return Err(self.error_at_directive(
                    id,
                    name,
                    format!("name '{name}' is nonlocal and global"),
                ));
            }
            global.insert(name.to_owned());
            if let Some(bound) = bound {
                bound.remove(name);
            }
            return Ok(Scope::GlobalExplicit);
        }
        if flags.contains(SymbolFlags::DEF_NONLOCAL) {
            let Some(bound) = bound else {
                return Err(self.error_at_directive(
                    id,
                    name,
                    "nonlocal declaration not allowed at module level".to_owned(),
                ));
            };
            if !bound.contains(name) {
                return Err(self.error_at_directive(
                    id,
                    name,
                    format!("no binding for nonlocal '{name}' found"),
                ));
            }
            if type_params.contains(name) {
                return Err(self.error_at_directive(
                    id,
                    name,
                    format!("nonlocal binding not allowed for type parameter '{name}'"),
                ));
            }
            free.insert(name.to_owned());
            return Ok(Scope::Free);
        }
        if flags.intersects(SymbolFlags::DEF_BOUND) {
            local.insert(name.to_owned());
            global.remove(name);
            if flags.contains(SymbolFlags::DEF_TYPE_PARAM) {
                type_params.insert(name.to_owned());
            } else {
                type_params.remove(name);
            }
            return Ok(Scope::Local);
        }
        // A class-visible block (annotations, PEP 695) reads the class namespace, then the
        // globals, for names the class binds, even when an enclosing function binds them too.
        if let Some(class) = class_entry {
            let class_flags = self
                .block(class)
                .symbol(name)
                .map_or(SymbolFlags::EMPTY, |s| s.flags);
            if class_flags.contains(SymbolFlags::DEF_GLOBAL) {
                return Ok(Scope::GlobalExplicit);
            }
            if class_flags.intersects(SymbolFlags::DEF_BOUND)
                && !class_flags.contains(SymbolFlags::DEF_NONLOCAL)
            {
                return Ok(Scope::GlobalImplicit);
            }
        }
        if bound.is_some_and(|bound| bound.contains(name)) {
            free.insert(name.to_owned());
            return Ok(Scope::Free);
        }
        Ok(Scope::GlobalImplicit)
    }

    /// `update_symbols`: stores the scopes, and adds the names that are free in children
    /// only, so the block passes them down its closure.
    fn update_symbols(
        &mut self,
        id: BlockId,
        scopes: &HashMap<String, Scope>,
        bound: Option<&Names>,
        free: &Names,
        class_flag: bool,
    ) {
        let block = &mut self.table.blocks[id.0 as usize];
        for symbol in &mut block.symbols {
            symbol.scope = scopes[&symbol.name];
        }
        let mut passed_down: Vec<&String> = free.iter().collect();
        passed_down.sort();
        for name in passed_down {
            if let Some(&i) = block.symbol_index.get(name) {
                // Bound in a class and free in a method: the class passes its own binding
                // through unchanged (`DEF_FREE_CLASS`); elsewhere it is a cell or already free.
                if class_flag {
                    block.symbols[i].flags |= SymbolFlags::DEF_FREE_CLASS;
                }
                continue;
            }
            if bound.is_some_and(|b| !b.contains(name)) {
                continue; // a global
            }
            block.symbol_index.insert(name.clone(), block.symbols.len());
            block.symbols.push(super::Symbol {
                name: name.clone(),
                flags: SymbolFlags::EMPTY,
                scope: Scope::Free,
            });
        }
    }
}
