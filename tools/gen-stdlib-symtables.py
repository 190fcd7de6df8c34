#!/usr/bin/env python3
"""Writes target/stdlib_symtables.jsonl: CPython 3.15's symbol tables for every UTF-8 `.py`
file of its standard library and test suite that compiles (about 1,900 files, 180 MB, so it
is generated, not committed). `stdlib_symbol_tables_match_cpython` in vm/tests/symtable.rs
compares Pyrite's tables with them when the file exists:

    /work/shared/tools/cpython-ref python3.15 tools/gen-stdlib-symtables.py

Each line: {"path": <relative to the stdlib>, "table": <as tools/gen-symtable-cases.py dumps
it>}. CPython inlines list/set/dict comprehensions (PEP 709) and Pyrite does not; the test
accounts for that (see there).
"""
import importlib.util
import json
import os
import symtable
import sysconfig

here = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("gen", os.path.join(here, "gen-symtable-cases.py"))
gen = importlib.util.module_from_spec(spec)
spec.loader.exec_module(gen)

root = sysconfig.get_paths()["stdlib"]
os.makedirs(os.path.join(here, "..", "target"), exist_ok=True)
with open(os.path.join(here, "..", "target", "stdlib_symtables.jsonl"), "w") as out:
    count = 0
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in sorted(filenames):
            if not name.endswith(".py"):
                continue
            path = os.path.join(dirpath, name)
            try:
                with open(path, encoding="utf-8") as f:
                    source = f.read()
                if source.startswith("\ufeff"):
                    continue
                compile(source, path, "exec")
                table = gen.dump(symtable.symtable(source, path, "exec"))
            except (SyntaxError, UnicodeDecodeError, OSError, ValueError):
                continue
            out.write(json.dumps({"path": os.path.relpath(path, root), "table": table}) + "\n")
            count += 1
print("wrote the symbol tables of %d files" % count)
