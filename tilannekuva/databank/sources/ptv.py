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
in the run summary. Every run fetches everything again; nothing is cached between runs. PTV's answers (pages,
organisation records) are read and checked in `ptv_api.py`.
"""

import argparse
import json
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from tilannekuva.core.http import OutsideClient
from tilannekuva.databank import services
from tilannekuva.databank.models import Direction, Gender, Indicator
from tilannekuva.databank.services import ImportDataError, ObservationRow
from tilannekuva.regions.models import Area, AreaKind, Organisation, OrganisationKind, valid_in
from tilannekuva.regions.validators import business_id_is_valid

from .base import Context, ImportSource, Parsed, comma_list, save_indicator
from .ptv_api import GUID, OrganisationRecord, fetch_organisation, organisations_by_business_id

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
# PTV's organisation types as its Open API (v9 and later) documents them: "State, Municipality, RegionalOrganization,
# Organization, Company, SotePublic, SotePrivate, Region" (VmOpenApiOrganization.organizationType). "Organization"
# is PTV's type for associations and communities (järjestöt). Region is the self-governing region, i.e. the
# wellbeing services county (PTV's own conversion for older API versions turns it into Municipality, a local
# self-government); SotePublic a public social and health care organisation (converted to RegionalOrganization: a
# public body); SotePrivate a private social and health care provider (converted to Organization; counted here as a
# company, since most private providers are companies, so that the associations' metric does not count them).
KIND_OF_PTV_TYPE = {
    "Municipality": OrganisationKind.MUNICIPALITY.value,
    "State": OrganisationKind.PUBLIC_BODY.value,
    "RegionalOrganization": OrganisationKind.PUBLIC_BODY.value,
    "Organization": OrganisationKind.ASSOCIATION.value,
    "Company": OrganisationKind.COMPANY.value,
    "SotePublic": OrganisationKind.PUBLIC_BODY.value,
    "SotePrivate": OrganisationKind.COMPANY.value,
    "Region": OrganisationKind.WELLBEING_SERVICES_COUNTY.value,
}


# --- counting ------------------------------------------------------------------------------------------------


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
    county = None
    if ours is None and record.ptv_type == "Region" and record.name:
        # No Organisation of Tilannekuva carries its business id: a county is then known by its exact name.
        county = Area.objects.filter(kind=AreaKind.WELLBEING_SERVICES_COUNTY, name_fi=record.name).first()
    if ours is not None:
        counted.kind, area = ours.kind, ours.area
    elif county is not None:
        area = county
        counted.note = "placed by its name (no business id known in Tilannekuva)"
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
    ids = [part.lower() for part in comma_list(text)]
    wrong = [i for i in ids if not GUID.match(i)]
    if wrong or not ids:
        raise argparse.ArgumentTypeError(f"'{', '.join(wrong) or text}' is not a PTV organisation id (a GUID)")
    return list(dict.fromkeys(ids))


def business_ids(text: str) -> list[str]:
    ids = comma_list(text)
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
        result[key] = save_indicator(source, key, wanted)
    return result


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
        where += f" ({counted.note})" if counted.area and counted.note else ""
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


@dataclass(frozen=True)
class PtvOptions:
    """`tilannekuva import ptv ...`, parsed; the year is this year unless one is given."""

    organisations: list[str] = field(default_factory=list)
    business_ids: list[str] = field(default_factory=list)
    year: int = field(default_factory=lambda: timezone.localdate().year)
    base_url: str = DEFAULT_BASE_URL


class PtvSource(ImportSource[PtvOptions]):
    name = "ptv"
    help = "PTV: service descriptions published by municipalities, the wellbeing services county and associations."
    source_key = SOURCE_KEY
    options_type = PtvOptions

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--organisations", type=organisation_ids, help="PTV organisation ids, comma-separated")
        which.add_argument("--business-ids", type=business_ids, help="business ids (Y-tunnus), comma-separated")
        parser.add_argument(
            "--year", type=a_year, default=None, help="the year the counts are for (default: this year)"
        )
        parser.add_argument("--base-url", default=DEFAULT_BASE_URL, help=f"PTV Open API address ({DEFAULT_BASE_URL})")

    def parameters(self, options: PtvOptions) -> dict[str, Any]:
        return {"organisations": options.organisations, "business_ids": options.business_ids, "year": options.year}

    def connect(self, options: PtvOptions) -> OutsideClient:
        return OutsideClient(options.base_url, name="PTV (Palvelutietovaranto)")

    def address(self, options: PtvOptions, client: OutsideClient) -> str:
        return client.url("")

    def fetch(self, context: Context[PtvOptions]) -> Fetched:
        """The organisations and their trees, placed on their areas; every answer is kept on the run."""
        options, client = context.options, context.client
        fetched = fetch(client, organisations=options.organisations, business=options.business_ids)
        for counted in fetched.counted:
            place(counted, year=options.year)
        payload = {
            "year": options.year,
            "organisations": [c.detail(options.year) for c in fetched.counted],
            "by_kind": by_kind(fetched),
            "not_found": fetched.not_found,
            "answers": {url: client.cache[url].text for url in sorted(client.cache)},
        }
        context.keep(json.dumps(payload, ensure_ascii=False, sort_keys=True).encode())
        return fetched

    def parse(self, fetched: Fetched, context: Context[PtvOptions]) -> Parsed:
        year = context.options.year
        details = {c.root.id: c.detail(year) for c in fetched.counted}
        indicators = upsert_indicators(details, year=year)
        context.say(summary(fetched, year=year))
        return Parsed(
            rows=rows_for(fetched, indicators=indicators, year=year),
            describe=lambda r: f"area id {r.area_id}, year {r.year}",
            spans=list(indicators.values()),
        )


SOURCE = PtvSource()
