# Dunder methods of classes fill the type slots (abs, pow, divmod, in-place operators,
# descriptors), and built-in types expose their slots as wrappers.
class A:
    def __abs__(self): return "abs"
    def __pow__(self, o, m=None): return ("pow", o, m)
    def __rpow__(self, o): return ("rpow", o)
    def __iadd__(self, o): return "iadd"
    def __divmod__(self, o): return "divmod"
    def __rdivmod__(self, o): return "rdivmod"
    def __ilshift__(self, o): return "ilshift"
    def __round__(self, n=None): return "round"
    def __length_hint__(self): return 3
a = A()
print(abs(a), a ** 2, pow(a, 2, 5), 2 ** a, divmod(a, 1), divmod(1, a))
b = a; b += 1; print(b)
b = a; b <<= 1; print(b)
class D:
    def __get__(self, o, t): return "get"
    def __set__(self, o, v): print("set", v)
    def __delete__(self, o): print("delete")
class C:
    d = D()
c = C(); print(c.d); c.d = 5; del c.d
class E:
    def __del__(self): print("del")
e = E(); del e
print(int.__add__(1, 2), (1).__pow__(2), list.__add__([1], [2]), [1].__mul__(2), abs(-1), (-1).__abs__())
print(int.__abs__, list.__iadd__, str.__mul__, [1].__rmul__(3), (2).__pow__(10, 7), (2).__rpow__(3), (7).__divmod__(2), (7).__rdivmod__(2))
l = [1]; print(list.__iadd__(l, [2]), l, list.__imul__(l, 2))
try: [1].__mul__("x")
except TypeError as e: print(e)
print(property.__set__, property.__delete__)
print("slot_dunders: ok")
