# The `_sre` engine through compiled patterns: matching on str (1-, 2- and 4-byte
# characters), bytes and bytes-like subjects, groups, flags, findall/finditer/split/sub,
# templates, scanners, Match objects.
import sys

try:
    import re
    compile = re.compile
except Exception:
    # `re/__init__` needs `enum`; without it, load the compiler modules from the `re`
    # package directly (they only need `_sre`).
    import types
    sys.modules.pop('re', None)
    pkg = types.ModuleType('re')
    pkg.__path__ = [types.__file__.rsplit('/', 1)[0] + '/re']
    sys.modules['re'] = pkg
    from re import _compiler, _parser
    import _sre
    pkg._compile_template = lambda pattern, repl: _sre.template(pattern, _parser.parse_template(repl, pattern))
    compile = _compiler.compile

I, M, S, X, A = 2, 8, 16, 64, 256

p = compile(r"(?P<word>[a-z]+)-(?P<num>\d+)?")
print(p, p.groups, dict(p.groupindex), p.pattern, p.flags & ~32)
m = p.search("xx abc-12 yy")
print(m)
print(m.group(), m.group(0), m.group(1), m.group("num"), m.group(1, "num"))
print(m.groups(), m.groupdict(), m.span(), m.span(2), m.start(1), m.end("num"))
print(m.lastindex, m.lastgroup, m.regs, m.pos, m.endpos, m.string, m.re is p)
print(m[0], m["word"], m[2])
m = p.search("abc-")
print(m.groups(), m.groups("?"), m.groupdict(0), m.span(2), m.lastindex)
try:
    m.group(3)
except IndexError as e:
    print("IndexError", e)
try:
    m.group("nope")
except IndexError as e:
    print("IndexError", e)

print(p.match("abc-1"), p.match(" abc-1"), p.fullmatch("abc-1"), p.fullmatch("abc-1 "))
print(p.search("abc-1 def-2", 3), p.search("abc-1 def-2", 0, 4).span(), p.match("ab-1", 1, 100))

# findall shapes: no group, one group, several groups (unmatched -> '')
print(compile(r"\d+").findall("a1 b22 c333"))
print(compile(r"(\d)\d*").findall("a1 b22 c333"))
print(compile(r"(a)|(b)").findall("abc"))
print([m.span() for m in compile(r"x*").finditer("axxb")])
print([m.group() for m in compile(r"\w+").finditer("one two  three", 4)])

# split
print(compile(r"\s*,\s*").split("a , b,c,  d"))
print(compile(r"(,)").split("a,b,c", 1), compile(r"(,)|(;)").split("a,b;c"))
print(compile(r"x*").split("axbc"), compile(r"\d").split("abc"))

# sub / subn: literal, template, callable, count, empty matches
print(compile(r"x*").sub("-", "abxd"))
print(compile(r"(\w+)@(\w+)").sub(r"\2 at \1", "joe@x, ann@y"))
print(compile(r"(?P<a>\w)(\w)?").sub(r"<\g<a>|\2|\g<0>>", "abc"))
print(compile(r"\d").sub(lambda m: str(int(m.group()) * 2), "a1b2c3", count=2))
print(compile(r"\d").subn("#", "a1b2c3"), compile(r"z").subn("#", "abc"))
print(compile(r"a").sub(lambda m: None, "banana"))
print(compile(r"(a)(x)?").sub(r"[\1\2]", "a a"))
print(compile(r"a").sub(r"\n", "bab") == "b\nb")

# expand
m = compile(r"(?P<first>\w+) (?P<last>\w+)").match("Jane Doe")
print(m.expand(r"\g<last>, \g<first> (\2)"))

# Non-ASCII subjects (PEP 393 kinds 1, 2 and 4)
print(compile("é+|ω+|😀+").findall("aéé ωω 😀😀x"))
print(compile(r"(?<=ω)x").findall("ωx ax 😀x"), compile(r"(?<=😀)x").findall("ωx ax 😀x"))
print(compile(r"\w+").findall("naïve Ωmega ü😀z"))
print(compile(r"ω+", I).findall("ΩωΩ x"), compile(r"straße", I).search("STRASSE STRAßE"))
print(compile(r"(.)\1").search("😀😀ab").span(), compile("😀").sub("x", "a😀b😀"))
print(compile(r"\d+").findall("12 ٣٤ 5"), compile(r"\d+", A).findall("12 ٣٤ 5"))

# flags
print(compile(r"^b", M).findall("a\nb\nb"), compile(r"a.b", S).match("a\nb") is not None)
print(compile(r" a b # comment", X).match("ab"))
print(compile(r"\bfoo\b").search("a foo b"), compile(r"\Bo").findall("foo o"))

# bytes and bytes-like subjects
bp = compile(rb"(a)(.)")
print(bp, bp.findall(b"xabac"), bp.sub(rb"<\2>", bytearray(b"xabac")))
print(bp.search(memoryview(b"xabac")).group(2), bp.search(bytearray(b"zab")).group())
print(compile(b"[a-c]+", I).findall(b"xABcd aB"), compile(rb"\w+").findall(b"caf\xe9 x"))
try:
    bp.search("abc")
except TypeError as e:
    print("TypeError", e)
try:
    p.search(b"abc")
except TypeError as e:
    print("TypeError", e)
try:
    p.search(12)
except TypeError as e:
    print("TypeError", e)

# scanner
sc = compile(r"\d+").scanner("12 34 x 5")
print(sc.search().group(), sc.search().group(), sc.match(), sc.search(), sc.search())
sc = compile(r"a*").scanner("aab")
print([sc.search().span() for _ in range(3)])

# repr, equality, hash, copy
print(compile("x" * 300, M | S))
print(compile(b"x", I), compile("x", I | A))
print(compile("a") == compile("a"), compile("a") == compile("b"), compile("a") == compile("a", I))
print(hash(compile("ab")) == hash(compile("ab")))
q = compile("q")
print(q.__copy__() is q, q.__deepcopy__({}) is q)
m = q.match("q")
print(m.__copy__() is m, repr(compile("a" * 60).match("a" * 60)))

# A larger workload: tokenizing
tok = compile(r"\s*(?:(\d+\.\d*|\d+)|(\w+)|(.))")
out = []
for mm in tok.finditer("x1 = 3.5 * (y + 42)"):
    num, name, op = mm.groups()
    out.append(("NUM", num) if num else ("NAME", name) if name else ("OP", op))
print(out)

print("sre_patterns: ok")
