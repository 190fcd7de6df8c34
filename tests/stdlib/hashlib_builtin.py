# hashlib through the built-in _md5/_sha1/_sha2/_sha3/_blake2 modules (no OpenSSL), hmac
# on top of them, and _operator._compare_digest.
import hashlib, hmac
for n in sorted(hashlib.algorithms_guaranteed):
    h = hashlib.new(n, b"abc")
    if n.startswith("shake"):
        print(n, h.name, h.digest_size, h.block_size, h.hexdigest(20))
    else:
        print(n, h.name, h.digest_size, h.block_size, h.hexdigest())
print(hashlib.blake2b(b"abc", digest_size=20, key=b"k", salt=b"s", person=b"p").hexdigest())
print(hashlib.blake2s(b"abc", digest_size=20, key=b"k", salt=b"s", person=b"p", fanout=2, depth=3, leaf_size=5, node_offset=7, node_depth=1, inner_size=9, last_node=True).hexdigest())
print(hashlib.blake2b(b"x"*300, fanout=2, depth=3, leaf_size=5, node_offset=7, node_depth=1, inner_size=9, last_node=True).hexdigest())
print(hmac.new(b"key", b"msg", "sha256").hexdigest())
print(hmac.new(b"key"*50, b"msg", hashlib.md5).hexdigest())
print(hmac.compare_digest(b"a", b"a"), hmac.compare_digest("a", "b"))
m = hashlib.sha512(); m.update(b"a"*1000); c = m.copy(); c.update(b"b"); print(m.hexdigest()[:16], c.hexdigest()[:16])
import io
print(hashlib.file_digest(io.BytesIO(b"hello"*10000), "sha1").hexdigest())
print(hashlib.sha3_256(b"x"*1000).hexdigest())
print(hashlib.shake_256(b"x"*1000).hexdigest(100))
print(hashlib.blake2s(b"").hexdigest(), hashlib.blake2b(b"a"*128).hexdigest())
print(hashlib.blake2b(b"a"*129, key=b"z"*64).hexdigest())
for bad in ("x", 1):
    try:
        hashlib.sha256(bad)
    except TypeError as e:
        print("TypeError", e)
for args in [dict(digest_size=0), dict(key=b"x" * 65), dict(salt=b"x" * 17), dict(person=b"x" * 17), dict(depth=0)]:
    try:
        hashlib.blake2b(**args)
    except ValueError:
        print("ValueError", sorted(args))
print(hashlib.blake2b.SALT_SIZE, hashlib.blake2s.MAX_DIGEST_SIZE, hashlib.blake2b().name)
h = hashlib.md5(b"ab")
h.update(bytearray(b"c"))
h.update(memoryview(b"def"))
print(h.hexdigest(), hashlib.md5(b"abcdef").hexdigest())
print(hmac.digest(b"k", b"m", "sha1").hex())
mac = hmac.new(b"secret", digestmod="sha3_256")
mac.update(b"part1")
mac2 = mac.copy()
mac2.update(b"part2")
print(mac.name, mac.digest_size, mac.hexdigest(), mac2.hexdigest())
try:
    hmac.compare_digest("é", "é")
except TypeError as e:
    print("TypeError", e)
try:
    hashlib.new("nope")
except ValueError:
    print("ValueError for an unknown algorithm")
print("hashlib_builtin: ok")
