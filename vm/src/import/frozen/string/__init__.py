"""Pyrite's built-in `string` package: only `string.templatelib` so far."""
__path__ = []
