# requires: 3.15
# frozendict (PEP 814): an immutable, hashable mapping that is not a dict.
fd = frozendict(a=1, b=2)
print(type(fd).__mro__, fd, repr(frozendict()), hash(fd) == hash(frozendict(b=2, a=1)))
print(sorted(set(dir(frozendict)) - set(dir(object))))
print(fd | {'c': 3}, fd == {'a': 1, 'b': 2}, frozendict({'x': 1}, y=2), len(fd), fd['a'], fd.get('z'))
try: fd['a'] = 2
except Exception as e: print(type(e).__name__, e)
try: hash(frozendict(a=[]))
except Exception as e: print(type(e).__name__, e)
print(frozendict.fromkeys('ab'), frozendict(zip('ab', [1, 2])).items(), isinstance(fd, dict))
class F(frozendict): pass
print(F(a=1), type(F(a=1) | {}))
print("frozendict: ok")
