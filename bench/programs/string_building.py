"""String building: concatenation, join, f-strings, % and str.format,
slicing and common str methods (split, replace, upper, strip, find,
startswith, count, center).

Builds a CSV-like report, parses it back, renders a text table and does
a Caesar cipher and a word-wrap.  Prints lengths and checksums of the
produced strings.
"""
import sys

WORDS = ("alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi "
         "omicron pi rho sigma tau upsilon phi chi psi omega").split()


def text_hash(s):
    h = 5381
    for ch in s:
        h = (h * 33 + ord(ch)) & 0xFFFFFFFF
    return h


def build_records(n):
    lines = []
    for i in range(n):
        word = WORDS[i % len(WORDS)]
        lines.append(f"{i},{word},{i * 37 % 1000},{(i % 17) / 4:.2f}")
    return "\n".join(lines)


def parse_records(text):
    total = 0
    names = {}
    for line in text.split("\n"):
        ident, name, amount, ratio = line.split(",")
        total += int(ident) + int(amount)
        names[name] = names.get(name, 0) + len(ratio)
    return total, names


def render_table(names):
    rows = ["+" + "-" * 12 + "+" + "-" * 8 + "+"]
    for name in sorted(names):
        rows.append("|%-12s|%8d|" % (name, names[name]))
        rows.append("|{:^12}|{:>8}|".format(name.upper(), hex(names[name])))
    rows.append(rows[0])
    return "\n".join(rows)


def concat_loop(n):
    lines = []
    s = ""
    for i in range(n):
        s += str(i % 10)
        if i % 7 == 6:
            s += " "
        if len(s) >= 80:
            lines.append(s[:60])
            s = s[60:]
    lines.append(s)
    return "\n".join(lines)


def caesar(text, shift):
    out = []
    for ch in text:
        if "a" <= ch <= "z":
            out.append(chr((ord(ch) - 97 + shift) % 26 + 97))
        elif "A" <= ch <= "Z":
            out.append(chr((ord(ch) - 65 + shift) % 26 + 65))
        else:
            out.append(ch)
    return "".join(out)


def wrap(text, width):
    lines = []
    current = ""
    for word in text.split():
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        elif current:
            current += " " + word
        else:
            current = word
    if current:
        lines.append(current)
    return lines


def transforms(n):
    total = 0
    for i in range(n):
        word = WORDS[i % len(WORDS)]
        s = "  " + word.capitalize() + "-" + str(i) + "  "
        s = s.strip().replace("-", "_").lower()
        if s.startswith(word[:2]) and s.endswith(str(i)):
            total += s.find("_") + s.count("a")
        total += len(s.center(20, "*")) + len(word.title().swapcase())
    return total


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 50000
    text = build_records(n)
    total, names = parse_records(text)
    table = render_table(names)
    chain = concat_loop(n * 2)
    prose = " ".join(WORDS[(i * 7) % len(WORDS)] for i in range(n // 4))
    secret = caesar(prose, 13)
    back = caesar(secret, 13)
    wrapped = wrap(back, 60)
    results = [
        len(text), text_hash(text), total, text_hash(table), len(chain), text_hash(chain),
        text_hash(secret), back == prose, len(wrapped), max(len(l) for l in wrapped),
        transforms(n),
    ]
    print("string_building n=%d %s" % (n, " ".join(str(r) for r in results)))


main()
