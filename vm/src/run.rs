//! Running programs the way `python` does: `__main__`, `sys.argv`/`sys.path`, uncaught
//! exceptions printed with their traceback, `SystemExit` turned into the exit status.

use std::io::Write;
use std::path::Path;

use crate::config::Config;
use crate::err::{PyErr, PyResult};
use crate::object::PyRef;
use crate::objects::{dict, exceptions as exc, list, long, module, none, unicode};

/// What to run.
pub enum Program<'a> {
    File(&'a Path),
    Command(&'a str),
    Module(&'a str),
    /// No program: the interactive prompt on a terminal, else standard input as a script.
    Stdin,
}

/// What the command line asked for, once its options are read.
enum Invocation {
    Run(OwnedProgram, Vec<String>),
    Version(u8),
    Help,
    /// A bad command line: the message (the usage follows it), exit status 2.
    Bad(String),
}

/// [`Program`] with owned names, as read from the command line.
enum OwnedProgram {
    File(std::path::PathBuf),
    Command(String),
    Module(String),
    Stdin,
}

/// Reads CPython's options (`-bBdEhiIOPqsSuvVx?`, `-c CMD`, `-m MOD`, `-W FILTER`, `-X OPT`,
/// combined as `-IEs` or `-Wdefault`, `--` ending them, `--version`, `--help`) into `config`,
/// the -X and -W lists, and what to run with its `sys.argv`.
fn parse_options(args: &[String], config: &mut Config, xoptions: &mut Vec<String>, warnoptions: &mut Vec<String>) -> Invocation {
    let mut i = 0;
    let mut version = 0u8;
    while i < args.len() {
        let a = &args[i];
        if a == "--" {
            i += 1;
            break;
        }
        if !a.starts_with('-') || a == "-" {
            break;
        }
        if let Some(long) = a.strip_prefix("--") {
            match long {
                "version" => version += 1,
                "help" | "help-env" | "help-xoptions" | "help-all" => return Invocation::Help,
                _ => return Invocation::Bad(format!("unknown option {a}")),
            }
            i += 1;
            continue;
        }
        let opts: Vec<char> = a[1..].chars().collect();
        let mut k = 0;
        while k < opts.len() {
            let c = opts[k];
            k += 1;
            if matches!(c, 'c' | 'm' | 'W' | 'X') {
                // The option's argument: the rest of this word, else the next word.
                let value = if k < opts.len() {
                    opts[k..].iter().collect::<String>()
                } else if i + 1 < args.len() {
                    i += 1;
                    args[i].clone()
                } else {
                    return Invocation::Bad(format!("Argument expected for the -{c} option"));
                };
                i += 1;
                match c {
                    'c' => {
                        let mut argv = vec!["-c".to_string()];
                        argv.extend(args[i..].iter().cloned());
                        return Invocation::Run(OwnedProgram::Command(value), argv);
                    }
                    'm' => {
                        // `runpy` replaces "-m" with the module's path.
                        let mut argv = vec!["-m".to_string()];
                        argv.extend(args[i..].iter().cloned());
                        return Invocation::Run(OwnedProgram::Module(value), argv);
                    }
                    'W' => warnoptions.push(value),
                    _ => xoptions.push(value),
                }
                k = usize::MAX;
                break;
            }
            match c {
                'b' => config.bytes_warning = config.bytes_warning.saturating_add(1),
                'B' => config.dont_write_bytecode = true,
                'd' => config.debug = config.debug.saturating_add(1),
                'E' => config.ignore_environment = true,
                'h' | '?' => return Invocation::Help,
                'i' => config.inspect = true,
                'I' => config.isolated = true,
                'O' => config.optimize = config.optimize.saturating_add(1),
                'P' => config.safe_path = true,
                'q' => config.quiet = true,
                'R' => config.random_hash = true,
                's' => config.no_user_site = true,
                'S' => config.no_site = true,
                'u' => config.unbuffered = true,
                'v' => config.verbose = config.verbose.saturating_add(1),
                'V' => version += 1,
                'x' => config.skip_first_line = true,
                _ => return Invocation::Bad(format!("Unknown option: -{c}")),
            }
        }
        if k != usize::MAX {
            i += 1;
        }
    }
    if version > 0 {
        return Invocation::Version(version);
    }
    match args.get(i) {
        None => Invocation::Run(OwnedProgram::Stdin, vec![String::new()]),
        Some(a) if a == "-" => Invocation::Run(OwnedProgram::Stdin, args[i..].to_vec()),
        Some(file) => Invocation::Run(OwnedProgram::File(file.into()), args[i..].to_vec()),
    }
}

/// The Python command line (`pyrite ...`, and `Py_BytesMain`/`Py_Main` for embedders):
/// CPython's options (see [`parse_options`]), then `-c CMD`, `-m MOD`, `FILE`, `-` or no
/// program (the prompt on a terminal, else standard input) with the program's arguments.
/// `program` is the command's name for messages; `usage` is printed for `-h` and bad command
/// lines. `start` starts the runtime (the C API's initialization) once the options are read,
/// so `-E` governs `PYTHONHASHSEED`; for an embedder whose runtime already runs, the
/// configuration it started with stays (see [`crate::config::set`]). Returns the exit status.
pub fn cli(program: &str, args: &[String], usage: &str, start: fn()) -> i32 {
    let mut config = Config::default();
    let mut xoptions = Vec::new();
    let mut warnoptions = Vec::new();
    let invocation = parse_options(args, &mut config, &mut xoptions, &mut warnoptions);
    config.apply_environment();
    config.apply_xoptions(&xoptions);
    // `sys.warnoptions`: PYTHONWARNINGS's comma-separated filters, then the -W options.
    let mut all_warnoptions: Vec<String> = crate::config::env_before_start(&config, "PYTHONWARNINGS")
        .map(|v| v.split(',').filter(|w| !w.is_empty()).map(str::to_string).collect())
        .unwrap_or_default();
    all_warnoptions.extend(warnoptions);
    // As CPython: -b adds a bytes warning filter after the -W ones (so it takes precedence).
    match config.bytes_warning {
        0 => {}
        1 => all_warnoptions.push("default::BytesWarning".into()),
        _ => all_warnoptions.push("error::BytesWarning".into()),
    }
    reserve_closed_std_fds(&mut config);
    crate::config::set(config);
    start();
    crate::initialize();
    if let Err(e) = crate::sys::set_xoptions(&xoptions) {
        eprintln!("{program}: bad -X option: {e:?}");
        return 2;
    }
    if let Err(e) = crate::sys::set_warnoptions(&all_warnoptions) {
        eprintln!("{program}: bad -W option: {e:?}");
        return 2;
    }
    match invocation {
        Invocation::Version(n) => {
            if n > 1 {
                println!("Python 3.15.0 (pyrite {}) [rustc]", env!("CARGO_PKG_VERSION"));
            } else {
                println!("Python 3.15.0");
            }
            0
        }
        Invocation::Help => {
            println!("{usage}");
            0
        }
        Invocation::Bad(message) => {
            eprintln!("{message}\n{usage}\nTry `python -h' for more information.");
            2
        }
        Invocation::Run(p, argv) => {
            let program_ref = match &p {
                OwnedProgram::File(path) => {
                    if !path.is_file() {
                        let abs = std::path::absolute(path).unwrap_or_else(|_| path.clone());
                        eprintln!("{program}: can't open file '{}': [Errno 2] No such file or directory", abs.display());
                        return 2;
                    }
                    Program::File(path)
                }
                OwnedProgram::Command(c) => Program::Command(c),
                OwnedProgram::Module(m) => Program::Module(m),
                OwnedProgram::Stdin => Program::Stdin,
            };
            main(program_ref, &argv)
        }
    }
}

/// Standard descriptors the process started with closed, as the `pyrite` binary probed them
/// before Rust's start-up put /dev/null on them.
static CLOSED_STD_FDS: std::sync::Mutex<[bool; 3]> = std::sync::Mutex::new([false; 3]);

/// Records which standard descriptors were closed at process start (see [`CLOSED_STD_FDS`]).
pub fn set_closed_std_fds(closed: [bool; 3]) {
    *CLOSED_STD_FDS.lock().unwrap_or_else(|p| p.into_inner()) = closed;
}

/// As CPython, a standard descriptor closed at start-up makes its `sys` stream None. Until the
/// streams are made, and after, the descriptor is held open on /dev/null, so no file the
/// runtime opens lands on it (and output written to it by native code is discarded).
fn reserve_closed_std_fds(config: &mut Config) {
    let recorded = *CLOSED_STD_FDS.lock().unwrap_or_else(|p| p.into_inner());
    for fd in 0..3 {
        if recorded[fd as usize] {
            // Already on /dev/null (Rust's start-up put it there).
            config.closed_std_fds[fd as usize] = true;
            continue;
        }
        // SAFETY: probing and opening descriptors; no memory is involved.
        unsafe {
            if libc::fcntl(fd, libc::F_GETFD) != -1 {
                continue;
            }
            config.closed_std_fds[fd as usize] = true;
            let null = libc::open(c"/dev/null".as_ptr(), libc::O_RDWR | libc::O_CLOEXEC);
            if null >= 0 && null != fd {
                libc::dup2(null, fd);
                libc::close(null);
            }
        }
    }
}

/// Set while `main` runs a program (CPython's "running main" mark of the interpreter).
static MAIN_RUNNING: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// A main program is running (`Py_BytesMain` from inside one is refused, as in CPython 3.13+).
pub fn main_is_running() -> bool {
    MAIN_RUNNING.load(std::sync::atomic::Ordering::Acquire)
}

/// Prepares `sys` (argv, path with PYTHONPATH) and runs the program; returns the exit status.
pub fn main(program: Program<'_>, argv: &[String]) -> i32 {
    crate::initialize();
    MAIN_RUNNING.store(true, std::sync::atomic::Ordering::Release);
    let result = (|| -> PyResult<()> {
        crate::sys::set_argv(argv)?;
        let config = crate::config::get();
        if !config.no_site {
            add_site_builtins()?;
        }
        let path = crate::sys::path().expect("sys.path");
        // The script's folder (or the working directory) goes first, unless -P/-I.
        if !config.safe_path {
            let first = match &program {
                Program::File(p) => p.parent().map(|d| if d.as_os_str().is_empty() { ".".into() } else { d.display().to_string() }).unwrap_or_default(),
                Program::Command(_) | Program::Stdin => String::new(),
                Program::Module(_) => std::env::current_dir().map(|d| d.display().to_string()).unwrap_or_default(),
            };
            list::append(&path, &unicode::new(&first));
        }
        if let Some(pp) = crate::config::env("PYTHONPATH") {
            for entry in pp.split(':').filter(|e| !e.is_empty()) {
                list::append(&path, &unicode::new(entry));
            }
        }
        crate::sys::add_stdlib_path()?;
        crate::sys::add_info_attributes()?;
        // As CPython's start-up: with warning options, `warnings` is imported now and
        // installs their filters before the program runs.
        if crate::sys::has_warnoptions() {
            crate::import::import_module("warnings")?;
        }
        // As CPython at startup: Ctrl-C raises KeyboardInterrupt (`_signal` installs
        // `default_int_handler` for SIGINT when nothing else handles it).
        crate::import::import_module("_signal")?;
        match program {
            Program::Module(name) => {
                // `-m`: as CPython, `runpy` finds the module (a package runs its `__main__`),
                // sets `__spec__`/`__package__`/`__file__` and `sys.argv[0]`, and runs it in
                // `__main__`'s namespace; a module it cannot find exits with its message.
                main_module(None)?;
                let runpy = crate::import::import_module("runpy")?;
                let run = crate::abstract_::getattr_str(&runpy, "_run_module_as_main")?;
                crate::abstract_::call_one_arg(&run, &unicode::new(name)).map(drop)
            }
            Program::File(p) => {
                // CPython runs (and reports) the script under its absolute path.
                let p = std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
                let main = main_module(Some(&p))?;
                run_file(&main, &p)
            }
            Program::Stdin => {
                use std::io::{IsTerminal, Read};
                let main = main_module(None)?;
                if std::io::stdin().is_terminal() {
                    return repl(&main);
                }
                let mut src = String::new();
                std::io::stdin().read_to_string(&mut src).map_err(|e| raise!(OSError, "{}", e))?;
                let code = crate::compiler::compile(&src, "<stdin>", crate::compiler::Mode::Exec)?;
                crate::interp::run_code(&code, module::dict_of(&main), Some(module::dict_of(&main))).map(drop)
            }
            Program::Command(src) => {
                let main = main_module(None)?;
                let code = crate::compiler::compile(&dedent(src), "<string>", crate::compiler::Mode::Exec)?;
                crate::interp::run_code(&code, module::dict_of(&main), Some(module::dict_of(&main))).map(drop)
            }
        }
    })();
    // -i: the prompt after the program — after its traceback if it failed; a SystemExit
    // does not end the process then (CPython's `handle_system_exit` under -i).
    let result = match result {
        Err(e) if crate::config::get().inspect => {
            crate::stdlib::io::flush_std_streams();
            if !e.is_instance(exc::SystemExit()) {
                crate::traceback::print_exception(e.value());
            }
            inspect()
        }
        Ok(()) if crate::config::get().inspect => inspect(),
        other => other,
    };
    MAIN_RUNNING.store(false, std::sync::atomic::Ordering::Release);
    let interrupted = matches!(&result, Err(e) if e.is_instance(exc::KeyboardInterrupt()));
    let status = match result {
        Ok(()) => 0,
        Err(e) => handle_uncaught(e),
    };
    crate::stdlib::thread::wait_for_shutdown();
    crate::stdlib::io::flush_at_exit();
    let _ = std::io::stdout().flush();
    if crate::interp::specialize::stats::on() {
        eprint!("{}", crate::interp::specialize::stats::report());
    }
    finalize();
    if interrupted {
        // As CPython: a program ended by Ctrl-C ends by SIGINT, so its parent (a shell) sees
        // the signal; 130 (128 + SIGINT) if that somehow returns.
        // SAFETY: restoring the default action and signalling this process.
        unsafe {
            libc::signal(libc::SIGINT, libc::SIG_DFL);
            libc::kill(libc::getpid(), libc::SIGINT);
        }
        return 128 + libc::SIGINT;
    }
    status
}

/// Functions registered with `Py_AtExit`, run once at finalization, last first.
static C_ATEXIT: std::sync::Mutex<Vec<extern "C" fn()>> = std::sync::Mutex::new(Vec::new());

/// CPython's limit on `Py_AtExit` registrations.
const NEXITFUNCS: usize = 32;

/// `Py_AtExit`: registers `f` to run at finalization; false when the table is full.
pub fn register_c_atexit(f: extern "C" fn()) -> bool {
    let mut v = C_ATEXIT.lock().unwrap_or_else(|p| p.into_inner());
    if v.len() >= NEXITFUNCS {
        return false;
    }
    v.push(f);
    true
}

/// The end of the interpreter's life (`Py_FinalizeEx`, and the end of `pyrite`'s `main`):
/// runs the `atexit` module's functions, flushes the standard streams and runs the
/// `Py_AtExit` functions, last registered first.
/// Objects are not torn down: the process is about to end.
pub fn finalize() {
    crate::stdlib::atexit::run_exitfuncs();
    // As CPython: finalizing from here on (after the atexit callbacks).
    crate::sys::set_finalizing();
    teardown_main();
    crate::stdlib::io::flush_at_exit();
    let _ = std::io::stdout().flush();
    let _ = std::io::stderr().flush();
    let funcs: Vec<extern "C" fn()> = std::mem::take(&mut *C_ATEXIT.lock().unwrap_or_else(|p| p.into_inner()));
    for f in funcs.into_iter().rev() {
        f();
    }
}

/// The part of CPython's module teardown that programs see: cyclic garbage is collected (its
/// `__del__` methods run), then every name of `__main__` but `__builtins__` is set to None —
/// first those with one leading underscore, as `_PyModule_ClearDict` does — so objects only
/// the program's globals kept alive are freed, and what that left in cycles is collected.
/// Other modules keep their contents.
fn teardown_main() {
    crate::stdlib::gc::collect_at_exit();
    let modules = crate::sys::modules();
    if let Some(main) = dict::get_item_str(&modules, "__main__").filter(|m| module::check(m)) {
        let d = module::dict_of(&main).new_ref();
        let private = |k: &str| k.starts_with('_') && !k.starts_with("__");
        for first in [true, false] {
            for (k, _) in dict::items_vec(&d) {
                let Ok(name) = unicode::as_str(&k) else { continue };
                if (first && private(name)) || (!first && name != "__builtins__") {
                    if let Err(e) = dict::set_item(&d, &k, none::none_obj()) {
                        crate::traceback::write_unraisable("Exception ignored while clearing module __main__", &e);
                    }
                }
            }
        }
    }
    crate::stdlib::gc::collect_at_exit();
}

/// `-i`'s prompt in `__main__` once the program ended.
fn inspect() -> PyResult<()> {
    let modules = crate::sys::modules();
    match dict::get_item_str(&modules, "__main__") {
        Some(m) => repl(&m),
        None => repl(&main_module(None)?),
    }
}

/// The interactive prompt: reads statements (continuing compound ones until an empty line),
/// runs each in `__main__` with expression values displayed, and prints tracebacks; ends at
/// EOF or `SystemExit`.
fn repl(main: &PyRef) -> PyResult<()> {
    use std::io::BufRead;
    let version = format!("Python 3.15.0 (pyrite {}) [rustc] on linux", env!("CARGO_PKG_VERSION"));
    if !crate::config::get().quiet {
        eprintln!("{version}\nType \"help\", \"copyright\", \"credits\" or \"license\" for more information.");
    }
    let d = module::dict_of(main);
    let stdin = std::io::stdin();
    let mut buf = String::new();
    loop {
        eprint!("{}", if buf.is_empty() { ">>> " } else { "... " });
        let mut line = String::new();
        if stdin.lock().read_line(&mut line).map_err(|e| raise!(OSError, "{}", e))? == 0 {
            eprintln!();
            return Ok(());
        }
        let blank = line.trim().is_empty();
        buf.push_str(&line);
        // A compound statement (its header ends with a colon, or a decorator) ends with an
        // empty line; anything else runs as soon as it compiles.
        let first = buf.lines().find(|l| !l.trim().is_empty()).unwrap_or("").trim_end();
        let compound = first.ends_with(':') || first.starts_with('@');
        if compound && !blank {
            continue;
        }
        match crate::compiler::compile(&buf, "<stdin>", crate::compiler::Mode::Single) {
            Err(e) if !blank && looks_incomplete(&e) => continue,
            Err(e) => {
                buf.clear();
                crate::traceback::print_exception(e.value());
            }
            Ok(code) => {
                buf.clear();
                if let Err(e) = crate::interp::run_code(&code, d, Some(d)) {
                    if e.is_instance(exc::SystemExit()) {
                        return Err(e);
                    }
                    crate::traceback::print_exception(e.value());
                }
            }
        }
        crate::stdlib::io::flush_std_streams();
        let _ = std::io::stdout().flush();
    }
}

/// Whether a SyntaxError only says the input stopped early (more lines may complete it).
fn looks_incomplete(e: &PyErr) -> bool {
    let msg = crate::abstract_::getattr_str(e.value(), "msg").map(|m| unicode::as_str_lossy(&m).into_owned()).unwrap_or_default();
    msg.contains("was never closed") || msg.contains("expected an indented block") || msg.contains("unexpected EOF") || msg.contains("incomplete input")
}

/// What CPython's `site` adds to builtins for people at a prompt: `exit` and `quit`
/// (instances of a small Python class, as `_sitebuiltins.Quitter` is).
fn add_site_builtins() -> PyResult<()> {
    const SRC: &str = "class Quitter:\n    def __init__(self, name, eof):\n        self.name = name\n        self.eof = eof\n    def __repr__(self):\n        return 'Use %s() or %s to exit' % (self.name, self.eof)\n    def __call__(self, code=None):\n        raise SystemExit(code)\nexit = Quitter('exit', 'Ctrl-D (i.e. EOF)')\nquit = Quitter('quit', 'Ctrl-D (i.e. EOF)')\n";
    let ns = dict::new();
    dict::set_item_str(&ns, "__builtins__", &crate::builtins::module())?;
    dict::set_item_str(&ns, "__name__", &unicode::new("_sitebuiltins"))?;
    let code = crate::compiler::compile(SRC, "<_sitebuiltins>", crate::compiler::Mode::Exec)?;
    crate::interp::run_code(&code, &ns, Some(&ns))?;
    let b = crate::builtins::module();
    for name in ["exit", "quit"] {
        dict::set_item_str(module::dict_of(&b), name, &dict::get_item_str(&ns, name).expect("defined above"))?;
    }
    Ok(())
}

fn main_module(file: Option<&Path>) -> PyResult<PyRef> {
    let m = module::new(&unicode::new("__main__"))?;
    let d = module::dict_of(&m);
    dict::set_item_str(d, "__builtins__", &crate::builtins::module())?;
    if let Some(f) = file {
        dict::set_item_str(d, "__file__", &unicode::new(&f.display().to_string()))?;
    }
    dict::set_item_str(&crate::sys::modules(), "__main__", &m)?;
    Ok(m)
}

/// `-c`'s code is dedented as `textwrap.dedent` does (CPython 3.14+): lines of only
/// whitespace become empty, and the whitespace prefix common to the other lines goes.
fn dedent(src: &str) -> String {
    let blank = |l: &str| l.chars().all(char::is_whitespace);
    let indent = |l: &str| l.len() - l.trim_start_matches(char::is_whitespace).len();
    let mut margin: Option<&str> = None;
    for l in src.split('\n').filter(|l| !blank(l)) {
        let ws = &l[..indent(l)];
        margin = Some(match margin {
            None => ws,
            Some(m) => {
                let common = m.char_indices().zip(ws.chars()).find(|((_, a), b)| a != b).map_or(m.len().min(ws.len()), |((i, _), _)| i);
                &m[..common]
            }
        });
    }
    let cut = margin.map_or(0, str::len);
    src.split('\n').map(|l| if blank(l) { "" } else { &l[cut..] }).collect::<Vec<_>>().join("\n")
}

fn run_file(main: &PyRef, path: &Path) -> PyResult<()> {
    let mut source = std::fs::read_to_string(path).map_err(|e| {
        raise!(OSError, "[Errno {}] {}: '{}'", e.raw_os_error().unwrap_or(0), e.to_string().split(" (os error").next().unwrap_or(""), path.display())
    })?;
    if crate::config::get().skip_first_line {
        // -x: the first line is dropped; the rest keeps its line numbers (an empty line
        // stands in for the skipped one).
        source.replace_range(..source.find('\n').unwrap_or(source.len()), "");
    }
    let d = module::dict_of(main);
    let code = crate::compiler::compile(&source, &path.display().to_string(), crate::compiler::Mode::Exec)?;
    crate::interp::run_code(&code, d, Some(d)).map(drop)
}

/// `SystemExit` gives the exit status (an int, None for 0, anything else printed with
/// status 1); other exceptions are printed with their traceback (status 1).
fn handle_uncaught(e: PyErr) -> i32 {
    crate::stdlib::io::flush_std_streams();
    if let Some(status) = system_exit_status(&e) {
        return status;
    }
    crate::traceback::print_exception(e.value());
    1
}

/// The exit status a `SystemExit` asks for (None for 0, an int, anything else printed to
/// stderr with status 1), or None for another exception. Also `PyErr_Print`'s.
pub fn system_exit_status(e: &PyErr) -> Option<i32> {
    if !e.is_instance(exc::SystemExit()) {
        return None;
    }
    let c = exc::system_exit_code(e.value());
    Some(if c.is(none::none_obj()) {
        0
    } else if long::check(&c) {
        long::to_i64(&c).unwrap_or(1) as i32
    } else {
        crate::stdlib::io::flush_std_streams();
        if let Ok(s) = crate::abstract_::str(&c) {
            eprintln!("{}", unicode::as_str_lossy(&s));
        }
        1
    })
}
