"""The suite runs on the database the environment names: PostgreSQL in CI, SQLite by default."""

import os

from django.db import connection


def test_database_matches_the_environment():
    url = os.environ.get("DATABASE_URL", "")
    expected = "postgresql" if url.startswith(("postgres://", "postgresql://")) else "sqlite"
    assert connection.vendor == expected
