# requires: 3.15
# An impossible MRO names the classes it could not order, as CPython does.
class A:
    pass


class B(A):
    pass


for bases in [(A, B), (object, A)]:
    try:
        type("C", bases, {})
    except TypeError as e:
        print(e)


class X:
    pass


class Y:
    pass


class P(X, Y):
    pass


class Q(Y, X):
    pass


try:
    class R(P, Q):
        pass
except TypeError as e:
    print(e)
print("mro_error: ok")
