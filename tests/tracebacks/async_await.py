# An exception raised in a coroutine, through an await, an async generator and an async for.


async def inner():
    raise ValueError("x")


async def outer():
    await inner()


async def agen():
    yield 1
    await outer()


async def main():
    async for x in agen():
        pass


c = main()
c.send(None)
