//! `itertools` (CPython's `Modules/itertoolsmodule.c`): the lazy iterator building blocks.
//! Each type keeps its state as Rust values (see `native`); they produce items exactly when
//! and as CPython's do (how far each consumes its sources matters to callers sharing them).

use std::rc::Rc;

use pyrite_abi::*;

use super::native::{self, new_instance, parse_new, positional_only, with};
use crate::err::PyResult;
use crate::object::{Obj, PyRef};
use crate::objects::argparse::{self, Sig};
use crate::objects::iterobject::{get_iter, next, self_iter};
use crate::objects::type_::TypeObj;
use crate::objects::{long, none, tuple, unicode};
use crate::{abstract_, method_table};

pub fn create() -> PyResult<PyRef> {
    let m = native::new_module("itertools", ITERTOOLS_FUNCTIONS.0.get() as *mut PyMethodDef)?;
    native::add_types(
        &m,
        &[
            &ACCUMULATE, &BATCHED, &CHAIN, &COMBINATIONS, &CWR, &COMPRESS, &COUNT, &CYCLE, &DROPWHILE, &FILTERFALSE,
            &GROUPBY, &GROUPER, &ISLICE, &PAIRWISE, &PERMUTATIONS, &PRODUCT, &REPEAT, &STARMAP, &TAKEWHILE, &TEE,
            &TEE_DATA, &ZIP_LONGEST,
        ],
    )?;
    Ok(m)
}

method_table!(static ITERTOOLS_FUNCTIONS = [
    fast c"tee" => tee,
]);

fn is_none(o: &Obj) -> bool {
    o.is(none::none_obj())
}

/// `PyNumber_Check`: ints, floats, complex numbers and anything with `__index__`, `__int__`
/// or `__float__`.
fn number_check(o: &Obj) -> bool {
    // SAFETY: reading the number suite of a live type.
    let nb = unsafe { o.ob_type().slots().tp_as_number.as_ref() };
    nb.is_some_and(|nb| nb.nb_index.is_some() || nb.nb_int.is_some() || nb.nb_float.is_some())
        || crate::objects::complex::check(o)
}

fn r_tuple(items: &[PyRef]) -> PyRef {
    tuple::new_from_owned(items.to_vec())
}

// ---- count ----------------------------------------------------------------------------------

struct Count {
    cnt: PyRef,
    step: PyRef,
}

native_type!(COUNT, c"itertools.count", Count, {
    tp_iter: Some(self_iter),
    tp_iternext: slot_next!(count_next),
    tp_repr: slot_unary!(count_repr),
    tp_new: slot_new!(count_new),
    tp_getattro: Some(crate::objects::type_::generic_getattr),
    tp_doc: c"count(start=0, step=1)\n--\n\nReturn a count object whose .__next__() method returns consecutive values.".as_ptr(),
});

fn count_new(t: &TypeObj, a: &[&Obj], kw: Option<&Obj>) -> PyResult<PyRef> {
    let sig = Sig { name: "count", params: &["start", "step"], posonly: 0, maxpos: 2, required: 0 };
    let [start, step] = parse_new::<2>(&sig, a, kw)?;
    if start.as_deref().is_some_and(|s| !number_check(s)) || step.as_deref().is_some_and(|s| !number_check(s)) {
        return Err(raise!(TypeError, "a number is required"));
    }
    let cnt = start.unwrap_or_else(|| long::from_i64(0));
    let step = step.unwrap_or_else(|| long::from_i64(1));
    new_instance(t, Count { cnt, step })
}

fn count_next(o: &Obj) -> PyResult<Option<PyRef>> {
    let (cnt, step) = with(o, |s: &mut Count| (s.cnt.clone(), s.step.clone()))?;
    let nxt = crate::number::binary_op(&cnt, &step, crate::number::BinaryOp::Add)?;
    with(o, |s: &mut Count| s.cnt = nxt)?;
    Ok(Some(cnt))
}

fn count_repr(o: &Obj) -> PyResult<PyRef> {
    let (cnt, step) = with(o, |s: &mut Count| (s.cnt.clone(), s.step.clone()))?;
    let name = native::type_name(o);
    let step_is_one = long::check(&step) && long::to_i64(&step) == Some(1);
    let text = if step_is_one {
        format!("{name}({})", native::repr_string(&cnt)?)
    } else {
        format!("{name}({}, {})", native::repr_string(&cnt)?, native::repr_string(&step)?)
    };
    Ok(unicode::new(&text))
}

// ---- cycle ----------------------------------------------------------------------------------

struct Cycle {
    it: Option<PyRef>,
    saved: Vec<PyRef>,
    index: usize,
}

native_type!(CYCLE, c"itertools.cycle", Cycle, {
    tp_iter: Some(self_iter),
    tp_iternext: slot_next!(cycle_next),
    tp_new: slot_new!(cycle_new),
    tp_doc: c"cycle(iterable, /)\n--\n\nReturn elements from the iterable until it is exhausted. Then repeat the sequence indefinitely.".as_ptr(),
});

fn cycle_new(t: &TypeObj, a: &[&Obj], kw: Option<&Obj>) -> PyResult<PyRef> {
    positional_only("cycle", a, kw, 1, 1)?;
    new_instance(t, Cycle { it: Some(get_iter(a[0])?), saved: Vec::new(), index: 0 })
}

fn cycle_next(o: &Obj) -> PyResult<Option<PyRef>> {
    if let Some(it) = with(o, |s: &mut Cycle| s.it.clone())? {
        if let Some(v) = next(&it)? {
            with(o, |s: &mut Cycle| s.saved.push(v.clone()))?;
            return Ok(Some(v));
        }
        with(o, |s: &mut Cycle| s.it = None)?;
    }
    with(o, |s: &mut Cycle| {
        if s.saved.is_empty() {
            return None;
        }
        let v = s.saved[s.index].clone();
        s.index = (s.index + 1) % s.saved.len();
        Some(v)
    })
}

// ---- repeat ---------------------------------------------------------------------------------

struct Repeat {
    element: PyRef,
    /// Items left; None repeats forever.
    left: Option<usize>,
}

native_type!(REPEAT, c"itertools.repeat", Repeat, {
    tp_iter: Some(self_iter),
    tp_iternext: slot_next!(repeat_next),
    tp_repr: slot_unary!(repeat_repr),
    tp_new: slot_new!(repeat_new),
    tp_methods: REPEAT_METHODS.0.get() as *mut PyMethodDef,
    tp_doc: c"repeat(object [,times]) -> create an iterator which returns the object\nfor the specified number of times.  If not specified, returns the object\nendlessly.".as_ptr(),
});

method_table!(static REPEAT_METHODS = [
    noargs c"__length_hint__" => repeat_length_hint,
]);

fn repeat_new(t: &TypeObj, a: &[&Obj], kw: Option<&Obj>) -> PyResult<PyRef> {
    let sig = Sig { name: "repeat", params: &["object", "times"], posonly: 0, maxpos: 2, required: 1 };
    let [element, times] = parse_new::<2>(&sig, a, kw)?;
    let left = match times {
        Some(n) => Some(argparse::ssize(&n)?.max(0) as usize),
        None => None,
    };
    new_instance(t, Repeat { element: element.unwrap(), left })
}

fn repeat_next(o: &Obj) -> PyResult<Option<PyRef>> {
    with(o, |s: &mut Repeat| match s.left {
        None => Some(s.element.clone()),
        Some(0) => None,
        Some(n) => {
            s.left = Some(n - 1);
            Some(s.element.clone())
        }
    })
}

fn repeat_repr(o: &Obj) -> PyResult<PyRef> {
    let (element, left) = with(o, |s: &mut Repeat| (s.element.clone(), s.left))?;
    let name = native::type_name(o);
    let e = native::repr_string(&element)?;
    Ok(unicode::new(&match left {
        None => format!("{name}({e})"),
        Some(n) => format!("{name}({e}, {n})"),
    }))
}

fn repeat_length_hint(o: &Obj) -> PyResult<PyRef> {
    match with(o, |s: &mut Repeat| s.left)? {
        None => Err(raise!(TypeError, "len() of unsized object")),
        Some(n) => Ok(long::from_usize(n)),
    }
}

// ---- accumulate -----------------------------------------------------------------------------

struct Accumulate {
    it: PyRef,
    func: Option<PyRef>,
    total: Option<PyRef>,
    initial: Option<PyRef>,
}

native_type!(ACCUMULATE, c"itertools.accumulate", Accumulate, {
    tp_iter: Some(self_iter),
    tp_iternext: slot_next!(accumulate_next),
    tp_new: slot_new!(accumulate_new),
    tp_doc: c"accumulate(iterable, func=None, *, initial=None)\n--\n\nReturn series of accumulated sums (or other binary function results).".as_ptr(),
});

fn accumulate_new(t: &TypeObj, a: &[&Obj], kw: Option<&Obj>) -> PyResult<PyRef> {
    let sig = Sig { name: "accumulate", params: &["iterable", "func", "initial"], posonly: 0, maxpos: 2, required: 1 };
    let [iterable, func, initial] = parse_new::<3>(&sig, a, kw)?;
    let it = get_iter(&iterable.unwrap())?;
    let func = func.filter(|f| !is_none(f));
    let initial = initial.filter(|f| !is_none(f));
    new_instance(t, Accumulate { it, func, total: None, initial })
}

fn accumulate_next(o: &Obj) -> PyResult<Option<PyRef>> {
    let (it, func, total, initial) =
        with(o, |s: &mut Accumulate| (s.it.clone(), s.func.clone(), s.total.clone(), s.initial.take()))?;
    if let Some(init) = initial {
        with(o, |s: &mut Accumulate| s.total = Some(init.clone()))?;
        return Ok(Some(init));
    }
    let Some(v) = next(&it)? else { return Ok(None) };
    let new_total = match total {
        None => v,
        Some(t) => match func {
            None => crate::number::binary_op(&t, &v, crate::number::BinaryOp::Add)?,
            Some(f) => abstract_::call(&f, &tuple::new_from(&[&t, &v]), None)?,
        },
    };
    with(o, |s: &mut Accumulate| s.total = Some(new_total.clone()))?;
    Ok(Some(new_total))
}

// ---- batched --------------------------------------------------------------------------------

struct Batched {
    it: Option<PyRef>,
    n: usize,
    strict: bool,
}

native_type!(BATCHED, c"itertools.batched", Batched, {
    tp_iter: Some(self_iter),
    tp_iternext: slot_next!(batched_next),
    tp_new: slot_new!(batched_new),
    tp_doc: c"batched(iterable, n, *, strict=False)\n--\n\nBatch data into tuples of length n. The last batch may be shorter than n.".as_ptr(),
});

fn batched_new(t: &TypeObj, a: &[&Obj], kw: Option<&Obj>) -> PyResult<PyRef> {
    let sig = Sig { name: "batched", params: &["iterable", "n", "strict"], posonly: 0, maxpos: 2, required: 2 };
    let [iterable, n, strict] = parse_new::<3>(&sig, a, kw)?;
    let n = argparse::ssize(&n.unwrap())?;
    if n < 1 {
        return Err(raise!(ValueError, "n must be at least one"));
    }
    let strict = match strict {
        Some(s) => abstract_::is_true(&s)?,
        None => false,
    };
    let it = get_iter(&iterable.unwrap())?;
    new_instance(t, Batched { it: Some(it), n: n as usize, strict })
}

fn batched_next(o: &Obj) -> PyResult<Option<PyRef>> {
    let Some((it, n, strict)) = with(o, |s: &mut Batched| s.it.clone().map(|it| (it, s.n, s.strict)))? else {
        return Ok(None);
    };
    let mut items = Vec::with_capacity(n.min(1024));
    while items.len() < n {
        match next(&it) {
            Ok(Some(v)) => items.push(v),
            Ok(None) => break,
            Err(e) => {
                with(o, |s: &mut Batched| s.it = None)?;
                return Err(e);
            }
        }
    }
    if items.len() < n {
        with(o, |s: &mut Batched| s.it = None)?;
        if items.is_empty() {
            return Ok(None);
        }
        if strict {
            return Err(raise!(ValueError, "batched(): incomplete batch"));
        }
    }
    Ok(Some(tuple::new_from_owned(items)))
}

// ---- chain ----------------------------------------------------------------------------------

struct Chain {
    /// The iterator over the iterables (None once exhausted).
    source: Option<PyRef>,
    active: Option<PyRef>,
}

native_type!(CHAIN, c"itertools.chain", Chain, {
    tp_iter: Some(self_iter),
    tp_iternext: slot_next!(chain_next),
    tp_new: slot_new!(chain_new),
    tp_methods: CHAIN_METHODS.0.get() as *mut PyMethodDef,
    tp_doc: c"chain(*iterables)\n--\n\nReturn a chain object whose .__next__() method returns elements from the\nfirst iterable until it is exhausted, then elements from the next\niterable, until all of the iterables are exhausted.".as_ptr(),
});

method_table!(static CHAIN_METHODS = [
    class_o c"from_iterable" => chain_from_iterable,
    class_o c"__class_getitem__" => crate::objects::genericalias::class_getitem,
]);

fn chain_new(t: &TypeObj, a: &[&Obj], kw: Option<&Obj>) -> PyResult<PyRef> {
    if t.is(&CHAIN) {
        argparse::no_kw_dict("chain", kw)?;
    }
    let source = get_iter(&tuple::new_from(a))?;
    new_instance(t, Chain { source: Some(source), active: None })
}

fn chain_from_iterable(cls: &Obj, iterable: &Obj) -> PyResult<PyRef> {
    let source = get_iter(iterable)?;
    // SAFETY: a METH_CLASS method receives the class.
    let t = TypeObj::downcast(cls).ok_or_else(|| raise!(TypeError, "from_iterable() needs a class"))?;
    new_instance(t, Chain { source: Some(source), active: None })
}

fn chain_next(o: &Obj) -> PyResult<Option<PyRef>> {
    loop {
        let (source, active) = with(o, |s: &mut Chain| (s.source.clone(), s.active.clone()))?;
        let active = match active {
            Some(a) => a,
            None => {
                let Some(src) = source else { return Ok(None) };
                let Some(iterable) = next(&src)? else {
                    with(o, |s: &mut Chain| s.source = None)?;
                    return Ok(None);
                };
                let a = get_iter(&iterable)?;
                with(o, |s: &mut Chain| s.active = Some(a.clone()))?;
                a
            }
        };
        if let Some(v) = next(&active)? {
            return Ok(Some(v));
        }
        with(o, |s: &mut Chain| s.active = None)?;
    }
}

// ---- compress -------------------------------------------------------------------------------

struct Compress {
    data: PyRef,
    selectors: PyRef,
}

native_type!(COMPRESS, c"itertools.compress", Compress, {
    tp_iter: Some(self_iter),
    tp_iternext: slot_next!(compress_next),
    tp_new: slot_new!(compress_new),
    tp_doc: c"compress(data, selectors)\n--\n\nReturn data elements corresponding to true selector elements.".as_ptr(),
});

fn compress_new(t: &TypeObj, a: &[&Obj], kw: Option<&Obj>) -> PyResult<PyRef> {
    let sig = Sig { name: "compress", params: &["data", "selectors"], posonly: 0, maxpos: 2, required: 2 };
    let [data, selectors] = parse_new::<2>(&sig, a, kw)?;
    let data = get_iter(&data.unwrap())?;
    let selectors = get_iter(&selectors.unwrap())?;
    new_instance(t, Compress { data, selectors })
}

fn compress_next(o: &Obj) -> PyResult<Option<PyRef>> {
    let (data, selectors) = with(o, |s: &mut Compress| (s.data.clone(), s.selectors.clone()))?;
    loop {
        let Some(d) = next(&data)? else { return Ok(None) };
        let Some(sel) = next(&selectors)? else { return Ok(None) };
        if abstract_::is_true(&sel)? {
            return Ok(Some(d));
        }
    }
}

// ---- dropwhile, takewhile, filterfalse, starmap ---------------------------------------------

struct Predicated {
    func: PyRef,
    it: PyRef,
    /// dropwhile: dropping is over; takewhile: the predicate failed once.
    done: bool,
}

native_type!(DROPWHILE, c"itertools.dropwhile", Predicated, {
    tp_iter: Some(self_iter),
    tp_iternext: slot_next!(dropwhile_next),
    tp_new: slot_new!(dropwhile_new),
    tp_doc: c"dropwhile(predicate, iterable, /)\n--\n\nDrop items from the iterable while predicate(item) is true.\n\nAfterwards, return every element until the iterable is exhausted.".as_ptr(),
});

native_type!(TAKEWHILE, c"itertools.takewhile", Predicated, {
    tp_iter: Some(self_iter),
    tp_iternext: slot_next!(takewhile_next),
    tp_new: slot_new!(takewhile_new),
    tp_doc: c"takewhile(predicate, iterable, /)\n--\n\nReturn successive entries from an iterable as long as the predicate evaluates to true for each entry.".as_ptr(),
});

native_type!(FILTERFALSE, c"itertools.filterfalse", Predicated, {
    tp_iter: Some(self_iter),
    tp_iternext: slot_next!(filterfalse_next),
    tp_new: slot_new!(filterfalse_new),
    tp_doc: c"filterfalse(function, iterable, /)\n--\n\nReturn those items of iterable for which function(item) is false.\n\nIf function is None, return the items that are false.".as_ptr(),
});

native_type!(STARMAP, c"itertools.starmap", Predicated, {
    tp_iter: Some(self_iter),
    tp_iternext: slot_next!(starmap_next),
    tp_new: slot_new!(starmap_new),
    tp_doc: c"starmap(function, iterable, /)\n--\n\nReturn an iterator whose values are returned from the function evaluated with an argument tuple taken from the given sequence.".as_ptr(),
});

fn predicated_new(name: &str, base: &TypeObj, t: &TypeObj, a: &[&Obj], kw: Option<&Obj>) -> PyResult<PyRef> {
    if t.is(base) {
        argparse::no_kw_dict(name, kw)?;
    }
    argparse::check_positional(name, a.len(), 2, 2)?;
    new_instance(t, Predicated { func: a[0].new_ref(), it: get_iter(a[1])?, done: false })
}

fn dropwhile_new(t: &TypeObj, a: &[&Obj], kw: Option<&Obj>) -> PyResult<PyRef> {
    predicated_new("dropwhile", &DROPWHILE, t, a, kw)
}
fn takewhile_new(t: &TypeObj, a: &[&Obj], kw: Option<&Obj>) -> PyResult<PyRef> {
    predicated_new("takewhile", &TAKEWHILE, t, a, kw)
}
fn filterfalse_new(t: &TypeObj, a: &[&Obj], kw: Option<&Obj>) -> PyResult<PyRef> {
    predicated_new("filterfalse", &FILTERFALSE, t, a, kw)
}
fn starmap_new(t: &TypeObj, a: &[&Obj], kw: Option<&Obj>) -> PyResult<PyRef> {
    predicated_new("starmap", &STARMAP, t, a, kw)
}

fn predicated_parts(o: &Obj) -> PyResult<(PyRef, PyRef, bool)> {
    with(o, |s: &mut Predicated| (s.func.clone(), s.it.clone(), s.done))
}

fn dropwhile_next(o: &Obj) -> PyResult<Option<PyRef>> {
    let (func, it, done) = predicated_parts(o)?;
    loop {
        let Some(v) = next(&it)? else { return Ok(None) };
        if done {
            return Ok(Some(v));
        }
        if !abstract_::is_true(&*abstract_::call_one_arg(&func, &v)?)? {
            with(o, |s: &mut Predicated| s.done = true)?;
            return Ok(Some(v));
        }
    }
}

fn takewhile_next(o: &Obj) -> PyResult<Option<PyRef>> {
    let (func, it, done) = predicated_parts(o)?;
    if done {
        return Ok(None);
    }
    let Some(v) = next(&it)? else { return Ok(None) };
    if abstract_::is_true(&*abstract_::call_one_arg(&func, &v)?)? {
        return Ok(Some(v));
    }
    with(o, |s: &mut Predicated| s.done = true)?;
    Ok(None)
}

fn filterfalse_next(o: &Obj) -> PyResult<Option<PyRef>> {
    let (func, it, _) = predicated_parts(o)?;
    loop {
        let Some(v) = next(&it)? else { return Ok(None) };
        let truth = if is_none(&func) || func.is(&crate::objects::bool_::PyBool_Type) {
            abstract_::is_true(&v)?
        } else {
            abstract_::is_true(&*abstract_::call_one_arg(&func, &v)?)?
        };
        if !truth {
            return Ok(Some(v));
        }
    }
}

fn starmap_next(o: &Obj) -> PyResult<Option<PyRef>> {
    let (func, it, _) = predicated_parts(o)?;
    let Some(v) = next(&it)? else { return Ok(None) };
    let args = if tuple::check_exact(&v) { v } else { tuple::from_iterable(&v)? };
    abstract_::call(&func, &args, None).map(Some)
}

// ---- groupby --------------------------------------------------------------------------------

struct GroupBy {
    it: PyRef,
    keyfunc: Option<PyRef>,
    tgtkey: Option<PyRef>,
    currkey: Option<PyRef>,
    currvalue: Option<PyRef>,
    /// The address of the `_grouper` that may still advance (CPython's borrowed pointer).
    currgrouper: usize,
}

struct Grouper {
    parent: PyRef,
    tgtkey: PyRef,
}

native_type!(GROUPBY, c"itertools.groupby", GroupBy, {
    tp_iter: Some(self_iter),
    tp_iternext: slot_next!(groupby_next),
    tp_new: slot_new!(groupby_new),
    tp_doc: c"groupby(iterable, key=None)\n--\n\nmake an iterator that returns consecutive keys and groups from the iterable".as_ptr(),
});

native_type!(final GROUPER, c"itertools._grouper", Grouper, {
    tp_iter: Some(self_iter),
    tp_iternext: slot_next!(grouper_next),
});

fn groupby_new(t: &TypeObj, a: &[&Obj], kw: Option<&Obj>) -> PyResult<PyRef> {
    let sig = Sig { name: "groupby", params: &["iterable", "key"], posonly: 0, maxpos: 2, required: 1 };
    let [iterable, key] = parse_new::<2>(&sig, a, kw)?;
    let it = get_iter(&iterable.unwrap())?;
    let keyfunc = key.filter(|k| !is_none(k));
    new_instance(t, GroupBy { it, keyfunc, tgtkey: None, currkey: None, currvalue: None, currgrouper: 0 })
}

/// Reads the next value and its key into `currvalue`/`currkey`; false at exhaustion.
fn groupby_step(g: &Obj) -> PyResult<bool> {
    let (it, keyfunc) = with(g, |s: &mut GroupBy| (s.it.clone(), s.keyfunc.clone()))?;
    let Some(v) = next(&it)? else { return Ok(false) };
    let key = match keyfunc {
        None => v.clone(),
        Some(f) => abstract_::call_one_arg(&f, &v)?,
    };
    with(g, |s: &mut GroupBy| {
        s.currvalue = Some(v);
        s.currkey = Some(key);
    })?;
    Ok(true)
}

fn groupby_next(o: &Obj) -> PyResult<Option<PyRef>> {
    with(o, |s: &mut GroupBy| s.currgrouper = 0)?;
    // Skip to the next group.
    loop {
        let (tgt, curr) = with(o, |s: &mut GroupBy| (s.tgtkey.clone(), s.currkey.clone()))?;
        if let Some(curr) = curr {
            match tgt {
                None => break,
                Some(tgt) => {
                    if !abstract_::rich_compare_bool(&tgt, &curr, Py_EQ)? {
                        break;
                    }
                }
            }
        }
        if !groupby_step(o)? {
            return Ok(None);
        }
    }
    let key = with(o, |s: &mut GroupBy| {
        s.tgtkey = s.currkey.clone();
        s.currkey.clone()
    })?
    .expect("groupby has a current key");
    let grouper = new_instance(&GROUPER, Grouper { parent: o.new_ref(), tgtkey: key.clone() })?;
    let addr = grouper.as_ptr() as usize;
    with(o, |s: &mut GroupBy| s.currgrouper = addr)?;
    Ok(Some(tuple::new_from(&[&key, &grouper])))
}

fn grouper_next(o: &Obj) -> PyResult<Option<PyRef>> {
    let (parent, tgtkey) = with(o, |s: &mut Grouper| (s.parent.clone(), s.tgtkey.clone()))?;
    if with(&parent, |s: &mut GroupBy| s.currgrouper)? != o.as_ptr() as usize {
        return Ok(None);
    }
    if with(&parent, |s: &mut GroupBy| s.currvalue.is_none())? && !groupby_step(&parent)? {
        return Ok(None);
    }
    let curr = with(&parent, |s: &mut GroupBy| s.currkey.clone())?.expect("groupby has a current key");
    if !abstract_::rich_compare_bool(&tgtkey, &curr, Py_EQ)? {
        return Ok(None);
    }
    with(&parent, |s: &mut GroupBy| {
        s.currkey = None;
        s.currvalue.take()
    })
}

// ---- islice ---------------------------------------------------------------------------------

struct ISlice {
    it: Option<PyRef>,
    next: isize,
    /// -1: no stop.
    stop: isize,
    step: isize,
    cnt: isize,
}

native_type!(ISLICE, c"itertools.islice", ISlice, {
    tp_iter: Some(self_iter),
    tp_iternext: slot_next!(islice_next),
    tp_new: slot_new!(islice_new),
    tp_doc: c"islice(iterable, stop) --> islice object\nislice(iterable, start, stop[, step]) --> islice object\n\nReturn an iterator whose next() method returns selected values from an\niterable.  If start is specified, will skip all preceding elements;\notherwise, start defaults to zero.  Step defaults to one.  If\nspecified as another value, step determines how many values are\nskipped between successive calls.  Works like a slice() on a list\nbut returns an iterator.".as_ptr(),
});

/// `PyNumber_AsSsize_t(o, PyExc_OverflowError)` with any error cleared to -1.
fn ssize_or_minus_one(o: &Obj) -> isize {
    argparse::ssize(o).unwrap_or(-1)
}

fn islice_new(t: &TypeObj, a: &[&Obj], kw: Option<&Obj>) -> PyResult<PyRef> {
    if t.is(&ISLICE) {
        argparse::no_kw_dict("islice", kw)?;
    }
    argparse::check_positional("islice", a.len(), 2, 4)?;
    let stop_msg = "Stop argument for islice() must be None or an integer: 0 <= x <= sys.maxsize.";
    let (mut start, mut stop, mut step) = (0isize, -1isize, 1isize);
    if a.len() == 2 {
        if !is_none(a[1]) {
            stop = ssize_or_minus_one(a[1]);
            if stop == -1 {
                return Err(raise!(ValueError, "{}", stop_msg));
            }
        }
    } else {
        if !is_none(a[1]) {
            start = ssize_or_minus_one(a[1]);
        }
        if !is_none(a[2]) {
            stop = ssize_or_minus_one(a[2]);
            if stop == -1 {
                return Err(raise!(ValueError, "{}", stop_msg));
            }
        }
    }
    if start < 0 || stop < -1 {
        return Err(raise!(ValueError, "Indices for islice() must be None or an integer: 0 <= x <= sys.maxsize."));
    }
    if let Some(s) = a.get(3) {
        if !is_none(s) {
            step = ssize_or_minus_one(s);
        }
    }
    if step < 1 {
        return Err(raise!(ValueError, "Step for islice() must be a positive integer or None."));
    }
    let it = get_iter(a[0])?;
    new_instance(t, ISlice { it: Some(it), next: start, stop, step, cnt: 0 })
}

fn islice_next(o: &Obj) -> PyResult<Option<PyRef>> {
    let Some(it) = with(o, |s: &mut ISlice| s.it.clone())? else { return Ok(None) };
    let clear = |o: &Obj| with(o, |s: &mut ISlice| s.it = None);
    loop {
        let (cnt, nxt) = with(o, |s: &mut ISlice| (s.cnt, s.next))?;
        if cnt >= nxt {
            break;
        }
        if next(&it)?.is_none() {
            clear(o)?;
            return Ok(None);
        }
        with(o, |s: &mut ISlice| s.cnt += 1)?;
    }
    let (cnt, stop) = with(o, |s: &mut ISlice| (s.cnt, s.stop))?;
    if stop != -1 && cnt >= stop {
        clear(o)?;
        return Ok(None);
    }
    let Some(v) = next(&it)? else {
        clear(o)?;
        return Ok(None);
    };
    with(o, |s: &mut ISlice| {
        s.cnt += 1;
        let old = s.next;
        s.next = s.next.wrapping_add(s.step);
        if s.next < old || (s.stop != -1 && s.next > s.stop) {
            s.next = s.stop;
        }
    })?;
    Ok(Some(v))
}

// ---- pairwise -------------------------------------------------------------------------------

struct Pairwise {
    it: Option<PyRef>,
    old: Option<PyRef>,
}

native_type!(PAIRWISE, c"itertools.pairwise", Pairwise, {
    tp_iter: Some(self_iter),
    tp_iternext: slot_next!(pairwise_next),
    tp_new: slot_new!(pairwise_new),
    tp_doc: c"pairwise(iterable, /)\n--\n\nReturn an iterator of overlapping pairs taken from the input iterator.\n\n    s -> (s0,s1), (s1,s2), (s2, s3), ...".as_ptr(),
});

fn pairwise_new(t: &TypeObj, a: &[&Obj], kw: Option<&Obj>) -> PyResult<PyRef> {
    positional_only("pairwise", a, kw, 1, 1)?;
    new_instance(t, Pairwise { it: Some(get_iter(a[0])?), old: None })
}

fn pairwise_next(o: &Obj) -> PyResult<Option<PyRef>> {
    let (it, old) = with(o, |s: &mut Pairwise| (s.it.clone(), s.old.clone()))?;
    let Some(it) = it else { return Ok(None) };
    let old = match old {
        Some(v) => v,
        None => match next(&it)? {
            Some(v) => {
                with(o, |s: &mut Pairwise| s.old = Some(v.clone()))?;
                v
            }
            None => {
                with(o, |s: &mut Pairwise| s.it = None)?;
                return Ok(None);
            }
        },
    };
    let Some(new) = next(&it)? else {
        with(o, |s: &mut Pairwise| {
            s.it = None;
            s.old = None;
        })?;
        return Ok(None);
    };
    with(o, |s: &mut Pairwise| s.old = Some(new.clone()))?;
    Ok(Some(tuple::new_from(&[&old, &new])))
}

// ---- zip_longest ----------------------------------------------------------------------------

struct ZipLongest {
    /// None once that iterator is exhausted; the whole Vec is emptied at the end.
    its: Vec<Option<PyRef>>,
    active: usize,
    fillvalue: PyRef,
}

native_type!(ZIP_LONGEST, c"itertools.zip_longest", ZipLongest, {
    tp_iter: Some(self_iter),
    tp_iternext: slot_next!(zip_longest_next),
    tp_new: slot_new!(zip_longest_new),
    tp_doc: c"zip_longest(*iterables, fillvalue=None)\n--\n\nReturn a zip_longest object whose .__next__() method returns a tuple where\nthe i-th element comes from the i-th iterable argument.".as_ptr(),
});

fn zip_longest_new(t: &TypeObj, a: &[&Obj], kw: Option<&Obj>) -> PyResult<PyRef> {
    let mut fillvalue = none::none();
    for (k, v) in argparse::Kw::pairs_of_dict(kw) {
        if unicode::eq_str(&k, "fillvalue") {
            fillvalue = v;
        } else {
            let _ = k;
            return Err(raise!(TypeError, "zip_longest() got an unexpected keyword argument"));
        }
    }
    let its = a.iter().map(|x| get_iter(x).map(Some)).collect::<PyResult<Vec<_>>>()?;
    let active = its.len();
    new_instance(t, ZipLongest { its, active, fillvalue })
}

fn zip_longest_next(o: &Obj) -> PyResult<Option<PyRef>> {
    let (its, fill) = with(o, |s: &mut ZipLongest| (s.its.clone(), s.fillvalue.clone()))?;
    if its.is_empty() || with(o, |s: &mut ZipLongest| s.active)? == 0 {
        return Ok(None);
    }
    let mut items = Vec::with_capacity(its.len());
    for (i, it) in its.iter().enumerate() {
        let v = match it {
            None => fill.clone(),
            Some(it) => match next(it)? {
                Some(v) => v,
                None => {
                    let left = with(o, |s: &mut ZipLongest| {
                        s.its[i] = None;
                        s.active -= 1;
                        s.active
                    })?;
                    if left == 0 {
                        with(o, |s: &mut ZipLongest| s.its.clear())?;
                        return Ok(None);
                    }
                    fill.clone()
                }
            },
        };
        items.push(v);
    }
    Ok(Some(tuple::new_from_owned(items)))
}

// ---- product, permutations, combinations ----------------------------------------------------

/// The shared state of the combinatoric iterators: the pools, the current indices and the
/// last result.
struct Combinatoric {
    pools: Vec<Vec<PyRef>>,
    indices: Vec<usize>,
    cycles: Vec<usize>,
    result: Option<Vec<PyRef>>,
    r: usize,
    stopped: bool,
}

native_type!(PRODUCT, c"itertools.product", Combinatoric, {
    tp_iter: Some(self_iter),
    tp_iternext: slot_next!(product_next),
    tp_new: slot_new!(product_new),
    tp_doc: c"product(*iterables, repeat=1)\n--\n\nCartesian product of input iterables.  Equivalent to nested for-loops.".as_ptr(),
});

native_type!(PERMUTATIONS, c"itertools.permutations", Combinatoric, {
    tp_iter: Some(self_iter),
    tp_iternext: slot_next!(permutations_next),
    tp_new: slot_new!(permutations_new),
    tp_doc: c"permutations(iterable, r=None)\n--\n\nReturn successive r-length permutations of elements in the iterable.".as_ptr(),
});

native_type!(COMBINATIONS, c"itertools.combinations", Combinatoric, {
    tp_iter: Some(self_iter),
    tp_iternext: slot_next!(combinations_next),
    tp_new: slot_new!(combinations_new),
    tp_doc: c"combinations(iterable, r)\n--\n\nReturn successive r-length combinations of elements in the iterable.".as_ptr(),
});

native_type!(CWR, c"itertools.combinations_with_replacement", Combinatoric, {
    tp_iter: Some(self_iter),
    tp_iternext: slot_next!(cwr_next),
    tp_new: slot_new!(cwr_new),
    tp_doc: c"combinations_with_replacement(iterable, r)\n--\n\nReturn successive r-length combinations of elements in the iterable allowing individual elements to have successive repeats.".as_ptr(),
});

fn collect_pool(iterable: &Obj) -> PyResult<Vec<PyRef>> {
    crate::objects::iterobject::collect(iterable)
}

fn combinatoric(pools: Vec<Vec<PyRef>>, r: usize) -> Combinatoric {
    Combinatoric { pools, indices: Vec::new(), cycles: Vec::new(), result: None, r, stopped: false }
}

fn product_new(t: &TypeObj, a: &[&Obj], kw: Option<&Obj>) -> PyResult<PyRef> {
    let mut repeat = 1isize;
    let pairs = argparse::Kw::pairs_of_dict(kw);
    if pairs.len() > 1 {
        return Err(raise!(TypeError, "product() takes at most 1 keyword argument ({} given)", pairs.len()));
    }
    for (k, v) in pairs {
        if unicode::eq_str(&k, "repeat") {
            repeat = argparse::ssize(&v)?;
        } else {
            return Err(raise!(TypeError, "product() got an unexpected keyword argument '{}'", unicode::as_str_lossy(&k)));
        }
    }
    if repeat < 0 {
        return Err(raise!(ValueError, "repeat argument cannot be negative"));
    }
    let mut pools = Vec::new();
    for x in a {
        pools.push(collect_pool(x)?);
    }
    let mut all = Vec::with_capacity(pools.len() * repeat as usize);
    for _ in 0..repeat {
        all.extend(pools.iter().cloned());
    }
    let n = all.len();
    let mut s = combinatoric(all, n);
    s.stopped = s.pools.iter().any(Vec::is_empty);
    new_instance(t, s)
}

fn product_next(o: &Obj) -> PyResult<Option<PyRef>> {
    with(o, |s: &mut Combinatoric| {
        if s.stopped {
            return None;
        }
        let Some(result) = s.result.as_mut() else {
            s.indices = vec![0; s.pools.len()];
            let first: Vec<PyRef> = s.pools.iter().map(|p| p[0].clone()).collect();
            let t = r_tuple(&first);
            s.result = Some(first);
            return Some(t);
        };
        // Advance the rightmost index that can move; reset those to its right.
        let mut i = s.pools.len();
        loop {
            if i == 0 {
                s.stopped = true;
                return None;
            }
            i -= 1;
            s.indices[i] += 1;
            if s.indices[i] < s.pools[i].len() {
                result[i] = s.pools[i][s.indices[i]].clone();
                break;
            }
            s.indices[i] = 0;
            result[i] = s.pools[i][0].clone();
        }
        Some(r_tuple(result))
    })
}

/// The `(iterable, r)` arguments; `negative` is the message for r < 0 (3.15 words it
/// differently for permutations and for the combinations).
fn r_arg(name: &'static str, a: &[&Obj], kw: Option<&Obj>, r_required: bool, negative: &str) -> PyResult<(Vec<PyRef>, Option<isize>)> {
    let sig = Sig { name, params: &["iterable", "r"], posonly: 0, maxpos: 2, required: if r_required { 2 } else { 1 } };
    let [iterable, r] = parse_new::<2>(&sig, a, kw)?;
    let pool = collect_pool(&iterable.unwrap())?;
    let r = match r.filter(|r| !is_none(r)) {
        Some(r) => {
            let r = argparse::ssize(&r)?;
            if r < 0 {
                return Err(raise!(ValueError, "{}", negative));
            }
            Some(r)
        }
        None => None,
    };
    Ok((pool, r))
}

fn permutations_new(t: &TypeObj, a: &[&Obj], kw: Option<&Obj>) -> PyResult<PyRef> {
    let (pool, r) = r_arg("permutations", a, kw, false, "r must be non-negative")?;
    let n = pool.len();
    let r = r.map_or(n, |r| r as usize);
    let mut s = combinatoric(vec![pool], r);
    s.indices = (0..n).collect();
    s.cycles = (0..r.min(n)).map(|i| n - i).collect();
    s.stopped = r > n;
    new_instance(t, s)
}

fn permutations_next(o: &Obj) -> PyResult<Option<PyRef>> {
    with(o, |s: &mut Combinatoric| {
        if s.stopped {
            return None;
        }
        let pool = &s.pools[0];
        let (n, r) = (pool.len(), s.r);
        if s.result.is_none() {
            let first: Vec<PyRef> = s.indices[..r].iter().map(|&i| pool[i].clone()).collect();
            let t = r_tuple(&first);
            s.result = Some(first);
            return Some(t);
        }
        if n == 0 {
            s.stopped = true;
            return None;
        }
        let mut i = r;
        loop {
            if i == 0 {
                s.stopped = true;
                return None;
            }
            i -= 1;
            s.cycles[i] -= 1;
            if s.cycles[i] == 0 {
                // Rotate indices[i:] left by one.
                s.indices[i..].rotate_left(1);
                s.cycles[i] = n - i;
            } else {
                let j = s.cycles[i];
                s.indices.swap(i, n - j);
                let result = s.result.as_mut().unwrap();
                for k in i..r {
                    result[k] = pool[s.indices[k]].clone();
                }
                return Some(r_tuple(result));
            }
        }
    })
}

fn combinations_new(t: &TypeObj, a: &[&Obj], kw: Option<&Obj>) -> PyResult<PyRef> {
    let (pool, r) = r_arg("combinations", a, kw, true, "r cannot be negative")?;
    let r = r.unwrap_or(0) as usize;
    let n = pool.len();
    let mut s = combinatoric(vec![pool], r);
    s.indices = (0..r).collect();
    s.stopped = r > n;
    new_instance(t, s)
}

fn combinations_next(o: &Obj) -> PyResult<Option<PyRef>> {
    with(o, |s: &mut Combinatoric| {
        if s.stopped {
            return None;
        }
        let pool = &s.pools[0];
        let (n, r) = (pool.len(), s.r);
        if s.result.is_none() {
            let first: Vec<PyRef> = s.indices.iter().map(|&i| pool[i].clone()).collect();
            let t = r_tuple(&first);
            s.result = Some(first);
            return Some(t);
        }
        // The rightmost index not at its maximum (n - r + i).
        let Some(i) = (0..r).rev().find(|&i| s.indices[i] != i + n - r) else {
            s.stopped = true;
            return None;
        };
        s.indices[i] += 1;
        for j in i + 1..r {
            s.indices[j] = s.indices[j - 1] + 1;
        }
        let result = s.result.as_mut().unwrap();
        for k in i..r {
            result[k] = pool[s.indices[k]].clone();
        }
        Some(r_tuple(result))
    })
}

fn cwr_new(t: &TypeObj, a: &[&Obj], kw: Option<&Obj>) -> PyResult<PyRef> {
    let (pool, r) = r_arg("combinations_with_replacement", a, kw, true, "r cannot be negative")?;
    let r = r.unwrap_or(0) as usize;
    let n = pool.len();
    let mut s = combinatoric(vec![pool], r);
    s.indices = vec![0; r];
    s.stopped = n == 0 && r > 0;
    new_instance(t, s)
}

fn cwr_next(o: &Obj) -> PyResult<Option<PyRef>> {
    with(o, |s: &mut Combinatoric| {
        if s.stopped {
            return None;
        }
        let pool = &s.pools[0];
        let (n, r) = (pool.len(), s.r);
        if s.result.is_none() {
            let first: Vec<PyRef> = s.indices.iter().map(|&i| pool[i].clone()).collect();
            let t = r_tuple(&first);
            s.result = Some(first);
            return Some(t);
        }
        let Some(i) = (0..r).rev().find(|&i| s.indices[i] != n - 1) else {
            s.stopped = true;
            return None;
        };
        let v = s.indices[i] + 1;
        for j in i..r {
            s.indices[j] = v;
        }
        let result = s.result.as_mut().unwrap();
        for k in i..r {
            result[k] = pool[v].clone();
        }
        Some(r_tuple(result))
    })
}

// ---- tee ------------------------------------------------------------------------------------

/// A link of the buffer the copies of one `tee` share: up to `LINK_CELLS` values read from
/// the source, then the next link. Links nobody can reach any more are freed (Rc).
struct TeeLink {
    it: PyRef,
    values: core::cell::RefCell<Vec<PyRef>>,
    next: core::cell::RefCell<Option<Rc<TeeLink>>>,
    running: core::cell::Cell<bool>,
}

const LINK_CELLS: usize = 57;

impl TeeLink {
    fn new(it: PyRef) -> Rc<TeeLink> {
        Rc::new(TeeLink {
            it,
            values: core::cell::RefCell::new(Vec::new()),
            next: core::cell::RefCell::new(None),
            running: core::cell::Cell::new(false),
        })
    }

    fn next_link(&self) -> Rc<TeeLink> {
        self.next.borrow_mut().get_or_insert_with(|| TeeLink::new(self.it.clone())).clone()
    }

    /// The value at `i`, reading it from the source when this copy is the first to get there.
    fn get(&self, i: usize) -> PyResult<Option<PyRef>> {
        if let Some(v) = self.values.borrow().get(i) {
            return Ok(Some(v.clone()));
        }
        debug_assert_eq!(i, self.values.borrow().len());
        if self.running.get() {
            return Err(raise!(RuntimeError, "cannot re-enter the tee iterator"));
        }
        self.running.set(true);
        let r = next(&self.it);
        self.running.set(false);
        let Some(v) = r? else { return Ok(None) };
        self.values.borrow_mut().push(v.clone());
        Ok(Some(v))
    }
}

struct Tee {
    link: Rc<TeeLink>,
    index: usize,
}

native_type!(TEE, c"itertools._tee", Tee, {
    tp_iter: Some(self_iter),
    tp_iternext: slot_next!(tee_next),
    tp_new: slot_new!(tee_new),
    tp_weaklistoffset: native::WEAKLIST_OFFSET,
    tp_methods: TEE_METHODS.0.get() as *mut PyMethodDef,
    tp_doc: c"Iterator wrapped to make it copyable.".as_ptr(),
});

// CPython exposes its buffer links as `itertools._tee_dataobject`; Pyrite's are Rust values,
// so this type only names them (it cannot be instantiated).
native_type!(final TEE_DATA, c"itertools._tee_dataobject", (), {
    tp_doc: c"teedataobject(iterable, values, next, /)\n--\n\nData container common to multiple tee objects.".as_ptr(),
});

method_table!(static TEE_METHODS = [
    noargs c"__copy__" => tee_copy,
]);

fn tee_from_iterable(iterable: &Obj) -> PyResult<PyRef> {
    let it = get_iter(iterable)?;
    if it.ob_type().is(&TEE) {
        return tee_copy(&it);
    }
    new_instance(&TEE, Tee { link: TeeLink::new(it), index: 0 })
}

fn tee_new(t: &TypeObj, a: &[&Obj], kw: Option<&Obj>) -> PyResult<PyRef> {
    positional_only("_tee", a, kw, 1, 1)?;
    let _ = t;
    tee_from_iterable(a[0])
}

fn tee_copy(o: &Obj) -> PyResult<PyRef> {
    let (link, index) = with(o, |s: &mut Tee| (s.link.clone(), s.index))?;
    new_instance(&TEE, Tee { link, index })
}

fn tee_next(o: &Obj) -> PyResult<Option<PyRef>> {
    let (mut link, mut index) = with(o, |s: &mut Tee| (s.link.clone(), s.index))?;
    if index >= LINK_CELLS {
        link = link.next_link();
        index = 0;
        with(o, |s: &mut Tee| {
            s.link = link.clone();
            s.index = 0;
        })?;
    }
    let Some(v) = link.get(index)? else { return Ok(None) };
    with(o, |s: &mut Tee| s.index = index + 1)?;
    Ok(Some(v))
}

fn tee(_m: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    argparse::check_positional("tee", a.len(), 1, 2)?;
    let n = match a.get(1) {
        Some(n) => argparse::ssize(n)?,
        None => 2,
    };
    if n < 0 {
        return Err(raise!(ValueError, "n cannot be negative"));
    }
    if n == 0 {
        return Ok(tuple::empty());
    }
    let it = get_iter(a[0])?;
    let copyable = if abstract_::lookup_attr(&it, "__copy__")?.is_some() { it } else { tee_from_iterable(&it)? };
    let mut out = vec![copyable];
    for _ in 1..n {
        let last = out.last().unwrap().clone();
        out.push(abstract_::call_method(&last, "__copy__", &[])?);
    }
    Ok(tuple::new_from_owned(out))
}
