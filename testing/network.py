"""The network guard: during a test, Python may connect, send and look up names on loopback only.

Outside services are never called in tests (their recorded answers are served from 127.0.0.1), so a test that
tries to reach anything else, say sotkanet.fi through a forgotten `--base-url`, is a mistake. The guard refuses it
before any packet leaves: a connection or datagram to an address outside 127.0.0.0/8 and ::1, and a name lookup of
anything but localhost (a lookup is itself traffic, to the resolver). The refusal is raised where it happens, and
the test fails with the same message at its end even when the code under test caught the error (an import that
records a failed run, a health check that answers 503). docs/DECISIONS.md, "A network guard of our own", tells why
this is a small fixture and not pytest-socket. Browsers are processes of their own: e2e/conftest.py keeps Chromium
off the network with its own switches.
"""

import ipaddress
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

LOOPBACK_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"}
INTERNET = (socket.AF_INET, socket.AF_INET6)


class NetworkRefused(RuntimeError):
    """Raised where a test tried to reach past loopback. Not an OSError, so that no retry loop takes it for a
    network failure worth another try."""


def is_loopback(host: Any) -> bool:
    """A loopback address (127.0.0.0/8, ::1, an IPv4-mapped loopback) or the name localhost."""
    if isinstance(host, bytes):
        host = host.decode("ascii", errors="replace")
    if not isinstance(host, str):
        return False
    name = host.strip("[]").split("%")[0].rstrip(".").lower()
    if name in LOOPBACK_NAMES or name.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(name)
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return address.is_loopback


def is_address(host: Any) -> bool:
    try:
        ipaddress.ip_address(str(host).strip("[]").split("%")[0])
    except ValueError:
        return False
    return True


class Guard:
    """Patches the socket module while it is active; `refused` lists what it refused."""

    def __init__(self) -> None:
        self.refused: list[str] = []

    def refuse(self, what: str) -> None:
        message = (
            f"The network guard refused {what}: tests reach nothing past loopback (127.0.0.1, ::1, localhost). "
            "Serve a recorded answer from a local server instead (see tilannekuva/databank/tests/conftest.py)."
        )
        self.refused.append(message)
        raise NetworkRefused(message)

    def report(self) -> str:
        return "\n".join(dict.fromkeys(self.refused))

    @contextmanager
    def active(self) -> Iterator["Guard"]:
        guard = self
        real = {
            "connect": socket.socket.connect,
            "connect_ex": socket.socket.connect_ex,
            "sendto": socket.socket.sendto,
            "getaddrinfo": socket.getaddrinfo,
            "gethostbyname": socket.gethostbyname,
            "gethostbyname_ex": socket.gethostbyname_ex,
            "gethostbyaddr": socket.gethostbyaddr,
        }

        def check(sock: socket.socket, address: Any, action: str) -> None:
            if sock.family in INTERNET and isinstance(address, tuple) and not is_loopback(address[0]):
                guard.refuse(f"a {action} to {address[0]!r} (port {address[1]})")

        def connect(sock: socket.socket, address: Any) -> None:
            check(sock, address, "connection")
            return real["connect"](sock, address)

        def connect_ex(sock: socket.socket, address: Any) -> int:
            check(sock, address, "connection")
            return real["connect_ex"](sock, address)

        def sendto(sock: socket.socket, data: Any, *rest: Any) -> int:
            check(sock, rest[-1], "datagram")
            return real["sendto"](sock, data, *rest)

        def looked_up(host: Any, function: str) -> None:
            if host is not None and not is_loopback(host) and not is_address(host):
                guard.refuse(f"a name lookup of {host!r} ({function})")

        def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
            looked_up(host, "getaddrinfo")
            return real["getaddrinfo"](host, *args, **kwargs)

        def gethostbyname(host: str) -> str:
            looked_up(host, "gethostbyname")
            return real["gethostbyname"](host)

        def gethostbyname_ex(host: str) -> Any:
            looked_up(host, "gethostbyname_ex")
            return real["gethostbyname_ex"](host)

        def gethostbyaddr(host: str) -> Any:
            if not is_loopback(host):
                guard.refuse(f"a reverse lookup of {host!r} (gethostbyaddr)")
            return real["gethostbyaddr"](host)

        socket.socket.connect = connect  # type: ignore[method-assign]
        socket.socket.connect_ex = connect_ex  # type: ignore[method-assign]
        socket.socket.sendto = sendto  # type: ignore[method-assign,assignment]
        socket.getaddrinfo = getaddrinfo
        socket.gethostbyname = gethostbyname
        socket.gethostbyname_ex = gethostbyname_ex
        socket.gethostbyaddr = gethostbyaddr
        try:
            yield self
        finally:
            socket.socket.connect = real["connect"]  # type: ignore[method-assign]
            socket.socket.connect_ex = real["connect_ex"]  # type: ignore[method-assign]
            socket.socket.sendto = real["sendto"]  # type: ignore[method-assign]
            socket.getaddrinfo = real["getaddrinfo"]
            socket.gethostbyname = real["gethostbyname"]
            socket.gethostbyname_ex = real["gethostbyname_ex"]
            socket.gethostbyaddr = real["gethostbyaddr"]


@contextmanager
def guard() -> Iterator[Guard]:
    """The guard for one test: what it refused fails the test at the end, even if the code under test caught it."""
    with Guard().active() as active:
        yield active
    if active.refused:
        pytest.fail(active.report(), pytrace=False)
