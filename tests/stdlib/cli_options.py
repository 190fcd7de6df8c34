# The interpreter's command-line options, run as child processes of sys.executable:
# -I/-E/-s/-S/-P/-u/-B/-b/-q/-v/-O/-OO and combinations (-IEs, -Wd, -Xa=b, -Sc CODE,
# -mMODULE), what sys.flags shows for them, -E ignoring PYTHON* variables, -O dropping
# asserts and making __debug__ false, -OO dropping docstrings, -x skipping a first line, -i
# running the prompt after the program, and the errors for a bad command line.
import os
import subprocess
import sys
import tempfile

FLAGS = ("debug", "inspect", "interactive", "optimize", "no_user_site", "no_site",
         "ignore_environment", "verbose", "bytes_warning", "quiet", "isolated", "safe_path")
SHOW = "import sys; print([getattr(sys.flags, n) for n in %r])" % (FLAGS,)


def run(*args, env=None, stdin=None):
    e = dict(os.environ)
    e.pop("PYTHONPATH", None)
    e.update(env or {})
    p = subprocess.run([sys.executable, *args], capture_output=True, text=True, env=e, input=stdin)
    return p.returncode, p.stdout.strip()


def first_line(text):
    return text.strip().splitlines()[0] if text.strip() else ""


for opts in ([], ["-I"], ["-E"], ["-s"], ["-S"], ["-P"], ["-q"], ["-b"], ["-bb"], ["-O"], ["-OO"],
             ["-d"], ["-v"], ["-IEs"], ["-I", "-O", "-b"], ["-sSE"]):
    code, out = run(*opts, "-c", SHOW)
    # -v makes CPython trace imports on stderr only; stdout is the flags.
    print(" ".join(opts) or "(none)", code, out)

# Options attached to their values, and -c after flags in one word.
print(run("-Sc", "import sys; print(sys.argv)", "a", "b"))
print(run("-Wd", "-Werror::DeprecationWarning", "-c", "import sys; print(sys.warnoptions)"))
print(run("-Xfoo=bar", "-X", "baz", "-c", "import sys; print(sorted(sys._xoptions.items()))"))
print(run("-mjson.tool", "--sort-keys", stdin='{"b": 1, "a": [1, 2]}')[1].split())
print(run("-c", "import sys; print(sys.argv)", "-I", "--", "x"))

# -E / -I ignore PYTHON* variables; without them they count.
env = {"PYTHONOPTIMIZE": "1", "PYTHONVERBOSE": "", "PYTHONSAFEPATH": "1"}
show_env = "import sys; print(sys.flags.optimize, sys.flags.safe_path, __debug__)"
print(run("-c", show_env, env=env), run("-E", "-c", show_env, env=env), run("-I", "-c", show_env, env=env))
print(run("-E", "-c", "import sys; print(sys.flags.hash_randomization)", env={"PYTHONHASHSEED": "0"}))
print(run("-c", "import sys; print(sys.flags.hash_randomization)", env={"PYTHONHASHSEED": "0"}))

# -O: asserts vanish, __debug__ is False (also through compile/exec); -OO: no docstrings.
prog = '''
def f():
    "the doc"
    assert False, "kept"
    return "ran"
class C:
    "class doc"
print(f(), f.__doc__, C.__doc__, __debug__, eval("__debug__"))
'''
for opts in ([], ["-O"], ["-OO"]):
    code, out = run(*opts, "-c", prog)
    print(opts, code, out if code == 0 else "AssertionError")
print(run("-O", "-c", "exec(compile('assert 0', 's', 'exec', optimize=0))")[0])
print(run("-c", "exec(compile('assert 0', 's', 'exec', optimize=1)); print('dropped')"))

# -P / -I keep the script's folder off sys.path.
with tempfile.TemporaryDirectory() as d:
    script = os.path.join(d, "show_path.py")
    with open(script, "w") as f:
        f.write("import sys, os\nprint(os.path.realpath(sys.path[0]) == os.path.realpath(os.path.dirname(__file__)))\n")
    print(run(script), run("-P", script), run("-I", script))
    # -x skips the first line (a non-Unix #! line), keeping the rest's line numbers.
    with open(script, "w") as f:
        f.write("this is not Python\nimport sys\nprint('skipped', sys._getframe().f_lineno)\n")
    print(run("-x", script))

# -m runs a package's __main__ (relative imports work) or a module, with sys.argv[0] its path.
with tempfile.TemporaryDirectory() as d:
    os.mkdir(os.path.join(d, "clipkg"))
    with open(os.path.join(d, "clipkg", "__init__.py"), "w") as f:
        f.write("X = 'package'\n")
    with open(os.path.join(d, "clipkg", "__main__.py"), "w") as f:
        f.write("import sys, os\nfrom . import X\n"
                "print(X, __name__, __package__, __spec__.name, os.path.basename(sys.argv[0]), sys.argv[1:])\n")
    with open(os.path.join(d, "climod.py"), "w") as f:
        f.write("import sys, os\nprint(__name__, repr(__package__), __spec__.name, os.path.basename(sys.argv[0]))\n")
    p = subprocess.run([sys.executable, "-m", "clipkg", "a", "-b"], capture_output=True, text=True, cwd=d)
    print(p.returncode, p.stdout.strip())
    p = subprocess.run([sys.executable, "-m", "climod"], capture_output=True, text=True, cwd=d)
    print(p.returncode, p.stdout.strip())
    p = subprocess.run([sys.executable, "-m", "no_such_module_here"], capture_output=True, text=True, cwd=d)
    print(p.returncode, p.stderr.strip().endswith("No module named no_such_module_here"))

# -i: the prompt runs after the program, in its namespace, even after a SystemExit.
print(run("-q", "-i", "-c", "import sys; y = 5; sys.exit(3)", stdin="print(y * 2)\n"))
# -R randomizes hashes even with PYTHONHASHSEED=0.
print(run("-R", "-c", "import sys; print(sys.flags.hash_randomization)", env={"PYTHONHASHSEED": "0"}))

# -i: the prompt runs after the program, in its namespace.
print(run("-q", "-i", "-c", "x = 20", stdin="print(x + 1)\n"))

# -b / -bb: str() of bytes and bytes/str (or bytes/int) equality warn BytesWarning.
bw = """
def attempt(f):
    try:
        return ("ok", f())
    except BytesWarning as e:
        return ("BytesWarning", str(e))
for f in (lambda: str(b'a'), lambda: b'a' == 'a', lambda: 'a' != b'a', lambda: b'a' == 1,
          lambda: b'a' < b'b', lambda: str(bytearray(b'x')), lambda: bytearray(b'a') == 'a',
          lambda: bytearray(b'a') == 1, lambda: '%s' % b'x', lambda: repr(b'z')):
    print(attempt(f))
"""
for opts in (["-W", "error::BytesWarning"], ["-b", "-W", "error::BytesWarning"], ["-bb"]):
    print(opts, run(*opts, "-c", bw))

# A standard descriptor closed when the interpreter starts gives a None stream.
for streams in (["stdin"], ["stdout"], ["stderr"], ["stdin", "stdout", "stderr"]):
    def preexec(streams=streams):
        for fd, name in enumerate(("stdin", "stdout", "stderr")):
            if name in streams:
                os.close(fd)
    p = subprocess.Popen([sys.executable, "-E", "-c",
                          "import sys, os; os._exit(40 + (sys.stdin is None) + 2 * (sys.stdout is None) + 4 * (sys.stderr is None))"],
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, preexec_fn=preexec)
    out, err = p.communicate()
    print(streams, p.returncode, out, err)

# Bad command lines exit with status 2 and the usage on stderr.
for bad in (["-z"], ["-c"], ["-m"], ["-W"], ["--no-such-option"]):
    p = subprocess.run([sys.executable, *bad], capture_output=True, text=True)
    print(bad, p.returncode, p.stdout == "", first_line(p.stderr).split(":")[0])
p = subprocess.run([sys.executable, "-h"], capture_output=True, text=True)
print("-h", p.returncode, p.stdout.startswith("usage: "))
p = subprocess.run([sys.executable, "-V"], capture_output=True, text=True)
print("-V", p.returncode, p.stdout.startswith("Python 3."))

print("cli_options: ok")
