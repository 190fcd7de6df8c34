# _io corner cases: reprs, buffered random access, RW pairs, detach, reconfigure,
# IncrementalNewlineDecoder, encodings through the codec registry, Python subclasses.
import _io
import codecs

PATH = "/tmp/pyrite-io-test-edge.bin"


def show(label, value):
    print(label, repr(value))


def err(label, call):
    try:
        r = call()
    except Exception as e:
        print(label, "->", type(e).__name__ + ":", e)
    else:
        print(label, "-> no error", repr(r))


# Reprs and attributes.
f = open(PATH, "wb")
show("buffered repr", repr(f))
show("raw repr", repr(f.raw))
show("name", f.name)
show("mode", f.mode)
f.close()
show("closed raw repr", repr(f.raw))
t = open(PATH, "w", encoding="latin-1")
show("text repr", repr(t))
show("text errors", t.errors)
show("text buffer type", type(t.buffer).__name__)
t.close()

# FileIO on a descriptor it does not own.
raw = _io.FileIO(PATH, "r+")
dup = _io.FileIO(raw.fileno(), "r", closefd=False)
show("fd name is the number", dup.name == raw.fileno())
show("closefd", dup.closefd)
dup.close()
show("owner still open", raw.closed)
raw.close()
err("closefd with name", lambda: _io.FileIO(PATH, "r", closefd=False))
err("float fd", lambda: _io.FileIO(1.5))
err("negative fd", lambda: _io.FileIO(-3))
err("bad FileIO mode", lambda: _io.FileIO(PATH, "rw"))

# opener
seen = []
def opener(path, flags):
    # No os module needed: borrow the descriptor of another FileIO.
    seen.append(path)
    holder = _io.FileIO(path, "w")
    holders.append(holder)
    return holder.fileno()
holders = []
with open(PATH, "w", opener=opener) as g:
    g.write("via opener")
show("opener saw", seen)
try:
    holders[0].close()  # the descriptor was already closed by g
except OSError as e:
    print("second close:", type(e).__name__)
show("holder closed", holders[0].closed)

# BufferedRandom: reads, writes and positions interleaved.
with open(PATH, "wb") as g:
    g.write(b"0123456789abcdef")
with open(PATH, "r+b") as g:
    show("random type", type(g).__name__)
    show("read 4", g.read(4))
    show("tell", g.tell())
    g.write(b"WXYZ")
    show("tell after write", g.tell())
    show("read 2", g.read(2))
    g.seek(-3, 2)
    show("tail", g.read())
    g.seek(0)
    show("all", g.read())
    show("peek at end", g.peek())
    show("read1", (g.seek(2), g.read1(3))[1])
    show("readinto", (lambda b: (g.readinto(b), bytes(b)))(bytearray(5)))

# Closed buffered objects.
g = open(PATH, "rb")
g.close()
err("read closed", lambda: g.read())
err("seek closed", lambda: g.seek(0))
w = open(PATH, "wb")
w.close()
err("write closed", lambda: w.write(b"x"))
err("flush closed", lambda: w.flush())
err("bad whence", lambda: open(PATH, "rb").seek(0, 7))
err("negative read", lambda: open(PATH, "rb").read(-2))

# BufferedRWPair over two BytesIO objects.
pair = _io.BufferedRWPair(_io.BytesIO(b"incoming\n"), _io.BytesIO())
show("pair readline", pair.readline())
show("pair write", pair.write(b"out"))
show("pair readable/writable", (pair.readable(), pair.writable()))
pair.close()
show("pair closed", pair.closed)

# detach
b = _io.BytesIO(b"data")
t = _io.TextIOWrapper(b, encoding="utf-8")
show("detached is the buffer", t.detach() is b)
err("after detach", lambda: t.read())

# reconfigure
b = _io.BytesIO()
t = _io.TextIOWrapper(b, encoding="utf-8")
t.write("a\n")
show("nothing flushed yet", b.getvalue())
t.reconfigure(line_buffering=True)
show("line_buffering", t.line_buffering)
t.write("b\n")
show("flushed by newline", b.getvalue())
t.reconfigure(newline="\r\n")
t.write("c\n")
t.flush()
show("crlf after reconfigure", b.getvalue())
t2 = _io.TextIOWrapper(_io.BytesIO(b"x\ny\n"), encoding="utf-8")
t2.readline()
err("reconfigure after read", lambda: t2.reconfigure(encoding="latin-1"))
t3 = _io.TextIOWrapper(_io.BytesIO(), encoding="utf-8", write_through=True)
t3.write("through")
show("write_through", t3.buffer.getvalue())

# Decoding errors.
t = _io.TextIOWrapper(_io.BytesIO(b"ok\xff\xfe!"), encoding="utf-8", errors="replace")
show("replace", t.read())
t = _io.TextIOWrapper(_io.BytesIO(b"ok\xff!"), encoding="utf-8")
err("strict", lambda: t.read())
t = _io.TextIOWrapper(_io.BytesIO(), encoding="ascii")
err("encode error", lambda: t.write("\u20ac"))
err("bad newline", lambda: _io.TextIOWrapper(_io.BytesIO(), newline="x"))
err("bad encoding", lambda: _io.TextIOWrapper(_io.BytesIO(), encoding="no-such-codec"))

# An encoding from the codec registry (UTF-16 with its BOM).
with open(PATH, "w", encoding="utf-16") as g:
    g.write("two\nlines\n")
with open(PATH, "rb") as g:
    show("utf-16 bytes", g.read())
with open(PATH, encoding="utf-16") as g:
    show("utf-16 lines", g.readlines())

# tell/seek across multi-byte characters.
with open(PATH, "w", encoding="utf-8") as g:
    g.write("αβγ\nδεζ\n")
with open(PATH, encoding="utf-8") as g:
    show("first", g.read(2))
    p = g.tell()
    show("tell in bytes", p)
    show("rest of line", g.readline())
    g.seek(p)
    show("re-read", g.read(2))
    show("readline limit", g.readline(1))

# IncrementalNewlineDecoder
d = _io.IncrementalNewlineDecoder(None, translate=True)
show("nl 1", d.decode("a\r"))
show("nl 2", d.decode("\nb\r"))
show("nl final", d.decode("", final=True))
show("nl newlines", d.newlines)
d = _io.IncrementalNewlineDecoder(codecs.getincrementaldecoder("utf-8")(), translate=False)
show("nl utf8", d.decode(b"x\r\n\xc3"))
show("nl utf8 2", d.decode(b"\xa9\r", final=True))
show("nl state", d.getstate())
d.reset()
show("nl reset newlines", d.newlines)

# A raw stream written in Python, iterated through the _IOBase machinery.
class Chunks(_io._RawIOBase):
    def __init__(self, parts):
        self.parts = list(parts)
    def readable(self):
        return True
    def readinto(self, b):
        if not self.parts:
            return 0
        p = self.parts.pop(0)
        n = min(len(b), len(p))
        if n < len(p):
            self.parts.insert(0, p[n:])
        b[:n] = p[:n]
        return n

c = Chunks([b"al", b"pha\nbe", b"ta\n", b"gamma"])
show("raw lines", list(c))
c = Chunks([b"ab", b"cd"])
show("raw readall", c.read())
with Chunks([b"x"]) as c:
    show("enter returns self", c.__enter__() is c)
show("closed by exit", c.closed)
err("iterate closed", lambda: iter(c))
show("text over python raw", _io.TextIOWrapper(_io.BufferedReader(Chunks([b"h\xc3", b"\xa9\nz"])), encoding="utf-8").read())

class Base(_io._IOBase):
    pass
x = Base()
show("base seekable", x.seekable())
err("base fileno", lambda: x.fileno())
err("base seek", lambda: x.seek(0))
x.close()
show("base closed", x.closed)
err("base flush closed", lambda: x.flush())

# BytesIO.getbuffer(): a writable view of the live data that pins its size.
b = _io.BytesIO(b"abc")
m = b.getbuffer()
m[0] = ord("X")
show("through the view", b.getvalue())
err("write while exported", lambda: b.write(b"z"))
m.release()
show("write after release", (b.write(b"z"), b.getvalue()))

print("io_edge: ok")
