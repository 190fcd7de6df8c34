# zlib over miniz_oxide: one-shot and streaming (de)compression in the zlib, raw and gzip
# formats, max_length/unconsumed_tail, unused_data, checksums, and Lib/gzip on top.
import zlib, gzip, io
data = b"".join(b"line %d of some text\n" % i for i in range(2000))
for wbits in (15, 9, -15, 31, 25):
    c = zlib.compress(data, 6, wbits)
    print(wbits, zlib.decompress(c, wbits) == data, zlib.decompress(c, 47 if wbits > 0 else wbits) == data)
for level in range(-1, 10):
    assert zlib.decompress(zlib.compress(data, level)) == data
# CPython-made streams
print(zlib.decompress(b'x\x9c\xcbH\xcd\xc9\xc9\x07\x00\x06,\x02\x15'))
print(zlib.crc32(b"hello"), zlib.crc32(b"world", 123), zlib.adler32(b"hello"), zlib.adler32(data, 7))
co = zlib.compressobj(9, zlib.DEFLATED, 31)
parts = [co.compress(data[i:i+1000]) for i in range(0, len(data), 1000)]
parts.append(co.flush())
c = b"".join(parts)
print(gzip.decompress(c) == data)
d = zlib.decompressobj()
c = zlib.compress(data)
out = d.decompress(c, 100)
print(len(out), len(d.unconsumed_tail) > 0, d.eof)
while d.unconsumed_tail:
    out += d.decompress(d.unconsumed_tail, 1000)
print(out == data, d.eof, d.unused_data)
d = zlib.decompressobj()
r = b"".join(d.decompress(c[i:i+7]) for i in range(0, len(c), 7))
print(r == data, d.eof)
d = zlib.decompressobj()
print(d.decompress(c + b"extra") == data, d.unused_data, d.eof)
for bad in (b"abcdef", c[:-3]):
    try: zlib.decompress(bad)
    except zlib.error as e: print("error", e)
print(gzip.decompress(gzip.compress(data)) == data)
buf = io.BytesIO()
with gzip.GzipFile(fileobj=buf, mode="wb", mtime=0) as f:
    f.write(data); f.write(b"tail")
buf.seek(0)
with gzip.GzipFile(fileobj=buf) as f:
    print(f.read() == data + b"tail")
co = zlib.compressobj(); s = co.compress(b"abc"); s += co.flush(zlib.Z_SYNC_FLUSH); cp = co.copy(); s2 = s + cp.flush(); s += co.compress(b"def") + co.flush()
print(zlib.decompress(s), zlib.decompress(s2))
try: co.compress(b"x")
except zlib.error as e: print(e)
print(zlib.MAX_WBITS, zlib.Z_BEST_COMPRESSION, zlib.DEF_BUF_SIZE)
# Streams made by C zlib decompress the same.
print(zlib.decompress(b'x\xda\xcbH\xcd\xc9\xc9W(\xcf/\xcaI\x01\x00\x1a\x0b\x04]'))
print(zlib.decompress(b'\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff\xcbH\xcd\xc9\xc9\x07\x00\x86\xa6\x106\x05\x00\x00\x00', 31))
c = zlib.compress(data)
d = zlib.decompressobj()
first = d.decompress(c, 10)
print(first, len(first) + len(d.flush()) == len(data))
try:
    zlib.decompressobj().decompress(b"not zlib data")
except zlib.error as e:
    print(e)
print("zlib_roundtrip: ok")
