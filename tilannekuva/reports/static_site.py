"""`tilannekuva export site DIR`: the public dashboard written as static files that any web server can host.

Each page is rendered by the site's own views for an anonymous visitor (so it is exactly the public page), then
its links are made relative: links to exported pages point to their `index.html`, links to the stylesheet and
the vendored chart scripts to the copied files, and links to pages that need the server (sign-in, forms,
downloads, other regions) are left without an address. Forms are left out: a static site cannot answer them.
"""

import posixpath
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext as _

from tilannekuva.dashboard import selectors as dashboard_selectors
from tilannekuva.regions.models import Region
from tilannekuva.strategy.selectors import version_in_force

STATIC_FILES = [
    "tilannekuva/css/site.css",
    "tilannekuva/js/charts.js",
    "dashboard/dashboard.css",
    "dashboard/areas.js",
    "tilannekuva/vendor/vega-6.4.0.min.js",
    "tilannekuva/vendor/vega-lite-6.5.0.min.js",
    "tilannekuva/vendor/vega-embed-7.3.0.min.js",
    "tilannekuva/vendor/vega-interpreter-2.3.2.min.js",
    "tilannekuva/vendor/README.md",
    "tilannekuva/vendor/vega-LICENSE.txt",
    "tilannekuva/vendor/vega-lite-LICENSE.txt",
    "tilannekuva/vendor/vega-embed-LICENSE.txt",
    "tilannekuva/vendor/vega-interpreter-LICENSE.txt",
    "reports/report.css",
]
FORM = re.compile(r"<form\b.*?</form>", re.DOTALL)
LINK = re.compile(r'\b(href|src)="(/[^"]*)"')


class ExportError(Exception):
    """The site could not be written; the message says why."""


@dataclass
class ExportResult:
    directory: Path
    pages: list[str]
    regions: list[str]


def _host() -> str:
    for host in settings.ALLOWED_HOSTS:
        if host and host != "*":
            return host.lstrip(".")
    return "localhost"


def _target(path: str) -> str:
    """The file a page's address is written to: /regions/x/dashboard/ -> regions/x/dashboard/index.html."""
    return path.strip("/") + "/index.html" if path.strip("/") else "index.html"


def _relative(from_file: str, to_file: str) -> str:
    return posixpath.relpath(to_file, posixpath.dirname(from_file) or ".")


def rewrite(html: str, *, page_file: str, pages: set[str]) -> str:
    """The page's server addresses as relative links to the exported files; others lose their address."""
    html = FORM.sub("", html)
    static_prefix = settings.STATIC_URL if settings.STATIC_URL.startswith("/") else "/" + settings.STATIC_URL

    def replace(match: re.Match[str]) -> str:
        attribute, address = match.group(1), match.group(2)
        parts = urlsplit(address)
        if parts.path.startswith(static_prefix):
            return f'{attribute}="{_relative(page_file, "static/" + parts.path[len(static_prefix) :])}"'
        if parts.path in pages:
            fragment = f"#{parts.fragment}" if parts.fragment else ""
            return f'{attribute}="{_relative(page_file, _target(parts.path))}{fragment}"'
        return 'data-server-only=""' if attribute == "href" else match.group(0)

    return LINK.sub(replace, html)


def _pages_of(region: Region, *, year: int) -> list[str]:
    version = version_in_force(region, year)
    if version is None:
        return []
    paths = [
        reverse("strategy:region", args=[region.slug]),
        reverse("dashboard:dashboard", args=[region.slug]),
    ]
    for key in version.metrics.order_by("goal", "position").values_list("key", flat=True):
        paths.append(reverse("dashboard:metric", args=[region.slug, key]))
    return paths


def _fetch(client: Client, path: str, *, year: int) -> str:
    # The dashboard's pages show the chosen follow-up year; the strategy page shows the version in force now.
    query = {"year": str(year)} if "/dashboard/" in path else {}
    response = client.get(path, query, secure=not settings.DEBUG and settings.SECURE_SSL_REDIRECT)
    if response.status_code != 200:
        raise ExportError(f"{path} answered {response.status_code}")
    return response.content.decode("utf-8")


def _index_page(regions: list[Region], *, year: int) -> str:
    strategy, dashboard = escape(_("Strategy")), escape(_("Dashboard"))
    items = "".join(
        f'<li>{escape(r.name)}: <a href="regions/{r.slug}/dashboard/index.html">{dashboard}</a> · '
        f'<a href="regions/{r.slug}/index.html">{strategy}</a></li>'
        for r in regions
    )
    title = escape(_("Tilannekuva: public dashboards %(year)s") % {"year": year})
    return (
        f'<!doctype html><html lang="{settings.LANGUAGE_CODE}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{title}</title>"
        '<link rel="stylesheet" href="static/tilannekuva/css/site.css"></head>'
        f'<body><main class="wrap"><h1>{title}</h1><ul>{items}</ul></main></body></html>\n'
    )


def export_site(*, directory: Path, region_slug: str = "", year: int | None = None) -> ExportResult:
    """Write the public dashboards (one region, or every region whose dashboard is public) to `directory`."""
    year = year or dashboard_selectors.default_year()
    regions = list(Region.objects.select_related("area").filter(strategy__isnull=False).order_by("slug"))
    if region_slug:
        regions = [r for r in regions if r.slug == region_slug]
        if not regions:
            raise ExportError(f"no region '{region_slug}' with a strategy")
        if not regions[0].dashboard_public:
            raise ExportError(f"the dashboard of '{region_slug}' is internal: only public dashboards are exported")
    regions = [r for r in regions if r.dashboard_public]
    directory.mkdir(parents=True, exist_ok=True)
    for name in STATIC_FILES:
        found = finders.find(name)
        if not found:
            raise ExportError(f"static file {name} is missing")
        target = directory / "static" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(str(found), target)
    client = Client(HTTP_HOST=_host())
    written: list[str] = []
    with translation.override(settings.LANGUAGE_CODE):
        paths = [p for region in regions for p in _pages_of(region, year=year)]
        exported = set(paths)
        for path in paths:
            html = rewrite(_fetch(client, path, year=year), page_file=_target(path), pages=exported)
            target = directory / _target(path)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(html, encoding="utf-8")
            written.append(_target(path))
        (directory / "index.html").write_text(_index_page(regions, year=year), encoding="utf-8")
    return ExportResult(directory=directory, pages=written, regions=[r.slug for r in regions])


def add_arguments(parser: Any) -> None:
    parser.add_argument("directory", type=Path, help="the folder to write the site to (created when missing)")
    parser.add_argument("--region", default="", help="only this region, e.g. etela-savo (default: every public one)")
    parser.add_argument("--year", type=int, help="the follow-up year (default: the last full year)")


def handle(command: Any, options: dict[str, Any]) -> None:
    from django.core.management.base import CommandError

    try:
        result = export_site(directory=options["directory"], region_slug=options["region"], year=options["year"])
    except ExportError as exc:
        raise CommandError(str(exc)) from exc
    command.stdout.write(
        f"{len(result.pages)} pages of {', '.join(result.regions) or 'no region'} written to {result.directory}."
    )
