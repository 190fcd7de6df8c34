# __builtins__ is the builtins module in __main__ and the builtins dict in imported modules
# and in exec() namespaces that did not name one.
import builtins
import json

print(type(__builtins__).__name__, __builtins__ is builtins)
print(type(json.__builtins__).__name__, json.__builtins__ is vars(builtins))
ns = {}
exec("x = len('abc')", ns)
print(ns["x"], type(ns["__builtins__"]).__name__, ns["__builtins__"] is vars(builtins))
custom = {"__builtins__": {"len": lambda s: 42}}
exec("y = len('abc')", custom)
print(custom["y"])
print("builtins_namespace: ok")
