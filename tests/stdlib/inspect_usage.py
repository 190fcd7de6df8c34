# inspect on Pyrite's functions, classes, frames and generators: signatures (with defaults,
# keyword-only and annotations), predicates, getmembers, unwrap, the frame stack.
import functools
import inspect
import sys


def plain(a, b=2, *args, c, d=4, **kw) -> int:
    return a


def gen():
    yield 1


async def coro():
    return 1


class Shape:
    """A shape."""

    sides = 0

    def __init__(self, name, *, scale=1.0):
        self.name = name

    def area(self):
        return 0

    @property
    def label(self):
        return self.name

    @staticmethod
    def make():
        return Shape("x")

    @classmethod
    def build(cls, name):
        return cls(name)


sig = inspect.signature(plain)
print(sig)
print([(p.name, str(p.kind), p.default) for p in sig.parameters.values()])
print(sig.return_annotation, sig.bind(1, c=3).arguments)
print(inspect.signature(Shape))
print(inspect.signature(Shape.area), inspect.signature(Shape("s").area))
print(inspect.signature(lambda x, /, y=1: None))
print(inspect.signature(functools.partial(plain, 1, c=5)))

print(inspect.isfunction(plain), inspect.isfunction(Shape), inspect.isclass(Shape))
print(inspect.isgeneratorfunction(gen), inspect.isgenerator(gen()), inspect.isgenerator(plain))
c = coro()
print(inspect.iscoroutinefunction(coro), inspect.iscoroutine(c), inspect.isawaitable(c))
c.close()
print(inspect.ismethod(Shape("s").area), inspect.ismethod(Shape.area), inspect.isbuiltin(len), inspect.isroutine(len))
print(inspect.ismodule(sys), inspect.isdatadescriptor(Shape.__dict__["label"]))
print(inspect.getgeneratorstate(gen()))

members = inspect.getmembers(Shape, inspect.isfunction)
print([name for name, _ in members])
print([name for name, _ in inspect.getmembers(Shape("s")) if not name.startswith("__")])
print(inspect.getdoc(Shape), inspect.getmro(Shape)[-1].__name__)
print([a.name for a in inspect.classify_class_attrs(Shape) if a.name in ("area", "label", "make", "build", "sides")])
print(sorted((a.name, a.kind) for a in inspect.classify_class_attrs(Shape) if a.name in ("area", "label", "make", "build", "sides")))


def deco(f):
    @functools.wraps(f)
    def wrapper(*a, **k):
        return f(*a, **k)
    return wrapper


@deco
@deco
def wrapped(x, y=1):
    return x + y


print(inspect.unwrap(wrapped) is wrapped.__wrapped__.__wrapped__, inspect.signature(wrapped))
print(inspect.getfullargspec(plain))
print(inspect.getcallargs(plain, 1, 2, 3, c=4))


def where():
    frame = inspect.currentframe()
    info = inspect.getframeinfo(frame)
    caller = frame.f_back
    return frame.f_code.co_name, info.function, info.lineno - where.__code__.co_firstlineno, caller.f_code.co_name


def outer():
    return where(), [f.function for f in inspect.stack()[:2]]


print(outer())
print(inspect.getmodule(plain).__name__, inspect.getfile(plain) == __file__)
print(inspect.cleandoc("  first\n    second\n  third"))
print(inspect.formatannotation(int), inspect.formatannotation(list[int]))
print(inspect.Parameter("x", inspect.Parameter.KEYWORD_ONLY, default=3))
print("inspect_usage: ok")
