"""Shared test fixtures: the named test world (areas, the three strategies, users with roles), built once per run
(testing/world.py), and the network guard (testing/network.py): no test reaches past loopback."""

from pathlib import Path

import hypothesis
import pytest
from django.core.cache import cache
from django.core.mail.utils import DNS_NAME
from django.test.testcases import TransactionTestCase
from django.test.utils import override_settings
from pytest_django.fixtures import validate_django_db

from testing import network
from testing.world import STRATEGY_FILES, World, load_world  # noqa: F401 - where tests found them before
from tilannekuva.regions.models import Region, RegionRole, RoleKind

# Hypothesis fails an example that takes over 200 ms by default: a timing, which the shared two-core machines break
# at random. Tests assert behaviour; time is measured by the benchmarks under bench/.
hypothesis.settings.register_profile("tilannekuva", deadline=None)
hypothesis.settings.load_profile("tilannekuva")

WORLD = pytest.StashKey[tuple[World, object]]()
OPEN_WORLDS: list[World] = []  # this process's world, once its test database is a copy of it


def _flush_unless_the_world_comes_back(self: TransactionTestCase, flush=TransactionTestCase._fixture_teardown) -> None:
    """After a test that committed, the world is put back whole (`pytest_runtest_teardown` below): on PostgreSQL
    every table is emptied and refilled, on SQLite the database is copied back. Django's flush before that, which
    also makes every content type and permission again, would be undone at once; it runs only without a world."""
    if not any(world.is_open for world in OPEN_WORLDS):
        flush(self)


TransactionTestCase._fixture_teardown = _flush_unless_the_world_comes_back  # type: ignore[method-assign]


def shared_folder(tmp_path_factory: pytest.TempPathFactory, config: pytest.Config) -> Path:
    """The run's temporary folder, which every xdist worker of the run shares (each has a subfolder of it)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if hasattr(config, "workerinput") else base


@pytest.fixture(scope="session")
def django_db_setup(
    request, django_test_environment, django_db_blocker, django_db_modify_db_settings, tmp_path_factory
):
    """This process's test database: a copy of the run's world, which the first process to get here builds."""
    with django_db_blocker.unblock():
        world = World.open(shared_folder(tmp_path_factory, request.config))
    request.config.stash[WORLD] = (world, django_db_blocker)
    OPEN_WORLDS.append(world)
    yield world
    OPEN_WORLDS.remove(world)
    with django_db_blocker.unblock():
        world.close()


def commits(item: pytest.Item) -> bool:
    """Whether the test runs outside a rolled-back transaction (pytest-django's rule), so Django flushes after it."""
    marker = item.get_closest_marker("django_db")
    transactional, reset_sequences = validate_django_db(marker)[:2] if marker else (False, False)
    names = set(getattr(item, "fixturenames", ()))
    return transactional or reset_sequences or bool({"transactional_db", "live_server"} & names)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None):
    """After a test that committed, and the flush that ends it, the world is put back whole for the next test."""
    try:
        return (yield)
    finally:  # even when a fixture's teardown failed: the next test must not find an empty database
        world, blocker = item.config.stash.get(WORLD, (None, None))
        if world is not None and world.is_open and commits(item):
            with blocker.unblock():
                world.restore()


@pytest.fixture(autouse=True)
def _no_network(request):
    """Nothing past loopback: a connection or a name lookup elsewhere fails the test (testing/network.py)."""
    with network.guard() as guard:
        yield guard


@pytest.fixture(scope="session", autouse=True)
def _mail_names_localhost():
    """An e-mail's Message-ID names the machine, which Django asks the resolver for (socket.getfqdn(), a reverse
    lookup) the first time a mail is made: in the tests the machine is localhost, and nothing is looked up."""
    DNS_NAME._fqdn = "localhost"


@pytest.fixture(scope="session", autouse=True)
def _fast_password_hashing():
    """Argon2 is slow on purpose; the tests create hundreds of users, so they hash with a fast hasher (the
    product keeps Argon2: settings.PASSWORD_HASHERS)."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: the database is rolled back between tests, the cache is not."""
    cache.clear()


@pytest.fixture
def world(db):
    """Every area and the three bundled strategies: always there (built once per run, put back after a test that
    commits); a test asks for it to say that it needs it."""


@pytest.fixture(scope="module")
def world_copy(django_db_setup, django_db_blocker, tmp_path_factory):
    """A database of its own with the world in it (an SQLite file, or a PostgreSQL database beside the test
    database), for tests that run real `tilannekuva` processes: its DATABASE_URL."""
    with django_db_blocker.unblock():
        url, remove = django_db_setup.copy_to(tmp_path_factory.mktemp("world"))
    yield url
    with django_db_blocker.unblock():
        remove()


@pytest.fixture
def users(world, django_user_model):
    """Etelä-Savo administrator, Pohjois-Savo administrator, a viewer, a staff member with no region."""
    etela_savo = Region.objects.get(slug="etela-savo")
    pohjois_savo = Region.objects.get(slug="pohjois-savo")
    make = django_user_model.objects.create_user
    alice = make("alice", password="alice-password-1", is_staff=True)
    RegionRole.objects.create(user=alice, region=etela_savo, role=RoleKind.ADMIN)
    bob = make("bob", password="bob-password-12", is_staff=True)
    RegionRole.objects.create(user=bob, region=pohjois_savo, role=RoleKind.ADMIN)
    carol = make("carol", password="carol-password-1", is_staff=True)
    RegionRole.objects.create(user=carol, region=etela_savo, role=RoleKind.VIEWER)
    dave = make("dave", password="dave-password-12", is_staff=True)
    return {"alice": alice, "bob": bob, "carol": carol, "dave": dave}
