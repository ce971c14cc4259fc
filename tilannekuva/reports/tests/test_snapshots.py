"""Snapshots: a region administrator freezes the dashboard and the report for a meeting; the snapshot keeps its
numbers after new data, is linkable, listed per region, public or internal as the dashboard was."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from tilannekuva.audit.models import AuditEntry
from tilannekuva.dashboard.tests.conftest import area
from tilannekuva.databank.models import Observation
from tilannekuva.regions.models import Region
from tilannekuva.reports.models import Snapshot
from tilannekuva.reports.services import SnapshotError, freeze_snapshot

pytestmark = pytest.mark.django_db

MEETING = {"title": "Maakuntahallitus", "meeting_date": "2025-03-12", "year": "2024", "language": "fi"}


def _region() -> Region:
    return Region.objects.get(slug="etela-savo")


def test_administrator_freezes_a_snapshot_that_keeps_its_numbers_after_new_data(client, users, injuries):
    client.force_login(users["alice"])
    response = client.post(reverse("reports:snapshot_create", args=["etela-savo"]), MEETING)
    snapshot = Snapshot.objects.get()
    assert response["Location"] == reverse("reports:snapshot", args=["etela-savo", snapshot.pk])
    assert bytes(snapshot.report_pdf).startswith(b"%PDF-")
    frozen = next(f for f in snapshot.figures if f["metric"] == injuries.key)
    assert frozen["year"] == 2024
    assert AuditEntry.objects.filter(content_type__model="snapshot", object_id=str(snapshot.pk)).exists()
    # A new year of data arrives after the meeting: the live report moves on, the snapshot does not.
    Observation.objects.filter(indicator__external_id="synthetic-injuries", year=2024).update(value=500.0)
    client.logout()
    page = client.get(reverse("reports:snapshot_report", args=["etela-savo", snapshot.pk])).content.decode()
    live = client.get(reverse("reports:report", args=["etela-savo", 2024])).content.decode()
    assert "500" not in page and "500" in live
    dashboard = client.get(reverse("reports:snapshot", args=["etela-savo", snapshot.pk]))
    assert dashboard.status_code == 200 and "Maakuntahallitus" in dashboard.content.decode()
    pdf = client.get(reverse("reports:snapshot_pdf", args=["etela-savo", snapshot.pk]))
    assert pdf.content == bytes(snapshot.report_pdf)
    listing = client.get(reverse("reports:index", args=["etela-savo"])).content.decode()
    assert reverse("reports:snapshot", args=["etela-savo", snapshot.pk]) in listing


def test_only_the_regions_administrators_freeze_snapshots(client, users, world):
    url = reverse("reports:snapshot_create", args=["etela-savo"])
    assert client.post(url, MEETING).status_code == 403  # an anonymous form post: the post could not be repeated
    for who in ("bob", "carol", "dave"):
        client.force_login(users[who])
        assert client.post(url, MEETING).status_code == 403, who
    assert not Snapshot.objects.exists()
    assert client.get(url).status_code == 405


def test_freezing_needs_a_csrf_token(users, world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["alice"])
    assert client.post(reverse("reports:snapshot_create", args=["etela-savo"]), MEETING).status_code == 403
    assert not Snapshot.objects.exists()


def test_a_broken_form_names_the_field_and_freezes_nothing(client, users, world):
    client.force_login(users["alice"])
    response = client.post(
        reverse("reports:snapshot_create", args=["etela-savo"]), {**MEETING, "meeting_date": "eilen"}, follow=True
    )
    assert not Snapshot.objects.exists()
    assert "Meeting date" in response.content.decode() or "Kokouksen päivä" in response.content.decode()
    with pytest.raises(SnapshotError):
        freeze_snapshot(
            region=_region(), user=users["alice"], title=" ", meeting_date=datetime.date(2025, 1, 1), year=2024
        )


def test_snapshot_of_an_internal_dashboard_is_internal(client, users, world):
    region = _region()
    region.dashboard_public = False
    region.save()
    snapshot = freeze_snapshot(
        region=region, user=users["alice"], title="Hallitus", meeting_date=datetime.date(2025, 2, 1), year=2024
    )
    assert snapshot.public is False
    url = reverse("reports:snapshot", args=["etela-savo", snapshot.pk])
    assert client.get(url).status_code == 404  # as the API answers
    client.force_login(users["bob"])
    assert client.get(url).status_code == 404
    client.force_login(users["carol"])
    assert client.get(url).status_code == 200
    assert area("municipality", "491")  # the world is intact
