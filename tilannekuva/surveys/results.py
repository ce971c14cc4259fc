"""Survey arithmetic as plain functions: NPS with its confidence interval, scale summaries, and the suppression
of small groups (docs/DECISIONS.md and the research note's §4–§5 give the rules)."""

import math
import statistics
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import TypeVar

from django.utils.translation import gettext as _

Z_95 = 1.96
PROMOTER_FROM = 9  # 9–10 on either scale
DETRACTOR_UP_TO = 6  # 0–6 on 0–10, 1–6 on 1–10: the same cut-offs, never rescaled


@dataclass(frozen=True)
class Nps:
    """NPS = % promoters − % detractors, an integer from −100 to 100; `score` is None when n = 0."""

    n: int
    promoters: int
    passives: int
    detractors: int
    score: int | None
    ci_low: int | None
    ci_high: int | None
    scale_min: int

    @property
    def label(self) -> str:
        """Says which scale the answers were on: the seed's 1–10 is not rescaled onto 0–10."""
        return "NPS (1–10)" if self.scale_min == 1 else "NPS (0–10)" if self.scale_min == 0 else "NPS"

    @property
    def promoter_share(self) -> float:
        return 100 * self.promoters / self.n if self.n else 0.0

    @property
    def passive_share(self) -> float:
        return 100 * self.passives / self.n if self.n else 0.0

    @property
    def detractor_share(self) -> float:
        return 100 * self.detractors / self.n if self.n else 0.0


def nps(values: Iterable[int], *, scale_min: int = 0) -> Nps:
    """Classify by the raw value (9–10 promoter, 7–8 passive, up to 6 detractor) and give the score with a 95 %
    confidence interval: SE = 100·√((p_P + p_D − (p_P − p_D)²)/n), NPS ± 1.96·SE, clipped to −100..100."""
    answers = [v for v in values if v is not None]
    n = len(answers)
    promoters = sum(1 for v in answers if v >= PROMOTER_FROM)
    detractors = sum(1 for v in answers if v <= DETRACTOR_UP_TO)
    passives = n - promoters - detractors
    if n == 0:
        return Nps(0, 0, 0, 0, None, None, None, scale_min)
    p_promoters, p_detractors = promoters / n, detractors / n
    exact = 100 * (promoters - detractors) / n  # from the counts, so that 32.5 stays 32.5 and rounds to 33
    variance = max(p_promoters + p_detractors - (p_promoters - p_detractors) ** 2, 0.0)
    margin = Z_95 * 100 * math.sqrt(variance / n)
    low, high = max(-100.0, exact - margin), min(100.0, exact + margin)
    return Nps(n, promoters, passives, detractors, round_half_away(exact), round_half_away(low),
               round_half_away(high), scale_min)  # fmt: skip


def round_half_away(value: float) -> int:
    """Half away from zero (32.5 → 33, −32.5 → −33), as people round; Python's round() goes to even (32.5 → 32)."""
    return int(math.copysign(math.floor(abs(value) + 0.5), value))


@dataclass(frozen=True)
class ScaleSummary:
    n: int
    mean: float | None
    median: float | None
    distribution: list[tuple[int, int]]  # (value, count) for every point of the scale
    top_share: float | None = None  # % scoring 8–10 on a 1–10 scale


def scale_summary(values: Iterable[int], *, scale: Sequence[int]) -> ScaleSummary:
    answers = [v for v in values if v is not None]
    counts = Counter(answers)
    distribution = [(point, counts.get(point, 0)) for point in scale]
    if not answers:
        return ScaleSummary(0, None, None, distribution)
    top = None
    if scale and scale[-1] == 10:
        top = 100 * sum(1 for v in answers if v >= 8) / len(answers)
    return ScaleSummary(
        n=len(answers),
        mean=statistics.fmean(answers),
        median=float(statistics.median(answers)),
        distribution=distribution,
        top_share=top,
    )


def eurohis_score(respondents: Iterable[Sequence[int | None]], *, items: int = 8) -> ScaleSummary:
    """EUROHIS-QOL 8: each respondent's mean of the eight items (1–5), for respondents who answered all eight;
    the summary is over those scores (Schmidt, Mühlan & Power 2006)."""
    complete = [[a for a in answers if a is not None] for answers in respondents]
    scores = [statistics.fmean(answers) for answers in complete if len(answers) == items]
    if not scores:
        return ScaleSummary(0, None, None, [])
    return ScaleSummary(len(scores), statistics.fmean(scores), float(statistics.median(scores)), [])


K = TypeVar("K")


@dataclass
class Suppression:
    """Which cells of a breakdown are hidden: `primary` are under the threshold, `complementary` are hidden so
    that no primary cell can be worked out from the shown total and the other cells."""

    primary: set = field(default_factory=set)
    complementary: set = field(default_factory=set)

    @property
    def hidden(self) -> set:
        return self.primary | self.complementary


def suppress(counts: Mapping[K, int], *, threshold: int) -> Suppression:
    """Hide every group with 1..threshold−1 respondents; then, while the hidden groups could be told apart from
    the total (one hidden group alone, or hidden groups adding up to fewer than the threshold), hide the next
    smallest shown group as well. Empty groups (n = 0) reveal nobody and stay shown."""
    result = Suppression(primary={k for k, n in counts.items() if 0 < n < threshold})
    if not result.primary:
        return result
    shown = sorted(((n, str(k), k) for k, n in counts.items() if n >= threshold), key=lambda item: item[:2])

    def exposed() -> bool:
        hidden = result.hidden
        return len(hidden) == 1 or sum(counts[k] for k in hidden) < threshold

    while exposed() and shown:
        result.complementary.add(shown.pop(0)[2])
    return result


def format_number(value: float | None, digits: int = 1) -> str:
    """A number as the Finnish and Swedish interface writes it (decimal comma); English keeps the point."""
    from django.utils.formats import number_format

    if value is None:
        return "–"
    # number_format cuts off the further digits (6.17 → "6,1"); round half up first, as the templates' floatformat does.
    rounded = Decimal(repr(value)).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    return number_format(rounded, digits)


def too_few(n: int, threshold: int) -> str:
    return _("Fewer than %(threshold)s answers: not shown (n = %(n)s).") % {"threshold": threshold, "n": n}
