# atexit: functions run at exit newest first, with their arguments; unregister removes every
# registration of a function; _run_exitfuncs runs and clears them.
import atexit

def say(*args, **kwargs):
    print("exit:", args, sorted(kwargs.items()))

def never():
    print("unregistered function ran")

atexit.register(say, "first")
atexit.register(never)
assert atexit.register(say, "second", key=2) is say
atexit.register(never)
atexit.register(lambda: print("exit: lambda"))
atexit.unregister(never)

atexit._clear()
atexit.register(say, "run early")
atexit._run_exitfuncs()
print("after run", atexit._ncallbacks())

atexit.register(say, "first")
atexit.register(say, "second", key=2)
atexit.register(lambda: print("exit: lambda"))
try:
    atexit.register(3)
except TypeError as e:
    print("TypeError", e)
print("atexit_order: ok")
