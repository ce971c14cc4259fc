"""Every fault of an import named, and its run never left "running" (issue 17): JSON nested thousands of levels deep
(from a file or an outside service) is a named failure; an unexpected error still marks the run failed."""

import json

import httpx
import pytest

from tilannekuva.core.http import OutsideClient, SourceError
from tilannekuva.databank.models import ImportRun, ImportStatus
from tilannekuva.databank.services import ImportFailed, run_import

DEEP = "[" * 200_000 + "]" * 200_000


def test_deeply_nested_json_is_a_named_failure_and_the_run_is_failed(db):
    def work(run):
        json.loads(DEEP)

    with pytest.raises(ImportFailed, match="nested too deeply") as failed:
        run_import(source_key="file", url="", parameters={}, work=work)
    run = ImportRun.objects.get(pk=failed.value.run.pk)
    assert run.status == ImportStatus.FAILED and "nested too deeply" in run.errors and run.finished_at


def test_an_unexpected_error_still_marks_the_run_failed(db):
    def work(run):
        raise KeyError("a bug")

    with pytest.raises(KeyError):
        run_import(source_key="file", url="", parameters={}, work=work)
    run = ImportRun.objects.latest("pk")
    assert run.status == ImportStatus.FAILED and "KeyError" in run.errors


def test_an_outside_service_answering_deep_json_is_a_source_error():
    transport = httpx.MockTransport(lambda request: httpx.Response(200, text=DEEP))
    with (
        OutsideClient("http://127.0.0.1:9/", name="Sotkanet", transport=transport, retries=1) as client,
        pytest.raises(SourceError, match="nested too deeply"),
    ):
        client.get_json("indicators")
