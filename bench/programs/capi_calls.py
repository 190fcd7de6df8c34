"""C API speed: one workload of bench/capi/capibench.c (built by bench/run.py into
target/bench-ext), chosen by the first argument, run for the second argument's count.
Calls into C by each calling convention, C calling Python, and loops of one API call."""
import sys

sys.path.insert(0, "target/bench-ext")
import capibench as c  # noqa: E402


class Obj:
    def __init__(self):
        self.value = 1


def py_func():
    return None


def run(workload, n):
    if workload == "noargs":
        f = c.noargs
        for _ in range(n):
            f()
        return n
    if workload == "o":
        f = c.one
        s = 0
        for i in range(n):
            s += f(i)
        return s
    if workload == "fastcall":
        f = c.fast
        for i in range(n):
            f(i, i)
        return n
    if workload == "varkw":
        f = c.varkw
        s = 0
        for i in range(n):
            s += f(i, k=i)
        return s
    if workload == "call_python":
        c.call_python(py_func, n)
        return n
    if workload == "long":
        return c.long_roundtrip(1000, n)
    if workload == "getattr":
        return c.getattr_loop(Obj(), n)
    if workload == "tuple":
        return c.tuple_build(n)
    if workload == "dict":
        return c.dict_loop([f"key{i}" for i in range(100)], n // 100)
    raise SystemExit(f"unknown workload {workload}")


if __name__ == "__main__":
    workload = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 2_000_000
    print(workload, run(workload, n))
