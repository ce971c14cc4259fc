"""Issue 10's load scenario: 50 concurrent users on the public dashboard for 60 s, national SYNTHETIC data bank.

The dashboard load test (`bench/dashboard_load.py`) with 50 wrk connections and 60 measured seconds; its figures
are printed, and recorded by hand in docs/PERFORMANCE.md ("50 concurrent users on the dashboard").
"""

import argparse

from bench import dashboard_load

help = "50 concurrent users on the dashboard for 60 s (the dashboard load test with 50 connections)"
USERS = 50
SECONDS = 60


def add_arguments(parser: argparse.ArgumentParser) -> None:
    dashboard_load.add_arguments(parser)
    parser.set_defaults(connections=USERS, duration=SECONDS, record=False)


def run(options: argparse.Namespace) -> int:
    return dashboard_load.run(options)
