"""Python-level checks of the codec objects ext-tests/modules/codec_api.c gets through the
C API: stream codecs over Python streams, and a UnicodeDecodeError made in C."""
import codecs


class Sink:
    def __init__(self):
        self.data = []

    def write(self, b):
        self.data.append(b)


class Source:
    def __init__(self, data):
        self.data = data

    def read(self, size=-1):
        d, self.data = self.data, b""
        return d


def check(m):
    sink = Sink()
    w = m.stream_writer(sink)
    assert isinstance(w, codecs.StreamWriter), type(w)
    w.write("h\xe9")
    assert sink.data == [b"h\x00\xe9\x00"], sink.data
    r = m.stream_reader(Source(b"o\x00k\x00"))
    assert isinstance(r, codecs.StreamReader), type(r)
    assert r.read() == "ok"
    e = m.make_decode_error()
    assert type(e) is UnicodeDecodeError
    assert (e.encoding, e.object, e.start, e.end, e.reason) == ("ascii", b"a\x80", 1, 2, "ordinal not in range(128)"), e.args
    assert str(e) == "'ascii' codec can't decode byte 0x80 in position 1: ordinal not in range(128)", str(e)
    assert codecs.lookup("ext_test_upper")[0]("x") == ("X", 1)
