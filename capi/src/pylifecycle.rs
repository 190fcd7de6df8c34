//! `pylifecycle.h`: initialization, finalization and version information for embedders
//! and extensions.

use core::ffi::{c_char, c_int};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::OnceLock;


use crate::capi;

static INITIALIZED: AtomicBool = AtomicBool::new(false);

/// Marks the runtime initialized (`crate::initialize` calls this).
pub fn mark_initialized() {
    INITIALIZED.store(true, Ordering::Release);
}

pub fn is_initialized() -> bool {
    INITIALIZED.load(Ordering::Acquire)
}

/// `wchar_t` strings handed out by the deprecated `Py_Get*` path functions: made once per
/// distinct value and kept for the process's life, as CPython keeps its configuration.
fn wide(s: &str) -> *mut u32 {
    use std::collections::HashMap;
    use std::sync::Mutex;
    static KEPT: Mutex<Option<HashMap<String, usize>>> = Mutex::new(None);
    let mut kept = KEPT.lock().unwrap_or_else(|p| p.into_inner());
    let map = kept.get_or_insert_with(HashMap::new);
    let p = *map.entry(s.to_string()).or_insert_with(|| {
        let v: Vec<u32> = s.chars().map(|c| c as u32).chain(core::iter::once(0)).collect();
        Box::leak(v.into_boxed_slice()).as_mut_ptr() as usize
    });
    p as *mut u32
}

/// A NUL-terminated `wchar_t` string from an embedder, or None for NULL.
///
/// # Safety
/// `p` is NULL or a NUL-terminated `wchar_t` (32-bit) string.
unsafe fn from_wide(p: *const u32) -> Option<String> {
    if p.is_null() {
        return None;
    }
    let mut s = String::new();
    let mut q = p;
    // SAFETY: guaranteed by the caller.
    unsafe {
        while *q != 0 {
            s.push(char::from_u32(*q).unwrap_or('\u{fffd}'));
            q = q.add(1);
        }
    }
    Some(s)
}

/// A string attribute of `sys` as `wchar_t *`, NULL before initialization.
fn sys_wide(name: &str) -> *mut u32 {
    if !is_initialized() {
        return core::ptr::null_mut();
    }
    let sys = pyrite_vm::sys::module();
    let d = pyrite_vm::objects::module::dict_of(&sys);
    match pyrite_vm::objects::dict::get_item_str(d, name).and_then(|v| pyrite_vm::objects::unicode::as_str(&v).ok().map(str::to_string)) {
        Some(v) => wide(&v),
        None => wide(""),
    }
}

static PROGRAM_NAME: std::sync::Mutex<Option<String>> = std::sync::Mutex::new(None);

/// `sys.version` as a C string, made once.
fn version() -> *const c_char {
    static V: OnceLock<std::ffi::CString> = OnceLock::new();
    V.get_or_init(|| {
        let v = pyrite_vm::objects::dict::get_item_str(pyrite_vm::objects::module::dict_of(&pyrite_vm::sys::module()), "version")
            .and_then(|v| pyrite_vm::objects::unicode::as_str(&v).ok().map(str::to_string))
            .unwrap_or_else(|| "3.15.0".to_string());
        std::ffi::CString::new(v).unwrap_or_default()
    })
    .as_ptr()
}

/// The arguments of `Py_BytesMain`/`Py_Main` after `argv[0]`, and `argv[0]`.
fn split_args(args: Vec<String>) -> (String, Vec<String>) {
    let mut it = args.into_iter();
    let program = it.next().unwrap_or_else(|| "python3".into());
    (program, it.collect())
}

/// CPython 3.13+ refuses to start a main program while one runs (an extension calling
/// `Py_BytesMain` from a script): it reports the error as CPython 3.15 prints it.
fn main_is_running() -> bool {
    if !is_initialized() || !pyrite_vm::run::main_is_running() {
        return false;
    }
    pyrite_vm::traceback::write_stderr("concurrent.interpreters.InterpreterError: interpreter already running\n");
    true
}

const USAGE: &str = "usage: python3 [-bBdEhiIOPqRsSuvVx?] [-W FILTER] [-X OPT] [-c CMD | -m MOD | FILE | -] [ARG ...]";

capi! {
    fn Py_BytesMain(argc: c_int, argv: *mut *mut c_char) -> c_int [1] {
        if main_is_running() { return Ok(1); }
        let args: Vec<String> = (0..argc.max(0) as usize)
            .map(|i| core::ffi::CStr::from_ptr(*argv.add(i)).to_string_lossy().into_owned())
            .collect();
        let (program, rest) = split_args(args);
        Ok(pyrite_vm::run::cli(&program, &rest, USAGE, crate::initialize))
    }
    fn Py_Main(argc: c_int, argv: *mut *mut u32) -> c_int [1] {
        if main_is_running() { return Ok(1); }
        // `wchar_t` is 32 bits on Linux.
        let args: Vec<String> = (0..argc.max(0) as usize)
            .map(|i| {
                let mut p = *argv.add(i);
                let mut s = String::new();
                while *p != 0 {
                    s.push(char::from_u32(*p).unwrap_or('\u{fffd}'));
                    p = p.add(1);
                }
                s
            })
            .collect();
        let (program, rest) = split_args(args);
        Ok(pyrite_vm::run::cli(&program, &rest, USAGE, crate::initialize))
    }
    fn Py_IsInitialized() -> c_int [0] { Ok(INITIALIZED.load(Ordering::Acquire) as c_int) }
    fn Py_Initialize() -> () [()] {
        crate::initialize();
        Ok(())
    }
    fn Py_InitializeEx(_install_signal_handlers: c_int) -> () [()] {
        crate::initialize();
        Ok(())
    }
    fn Py_IsFinalizing() -> c_int [0] { Ok(pyrite_vm::sys::is_finalizing() as c_int) }
    fn Py_AtExit(f: Option<extern "C" fn()>) -> c_int [-1] {
        let Some(f) = f else { return Ok(-1) };
        Ok(if pyrite_vm::run::register_c_atexit(f) { 0 } else { -1 })
    }
    fn Py_FinalizeEx() -> c_int [-1] {
        pyrite_vm::run::finalize();
        INITIALIZED.store(false, Ordering::Release);
        Ok(0)
    }
    fn Py_Finalize() -> () [()] {
        pyrite_vm::run::finalize();
        INITIALIZED.store(false, Ordering::Release);
        Ok(())
    }
    fn Py_Exit(status: c_int) -> () [()] {
        pyrite_vm::run::finalize();
        std::process::exit(status)
    }
    fn Py_GetVersion() -> *const c_char [core::ptr::null()] { Ok(version()) }
    // The deprecated path-configuration getters: strings the runtime keeps, NULL before
    // initialization (as CPython 3.13+).
    fn Py_GetPrefix() -> *mut u32 [core::ptr::null_mut()] { Ok(sys_wide("prefix")) }
    fn Py_GetExecPrefix() -> *mut u32 [core::ptr::null_mut()] { Ok(sys_wide("exec_prefix")) }
    fn Py_GetProgramFullPath() -> *mut u32 [core::ptr::null_mut()] { Ok(sys_wide("executable")) }
    /// The path `Py_SetPath` gave, else `sys.path` joined with `:` (the module search path).
    fn Py_GetPath() -> *mut u32 [core::ptr::null_mut()] {
        if !is_initialized() { return Ok(core::ptr::null_mut()); }
        if let Some(p) = pyrite_vm::sys::module_search_path() { return Ok(wide(&p)); }
        let entries: Vec<String> = pyrite_vm::sys::path()
            .map(|p| pyrite_vm::objects::list::to_vec(&p).iter().filter_map(|e| pyrite_vm::objects::unicode::as_str(e).ok().map(str::to_string)).collect())
            .unwrap_or_default();
        Ok(wide(&entries.join(":")))
    }
    /// The name `Py_SetProgramName` gave, else `argv[0]`.
    fn Py_GetProgramName() -> *mut u32 [core::ptr::null_mut()] {
        if !is_initialized() { return Ok(core::ptr::null_mut()); }
        let name = PROGRAM_NAME.lock().unwrap_or_else(|p| p.into_inner()).clone();
        Ok(wide(&name.unwrap_or_else(|| std::env::args().next().unwrap_or_else(|| "python3".into()))))
    }
    /// `Py_SetPythonHome`'s home, else `PYTHONHOME`, else NULL.
    fn Py_GetPythonHome() -> *mut u32 [core::ptr::null_mut()] {
        Ok(pyrite_vm::sys::python_home().map_or(core::ptr::null_mut(), |h| wide(&h)))
    }
    fn Py_SetProgramName(name: *const u32) -> () [()] {
        *PROGRAM_NAME.lock().unwrap_or_else(|p| p.into_inner()) = from_wide(name);
        Ok(())
    }
    /// Before initialization: where the standard library is (`PYTHONHOME`'s role).
    fn Py_SetPythonHome(home: *const u32) -> () [()] {
        pyrite_vm::sys::set_python_home(from_wide(home));
        Ok(())
    }
    /// Before initialization: the module search path, replacing the standard library's discovery.
    fn Py_SetPath(path: *const u32) -> () [()] {
        pyrite_vm::sys::set_module_search_path(from_wide(path));
        Ok(())
    }
    /// The process's original command line (`argv`, as `wchar_t` strings kept for its life).
    fn Py_GetArgcArgv(argc: *mut c_int, argv: *mut *mut *mut u32) -> () [()] {
        static ARGV: OnceLock<(usize, usize)> = OnceLock::new();
        let &(n, p) = ARGV.get_or_init(|| {
            let args: Vec<*mut u32> = std::env::args_os().map(|a| wide(&a.to_string_lossy())).chain(core::iter::once(core::ptr::null_mut())).collect();
            let n = args.len() - 1;
            (n, Box::leak(args.into_boxed_slice()).as_mut_ptr() as usize)
        });
        if !argc.is_null() { *argc = n as c_int; }
        if !argv.is_null() { *argv = p as *mut *mut u32; }
        Ok(())
    }
    /// A legacy sub-interpreter (shared GIL and objects; its own `sys`, `builtins` and
    /// `__main__`) and a thread state of it, now current (the caller's, if any, is swapped
    /// out); NULL (the caller's state current again, the error reported) if it cannot be made.
    fn Py_NewInterpreter() -> *mut pyrite_vm::gil::ThreadState [core::ptr::null_mut()] {
        if !is_initialized() {
            eprintln!("Fatal Python error: Py_NewInterpreter: Py_Initialize must be called first");
            std::process::abort()
        }
        match pyrite_vm::subinterpreter::new_interpreter() {
            Ok(ts) => Ok(ts),
            Err(e) => {
                if pyrite_vm::gil::current().is_null() {
                    // No thread state to report it with (the caller had none).
                    eprintln!("Py_NewInterpreter: the sub-interpreter could not be made");
                    core::mem::forget(e);
                } else {
                    pyrite_vm::traceback::print_exception(e.value());
                }
                Ok(core::ptr::null_mut())
            }
        }
    }
    /// Ends the interpreter of `ts` (current, its only thread state): its modules are
    /// cleared and it is freed; no thread state is current afterwards.
    fn Py_EndInterpreter(ts: *mut pyrite_vm::gil::ThreadState) -> () [()] {
        pyrite_vm::subinterpreter::end_interpreter(ts);
        Ok(())
    }
    fn Py_FatalError(msg: *const c_char) -> () [()] {
        let m = if msg.is_null() { "".into() } else { core::ffi::CStr::from_ptr(msg).to_string_lossy() };
        eprintln!("Fatal Python error: {m}");
        std::process::abort()
    }
}

