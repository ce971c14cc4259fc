"""PostgreSQL restarted during survey submissions (issue 10): respondents keep submitting through gunicorn while
the database server restarts; every accepted answer is stored, every refused one got an error, and submissions
succeed again once the server is back, on every server process (also after a restart while the site is idle)."""

import argparse
import os
import shlex
import shutil
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx
import psycopg

from bench import (
    ROOT,
    SERVER_URL,
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
    Form,
    Respondents,
    add_workers_argument,
    describe,
    load_form,
    post,
    responses_stored,
    serve,
    server_errors,
    stored_tokens,
    used_tokens,
    wait_for,
)

help = "PostgreSQL restarted during survey submissions: accepted answers stored, refused ones errors, recovery"

DATABASE = "tilannekuva_bench_survey_restart"
DEFAULT_CLIENTS = 200
DEFAULT_BEFORE = 10
DEFAULT_AFTER = 15
DEFAULT_PAUSE = 0.2
DEFAULT_INVITATIONS = 20_000
HEADING = "## PostgreSQL restarted during survey submissions"
MARKER = "survey-restart"
UP_LIMIT = 60.0  # seconds the server may take to accept connections again


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--clients",
        type=positive,
        default=DEFAULT_CLIENTS,
        help=f"respondents submitting at the same time, one thread each (default {DEFAULT_CLIENTS})",
    )
    parser.add_argument(
        "--before",
        type=positive,
        default=DEFAULT_BEFORE,
        help=f"seconds of submissions before the restart (default {DEFAULT_BEFORE})",
    )
    parser.add_argument(
        "--after",
        type=positive,
        default=DEFAULT_AFTER,
        help=f"seconds of submissions after the server is back (default {DEFAULT_AFTER})",
    )
    parser.add_argument(
        "--pause",
        type=float,
        default=DEFAULT_PAUSE,
        help=f"seconds a respondent waits after a failed submission (default {DEFAULT_PAUSE})",
    )
    parser.add_argument(
        "--mode",
        choices=("fast", "immediate"),
        default="fast",
        help="PostgreSQL's shutdown mode for the restart (default fast: transactions rolled back, connections "
        "closed; immediate: a crash, recovered from the WAL at start)",
    )
    parser.add_argument(
        "--restart-command",
        default=None,
        help="the command that restarts the server (default: `pg_ctlcluster VERSION NAME restart -m MODE` for the "
        "local Debian cluster on the benchmark server's port)",
    )
    parser.add_argument(
        "--idle-check",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="after the run, restart the server once more while no one submits, then submit on every worker "
        "(default on)",
    )
    parser.add_argument(
        "--invitations",
        type=positive,
        default=DEFAULT_INVITATIONS,
        help=f"invitations issued beforehand (default {DEFAULT_INVITATIONS:,})",
    )
    add_workers_argument(parser)
    add_record_arguments(parser, database=DATABASE, recorded="for a run with the default options")


@dataclass
class Cluster:
    """How to restart the server and start it again should the restart leave it down."""

    restart: list[str]
    start: list[str]
    label: str


def find_cluster(options: argparse.Namespace) -> Cluster | str:
    """The local Debian cluster on the benchmark server's port (`pg_lsclusters`), or why there is none."""
    if options.restart_command:
        command = shlex.split(options.restart_command)
        return Cluster(command, command, options.restart_command)
    parts = urlsplit(SERVER_URL)
    if parts.hostname not in {"127.0.0.1", "localhost", "::1"}:
        return f"the server {parts.hostname} is not on this machine: give --restart-command"
    port = str(parts.port or 5432)
    lsclusters, ctlcluster = shutil.which("pg_lsclusters"), shutil.which("pg_ctlcluster")
    if lsclusters is None or ctlcluster is None:
        return "pg_lsclusters/pg_ctlcluster not found (not a Debian cluster): give --restart-command"
    listed = subprocess.run([lsclusters, "--no-header"], capture_output=True, text=True, check=True)  # noqa: S603
    for line in listed.stdout.splitlines():
        fields = line.split()
        if len(fields) >= 3 and fields[2] == port:
            version, name = fields[0], fields[1]
            return Cluster(
                [ctlcluster, version, name, "restart", "-m", options.mode],
                [ctlcluster, version, name, "start"],
                f"`pg_ctlcluster {version} {name} restart -m {options.mode}`",
            )
    return f"no cluster on port {port} in pg_lsclusters: give --restart-command"


def accepting() -> bool:
    try:
        with psycopg.connect(f"{SERVER_URL}/postgres", connect_timeout=2) as conn:
            conn.execute("SELECT 1")
        return True
    except psycopg.Error:
        return False


def ensure_running(cluster: Cluster) -> None:
    """Whatever happened, the shared server runs when the benchmark ends: started again if it does not answer."""
    if wait_for(accepting, seconds=UP_LIMIT, step=0.2):
        return
    say("  PostgreSQL does not answer: starting it")
    subprocess.run(cluster.start, check=False)  # noqa: S603 - the cluster's own control command
    if not wait_for(accepting, seconds=UP_LIMIT, step=0.2):
        say("  PostgreSQL is STILL DOWN: start it by hand (`pg_ctlcluster` or `service postgresql start`)")


@dataclass
class Restart:
    began: float
    command_done: float
    up: float
    output: str

    @property
    def outage(self) -> float:
        return self.up - self.began


def restart(cluster: Cluster) -> Restart:
    """The restart command, then the first moment the server takes a connection again; running afterwards anyway."""
    began = time.perf_counter()
    try:
        done = subprocess.run(cluster.restart, capture_output=True, text=True, timeout=120, check=False)  # noqa: S603
        command_done = time.perf_counter()
        wait_for(accepting, seconds=UP_LIMIT, step=0.02)
        up = time.perf_counter()
    finally:
        ensure_running(cluster)
    output = (done.stdout + done.stderr).strip()
    if done.returncode != 0:
        output = f"exit status {done.returncode}: {output}"
    return Restart(began, command_done, up, output)


def run(options: argparse.Namespace) -> int:
    from django.conf import settings

    if settings.configured:
        return run_in_fresh_interpreter("surveys-restart", options, add_arguments)
    server = reachable_server("Survey restart")
    if server is None:
        return 1
    cluster = find_cluster(options)
    if isinstance(cluster, str):
        say(f"Survey restart: {cluster}")
        return 1
    conn_max_age = int(os.environ.get("DB_CONN_MAX_AGE", "60"))
    say(
        f"Survey restart: {options.clients} respondents, {cluster.label} after {options.before} s, "
        f"{options.after} s more after it; {server}, gunicorn {options.workers} sync workers"
    )
    try:
        with serve(
            database=DATABASE,
            invitations=options.invitations,
            workers=options.workers,
            keep_database=options.keep_database,
            label="survey-restart",
        ) as served:
            result = _scenario(options, cluster, served.base, served.tokens)
            problems = _check(served.survey_pk, served.tokens, result)
            result.errors_logged = server_errors(served.workdir)
            health_checks = settings.DATABASES["default"].get("CONN_HEALTH_CHECKS", False)
    finally:
        ensure_running(cluster)
    _report(result)
    if problems:
        say("  FAILED: " + "; ".join(problems))
        return 1
    say(
        "  every accepted answer is stored, every refused one got an error, and submissions succeed again after the "
        "restart on every worker"
    )
    default_run = (options.clients, options.before, options.after, options.mode, options.idle_check) == (
        DEFAULT_CLIENTS,
        DEFAULT_BEFORE,
        DEFAULT_AFTER,
        "fast",
        True,
    )
    if should_record(options, default_run=default_run):
        facts = machine(postgres_version=server)
        block = _block(options, facts, cluster, result, conn_max_age=conn_max_age, health_checks=health_checks)
        path = record(heading=HEADING, marker=MARKER, block=block, intro=INTRO)
        say(f"  recorded in {path.relative_to(ROOT)}")
    return 0


@dataclass
class Result:
    began: float
    ended: float
    restart: Restart
    attempts: list[Attempt]  # the respondents' submissions, before, during and after the restart
    retries: list[Attempt]  # each failed submission's invitation sent once more at the end
    idle_restart: Restart | None
    idle_attempts: list[Attempt]  # the first submissions after the restart while idle
    load_before: float
    errors_logged: dict[str, int]


def _scenario(options: argparse.Namespace, cluster: Cluster, base: str, tokens: list[str]) -> Result:
    # Kept out of the respondents' hands: a form for the retries, and invitations for the idle check.
    spare = tokens[-(1 + 4 * options.workers) :]
    respondents = Respondents(base, tokens[: -len(spare)], options.clients, pause=options.pause)
    load_before = os.getloadavg()[0]
    respondents.start()
    say(f"  {options.clients} respondents have their forms; submitting for {options.before} s")
    respondents.stop.wait(options.before)
    say(f"  restarting PostgreSQL: {cluster.label}")
    restarted = restart(cluster)
    if restarted.output:
        say(f"  {restarted.output}")
    say(
        f"  PostgreSQL accepts connections again {restarted.outage:.2f} s after the restart began "
        f"(command {restarted.command_done - restarted.began:.2f} s); submitting {options.after} s more"
    )
    respondents.stop.wait(options.after)
    respondents.finish()
    ended = time.perf_counter()
    form = load_form(base, spare[0])
    failed = [a.token for a in respondents.attempts if not a.accepted]
    retries = _send(base, form, failed)
    idle_restart, idle_attempts = None, []
    if options.idle_check:
        time.sleep(1)
        say("  no one submitting now; restarting PostgreSQL once more")
        idle_restart = restart(cluster)
        # As many submissions at once as there are workers × 4, so that every worker takes some.
        idle_attempts = _send(base, form, spare[1:])
        failed_idle = [a.token for a in idle_attempts if not a.accepted]
        retries += _send(base, form, failed_idle)
    return Result(
        respondents.began, ended, restarted, respondents.attempts, retries, idle_restart, idle_attempts, load_before, {}
    )


def _send(base: str, form: Form, tokens: list[str]) -> list[Attempt]:
    """Each token's submission once, all at the same time (at most 50 at once), with `form`'s CSRF cookie."""
    if not tokens:
        return []

    def one(job: tuple[int, str]) -> Attempt:
        with httpx.Client(base_url=base, timeout=60, headers={"Cookie": form.cookie}) as client:
            return post(client, form, job[1], job[0])

    with ThreadPoolExecutor(max_workers=min(50, len(tokens))) as pool:
        return list(pool.map(one, enumerate(tokens)))


def _check(survey_pk: int, tokens: list[str], result: Result) -> list[str]:
    """Compare what the respondents were told with what the database holds."""
    from django.db import connections

    connections.close_all()  # this process's own connection did not survive the restart either
    problems = []
    everything = result.attempts + result.retries + result.idle_attempts
    accepted = {a.token for a in everything if a.accepted}
    stored = stored_tokens(survey_pk, tokens)
    lost = accepted - stored
    if lost:
        problems.append(f"{len(lost)} accepted answers are not stored")
    other_success = sorted({a.status for a in everything if 200 <= a.status < 400 and not a.accepted})
    if other_success:
        problems.append(f"answers with a success status other than the redirect to the thanks page: {other_success}")
    if sum(1 for a in everything if a.accepted) != len(accepted):
        problems.append("an invitation was accepted twice")
    sent = {a.token for a in everything}
    if stored - sent:
        problems.append(f"{len(stored - sent)} responses stored for invitations never sent")
    # A refused submission whose answer is stored after all: possible only if the commit went through and the
    # answer was lost on the way back; the retry then says "already answered". Counted, not hidden.
    in_doubt = stored - accepted
    for retry in result.retries:
        if retry.accepted:
            continue
        if not (retry.status == 409 and retry.refused_with_message and retry.token in stored):
            problems.append(f"a retry after the restart failed: {retry.error or retry.status}")
            break
    unanswered = sent - stored
    if unanswered:
        problems.append(f"{len(unanswered)} invitations still without a stored answer after the retries")
    if responses_stored(survey_pk) != len(stored):
        problems.append("a stored response without its invitation")
    if used_tokens(survey_pk, tokens) != stored:
        problems.append("the invitations marked used differ from the stored responses")
    after = [a for a in result.attempts if a.started > result.restart.up]
    if not any(a.accepted for a in after):
        problems.append("no submission succeeded after the restart")
    failed_after = [a for a in after if not a.accepted]
    if failed_after:
        problems.append(
            f"{len(failed_after)} submissions sent after the server was back failed ({describe(failed_after)})"
        )
    failed_idle = [a for a in result.idle_attempts if not a.accepted]
    if failed_idle:
        problems.append(
            f"{len(failed_idle)} of {len(result.idle_attempts)} submissions after a restart while idle failed "
            f"({describe(failed_idle)}): persistent connections are not checked before reuse (CONN_HEALTH_CHECKS)"
        )
    if in_doubt:
        say(f"  {len(in_doubt)} refused submissions were stored after all (the answer lost after the commit)")
    return problems


def _report(result: Result) -> None:
    attempts = result.attempts
    accepted = [a for a in attempts if a.accepted]
    failed = [a for a in attempts if not a.accepted]
    say(
        f"  {len(attempts):,} submissions in {result.ended - result.began:.1f} s: {len(accepted):,} accepted, "
        f"{len(failed)} refused ({describe(attempts)})"
    )
    if failed:
        first, last = min(a.started for a in failed), max(a.ended for a in failed)
        say(
            f"  refusals seen from {first - result.restart.began:+.2f} s to {last - result.restart.began:+.2f} s "
            "around the restart's beginning"
        )
    retried = result.retries
    say(
        f"  retried at the end: {len(retried)}, {sum(a.accepted for a in retried)} accepted, "
        f"{sum(a.status == 409 for a in retried)} already answered"
    )
    if result.idle_restart is not None:
        idle_failed = [a for a in result.idle_attempts if not a.accepted]
        say(
            f"  restart while idle: up again after {result.idle_restart.outage:.2f} s; then "
            f"{len(result.idle_attempts)} submissions at once, {len(idle_failed)} failed "
            f"({describe(result.idle_attempts)})"
        )
    if result.errors_logged:
        say("  server errors logged: " + "; ".join(f"{n} × {kind}" for kind, n in result.errors_logged.items()))


INTRO = """`python -m bench surveys-restart` (issue 10; method in `bench/README.md`) starts gunicorn in the production
profile (sync workers, 2 × cores + 1) against a PostgreSQL database of its own with the Etelä-Savo partner survey
open (SYNTHETIC benchmark copy) and single-use invitations issued beforehand. 200 respondents, one client thread
each, submit again and again with fresh invitations (after a refusal a respondent waits 0.2 s); after 10 s the
PostgreSQL server is restarted (`pg_ctlcluster … restart`, fast shutdown: open transactions rolled back,
connections closed) and the submissions go on for 15 s after it takes connections again. Then every refused
submission's invitation is sent once more, and the server is restarted once more while no one submits, followed
by 4 × workers submissions at once. It fails unless every accepted submission (HTTP 302) is stored, every
stored response belongs to a sent invitation, every refused one got an error (HTTP 5xx or no answer, never a
302 without a stored row), every retry was accepted or answered "already answered" for an answer stored after
all, and no submission sent after the server was back failed. The server is running when the benchmark ends,
whatever happens."""


def _block(
    options: argparse.Namespace,
    facts: dict[str, str],
    cluster: Cluster,
    result: Result,
    *,
    conn_max_age: int,
    health_checks: bool,
) -> str:
    attempts = result.attempts
    accepted = [a for a in attempts if a.accepted]
    failed = [a for a in attempts if not a.accepted]
    after = [a for a in attempts if a.started > result.restart.up]
    retried = result.retries
    stored_total = len({a.token for a in attempts + retried + result.idle_attempts if a.accepted})
    lines = [
        "| | |",
        "|---|---|",
        f"| measured | {facts['date']}, commit {facts['commit']} |",
        f"| CPU | {facts['cpu']}, {facts['cores']} cores, shared by gunicorn, PostgreSQL and the client threads |",
        f"| database | {facts['postgresql']}, restarted with {cluster.label} |",
        f"| software | Python {facts['python']}, Django {facts['django']} |",
        f"| server | gunicorn, {options.workers} sync workers, production profile; CONN_MAX_AGE {conn_max_age} s, "
        f"CONN_HEALTH_CHECKS {health_checks} |",
        f"| machine load | load average {result.load_before:.1f} (1 min) before the run |",
        "",
        "| figure | value |",
        "|---|---|",
        f"| respondents submitting at once | {options.clients} ({options.before} s before the restart, "
        f"{options.after} s after the server was back) |",
        f"| submissions sent | {len(attempts):,} |",
        f"| accepted (302), each stored | {len(accepted):,} |",
        f"| refused with an error | {len(failed)}: {describe(attempts)} |",
        f"| server back (takes connections) after | {result.restart.outage:.2f} s |",
        f"| submissions sent after it, accepted | {sum(a.accepted for a in after):,} of {len(after):,} |",
        f"| refused invitations sent again at the end | {len(retried)}: {sum(a.accepted for a in retried)} accepted, "
        f'{sum(a.status == 409 for a in retried)} "already answered" (stored after all) |',
    ]
    if result.idle_restart is not None:
        idle_failed = sum(not a.accepted for a in result.idle_attempts)
        lines.append(
            f"| restart while idle, then {len(result.idle_attempts)} submissions at once | back after "
            f"{result.idle_restart.outage:.2f} s; {idle_failed} failed |"
        )
    lines.append(f"| responses in the database at the end | {stored_total:,} (= every invitation sent, once) |")
    return "\n".join(lines)
