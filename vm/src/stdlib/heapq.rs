//! `_heapq` (CPython's `Modules/_heapqmodule.c`): binary heaps kept in ordinary lists, with
//! the min-heap and (3.14) max-heap operations. `Lib/heapq.py` builds `merge`, `nlargest` and
//! `nsmallest` on them. A list whose size changes during a comparison is a `RuntimeError`.

use pyrite_abi::*;

use crate::err::PyResult;
use crate::method_table;
use crate::object::{Obj, PyRef};
use crate::objects::{argparse, list, none};
use crate::abstract_;

pub fn create() -> PyResult<PyRef> {
    super::native::new_module("_heapq", HEAPQ_FUNCTIONS.0.get() as *mut PyMethodDef)
}

method_table!(static HEAPQ_FUNCTIONS = [
    fast c"heappush" => heappush,
    o c"heappop" => heappop,
    fast c"heapreplace" => heapreplace,
    fast c"heappushpop" => heappushpop,
    o c"heapify" => heapify,
    fast c"heappush_max" => heappush_max,
    o c"heappop_max" => heappop_max,
    fast c"heapreplace_max" => heapreplace_max,
    fast c"heappushpop_max" => heappushpop_max,
    o c"heapify_max" => heapify_max,
]);

fn heap_arg<'a>(name: &str, heap: &'a Obj) -> PyResult<&'a Obj> {
    if !list::check(heap) {
        return Err(raise!(TypeError, "{}() argument 1 must be list, not {}", name, heap.ob_type().name()));
    }
    Ok(heap)
}

fn two<'a>(name: &str, a: &[&'a Obj]) -> PyResult<(&'a Obj, &'a Obj)> {
    argparse::check_positional(name, a.len(), 2, 2)?;
    Ok((heap_arg(name, a[0])?, a[1]))
}

fn item(heap: &Obj, i: usize) -> PyResult<PyRef> {
    list::get_ref(heap, i).ok_or_else(|| raise!(RuntimeError, "list changed size during iteration"))
}

/// `a < b` for a min-heap, `b < a` for a max-heap; the list must keep its size.
fn less(heap: &Obj, a: &Obj, b: &Obj, max: bool, size: usize) -> PyResult<bool> {
    let r = if max { abstract_::rich_compare_bool(b, a, Py_LT)? } else { abstract_::rich_compare_bool(a, b, Py_LT)? };
    if list::len(heap) != size {
        return Err(raise!(RuntimeError, "list changed size during iteration"));
    }
    Ok(r)
}

fn swap(heap: &Obj, i: usize, j: usize) -> PyResult<()> {
    let (a, b) = (item(heap, i)?, item(heap, j)?);
    list::set(heap, i, b);
    list::set(heap, j, a);
    Ok(())
}

/// Moves the item at `pos` up toward `start` while it is smaller than its parent.
fn sift_down(heap: &Obj, start: usize, mut pos: usize, max: bool) -> PyResult<()> {
    let size = list::len(heap);
    while pos > start {
        let parent = (pos - 1) >> 1;
        let (new, par) = (item(heap, pos)?, item(heap, parent)?);
        if !less(heap, &new, &par, max, size)? {
            break;
        }
        swap(heap, pos, parent)?;
        pos = parent;
    }
    Ok(())
}

/// Moves the smaller child up until a leaf is reached, then the item down into place.
fn sift_up(heap: &Obj, mut pos: usize, max: bool) -> PyResult<()> {
    let end = list::len(heap);
    let start = pos;
    let limit = end >> 1;
    while pos < limit {
        let mut child = 2 * pos + 1;
        if child + 1 < end {
            let (a, b) = (item(heap, child)?, item(heap, child + 1)?);
            if !less(heap, &a, &b, max, end)? {
                child += 1;
            }
        }
        swap(heap, child, pos)?;
        pos = child;
    }
    sift_down(heap, start, pos, max)
}

fn push(name: &str, a: &[&Obj], max: bool) -> PyResult<PyRef> {
    let (heap, v) = two(name, a)?;
    list::append(heap, v);
    sift_down(heap, 0, list::len(heap) - 1, max)?;
    Ok(none::none())
}

fn pop(name: &str, heap: &Obj, max: bool) -> PyResult<PyRef> {
    let heap = heap_arg(name, heap)?;
    let n = list::len(heap);
    if n == 0 {
        return Err(raise!(IndexError, "index out of range"));
    }
    let last = list::remove_at(heap, n - 1);
    if n == 1 {
        return Ok(last);
    }
    let top = item(heap, 0)?;
    list::set(heap, 0, last);
    sift_up(heap, 0, max)?;
    Ok(top)
}

fn replace(name: &str, a: &[&Obj], max: bool) -> PyResult<PyRef> {
    let (heap, v) = two(name, a)?;
    if list::len(heap) == 0 {
        return Err(raise!(IndexError, "index out of range"));
    }
    let top = item(heap, 0)?;
    list::set(heap, 0, v.new_ref());
    sift_up(heap, 0, max)?;
    Ok(top)
}

fn pushpop(name: &str, a: &[&Obj], max: bool) -> PyResult<PyRef> {
    let (heap, v) = two(name, a)?;
    let n = list::len(heap);
    if n == 0 {
        return Ok(v.new_ref());
    }
    let top = item(heap, 0)?;
    let r = if max { abstract_::rich_compare_bool(v, &top, Py_LT)? } else { abstract_::rich_compare_bool(&top, v, Py_LT)? };
    if !r {
        return Ok(v.new_ref());
    }
    if list::len(heap) == 0 {
        return Err(raise!(IndexError, "index out of range"));
    }
    let top = item(heap, 0)?;
    list::set(heap, 0, v.new_ref());
    sift_up(heap, 0, max)?;
    Ok(top)
}

fn heapify_impl(name: &str, heap: &Obj, max: bool) -> PyResult<PyRef> {
    let heap = heap_arg(name, heap)?;
    let n = list::len(heap);
    for i in (0..n / 2).rev() {
        sift_up(heap, i, max)?;
    }
    Ok(none::none())
}

fn heappush(_m: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    push("heappush", a, false)
}
fn heappush_max(_m: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    push("heappush_max", a, true)
}
fn heappop(_m: &Obj, heap: &Obj) -> PyResult<PyRef> {
    pop("heappop", heap, false)
}
fn heappop_max(_m: &Obj, heap: &Obj) -> PyResult<PyRef> {
    pop("heappop_max", heap, true)
}
fn heapreplace(_m: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    replace("heapreplace", a, false)
}
fn heapreplace_max(_m: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    replace("heapreplace_max", a, true)
}
fn heappushpop(_m: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    pushpop("heappushpop", a, false)
}
fn heappushpop_max(_m: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    pushpop("heappushpop_max", a, true)
}
fn heapify(_m: &Obj, heap: &Obj) -> PyResult<PyRef> {
    heapify_impl("heapify", heap, false)
}
fn heapify_max(_m: &Obj, heap: &Obj) -> PyResult<PyRef> {
    heapify_impl("heapify_max", heap, true)
}
