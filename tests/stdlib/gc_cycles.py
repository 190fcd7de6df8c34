# The cycle collector: cycles of instances, containers, closures, generators, exceptions and
# classes are freed by gc.collect(); __del__ runs once (PEP 442), resurrection is honoured, weak
# reference callbacks run, gc.callbacks/garbage/freeze work, and cyclic garbage left at exit is
# finalized.
import gc, weakref
# list / dict / set cycles
l = []; l.append(l); wl = weakref.ref
d = {}; d['d'] = d
class T: pass
t = T(); s = {1}; t.s = [t]
del l, d, t
print(gc.collect() >= 3)
# closures
def outer():
    def rec(n): return rec(n-1) if n else 0
    return rec
f = outer(); wf = weakref.ref(f); del f
gc.collect(); print("closure freed", wf() is None)
# generator cycle
def gen():
    me = yield
    yield me
class H: pass
g = gen(); next(g); h = H(); h.g = g; g.send(h); wh = weakref.ref(h)
del g, h
gc.collect(); print("gen cycle freed", wh() is None)
# exception / traceback cycle
def fail():
    try:
        1/0
    except ZeroDivisionError as e:
        return e
e = fail()
class X: pass
x = X(); x.e = e; e.x = x; wx = weakref.ref(x)
del x, e
gc.collect(); print("exc cycle freed", wx() is None)
# __del__ order and single call
calls = []
class Z:
    def __init__(s, n): s.n = n
    def __del__(s): calls.append(s.n)
a = Z(1); b = Z(2); a.b = b; b.a = a
del a, b
gc.collect(); print(sorted(calls))
gc.collect(); print(sorted(calls))
# callbacks
events = []
def cb(phase, info): events.append((phase, sorted(set(info) & {'generation', 'collected', 'uncollectable'})))
gc.callbacks.append(cb)
gc.collect()
gc.callbacks.remove(cb)
print(events)
# DEBUG_SAVEALL
gc.set_debug(gc.DEBUG_SAVEALL)
q = []; q.append(q); del q
gc.collect()
print(any(type(o) is list and len(o) == 1 and o[0] is o for o in gc.garbage))
gc.set_debug(0); gc.garbage.clear()
# freeze
gc.freeze(); print(gc.get_freeze_count() > 0); gc.unfreeze(); print(gc.get_freeze_count())
# disabled gc still collects explicitly
gc.disable(); k = []; k.append(k); wk = [k]; del k; print(gc.collect() >= 1); gc.enable()
# metaclass
class Meta(type): pass
def mk():
    class C(metaclass=Meta):
        def f(self): return __class__
    return weakref.ref(C)
wc = mk(); gc.collect(); print("metaclass class freed", wc() is None)
print(gc.is_tracked([]), gc.is_tracked(1), gc.is_tracked(int))
l = [1]
l.append(l)
print(l in gc.get_referrers(l), gc.get_referents([1, "a"]))

# resurrection: the object lives on, and its __del__ does not run again
saved = []
class R:
    def __del__(self):
        saved.append(self)
x = R(); x.x = x
del x
gc.collect()
print("resurrected", len(saved), saved[0].x is saved[0])
saved.clear()
gc.collect()
print(len(saved))

# cyclic garbage left at exit is finalized then
class AtExit:
    def __del__(self):
        print("finalized at exit")
z = AtExit(); z.z = z
del z
print("gc_cycles: ok")
