# _abc through Lib/abc.py: abstract methods block instantiation, register() adds virtual
# subclasses, __subclasshook__ and the caches answer ABCMeta's checks.
import abc
import _abc


class Shape(abc.ABC):
    @abc.abstractmethod
    def area(self):
        ...

    @property
    @abc.abstractmethod
    def name(self):
        ...

    def describe(self):
        return "%s with area %s" % (self.name, self.area())


print(sorted(Shape.__abstractmethods__))
try:
    Shape()
except TypeError:
    print("Shape() refused")


class Square(Shape):
    def __init__(self, s):
        self.s = s

    def area(self):
        return self.s * self.s

    @property
    def name(self):
        return "square"


class Half(Shape):
    def area(self):
        return 1


print(Square(3).describe(), sorted(Half.__abstractmethods__), sorted(Square.__abstractmethods__))


class Sized(abc.ABC):
    @classmethod
    def __subclasshook__(cls, C):
        if cls is Sized:
            return any("__len__" in B.__dict__ for B in C.__mro__)
        return NotImplemented


print(Sized.__subclasscheck__(list), Sized.__subclasscheck__(int), Sized.__instancecheck__("abc"), Sized.__instancecheck__(3))


class Registry(abc.ABC):
    pass


Registry.register(tuple)
token = abc.get_cache_token()
print(Registry.__subclasscheck__(tuple), Registry.__subclasscheck__(list), Registry.__instancecheck__((1,)))


@Registry.register
class Plugin:
    pass


print(Plugin.__name__, Registry.__subclasscheck__(Plugin), abc.get_cache_token() == token + 1)
try:
    Plugin.register = None
    Registry.register(3)
except TypeError as e:
    print("register:", e)


class Sub(Registry):
    pass


try:
    Sub.register(Registry)
except RuntimeError as e:
    print("register:", e)
print(Registry.register(Sub) is Sub)
registry, cache, negative, version = _abc._get_dump(Registry)
print(sorted(c().__name__ for c in registry), version <= abc.get_cache_token())
_abc._reset_caches(Registry)
_abc._reset_registry(Registry)
print(Registry.__subclasscheck__(tuple), type(Registry._abc_impl).__name__)
try:
    Registry.__subclasscheck__(1)
except TypeError as e:
    print(e)


class Meta(metaclass=abc.ABCMeta):
    @abc.abstractmethod
    def run(self):
        pass

    @staticmethod
    @abc.abstractmethod
    def make():
        pass


print(sorted(Meta.__abstractmethods__), abc.update_abstractmethods(Meta) is Meta)
print("abc_machinery: ok")
