# ImportError's keyword arguments and attributes (name, path, name_from, msg).
e = ImportError('m', name='x', path='p'); print(e.name, e.path, e.msg, e, repr(e), e.args)
e = ImportError(); print(e.name, e.msg, repr(str(e)))
e = ImportError(1, 2); print(e.msg, str(e))
try: ImportError(foo=1)
except TypeError as t: print(t)
try: import no_such_mod_xyz
except ImportError as e: print(type(e).__name__, e.name, e.msg, e.path)
try: from sys import nope
except ImportError as e: print(e, e.name)
class E(ImportError): pass
print(E("q", name="n").name)
print("import_error: ok")
