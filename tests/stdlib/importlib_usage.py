# importlib on top of the runtime's import system: import_module, find_spec, specs and
# loaders of imported modules, module_from_spec/exec_module, reload, a custom meta-path
# finder, importlib.metadata on a distribution in a temporary directory, warnings from
# importlib, _imp basics.
import importlib
import importlib.util
import importlib.machinery
import os
import sys
import tempfile

json = importlib.import_module("json")
print("import_module:", json.__name__, json is sys.modules["json"])
dec = importlib.import_module(".decoder", "json")
print("relative:", dec.__name__)
try:
    importlib.import_module("no_such_module_xyz")
except ModuleNotFoundError as e:
    print("missing:", type(e).__name__, e.name)

spec = importlib.util.find_spec("json")
print("find_spec:", spec.name, type(spec.loader).__name__, spec.submodule_search_locations is not None)
print("origin ok:", spec.origin.endswith(os.path.join("json", "__init__.py")))
print("builtin spec:", importlib.util.find_spec("sys").origin, type(sys.__spec__.loader).__name__ if not isinstance(sys.__spec__.loader, type) else sys.__spec__.loader.__name__)
print("find_spec missing:", importlib.util.find_spec("no_such_module_xyz"))

# Modules imported before importlib got specs too.
import os as _os
print("os spec:", _os.__spec__.name, _os.__loader__ is _os.__spec__.loader is not None)
print("json loader:", type(json.__loader__).__name__, json.__spec__.parent)

with tempfile.TemporaryDirectory() as d:
    path = os.path.join(d, "plugin_mod.py")
    with open(path, "w") as f:
        f.write("VALUE = 41\ndef bump():\n    return VALUE + 1\n")
    spec = importlib.util.spec_from_file_location("plugin_mod", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    print("exec_module:", mod.VALUE, mod.bump(), mod.__spec__.name, mod.__file__ == path)

    sys.path.insert(0, d)
    try:
        import plugin_mod
        print("imported:", plugin_mod.VALUE, plugin_mod.__spec__.origin == path)
        with open(path, "w") as f:
            f.write("VALUE = 100\n")
        importlib.invalidate_caches()
        plugin_mod = importlib.reload(plugin_mod)
        print("reloaded:", plugin_mod.VALUE)

        os.mkdir(os.path.join(d, "pkg_a"))
        with open(os.path.join(d, "pkg_a", "__init__.py"), "w") as f:
            f.write("from . import sub\n")
        with open(os.path.join(d, "pkg_a", "sub.py"), "w") as f:
            f.write("NAME = __name__\nPKG = __package__\n")
        import pkg_a
        print("package:", pkg_a.sub.NAME, pkg_a.sub.PKG, pkg_a.__spec__.submodule_search_locations == [os.path.join(d, "pkg_a")])

        # A distribution for importlib.metadata.
        dist = os.path.join(d, "demo_dist-1.2.3.dist-info")
        os.mkdir(dist)
        with open(os.path.join(dist, "METADATA"), "w") as f:
            f.write("Metadata-Version: 2.1\nName: demo-dist\nVersion: 1.2.3\nSummary: A demo\nRequires-Dist: json5 ; extra == 'x'\n")
        with open(os.path.join(dist, "entry_points.txt"), "w") as f:
            f.write("[console_scripts]\ndemo = plugin_mod:bump\n")
        import importlib.metadata as md
        print("metadata version:", md.version("demo-dist"))
        meta = md.metadata("demo-dist")
        print("metadata:", meta["Name"], meta["Summary"])
        print("requires:", md.requires("demo-dist"))
        eps = md.entry_points(group="console_scripts", name="demo")
        print("entry points:", [(ep.name, ep.value) for ep in eps])
        try:
            md.version("no-such-dist-xyz")
        except md.PackageNotFoundError as e:
            print("not found:", type(e).__name__)
    finally:
        sys.path.remove(d)


class VirtualFinder:
    """A meta-path finder that serves modules from a dict of sources."""
    sources = {"virtual_mod": "ANSWER = 42\n", "virtual_pkg": "", "virtual_pkg.leaf": "X = 'leaf'\n"}

    @classmethod
    def find_spec(cls, name, path=None, target=None):
        if name not in cls.sources:
            return None
        is_pkg = name == "virtual_pkg"
        return importlib.util.spec_from_loader(name, cls(), is_package=is_pkg)

    def create_module(self, spec):
        return None

    def exec_module(self, module):
        exec(self.sources[module.__name__], module.__dict__)


sys.meta_path.insert(0, VirtualFinder)
try:
    import virtual_mod
    print("meta_path finder:", virtual_mod.ANSWER, type(virtual_mod.__loader__).__name__)
    from virtual_pkg import leaf
    print("virtual package:", leaf.X, leaf.__name__)
    import textwrap  # a normal import while a custom finder is installed
    print("normal import still works:", textwrap.dedent("  x").strip())
finally:
    sys.meta_path.remove(VirtualFinder)

import _imp
print("_imp:", _imp.is_builtin("sys") != 0, _imp.is_builtin("no_such_xyz"), _imp.lock_held())
_imp.acquire_lock()
print("lock held:", _imp.lock_held())
_imp.release_lock()
try:
    _imp.release_lock()
except RuntimeError as e:
    print("release unheld:", e)
print("source_hash:", _imp.source_hash(42, b"hi"), _imp.source_hash(key=43, source=b"hi"))
print("suffixes:", ".abi3.so" in _imp.extension_suffixes(), ".so" in importlib.machinery.EXTENSION_SUFFIXES)

import warnings
with warnings.catch_warnings(record=True) as w:
    warnings.simplefilter("always")
    import _warnings
    _warnings.warn("from _warnings", DeprecationWarning)
    print("_warnings.warn recorded:", [(x.category.__name__, str(x.message)) for x in w])
with warnings.catch_warnings():
    warnings.simplefilter("error")
    try:
        _warnings.warn("boom", UserWarning)
    except UserWarning as e:
        print("error filter:", e)
print("importlib_usage: ok")
