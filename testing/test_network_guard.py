"""The network guard itself (testing/network.py): past loopback nothing is reached, and the test says so.

The refused attempts are of kinds that send nothing even if the guard were broken: a UDP socket's connect only
sets its peer, and a name in the reserved `.invalid` domain resolves to nothing."""

import contextlib
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest

from testing import network

DOCUMENTATION_ADDRESS = "192.0.2.1"  # TEST-NET-1 (RFC 5737): never anyone's host


def test_a_connection_outside_loopback_is_refused_with_a_clear_message(_no_network):
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp, pytest.raises(network.NetworkRefused) as refused:
        udp.connect((DOCUMENTATION_ADDRESS, 53))
    assert "refused a connection to '192.0.2.1' (port 53)" in str(refused.value)
    assert "nothing past loopback" in str(refused.value)
    _no_network.refused.clear()  # this test wanted the refusal; any other test fails on it (below)


def test_a_datagram_and_a_name_lookup_outside_loopback_are_refused(_no_network):
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp, pytest.raises(network.NetworkRefused):
        udp.sendto(b"", (DOCUMENTATION_ADDRESS, 53))
    with pytest.raises(network.NetworkRefused, match="name lookup of 'sotkanet.fi.invalid'"):
        socket.getaddrinfo("sotkanet.fi.invalid", 443)
    with pytest.raises(network.NetworkRefused, match="gethostbyname"):
        socket.gethostbyname("sotkanet.fi.invalid")
    _no_network.refused.clear()


def test_a_forgotten_base_url_fails_before_anything_is_sent(_no_network):
    """What a client of an outside service meets when a test forgets to point it at a local server."""
    with pytest.raises(network.NetworkRefused, match="name lookup of 'sotkanet.fi.invalid'"):
        httpx.get("https://sotkanet.fi.invalid/rest/1.1/indicators", timeout=1)
    _no_network.refused.clear()


def test_a_refusal_fails_the_test_even_when_the_code_swallows_it():
    failed = pytest.raises(pytest.fail.Exception, match="name lookup of 'sotkanet.fi.invalid'")
    careless = contextlib.suppress(Exception)  # what code under test might do with the error
    with failed, network.guard(), careless:
        socket.getaddrinfo("sotkanet.fi.invalid", 443)


def test_every_test_is_guarded_without_asking(request):
    with pytest.raises(network.NetworkRefused):
        socket.gethostbyaddr(DOCUMENTATION_ADDRESS)
    request.getfixturevalue("_no_network").refused.clear()  # the autouse guard of every test


def test_the_guard_puts_the_socket_module_back():
    before = (socket.getaddrinfo, socket.socket.connect, socket.socket.sendto)
    with network.Guard().active():
        assert socket.getaddrinfo is not before[0] and socket.socket.connect is not before[1]
    assert (socket.getaddrinfo, socket.socket.connect, socket.socket.sendto) == before


class _Hello(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 - the standard library's name
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"hello")

    def log_message(self, *args):
        pass


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
def test_loopback_is_reachable(host):
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Hello)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    try:
        assert httpx.get(f"http://{host}:{server.server_address[1]}/", timeout=5).text == "hello"
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.1.2.3", True),
        ("::1", True),
        ("[::1]", True),
        ("::ffff:127.0.0.1", True),
        ("localhost", True),
        ("LOCALHOST.", True),
        ("api.localhost", True),
        ("10.255.255.53", False),
        ("192.0.2.1", False),
        ("::ffff:192.0.2.1", False),
        ("sotkanet.fi", False),
        ("localhost.sotkanet.fi", False),
        ("", False),
    ],
)
def test_what_counts_as_loopback(host, loopback):
    assert network.is_loopback(host) is loopback
