# Real use of more Lib/ modules: dataclasses, shutil, fnmatch, stat (over _stat), queue,
# linecache, socket, selectors, uuid, platform, sysconfig.
import dataclasses
import fnmatch
import linecache
import os
import platform
import queue
import selectors
import shutil
import socket
import stat
import sysconfig
import tempfile
import threading
import uuid


@dataclasses.dataclass(order=True, frozen=True)
class Point:
    x: int
    y: int = 0
    tags: tuple = dataclasses.field(default=(), compare=False)


p = Point(1, 2, ("a",))
print(p, p < Point(1, 3), dataclasses.asdict(p), dataclasses.replace(p, y=5))
try:
    p.x = 3
except dataclasses.FrozenInstanceError as e:
    print("FrozenInstanceError", e)
print([f.name for f in dataclasses.fields(Point)], hash(p) == hash(Point(1, 2)))

# shutil, fnmatch, stat and linecache over a scratch tree
with tempfile.TemporaryDirectory() as d:
    src = os.path.join(d, "src")
    os.makedirs(os.path.join(src, "sub"))
    for name, text in [("a.py", "x = 1\ny = 2\n"), ("b.txt", "hello\n"), ("sub/c.py", "print('c')\n")]:
        with open(os.path.join(src, name), "w") as f:
            f.write(text)
    os.chmod(os.path.join(src, "a.py"), 0o754)
    dst = shutil.copytree(src, os.path.join(d, "dst"), ignore=shutil.ignore_patterns("*.txt"))
    found = sorted(os.path.relpath(os.path.join(r, f), dst) for r, _, fs in os.walk(dst) for f in fs)
    print(found, fnmatch.filter(found, "*.py"), fnmatch.fnmatch("sub/c.py", "sub/*"))
    mode = os.stat(os.path.join(dst, "a.py")).st_mode
    print(stat.filemode(mode), stat.S_ISREG(mode), stat.S_ISDIR(os.stat(dst).st_mode), oct(stat.S_IMODE(mode)))
    print(repr(linecache.getline(os.path.join(dst, "a.py"), 2)), len(linecache.getlines(os.path.join(dst, "a.py"))))
    shutil.move(os.path.join(dst, "a.py"), os.path.join(dst, "moved.py"))
    print(sorted(os.listdir(dst)), shutil.disk_usage(d).total > 0)
    shutil.rmtree(dst)
    print(os.path.exists(dst), shutil.which("sh") is not None)

# queue between threads
q = queue.Queue()
out = queue.PriorityQueue()


def worker():
    while (item := q.get()) is not None:
        out.put((item * item, item))
        q.task_done()
    q.task_done()


t = threading.Thread(target=worker)
t.start()
for i in (3, 1, 2):
    q.put(i)
q.put(None)
q.join()
t.join()
print([out.get() for _ in range(3)], out.empty(), queue.LifoQueue().qsize())
try:
    queue.Queue().get_nowait()
except queue.Empty:
    print("Empty")

# a socket pair watched by a selector
a, b = socket.socketpair()
sel = selectors.DefaultSelector()
sel.register(b, selectors.EVENT_READ, data="b")
a.sendall(b"ping")
events = sel.select(timeout=5)
print([(key.data, bool(mask & selectors.EVENT_READ)) for key, mask in events], b.recv(16))
sel.unregister(b)
sel.close()
a.close()
b.close()
print(socket.AF_INET in (socket.AF_INET,), socket.inet_aton("127.0.0.1"), socket.htons(1) == 256)

# uuid, platform, sysconfig
u = uuid.UUID("12345678-1234-5678-1234-567812345678")
print(u.hex, u.version, uuid.uuid5(uuid.NAMESPACE_DNS, "python.org"), uuid.uuid4().version)
print(platform.system(), platform.machine() != "", isinstance(platform.python_version_tuple(), tuple))
print(sorted(k for k in sysconfig.get_paths() if k in ("stdlib", "purelib", "scripts")), sysconfig.get_config_var("EXT_SUFFIX") is None or isinstance(sysconfig.get_config_var("EXT_SUFFIX"), str))
print("lib_modules_more: ok")
