"""Survey submissions sustained (issue 10): 200 respondents submit the partner survey again and again for 60 s
through gunicorn and PostgreSQL, each time with a fresh invitation issued beforehand; no error, and the database
holds exactly the accepted submissions."""

import argparse
import os

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
    Attempt,
    Respondents,
    add_workers_argument,
    describe,
    ms,
    responses_stored,
    serve,
    server_errors,
    stored_tokens,
    used_tokens,
)

help = "200 respondents submitting surveys again and again for 60 s through gunicorn and PostgreSQL: rate, p95/p99"

DATABASE = "tilannekuva_bench_survey_load"
DEFAULT_CLIENTS = 200
DEFAULT_DURATION = 60
DEFAULT_INVITATIONS = 20_000
HEADING = "## Survey submissions sustained for 60 s"
MARKER = "survey-load"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--clients",
        type=positive,
        default=DEFAULT_CLIENTS,
        help=f"respondents submitting at the same time, one thread each (default {DEFAULT_CLIENTS})",
    )
    parser.add_argument(
        "--duration", type=positive, default=DEFAULT_DURATION, help=f"seconds of load (default {DEFAULT_DURATION})"
    )
    parser.add_argument(
        "--invitations",
        type=positive,
        default=DEFAULT_INVITATIONS,
        help=f"invitations issued beforehand, one per submission; running out fails the run "
        f"(default {DEFAULT_INVITATIONS:,})",
    )
    add_workers_argument(parser)
    add_record_arguments(parser, database=DATABASE, recorded="for the default clients and duration")


def run(options: argparse.Namespace) -> int:
    from django.conf import settings

    if settings.configured:
        return run_in_fresh_interpreter("surveys-load", options, add_arguments)
    server = reachable_server("Survey load")
    if server is None:
        return 1
    say(
        f"Survey load: {options.clients} respondents for {options.duration} s, {server}, "
        f"gunicorn {options.workers} sync workers"
    )
    with serve(
        database=DATABASE,
        invitations=options.invitations,
        workers=options.workers,
        keep_database=options.keep_database,
        label="survey-load",
    ) as served:
        say(f"  set up in {served.setup_seconds:.1f} s: partner survey open, {len(served.tokens):,} invitations")
        respondents = Respondents(served.base, served.tokens, options.clients)
        load_before = os.getloadavg()[0]
        cpu_before = _own_cpu()
        respondents.start()
        say(f"  {options.clients} respondents have their forms (one GET each); submitting for {options.duration} s")
        respondents.stop.wait(options.duration)
        respondents.finish()
        client_cpu = _own_cpu() - cpu_before
        load_after = os.getloadavg()[0]
        attempts = respondents.attempts
        problems = _check(served.survey_pk, served.tokens, attempts, ran_out=respondents.ran_out)
        errors_logged = server_errors(served.workdir)
    accepted = [a for a in attempts if a.accepted]
    seconds = max(a.ended for a in attempts) - respondents.began
    latencies = sorted(a.seconds for a in attempts)
    say(
        f"  {len(attempts):,} POSTs in {seconds:.1f} s: {len(accepted):,} accepted, {len(attempts) - len(accepted)} "
        f"failed ({describe(attempts)}); {len(accepted) / seconds:.0f} submissions/s; p50 {ms(latencies, 50)} ms, "
        f"p95 {ms(latencies, 95)} ms, p99 {ms(latencies, 99)} ms, max {ms(latencies, 100)} ms; "
        f"load average {load_before:.1f} before, {load_after:.1f} after; the client threads used "
        f"{client_cpu / seconds:.2f} cores"
    )
    if errors_logged:
        say("  server errors logged: " + "; ".join(f"{n} × {kind}" for kind, n in errors_logged.items()))
    if problems:
        say("  FAILED: " + "; ".join(problems))
        return 1
    say(f"  the database holds exactly the {len(accepted):,} accepted submissions, one per invitation")
    default_size = options.clients == DEFAULT_CLIENTS and options.duration == DEFAULT_DURATION
    if should_record(options, default_run=default_size):
        facts = machine(postgres_version=server)
        block = _block(options, facts, attempts, seconds, load_before, load_after, client_cpu)
        path = record(heading=HEADING, marker=MARKER, block=block, intro=INTRO)
        say(f"  recorded in {path.relative_to(ROOT)}")
    return 0


def _own_cpu() -> float:
    """CPU seconds of this process (the client threads), not of gunicorn or PostgreSQL."""
    times = os.times()
    return times.user + times.system


def _check(survey_pk: int, tokens: list[str], attempts: list[Attempt], *, ran_out: bool) -> list[str]:
    """No failed submission, and the database holds exactly the accepted ones: each invitation's response once."""
    accepted = {a.token for a in attempts if a.accepted}
    problems = []
    failed = [a for a in attempts if not a.accepted]
    if failed:
        problems.append(f"{len(failed)} submissions failed ({describe(attempts)}; first: {failed[0].error})")
    if ran_out:
        problems.append("the invitations ran out before the end: run again with more --invitations")
    if len(accepted) != sum(1 for a in attempts if a.accepted):
        problems.append("an invitation was accepted twice")
    stored = responses_stored(survey_pk)
    if stored != len(accepted):
        problems.append(f"{stored} responses stored, {len(accepted)} accepted")
    if stored_tokens(survey_pk, tokens) != accepted:
        problems.append("the stored responses' invitations differ from the accepted ones")
    if used_tokens(survey_pk, tokens) != accepted:
        problems.append("the invitations marked used differ from the accepted ones")
    return problems


INTRO = """`python -m bench surveys-load` (issue 10; method in `bench/README.md`) starts gunicorn in the production
profile on loopback (sync workers, 2 × cores + 1) against a PostgreSQL database of its own with the Etelä-Savo
partner survey open (SYNTHETIC benchmark copy) and 20,000 single-use invitations issued beforehand. 200
respondents, one client thread each, load their form once (GET: CSRF cookie and token) and then, all starting
at once, submit the form again and again for 60 s, each submission with the next unused invitation: 200
submissions are in flight at every moment. It fails unless no submission failed and the database holds exactly
the accepted submissions (HTTP 302), one per invitation, with exactly those invitations marked used."""


def _block(
    options: argparse.Namespace,
    facts: dict[str, str],
    attempts: list[Attempt],
    seconds: float,
    load_before: float,
    load_after: float,
    client_cpu: float,
) -> str:
    accepted = [a for a in attempts if a.accepted]
    latencies = sorted(a.seconds for a in attempts)
    spread = " / ".join(ms(latencies, p) for p in (50, 95, 99, 100))
    return f"""| | |
|---|---|
| measured | {facts["date"]}, commit {facts["commit"]} |
| CPU | {facts["cpu"]}, {facts["cores"]} cores, shared by gunicorn, PostgreSQL and the client threads |
| memory | {facts["memory"]} |
| database | {facts["postgresql"]} |
| software | Python {facts["python"]}, Django {facts["django"]} |
| server | gunicorn, {options.workers} sync workers, production profile |
| machine load | load average {load_before:.1f} (1 min) before the run, {load_after:.1f} after it |

| figure | value |
|---|---|
| respondents submitting at once | {options.clients}, for {options.duration} s (last answers in at {seconds:.1f} s) |
| submissions sent | {len(attempts):,} |
| accepted (302) | {len(accepted):,} |
| errors | {len(attempts) - len(accepted)} |
| responses in the database | {len(accepted):,} (= accepted; one per invitation) |
| **submissions/s** | **{len(accepted) / seconds:.0f}** |
| latency per POST p50 / p95 / p99 / max | {spread} ms |
| CPU used by the client threads (forms loaded included) | {client_cpu / seconds:.2f} of {facts["cores"]} cores |"""
