# `_contextvars` (PEP 567) through `contextvars` when it imports, else the module itself:
# variables, tokens, contexts, Context.run, and one context per thread.
try:
    import contextvars as cv
except Exception:           # `contextvars` imports `_collections_abc`
    import _contextvars as cv
import _thread

a = cv.ContextVar("a")
b = cv.ContextVar("b", default=5)
print(a.name, b.name, b.get(), a.get(7), a.get(None))
print(repr(a).startswith("<ContextVar name='a' at 0x"), repr(b).startswith("<ContextVar name='b' default=5 at 0x"))
try:
    a.get()
except LookupError as e:
    print("LookupError", e.args[0] is a)

t = a.set(1)
print(a.get(), t.var is a, t.old_value is cv.Token.MISSING, repr(cv.Token.MISSING))
print(repr(t).startswith("<Token var=<ContextVar name='a' at "))
t_b = b.set(6)
print(t_b.old_value is cv.Token.MISSING, b.get())
b.reset(t_b)
print(b.get())

ctx = cv.copy_context()
print(ctx[a], a in ctx, b in ctx, len(ctx), list(ctx) == [a], ctx.get(b, "nb"), ctx.get(a))
print(list(ctx.keys()) == [a], list(ctx.values()), [(k.name, v) for k, v in ctx.items()])
a.set(2)
print("copy is a snapshot:", a.get(), ctx[a])

def f(x, *, y=0):
    a.set(x + y)
    return a.get()
print(ctx.run(f, 10, y=5), a.get(), ctx[a])

a.reset(t)
print(a.get("missing"))
try:
    a.reset(t)
except RuntimeError as e:
    print("RuntimeError", "used" in str(e))
try:
    ctx.run(lambda: ctx.run(f, 1))
except RuntimeError as e:
    print("RuntimeError", "already entered" in str(e))

c2 = cv.Context()
print(len(c2), c2.run(lambda: a.get("empty")), c2.run(cv.copy_context) == c2)
t2 = b.set(9)
try:
    c2.run(b.reset, t2)
except ValueError as e:
    print("ValueError", "different Context" in str(e))
try:
    a.reset(t2)
except ValueError as e:
    print("ValueError", "different ContextVar" in str(e))
print(ctx == ctx.copy(), ctx == c2, ctx.copy() is not ctx)
for bad in [lambda: ctx[1], lambda: 1 in ctx, lambda: cv.Context(1), lambda: cv.ContextVar(1)]:
    try:
        bad()
    except TypeError as e:
        print("TypeError", e)
try:
    hash(ctx)
except TypeError:
    print("Context is unhashable")
print(cv.ContextVar[int])

# Each thread starts in a fresh, empty context.
out = []
done = _thread.allocate_lock()
done.acquire()
def in_thread():
    out.append(a.get("no value here"))
    a.set("thread value")
    out.append(a.get())
    out.append(len(cv.copy_context()))
    done.release()
a.set("main value")
_thread.start_new_thread(in_thread, ())
done.acquire()
print(out, a.get())

# Context.run in a thread: the thread sees what the main thread copied.
snapshot = cv.copy_context()
def run_snapshot():
    out.append(snapshot.run(a.get))
    done.release()
_thread.start_new_thread(run_snapshot, ())
done.acquire()
print(out[-1])
print("contextvars_basic: ok")
