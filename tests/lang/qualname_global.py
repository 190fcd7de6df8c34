# __qualname__ of functions and classes: nested ones carry `<locals>`, except names declared
# `global` in the enclosing function (pickle finds those as module attributes).
import pickle


def make():
    global G, gfun

    class G:
        def m(self):
            pass

    class L:
        pass

    def gfun():
        pass

    def lfun():
        pass

    return L, lfun


L, lfun = make()
print(G.__qualname__, G.m.__qualname__, gfun.__qualname__)
print(L.__qualname__, lfun.__qualname__)
print(repr(L).replace("__main__.", ""), repr(G).replace("__main__.", ""))
print(type(pickle.loads(pickle.dumps(G()))).__qualname__)


class Outer:
    def method(self):
        global Inner

        class Inner:
            pass

        class Local:
            pass

        return Local


print(Outer().method().__qualname__, Inner.__qualname__)
print("qualname_global: ok")
