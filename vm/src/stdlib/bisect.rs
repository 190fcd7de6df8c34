//! `_bisect` (CPython's `Modules/_bisectmodule.c`): binary search in sorted sequences and
//! insertion that keeps them sorted, with the optional `key` of 3.10.

use pyrite_abi::*;

use crate::err::PyResult;
use crate::method_table;
use crate::object::{Obj, PyRef};
use crate::objects::argparse::{self, Kw, Sig};
use crate::objects::{list, long, none};
use crate::abstract_;

pub fn create() -> PyResult<PyRef> {
    super::native::new_module("_bisect", BISECT_FUNCTIONS.0.get() as *mut PyMethodDef)
}

method_table!(static BISECT_FUNCTIONS = [
    kw c"bisect_right" => bisect_right,
    kw c"insort_right" => insort_right,
    kw c"bisect_left" => bisect_left,
    kw c"insort_left" => insort_left,
]);

struct Args<'a> {
    a: &'a Obj,
    x: &'a Obj,
    lo: isize,
    hi: Option<isize>,
    key: Option<&'a Obj>,
}

fn args<'a>(name: &'static str, a: &[&'a Obj], kw: Kw<'a>) -> PyResult<Args<'a>> {
    let sig = Sig { name, params: &["a", "x", "lo", "hi", "key"], posonly: 0, maxpos: 4, required: 2 };
    let [seq, x, lo, hi, key] = argparse::parse::<5>(&sig, a, kw)?;
    let lo = lo.map_or(Ok(0), argparse::ssize)?;
    let hi = match argparse::not_none(hi) {
        Some(h) => Some(argparse::ssize(h)?),
        None => None,
    };
    Ok(Args { a: seq.unwrap(), x: x.unwrap(), lo, hi, key: argparse::not_none(key) })
}

/// The insertion point of `x` (`right`: after equal items), comparing `key(a[i])` with `x`.
fn search(args: &Args, x: &Obj, right: bool) -> PyResult<isize> {
    let (mut lo, hi) = (args.lo, args.hi);
    if lo < 0 {
        return Err(raise!(ValueError, "lo cannot be negative"));
    }
    let mut hi = match hi {
        Some(h) => h,
        None => abstract_::len(args.a)? as isize,
    };
    while lo < hi {
        let mid = ((lo as usize + hi as usize) / 2) as isize;
        let mut item = abstract_::getitem(args.a, &long::from_i64(mid as i64))?;
        if let Some(k) = args.key {
            item = abstract_::call_one_arg(k, &item)?;
        }
        let go_left = if right { abstract_::rich_compare_bool(x, &item, Py_LT)? } else { !abstract_::rich_compare_bool(&item, x, Py_LT)? };
        if go_left {
            hi = mid;
        } else {
            lo = mid + 1;
        }
    }
    Ok(lo)
}

fn insert(args: &Args, right: bool) -> PyResult<PyRef> {
    let keyed;
    let probe = match args.key {
        Some(k) => {
            keyed = abstract_::call_one_arg(k, args.x)?;
            &*keyed
        }
        None => args.x,
    };
    let i = search(args, probe, right)?;
    if list::check_exact(args.a) {
        list::insert(args.a, i, args.x);
    } else {
        abstract_::call_method(args.a, "insert", &[&*long::from_i64(i as i64), args.x])?;
    }
    Ok(none::none())
}

fn bisect_right(_m: &Obj, a: &[&Obj], kw: Kw) -> PyResult<PyRef> {
    let args = args("bisect_right", a, kw)?;
    Ok(long::from_i64(search(&args, args.x, true)? as i64))
}

fn bisect_left(_m: &Obj, a: &[&Obj], kw: Kw) -> PyResult<PyRef> {
    let args = args("bisect_left", a, kw)?;
    Ok(long::from_i64(search(&args, args.x, false)? as i64))
}

fn insort_right(_m: &Obj, a: &[&Obj], kw: Kw) -> PyResult<PyRef> {
    insert(&args("insort_right", a, kw)?, true)
}

fn insort_left(_m: &Obj, a: &[&Obj], kw: Kw) -> PyResult<PyRef> {
    insert(&args("insort_left", a, kw)?, false)
}
