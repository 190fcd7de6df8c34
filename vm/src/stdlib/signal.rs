//! `_signal` (what `Lib/signal.py` wraps): Python-level signal handlers.
//!
//! A handler set with `signal.signal` is not run by the C signal handler: that one only marks
//! the signal as tripped, writes the signal number to the wakeup fd, and asks the interpreter
//! to look up from its loop (`gil::request_eval_break`). The main thread then runs the Python
//! handlers in [`check_signals`] — at backward jumps, after `os.kill`, and when a blocking
//! system call is interrupted (`EINTR`) — and an exception a handler raises (`KeyboardInterrupt`
//! from `default_int_handler`) is raised there, as CPython does.

use core::ffi::c_int;
use core::sync::atomic::{AtomicBool, AtomicI32, Ordering};

use pyrite_abi::*;

use crate::abstract_;
use crate::err::PyResult;
use crate::object::{Obj, PyRef};
use crate::objects::argparse::{self, Kw, Sig};
use crate::objects::{dict, long, module, none, set, tuple, unicode};
use crate::method_table;

const NSIG: usize = 65;
const SIG_DFL: i64 = 0;
const SIG_IGN: i64 = 1;

#[allow(clippy::declare_interior_mutable_const)]
const UNTRIPPED: AtomicBool = AtomicBool::new(false);
static TRIPPED: [AtomicBool; NSIG] = [UNTRIPPED; NSIG];
static ANY_TRIPPED: AtomicBool = AtomicBool::new(false);
static WAKEUP_FD: AtomicI32 = AtomicI32::new(-1);

/// The Python handler of each signal (an owned reference or NULL), touched only under the GIL.
struct Handlers(core::cell::UnsafeCell<[*mut PyObject; NSIG]>);
// SAFETY: only attached threads (holding the GIL) read or write the table.
unsafe impl Sync for Handlers {}
static HANDLERS: Handlers = Handlers(core::cell::UnsafeCell::new([core::ptr::null_mut(); NSIG]));

fn handler(sig: usize) -> Option<PyRef> {
    // SAFETY: under the GIL; the slot holds NULL or an owned reference.
    unsafe { crate::slot::opt_arg((*HANDLERS.0.get())[sig]).map(Obj::new_ref) }
}

fn set_handler(sig: usize, h: &Obj) {
    // SAFETY: under the GIL; the old reference is released.
    unsafe {
        let slot = &mut (*HANDLERS.0.get())[sig];
        let old = core::mem::replace(slot, h.new_ref().into_raw());
        crate::object::xdecref(old);
    }
}

/// The C handler: async-signal-safe work only.
extern "C" fn trip_signal(sig: c_int) {
    let saved = std::io::Error::last_os_error().raw_os_error().unwrap_or(0);
    if let Some(t) = TRIPPED.get(sig as usize) {
        t.store(true, Ordering::SeqCst);
    }
    ANY_TRIPPED.store(true, Ordering::SeqCst);
    crate::gil::request_eval_break();
    let fd = WAKEUP_FD.load(Ordering::Relaxed);
    if fd >= 0 {
        let b = sig as u8;
        // SAFETY: write(2) is async-signal-safe; a full pipe is ignored.
        unsafe { libc::write(fd, &b as *const u8 as *const libc::c_void, 1) };
    }
    // SAFETY: restoring the interrupted code's errno.
    unsafe { *libc::__errno_location() = saved };
}

pub(crate) fn is_main_thread() -> bool {
    // SAFETY: plain queries.
    unsafe { libc::gettid() == libc::getpid() }
}

/// Whether a signal arrived that no check has handled yet.
pub fn pending() -> bool {
    ANY_TRIPPED.load(Ordering::SeqCst)
}

/// `PyErr_CheckSignals`: on the main thread, runs the Python handlers of the signals that
/// arrived since the last check; the first exception one raises is returned.
pub fn check_signals() -> PyResult<()> {
    if !ANY_TRIPPED.load(Ordering::SeqCst) || crate::gil::current().is_null() {
        return Ok(());
    }
    if !is_main_thread() {
        // Only the main thread runs handlers: keep asking until it gets the GIL and looks.
        crate::gil::request_eval_break();
        return Ok(());
    }
    ANY_TRIPPED.store(false, Ordering::SeqCst);
    for sig in 1..NSIG {
        if !TRIPPED[sig].swap(false, Ordering::SeqCst) {
            continue;
        }
        let Some(h) = handler(sig) else { continue };
        if long::check(&h) || h.is(none::none_obj()) {
            continue;
        }
        let args = tuple::new_from_owned(vec![long::from_i64(sig as i64), none::none()]);
        if let Err(e) = abstract_::call(&h, &args, None) {
            // The other tripped signals stay pending for the next check.
            ANY_TRIPPED.store(true, Ordering::SeqCst);
            return Err(e);
        }
    }
    Ok(())
}

/// `PyErr_SetInterruptEx`: behaves as if `sig` arrived — its Python handler runs at the next
/// check — unless the handler is `SIG_IGN` or `SIG_DFL` (or none was set), which ignores it.
/// -1 for a number that is not a signal.
pub fn simulate(sig: c_int) -> c_int {
    if sig < 1 || sig as usize >= NSIG {
        return -1;
    }
    match handler(sig as usize) {
        Some(h) if !long::check(&h) && !h.is(none::none_obj()) => trip_signal(sig),
        _ => {}
    }
    0
}

/// `PyOS_InterruptOccurred`: whether SIGINT arrived since the last check (on the main
/// thread), forgetting it.
pub fn take_interrupt() -> bool {
    is_main_thread() && TRIPPED[libc::SIGINT as usize].swap(false, Ordering::SeqCst)
}

/// Installs `action` (a C handler address, `SIG_DFL` or `SIG_IGN`) for `sig`.
fn install(sig: c_int, action: libc::sighandler_t) -> PyResult<()> {
    // SAFETY: an all-zero sigaction is valid; filled before use.
    let mut sa: libc::sigaction = unsafe { core::mem::zeroed() };
    sa.sa_sigaction = action;
    // No SA_RESTART: interrupted system calls fail with EINTR, so the handler runs soon.
    sa.sa_flags = libc::SA_ONSTACK;
    // SAFETY: a valid sigaction; the mask is initialised by sigemptyset.
    let r = unsafe {
        libc::sigemptyset(&mut sa.sa_mask);
        libc::sigaction(sig, &sa, core::ptr::null_mut())
    };
    if r != 0 {
        return Err(super::posix::last_error(None));
    }
    Ok(())
}

fn signum(o: &Obj) -> PyResult<usize> {
    let n = argparse::c_int(o)?;
    if n < 1 || n as usize >= NSIG {
        return Err(raise!(ValueError, "signal number out of range"));
    }
    Ok(n as usize)
}

fn m_signal(_m: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    argparse::check_positional("signal", a.len(), 2, 2)?;
    let sig = signum(a[0])?;
    let h = a[1];
    if !is_main_thread() {
        return Err(raise!(ValueError, "signal only works in main thread of the main interpreter"));
    }
    let action = if long::check(h) {
        match long::to_i64(h) {
            Some(SIG_DFL) => libc::SIG_DFL,
            Some(SIG_IGN) => libc::SIG_IGN,
            _ => return Err(raise!(TypeError, "signal handler must be signal.SIG_IGN, signal.SIG_DFL, or a callable object")),
        }
    } else if h.ob_type().slots().tp_call.is_some() {
        trip_signal as extern "C" fn(c_int) as libc::sighandler_t
    } else {
        return Err(raise!(TypeError, "signal handler must be signal.SIG_IGN, signal.SIG_DFL, or a callable object"));
    };
    check_signals()?;
    install(sig as c_int, action)?;
    let old = handler(sig).unwrap_or_else(none::none);
    set_handler(sig, h);
    Ok(old)
}

fn m_getsignal(_m: &Obj, sig: &Obj) -> PyResult<PyRef> {
    let sig = signum(sig)?;
    Ok(handler(sig).unwrap_or_else(none::none))
}

fn m_default_int_handler(_m: &Obj, _a: &[&Obj]) -> PyResult<PyRef> {
    Err(crate::err::PyErr::from_type_no_args(crate::objects::exceptions::KeyboardInterrupt()))
}

fn m_raise_signal(_m: &Obj, sig: &Obj) -> PyResult<PyRef> {
    let sig = signum(sig)?;
    // SAFETY: a plain system call.
    if unsafe { libc::raise(sig as c_int) } != 0 {
        return Err(super::posix::last_error(None));
    }
    check_signals()?;
    Ok(none::none())
}

fn m_alarm(_m: &Obj, secs: &Obj) -> PyResult<PyRef> {
    let s = argparse::c_int(secs)?;
    // SAFETY: a plain system call.
    Ok(long::from_i64(unsafe { libc::alarm(s as libc::c_uint) } as i64))
}

fn m_pause(_m: &Obj) -> PyResult<PyRef> {
    crate::gil::allow_threads(|| {
        // SAFETY: a plain system call.
        unsafe { libc::pause() }
    });
    check_signals()?;
    Ok(none::none())
}

fn m_set_wakeup_fd(_m: &Obj, a: &[&Obj], kw: Kw) -> PyResult<PyRef> {
    let sig = Sig { name: "set_wakeup_fd", params: &["fd", "warn_on_full_buffer"], posonly: 1, maxpos: 1, required: 1 };
    let [fd, _warn] = argparse::parse::<2>(&sig, a, kw)?;
    let fd = argparse::c_int(fd.unwrap())?;
    if !is_main_thread() {
        return Err(raise!(ValueError, "set_wakeup_fd only works in main thread of the main interpreter"));
    }
    if fd != -1 {
        // SAFETY: a plain system call.
        let fl = unsafe { libc::fcntl(fd, libc::F_GETFL) };
        if fl == -1 {
            return Err(super::posix::last_error(None));
        }
        if fl & libc::O_NONBLOCK == 0 {
            return Err(raise!(ValueError, "the fd {} must be in non-blocking mode", fd));
        }
    }
    Ok(long::from_i64(WAKEUP_FD.swap(fd, Ordering::SeqCst) as i64))
}

fn m_strsignal(_m: &Obj, sig: &Obj) -> PyResult<PyRef> {
    let sig = signum(sig)?;
    // SAFETY: strsignal returns a NUL-terminated description, copied at once under the GIL.
    let p = unsafe { libc::strsignal(sig as c_int) };
    if p.is_null() {
        return Ok(none::none());
    }
    // SAFETY: as above.
    let s = unsafe { core::ffi::CStr::from_ptr(p) }.to_string_lossy().into_owned();
    if s.starts_with("Unknown signal") || s.starts_with("Real-time signal") {
        return Ok(none::none());
    }
    Ok(unicode::new(&s))
}

fn m_valid_signals(_m: &Obj) -> PyResult<PyRef> {
    let s = set::new_empty();
    // SAFETY: a filled signal set queried for membership.
    unsafe {
        let mut mask: libc::sigset_t = core::mem::zeroed();
        libc::sigfillset(&mut mask);
        for sig in 1..NSIG as c_int {
            if libc::sigismember(&mask, sig) == 1 {
                set::add(&s, &long::from_i64(sig as i64))?;
            }
        }
    }
    Ok(s)
}

fn m_siginterrupt(_m: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    argparse::check_positional("siginterrupt", a.len(), 2, 2)?;
    let sig = signum(a[0])?;
    let flag = abstract_::is_true(a[1])?;
    // SAFETY: reading and rewriting the signal's disposition.
    unsafe {
        let mut sa: libc::sigaction = core::mem::zeroed();
        if libc::sigaction(sig as c_int, core::ptr::null(), &mut sa) != 0 {
            return Err(super::posix::last_error(None));
        }
        if flag {
            sa.sa_flags &= !libc::SA_RESTART;
        } else {
            sa.sa_flags |= libc::SA_RESTART;
        }
        if libc::sigaction(sig as c_int, &sa, core::ptr::null_mut()) != 0 {
            return Err(super::posix::last_error(None));
        }
    }
    Ok(none::none())
}

/// `signal.ItimerError`, made with the module.
static ITIMER_ERROR: std::sync::OnceLock<crate::object::SyncPtr<PyObject>> = std::sync::OnceLock::new();

fn itimer_error(e: c_int) -> crate::err::PyErr {
    let args = tuple::new_from_owned(vec![long::from_i64(e as i64), unicode::new(&super::posix::strerror_text(e))]);
    match ITIMER_ERROR.get() {
        // SAFETY: the class is immortal.
        Some(t) => match abstract_::call(unsafe { Obj::from_ptr(t.0) }, &args, None) {
            Ok(v) => crate::err::PyErr::from_value(v),
            Err(e) => e,
        },
        None => super::posix::os_error(e, None, None),
    }
}

fn timer_tuple(v: &libc::itimerval) -> PyRef {
    let f = |t: libc::timeval| crate::objects::float::new(t.tv_sec as f64 + t.tv_usec as f64 * 1e-6);
    tuple::new_from_owned(vec![f(v.it_value), f(v.it_interval)])
}

fn timeval_arg(o: Option<&Obj>) -> PyResult<libc::timeval> {
    let secs = match o {
        None => 0.0,
        Some(v) if crate::objects::float::check(v) => crate::objects::float::value(v),
        Some(v) => long::to_f64(&*abstract_::index(v)?)?,
    };
    let whole = secs.floor();
    let mut usec = ((secs - whole) * 1e6).round() as i64;
    let mut sec = whole as i64;
    if usec >= 1_000_000 {
        sec += 1;
        usec -= 1_000_000;
    }
    // A tiny positive delay must not become 0 (which disarms the timer).
    if sec == 0 && usec == 0 && secs > 0.0 {
        usec = 1;
    }
    Ok(libc::timeval { tv_sec: sec as libc::time_t, tv_usec: usec as libc::suseconds_t })
}

fn m_setitimer(_m: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    argparse::check_positional("setitimer", a.len(), 2, 3)?;
    let which = argparse::c_int(a[0])?;
    let new = libc::itimerval { it_value: timeval_arg(Some(a[1]))?, it_interval: timeval_arg(a.get(2).copied())? };
    // SAFETY: an all-zero itimerval is valid to be overwritten.
    let mut old: libc::itimerval = unsafe { core::mem::zeroed() };
    // SAFETY: valid pointers.
    if unsafe { libc::setitimer(which as _, &new, &mut old) } != 0 {
        return Err(itimer_error(super::posix::errno()));
    }
    Ok(timer_tuple(&old))
}

fn m_getitimer(_m: &Obj, which: &Obj) -> PyResult<PyRef> {
    let which = argparse::c_int(which)?;
    // SAFETY: an all-zero itimerval is valid to be overwritten.
    let mut cur: libc::itimerval = unsafe { core::mem::zeroed() };
    // SAFETY: a valid out-pointer.
    if unsafe { libc::getitimer(which as _, &mut cur) } != 0 {
        return Err(itimer_error(super::posix::errno()));
    }
    Ok(timer_tuple(&cur))
}

/// A set of signal numbers from an iterable of ints.
fn sigset_arg(o: &Obj) -> PyResult<libc::sigset_t> {
    // SAFETY: an empty set, filled with checked signal numbers.
    unsafe {
        let mut set: libc::sigset_t = core::mem::zeroed();
        libc::sigemptyset(&mut set);
        for it in crate::objects::iterobject::collect(o)? {
            let sig = signum(&it)?;
            libc::sigaddset(&mut set, sig as c_int);
        }
        Ok(set)
    }
}

fn sigset_object(set: &libc::sigset_t) -> PyResult<PyRef> {
    let out = set::new_empty();
    for sig in 1..NSIG as c_int {
        // SAFETY: a valid set.
        if unsafe { libc::sigismember(set, sig) } == 1 {
            set::add(&out, &long::from_i64(sig as i64))?;
        }
    }
    Ok(out)
}

fn m_pthread_sigmask(_m: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    argparse::check_positional("pthread_sigmask", a.len(), 2, 2)?;
    let how = argparse::c_int(a[0])?;
    let set = sigset_arg(a[1])?;
    // SAFETY: an all-zero set is valid to be overwritten.
    let mut old: libc::sigset_t = unsafe { core::mem::zeroed() };
    // SAFETY: valid sets.
    let r = unsafe { libc::pthread_sigmask(how, &set, &mut old) };
    if r != 0 {
        return Err(super::posix::os_error(r, None, None));
    }
    check_signals()?;
    sigset_object(&old)
}

fn m_sigpending(_m: &Obj) -> PyResult<PyRef> {
    // SAFETY: an all-zero set is valid to be overwritten.
    let mut set: libc::sigset_t = unsafe { core::mem::zeroed() };
    // SAFETY: a valid out-pointer.
    if unsafe { libc::sigpending(&mut set) } != 0 {
        return Err(super::posix::last_error(None));
    }
    sigset_object(&set)
}

fn m_pthread_kill(_m: &Obj, a: &[&Obj]) -> PyResult<PyRef> {
    argparse::check_positional("pthread_kill", a.len(), 2, 2)?;
    let id = long::to_u64(&*abstract_::index(a[0])?).ok_or_else(|| raise!(OverflowError, "Python int too large to convert to C unsigned long"))?;
    let sig = argparse::c_int(a[1])?;
    // SAFETY: signalling a thread id the caller names (pthread_kill validates it).
    let r = unsafe { libc::pthread_kill(id as libc::pthread_t, sig) };
    if r != 0 {
        return Err(super::posix::os_error(r, None, None));
    }
    check_signals()?;
    Ok(none::none())
}

method_table!(static SIGNAL_METHODS = [
    fast c"setitimer" => m_setitimer,
    o c"getitimer" => m_getitimer,
    fast c"pthread_sigmask" => m_pthread_sigmask,
    noargs c"sigpending" => m_sigpending,
    fast c"pthread_kill" => m_pthread_kill,
    fast c"signal" => m_signal,
    o c"getsignal" => m_getsignal,
    fast c"default_int_handler" => m_default_int_handler,
    o c"raise_signal" => m_raise_signal,
    o c"alarm" => m_alarm,
    noargs c"pause" => m_pause,
    kw c"set_wakeup_fd" => m_set_wakeup_fd,
    o c"strsignal" => m_strsignal,
    noargs c"valid_signals" => m_valid_signals,
    fast c"siginterrupt" => m_siginterrupt,
]);

/// Signal numbers on Linux (`<signal.h>`).
const SIGNALS: &[(&str, i64)] = &[
    ("SIGABRT", 6), ("SIGALRM", 14), ("SIGBUS", 7), ("SIGCHLD", 17), ("SIGCLD", 17), ("SIGCONT", 18), ("SIGFPE", 8),
    ("SIGHUP", 1), ("SIGILL", 4), ("SIGINT", 2), ("SIGIO", 29), ("SIGIOT", 6), ("SIGKILL", 9), ("SIGPIPE", 13),
    ("SIGPOLL", 29), ("SIGPROF", 27), ("SIGPWR", 30), ("SIGQUIT", 3), ("SIGSEGV", 11), ("SIGSTKFLT", 16), ("SIGSTOP", 19),
    ("SIGSYS", 31), ("SIGTERM", 15), ("SIGTRAP", 5), ("SIGTSTP", 20), ("SIGTTIN", 21), ("SIGTTOU", 22), ("SIGURG", 23),
    ("SIGUSR1", 10), ("SIGUSR2", 12), ("SIGVTALRM", 26), ("SIGWINCH", 28), ("SIGXCPU", 24), ("SIGXFSZ", 25),
    ("ITIMER_REAL", 0), ("ITIMER_VIRTUAL", 1), ("ITIMER_PROF", 2),
    ("SIG_DFL", SIG_DFL), ("SIG_IGN", SIG_IGN), ("SIG_BLOCK", 0), ("SIG_UNBLOCK", 1), ("SIG_SETMASK", 2), ("NSIG", NSIG as i64),
];

pub fn create() -> PyResult<PyRef> {
    // SAFETY: the table is static.
    let m = unsafe { super::new_module("_signal", SIGNAL_METHODS.0.get() as *mut PyMethodDef)? };
    super::add_ints(&m, SIGNALS)?;
    let d = module::dict_of(&m);
    let (rtmin, rtmax) = (libc::SIGRTMIN(), libc::SIGRTMAX());
    super::add_ints(&m, &[("SIGRTMIN", rtmin as i64), ("SIGRTMAX", rtmax as i64)])?;
    if ITIMER_ERROR.get().is_none() {
        let ns = dict::new();
        dict::set_item_str(&ns, "__module__", &unicode::new("signal"))?;
        let bases = tuple::new_from(&[crate::objects::exceptions::OSError()]);
        let t = abstract_::call(&crate::objects::type_::PyType_Type, &tuple::new_from(&[&*unicode::new("itimer_error"), &*bases, &*ns]), None)?;
        let _ = ITIMER_ERROR.set(crate::object::SyncPtr(crate::object::make_immortal(t)));
    }
    // SAFETY: immortal.
    dict::set_item_str(d, "ItimerError", unsafe { Obj::from_ptr(ITIMER_ERROR.get().expect("made above").0) })?;
    // What each signal does now: SIG_DFL, SIG_IGN, or None for a handler not set from Python.
    for sig in 1..NSIG {
        if handler(sig).is_some() {
            continue;
        }
        // SAFETY: reading the disposition into a zeroed sigaction.
        let cur = unsafe {
            let mut sa: libc::sigaction = core::mem::zeroed();
            if libc::sigaction(sig as c_int, core::ptr::null(), &mut sa) != 0 {
                continue;
            }
            sa.sa_sigaction
        };
        let h = match cur {
            libc::SIG_DFL => long::from_i64(SIG_DFL),
            libc::SIG_IGN => long::from_i64(SIG_IGN),
            _ => none::none(),
        };
        set_handler(sig, &h);
    }
    // Ctrl-C raises KeyboardInterrupt, unless something else took SIGINT over.
    if handler(libc::SIGINT as usize).is_some_and(|h| long::check(&h) && long::to_i64(&h) == Some(SIG_DFL)) && is_main_thread() {
        let dih = dict::get_item_str(d, "default_int_handler").expect("defined above");
        install(libc::SIGINT, trip_signal as extern "C" fn(c_int) as libc::sighandler_t)?;
        set_handler(libc::SIGINT as usize, &dih);
    }
    Ok(m)
}
