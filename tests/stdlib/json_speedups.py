# `_json`'s string speedups, as `json.decoder` and `json.encoder` call them.
import _json

# (The malformed cases raise json.decoder.JSONDecodeError, which needs `json` to import.)
cases = [
    ('plain"', 0), ('\\ud834\\udd1e" tail', 0), ('\\ud834x"', 0), ('\\udd1e\\ud834"', 0),
    ('\\u00e9\\n\\t\\/\\"\\\\\\b\\f\\r"rest', 0), ('x"', 5), ('x"', -1),
    ('"x"', 1), ('  "é😀ω"', 3), ('\\u00E9\\u20ac"', 0),
]
for s, end in cases:
    try:
        print(repr(_json.scanstring(s, end)))
    except ValueError as e:
        print(type(e).__name__, e, getattr(e, "pos", None))
print(_json.scanstring('a\nb\x00"', 0, False), _json.scanstring('a"', 0, True))

for v in ['abc', 'é"\\\n\r\t\b\f\x00\x1f\x7f\u2028😀', '', 'ω' * 3]:
    print(_json.encode_basestring_ascii(v), _json.encode_basestring(v))
for f in [_json.encode_basestring_ascii, _json.encode_basestring]:
    try:
        f(1)
    except TypeError:
        print("TypeError")
print("json_speedups: ok")
