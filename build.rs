//! Root build script: turns the Stable ABI manifest (`abi/data/abi3_symbols.txt`, plus
//! `abi/data/extra_exports.txt`) into the
//! dynamic export list of the `pyrite` executable and the test binaries, so that an extension
//! loaded into them resolves its `Py*` symbols against this process — exactly the C API, no
//! Rust-mangled symbols. (`libpyrite.so` is a Rust `cdylib`, which exports exactly the
//! `#[unsafe(no_mangle)]` items; `tests/exports.rs` checks both against the manifest.)

use std::env;
use std::fs;
use std::path::PathBuf;

fn main() {
    let root = PathBuf::from(env::var("CARGO_MANIFEST_DIR").unwrap());
    let manifest = root.join("abi/data/abi3_symbols.txt");
    let extra = root.join("abi/data/extra_exports.txt");
    println!("cargo:rerun-if-changed={}", manifest.display());
    println!("cargo:rerun-if-changed={}", extra.display());
    let names = fs::read_to_string(&manifest).expect("abi/data/abi3_symbols.txt");
    let extra = fs::read_to_string(&extra).expect("abi/data/extra_exports.txt");
    let mut list = String::from("{\n");
    for n in names.lines().chain(extra.lines()).map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')) {
        list.push_str(&format!("  {n};\n"));
    }
    list.push_str("};\n");
    let out = PathBuf::from(env::var("OUT_DIR").unwrap()).join("pyrite.dynlist");
    fs::write(&out, list).unwrap();
    let arg = format!("-Wl,--dynamic-list={}", out.display());
    println!("cargo:rustc-link-arg-bins={arg}");
    println!("cargo:rustc-link-arg-tests={arg}");
}
