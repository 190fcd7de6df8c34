//! `_posixsubprocess`: `fork_exec`, the fork-and-exec primitive `Lib/subprocess.py` starts
//! POSIX children with (CPython's `Modules/_posixsubprocess.c`, 3.15 signature: 22
//! positional arguments, no `allow_vfork`).
//!
//! Everything the child needs (argv, envp, the executable list, cwd, groups) is converted to C
//! arrays in the parent before `fork()`, so the child only makes async-signal-safe system
//! calls and never allocates — unless the caller gave a `preexec_fn`, which runs Python in the
//! child after the fork hooks, as CPython does. A failure in the child before or during exec is
//! reported through `errpipe_write` as `OSError:<hex errno>:[noexec[:chdir]]` (or
//! `SubprocessError:0:<message>`), the format `subprocess.py` parses.

use core::ffi::{c_char, c_int};
use std::ffi::CString;

use pyrite_abi::*;

use crate::abstract_;
use crate::err::PyResult;
use crate::object::{Obj, PyRef};
use crate::objects::argparse;
use crate::objects::{bytes, list, long, tuple};
use crate::method_table;

/// A NULL-terminated array of C strings, owned.
struct CArray {
    _strings: Vec<CString>,
    ptrs: Vec<*const c_char>,
}

impl CArray {
    fn new(strings: Vec<CString>) -> CArray {
        let mut ptrs: Vec<*const c_char> = strings.iter().map(|s| s.as_ptr()).collect();
        ptrs.push(core::ptr::null());
        CArray { _strings: strings, ptrs }
    }
    fn as_ptr(&self) -> *const *const c_char {
        self.ptrs.as_ptr()
    }
}

/// `_PySequence_BytesToCharpArray`: a sequence of bytes objects as C strings.
fn bytes_sequence(o: &Obj) -> PyResult<CArray> {
    let n = abstract_::len(o)?;
    // CPython allocates the C array (n + 1 pointers) up front: a length it cannot hold is a
    // MemoryError before any item is read.
    let mut out = Vec::new();
    if n >= isize::MAX as usize / core::mem::size_of::<*const c_char>() || out.try_reserve(n).is_err() {
        return Err(raise!(MemoryError, ""));
    }
    for i in 0..n {
        let item = abstract_::sequence_getitem(o, i as isize)?;
        if !bytes::check(&item) {
            return Err(raise!(TypeError, "expected bytes, {} found", item.ob_type().name()));
        }
        out.push(CString::new(bytes::as_bytes(&item)).map_err(|_| raise!(ValueError, "embedded null byte"))?);
    }
    Ok(CArray::new(out))
}

/// `PyUnicode_FSConverter`: str (UTF-8, surrogateescape), bytes or os.PathLike as a C string.
fn fs_converter(o: &Obj) -> PyResult<CString> {
    let p = super::posix::fspath(o)?;
    CString::new(super::posix::fs_encode(&p)?).map_err(|_| raise!(ValueError, "embedded null byte"))
}

/// `_Py_Uid_Converter`/`_Py_Gid_Converter`: an int that fits the id type (-1 is not an id).
fn id_arg(o: &Obj, what: &str) -> PyResult<u32> {
    if !long::check(o) && !argparse::index_check(o) {
        return Err(raise!(TypeError, "{} should be integer, not {}", what, o.ob_type().name()));
    }
    let v = abstract_::index(o)?;
    match long::to_i64(&v) {
        Some(x) if (0..u32::MAX as i64).contains(&x) => Ok(x as u32),
        Some(x) if x < 0 => Err(raise!(OverflowError, "{} is less than minimum", what)),
        _ => Err(raise!(OverflowError, "{} is greater than maximum", what)),
    }
}

/// What the child does, all converted before the fork.
struct ChildPlan {
    exec_array: CArray,
    argv: Option<CArray>,
    envp: Option<CArray>,
    cwd: Option<CString>,
    fds_to_keep: Vec<c_int>,
    p2cread: c_int,
    p2cwrite: c_int,
    c2pread: c_int,
    c2pwrite: c_int,
    errread: c_int,
    errwrite: c_int,
    errpipe_read: c_int,
    errpipe_write: c_int,
    close_fds: bool,
    restore_signals: bool,
    call_setsid: bool,
    pgid_to_set: libc::pid_t,
    gid: Option<libc::gid_t>,
    extra_groups: Option<Vec<libc::gid_t>>,
    uid: Option<libc::uid_t>,
    child_umask: c_int,
}

/// Sets or clears `FD_CLOEXEC` with plain `fcntl` calls (async-signal-safe).
fn set_inheritable(fd: c_int, inheritable: bool) -> bool {
    // SAFETY: fcntl on a descriptor number; failure is reported by -1.
    unsafe {
        let flags = libc::fcntl(fd, libc::F_GETFD);
        if flags < 0 {
            return false;
        }
        let new = if inheritable { flags & !libc::FD_CLOEXEC } else { flags | libc::FD_CLOEXEC };
        new == flags || libc::fcntl(fd, libc::F_SETFD, new) == 0
    }
}

/// Closes every descriptor from `start` up, except those in the sorted `keep`.
fn close_open_fds(start: c_int, keep: &[c_int]) {
    let mut first = start;
    let mut ranges_ok = true;
    for &k in keep.iter().filter(|&&k| k >= start) {
        if first <= k - 1 {
            ranges_ok &= close_range(first, k - 1);
        }
        first = k + 1;
    }
    ranges_ok &= close_range(first, c_int::MAX);
    if ranges_ok {
        return;
    }
    // close_range(2) is missing (Linux < 5.9): close one by one up to the descriptor limit.
    // SAFETY: sysconf is async-signal-safe in practice (a lookup, no allocation).
    let max = unsafe { libc::sysconf(libc::_SC_OPEN_MAX) };
    let max = if max < 0 { 256 } else { max.min(c_int::MAX as libc::c_long) as c_int };
    for fd in start..max {
        if keep.binary_search(&fd).is_err() {
            // SAFETY: closing a descriptor number; errors (not open) are ignored.
            unsafe { libc::close(fd) };
        }
    }
}

fn close_range(first: c_int, last: c_int) -> bool {
    // SAFETY: the raw close_range system call; it touches only the descriptor table.
    unsafe { libc::syscall(libc::SYS_close_range, first as libc::c_uint, last as libc::c_uint, 0 as libc::c_uint) == 0 }
}

/// Writes all of `data` to `fd`, retrying after EINTR; errors are ignored (nothing can be done).
fn write_all(fd: c_int, data: &[u8]) {
    let mut off = 0;
    while off < data.len() {
        // SAFETY: a valid buffer slice.
        let n = unsafe { libc::write(fd, data[off..].as_ptr().cast(), data.len() - off) };
        if n < 0 {
            if std::io::Error::last_os_error().raw_os_error() == Some(libc::EINTR) {
                continue;
            }
            return;
        }
        off += n as usize;
    }
}

fn errno() -> c_int {
    // SAFETY: the calling thread's errno location.
    unsafe { *libc::__errno_location() }
}

/// The child's side, between `fork()` and `exec()`: only system calls on prepared data.
/// Returns only on failure, after reporting it on `errpipe_write`.
fn child_exec(p: &ChildPlan, preexec_fn: Option<&Obj>) {
    let mut reached_preexec = false;
    let mut err_msg: &[u8] = b"";
    let saved_errno = 'run: {
        macro_rules! posix_call {
            ($e:expr) => {
                if $e == -1 {
                    break 'run errno();
                }
            };
        }
        for &fd in &p.fds_to_keep {
            if fd != p.errpipe_write && !set_inheritable(fd, true) {
                break 'run errno();
            }
        }
        // SAFETY (this block and below): system calls on descriptor numbers and on C strings
        // prepared by the parent before the fork.
        unsafe {
            if p.p2cwrite != -1 {
                posix_call!(libc::close(p.p2cwrite));
            }
            if p.c2pread != -1 {
                posix_call!(libc::close(p.c2pread));
            }
            if p.errread != -1 {
                posix_call!(libc::close(p.errread));
            }
            posix_call!(libc::close(p.errpipe_read));

            // A pipe end that sits on 0-2 would be overwritten by the dup2 calls below.
            let mut c2pwrite = p.c2pwrite;
            let mut errwrite = p.errwrite;
            if c2pwrite == 0 {
                c2pwrite = libc::dup(c2pwrite);
                posix_call!(c2pwrite);
                if !set_inheritable(c2pwrite, false) {
                    break 'run errno();
                }
            }
            while errwrite == 0 || errwrite == 1 {
                errwrite = libc::dup(errwrite);
                posix_call!(errwrite);
                if !set_inheritable(errwrite, false) {
                    break 'run errno();
                }
            }
            // dup2 clears CLOEXEC on the copy, but does nothing when the numbers are equal.
            for (fd, target) in [(p.p2cread, 0), (c2pwrite, 1), (errwrite, 2)] {
                if fd == target {
                    if !set_inheritable(fd, true) {
                        break 'run errno();
                    }
                } else if fd != -1 {
                    posix_call!(libc::dup2(fd, target));
                }
            }
            if let Some(cwd) = &p.cwd {
                if libc::chdir(cwd.as_ptr()) == -1 {
                    // subprocess.py names `cwd` in the error for this one.
                    err_msg = b"noexec:chdir";
                    break 'run errno();
                }
            }
            if p.child_umask >= 0 {
                libc::umask(p.child_umask as libc::mode_t);
            }
            if p.restore_signals {
                // `_Py_RestoreSignals`: what the interpreter ignores at startup.
                libc::signal(libc::SIGPIPE, libc::SIG_DFL);
                libc::signal(libc::SIGXFSZ, libc::SIG_DFL);
            }
            if p.call_setsid {
                posix_call!(libc::setsid());
            }
            if p.pgid_to_set >= 0 {
                posix_call!(libc::setpgid(0, p.pgid_to_set));
            }
            if let Some(groups) = &p.extra_groups {
                if !groups.is_empty() {
                    posix_call!(libc::setgroups(groups.len(), groups.as_ptr()));
                }
            }
            if let Some(gid) = p.gid {
                posix_call!(libc::setregid(gid, gid));
            }
            if let Some(uid) = p.uid {
                posix_call!(libc::setreuid(uid, uid));
            }
        }
        reached_preexec = true;
        if let Some(f) = preexec_fn {
            if abstract_::call_no_args(f).is_err() {
                err_msg = b"Exception occurred in preexec_fn.";
                break 'run 0;
            }
        }
        // After preexec_fn, which may have opened descriptors.
        if p.close_fds {
            close_open_fds(3, &p.fds_to_keep);
        }
        let argv = p.argv.as_ref().map_or(core::ptr::null(), |a| a.as_ptr());
        let mut first_error = 0;
        for &exe in &p.exec_array.ptrs[..p.exec_array.ptrs.len() - 1] {
            // SAFETY: NULL-terminated arrays of C strings that live until exec or exit.
            unsafe {
                match &p.envp {
                    Some(env) => libc::execve(exe, argv, env.as_ptr()),
                    None => libc::execv(exe, argv),
                };
            }
            let e = errno();
            if e != libc::ENOENT && e != libc::ENOTDIR && first_error == 0 {
                first_error = e;
            }
        }
        // The first error that is not "not found" wins, as in `os._execvpe`.
        if first_error != 0 { first_error } else { errno() }
    };
    if saved_errno != 0 {
        // "OSError:<hex errno>:" and "noexec" when it failed before exec; the parent looks the
        // message up (strerror is not async-signal-safe).
        let mut hex = [0u8; 8];
        let mut at = hex.len();
        let mut e = saved_errno as u32;
        while e != 0 && at > 0 {
            at -= 1;
            hex[at] = b"0123456789abcdef"[(e % 16) as usize];
            e /= 16;
        }
        write_all(p.errpipe_write, b"OSError:");
        write_all(p.errpipe_write, &hex[at..]);
        write_all(p.errpipe_write, b":");
        if !reached_preexec {
            write_all(p.errpipe_write, if err_msg.is_empty() { b"noexec" } else { err_msg });
        }
    } else {
        write_all(p.errpipe_write, b"SubprocessError:0:");
        write_all(p.errpipe_write, err_msg);
    }
}

fn m_fork_exec(_m: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    argparse::check_positional("fork_exec", a.len(), 22, 22)?;
    let int = |i: usize| argparse::c_int(a[i]);
    let process_args = a[0];
    let executable_list = a[1];
    let close_fds = abstract_::is_true(a[2])?;
    let fds_obj = a[3];
    if !tuple::check(fds_obj) {
        return Err(raise!(TypeError, "fork_exec() argument 4 must be tuple, not {}", fds_obj.ob_type().name()));
    }
    let (cwd_obj, env_obj) = (a[4], a[5]);
    let (p2cread, p2cwrite, c2pread, c2pwrite) = (int(6)?, int(7)?, int(8)?, int(9)?);
    let (errread, errwrite, errpipe_read, errpipe_write) = (int(10)?, int(11)?, int(12)?, int(13)?);
    let restore_signals = abstract_::is_true(a[14])?;
    let call_setsid = abstract_::is_true(a[15])?;
    let pgid_to_set = int(16)?;
    let (gid_obj, groups_obj, uid_obj) = (a[17], a[18], a[19]);
    let child_umask = int(20)?;
    let preexec_fn = argparse::not_none(Some(a[21]));

    if close_fds && errpipe_write < 3 {
        return Err(raise!(ValueError, "errpipe_write must be >= 3"));
    }
    // pass_fds: ints, non-negative, strictly increasing, each fitting a C int.
    let mut fds_to_keep = Vec::new();
    for fd in tuple::items(fds_obj) {
        let v = if long::check(fd) { long::to_i64(fd) } else { None };
        match v {
            Some(v) if v >= 0 && v <= c_int::MAX as i64 && fds_to_keep.last().is_none_or(|&prev| (prev as i64) < v) => {
                fds_to_keep.push(v as c_int)
            }
            _ => return Err(raise!(ValueError, "bad value(s) in fds_to_keep")),
        }
    }
    let exec_array = bytes_sequence(executable_list)?;
    let argv = match argparse::not_none(Some(process_args)) {
        None => None,
        Some(args) => {
            let items = crate::objects::iterobject::fast_items(args, "argv must be a tuple")?;
            let mut out = Vec::with_capacity(items.len());
            for it in &items {
                out.push(fs_converter(it)?);
            }
            Some(CArray::new(out))
        }
    };
    let envp = match argparse::not_none(Some(env_obj)) {
        None => None,
        Some(env) => Some(bytes_sequence(env)?),
    };
    let cwd = argparse::not_none(Some(cwd_obj)).map(fs_converter).transpose()?;
    let extra_groups = match argparse::not_none(Some(groups_obj)) {
        None => None,
        Some(g) => {
            if !list::check(g) {
                return Err(raise!(TypeError, "setgroups argument must be a list"));
            }
            let items = crate::objects::iterobject::collect(g)?;
            // SAFETY: sysconf has no preconditions.
            let max = unsafe { libc::sysconf(libc::_SC_NGROUPS_MAX) }.max(65536) as usize;
            if items.len() > max {
                return Err(raise!(ValueError, "too many extra_groups"));
            }
            let mut out = Vec::with_capacity(items.len());
            for it in &items {
                if !long::check(it) {
                    return Err(raise!(TypeError, "extra_groups must be integers"));
                }
                out.push(id_arg(it, "gid").map_err(|_| raise!(ValueError, "invalid group id"))?);
            }
            Some(out)
        }
    };
    let gid = argparse::not_none(Some(gid_obj)).map(|g| id_arg(g, "gid")).transpose()?;
    let uid = argparse::not_none(Some(uid_obj)).map(|u| id_arg(u, "uid")).transpose()?;

    let plan = ChildPlan {
        exec_array,
        argv,
        envp,
        cwd,
        fds_to_keep,
        p2cread,
        p2cwrite,
        c2pread,
        c2pwrite,
        errread,
        errwrite,
        errpipe_read,
        errpipe_write,
        close_fds,
        restore_signals,
        call_setsid,
        pgid_to_set,
        gid,
        extra_groups,
        uid,
        child_umask,
    };

    // With a preexec_fn the child runs Python: fork as os.fork() does (hooks, GIL bookkeeping).
    if preexec_fn.is_some() {
        super::posix::before_fork();
    }
    // SAFETY: fork; the child below makes only system calls on `plan` (and runs preexec_fn,
    // which the caller asked for) and always ends in exec or _exit.
    let pid = unsafe { libc::fork() };
    if pid == 0 {
        if preexec_fn.is_some() {
            super::posix::after_fork_child();
        }
        child_exec(&plan, preexec_fn);
        // SAFETY: leaving the child without running any cleanup.
        unsafe { libc::_exit(255) };
    }
    let fork_errno = errno();
    if preexec_fn.is_some() {
        super::posix::after_fork_parent();
    }
    if pid < 0 {
        return Err(super::posix::os_error(fork_errno, None, None));
    }
    drop(plan);
    Ok(long::from_i64(pid as i64))
}

method_table!(static METHODS = [
    fast c"fork_exec" => m_fork_exec,
]);

pub fn create() -> PyResult<PyRef> {
    // SAFETY: the table is static.
    unsafe { super::new_module("_posixsubprocess", METHODS.0.get() as *mut PyMethodDef) }
}
