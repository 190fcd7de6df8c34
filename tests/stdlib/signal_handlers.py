# Python signal handlers through _signal (what Lib/signal.py wraps): a handler runs when the
# process signals itself, in a busy loop when another process signals it, and when it
# interrupts a sleep (whose exception then propagates); SIG_IGN/SIG_DFL, the wakeup fd,
# and SIGINT's default_int_handler raising KeyboardInterrupt.
import _signal as signal
import posix
import time

got = []
def handler(signum, frame):
    got.append(signum)

print("default SIGUSR1", signal.getsignal(signal.SIGUSR1) == signal.SIG_DFL)
print("SIGINT handler", signal.getsignal(signal.SIGINT) is signal.default_int_handler)
old = signal.signal(signal.SIGUSR1, handler)
print("old", old == signal.SIG_DFL, signal.getsignal(signal.SIGUSR1) is handler)
posix.kill(posix.getpid(), signal.SIGUSR1)
print("after kill", got)
signal.raise_signal(signal.SIGUSR1)
print("after raise_signal", got)

# a signal from a child while the parent spins in a loop
signal.signal(signal.SIGUSR2, handler)
pid = posix.fork()
if pid == 0:
    time.sleep(0.05)
    posix.kill(posix.getppid(), signal.SIGUSR2)
    posix._exit(0)
n = 0
while signal.SIGUSR2 not in got:
    n += 1
posix.waitpid(pid, 0)
print("loop saw", got)

# a handler that raises interrupts time.sleep
class Alarm(Exception):
    pass
def raiser(signum, frame):
    raise Alarm(signum)
signal.signal(signal.SIGALRM, raiser)
start = time.monotonic()
signal.alarm(1)
try:
    time.sleep(30)
except Alarm as e:
    print("sleep interrupted by", e.args, time.monotonic() - start < 10)

# an interval timer fires repeatedly in a loop
ticks = []
signal.signal(signal.SIGALRM, lambda s, f: ticks.append(s))
print("setitimer", signal.setitimer(signal.ITIMER_REAL, 0.01, 0.01))
while len(ticks) < 3:
    pass
left, interval = signal.setitimer(signal.ITIMER_REAL, 0)
print("ticks", ticks[:3], interval, signal.getitimer(signal.ITIMER_REAL))
print("ItimerError", signal.ItimerError.__mro__[1] is OSError)

# a blocked signal stays pending until unblocked
old_mask = signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGUSR2])
posix.kill(posix.getpid(), signal.SIGUSR2)
print("pending", signal.sigpending(), got.count(signal.SIGUSR2))
signal.pthread_sigmask(signal.SIG_SETMASK, old_mask)
print("unblocked", got.count(signal.SIGUSR2), signal.sigpending())

# SIG_IGN: nothing happens
signal.signal(signal.SIGUSR1, signal.SIG_IGN)
posix.kill(posix.getpid(), signal.SIGUSR1)
print("ignored", got, signal.getsignal(signal.SIGUSR1) == signal.SIG_IGN)

# the wakeup fd receives the signal number
r, w = posix.pipe()
posix.set_blocking(w, False)
print("wakeup old", signal.set_wakeup_fd(w))
signal.signal(signal.SIGUSR1, handler)
posix.kill(posix.getpid(), signal.SIGUSR1)
print("wakeup byte", posix.read(r, 10), got)
print("wakeup restore", signal.set_wakeup_fd(-1) == w)

# default_int_handler raises KeyboardInterrupt, also when SIGINT arrives
try:
    signal.default_int_handler(signal.SIGINT, None)
except KeyboardInterrupt as e:
    print("KeyboardInterrupt", e.args)
try:
    posix.kill(posix.getpid(), signal.SIGINT)
    for i in range(1000000):
        pass
    print("no interrupt")
except KeyboardInterrupt:
    print("KeyboardInterrupt from SIGINT")

def err(f, *a):
    try:
        f(*a)
    except (TypeError, ValueError, OSError) as e:
        print(type(e).__name__, e)

err(signal.signal, signal.SIGUSR1, 3)
err(signal.signal, 0, handler)
err(signal.signal, 1000, handler)
err(signal.getsignal, 0)
err(signal.set_wakeup_fd, r)
print("strsignal", signal.strsignal(signal.SIGTERM), signal.NSIG, signal.SIGKILL in signal.valid_signals())
signal.signal(signal.SIGUSR1, signal.SIG_DFL)
print("signal_handlers: ok")
