"""Dict and list heavy work: word frequencies, grouping, inversion,
sorting with keys, list slicing/insertion/removal, a queue simulation,
set algebra and comprehensions over integers, strings and tuples.

Prints a line of results.
"""
import sys


class Lcg:
    def __init__(self, seed):
        self.state = seed

    def next(self, n):
        self.state = (self.state * 1103515245 + 12345) & 0x7FFFFFFF
        return (self.state >> 3) % n


SYLLABLES = ["ka", "lo", "mi", "nu", "pe", "ra", "si", "to", "ve", "zu"]


def make_words(rng, n):
    words = []
    for _ in range(n):
        length = 1 + rng.next(3)
        words.append("".join(SYLLABLES[rng.next(len(SYLLABLES))] for _ in range(length)))
    return words


def frequencies(words):
    counts = {}
    for w in words:
        counts[w] = counts.get(w, 0) + 1
    return counts


def group_by_length(words):
    groups = {}
    for w in words:
        groups.setdefault(len(w), []).append(w)
    return {k: len(set(v)) for k, v in groups.items()}


def invert(counts):
    inverted = {}
    for word, count in counts.items():
        inverted.setdefault(count, []).append(word)
    for bucket in inverted.values():
        bucket.sort()
    return inverted


def top(counts, k):
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return ranked[:k]


def list_surgery(n):
    items = list(range(n))
    for i in range(0, n, 7):
        items.insert(i % (len(items) + 1), -i)
    del items[::5]
    items.reverse()
    removed = 0
    for v in (3, 10, 50, 999, -14):
        if v in items:
            items.remove(v)
            removed += 1
    items.extend(x * 2 for x in items[:100])
    evens = [x for x in items if x % 2 == 0]
    return len(items), sum(items[::3]), len(evens), removed, items.index(items[len(items) // 2])


def queue_simulation(rng, steps):
    queue = []
    served = 0
    waited = 0
    tick = 0
    for tick in range(steps):
        for _ in range(rng.next(3)):
            queue.append(tick)
        if queue and rng.next(4):
            waited += tick - queue.pop(0)
            served += 1
    return served, waited, len(queue)


def set_algebra(n):
    a = {x * x % 1009 for x in range(n)}
    b = {x * 7 % 1009 for x in range(n // 2)}
    c = set(range(0, 1009, 3))
    return len(a & b), len(a | c), len(a - b), len(a ^ c), sum(sorted(b)[:10])


def matrix_ops(size):
    m = [[(i * size + j) % 13 for j in range(size)] for i in range(size)]
    t = [list(row) for row in zip(*m)]
    product = [[sum(a * b for a, b in zip(row, col)) for col in t] for row in m]
    return sum(map(sum, product)), max(max(row) for row in product)


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 50000
    rng = Lcg(7)
    words = make_words(rng, n)
    counts = frequencies(words)
    inverted = invert(counts)
    results = [
        len(counts),
        sorted(group_by_length(words).items()),
        top(counts, 3),
        max(inverted),
        len(inverted[min(inverted)]),
        list_surgery(n),
        queue_simulation(rng, n),
        set_algebra(n),
        matrix_ops(40),
        sum(len(k) * v for k, v in counts.items()),
        dict(zip("abc", [3, 2, 1])),
    ]
    print("dict_list n=%d %s" % (n, " ".join(str(r) for r in results)))


main()
