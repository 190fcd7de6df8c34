# requires: 3.15
# `_json.make_scanner`: the C scanner `json.decoder` uses, driven by a stand-in decoder
# context (with stand-in `json`/`json.decoder` modules, so the test does not need `json`).
import sys, types

class JSONDecodeError(ValueError):
    def __init__(self, msg, doc, pos):
        lineno = doc.count('\n', 0, pos) + 1
        colno = pos - doc.rfind('\n', 0, pos)
        ValueError.__init__(self, '%s: line %d column %d (char %d)' % (msg, lineno, colno, pos))
        self.msg, self.pos = msg, pos

pkg = types.ModuleType("json")
pkg.__path__ = []
dec = types.ModuleType("json.decoder")
dec.JSONDecodeError = JSONDecodeError
pkg.decoder = dec
sys.modules["json"] = pkg
sys.modules["json.decoder"] = dec

import _json

class Ctx:
    strict = True
    object_hook = None
    object_pairs_hook = None
    array_hook = None
    parse_float = float
    parse_int = int
    parse_constant = staticmethod(lambda s: "<%s>" % s)
    memo = {}

scan = _json.make_scanner(Ctx())
print(type(scan).__name__)
docs = [
    '{"a": 1, "b": [true, false, null], "c": {"d": "e\\u00e9"}}',
    '[1, -2, 3.5, -0.25e3, 1E2, 0, -0, 12e, 7.]',
    ' [ ]', '{}', '{ }', '"x"', 'NaN', 'Infinity', '-Infinity', '-5', '1e-3x',
    '[1, 2,]', '{"a": 1,}', '{"a" 1}', '{a: 1}', '[1 2]', '[', '{', '{"a":', '[1,', 'nul', '-', 'x', '',
    '123456789012345678901234567890', '[[[[]]]]', '{"k": "v", "k": "w"}', '"\\ud83d\\ude00"',
]
for d in docs:
    for start in (0, 1):
        try:
            print(repr(d), start, repr(scan(d, start)))
        except StopIteration as e:
            print(repr(d), start, "StopIteration", e.value)
        except ValueError as e:
            print(repr(d), start, type(e).__name__, e)

class Hooks(Ctx):
    object_hook = staticmethod(lambda d: ("hooked", sorted(d.items())))
    parse_float = staticmethod(lambda s: "F" + s)
    parse_int = staticmethod(lambda s: "I" + s)
print(_json.make_scanner(Hooks())('{"x": [1, 2.5]}', 0))
class Pairs(Ctx):
    object_pairs_hook = list
print(_json.make_scanner(Pairs())('{"b": 1, "a": {"c": 2}}', 0))
class Tuples(Ctx):
    array_hook = tuple
print(_json.make_scanner(Tuples())('[1, [], [2, [3]], {"a": []}]', 0))
class Lax(Ctx):
    strict = False
print(_json.make_scanner(Lax())('"a\tb"', 0))
try:
    scan("1", -1)
except ValueError as e:
    print("ValueError", e)
r = scan('[{"key": 1}, {"key": 2}]', 0)[0]
print(r, list(r[0])[0] is list(r[1])[0])
print("json_scanner: ok")
