# Lock waits and joins on the main thread are interrupted by a signal whose Python handler
# raises (as the Lib/test runner's SIGALRM timeout does); a handler that returns lets the
# wait go on.
import os
import queue
import signal
import threading
import time


class Interrupted(Exception):
    pass


def raising_handler(signum, frame):
    raise Interrupted(signal.Signals(signum).name)


calls = []


def returning_handler(signum, frame):
    calls.append(signum)


def kill_later(sig, delay=0.1):
    t = threading.Thread(target=lambda: (time.sleep(delay), os.kill(os.getpid(), sig)))
    t.start()
    return t


signal.signal(signal.SIGUSR1, raising_handler)
signal.signal(signal.SIGUSR2, returning_handler)

# Lock.acquire() without timeout.
lock = threading.Lock()
lock.acquire()
k = kill_later(signal.SIGUSR1)
try:
    lock.acquire()
    print("lock acquired (wrong)")
except Interrupted as e:
    print("Lock.acquire interrupted by", e)
k.join()

# With a timeout, and an RLock.
rlock = threading.RLock()
holder_ready = threading.Event()
release_holder = threading.Event()


def hold():
    with rlock:
        holder_ready.set()
        release_holder.wait()


h = threading.Thread(target=hold)
h.start()
holder_ready.wait()
k = kill_later(signal.SIGUSR1)
try:
    rlock.acquire(timeout=30)
    print("rlock acquired (wrong)")
except Interrupted as e:
    print("RLock.acquire(timeout=30) interrupted by", e)
k.join()

# A handler that returns: the wait goes on and succeeds when the lock is released.
k = kill_later(signal.SIGUSR2)
releaser = threading.Thread(target=lambda: (time.sleep(0.3), release_holder.set()))
releaser.start()
print("RLock.acquire after a returning handler:", rlock.acquire(timeout=30), "handler ran:", calls == [signal.SIGUSR2])
rlock.release()
releaser.join()
h.join()
k.join()

# Thread.join and queue.Queue.join (a Condition wait).
stop = threading.Event()
w = threading.Thread(target=stop.wait)
w.start()
k = kill_later(signal.SIGUSR1)
try:
    w.join()
    print("joined (wrong)")
except Interrupted as e:
    print("Thread.join interrupted by", e)
k.join()
stop.set()
w.join()

q = queue.Queue()
q.put(1)
k = kill_later(signal.SIGUSR1)
try:
    q.join()
    print("queue joined (wrong)")
except Interrupted as e:
    print("Queue.join interrupted by", e, "- unfinished tasks:", q.unfinished_tasks)
k.join()

# Timeouts still end waits that no signal interrupts.
print("acquire(timeout=0.05) on a held lock:", lock.acquire(timeout=0.05))
print("thread_interrupted_waits: ok")
