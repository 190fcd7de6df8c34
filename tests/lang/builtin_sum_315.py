# requires: 3.15
# sum() of floats uses compensated summation (CPython 3.12+, and complex totals in 3.14+):
# the low-order bits each addition loses are kept and added back at the end.
assert sum([0.1] * 10) == 1.0
assert sum([1e100, 1.0, -1e100, 1.0]) == 2.0
assert sum([1, 2.5, 0.1, 0.2]) == 3.8
assert sum([0.1, 0.2, 0.3], 1) == 1.6
assert str(sum([-0.0])) == "0.0" and str(sum([-0.0], -0.0)) == "-0.0"
assert str(sum([float("inf"), float("-inf")])) == "nan"
assert sum([float("inf"), 1.0, 2.0]) == float("inf")
assert sum([1e308, 1e308, -1e308]) == float("inf")
assert sum([0.1j] * 10) == 1j
assert sum([0.1 + 0.1j] * 10, 0j) == 1 + 1j
assert sum([1e100j, 1.0, -1e100j, 1.0, 0.1], 0j) == 2.1
print("builtin_sum_315: ok")
