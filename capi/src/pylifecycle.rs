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

const USAGE: &str = "usage: python3 [-X OPT ...] [-c CMD | -m MOD | FILE | -] [ARG ...]";

capi! {
    fn Py_BytesMain(argc: c_int, argv: *mut *mut c_char) -> c_int [1] {
        let args: Vec<String> = (0..argc.max(0) as usize)
            .map(|i| core::ffi::CStr::from_ptr(*argv.add(i)).to_string_lossy().into_owned())
            .collect();
        crate::initialize();
        let (program, rest) = split_args(args);
        Ok(pyrite_vm::run::cli(&program, &rest, USAGE))
    }
    fn Py_Main(argc: c_int, argv: *mut *mut u32) -> c_int [1] {
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
        crate::initialize();
        let (program, rest) = split_args(args);
        Ok(pyrite_vm::run::cli(&program, &rest, USAGE))
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
    fn Py_IsFinalizing() -> c_int [0] { Ok(0) }
    fn Py_AtExit(f: Option<extern "C" fn()>) -> c_int [-1] {
        let Some(f) = f else { return Ok(-1) };
        Ok(if pyrite_vm::run::register_c_atexit(f) { 0 } else { -1 })
    }
    fn Py_FinalizeEx() -> c_int [-1] {
        pyrite_vm::run::finalize();
        Ok(0)
    }
    fn Py_Finalize() -> () [()] {
        pyrite_vm::run::finalize();
        Ok(())
    }
    fn Py_Exit(status: c_int) -> () [()] {
        pyrite_vm::run::finalize();
        std::process::exit(status)
    }
    fn Py_GetVersion() -> *const c_char [core::ptr::null()] { Ok(version()) }
    fn Py_FatalError(msg: *const c_char) -> () [()] {
        let m = if msg.is_null() { "".into() } else { core::ffi::CStr::from_ptr(msg).to_string_lossy() };
        eprintln!("Fatal Python error: {m}");
        std::process::abort()
    }
}

