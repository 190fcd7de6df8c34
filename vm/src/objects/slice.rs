//! `slice`: `PySliceObject` (start, stop, step, as CPython lays it out) and the index
//! arithmetic every sequence shares: `PySlice_Unpack`, `PySlice_AdjustIndices`, `slice.indices`
//! and the classification of a subscript as an item index or a slice.

use core::ffi::c_int;
use core::mem::{offset_of, size_of};

use pyrite_abi::*;

use crate::err::PyResult;
use crate::object::{Obj, PyRef};
use crate::objects::argparse::{self, check_positional, no_kw_dict};
use crate::objects::type_::{StaticTable, TypeObj, BUILTIN_FLAGS};
use crate::objects::{bool_, long, none, tuple, unicode};
use crate::slot::{arg, opt_arg, ret_obj};
use crate::{method_table, static_type};

/// CPython's `PySliceObject`.
#[repr(C)]
pub struct PySliceObject {
    pub ob_base: PyObject,
    pub start: *mut PyObject,
    pub stop: *mut PyObject,
    pub step: *mut PyObject,
}

static_type!(PySlice_Type, c"slice", size_of::<PySliceObject>(), {
    tp_flags: BUILTIN_FLAGS | Py_TPFLAGS_HAVE_GC,
    tp_dealloc: Some(slice_dealloc),
    tp_repr: Some(slice_repr),
    tp_hash: Some(slice_hash),
    tp_richcompare: Some(slice_richcompare),
    tp_traverse: Some(slice_traverse),
    tp_members: SLICE_MEMBERS.0.get() as *mut PyMemberDef,
    tp_methods: SLICE_METHODS.0.get() as *mut PyMethodDef,
    tp_new: Some(slice_new),
    tp_free: Some(crate::alloc::gc_del),
    tp_doc: c"slice(stop)\nslice(start, stop[, step])\n\nCreate a slice object.  This is used for extended slicing (e.g. a[0:10:2]).".as_ptr(),
});

const fn member(name: &'static core::ffi::CStr, offset: usize) -> PyMemberDef {
    PyMemberDef { name: name.as_ptr(), type_code: _Py_T_OBJECT, offset: offset as isize, flags: Py_READONLY, doc: core::ptr::null() }
}

static SLICE_MEMBERS: StaticTable<PyMemberDef, 4> = StaticTable(core::cell::UnsafeCell::new([
    member(c"start", offset_of!(PySliceObject, start)),
    member(c"stop", offset_of!(PySliceObject, stop)),
    member(c"step", offset_of!(PySliceObject, step)),
    PyMemberDef { name: core::ptr::null(), type_code: 0, offset: 0, flags: 0, doc: core::ptr::null() },
]));

method_table!(static SLICE_METHODS = [
    o c"indices" => slice_indices_method,
    noargs c"__reduce__" => slice_reduce,
]);

pub fn types() -> [&'static TypeObj; 1] {
    [&PySlice_Type]
}

#[inline(always)]
fn raw(o: &Obj) -> *mut PySliceObject {
    o.as_ptr() as *mut PySliceObject
}

/// `PySlice_New`: a missing part is `None`.
pub fn new(start: Option<&Obj>, stop: Option<&Obj>, step: Option<&Obj>) -> PyRef {
    let part = |o: Option<&Obj>| o.map_or_else(none::none, Obj::new_ref).into_raw();
    // SAFETY: PySlice_Type is a live static type; the fields are filled before anyone sees it.
    unsafe {
        let op = crate::alloc::alloc_object(PySlice_Type.raw(), size_of::<PySliceObject>(), true);
        assert!(!op.is_null(), "out of memory allocating a slice");
        let s = op as *mut PySliceObject;
        (*s).start = part(start);
        (*s).stop = part(stop);
        (*s).step = part(step);
        PyRef::from_raw(op)
    }
}

/// `PySlice_Check` (slice cannot be subclassed).
#[inline(always)]
pub fn check(o: &Obj) -> bool {
    o.is_exact(&PySlice_Type)
}

pub fn start(s: &Obj) -> &Obj {
    // SAFETY: a slice's fields are always set.
    unsafe { arg((*raw(s)).start) }
}
pub fn stop(s: &Obj) -> &Obj {
    // SAFETY: as above.
    unsafe { arg((*raw(s)).stop) }
}
pub fn step(s: &Obj) -> &Obj {
    // SAFETY: as above.
    unsafe { arg((*raw(s)).step) }
}

/// `PySlice_Unpack`: start, stop and step as `isize`, `None` replaced by the extremes.
pub fn unpack(s: &Obj) -> PyResult<(isize, isize, isize)> {
    let step = match argparse::slice_index(Some(step(s)))? {
        None => 1,
        Some(0) => return Err(raise!(ValueError, "slice step cannot be zero")),
        // -isize::MAX keeps `step = -step` defined.
        Some(v) => v.max(-isize::MAX),
    };
    let start = argparse::slice_index(Some(start(s)))?.unwrap_or(if step < 0 { isize::MAX } else { 0 });
    let stop = argparse::slice_index(Some(stop(s)))?.unwrap_or(if step < 0 { isize::MIN } else { isize::MAX });
    Ok((start, stop, step))
}

/// `PySlice_AdjustIndices`: clamps start/stop to a sequence of `length`; returns the slice
/// length.
pub fn adjust_indices(length: isize, start: &mut isize, stop: &mut isize, step: isize) -> isize {
    let clamp = |v: &mut isize| {
        if *v < 0 {
            *v += length;
            if *v < 0 {
                *v = if step < 0 { -1 } else { 0 };
            }
        } else if *v >= length {
            *v = if step < 0 { length - 1 } else { length };
        }
    };
    clamp(start);
    clamp(stop);
    if step < 0 {
        if *stop < *start {
            return (*start - *stop - 1) / (-step) + 1;
        }
    } else if *start < *stop {
        return (*stop - *start - 1) / step + 1;
    }
    0
}

/// A slice resolved against a sequence length: the selected indices are
/// `start, start + step, ...` (`len` of them).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SliceRange {
    pub start: isize,
    pub stop: isize,
    pub step: isize,
    pub len: usize,
}

impl SliceRange {
    /// The selected indices in order.
    pub fn indices(self) -> impl Iterator<Item = usize> {
        (0..self.len).map(move |i| (self.start + i as isize * self.step) as usize)
    }

    /// Whether this selects a contiguous run forwards (`step == 1`).
    pub fn is_contiguous(&self) -> bool {
        self.step == 1
    }

    /// The selected items of `items` (cloned).
    pub fn pick<T: Clone>(self, items: &[T]) -> Vec<T> {
        if self.step == 1 {
            return items[self.start as usize..self.start as usize + self.len].to_vec();
        }
        self.indices().map(|i| items[i].clone()).collect()
    }
}

/// `PySlice_Unpack` + `PySlice_AdjustIndices` for a sequence of `len` items.
pub fn resolve(s: &Obj, len: usize) -> PyResult<SliceRange> {
    let (mut start, mut stop, step) = unpack(s)?;
    let n = adjust_indices(len as isize, &mut start, &mut stop, step);
    Ok(SliceRange { start, stop, step, len: n as usize })
}

/// A sequence subscript: an item index (negative indices already offset by the length, but not
/// bounds-checked) or a resolved slice.
pub enum Key {
    Index(isize),
    Slice(SliceRange),
}

/// Classifies `key` as sequence subscripts do (`_PyIndex_Check`, then `PySlice_Check`).
/// `Ok(None)`: neither (the caller raises its own `TypeError`). An index too large for `isize`
/// is `IndexError: cannot fit 'int' into an index-sized integer`.
pub fn sequence_key(key: &Obj, len: usize) -> PyResult<Option<Key>> {
    if argparse::index_check(key) {
        let v = crate::abstract_::index(key)?;
        let Some(i) = long::to_i64(&v) else {
            return Err(raise!(IndexError, "cannot fit '{}' into an index-sized integer", key.ob_type().name()));
        };
        let i = i as isize;
        return Ok(Some(Key::Index(if i < 0 { i + len as isize } else { i })));
    }
    if check(key) {
        return resolve(key, len).map(|r| Some(Key::Slice(r)));
    }
    Ok(None)
}

/// `_PySlice_GetLongIndices` in `i128` (which covers every length Pyrite can have): start,
/// stop and step of slice `s` over `len` items, plus the step as given (it may be larger than
/// `i128`, which then only matters for its sign).
pub fn long_indices(s: &Obj, len: i128) -> PyResult<(i128, i128, i128, PyRef)> {
    let as_index = |o: &Obj| -> PyResult<PyRef> {
        if argparse::index_check(o) {
            crate::abstract_::index(o)
        } else {
            Err(raise!(TypeError, "slice indices must be integers or None or have an __index__ method"))
        }
    };
    let clamp128 = |v: &Obj| long::to_i128(v).unwrap_or(if long::is_negative(v) { i128::MIN / 4 } else { i128::MAX / 4 });
    let (step_obj, step) = if step(s).is(none::none_obj()) {
        (long::from_i64(1), 1i128)
    } else {
        let v = as_index(step(s))?;
        let x = clamp128(&v);
        if x == 0 {
            return Err(raise!(ValueError, "slice step cannot be zero"));
        }
        (v, x)
    };
    let neg = step < 0;
    let (lower, upper) = if neg { (-1, len - 1) } else { (0, len) };
    let bound = |o: &Obj, default: i128| -> PyResult<i128> {
        if o.is(none::none_obj()) {
            return Ok(default);
        }
        let mut v = clamp128(&*as_index(o)?);
        if v < 0 {
            v += len;
            if v < lower {
                v = lower;
            }
        } else if v > upper {
            v = upper;
        }
        Ok(v)
    };
    let start = bound(start(s), if neg { upper } else { lower })?;
    let stop = bound(stop(s), if neg { lower } else { upper })?;
    Ok((start, stop, step, step_obj))
}

/// `slice.indices(length)`.
pub fn indices(s: &Obj, length: &Obj) -> PyResult<PyRef> {
    let length = crate::abstract_::index(length)?;
    let len = long::to_i128(&length).unwrap_or(if long::is_negative(&length) { i128::MIN / 4 } else { i128::MAX / 4 });
    if len < 0 {
        return Err(raise!(ValueError, "length should not be negative"));
    }
    let (start, stop, _, step_obj) = long_indices(s, len)?;
    Ok(tuple::new_from_owned(vec![long::from_i128(start), long::from_i128(stop), step_obj]))
}

// ---- slots ----------------------------------------------------------------------------------

unsafe extern "C" fn slice_dealloc(o: *mut PyObject) {
    // SAFETY: a dead slice.
    unsafe {
        let s = o as *mut PySliceObject;
        crate::object::xdecref((*s).start);
        crate::object::xdecref((*s).stop);
        crate::object::xdecref((*s).step);
        crate::alloc::gc_del(o as *mut _);
    }
}

unsafe extern "C" fn slice_traverse(o: *mut PyObject, visit: visitproc, a: *mut core::ffi::c_void) -> c_int {
    // SAFETY: live slice.
    unsafe {
        let Some(visit) = visit else { return 0 };
        let s = o as *mut PySliceObject;
        for p in [(*s).start, (*s).stop, (*s).step] {
            if !p.is_null() {
                let r = visit(p, a);
                if r != 0 {
                    return r;
                }
            }
        }
    }
    0
}

unsafe extern "C" fn slice_new(_ty: *mut PyTypeObject, args: *mut PyObject, kwds: *mut PyObject) -> *mut PyObject {
    // SAFETY: tp_new contract: args is a tuple, kwds NULL or a dict.
    let (args, kwds) = unsafe { (tuple::items(arg(args)), opt_arg(kwds)) };
    let r = (|| {
        no_kw_dict("slice", kwds)?;
        check_positional("slice", args.len(), 1, 3)?;
        Ok(match args {
            [stop] => new(None, Some(stop), None),
            [start, stop] => new(Some(start), Some(stop), None),
            [start, stop, step] => new(Some(start), Some(stop), Some(step)),
            _ => unreachable!(),
        })
    })();
    ret_obj(r)
}

unsafe extern "C" fn slice_repr(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: live slice.
    let s = unsafe { arg(o) };
    let r = (|| {
        let parts = [start(s), stop(s), step(s)];
        let reprs: Vec<String> = parts
            .iter()
            .map(|p| crate::abstract_::repr(p).map(|r| unicode::as_str_lossy(&r).into_owned()))
            .collect::<PyResult<_>>()?;
        Ok(unicode::new(&format!("slice({})", reprs.join(", "))))
    })();
    ret_obj(r)
}

/// 3.12+: slices hash like a tuple of their three parts, without the tuple's length step.
unsafe extern "C" fn slice_hash(o: *mut PyObject) -> Py_hash_t {
    const P1: u64 = 11400714785074694791;
    const P2: u64 = 14029467366897019727;
    const P5: u64 = 2870177450012600261;
    // SAFETY: live slice.
    let s = unsafe { arg(o) };
    let mut acc = P5;
    for v in [start(s), stop(s), step(s)] {
        let h = match crate::abstract_::hash(v) {
            Ok(h) => h,
            Err(e) => {
                e.restore();
                return -1;
            }
        };
        acc = acc.wrapping_add((h as u64).wrapping_mul(P2));
        acc = acc.rotate_left(31);
        acc = acc.wrapping_mul(P1);
    }
    if acc == u64::MAX { 1546275796 } else { acc as Py_hash_t }
}

unsafe extern "C" fn slice_richcompare(a: *mut PyObject, b: *mut PyObject, op: c_int) -> *mut PyObject {
    // SAFETY: live arguments.
    let (a, b) = unsafe { (arg(a), arg(b)) };
    if !check(a) || !check(b) {
        return none::not_implemented().into_raw();
    }
    if a.is(b) && (op == Py_EQ || op == Py_NE) {
        return bool_::new(op == Py_EQ).into_raw();
    }
    let xs = [start(a), stop(a), step(a)];
    let ys = [start(b), stop(b), step(b)];
    ret_obj(crate::abstract_::sequence_richcompare(&xs, &ys, op))
}

fn slice_indices_method(s: &Obj, length: &Obj) -> PyResult<PyRef> {
    indices(s, length)
}

fn slice_reduce(s: &Obj) -> PyResult<PyRef> {
    let parts = tuple::new_from(&[start(s), stop(s), step(s)]);
    let ty: &Obj = s.ob_type();
    Ok(tuple::new_from(&[ty, &parts]))
}
