# select.select and select.poll over pipes: readiness, timeouts, objects with fileno(),
# registration changes, and the errors CPython raises.
import posix
import select
import time

r, w = posix.pipe()

class F:
    def __init__(self, fd):
        self.fd = fd
    def fileno(self):
        return self.fd

print("nothing to read", select.select([r], [], [], 0))
print("writable", select.select([], [w], [], 0) == ([], [w], []))
posix.write(w, b"x")
fr = F(r)
rl, wl, xl = select.select([fr], [F(w)], [], 1.0)
print("readable", rl == [fr], len(wl), xl)
start = time.monotonic()
print("timeout", select.select([F(posix.pipe()[0])], [], [], 0.05), time.monotonic() - start >= 0.04)
print("empty", select.select([], [], [], 0))

p = select.poll()
p.register(r, select.POLLIN)
p.register(F(w), select.POLLOUT)
print("poll", sorted(p.poll(0)))
print("read", posix.read(r, 10))
print("poll after read", p.poll(0))
p.modify(w, select.POLLIN)
print("poll modified", p.poll(10))
p.unregister(w)
posix.close(w)
print("poll hangup", p.poll(100) == [(r, select.POLLHUP)])

def err(f, *a):
    try:
        f(*a)
    except (TypeError, ValueError, KeyError, OSError) as e:
        print(type(e).__name__, e)

err(select.select, [r], [], [], -1)
err(select.select, ["no"], [], [])
err(select.select, 3, [], [])
err(p.unregister, 99)
err(p.modify, 99, select.POLLIN)
err(p.register, -1)
print("errors", select.error is OSError, select.PIPE_BUF)
print("select_waits: ok")
