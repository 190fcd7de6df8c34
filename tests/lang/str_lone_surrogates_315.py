# requires: 3.15
# Lone surrogates in t-string parts, and in docstrings (which CPython 3.13+ cleans as UTF-8 at
# compile time, so compiling one raises UnicodeEncodeError).
x = 7
t = t'\ud800{x}\udfff{x=}\udc00'
print(ascii(t.strings), [i.value for i in t.interpolations])
print(ascii(t'{x:>3}\udbff'.strings))

for src in ['def f():\n    "doc\\ud801"\n', 'class C:\n    "doc\\udc00"\n', '"mod\\ud801"\n',
            'x = 1\n"not a docstring\\ud801"\n', 'def f():\n    "d\\ufffd"\nprint(ascii(f.__doc__))\n']:
    try:
        exec(compile(src, "<s>", "exec"), {})
        print("compiled")
    except UnicodeEncodeError as e:
        print(type(e).__name__, e)

import ast
tree = ast.parse("t'a\\ud800{x}'")
print([ascii(v.value) for v in tree.body[0].value.values if isinstance(v, ast.Constant)])
print("str_lone_surrogates_315: ok")
