# requires: 3.15
# `_thread`'s 3.13+ API under `Lib/threading.py`: joinable threads and their handles,
# handles of existing threads, `_shutdown`, `_excepthook` and `_ExceptHookArgs`.
import _thread

order = []
lock = _thread.allocate_lock()

def step(name, wait_for=None):
    def run():
        if wait_for is not None:
            wait_for.join()         # joining another thread releases the GIL while waiting
        with lock:
            order.append(name)
    return run

h1 = _thread.start_joinable_thread(step("first"))
h2 = _thread.start_joinable_thread(step("second", h1))
h3 = _thread.start_joinable_thread(step("third", h2), daemon=False)
h3.join()
print(order, h1.is_done(), h2.is_done(), h3.is_done())
print(type(h1).__name__, h1.ident != _thread.get_ident(), repr(h1).startswith("<_thread._ThreadHandle object: ident="))

h = _thread._ThreadHandle()
print(h.ident, h.is_done())
try:
    h.join()
except RuntimeError as e:
    print("RuntimeError", e)
_thread.start_joinable_thread(step("with handle"), handle=h)
h.join(None)
print(order[-1], h.is_done())
try:
    _thread.start_joinable_thread(step("again"), handle=h)
except RuntimeError as e:
    print("RuntimeError", e)

me = _thread._make_thread_handle(_thread.get_ident())
print(me.ident == _thread.get_ident(), me.is_done())
try:
    me.join()
except RuntimeError as e:
    print("RuntimeError", e)
me._set_done()
print(me.is_done())
print(_thread._get_main_thread_ident() == _thread.get_ident(), _thread._is_main_interpreter(), _thread.daemon_threads_allowed())

# A join with a timeout returns while the thread still runs.
gate = _thread.allocate_lock()
gate.acquire()
slow = _thread.start_joinable_thread(lambda: gate.acquire())
slow.join(0.05)
print("done after timeout:", slow.is_done())
gate.release()
slow.join()
print("done after release:", slow.is_done())

# _shutdown waits for the non-daemon threads.
results = []
def late():
    for i in range(3):
        results.append(i)
_thread.start_joinable_thread(late, daemon=False)
_thread._shutdown()
print(results)

# The default threading.excepthook.
args = _thread._ExceptHookArgs((KeyError, KeyError("k"), None, None))
print(type(args).__name__, args.exc_type.__name__, args.thread, len(args))
print(_thread._excepthook(_thread._ExceptHookArgs((SystemExit, SystemExit(0), None, None))))
try:
    _thread._excepthook((1, 2, 3, 4))
except TypeError as e:
    print("TypeError", e)
_thread.set_name("worker-thread-with-a-long-name")

# Thread names (15 bytes on Linux) and exit().
names = []
def named():
    _thread.set_name("abcdefghijklmnopqrstuvwxyz")
    names.append(_thread._get_name())
    _thread.exit()
    names.append("not reached")
_thread.start_joinable_thread(named).join()
print(names, _thread._NAME_MAXLEN)

# A thread's thread-local values are released when it ends (before join returns).
class Noisy:
    def __init__(self, tag):
        self.tag = tag
    def __del__(self):
        print("released", self.tag)
loc = _thread._local()
def keep(tag):
    loc.obj = Noisy(tag)
for i in range(3):
    _thread.start_joinable_thread(lambda: keep(i)).join()
    print("joined", i)
loc.obj = Noisy("main")
del loc
print("thread_joinable: ok")
