"""The survey builder in the administration: a survey's texts, dates and privacy settings with its sections and
questions; a question's choices (and a scale's point labels) on the question's own page. Region administrators
see their own regions' surveys only. Invitations and answers are not here: they are handled on the survey pages."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from tilannekuva.regions.permissions import RegionScopedAdmin, RegionScopedInline

from .models import Choice, Question, Section, Survey


def _survey_id(request: HttpRequest) -> str | None:
    match = request.resolver_match
    return match.kwargs.get("object_id") if match else None


class SectionInline(RegionScopedInline, admin.TabularInline):
    model = Section
    extra = 0
    fields = ["position", "title_fi", "title_sv", "title_en"]


class QuestionInline(RegionScopedInline, admin.StackedInline):
    model = Question
    extra = 0
    show_change_link = True
    fields = [
        ("section", "position", "key", "kind", "required"),
        ("scale_min", "scale_max"),
        "text_fi",
        "text_sv",
        "text_en",
        ("help_fi", "help_sv", "help_en"),
    ]

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "section":
            kwargs["queryset"] = Section.objects.filter(survey_id=_survey_id(request) or 0)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Survey)
class SurveyAdmin(RegionScopedAdmin):
    list_display = ["title_fi", "region", "year", "key", "status", "demo"]
    list_filter = ["region", "status", "year"]
    search_fields = ["title_fi", "key"]
    readonly_fields = ["template", "created_at", "demo"]
    exclude = ["open_key", "created_by"]
    inlines = [SectionInline, QuestionInline]


class ChoiceInline(RegionScopedInline, admin.TabularInline):
    model = Choice
    extra = 1
    fields = ["position", "value", "text_fi", "text_sv", "text_en"]


@admin.register(Question)
class QuestionAdmin(RegionScopedAdmin):
    region_lookup = "survey__region"
    list_display = ["key", "survey", "kind", "required"]
    list_filter = ["survey__region", "kind"]
    search_fields = ["key", "text_fi"]
    inlines = [ChoiceInline]
    fields = [
        "survey",
        "section",
        ("position", "key", "kind", "required"),
        ("scale_min", "scale_max"),
        "text_fi",
        "text_sv",
        "text_en",
        ("help_fi", "help_sv", "help_en"),
    ]

    def get_readonly_fields(self, request: HttpRequest, obj: Question | None = None) -> list[str]:  # type: ignore[override]
        return ["survey"] if obj is not None else []

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "survey" and not request.user.is_superuser:
            from tilannekuva.regions.permissions import administered_regions

            kwargs["queryset"] = Survey.objects.filter(region__in=administered_regions(request.user))
        if db_field.name == "section":
            question = Question.objects.filter(pk=_survey_id(request) or 0).first()
            if question is not None:
                kwargs["queryset"] = Section.objects.filter(survey=question.survey)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
