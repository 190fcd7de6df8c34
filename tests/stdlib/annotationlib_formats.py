# requires: 3.15
# annotationlib over PEP 649/749 lazily evaluated annotations (functions, classes, modules):
# get_annotations with the VALUE and FORWARDREF formats, ForwardRef, type_repr. (The STRING
# format of non-trivial annotations needs ast.unparse -> contextlib -> inspect -> _opcode.)
import annotationlib
from annotationlib import Format, ForwardRef, get_annotations, call_annotate_function
import typing

print(list(Format), Format.VALUE)

def early(a: int, c: NotYet = 1) -> None | int:
    pass

fr = get_annotations(early, format=Format.FORWARDREF)
print(fr["a"], type(fr["c"]).__name__, fr["c"].__forward_arg__, fr["return"])

def f(a: int, b: "str" = "x", *args: list[int], c: Undefined = 1, **kw: dict[str, int]) -> None | int:
    pass

print(f.__annotate__ is not None, callable(f.__annotate__))
try:
    get_annotations(f)
except NameError as e:
    print("NameError:", e)

class Undefined:
    pass

print(get_annotations(f)["c"] is Undefined)

class C:
    x: int
    y: "list[C]"
    z: Missing

    def m(self, q: C) -> C:
        return q

print(get_annotations(C.m))
print(C.__annotate__(Format.VALUE_WITH_FAKE_GLOBALS) if False else "fake globals skipped")
try:
    C.__annotations__
except NameError as e:
    print("NameError:", e)

class D:
    a: int = 3
    b: str

print(D.__annotations__, get_annotations(D, format=Format.VALUE), D.__annotate__(1))
print(annotationlib.type_repr(int), annotationlib.type_repr(list[int]), annotationlib.type_repr(...), annotationlib.type_repr(None))

ref = ForwardRef("int")
print(ref, ref.evaluate(), ForwardRef("typing.List[int]").evaluate(globals={"typing": typing}))
print(typing.get_type_hints(f.__wrapped__ if hasattr(f, "__wrapped__") else D))

print(typing.evaluate_forward_ref(ForwardRef("list[int]")))

import types
m = types.ModuleType("mod")
exec("x: int = 1\ny: 'str'\n", m.__dict__)
print(get_annotations(m), m.__annotations__)
print("annotationlib_formats: ok")
