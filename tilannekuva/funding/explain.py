"""The calculator's steps in the statutes' own words (quoted from data/finlex/, Finnish), each with its section
and a short explanation: the method page lists them and the simulator explains its result with them."""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Step:
    key: str
    quote: str  # verbatim from the statute (Finnish)
    cite: str
    explanation: str | Promise


STEPS = (
    Step(
        "process",
        "Toimintaa kuvaavien indikaattorien painokerroin on 0,0333 per indikaattori",
        "VNA 1393/2022 3 § 2 mom; liite 1",
        _("Each of the 15 process indicators gives 0 or 100 points by the annex's answer rules."),
    ),
    Step(
        "outcome",
        "Toiminnan tulosta kuvaavista indikaattoreista lasketaan kahden viimeisimmän vuoden erotus kuvaamaan "
        "tapahtunutta muutosta. Kaikki erotukset skaalataan niin, että vaihteluväliksi tulee 0–100.",
        "VNA 1393/2022 3 § 4 mom",
        _(
            "The change of each of the 6 outcome indicators between the two latest years, scaled min–max over "
            "all municipalities: the best change 100 points, the worst 0 (the scaling is this product's reading)."
        ),
    ),
    Step(
        "missing",
        "Jos tietoa ei ole lainkaan saatavilla, saa kunta kyseisen tiedon osalta laskennassa alimman mahdollisen "
        "arvon.",
        "laki 618/2021 15 § 3 mom",
        _("A missing figure gives 0 points."),
    ),
    Step(
        "coefficient",
        "Kunnan hyvinvoinnin ja terveyden edistämisen kerroin lasketaan keskiarvona kunnan toimintaa kuvaavien "
        "indikaattoreiden keskiarvosta ja kunnan toiminnan tulosta kuvaavien kahden viimeisimmän vuoden erotuksen "
        "keskiarvosta sekä jakamalla näin saatu keskiarvo vastaavalla koko maan asukasluvulla painotetulla "
        "keskiarvolla.",
        "VNA 1393/2022 3 § 5 mom",
        _("Points = the mean of the process mean and the outcome mean; coefficient = points / national mean."),
    ),
    Step(
        "euros",
        "euromäärä, joka lasketaan kertomalla asukasta kohden määritelty hyvinvoinnin ja terveyden edistämisen "
        "perushinta kunnan asukasmäärällä sekä kunnalle määritellyllä hyvinvoinnin ja terveyden edistämisen "
        "kertoimella.",
        "laki 618/2021 15 § 1 mom",
        _("€ = base price × residents × coefficient."),
    ),
)
