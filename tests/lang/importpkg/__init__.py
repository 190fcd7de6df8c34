"""A package for tests/lang/imports.py."""
from .helper import double
VALUE = double(21)
