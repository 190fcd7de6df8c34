//! `_io.FileIO`: raw binary I/O on an operating-system file descriptor (`open(2)`, `read(2)`,
//! `write(2)`, `lseek(2)`, `ftruncate(2)`, `close(2)`).

use core::ffi::{c_char, c_int, c_long};
use std::io::{Read, Seek, Write};
use std::mem::ManuallyDrop;
use std::os::unix::fs::MetadataExt;
use std::os::unix::io::FromRawFd;

use pyrite_abi::*;

use super::{borrow, is_none, last_os_error, os_error, size_arg, unsupported, InitArgs, State};
use crate::err::PyResult;
use crate::object::{Obj, PyRef};
use crate::objects::argparse::{self, Sig};
use crate::objects::{bool_, bytes, float, long, none, unicode};
use crate::{abstract_, method_table};

const O_RDONLY: c_int = 0;
const O_WRONLY: c_int = 1;
const O_RDWR: c_int = 2;
const O_CREAT: c_int = 0o100;
const O_EXCL: c_int = 0o200;
const O_TRUNC: c_int = 0o1000;
const O_APPEND: c_int = 0o2000;
const O_CLOEXEC: c_int = 0o2000000;
const EINTR: i32 = 4;
const EAGAIN: i32 = 11;
const EISDIR: i32 = 21;

unsafe extern "C" {
    fn open(path: *const c_char, flags: c_int, ...) -> c_int;
    fn close(fd: c_int) -> c_int;
    fn isatty(fd: c_int) -> c_int;
    fn lseek(fd: c_int, offset: c_long, whence: c_int) -> c_long;
}

#[derive(Default)]
pub(crate) struct File {
    /// -1 when closed (or never opened).
    pub fd: i32,
    pub readable: bool,
    pub writable: bool,
    pub appending: bool,
    pub created: bool,
    pub closefd: bool,
    pub blksize: usize,
    pub opened: bool,
}

fn pick(s: &mut State) -> Option<&mut File> {
    match s {
        State::File(f) => Some(f),
        _ => None,
    }
}

fn state(o: &Obj) -> PyResult<core::cell::RefMut<'_, File>> {
    borrow(o, "_io.FileIO", pick)
}

/// The descriptor of an open FileIO, or ValueError.
fn fd_of(o: &Obj) -> PyResult<i32> {
    let f = state(o)?;
    if !f.opened || f.fd < 0 {
        return Err(raise!(ValueError, "I/O operation on closed file"));
    }
    Ok(f.fd)
}

/// The open file's block size (for `open()`'s buffer size), if `o` is a FileIO.
pub(crate) fn blksize(o: &Obj) -> Option<usize> {
    if !o.ob_type().is_subtype(&super::FileIO_Type) {
        return None;
    }
    state(o).ok().map(|f| f.blksize)
}

/// A `std::fs::File` view of `fd` that never closes it.
fn as_file(fd: i32) -> ManuallyDrop<std::fs::File> {
    // SAFETY: `fd` is an open descriptor owned by the FileIO; ManuallyDrop keeps std from
    // closing it.
    ManuallyDrop::new(unsafe { std::fs::File::from_raw_fd(fd) })
}

fn errno_of(e: &std::io::Error) -> i32 {
    e.raw_os_error().unwrap_or(0)
}

static INIT_SIG: Sig = Sig { name: "FileIO", params: &["file", "mode", "closefd", "opener"], posonly: 0, maxpos: 4, required: 1 };

/// `FileIO(file, mode='r', closefd=True, opener=None)`.
fn file_init(o: &Obj, a: &InitArgs) -> PyResult<()> {
    let [file, mode, closefd, opener] = a.parse(&INIT_SIG)?;
    let file = file.expect("required");
    // Re-initialising an open object closes it first (as CPython does).
    {
        let mut f = state(o)?;
        if f.opened && f.fd >= 0 && f.closefd {
            // SAFETY: an open descriptor this object owns.
            unsafe { close(f.fd) };
        }
        *f = File { fd: -1, ..File::default() };
    }
    let mode_s = match mode {
        None => "r".to_string(),
        Some(m) if unicode::check(m) => unicode::as_str(m)?.to_string(),
        Some(m) => return Err(raise!(TypeError, "FileIO() argument 'mode' must be str, not {}", m.ob_type().name())),
    };
    let closefd = match closefd {
        None => true,
        Some(c) => abstract_::is_true(c)?,
    };
    let mut fd: i32 = -1;
    if argparse::index_check(file) && !bool_::check(file) || long::check(file) {
        let v = argparse::c_int(file)?;
        if v < 0 {
            return Err(raise!(ValueError, "negative file descriptor"));
        }
        fd = v;
    }
    let (mut readable, mut writable, mut appending, mut created, mut plus) = (false, false, false, false, false);
    let mut rwa = false;
    let mut flags: c_int = 0;
    let bad_mode = || raise!(ValueError, "Must have exactly one of create/read/write/append mode and at most one plus");
    for c in mode_s.chars() {
        match c {
            'x' | 'r' | 'w' | 'a' => {
                if rwa {
                    return Err(bad_mode());
                }
                rwa = true;
                match c {
                    'x' => {
                        created = true;
                        writable = true;
                        flags |= O_EXCL | O_CREAT;
                    }
                    'r' => readable = true,
                    'w' => {
                        writable = true;
                        flags |= O_CREAT | O_TRUNC;
                    }
                    _ => {
                        writable = true;
                        appending = true;
                        flags |= O_APPEND | O_CREAT;
                    }
                }
            }
            'b' => {}
            '+' => {
                if plus {
                    return Err(bad_mode());
                }
                readable = true;
                writable = true;
                plus = true;
            }
            _ => return Err(raise!(ValueError, "invalid mode: {}", mode_s)),
        }
    }
    if !rwa {
        return Err(bad_mode());
    }
    flags |= if readable && writable {
        O_RDWR
    } else if readable {
        O_RDONLY
    } else {
        O_WRONLY
    };
    flags |= O_CLOEXEC;
    let mut owned = closefd;
    if fd < 0 {
        if !closefd {
            return Err(raise!(ValueError, "Cannot use closefd=False with file name"));
        }
        let opener = opener.filter(|x| !is_none(x));
        if let Some(opener) = opener {
            let r = abstract_::call(opener, &crate::objects::tuple::new_from(&[file, &*long::from_i64(flags as i64)]), None)?;
            if !long::check(&r) {
                return Err(raise!(TypeError, "expected integer from opener"));
            }
            let v = long::to_i64(&r).unwrap_or(-1);
            if v < 0 {
                return Err(raise!(ValueError, "opener returned {}", v));
            }
            fd = v as i32;
        } else {
            let path = fspath_bytes(file)?;
            if path.contains(&0) {
                return Err(raise!(ValueError, "embedded null byte"));
            }
            let c = std::ffi::CString::new(path).expect("no NUL");
            loop {
                // SAFETY: a NUL-terminated path; mode applies only with O_CREAT.
                fd = unsafe { open(c.as_ptr(), flags, 0o666 as c_int) };
                if fd >= 0 {
                    break;
                }
                let e = std::io::Error::last_os_error();
                if errno_of(&e) != EINTR {
                    return Err(os_error(errno_of(&e), Some(file)));
                }
            }
        }
        owned = true;
    }
    let meta = as_file(fd).metadata();
    let blksize = match &meta {
        Ok(m) => {
            if m.is_dir() {
                if owned && closefd {
                    // SAFETY: the descriptor opened above.
                    unsafe { close(fd) };
                }
                return Err(os_error(EISDIR, Some(file)));
            }
            m.blksize() as usize
        }
        Err(e) => {
            // A bad descriptor passed in (EBADF) is an error; opening never gets here.
            return Err(os_error(errno_of(e), None));
        }
    };
    {
        let mut f = state(o)?;
        *f = File { fd, readable, writable, appending, created, closefd, blksize, opened: true };
    }
    abstract_::setattr(o, &unicode::new("name"), Some(file))?;
    if appending {
        // As CPython: start at the end, so tell() is right; a failure is ignored.
        // SAFETY: an open descriptor.
        unsafe { lseek(fd, 0, 2) };
    }
    Ok(())
}
super::init_slot!(init, file_init);

/// `os.fspath(file)` as bytes (str is encoded with the filesystem encoding, UTF-8 with
/// surrogateescape).
fn fspath_bytes(file: &Obj) -> PyResult<Vec<u8>> {
    let p = if unicode::check(file) || bytes::check(file) {
        file.new_ref()
    } else if let Some(f) = argparse::lookup_special(file, "__fspath__")? {
        let r = abstract_::call_no_args(&f)?;
        if !unicode::check(&r) && !bytes::check(&r) {
            return Err(raise!(
                TypeError,
                "expected {}.__fspath__() to return str or bytes, not {}",
                file.ob_type().name(),
                r.ob_type().name()
            ));
        }
        r
    } else {
        return Err(raise!(TypeError, "expected str, bytes or os.PathLike object, not {}", file.ob_type().name()));
    };
    if bytes::check(&p) {
        return Ok(bytes::as_bytes(&p).to_vec());
    }
    let b = crate::codecs::encode_text(&p, "utf-8", "surrogateescape")?;
    Ok(bytes::as_bytes(&b).to_vec())
}

fn mode_string(f: &File) -> &'static str {
    if f.created {
        if f.readable { "xb+" } else { "xb" }
    } else if f.appending {
        if f.readable { "ab+" } else { "ab" }
    } else if f.readable {
        if f.writable { "rb+" } else { "rb" }
    } else {
        "wb"
    }
}

fn file_repr(o: &Obj) -> PyResult<PyRef> {
    let tn = super::tp_name(o);
    let (fd, mode, closefd) = {
        let f = state(o)?;
        if !f.opened || f.fd < 0 {
            return Ok(unicode::new(&format!("<{tn} [closed]>")));
        }
        (f.fd, mode_string(&f), f.closefd)
    };
    let cf = if closefd { "True" } else { "False" };
    Ok(unicode::new(&match super::name_repr(o)? {
        Some(n) => format!("<{tn} name={n} mode='{mode}' closefd={cf}>"),
        None => format!("<{tn} fd={fd} mode='{mode}' closefd={cf}>"),
    }))
}
super::repr_slot!(repr, file_repr);

method_table!(pub(crate) static METHODS = [
        fast c"read" => m_read,
        noargs c"readall" => m_readall,
        o c"readinto" => m_readinto,
        o c"write" => m_write,
        fast c"seek" => m_seek,
        noargs c"tell" => m_tell,
        fast c"truncate" => m_truncate,
        noargs c"close" => m_close,
        noargs c"seekable" => m_seekable,
        noargs c"readable" => m_readable,
        noargs c"writable" => m_writable,
        noargs c"fileno" => m_fileno,
        noargs c"isatty" => m_isatty,
        noargs c"_isatty_open_only" => m_isatty,
        o c"_dealloc_warn" => m_dealloc_warn,
]);

pub(crate) static GETSET: crate::objects::type_::StaticTable<PyGetSetDef, 4> = crate::objects::type_::StaticTable(core::cell::UnsafeCell::new([
    crate::getter_def!(c"closed", g_closed),
    crate::getter_def!(c"closefd", g_closefd),
    crate::getter_def!(c"mode", g_mode),
    crate::objects::type_::GETSET_END,
]));

pub(crate) fn closed(o: &Obj) -> PyResult<bool> {
    let f = state(o)?;
    Ok(!f.opened || f.fd < 0)
}

fn g_closed(o: &Obj) -> PyResult<PyRef> {
    let f = state(o)?;
    Ok(bool_::new(!f.opened || f.fd < 0))
}

fn g_closefd(o: &Obj) -> PyResult<PyRef> {
    Ok(bool_::new(state(o)?.closefd))
}

fn g_mode(o: &Obj) -> PyResult<PyRef> {
    Ok(unicode::new(mode_string(&*state(o)?)))
}

fn check_readable(o: &Obj) -> PyResult<i32> {
    let fd = fd_of(o)?;
    if !state(o)?.readable {
        return Err(unsupported("File not open for reading"));
    }
    Ok(fd)
}

fn check_writable(o: &Obj) -> PyResult<i32> {
    let fd = fd_of(o)?;
    if !state(o)?.writable {
        return Err(unsupported("File not open for writing"));
    }
    Ok(fd)
}

/// One `read(2)` into `buf`, retried on EINTR; `None` for EAGAIN.
fn read_fd(fd: i32, buf: &mut [u8]) -> PyResult<Option<usize>> {
    loop {
        match as_file(fd).read(buf) {
            Ok(n) => return Ok(Some(n)),
            Err(e) if errno_of(&e) == EINTR => continue,
            Err(e) if errno_of(&e) == EAGAIN => return Ok(None),
            Err(e) => return Err(os_error(errno_of(&e), None)),
        }
    }
}

fn m_read(o: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    argparse::check_positional("read", a.len(), 0, 1)?;
    let fd = check_readable(o)?;
    let n = size_arg(a.first().copied())?;
    if n < 0 {
        return m_readall(o);
    }
    let mut buf = vec![0u8; n as usize];
    match read_fd(fd, &mut buf)? {
        None => Ok(none::none()),
        Some(k) => Ok(bytes::new(&buf[..k])),
    }
}

fn m_readall(o: &Obj) -> PyResult<PyRef> {
    let fd = fd_of(o)?;
    let mut out: Vec<u8> = Vec::new();
    // Size hint: what is left of a regular file.
    let f = as_file(fd);
    if let (Ok(m), Ok(pos)) = (f.metadata(), (&*f).stream_position()) {
        if m.is_file() && m.len() > pos {
            out.reserve((m.len() - pos) as usize + 1);
        }
    }
    let mut chunk = vec![0u8; 64 * 1024];
    loop {
        match read_fd(fd, &mut chunk)? {
            None => {
                if out.is_empty() {
                    return Ok(none::none());
                }
                break;
            }
            Some(0) => break,
            Some(k) => out.extend_from_slice(&chunk[..k]),
        }
    }
    Ok(bytes::new(&out))
}

fn m_readinto(o: &Obj, b: &Obj) -> PyResult<PyRef> {
    let fd = check_readable(o)?;
    let r = super::with_writable_buffer(b, |buf| read_fd(fd, buf))??;
    Ok(match r {
        None => none::none(),
        Some(k) => long::from_usize(k),
    })
}

fn m_write(o: &Obj, b: &Obj) -> PyResult<PyRef> {
    let fd = check_writable(o)?;
    let data = bytes::bytes_like(b)?;
    loop {
        match as_file(fd).write(&data) {
            Ok(n) => return Ok(long::from_usize(n)),
            Err(e) if errno_of(&e) == EINTR => continue,
            Err(e) if errno_of(&e) == EAGAIN => return Ok(none::none()),
            Err(e) => return Err(os_error(errno_of(&e), None)),
        }
    }
}

fn m_seek(o: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    argparse::check_positional("seek", a.len(), 1, 2)?;
    let fd = fd_of(o)?;
    if float::check(a[0]) {
        return Err(raise!(TypeError, "an integer is required"));
    }
    let pos = long::to_i64(&*abstract_::index(a[0])?).ok_or_else(|| raise!(OverflowError, "Python int too large to convert to C long"))?;
    let whence = match a.get(1) {
        Some(w) => argparse::c_int(w)?,
        None => 0,
    };
    // SAFETY: an open descriptor.
    let r = unsafe { lseek(fd, pos as c_long, whence) };
    if r < 0 {
        return Err(last_os_error(None));
    }
    Ok(long::from_i64(r as i64))
}

fn m_tell(o: &Obj) -> PyResult<PyRef> {
    let fd = fd_of(o)?;
    // SAFETY: an open descriptor.
    let r = unsafe { lseek(fd, 0, 1) };
    if r < 0 {
        return Err(last_os_error(None));
    }
    Ok(long::from_i64(r as i64))
}

fn m_truncate(o: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    argparse::check_positional("truncate", a.len(), 0, 1)?;
    let fd = check_writable(o)?;
    let size = match a.first().filter(|x| !is_none(x)) {
        Some(s) => long::to_i64(&*abstract_::index(s)?).ok_or_else(|| raise!(OverflowError, "Python int too large to convert to C long"))?,
        None => (&*as_file(fd)).stream_position().map_err(|e| os_error(errno_of(&e), None))? as i64,
    };
    if size < 0 {
        return Err(os_error(22, None));
    }
    as_file(fd).set_len(size as u64).map_err(|e| os_error(errno_of(&e), None))?;
    Ok(long::from_i64(size))
}

fn m_close(o: &Obj) -> PyResult<PyRef> {
    // `_RawIOBase.close` first (flush, the closed flag), then the descriptor.
    let base = super::iobase_close(o);
    let (fd, closefd) = {
        let mut f = state(o)?;
        let r = (f.fd, f.closefd && f.opened);
        f.fd = -1;
        r
    };
    if fd >= 0 && closefd {
        // SAFETY: the descriptor this object owned; it is forgotten above.
        if unsafe { close(fd) } < 0 {
            let e = last_os_error(None);
            base?;
            return Err(e);
        }
    }
    base
}

fn m_seekable(o: &Obj) -> PyResult<PyRef> {
    let fd = fd_of(o)?;
    // SAFETY: an open descriptor.
    Ok(bool_::new(unsafe { lseek(fd, 0, 1) } >= 0))
}

fn m_readable(o: &Obj) -> PyResult<PyRef> {
    fd_of(o)?;
    Ok(bool_::new(state(o)?.readable))
}

fn m_writable(o: &Obj) -> PyResult<PyRef> {
    fd_of(o)?;
    Ok(bool_::new(state(o)?.writable))
}

fn m_fileno(o: &Obj) -> PyResult<PyRef> {
    Ok(long::from_i64(fd_of(o)? as i64))
}

fn m_isatty(o: &Obj) -> PyResult<PyRef> {
    let fd = fd_of(o)?;
    // SAFETY: an open descriptor.
    Ok(bool_::new(unsafe { isatty(fd) } == 1))
}

fn m_dealloc_warn(_o: &Obj, _src: &Obj) -> PyResult<PyRef> {
    Ok(none::none())
}
