# Files and directories through the posix module (what Lib/os.py re-exports): a private
# directory under /tmp, descriptors, stat fields, scandir entries, links, and the OSError
# subclasses, messages and attributes CPython raises.
import errno
import posix
import stat

base = "/tmp/pyrite-posix-files-%d" % posix.getpid()
posix.mkdir(base, 0o755)
home = posix.getcwd()
posix.chdir(base)
assert posix.getcwd() == base and posix.getcwdb() == base.encode()

# descriptors: open/write/lseek/read/fstat/ftruncate/fsync/close
fd = posix.open("data.bin", posix.O_CREAT | posix.O_RDWR | posix.O_TRUNC, 0o644)
print("write", posix.write(fd, b"hello world"), posix.write(fd, bytearray(b"!")))
print("seek", posix.lseek(fd, 0, 0), posix.read(fd, 5), posix.read(fd, 100), posix.read(fd, 10))
print("end", posix.lseek(fd, 0, 2))
st = posix.fstat(fd)
print("fstat size", st.st_size, stat.S_ISREG(st.st_mode), stat.S_IMODE(st.st_mode) == 0o644 & ~posix.umask(0o022) or True)
posix.ftruncate(fd, 5)
posix.fsync(fd)
print("isatty", posix.isatty(fd), "inheritable", posix.get_inheritable(fd))
posix.close(fd)

# stat_result: a 10-tuple with more fields by name, consistent with each other
st = posix.stat("data.bin")
print("stat", len(st), st.st_size, st[6], type(st.st_mtime).__name__, type(st[8]).__name__)
assert st[7] == int(st.st_atime) and st[8] == int(st.st_mtime) and st[9] == int(st.st_ctime)
assert st.st_mtime_ns // 10**9 == st[8] and abs(st.st_mtime - st.st_mtime_ns / 1e9) < 1e-3
assert st.st_nlink == 1 and st.st_uid == posix.getuid() and st.st_blksize > 0
print("stat_result", type(st).__name__, type(st).__module__, st.n_sequence_fields, st.n_fields, st.n_unnamed_fields)

# utime with ns, chmod, access
posix.utime("data.bin", ns=(1_000_000_001, 2_000_000_002))
st = posix.stat("data.bin")
print("utime", st.st_atime_ns, st.st_mtime_ns, st[8])
posix.utime("data.bin", (5, 6.5))
print("utime seconds", posix.stat("data.bin").st_mtime)
posix.chmod("data.bin", 0o600)
print("chmod", oct(stat.S_IMODE(posix.stat("data.bin").st_mode)))
print("access", posix.access("data.bin", posix.R_OK), posix.access("missing", posix.F_OK))

# directories, links
posix.mkdir("sub")
posix.mkdir("sub/inner")
fd = posix.open("sub/f.txt", posix.O_CREAT | posix.O_WRONLY)
posix.close(fd)
posix.symlink("data.bin", "link")
posix.link("data.bin", "hard")
print("readlink", posix.readlink("link"), posix.readlink(b"link"))
print("nlink", posix.stat("data.bin").st_nlink, stat.S_ISLNK(posix.lstat("link").st_mode), stat.S_ISLNK(posix.stat("link").st_mode))
print("listdir", sorted(posix.listdir()), sorted(posix.listdir(b".")), sorted(posix.listdir("sub")))

with posix.scandir(".") as it:
    entries = sorted(it, key=lambda e: e.name)
for e in entries:
    print("entry", repr(e), e.name, e.path, e.is_dir(), e.is_file(), e.is_symlink(), e.is_file(follow_symlinks=False))
    assert e.inode() == posix.lstat(e.name).st_ino
    assert e.stat(follow_symlinks=False).st_ino == e.inode()
link = [e for e in entries if e.name == "link"][0]
print("link stat follows", link.stat().st_size, stat.S_ISLNK(link.stat(follow_symlinks=False).st_mode))
print("bytes entries", sorted(e.name for e in posix.scandir(b"sub")), [e.path for e in posix.scandir("sub") if e.is_dir()])

class P:
    def __init__(self, p):
        self.p = p
    def __fspath__(self):
        return self.p

print("fspath", posix.fspath(P("x")), posix.fspath(b"y"), posix.stat(P("data.bin")).st_size)
posix.rename("hard", P("hard2"))
posix.replace("hard2", "data2.bin")
print("renamed", sorted(posix.listdir()))

# errors
def show(f, *a, **k):
    try:
        f(*a, **k)
    except OSError as e:
        print(type(e).__name__, e.errno == errno.__dict__[errno.errorcode[e.errno]], e.strerror, repr(e.filename), repr(e.filename2), "|", e)
        print("   args", e.args)
    except (TypeError, ValueError) as e:
        print(type(e).__name__, e)

show(posix.stat, "missing")
show(posix.open, "missing", posix.O_RDONLY)
show(posix.mkdir, "sub")
show(posix.rmdir, "sub")
show(posix.listdir, "data.bin")
show(posix.rename, "missing", "other")
show(posix.unlink, P("missing"))
show(posix.stat, b"missing")
show(posix.stat, 1.5)
show(posix.lstat, 3)
show(posix.fspath, 3)
show(posix.close, 9999)
show(posix.read, 9999, 1)

e = OSError(errno.ENOENT, "No such file or directory", "f")
print(type(e).__name__, e, e.args, isinstance(e, FileNotFoundError))
print(type(OSError(errno.EEXIST, "x")).__name__, type(OSError(errno.EACCES, "x")).__name__, type(OSError(12345, "x")).__name__)
print(type(OSError("just text")).__name__, OSError("just text").errno, str(OSError(1, 2, 3, 4, 5)))
class MyError(OSError):
    def __init__(self, *args):
        super().__init__(*args)
print(MyError(2, "msg", "name"), type(MyError(2, "msg")).__name__)
print(posix.error is OSError, posix.strerror(errno.ENOENT))

# clean up
for name in ["link", "data.bin", "data2.bin", "sub/f.txt"]:
    posix.unlink(name)
posix.rmdir("sub/inner")
posix.remove and posix.rmdir("sub")
posix.chdir(home)
posix.rmdir(base)
print("gone", posix.access(base, posix.F_OK))
print("posix_files: ok")
