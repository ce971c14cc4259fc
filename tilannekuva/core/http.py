"""The one HTTP client for outside services (the data bank's sources, single sign-on): GET and POST with timeouts,
retries with exponential backoff, the User-Agent from settings (`HTTP_USER_AGENT`), one clear error naming the
service and the address, and a cache of GET answers for the client's life (an import run asks each address once)."""

import logging
import time
from typing import Any

import httpx
from django.conf import settings

logger = logging.getLogger(__name__)
# Answers worth asking again after a pause: too many requests, and the server's own faults.
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
# How much of an error answer's body the message quotes (a service often says there what was wrong).
QUOTED_CHARS = 200


class SourceError(Exception):
    """An outside service could not be reached or answered with an error. The message names the service, the
    address and the fault; `response` is the last error answer (None when no answer came)."""

    def __init__(self, message: str, *, response: httpx.Response | None = None) -> None:
        super().__init__(message)
        self.response = response


class OutsideClient:
    """A polite client of one service: few requests (GET answers cached per client), retries with exponential
    backoff on network faults and on RETRY_STATUSES, never on other errors."""

    def __init__(
        self,
        base_url: str,
        *,
        name: str,
        timeout: float = 30.0,
        retries: int = 3,
        backoff: float = 1.0,
        transport: httpx.BaseTransport | None = None,
    ):
        self.name = name
        self.retries = retries
        self.backoff = backoff
        self.cache: dict[str, httpx.Response] = {}
        self.client = httpx.Client(
            base_url=base_url.rstrip("/") + "/",
            timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)),
            headers={"User-Agent": settings.HTTP_USER_AGENT, "Accept-Encoding": "gzip"},
            follow_redirects=True,
            transport=transport,
        )

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> "OutsideClient":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def url(self, path: str, params: dict[str, Any] | None = None) -> str:
        return str(self.client.build_request("GET", path.lstrip("/"), params=params).url)

    def get(self, path: str, params: dict[str, Any] | None = None) -> httpx.Response:
        url = self.url(path, params)
        if url not in self.cache:
            self.cache[url] = self._send("GET", path, params=params)
        return self.cache[url]

    def get_json(self, path: str, params: dict[str, Any] | None = None) -> Any:
        response = self.get(path, params)
        try:
            return response.json()
        except ValueError as exc:
            raise SourceError(
                f"{self.name} answered with something that is not JSON for {response.url}: {exc}"
            ) from exc
        except RecursionError as exc:
            raise SourceError(
                f"{self.name} answered with JSON nested too deeply to be read for {response.url}"
            ) from exc

    def post(
        self,
        path: str,
        *,
        json: Any = None,
        data: dict[str, str] | None = None,
        auth: tuple[str, str] | None = None,
        headers: dict[str, str] | None = None,
        retries: int | None = None,
    ) -> httpx.Response:
        """POST a JSON body (`json`) or a form (`data`); answers are never cached. `retries=1` for a request that
        must not be sent twice (a single-use code)."""
        return self._send("POST", path, json=json, data=data, auth=auth, headers=headers, retries=retries)

    def _send(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, Any] | None = None,
        retries: int | None = None,
        **request: Any,
    ) -> httpx.Response:
        url = self.url(path, params)
        tries = retries or self.retries
        last_error, failed = "", None
        attempt = 0
        for attempt in range(1, tries + 1):
            failed = None
            try:
                response = self.client.request(method, path.lstrip("/"), params=params, **request)
            except httpx.TimeoutException:
                last_error = "no answer in time"
            except httpx.TransportError as exc:
                last_error = f"connection failed ({exc.__class__.__name__}: {exc})"
            else:
                if response.status_code < 400:
                    return response
                failed = response
                last_error = f"HTTP {response.status_code}"
                if response.status_code not in RETRY_STATUSES:
                    said = " ".join(response.text.split())[:QUOTED_CHARS]
                    last_error += f" ({said})" if said else ""
                    break
            if attempt < tries:
                delay = self.backoff * 2 ** (attempt - 1)
                logger.warning("%s: %s for %s; retrying in %.1f s", self.name, last_error, url, delay)
                time.sleep(delay)
        raise SourceError(f"{self.name} answered {last_error} for {url} (after {attempt} tries)", response=failed)
