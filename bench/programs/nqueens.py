"""N-queens: find every placement of n non-attacking queens.

Two solvers are run: a recursive generator that extends partial
placements kept as tuples, checking attacks with set membership, and a
bitmask backtracker.  Prints the solution counts and a checksum of the
solutions found by the generator.
"""
import sys


def placements(n, row=0, cols=(), diag1=frozenset(), diag2=frozenset()):
    if row == n:
        yield cols
        return
    for col in range(n):
        if col in cols or (row + col) in diag1 or (row - col) in diag2:
            continue
        yield from placements(n, row + 1, cols + (col,),
                              diag1 | {row + col}, diag2 | {row - col})


def count_bitmask(n):
    full = (1 << n) - 1

    def solve(cols, left, right):
        if cols == full:
            return 1
        total = 0
        free = full & ~(cols | left | right)
        while free:
            bit = free & -free
            free ^= bit
            total += solve(cols | bit, ((left | bit) << 1) & full, (right | bit) >> 1)
        return total

    return solve(0, 0, 0)


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 11
    solutions = list(placements(n))
    checksum = 0
    for index, sol in enumerate(solutions):
        value = 0
        for col in sol:
            value = value * n + col
        checksum = (checksum * 31 + value + index) % 1000000007
    known = set(solutions)
    mirrored = sum(1 for sol in solutions if tuple(n - 1 - c for c in sol) in known)
    counts = [count_bitmask(k) for k in range(1, n + 2)]
    print("nqueens n=%d solutions=%d mirrored=%d checksum=%d bitmask=%s"
          % (n, len(solutions), mirrored, checksum, counts))


main()
