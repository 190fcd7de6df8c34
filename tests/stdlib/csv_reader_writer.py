# The _csv reader and writer through csv: quoting styles, escaping, doubled quotes, fields
# spanning lines, line_num, strict mode errors, field_size_limit.
import csv
import io


def rows(text, **kw):
    return list(csv.reader(io.StringIO(text, newline=""), **kw))


def show(label, f):
    try:
        print(label, f())
    except Exception as e:
        print(label, type(e).__name__, e)


print(rows("a,b,c\r\n1,2,3\r\n"))
print(rows('"a,b",c\n"x""y",z\n'))
print(rows('a,"multi\nline",b\nnext,row\n'))
print(rows("a;b;c\n", delimiter=";"))
print(rows("a, b,  c\n", skipinitialspace=True))
print(rows("a\\,b,c\n", escapechar="\\", quoting=csv.QUOTE_NONE))
print(rows('a,"b\\"c",d\n', escapechar="\\"))
print(rows("'a,b',c\n", quotechar="'"))
print(rows('1,"2",3.5,\n', quoting=csv.QUOTE_NONNUMERIC))
print(rows("\n\na\n\n"))
print(rows('"unterminated\n'))
print(rows('a,"b"c,d\n'))
print(rows('a,b\r\nc,d\re,f\n'))
print(list(csv.reader(["a,b", "c,d"])))
print(list(csv.reader(['a,"b', 'c",d'])))

r = csv.reader(io.StringIO('a,"b\nc"\nd,e\n', newline=""))
for row in r:
    print(r.line_num, row)
print(type(r.dialect).__name__, r.dialect.delimiter)

show("strict", lambda: rows('a,"b"c\n', strict=True))
show("eof strict", lambda: rows('a,"b', strict=True))
show("bytes", lambda: list(csv.reader([b"a,b"])))
show("not iterable", lambda: csv.reader(1))

old = csv.field_size_limit(5)
print("old limit", old)
show("limit", lambda: rows("abcdef\n"))
print(rows("abcde\n"))
print(csv.field_size_limit(old))
show("limit type", lambda: csv.field_size_limit(2.0))


def written(data, **kw):
    out = io.StringIO()
    w = csv.writer(out, **kw)
    w.writerows(data)
    return out.getvalue()


print(repr(written([["a", "b,c", 'd"e', "f\ng", 1, 2.5, None]])))
print(repr(written([["a", 1, None, ""]], quoting=csv.QUOTE_ALL)))
print(repr(written([["a", 1, 2.5, True]], quoting=csv.QUOTE_NONNUMERIC)))
print(repr(written([["a,b", 'c"d']], quoting=csv.QUOTE_NONE, escapechar="\\")))
print(repr(written([['a"b']], doublequote=False, escapechar="\\")))
print(repr(written([["a", "b"]], lineterminator="\n", delimiter="\t")))
print(repr(written([[""]])))
print(repr(written([[]])))
print(repr(written([(x for x in "abc")])))
show("no escapechar", lambda: written([["a,b"]], quoting=csv.QUOTE_NONE))
show("empty single", lambda: written([[""]], quoting=csv.QUOTE_NONE))
show("no doublequote", lambda: written([['a"b']], doublequote=False))
show("row not iterable", lambda: written([1]))
show("no write", lambda: csv.writer(1))

out = io.StringIO()
w = csv.writer(out)
print(w.writerow(["x", "y"]), repr(out.getvalue()), w.dialect.lineterminator == "\r\n")

# Round trip of awkward values.
data = [["plain", 'q"uote', "com,ma", "new\nline", "cr\rlf", " lead", "trail ", ""]]
print(rows(written(data)) == data)
print("csv_reader_writer: ok")
