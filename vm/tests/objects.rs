//! Behaviour of the core built-in types, compared with values CPython 3.11+ prints for the
//! same expressions (noted next to each expectation).

use pyrite_vm::object::stats;
use pyrite_vm::objects::{dict, exceptions as exc, float, list, long, tuple, unicode};
use pyrite_vm::{abstract_, Obj, PyRef};

fn init() {
    pyrite_vm::initialize();
}

fn repr(o: &Obj) -> String {
    unicode::as_str_lossy(&abstract_::repr(o).unwrap()).into_owned()
}

fn big(s: &str) -> PyRef {
    long::from_str_radix(s, 0).unwrap()
}

#[test]
fn int_hash_and_repr_match_cpython() {
    init();
    // python3 -c "print(hash(2**100), hash(-2**70), hash(2**61-1), hash(2**61), hash(-1))"
    assert_eq!(abstract_::hash(&big("1267650600228229401496703205376")).unwrap(), 549755813888);
    assert_eq!(abstract_::hash(&big("-1180591620717411303424")).unwrap(), -512);
    assert_eq!(abstract_::hash(&long::from_i64((1 << 61) - 1)).unwrap(), 0);
    assert_eq!(abstract_::hash(&long::from_i64(1 << 61)).unwrap(), 1);
    assert_eq!(abstract_::hash(&long::from_i64(-1)).unwrap(), -2);
    // python3 -c "print(repr(2**200)); print(-(10**40)+7)"
    let s = "1606938044258990275541962092341162602522202993782792835301376";
    assert_eq!(repr(&big(s)), s);
    assert_eq!(repr(&big("-9999999999999999999999999999999999999993")), "-9999999999999999999999999999999999999993");
    assert_eq!(repr(&big("0x_1f")), "31");
    assert_eq!(long::to_i64(&big("0o777")), Some(511));
    let e = long::from_str_radix("12a", 10).unwrap_err();
    assert_eq!(format!("{e:?}"), "ValueError: invalid literal for int() with base 10: '12a'");
}

#[test]
fn float_hash_matches_int_hash_and_cpython() {
    init();
    // python3 -c "print(hash(1.5), hash(-0.5), hash(1e300))"
    assert_eq!(abstract_::hash(&float::new(1.5)).unwrap(), 1152921504606846977);
    assert_eq!(abstract_::hash(&float::new(-0.5)).unwrap(), -1152921504606846976);
    assert_eq!(abstract_::hash(&float::new(1e300)).unwrap(), 1224995262755759164);
    assert_eq!(abstract_::hash(&float::new(7.0)).unwrap(), abstract_::hash(&long::from_i64(7)).unwrap());
    let f = long::from_f64(1e20).unwrap();
    assert_eq!(repr(&f), "100000000000000000000");
}

#[test]
fn tuple_hash_matches_cpython() {
    init();
    // python3 -c "print(hash((1,2,3)), hash(()))"
    let t = tuple::new_from_owned(vec![long::from_i64(1), long::from_i64(2), long::from_i64(3)]);
    assert_eq!(abstract_::hash(&t).unwrap(), 529344067295497451);
    assert_eq!(abstract_::hash(&tuple::empty()).unwrap(), 5740354900026072187);
}

#[test]
fn str_kinds_repr_and_utf8_cache() {
    init();
    let cases = [("abc", 1), ("é", 1), ("€", 2), ("😀", 4)];
    for (s, kind) in cases {
        let o = unicode::new(s);
        assert_eq!(unicode::kind(&o), kind, "{s}");
        assert_eq!(unicode::as_str(&o).unwrap(), s);
        // The cached UTF-8 pointer is stable for the object's life.
        assert_eq!(unicode::as_str(&o).unwrap().as_ptr(), unicode::as_str(&o).unwrap().as_ptr());
    }
    // python3 -c "print(repr('a\'b'), repr('a\"b\'c'), repr('\x00\x7f\xe9\u2028\U0001f600'))"
    assert_eq!(repr(&unicode::new("a'b")), "\"a'b\"");
    assert_eq!(repr(&unicode::new("a\"b'c")), "'a\"b\\'c'");
    assert_eq!(repr(&unicode::new("\x00\x7f\u{e9}\u{2028}\u{1f600}")), "'\\x00\\x7fé\\u2028😀'");
    let lone = unicode::from_code_points(&[0x61, 0xd800]);
    let e = unicode::as_str(&lone).unwrap_err();
    assert!(e.is_instance(exc::UnicodeEncodeError()));
    assert_eq!(unicode::hash_of(&unicode::new("")), 0);
}

#[test]
fn dict_keeps_insertion_order_through_deletes_and_growth() {
    init();
    let d = dict::new();
    let v0 = dict::keys_version_for_specialization(&d);
    assert_ne!(v0, 0);
    for i in 0..5000 {
        dict::set_item(&d, &long::from_i64(i * 31), &unicode::new(&i.to_string())).unwrap();
    }
    // Adding keys retires the version; a new one is handed out on request.
    assert!(!dict::keys_version_is(&d, v0));
    let v1 = dict::keys_version_for_specialization(&d);
    assert_ne!(v1, v0);
    for i in (0..5000).step_by(2) {
        dict::del_item(&d, &long::from_i64(i * 31)).unwrap();
    }
    assert_eq!(dict::len(&d), 2500);
    assert!(!dict::keys_version_is(&d, v1));
    let v2 = dict::keys_version_for_specialization(&d);
    // A value update keeps the keys version.
    dict::set_item(&d, &long::from_i64(31), &unicode::new("one")).unwrap();
    assert!(dict::keys_version_is(&d, v2));
    let keys: Vec<i64> = dict::items_vec(&d).iter().map(|(k, _)| long::to_i64(k).unwrap()).collect();
    let expected: Vec<i64> = (1..5000).step_by(2).map(|i| i * 31).collect();
    assert_eq!(keys, expected);
    assert_eq!(repr(&dict::get_item(&d, &long::from_i64(31)).unwrap().unwrap()), "'one'");
    let e = dict::del_item(&d, &long::from_i64(0)).unwrap_err();
    assert_eq!(format!("{e:?}"), "KeyError: 0");
    // Equal keys of different types find the same entry: hash(1) == hash(1.0) and 1 == 1.0.
    dict::set_item(&d, &long::from_i64(7), &unicode::new("seven")).unwrap();
    assert_eq!(repr(&dict::get_item(&d, &float::new(7.0)).unwrap().unwrap()), "'seven'");
}

#[test]
fn containers_release_their_items() {
    init();
    let before = stats::live();
    {
        let l = list::new();
        for i in 0..1000 {
            list::append(&l, &long::from_i64(1_000_000 + i));
        }
        let t = list::as_tuple(&l);
        assert_eq!(tuple::len(&t), 1000);
        let d = dict::new();
        dict::set_item(&d, &t, &l).unwrap();
        assert_eq!(repr(&tuple::new_from(&[&long::from_i64(1)])), "(1,)");
    }
    assert_eq!(stats::live(), before, "every object made above is freed when its last reference goes");
}

#[test]
fn exceptions_repr_and_str_like_cpython() {
    init();
    let e = pyrite_vm::PyErr::new(exc::ValueError(), "bad value");
    assert_eq!(repr(e.value()), "ValueError('bad value')");
    assert_eq!(format!("{e:?}"), "ValueError: bad value");
    let k = pyrite_vm::PyErr::from_type_and_arg(exc::KeyError(), &unicode::new("k"));
    assert_eq!(format!("{k:?}"), "KeyError: 'k'");
    assert!(k.matches(exc::LookupError()));
    assert!(!k.matches(exc::ValueError()));
    let none = pyrite_vm::PyErr::from_type_no_args(exc::StopIteration());
    assert_eq!(repr(none.value()), "StopIteration()");
    assert_eq!(repr(exc::TypeError()), "<class 'TypeError'>");
    assert_eq!(repr(&pyrite_vm::objects::type_::PyType_Type), "<class 'type'>");
}
