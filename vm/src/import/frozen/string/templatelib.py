"""Support for template string literals (t-strings), PEP 750: Pyrite's fallback when CPython's
Lib/ is not on sys.path (the types themselves live in the frozen _pyrite_templatelib)."""

from _pyrite_templatelib import Interpolation, Template, convert

__all__ = ["Interpolation", "Template", "convert"]
