"""The facilitators' workshop pages: create, overview (join code, link, QR, console) and edit.
Server-rendered forms; the writes are workshops.actions.create_workshop (as the API's) and
update_workshop."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from participation import rules
from participation.moderation_selectors import managed_processes

from .actions import create_workshop, update_workshop
from .agenda_forms import agenda_context
from .api import visible_workshop, workshop_links
from .forms import WorkshopForm
from .models import WorkshopState


class SignIn(Exception):
    """The visitor is asked to sign in first."""


def _managed_workshop(request, code):
    """The workshop for its process's facilitators, checked in the console's order: drafts do
    not exist for others (404), visitors are asked to sign in, everyone else gets a 404."""
    workshop = visible_workshop(request, code)
    if not request.user.is_authenticated:
        raise SignIn
    if not rules.can_manage_process(request.user, workshop.process):
        raise Http404
    return workshop


def _preselected(request, processes):
    raw = request.GET.get("process", "")
    if raw.isdigit() and len(raw) < 19:
        return processes.filter(pk=int(raw)).first()
    return None


@never_cache
@require_http_methods(["GET", "POST"])
def create(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    processes = managed_processes(request.user)
    if not processes.exists():
        raise Http404
    if request.method == "POST":
        form = WorkshopForm(request.POST, processes=processes)
        if form.is_valid():
            process = form.cleaned_data["process"]
            workshop = create_workshop(request.user, process, **form.action_data())
            messages.success(request, _("Der Workshop ist angelegt."))
            return redirect("workshops:manage", code=workshop.code)
        return render(request, "workshops/form.html", {"form": form}, status=400)
    initial = {"process": _preselected(request, processes) or (processes.first() if processes.count() == 1 else None)}
    return render(request, "workshops/form.html", {"form": WorkshopForm(initial=initial, processes=processes)})


@never_cache
@require_http_methods(["GET"])
def manage(request, code):
    try:
        workshop = _managed_workshop(request, code)
    except SignIn:
        return redirect_to_login(request.get_full_path())
    return render(request, "workshops/manage.html", manage_context(request, workshop))


def manage_context(request, workshop):
    """The manage page's context (also for the agenda form shown again with its errors)."""
    code = workshop.code
    return {
        "workshop": workshop,
        "links": workshop_links(request, workshop),
        "urls": {
            "qr": reverse("api:workshop-qr", args=[code]),
            "export": reverse("api:workshop-export", args=[code]),
        },
        **agenda_context(workshop),
    }


@never_cache
@require_http_methods(["GET", "POST"])
def edit(request, code):
    try:
        workshop = _managed_workshop(request, code)
    except SignIn:
        return redirect_to_login(request.get_full_path())
    if request.method == "POST":
        form = WorkshopForm(request.POST, workshop=workshop)
        if form.is_valid():
            workshop, changed = update_workshop(request.user, workshop, form.action_data())
            if changed:
                messages.success(request, _("Die Änderungen sind gespeichert."))
            else:
                messages.info(request, _("Es gab nichts zu ändern."))
            return redirect("workshops:manage", code=workshop.code)
        return render(request, "workshops/form.html", {"form": form, "workshop": workshop}, status=400)
    initial = {
        "title": workshop.title,
        "agenda": workshop.agenda,
        "dots_per_participant": workshop.dots_per_participant,
        "anonymous_posting": workshop.anonymous_posting,
        "participants_may_cluster": workshop.participants_may_cluster,
        "draft": workshop.state == WorkshopState.DRAFT,
    }
    form = WorkshopForm(initial=initial, workshop=workshop)
    return render(request, "workshops/form.html", {"form": form, "workshop": workshop})


@require_POST
def go_live(request, code):
    """A draft becomes visible to everyone with the code."""
    try:
        workshop = _managed_workshop(request, code)
    except SignIn:
        return redirect_to_login(reverse("workshops:manage", args=[code]))
    _workshop, changed = update_workshop(request.user, workshop, {"draft": False})
    if changed:
        messages.success(request, _("Der Workshop ist freigegeben: Alle mit dem Code können jetzt beitreten."))
    return redirect("workshops:manage", code=workshop.code)
