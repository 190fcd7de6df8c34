# requires: 3.15
# sys.flags.int_max_str_digits follows sys.set_int_max_str_digits (3.12+), the 3.12+ message
# for a bad limit, and int() checking the text before the digit limit.
import sys
flags = sys.flags
print(flags.int_max_str_digits, sys.get_int_max_str_digits())
sys.set_int_max_str_digits(1000)
print(flags.int_max_str_digits, sys.flags.int_max_str_digits, sys.get_int_max_str_digits())
sys.set_int_max_str_digits(0)
print(flags.int_max_str_digits, sys.flags)
for bad in (639, -5, True):
    try:
        sys.set_int_max_str_digits(bad)
    except ValueError as e:
        print(e)
sys.set_int_max_str_digits(4300)
for text in ["1" * 4301 + "x", " " + "1" * 4301 + " !", "1" * 4301 + " "]:
    try:
        int(text)
    except ValueError as e:
        print(str(e)[:60])
print("sys_int_max_str_digits_315: ok")
