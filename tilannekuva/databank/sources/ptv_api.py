"""PTV's Open API as Tilannekuva reads it: the pages of its list endpoints and its organisation records, checked
so that every fault names the answer and the field (`services[3].roleType`)."""

import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from tilannekuva.core.http import OutsideClient
from tilannekuva.databank.services import ImportDataError

from .base import describe_value as _kind

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
