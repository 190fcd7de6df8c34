# requires: 3.15
# unicodedata as CPython 3.15 has it: Unicode 17.0.0, block / XID / grapheme cluster
# properties, iter_graphemes, Hangul decompositions, strict CJK lookups, and 3.15's
# ucd_3_2_0 answers for characters that 3.2.0 did not have.
import unicodedata as ud

print(ud.unidata_version, ud.ucd_3_2_0.unidata_version)
for c in "a\u0301\u4e00\U0001F600\u200d\r\u0915\u094d\U0001F1FA\u1100\uac00\uac01\U00016D40\u2fe0":
    print("%04X" % ord(c), ud.block(c), ud.grapheme_cluster_break(c), ud.indic_conjunct_break(c),
          ud.extended_pictographic(c), ud.isxidstart(c), ud.isxidcontinue(c))
print(ud.decomposition("\uac00"), ud.decomposition("\uac01"), ud.ucd_3_2_0.decomposition("\uac01"))
print(ud.ucd_3_2_0.east_asian_width("\u0221"), ud.ucd_3_2_0.east_asian_width("\u9fa6"))
print(ascii(ud.ucd_3_2_0.lookup("LATIN SMALL LETTER L WITH CURL")), ascii(ud.ucd_3_2_0.lookup("CJK UNIFIED IDEOGRAPH-9FA6")))
print(ud.ucd_3_2_0.name("\u0234", None), ud.name("\U00016D40", None), ud.name("\U0001CEC0", None))
for name in ["CJK UNIFIED IDEOGRAPH-03400", "CJK UNIFIED IDEOGRAPH-020000", "TANGUT IDEOGRAPH-17000",
             "tangut ideograph-17000", "CJK COMPATIBILITY IDEOGRAPH-F900", "hangul syllable gag",
             "EGYPTIAN HIEROGLYPH-13460", "CJK UNIFIED IDEOGRAPH-F900"]:
    try:
        print(name, ascii(ud.lookup(name)))
    except KeyError as e:
        print(name, "KeyError", e)
print(ascii("\N{hangul syllable gag}\N{cjk unified ideograph-4e00}"))
for bad in [(ud.category, "ab"), (ud.category, 5), (ud.decimal, 5), (ud.name, "ab")]:
    try:
        bad[0](bad[1])
    except TypeError as e:
        print("TypeError", e)

# Extended grapheme clusters (UAX #29).
texts = ["ae\u0301x", "\r\n\n", "\U0001F1FA\U0001F1F8\U0001F1EB\U0001F1F7\U0001F1E9",
         "\U0001F468\u200d\U0001F469\u200d\U0001F467!", "\u1100\u1161\u11a8\uac00\u11a8",
         "\u0915\u094d\u0937\u093f", "\u0915\u094d\u200d\u0924", "\u0600a", "a\u0903b",
         "\U0001F44D\U0001F3FD", ""]
for t in texts:
    segs = list(ud.iter_graphemes(t))
    print(ascii(t), segs, [ascii(str(s)) for s in segs], [(s.start, s.end) for s in segs])
print(list(ud.iter_graphemes("abcdef", 2)), list(ud.iter_graphemes("abcdef", 1, 3)),
      list(ud.iter_graphemes("abcdef", -2)))
it = ud.iter_graphemes("xy")
print(iter(it) is it, type(it).__name__, type(next(it)).__name__)
for cls in (ud.UCD, type(it), type(next(ud.iter_graphemes("a")))):
    try:
        cls()
    except TypeError as e:
        print("TypeError", e)
print("unicodedata_315: ok")
