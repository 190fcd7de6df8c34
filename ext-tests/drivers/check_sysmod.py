"""Python-level checks of ext-tests/modules/sysmod.c: PyFile_* against file-like objects."""
import sys


class Out:
    def __init__(self):
        self.parts = []

    def write(self, s):
        self.parts.append(s)


class Lines:
    def __init__(self, *lines):
        self.lines = list(lines)
        self.sizes = []

    def readline(self, *size):
        self.sizes.append(size)
        return self.lines.pop(0) if self.lines else self.lines.__class__.__name__[:0]


def check(m):
    out = Out()
    m.write_to(out, "h\xe9")
    assert out.parts == ["s:", "h\xe9", "|", "'h\xe9'"], out.parts
    f = Lines("one\n", b"two\n", "three\n", "")
    assert m.getline(f, 0) == "one\n"
    assert m.getline(f, -1) == b"two"
    assert m.getline(f, 4) == "three\n"
    assert f.sizes == [(), (), (4,)], f.sizes
    try:
        m.getline(f, -1)
    except EOFError as e:
        assert str(e) == "EOF when reading a line", e
    else:
        raise AssertionError("no EOFError")
    try:
        m.getline(Lines(5), 0)
    except TypeError as e:
        if sys.version_info >= (3, 15):
            assert str(e) == "check_sysmod.Lines.readline() must return a str, not int", e
        else:
            assert str(e) == "object.readline() returned non-string", e
    else:
        raise AssertionError("no TypeError")
