"""Reads for the catalogue pages: searching indicators and what each covers."""

from django.db.models import Count, Max, Min, Q, QuerySet

from .models import Indicator, Observation, Source


def search_indicators(*, query: str = "", source_key: str = "") -> QuerySet[Indicator]:
    indicators = Indicator.objects.select_related("source")
    if query:
        words = query.split()
        for word in words:
            indicators = indicators.filter(
                Q(title_fi__icontains=word)
                | Q(title_sv__icontains=word)
                | Q(title_en__icontains=word)
                | Q(external_id__iexact=word)
            )
    if source_key:
        indicators = indicators.filter(source__key=source_key)
    return indicators.order_by("title_fi")


def with_coverage(indicators: list[Indicator]) -> list[Indicator]:
    """Years and regions covered, for one page of indicators at a time."""
    stats = {
        row["indicator_id"]: row
        for row in Observation.objects.filter(indicator__in=indicators)
        .values("indicator_id")
        .annotate(first=Min("year"), last=Max("year"), areas=Count("area", distinct=True), rows=Count("id"))
    }
    for indicator in indicators:
        row = stats.get(indicator.pk, {})
        indicator.data_first = row.get("first")  # type: ignore[attr-defined]
        indicator.data_last = row.get("last")  # type: ignore[attr-defined]
        indicator.area_count = row.get("areas", 0)  # type: ignore[attr-defined]
        indicator.row_count = row.get("rows", 0)  # type: ignore[attr-defined]
    return indicators


def sources_in_use() -> QuerySet[Source]:
    return Source.objects.filter(indicators__isnull=False).distinct().order_by("name")
