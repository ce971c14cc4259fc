"""`python -m bench` runs every benchmark; `python -m bench NAME [options]` runs one (`make bench` runs them all)."""

import argparse
import importlib
import sys
from types import ModuleType

# Each benchmark module provides `help`, `add_arguments(parser)` and `run(options) -> exit status`.
BENCHMARKS = {
    "import": "bench.import_observations",
    "funding": "bench.funding_calculation",
    "surveys": "bench.survey_submissions",
    "grants": "bench.grants_assessment",
    "reports": "bench.report_build",
    # Issue 10: 200 respondents submitting for 60 s, and PostgreSQL restarted during submissions.
    "surveys-load": "bench.survey_load",
    "surveys-restart": "bench.survey_restart",
    # Issue 17: 30 parallel wrong passwords and the API limit through gunicorn with five workers.
    "limits": "bench.limits",
    # Issue 17: the peak memory of a 30 MB CSV file import.
    "import-memory": "bench.import_memory",
    # Issue 19: the dashboard, metric, comparison and municipality pages before their cache is warm.
    "pages": "bench.page_renders",
    # The two dashboard runs last: each runs in a fresh interpreter when another benchmark has set Django up already.
    "dashboard": "bench.dashboard_load",
    # Issue 10: 50 concurrent users for 60 s (the same test, more connections, longer).
    "dashboard-users": "bench.dashboard_users",
}


def main(argv: list[str] | None = None) -> int:
    modules: dict[str, ModuleType] = {name: importlib.import_module(path) for name, path in BENCHMARKS.items()}
    parser = argparse.ArgumentParser(
        prog="python -m bench", description="Tilannekuva's benchmarks. Without a name, every one runs."
    )
    commands = parser.add_subparsers(dest="name", metavar="NAME")
    parsers = {}
    for name, module in modules.items():
        parsers[name] = commands.add_parser(name, help=module.help, description=module.help)
        module.add_arguments(parsers[name])
    options = parser.parse_args(argv)
    if options.name:
        return modules[options.name].run(options)
    status = 0
    for name, module in modules.items():
        status = module.run(parsers[name].parse_args([])) or status
    return status


if __name__ == "__main__":
    sys.exit(main())
