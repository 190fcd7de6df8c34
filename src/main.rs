//! The `pyrite` command: CPython's command line (`vm::run::cli`), plus developer aids —
//! `--capi-coverage` (the C API export table against the manifest), `--ext-call` (load an
//! extension module and call one function) and `--dis` (the bytecode of a file).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use pyrite::vm::objects::{long, tuple, unicode};
use pyrite::vm::{abstract_, import::extension, run, PyRef};

const USAGE: &str = "usage: pyrite [-bBdEhiIOPqRsSuvVx?] [-W FILTER] [-X OPT] [-c CMD | -m MOD | FILE | -] [ARG ...]
       (CPython's options; -X pystats: print specialization statistics at exit)
       pyrite --capi-coverage
       pyrite --ext-call PATH.so FUNCTION [ARG ...]   (ARG: an int, or else a str)
       pyrite --version";

/// Which standard descriptors were closed when the process started, probed before Rust's
/// runtime start-up reopens closed ones on /dev/null (so `sys.stdout` can be None, as
/// CPython's). Bit `fd` set: closed.
static CLOSED_AT_START: std::sync::atomic::AtomicU8 = std::sync::atomic::AtomicU8::new(0);

extern "C" fn probe_std_fds() {
    for fd in 0..3 {
        // SAFETY: querying a descriptor's flags touches no memory.
        if unsafe { libc::fcntl(fd, libc::F_GETFD) } == -1 {
            CLOSED_AT_START.fetch_or(1 << fd, std::sync::atomic::Ordering::Relaxed);
        }
    }
}

// Runs from the C runtime's constructors, before `main` and Rust's own start-up.
#[used]
#[unsafe(link_section = ".init_array")]
static PROBE_STD_FDS: extern "C" fn() = probe_std_fds;

fn main() -> ExitCode {
    let closed = CLOSED_AT_START.load(std::sync::atomic::Ordering::Relaxed);
    run::set_closed_std_fds([0, 1, 2].map(|fd| closed & (1 << fd) != 0));
    let args: Vec<String> = std::env::args().skip(1).collect();
    if !matches!(args.first().map(String::as_str), Some("--capi-coverage" | "--ext-call" | "--dis")) {
        // The command line starts the runtime itself, once its options are read.
        let program = std::env::args().next().unwrap_or_else(|| "pyrite".into());
        return exit(run::cli(&program, &args, USAGE, pyrite::initialize));
    }
    pyrite::initialize();
    match args.first().map(String::as_str) {
        Some("--capi-coverage") => {
            let c = pyrite::capi::coverage();
            println!("exported {}/{}, implemented {}/{}", c.exported, c.manifest, c.implemented, c.manifest);
            if !c.missing.is_empty() {
                println!("not exported: {}", c.missing.join(" "));
                return ExitCode::FAILURE;
            }
            ExitCode::SUCCESS
        }
        Some("--ext-call") if args.len() >= 3 => ext_call(Path::new(&args[1]), &args[2], &args[3..]),
        Some("--dis") if args.len() >= 2 => {
            // Developer aid: the bytecode the compiler makes for a file.
            let src = std::fs::read_to_string(&args[1]).unwrap_or_default();
            match pyrite::vm::compiler::compile(&src, &args[1], pyrite::vm::compiler::Mode::Exec) {
                Ok(code) => {
                    print!("{}", pyrite::vm::bytecode::disassemble_code(&code));
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("{e:?}");
                    ExitCode::FAILURE
                }
            }
        }
        _ => {
            eprintln!("{USAGE}");
            exit(2)
        }
    }
}

fn exit(status: i32) -> ExitCode {
    ExitCode::from(status.clamp(0, 255) as u8)
}

/// Loads an extension module and prints `repr(module.function(*args))`, or the exception.
fn ext_call(path: &Path, function: &str, raw_args: &[String]) -> ExitCode {
    let file = path.file_name().and_then(|f| f.to_str()).unwrap_or_default();
    let name = file.split('.').next().unwrap_or(file).to_string();
    let spec = extension::Spec { name, origin: PathBuf::from(path).display().to_string() };
    let result = extension::load(path, &spec).and_then(|m| {
        let f = abstract_::getattr_str(&m, function)?;
        let args: Vec<PyRef> = raw_args
            .iter()
            .map(|a| a.parse::<i64>().map(long::from_i64).unwrap_or_else(|_| unicode::new(a)))
            .collect();
        let t = tuple::new_from_owned(args);
        let r = abstract_::call(&f, &t, None)?;
        abstract_::repr(&r)
    });
    match result {
        Ok(s) => {
            println!("{}", unicode::as_str_lossy(&s));
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{e:?}");
            ExitCode::FAILURE
        }
    }
}
