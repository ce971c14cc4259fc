"""Bad input everywhere: parsers fuzzed (bounded), every form of the site posted with script injection,
oversized text and wrong encoding, and uploads of the wrong type, too large, or a zip bomb dressed as XLSX.

The parsers with fuzz tests of their own beside their apps (file import, Sotkanet, PxWeb) are not repeated
here; this module covers the rest (PTV, the Sotkanet snapshot, strategy YAML, the HTTP client's JSON)."""

import io
import json
import threading
import zipfile
from html.parser import HTMLParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tilannekuva.core.http import OutsideClient, SourceError
from tilannekuva.databank.models import ImportRun, ImportStatus, Observation
from tilannekuva.databank.services import ImportDataError
from tilannekuva.databank.sources import ptv_api, sotkanet_snapshot
from tilannekuva.followup.services import FollowupError, check_evidence_file
from tilannekuva.portal.tests.test_permission_matrix import PAGES, arguments, people  # noqa: F401 - fixtures
from tilannekuva.strategy import files as strategy_files
from tilannekuva.strategy.files import StrategyFileError

FUZZ = settings(max_examples=40, deadline=2000, suppress_health_check=[HealthCheck.function_scoped_fixture])
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=5),
    max_leaves=20,
)
PTV_KEYS = ["id", "name", "organizationNames", "services", "businessCode", "organizationType", "subOrganizations"]


# --- parsers ---------------------------------------------------------------------------------------------------


@FUZZ
@given(JSON)
def test_any_json_is_a_ptv_page_or_refused_with_a_message(payload):
    try:
        ptv_api.read_page(payload, url="https://ptv.example/api", asked=1)
    except ImportDataError as exc:
        assert "https://ptv.example/api" in str(exc)


@FUZZ
@given(st.dictionaries(st.sampled_from(PTV_KEYS), JSON, max_size=7) | JSON)
def test_any_json_is_a_ptv_organisation_or_refused_with_a_message(payload):
    try:
        ptv_api.read_organisation(payload, where="Organization/x")
    except ImportDataError as exc:
        assert str(exc)


@FUZZ
@given(st.text(max_size=400))
def test_any_text_is_a_snapshot_table_or_refused_naming_the_file(text):
    for reader in (
        lambda t: sotkanet_snapshot.read_long_table(t, name="taulu.csv", kind="municipality"),
        lambda t: sotkanet_snapshot.read_indicator_list(t, name="lista.csv"),
        lambda t: sotkanet_snapshot.read_seutukunnat(t, name="seutukunnat.csv"),
    ):
        try:
            reader(text)
        except ImportDataError as exc:
            assert ".csv" in str(exc)


@FUZZ
@given(st.text(max_size=300) | st.builds(lambda d: json.dumps(d), JSON))
def test_any_text_is_a_strategy_or_refused_with_a_message(text):
    try:
        strategy_files.parse(text, name="strategia.yaml")
    except StrategyFileError as exc:
        assert str(exc)


class _Answers(BaseHTTPRequestHandler):
    body = b""

    def do_GET(self) -> None:  # noqa: N802 - the standard library's name
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(type(self).body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def answering_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Answers)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@settings(max_examples=25, deadline=3000)
@given(st.binary(max_size=200))
def test_any_answer_body_is_json_or_a_clear_source_error(answering_server, body):
    _Answers.body = body
    with OutsideClient(answering_server, name="Testilähde", retries=1, timeout=2) as client:
        try:
            client.get_json("/data")
        except SourceError as exc:
            assert "Testilähde" in str(exc) and "/data" in str(exc)


# --- the HTTP wrapper against a failing server -------------------------------------------------------------------


class _Failing(BaseHTTPRequestHandler):
    mode = "500"

    def do_GET(self) -> None:  # noqa: N802
        if type(self).mode == "slow":
            threading.Event().wait(1.5)
        status = 500 if type(self).mode == "500" else 200
        try:
            self.send_response(status)
            self.end_headers()
            self.wfile.write(b"<html>Huoltokatko</html>")
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up waiting: that is the point of the slow answer

    def log_message(self, *args: object) -> None:
        pass


@pytest.mark.parametrize(
    ("mode", "message"),
    [
        ("500", "answered HTTP 500 for .*/x .after 2 tries"),
        ("slow", "answered no answer in time"),
        ("garbage", "something that is not JSON"),
    ],
)
def test_the_outside_client_turns_faults_into_clear_errors(mode, message):
    _Failing.mode = mode
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Failing)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}"
        client = OutsideClient(url, name="Sotkanet", retries=2, backoff=0.01, timeout=0.5)
        with client, pytest.raises(SourceError, match=message):
            client.get_json("/x")
    finally:
        server.shutdown()


def test_a_server_that_is_not_there_is_a_clear_error():
    client = OutsideClient("http://127.0.0.1:9", name="PxWeb", retries=1, timeout=1)
    with client, pytest.raises(SourceError, match="PxWeb answered connection failed"):
        client.get("/x")


# --- uploads ------------------------------------------------------------------------------------------------------


def zip_bomb(*, megabytes: int) -> bytes:
    """An "XLSX" whose one sheet unpacks from a few kilobytes to `megabytes` of zeros."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(megabytes):
                sheet.write(chunk)
    return buffer.getvalue()


def test_a_zip_bomb_disguised_as_xlsx_is_refused_before_it_is_opened(world, tmp_path):
    bomb = tmp_path / "synthetic-bomb.xlsx"
    bomb.write_bytes(zip_bomb(megabytes=20))
    assert bomb.stat().st_size < 100_000
    with pytest.raises(CommandError, match="compressed .* times.*zip bomb"):
        call_command("import", "file", str(bomb))
    assert ImportRun.objects.get().status == ImportStatus.FAILED
    assert not Observation.objects.exists()


def test_the_hyte_and_survey_imports_refuse_a_zip_bomb_before_opening_it():
    from tilannekuva.funding.files import FigureFileError
    from tilannekuva.funding.files import read_table as read_figures
    from tilannekuva.surveys.exchange import ImportError_, read_rows

    bomb = zip_bomb(megabytes=20)
    with pytest.raises(FigureFileError, match="zip bomb"):
        read_figures(bomb, name="synthetic-bomb.xlsx")
    with pytest.raises(ImportError_, match="zip bomb"):
        read_rows("synthetic-bomb.xlsx", bomb)


def test_a_workbook_that_would_unpack_too_large_is_refused(world, tmp_path, settings):
    settings.XLSX_MAX_UNCOMPRESSED_MB = 2
    big = tmp_path / "synthetic-big.xlsx"
    big.write_bytes(zip_bomb(megabytes=3))
    with pytest.raises(CommandError, match="would unpack to 3 MB; the limit is 2 MB"):
        call_command("import", "file", str(big))


def test_a_huge_import_file_is_refused_before_it_is_read(world, tmp_path, settings):
    settings.IMPORT_MAX_FILE_MB = 1
    huge = tmp_path / "synthetic-huge.csv"
    huge.write_bytes(b"indicator;area;year;value\n" + b"x;491;2023;1\n" * 200_000)
    with pytest.raises(CommandError, match="the file is 2 MB; the limit is 1 MB"):
        call_command("import", "file", str(huge))
    assert not Observation.objects.exists()


@pytest.mark.parametrize(
    "content", [b"\x89PNG\r\n\x1a\n" + b"\0" * 50, b"GIF89a" + b"\xff" * 40, "ääkköset".encode("latin-1")]
)
def test_a_file_of_the_wrong_type_is_refused_with_a_message(world, tmp_path, content):
    path = tmp_path / "synthetic-wrong.xlsx"
    path.write_bytes(content)
    with pytest.raises(CommandError, match="not a CSV or XLSX file|not UTF-8"):
        call_command("import", "file", str(path))


def test_a_huge_evidence_file_is_refused(settings):
    settings.FOLLOWUP_MAX_UPLOAD_MB = 1
    upload = SimpleUploadedFile("pöytäkirja.pdf", b"%PDF-1.7 " + b"x" * (1024 * 1024 + 1))
    with pytest.raises(FollowupError, match=r"1 (MB|Mt)\.$"):
        check_evidence_file(upload)


# --- every form --------------------------------------------------------------------------------------------------

INJECTION = "<script>alert('x')</script><img src=x onerror=alert(1)>\"'&"
TEXT_TYPES = {"text", "search", "textarea", "email", "url", "tel", ""}


class FormFinder(HTMLParser):
    """The forms of a page: action, method, and each field's name, type and first value."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict] = []
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append({"action": a.get("action", ""), "method": a.get("method", "get").lower(), "fields": {}})
        elif not self.forms:
            return
        elif tag in ("input", "textarea") and a.get("name"):
            kind = "textarea" if tag == "textarea" else a.get("type", "text").lower()
            if kind in ("checkbox", "radio") and "checked" not in a:
                self.forms[-1]["fields"].setdefault(a["name"], ("choice", a.get("value", "on")))
            elif kind not in ("submit", "button", "file", "image", "reset"):
                self.forms[-1]["fields"][a["name"]] = (kind, a.get("value", ""))
        elif tag == "select" and a.get("name"):
            self._select = a["name"]
        elif tag == "option" and self._select and self._select not in self.forms[-1]["fields"] and a.get("value"):
            self.forms[-1]["fields"][self._select] = ("select", a["value"])

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None


def forms_on(html: str) -> list[dict]:
    finder = FormFinder()
    finder.feed(html)
    return finder.forms


BROKEN = "BROKEN-ENCODING"
# Bytes that are not UTF-8 (Latin-1 "ä", a lone continuation byte, an overlong encoding), as a browser set to
# another encoding would send them.
BROKEN_BYTES = "%E4%FF%80%C0%AF"


def send(client, form: dict, action: str, data: dict):
    """Post (or get) the form; a field holding BROKEN is sent as bytes that are not UTF-8."""
    from urllib.parse import urlencode

    encoded = urlencode(data, doseq=True).replace(BROKEN, BROKEN_BYTES)
    if form["method"] == "post":
        return client.post(action, encoded, content_type="application/x-www-form-urlencoded", follow=True)
    return client.get(f"{action}?{encoded}", follow=True)


def filled(fields: dict, text: str) -> dict:
    return {name: (text if kind in TEXT_TYPES else value) for name, (kind, value) in fields.items()}


def test_the_form_finder_sees_text_fields():
    html = '<form method="post" action="/a"><input name="t"><textarea name="n"></textarea><select name="s">'
    html += '<option value="">-</option><option value="1">1</option></select><input type="hidden" name="h" value="v">'
    (form,) = forms_on(html + "</form>")
    assert filled(form["fields"], "X") == {"t": "X", "n": "X", "s": "1", "h": "v"}


@pytest.mark.django_db
def test_every_form_survives_injection_oversized_text_and_wrong_encoding(client, people, arguments, settings):  # noqa: F811
    """As the region's administrator (who sees most forms), every form of every page in the permission matrix
    is sent three times. No answer is a server error, and the injected markup never comes back unescaped."""
    settings.FOLLOWUP_MAX_UPLOAD_MB = 1
    client.force_login(people["alice"])
    tried, failures = 0, []
    for name, _kind in PAGES:
        page_url = reverse(name, args=arguments.get(name, []))
        page = client.get(page_url)
        if page.status_code != 200 or not page.get("Content-Type", "").startswith("text/html"):
            continue
        for form in forms_on(page.content.decode()):
            if form["action"].startswith(("/accounts/logout", "/i18n/")):
                continue
            action = form["action"] or page_url
            for text in (INJECTION, "x" * 100_000, BROKEN):
                response = send(client, form, action, filled(form["fields"], text))
                tried += 1
                body = response.content.decode(errors="replace")
                if response.status_code >= 500 or "<script>alert('x')</script>" in body:
                    failures.append((name, action, response.status_code, text[:20]))
            again = client.get(page_url).content.decode()
            if "<script>alert('x')</script>" in again:
                failures.append((name, page_url, "rendered back unescaped", ""))
    assert tried >= 10 and failures == []
