"""The co-operation part of the demo.

- Pohjois-Savo's counterpart pairs, drawn from seed 001's descriptions of the interfaces' structures (role titles
  only, each with the passage it comes from). Where the seed names no pair for a level, none is made: the matrix
  shows the gap, as the plan itself sets finding the pairs as an action for 2023–2025.
- Etelä-Savo's agreements register: an agreement for each partnership table of seed 003. The seed says only that
  written agreements were sought for each sub-region ("kullakin seudulla pyritään saamaan tästä aikaan
  kirjalliset sopimukset"); these agreements, their dates and parties are invented EXAMPLES, marked as demo data
  (`Agreement.demo`) on every page that shows them.

Idempotent: a second run changes nothing."""

import datetime
from collections.abc import Iterator
from dataclasses import dataclass

from django.db import transaction

from tilannekuva.dashboard.selectors import default_year
from tilannekuva.regions.models import Area, AreaKind, Organisation, OrganisationKind, Region
from tilannekuva.strategy.models import AgreementKind
from tilannekuva.strategy.selectors import version_in_force

from .models import Agreement, AgreementStatus, CounterpartPair

SEED_001 = "Pohjois-Savon yhdyspintasuunnitelma 2030 (2023)"
PAIRS_FROM = 2023  # the plan's year: the structures it describes are those of 2023


@dataclass(frozen=True)
class SeedPair:
    interface: str
    level: str
    first_role: str
    second_role: str
    source: str
    client_path: str = ""
    municipality: str = ""  # a Statistics Finland code where the seed names the municipality


PAIRS = [
    SeedPair(
        "hyte-yhdyspinta",
        "johdon-taso",
        "kunnan edustaja vuosittaisissa HYTE-neuvotteluissa",
        "Hyte- ja osallisuuspalvelualueen hyvinvointikoordinaattorit",
        "a. HYTE-neuvottelukunta ja vuosittaiset lakisääteiset neuvottelut: jokaisesta kunnasta on edustaja "
        "neuvotteluissa; toiminnasta vastaavat hyte- ja osallisuuspalvelualueen hyvinvointikoordinaattorit.",
    ),
    SeedPair(
        "hyte-yhdyspinta",
        "yhdyspintataso",
        "kunnan nimetty hyte-yhdyshenkilö",
        "hyvinvointialueen nimeämä edustaja kunnan hyte-työryhmässä",
        "a. Kuntien HYTE-työryhmät: jokaisella kunnalla on monialainen hyte-työryhmä ja nimetty yhdyshenkilö; "
        "hyvinvointialue nimeää edustajansa kunnan hyte-työryhmään.",
    ),
    SeedPair(
        "hyte-yhdyspinta",
        "osallistumisen-taso",
        "kuntien vaikuttamistoimielinten vastaavat toimijat",
        "nuorisovaltuuston ohjaaja; vanhus- ja vammaisasiahenkilö",
        "a. Osallisuus ja järjestöyhteistyö: hyvinvointialueen vaikuttamistoimielinten sekä kuntien vastaavien "
        "yhteistyön vahvistaminen.",
    ),
    SeedPair(
        "sivistys-sote-yhdyspinta",
        "yhdyspintataso",
        "opetuksen ja koulutuksen järjestäjien edustajat",
        "perhepalvelujen palveluyksikköjohtaja (vetovastuu)",
        "b. Alueellinen opiskeluhuollon yhteistyöryhmä: hyvinvointialueen, kuntien sekä muiden opetuksen ja "
        "koulutuksen järjestäjien yhteistyöryhmä; vetovastuu perhepalvelujen palveluyksikköjohtajalla.",
    ),
    SeedPair(
        "sivistys-sote-yhdyspinta",
        "yhdyspintataso",
        "kohtaamispaikkaverkoston omistaja (kunta)",
        "perhekeskuksen alue-lähiesihenkilö",
        "b. Perhekeskusverkostot ja kuntien kohtaamispaikkaverkostot: kohtaamispaikkaverkoston omistajuus on "
        "kunnalla; perhekeskusverkoston käynnistymisestä vastaa alue-lähiesihenkilö.",
    ),
    SeedPair(
        "sivistys-sote-yhdyspinta",
        "arjen-taso",
        "rehtori tai muu toiminnasta vastaava johtaja (opiskeluhuoltoryhmä)",
        "koulu- ja opiskeluterveydenhuollon sekä psykologi- ja kuraattoripalvelujen ammattilaiset",
        "b. Koulujen ja toisen asteen oppilaitosten opiskeluhuoltoryhmät.",
    ),
    SeedPair(
        "tyollisyys-yhdyspinta",
        "johdon-taso",
        "kuntien edustajat TYP:n alueellisissa johtoryhmissä (Varkauden, Kuopion ja Ylä-Savon alueet)",
        "työikäisten sosiaalipalvelujen alue-esihenkilöt; Kuopion TYP-johtoryhmässä palveluyksikköjohtaja",
        "c. TYP:n alueelliset johtoryhmät.",
    ),
    SeedPair(
        "tyollisyys-yhdyspinta",
        "yhdyspintataso",
        "kunnan nimeämä työllisyyden edistämisestä vastaava henkilö",
        "työikäisten sosiaalipalvelujen alue-esihenkilö (kuntouttavat sosiaalipalvelut)",
        "c. Hyvinvointialueen rakenteet yhdyspinnalla: kunta nimeää työllisyyden edistämisestä vastaavan "
        "henkilön; tarvittavista palvelutehtävistä nimetään vastinpari työskentelyyn.",
        client_path="tyoikaisten-sosiaalipalvelut",
    ),
    *(
        SeedPair(
            "kotoutuminen-yhdyspinta",
            "arjen-taso",
            "maahanmuuttokoordinaattori",
            "alueyksikön aluelähiesihenkilö (yhteyshenkilö)",
            "d. Yhteistyö yksilön asiakaspolulla: yhteyshenkilöinä hyvinvointialueen alueyksiköiden "
            "aluelähiesihenkilöt; suunnitelman tekijöinä maahanmuuttokoordinaattorit Varkaudesta, Kuopiosta "
            "sekä Iisalmesta.",
            municipality=code,
        )
        for code in ("915", "297", "140")
    ),
    SeedPair(
        "turvallisuus-yhdyspinta",
        "johdon-taso",
        "kuntien edustajat Pohjois-Savon valmiustoimikunnassa",
        "hyvinvointialuejohtaja (valmiustoimikunnan puheenjohtaja)",
        "e. Pohjois-Savon valmiustoimikunta.",
    ),
    SeedPair(
        "turvallisuus-yhdyspinta",
        "yhdyspintataso",
        "kuntien edustajat varautumisverkostossa",
        "pelastuslaitos",
        "e. Kuntien ja pelastuslaitoksen yhteistyöryhmä (varautumisverkosto).",
    ),
    SeedPair(
        "turvallisuus-yhdyspinta",
        "arjen-taso",
        "kuntien rakentamisen, kaavoituksen ja ympäristöterveydenhuollon toimijat",
        "pelastuslaitoksen asiantuntijapalvelut",
        "e. Pohjois-Savon pelastustoimi: arjen yhteistyö pelastuslaitoksen ja kuntien kesken.",
    ),
]

DEMO_AGREEMENT_SOURCE = (
    "DEMOAINEISTO (esimerkki, ei todellinen sopimus). Kumppanuuspöytä-hankkeen kuvauksen (ESR S11557, 2010–2012) "
    "mukaan kullakin seudulla pyrittiin saamaan aikaan kirjalliset sopimukset; tätä sopimusta, sen päivämääriä "
    "ja osapuolia ei ole lähteessä."
)
TABLES = [
    ("kumppanuuspoyta-mikkeli", "101", "Mikkelin seudun", datetime.date(2012, 3, 15)),
    ("kumppanuuspoyta-savonlinna", "103", "Savonlinnan seudun", datetime.date(2012, 3, 22)),
    ("kumppanuuspoyta-pieksamaki", "105", "Pieksämäen seudun", datetime.date(2012, 4, 12)),
]


def load_demo_data(*, password: str) -> Iterator[str]:
    pohjois_savo = Region.objects.filter(slug="pohjois-savo").first()
    if pohjois_savo is not None:
        yield _seed_pairs(pohjois_savo)
    etela_savo = Region.objects.filter(slug="etela-savo").first()
    if etela_savo is not None:
        yield _example_agreements(etela_savo)


@transaction.atomic
def _seed_pairs(region: Region) -> str:
    if CounterpartPair.objects.filter(region=region).exists():
        return f"Counterpart pairs of {region} already there."
    county = Organisation.objects.get(kind=OrganisationKind.WELLBEING_SERVICES_COUNTY, area__code="13")
    for pair in PAIRS:
        municipality = (
            Organisation.objects.get(kind=OrganisationKind.MUNICIPALITY, area__code=pair.municipality)
            if pair.municipality
            else None
        )
        CounterpartPair.objects.create(
            region=region,
            interface_key=pair.interface,
            level_key=pair.level,
            client_path_key=pair.client_path,
            area=municipality.area if municipality else None,
            first_organisation=municipality,
            first_role=pair.first_role,
            second_organisation=county,
            second_role=pair.second_role,
            valid_from=PAIRS_FROM,
            source=f"{SEED_001}, {pair.source}",
        )
    return f"Counterpart pairs of {region}: {len(PAIRS)} drawn from seed 001 (role titles only)."


@transaction.atomic
def _example_agreements(region: Region) -> str:
    if Agreement.objects.filter(region=region, demo=True).exists():
        return f"Example agreements of {region} already there."
    version = version_in_force(region, default_year())
    if version is None:
        return f"No strategy of {region}: no example agreements."
    made = 0
    for group_key, code, place, signed in TABLES:
        table = version.groups.filter(key=group_key).first()
        if table is None:
            continue
        agreement = Agreement.objects.create(
            region=region,
            kind=AgreementKind.PARTNERSHIP_AGREEMENT,
            title=f"{place} kumppanuuspöydän yhteistyösopimus (esimerkki)",
            area=Area.objects.get(kind=AreaKind.SEUTUKUNTA, code=code),
            group_key=group_key,
            status=AgreementStatus.SIGNED,
            signed_on=signed,
            valid_from=signed,
            source=DEMO_AGREEMENT_SOURCE,
            demo=True,
        )
        agreement.parties.set(table.member_organisations.all())  # the table's members in the strategy
        made += 1
    return f"Agreements register of {region}: {made} EXAMPLE agreements (demo data), one per partnership table."
