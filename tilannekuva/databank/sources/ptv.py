"""Palvelutietovaranto (PTV): how many service descriptions organisations publish, per organisation, kind and area.

The digitalisation metric of the seed strategies follows, year by year, the number of PTV service descriptions
published by the municipalities, by the wellbeing services county and by associations and communities.

What is counted: for each organisation, the DISTINCT service ids in its record (`Organization/{id}`) whose
`roleType` is `Responsible` (the organisation is responsible for the service description). The record lists a
service once per role, so counting its entries would roughly double the figure (Naantali: 234 entries = 121
Responsible + 113 Producer). The `Producer` count is kept beside it as its own indicator; other roles
(`OtherResponsible`) are kept in the detail only. An organisation's figure covers its sub-organisations
(`subOrganizations`, fetched in turn): the distinct services of the whole tree, so a service listed by a parent and
a sub-organisation counts once.

Where the counts go: an observation for the organisation's area in the run's year. A municipality's area comes
from its `municipality.code`; any organisation whose business id is on an Organisation of Tilannekuva that has an
area (the wellbeing services county) gets that area. Organisations without an area (associations, State bodies)
cannot be placed on a municipality: their counts stay in the run's raw payload, in the indicators' metadata and
in the run summary. Every run fetches everything again; nothing is cached between runs.
"""

import argparse
import json
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, TextIO

from django.db.models import Max, Min
from django.utils import timezone

from tilannekuva.core.http import OutsideClient
from tilannekuva.databank import services
from tilannekuva.databank.models import Direction, Gender, ImportRun, Indicator, Observation
from tilannekuva.databank.services import Counts, ImportDataError, ObservationRow
from tilannekuva.regions.models import Area, AreaKind, Organisation, OrganisationKind, valid_in
from tilannekuva.regions.validators import business_id_is_valid

help = "PTV: service descriptions published by municipalities, the wellbeing services county and associations."

SOURCE_KEY = "ptv"
DEFAULT_BASE_URL = "https://api.palvelutietovaranto.suomi.fi/api/v11/"
RESPONSIBLE = "Responsible"
PRODUCER = "Producer"
INDICATORS: dict[str, dict[str, str]] = {
    "services-responsible": {
        "role": RESPONSIBLE,
        "title_fi": "PTV-palvelukuvausten määrä (vastuullinen)",
        "title_en": "Number of PTV service descriptions (responsible organisation)",
        "description_fi": (
            "Palvelutietovarantoon julkaistujen palvelukuvausten määrä, joista organisaatio (alaorganisaatioineen) "
            "on vastuussa. Sama palvelu lasketaan kerran."
        ),
    },
    "services-producer": {
        "role": PRODUCER,
        "title_fi": "PTV-palvelukuvausten määrä (tuottaja)",
        "title_en": "Number of PTV service descriptions (producer)",
        "description_fi": (
            "Palvelutietovarantoon julkaistujen palvelukuvausten määrä, joiden tuottajana organisaatio "
            "(alaorganisaatioineen) on. Sama palvelu lasketaan kerran."
        ),
    },
}
COUNTING = (
    "Distinct service ids with roleType Responsible (services-responsible) or Producer (services-producer) in the "
    "organisation records (Organization/{id}), over each organisation and its sub-organisations."
)
# PTV's organisation types as its API documents them (State, Municipality, RegionalOrganization, Organization,
# Company); "Organization" is PTV's type for associations and communities (järjestöt).
KIND_OF_PTV_TYPE = {
    "Municipality": OrganisationKind.MUNICIPALITY.value,
    "State": OrganisationKind.PUBLIC_BODY.value,
    "RegionalOrganization": OrganisationKind.PUBLIC_BODY.value,
    "Organization": OrganisationKind.ASSOCIATION.value,
    "Company": OrganisationKind.COMPANY.value,
}
GUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
MAX_PAGES = 10_000


# --- paging of PTV's list endpoints -------------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    number: int
    size: int
    count: int
    items: list[Any]


def read_page(payload: Any, *, url: str, asked: int) -> Page:
    """One page of a list endpoint: {pageNumber, pageSize, pageCount, itemList}; an empty list is pageCount 0
    with itemList null."""
    if not isinstance(payload, dict):
        raise ImportDataError(f"{url}: the answer is {_kind(payload)}, not a page (pageNumber, pageCount, itemList)")
    numbers = {}
    for name in ("pageNumber", "pageSize", "pageCount"):
        number = payload.get(name)
        if isinstance(number, bool) or not isinstance(number, int) or number < 0:
            raise ImportDataError(f"{url}: {name} is {_kind(number)}, not a whole number ≥ 0")
        numbers[name] = number
    items = payload.get("itemList")
    if numbers["pageCount"] == 0:
        if items not in (None, []):
            raise ImportDataError(f"{url}: pageCount is 0 but itemList has {_kind(items)}")
        return Page(numbers["pageNumber"], numbers["pageSize"], 0, [])
    if not isinstance(items, list):
        raise ImportDataError(f"{url}: itemList is {_kind(items)}, not a list (pageCount is {numbers['pageCount']})")
    if numbers["pageNumber"] != asked:
        raise ImportDataError(f"{url}: asked for page {asked}, the answer is page {numbers['pageNumber']}")
    if numbers["pageSize"] and len(items) > numbers["pageSize"]:
        raise ImportDataError(f"{url}: itemList has {len(items)} items, more than pageSize {numbers['pageSize']}")
    return Page(numbers["pageNumber"], numbers["pageSize"], numbers["pageCount"], items)


def pages(client: OutsideClient, path: str, params: dict[str, Any] | None = None) -> Iterator[Page]:
    """Every page of a list endpoint (`page` is 1-based), checking that the list does not change under us."""
    query = {**(params or {}), "page": 1}
    first = read_page(client.get_json(path, query), url=client.url(path, query), asked=1)
    if first.count == 0:
        return
    if first.count > MAX_PAGES:
        raise ImportDataError(f"{client.url(path, query)}: pageCount is {first.count}, more than the {MAX_PAGES} read")
    yield first
    for asked in range(2, first.count + 1):
        query = {**(params or {}), "page": asked}
        page = read_page(client.get_json(path, query), url=client.url(path, query), asked=asked)
        if page.count != first.count:
            raise ImportDataError(
                f"{client.url(path, query)}: pageCount changed from {first.count} to {page.count} while paging; "
                "the list changed during the fetch, try again"
            )
        yield page


def list_items(client: OutsideClient, path: str, params: dict[str, Any] | None = None) -> list[Any]:
    """All items of a list endpoint (GUID pages, code lists, Service/list/organization), page after page."""
    return [item for page in pages(client, path, params) for item in page.items]


# --- organisation records -----------------------------------------------------------------------------------


@dataclass
class OrganisationRecord:
    """What counting needs from one `Organization/{id}` answer."""

    id: str
    name: str
    business_id: str
    ptv_type: str
    municipality_code: str
    parent_id: str
    roles: dict[str, set[str]]  # roleType → distinct service ids
    sub_organisations: list[str]
    where: str


def _kind(value: Any) -> str:
    if value is None:
        return "missing (null)"
    names = {dict: "an object", list: "a list", str: "text", bool: "true/false", int: "a number", float: "a number"}
    shown = json.dumps(value, ensure_ascii=False)
    shown = shown if len(shown) <= 40 else shown[:37] + "..."
    return f"{names.get(type(value), type(value).__name__)} ({shown})"


def _text(record: dict[str, Any], name: str, *, where: str) -> str:
    value = record.get(name)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ImportDataError(f"{where}: {name} is {_kind(value)}, not text")
    return value


def _name(record: dict[str, Any]) -> str:
    names = [
        n for n in record.get("organizationNames") or [] if isinstance(n, dict) and isinstance(n.get("value"), str)
    ]
    for wanted in ({"language": "fi", "type": "Name"}, {"type": "Name"}, {}):
        for name in names:
            if all(name.get(k) == v for k, v in wanted.items()):
                return name["value"]
    return record.get("businessName") or record.get("id") or ""


def read_organisation(payload: Any, *, where: str, asked: str | None = None) -> OrganisationRecord:
    """Validate an organisation record; faults name the record and the field (`services[3].roleType`)."""
    if not isinstance(payload, dict):
        raise ImportDataError(f"{where}: the answer is {_kind(payload)}, not an organisation record")
    organisation_id = _text(payload, "id", where=where)
    if not GUID.match(organisation_id):
        raise ImportDataError(f"{where}: id is {_kind(payload.get('id'))}, not an organisation id")
    if asked and organisation_id.lower() != asked.lower():
        raise ImportDataError(f"{where}: asked for organisation {asked}, the answer is organisation {organisation_id}")
    entries = payload.get("services")
    if entries is None:
        entries = []
    if not isinstance(entries, list):
        raise ImportDataError(f"{where}: services is {_kind(entries)}, not a list")
    roles: dict[str, set[str]] = defaultdict(set)
    for i, entry in enumerate(entries):
        service = entry.get("service") if isinstance(entry, dict) else None
        service_id = service.get("id") if isinstance(service, dict) else None
        if not isinstance(service_id, str) or not service_id:
            raise ImportDataError(f"{where}: services[{i}].service.id is {_kind(service_id)}, not a service id")
        role = entry.get("roleType")
        if not isinstance(role, str) or not role:
            raise ImportDataError(f"{where}: services[{i}].roleType is {_kind(role)}, not a role such as Responsible")
        roles[role].add(service_id.lower())
    municipality = payload.get("municipality")
    if municipality is not None and not isinstance(municipality, dict):
        raise ImportDataError(f"{where}: municipality is {_kind(municipality)}, not an object with a code")
    code = _text(municipality, "code", where=f"{where}: municipality") if municipality else ""
    subs = payload.get("subOrganizations") or []
    if not isinstance(subs, list) or not all(isinstance(s, dict) and GUID.match(str(s.get("id", ""))) for s in subs):
        raise ImportDataError(f"{where}: subOrganizations is {_kind(subs)}, not a list of organisations with ids")
    # v7 calls the parent `parentOrganization`, later versions `parentOrganizationId`.
    parent = payload.get("parentOrganizationId") or payload.get("parentOrganization") or ""
    return OrganisationRecord(
        id=organisation_id.lower(),
        name=_name(payload),
        business_id=_text(payload, "businessCode", where=where),
        ptv_type=_text(payload, "organizationType", where=where),
        municipality_code=code,
        parent_id=str(parent).lower(),
        roles=dict(roles),
        sub_organisations=[str(s["id"]).lower() for s in subs],
        where=where,
    )


def fetch_organisation(client: OutsideClient, organisation_id: str) -> OrganisationRecord:
    path = f"Organization/{organisation_id}"
    return read_organisation(client.get_json(path), where=path, asked=organisation_id)


def organisations_by_business_id(client: OutsideClient, business_id: str) -> list[OrganisationRecord]:
    """Every organisation PTV has under a business id (an empty list when it has none)."""
    path = f"Organization/businesscode/{business_id}"
    payload = client.get_json(path)
    if not isinstance(payload, list):
        raise ImportDataError(f"{path}: the answer is {_kind(payload)}, not a list of organisations")
    records = []
    for i, item in enumerate(payload):
        where = f"{path} [{i}]"
        if isinstance(item, dict) and "services" in item:
            record = read_organisation(item, where=where)
        elif isinstance(item, dict) and isinstance(item.get("id"), str) and GUID.match(item["id"]):
            record = fetch_organisation(client, item["id"])
        else:
            raise ImportDataError(f"{where}: {_kind(item)} is not an organisation with an id")
        if record.business_id and record.business_id != business_id:
            raise ImportDataError(f"{where}: businessCode is {record.business_id}, asked for {business_id}")
        records.append(record)
    return records


@dataclass
class Counted:
    """An organisation and its sub-organisations (all levels), counted together, and where the count goes."""

    root: OrganisationRecord
    members: list[OrganisationRecord]
    kind: str = OrganisationKind.OTHER.value
    area: Area | None = None
    note: str = ""

    def services(self, role: str) -> set[str]:
        return set().union(*(m.roles.get(role, set()) for m in self.members))

    def detail(self, year: int) -> dict[str, Any]:
        roles = sorted({role for m in self.members for role in m.roles})
        return {
            "id": self.root.id,
            "name": self.root.name,
            "business_id": self.root.business_id,
            "ptv_type": self.root.ptv_type,
            "kind": self.kind,
            "municipality_code": self.root.municipality_code,
            "area": f"{self.area.kind}:{self.area.code}" if self.area else None,
            "note": self.note,
            "year": year,
            "responsible": len(self.services(RESPONSIBLE)),
            "producer": len(self.services(PRODUCER)),
            "roles": {role: len(self.services(role)) for role in roles},
            "sub_organisations": [
                {
                    "id": m.id,
                    "name": m.name,
                    "responsible": len(m.roles.get(RESPONSIBLE, set())),
                    "producer": len(m.roles.get(PRODUCER, set())),
                }
                for m in self.members[1:]
            ],
        }


def walk(client: OutsideClient, root: OrganisationRecord, *, known: dict[str, OrganisationRecord]) -> Counted:
    """The organisation and its sub-organisations, fetched level by level; a loop in the tree is walked once."""
    members: list[OrganisationRecord] = []
    seen: set[str] = set()
    queue = [root]
    while queue:
        record = queue.pop(0)
        if record.id in seen:
            continue
        seen.add(record.id)
        members.append(record)
        for sub_id in record.sub_organisations:
            if sub_id not in seen:
                queue.append(known.get(sub_id) or fetch_organisation(client, sub_id))
    for member in members:
        known[member.id] = member
    return Counted(root=root, members=members)


def place(counted: Counted, *, year: int) -> None:
    """Find the organisation's kind and area: an Organisation of Tilannekuva with its business id and an area
    first (the wellbeing services county), then a municipality by its code; otherwise it has no area."""
    record = counted.root
    counted.kind = KIND_OF_PTV_TYPE.get(record.ptv_type, OrganisationKind.OTHER.value)
    ours = None
    if record.business_id:
        ours = (
            Organisation.objects.filter(business_id=record.business_id, area__isnull=False)
            .select_related("area")
            .first()
        )
    if ours is not None:
        counted.kind, area = ours.kind, ours.area
    elif record.ptv_type == "Municipality":
        if not record.municipality_code:
            raise ImportDataError(f"{record.where}: organizationType is Municipality but municipality.code is missing")
        code = record.municipality_code.zfill(3)
        area = Area.objects.filter(kind=AreaKind.MUNICIPALITY, code=code).first()
        if area is None:
            raise ImportDataError(
                f"{record.where}: municipality.code '{record.municipality_code}' is not a municipality of Tilannekuva"
            )
    else:
        counted.note = "no area: counts reported, not stored as observations"
        return
    if area is not None and not Area.objects.filter(valid_in(year), pk=area.pk).exists():
        counted.note = f"{area.name_fi} ({area.code}) does not exist in {year}: counts reported, not stored"
        return
    counted.area = area


# --- the command --------------------------------------------------------------------------------------------


def organisation_ids(text: str) -> list[str]:
    ids = [part.strip().lower() for part in text.split(",") if part.strip()]
    wrong = [i for i in ids if not GUID.match(i)]
    if wrong or not ids:
        raise argparse.ArgumentTypeError(f"'{', '.join(wrong) or text}' is not a PTV organisation id (a GUID)")
    return list(dict.fromkeys(ids))


def business_ids(text: str) -> list[str]:
    ids = [part.strip() for part in text.split(",") if part.strip()]
    wrong = [i for i in ids if not business_id_is_valid(i)]
    if wrong or not ids:
        raise argparse.ArgumentTypeError(
            f"'{', '.join(wrong) or text}' is not a business id (1234567-8 with a valid check digit)"
        )
    return list(dict.fromkeys(ids))


def a_year(text: str) -> int:
    if not text.isdigit() or not 2000 <= int(text) <= 2200:
        raise argparse.ArgumentTypeError(f"'{text}' is not a year")
    return int(text)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument("--organisations", type=organisation_ids, help="PTV organisation ids, comma-separated")
    which.add_argument("--business-ids", type=business_ids, help="business ids (Y-tunnus), comma-separated")
    parser.add_argument("--year", type=a_year, default=None, help="the year the counts are for (default: this year)")
    parser.add_argument("--base-url", default=DEFAULT_BASE_URL, help=f"PTV Open API address ({DEFAULT_BASE_URL})")


@dataclass
class Fetched:
    counted: list[Counted] = field(default_factory=list)
    not_found: list[str] = field(default_factory=list)
    repeated: list[str] = field(default_factory=list)


def fetch(client: OutsideClient, *, organisations: list[str], business: list[str]) -> Fetched:
    """Fetch the asked organisations and their sub-organisations. An asked organisation that is inside another
    asked organisation's tree is counted there, not again on its own."""
    result = Fetched()
    known: dict[str, OrganisationRecord] = {}
    roots: list[OrganisationRecord] = [fetch_organisation(client, i) for i in organisations]
    for business_id in business:
        found = organisations_by_business_id(client, business_id)
        if not found:
            result.not_found.append(business_id)
        ids = {r.id for r in found}
        known.update({r.id: r for r in found})
        roots.extend(r for r in found if r.parent_id not in ids)
    trees: list[Counted] = []
    for root in roots:
        if all(tree.root.id != root.id for tree in trees):
            trees.append(walk(client, root, known=known))
    members = [{m.id for m in tree.members} for tree in trees]
    for i, tree in enumerate(trees):
        # A tree inside another asked tree is counted there; in a loop (each inside the other) the first one stays.
        inside = [j for j, other in enumerate(members) if j != i and tree.root.id in other]
        outer = [j for j in inside if not (trees[j].root.id in members[i] and i < j)]
        if outer:
            result.repeated.append(
                f"{tree.root.name} ({tree.root.id}) is counted as part of {trees[outer[0]].root.name}"
            )
        else:
            result.counted.append(tree)
    return result


def rows_for(fetched: Fetched, *, indicators: dict[str, Indicator], year: int) -> list[ObservationRow]:
    """One row per indicator and area: the distinct services of every organisation placed on that area."""
    by_area: dict[int, list[Counted]] = defaultdict(list)
    for counted in fetched.counted:
        if counted.area is not None:
            by_area[counted.area.pk].append(counted)
    rows = []
    for key, indicator in indicators.items():
        role = INDICATORS[key]["role"]
        for area_id, placed in sorted(by_area.items()):
            count = float(len(set().union(*(c.services(role) for c in placed))))
            rows.append(ObservationRow(indicator.pk, area_id, year, Gender.TOTAL.value, "", count, count))
    return rows


def upsert_indicators(details: dict[str, dict[str, Any]], *, year: int) -> dict[str, Indicator]:
    """Create or update the two indicators, merging this run's per-organisation detail into their metadata
    under the year; saved only when something changed."""
    source = services.source(SOURCE_KEY)
    result = {}
    for key, texts in INDICATORS.items():
        wanted: dict[str, Any] = {
            "title_fi": texts["title_fi"],
            "title_en": texts["title_en"],
            "description_fi": texts["description_fi"],
            "unit": "kpl",
            "decimals": 0,
            "direction": Direction.HIGHER_IS_BETTER.value,
            "organisation": "Digi- ja väestötietovirasto (Palvelutietovaranto)",
            "licence": services.KNOWN_SOURCES[SOURCE_KEY]["licence"],
        }
        indicator = Indicator.objects.filter(source=source, external_id=key).first()
        metadata = dict(indicator.metadata) if indicator else {}
        years = dict(metadata.get("years", {}))
        years[str(year)] = {**years.get(str(year), {}), **details}
        wanted["metadata"] = {**metadata, "counting": COUNTING, "role": texts["role"], "years": years}
        if indicator is None:
            indicator = Indicator.objects.create(source=source, external_id=key, **wanted)
        else:
            changed = [name for name, value in wanted.items() if getattr(indicator, name) != value]
            if changed:
                for name in changed:
                    setattr(indicator, name, wanted[name])
                indicator.save(update_fields=changed)
        result[key] = indicator
    return result


def record_year_span(indicator: Indicator) -> None:
    span = Observation.objects.filter(indicator=indicator).aggregate(first=Min("year"), last=Max("year"))
    if (indicator.first_year, indicator.last_year) != (span["first"], span["last"]):
        indicator.first_year, indicator.last_year = span["first"], span["last"]
        indicator.save(update_fields=["first_year", "last_year"])


def by_kind(fetched: Fetched) -> dict[str, dict[str, int]]:
    """Per organisation kind: how many organisations, and their distinct services as Responsible and Producer."""
    groups: dict[str, list[Counted]] = defaultdict(list)
    for counted in fetched.counted:
        groups[counted.kind].append(counted)
    return {
        kind: {
            "organisations": len(group),
            "responsible": len(set().union(*(c.services(RESPONSIBLE) for c in group))),
            "producer": len(set().union(*(c.services(PRODUCER) for c in group))),
        }
        for kind, group in sorted(groups.items())
    }


def summary(fetched: Fetched, *, year: int) -> str:
    lines = [f"PTV service descriptions in {year} (distinct services as Responsible / as Producer):"]
    for counted in fetched.counted:
        root = counted.root
        subs = f", with {len(counted.members) - 1} sub-organisations" if len(counted.members) > 1 else ""
        where = f"→ {counted.area.name_fi}" if counted.area else f"({counted.note})"
        lines.append(
            f"  {root.name} ({root.business_id or 'no business id'}, {root.ptv_type or 'no type'}{subs}): "
            f"{len(counted.services(RESPONSIBLE))} / {len(counted.services(PRODUCER))} {where}"
        )
    for kind, totals in by_kind(fetched).items():
        lines.append(
            f"  by kind, {kind}: {totals['organisations']} organisations, "
            f"{totals['responsible']} / {totals['producer']} distinct services"
        )
    lines.extend(
        f"  {business_id}: PTV has no organisation with this business id; no count" for business_id in fetched.not_found
    )
    lines.extend(f"  {note}" for note in fetched.repeated)
    return "\n".join(lines)


def run(options: dict[str, Any], stdout: TextIO) -> ImportRun:
    year = options.get("year") or timezone.localdate().year
    organisations = options.get("organisations") or []
    business = options.get("business_ids") or []
    parameters = {"organisations": organisations, "business_ids": business, "year": year}
    report: list[str] = []

    with OutsideClient(options.get("base_url") or DEFAULT_BASE_URL, name="PTV (Palvelutietovaranto)") as client:

        def work(import_run: ImportRun) -> Counts:
            fetched = fetch(client, organisations=organisations, business=business)
            for counted in fetched.counted:
                place(counted, year=year)
            details = {c.root.id: c.detail(year) for c in fetched.counted}
            payload = {
                "year": year,
                "organisations": list(details.values()),
                "by_kind": by_kind(fetched),
                "not_found": fetched.not_found,
                "answers": {url: client.cache[url].text for url in sorted(client.cache)},
            }
            services.keep_payload(import_run, json.dumps(payload, ensure_ascii=False, sort_keys=True).encode())
            indicators = upsert_indicators(details, year=year)
            rows = services.check_unique(
                rows_for(fetched, indicators=indicators, year=year),
                describe=lambda r: f"area id {r.area_id}, year {r.year}",
            )
            counts = services.write_observations(rows, run=import_run)
            for indicator in indicators.values():
                record_year_span(indicator)
            report.append(summary(fetched, year=year))
            return counts

        import_run = services.run_import(source_key=SOURCE_KEY, url=client.url(""), parameters=parameters, work=work)
    for line in report:
        stdout.write(line)
    return import_run
