# requires: 3.15
# sentinel (PEP 661, new builtin in 3.15): unique named markers.
s = sentinel('_initial_missing')
try: sentinel()
except TypeError as e: print(e)
try: sentinel(3)
except TypeError as e: print(e)
print(repr(sentinel.__doc__))
import copy, pickle
print(copy.copy(s) is s, copy.deepcopy(s) is s, s.__name__, s.__module__)
try:
    class S(sentinel): pass
except TypeError as e: print(e)
print(s | int, int | s)
try: s.__name__ = 'y'
except Exception as e: print(type(e).__name__, e)
try: s.x = 1
except Exception as e: print(type(e).__name__, e)
print(s.__reduce__())
def f():
    return sentinel('inner')
print(f().__module__)
# repr= (keyword-only) replaces the repr; the name stays.
shown = sentinel("_SHOWN", repr="<not specified>")
print(repr(shown), shown.__name__, sentinel("_PLAIN", repr=None))
for bad_call in (lambda: sentinel("a", "b"), lambda: sentinel("a", repr=1), lambda: sentinel(repr="x"), lambda: sentinel("a", other=1)):
    try:
        bad_call()
    except TypeError as e:
        print("TypeError:", e)
print("sentinel_builtin: ok")
