"""Python code runs while a C thread waits for the GIL: the interpreter must let it in."""


def check(m):
    items = []
    m.start_appender(items, 50)
    spins = 0
    while len(items) < 50:
        spins += 1
    m.join_appender()
    assert items == list(range(50)), items
