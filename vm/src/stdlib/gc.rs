//! `gc`: the cycle collector's interface (the collector itself is `crate::gc`). Pyrite has
//! one generation: every collection looks at all tracked objects, so `collect(0)`,
//! `collect(1)` and `collect(2)` do the same work, `get_count()` reports net allocations since
//! the last collection in its first place, and `get_objects(0)`/`(1)` are empty (everything
//! tracked counts as the oldest generation).

use std::sync::Mutex;

use pyrite_abi::*;

use crate::err::PyResult;
use crate::method_table;
use crate::object::{Obj, PyRef};
use crate::objects::argparse::{self, Kw, Sig};
use crate::objects::{bool_, dict, list, long, none, tuple, unicode};

const DEBUG_STATS: i64 = 1;
const DEBUG_COLLECTABLE: i64 = 2;
const DEBUG_UNCOLLECTABLE: i64 = 4;
const DEBUG_SAVEALL: i64 = 32;

struct State {
    debug: i64,
    thresholds: [i64; 3],
    /// Per generation: collections, objects collected, objects uncollectable, candidates
    /// examined, and seconds spent. Every collection is a full one: it counts for generation 2.
    stats: [GenStats; 3],
}

#[derive(Clone, Copy)]
struct GenStats {
    collections: u64,
    collected: u64,
    uncollectable: u64,
    candidates: u64,
    duration: f64,
}

const NO_STATS: GenStats = GenStats { collections: 0, collected: 0, uncollectable: 0, candidates: 0, duration: 0.0 };

static STATE: Mutex<State> = Mutex::new(State { debug: 0, thresholds: [2000, 10, 10], stats: [NO_STATS; 3] });

fn state() -> std::sync::MutexGuard<'static, State> {
    STATE.lock().unwrap_or_else(|p| p.into_inner())
}

/// `PyGC_Enable`/`PyGC_Disable` and `gc.enable`/`disable`: sets the flag, returns the old one.
pub fn set_enabled(on: bool) -> bool {
    crate::gc::set_enabled(on)
}

pub fn is_enabled() -> bool {
    crate::gc::is_enabled()
}

fn m_enable(_m: &Obj) -> PyResult<PyRef> {
    set_enabled(true);
    Ok(none::none())
}

fn m_disable(_m: &Obj) -> PyResult<PyRef> {
    set_enabled(false);
    Ok(none::none())
}

fn m_isenabled(_m: &Obj) -> PyResult<PyRef> {
    Ok(bool_::new(is_enabled()))
}

/// The module object, if it was imported (its `garbage` and `callbacks` lists live there).
fn module_dict() -> Option<PyRef> {
    let modules = crate::sys::modules();
    let m = dict::get_item_str(&modules, "gc")?;
    crate::objects::module::check(&m).then(|| crate::objects::module::dict_of(&m).new_ref())
}

/// Calls each of `gc.callbacks` with `(phase, info)`; errors are unraisable.
fn run_callbacks(d: Option<&Obj>, phase: &str, generation: i64, out: &crate::gc::Outcome, seconds: f64) {
    let Some(cbs) = d.and_then(|d| dict::get_item_str(d, "callbacks")) else { return };
    if !list::check(&cbs) || list::len(&cbs) == 0 {
        return;
    }
    let Ok(info) = (|| -> PyResult<PyRef> {
        let info = dict::new();
        dict::set_item_str(&info, "generation", &long::from_i64(generation))?;
        dict::set_item_str(&info, "collected", &long::from_i64(out.collected as i64))?;
        dict::set_item_str(&info, "uncollectable", &long::from_i64(out.uncollectable as i64))?;
        dict::set_item_str(&info, "candidates", &long::from_i64(out.candidates as i64))?;
        dict::set_item_str(&info, "duration", &crate::objects::float::new(seconds))?;
        Ok(info)
    })() else {
        return;
    };
    let phase = unicode::new(phase);
    // A copy: a callback may change the list.
    let cbs = list::to_vec(&cbs);
    for cb in cbs {
        if let Err(e) = crate::abstract_::call(&cb, &tuple::new_from(&[&phase, &info]), None) {
            let what = crate::abstract_::repr(&cb).map(|s| unicode::as_str_lossy(&s).into_owned()).unwrap_or_default();
            crate::traceback::write_unraisable(&format!("Exception ignored in garbage collector callback {what}"), &e);
        }
    }
}

/// A collection with the module's debug flags, statistics, `garbage` and `callbacks`:
/// what `gc.collect()`, `PyGC_Collect` and automatic collections run. Returns the number of
/// unreachable objects found.
pub fn collect() -> usize {
    collect_with(true, true)
}

/// The collection of interpreter shutdown: as [`collect`] without `gc.callbacks` (CPython
/// does not call them then).
pub fn collect_at_exit() -> usize {
    collect_with(false, true)
}

/// A collection of both generations (`full`, reported as generation 2) or of the young one
/// (generation 0).
fn collect_with(callbacks: bool, full: bool) -> usize {
    let d = module_dict();
    let debug = state().debug;
    let generation = if full { 2 } else { 0 };
    if callbacks {
        run_callbacks(d.as_deref(), "start", generation, &crate::gc::Outcome::default(), 0.0);
    }
    if debug & DEBUG_STATS != 0 {
        let (live, young) = crate::alloc::gc_counts();
        eprintln!("gc: collecting generation {generation}...\ngc: objects in each generation: {young} 0 {}", live.saturating_sub(young));
    }
    let start = std::time::Instant::now();
    let save_all = debug & DEBUG_SAVEALL != 0;
    let out = if full { crate::gc::collect(save_all) } else { crate::gc::collect_young(save_all) };
    let seconds = start.elapsed().as_secs_f64();
    if debug & (DEBUG_COLLECTABLE | DEBUG_UNCOLLECTABLE) != 0 {
        for (i, o) in out.garbage.iter().enumerate() {
            let uncollectable = i < out.uncollectable;
            if (uncollectable && debug & DEBUG_UNCOLLECTABLE != 0) || (!uncollectable && debug & DEBUG_COLLECTABLE != 0) {
                let what = if uncollectable { "uncollectable" } else { "collectable" };
                eprintln!("gc: {what} <{} {:p}>", o.ob_type().name(), o.as_ptr());
            }
        }
    }
    if debug & DEBUG_STATS != 0 {
        eprintln!("gc: done, {} unreachable, {} uncollectable, {seconds:.4}s elapsed", out.collected + out.uncollectable, out.uncollectable);
    }
    {
        let mut s = state();
        let g = &mut s.stats[generation as usize];
        g.collections += 1;
        g.collected += out.collected as u64;
        g.uncollectable += out.uncollectable as u64;
        g.candidates += out.candidates as u64;
        g.duration += seconds;
    }
    if !out.garbage.is_empty()
        && let Some(g) = d.as_deref().and_then(|d| dict::get_item_str(d, "garbage"))
        && list::check(&g)
    {
        for o in &out.garbage {
            list::append(&g, o);
        }
    }
    if callbacks {
        run_callbacks(d.as_deref(), "stop", generation, &out, seconds);
    }
    out.collected + out.uncollectable
}

/// An automatic collection, at an eval break; the current exception is kept.
pub fn collect_automatic() {
    let saved = crate::err::PyErr::take();
    collect_with(true, crate::gc::full_collection_due());
    if let Some(e) = saved {
        e.restore();
    }
}

/// `collect(generation=2)`: the number of unreachable objects found.
fn m_collect(_m: &Obj, a: &[&Obj], kw: Kw) -> PyResult<PyRef> {
    static SIG: Sig = Sig { name: "collect", params: &["generation"], posonly: 0, maxpos: 1, required: 0 };
    let [generation] = argparse::parse::<1>(&SIG, a, kw)?;
    if let Some(g) = generation {
        let g = argparse::ssize(g)?;
        if !(0..=2).contains(&g) {
            return Err(raise!(ValueError, "invalid generation"));
        }
        if g < 2 {
            // Pyrite has two generations: 0 and 1 both collect the young one.
            return Ok(long::from_i64(collect_with(true, false) as i64));
        }
    }
    Ok(long::from_i64(collect() as i64))
}

fn m_get_count(_m: &Obj) -> PyResult<PyRef> {
    let (_, young) = crate::alloc::gc_counts();
    Ok(tuple::new_from_owned(vec![long::from_i64(young as i64), long::from_i64(0), long::from_i64(0)]))
}

fn m_get_stats(_m: &Obj) -> PyResult<PyRef> {
    let stats = state().stats;
    let out = list::new();
    for g in stats {
        let d = dict::new();
        dict::set_item_str(&d, "collections", &long::from_i64(g.collections as i64))?;
        dict::set_item_str(&d, "collected", &long::from_i64(g.collected as i64))?;
        dict::set_item_str(&d, "uncollectable", &long::from_i64(g.uncollectable as i64))?;
        dict::set_item_str(&d, "candidates", &long::from_i64(g.candidates as i64))?;
        dict::set_item_str(&d, "duration", &crate::objects::float::new(g.duration))?;
        list::append(&out, &d);
    }
    Ok(out)
}

fn m_get_objects(_m: &Obj, a: &[&Obj], kw: Kw) -> PyResult<PyRef> {
    static SIG: Sig = Sig { name: "get_objects", params: &["generation"], posonly: 0, maxpos: 1, required: 0 };
    let [generation] = argparse::parse::<1>(&SIG, a, kw)?;
    if let Some(g) = generation.filter(|g| !g.is(none::none_obj())) {
        let g = argparse::ssize(g)?;
        if g >= 3 {
            return Err(raise!(ValueError, "generation parameter must be less than the number of available generations (3)"));
        }
        if g < 0 {
            return Err(raise!(ValueError, "generation parameter cannot be negative"));
        }
        if g < 2 {
            return Ok(list::new());
        }
    }
    Ok(list::new_from_owned(crate::gc::tracked_objects()))
}

fn m_get_referrers(_m: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    let targets: Vec<*mut PyObject> = a.iter().map(|o| o.as_ptr()).collect();
    Ok(list::new_from_owned(crate::gc::referrers(&targets)))
}

fn m_get_referents(_m: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    let mut out = Vec::new();
    for o in a {
        // SAFETY: a live argument.
        out.extend(unsafe { crate::gc::referents(o.as_ptr()) });
    }
    Ok(list::new_from_owned(out))
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
    crate::gc::set_threshold(s.thresholds[0] as isize);
    Ok(none::none())
}

/// Whether the collector would track `obj` (`PyObject_GC_IsTracked`); never the empty tuple
/// (an immortal singleton, as in CPython).
fn m_is_tracked(_m: &Obj, o: &Obj) -> PyResult<PyRef> {
    let empty_tuple = tuple::check(o) && tuple::len(o) == 0;
    // SAFETY: a live object.
    Ok(bool_::new(!empty_tuple && unsafe { crate::alloc::gc_is_tracked(o.as_ptr()) }))
}

fn m_is_finalized(_m: &Obj, o: &Obj) -> PyResult<PyRef> {
    // SAFETY: a live object.
    Ok(bool_::new(unsafe { crate::alloc::gc_is_finalized(o.as_ptr()) }))
}

/// `freeze()`: tracked objects move to a permanent generation the collector ignores.
fn m_freeze(_m: &Obj) -> PyResult<PyRef> {
    // SAFETY: the GIL is held.
    unsafe { crate::alloc::gc_set_frozen_all(true) };
    Ok(none::none())
}

fn m_unfreeze(_m: &Obj) -> PyResult<PyRef> {
    // SAFETY: the GIL is held.
    unsafe { crate::alloc::gc_set_frozen_all(false) };
    Ok(none::none())
}

fn m_get_freeze_count(_m: &Obj) -> PyResult<PyRef> {
    // SAFETY: the GIL is held.
    Ok(long::from_i64(unsafe { crate::alloc::gc_frozen_count() } as i64))
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
    noargs c"unfreeze" => m_unfreeze,
    noargs c"get_count" => m_get_count,
    noargs c"get_stats" => m_get_stats,
    kw c"get_objects" => m_get_objects,
    fast c"get_referrers" => m_get_referrers,
    fast c"get_referents" => m_get_referents,
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
