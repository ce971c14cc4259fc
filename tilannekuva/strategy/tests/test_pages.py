"""The public pages: home and region, in Finnish first with Swedish and English."""

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.usefixtures("world")


def test_home_lists_the_regions_with_a_strategy(client):
    response = client.get("/")
    assert response.status_code == 200
    text = response.content.decode()
    for name in ["Etelä-Savo", "Pohjois-Savo", "Keski-Uusimaa"]:
        assert name in text
    assert '<html lang="fi">' in text
    assert "Alueet, joilla on strategia" in text


def test_region_page_shows_mission_values_and_every_metric(client):
    response = client.get(reverse("strategy:region", args=["etela-savo"]))
    text = response.content.decode()
    assert "Yhdessä elinvoimainen Etelä-Savo" in text
    for value in ["Vastuullinen", "Avoin", "Uudistuva"]:
        assert value in text
    for metric in [
        "Kodin ja vapaa-ajan tapaturmien määrä vähenee",
        "PTV-palvelukuvauksien määrä kunnat kpl",
        "Mittareista valmiina x / x",
    ]:
        assert metric in text
    assert "Vastuut ja työnjako" in text
    assert "Sotkanet (THL), indikaattori 3037" in text


def test_region_page_in_swedish_marks_the_finnish_content(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "sv"
    text = client.get(reverse("strategy:region", args=["etela-savo"])).content.decode()
    assert '<html lang="sv">' in text
    assert "Huvudmål" in text
    assert '<h1 lang="fi">Etelä-Savon kumppanuusstrategia</h1>' in text


def test_browser_language_does_not_override_finnish_default(client):
    text = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="fi">' in text


def test_language_switch_sets_the_cookie(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert '<html lang="en">' in client.get("/").content.decode()


def test_pohjois_savo_page_shows_actions_and_forums(client):
    text = client.get(reverse("strategy:region", args=["pohjois-savo"])).content.decode()
    assert "Kuntafoorumi" in text
    assert "Työryhmä perustettu / ei perustettu" in text


def test_keski_uusimaa_page_shows_the_process(client):
    text = client.get(reverse("strategy:region", args=["keski-uusimaa"])).content.decode()
    assert "Strategiaprosessi" in text


@pytest.mark.parametrize(
    "url",
    [
        "/regions/no-such-region/",
        "/regions/etela-savo/?year=1066",
        "/regions/etela-savo/?year=abc",
        "/regions/etela-savo/?draft=2024",  # approved, not a draft
    ],
)
def test_unknown_region_year_or_draft_is_not_found(client, users, url):
    client.force_login(users["alice"])
    assert client.get(url).status_code == 404


def test_pages_send_security_headers(client):
    response = client.get("/")
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_years_are_not_written_with_thousand_separators(client):
    text = client.get(reverse("strategy:region", args=["etela-savo"])).content.decode()
    assert "2024 (hyväksytty)" in text
    assert "2\xa0024" not in text and "2 024" not in text
