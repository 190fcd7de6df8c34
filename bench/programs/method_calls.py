"""Method calls: instance, inherited, overridden, super(), property,
classmethod, staticmethod, __call__ and bound-method objects.

A small shape hierarchy and a counter class are driven through many calls
of each kind.  Prints the accumulated totals.
"""
import sys


class Shape:
    count = 0

    def __init__(self, size):
        self.size = size
        Shape.count += 1

    def area(self):
        return 0

    def perimeter(self):
        return 0

    def describe(self):
        return self.area() + self.perimeter()

    @classmethod
    def unit(cls):
        return cls(1)

    @staticmethod
    def clamp(value, low, high):
        if value < low:
            return low
        if value > high:
            return high
        return value


class Square(Shape):
    def area(self):
        return self.size * self.size

    def perimeter(self):
        return 4 * self.size


class Rectangle(Square):
    def __init__(self, size, other=2):
        super().__init__(size)
        self.other = other

    def area(self):
        return self.size * self.other

    def perimeter(self):
        return super().perimeter() // 2 + 2 * self.other


class Triangle(Shape):
    def area(self):
        return self.size * self.size // 2

    def perimeter(self):
        return 3 * self.size

    def describe(self):
        return super().describe() + 1


class Counter:
    def __init__(self):
        self._value = 0
        self.calls = 0

    @property
    def value(self):
        return self._value

    @value.setter
    def value(self, new):
        self._value = new

    def increment(self, by=1):
        self._value += by
        self.calls += 1
        return self

    def __call__(self, amount):
        self.calls += 1
        self._value += amount
        return self._value


def virtual_calls(shapes, rounds):
    total = 0
    for _ in range(rounds):
        for shape in shapes:
            total += shape.describe()
    return total


def chained_calls(rounds):
    c = Counter()
    for i in range(rounds):
        c.increment().increment(2).increment(i % 3)
    return c.value, c.calls


def property_calls(rounds):
    c = Counter()
    for i in range(rounds):
        c.value = c.value + i % 7
        if c.value > 1000:
            c.value = c.value - 1000
    return c.value


def callable_objects(rounds):
    c = Counter()
    add = c.increment
    total = 0
    for i in range(rounds):
        total += c(i & 3)
        add(1)
    return total % 1000003, c.calls


def class_and_static(rounds):
    total = 0
    for i in range(rounds):
        total += Shape.clamp(i % 50, 10, 40)
        total += Square.unit().area()
        total += Triangle.clamp(i, 0, 5)
    return total


def main():
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 80000
    shapes = [Square(3), Rectangle(4, 5), Triangle(6), Square(2), Rectangle(1)]
    results = [
        virtual_calls(shapes, rounds),
        chained_calls(rounds),
        property_calls(rounds),
        callable_objects(rounds),
        class_and_static(rounds),
        Shape.count,
    ]
    print("method_calls rounds=%d %s" % (rounds, " ".join(str(r) for r in results)))


main()
