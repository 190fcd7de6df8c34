"""Hexiom: a hexagonal tile-placement puzzle, solved by search.

The board is a hexagon of cells in axial coordinates.  A puzzle gives a
bag of tiles numbered 0..6 and a few tiles locked in place; every tile must
end up on a cell whose number of occupied neighbours equals the tile's
number.  Puzzles are generated from a hidden random layout (own linear
congruential generator), then all solutions are counted by a
forward-checking search that always branches on the cell with the fewest
candidate values.  Prints, per puzzle, the number of solutions, search
nodes and a checksum of the solutions.
"""
import sys

EMPTY = -1
DIRECTIONS = ((1, 0), (1, -1), (0, -1), (-1, 0), (-1, 1), (0, 1))


class Rng:
    def __init__(self, seed):
        self.state = seed

    def below(self, n):
        self.state = (self.state * 1103515245 + 12345) & 0x7FFFFFFF
        return (self.state >> 4) % n


class HexBoard:
    def __init__(self, radius):
        self.radius = radius
        self.cells = [(q, r)
                      for r in range(-radius, radius + 1)
                      for q in range(-radius, radius + 1)
                      if abs(q + r) <= radius]
        index = {cell: i for i, cell in enumerate(self.cells)}
        self.neighbours = []
        for q, r in self.cells:
            near = []
            for dq, dr in DIRECTIONS:
                j = index.get((q + dq, r + dr))
                if j is not None:
                    near.append(j)
            self.neighbours.append(tuple(near))

    def __len__(self):
        return len(self.cells)

    def draw(self, values):
        rows = {}
        for (q, r), v in zip(self.cells, values):
            rows.setdefault(r, []).append("." if v == EMPTY else str(v))
        lines = []
        for r in sorted(rows):
            lines.append(" " * abs(r) + " ".join(rows[r]))
        return "\n".join(lines)


class Puzzle:
    def __init__(self, board, tiles, locked):
        self.board = board
        self.tiles = tiles          # tiles[v] = how many tiles carry number v
        self.locked = locked        # {cell index: value}

    @classmethod
    def generate(cls, radius, rng, density, locks):
        board = HexBoard(radius)
        occupied = [rng.below(100) < density for _ in range(len(board))]
        values = []
        for i, occ in enumerate(occupied):
            if occ:
                values.append(sum(1 for j in board.neighbours[i] if occupied[j]))
            else:
                values.append(EMPTY)
        tiles = [0] * 7
        for v in values:
            if v != EMPTY:
                tiles[v] += 1
        locked = {}
        while len(locked) < locks:
            i = rng.below(len(board))
            locked[i] = values[i]
        return cls(board, tiles, locked), values


class Solver:
    def __init__(self, puzzle):
        self.puzzle = puzzle
        self.board = puzzle.board
        n = len(self.board)
        self.values = [None] * n
        self.remaining = puzzle.tiles[:]
        self.empties_left = n - sum(puzzle.tiles)
        self.nodes = 0
        self.solutions = []
        for i, v in puzzle.locked.items():
            self.assign(i, v)

    def assign(self, i, v):
        self.values[i] = v
        if v == EMPTY:
            self.empties_left -= 1
        else:
            self.remaining[v] -= 1

    def unassign(self, i):
        v = self.values[i]
        self.values[i] = None
        if v == EMPTY:
            self.empties_left += 1
        else:
            self.remaining[v] += 1

    def satisfiable(self, i):
        v = self.values[i]
        if v is None or v == EMPTY:
            return True
        occupied = unknown = 0
        for j in self.board.neighbours[i]:
            w = self.values[j]
            if w is None:
                unknown += 1
            elif w != EMPTY:
                occupied += 1
        return occupied <= v <= occupied + unknown

    def fits(self, i, v):
        self.assign(i, v)
        ok = self.satisfiable(i) and all(self.satisfiable(j) for j in self.board.neighbours[i])
        self.unassign(i)
        return ok

    def candidates(self, i):
        options = []
        if self.empties_left > 0 and self.fits(i, EMPTY):
            options.append(EMPTY)
        limit = len(self.board.neighbours[i])
        for v in range(limit + 1):
            if self.remaining[v] > 0 and self.fits(i, v):
                options.append(v)
        return options

    def search(self):
        self.nodes += 1
        best = None
        best_options = None
        for i, v in enumerate(self.values):
            if v is not None:
                continue
            options = self.candidates(i)
            if not options:
                return
            if best is None or len(options) < len(best_options):
                best = i
                best_options = options
                if len(options) == 1:
                    break
        if best is None:
            self.solutions.append(tuple(self.values))
            return
        for v in best_options:
            self.assign(best, v)
            self.search()
            self.unassign(best)

    def solve(self):
        if all(self.satisfiable(i) for i in range(len(self.board))):
            self.search()
        return self.solutions


def checksum(solutions):
    total = 0
    for sol in solutions:
        h = 0
        for v in sol:
            h = (h * 9 + v + 2) % 1000003
        total = (total + h) % 1000003
    return total


def main():
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 16
    rng = Rng(1234)
    reports = []
    total_solutions = 0
    total_nodes = 0
    for k in range(count):
        radius = 2 + k % 2
        locks = 4 if radius == 2 else 15
        puzzle, hidden = Puzzle.generate(radius, rng, 55, locks)
        solver = Solver(puzzle)
        solutions = solver.solve()
        total_nodes += solver.nodes
        if tuple(hidden) not in solutions:
            raise AssertionError("hidden layout not found:\n" + puzzle.board.draw(hidden))
        total_solutions += len(solutions)
        reports.append("%d:%d" % (len(solutions), checksum(solutions)))
    print("hexiom puzzles=%d solutions=%d nodes=%d %s"
          % (count, total_solutions, total_nodes, " ".join(reports)))


main()
