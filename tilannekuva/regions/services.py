"""Loading Finland's areas, their memberships per year and their Sotkanet ids from the bundled files."""

import csv
import json
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils.text import slugify

from .models import Area, AreaKind, AreaMembership, Organisation, OrganisationKind

KEY_FILE = re.compile(r"municipality_key_(\d{4})\.csv$")
COUNTRY_CODE = "FI"
SOTKANET_COUNTRY_ID = 658
# Codes in the wellbeing-county column that are not wellbeing services counties (Helsinki arranges the
# services itself; Ahvenanmaa is autonomous): kept as areas, but no county organisation is made for them.
NOT_A_COUNTY = {"90", "91"}
PARENT_COLUMNS = {
    AreaKind.MAAKUNTA: ("maakunta", 2),
    AreaKind.WELLBEING_SERVICES_COUNTY: ("hyvinvointialue", 2),
    AreaKind.SEUTUKUNTA: ("seutukunta", 3),
}


class AreaDataError(Exception):
    """The bundled area files are missing or malformed; the message names the file and row."""


@dataclass
class LoadReport:
    years: list[int]
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    memberships: int = 0
    counts: dict[str, int] = field(default_factory=dict)

    def __str__(self) -> str:
        kinds = ", ".join(f"{kind} {n}" for kind, n in sorted(self.counts.items()))
        return (
            f"Areas from the keys of {self.years[0]}–{self.years[-1]}: {kinds}; "
            f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged; "
            f"{self.memberships} memberships."
        )


@dataclass
class AreaRecord:
    kind: str
    code: str
    names: dict[str, str]
    years: set[int] = field(default_factory=set)


def pad(value: str, width: int, *, where: str) -> str:
    value = value.strip()
    if not value.isdigit():
        raise AreaDataError(f"{where}: code {value!r} is not a number")
    return value.zfill(width)


def read_keys(directory: Path) -> dict[int, list[dict[str, str]]]:
    files = sorted(
        (int(m.group(1)), p) for p in directory.glob("municipality_key_*.csv") if (m := KEY_FILE.search(p.name))
    )
    if not files:
        raise AreaDataError(f"{directory}: no municipality_key_YYYY.csv files")
    keys = {}
    for year, path in files:
        with path.open(encoding="utf-8", newline="") as fh:
            keys[year] = list(csv.DictReader(fh))
    return keys


def collect(
    keys: dict[int, list[dict[str, str]]],
) -> tuple[dict[tuple[str, str], AreaRecord], dict[tuple, set[int]]]:
    """Every area and every (member, parent) pair with the years in which they appear in the keys."""
    areas: dict[tuple[str, str], AreaRecord] = {}
    links: dict[tuple, set[int]] = defaultdict(set)
    for year, rows in keys.items():
        for number, row in enumerate(rows, start=2):
            where = f"municipality_key_{year}.csv row {number}"
            try:
                municipality = (AreaKind.MUNICIPALITY.value, pad(row["kunta"], 3, where=where))
                names = {lang: row[f"municipality_name_{lang}"] for lang in ("fi", "sv", "en")}
            except KeyError as exc:
                raise AreaDataError(f"{where}: missing column {exc}") from exc
            areas.setdefault(municipality, AreaRecord(*municipality, names)).years.add(year)
            areas[municipality].names = names
            for kind, (column, width) in PARENT_COLUMNS.items():
                code = pad(row[f"{column}_code"], width, where=where)
                parent_names = {lang: row[f"{column}_name_{lang}"].strip() for lang in ("fi", "sv", "en")}
                parent = (kind.value, code)
                areas.setdefault(parent, AreaRecord(*parent, parent_names)).years.add(year)
                links[(municipality, parent)].add(year)
    return areas, links


def spans(years: Iterable[int], first: int, last: int) -> list[tuple[int | None, int | None]]:
    """Contiguous runs of years; a run touching the first or last key year is left open on that side,
    because the earliest division we hold is the best answer for earlier years and the latest for later ones."""
    result: list[tuple[int | None, int | None]] = []
    ordered = sorted(years)
    start = previous = ordered[0]
    for year in ordered[1:] + [None]:
        if year is not None and year == previous + 1:
            previous = year
            continue
        result.append((None if start == first else start, None if previous == last else previous))
        if year is not None:
            start = previous = year
    return result


def sotkanet_ids(sotkanet_dir: Path) -> dict[tuple[str, str], int]:
    categories = {
        "KUNTA": (AreaKind.MUNICIPALITY, 3),
        "MAAKUNTA": (AreaKind.MAAKUNTA, 2),
        "SEUTUKUNTA": (AreaKind.SEUTUKUNTA, 3),
    }
    ids: dict[tuple[str, str], int] = {(AreaKind.COUNTRY.value, COUNTRY_CODE): SOTKANET_COUNTRY_ID}
    path = sotkanet_dir / "regions-2015.json"
    try:
        regions = json.loads(path.read_text(encoding="utf-8"))
        for region in regions:
            if region["category"] in categories:
                kind, width = categories[region["category"]]
                ids[(kind.value, region["code"].zfill(width))] = int(region["id"])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise AreaDataError(f"{path}: {exc}") from exc
    path = sotkanet_dir / "hyvinvointialueet.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        for number, row in enumerate(csv.DictReader(fh), start=2):
            if row.get("uusi_id") and row.get("uusi_code"):
                code = pad(row["uusi_code"], 2, where=f"{path.name} row {number}")
                ids[(AreaKind.WELLBEING_SERVICES_COUNTY.value, code)] = int(row["uusi_id"])
    return ids


def slug_for(record: AreaRecord, used: set[str]) -> str:
    base = slugify(record.names["fi"]) or f"{record.kind}-{record.code}"
    if record.kind == AreaKind.SEUTUKUNTA and not base.endswith("seutukunta"):
        base = f"{base}-seutukunta"
    slug = base if base not in used else f"{base}-{slugify(record.kind)}"
    used.add(slug)
    return slug


@transaction.atomic
def load_areas(*, data_dir: Path | None = None) -> LoadReport:
    """Create or update every area, membership and municipal/county organisation. Idempotent."""
    data_dir = data_dir or settings.DATA_DIR
    keys = read_keys(data_dir / "regions")
    years = sorted(keys)
    first, last = years[0], years[-1]
    records, links = collect(keys)
    country = AreaRecord(
        AreaKind.COUNTRY.value,
        COUNTRY_CODE,
        {"fi": "Koko maa", "sv": "Hela landet", "en": "Whole country"},
        set(years),
    )
    ordered = [country] + sorted(records.values(), key=lambda r: (list(AreaKind.values).index(r.kind), r.code))
    ids = sotkanet_ids(data_dir / "sotkanet")
    report = LoadReport(years=years)
    used: set[str] = set(Area.objects.values_list("slug", flat=True))
    existing = {(a.kind, a.code): a for a in Area.objects.all()}
    areas: dict[tuple[str, str], Area] = {}
    for record in ordered:
        key = (record.kind, record.code)
        span = spans(record.years, first, last)
        values = {
            "name_fi": record.names["fi"],
            "name_sv": record.names["sv"],
            "name_en": record.names["en"],
            "sotkanet_id": ids.get(key),
            "valid_from": span[0][0],
            "valid_to": span[-1][1],
        }
        area = existing.get(key)
        if area is None:
            area = Area.objects.create(kind=record.kind, code=record.code, slug=slug_for(record, used), **values)
            report.created += 1
        elif any(getattr(area, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(area, name, value)
            area.save()
            report.updated += 1
        else:
            report.unchanged += 1
        areas[key] = area
        report.counts[record.kind] = report.counts.get(record.kind, 0) + 1

    wanted = set()
    for (member, parent), link_years in links.items():
        for start, end in spans(link_years, first, last):
            wanted.add((areas[member].pk, areas[parent].pk, start, end))
    for member_key, area in areas.items():
        if member_key[0] != AreaKind.COUNTRY:
            wanted.add((area.pk, areas[(AreaKind.COUNTRY.value, COUNTRY_CODE)].pk, area.valid_from, area.valid_to))
    current = set(AreaMembership.objects.values_list("member_id", "parent_id", "valid_from", "valid_to"))
    if current != wanted:
        AreaMembership.objects.all().delete()
        AreaMembership.objects.bulk_create(
            AreaMembership(member_id=m, parent_id=p, valid_from=f, valid_to=t) for m, p, f, t in sorted(wanted, key=str)
        )
    report.memberships = len(wanted)

    for (kind, code), area in areas.items():
        if kind == AreaKind.MUNICIPALITY:
            ensure_area_organisation(area=area, kind=OrganisationKind.MUNICIPALITY)
        elif kind == AreaKind.WELLBEING_SERVICES_COUNTY and code not in NOT_A_COUNTY:
            ensure_area_organisation(area=area, kind=OrganisationKind.WELLBEING_SERVICES_COUNTY)
    return report


def ensure_area_organisation(*, area: Area, kind: str) -> Organisation:
    organisation, created = Organisation.objects.get_or_create(kind=kind, area=area, defaults={"name": area.name_fi})
    if not created and organisation.name != area.name_fi:
        organisation.name = area.name_fi
        organisation.save(update_fields=["name"])
    return organisation
