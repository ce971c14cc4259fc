"""The one HTTP client for outside APIs: timeouts, retries with backoff, a User-Agent, clear errors, a cache."""

import logging
import time
from typing import Any

import httpx

logger = logging.getLogger(__name__)
USER_AGENT = "Tilannekuva/0.1 (+https://github.com/tilannekuva; open-source regional strategy platform)"
RETRY_STATUSES = {429, 500, 502, 503, 504}


class SourceError(Exception):
    """An outside source could not be reached or answered wrongly. The message names the URL and the fault."""


class OutsideClient:
    """A polite client: few requests (an in-memory cache per run), retries with exponential backoff."""

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
            headers={"User-Agent": USER_AGENT, "Accept-Encoding": "gzip"},
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
        if url in self.cache:
            return self.cache[url]
        last_error = ""
        for attempt in range(1, self.retries + 1):
            try:
                response = self.client.get(path.lstrip("/"), params=params)
            except httpx.TimeoutException:
                last_error = "no answer in time"
            except httpx.TransportError as exc:
                last_error = f"connection failed ({exc.__class__.__name__}: {exc})"
            else:
                if response.status_code < 400:
                    self.cache[url] = response
                    return response
                last_error = f"HTTP {response.status_code}"
                if response.status_code not in RETRY_STATUSES:
                    break
            if attempt < self.retries:
                delay = self.backoff * 2 ** (attempt - 1)
                logger.warning("%s: %s for %s; retrying in %.1f s", self.name, last_error, url, delay)
                time.sleep(delay)
        raise SourceError(f"{self.name} answered {last_error} for {url} (after {attempt} tries)")

    def get_json(self, path: str, params: dict[str, Any] | None = None) -> Any:
        response = self.get(path, params)
        try:
            return response.json()
        except ValueError as exc:
            raise SourceError(
                f"{self.name} answered with something that is not JSON for {response.url}: {exc}"
            ) from exc
