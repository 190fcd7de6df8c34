# The time module: deterministic conversions (gmtime, strftime, asctime, mktime round trips,
# struct_time), clocks that only move forward, sleep, and the errors CPython raises.
import time

t = time.gmtime(0)
print(t)
print(tuple(t), t.tm_zone, t.tm_gmtoff, len(t), type(t).__name__, type(t).__module__)
print(time.gmtime(1_000_000_000.9))
print(time.gmtime(-1))
print(time.strftime("%Y-%m-%d %H:%M:%S %j %a %b %%", (2024, 2, 29, 13, 5, 9, 3, 60, 0)))
print(time.strftime("%A %B %d %y %I %p %U %w", time.gmtime(86400 * 12345)))
print(time.asctime((2024, 2, 29, 13, 5, 9, 3, 60, 0)), "|", time.asctime(time.gmtime(0)))
print(time.strftime("", time.gmtime(0)) == "", time.strftime("%Y", (1, 1, 1, 0, 0, 0, 0, 1, 0)))

st = time.struct_time((2020, 1, 2, 3, 4, 5, 3, 2, 0))
print(st, st.tm_year, st.tm_zone, st[:3])
for secs in (0, 86400 * 100 + 3600, 1_700_000_000):
    assert time.mktime(time.localtime(secs)) == secs
lt = time.localtime(1_700_000_000)
assert time.strftime("%Y", lt) == str(lt.tm_year)
assert lt.tm_gmtoff in (-time.timezone, -time.altzone)
print("ctime", time.ctime(0) == time.asctime(time.localtime(0)))
print("zone", type(time.timezone).__name__, type(time.altzone).__name__, time.daylight in (0, 1), len(time.tzname))

a = time.monotonic()
b = time.monotonic()
c = time.perf_counter()
d = time.perf_counter()
assert a <= b and c <= d
ns1 = time.monotonic_ns()
ns2 = time.monotonic_ns()
assert ns1 <= ns2 and isinstance(ns1, int)
assert abs(time.time() - time.time_ns() / 1e9) < 1.0
assert time.process_time() >= 0 and time.thread_time() >= 0 and time.process_time_ns() >= 0
start = time.monotonic()
time.sleep(0.05)
time.sleep(0)
elapsed = time.monotonic() - start
print("slept", 0.05 <= elapsed < 5)
info = time.get_clock_info("monotonic")
print("clock info", info.monotonic, info.adjustable, info.resolution > 0, time.get_clock_info("time").adjustable)
print("clock_gettime", abs(time.clock_gettime(time.CLOCK_REALTIME) - time.time()) < 1, time.CLOCK_MONOTONIC)

def err(f, *a):
    try:
        f(*a)
    except (TypeError, ValueError, OverflowError) as e:
        print(type(e).__name__, e)

err(time.sleep, -1)
err(time.strftime, "%Y", (2024, 13, 1, 0, 0, 0, 0, 1, 0))
err(time.strftime, "%Y", (2024, 1, 1, 24, 0, 0, 0, 1, 0))
err(time.strftime, "%Y", (2024, 1, 1))
err(time.strftime, "%Y", "abc")
err(time.get_clock_info, "nope")
err(time.struct_time, (1, 2))
print("time_basics: ok")
