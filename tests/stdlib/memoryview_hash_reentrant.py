# requires: 3.15
# hash(memoryview) calls the exporter's __hash__; code there must not be able to release the
# view (and free its bytes) while the hash is being computed (CPython gh-142664).
import array


class E(array.array):
    def __hash__(self):
        mv.release()
        return 123


v = E('B', b'A' * 4096)
mv = memoryview(v).toreadonly()
for f in (lambda: hash(mv), mv.__hash__):
    try:
        f()
        print("no error")
    except BufferError as e:
        print("BufferError", e)

# The view still works afterwards, and hashes as its bytes once the exporter is hashable.
print(mv.tobytes()[:3])
print(hash(memoryview(b"abcdef")) == hash(b"abcdef"))
print(hash(memoryview(b"")) == hash(b""))
try:
    hash(memoryview(array.array('b')).toreadonly())
except TypeError as e:
    print("TypeError", e)
print("memoryview_hash_reentrant: ok")
