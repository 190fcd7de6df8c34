//! The export table: `libpyrite.so` and the `pyrite` executable export every name of the
//! Stable ABI manifest and no Rust-mangled symbol; an unimplemented function (none is left)
//! would raise `SystemError("<name> is not implemented in Pyrite yet")`.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::process::Command;

fn manifest() -> BTreeSet<String> {
    let m = &pyrite::abi::manifest::abi3_symbols;
    m().chain(pyrite::abi::manifest::extra_exports()).map(str::to_string).collect()
}

fn dynamic_exports(path: &PathBuf) -> BTreeSet<String> {
    let o = Command::new("nm").args(["-D", "--defined-only"]).arg(path).output().expect("nm");
    assert!(o.status.success(), "nm {}", path.display());
    String::from_utf8_lossy(&o.stdout).lines().filter_map(|l| l.split_whitespace().nth(2).map(str::to_string)).collect()
}

fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_pyrite"))
}

#[test]
fn executable_exports_exactly_the_manifest() {
    let exports = dynamic_exports(&bin());
    let m = manifest();
    let missing: Vec<_> = m.difference(&exports).collect();
    let extra: Vec<_> = exports.difference(&m).collect();
    println!("pyrite exports {} symbols; manifest has {}", exports.len(), m.len());
    assert!(missing.is_empty(), "not exported: {missing:?}");
    assert!(extra.is_empty(), "exported beyond the manifest: {extra:?}");
}

#[test]
fn library_exports_the_manifest_and_only_c_api_names() {
    let lib = bin().parent().unwrap().join("libpyrite.so");
    assert!(lib.is_file(), "{} not built", lib.display());
    let exports = dynamic_exports(&lib);
    let m = manifest();
    let missing: Vec<_> = m.difference(&exports).collect();
    assert!(missing.is_empty(), "libpyrite.so does not export: {missing:?}");
    let foreign: Vec<_> = exports.iter().filter(|s| !(s.starts_with("Py") || s.starts_with("_Py"))).collect();
    println!("libpyrite.so exports {} symbols ({} beyond the manifest, all C API names)", exports.len(), exports.len() - m.len());
    assert!(foreign.is_empty(), "libpyrite.so exports non-C-API symbols: {foreign:?}");
}

#[test]
fn coverage_command_reports_from_the_export_table() {
    let o = Command::new(bin()).arg("--capi-coverage").output().unwrap();
    let out = String::from_utf8_lossy(&o.stdout);
    println!("{out}");
    assert!(o.status.success(), "{out}");
    let line = out.lines().next().unwrap();
    let nums: Vec<usize> = line
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .map(|s| s.parse().unwrap())
        .collect();
    assert_eq!(nums[..2], [952, 952], "{line}");
    assert!(nums[2] > 300 && nums[2] <= 952, "{line}");
    assert_eq!(nums[3], 952);
    assert_eq!(nums[2], 952 - pyrite::capi::generated::STUB_FUNCTIONS.len() - pyrite::capi::generated::PLACEHOLDER_TYPES.len());
}

#[test]
fn a_stub_raises_system_error_with_its_name() {
    pyrite::initialize();
    let this = libloading::os::unix::Library::this();
    // With every manifest function implemented there is no stub left to call: what each
    // generated stub does is then checked through the helper they call.
    let name = pyrite::capi::generated::STUB_FUNCTIONS.first().copied().unwrap_or("PyPyrite_Example");
    if pyrite::capi::generated::STUB_FUNCTIONS.is_empty() {
        pyrite::capi::boundary::not_implemented(name);
    } else {
        // SAFETY: every stub takes no arguments it reads and returns a pointer-sized error value.
        let stub = unsafe { this.get::<unsafe extern "C" fn() -> usize>(format!("{name}\0").as_bytes()) }.unwrap();
        let _ = unsafe { stub() };
    }
    let e = pyrite::vm::PyErr::take().expect("the stub must set an exception");
    assert!(e.is_instance(pyrite::vm::objects::exceptions::SystemError()));
    assert_eq!(format!("{e:?}"), format!("SystemError: {name} is not implemented in Pyrite yet"));
}

/// A manifest type the VM defines must not also get a generated placeholder: both would be
/// exported under one name and code would silently use the wrong object. Placeholders are
/// told apart from VM types by `tp_name`.
#[test]
fn no_placeholder_shadows_a_vm_type() {
    pyrite::initialize();
    let vm_names: std::collections::BTreeSet<String> =
        pyrite::vm::static_types().iter().map(|t| t.full_name().to_string()).collect();
    let clashes: Vec<String> = pyrite::capi::generated::placeholder_types()
        .iter()
        .map(|t| t.full_name().to_string())
        .filter(|n| vm_names.contains(n))
        .collect();
    println!("{} placeholder types, {} VM types", pyrite::capi::generated::PLACEHOLDER_TYPES.len(), vm_names.len());
    assert!(clashes.is_empty(), "placeholder types shadow VM types: {clashes:?}");
}

/// `libpyrite.so` links in place of `libpython3.so`: a C program built against CPython's
/// headers that calls `Py_BytesMain` runs Python through Pyrite, with its command line.
#[test]
fn an_embedding_program_runs_python_through_libpyrite() {
    let dir = bin().parent().unwrap().to_path_buf();
    let include = std::process::Command::new("python3")
        .args(["-c", "import sysconfig; print(sysconfig.get_paths()['include'])"])
        .output()
        .expect("python3");
    let include = String::from_utf8_lossy(&include.stdout).trim().to_string();
    let tmp = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("embed");
    std::fs::create_dir_all(&tmp).unwrap();
    let src = tmp.join("embed.c");
    std::fs::write(&src, "#include <Python.h>\nint main(int argc, char **argv) { return Py_BytesMain(argc, argv); }\n").unwrap();
    let exe = tmp.join("embed");
    let cc = std::process::Command::new(std::env::var("CC").unwrap_or_else(|_| "cc".into()))
        .arg(format!("-I{include}"))
        .arg(&src)
        .arg(format!("-L{}", dir.display()))
        .arg("-lpyrite")
        .arg("-o")
        .arg(&exe)
        .output()
        .expect("running the C compiler");
    assert!(cc.status.success(), "{}", String::from_utf8_lossy(&cc.stderr));
    let o = std::process::Command::new(&exe)
        .args(["-c", "import sys; print(sys.implementation.name, sys.argv[1:], 6 * 7); raise SystemExit(3)", "arg"])
        .env("LD_LIBRARY_PATH", &dir)
        .output()
        .expect("running the embedding program");
    assert_eq!(String::from_utf8_lossy(&o.stdout), "pyrite ['arg'] 42\n", "stderr: {}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(o.status.code(), Some(3));
}
