# _io: FileIO, buffered and text files, BytesIO, StringIO, open(), print(file=...).
import _io

PATH = "/tmp/pyrite-io-test-basic.txt"


def show(label, value):
    print(label, repr(value))


# Text round trip, utf-8 (the default here) and iteration.
with open(PATH, "w", encoding="utf-8") as f:
    show("write returns", f.write("héllo\nwörld\n"))
    f.write("last line without newline")
    show("text mode", f.mode)
    show("encoding", f.encoding)
with open(PATH, encoding="utf-8") as f:
    show("lines", list(f))
with open(PATH, encoding="utf-8") as f:
    show("readline", f.readline())
    show("read(3)", f.read(3))
    show("rest", f.read())
    show("at eof", f.read())

# Binary view of the same file.
with open(PATH, "rb") as f:
    data = f.read()
    show("bytes", data[:14])
    show("len", len(data))
    show("closed inside", f.closed)
show("closed after", f.closed)

# latin-1
with open(PATH, "w", encoding="latin-1") as f:
    f.write("caf\xe9 \xff\n")
with open(PATH, "rb") as f:
    show("latin-1 bytes", f.read())
with open(PATH, encoding="latin-1") as f:
    show("latin-1 text", f.read())

# Newline modes.
with open(PATH, "wb") as f:
    f.write(b"a\nb\r\nc\rd")
for nl in (None, "", "\n", "\r", "\r\n"):
    with open(PATH, newline=nl) as f:
        show("newline=%r" % (nl,), f.readlines())
with open(PATH) as f:
    f.read()
    show("newlines seen", f.newlines)
with open(PATH, "w", newline="\r\n") as f:
    f.write("x\ny\n")
with open(PATH, "rb") as f:
    show("written with \\r\\n", f.read())

# seek / tell on text and binary files.
with open(PATH, "w") as f:
    f.write("line one\nline two\nline three\n")
with open(PATH) as f:
    f.readline()
    pos = f.tell()
    show("tell after one line", pos)
    show("next", f.readline())
    f.seek(pos)
    show("again", f.readline())
    f.seek(0)
    show("from start", f.read(4))
    show("seek end", f.seek(0, 2))
with open(PATH, "r+b") as f:
    f.seek(5)
    f.write(b"ONE")
    f.seek(0)
    show("patched", f.readline())
    show("tell", f.tell())
    f.seek(-6, 2)
    show("tail", f.read())
    show("truncate", f.truncate(4))
    f.seek(0)
    show("truncated", f.read())

# Append and exclusive creation.
with open(PATH, "a") as f:
    show("append tell", f.tell())
    f.write("++")
with open(PATH) as f:
    show("appended", f.read())
try:
    open(PATH, "x")
except FileExistsError as e:
    print("x mode:", type(e).__name__)

# FileIO directly.
raw = _io.FileIO(PATH, "w")
show("raw mode", raw.mode)
show("raw write", raw.write(b"0123456789"))
raw.close()
raw = _io.FileIO(PATH)
buf = bytearray(4)
show("readinto", raw.readinto(buf))
show("buf", buf)
show("raw read", raw.read(3))
show("raw readall", raw.readall())
show("raw seekable", raw.seekable())
show("raw isatty", raw.isatty())
show("fileno is int", isinstance(raw.fileno(), int))
raw.close()
show("raw closed", raw.closed)

# Large data through the buffers.
big = bytes(range(256)) * 2000
with open(PATH, "wb") as f:
    f.write(big[:1000])
    f.write(big[1000:])
with open(PATH, "rb") as f:
    parts = []
    while True:
        chunk = f.read(7777)
        if not chunk:
            break
        parts.append(chunk)
    show("big equal", b"".join(parts) == big)
    show("chunks", len(parts))
with open(PATH, "rb", buffering=0) as f:
    show("unbuffered type", type(f).__name__)
    show("unbuffered all", f.read() == big)
text = "".join("line %d: %s\n" % (i, "ü" * (i % 7)) for i in range(3000))
with open(PATH, "w") as f:
    f.write(text)
with open(PATH) as f:
    lines = f.readlines()
    show("text lines", len(lines))
    show("text equal", "".join(lines) == text)

# Errors: closed files and wrong modes.
f = open(PATH)
f.close()
for call in (lambda: f.read(), lambda: f.write("x"), lambda: f.readline()):
    try:
        call()
    except ValueError as e:
        print("closed:", type(e).__name__, e)
with open(PATH) as f:
    try:
        f.write("x")
    except _io.UnsupportedOperation as e:
        print("write on read-only:", e, isinstance(e, OSError), isinstance(e, ValueError))
with open(PATH, "w") as f:
    try:
        f.read()
    except _io.UnsupportedOperation as e:
        print("read on write-only:", e)
with open(PATH, "wb") as f:
    try:
        f.write("text")
    except TypeError as e:
        print("str to binary:", e)
try:
    open(PATH, "rw")
except ValueError as e:
    print("bad mode:", e)
try:
    open(PATH, "rb", encoding="utf-8")
except ValueError as e:
    print("binary encoding:", e)
try:
    open("/tmp/pyrite-io-test-does-not-exist/x")
except FileNotFoundError as e:
    print("missing:", type(e).__name__)

# BytesIO
b = _io.BytesIO(b"abc\ndef\n")
show("bio readline", b.readline())
show("bio read", b.read())
b.seek(10)
b.write(b"Z")
show("bio gap", b.getvalue())
b.seek(0)
show("bio lines", b.readlines())
show("bio truncate", b.truncate(3))
show("bio value", b.getvalue())
b.close()
try:
    b.getvalue()
except ValueError as e:
    print("bio closed:", e)

# StringIO
s = _io.StringIO("one\ntwo\nthree")
show("sio lines", list(s))
s = _io.StringIO()
print("a", 1, sep="|", end="!\n", file=s)
print("b", file=s)
show("sio print", s.getvalue())
s.seek(0)
show("sio read", s.read(3))
show("sio tell", s.tell())
s = _io.StringIO("a\r\nb\rc\n", newline=None)
show("sio universal", s.getvalue())
s = _io.StringIO(newline="")
s.write("a\r\nb\rc\n")
show("sio newline='' lines", s.readlines() or (s.seek(0), s.readlines())[1])
try:
    _io.StringIO().write(b"x")
except TypeError as e:
    print("sio bytes:", e)

# Subclassing the abstract bases from Python.
class Upper(_io._RawIOBase):
    def __init__(self, data):
        self.data = data
    def readable(self):
        return True
    def readinto(self, b):
        n = min(len(b), len(self.data))
        b[:n] = self.data[:n]
        self.data = self.data[n:]
        return n

r = _io.BufferedReader(Upper(b"xy\nzw\n"))
show("custom raw", r.read())
t = _io.TextIOWrapper(_io.BytesIO(b"p\nq\n"), encoding="ascii")
show("wrapper over BytesIO", t.readlines())

print("io_basic: ok")
