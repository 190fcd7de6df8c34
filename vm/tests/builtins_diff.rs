//! Differential test of the built-in containers, strings and the iteration protocol against
//! CPython 3.15: every case of `data/builtins_cases.txt` is a one-line Python snippet; CPython's
//! result (the repr of its last expression, or the exception it raised) is recorded in
//! `data/builtins_expected.tsv` by `data/gen_builtins_expected.py`.
//!
//! Until Pyrite compiles Python, the snippets run on a small evaluator written here (literals,
//! names, calls, attributes, subscripts, operators, assignment, `del`) that only dispatches
//! through the VM's slots and protocols, so every result comes from the runtime. Every case is
//! run twice; the second run must leave the number of live objects unchanged (reference
//! cycles aside: this harness does not run the cycle collector).

use std::collections::HashMap;

use pyrite_abi::*;
use pyrite_vm::object::stats;
use pyrite_vm::objects::argparse::Kw;
use pyrite_vm::objects::{
    bool_, bytearray, bytes, dict, exceptions as exc, float, iterobject, list, long, methodobject, none, range, set, slice,
    tuple, unicode,
};
use pyrite_vm::{abstract_, Obj, PyErr, PyRef, PyResult, TypeObj};
use ruff_python_ast::{self as ast, CmpOp, Expr, Number, Operator, Stmt, UnaryOp};

// ---- builtins the cases use -----------------------------------------------------------------

fn b_len(_: &Obj, o: &Obj) -> PyResult<PyRef> {
    Ok(long::from_i64(abstract_::len(o)? as i64))
}
fn b_repr(_: &Obj, o: &Obj) -> PyResult<PyRef> {
    abstract_::repr(o)
}
fn b_hash(_: &Obj, o: &Obj) -> PyResult<PyRef> {
    Ok(long::from_i64(abstract_::hash(o)? as i64))
}
fn b_iter(_: &Obj, args: &[&Obj]) -> PyResult<PyRef> {
    match args {
        [o] => iterobject::get_iter(o),
        [c, s] => Ok(iterobject::call_iter_new(c, s)),
        _ => Err(PyErr::new(exc::TypeError(), "iter expected 1 or 2 arguments")),
    }
}
fn b_next(_: &Obj, args: &[&Obj]) -> PyResult<PyRef> {
    match iterobject::next(args[0])? {
        Some(v) => Ok(v),
        None => match args.get(1) {
            Some(d) => Ok(d.new_ref()),
            None => Err(PyErr::from_type_no_args(exc::StopIteration())),
        },
    }
}
fn b_sorted(_: &Obj, args: &[&Obj], kw: Kw) -> PyResult<PyRef> {
    let l = list::from_iterable(args[0])?;
    let mut key = None;
    let mut reverse = false;
    for (k, v) in kw.names.iter().zip(kw.values) {
        match unicode::as_str(k)? {
            "key" => key = Some(*v),
            _ => reverse = abstract_::is_true(v)?,
        }
    }
    list::sort(&l, key, reverse)?;
    Ok(l)
}
fn b_reversed(_: &Obj, o: &Obj) -> PyResult<PyRef> {
    abstract_::call_method(o, "__reversed__", &[])
}
fn b_ord(_: &Obj, o: &Obj) -> PyResult<PyRef> {
    unicode::ord(o)
}
fn b_chr(_: &Obj, o: &Obj) -> PyResult<PyRef> {
    unicode::chr(o)
}
fn b_type(_: &Obj, o: &Obj) -> PyResult<PyRef> {
    Ok(o.ob_type().new_ref())
}
fn b_bool(_: &Obj, o: &Obj) -> PyResult<PyRef> {
    Ok(bool_::new(abstract_::is_true(o)?))
}

pyrite_vm::method_table!(static BUILTINS = [
    o c"len" => b_len,
    o c"repr" => b_repr,
    o c"hash" => b_hash,
    fast c"iter" => b_iter,
    fast c"next" => b_next,
    kw c"sorted" => b_sorted,
    o c"reversed" => b_reversed,
    o c"ord" => b_ord,
    o c"chr" => b_chr,
    o c"type" => b_type,
    o c"bool" => b_bool,
]);

fn builtins() -> HashMap<&'static str, PyRef> {
    let mut m: HashMap<&'static str, PyRef> = HashMap::new();
    let types: [(&str, &TypeObj); 12] = [
        ("list", &list::PyList_Type),
        ("tuple", &tuple::PyTuple_Type),
        ("dict", &dict::PyDict_Type),
        ("set", &set::PySet_Type),
        ("frozenset", &set::PyFrozenSet_Type),
        ("str", &unicode::PyUnicode_Type),
        ("bytes", &bytes::PyBytes_Type),
        ("bytearray", &bytearray::PyByteArray_Type),
        ("range", &range::PyRange_Type),
        ("slice", &slice::PySlice_Type),
        ("int", &long::PyLong_Type),
        ("float", &float::PyFloat_Type),
    ];
    for (n, t) in types {
        m.insert(n, t.new_ref());
    }
    // SAFETY: the table is static and NULL-terminated.
    let defs = BUILTINS.0.get() as *mut PyMethodDef;
    let mut i = 0;
    unsafe {
        while !(*defs.add(i)).ml_name.is_null() {
            let name = methodobject::ml_name(defs.add(i));
            m.insert(name, methodobject::new(defs.add(i), Some(none::none_obj()), None, None).unwrap());
            i += 1;
        }
    }
    m
}

// ---- the evaluator --------------------------------------------------------------------------

struct Env<'b> {
    vars: HashMap<String, PyRef>,
    builtins: &'b HashMap<&'static str, PyRef>,
}

fn unsupported(what: &str) -> PyErr {
    PyErr::new(exc::SystemError(), format!("test evaluator: unsupported {what}"))
}

fn number_slot(t: &TypeObj, op: Operator, inplace: bool) -> binaryfunc {
    // SAFETY: reading a slot table of a live type.
    let nb = unsafe { t.slots().tp_as_number.as_ref() }?;
    match (op, inplace) {
        (Operator::Add, false) => nb.nb_add,
        (Operator::Sub, false) => nb.nb_subtract,
        (Operator::Mult, false) => nb.nb_multiply,
        (Operator::BitOr, false) => nb.nb_or,
        (Operator::BitAnd, false) => nb.nb_and,
        (Operator::BitXor, false) => nb.nb_xor,
        (Operator::Add, true) => nb.nb_inplace_add,
        (Operator::Sub, true) => nb.nb_inplace_subtract,
        (Operator::Mult, true) => nb.nb_inplace_multiply,
        (Operator::BitOr, true) => nb.nb_inplace_or,
        (Operator::BitAnd, true) => nb.nb_inplace_and,
        (Operator::BitXor, true) => nb.nb_inplace_xor,
        _ => None,
    }
}

fn call_binary(f: binaryfunc, a: &Obj, b: &Obj) -> PyResult<Option<PyRef>> {
    let Some(f) = f else { return Ok(None) };
    // SAFETY: slot call with live arguments.
    let r = unsafe { pyrite_vm::slot::from_new(f(a.as_ptr(), b.as_ptr())) }?;
    Ok(if r.is(none::not_implemented_obj()) { None } else { Some(r) })
}

fn sq(o: &Obj) -> Option<&PySequenceMethods> {
    // SAFETY: reading a slot table of a live type.
    unsafe { o.ob_type().slots().tp_as_sequence.as_ref() }
}

/// The VM's binary operator for an AST operator.
fn binary(op: Operator) -> pyrite_vm::number::BinaryOp {
    use pyrite_vm::number::BinaryOp as B;
    match op {
        Operator::Add => B::Add,
        Operator::Sub => B::Sub,
        Operator::Mult => B::Mul,
        Operator::MatMult => B::MatMul,
        Operator::Div => B::TrueDiv,
        Operator::FloorDiv => B::FloorDiv,
        Operator::Mod => B::Mod,
        Operator::Pow => B::Pow,
        Operator::LShift => B::LShift,
        Operator::RShift => B::RShift,
        Operator::BitOr => B::Or,
        Operator::BitXor => B::Xor,
        Operator::BitAnd => B::And,
    }
}

/// `PyNumber_Add` & co.: the VM's number protocol.
fn binop(a: &Obj, b: &Obj, op: Operator) -> PyResult<PyRef> {
    if op == Operator::Pow {
        return pyrite_vm::number::power(a, b, None);
    }
    pyrite_vm::number::binary_op(a, b, binary(op))
}

/// `PyNumber_InPlaceAdd` & co.
fn inplace_op(a: &Obj, b: &Obj, op: Operator) -> PyResult<PyRef> {
    if op == Operator::Pow {
        return pyrite_vm::number::inplace_power(a, b, None);
    }
    pyrite_vm::number::inplace_op(a, b, binary(op))
}

impl Env<'_> {
    fn eval(&mut self, e: &Expr) -> PyResult<PyRef> {
        Ok(match e {
            Expr::NumberLiteral(n) => match &n.value {
                Number::Int(i) => long::from_str_radix(&i.to_string(), 0)?,
                Number::Float(f) => float::new(*f),
                _ => return Err(unsupported("complex literal")),
            },
            Expr::StringLiteral(s) => unicode::new(s.value.to_str()),
            Expr::BytesLiteral(b) => bytes::new(&b.value.bytes().collect::<Vec<u8>>()),
            Expr::BooleanLiteral(b) => bool_::new(b.value),
            Expr::NoneLiteral(_) => none::none(),
            Expr::EllipsisLiteral(_) => none::ellipsis(),
            Expr::Name(n) => {
                let id = n.id.as_str();
                match self.vars.get(id).or_else(|| self.builtins.get(id)) {
                    Some(v) => v.clone(),
                    None => return Err(PyErr::new(exc::NameError(), format!("name '{id}' is not defined"))),
                }
            }
            Expr::List(l) => list::new_from_owned(self.eval_all(&l.elts)?),
            Expr::Tuple(t) => tuple::new_from_owned(self.eval_all(&t.elts)?),
            Expr::Set(s) => {
                // CPython compiles a display of more than two constants to BUILD_SET 0 +
                // SET_UPDATE(frozenset constant): the frozenset's table order decides the set's.
                let items = self.eval_all(&s.elts)?;
                let r = set::new_empty();
                if items.len() > 2 && s.elts.iter().all(is_constant) {
                    let f = set::frozenset_from_iterable(Some(&tuple::new_from_owned(items)))?;
                    set::update(&r, &f)?;
                } else {
                    for v in items {
                        set::add(&r, &v)?;
                    }
                }
                r
            }
            Expr::Dict(d) => {
                let r = dict::new();
                for item in &d.items {
                    let k = self.eval(item.key.as_ref().ok_or_else(|| unsupported("** in dict display"))?)?;
                    let v = self.eval(&item.value)?;
                    dict::set_item(&r, &k, &v)?;
                }
                r
            }
            Expr::Attribute(a) => {
                let v = self.eval(&a.value)?;
                abstract_::getattr_str(&v, a.attr.id.as_str())?
            }
            Expr::Subscript(s) => {
                let v = self.eval(&s.value)?;
                let k = self.eval(&s.slice)?;
                abstract_::getitem(&v, &k)?
            }
            Expr::Slice(s) => {
                let part = |env: &mut Self, p: &Option<Box<Expr>>| p.as_ref().map(|x| env.eval(x)).transpose();
                let (a, b, c) = (part(self, &s.lower)?, part(self, &s.upper)?, part(self, &s.step)?);
                slice::new(a.as_deref(), b.as_deref(), c.as_deref())
            }
            Expr::Call(c) => {
                let f = self.eval(&c.func)?;
                let mut args = Vec::new();
                for a in c.arguments.args.iter() {
                    match a {
                        Expr::Starred(s) => {
                            let v = self.eval(&s.value)?;
                            args.extend(iterobject::collect(&v)?);
                        }
                        _ => args.push(self.eval(a)?),
                    }
                }
                let kwargs = if c.arguments.keywords.is_empty() {
                    None
                } else {
                    let d = dict::new();
                    for k in c.arguments.keywords.iter() {
                        let name = k.arg.as_ref().ok_or_else(|| unsupported("** in a call"))?;
                        let v = self.eval(&k.value)?;
                        dict::set_item(&d, &unicode::new(name.id.as_str()), &v)?;
                    }
                    Some(d)
                };
                abstract_::call(&f, &tuple::new_from_owned(args), kwargs.as_deref())?
            }
            Expr::BinOp(b) => {
                let (l, r) = (self.eval(&b.left)?, self.eval(&b.right)?);
                binop(&l, &r, b.op)?
            }
            Expr::UnaryOp(u) => {
                let v = self.eval(&u.operand)?;
                match u.op {
                    UnaryOp::Not => bool_::new(!abstract_::is_true(&v)?),
                    UnaryOp::USub | UnaryOp::UAdd | UnaryOp::Invert => {
                        // SAFETY: reading a slot table of a live type; slot call with a live argument.
                        let nb = unsafe { v.ob_type().slots().tp_as_number.as_ref() }.ok_or_else(|| unsupported("unary operand"))?;
                        let f = match u.op {
                            UnaryOp::USub => nb.nb_negative,
                            UnaryOp::UAdd => nb.nb_positive,
                            _ => nb.nb_invert,
                        }
                        .ok_or_else(|| unsupported("unary operand"))?;
                        unsafe { pyrite_vm::slot::from_new(f(v.as_ptr())) }?
                    }
                }
            }
            Expr::BoolOp(b) => {
                let mut last = none::none();
                for v in &b.values {
                    last = self.eval(v)?;
                    let t = abstract_::is_true(&last)?;
                    if (b.op == ast::BoolOp::And) != t {
                        break;
                    }
                }
                last
            }
            Expr::Compare(c) => {
                let mut left = self.eval(&c.left)?;
                let mut result = bool_::new(true);
                for (op, right) in c.ops.iter().zip(c.comparators.iter()) {
                    let right = self.eval(right)?;
                    result = match op {
                        CmpOp::Eq => abstract_::rich_compare(&left, &right, Py_EQ)?,
                        CmpOp::NotEq => abstract_::rich_compare(&left, &right, Py_NE)?,
                        CmpOp::Lt => abstract_::rich_compare(&left, &right, Py_LT)?,
                        CmpOp::LtE => abstract_::rich_compare(&left, &right, Py_LE)?,
                        CmpOp::Gt => abstract_::rich_compare(&left, &right, Py_GT)?,
                        CmpOp::GtE => abstract_::rich_compare(&left, &right, Py_GE)?,
                        CmpOp::Is => bool_::new(left.is(&right)),
                        CmpOp::IsNot => bool_::new(!left.is(&right)),
                        CmpOp::In => bool_::new(iterobject::contains(&right, &left)?),
                        CmpOp::NotIn => bool_::new(!iterobject::contains(&right, &left)?),
                    };
                    if !abstract_::is_true(&result)? {
                        break;
                    }
                    left = right;
                }
                result
            }
            Expr::If(i) => {
                let t = self.eval(&i.test)?;
                if abstract_::is_true(&t)? { self.eval(&i.body)? } else { self.eval(&i.orelse)? }
            }
            _ => return Err(unsupported("expression")),
        })
    }

    fn eval_all(&mut self, es: &[Expr]) -> PyResult<Vec<PyRef>> {
        es.iter().map(|e| self.eval(e)).collect()
    }

    fn assign(&mut self, target: &Expr, v: PyRef) -> PyResult<()> {
        match target {
            Expr::Name(n) => {
                self.vars.insert(n.id.as_str().to_string(), v);
                Ok(())
            }
            Expr::Subscript(s) => {
                let o = self.eval(&s.value)?;
                let k = self.eval(&s.slice)?;
                abstract_::setitem(&o, &k, Some(&v))
            }
            _ => Err(unsupported("assignment target")),
        }
    }

    /// Runs a statement; an expression statement gives its value.
    fn exec(&mut self, s: &Stmt) -> PyResult<Option<PyRef>> {
        match s {
            Stmt::Expr(e) => self.eval(&e.value).map(Some),
            Stmt::Assign(a) => {
                let v = self.eval(&a.value)?;
                for t in &a.targets {
                    self.assign(t, v.clone())?;
                }
                Ok(None)
            }
            Stmt::AugAssign(a) => {
                let cur = self.eval(&a.target)?;
                let v = self.eval(&a.value)?;
                let r = inplace_op(&cur, &v, a.op)?;
                self.assign(&a.target, r)?;
                Ok(None)
            }
            Stmt::Delete(d) => {
                for t in &d.targets {
                    match t {
                        Expr::Subscript(s) => {
                            let o = self.eval(&s.value)?;
                            let k = self.eval(&s.slice)?;
                            abstract_::setitem(&o, &k, None)?;
                        }
                        Expr::Name(n) => {
                            self.vars.remove(n.id.as_str());
                        }
                        _ => return Err(unsupported("del target")),
                    }
                }
                Ok(None)
            }
            Stmt::Pass(_) => Ok(None),
            _ => Err(unsupported("statement")),
        }
    }
}

/// What CPython's compiler folds into a constant.
fn is_constant(e: &Expr) -> bool {
    match e {
        Expr::NumberLiteral(_) | Expr::StringLiteral(_) | Expr::BytesLiteral(_) | Expr::BooleanLiteral(_) | Expr::NoneLiteral(_) => true,
        Expr::UnaryOp(u) => u.op == UnaryOp::USub && matches!(*u.operand, Expr::NumberLiteral(_)),
        Expr::Tuple(t) => t.elts.iter().all(is_constant),
        _ => false,
    }
}

fn escape(s: &str) -> String {
    s.replace('\\', "\\\\").replace('\t', "\\t").replace('\n', "\\n")
}

/// Replaces `0x` followed by 8 or more hex digits (addresses) with `0x?`.
fn normalize_addresses(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'0' && b.get(i + 1) == Some(&b'x') {
            let n = b[i + 2..].iter().take_while(|c| c.is_ascii_digit() || (b'a'..=b'f').contains(*c)).count();
            if n >= 8 {
                out.push_str("0x?");
                i += 2 + n;
                continue;
            }
        }
        let ch = s[i..].chars().next().unwrap();
        out.push(ch);
        i += ch.len_utf8();
    }
    out
}

fn run_case(builtins: &HashMap<&'static str, PyRef>, case: &str) -> String {
    let parsed = ruff_python_parser::parse_module(case).unwrap_or_else(|e| panic!("cannot parse {case:?}: {e}"));
    let mut env = Env { vars: HashMap::new(), builtins };
    let mut last = None;
    let mut result: PyResult<()> = Ok(());
    for stmt in parsed.suite() {
        match env.exec(stmt) {
            Ok(v) => last = v,
            Err(e) => {
                result = Err(e);
                break;
            }
        }
    }
    let out = match result {
        Ok(()) => {
            let v = last.unwrap_or_else(none::none);
            match abstract_::repr(&v) {
                Ok(r) => unicode::as_str_lossy(&r).into_owned(),
                Err(e) => format!("!{}: repr failed", e.type_obj().name()),
            }
        }
        Err(e) => {
            let msg = abstract_::str(e.value()).map(|s| unicode::as_str_lossy(&s).into_owned()).unwrap_or_default();
            format!("!{}: {}", e.type_obj().name(), msg)
        }
    };
    escape(&normalize_addresses(&out))
}

/// Differences Pyrite has on purpose for now, with the reason.
const KNOWN_DIFFERENCES: [(&str, &str); 2] = [
    ("range(2**64)", "range values are limited to 64 bits (OverflowError)"),
    ("'x€'.encode('latin-1', 'namereplace')", "namereplace needs the Unicode name database (unicodedata)"),
];

/// Cases that create reference cycles (freed only by a cycle collector).
const CYCLES: [&str; 3] = ["l.append(l)", "d[1] = d", "d[3] = d.keys()"];

#[test]
fn builtins_match_cpython() {
    // SAFETY: set before anything hashes a str (this test binary has one test).
    unsafe { std::env::set_var("PYTHONHASHSEED", "0") };
    pyrite_vm::initialize();
    let data = include_str!("data/builtins_expected.tsv");
    let cases: Vec<(&str, &str)> =
        data.lines().filter(|l| !l.starts_with('#')).map(|l| l.split_once('\t').expect("case<TAB>expected")).collect();
    let builtins = builtins();
    let mut failures = Vec::new();
    for (case, expected) in &cases {
        let got = run_case(&builtins, case);
        if let Some((_, why)) = KNOWN_DIFFERENCES.iter().find(|(c, _)| c == case) {
            println!("known difference: {case}: {why}\n    CPython: {expected}\n    Pyrite:  {got}");
            continue;
        }
        if got != *expected {
            failures.push(format!("{case}\n    CPython: {expected}\n    Pyrite:  {got}"));
        }
    }
    let mut leaks = Vec::new();
    for (case, _) in &cases {
        if CYCLES.iter().any(|c| case.contains(c)) {
            continue;
        }
        let before = stats::live();
        let _ = run_case(&builtins, case);
        let after = stats::live();
        if after != before {
            leaks.push(format!("{case}: {} objects", after - before));
        }
    }
    println!("{} cases compared with CPython 3.15, {} differ; {} leak", cases.len(), failures.len(), leaks.len());
    for f in &failures {
        println!("{f}");
    }
    for l in &leaks {
        println!("leak: {l}");
    }
    assert!(failures.is_empty() && leaks.is_empty(), "{} differences, {} leaks", failures.len(), leaks.len());
}
