//! `fcntl`: `fcntl`, `ioctl`, `flock` and `lockf` on file descriptors (an int or an object
//! with `fileno()`), with the Linux constants.

use core::ffi::c_int;

use pyrite_abi::*;

use crate::err::PyResult;
use crate::object::{Obj, PyRef};
use crate::objects::{argparse, bytes, long, none, unicode};
use crate::method_table;

/// `PyObject_AsFileDescriptor`: an int, or the result of `fileno()`.
fn file_descriptor(o: &Obj) -> PyResult<c_int> {
    let v = if long::check(o) { o.new_ref() } else {
        match crate::abstract_::lookup_attr(o, "fileno")? {
            Some(f) => crate::abstract_::call_no_args(&f)?,
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

/// The C argument of `fcntl`/`ioctl`: an int is passed as is; bytes or str are copied into a
/// buffer whose contents after the call are returned.
fn call_with_arg(a: Option<&Obj>, f: impl Fn(*mut libc::c_void) -> c_int, what: &str) -> PyResult<PyRef> {
    match a {
        Some(v) if unicode::check(v) || !argparse::index_check(v) => {
            let mut data = if unicode::check(v) { unicode::as_str(v)?.as_bytes().to_vec() } else { bytes::bytes_like(v)? };
            if data.len() > 1024 {
                return Err(raise!(ValueError, "{} string arg too long", what));
            }
            let n = data.len();
            data.resize(1024, 0);
            let r = f(data.as_mut_ptr() as *mut libc::c_void);
            if r < 0 {
                return Err(super::posix::last_error(None));
            }
            Ok(bytes::new(&data[..n]))
        }
        _ => {
            let v = match a {
                Some(v) => {
                    let i = crate::abstract_::index(v)?;
                    long::to_i64(&i).ok_or_else(|| raise!(OverflowError, "Python int too large to convert to C int"))?
                }
                None => 0,
            };
            let r = f(v as usize as *mut libc::c_void);
            if r < 0 {
                return Err(super::posix::last_error(None));
            }
            Ok(long::from_i64(r as i64))
        }
    }
}

fn m_fcntl(_m: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    argparse::check_positional("fcntl", a.len(), 2, 3)?;
    let fd = file_descriptor(a[0])?;
    let cmd = argparse::c_int(a[1])?;
    // SAFETY: the argument is an int or a 1024-byte buffer, as fcntl commands expect.
    call_with_arg(a.get(2).copied(), |p| unsafe { libc::fcntl(fd, cmd, p) }, "fcntl")
}

fn m_ioctl(_m: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    argparse::check_positional("ioctl", a.len(), 2, 4)?;
    let fd = file_descriptor(a[0])?;
    let req = long::to_i64(&*crate::abstract_::index(a[1])?).ok_or_else(|| raise!(OverflowError, "Python int too large to convert to C unsigned long"))?;
    // SAFETY: the argument is an int or a 1024-byte buffer (immutable arguments are copied).
    call_with_arg(a.get(2).copied(), |p| unsafe { libc::ioctl(fd, req as libc::c_ulong, p) }, "ioctl")
}

fn m_flock(_m: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    argparse::check_positional("flock", a.len(), 2, 2)?;
    let fd = file_descriptor(a[0])?;
    let op = argparse::c_int(a[1])?;
    loop {
        // SAFETY: a plain system call, detached from the GIL (it may block).
        let r = crate::gil::allow_threads(|| unsafe { libc::flock(fd, op) });
        if r == 0 {
            return Ok(none::none());
        }
        if super::posix::errno() != libc::EINTR {
            return Err(super::posix::last_error(None));
        }
        super::signal::check_signals()?;
    }
}

fn m_lockf(_m: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    argparse::check_positional("lockf", a.len(), 2, 5)?;
    let fd = file_descriptor(a[0])?;
    let code = argparse::c_int(a[1])?;
    let num = |i: usize| -> PyResult<i64> {
        match a.get(i) {
            Some(v) => long::to_i64(&*crate::abstract_::index(v)?).ok_or_else(|| raise!(OverflowError, "Python int too large to convert to C long")),
            None => Ok(0),
        }
    };
    let (len, start, whence) = (num(2)?, num(3)?, num(4)?);
    // SAFETY: an all-zero flock is valid; filled below.
    let mut l: libc::flock = unsafe { core::mem::zeroed() };
    l.l_type = match code & !(libc::LOCK_NB) {
        libc::LOCK_UN => libc::F_UNLCK,
        libc::LOCK_SH => libc::F_RDLCK,
        libc::LOCK_EX => libc::F_WRLCK,
        _ => return Err(raise!(ValueError, "unrecognized lockf argument")),
    } as libc::c_short;
    l.l_start = start as libc::off_t;
    l.l_len = len as libc::off_t;
    l.l_whence = whence as libc::c_short;
    let cmd = if code & libc::LOCK_NB != 0 { libc::F_SETLK } else { libc::F_SETLKW };
    // SAFETY: a valid flock for F_SETLK(W).
    let r = crate::gil::allow_threads(|| unsafe { libc::fcntl(fd, cmd, &l) });
    if r < 0 {
        return Err(super::posix::last_error(None));
    }
    Ok(none::none())
}

method_table!(static FCNTL_METHODS = [
    fast c"fcntl" => m_fcntl,
    fast c"ioctl" => m_ioctl,
    fast c"flock" => m_flock,
    fast c"lockf" => m_lockf,
]);

/// Linux values (`<fcntl.h>`, `<sys/file.h>`).
const CONSTANTS: &[(&str, i64)] = &[
    ("DN_ACCESS", 1), ("DN_ATTRIB", 32), ("DN_CREATE", 4), ("DN_DELETE", 8), ("DN_MODIFY", 2), ("DN_MULTISHOT", 2147483648),
    ("DN_RENAME", 16), ("FASYNC", 8192), ("FD_CLOEXEC", 1), ("F_ADD_SEALS", 1033), ("F_DUPFD", 0), ("F_DUPFD_CLOEXEC", 1030),
    ("F_EXLCK", 4), ("F_GETFD", 1), ("F_GETFL", 3), ("F_GETLEASE", 1025), ("F_GETLK", 5), ("F_GETLK64", 5), ("F_GETOWN", 9),
    ("F_GETPIPE_SZ", 1032), ("F_GETSIG", 11), ("F_GET_SEALS", 1034), ("F_NOTIFY", 1026), ("F_OFD_GETLK", 36),
    ("F_OFD_SETLK", 37), ("F_OFD_SETLKW", 38), ("F_RDLCK", 0), ("F_SEAL_GROW", 4), ("F_SEAL_SEAL", 1), ("F_SEAL_SHRINK", 2),
    ("F_SEAL_WRITE", 8), ("F_SETFD", 2), ("F_SETFL", 4), ("F_SETLEASE", 1024), ("F_SETLK", 6), ("F_SETLK64", 6),
    ("F_SETLKW", 7), ("F_SETLKW64", 7), ("F_SETOWN", 8), ("F_SETPIPE_SZ", 1031), ("F_SETSIG", 10), ("F_SHLCK", 8),
    ("F_UNLCK", 2), ("F_WRLCK", 1), ("LOCK_EX", 2), ("LOCK_MAND", 32), ("LOCK_NB", 4), ("LOCK_READ", 64), ("LOCK_RW", 192),
    ("LOCK_SH", 1), ("LOCK_UN", 8), ("LOCK_WRITE", 128),
];

pub fn create() -> PyResult<PyRef> {
    // SAFETY: the table is static.
    let m = unsafe { super::new_module("fcntl", FCNTL_METHODS.0.get() as *mut PyMethodDef)? };
    super::add_ints(&m, CONSTANTS)?;
    Ok(m)
}
