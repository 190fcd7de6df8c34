"""Generator pipelines.

Chains of generator functions and generator expressions: a number source,
filters, sliding windows, run-length encoding and decoding, a merge of
sorted streams, a tree walk with `yield from`, and a coroutine-style
accumulator driven by `send`.  Prints a line of checksums.
"""
import sys


def naturals(start, stop):
    n = start
    while n < stop:
        yield n
        n += 1


def scramble(numbers, modulus):
    for n in numbers:
        yield (n * 7919 + 13) % modulus


def keep(predicate, items):
    for item in items:
        if predicate(item):
            yield item


def windows(items, size):
    window = []
    for item in items:
        window.append(item)
        if len(window) > size:
            del window[0]
        if len(window) == size:
            yield tuple(window)


def run_lengths(items):
    current = None
    count = 0
    for item in items:
        if count and item == current:
            count += 1
        else:
            if count:
                yield current, count
            current = item
            count = 1
    if count:
        yield current, count


def expand(pairs):
    for value, count in pairs:
        for _ in range(count):
            yield value


def merge(*streams):
    """Merge already sorted iterators (a simple k-way merge without heaps)."""
    heads = []
    for stream in streams:
        it = iter(stream)
        for first in it:
            heads.append([first, it])
            break
    while heads:
        best = 0
        for i in range(1, len(heads)):
            if heads[i][0] < heads[best][0]:
                best = i
        value, it = heads[best]
        yield value
        for nxt in it:
            heads[best][0] = nxt
            break
        else:
            del heads[best]


def multiples(k, limit):
    return (k * i for i in range(1, limit // k + 1))


class Node:
    def __init__(self, value, children=()):
        self.value = value
        self.children = list(children)

    def walk(self, depth=0):
        yield depth, self.value
        for child in self.children:
            yield from child.walk(depth + 1)


def build_tree(depth, fanout, counter):
    counter[0] += 1
    node = Node(counter[0])
    if depth > 0:
        node.children = [build_tree(depth - 1, fanout, counter) for _ in range(fanout)]
    return node


def averager():
    total = 0
    count = 0
    average = None
    while True:
        value = yield average
        if value is None:
            break
        total += value
        count += 1
        average = total // count
    return total


def drive_averager(values):
    acc = averager()
    next(acc)
    last = None
    for v in values:
        last = acc.send(v)
    try:
        acc.send(None)
    except StopIteration as stop:
        return last, stop.value
    raise AssertionError("averager did not stop")


def fibonacci():
    a, b = 0, 1
    while True:
        yield a
        a, b = b, a + b


def take(n, items):
    for i, item in zip(range(n), items):
        yield item


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 300000
    results = []

    # 1. filter/map/window pipeline
    odd = keep(lambda x: x % 2, scramble(naturals(0, n), 10007))
    sums = (sum(w) for w in windows(odd, 5))
    results.append(sum(s % 1000 for s in sums))

    # 2. run-length round trip
    data = [(i // 3) % 11 for i in range(n)]
    encoded = list(run_lengths(data))
    decoded = list(expand(encoded))
    results.append(len(encoded) * (1 if decoded == data else -1))

    # 3. merging sorted streams
    merged = merge(multiples(3, n), multiples(5, n), multiples(7, n))
    results.append(sum(v for v, _ in zip(merged, range(n // 2))) % 1000003)

    # 4. recursive tree walk with yield from
    tree = build_tree(7, 3, [0])
    depth_sum = 0
    value_sum = 0
    for _ in range(max(1, n // 20000)):
        for depth, value in tree.walk():
            depth_sum += depth
            value_sum += value
    results.append(depth_sum)
    results.append(value_sum)

    # 5. send-driven coroutine
    last, total = drive_averager(x % 97 for x in range(n))
    results.append(last)
    results.append(total)

    # 6. nested generator expressions and infinite generators
    fib_digits = sum(len(str(f)) for f in take(min(n // 20, 3000), fibonacci()))
    results.append(fib_digits)
    pairs = sum(1 for a in range(200) for b in range(a, 200) if (a * b) % 7 == 3)
    results.append(pairs)

    print("generators n=%d %s" % (n, " ".join(str(r) for r in results)))


main()
