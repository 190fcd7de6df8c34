#!/usr/bin/env python3
"""Generate abi/data/signatures.tsv: the C prototype of every symbol in abi/data/abi3_symbols.txt.

Pyrite exports all 952 Stable-ABI names; functions it does not implement yet get generated
stubs that raise SystemError and return the function's error value, so each one's C prototype
is needed. This script scans CPython's own headers for

    PyAPI_FUNC(ret) name(params);      ->  kind "function"
    PyAPI_DATA(type) name[...];        ->  kind "data"

(multi-line declarations, `Py_DEPRECATED(...)` / `_Py_DEPRECATED_EXTERNALLY(...)` prefixes,
`Py_GCC_ATTRIBUTE((...))` / `Py_DEPRECATED(...)` suffixes, `_Py_NO_RETURN`, function-pointer
parameters, `...`), taking each name from the newest header set that declares it:

    1. CPython 3.15 (tools/fetch-cpython315.sh; Debian's libpython3.15-dev headers)
    2. pyenv CPython 3.13, 3.12, ..., 3.6 (for legacy names 3.15 no longer declares)
    3. names no header spells out but a `#define DECLARED NAME` rename produces: <= 3.12's
       modsupport.h declares `PyArg_Parse(...)` after `#define PyArg_Parse _PyArg_Parse_SizeT`,
       so `_PyArg_Parse_SizeT` & co. get PyArg_Parse's prototype (noted on stderr);
    4. OVERRIDES below, which win over headers: hand-written entries citing CPython's source
       (as of 3.15.2 only `_Py_SwappedOp`, declared `int[]` but defined with 6 elements).

Within one header set, public headers win over `cpython/` and `internal/` ones. A name declared
twice with different prototypes in the same set (both branches of an #if) is reported; the
first declaration in the preferred header wins (none do as of 3.15.2 / 3.13.0 ... 3.6.15).

Output columns (tab-separated, one header line):
    name  kind  return_or_data_type  params  source_header_version
`params` holds the parameter *types* only, normalized (`PyObject *, const char *, ...`),
`void` for an empty list and `-` for data. Data types keep array suffixes (`int[6]`).
`source_header_version` is e.g. `3.15.2`, `3.9.18`, or `override`.

Usage: tools/gen-signatures.py [--check] [--verbose]     (stdlib only; host python3 >= 3.8)
    --check    regenerate in memory and fail if abi/data/signatures.tsv differs
    --verbose  print the header each row came from (stderr)
"""

from __future__ import annotations

import glob
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SYMBOLS = ROOT / "abi/data/abi3_symbols.txt"
MANIFEST = ROOT / "abi/data/stable_abi.tsv"
OUT = ROOT / "abi/data/signatures.tsv"

PYENV_VERSIONS = ["3.13", "3.12", "3.11", "3.10", "3.9", "3.8", "3.7", "3.6"]

# Hand-written rows; they win over anything the headers say. Use for abi_only names no header
# declares (none left as of 3.15.2: even PyOS_InputHook is declared, as a function-pointer
# variable) or declares incompletely. Each: name -> (kind, type, params, CPython source).
OVERRIDES: dict[str, tuple[str, str, str, str]] = {
    # Objects/object.c (3.2 ... 3.15): `int _Py_SwappedOp[] = {Py_GT, Py_GE, Py_EQ, Py_NE,
    # Py_LT, Py_LE};` (24 bytes in libpython3.15.a). The headers only say
    # `PyAPI_DATA(int) _Py_SwappedOp[];` (object.h <= 3.7, cpython/object.h 3.8-3.12,
    # internal/pycore_object.h 3.13+), so the size comes from here.
    "_Py_SwappedOp": ("data", "int[6]", "-", "Objects/object.c: int _Py_SwappedOp[6]"),
}

# Attribute-like macros that may sit around a declaration and are not part of the type.
_ATTR_CALL = re.compile(
    r"\b(?:Py_DEPRECATED|_Py_DEPRECATED_EXTERNALLY|Py_GCC_ATTRIBUTE|_Py_NO_SANITIZE_\w*|"
    r"__attribute__|_Py_ALIGNED_DEF|Py_ALIGNED|_Py_WARN_UNUSED_RESULT)\s*\("
)
_ATTR_WORDS = {"_Py_NO_RETURN", "Py_NO_RETURN", "_Py_HOT_FUNCTION", "Py_ALWAYS_INLINE",
               "_Py_NO_INLINE", "Py_NO_INLINE", "extern", "PyAPI_DATA_EXTRA"}
# `struct X` spellings used by old headers for the public typedef names.
_STRUCT_TYPEDEFS = {
    "_object": "PyObject", "_typeobject": "PyTypeObject", "_ts": "PyThreadState",
    "_is": "PyInterpreterState", "_frame": "PyFrameObject", "_longobject": "PyLongObject",
    "_PyWeakReference": "PyWeakReference", "PyModuleDef": "PyModuleDef",
    "PyMethodDef": "PyMethodDef", "PyMemberDef": "PyMemberDef", "PyGetSetDef": "PyGetSetDef",
    "PyModuleDef_Slot": "PyModuleDef_Slot", "PyStructSequence_Desc": "PyStructSequence_Desc",
    "PyStructSequence_Field": "PyStructSequence_Field", "PyType_Spec": "PyType_Spec",
    "PyType_Slot": "PyType_Slot", "PySlot": "PySlot", "PyABIInfo": "PyABIInfo",
    "PyCodeObject": "PyCodeObject", "PyThreadState": "PyThreadState", "_Py_Identifier": "_Py_Identifier",
    "PyCriticalSection": "PyCriticalSection", "PyCriticalSection2": "PyCriticalSection2",
    "PyLongLayout": "PyLongLayout", "PyLongExport": "PyLongExport", "bufferinfo": "Py_buffer",
    "PyVarObject": "PyVarObject",
}
# Type-spelling macros that appear in prototypes, replaced by their C expansion.
_TYPE_MACROS = {
    "PY_CXX_CONST": "",         # pyport.h: `const` only when compiled as C++
    "PY_TIMEOUT_T": "long long",  # pythread.h (3.15; `long long` in every version)
}
_C_KEYWORDS = {
    "const", "volatile", "unsigned", "signed", "short", "long", "int", "char", "float", "double",
    "void", "struct", "union", "enum", "restrict", "__restrict", "_Bool",
}


def die(msg: str) -> None:
    print(f"gen-signatures: error: {msg}", file=sys.stderr)
    sys.exit(1)


# --------------------------------------------------------------------------------------------
# Header sets


def cpython315_include() -> tuple[str, Path]:
    script = ROOT / "tools/fetch-cpython315.sh"
    try:
        out = subprocess.run(["bash", str(script)], check=True, capture_output=True, text=True)
    except subprocess.CalledProcessError as e:
        die(f"{script} failed:\n{e.stderr}")
    root = Path(out.stdout.strip().splitlines()[-1])
    inc = root / "usr/include/python3.15"
    if not (inc / "Python.h").is_file():
        die(f"{inc} has no Python.h")
    return patchlevel_version(inc) or "3.15", inc


def pyenv_root() -> Path | None:
    try:
        out = subprocess.run(["pyenv", "root"], capture_output=True, text=True)
        if out.returncode == 0 and out.stdout.strip():
            return Path(out.stdout.strip())
    except FileNotFoundError:
        pass
    env = os.environ.get("PYENV_ROOT")
    if env:
        return Path(env)
    home = Path.home() / ".pyenv"
    return home if home.is_dir() else None


def patchlevel_version(inc: Path) -> str | None:
    try:
        text = (inc / "patchlevel.h").read_text(errors="replace")
    except OSError:
        return None
    m = re.search(r'#define\s+PY_VERSION\s+"([^"]+)"', text)
    return m.group(1) if m else None


def pyenv_includes() -> list[tuple[str, Path]]:
    root = pyenv_root()
    if root is None:
        print("gen-signatures: note: pyenv not found; legacy names may be missing", file=sys.stderr)
        return []
    sets = []
    for minor in PYENV_VERSIONS:
        cands = sorted(
            (p for p in glob.glob(str(root / "versions" / f"{minor}.*"))
             if re.fullmatch(re.escape(minor) + r"\.\d+", os.path.basename(p))),
            key=lambda p: [int(x) for x in os.path.basename(p).split(".")],
        )
        found = None
        for d in reversed(cands):
            for abiflags in ("", "m"):
                inc = Path(d) / "include" / f"python{minor}{abiflags}"
                if (inc / "Python.h").is_file():
                    found = (os.path.basename(d), inc)
                    break
            if found:
                break
        if found:
            sets.append(found)
        else:
            print(f"gen-signatures: note: pyenv CPython {minor} not installed: skipped", file=sys.stderr)
    return sets


def header_files(inc: Path) -> list[Path]:
    """Public headers first, then cpython/, then internal/ (and anything else)."""
    def rank(p: Path) -> tuple[int, str]:
        rel = p.relative_to(inc).as_posix()
        if "/" not in rel:
            return (0, rel)
        if rel.startswith("cpython/"):
            return (1, rel)
        return (2, rel)
    return sorted((p for p in inc.rglob("*.h")), key=rank)


# --------------------------------------------------------------------------------------------
# Parsing


def strip_comments_and_preprocessor(text: str) -> str:
    # Remove comments (string literals are copied through untouched).
    out = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == "/" and i + 1 < n and text[i + 1] == "*":
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append(" " if "\n" not in text[i:j] else "\n" * text.count("\n", i, j))
            i = j
        elif c == "/" and i + 1 < n and text[i + 1] == "/":
            j = text.find("\n", i)
            i = n if j < 0 else j
        elif c == '"':
            # String literal (never spans lines in these headers). Char literals are not
            # tracked: an apostrophe in an `#error "can't ..."` line must not open one.
            j = i + 1
            while j < n and text[j] not in ('"', "\n"):
                j += 2 if text[j] == "\\" else 1
            out.append(text[i:j + 1])
            i = j + 1
        else:
            out.append(c)
            i += 1
    text = "".join(out)
    # Drop preprocessor directives (with backslash continuations).
    lines = text.split("\n")
    kept = []
    cont = False
    for line in lines:
        if cont or line.lstrip().startswith("#"):
            cont = line.rstrip().endswith("\\")
            kept.append("")
            continue
        kept.append(line)
    return "\n".join(kept)


def balanced(text: str, start: int) -> int:
    """text[start] == '('; return the index just past the matching ')'."""
    depth = 0
    for i in range(start, len(text)):
        if text[i] == "(":
            depth += 1
        elif text[i] == ")":
            depth -= 1
            if depth == 0:
                return i + 1
    raise ValueError("unbalanced parentheses")


def remove_attr_calls(s: str) -> str:
    while True:
        m = _ATTR_CALL.search(s)
        if not m:
            return s
        end = balanced(s, m.end() - 1)
        s = s[:m.start()] + " " + s[end:]


_TOKEN = re.compile(r"\.\.\.|[A-Za-z_]\w*|\d+|[*()\[\],]")


def normalize_type(s: str) -> str:
    """Canonical spelling of a C type: `PyObject *`, `const char *`, `PyObject *const *`."""
    s = remove_attr_calls(s)
    toks = []
    for t in _TOKEN.findall(s):
        if t in _ATTR_WORDS:
            continue
        toks.extend(_TYPE_MACROS[t].split() if t in _TYPE_MACROS else [t])
    # struct X -> typedef name.
    res: list[str] = []
    i = 0
    while i < len(toks):
        if toks[i] in ("struct", "union", "enum") and i + 1 < len(toks):
            name = toks[i + 1]
            mapped = _STRUCT_TYPEDEFS.get(name)
            res.append(mapped if mapped else f"{toks[i]} {name}")
            i += 2
            continue
        res.append(toks[i])
        i += 1
    toks = res
    out = ""
    prev = ""
    for t in toks:
        if not out:
            sep = ""
        elif t == "*":
            sep = "" if prev in ("*", "(") else " "
        elif t in (")", "]", ",", "["):
            sep = ""
        elif t == "(":
            sep = " " if re.fullmatch(r"\w+", prev) else ""
        elif prev in ("*", "(", "["):
            sep = ""
        else:
            sep = " "
        out += sep + t
        prev = t
    return out.replace(",", ", ").strip()


def split_params(params: str) -> list[str]:
    parts, depth, cur = [], 0, ""
    for c in params:
        if c in "([":
            depth += 1
        elif c in ")]":
            depth -= 1
        if c == "," and depth == 0:
            parts.append(cur)
            cur = ""
        else:
            cur += c
    if cur.strip():
        parts.append(cur)
    return parts


def param_type(p: str) -> str:
    """Type of one parameter, with its name (if any) removed."""
    p = " ".join(remove_attr_calls(p).split())
    if p == "...":
        return "..."
    # Function pointer: `ret (*name)(args)` -> `ret (*)(args)`.
    m = re.match(r"^(.*?)\(\s*\*\s*(?:const\s+)?([A-Za-z_]\w*)?\s*\)\s*\((.*)\)\s*$", p)
    if m:
        ret, _name, args = m.groups()
        arg_types = ", ".join(param_type(a) for a in split_params(args)) or "void"
        ret = normalize_type(ret)
        return f"{ret}{'' if ret.endswith('*') else ' '}(*)({arg_types})"
    toks = []
    for t in _TOKEN.findall(p):
        if t in _ATTR_WORDS:
            continue
        toks.extend(_TYPE_MACROS[t].split() if t in _TYPE_MACROS else [t])
    # Array suffix: `char *argv[]` -> type `char *[]`.
    suffix = ""
    while toks and toks[-1] == "]":
        j = len(toks) - 1
        while toks[j] != "[":
            j -= 1
        suffix = "[" + "".join(toks[j + 1:-1]) + "]" + suffix
        toks = toks[:j]
    # Drop the parameter name: a trailing identifier that is not the only type word.
    if len(toks) >= 2 and re.fullmatch(r"[A-Za-z_]\w*", toks[-1]) and toks[-1] not in _C_KEYWORDS:
        before = toks[:-1]
        type_words = [t for t in before if t not in ("const", "volatile", "struct", "union", "enum")]
        if before[-1] == "*" or (type_words and before[-1] not in ("struct", "union", "enum")):
            toks = before
    return normalize_type(" ".join(toks)) + suffix


def normalize_params(params: str) -> str:
    params = " ".join(params.split())
    if params.strip() in ("", "void"):
        return "void"
    return ", ".join(param_type(p) for p in split_params(params))


class Decl:
    __slots__ = ("name", "kind", "type", "params", "header")

    def __init__(self, name, kind, type_, params, header):
        self.name, self.kind, self.type, self.params, self.header = name, kind, type_, params, header

    def sig(self) -> tuple[str, str, str]:
        return (self.kind, self.type, self.params)


_API = re.compile(r"\bPyAPI_(FUNC|DATA)\s*\(")


def parse_header(path: Path, rel: str) -> list[Decl]:
    text = strip_comments_and_preprocessor(path.read_text(errors="replace"))
    decls = []
    for m in _API.finditer(text):
        kind = "function" if m.group(1) == "FUNC" else "data"
        try:
            tend = balanced(text, m.end() - 1)
        except ValueError:
            continue
        ret = text[m.end():tend - 1]
        # Up to the end of the declaration.
        semi = text.find(";", tend)
        if semi < 0:
            continue
        rest = text[tend:semi]
        if kind == "function":
            rest2 = remove_attr_calls(rest)
            mm = re.match(r"\s*((?:[A-Za-z_]\w*\s+)*?)([A-Za-z_]\w*)\s*\(", rest2)
            if not mm:
                continue
            lead = mm.group(1).split()
            name = mm.group(2)
            pstart = mm.end() - 1
            pend = balanced(rest2, pstart)
            params = rest2[pstart + 1:pend - 1]
            rtype = normalize_type(ret + " " + " ".join(w for w in lead if w not in _ATTR_WORDS))
            decls.append(Decl(name, kind, rtype, normalize_params(params), rel))
        else:
            rest2 = remove_attr_calls(rest)
            fp = re.match(r"\s*\(\s*\*\s*([A-Za-z_]\w*)\s*\)\s*\((.*)\)\s*$", rest2, re.S)
            if fp:
                # Function-pointer variable: `PyAPI_DATA(int) (*PyOS_InputHook)(void);`
                r = normalize_type(ret)
                dtype = f"{r}{'' if r.endswith('*') else ' '}(*)({normalize_params(fp.group(2))})"
                decls.append(Decl(fp.group(1), kind, dtype, "-", rel))
                continue
            for item in split_params(rest2):
                mm = re.match(r"\s*((?:\*\s*)*)([A-Za-z_]\w*)\s*((?:\[[^\]]*\]\s*)*)$", item)
                if not mm:
                    continue
                stars, name, arr = mm.groups()
                dtype = normalize_type(ret + " " + stars)
                arr = "".join(arr.split())
                decls.append(Decl(name, kind, dtype + arr, "-", rel))
    return decls


_ALIAS = re.compile(r"^[ \t]*#[ \t]*define[ \t]+([A-Za-z_]\w*)[ \t]+([A-Za-z_]\w*)[ \t]*$", re.M)


def scan(version: str, inc: Path) -> tuple[dict[str, list[Decl]], dict[str, tuple[str, str]]]:
    """Declarations by name, and `#define DECLARED ALIAS` renames: alias -> (declared, header).

    The renames matter for names no header spells out: <= 3.12's modsupport.h declares
    `PyArg_Parse(...)` after `#define PyArg_Parse _PyArg_Parse_SizeT` (under PY_SSIZE_T_CLEAN),
    so the exported `_PyArg_Parse_SizeT` has PyArg_Parse's prototype.
    """
    found: dict[str, list[Decl]] = {}
    aliases: dict[str, tuple[str, str]] = {}
    for h in header_files(inc):
        rel = h.relative_to(inc).as_posix()
        for d in parse_header(h, rel):
            found.setdefault(d.name, []).append(d)
        for m in _ALIAS.finditer(h.read_text(errors="replace")):
            aliases.setdefault(m.group(2), (m.group(1), rel))
    return found, aliases


# --------------------------------------------------------------------------------------------


def manifest_kinds() -> dict[str, str]:
    kinds = {}
    with open(MANIFEST) as f:
        next(f)
        for line in f:
            cols = line.rstrip("\n").split("\t")
            if cols[0] in ("function", "data"):
                kinds[cols[1]] = cols[0]
    return kinds


def main() -> None:
    check = "--check" in sys.argv[1:]
    verbose = "--verbose" in sys.argv[1:]
    names = [l.strip() for l in SYMBOLS.read_text().splitlines() if l.strip()]
    if len(set(names)) != len(names):
        die("duplicate names in abi3_symbols.txt")
    kinds = manifest_kinds()

    sets = [cpython315_include()] + pyenv_includes()
    scanned = [(v, inc) + scan(v, inc) for v, inc in sets]

    rows = []
    problems = []
    for name in names:
        want_kind = kinds.get(name)
        chosen = None
        via_alias = None
        candidates = [(version, found.get(name, [])) for version, _inc, found, _aliases in scanned]
        if not any(decls for _v, decls in candidates) and name not in OVERRIDES:
            # Not declared anywhere under its own name: a `#define DECLARED name` rename?
            for version, _inc, found, aliases in scanned:
                if name in aliases and aliases[name][0] in found:
                    via_alias = aliases[name]
                    candidates = [(version, found[via_alias[0]])]
                    print(f"gen-signatures: note: {name}: prototype of {via_alias[0]} "
                          f"(`#define {via_alias[0]} {name}` in {version} {via_alias[1]})", file=sys.stderr)
                    break
        for version, decls in candidates:
            decls = [d for d in decls if d.kind == want_kind or want_kind is None]
            if not decls:
                continue
            distinct = []
            for d in decls:
                if d.sig() not in [x.sig() for x in distinct]:
                    distinct.append(d)
            if len(distinct) > 1:
                pick = distinct[0]
                print(
                    f"gen-signatures: note: {name}: {len(distinct)} prototypes in {version} headers; using "
                    f"{pick.type} ({pick.params}) from {pick.header}; others: "
                    + "; ".join(f"{d.type} ({d.params}) in {d.header}" for d in distinct if d is not pick),
                    file=sys.stderr,
                )
                chosen = (pick, version)
            else:
                chosen = (distinct[0], version)
            break
        if name in OVERRIDES:
            kind, ty, params, _why = OVERRIDES[name]
            if chosen:
                print(f"gen-signatures: note: {name}: override replaces {chosen[0].type} from "
                      f"{chosen[1]} {chosen[0].header}", file=sys.stderr)
            rows.append((name, kind, ty, params, "override"))
            continue
        if chosen is None:
            problems.append(f"{name} ({want_kind}): declared by no scanned header and no override")
            continue
        d, version = chosen
        if want_kind and d.kind != want_kind:
            problems.append(f"{name}: manifest says {want_kind}, header {version}/{d.header} declares {d.kind}")
        rows.append((name, d.kind, d.type, d.params, version))
        if verbose:
            print(f"{name}\t{version}/{d.header}" + (f" (as {via_alias[0]})" if via_alias else ""), file=sys.stderr)

    if problems:
        die("\n  " + "\n  ".join(problems))

    text = "name\tkind\treturn_or_data_type\tparams\tsource_header_version\n"
    text += "".join("\t".join(r) + "\n" for r in rows)
    if check:
        if OUT.read_text() != text:
            die(f"{OUT} is out of date; run tools/gen-signatures.py")
        print(f"{OUT}: up to date ({len(rows)} rows)")
        return
    OUT.write_text(text)
    from collections import Counter
    by_src = Counter(r[4] for r in rows)
    print(f"wrote {OUT} ({len(rows)} rows; sources: "
          + ", ".join(f"{k} {v}" for k, v in sorted(by_src.items())) + ")")


if __name__ == "__main__":
    main()
