"""The agreements register: an agreement's rules, its listing per region and area, and the yes/no metrics that
name an agreement ("Yhteistyösopimus tehty / ei tehty") answered from it with the agreement as evidence."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from tilannekuva.audit.models import AuditEntry
from tilannekuva.cooperation import demo, services
from tilannekuva.cooperation.models import Agreement, AgreementStatus
from tilannekuva.dashboard.selectors import default_year, metric_card
from tilannekuva.dashboard.status import Status
from tilannekuva.regions.models import Area, Organisation, OrganisationKind, Region

SECURITY = "turvallisuus-yhdyspinta"
METRIC = "e-yhteistyosopimus-m1"


@pytest.fixture(autouse=True)
def _english():
    """Messages are compared in English (the product's source language; the interface opens in Finnish)."""
    with translation.override("en"):
        yield


@pytest.fixture
def pohjois_savo(world):
    return Region.objects.get(slug="pohjois-savo")


@pytest.fixture
def parties(world):
    return [
        Organisation.objects.get(kind=OrganisationKind.WELLBEING_SERVICES_COUNTY, area__code="13"),
        Organisation.objects.get(kind=OrganisationKind.MUNICIPALITY, area__code="297"),
    ]


def values(**changes):
    found = {
        "kind": "cooperation_agreement",
        "title": "PSHVA:n ja kuntien turvallisuusyhteistyösopimus",
        "area": None,
        "interface_key": SECURITY,
        "group_key": "pshva",
        "status": AgreementStatus.SIGNED,
        "signed_on": datetime.date(2024, 5, 20),
        "valid_from": None,
        "valid_until": None,
        "url": "",
        "source": "",
        "note": "",
    }
    return {**found, **changes}


def save(region, user, parties, **changes):
    return services.save_agreement(
        region=region, user=user, values={**values(**changes), "parties": parties}, year=default_year()
    )


@pytest.mark.parametrize(
    ("status", "signed", "start", "until", "year", "expected"),
    [
        ("preparing", None, None, None, 2025, False),
        ("signed", "2024-05-20", None, None, 2023, False),
        ("signed", "2024-05-20", None, None, 2024, True),
        ("signed", "2024-05-20", None, None, 2030, True),
        ("signed", "2024-05-20", "2025-01-01", None, 2024, False),
        ("ended", "2020-01-10", None, "2024-06-30", 2024, True),
        ("ended", "2020-01-10", None, "2024-06-30", 2025, False),
    ],
)
def test_an_agreement_is_in_force_from_its_start_to_its_end(status, signed, start, until, year, expected):
    def day(text):
        return datetime.date.fromisoformat(text) if text else None

    agreement = Agreement(status=status, signed_on=day(signed), valid_from=day(start), valid_until=day(until))
    assert agreement.in_force(year) is expected


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"signed_on": None}, "signed_on", "date on which the agreement was signed"),
        ({"signed_on": datetime.date.today() + datetime.timedelta(days=2)}, "signed_on", "in the future"),
        ({"status": AgreementStatus.ENDED}, "valid_until", "date on which the agreement ended"),
        ({"valid_until": datetime.date(2024, 1, 1)}, "valid_until", "end before it starts"),
        ({"area": "mikkeli"}, "area", "is not within Pohjois-Savo"),
    ],
)
def test_an_agreement_that_breaks_a_rule_is_refused_and_nothing_is_saved(
    pohjois_savo, parties, users, changes, field, message
):
    if changes.get("area") == "mikkeli":
        changes["area"] = Area.objects.get(kind="municipality", code="491")
    with pytest.raises(services.RegisterError, match=message) as caught:
        save(pohjois_savo, users["bob"], parties, **changes)
    assert caught.value.field == field
    assert not Agreement.objects.exists()


def test_an_agreement_needs_two_parties_and_a_real_document(pohjois_savo, parties, users):
    with pytest.raises(services.RegisterError, match="at least two parties"):
        save(pohjois_savo, users["bob"], parties[:1])
    fake = SimpleUploadedFile("sopimus.pdf", b"not a pdf at all", content_type="application/pdf")
    with pytest.raises(services.RegisterError, match="does not match its name") as caught:
        services.save_agreement(
            region=pohjois_savo,
            user=users["bob"],
            values={**values(), "parties": parties, "document": fake},
            year=2025,
        )
    assert caught.value.field == "document"
    assert not Agreement.objects.exists()


def test_saving_and_changing_an_agreement_is_in_the_audit_trail(pohjois_savo, parties, users):
    agreement = save(pohjois_savo, users["bob"], parties)
    services.save_agreement(
        region=pohjois_savo,
        user=users["bob"],
        values={**values(title="Uusi nimi"), "parties": parties},
        year=2025,
        agreement=agreement,
    )
    kind = ContentType.objects.get_for_model(Agreement)
    entries = AuditEntry.objects.filter(content_type=kind, object_id=str(agreement.pk)).order_by("pk")
    assert [e.action for e in entries] == ["created", "changed"]
    assert entries[1].changes["title"][1] == "Uusi nimi"


def test_without_an_agreement_the_register_answers_no_with_its_reason(pohjois_savo):
    with translation.override("en"):
        card = metric_card(region=pohjois_savo, metric_key=METRIC, year=default_year())
    assert card.latest == (default_year(), 0.0)
    assert card.status == Status.NEEDS_ATTENTION
    assert (
        card.evidence
        == f"The agreements register has no co-operation agreement (yhteistyösopimus) in force in {default_year()}."
    )


def test_a_signed_agreement_of_the_interface_answers_yes_with_the_agreement_as_evidence(pohjois_savo, parties, users):
    save(pohjois_savo, users["bob"], parties, interface_key="hyte-yhdyspinta")  # another interface: no
    save(pohjois_savo, users["bob"], parties, kind="partnership_agreement", title="Kumppanuussopimus")  # another kind
    assert metric_card(region=pohjois_savo, metric_key=METRIC, year=default_year()).latest == (default_year(), 0.0)
    save(pohjois_savo, users["bob"], parties)
    with translation.override("en"):
        card = metric_card(region=pohjois_savo, metric_key=METRIC, year=default_year())
        earlier = metric_card(region=pohjois_savo, metric_key=METRIC, year=2023)
    assert card.latest == (default_year(), 1.0) and card.status == Status.ON_TRACK
    assert "PSHVA:n ja kuntien turvallisuusyhteistyösopimus, signed 20.5.2024" in card.evidence
    assert earlier.latest == (2023, 0.0)  # signed in 2024
    assert card.data is not None and "synthetic" not in card.data.source_label


def test_an_example_agreement_makes_the_answer_say_it_rests_on_demo_data(pohjois_savo, parties, users):
    agreement = save(pohjois_savo, users["bob"], parties)
    Agreement.objects.filter(pk=agreement.pk).update(demo=True)
    with translation.override("en"):
        card = metric_card(region=pohjois_savo, metric_key=METRIC, year=default_year())
    assert card.data is not None
    assert "Demo data (synthetic)" in card.data.source_label and "Demo data (synthetic)" in card.data.vintage
    assert "(example, demo data)" in card.evidence


def test_an_agreement_in_preparation_is_internal(pohjois_savo, parties, users, client):
    save(pohjois_savo, users["bob"], parties, status="preparing", signed_on=None, title="Valmisteilla oleva sopimus")
    url = reverse("cooperation:agreements", args=["pohjois-savo"])
    assert "Valmisteilla oleva sopimus" not in client.get(url).content.decode()
    client.force_login(users["bob"])
    assert "Valmisteilla oleva sopimus" in client.get(url).content.decode()


def test_a_document_is_downloaded_by_those_who_may_see_the_agreement(
    pohjois_savo, parties, users, client, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    document = SimpleUploadedFile("sopimus.pdf", b"%PDF-1.4 sopimus", content_type="application/pdf")
    agreement = services.save_agreement(
        region=pohjois_savo,
        user=users["bob"],
        values={**values(status="preparing", signed_on=None), "parties": parties, "document": document},
        year=2025,
    )
    url = reverse("cooperation:agreement_document", args=["pohjois-savo", agreement.pk])
    assert client.get(url).status_code == 404
    client.force_login(users["bob"])
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    stored = tmp_path / agreement.document.name
    services.save_agreement(
        region=pohjois_savo,
        user=users["bob"],
        values={**values(status="preparing", signed_on=None), "parties": parties, "document": False},
        year=2025,
        agreement=agreement,
    )
    assert not stored.exists() and not Agreement.objects.get(pk=agreement.pk).document
    assert client.get(url).status_code == 404


# --- the Etelä-Savo demo: an example agreement for each partnership table ---------------------------------------


def test_the_demo_lists_an_example_agreement_for_each_partnership_table(world, client):
    list(demo.load_demo_data(password="x"))
    etela_savo = Region.objects.get(slug="etela-savo")
    agreements = Agreement.objects.filter(region=etela_savo).select_related("area")
    assert sorted((a.group_key, a.area.name_fi if a.area else "") for a in agreements) == [
        ("kumppanuuspoyta-mikkeli", "Mikkeli"),
        ("kumppanuuspoyta-pieksamaki", "Pieksämäki"),
        ("kumppanuuspoyta-savonlinna", "Savonlinna"),
    ]
    assert all(a.demo and a.source.startswith("DEMOAINEISTO (esimerkki") for a in agreements)
    savonlinna = agreements.get(group_key="kumppanuuspoyta-savonlinna")
    assert sorted(p.name for p in savonlinna.parties.all()) == [
        "Enonkoski",
        "Mikkelin ammattikorkeakoulu Oy",
        "Savonlinna",
    ]
    client.cookies["django_language"] = "en"
    page = client.get(reverse("cooperation:agreements", args=["etela-savo"])).content.decode()
    assert page.count("Example: demo data, not a real agreement") == 3
    group = client.get(reverse("cooperation:group", args=["etela-savo", "kumppanuuspoyta-savonlinna"])).content.decode()
    assert "Savonlinnan seudun kumppanuuspöydän yhteistyösopimus (esimerkki)" in group
