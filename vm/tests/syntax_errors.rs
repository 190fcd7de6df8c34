//! Differential test of the front end's `SyntaxError`s against CPython 3.15.
//!
//! `data/syntax_errors.txt` is written by `tools/gen-syntax-error-cases.py` under CPython 3.15:
//! for each source, the exception CPython raises, its message, line and offset, and whether
//! CPython's parser (`stage: parse`) or its compiler (`stage: compile`) raised it. Parse-stage
//! cases must fail in `compiler::parse`; compile-stage cases must parse and then fail in
//! `compiler::symtable::build` (which also runs the compiler's statement checks).
//!
//! A case with `pyrite-msg` is a known difference: Pyrite's message differs (the line says what
//! Pyrite reports and `why`), but the exception type, line and offset must still match, and
//! Pyrite's message must be the recorded one, so that fixing it fails the test until the entry
//! is removed from the generator.

mod common;

use common::json;
use pyrite_vm::compiler::parse::{self, SyntaxErrorInfo};
use pyrite_vm::compiler::symtable;
use std::collections::BTreeMap;

struct Case {
    name: String,
    source: String,
    stage: String,
    kind: String,
    msg: String,
    lineno: usize,
    offset: usize,
    pyrite_msg: Option<String>,
}

fn load_cases() -> Vec<Case> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/syntax_errors.txt");
    let text = std::fs::read_to_string(path).expect("read syntax_errors.txt");
    let mut cases = Vec::new();
    for block in text.split("\n\n") {
        let fields: BTreeMap<&str, &str> = block
            .lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| l.split_once(": "))
            .collect();
        let Some(name) = fields.get("case") else {
            continue;
        };
        let number = |key: &str| fields[key].parse::<usize>().expect(key);
        cases.push(Case {
            name: name.to_string(),
            source: json::parse_string(fields["source"]),
            stage: fields["stage"].to_string(),
            kind: fields["type"].to_string(),
            msg: fields["msg"].to_string(),
            lineno: number("lineno"),
            offset: number("offset"),
            pyrite_msg: fields.get("pyrite-msg").map(|s| s.to_string()),
        });
    }
    cases
}

/// Runs the front end on `source` as far as the case's stage; the error it reports, if any.
fn front_end_error(case: &Case) -> Result<Option<SyntaxErrorInfo>, String> {
    let module = match parse::parse_module(&case.source, "<case>") {
        Ok((module, _)) => module,
        Err(error) if case.stage == "parse" => return Ok(Some(error)),
        Err(error) => {
            return Err(format!(
                "rejected by the parser, CPython's compiler rejects it: {error}"
            ));
        }
    };
    if case.stage == "parse" {
        return Ok(None);
    }
    Ok(symtable::build(&module, &case.source, "<case>").err())
}

#[test]
fn syntax_errors_match_cpython() {
    let cases = load_cases();
    assert!(
        cases.len() >= 100,
        "expected the generated table, found {} cases",
        cases.len()
    );
    let mut failures = Vec::new();
    let mut known = 0;
    for case in &cases {
        let expected_msg = case.pyrite_msg.as_deref().unwrap_or(&case.msg);
        let outcome = match front_end_error(case) {
            Err(problem) => Err(problem),
            Ok(None) => Err("accepted".to_string()),
            Ok(Some(e)) => {
                let got = (e.kind.name(), e.msg.as_str(), e.lineno, e.offset);
                let want = (case.kind.as_str(), expected_msg, case.lineno, case.offset);
                if got == want {
                    Ok(())
                } else {
                    Err(format!("got {got:?}"))
                }
            }
        };
        let want = format!(
            "{} {:?} at {}:{}",
            case.kind, expected_msg, case.lineno, case.offset
        );
        match outcome {
            Ok(()) => {
                if case.pyrite_msg.is_some() {
                    known += 1;
                }
                println!("ok   {:<40} {want}", case.name);
            }
            Err(problem) => {
                println!("FAIL {:<40} want {want}, {problem}", case.name);
                failures.push(case.name.clone());
            }
        }
    }
    println!(
        "{} cases compared with CPython 3.15 (type, msg, lineno, offset); {} known message differences; {} failures",
        cases.len(),
        known,
        failures.len()
    );
    assert!(failures.is_empty(), "mismatches: {failures:?}");
}

#[test]
fn valid_sources_parse() {
    // Newer syntax CPython 3.15 accepts must parse (and not trip the tokenizer re-checks).
    for source in [
        "x = 1if y else 2\n",
        "match x:\n    case +0 | +1.5 | +1 + 2j:\n        pass\n",
        "def f[T: int = str, *Ts, **P](x: T) -> T:\n    return x\n",
        "type Alias[T] = list[T]\n",
        "match p:\n    case Point(x=0) | [1, *_]:\n        pass\n",
        "try:\n    pass\nexcept* ValueError:\n    pass\n",
        "try:\n    pass\nexcept A, B:\n    pass\n",
        "print(f'{x!r:>{width}}', t'{y}')\n",
        "[*x for x in y]\n",
        "x = *a, *b\nf(*a, *b)\nx[*a]\nprint(*a for a in b)\nclass C(*bases): pass\n",
        "lazy import json\n",
        "if x:\n\tpass\nelse:\n\tpass\n",
        "x = 0o17 + 0b1 + 0xff + 1_000 + 1.5e3 + 2j + 00\n",
        "with (open(a) as f, open(b) as g):\n    pass\n",
    ] {
        if let Err(e) = parse::parse_module(source, "<valid>") {
            panic!("{source:?} should parse, got {e}");
        }
    }
}

/// Every UTF-8 `.py` file of CPython 3.15's standard library and test suite (about 1,900)
/// goes through the front end (parser and symbol tables, as `compile()` would), and must fail
/// exactly where CPython's `compile()` fails (`data/stdlib_compile_errors.txt`, written by
/// `tools/gen-stdlib-compile-results.py`), and nowhere else. The library is the one
/// `cpython-ref` installs; set `PYRITE_CPYTHON315_LIB` to use another, the test is skipped
/// when there is none.
#[test]
fn stdlib_compiles_like_cpython() {
    let root = std::env::var("PYRITE_CPYTHON315_LIB")
        .unwrap_or_else(|_| "/opt/pyref/usr/lib/python3.15".to_string());
    let root = std::path::PathBuf::from(root);
    if !root.join("os.py").exists() {
        println!(
            "skipped: no CPython 3.15 standard library at {}",
            root.display()
        );
        return;
    }
    let expected_path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/stdlib_compile_errors.txt"
    );
    let expected_text =
        std::fs::read_to_string(expected_path).expect("read stdlib_compile_errors.txt");
    let expected: BTreeMap<&str, String> = expected_text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .map(|l| {
            let (path, rest) = l.split_once('\t').expect("path\\terror");
            (path, rest.to_string())
        })
        .collect();

    let mut files = Vec::new();
    let mut dirs = vec![root.clone()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).expect("read stdlib directory") {
            let path = entry.expect("directory entry").path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "py") {
                files.push(path);
            }
        }
    }
    files.sort();

    let (mut compared, mut mismatches) = (0, Vec::new());
    for path in &files {
        let Ok(source) = std::fs::read_to_string(path) else {
            continue;
        };
        if source.starts_with('\u{feff}') {
            continue; // decoding (BOM, coding cookie) happens before the parser
        }
        let relative = path
            .strip_prefix(&root)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let source_for_thread = source.clone();
        // Some test files nest deeply; give the walk the stack CPython's would have.
        let outcome = std::thread::Builder::new()
            .stack_size(16 << 20)
            .spawn(move || {
                let name = "<stdlib>";
                match parse::parse_module(&source_for_thread, name) {
                    Ok((module, _)) => symtable::build(&module, &source_for_thread, name).err(),
                    Err(e) => Some(e),
                }
                .map(|e| format!("{}\t{}\t{}\t{}", e.kind.name(), e.msg, e.lineno, e.offset))
            })
            .unwrap()
            .join()
            .expect("the front end panicked");
        compared += 1;
        let want = expected.get(relative.as_str());
        if outcome.as_ref() != want {
            mismatches.push(format!("{relative}: Pyrite {outcome:?}, CPython {want:?}"));
        }
    }
    for mismatch in &mismatches {
        println!("FAIL {mismatch}");
    }
    println!(
        "{compared} standard library files compiled by the front end: {} rejected as CPython rejects them, {} mismatches",
        expected.len(),
        mismatches.len()
    );
    assert!(
        compared > 1000,
        "found only {compared} files under {}",
        root.display()
    );
    assert!(mismatches.is_empty());
}
