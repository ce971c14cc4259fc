"""Background imports: queued by `tilannekuva import --background`, run by the worker's task, progress on the
command line and on /data/imports/, interrupted jobs run again."""

import socket
import subprocess
import sys
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tilannekuva.core import jobs as background
from tilannekuva.core.models import JobStatus
from tilannekuva.databank import jobs
from tilannekuva.databank.models import BackgroundImport, ImportStatus, Observation

SYNTHETIC = "indicator;area;year;value\nsynthetic-bg;491;2023;10,5\nsynthetic-bg;178;2023;7\n"


@pytest.fixture
def data_file(tmp_path):
    path = tmp_path / "synthetic-background.csv"
    path.write_text(SYNTHETIC, encoding="utf-8")
    return path


def queue(path, *extra) -> BackgroundImport:
    call_command("import", "--background", "file", str(path), *extra, verbosity=0)
    return BackgroundImport.objects.get()


def test_background_import_is_queued_then_run_by_the_task(world, data_file, capsys):
    job = queue(data_file)
    assert job.status == JobStatus.QUEUED and job.arguments == [str(data_file)]
    assert DBTaskResult.objects.filter(id=job.task_id, status="READY").exists()
    assert not Observation.objects.filter(indicator__external_id="synthetic-bg").exists()

    run_id = jobs.execute(job.pk)

    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED and job.attempts == 1 and job.import_run_id == run_id
    assert "2 added" in job.progress and "synthetic-background.csv: CSV" in job.output
    assert Observation.objects.filter(indicator__external_id="synthetic-bg").count() == 2
    call_command("import_jobs", str(job.pk), "--follow")
    out = capsys.readouterr().out
    assert f"[{job.pk}] file" in out and f"import run {run_id}" in out


def test_a_relative_path_is_stored_absolute_for_the_worker(world, data_file, monkeypatch):
    monkeypatch.chdir(data_file.parent)
    job = queue(data_file.name)
    assert job.arguments == [str(data_file)]


def test_wrong_arguments_are_refused_at_once_and_nothing_is_queued(world):
    with pytest.raises(CommandError, match="--direction"):
        call_command("import", "--background", "file", "x.csv", "--direction", "sideways")
    with pytest.raises(jobs.JobError, match="unknown source"):
        jobs.enqueue(source="nowhere", arguments=[])
    assert not BackgroundImport.objects.exists()


def test_a_failing_background_import_records_the_error_and_writes_nothing(world, tmp_path):
    broken = tmp_path / "synthetic-broken.csv"
    broken.write_text("indicator;area;year;value\nsynthetic-bg;491;2023;ten\n", encoding="utf-8")
    job = queue(broken)
    jobs.execute(job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and "row 2" in job.output and "'ten'" in job.output
    assert job.import_run is not None and job.import_run.status == ImportStatus.FAILED
    assert not Observation.objects.filter(indicator__external_id="synthetic-bg").exists()
    with pytest.raises(CommandError, match="row 2"):
        call_command("import_jobs", str(job.pk), "--follow")


def test_a_job_is_not_run_twice(world, data_file):
    job = queue(data_file)
    jobs.execute(job.pk)
    assert jobs.execute(job.pk) is None
    job.refresh_from_db()
    assert job.attempts == 1


def dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def running(job: BackgroundImport, *, worker: str, heartbeat_age: float, attempts: int = 1) -> BackgroundImport:
    BackgroundImport.objects.filter(pk=job.pk).update(
        status=JobStatus.RUNNING,
        worker=worker,
        attempts=attempts,
        started_at=timezone.now() - timedelta(seconds=heartbeat_age),
        heartbeat_at=timezone.now() - timedelta(seconds=heartbeat_age),
    )
    DBTaskResult.objects.filter(id=job.task_id).update(status="RUNNING")
    job.refresh_from_db()
    return job


def test_a_job_whose_worker_died_is_queued_again_and_then_completes(world, data_file):
    job = running(queue(data_file), worker=f"{socket.gethostname()}:{dead_pid()}", heartbeat_age=1)
    old_task = job.task_id
    assert [j.pk for j in background.recover_interrupted()] == [job.pk]
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED and job.task_id != old_task and "queued again" in job.progress
    assert DBTaskResult.objects.get(id=old_task).status == "FAILED"
    jobs.execute(job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED and job.attempts == 2


def test_a_job_of_a_live_worker_or_a_fresh_heartbeat_is_left_alone(world, data_file, settings):
    job = queue(data_file)
    running(job, worker=f"{socket.gethostname()}:{background.os.getpid()}", heartbeat_age=10_000)
    assert background.recover_interrupted() == []
    running(job, worker="another-host:123", heartbeat_age=settings.IMPORT_STALE_SECONDS / 2)
    assert background.recover_interrupted() == []
    running(job, worker="another-host:123", heartbeat_age=settings.IMPORT_STALE_SECONDS + 1)
    assert len(background.recover_interrupted()) == 1


def test_a_job_that_keeps_dying_is_given_up(world, data_file, settings):
    job = running(
        queue(data_file),
        worker=f"{socket.gethostname()}:{dead_pid()}",
        heartbeat_age=1,
        attempts=settings.IMPORT_MAX_ATTEMPTS,
    )
    background.recover_interrupted()
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and "given up" in job.progress


def test_progress_is_estimated_from_the_previous_run(world, data_file):
    first = queue(data_file)
    now = timezone.now()
    BackgroundImport.objects.filter(pk=first.pk).update(
        status=JobStatus.SUCCEEDED, started_at=now - timedelta(seconds=100), finished_at=now
    )
    call_command("import", "--background", "file", str(data_file), verbosity=0)
    second = BackgroundImport.objects.exclude(pk=first.pk).get()
    running(second, worker="another-host:1", heartbeat_age=25)
    assert background.share_done(second) == 25


def test_the_imports_page_shows_progress_and_polls_only_while_work_is_pending(client, users, world, data_file):
    job = queue(data_file)
    client.force_login(users["alice"])
    page = client.get(reverse("databank:import_jobs"))
    body = page.content.decode()
    assert page.status_code == 200 and 'hx-trigger="every 2s"' in body and str(data_file) in body
    assert "htmx" in body  # the vendored script, from our own static files
    jobs.execute(job.pk)
    partial = client.get(reverse("databank:import_jobs"), headers={"HX-Request": "true"})
    body = partial.content.decode()
    assert 'hx-trigger="every 2s"' not in body and "<html" not in body and 'id="import-jobs"' in body


def test_the_imports_page_is_for_region_administrators(client, users):
    client.force_login(users["carol"])
    assert client.get(reverse("databank:import_jobs")).status_code == 403


def test_the_catalogue_links_to_the_imports_for_administrators_only(client, users):
    client.force_login(users["alice"])
    assert reverse("databank:import_jobs") in client.get(reverse("databank:catalogue")).content.decode()
    client.force_login(users["carol"])
    assert reverse("databank:import_jobs") not in client.get(reverse("databank:catalogue")).content.decode()
