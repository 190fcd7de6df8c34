//! The Rust-level API the interpreter and the builtins use: `iterobject::{get_iter, next,
//! collect}`, `list::sort`, the slice arithmetic, and the Unicode tables checked against
//! CPython's (data/unicode_case.txt, written by data/gen_unicode_tables.py).

#![allow(non_upper_case_globals)]

use core::ptr::null_mut;

use pyrite_abi::*;
use pyrite_vm::object::stats;
use pyrite_vm::objects::unicode::{case, ctype};
use pyrite_vm::objects::{
    dict, exceptions as exc, iterobject, list, long, none, range, set, slice, tuple, unicode,
};
use pyrite_vm::{abstract_, Obj, PyErr, PyRef, PyResult};

fn init() {
    pyrite_vm::initialize();
}

fn repr(o: &Obj) -> String {
    unicode::as_str_lossy(&abstract_::repr(o).unwrap()).into_owned()
}

fn ints(v: &[i64]) -> PyRef {
    list::new_from_owned(v.iter().map(|&x| long::from_i64(x)).collect())
}

// A type whose iterator raises StopIteration itself (as a Python-level `__next__` does) after
// yielding 1, 2; and one whose `__next__` raises ValueError.
pyrite_vm::private_static_type!(RaisingIter_Type, c"raising_iter", core::mem::size_of::<PyObject>() + 8, {
    tp_flags: pyrite_vm::objects::type_::BUILTIN_FLAGS,
    tp_iter: Some(iterobject::self_iter),
    tp_iternext: Some(raising_next),
});

unsafe extern "C" fn raising_next(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: the object has one word of state after the header.
    unsafe {
        let n = (o as *mut u8).add(core::mem::size_of::<PyObject>()) as *mut i64;
        *n += 1;
        match *n {
            1 | 2 => long::from_i64(*n).into_raw(),
            3 => {
                PyErr::from_type_no_args(exc::StopIteration()).restore();
                null_mut()
            }
            _ => {
                PyErr::new(exc::ValueError(), "broken iterator").restore();
                null_mut()
            }
        }
    }
}

fn raising_iter() -> PyRef {
    pyrite_vm::objects::type_::ready(&RaisingIter_Type).unwrap();
    // SAFETY: a live static type; the state word starts at 0.
    unsafe {
        let op = pyrite_vm::alloc::alloc_object(RaisingIter_Type.raw(), core::mem::size_of::<PyObject>() + 8, false);
        PyRef::from_raw(op)
    }
}

#[test]
fn next_ends_without_an_exception_and_swallows_stop_iteration() {
    init();
    let it = iterobject::get_iter(&ints(&[1, 2])).unwrap();
    assert_eq!(repr(&iterobject::next(&it).unwrap().unwrap()), "1");
    assert_eq!(repr(&iterobject::next(&it).unwrap().unwrap()), "2");
    assert!(iterobject::next(&it).unwrap().is_none());
    assert!(iterobject::next(&it).unwrap().is_none(), "an exhausted iterator stays exhausted");
    assert!(pyrite_vm::err::occurred().is_null());

    let r = raising_iter();
    let items = iterobject::collect(&r).unwrap();
    assert_eq!(items.len(), 2, "StopIteration raised by tp_iternext ends the iteration");
    assert!(pyrite_vm::err::occurred().is_null(), "and is cleared");
    let e = iterobject::next(&r).unwrap_err();
    assert!(e.is_instance(exc::ValueError()), "other exceptions propagate: {e:?}");
}

#[test]
fn get_iter_errors_name_the_type() {
    init();
    let e = iterobject::get_iter(&long::from_i64(5)).unwrap_err();
    assert_eq!(format!("{e:?}"), "TypeError: 'int' object is not iterable");
    let e = iterobject::next(&long::from_i64(5)).unwrap_err();
    assert_eq!(format!("{e:?}"), "TypeError: 'int' object is not an iterator");
    // An iterator is its own iterator.
    let it = iterobject::get_iter(&tuple::empty()).unwrap();
    assert!(iterobject::get_iter(&it).unwrap().is(&it));
}

#[test]
fn collect_and_length_hint() {
    init();
    let d = dict::new();
    dict::set_item(&d, &unicode::new("a"), &long::from_i64(1)).unwrap();
    dict::set_item(&d, &unicode::new("b"), &long::from_i64(2)).unwrap();
    let keys: Vec<String> = iterobject::collect(&d).unwrap().iter().map(|k| repr(k)).collect();
    assert_eq!(keys, ["'a'", "'b'"]);
    let r = range::new(0, 10, 3).unwrap();
    assert_eq!(iterobject::length_hint(&r, 99).unwrap(), 4);
    let it = iterobject::get_iter(&r).unwrap();
    iterobject::next(&it).unwrap();
    assert_eq!(iterobject::length_hint(&it, 99).unwrap(), 3);
    assert_eq!(iterobject::length_hint(&long::from_i64(1), 7).unwrap(), 7, "no len, no __length_hint__");
    let s = set::new_from_iterable(&r).unwrap();
    assert_eq!(iterobject::collect(&s).unwrap().len(), 4);
}

#[test]
fn seq_iter_and_callable_iter() {
    init();
    // The sequence protocol: a type with sq_item but no tp_iter (a dict view's list is enough
    // to drive `iterator` directly).
    let l = ints(&[7, 8]);
    let it = iterobject::seq_iter_new(&l);
    assert_eq!(it.ob_type().name(), "iterator");
    let got: Vec<String> = iterobject::collect(&it).unwrap().iter().map(|v| repr(v)).collect();
    assert_eq!(got, ["7", "8"]);
    let l = ints(&[1, 2, 3]);
    let pop = abstract_::getattr_str(&l, "pop").unwrap();
    let ci = iterobject::call_iter_new(&pop, &long::from_i64(1));
    assert_eq!(ci.ob_type().name(), "callable_iterator");
    assert_eq!(repr(&list::from_iterable(&ci).unwrap()), "[3, 2]");
}

/// Items paired with their original index, sorted by key only: a stable sort keeps equal keys
/// in index order, checked against Rust's stable sort over many sizes (runs, merges).
#[test]
fn sort_is_stable_and_matches_a_reference() {
    init();
    fn first(_: &Obj, t: &Obj) -> PyResult<PyRef> {
        Ok(tuple::get(t, 0).new_ref())
    }
    pyrite_vm::method_table!(static KEY = [o c"first" => first]);
    // SAFETY: a static method table.
    let key = unsafe { pyrite_vm::objects::methodobject::new(KEY.0.get() as *mut PyMethodDef, Some(none::none_obj()), None, None) }.unwrap();
    let mut seed: u64 = 12345;
    for n in [0usize, 1, 2, 31, 32, 33, 64, 65, 100, 257, 1000] {
        for reverse in [false, true] {
            let mut pairs: Vec<(i64, i64)> = (0..n as i64)
                .map(|i| {
                    seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                    (((seed >> 33) % 17) as i64, i)
                })
                .collect();
            let l = list::new_from_owned(
                pairs.iter().map(|&(k, i)| tuple::new_from_owned(vec![long::from_i64(k), long::from_i64(i)])).collect(),
            );
            list::sort(&l, Some(&key), reverse).unwrap();
            if reverse {
                pairs.sort_by(|a, b| b.0.cmp(&a.0));
            } else {
                pairs.sort_by_key(|p| p.0);
            }
            let got: Vec<(i64, i64)> = list::to_vec(&l)
                .iter()
                .map(|t| (long::to_i64(tuple::get(t, 0)).unwrap(), long::to_i64(tuple::get(t, 1)).unwrap()))
                .collect();
            assert_eq!(got, pairs, "n={n} reverse={reverse}");
        }
    }
}

#[test]
fn sort_releases_everything_and_reports_comparison_errors() {
    init();
    let before = stats::live();
    {
        let l = list::new_from_owned(vec![long::from_i64(2), unicode::new("a"), long::from_i64(1)]);
        let e = list::sort(&l, None, false).unwrap_err();
        assert!(e.is_instance(exc::TypeError()));
        assert_eq!(list::len(&l), 3, "the items are back after a failed sort");
    }
    assert_eq!(stats::live(), before);
}

#[test]
fn slice_arithmetic_matches_pyslice_functions() {
    init();
    // PySlice_AdjustIndices on (start, stop, step) for a length-10 sequence.
    let cases: [(isize, isize, isize, (isize, isize, isize)); 5] = [
        (0, isize::MAX, 1, (0, 10, 10)),
        (-3, isize::MAX, 1, (7, 10, 3)),
        (isize::MAX, isize::MIN, -1, (9, -1, 10)),
        (8, 2, -2, (8, 2, 3)),
        (20, 30, 1, (10, 10, 0)),
    ];
    for (a, b, c, want) in cases {
        let (mut s, mut e) = (a, b);
        let n = slice::adjust_indices(10, &mut s, &mut e, c);
        assert_eq!((s, e, n), want, "{a} {b} {c}");
    }
    let s = slice::new(None, None, Some(&long::from_i64(-1)));
    assert_eq!(slice::unpack(&s).unwrap(), (isize::MAX, isize::MIN, -1));
    let s = slice::new(None, None, Some(&long::from_i64(0)));
    assert_eq!(format!("{:?}", slice::unpack(&s).unwrap_err()), "ValueError: slice step cannot be zero");
}

/// Rust's case mappings and Uppercase/Lowercase properties against CPython's, for every code
/// point whose mapping or flags are not trivial.
#[test]
fn unicode_case_tables_match_cpython() {
    let data = include_str!("data/unicode_case.txt");
    let parse = |s: &str| -> Vec<u32> { s.split(',').map(|x| u32::from_str_radix(x, 16).unwrap()).collect() };
    let mut checked = 0;
    for line in data.lines().filter(|l| !l.starts_with('#')) {
        let f: Vec<&str> = line.split(' ').collect();
        let c = u32::from_str_radix(f[0], 16).unwrap();
        let (mut up, mut low) = (Vec::new(), Vec::new());
        case::upper(c, &mut up);
        case::lower(c, &mut low);
        assert_eq!(up, parse(f[1]), "upper of U+{c:04X}");
        assert_eq!(low, parse(f[2]), "lower of U+{c:04X}");
        assert_eq!(ctype::is_upper(c), f[3] == "1", "isupper of U+{c:04X}");
        assert_eq!(ctype::is_lower(c), f[4] == "1", "islower of U+{c:04X}");
        checked += 1;
    }
    println!("{checked} code points: upper/lower/isupper/islower agree with CPython");
    assert!(checked > 2000);
}

#[test]
fn unicode_ascii_predicates_are_cpythons() {
    // The predicates answer ASCII without the tables: str.isalpha() / str.isspace() of ASCII.
    for c in 0u32..0x80 {
        assert_eq!(ctype::is_alpha(c), (c as u8).is_ascii_alphabetic());
        assert_eq!(ctype::is_space(c), matches!(c, 0x09..=0x0d | 0x1c..=0x20));
    }
}
