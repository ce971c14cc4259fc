"""Observations as a JSON-stat 2.0 dataset (https://json-stat.org/format/): dimensions indicator × area × year ×
gender, the licence and sources in `source` and `extension`."""

from typing import Any

from django.utils import timezone

from tilannekuva.databank.exports import plain_number
from tilannekuva.databank.models import Gender, Observation

GENDER_LABELS = {"total": "Yhteensä", "male": "Miehet", "female": "Naiset"}


def dataset(found: list[Observation], *, meta: dict[str, Any], label: str, links: dict[str, str]) -> dict[str, Any]:
    indicators: dict[str, Any] = {}
    areas: dict[str, Any] = {}
    years: set[int] = set()
    genders: set[str] = set()
    for o in found:
        indicators.setdefault(f"{o.indicator.source.key}:{o.indicator.external_id}", o.indicator)
        areas.setdefault(f"{o.area.kind}:{o.area.code}", o.area)
        years.add(o.year)
        genders.add(o.gender)
    indicator_ids = sorted(indicators)
    area_ids = sorted(areas)
    year_ids = [str(y) for y in sorted(years)]
    gender_ids = [g for g in Gender.values if g in genders]
    size = [len(indicator_ids), len(area_ids), len(year_ids), len(gender_ids)]
    position = {
        "indicator": {k: i for i, k in enumerate(indicator_ids)},
        "area": {k: i for i, k in enumerate(area_ids)},
        "year": {k: i for i, k in enumerate(year_ids)},
        "gender": {k: i for i, k in enumerate(gender_ids)},
    }
    # Sparse values as an object {flat index: value}: the cube of a page is mostly empty across areas and years.
    values: dict[str, float | int | None] = {}
    for o in found:
        if o.classification:
            continue  # one dataset cell per indicator, area, year and gender: classified rows are in JSON and CSV
        i = position["indicator"][f"{o.indicator.source.key}:{o.indicator.external_id}"]
        a = position["area"][f"{o.area.kind}:{o.area.code}"]
        y = position["year"][str(o.year)]
        g = position["gender"][o.gender]
        flat = ((i * size[1] + a) * size[2] + y) * size[3] + g
        values[str(flat)] = plain_number(o.value)
    units = {
        key: {"label": indicator.unit or "", "decimals": indicator.decimals if indicator.decimals is not None else 2}
        for key, indicator in indicators.items()
    }
    return {
        "version": "2.0",
        "class": "dataset",
        "label": label,
        "source": "; ".join(s["attribution"] for s in meta["sources"]),
        "updated": timezone.now().replace(microsecond=0).isoformat(),
        "id": ["indicator", "area", "year", "gender"],
        "size": size,
        "role": {"time": ["year"], "geo": ["area"], "metric": ["indicator"]},
        "dimension": {
            "indicator": {
                "label": "Indikaattori",
                "category": {
                    "index": position["indicator"],
                    "label": {k: indicators[k].title_fi for k in indicator_ids},
                    "unit": units,
                },
            },
            "area": {
                "label": "Alue",
                "category": {"index": position["area"], "label": {k: areas[k].name_fi for k in area_ids}},
            },
            "year": {"label": "Vuosi", "category": {"index": position["year"]}},
            "gender": {
                "label": "Sukupuoli",
                "category": {"index": position["gender"], "label": {k: GENDER_LABELS[k] for k in gender_ids}},
            },
        },
        "value": values,
        "link": {"alternate": [{"type": "application/json", "href": links["json"]}]},
        "extension": {"licence": meta["licence"], "sources": meta["sources"]},
    }
