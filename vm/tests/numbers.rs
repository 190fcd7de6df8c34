//! int, float, complex and bool against CPython 3.15, differentially: every case of
//! `data/numbers.tsv` (generated on the reference interpreter by
//! `tools/gen-number-cases.py`, which documents the format) runs on Pyrite, and the repr of
//! the result — or the exception's type and message — must be CPython's, character for
//! character.

use pyrite_vm::number::{self, BinaryOp, UnaryOp};
use pyrite_vm::object::stats;
use pyrite_vm::objects::{bool_, bytes, complex, dict, float, list, long, none, tuple, unicode};
use pyrite_vm::{abstract_, Obj, PyRef, PyResult};

const DATA: &str = include_str!("data/numbers.tsv");

/// The live-object count is process-wide: the tests of this file take turns (`cargo test`
/// runs them on threads of one process; nextest gives each its own process).
static SERIAL: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn init() {
    pyrite_vm::initialize();
}

fn hex_decode(s: &str) -> Vec<u8> {
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect()
}

/// Builds an operand from its typed encoding (`i:12`, `f:1.5`, `c:1.0,2.0`, ...).
fn operand(s: &str) -> PyRef {
    let (tag, v) = s.split_once(':').unwrap_or_else(|| panic!("bad operand {s:?}"));
    match tag {
        "i" => long::from_str_radix(v, 10).unwrap(),
        "x" => long::from_str_radix(v, 16).unwrap(),
        "f" => float::new(v.parse().unwrap()),
        "c" => {
            let (re, im) = v.split_once(',').unwrap();
            complex::from_doubles(re.parse().unwrap(), im.parse().unwrap())
        }
        "b" => bool_::new(v == "True"),
        "s" => unicode::new(&String::from_utf8(hex_decode(v)).unwrap()),
        "y" => bytes::new(&hex_decode(v)),
        "n" => none::none(),
        "L" => {
            let items: Vec<PyRef> = if v.is_empty() { vec![] } else { v.split(';').map(operand).collect() };
            let refs: Vec<&Obj> = items.iter().map(|x| &**x).collect();
            list::new_from(&refs)
        }
        _ => panic!("bad operand tag {s:?}"),
    }
}

fn binary(sym: &str) -> BinaryOp {
    match sym {
        "+" => BinaryOp::Add,
        "-" => BinaryOp::Sub,
        "*" => BinaryOp::Mul,
        "@" => BinaryOp::MatMul,
        "/" => BinaryOp::TrueDiv,
        "//" => BinaryOp::FloorDiv,
        "%" => BinaryOp::Mod,
        "**" => BinaryOp::Pow,
        "<<" => BinaryOp::LShift,
        ">>" => BinaryOp::RShift,
        "&" => BinaryOp::And,
        "|" => BinaryOp::Or,
        "^" => BinaryOp::Xor,
        _ => panic!("bad operator {sym}"),
    }
}

fn compare_op(sym: &str) -> i32 {
    ["<", "<=", "==", "!=", ">", ">="].iter().position(|s| *s == sym).expect("comparison operator") as i32
}

fn type_named(name: &str) -> &'static Obj {
    match name {
        "int" => &long::PyLong_Type,
        "float" => &float::PyFloat_Type,
        "complex" => &complex::PyComplex_Type,
        "bool" => &bool_::PyBool_Type,
        _ => panic!("bad type {name}"),
    }
}

/// Calls `f` with arguments given as operands or `name=operand` keywords.
fn call_with(f: &Obj, fields: &[&str]) -> PyResult<PyRef> {
    let mut pos = Vec::new();
    let kw = dict::new();
    for field in fields {
        match field.split_once('=') {
            Some((name, v)) if !name.contains(':') => dict::set_item_str(&kw, name, &operand(v)).unwrap(),
            _ => pos.push(operand(field)),
        }
    }
    let args = tuple::new_from_owned(pos);
    abstract_::call(f, &args, if dict::len(&kw) > 0 { Some(&kw) } else { None })
}

fn repr_of(o: &Obj) -> String {
    match abstract_::repr(o) {
        Ok(s) => unicode::as_str_lossy(&s).into_owned(),
        Err(e) => format!("<repr failed: {e:?}>"),
    }
}

/// Runs one case; returns what Pyrite answered, in the expectation's notation.
fn run(kind: &str, f: &[&str], expected: &str) -> String {
    let r: PyResult<PyRef> = match kind {
        "bin" | "binhex" => number::binary_op(&operand(f[1]), &operand(f[2]), binary(f[0])),
        "ibin" => number::inplace_op(&operand(f[1]), &operand(f[2]), binary(f[0])),
        "un" => {
            let a = operand(f[1]);
            match f[0] {
                "-" => number::unary_op(&a, UnaryOp::Neg),
                "+" => number::unary_op(&a, UnaryOp::Pos),
                "~" => number::unary_op(&a, UnaryOp::Invert),
                "abs" => number::absolute(&a),
                op => panic!("bad unary operator {op}"),
            }
        }
        "pow3" => number::power(&operand(f[0]), &operand(f[1]), Some(&operand(f[2]))),
        "divmod" => number::divmod(&operand(f[0]), &operand(f[1])),
        "cmp" => abstract_::rich_compare(&operand(f[1]), &operand(f[2]), compare_op(f[0])),
        "hash" => abstract_::hash(&operand(f[0])).map(|h| long::from_i64(h as i64)),
        "str" => abstract_::str(&operand(f[0])),
        "tobase" => number::to_base(&operand(f[1]), f[0].parse().unwrap()),
        "call" => call_with(type_named(f[0]), &f[1..]),
        "meth" => abstract_::getattr_str(&operand(f[0]), f[1]).and_then(|m| call_with(&m, &f[2..])),
        "cmeth" => abstract_::getattr_str(type_named(f[0]), f[1]).and_then(|m| call_with(&m, &f[2..])),
        "attr" => abstract_::getattr_str(&operand(f[0]), f[1]),
        "nativebytes" => long::as_native_bytes(&operand(f[0]), f[1].parse().unwrap(), f[2].parse().unwrap()).map(|(b, n)| {
            let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
            tuple::new_from_owned(vec![long::from_usize(n), unicode::new(&hex)])
        }),
        "fromnative" => Ok(long::from_native_bytes(&hex_decode(f[0]), f[1].parse().unwrap(), f[2] == "1")),
        _ => panic!("bad case kind {kind}"),
    };
    match r {
        Ok(v) if kind == "binhex" && long::check(&v) => format!("='{}'", long::format_base(&v, 16).unwrap()),
        Ok(v) if expected.starts_with("=#") && long::check(&v) => format!("=#{}", long::format_base(&v, 16).unwrap()),
        Ok(v) => format!("={}", repr_of(&v)),
        Err(e) => format!("!{e:?}"),
    }
}

fn clip(s: &str) -> String {
    if s.len() <= 300 { s.to_string() } else { format!("{}... ({} chars)", &s[..s.floor_char_boundary(300)], s.len()) }
}

/// Runs every case of the table; returns (cases run, failures described).
fn run_table() -> (usize, Vec<String>) {
    let mut failures = Vec::new();
    let mut n = 0;
    for (lineno, line) in DATA.lines().enumerate() {
        let fields: Vec<&str> = line.split('\t').collect();
        let (kind, rest) = fields.split_first().unwrap();
        let (expected, args) = rest.split_last().unwrap();
        let got = run(kind, args, expected);
        n += 1;
        if got != *expected {
            failures.push(format!(
                "line {}: {} {}\n    CPython: {}\n    Pyrite:  {}",
                lineno + 1,
                kind,
                clip(&args.join(" ")),
                clip(expected),
                clip(&got)
            ));
        }
    }
    (n, failures)
}

#[test]
fn numbers_match_cpython() {
    let _turn = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    init();
    let (n, failures) = run_table();
    for f in failures.iter().take(150) {
        eprintln!("{f}");
    }
    println!("numbers.tsv: {} cases, {} differ from CPython 3.15", n, failures.len());
    assert!(failures.is_empty(), "{} of {} cases differ from CPython 3.15", failures.len(), n);
}

/// The whole table run again leaves the live-object count where it was: no operation leaks
/// (or over-frees) a reference, errors included.
#[test]
fn numbers_release_what_they_create() {
    let _turn = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    init();
    run_table();
    let before = stats::live();
    run_table();
    let after = stats::live();
    println!("live objects before {before}, after a second run {after}");
    assert_eq!(before, after);
}
