# re over bytes-like subjects: groups come back as bytes, and a bytearray that shrank after
# the match slices short instead of failing.
import re

m = re.match(b"(a)(b)", bytearray(b"abc"))
print(repr(m.group()), repr(m.group(2)), m.span(1))
ba = bytearray(b"xyzabc")
m = re.search(b"abc", ba)
del ba[:]
print(repr(m.group()), repr(m[0]))
m = re.search(b"abc", memoryview(b"xxabc"))
print(repr(m.group()), m.start())
print("re_bytes_subjects: ok")
