# The match statement (PEP 634): every pattern kind, guards, bindings, the self-matching
# built-ins, the sequence/mapping type flags, and CPython's compile-time and run-time errors.

def expect_error(exc_type, message, f, *args):
    try:
        f(*args)
    except exc_type as e:
        assert str(e) == message, (str(e), message)
    else:
        raise AssertionError("no %s raised" % exc_type.__name__)


def compile_error(message, source):
    try:
        exec(source)
    except SyntaxError as e:
        assert e.msg == message, (e.msg, message)
    else:
        raise AssertionError("no SyntaxError for %r" % source)


# ---- literals, singletons, captures, wildcards ----------------------------------------------

def literal(x):
    match x:
        case 0:
            return "zero"
        case -1:
            return "minus one"
        case 2.5:
            return "float"
        case 1 + 2j:
            return "complex"
        case "s":
            return "str"
        case b"b":
            return "bytes"
        case None:
            return "None"
        case True:
            return "True"
        case False:
            return "False"
        case _:
            return "other"

assert literal(0) == "zero"
assert literal(0.0) == "zero"        # literals compare with ==
assert literal(-1) == "minus one"
assert literal(2.5) == "float"
assert literal(1 + 2j) == "complex"
assert literal("s") == "str"
assert literal(b"b") == "bytes"
assert literal(None) == "None"
assert literal(True) == "True"       # True == 1 but not 0 / -1; singletons compare with `is`
assert literal(False) == "zero"      # False == 0
assert literal(1) == "other"         # 1 == True, but `case True` uses `is`
assert literal([]) == "other"


def capture(x):
    match x:
        case 1:
            return "one"
        case y:
            return ("captured", y)

assert capture(1) == "one"
assert capture("q") == ("captured", "q")

# A wildcard as the only case; the subject is still evaluated exactly once.
calls = []
def subject():
    calls.append(1)
    return 5
match subject():
    case _:
        pass
assert calls == [1]
match subject():
    case 1:
        assert False
    case 2:
        assert False
    case n:
        assert n == 5
assert calls == [1, 1]

# No case matches: nothing happens, nothing is bound.
match 3:
    case 1 | 2:
        assert False
    case [never_bound]:
        assert False
assert "never_bound" not in globals()


# ---- value patterns (dotted names) ----------------------------------------------------------

class Color:
    RED = "red"
    GREEN = "green"

class ns:
    class inner:
        VALUE = 42

def color(c):
    match c:
        case Color.RED:
            return "r"
        case Color.GREEN:
            return "g"
        case ns.inner.VALUE:
            return "deep"
    return None

assert color("red") == "r"
assert color("green") == "g"
assert color(42) == "deep"
assert color("blue") is None


# ---- sequences ------------------------------------------------------------------------------

def seq(x):
    match x:
        case []:
            return "empty"
        case [a]:
            return ("one", a)
        case [a, b]:
            return ("two", a, b)
        case [1, *rest]:
            return ("starts with 1", rest)
        case [*init, 9]:
            return ("ends with 9", init)
        case (a, *_, z):
            return ("ends", a, z)
    return "no"

assert seq([]) == "empty"
assert seq(()) == "empty"
assert seq([7]) == ("one", 7)
assert seq((7, 8)) == ("two", 7, 8)
assert seq([1, 2, 3]) == ("starts with 1", [2, 3])
assert seq((1, 2, 3)) == ("starts with 1", [2, 3])   # the star always binds a list
assert seq([5, 6, 9]) == ("ends with 9", [5, 6])
assert seq([5, 6, 7, 8]) == ("ends", 5, 8)
assert seq(range(3, 7)) == ("ends", 3, 6)            # range is a sequence
assert seq("ab") == "no"                             # str, bytes, bytearray are not
assert seq(b"ab") == "no"
assert seq(bytearray(b"ab")) == "no"
assert seq({1: 2, 3: 4}) == "no"                     # mappings are not sequences
assert seq(iter([1, 2])) == "no"
assert seq(5) == "no"

def star_only(x):
    match x:
        case [*_]:
            return "any sequence"
    return "no"

assert star_only([]) == "any sequence"
assert star_only((1, 2)) == "any sequence"
assert star_only("x") == "no"

def nested(x):
    match x:
        case [(a, b), [c, *d]]:
            return (a, b, c, d)
    return None

assert nested([(1, 2), [3, 4, 5]]) == (1, 2, 3, [4, 5])
assert nested([(1, 2), [3]]) == (1, 2, 3, [])
assert nested([(1, 2, 0), [3]]) is None

class MyList(list):
    pass

assert seq(MyList([1, 2])) == ("two", 1, 2)          # heap subclasses inherit the flag

# Failed sub-patterns bind nothing (stores happen once the whole pattern matched).
def partial(x):
    match x:
        case [p, 2]:
            return p
    try:
        return p
    except UnboundLocalError:
        return "unbound"

assert partial([1, 2]) == 1
assert partial([1, 3]) == "unbound"


# ---- mappings -------------------------------------------------------------------------------

def mapping(x):
    match x:
        case {}:
            if not x:
                return "empty"
            return ("non-empty, no keys needed", len(x))

def mapping2(x):
    match x:
        case {"a": 1, "b": b}:
            return ("a1", b)
        case {"a": a, **rest}:
            return ("a", a, rest)
        case {1: one, None: n}:
            return (one, n)
    return "no"

assert mapping({}) == "empty"
assert mapping({"x": 1}) == ("non-empty, no keys needed", 1)
assert mapping([]) is None
assert mapping2({"a": 1, "b": 2, "c": 3}) == ("a1", 2)
assert mapping2({"a": 5, "b": 2, "c": 3}) == ("a", 5, {"b": 2, "c": 3})
assert mapping2({1: "x", None: "y"}) == ("x", "y")
assert mapping2({"b": 1}) == "no"
assert mapping2([("a", 1)]) == "no"

class Missing(dict):
    def __missing__(self, key):
        raise AssertionError("match must not call __missing__")

assert mapping2(Missing(a=7)) == ("a", 7, {})

class Getter(dict):
    def get(self, key, default=None):
        return "via get" if key == "a" else default

assert mapping2(Getter(a=0)) == ("a", "via get", {})

# Keys given by value patterns are checked for duplicates at run time.
class K:
    a = "a"
    b = "a"

def dup_keys(x):
    match x:
        case {K.a: 1, K.b: 2}:
            return "?"

expect_error(ValueError, "mapping pattern checks duplicate key ('a')", dup_keys, {"a": 1, "c": 2})


# ---- class patterns -------------------------------------------------------------------------

class Point:
    __match_args__ = ("x", "y")
    def __init__(self, x, y):
        self.x = x
        self.y = y

class Point3(Point):
    __match_args__ = ("x", "y", "z")
    def __init__(self, x, y, z):
        super().__init__(x, y)
        self.z = z

def where(p):
    match p:
        case Point3(0, 0, 0):
            return "origin3"
        case Point(x=0, y=0):
            return "origin"
        case Point(0, y):
            return ("on y", y)
        case Point(x, 0):
            return ("on x", x)
        case Point(x, y=yy) if x == yy:
            return ("diagonal", x)
        case Point():
            return "somewhere"
    return "not a point"

assert where(Point(0, 0)) == "origin"
assert where(Point3(0, 0, 0)) == "origin3"
assert where(Point3(0, 0, 1)) == "origin"
assert where(Point(0, 5)) == ("on y", 5)
assert where(Point(4, 0)) == ("on x", 4)
assert where(Point(3, 3)) == ("diagonal", 3)
assert where(Point(3, 4)) == "somewhere"
assert where((0, 0)) == "not a point"

def missing_attr(p):
    match p:
        case Point(z=1):
            return "z"
    return "no z"

assert missing_attr(Point(1, 2)) == "no z"     # a missing attribute is no match
q = Point(1, 2)
q.z = 1
assert missing_attr(q) == "z"

# The built-ins that match themselves with one positional sub-pattern.
def self_match(x):
    match x:
        case bool(v):
            return ("bool", v)
        case int(v):
            return ("int", v)
        case float(v):
            return ("float", v)
        case str(v):
            return ("str", v)
        case bytes(v):
            return ("bytes", v)
        case bytearray(v):
            return ("bytearray", v)
        case list(v):
            return ("list", v)
        case tuple(v):
            return ("tuple", v)
        case dict(v):
            return ("dict", v)
        case set(v):
            return ("set", v)
        case frozenset(v):
            return ("frozenset", v)
    return None

assert self_match(True) == ("bool", True)
assert self_match(3) == ("int", 3)
assert self_match(1.5) == ("float", 1.5)
assert self_match("s") == ("str", "s")
assert self_match(b"b") == ("bytes", b"b")
assert self_match(bytearray(b"x")) == ("bytearray", bytearray(b"x"))
assert self_match([1]) == ("list", [1])
assert self_match((1,)) == ("tuple", (1,))
assert self_match({1: 2}) == ("dict", {1: 2})
assert self_match({1}) == ("set", {1})
assert self_match(frozenset()) == ("frozenset", frozenset())
assert self_match(None) is None

class MyInt(int):
    pass

assert self_match(MyInt(4)) == ("int", 4)      # subclasses keep matching themselves

class Named(int):
    __match_args__ = ("real",)

match Named(9):
    case Named(r):
        assert r == 9

def self_match_two(x):
    match x:
        case int(a, b):
            return a, b

expect_error(TypeError, "int() accepts 1 positional sub-pattern (2 given)", self_match_two, 5)

def too_many(p):
    match p:
        case Point(a, b, c):
            return a

expect_error(TypeError, "Point() accepts 2 positional sub-patterns (3 given)", too_many, Point(1, 2))

class NoArgs:
    pass

def no_args(x):
    match x:
        case NoArgs(a):
            return a

expect_error(TypeError, "NoArgs() accepts 0 positional sub-patterns (1 given)", no_args, NoArgs())
assert no_args(5) is None      # the isinstance check comes first

class BadArgs:
    __match_args__ = ["x"]

def bad_args(x):
    match x:
        case BadArgs(a):
            return a

expect_error(TypeError, "BadArgs.__match_args__ must be a tuple (got list)", bad_args, BadArgs())

class BadNames:
    __match_args__ = (1,)

def bad_names(x):
    match x:
        case BadNames(a):
            return a

expect_error(TypeError, "__match_args__ elements must be strings (got int)", bad_names, BadNames())

def repeated(p):
    match p:
        case Point(a, x=b):
            return a

expect_error(TypeError, "Point() got multiple sub-patterns for attribute 'x'", repeated, Point(1, 2))

not_a_class = len
def call_non_class(x):
    match x:
        case not_a_class():
            return 1

# CPython 3.15's wording; 3.11 says "called match pattern must be a type".
try:
    call_non_class(1)
except TypeError as e:
    assert str(e) in ("class pattern must refer to a class", "called match pattern must be a type"), str(e)
else:
    raise AssertionError("no TypeError")


# ---- or, as, groups, guards -----------------------------------------------------------------

def alternatives(x):
    match x:
        case 1 | 2 | 3:
            return "small"
        case [a, 1] | [1, a] | {"a": a}:
            return ("a", a)
        case (Point(x=v, y=w) | (v, w)) as whole:
            return ("pair", v, w, whole)
    return "no"

assert alternatives(2) == "small"
assert alternatives([7, 1]) == ("a", 7)
assert alternatives([1, 8]) == ("a", 8)
assert alternatives({"a": 9}) == ("a", 9)
p = Point(5, 6)
assert alternatives(p) == ("pair", 5, 6, p)
assert alternatives((5, 6)) == ("pair", 5, 6, (5, 6))
assert alternatives("xy") == "no"

def reorder(x):
    match x:
        case [a, b, 0] | [b, a, 1]:
            return (a, b)

assert reorder([1, 2, 0]) == (1, 2)
assert reorder([1, 2, 1]) == (2, 1)

def as_patterns(x):
    match x:
        case [1, (2 | 3) as second] as whole:
            return (second, whole)
        case (int() | float()) as number:
            return number
    return None

assert as_patterns([1, 3]) == (3, [1, 3])
assert as_patterns(2.5) == 2.5
assert as_patterns("x") is None

def grouped(x):
    match x:
        case (1):
            return "one"
        case ([a, b]):
            return a + b

assert grouped(1) == "one"
assert grouped([2, 3]) == 5

log = []
def guarded(x):
    match x:
        case [a, b] if log.append(("guard 1", a)) or a > b:
            return "descending"
        case [a, b] if a == b:
            return "equal"
        case [*_]:
            return "other"
        case _ if log.append("default guard"):
            return "never"
    return "fell through"

assert guarded([2, 1]) == "descending"
assert guarded([1, 1]) == "equal"
assert guarded([1, 2, 3]) == "other"
assert guarded(5) == "fell through"
assert log == [("guard 1", 2), ("guard 1", 1), "default guard"]

# Capture in a guarded irrefutable case, not last: allowed.
def guarded_capture(x):
    match x:
        case y if y > 0:
            return "positive"
        case _:
            return "other"

assert guarded_capture(3) == "positive"
assert guarded_capture(-3) == "other"


# ---- control flow inside cases --------------------------------------------------------------

def loop():
    out = []
    for item in [1, "skip", 2, "stop", 3]:
        match item:
            case "skip":
                continue
            case "stop":
                break
            case n:
                out.append(n)
    return out

assert loop() == [1, 2]

def ret_in_case(x):
    for i in range(3):
        match (i, x):
            case (2, _):
                return "end"
            case (_, "early"):
                return ("early", i)
    return "unreachable"

assert ret_in_case("early") == ("early", 0)
assert ret_in_case(None) == "end"

# Captures are ordinary bindings of the enclosing scope.
match [10, 20]:
    case [first, second]:
        pass
assert (first, second) == (10, 20)

def closure():
    match (1, 2):
        case (a, b):
            pass
    return lambda: a + b

assert closure()() == 3


# ---- compile-time errors --------------------------------------------------------------------

compile_error("name capture 'x' makes remaining patterns unreachable",
              "match 1:\n    case x:\n        pass\n    case 1:\n        pass\n")
compile_error("wildcard makes remaining patterns unreachable",
              "match 1:\n    case _:\n        pass\n    case 1:\n        pass\n")
compile_error("name capture 'x' makes remaining patterns unreachable",
              "match 1:\n    case x | 1:\n        pass\n")
compile_error("wildcard makes remaining patterns unreachable",
              "match 1:\n    case (_ | 2) as y:\n        pass\n")
compile_error("multiple assignments to name 'x' in pattern",
              "match 1:\n    case [x, x]:\n        pass\n")
compile_error("multiple assignments to name 'x' in pattern",
              "match 1:\n    case [x, ([x] | (x,))]:\n        pass\n")
compile_error("multiple assignments to name 'a' in pattern",
              "match 1:\n    case {'k': a, **a}:\n        pass\n")
compile_error("alternative patterns bind different names",
              "match 1:\n    case [x] | [y]:\n        pass\n")
compile_error("alternative patterns bind different names",
              "match 1:\n    case [x] | 1:\n        pass\n")
compile_error("mapping pattern checks duplicate key ('a')",
              "match 1:\n    case {'a': 1, 'a': 2}:\n        pass\n")
compile_error("mapping pattern checks duplicate key (1.0)",
              "match 1:\n    case {1: 1, 1.0: 2}:\n        pass\n")
compile_error("attribute name repeated in class pattern: a",
              "match 1:\n    case C(a=1, a=2):\n        pass\n")
compile_error("positional patterns follow keyword patterns",
              "match 1:\n    case C(a=1, b):\n        pass\n")

print("match: ok")
