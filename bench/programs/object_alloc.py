"""Object allocation: many short-lived and long-lived small objects.

Builds and checks complete binary trees (as in the binary-trees
benchmark), a linked list that is rebuilt and reversed, particles with
__slots__ that are created, updated and discarded, and records held in
lists and dicts.  Prints a line of results.
"""
import sys


class TreeNode:
    def __init__(self, left, right):
        self.left = left
        self.right = right

    def check(self):
        if self.left is None:
            return 1
        return 1 + self.left.check() + self.right.check()


def make_tree(depth):
    if depth == 0:
        return TreeNode(None, None)
    return TreeNode(make_tree(depth - 1), make_tree(depth - 1))


def binary_trees(max_depth):
    min_depth = 4
    long_lived = make_tree(max_depth)
    lines = []
    for depth in range(min_depth, max_depth + 1, 2):
        iterations = 1 << (max_depth - depth + min_depth)
        checked = 0
        for _ in range(iterations):
            checked += make_tree(depth).check()
        lines.append((iterations, depth, checked))
    return lines, long_lived.check()


class Link:
    __slots__ = ("value", "next")

    def __init__(self, value, next=None):
        self.value = value
        self.next = next


def linked_list_work(n):
    head = None
    for i in range(n):
        head = Link(i, head)
    # reverse in place
    prev = None
    while head is not None:
        nxt = head.next
        head.next = prev
        prev = head
        head = nxt
    total = 0
    node = prev
    position = 0
    while node is not None:
        total += node.value * (position % 3)
        position += 1
        node = node.next
    return total


class Particle:
    __slots__ = ("x", "y", "vx", "vy", "age")

    def __init__(self, x, y, vx, vy):
        self.x = x
        self.y = y
        self.vx = vx
        self.vy = vy
        self.age = 0

    def step(self):
        self.x += self.vx
        self.y += self.vy
        self.vy -= 1
        self.age += 1
        return self.y >= 0


def particle_system(steps):
    alive = []
    born = 0
    retired = 0
    for t in range(steps):
        for k in range(4):
            alive.append(Particle(t % 17, 0, (k - 2) * (t % 3), 8 + (t + k) % 9))
            born += 1
        survivors = []
        for p in alive:
            if p.step():
                survivors.append(p)
            else:
                retired += p.age
        alive = survivors
    return born, retired, len(alive)


class Record:
    def __init__(self, ident, name, tags):
        self.ident = ident
        self.name = name
        self.tags = tags

    def key(self):
        return (self.name, self.ident)


def records(n):
    table = {}
    for i in range(n):
        rec = Record(i, "r%d" % (i % 97), [i % 5, i % 7])
        table[rec.key()] = rec
    pairs = [(r.ident, tuple(r.tags)) for r in table.values() if r.tags[0] == 1]
    return len(table), len(pairs), sum(a for a, _ in pairs) % 1000003


def main():
    depth = int(sys.argv[1]) if len(sys.argv) > 1 else 13
    lines, long_check = binary_trees(depth)
    results = [
        lines,
        long_check,
        linked_list_work(1 << depth),
        particle_system(1 << (depth - 3)),
        records(1 << (depth - 1)),
    ]
    print("object_alloc depth=%d %s" % (depth, " ".join(str(r) for r in results)))


main()
