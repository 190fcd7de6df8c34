//! `select`: waiting for file descriptors (`select.select` and `select.poll` objects), detached
//! from the GIL and resumed after signal handlers run when interrupted (PEP 475).

use core::ffi::{c_int, c_void};

use pyrite_abi::*;

use crate::abstract_;
use crate::err::PyResult;
use crate::object::{Obj, PyRef};
use crate::objects::argparse;
use crate::objects::type_::{self, BUILTIN_FLAGS};
use crate::objects::{dict, float, list, long, module, none, tuple};
use crate::{method_table, private_static_type};

/// `PyObject_AsFileDescriptor`: an int, or what `fileno()` returns.
fn file_descriptor(o: &Obj) -> PyResult<c_int> {
    let v = if long::check(o) {
        o.new_ref()
    } else {
        match abstract_::lookup_attr(o, "fileno")? {
            Some(f) => abstract_::call_no_args(&f)?,
            None => return Err(raise!(TypeError, "argument must be an int, or have a fileno() method.")),
        }
    };
    if !long::check(&v) {
        return Err(raise!(TypeError, "fileno() returned a non-integer"));
    }
    let fd = argparse::c_int(&v)?;
    if fd < 0 {
        return Err(raise!(ValueError, "file descriptor cannot be a negative integer ({})", fd));
    }
    Ok(fd)
}

/// A timeout in seconds (`None`: wait forever), as a deadline.
fn deadline(o: Option<&Obj>) -> PyResult<Option<std::time::Instant>> {
    let Some(t) = argparse::not_none(o) else { return Ok(None) };
    let secs = if float::check(t) {
        float::value(t)
    } else if argparse::index_check(t) {
        long::to_f64(&*abstract_::index(t)?)?
    } else {
        return Err(raise!(TypeError, "timeout must be a real number or None, not {}", t.ob_type().name()));
    };
    if secs.is_nan() {
        return Err(raise!(ValueError, "Invalid value NaN (not a number)"));
    }
    if secs < 0.0 {
        return Err(raise!(ValueError, "timeout must be non-negative"));
    }
    Ok(Some(std::time::Instant::now() + std::time::Duration::from_secs_f64(secs.min(1e9))))
}

fn fd_list(o: &Obj) -> PyResult<Vec<(c_int, PyRef)>> {
    let items = crate::objects::iterobject::fast_items(o, "arguments 1-3 must be sequences")?;
    let mut out = Vec::with_capacity(items.len());
    for it in items {
        let fd = file_descriptor(&it)?;
        if fd as usize >= libc::FD_SETSIZE {
            return Err(raise!(ValueError, "filedescriptor out of range in select()"));
        }
        out.push((fd, it));
    }
    Ok(out)
}

fn m_select(_m: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    argparse::check_positional("select", a.len(), 3, 4)?;
    let lists = [fd_list(a[0])?, fd_list(a[1])?, fd_list(a[2])?];
    let end = deadline(a.get(3).copied())?;
    loop {
        // SAFETY: all-zero fd_sets, filled with in-range descriptors below.
        let mut sets: [libc::fd_set; 3] = unsafe { core::mem::zeroed() };
        let mut nfds = 0;
        for (set, l) in sets.iter_mut().zip(&lists) {
            for (fd, _) in l {
                // SAFETY: `fd` < FD_SETSIZE (checked).
                unsafe { libc::FD_SET(*fd, set) };
                nfds = nfds.max(*fd + 1);
            }
        }
        let mut tv = end.map(|e| {
            let left = e.saturating_duration_since(std::time::Instant::now());
            libc::timeval { tv_sec: left.as_secs() as libc::time_t, tv_usec: left.subsec_micros() as libc::suseconds_t }
        });
        let tvp = tv.as_mut().map_or(core::ptr::null_mut(), |t| t as *mut libc::timeval);
        let [r, w, x] = &mut sets;
        // SAFETY: valid sets and timeout (or NULL), detached from the GIL.
        let n = crate::gil::allow_threads(|| unsafe { libc::select(nfds, r, w, x, tvp) });
        if n < 0 {
            if super::posix::errno() == libc::EINTR {
                super::signal::check_signals()?;
                continue;
            }
            return Err(super::posix::last_error(None));
        }
        let mut out = Vec::with_capacity(3);
        for (set, l) in sets.iter().zip(&lists) {
            let ready = list::new();
            for (fd, o) in l {
                // SAFETY: an in-range descriptor of a valid set.
                if unsafe { libc::FD_ISSET(*fd, set) } {
                    list::append(&ready, o);
                }
            }
            out.push(ready);
        }
        return Ok(tuple::new_from_owned(out));
    }
}

// ---- poll objects ---------------------------------------------------------------------------

#[repr(C)]
struct PollObject {
    ob_base: PyObject,
    /// An owned `Box<Vec<libc::pollfd>>`: the registered descriptors, in registration order.
    fds: *mut c_void,
}

private_static_type!(POLL_TYPE, c"select.poll", core::mem::size_of::<PollObject>(), {
    tp_flags: BUILTIN_FLAGS,
    tp_dealloc: Some(poll_dealloc),
    tp_methods: POLL_METHODS.0.get() as *mut PyMethodDef,
});

method_table!(static POLL_METHODS = [
    fast c"register" => poll_register,
    fast c"modify" => poll_modify,
    o c"unregister" => poll_unregister,
    fast c"poll" => poll_poll,
]);

fn fds(o: &Obj) -> &mut Vec<libc::pollfd> {
    // SAFETY: a live poll object whose box is set at creation; used under the GIL.
    unsafe { &mut *((*(o.as_ptr() as *mut PollObject)).fds as *mut Vec<libc::pollfd>) }
}

unsafe extern "C" fn poll_dealloc(o: *mut PyObject) {
    // SAFETY: a dead poll object: free its list, then its memory.
    unsafe {
        let p = (*(o as *mut PollObject)).fds;
        if !p.is_null() {
            drop(Box::from_raw(p as *mut Vec<libc::pollfd>));
        }
        crate::alloc::free_object(o);
    }
}

fn event_mask(o: Option<&Obj>) -> PyResult<i16> {
    match o {
        None => Ok((libc::POLLIN | libc::POLLPRI | libc::POLLOUT) as i16),
        Some(v) => {
            let m = long::to_i64(&*abstract_::index(v)?).unwrap_or(-1);
            if !(0..=u16::MAX as i64).contains(&m) {
                return Err(raise!(OverflowError, "Python int too large for C unsigned short"));
            }
            Ok(m as u16 as i16)
        }
    }
}

fn poll_register(o: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    argparse::check_positional("register", a.len(), 1, 2)?;
    let fd = file_descriptor(a[0])?;
    let events = event_mask(a.get(1).copied())?;
    let v = fds(o);
    match v.iter_mut().find(|p| p.fd == fd) {
        Some(p) => p.events = events,
        None => v.push(libc::pollfd { fd, events, revents: 0 }),
    }
    Ok(none::none())
}

fn poll_modify(o: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    argparse::check_positional("modify", a.len(), 2, 2)?;
    let fd = file_descriptor(a[0])?;
    let events = event_mask(Some(a[1]))?;
    match fds(o).iter_mut().find(|p| p.fd == fd) {
        Some(p) => p.events = events,
        None => return Err(super::posix::os_error(libc::ENOENT, None, None)),
    }
    Ok(none::none())
}

fn poll_unregister(o: &Obj, fd: &Obj) -> PyResult<PyRef> {
    let fd = file_descriptor(fd)?;
    let v = fds(o);
    let Some(i) = v.iter().position(|p| p.fd == fd) else {
        return Err(crate::err::PyErr::from_type_and_arg(crate::objects::exceptions::KeyError(), &long::from_i64(fd as i64)));
    };
    v.remove(i);
    Ok(none::none())
}

fn poll_poll(o: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    argparse::check_positional("poll", a.len(), 0, 1)?;
    // Milliseconds; None or negative: wait forever.
    let end = match argparse::not_none(a.first().copied()) {
        None => None,
        Some(t) => {
            let ms = if float::check(t) { float::value(t).ceil() } else { long::to_f64(&*abstract_::index(t)?)? };
            if ms < 0.0 { None } else { Some(std::time::Instant::now() + std::time::Duration::from_secs_f64(ms.min(1e12) / 1000.0)) }
        }
    };
    let mut set = fds(o).clone();
    loop {
        let timeout = end.map_or(-1, |e| {
            let left = e.saturating_duration_since(std::time::Instant::now());
            left.as_millis().min(c_int::MAX as u128) as c_int + (left.subsec_nanos() % 1_000_000 != 0) as c_int
        });
        // SAFETY: a buffer of `set.len()` pollfds, detached from the GIL.
        let n = crate::gil::allow_threads(|| unsafe { libc::poll(set.as_mut_ptr(), set.len() as libc::nfds_t, timeout) });
        if n < 0 {
            if super::posix::errno() == libc::EINTR {
                super::signal::check_signals()?;
                continue;
            }
            return Err(super::posix::last_error(None));
        }
        let out = list::new();
        for p in set.iter().filter(|p| p.revents != 0) {
            list::append(&out, &tuple::new_from_owned(vec![long::from_i64(p.fd as i64), long::from_i64(p.revents as u16 as i64)]));
        }
        return Ok(out);
    }
}

fn m_poll(_m: &Obj) -> PyResult<PyRef> {
    type_::ready(&POLL_TYPE)?;
    crate::objects::slotdefs::add_wrappers(&POLL_TYPE)?;
    // SAFETY: a ready static type; zeroed memory of our layout.
    let p = unsafe { crate::slot::from_new(crate::alloc::generic_alloc(POLL_TYPE.raw(), 0))? };
    // SAFETY: filling the fresh object.
    unsafe { (*(p.as_ptr() as *mut PollObject)).fds = Box::into_raw(Box::new(Vec::<libc::pollfd>::new())) as *mut c_void };
    Ok(p)
}

method_table!(static SELECT_METHODS = [
    fast c"select" => m_select,
    noargs c"poll" => m_poll,
]);

/// Linux values (`<poll.h>`, `<limits.h>`).
const CONSTANTS: &[(&str, i64)] = &[
    ("POLLERR", 8), ("POLLHUP", 16), ("POLLIN", 1), ("POLLMSG", 1024), ("POLLNVAL", 32), ("POLLOUT", 4), ("POLLPRI", 2),
    ("POLLRDBAND", 128), ("POLLRDHUP", 8192), ("POLLRDNORM", 64), ("POLLWRBAND", 512), ("POLLWRNORM", 256), ("PIPE_BUF", 4096),
];

pub fn create() -> PyResult<PyRef> {
    // SAFETY: the table is static.
    let m = unsafe { super::new_module("select", SELECT_METHODS.0.get() as *mut PyMethodDef)? };
    super::add_ints(&m, CONSTANTS)?;
    dict::set_item_str(module::dict_of(&m), "error", crate::objects::exceptions::OSError())?;
    Ok(m)
}
