# Imports: packages, submodules, relative imports, `from ... import`, aliases, `import *`,
# sys.modules caching, and CPython's errors for missing modules and names.
import sys
import importpkg
import importpkg.sub
from importpkg import helper as h, VALUE
from importpkg.sub import twice, LEVEL
from importpkg.helper import *

assert importpkg.VALUE == 42 and VALUE == 42
assert importpkg.sub.LEVEL == "sub" and LEVEL == "sub"
assert twice(4) == 8 and double(5) == 10 and h.double(1) == 2
assert sys.modules["importpkg.helper"] is h
assert importpkg.__name__ == "importpkg" and importpkg.sub.__name__ == "importpkg.sub"

try:
    import no_such_module_here
except ModuleNotFoundError as e:
    assert str(e) == "No module named 'no_such_module_here'" and e.name == "no_such_module_here"
else:
    raise AssertionError("ModuleNotFoundError expected")

try:
    from importpkg import missing_name
except ImportError as e:
    assert str(e).startswith("cannot import name 'missing_name' from 'importpkg'")
else:
    raise AssertionError("ImportError expected")
print("imports: ok")
