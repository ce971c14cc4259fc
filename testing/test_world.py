"""The test world (testing/world.py): every test starts from the same world, whatever the test before it did."""

import pytest
from django.apps import apps

from tilannekuva.regions.models import Area, Region

pytestmark = pytest.mark.xdist_group("world")  # one worker runs this file's tests, in this order


def contents() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def change_the_world(django_user_model) -> None:
    Region.objects.update(dashboard_public=False)
    Area.objects.filter(code="491").update(name_fi="Changed")
    django_user_model.objects.create_user("intruder", password="intruder-password-1")


def the_world_is_whole(django_user_model) -> bool:
    return (
        Region.objects.filter(dashboard_public=True).count() == 3
        and Area.objects.filter(name_fi="Changed").count() == 0
        and not django_user_model.objects.filter(username="intruder").exists()
    )


def test_the_world_is_there_for_a_test_in_a_transaction(world, django_user_model):
    assert sorted(Region.objects.values_list("slug", flat=True)) == ["etela-savo", "keski-uusimaa", "pohjois-savo"]
    assert Area.objects.filter(kind="municipality").count() > 300
    assert the_world_is_whole(django_user_model)


@pytest.mark.django_db(transaction=True)
def test_restoring_gives_back_exactly_the_world(django_db_setup, django_user_model):
    before = contents()
    change_the_world(django_user_model)
    assert not the_world_is_whole(django_user_model)
    django_db_setup.restore()
    assert contents() == before and the_world_is_whole(django_user_model)


@pytest.mark.django_db(transaction=True)
def test_a_test_that_commits_changes_the_world(django_user_model):
    change_the_world(django_user_model)
    assert not the_world_is_whole(django_user_model)


@pytest.mark.django_db(transaction=True)
def test_the_test_after_it_finds_the_world_whole(django_user_model):
    assert the_world_is_whole(django_user_model)


def test_so_does_a_test_in_a_transaction_after_it(world, django_user_model):
    assert the_world_is_whole(django_user_model)
