"""Chaos game: render iterated-function-system fractals into a grid.

Several IFS (a fern, a Sierpinski triangle, a spiral and a dragon) are
built from weighted affine maps.  A point is repeatedly sent through a map
picked by a small linear congruential generator, and the visited cells of
a character grid are counted.  Prints, per fractal, the number of cells hit
and a checksum of the grid.
"""
import sys


class Rng:
    """A 31-bit linear congruential generator (deterministic everywhere)."""

    def __init__(self, seed):
        self.state = seed & 0x7FFFFFFF

    def next_float(self):
        self.state = (self.state * 1103515245 + 12345) & 0x7FFFFFFF
        return self.state / 2147483648.0


class Affine:
    def __init__(self, a, b, c, d, e, f, weight):
        self.a, self.b, self.c, self.d, self.e, self.f = a, b, c, d, e, f
        self.weight = weight

    def apply(self, x, y):
        return (self.a * x + self.b * y + self.e,
                self.c * x + self.d * y + self.f)


class Fractal:
    def __init__(self, name, maps):
        self.name = name
        self.maps = maps
        total = sum(m.weight for m in maps)
        self.thresholds = []
        acc = 0.0
        for m in maps:
            acc += m.weight / total
            self.thresholds.append(acc)

    def pick(self, rng):
        r = rng.next_float()
        for threshold, m in zip(self.thresholds, self.maps):
            if r < threshold:
                return m
        return self.maps[-1]

    def bounds(self, rng, samples):
        x = y = 0.0
        min_x = min_y = 1e300
        max_x = max_y = -1e300
        for i in range(samples):
            x, y = self.pick(rng).apply(x, y)
            if i < 20:
                continue
            min_x = min(min_x, x)
            max_x = max(max_x, x)
            min_y = min(min_y, y)
            max_y = max(max_y, y)
        return min_x, min_y, max_x, max_y

    def render(self, rng, width, height, points):
        min_x, min_y, max_x, max_y = self.bounds(rng, 2000)
        span_x = (max_x - min_x) or 1.0
        span_y = (max_y - min_y) or 1.0
        grid = [[0] * width for _ in range(height)]
        x = y = 0.0
        for i in range(points):
            x, y = self.pick(rng).apply(x, y)
            if i < 20:
                continue
            col = int((x - min_x) / span_x * (width - 1))
            row = int((max_y - y) / span_y * (height - 1))
            if 0 <= col < width and 0 <= row < height:
                grid[row][col] += 1
        return grid


def fractals():
    return [
        Fractal("fern", [
            Affine(0.0, 0.0, 0.0, 0.16, 0.0, 0.0, 1),
            Affine(0.85, 0.04, -0.04, 0.85, 0.0, 1.6, 85),
            Affine(0.2, -0.26, 0.23, 0.22, 0.0, 1.6, 7),
            Affine(-0.15, 0.28, 0.26, 0.24, 0.0, 0.44, 7),
        ]),
        Fractal("sierpinski", [
            Affine(0.5, 0.0, 0.0, 0.5, 0.0, 0.0, 1),
            Affine(0.5, 0.0, 0.0, 0.5, 0.5, 0.0, 1),
            Affine(0.5, 0.0, 0.0, 0.5, 0.25, 0.433, 1),
        ]),
        Fractal("spiral", [
            Affine(0.787879, -0.424242, 0.242424, 0.859848, 1.758647, 1.408065, 90),
            Affine(-0.121212, 0.257576, 0.151515, 0.053030, -6.721654, 1.377236, 5),
            Affine(0.181818, -0.136364, 0.090909, 0.181818, 6.086107, 1.568035, 5),
        ]),
        Fractal("dragon", [
            Affine(0.824074, 0.281482, -0.212346, 0.864198, -1.882290, -0.110607, 79),
            Affine(0.088272, 0.520988, -0.463889, -0.377778, 0.785360, 8.095795, 21),
        ]),
    ]


def summarize(grid):
    hit = 0
    checksum = 0
    for r, row in enumerate(grid):
        for c, count in enumerate(row):
            if count:
                hit += 1
                checksum = (checksum * 7 + (r * 131 + c) * count) % 1000000007
    return hit, checksum


def ascii_art(grid, levels=" .:-=+*#%@"):
    peak = max(max(row) for row in grid) or 1
    lines = []
    for row in grid:
        lines.append("".join(levels[min(len(levels) - 1, count * len(levels) // (peak + 1))]
                             for count in row))
    return "\n".join(lines)


def main():
    points = int(sys.argv[1]) if len(sys.argv) > 1 else 100000
    rng = Rng(20240229)
    parts = []
    art_size = 0
    for fractal in fractals():
        grid = fractal.render(rng, 64, 40, points)
        hit, checksum = summarize(grid)
        art_size += len(ascii_art(grid).replace(" ", ""))
        parts.append("%s:%d/%d" % (fractal.name, hit, checksum))
    print("chaos points=%d %s ink=%d" % (points, " ".join(parts), art_size))


main()
