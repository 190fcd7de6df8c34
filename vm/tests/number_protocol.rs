//! The number protocol's dispatch rules (`Objects/abstract.c`), with types defined here whose
//! slots report how they were called: the right operand's slot first when its type is a
//! subtype with a different slot, `NotImplemented` passing the turn, a shared slot called
//! once, the sequence fallbacks of `+` and `*` and their in-place forms, the third operand of
//! `pow`, and subclasses of int, float and complex built through their `tp_new`.

#![allow(non_upper_case_globals)]

use core::sync::atomic::{AtomicUsize, Ordering};

use pyrite_abi::*;
use pyrite_vm::number::{self, BinaryOp, UnaryOp};
use pyrite_vm::object::StaticObject;
use pyrite_vm::objects::type_::{ready, TypeObj};
use pyrite_vm::objects::{bool_, complex, float, list, long, none, tuple, unicode};
use pyrite_vm::slot::arg;
use pyrite_vm::{abstract_, private_static_type, Obj, PyRef, PyResult};

fn init() {
    pyrite_vm::initialize();
    for t in [&A, &ASub, &ASame, &B, &Seq, &SeqPlain, &Num, &Idx, &Z, &IntSub, &FloatSub, &ComplexSub] {
        ready(t).unwrap();
    }
}

fn instance(t: &TypeObj) -> PyRef {
    let alloc = t.slots().tp_alloc.expect("ready type");
    // SAFETY: tp_alloc of a ready type returns a new reference.
    unsafe { PyRef::from_raw(alloc(t.raw(), 0)) }
}

fn text(r: PyResult<PyRef>) -> String {
    match r {
        Ok(v) if unicode::check(&v) => unicode::as_str_lossy(&v).into_owned(),
        Ok(v) => format!("={}", unicode::as_str_lossy(&abstract_::repr(&v).unwrap())),
        Err(e) => format!("!{e:?}"),
    }
}

/// A binary slot that answers "Tag(left type, right type)".
macro_rules! reporting_slot {
    ($name:ident, $tag:literal) => {
        unsafe extern "C" fn $name(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
            // SAFETY: slot arguments are live.
            let (a, b) = unsafe { (arg(a), arg(b)) };
            unicode::new(&format!(concat!($tag, "({},{})"), a.ob_type().name(), b.ob_type().name())).into_raw()
        }
    };
}

unsafe extern "C" fn not_implemented(_: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    none::not_implemented().into_raw()
}

static MUL_CALLS: AtomicUsize = AtomicUsize::new(0);

unsafe extern "C" fn counting_not_implemented(_: *mut PyObject, _: *mut PyObject) -> *mut PyObject {
    MUL_CALLS.fetch_add(1, Ordering::Relaxed);
    none::not_implemented().into_raw()
}

reporting_slot!(a_add, "A.add");
reporting_slot!(asub_add, "ASub.add");
reporting_slot!(b_add, "B.add");
reporting_slot!(b_sub, "B.sub");
reporting_slot!(num_add, "Num.add");
reporting_slot!(num_iadd, "Num.iadd");
reporting_slot!(num_sub, "Num.sub");
reporting_slot!(seq_concat, "Seq.concat");
reporting_slot!(seq_iconcat, "Seq.iconcat");

unsafe extern "C" fn seq_repeat(a: *mut PyObject, n: Py_ssize_t) -> *mut PyObject {
    // SAFETY: slot argument is live.
    unicode::new(&format!("{}.repeat({n})", unsafe { arg(a) }.ob_type().name())).into_raw()
}

unsafe extern "C" fn seq_irepeat(a: *mut PyObject, n: Py_ssize_t) -> *mut PyObject {
    // SAFETY: slot argument is live.
    unicode::new(&format!("{}.irepeat({n})", unsafe { arg(a) }.ob_type().name())).into_raw()
}

unsafe extern "C" fn idx_index(_: *mut PyObject) -> *mut PyObject {
    long::from_i64(3).into_raw()
}

unsafe extern "C" fn z_pow(a: *mut PyObject, b: *mut PyObject, c: *mut PyObject) -> *mut PyObject {
    // SAFETY: slot arguments are live.
    let (a, b, c) = unsafe { (arg(a), arg(b), arg(c)) };
    let s = format!("Z.pow({},{},{})", a.ob_type().name(), b.ob_type().name(), c.ob_type().name());
    unicode::new(&s).into_raw()
}

const FLAGS: core::ffi::c_ulong = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE;
const OBJ: usize = core::mem::size_of::<PyObject>();

static A_NUM: StaticObject<PyNumberMethods> = StaticObject::new(PyNumberMethods {
    nb_add: Some(a_add),
    nb_subtract: Some(not_implemented),
    nb_multiply: Some(counting_not_implemented),
    ..PyNumberMethods::EMPTY
});
private_static_type!(A, c"A", OBJ, { tp_flags: FLAGS, tp_as_number: A_NUM.0.get() });

static ASUB_NUM: StaticObject<PyNumberMethods> = StaticObject::new(PyNumberMethods {
    nb_add: Some(asub_add),
    nb_subtract: Some(not_implemented),
    ..PyNumberMethods::EMPTY
});
private_static_type!(ASub, c"ASub", OBJ, { tp_flags: FLAGS, tp_base: A.raw(), tp_as_number: ASUB_NUM.0.get() });

// A subclass that inherits A's slots unchanged.
private_static_type!(ASame, c"ASame", OBJ, { tp_flags: FLAGS, tp_base: A.raw() });

static B_NUM: StaticObject<PyNumberMethods> = StaticObject::new(PyNumberMethods {
    nb_add: Some(b_add),
    nb_subtract: Some(b_sub),
    ..PyNumberMethods::EMPTY
});
private_static_type!(B, c"B", OBJ, { tp_flags: FLAGS, tp_as_number: B_NUM.0.get() });

static SEQ_SQ: StaticObject<PySequenceMethods> = StaticObject::new(PySequenceMethods {
    sq_concat: Some(seq_concat),
    sq_repeat: Some(seq_repeat),
    sq_inplace_concat: Some(seq_iconcat),
    sq_inplace_repeat: Some(seq_irepeat),
    ..PySequenceMethods::EMPTY
});
private_static_type!(Seq, c"Seq", OBJ, { tp_flags: FLAGS, tp_as_sequence: SEQ_SQ.0.get() });

static SEQ_PLAIN_SQ: StaticObject<PySequenceMethods> = StaticObject::new(PySequenceMethods {
    sq_concat: Some(seq_concat),
    sq_repeat: Some(seq_repeat),
    ..PySequenceMethods::EMPTY
});
private_static_type!(SeqPlain, c"SeqPlain", OBJ, { tp_flags: FLAGS, tp_as_sequence: SEQ_PLAIN_SQ.0.get() });

static NUM_NUM: StaticObject<PyNumberMethods> = StaticObject::new(PyNumberMethods {
    nb_add: Some(num_add),
    nb_inplace_add: Some(num_iadd),
    nb_subtract: Some(num_sub),
    nb_inplace_subtract: Some(not_implemented),
    ..PyNumberMethods::EMPTY
});
private_static_type!(Num, c"Num", OBJ, { tp_flags: FLAGS, tp_as_number: NUM_NUM.0.get() });

static IDX_NUM: StaticObject<PyNumberMethods> =
    StaticObject::new(PyNumberMethods { nb_index: Some(idx_index), ..PyNumberMethods::EMPTY });
private_static_type!(Idx, c"Idx", OBJ, { tp_flags: FLAGS, tp_as_number: IDX_NUM.0.get() });

static Z_NUM: StaticObject<PyNumberMethods> =
    StaticObject::new(PyNumberMethods { nb_power: Some(z_pow), ..PyNumberMethods::EMPTY });
private_static_type!(Z, c"Z", OBJ, { tp_flags: FLAGS, tp_as_number: Z_NUM.0.get() });

private_static_type!(IntSub, c"IntSub", 0, { tp_flags: FLAGS, tp_base: long::PyLong_Type.raw() });
private_static_type!(FloatSub, c"FloatSub", 0, { tp_flags: FLAGS, tp_base: float::PyFloat_Type.raw() });
private_static_type!(ComplexSub, c"ComplexSub", 0, { tp_flags: FLAGS, tp_base: complex::PyComplex_Type.raw() });

#[test]
fn left_operand_first_unless_the_right_is_an_overriding_subtype() {
    init();
    let (a, asub, b) = (instance(&A), instance(&ASub), instance(&B));
    // Unrelated types: the left operand's slot answers.
    assert_eq!(text(number::binary_op(&a, &b, BinaryOp::Add)), "A.add(A,B)");
    assert_eq!(text(number::binary_op(&b, &a, BinaryOp::Add)), "B.add(B,A)");
    // A subtype on the right with its own slot goes first (called with the operands in order).
    assert_eq!(text(number::binary_op(&a, &asub, BinaryOp::Add)), "ASub.add(A,ASub)");
    assert_eq!(text(number::binary_op(&asub, &a, BinaryOp::Add)), "ASub.add(ASub,A)");
    // NotImplemented passes the turn: A's nb_subtract declines, B's (reflected) answers.
    assert_eq!(text(number::binary_op(&a, &b, BinaryOp::Sub)), "B.sub(A,B)");
    // Both decline: CPython's error.
    assert_eq!(
        text(number::binary_op(&a, &asub, BinaryOp::Sub)),
        "!TypeError: unsupported operand type(s) for -: 'A' and 'ASub'"
    );
    assert_eq!(
        text(number::binary_op(&a, &b, BinaryOp::MatMul)),
        "!TypeError: unsupported operand type(s) for @: 'A' and 'B'"
    );
    assert_eq!(text(number::divmod(&a, &b)), "!TypeError: unsupported operand type(s) for divmod(): 'A' and 'B'");
}

#[test]
fn a_slot_shared_by_both_operands_is_called_once() {
    init();
    let (a, same) = (instance(&A), instance(&ASame));
    MUL_CALLS.store(0, Ordering::Relaxed);
    let r = text(number::binary_op(&a, &same, BinaryOp::Mul));
    println!("{r}; nb_multiply called {} time(s)", MUL_CALLS.load(Ordering::Relaxed));
    assert_eq!(r, "!TypeError: unsupported operand type(s) for *: 'A' and 'ASame'");
    assert_eq!(MUL_CALLS.load(Ordering::Relaxed), 1);
}

#[test]
fn inplace_prefers_the_inplace_slot_then_the_binary_one() {
    init();
    let (n, b) = (instance(&Num), instance(&B));
    assert_eq!(text(number::inplace_op(&n, &b, BinaryOp::Add)), "Num.iadd(Num,B)");
    // nb_inplace_subtract declines: the binary operator runs.
    assert_eq!(text(number::inplace_op(&n, &b, BinaryOp::Sub)), "Num.sub(Num,B)");
    assert_eq!(
        text(number::inplace_op(&n, &b, BinaryOp::Xor)),
        "!TypeError: unsupported operand type(s) for ^=: 'Num' and 'B'"
    );
    let x = long::from_i64(5);
    assert_eq!(text(number::inplace_op(&x, &long::from_i64(3), BinaryOp::Pow)), "=125");
    assert_eq!(
        text(number::inplace_op(&x, &unicode::new("a"), BinaryOp::Pow)),
        "!TypeError: unsupported operand type(s) for **=: 'int' and 'str'"
    );
}

#[test]
fn sequences_concatenate_and_repeat_through_their_slots() {
    init();
    let (s, plain, i) = (instance(&Seq), instance(&SeqPlain), instance(&Idx));
    let b = instance(&B);
    assert_eq!(text(number::binary_op(&s, &i, BinaryOp::Add)), "Seq.concat(Seq,Idx)");
    // Number slots come before sequence slots, reflected ones included.
    assert_eq!(text(number::binary_op(&b, &s, BinaryOp::Add)), "B.add(B,Seq)");
    assert_eq!(text(number::binary_op(&s, &b, BinaryOp::Add)), "B.add(Seq,B)");
    assert_eq!(text(number::binary_op(&s, &long::from_i64(4), BinaryOp::Mul)), "Seq.repeat(4)");
    assert_eq!(text(number::binary_op(&long::from_i64(-2), &s, BinaryOp::Mul)), "Seq.repeat(-2)");
    assert_eq!(text(number::binary_op(&s, &i, BinaryOp::Mul)), "Seq.repeat(3)");
    assert_eq!(text(number::binary_op(&i, &s, BinaryOp::Mul)), "Seq.repeat(3)");
    assert_eq!(
        text(number::binary_op(&s, &float::new(1.5), BinaryOp::Mul)),
        "!TypeError: can't multiply sequence by non-int of type 'float'"
    );
    let huge = long::from_str_radix("1267650600228229401496703205376", 10).unwrap();
    assert_eq!(
        text(number::binary_op(&s, &huge, BinaryOp::Mul)),
        "!OverflowError: cannot fit 'int' into an index-sized integer"
    );
    // In place: the in-place sequence slots, or the plain ones when there are none.
    assert_eq!(text(number::inplace_op(&s, &i, BinaryOp::Add)), "Seq.iconcat(Seq,Idx)");
    assert_eq!(text(number::inplace_op(&s, &long::from_i64(2), BinaryOp::Mul)), "Seq.irepeat(2)");
    assert_eq!(text(number::inplace_op(&plain, &i, BinaryOp::Add)), "Seq.concat(SeqPlain,Idx)");
    assert_eq!(text(number::inplace_op(&plain, &long::from_i64(2), BinaryOp::Mul)), "SeqPlain.repeat(2)");
    assert_eq!(text(number::inplace_op(&long::from_i64(2), &plain, BinaryOp::Mul)), "SeqPlain.repeat(2)");
    // `-` has no sequence fallback.
    assert_eq!(
        text(number::binary_op(&s, &i, BinaryOp::Sub)),
        "!TypeError: unsupported operand type(s) for -: 'Seq' and 'Idx'"
    );
}

#[test]
fn pow_tries_the_third_operands_slot_and_words_errors_as_cpython() {
    init();
    let z = instance(&Z);
    let (two, three) = (long::from_i64(2), long::from_i64(3));
    assert_eq!(text(number::power(&two, &three, Some(&z))), "Z.pow(int,int,Z)");
    assert_eq!(text(number::power(&two, &three, None)), "=8");
    assert_eq!(
        text(number::power(&two, &unicode::new("x"), Some(&float::new(1.0)))),
        "!TypeError: unsupported operand type(s) for ** or pow(): 'int', 'str', 'float'"
    );
    assert_eq!(
        text(number::binary_op(&unicode::new("x"), &two, BinaryOp::Pow)),
        "!TypeError: unsupported operand type(s) for ** or pow(): 'str' and 'int'"
    );
}

#[test]
fn unary_operators_and_conversions() {
    init();
    let a = instance(&A);
    assert_eq!(text(number::unary_op(&a, UnaryOp::Neg)), "!TypeError: bad operand type for unary -: 'A'");
    assert_eq!(text(number::unary_op(&a, UnaryOp::Pos)), "!TypeError: bad operand type for unary +: 'A'");
    assert_eq!(text(number::unary_op(&a, UnaryOp::Invert)), "!TypeError: bad operand type for unary ~: 'A'");
    assert_eq!(text(number::absolute(&a)), "!TypeError: bad operand type for abs(): 'A'");
    let i = instance(&Idx);
    assert_eq!(text(number::to_int(&i)), "=3");
    assert_eq!(text(number::to_float(&i)), "=3.0");
    assert_eq!(text(number::to_base(&i, 2)), "0b11");
    assert_eq!(text(number::to_base(&long::from_i64(-255), 16)), "-0xff");
    assert_eq!(text(number::to_base(&long::from_i64(8), 8)), "0o10");
    assert_eq!(text(number::to_base(&long::from_i64(8), 3)), "!SystemError: PyNumber_ToBase: base must be 2, 8, 10 or 16");
    assert_eq!(
        text(number::to_int(&a)),
        "!TypeError: int() argument must be a string, a bytes-like object or a real number, not 'A'"
    );
    assert_eq!(text(number::to_float(&a)), "!TypeError: float() argument must be a string or a real number, not 'A'");
    assert_eq!(text(number::as_f64(&unicode::new("1")).map(float::new)), "!TypeError: must be real number, not str");
    // BinaryOp::symbol is what the interpreter prints.
    let symbols: Vec<&str> = [
        BinaryOp::Add, BinaryOp::Sub, BinaryOp::Mul, BinaryOp::MatMul, BinaryOp::TrueDiv, BinaryOp::FloorDiv,
        BinaryOp::Mod, BinaryOp::Pow, BinaryOp::LShift, BinaryOp::RShift, BinaryOp::And, BinaryOp::Or, BinaryOp::Xor,
    ]
    .iter()
    .map(|op| op.symbol())
    .collect();
    assert_eq!(symbols, ["+", "-", "*", "@", "/", "//", "%", "**", "<<", ">>", "&", "|", "^"]);
}

#[test]
fn subclasses_of_int_float_and_complex_are_built_by_their_tp_new() {
    init();
    let call = |t: &Obj, args: Vec<PyRef>| abstract_::call(t, &tuple::new_from_owned(args), None);
    let big = long::from_str_radix("-123456789012345678901234567890", 10).unwrap();
    for (arg, want) in [(long::from_i64(5), "5"), (big.clone(), "-123456789012345678901234567890"), (long::from_i64(0), "0")] {
        let v = call(&IntSub, vec![arg]).unwrap();
        assert!(v.is_exact(&IntSub), "type of IntSub(...)");
        assert_eq!(text(Ok(v.clone())), format!("={want}"));
        // Arithmetic and int() give exact ints.
        let sum = number::binary_op(&v, &long::from_i64(1), BinaryOp::Add).unwrap();
        assert!(sum.is_exact(&long::PyLong_Type));
        let exact = number::to_int(&v).unwrap();
        assert!(exact.is_exact(&long::PyLong_Type));
        assert_eq!(long::compare(&exact, &v), core::cmp::Ordering::Equal);
    }
    let v = call(&IntSub, vec![unicode::new("ff"), long::from_i64(16)]).unwrap();
    assert_eq!(text(Ok(v)), "=255");
    let f = call(&FloatSub, vec![unicode::new(" 2.5 ")]).unwrap();
    assert!(f.is_exact(&FloatSub));
    assert_eq!(text(Ok(f.clone())), "=2.5");
    assert!(number::to_float(&f).unwrap().is_exact(&float::PyFloat_Type));
    let c = call(&ComplexSub, vec![float::new(1.0), float::new(-2.0)]).unwrap();
    assert!(c.is_exact(&ComplexSub));
    assert_eq!(text(Ok(c)), "=(1-2j)");
    // int.from_bytes on a subclass calls the subclass.
    let fb = abstract_::call_method(&IntSub, "from_bytes", &[&list::new_from(&[&long::from_i64(1), &long::from_i64(0)])]).unwrap();
    assert!(fb.is_exact(&IntSub));
    assert_eq!(text(Ok(fb)), "=256");
}

#[test]
fn bool_operations_keep_bools() {
    init();
    let (t, f) = (bool_::new(true), bool_::new(false));
    for (a, b, op, want) in [
        (&t, &t, BinaryOp::And, true),
        (&t, &f, BinaryOp::Or, true),
        (&t, &t, BinaryOp::Xor, false),
        (&f, &f, BinaryOp::Or, false),
    ] {
        let r = number::binary_op(a, b, op).unwrap();
        assert!(r.is(bool_::new(want).as_ref()), "{:?} {:?} {:?}", a, op, b);
    }
    let r = number::binary_op(&t, &long::from_i64(2), BinaryOp::Or).unwrap();
    assert!(r.is_exact(&long::PyLong_Type));
    assert_eq!(text(Ok(r)), "=3");
    assert_eq!(text(number::binary_op(&t, &t, BinaryOp::Add)), "=2");
    assert_eq!(text(abstract_::call(&bool_::PyBool_Type, &tuple::new_from_owned(vec![unicode::new("")]), None)), "=False");
}
