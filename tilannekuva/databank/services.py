"""Import-run discipline shared by every source: one transaction, counted changes, checksums, clear errors."""

import gzip
import hashlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import suppress
from dataclasses import dataclass
from typing import Any, NamedTuple

from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from tilannekuva.core import jobs
from tilannekuva.core.http import SourceError
from tilannekuva.regions.models import Area

from .models import ImportRun, ImportStatus, Indicator, Observation, Source

KNOWN_SOURCES: dict[str, dict[str, str]] = {
    "sotkanet": {
        "name": "Sotkanet (THL)",
        "url": "https://sotkanet.fi",
        "licence": "CC BY 4.0 (THL's own indicators; other producers' indicators by their terms)",
        "attribution": "Lähde: Sotkanet / THL",
    },
    "statfin": {
        "name": "Tilastokeskus (StatFin)",
        "url": "https://pxdata.stat.fi",
        "licence": "CC BY 4.0",
        "attribution": "Lähde: Tilastokeskus",
    },
    "ptv": {
        "name": "Palvelutietovaranto (PTV)",
        "url": "https://api.palvelutietovaranto.suomi.fi",
        "licence": "Avoin data (tarkista DVV:n ehdot ennen julkaisua)",
        "attribution": "Lähde: Digi- ja väestötietovirasto, Palvelutietovaranto",
    },
    "file": {"name": "Tiedostotuonti", "url": "", "licence": "", "attribution": "Lähde: tiedoston toimittaja"},
}
BATCH = 5000
# The stage table's column types, for binary COPY (the order of ObservationRow).
STAGE_TYPES = ("int8", "int8", "int2", "varchar", "varchar", "float8", "float8")


class ImportDataError(Exception):
    """The data is malformed. `errors` lists each fault, naming its row and column or field."""

    def __init__(self, errors: list[str] | str):
        self.errors = [errors] if isinstance(errors, str) else errors
        shown = self.errors[:50]
        more = f"\n... and {len(self.errors) - 50} more" if len(self.errors) > 50 else ""
        super().__init__("\n".join(shown) + more)


class ImportFailed(Exception):
    """The import was refused or failed; nothing was written. `run` records what happened."""

    def __init__(self, run: ImportRun, message: str):
        self.run = run
        super().__init__(message)


class ObservationRow(NamedTuple):
    indicator_id: int
    area_id: int
    year: int
    gender: str
    classification: str
    value: float | None
    absolute_value: float | None


@dataclass
class Counts:
    added: int = 0
    changed: int = 0
    unchanged: int = 0

    def __iadd__(self, other: "Counts") -> "Counts":
        self.added += other.added
        self.changed += other.changed
        self.unchanged += other.unchanged
        return self


def source(key: str) -> Source:
    defaults = KNOWN_SOURCES.get(key, {"name": key})
    obj, _ = Source.objects.get_or_create(key=key, defaults=defaults)
    return obj


def checksum(payload: bytes) -> str:
    return hashlib.sha256(payload).hexdigest()


def run_import(
    *,
    source_key: str,
    url: str,
    parameters: dict[str, Any],
    work: Callable[[ImportRun], Counts | None],
) -> ImportRun:
    """Run `work` in one transaction. The run record itself is kept whatever happens.

    `work` returns the counts, or None when it decided the source has not changed (skipped).
    It may set `run.raw_payload`/`run.checksum` through `keep_payload`.
    """
    jobs.fail_dead_runs()  # runs of killed processes of this machine: failed, with the reason
    run = ImportRun.objects.create(
        source=source(source_key), source_url=url, parameters=parameters, worker=jobs.this_worker()
    )
    try:
        with transaction.atomic():
            counts = work(run)
    except (SourceError, ImportDataError, RecursionError) as exc:
        reason = str(exc)
        if isinstance(exc, RecursionError):  # json.loads of data nested thousands of levels deep
            reason = "the data is nested too deeply to be read (JSON or XML deeper than any real source sends)"
        _fail(run, reason)
        raise ImportFailed(run, f"{run.source.name}: the import failed and nothing was changed.\n{reason}") from exc
    except BaseException as exc:
        # A fault of the product itself (or Ctrl-C): the run is still marked failed, never left "running".
        with suppress(DatabaseError):  # the database itself may be what failed
            _fail(run, f"the import stopped with an unexpected error ({exc.__class__.__name__}: {exc})")
        raise
    if counts is None:
        run.status = ImportStatus.SKIPPED
    else:
        run.rows_added, run.rows_changed, run.rows_unchanged = counts.added, counts.changed, counts.unchanged
        run.status = ImportStatus.SUCCEEDED if counts.added or counts.changed else ImportStatus.UNCHANGED
    run.finished_at = timezone.now()
    run.save()
    return run


def _fail(run: ImportRun, reason: str) -> None:
    run.status = ImportStatus.FAILED
    run.errors = reason
    run.finished_at = timezone.now()
    run.save()


def keep_payload(run: ImportRun, payload: bytes) -> None:
    """Keep the raw answer on the run (compressed) with its checksum, as the audit of what came in."""
    run.checksum = checksum(payload)
    run.raw_payload = gzip.compress(payload)
    run.save(update_fields=["checksum", "raw_payload"])


def run_summary(run: ImportRun) -> str:
    if run.status == ImportStatus.SKIPPED:
        return f"{run.source.name}: skipped, the source's data has not been updated since the last import."
    if run.status == ImportStatus.UNCHANGED:
        return f"{run.source.name}: {run.rows_unchanged} rows, 0 added, 0 changed: nothing changed."
    return (
        f"{run.source.name}: {run.rows_added} added, {run.rows_changed} changed, "
        f"{run.rows_unchanged} unchanged (import run {run.pk})."
    )


def check_unique(rows: Iterable[ObservationRow], *, describe: Callable[[ObservationRow], str]) -> list[ObservationRow]:
    seen: set[tuple] = set()
    result = []
    for row in rows:
        key = row[:5]
        if key in seen:
            raise ImportDataError(f"{describe(row)}: the same indicator, area, year and classification appear twice")
        seen.add(key)
        result.append(row)
    return result


def write_observations(rows: list[ObservationRow], *, run: ImportRun) -> Counts:
    """Upsert observations; rows whose value is the same are left untouched. Call inside a transaction.

    The observation table has no foreign-key constraints (docs/DECISIONS.md), so this is where an unknown
    indicator or area id is refused: by one set-wise look-up per call, before anything is written.
    """
    if not rows:
        return Counts()
    indicator_ids = {r.indicator_id for r in rows}
    _refuse_unknown_ids(indicator_ids, {r.area_id for r in rows})
    if connection.vendor == "postgresql":
        return _write_postgresql(rows, run=run, indicator_ids=indicator_ids)
    return _write_orm(rows, run=run)


def _refuse_unknown_ids(indicator_ids: set[int], area_ids: set[int]) -> None:
    missing_indicators = indicator_ids - set(
        Indicator.objects.filter(pk__in=indicator_ids).values_list("pk", flat=True)
    )
    missing_areas = area_ids - set(Area.objects.filter(pk__in=area_ids).values_list("pk", flat=True))
    _raise_for_unknown(sorted(missing_indicators), sorted(missing_areas))


def _raise_for_unknown(indicator_ids: list[int], area_ids: list[int]) -> None:
    errors = [f"indicator id {i} does not exist" for i in indicator_ids]
    errors += [f"area id {a} does not exist" for a in area_ids]
    if errors:
        raise ImportDataError(errors)


def _chunks(items: list[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _write_orm(rows: list[ObservationRow], *, run: ImportRun) -> Counts:
    counts = Counts()
    indicator_ids = {r.indicator_id for r in rows}
    years = {r.year for r in rows}
    existing: dict[tuple, tuple[int, float | None, float | None]] = {}
    queryset = Observation.objects.filter(indicator_id__in=indicator_ids, year__in=years).values_list(
        "pk", "indicator_id", "area_id", "year", "gender", "classification", "value", "absolute_value"
    )
    for pk, indicator_id, area_id, year, gender, classification, value, absolute in queryset.iterator(chunk_size=BATCH):
        existing[(indicator_id, area_id, year, gender, classification)] = (pk, value, absolute)
    new, changed = [], []
    for row in rows:
        found = existing.get(row[:5])
        if found is None:
            new.append(Observation(**row._asdict(), import_run=run))
        elif (found[1], found[2]) != (row.value, row.absolute_value):
            changed.append(Observation(pk=found[0], value=row.value, absolute_value=row.absolute_value, import_run=run))
        else:
            counts.unchanged += 1
    for batch in _chunks(new, BATCH):
        Observation.objects.bulk_create(batch)
    for batch in _chunks(changed, BATCH):
        Observation.objects.bulk_update(batch, ["value", "absolute_value", "import_run"])
    counts.added, counts.changed = len(new), len(changed)
    return counts


def _write_postgresql(rows: list[ObservationRow], *, run: ImportRun, indicator_ids: set[int]) -> Counts:
    """Binary COPY into a temporary table; then a plain INSERT of the rows of indicators that have no stored
    rows yet (no conflict is possible: duplicates were refused before), and one INSERT ... ON CONFLICT, which
    touches only changed rows, for the rest. The plain INSERT saves the upsert's speculative insertion on a
    first import, the largest one (docs/PERFORMANCE.md)."""
    table = Observation._meta.db_table
    columns = "indicator_id, area_id, year, gender, classification, value, absolute_value"
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMP TABLE IF NOT EXISTS observation_stage (indicator_id bigint, area_id bigint, year smallint, "
            "gender varchar(8), classification varchar(80), value double precision, absolute_value double precision) "
            "ON COMMIT DROP"
        )
        cursor.execute("TRUNCATE observation_stage")
        with cursor.cursor.copy(f"COPY observation_stage ({columns}) FROM STDIN (FORMAT BINARY)") as copy:
            copy.set_types(STAGE_TYPES)
            for row in rows:
                copy.write_row(row)
        cursor.execute(
            f"SELECT array_agg(i) FROM unnest(%s::bigint[]) AS i WHERE NOT EXISTS "  # noqa: S608 - our own table
            f"(SELECT 1 FROM {table} o WHERE o.indicator_id = i)",
            [sorted(indicator_ids)],
        )
        fresh = (cursor.fetchone() or [None])[0] or []
        added = 0
        if fresh:
            cursor.execute(
                f"INSERT INTO {table} ({columns}, import_run_id) "  # noqa: S608 - our own table
                f"SELECT {columns}, %s FROM observation_stage WHERE indicator_id = ANY(%s)",
                [run.pk, fresh],
            )
            added = cursor.rowcount
        if len(fresh) == len(indicator_ids):
            return Counts(added=added, changed=0, unchanged=len(rows) - added)
        cursor.execute(
            f"""
            WITH upserted AS (
                INSERT INTO {table} ({columns}, import_run_id)
                SELECT {columns}, %s FROM observation_stage WHERE NOT (indicator_id = ANY(%s))
                ON CONFLICT (indicator_id, area_id, year, gender, classification) DO UPDATE
                SET value = EXCLUDED.value, absolute_value = EXCLUDED.absolute_value,
                    import_run_id = EXCLUDED.import_run_id
                WHERE {table}.value IS DISTINCT FROM EXCLUDED.value
                   OR {table}.absolute_value IS DISTINCT FROM EXCLUDED.absolute_value
                RETURNING (xmax = 0) AS inserted
            )
            SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted) FROM upserted
            """,  # noqa: S608 - the table name is the model's own
            [run.pk, fresh],
        )
        upserted_added, changed = cursor.fetchone()
    added += upserted_added
    return Counts(added=added, changed=changed, unchanged=len(rows) - added - changed)
