//! `_stat`: the file-mode constants of `<sys/stat.h>` (Linux values; the BSD/macOS file flags
//! and the modes Linux has no file type for are the numbers CPython exports there), the
//! `S_IS*` tests, `S_IMODE`/`S_IFMT`, and `filemode`. `Lib/stat.py` imports it over its own
//! pure definitions.

use crate::err::PyResult;
use crate::method_table;
use crate::object::{Obj, PyRef};
use crate::objects::{bool_, long, unicode};

const S_IFMT: u32 = 0o170000;
const S_IFSOCK: u32 = 0o140000;
const S_IFLNK: u32 = 0o120000;
const S_IFREG: u32 = 0o100000;
const S_IFBLK: u32 = 0o060000;
const S_IFDIR: u32 = 0o040000;
const S_IFCHR: u32 = 0o020000;
const S_IFIFO: u32 = 0o010000;
const S_ISUID: u32 = 0o4000;
const S_ISGID: u32 = 0o2000;
const S_ISVTX: u32 = 0o1000;

const CONSTANTS: &[(&str, i64)] = &[
    ("S_IFSOCK", S_IFSOCK as i64), ("S_IFLNK", S_IFLNK as i64), ("S_IFREG", S_IFREG as i64), ("S_IFBLK", S_IFBLK as i64),
    ("S_IFDIR", S_IFDIR as i64), ("S_IFCHR", S_IFCHR as i64), ("S_IFIFO", S_IFIFO as i64),
    // No doors, event ports or whiteouts on Linux.
    ("S_IFDOOR", 0), ("S_IFPORT", 0), ("S_IFWHT", 0),
    ("S_ISUID", S_ISUID as i64), ("S_ISGID", S_ISGID as i64), ("S_ISVTX", S_ISVTX as i64), ("S_ENFMT", S_ISGID as i64),
    ("S_IREAD", 0o400), ("S_IWRITE", 0o200), ("S_IEXEC", 0o100),
    ("S_IRWXU", 0o700), ("S_IRUSR", 0o400), ("S_IWUSR", 0o200), ("S_IXUSR", 0o100),
    ("S_IRWXG", 0o070), ("S_IRGRP", 0o040), ("S_IWGRP", 0o020), ("S_IXGRP", 0o010),
    ("S_IRWXO", 0o007), ("S_IROTH", 0o004), ("S_IWOTH", 0o002), ("S_IXOTH", 0o001),
    ("UF_SETTABLE", 0x0000ffff), ("UF_NODUMP", 0x1), ("UF_IMMUTABLE", 0x2), ("UF_APPEND", 0x4), ("UF_OPAQUE", 0x8),
    ("UF_NOUNLINK", 0x10), ("UF_COMPRESSED", 0x20), ("UF_TRACKED", 0x40), ("UF_DATAVAULT", 0x80), ("UF_HIDDEN", 0x8000),
    ("SF_SETTABLE", 0xffff0000), ("SF_ARCHIVED", 0x10000), ("SF_IMMUTABLE", 0x20000), ("SF_APPEND", 0x40000),
    ("SF_NOUNLINK", 0x100000), ("SF_SNAPSHOT", 0x200000), ("SF_FIRMLINK", 0x800000), ("SF_DATALESS", 0x40000000),
    // Indexes into the tuple form of `os.stat()`.
    ("ST_MODE", 0), ("ST_INO", 1), ("ST_DEV", 2), ("ST_NLINK", 3), ("ST_UID", 4), ("ST_GID", 5),
    ("ST_SIZE", 6), ("ST_ATIME", 7), ("ST_MTIME", 8), ("ST_CTIME", 9),
];

/// A `mode_t` argument, with CPython's errors (`_PyLong_AsMode_t`).
fn mode(o: &Obj) -> PyResult<u32> {
    let i = crate::abstract_::index(o)?;
    if long::is_negative(&i) {
        return Err(raise!(OverflowError, "can't convert negative value to unsigned int"));
    }
    let v = long::to_u64(&i).ok_or_else(|| raise!(OverflowError, "Python int too large to convert to C unsigned long"))?;
    u32::try_from(v).map_err(|_| raise!(OverflowError, "mode out of range"))
}

macro_rules! is_type {
    ($($f:ident => $t:expr),* $(,)?) => {$(
        fn $f(_m: &Obj, o: &Obj) -> PyResult<PyRef> {
            let t: u32 = $t;
            Ok(bool_::new(t != 0 && mode(o)? & S_IFMT == t))
        }
    )*};
}

is_type! {
    s_isdir => S_IFDIR, s_ischr => S_IFCHR, s_isblk => S_IFBLK, s_isreg => S_IFREG, s_isfifo => S_IFIFO,
    s_islnk => S_IFLNK, s_issock => S_IFSOCK, s_isdoor => 0, s_isport => 0, s_iswht => 0,
}

fn s_imode(_m: &Obj, o: &Obj) -> PyResult<PyRef> {
    Ok(long::from_i64((mode(o)? & 0o7777) as i64))
}

fn s_ifmt(_m: &Obj, o: &Obj) -> PyResult<PyRef> {
    Ok(long::from_i64((mode(o)? & S_IFMT) as i64))
}

/// `filemode(mode)`: `ls -l`'s ten characters, e.g. `-rwxr-xr-x`.
fn filemode(_m: &Obj, o: &Obj) -> PyResult<PyRef> {
    let m = mode(o)?;
    let kind = match m & S_IFMT {
        S_IFREG => '-',
        S_IFDIR => 'd',
        S_IFCHR => 'c',
        S_IFBLK => 'b',
        S_IFIFO => 'p',
        S_IFLNK => 'l',
        S_IFSOCK => 's',
        _ => '?',
    };
    let mut s = String::with_capacity(10);
    s.push(kind);
    // Owner, group, others: read, write, then execute merged with setuid/setgid/sticky.
    for (shift, special, on, off) in [(6, S_ISUID, 's', 'S'), (3, S_ISGID, 's', 'S'), (0, S_ISVTX, 't', 'T')] {
        let bits = (m >> shift) & 7;
        s.push(if bits & 4 != 0 { 'r' } else { '-' });
        s.push(if bits & 2 != 0 { 'w' } else { '-' });
        s.push(match (m & special != 0, bits & 1 != 0) {
            (true, true) => on,
            (true, false) => off,
            (false, true) => 'x',
            (false, false) => '-',
        });
    }
    Ok(unicode::new(&s))
}

method_table!(static METHODS = [
    o c"S_ISDIR" => s_isdir,
    o c"S_ISCHR" => s_ischr,
    o c"S_ISBLK" => s_isblk,
    o c"S_ISREG" => s_isreg,
    o c"S_ISFIFO" => s_isfifo,
    o c"S_ISLNK" => s_islnk,
    o c"S_ISSOCK" => s_issock,
    o c"S_ISDOOR" => s_isdoor,
    o c"S_ISPORT" => s_isport,
    o c"S_ISWHT" => s_iswht,
    o c"S_IMODE" => s_imode,
    o c"S_IFMT" => s_ifmt,
    o c"filemode" => filemode,
]);

pub fn create() -> PyResult<PyRef> {
    // SAFETY: the table is static.
    let m = unsafe { super::new_module("_stat", METHODS.0.get() as *mut pyrite_abi::PyMethodDef)? };
    super::add_ints(&m, CONSTANTS)?;
    Ok(m)
}
