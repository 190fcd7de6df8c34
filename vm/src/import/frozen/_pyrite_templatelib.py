"""The types of template string literals (t-strings), PEP 750, as the VM makes them; their
__module__ is string.templatelib, where CPython's Lib/ (or Pyrite's fallback) exposes them."""

__all__ = ["Interpolation", "Template", "convert"]


def convert(obj, /, conversion):
    if conversion is None:
        return obj
    if conversion == "r":
        return repr(obj)
    if conversion == "s":
        return str(obj)
    if conversion == "a":
        return ascii(obj)
    raise ValueError(f"Bad conversion character: {conversion!r}")


class Interpolation:
    __module__ = "string.templatelib"
    __slots__ = ("value", "expression", "conversion", "format_spec")
    __match_args__ = ("value", "expression", "conversion", "format_spec")

    def __new__(cls, value, expression="", conversion=None, format_spec=""):
        if not isinstance(expression, str):
            raise TypeError(f"Interpolation() argument 'expression' must be str, not {type(expression).__name__}")
        if conversion is not None and conversion not in ("a", "r", "s"):
            raise ValueError("Interpolation() argument 'conversion' must be one of 's', 'a' or 'r'")
        if not isinstance(format_spec, str):
            raise TypeError(f"Interpolation() argument 'format_spec' must be str, not {type(format_spec).__name__}")
        self = object.__new__(cls)
        object.__setattr__(self, "value", value)
        object.__setattr__(self, "expression", expression)
        object.__setattr__(self, "conversion", conversion)
        object.__setattr__(self, "format_spec", format_spec)
        return self

    def __setattr__(self, name, value):
        raise AttributeError("readonly attribute")

    def __repr__(self):
        return f"Interpolation({self.value!r}, {self.expression!r}, {self.conversion!r}, {self.format_spec!r})"


def _template_parts(args):
    strings = []
    interpolations = []
    last_was_str = False
    for a in args:
        if isinstance(a, str):
            if last_was_str:
                strings[-1] += a
            else:
                strings.append(a)
            last_was_str = True
        elif isinstance(a, Interpolation):
            if not last_was_str:
                strings.append("")
            interpolations.append(a)
            last_was_str = False
        else:
            raise TypeError(f"Template.__new__ *args need to be of type 'str' or 'Interpolation', got {type(a).__name__}")
    if not last_was_str:
        strings.append("")
    return tuple(strings), tuple(interpolations)


class Template:
    __module__ = "string.templatelib"
    __slots__ = ("strings", "interpolations")

    def __new__(cls, *args):
        strings, interpolations = _template_parts(args)
        return cls._make(strings, interpolations)

    @classmethod
    def _make(cls, strings, interpolations):
        self = object.__new__(cls)
        object.__setattr__(self, "strings", strings)
        object.__setattr__(self, "interpolations", interpolations)
        return self

    def __setattr__(self, name, value):
        raise AttributeError("readonly attribute")

    @property
    def values(self):
        return tuple(i.value for i in self.interpolations)

    def __iter__(self):
        for i, s in enumerate(self.strings):
            if s:
                yield s
            if i < len(self.interpolations):
                yield self.interpolations[i]

    def __add__(self, other):
        if isinstance(other, Template):
            strings = self.strings[:-1] + (self.strings[-1] + other.strings[0],) + other.strings[1:]
            return Template._make(strings, self.interpolations + other.interpolations)
        return NotImplemented

    def __radd__(self, other):
        return NotImplemented

    def __repr__(self):
        return f"Template(strings={self.strings!r}, interpolations={self.interpolations!r})"


def _build(strings, interpolations):
    return Template._make(strings, interpolations)


def _interpolation(value, expression, conversion, format_spec):
    return Interpolation(value, expression, conversion, format_spec)
