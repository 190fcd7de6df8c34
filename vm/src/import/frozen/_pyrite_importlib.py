"""Pyrite's bridge between its own import system and CPython's importlib.

The import statement is served by the runtime's native finder (vm/src/import/mod.rs) as long
as the import configuration is the default one: built-in modules, then the entries of sys.path
(packages, extension modules, source files) -- what CPython's default sys.meta_path finds, in
the same order. importlib itself is CPython's Lib/importlib, unmodified. When it is first
imported, the runtime calls install(), which completes what CPython does at startup
(_bootstrap._install and _bootstrap_external._install) and gives the modules imported so far
their specs. From then on, modules the native finder loads get their spec from spec_for(), and
as soon as a program changes sys.meta_path or sys.path_hooks, the runtime hands every import
that misses sys.modules to importlib (see uses_custom_finders()).
"""

import sys
from importlib import _bootstrap, _bootstrap_external

_default_meta_path = ()
_default_path_hooks = ()


def install():
    global _default_meta_path, _default_path_hooks
    sys.modules.setdefault('_frozen_importlib', _bootstrap)
    sys.modules.setdefault('_frozen_importlib_external', _bootstrap_external)
    hooks_before = list(sys.path_hooks)
    for finder in (_bootstrap.BuiltinImporter, _bootstrap.FrozenImporter):
        if finder not in sys.meta_path:
            sys.meta_path.append(finder)
    if _bootstrap_external.PathFinder not in sys.meta_path:
        _bootstrap_external._install(_bootstrap)
    try:
        import zipimport
    except ImportError:
        pass
    else:
        if zipimport.zipimporter not in sys.path_hooks:
            sys.path_hooks.insert(0, zipimport.zipimporter)
    # Only what this installation added is "default": finders a program put there before
    # importlib was imported still send imports through importlib.
    _default_meta_path = (_bootstrap.BuiltinImporter, _bootstrap.FrozenImporter,
                          _bootstrap_external.PathFinder)
    _default_path_hooks = tuple(h for h in sys.path_hooks if h not in hooks_before)
    module_type = type(sys)
    for name, module in list(sys.modules.items()):
        if name == '__main__' or not isinstance(module, module_type):
            continue
        spec = getattr(module, '__spec__', None)
        # The runtime's finder gives extension modules a stand-in spec (a plain module).
        if spec is None or isinstance(spec, module_type):
            _give_spec(name, module)


def _give_spec(name, module):
    """A spec for a module imported before importlib, found the way the native finder did."""
    file = getattr(module, '__file__', None)
    if not isinstance(file, str):
        return
    path = getattr(module, '__path__', None)
    spec = spec_for(name, file, path is not None)
    if spec is None:
        return
    module.__spec__ = spec
    if getattr(module, '__loader__', None) is None:
        module.__loader__ = spec.loader


def spec_for(name, file, is_package):
    """The spec of module `name` loaded from `file` (a package's __init__.py if is_package)."""
    locations = [_bootstrap_external._path_split(file)[0]] if is_package else None
    return _bootstrap_external.spec_from_file_location(
        name, file, submodule_search_locations=locations)


def uses_custom_finders():
    """Whether the program changed sys.meta_path or sys.path_hooks since install()."""
    return (tuple(sys.meta_path) != _default_meta_path
            or tuple(sys.path_hooks) != _default_path_hooks)


def find_and_load(name):
    """Imports `name` (absolute, dotted) through importlib's finders."""
    return _bootstrap._gcd_import(name)
