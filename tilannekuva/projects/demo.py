"""The projects part of the demo: two real projects of the seeds, with the facts the seeds give (schedule, budget,
funder) and the source named; an example risk marked DEMO (the seeds analyse no risks). Idempotent."""

import datetime
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from tilannekuva.regions.models import OrganisationKind, Region
from tilannekuva.strategy.selectors import version_in_force

from .models import Funding, Milestone, Project, ProjectStatus, Risk

D = datetime.date
PROJECTS: list[dict[str, Any]] = [
    {
        "region": "etela-savo",
        "name": "Hyvinvointitiedolla johtaminen 2.0 – Kohti yhteistä hyte-johtamista",
        "description": (
            "Etelä-Savon yhteinen toiminnallinen tietopankki (kansalliset hyte-indikaattorit, hyte-kertomustieto ja "
            "kumppanuusstrategian hyte-tavoitteet yhdeksi näkymäksi), hyvinvointimittariston pilotointi sekä "
            "tietoon pohjautuva malli järjestöavustusten jakamiseen."
        ),
        "goal_key": "yhteisen-tiedon-jakaminen-ja-tilannekuva",
        "group_key": "hyte-tyoryhma",
        "county": True,
        "starts_on": D(2025, 1, 1),
        "ends_on": D(2026, 12, 31),
        "budget": Decimal("200000"),
        "status": ProjectStatus.APPLIED,
        "source": (
            "Seed 002: kunnanhallituksen päätös 5.6.2024 § 157 (hankebudjetti noin 200 000 €, haetaan vuosille "
            "2025–2026, hyvinvointialue hakee ja hallinnoi); tila lähteen mukaan"
        ),
        "funding": [
            (
                "STM:n terveyden edistämisen hankerahoitus (THL koordinoi)",
                Decimal("200000"),
                False,
                "Koko hankebudjetti; omarahoitusosuus laskennallinen, työsuoritteina (seed 002)",
            )
        ],
        "milestones": [
            ("Hankehaku päättyy", D(2024, 6, 14)),
            ("Hankepäätökset (loppuvuodesta)", D(2024, 12, 31)),
            ("Hanke päättyy", D(2026, 12, 31)),
        ],
        "risk": (
            "DEMO: Hankerahoitusta ei myönnetä (esimerkkiriski)",
            3,
            4,
            "DEMO: Tietopankin ydin rakennetaan kumppanien omin resurssein; haetaan seuraavalla kierroksella.",
        ),
    },
    {
        "region": "pohjois-savo",
        "name": "RRP Arjen ilo ja tuki -hanke",
        "description": (
            "Hyvinvoinnin ja terveyden edistämisen monialaisen palvelukonseptin kehittäminen ja käyttöönotto "
            "Pohjois-Savossa (Kestävää hyvinvointia Pohjois-Savoon -hankekokonaisuus, pilari 4, investointi 2)."
        ),
        "action_key": "a-palvelujen-loytaminen",
        "county": True,
        "starts_on": D(2023, 1, 1),
        "ends_on": D(2025, 12, 31),
        "budget": Decimal("1048000"),
        "status": ProjectStatus.IN_PROGRESS,
        "source": (
            "Seed 001: Yhdyspintasuunnitelma 2030 (rahoitus 1,048 milj. € vuosille 2023–2025); tila lähteen mukaan"
        ),
        "funding": [("Kestävän kasvun ohjelma (RRP), pilari 4, investointi 2", Decimal("1048000"), True, "")],
        "milestones": [("Hanke päättyy", D(2025, 12, 31))],
    },
]


def load_demo_data(*, password: str) -> Iterator[str]:
    made = 0
    for spec in PROJECTS:
        region = Region.objects.filter(slug=spec["region"]).first()
        if region is None or Project.objects.filter(region=region, name=spec["name"]).exists():
            continue
        version = version_in_force(region)
        lead = None
        if spec.get("county") and version is not None:
            partner = version.partners.filter(organisation__kind=OrganisationKind.WELLBEING_SERVICES_COUNTY).first()
            lead = partner.organisation if partner else None
        project = Project(
            region=region,
            name=spec["name"],
            description=spec["description"],
            goal_key=spec.get("goal_key", ""),
            action_key=spec.get("action_key", ""),
            group_key=spec.get("group_key", ""),
            lead=lead,
            starts_on=spec["starts_on"],
            ends_on=spec["ends_on"],
            budget=spec["budget"],
            status=spec["status"],
            source=spec["source"],
        )
        project.full_clean()
        project.save()
        for funder, amount, confirmed, note in spec["funding"]:
            Funding.objects.create(project=project, funder=funder, amount=amount, confirmed=confirmed, note=note)
        for title, due in spec["milestones"]:
            Milestone.objects.create(project=project, title=title, due=due)
        if "risk" in spec:
            title, likelihood, impact, measures = spec["risk"]
            Risk.objects.create(
                project=project, title=title, likelihood=likelihood, impact=impact, measures=measures, owner="DEMO"
            )
        made += 1
    yield f"Projects: {made} added from seeds 001 and 002."
