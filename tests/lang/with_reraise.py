# An exception re-raised from an except block inside a `with` body reaches __exit__ with the
# right stack: the with handler's depth excludes __enter__'s result.
class Manager:
    def __init__(self, log):
        self.log = log

    def __enter__(self):
        self.log.append("enter")
        return self

    def __exit__(self, et, ev, tb):
        self.log.append("exit %s" % (et.__name__ if et else None))
        return False


def reraise(log):
    with Manager(log) as m:
        try:
            raise KeyError("k")
        except KeyError:
            m.log.append("handling")
            raise
    return "unreachable"


def reraise_other(log):
    with Manager(log):
        try:
            raise KeyError("k")
        except KeyError as e:
            raise ValueError("converted") from e


def nested(log):
    with Manager(log), Manager(log):
        try:
            1 / 0
        finally:
            log.append("finally")


for f in (reraise, reraise_other, nested):
    log = []
    try:
        f(log)
    except Exception as e:
        print(f.__name__, type(e).__name__, e, log)
print("with_reraise: ok")
