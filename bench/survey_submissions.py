"""Survey submissions under load: 200 respondents send the partner survey at the same moment through gunicorn and
PostgreSQL, each with an invitation of their own, while some invitations are sent twice at once; none is lost
and none counted twice."""

import argparse
import os
import re
import secrets
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import httpx
import psycopg

from bench import (
    ROOT,
    SERVER_URL,
    create_database,
    drop_database,
    machine,
    positive,
    postgres_server_version,
    record,
    say,
    setup_django,
)
from bench.dashboard_load import collect_static, default_workers, free_port, start_gunicorn, stop, wait_until_serving

help = (
    "200 concurrent survey submissions through gunicorn and PostgreSQL, with duplicate submits: none lost, none twice"
)

DATABASE = "tilannekuva_bench_surveys"
REGION = "etela-savo"
DEFAULT_RESPONDENTS = 200
DEFAULT_DUPLICATES = 40
HEADING = "## Survey submissions under load"
MARKER = "survey-submissions"
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
REFUSED_TEXT = "Tällä kutsulla on jo vastattu"  # the message, in the interface's default language


@dataclass
class Sent:
    token: str
    status: int
    refused_with_message: bool
    seconds: float


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--respondents",
        type=positive,
        default=DEFAULT_RESPONDENTS,
        help=f"respondents, each with an invitation of their own (default {DEFAULT_RESPONDENTS})",
    )
    parser.add_argument(
        "--duplicates",
        type=int,
        default=DEFAULT_DUPLICATES,
        help=f"invitations sent a second time at the same moment (default {DEFAULT_DUPLICATES})",
    )
    parser.add_argument(
        "--workers",
        type=positive,
        default=default_workers(),
        help=f"gunicorn sync worker processes (default 2 × cores + 1 = {default_workers()})",
    )
    parser.add_argument(
        "--record",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="write the figures into docs/PERFORMANCE.md (default: only for the default sizes)",
    )
    parser.add_argument(
        "--keep-database", action="store_true", help=f"leave the {DATABASE} database in place for inspection"
    )


def run(options: argparse.Namespace) -> int:
    from django.conf import settings

    if settings.configured:
        # Django reads its settings once per interpreter; this benchmark needs its own database and profile.
        command = [sys.executable, "-m", "bench", "surveys", *_arguments_of(options)]
        return subprocess.call(command, cwd=ROOT)  # noqa: S603 - our own interpreter and module
    if options.duplicates > options.respondents:
        say("Survey submissions: --duplicates cannot exceed --respondents.")
        return 1
    try:
        server = postgres_server_version(f"{SERVER_URL}/postgres")
    except psycopg.OperationalError as exc:
        say(f"Survey submissions: PostgreSQL is not reachable at {SERVER_URL} (set BENCH_POSTGRES_URL).\n{exc}")
        return 1
    say(
        f"Survey submissions: {options.respondents} respondents + {options.duplicates} duplicate submits, "
        f"{server}, gunicorn {options.workers} sync workers"
    )
    create_database(SERVER_URL, DATABASE)
    workdir = Path(tempfile.mkdtemp(prefix="tilannekuva-bench-surveys-"))
    gunicorn = None
    try:
        _configure_environment(workdir)
        setup_django(database_url=f"{SERVER_URL}/{DATABASE}")
        started = time.perf_counter()
        survey_pk, tokens = _prepare(options.respondents)
        collect_static()
        say(f"  set up in {time.perf_counter() - started:.1f} s: partner survey open, {len(tokens)} invitations")
        port = free_port()
        gunicorn = start_gunicorn(
            port,
            options=argparse.Namespace(workers=options.workers, worker_threads=1),
            worker_class="sync",
            log=workdir / "gunicorn.log",
        )
        wait_until_serving(gunicorn, port, f"/surveys/answer/{tokens[0]}/")
        base = f"http://127.0.0.1:{port}"
        forms, load_seconds = _load_forms(base, tokens)
        say(f"  {len(forms)} forms loaded in {load_seconds:.2f} s (each respondent's GET, with its CSRF cookie)")
        load_before = os.getloadavg()[0]
        sent, seconds = _submit(base, forms, duplicates=options.duplicates)
        stored = _check(survey_pk, tokens, sent, duplicates=options.duplicates)
    finally:
        if gunicorn is not None:
            stop(gunicorn, log=workdir / "gunicorn.log")
        if not options.keep_database:
            from django.db import connections

            connections.close_all()
            drop_database(SERVER_URL, DATABASE)
    accepted = [s for s in sent if s.status == 302]
    refused = [s for s in sent if s.status != 302]
    latencies = sorted(s.seconds for s in sent)
    rate = len(accepted) / seconds
    say(
        f"  {len(sent)} POSTs at once: {len(accepted)} accepted, {len(refused)} refused (all with the message), "
        f"{stored} responses stored; {seconds:.2f} s, {rate:.0f} submissions/s; "
        f"p50 {_pct(latencies, 50) * 1000:.0f} ms, p95 {_pct(latencies, 95) * 1000:.0f} ms, "
        f"max {latencies[-1] * 1000:.0f} ms"
    )
    default_size = options.respondents == DEFAULT_RESPONDENTS and options.duplicates == DEFAULT_DUPLICATES
    if options.record if options.record is not None else default_size:
        facts = machine(postgres_version=server)
        path = record(
            heading=HEADING,
            marker=MARKER,
            block=_block(options, facts, sent, seconds, stored, load_seconds, load_before),
            intro=INTRO,
        )
        say(f"  recorded in {path.relative_to(ROOT)}")
    return 0


def _arguments_of(options: argparse.Namespace) -> list[str]:
    found = [f"--respondents={options.respondents}", f"--duplicates={options.duplicates}"]
    found.append(f"--workers={options.workers}")
    if options.record is not None:
        found.append("--record" if options.record else "--no-record")
    if options.keep_database:
        found.append("--keep-database")
    return found


def _configure_environment(workdir: Path) -> None:
    """The production profile for this process and gunicorn; plain HTTP on loopback, so the cookies the
    benchmark sends back are handled by hand (a Secure cookie is never sent over http by a client library)."""
    os.environ.update(
        {
            "TILANNEKUVA_PROFILE": "production",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "DEBUG": "false",
            "ALLOWED_HOSTS": "127.0.0.1",
            "STATIC_ROOT": str(workdir / "static"),
            "LOG_LEVEL": "WARNING",
        }
    )


def _prepare(respondents: int) -> tuple[int, list[str]]:
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from tilannekuva.regions.models import Region, RegionRole, RoleKind
    from tilannekuva.regions.services import load_areas
    from tilannekuva.strategy.services import import_file
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
    issued = create_invitations(survey=survey, organisations=[None], per_organisation=respondents, user=admin)
    return survey.pk, [item.token for item in issued]


@dataclass
class Form:
    token: str
    cookie: str
    csrf: str


def _load_forms(base: str, tokens: list[str]) -> tuple[list[Form], float]:
    def load(token: str) -> Form:
        with httpx.Client(base_url=base, timeout=60) as client:
            response = client.get(f"/surveys/answer/{token}/")
            if response.status_code != 200:
                raise SystemExit(f"survey submissions: the form answered {response.status_code}")
            found = CSRF_INPUT.search(response.text)
            cookie = response.headers.get("set-cookie", "").split(";", 1)[0]
            if found is None or not cookie.startswith("csrftoken="):
                raise SystemExit("survey submissions: the form has no CSRF token")
            return Form(token, cookie, found.group(1))

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=32) as pool:
        forms = list(pool.map(load, tokens))
    return forms, time.perf_counter() - started  # client set-up included: an upper bound


def _answers(form: Form, index: int) -> dict[str, str]:
    data = {f"q-q{n}": str((index + n) % 10 + 1) for n in range(1, 6)}
    return {**data, "q-nps": str(index % 10 + 1), "q-q6": f"SYNTHETIC {index}", "csrfmiddlewaretoken": form.csrf}


def _submit(base: str, forms: list[Form], *, duplicates: int) -> tuple[list[Sent], float]:
    """Every POST waits at one barrier and goes at once: each form once, the first `duplicates` twice."""
    jobs = [(form, index) for index, form in enumerate(forms)] + [(forms[i], i) for i in range(duplicates)]
    released: list[float] = []
    # Every thread has its client ready before the barrier; the clock starts when the barrier opens.
    barrier = threading.Barrier(len(jobs), action=lambda: released.append(time.perf_counter()))
    finished: list[float] = []

    def send(job: tuple[Form, int]) -> Sent:
        form, index = job
        with httpx.Client(base_url=base, timeout=120, headers={"Cookie": form.cookie}) as client:
            barrier.wait()
            started = time.perf_counter()
            response = client.post(f"/surveys/answer/{form.token}/", data=_answers(form, index))
            finished.append(time.perf_counter())
            elapsed = finished[-1] - started
        return Sent(form.token, response.status_code, REFUSED_TEXT in response.text, elapsed)

    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        sent = list(pool.map(send, jobs))
    return sent, max(finished) - released[0]


def _check(survey_pk: int, tokens: list[str], sent: list[Sent], *, duplicates: int) -> int:
    """The database holds exactly the accepted responses, one per invitation; every refusal said why."""
    from tilannekuva.surveys.models import Invitation, Response, token_hash

    accepted = [s for s in sent if s.status == 302]
    refused = [s for s in sent if s.status != 302]
    stored = Response.objects.filter(survey_id=survey_pk).count()
    problems = []
    if stored != len(accepted):
        problems.append(f"{stored} responses stored but {len(accepted)} accepted")
    if len({s.token for s in accepted}) != len(accepted):
        problems.append("a token was accepted twice")
    if {s.token for s in accepted} != set(tokens):
        problems.append("an invitation's answers were lost")
    if len(refused) != duplicates or not all(s.status == 409 and s.refused_with_message for s in refused):
        problems.append(f"refusals: {sorted({s.status for s in refused})}, expected {duplicates} × 409 with a message")
    linked = Response.objects.filter(survey_id=survey_pk, invitation__isnull=False).values("invitation").distinct()
    if linked.count() != stored:
        problems.append("a response without its own invitation")
    used = Invitation.objects.filter(survey_id=survey_pk, used_at__isnull=False)
    if {i.token_hash for i in used} != {token_hash(t) for t in tokens}:
        problems.append("used invitations differ from the accepted ones")
    if problems:
        raise SystemExit("survey submissions: " + "; ".join(problems))
    return stored


def _pct(values: list[float], pct: int) -> float:
    return values[min(len(values) - 1, round(pct / 100 * (len(values) - 1)))]


def _ms(values: list[float], pct: int) -> str:
    return f"{_pct(values, pct) * 1000:.0f}"


INTRO = """`python -m bench surveys` (see `bench/README.md`) starts gunicorn in the production profile on loopback
against a PostgreSQL database of its own, creates the Etelä-Savo partner survey (SYNTHETIC benchmark copy)
with one invitation per respondent, loads every respondent's form (GET, for the CSRF cookie and token), then
releases every submission at one barrier: each invitation once, and the first `--duplicates` invitations a
second time at the same moment. It fails unless the database holds exactly the accepted responses, one per
invitation, and every second submit was refused (HTTP 409 with the message). The exactly-once rule is one
conditional `UPDATE … WHERE used_at IS NULL` inside the response's transaction (`surveys.services.submit_response`)."""


def _block(
    options: argparse.Namespace,
    facts: dict[str, str],
    sent: list[Sent],
    seconds: float,
    stored: int,
    load_seconds: float,
    load_before: float,
) -> str:
    accepted = [s for s in sent if s.status == 302]
    latencies = sorted(s.seconds for s in sent)
    return f"""| | |
|---|---|
| measured | {facts["date"]}, commit {facts["commit"]} |
| CPU | {facts["cpu"]}, {facts["cores"]} cores, shared by gunicorn, PostgreSQL and the client threads |
| memory | {facts["memory"]} |
| database | {facts["postgresql"]} |
| software | Python {facts["python"]}, Django {facts["django"]} |
| server | gunicorn, {options.workers} sync workers, production profile |
| machine load | load average {load_before:.1f} (1 min) just before the release: other work shares the cores |

| figure | value |
|---|---|
| submissions released at once | {len(sent)} ({options.respondents} invitations, {options.duplicates} of them twice) |
| accepted (302) | {len(accepted)} |
| refused as a second submit (409, with the message) | {len(sent) - len(accepted)} |
| responses in the database | {stored} (= accepted; one per invitation) |
| time from release to the last answer | {seconds:.2f} s |
| **submissions/s** | **{len(accepted) / seconds:.0f}** |
| latency per POST p50 / p95 / max | {_ms(latencies, 50)} / {_ms(latencies, 95)} / {_ms(latencies, 100)} ms |
| forms loaded beforehand (GET, 32 at a time) | {options.respondents} in {load_seconds:.2f} s |"""
