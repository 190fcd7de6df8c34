//! The `PyOS_*` helpers: string/number conversions (`pystrtod.h`, `pystrcmp.h`, `longobject.h`'s
//! `PyOS_strtol`), signal handlers (`pythonrun.h`), fork hooks and `PyOS_FSPath`.

use core::ffi::{c_char, c_int, c_long, c_ulong};
use core::ptr::null_mut;

use pyrite_abi::*;
use pyrite_vm::objects::{float, type_::TypeObj};
use pyrite_vm::{raise, PyErr, PyRef};

use crate::boundary::obj;
use crate::capi;

unsafe extern "C" {
    fn __errno_location() -> *mut c_int;
    fn sigaction(sig: c_int, act: *const SigAction, old: *mut SigAction) -> c_int;
}

const ERANGE: c_int = 34;
const SA_ONSTACK: c_int = 0x0800_0000;

/// glibc's `struct sigaction` on Linux x86-64/aarch64.
#[repr(C)]
struct SigAction {
    handler: usize,
    mask: [u64; 16],
    flags: c_int,
    restorer: usize,
}

/// `Py_ISSPACE`.
fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c)
}

fn digit_value(c: u8) -> u32 {
    match c {
        b'0'..=b'9' => (c - b'0') as u32,
        b'a'..=b'z' => (c - b'a') as u32 + 10,
        b'A'..=b'Z' => (c - b'A') as u32 + 10,
        _ => 37,
    }
}

/// CPython's `PyOS_strtoul` on a NUL-terminated string: `(value, end offset, overflowed)`.
unsafe fn strtoul(s: *const c_char, mut base: c_int) -> (c_ulong, usize, bool) {
    // SAFETY: NUL-terminated by the caller.
    let at = |i: usize| unsafe { *s.add(i) } as u8;
    let mut i = 0;
    while is_space(at(i)) {
        i += 1;
    }
    let prefix = |c: u8| match c {
        b'x' | b'X' => 16,
        b'o' | b'O' => 8,
        b'b' | b'B' => 2,
        _ => 0,
    };
    if base == 0 {
        if at(i) == b'0' {
            i += 1;
            let p = prefix(at(i));
            if p != 0 {
                if digit_value(at(i + 1)) >= p {
                    return (0, i, false);
                }
                i += 1;
                base = p as c_int;
            } else {
                while at(i) == b'0' {
                    i += 1;
                }
                while is_space(at(i)) {
                    i += 1;
                }
                return (0, i, false);
            }
        } else {
            base = 10;
        }
    } else if (base == 2 || base == 8 || base == 16) && at(i) == b'0' && prefix(at(i + 1)) == base as u32 {
        if digit_value(at(i + 2)) >= base as u32 {
            return (0, i + 1, false);
        }
        i += 2;
    }
    if !(2..=36).contains(&base) {
        return (0, i, false);
    }
    let mut result: c_ulong = 0;
    let mut overflow = false;
    while digit_value(at(i)) < base as u32 {
        match result.checked_mul(base as c_ulong).and_then(|r| r.checked_add(digit_value(at(i)) as c_ulong)) {
            Some(r) if !overflow => result = r,
            _ => overflow = true,
        }
        i += 1;
    }
    if overflow { (c_ulong::MAX, i, true) } else { (result, i, false) }
}

fn set_errno(e: c_int) {
    // SAFETY: the thread's errno.
    unsafe { *__errno_location() = e };
}

/// `PyOS_double_to_string`'s formatting, without the allocation.
fn format_double(v: f64, code: u8, precision: c_int, flags: c_int) -> Option<String> {
    const SIGN: c_int = 1;
    const ADD_DOT_0: c_int = 2;
    const ALT: c_int = 4;
    const NO_NEG_0: c_int = 8;
    if code == b'r' {
        if precision != 0 {
            return None;
        }
        let v = if flags & NO_NEG_0 != 0 && v == 0.0 { 0.0 } else { v };
        return Some(float::format_r(v, flags & ADD_DOT_0 != 0, flags & SIGN != 0));
    }
    if !matches!(code, b'e' | b'E' | b'f' | b'F' | b'g' | b'G') {
        return None;
    }
    let mut spec = String::new();
    if flags & SIGN != 0 {
        spec.push('+');
    }
    if flags & NO_NEG_0 != 0 {
        spec.push('z');
    }
    if flags & ALT != 0 {
        spec.push('#');
    }
    spec.push_str(&format!(".{}{}", precision.max(0), code as char));
    let r = pyrite_vm::format::format_builtin(&float::new(v), &spec).ok()?;
    let mut s = pyrite_vm::objects::unicode::as_str(&r).ok()?.to_string();
    if flags & ADD_DOT_0 != 0 && v.is_finite() && s.bytes().all(|c| c.is_ascii_digit() || c == b'-' || c == b'+') {
        s.push_str(".0");
    }
    Some(s)
}

capi! {
    fn PyOS_FSPath(path: *mut PyObject) -> *mut PyObject [null_mut()] {
        crate::unicodeobject::fs_path(obj(path)?).map(PyRef::into_raw)
    }
    fn PyOS_InterruptOccurred() -> c_int [0] {
        Ok(pyrite_vm::stdlib::signal::take_interrupt() as c_int)
    }
    /// The fork hooks keep the GIL consistent across `fork()` (see `pyrite_vm::gil`); there
    /// are no `os.register_at_fork` callbacks yet.
    // With `os.register_at_fork`'s hooks, as CPython runs them.
    fn PyOS_BeforeFork() -> () [()] { pyrite_vm::stdlib::posix::before_fork(); Ok(()) }
    fn PyOS_AfterFork_Parent() -> () [()] { pyrite_vm::stdlib::posix::after_fork_parent(); Ok(()) }
    fn PyOS_AfterFork_Child() -> () [()] { pyrite_vm::stdlib::posix::after_fork_child(); Ok(()) }
    fn PyOS_AfterFork() -> () [()] { pyrite_vm::stdlib::posix::after_fork_child(); Ok(()) }

    /// The current handler of `sig` (`SIG_ERR`, i.e. -1, if it cannot be read).
    fn PyOS_getsig(sig: c_int) -> usize [usize::MAX] {
        let mut old: SigAction = core::mem::zeroed();
        if sigaction(sig, core::ptr::null(), &mut old) != 0 { return Ok(usize::MAX); }
        Ok(old.handler)
    }
    /// Installs `handler` for `sig` with `SA_ONSTACK`, as CPython does; returns the old one.
    fn PyOS_setsig(sig: c_int, handler: usize) -> usize [usize::MAX] {
        let mut act: SigAction = core::mem::zeroed();
        act.handler = handler;
        act.flags = SA_ONSTACK;
        let mut old: SigAction = core::mem::zeroed();
        if sigaction(sig, &act, &mut old) != 0 { return Ok(usize::MAX); }
        Ok(old.handler)
    }

    fn PyOS_mystricmp(a: *const c_char, b: *const c_char) -> c_int [0] {
        let (mut p, mut q) = (a as *const u8, b as *const u8);
        while *p != 0 && *q != 0 && (*p).to_ascii_lowercase() == (*q).to_ascii_lowercase() {
            p = p.add(1);
            q = q.add(1);
        }
        Ok((*p).to_ascii_lowercase() as c_int - (*q).to_ascii_lowercase() as c_int)
    }
    fn PyOS_mystrnicmp(a: *const c_char, b: *const c_char, size: Py_ssize_t) -> c_int [0] {
        let mut n = size;
        if n == 0 { return Ok(0); }
        let (mut p, mut q) = (a as *const u8, b as *const u8);
        loop {
            n -= 1;
            if !(n > 0 && *p != 0 && *q != 0 && (*p).to_ascii_lowercase() == (*q).to_ascii_lowercase()) { break; }
            p = p.add(1);
            q = q.add(1);
        }
        Ok((*p).to_ascii_lowercase() as c_int - (*q).to_ascii_lowercase() as c_int)
    }

    fn PyOS_strtoul(s: *const c_char, end: *mut *mut c_char, base: c_int) -> c_ulong [0] {
        let (v, n, overflow) = strtoul(s, base);
        if !end.is_null() { *end = s.add(n) as *mut c_char; }
        if overflow { set_errno(ERANGE); }
        Ok(v)
    }
    fn PyOS_strtol(s: *const c_char, end: *mut *mut c_char, base: c_int) -> c_long [0] {
        let mut p = s;
        while is_space(*p as u8) { p = p.add(1); }
        let sign = *p as u8;
        if sign == b'+' || sign == b'-' { p = p.add(1); }
        let (u, n, overflow) = strtoul(p, base);
        if !end.is_null() { *end = p.add(n) as *mut c_char; }
        if overflow { set_errno(ERANGE); }
        Ok(if u <= c_long::MAX as c_ulong {
            if sign == b'-' { -(u as c_long) } else { u as c_long }
        } else if sign == b'-' && u == c_long::MIN.unsigned_abs() {
            c_long::MIN
        } else {
            set_errno(ERANGE);
            c_long::MAX
        })
    }

    /// Parses a float (no surrounding whitespace); `endptr` NULL requires the whole string.
    /// Overflow raises `overflow_exception`, or returns ±inf when it is NULL.
    fn PyOS_string_to_double(s: *const c_char, endptr: *mut *mut c_char, overflow_exception: *mut PyObject) -> f64 [-1.0] {
        let text = core::ffi::CStr::from_ptr(s).to_bytes();
        let shown = String::from_utf8_lossy(&text[..text.len().min(200)]).into_owned();
        let invalid = || raise!(ValueError, "could not convert string to float: '{}'", shown);
        let Some((v, n)) = float::parse_prefix(text) else {
            if !endptr.is_null() { *endptr = s as *mut c_char; }
            return Err(invalid());
        };
        if endptr.is_null() && n != text.len() {
            return Err(invalid());
        }
        if !endptr.is_null() { *endptr = s.add(n) as *mut c_char; }
        let overflowed = v.is_infinite() && text[..n].iter().any(u8::is_ascii_digit);
        if overflowed && !overflow_exception.is_null() {
            let ty = TypeObj::downcast(obj(overflow_exception)?).unwrap_or(pyrite_vm::objects::exceptions::OverflowError());
            return Err(PyErr::new(ty, format!("value too large to convert to float: '{shown}'")));
        }
        Ok(v)
    }
    /// A `PyMem_Malloc`ed string (free with `PyMem_Free`); `*type` gets 0 finite, 1 infinite,
    /// 2 NaN. Codes: e E f F g G, and r (repr; precision must be 0).
    fn PyOS_double_to_string(v: f64, code: c_char, precision: c_int, flags: c_int, ty: *mut c_int) -> *mut c_char [null_mut()] {
        let Some(s) = format_double(v, code as u8, precision, flags) else {
            return Err(crate::boundary::bad_internal_call());
        };
        if !ty.is_null() { *ty = if v.is_nan() { 2 } else if v.is_infinite() { 1 } else { 0 }; }
        let p = pyrite_vm::alloc::raw_malloc(s.len() + 1) as *mut u8;
        if p.is_null() { return Err(PyErr::from_type_no_args(pyrite_vm::objects::exceptions::MemoryError())); }
        core::ptr::copy_nonoverlapping(s.as_ptr(), p, s.len());
        *p.add(s.len()) = 0;
        Ok(p as *mut c_char)
    }
}

