"""Paper ballot pages: the election workers' entry form (each returned paper ballot typed
with its access code), and the facilitators' naming of election workers."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from participation.security import client_address

from . import paper_actions, selectors
from .forms import ballot_from_post, grade_labels
from .models import PaperState
from .views import REFUSALS, _consultation, _error_from, _manager_post

STATE_MESSAGES = {
    PaperState.WAITING: gettext_lazy(
        "Eingegeben. Der Stimmzettel zählt, sobald eine zweite Person ihn gleich eingibt."
    ),
    PaperState.COUNTED: gettext_lazy("Eingegeben und gezählt: die Eingaben stimmen überein."),
    PaperState.DISPUTED: gettext_lazy(
        "Eingegeben, aber die Eingaben weichen voneinander ab. Eine dritte Person klärt den Stimmzettel."
    ),
    PaperState.SPOILED: gettext_lazy(
        "Eingegeben und als ungültig vermerkt: die Eingaben stimmen überein. Der Code ist verbraucht, "
        "gezählt wird nichts."
    ),
}


def _paper_consultation(request, pk):
    consultation = _consultation(request, pk)
    if not selectors.takes_paper(consultation):
        raise Http404
    return consultation


@never_cache
def entry(request, pk):
    """The election workers' form; facilitators see it to settle disputed paper ballots."""
    consultation = _paper_consultation(request, pk)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    worker = paper_actions.is_election_worker(request.user, consultation)
    if not (worker or paper_actions.can_resolve(request.user, consultation)):
        raise Http404
    options = selectors.ballot_measures(consultation)
    error, status, code = None, 200, ""
    if request.method == "POST":
        code = request.POST.get("access_code", "")[:64]
        resolving = request.POST.get("resolve") == "yes" or not worker
        spoiled = request.POST.get("spoiled") == "yes"
        try:
            # A spoiled one is typed without its marks (those ticked anyway are not read).
            ballot = None if spoiled else ballot_from_post(consultation, options, request.POST)
            act = paper_actions.resolve_paper_ballot if resolving else paper_actions.enter_paper_ballot
            outcome = act(request.user, consultation, code, ballot, client_address(request), spoiled=spoiled)
        except REFUSALS as exc:
            error = _error_from(exc)
            status = error["status"]
        else:
            messages.success(request, str(STATE_MESSAGES[outcome.state]))
            return redirect("consultations:paper", pk=consultation.pk)
    blank = {"checked": False, "grade": None, "points": None, "place": None}
    context = {
        "consultation": consultation,
        "worker": worker,
        "items": [{"measure": m, **blank} for m in options],
        "options": options,
        "grades": grade_labels(consultation.settings),
        "places": range(1, len(options) + 1),
        "budget_points": consultation.settings.get("budget_points"),
        "budget_ballot": consultation.settings.get("budget_ballot", "knapsack")
        if consultation.settings.get("use_costs")
        else None,
        "error": error,
        "access_code": code,
        "spoiled": request.method == "POST" and request.POST.get("spoiled") == "yes",
        "open_ballots": paper_actions.paper_ballots(request.user, consultation),
    }
    return render(request, "consultations/paper.html", context, status=status)


@require_POST
def add_worker(request, pk):
    consultation = _manager_post(request, pk)
    try:
        user = paper_actions.find_user(username=request.POST.get("username", "").strip()[:150])
        _worker, created = paper_actions.add_election_worker(request.user, consultation, user)
    except REFUSALS as exc:
        messages.error(request, _error_from(exc)["message"])
    else:
        text = _("%(name)s gibt jetzt Papierstimmzettel ein.") if created else _("%(name)s ist schon Wahlhelfer*in.")
        messages.success(request, text % {"name": user.username})
    return redirect("consultations:manage", pk=consultation.pk)


@require_POST
def remove_worker(request, pk, user_id):
    consultation = _manager_post(request, pk)
    try:
        removed = paper_actions.remove_election_worker(request.user, consultation, user_id)
    except REFUSALS as exc:
        messages.error(request, _error_from(exc)["message"])
    else:
        if removed:
            messages.success(request, _("Die Person gibt keine Papierstimmzettel mehr ein."))
    return redirect("consultations:manage", pk=consultation.pk)
