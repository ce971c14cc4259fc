"""Administrative areas of Finland with validity in time, organisations, and Tilannekuva's regions."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tilannekuva.core.i18n import translated


class AreaKind(models.TextChoices):
    COUNTRY = "country", _("Country")
    MAAKUNTA = "maakunta", _("Region (maakunta)")
    WELLBEING_SERVICES_COUNTY = "wellbeing_services_county", _("Wellbeing services county")
    SEUTUKUNTA = "seutukunta", _("Sub-region (seutukunta)")
    MUNICIPALITY = "municipality", _("Municipality")
    OTHER = "other", _("Other statistical area")


def valid_in(year: int, prefix: str = "") -> Q:
    """Rows whose [valid_from, valid_to] year span (open where null) contains `year`."""
    return (Q(**{f"{prefix}valid_from__isnull": True}) | Q(**{f"{prefix}valid_from__lte": year})) & (
        Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gte": year})
    )


class Area(models.Model):
    """A statistical or administrative area, keyed by Statistics Finland's code within its kind."""

    kind = models.CharField(_("kind"), max_length=32, choices=AreaKind.choices)
    code = models.CharField(_("code"), max_length=40)
    slug = models.SlugField(_("identifier"), max_length=80, unique=True)
    name_fi = models.CharField(_("name in Finnish"), max_length=200)
    name_sv = models.CharField(_("name in Swedish"), max_length=200, blank=True)
    name_en = models.CharField(_("name in English"), max_length=200, blank=True)
    sotkanet_id = models.PositiveIntegerField(_("Sotkanet region id"), null=True, blank=True, unique=True)
    valid_from = models.PositiveSmallIntegerField(_("valid from year"), null=True, blank=True)
    valid_to = models.PositiveSmallIntegerField(_("valid to year"), null=True, blank=True)

    class Meta:
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        ordering = ["kind", "name_fi"]
        constraints = [models.UniqueConstraint(fields=["kind", "code"], name="area_unique_kind_code")]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return translated(self, "name")


class AreaMembership(models.Model):
    """`member` belongs to `parent` in the years valid_from..valid_to (open where null)."""

    member = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="parent_memberships")
    parent = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="member_memberships")
    valid_from = models.PositiveSmallIntegerField(null=True, blank=True)
    valid_to = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("area membership")
        verbose_name_plural = _("area memberships")
        indexes = [models.Index(fields=["parent", "valid_from", "valid_to"])]
        constraints = [
            models.UniqueConstraint(fields=["member", "parent", "valid_from"], name="membership_unique_span")
        ]

    def __str__(self) -> str:
        return f"{self.member} ⊂ {self.parent} ({self.valid_from or ''}–{self.valid_to or ''})"


class OrganisationKind(models.TextChoices):
    MUNICIPALITY = "municipality", _("Municipality")
    WELLBEING_SERVICES_COUNTY = "wellbeing_services_county", _("Wellbeing services county")
    REGIONAL_COUNCIL = "regional_council", _("Regional council")
    ASSOCIATION = "association", _("Association or community")
    EDUCATION_RESEARCH = "education_research", _("Education or research body")
    COMPANY = "company", _("Company")
    PUBLIC_BODY = "public_body", _("Other public body")
    OTHER = "other", _("Other")


class Organisation(models.Model):
    """A partner organisation. Municipalities and counties are tied to their area."""

    kind = models.CharField(_("kind"), max_length=32, choices=OrganisationKind.choices)
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=80, blank=True)
    area = models.ForeignKey(
        Area,
        verbose_name=_("area"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="organisations",
    )
    business_id = models.CharField(_("business id"), max_length=12, blank=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "name"], name="organisation_unique_kind_name"),
            models.UniqueConstraint(
                fields=["kind", "area"], condition=Q(area__isnull=False), name="organisation_unique_kind_area"
            ),
        ]

    def __str__(self) -> str:
        return self.short_name or self.name


class Region(models.Model):
    """A Tilannekuva region: the partnership that shares a strategy, e.g. Etelä-Savo."""

    slug = models.SlugField(_("identifier"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200)
    area = models.ForeignKey(
        Area,
        verbose_name=_("area"),
        on_delete=models.PROTECT,
        related_name="regions",
        help_text=_("The administrative area whose municipalities make up the region."),
    )
    dashboard_public = models.BooleanField(
        _("public dashboard"),
        default=True,
        help_text=_("Ticked: anyone may open the region's dashboard. Unticked: only users with a role in the region."),
    )

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class RoleKind(models.TextChoices):
    ADMIN = "admin", _("Region administrator")
    EDITOR = "editor", _("Organisation editor")
    COORDINATOR = "coordinator", _("Working-group coordinator")
    VIEWER = "viewer", _("Viewer")


class RegionRole(models.Model):
    """What one user may do in one region."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="region_roles")
    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(_("role"), max_length=16, choices=RoleKind.choices)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        help_text=_("For organisation editors: the organisation whose reports they edit."),
    )
    group_key = models.SlugField(
        _("working group"),
        max_length=80,
        blank=True,
        help_text=_(
            "For working-group coordinators: the key of the group in the strategy file (it stays the same "
            "from one yearly version to the next), e.g. hyte-tyoryhma."
        ),
    )

    class Meta:
        verbose_name = _("region role")
        verbose_name_plural = _("region roles")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "region", "role", "organisation", "group_key"], name="regionrole_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.region}: {self.get_role_display()}"
