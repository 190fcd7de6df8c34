# sys.float_info, sys.int_info and sys.thread_info: struct sequences with CPython's fields.
import sys

fi = sys.float_info
assert fi.max == 1.7976931348623157e308 and fi.dig == 15 and fi.mant_dig == 53 and fi.radix == 2
assert fi.epsilon == 2.220446049250313e-16 and fi[0] == fi.max and len(fi) == 11
assert sys.int_info.bits_per_digit == 30 and sys.int_info.sizeof_digit == 4
assert sys.int_info.default_max_str_digits == 4300
assert repr(sys.int_info).startswith("sys.int_info(bits_per_digit=30, sizeof_digit=4")
assert sys.thread_info.name == "pthread" and len(sys.thread_info) == 3
print(type(sys.float_info).__name__, sys.float_info.min_exp, sys.int_info.str_digits_check_threshold)
print("sys_info: ok")
