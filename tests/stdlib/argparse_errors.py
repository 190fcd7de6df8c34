# requires: 3.15
# argparse as CPython 3.15 has it (3.11 differs: `-n, --number N` help, errors of
# exit_on_error=False parsers raised as ArgumentError).
# argparse in real use: positionals, options, subparsers, types/choices/nargs/defaults,
# actions, mutually exclusive groups, --help text and errors (exit_on_error=False).
import argparse
import io
import os
import sys

os.environ["COLUMNS"] = "80"


def build():
    p = argparse.ArgumentParser(prog="tool", description="A tool that does things.",
                                epilog="See the manual.", exit_on_error=False)
    p.add_argument("src", help="source file")
    p.add_argument("dst", nargs="?", default="out.txt", help="destination (default: %(default)s)")
    p.add_argument("-v", "--verbose", action="count", default=0, help="more output")
    p.add_argument("-n", "--number", type=int, default=3, metavar="N", help="how many")
    p.add_argument("--mode", choices=["fast", "slow"], default="fast")
    p.add_argument("--tag", action="append", dest="tags", help="add a tag")
    p.add_argument("--ratio", type=float)
    p.add_argument("--flag", action="store_true")
    p.add_argument("--no-cache", action="store_false", dest="cache")
    p.add_argument("--const", action="store_const", const=42)
    p.add_argument("--pair", nargs=2, metavar=("A", "B"))
    p.add_argument("--many", nargs="+", type=int)
    p.add_argument("--version", action="version", version="%(prog)s 1.0")
    g = p.add_mutually_exclusive_group()
    g.add_argument("--json", action="store_true")
    g.add_argument("--xml", action="store_true")
    grp = p.add_argument_group("extra", "Extra options.")
    grp.add_argument("--extra", default=None)
    return p


p = build()
for argv in [["a"], ["a", "b", "-vv", "-n", "7", "--mode", "slow"], ["x", "--tag", "t1", "--tag=t2", "--flag"],
             ["x", "--no-cache", "--const", "--pair", "1", "2", "--many", "1", "2", "3"], ["x", "--ratio", "2.5", "--json"],
             ["--", "-odd"], ["x", "-vn5"]]:
    ns = p.parse_args(argv)
    print(sorted(vars(ns).items()))

ns, rest = p.parse_known_args(["a", "--unknown", "z"])
print(ns.src, rest)

for argv in [[], ["a", "-n", "x"], ["a", "--mode", "medium"], ["a", "--json", "--xml"], ["a", "b", "c"], ["a", "--pair", "1"],
             ["a", "--bogus"]]:
    try:
        p.parse_args(argv)
    except argparse.ArgumentError as e:
        print("ArgumentError:", e.argument_name, "|", e.message)
    except SystemExit as e:
        print("SystemExit", e.code)

out = io.StringIO()
p.print_help(out)
print(out.getvalue())
print(p.format_usage(), end="")

# Subcommands.
root = argparse.ArgumentParser(prog="git", exit_on_error=False)
root.add_argument("--debug", action="store_true")
sub = root.add_subparsers(dest="cmd", title="commands", help="what to do")
c = sub.add_parser("commit", help="record changes")
c.add_argument("-m", "--message", required=True)
c.add_argument("--amend", action="store_true")
c.set_defaults(func="do_commit")
l = sub.add_parser("log", help="show history", aliases=["lg"])
l.add_argument("-n", type=int, default=10)
l.set_defaults(func="do_log")

print(sorted(vars(root.parse_args(["commit", "-m", "hi"])).items()))
print(sorted(vars(root.parse_args(["--debug", "lg", "-n", "2"])).items()))
print(sorted(vars(root.parse_args([])).items()))
out = io.StringIO()
root.print_help(out)
print(out.getvalue())
out = io.StringIO()
c.print_help(out)
print(out.getvalue())

# Formatter classes, defaults and files of arguments.
f = argparse.ArgumentParser(prog="fmt", formatter_class=argparse.ArgumentDefaultsHelpFormatter,
                            description="line one\n  kept as is", add_help=False)
f.add_argument("--size", type=int, default=10, help="the size")
f.add_argument("items", nargs="*", help="items")
print(f.format_help())
r = argparse.ArgumentParser(prog="raw", formatter_class=argparse.RawDescriptionHelpFormatter,
                            description="line one\n  kept as is")
print(r.format_help())

# Errors printed to stderr by default: capture them.
q = argparse.ArgumentParser(prog="q")
q.add_argument("x", type=int)
old = sys.stderr
sys.stderr = io.StringIO()
try:
    q.parse_args(["nope"])
except SystemExit as e:
    msg = sys.stderr.getvalue()
    sys.stderr = old
    print("exit", e.code, msg)
sys.stderr = old

ns = argparse.Namespace(a=1, b="x")
print(ns, ns == argparse.Namespace(b="x", a=1), "a" in ns)
print("argparse_errors: ok")
