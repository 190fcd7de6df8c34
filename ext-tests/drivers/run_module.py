"""Runs an ext-test module's test_* functions on the interpreter running this script.

Usage: python run_module.py PATH/TO/module.abi3.so MODULE_NAME [REPEAT]

The same compiled module runs on CPython (proving the test right) and on Pyrite (proving
the runtime right). Until Pyrite runs Python source, ext-tests/harness.rs does on Pyrite
what this script does on CPython.
"""
import importlib.machinery
import importlib.util
import sys


def load(path, name):
    loader = importlib.machinery.ExtensionFileLoader(name, path)
    spec = importlib.util.spec_from_file_location(name, path, loader=loader)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def expect_error(path, name, exc_name, fragment):
    """Importing the module must raise `exc_name` with `fragment` in its message."""
    try:
        load(path, name)
    except BaseException as e:  # noqa: BLE001 - any exception type may be the expected one
        assert type(e).__name__ == exc_name, f"expected {exc_name}, got {type(e).__name__}: {e}"
        assert fragment in str(e), f"{fragment!r} not in {str(e)!r}"
        print(f"{name}: import raised {type(e).__name__}: {e}")
        return
    raise AssertionError(f"importing {name} did not raise {exc_name}")


def main():
    if sys.argv[1] == "--expect-error":
        expect_error(*sys.argv[2:6])
        return
    path, name = sys.argv[1], sys.argv[2]
    repeat = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    m = load(path, name)
    tests = sorted(n for n in dir(m) if n.startswith("test_"))
    for _ in range(repeat):
        for t in tests:
            r = getattr(m, t)()
            assert r is None, f"{t} returned {r!r}"
    checks = getattr(m, "checks", None)
    if checks:
        checks(m)
    # Shared expectations for the objmodel module.
    if name == "objmodel":
        assert m.add_ints(2, 40) == 42
        try:
            m.add_ints("x", 1)
        except TypeError as e:
            assert str(e) == "'str' object cannot be interpreted as an integer", e
        else:
            raise AssertionError("add_ints('x', 1) did not raise")
        try:
            m.return_null_without_error()
        except SystemError as e:
            assert "returned NULL without setting an exception" in str(e), e
        else:
            raise AssertionError("NULL without an exception did not raise SystemError")
        c = m.make_containers()
        assert c == ([42, "text", 2.5], {"a": 1, "b": (2, 3)}, b"raw"), c
        assert m.store(c) == 1 and m.store("x") == 2
        m.release_stored()
        assert m.call_with(m.add_ints, 1, 2) == 3
    if name == "multiphase":
        assert m.created_by_create_slot() is True
        assert m.EXECUTED == "both exec slots ran in order"
        first = m.increment()
        assert m.increment() == first + 1
        assert m.kept() == ("kept", 7)
    print(f"{name}: {len(tests)} tests x{repeat} passed on {sys.implementation.name} {sys.version.split()[0]}")


if __name__ == "__main__":
    main()
