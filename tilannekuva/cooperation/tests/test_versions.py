"""The yearly update: a version copied to a new draft is the same strategy, and only a draft is approved."""

from datetime import date

import pytest
from django.urls import reverse

from tilannekuva.audit.models import AuditEntry
from tilannekuva.regions.models import Organisation, Region
from tilannekuva.strategy.models import Group, StrategyVersion
from tilannekuva.strategy.selectors import version_in_force
from tilannekuva.strategy.versions import VersionError, approve_version, copy_version
from tilannekuva.strategy.yaml_export import export_version


def version_of(slug: str) -> StrategyVersion:
    """The version in force this year in the region of `slug`."""
    version = version_in_force(Region.objects.get(slug=slug))
    assert version is not None
    return version


def without_version(exported: dict) -> dict:
    return {name: value for name, value in exported.items() if name != "version"}


@pytest.mark.parametrize("slug", ["pohjois-savo", "keski-uusimaa"])
def test_copy_exports_the_same_strategy_apart_from_year_and_status(world, slug):
    original = version_of(slug)
    # The seed files list no member organisations for their groups: give one, so that the copy must carry it.
    group = Group.objects.filter(version=original).first()
    if group is not None:
        group.member_organisations.add(*Organisation.objects.filter(kind="municipality")[:2])
    copy = copy_version(version=original, year=original.year + 5)
    before, after = export_version(original), export_version(copy)
    assert after["version"] == {"year": original.year + 5, "status": "draft"}
    assert without_version(after) == without_version(before)


def test_copy_keeps_keys_so_that_what_hangs_on_them_follows(world):
    original = version_of("pohjois-savo")
    copy = copy_version(version=original, year=2030)
    bindings = [(m.key, m.binding_type, m.binding) for m in copy.metrics.all()]
    assert bindings == [(m.key, m.binding_type, m.binding) for m in original.metrics.all()]
    assert not set(copy.goals.values_list("pk", flat=True)) & set(original.goals.values_list("pk", flat=True))
    grouped = copy.groups.exclude(focus_area=None).select_related("focus_area")
    assert grouped and all(g.focus_area and g.focus_area.version_id == copy.pk for g in grouped)


def test_copy_refuses_a_year_that_already_has_a_version(world):
    original = version_of("pohjois-savo")
    with pytest.raises(VersionError, match=f"already has a strategy version for {original.year}"):
        copy_version(version=original, year=original.year)


def test_approving_a_draft_dates_it_today_and_names_the_approver(users):
    draft = copy_version(version=version_of("etela-savo"), year=2030)
    approved = approve_version(version=draft, user=users["alice"])
    assert (approved.status, approved.approved_on, approved.approved_by) == ("approved", date.today(), "alice")


def test_an_approved_version_is_not_approved_again(users):
    approved = version_of("etela-savo")
    assert approved.status == "approved"
    with pytest.raises(VersionError, match="only a draft can be approved"):
        approve_version(version=approved, user=users["alice"])


def test_the_versions_page_copies_and_approves_for_the_admin(client, users):
    client.force_login(users["alice"])
    response = client.post(reverse("cooperation:version_copy", args=["etela-savo", 2024]), {"year": "2025"})
    assert response.status_code == 302
    draft = StrategyVersion.objects.get(strategy__region__slug="etela-savo", year=2025)
    assert draft.status == "draft"
    client.post(reverse("cooperation:version_copy", args=["etela-savo", 2024]), {"year": "2025"}, follow=True)
    assert StrategyVersion.objects.filter(strategy__region__slug="etela-savo", year=2025).count() == 1
    client.post(reverse("cooperation:version_approve", args=["etela-savo", 2025]))
    draft.refresh_from_db()
    assert draft.status == "approved"
    assert AuditEntry.objects.filter(actor_id=users["alice"].pk, action="approved", object_id=str(draft.pk)).exists()


def test_copying_shows_the_refusal_as_a_message(client, users):
    client.force_login(users["alice"])
    response = client.post(
        reverse("cooperation:version_copy", args=["etela-savo", 2024]), {"year": "2024"}, follow=True
    )
    assert "already has a strategy version for 2024" in response.content.decode()
