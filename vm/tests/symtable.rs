//! Differential test of `compiler::symtable` against CPython's `symtable` module.
//!
//! `data/symtable_cases.json` is written by `tools/gen-symtable-cases.py`: for each snippet,
//! the tree of blocks CPython builds, with each block's name, type, first line and parameters
//! (`varnames`), and each symbol's flags, resolved scope and `symtable.Symbol` predicates
//! (`is_local`, `is_global`, `is_free`, ...). This test builds Pyrite's tables for the same
//! source and compares all of it, block by block in CPython's child order.
//!
//! It also compares each block's `cellvars` and `freevars` with the `co_cellvars` and
//! `co_freevars` of the code object CPython compiles the block to, and checks that the block's
//! parameters begin its `co_varnames` (blocks are paired with code objects by walking both
//! trees: the k-th child block with a name goes with the k-th child code object of that name).
//! Annotation blocks are left out there (CPython compiles them only when annotations exist,
//! and renames their `.format` parameter).
//!
//! The reference is CPython 3.15, except for snippets with list/set/dict comprehensions,
//! which 3.12+ inlines (PEP 709) and Pyrite does not: those come from CPython 3.11 (no
//! annotation blocks there, so Pyrite's `__annotate__` blocks are left out of the comparison
//! for those cases, as is the `__classdict__` cell they make classes need).

mod common;

use common::json::{self, Json};
use pyrite_vm::compiler::parse;
use pyrite_vm::compiler::symtable::{
    self, Block, BlockType, Scope, Symbol, SymbolFlags, SymbolTable,
};
use std::collections::BTreeSet;

const FLAG_NAMES: [(SymbolFlags, &str); 11] = [
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

fn flag_names(flags: SymbolFlags) -> Vec<String> {
    let mut names: Vec<String> = FLAG_NAMES
        .iter()
        .filter(|(f, _)| flags.contains(*f))
        .map(|(_, n)| n.to_string())
        .collect();
    names.sort();
    names
}

fn scope_name(scope: Scope) -> &'static str {
    match scope {
        Scope::Local => "LOCAL",
        Scope::GlobalExplicit => "GLOBAL_EXPLICIT",
        Scope::GlobalImplicit => "GLOBAL_IMPLICIT",
        Scope::Free => "FREE",
        Scope::Cell => "CELL",
    }
}

/// The `symtable.Symbol` predicates, computed from Pyrite's symbol as `symtable.py` computes
/// them from CPython's flags.
fn predicates(symbol: &Symbol, module_scope: bool) -> Vec<(&'static str, bool)> {
    let f = symbol.flags;
    let bound_in_module = module_scope && f.intersects(SymbolFlags::DEF_BOUND);
    let s = symbol.scope;
    vec![
        (
            "is_local",
            matches!(s, Scope::Local | Scope::Cell) || bound_in_module,
        ),
        (
            "is_global",
            matches!(s, Scope::GlobalImplicit | Scope::GlobalExplicit) || bound_in_module,
        ),
        ("is_free", s == Scope::Free),
        ("is_parameter", f.contains(SymbolFlags::DEF_PARAM)),
        ("is_nonlocal", f.contains(SymbolFlags::DEF_NONLOCAL)),
        ("is_declared_global", s == Scope::GlobalExplicit),
        ("is_referenced", f.contains(SymbolFlags::USE)),
        ("is_assigned", f.contains(SymbolFlags::DEF_LOCAL)),
        ("is_imported", f.contains(SymbolFlags::DEF_IMPORT)),
    ]
}

struct Comparison<'a> {
    table: &'a SymbolTable,
    /// CPython 3.11 has no annotation blocks.
    skip_annotation_blocks: bool,
    /// The reference inlines list/set/dict comprehensions (PEP 709): their children are the
    /// parent's children there, and the parent's symbols include theirs (not compared).
    inlined_reference: bool,
    blocks_with_inlined_comprehensions: usize,
    differences: Vec<String>,
    compared_blocks: usize,
    compared_symbols: usize,
    compared_code_objects: usize,
}

/// The name CPython gives the code object compiled from `block`.
fn code_name(block: &Block) -> String {
    match block.block_type {
        BlockType::Module => "<module>".to_string(),
        BlockType::TypeParameters => format!("<generic parameters of {}>", block.name),
        _ => block.name.clone(),
    }
}

/// Whether CPython 3.12+ inlines comprehension block `child` into `parent` (PEP 709: list,
/// set and dict comprehensions, except in class-visible annotation and PEP 695 blocks).
fn inlined_into(parent: &Block, child: &Block) -> bool {
    child.comprehension.is_some() && !child.is_generator && !parent.can_see_class_scope
}

/// `block`'s children as CPython 3.12+ lists them: an inlined comprehension is replaced by
/// its own (effective) children.
fn effective_children<'t>(table: &'t SymbolTable, block: &'t Block) -> Vec<&'t Block> {
    let mut out = Vec::new();
    for child in table.children(block) {
        if inlined_into(block, child) {
            out.extend(effective_children(table, child));
        } else {
            out.push(child);
        }
    }
    out
}

impl Comparison<'_> {
    fn compare_symbols(&mut self, ours: &Block, theirs: &Json, path: &str) {
        let theirs_symbols = theirs.field("symbols").as_object();
        let our_names: BTreeSet<&str> = ours.symbols().iter().map(|s| s.name.as_str()).collect();
        let their_names: BTreeSet<&str> = theirs_symbols.keys().copied().collect();
        for missing in their_names.difference(&our_names) {
            self.differ(
                path,
                format!(
                    "no symbol {missing:?}, CPython has {:?}",
                    theirs_symbols[missing]
                ),
            );
        }
        for extra in our_names.difference(&their_names) {
            self.differ(path, format!("symbol {extra:?} that CPython does not have"));
        }
        // symtable.py decides this by the block's name ("top"), so a method named `top` gets
        // the module's `is_local`/`is_global` too (CPython's quirk, reproduced to compare).
        let module_scope = ours.name == "top";
        for symbol in ours.symbols() {
            let Some(theirs) = theirs_symbols.get(symbol.name.as_str()) else {
                continue;
            };
            self.compared_symbols += 1;
            let flags: Vec<String> = theirs
                .field("flags")
                .as_array()
                .iter()
                .map(|f| f.as_str().to_string())
                .collect();
            if flag_names(symbol.flags) != flags {
                self.differ(
                    path,
                    format!(
                        "{}: flags {:?}, CPython {flags:?}",
                        symbol.name, symbol.flags
                    ),
                );
            }
            let scope = theirs.field("scope").as_str();
            if scope_name(symbol.scope) != scope {
                self.differ(
                    path,
                    format!("{}: scope {:?}, CPython {scope}", symbol.name, symbol.scope),
                );
            }
            for (predicate, value) in predicates(symbol, module_scope) {
                let expected = theirs.field(predicate).as_bool();
                if value != expected {
                    self.differ(
                        path,
                        format!("{}: {predicate}() {value}, CPython {expected}", symbol.name),
                    );
                }
            }
        }
    }

    /// Compares `block`'s closure layout with `code`'s, then pairs their children.
    fn compare_code(&mut self, block: &Block, code: &Json, path: &str) {
        self.compared_code_objects += 1;
        let path = format!("{path}/{}", block.name);
        let strings = |key: &str| -> Vec<String> {
            code.field(key)
                .as_array()
                .iter()
                .map(|v| v.as_str().to_string())
                .collect()
        };
        let (cellvars, freevars, varnames) = (
            strings("cellvars"),
            strings("freevars"),
            strings("varnames"),
        );
        // CPython 3.11 has no annotation blocks, so no class needs `__classdict__` there.
        let ours_cellvars: Vec<String> = block
            .cellvars
            .iter()
            .filter(|c| !(self.skip_annotation_blocks && *c == "__classdict__"))
            .cloned()
            .collect();
        if ours_cellvars != cellvars {
            self.differ(
                &path,
                format!("cellvars {:?}, co_cellvars {cellvars:?}", block.cellvars),
            );
        }
        if block.freevars != freevars {
            self.differ(
                &path,
                format!("freevars {:?}, co_freevars {freevars:?}", block.freevars),
            );
        }
        if !varnames.starts_with(&block.varnames) {
            self.differ(
                &path,
                format!(
                    "parameters {:?} do not begin co_varnames {varnames:?}",
                    block.varnames
                ),
            );
        }
        let code_children = code.field("children").as_array();
        let mut used = vec![false; code_children.len()];
        for child in self.table.children(block) {
            if child.block_type == BlockType::Annotation {
                continue;
            }
            let name = code_name(child);
            let found = code_children
                .iter()
                .enumerate()
                .find(|(i, c)| !used[*i] && c.field("name").as_str() == name);
            match found {
                Some((i, code)) => {
                    used[i] = true;
                    self.compare_code(child, code, &path);
                }
                None => self.differ(
                    &path,
                    format!("no code object named {name:?} for block {}", child.name),
                ),
            }
        }
    }

    fn differ(&mut self, path: &str, what: String) {
        self.differences.push(format!("{path}: {what}"));
    }

    fn compare(&mut self, ours: &Block, theirs: &Json, path: &str) {
        self.compared_blocks += 1;
        let path = format!("{path}/{}", ours.name);
        let name = theirs.field("name").as_str();
        if ours.name != name {
            self.differ(&path, format!("name {:?}, CPython {name:?}", ours.name));
        }
        let kind = theirs.field("type").as_str();
        if ours.block_type.name() != kind {
            self.differ(
                &path,
                format!("type {:?}, CPython {kind:?}", ours.block_type.name()),
            );
        }
        let lineno = match theirs.field("lineno") {
            Json::Number(n) => *n as usize,
            other => panic!("lineno {other:?}"),
        };
        if ours.lineno != lineno {
            self.differ(&path, format!("lineno {}, CPython {lineno}", ours.lineno));
        }
        let varnames: Vec<&str> = theirs
            .field("varnames")
            .as_array()
            .iter()
            .map(Json::as_str)
            .collect();
        if ours.varnames != varnames {
            self.differ(
                &path,
                format!("varnames {:?}, CPython {varnames:?}", ours.varnames),
            );
        }

        if self.inlined_reference && self.table.children(ours).any(|c| inlined_into(ours, c)) {
            self.blocks_with_inlined_comprehensions += 1;
        } else {
            self.compare_symbols(ours, theirs, &path);
        }

        let ours_children: Vec<&Block> = if self.inlined_reference {
            effective_children(self.table, ours)
        } else {
            self.table
                .children(ours)
                .filter(|b| !(self.skip_annotation_blocks && b.block_type == BlockType::Annotation))
                .collect()
        };
        let theirs_children = theirs.field("children").as_array();
        if ours_children.len() != theirs_children.len() {
            let ours_names: Vec<&str> = ours_children.iter().map(|b| b.name.as_str()).collect();
            let their_names: Vec<&str> = theirs_children
                .iter()
                .map(|c| c.field("name").as_str())
                .collect();
            self.differ(
                &path,
                format!("children {ours_names:?}, CPython {their_names:?}"),
            );
        }
        for (ours, theirs) in ours_children.into_iter().zip(theirs_children) {
            self.compare(ours, theirs, &path);
        }
    }
}

#[test]
fn symbol_tables_match_cpython() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/symtable_cases.json"
    );
    let data = json::parse(&std::fs::read_to_string(path).expect("read symtable_cases.json"));
    let cases = data.field("cases").as_array();
    assert!(
        cases.len() >= 50,
        "expected the generated cases, found {}",
        cases.len()
    );
    let (mut failed, mut blocks, mut symbols, mut codes) = (Vec::new(), 0, 0, 0);
    for case in cases {
        let name = case.field("name").as_str();
        let reference = case.field("reference").as_str();
        let source = case.field("source").as_str();
        let (module, _) =
            parse::parse_module(source, "<case>").unwrap_or_else(|e| panic!("{name}: {e}"));
        let table =
            symtable::build(&module, source, "<case>").unwrap_or_else(|e| panic!("{name}: {e}"));
        let mut comparison = Comparison {
            table: &table,
            skip_annotation_blocks: reference.starts_with("CPython 3.11"),
            // The snippets with inlinable comprehensions come from CPython 3.11.
            inlined_reference: false,
            blocks_with_inlined_comprehensions: 0,
            differences: Vec::new(),
            compared_blocks: 0,
            compared_symbols: 0,
            compared_code_objects: 0,
        };
        comparison.compare(table.top(), case.field("table"), "");
        comparison.compare_code(table.top(), case.field("code"), "");
        blocks += comparison.compared_blocks;
        symbols += comparison.compared_symbols;
        codes += comparison.compared_code_objects;
        if comparison.differences.is_empty() {
            println!(
                "ok   {name:<45} ({reference}: {} blocks, {} symbols)",
                comparison.compared_blocks, comparison.compared_symbols
            );
        } else {
            println!("FAIL {name:<45} ({reference})");
            for difference in &comparison.differences {
                println!("       {difference}");
            }
            failed.push(name.to_string());
        }
    }
    println!(
        "{} snippets, {blocks} blocks, {symbols} symbols compared with CPython's symtable module \
         (name, type, lineno, varnames, children; per symbol flags, scope and 9 predicates); \
         {codes} blocks compared with their code objects (co_cellvars, co_freevars, parameters)",
        cases.len()
    );
    assert!(
        failed.is_empty(),
        "tables differ from CPython's: {failed:?}"
    );
}

/// Pyrite's tables for every file of CPython 3.15's standard library against CPython's, from
/// `target/stdlib_symtables.jsonl` (written by `tools/gen-stdlib-symtables.py`; skipped when
/// absent). CPython inlines list/set/dict comprehensions there, so a block with such a
/// comprehension directly in it has its symbols left out, and the inlined comprehension's own
/// children are compared as the block's children, where CPython lists them.
#[test]
fn stdlib_symbol_tables_match_cpython() {
    let data = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../target/stdlib_symtables.jsonl"
    );
    let Ok(text) = std::fs::read_to_string(data) else {
        println!("skipped: no {data} (run tools/gen-stdlib-symtables.py under CPython 3.15)");
        return;
    };
    let root = std::env::var("PYRITE_CPYTHON315_LIB")
        .unwrap_or_else(|_| "/opt/pyref/usr/lib/python3.15".to_string());
    let (mut files, mut blocks, mut symbols, mut skipped) = (0, 0, 0, 0);
    let mut failed = Vec::new();
    for line in text.lines() {
        let case = json::parse(line);
        let relative = case.field("path").as_str();
        let path = std::path::Path::new(&root).join(relative);
        let Ok(source) = std::fs::read_to_string(&path) else {
            continue;
        };
        let (module, _) = parse::parse_module(&source, relative).unwrap_or_else(|e| panic!("{e}"));
        let table = symtable::build(&module, &source, relative).unwrap_or_else(|e| panic!("{e}"));
        let mut comparison = Comparison {
            table: &table,
            skip_annotation_blocks: false,
            inlined_reference: true,
            blocks_with_inlined_comprehensions: 0,
            differences: Vec::new(),
            compared_blocks: 0,
            compared_symbols: 0,
            compared_code_objects: 0,
        };
        comparison.compare(table.top(), case.field("table"), "");
        files += 1;
        blocks += comparison.compared_blocks;
        symbols += comparison.compared_symbols;
        skipped += comparison.blocks_with_inlined_comprehensions;
        if !comparison.differences.is_empty() {
            println!("FAIL {relative}");
            for difference in comparison.differences.iter().take(5) {
                println!("       {difference}");
            }
            failed.push(relative.to_string());
        }
    }
    println!(
        "{files} standard library files: {blocks} blocks and {symbols} symbols compared with CPython 3.15's symtable \
         ({skipped} blocks holding inlined comprehensions had their symbols left out); {} files differ",
        failed.len()
    );
    assert!(files > 1000, "only {files} files found under {root}");
    assert!(failed.is_empty(), "{} files differ", failed.len());
}
