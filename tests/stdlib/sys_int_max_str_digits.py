# The int/str conversion length limit (CPython 3.11+): sys.get/set_int_max_str_digits,
# sys.int_info, and the ValueErrors of int(str), str(int), repr, %-formatting and format for
# non-power-of-two bases; hex/oct/bin and bases 2, 4, 8, 16, 32 are never limited.
import sys
import json
import subprocess

def attempt(f, *a):
    try:
        r = f(*a)
    except ValueError as e:
        return "ValueError: " + str(e)
    return r if isinstance(r, str) and len(r) < 60 else ("ok", len(r) if isinstance(r, str) else r.bit_length())

print(sys.int_info.default_max_str_digits, sys.int_info.str_digits_check_threshold, sys.get_int_max_str_digits())
print(attempt(int, "1" * 4300), attempt(int, "1" * 4301))
print(attempt(int, "-" + "9" * 4301), attempt(int, "1_" * 4300 + "1"), attempt(int, "0" * 5000))
print(attempt(int, b"7" * 4301), attempt(int, bytearray(b"7" * 4300)), attempt(int, memoryview(b"7" * 4301)))
for base in (0, 2, 3, 8, 10, 16, 32, 36):
    print(base, attempt(int, "1" * 5000, base))

big = 10 ** 4300 - 1          # 4300 digits
bigger = 10 ** 4300           # 4301 digits
print(attempt(str, big), attempt(str, -big), attempt(repr, bigger), attempt(str, -bigger))
for fmt in ("%d", "%i", "%u", "%s", "%r", "%x", "%X", "%o", "%#x"):
    print(fmt, attempt(lambda n: fmt % n, bigger))
for spec in ("", "d", "n", ",", "_", ">5000", "x", "X", "o", "b", "#x", "_x"):
    print(repr(spec), attempt(format, bigger, spec), attempt(lambda n: f"{n:{spec}}", bigger))
print(attempt(hex, bigger), attempt(oct, bigger), attempt(bin, bigger), attempt("{}".format, bigger))
print(attempt(json.dumps, bigger), attempt(json.loads, "1" * 4301))

# Changing the limit.
for bad in (1, 639, -1):
    try:
        sys.set_int_max_str_digits(bad)
    except ValueError as e:
        print(bad, type(e).__name__)
for bad in ("700", 700.0, 2 ** 40):
    try:
        sys.set_int_max_str_digits(bad)
    except (TypeError, OverflowError) as e:
        print(repr(bad), type(e).__name__, e)
print(sys.get_int_max_str_digits())
sys.set_int_max_str_digits(maxdigits=640)
print(sys.get_int_max_str_digits())
print(attempt(int, "5" * 640), attempt(int, "5" * 641), attempt(str, 10 ** 640), attempt(str, 10 ** 639))
sys.set_int_max_str_digits(0)
print(sys.get_int_max_str_digits())
print(attempt(int, "1" * 50000), attempt(str, 10 ** 50000))
sys.set_int_max_str_digits(sys.int_info.default_max_str_digits)

# A literal over the limit does not compile.
try:
    compile("x = " + "1" * 4301, "<s>", "exec")
except SyntaxError as e:
    print(e.msg, e.lineno)
print(eval("0x" + "f" * 5000).bit_length(), eval("1" * 4300) % 1000)

# The startup configuration.
def run(args, env=None):
    r = subprocess.run([sys.executable, *args, "-c",
                        "import sys; print(sys.get_int_max_str_digits(), sys.flags.int_max_str_digits, sys._xoptions)"],
                       capture_output=True, text=True, env=env)
    return r.returncode, r.stdout.strip(), r.stderr.strip().splitlines()[:1]
print(run(["-X", "int_max_str_digits=700"]))
print(run(["-X", "int_max_str_digits=0"]))
print(run([], env={"PYTHONINTMAXSTRDIGITS": "1000"}))
print(run(["-X", "int_max_str_digits=2000"], env={"PYTHONINTMAXSTRDIGITS": "1000"}))
print(run(["-X", "int_max_str_digits=639"]))
print(run(["-X", "int_max_str_digits"]))
print(run([], env={"PYTHONINTMAXSTRDIGITS": "12"}))
print("sys_int_max_str_digits: ok")
