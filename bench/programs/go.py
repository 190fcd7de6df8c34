"""A small Go engine playing itself on a 9x9 board.

The board is a flat list with a border of sentinel points.  Moves are
checked for legality (occupied points, suicide and simple ko), captures
remove groups found by flood fill, and positions are scored by area
(stones plus surrounded empty points) with komi.  Each move is chosen by
flat Monte Carlo: random playouts from the current position, driven by a
small linear congruential generator, credit the first move they played.
Prints the moves of the game and the final score.
"""
import sys

EMPTY, BLACK, WHITE, EDGE = 0, 1, 2, 3
PASS = -1
KOMI = 7.5


def other(color):
    return 3 - color


class Rng:
    def __init__(self, seed):
        self.state = seed

    def below(self, n):
        self.state = (self.state * 1103515245 + 12345) & 0x7FFFFFFF
        return (self.state >> 7) % n


class IllegalMove(Exception):
    pass


class Board:
    def __init__(self, size):
        self.size = size
        self.stride = size + 2
        self.points = [EDGE] * (self.stride * self.stride)
        self.empties = []
        for row in range(size):
            for col in range(size):
                p = (row + 1) * self.stride + col + 1
                self.points[p] = EMPTY
                self.empties.append(p)
        self.offsets = (1, -1, self.stride, -self.stride)
        self.ko = None
        self.to_move = BLACK
        self.passes = 0
        self.history = []

    def copy(self):
        twin = Board.__new__(Board)
        twin.size = self.size
        twin.stride = self.stride
        twin.points = self.points[:]
        twin.empties = self.empties[:]
        twin.offsets = self.offsets
        twin.ko = self.ko
        twin.to_move = self.to_move
        twin.passes = self.passes
        twin.history = []
        return twin

    def name(self, p):
        if p == PASS:
            return "pass"
        row, col = divmod(p, self.stride)
        return "ABCDEFGHJKLMNOPQRST"[col - 1] + str(self.size - row + 1)

    def group(self, start):
        """Return the stones of the group containing `start`."""
        points = self.points
        color = points[start]
        stones = [start]
        seen = {start}
        i = 0
        while i < len(stones):
            p = stones[i]
            i += 1
            for d in self.offsets:
                q = p + d
                if points[q] == color and q not in seen:
                    seen.add(q)
                    stones.append(q)
        return stones

    def has_liberty(self, start):
        """Flood fill that stops at the first liberty found."""
        points = self.points
        color = points[start]
        pending = [start]
        seen = {start}
        while pending:
            p = pending.pop()
            for d in self.offsets:
                q = p + d
                v = points[q]
                if v == EMPTY:
                    return True
                if v == color and q not in seen:
                    seen.add(q)
                    pending.append(q)
        return False

    def is_eye(self, p, color):
        points = self.points
        for d in self.offsets:
            v = points[p + d]
            if v != color and v != EDGE:
                return False
        return True

    def play(self, p):
        color = self.to_move
        if p == PASS:
            self.passes += 1
            self.ko = None
            self.to_move = other(color)
            self.history.append(p)
            return
        points = self.points
        if points[p] != EMPTY:
            raise IllegalMove("occupied")
        if p == self.ko:
            raise IllegalMove("ko")
        enemy = other(color)
        points[p] = color
        captured = []
        for d in self.offsets:
            q = p + d
            if points[q] == enemy and not self.has_liberty(q):
                stones = self.group(q)
                for s in stones:
                    points[s] = EMPTY
                captured.extend(stones)
        if not self.has_liberty(p):
            points[p] = EMPTY
            raise IllegalMove("suicide")
        self.empties.remove(p)
        self.empties.extend(captured)
        self.ko = None
        if len(captured) == 1:
            lonely = True
            for d in self.offsets:
                if points[p + d] == color:
                    lonely = False
            if lonely:
                self.ko = captured[0]
        self.passes = 0
        self.to_move = enemy
        self.history.append(p)

    def legal(self, p):
        if self.points[p] != EMPTY or p == self.ko:
            return False
        trial = self.copy()
        try:
            trial.play(p)
        except IllegalMove:
            return False
        return True

    def random_move(self, rng):
        """Play a random legal move that does not fill an own eye; else pass."""
        candidates = self.empties[:]
        color = self.to_move
        while candidates:
            i = rng.below(len(candidates))
            p = candidates[i]
            candidates[i] = candidates[-1]
            candidates.pop()
            if p == self.ko or self.is_eye(p, color):
                continue
            try:
                self.play(p)
                return p
            except IllegalMove:
                continue
        self.play(PASS)
        return PASS

    def score(self):
        """Area score from Black's point of view (komi included)."""
        black = white = 0
        for p in range(len(self.points)):
            v = self.points[p]
            if v == BLACK:
                black += 1
            elif v == WHITE:
                white += 1
            elif v == EMPTY:
                near = set()
                for d in self.offsets:
                    near.add(self.points[p + d])
                near.discard(EDGE)
                if near == {BLACK}:
                    black += 1
                elif near == {WHITE}:
                    white += 1
        return black - white - KOMI

    def playout(self, rng, limit):
        moves = 0
        while self.passes < 2 and moves < limit:
            self.random_move(rng)
            moves += 1
        return self.score()

    def render(self):
        marks = {EMPTY: ".", BLACK: "X", WHITE: "O"}
        lines = []
        for row in range(1, self.size + 1):
            start = row * self.stride + 1
            lines.append(" ".join(marks[v] for v in self.points[start:start + self.size]))
        return "\n".join(lines)


def choose_move(board, rng, playouts):
    color = board.to_move
    wins = {}
    tries = {}
    for _ in range(playouts):
        trial = board.copy()
        first = trial.random_move(rng)
        result = trial.playout(rng, 3 * board.size * board.size)
        won = (result > 0) == (color == BLACK)
        tries[first] = tries.get(first, 0) + 1
        if won:
            wins[first] = wins.get(first, 0) + 1
    best = PASS
    best_rate = -1.0
    for move in sorted(tries):
        if move == PASS:
            continue
        rate = (wins.get(move, 0) + 1) / (tries[move] + 2)
        if rate > best_rate:
            best_rate = rate
            best = move
    if best != PASS and not board.legal(best):
        best = PASS
    return best


def play_game(size, playouts, max_moves, rng):
    board = Board(size)
    while board.passes < 2 and len(board.history) < max_moves:
        board.play(choose_move(board, rng, playouts))
    return board


def main():
    playouts = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    rng = Rng(42)
    board = play_game(9, playouts, 30, rng)
    moves = " ".join(board.name(p) for p in board.history)
    stones = board.render().count("X"), board.render().count("O")
    print("go playouts=%d moves=%d score=%+.1f stones=%d/%d" % (
        playouts, len(board.history), board.score(), stones[0], stones[1]))
    print(moves)


main()
