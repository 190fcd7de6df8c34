//! Real wheels from PyPI, unmodified: each `tests/wheels/*.py` names its wheel on its first
//! line (`# wheel: NAME==VERSION ...`; `# wheel: NAME==VERSION abi3t ...` for a
//! `cp315-abi3.abi3t` build). The test downloads the manylinux x86-64 builds with
//! `pip download` (PyPI is reachable from CI), unpacks them into one site-packages folder, and
//! runs every script on Pyrite with that folder on `PYTHONPATH`. Its standard output and exit
//! status must be those of this machine's CPython, or, for abi3t wheels (which need CPython
//! 3.15), those recorded from CPython 3.15 in `NAME.out` next to the script
//! (`cpython-ref python3.15 tests/wheels/NAME.py` with the same site-packages).

use std::path::{Path, PathBuf};
use std::process::Command;

fn scripts() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/wheels");
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "py"))
        .collect();
    v.sort();
    v
}

/// `NAME==VERSION` from a script's `# wheel:` line, and whether it is an abi3t build.
fn requirement(script: &Path) -> (String, bool) {
    let text = std::fs::read_to_string(script).unwrap();
    let first = text.lines().next().unwrap_or_default();
    let req = first.strip_prefix("# wheel: ").unwrap_or_else(|| panic!("{}: first line must be `# wheel: NAME==VERSION`", script.display()));
    let mut words = req.split_whitespace();
    let name = words.next().unwrap().to_string();
    (name, words.next() == Some("abi3t"))
}

fn run(cmd: &mut Command, what: &str) -> std::process::Output {
    cmd.output().unwrap_or_else(|e| panic!("running {what}: {e}"))
}

/// Downloads and unpacks the wheels (once: kept under target/) and returns site-packages.
fn site_packages(reqs: &[String]) -> PathBuf {
    let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join("wheels");
    let site = root.join(format!("site-packages-{}", reqs.join("+").replace(['=', '.'], "_")));
    if site.join(".complete").is_file() {
        return site;
    }
    let dl = root.join("downloads");
    std::fs::create_dir_all(&dl).unwrap();
    for abi3t in [false, true] {
        let names: Vec<&str> = reqs.iter().filter(|r| r.ends_with(" abi3t") == abi3t).map(|r| r.split(' ').next().unwrap()).collect();
        if names.is_empty() {
            continue;
        }
        let target: &[&str] = if abi3t {
            &["--python-version", "3.15", "--implementation", "cp", "--abi", "abi3t"]
        } else {
            &["--python-version", "3.12"]
        };
        let o = run(
            Command::new("python3")
                .args(["-m", "pip", "download", "--disable-pip-version-check", "--only-binary=:all:", "--no-deps"])
                .args(target)
                .args(["--platform", "manylinux2014_x86_64", "--platform", "manylinux_2_17_x86_64"])
                .arg("-d")
                .arg(&dl)
                .args(&names),
            "pip download",
        );
        assert!(o.status.success(), "pip download failed:\n{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr));
    }
    let _ = std::fs::remove_dir_all(&site);
    std::fs::create_dir_all(&site).unwrap();
    for req in reqs {
        let (name, version) = req.split(' ').next().unwrap().split_once("==").unwrap();
        let prefix = format!("{}-{version}-", name.replace('-', "_"));
        let wheel = std::fs::read_dir(&dl)
            .unwrap()
            .filter_map(|e| e.ok().map(|e| e.path()))
            .find(|p| p.file_name().unwrap().to_string_lossy().starts_with(&prefix) && p.extension().is_some_and(|x| x == "whl"))
            .unwrap_or_else(|| panic!("no wheel for {req} in {}", dl.display()));
        let o = run(Command::new("python3").args(["-m", "zipfile", "-e"]).arg(&wheel).arg(&site), "unzip");
        assert!(o.status.success(), "unpacking {}: {}", wheel.display(), String::from_utf8_lossy(&o.stderr));
    }
    std::fs::write(site.join(".complete"), "").unwrap();
    site
}

#[test]
fn wheels_from_pypi_run_as_on_cpython() {
    let scripts = scripts();
    let mut reqs: Vec<String> =
        scripts.iter().map(|s| requirement(s)).map(|(r, abi3t)| if abi3t { format!("{r} abi3t") } else { r }).collect();
    reqs.sort();
    reqs.dedup();
    let site = site_packages(&reqs);
    for s in &scripts {
        let pyrite = run(Command::new(env!("CARGO_BIN_EXE_pyrite")).arg(s).env("PYTHONPATH", &site), "pyrite");
        let (expected, reference) = if requirement(s).1 {
            let out = s.with_extension("out");
            let text = std::fs::read_to_string(&out).unwrap_or_else(|e| panic!("{}: {e} (record it from CPython 3.15)", out.display()));
            (text, "CPython 3.15 (recorded)")
        } else {
            let cpython = run(Command::new("python3").arg(s).env("PYTHONPATH", &site), "python3");
            assert!(
                cpython.status.success(),
                "{} fails on CPython (the test is wrong):\n{}",
                s.display(),
                String::from_utf8_lossy(&cpython.stderr)
            );
            (String::from_utf8_lossy(&cpython.stdout).into_owned(), "CPython")
        };
        assert_eq!(
            String::from_utf8_lossy(&pyrite.stdout),
            expected,
            "{}: standard output differs from {reference}'s (Pyrite's stderr:\n{})",
            s.display(),
            String::from_utf8_lossy(&pyrite.stderr)
        );
        assert!(pyrite.status.success(), "{}: exit status {:?}", s.display(), pyrite.status.code());
        println!("{}: same output as {reference} ({} lines)", s.display(), expected.lines().count());
    }
}
