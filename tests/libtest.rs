//! CPython's own tests as the check: each file named in `tests/libtest/table.tsv` is a module
//! of CPython 3.15's `Lib/test` (Debian's `libpython3.15-testsuite`, fetched by
//! `tools/fetch-cpython315.sh`), run on Pyrite by `tests/libtest/run.py` under `unittest`, one
//! process per file. The table records how many of its tests passed when it was last updated;
//! this test fails when a file passes fewer. Set `PYRITE_LIBTEST_UPDATE=1` to rewrite the table
//! with today's counts (review the diff: a drop is a regression, not a new baseline). A row
//! whose note starts with `skip:` is listed but not run (the note says why: too slow for CI,
//! or it hangs).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// A whole file gets this long; `run.py` also stops any one test after 60 s.
const FILE_TIMEOUT: Duration = Duration::from_secs(300);

struct Row {
    file: String,
    passed: u64,
    run: u64,
    note: String,
}

#[derive(Default, Clone)]
struct Outcome {
    run: u64,
    passed: u64,
    failed: u64,
    errors: u64,
    skipped: u64,
    seconds: f64,
    problem: Option<String>,
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn table_path() -> PathBuf {
    root().join("tests/libtest/table.tsv")
}

/// The table: `file<TAB>passed<TAB>run<TAB>note`; `#` starts a comment line.
fn read_table() -> (Vec<String>, Vec<Row>) {
    let text = std::fs::read_to_string(table_path()).expect("tests/libtest/table.tsv");
    let mut header = Vec::new();
    let mut rows = Vec::new();
    for line in text.lines() {
        if line.starts_with('#') || line.trim().is_empty() {
            if rows.is_empty() {
                header.push(line.to_string());
            }
            continue;
        }
        let mut f = line.split('\t');
        let file = f.next().unwrap().to_string();
        let passed = f.next().and_then(|s| s.parse().ok()).unwrap_or_else(|| panic!("bad passed count: {line}"));
        let run = f.next().and_then(|s| s.parse().ok()).unwrap_or_else(|| panic!("bad run count: {line}"));
        let note = f.next().unwrap_or("").to_string();
        rows.push(Row { file, passed, run, note });
    }
    (header, rows)
}

/// A number field of `run.py`'s JSON report line.
fn field(json: &str, key: &str) -> Option<f64> {
    let at = json.find(&format!("\"{key}\": "))? + key.len() + 4;
    let rest = &json[at..];
    let end = rest.find([',', '}']).unwrap_or(rest.len());
    rest[..end].trim().parse().ok()
}

/// A string field of the report (for the import error, shown on failure).
fn text_field(json: &str, key: &str) -> Option<String> {
    let at = json.find(&format!("\"{key}\": \""))? + key.len() + 5;
    let rest = &json[at..];
    let mut out = String::new();
    let mut chars = rest.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some(c) => out.push(c),
                None => out.push('\\'),
            },
            '"' => break,
            c => out.push(c),
        }
    }
    Some(out)
}

fn run_file(file: &str) -> Outcome {
    let start = Instant::now();
    // Tests write scratch files into the working directory: one fresh folder per file.
    let cwd = Path::new(env!("CARGO_TARGET_TMPDIR")).join("libtest").join(file);
    let _ = std::fs::remove_dir_all(&cwd);
    std::fs::create_dir_all(&cwd).expect("making the test's working directory");
    let mut child = Command::new(env!("CARGO_BIN_EXE_pyrite"))
        .arg(root().join("tests/libtest/run.py"))
        .arg(file)
        // A fixed hash seed: set and dict orders, and so the counts, repeat run to run.
        .env("PYTHONHASHSEED", "0")
        .current_dir(&cwd)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("running pyrite");
    // Drain the pipes on threads so a chatty test cannot block on a full pipe.
    let mut out_pipe = child.stdout.take().unwrap();
    let mut err_pipe = child.stderr.take().unwrap();
    let out_t = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = std::io::Read::read_to_end(&mut out_pipe, &mut s);
        s
    });
    let err_t = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = std::io::Read::read_to_end(&mut err_pipe, &mut s);
        s
    });
    let mut timed_out = false;
    let status = loop {
        if let Some(st) = child.try_wait().expect("waiting for pyrite") {
            break Some(st);
        }
        if start.elapsed() > FILE_TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            timed_out = true;
            break None;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let stdout = String::from_utf8_lossy(&out_t.join().unwrap()).into_owned();
    let stderr = String::from_utf8_lossy(&err_t.join().unwrap()).into_owned();
    let seconds = start.elapsed().as_secs_f64();
    let Some(line) = stdout.lines().rev().find(|l| l.starts_with("LIBTEST ")) else {
        let tail: String = stderr.lines().rev().take(8).collect::<Vec<_>>().into_iter().rev().collect::<Vec<_>>().join("\n");
        let why = if timed_out { format!("timed out after {} s", FILE_TIMEOUT.as_secs()) } else { format!("exited with {status:?} before reporting") };
        return Outcome { seconds, problem: Some(format!("{why}:\n{tail}")), ..Outcome::default() };
    };
    let n = |k: &str| field(line, k).unwrap_or(0.0) as u64;
    Outcome {
        run: n("run"),
        passed: n("passed"),
        failed: n("failed"),
        errors: n("errors"),
        skipped: n("skipped"),
        seconds,
        problem: text_field(line, "import_error"),
    }
}

#[test]
fn cpython_lib_tests_do_not_regress() {
    let lib_test = Path::new(&std::env::var("HOME").unwrap_or_default()).join(".cache/pyrite/cpython315/root/usr/lib/python3.15/test");
    assert!(lib_test.is_dir(), "{} is missing: run tools/fetch-cpython315.sh", lib_test.display());
    let (header, rows) = read_table();
    let results: Mutex<Vec<Option<Outcome>>> = Mutex::new(vec![None; rows.len()]);
    let next = Mutex::new(0usize);
    // Two files at a time (the machines have two cores).
    std::thread::scope(|s| {
        for _ in 0..2 {
            s.spawn(|| loop {
                let i = {
                    let mut n = next.lock().unwrap();
                    let i = *n;
                    *n += 1;
                    i
                };
                if i >= rows.len() {
                    break;
                }
                if rows[i].note.starts_with("skip:") {
                    results.lock().unwrap()[i] = Some(Outcome { problem: Some(rows[i].note.clone()), ..Outcome::default() });
                    continue;
                }
                let o = run_file(&rows[i].file);
                results.lock().unwrap()[i] = Some(o);
            });
        }
    });
    let results: Vec<Outcome> = results.into_inner().unwrap().into_iter().map(Option::unwrap).collect();
    let mut regressions = Vec::new();
    let (mut total_passed, mut total_run, mut total_failed, mut total_errors, mut total_skipped) = (0, 0, 0, 0, 0);
    println!("{:<28} {:>6} {:>6} {:>6} {:>6} {:>6} {:>7}", "file", "passed", "table", "failed", "errors", "skip", "seconds");
    for (row, o) in rows.iter().zip(&results) {
        println!("{:<28} {:>6} {:>6} {:>6} {:>6} {:>6} {:>7.1}", row.file, o.passed, row.passed, o.failed, o.errors, o.skipped, o.seconds);
        if let Some(p) = &o.problem {
            println!("    {}", p.replace('\n', "\n    "));
        }
        total_passed += o.passed;
        total_run += o.run;
        total_failed += o.failed;
        total_errors += o.errors;
        total_skipped += o.skipped;
        if o.passed < row.passed && !row.note.starts_with("skip:") {
            regressions.push(format!("{}: {} passed, table says {}", row.file, o.passed, row.passed));
        }
    }
    println!("total: {total_passed} passed of {total_run} run ({total_failed} failed, {total_errors} errors, {total_skipped} skipped) in {} files", rows.len());
    if std::env::var_os("PYRITE_LIBTEST_UPDATE").is_some() {
        let mut text = header.join("\n");
        text.push('\n');
        for (row, o) in rows.iter().zip(&results) {
            let (passed, run) = if row.note.starts_with("skip:") { (row.passed, row.run) } else { (o.passed, o.run) };
            text.push_str(&format!("{}\t{}\t{}\t{}\n", row.file, passed, run, row.note));
        }
        std::fs::write(table_path(), text).unwrap();
        println!("table updated");
        return;
    }
    assert!(regressions.is_empty(), "Lib/test files pass fewer tests than tests/libtest/table.tsv records:\n{}", regressions.join("\n"));
}
