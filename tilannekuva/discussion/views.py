"""Pages of the discussion: the region's discussion with its subjects, one subject's thread with the comment form,
and the moderators' actions. For those with a role in the region; moderation for its administrators. Each view
checks its permission with tilannekuva.regions.permissions."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tilannekuva.dashboard.selectors import default_year
from tilannekuva.regions.access import region_for
from tilannekuva.regions.models import Region
from tilannekuva.regions.permissions import can_view_internal, is_region_admin
from tilannekuva.strategy.selectors import version_in_force

from . import selectors, services
from .forms import CommentForm, ModerationForm
from .models import Comment, Subject


def _region(request: HttpRequest, region_slug: str) -> Region:
    """The discussion is for those with a role in the region; moderation for its administrators."""
    return region_for(request, region_slug, may=can_view_internal, with_strategy=True)


@require_http_methods(["GET", "HEAD"])
def index(request: HttpRequest, region_slug: str) -> HttpResponse:
    region = _region(request, region_slug)
    moderator = is_region_admin(request.user, region)
    context = {
        "region": region,
        "recent": selectors.recent(region, moderator=moderator),
        "subjects": selectors.subjects(region, version_in_force(region)),
        "moderator": moderator,
    }
    return render(request, "discussion/index.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
def subject_thread(request: HttpRequest, region_slug: str, subject: str, key: str) -> HttpResponse:
    region = _region(request, region_slug)
    if subject not in Subject.values:
        raise Http404("no such subject")
    obj = selectors.subject_object(region, subject, key)
    if obj is None:
        raise Http404("no such metric, goal or action")
    form = CommentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        parent = None
        if form.cleaned_data["parent"]:
            parent = get_object_or_404(Comment, pk=form.cleaned_data["parent"], region=region)
        try:
            services.post_comment(
                region=region,
                subject=subject,
                key=key,
                user=request.user,
                text=form.cleaned_data["text"],
                parent=parent,
            )
        except services.DiscussionError as exc:
            form.add_error("text", str(exc))
        else:
            messages.success(request, _("Your comment was added."))
            return redirect("discussion:thread", region.slug, subject, key)
    moderator = is_region_admin(request.user, region)
    context = {
        "region": region,
        "subject": subject,
        "subject_label": Subject(subject).label,
        "key": key,
        "obj": obj,
        "title": selectors.title_of(obj),
        "nodes": selectors.thread(region, subject, key, moderator=moderator),
        "form": form,
        "moderator": moderator,
        "report_year": default_year(),
    }
    return render(request, "discussion/thread.html", context, status=400 if form.errors else 200)


@require_POST
def moderate(request: HttpRequest, region_slug: str, pk: int) -> HttpResponse:
    region = region_for(request, region_slug, may=is_region_admin, with_strategy=True)
    comment = get_object_or_404(Comment, pk=pk, region=region)
    form = ModerationForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose what to do with the comment."))
        return redirect("discussion:thread", region.slug, comment.subject, comment.key)
    action, note, year = form.cleaned_data["action"], form.cleaned_data["note"], form.cleaned_data["year"]
    try:
        if action in ("hide", "show"):
            services.moderate(comment=comment, user=request.user, hide=action == "hide", note=note)
        else:
            services.choose_for_report(
                comment=comment, user=request.user, year=(year or default_year()) if action == "report" else None
            )
    except services.DiscussionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The comment was updated."))
    return redirect("discussion:thread", region.slug, comment.subject, comment.key)
