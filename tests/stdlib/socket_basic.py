# _socket directly (Lib/socket.py wraps it): socketpair, a loopback TCP echo server in a
# thread, UDP datagrams, AF_UNIX paths, timeouts and non-blocking mode, socket options,
# address conversions, name resolution without the network, and CPython's error messages.
import _socket as S
import _thread
import os

# socketpair
a, b = S.socketpair()
print(a.family == S.AF_UNIX, a.type == S.SOCK_STREAM, a.proto, a.gettimeout(), a.getblocking())
a.sendall(b"hello")
print(b.recv(100))
a.send(memoryview(b"view"))
print(b.recv(100))
a.close()
print(b.recv(100), a.fileno())
b.close()

# TCP echo server on the loopback, served by a thread
srv = S.socket(S.AF_INET, S.SOCK_STREAM)
srv.setsockopt(S.SOL_SOCKET, S.SO_REUSEADDR, 1)
print(srv.getsockopt(S.SOL_SOCKET, S.SO_REUSEADDR) != 0, srv.getsockopt(S.SOL_SOCKET, S.SO_TYPE) == S.SOCK_STREAM)
srv.bind(("127.0.0.1", 0))
srv.listen()
host, port = srv.getsockname()
print(host, 0 < port < 65536)
done = _thread.allocate_lock()
done.acquire()


def serve():
    fd, addr = srv._accept()
    conn = S.socket(S.AF_INET, S.SOCK_STREAM, 0, fd)
    while True:
        data = conn.recv(4096)
        if not data:
            break
        conn.sendall(data)
    conn.close()
    done.release()


_thread.start_new_thread(serve, ())
c = S.socket()
c.connect(("127.0.0.1", port))
print(c.getpeername() == ("127.0.0.1", port), c.getsockname()[0])
payload = bytes(range(256)) * 400
c.sendall(payload)
c.shutdown(S.SHUT_WR)
got = bytearray()
buf = bytearray(1000)
while True:
    n = c.recv_into(buf)
    if not n:
        break
    got += buf[:n]
print(len(got), got == payload)
done.acquire()
c.close()

# a refused connection, as an errno and as an exception
closed = S.socket()
closed.bind(("127.0.0.1", 0))
dead_port = closed.getsockname()[1]
closed.close()
c = S.socket()
print(c.connect_ex(("127.0.0.1", dead_port)) == 111)
c.close()
c = S.socket()
try:
    c.connect(("127.0.0.1", dead_port))
except ConnectionRefusedError as e:
    print("ConnectionRefusedError", e.errno)
c.close()

# timeouts and non-blocking mode
c = S.socket()
c.settimeout(0.05)
print(c.gettimeout(), c.getblocking(), c.timeout)
x, y = S.socketpair()
x.settimeout(0.05)
try:
    x.recv(10)
except S.timeout as e:
    print(type(e).__name__, e)
x.setblocking(False)
print(x.gettimeout(), x.getblocking())
try:
    x.recv(10)
except BlockingIOError as e:
    print("BlockingIOError", e.errno == 11)
x.setblocking(True)
y.send(b"now")
print(x.recv(10), x.gettimeout())
x.close(), y.close(), c.close()
print(S.getdefaulttimeout())
S.setdefaulttimeout(2.5)
d = S.socket()
print(S.getdefaulttimeout(), d.gettimeout())
S.setdefaulttimeout(None)
d.close()

# UDP
u1 = S.socket(S.AF_INET, S.SOCK_DGRAM)
u2 = S.socket(S.AF_INET, S.SOCK_DGRAM)
u1.bind(("127.0.0.1", 0))
u2.bind(("127.0.0.1", 0))
print(u2.sendto(b"datagram", u1.getsockname()))
data, addr = u1.recvfrom(100)
print(data, addr == u2.getsockname())
u2.sendto(b"flags", 0, u1.getsockname())
print(u1.recvfrom(100)[0])
u1.close(), u2.close()

# AF_UNIX with a path
path = "/tmp/pyrite-socket-test-%d.sock" % os.getpid()
try:
    os.unlink(path)
except FileNotFoundError:
    pass
us = S.socket(S.AF_UNIX, S.SOCK_STREAM)
us.bind(path)
us.listen(1)
print(us.getsockname() == path)
uc = S.socket(S.AF_UNIX, S.SOCK_STREAM)
uc.connect(path)
fd, addr = us._accept()
peer = S.socket(fileno=fd)
print(peer.family == S.AF_UNIX, peer.type == S.SOCK_STREAM, addr, uc.getpeername() == path)
uc.sendall(b"over unix")
print(peer.recv(100))
peer.close(), uc.close(), us.close()
os.unlink(path)

# detach and dup
s = S.socket()
fd2 = S.dup(s.fileno())
fd = s.detach()
print(s.fileno(), fd >= 0, fd2 != fd)
t = S.socket(fileno=fd)
print(t.family == S.AF_INET, t.type == S.SOCK_STREAM, t.proto)
t.close()
S.close(fd2)

# conversions
print(S.inet_aton("1.2.3.4"), S.inet_aton("127.1"), S.inet_ntoa(b"\x7f\x00\x00\x01"))
print(S.inet_pton(S.AF_INET, "10.0.0.1"), S.inet_ntop(S.AF_INET, b"\xc0\xa8\x01\x02"))
print(S.inet_pton(S.AF_INET6, "::1"), S.inet_ntop(S.AF_INET6, bytes(15) + b"\x01"))
print(S.inet_ntop(S.AF_INET6, bytes.fromhex("20010db8000000000000000000000001")))
print(S.htons(1), S.ntohs(256), S.htonl(1), S.ntohl(16777216))
print(sorted(S.getaddrinfo("127.0.0.1", 80, S.AF_INET, S.SOCK_STREAM)))
print(sorted(S.getaddrinfo("::1", "443", S.AF_INET6, S.SOCK_DGRAM, 0, S.AI_NUMERICHOST)))
print(S.getaddrinfo(None, 0, S.AF_INET, S.SOCK_STREAM, 0, S.AI_PASSIVE))
print(S.getnameinfo(("127.0.0.1", 80), S.NI_NUMERICHOST | S.NI_NUMERICSERV))
print(S.getnameinfo(("::1", 8080, 0, 0), S.NI_NUMERICHOST | S.NI_NUMERICSERV))
print(S.gethostbyname("127.0.0.1"), type(S.gethostname()).__name__)
print(issubclass(S.gaierror, OSError), issubclass(S.herror, OSError), S.error is OSError, S.timeout is TimeoutError)
print(S.gaierror.__module__, S.SocketType is S.socket)

# errors
def attempt(f, *args):
    try:
        r = f(*args)
    except Exception as e:
        print(type(e).__name__, e)
    else:
        print("ok", r)


attempt(S.getaddrinfo, "not an address", 80, 0, 0, 0, S.AI_NUMERICHOST)
attempt(S.inet_aton, "1.2.3.999")
attempt(S.inet_ntoa, b"\x01\x02")
attempt(S.inet_pton, S.AF_INET, "1.2.3")
attempt(S.inet_ntop, S.AF_INET, b"\x01\x02")
s = S.socket()
attempt(s.bind, ("127.0.0.1", 70000))
attempt(s.bind, "127.0.0.1")
attempt(s.recv, -1)
attempt(s.settimeout, -1)
attempt(S.socket, S.AF_INET, S.SOCK_STREAM, 0, -1)
s.close()
print("socket_basic: ok")
