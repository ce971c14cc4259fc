"""Report builds in the background: one more kind of background job (tilannekuva.core.jobs). Queued by
`tilannekuva report build --background` or the reports page's button, run by the worker's task, the file kept
for those who may see the region's reports, progress polled on the page, a build whose worker died run again."""

import socket
import subprocess
import sys
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tilannekuva.core import jobs
from tilannekuva.core.models import JobStatus
from tilannekuva.regions.models import Region
from tilannekuva.reports import builds
from tilannekuva.reports.models import ReportBuild

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def queue(*extra: str) -> ReportBuild:
    call_command("report", "build", "etela-savo", "--year", "2024", "--background", *extra, verbosity=0)
    return ReportBuild.objects.latest("pk")


def test_a_background_build_from_the_command_line_is_built_by_the_task_and_downloadable(
    client, users, injuries, capsys
):
    build = queue("--format", "html", "--municipality", "491")
    assert build.status == JobStatus.QUEUED and build.municipality_code == "491"
    assert DBTaskResult.objects.filter(id=build.task_id, status="READY").exists()
    assert "--municipality 491" in build.command_line

    builds.execute(build.pk)

    build.refresh_from_db()
    assert build.status == JobStatus.SUCCEEDED and build.attempts == 1 and "HTML" in build.progress
    assert build.file.name.startswith("reports/builds/") and build.file.read().startswith(b"<!doctype html>")
    call_command("report", "jobs", str(build.pk), "--follow")
    out = capsys.readouterr().out
    assert f"[{build.pk}] report build etela-savo --year 2024 --format html" in out and "attempt 1" in out
    download = client.get(reverse("reports:build_download", args=["etela-savo", build.pk]))
    assert download.status_code == 200 and b"<html" in b"".join(download.streaming_content)
    # The region's reports become internal: its file is for the region's people only.
    Region.objects.filter(slug="etela-savo").update(dashboard_public=False)
    assert client.get(reverse("reports:build_download", args=["etela-savo", build.pk])).status_code == 404
    client.force_login(users["dave"])  # internal region: outsiders get 404, as from the API
    assert client.get(reverse("reports:build_download", args=["etela-savo", build.pk])).status_code == 404
    client.force_login(users["carol"])
    assert client.get(reverse("reports:build_download", args=["etela-savo", build.pk])).status_code == 200


def test_wrong_choices_are_refused_at_once_and_nothing_is_queued(world):
    with pytest.raises(CommandError, match="999"):
        queue("--municipality", "999")
    with pytest.raises(CommandError, match="3000"):
        call_command("report", "build", "etela-savo", "--year", "3000", "--background")
    with pytest.raises(CommandError, match="--output"):
        call_command("report", "build", "etela-savo", "--year", "2024")
    assert not ReportBuild.objects.exists()


def test_administrators_build_a_pdf_from_the_page_and_see_its_progress_until_it_is_done(client, users, injuries):
    client.force_login(users["alice"])
    page = client.get(reverse("reports:index", args=["etela-savo"])).content.decode()
    assert reverse("reports:build_create", args=["etela-savo"]) in page
    form = {"year": "2024", "municipality_code": "", "language": "fi", "format": "pdf"}
    response = client.post(reverse("reports:build_create", args=["etela-savo"]), form)
    assert response.status_code == 302
    build = ReportBuild.objects.get()
    assert build.requested_by == users["alice"]
    page = client.get(reverse("reports:index", args=["etela-savo"])).content.decode()
    assert 'hx-trigger="every 2s"' in page and "htmx" in page

    builds.execute(build.pk)

    partial = client.get(reverse("reports:builds", args=["etela-savo"]), headers={"HX-Request": "true"})
    body = partial.content.decode()
    assert 'hx-trigger="every 2s"' not in body and "<html" not in body and 'id="report-builds"' in body
    assert reverse("reports:build_download", args=["etela-savo", build.pk]) in body
    download = client.get(reverse("reports:build_download", args=["etela-savo", build.pk]))
    assert b"".join(download.streaming_content).startswith(b"%PDF-")
    assert download["Content-Type"] == "application/pdf"


def test_only_the_region_administrators_queue_builds(client, users, world):
    url = reverse("reports:build_create", args=["etela-savo"])
    form = {"year": "2024", "municipality_code": "", "language": "fi", "format": "pdf"}
    assert client.post(url, form).status_code == 403  # an anonymous form post: the post could not be repeated
    for name in ("carol", "bob"):
        client.force_login(users[name])
        assert client.post(url, form).status_code == 403
        page = client.get(reverse("reports:index", args=["etela-savo"])).content.decode()
        assert reverse("reports:build_create", args=["etela-savo"]) not in page
    client.force_login(users["alice"])
    assert client.post(url, {**form, "municipality_code": "999"}).status_code == 302
    assert client.get(url).status_code == 405
    assert not ReportBuild.objects.exists()


def dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_a_build_whose_worker_died_is_queued_again_and_then_completes(world, settings):
    build = queue("--format", "html")
    old_task = build.task_id
    ReportBuild.objects.filter(pk=build.pk).update(
        status=JobStatus.RUNNING,
        attempts=1,
        worker=f"{socket.gethostname()}:{dead_pid()}",
        started_at=timezone.now() - timedelta(seconds=5),
        heartbeat_at=timezone.now() - timedelta(seconds=5),
    )
    DBTaskResult.objects.filter(id=old_task).update(status="RUNNING")

    assert [j.pk for j in jobs.recover_interrupted() if isinstance(j, ReportBuild)] == [build.pk]

    build.refresh_from_db()
    assert build.status == JobStatus.QUEUED and build.task_id != old_task and "queued again" in build.progress
    assert DBTaskResult.objects.get(id=old_task).status == "FAILED"
    builds.execute(build.pk)
    build.refresh_from_db()
    assert build.status == JobStatus.SUCCEEDED and build.attempts == 2 and build.file
    assert builds.execute(build.pk) is None  # not run twice
