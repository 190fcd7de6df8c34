//! `posix`: the operating-system interface `Lib/os.py` is built on (`from posix import *`),
//! as CPython's `Modules/posixmodule.c` makes it on Linux: files and directories (with
//! `dir_fd`/`follow_symlinks` through the `*at` system calls), file descriptors, processes,
//! the environment (`posix.environ`, bytes to bytes), and the struct sequences
//! `os.stat_result`, `posix.uname_result`, `posix.times_result`, `os.terminal_size`.
//!
//! Paths are str (encoded UTF-8 with `surrogateescape`), bytes, or `os.PathLike`; results that
//! are names have the argument's type. Failures raise `OSError` built from the errno (so the
//! errno picks the subclass: `FileNotFoundError: [Errno 2] No such file or directory: 'x'`).
//! Blocking calls (read, write, waitpid, ...) run detached from the GIL and are retried after
//! `EINTR` once pending signal handlers have run, as PEP 475 says.

use core::ffi::{c_int, c_void};
use std::ffi::{CStr, CString, OsStr};
use std::os::unix::ffi::OsStrExt;
use std::sync::OnceLock;

use pyrite_abi::*;

use crate::abstract_;
use crate::err::{PyErr, PyResult};
use crate::object::{Obj, PyRef, SyncPtr};
use crate::objects::argparse::{self, Kw, Sig};
use crate::objects::exceptions as exc;
use crate::objects::type_::{self, TypeObj, BUILTIN_FLAGS};
use crate::objects::{bool_, bytes, dict, float, list, long, module, none, tuple, unicode};
use crate::slot::{arg, ret_obj};
use crate::{method_table, private_static_type};

// ---- errors ---------------------------------------------------------------------------------

/// The calling thread's `errno`.
pub(crate) fn errno() -> c_int {
    std::io::Error::last_os_error().raw_os_error().unwrap_or(0)
}

/// `strerror(code)` as text.
pub(crate) fn strerror_text(code: c_int) -> String {
    // SAFETY: strerror returns a NUL-terminated message (static or thread-local storage);
    // it is copied at once, under the GIL.
    unsafe { CStr::from_ptr(libc::strerror(code)) }.to_string_lossy().into_owned()
}

/// `OSError(code, strerror(code)[, filename[, None, filename2]])`, which is the subclass the
/// errno names.
pub(crate) fn os_error(code: c_int, filename: Option<&Obj>, filename2: Option<&Obj>) -> PyErr {
    let mut items = vec![long::from_i64(code as i64), unicode::new(&strerror_text(code))];
    if let Some(f) = filename {
        items.push(f.new_ref());
        if let Some(f2) = filename2 {
            items.push(none::none());
            items.push(f2.new_ref());
        }
    }
    match abstract_::call(exc::OSError(), &tuple::new_from_owned(items), None) {
        Ok(e) => PyErr::from_value(e),
        Err(e) => e,
    }
}

/// The `OSError` for the current `errno`.
pub(crate) fn last_error(filename: Option<&Obj>) -> PyErr {
    os_error(errno(), filename, None)
}

fn from_io(e: std::io::Error, filename: Option<&Obj>) -> PyErr {
    match e.raw_os_error() {
        Some(code) => os_error(code, filename, None),
        None => raise!(OSError, "{}", e),
    }
}

/// Runs a system call detached from the GIL until it stops failing with `EINTR` (running the
/// signal handlers in between, whose exception wins). `-1` means failure.
fn retry<T: PartialEq + From<i8> + Copy>(mut f: impl FnMut() -> T, filename: Option<&Obj>) -> PyResult<T> {
    loop {
        let r = crate::gil::allow_threads(&mut f);
        if r != T::from(-1) {
            return Ok(r);
        }
        let code = errno();
        if code != libc::EINTR {
            return Err(os_error(code, filename, None));
        }
        crate::stdlib::signal::check_signals()?;
    }
}

fn check(r: c_int, filename: Option<&Obj>) -> PyResult<()> {
    if r == -1 { Err(last_error(filename)) } else { Ok(()) }
}

// ---- paths ----------------------------------------------------------------------------------

/// A path argument (CPython's `path_t`): the object given, its bytes, whether it was bytes
/// (so names come back as bytes), or the file descriptor it was.
pub(crate) struct PathArg {
    pub obj: PyRef,
    pub c: CString,
    pub narrow: bool,
    pub fd: Option<c_int>,
}

impl PathArg {
    pub fn os(&self) -> &OsStr {
        OsStr::from_bytes(self.c.as_bytes())
    }
}

/// `os.fspath(o)`: str and bytes as they are, else `__fspath__()`'s str or bytes.
pub(crate) fn fspath(o: &Obj) -> PyResult<PyRef> {
    if unicode::check(o) || bytes::check(o) {
        return Ok(o.new_ref());
    }
    let Some(f) = argparse::lookup_special(o, "__fspath__")? else {
        return Err(raise!(TypeError, "expected str, bytes or os.PathLike object, not {}", o.ob_type().name()));
    };
    let p = abstract_::call_no_args(&f)?;
    if !(unicode::check(&p) || bytes::check(&p)) {
        return Err(raise!(TypeError, "expected {}.__fspath__() to return str or bytes, not {}", o.ob_type().name(), p.ob_type().name()));
    }
    Ok(p)
}

/// The file-system bytes of a str (UTF-8, `surrogateescape`) or bytes.
pub(crate) fn fs_encode(s: &Obj) -> PyResult<Vec<u8>> {
    if bytes::check(s) {
        return Ok(bytes::as_bytes(s).to_vec());
    }
    Ok(bytes::as_bytes(&*unicode::encode(s, "utf-8", "surrogateescape")?).to_vec())
}

/// A name from the file system as str (`surrogateescape`) or, for `narrow` callers, bytes.
pub(crate) fn fs_decode(b: &[u8], narrow: bool) -> PyResult<PyRef> {
    if narrow { Ok(bytes::new(b)) } else { unicode::decode(b, "utf-8", "surrogateescape") }
}

/// Converts a path argument of `func` (named `argname`), an int too when `allow_fd`.
pub(crate) fn path_arg(func: &str, argname: &str, o: &Obj, allow_fd: bool) -> PyResult<PathArg> {
    if allow_fd && !unicode::check(o) && !bytes::check(o) && argparse::index_check(o) {
        let fd = argparse::c_int(o)?;
        return Ok(PathArg { obj: o.new_ref(), c: CString::default(), narrow: false, fd: Some(fd) });
    }
    let p = if unicode::check(o) || bytes::check(o) || argparse::lookup_special(o, "__fspath__")?.is_some() {
        fspath(o)?
    } else {
        let what = if allow_fd { "string, bytes, os.PathLike or integer" } else { "string, bytes or os.PathLike" };
        return Err(raise!(TypeError, "{}: {} should be {}, not {}", func, argname, what, o.ob_type().name()));
    };
    let narrow = bytes::check(&p);
    let raw = fs_encode(&p)?;
    let c = CString::new(raw).map_err(|_| raise!(ValueError, "{}: embedded null character in {}", func, argname))?;
    // Errors name the path as `__fspath__` gave it, as CPython's do.
    Ok(PathArg { obj: p, c, narrow, fd: None })
}

/// A `dir_fd` keyword: `None` is the current directory.
fn dir_fd(o: Option<&Obj>) -> PyResult<c_int> {
    match argparse::not_none(o) {
        None => Ok(libc::AT_FDCWD),
        Some(v) => fd_arg(v),
    }
}

/// A file descriptor argument: an int, or an object with `fileno()` where CPython accepts one.
fn fd_arg(o: &Obj) -> PyResult<c_int> {
    argparse::c_int(o)
}

fn flag(o: Option<&Obj>, default: bool) -> PyResult<bool> {
    match o {
        None => Ok(default),
        Some(v) => abstract_::is_true(v),
    }
}

fn int_result(v: i64) -> PyResult<PyRef> {
    Ok(long::from_i64(v))
}

fn none_ok(r: PyResult<()>) -> PyResult<PyRef> {
    r.map(|_| none::none())
}

fn sig(name: &'static str, params: &'static [&'static str], posonly: usize, maxpos: usize, required: usize) -> Sig {
    Sig { name, params, posonly, maxpos, required }
}

// ---- stat -----------------------------------------------------------------------------------

static STAT_RESULT: OnceLock<SyncPtr<PyObject>> = OnceLock::new();

fn stat_result_type() -> PyResult<&'static TypeObj> {
    super::struct_seq_type(
        &STAT_RESULT,
        c"os.stat_result",
        c"stat_result: Result from stat, fstat, or lstat.",
        &[
            Some(c"st_mode"),
            Some(c"st_ino"),
            Some(c"st_dev"),
            Some(c"st_nlink"),
            Some(c"st_uid"),
            Some(c"st_gid"),
            Some(c"st_size"),
            None,
            None,
            None,
            Some(c"st_atime"),
            Some(c"st_mtime"),
            Some(c"st_ctime"),
            Some(c"st_atime_ns"),
            Some(c"st_mtime_ns"),
            Some(c"st_ctime_ns"),
            Some(c"st_blksize"),
            Some(c"st_blocks"),
            Some(c"st_rdev"),
        ],
        10,
    )
}

fn stat_to_object(st: &libc::stat) -> PyResult<PyRef> {
    let times = [(st.st_atime, st.st_atime_nsec), (st.st_mtime, st.st_mtime_nsec), (st.st_ctime, st.st_ctime_nsec)];
    let mut v = vec![
        long::from_i64(st.st_mode as i64),
        long::from_u64(st.st_ino as u64),
        long::from_u64(st.st_dev as u64),
        long::from_u64(st.st_nlink as u64),
        long::from_i64(st.st_uid as i64),
        long::from_i64(st.st_gid as i64),
        long::from_i64(st.st_size as i64),
    ];
    for (s, _) in times {
        v.push(long::from_i64(s as i64));
    }
    for (s, ns) in times {
        v.push(float::new(s as f64 + ns as f64 * 1e-9));
    }
    for (s, ns) in times {
        v.push(long::from_i128(s as i128 * 1_000_000_000 + ns as i128));
    }
    v.push(long::from_i64(st.st_blksize as i64));
    v.push(long::from_i64(st.st_blocks as i64));
    v.push(long::from_u64(st.st_rdev as u64));
    super::struct_seq_new(stat_result_type()?, v)
}

/// `stat`/`lstat` of a path (relative to `dir_fd`) or `fstat` of a descriptor.
fn do_stat(p: &PathArg, dir_fd: c_int, follow: bool) -> PyResult<PyRef> {
    // SAFETY: an all-zero `stat` is a valid value to be overwritten.
    let mut st: libc::stat = unsafe { core::mem::zeroed() };
    let r = match p.fd {
        // SAFETY: `st` is a valid out-pointer.
        Some(fd) => crate::gil::allow_threads(|| unsafe { libc::fstat(fd, &mut st) }),
        None => {
            let flags = if follow { 0 } else { libc::AT_SYMLINK_NOFOLLOW };
            // SAFETY: a NUL-terminated path and a valid out-pointer.
            crate::gil::allow_threads(|| unsafe { libc::fstatat(dir_fd, p.c.as_ptr(), &mut st, flags) })
        }
    };
    check(r, Some(&p.obj))?;
    stat_to_object(&st)
}

fn m_stat(_m: &Obj, a: &[&Obj], kw: Kw) -> PyResult<PyRef> {
    let [path, dfd, follow] = argparse::parse::<3>(&sig("stat", &["path", "dir_fd", "follow_symlinks"], 0, 1, 1), a, kw)?;
    let p = path_arg("stat", "path", path.unwrap(), true)?;
    do_stat(&p, dir_fd(dfd)?, flag(follow, true)?)
}

fn m_lstat(_m: &Obj, a: &[&Obj], kw: Kw) -> PyResult<PyRef> {
    let [path, dfd] = argparse::parse::<2>(&sig("lstat", &["path", "dir_fd"], 0, 1, 1), a, kw)?;
    let p = path_arg("lstat", "path", path.unwrap(), false)?;
    do_stat(&p, dir_fd(dfd)?, false)
}

fn m_fstat(_m: &Obj, a: &[&Obj], kw: Kw) -> PyResult<PyRef> {
    let [fd] = argparse::parse::<1>(&sig("fstat", &["fd"], 0, 1, 1), a, kw)?;
    let fd = fd_arg(fd.unwrap())?;
    do_stat(&PathArg { obj: long::from_i64(fd as i64), c: CString::default(), narrow: false, fd: Some(fd) }, libc::AT_FDCWD, true)
}

// ---- directories ----------------------------------------------------------------------------

fn cwd_bytes() -> PyResult<Vec<u8>> {
    std::env::current_dir().map(|p| p.into_os_string().into_encoded_bytes()).map_err(|e| from_io(e, None))
}

fn m_getcwd(_m: &Obj) -> PyResult<PyRef> {
    fs_decode(&cwd_bytes()?, false)
}

fn m_getcwdb(_m: &Obj) -> PyResult<PyRef> {
    fs_decode(&cwd_bytes()?, true)
}

fn m_chdir(_m: &Obj, a: &[&Obj], kw: Kw) -> PyResult<PyRef> {
    let [path] = argparse::parse::<1>(&sig("chdir", &["path"], 0, 1, 1), a, kw)?;
    let p = path_arg("chdir", "path", path.unwrap(), true)?;
    // SAFETY: a NUL-terminated path / a descriptor.
    let r = match p.fd {
        Some(fd) => unsafe { libc::fchdir(fd) },
        None => unsafe { libc::chdir(p.c.as_ptr()) },
    };
    none_ok(check(r, Some(&p.obj)))
}

/// The path argument of `listdir`/`scandir`: `None` or missing is `'.'` (as str).
fn dir_path(func: &str, o: Option<&Obj>) -> PyResult<(PathArg, bool)> {
    match argparse::not_none(o) {
        Some(v) => Ok((path_arg(func, "path", v, true)?, true)),
        None => Ok((PathArg { obj: unicode::new("."), c: CString::new(".").unwrap(), narrow: false, fd: None }, false)),
    }
}

/// An open directory stream over a copy of `fd` (`fdopendir`), rewound.
fn open_dir_fd(fd: c_int) -> PyResult<*mut libc::DIR> {
    // SAFETY: duplicating a descriptor the caller names; the copy belongs to the stream.
    let copy = unsafe { libc::fcntl(fd, libc::F_DUPFD_CLOEXEC, 0) };
    check(copy, None)?;
    // SAFETY: a descriptor we own.
    let dirp = unsafe { libc::fdopendir(copy) };
    if dirp.is_null() {
        let e = errno();
        // SAFETY: fdopendir failed, so the copy is still ours to close.
        unsafe { libc::close(copy) };
        return Err(os_error(e, None, None));
    }
    // SAFETY: a valid stream (the descriptor's position may be anywhere).
    unsafe { libc::rewinddir(dirp) };
    Ok(dirp)
}

/// The next entry of a directory stream other than `.` and `..`: name, inode, `d_type`.
fn read_dir_entry(dirp: *mut libc::DIR) -> PyResult<Option<(Vec<u8>, u64, u8)>> {
    loop {
        // SAFETY: errno is reset so the end of the stream can be told from an error.
        unsafe { *libc::__errno_location() = 0 };
        // SAFETY: a valid stream, used under the GIL.
        let ent = unsafe { libc::readdir(dirp) };
        if ent.is_null() {
            return match errno() {
                0 => Ok(None),
                e => Err(os_error(e, None, None)),
            };
        }
        // SAFETY: readdir returned a valid entry with a NUL-terminated name.
        let (name, ino, ty) = unsafe { (CStr::from_ptr((*ent).d_name.as_ptr()).to_bytes().to_vec(), (*ent).d_ino as u64, (*ent).d_type) };
        if name != b"." && name != b".." {
            return Ok(Some((name, ino, ty)));
        }
    }
}

fn m_listdir(_m: &Obj, a: &[&Obj], kw: Kw) -> PyResult<PyRef> {
    let [path] = argparse::parse::<1>(&sig("listdir", &["path"], 0, 1, 0), a, kw)?;
    let (p, _) = dir_path("listdir", path)?;
    if let Some(fd) = p.fd {
        let dirp = open_dir_fd(fd)?;
        let out = list::new();
        let r = (|| -> PyResult<PyRef> {
            while let Some((name, _, _)) = read_dir_entry(dirp)? {
                list::append(&out, &*fs_decode(&name, false)?);
            }
            Ok(out)
        })();
        // SAFETY: closing the stream we opened (and its descriptor copy).
        unsafe { libc::closedir(dirp) };
        return r;
    }
    let rd = std::fs::read_dir(p.os()).map_err(|e| from_io(e, Some(&p.obj)))?;
    let out = list::new();
    for ent in rd {
        let ent = ent.map_err(|e| from_io(e, Some(&p.obj)))?;
        list::append(&out, &*fs_decode(ent.file_name().as_bytes(), p.narrow)?);
    }
    Ok(out)
}

fn m_mkdir(_m: &Obj, a: &[&Obj], kw: Kw) -> PyResult<PyRef> {
    let [path, mode, dfd] = argparse::parse::<3>(&sig("mkdir", &["path", "mode", "dir_fd"], 0, 2, 1), a, kw)?;
    let p = path_arg("mkdir", "path", path.unwrap(), false)?;
    let mode = mode.map(argparse::c_int).transpose()?.unwrap_or(0o777);
    let dfd = dir_fd(dfd)?;
    // SAFETY: a NUL-terminated path.
    let r = unsafe { libc::mkdirat(dfd, p.c.as_ptr(), mode as libc::mode_t) };
    none_ok(check(r, Some(&p.obj)))
}

fn unlink_impl(name: &'static str, a: &[&Obj], kw: Kw, flags: c_int) -> PyResult<PyRef> {
    let [path, dfd] = argparse::parse::<2>(&sig(name, &["path", "dir_fd"], 0, 1, 1), a, kw)?;
    let p = path_arg(name, "path", path.unwrap(), false)?;
    let dfd = dir_fd(dfd)?;
    // SAFETY: a NUL-terminated path.
    let r = unsafe { libc::unlinkat(dfd, p.c.as_ptr(), flags) };
    none_ok(check(r, Some(&p.obj)))
}

fn m_rmdir(_m: &Obj, a: &[&Obj], kw: Kw) -> PyResult<PyRef> {
    unlink_impl("rmdir", a, kw, libc::AT_REMOVEDIR)
}

fn m_unlink(_m: &Obj, a: &[&Obj], kw: Kw) -> PyResult<PyRef> {
    unlink_impl("unlink", a, kw, 0)
}

fn m_remove(_m: &Obj, a: &[&Obj], kw: Kw) -> PyResult<PyRef> {
    unlink_impl("remove", a, kw, 0)
}

fn rename_impl(name: &'static str, a: &[&Obj], kw: Kw) -> PyResult<PyRef> {
    let [src, dst, sfd, dfd] = argparse::parse::<4>(&sig(name, &["src", "dst", "src_dir_fd", "dst_dir_fd"], 0, 2, 2), a, kw)?;
    let s = path_arg(name, "src", src.unwrap(), false)?;
    let d = path_arg(name, "dst", dst.unwrap(), false)?;
    // SAFETY: NUL-terminated paths.
    let r = unsafe { libc::renameat(dir_fd(sfd)?, s.c.as_ptr(), dir_fd(dfd)?, d.c.as_ptr()) };
    if r == -1 {
        return Err(os_error(errno(), Some(&s.obj), Some(&d.obj)));
    }
    Ok(none::none())
}

fn m_rename(_m: &Obj, a: &[&Obj], kw: Kw) -> PyResult<PyRef> {
    rename_impl("rename", a, kw)
}

fn m_replace(_m: &Obj, a: &[&Obj], kw: Kw) -> PyResult<PyRef> {
    rename_impl("replace", a, kw)
}

fn m_readlink(_m: &Obj, a: &[&Obj], kw: Kw) -> PyResult<PyRef> {
    let [path, dfd] = argparse::parse::<2>(&sig("readlink", &["path", "dir_fd"], 0, 1, 1), a, kw)?;
    let p = path_arg("readlink", "path", path.unwrap(), false)?;
    let dfd = dir_fd(dfd)?;
    let mut buf = vec![0u8; libc::PATH_MAX as usize + 1];
    // SAFETY: a NUL-terminated path and a buffer of the given length.
    let n = unsafe { libc::readlinkat(dfd, p.c.as_ptr(), buf.as_mut_ptr() as *mut libc::c_char, buf.len()) };
    if n < 0 {
        return Err(last_error(Some(&p.obj)));
    }
    fs_decode(&buf[..n as usize], p.narrow)
}

fn m_symlink(_m: &Obj, a: &[&Obj], kw: Kw) -> PyResult<PyRef> {
    let [src, dst, _is_dir, dfd] =
        argparse::parse::<4>(&sig("symlink", &["src", "dst", "target_is_directory", "dir_fd"], 0, 3, 2), a, kw)?;
    let s = path_arg("symlink", "src", src.unwrap(), false)?;
    let d = path_arg("symlink", "dst", dst.unwrap(), false)?;
    // SAFETY: NUL-terminated paths.
    let r = unsafe { libc::symlinkat(s.c.as_ptr(), dir_fd(dfd)?, d.c.as_ptr()) };
    if r == -1 {
        return Err(os_error(errno(), Some(&s.obj), Some(&d.obj)));
    }
    Ok(none::none())
}

fn m_link(_m: &Obj, a: &[&Obj], kw: Kw) -> PyResult<PyRef> {
    let [src, dst, sfd, dfd, follow] =
        argparse::parse::<5>(&sig("link", &["src", "dst", "src_dir_fd", "dst_dir_fd", "follow_symlinks"], 0, 2, 2), a, kw)?;
    let s = path_arg("link", "src", src.unwrap(), false)?;
    let d = path_arg("link", "dst", dst.unwrap(), false)?;
    let flags = if flag(follow, true)? { libc::AT_SYMLINK_FOLLOW } else { 0 };
    // SAFETY: NUL-terminated paths.
    let r = unsafe { libc::linkat(dir_fd(sfd)?, s.c.as_ptr(), dir_fd(dfd)?, d.c.as_ptr(), flags) };
    if r == -1 {
        return Err(os_error(errno(), Some(&s.obj), Some(&d.obj)));
    }
    Ok(none::none())
}

fn m_chmod(_m: &Obj, a: &[&Obj], kw: Kw) -> PyResult<PyRef> {
    let [path, mode, dfd, follow] = argparse::parse::<4>(&sig("chmod", &["path", "mode", "dir_fd", "follow_symlinks"], 0, 2, 2), a, kw)?;
    let p = path_arg("chmod", "path", path.unwrap(), true)?;
    let mode = argparse::c_int(mode.unwrap())? as libc::mode_t;
    let r = match p.fd {
        // SAFETY: a descriptor.
        Some(fd) => unsafe { libc::fchmod(fd, mode) },
        None => {
            let flags = if flag(follow, true)? { 0 } else { libc::AT_SYMLINK_NOFOLLOW };
            // SAFETY: a NUL-terminated path.
            unsafe { libc::fchmodat(dir_fd(dfd)?, p.c.as_ptr(), mode, flags) }
        }
    };
    none_ok(check(r, Some(&p.obj)))
}

fn m_access(_m: &Obj, a: &[&Obj], kw: Kw) -> PyResult<PyRef> {
    let [path, mode, dfd, eff, follow] =
        argparse::parse::<5>(&sig("access", &["path", "mode", "dir_fd", "effective_ids", "follow_symlinks"], 0, 2, 2), a, kw)?;
    let p = path_arg("access", "path", path.unwrap(), false)?;
    let mode = argparse::c_int(mode.unwrap())?;
    let mut flags = 0;
    if flag(eff, false)? {
        flags |= libc::AT_EACCESS;
    }
    if !flag(follow, true)? {
        flags |= libc::AT_SYMLINK_NOFOLLOW;
    }
    // SAFETY: a NUL-terminated path.
    let r = unsafe { libc::faccessat(dir_fd(dfd)?, p.c.as_ptr(), mode, flags) };
    Ok(bool_::new(r == 0))
}

/// A `times`/`ns` pair element as a `timespec`.
fn timespec_from_seconds(o: &Obj) -> PyResult<libc::timespec> {
    if float::check(o) {
        let v = float::value(o);
        let s = v.floor();
        let mut ns = ((v - s) * 1e9).round() as i64;
        let mut s = s as i64;
        if ns >= 1_000_000_000 {
            s += 1;
            ns -= 1_000_000_000;
        }
        return Ok(libc::timespec { tv_sec: s as libc::time_t, tv_nsec: ns as _ });
    }
    let v = abstract_::index(o)?;
    let s = long::to_i64(&v).ok_or_else(|| raise!(OverflowError, "timestamp out of range for platform time_t"))?;
    Ok(libc::timespec { tv_sec: s as libc::time_t, tv_nsec: 0 })
}

fn m_utime(_m: &Obj, a: &[&Obj], kw: Kw) -> PyResult<PyRef> {
    let [path, times, ns, dfd, follow] =
        argparse::parse::<5>(&sig("utime", &["path", "times", "ns", "dir_fd", "follow_symlinks"], 0, 2, 1), a, kw)?;
    let p = path_arg("utime", "path", path.unwrap(), true)?;
    let times = argparse::not_none(times);
    let now = libc::timespec { tv_sec: 0, tv_nsec: libc::UTIME_NOW };
    let ts: [libc::timespec; 2] = match (times, ns) {
        (Some(_), Some(_)) => return Err(raise!(ValueError, "utime: you may specify either 'times' or 'ns' but not both")),
        (Some(t), None) => {
            let items = tuple::as_slice_if_tuple(t).filter(|i| i.len() == 2).ok_or_else(|| raise!(TypeError, "utime: 'times' must be either a tuple of two ints or None"))?;
            [timespec_from_seconds(items[0])?, timespec_from_seconds(items[1])?]
        }
        (None, Some(n)) => {
            let items = tuple::as_slice_if_tuple(n).filter(|i| i.len() == 2).ok_or_else(|| raise!(TypeError, "utime: 'ns' must be a tuple of two ints"))?;
            let mut out = [now, now];
            for (o, v) in out.iter_mut().zip(items) {
                let v = long::to_i128(&*abstract_::index(v)?).ok_or_else(|| raise!(OverflowError, "timestamp out of range"))?;
                *o = libc::timespec { tv_sec: v.div_euclid(1_000_000_000) as libc::time_t, tv_nsec: v.rem_euclid(1_000_000_000) as _ };
            }
            out
        }
        (None, None) => [now, now],
    };
    let r = match p.fd {
        // SAFETY: two timespecs.
        Some(fd) => unsafe { libc::futimens(fd, ts.as_ptr()) },
        None => {
            let flags = if flag(follow, true)? { 0 } else { libc::AT_SYMLINK_NOFOLLOW };
            // SAFETY: a NUL-terminated path and two timespecs.
            unsafe { libc::utimensat(dir_fd(dfd)?, p.c.as_ptr(), ts.as_ptr(), flags) }
        }
    };
    none_ok(check(r, Some(&p.obj)))
}

fn m_truncate(_m: &Obj, a: &[&Obj], kw: Kw) -> PyResult<PyRef> {
    let [path, length] = argparse::parse::<2>(&sig("truncate", &["path", "length"], 0, 2, 2), a, kw)?;
    let p = path_arg("truncate", "path", path.unwrap(), true)?;
    let n = off_arg(length.unwrap())?;
    let r = match p.fd {
        // SAFETY: a descriptor.
        Some(fd) => unsafe { libc::ftruncate(fd, n) },
        // SAFETY: a NUL-terminated path.
        None => unsafe { libc::truncate(p.c.as_ptr(), n) },
    };
    none_ok(check(r, Some(&p.obj)))
}

fn off_arg(o: &Obj) -> PyResult<libc::off_t> {
    let v = abstract_::index(o)?;
    long::to_i64(&v).map(|v| v as libc::off_t).ok_or_else(|| raise!(OverflowError, "Python int too large to convert to C long"))
}

// ---- scandir ------------------------------------------------------------------------------

/// `posix.DirEntry`: one entry of a `scandir` listing, with the type the directory reported
/// and `stat` results cached on first use.
#[repr(C)]
struct DirEntryObject {
    ob_base: PyObject,
    name: *mut PyObject,
    path: *mut PyObject,
    stat: *mut PyObject,
    lstat: *mut PyObject,
    ino: u64,
    /// 1 directory, 2 regular file, 3 symbolic link, 4 something else, 0 unknown.
    kind: u8,
    /// For `scandir(fd)`: the directory the name is relative to; else `AT_FDCWD`.
    dir_fd: c_int,
}

private_static_type!(DIR_ENTRY_TYPE, c"posix.DirEntry", core::mem::size_of::<DirEntryObject>(), {
    tp_flags: BUILTIN_FLAGS,
    tp_dealloc: Some(direntry_dealloc),
    tp_repr: Some(direntry_repr),
    tp_methods: DIRENTRY_METHODS.0.get() as *mut PyMethodDef,
    tp_getset: DIRENTRY_GETSET.0.get() as *mut PyGetSetDef,
});

method_table!(static DIRENTRY_METHODS = [
    kw c"is_dir" => direntry_is_dir,
    kw c"is_file" => direntry_is_file,
    noargs c"is_symlink" => direntry_is_symlink,
    noargs c"is_junction" => direntry_is_junction,
    kw c"stat" => direntry_stat,
    noargs c"inode" => direntry_inode,
    noargs c"__fspath__" => direntry_fspath,
    class_o c"__class_getitem__" => crate::objects::genericalias::class_getitem,
]);

static DIRENTRY_GETSET: type_::StaticTable<PyGetSetDef, 3> = type_::StaticTable(core::cell::UnsafeCell::new([
    crate::getter_def!(c"name", direntry_name),
    crate::getter_def!(c"path", direntry_path),
    type_::GETSET_END,
]));

fn entry(o: &Obj) -> *mut DirEntryObject {
    o.as_ptr() as *mut DirEntryObject
}

unsafe extern "C" fn direntry_dealloc(o: *mut PyObject) {
    // SAFETY: a dead entry: release its fields, then its memory.
    unsafe {
        let e = o as *mut DirEntryObject;
        for p in [(*e).name, (*e).path, (*e).stat, (*e).lstat] {
            crate::object::xdecref(p);
        }
        crate::alloc::free_object(o);
    }
}

unsafe extern "C" fn direntry_repr(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live entry whose name is set.
    let name = unsafe { arg((*entry(arg(o))).name) };
    ret_obj(abstract_::repr(name).map(|r| unicode::new(&format!("<DirEntry {}>", unicode::as_str_lossy(&r)))))
}

fn direntry_name(o: &Obj) -> PyResult<PyRef> {
    // SAFETY: set at creation.
    Ok(unsafe { arg((*entry(o)).name) }.new_ref())
}

fn direntry_path(o: &Obj) -> PyResult<PyRef> {
    // SAFETY: set at creation.
    Ok(unsafe { arg((*entry(o)).path) }.new_ref())
}

fn direntry_fspath(o: &Obj) -> PyResult<PyRef> {
    direntry_path(o)
}

fn direntry_inode(o: &Obj) -> PyResult<PyRef> {
    // SAFETY: a live entry.
    Ok(long::from_u64(unsafe { (*entry(o)).ino }))
}

fn direntry_is_junction(_o: &Obj) -> PyResult<PyRef> {
    Ok(bool_::new(false))
}

/// The entry's `stat` (following symlinks) or `lstat`, fetched once.
fn entry_stat(o: &Obj, follow: bool) -> PyResult<PyRef> {
    let e = entry(o);
    // SAFETY: a live entry; the cache slots hold NULL or an owned stat_result.
    unsafe {
        let follow = follow && entry_is_symlink(o)?;
        let slot = if follow { &raw mut (*e).stat } else { &raw mut (*e).lstat };
        if (*slot).is_null() {
            let path = arg((*e).path);
            let p = path_arg("stat", "path", path, false)?;
            let st = do_stat(&p, (*e).dir_fd, follow)?;
            *slot = st.into_raw();
        }
        Ok(arg(*slot).new_ref())
    }
}

fn entry_mode(o: &Obj, follow: bool) -> PyResult<Option<u32>> {
    match entry_stat(o, follow) {
        Ok(st) => Ok(long::to_i64(tuple::get(&st, 0)).map(|m| m as u32)),
        Err(e) if e.is_instance(exc::FileNotFoundError()) => Ok(None),
        Err(e) => Err(e),
    }
}

fn entry_is_symlink(o: &Obj) -> PyResult<bool> {
    // SAFETY: a live entry.
    match unsafe { (*entry(o)).kind } {
        0 => Ok(entry_mode(o, false)?.is_some_and(|m| m & libc::S_IFMT == libc::S_IFLNK)),
        k => Ok(k == 3),
    }
}

fn entry_test(o: &Obj, follow: bool, kind: u8, fmt: u32) -> PyResult<PyRef> {
    // SAFETY: a live entry.
    let k = unsafe { (*entry(o)).kind };
    if k != 0 && !(follow && k == 3) {
        return Ok(bool_::new(k == kind));
    }
    Ok(bool_::new(entry_mode(o, follow)?.is_some_and(|m| m & libc::S_IFMT == fmt)))
}

fn follow_kw(name: &'static str, a: &[&Obj], kw: Kw) -> PyResult<bool> {
    let [f] = argparse::parse::<1>(&sig(name, &["follow_symlinks"], 0, 0, 0), a, kw)?;
    flag(f, true)
}

fn direntry_is_dir(o: &Obj, a: &[&Obj], kw: Kw) -> PyResult<PyRef> {
    let follow = follow_kw("is_dir", a, kw)?;
    entry_test(o, follow, 1, libc::S_IFDIR)
}

fn direntry_is_file(o: &Obj, a: &[&Obj], kw: Kw) -> PyResult<PyRef> {
    let follow = follow_kw("is_file", a, kw)?;
    entry_test(o, follow, 2, libc::S_IFREG)
}

fn direntry_is_symlink(o: &Obj) -> PyResult<PyRef> {
    Ok(bool_::new(entry_is_symlink(o)?))
}

fn direntry_stat(o: &Obj, a: &[&Obj], kw: Kw) -> PyResult<PyRef> {
    let follow = follow_kw("stat", a, kw)?;
    entry_stat(o, follow)
}

/// `posix.ScandirIterator`: the open directory of a `scandir` call (a context manager that
/// closes it).
#[repr(C)]
struct ScandirObject {
    ob_base: PyObject,
    /// An owned `Box<std::fs::ReadDir>`, NULL once closed.
    dir: *mut c_void,
    /// For `scandir(fd)`: the stream over a copy of the descriptor, NULL once closed.
    dirp: *mut libc::DIR,
    /// For `scandir(fd)`: the descriptor given (entries' names are relative to it).
    dir_fd: c_int,
    /// The path given (bytes or str), joined to each name; NULL for the current directory.
    path: *mut PyObject,
    narrow: bool,
}

private_static_type!(SCANDIR_TYPE, c"posix.ScandirIterator", core::mem::size_of::<ScandirObject>(), {
    tp_flags: BUILTIN_FLAGS,
    tp_dealloc: Some(scandir_dealloc),
    tp_iter: Some(crate::objects::iterobject::self_iter),
    tp_iternext: Some(scandir_next),
    tp_methods: SCANDIR_METHODS.0.get() as *mut PyMethodDef,
});

method_table!(static SCANDIR_METHODS = [
    noargs c"close" => scandir_close,
    noargs c"__enter__" => scandir_enter,
    fast c"__exit__" => scandir_exit,
]);

fn scandir_obj(o: &Obj) -> *mut ScandirObject {
    o.as_ptr() as *mut ScandirObject
}

fn close_dir(o: &Obj) {
    // SAFETY: a live iterator; `dir` is NULL or an owned box.
    unsafe {
        let s = scandir_obj(o);
        let d = core::mem::replace(&mut (*s).dir, core::ptr::null_mut());
        if !d.is_null() {
            drop(Box::from_raw(d as *mut std::fs::ReadDir));
        }
        let dirp = core::mem::replace(&mut (*s).dirp, core::ptr::null_mut());
        if !dirp.is_null() {
            libc::closedir(dirp);
        }
    }
}

unsafe extern "C" fn scandir_dealloc(o: *mut PyObject) {
    // SAFETY: a dead iterator.
    unsafe {
        close_dir(arg(o));
        crate::object::xdecref((*(o as *mut ScandirObject)).path);
        crate::alloc::free_object(o);
    }
}

fn scandir_close(o: &Obj) -> PyResult<PyRef> {
    close_dir(o);
    Ok(none::none())
}

fn scandir_enter(o: &Obj) -> PyResult<PyRef> {
    Ok(o.new_ref())
}

fn scandir_exit(o: &Obj, _a: &[&Obj]) -> PyResult<PyRef> {
    close_dir(o);
    Ok(none::none())
}

unsafe extern "C" fn scandir_next(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: a live iterator.
    let o = unsafe { arg(o) };
    let r = (|| -> PyResult<Option<PyRef>> {
        let s = scandir_obj(o);
        // SAFETY: a live iterator; `dirp` is NULL or an open stream.
        let (dirp, dir_fd) = unsafe { ((*s).dirp, (*s).dir_fd) };
        if !dirp.is_null() {
            let Some((name, ino, ty)) = read_dir_entry(dirp)? else {
                close_dir(o);
                return Ok(None);
            };
            let kind = match ty {
                libc::DT_DIR => 1,
                libc::DT_REG => 2,
                libc::DT_LNK => 3,
                libc::DT_UNKNOWN => 0,
                _ => 4,
            };
            return new_entry(fs_decode(&name, false)?, fs_decode(&name, false)?, ino, kind, dir_fd).map(Some);
        }
        // SAFETY: `dir` is NULL or an owned box, used under the GIL.
        let Some(rd) = (unsafe { ((*s).dir as *mut std::fs::ReadDir).as_mut() }) else { return Ok(None) };
        // SAFETY: as above.
        let (path, narrow) = unsafe { (crate::slot::opt_arg((*s).path), (*s).narrow) };
        let Some(ent) = rd.next() else {
            close_dir(o);
            return Ok(None);
        };
        let ent = ent.map_err(|e| from_io(e, path))?;
        let name_bytes = ent.file_name();
        let name_bytes = name_bytes.as_bytes();
        let mut full = match path {
            Some(p) => fs_encode(p)?,
            None => b".".to_vec(),
        };
        if !full.ends_with(b"/") {
            full.push(b'/');
        }
        full.extend_from_slice(name_bytes);
        let kind = match ent.file_type() {
            Ok(t) if t.is_dir() => 1,
            Ok(t) if t.is_file() => 2,
            Ok(t) if t.is_symlink() => 3,
            Ok(_) => 4,
            Err(_) => 0,
        };
        use std::os::unix::fs::DirEntryExt;
        new_entry(fs_decode(name_bytes, narrow)?, fs_decode(&full, narrow)?, ent.ino(), kind, libc::AT_FDCWD).map(Some)
    })();
    match r {
        Ok(Some(e)) => e.into_raw(),
        Ok(None) => core::ptr::null_mut(),
        Err(e) => {
            e.restore();
            core::ptr::null_mut()
        }
    }
}

fn new_entry(name: PyRef, path: PyRef, ino: u64, kind: u8, dir_fd: c_int) -> PyResult<PyRef> {
    type_::ready(&DIR_ENTRY_TYPE)?;
    // SAFETY: a ready static type; the new object is zeroed and of our layout.
    let e = unsafe { crate::slot::from_new(crate::alloc::generic_alloc(DIR_ENTRY_TYPE.raw(), 0))? };
    // SAFETY: filling the fresh entry's fields.
    unsafe {
        let p = entry(&e);
        (*p).name = name.into_raw();
        (*p).path = path.into_raw();
        (*p).ino = ino;
        (*p).kind = kind;
        (*p).dir_fd = dir_fd;
    }
    Ok(e)
}

fn m_scandir(_m: &Obj, a: &[&Obj], kw: Kw) -> PyResult<PyRef> {
    let [path] = argparse::parse::<1>(&sig("scandir", &["path"], 0, 1, 0), a, kw)?;
    let (p, given) = dir_path("scandir", path)?;
    type_::ready(&SCANDIR_TYPE)?;
    if let Some(fd) = p.fd {
        let dirp = open_dir_fd(fd)?;
        // SAFETY: a ready static type; zeroed memory of our layout.
        let it = unsafe { crate::slot::from_new(crate::alloc::generic_alloc(SCANDIR_TYPE.raw(), 0)) };
        let it = match it {
            Ok(it) => it,
            Err(e) => {
                // SAFETY: the stream we opened.
                unsafe { libc::closedir(dirp) };
                return Err(e);
            }
        };
        // SAFETY: filling the fresh iterator.
        unsafe {
            (*scandir_obj(&it)).dirp = dirp;
            (*scandir_obj(&it)).dir_fd = fd;
        }
        return Ok(it);
    }
    let rd = std::fs::read_dir(p.os()).map_err(|e| from_io(e, Some(&p.obj)))?;
    // SAFETY: a ready static type; zeroed memory of our layout.
    let it = unsafe { crate::slot::from_new(crate::alloc::generic_alloc(SCANDIR_TYPE.raw(), 0))? };
    // SAFETY: filling the fresh iterator.
    unsafe {
        let s = scandir_obj(&it);
        (*s).dir = Box::into_raw(Box::new(rd)) as *mut c_void;
        (*s).narrow = p.narrow;
        if given {
            (*s).path = fspath(&p.obj)?.into_raw();
        }
    }
    Ok(it)
}

// ---- file descriptors -----------------------------------------------------------------------

fn m_open(_m: &Obj, a: &[&Obj], kw: Kw) -> PyResult<PyRef> {
    let [path, flags, mode, dfd] = argparse::parse::<4>(&sig("open", &["path", "flags", "mode", "dir_fd"], 0, 3, 2), a, kw)?;
    let p = path_arg("open", "path", path.unwrap(), false)?;
    let flags = argparse::c_int(flags.unwrap())? | libc::O_CLOEXEC;
    let mode = mode.map(argparse::c_int).transpose()?.unwrap_or(0o777) as libc::c_uint;
    let dfd = dir_fd(dfd)?;
    // SAFETY: a NUL-terminated path.
    let fd = retry(|| unsafe { libc::openat(dfd, p.c.as_ptr(), flags, mode) }, Some(&p.obj))?;
    int_result(fd as i64)
}

fn m_close(_m: &Obj, a: &[&Obj], kw: Kw) -> PyResult<PyRef> {
    let [fd] = argparse::parse::<1>(&sig("close", &["fd"], 0, 1, 1), a, kw)?;
    let fd = fd_arg(fd.unwrap())?;
    // SAFETY: closing a descriptor the caller names (EINTR is not retried: the descriptor
    // is gone either way on Linux).
    let r = unsafe { libc::close(fd) };
    if r == -1 && errno() != libc::EINTR {
        return Err(last_error(None));
    }
    Ok(none::none())
}

fn m_closerange(_m: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    argparse::check_positional("closerange", a.len(), 2, 2)?;
    let (lo, hi) = (fd_arg(a[0])?, fd_arg(a[1])?);
    for fd in lo.max(0)..hi {
        // SAFETY: closing descriptors in the range the caller asked for; errors ignored as CPython does.
        unsafe { libc::close(fd) };
    }
    Ok(none::none())
}

fn m_read(_m: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    argparse::check_positional("read", a.len(), 2, 2)?;
    let fd = fd_arg(a[0])?;
    let n = argparse::ssize(a[1])?;
    if n < 0 {
        return Err(os_error(libc::EINVAL, None, None));
    }
    let mut buf = vec![0u8; n as usize];
    // SAFETY: a buffer of `n` bytes.
    let got = retry(|| unsafe { libc::read(fd, buf.as_mut_ptr() as *mut c_void, buf.len()) }, None)?;
    Ok(bytes::new(&buf[..got as usize]))
}

fn m_write(_m: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    argparse::check_positional("write", a.len(), 2, 2)?;
    let fd = fd_arg(a[0])?;
    let data = bytes::bytes_like(a[1])?;
    // SAFETY: a buffer of `data.len()` bytes.
    let n = retry(|| unsafe { libc::write(fd, data.as_ptr() as *const c_void, data.len()) }, None)?;
    int_result(n as i64)
}

fn m_lseek(_m: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    argparse::check_positional("lseek", a.len(), 3, 3)?;
    let fd = fd_arg(a[0])?;
    let pos = off_arg(a[1])?;
    let how = argparse::c_int(a[2])?;
    // SAFETY: a plain system call.
    let r = unsafe { libc::lseek(fd, pos, how) };
    if r < 0 {
        return Err(last_error(None));
    }
    int_result(r as i64)
}

/// A descriptor argument that may also be an object with `fileno()` (`fsync`).
fn fileno_arg(o: &Obj) -> PyResult<c_int> {
    if argparse::index_check(o) {
        return argparse::c_int(o);
    }
    let r = abstract_::call_method(o, "fileno", &[])?;
    argparse::c_int(&r)
}

fn m_fsync(_m: &Obj, a: &[&Obj], kw: Kw) -> PyResult<PyRef> {
    let [fd] = argparse::parse::<1>(&sig("fsync", &["fd"], 0, 1, 1), a, kw)?;
    let fd = fileno_arg(fd.unwrap())?;
    // SAFETY: a plain system call.
    retry(|| unsafe { libc::fsync(fd) }, None)?;
    Ok(none::none())
}

fn m_ftruncate(_m: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    argparse::check_positional("ftruncate", a.len(), 2, 2)?;
    let fd = fd_arg(a[0])?;
    let n = off_arg(a[1])?;
    // SAFETY: a plain system call.
    retry(|| unsafe { libc::ftruncate(fd, n) }, None)?;
    Ok(none::none())
}

fn m_isatty(_m: &Obj, fd: &Obj) -> PyResult<PyRef> {
    let fd = fd_arg(fd)?;
    // SAFETY: a plain system call.
    Ok(bool_::new(unsafe { libc::isatty(fd) } == 1))
}

fn m_pipe(_m: &Obj) -> PyResult<PyRef> {
    let mut fds = [0 as c_int; 2];
    // SAFETY: an array of two descriptors.
    check(unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) }, None)?;
    Ok(tuple::new_from_owned(vec![long::from_i64(fds[0] as i64), long::from_i64(fds[1] as i64)]))
}

fn m_pipe2(_m: &Obj, flags: &Obj) -> PyResult<PyRef> {
    let flags = argparse::c_int(flags)?;
    let mut fds = [0 as c_int; 2];
    // SAFETY: an array of two descriptors.
    check(unsafe { libc::pipe2(fds.as_mut_ptr(), flags) }, None)?;
    Ok(tuple::new_from_owned(vec![long::from_i64(fds[0] as i64), long::from_i64(fds[1] as i64)]))
}

fn m_dup(_m: &Obj, fd: &Obj) -> PyResult<PyRef> {
    let fd = fd_arg(fd)?;
    // SAFETY: a plain system call; the copy is not inheritable (PEP 446).
    let r = unsafe { libc::fcntl(fd, libc::F_DUPFD_CLOEXEC, 0) };
    check(r, None)?;
    int_result(r as i64)
}

fn m_dup2(_m: &Obj, a: &[&Obj], kw: Kw) -> PyResult<PyRef> {
    let [fd, fd2, inh] = argparse::parse::<3>(&sig("dup2", &["fd", "fd2", "inheritable"], 0, 3, 2), a, kw)?;
    let (fd, fd2) = (fd_arg(fd.unwrap())?, fd_arg(fd2.unwrap())?);
    let r = if flag(inh, true)? || fd == fd2 {
        // SAFETY: a plain system call.
        unsafe { libc::dup2(fd, fd2) }
    } else {
        // SAFETY: a plain system call.
        unsafe { libc::dup3(fd, fd2, libc::O_CLOEXEC) }
    };
    check(r, None)?;
    int_result(r as i64)
}

fn m_get_inheritable(_m: &Obj, fd: &Obj) -> PyResult<PyRef> {
    let fd = fd_arg(fd)?;
    // SAFETY: a plain system call.
    let r = unsafe { libc::fcntl(fd, libc::F_GETFD) };
    check(r, None)?;
    Ok(bool_::new(r & libc::FD_CLOEXEC == 0))
}

fn m_set_inheritable(_m: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    argparse::check_positional("set_inheritable", a.len(), 2, 2)?;
    let fd = fd_arg(a[0])?;
    let inh = abstract_::is_true(a[1])?;
    // SAFETY: plain system calls.
    unsafe {
        let r = libc::fcntl(fd, libc::F_GETFD);
        check(r, None)?;
        let new = if inh { r & !libc::FD_CLOEXEC } else { r | libc::FD_CLOEXEC };
        check(libc::fcntl(fd, libc::F_SETFD, new), None)?;
    }
    Ok(none::none())
}

fn m_get_blocking(_m: &Obj, fd: &Obj) -> PyResult<PyRef> {
    let fd = fd_arg(fd)?;
    // SAFETY: a plain system call.
    let r = unsafe { libc::fcntl(fd, libc::F_GETFL) };
    check(r, None)?;
    Ok(bool_::new(r & libc::O_NONBLOCK == 0))
}

fn m_set_blocking(_m: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    argparse::check_positional("set_blocking", a.len(), 2, 2)?;
    let fd = fd_arg(a[0])?;
    let blocking = abstract_::is_true(a[1])?;
    // SAFETY: plain system calls.
    unsafe {
        let r = libc::fcntl(fd, libc::F_GETFL);
        check(r, None)?;
        let new = if blocking { r & !libc::O_NONBLOCK } else { r | libc::O_NONBLOCK };
        check(libc::fcntl(fd, libc::F_SETFL, new), None)?;
    }
    Ok(none::none())
}

fn m_device_encoding(_m: &Obj, a: &[&Obj], kw: Kw) -> PyResult<PyRef> {
    let [fd] = argparse::parse::<1>(&sig("device_encoding", &["fd"], 0, 1, 1), a, kw)?;
    let fd = fd_arg(fd.unwrap())?;
    // SAFETY: a plain system call.
    if unsafe { libc::isatty(fd) } == 1 {
        // Pyrite runs in the UTF-8 mode: the locale encoding is UTF-8.
        return Ok(unicode::new("UTF-8"));
    }
    Ok(none::none())
}

// ---- the environment ------------------------------------------------------------------------

/// `posix.environ`: the process environment at import, bytes to bytes.
fn environ_dict() -> PyResult<PyRef> {
    let d = dict::new();
    for (k, v) in std::env::vars_os() {
        dict::set_item(&d, &bytes::new(k.as_bytes()), &bytes::new(v.as_bytes()))?;
    }
    Ok(d)
}

/// An environment name or value argument (str, bytes or path-like), as C text.
fn env_arg(o: &Obj) -> PyResult<CString> {
    let p = fspath(o)?;
    CString::new(fs_encode(&p)?).map_err(|_| raise!(ValueError, "embedded null byte"))
}

fn m_putenv(_m: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    argparse::check_positional("putenv", a.len(), 2, 2)?;
    let (k, v) = (env_arg(a[0])?, env_arg(a[1])?);
    if k.as_bytes().is_empty() || k.as_bytes().contains(&b'=') {
        return Err(raise!(ValueError, "illegal environment variable name"));
    }
    // SAFETY: NUL-terminated strings; only attached threads (holding the GIL) touch the environment.
    check(unsafe { libc::setenv(k.as_ptr(), v.as_ptr(), 1) }, None)?;
    Ok(none::none())
}

fn m_unsetenv(_m: &Obj, name: &Obj) -> PyResult<PyRef> {
    let k = env_arg(name)?;
    if k.as_bytes().is_empty() || k.as_bytes().contains(&b'=') {
        return Err(raise!(ValueError, "illegal environment variable name"));
    }
    // SAFETY: as in `putenv`.
    check(unsafe { libc::unsetenv(k.as_ptr()) }, None)?;
    Ok(none::none())
}

// ---- processes ------------------------------------------------------------------------------

fn m_getpid(_m: &Obj) -> PyResult<PyRef> {
    int_result(std::process::id() as i64)
}
fn m_getppid(_m: &Obj) -> PyResult<PyRef> {
    // SAFETY: cannot fail.
    int_result(unsafe { libc::getppid() } as i64)
}
fn m_getuid(_m: &Obj) -> PyResult<PyRef> {
    // SAFETY: cannot fail.
    int_result(unsafe { libc::getuid() } as i64)
}
fn m_geteuid(_m: &Obj) -> PyResult<PyRef> {
    // SAFETY: cannot fail.
    int_result(unsafe { libc::geteuid() } as i64)
}
fn m_getgid(_m: &Obj) -> PyResult<PyRef> {
    // SAFETY: cannot fail.
    int_result(unsafe { libc::getgid() } as i64)
}
fn m_getegid(_m: &Obj) -> PyResult<PyRef> {
    // SAFETY: cannot fail.
    int_result(unsafe { libc::getegid() } as i64)
}
fn m_getpgrp(_m: &Obj) -> PyResult<PyRef> {
    // SAFETY: cannot fail.
    int_result(unsafe { libc::getpgrp() } as i64)
}

fn m_umask(_m: &Obj, mask: &Obj) -> PyResult<PyRef> {
    let mask = argparse::c_int(mask)?;
    // SAFETY: cannot fail.
    int_result(unsafe { libc::umask(mask as libc::mode_t) } as i64)
}

fn m_strerror(_m: &Obj, code: &Obj) -> PyResult<PyRef> {
    Ok(unicode::new(&strerror_text(argparse::c_int(code)?)))
}

fn m_urandom(_m: &Obj, n: &Obj) -> PyResult<PyRef> {
    let n = argparse::ssize(n)?;
    if n < 0 {
        return Err(raise!(ValueError, "size cannot be negative"));
    }
    let mut buf = vec![0u8; n as usize];
    let mut got = 0;
    while got < buf.len() {
        // SAFETY: the rest of the buffer.
        let r = unsafe { libc::getrandom(buf[got..].as_mut_ptr() as *mut c_void, buf.len() - got, 0) };
        if r < 0 {
            if errno() == libc::EINTR {
                crate::stdlib::signal::check_signals()?;
                continue;
            }
            return Err(last_error(None));
        }
        got += r as usize;
    }
    Ok(bytes::new(&buf))
}

fn m_kill(_m: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    argparse::check_positional("kill", a.len(), 2, 2)?;
    let pid = argparse::c_int(a[0])?;
    let sig = argparse::c_int(a[1])?;
    // SAFETY: a plain system call.
    check(unsafe { libc::kill(pid, sig) }, None)?;
    // A signal sent to this process is usually delivered before kill() returns: run its
    // handler now, as CPython's next eval-breaker check would.
    crate::stdlib::signal::check_signals()?;
    Ok(none::none())
}

/// `register_at_fork` callables: before, after in the parent, after in the child (owned
/// references, touched under the GIL), each with the id of the interpreter that registered it
/// (a fork runs the current interpreter's).
static AT_FORK: std::sync::Mutex<[Vec<(usize, i64)>; 3]> = std::sync::Mutex::new([Vec::new(), Vec::new(), Vec::new()]);

fn interp_id() -> i64 {
    // SAFETY: the current interpreter is live while its thread is attached.
    unsafe { (*crate::gil::current_interpreter()).id }
}

/// Drops the fork hooks of the interpreter `id` (it ends).
pub fn forget_interpreter(id: i64) {
    let mut gone = Vec::new();
    for list in AT_FORK.lock().unwrap_or_else(|p| p.into_inner()).iter_mut() {
        list.retain(|&(f, i)| i != id || {
            gone.push(f);
            false
        });
    }
    for f in gone {
        // SAFETY: an owned reference released once; the caller is attached.
        unsafe { crate::object::decref(f as *mut PyObject) };
    }
}

fn m_register_at_fork(_m: &Obj, a: &[&Obj], kw: Kw) -> PyResult<PyRef> {
    let [before, in_child, in_parent] =
        argparse::parse::<3>(&sig("register_at_fork", &["before", "after_in_child", "after_in_parent"], 0, 0, 0), a, kw)?;
    let given = [(before, 0usize, "before"), (in_parent, 1, "after_in_parent"), (in_child, 2, "after_in_child")];
    if given.iter().all(|(f, _, _)| f.is_none()) {
        return Err(raise!(TypeError, "At least one argument is required."));
    }
    for (f, _, name) in &given {
        if let Some(f) = f {
            if f.ob_type().slots().tp_call.is_none() {
                return Err(raise!(TypeError, "'{}' must be callable, not {}", name, f.ob_type().name()));
            }
        }
    }
    let mut lists = AT_FORK.lock().unwrap_or_else(|p| p.into_inner());
    for (f, i, _) in given {
        if let Some(f) = f {
            lists[i].push((f.new_ref().into_raw() as usize, interp_id()));
        }
    }
    Ok(none::none())
}

/// Runs the `register_at_fork` callables of `which` (0 before: newest first; 1 parent,
/// 2 child: oldest first); exceptions are reported and ignored.
fn run_at_fork(which: usize) {
    let id = interp_id();
    let mut funcs: Vec<usize> = AT_FORK.lock().unwrap_or_else(|p| p.into_inner())[which].iter().filter(|e| e.1 == id).map(|e| e.0).collect();
    if which == 0 {
        funcs.reverse();
    }
    for f in funcs {
        // SAFETY: the list holds owned references, released only when their interpreter ends
        // (not while it forks).
        let f = unsafe { Obj::from_ptr(f as *mut PyObject) };
        if let Err(e) = abstract_::call_no_args(f) {
            let what = abstract_::repr(f).map(|r| unicode::as_str_lossy(&r).into_owned()).unwrap_or_default();
            crate::traceback::write_unraisable(&format!("Exception ignored in fork hook {what}"), &e);
        }
    }
}

/// `PyOS_BeforeFork`: the `before` hooks, then the GIL's bookkeeping is held across the fork.
pub fn before_fork() {
    run_at_fork(0);
    crate::gil::before_fork();
}

/// `PyOS_AfterFork_Parent`.
pub fn after_fork_parent() {
    crate::gil::after_fork_parent();
    run_at_fork(1);
}

/// `PyOS_AfterFork_Child`: only this thread exists; the GIL's bookkeeping is reset.
pub fn after_fork_child() {
    crate::gil::after_fork_child();
    run_at_fork(2);
}

fn m_fork(_m: &Obj) -> PyResult<PyRef> {
    before_fork();
    // SAFETY: fork; the child continues with only this thread, the GIL's bookkeeping reset.
    let pid = unsafe { libc::fork() };
    if pid == 0 {
        after_fork_child();
    } else {
        after_fork_parent();
    }
    if pid < 0 {
        return Err(last_error(None));
    }
    int_result(pid as i64)
}

/// The arguments of `execv`/`execve` as C strings (non-empty, first item non-empty).
fn exec_argv(func: &str, o: &Obj) -> PyResult<Vec<CString>> {
    let items = if tuple::check(o) || list::check(o) {
        crate::objects::iterobject::collect(o)?
    } else {
        return Err(raise!(TypeError, "{}() arg 2 must be a tuple or list", func));
    };
    if items.is_empty() {
        return Err(raise!(ValueError, "{}() arg 2 must not be empty", func));
    }
    let mut out = Vec::with_capacity(items.len());
    for it in &items {
        out.push(env_arg(it)?);
    }
    if out[0].as_bytes().is_empty() {
        return Err(raise!(ValueError, "{}() arg 2 first element cannot be empty", func));
    }
    Ok(out)
}

fn do_exec(path: &PathArg, argv: Vec<CString>, env: Option<Vec<CString>>) -> PyResult<PyRef> {
    let mut argp: Vec<*const libc::c_char> = argv.iter().map(|c| c.as_ptr()).collect();
    argp.push(core::ptr::null());
    let _ = std::io::Write::flush(&mut std::io::stdout());
    match env {
        Some(env) => {
            let mut envp: Vec<*const libc::c_char> = env.iter().map(|c| c.as_ptr()).collect();
            envp.push(core::ptr::null());
            // SAFETY: NULL-terminated arrays of NUL-terminated strings that outlive the call.
            unsafe { libc::execve(path.c.as_ptr(), argp.as_ptr(), envp.as_ptr()) };
        }
        // SAFETY: as above.
        None => unsafe {
            libc::execv(path.c.as_ptr(), argp.as_ptr());
        },
    }
    Err(last_error(None))
}

fn m_execv(_m: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    argparse::check_positional("execv", a.len(), 2, 2)?;
    let p = path_arg("execv", "path", a[0], false)?;
    let argv = exec_argv("execv", a[1])?;
    do_exec(&p, argv, None)
}

fn m_execve(_m: &Obj, a: &[&Obj], kw: Kw) -> PyResult<PyRef> {
    let [path, argv, env] = argparse::parse::<3>(&sig("execve", &["path", "argv", "env"], 0, 3, 3), a, kw)?;
    let p = path_arg("execve", "path", path.unwrap(), false)?;
    let argv = exec_argv("execve", argv.unwrap())?;
    let env = env.unwrap();
    if !abstract_::mapping_check(env) {
        return Err(raise!(TypeError, "env must be a mapping object"));
    }
    let keys = crate::objects::iterobject::collect(&*abstract_::call_method(env, "keys", &[])?)?;
    let mut envp = Vec::with_capacity(keys.len());
    for k in &keys {
        let v = abstract_::getitem(env, k)?;
        let kb = fs_encode(&*fspath(k)?)?;
        if kb.is_empty() || kb.contains(&b'=') {
            return Err(raise!(ValueError, "illegal environment variable name"));
        }
        let mut entry = kb;
        entry.push(b'=');
        entry.extend(fs_encode(&*fspath(&v)?)?);
        envp.push(CString::new(entry).map_err(|_| raise!(ValueError, "embedded null byte"))?);
    }
    do_exec(&p, argv, Some(envp))
}

fn m_waitpid(_m: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    argparse::check_positional("waitpid", a.len(), 2, 2)?;
    let pid = argparse::c_int(a[0])?;
    let options = argparse::c_int(a[1])?;
    let mut status: c_int = 0;
    // SAFETY: a valid out-pointer.
    let r = retry(|| unsafe { libc::waitpid(pid, &mut status, options) }, None)?;
    Ok(tuple::new_from_owned(vec![long::from_i64(r as i64), long::from_i64(status as i64)]))
}

fn m_wait(_m: &Obj) -> PyResult<PyRef> {
    let mut status: c_int = 0;
    // SAFETY: a valid out-pointer.
    let r = retry(|| unsafe { libc::wait(&mut status) }, None)?;
    Ok(tuple::new_from_owned(vec![long::from_i64(r as i64), long::from_i64(status as i64)]))
}

fn m__exit(_m: &Obj, a: &[&Obj], kw: Kw) -> PyResult<PyRef> {
    let [n] = argparse::parse::<1>(&sig("_exit", &["status"], 0, 1, 1), a, kw)?;
    let n = argparse::c_int(n.unwrap())?;
    // SAFETY: ends the process at once, as documented (no cleanup, no atexit).
    unsafe { libc::_exit(n) }
}

fn status_arg(func: &'static str, a: &[&Obj], kw: Kw) -> PyResult<c_int> {
    let [s] = argparse::parse::<1>(&sig(func, &["status"], 0, 1, 1), a, kw)?;
    argparse::c_int(s.unwrap())
}

fn m_waitstatus_to_exitcode(_m: &Obj, a: &[&Obj], kw: Kw) -> PyResult<PyRef> {
    let s = status_arg("waitstatus_to_exitcode", a, kw)?;
    if libc::WIFEXITED(s) {
        return int_result(libc::WEXITSTATUS(s) as i64);
    }
    if libc::WIFSIGNALED(s) {
        return int_result(-(libc::WTERMSIG(s) as i64));
    }
    if libc::WIFSTOPPED(s) {
        return Err(raise!(ValueError, "process stopped by delivery of signal {}", libc::WSTOPSIG(s)));
    }
    Err(raise!(ValueError, "invalid wait status: {}", s))
}

macro_rules! wait_macros {
    ($($f:ident $pyname:literal => $e:expr;)*) => {$(
        fn $f(_m: &Obj, a: &[&Obj], kw: Kw) -> PyResult<PyRef> {
            let s = status_arg($pyname, a, kw)?;
            let f: fn(c_int) -> PyRef = $e;
            Ok(f(s))
        }
    )*};
}

wait_macros! {
    m_wifexited "WIFEXITED" => |s| bool_::new(libc::WIFEXITED(s));
    m_wexitstatus "WEXITSTATUS" => |s| long::from_i64(libc::WEXITSTATUS(s) as i64);
    m_wifsignaled "WIFSIGNALED" => |s| bool_::new(libc::WIFSIGNALED(s));
    m_wtermsig "WTERMSIG" => |s| long::from_i64(libc::WTERMSIG(s) as i64);
    m_wifstopped "WIFSTOPPED" => |s| bool_::new(libc::WIFSTOPPED(s));
    m_wstopsig "WSTOPSIG" => |s| long::from_i64(libc::WSTOPSIG(s) as i64);
    m_wcoredump "WCOREDUMP" => |s| bool_::new(libc::WCOREDUMP(s));
    m_wifcontinued "WIFCONTINUED" => |s| bool_::new(libc::WIFCONTINUED(s));
}

fn m_system(_m: &Obj, a: &[&Obj], kw: Kw) -> PyResult<PyRef> {
    let [cmd] = argparse::parse::<1>(&sig("system", &["command"], 0, 1, 1), a, kw)?;
    let c = env_arg(cmd.unwrap())?;
    let _ = std::io::Write::flush(&mut std::io::stdout());
    // SAFETY: a NUL-terminated command, run detached from the GIL.
    let r = crate::gil::allow_threads(|| unsafe { libc::system(c.as_ptr()) });
    int_result(r as i64)
}

fn m_killpg(_m: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    argparse::check_positional("killpg", a.len(), 2, 2)?;
    let (pg, sig) = (argparse::c_int(a[0])?, argparse::c_int(a[1])?);
    // SAFETY: a plain system call.
    check(unsafe { libc::killpg(pg, sig) }, None)?;
    crate::stdlib::signal::check_signals()?;
    Ok(none::none())
}

fn m_setsid(_m: &Obj) -> PyResult<PyRef> {
    // SAFETY: a plain system call.
    check(unsafe { libc::setsid() }, None)?;
    Ok(none::none())
}

fn m_getpgid(_m: &Obj, pid: &Obj) -> PyResult<PyRef> {
    let pid = argparse::c_int(pid)?;
    // SAFETY: a plain system call.
    let r = unsafe { libc::getpgid(pid) };
    check(r, None)?;
    int_result(r as i64)
}

fn m_setpgid(_m: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    argparse::check_positional("setpgid", a.len(), 2, 2)?;
    let (pid, pg) = (argparse::c_int(a[0])?, argparse::c_int(a[1])?);
    // SAFETY: a plain system call.
    check(unsafe { libc::setpgid(pid, pg) }, None)?;
    Ok(none::none())
}

fn m_fchdir(_m: &Obj, fd: &Obj) -> PyResult<PyRef> {
    let fd = fileno_arg(fd)?;
    // SAFETY: a plain system call.
    check(unsafe { libc::fchdir(fd) }, None)?;
    Ok(none::none())
}

fn m_fchmod(_m: &Obj, a: &[&Obj], kw: Kw) -> PyResult<PyRef> {
    let [fd, mode] = argparse::parse::<2>(&sig("fchmod", &["fd", "mode"], 0, 2, 2), a, kw)?;
    let (fd, mode) = (fd_arg(fd.unwrap())?, argparse::c_int(mode.unwrap())?);
    // SAFETY: a plain system call.
    check(unsafe { libc::fchmod(fd, mode as libc::mode_t) }, None)?;
    Ok(none::none())
}

fn m_fdatasync(_m: &Obj, a: &[&Obj], kw: Kw) -> PyResult<PyRef> {
    let [fd] = argparse::parse::<1>(&sig("fdatasync", &["fd"], 0, 1, 1), a, kw)?;
    let fd = fileno_arg(fd.unwrap())?;
    // SAFETY: a plain system call.
    retry(|| unsafe { libc::fdatasync(fd) }, None)?;
    Ok(none::none())
}

fn m_sync(_m: &Obj) -> PyResult<PyRef> {
    // SAFETY: cannot fail.
    crate::gil::allow_threads(|| unsafe { libc::sync() });
    Ok(none::none())
}

fn m_abort(_m: &Obj) -> PyResult<PyRef> {
    // SAFETY: ends the process with SIGABRT, as documented.
    unsafe { libc::abort() }
}

fn m_sched_yield(_m: &Obj) -> PyResult<PyRef> {
    // SAFETY: a plain system call.
    crate::gil::allow_threads(|| unsafe { libc::sched_yield() });
    Ok(none::none())
}

fn m_getloadavg(_m: &Obj) -> PyResult<PyRef> {
    let mut l = [0f64; 3];
    // SAFETY: an array of three doubles.
    if unsafe { libc::getloadavg(l.as_mut_ptr(), 3) } != 3 {
        return Err(raise!(OSError, "Load averages are unobtainable"));
    }
    Ok(tuple::new_from_owned(l.iter().map(|v| float::new(*v)).collect()))
}

// ---- system information ---------------------------------------------------------------------

static UNAME_RESULT: OnceLock<SyncPtr<PyObject>> = OnceLock::new();
static TIMES_RESULT: OnceLock<SyncPtr<PyObject>> = OnceLock::new();
static TERMINAL_SIZE: OnceLock<SyncPtr<PyObject>> = OnceLock::new();
static STATVFS_RESULT: OnceLock<SyncPtr<PyObject>> = OnceLock::new();

fn statvfs_type() -> PyResult<&'static TypeObj> {
    super::struct_seq_type(
        &STATVFS_RESULT,
        c"os.statvfs_result",
        c"statvfs_result: Result from statvfs or fstatvfs.",
        &[
            Some(c"f_bsize"), Some(c"f_frsize"), Some(c"f_blocks"), Some(c"f_bfree"), Some(c"f_bavail"),
            Some(c"f_files"), Some(c"f_ffree"), Some(c"f_favail"), Some(c"f_flag"), Some(c"f_namemax"),
            // By name only, as in CPython.
            Some(c"f_fsid"),
        ],
        10,
    )
}

fn statvfs_result(v: &libc::statvfs) -> PyResult<PyRef> {
    let n = |x: u64| long::from_u64(x);
    super::struct_seq_new(
        statvfs_type()?,
        vec![
            n(v.f_bsize), n(v.f_frsize), n(v.f_blocks), n(v.f_bfree), n(v.f_bavail),
            n(v.f_files), n(v.f_ffree), n(v.f_favail), n(v.f_flag), n(v.f_namemax), n(v.f_fsid),
        ],
    )
}

/// `statvfs(path)`: the file system holding `path` (or an open descriptor).
fn m_statvfs(_m: &Obj, a: &[&Obj], kw: Kw) -> PyResult<PyRef> {
    let [path] = argparse::parse::<1>(&sig("statvfs", &["path"], 0, 1, 1), a, kw)?;
    let p = path_arg("statvfs", "path", path.unwrap(), true)?;
    // SAFETY: an all-zero statvfs is valid to be overwritten.
    let mut v: libc::statvfs = unsafe { core::mem::zeroed() };
    // SAFETY: a NUL-terminated path / a descriptor, and a valid out-pointer.
    let r = match p.fd {
        Some(fd) => unsafe { libc::fstatvfs(fd, &mut v) },
        None => unsafe { libc::statvfs(p.c.as_ptr(), &mut v) },
    };
    check(r, Some(&p.obj))?;
    statvfs_result(&v)
}

fn m_fstatvfs(_m: &Obj, fd: &Obj) -> PyResult<PyRef> {
    let fd = fd_arg(fd)?;
    // SAFETY: as above.
    let mut v: libc::statvfs = unsafe { core::mem::zeroed() };
    // SAFETY: a descriptor and a valid out-pointer.
    check(unsafe { libc::fstatvfs(fd, &mut v) }, None)?;
    statvfs_result(&v)
}

fn uname_type() -> PyResult<&'static TypeObj> {
    super::struct_seq_type(
        &UNAME_RESULT,
        c"posix.uname_result",
        c"uname_result: Result from os.uname().",
        &[Some(c"sysname"), Some(c"nodename"), Some(c"release"), Some(c"version"), Some(c"machine")],
        5,
    )
}

fn times_type() -> PyResult<&'static TypeObj> {
    super::struct_seq_type(
        &TIMES_RESULT,
        c"posix.times_result",
        c"times_result: Result from os.times().",
        &[Some(c"user"), Some(c"system"), Some(c"children_user"), Some(c"children_system"), Some(c"elapsed")],
        5,
    )
}

fn terminal_size_type() -> PyResult<&'static TypeObj> {
    super::struct_seq_type(
        &TERMINAL_SIZE,
        c"os.terminal_size",
        c"A tuple of (columns, lines) for holding terminal window size",
        &[Some(c"columns"), Some(c"lines")],
        2,
    )
}

fn m_uname(_m: &Obj) -> PyResult<PyRef> {
    // SAFETY: an all-zero utsname is valid to be overwritten.
    let mut u: libc::utsname = unsafe { core::mem::zeroed() };
    // SAFETY: a valid out-pointer.
    check(unsafe { libc::uname(&mut u) }, None)?;
    let text = |f: &[libc::c_char]| {
        // SAFETY: uname NUL-terminates each field within its array.
        fs_decode(unsafe { CStr::from_ptr(f.as_ptr()) }.to_bytes(), false)
    };
    super::struct_seq_new(uname_type()?, vec![text(&u.sysname)?, text(&u.nodename)?, text(&u.release)?, text(&u.version)?, text(&u.machine)?])
}

fn m_times(_m: &Obj) -> PyResult<PyRef> {
    // SAFETY: an all-zero tms is valid to be overwritten.
    let mut t: libc::tms = unsafe { core::mem::zeroed() };
    // SAFETY: a valid out-pointer.
    let c = unsafe { libc::times(&mut t) };
    if c == (-1i64) as libc::clock_t {
        return Err(last_error(None));
    }
    // SAFETY: a plain query.
    let ticks = unsafe { libc::sysconf(libc::_SC_CLK_TCK) } as f64;
    let f = |v: libc::clock_t| float::new(v as f64 / ticks);
    super::struct_seq_new(times_type()?, vec![f(t.tms_utime), f(t.tms_stime), f(t.tms_cutime), f(t.tms_cstime), f(c)])
}

fn m_cpu_count(_m: &Obj) -> PyResult<PyRef> {
    if let Some(n) = crate::config::get().cpu_count {
        return int_result(n);
    }
    // SAFETY: a plain query.
    let n = unsafe { libc::sysconf(libc::_SC_NPROCESSORS_ONLN) };
    if n < 1 { Ok(none::none()) } else { int_result(n as i64) }
}

fn m_get_terminal_size(_m: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    argparse::check_positional("get_terminal_size", a.len(), 0, 1)?;
    let fd = a.first().map(|o| fd_arg(o)).transpose()?.unwrap_or(1);
    // SAFETY: an all-zero winsize is valid to be overwritten.
    let mut w: libc::winsize = unsafe { core::mem::zeroed() };
    // SAFETY: TIOCGWINSZ fills a winsize.
    check(unsafe { libc::ioctl(fd, libc::TIOCGWINSZ, &mut w) }, None)?;
    super::struct_seq_new(terminal_size_type()?, vec![long::from_i64(w.ws_col as i64), long::from_i64(w.ws_row as i64)])
}

fn m_fspath(_m: &Obj, a: &[&Obj], kw: Kw) -> PyResult<PyRef> {
    let [p] = argparse::parse::<1>(&sig("fspath", &["path"], 0, 1, 1), a, kw)?;
    fspath(p.unwrap())
}

method_table!(static POSIX_METHODS = [
    kw c"stat" => m_stat,
    kw c"lstat" => m_lstat,
    kw c"fstat" => m_fstat,
    noargs c"getcwd" => m_getcwd,
    noargs c"getcwdb" => m_getcwdb,
    kw c"chdir" => m_chdir,
    kw c"statvfs" => m_statvfs,
    o c"fstatvfs" => m_fstatvfs,
    kw c"listdir" => m_listdir,
    kw c"scandir" => m_scandir,
    kw c"mkdir" => m_mkdir,
    kw c"rmdir" => m_rmdir,
    kw c"unlink" => m_unlink,
    kw c"remove" => m_remove,
    kw c"rename" => m_rename,
    kw c"replace" => m_replace,
    kw c"readlink" => m_readlink,
    kw c"symlink" => m_symlink,
    kw c"link" => m_link,
    kw c"chmod" => m_chmod,
    kw c"access" => m_access,
    kw c"utime" => m_utime,
    kw c"truncate" => m_truncate,
    kw c"open" => m_open,
    kw c"close" => m_close,
    fast c"closerange" => m_closerange,
    fast c"read" => m_read,
    fast c"write" => m_write,
    fast c"lseek" => m_lseek,
    kw c"fsync" => m_fsync,
    fast c"ftruncate" => m_ftruncate,
    o c"isatty" => m_isatty,
    noargs c"pipe" => m_pipe,
    o c"pipe2" => m_pipe2,
    o c"dup" => m_dup,
    kw c"dup2" => m_dup2,
    o c"get_inheritable" => m_get_inheritable,
    fast c"set_inheritable" => m_set_inheritable,
    o c"get_blocking" => m_get_blocking,
    fast c"set_blocking" => m_set_blocking,
    kw c"device_encoding" => m_device_encoding,
    fast c"putenv" => m_putenv,
    o c"unsetenv" => m_unsetenv,
    noargs c"getpid" => m_getpid,
    noargs c"getppid" => m_getppid,
    noargs c"getuid" => m_getuid,
    noargs c"geteuid" => m_geteuid,
    noargs c"getgid" => m_getgid,
    noargs c"getegid" => m_getegid,
    noargs c"getpgrp" => m_getpgrp,
    o c"umask" => m_umask,
    o c"strerror" => m_strerror,
    o c"urandom" => m_urandom,
    fast c"kill" => m_kill,
    noargs c"fork" => m_fork,
    fast c"execv" => m_execv,
    kw c"execve" => m_execve,
    fast c"waitpid" => m_waitpid,
    noargs c"wait" => m_wait,
    kw c"_exit" => m__exit,
    kw c"waitstatus_to_exitcode" => m_waitstatus_to_exitcode,
    kw c"WIFEXITED" => m_wifexited,
    kw c"WEXITSTATUS" => m_wexitstatus,
    kw c"WIFSIGNALED" => m_wifsignaled,
    kw c"WTERMSIG" => m_wtermsig,
    kw c"WIFSTOPPED" => m_wifstopped,
    kw c"WSTOPSIG" => m_wstopsig,
    kw c"WCOREDUMP" => m_wcoredump,
    kw c"WIFCONTINUED" => m_wifcontinued,
    noargs c"uname" => m_uname,
    noargs c"times" => m_times,
    noargs c"cpu_count" => m_cpu_count,
    fast c"get_terminal_size" => m_get_terminal_size,
    kw c"fspath" => m_fspath,
    kw c"register_at_fork" => m_register_at_fork,
    kw c"system" => m_system,
    fast c"killpg" => m_killpg,
    noargs c"setsid" => m_setsid,
    o c"getpgid" => m_getpgid,
    fast c"setpgid" => m_setpgid,
    o c"fchdir" => m_fchdir,
    kw c"fchmod" => m_fchmod,
    kw c"fdatasync" => m_fdatasync,
    noargs c"sync" => m_sync,
    noargs c"abort" => m_abort,
    noargs c"sched_yield" => m_sched_yield,
    noargs c"getloadavg" => m_getloadavg,
]);

/// The constants, with their Linux values (`<fcntl.h>`, `<unistd.h>`, `<sys/wait.h>`,
/// `<sysexits.h>`, `<dlfcn.h>`, `<sched.h>`, `<sys/statvfs.h>`).
const CONSTANTS: &[(&str, i64)] = &[
    ("CLD_CONTINUED", 6), ("CLD_DUMPED", 3), ("CLD_EXITED", 1), ("CLD_KILLED", 2), ("CLD_STOPPED", 5), ("CLD_TRAPPED", 4),
    ("EX_CANTCREAT", 73), ("EX_CONFIG", 78), ("EX_DATAERR", 65), ("EX_IOERR", 74), ("EX_NOHOST", 68), ("EX_NOINPUT", 66),
    ("EX_NOPERM", 77), ("EX_NOUSER", 67), ("EX_OK", 0), ("EX_OSERR", 71), ("EX_OSFILE", 72), ("EX_PROTOCOL", 76),
    ("EX_SOFTWARE", 70), ("EX_TEMPFAIL", 75), ("EX_UNAVAILABLE", 69), ("EX_USAGE", 64),
    ("F_LOCK", 1), ("F_OK", 0), ("F_TEST", 3), ("F_TLOCK", 2), ("F_ULOCK", 0), ("GRND_NONBLOCK", 1), ("GRND_RANDOM", 2),
    ("NGROUPS_MAX", 65536), ("O_ACCMODE", 3), ("O_APPEND", 1024), ("O_ASYNC", 8192), ("O_CLOEXEC", 524288), ("O_CREAT", 64),
    ("O_DIRECT", 16384), ("O_DIRECTORY", 65536), ("O_DSYNC", 4096), ("O_EXCL", 128), ("O_FSYNC", 1052672), ("O_LARGEFILE", 0),
    ("O_NDELAY", 2048), ("O_NOATIME", 262144), ("O_NOCTTY", 256), ("O_NOFOLLOW", 131072), ("O_NONBLOCK", 2048),
    ("O_PATH", 2097152), ("O_RDONLY", 0), ("O_RDWR", 2), ("O_RSYNC", 1052672), ("O_SYNC", 1052672), ("O_TMPFILE", 4259840),
    ("O_TRUNC", 512), ("O_WRONLY", 1), ("POSIX_FADV_DONTNEED", 4), ("POSIX_FADV_NOREUSE", 5), ("POSIX_FADV_NORMAL", 0),
    ("POSIX_FADV_RANDOM", 1), ("POSIX_FADV_SEQUENTIAL", 2), ("POSIX_FADV_WILLNEED", 3), ("PRIO_PGRP", 1), ("PRIO_PROCESS", 0),
    ("PRIO_USER", 2), ("P_ALL", 0), ("P_PGID", 2), ("P_PID", 1), ("P_PIDFD", 3), 
    ("RTLD_DEEPBIND", 8), ("RTLD_GLOBAL", 256), ("RTLD_LAZY", 1), ("RTLD_LOCAL", 0), ("RTLD_NODELETE", 4096), ("RTLD_NOLOAD", 4),
    ("RTLD_NOW", 2), ("R_OK", 4), ("SCHED_BATCH", 3), ("SCHED_FIFO", 1), ("SCHED_IDLE", 5), ("SCHED_OTHER", 0),
    ("SCHED_RESET_ON_FORK", 1073741824), ("SCHED_RR", 2), ("SEEK_DATA", 3), ("SEEK_HOLE", 4),
    ("ST_APPEND", 256), ("ST_MANDLOCK", 64), ("ST_NOATIME", 1024), ("ST_NODEV", 4), ("ST_NODIRATIME", 2048),
    ("ST_NOEXEC", 8), ("ST_NOSUID", 2), ("ST_RDONLY", 1), ("ST_RELATIME", 4096), ("ST_SYNCHRONOUS", 16), ("ST_WRITE", 128),
    ("TMP_MAX", 238328), ("WCONTINUED", 8), ("WEXITED", 4), ("WNOHANG", 1), ("WNOWAIT", 16777216), ("WSTOPPED", 2),
    ("WUNTRACED", 2), ("W_OK", 2), ("X_OK", 1),
];

/// What `os.py` reads to fill `supports_dir_fd`, `supports_fd` and
/// `supports_follow_symlinks`: only the forms this module implements.
const HAVE_FUNCTIONS: &[&str] = &[
    "HAVE_FACCESSAT", "HAVE_FCHDIR", "HAVE_FCHMOD", "HAVE_FCHMODAT", "HAVE_FDOPENDIR", "HAVE_FSTATAT", "HAVE_FTRUNCATE", "HAVE_FUTIMENS",
    "HAVE_LINKAT", "HAVE_LSTAT", "HAVE_MKDIRAT", "HAVE_OPENAT", "HAVE_READLINKAT", "HAVE_RENAMEAT", "HAVE_SYMLINKAT",
    "HAVE_UNLINKAT", "HAVE_UTIMENSAT",
];

pub fn create() -> PyResult<PyRef> {
    // SAFETY: the table is static.
    let m = unsafe { super::new_module("posix", POSIX_METHODS.0.get() as *mut PyMethodDef)? };
    super::add_ints(&m, CONSTANTS)?;
    let d = module::dict_of(&m);
    dict::set_item_str(d, "environ", &*environ_dict()?)?;
    let have = list::new_from_owned(HAVE_FUNCTIONS.iter().map(|s| unicode::new(s)).collect());
    dict::set_item_str(d, "_have_functions", &have)?;
    dict::set_item_str(d, "error", exc::OSError())?;
    dict::set_item_str(d, "stat_result", stat_result_type()?)?;
    dict::set_item_str(d, "uname_result", uname_type()?)?;
    dict::set_item_str(d, "times_result", times_type()?)?;
    dict::set_item_str(d, "terminal_size", terminal_size_type()?)?;
    type_::ready(&DIR_ENTRY_TYPE)?;
    type_::ready(&SCANDIR_TYPE)?;
    crate::objects::slotdefs::add_wrappers(&DIR_ENTRY_TYPE)?;
    crate::objects::slotdefs::add_wrappers(&SCANDIR_TYPE)?;
    dict::set_item_str(d, "DirEntry", &DIR_ENTRY_TYPE)?;
    Ok(m)
}
