"""A facilitator changes the status of a measure or an inventory project on its page, with
a reason; the dated history shows on the page for everyone (``_status_history.html``)."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import actions, rules
from .forms import StatusForm
from .models import Measure, Project

# URL kind -> (model, detail template, context name)
KINDS = {"measure": (Measure, "pages/measure_detail.html"), "project": (Project, "pages/project_detail.html")}
HISTORY_ANCHOR = "verlauf"


def history_context(request, target, form=None, error=None):
    """What ``pages/_status_history.html`` shows: the history, and the form for its facilitators."""
    can_manage = rules.can_manage_process(request.user, target.process)
    if can_manage and form is None:
        form = StatusForm(target=target, auto_id=f"stand-{target.pk}-%s")
    embed_url = None
    if can_manage and target._meta.model_name == "measure":
        embed_url = request.build_absolute_uri(reverse("pages:measure_embed", args=[target.process.slug, target.slug]))
    return {
        "history": list(target.status_changes.all()),
        "status_form": form if can_manage else None,
        "status_error": error,
        "status_url": f"{target.get_absolute_url()}stand/",
        "embed_url": embed_url,
    }


@require_POST
def change_status(request, kind, process_slug, slug):
    model, template = KINDS[kind]
    target = get_object_or_404(model.objects.select_related("process"), process__slug=process_slug, slug=slug)
    if not request.user.is_authenticated:
        return redirect_to_login(target.get_absolute_url())
    if not rules.can_manage_process(request.user, target.process):
        raise Http404
    form = StatusForm(request.POST, target=target, auto_id=f"stand-{target.pk}-%s")
    error = None
    if form.is_valid():
        data = form.cleaned_data
        try:
            actions.change_status(request.user, target, data["status"], data["reason"], data["reason_en"])
        except ValidationError as failure:
            error = " ".join(failure.messages)
        else:
            messages.success(request, _("Der neue Stand steht im Verlauf."))
            return redirect(f"{target.get_absolute_url()}#{HISTORY_ANCHOR}")
    else:
        error = " ".join(message for messages_ in form.errors.values() for message in messages_)
    target.refresh_from_db()
    context = {kind: target, **history_context(request, target, form, error)}
    if kind == "project":
        from .selectors import labs_of_project

        context["labs"] = labs_of_project(target)
    return render(request, template, context, status=400)
