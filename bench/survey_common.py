"""What the survey benchmarks share: a SYNTHETIC open partner survey with invitations in a PostgreSQL database of
their own, gunicorn in the production profile in front of it, respondents' forms (CSRF cookie and token) and
their answers, and respondents submitting again and again until told to stop."""

import argparse
import json
import os
import re
import secrets
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from bench import own_database, positive
from bench.dashboard_load import (
    collect_static,
    default_workers,
    free_port,
    production_environment,
    start_gunicorn,
    stop,
    wait_until_serving,
)

REGION = "etela-savo"
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
REFUSED_TEXT = "Tällä kutsulla on jo vastattu"  # the message, in the interface's default language
ACCEPTED = 302  # an accepted submission redirects to the thanks page
PER_ORGANISATION = 500  # the most invitations `create_invitations` issues per organisation at a time
READY_LIMIT = 300.0  # seconds the respondents may take to load their forms


def add_workers_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--workers",
        type=positive,
        default=default_workers(),
        help=f"gunicorn sync worker processes (default 2 × cores + 1 = {default_workers()})",
    )


def configure_environment(workdir: Path) -> None:
    """The production profile for this process and gunicorn; plain HTTP on loopback, so the cookies the
    benchmark sends back are handled by hand (a Secure cookie is never sent over http by a client library)."""
    production_environment(workdir / "static")
    # The application's log goes to a file (`server.log`), summarised by `server_errors`.
    os.environ["LOG_FORMAT"] = "json"


def prepare(invitations: int) -> tuple[int, list[str]]:
    """Migrate, load the areas and the Etelä-Savo strategy, open its partner survey (a SYNTHETIC benchmark copy)
    and issue `invitations` single-use invitations through `create_invitations`; the survey's pk and the tokens."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from tilannekuva.regions.models import Region, RegionRole, RoleKind
    from tilannekuva.regions.services import load_areas
    from tilannekuva.strategy.yaml_import import import_file
    from tilannekuva.surveys.services import create_invitations, create_survey, set_status

    call_command("migrate", verbosity=0)
    load_areas()
    import_file(settings.STRATEGIES_DIR / f"{REGION}.yaml")
    region = Region.objects.get(slug=REGION)
    admin = get_user_model().objects.create_user("bench-admin", password=secrets.token_urlsafe(20))
    RegionRole.objects.create(user=admin, region=region, role=RoleKind.ADMIN)
    survey = create_survey(region=region, template="partner-survey", year=2025, user=admin, title="SYNTHETIC benchmark")
    # Named, so that each stored response carries its invitation and a duplicate would show as one.
    survey.anonymous = False
    survey.save(update_fields=["anonymous"])
    set_status(survey=survey, status="open", user=admin)
    tokens: list[str] = []
    while len(tokens) < invitations:
        size = min(PER_ORGANISATION, invitations - len(tokens))
        issued = create_invitations(survey=survey, organisations=[None], per_organisation=size, user=admin)
        tokens.extend(item.token for item in issued)
    return survey.pk, tokens


@dataclass
class Served:
    """A running benchmark server: its base URL, the open survey and its invitation tokens."""

    base: str
    survey_pk: int
    tokens: list[str]
    workdir: Path
    setup_seconds: float


@contextmanager
def serve(*, database: str, invitations: int, workers: int, keep_database: bool, label: str) -> Iterator[Served]:
    """A fresh database `database` with the open survey and `invitations` tokens, and gunicorn (sync workers, the
    production profile) serving it on a free loopback port; stopped and dropped at the end whatever happens."""
    workdir = Path(tempfile.mkdtemp(prefix=f"tilannekuva-bench-{label}-"))
    configure_environment(workdir)
    gunicorn = None
    with own_database(database, keep=keep_database):
        try:
            started = time.perf_counter()
            survey_pk, tokens = prepare(invitations)
            collect_static()
            setup_seconds = time.perf_counter() - started
            port = free_port()
            gunicorn = start_gunicorn(
                port,
                options=argparse.Namespace(workers=workers, worker_threads=1),
                worker_class="sync",
                log=workdir / "gunicorn.log",
                output=workdir / "server.log",
            )
            wait_until_serving(gunicorn, port, f"/surveys/answer/{tokens[0]}/")
            yield Served(f"http://127.0.0.1:{port}", survey_pk, tokens, workdir, setup_seconds)
        finally:
            if gunicorn is not None:
                stop(gunicorn, log=workdir / "gunicorn.log")


@dataclass
class Form:
    token: str
    cookie: str
    csrf: str


def load_form(base: str, token: str) -> Form:
    """A respondent's GET of the form: the CSRF cookie and the form's token (valid for any later POST)."""
    with httpx.Client(base_url=base, timeout=60) as client:
        response = client.get(f"/surveys/answer/{token}/")
        if response.status_code != 200:
            raise SystemExit(f"survey benchmark: the form answered {response.status_code}")
        found = CSRF_INPUT.search(response.text)
        cookie = response.headers.get("set-cookie", "").split(";", 1)[0]
        if found is None or not cookie.startswith("csrftoken="):
            raise SystemExit("survey benchmark: the form has no CSRF token")
        return Form(token, cookie, found.group(1))


def load_forms(base: str, tokens: list[str]) -> tuple[list[Form], float]:
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=32) as pool:
        forms = list(pool.map(lambda token: load_form(base, token), tokens))
    return forms, time.perf_counter() - started  # client set-up included: an upper bound


def answers(form: Form, index: int) -> dict[str, str]:
    data = {f"q-q{n}": str((index + n) % 10 + 1) for n in range(1, 6)}
    return {**data, "q-nps": str(index % 10 + 1), "q-q6": f"SYNTHETIC {index}", "csrfmiddlewaretoken": form.csrf}


def pct(values: list[float], pct: int) -> float:
    return values[min(len(values) - 1, round(pct / 100 * (len(values) - 1)))]


def ms(values: list[float], percent: int) -> str:
    return f"{pct(values, percent) * 1000:.0f}"


# -- respondents submitting again and again ---------------------------------------------------------------------


@dataclass
class Attempt:
    """One POST: when it started and ended (perf_counter), its status (0: no HTTP answer) and what went wrong."""

    token: str
    started: float
    ended: float
    status: int
    refused_with_message: bool = False
    error: str = ""

    @property
    def seconds(self) -> float:
        return self.ended - self.started

    @property
    def accepted(self) -> bool:
        return self.status == ACCEPTED


@dataclass
class Respondents:
    """`clients` threads, each with a form of its own (one GET beforehand), submitting with a fresh invitation
    token after every answer until `stop` is set or the tokens run out. After a failed submission a client waits
    `pause` seconds, as a person would before trying again, so that an outage does not use up the tokens."""

    base: str
    tokens: list[str]
    clients: int
    pause: float = 0.0
    timeout: float = 60.0
    attempts: list[Attempt] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)
    ran_out: bool = False
    began: float = 0.0
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _next: int = 0
    _threads: list[threading.Thread] = field(default_factory=list)
    _unready: list[str] = field(default_factory=list)

    def start(self) -> None:
        """Every client loads its form first; the clock starts when the last one has, and all go at once."""
        ready = threading.Barrier(self.clients + 1)
        for number in range(self.clients):
            thread = threading.Thread(target=self._client, args=(number, ready), daemon=True)
            thread.start()
            self._threads.append(thread)
        ready.wait(timeout=READY_LIMIT)
        self.began = time.perf_counter()
        if self._unready:
            self.finish()
            raise SystemExit(f"survey benchmark: {len(self._unready)} respondents got no form: {self._unready[0]}")

    def finish(self) -> None:
        """Stop taking new tokens and wait for every submission in flight to get its answer."""
        self.stop.set()
        for thread in self._threads:
            thread.join()

    def _take(self) -> str | None:
        with self._lock:
            if self._next >= len(self.tokens):
                self.ran_out = True
                return None
            self._next += 1
            return self.tokens[self._next - 1]

    def _client(self, number: int, ready: threading.Barrier) -> None:
        token = self._take()
        if token is None:
            ready.wait(timeout=READY_LIMIT)
            return
        try:
            form = load_form(self.base, token)
        except (SystemExit, httpx.HTTPError) as exc:
            with self._lock:
                self._unready.append(str(exc))
            ready.wait(timeout=READY_LIMIT)
            return
        ready.wait(timeout=READY_LIMIT)
        index = number
        with httpx.Client(base_url=self.base, timeout=self.timeout, headers={"Cookie": form.cookie}) as client:
            while token is not None and not self.stop.is_set():
                attempt = post(client, form, token, index)
                with self._lock:
                    self.attempts.append(attempt)
                if not attempt.accepted and self.pause:
                    self.stop.wait(self.pause)
                index += self.clients
                token = self._take()


def post(client: httpx.Client, form: Form, token: str, index: int) -> Attempt:
    """One submission of `token`'s form; a connection failure or timeout is an attempt with status 0."""
    started = time.perf_counter()
    try:
        response = client.post(f"/surveys/answer/{token}/", data=answers(form, index))
    except (httpx.HTTPError, OSError) as exc:
        return Attempt(token, started, time.perf_counter(), 0, error=f"{type(exc).__name__}: {exc}"[:200])
    ended = time.perf_counter()
    refused = response.status_code == 409 and REFUSED_TEXT in response.text
    error = "" if response.status_code == ACCEPTED else f"HTTP {response.status_code}"
    return Attempt(token, started, ended, response.status_code, refused, error)


def stored_tokens(survey_pk: int, tokens: list[str]) -> set[str]:
    """The tokens whose invitation has a stored response (one at most: the link is one-to-one)."""
    from tilannekuva.surveys.models import Response, token_hash

    by_hash = {token_hash(token): token for token in tokens}
    stored = Response.objects.filter(survey_id=survey_pk, invitation__isnull=False)
    return {by_hash[value] for value in stored.values_list("invitation__token_hash", flat=True) if value in by_hash}


def used_tokens(survey_pk: int, tokens: list[str]) -> set[str]:
    from tilannekuva.surveys.models import Invitation, token_hash

    by_hash = {token_hash(token): token for token in tokens}
    used = Invitation.objects.filter(survey_id=survey_pk, used_at__isnull=False).values_list("token_hash", flat=True)
    return {by_hash[value] for value in used if value in by_hash}


def responses_stored(survey_pk: int) -> int:
    from tilannekuva.surveys.models import Response

    return Response.objects.filter(survey_id=survey_pk).count()


def wait_for(condition: Callable[[], bool], *, seconds: float, step: float = 0.05) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(step)
    return condition()


def describe(attempts: list[Attempt]) -> str:
    """`3 × HTTP 500, 1 × ConnectError: …` for the failed attempts, most common first."""
    counts: dict[str, int] = {}
    for attempt in attempts:
        if not attempt.accepted:
            kind = attempt.error.split(":", 1)[0] or f"HTTP {attempt.status}"
            counts[kind] = counts.get(kind, 0) + 1
    return ", ".join(f"{n} × {kind}" for kind, n in sorted(counts.items(), key=lambda item: -item[1])) or "none"


def server_errors(workdir: Path) -> dict[str, int]:
    """The application's ERROR records in `server.log`, counted by their exception's last line (or message)."""
    counts: dict[str, int] = {}
    path = workdir / "server.log"
    if not path.exists():
        return counts
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if not isinstance(entry, dict) or entry.get("level") not in {"ERROR", "CRITICAL"}:
            continue
        exception = str(entry.get("exception") or "").strip()
        # The exception's own line (`module.Error: message`), not a continuation of a message of several lines.
        heads = [line for line in exception.splitlines() if line and not line[0].isspace()]
        kind = heads[-1] if heads else str(entry.get("message", ""))
        kind = kind[:160]
        counts[kind] = counts.get(kind, 0) + 1
    return counts
