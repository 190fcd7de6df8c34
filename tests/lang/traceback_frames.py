# Traceback entries carry their frames (tb_frame): code, line, globals, for functions,
# generators and the module.
import sys
def inner(x):
    y = x * 2
    raise ValueError(y)
def outer():
    inner(21)
try:
    outer()
except ValueError as e:
    tb = e.__traceback__
    while tb:
        f = tb.tb_frame
        print(f.f_code.co_name, tb.tb_lineno, f.f_lineno, f.f_globals is globals(), tb.tb_lasti >= 0)
        tb = tb.tb_next
def gen():
    yield 1
    raise KeyError("g")
try:
    list(gen())
except KeyError as e:
    print(e.__traceback__.tb_next.tb_frame.f_code.co_name)
print("traceback_frames: ok")
