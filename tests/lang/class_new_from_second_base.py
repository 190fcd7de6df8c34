# A class whose __new__ comes from a base that is not its first (solid) base still calls it:
# tp_new dispatches through the MRO.
class A:
    pass


class B:
    counter = 0

    def __new__(cls, *args):
        B.counter += 1
        return super().__new__(cls)


class C(A, B):
    pass


class D(C):
    def __init__(self, x):
        self.x = x


print(B.counter)
C()
print(B.counter, type(C()).__name__, B.counter)
print(D(5).x, B.counter)


class E(A, int):
    pass


print(E(7) + 1, type(E(7)).__name__)
print("class_new_from_second_base: ok")
