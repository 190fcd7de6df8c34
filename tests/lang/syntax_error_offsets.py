# sys.excepthook prints a SyntaxError whatever offsets it holds (negative, zero, huge): the
# caret line only when the column falls in the text, never a crash.
import sys

sys.stderr = sys.stdout
for off, end in [(-5, None), (0, None), (3, 5), (10**9, None), (2, 10**9), (4, 2)]:
    e = SyntaxError("bad", ("f.py", 1, off, "  abc def\n", 1, end))
    sys.excepthook(SyntaxError, e, None)
print("syntax_error_offsets: ok")
