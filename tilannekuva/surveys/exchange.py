"""Answers in and out: import a Webropol-style CSV or XLSX export of a survey's answers (the column mapping is in
docs/SURVEY-IMPORT.md), export the answers and the results as CSV or XLSX.

An import runs in one transaction: a fault in any row is reported with its row and column and nothing changes;
a respondent already imported is matched by its respondent id, so a second identical import changes nothing."""

import datetime
import hashlib
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tilannekuva.audit.services import record
from tilannekuva.core import csv_dialects, tables
from tilannekuva.regions.models import OrganisationKind
from tilannekuva.regions.permissions import can_manage_surveys

from . import results, selectors
from .models import Answer, Question, QuestionKind, Response, ResponseSource, Survey
from .services import AnswerValue, SurveyError, clean_answers, write_response

MAX_ROWS = 100_000
RESPONDENT = ("respondent", "vastaaja", "vastaajan tunnus", "vastaajan numero", "respondent id")
CODE_COLUMNS = ("question",)  # the results' question keys, kept as text in the Finnish spreadsheet dialect
SUBMITTED = ("submitted", "vastausaika", "vastattu", "aika", "timestamp")
KIND = ("organisation kind", "organisaation tyyppi", "organisaatio", "organisation")
DATE_FORMATS = ("%d.%m.%Y %H:%M:%S", "%d.%m.%Y %H:%M", "%d.%m.%Y", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d")
NUMBERED = re.compile(r"^\s*\d+[.)]\s*")


class ImportError_(SurveyError):
    """A fault in the file: the message names the row and the column."""


@dataclass
class ImportSummary:
    added: int = 0
    changed: int = 0
    unchanged: int = 0

    def __str__(self) -> str:
        return _("%(added)s added, %(changed)s changed, %(unchanged)s unchanged") % {
            "added": self.added,
            "changed": self.changed,
            "unchanged": self.unchanged,
        }


def read_rows(name: str, content: bytes) -> list[tuple[int, list[str]]]:
    """The file's rows that hold anything, as text cells, each with its row number as a spreadsheet shows it. The
    one table reader (core.tables) reads them: XLSX by its first sheet, CSV in UTF-8 (with or without BOM),
    UTF-16 (with BOM) or Windows-1252, separated by semicolons, commas or tabs."""
    if not name.lower().endswith((".csv", ".txt", ".xlsx")):
        raise ImportError_(_("The file must be a CSV or an XLSX file."))
    try:
        # Webropol and Excel's "Unicode text" write UTF-16 or Windows-1252 as well as UTF-8.
        table = tables.read_table(content, utf8_only=False)
    except tables.TableError as exc:
        error = {"error": "; ".join(exc.errors)}
        if content.startswith(tables.XLSX_MAGIC):
            raise ImportError_(_("The XLSX file cannot be read: %(error)s") % error) from exc
        raise ImportError_(_("The CSV file cannot be read: %(error)s") % error) from exc
    return [(number, ["" if v is None else _cell_text(v) for v in cells]) for number, cells in table.numbered]


def _cell_text(value: Any) -> str:
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _normal(text: str) -> str:
    return " ".join(NUMBERED.sub("", text).strip().lower().split())


@dataclass
class Columns:
    respondent: int
    submitted: int | None
    kind: int | None
    questions: dict[int, Question]


def map_columns(header: Sequence[str], questions: list[Question]) -> Columns:
    """Columns by name: the respondent, the time, the organisation kind, and a question by its key or its
    Finnish text (a leading "1." is ignored). An unknown column is an error that names it."""
    by_name: dict[str, Question] = {}
    for question in questions:
        by_name[_normal(question.key)] = question
        by_name[_normal(question.text_fi)] = question
    respondent = submitted = kind = None
    mapped: dict[int, Question] = {}
    for index, raw in enumerate(header):
        name = _normal(raw)
        column = _column_name(index)
        if not name:
            continue
        if name in RESPONDENT:
            respondent = index
        elif name in SUBMITTED:
            submitted = index
        elif name in KIND:
            kind = index
        elif name in by_name:
            question = by_name[name]
            if question in mapped.values():
                raise ImportError_(
                    _("Row 1, column %(column)s (“%(name)s”): the question %(key)s has two columns.")
                    % {"column": column, "name": raw, "key": question.key}
                )
            mapped[index] = question
        else:
            raise ImportError_(
                _("Row 1, column %(column)s: “%(name)s” is not a question of this survey.")
                % {"column": column, "name": raw}
            )
    if respondent is None:
        raise ImportError_(_("Row 1: a column “respondent” (or “Vastaaja”) is needed to tell the answers apart."))
    if not mapped:
        raise ImportError_(_("Row 1: no column matches a question of this survey."))
    return Columns(respondent, submitted, kind, mapped)


def _column_name(index: int) -> str:
    """A, B, …, Z, AA, AB, … as spreadsheets name columns."""
    name = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        name = chr(65 + remainder) + name
    return name


def _parse_time(text: str) -> datetime.datetime | None:
    text = text.strip()
    if not text:
        return None
    for pattern in DATE_FORMATS:
        try:
            moment = datetime.datetime.strptime(text, pattern)
        except ValueError:
            continue
        return timezone.make_aware(moment)
    raise ValueError(text)


KIND_NAMES = {
    **{value: value for value in OrganisationKind.values},
    "kunta": OrganisationKind.MUNICIPALITY,
    "hyvinvointialue": OrganisationKind.WELLBEING_SERVICES_COUNTY,
    "maakunnan liitto": OrganisationKind.REGIONAL_COUNCIL,
    "liitto": OrganisationKind.REGIONAL_COUNCIL,
    "järjestö": OrganisationKind.ASSOCIATION,
    "yhdistys": OrganisationKind.ASSOCIATION,
    "oppilaitos": OrganisationKind.EDUCATION_RESEARCH,
    "yritys": OrganisationKind.COMPANY,
    "muu": OrganisationKind.OTHER,
}


def _value_for(question: Question, text: str) -> AnswerValue:
    text = text.strip()
    if not text:
        return None
    if question.is_choice:
        by_text = {_normal(c.text_fi): c.value for c in question.choices.all()}
        by_value = {c.value: c.value for c in question.choices.all()}
        parts = [p.strip() for p in text.split(";") if p.strip()] if question.kind == QuestionKind.MULTIPLE else [text]
        values = [by_value.get(p) or by_text.get(_normal(p)) or p for p in parts]
        return values
    if question.is_scale:
        return text.replace(",", ".").removesuffix(".0")
    return text


def import_key(survey: Survey, respondent: str) -> str:
    """The respondent id of the file, hashed: matched on a second import, never shown."""
    return hashlib.sha256(f"{survey.pk}:{respondent.strip()}".encode()).hexdigest()[:64]


def import_answers(*, survey: Survey, name: str, content: bytes, user: Any, system: bool = False) -> ImportSummary:
    """Import the answers of a Webropol-style export into `survey`, all rows or none. `system` is the command
    line's import (recorded as the system); otherwise `user` must manage the region's surveys."""
    if not system and not can_manage_surveys(user, survey.region):
        raise PermissionDenied
    rows = read_rows(name, content)
    if len(rows) < 2:
        raise ImportError_(_("The file has no answers: a header row and at least one row of answers are needed."))
    if len(rows) > MAX_ROWS + 1:
        raise ImportError_(_("At most %(max)s rows at a time.") % {"max": MAX_ROWS})
    questions = selectors.questions_of(survey)
    columns = map_columns(rows[0][1], questions)
    parsed = list(_parse_rows(survey, rows, columns))
    summary = ImportSummary()
    with transaction.atomic():
        existing = {r.import_key: r for r in survey.responses.exclude(import_key="").prefetch_related("answers")}
        for key, kind, submitted, cleaned in parsed:
            found = existing.get(key)
            if found is not None:
                if _same(found, kind, cleaned):
                    summary.unchanged += 1
                    continue
                found.answers.all().delete()
                found.delete()
                summary.changed += 1
            else:
                summary.added += 1
            write_response(
                survey=survey,
                cleaned=cleaned,
                organisation_kind=kind,
                submitted_at=submitted,
                source=ResponseSource.IMPORT,
                import_key=key,
            )
        record(actor=user, obj=survey, action="other", region=survey.region, note=f"{name}: {summary}")
    return summary


def _parse_rows(
    survey: Survey, rows: list[tuple[int, list[str]]], columns: Columns
) -> Iterator[tuple[str, str, datetime.datetime | None, dict[Question, AnswerValue]]]:
    seen: dict[str, int] = {}
    width = len(rows[0][1])
    for number, row in rows[1:]:
        cells = row + [""] * (width - len(row))
        respondent = cells[columns.respondent].strip()
        where = {"row": number, "column": _column_name(columns.respondent)}
        if not respondent:
            raise ImportError_(_("Row %(row)s, column %(column)s: the respondent is missing.") % where)
        if respondent in seen:
            raise ImportError_(
                _("Row %(row)s, column %(column)s: the respondent %(id)s is already on row %(first)s.")
                % {**where, "id": respondent, "first": seen[respondent]}
            )
        seen[respondent] = number
        submitted = None
        if columns.submitted is not None:
            try:
                submitted = _parse_time(cells[columns.submitted])
            except ValueError:
                raise ImportError_(
                    _("Row %(row)s, column %(column)s: “%(value)s” is not a date (e.g. 31.1.2025 14:05).")
                    % {"row": number, "column": _column_name(columns.submitted), "value": cells[columns.submitted]}
                ) from None
        kind = ""
        if columns.kind is not None and cells[columns.kind].strip():
            kind = KIND_NAMES.get(cells[columns.kind].strip().lower(), "")
            if not kind:
                raise ImportError_(
                    _("Row %(row)s, column %(column)s: “%(value)s” is not a kind of organisation.")
                    % {"row": number, "column": _column_name(columns.kind), "value": cells[columns.kind]}
                )
        values = {q.key: _value_for(q, cells[i]) for i, q in columns.questions.items()}
        # Questions the file has no column for are not required of it: an older year may have asked fewer.
        try:
            cleaned = clean_answers(columns.questions.values(), values)
        except SurveyError as exc:
            index = next(i for i, q in columns.questions.items() if q.key == exc.field)
            raise ImportError_(
                _("Row %(row)s, column %(column)s (%(key)s): %(error)s")
                % {"row": number, "column": _column_name(index), "key": exc.field, "error": exc}
            ) from None
        yield import_key(survey, respondent), kind, submitted, cleaned


def _same(response: Response, kind: str, cleaned: dict[Question, AnswerValue]) -> bool:
    if response.organisation_kind != kind:
        return False
    return _answer_set(list(response.answers.all())) == {
        (q.pk, v if not isinstance(v, list) else tuple(sorted(v))) for q, v in cleaned.items()
    }


def _answer_set(answers: list[Answer]) -> set[tuple[int, Any]]:
    grouped: dict[int, Any] = {}
    choices: dict[int, list[str]] = {}
    for answer in answers:
        if answer.choice_id is not None:
            choices.setdefault(answer.question_id, []).append(answer.choice.value)  # type: ignore[union-attr]
        elif answer.number is not None:
            grouped[answer.question_id] = answer.number
        else:
            grouped[answer.question_id] = answer.text
    grouped.update({k: tuple(sorted(v)) for k, v in choices.items()})
    return set(grouped.items())


# -- export ---------------------------------------------------------------------------------------------------


def answer_rows(survey: Survey) -> list[list[Any]]:
    """One row per response in the import format (respondent, submitted, organisation kind, a column per
    question key). In an anonymous survey the kind is left out for kinds with fewer respondents than the
    threshold, so that the file cannot single anyone out."""
    questions = selectors.questions_of(survey)
    responses = list(selectors.responses_for_export(survey))
    counts: dict[str, int] = {}
    for response in responses:
        counts[response.organisation_kind] = counts.get(response.organisation_kind, 0) + 1
    rows: list[list[Any]] = [["respondent", "submitted", "organisation kind", *[q.key for q in questions]]]
    for number, response in enumerate(responses, start=1):
        kind = response.organisation_kind
        if survey.anonymous and counts.get(kind, 0) < survey.threshold:
            kind = ""
        by_question: dict[int, list[Any]] = {}
        for answer in response.answers.all():
            if answer.choice_id is not None:
                value: Any = answer.choice.value  # type: ignore[union-attr]
            elif answer.number is not None:
                value = answer.number  # a number, so that a spreadsheet reads it as one
            else:
                value = answer.text
            by_question.setdefault(answer.question_id, []).append(value)
        found = [by_question.get(q.pk, []) for q in questions]
        cells = [values[0] if len(values) == 1 else ";".join(str(v) for v in values) for values in found]
        rows.append(
            [
                number,
                timezone.localtime(response.submitted_at).strftime("%d.%m.%Y %H:%M"),
                kind,
                *cells,
            ]
        )
    return rows


def result_rows(survey: Survey) -> list[list[Any]]:
    """The results as the results page shows them: per question n, NPS with its interval or mean and median,
    then the breakdown by organisation kind with the same suppression."""
    found = selectors.survey_results(survey)
    header = ["question", "text", "kind", "measure", "n", "value", "ci_low", "ci_high", "promoters", "passives",
              "detractors", "mean", "median"]  # fmt: skip
    rows: list[list[Any]] = [header]
    if found.preliminary:
        rows.append(["", _("Preliminary results: the survey still takes answers.")] + [""] * (len(header) - 2))
    if not found.shown:
        rows.append(["", results.too_few(found.n, found.threshold)] + [""] * (len(header) - 2))
        return rows
    for item in found.questions:
        question = item.question
        if item.nps is not None:
            nps = item.nps
            rows.append([question.key, question.text, question.kind, nps.label, nps.n, nps.score, nps.ci_low,
                         nps.ci_high, nps.promoters, nps.passives, nps.detractors, "", ""])  # fmt: skip
        elif item.summary is not None:
            s = item.summary
            mean = None if s.mean is None else round(s.mean, 2)
            rows.append([question.key, question.text, question.kind, _("mean"), s.n, mean, "", "", "", "", "", mean,
                         s.median])  # fmt: skip
        elif item.choices:
            for choice, _count, share in item.choices:
                rows.append([question.key, f"{question.text}: {choice.text}", question.kind, _("share, %"), item.n,
                             round(share, 1), "", "", "", "", "", "", ""])  # fmt: skip
        else:
            rows.append([question.key, question.text, question.kind, _("open answers"), item.open_total] + [""] * 8)
    if found.score is not None:
        rows.append(["eurohis-qol-8", "EUROHIS-QOL 8", "score", _("mean"), found.score.n,
                     round(found.score.mean or 0, 2), "", "", "", "", "", "", found.score.median])  # fmt: skip
    if found.by_kind:
        rows.append([])
        rows.append([_("By organisation kind"), _("respondents"), *found.scale_keys])
        for group in found.by_kind:
            if group.hidden:
                rows.append([group.label, _("hidden"), *[""] * len(found.scale_keys)])
            else:
                rows.append([group.label, group.n, *[group.values.get(k, "") for k in found.scale_keys]])
    return rows


def as_csv(rows: list[list[Any]], dialect: str = csv_dialects.MACHINE) -> bytes:
    """Semicolon-separated UTF-8 with a byte-order mark: `machine` (a decimal point) or `fi` (the Finnish
    spreadsheet dialect: a decimal comma, the question keys as text, no cell a spreadsheet would run)."""
    return "".join(csv_dialects.dialect_lines(rows, dialect, codes=CODE_COLUMNS)).encode("utf-8")


def as_xlsx(rows: list[list[Any]], *, title: str) -> bytes:
    return tables.xlsx_bytes(rows, title=title)
