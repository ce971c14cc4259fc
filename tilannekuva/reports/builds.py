"""Report builds in the background: one more kind of background job (tilannekuva.core.jobs),
queued by `tilannekuva report build --background` or the reports page, run by `tilannekuva worker`. The finished
PDF or HTML is kept in the media storage; a build whose worker died is queued again like an import."""

from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _

from tilannekuva.core import jobs
from tilannekuva.core.years import FIRST_YEAR, LAST_YEAR
from tilannekuva.regions.models import Region

from . import rendering, selectors
from .county import county_of
from .models import BuildFormat, ReportBuild


class BuildError(Exception):
    """The build cannot be queued; the message names the field."""


def queue_build(
    *,
    region: Region,
    year: int,
    format: str = BuildFormat.PDF,
    language: str = "fi",
    municipality_code: str = "",
    kind: str = selectors.FOLLOW_UP,
    user: Any = None,
    county_code: str | None = None,
) -> ReportBuild:
    """Check the choices now (so that a mistake is told at once), record the build and queue its task;
    `county_code` (not None) is the county's edition, "" for the region's only county."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise BuildError(_("year: %(year)s is not a follow-up year.") % {"year": year})
    if format not in BuildFormat.values:
        raise BuildError(_("format: choose PDF or HTML."))
    if language not in selectors.LANGUAGES:
        raise BuildError(_("language: choose Finnish or Swedish."))
    if kind not in selectors.KINDS:
        raise BuildError(_("kind: choose the follow-up report or the welfare report."))
    if kind == selectors.WELFARE and not municipality_code:
        raise BuildError(_("municipality: a welfare report is made for one municipality."))
    if municipality_code:
        try:
            selectors.municipality_of(region, municipality_code, year=year)
        except selectors.NotFound:
            raise BuildError(
                _("municipality: %(code)s is not a municipality of the region.") % {"code": municipality_code}
            ) from None
    county = ""
    if county_code is not None:
        if municipality_code or kind != selectors.FOLLOW_UP:
            raise BuildError(_("county: the county's edition is a follow-up report without a municipality."))
        try:
            county = county_of(region, county_code, year=year).code
        except selectors.NotFound:
            raise BuildError(
                _("county: %(code)s is not a wellbeing services county of the region.") % {"code": county_code or "–"}
            ) from None
    build = ReportBuild.objects.create(
        region=region,
        year=year,
        format=format,
        language=language,
        municipality_code=municipality_code,
        county_code=county,
        kind=kind,
        requested_by=user if getattr(user, "pk", None) else None,
    )
    jobs.queue(build)
    return build


def _work(build: ReportBuild, context: jobs.JobContext) -> tuple[str, dict[str, Any]]:
    context.progress("collecting the figures and drawing the charts")
    try:
        report = selectors.follow_up_report(
            region=build.region,
            year=build.year,
            language=build.language,
            municipality_code=build.municipality_code,
            kind=build.kind,
            county_code=build.county_code or None,
        )
    except selectors.NotFound as exc:
        raise jobs.JobFailed(f"the report cannot be made: {exc}") from exc
    context.progress("writing the report")
    body = rendering.render_body(report, internal=False, static=True)
    document = rendering.render_document(report, body, inline_style=build.format == BuildFormat.HTML)
    if build.format == BuildFormat.PDF:
        context.progress("writing the PDF")
        try:
            content = rendering.pdf_bytes(document)
        except rendering.RenderError as exc:
            raise jobs.JobFailed(f"the PDF could not be made: {exc}") from exc
    else:
        content = document.encode("utf-8")
    name = default_storage.save(f"reports/builds/{build.pk}-{build.filename}", ContentFile(content))
    context.output.write(f"{report.title}: {len(report.entries)} metrics, {report.charts_drawn} charts.")
    return f"{report.title}: {len(content) // 1024 + 1} kB {build.format.upper()}", {"file": name}


def execute(build_id: int) -> ReportBuild | None:
    """Run one background build (called by the task); None when it did not run (already done or elsewhere)."""
    build = jobs.execute_job(
        ReportBuild, build_id, _work, failure="the report could not be built", log_from="tilannekuva.reports"
    )
    return build if isinstance(build, ReportBuild) else None


def recent(region: Region, *, limit: int = 10) -> list[ReportBuild]:
    return list(ReportBuild.objects.filter(region=region).select_related("region")[:limit])
