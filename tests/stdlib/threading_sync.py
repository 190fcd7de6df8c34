# `Lib/threading.py` on `_thread`: Thread start/join, Lock, RLock, Condition, Event,
# Semaphore, Barrier, threading.local, and exceptions in threads going to excepthook.
import threading

print(threading.current_thread().name, threading.main_thread() is threading.current_thread())
print(threading.active_count(), threading.get_ident() == threading.main_thread().ident)

# A shared counter under a Lock gives the exact total.
lock = threading.Lock()
total = [0]
def add(n):
    for _ in range(n):
        with lock:
            total[0] += 1
workers = [threading.Thread(target=add, args=(2500,), name="adder-%d" % i) for i in range(4)]
for t in workers:
    t.start()
for t in workers:
    t.join()
print(total[0], [t.is_alive() for t in workers], [t.name for t in workers])

# Join order: each thread waits for the previous one.
order = []
def chain(i, prev):
    if prev is not None:
        prev.join()
    order.append(i)
prev = None
threads = []
for i in range(5):
    prev = threading.Thread(target=chain, args=(i, prev))
    threads.append(prev)
for t in threads:
    t.start()
threads[-1].join()
print(order)

# Event hand-off.
ev = threading.Event()
out = []
def waiter():
    ev.wait()
    out.append("woke")
t = threading.Thread(target=waiter)
t.start()
out.append("set")
ev.set()
t.join()
print(out, ev.is_set(), ev.wait(0))

# Condition: producer/consumer.
cond = threading.Condition()
queue, consumed = [], []
def consumer():
    for _ in range(3):
        with cond:
            while not queue:
                cond.wait()
            consumed.append(queue.pop(0))
c = threading.Thread(target=consumer)
c.start()
for item in ["a", "b", "c"]:
    with cond:
        queue.append(item)
        cond.notify()
c.join()
print(consumed)
with cond:
    print(cond.wait_for(lambda: True), cond.wait(0.01))

# Semaphore and BoundedSemaphore.
sem = threading.Semaphore(2)
print(sem.acquire(), sem.acquire(), sem.acquire(blocking=False), sem.acquire(timeout=0.01))
sem.release(2)
bs = threading.BoundedSemaphore(1)
bs.acquire()
bs.release()
try:
    bs.release()
except ValueError as e:
    print("ValueError", e)

# Barrier
barrier = threading.Barrier(3)
arrived = []
def party(i):
    arrived.append(barrier.wait() is not None)
ps = [threading.Thread(target=party, args=(i,)) for i in range(3)]
for p in ps:
    p.start()
for p in ps:
    p.join()
print(arrived)

# RLock: reentrant, owned by one thread.
r = threading.RLock()
with r:
    with r:
        print(r._is_owned())
got = []
def try_r():
    got.append(r.acquire(blocking=False))
with r:
    t = threading.Thread(target=try_r)
    t.start()
    t.join()
print(got)

# threading.local isolation.
loc = threading.local()
loc.value = "main"
seen = []
def use_local(i):
    seen.append(getattr(loc, "value", None))
    loc.value = i
    seen.append(loc.value)
ts = [threading.Thread(target=use_local, args=(i,)) for i in range(3)]
for t in ts:
    t.start()
    t.join()
print(seen, loc.value)

# An exception in a thread goes to threading.excepthook.
hooked = []
old_hook = threading.excepthook
threading.excepthook = lambda args: hooked.append((args.exc_type.__name__, str(args.exc_value), args.thread.name))
def boom():
    raise ValueError("in thread")
t = threading.Thread(target=boom, name="boomer")
t.start()
t.join()
threading.excepthook = old_hook
print(hooked)

# Timer and daemon flags.
fired = []
tm = threading.Timer(0.01, lambda: fired.append("timer"))
tm.start()
tm.join()
d = threading.Thread(target=lambda: None, daemon=True)
print(fired, d.daemon, threading.Thread(target=lambda: None).daemon)
d.start()
d.join()
print(threading.active_count(), len(threading.enumerate()))
print("threading_sync: ok")
