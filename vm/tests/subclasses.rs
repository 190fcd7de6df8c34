//! Subclasses of the built-in containers (static subtypes defined here, readied like an
//! extension's): the `tp_new` paths that build subtype instances (a `str` subclass holds its
//! text out of line, as CPython's non-compact strings), `dict.__missing__`, and the reprs and
//! result types CPython gives subclasses.

#![allow(non_upper_case_globals)]

use pyrite_abi::*;
use pyrite_vm::object::stats;
use pyrite_vm::objects::type_::{ready, TypeObj, BUILTIN_BASETYPE_FLAGS};
use pyrite_vm::objects::{bytearray, bytes, dict, list, long, none, set, tuple, unicode};
use pyrite_vm::{abstract_, private_static_type, Obj, PyRef, PyResult};

fn repr(o: &Obj) -> String {
    unicode::as_str_lossy(&abstract_::repr(o).unwrap()).into_owned()
}

fn call(t: &TypeObj, args: &[&Obj]) -> PyResult<PyRef> {
    abstract_::call(t, &tuple::new_from(args), None)
}

private_static_type!(StrSub, c"StrSub", 0, { tp_base: unicode::PyUnicode_Type.raw(), tp_flags: BUILTIN_BASETYPE_FLAGS });
private_static_type!(BytesSub, c"BytesSub", 0, { tp_base: bytes::PyBytes_Type.raw(), tp_flags: BUILTIN_BASETYPE_FLAGS });
private_static_type!(TupleSub, c"TupleSub", 0, { tp_base: tuple::PyTuple_Type.raw(), tp_flags: BUILTIN_BASETYPE_FLAGS });
private_static_type!(ListSub, c"ListSub", 0, { tp_base: list::PyList_Type.raw(), tp_flags: BUILTIN_BASETYPE_FLAGS });
private_static_type!(SetSub, c"SetSub", 0, { tp_base: set::PySet_Type.raw(), tp_flags: BUILTIN_BASETYPE_FLAGS });
private_static_type!(FrozenSub, c"FrozenSub", 0, { tp_base: set::PyFrozenSet_Type.raw(), tp_flags: BUILTIN_BASETYPE_FLAGS });
private_static_type!(ByteArraySub, c"ByteArraySub", 0, { tp_base: bytearray::PyByteArray_Type.raw(), tp_flags: BUILTIN_BASETYPE_FLAGS });
private_static_type!(DictMissing, c"DictMissing", 0, {
    tp_base: dict::PyDict_Type.raw(),
    tp_flags: BUILTIN_BASETYPE_FLAGS,
    tp_methods: MISSING_METHODS.0.get() as *mut PyMethodDef,
});

fn missing(_: &Obj, key: &Obj) -> PyResult<PyRef> {
    Ok(unicode::new(&format!("missing {}", repr(key))))
}

pyrite_vm::method_table!(static MISSING_METHODS = [o c"__missing__" => missing]);

fn init() {
    pyrite_vm::initialize();
    for t in [&StrSub, &BytesSub, &TupleSub, &ListSub, &SetSub, &FrozenSub, &ByteArraySub, &DictMissing] {
        ready(t).unwrap();
    }
}

#[test]
fn str_subclass_instances_hold_their_text_out_of_line() {
    init();
    let before = stats::live();
    {
        let s = call(&StrSub, &[&unicode::new("héllo €")]).unwrap();
        assert!(s.is_exact(&StrSub) && unicode::check(&s) && !unicode::check_exact(&s));
        assert_eq!(unicode::as_str(&s).unwrap(), "héllo €");
        assert_eq!(unicode::len(&s), 7);
        let plain = unicode::new("héllo €");
        assert!(abstract_::rich_compare_bool(&s, &plain, Py_EQ).unwrap());
        assert_eq!(abstract_::hash(&s).unwrap(), abstract_::hash(&plain).unwrap());
        let up = abstract_::call_method(&s, "upper", &[]).unwrap();
        assert!(unicode::check_exact(&up), "methods return exact str");
        assert_eq!(repr(&up), "'HÉLLO €'");
        let st = abstract_::str(&s).unwrap();
        assert!(unicode::check_exact(&st));
        let a = call(&StrSub, &[&bytes::new(b"abc"), &unicode::new("ascii")]).unwrap();
        assert_eq!(repr(&a), "'abc'");
        assert_eq!(unicode::as_str(&a).unwrap().as_ptr(), unicode::data(&a) as *const u8, "ASCII: the UTF-8 form is the data");
        let e = call(&StrSub, &[]).unwrap();
        assert_eq!(unicode::len(&e), 0);
    }
    assert_eq!(stats::live(), before, "subclass instances and their data are freed");
}

#[test]
fn bytes_tuple_list_subclasses() {
    init();
    let b = call(&BytesSub, &[&list::new_from_owned(vec![long::from_i64(65), long::from_i64(66)])]).unwrap();
    assert!(b.is_exact(&BytesSub));
    assert_eq!(bytes::as_bytes(&b), b"AB");
    assert_eq!(abstract_::hash(&b).unwrap(), abstract_::hash(&bytes::new(b"AB")).unwrap());
    assert_eq!(repr(&b), "b'AB'");
    let t = call(&TupleSub, &[&unicode::new("ab")]).unwrap();
    assert!(t.is_exact(&TupleSub));
    assert_eq!(repr(&t), "('a', 'b')");
    assert_eq!(abstract_::hash(&t).unwrap(), abstract_::hash(&tuple::new_from_owned(vec![unicode::new("a"), unicode::new("b")])).unwrap());
    let l = call(&ListSub, &[&unicode::new("xy")]).unwrap();
    assert!(l.is_exact(&ListSub));
    assert_eq!(repr(&l), "['x', 'y']");
    let sliced = abstract_::getitem(&l, &pyrite_vm::objects::slice::new(None, None, None)).unwrap();
    assert!(sliced.is_exact(&list::PyList_Type), "slicing a subclass gives a list");
}

#[test]
fn dict_subclass_missing_is_called() {
    init();
    let d = call(&DictMissing, &[]).unwrap();
    assert!(d.is_exact(&DictMissing));
    dict::set_item(&d, &long::from_i64(1), &long::from_i64(2)).unwrap();
    assert_eq!(repr(&abstract_::getitem(&d, &long::from_i64(1)).unwrap()), "2");
    assert_eq!(repr(&abstract_::getitem(&d, &unicode::new("k")).unwrap()), "\"missing 'k'\"");
    // .get() does not use __missing__.
    assert_eq!(repr(&abstract_::call_method(&d, "get", &[&unicode::new("k")]).unwrap()), "None");
    let plain = dict::new();
    let e = abstract_::getitem(&plain, &unicode::new("k")).unwrap_err();
    assert_eq!(format!("{e:?}"), "KeyError: 'k'");
}

#[test]
fn set_subclass_reprs_and_result_types() {
    init();
    let items = list::new_from_owned(vec![long::from_i64(1)]);
    let s = call(&SetSub, &[&items]).unwrap();
    assert_eq!(repr(&s), "SetSub({1})");
    let empty = call(&SetSub, &[]).unwrap();
    assert_eq!(repr(&empty), "SetSub()");
    let u = abstract_::call_method(&s, "union", &[&set::new_empty()]).unwrap();
    assert!(u.is_exact(&set::PySet_Type), "operations give the base type");
    let f = call(&FrozenSub, &[&items]).unwrap();
    assert_eq!(repr(&f), "FrozenSub({1})");
    let c = abstract_::call_method(&f, "copy", &[]).unwrap();
    assert!(c.is_exact(&set::PyFrozenSet_Type) && !c.is(&f), "a subclass's copy is a new frozenset");
    let fz = set::frozenset_from_iterable(Some(&items)).unwrap();
    assert!(abstract_::rich_compare_bool(&f, &fz, Py_EQ).unwrap());
    assert_eq!(abstract_::hash(&f).unwrap(), abstract_::hash(&fz).unwrap());
    let b = call(&ByteArraySub, &[&bytes::new(b"ab")]).unwrap();
    assert_eq!(repr(&b), "ByteArraySub(b'ab')");
    let _ = none::none();
}
