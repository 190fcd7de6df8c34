"""Generate the tables behind Pyrite's `unicodedata` (ucd/data/).

Run it with CPython 3.15, whose own `unicodedata` (Unicode 17.0.0, and its `ucd_3_2_0`) is the
source of every property, so Pyrite answers exactly as 3.15 does:

    /work/shared/tools/cpython-ref python3.15 ucd/gen.py    # from the repository root

Two inputs cannot be enumerated through `unicodedata` and come from the Unicode Character
Database 17.0.0 (copied beside this script; Unicode's data license allows redistribution):
NameAliases.txt and NamedSequences.txt, both checked against `unicodedata.lookup` here.

Output files (all integers little-endian):
- records.bin: u32 count, then 12-byte property records (see `record` below).
- stage1.bin: two u16 arrays of 0x110000 >> SHIFT entries (current version, then 3.2.0),
  each giving a block of stage2.bin; stage2.bin: u16 record numbers, blocks of 1 << SHIFT.
- numeric.bin: f64 values referenced by records.
- strings.txt: the category, bidirectional, east asian width, grapheme cluster break and
  indic conjunct break names referenced by records, one list per line, separated by ','.
- decomp.txt: `CP;decomposition` for every non-Hangul code point with a decomposition;
  decomp32.txt the same for 3.2.0 where it differs from the current one.
- compose.txt: `first second composite` for every primary composite.
- norm32.txt: the 3.2.0 normalization corrections, `CP;replacement`.
- names.bin: the word list (u32 size, words separated by '\n'), then per named code point
  (ascending): 3-byte code point, 1-byte word count, words as 1 byte (< 0x80) or 2 bytes.
- ranges.txt: `PREFIX;first;last` where every name is PREFIX-<hex code point>.
- aliases.txt: `CP;NAME`; namedseq.txt: `NAME;CP CP...`; blocks.txt: `first;last;NAME`.
"""
import os
import struct
import sys
import unicodedata as U

assert sys.version_info[:2] == (3, 15), "run with CPython 3.15"
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "data")
os.makedirs(OUT, exist_ok=True)
SHIFT = 7
N = 0x110000
OLD = U.ucd_3_2_0

lists = {"cat": [], "bidi": [""], "eaw": [], "gcb": [], "incb": ["None"]}


def idx(kind, s):
    lst = lists[kind]
    if s not in lst:
        lst.append(s)
    return lst.index(s)


numerics = []
num_index = {}
records = []
rec_index = {}


def record(db, ch, new):
    """12 bytes: category, bidirectional, combining, east asian width, flags (1 mirrored,
    2 extended pictographic, 4 XID_Start, 8 XID_Continue), decimal, digit (0xFF: none),
    grapheme cluster break, indic conjunct break, 0, numeric (u16, 0xFFFF: none)."""
    num = db.numeric(ch, None)
    if num is None:
        ni = 0xFFFF
    else:
        key = struct.pack("<d", num)
        if key not in num_index:
            num_index[key] = len(numerics)
            numerics.append(num)
        ni = num_index[key]
    flags = db.mirrored(ch)
    if new:
        flags |= (U.extended_pictographic(ch) << 1) | (U.isxidstart(ch) << 2) | (U.isxidcontinue(ch) << 3)
        gcb = idx("gcb", U.grapheme_cluster_break(ch))
        incb = idx("incb", str(U.indic_conjunct_break(ch)))
    else:
        gcb = incb = 0
    dec = db.decimal(ch, None)
    dig = db.digit(ch, None)
    rec = struct.pack(
        "<BBBBBBBBBBH",
        idx("cat", db.category(ch)),
        idx("bidi", db.bidirectional(ch)),
        db.combining(ch),
        idx("eaw", db.east_asian_width(ch)),
        flags,
        0xFF if dec is None else dec,
        0xFF if dig is None else dig,
        gcb,
        incb,
        0,
        ni,
    )
    if rec not in rec_index:
        rec_index[rec] = len(records)
        records.append(rec)
    return rec_index[rec]


def hangul(cp):
    return 0xAC00 <= cp < 0xAC00 + 11172


stage2 = []
block_index = {}
stage1 = {True: [], False: []}
for new, db in ((True, U), (False, OLD)):
    for b in range(N >> SHIFT):
        block = tuple(record(db, chr(cp), new) for cp in range(b << SHIFT, (b + 1) << SHIFT))
        if block not in block_index:
            block_index[block] = len(stage2)
            stage2.append(block)
        stage1[new].append(block_index[block])
assert len(records) < 0x10000 and len(stage2) < 0x10000 and len(numerics) < 0xFFFF
with open(os.path.join(OUT, "records.bin"), "wb") as f:
    f.write(struct.pack("<I", len(records)) + b"".join(records))
with open(os.path.join(OUT, "stage1.bin"), "wb") as f:
    f.write(struct.pack(f"<{2 * (N >> SHIFT)}H", *stage1[True], *stage1[False]))
with open(os.path.join(OUT, "stage2.bin"), "wb") as f:
    f.write(b"".join(struct.pack(f"<{1 << SHIFT}H", *blk) for blk in stage2))
with open(os.path.join(OUT, "numeric.bin"), "wb") as f:
    f.write(struct.pack(f"<{len(numerics)}d", *numerics))
with open(os.path.join(OUT, "strings.txt"), "w") as f:
    for kind in ("cat", "bidi", "eaw", "gcb", "incb"):
        f.write(",".join(lists[kind]) + "\n")

# Decompositions (Hangul syllables are algorithmic in the runtime; check the formula).
with open(os.path.join(OUT, "decomp.txt"), "w") as f, open(os.path.join(OUT, "decomp32.txt"), "w") as f32:
    for cp in range(N):
        ch = chr(cp)
        d = U.decomposition(ch)
        d32 = OLD.decomposition(ch)
        if hangul(cp):
            s = cp - 0xAC00
            parts = [0x1100 + s // 588, 0x1161 + (s % 588) // 28] + ([0x11A7 + s % 28] if s % 28 else [])
            assert d == " ".join("%04X" % p for p in parts), ch
            assert d32 == d
            continue
        if d:
            f.write("%X;%s\n" % (cp, d))
        if d32 != d:
            f32.write("%X;%s\n" % (cp, d32))

# Primary composites: a canonical pair decomposition that NFC recomposes.
with open(os.path.join(OUT, "compose.txt"), "w") as f:
    for cp in range(N):
        d = U.decomposition(chr(cp))
        if not d or d.startswith("<") or hangul(cp):
            continue
        parts = [int(p, 16) for p in d.split()]
        if len(parts) == 2 and U.normalize("NFC", chr(cp)) == chr(cp):
            f.write("%X %X %X\n" % (parts[0], parts[1], cp))

# 3.2.0 normalization corrections: characters whose 3.2.0 NFD is not their decomposition.
with open(os.path.join(OUT, "norm32.txt"), "w") as f:
    for cp in (0xF951, 0x2F868, 0x2F874, 0x2F91F, 0x2F95F, 0x2F9BF):
        nfd = OLD.normalize("NFD", chr(cp))
        d = OLD.decomposition(chr(cp))
        if len(nfd) == 1 and "%04X" % ord(nfd) != d:
            f.write("%X;%X\n" % (cp, ord(nfd)))

# Names.
ranges = []  # [prefix, first, last]
named = []
for cp in range(N):
    if hangul(cp):
        continue
    name = U.name(chr(cp), None)
    if name is None:
        continue
    head, sep, tail = name.rpartition("-")
    if sep and tail == "%04X" % cp and " " in head:
        if ranges and ranges[-1][0] == head and ranges[-1][2] == cp - 1:
            ranges[-1][2] = cp
        else:
            ranges.append([head, cp, cp])
        continue
    named.append((cp, name))
freq = {}
for _, name in named:
    for w in name.split(" "):
        freq[w] = freq.get(w, 0) + 1
words = sorted(freq, key=lambda w: (-freq[w], w))
assert len(words) < 0x8000
wid = {w: i for i, w in enumerate(words)}
out = bytearray()
lex = "\n".join(words).encode("ascii")
out += struct.pack("<I", len(lex)) + lex
for cp, name in named:
    ws = name.split(" ")
    assert len(ws) < 256 and "" not in ws
    out += struct.pack("<I", cp)[:3] + bytes([len(ws)])
    for w in ws:
        i = wid[w]
        out += bytes([i]) if i < 0x80 else bytes([0x80 | (i >> 8), i & 0xFF])
with open(os.path.join(OUT, "names.bin"), "wb") as f:
    f.write(out)
with open(os.path.join(OUT, "ranges.txt"), "w") as f:
    for prefix, a, b in ranges:
        f.write("%s;%X;%X\n" % (prefix, a, b))

with open(os.path.join(OUT, "aliases.txt"), "w") as f:
    for line in open(os.path.join(HERE, "NameAliases.txt")):
        line = line.split("#")[0].strip()
        if line:
            cp, alias, _ = line.split(";")
            assert U.lookup(alias) == chr(int(cp, 16)), line
            f.write("%s;%s\n" % (cp, alias))
with open(os.path.join(OUT, "namedseq.txt"), "w") as f:
    for line in open(os.path.join(HERE, "NamedSequences.txt")):
        line = line.split("#")[0].strip()
        if line:
            name, seq = line.split(";")
            assert U.lookup(name) == "".join(chr(int(p, 16)) for p in seq.split()), line
            f.write("%s;%s\n" % (name, seq))

blocks = []
for cp in range(N):
    b = U.block(chr(cp))
    if blocks and blocks[-1][2] == b and blocks[-1][1] == cp - 1:
        blocks[-1][1] = cp
    else:
        blocks.append([cp, cp, b])
with open(os.path.join(OUT, "blocks.txt"), "w") as f:
    for a, b, name in blocks:
        if name != "No_Block":
            f.write("%X;%X;%s\n" % (a, b, name))
print("records", len(records), "stage2 blocks", len(stage2), "numerics", len(numerics),
      "names", len(named), "words", len(words), "ranges", len(ranges), "names.bin", len(out))
