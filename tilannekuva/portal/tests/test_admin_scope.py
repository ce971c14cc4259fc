"""Issue 17: the admin stays in its region. Every registered ModelAdmin's form (and its inlines' forms) offers a
one-region administrator only that region's objects and users with a role there, in every foreign-key and
many-to-many field; and an admin write lands in the audit trail."""

import pytest
from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.test import RequestFactory

from tilannekuva.audit.services import region_id_for
from tilannekuva.regions.models import Region, RegionRole

pytestmark = pytest.mark.django_db


def _request(user):
    request = RequestFactory().get("/admin/")
    request.user = user
    return request


def _choice_fields(form_class) -> dict[str, forms.ModelChoiceField]:
    return {
        name: field
        for name, field in form_class.base_fields.items()
        if isinstance(field, forms.ModelChoiceField | forms.ModelMultipleChoiceField)
    }


def test_every_admin_form_offers_only_the_administrators_region(users, world):
    from tilannekuva.cooperation.models import ProgressNote  # noqa: F401  (registered admins need their models)

    alice = users["alice"]  # administers Etelä-Savo only
    own = Region.objects.get(slug="etela-savo").pk
    assert Region.objects.exclude(pk=own).exists()
    request = _request(alice)
    User = get_user_model()
    walked, wrong = 0, []
    for model, model_admin in admin.site._registry.items():
        if not (model_admin.has_add_permission(request) or model_admin.has_change_permission(request)):
            continue
        forms_to_walk = [(model.__name__, model_admin.get_form(request))]
        for inline in model_admin.get_inline_instances(request, None):
            forms_to_walk.append((f"{model.__name__}/{inline.model.__name__}", inline.get_formset(request, None).form))
        for where, form_class in forms_to_walk:
            for name, field in _choice_fields(form_class).items():
                walked += 1
                assert field.queryset is not None
                for obj in field.queryset.all()[:2000]:
                    if isinstance(obj, User):
                        roles = RegionRole.objects.filter(user=obj)
                        new_account = where == "RegionRole" and not roles.exists()  # a role for a new account
                        if not roles.filter(region_id=own).exists() and not new_account:
                            wrong.append((where, name, str(obj)))
                        continue
                    region_id = region_id_for(obj)
                    if region_id is not None and region_id != own:
                        wrong.append((where, name, f"{type(obj).__name__} {obj.pk}"))
    assert walked > 20
    assert wrong[:20] == []


def test_an_admin_write_is_refused_across_regions_and_audited_in_its_own(client, users, world):
    """The issue's case: an Etelä-Savo administrator wrote a progress note on a Pohjois-Savo action "by
    demo-admin" through the admin, outside the audit trail. Here the other way round: only Pohjois-Savo's
    strategy has actions, so bob (Pohjois-Savo) tries one of Etelä-Savo's people as the author, and a Pohjois-Savo
    action is his own."""
    from django.urls import reverse

    from tilannekuva.audit.models import AuditEntry
    from tilannekuva.cooperation.models import ProgressNote
    from tilannekuva.strategy.models import Action

    mine = Action.objects.filter(version__strategy__region__slug="pohjois-savo").order_by("pk").first()
    assert mine is not None
    client.force_login(users["bob"])
    url = reverse("admin:cooperation_progressnote_add")
    data = {"written_at_0": "2026-01-05", "written_at_1": "12:00:00", "text": "Edistyi", "status_after": "in_progress"}
    refused = client.post(url, {**data, "action": mine.pk, "author": users["alice"].pk})  # alice: Etelä-Savo's
    assert refused.status_code == 200 and not ProgressNote.objects.exists()
    done = client.post(url, {**data, "action": mine.pk, "author": users["bob"].pk})
    assert done.status_code == 302, done.content.decode()[:2000]
    note = ProgressNote.objects.get()
    entry = AuditEntry.objects.get(object_id=str(note.pk), content_type__model="progressnote")
    assert entry.action == "created" and entry.actor_id == users["bob"].pk
    assert entry.region_id == mine.version.strategy.region_id
