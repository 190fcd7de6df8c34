# Binary operators on a built-in and a subclass of it: the subclass's reflected method goes
# first when it overrides it (CPython's binary_op1 and SLOT1BINFULL), for every operator
# form (expression, augmented assignment, operator module, sum()).
import operator


class RAdd(int):
    def __radd__(self, other):
        return "radd"


class Both(int):
    def __add__(self, other):
        return "add"

    def __radd__(self, other):
        return "radd"


class Same(int):
    def __add__(self, other):
        return "add"

    __radd__ = __add__


class Declines(int):
    def __radd__(self, other):
        return NotImplemented


class Pow(int):
    def __rpow__(self, other):
        return "rpow"

    def __rdivmod__(self, other):
        return "rdivmod"

    def __rsub__(self, other):
        return "rsub"


assert (1 + RAdd(2), 1 + Both(2), 1 + Same(2)) == ("radd", "radd", "add")
assert RAdd(2) + 1 == 3 and Both(2) + 1 == "add"
assert operator.add(1, RAdd(2)) == "radd"
x = 1
x += Both(5)
assert x == "radd"
assert sum([1, RAdd(2)]) == "radd"
assert 1 + Declines(2) == 3
assert (2 ** Pow(3), divmod(7, Pow(2)), 5 - Pow(1)) == ("rpow", "rdivmod", "rsub")


class Base:
    def __add__(self, other):
        return "base add"

    def __radd__(self, other):
        return "base radd"


class Derived(Base):
    def __radd__(self, other):
        return "derived radd"


class Inherits(Base):
    pass


assert Base() + Derived() == "derived radd"
assert Base() + Inherits() == "base add"
assert Derived() + Base() == "base add"
assert 1.5 + RAdd(2) == 3.5
print("binop_subclass_priority: ok")
