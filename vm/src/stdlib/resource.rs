//! `resource`: process resource limits (`getrlimit`/`setrlimit`) and usage (`getrusage`,
//! as `resource.struct_rusage`).

use std::sync::OnceLock;

use pyrite_abi::*;

use crate::err::PyResult;
use crate::object::{Obj, PyRef, SyncPtr};
use crate::objects::{argparse, dict, float, long, module, none, tuple};
use crate::method_table;

static STRUCT_RUSAGE: OnceLock<SyncPtr<PyObject>> = OnceLock::new();

fn rusage_type() -> PyResult<&'static crate::objects::type_::TypeObj> {
    super::struct_seq_type(
        &STRUCT_RUSAGE,
        c"resource.struct_rusage",
        c"struct_rusage: Result from getrusage.\n\nThis object may be accessed either as a tuple of\n    (utime,stime,maxrss,ixrss,idrss,isrss,minflt,majflt,\n    nswap,inblock,oublock,msgsnd,msgrcv,nsignals,nvcsw,nivcsw)\nor via the attributes ru_utime, ru_stime, ru_maxrss, and so on.",
        &[
            Some(c"ru_utime"), Some(c"ru_stime"), Some(c"ru_maxrss"), Some(c"ru_ixrss"), Some(c"ru_idrss"), Some(c"ru_isrss"),
            Some(c"ru_minflt"), Some(c"ru_majflt"), Some(c"ru_nswap"), Some(c"ru_inblock"), Some(c"ru_oublock"),
            Some(c"ru_msgsnd"), Some(c"ru_msgrcv"), Some(c"ru_nsignals"), Some(c"ru_nvcsw"), Some(c"ru_nivcsw"),
        ],
        16,
    )
}

fn resource_arg(o: &Obj) -> PyResult<libc::c_int> {
    let r = argparse::c_int(o)?;
    if !(0..16).contains(&r) {
        return Err(raise!(ValueError, "invalid resource specified"));
    }
    Ok(r)
}

/// A limit as Python shows it: `RLIM_INFINITY` is -1.
fn limit_object(v: libc::rlim_t) -> PyRef {
    if v == libc::RLIM_INFINITY { long::from_i64(-1) } else { long::from_u64(v as u64) }
}

fn limit_value(o: &Obj) -> PyResult<libc::rlim_t> {
    let v = crate::abstract_::index(o)?;
    match long::to_i64(&v) {
        Some(-1) => Ok(libc::RLIM_INFINITY),
        Some(x) if x >= 0 => Ok(x as libc::rlim_t),
        _ => long::to_u64(&v).map(|x| x as libc::rlim_t).ok_or_else(|| raise!(OverflowError, "Python int too large to convert to C long")),
    }
}

fn m_getrlimit(_m: &Obj, res: &Obj) -> PyResult<PyRef> {
    let r = resource_arg(res)?;
    let mut l = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
    // SAFETY: a valid out-pointer.
    if unsafe { libc::getrlimit(r as _, &mut l) } != 0 {
        return Err(super::posix::last_error(None));
    }
    Ok(tuple::new_from_owned(vec![limit_object(l.rlim_cur), limit_object(l.rlim_max)]))
}

fn m_setrlimit(_m: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    argparse::check_positional("setrlimit", a.len(), 2, 2)?;
    let r = resource_arg(a[0])?;
    let items = crate::abstract_::sequence_tuple(a[1]).map_err(|_| raise!(ValueError, "expected a tuple of 2 integers"))?;
    if tuple::len(&items) != 2 {
        return Err(raise!(ValueError, "expected a tuple of 2 integers"));
    }
    let l = libc::rlimit { rlim_cur: limit_value(tuple::get(&items, 0))?, rlim_max: limit_value(tuple::get(&items, 1))? };
    // SAFETY: a valid rlimit.
    if unsafe { libc::setrlimit(r as _, &l) } != 0 {
        let e = super::posix::errno();
        return Err(match e {
            libc::EINVAL => raise!(ValueError, "current limit exceeds maximum limit"),
            libc::EPERM => raise!(ValueError, "not allowed to raise maximum limit"),
            _ => super::posix::os_error(e, None, None),
        });
    }
    Ok(none::none())
}

fn m_getrusage(_m: &Obj, who: &Obj) -> PyResult<PyRef> {
    let who = argparse::c_int(who)?;
    // SAFETY: an all-zero rusage is valid to be overwritten.
    let mut u: libc::rusage = unsafe { core::mem::zeroed() };
    // SAFETY: a valid out-pointer.
    if unsafe { libc::getrusage(who, &mut u) } != 0 {
        if super::posix::errno() == libc::EINVAL {
            return Err(raise!(ValueError, "invalid who parameter"));
        }
        return Err(super::posix::last_error(None));
    }
    let tv = |t: libc::timeval| float::new(t.tv_sec as f64 + t.tv_usec as f64 * 1e-6);
    let n = |v: libc::c_long| long::from_i64(v as i64);
    super::struct_seq_new(
        rusage_type()?,
        vec![
            tv(u.ru_utime), tv(u.ru_stime), n(u.ru_maxrss), n(u.ru_ixrss), n(u.ru_idrss), n(u.ru_isrss), n(u.ru_minflt),
            n(u.ru_majflt), n(u.ru_nswap), n(u.ru_inblock), n(u.ru_oublock), n(u.ru_msgsnd), n(u.ru_msgrcv),
            n(u.ru_nsignals), n(u.ru_nvcsw), n(u.ru_nivcsw),
        ],
    )
}

fn m_getpagesize(_m: &Obj) -> PyResult<PyRef> {
    // SAFETY: a plain query.
    Ok(long::from_i64(unsafe { libc::sysconf(libc::_SC_PAGESIZE) } as i64))
}

method_table!(static RESOURCE_METHODS = [
    o c"getrlimit" => m_getrlimit,
    fast c"setrlimit" => m_setrlimit,
    o c"getrusage" => m_getrusage,
    noargs c"getpagesize" => m_getpagesize,
]);

/// Linux values (`<sys/resource.h>`).
const CONSTANTS: &[(&str, i64)] = &[
    ("RLIMIT_AS", 9), ("RLIMIT_CORE", 4), ("RLIMIT_CPU", 0), ("RLIMIT_DATA", 2), ("RLIMIT_FSIZE", 1), ("RLIMIT_MEMLOCK", 8),
    ("RLIMIT_MSGQUEUE", 12), ("RLIMIT_NICE", 13), ("RLIMIT_NOFILE", 7), ("RLIMIT_NPROC", 6), ("RLIMIT_OFILE", 7),
    ("RLIMIT_RSS", 5), ("RLIMIT_RTPRIO", 14), ("RLIMIT_RTTIME", 15), ("RLIMIT_SIGPENDING", 11), ("RLIMIT_STACK", 3),
    ("RLIM_INFINITY", -1), ("RUSAGE_CHILDREN", -1), ("RUSAGE_SELF", 0), ("RUSAGE_THREAD", 1),
];

pub fn create() -> PyResult<PyRef> {
    // SAFETY: the table is static.
    let m = unsafe { super::new_module("resource", RESOURCE_METHODS.0.get() as *mut PyMethodDef)? };
    super::add_ints(&m, CONSTANTS)?;
    let d = module::dict_of(&m);
    dict::set_item_str(d, "error", crate::objects::exceptions::OSError())?;
    dict::set_item_str(d, "struct_rusage", rusage_type()?)?;
    Ok(m)
}
