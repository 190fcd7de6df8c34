//! `_functools` (CPython's `Modules/_functoolsmodule.c`): `reduce`, `cmp_to_key` (its
//! `KeyWrapper` objects) and `_lru_cache_wrapper`, the C core of `functools.lru_cache`.
//! `partial` and `Placeholder` are in `functools_partial.rs`.

use core::ffi::c_int;

use pyrite_abi::*;

use super::functools_partial as partial;
use super::native::{self, new_instance, with};
use crate::err::PyResult;
use crate::method_table;
use crate::object::{Obj, PyRef};
use crate::objects::argparse::{self, Kw, Sig};
use crate::objects::iterobject;
use crate::objects::type_::{self, TypeObj};
use crate::objects::{dict, long, none, tuple, unicode};
use crate::slot::{arg, opt_arg, ret_obj};
use crate::{abstract_, getter_def};

pub fn create() -> PyResult<PyRef> {
    let m = native::new_module("_functools", FUNCTOOLS_FUNCTIONS.0.get() as *mut PyMethodDef)?;
    native::add_types(&m, &[&KEY_WRAPPER, &LRU_WRAPPER, &partial::PARTIAL, &partial::PLACEHOLDER_TYPE])?;
    let d = crate::objects::module::dict_of(&m);
    // `KeyWrapper` is not a module attribute in CPython.
    dict::del_item(d, &unicode::new("KeyWrapper"))?;
    dict::set_item_str(d, "Placeholder", &*partial::placeholder()?)?;
    Ok(m)
}

method_table!(static FUNCTOOLS_FUNCTIONS = [
    kw c"reduce" => reduce,
    kw c"cmp_to_key" => cmp_to_key,
]);

// ---- reduce ---------------------------------------------------------------------------------

fn reduce(_m: &Obj, a: &[&Obj], kw: Kw) -> PyResult<PyRef> {
    let sig = Sig { name: "reduce", params: &["function", "iterable", "initial"], posonly: 2, maxpos: 3, required: 2 };
    let [func, seq, initial] = argparse::parse::<3>(&sig, a, kw)?;
    let (func, seq) = (func.unwrap(), seq.unwrap());
    let it = iterobject::get_iter(seq).map_err(|e| {
        if e.is_instance(crate::objects::exceptions::TypeError()) {
            raise!(TypeError, "reduce() arg 2 must support iteration")
        } else {
            e
        }
    })?;
    let mut acc = initial.map(Obj::new_ref);
    while let Some(v) = iterobject::next(&it)? {
        acc = Some(match acc {
            None => v,
            Some(a) => abstract_::call(func, &tuple::new_from(&[&a, &v]), None)?,
        });
    }
    acc.ok_or_else(|| raise!(TypeError, "reduce() of empty iterable with no initial value"))
}

// ---- cmp_to_key -----------------------------------------------------------------------------

struct KeyWrapper {
    cmp: PyRef,
    /// None for the wrapper `cmp_to_key` returns (calling it wraps an object).
    object: Option<PyRef>,
}

native_type!(final KEY_WRAPPER, c"functools.KeyWrapper", KeyWrapper, {
    tp_call: slot_call!(key_call),
    tp_richcompare: slot_richcompare!(key_richcompare),
    tp_hash: Some(crate::objects::list::unhashable),
    tp_getset: KEY_GETSET.0.get() as *mut PyGetSetDef,
    tp_getattro: Some(type_::generic_getattr),
});

static KEY_GETSET: type_::StaticTable<PyGetSetDef, 2> =
    type_::StaticTable(core::cell::UnsafeCell::new([getter_def!(c"obj", key_obj), type_::GETSET_END]));

fn cmp_to_key(_m: &Obj, a: &[&Obj], kw: Kw) -> PyResult<PyRef> {
    let sig = Sig { name: "cmp_to_key", params: &["mycmp"], posonly: 0, maxpos: 1, required: 1 };
    let [cmp] = argparse::parse::<1>(&sig, a, kw)?;
    new_instance(&KEY_WRAPPER, KeyWrapper { cmp: cmp.unwrap().new_ref(), object: None })
}

fn key_call(o: &Obj, a: &[&Obj], kw: Option<&Obj>) -> PyResult<PyRef> {
    let sig = Sig { name: "K", params: &["obj"], posonly: 0, maxpos: 1, required: 1 };
    let [obj] = native::parse_new::<1>(&sig, a, kw)?;
    let cmp = with(o, |k: &mut KeyWrapper| k.cmp.clone())?;
    new_instance(&KEY_WRAPPER, KeyWrapper { cmp, object: obj })
}

fn key_obj(o: &Obj) -> PyResult<PyRef> {
    with(o, |k: &mut KeyWrapper| k.object.clone())?.ok_or_else(|| raise!(AttributeError, "obj"))
}

fn key_richcompare(a: &Obj, b: &Obj, op: c_int) -> PyResult<PyRef> {
    if !b.ob_type().is(&KEY_WRAPPER) {
        return Err(raise!(TypeError, "other argument must be K instance"));
    }
    let (cmp, x) = with(a, |k: &mut KeyWrapper| (k.cmp.clone(), k.object.clone()))?;
    let y = with(b, |k: &mut KeyWrapper| k.object.clone())?;
    let (Some(x), Some(y)) = (x, y) else { return Err(raise!(AttributeError, "object")) };
    let r = abstract_::call(&cmp, &tuple::new_from(&[&x, &y]), None)?;
    abstract_::rich_compare(&r, &long::from_i64(0), op)
}

// ---- _lru_cache_wrapper ---------------------------------------------------------------------

struct Lru {
    func: PyRef,
    cache: PyRef,
    /// None: unbounded.
    maxsize: Option<usize>,
    typed: bool,
    hits: usize,
    misses: usize,
    cache_info_type: PyRef,
}

native_type!(LRU_WRAPPER, c"functools._lru_cache_wrapper", Lru, {
    tp_call: slot_call!(lru_call),
    tp_descr_get: Some(lru_descr_get),
    tp_new: slot_new!(lru_new),
    tp_dictoffset: native::DICT_OFFSET,
    tp_weaklistoffset: native::WEAKLIST_OFFSET,
    tp_getattro: Some(type_::generic_getattr),
    tp_setattro: Some(type_::generic_setattr),
    tp_methods: LRU_METHODS.0.get() as *mut PyMethodDef,
    tp_getset: LRU_GETSET.0.get() as *mut PyGetSetDef,
    tp_doc: c"Create a cached callable that wraps another function.\n\nuser_function:      the function being cached\n\nmaxsize:  0         for no caching\n          None      for unlimited cache size\n          n         for a bounded cache\n\ntyped:    False     cache f(3) and f(3.0) as identical calls\n          True      cache f(3) and f(3.0) as distinct calls\n\ncache_info_type:    namedtuple class with the fields:\n                        hits misses currsize maxsize\n".as_ptr(),
});

method_table!(static LRU_METHODS = [
    noargs c"cache_info" => lru_cache_info,
    noargs c"cache_clear" => lru_cache_clear,
    noargs c"__reduce__" => lru_reduce,
    noargs c"__copy__" => lru_copy,
    o c"__deepcopy__" => lru_deepcopy,
]);

static LRU_GETSET: type_::StaticTable<PyGetSetDef, 2> =
    type_::StaticTable(core::cell::UnsafeCell::new([native::DICT_GETSET, type_::GETSET_END]));

fn lru_new(t: &TypeObj, a: &[&Obj], kw: Option<&Obj>) -> PyResult<PyRef> {
    let sig = Sig {
        name: "_lru_cache_wrapper",
        params: &["user_function", "maxsize", "typed", "cache_info_type"],
        posonly: 0,
        maxpos: 4,
        required: 4,
    };
    let [func, maxsize, typed, info] = native::parse_new::<4>(&sig, a, kw)?;
    let func = func.unwrap();
    if func.ob_type().slots().tp_call.is_none() {
        return Err(raise!(TypeError, "the first argument must be callable"));
    }
    let maxsize = maxsize.unwrap();
    let maxsize = if maxsize.is(none::none_obj()) {
        None
    } else if argparse::index_check(&maxsize) {
        Some(argparse::ssize_clamped(&maxsize)?.max(0) as usize)
    } else {
        return Err(raise!(TypeError, "maxsize should be integer or None"));
    };
    let typed = abstract_::is_true(&typed.unwrap())?;
    let state = Lru { func, cache: dict::new(), maxsize, typed, hits: 0, misses: 0, cache_info_type: info.unwrap() };
    new_instance(t, state)
}

/// The cache key of a call (CPython's `lru_cache_make_key`): one exact int or str argument is
/// its own key; otherwise a tuple of the arguments, a marker and the keyword pairs, then the
/// argument types when `typed`.
fn make_key(a: &[&Obj], kw: Option<&Obj>, typed: bool) -> PyRef {
    let kw_pairs = Kw::pairs_of_dict(kw);
    if !typed && kw_pairs.is_empty() {
        if a.len() == 1 && (unicode::check_exact(a[0]) || a[0].is_exact(&crate::objects::long::PyLong_Type)) {
            return a[0].new_ref();
        }
        return tuple::new_from(a);
    }
    let mut key: Vec<PyRef> = a.iter().map(|x| x.new_ref()).collect();
    if !kw_pairs.is_empty() {
        // A marker no caller can pass: the wrapper type itself.
        key.push(LRU_WRAPPER.new_ref());
        for (k, v) in &kw_pairs {
            key.push(k.clone());
            key.push(v.clone());
        }
    }
    if typed {
        for x in a {
            key.push(x.ob_type().new_ref());
        }
        for (_, v) in &kw_pairs {
            key.push(v.ob_type().new_ref());
        }
    }
    tuple::new_from_owned(key)
}

fn lru_call(o: &Obj, a: &[&Obj], kw: Option<&Obj>) -> PyResult<PyRef> {
    let (func, cache, maxsize, typed) = with(o, |s: &mut Lru| (s.func.clone(), s.cache.clone(), s.maxsize, s.typed))?;
    let args = tuple::new_from(a);
    if maxsize == Some(0) {
        with(o, |s: &mut Lru| s.misses += 1)?;
        return abstract_::call(&func, &args, kw);
    }
    let key = make_key(a, kw, typed);
    let hash = abstract_::hash(&key)?;
    if let Some(v) = dict::get_item_hashed(&cache, &key, hash)? {
        with(o, |s: &mut Lru| s.hits += 1)?;
        if maxsize.is_some() {
            // Most recently used goes last.
            if let Some(v) = dict::pop(&cache, &key)? {
                dict::set_item(&cache, &key, &v)?;
            }
        }
        return Ok(v);
    }
    with(o, |s: &mut Lru| s.misses += 1)?;
    let result = abstract_::call(&func, &args, kw)?;
    if dict::contains(&cache, &key)? {
        // A recursive call already cached this key.
        return Ok(result);
    }
    if let Some(max) = maxsize {
        if dict::len(&cache) >= max {
            let mut pos = 0;
            let oldest = dict::next(&cache, &mut pos).map(|(k, _)| k.new_ref());
            if let Some(k) = oldest {
                let old = dict::pop(&cache, &k)?;
                drop(old);
            }
        }
    }
    dict::set_item(&cache, &key, &result)?;
    Ok(result)
}

fn lru_cache_info(o: &Obj) -> PyResult<PyRef> {
    let (hits, misses, maxsize, cache, info) =
        with(o, |s: &mut Lru| (s.hits, s.misses, s.maxsize, s.cache.clone(), s.cache_info_type.clone()))?;
    let maxsize = maxsize.map_or_else(none::none, long::from_usize);
    let args = [long::from_usize(hits), long::from_usize(misses), maxsize, long::from_usize(dict::len(&cache))];
    abstract_::call(&info, &tuple::new_from_owned(args.to_vec()), None)
}

fn lru_cache_clear(o: &Obj) -> PyResult<PyRef> {
    let cache = with(o, |s: &mut Lru| {
        s.hits = 0;
        s.misses = 0;
        s.cache.clone()
    })?;
    dict::clear(&cache);
    Ok(none::none())
}

fn lru_reduce(o: &Obj) -> PyResult<PyRef> {
    abstract_::getattr_str(o, "__qualname__")
}

fn lru_copy(o: &Obj) -> PyResult<PyRef> {
    Ok(o.new_ref())
}

fn lru_deepcopy(o: &Obj, _memo: &Obj) -> PyResult<PyRef> {
    Ok(o.new_ref())
}

unsafe extern "C" fn lru_descr_get(o: *mut PyObject, obj: *mut PyObject, _t: *mut PyObject) -> *mut PyObject {
    // SAFETY: descriptor contract: live self, NULL/None or an instance.
    let (o, obj) = unsafe { (arg(o), opt_arg(obj)) };
    ret_obj(Ok(match obj {
        Some(obj) if !obj.is(none::none_obj()) => crate::objects::function::new_method(o, obj),
        _ => o.new_ref(),
    }))
}
