"""The statement-round part of the demo: Keski-Uusimaa's draft strategy (seed 004: "Strategialuonnos lausunnolle
tärkeimmille kumppaneille") sent to its partners, with one example statement from the county's demo editor
`demo-lausuja`. The round and the statement are marked DEMO; the seed gives no statement texts. Idempotent."""

import datetime
from collections.abc import Iterator

from django.contrib.auth import get_user_model
from django.utils import timezone

from tilannekuva.regions.models import OrganisationKind, Region, RegionRole, RoleKind

from . import selectors, services
from .models import StatementRound

DEMO_REGION = "keski-uusimaa"
DEMO_EDITOR = "demo-lausuja"
INSTRUCTIONS = (
    "Strategiaprosessin aikataulussa (seed 004, Keski-Uudenmaan hyvinvointialue 15.6.2022) strategialuonnos "
    "lähetetään lausunnolle tärkeimmille kumppaneille ennen aluehallituksen ja aluevaltuuston käsittelyä. "
    "DEMO: kierroksen päivämäärät ja lausunnon teksti ovat esimerkkejä."
)


def load_demo_data(*, password: str) -> Iterator[str]:
    region = Region.objects.filter(slug=DEMO_REGION).first()
    drafts = selectors.draft_versions(region) if region is not None else []
    draft = drafts[0] if drafts else None
    admin = get_user_model().objects.filter(is_superuser=True).order_by("pk").first()
    if region is None or draft is None or admin is None:
        return
    if StatementRound.objects.filter(version=draft).exists():
        yield f"Statement round of {region} {draft.year} already sent."
        return
    partners = [p.organisation for p in draft.partners.select_related("organisation").order_by("position")]
    statement_round = services.open_round(
        version=draft,
        user=admin,
        title="Strategialuonnos lausunnolle tärkeimmille kumppaneille (DEMO)",
        instructions=INSTRUCTIONS,
        deadline=timezone.localdate() + datetime.timedelta(days=21),
        organisations=partners,
        demo=True,
    )
    county = next((o for o in partners if o.kind == OrganisationKind.WELLBEING_SERVICES_COUNTY), None)
    if county is not None:
        editor, _created = get_user_model().objects.get_or_create(
            username=DEMO_EDITOR, defaults={"email": f"{DEMO_EDITOR}@localhost"}
        )
        editor.set_password(password)
        editor.save()
        RegionRole.objects.get_or_create(user=editor, region=region, role=RoleKind.EDITOR, organisation=county)
        goal = draft.goals.order_by("position").first()
        services.give_statement(
            request=statement_round.requests.get(organisation=county),
            user=editor,
            goal=goal,
            text="DEMO: esimerkkilausunto. Tavoitteelle toivotaan mittari, jota seurataan vuosittain.",
        )
    yield (
        f"Statement round of {region} {draft.year} sent to {len(partners)} partners (DEMO); "
        f"the county's demo editor: {DEMO_EDITOR}."
    )
