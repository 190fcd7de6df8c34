# pathlib and glob on a temporary tree: building and inspecting paths, writing and reading
# files, mkdir/rename/unlink/rmdir, iterdir, glob/rglob, os.walk, and glob.glob/iglob/escape.
import glob
import os
import pathlib
import tempfile

p = pathlib.PurePosixPath("/usr/lib/python3/site.tar.gz")
print(p.name, p.stem, p.suffix, p.suffixes, p.parent, p.parts[:3], p.anchor)
print(p.with_suffix(".zip"), p.with_name("x.py"), p.relative_to("/usr"), p.is_absolute())
print(pathlib.PurePosixPath("a") / "b" / "../c", pathlib.PurePosixPath("a/b").joinpath("c", "d"))
print(pathlib.PurePosixPath("a/b.py").match("*.py"), pathlib.PurePosixPath("/a/b").is_relative_to("/a"))
print([str(x) for x in pathlib.PurePosixPath("/a/b/c").parents])

with tempfile.TemporaryDirectory() as tmp:
    root = pathlib.Path(tmp)
    (root / "pkg" / "sub").mkdir(parents=True)
    (root / "pkg" / "__init__.py").write_text("x = 1\n")
    (root / "pkg" / "sub" / "mod.py").write_text("y = 2\n")
    (root / "pkg" / "sub" / "data.txt").write_bytes(b"\x00\x01bytes")
    (root / "notes.md").write_text("# notes\nline two\n", encoding="utf-8")
    print((root / "notes.md").read_text().splitlines(), (root / "pkg/sub/data.txt").read_bytes())
    print((root / "pkg").is_dir(), (root / "notes.md").is_file(), (root / "missing").exists())
    print((root / "notes.md").stat().st_size, (root / "pkg").resolve() == root.resolve() / "pkg")
    rel = lambda ps: sorted(str(x.relative_to(root)) for x in ps)
    print(rel(root.iterdir()))
    print(rel(root.glob("*.md")), rel(root.glob("pkg/*")))
    print(rel(root.rglob("*.py")), rel(root.glob("**/*.txt")))
    print(sorted((str(pathlib.Path(d).relative_to(root)), sorted(fs)) for d, _, fs in os.walk(root)))
    with (root / "notes.md").open("a") as f:
        f.write("appended\n")
    print((root / "notes.md").read_text().count("\n"))
    moved = (root / "notes.md").rename(root / "renamed.md")
    print(moved.name, (root / "notes.md").exists(), moved.exists())
    (root / "empty").mkdir()
    (root / "empty").rmdir()
    moved.unlink()
    print(rel(root.iterdir()))
    (root / "a[1].txt").write_text("")
    (root / "b2.txt").write_text("")
    old = os.getcwd()
    os.chdir(tmp)
    try:
        print(sorted(glob.glob("*.txt")), sorted(glob.glob("**/*.py", recursive=True)))
        print(sorted(glob.iglob("pkg/sub/*")), glob.glob(glob.escape("a[1].txt")), glob.glob("a[1].txt"))
        print(sorted(glob.glob("*", root_dir="pkg")), glob.has_magic("a*"), glob.has_magic("abc"))
    finally:
        os.chdir(old)
    print(sorted(os.path.relpath(x, tmp) for x in glob.glob(os.path.join(tmp, "pkg", "**"), recursive=True)))
print("pathlib_glob: ok")
