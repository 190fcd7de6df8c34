# _posixsubprocess.fork_exec, the primitive subprocess.Popen starts children with: pipes on
# 0-2, cwd, env, pass_fds/close_fds, exit statuses, and the errpipe reports of a child that
# could not exec (the "OSError:<hex errno>:[noexec]" format subprocess.py parses).
import os
import _posixsubprocess


def fork_exec(argv, exe=None, *, cwd=None, env=None, stdin=-1, stdout=-1, stderr=-1,
              pass_fds=(), close_fds=True, preexec_fn=None, umask=-1):
    exe_list = (os.fsencode(exe or argv[0]),)
    errpipe_read, errpipe_write = os.pipe()
    fds = tuple(sorted(set(pass_fds) | {errpipe_write}))
    args = [argv, exe_list, close_fds, fds, cwd, env,
            stdin, -1, -1, stdout, -1, stderr, errpipe_read, errpipe_write,
            True, False, -1, None, None, None, umask, preexec_fn]
    try:
        pid = _posixsubprocess.fork_exec(*args)
    except TypeError:
        # CPython 3.11-3.13 take one more argument (allow_vfork).
        pid = _posixsubprocess.fork_exec(*args, False)
    os.close(errpipe_write)
    err = b""
    while True:
        part = os.read(errpipe_read, 1000)
        if not part:
            break
        err += part
    os.close(errpipe_read)
    _, status = os.waitpid(pid, 0)
    return err, os.waitstatus_to_exitcode(status)


def capture(argv, **kw):
    r, w = os.pipe()
    err, code = fork_exec(argv, stdout=w, **kw)
    os.close(w)
    out = b""
    while True:
        part = os.read(r, 1000)
        if not part:
            break
        out += part
    os.close(r)
    return out, err, code


print(capture(["/bin/echo", "hi", "there"]))
print(capture(["/bin/sh", "-c", "exit 3"]))
print(capture(["/bin/sh", "-c", "echo $FOO-$BAR"], env=[b"FOO=foo", b"BAR=bar"]))
print(capture(["/bin/pwd"], cwd="/"))
print(capture([b"/bin/sh", b"-c", b"echo bytes args"]))
print(capture(["/bin/sh", "-c", "umask"], umask=0o27))

# stdin from a pipe
r, w = os.pipe()
os.write(w, b"line one\nline two\n")
os.close(w)
print(capture(["/bin/cat"], stdin=r))
os.close(r)

# pass_fds: the child writes to a descriptor it was given; close_fds closes the rest.
kr, kw_ = os.pipe()
dr, dw = os.pipe()
out = capture(["/bin/sh", "-c", f"echo kept >&{kw_}; echo closed 2>/dev/null >&{dw} || echo dropped"],
              pass_fds=[kw_])
os.close(kw_)
os.close(dw)
print(out[0].replace(str(dw).encode(), b"N").splitlines()[-1], out[2] != 0 or out[0].endswith(b"dropped\n"))
print(os.read(kr, 100))
os.close(kr)
os.close(dr)

# failures: exec of a missing program, chdir to a missing directory, a failing preexec_fn
print(fork_exec(["/nonexistent/program"]))
# (3.15 adds ":chdir" so subprocess.py can name cwd: subprocess_chdir_error.py)
err, code = fork_exec(["/bin/echo"], cwd="/nonexistent/dir")
print(err.startswith(b"OSError:2:noexec"), code)
print(fork_exec(["/bin/echo"], exe="/"))


def bad_preexec():
    raise ValueError("no")


print(fork_exec(["/bin/echo"], preexec_fn=bad_preexec))
out = capture(["/bin/echo", "after preexec"], preexec_fn=lambda: None)
print(out)

# argument checks made in the parent, before forking
def raw_fork_exec(pass_fds, errpipe_write):
    args = [["/bin/echo"], (b"/bin/echo",), True, pass_fds, None, None,
            -1, -1, -1, -1, -1, -1, -1, errpipe_write, True, False, -1, None, None, None, -1, None]
    try:
        try:
            _posixsubprocess.fork_exec(*args)
        except TypeError as e:
            if "argument" not in str(e):
                raise
            _posixsubprocess.fork_exec(*args, False)
    except (ValueError, TypeError) as e:
        print(type(e).__name__, e)


raw_fork_exec((5, 4), 10)
raw_fork_exec((-1,), 10)
raw_fork_exec(("3",), 10)
raw_fork_exec((), 2)

print("subprocess_forkexec: ok")
