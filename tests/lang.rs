//! Language and standard-library tests: every `tests/lang/*.py` and `tests/stdlib/*.py` is a self-checking program that must exit with
//! status 0 and print `<name>: ok` — on Pyrite (the runtime is right) and, when this machine's
//! CPython can run it, on CPython too (the test is right), with the same standard output. Files whose first line is
//! `# requires: 3.15` are checked on CPython 3.15 by hand (`cpython-ref python3.15 FILE`).

use std::path::PathBuf;
use std::process::Command;

/// The `*.py` files of a folder below `tests/`, sorted.
fn py_files(folder: &str) -> Vec<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests").join(folder);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "py"))
        .collect();
    files.sort();
    files
}

fn run(cmd: &mut Command, what: &str, file: &PathBuf) -> String {
    let out = cmd.arg(file).output().unwrap_or_else(|e| panic!("running {what}: {e}"));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let name = file.file_stem().unwrap().to_string_lossy();
    assert!(
        out.status.success() && stdout.lines().any(|l| l == format!("{name}: ok")),
        "{} failed on {what} (status {:?}):\n{stdout}\n{stderr}",
        file.display(),
        out.status.code()
    );
    stdout.into_owned()
}

/// Runs every `*.py` of `tests/<folder>/` on Pyrite and (unless marked `# requires: 3.15`) on
/// this machine's CPython, and compares their standard output.
fn differential(folder: &str) {
    let files = py_files(folder);
    assert!(!files.is_empty());
    for f in &files {
        let requires_315 = std::fs::read_to_string(f).unwrap().starts_with("# requires: 3.15");
        let cpython = (!requires_315).then(|| run(&mut Command::new("python3"), "CPython (python3)", f));
        let pyrite = run(&mut Command::new(env!("CARGO_BIN_EXE_pyrite")), "Pyrite", f);
        if let Some(expected) = cpython {
            assert_eq!(pyrite, expected, "{}: standard output differs from CPython's", f.display());
        }
        println!("{}: passed", f.display());
    }
}

#[test]
fn language_tests_pass_on_pyrite_and_cpython() {
    differential("lang");
}

/// The standard library: `tests/stdlib/*.py` use native modules and CPython 3.15's `Lib/`
/// (which `tools/fetch-cpython315.sh` fetches before the tests run).
#[test]
fn stdlib_tests_pass_on_pyrite_and_cpython() {
    differential("stdlib");
}

/// Uncaught exceptions: every `tests/tracebacks/*.py` must fail with the same exit status and
/// the same stderr on Pyrite as on this machine's CPython.
#[test]
fn uncaught_exceptions_print_as_cpython() {
    let files = py_files("tracebacks");
    assert!(!files.is_empty());
    for f in &files {
        let cpython = Command::new("python3").arg(f).output().expect("running python3");
        let pyrite = Command::new(env!("CARGO_BIN_EXE_pyrite")).arg(f).output().expect("running pyrite");
        assert_eq!(pyrite.status.code(), cpython.status.code(), "{}: exit status", f.display());
        assert_eq!(
            String::from_utf8_lossy(&pyrite.stderr),
            String::from_utf8_lossy(&cpython.stderr),
            "{}: stderr differs from CPython's",
            f.display()
        );
        println!("{}: passed", f.display());
    }
}

/// With no program, standard input that is not a terminal runs as a script named `<stdin>`.
#[test]
fn stdin_runs_as_a_script_like_cpython() {
    use std::io::Write;
    use std::process::Stdio;
    let src = "import sys\nprint(6 * 7, sys.argv)\n1 / 0\n";
    let run = |cmd: &str| {
        let mut child = Command::new(cmd).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
        child.stdin.take().unwrap().write_all(src.as_bytes()).unwrap();
        let out = child.wait_with_output().unwrap();
        (out.status.code(), String::from_utf8_lossy(&out.stdout).into_owned(), String::from_utf8_lossy(&out.stderr).lines().last().map(str::to_string))
    };
    assert_eq!(run(env!("CARGO_BIN_EXE_pyrite")), run("python3"));
}
