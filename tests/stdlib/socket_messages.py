# requires: 3.15
# _socket's argument errors whose messages changed after 3.11 (byte-order helpers, timeouts).
import _socket as S


def attempt(f, *args):
    try:
        r = f(*args)
    except Exception as e:
        print(type(e).__name__, e)
    else:
        print("ok", r)


attempt(S.htons, -1)
attempt(S.htons, 70000)
attempt(S.ntohs, 65535)
attempt(S.htonl, -5)
attempt(S.htonl, 1 << 40)
attempt(S.ntohl, (1 << 32) - 1)
attempt(S.htons, 1.5)
s = S.socket()
attempt(s.settimeout, "x")
attempt(s.settimeout, float("nan"))
attempt(s.settimeout, -0.5)
attempt(s.settimeout, 3)
print(s.gettimeout())
s.close()
print("socket_messages: ok")
