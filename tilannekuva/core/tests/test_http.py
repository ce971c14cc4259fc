"""The one HTTP client for outside services, against a server on loopback: GET answers cached, POST never; retries
with backoff only on network faults and 429/5xx; the User-Agent from settings."""

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tilannekuva.core.http import OutsideClient, SourceError


class _Server(BaseHTTPRequestHandler):
    """Answers every request with the next of `answers[path]` (status, body); the last one repeats."""

    answers: dict[str, list[tuple[int, bytes]]] = {}
    seen: list[tuple[str, str, str, bytes]] = []

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        type(self).seen.append((self.command, self.path, self.headers.get("User-Agent", ""), body))
        queue = type(self).answers.get(self.path.split("?")[0], [(404, b"not here")])
        status, payload = queue.pop(0) if len(queue) > 1 else queue[0]
        self.send_response(status)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_POST = _answer  # noqa: N815 - the handler's method names

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    _Server.answers, _Server.seen = {}, []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Server)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/api/"
    httpd.shutdown()
    httpd.server_close()


def client(url: str, **options: object) -> OutsideClient:
    return OutsideClient(url, name="Testipalvelu", backoff=0.0, **options)  # type: ignore[arg-type]


def test_a_get_answer_is_asked_once_and_names_the_product(server, settings):
    settings.HTTP_USER_AGENT = "Tilannekuva-testi/1 (+mailto:yllapito@example.invalid)"
    _Server.answers["/api/data"] = [(200, b'{"a": 1}')]
    with client(server) as outside:
        assert outside.get_json("data", {"year": 2024}) == {"a": 1}
        assert outside.get_json("data", {"year": 2024}) == {"a": 1}
    assert [(method, path, agent) for method, path, agent, _ in _Server.seen] == [
        ("GET", "/api/data?year=2024", "Tilannekuva-testi/1 (+mailto:yllapito@example.invalid)")
    ]


def test_a_post_is_retried_after_a_server_fault_and_never_cached(server):
    _Server.answers["/api/query"] = [(503, b"busy"), (200, b"{}"), (200, b"{}")]
    with client(server) as outside:
        assert outside.post("query", json={"q": 1}).status_code == 200
        assert outside.post("query", json={"q": 1}).status_code == 200
    assert [(method, body) for method, _, _, body in _Server.seen] == [("POST", b'{"q":1}')] * 3


def test_a_refused_request_is_not_repeated_and_the_error_quotes_the_answer(server):
    _Server.answers["/api/query"] = [(400, b"Parameter error:\n  Vuosi 2030")]
    with client(server) as outside, pytest.raises(SourceError) as refused:
        outside.post("query", json={})
    assert str(refused.value) == (
        f"Testipalvelu answered HTTP 400 (Parameter error: Vuosi 2030) for {server}query (after 1 tries)"
    )
    assert refused.value.response is not None and refused.value.response.status_code == 400
    assert len(_Server.seen) == 1


def test_a_form_post_with_one_try_is_sent_once_even_when_the_server_fails(server):
    _Server.answers["/api/token"] = [(503, json.dumps({"error": "temporarily_unavailable"}).encode())]
    with client(server) as outside, pytest.raises(SourceError, match="HTTP 503 for .*/api/token .after 1 tries"):
        outside.post("token", data={"code": "once"}, auth=("id", "secret"), retries=1)
    assert [(method, body) for method, _, _, body in _Server.seen] == [("POST", b"code=once")]


def test_every_try_is_used_before_giving_up(server):
    _Server.answers["/api/data"] = [(500, b"")]
    with client(server, retries=3) as outside, pytest.raises(SourceError, match="HTTP 500 .*after 3 tries") as failed:
        outside.get("data")
    assert len(_Server.seen) == 3 and failed.value.response is not None
