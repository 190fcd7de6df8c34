//! The bytecode verifier (`bytecode::verify`): everything Pyrite's compiler makes from the
//! language tests, the standard-library tests and the benchmark programs passes (so all of it
//! runs in the hot loop), and code broken in each of the ways the hot loop relies on not
//! seeing fails (so it runs on the checked generic path instead).

use pyrite_vm::bytecode::instructions::op_byte;
use pyrite_vm::bytecode::verify::verify;
use pyrite_vm::compiler::{compile, Mode};
use pyrite_vm::object::{Obj, PyRef};
use pyrite_vm::objects::code::{self, CodeData};
use pyrite_vm::objects::tuple;

/// `code_obj` and the code objects among its constants, recursively.
fn walk<'a>(code_obj: &'a Obj, out: &mut Vec<&'a Obj>) {
    out.push(code_obj);
    for c in tuple::items(&code::data(code_obj).consts) {
        if code::check(c) {
            walk(c, out);
        }
    }
}

fn sources() -> Vec<std::path::PathBuf> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut files = Vec::new();
    for dir in ["tests/lang", "tests/stdlib", "bench/programs"] {
        for e in std::fs::read_dir(root.join(dir)).expect("the directory exists") {
            let p = e.expect("a directory entry").path();
            if p.extension().is_some_and(|x| x == "py") {
                files.push(p);
            }
        }
    }
    files.sort();
    files
}

#[test]
fn compiled_code_passes() {
    pyrite_vm::initialize();
    let mut checked = 0;
    for path in sources() {
        let src = std::fs::read_to_string(&path).expect("a readable source");
        let Ok(module) = compile(&src, &path.display().to_string(), Mode::Exec) else { continue };
        let mut all = Vec::new();
        walk(&module, &mut all);
        for c in all {
            let d = code::data(c);
            if let Err(why) = verify(d) {
                panic!("{} ({}): {why}", path.display(), pyrite_vm::objects::unicode::as_str_lossy(&d.qualname));
            }
            assert!(code::verified(c));
            checked += 1;
        }
    }
    assert!(checked > 1000, "only {checked} code objects checked");
}

/// A copy of `d` with its bytecode and stack size replaced.
fn with_code(d: &CodeData, code: Vec<u16>, stacksize: u32) -> CodeData {
    CodeData { positions: vec![Default::default(); code.len()], code, stacksize, ..d.clone() }
}

fn unit(op: u8, arg: u8) -> u16 {
    op as u16 | (arg as u16) << 8
}

#[test]
fn broken_code_fails() {
    pyrite_vm::initialize();
    // def f(a): return a  -- one local, constants (None,), stack size >= 1.
    let module: PyRef = compile("def f(a):\n    return a\n", "<verify>", Mode::Exec).expect("compiles");
    let f = tuple::items(&code::data(&module).consts).iter().copied().find(|c| code::check(c)).expect("f's code");
    let d = code::data(f);
    assert_eq!(verify(d), Ok(()));
    let ok = vec![unit(op_byte::RESUME, 0), unit(op_byte::LOAD_FAST, 0), unit(op_byte::RETURN_VALUE, 0)];
    assert_eq!(verify(&with_code(d, ok.clone(), 1)), Ok(()));

    let cases: Vec<(&str, Vec<u16>, u32)> = vec![
        ("a local slot past the frame's", vec![unit(op_byte::LOAD_FAST, 7), unit(op_byte::RETURN_VALUE, 0)], 1),
        ("a constant past co_consts", vec![unit(op_byte::LOAD_CONST, 200), unit(op_byte::RETURN_VALUE, 0)], 1),
        ("a superinstruction's second slot out of range", vec![unit(op_byte::LOAD_FAST_LOAD_FAST, 0x09), unit(op_byte::RETURN_VALUE, 0)], 2),
        ("more values than co_stacksize", ok.clone(), 0),
        ("a pop from an empty stack", vec![unit(op_byte::POP_TOP, 0), unit(op_byte::LOAD_FAST, 0), unit(op_byte::RETURN_VALUE, 0)], 1),
        ("falling off the end", vec![unit(op_byte::LOAD_FAST, 0), unit(op_byte::POP_TOP, 0)], 1),
        ("a byte that is no opcode", vec![unit(250, 0), unit(op_byte::LOAD_FAST, 0), unit(op_byte::RETURN_VALUE, 0)], 1),
        ("a cache unit at an instruction start", vec![unit(op_byte::CACHE, 0), unit(op_byte::LOAD_FAST, 0), unit(op_byte::RETURN_VALUE, 0)], 1),
        ("a specialized form in co_code", vec![unit(op_byte::LOAD_GLOBAL_BUILTIN, 0), 0, 0, 0, 0, 0, 0, unit(op_byte::RETURN_VALUE, 0)], 1),
        // JUMP_FORWARD 1 lands in the middle of LOAD_GLOBAL's caches.
        ("a jump into an instruction's caches", vec![unit(op_byte::JUMP_FORWARD, 1), unit(op_byte::LOAD_GLOBAL, 0), 0, 0, 0, 0, 0, 0, unit(op_byte::RETURN_VALUE, 0)], 2),
        ("a backward jump before the start", vec![unit(op_byte::JUMP_BACKWARD, 9), 0], 1),
        ("an instruction cut off by the end", vec![unit(op_byte::LOAD_FAST, 0), unit(op_byte::LOAD_GLOBAL, 0), 0], 2),
        (
            "two paths with different depths",
            // LOAD_FAST; POP_JUMP_IF_TRUE +1 (over the LOAD_FAST) -> depths 0 and 1 meet.
            vec![unit(op_byte::LOAD_FAST, 0), unit(op_byte::POP_JUMP_IF_TRUE, 1), 0, unit(op_byte::LOAD_FAST, 0), unit(op_byte::LOAD_FAST, 0), unit(op_byte::RETURN_VALUE, 0)],
            2,
        ),
    ];
    for (what, code, stacksize) in cases {
        assert!(verify(&with_code(d, code, stacksize)).is_err(), "not refused: {what}");
    }
}
