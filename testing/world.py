"""The test world, built once per test run: all of Finland's areas and the three bundled strategies.

The first process of a run that needs a database (the first pytest-xdist worker, or pytest itself without xdist)
migrates a database and loads the world into it, under a file lock in the run's shared temporary folder, and keeps
it as a template: an SQLite file, or the PostgreSQL database `test_<NAME>_world`. Every worker's test database is a
copy of that template (SQLite's online backup into the worker's in-memory database; PostgreSQL's
`CREATE DATABASE … TEMPLATE`), so no other worker migrates or loads anything.

A test that runs in a transaction is rolled back as before. A test that commits (`transactional_db`, `live_server`:
the browser tests) ends with `restore()`, which puts the world back from the copy the worker keeps (SQLite: a backup
from memory; PostgreSQL: every table emptied and the world's rows copied back from the schema `test_world` of the
worker's own database), in milliseconds instead of a reload; Django's flush before it is skipped (conftest.py).
Whatever a test changed, the next one starts from the same world. docs/DECISIONS.md, "The test world is built once
per run", tells why.
"""

import fcntl
import itertools
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction

STRATEGY_FILES = ["etela-savo.yaml", "pohjois-savo.yaml", "keski-uusimaa.yaml"]
SNAPSHOT_SCHEMA = "test_world"
COPIES = itertools.count(1)


def load_world() -> None:
    """Every area with its memberships, and the three bundled strategies (what the tests call "the world")."""
    from tilannekuva.regions.services import load_areas
    from tilannekuva.strategy.yaml_import import import_file

    load_areas()
    for name in STRATEGY_FILES:
        import_file(settings.STRATEGIES_DIR / name)


@contextmanager
def exclusive(lock: Path) -> Iterator[None]:
    """One process of the run at a time (the xdist workers of a run share its temporary folder)."""
    with lock.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


class World:
    """This process's copy of the run's world. Call with the database unblocked (pytest-django's blocker)."""

    def __init__(self, shared: Path) -> None:
        self.shared = shared
        self.original_name = connection.settings_dict["NAME"]
        self.is_open = False

    @staticmethod
    def open(shared: Path) -> "World":
        """This process's test database, a copy of the run's template, which is built first if need be."""
        world: World = SQLiteWorld(shared) if connection.vendor == "sqlite" else PostgresWorld(shared)
        with exclusive(shared / "world.lock"):
            users = world._users()
            if users == 0:
                world.build()
            world.clone()
            world._set_users(users + 1)
        world.is_open = True
        return world

    def close(self) -> None:
        """Remove this process's test database; the last process of the run to close removes the template (a
        process that opens after that builds it again)."""
        with exclusive(self.shared / "world.lock"):
            self._close()
            users = self._users() - 1
            if users == 0:
                self._drop_template()
            self._set_users(users)
        self.is_open = False

    def _users(self) -> int:
        counter = self.shared / "world.users"
        return int(counter.read_text()) if counter.exists() else 0

    def _set_users(self, users: int) -> None:
        (self.shared / "world.users").write_text(str(users))

    @property
    def template(self) -> str:
        raise NotImplementedError

    def build(self) -> None:
        """Migrate and load the world into the template (once per run)."""
        raise NotImplementedError

    def clone(self) -> None:
        """Make this process's test database a copy of the template and point Django's connection at it."""
        raise NotImplementedError

    def restore(self) -> None:
        """Put the world back after a flush: afterwards the database holds exactly the template's rows."""
        raise NotImplementedError

    def copy_to(self, directory: Path) -> tuple[str, Callable[[], None]]:
        """A database of its own holding the world, for a test that runs real processes on a database: its
        DATABASE_URL, and a function that removes it."""
        raise NotImplementedError

    def _close(self) -> None:
        raise NotImplementedError

    def _drop_template(self) -> None:
        raise NotImplementedError


class SQLiteWorld(World):
    @property
    def template(self) -> str:
        return str(self.shared / "world.sqlite3")

    def build(self) -> None:
        connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)  # in memory
        load_world()
        with closing(sqlite3.connect(self.template)) as target:
            connection.connection.backup(target)

    def clone(self) -> None:
        name = connection.creation._get_test_db_name()  # the in-memory database Django's tests use
        settings.DATABASES[connection.alias]["NAME"] = name
        connection.settings_dict["NAME"] = name
        connection.ensure_connection()  # an in-memory database lives as long as this connection
        self.snapshot = sqlite3.connect(":memory:")
        with closing(sqlite3.connect(self.template)) as source:
            source.backup(self.snapshot)
        self.restore()

    def restore(self) -> None:
        connection.ensure_connection()
        self.snapshot.backup(connection.connection)

    def copy_to(self, directory: Path) -> tuple[str, Callable[[], None]]:
        path = directory / "world.sqlite3"
        with closing(sqlite3.connect(path)) as target:
            self.snapshot.backup(target)
        return f"sqlite:///{path}", lambda: path.unlink(missing_ok=True)

    def _close(self) -> None:
        connection.creation.destroy_test_db(self.original_name, verbosity=0)
        self.snapshot.close()

    def _drop_template(self) -> None:
        Path(self.template).unlink(missing_ok=True)


class PostgresWorld(World):
    def __init__(self, shared: Path) -> None:
        super().__init__(shared)
        self.worker_name = connection.creation._get_test_db_name()  # test_NAME, with xdist's suffix
        self.tables: list[str] = []
        self.snapshot_tables: list[str] = []

    @property
    def template(self) -> str:
        return f"test_{self.original_name}_world"

    def build(self) -> None:
        test = connection.settings_dict["TEST"]
        worker_name, test["NAME"] = test.get("NAME"), self.template
        quote = connection.ops.quote_name
        try:
            connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
            load_world()
            with connection.cursor() as cursor:
                cursor.execute(f"CREATE SCHEMA {SNAPSHOT_SCHEMA}")
                for table in connection.introspection.django_table_names(only_existing=True):
                    cursor.execute(f"SELECT EXISTS (SELECT 1 FROM public.{quote(table)})")  # noqa: S608 - Django's tables
                    if cursor.fetchone()[0]:
                        cursor.execute(f"CREATE TABLE {SNAPSHOT_SCHEMA}.{quote(table)} AS TABLE public.{quote(table)}")
            connection.close()  # CREATE DATABASE … TEMPLATE needs the template without connections
        finally:
            test["NAME"] = worker_name

    def clone(self) -> None:
        self._create_from_template(self.worker_name)
        connection.close()
        settings.DATABASES[connection.alias]["NAME"] = self.worker_name
        connection.settings_dict["NAME"] = self.worker_name
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = %s", [SNAPSHOT_SCHEMA]
            )
            self.snapshot_tables = sorted(row[0] for row in cursor.fetchall())
        self.tables = sorted(connection.introspection.django_table_names(only_existing=True))

    def restore(self) -> None:
        quote = connection.ops.quote_name
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("TRUNCATE " + ", ".join(f"public.{quote(table)}" for table in self.tables))
            for table in self.snapshot_tables:
                source = f"{SNAPSHOT_SCHEMA}.{quote(table)}"
                cursor.execute(f"INSERT INTO public.{quote(table)} SELECT * FROM {source}")  # noqa: S608 - our tables

    def copy_to(self, directory: Path) -> tuple[str, Callable[[], None]]:
        name = f"{self.worker_name}_copy_{next(COPIES)}"
        self._create_from_template(name)
        default = connection.settings_dict
        auth = default["USER"] + (f":{default['PASSWORD']}" if default["PASSWORD"] else "")
        url = f"postgres://{auth}@{default['HOST'] or '127.0.0.1'}:{default['PORT'] or 5432}/{name}"
        return url, lambda: self._drop(name)

    def _close(self) -> None:
        connection.close()
        self._drop(self.worker_name)
        settings.DATABASES[connection.alias]["NAME"] = self.original_name
        connection.settings_dict["NAME"] = self.original_name

    def _drop_template(self) -> None:
        self._drop(self.template)

    def _create_from_template(self, name: str) -> None:
        self._drop(name)
        quote = connection.ops.quote_name
        with connection.creation._nodb_cursor() as cursor:
            cursor.execute(f"CREATE DATABASE {quote(name)} TEMPLATE {quote(self.template)}")

    @staticmethod
    def _drop(name: str) -> None:
        with connection.creation._nodb_cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {connection.ops.quote_name(name)} WITH (FORCE)")
