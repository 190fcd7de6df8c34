"""Closures: nested functions, nonlocal state, lambdas, decorators,
function composition and callbacks.

Prints a line of results.
"""
import sys


def make_counter(start=0):
    count = start

    def bump(step=1):
        nonlocal count
        count += step
        return count

    return bump


def make_adders(n):
    return [lambda x, k=k: x + k for k in range(n)]


def make_multipliers(n):
    def factory(k):
        return lambda x: x * k
    return [factory(k) for k in range(n)]


def compose(*functions):
    def composed(x):
        for f in reversed(functions):
            x = f(x)
        return x
    return composed


def memoize(function):
    cache = {}

    def wrapper(n):
        if n not in cache:
            cache[n] = function(n)
        return cache[n]

    wrapper.cache = cache
    return wrapper


def counted(function):
    calls = [0]

    def wrapper(*args, **kwargs):
        calls[0] += 1
        return function(*args, **kwargs)

    wrapper.calls = calls
    return wrapper


@counted
def weighted(a, b, weight=1):
    return a * weight + b


def accumulate_with(callback, items):
    total = 0
    for item in items:
        total = callback(total, item)
    return total


def make_account(balance):
    history = []

    def deposit(amount):
        nonlocal balance
        balance += amount
        history.append(amount)
        return balance

    def withdraw(amount):
        nonlocal balance
        if amount > balance:
            return None
        balance -= amount
        history.append(-amount)
        return balance

    def report():
        return balance, len(history)

    return deposit, withdraw, report


def partition_count(n):
    @memoize
    def ways(total_max):
        total, largest = divmod(total_max, 1000)
        if total == 0:
            return 1
        if largest == 0:
            return 0
        result = ways(total * 1000 + largest - 1)
        if largest <= total:
            result += ways((total - largest) * 1000 + largest)
        return result
    return ways(n * 1000 + n), len(ways.cache)


def main():
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 200000
    results = []

    counter = make_counter(5)
    for i in range(rounds):
        counter(i % 4)
    results.append(counter(0))

    adders = make_adders(10)
    multipliers = make_multipliers(10)
    total = 0
    for i in range(rounds):
        total += adders[i % 10](i) + multipliers[i % 10](3)
    results.append(total)

    pipeline = compose(lambda x: x + 1, lambda x: x * 3, lambda x: x - 2, abs)
    results.append(sum(pipeline(i - 100) for i in range(rounds)))

    for i in range(rounds):
        weighted(i, 2, weight=i % 3)
    results.append(weighted.calls[0])

    results.append(accumulate_with(lambda acc, x: (acc * 31 + x) % 1000003, range(rounds * 2)))

    deposit, withdraw, report = make_account(100)
    for i in range(rounds):
        if i % 3:
            deposit(i % 50)
        else:
            withdraw(i % 70)
    results.append(report())

    results.append(partition_count(120))

    print("closures rounds=%d %s" % (rounds, " ".join(str(r) for r in results)))


main()
