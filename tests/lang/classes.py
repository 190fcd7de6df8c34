# Classes: inheritance, super(), properties, static/class methods, dunder methods mapped to
# slots, instance dicts, exception subclasses, metaclass-free class creation via type().

class Animal:
    "An animal."
    kind = "generic"
    def __init__(self, name):
        self.name = name
    def speak(self):
        return f"{self.name} makes a sound"
    def __repr__(self):
        return f"Animal({self.name!r})"

class Dog(Animal):
    kind = "dog"
    def __init__(self, name, tricks=None):
        super().__init__(name)
        self.tricks = tricks or []
    def speak(self):
        return super().speak() + " (woof)"
    @property
    def count(self):
        return len(self.tricks)
    @count.setter
    def count(self, n):
        self.tricks = ["trick"] * n
    @staticmethod
    def legs():
        return 4
    @classmethod
    def make(cls, name):
        return cls(name, ["sit"])
    def __eq__(self, other):
        return isinstance(other, Dog) and self.name == other.name
    def __add__(self, other):
        return Dog(self.name + other.name)
    def __len__(self):
        return len(self.name)

d = Dog.make("Rex")
assert d.speak() == "Rex makes a sound (woof)"
assert (d.count, Dog.legs(), d.kind, Animal.kind) == (1, 4, "dog", "generic")
d.count = 3
assert d.tricks == ["trick", "trick", "trick"]
assert Dog.__doc__ is None and Animal.__doc__ == "An animal."
assert repr(d) == "Animal('Rex')"
assert d == Dog("Rex") and d != Dog("Max")
assert (d + Dog("y")).name == "Rexy" and len(d) == 3 and bool(Dog(""))  is False
assert type(d).__name__ == "Dog" and Dog.__mro__ == (Dog, Animal, object)
assert isinstance(d, Animal) and issubclass(Dog, Animal) and not issubclass(Animal, Dog)
try:
    hash(d)
except TypeError as e:
    assert str(e) == "unhashable type: 'Dog'"
else:
    raise AssertionError("Dog instances must be unhashable (__eq__ without __hash__)")
d.extra = 1
assert d.__dict__ if hasattr(d, "__dict__") else True
assert d.extra == 1

class E(Exception):
    def __init__(self, msg, code):
        super().__init__(msg)
        self.code = code

try:
    raise E("custom", 7)
except Exception as e:
    assert type(e) is E and str(e) == "custom" and e.code == 7 and e.args == ("custom",)

Point = type("Point", (), {"x": 1, "norm": lambda self: self.x * 2})
p = Point()
assert p.norm() == 2 and Point.__name__ == "Point"

class Counter:
    def __init__(self):
        self.n = 0
    def __call__(self, by=1):
        self.n += by
        return self.n
    def __getitem__(self, i):
        return i * 10

c = Counter()
c()
assert c(5) == 6 and c[3] == 30
print("classes: ok")
