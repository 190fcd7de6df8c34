# Processes through the posix module: fork + waitpid + wait-status macros, pipes between
# parent and child, dup2 redirection into an exec'd program, the environment, _exit codes,
# signals that end a child, and register_at_fork hooks.
import posix

def wait_code(pid):
    got, status = posix.waitpid(pid, 0)
    assert got == pid
    return status

# a child that exits with a code
pid = posix.fork()
if pid == 0:
    posix._exit(7)
st = wait_code(pid)
print("exit", posix.WIFEXITED(st), posix.WEXITSTATUS(st), posix.WIFSIGNALED(st), posix.waitstatus_to_exitcode(st))

# a pipe: the child writes its parent's pid, the parent reads it
r, w = posix.pipe()
print("pipe inheritable", posix.get_inheritable(r), posix.get_inheritable(w), posix.get_blocking(r))
parent = posix.getpid()
pid = posix.fork()
if pid == 0:
    posix.close(r)
    posix.write(w, b"%d %d" % (posix.getppid(), posix.getpid()))
    posix._exit(0)
posix.close(w)
data = b""
while True:
    chunk = posix.read(r, 100)
    if not chunk:
        break
    data += chunk
posix.close(r)
ppid, cpid = map(int, data.split())
print("child saw parent", ppid == parent, "and itself", cpid == pid)
print("child status", posix.waitstatus_to_exitcode(wait_code(pid)))

# a child killed by a signal
pid = posix.fork()
if pid == 0:
    while True:
        pass
posix.kill(pid, 9)
st = wait_code(pid)
print("killed", posix.WIFSIGNALED(st), posix.WTERMSIG(st), posix.waitstatus_to_exitcode(st), posix.WIFEXITED(st))

# execve with a redirected stdout and a modified environment
r, w = posix.pipe()
env = dict(posix.environ)
env[b"PYRITE_GREETING"] = b"hello from the environment"
pid = posix.fork()
if pid == 0:
    posix.dup2(w, 1)
    posix.execve("/bin/sh", ["sh", "-c", "echo $PYRITE_GREETING; exit 3"], env)
posix.close(w)
out = posix.read(r, 1000)
posix.close(r)
print("exec output", out, posix.waitstatus_to_exitcode(wait_code(pid)))

# putenv/unsetenv reach children (posix.environ is the snapshot taken at import)
posix.putenv("PYRITE_VAR", "set by putenv")
r, w = posix.pipe()
pid = posix.fork()
if pid == 0:
    posix.dup2(w, 1)
    posix.execv("/bin/sh", ["sh", "-c", "echo ${PYRITE_VAR:-unset}"])
posix.close(w)
print("putenv", posix.read(r, 1000), posix.waitstatus_to_exitcode(wait_code(pid)))
posix.close(r)
posix.unsetenv("PYRITE_VAR")
print("system", posix.waitstatus_to_exitcode(posix.system("exit ${PYRITE_VAR:-5}")))
print("environ", type(posix.environ).__name__, all(type(k) is bytes and type(v) is bytes for k, v in posix.environ.items()))

# fork hooks: before (newest first), then after in the parent / in the child
log_r, log_w = posix.pipe()
posix.register_at_fork(before=lambda: print("before 1"))
posix.register_at_fork(before=lambda: print("before 2"), after_in_parent=lambda: print("parent hook"),
                       after_in_child=lambda: posix.write(log_w, b"child hook"))
pid = posix.fork()
if pid == 0:
    posix._exit(0)
wait_code(pid)
posix.close(log_w)
print("from child:", posix.read(log_r, 100))
posix.close(log_r)

# small things
print("dup", posix.dup(0) > 2, posix.isatty(posix.pipe()[0]))
fd = posix.open("/dev/null", posix.O_WRONLY)
posix.dup2(fd, 50)
print("dup2", posix.get_inheritable(50), posix.dup2(fd, 51, inheritable=False), posix.get_inheritable(51))
posix.set_inheritable(51, True)
print("set_inheritable", posix.get_inheritable(51))
posix.set_blocking(fd, False)
print("blocking", posix.get_blocking(fd), posix.device_encoding(fd))
for f in (fd, 50, 51):
    posix.close(f)
print("urandom", len(posix.urandom(16)), posix.urandom(0))
old = posix.umask(0o027)
print("umask", oct(posix.umask(old)))
u = posix.uname()
print("uname", len(u), u.sysname, type(u).__name__, u == tuple(u))
t = posix.times()
print("times", len(t), all(isinstance(x, float) for x in t), type(t).__name__)
print("cpu_count", type(posix.cpu_count()).__name__, posix.getuid() == posix.geteuid(), type(posix.getgid()).__name__)
print("W macros", posix.WIFSTOPPED(0x137f), posix.WSTOPSIG(0x137f), posix.WCOREDUMP(0x80 | 6), posix.WIFCONTINUED(0xffff))
for bad in (0x137f,):
    try:
        posix.waitstatus_to_exitcode(bad)
    except ValueError as e:
        print("ValueError", e)
try:
    posix.execv("/bin/sh", [])
except ValueError as e:
    print("ValueError", e)
try:
    posix.putenv("A=B", "c")
except ValueError as e:
    print("ValueError", e)
print("posix_process: ok")
