"""Import of a Webropol-style export (CSV or XLSX): all rows or none, faults named by row and column, a second
identical import changes nothing; export of answers and results."""

import io

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from tilannekuva.surveys import exchange, services
from tilannekuva.surveys.models import Response

HEADER = (
    "Vastaaja;Vastausaika;Organisaation tyyppi;Suosittelisitko kumppanuuttamme?;1. Kykenemmekö yhdessä uudistumaan?;"
    "q2;q3;q4;q5;q6"
)
ROWS = [
    "101;14.2.2024 10:05;kunta;9;8;7;8;9;7;Yhteiset tilaisuudet",
    "102;14.2.2024 11:30;hyvinvointialue;10;9;9;9;10;8;",
    "103;15.2.2024;maakunnan liitto;6;5;6;7;6;5;Tiedonkulku",
]


def csv_bytes(*rows: str, header: str = HEADER) -> bytes:
    return ("\ufeff" + "\r\n".join([header, *rows]) + "\r\n").encode("utf-8")


def import_csv(survey, people, content: bytes, name: str = "webropol.csv"):
    return exchange.import_answers(survey=survey, name=name, content=content, user=people["alice"])


def test_a_webropol_export_is_imported_by_question_text_or_key(survey, people):
    summary = import_csv(survey, people, csv_bytes(*ROWS))
    assert (summary.added, summary.changed, summary.unchanged) == (3, 0, 0)
    kinds = sorted(Response.objects.values_list("organisation_kind", flat=True))
    assert kinds == ["municipality", "regional_council", "wellbeing_services_county"]
    first = Response.objects.get(organisation_kind="municipality")
    assert {a.question.key: a.number or a.text for a in first.answers.all()}["nps"] == 9
    assert first.submitted_at.day == 14 and first.source == "import"


def test_a_second_identical_import_changes_nothing_and_a_corrected_row_is_replaced(survey, people):
    import_csv(survey, people, csv_bytes(*ROWS))
    again = import_csv(survey, people, csv_bytes(*ROWS))
    assert (again.added, again.changed, again.unchanged) == (0, 0, 3)
    corrected = import_csv(survey, people, csv_bytes(ROWS[0].replace(";9;8;7;", ";10;8;7;"), *ROWS[1:]))
    assert (corrected.added, corrected.changed, corrected.unchanged) == (0, 1, 2)
    assert Response.objects.count() == 3


def test_a_fault_names_the_row_and_column_and_nothing_is_imported(survey, people):
    bad = ROWS[2].replace(";6;5;6;", ";6;11;6;")
    with pytest.raises(exchange.ImportError_, match=r"Row 4, column E \(q1\): Choose a value from 1 to 10"):
        import_csv(survey, people, csv_bytes(ROWS[0], ROWS[1], bad))
    assert Response.objects.count() == 0


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (csv_bytes(ROWS[0], header=HEADER.replace("q5", "q99")), r"Row 1, column I: “q99” is not a question"),
        (csv_bytes(ROWS[0], header=HEADER.replace("Vastaaja;", "Nimi;")), r"column A: “Nimi” is not a question"),
        (csv_bytes(ROWS[0], ROWS[0]), r"Row 3, column A: the respondent 101 is already on row 2"),
        (csv_bytes(ROWS[0].replace("14.2.2024 10:05", "eilen")), r"Row 2, column B: “eilen” is not a date"),
        (csv_bytes(ROWS[0].replace(";kunta;", ";seurakunta;")), r"Row 2, column C: “seurakunta” is not a kind"),
        (csv_bytes(ROWS[0].replace(";9;8;7;8;9;", ";;8;7;8;9;")), r"Row 2, column D \(nps\): Answer this question"),
        (csv_bytes(), r"no answers"),
    ],
)
def test_bad_files_are_refused_with_a_clear_message(survey, people, content, message):
    with pytest.raises(exchange.ImportError_, match=message):
        import_csv(survey, people, content)
    assert Response.objects.count() == 0


def test_an_xlsx_export_is_imported_the_same_way(survey, people):
    workbook = Workbook()
    sheet = workbook.active
    for line in [HEADER, *ROWS]:
        sheet.append([int(c) if c.isdigit() else c for c in line.split(";")])
    buffer = io.BytesIO()
    workbook.save(buffer)
    summary = import_csv(survey, people, buffer.getvalue(), name="webropol.xlsx")
    assert summary.added == 3


def test_a_damaged_workbook_or_another_file_type_is_refused(survey, people):
    with pytest.raises(exchange.ImportError_, match="cannot be read"):
        import_csv(survey, people, b"PK\x03\x04 not really", name="broken.xlsx")
    with pytest.raises(exchange.ImportError_, match="CSV or an XLSX"):
        import_csv(survey, people, b"%PDF-1.7", name="answers.pdf")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=300))
def test_any_text_either_imports_or_is_refused_with_a_message(survey, people, text):
    try:
        import_csv(survey, people, (HEADER + "\n" + text).encode("utf-8"))
    except exchange.ImportError_ as exc:
        assert str(exc)


def test_the_answers_export_is_the_import_format_and_hides_small_kinds(answered, people):
    rows = exchange.answer_rows(answered)
    assert rows[0] == ["respondent", "submitted", "organisation kind", "nps", "q1", "q2", "q3", "q4", "q5", "q6"]
    assert {r[2] for r in rows[1:]} == {"municipality", ""}  # the county (3) and the council (2) are under 5
    other = services.create_survey(region=answered.region, template="partner-survey", year=2023, user=people["alice"])
    summary = exchange.import_answers(
        survey=other, name="answers.csv", content=exchange.as_csv(rows), user=people["alice"]
    )
    assert summary.added == 10


def test_the_results_export_as_xlsx_opens(closed):
    content = exchange.as_xlsx(exchange.result_rows(closed), title="partner-survey 2025")
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet.cell(row=2, column=1).value == "nps" and sheet.cell(row=2, column=6).value == 40


def test_the_command_imports_and_exports(survey, tmp_path, capsys):
    from django.core.management import CommandError, call_command

    path = tmp_path / "webropol.csv"
    path.write_bytes(csv_bytes(*ROWS))
    call_command("survey", "import", "etela-savo", "partner-survey", "2025", str(path))
    call_command("survey", "import", "etela-savo", "partner-survey", "2025", str(path))
    out = capsys.readouterr().out
    assert "3 added, 0 changed, 0 unchanged" in out and "0 added, 0 changed, 3 unchanged" in out
    call_command("survey", "export", "etela-savo", "partner-survey", "2025", "--what", "answers")
    assert "respondent;submitted;organisation kind;nps" in capsys.readouterr().out
    path.write_bytes(csv_bytes(ROWS[0].replace(";kunta;", ";seurakunta;")))
    with pytest.raises(CommandError, match="nothing was changed:\nRow 2, column C"):
        call_command("survey", "import", "etela-savo", "partner-survey", "2025", str(path))
    with pytest.raises(CommandError, match="no survey partner-survey of 1999"):
        call_command("survey", "export", "etela-savo", "partner-survey", "1999")


@pytest.mark.parametrize("encoding", ["utf-16", "cp1252"])
def test_utf16_and_windows_1252_files_are_read(survey, people, encoding):
    text = "\r\n".join([HEADER.replace(";", "\t"), ROWS[0].replace(";", "\t")])
    summary = import_csv(survey, people, text.encode(encoding))
    assert summary.added == 1
    assert Response.objects.get().answers.get(question__key="q6").text == "Yhteiset tilaisuudet"


HOSTILE = ["=cmd|' /C calc'!A0", "+358 40 1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]


def test_answers_and_results_exports_keep_every_hostile_text_inert(client, people, survey):
    """Issue 17: an open-link respondent's text that starts like a formula goes into answers.csv/.xlsx (and the
    results files) as text, never as a live formula."""
    question = survey.questions.get(key="q6")
    for text in HOSTILE:
        services.write_response(survey=survey, cleaned={question: text}, source="web")
    client.force_login(people["alice"])
    for what in ("export_answers", "export_results"):
        csv_text = client.get(reverse(f"surveys:{what}", args=["etela-savo", survey.pk, "csv"])).content.decode()
        for text in HOSTILE if what == "export_answers" else []:
            assert ";'" + text in csv_text.replace('"', "")
        content = client.get(reverse(f"surveys:{what}", args=["etela-savo", survey.pk, "xlsx"])).content
        cells = [c for row in load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True) for c in row]
        texts = [c for c in cells if isinstance(c, str)]
        assert not any(c[:1] in "=+@\t\r" or (c[:1] == "-" and not c[1:].replace(".", "").isdigit()) for c in texts)
        if what == "export_answers":
            assert sum(c.startswith("'") for c in texts) == len(HOSTILE)
