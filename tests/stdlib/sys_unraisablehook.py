# sys.unraisablehook: the hook every "Exception ignored" report goes through, its
# UnraisableHookArgs, the default hook writing to sys.stderr, and a failing hook.
import gc
import io
import sys
import weakref

print("default:", sys.unraisablehook is sys.__unraisablehook__)

seen = []


def hook(u):
    seen.append((type(u).__name__, u.exc_type.__name__, str(u.exc_value), u.exc_traceback is not None))


class Thing:
    pass


def callback(ref):
    raise ValueError("boom in callback")


t = Thing()
r = weakref.ref(t, callback)
sys.unraisablehook = hook
try:
    del t
    gc.collect()
finally:
    sys.unraisablehook = sys.__unraisablehook__
print("hook saw:", seen)

try:
    sys.unraisablehook(42)
except TypeError as e:
    print("TypeError:", e)


class Finalized:
    def __del__(self):
        raise KeyError("from __del__")


# The default hook writes the report to sys.stderr.
saved = sys.stderr
sys.stderr = io.StringIO()
try:
    f = Finalized()
    del f
    gc.collect()
    text = sys.stderr.getvalue()
finally:
    sys.stderr = saved
print("default hook wrote traceback:", "Traceback (most recent call last)" in text)
print("default hook wrote exception:", "KeyError: 'from __del__'" in text)


def bad_hook(u):
    raise RuntimeError("the hook fails")


# A failing hook is itself reported by the default hook.
sys.unraisablehook = bad_hook
sys.stderr = io.StringIO()
try:
    f = Finalized()
    del f
    gc.collect()
    text = sys.stderr.getvalue()
finally:
    sys.stderr = saved
    sys.unraisablehook = sys.__unraisablehook__
print("failing hook reported:", "sys.unraisablehook" in text, "RuntimeError: the hook fails" in text)


# A metaclass's mro() decides the class's MRO.
class Base:
    value = 1


class Meta(type):
    def mro(cls):
        return (cls, Base, object)


class Custom(metaclass=Meta):
    pass


print("custom mro:", [c.__name__ for c in Custom.__mro__], Custom.value)
print("sys_unraisablehook: ok")
