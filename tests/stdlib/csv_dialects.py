# _csv.Dialect validation, the dialect registry, csv.Dialect subclasses, DictReader,
# DictWriter and Sniffer.
import csv
import io


def show(label, f):
    try:
        print(label, f())
    except Exception as e:
        print(label, type(e).__name__, e)


def desc(d):
    return (d.delimiter, d.quotechar, d.escapechar, d.doublequote, d.skipinitialspace, repr(d.lineterminator), d.quoting, d.strict)


print(sorted(csv.list_dialects()))
print(desc(csv.get_dialect("excel")))
print(desc(csv.get_dialect("excel-tab")))
print(desc(csv.get_dialect("unix")))

csv.register_dialect("semi", delimiter=";", quoting=csv.QUOTE_ALL)
print(desc(csv.get_dialect("semi")), "semi" in csv.list_dialects())
out = io.StringIO()
csv.writer(out, "semi").writerow(["a", 1])
print(repr(out.getvalue()))
print(list(csv.reader(["x;y"], dialect="semi")))
csv.register_dialect("semi2", "semi", delimiter="|")
print(desc(csv.get_dialect("semi2")))
csv.unregister_dialect("semi")
csv.unregister_dialect("semi2")
show("unregister again", lambda: csv.unregister_dialect("semi"))
show("unknown", lambda: csv.get_dialect("nope"))
show("reader unknown", lambda: csv.reader([], "nope"))
show("name type", lambda: csv.register_dialect(1))


class Pipes(csv.Dialect):
    delimiter = "|"
    quotechar = "'"
    doublequote = True
    skipinitialspace = False
    lineterminator = "\n"
    quoting = csv.QUOTE_MINIMAL


out = io.StringIO()
csv.writer(out, Pipes).writerow(["a|b", "c"])
print(repr(out.getvalue()))
print(list(csv.reader(["'a|b'|c"], Pipes)))


# Dialect objects keep their parameters; the same object comes back without overrides.
d = csv.reader([], delimiter=":").dialect
print(csv.reader([], d).dialect is d, csv.reader([], d, delimiter=";").dialect is d)
show("set attr", lambda: setattr(d, "delimiter", ","))

# Messages shared by 3.11 and 3.15.
for kw in [
    dict(quoting=9),
    dict(quotechar=None, quoting=csv.QUOTE_ALL),
]:
    show(sorted(kw.items()), lambda: desc(csv.reader([], **kw).dialect))
print(csv.reader([], quotechar=None).dialect.quoting == csv.QUOTE_NONE)

# DictReader / DictWriter.
text = "name,age\r\nann,30\r\nbob,25,extra\r\ncid\r\n"
r = csv.DictReader(io.StringIO(text, newline=""))
print(r.fieldnames)
for row in r:
    print(row)
r = csv.DictReader(io.StringIO("a,b\n1,2\n"), fieldnames=["x", "y"], restkey="rest", restval="?")
print(list(r))
out = io.StringIO()
w = csv.DictWriter(out, fieldnames=["name", "age"], restval="-")
w.writeheader()
w.writerow({"name": "ann", "age": 30})
w.writerows([{"name": "bob"}, {"age": 1, "name": "c,d"}])
print(repr(out.getvalue()))
show("extra key", lambda: w.writerow({"name": "x", "bad": 1}))
w2 = csv.DictWriter(io.StringIO(), ["a"], extrasaction="ignore")
print(w2.writerow({"a": 1, "b": 2}))

# Sniffer.
sample = "id;name;score\n1;ann;3.5\n2;bob;4.0\n3;cid;2.5\n"
s = csv.Sniffer()
dialect = s.sniff(sample)
print(dialect.delimiter, repr(dialect.quotechar), dialect.skipinitialspace)
print(s.has_header(sample))
print(list(csv.reader(io.StringIO(sample), dialect))[:2])
quoted = "'a','b','c'\n'1','2','3'\n'4','5','6'\n"
dq = s.sniff(quoted)
print(dq.delimiter, dq.quotechar)
show("sniff fail", lambda: s.sniff("x"))
print("csv_dialects: ok")
