# logging (basicConfig, handlers, formatters, levels, exceptions) to a StringIO, and
# traceback (format_exc, print_exception, extract_stack, TracebackException).
import io
import logging
import traceback

stream = io.StringIO()
logging.basicConfig(stream=stream, level=logging.INFO, format="%(levelname)s:%(name)s:%(message)s")
logging.info("started %d", 1)
logging.debug("hidden")
log = logging.getLogger("app.db")
log.warning("slow query: %s", "SELECT 1")
handler_stream = io.StringIO()
h = logging.StreamHandler(handler_stream)
h.setFormatter(logging.Formatter("[%(name)s] %(levelname)-8s %(message)s"))
log.addHandler(h)
log.setLevel(logging.DEBUG)
log.debug("detail")
try:
    {}["missing"]
except KeyError:
    log.exception("lookup failed")
print(stream.getvalue().splitlines()[:4])
lines = handler_stream.getvalue().splitlines()
print(lines[:3])
print(lines[-1])
print(logging.getLevelName(logging.WARNING), logging.getLevelName(25))


def inner():
    raise ValueError("bad value")


def outer():
    try:
        inner()
    except ValueError as e:
        raise RuntimeError("wrapped") from e


try:
    outer()
except RuntimeError:
    text = traceback.format_exc()
print([l for l in text.splitlines() if not l.startswith("  File") and l.strip(" ~^")])
try:
    outer()
except RuntimeError as e:
    te = traceback.TracebackException.from_exception(e)
    print(list(te.format_exception_only()))
    print([f.name for f in te.stack], [f.name for f in te.__cause__.stack])
    buf = io.StringIO()
    traceback.print_exception(e, file=buf)
    print(len(buf.getvalue().splitlines()) > 5, buf.getvalue().splitlines()[-1])


def where():
    return traceback.extract_stack()


print([f.name for f in where()][-2:])
print(traceback.format_exception_only(ZeroDivisionError("x")))
print("logging_traceback: ok")
