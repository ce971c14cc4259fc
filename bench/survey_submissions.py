"""Survey submissions under load: 200 respondents send the partner survey at the same moment through gunicorn and
PostgreSQL, each with an invitation of their own, while some invitations are sent twice at once; none is lost
and none counted twice."""

import argparse
import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import httpx

from bench import (
    ROOT,
    add_record_arguments,
    machine,
    positive,
    reachable_server,
    record,
    run_in_fresh_interpreter,
    say,
    should_record,
)
from bench.survey_common import (
    REFUSED_TEXT,
    Form,
    add_workers_argument,
    answers,
    load_forms,
    ms,
    pct,
    serve,
)

help = (
    "200 concurrent survey submissions through gunicorn and PostgreSQL, with duplicate submits: none lost, none twice"
)

DATABASE = "tilannekuva_bench_surveys"
DEFAULT_RESPONDENTS = 200
DEFAULT_DUPLICATES = 40
HEADING = "## Survey submissions under load"
MARKER = "survey-submissions"


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
    add_workers_argument(parser)
    add_record_arguments(parser, database=DATABASE, recorded="for the default sizes")


def run(options: argparse.Namespace) -> int:
    from django.conf import settings

    if settings.configured:
        return run_in_fresh_interpreter("surveys", options, add_arguments)
    if options.duplicates > options.respondents:
        say("Survey submissions: --duplicates cannot exceed --respondents.")
        return 1
    server = reachable_server("Survey submissions")
    if server is None:
        return 1
    say(
        f"Survey submissions: {options.respondents} respondents + {options.duplicates} duplicate submits, "
        f"{server}, gunicorn {options.workers} sync workers"
    )
    with serve(
        database=DATABASE,
        invitations=options.respondents,
        workers=options.workers,
        keep_database=options.keep_database,
        label="surveys",
    ) as served:
        survey_pk, tokens, base = served.survey_pk, served.tokens, served.base
        say(f"  set up in {served.setup_seconds:.1f} s: partner survey open, {len(tokens)} invitations")
        forms, load_seconds = load_forms(base, tokens)
        say(f"  {len(forms)} forms loaded in {load_seconds:.2f} s (each respondent's GET, with its CSRF cookie)")
        load_before = os.getloadavg()[0]
        sent, seconds = _submit(base, forms, duplicates=options.duplicates)
        stored = _check(survey_pk, tokens, sent, duplicates=options.duplicates)
    accepted = [s for s in sent if s.status == 302]
    refused = [s for s in sent if s.status != 302]
    latencies = sorted(s.seconds for s in sent)
    rate = len(accepted) / seconds
    say(
        f"  {len(sent)} POSTs at once: {len(accepted)} accepted, {len(refused)} refused (all with the message), "
        f"{stored} responses stored; {seconds:.2f} s, {rate:.0f} submissions/s; "
        f"p50 {pct(latencies, 50) * 1000:.0f} ms, p95 {pct(latencies, 95) * 1000:.0f} ms, "
        f"max {latencies[-1] * 1000:.0f} ms"
    )
    default_size = options.respondents == DEFAULT_RESPONDENTS and options.duplicates == DEFAULT_DUPLICATES
    if should_record(options, default_run=default_size):
        facts = machine(postgres_version=server)
        path = record(
            heading=HEADING,
            marker=MARKER,
            block=_block(options, facts, sent, seconds, stored, load_seconds, load_before),
            intro=INTRO,
        )
        say(f"  recorded in {path.relative_to(ROOT)}")
    return 0


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
            response = client.post(f"/surveys/answer/{form.token}/", data=answers(form, index))
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
| latency per POST p50 / p95 / max | {ms(latencies, 50)} / {ms(latencies, 95)} / {ms(latencies, 100)} ms |
| forms loaded beforehand (GET, 32 at a time) | {options.respondents} in {load_seconds:.2f} s |"""
