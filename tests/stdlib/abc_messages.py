# requires: 3.15
# _abc: the instantiation error names the missing methods (3.12+ wording).
import abc


class Base(abc.ABC):
    @abc.abstractmethod
    def b(self): ...

    @abc.abstractmethod
    def a(self): ...


class One(Base):
    def a(self):
        return 1


for cls in (Base, One):
    try:
        cls()
    except TypeError as e:
        print(e)
One.__abstractmethods__ = frozenset()
print(type(One()).__name__, abc.ABC.__subclasshook__(int), object.__subclasshook__(int))
print(property(Base.a).__isabstractmethod__, staticmethod(Base.b).__isabstractmethod__, classmethod(len).__isabstractmethod__)
print("abc_messages: ok")
