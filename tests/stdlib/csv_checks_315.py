# requires: 3.15
# _csv's 3.15 checks and messages: dialect parameter validation, the reader's newline error,
# empty fields with a space delimiter, re-entrant input iterators, base dialects whose
# attributes raise.
import csv
import io
import _csv


def show(label, f):
    try:
        print(label, f())
    except Exception as e:
        print(label, type(e).__name__, e)


for kw in [
    dict(delimiter=""), dict(delimiter="ab"), dict(delimiter=1), dict(delimiter=None),
    dict(quotechar=1), dict(quotechar=""), dict(escapechar=""), dict(lineterminator=1),
    dict(lineterminator=None), dict(lineterminator=""), dict(quoting=9), dict(quoting="1"),
    dict(quoting=None), dict(quoting=True), dict(quoting=2**40),
    dict(quotechar=None, quoting=1), dict(delimiter="\n"), dict(quotechar="\r"),
    dict(delimiter=" ", skipinitialspace=True), dict(escapechar=" ", skipinitialspace=True),
    dict(quotechar=" ", skipinitialspace=True), dict(delimiter=",", quotechar=","),
    dict(lineterminator="x", delimiter="x"), dict(escapechar="\\", quotechar="\\"),
    dict(delimiter=";", escapechar=";"), dict(strict=[]), dict(bogus=1),
]:
    def make(kw=kw):
        d = _csv.Dialect(**kw)
        return (d.delimiter, d.quotechar, d.escapechar, repr(d.lineterminator), d.quoting, d.strict)
    show(sorted(kw.items()), make)

show("two positionals", lambda: _csv.Dialect(1, 2))
show("reader no args", lambda: _csv.reader())
show("reader 3 args", lambda: _csv.reader([], "excel", "x"))
show("Reader()", lambda: _csv.Reader())
show("Writer()", lambda: _csv.Writer())
show("limit 2 args", lambda: _csv.field_size_limit(1, 2))
show("pickle", lambda: __import__("pickle").dumps(_csv.Dialect()))
print(_csv.Dialect.__doc__)
print(_csv.Reader.__name__, _csv.Writer.__name__, _csv.Error.__module__)


class Sub(_csv.Dialect):
    pass


print(type(Sub(delimiter=";")).__name__, Sub(delimiter=";").delimiter)
show("newline", lambda: list(csv.reader(["a\nb,c"])))
out = io.StringIO()
csv.writer(out, delimiter=" ", skipinitialspace=True).writerow(["", "a", ""])
print(repr(out.getvalue()))
show("quote none", lambda: csv.writer(io.StringIO(), delimiter=" ", skipinitialspace=True, quoting=csv.QUOTE_NONE).writerow(["", "a"]))


class Reentrant:
    def __init__(self):
        self.reader = None
        self.n = 0

    def __iter__(self):
        return self

    def __next__(self):
        self.n += 1
        if self.n == 1:
            print("inner", next(self.reader))
            return "a,b"
        if self.n == 2:
            return "x"
        raise StopIteration


it = Reentrant()
r = csv.reader(it)
it.reader = r
show("reentrant", lambda: next(r))


class BadDialect:
    def __getattr__(self, name):
        raise RuntimeError("boom " + name)


show("bad dialect", lambda: csv.reader([], dialect=BadDialect()))


class Partial:
    delimiter = ";"


print(csv.reader([], dialect=Partial()).dialect.delimiter)

# QUOTE_STRINGS and QUOTE_NOTNULL (3.12+): None and numbers on both sides.
for q in (csv.QUOTE_STRINGS, csv.QUOTE_NOTNULL):
    out = io.StringIO()
    csv.writer(out, quoting=q).writerow(["a", 1, None, "", 2.5])
    print(repr(out.getvalue()), list(csv.reader(io.StringIO(out.getvalue()), quoting=q)))
print("csv_checks_315: ok")
