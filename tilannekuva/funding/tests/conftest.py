"""Fixtures of the funding tests: the official table that the tests write (tables.py)."""

import pytest

from . import tables


@pytest.fixture
def table_codes(world) -> list[str]:
    return tables.table_codes()


@pytest.fixture
def official_files(tmp_path, table_codes):
    return tables.write_official_tables(tmp_path, table_codes)
