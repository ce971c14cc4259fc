"""`tilannekuva export site DIR`: the public dashboard as static files with relative links; internal dashboards
are never exported."""

import pytest
from django.core.management import CommandError, call_command

from tilannekuva.regions.models import Region
from tilannekuva.reports.static_site import rewrite

pytestmark = pytest.mark.django_db


def test_links_become_relative_and_server_only_links_lose_their_address():
    html = (
        '<link href="/static/tilannekuva/css/site.css"><a href="/regions/x/dashboard/metrics/m/?year=2024">m</a>'
        '<a href="/accounts/login/?next=/">in</a><a href="#card-m">card</a>'
        '<form method="post" action="/i18n/setlang/"><button>fi</button></form>'
    )
    out = rewrite(
        html,
        page_file="regions/x/dashboard/index.html",
        pages={"/regions/x/dashboard/", "/regions/x/dashboard/metrics/m/"},
    )
    assert 'href="../../../static/tilannekuva/css/site.css"' in out
    assert 'href="metrics/m/index.html"' in out
    assert '<a data-server-only="">in</a>' in out
    assert 'href="#card-m"' in out
    assert "<form" not in out


def test_export_writes_the_dashboard_metric_pages_and_static_files(world, tmp_path):
    call_command("export", "site", str(tmp_path), "--region", "etela-savo", "--year", "2024")
    dashboard = (tmp_path / "regions/etela-savo/dashboard/index.html").read_text()
    assert 'href="metrics/vammojen-ja-myrkytysten-sairaalahoito/index.html' in dashboard
    assert (tmp_path / "regions/etela-savo/dashboard/metrics/vammojen-ja-myrkytysten-sairaalahoito/index.html").exists()
    assert (tmp_path / "regions/etela-savo/index.html").exists()
    assert (tmp_path / "static/tilannekuva/vendor/vega-6.4.0.min.js").exists()
    assert 'href="/' not in dashboard and 'src="/' not in dashboard


def test_an_internal_dashboard_is_never_exported(world, tmp_path):
    Region.objects.filter(slug="pohjois-savo").update(dashboard_public=False)
    with pytest.raises(CommandError, match="internal"):
        call_command("export", "site", str(tmp_path), "--region", "pohjois-savo")
    call_command("export", "site", str(tmp_path / "all"), "--year", "2024")
    assert not (tmp_path / "all/regions/pohjois-savo").exists()
    assert (tmp_path / "all/regions/keski-uusimaa/dashboard/index.html").exists()
