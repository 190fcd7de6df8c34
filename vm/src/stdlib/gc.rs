//! `gc`: the garbage collector's interface. Pyrite frees objects by reference counting, as
//! CPython does, but has no cycle collector yet (issue 5): `collect()` finds nothing beyond
//! what reference counting has already freed and returns 0, so objects kept alive only by a
//! reference cycle stay alive. Everything else here is what CPython's module reports or stores:
//! the enabled flag, thresholds, debug flags, `callbacks` and `garbage`, and which objects
//! would be tracked (instances of `Py_TPFLAGS_HAVE_GC` types). Functions that need the
//! collector's list of tracked objects (`get_objects`, `get_referrers`, `get_count`,
//! `get_stats`) are absent until the collector exists.

use std::sync::Mutex;

use pyrite_abi::*;

use crate::err::PyResult;
use crate::method_table;
use crate::object::{Obj, PyRef};
use crate::objects::argparse::{self, Kw, Sig};
use crate::objects::{bool_, dict, list, long, none, tuple};

struct State {
    enabled: bool,
    debug: i64,
    thresholds: [i64; 3],
}

static STATE: Mutex<State> = Mutex::new(State { enabled: true, debug: 0, thresholds: [2000, 10, 10] });

fn state() -> std::sync::MutexGuard<'static, State> {
    STATE.lock().unwrap_or_else(|p| p.into_inner())
}

fn m_enable(_m: &Obj) -> PyResult<PyRef> {
    state().enabled = true;
    Ok(none::none())
}

fn m_disable(_m: &Obj) -> PyResult<PyRef> {
    state().enabled = false;
    Ok(none::none())
}

fn m_isenabled(_m: &Obj) -> PyResult<PyRef> {
    Ok(bool_::new(state().enabled))
}

/// `collect(generation=2)`: the number of unreachable objects found — always 0 without a
/// cycle collector (reference counting has freed every other unreachable object already).
fn m_collect(_m: &Obj, a: &[&Obj], kw: Kw) -> PyResult<PyRef> {
    static SIG: Sig = Sig { name: "collect", params: &["generation"], posonly: 0, maxpos: 1, required: 0 };
    let [generation] = argparse::parse::<1>(&SIG, a, kw)?;
    if let Some(g) = generation {
        let g = argparse::ssize(g)?;
        if !(0..=2).contains(&g) {
            return Err(raise!(ValueError, "invalid generation"));
        }
    }
    Ok(long::from_i64(0))
}

fn m_get_debug(_m: &Obj) -> PyResult<PyRef> {
    Ok(long::from_i64(state().debug))
}

fn m_set_debug(_m: &Obj, flags: &Obj) -> PyResult<PyRef> {
    state().debug = argparse::ssize(flags)? as i64;
    Ok(none::none())
}

fn m_get_threshold(_m: &Obj) -> PyResult<PyRef> {
    let t = state().thresholds;
    Ok(tuple::new_from_owned(t.iter().map(|&v| long::from_i64(v)).collect()))
}

fn m_set_threshold(_m: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    argparse::check_positional("set_threshold", a.len(), 1, 3)?;
    let mut s = state();
    for (i, v) in a.iter().enumerate() {
        s.thresholds[i] = argparse::ssize(v)? as i64;
    }
    Ok(none::none())
}

/// Whether the collector would track `obj`: instances of types with `Py_TPFLAGS_HAVE_GC`,
/// except the empty tuple (an immortal singleton, as in CPython).
fn m_is_tracked(_m: &Obj, o: &Obj) -> PyResult<PyRef> {
    let empty_tuple = tuple::check(o) && tuple::len(o) == 0;
    Ok(bool_::new(o.ob_type().slots().tp_flags & Py_TPFLAGS_HAVE_GC != 0 && !empty_tuple))
}

fn m_is_finalized(_m: &Obj, o: &Obj) -> PyResult<PyRef> {
    // SAFETY: a live object.
    Ok(bool_::new(unsafe { crate::alloc::gc_is_finalized(o.as_ptr()) }))
}

/// `freeze()`: moves tracked objects to a permanent generation the collector ignores; with
/// no collector, there is nothing to move.
fn m_freeze(_m: &Obj) -> PyResult<PyRef> {
    Ok(none::none())
}

fn m_get_freeze_count(_m: &Obj) -> PyResult<PyRef> {
    Ok(long::from_i64(0))
}

method_table!(static GC_METHODS = [
    noargs c"enable" => m_enable,
    noargs c"disable" => m_disable,
    noargs c"isenabled" => m_isenabled,
    kw c"collect" => m_collect,
    noargs c"get_debug" => m_get_debug,
    o c"set_debug" => m_set_debug,
    noargs c"get_threshold" => m_get_threshold,
    fast c"set_threshold" => m_set_threshold,
    o c"is_tracked" => m_is_tracked,
    o c"is_finalized" => m_is_finalized,
    noargs c"freeze" => m_freeze,
    noargs c"unfreeze" => m_freeze,
    noargs c"get_freeze_count" => m_get_freeze_count,
]);

pub fn create() -> PyResult<PyRef> {
    // SAFETY: the table is static.
    let m = unsafe { super::new_module("gc", GC_METHODS.0.get() as *mut PyMethodDef)? };
    super::add_ints(
        &m,
        &[("DEBUG_STATS", 1), ("DEBUG_COLLECTABLE", 2), ("DEBUG_UNCOLLECTABLE", 4), ("DEBUG_SAVEALL", 32), ("DEBUG_LEAK", 38)],
    )?;
    let d = crate::objects::module::dict_of(&m);
    dict::set_item_str(d, "garbage", &list::new())?;
    dict::set_item_str(d, "callbacks", &list::new())?;
    Ok(m)
}
