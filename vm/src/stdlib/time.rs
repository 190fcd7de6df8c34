//! `time`: clocks (`time`, `monotonic`, `perf_counter`, `process_time`, `thread_time`, their
//! `_ns` forms, `clock_gettime`), `sleep` (detached from the GIL, resumed after signal
//! handlers run), broken-down time (`time.struct_time`, `gmtime`, `localtime`, `mktime`,
//! `asctime`, `ctime`, `strftime`, `strptime` through `Lib/_strptime.py`) and the local time
//! zone (`timezone`, `altzone`, `daylight`, `tzname`).

use core::ffi::c_int;
use std::ffi::CString;
use std::sync::OnceLock;

use pyrite_abi::*;

use crate::abstract_;
use crate::err::PyResult;
use crate::object::{Obj, PyRef, SyncPtr};
use crate::objects::argparse;
use crate::objects::type_::TypeObj;
use crate::objects::{bool_, dict, float, long, module, none, tuple, unicode};
use crate::method_table;

fn clock_ns(clock: libc::clockid_t) -> PyResult<i128> {
    let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: a valid out-pointer.
    if unsafe { libc::clock_gettime(clock, &mut ts) } != 0 {
        return Err(super::posix::last_error(None));
    }
    Ok(ts.tv_sec as i128 * 1_000_000_000 + ts.tv_nsec as i128)
}

fn seconds(ns: i128) -> PyRef {
    float::new(ns as f64 * 1e-9)
}

macro_rules! clocks {
    ($($f:ident $fns:ident => $clock:expr;)*) => {$(
        fn $f(_m: &Obj) -> PyResult<PyRef> {
            Ok(seconds(clock_ns($clock)?))
        }
        fn $fns(_m: &Obj) -> PyResult<PyRef> {
            Ok(long::from_i128(clock_ns($clock)?))
        }
    )*};
}

clocks! {
    m_time m_time_ns => libc::CLOCK_REALTIME;
    m_monotonic m_monotonic_ns => libc::CLOCK_MONOTONIC;
    m_perf_counter m_perf_counter_ns => libc::CLOCK_MONOTONIC;
    m_process_time m_process_time_ns => libc::CLOCK_PROCESS_CPUTIME_ID;
    m_thread_time m_thread_time_ns => libc::CLOCK_THREAD_CPUTIME_ID;
}

fn m_clock_gettime(_m: &Obj, clk: &Obj) -> PyResult<PyRef> {
    Ok(seconds(clock_ns(argparse::c_int(clk)?)?))
}

fn m_clock_gettime_ns(_m: &Obj, clk: &Obj) -> PyResult<PyRef> {
    Ok(long::from_i128(clock_ns(argparse::c_int(clk)?)?))
}

fn m_clock_getres(_m: &Obj, clk: &Obj) -> PyResult<PyRef> {
    let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: a valid out-pointer.
    if unsafe { libc::clock_getres(argparse::c_int(clk)?, &mut ts) } != 0 {
        return Err(super::posix::last_error(None));
    }
    Ok(float::new(ts.tv_sec as f64 + ts.tv_nsec as f64 * 1e-9))
}

/// A duration or timestamp in seconds: int or float (anything else is a TypeError, as
/// CPython's `_PyTime_FromSecondsObject` says).
fn seconds_arg(o: &Obj) -> PyResult<f64> {
    if float::check(o) {
        let v = float::value(o);
        if v.is_nan() {
            return Err(raise!(ValueError, "Invalid value NaN (not a number)"));
        }
        return Ok(v);
    }
    if !argparse::index_check(o) {
        return Err(raise!(TypeError, "must be real number, not {}", o.ob_type().name()));
    }
    long::to_f64(&*abstract_::index(o)?)
}

fn m_sleep(_m: &Obj, secs: &Obj) -> PyResult<PyRef> {
    let s = seconds_arg(secs)?;
    if s < 0.0 {
        return Err(raise!(ValueError, "sleep length must be non-negative"));
    }
    if !s.is_finite() || s > i64::MAX as f64 / 2.0 {
        return Err(raise!(OverflowError, "timestamp too large to convert to C _PyTime_t"));
    }
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs_f64(s);
    loop {
        let left = deadline.saturating_duration_since(std::time::Instant::now());
        let ts = libc::timespec { tv_sec: left.as_secs() as libc::time_t, tv_nsec: left.subsec_nanos() as _ };
        // SAFETY: a valid timespec; no remainder wanted (the deadline is recomputed).
        let r = crate::gil::allow_threads(|| unsafe { libc::nanosleep(&ts, core::ptr::null_mut()) });
        if r == 0 {
            return Ok(none::none());
        }
        if super::posix::errno() != libc::EINTR {
            return Err(super::posix::last_error(None));
        }
        super::signal::check_signals()?;
    }
}

// ---- struct_time ----------------------------------------------------------------------------

static STRUCT_TIME: OnceLock<SyncPtr<PyObject>> = OnceLock::new();

fn struct_time_type() -> PyResult<&'static TypeObj> {
    super::struct_seq_type(
        &STRUCT_TIME,
        c"time.struct_time",
        c"The time value as returned by gmtime(), localtime(), and strptime(), and\n accepted by asctime(), mktime() and strftime().  May be considered as a\n sequence of 9 integers.\n\n Note that several fields' values are not the same as those defined by\n the C language standard for struct tm.  For example, the value of the\n field tm_year is the actual year, not year - 1900.  See individual\n fields' descriptions for details.",
        &[
            Some(c"tm_year"), Some(c"tm_mon"), Some(c"tm_mday"), Some(c"tm_hour"), Some(c"tm_min"), Some(c"tm_sec"),
            Some(c"tm_wday"), Some(c"tm_yday"), Some(c"tm_isdst"), Some(c"tm_zone"), Some(c"tm_gmtoff"),
        ],
        9,
    )
}

fn tm_to_object(tm: &libc::tm) -> PyResult<PyRef> {
    let n = |v: c_int| long::from_i64(v as i64);
    let zone = if tm.tm_zone.is_null() {
        none::none()
    } else {
        // SAFETY: the C library's NUL-terminated zone abbreviation.
        super::posix::fs_decode(unsafe { core::ffi::CStr::from_ptr(tm.tm_zone) }.to_bytes(), false)?
    };
    super::struct_seq_new(
        struct_time_type()?,
        vec![
            long::from_i64(tm.tm_year as i64 + 1900),
            n(tm.tm_mon + 1),
            n(tm.tm_mday),
            n(tm.tm_hour),
            n(tm.tm_min),
            n(tm.tm_sec),
            n((tm.tm_wday + 6) % 7),
            n(tm.tm_yday + 1),
            n(tm.tm_isdst),
            zone,
            long::from_i64(tm.tm_gmtoff as i64),
        ],
    )
}

/// The `time_t` of an optional seconds argument (`None`: now), rounded toward minus infinity.
fn time_t_arg(o: Option<&Obj>) -> PyResult<libc::time_t> {
    match argparse::not_none(o) {
        None => Ok((clock_ns(libc::CLOCK_REALTIME)?.div_euclid(1_000_000_000)) as libc::time_t),
        Some(v) if float::check(v) => {
            let f = float::value(v);
            if f.is_nan() {
                return Err(raise!(ValueError, "Invalid value NaN (not a number)"));
            }
            let f = f.floor();
            if !(-9.2e18..9.2e18).contains(&f) {
                return Err(raise!(OverflowError, "timestamp out of range for platform time_t"));
            }
            Ok(f as libc::time_t)
        }
        Some(v) => {
            if !argparse::index_check(v) {
                return Err(raise!(TypeError, "must be real number, not {}", v.ob_type().name()));
            }
            long::to_i64(&*abstract_::index(v)?).map(|x| x as libc::time_t).ok_or_else(|| raise!(OverflowError, "timestamp out of range for platform time_t"))
        }
    }
}

fn broken_down(func: &str, a: &[&Obj], local: bool) -> PyResult<libc::tm> {
    argparse::check_positional(func, a.len(), 0, 1)?;
    let t = time_t_arg(a.first().copied())?;
    // SAFETY: an all-zero tm is valid to be overwritten.
    let mut tm: libc::tm = unsafe { core::mem::zeroed() };
    // SAFETY: valid pointers.
    let r = unsafe { if local { libc::localtime_r(&t, &mut tm) } else { libc::gmtime_r(&t, &mut tm) } };
    if r.is_null() {
        let e = super::posix::errno();
        return Err(if e == 0 || e == libc::EOVERFLOW { raise!(OverflowError, "timestamp out of range for platform time_t") } else { super::posix::os_error(e, None, None) });
    }
    Ok(tm)
}

fn m_gmtime(_m: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    tm_to_object(&broken_down("gmtime", a, false)?)
}

fn m_localtime(_m: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    tm_to_object(&broken_down("localtime", a, true)?)
}

/// A `struct_time` or 9-tuple as a C `tm` (CPython's `gettmarg`): the zone and offset of a
/// `struct_time` are kept.
fn tm_arg(func: &str, o: &Obj) -> PyResult<libc::tm> {
    let Some(items) = tuple::as_slice_if_tuple(o) else {
        return Err(raise!(TypeError, "Tuple or struct_time argument required"));
    };
    if items.len() != 9 {
        return Err(raise!(TypeError, "{}(): illegal time tuple argument", func));
    }
    let mut v = [0i64; 9];
    for (slot, it) in v.iter_mut().zip(items) {
        let i = abstract_::index(it).map_err(|_| raise!(TypeError, "'{}' object cannot be interpreted as an integer", it.ob_type().name()))?;
        *slot = long::to_i64(&i).ok_or_else(|| raise!(OverflowError, "Python int too large to convert to C long"))?;
    }
    let year = v[0] - 1900;
    if year < c_int::MIN as i64 || year > c_int::MAX as i64 {
        return Err(raise!(OverflowError, "year out of range"));
    }
    let c = |x: i64| -> PyResult<c_int> { c_int::try_from(x).map_err(|_| raise!(OverflowError, "signed integer is greater than maximum")) };
    // SAFETY: an all-zero tm is valid.
    let mut tm: libc::tm = unsafe { core::mem::zeroed() };
    tm.tm_year = year as c_int;
    tm.tm_mon = c(v[1] - 1)?;
    tm.tm_mday = c(v[2])?;
    tm.tm_hour = c(v[3])?;
    tm.tm_min = c(v[4])?;
    tm.tm_sec = c(v[5])?;
    tm.tm_wday = c((v[6] + 1).rem_euclid(7))?;
    tm.tm_yday = c(v[7] - 1)?;
    tm.tm_isdst = c(v[8])?;
    if o.ob_type().is(struct_time_type()?) {
        if let Ok(off) = abstract_::getattr_str(o, "tm_gmtoff") {
            if let Some(x) = long::to_i64(&off) {
                tm.tm_gmtoff = x as _;
            }
        }
    }
    Ok(tm)
}

/// CPython's `checktm`: the ranges `strftime` and `asctime` accept, after mapping the
/// zeros of a "don't care" tuple to the first valid value.
fn check_tm(tm: &mut libc::tm, func: &str) -> PyResult<()> {
    if tm.tm_mon == -1 {
        tm.tm_mon = 0;
    } else if !(0..=11).contains(&tm.tm_mon) {
        return Err(raise!(ValueError, "month out of range"));
    }
    if tm.tm_mday == 0 {
        tm.tm_mday = 1;
    } else if !(0..=31).contains(&tm.tm_mday) {
        return Err(raise!(ValueError, "day of month out of range"));
    }
    if !(0..=23).contains(&tm.tm_hour) {
        return Err(raise!(ValueError, "hour out of range"));
    }
    if !(0..=59).contains(&tm.tm_min) {
        return Err(raise!(ValueError, "minute out of range"));
    }
    if !(0..=61).contains(&tm.tm_sec) {
        return Err(raise!(ValueError, "seconds out of range"));
    }
    if tm.tm_wday < 0 {
        return Err(raise!(ValueError, "day of week out of range"));
    }
    if tm.tm_yday == -1 {
        tm.tm_yday = 0;
    } else if !(0..=365).contains(&tm.tm_yday) {
        return Err(raise!(ValueError, "day of year out of range"));
    }
    let _ = func;
    Ok(())
}

fn now_tm_or_arg(func: &str, a: &[&Obj]) -> PyResult<libc::tm> {
    match a.first() {
        Some(t) => tm_arg(func, t),
        None => broken_down(func, &[], true),
    }
}

fn m_strftime(_m: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    argparse::check_positional("strftime", a.len(), 1, 2)?;
    let fmt = a[0];
    if !unicode::check(fmt) {
        return Err(raise!(TypeError, "strftime() argument 1 must be str, not {}", fmt.ob_type().name()));
    }
    let mut tm = now_tm_or_arg("strftime", &a[1..])?;
    check_tm(&mut tm, "strftime")?;
    if tm.tm_isdst < -1 {
        tm.tm_isdst = -1;
    } else if tm.tm_isdst > 1 {
        tm.tm_isdst = 1;
    }
    let raw = super::posix::fs_encode(fmt)?;
    // The C library formats up to a NUL; each NUL-separated piece is formatted apart.
    let mut out: Vec<u8> = Vec::new();
    for (i, piece) in raw.split(|&b| b == 0).enumerate() {
        if i > 0 {
            out.push(0);
        }
        if piece.is_empty() {
            continue;
        }
        let c = CString::new(piece).expect("no NUL in a split piece");
        let mut size = 1024usize;
        loop {
            let mut buf = vec![0u8; size];
            // SAFETY: a NUL-terminated format, a valid tm, a buffer of `size` bytes.
            let n = unsafe { libc::strftime(buf.as_mut_ptr() as *mut libc::c_char, size, c.as_ptr(), &tm) };
            if n > 0 || size >= 256 * piece.len().max(1) + 4096 {
                out.extend_from_slice(&buf[..n]);
                break;
            }
            size *= 4;
        }
    }
    unicode::decode(&out, "utf-8", "surrogateescape")
}

const DAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

fn asctime_text(tm: &libc::tm) -> String {
    format!(
        "{} {}{:>3} {:02}:{:02}:{:02} {}",
        DAYS[tm.tm_wday.rem_euclid(7) as usize],
        MONTHS[tm.tm_mon.rem_euclid(12) as usize],
        tm.tm_mday,
        tm.tm_hour,
        tm.tm_min,
        tm.tm_sec,
        1900 + tm.tm_year as i64
    )
}

fn m_asctime(_m: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    argparse::check_positional("asctime", a.len(), 0, 1)?;
    let mut tm = now_tm_or_arg("asctime", a)?;
    check_tm(&mut tm, "asctime")?;
    Ok(unicode::new(&asctime_text(&tm)))
}

fn m_ctime(_m: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    let tm = broken_down("ctime", a, true)?;
    Ok(unicode::new(&asctime_text(&tm)))
}

fn m_mktime(_m: &Obj, t: &Obj) -> PyResult<PyRef> {
    let mut tm = tm_arg("mktime", t)?;
    tm.tm_wday = -1; // sentinel: mktime() sets it on success
    // SAFETY: a valid tm.
    let r = unsafe { libc::mktime(&mut tm) };
    if r == -1 && tm.tm_wday == -1 {
        return Err(raise!(OverflowError, "mktime argument out of range"));
    }
    Ok(float::new(r as f64))
}

fn m_strptime(_m: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    let m = crate::import::import_module("_strptime")?;
    let f = abstract_::getattr_str(&m, "_strptime_time")?;
    abstract_::call(&f, &tuple::new_from(a), None)
}

fn m_get_clock_info(_m: &Obj, name: &Obj) -> PyResult<PyRef> {
    let n = unicode::as_str(name).map_err(|_| raise!(TypeError, "get_clock_info() argument 1 must be str, not {}", name.ob_type().name()))?;
    let (clock, implementation, monotonic, adjustable) = match n {
        "time" => (libc::CLOCK_REALTIME, "clock_gettime(CLOCK_REALTIME)", false, true),
        "monotonic" | "perf_counter" => (libc::CLOCK_MONOTONIC, "clock_gettime(CLOCK_MONOTONIC)", true, false),
        "process_time" => (libc::CLOCK_PROCESS_CPUTIME_ID, "clock_gettime(CLOCK_PROCESS_CPUTIME_ID)", true, false),
        "thread_time" => (libc::CLOCK_THREAD_CPUTIME_ID, "clock_gettime(CLOCK_THREAD_CPUTIME_ID)", true, false),
        _ => return Err(raise!(ValueError, "unknown clock")),
    };
    let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: a valid out-pointer.
    unsafe { libc::clock_getres(clock, &mut ts) };
    let res = float::new(ts.tv_sec as f64 + ts.tv_nsec as f64 * 1e-9);
    let implementation = unicode::new(implementation);
    let (mono, adj) = (bool_::new(monotonic), bool_::new(adjustable));
    crate::objects::namespace::new(&[("implementation", &implementation), ("monotonic", &mono), ("adjustable", &adj), ("resolution", &res)])
}

/// Sets `timezone`, `altzone`, `daylight` and `tzname` from the C library's zone, as CPython's
/// `init_timezone` does: the offsets of January 1st and July 1st of this year.
fn init_timezone(m: &Obj) -> PyResult<()> {
    // SAFETY: tzset reads TZ; localtime_r fills valid tm values.
    let (jan, jul) = unsafe {
        tzset();
        let now = libc::time(core::ptr::null_mut());
        let mut tm: libc::tm = core::mem::zeroed();
        libc::localtime_r(&now, &mut tm);
        let year_start = {
            let mut t: libc::tm = core::mem::zeroed();
            t.tm_year = tm.tm_year;
            t.tm_mday = 1;
            t.tm_isdst = -1;
            libc::timegm(&mut t)
        };
        let mut jan: libc::tm = core::mem::zeroed();
        let mut jul: libc::tm = core::mem::zeroed();
        libc::localtime_r(&year_start, &mut jan);
        let mid = year_start + 182 * 24 * 3600; // about July 1st
        libc::localtime_r(&mid, &mut jul);
        (jan, jul)
    };
    let name = |tm: &libc::tm| -> PyResult<PyRef> {
        if tm.tm_zone.is_null() {
            return Ok(unicode::new(""));
        }
        // SAFETY: the C library's NUL-terminated zone name.
        super::posix::fs_decode(unsafe { core::ffi::CStr::from_ptr(tm.tm_zone) }.to_bytes(), false)
    };
    let (janzone, julzone) = (-(jan.tm_gmtoff as i64), -(jul.tm_gmtoff as i64));
    let (tz, alt, names) = if janzone < julzone {
        // Southern hemisphere: daylight time is in January.
        (julzone, janzone, [name(&jul)?, name(&jan)?])
    } else {
        (janzone, julzone, [name(&jan)?, name(&jul)?])
    };
    let d = module::dict_of(m);
    dict::set_item_str(d, "timezone", &long::from_i64(tz))?;
    dict::set_item_str(d, "altzone", &long::from_i64(alt))?;
    dict::set_item_str(d, "daylight", &long::from_i64((janzone != julzone) as i64))?;
    let [a, b] = names;
    dict::set_item_str(d, "tzname", &tuple::new_from_owned(vec![a, b]))?;
    Ok(())
}

unsafe extern "C" {
    /// POSIX `tzset` (not in the `libc` crate): rereads `TZ`.
    fn tzset();
}

fn m_tzset(m: &Obj) -> PyResult<PyRef> {
    init_timezone(m)?;
    Ok(none::none())
}

method_table!(static TIME_METHODS = [
    noargs c"time" => m_time,
    noargs c"time_ns" => m_time_ns,
    noargs c"monotonic" => m_monotonic,
    noargs c"monotonic_ns" => m_monotonic_ns,
    noargs c"perf_counter" => m_perf_counter,
    noargs c"perf_counter_ns" => m_perf_counter_ns,
    noargs c"process_time" => m_process_time,
    noargs c"process_time_ns" => m_process_time_ns,
    noargs c"thread_time" => m_thread_time,
    noargs c"thread_time_ns" => m_thread_time_ns,
    o c"clock_gettime" => m_clock_gettime,
    o c"clock_gettime_ns" => m_clock_gettime_ns,
    o c"clock_getres" => m_clock_getres,
    o c"sleep" => m_sleep,
    fast c"gmtime" => m_gmtime,
    fast c"localtime" => m_localtime,
    o c"mktime" => m_mktime,
    fast c"asctime" => m_asctime,
    fast c"ctime" => m_ctime,
    fast c"strftime" => m_strftime,
    fast c"strptime" => m_strptime,
    o c"get_clock_info" => m_get_clock_info,
    noargs c"tzset" => m_tzset,
]);

/// Linux clock ids (`<time.h>`).
const CONSTANTS: &[(&str, i64)] = &[
    ("CLOCK_BOOTTIME", 7), ("CLOCK_MONOTONIC", 1), ("CLOCK_MONOTONIC_RAW", 4), ("CLOCK_PROCESS_CPUTIME_ID", 2),
    ("CLOCK_REALTIME", 0), ("CLOCK_TAI", 11), ("CLOCK_THREAD_CPUTIME_ID", 3), ("_STRUCT_TM_ITEMS", 11),
];

pub fn create() -> PyResult<PyRef> {
    // SAFETY: the table is static.
    let m = unsafe { super::new_module("time", TIME_METHODS.0.get() as *mut PyMethodDef)? };
    super::add_ints(&m, CONSTANTS)?;
    dict::set_item_str(module::dict_of(&m), "struct_time", struct_time_type()?)?;
    init_timezone(&m)?;
    Ok(m)
}
