"""Discussion on the data: partners signed in with a role comment in threads on a metric, a goal or an action; the
region's administrators hide and show comments and choose some for a year's report; all in the audit trail;
every role tried (anonymous, viewer, editor, another region's administrator, administrator)."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from tilannekuva.audit.models import AuditEntry
from tilannekuva.discussion import selectors, services
from tilannekuva.discussion.models import Comment, CommentStatus
from tilannekuva.regions.models import Organisation, Region, RegionRole, RoleKind

METRIC = "vammojen-ja-myrkytysten-sairaalahoito"


@pytest.fixture
def region(world):
    return Region.objects.get(slug="etela-savo")


@pytest.fixture
def editor(region, django_user_model):
    user = django_user_model.objects.create_user("mikkeli-editor")
    mikkeli = Organisation.objects.get(kind="municipality", area__code="491")
    RegionRole.objects.create(user=user, region=region, role=RoleKind.EDITOR, organisation=mikkeli)
    return user


def test_a_partner_comments_and_another_replies_in_a_thread_with_their_organisations(region, editor, users):
    first = services.post_comment(region=region, subject="metric", key=METRIC, user=editor, text="Luku nousi.")
    reply = services.post_comment(
        region=region, subject="metric", key=METRIC, user=users["carol"], text="Miksi?", parent=first
    )
    [root] = selectors.thread(region, "metric", METRIC, moderator=False)
    assert root.comment == first and [n.comment for n in root.replies] == [reply]
    assert first.organisation is not None and first.organisation.name == "Mikkeli"
    assert AuditEntry.objects.filter(object_id=str(first.pk), action="created", actor_name="mikkeli-editor").exists()


def test_without_a_role_in_the_region_no_one_comments(region, users):
    for who in ["bob", "dave"]:
        with pytest.raises(PermissionDenied):
            services.post_comment(region=region, subject="goal", key="x", user=users[who], text="x")


def test_a_reply_must_stay_in_its_parents_discussion(region, editor):
    first = services.post_comment(region=region, subject="metric", key=METRIC, user=editor, text="x")
    with pytest.raises(services.DiscussionError):
        services.post_comment(region=region, subject="goal", key="other", user=editor, text="y", parent=first)


def test_the_administrator_hides_with_a_reason_and_chooses_a_comment_for_the_report(region, editor, users):
    comment = services.post_comment(region=region, subject="metric", key=METRIC, user=editor, text="Hyvä huomio.")
    with pytest.raises(services.DiscussionError):
        services.moderate(comment=comment, user=users["alice"], hide=True)
    with pytest.raises(PermissionDenied):
        services.choose_for_report(comment=comment, user=users["bob"], year=2025)
    services.choose_for_report(comment=comment, user=users["alice"], year=2025)
    [chosen] = selectors.report_comments(region, 2025)
    assert chosen.comment == comment and chosen.subject_title.startswith("Vammojen ja myrkytysten")
    services.moderate(comment=comment, user=users["alice"], hide=True, note="Henkilötietoja")
    comment.refresh_from_db()
    assert comment.status == CommentStatus.HIDDEN and comment.report_year is None
    assert selectors.report_comments(region, 2025) == []
    changes = AuditEntry.objects.filter(object_id=str(comment.pk), action="changed").values_list("changes", flat=True)
    assert {"status": ["visible", "hidden"]} in list(changes)


def test_pages_answer_each_role(client, region, editor, users):
    url = reverse("discussion:thread", args=["etela-savo", "metric", METRIC])
    assert client.get(url).status_code == 302
    client.force_login(users["bob"])
    assert client.get(url).status_code == 403
    assert client.post(url, {"text": "x"}).status_code == 403
    client.force_login(users["carol"])
    assert client.get(url).status_code == 200
    assert client.post(url, {"text": "Katselijan kommentti"}).status_code == 302
    comment = Comment.objects.get()
    moderate = reverse("discussion:moderate", args=["etela-savo", comment.pk])
    for who in ["carol", "bob"]:
        client.force_login(users[who] if who != "editor" else editor)
        assert client.post(moderate, {"action": "hide", "note": "x"}).status_code == 403
    client.force_login(editor)
    assert client.post(moderate, {"action": "hide", "note": "x"}).status_code == 403
    client.force_login(users["alice"])
    assert client.post(moderate, {"action": "hide", "note": "Asiaton"}).status_code == 302
    client.force_login(users["carol"])
    page = client.get(url).content.decode()
    assert "Katselijan kommentti" not in page and "Moderaattori on piilottanut tämän kommentin." in page
    assert client.get(reverse("discussion:thread", args=["etela-savo", "metric", "no-such-metric"])).status_code == 404
