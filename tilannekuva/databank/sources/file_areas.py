"""Finding the area a file's row names, by Statistics Finland code ("491", "maakunta:10", "FI") or by name."""

from collections.abc import Iterable
from dataclasses import dataclass

from tilannekuva.regions.models import Area, AreaKind

AREA_KINDS = {
    "kunta": AreaKind.MUNICIPALITY.value,
    "municipality": AreaKind.MUNICIPALITY.value,
    "maakunta": AreaKind.MAAKUNTA.value,
    "hyvinvointialue": AreaKind.WELLBEING_SERVICES_COUNTY.value,
    "wellbeing_services_county": AreaKind.WELLBEING_SERVICES_COUNTY.value,
    "seutukunta": AreaKind.SEUTUKUNTA.value,
    "maa": AreaKind.COUNTRY.value,
    "country": AreaKind.COUNTRY.value,
}
CODE_WIDTH = {
    AreaKind.MUNICIPALITY.value: 3,
    AreaKind.MAAKUNTA.value: 2,
    AreaKind.WELLBEING_SERVICES_COUNTY.value: 2,
    AreaKind.SEUTUKUNTA.value: 3,
}
COUNTRY_CODE = "FI"
COUNTRY_CODES = {"fi", "sss"}  # SSS: Statistics Finland's code for the whole country
# A bare name means the first kind that has an area of that name: "Mikkeli" is the municipality, not the seutukunta.
NAME_ORDER = (
    AreaKind.MUNICIPALITY.value,
    AreaKind.MAAKUNTA.value,
    AreaKind.WELLBEING_SERVICES_COUNTY.value,
    AreaKind.SEUTUKUNTA.value,
    AreaKind.COUNTRY.value,
)


@dataclass(frozen=True)
class KnownArea:
    """An area as the reader needs it: its key, names and the years in which it exists."""

    pk: int
    kind: str
    code: str
    names: tuple[str, ...]
    valid_from: int | None = None
    valid_to: int | None = None

    def exists_in(self, year: int) -> bool:
        return (self.valid_from is None or self.valid_from <= year) and (self.valid_to is None or year <= self.valid_to)

    def describe(self) -> str:
        return f"{self.names[0]} ({self.kind} {self.code})"

    def span(self) -> str:
        if self.valid_from is None:
            return f"up to {self.valid_to}"
        if self.valid_to is None:
            return f"from {self.valid_from}"
        return f"{self.valid_from}–{self.valid_to}"


class AreaIndex:
    """Finds an area by Statistics Finland code ("491", "maakunta:10", "FI") or by name ("Mikkeli")."""

    def __init__(self, areas: Iterable[KnownArea]):
        self.by_code: dict[tuple[str, str], KnownArea] = {}
        self.by_name: dict[str, list[KnownArea]] = {}
        for area in areas:
            self.by_code[(area.kind, area.code)] = area
            for name in {n.casefold() for n in area.names if n}:
                self.by_name.setdefault(name, []).append(area)

    @classmethod
    def from_database(cls) -> "AreaIndex":
        rows = Area.objects.values_list("pk", "kind", "code", "name_fi", "name_sv", "name_en", "valid_from", "valid_to")
        return cls(
            KnownArea(pk, kind, code, (fi, sv, en), start, end) for pk, kind, code, fi, sv, en, start, end in rows
        )

    def find(self, text: str, *, kind: str | None = None) -> KnownArea:
        """The area named by `text`, of `kind` when given; LookupError with a message for the user otherwise."""
        wanted = text.strip()
        if not wanted:
            raise LookupError("empty; every row needs an area")
        prefix, colon, rest = wanted.partition(":")
        prefixed = AREA_KINDS.get(prefix.strip().casefold()) if colon else None
        if prefixed:  # otherwise the colon is part of a name, as in "S:t Michel"
            if kind and kind != prefixed:
                raise LookupError(f"'{wanted}' is a {prefixed}, but the row's area kind says {kind}")
            kind, wanted = prefixed, rest.strip()
        code = self._code(wanted, kind)
        if code:
            found = self.by_code.get(code)
            if found is None:
                raise LookupError(f"no area '{text.strip()}'")
            return found
        candidates = [a for a in self.by_name.get(wanted.casefold(), []) if kind is None or a.kind == kind]
        if not candidates:
            raise LookupError(f"no area '{text.strip()}'")
        first_kind = min((a.kind for a in candidates), key=_name_rank)
        chosen = [a for a in candidates if a.kind == first_kind]
        if len(chosen) > 1:
            codes = ", ".join(a.code for a in chosen)
            raise LookupError(f"'{wanted}' names several areas ({first_kind} {codes}); give the code instead")
        return chosen[0]

    @staticmethod
    def _code(text: str, kind: str | None) -> tuple[str, str] | None:
        """(kind, code) when `text` is a code: digits are a municipality unless a kind says otherwise."""
        if text.isascii() and text.isdigit():
            kind = kind or AreaKind.MUNICIPALITY.value
            return kind, str(int(text)).zfill(CODE_WIDTH.get(kind, 0))
        if text.casefold() in COUNTRY_CODES and kind in (None, AreaKind.COUNTRY.value):
            return AreaKind.COUNTRY.value, COUNTRY_CODE
        return None


def _name_rank(kind: str) -> int:
    return NAME_ORDER.index(kind) if kind in NAME_ORDER else len(NAME_ORDER)
