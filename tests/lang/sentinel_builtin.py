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
print("sentinel_builtin: ok")
