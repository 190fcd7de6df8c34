"""Numeric loops: integer and float arithmetic in tight while/for loops.

Collatz chain lengths, Euclid's gcd, a trial-division prime count, integer
square roots by Newton's method, bit counting with shifts and masks, a
Mandelbrot set membership grid and a Leibniz series for pi.  Prints a line
of results.
"""
import sys


def collatz_max(limit):
    best = 0
    best_start = 1
    for start in range(1, limit):
        n = start
        steps = 0
        while n != 1:
            if n & 1:
                n = 3 * n + 1
            else:
                n >>= 1
            steps += 1
        if steps > best:
            best = steps
            best_start = start
    return best_start, best


def gcd(a, b):
    while b:
        a, b = b, a % b
    return a


def coprime_pairs(limit):
    count = 0
    for a in range(1, limit):
        for b in range(a, limit):
            if gcd(a, b) == 1:
                count += 1
    return count


def count_primes(limit):
    count = 0
    n = 2
    while n < limit:
        d = 2
        prime = True
        while d * d <= n:
            if n % d == 0:
                prime = False
                break
            d += 1
        if prime:
            count += 1
        n += 1
    return count


def isqrt(n):
    if n < 2:
        return n
    x = n
    y = (x + 1) // 2
    while y < x:
        x = y
        y = (x + n // x) // 2
    return x


def popcount_sum(limit):
    total = 0
    for n in range(limit):
        while n:
            n &= n - 1
            total += 1
    return total


def mandelbrot(width, height, max_iter):
    inside = 0
    escape_sum = 0
    for py in range(height):
        ci = -1.2 + 2.4 * py / height
        for px in range(width):
            cr = -2.0 + 3.0 * px / width
            zr = zi = 0.0
            i = 0
            while i < max_iter:
                zr2 = zr * zr
                zi2 = zi * zi
                if zr2 + zi2 > 4.0:
                    break
                zi = 2.0 * zr * zi + ci
                zr = zr2 - zi2 + cr
                i += 1
            if i == max_iter:
                inside += 1
            else:
                escape_sum += i
    return inside, escape_sum


def leibniz(terms):
    total = 0.0
    sign = 1.0
    for k in range(terms):
        total += sign / (2 * k + 1)
        sign = -sign
    return 4.0 * total


def main():
    scale = int(sys.argv[1]) if len(sys.argv) > 1 else 12
    results = [
        collatz_max(3000 * scale),
        coprime_pairs(40 * scale),
        count_primes(3000 * scale),
        sum(isqrt(k * 1000003) for k in range(1000 * scale)),
        popcount_sum(5000 * scale),
        mandelbrot(8 * scale, 6 * scale, 100),
        "%.10f" % leibniz(20000 * scale),
    ]
    print("numeric_loops scale=%d %s" % (scale, " ".join(str(r) for r in results)))


main()
