# requires: 3.15
# sys.stdlib_module_names, sys.monitoring's registration and constants (Pyrite delivers no
# events yet, so only what does not need delivery is checked), sys._jit, cell_contents.
import sys

names = sys.stdlib_module_names
print(type(names).__name__, all(n in names for n in ("os", "json", "_io", "sys", "asyncio", "unittest")), "pyrite" in names)
m = sys.monitoring
print(m.__name__, m.events.PY_START, m.events.LINE, m.events.BRANCH, m.DEBUGGER_ID, m.PROFILER_ID)
print(m.get_tool(3))
m.use_tool_id(3, "tester")
print(m.get_tool(3), m.get_events(3))
try:
    m.use_tool_id(3, "again")
except ValueError as e:
    print("ValueError:", e)
print(m.register_callback(3, m.events.PY_START, print) is None, m.register_callback(3, m.events.PY_START, None) is print)
m.free_tool_id(3)
print(m.get_tool(3))
try:
    m.get_events(3)
except ValueError as e:
    print("ValueError:", e)
print(sys._jit.is_enabled(), sys._jit.is_active())


def outer():
    x = 1

    def inner():
        return x

    inner.__closure__[0].cell_contents = 7
    return inner()


print(outer())
print("sys_monitoring_names: ok")
