"""Shared test fixtures: the named test world (areas, the three strategies, users with roles)."""

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test.utils import override_settings

from tilannekuva.regions.models import Area, Region, RegionRole, RoleKind
from tilannekuva.regions.services import load_areas
from tilannekuva.strategy.yaml_import import import_file

STRATEGY_FILES = ["etela-savo.yaml", "pohjois-savo.yaml", "keski-uusimaa.yaml"]


def load_world() -> None:
    load_areas()
    for name in STRATEGY_FILES:
        import_file(settings.STRATEGIES_DIR / name)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        load_world()


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
    """Areas and strategies; reloaded if a transactional test has flushed them."""
    if not Area.objects.exists() or not Region.objects.exists():
        load_world()


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
