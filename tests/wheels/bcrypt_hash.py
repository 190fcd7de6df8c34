# wheel: bcrypt==5.0.0 (cp39-abi3, Rust/PyO3)
# Hash a password, check it, and derive a key — with fixed salts, so the output is exact.
import bcrypt

password = b"correct horse battery staple"
hashed = bcrypt.hashpw(password, bcrypt.gensalt(rounds=4))
print(hashed[:7], len(hashed))
print(bcrypt.checkpw(password, hashed), bcrypt.checkpw(b"wrong", hashed))
print(bcrypt.hashpw(b"abc", b"$2b$04$abcdefghijklmnopqrstuu"))
print(bcrypt.checkpw(b"abc", b"$2b$04$abcdefghijklmnopqrstuuCi15uRb1eH7NAlJ/TgeJertyknQpYn2"))
print(bcrypt.kdf(password=b"pw", salt=b"salt", desired_key_bytes=16, rounds=50).hex())
for bad in [lambda: bcrypt.hashpw("text", bcrypt.gensalt()), lambda: bcrypt.hashpw(b"x", b"not a salt"), lambda: bcrypt.gensalt(rounds=2)]:
    try:
        bad()
    except (TypeError, ValueError) as e:
        print(type(e).__name__, e)
print(bcrypt.__version__, bcrypt.__title__)
