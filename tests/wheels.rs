//! Real wheels from PyPI, unmodified: each `tests/wheels/*.py` names its wheel on its first
//! line (`# wheel: NAME==VERSION ...`). The test downloads the manylinux x86-64 builds with
//! `pip download` (PyPI is reachable from CI), unpacks them into one site-packages folder, and
//! runs every script on this machine's CPython and on Pyrite with that folder on
//! `PYTHONPATH`: standard output and exit status must be identical.

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

/// `NAME==VERSION` from a script's `# wheel:` line.
fn requirement(script: &Path) -> String {
    let text = std::fs::read_to_string(script).unwrap();
    let first = text.lines().next().unwrap_or_default();
    let req = first.strip_prefix("# wheel: ").unwrap_or_else(|| panic!("{}: first line must be `# wheel: NAME==VERSION`", script.display()));
    req.split_whitespace().next().unwrap().to_string()
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
    let o = run(
        Command::new("python3")
            .args(["-m", "pip", "download", "--disable-pip-version-check", "--only-binary=:all:", "--no-deps"])
            .args(["--python-version", "3.12", "--platform", "manylinux2014_x86_64", "--platform", "manylinux_2_17_x86_64"])
            .arg("-d")
            .arg(&dl)
            .args(reqs),
        "pip download",
    );
    assert!(o.status.success(), "pip download failed:\n{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr));
    let _ = std::fs::remove_dir_all(&site);
    std::fs::create_dir_all(&site).unwrap();
    for req in reqs {
        let (name, version) = req.split_once("==").unwrap();
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
    let mut reqs: Vec<String> = scripts.iter().map(|s| requirement(s)).collect();
    reqs.sort();
    reqs.dedup();
    let site = site_packages(&reqs);
    for s in &scripts {
        let cpython = run(Command::new("python3").arg(s).env("PYTHONPATH", &site), "python3");
        assert!(
            cpython.status.success(),
            "{} fails on CPython (the test is wrong):\n{}",
            s.display(),
            String::from_utf8_lossy(&cpython.stderr)
        );
        let pyrite = run(Command::new(env!("CARGO_BIN_EXE_pyrite")).arg(s).env("PYTHONPATH", &site), "pyrite");
        assert_eq!(
            String::from_utf8_lossy(&pyrite.stdout),
            String::from_utf8_lossy(&cpython.stdout),
            "{}: standard output differs from CPython's (Pyrite's stderr:\n{})",
            s.display(),
            String::from_utf8_lossy(&pyrite.stderr)
        );
        assert_eq!(pyrite.status.code(), cpython.status.code(), "{}: exit status", s.display());
        println!("{}: same output as CPython ({} lines)", s.display(), String::from_utf8_lossy(&cpython.stdout).lines().count());
    }
}
