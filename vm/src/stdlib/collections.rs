//! `_collections` (CPython's `Modules/_collectionsmodule.c`): `deque` (a double-ended queue,
//! optionally bounded, whose iterators fail once it is mutated), `defaultdict` (a `dict`
//! subclass whose `__missing__` calls a factory) and `_count_elements` (`Counter`'s loop).
//! `OrderedDict` and `_tuplegetter` are left to `Lib/collections`' pure-Python versions.

use std::collections::VecDeque;

use core::ffi::c_int;

use pyrite_abi::*;

use super::native::{self, new_instance, with};
use crate::err::PyResult;
use crate::method_table;
use crate::object::{Obj, PyRef, StaticObject};
use crate::objects::argparse::{self, Sig};
use crate::objects::dict::{self, DictObject, PyDict_Type};
use crate::objects::iterobject::{self, self_iter};
use crate::objects::list::ReprGuard;
use crate::objects::type_::{self, TypeObj, BUILTIN_BASETYPE_FLAGS};
use crate::objects::{list, long, none, tuple, unicode};
use crate::slot::{arg, opt_arg, ret_int, ret_obj};
use crate::{abstract_, getter_def};

pub fn create() -> PyResult<PyRef> {
    let m = native::new_module("_collections", COLLECTIONS_FUNCTIONS.0.get() as *mut PyMethodDef)?;
    native::add_types(&m, &[&DEFAULTDICT, &DEQUE, &DEQUE_ITER, &DEQUE_REVITER])?;
    Ok(m)
}

method_table!(static COLLECTIONS_FUNCTIONS = [
    fast c"_count_elements" => count_elements,
]);

// ---- deque ----------------------------------------------------------------------------------

struct Deque {
    items: VecDeque<PyRef>,
    maxlen: Option<usize>,
    /// Bumped by every structural change; iterators compare it with theirs.
    state: u64,
}

impl Deque {
    fn push_back(&mut self, v: PyRef) -> Option<PyRef> {
        self.state += 1;
        self.items.push_back(v);
        match self.maxlen {
            Some(m) if self.items.len() > m => self.items.pop_front(),
            _ => None,
        }
    }

    fn push_front(&mut self, v: PyRef) -> Option<PyRef> {
        self.state += 1;
        self.items.push_front(v);
        match self.maxlen {
            Some(m) if self.items.len() > m => self.items.pop_back(),
            _ => None,
        }
    }

    fn rotate(&mut self, n: isize) {
        let len = self.items.len();
        if len <= 1 {
            return;
        }
        self.state += 1;
        let k = n.rem_euclid(len as isize) as usize;
        self.items.rotate_right(k);
    }
}

native_type!(DEQUE, c"collections.deque", Deque, {
    tp_iter: Some(deque_iter),
    tp_repr: slot_unary!(deque_repr),
    tp_richcompare: slot_richcompare!(deque_richcompare),
    tp_hash: Some(list::unhashable),
    tp_init: Some(deque_init),
    tp_new: slot_new!(deque_new),
    tp_as_sequence: DEQUE_AS_SEQUENCE.0.get(),
    tp_methods: DEQUE_METHODS.0.get() as *mut PyMethodDef,
    tp_getset: DEQUE_GETSET.0.get() as *mut PyGetSetDef,
    tp_weaklistoffset: native::WEAKLIST_OFFSET,
    tp_getattro: Some(type_::generic_getattr),
    tp_doc: c"deque([iterable[, maxlen]])\n--\n\nA list-like sequence optimized for data accesses near its endpoints.".as_ptr(),
});

static DEQUE_AS_SEQUENCE: StaticObject<PySequenceMethods> = StaticObject::new(PySequenceMethods {
    sq_length: Some(deque_len),
    sq_concat: Some(deque_concat),
    sq_repeat: Some(deque_repeat),
    sq_item: Some(deque_item),
    sq_ass_item: Some(deque_ass_item),
    sq_contains: Some(deque_contains),
    sq_inplace_concat: Some(deque_inplace_concat),
    sq_inplace_repeat: Some(deque_inplace_repeat),
    ..PySequenceMethods::EMPTY
});

method_table!(static DEQUE_METHODS = [
    o c"append" => deque_append,
    o c"appendleft" => deque_appendleft,
    noargs c"clear" => deque_clear,
    noargs c"__copy__" => deque_copy,
    noargs c"copy" => deque_copy,
    o c"count" => deque_count,
    o c"extend" => deque_extend,
    o c"extendleft" => deque_extendleft,
    fast c"index" => deque_index,
    fast c"insert" => deque_insert,
    noargs c"pop" => deque_pop,
    noargs c"popleft" => deque_popleft,
    noargs c"__reduce__" => deque_reduce,
    o c"remove" => deque_remove,
    noargs c"__reversed__" => deque_reversed,
    noargs c"reverse" => deque_reverse,
    fast c"rotate" => deque_rotate,
    noargs c"__sizeof__" => deque_sizeof,
    class_o c"__class_getitem__" => crate::objects::genericalias::class_getitem,
]);

static DEQUE_GETSET: type_::StaticTable<PyGetSetDef, 2> =
    type_::StaticTable(core::cell::UnsafeCell::new([getter_def!(c"maxlen", deque_maxlen), type_::GETSET_END]));

fn deque_new(t: &TypeObj, _a: &[&Obj], _kw: Option<&Obj>) -> PyResult<PyRef> {
    new_instance(t, Deque { items: VecDeque::new(), maxlen: None, state: 0 })
}

unsafe extern "C" fn deque_init(o: *mut PyObject, args: *mut PyObject, kw: *mut PyObject) -> c_int {
    // SAFETY: tp_init contract.
    let (o, a, kw) = unsafe { (arg(o), tuple::items(arg(args)), opt_arg(kw)) };
    ret_int((|| {
        let sig = Sig { name: "deque", params: &["iterable", "maxlen"], posonly: 0, maxpos: 2, required: 0 };
        let [iterable, maxlen] = native::parse_new::<2>(&sig, a, kw)?;
        let maxlen = match maxlen.filter(|m| !m.is(none::none_obj())) {
            None => None,
            Some(m) => {
                if !long::check(&m) {
                    return Err(raise!(TypeError, "an integer is required"));
                }
                let n = long::to_i64(&m).ok_or_else(|| raise!(OverflowError, "Python int too large to convert to C ssize_t"))?;
                if n < 0 {
                    return Err(raise!(ValueError, "maxlen must be non-negative"));
                }
                Some(n as usize)
            }
        };
        with(o, |d: &mut Deque| {
            d.maxlen = maxlen;
            if !d.items.is_empty() {
                d.items.clear();
                d.state += 1;
            }
        })?;
        if let Some(it) = iterable {
            extend(o, &it, false)?;
        }
        Ok(0)
    })())
}

fn items_of(o: &Obj) -> PyResult<Vec<PyRef>> {
    with(o, |d: &mut Deque| d.items.iter().cloned().collect())
}

fn state_of(o: &Obj) -> PyResult<u64> {
    with(o, |d: &mut Deque| d.state)
}

fn mutated() -> crate::err::PyErr {
    raise!(RuntimeError, "deque mutated during iteration")
}

/// Appends (or prepends) every item of `iterable`; a deque extended by itself copies first.
fn extend(o: &Obj, iterable: &Obj, left: bool) -> PyResult<()> {
    if iterable.is(o) {
        let items = items_of(o)?;
        let snapshot = list::new_from_owned(items);
        return extend(o, &snapshot, left);
    }
    let it = iterobject::get_iter(iterable)?;
    if with(o, |d: &mut Deque| d.maxlen == Some(0))? {
        // CPython still consumes the iterator.
        while iterobject::next(&it)?.is_some() {}
        return Ok(());
    }
    while let Some(v) = iterobject::next(&it)? {
        let dropped = with(o, |d: &mut Deque| if left { d.push_front(v) } else { d.push_back(v) })?;
        drop(dropped);
    }
    Ok(())
}

fn deque_append(o: &Obj, v: &Obj) -> PyResult<PyRef> {
    let dropped = with(o, |d: &mut Deque| d.push_back(v.new_ref()))?;
    drop(dropped);
    Ok(none::none())
}

fn deque_appendleft(o: &Obj, v: &Obj) -> PyResult<PyRef> {
    let dropped = with(o, |d: &mut Deque| d.push_front(v.new_ref()))?;
    drop(dropped);
    Ok(none::none())
}

fn deque_extend(o: &Obj, iterable: &Obj) -> PyResult<PyRef> {
    extend(o, iterable, false)?;
    Ok(none::none())
}

fn deque_extendleft(o: &Obj, iterable: &Obj) -> PyResult<PyRef> {
    extend(o, iterable, true)?;
    Ok(none::none())
}

fn deque_pop(o: &Obj) -> PyResult<PyRef> {
    with(o, |d: &mut Deque| {
        d.state += 1;
        d.items.pop_back()
    })?
    .ok_or_else(|| raise!(IndexError, "pop from an empty deque"))
}

fn deque_popleft(o: &Obj) -> PyResult<PyRef> {
    with(o, |d: &mut Deque| {
        d.state += 1;
        d.items.pop_front()
    })?
    .ok_or_else(|| raise!(IndexError, "pop from an empty deque"))
}

fn deque_clear(o: &Obj) -> PyResult<PyRef> {
    let old = with(o, |d: &mut Deque| {
        d.state += 1;
        core::mem::take(&mut d.items)
    })?;
    drop(old);
    Ok(none::none())
}

/// A new deque of `o`'s type with `items` and `o`'s maxlen.
fn deque_like(o: &Obj, items: Vec<PyRef>) -> PyResult<PyRef> {
    let maxlen = with(o, |d: &mut Deque| d.maxlen)?;
    if o.ob_type().is(&DEQUE) {
        let mut d = Deque { items: VecDeque::new(), maxlen, state: 0 };
        for v in items {
            d.push_back(v);
        }
        return new_instance(&DEQUE, d);
    }
    let l = list::new_from_owned(items);
    let m = maxlen.map_or_else(none::none, long::from_usize);
    abstract_::call(o.ob_type(), &tuple::new_from(&[&l, &m]), None)
}

fn deque_copy(o: &Obj) -> PyResult<PyRef> {
    let items = items_of(o)?;
    deque_like(o, items)
}

fn deque_count(o: &Obj, v: &Obj) -> PyResult<PyRef> {
    let state = state_of(o)?;
    let mut n = 0usize;
    for item in items_of(o)? {
        if abstract_::rich_compare_bool(&item, v, Py_EQ)? {
            n += 1;
        }
        if state_of(o)? != state {
            return Err(mutated());
        }
    }
    Ok(long::from_usize(n))
}

fn deque_index(o: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    argparse::check_positional("index", a.len(), 1, 3)?;
    let len = with(o, |d: &mut Deque| d.items.len())?;
    let (start, stop) = argparse::adjust_range(argparse::slice_index_not_none(a.get(1).copied())?, argparse::slice_index_not_none(a.get(2).copied())?, len);
    let state = state_of(o)?;
    let items = items_of(o)?;
    for i in start..stop.min(items.len()) {
        if abstract_::rich_compare_bool(&items[i], a[0], Py_EQ)? {
            return Ok(long::from_usize(i));
        }
        if state_of(o)? != state {
            return Err(mutated());
        }
    }
    Err(raise!(ValueError, "deque.index(x): x not in deque"))
}

fn deque_insert(o: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    argparse::check_positional("insert", a.len(), 2, 2)?;
    let index = argparse::ssize(a[0])?;
    let v = a[1].new_ref();
    with(o, |d: &mut Deque| {
        let len = d.items.len() as isize;
        if d.maxlen == Some(d.items.len()) {
            return Err(raise!(IndexError, "deque already at its maximum size"));
        }
        let i = if index < 0 { (index + len).max(0) } else { index.min(len) };
        d.state += 1;
        d.items.insert(i as usize, v);
        Ok(())
    })??;
    Ok(none::none())
}

fn deque_remove(o: &Obj, v: &Obj) -> PyResult<PyRef> {
    let state = state_of(o)?;
    let items = items_of(o)?;
    for (i, item) in items.iter().enumerate() {
        let eq = abstract_::rich_compare_bool(item, v, Py_EQ)?;
        if state_of(o)? != state {
            return Err(raise!(IndexError, "deque mutated during remove()."));
        }
        if eq {
            let removed = with(o, |d: &mut Deque| {
                d.state += 1;
                d.items.remove(i)
            })?;
            drop(removed);
            return Ok(none::none());
        }
    }
    Err(raise!(ValueError, "deque.remove(x): x not in deque"))
}

fn deque_reverse(o: &Obj) -> PyResult<PyRef> {
    with(o, |d: &mut Deque| {
        d.state += 1;
        d.items.make_contiguous().reverse()
    })?;
    Ok(none::none())
}

fn deque_rotate(o: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    argparse::check_positional("rotate", a.len(), 0, 1)?;
    let n = match a.first() {
        Some(n) => argparse::ssize(n)?,
        None => 1,
    };
    with(o, |d: &mut Deque| d.rotate(n))?;
    Ok(none::none())
}

fn deque_reduce(o: &Obj) -> PyResult<PyRef> {
    let state = abstract_::lookup_attr(o, "__dict__")?.filter(|d| dict::len(d) > 0).unwrap_or_else(none::none);
    let it = iterobject::get_iter(o)?;
    let args = match with(o, |d: &mut Deque| d.maxlen)? {
        None => tuple::empty(),
        Some(m) => tuple::new_from(&[&*tuple::empty(), &*long::from_usize(m)]),
    };
    Ok(tuple::new_from(&[o.ob_type(), &args, &state, &it]))
}

fn deque_sizeof(o: &Obj) -> PyResult<PyRef> {
    let n = with(o, |d: &mut Deque| d.items.capacity())?;
    Ok(long::from_usize(native::NATIVE_SIZE + n * core::mem::size_of::<PyRef>()))
}

fn deque_maxlen(o: &Obj) -> PyResult<PyRef> {
    Ok(with(o, |d: &mut Deque| d.maxlen)?.map_or_else(none::none, long::from_usize))
}

fn deque_repr(o: &Obj) -> PyResult<PyRef> {
    let Some(_guard) = ReprGuard::enter(o) else { return Ok(unicode::new("[...]")) };
    let l = list::new_from_owned(items_of(o)?);
    let name = native::type_name(o);
    let body = native::repr_string(&l)?;
    Ok(unicode::new(&match with(o, |d: &mut Deque| d.maxlen)? {
        Some(m) => format!("{name}({body}, maxlen={m})"),
        None => format!("{name}({body})"),
    }))
}

fn deque_richcompare(a: &Obj, b: &Obj, op: c_int) -> PyResult<PyRef> {
    if !a.ob_type().is_subtype(&DEQUE) || !b.ob_type().is_subtype(&DEQUE) {
        return Ok(none::not_implemented());
    }
    let (xs, ys) = (items_of(a)?, items_of(b)?);
    if xs.len() != ys.len() && (op == Py_EQ || op == Py_NE) {
        return Ok(crate::objects::bool_::new(op == Py_NE));
    }
    let xs: Vec<&Obj> = xs.iter().map(|x| &**x).collect();
    let ys: Vec<&Obj> = ys.iter().map(|x| &**x).collect();
    abstract_::sequence_richcompare(&xs, &ys, op)
}

unsafe extern "C" fn deque_len(o: *mut PyObject) -> Py_ssize_t {
    // SAFETY: a live deque.
    let o = unsafe { arg(o) };
    crate::slot::ret_ssize(with(o, |d: &mut Deque| d.items.len() as Py_ssize_t))
}

fn checked_index(d: &Deque, i: Py_ssize_t) -> PyResult<usize> {
    if i < 0 || i as usize >= d.items.len() {
        return Err(raise!(IndexError, "deque index out of range"));
    }
    Ok(i as usize)
}

unsafe extern "C" fn deque_item(o: *mut PyObject, i: Py_ssize_t) -> *mut PyObject {
    // SAFETY: a live deque (the abstract layer adds len to negative indices).
    let o = unsafe { arg(o) };
    ret_obj(with(o, |d: &mut Deque| checked_index(d, i).map(|i| d.items[i].clone())).and_then(|r| r))
}

unsafe extern "C" fn deque_ass_item(o: *mut PyObject, i: Py_ssize_t, v: *mut PyObject) -> c_int {
    // SAFETY: a live deque; v is NULL for deletion.
    let (o, v) = unsafe { (arg(o), opt_arg(v)) };
    let r = with(o, |d: &mut Deque| {
        let i = checked_index(d, i)?;
        Ok(match v {
            Some(v) => Some(core::mem::replace(&mut d.items[i], v.new_ref())),
            None => {
                d.state += 1;
                d.items.remove(i)
            }
        })
    });
    ret_int(r.and_then(|r: PyResult<Option<PyRef>>| r).map(|old| {
        drop(old);
        0
    }))
}

unsafe extern "C" fn deque_contains(o: *mut PyObject, v: *mut PyObject) -> c_int {
    // SAFETY: live arguments.
    let (o, v) = unsafe { (arg(o), arg(v)) };
    ret_int((|| {
        let state = state_of(o)?;
        for item in items_of(o)? {
            let eq = abstract_::rich_compare_bool(&item, v, Py_EQ)?;
            if state_of(o)? != state {
                return Err(mutated());
            }
            if eq {
                return Ok(1);
            }
        }
        Ok(0)
    })())
}

unsafe extern "C" fn deque_concat(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    // SAFETY: live operands.
    let (a, b) = unsafe { (arg(a), arg(b)) };
    ret_obj((|| {
        if !b.ob_type().is_subtype(&DEQUE) {
            return Err(raise!(TypeError, "can only concatenate deque (not \"{}\") to deque", b.ob_type().name()));
        }
        let new = deque_copy(a)?;
        extend(&new, b, false)?;
        Ok(new)
    })())
}

unsafe extern "C" fn deque_inplace_concat(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    // SAFETY: live operands.
    let (a, b) = unsafe { (arg(a), arg(b)) };
    ret_obj(extend(a, b, false).map(|_| a.new_ref()))
}

fn repeat_in_place(o: &Obj, n: Py_ssize_t) -> PyResult<()> {
    let items = items_of(o)?;
    if n <= 0 || items.is_empty() {
        let old = with(o, |d: &mut Deque| {
            d.state += 1;
            core::mem::take(&mut d.items)
        })?;
        drop(old);
        return Ok(());
    }
    let total = items.len().checked_mul(n as usize).ok_or_else(|| raise!(MemoryError, ""))?;
    let keep = with(o, |d: &mut Deque| d.maxlen)?.map_or(total, |m| m.min(total));
    // Only the last `keep` items of the repetition survive a bounded deque.
    let mut all = Vec::with_capacity(keep);
    let len = items.len();
    for k in total - keep..total {
        all.push(items[k % len].clone());
    }
    let old = with(o, |d: &mut Deque| {
        d.state += 1;
        core::mem::replace(&mut d.items, all.into())
    })?;
    drop(old);
    Ok(())
}

unsafe extern "C" fn deque_repeat(o: *mut PyObject, n: Py_ssize_t) -> *mut PyObject {
    // SAFETY: a live deque.
    let o = unsafe { arg(o) };
    ret_obj((|| {
        let new = deque_copy(o)?;
        repeat_in_place(&new, n)?;
        Ok(new)
    })())
}

unsafe extern "C" fn deque_inplace_repeat(o: *mut PyObject, n: Py_ssize_t) -> *mut PyObject {
    // SAFETY: a live deque.
    let o = unsafe { arg(o) };
    ret_obj(repeat_in_place(o, n).map(|_| o.new_ref()))
}

// ---- deque iterators ------------------------------------------------------------------------

struct DequeIter {
    deque: PyRef,
    /// The next position (from the front, or from the back when reversed).
    index: usize,
    /// Items left.
    counter: usize,
    state: u64,
}

native_type!(final DEQUE_ITER, c"collections._deque_iterator", DequeIter, {
    tp_iter: Some(self_iter),
    tp_iternext: slot_next!(deque_iter_next),
    tp_new: slot_new!(deque_iter_new),
    tp_methods: DEQUE_ITER_METHODS.0.get() as *mut PyMethodDef,
});

native_type!(final DEQUE_REVITER, c"collections._deque_reverse_iterator", DequeIter, {
    tp_iter: Some(self_iter),
    tp_iternext: slot_next!(deque_reviter_next),
    tp_new: slot_new!(deque_reviter_new),
    tp_methods: DEQUE_ITER_METHODS.0.get() as *mut PyMethodDef,
});

method_table!(static DEQUE_ITER_METHODS = [
    noargs c"__length_hint__" => deque_iter_length_hint,
]);

fn make_iter(t: &TypeObj, deque: &Obj, skip: usize) -> PyResult<PyRef> {
    let (len, state) = with(deque, |d: &mut Deque| (d.items.len(), d.state))?;
    let skip = skip.min(len);
    new_instance(t, DequeIter { deque: deque.new_ref(), index: skip, counter: len - skip, state })
}

fn iter_args(name: &str, a: &[&Obj], kw: Option<&Obj>) -> PyResult<(PyRef, usize)> {
    native::positional_only(name, a, kw, 1, 2)?;
    if !a[0].ob_type().is_subtype(&DEQUE) {
        return Err(raise!(TypeError, "{}() argument 1 must be collections.deque, not {}", name, a[0].ob_type().name()));
    }
    let skip = match a.get(1) {
        Some(n) => argparse::ssize(n)?.max(0) as usize,
        None => 0,
    };
    Ok((a[0].new_ref(), skip))
}

fn deque_iter_new(t: &TypeObj, a: &[&Obj], kw: Option<&Obj>) -> PyResult<PyRef> {
    let (d, skip) = iter_args("_deque_iterator", a, kw)?;
    make_iter(t, &d, skip)
}

fn deque_reviter_new(t: &TypeObj, a: &[&Obj], kw: Option<&Obj>) -> PyResult<PyRef> {
    let (d, skip) = iter_args("_deque_reverse_iterator", a, kw)?;
    make_iter(t, &d, skip)
}

unsafe extern "C" fn deque_iter(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live deque.
    ret_obj(make_iter(&DEQUE_ITER, unsafe { arg(o) }, 0))
}

fn deque_reversed(o: &Obj) -> PyResult<PyRef> {
    make_iter(&DEQUE_REVITER, o, 0)
}

fn iter_step(o: &Obj, reverse: bool) -> PyResult<Option<PyRef>> {
    let (deque, index, counter, state) = with(o, |s: &mut DequeIter| (s.deque.clone(), s.index, s.counter, s.state))?;
    let (now, len) = with(&deque, |d: &mut Deque| (d.state, d.items.len()))?;
    if now != state {
        with(o, |s: &mut DequeIter| s.counter = 0)?;
        return Err(mutated());
    }
    if counter == 0 {
        return Ok(None);
    }
    let pos = if reverse { len - 1 - index } else { index };
    let v = with(&deque, |d: &mut Deque| d.items[pos].clone())?;
    with(o, |s: &mut DequeIter| {
        s.index += 1;
        s.counter -= 1;
    })?;
    Ok(Some(v))
}

fn deque_iter_next(o: &Obj) -> PyResult<Option<PyRef>> {
    iter_step(o, false)
}

fn deque_reviter_next(o: &Obj) -> PyResult<Option<PyRef>> {
    iter_step(o, true)
}

fn deque_iter_length_hint(o: &Obj) -> PyResult<PyRef> {
    Ok(long::from_usize(with(o, |s: &mut DequeIter| s.counter)?))
}

// ---- defaultdict ----------------------------------------------------------------------------

#[repr(C)]
pub struct DefaultDictObject {
    pub dict: DictObject,
    pub default_factory: *mut PyObject,
}

crate::private_static_type!(DEFAULTDICT, c"collections.defaultdict", core::mem::size_of::<DefaultDictObject>(), {
    tp_flags: BUILTIN_BASETYPE_FLAGS | Py_TPFLAGS_HAVE_GC | Py_TPFLAGS_DICT_SUBCLASS | Py_TPFLAGS_MAPPING,
    tp_base: PyDict_Type.raw(),
    tp_dealloc: Some(dd_dealloc),
    tp_traverse: Some(dd_traverse),
    tp_clear: Some(dd_clear),
    tp_repr: slot_unary!(dd_repr),
    tp_init: Some(dd_init),
    tp_alloc: Some(crate::alloc::generic_alloc),
    tp_free: Some(crate::alloc::gc_del),
    tp_as_number: DD_AS_NUMBER.0.get(),
    tp_methods: DD_METHODS.0.get() as *mut PyMethodDef,
    tp_members: DD_MEMBERS.0.get() as *mut PyMemberDef,
    tp_doc: c"defaultdict(default_factory=None, /, [...]) --> dict with default factory\n\nThe default factory is called without arguments to produce\na new value when a key is not present, in __getitem__ only.\nA defaultdict compares equal to a dict with the same items.\nAll remaining arguments are treated the same as if they were\npassed to the dict constructor, including keyword arguments.\n".as_ptr(),
});

static DD_AS_NUMBER: StaticObject<PyNumberMethods> = StaticObject::new(PyNumberMethods { nb_or: Some(dd_or), ..PyNumberMethods::EMPTY });

method_table!(static DD_METHODS = [
    o c"__missing__" => dd_missing,
    noargs c"copy" => dd_copy,
    noargs c"__copy__" => dd_copy,
    noargs c"__reduce__" => dd_reduce,
]);

static DD_MEMBERS: type_::StaticTable<PyMemberDef, 2> = type_::StaticTable(core::cell::UnsafeCell::new([
    PyMemberDef {
        name: c"default_factory".as_ptr(),
        type_code: _Py_T_OBJECT,
        offset: core::mem::offset_of!(DefaultDictObject, default_factory) as Py_ssize_t,
        flags: 0,
        doc: c"Factory for default value called by __missing__().".as_ptr(),
    },
    PyMemberDef { name: core::ptr::null(), type_code: 0, offset: 0, flags: 0, doc: core::ptr::null() },
]));

fn factory(o: &Obj) -> Option<PyRef> {
    // SAFETY: `o` is a defaultdict; the field holds NULL or an owned object.
    unsafe { opt_arg((*(o.as_ptr() as *mut DefaultDictObject)).default_factory) }
        .filter(|f| !f.is(none::none_obj()))
        .map(Obj::new_ref)
}

fn set_factory(o: &Obj, f: Option<&Obj>) {
    // SAFETY: `o` is a defaultdict; replacing its owned field.
    unsafe {
        let p = o.as_ptr() as *mut DefaultDictObject;
        let new = f.map_or(core::ptr::null_mut(), |f| f.new_ref().into_raw());
        crate::object::xdecref(core::mem::replace(&mut (*p).default_factory, new));
    }
}

unsafe extern "C" fn dd_dealloc(o: *mut PyObject) {
    // SAFETY: a dead defaultdict: release the factory, then the dict part.
    unsafe {
        let p = o as *mut DefaultDictObject;
        crate::object::xdecref(core::mem::replace(&mut (*p).default_factory, core::ptr::null_mut()));
        if let Some(d) = PyDict_Type.slots().tp_dealloc {
            d(o);
        }
    }
}

unsafe extern "C" fn dd_init(o: *mut PyObject, args: *mut PyObject, kw: *mut PyObject) -> c_int {
    // SAFETY: tp_init contract.
    let (o, a, kw) = unsafe { (arg(o), tuple::items(arg(args)), opt_arg(kw)) };
    ret_int((|| {
        let (f, rest) = match a.split_first() {
            Some((f, rest)) if f.is(none::none_obj()) => (None, rest),
            Some((f, rest)) => {
                if f.ob_type().slots().tp_call.is_none() {
                    return Err(raise!(TypeError, "first argument must be callable or None"));
                }
                (Some(*f), rest)
            }
            None => (None, a),
        };
        set_factory(o, f);
        let init = PyDict_Type.slots().tp_init.expect("dict has tp_init");
        let rest = tuple::new_from(rest);
        // SAFETY: calling dict's initializer on a dict subclass instance.
        crate::slot::from_status(unsafe { init(o.as_ptr(), rest.as_ptr(), kw.map_or(core::ptr::null_mut(), Obj::as_ptr)) })
    })())
}

fn dd_missing(o: &Obj, key: &Obj) -> PyResult<PyRef> {
    let Some(f) = factory(o) else {
        return Err(crate::err::PyErr::from_type_and_arg(crate::objects::exceptions::KeyError(), key));
    };
    let v = abstract_::call_no_args(&f)?;
    abstract_::setitem(o, key, Some(&v))?;
    Ok(v)
}

/// A defaultdict of `o`'s type with `o`'s factory and the items of `items`.
fn dd_like(o: &Obj, items: &Obj) -> PyResult<PyRef> {
    let f = factory(o).unwrap_or_else(none::none);
    abstract_::call(o.ob_type(), &tuple::new_from(&[&f, items]), None)
}

fn dd_copy(o: &Obj) -> PyResult<PyRef> {
    dd_like(o, o)
}

fn dd_reduce(o: &Obj) -> PyResult<PyRef> {
    let args = match factory(o) {
        Some(f) => tuple::new_from(&[&f]),
        None => tuple::empty(),
    };
    let items = abstract_::call_method(o, "items", &[])?;
    let it = iterobject::get_iter(&items)?;
    Ok(tuple::new_from(&[o.ob_type(), &args, none::none_obj(), none::none_obj(), &it]))
}

fn dd_repr(o: &Obj) -> PyResult<PyRef> {
    let base = PyDict_Type.slots().tp_repr.expect("dict has tp_repr");
    // SAFETY: dict's repr on a dict subclass instance.
    let base = unsafe { crate::slot::from_new(base(o.as_ptr()))? };
    let f = match factory(o) {
        None => "None".to_string(),
        Some(f) => match ReprGuard::enter(&f) {
            None => "...".to_string(),
            Some(_guard) => native::repr_string(&f)?,
        },
    };
    Ok(unicode::new(&format!("{}({}, {})", native::type_name(o), f, unicode::as_str_lossy(&base))))
}

unsafe extern "C" fn dd_or(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    // SAFETY: live operands.
    let (a, b) = unsafe { (arg(a), arg(b)) };
    ret_obj((|| {
        let (this, other) = if a.ob_type().is_subtype(&DEFAULTDICT) { (a, b) } else { (b, a) };
        if !dict::check(other) {
            return Ok(none::not_implemented());
        }
        let new = dd_like(this, a)?;
        dict::update(&new, b)?;
        Ok(new)
    })())
}

// ---- _count_elements ------------------------------------------------------------------------

fn count_elements(_m: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    argparse::check_positional("_count_elements", a.len(), 2, 2)?;
    let (mapping, iterable) = (a[0], a[1]);
    let one = long::from_i64(1);
    let fast = mapping.is_exact(&PyDict_Type);
    let get = if fast { None } else { Some(abstract_::getattr_str(mapping, "get")?) };
    let zero = long::from_i64(0);
    iterobject::for_each(iterable, |elem| {
        let old = match &get {
            None => dict::get_item(mapping, &elem)?.unwrap_or_else(|| zero.clone()),
            Some(get) => abstract_::call(get, &tuple::new_from(&[&elem, &zero]), None)?,
        };
        let new = crate::number::binary_op(&old, &one, crate::number::BinaryOp::Add)?;
        abstract_::setitem(mapping, &elem, Some(&new))
    })?;
    Ok(none::none())
}


unsafe extern "C" fn dd_traverse(o: *mut PyObject, visit: visitproc, a: *mut core::ffi::c_void) -> c_int {
    // SAFETY: a live defaultdict: its factory, then the dict part.
    unsafe {
        let r = crate::gc::visit_each(&[(*(o as *mut DefaultDictObject)).default_factory], visit, a);
        if r != 0 {
            return r;
        }
        match PyDict_Type.slots().tp_traverse {
            Some(t) => t(o, visit, a),
            None => 0,
        }
    }
}

unsafe extern "C" fn dd_clear(o: *mut PyObject) -> c_int {
    // SAFETY: a live defaultdict; no factory is valid.
    unsafe {
        crate::gc::clear_each(&[&raw mut (*(o as *mut DefaultDictObject)).default_factory]);
        match PyDict_Type.slots().tp_clear {
            Some(c) => c(o),
            None => 0,
        }
    }
}
