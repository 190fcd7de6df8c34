"""Differential test of Pyrite's C-implemented C API (capi/c) against the
host CPython.

    python3 test_capi_c.py LIB.so [--record]

LIB.so is built by build.sh: capi/c/*.c compiled against this interpreter's
headers with every implemented function renamed pyrite_<name>, plus
testmod.c helpers.  Every case calls CPython's function and Pyrite's with the
same inputs (through ctypes) and compares the outcome: result value (type and
repr), exception type and message, warnings, output arguments and reference
counts.

CPython 3.15 is the reference.  On a 3.15 host the comparison is direct (and
--record stores CPython's outcomes in golden_315.json).  On an older host a
case passes when Pyrite's outcome equals the host CPython's or the recorded
3.15 outcome (differences between versions, e.g. new 3.15 messages, are
then checked against 3.15's recorded behaviour).
"""
import ctypes
import gc
import json
import os
import re
import sys
import traceback
import warnings
from ctypes import (POINTER, Structure, byref, c_char, c_char_p, c_double,
                    c_float, c_int, c_long, c_longlong, c_short, c_size_t,
                    c_ssize_t, c_ubyte, c_uint, c_ulong, c_ulonglong,
                    c_ushort, c_void_p, c_wchar_p, py_object)

HERE = os.path.dirname(os.path.abspath(__file__))
GOLDEN_PATH = os.path.join(HERE, "golden_315.json")
IS315 = sys.version_info[:2] == (3, 15)
RECORD = "--record" in sys.argv

LIB = ctypes.PyDLL(sys.argv[1])
API = ctypes.pythonapi

try:
    with open(GOLDEN_PATH) as f:
        GOLDEN = json.load(f)
except FileNotFoundError:
    GOLDEN = {}
NEW_GOLDEN = {}

STATS = {"compared": 0, "failed": 0, "via_golden": 0, "labels": set()}
FAILURES = []


def fn(lib, name, restype):
    f = getattr(lib, name)
    f.restype = restype
    return f


def cpy(name, restype=py_object):
    """CPython's function (the _SizeT symbol where it exists: on 3.11 the
    plain names are the old int-length variants)."""
    sized = "_" + name + "_SizeT"
    return fn(API, sized if _has(API, sized) else name, restype)


def _has(lib, name):
    try:
        getattr(lib, name)
        return True
    except AttributeError:
        return False


def pyr(name, restype=py_object):
    return fn(LIB, "pyrite_" + name, restype)


ADDR_RE = re.compile(r"0x[0-9a-fA-F]+")


def clean(s):
    return ADDR_RE.sub("0x?", s)


def norm_value(v):
    if isinstance(v, float) and v != v:
        return ["float", "nan"]
    return [type(v).__name__, clean(repr(v))]


def jsonable(x):
    if isinstance(x, bytes):
        return "bytes:" + repr(x)
    if isinstance(x, float) and x != x:
        return "nan"
    if isinstance(x, (list, tuple)):
        return [jsonable(i) for i in x]
    return x


def outcome(call, extract=None):
    """Run call(); return a JSON-able outcome."""
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        try:
            r = call()
            if extract is not None:
                res = ["ok", jsonable(extract(r))]
            else:
                res = ["ok", norm_value(r)]
        except BaseException as e:  # noqa: B902
            res = ["exc", type(e).__name__, clean(str(e))]
    res.append([[x.category.__name__, clean(str(x.message))] for x in w])
    return json.loads(json.dumps(res))


def report(label, ok, expected, got, note=""):
    STATS["compared"] += 1
    if not ok:
        STATS["failed"] += 1
        FAILURES.append((label, expected, got, note))


def compare(label, c_outcome, p_outcome):
    """c_outcome: CPython's (host) outcome; p_outcome: Pyrite's."""
    if label in STATS["labels"]:
        raise AssertionError("duplicate label " + label)
    STATS["labels"].add(label)
    if IS315:
        if RECORD:
            NEW_GOLDEN[label] = c_outcome
        report(label, c_outcome == p_outcome, c_outcome, p_outcome)
        return
    if p_outcome == c_outcome:
        report(label, True, c_outcome, p_outcome)
        return
    g = GOLDEN.get(label)
    if g is not None and (g == p_outcome
                          or host_normalize(g) == host_normalize(p_outcome)):
        STATS["via_golden"] += 1
        report(label, True, g, p_outcome)
        return
    report(label, False, c_outcome if g is None else {"host": c_outcome, "3.15": g},
           p_outcome)


# Messages produced by the host runtime's own functions (not by capi/c) that
# changed wording between the host version and 3.15; mapped to one form when
# comparing against the recorded 3.15 outcome on an older host.
HOST_MESSAGE_EQUIVALENTS = [
    (re.compile(r"^__index__ returned non-int \(type (\w+)\)"),
     r"<__index__ returned non-int \1>"),
    (re.compile(r"^\w+\.__index__\(\) must return an int, not (\w+)"),
     r"<__index__ returned non-int \1>"),
]


def host_normalize(o):
    def fix(s):
        for rx, rep in HOST_MESSAGE_EQUIVALENTS:
            s = rx.sub(rep, s)
        return s
    if isinstance(o, str):
        return fix(o)
    if isinstance(o, list):
        return [host_normalize(x) for x in o]
    return o


def check_equal(label, a, b):
    """A plain equality check (both sides computed here)."""
    if label in STATS["labels"]:
        raise AssertionError("duplicate label " + label)
    STATS["labels"].add(label)
    report(label, a == b, a, b)


def refcount(o):
    return sys.getrefcount(o)


def incref(o):
    API.Py_IncRef(py_object(o))


def decref(o):
    API.Py_DecRef(py_object(o))


# ---------------------------------------------------------------------------
# Py_BuildValue
# ---------------------------------------------------------------------------

class Py_complex(Structure):
    _fields_ = [("real", c_double), ("imag", c_double)]


class Obj:
    """A fresh, mortal object with a stable repr."""
    def __init__(self, name):
        self.name = name

    def __repr__(self):
        return "Obj(%s)" % self.name


def addr(name):
    f = LIB.t_addr
    f.restype = c_void_p
    f.argtypes = [c_char_p]
    return c_void_p(f(name.encode()))


BUILD_FUNCS = [
    ("Py_BuildValue", cpy("Py_BuildValue"), pyr("Py_BuildValue")),
    ("_Py_BuildValue_SizeT", fn(API, "_Py_BuildValue_SizeT", py_object),
     pyr("_Py_BuildValue_SizeT")),
    ("Py_VaBuildValue", fn(LIB, "t_cpy_VaBuildValue_SizeT", py_object),
     fn(LIB, "t_pyr_VaBuildValue", py_object)),
    ("_Py_VaBuildValue_SizeT", fn(LIB, "t_cpy_VaBuildValue_SizeT", py_object),
     fn(LIB, "t_pyr_VaBuildValue_SizeT", py_object)),
]


def build_cases():
    lng = c_long(7)
    cx = Py_complex(1.5, -2.0)
    wide = c_wchar_p("h\xe9llo \u20ac\U0001F600")
    o1 = Obj("o1")
    return [
        ("empty", b"", ()),
        ("spaces", b" ,:\t", ()),
        ("empty_tuple", b"()", ()),
        ("one_tuple", b"(i)", (5,)),
        ("i", b"i", (123,)),
        ("i_neg", b"i", (-5,)),
        ("b", b"b", (-1,)),
        ("B", b"B", (300,)),
        ("h", b"h", (70000,)),
        ("H", b"H", (c_uint(70000),)),
        ("I", b"I", (c_uint(0xFFFFFFFF),)),
        ("l", b"l", (c_long(-2**63),)),
        ("k", b"k", (c_ulong(2**64 - 1),)),
        ("L", b"L", (c_longlong(-2**63),)),
        ("K", b"K", (c_ulonglong(2**64 - 1),)),
        ("n", b"n", (c_ssize_t(-2**63),)),
        ("c", b"c", (65,)),
        ("c_trunc", b"c", (256 + 66,)),
        ("C", b"C", (0x1F600,)),
        ("C_range", b"C", (0x110000,)),
        ("C_neg", b"C", (-1,)),
        ("d", b"d", (c_double(1.5),)),
        ("f", b"f", (c_double(2.25),)),
        ("d_nan", b"d", (c_double(float("nan")),)),
        ("D", b"D", (byref(cx),)),
        ("p0", b"p", (0,)),
        ("p1", b"p", (1,)),
        ("p5", b"p", (-5,)),
        ("s", b"s", (b"abc",)),
        ("s_utf8", b"s", ("h\xe9 \u20ac".encode(),)),
        ("s_bad_utf8", b"s", (b"a\xffb",)),
        ("s_null", b"s", (None,)),
        ("s#", b"s#", (b"abcdef", c_ssize_t(3))),
        ("s#_nul", b"s#", (b"a\0b", c_ssize_t(3))),
        ("s#_neg", b"s#", (b"abc", c_ssize_t(-1))),
        ("s#_null", b"s#", (None, c_ssize_t(5))),
        ("z", b"z", (b"zz",)),
        ("z_null", b"z", (None,)),
        ("z#", b"z#", (b"zzz", c_ssize_t(2))),
        ("U", b"U", (b"uu",)),
        ("U#", b"U#", (b"uuu", c_ssize_t(1))),
        ("y", b"y", (b"\xff\x00",)),
        ("y#", b"y#", (b"\xff\x00\x01", c_ssize_t(3))),
        ("y_null", b"y", (None,)),
        ("u", b"u", (wide,)),
        ("u#", b"u#", (wide, c_ssize_t(3))),
        ("u_null", b"u", (None,)),
        ("O", b"O", (py_object(o1),)),
        ("S", b"S", (py_object("str obj"),)),
        ("O_null", b"O", (c_void_p(None),)),
        ("O&", b"O&", (addr("bconv_long"), byref(lng))),
        ("O&_fail", b"O&", (addr("bconv_fail"), None)),
        ("S&", b"S&", (addr("bconv_long"), byref(lng))),
        ("list", b"[i,s]", (1, b"x")),
        ("empty_list", b"[]", ()),
        ("dict", b"{s:i,s:i}", (b"a", 1, b"b", 2)),
        ("empty_dict", b"{}", ()),
        ("dict_odd", b"{s:i,s}", (b"a", 1, b"b")),
        ("dict_unhashable", b"{O:i}", (py_object([]), 1)),
        ("nested", b"(i(ii)[s{s:O}])", (1, 2, 3, b"x", b"k", py_object(o1))),
        ("multi", b"i, i : i\ti", (1, 2, 3, 4)),
        ("two", b"is", (1, b"two")),
        ("unmatched_tuple", b"(ii", (1, 2)),
        ("unmatched_list", b"[ii", (1, 2)),
        ("unmatched_dict", b"{s:i", (b"a", 1)),
        ("excess_close", b"i)", (5,)),
        ("excess_close2", b"(i))i", (5, 6)),
        ("mismatch_close", b"(i]", (5,)),
        ("mismatch_close2", b"[i)", (5,)),
        ("bad_char", b"X", ()),
        ("bad_char_mid", b"iXi", (1, 2)),
        ("bad_char_list", b"[iX]", (1,)),
        ("bad_char_dict", b"{s:X}", (b"a",)),
        ("err_then_items", b"(C,i,s)", (-1, 2, b"x")),
        ("many", b"(iiiiiiiiiiiiiiiiiiii)", tuple(range(20))),
        ("deep", b"((((((i))))))", (1,)),
        ("hash", b"#", ()),
    ]


def test_buildvalue():
    for case, fmt, args in build_cases():
        for fname, cf, pf in BUILD_FUNCS:
            label = "build|%s|%s" % (fname, case)
            c = outcome(lambda: cf(fmt, *args))
            p = outcome(lambda: pf(fmt, *args))
            compare(label, c, p)

    # 'N' steals; errors must release the N objects not yet stored, exactly
    # like CPython (compared as refcount deltas).
    n_cases = [
        ("N", b"N", lambda o: (py_object(o),)),
        ("(iN)", b"(iN)", lambda o: (1, py_object(o))),
        ("NX", b"NX", lambda o: (py_object(o),)),
        ("XN", b"XN", lambda o: (py_object(o),)),
        ("(CN)", b"(CN)", lambda o: (-1, py_object(o))),
        ("[C,N,N]", b"[C,N,N]", lambda o: (-1, py_object(o), py_object(o))),
        ("{N:N}_unhashable", b"{N:N}", lambda o: (py_object(o), py_object(o))),
        ("{s:N,s:C}", b"{s:N,s:C}", lambda o: (b"a", py_object(o), b"b", -1)),
        ("(N,O&)fail", b"(N,O&)", lambda o: (py_object(o), addr("bconv_fail"), None)),
        ("(O&,N)fail", b"(O&,N)", lambda o: (addr("bconv_fail"), None, py_object(o))),
        ("(NO)null", b"(NO)", lambda o: (py_object(o), c_void_p(None))),
        ("(ON)null", b"(ON)", lambda o: (c_void_p(None), py_object(o))),
        ("N(N", b"N(N", lambda o: (py_object(o), py_object(o))),
        ("(N{N)", b"(N{N)", lambda o: (py_object(o), py_object(o))),
        ("[N{s:i}N]", b"[N{s:O}N]", lambda o: (py_object(o), b"k", c_void_p(None), py_object(o))),
    ]
    for case, fmt, mkargs in n_cases:
        for fname, cf, pf in BUILD_FUNCS[:3]:
            deltas = []
            outs = []
            for f in (cf, pf):
                # a list is unhashable: used for the dict error case
                o = [] if "unhashable" in case else Obj("n")
                nsteal = fmt.count(b"N")
                for _ in range(nsteal):
                    incref(o)
                before = refcount(o)
                res = outcome(lambda: f(fmt, *mkargs(o)))
                gc.collect()
                deltas.append(refcount(o) - before)
                outs.append(res)
                # undo whatever was not consumed, so nothing leaks into later cases
                for _ in range(deltas[-1]):
                    decref(o)
            label = "buildN|%s|%s" % (fname, case)
            compare(label, outs[0], outs[1])
            compare(label + "|refdelta", ["delta", deltas[0]], ["delta", deltas[1]])

    # 'O' / 'S' take a new reference; the result owns it
    for fname, cf, pf in BUILD_FUNCS[:2]:
        deltas = []
        for f in (cf, pf):
            o = Obj("o")
            before = refcount(o)
            r = f(b"(OOS)", py_object(o), py_object(o), py_object(o))
            d1 = refcount(o) - before
            del r
            d2 = refcount(o) - before
            deltas.append([d1, d2])
        compare("buildO|%s|refs" % fname, deltas[0], deltas[1])


# ---------------------------------------------------------------------------
# PyUnicode_FromFormat / PyUnicode_FromFormatV / PyErr_Format(V)
# ---------------------------------------------------------------------------

class Nested:
    class Inner:
        pass


class BadRepr:
    def __repr__(self):
        raise ZeroDivisionError("bad repr")

    def __str__(self):
        raise KeyError("bad str")


import collections  # noqa: E402


def fromformat_cases():
    s = py_object
    o = Obj("x")
    return [
        ("plain", b"plain text", ()),
        ("percent", b"100%%", ()),
        ("pct_s", b"%%s", ()),
        ("c", b"%c", (c_int(0xabcd),)),
        ("c_max", b"%c", (c_int(0x10ffff),)),
        ("c_ascii", b"[%c]", (c_int(65),)),
        ("c_surrogate", b"%c", (c_int(0xd800),)),
        ("c_range", b"%c", (c_int(0x110000),)),
        ("c_neg", b"%c", (c_int(-1),)),
        ("c_width", b"%5c", (c_int(65),)),
        ("c_prec", b"%.1c", (c_int(65),)),
        ("c_dot", b"%.c", (c_int(65),)),
        ("c_starprec_neg", b"%.*c", (c_int(-1), c_int(65))),
        ("c_l", b"%lc", (c_int(65),)),
        ("d", b"%d", (c_int(-123),)),
        ("i", b"%i", (c_int(2**31 - 1),)),
        ("u", b"%u", (c_uint(2**32 - 1),)),
        ("x", b"%x", (c_int(-1),)),
        ("X", b"%X", (c_uint(0xabcdef),)),
        ("o", b"%o", (c_int(8),)),
        ("ld", b"%ld", (c_long(-2**63),)),
        ("li", b"%li", (c_long(2**63 - 1),)),
        ("lu", b"%lu", (c_ulong(2**64 - 1),)),
        ("lx", b"%lx", (c_ulong(2**64 - 1),)),
        ("lld", b"%lld", (c_longlong(-2**63),)),
        ("lli", b"%lli", (c_longlong(5),)),
        ("llu", b"%llu", (c_ulonglong(2**64 - 1),)),
        ("llX", b"%llX", (c_ulonglong(2**64 - 2),)),
        ("llo", b"%llo", (c_ulonglong(2**64 - 1),)),
        ("zd", b"%zd", (c_ssize_t(-2**63),)),
        ("zi", b"%zi", (c_ssize_t(42),)),
        ("zu", b"%zu", (c_size_t(2**64 - 1),)),
        ("zx", b"%zx", (c_ssize_t(-1),)),
        ("jd", b"%jd", (c_longlong(-7),)),
        ("ju", b"%ju", (c_ulonglong(2**64 - 1),)),
        ("jx", b"%jx", (c_ulonglong(255),)),
        ("td", b"%td", (c_ssize_t(-9),)),
        ("ti", b"%ti", (c_ssize_t(-3),)),
        ("to", b"%to", (c_ssize_t(-3),)),
        ("tu", b"%tu", (c_ssize_t(10),)),
        ("width", b"[%5d]", (c_int(42),)),
        ("width_neg", b"[%5d]", (c_int(-42),)),
        ("ljust", b"[%-5d]", (c_int(42),)),
        ("zero", b"[%05d]", (c_int(-42),)),
        ("zero_ljust", b"[%-05d]", (c_int(3),)),
        ("zero_ljust2", b"[%0-5d]", (c_int(3),)),
        ("prec", b"[%.4d]", (c_int(-42),)),
        ("width_prec", b"[%8.4d]", (c_int(-42),)),
        ("zero_width_prec", b"[%08.4d]", (c_int(-42),)),
        ("prec0_zero", b"[%.0d|%.0x]", (c_int(0), c_int(0))),
        ("dot_d", b"[%.d]", (c_int(0),)),
        ("star_width", b"[%*d]", (c_int(6), c_int(42))),
        ("star_width_neg", b"[%*d]", (c_int(-6), c_int(42))),
        ("zero_star_neg", b"[%0*d]", (c_int(-6), c_int(42))),
        ("star_prec", b"[%.*d]", (c_int(5), c_int(42))),
        ("star_prec_neg", b"[%.*d]", (c_int(-3), c_int(42))),
        ("star_both", b"[%*.*x]", (c_int(10), c_int(6), c_int(255))),
        ("alt_d", b"[%#-5d|%#05x|%#x|%#o]", (c_int(3), c_int(10), c_int(255), c_int(8))),
        ("lu_width", b"[%20lu]", (c_ulong(2**64 - 1),)),
        ("width_too_big", b"%99999999999999999999d", (c_int(1),)),
        ("prec_too_big", b"%.99999999999999999999d", (c_int(1),)),
        ("plus_flag", b"%+d", (c_int(1),)),
        ("space_flag", b"% d", (c_int(1),)),
        ("p_null", b"%p", (c_void_p(None),)),
        ("p", b"%p", (c_void_p(0x1234abcd),)),
        ("p_width", b"%10p", (c_void_p(1),)),
        ("s", b"%s", (b"hello",)),
        ("s_utf8", b"%s", ("h\xe9\u20ac\U0001F600".encode(),)),
        ("s_bad", b"%s", (b"\xff\xfeab",)),
        ("s_prec", b"%.3s", (b"abcdef",)),
        ("s_prec_cut", b"%.6s", ("abc[\u20ac]".encode(),)),
        ("s_prec_full", b"%.7s", ("abc[\u20ac]".encode(),)),
        ("s_prec_bad", b"%.5s", (b"abc[\xff]",)),
        ("s_prec_partial", b"%.6s", (b"abc[\xe2\x82]",)),
        ("s_prec_partial2", b"%.7s", (b"abc[\xe2\x82]",)),
        ("s_prec_nul", b"%.7s", (b"abc[\xe2\x82\0",)),
        ("s_width", b"[%10s]", (b"abc",)),
        ("s_ljust", b"[%-10s]", (b"abc",)),
        ("s_zero", b"[%05s]", (b"ab",)),
        ("s_width_prec", b"[%10.6s]", ("abc[\u20ac]".encode(),)),
        ("s_width_uni", b"[%6s]", ("\u20ac\u20ac".encode(),)),
        ("s_dot", b"[%.s]", (b"abc",)),
        ("s_starprec_neg", b"[%.*s]", (c_int(-3), b"abcdef")),
        ("s_star_both_neg", b"[%*.*s]", (c_int(-8), c_int(-3), b"abcdef")),
        ("s_star", b"[%*.*s]", (c_int(8), c_int(2), b"abcdef")),
        ("ls", b"%ls", (c_wchar_p("h\xe9llo\U0001F600"),)),
        ("ls_prec", b"[%.2ls]", (c_wchar_p("h\xe9llo"),)),
        ("ls_width", b"[%5ls]", (c_wchar_p("ab"),)),
        ("ls_starprec_neg", b"[%.*ls]", (c_int(-3), c_wchar_p("abcdef"))),
        ("zs", b"%zs", (b"x",)),
        ("lls", b"%lls", (b"x",)),
        ("U", b"%U", (s("unicode\xe9"),)),
        ("U_prec", b"[%.3U]", (s("\u20acABCDEF"),)),
        ("U_width", b"[%-6U|%6U]", (s("ab"), s("\U0001F600"))),
        ("U_surrogate", b"[%U]", (s("a\udc80b"),)),
        ("U_surrogate_prec", b"[%5.2U]", (s("\ud800\udc00xyz"),)),
        ("lU", b"%lU", (s(""),)),
        ("V_obj", b"%V", (s("obj"), b"str")),
        ("V_null", b"%V", (c_void_p(None), b"str")),
        ("V_prec_obj", b"[%.3V]", (s("\u20acABCDEF"), None)),
        ("V_prec_null", b"[%.6V]", (c_void_p(None), "abc[\u20ac]".encode())),
        ("V_width_null", b"[%10.7V]", (c_void_p(None), b"abc[\xe2\x82]")),
        ("lV_null", b"[%lV]", (c_void_p(None), c_wchar_p("wide\xe9"))),
        ("lV_obj", b"[%lV]", (s("obj"), c_wchar_p("wide"))),
        ("lV_prec", b"[%.2lV]", (c_void_p(None), c_wchar_p("wide"))),
        ("S", b"%S", (s(o),)),
        ("S_width", b"[%8S]", (s(1.5),)),
        ("S_prec", b"[%.2S]", (s("abc"),)),
        ("R", b"%R", (s("\u20acABC"),)),
        ("R_prec", b"[%.3R]", (s("\u20acABCDEF"),)),
        ("R_width_prec", b"[%5.3R]", (s("abcdef"),)),
        ("A", b"%A", (s("\u20acABC"),)),
        ("A_prec", b"[%.5A]", (s("\u20acABCDEF"),)),
        ("A_width", b"[%-9A]", (s("\xe9"),)),
        ("R_error", b"%R", (s(BadRepr()),)),
        ("S_error", b"%S", (s(BadRepr()),)),
        ("A_error", b"%A", (s(BadRepr()),)),
        ("lS", b"%lS", (s(1),)),
        ("T", b"%T", (s(1),)),
        ("T_alt", b"%#T", (s(1),)),
        ("T_width", b"[%-10T]", (s(1),)),
        ("T_prec", b"[%.2T]", (s(1),)),
        ("T_static_mod", b"%T|%#T", (s(collections.OrderedDict()), s(collections.OrderedDict()))),
        ("T_nested", b"%T|%#T", (s(Nested.Inner()), s(Nested.Inner()))),
        ("T_ctypes", b"%T|%#T", (s(c_int(1)), s(c_int(1)))),
        ("N", b"%N", (s(int),)),
        ("N_alt", b"%#N|%N", (s(c_int), s(c_int))),
        ("N_nested", b"%N|%#N", (s(Nested.Inner), s(Nested.Inner))),
        ("N_notype", b"%N", (s(1),)),
        ("N_width", b"[%6N]", (s(int),)),
        ("unknown_y", b"%y", (c_int(1),)),
        ("unknown_f", b"%.3f", (c_double(1.5),)),
        ("trailing_pct", b"abc%", ()),
        ("lone_pct", b"%", ()),
        ("l_only", b"%l", (c_int(1),)),
        ("pct_width", b"%5%", ()),
        ("pct_ljust", b"%-%", ()),
        ("nonascii_fmt", b"caf\xc3\xa9 %d", (c_int(1),)),
        ("nonascii_after", b"%d caf\xe9", (c_int(1),)),
        ("mixed", b"%s=%d (%U) [%R] %c%%", (b"key", c_int(42), s("u"), s([1, "a"]), c_int(0x263A))),
        ("long_text", b"x" * 3000 + b"%d" + b"y" * 3000, (c_int(7),)),
        ("big_width", b"[%3000d]", (c_int(7),)),
    ]


def test_fromformat():
    cf = fn(API, "PyUnicode_FromFormat", py_object)
    pf = pyr("PyUnicode_FromFormat")
    cfv = fn(LIB, "t_cpy_FromFormatV", py_object)
    pfv = fn(LIB, "t_pyr_FromFormatV", py_object)
    for case, fmt, args in fromformat_cases():
        for fname, c, p in (("FromFormat", cf, pf), ("FromFormatV", cfv, pfv)):
            label = "fromformat|%s|%s" % (fname, case)
            compare(label, outcome(lambda: c(fmt, *args)),
                    outcome(lambda: p(fmt, *args)))

    # PyErr_Format / PyErr_FormatV: raise the given exception type; any
    # pending exception is replaced.
    ce = fn(API, "PyErr_Format", py_object)
    pe = pyr("PyErr_Format")
    cev = fn(LIB, "t_cpy_ErrFormatV", py_object)
    pev = fn(LIB, "t_pyr_ErrFormatV", py_object)
    err_cases = [
        ("value", ValueError, b"bad value %d: %R", (c_int(3), py_object("x"))),
        ("type", TypeError, b"'%.200s' object is not callable", (b"int",)),
        ("custom", KeyError, b"%U", (py_object("key"),)),
        ("os", OSError, b"os error %s", (b"x",)),
        ("bad_format", ValueError, b"%y", ()),
        ("repr_fails", ValueError, b"%R", (py_object(BadRepr()),)),
        ("subclass", type("MyErr", (Exception,), {}), b"my %d", (c_int(1),)),
        ("T", TypeError, b"must be str, not %T", (py_object(1),)),
    ]
    for case, exc, fmt, args in err_cases:
        for fname, c, p in (("PyErr_Format", ce, pe), ("PyErr_FormatV", cev, pev)):
            label = "errformat|%s|%s" % (fname, case)
            compare(label, outcome(lambda: c(py_object(exc), fmt, *args)),
                    outcome(lambda: p(py_object(exc), fmt, *args)))


def test_cpython_from_format_suite():
    """Run CPython 3.15's own test_capi.test_unicode test_from_format against
    Pyrite's PyUnicode_FromFormat (the test looks the function up on
    ctypes.pythonapi, which is redirected here)."""
    path = os.path.join(sys.prefix, "lib", "python3.15", "test", "test_capi",
                        "test_unicode.py")
    if not IS315 or not os.path.exists(path):
        return
    import unittest
    from test.test_capi import test_unicode as tu

    calls = {"n": 0}
    target = pyr("PyUnicode_FromFormat")

    def counted(*a):
        calls["n"] += 1
        return target(*a)

    class Proxy:
        def __getattr__(self, name):
            if name == "PyUnicode_FromFormat":
                f = counted
                f.argtypes = None
                return f
            return getattr(API, name)

    orig = ctypes.pythonapi
    ctypes.pythonapi = Proxy()
    try:
        suite = unittest.TestSuite([tu.CAPITest("test_from_format")])
        res = unittest.TextTestRunner(stream=open(os.devnull, "w")).run(suite)
    finally:
        ctypes.pythonapi = orig
    ok = res.wasSuccessful() and calls["n"] > 50
    detail = [str(x[1])[-2000:] for x in res.failures + res.errors]
    check_equal("cpython_suite|test_from_format(%d calls)" % calls["n"],
                [True], [ok] if ok else [ok, detail])
    STATS["compared"] += calls["n"] - 1


# ---------------------------------------------------------------------------
# PyArg_Parse*
# ---------------------------------------------------------------------------

class Py_buffer(Structure):
    _fields_ = [("buf", c_void_p), ("obj", c_void_p), ("len", c_ssize_t),
                ("itemsize", c_ssize_t), ("readonly", c_int), ("ndim", c_int),
                ("format", c_char_p), ("shape", c_void_p), ("strides", c_void_p),
                ("suboffsets", c_void_p), ("internal", c_void_p)]


API.PyBuffer_Release.argtypes = [POINTER(Py_buffer)]
API.PyBuffer_Release.restype = None
API.PyMem_Free.argtypes = [c_void_p]
API.PyMem_Free.restype = None
API.PyMem_Malloc.argtypes = [c_size_t]
API.PyMem_Malloc.restype = c_void_p


def obj_at(address):
    if not address:
        return None
    return ctypes.cast(c_void_p(address), py_object).value


SIMPLE = {
    "b": c_ubyte, "B": c_ubyte, "h": c_short, "H": c_ushort, "i": c_int,
    "I": c_uint, "l": c_long, "k": c_ulong, "L": c_longlong, "K": c_ulonglong,
    "n": c_ssize_t, "f": c_float, "d": c_double, "C": c_int, "p": c_int,
}


class Outputs:
    """Allocates the C output arguments for a format and reads them back."""

    def __init__(self, fmt, extras=()):
        self.args = []      # ctypes arguments to pass after the format
        self.readers = []   # functions returning the value of each unit
        self.extras = list(extras)
        self.buffers = []
        self.allocs = []
        f = fmt.split(":")[0].split(";")[0]
        i = 0
        while i < len(f):
            c = f[i]
            nxt = f[i + 1] if i + 1 < len(f) else ""
            if c in "()|$":
                i += 1
                continue
            if c in SIMPLE:
                v = SIMPLE[c]()
                self.args.append(byref(v))
                if c == "f":
                    self.readers.append(lambda v=v: round(v.value, 5))
                else:
                    self.readers.append(lambda v=v: v.value)
            elif c == "D":
                v = Py_complex()
                self.args.append(byref(v))
                self.readers.append(lambda v=v: (v.real, v.imag))
            elif c == "c":
                v = c_char()
                self.args.append(byref(v))
                self.readers.append(lambda v=v: v.value)
            elif c in "szy" and nxt == "*" or c == "w" and nxt == "*":
                v = Py_buffer()
                self.args.append(byref(v))
                self.buffers.append(v)
                self.readers.append(lambda v=v: (
                    ctypes.string_at(v.buf, v.len) if v.buf else None,
                    v.len, v.readonly, type(obj_at(v.obj)).__name__))
                i += 1
            elif c in "szy" and nxt == "#":
                p = c_void_p()
                n = c_ssize_t(-99)
                self.args += [byref(p), byref(n)]
                self.readers.append(lambda p=p, n=n: (
                    ctypes.string_at(p.value, n.value) if p.value else None,
                    n.value))
                i += 1
            elif c in "szy":
                p = c_char_p()
                self.args.append(byref(p))
                self.readers.append(lambda p=p: p.value)
            elif c in "SYU" or (c == "O" and nxt not in "!&"):
                p = c_void_p()
                self.args.append(byref(p))
                self.readers.append(lambda p=p: norm_value(obj_at(p.value)))
            elif c == "O" and nxt == "!":
                self.args.append(py_object(self.pop_extra() or int))
                p = c_void_p()
                self.args.append(byref(p))
                self.readers.append(lambda p=p: norm_value(obj_at(p.value)))
                i += 1
            elif c == "O" and nxt == "&":
                conv = self.pop_extra() or "conv_plus_one"
                self.args.append(addr(conv))
                if conv == "conv_cleanup":
                    p = c_void_p()
                    self.args.append(byref(p))

                    def rd(p=p):
                        o = obj_at(p.value)
                        if p.value:
                            decref(o)   # the converter's reference
                        return norm_value(o)
                    self.readers.append(rd)
                else:
                    v = c_long(-99)
                    self.args.append(byref(v))
                    self.readers.append(lambda v=v: v.value)
                i += 1
            elif c == "e":
                enc = self.pop_extra()
                self.args.append(enc)
                mode = nxt
                i += 1
                if i + 1 < len(f) and f[i + 1] == "#":
                    preset = self.pop_extra()
                    if preset is None:
                        p = c_void_p(None)
                        n = c_ssize_t(-99)
                    else:
                        p = c_void_p(API.PyMem_Malloc(preset))
                        n = c_ssize_t(preset)
                    self.args += [byref(p), byref(n)]
                    self.allocs.append(p)

                    def rd(p=p, n=n):
                        return (ctypes.string_at(p.value, n.value + 1)
                                if p.value else None, n.value)
                    self.readers.append(rd)
                    i += 1
                else:
                    p = c_void_p(None)
                    self.args.append(byref(p))
                    self.allocs.append(p)
                    self.readers.append(lambda p=p: ctypes.string_at(p.value)
                                        if p.value else None)
                del mode
            else:
                # unknown unit: still pass a dummy pointer
                v = c_void_p()
                self.args.append(byref(v))
                self.readers.append(lambda v=v: None)
            i += 1

    def pop_extra(self):
        return self.extras.pop(0) if self.extras else None

    def read(self):
        vals = [r() for r in self.readers]
        return vals

    def release(self, success):
        if success:
            for b in self.buffers:
                API.PyBuffer_Release(byref(b))
        for p in self.allocs:
            if p.value:
                API.PyMem_Free(p.value)
                p.value = None


def parse_outcome(call, fmt, extras):
    out = Outputs(fmt, extras)
    box = {}

    def run():
        r = call(out.args)
        box["r"] = r
        return r

    def extract(r):
        return [r, out.read()]
    res = outcome(run, extract)
    out.release(res[0] == "ok" and box.get("r") == 1)
    return res


CPY_PARSETUPLE = cpy("PyArg_ParseTuple", c_int)
CPY_PARSE = cpy("PyArg_Parse", c_int)
CPY_PARSEKW = fn(API, "_PyArg_ParseTupleAndKeywords_SizeT", c_int)

TUPLE_FUNCS = [
    ("PyArg_ParseTuple", CPY_PARSETUPLE, pyr("PyArg_ParseTuple", c_int)),
    ("_PyArg_ParseTuple_SizeT", CPY_PARSETUPLE, pyr("_PyArg_ParseTuple_SizeT", c_int)),
    ("PyArg_VaParse", fn(LIB, "t_cpy_VaParse", c_int), fn(LIB, "t_pyr_VaParse", c_int)),
    ("_PyArg_VaParse_SizeT", fn(LIB, "t_cpy_VaParse", c_int),
     fn(LIB, "t_pyr_VaParse_SizeT", c_int)),
]
PARSE_FUNCS = [
    ("PyArg_Parse", CPY_PARSE, pyr("PyArg_Parse", c_int)),
    ("_PyArg_Parse_SizeT", CPY_PARSE, pyr("_PyArg_Parse_SizeT", c_int)),
]
KW_FUNCS = [
    ("PyArg_ParseTupleAndKeywords", CPY_PARSEKW, pyr("PyArg_ParseTupleAndKeywords", c_int)),
    ("_PyArg_ParseTupleAndKeywords_SizeT", CPY_PARSEKW,
     pyr("_PyArg_ParseTupleAndKeywords_SizeT", c_int)),
    ("PyArg_VaParseTupleAndKeywords", fn(LIB, "t_cpy_VaParseKw", c_int),
     fn(LIB, "t_pyr_VaParseKw", c_int)),
    ("_PyArg_VaParseTupleAndKeywords_SizeT", fn(LIB, "t_cpy_VaParseKw", c_int),
     fn(LIB, "t_pyr_VaParseKw_SizeT", c_int)),
]


class Index:
    def __init__(self, v):
        self.v = v

    def __index__(self):
        return self.v

    def __repr__(self):
        return "Index(%r)" % self.v


class BadIndex:
    def __index__(self):
        return 1.5


class BoolIndex:
    def __index__(self):
        return True


class Floaty:
    def __float__(self):
        return 2.5


class Complexy:
    def __complex__(self):
        return 1 + 2j


class BadComplexy:
    def __complex__(self):
        return 1.5


class ComplexSub(complex):
    pass


class SubComplexy:
    def __complex__(self):
        return ComplexSub(3, 4)


class BadBool:
    def __bool__(self):
        raise RuntimeError("no bool")


class BadLen(list):
    def __len__(self):
        raise RuntimeError("no len")


class BadItem(tuple):
    pass


class SeqBadItem:
    def __len__(self):
        return 2

    def __getitem__(self, i):
        raise IndexError(i)


NONCONTIG = memoryview(bytearray(b"noncontig"))[::-2]
BIG = 2**100


def parsetuple_cases():
    """(case, fmt, args tuple, extras)"""
    ba = bytearray(b"bytearray")
    mv = memoryview(b"memview")
    cases = []
    ints = [0, 1, -1, 127, 128, 255, 256, -128, -129, 32767, 32768, -32768, -32769,
            65535, 65536, 2**31 - 1, 2**31, -2**31, -2**31 - 1, 2**32 - 1, 2**32,
            2**63 - 1, 2**63, -2**63, -2**63 - 1, 2**64 - 1, 2**64, -2**64, BIG, -BIG,
            True, 3.5, "7", None, Index(200), Index(-300), Index(2**70), BadIndex(),
            BoolIndex()]
    for unit in "bBhHiIlkLKn":
        for v in ints:
            cases.append(("%s|%s" % (unit, short(v)), unit, (v,), ()))
    for unit in "fd":
        for v in [1.5, -0.0, 3, 2**1000, BIG * BIG * BIG * BIG * BIG * BIG * BIG * BIG * BIG * BIG * BIG, "x", None,
                  Floaty(), Index(4), float("inf")]:
            cases.append(("%s|%s" % (unit, short(v)), unit, (v,), ()))
    for v in [1 + 2j, 3, 2.5, "x", Complexy(), BadComplexy(), ComplexSub(5, 6),
              SubComplexy(), Floaty(), Index(7), None]:
        cases.append(("D|%s" % short(v), "D", (v,), ()))
    for v in [b"a", b"", b"ab", bytearray(b"z"), bytearray(b"zz"), "a", 1, None]:
        cases.append(("c|%s" % short(v), "c", (v,), ()))
    for v in ["a", "\U0001F600", "", "ab", b"a", 1, None]:
        cases.append(("C|%s" % short(v), "C", (v,), ()))
    for v in [0, 1, "", "x", [], None, BadBool()]:
        cases.append(("p|%s" % short(v), "p", (v,), ()))
    strs = ["abc", "h\xe9\u20ac", "a\0b", "\udc80", b"bytes", b"a\0b", ba, mv, None, 1,
            NONCONTIG, memoryview(b"abcdef")[::2], bytearray(), array_obj()]
    for unit in ["s", "s#", "s*", "z", "z#", "z*", "y", "y#", "y*", "w*", "S", "Y", "U"]:
        for k, v in enumerate(strs):
            cases.append(("%s|%d:%s" % (unit, k, short(v)), unit, (v,), ()))
    for v in ["x", 1, None, [1]]:
        cases.append(("O|%r" % (v,), "O", (v,), ()))
        cases.append(("O!int|%r" % (v,), "O!", (v,), (int,)))
        cases.append(("O!str|%r" % (v,), "O!", (v,), (str,)))
        cases.append(("O!Obj|%r" % (v,), "O!", (v,), (Obj,)))
        cases.append(("O!OrderedDict|%r" % (v,), "O!", (v,), (collections.OrderedDict,)))
        cases.append(("O&plus|%r" % (v,), "O&", (v,), ("conv_plus_one",)))
        cases.append(("O&fail|%r" % (v,), "O&", (v,), ("conv_fail",)))
        cases.append(("O&silent|%r" % (v,), "O&", (v,), ("conv_fail_silent",)))
        cases.append(("O&cleanup|%r" % (v,), "O&", (v,), ("conv_cleanup",)))
    encs = [b"utf-8", b"latin-1", b"ascii", None, b"nonexistent-enc"]
    for unit in ["es", "et"]:
        for enc in encs:
            for v in ["abc", "\xe9t\xe9", "\u20ac", "a\0b", b"raw", bytearray(b"ba"), b"a\0b", 1]:
                cases.append(("%s|%s|%s" % (unit, enc, short(v)), unit, (v,), (enc,)))
    for unit in ["es#", "et#"]:
        for enc in [b"utf-8", b"latin-1"]:
            for preset in [None, 64, 4, 3]:
                for v in ["abc", "\xe9t\xe9", "a\0b", b"raw", 1]:
                    cases.append(("%s|%s|%s|%s" % (unit, enc, preset, short(v)), unit,
                                  (v,), (enc, preset)))
    # nested tuples
    nested = [
        ("(ii)", ((1, 2),)), ("(ii)", ([1, 2],)), ("(ii)", ((1, 2, 3),)),
        ("(ii)", ([1, 2, 3],)), ("(ii)", ((1,),)), ("(ii)", (1,)), ("(ii)", (None,)),
        ("(ii)", ("ab",)), ("(ii)", (b"ab",)), ("(ii)", (bytearray(b"ab"),)),
        ("(ii)", ({},)), ("(ii)", (range(2),)), ("(ii)", ((1, "x"),)),
        ("(is)", ((1, 2),)), ("(i(is))", ((1, (2, 3)),)), ("(i(is))", ((1, [2, "x"]),)),
        ("(i(ii))", ((1, [2, 3]),)), ("(OO)", ([1, 2],)), ("(OO)", ([1, 2, 3],)),
        ("(OO)", ((1, 2),)), ("((O))", ([[1]],)), ("((i))", ([[1]],)), ("(s)", (["x"],)),
        ("(s#)", (["x"],)), ("(s*)", (["x"],)), ("(y)", ([b"x"],)), ("(y*)", ([b"x"],)),
        ("(S)", ([b"x"],)), ("(U)", (["x"],)), ("(z)", (["x"],)), ("(Y)", ([bytearray()],)),
        ("(es)", (["x"],)), ("(ii)", (SeqBadItem(),)), ("(ii)", (BadLen([1, 2]),)),
        ("()", ((),)), ("()", ([],)), ("()", ((1,),)),
        ("(ii):fn", ((1, "x"),)), ("(ii);custom msg", ((1, "x"),)),
        ("(i(ii)):fn", ((1, (2, "x")),)),
        ("(((((i)))))", ((((((1,),),),),),)),
    ]
    for k, (fmt, args) in enumerate(nested):
        extras = (b"utf-8",) if "es" in fmt else ()
        cases.append(("nested|%d|%s|%s" % (k, fmt, short(args)), fmt, args, extras))
    # counts, names, custom messages, optional args, bad formats
    counts = [
        ("", ()), ("", (1,)), ("i", ()), ("i", (1, 2)), ("ii", (1,)), ("i|i", ()),
        ("i|i", (1,)), ("i|i", (1, 2, 3)), ("i|ii", (1, 2, 3, 4)),
        ("|i", ()), ("|ii", (1, 2, 3)), ("i:fname", ()), ("ii:fname", (1,)),
        ("i|i:fname", (1, 2, 3)), ("i;custom message", ()), ("is:fn", (1, 2)),
        ("is;custom", (1, 2)), ("i:" + "n" * 300, ()), ("i:" + "n" * 300, ("x",)),
        ("i;" + "m" * 600, ("x",)), ("iX", (1, 2)), ("i!", (1,)), ("i#", (1,)),
        ("X", (1,)), ("w", (ba,)), ("w#", (ba,)), ("i)", (1,)), ("(i", ((1,),)), ("(" * 31 + "i" + ")" * 31, (1,)),
        ("i|(ii)", (1, (2, 3))), ("i|(ii)", (1,)), ("ee", ("x",)),
        ("i" * 12, tuple(range(12))), ("i" * 12, tuple(range(11))),
        ("s*" * 10, tuple([b"x"] * 10)),
        ("s*s*s*i", (b"a", bytearray(b"b"), "c", "x")),
        ("w*i", (bytearray(b"w"), "x")),
        ("(s*s*)i", ((b"a", b"b"), "x")),
        ("esi", ("text", "x")),
        ("O&i", (5, "x")),
        ("i|$i", (1,)),
    ]
    for fmt, args in counts:
        extras = []
        if fmt.startswith("es"):
            extras = [b"utf-8"]
        if fmt.startswith("O&"):
            extras = ["conv_cleanup"]
        cases.append(("count|%s|%s" % (fmt[:40], short(args)), fmt, args, tuple(extras)))
    return cases


def array_obj():
    import array
    return array.array("b", [1, 2, 3])


def short(v):
    s = repr(v)
    s = ADDR_RE.sub("0x?", s)
    return s[:60]


def run_parse(label_base, funcs, fmt, args, extras, is_tuple_api=True):
    for fname, cf, pf in funcs:
        label = "%s|%s" % (fname, label_base)
        outs = []
        for f in (cf, pf):
            argobj = args if is_tuple_api else args
            outs.append(parse_outcome(
                lambda a, f=f: f(py_object(argobj), fmt.encode("latin-1"), *a),
                fmt, extras))
        compare(label, outs[0], outs[1])


FATAL_FORMATS = {
    "i)": "excess ')' in getargs format",
    "(i": "missing ')' in getargs format",
    "(" * 31 + "i" + ")" * 31: "too many tuple nesting levels in argument format string",
}


def test_parsetuple():
    LIB.t_reset_cleanup_calls()
    ccount = fn(LIB, "t_cleanup_calls", c_long)
    for case, fmt, args, extras in parsetuple_cases():
        for fname, cf, pf in TUPLE_FUNCS:
            label = "parsetuple|%s|%s" % (fname, case)
            outs = []
            cleanups = []
            for f in (cf, pf):
                if f is cf and fmt in FATAL_FORMATS:
                    # CPython calls Py_FatalError (aborts); Pyrite raises
                    # SystemError with the same text.
                    outs.append(["exc", "SystemError", FATAL_FORMATS[fmt], []])
                    cleanups.append(0)
                    continue
                LIB.t_reset_cleanup_calls()
                outs.append(parse_outcome(
                    lambda a, f=f: f(py_object(args), fmt.encode("latin-1"), *a),
                    fmt, extras))
                cleanups.append(ccount())
            compare(label, outs[0], outs[1])
            if "cleanup" in case or fmt.startswith("O&"):
                compare(label + "|cleanups", ["cleanups", cleanups[0]],
                        ["cleanups", cleanups[1]])

    # non-tuple args
    for fname, cf, pf in TUPLE_FUNCS:
        for v in [[1], None]:
            label = "parsetuple|%s|nontuple|%r" % (fname, v)
            outs = [parse_outcome(lambda a, f=f: f(py_object(v), b"i", *a), "i", ())
                    for f in (cf, pf)]
            compare(label, outs[0], outs[1])

    # buffer units must be released when a later unit fails
    for fname, cf, pf in TUPLE_FUNCS:
        for fmt in ["w*i", "y*i", "s*i", "z*i", "(w*i)", "w*(i)", "w*|s*i"]:
            res = []
            for f in (cf, pf):
                ba = bytearray(b"buf")
                before = refcount(ba)
                args = (ba, ba, "x") if fmt.startswith("w*|") else (
                    (ba, "x"),) if fmt.startswith("(") else (ba, ("x",)) if "(i)" in fmt \
                    else (ba, "x")
                o = parse_outcome(lambda a, f=f: f(py_object(args), fmt.encode(), *a),
                                  fmt, ())
                try:
                    ba.append(1)
                    resizable = True
                except BufferError:
                    resizable = False
                res.append([o, resizable, refcount(ba) - before])
            compare("bufrelease|%s|%s" % (fname, fmt), res[0], res[1])

    # es allocations are freed on failure: checked through the refcount of
    # nothing... instead check the converter cleanup protocol ordering
    for fname, cf, pf in TUPLE_FUNCS:
        res = []
        for f in (cf, pf):
            LIB.t_reset_cleanup_calls()
            o = Obj("conv")
            before = refcount(o)
            out = parse_outcome(lambda a, f=f: f(py_object((o, o, "x")), b"O&O&i", *a),
                                "O&O&i", ("conv_cleanup", "conv_cleanup"))
            res.append([out, ccount(), refcount(o) - before])
        compare("convcleanup|%s" % fname, res[0], res[1])


def test_parse():
    cases = [
        ("i", 5), ("i", "x"), ("(ii)", (1, 2)), ("(ii)", (1,)), ("(ii)", [1, 2]),
        ("s", "abc"), ("s", 1), ("", 5), ("ii", 5), ("i:fname", "x"), ("i;msg", "x"),
        ("|i", 5), ("O", [1]), ("(i)", 1), ("U", "u"), ("(ii):f", (1, "x")),
        ("y*", b"buf"), ("et", b"raw"), ("D", 1j),
    ]
    for fmt, v in cases:
        extras = (b"utf-8",) if fmt.startswith("e") else ()
        for fname, cf, pf in PARSE_FUNCS:
            label = "parse|%s|%s|%s" % (fname, fmt, short(v))
            outs = [parse_outcome(lambda a, f=f: f(py_object(v), fmt.encode(), *a), fmt, extras)
                    for f in (cf, pf)]
            compare(label, outs[0], outs[1])
    # NULL args (compat mode)
    for fmt in ["", "i", "i:f"]:
        for fname, cf, pf in PARSE_FUNCS:
            label = "parse|%s|NULL|%s" % (fname, fmt)
            outs = [parse_outcome(lambda a, f=f: f(c_void_p(None), fmt.encode(), *a), fmt, ())
                    for f in (cf, pf)]
            compare(label, outs[0], outs[1])


def kwlist_arg(names):
    arr = (c_char_p * (len(names) + 1))()
    for i, n in enumerate(names):
        arr[i] = n if isinstance(n, bytes) else n.encode()
    arr[len(names)] = None
    return arr


def parsekw_cases():
    inv = b"\xc3\xa4\xc3"
    O = "O"
    c = [
        ((), {"a": 1}, "O", ["a"]),
        ((), {}, "|O", ["a"]),
        ((1, 2), {}, "OO", ["a", "b"]),
        ((1,), {"b": 2}, "OO", ["a", "b"]),
        ((), {"a": 1, "b": 2}, "OO", ["a", "b"]),
        ((), {"b": 2}, "|OO", ["a", "b"]),
        ((), {}, "O", ["a"]),
        ((), {"b": 1}, "|O", ["a"]),
        ((1,), {"a": 2}, "O|O", ["a", "b"]),
        ((1,), {"a": 2}, "O|O:fn", ["a", "b"]),
        ((1, 2, 3), {}, "OOO", ["", "", "a"]),
        ((1, 2), {"a": 3}, "OOO", ["", "", "a"]),
        ((1,), {"a": 3}, "OOO", ["", "", "a"]),
        ((1,), {}, "O|OO", ["", "", "a"]),
        ((), {}, "O|OO", ["", "", "a"]),
        ((1, 2), {"a": 3}, "OO$O", ["", "", "a"]),
        ((1,), {"a": 3}, "OO$O", ["", "", "a"]),
        ((1,), {}, "O|O$O", ["", "", "a"]),
        ((), {}, "O|O$O", ["", "", "a"]),
        ((1,), {}, "O|$OO", ["", "", "a"]),
        ((1,), {}, "O|OO", ["", "a", ""]),
        ((1,), {}, "||O", ["a"]),
        ((1, 2), {}, "|O|O", ["a", "b"]),
        ((), {"a": 1}, "$$O", ["a"]),
        ((), {"a": 1, "b": 2}, "$O$O", ["a", "b"]),
        ((), {"a": 1}, "$|O", ["a"]),
        ((), {"a": 1, "b": 2}, "$O|O", ["a", "b"]),
        ((1,), {}, "|O", ["a", "b"]),
        ((1,), {}, "|OO", ["a"]),
        ((), {}, "|$O", [""]),
        ((), {}, "|OO", ["a", ""]),
        ((), {"bb": 1}, "|OO", ["aa", "ab"]),
        ((), {"ab": 1}, "|OO", ["abc", "xyz"]),
        ((), {"ab": 1}, "|OO:fn", ["abc", "xyz"]),
        ((), {"ab": 1}, "|OO;custom msg", ["abc", "xyz"]),
        ((1, 2), {"abc": 1}, "|OO", ["abc", "xyz"]),
        ((1, 2, 3), {}, "|OO", ["abc", "xyz"]),
        ((1,), {}, "OO:f", ["abc", "xyz"]),
        ((), {"x": 1}, "", []),
        ((1,), {}, "", []),
        ((), {}, "", []),
        ((), {"abd": 2}, "|O$O", ["", "abc"]),
        ((), {"ab": 2}, "|O$O", ["abc", "abd"]),
        ((1,), {"b": 2}, "is", ["a", "b"]),
        ((1,), {"b": 2}, "i|s", ["a", "b"]),
        ((1,), {"a": 2}, "i|s", ["", "b"]),
        ((1, 2, 3), {}, "i|s", ["", "b"]),
        ((1, 2, 3), {}, "i|$s", ["", "b"]),
        ((1, 2), {}, "i|$s", ["", "b"]),
        ((1, 2), {}, "i$s", ["", "b"]),
        ((1, 2), {}, "$is", ["a", "b"]),
        ((), {"b": 1, "c": 2}, "|OO", ["a", "b"]),
        ((), {1: 2}, "|OO", ["a", "b"]),
        ((), {"a": 1, 1: 2}, "|OO", ["a", "b"]),
        ((), {"c": 1}, "|OO", ["", "b"]),
        ((), {"a": 1}, "|OO", ["", "b"]),
        ((), {"aa": 1}, "|OO", ["", "a"]),
        ((1,), {"xyz": 1}, "|OO", ["", "xy"]),
        ((1,), {"xyz": 1}, "|OO", ["xya", "xy"]),
        ((), {"Alpha": 1}, "|OO", ["alpha", "beta"]),
        ((), {"alpah": 1}, "|OO", ["alpha", "beta"]),
        ((), {"zzzzzz": 1}, "|OO", ["alpha", "beta"]),
        ((), {"verylongkeywordname": 1}, "|OO", ["verylongkeywordnam", "beta"]),
        ((), {}, "OO|O", ["", "", "b"]),
        ((1,), {}, "OO|O", ["", "", "b"]),
        ((1,), {}, "O$O", ["", "b"]),
        ((1,), {}, "OO$O", ["a", "b", "c"]),
        ((1, 2), {}, "OO$O", ["a", "b", "c"]),
        ((1, 2), {}, "OO|$O", ["a", "b", "c"]),
        ((1,), {}, "OO", ["a"]),
        ((1,), {}, "O", ["a", "b"]),
        ((), {}, "O", ["a", "b"]),
        ((), {}, "i", []),
        ((), {}, "(i)", ["a"]),
        ((1,), {}, "iX", ["a"]),
        ((), {"b": 1}, "|iX", ["a", "b"]),
        ((), {"b": 1}, "|(ii", ["a", "b"]),
        ((), {"b": 1}, "|ii)", ["a", "b"]),
        ((1,), {}, "i|i|i", ["a", "b", "c"]),
        ((1,), {}, "i$i|i", ["a", "b", "c"]),
        ((1,), {}, "i$i$i", ["a", "b", "c"]),
        ((1,), {"b": 1}, "O|Oi:f", ["a", "b"]),
        ((1,), {"b": 1}, "O|O;msg", ["a", "b", "c"]),
        ((), {"b": 2}, "|(ii)i", ["a", "b"]),
        ((), {"b": 2}, "|es#i", ["a", "b"]),
        ((), {"b": 2}, "|et*i", ["a", "b"]),
        ((), {"b": 2}, "|w#i", ["a", "b"]),
        ((), {"b": 2}, "|w*i", ["a", "b"]),
        ((), {"b": 2}, "|s*i", ["a", "b"]),
        ((), {"b": 2}, "|O!i", ["a", "b"]),
        ((), {"b": 2}, "|O&i", ["a", "b"]),
        ((), {"b": 2}, "|i#i", ["a", "b"]),
        ((), {"b": 2}, "|exi", ["a", "b"]),
        (("x",), {"b": 2}, "i|i", ["a", "b"]),
        ((1,), {"b": "x"}, "i|i", ["a", "b"]),
        ((1,), {"b": "x"}, "i|i:fname", ["a", "b"]),
        ((1,), {"b": "x"}, "i|i;custom", ["a", "b"]),
        ((1,), {"b": (1, "x")}, "i|(ii)", ["a", "b"]),
        ((1, 2, 3), {"d": 4}, "iii|i", ["a", "b", "c", "d"]),
        (tuple(range(10)), {}, "i" * 10, list("abcdefghij")),
        (("x",) * 9, {}, "s*" * 9, list("abcdefghi")),
        ((b"a", bytearray(b"b")), {"c": "x"}, "s*w*|i", ["a", "b", "c"]),
        ((), {"\xe4": 1}, "O", ["\xe4"]),
        ((), {}, "|O", ["\xe4"]),
        ((), {}, "O", ["\xe4"]),
        ((1,), {"\xe4": 2}, "O|O", ["\xe4", "b"]),
        ((), {"\xe4": 1}, "|O", ["b"]),
        ((), {"b": 1}, "|O", ["\xe4"]),
        ((), {"\U00010001": 1}, "|O", ["\U00010000"]),
        ((), {}, "|O", [inv]),
        ((1,), {"b": 2}, "O|O", [inv, "b"]),
        ((), {}, "O", [inv]),
        ((), {"b": 1}, "|OO", [inv, "b"]),
        ((), {"b": 1}, "|O", [inv]),
        ((1,), {"c": 1}, "O|O", [inv, "b"]),
        ((1,), {"bb": 1}, "O|O", ["b", inv]),
        ((), {"\udc80": 1}, "|O", ["a"]),
        ((), {"ab\udc80": 1}, "|O", ["abc"]),
        ((), {}, "O|O:\xc3\xa4", ["x", "b"]),
    ]
    return c


def test_parsekw():
    for args, kw, fmt, names in parsekw_cases():
        nm = [n if isinstance(n, bytes) else n.encode("utf-8", "surrogatepass")
              for n in names]
        extras = []
        if "O!" in fmt:
            extras = [int]
        elif "O&" in fmt:
            extras = ["conv_plus_one"]
        elif "es" in fmt:
            extras = [b"utf-8", None]
        fmtb = fmt.encode("latin-1")
        base = "%s|%s|%s|%s" % (fmt, short(args), short(kw), short(nm))
        for fname, cf, pf in KW_FUNCS:
            label = "parsekw|%s|%s" % (fname, base)
            outs = []
            for f in (cf, pf):
                kwl = kwlist_arg(nm)
                outs.append(parse_outcome(
                    lambda a, f=f: f(py_object(args), py_object(kw), fmtb, kwl, *a),
                    fmt, list(extras)))
            compare(label, outs[0], outs[1])
    # NULL kwargs, bad arguments (PyErr_BadInternalCall: compared by type only)
    for fname, cf, pf in KW_FUNCS[:2]:
        outs = [parse_outcome(lambda a, f=f: f(py_object((1,)), c_void_p(None), b"i",
                                               kwlist_arg(["a"]), *a), "i", ())
                for f in (cf, pf)]
        compare("parsekw|%s|NULLkw" % fname, outs[0], outs[1])
        for case, a in [("list_args", ([1], {}, b"i", kwlist_arg(["a"]))),
                        ("list_kw", ((1,), [], b"i", kwlist_arg(["a"]))),
                        ("null_fmt", ((1,), {}, None, kwlist_arg(["a"]))),
                        ("null_kwlist", ((1,), {}, b"i", None))]:
            outs = []
            for f in (cf, pf):
                o = outcome(lambda f=f: f(py_object(a[0]) if a[0] is not None else None,
                                          py_object(a[1]), a[2], a[3], byref(c_int())))
                outs.append(o[:2])
            compare("parsekw|%s|badcall|%s" % (fname, case), outs[0], outs[1])


def test_unpack_validate():
    cf = fn(API, "PyArg_UnpackTuple", c_int)
    pf = pyr("PyArg_UnpackTuple", c_int)
    for args in [(), (1,), (1, 2), (1, 2, 3), (1, 2, 3, 4)]:
        for name in [b"fn", None]:
            for mn, mx in [(0, 0), (1, 1), (2, 2), (1, 3), (0, 2), (2, 3)]:
                outs = []
                for f in (cf, pf):
                    ptrs = [c_void_p(0xdead) for _ in range(4)]

                    def call(f=f, ptrs=ptrs):
                        return f(py_object(args), name, c_ssize_t(mn), c_ssize_t(mx),
                                 *[byref(p) for p in ptrs])
                    outs.append(outcome(call, lambda r, ptrs=ptrs: [
                        r, [norm_value(obj_at(p.value)) if p.value != 0xdead else "unset"
                            for p in ptrs]]))
                compare("unpack|%r|%r|%d|%d" % (args, name, mn, mx), outs[0], outs[1])
    outs = [outcome(lambda f=f: f(py_object([1]), b"fn", c_ssize_t(0), c_ssize_t(1),
                                  byref(c_void_p()))) for f in (cf, pf)]
    compare("unpack|nontuple", outs[0], outs[1])

    cf = fn(API, "PyArg_ValidateKeywordArguments", c_int)
    pf = pyr("PyArg_ValidateKeywordArguments", c_int)
    for d in [{}, {"a": 1}, {1: 2}, {"a": 1, b"b": 2}, [], collections.OrderedDict(x=1)]:
        outs = [outcome(lambda f=f: f(py_object(d)))[:2] for f in (cf, pf)]
        compare("validatekw|%s" % short(d), outs[0], outs[1])


# ---------------------------------------------------------------------------
# PyObject_Call* / PyTuple_Pack / PyEval_Call*
# ---------------------------------------------------------------------------

def show(*args, **kw):
    return ("called", args, kw)


class Target:
    attr = 5

    def meth(self, *args):
        return ("meth", args)

    def boom(self, *args):
        raise ValueError("boom %r" % (args,))

    def __repr__(self):
        return "Target()"


def test_call():
    t = Target()
    cases = [
        ("null_fmt", None, ()),
        ("empty_fmt", b"", ()),
        ("spaces", b"  ", ()),
        ("i", b"i", (1,)),
        ("ii", b"ii", (1, 2)),
        ("(ii)", b"(ii)", (1, 2)),
        ("(i)", b"(i)", (1,)),
        ("()", b"()", ()),
        ("O_tuple", b"O", (py_object((1, 2)),)),
        ("O_list", b"O", (py_object([1, 2]),)),
        ("O_empty_tuple", b"O", (py_object(()),)),
        ("(O)_tuple", b"(O)", (py_object((1, 2)),)),
        ("OO_tuple", b"OO", (py_object((1, 2)), py_object(3))),
        ("s#", b"s#", (b"abcdef", c_ssize_t(3))),
        ("[i]", b"[i]", (1,)),
        ("{s:i}", b"{s:i}", (b"k", 1)),
        ("bad", b"X", ()),
        ("null_obj", b"O", (c_void_p(None),)),
        ("unmatched", b"(i", (1,)),
        ("N", b"N", (py_object(Obj("n")),)),
    ]
    funcs = [
        ("PyObject_CallFunction", cpy("PyObject_CallFunction"), pyr("PyObject_CallFunction")),
        ("_PyObject_CallFunction_SizeT", fn(API, "_PyObject_CallFunction_SizeT", py_object),
         pyr("_PyObject_CallFunction_SizeT")),
        ("PyEval_CallFunction", fn(API, "PyEval_CallFunction", py_object),
         pyr("PyEval_CallFunction")),
    ]
    for case, fmt, args in cases:
        for fname, cf, pf in funcs:
            outs = []
            for f in (cf, pf):
                if case == "N":
                    incref(args[0].value)
                outs.append(outcome(lambda f=f: f(py_object(show), fmt, *args)))
            compare("call|%s|%s" % (fname, case), outs[0], outs[1])
    for fname, cf, pf in funcs[:2]:
        outs = [outcome(lambda f=f: f(c_void_p(None), b"i", 1)) for f in (cf, pf)]
        compare("call|%s|null_callable" % fname, outs[0], outs[1])
        outs = [outcome(lambda f=f: f(py_object(5), b"i", 1)) for f in (cf, pf)]
        compare("call|%s|not_callable" % fname, outs[0], outs[1])

    mfuncs = [
        ("PyObject_CallMethod", cpy("PyObject_CallMethod"), pyr("PyObject_CallMethod")),
        ("_PyObject_CallMethod_SizeT", fn(API, "_PyObject_CallMethod_SizeT", py_object),
         pyr("_PyObject_CallMethod_SizeT")),
        ("PyEval_CallMethod", fn(API, "PyEval_CallMethod", py_object), pyr("PyEval_CallMethod")),
    ]
    for case, fmt, args in cases:
        for meth in [b"meth", b"boom"]:
            for fname, cf, pf in mfuncs:
                outs = []
                for f in (cf, pf):
                    if case == "N":
                        incref(args[0].value)
                    outs.append(outcome(lambda f=f: f(py_object(t), meth, fmt, *args)))
                compare("callmethod|%s|%s|%s" % (fname, meth.decode(), case), outs[0], outs[1])
    for fname, cf, pf in mfuncs[:2]:
        for case, a in [("missing", (py_object(t), b"nope", b"i", 1)),
                        ("not_callable", (py_object(t), b"attr", b"i", 1)),
                        ("null_obj", (c_void_p(None), b"meth", b"i", 1)),
                        ("null_name", (py_object(t), None, b"i", 1)),
                        ("nonascii_name", (py_object(t), "m\xe9".encode(), None))]:
            outs = [outcome(lambda f=f: f(*a)) for f in (cf, pf)]
            compare("callmethod|%s|%s" % (fname, case), outs[0], outs[1])

    cf = fn(API, "PyObject_CallFunctionObjArgs", py_object)
    pf = pyr("PyObject_CallFunctionObjArgs")
    many = [py_object(i) for i in range(20)]
    for case, a in [("none", ()), ("one", (py_object(1),)), ("two", (py_object(1), py_object("b"))),
                    ("many", tuple(many))]:
        outs = [outcome(lambda f=f: f(py_object(show), *a, None)) for f in (cf, pf)]
        compare("objargs|%s" % case, outs[0], outs[1])
    outs = [outcome(lambda f=f: f(c_void_p(None), None)) for f in (cf, pf)]
    compare("objargs|null_callable", outs[0], outs[1])
    outs = [outcome(lambda f=f: f(py_object(1), None)) for f in (cf, pf)]
    compare("objargs|not_callable", outs[0], outs[1])

    cf = fn(API, "PyObject_CallMethodObjArgs", py_object)
    pf = pyr("PyObject_CallMethodObjArgs")
    for case, obj, name, a in [
            ("none", t, "meth", ()), ("two", t, "meth", (py_object(1), py_object(2))),
            ("many", t, "meth", tuple(many)), ("boom", t, "boom", (py_object(1),)),
            ("missing", t, "nope", ()), ("not_callable", t, "attr", ()),
            ("str_method", "a,b", "split", (py_object(","),)),
            ("name_not_str", t, 5, ())]:
        outs = [outcome(lambda f=f: f(py_object(obj), py_object(name), *a, None))
                for f in (cf, pf)]
        compare("methobjargs|%s" % case, outs[0], outs[1])
    outs = [outcome(lambda f=f: f(py_object(t), c_void_p(None), None)) for f in (cf, pf)]
    compare("methobjargs|null_name", outs[0], outs[1])

    # reference counts of arguments through calls
    for fname, cf2, pf2 in funcs[:2] + [("objargs", cf, pf)]:
        pass
    res = []
    cfo = fn(API, "PyObject_CallFunctionObjArgs", py_object)
    pfo = pyr("PyObject_CallFunctionObjArgs")
    for f in (cfo, pfo):
        o = Obj("arg")
        before = refcount(o)
        r = f(py_object(lambda x: None), py_object(o), None)
        del r
        res.append(refcount(o) - before)
    compare("objargs|refdelta", res[0], res[1])
    res = []
    for f in (cpy("PyObject_CallFunction"), pyr("PyObject_CallFunction")):
        o = Obj("arg")
        before = refcount(o)
        outcome(lambda f=f: f(py_object(lambda x: None), b"(OX)", py_object(o)))
        outcome(lambda f=f: f(py_object(lambda x: None), b"O", py_object(o)))
        res.append(refcount(o) - before)
    compare("callfunction|refdelta", res[0], res[1])

    # PyTuple_Pack
    cf = fn(API, "PyTuple_Pack", py_object)
    pf = pyr("PyTuple_Pack")
    for case, a in [("zero", ()), ("one", (py_object(1),)),
                    ("three", (py_object(1), py_object("x"), py_object(None))),
                    ("many", tuple(many))]:
        outs = [outcome(lambda f=f: f(c_ssize_t(len(a)), *a)) for f in (cf, pf)]
        compare("tuplepack|%s" % case, outs[0], outs[1])
    outs = [outcome(lambda f=f: f(c_ssize_t(-1))) for f in (cf, pf)]
    compare("tuplepack|negative", outs[0], outs[1])
    res = []
    for f in (cf, pf):
        o = Obj("p")
        before = refcount(o)
        r = f(c_ssize_t(2), py_object(o), py_object(o))
        d1 = refcount(o) - before
        del r
        res.append([d1, refcount(o) - before])
    compare("tuplepack|refs", res[0], res[1])


# ---------------------------------------------------------------------------
# PyBytes_FromFormat, PyOS_snprintf, PySys_Write*/Format*, PySys_Audit,
# PyErr_WarnFormat, PyErr_ResourceWarning
# ---------------------------------------------------------------------------

def test_misc_variadic():
    import io
    from ctypes import create_string_buffer
    cf = fn(API, "PyBytes_FromFormat", py_object)
    pf = pyr("PyBytes_FromFormat")
    cfv = fn(LIB, "t_cpy_BytesFromFormatV", py_object)
    pfv = fn(LIB, "t_pyr_BytesFromFormatV", py_object)
    cases = [
        ("plain", b"plain", ()), ("pct", b"100%%", ()), ("c", b"[%c]", (c_int(200),)),
        ("c_range", b"%c", (c_int(256),)), ("c_neg", b"%c", (c_int(-1),)),
        ("d", b"%d|%i|%u|%x", (c_int(-5), c_int(7), c_uint(2**32 - 1), c_int(-1))),
        ("ld", b"%ld|%lu", (c_long(-2**63), c_ulong(2**64 - 1))),
        ("zd", b"%zd|%zu", (c_ssize_t(-3), c_size_t(2**64 - 1))),
        ("s", b"<%s>", (b"bytes\xff",)), ("s_prec", b"<%.3s>", (b"abcdef",)),
        ("s_width", b"<%10s>", (b"abc",)), ("d_width", b"<%5d>", (c_int(3),)),
        ("p", b"%p", (c_void_p(0xabc),)), ("p_null", b"%p", (c_void_p(None),)),
        ("unknown", b"a%yb%d", (c_int(1),)), ("trailing", b"abc%", ()),
        ("lx", b"%lx", (c_long(1),)), ("long_s", b"%s", (b"x" * 5000,)),
    ]
    for case, fmt, args in cases:
        for fname, c, p in (("PyBytes_FromFormat", cf, pf), ("PyBytes_FromFormatV", cfv, pfv)):
            compare("bytesformat|%s|%s" % (fname, case), outcome(lambda: c(fmt, *args)),
                    outcome(lambda: p(fmt, *args)))

    cs = fn(API, "PyOS_snprintf", c_int)
    ps = pyr("PyOS_snprintf", c_int)
    csv = fn(LIB, "t_cpy_vsnprintf", c_int)
    psv = fn(LIB, "t_pyr_vsnprintf", c_int)
    for case, size, fmt, args in [
            ("fits", 100, b"%d-%s", (c_int(42), b"abc")), ("trunc", 5, b"%s", (b"abcdefgh",)),
            ("one", 1, b"%s", (b"abc",)), ("float", 50, b"%.3f|%g", (c_double(3.14159), c_double(1e20)))]:
        for fname, c, p in (("PyOS_snprintf", cs, ps), ("PyOS_vsnprintf", csv, psv)):
            outs = []
            for f in (c, p):
                # the buffer is exactly `size` bytes: PyOS_vsnprintf writes
                # buf[size - 1]
                buf = create_string_buffer(b"\x7f" * size, size)
                r = f(buf, c_size_t(size), fmt, *args)
                outs.append([r, repr(buf.raw)])
            compare("snprintf|%s|%s" % (fname, case), outs[0], outs[1])

    for fname in ("PySys_WriteStdout", "PySys_WriteStderr", "PySys_FormatStdout",
                  "PySys_FormatStderr"):
        c = fn(API, fname, None)
        p = pyr(fname, None)
        stream = "stdout" if "Stdout" in fname else "stderr"
        if "Write" in fname:
            cases = [("plain", b"hello %d %s\n", (c_int(5), b"x")),
                     ("long", b"%s", (b"y" * 1500,)), ("exact", b"%s", (b"z" * 1000,)),
                     ("float", b"%.2f", (c_double(2.5),))]
        else:
            cases = [("plain", b"hello %d %U\n", (c_int(5), py_object("\xe9"))),
                     ("long", b"%s", (b"y" * 1500,)), ("repr", b"%R", (py_object([1]),))]
        for case, fmt, args in cases:
            outs = []
            for f in (c, p):
                saved = getattr(sys, stream)
                buf = io.StringIO()
                setattr(sys, stream, buf)
                try:
                    # a pending exception must survive
                    try:
                        raise KeyError("pending")
                    except KeyError:
                        f(fmt, *args)
                finally:
                    setattr(sys, stream, saved)
                outs.append(buf.getvalue())
            compare("sysfmt|%s|%s" % (fname, case), outs[0], outs[1])

    events = []

    def hook(event, args):
        if event.startswith("pyrite.test"):
            events.append([event, clean(repr(args))])
    sys.addaudithook(hook)
    ca = fn(API, "PySys_Audit", c_int)
    pa = pyr("PySys_Audit", c_int)
    for case, fmt, args in [("none", None, ()), ("empty", b"", ()), ("one", b"i", (5,)),
                            ("single_obj", b"O", (py_object("x"),)),
                            ("tuple", b"(is)", (1, b"a")), ("two", b"is", (1, b"a")),
                            ("list", b"[i]", (1,)), ("bad", b"X", ())]:
        outs = []
        for f in (ca, pa):
            del events[:]
            o = outcome(lambda f=f: f(b"pyrite.test." + case.encode(), fmt, *args))
            outs.append([o, list(events)])
        compare("audit|%s" % case, outs[0], outs[1])

    cw = fn(API, "PyErr_WarnFormat", c_int)
    pw = pyr("PyErr_WarnFormat", c_int)
    cr = fn(API, "PyErr_ResourceWarning", c_int)
    pr = pyr("PyErr_ResourceWarning", c_int)

    def warn_outcome(call):
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            try:
                r = ["ok", call()]
            except BaseException as e:  # noqa: B902
                r = ["exc", type(e).__name__, clean(str(e))]
        return r + [[[x.category.__name__, str(x.message), x.lineno, type(x.source).__name__]
                     for x in w]]
    for case, cat, level, fmt, args in [
            ("user", UserWarning, 1, b"hello %d", (c_int(3),)),
            ("deprec", DeprecationWarning, 1, b"%s is old", (b"x",)),
            ("null_cat", None, 1, b"rt %R", (py_object("a"),)),
            ("level2", UserWarning, 2, b"lvl", ()),
            ("bad_fmt", UserWarning, 1, b"%y", ())]:
        outs = [warn_outcome(lambda f=f: f(py_object(cat) if cat else None, c_ssize_t(level),
                                            fmt, *args)) for f in (cw, pw)]
        compare("warnformat|%s" % case, outs[0], outs[1])
    for case, src, fmt, args in [("src", Obj("s"), b"unclosed %s", (b"file",)),
                                 ("nosrc", None, b"unclosed %d", (c_int(2),))]:
        outs = [warn_outcome(lambda f=f: f(py_object(src) if src else None, c_ssize_t(1),
                                            fmt, *args)) for f in (cr, pr)]
        compare("resourcewarning|%s" % case, outs[0], outs[1])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        outs = [outcome(lambda f=f: f(py_object(UserWarning), c_ssize_t(1), b"as error"))
                for f in (cw, pw)]
        compare("warnformat|as_error", outs[0], outs[1])


def main():
    tests = [test_buildvalue, test_fromformat, test_cpython_from_format_suite,
             test_parsetuple, test_parse, test_parsekw, test_unpack_validate,
             test_call, test_misc_variadic]
    for t in tests:
        try:
            t()
        except Exception:
            STATS["failed"] += 1
            STATS["compared"] += 1
            FAILURES.append((t.__name__, "no exception", traceback.format_exc(), ""))
    if RECORD and IS315:
        with open(GOLDEN_PATH, "w") as f:
            json.dump(NEW_GOLDEN, f, indent=0, sort_keys=True, ensure_ascii=True)
    for label, exp, got, note in FAILURES[:200]:
        if label.startswith("test_"):
            print("FAIL %s\n%s" % (label, got))
            continue
        print("FAIL %s\n  expected: %s\n  got:      %s %s" % (
            ascii(label), ascii(exp)[:600], ascii(got)[:600], note))
    if len(FAILURES) > 200:
        print("... %d more failures" % (len(FAILURES) - 200))
    print("python %s: %d comparisons, %d failed (%d matched the recorded 3.15 outcome)" % (
        sys.version.split()[0], STATS["compared"], STATS["failed"], STATS["via_golden"]))
    print("%d passed, %d failed" % (STATS["compared"] - STATS["failed"], STATS["failed"]))
    return 1 if STATS["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
