# asyncio on Pyrite: gather, tasks, wait_for timeouts, a TCP echo server and client on
# loopback; and the async-generator firstiter hook asyncio installs.
import asyncio
async def work(n):
    await asyncio.sleep(0.01)
    return n * 2
async def echo_server_test():
    async def handle(reader, writer):
        data = await reader.readline()
        writer.write(data.upper())
        await writer.drain()
        writer.close()
    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(b"hello\n")
    await writer.drain()
    line = await reader.readline()
    writer.close()
    server.close()
    await server.wait_closed()
    return line
async def main():
    results = await asyncio.gather(*(work(i) for i in range(5)))
    print(results)
    t = asyncio.create_task(work(21))
    print(await t)
    try:
        await asyncio.wait_for(asyncio.sleep(10), timeout=0.05)
    except TimeoutError:
        print("timeout")
    print(await echo_server_test())
asyncio.run(main())

import sys
seen = []
old = sys.get_asyncgen_hooks()
sys.set_asyncgen_hooks(firstiter=seen.append)
async def agen():
    yield 1
g = agen()
step = g.__anext__()
print(len(seen), seen[0] is g)
step.close()
sys.set_asyncgen_hooks(*old)
try:
    sys.set_asyncgen_hooks(finalizer=1)
except TypeError as e:
    print("TypeError:", e)
print("asyncio_basics: ok")
