# requires: 3.15
# Crashes of Pyrite found by CPython 3.15's Lib/test whose checks need 3.15's messages or
# speed (crash_regressions.py has the rest).
import sys


def show(f):
    try:
        r = f()
    except Exception as e:
        print(" ", type(e).__name__, e)
    else:
        print(" ", repr(r)[:60])


print("%-formatting: widths and precisions past C's limits")
show(lambda: "%.*d" % (sys.maxsize, 1))
show(lambda: b"%.*d" % (2**31, 1))
show(lambda: "%.*d" % (2**31 - 1, 1))
show(lambda: "%*d" % (2**63, 1))
show(lambda: "%.*f" % (2**31 - 2, 1.0))
show(lambda: "%99999999999999999999d" % 1)
show(lambda: "%.99999999999999999999d" % 1)
show(lambda: "%.2147483647d" % (1,))
show(lambda: format(1.5, ".2147482624g"))

print("super() type check")


class C:
    def f(self):
        return super(int, self).f


show(lambda: C().f())
show(lambda: super(C, list))

print("unpacking names the length of lists, tuples and dicts")
show(lambda: exec("a, b = [1, 2, 3]"))
show(lambda: exec("a, b = {1: 2, 3: 4, 5: 6}"))

print("crash_regressions_315: ok")
