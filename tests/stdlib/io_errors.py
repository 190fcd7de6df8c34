# _io error types and messages: every operation on closed objects of each class, wrong
# modes, bad arguments to open() and the constructors.
import _io
P = "/tmp/pyrite-io-test-errors"
open(P, "wb").close()
def err(label, call):
    try:
        r = call()
    except Exception as e:
        print(label, "->", type(e).__name__ + ":", e)
    else:
        print(label, "->", repr(r))
objs = {
    "fileio": lambda: _io.FileIO(P, "r+"),
    "reader": lambda: open(P, "rb"),
    "writer": lambda: open(P, "wb"),
    "random": lambda: open(P, "r+b"),
    "text": lambda: open(P, "r+"),
    "bytesio": lambda: _io.BytesIO(),
    "stringio": lambda: _io.StringIO(),
}
for name, make in objs.items():
    o = make()
    o.close()
    for m, args in [("read", ()), ("readline", ()), ("write", (b"x" if name not in ("text", "stringio") else "x",)),
                    ("seek", (0,)), ("tell", ()), ("truncate", ()), ("flush", ()), ("fileno", ()),
                    ("isatty", ()), ("readable", ()), ("writable", ()), ("seekable", ()), ("readlines", ()), ("__enter__", ())]:
        err(name + "." + m, lambda: getattr(o, m)(*args))
    err(name + " iter", lambda: type(iter(o)).__name__)
    print(name, "closed", o.closed)
for name in ("reader", "writer"):
    o = objs[name]()
    for m, args in [("read", ()), ("write", (b"x",)), ("readline", ()), ("read1", (1,)), ("truncate", ())]:
        err("open " + name + "." + m, lambda: getattr(o, m)(*args))
    o.close()
t = open(P, "r")
err("text write ro", lambda: t.write("x"))
err("text truncate ro", lambda: t.truncate())
t.close()
t = open(P, "w")
err("text read wo", lambda: t.read())
err("text readline wo", lambda: t.readline())
err("text seek 1", lambda: t.seek(1, 1))
err("text seek -1", lambda: t.seek(-1))
err("text seek 2", lambda: t.seek(3, 2))
err("text seek w", lambda: t.seek(0, 9))
err("text fileno", lambda: t.fileno() > 0)
t.close()
s = _io.StringIO("abc")
err("sio seek w", lambda: s.seek(0, 5))
err("sio seek neg", lambda: s.seek(-1))
err("sio seek cur", lambda: s.seek(1, 1))
try:
    s.truncate(-1)
except ValueError:
    print("sio trunc neg -> ValueError")  # the message changed in 3.15
err("sio init", lambda: _io.StringIO(b"x"))
err("sio nl", lambda: _io.StringIO(newline="x"))
b = _io.BytesIO(b"abc")
err("bio seek w", lambda: b.seek(0, 5))
err("bio seek neg", lambda: b.seek(-1))
err("bio trunc neg", lambda: b.truncate(-1))
err("bio init", lambda: _io.BytesIO("x"))
err("bio write str", lambda: b.write("x"))
err("buffer size", lambda: _io.BufferedReader(_io.BytesIO(), 0))
err("reader of writer", lambda: _io.BufferedReader(open(P, "wb").raw))
err("writer of reader", lambda: _io.BufferedWriter(open(P, "rb").raw))
err("unbuffered text", lambda: open(P, "w", buffering=0))
err("bad mode char", lambda: open(P, "rz"))
err("dup mode", lambda: open(P, "rr"))
err("text+binary", lambda: open(P, "rtb"))
err("no mode", lambda: open(P, "+"))
err("binary errors", lambda: open(P, "rb", errors="x"))
err("binary newline", lambda: open(P, "rb", newline=""))
err("open list", lambda: open([]))
try:
    open("/tmp")
except IsADirectoryError as e:
    print("open dir -> IsADirectoryError")
err("text enc type", lambda: open(P, encoding=5))

print("io_errors: ok")
