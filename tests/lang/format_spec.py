# format() and the __format__ methods: the spec mini-language for int, float, complex, str.
tests = [(1+2j,''), (-0.0+2j,''), (1+2j,'.2f'), (1e20+2j, 'g'), (3j, '+'), (1+2j, '^12'), (1.0, '.3'), (1+2j,'.3'), (9.99, '.2'), (9.99,'.2g'), (123456.0, '.3'), (True, ''), (True, 'd'), (3, 'x'), ('ab', '>5'), (1.5, ''), (-1.5-2.5j, ''), (0.1+0j, '.1e'), (1e-7, ''), (1e16,'.3'), (12.0, 'n')]
for v, s in tests:
    print(repr(v), repr(s), repr(format(v, s)))
for bad in [(1+2j, '=10'), (1+2j, '010'), (object(), 'x'), (1, 5)]:
    try: format(*bad)
    except Exception as e: print(type(e).__name__, e)
class A:
    def __format__(self, s): return 3
try: format(A())
except Exception as e: print(type(e).__name__, e)
print(f"{A.__name__!r:>10}", object.__format__(1, ""), int.__format__(5, "03"))
print("format_spec: ok")
