# sys.stdout/stderr are _io.TextIOWrapper objects; print goes through them; buffered data
# is flushed when a file object dies and at exit.
import _io
import sys

PATH = "/tmp/pyrite-io-test-stdout.txt"

print("stdout type:", type(sys.stdout).__name__, isinstance(sys.stdout, _io.TextIOWrapper))
print("stderr type:", type(sys.stderr).__name__)
print("stdout is original:", sys.stdout is sys.__stdout__)
print("stdout fileno:", sys.stdout.fileno(), "stderr fileno:", sys.stderr.fileno())
print("stdout mode:", sys.stdout.mode, "encoding:", sys.stdout.encoding)
print("stderr errors:", sys.stderr.errors)
n = sys.stdout.write("written directly\n")
print("write returned", n)
sys.stdout.flush()
sys.stdout.buffer.write(b"through the buffer\n")
print("flushed print", flush=True)

# print to any object with write().
class Recorder:
    def __init__(self):
        self.calls = []
    def write(self, s):
        self.calls.append(s)
r = Recorder()
print("a", "b", 3, sep=", ", end=".\n", file=r)
print("calls:", r.calls)
print(file=r)
print("after empty print:", r.calls[-1:])

# An unclosed file's buffered data is written when the object dies.
f = open(PATH, "w")
f.write("kept when the file object dies\n")
del f
with open(PATH) as g:
    print("read back:", g.read(), end="")

# Replacing sys.stdout redirects print.
saved = sys.stdout
sys.stdout = buf = _io.StringIO()
print("captured")
sys.stdout = saved
print("captured text:", repr(buf.getvalue()))

# Not flushed explicitly: must still appear at exit.
print("io_stdout: ok", end="")
print()
