"""sys.monitoring (PEP 669) as far as Pyrite goes: tool registration and the event constants.

Pyrite's interpreter does not deliver monitoring events yet, so asking for events to be
delivered (set_events / set_local_events with a non-empty set) raises NotImplementedError
instead of silently never calling the tool. Reading the constants (bdb does at import) and
registering tools work as in CPython.
"""

DEBUGGER_ID = 0
COVERAGE_ID = 1
PROFILER_ID = 2
OPTIMIZER_ID = 5

DISABLE = object()
MISSING = object()


class _Events:
    __slots__ = ()
    PY_START = 1
    PY_RESUME = 2
    PY_RETURN = 4
    PY_YIELD = 8
    CALL = 16
    LINE = 32
    INSTRUCTION = 64
    JUMP = 128
    BRANCH_LEFT = 256
    BRANCH_RIGHT = 512
    STOP_ITERATION = 1024
    RAISE = 2048
    EXCEPTION_HANDLED = 4096
    PY_UNWIND = 8192
    PY_THROW = 16384
    RERAISE = 32768
    C_RETURN = 65536
    C_RAISE = 131072
    BRANCH = 262144
    NO_EVENTS = 0


events = _Events()
_all_events = tuple(n for n in dir(_Events) if not n.startswith("_") and n != "NO_EVENTS")

_tools = {}
_callbacks = {}
_events = {}


def _check_tool(tool_id):
    if not isinstance(tool_id, int):
        raise TypeError(f"'{type(tool_id).__name__}' object cannot be interpreted as an integer")
    if not 0 <= tool_id < 6:
        raise ValueError(f"invalid tool {tool_id} (must be between 0 and 5)")


def _in_use(tool_id):
    _check_tool(tool_id)
    if tool_id not in _tools:
        raise ValueError(f"tool {tool_id} is not in use")


def use_tool_id(tool_id, name, /):
    _check_tool(tool_id)
    if not isinstance(name, str):
        raise ValueError("tool name must be a str")
    if tool_id in _tools:
        raise ValueError(f"tool {tool_id} is already in use")
    _tools[tool_id] = name


def clear_tool_id(tool_id, /):
    _check_tool(tool_id)
    for key in [k for k in _callbacks if k[0] == tool_id]:
        del _callbacks[key]
    _events.pop(tool_id, None)


def free_tool_id(tool_id, /):
    clear_tool_id(tool_id)
    _tools.pop(tool_id, None)


def get_tool(tool_id, /):
    _check_tool(tool_id)
    return _tools.get(tool_id)


def register_callback(tool_id, event, func, /):
    _in_use(tool_id)
    old = _callbacks.pop((tool_id, event), None)
    if func is not None:
        _callbacks[(tool_id, event)] = func
    return old


def get_events(tool_id, /):
    _check_tool(tool_id)
    return _events.get(tool_id, 0)


def _no_delivery(event_set):
    if event_set:
        raise NotImplementedError("sys.monitoring events are not delivered by Pyrite yet")


def set_events(tool_id, event_set, /):
    _in_use(tool_id)
    _no_delivery(event_set)
    _events[tool_id] = event_set


def get_local_events(tool_id, code, /):
    _in_use(tool_id)
    return 0


def set_local_events(tool_id, code, event_set, /):
    _in_use(tool_id)
    _no_delivery(event_set)


def restart_events():
    pass
