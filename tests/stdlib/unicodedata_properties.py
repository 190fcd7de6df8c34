# unicodedata: per-character properties, names and lookup, for the current database and
# ucd_3_2_0 (characters whose data did not change between Unicode 14 and 17).
import unicodedata as ud

chars = "A9z \u00e9\u00bd\u0301\u05d0\u0627\u0663\u4e00\u2167\u00b2(\u200d\uff21\u3000\U0001f600\U00020000\ufb01\u2028"
for c in chars:
    print("%04X" % ord(c), ud.category(c), repr(ud.bidirectional(c)), ud.combining(c),
          ud.east_asian_width(c), ud.mirrored(c), ud.decimal(c, None), ud.digit(c, None),
          ud.numeric(c, None), repr(ud.decomposition(c)), ud.name(c, None))

# Names: table names, Hangul syllables, CJK ideographs; lookup is case-insensitive and
# knows aliases and named sequences.
for name in ["LATIN SMALL LETTER E WITH ACUTE", "latin small letter e with acute", "HANGUL SYLLABLE GAG",
             "CJK UNIFIED IDEOGRAPH-4E00", "CJK UNIFIED IDEOGRAPH-20000", "NULL", "BYTE ORDER MARK",
             "LINE FEED", "KEYCAP DIGIT ONE", "LATIN CAPITAL LETTER A WITH MACRON AND GRAVE",
             "NO SUCH THING", "HANGUL SYLLABLE AC00", b"DIGIT ZERO"]:
    try:
        print(repr(name), ascii(ud.lookup(name)))
    except KeyError as e:
        print(repr(name), "KeyError", e)
try:
    ud.lookup("A" * 300)
except KeyError as e:
    print("long name:", e)

# Round trip of every named character in a few blocks.
count = 0
for cp in list(range(0x20, 0x250)) + list(range(0x370, 0x400)) + list(range(0xAC00, 0xAC40)):
    n = ud.name(chr(cp), None)
    if n is not None:
        assert ud.lookup(n) == chr(cp), n
        count += 1
print("round trips:", count)

# Defaults and errors.
print(ud.decimal("x", -1), ud.digit("x", "none"), ud.numeric("x", 0.0), ud.name("\x00", "?"))
for f, arg in [(ud.decimal, "x"), (ud.digit, "x"), (ud.numeric, "x"), (ud.name, "\x00")]:
    try:
        f(arg)
    except ValueError as e:
        print(f.__name__, "ValueError", e)
for bad in ["ab", "", 5, None]:
    try:
        ud.category(bad)
    except TypeError:
        print("category", repr(bad), "TypeError")
for form in ["NFX", "nfc"]:
    try:
        ud.normalize(form, "a")
    except ValueError as e:
        print(repr(form), "ValueError", e)

# Unicode 3.2.0: what IDNA's nameprep and stringprep see.
old = ud.ucd_3_2_0
print(old.unidata_version, type(old).__name__, type(old) is ud.UCD)
for c in "A\u00e9\u0221\u0234\u1e9e\u20ac\u4e00\u9fa6\u3000":
    print("%04X" % ord(c), old.category(c), repr(old.bidirectional(c)), old.combining(c),
          old.mirrored(c), repr(old.decomposition(c)), old.name(c, None), old.numeric(c, None))
for name in ["NULL", "KEYCAP DIGIT ONE", "LATIN SMALL LETTER A"]:
    try:
        print(repr(name), ascii(old.lookup(name)))
    except KeyError as e:
        print(repr(name), "KeyError", e)
try:
    ud.UCD()
except TypeError as e:
    print("TypeError", e)

# \N{...} escapes use the same names (and aliases), any case.
print(ascii("\N{LATIN SMALL LETTER E WITH ACUTE}\N{HANGUL SYLLABLE GAG}\N{latin small letter a}\N{NULL}\N{BOM}"))
for src in [r"'\N{NO SUCH NAME}'", r"'\N{KEYCAP DIGIT ONE}'"]:
    try:
        eval(src)
    except SyntaxError:
        print(src, "SyntaxError")
print(b"caf\\N{LATIN SMALL LETTER E WITH ACUTE}".decode("unicode_escape") == "caf\u00e9")
print("caf\u00e9 \u4e00\uac00".encode("ascii", "namereplace"))
print("unicodedata_properties: ok")
