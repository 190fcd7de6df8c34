//! The interpreter's start-up configuration: what the command line's options and the
//! `PYTHON*` environment variables asked for (CPython's `PyConfig`, as far as Pyrite acts on
//! it). `sys.flags` shows it; the rest of the VM asks it, and reads `PYTHON*` variables
//! through [`env`], which honours `-E`/`-I`.
//!
//! Invariant: set at most once, by the command line before the VM starts
//! ([`crate::run::cli`]); an embedder that never runs the command line gets the defaults
//! (environment variables honoured, no options).

use std::sync::OnceLock;

/// One start-up configuration. Counters (`-v -v`, `-bb`, `-OO`) count.
#[derive(Clone, Debug, Default)]
pub struct Config {
    /// `-b`: 1 warns on bytes/str comparisons, 2 (`-bb`) raises.
    pub bytes_warning: u8,
    /// `-B`, `PYTHONDONTWRITEBYTECODE`. Pyrite never writes bytecode caches either way.
    pub dont_write_bytecode: bool,
    /// `-d`, `PYTHONDEBUG`: parser debugging in CPython's debug builds; recorded only.
    pub debug: u8,
    /// `-E` (and `-I`): `PYTHON*` environment variables are ignored.
    pub ignore_environment: bool,
    /// `-i`, `PYTHONINSPECT`: the prompt after the program.
    pub inspect: bool,
    /// `-I`: isolated mode (`-E -P -s`).
    pub isolated: bool,
    /// `-O`/`-OO`, `PYTHONOPTIMIZE`: `assert` statements are compiled away and `__debug__` is
    /// false (1); docstrings are dropped too (2).
    pub optimize: u8,
    /// `-P`, `PYTHONSAFEPATH`: the script's folder (or the working directory) is not put
    /// first on `sys.path`.
    pub safe_path: bool,
    /// `-q`: no version banner at the prompt.
    pub quiet: bool,
    /// `-s`, `PYTHONNOUSERSITE`: no user site-packages (Pyrite adds none anyway).
    pub no_user_site: bool,
    /// `-S`: the `site` start-up is skipped (no `exit`/`quit` built-ins).
    pub no_site: bool,
    /// `-u`, `PYTHONUNBUFFERED`: stdout and stderr unbuffered.
    pub unbuffered: bool,
    /// `-v`, `PYTHONVERBOSE`: recorded only (Pyrite's import system traces nothing).
    pub verbose: u8,
    /// `-X dev`, `PYTHONDEVMODE`.
    pub dev_mode: bool,
    /// `-X warn_default_encoding`, `PYTHONWARNDEFAULTENCODING`.
    pub warn_default_encoding: bool,
    /// `-x`: the script's first line is skipped (a non-Unix `#!` line).
    pub skip_first_line: bool,
    /// `-R`: a random hash seed even when `PYTHONHASHSEED` gives one.
    pub random_hash: bool,
    /// `-X cpu_count=N`, `PYTHON_CPU_COUNT`: what `os.cpu_count()` reports.
    pub cpu_count: Option<i64>,
    /// `-X pycache_prefix=PATH`, `PYTHONPYCACHEPREFIX`: `sys.pycache_prefix`.
    pub pycache_prefix: Option<String>,
    /// Standard descriptors (0, 1, 2) that were closed when the process started: their
    /// `sys` streams are None, as CPython's.
    pub closed_std_fds: [bool; 3],
}

static CONFIG: OnceLock<Config> = OnceLock::new();

/// The configuration in force.
pub fn get() -> &'static Config {
    CONFIG.get_or_init(Config::default)
}

/// Installs `config`; false when one was already in force (the VM was configured or started
/// before: an embedder running the command line after `Py_Initialize`).
pub fn set(config: Config) -> bool {
    CONFIG.set(config).is_ok()
}

/// The environment variable `name` (one of Python's `PYTHON*`), unless `-E`/`-I` said to
/// ignore them. Empty values count as unset, as CPython's `config_get_env`.
pub fn env(name: &str) -> Option<String> {
    read_env(get().ignore_environment, name)
}

fn read_env(ignore_environment: bool, name: &str) -> Option<String> {
    if ignore_environment {
        return None;
    }
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

/// The environment variable `name` for a configuration not yet in force (the command line
/// reading `PYTHONWARNINGS` before it starts the VM).
pub fn env_before_start(config: &Config, name: &str) -> Option<String> {
    read_env(config.ignore_environment, name)
}

impl Config {
    /// Takes the `-X` options that configure start-up (others are only `sys._xoptions`).
    pub fn apply_xoptions(&mut self, xoptions: &[String]) {
        for o in xoptions {
            let (k, v) = o.split_once('=').map_or((o.as_str(), None), |(k, v)| (k, Some(v)));
            match k {
                "cpu_count" => self.cpu_count = v.and_then(|v| v.parse().ok()).filter(|&n| n > 0),
                "pycache_prefix" => self.pycache_prefix = v.filter(|v| !v.is_empty()).map(str::to_string),
                "dev" => self.dev_mode = true,
                "warn_default_encoding" => self.warn_default_encoding = true,
                _ => {}
            }
        }
        let given = |name: &str| xoptions.iter().any(|o| o.split('=').next() == Some(name));
        let ignore = self.ignore_environment;
        if !given("cpu_count") {
            self.cpu_count = read_env(ignore, "PYTHON_CPU_COUNT").and_then(|v| v.parse().ok()).filter(|&n| n > 0);
        }
        if !given("pycache_prefix") {
            self.pycache_prefix = read_env(ignore, "PYTHONPYCACHEPREFIX");
        }
    }

    /// Fills in what the environment asks for, after the options were read (an option and
    /// its variable combine as CPython's: the larger level wins).
    pub fn apply_environment(&mut self) {
        if self.isolated {
            self.ignore_environment = true;
            self.safe_path = true;
            self.no_user_site = true;
        }
        if self.ignore_environment {
            return;
        }
        // `CONFIG` is not set yet: read the variables directly.
        let level = |name: &str| read_env(false, name).map_or(0, |v| v.trim().parse::<i64>().map_or(1, |n| n.clamp(1, 255) as u8));
        let on = |name: &str| level(name) > 0;
        // CPython's sys.flags.debug is 0 or 1 for any PYTHONDEBUG level.
        self.debug = self.debug.max(level("PYTHONDEBUG").min(1));
        self.verbose = self.verbose.max(level("PYTHONVERBOSE"));
        self.optimize = self.optimize.max(level("PYTHONOPTIMIZE"));
        self.inspect |= on("PYTHONINSPECT");
        self.dont_write_bytecode |= on("PYTHONDONTWRITEBYTECODE");
        self.no_user_site |= on("PYTHONNOUSERSITE");
        self.unbuffered |= on("PYTHONUNBUFFERED");
        self.safe_path |= on("PYTHONSAFEPATH");
        self.dev_mode |= on("PYTHONDEVMODE");
        self.warn_default_encoding |= on("PYTHONWARNDEFAULTENCODING");
    }
}

/// `PYTHONHASHSEED` as the hash key's seed: `None` for random (also under `-R`).
pub fn hash_seed() -> Option<u64> {
    if get().random_hash {
        return None;
    }
    env("PYTHONHASHSEED").filter(|s| s != "random").and_then(|s| s.parse::<u64>().ok())
}
