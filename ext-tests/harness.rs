//! ext-tests: C extension modules compiled against real CPython headers of several vintages
//! (and `Py_LIMITED_API` targets, and 3.15's `Py_TARGET_ABI3T`), loaded into Pyrite and run.
//! The same binaries run on CPython where one that can load them is available, so each test
//! is known to be right.
//!
//! Until Pyrite runs Python source, this harness does on Pyrite what
//! `drivers/run_module.py` does on CPython: call every `test_*` function, then the shared
//! expectations. On Pyrite it also checks that the VM's object counts stay exact: after a
//! warm-up round, further rounds must leave the number of live objects unchanged.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;

use pyrite::vm::import::extension::{self, Spec};
use pyrite::vm::object::stats;
use pyrite::vm::objects::{dict, exceptions as exc, long, module, tuple, unicode};
use pyrite::vm::{abstract_, PyRef, PyResult};

/// The VM runs one thread at a time (the GIL comes later); serialise the tests.
static VM: Mutex<()> = Mutex::new(());

struct Variant {
    label: &'static str,
    /// pyenv version whose headers to use, or "3.15" for the fetched 3.15 headers.
    headers: &'static str,
    defines: &'static [&'static str],
    suffix: &'static str,
    /// pyenv version of a CPython that can load the build (None: checked by hand with
    /// `cpython-ref python3.15`).
    cpython: Option<&'static str>,
}

fn pyenv_root() -> PathBuf {
    if let Ok(r) = std::env::var("PYENV_ROOT") {
        return PathBuf::from(r);
    }
    let out = Command::new("pyenv").arg("root").output();
    match out {
        Ok(o) if o.status.success() => PathBuf::from(String::from_utf8_lossy(&o.stdout).trim()),
        _ => PathBuf::from(std::env::var("HOME").unwrap_or_default()).join(".pyenv"),
    }
}

/// `-I`/`-idirafter` flags for a header set.
fn include_flags(headers: &str) -> Result<Vec<String>, String> {
    if headers == "3.15" {
        let out = Command::new("bash")
            .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("tools/fetch-cpython315.sh"))
            .output()
            .map_err(|e| e.to_string())?;
        if !out.status.success() {
            return Err(format!("fetching CPython 3.15 headers failed: {}", String::from_utf8_lossy(&out.stderr)));
        }
        let root = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
        let inc = root.join("usr/include");
        return Ok(vec![format!("-I{}", inc.join("python3.15").display()), format!("-idirafter{}", inc.display())]);
    }
    let base = pyenv_root().join("versions").join(headers).join("include");
    let minor: Vec<&str> = headers.split('.').collect();
    for name in [format!("python{}.{}", minor[0], minor[1]), format!("python{}.{}m", minor[0], minor[1])] {
        if base.join(&name).join("Python.h").is_file() {
            return Ok(vec![format!("-I{}", base.join(name).display())]);
        }
    }
    Err(format!("no headers for CPython {headers} under {}", base.display()))
}

/// Compiles `modules/<name>.c` for a variant; returns the path of the extension.
fn build(v: &Variant, name: &str) -> PathBuf {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("ext-tests/modules").join(format!("{name}.c"));
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("ext-tests").join(v.label);
    std::fs::create_dir_all(&dir).unwrap();
    let out = dir.join(format!("{name}{}", v.suffix));
    let mut cmd = Command::new(std::env::var("CC").unwrap_or_else(|_| "cc".into()));
    cmd.args(["-shared", "-fPIC", "-O2", "-g", "-Wall", "-Werror", "-Wno-unused-parameter", "-Wno-missing-field-initializers"]);
    cmd.args(include_flags(v.headers).unwrap_or_else(|e| panic!("{}: {e}", v.label)));
    for d in v.defines {
        cmd.arg(format!("-D{d}"));
    }
    cmd.arg(&src).arg("-o").arg(&out);
    let o = cmd.output().expect("running the C compiler");
    assert!(o.status.success(), "{}: compiling {name} failed:\n{}", v.label, String::from_utf8_lossy(&o.stderr));
    out
}

fn call(m: &pyrite::vm::Obj, f: &str, args: Vec<PyRef>) -> PyResult<PyRef> {
    let func = abstract_::getattr_str(m, f)?;
    abstract_::call(&func, &tuple::new_from_owned(args), None)
}

fn repr(o: &pyrite::vm::Obj) -> String {
    unicode::as_str_lossy(&abstract_::repr(o).unwrap()).into_owned()
}

/// What `drivers/run_module.py` asserts for objmodel, on Pyrite.
fn objmodel_expectations(m: &pyrite::vm::Obj) -> PyResult<()> {
    let r = call(m, "add_ints", vec![long::from_i64(2), long::from_i64(40)])?;
    assert_eq!(long::to_i64(&r), Some(42));
    let e = call(m, "add_ints", vec![unicode::new("x"), long::from_i64(1)]).expect_err("add_ints('x', 1) must raise");
    assert!(e.is_instance(exc::TypeError()), "{e:?}");
    assert_eq!(format!("{e:?}"), "TypeError: 'str' object cannot be interpreted as an integer");
    let e = call(m, "return_null_without_error", vec![]).expect_err("must raise SystemError");
    assert!(e.is_instance(exc::SystemError()), "{e:?}");
    assert!(format!("{e:?}").contains("returned NULL without setting an exception"), "{e:?}");
    let c = call(m, "make_containers", vec![])?;
    assert_eq!(repr(&c), "([42, 'text', 2.5], {'a': 1, 'b': (2, 3)}, b'raw')");
    assert_eq!(long::to_i64(&*call(m, "store", vec![c.clone()])?), Some(1));
    assert_eq!(long::to_i64(&*call(m, "store", vec![unicode::new("x")])?), Some(2));
    call(m, "release_stored", vec![])?;
    let add = abstract_::getattr_str(m, "add_ints")?;
    let r = call(m, "call_with", vec![add, long::from_i64(1), long::from_i64(2)])?;
    assert_eq!(long::to_i64(&r), Some(3));
    Ok(())
}

/// Runs every `test_*` function of the module `rounds` times.
fn run_tests(m: &pyrite::vm::Obj, rounds: usize) -> usize {
    let d = module::dict_of(m);
    let mut names: Vec<String> = dict::items_vec(d)
        .into_iter()
        .filter_map(|(k, _)| unicode::as_str(&k).ok().map(str::to_string))
        .filter(|n| n.starts_with("test_"))
        .collect();
    names.sort();
    for _ in 0..rounds {
        for n in &names {
            match call(m, n, vec![]) {
                Ok(r) => assert!(r.is(pyrite::vm::objects::none::none_obj()), "{n} returned {}", repr(&r)),
                Err(e) => panic!("{n} failed on Pyrite: {e:?}"),
            }
        }
    }
    names.len()
}

fn run_on_pyrite(v: &Variant, path: &Path, name: &str) {
    let _guard = VM.lock().unwrap_or_else(|p| p.into_inner());
    pyrite::initialize();
    let spec = Spec { name: name.to_string(), origin: path.display().to_string() };
    let m = extension::load(path, &spec).unwrap_or_else(|e| panic!("{}: loading {name} failed: {e:?}", v.label));
    let limited = abstract_::getattr_str(&m, "LIMITED_API").ok().and_then(|v| long::to_i64(&v)).unwrap_or(0);
    // Warm-up: first calls may create lasting objects (interned names, caches).
    let ntests = run_tests(&m, 1);
    if name == "objmodel" {
        objmodel_expectations(&m).unwrap();
    }
    if name == "multiphase" {
        multiphase_expectations(&m).unwrap();
    }
    // Cyclic garbage is collected before each count (an automatic collection in between
    // would otherwise make the count shrink).
    pyrite::vm::gc::collect(false);
    let live_before = stats::live();
    let deallocated_before = stats::deallocated();
    run_tests(&m, 3);
    if name == "objmodel" {
        objmodel_expectations(&m).unwrap();
    }
    pyrite::vm::gc::collect(false);
    let live_after = stats::live();
    assert_eq!(live_after, live_before, "{}: live objects changed by {} over 3 rounds (leak or early free)", v.label, live_after - live_before);
    let freed = stats::deallocated() - deallocated_before;
    if name == "objmodel" {
        assert!(freed > 1000, "{}: only {freed} objects were deallocated in 3 rounds", v.label);
    }
    println!(
        "{}: {name} (Py_LIMITED_API=0x{limited:08x}) {ntests} tests x4 passed on Pyrite; live objects unchanged, {freed} freed",
        v.label
    );
}

/// A command running the CPython that can load a build: pyenv's for 3.6-3.13; for 3.15 the
/// command in `PYRITE_PYTHON315` (e.g. `../shared/tools/cpython-ref python3.15`, which needs
/// the working directory to be the repository), if set. Paths given to it are relative to the
/// repository root.
fn cpython(version: &str) -> Option<Command> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    if version == "3.15" {
        let cmd = std::env::var("PYRITE_PYTHON315").ok()?;
        let mut words = cmd.split_whitespace();
        let mut c = Command::new(words.next()?);
        c.args(words).current_dir(root);
        return Some(c);
    }
    let python = pyenv_root().join("versions").join(version).join("bin/python3");
    python.is_file().then(|| {
        let mut c = Command::new(python);
        c.current_dir(root);
        c
    })
}

/// `path` relative to the repository root (the 3.15 reference runs in a chroot of it).
fn rel(path: &Path) -> PathBuf {
    path.strip_prefix(env!("CARGO_MANIFEST_DIR")).map(Path::to_path_buf).unwrap_or_else(|_| path.to_path_buf())
}

fn run_on_cpython(v: &Variant, path: &Path, name: &str) {
    let Some(version) = v.cpython else { return };
    let Some(mut cmd) = cpython(version) else {
        println!("{}: no CPython {version} here, skipping the CPython run (set PYRITE_PYTHON315 for 3.15)", v.label);
        return;
    };
    let o = cmd.arg("ext-tests/drivers/run_module.py").arg(rel(path)).arg(name).output().expect("running CPython");
    assert!(
        o.status.success(),
        "{}: the test failed on CPython {version} (the test itself is wrong):\n{}{}",
        v.label,
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    print!("{}: {}", v.label, String::from_utf8_lossy(&o.stdout));
}

/// What `drivers/run_module.py` asserts for multiphase, on Pyrite.
fn multiphase_expectations(m: &pyrite::vm::Obj) -> PyResult<()> {
    assert!(call(m, "created_by_create_slot", vec![])?.is(pyrite::vm::objects::bool_::_Py_TrueStruct.obj()));
    assert_eq!(repr(&*abstract_::getattr_str(m, "EXECUTED")?), "'both exec slots ran in order'");
    let first = long::to_i64(&*call(m, "increment", vec![])?).unwrap();
    assert_eq!(long::to_i64(&*call(m, "increment", vec![])?), Some(first + 1));
    assert_eq!(repr(&*call(m, "kept", vec![])?), "('kept', 7)");
    Ok(())
}

fn check(v: &Variant, module: &str) {
    let path = build(v, module);
    run_on_cpython(v, &path, module);
    run_on_pyrite(v, &path, module);
}

macro_rules! variants {
    ($($module:literal $test:ident: $headers:literal, [$($d:literal),*], $suffix:literal, $cpython:expr;)*) => {$(
        #[test]
        fn $test() {
            let v = Variant { label: stringify!($test), headers: $headers, defines: &[$($d),*], suffix: $suffix, cpython: $cpython };
            check(&v, $module);
        }
    )*};
}

/// Builds a failing module and checks that importing it raises `exc_name` with `fragment` in
/// the message, on CPython (when one can load the build) and on Pyrite.
fn check_import_error(v: &Variant, exc_name: &str, fragment: &str) {
    let path = build(v, "initfail");
    if let Some(version) = v.cpython {
        if let Some(mut cmd) = cpython(version) {
            let o = cmd
                .args(["ext-tests/drivers/run_module.py", "--expect-error"])
                .arg(rel(&path))
                .args(["initfail", exc_name, fragment])
                .output()
                .expect("running CPython");
            assert!(
                o.status.success(),
                "{}: on CPython {version}:\n{}{}",
                v.label,
                String::from_utf8_lossy(&o.stdout),
                String::from_utf8_lossy(&o.stderr)
            );
            print!("{}: CPython {version}: {}", v.label, String::from_utf8_lossy(&o.stdout));
        }
    }
    let _guard = VM.lock().unwrap_or_else(|p| p.into_inner());
    pyrite::initialize();
    let spec = Spec { name: "initfail".into(), origin: path.display().to_string() };
    let e = extension::load(&path, &spec).expect_err("importing initfail must fail");
    let shown = format!("{e:?}");
    assert!(shown.starts_with(&format!("{exc_name}: ")), "{}: expected {exc_name}, got {shown}", v.label);
    assert!(shown.contains(fragment), "{}: {fragment:?} not in {shown:?}", v.label);
    println!("{}: Pyrite: import raised {shown}", v.label);
}

macro_rules! import_errors {
    ($($test:ident: $headers:literal, $case:literal, $cpython:expr => $exc:literal, $fragment:literal;)*) => {$(
        #[test]
        fn $test() {
            let v = Variant { label: stringify!($test), headers: $headers, defines: &[$case], suffix: ".abi3.so", cpython: $cpython };
            check_import_error(&v, $exc, $fragment);
        }
    )*};
}

import_errors! {
    initfail_null_without_error: "3.8.18", "CASE_NULL_WITHOUT_ERROR", Some("3.11.7")
        => "SystemError", "initialization of initfail failed without raising an exception";
    initfail_raises: "3.11.7", "CASE_RAISES", Some("3.11.7") => "RuntimeError", "initfail refuses to load";
    initfail_missing_symbol: "3.11.7", "CASE_MISSING_SYMBOL", Some("3.11.7") => "ImportError", "undefined symbol: PyPyrite_NoSuchFunction";
    initfail_exec_fails: "3.11.7", "CASE_EXEC_FAILS", Some("3.11.7") => "ValueError", "exec slot failed";
    initfail_no_init_function: "3.11.7", "CASE_NO_INIT", Some("3.11.7") => "ImportError", "dynamic module does not define module export function";
    initfail_future_abi: "3.15", "CASE_FUTURE_ABI", Some("3.15") => "ImportError", "initfail: incompatible future stable ABI version (3.16)";
    initfail_no_abi_slot: "3.15", "CASE_NO_ABI_SLOT", Some("3.15")
        => "SystemError", "module initfail does not define Py_mod_abi, which is mandatory for modules defined from slots only.";
}

variants! {
    "objmodel" objmodel_h36_limited_3_2: "3.6.15", ["Py_LIMITED_API=0x03020000"], ".abi3.so", Some("3.11.7");
    "objmodel" objmodel_h38_limited_3_2: "3.8.18", ["Py_LIMITED_API=0x03020000"], ".abi3.so", Some("3.11.7");
    "objmodel" objmodel_h311_limited_3_11: "3.11.7", ["Py_LIMITED_API=0x030B0000"], ".abi3.so", Some("3.11.7");
    // CPython 3.12.1's headers compile Py_RETURN_NONE without an incref even for
    // Py_LIMITED_API < 3.12 (fixed in later 3.12 releases), so this build loses a reference
    // to None per call on CPython <= 3.11; it runs correctly where None is immortal.
    "objmodel" objmodel_h312_limited_3_2: "3.12.1", ["Py_LIMITED_API=0x03020000"], ".abi3.so", Some("3.12.1");
    "objmodel" objmodel_h312_limited_3_12: "3.12.1", ["Py_LIMITED_API=0x030C0000"], ".abi3.so", Some("3.12.1");
    "objmodel" objmodel_h313_limited_3_2: "3.13.0", ["Py_LIMITED_API=0x03020000"], ".abi3.so", Some("3.13.0");
    "objmodel" objmodel_h313_limited_3_12: "3.13.0", ["Py_LIMITED_API=0x030C0000"], ".abi3.so", Some("3.13.0");
    "objmodel" objmodel_h315_limited_3_15: "3.15", ["Py_LIMITED_API=0x030F0000"], ".abi3.so", Some("3.15");
    "objmodel" objmodel_h315_abi3t: "3.15", ["Py_TARGET_ABI3T=0x030F0000"], ".abi3t.so", Some("3.15");
    "multiphase" multiphase_h36_limited_3_5: "3.6.15", ["Py_LIMITED_API=0x03050000"], ".abi3.so", Some("3.11.7");
    "multiphase" multiphase_h313_limited_3_13: "3.13.0", ["Py_LIMITED_API=0x030D0000"], ".abi3.so", Some("3.13.0");
    "multiphase" multiphase_h315_limited_3_15: "3.15", ["Py_LIMITED_API=0x030F0000"], ".abi3.so", Some("3.15");
}

/// The loader finds an extension under each filename suffix CPython 3.15 accepts on Linux,
/// in CPython's order of preference.
#[test]
fn finder_accepts_cpython_315_suffixes() {
    let v = Variant { label: "finder", headers: "3.11.7", defines: &["Py_LIMITED_API=0x030B0000"], suffix: ".abi3.so", cpython: None };
    let built = build(&v, "objmodel");
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("ext-tests/finder-suffixes");
    for suffix in extension::EXTENSION_SUFFIXES {
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::copy(&built, dir.join(format!("objmodel{suffix}"))).unwrap();
        let found = extension::find_in(&dir, "objmodel").unwrap_or_else(|| panic!("{suffix} not found"));
        assert!(found.to_string_lossy().ends_with(suffix));
        let _guard = VM.lock().unwrap_or_else(|p| p.into_inner());
        pyrite::initialize();
        let spec = Spec { name: "objmodel".into(), origin: found.display().to_string() };
        let m = extension::load(&found, &spec).unwrap_or_else(|e| panic!("{suffix}: {e:?}"));
        assert_eq!(long::to_i64(&*call(&m, "add_ints", vec![long::from_i64(1), long::from_i64(1)]).unwrap()), Some(2));
    }
    // With several present, the version-specific name wins, then abi3, then abi3t, then plain.
    // (A fresh folder: never overwrite a file that is mapped by an earlier dlopen.)
    let dir = dir.with_file_name("finder-preference");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    for suffix in extension::EXTENSION_SUFFIXES {
        std::fs::copy(&built, dir.join(format!("objmodel{suffix}"))).unwrap();
    }
    assert!(extension::find_in(&dir, "objmodel").unwrap().to_string_lossy().ends_with(".cpython-315-x86_64-linux-gnu.so"));
    println!("found and loaded objmodel under {:?}", extension::EXTENSION_SUFFIXES);
}

/// Runs an area's module (`modules/<module>.c`, built for `v`) under
/// `drivers/run_area.py`: on CPython when one can load the build (so the test is known to be
/// right), then on the `pyrite` binary, where the driver also checks live-object counts.
fn check_area(v: &Variant, module: &str) {
    let path = build(v, module);
    let dir = path.parent().unwrap();
    let driver = Path::new(env!("CARGO_MANIFEST_DIR")).join("ext-tests/drivers/run_area.py");
    if let Some(version) = v.cpython {
        match cpython(version) {
            Some(mut cmd) => {
                let o = cmd.arg(rel(&driver)).arg(rel(dir)).arg(module).output().expect("running CPython");
                assert!(
                    o.status.success(),
                    "{}: {module} failed on CPython {version} (the test itself is wrong):\n{}{}",
                    v.label,
                    String::from_utf8_lossy(&o.stdout),
                    String::from_utf8_lossy(&o.stderr)
                );
                print!("{}: {}", v.label, String::from_utf8_lossy(&o.stdout));
            }
            None => println!("{}: no CPython {version} here, skipping the CPython run (set PYRITE_PYTHON315 for 3.15)", v.label),
        }
    }
    let o = Command::new(env!("CARGO_BIN_EXE_pyrite")).arg(&driver).arg(dir).arg(module).output().expect("running pyrite");
    assert!(
        o.status.success(),
        "{}: {module} failed on Pyrite:\n{}{}",
        v.label,
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    print!("{}: {}", v.label, String::from_utf8_lossy(&o.stdout));
}

/// One test per (area module, header set): see `check_area`.
macro_rules! areas {
    ($($module:literal $test:ident: $headers:literal, [$($d:literal),*], $suffix:literal, $cpython:expr;)*) => {$(
        #[test]
        fn $test() {
            let v = Variant { label: stringify!($test), headers: $headers, defines: &[$($d),*], suffix: $suffix, cpython: $cpython };
            check_area(&v, $module);
        }
    )*};
}

// The C API by header area. Each module is built with old headers where its API existed then,
// with 3.15's limited API and (where the API is in abi3t) for 3.15's free-threaded target.
areas! {
    "capsule" capsule_h36_limited_3_2: "3.6.15", ["Py_LIMITED_API=0x03020000"], ".abi3.so", Some("3.11.7");
    "capsule" capsule_h315_limited_3_15: "3.15", ["Py_LIMITED_API=0x030F0000"], ".abi3.so", Some("3.15");
    "capsule" capsule_h315_abi3t: "3.15", ["Py_TARGET_ABI3T=0x030F0000"], ".abi3t.so", Some("3.15");
    "containers" containers_h36_limited_3_2: "3.6.15", ["Py_LIMITED_API=0x03020000"], ".abi3.so", Some("3.11.7");
    "containers" containers_h313_limited_3_13: "3.13.0", ["Py_LIMITED_API=0x030D0000"], ".abi3.so", Some("3.13.0");
    "containers" containers_h315_limited_3_15: "3.15", ["Py_LIMITED_API=0x030F0000"], ".abi3.so", Some("3.15");
    "containers" containers_h315_abi3t: "3.15", ["Py_TARGET_ABI3T=0x030F0000"], ".abi3t.so", Some("3.15");
    "text" text_h38_limited_3_7: "3.8.18", ["Py_LIMITED_API=0x03070000"], ".abi3.so", Some("3.11.7");
    "text" text_h313_limited_3_13: "3.13.0", ["Py_LIMITED_API=0x030D0000"], ".abi3.so", Some("3.13.0");
    "text" text_h315_limited_3_15: "3.15", ["Py_LIMITED_API=0x030F0000"], ".abi3.so", Some("3.15");
    "text" text_h315_abi3t: "3.15", ["Py_TARGET_ABI3T=0x030F0000"], ".abi3t.so", Some("3.15");
    "objects" objects_h36_limited_3_2: "3.6.15", ["Py_LIMITED_API=0x03020000"], ".abi3.so", Some("3.11.7");
    "objects" objects_h313_limited_3_13: "3.13.0", ["Py_LIMITED_API=0x030D0000"], ".abi3.so", Some("3.13.0");
    "objects" objects_h315_limited_3_15: "3.15", ["Py_LIMITED_API=0x030F0000"], ".abi3.so", Some("3.15");
    "objects" objects_h315_abi3t: "3.15", ["Py_TARGET_ABI3T=0x030F0000"], ".abi3t.so", Some("3.15");
    "numbers" numbers_h36_limited_3_2: "3.6.15", ["Py_LIMITED_API=0x03020000"], ".abi3.so", Some("3.11.7");
    "numbers" numbers_h313_limited_3_13: "3.13.0", ["Py_LIMITED_API=0x030D0000"], ".abi3.so", Some("3.13.0");
    "numbers" numbers_h315_limited_3_15: "3.15", ["Py_LIMITED_API=0x030F0000"], ".abi3.so", Some("3.15");
    "numbers" numbers_h315_abi3t: "3.15", ["Py_TARGET_ABI3T=0x030F0000"], ".abi3t.so", Some("3.15");
    "lifecycle" lifecycle_h36_limited_3_2: "3.6.15", ["Py_LIMITED_API=0x03020000"], ".abi3.so", Some("3.11.7");
    "lifecycle" lifecycle_h315_abi3t: "3.15", ["Py_TARGET_ABI3T=0x030F0000"], ".abi3t.so", Some("3.15");
    "threads" threads_h36_limited_3_2: "3.6.15", ["Py_LIMITED_API=0x03020000"], ".abi3.so", Some("3.11.7");
    "threads" threads_h311_limited_3_11: "3.11.7", ["Py_LIMITED_API=0x030B0000"], ".abi3.so", Some("3.11.7");
    "threads" threads_h315_limited_3_15: "3.15", ["Py_LIMITED_API=0x030F0000"], ".abi3.so", Some("3.15");
    "threads" threads_h315_abi3t: "3.15", ["Py_TARGET_ABI3T=0x030F0000"], ".abi3t.so", Some("3.15");
    "typespec" typespec_h36_limited_3_4: "3.6.15", ["Py_LIMITED_API=0x03040000"], ".abi3.so", Some("3.11.7");
    "typespec" typespec_h311_limited_3_10: "3.11.7", ["Py_LIMITED_API=0x030A0000"], ".abi3.so", Some("3.11.7");
    "typespec" typespec_h313_limited_3_13: "3.13.0", ["Py_LIMITED_API=0x030D0000"], ".abi3.so", Some("3.13.0");
    "typespec" typespec_h315_limited_3_15: "3.15", ["Py_LIMITED_API=0x030F0000"], ".abi3.so", Some("3.15");
    "typespec" typespec_h315_abi3t: "3.15", ["Py_TARGET_ABI3T=0x030F0000"], ".abi3t.so", Some("3.15");
    "abstract" abstract_h36_limited_3_2: "3.6.15", ["Py_LIMITED_API=0x03020000"], ".abi3.so", Some("3.11.7");
    "abstract" abstract_h311_limited_3_11: "3.11.7", ["Py_LIMITED_API=0x030B0000"], ".abi3.so", Some("3.11.7");
    "abstract" abstract_h315_limited_3_15: "3.15", ["Py_LIMITED_API=0x030F0000"], ".abi3.so", Some("3.15");
    "cycles" cycles_h36_limited_3_2: "3.6.15", ["Py_LIMITED_API=0x03020000"], ".abi3.so", Some("3.11.7");
    "cycles" cycles_h311_limited_3_11: "3.11.7", ["Py_LIMITED_API=0x030B0000"], ".abi3.so", Some("3.11.7");
    "cycles" cycles_h315_limited_3_15: "3.15", ["Py_LIMITED_API=0x030F0000"], ".abi3.so", Some("3.15");
    "weakrefs" weakrefs_h36_limited_3_2: "3.6.15", ["Py_LIMITED_API=0x03020000"], ".abi3.so", Some("3.11.7");
    "weakrefs" weakrefs_h311_limited_3_11: "3.11.7", ["Py_LIMITED_API=0x030B0000"], ".abi3.so", Some("3.11.7");
    "weakrefs" weakrefs_h315_limited_3_15: "3.15", ["Py_LIMITED_API=0x030F0000"], ".abi3.so", Some("3.15");
    "weakrefs" weakrefs_h315_abi3t: "3.15", ["Py_TARGET_ABI3T=0x030F0000"], ".abi3t.so", Some("3.15");
    "buffer" buffer_h36_limited_3_2: "3.6.15", ["Py_LIMITED_API=0x03020000"], ".abi3.so", Some("3.11.7");
    "buffer" buffer_h311_limited_3_11: "3.11.7", ["Py_LIMITED_API=0x030B0000"], ".abi3.so", Some("3.11.7");
    "buffer" buffer_h315_limited_3_15: "3.15", ["Py_LIMITED_API=0x030F0000"], ".abi3.so", Some("3.15");
    "buffer" buffer_h315_abi3t: "3.15", ["Py_TARGET_ABI3T=0x030F0000"], ".abi3t.so", Some("3.15");
    "module_state" module_state_h36_limited_3_2: "3.6.15", ["Py_LIMITED_API=0x03020000"], ".abi3.so", Some("3.11.7");
    "module_state" module_state_h311_limited_3_11: "3.11.7", ["Py_LIMITED_API=0x030B0000"], ".abi3.so", Some("3.11.7");
    "module_state" module_state_h315_limited_3_15: "3.15", ["Py_LIMITED_API=0x030F0000"], ".abi3.so", Some("3.15");
    "module_state" module_state_h315_abi3t: "3.15", ["Py_TARGET_ABI3T=0x030F0000"], ".abi3t.so", Some("3.15");
    "structseq" structseq_h36_limited_3_2: "3.6.15", ["Py_LIMITED_API=0x03020000"], ".abi3.so", Some("3.11.7");
    "structseq" structseq_h315_limited_3_15: "3.15", ["Py_LIMITED_API=0x030F0000"], ".abi3.so", Some("3.15");
    "structseq" structseq_h315_abi3t: "3.15", ["Py_TARGET_ABI3T=0x030F0000"], ".abi3t.so", Some("3.15");
    "codec_api" codec_api_h36_limited_3_2: "3.6.15", ["Py_LIMITED_API=0x03020000"], ".abi3.so", Some("3.11.7");
    "codec_api" codec_api_h311_limited_3_11: "3.11.7", ["Py_LIMITED_API=0x030B0000"], ".abi3.so", Some("3.11.7");
    "codec_api" codec_api_h315_limited_3_15: "3.15", ["Py_LIMITED_API=0x030F0000"], ".abi3.so", Some("3.15");
    "unicode_codecs" unicode_codecs_h36_limited_3_3: "3.6.15", ["Py_LIMITED_API=0x03030000"], ".abi3.so", Some("3.11.7");
    "unicode_codecs" unicode_codecs_h315_limited_3_15: "3.15", ["Py_LIMITED_API=0x030F0000"], ".abi3.so", Some("3.15");
    "unicode_codecs" unicode_codecs_h315_abi3t: "3.15", ["Py_TARGET_ABI3T=0x030F0000"], ".abi3t.so", Some("3.15");
    "sysmod" sysmod_h36_limited_3_2: "3.6.15", ["Py_LIMITED_API=0x03020000"], ".abi3.so", Some("3.11.7");
    "sysmod" sysmod_h311_limited_3_11: "3.11.7", ["Py_LIMITED_API=0x030B0000"], ".abi3.so", Some("3.11.7");
    "sysmod" sysmod_h315_limited_3_15: "3.15", ["Py_LIMITED_API=0x030F0000"], ".abi3.so", Some("3.15");
    "sysmod" sysmod_h315_abi3t: "3.15", ["Py_TARGET_ABI3T=0x030F0000"], ".abi3t.so", Some("3.15");
    "codec_api" codec_api_h315_abi3t: "3.15", ["Py_TARGET_ABI3T=0x030F0000"], ".abi3t.so", Some("3.15");
    "descr_members" descr_members_h311_limited_3_11: "3.11.7", ["Py_LIMITED_API=0x030B0000"], ".abi3.so", Some("3.11.7");
    "descr_members" descr_members_h315_limited_3_15: "3.15", ["Py_LIMITED_API=0x030F0000"], ".abi3.so", Some("3.15");
    "long_export" long_export_h315_limited_3_15: "3.15", ["Py_LIMITED_API=0x030F0000"], ".abi3.so", Some("3.15");
    "long_export" long_export_h315_abi3t: "3.15", ["Py_TARGET_ABI3T=0x030F0000"], ".abi3t.so", Some("3.15");
    "runtime" runtime_h311_limited_3_11: "3.11.7", ["Py_LIMITED_API=0x030B0000"], ".abi3.so", Some("3.11.7");
    "runtime" runtime_h315_limited_3_15: "3.15", ["Py_LIMITED_API=0x030F0000"], ".abi3.so", Some("3.15");
    "ob_types" ob_types_h311_limited_3_11: "3.11.7", ["Py_LIMITED_API=0x030B0000"], ".abi3.so", Some("3.11.7");
    "ob_types" ob_types_h315_limited_3_15: "3.15", ["Py_LIMITED_API=0x030F0000"], ".abi3.so", Some("3.15");
    "ob_types" ob_types_h315_abi3t: "3.15", ["Py_TARGET_ABI3T=0x030F0000"], ".abi3t.so", Some("3.15");
    // PY_SSIZE_T_CLEAN with headers before 3.13 calls the _SizeT names; without it the plain ones.
    "ob_args" ob_args_h36_limited_3_3: "3.6.15", ["Py_LIMITED_API=0x03030000"], ".abi3.so", Some("3.11.7");
    "ob_args" ob_args_h311_limited_3_11_clean: "3.11.7", ["Py_LIMITED_API=0x030B0000", "PY_SSIZE_T_CLEAN"], ".abi3.so", Some("3.11.7");
    "ob_args" ob_args_h315_limited_3_15: "3.15", ["Py_LIMITED_API=0x030F0000"], ".abi3.so", Some("3.15");
    "ob_args" ob_args_h315_abi3t: "3.15", ["Py_TARGET_ABI3T=0x030F0000"], ".abi3t.so", Some("3.15");
    "ob_objects2" ob_objects2_h311_limited_3_11: "3.11.7", ["Py_LIMITED_API=0x030B0000"], ".abi3.so", Some("3.11.7");
    "ob_objects2" ob_objects2_h315_limited_3_15: "3.15", ["Py_LIMITED_API=0x030F0000"], ".abi3.so", Some("3.15");
    "ob_objects2" ob_objects2_h315_abi3t: "3.15", ["Py_TARGET_ABI3T=0x030F0000"], ".abi3t.so", Some("3.15");
    "ob_unicode2" ob_unicode2_h38_limited_3_7: "3.8.18", ["Py_LIMITED_API=0x03070000"], ".abi3.so", Some("3.11.7");
    "ob_unicode2" ob_unicode2_h315_limited_3_15: "3.15", ["Py_LIMITED_API=0x030F0000"], ".abi3.so", Some("3.15");
    "ob_unicode2" ob_unicode2_h315_abi3t: "3.15", ["Py_TARGET_ABI3T=0x030F0000"], ".abi3t.so", Some("3.15");
    "ob_module2" ob_module2_h311_limited_3_11: "3.11.7", ["Py_LIMITED_API=0x030B0000"], ".abi3.so", Some("3.11.7");
    "ob_module2" ob_module2_h315_limited_3_15: "3.15", ["Py_LIMITED_API=0x030F0000"], ".abi3.so", Some("3.15");
    "ob_module2" ob_module2_h315_abi3t: "3.15", ["Py_TARGET_ABI3T=0x030F0000"], ".abi3t.so", Some("3.15");
    "rt_errors" rt_errors_h36_limited_3_2: "3.6.15", ["Py_LIMITED_API=0x03020000"], ".abi3.so", Some("3.11.7");
    "rt_errors" rt_errors_h311_limited_3_11: "3.11.7", ["Py_LIMITED_API=0x030B0000"], ".abi3.so", Some("3.11.7");
    "rt_errors" rt_errors_h313_limited_3_13: "3.13.0", ["Py_LIMITED_API=0x030D0000"], ".abi3.so", Some("3.13.0");
    "rt_errors" rt_errors_h315_limited_3_15: "3.15", ["Py_LIMITED_API=0x030F0000"], ".abi3.so", Some("3.15");
    "rt_errors" rt_errors_h315_abi3t: "3.15", ["Py_TARGET_ABI3T=0x030F0000"], ".abi3t.so", Some("3.15");
    "rt_import" rt_import_h36_limited_3_2: "3.6.15", ["Py_LIMITED_API=0x03020000"], ".abi3.so", Some("3.11.7");
    "rt_import" rt_import_h311_limited_3_11: "3.11.7", ["Py_LIMITED_API=0x030B0000"], ".abi3.so", Some("3.11.7");
    "rt_import" rt_import_h315_limited_3_15: "3.15", ["Py_LIMITED_API=0x030F0000"], ".abi3.so", Some("3.15");
    "rt_import" rt_import_h315_abi3t: "3.15", ["Py_TARGET_ABI3T=0x030F0000"], ".abi3t.so", Some("3.15");
    "rt_threads2" rt_threads2_h311_limited_3_11: "3.11.7", ["Py_LIMITED_API=0x030B0000"], ".abi3.so", Some("3.11.7");
    "rt_threads2" rt_threads2_h313_limited_3_11: "3.13.0", ["Py_LIMITED_API=0x030B0000"], ".abi3.so", Some("3.13.0");
    "rt_threads2" rt_threads2_h315_limited_3_15: "3.15", ["Py_LIMITED_API=0x030F0000"], ".abi3.so", Some("3.15");
    "rt_threads2" rt_threads2_h315_abi3t: "3.15", ["Py_TARGET_ABI3T=0x030F0000"], ".abi3t.so", Some("3.15");
    "rt_life" rt_life_h311_limited_3_11: "3.11.7", ["Py_LIMITED_API=0x030B0000"], ".abi3.so", Some("3.11.7");
    "rt_life" rt_life_h313_limited_3_13: "3.13.0", ["Py_LIMITED_API=0x030D0000"], ".abi3.so", Some("3.13.0");
    "rt_life" rt_life_h315_limited_3_15: "3.15", ["Py_LIMITED_API=0x030F0000"], ".abi3.so", Some("3.15");
    "rt_life" rt_life_h315_abi3t: "3.15", ["Py_TARGET_ABI3T=0x030F0000"], ".abi3t.so", Some("3.15");
    "rt_subinterp" rt_subinterp_h311_limited_3_11: "3.11.7", ["Py_LIMITED_API=0x030B0000"], ".abi3.so", Some("3.11.7");
    "rt_subinterp" rt_subinterp_h315_limited_3_15: "3.15", ["Py_LIMITED_API=0x030F0000"], ".abi3.so", Some("3.15");
    "rt_subinterp" rt_subinterp_h315_abi3t: "3.15", ["Py_TARGET_ABI3T=0x030F0000"], ".abi3t.so", Some("3.15");
}

/// `Py_AtExit` functions run when the interpreter ends, last registered first: the same
/// program on CPython and on Pyrite prints the same lines after its own.
#[test]
fn atexit_functions_run_at_the_end() {
    let v = Variant { label: "atexit", headers: "3.6.15", defines: &["Py_LIMITED_API=0x03020000"], suffix: ".abi3.so", cpython: Some("3.11.7") };
    let path = build(&v, "lifecycle");
    let dir = path.parent().unwrap().display().to_string();
    let program = format!("import sys; sys.path.insert(0, {dir:?}); import lifecycle; lifecycle.register_atexit(); print('main done', flush=True)");
    let expected = "main done\nsecond registered, runs first\nfirst registered, runs last\n";
    if let Some(mut cmd) = cpython("3.11.7") {
        let o = cmd.args(["-c", &program]).output().expect("running CPython");
        assert_eq!(String::from_utf8_lossy(&o.stdout), expected, "on CPython (the test is wrong)");
    }
    let o = Command::new(env!("CARGO_BIN_EXE_pyrite")).args(["-c", &program]).output().expect("running pyrite");
    assert_eq!(String::from_utf8_lossy(&o.stdout), expected, "on Pyrite; stderr: {}", String::from_utf8_lossy(&o.stderr));
}
