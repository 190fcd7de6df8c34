# Lib/os.py and Lib/posixpath.py over Pyrite's posix module: paths, makedirs/removedirs,
# walk, scandir/listdir, environ (str and bytes views, reaching child processes), fork and
# pipes, stat consistency, and the OSError subclasses os functions raise.
import os
import stat

base = os.path.join("/tmp", "pyrite-os-usage-%d" % os.getpid())
print("join", os.path.join("a", "b", "c"), os.path.join("/x", "/y"), os.path.basename(base) == "pyrite-os-usage-%d" % os.getpid())
print("split", os.path.split("/a/b/c.txt"), os.path.splitext("/a/b/c.tar.gz"), os.path.dirname("/a/b/"), os.path.normpath("/a//b/../c/."))
print("exists", os.path.exists(base), os.path.isdir("/tmp"), os.path.isfile("/tmp"), os.path.exists("/nonexistent/x"))

os.makedirs(os.path.join(base, "a", "b", "c"))
os.makedirs(os.path.join(base, "a", "b"), exist_ok=True)
try:
    os.makedirs(os.path.join(base, "a"))
except FileExistsError as e:
    print("FileExistsError", e.errno, os.path.basename(e.filename))
for name in ("a/one.txt", "a/b/two.txt", "top.txt"):
    fd = os.open(os.path.join(base, name), os.O_CREAT | os.O_WRONLY, 0o644)
    os.write(fd, name.encode())
    os.close(fd)

os.chdir(base)
print("cwd", os.getcwd() == base, os.path.abspath("a") == os.path.join(base, "a"), os.path.relpath(os.path.join(base, "a/b"), base))
for root, dirs, files in sorted(os.walk(".")):
    print("walk", root, sorted(dirs), sorted(files))
for root, dirs, files in os.walk(".", topdown=False):
    dirs.sort()
print("listdir", sorted(os.listdir()), sorted(os.listdir(b"a")))
with os.scandir("a") as it:
    print("scandir", sorted((e.name, e.is_dir(), e.is_file()) for e in it))
print("getsize", os.path.getsize("a/one.txt"), os.path.isdir("a/b"), os.path.islink("a"))
st = os.stat("top.txt")
print("stat", stat.S_ISREG(st.st_mode), st.st_size, st.st_mtime == os.path.getmtime("top.txt"), os.lstat("top.txt") == st)
os.symlink("top.txt", "link")
print("link", os.path.islink("link"), os.path.realpath("link") == os.path.join(base, "top.txt"), os.readlink("link"))
os.rename("top.txt", "moved.txt")
print("moved", os.path.exists("top.txt"), os.path.exists("moved.txt"), os.path.exists("link"), os.path.lexists("link"))

try:
    os.remove("top.txt")
except FileNotFoundError as e:
    print("FileNotFoundError", e.errno, e.strerror, e.filename, "|", e)
try:
    os.rmdir("a")
except OSError as e:
    print(type(e).__name__, e.errno, e)
try:
    os.listdir("moved.txt")
except NotADirectoryError as e:
    print("NotADirectoryError", e)

# descriptors of directories: listdir/scandir(fd), stat(dir_fd=), fwalk
dfd = os.open("a", os.O_RDONLY)
print("listdir(fd)", sorted(os.listdir(dfd)), sorted((e.name, e.path, e.is_dir()) for e in os.scandir(dfd)))
print("dir_fd", os.stat("one.txt", dir_fd=dfd).st_size, os.path.exists("one.txt"), os.access("one.txt", os.R_OK, dir_fd=dfd))
os.close(dfd)
for root, dirs, files, rootfd in os.fwalk("a"):
    print("fwalk", root, sorted(dirs), sorted(files), isinstance(rootfd, int))

# environ: str keys and values over posix's bytes, kept in sync with the process
os.environ["PYRITE_OS_TEST"] = "value 1"
print("environ", os.environ["PYRITE_OS_TEST"], os.getenv("PYRITE_OS_TEST"), os.environb[b"PYRITE_OS_TEST"], "PYRITE_OS_TEST" in os.environ)
print("system sees", os.waitstatus_to_exitcode(os.system('test "$PYRITE_OS_TEST" = "value 1"')))
del os.environ["PYRITE_OS_TEST"]
print("deleted", os.getenv("PYRITE_OS_TEST", "gone"), os.waitstatus_to_exitcode(os.system('test -z "$PYRITE_OS_TEST"')))
print("environ copy", isinstance(os.environ.copy(), dict), os.environ.get("HOME") == os.path.expanduser("~"))

# fork, pipe, waitpid
r, w = os.pipe()
pid = os.fork()
if pid == 0:
    os.close(r)
    os.write(w, ("child of %d" % os.getppid()).encode())
    os._exit(4)
os.close(w)
msg = os.read(r, 100).decode()
os.close(r)
_, status = os.waitpid(pid, 0)
print("fork", msg == "child of %d" % os.getpid(), os.WIFEXITED(status), os.waitstatus_to_exitcode(status))

# clean up with os functions
os.remove("link")
os.remove("moved.txt")
os.remove("a/one.txt")
os.remove("a/b/two.txt")
os.chdir("/")
os.removedirs(os.path.join(base, "a", "b", "c"))
print("removed", os.path.exists(base))
print("misc", os.sep, os.pathsep, os.linesep == "\n", os.name, os.devnull, os.curdir, os.pardir, callable(os.fsencode), os.fsencode("é"), os.fsdecode(b"x"))
print("os_usage: ok")
