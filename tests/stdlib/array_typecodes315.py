# requires: 3.15
# array's 3.15 additions: the 'w', 'e', 'Zf' and 'Zd' type codes, their buffer formats and
# byte swapping, clear(), array[int], and the 3.15 wording of the type-code errors.
import array
import pickle


def err(f):
    try:
        r = f()
    except Exception as e:
        return "%s: %s" % (type(e).__name__, e)
    return "ok %r" % (r,)


print(array.typecodes)
for tc in ("w", "e", "Zf", "Zd"):
    a = array.array(tc, "ab" if tc == "w" else [1, 2.5])
    print(repr(a), a.itemsize, a.typecode, memoryview(a).format, a.tobytes().hex(), repr(a[0]))
    for v in ("x", "xy", None, 1e300, 2j, 7):
        print(" ", repr(v), err(lambda: a.append(v) or a[-1]))
    a.byteswap()
    print(" ", a.tobytes().hex())
    print(" ", pickle.loads(pickle.dumps(a)) == a, a.__reduce_ex__(3)[1][2])
w = array.array("w", "héllo")
print(w.tounicode(), w[1:3], err(lambda: array.array("i").tounicode()), err(lambda: array.array("i").fromunicode("a")))
print(err(lambda: array.array("z")), err(lambda: array.array("bb")), err(lambda: array.array(1)), err(lambda: array.array("")))
print(err(lambda: array.array("w", [1])), err(lambda: array.array("w", ["ab"])))
c = array.array("i", [1, 2, 3])
c.clear()
print(c, array.array[int], err(lambda: array.array("i", [1]) < 3))
print("array_typecodes315: ok")
