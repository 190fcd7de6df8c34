# wheel: cryptography==50.0.2 abi3t (cp315-abi3.abi3t, Rust/PyO3, PEP 793 module and PyType_FromSlots)
# Imports the _rust extension through its .abi3t.so. Its initialization creates the PyO3
# classes and submodules, then imports `_cffi_backend`, which only the CPython-version-specific
# cffi wheels provide (no abi3 build exists), so the import ends there on CPython 3.15 too:
# the recorded output (cryptography_abi3t.out) is CPython 3.15's with no cffi installed.
import sys

try:
    import cryptography.hazmat.bindings._rust
except ImportError as e:
    print(type(e).__name__, e, e.name)
print(sorted(k for k in sys.modules if k.startswith("cryptography")))
import cryptography

print(cryptography.__version__)
