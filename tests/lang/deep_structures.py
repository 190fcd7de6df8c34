# Deep native recursion raises RecursionError instead of overflowing the stack (repr, comparison,
# Python __repr__ chains), and deep structures are freed without recursing per level.
import sys
l = []
for i in range(200000):
    l = [l]
try:
    repr(l)
except RecursionError as e:
    print("RecursionError", e)
a = []; b = []
for i in range(200000):
    a = [a]; b = [b]
try:
    a == b
except RecursionError as e:
    print("RecursionError", e)
class R:
    def __init__(s, c): s.c = c
    def __repr__(s): return "R(" + repr(s.c) + ")"
r = None
for i in range(100000): r = R(r)
try:
    repr(r)
except RecursionError as e:
    print("RecursionError", str(e)[:32])
def f(n): return f(n+1)
try: f(0)
except RecursionError as e: print("RecursionError", e)
l = a = b = r = None
print("deep_structures: ok")
