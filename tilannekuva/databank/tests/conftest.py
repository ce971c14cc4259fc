"""A local HTTP server that serves recorded answers of the outside APIs, so that the real clients are tested
without ever calling the internet."""

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

import pytest


@dataclass
class Answer:
    body: bytes
    status: int = 200
    content_type: str = "application/json; charset=utf-8"
    delay: float = 0.0


@dataclass
class RecordedServer:
    """Routes are matched on the path and the sorted query parameters: `server.add("/rest/1.1/json",
    {"indicator": "127"}, Answer(...))`. Unknown requests get 404. Every request is logged in `requests`."""

    url: str = ""
    routes: dict[tuple[str, tuple], Answer] = field(default_factory=dict)
    requests: list[str] = field(default_factory=list)

    def add(self, path: str, params: dict[str, str] | None, answer: Answer) -> None:
        self.routes[(path, tuple(sorted((params or {}).items())))] = answer

    def find(self, raw_path: str) -> Answer | None:
        parts = urlsplit(raw_path)
        key = (parts.path, tuple(sorted(parse_qsl(parts.query))))
        return self.routes.get(key) or self.routes.get((parts.path, ("*", "*")))


@pytest.fixture
def recorded_server() -> Iterator[RecordedServer]:
    server_state = RecordedServer()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the standard library's name
            server_state.requests.append(self.path)
            answer = server_state.find(self.path)
            if answer is None:
                answer = Answer(b'{"error": "not recorded"}', status=404)
            if answer.delay:
                threading.Event().wait(answer.delay)
            self.send_response(answer.status)
            self.send_header("Content-Type", answer.content_type)
            self.send_header("Content-Length", str(len(answer.body)))
            self.end_headers()
            self.wfile.write(answer.body)

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server_state.url = f"http://127.0.0.1:{httpd.server_address[1]}"
    # A short poll: shutdown() waits for the serving loop to notice, half a second by default, after every test.
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield server_state
    httpd.shutdown()
    httpd.server_close()
