# _heapq and _bisect directly and through Lib/heapq.py and Lib/bisect.py.
import _heapq
import _bisect
import heapq
import bisect


def err(f, *a):
    try:
        f(*a)
    except Exception as e:
        print("  ", type(e).__name__, e)
    else:
        print("   no error")


h = []
for x in [5, 3, 8, 1, 9, 2, 7]:
    _heapq.heappush(h, x)
print(h, [_heapq.heappop(h) for _ in range(len(h))])
data = [9, 4, 7, 1, 8, 2, 6, 3, 5, 0]
_heapq.heapify(data)
print(data, _heapq.heapreplace(data, 10), _heapq.heappushpop(data, -1), _heapq.heappushpop(data, 4), data)
print(heapq.nsmallest(3, [5, 1, 4, 2, 3]), heapq.nlargest(2, "hello"), list(heapq.merge([1, 4, 7], [2, 5, 8], [3, 6])))
print(heapq.nsmallest(2, [("b", 2), ("a", 9), ("c", 1)], key=lambda t: t[1]), heapq.nlargest(3, range(100), key=lambda v: -v))
tasks = []
for prio, name in [(3, "write"), (1, "plan"), (2, "code"), (1, "eat")]:
    heapq.heappush(tasks, (prio, name))
print([heapq.heappop(tasks) for _ in range(4)])
err(_heapq.heappop, [])
err(_heapq.heapreplace, [], 1)
err(_heapq.heappush, (), 1)
print(_heapq.heappushpop([], 5))


class Evil:
    def __init__(self, v, heap):
        self.v, self.heap = v, heap

    def __lt__(self, other):
        self.heap.clear()
        return False


hh = []
hh.extend([Evil(1, hh), Evil(2, hh)])
err(_heapq.heappush, hh, Evil(0, hh))

a = [1, 2, 4, 4, 4, 7, 9]
print(_bisect.bisect_left(a, 4), _bisect.bisect_right(a, 4), _bisect.bisect_left(a, 0), _bisect.bisect_right(a, 10),
      _bisect.bisect_left(a, 4, 3), _bisect.bisect_right(a, 4, 0, 3), bisect.bisect(a, 5))
_bisect.insort_left(a, 3)
bisect.insort(a, 4)
_bisect.insort_right(a, 100, lo=2)
print(a)
grades = "FDCBA"
print([grades[bisect.bisect([60, 70, 80, 90], s)] for s in [33, 99, 77, 70, 89, 90, 100]])
recs = [("alice", 3), ("bob", 5), ("carol", 9)]
print(bisect.bisect_left(recs, 5, key=lambda r: r[1]), bisect.bisect_right(recs, 5, key=lambda r: r[1]))
bisect.insort(recs, ("dave", 7), key=lambda r: r[1])
print(recs)
try:
    _bisect.bisect_left(a, 1, -1)
except ValueError:
    print("   lo < 0: ValueError")  # 3.15 words it "lo cannot be negative"
err(_bisect.bisect_left, 5, 1)
print(_bisect.bisect_left(range(0, 100, 5), 42), _bisect.bisect_right(a, 4, hi=None))
print("heapq_bisect: ok")
