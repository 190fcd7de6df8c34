# The gc module's interface: flags, thresholds, tracking, and collect()'s argument checks.
# (Cycles and their collection: gc_cycles.py.)
import gc

print(gc.isenabled())
gc.disable()
print(gc.isenabled())
gc.enable()
print(gc.isenabled())
print(isinstance(gc.collect(), int), isinstance(gc.collect(0), int))
try:
    gc.collect(3)
except ValueError as e:
    print("ValueError", e)
old = gc.get_threshold()
gc.set_threshold(500, 5)
print(gc.get_threshold()[:2])
gc.set_threshold(*old)
print(gc.get_debug())
gc.set_debug(gc.DEBUG_STATS)
print(gc.get_debug() == gc.DEBUG_STATS)
gc.set_debug(0)
print(gc.DEBUG_LEAK, gc.DEBUG_SAVEALL, gc.DEBUG_COLLECTABLE, gc.DEBUG_UNCOLLECTABLE)


class A:
    pass


print(gc.is_tracked(1), gc.is_tracked("s"), gc.is_tracked([]), gc.is_tracked(A()), gc.is_tracked(A), gc.is_tracked(()))
print(gc.is_finalized(A()))
print(gc.garbage, gc.callbacks)
print("gc_interface: ok")
