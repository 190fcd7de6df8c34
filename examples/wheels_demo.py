"""Real, unmodified wheels from PyPI (Rust extensions built with PyO3 for CPython's Stable ABI):
hash and check a password with bcrypt, clean HTML with nh3, parse a query string with
fast_query_parsers."""
import sys

import bcrypt
import fast_query_parsers
import nh3

print("running on", sys.implementation.name)
salt = b"$2b$04$abcdefghijklmnopqrstuu"
hashed = bcrypt.hashpw(b"correct horse battery staple", salt)
print("bcrypt:", hashed.decode(), bcrypt.checkpw(b"correct horse battery staple", hashed))
print("nh3:", nh3.clean("<b>bold</b><script>alert(1)</script><a href='javascript:x'>link</a>"))
print("fast_query_parsers:", fast_query_parsers.parse_url_encoded_dict(b"a=1&b=true&a=2", True))
