# requires: 3.15
# PEP 649 / PEP 749: deferred evaluation of annotations (functions, classes, modules).
import sys

# Functions: __annotate__(format) builds the dict; __annotations__ caches it.
def f(a: int, /, b: str, *args: float, c: "fwd" = 1, **kw: bytes) -> None:
    pass

ann = f.__annotations__
assert ann == {'a': int, 'b': str, 'args': float, 'c': 'fwd', 'kw': bytes, 'return': None}, ann
assert list(ann) == ['a', 'b', 'args', 'c', 'kw', 'return'], list(ann)
assert f.__annotations__ is ann
assert callable(f.__annotate__)
assert f.__annotate__.__name__ == '__annotate__'
assert f.__annotate__.__qualname__ == 'f.__annotate__'
assert f.__annotate__.__code__.co_varnames == ('format',)
assert f.__annotate__.__code__.co_posonlyargcount == 1
assert f.__annotate__(1) == ann and f.__annotate__(1) is not ann
assert f.__annotate__(2) == ann
for fmt in (3, 4):
    try:
        f.__annotate__(fmt)
    except NotImplementedError as e:
        assert e.args == ()
    else:
        raise AssertionError("format %d" % fmt)

def no_annotations(x, y=2):
    pass

assert no_annotations.__annotate__ is None
assert no_annotations.__annotations__ == {}
assert no_annotations.__annotations__ is no_annotations.__annotations__

# Forward references: nothing is evaluated until __annotations__ is read.
def fwd(x: Later) -> Later:
    return x

try:
    fwd.__annotations__
except NameError as e:
    assert str(e) == "name 'Later' is not defined", str(e)
else:
    raise AssertionError("NameError expected")

class Later:
    pass

assert fwd.__annotations__ == {'x': Later, 'return': Later}

# Evaluation happens at each __annotate__ call, in the defining scope.
def outer():
    T = int
    def inner(x: T) -> [T]:
        pass
    return inner

g = outer()
assert g.__annotations__ == {'x': int, 'return': [int]}

counter = []
def count():
    counter.append(1)
    return int

def counted(x: count()):
    pass

assert counter == []
counted.__annotations__
counted.__annotations__
assert counter == [1]
counted.__annotate__(1)
assert counter == [1, 1]

# Setting __annotations__ and __annotate__.
def h(x: int):
    pass

h.__annotations__ = {'q': 1}
assert h.__annotations__ == {'q': 1}
assert h.__annotate__ is None
try:
    h.__annotations__ = 3
except TypeError as e:
    assert str(e) == '__annotations__ must be set to a dict object', str(e)
else:
    raise AssertionError
h.__annotations__ = None
assert h.__annotations__ == {}
del h.__annotations__
assert h.__annotations__ == {}
try:
    h.__annotate__ = 3
except TypeError as e:
    assert str(e) == '__annotate__ must be callable or None', str(e)
else:
    raise AssertionError
try:
    del h.__annotate__
except TypeError as e:
    assert str(e) == '__annotate__ cannot be deleted', str(e)
else:
    raise AssertionError
h.__annotate__ = lambda fmt: {'z': fmt}
assert h.__annotations__ == {'z': 1}
h.__annotate__ = lambda fmt: 5
try:
    h.__annotations__
except TypeError as e:
    assert str(e) == '__annotate__() must return a dict, not int', str(e)
else:
    raise AssertionError

# Annotations inside a function body are never evaluated.
def body():
    x: undefined_name = 5
    y: also_undefined
    return x

assert body() == 5

# Lambdas have no annotations; private names are mangled.
class Mangled:
    def m(self, __p: int) -> str:
        pass

assert Mangled.m.__annotations__ == {'_Mangled__p': int, 'return': str}
assert Mangled.m.__annotate__.__qualname__ == 'Mangled.m.__annotate__'

# Classes: __annotate_func__ in the class dict, __annotations__ computed and cached.
class C:
    x: int
    y: str = "y"
    if True:
        z: float = 1.0
    if False:
        never: bytes
    def meth(self, a: x) -> None:
        pass

assert '__annotate_func__' in C.__dict__
assert '__annotations__' not in C.__dict__
assert C.y == "y" and C.z == 1.0
assert not hasattr(C, 'x')
assert C.__annotate__.__qualname__ == 'C.__annotate__'
ca = C.__annotations__
assert ca == {'x': int, 'y': str, 'z': float}, ca
assert C.__annotations__ is ca
assert C.__dict__['__annotations_cache__'] is ca
assert C.__annotate__(1) == ca
# Method annotations in a class see the class namespace only while... no: they look
# names up in the class dict first, then globals.
try:
    C.meth.__annotations__
except NameError:
    pass
else:
    raise AssertionError("x is a class-level annotation only, not a binding")

class D:
    T = int
    def m(self, a: T) -> T:
        pass
    u: T

assert D.m.__annotations__ == {'a': int, 'return': int}
assert D.__annotations__ == {'u': int}

# Class annotations see names bound later in the class namespace (the class dict).
class Late:
    a: B
    B = str

assert Late.__annotations__ == {'a': str}

class Empty:
    pass

assert Empty.__annotations__ == {}
assert Empty.__annotate__ is None

class Sub(C):
    pass

assert Sub.__annotations__ == {}

C.__annotations__ = {'r': 2}
assert C.__annotations__ == {'r': 2}
assert C.__annotate__ is None
try:
    C.__annotate__ = 5
except TypeError as e:
    assert str(e) == '__annotate__ must be callable or None', str(e)
else:
    raise AssertionError
try:
    int.__annotations__
except AttributeError as e:
    assert str(e) == "type object 'int' has no attribute '__annotations__'", str(e)
else:
    raise AssertionError
assert not hasattr(int, '__annotate__')

class Fwd:
    a: Undefined2

try:
    Fwd.__annotations__
except NameError as e:
    assert str(e) == "name 'Undefined2' is not defined"
else:
    raise AssertionError

# Modules: __annotate__ in the module namespace; only annotations that ran are reported.
mod_a: int
mod_b: str = "b"
if False:
    mod_c: float

mod = sys.modules[__name__]
assert mod.__annotate__ is __annotate__
assert mod.__annotate__(1) == {'mod_a': int, 'mod_b': str}
assert mod.__annotations__ == {'mod_a': int, 'mod_b': str}, mod.__annotations__

print("annotations: ok")
