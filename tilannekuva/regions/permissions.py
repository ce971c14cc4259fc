"""The one place that answers what a user may do in a region: used by views, templates and the admin."""

from collections.abc import Collection
from typing import Any

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db.models import Model, Q, QuerySet
from django.http import HttpRequest

from .models import Region, RegionRole, RoleKind


def regions_with_role(user: Any, *roles: str) -> QuerySet[Region]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Region.objects.none()
    if user.is_superuser:
        return Region.objects.all()
    return Region.objects.filter(roles__user=user, roles__role__in=roles).distinct()


def administered_regions(user: Any) -> QuerySet[Region]:
    return regions_with_role(user, RoleKind.ADMIN)


def is_region_admin(user: Any, region: Region) -> bool:
    return administered_regions(user).filter(pk=region.pk).exists()


def can_view_public_pages(user: Any, region: Region) -> bool:
    """The strategy and what hangs on it (goals, actions, groups, the process, grant rounds) are public documents
    of a public region; a region marked internal shows them, like its dashboard, only to its roles."""
    return region.dashboard_public or can_view_internal(user, region)


def visible_regions(user: Any) -> QuerySet[Region]:
    """The regions whose pages the user may see: the public ones and those where the user has a role."""
    mine = regions_with_role(user, *RoleKind.values).values("pk")
    return Region.objects.filter(Q(dashboard_public=True) | Q(pk__in=mine))


def can_view_internal(user: Any, region: Region) -> bool:
    """Internal pages: any role in the region."""
    return regions_with_role(user, *RoleKind.values).filter(pk=region.pk).exists()


def can_view_dashboard(user: Any, region: Region) -> bool:
    """A region's dashboard is public unless the region has marked it internal."""
    return region.dashboard_public or can_view_internal(user, region)


def _roles(user: Any, region: Region, role: str) -> QuerySet[RegionRole]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return RegionRole.objects.none()
    return RegionRole.objects.filter(user=user, region=region, role=role)


def can_report(user: Any, *, region: Region, organisation_id: int | None) -> bool:
    """Report values for an organisation: its editors in the region, and the region's administrators.
    Without an organisation (a task nobody has claimed yet), any editor in the region."""
    if is_region_admin(user, region):
        return True
    editors = _roles(user, region, RoleKind.EDITOR)
    if organisation_id is None:
        return editors.exists()
    return editors.filter(organisation_id=organisation_id).exists()


def organisations_edited(user: Any, region: Region) -> list[int]:
    """The ids of the organisations whose reports `user` edits in `region`."""
    return list(
        _roles(user, region, RoleKind.EDITOR).exclude(organisation=None).values_list("organisation_id", flat=True)
    )


def can_coordinate(user: Any, *, region: Region, group_key: str) -> bool:
    """Approve a working group's reports and keep its actions: the group's coordinators and the administrators."""
    if is_region_admin(user, region):
        return True
    return bool(group_key) and _roles(user, region, RoleKind.COORDINATOR).filter(group_key=group_key).exists()


def groups_coordinated(user: Any, region: Region) -> list[str]:
    return list(_roles(user, region, RoleKind.COORDINATOR).exclude(group_key="").values_list("group_key", flat=True))


def can_manage_surveys(user: Any, region: Region) -> bool:
    """Create surveys, edit their questions, open and close them, invite, import and export answers: the
    region's administrators."""
    return is_region_admin(user, region)


def can_moderate_survey_answers(user: Any, region: Region) -> bool:
    """Read every open answer of a survey and publish or hide it: the administrators and the coordinators."""
    return is_region_admin(user, region) or _roles(user, region, RoleKind.COORDINATOR).exists()


def can_set_grant_priorities(user: Any, *, region: Region, group_key: str) -> bool:
    """Accept, edit, weigh and publish a year's grant priorities: the region's administrators and the
    coordinators of its HYTE working group (`group_key`)."""
    return can_coordinate(user, region=region, group_key=group_key)


def can_manage_grant_round(user: Any, *, region: Region, funder_id: int) -> bool:
    """Name a round's reviewers, record its decisions and export them: the region's administrators and the
    editors of the funding organisation."""
    return (
        is_region_admin(user, region)
        or _roles(user, region, RoleKind.EDITOR).filter(organisation_id=funder_id).exists()
    )


def can_review_grants(user: Any, *, region: Region, reviewer_ids: Collection[int]) -> bool:
    """Score a round's applications: the users named its reviewers (`reviewer_ids`) while they are active."""
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.pk in reviewer_ids)


def can_freeze_snapshot(user: Any, region: Region) -> bool:
    """Freeze the dashboard and the follow-up report for a council meeting: the region's administrators."""
    return is_region_admin(user, region)


def can_queue_report_build(user: Any, region: Region) -> bool:
    """Build a report in the background (its file is kept for download): the region's administrators."""
    return is_region_admin(user, region)


def can_view_snapshot(user: Any, *, region: Region, public: bool) -> bool:
    """A frozen snapshot: public when it was frozen from a public dashboard and the dashboard is still public;
    else only for those with a role in the region."""
    return (public and region.dashboard_public) or can_view_internal(user, region)


def region_of(obj: Model) -> Region:
    """Every region-owned model exposes `region` (a property or a field)."""
    region = obj if isinstance(obj, Region) else obj.region  # type: ignore[attr-defined]
    assert isinstance(region, Region)
    return region


def can_edit(user: Any, obj: Model) -> bool:
    """Strategy content and region settings are edited by the region's administrators."""
    return is_region_admin(user, region_of(obj))


_paths: dict[type[Model], str | None] = {}


def region_path(model: type[Model]) -> str | None:
    """The shortest ORM path from a model to the Region that owns it ("region", "version__strategy__region",
    "pk" for Region itself), or None for what no region owns (areas, organisations, national data)."""
    if model in _paths:
        return _paths[model]
    found: str | None = "pk" if model is Region else None
    queue: list[tuple[type[Model], str, int]] = [(model, "", 0)]
    while queue and found is None:
        current, prefix, depth = queue.pop(0)
        for field in current._meta.concrete_fields:
            related = field.related_model
            if not field.many_to_one and not field.one_to_one or related is None or related == "self":
                continue
            path = f"{prefix}{field.name}"
            if related is Region:
                found = path
                break
            if depth < 3:
                queue.append((related, f"{path}__", depth + 1))  # type: ignore[arg-type]
    _paths[model] = found
    return found


def scoped_choices(queryset: QuerySet, user: Any) -> QuerySet:
    """An admin form's choices limited to the administrator's regions: a region-owned model to those regions'
    objects, users to those with a role there; superusers choose from everything."""
    if getattr(user, "is_superuser", False):
        return queryset
    regions = administered_regions(user)
    model = queryset.model
    if model is get_user_model():
        return queryset.filter(region_roles__region__in=regions).distinct()
    path = region_path(model)
    if path is None:
        return queryset
    return queryset.filter(**{f"{path}__in": regions}).distinct()


class ScopedChoicesMixin:
    """Every foreign key and many-to-many field of the form offers only the administrator's regions' objects
    (`scoped_choices`), on top of whatever narrower choice the admin itself makes."""

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]
        if field is not None and hasattr(field, "queryset"):
            field.queryset = scoped_choices(field.queryset, request.user)
        return field

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        field = super().formfield_for_manytomany(db_field, request, **kwargs)  # type: ignore[misc]
        if field is not None and hasattr(field, "queryset"):
            field.queryset = scoped_choices(field.queryset, request.user)
        return field


class RegionScopedAdmin(ScopedChoicesMixin, admin.ModelAdmin):
    """Admin pages that region administrators use for their own regions only; superusers see all.

    `region_lookup` is the ORM path from the model to its Region.
    """

    region_lookup = "region"

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(**{f"{self.region_lookup}__in": administered_regions(request.user)}).distinct()

    def has_module_permission(self, request: HttpRequest) -> bool:
        return administered_regions(request.user).exists()

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self.has_change_permission(request, obj)

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:  # type: ignore[override]
        return administered_regions(request.user).exists()

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        if obj is None:
            return administered_regions(request.user).exists()
        return can_edit(request.user, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self.has_change_permission(request, obj)

    def log_deletions(self, request: HttpRequest, queryset: Any) -> list[Any]:
        """One admin log entry per deleted object, each saved (not bulk-created), so that the audit trail, which
        copies the admin's log, sees every one."""
        from django.contrib.admin.models import DELETION, LogEntry

        user_id = request.user.pk
        assert user_id is not None  # only a signed-in administrator reaches the admin
        return [LogEntry.objects.log_actions(user_id, [obj], DELETION, single_object=True) for obj in queryset]

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.related_model is Region and not request.user.is_superuser:
            kwargs["queryset"] = administered_regions(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class RegionScopedInline(ScopedChoicesMixin, admin.options.InlineModelAdmin):
    """Inline rows are editable by whoever may edit the parent object."""

    def _parent_allowed(self, request: HttpRequest, obj: Model | None) -> bool:
        if obj is None:
            return administered_regions(request.user).exists()
        return can_edit(request.user, obj)

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._parent_allowed(request, obj)

    def has_add_permission(self, request: HttpRequest, obj: Model | None) -> bool:  # type: ignore[override]
        return self._parent_allowed(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._parent_allowed(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._parent_allowed(request, obj)


def can_view_import_jobs(user: Any) -> bool:
    """The data bank's background imports (national data, shared by every region): any region's administrators."""
    return administered_regions(user).exists()
