# wheel: fast_query_parsers==1.0.3 (cp38-abi3, Rust/PyO3): parse query strings.
import fast_query_parsers as f

print(f.parse_query_string(b"a=1&b=2&a=3", "&"))
print(f.parse_query_string(b"x=%20y&z=caf%C3%A9&empty=", "&"))
print(f.parse_url_encoded_dict(b"a=1&b=2&a=3&c=true&d=null&e=1.5", True))
print(f.parse_url_encoded_dict(b"a=1&b=2&a=3&c=true&d=null&e=1.5", False))
print(f.parse_query_string(b"", "&"))
