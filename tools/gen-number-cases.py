#!/usr/bin/env python3
"""Generates vm/tests/data/numbers.tsv: int/float/complex/bool cases and what CPython 3.15
answers for them (a repr, or an exception type and message). vm/tests/numbers.rs runs every
case on Pyrite and compares.

Run from the repository root with the reference interpreter:

    /work/shared/tools/cpython-ref python3.15 tools/gen-number-cases.py > vm/tests/data/numbers.tsv

One case per line, tab-separated: a kind, its fields, the expectation last.
Operands are typed: i:<decimal> int, x:<hex> int, f:<repr> float, c:<re>,<im> complex, b:True/False,
s:<hex of UTF-8> str, y:<hex> bytes, n: None, L:<operand;operand> list. A call argument
may be a keyword: name=<operand>. Expectations: =<repr>, =#<hex> for huge ints, or !<ExceptionType>: <message>.

Kinds:
  bin OP A B       a OP b (number protocol)      ibin OP A B   a OP= b
  un OP A          -a, +a, ~a, abs(a)            pow3 A B C    pow(a, b, c)
  divmod A B       divmod(a, b)                  cmp OP A B    a OP b (rich comparison)
  hash A           hash(a)                       str A         str(a)
  tobase N A       bin/oct/str/hex(a)            call T ARGS   T(*args, **kwargs) for int/float/complex/bool
  meth A NAME ARGS a.NAME(*args, **kwargs)       cmeth T NAME ARGS  T.NAME(*args, **kwargs)
  attr A NAME      a.NAME                        binhex OP A B hex(a OP b), for huge ints
  nativebytes A N FLAGS  PyLong_AsNativeBytes: (bytes needed, buffer hex)
  fromnative HEX FLAGS UNSIGNED  PyLong_From[Unsigned]NativeBytes
"""

import math
import operator
import random
import sys

assert sys.version_info[:2] >= (3, 15), "run with CPython 3.15 (cpython-ref python3.15)"

OUT = []


def enc(v):
    if v is None:
        return "n:"
    if isinstance(v, bool):
        return f"b:{v}"
    if isinstance(v, int):
        return f"x:{v:#x}" if v.bit_length() > 14000 else f"i:{v}"
    if isinstance(v, float):
        return f"f:{v!r}"
    if isinstance(v, complex):
        return f"c:{v.real!r},{v.imag!r}"
    if isinstance(v, str):
        return "s:" + v.encode("utf-8", "surrogatepass").hex()
    if isinstance(v, bytes):
        return "y:" + v.hex()
    if isinstance(v, list):
        return "L:" + ";".join(enc(x) for x in v)
    raise TypeError(v)


def expect(f):
    try:
        r = f()
    except Exception as e:
        msg = str(e)
        assert "\t" not in msg and "\n" not in msg, msg
        return f"!{type(e).__name__}: {msg}"
    if type(r) is int and r.bit_length() > 14000:
        # Beyond the decimal digit limit: the expectation is the hex form.
        return "=#" + hex(r)
    s = repr(r)
    assert "\t" not in s and "\n" not in s, s
    return "=" + s


def case(kind, fields, f):
    OUT.append("\t".join([kind] + [str(x) for x in fields] + [expect(f)]))


BIN = {
    "+": operator.add, "-": operator.sub, "*": operator.mul, "@": operator.matmul,
    "/": operator.truediv, "//": operator.floordiv, "%": operator.mod, "**": operator.pow,
    "<<": operator.lshift, ">>": operator.rshift, "&": operator.and_, "|": operator.or_, "^": operator.xor,
}
IBIN = {
    "+": operator.iadd, "-": operator.isub, "*": operator.imul, "@": operator.imatmul,
    "/": operator.itruediv, "//": operator.ifloordiv, "%": operator.imod, "**": operator.ipow,
    "<<": operator.ilshift, ">>": operator.irshift, "&": operator.iand, "|": operator.ior, "^": operator.ixor,
}
UN = {"-": operator.neg, "+": operator.pos, "~": operator.invert, "abs": abs}
CMP = {"<": operator.lt, "<=": operator.le, "==": operator.eq, "!=": operator.ne, ">": operator.gt, ">=": operator.ge}


def binop(op, a, b):
    try:
        r = BIN[op](a, b)
    except Exception:
        r = None
    if isinstance(r, int) and r.bit_length() > 14000:
        # Beyond the decimal digit limit: compare in hex.
        case("binhex", [op, "x:" + hex(a), "x:" + hex(b)], lambda: hex(r))
        return
    case("bin", [op, enc(a), enc(b)], lambda: BIN[op](a, b))


def ibinop(op, a, b):
    case("ibin", [op, enc(a), enc(b)], lambda: IBIN[op](a, b))


def unop(op, a):
    case("un", [op, enc(a)], lambda: UN[op](a))


def call(tname, *args, **kw):
    t = {"int": int, "float": float, "complex": complex, "bool": bool}[tname]
    fields = [enc(a) for a in args] + [f"{k}={enc(v)}" for k, v in kw.items()]
    case("call", [tname] + fields, lambda: t(*args, **kw))


def meth(a, name, *args, **kw):
    fields = [enc(x) for x in args] + [f"{k}={enc(v)}" for k, v in kw.items()]
    case("meth", [enc(a), name] + fields, lambda: getattr(a, name)(*args, **kw))


def cmeth(tname, name, *args, **kw):
    t = {"int": int, "float": float, "complex": complex}[tname]
    fields = [enc(x) for x in args] + [f"{k}={enc(v)}" for k, v in kw.items()]
    case("cmeth", [tname, name] + fields, lambda: getattr(t, name)(*args, **kw))


rnd = random.Random(20260615)


def rand_int(ndigits):
    return rnd.randrange(10 ** (ndigits - 1), 10 ** ndigits) * rnd.choice([1, -1])


# ---- ints -----------------------------------------------------------------------------------

SMALL = [0, 1, -1, 2, -3, 7, -10, 255, 256, -5, -6]
EDGE = [2**30 - 1, 2**30, -2**30, 2**31, 2**32 + 1, 2**53, 2**53 + 1, -(2**60), 2**62, 2**63 - 1, 2**63, -(2**63),
        -(2**63) - 1, 2**64, -(2**64) - 1, 10**18, 10**19 + 7, 2**90 - 1, -(2**90), 2**120 + 3]
BIG = [2**200 - 1, -(2**200) + 12345, 3**120, -(7**90), math.factorial(60), rand_int(100), rand_int(140), rand_int(181),
       2**600 + 1, -(10**150) - 1]

ARITH = ["+", "-", "*", "//", "%", "&", "|", "^"]

ints = SMALL + EDGE
for a in ints:
    for b in ints:
        for op in ARITH:
            binop(op, a, b)
        case("divmod", [enc(a), enc(b)], lambda a=a, b=b: divmod(a, b))
        binop("/", a, b)
for a in BIG:
    for b in SMALL[:5] + EDGE[::4] + BIG[::2]:
        for op in ARITH + ["/"]:
            binop(op, a, b)
            if b in SMALL:
                binop(op, b, a)
        case("divmod", [enc(a), enc(b)], lambda a=a, b=b: divmod(a, b))

# Knuth division corner cases: divisors whose top digits force the add-back step.
for k in range(2, 7):
    b = (2**30 - 1) * 2**(30 * (k - 1)) + 1
    for a in [b * (2**30 - 1) + b - 1, (2**(30 * (k + 1))) - 1, b * b - 1, b * (2**(30 * k)) - b]:
        binop("//", a, b)
        binop("%", a, b)
        binop("//", -a, b)
        binop("%", a, -b)
for _ in range(40):
    a, b = rand_int(rnd.randrange(20, 200)), rand_int(rnd.randrange(10, 120))
    case("divmod", [enc(a), enc(b)], lambda a=a, b=b: divmod(a, b))
    binop("*", a, b)

# Karatsuba sizes (>= 70 digits of 30 bits on both sides) and lopsided products.
# Operands and results in hex (x:), beyond the 4300-digit limit of decimal conversion.
def hexint(v):
    return "x:" + hex(v)


for da, db in [(80, 80), (150, 90), (400, 75), (300, 300), (1000, 71)]:
    a = rnd.getrandbits(30 * da) | 1
    b = -rnd.getrandbits(30 * db) | 1
    for op in ["*", "//", "%", "&"]:
        case("binhex", [op, hexint(a), hexint(b)], lambda a=a, b=b, op=op: hex(BIN[op](a, b)))
        case("binhex", [op, hexint(b), hexint(a)], lambda a=a, b=b, op=op: hex(BIN[op](b, a)))
    case("binhex", ["*", hexint(a), hexint(a)], lambda a=a: hex(a * a))
for a, b in [(3, 5000), (-7, 3001), (2**64 + 13, 900), (123456789, 1500)]:
    case("binhex", ["**", hexint(a), hexint(b)], lambda a=a, b=b: hex(a**b))

for a in SMALL + EDGE + BIG[:4]:
    for op in ["-", "+", "~", "abs"]:
        unop(op, a)
    case("hash", [enc(a)], lambda a=a: hash(a))
    case("str", [enc(a)], lambda a=a: str(a))
    for base in [2, 8, 10, 16]:
        case("tobase", [base, enc(a)], lambda a=a, base=base: {2: bin, 8: oct, 10: str, 16: hex}[base](a))
    for n in [0, 1, 2, 7, 29, 30, 31, 59, 60, 61, 63, 64, 65, 100, 1000, -1, 2**64, 2**100]:
        binop("<<", a, n)
        binop(">>", a, n)

# Powers.
for a in [0, 1, -1, 2, -2, 3, -3, 10, 2**31, -(2**40) + 5, 12345678901234567, BIG[0], BIG[3]]:
    for b in [0, 1, 2, 3, 5, 10, 17, 31, 64, 100, -1, -2, -3, -10]:
        binop("**", a, b)
for a, b in [(2, 1000), (3, 500), (-7, 123), (10, 300), (2**64 + 1, 20), (1, 2**100), (-1, 2**100 + 1), (0, 2**100),
             (2, 10000), (-2, 1023), (2, -1074), (2, -1075), (10, -400), (2**1100, -1)]:
    binop("**", a, b)
for a, b, m in [(2, 10, 1000), (3, 200, 10**9 + 7), (-2, 3, 5), (2, -1, 7), (2, -1, 4), (3, -2, -7), (2, 3, 0),
                (0, 0, 5), (5, 0, 1), (5, 3, -1), (2, 2**100, 10**9 + 7), (-3, -1, 7), (12345, 6789, -1000),
                (BIG[0], BIG[2], BIG[5]), (BIG[1], -1, 10**20 + 39), (2**200, 2**200, 2**127 - 1), (4, -1, 2),
                (2, 3, 1.5), (2.0, 3, 5), (2, 3, "x")]:
    case("pow3", [enc(a), enc(b), enc(m)], lambda a=a, b=b, m=m: pow(a, b, m))

# True division, correctly rounded; int to float conversion.
DIVS = [(1, 3), (2, 3), (-1, 3), (10**30, 3), (2**53 + 1, 1), (2**54 + 1, 2), (2**54 + 3, 2), (2**55 + 2, 4),
        (10**400, 10**399), (2**1100, 2**100), (2**1100, 3), (10**400, 7), (1, 10**400), (-1, 10**320), (0, -5),
        (0, 10**100), (7, 2**1074), (7, 2**1076), (1, 2**1075), (3, 2**1076), (2**1024 - 2**970, 1),
        (2**1024 - 2**969, 1), (2**1024 - 2**969 - 1, 1), (BIG[5], BIG[6]), (BIG[7], BIG[2]), (BIG[6], 0)]
for _ in range(40):
    DIVS.append((rand_int(rnd.randrange(17, 60)), rand_int(rnd.randrange(1, 40))))
for a, b in DIVS:
    binop("/", a, b)
for a in [2**53 + 1, 2**54 + 2, 2**54 + 6, 2**54 + 3, (2**53 + 1) * 2**970, 2**1024 - 2**970, 2**1024 - 2**969,
          2**1024, -(2**63) - 1, 2**64 - 1, 3**100, -(3**300), 10**308, 10**309] + BIG:
    call("float", a)
    binop("*", a, 1.0)

# Comparisons between ints and floats, exact for any size.
for a in [2**53 + 1, 2**53, -(2**53) - 1, 10**300, -(10**300), 2**1024, 0, 1, -1, 3]:
    for b in [2.0**53, -(2.0**53), 1e300, -1e300, math.inf, -math.inf, math.nan, 0.0, -0.0, 0.5, 1.0, 2.5, 3.0,
              9007199254740993.0, 1.0000000000000002e300]:
        for op in ["<", "==", ">"]:
            case("cmp", [op, enc(a), enc(b)], lambda a=a, b=b, op=op: CMP[op](a, b))
            case("cmp", [op, enc(b), enc(a)], lambda a=a, b=b, op=op: CMP[op](b, a))
for a, b in [(1, 2), (2**100, 2**100), (-(2**100), 2**99), (5, -5), (True, 1), (False, -1)]:
    for op in CMP:
        case("cmp", [op, enc(a), enc(b)], lambda a=a, b=b, op=op: CMP[op](a, b))

# int() from strings and bytes.
INT_STRS = ["0", "-0", "+7", " 12 ", "1_000", "1__0", "_1", "1_", "0x1F", "0X1f", "0o17", "0b101", "0b", "0x", "0x_1",
            "0_7", "07", "00", "0_0", "0_", "-0x10", "--1", "- 1", "+", "", " ", "12abc", "1.5", "1e5", "١٢٣", "٣٤",
            "\u2003 12 \u3000", "12\x00", "z", "Z", "zz", "123456789012345678901234567890", "-" + "9" * 200,
            "x" * 300, "1" * 4300, "1" * 4301, "9" * 5000, "\U0001d7ce\U0001d7cf", "١_٢", "0xfFfF_fFfF", "１２"]
for s in INT_STRS:
    for base in [None, 0, 2, 8, 10, 16, 36]:
        if base is None:
            call("int", s)
        else:
            call("int", s, base)
for s in [b"12", b"1x", b" -0b11 ", b"0x10"]:
    call("int", s)
    call("int", s, 0)
for base in [1, 37, -1, 2**70, "10"]:
    call("int", "10", base)
call("int", "0b" + "1" * 5000, 2)
call("int", "f" * 5000, 16)
call("int", "1", base=2)
call("int", base=10)
call("int", 5, 10)
call("int")
call("int", 1.5)
call("int", -1.9)
call("int", 1e300)
call("int", math.inf)
call("int", math.nan)
call("int", True)
call("int", None)
call("int", [])
call("int", 1j)
case("call", ["int", "s:31", "i:2", "i:3"], lambda: int("1", 2, 3))
case("call", ["int", "x=s:31"], lambda: int(x="1"))
case("call", ["int", "s:31", "i:2", "base=i:3"], lambda: int("1", 2, base=3))
case("str", [enc(-(10**4299) - 1)], lambda: str(-(10**4299) - 1))
case("str", [enc(10**4300)], lambda: str(10**4300))
case("str", [enc(2**14300)], lambda: str(2**14300))
case("tobase", [16, enc(10**5000)], lambda: hex(10**5000))

# int methods and attributes.
for a in [0, 1, -1, 5, -5, 255, 256, -256, 2**31 - 1, -(2**31), 2**64 - 1, 2**100, -(2**100), BIG[2], True]:
    for name in ["bit_length", "bit_count", "as_integer_ratio", "is_integer", "conjugate", "__trunc__", "__floor__",
                 "__ceil__", "__round__", "__index__", "__getnewargs__"]:
        meth(a, name)
    for attr in ["real", "imag", "numerator", "denominator"]:
        case("attr", [enc(a), attr], lambda a=a, attr=attr: getattr(a, attr))
    for nd in [None, 0, 1, -1, -2, -3, -20, -200]:
        meth(a, "__round__", nd)
for a, nd in [(125, -1), (135, -1), (-125, -1), (150, -2), (250, -2), (249, -2), (5, -1), (15, -1), (-15, -1),
              (10**30 + 5 * 10**9, -10), (2**64, -5)]:
    meth(a, "__round__", nd)
meth(5, "__round__", "a")
meth(5, "__round__", 1, 2)
meth(1, "bit_length", 1)
for a, args, kw in [
    (255, (1, "little"), {}), (256, (1, "little"), {}), (-1, (1, "little"), {}), (-1, (1, "little"), {"signed": True}),
    (-128, (1, "big"), {"signed": True}), (-129, (1, "big"), {"signed": True}), (127, (1, "big"), {"signed": True}),
    (128, (1, "big"), {"signed": True}), (1, (), {}), (1, (1, "middle"), {}), (1, (-1, "big"), {}), (0, (0, "big"), {}),
    (1, (0, "big"), {}), (-1, (0, "big"), {"signed": True}), (2**64 - 1, (8, "big"), {}), (2**64, (8, "big"), {}),
    (-(2**63), (8, "little"), {"signed": True}), (-(2**63) - 1, (8, "little"), {"signed": True}),
    (BIG[2], (40, "big"), {}), (-BIG[2] if BIG[2] > 0 else BIG[2], (50, "little"), {"signed": True}),
    (1, (), {"length": 2, "byteorder": "little", "signed": True}), (1, (1, "big", True), {}), (1, (1, "big", True, 4), {}),
    (1, (), {"x": 1}), (1, (1,), {"length": 1}), (1, (1, 2), {}), (-5, (3,), {"signed": True}), (1, ("a",), {}),
]:
    meth(a, "to_bytes", *args, **kw)
for args, kw in [
    ((b"\xff\x00", "little"), {"signed": True}), ((b"\xff\x00",), {}), ((b"\xff", "x"), {}), ((5,), {}), (("ab",), {}),
    (([1, 2],), {}), (([255],), {"byteorder": "big", "signed": True}), (([256],), {}), ((b"",), {}),
    ((b"", "big", False), {}), ((), {}), ((), {"signed": True}), ((), {"bytes": b"\x01"}),
    ((bytes(range(256)), "big"), {}), ((b"\x80" + b"\x00" * 20, "big"), {"signed": True}),
    ((b"\x00" * 9 + b"\x80", "little"), {"signed": True}),
]:
    cmeth("int", "from_bytes", *args, **kw)

# bool.
for a in [True, False]:
    for b in [True, False, 0, 1, 2, -1, 1.5]:
        for op in ["&", "|", "^", "+", "-", "*", "//", "%", "/", "**", "<<", ">>"]:
            binop(op, a, b)
            binop(op, b, a)
    for op in ["-", "+", "abs"]:
        unop(op, a)
for args in [(), (0,), (5,), ("",), ("x",), (0.0,), (0j,), (None,), (2, 3)]:
    call("bool", *args)
case("call", ["bool", "x=i:1"], lambda: bool(x=1))

# ---- floats ---------------------------------------------------------------------------------

FLOATS = [0.0, -0.0, 1.0, -1.0, 0.5, -2.5, 3.0, 7.25, -13.5, 0.1, 1e-300, 5e-324, 1e300, 1.7976931348623157e308,
          2.0**53, math.inf, -math.inf, math.nan]
for a in FLOATS:
    for b in FLOATS:
        for op in ["+", "-", "*", "/", "//", "%", "**"]:
            binop(op, a, b)
        case("divmod", [enc(a), enc(b)], lambda a=a, b=b: divmod(a, b))
    for b in [0, 1, -1, 3, 2**53 + 1, 10**400, -7]:
        for op in ["+", "-", "*", "/", "//", "%", "**"]:
            binop(op, a, b)
            binop(op, b, a)
    for op in ["-", "+", "abs", "~"]:
        unop(op, a)
    if a == a:
        case("hash", [enc(a)], lambda a=a: hash(a))
    for op in CMP:
        case("cmp", [op, enc(a), enc(0.5)], lambda a=a, op=op: CMP[op](a, 0.5))
for a, b in [(-8.0, 1 / 3), (-2.0, 0.5), (-2.0, -1.5), (-8, 1 / 3), (2, 0.5), (2.0, -1074.0), (10.0, 400.0),
             (-10.0, 309.0), (0.0, -1.5), (-0.0, -1.0), (-0.0, 3.0), (-0.0, 2.0), (math.inf, -1.0), (-math.inf, 3.0),
             (-math.inf, -3.0), (-1.0, math.inf), (1.0, math.nan), (math.nan, 0.0), (-1.5, 2.0), (1e-300, 2.0)]:
    binop("**", a, b)
for x in [1.5, 2.5, -0.5, 0.5, -1.5, 1e300, -1e300, 2.675, 0.125, 5e-324, 1.23456789e-300, 123.456, -0.0, 0.0,
          1e16 + 2.0, 1.5e308, 12345.0, math.inf, -math.inf, math.nan, 0.0004]:
    for nd in [None, 0, 1, 2, 3, -1, -2, 5, 15, 300, 323, 324, -307, -308, -309, -310]:
        meth(x, "__round__", nd)
    for name in ["is_integer", "as_integer_ratio", "hex", "conjugate", "__trunc__", "__floor__", "__ceil__",
                 "__getnewargs__"]:
        meth(x, name)
    for attr in ["real", "imag"]:
        case("attr", [enc(x), attr], lambda x=x, attr=attr: getattr(x, attr))
meth(1.5, "__round__", "a")
meth(1.5, "__round__", 1, 2)
for s in ["0x1.8p1", "x", "0x1p10000", "  -0X1.FFFFFFFFFFFFFp1023 ", "0x1.fffffffffffff8p1023", "0x.8p-1074",
          "0x.80000001p-1074", "0x1p-1075", "0x1p-1074", "0x1.0000000000000800p0", "0x1.0000000000001800p0", "1",
          "-infinity", "INF", "nan", "0x1p", "0x.p1", ".8", "0x1.8p+00001", "0x0p99999999999999999999",
          "0x1p-99999999999999", "1.", "0x1.p0", " 0x10 ", "0x1g", "0X1P-2", "0x3.243f6a8885a308d313198a2e0370734p0"]:
    cmeth("float", "fromhex", s)
cmeth("float", "fromhex", 1)
for x in [5, True, 1.5, "1.5", 2**1100]:
    cmeth("float", "from_number", x)

FLOAT_STRS = ["", " ", "1", "-1.5", "+.5", "-5.", ".", "e5", "1e", "1e+", "1e5", "1E-5", "1.5e+_3", "1_000.000_1e1_0",
              "_1", "1_", "1__0", "1._5", "1_.5", "inf", "-inf", "+inf", "infinity", " -InFiNiTy ", "infi", "infinityx",
              "nan", "-nan", "NaN", "  nan  ", "1e500", "-1e500", "1e-400", "0x10", "1.5\x00", "١.٥", "\u2003 2.5 ",
              "0.1", "2.5e-324", "2.4703282292062328e-324", "2.4703282292062327e-324", "1.7976931348623158e308",
              "1.7976931348623159e308", "3.141592653589793238462643383279502884197169399375105820974944592307816406286",
              "9" * 400, "0." + "0" * 400 + "1", "1" + "0" * 400 + "e-400", "1 2", "1_2_3.4_5", "1e1_0"]
for s in FLOAT_STRS:
    call("float", s)
for b in [b"1.5", b"1x", b" 2e3 "]:
    call("float", b)
for x in [5, -7, 2**53 + 1, 2**1100, True, 1.5, None, [], 1j]:
    call("float", x)
call("float")
call("float", 1, 2)
case("call", ["float", "x=i:1"], lambda: float(x=1))

# ---- complex --------------------------------------------------------------------------------

inf, nan = math.inf, math.nan
CPLX = [0j, 1j, -1j, 1 + 2j, -3.5 + 0.25j, complex(-0.0, -0.0), complex(0.0, -0.0), complex(-0.0, 0.0), complex(inf, 1),
        complex(1, nan), complex(1e300, 1e300), 2 + 0j, complex(1e308, 1e308), complex(inf, inf), complex(0, inf)]
REALS = [0, 1, -2, 2**53 + 1, 0.0, -0.0, 1.5, inf, nan, True]
for a in CPLX:
    for b in CPLX + REALS:
        for op in ["+", "-", "*", "/", "**", "//", "%"]:
            binop(op, a, b)
            if b in REALS:
                binop(op, b, a)
        for op in ["==", "!=", "<"]:
            case("cmp", [op, enc(a), enc(b)], lambda a=a, b=b, op=op: CMP[op](a, b))
    for op in ["-", "+", "abs", "~"]:
        unop(op, a)
    case("str", [enc(a)], lambda a=a: str(a))
    if a == a:
        case("hash", [enc(a)], lambda a=a: hash(a))
    for name in ["conjugate", "__complex__", "__getnewargs__"]:
        meth(a, name)
    for attr in ["real", "imag"]:
        case("attr", [enc(a), attr], lambda a=a, attr=attr: getattr(a, attr))
    case("pow3", [enc(a), enc(2), enc(3)], lambda a=a: pow(a, 2, 3))
    case("divmod", [enc(a), enc(1)], lambda a=a: divmod(a, 1))
for a, b in [(1j, 2), (1j, 1000000000000), (1e200j, 2), (1e200j, 2.5), (0j, -1), (0j, 1j), (0j, -1.5), (0j, 0),
             (1 + 1j, 101), (1 + 1j, -3), (2, 1j), (-8, 1 / 3), (complex(0, 0), 0j), (1 + 1j, 100), (1 + 1j, 100.5),
             (1 + 1j, -100), (3 + 4j, 0.5), (1e-200 + 1e-200j, 2), (1e-200 + 1e-200j, -2), (1e-200 + 1e-200j, 2.5),
             (0.5 + 0.1j, 2000.5), (2 + 0j, 1e10), (2 + 1j, complex(1e10, 1)), (complex(1e-300, 0), 1.5),
             (complex(inf, 0), 0.5), (complex(nan, 0), 0.5), (1 + 1j, complex(nan, 0)), (1j, 1e300),
             (complex(-1e-300, 0), -1.5)]:
    binop("**", a, b)
for x in [1 + 2j, complex(1e16, 1e-7), complex(123456789012345678, 1), complex(0.1, -0.2), complex(-inf, -nan),
          complex(nan, -0.0), complex(1, -nan), complex(-nan, 1), 1e16j, complex(1e-5, 1.5), complex(-1, 0)]:
    case("str", [enc(x)], lambda x=x: repr(x))
COMPLEX_STRS = ["1+2j", "(1+2j)", " ( 1+2j ) ", "1+j", "-j", "j", "+J", "1e1j", "nan+nanj", "1_0+2_0j", "1__0", "",
                "()", "1 + 2j", "inf-infj", "x", "1", " 1 ", "1\x00", "1e500j", "-1.5e-3-2.5E+2J", "(1", "1)", "1+2",
                "1+2jj", "0x1j", "١+٢j", "-inf", "(-0-0j)", "1_", "+1.j", ".5j", "1e+2+1e-2j"]
for s in COMPLEX_STRS:
    call("complex", s)
for args, kw in [((1, 2), {}), ((1.5,), {}), ((True,), {}), ((-0.0,), {}), ((0, -0.0), {}), ((2**1100,), {}),
                 ((1 + 2j, 3j), {}), (([],), {}), (("1", 2), {}), ((1, "2"), {}), ((None,), {}), ((), {}),
                 ((), {"real": 1, "imag": 2}), ((), {"imag": 2}), ((), {"imag": 1j}), ((), {"real": "1+2j"}),
                 (("1",), {"imag": 2}), ((1, 2, 3), {}), ((), {"x": 1}), ((1j,), {}), ((2**53 + 1, 1), {})]:
    call("complex", *args, **kw)
for x in [5, 1.5, 1j, "1", True]:
    cmeth("complex", "from_number", x)

# ---- the protocol's errors ------------------------------------------------------------------

for op in BIN:
    if op != "*":
        binop(op, 1, "a")  # (str * int needs str's sq_repeat)
    binop(op, 1.5, None)
    if op != "*":
        ibinop(op, 1, "a")
    ibinop(op, 5, 3)
    ibinop(op, 2.5, 2)
    binop(op, None, 1j)
for op in UN:
    unop(op, "a")
    unop(op, None)
case("pow3", [enc(1), enc("a"), enc(None)], lambda: pow(1, "a", None))
case("pow3", [enc(1), enc(2), enc("a")], lambda: pow(1, 2, "a"))
case("pow3", [enc("a"), enc(2), enc(3)], lambda: pow("a", 2, 3))
case("divmod", [enc("a"), enc(1)], lambda: divmod("a", 1))
binop("+", "ab", "cd")
binop("+", "ab", 1)

# ---- PyLong_AsNativeBytes / PyLong_FromNativeBytes (through ctypes) --------------------------

import ctypes

as_native = ctypes.pythonapi.PyLong_AsNativeBytes
as_native.argtypes = [ctypes.py_object, ctypes.c_void_p, ctypes.c_ssize_t, ctypes.c_int]
as_native.restype = ctypes.c_ssize_t
from_native = {}
for name in ["PyLong_FromNativeBytes", "PyLong_FromUnsignedNativeBytes"]:
    f = getattr(ctypes.pythonapi, name)
    f.argtypes = [ctypes.c_char_p, ctypes.c_size_t, ctypes.c_int]
    f.restype = ctypes.py_object
    from_native[name] = f


def native_bytes(v, n, flags):
    buf = ctypes.create_string_buffer(max(n, 1))
    r = as_native(v, buf, n, flags)
    return (r, buf.raw[:n].hex())


for v in [0, 1, -1, 127, 128, 255, 256, -128, -129, 2**31 - 1, 2**31, -(2**31), 2**63 - 1, 2**63, -(2**63),
          -(2**63) - 1, 2**64 - 1, 2**64, 2**70 + 5, -(2**70), 2**30, -(2**30), 2**30 - 1, 2**128 - 1, -(2**127),
          True, 3.5, "x"]:
    for n in [0, 1, 2, 4, 8, 9, 16]:
        for flags in [-1, 0, 1, 3, 4, 5, 8, 9, 16, 17]:
            case("nativebytes", [enc(v), n, flags], lambda v=v, n=n, flags=flags: native_bytes(v, n, flags))
for data in [b"", b"\x01", b"\xff", b"\x80\x00", b"\x00\x80", b"\xff" * 9, b"\x12\x34\x56\x78\x9a\xbc\xde\xf0\x11"]:
    for flags in [-1, 0, 1, 4, 5]:
        for name, unsigned in [("PyLong_FromNativeBytes", 0), ("PyLong_FromUnsignedNativeBytes", 1)]:
            case("fromnative", [data.hex(), flags, unsigned],
                 lambda data=data, flags=flags, name=name: from_native[name](data, len(data), flags))

for line in OUT:
    print(line)
