"""Spectral norm of the infinite matrix A(i, j) = 1 / ((i+j)(i+j+1)/2 + i + 1).

Runs ten rounds of the power method on an n x n truncation, computing
A*v and transpose(A)*v with nested loops over float lists.
"""
import sys


def entry(i, j):
    s = i + j
    return 1.0 / (s * (s + 1) // 2 + i + 1)


def mul_a(v, n):
    out = []
    for i in range(n):
        total = 0.0
        for j in range(n):
            total += entry(i, j) * v[j]
        out.append(total)
    return out


def mul_at(v, n):
    out = []
    for i in range(n):
        total = 0.0
        for j in range(n):
            total += entry(j, i) * v[j]
        out.append(total)
    return out


def mul_ata(v, n):
    return mul_at(mul_a(v, n), n)


def spectral_norm(n):
    u = [1.0] * n
    v = u
    for _ in range(10):
        v = mul_ata(u, n)
        u = mul_ata(v, n)
    vbv = 0.0
    vv = 0.0
    for a, b in zip(u, v):
        vbv += a * b
        vv += b * b
    return (vbv / vv) ** 0.5


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    print("spectral_norm n=%d %.9f" % (n, spectral_norm(n)))


main()
