"""Pyrite's main job on a real example: Python code importing a compiled abi3 extension.

`objmodel` (ext-tests/modules/objmodel.c) is built against CPython 3.8's headers with
Py_LIMITED_API=3.2, the way an old wheel is, and is loaded into Pyrite unchanged. The same
script runs on CPython for comparison: `python3 examples/objmodel_demo.py`.
"""
import sys
import objmodel

print(f"running on {sys.implementation.name}, objmodel built for Py_LIMITED_API={objmodel.LIMITED_API:#x}")

# Objects cross the boundary in both directions, with exact reference counts.
total = 0
for i in [1, 2, 3]:
    total = objmodel.add_ints(total, i * 10)
print("add_ints:", total)

lists, mapping, raw = objmodel.make_containers()
print("make_containers:", lists, mapping, raw)

count = objmodel.store({"kept": [1, 2, 3]})
print("stored objects:", count)
objmodel.release_stored()

# The extension calls back into Python.
def combine(a, b, *, sep="-"):
    return f"{a}{sep}{b}"

print("call_with:", objmodel.call_with(combine, "left", "right"))

# Errors raised in C arrive as Python exceptions, with CPython's messages.
try:
    objmodel.add_ints("not a number", 1)
except TypeError as e:
    print("TypeError:", e)

try:
    objmodel.return_null_without_error()
except SystemError as e:
    print("SystemError:", e)

# The extension's own conformance checks run on the runtime's objects.
for name in ["test_mortal_refcounts", "test_singletons", "test_type_identity", "test_containers", "test_strings"]:
    getattr(objmodel, name)()
print("conformance checks passed")
