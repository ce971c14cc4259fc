"""Limits across processes (issue 17): through gunicorn with several worker processes (the production profile, on
PostgreSQL), 30 wrong passwords for one user at the same moment check at most LOGIN_FAILURE_LIMIT of them, and the
open data API's limit per address holds for the server as a whole, not per worker."""

import argparse
import os
import re
import secrets
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

from bench import add_record_arguments, machine, own_database, positive, reachable_server, record, say, should_record

help = "limits across processes: 30 parallel wrong passwords and the API limit through gunicorn with 5 workers"

DATABASE = "tilannekuva_bench_limits"
HEADING = "## Limits across worker processes"
MARKER = "limits"
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
WRONG = "The user name or password is wrong."
LOCKED = "Too many wrong passwords."
LOGIN_LIMIT = 5
API_LIMIT = 30


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--workers", type=positive, default=5, help="gunicorn worker processes (default 5)")
    parser.add_argument("--attempts", type=positive, default=30, help="parallel wrong passwords (default 30)")
    parser.add_argument("--requests", type=positive, default=150, help="API requests within a minute (default 150)")
    add_record_arguments(parser, database=DATABASE)


def prepare() -> None:
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    get_user_model().objects.create_user("bench-user", password=secrets.token_urlsafe(20))


def login_form(base: str) -> tuple[str, str]:
    """The CSRF cookie and the form's token of one visitor (the cookie is Secure: sent back by hand over http)."""
    with httpx.Client(base_url=base, timeout=60) as client:
        response = client.get("/accounts/login/", headers={"Cookie": "django_language=en"})
        found = CSRF_INPUT.search(response.text)
        cookie = response.headers.get("set-cookie", "").split(";", 1)[0]
        if found is None or not cookie.startswith("csrftoken="):
            raise SystemExit(f"limits benchmark: the login page has no CSRF token ({response.status_code})")
        return cookie, found.group(1)


def parallel_wrong_passwords(base: str, attempts: int) -> Counter[str]:
    """`attempts` visitors, each with its own form, post a wrong password at the same moment (a barrier)."""
    forms = [login_form(base) for _ in range(attempts)]
    barrier = threading.Barrier(attempts)

    def attempt(form: tuple[str, str]) -> str:
        cookie, token = form
        with httpx.Client(base_url=base, timeout=60) as client:
            barrier.wait()
            response = client.post(
                "/accounts/login/",
                data={"username": "bench-user", "password": "wrong-password-x", "csrfmiddlewaretoken": token},
                headers={"Cookie": f"{cookie}; django_language=en"},
            )
        if LOCKED in response.text:
            return "refused (locked)"
        if WRONG in response.text:
            return "checked (wrong password)"
        return f"HTTP {response.status_code}"

    with ThreadPoolExecutor(max_workers=attempts) as pool:
        return Counter(pool.map(attempt, forms))


def api_burst(base: str, requests: int, workers: int) -> Counter[int]:
    """`requests` API requests from one address within one minute, each on a connection of its own so that every
    worker takes some; the answers by status."""
    # Start early in a minute, so that the burst stays within one counting period.
    while time.time() % 60 > 40:
        time.sleep(0.5)
    statuses: Counter[int] = Counter()

    def one(_: int) -> int:
        with httpx.Client(base_url=base, timeout=60) as client:
            return client.get("/api/v1/", headers={"Connection": "close"}).status_code

    with ThreadPoolExecutor(max_workers=workers * 4) as pool:
        statuses.update(pool.map(one, range(requests)))
    return statuses


def run(options: argparse.Namespace) -> int:
    from django.conf import settings

    if settings.configured:
        from bench import run_in_fresh_interpreter

        return run_in_fresh_interpreter("limits", options, add_arguments)
    server = reachable_server("Limits")
    if server is None:
        return 1
    from bench.dashboard_load import (
        collect_static,
        free_port,
        production_environment,
        start_gunicorn,
        stop,
        wait_until_serving,
    )

    workdir = Path(tempfile.mkdtemp(prefix="tilannekuva-bench-limits-"))
    production_environment(workdir / "static")
    os.environ.update({"API_RATE_LIMIT": str(API_LIMIT), "LOGIN_FAILURE_LIMIT": str(LOGIN_LIMIT)})
    gunicorn = None
    with own_database(DATABASE, keep=options.keep_database):
        try:
            prepare()
            collect_static()
            port = free_port()
            gunicorn = start_gunicorn(
                port,
                options=argparse.Namespace(workers=options.workers, worker_threads=1),
                worker_class="sync",
                log=workdir / "gunicorn.log",
                output=workdir / "server.log",
            )
            wait_until_serving(gunicorn, port, "/accounts/login/")
            base = f"http://127.0.0.1:{port}"
            say(f"Limits: gunicorn with {options.workers} sync workers, {server}")
            logins = parallel_wrong_passwords(base, options.attempts)
            from tilannekuva.accounts.models import LoginFailure

            row = LoginFailure.objects.get(username="bench-user")
            say(f"  {options.attempts} parallel wrong passwords: {dict(logins)}; counted {row.failures}")
            statuses = api_burst(base, options.requests, options.workers)
            say(f"  {options.requests} API requests in one minute (limit {API_LIMIT}/min): {dict(statuses)}")
        finally:
            if gunicorn is not None:
                stop(gunicorn, log=workdir / "gunicorn.log")
    checked = logins.get("checked (wrong password)", 0)
    served = statuses.get(200, 0)
    ok = checked <= LOGIN_LIMIT and served <= API_LIMIT and set(statuses) <= {200, 429}
    verdict = "holds" if ok else "DOES NOT HOLD"
    say(
        f"  passwords checked: {checked} (limit {LOGIN_LIMIT}); "
        f"API answers 200: {served} (limit {API_LIMIT}): {verdict}"
    )
    if should_record(options, default_run=True):
        facts = machine(postgres_version=server)
        block = "\n".join(
            [
                f"- {facts['date']}, {facts['cpu']} ({facts['cores']} cores), {server}, "
                f"commit {facts['commit']}; gunicorn with {options.workers} sync workers, production profile",
                f"- {options.attempts} wrong passwords for one user at the same moment (LOGIN_FAILURE_LIMIT="
                f"{LOGIN_LIMIT}): " + ", ".join(f"{n} {what}" for what, n in sorted(logins.items())),
                f"- {options.requests} API requests from one address within a minute (API_RATE_LIMIT={API_LIMIT}): "
                + ", ".join(f"{n} × HTTP {status}" for status, n in sorted(statuses.items())),
                f"- verdict: the limits: {verdict} across the workers",
            ]
        )
        intro = (
            "`python -m bench limits`: gunicorn with five worker processes in front of PostgreSQL; the counters are "
            "in the database every worker shares (tilannekuva.core.limits, accounts.throttle)."
        )
        record(heading=HEADING, marker=MARKER, block=block, intro=intro)
    return 0 if ok else 1
