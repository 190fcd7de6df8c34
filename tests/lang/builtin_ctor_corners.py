# types.MethodType(func, obj) binds like attribute access; ImportError stores name/path/msg
# without going through a subclass's properties (importlib.metadata's PackageNotFoundError
# defines a read-only `name` property).
import types


class A:
    pass


m = types.MethodType(lambda self, x: (type(self).__name__, x), A())
print(m(3), m.__self__.__class__.__name__)
for args in [(1, 2), (len, None), (len,)]:
    try:
        types.MethodType(*args)
    except TypeError as e:
        print("TypeError:", e)


class NotFound(ModuleNotFoundError):
    @property
    def name(self):
        (name,) = self.args
        return name


try:
    raise NotFound("some-dist") from None
except NotFound as e:
    print(e.name, e.msg, e.path, repr(e))
e = ImportError("m", name="n", path="p")
print(e.name, e.path, e.msg, str(e))
try:
    ImportError(other=1)
except TypeError as err:
    print("TypeError:", err)
print("builtin_ctor_corners: ok")
