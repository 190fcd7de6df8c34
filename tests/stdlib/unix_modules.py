# errno, pwd, fcntl and resource: constants, the password database of the current user,
# descriptor flags and locks, and resource limits and usage.
import errno
import fcntl
import posix
import pwd
import resource

print("errno", errno.ENOENT, errno.EACCES, errno.errorcode[errno.ENOENT], errno.errorcode[errno.EAGAIN], errno.EWOULDBLOCK == errno.EAGAIN)
print("errorcode", all(getattr(errno, name) == code for code, name in errno.errorcode.items()), len(errno.errorcode) > 100)

me = pwd.getpwuid(posix.getuid())
print("pwd", type(me).__name__, len(me), me.pw_uid == posix.getuid(), me.pw_gid == posix.getgid(), me == pwd.getpwnam(me.pw_name))
print("pwd fields", me[0] == me.pw_name, type(me.pw_dir).__name__, type(me.pw_shell).__name__)
root = pwd.getpwnam("root")
print("root", root.pw_uid, root.pw_dir, any(p.pw_name == "root" for p in pwd.getpwall()))
for f, a in ((pwd.getpwnam, "no-such-user-xyz"), (pwd.getpwuid, 2**31 - 7)):
    try:
        f(a)
    except KeyError as e:
        print("KeyError", e)

r, w = posix.pipe()
flags = fcntl.fcntl(r, fcntl.F_GETFL)
fcntl.fcntl(r, fcntl.F_SETFL, flags | posix.O_NONBLOCK)
print("fcntl", fcntl.fcntl(r, fcntl.F_GETFL) & posix.O_NONBLOCK != 0, posix.get_blocking(r))
print("cloexec", fcntl.fcntl(w, fcntl.F_GETFD) & fcntl.FD_CLOEXEC)
class File:
    def fileno(self):
        return w
print("fileno object", fcntl.fcntl(File(), fcntl.F_GETFD) == fcntl.fcntl(w, fcntl.F_GETFD))
path = "/tmp/pyrite-unix-modules-%d" % posix.getpid()
fd = posix.open(path, posix.O_CREAT | posix.O_RDWR, 0o600)
fcntl.flock(fd, fcntl.LOCK_EX)
fcntl.flock(fd, fcntl.LOCK_UN)
fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
fcntl.lockf(fd, fcntl.LOCK_UN)
print("locks ok")
try:
    posix.read(r, 1)
except BlockingIOError as e:
    print("BlockingIOError", e.errno == errno.EAGAIN, e)
for f in (r, w, fd):
    posix.close(f)
posix.unlink(path)
try:
    fcntl.fcntl(r, fcntl.F_GETFD)
except OSError as e:
    print(type(e).__name__, e)

soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
print("rlimit", soft > 0, hard == resource.RLIM_INFINITY or hard >= soft)
resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
print("same limit", resource.getrlimit(resource.RLIMIT_NOFILE) == (soft, hard))
u = resource.getrusage(resource.RUSAGE_SELF)
print("rusage", type(u).__name__, len(u), isinstance(u.ru_utime, float), u.ru_maxrss > 0, u[2] == u.ru_maxrss)
print("pagesize", resource.getpagesize() % 4096 == 0, resource.error is OSError)
for bad in ((-5,), (1000,)):
    try:
        resource.getrlimit(*bad)
    except ValueError as e:
        print("ValueError", e)
try:
    resource.getrusage(42)
except ValueError as e:
    print("ValueError", e)
print("unix_modules: ok")
