# _string: formatter_parser and formatter_field_name_split, and string.Formatter built on them.
import _string


def show(s):
    try:
        print(repr(s), list(_string.formatter_parser(s)))
    except ValueError as e:
        print(repr(s), "ValueError", e)


for s in ["", "plain", "a{0}b", "{}{}", "{{literal}}", "x{name!r:>10}y", "{0.attr[key]}", "{a:{b}}", "{:}", "{!s}",
          "}}{{", "a{", "a}", "{0", "{0!}", "{0!rx}", "{a[}]}", "{0:{1:{2}}}", "tail {x} end", "{[0]}",
          "{0:", "{0!r", "{0[", "{0[1", "{0!", "{0!}}", "{0!r:}", "{0:{", "{0:{}", "{!}", "{0!:x}", "{a{b}", "{0.{x}}",
          "{0[{]}", "{:{:}}"]:
    show(s)


def split(s):
    try:
        first, rest = _string.formatter_field_name_split(s)
        print(repr(s), repr(first), list(rest))
    except ValueError as e:
        print(repr(s), "ValueError", e)


for s in ["", "0", "name", "a.b.c", "a[0][key].x", "12[3]", "a.", "a[", "a[]", "a[0]x", "0.real"]:
    split(s)

it = _string.formatter_parser("ok{} then }")
print(next(it))
try:
    next(it)
except ValueError as e:
    print("lazy:", e)


class Formatter:
    # The heart of string.Formatter.vformat, as Lib/string.py writes it.
    def format(self, fmt, *args, **kwargs):
        out = []
        auto = 0
        for literal, field, spec, conv in _string.formatter_parser(fmt):
            out.append(literal)
            if field is None:
                continue
            first, rest = _string.formatter_field_name_split(field)
            if first == "":
                first, auto = auto, auto + 1
            obj = args[first] if isinstance(first, int) else kwargs[first]
            for is_attr, key in rest:
                obj = getattr(obj, key) if is_attr else obj[key]
            if conv == "r":
                obj = repr(obj)
            elif conv == "s":
                obj = str(obj)
            out.append(format(obj, self.format(spec, *args, **kwargs) if "{" in spec else spec))
        return "".join(out)


f = Formatter()
print(f.format("{} + {} = {:>5}", 1, 2, 3), f.format("{p.real}|{d[k]!r}|{0:{w}}", 7, p=3 + 4j, d={"k": "v"}, w=4))
print("string_formatter: ok")
