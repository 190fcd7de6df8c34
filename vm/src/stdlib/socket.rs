//! `_socket`: BSD sockets as CPython's `Modules/socketmodule.c` makes them on Linux — the
//! `_socket.socket` type `Lib/socket.py` subclasses (AF_INET, AF_INET6 and AF_UNIX addresses),
//! name resolution (`getaddrinfo`, `getnameinfo`, `gethostbyname`, services and protocols), address conversions and byte-order
//! helpers, and the `gaierror`/`herror` exceptions.
//!
//! Timeouts work as CPython's do: a socket with a timeout has `O_NONBLOCK` set, and each
//! operation first polls for readiness until the deadline (`TimeoutError("timed out")`), then
//! retries the call while it would block. Every wait and system call runs detached from the
//! GIL and is retried after `EINTR` once pending signal handlers have run (PEP 475).

use core::ffi::{c_int, c_void};
use std::ffi::{CStr, CString};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use pyrite_abi::*;

use crate::abstract_;
use crate::err::{PyErr, PyResult};
use crate::object::{Obj, PyRef, SyncPtr};
use crate::objects::argparse::{self, Kw, Sig};
use crate::objects::type_::{self, BUILTIN_BASETYPE_FLAGS};
use crate::objects::{bool_, bytes, dict, float, list, long, module, none, tuple, unicode};
use crate::stdlib::io::{init_slot, repr_slot, InitArgs};
use crate::{method_table, private_static_type};

// ---- the socket object ----------------------------------------------------------------------

#[repr(C)]
struct SocketObject {
    ob_base: PyObject,
    fd: c_int,
    family: c_int,
    type_: c_int,
    proto: c_int,
    /// Nanoseconds; -1: blocking without timeout (None), 0: non-blocking.
    timeout: i64,
}

private_static_type!(SOCKET_TYPE, c"_socket.socket", core::mem::size_of::<SocketObject>(), {
    tp_flags: BUILTIN_BASETYPE_FLAGS,
    tp_dealloc: Some(sock_dealloc),
    tp_repr: Some(sock_repr),
    tp_methods: SOCK_METHODS.0.get() as *mut PyMethodDef,
    tp_getset: SOCK_GETSET.0.get() as *mut PyGetSetDef,
    tp_init: Some(sock_init),
    tp_new: Some(sock_new),
    tp_alloc: Some(crate::alloc::generic_alloc),
    tp_free: Some(crate::alloc::object_free),
});

fn raw(o: &Obj) -> *mut SocketObject {
    o.as_ptr() as *mut SocketObject
}

/// The socket fields of `o` (an instance of `_socket.socket` or a subclass, as method
/// descriptors guarantee); only touched under the GIL.
fn sock(o: &Obj) -> &mut SocketObject {
    // SAFETY: see above.
    unsafe { &mut *raw(o) }
}

unsafe extern "C" fn sock_new(t: *mut PyTypeObject, _a: *mut PyObject, _k: *mut PyObject) -> *mut PyObject {
    // SAFETY: tp_new contract; zeroed memory of our layout is filled below.
    unsafe {
        let alloc = (*t).tp_alloc.unwrap_or(crate::alloc::generic_alloc);
        let o = alloc(t, 0);
        if !o.is_null() {
            let s = o as *mut SocketObject;
            (*s).fd = -1;
            (*s).timeout = -1;
        }
        o
    }
}

unsafe extern "C" fn sock_dealloc(o: *mut PyObject) {
    // SAFETY: a dead socket object: close its descriptor, then free its memory.
    unsafe {
        let s = o as *mut SocketObject;
        if (*s).fd >= 0 {
            libc::close((*s).fd);
        }
        match (*(*o).ob_type).tp_free {
            Some(free) => free(o as *mut c_void),
            None => crate::alloc::free_object(o),
        }
    }
}

repr_slot!(sock_repr, repr);
fn repr(o: &Obj) -> PyResult<PyRef> {
    let s = sock(o);
    Ok(unicode::new(&format!("<socket object, fd={}, family={}, type={}, proto={}>", s.fd, s.family, s.type_, s.proto)))
}

static DEFAULT_TIMEOUT: AtomicI64 = AtomicI64::new(-1);

fn errno() -> c_int {
    super::posix::errno()
}

fn os_error(code: c_int) -> PyErr {
    super::posix::os_error(code, None, None)
}

fn timed_out() -> PyErr {
    raise!(TimeoutError, "timed out")
}

fn set_nonblocking(fd: c_int, nonblocking: bool) -> PyResult<()> {
    // SAFETY: fcntl on a descriptor number.
    unsafe {
        let flags = libc::fcntl(fd, libc::F_GETFL);
        if flags < 0 {
            return Err(os_error(errno()));
        }
        let new = if nonblocking { flags | libc::O_NONBLOCK } else { flags & !libc::O_NONBLOCK };
        if new != flags && libc::fcntl(fd, libc::F_SETFL, new) < 0 {
            return Err(os_error(errno()));
        }
    }
    Ok(())
}

/// Waits until `fd` is readable (or writable) or `deadline` passes; `false` on timeout.
fn wait_fd(fd: c_int, writing: bool, deadline: Option<Instant>) -> PyResult<bool> {
    loop {
        let ms = match deadline {
            None => -1,
            Some(d) => {
                let left = d.saturating_duration_since(Instant::now());
                if left.is_zero() {
                    return Ok(false);
                }
                (left.as_nanos().div_ceil(1_000_000)).min(c_int::MAX as u128) as c_int
            }
        };
        let mut p = libc::pollfd { fd, events: if writing { libc::POLLOUT } else { libc::POLLIN }, revents: 0 };
        // SAFETY: one pollfd, detached from the GIL.
        let n = crate::gil::allow_threads(|| unsafe { libc::poll(&mut p, 1, ms) });
        if n < 0 {
            if errno() == libc::EINTR {
                super::signal::check_signals()?;
                continue;
            }
            return Err(os_error(errno()));
        }
        return Ok(n > 0);
    }
}

/// Runs a socket system call (`op` returns -1 and sets errno on failure) as CPython's
/// `sock_call` does: waiting for readiness first when the socket has a timeout, detached from
/// the GIL, retried after EINTR and, with a timeout, while it would block.
fn sock_call(o: &Obj, writing: bool, op: impl FnMut(c_int) -> isize) -> PyResult<isize> {
    sock_call_until(o, writing, deadline(o), op)
}

/// When an operation starting now must end: `None` without a (positive) timeout.
fn deadline(o: &Obj) -> Option<Instant> {
    let timeout = sock(o).timeout;
    (timeout > 0).then(|| Instant::now() + Duration::from_nanos(timeout as u64))
}

/// [`sock_call`] with the deadline of a longer operation (`sendall`'s timeout covers it all).
fn sock_call_until(o: &Obj, writing: bool, deadline: Option<Instant>, mut op: impl FnMut(c_int) -> isize) -> PyResult<isize> {
    let (fd, timeout) = (sock(o).fd, sock(o).timeout);
    loop {
        if timeout > 0 && !wait_fd(fd, writing, deadline)? {
            return Err(timed_out());
        }
        let r = crate::gil::allow_threads(|| op(fd));
        if r >= 0 {
            return Ok(r);
        }
        let e = errno();
        if e == libc::EINTR {
            super::signal::check_signals()?;
            continue;
        }
        if timeout > 0 && (e == libc::EWOULDBLOCK || e == libc::EAGAIN) {
            continue;
        }
        return Err(os_error(e));
    }
}

fn check_open(o: &Obj) -> PyResult<c_int> {
    Ok(sock(o).fd)
}

// ---- addresses ------------------------------------------------------------------------------

struct SockAddr {
    storage: libc::sockaddr_storage,
    len: libc::socklen_t,
}

impl SockAddr {
    fn empty() -> SockAddr {
        // SAFETY: an all-zero sockaddr_storage is valid.
        SockAddr { storage: unsafe { core::mem::zeroed() }, len: core::mem::size_of::<libc::sockaddr_storage>() as libc::socklen_t }
    }
    fn ptr(&self) -> *const libc::sockaddr {
        &self.storage as *const _ as *const libc::sockaddr
    }
    fn mut_ptr(&mut self) -> *mut libc::sockaddr {
        &mut self.storage as *mut _ as *mut libc::sockaddr
    }
}

fn gai_error(code: c_int) -> PyErr {
    if code == libc::EAI_SYSTEM {
        return os_error(errno());
    }
    // SAFETY: gai_strerror returns a static message.
    let msg = unsafe { CStr::from_ptr(libc::gai_strerror(code)) }.to_string_lossy().into_owned();
    let t = exception_type(&GAIERROR);
    match abstract_::call(t, &tuple::new_from_owned(vec![long::from_i64(code as i64), unicode::new(&msg)]), None) {
        Ok(e) => PyErr::from_value(e),
        Err(e) => e,
    }
}

/// getaddrinfo(3) as a list of owned results; `Err` is the gaierror.
fn resolve(host: Option<&CStr>, port: Option<&CStr>, family: c_int, socktype: c_int, proto: c_int, flags: c_int) -> PyResult<Vec<(c_int, c_int, c_int, Option<String>, SockAddr)>> {
    // SAFETY: zeroed hints are valid; the result list is freed below.
    unsafe {
        let mut hints: libc::addrinfo = core::mem::zeroed();
        hints.ai_family = family;
        hints.ai_socktype = socktype;
        hints.ai_protocol = proto;
        hints.ai_flags = flags;
        let mut res: *mut libc::addrinfo = core::ptr::null_mut();
        let (h, p) = (host.map_or(core::ptr::null(), |h| h.as_ptr()), port.map_or(core::ptr::null(), |p| p.as_ptr()));
        let code = crate::gil::allow_threads(|| libc::getaddrinfo(h, p, &hints, &mut res));
        if code != 0 {
            return Err(gai_error(code));
        }
        let mut out = Vec::new();
        let mut ai = res;
        while !ai.is_null() {
            let a = &*ai;
            let mut sa = SockAddr::empty();
            let n = (a.ai_addrlen as usize).min(core::mem::size_of::<libc::sockaddr_storage>());
            core::ptr::copy_nonoverlapping(a.ai_addr as *const u8, sa.mut_ptr() as *mut u8, n);
            sa.len = n as libc::socklen_t;
            let canon = (!a.ai_canonname.is_null()).then(|| CStr::from_ptr(a.ai_canonname).to_string_lossy().into_owned());
            out.push((a.ai_family, a.ai_socktype, a.ai_protocol, canon, sa));
            ai = a.ai_next;
        }
        libc::freeaddrinfo(res);
        Ok(out)
    }
}

/// CPython's `setipaddr`: a host name or numeric address as a socket address of `family`.
fn host_address(name: &str, family: c_int) -> PyResult<SockAddr> {
    let mut sa = SockAddr::empty();
    if name.is_empty() || name == "<broadcast>" {
        let ip = if name.is_empty() { libc::INADDR_ANY } else { libc::INADDR_BROADCAST };
        if family != libc::AF_INET && family != libc::AF_UNSPEC {
            return Err(raise!(OSError, "address family mismatched"));
        }
        set_v4(&mut sa, ip.to_be_bytes(), 0);
        return Ok(sa);
    }
    if family == libc::AF_INET || family == libc::AF_UNSPEC {
        if let Ok(ip) = name.parse::<std::net::Ipv4Addr>() {
            set_v4(&mut sa, ip.octets(), 0);
            return Ok(sa);
        }
    }
    if family == libc::AF_INET6 || family == libc::AF_UNSPEC {
        if let Ok(ip) = name.parse::<std::net::Ipv6Addr>() {
            set_v6(&mut sa, ip.octets(), 0, 0, 0);
            return Ok(sa);
        }
    }
    let host = CString::new(name).map_err(|_| raise!(TypeError, "host name must not contain null character"))?;
    let found = resolve(Some(&host), None, family, libc::SOCK_DGRAM, 0, 0)?;
    match found.into_iter().next() {
        Some(r) => Ok(r.4),
        None => Err(raise!(OSError, "address family mismatched")),
    }
}

fn set_v4(sa: &mut SockAddr, ip: [u8; 4], port: u16) {
    // SAFETY: sockaddr_storage is large and aligned enough for a sockaddr_in.
    let a = unsafe { &mut *(sa.mut_ptr() as *mut libc::sockaddr_in) };
    a.sin_family = libc::AF_INET as libc::sa_family_t;
    a.sin_port = port.to_be();
    a.sin_addr.s_addr = u32::from_ne_bytes(ip);
    sa.len = core::mem::size_of::<libc::sockaddr_in>() as libc::socklen_t;
}

fn set_v6(sa: &mut SockAddr, ip: [u8; 16], port: u16, flowinfo: u32, scope_id: u32) {
    // SAFETY: sockaddr_storage is large and aligned enough for a sockaddr_in6.
    let a = unsafe { &mut *(sa.mut_ptr() as *mut libc::sockaddr_in6) };
    a.sin6_family = libc::AF_INET6 as libc::sa_family_t;
    a.sin6_port = port.to_be();
    a.sin6_addr.s6_addr = ip;
    a.sin6_flowinfo = flowinfo.to_be();
    a.sin6_scope_id = scope_id;
    sa.len = core::mem::size_of::<libc::sockaddr_in6>() as libc::socklen_t;
}

/// The text of a host argument (str, or bytes/bytearray as ASCII-ish bytes).
fn host_text(o: &Obj, caller: &str) -> PyResult<String> {
    if unicode::check(o) {
        return Ok(unicode::as_str(o)?.to_owned());
    }
    if bytes::check(o) || crate::objects::bytearray::check(o) {
        return Ok(String::from_utf8_lossy(bytes::bytes_of(o)).into_owned());
    }
    Err(raise!(TypeError, "{}(): AF_INET address must be tuple, not {}", caller, o.ob_type().name()))
}

fn port_arg(o: &Obj, caller: &str) -> PyResult<u16> {
    if !argparse::index_check(o) || float::check(o) {
        return Err(raise!(TypeError, "'{}' object cannot be interpreted as an integer", o.ob_type().name()));
    }
    match long::to_i64(&*abstract_::index(o)?) {
        Some(p) if (0..=0xffff).contains(&p) => Ok(p as u16),
        _ => Err(raise!(OverflowError, "{}(): port must be 0-65535.", caller)),
    }
}

/// CPython's `getsockaddrarg`: a Python address for a socket of `family`.
fn sockaddr_arg(family: c_int, addr: &Obj, caller: &str) -> PyResult<SockAddr> {
    let mut sa = SockAddr::empty();
    match family {
        libc::AF_UNIX => {
            let path = if unicode::check(addr) {
                unicode::as_str(addr)?.as_bytes().to_vec()
            } else if let Some(b) = bytes::buffer_bytes(addr)? {
                b
            } else {
                let p = super::posix::fspath(addr).map_err(|_| {
                    raise!(TypeError, "{}(): AF_UNIX address must be str or bytes, not {}", caller, addr.ob_type().name())
                })?;
                super::posix::fs_encode(&p)?
            };
            // SAFETY: sockaddr_storage is large and aligned enough for a sockaddr_un.
            let un = unsafe { &mut *(sa.mut_ptr() as *mut libc::sockaddr_un) };
            if path.len() >= un.sun_path.len() {
                return Err(raise!(OSError, "AF_UNIX path too long"));
            }
            un.sun_family = libc::AF_UNIX as libc::sa_family_t;
            for (d, s) in un.sun_path.iter_mut().zip(&path) {
                *d = *s as libc::c_char;
            }
            // An abstract name (leading NUL) has exactly its length; a path includes its NUL.
            let extra = if path.first() == Some(&0) { 0 } else { 1 };
            sa.len = (core::mem::offset_of!(libc::sockaddr_un, sun_path) + path.len() + extra) as libc::socklen_t;
        }
        libc::AF_INET | libc::AF_INET6 => {
            let fam = if family == libc::AF_INET { "AF_INET" } else { "AF_INET6" };
            if !tuple::check(addr) {
                return Err(raise!(TypeError, "{}(): {} address must be tuple, not {}", caller, fam, addr.ob_type().name()));
            }
            let items = tuple::items(addr);
            let ok_len = if family == libc::AF_INET { items.len() == 2 } else { (2..=4).contains(&items.len()) };
            if !ok_len {
                return Err(if family == libc::AF_INET {
                    raise!(TypeError, "{}(): AF_INET address must be a pair (host, port)", caller)
                } else {
                    raise!(TypeError, "AF_INET6 address must be a tuple (host, port[, flowinfo[, scopeid]])")
                });
            }
            let host = host_text(items[0], caller)?;
            let port = port_arg(items[1], caller)?;
            let resolved = host_address(&host, family)?;
            if family == libc::AF_INET {
                // SAFETY: host_address gave an AF_INET address for family AF_INET.
                let ip = unsafe { (*(resolved.ptr() as *const libc::sockaddr_in)).sin_addr.s_addr };
                set_v4(&mut sa, ip.to_ne_bytes(), port);
            } else {
                let flowinfo = match items.get(2) {
                    Some(f) => match long::to_i64(&*abstract_::index(f)?) {
                        Some(v) if (0..=0xfffff).contains(&v) => v as u32,
                        _ => return Err(raise!(OverflowError, "{}(): flowinfo must be 0-1048575.", caller)),
                    },
                    None => 0,
                };
                let scope = match items.get(3) {
                    Some(s) => long::to_i64(&*abstract_::index(s)?).unwrap_or(0) as u32,
                    None => 0,
                };
                // SAFETY: host_address gave an AF_INET6 address for family AF_INET6.
                let ip = unsafe { (*(resolved.ptr() as *const libc::sockaddr_in6)).sin6_addr.s6_addr };
                set_v6(&mut sa, ip, port, flowinfo, scope);
            }
        }
        _ => return Err(raise!(OSError, "{}(): bad family", caller)),
    }
    Ok(sa)
}

fn ip_text(family: c_int, raw: &[u8]) -> String {
    if family == libc::AF_INET {
        std::net::Ipv4Addr::from(<[u8; 4]>::try_from(raw).unwrap_or([0; 4])).to_string()
    } else {
        std::net::Ipv6Addr::from(<[u8; 16]>::try_from(raw).unwrap_or([0; 16])).to_string()
    }
}

/// CPython's `makesockaddr`: a socket address as Python sees it.
fn sockaddr_obj(sa: &SockAddr) -> PyResult<PyRef> {
    if (sa.len as usize) < core::mem::size_of::<libc::sa_family_t>() {
        return Ok(none::none());
    }
    match sa.storage.ss_family as c_int {
        libc::AF_INET => {
            // SAFETY: an AF_INET address.
            let a = unsafe { &*(sa.ptr() as *const libc::sockaddr_in) };
            let ip = ip_text(libc::AF_INET, &a.sin_addr.s_addr.to_ne_bytes());
            Ok(tuple::new_from_owned(vec![unicode::new(&ip), long::from_i64(u16::from_be(a.sin_port) as i64)]))
        }
        libc::AF_INET6 => {
            // SAFETY: an AF_INET6 address.
            let a = unsafe { &*(sa.ptr() as *const libc::sockaddr_in6) };
            let ip = ip_text(libc::AF_INET6, &a.sin6_addr.s6_addr);
            Ok(tuple::new_from_owned(vec![
                unicode::new(&ip),
                long::from_i64(u16::from_be(a.sin6_port) as i64),
                long::from_i64(u32::from_be(a.sin6_flowinfo) as i64),
                long::from_i64(a.sin6_scope_id as i64),
            ]))
        }
        libc::AF_UNIX => {
            // SAFETY: an AF_UNIX address of `len` bytes.
            let un = unsafe { &*(sa.ptr() as *const libc::sockaddr_un) };
            let n = (sa.len as usize).saturating_sub(core::mem::offset_of!(libc::sockaddr_un, sun_path)).min(un.sun_path.len());
            let path: Vec<u8> = un.sun_path[..n].iter().map(|&c| c as u8).collect();
            if path.first() == Some(&0) {
                // Linux abstract namespace: the exact bytes.
                return Ok(bytes::new(&path));
            }
            let end = path.iter().position(|&c| c == 0).unwrap_or(path.len());
            super::posix::fs_decode(&path[..end], false)
        }
        f => Ok(tuple::new_from_owned(vec![long::from_i64(f as i64), bytes::new(&[])])),
    }
}

// ---- socket methods -------------------------------------------------------------------------

fn parse_timeout(o: &Obj) -> PyResult<i64> {
    if o.is(none::none_obj()) {
        return Ok(-1);
    }
    let secs = if float::check(o) {
        float::value(o)
    } else if argparse::index_check(o) {
        long::to_f64(&*abstract_::index(o)?)?
    } else {
        return Err(raise!(TypeError, "must be real number, not {}", o.ob_type().name()));
    };
    if secs.is_nan() {
        return Err(raise!(ValueError, "Invalid value NaN (not a number)"));
    }
    if secs < 0.0 {
        return Err(raise!(ValueError, "Timeout value out of range"));
    }
    if secs > 9.2e9 {
        return Err(raise!(OverflowError, "timeout doesn't fit into C timeval"));
    }
    Ok((secs * 1e9).ceil() as i64)
}

fn timeout_obj(ns: i64) -> PyRef {
    if ns < 0 { none::none() } else { float::new(ns as f64 / 1e9) }
}

init_slot!(sock_init, init);
fn init(o: &Obj, a: &InitArgs) -> PyResult<()> {
    let [family, type_, proto, fileno] = a.parse::<4>(&Sig { name: "socket", params: &["family", "type", "proto", "fileno"], posonly: 0, maxpos: 4, required: 0 })?;
    let int_or = |v: Option<&Obj>, d: c_int| -> PyResult<c_int> { argparse::not_none(v).map_or(Ok(d), argparse::c_int) };
    let mut family = int_or(family, -1)?;
    let mut ty = int_or(type_, -1)?;
    let mut proto = int_or(proto, -1)?;
    let fd = match argparse::not_none(fileno) {
        Some(f) => {
            let fd = if float::check(f) {
                return Err(raise!(TypeError, "'float' object cannot be interpreted as an integer"));
            } else {
                long::to_i64(&*abstract_::index(f)?).unwrap_or(-1)
            };
            if fd < 0 {
                return Err(raise!(ValueError, "negative file descriptor"));
            }
            if fd > c_int::MAX as i64 {
                return Err(raise!(OverflowError, "file descriptor would overflow SOCKET_T"));
            }
            let fd = fd as c_int;
            let opt = |name: c_int| -> PyResult<c_int> {
                let mut v: c_int = 0;
                let mut len = core::mem::size_of::<c_int>() as libc::socklen_t;
                // SAFETY: an int-sized out-buffer.
                if unsafe { libc::getsockopt(fd, libc::SOL_SOCKET, name, &mut v as *mut c_int as *mut c_void, &mut len) } < 0 {
                    return Err(os_error(errno()));
                }
                Ok(v)
            };
            if family == -1 {
                family = opt(libc::SO_DOMAIN)?;
            }
            if ty == -1 {
                ty = opt(libc::SO_TYPE)?;
            }
            if proto == -1 {
                proto = opt(libc::SO_PROTOCOL)?;
            }
            fd
        }
        None => {
            if family == -1 {
                family = libc::AF_INET;
            }
            if ty == -1 {
                ty = libc::SOCK_STREAM;
            }
            if proto == -1 {
                proto = 0;
            }
            // SAFETY: socket(2) with plain integers.
            let fd = unsafe { libc::socket(family, ty | libc::SOCK_CLOEXEC, proto) };
            if fd < 0 {
                return Err(os_error(errno()));
            }
            fd
        }
    };
    let s = sock(o);
    s.fd = fd;
    s.family = family;
    s.type_ = ty & !(libc::SOCK_NONBLOCK | libc::SOCK_CLOEXEC);
    s.proto = proto;
    s.timeout = if ty & libc::SOCK_NONBLOCK != 0 { 0 } else { DEFAULT_TIMEOUT.load(Ordering::Relaxed) };
    if s.timeout >= 0 {
        set_nonblocking(fd, true)?;
    }
    Ok(())
}

/// A new `_socket.socket` around `fd`, as `socketpair` and `accept` make them.
fn new_socket(fd: c_int, family: c_int, ty: c_int, proto: c_int) -> PyResult<PyRef> {
    type_::ready(&SOCKET_TYPE)?;
    // SAFETY: a ready type; tp_new fills the fields.
    let o = unsafe { crate::slot::from_new(sock_new(SOCKET_TYPE.raw(), core::ptr::null_mut(), core::ptr::null_mut()))? };
    let s = sock(&o);
    s.fd = fd;
    s.family = family;
    s.type_ = ty;
    s.proto = proto;
    s.timeout = DEFAULT_TIMEOUT.load(Ordering::Relaxed);
    if s.timeout >= 0 {
        set_nonblocking(fd, true)?;
    }
    Ok(o)
}

fn s_fileno(o: &Obj) -> PyResult<PyRef> {
    Ok(long::from_i64(sock(o).fd as i64))
}

fn s_detach(o: &Obj) -> PyResult<PyRef> {
    let fd = core::mem::replace(&mut sock(o).fd, -1);
    Ok(long::from_i64(fd as i64))
}

fn s_close(o: &Obj) -> PyResult<PyRef> {
    let fd = core::mem::replace(&mut sock(o).fd, -1);
    if fd >= 0 {
        // SAFETY: closing the descriptor this object owned.
        if unsafe { libc::close(fd) } < 0 && errno() != libc::ECONNRESET {
            return Err(os_error(errno()));
        }
    }
    Ok(none::none())
}

fn s_bind(o: &Obj, addr: &Obj) -> PyResult<PyRef> {
    let sa = sockaddr_arg(sock(o).family, addr, "bind")?;
    // SAFETY: a valid address of `len` bytes.
    if unsafe { libc::bind(check_open(o)?, sa.ptr(), sa.len) } < 0 {
        return Err(os_error(errno()));
    }
    Ok(none::none())
}

fn s_listen(o: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    argparse::check_positional("listen", a.len(), 0, 1)?;
    let backlog = match a.first() {
        Some(b) => argparse::c_int(b)?.max(0),
        None => libc::SOMAXCONN.min(128),
    };
    // SAFETY: listen(2) on a descriptor number.
    if unsafe { libc::listen(sock(o).fd, backlog) } < 0 {
        return Err(os_error(errno()));
    }
    Ok(none::none())
}

fn s_accept(o: &Obj) -> PyResult<PyRef> {
    let mut sa = SockAddr::empty();
    let p = sa.mut_ptr() as usize;
    let lenp = &mut sa.len as *mut libc::socklen_t as usize;
    let fd = sock_call(o, false, |fd| {
        // SAFETY: the address buffer outlives the call; its length is in/out.
        unsafe {
            *(lenp as *mut libc::socklen_t) = core::mem::size_of::<libc::sockaddr_storage>() as libc::socklen_t;
            libc::accept4(fd, p as *mut libc::sockaddr, lenp as *mut libc::socklen_t, libc::SOCK_CLOEXEC) as isize
        }
    })?;
    let addr = sockaddr_obj(&sa)?;
    Ok(tuple::new_from_owned(vec![long::from_i64(fd as i64), addr]))
}

/// connect(2) with CPython's timeout handling; `Ok(errno)` (0: connected) unless `raise`.
fn connect(o: &Obj, addr: &Obj, caller: &str) -> PyResult<c_int> {
    let s = sock(o);
    let (fd, timeout) = (s.fd, s.timeout);
    let sa = sockaddr_arg(s.family, addr, caller)?;
    // SAFETY: a valid address of `len` bytes; detached from the GIL.
    let r = crate::gil::allow_threads(|| unsafe { libc::connect(fd, sa.ptr(), sa.len) });
    if r == 0 {
        return Ok(0);
    }
    let e = errno();
    let in_progress = e == libc::EINPROGRESS || e == libc::EINTR;
    if e == libc::EINTR {
        super::signal::check_signals()?;
    }
    if !in_progress || timeout == 0 {
        return Ok(e);
    }
    // Wait for the connection to finish, then read its outcome.
    let deadline = (timeout > 0).then(|| Instant::now() + Duration::from_nanos(timeout as u64));
    if !wait_fd(fd, true, deadline)? {
        return Err(timed_out());
    }
    let mut err: c_int = 0;
    let mut len = core::mem::size_of::<c_int>() as libc::socklen_t;
    // SAFETY: an int-sized out-buffer.
    if unsafe { libc::getsockopt(fd, libc::SOL_SOCKET, libc::SO_ERROR, &mut err as *mut c_int as *mut c_void, &mut len) } < 0 {
        return Ok(errno());
    }
    Ok(err)
}

fn s_connect(o: &Obj, addr: &Obj) -> PyResult<PyRef> {
    match connect(o, addr, "connect")? {
        0 => Ok(none::none()),
        e => Err(os_error(e)),
    }
}

fn s_connect_ex(o: &Obj, addr: &Obj) -> PyResult<PyRef> {
    Ok(long::from_i64(connect(o, addr, "connect_ex")? as i64))
}

fn name_of(o: &Obj, peer: bool) -> PyResult<PyRef> {
    let mut sa = SockAddr::empty();
    let fd = sock(o).fd;
    // SAFETY: a sockaddr_storage buffer with its size.
    let r = unsafe { if peer { libc::getpeername(fd, sa.mut_ptr(), &mut sa.len) } else { libc::getsockname(fd, sa.mut_ptr(), &mut sa.len) } };
    if r < 0 {
        return Err(os_error(errno()));
    }
    sockaddr_obj(&sa)
}

fn s_getsockname(o: &Obj) -> PyResult<PyRef> {
    name_of(o, false)
}

fn s_getpeername(o: &Obj) -> PyResult<PyRef> {
    name_of(o, true)
}

fn flags_arg(a: Option<&&Obj>) -> PyResult<c_int> {
    a.map_or(Ok(0), |f| argparse::c_int(f))
}

fn s_recv(o: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    argparse::check_positional("recv", a.len(), 1, 2)?;
    let n = argparse::ssize(a[0])?;
    if n < 0 {
        return Err(raise!(ValueError, "negative buffersize in recv"));
    }
    let flags = flags_arg(a.get(1))?;
    let mut buf = vec![0u8; n as usize];
    let p = buf.as_mut_ptr() as usize;
    // SAFETY: `buf` holds `n` bytes and outlives the call.
    let got = sock_call(o, false, |fd| unsafe { libc::recv(fd, p as *mut c_void, n as usize, flags) })?;
    buf.truncate(got as usize);
    Ok(bytes::new(&buf))
}

fn s_recv_into(o: &Obj, a: &[&Obj], kw: Kw) -> PyResult<PyRef> {
    let [buffer, nbytes, flags] = argparse::parse::<3>(&Sig { name: "recv_into", params: &["buffer", "nbytes", "flags"], posonly: 0, maxpos: 3, required: 1 }, a, kw)?;
    let nbytes = nbytes.map_or(Ok(0), argparse::ssize)?;
    let flags = flags.map_or(Ok(0), argparse::c_int)?;
    if nbytes < 0 {
        return Err(raise!(ValueError, "negative buffersize in recv_into"));
    }
    let buffer = buffer.unwrap();
    super::io::with_writable_buffer(buffer, |buf| {
        if nbytes as usize > buf.len() {
            return Err(raise!(ValueError, "buffer too small for requested bytes"));
        }
        let n = if nbytes == 0 { buf.len() } else { nbytes as usize };
        let p = buf.as_mut_ptr() as usize;
        // SAFETY: the exporter's buffer holds at least `n` bytes while it is held.
        let got = sock_call(o, false, |fd| unsafe { libc::recv(fd, p as *mut c_void, n, flags) })?;
        Ok(long::from_i64(got as i64))
    })?
}

fn s_recvfrom(o: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    argparse::check_positional("recvfrom", a.len(), 1, 2)?;
    let n = argparse::ssize(a[0])?;
    if n < 0 {
        return Err(raise!(ValueError, "negative buffersize in recvfrom"));
    }
    let flags = flags_arg(a.get(1))?;
    let mut buf = vec![0u8; n as usize];
    let mut sa = SockAddr::empty();
    let (p, sp, lp) = (buf.as_mut_ptr() as usize, sa.mut_ptr() as usize, &mut sa.len as *mut libc::socklen_t as usize);
    let got = sock_call(o, false, |fd| {
        // SAFETY: buffers that outlive the call.
        unsafe {
            *(lp as *mut libc::socklen_t) = core::mem::size_of::<libc::sockaddr_storage>() as libc::socklen_t;
            libc::recvfrom(fd, p as *mut c_void, n as usize, flags, sp as *mut libc::sockaddr, lp as *mut libc::socklen_t)
        }
    })?;
    buf.truncate(got as usize);
    let addr = if sa.len == 0 { none::none() } else { sockaddr_obj(&sa)? };
    Ok(tuple::new_from_owned(vec![bytes::new(&buf), addr]))
}

fn send_once(o: &Obj, data: &[u8], flags: c_int, deadline: Option<Instant>) -> PyResult<usize> {
    let (p, n) = (data.as_ptr() as usize, data.len());
    // SAFETY: `data` outlives the call.
    Ok(sock_call_until(o, true, deadline, |fd| unsafe { libc::send(fd, p as *const c_void, n, flags | libc::MSG_NOSIGNAL) })? as usize)
}

fn s_send(o: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    argparse::check_positional("send", a.len(), 1, 2)?;
    let data = bytes::bytes_like(a[0])?;
    let flags = flags_arg(a.get(1))?;
    Ok(long::from_i64(send_once(o, &data, flags, deadline(o))? as i64))
}

fn s_sendall(o: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    argparse::check_positional("sendall", a.len(), 1, 2)?;
    let data = bytes::bytes_like(a[0])?;
    let flags = flags_arg(a.get(1))?;
    let mut off = 0;
    let end = deadline(o);
    while off < data.len() {
        off += send_once(o, &data[off..], flags, end)?;
        super::signal::check_signals()?;
    }
    Ok(none::none())
}

fn s_sendto(o: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    argparse::check_positional("sendto", a.len(), 2, 3)?;
    let data = bytes::bytes_like(a[0])?;
    let (flags, addr) = if a.len() == 3 { (argparse::c_int(a[1])?, a[2]) } else { (0, a[1]) };
    let sa = sockaddr_arg(sock(o).family, addr, "sendto")?;
    let (p, n) = (data.as_ptr() as usize, data.len());
    // SAFETY: `data` and the address outlive the call.
    let sent = sock_call(o, true, |fd| unsafe { libc::sendto(fd, p as *const c_void, n, flags | libc::MSG_NOSIGNAL, sa.ptr(), sa.len) })?;
    Ok(long::from_i64(sent as i64))
}

fn s_shutdown(o: &Obj, how: &Obj) -> PyResult<PyRef> {
    let how = argparse::c_int(how)?;
    // SAFETY: shutdown(2) on a descriptor number.
    if unsafe { libc::shutdown(sock(o).fd, how) } < 0 {
        return Err(os_error(errno()));
    }
    Ok(none::none())
}

fn s_setsockopt(o: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    argparse::check_positional("setsockopt", a.len(), 3, 4)?;
    let (level, name) = (argparse::c_int(a[0])?, argparse::c_int(a[1])?);
    let fd = sock(o).fd;
    // SAFETY (each arm): a buffer of the stated length.
    let r = if a.len() == 4 {
        if !a[2].is(none::none_obj()) {
            return Err(raise!(TypeError, "setsockopt() takes 3 arguments, or 4 with None as the third"));
        }
        let len = argparse::c_int(a[3])? as libc::socklen_t;
        unsafe { libc::setsockopt(fd, level, name, core::ptr::null(), len) }
    } else if argparse::index_check(a[2]) && !float::check(a[2]) {
        let v = argparse::c_int(a[2])?;
        unsafe { libc::setsockopt(fd, level, name, &v as *const c_int as *const c_void, core::mem::size_of::<c_int>() as libc::socklen_t) }
    } else {
        let b = bytes::bytes_like(a[2])?;
        unsafe { libc::setsockopt(fd, level, name, b.as_ptr() as *const c_void, b.len() as libc::socklen_t) }
    };
    if r < 0 {
        return Err(os_error(errno()));
    }
    Ok(none::none())
}

fn s_getsockopt(o: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    argparse::check_positional("getsockopt", a.len(), 2, 3)?;
    let (level, name) = (argparse::c_int(a[0])?, argparse::c_int(a[1])?);
    let fd = sock(o).fd;
    match a.get(2) {
        None => {
            let mut v: c_int = 0;
            let mut len = core::mem::size_of::<c_int>() as libc::socklen_t;
            // SAFETY: an int-sized out-buffer.
            if unsafe { libc::getsockopt(fd, level, name, &mut v as *mut c_int as *mut c_void, &mut len) } < 0 {
                return Err(os_error(errno()));
            }
            Ok(long::from_i64(v as i64))
        }
        Some(n) => {
            let n = argparse::c_int(n)?;
            if !(0..=1024).contains(&n) {
                return Err(raise!(OSError, "getsockopt buflen out of range"));
            }
            let mut buf = vec![0u8; n as usize];
            let mut len = n as libc::socklen_t;
            // SAFETY: a buffer of `len` bytes.
            if unsafe { libc::getsockopt(fd, level, name, buf.as_mut_ptr() as *mut c_void, &mut len) } < 0 {
                return Err(os_error(errno()));
            }
            buf.truncate(len as usize);
            Ok(bytes::new(&buf))
        }
    }
}

fn s_setblocking(o: &Obj, flag: &Obj) -> PyResult<PyRef> {
    let blocking = abstract_::is_true(flag)?;
    let s = sock(o);
    s.timeout = if blocking { -1 } else { 0 };
    set_nonblocking(s.fd, !blocking)?;
    Ok(none::none())
}

fn s_getblocking(o: &Obj) -> PyResult<PyRef> {
    Ok(bool_::new(sock(o).timeout != 0))
}

fn s_settimeout(o: &Obj, t: &Obj) -> PyResult<PyRef> {
    let ns = parse_timeout(t)?;
    let s = sock(o);
    s.timeout = ns;
    set_nonblocking(s.fd, ns >= 0)?;
    Ok(none::none())
}

fn s_gettimeout(o: &Obj) -> PyResult<PyRef> {
    Ok(timeout_obj(sock(o).timeout))
}

fn g_family(o: &Obj) -> PyResult<PyRef> {
    Ok(long::from_i64(sock(o).family as i64))
}
fn g_type(o: &Obj) -> PyResult<PyRef> {
    Ok(long::from_i64(sock(o).type_ as i64))
}
fn g_proto(o: &Obj) -> PyResult<PyRef> {
    Ok(long::from_i64(sock(o).proto as i64))
}

method_table!(static SOCK_METHODS = [
    noargs c"_accept" => s_accept,
    o c"bind" => s_bind,
    noargs c"close" => s_close,
    o c"connect" => s_connect,
    o c"connect_ex" => s_connect_ex,
    noargs c"detach" => s_detach,
    noargs c"fileno" => s_fileno,
    noargs c"getpeername" => s_getpeername,
    noargs c"getsockname" => s_getsockname,
    fast c"getsockopt" => s_getsockopt,
    noargs c"getblocking" => s_getblocking,
    noargs c"gettimeout" => s_gettimeout,
    fast c"listen" => s_listen,
    fast c"recv" => s_recv,
    kw c"recv_into" => s_recv_into,
    fast c"recvfrom" => s_recvfrom,
    fast c"send" => s_send,
    fast c"sendall" => s_sendall,
    fast c"sendto" => s_sendto,
    o c"setblocking" => s_setblocking,
    fast c"setsockopt" => s_setsockopt,
    o c"settimeout" => s_settimeout,
    o c"shutdown" => s_shutdown,
]);

static SOCK_GETSET: type_::StaticTable<PyGetSetDef, 5> = type_::StaticTable(core::cell::UnsafeCell::new([
    crate::getter_def!(c"family", g_family),
    crate::getter_def!(c"type", g_type),
    crate::getter_def!(c"proto", g_proto),
    crate::getter_def!(c"timeout", s_gettimeout),
    type_::GETSET_END,
]));

unsafe extern "C" {
    // <arpa/inet.h>; the libc crate does not declare these.
    fn inet_aton(cp: *const libc::c_char, inp: *mut libc::in_addr) -> c_int;
    fn inet_pton(af: c_int, src: *const libc::c_char, dst: *mut c_void) -> c_int;
}

// ---- module functions -----------------------------------------------------------------------

fn m_socketpair(_m: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    argparse::check_positional("socketpair", a.len(), 0, 3)?;
    let family = a.first().map_or(Ok(libc::AF_UNIX), |v| argparse::c_int(v))?;
    let ty = a.get(1).map_or(Ok(libc::SOCK_STREAM), |v| argparse::c_int(v))?;
    let proto = a.get(2).map_or(Ok(0), |v| argparse::c_int(v))?;
    let mut fds = [0 as c_int; 2];
    // SAFETY: a two-int out-array.
    if unsafe { libc::socketpair(family, ty | libc::SOCK_CLOEXEC, proto, fds.as_mut_ptr()) } < 0 {
        return Err(os_error(errno()));
    }
    let x = new_socket(fds[0], family, ty, proto)?;
    let y = new_socket(fds[1], family, ty, proto)?;
    Ok(tuple::new_from_owned(vec![x, y]))
}

fn opt_cstring(o: &Obj, what: &str) -> PyResult<Option<CString>> {
    if o.is(none::none_obj()) {
        return Ok(None);
    }
    let raw = if unicode::check(o) {
        unicode::as_str(o)?.as_bytes().to_vec()
    } else if bytes::check(o) {
        bytes::as_bytes(o).to_vec()
    } else if what == "port" && long::check(o) {
        long::to_i64(o).unwrap_or(-1).to_string().into_bytes()
    } else if what == "port" {
        return Err(raise!(OSError, "Int or String expected"));
    } else {
        return Err(raise!(TypeError, "getaddrinfo() argument 1 must be string or None"));
    };
    CString::new(raw).map(Some).map_err(|_| raise!(ValueError, "embedded null character"))
}

fn m_getaddrinfo(_m: &Obj, a: &[&Obj], kw: Kw) -> PyResult<PyRef> {
    let [host, port, family, ty, proto, flags] = argparse::parse::<6>(
        &Sig { name: "getaddrinfo", params: &["host", "port", "family", "type", "proto", "flags"], posonly: 0, maxpos: 6, required: 2 },
        a,
        kw,
    )?;
    let host = opt_cstring(host.unwrap(), "host")?;
    let port = opt_cstring(port.unwrap(), "port")?;
    let int = |v: Option<&Obj>| v.map_or(Ok(0), argparse::c_int);
    let found = resolve(host.as_deref(), port.as_deref(), int(family)?, int(ty)?, int(proto)?, int(flags)?)?;
    let out = list::new();
    for (f, t, p, canon, sa) in found {
        let item = tuple::new_from_owned(vec![
            long::from_i64(f as i64),
            long::from_i64(t as i64),
            long::from_i64(p as i64),
            unicode::new(canon.as_deref().unwrap_or("")),
            sockaddr_obj(&sa)?,
        ]);
        list::append(&out, &item);
    }
    Ok(out)
}

fn m_gethostname(_m: &Obj) -> PyResult<PyRef> {
    let mut buf = [0u8; 1024];
    // SAFETY: a buffer of the given size.
    if unsafe { libc::gethostname(buf.as_mut_ptr() as *mut libc::c_char, buf.len()) } < 0 {
        return Err(os_error(errno()));
    }
    let end = buf.iter().position(|&c| c == 0).unwrap_or(buf.len());
    super::posix::fs_decode(&buf[..end], false)
}

fn m_gethostbyname(_m: &Obj, name: &Obj) -> PyResult<PyRef> {
    let name = host_text(name, "gethostbyname")?;
    let sa = host_address(&name, libc::AF_INET)?;
    // SAFETY: an AF_INET address.
    let ip = unsafe { (*(sa.ptr() as *const libc::sockaddr_in)).sin_addr.s_addr };
    Ok(unicode::new(&ip_text(libc::AF_INET, &ip.to_ne_bytes())))
}

/// getnameinfo((host, port[, flowinfo, scope_id]), flags) -> (host, port) as text.
fn m_getnameinfo(_m: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    argparse::check_positional("getnameinfo", a.len(), 2, 2)?;
    let flags = argparse::c_int(a[1])?;
    let addr = a[0];
    if !tuple::check(addr) {
        return Err(raise!(TypeError, "getnameinfo() argument 1 must be a tuple"));
    }
    let items = tuple::items(addr);
    if !(2..=4).contains(&items.len()) {
        return Err(raise!(TypeError, "getnameinfo(): illegal sockaddr argument"));
    }
    let host = host_text(items[0], "getnameinfo")?;
    let port = port_arg(items[1], "getnameinfo")?;
    let hostc = CString::new(host).map_err(|_| raise!(ValueError, "embedded null character"))?;
    let portc = CString::new(port.to_string()).unwrap_or_default();
    // The host must be numeric: resolve it without a lookup, as CPython does.
    let found = resolve(Some(&hostc), Some(&portc), libc::AF_UNSPEC, libc::SOCK_DGRAM, 0, libc::AI_NUMERICHOST)?;
    let Some((family, _, _, _, mut sa)) = found.into_iter().next() else {
        return Err(raise!(OSError, "sockaddr resolved to nothing"));
    };
    if family == libc::AF_INET && items.len() != 2 {
        return Err(raise!(OSError, "IPv4 sockaddr must be 2 tuple"));
    }
    if family == libc::AF_INET6 {
        let flowinfo = items.get(2).map_or(Ok(0), |f| argparse::c_int(f))? as u32;
        let scope = items.get(3).map_or(Ok(0), |f| argparse::c_int(f))? as u32;
        // SAFETY: an AF_INET6 address.
        let a6 = unsafe { &mut *(sa.mut_ptr() as *mut libc::sockaddr_in6) };
        a6.sin6_flowinfo = flowinfo.to_be();
        a6.sin6_scope_id = scope;
    }
    let mut hbuf = [0 as libc::c_char; 1025];
    let mut pbuf = [0 as libc::c_char; 32];
    // SAFETY: an address of `len` bytes and two output buffers with their sizes.
    let code = crate::gil::allow_threads(|| unsafe {
        libc::getnameinfo(sa.ptr(), sa.len, hbuf.as_mut_ptr(), hbuf.len() as libc::socklen_t, pbuf.as_mut_ptr(), pbuf.len() as libc::socklen_t, flags)
    });
    if code != 0 {
        return Err(gai_error(code));
    }
    // SAFETY: getnameinfo wrote NUL-terminated strings.
    let (h, p) = unsafe { (CStr::from_ptr(hbuf.as_ptr()), CStr::from_ptr(pbuf.as_ptr())) };
    Ok(tuple::new_from_owned(vec![unicode::new(&h.to_string_lossy()), unicode::new(&p.to_string_lossy())]))
}

/// getservbyname(name[, proto]) -> port.
fn m_getservbyname(_m: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    argparse::check_positional("getservbyname", a.len(), 1, 2)?;
    let name = CString::new(unicode::as_str(a[0])?).map_err(|_| raise!(ValueError, "embedded null character"))?;
    let proto = a.get(1).map(|p| unicode::as_str(p).map(|s| CString::new(s).unwrap_or_default())).transpose()?;
    // SAFETY: C strings; the static result is read at once under the GIL.
    let port = unsafe {
        let e = libc::getservbyname(name.as_ptr(), proto.as_ref().map_or(core::ptr::null(), |p| p.as_ptr()));
        if e.is_null() {
            return Err(raise!(OSError, "service/proto not found"));
        }
        u16::from_be((*e).s_port as u16)
    };
    Ok(long::from_i64(port as i64))
}

/// getprotobyname(name) -> protocol number.
fn m_getprotobyname(_m: &Obj, name: &Obj) -> PyResult<PyRef> {
    let name = CString::new(unicode::as_str(name)?).map_err(|_| raise!(ValueError, "embedded null character"))?;
    // SAFETY: a C string; the static result is read at once under the GIL.
    let proto = unsafe {
        let e = libc::getprotobyname(name.as_ptr());
        if e.is_null() {
            return Err(raise!(OSError, "protocol not found"));
        }
        (*e).p_proto
    };
    Ok(long::from_i64(proto as i64))
}

fn m_inet_aton(_m: &Obj, s: &Obj) -> PyResult<PyRef> {
    let text = unicode::as_str(s).map_err(|_| raise!(TypeError, "inet_aton() argument 1 must be str, not {}", s.ob_type().name()))?;
    let c = CString::new(text).map_err(|_| raise!(ValueError, "embedded null character"))?;
    let mut addr: libc::in_addr = libc::in_addr { s_addr: 0 };
    // SAFETY: a C string and an out-struct.
    if unsafe { inet_aton(c.as_ptr(), &mut addr) } == 0 {
        return Err(raise!(OSError, "illegal IP address string passed to inet_aton"));
    }
    Ok(bytes::new(&addr.s_addr.to_ne_bytes()))
}

fn m_inet_ntoa(_m: &Obj, b: &Obj) -> PyResult<PyRef> {
    let data = bytes::bytes_like(b)?;
    if data.len() != 4 {
        return Err(raise!(OSError, "packed IP wrong length for inet_ntoa"));
    }
    Ok(unicode::new(&ip_text(libc::AF_INET, &data)))
}

fn m_inet_pton(_m: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    argparse::check_positional("inet_pton", a.len(), 2, 2)?;
    let af = argparse::c_int(a[0])?;
    let text = unicode::as_str(a[1]).map_err(|_| raise!(TypeError, "inet_pton() argument 2 must be str, not {}", a[1].ob_type().name()))?;
    let c = CString::new(text).map_err(|_| raise!(ValueError, "embedded null character"))?;
    let mut buf = [0u8; 16];
    // SAFETY: a 16-byte out-buffer, enough for either family.
    let r = unsafe { inet_pton(af, c.as_ptr(), buf.as_mut_ptr() as *mut c_void) };
    match r {
        1 if af == libc::AF_INET => Ok(bytes::new(&buf[..4])),
        1 => Ok(bytes::new(&buf)),
        0 => Err(raise!(OSError, "illegal IP address string passed to inet_pton")),
        _ => Err(os_error(errno())),
    }
}

fn m_inet_ntop(_m: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    argparse::check_positional("inet_ntop", a.len(), 2, 2)?;
    let af = argparse::c_int(a[0])?;
    let data = bytes::bytes_like(a[1])?;
    let want = match af {
        libc::AF_INET => 4,
        libc::AF_INET6 => 16,
        _ => return Err(raise!(ValueError, "unknown address family {}", af)),
    };
    if data.len() != want {
        return Err(raise!(ValueError, "invalid length of packed IP address string"));
    }
    Ok(unicode::new(&ip_text(af, &data)))
}

/// A byte-order argument: a non-negative int of at most `bits` bits (3.15's messages).
fn u_arg(o: &Obj, bits: u32) -> PyResult<u64> {
    if !long::check(o) {
        return Err(raise!(TypeError, "'{}' object cannot be interpreted as an integer", o.ob_type().name()));
    }
    if long::is_negative(o) {
        return Err(raise!(ValueError, "Cannot convert negative int"));
    }
    match long::to_i64(o) {
        Some(x) if (x as u64) >> bits == 0 => Ok(x as u64),
        _ => Err(raise!(OverflowError, "Python int too large for C uint{}_t", bits)),
    }
}

fn m_htons(_m: &Obj, x: &Obj) -> PyResult<PyRef> {
    Ok(long::from_i64((u_arg(x, 16)? as u16).to_be() as i64))
}
fn m_ntohs(_m: &Obj, x: &Obj) -> PyResult<PyRef> {
    Ok(long::from_i64(u16::from_be(u_arg(x, 16)? as u16) as i64))
}
fn m_htonl(_m: &Obj, x: &Obj) -> PyResult<PyRef> {
    Ok(long::from_i64((u_arg(x, 32)? as u32).to_be() as i64))
}
fn m_ntohl(_m: &Obj, x: &Obj) -> PyResult<PyRef> {
    Ok(long::from_i64(u32::from_be(u_arg(x, 32)? as u32) as i64))
}

fn m_dup(_m: &Obj, fd: &Obj) -> PyResult<PyRef> {
    let fd = argparse::c_int(fd)?;
    // SAFETY: fcntl on a descriptor number.
    let new = unsafe { libc::fcntl(fd, libc::F_DUPFD_CLOEXEC, 0) };
    if new < 0 {
        return Err(os_error(errno()));
    }
    Ok(long::from_i64(new as i64))
}

fn m_close(_m: &Obj, fd: &Obj) -> PyResult<PyRef> {
    let fd = argparse::c_int(fd)?;
    // SAFETY: closing a descriptor number the caller names.
    if unsafe { libc::close(fd) } < 0 && errno() != libc::ECONNRESET {
        return Err(os_error(errno()));
    }
    Ok(none::none())
}

fn m_getdefaulttimeout(_m: &Obj) -> PyResult<PyRef> {
    Ok(timeout_obj(DEFAULT_TIMEOUT.load(Ordering::Relaxed)))
}

fn m_setdefaulttimeout(_m: &Obj, t: &Obj) -> PyResult<PyRef> {
    DEFAULT_TIMEOUT.store(parse_timeout(t)?, Ordering::Relaxed);
    Ok(none::none())
}

method_table!(static MODULE_METHODS = [
    o c"close" => m_close,
    o c"dup" => m_dup,
    kw c"getaddrinfo" => m_getaddrinfo,
    noargs c"getdefaulttimeout" => m_getdefaulttimeout,
    fast c"getnameinfo" => m_getnameinfo,
    o c"getprotobyname" => m_getprotobyname,
    fast c"getservbyname" => m_getservbyname,
    o c"gethostbyname" => m_gethostbyname,
    noargs c"gethostname" => m_gethostname,
    o c"htonl" => m_htonl,
    o c"htons" => m_htons,
    o c"inet_aton" => m_inet_aton,
    o c"inet_ntoa" => m_inet_ntoa,
    fast c"inet_ntop" => m_inet_ntop,
    fast c"inet_pton" => m_inet_pton,
    o c"ntohl" => m_ntohl,
    o c"ntohs" => m_ntohs,
    o c"setdefaulttimeout" => m_setdefaulttimeout,
    fast c"socketpair" => m_socketpair,
]);

static GAIERROR: OnceLock<SyncPtr<PyObject>> = OnceLock::new();
static HERROR: OnceLock<SyncPtr<PyObject>> = OnceLock::new();

fn exception_type(cell: &OnceLock<SyncPtr<PyObject>>) -> &'static Obj {
    // SAFETY: set (immortal) when the module is made, before any socket call can raise it.
    unsafe { Obj::from_ptr(cell.get().map_or(crate::objects::exceptions::OSError().as_ptr(), |p| p.0)) }
}

/// `socket.<name>`, a subclass of OSError made once per process.
fn make_error(cell: &'static OnceLock<SyncPtr<PyObject>>, name: &str) -> PyResult<&'static Obj> {
    if cell.get().is_none() {
        let ns = dict::new();
        dict::set_item_str(&ns, "__module__", &unicode::new("socket"))?;
        let bases = tuple::new_from(&[crate::objects::exceptions::OSError()]);
        let t = abstract_::call(&type_::PyType_Type, &tuple::new_from(&[&*unicode::new(name), &*bases, &*ns]), None)?;
        let _ = cell.set(SyncPtr(crate::object::make_immortal(t)));
    }
    Ok(exception_type(cell))
}

/// Linux values (`<sys/socket.h>`, `<netinet/in.h>`, `<netinet/tcp.h>`, `<netdb.h>`).
const CONSTANTS: &[(&str, i64)] = &[
    ("AF_INET", libc::AF_INET as i64),
    ("AF_INET6", libc::AF_INET6 as i64),
    ("AF_UNIX", libc::AF_UNIX as i64),
    ("AF_UNSPEC", libc::AF_UNSPEC as i64),
    ("AI_ADDRCONFIG", libc::AI_ADDRCONFIG as i64),
    ("AI_ALL", libc::AI_ALL as i64),
    ("AI_CANONNAME", libc::AI_CANONNAME as i64),
    ("AI_NUMERICHOST", libc::AI_NUMERICHOST as i64),
    ("AI_NUMERICSERV", libc::AI_NUMERICSERV as i64),
    ("AI_PASSIVE", libc::AI_PASSIVE as i64),
    ("AI_V4MAPPED", libc::AI_V4MAPPED as i64),
    ("EAI_ADDRFAMILY", -9),
    ("EAI_AGAIN", libc::EAI_AGAIN as i64),
    ("EAI_BADFLAGS", libc::EAI_BADFLAGS as i64),
    ("EAI_FAIL", libc::EAI_FAIL as i64),
    ("EAI_FAMILY", libc::EAI_FAMILY as i64),
    ("EAI_MEMORY", libc::EAI_MEMORY as i64),
    ("EAI_NODATA", libc::EAI_NODATA as i64),
    ("EAI_NONAME", libc::EAI_NONAME as i64),
    ("EAI_OVERFLOW", libc::EAI_OVERFLOW as i64),
    ("EAI_SERVICE", libc::EAI_SERVICE as i64),
    ("EAI_SOCKTYPE", libc::EAI_SOCKTYPE as i64),
    ("EAI_SYSTEM", libc::EAI_SYSTEM as i64),
    ("INADDR_ANY", 0),
    ("INADDR_BROADCAST", 0xffff_ffff),
    ("INADDR_LOOPBACK", 0x7f00_0001),
    ("INADDR_NONE", 0xffff_ffff),
    ("IPPROTO_ICMP", libc::IPPROTO_ICMP as i64),
    ("IPPROTO_ICMPV6", libc::IPPROTO_ICMPV6 as i64),
    ("IPPROTO_IP", libc::IPPROTO_IP as i64),
    ("IPPROTO_IPV6", libc::IPPROTO_IPV6 as i64),
    ("IPPROTO_RAW", libc::IPPROTO_RAW as i64),
    ("IPPROTO_TCP", libc::IPPROTO_TCP as i64),
    ("IPPROTO_UDP", libc::IPPROTO_UDP as i64),
    ("IPV6_V6ONLY", libc::IPV6_V6ONLY as i64),
    ("IP_TOS", libc::IP_TOS as i64),
    ("IP_TTL", libc::IP_TTL as i64),
    ("MSG_DONTWAIT", libc::MSG_DONTWAIT as i64),
    ("MSG_NOSIGNAL", libc::MSG_NOSIGNAL as i64),
    ("MSG_OOB", libc::MSG_OOB as i64),
    ("MSG_PEEK", libc::MSG_PEEK as i64),
    ("MSG_TRUNC", libc::MSG_TRUNC as i64),
    ("MSG_WAITALL", libc::MSG_WAITALL as i64),
    ("NI_DGRAM", libc::NI_DGRAM as i64),
    ("NI_MAXHOST", 1025),
    ("NI_MAXSERV", 32),
    ("NI_NAMEREQD", libc::NI_NAMEREQD as i64),
    ("NI_NOFQDN", libc::NI_NOFQDN as i64),
    ("NI_NUMERICHOST", libc::NI_NUMERICHOST as i64),
    ("NI_NUMERICSERV", libc::NI_NUMERICSERV as i64),
    ("SHUT_RD", libc::SHUT_RD as i64),
    ("SHUT_RDWR", libc::SHUT_RDWR as i64),
    ("SHUT_WR", libc::SHUT_WR as i64),
    ("SOCK_CLOEXEC", libc::SOCK_CLOEXEC as i64),
    ("SOCK_DGRAM", libc::SOCK_DGRAM as i64),
    ("SOCK_NONBLOCK", libc::SOCK_NONBLOCK as i64),
    ("SOCK_RAW", libc::SOCK_RAW as i64),
    ("SOCK_RDM", libc::SOCK_RDM as i64),
    ("SOCK_SEQPACKET", libc::SOCK_SEQPACKET as i64),
    ("SOCK_STREAM", libc::SOCK_STREAM as i64),
    ("SOL_IP", libc::SOL_IP as i64),
    ("SOL_SOCKET", libc::SOL_SOCKET as i64),
    ("SOL_TCP", libc::SOL_TCP as i64),
    ("SOL_UDP", libc::SOL_UDP as i64),
    ("SOMAXCONN", libc::SOMAXCONN as i64),
    ("SO_ACCEPTCONN", libc::SO_ACCEPTCONN as i64),
    ("SO_BROADCAST", libc::SO_BROADCAST as i64),
    ("SO_DOMAIN", libc::SO_DOMAIN as i64),
    ("SO_ERROR", libc::SO_ERROR as i64),
    ("SO_KEEPALIVE", libc::SO_KEEPALIVE as i64),
    ("SO_LINGER", libc::SO_LINGER as i64),
    ("SO_OOBINLINE", libc::SO_OOBINLINE as i64),
    ("SO_PROTOCOL", libc::SO_PROTOCOL as i64),
    ("SO_RCVBUF", libc::SO_RCVBUF as i64),
    ("SO_RCVLOWAT", libc::SO_RCVLOWAT as i64),
    ("SO_RCVTIMEO", libc::SO_RCVTIMEO as i64),
    ("SO_REUSEADDR", libc::SO_REUSEADDR as i64),
    ("SO_REUSEPORT", libc::SO_REUSEPORT as i64),
    ("SO_SNDBUF", libc::SO_SNDBUF as i64),
    ("SO_SNDLOWAT", libc::SO_SNDLOWAT as i64),
    ("SO_SNDTIMEO", libc::SO_SNDTIMEO as i64),
    ("SO_TYPE", libc::SO_TYPE as i64),
    ("TCP_KEEPCNT", libc::TCP_KEEPCNT as i64),
    ("TCP_KEEPIDLE", libc::TCP_KEEPIDLE as i64),
    ("TCP_KEEPINTVL", libc::TCP_KEEPINTVL as i64),
    ("TCP_MAXSEG", libc::TCP_MAXSEG as i64),
    ("TCP_NODELAY", libc::TCP_NODELAY as i64),
];

pub fn create() -> PyResult<PyRef> {
    type_::ready(&SOCKET_TYPE)?;
    // `socket.socket.__init__` calls `_socket.socket.__init__` by name.
    crate::objects::slotdefs::add_wrappers(&SOCKET_TYPE)?;
    // SAFETY: the table is static.
    let m = unsafe { super::new_module("_socket", MODULE_METHODS.0.get() as *mut PyMethodDef)? };
    super::add_ints(&m, CONSTANTS)?;
    let d = module::dict_of(&m);
    let t: &Obj = &SOCKET_TYPE;
    dict::set_item_str(d, "socket", t)?;
    dict::set_item_str(d, "SocketType", t)?;
    dict::set_item_str(d, "error", crate::objects::exceptions::OSError())?;
    dict::set_item_str(d, "timeout", crate::objects::exceptions::TimeoutError())?;
    dict::set_item_str(d, "gaierror", make_error(&GAIERROR, "gaierror")?)?;
    dict::set_item_str(d, "herror", make_error(&HERROR, "herror")?)?;
    dict::set_item_str(d, "has_ipv6", &bool_::new(true))?;
    Ok(m)
}

