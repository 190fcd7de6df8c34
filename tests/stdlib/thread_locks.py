# `_thread`: OS threads under the GIL, locks whose waits let other threads run, RLock,
# thread-local objects.
import _thread

# Threads incrementing a shared counter under a lock give the exact total.
lock = _thread.allocate_lock()
all_done = _thread.allocate_lock()
state = {"count": 0, "finished": 0, "idents": set()}
THREADS, ROUNDS = 4, 2500

def work(n):
    for _ in range(n):
        with lock:
            state["count"] += 1
    with lock:
        state["idents"].add(_thread.get_ident())
        state["finished"] += 1
        if state["finished"] == THREADS:
            all_done.release()

all_done.acquire()
for _ in range(THREADS):
    _thread.start_new_thread(work, (ROUNDS,))
all_done.acquire()          # blocks (without the GIL) until the last worker releases it
print("count", state["count"], "finished", state["finished"])
print("main ident not a worker ident:", _thread.get_ident() not in state["idents"])

# Lock API
l = _thread.allocate_lock()
print(type(l) is _thread.LockType, l.locked(), l.acquire(), l.locked())
print(l.acquire(False), l.acquire(True, 0.01), l.acquire(timeout=0))
l.release()
print(l.locked(), repr(l).startswith("<unlocked _thread.lock object at"))
for bad in [lambda: l.acquire(False, 1), lambda: l.acquire(timeout=-2)]:
    try:
        bad()
    except ValueError as e:
        print("ValueError")
try:
    l.release()
except _thread.error as e:
    print(type(e).__name__, e)

# A hand-off: the main thread waits on a lock the other thread releases.
box = []
ready = _thread.allocate_lock()
ready.acquire()
def producer():
    box.append("payload")
    ready.release()
_thread.start_new_thread(producer, ())
with ready:
    print("received", box)

# Keyword arguments reach the thread's function.
got = _thread.allocate_lock()
got.acquire()
def kw(a, b=0, *, c):
    box.append((a, b, c))
    got.release()
_thread.start_new_thread(kw, (1,), {"c": 3})
got.acquire()
print(box[-1])
for bad in [lambda: _thread.start_new_thread(kw, [1]), lambda: _thread.start_new_thread(kw, (1,), [])]:
    try:
        bad()
    except TypeError as e:
        print("TypeError", e)

# RLock
r = _thread.RLock()
print(r.acquire(), r.acquire(), r._is_owned(), r._recursion_count())
r.release()
print(r._recursion_count())
r.release()
print(r._is_owned(), r._recursion_count())
try:
    r.release()
except RuntimeError as e:
    print("RuntimeError", e)
with r:
    state_saved = r._release_save()
    print(r._is_owned(), state_saved[0])
    r._acquire_restore(state_saved)
    print(r._is_owned())
other = []
done2 = _thread.allocate_lock()
done2.acquire()
def try_other():
    other.append(r.acquire(False))
    done2.release()
r.acquire()
_thread.start_new_thread(try_other, ())
done2.acquire()
r.release()
print("other thread got the held RLock:", other[0])

# Thread-local data: each thread sees its own attributes.
loc = _thread._local()
loc.name = "main"
seen = []
done3 = _thread.allocate_lock()
done3.acquire()
def local_worker(i):
    seen.append(hasattr(loc, "name"))
    loc.name = "worker%d" % i
    seen.append(loc.name)
    seen.append(sorted(loc.__dict__))
    if i == 2:
        done3.release()
    else:
        _thread.start_new_thread(local_worker, (i + 1,))
_thread.start_new_thread(local_worker, (0,))
done3.acquire()
print(seen, loc.name)

class Counter(_thread._local):
    def __init__(self, start):
        self.value = start
c = Counter(10)
c.value += 1
vals = []
done4 = _thread.allocate_lock()
done4.acquire()
def bump():
    c.value += 5        # __init__ ran again for this thread: starts at 10
    vals.append(c.value)
    done4.release()
_thread.start_new_thread(bump, ())
done4.acquire()
print(vals, c.value)
try:
    _thread._local(1)
except TypeError as e:
    print("TypeError", e)

print(_thread.error is RuntimeError, _thread.TIMEOUT_MAX > 1e9, isinstance(_thread.get_native_id(), int))
print(_thread.stack_size(), _thread._count() >= 0)
print("thread_locks: ok")
