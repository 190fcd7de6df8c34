# unicodedata.normalize / is_normalized, and the Lib/ modules built on unicodedata:
# encodings.idna (nameprep, with ucd_3_2_0), stringprep, traceback's caret widths.
import unicodedata as ud

samples = ["caf\u00e9", "cafe\u0301", "\ufb01ne", "\u212b", "A\u030a", "\u1e9b\u0323",
           "\u0071\u0307\u0323", "\uac00\u11a8", "\u1100\u1161\u11a8", "\u00bd \u2167 \u3000",
           "\u0041\u0328\u0301\u0315", "ascii only", "\U0001d400\u2460", "\u0f73\u0f75",
           "e\u0301\u0327", "\u05d0\u05b7\u05bc"]
for s in samples:
    forms = [ud.normalize(f, s) for f in ("NFC", "NFD", "NFKC", "NFKD")]
    flags = [ud.is_normalized(f, s) for f in ("NFC", "NFD", "NFKC", "NFKD")]
    print(ascii(s), [ascii(x) for x in forms], flags)
    # The normal forms are stable and ordered as UAX #15 says.
    assert ud.normalize("NFC", forms[1]) == forms[0]
    assert ud.normalize("NFD", forms[0]) == forms[1]
    assert ud.normalize("NFKC", forms[3]) == forms[2]
s = "already normal"
print(type(ud.normalize("NFC", s)).__name__, ud.normalize("NFC", s) == s)
class S(str):
    pass
print(type(ud.normalize("NFD", S("x\u00e9"))).__name__)
print(ascii(ud.ucd_3_2_0.normalize("NFKC", "\u2167\u00e9\u1e9e")))

# IDNA 2003 (nameprep folds case and maps with Unicode 3.2.0, then punycode).
for host in ["B\u00fccher.example", "\u03b5\u03bb\u03bb\u03b7\u03bd\u03b9\u03ba\u03ac.gr",
             "stra\u00dfe.de", "\u6d4b\u8bd5.com", "MA\u00d1ANA.com"]:
    enc = host.encode("idna")
    print(ascii(host), enc, ascii(enc.decode("idna")))
from encodings import idna
print(ascii(idna.nameprep("Fu\u00dfball\u00ad\u2168")))
import stringprep
for c in " a\u00a0\u200b\u0627\u05d0\ue000\ufffe\U000e0001\u2ff0":
    print("%04X" % ord(c), [f(c) for f in (stringprep.in_table_a1, stringprep.in_table_b1,
          stringprep.in_table_c12, stringprep.in_table_c3, stringprep.in_table_c7,
          stringprep.in_table_c8, stringprep.in_table_c9, stringprep.in_table_d1,
          stringprep.in_table_d2)])
print([ascii(stringprep.map_table_b2(c)) for c in "\u00df\u0130\u2168A"], ascii(stringprep.map_table_b3("\u00c9")))

# traceback measures wide characters with east_asian_width when it draws carets.
import traceback
def fail():
    return {"\u4e00\u4e8c": 1}["\u4e09"] + 1
try:
    fail()
except KeyError as e:
    lines = traceback.format_exception(e)
    print("".join(lines[-3:]).rstrip().splitlines()[-2:])
print("unicodedata_normalize: ok")
