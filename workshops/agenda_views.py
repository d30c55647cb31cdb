"""The agenda prepared in advance on the facilitators' page: rounds added, changed,
reordered and deleted with a plain form. The writes are ``actions.tools.edit_agenda``, the
same checks and ``agenda.changed`` event as the console's commands."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .actions import CommandError
from .actions.tools import AGENDA_ITEMS_MAX, AGENDA_MINUTES_MAX, edit_agenda
from .agenda_forms import AgendaItemForm, agenda_context
from .manage_views import SignIn, _managed_workshop, manage_context
from .models import AgendaItem


def _back(workshop):
    return redirect(reverse("workshops:manage", args=[workshop.code]) + "#ws-agenda-manage")


@require_POST
def agenda(request, code):
    try:
        workshop = _managed_workshop(request, code)
    except SignIn:
        return redirect_to_login(reverse("workshops:manage", args=[code]))
    op = request.POST.get("op", "")
    raw_item = request.POST.get("item", "")
    item = int(raw_item) if raw_item.isdigit() and len(raw_item) < 10 else None
    if op == "add":
        form = AgendaItemForm(request.POST)
        if not form.is_valid():
            context = {**manage_context(request, workshop), **agenda_context(workshop, form)}
            return render(request, "workshops/manage.html", context, status=400)
        command = {"type": "agenda.add", **form.cleaned_data}
    elif op == "update" and item:
        form = AgendaItemForm(request.POST, auto_id=f"agenda-{item}-%s")
        if not form.is_valid():
            problems = " ".join(
                f"{form.fields[name].label}: {' '.join(errors)}" for name, errors in form.errors.items()
            )
            messages.error(request, _("Die Runde wurde nicht geändert. %(problems)s") % {"problems": problems})
            return _back(workshop)
        command = {"type": "agenda.update", "item": item, **form.cleaned_data}
    elif op in ("up", "down") and item:
        current = AgendaItem.objects.filter(workshop=workshop, pk=item).values_list("position", flat=True).first()
        position = (current or 0) + (-1 if op == "up" else 1)
        command = {"type": "agenda.move", "item": item, "position": position}
    elif op == "delete" and item:
        command = {"type": "agenda.delete", "item": item}
    else:
        messages.error(request, _("Diese Änderung am Ablauf gibt es nicht."))
        return _back(workshop)
    try:
        edit_agenda(request.user, workshop, command)
    except CommandError as error:
        if error.code == "not_found":
            text = _("Diese Runde gibt es nicht mehr.")
        else:
            text = _("Der Ablauf wurde nicht geändert: höchstens %(n)s Runden mit Namen und 1 bis %(m)s Minuten.") % {
                "n": AGENDA_ITEMS_MAX,
                "m": AGENDA_MINUTES_MAX,
            }
        messages.error(request, text)
        return _back(workshop)
    messages.success(request, _("Der Ablauf ist gespeichert."))
    return _back(workshop)
