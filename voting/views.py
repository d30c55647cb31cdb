"""Consultation pages (namespace "consultations"): thin views over voting.actions and
voting.selectors.

The ballot works without JavaScript as a plain form POST (``cast``, ``pair``,
``propose``); frontend/static/js/ballot*.js enhances the same form and submits it to
the REST API instead (PUT /api/consultations/{id}/ballot), so both paths end in
actions.cast_ballot. Facilitators manage a consultation through POST forms whose
views call the actions as well.
"""

import secrets
from itertools import accumulate

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from participation import rules
from participation.errors import Conflict, RateLimited, Unauthenticated
from participation.moderation_selectors import managed_processes
from participation.security import client_address
from participation.templatetags.pages import money, number
from results.actions import latest_snapshot
from results.compute import counts_of

from . import actions, counting, selectors
from .api import browser_token, with_browser_cookie
from .forms import (
    AccessCodesForm,
    ConsultationForm,
    PairForm,
    ProcessChoiceForm,
    ProposalForm,
    ballot_from_post,
    grade_labels,
    initial_from,
)
from .letters import letters_for
from .models import Eligibility, Method, Phase, Proposal, ProposalStatus, VoterRecord

# How many one-time tokens of the access-code form a session keeps (several open tabs).
CODE_FORM_TOKENS = 20
CODE_FORM_SESSION_KEY = "consultations:code-forms"


# --- helpers ----------------------------------------------------------------------


def _consultation(request, pk):
    """A consultation this user may see: drafts only for their facilitators, else 404."""
    return get_object_or_404(selectors.visible_consultations(request.user), pk=pk)


def _options(consultation):
    return [option.measure for option in consultation.options.select_related("measure__process").order_by("position")]


def _error(status, message, field=None):
    return {"status": status, "message": message, "field": field}


def _error_from(exc):
    """A refusal of the actions as (status, message) for the page."""
    if isinstance(exc, ValidationError):
        if hasattr(exc, "error_dict"):
            errors = exc.message_dict
            return _error(400, " ".join(m for texts in errors.values() for m in texts), next(iter(errors)))
        return _error(400, " ".join(exc.messages))
    if isinstance(exc, Unauthenticated):
        return _error(401, str(exc))
    if isinstance(exc, PermissionDenied):
        return _error(403, str(exc))
    if isinstance(exc, Conflict):
        return _error(409, str(exc))
    if isinstance(exc, RateLimited):
        return _error(429, str(exc))
    raise exc


REFUSALS = (ValidationError, Unauthenticated, PermissionDenied, Conflict, RateLimited)


def _new_browser_token(consultation):
    return secrets.token_urlsafe(24) if consultation.eligibility == Eligibility.OPEN else None


def _voter(request, consultation, access_code="", new_token=None):
    """The voter behind this request by the consultation's rule (raises the actions' refusals)."""
    return actions.resolve_voter(
        consultation,
        user=request.user,
        access_code=access_code,
        browser_token=browser_token(request) or new_token,
        address=client_address(request),
    )


def _known_voter(request, consultation):
    """The voter when the request alone says who it is (account or browser cookie), else None."""
    if consultation.eligibility == Eligibility.ACCOUNT and rules.can_give_feedback(request.user):
        return _voter(request, consultation)
    if consultation.eligibility == Eligibility.OPEN and browser_token(request):
        return _voter(request, consultation)
    return None


def _ballot_values(consultation, content):
    """Per measure id, what the form shows for a stored or sent ballot."""
    if not content:
        return {}
    values = {}
    if "approve" in content:
        for pk in content["approve"]:
            values[int(pk)] = {"checked": True}
    elif "scores" in content:
        for pk, grade in content["scores"].items():
            values[int(pk)] = {"grade": grade}
    elif "points" in content:
        for pk, points in content["points"].items():
            values[int(pk)] = {"points": points, "checked": bool(points)}
    elif "ranking" in content:
        for place, group in enumerate(content["ranking"], start=1):
            for pk in group:
                values[int(pk)] = {"place": place}
    return values


def _results(consultation):
    """The count as tables for the page, or None while voting.counting cannot count yet."""
    try:
        result = counting.count(consultation)
    except NotImplementedError:
        return None
    return present_results(result, {m.pk: m.title_t for m in _options(consultation)})


def _published_results(snapshot):
    """The published snapshot's counts as tables: exactly the published numbers."""
    result = snapshot.result
    english = (get_language() or "de").startswith("en")
    titles = {
        int(option["id"]): (option.get("title_en") if english and option.get("title_en") else option["title"])
        for option in result.get("options", [])
    }
    return present_results(result, titles)


RESULT_NAMES = {
    "approval": gettext_lazy("Zustimmungen"),
    "mean": gettext_lazy("Durchschnittliche Bewertung"),
    "score_mean": gettext_lazy("Durchschnittliche Bewertung"),
    "majority_judgment": gettext_lazy("Mehrheitsurteil (Median der Bewertungen)"),
    "points": gettext_lazy("Punkte"),
    "schulze": gettext_lazy("Schulze-Methode (Hauptergebnis)"),
    "borda": gettext_lazy("Borda-Punkte"),
    "copeland": gettext_lazy("Copeland-Punkte"),
    "first_choices": gettext_lazy("Erste Plätze"),
    "bradley_terry": gettext_lazy("Chance in Prozent, gegen eine zufällige andere Maßnahme zu gewinnen"),
}


def _number(value):
    if isinstance(value, float):
        return round(value, 2)
    return value


def present_results(result, titles):
    """Tables (label, ballots, rows of place, measure, value) for each ranking in a count.

    Reads the count of voting.counting.count: {"count": {...}, "turnout": {...}}; a
    count has a "ranking" of tie groups and "scores", or holds several such counts
    (score: mean and majority judgment; ranking: Schulze, Borda, Copeland ...).
    """
    if not isinstance(result, dict):
        return []
    count = result.get("count", result)
    if not isinstance(count, dict) or (result.get("turnout") or {}).get("ballots") == 0:
        return []
    tables = []
    # The deciding count first, as on the results page.
    for key, part in counts_of(count):
        scores = {str(k): v for k, v in (part.get("scores") or {}).items()}
        selected = {str(pk) for pk in part.get("selected") or []}
        rows = []
        # A place is 1 + the measures strictly ahead (1, 2, 2, 4), as in the published result.
        place = 1
        for group in part.get("ranking") or []:
            for pk in group:
                rows.append(
                    {
                        "place": place,
                        "title": titles.get(int(pk), str(pk)),
                        "value": _number(scores.get(str(pk))),
                        "selected": str(pk) in selected,
                    }
                )
            place += len(group)
        name = part.get("method") or key
        tables.append(
            {
                "label": RESULT_NAMES.get(name, name),
                "ballots": part.get("ballots", part.get("comparisons")),
                "rows": rows,
                "with_selection": "selected" in part,
            }
        )
    return tables


def client_strings():
    """Texts the ballot scripts show, in the active language. {name} is filled in by the script."""
    return {
        "submit_failed": _("Die Stimme wurde nicht gespeichert."),
        "network_error": _("Keine Verbindung zum Server. Bitte versuchen Sie es noch einmal."),
        "error_400": _("Bitte prüfen Sie Ihre Eingabe."),
        "error_401": _("Für diese Befragung melden Sie sich bitte mit einem bestätigten Konto an."),
        "error_403": _("Sie dürfen hier nicht abstimmen, oder der Zugangscode ist nicht gültig."),
        "error_404": _("Es gibt keine gespeicherte Stimme zu Ihrem Zugang."),
        "error_409": _("Die Befragung nimmt gerade keine Stimmen an."),
        "error_429": _("Zu viele Versuche. Bitte warten Sie etwas und versuchen Sie es dann erneut."),
        "error_500": _("Ein Fehler auf dem Server; es wurde nichts gespeichert. Bitte erneut versuchen."),
        "server_says": _("Hinweis des Servers: {detail}"),
        "login": _("Jetzt anmelden"),
        "code_missing": _("Bitte geben Sie den Zugangscode aus Ihrem Brief ein."),
        "saved_new": _("Ihre Stimme ist gespeichert."),
        "saved_changed": _("Ihre geänderte Stimme ist gespeichert."),
        "saved_same": _("Ihre Stimme war bereits genau so gespeichert; es hat sich nichts geändert."),
        "loading": _("Wird geladen …"),
        "change_loaded": _("Ihre gespeicherte Stimme ist eingetragen. Ändern Sie sie und geben Sie sie erneut ab."),
        # approval
        "approval_count": _("{n} von höchstens {max} gewählt"),
        "approval_count_free": _("{n} gewählt"),
        "approval_limit": _("Sie können höchstens {max} Maßnahmen wählen. Entfernen Sie zuerst ein Häkchen."),
        # score
        "score_missing": _("Bitte bewerten Sie mindestens eine Maßnahme."),
        # points
        "points_left": _("Noch {left} von {total} Punkten übrig"),
        "points_over": _("{over} Punkte zu viel verteilt – höchstens {total}"),
        "points_missing": _("Bitte verteilen Sie mindestens einen Punkt."),
        "points_invalid": _("Bitte nur ganze Zahlen ab 0 eintragen."),
        "budget_total": _("Gewählt: {total} von {budget} (noch {left} frei)"),
        "budget_over": _("„{title}“ kostet {cost} und passt nicht mehr ins Budget (noch {left} frei)."),
        "budget_missing": _("Bitte wählen Sie mindestens eine Maßnahme."),
        # ranking
        "ranking_missing": _("Bitte ordnen Sie mindestens eine Maßnahme ein."),
        "ranked_title": _("Ihre Rangfolge"),
        "unranked_title": _("Nicht eingeordnet"),
        "rank_place": _("Platz {place}"),
        "rank_up": _("„{title}“ nach oben"),
        "rank_down": _("„{title}“ nach unten"),
        "rank_tie": _("„{title}“ gleichauf mit vorheriger"),
        "rank_remove": _("„{title}“ nicht einordnen"),
        "rank_add": _("„{title}“ einordnen"),
        "up": _("nach oben"),
        "down": _("nach unten"),
        "tie": _("gleichauf mit vorheriger"),
        "remove": _("nicht einordnen"),
        "add": _("einordnen"),
        "rank_now": _("„{title}“: Platz {place} von {total}"),
        "rank_removed": _("„{title}“ ist nicht mehr eingeordnet."),
        "ranked_none": _(
            "Noch keine Maßnahme eingeordnet. Wählen Sie unten „einordnen“ – zuerst, was Ihnen am wichtigsten ist."
        ),
        "unranked_none": _("Alle Maßnahmen sind eingeordnet."),
        # pairwise
        "pair_saved": _("Gespeichert."),
        "pair_shown": _("Neues Paar: „{left}“ oder „{right}“."),
        "pair_count_one": _("Sie haben {n} Paar verglichen."),
        "pair_count_other": _("Sie haben {n} Paare verglichen."),
        "pair_none": _("Es gibt noch nicht genug Maßnahmen für einen Vergleich."),
        "proposal_sent": _(
            "Danke! Ihr Vorschlag „{title}“ ist eingegangen. Die Moderation prüft ihn, bevor er in den Vergleich kommt."
        ),
        "proposal_missing": _("Bitte geben Sie Ihrem Vorschlag einen Titel."),
    }


def _page_data(request, consultation, options, current, preview):
    pk = consultation.pk
    return {
        "id": pk,
        "method": consultation.method,
        "eligibility": consultation.eligibility,
        "settings": consultation.settings,
        "accepting": consultation.is_accepting,
        "preview": preview,
        "options": [
            {"id": m.pk, "title": m.title_t, "cost": None if m.estimated_cost is None else float(m.estimated_cost)}
            for m in options
        ],
        "current": current,
        "api": {
            "ballot": reverse("api:consultation-ballot", args=[pk]),
            "pairs_next": reverse("api:consultation-pair-next", args=[pk]),
            "pairs": reverse("api:consultation-pairs", args=[pk]),
            "proposals": reverse("api:consultation-proposals", args=[pk]),
        },
        "login_url": f"{reverse('accounts:login')}?next={request.path}",
    }


def _render_detail(
    request, consultation, *, status=200, error=None, cast_result=None, sent=None, access_code="", **extra
):
    """The consultation page: explanation, ballot (or its outcome), results when allowed."""
    options = _options(consultation)
    phase = consultation.phase
    can_manage = selectors.can_manage(request.user, consultation)
    current = None
    new_token = None
    notice = None
    voter = None
    try:
        voter = _known_voter(request, consultation)
    except REFUSALS:
        voter = None
    if consultation.eligibility == Eligibility.ACCOUNT and request.user.is_authenticated and voter is None:
        notice = "verify"
    if voter is not None and phase != Phase.CLOSED:
        # After the close not even the voter's own code shows the ballot (actions.current_ballot).
        current = actions.current_ballot(consultation, voter)
    pair = extra.pop("pair", None)
    if consultation.method == Method.PAIRWISE and phase == Phase.OPEN and pair is None and "pair_voter" not in extra:
        # The first pair for voters the request already identifies (no-JS path; the script reuses it).
        new_token = None if browser_token(request) else _new_browser_token(consultation)
        pair_voter = voter
        # An access code is only tried here on GET (the letter's link): a refused POST was
        # counted as a failed attempt already and must not count twice.
        if pair_voter is None and (new_token or (access_code and request.method == "GET")):
            try:
                pair_voter = _voter(request, consultation, access_code, new_token)
            except REFUSALS:
                pair_voter = None
        if pair_voter is not None:
            pair = selectors.next_pair(consultation, pair_voter)
    extra.pop("pair_voter", None)
    preview = phase in (Phase.DRAFT, Phase.SCHEDULED) and can_manage
    show_ballot = phase == Phase.OPEN or preview
    values = _ballot_values(consultation, sent if sent is not None else (current or {}).get("ballot"))
    blank = {"checked": False, "grade": None, "points": None, "place": None}
    items = [{"measure": m, **blank, **values.get(m.pk, {})} for m in options]
    snapshot = latest_snapshot(consultation)
    # Public: the published snapshot, else interim results while open (when allowed). The
    # facilitators also see the unpublished count of a closed consultation.
    results_visible = counting.results_visible_to_public(consultation) or (can_manage and phase == Phase.CLOSED)
    context = {
        "consultation": consultation,
        "phase": phase,
        "options": options,
        "items": items,
        "can_manage": can_manage,
        "show_ballot": show_ballot,
        "preview": preview,
        "current": current,
        "cast_result": cast_result,
        "error": error,
        "notice": notice,
        "access_code": access_code,
        "grades": grade_labels(consultation.settings),
        "places": range(1, len(options) + 1),
        "budget_points": consultation.settings.get("budget_points"),
        "pair": pair,
        "proposal_form": extra.pop("proposal_form", None) or ProposalForm(),
        "results_visible": results_visible,
        "results": _published_results(snapshot) if snapshot else (_results(consultation) if results_visible else None),
        "snapshot": snapshot,
        "awaiting_publication": phase == Phase.CLOSED and snapshot is None,
        "login_url": f"{reverse('accounts:login')}?next={request.path}",
        "page_data": _page_data(request, consultation, options, current, preview),
        "strings": client_strings(),
        **extra,
    }
    response = render(request, "consultations/detail.html", context, status=status)
    return with_browser_cookie(request, response, new_token)


# --- public pages -----------------------------------------------------------------


def consultation_list(request):
    consultations = list(selectors.visible_consultations(request.user).order_by("closes_at", "-created"))
    groups = {phase: [] for phase in Phase.values}
    for consultation in consultations:
        groups[consultation.phase].append(consultation)
    context = {
        "open": groups[Phase.OPEN],
        "scheduled": sorted(groups[Phase.SCHEDULED], key=lambda c: c.opens_at),
        "closed": sorted(groups[Phase.CLOSED], key=lambda c: c.closes_at, reverse=True),
        "drafts": [c for c in groups[Phase.DRAFT] if selectors.can_manage(request.user, c)],
        "may_create": rules.is_facilitator(request.user),
    }
    return render(request, "consultations/list.html", context)


@never_cache
def consultation_detail(request, pk):
    consultation = _consultation(request, pk)
    # From the letter's QR code; the script moves it into the field and off the address bar.
    code = actions.format_code(actions.normalise_code(request.GET.get("code", ""))[: actions.ACCESS_CODE_LENGTH])
    if consultation.eligibility != Eligibility.ACCESS_CODE:
        code = ""
    return _render_detail(request, consultation, access_code=code)


@never_cache
@require_POST
def cast(request, pk):
    """The ballot form without JavaScript."""
    consultation = _consultation(request, pk)
    code = request.POST.get("access_code", "")[:64]
    sent = None
    new_token = None if browser_token(request) else _new_browser_token(consultation)
    try:
        sent = ballot_from_post(consultation, _options(consultation), request.POST)
        actions.limit_ballots_from(consultation, client_address(request))
        voter = _voter(request, consultation, code, new_token)
        result = actions.cast_ballot(consultation, voter, sent)
    except REFUSALS as exc:
        error = _error_from(exc)
        return _render_detail(request, consultation, status=error["status"], error=error, sent=sent, access_code=code)
    response = _render_detail(request, consultation, cast_result=result, sent=sent, access_code=code)
    return with_browser_cookie(request, response, new_token)


@never_cache
@require_POST
def pair(request, pk):
    """One answer of a pairwise comparison without JavaScript (or only the access code, to start)."""
    consultation = _consultation(request, pk)
    if consultation.method != Method.PAIRWISE:
        raise Http404
    code = request.POST.get("access_code", "")[:64]
    new_token = None if browser_token(request) else _new_browser_token(consultation)
    answered = False
    try:
        voter = _voter(request, consultation, code, new_token)
        if "choice" in request.POST:
            form = PairForm(request.POST)
            if not form.is_valid():
                raise ValidationError({"choice": [_("Bitte wählen Sie eine der beiden Maßnahmen.")]})
            data = form.cleaned_data
            actions.record_pair(
                consultation, voter, data["left"], data["right"], data["choice"], data["request_id"] or None
            )
            answered = True
        next_pair = selectors.next_pair(consultation, voter)
    except REFUSALS as exc:
        error = _error_from(exc)
        return _render_detail(request, consultation, status=error["status"], error=error, access_code=code)
    response = _render_detail(
        request, consultation, access_code=code, pair=next_pair, pair_voter=True, pair_answered=answered
    )
    return with_browser_cookie(request, response, new_token)


@never_cache
@require_POST
def propose(request, pk):
    """A citizen's own proposal in a pairwise consultation, without JavaScript."""
    consultation = _consultation(request, pk)
    if consultation.method != Method.PAIRWISE:
        raise Http404
    code = request.POST.get("access_code", "")[:64]
    form = ProposalForm(request.POST)
    new_token = None if browser_token(request) else _new_browser_token(consultation)
    if not form.is_valid():
        return _render_detail(request, consultation, status=400, proposal_form=form, access_code=code)
    try:
        voter = _voter(request, consultation, code, new_token)
        proposal = actions.propose_measure(
            consultation, voter, form.cleaned_data["title"], form.cleaned_data["description"]
        )
        next_pair = selectors.next_pair(consultation, voter)
    except REFUSALS as exc:
        error = _error_from(exc)
        return _render_detail(
            request, consultation, status=error["status"], proposal_error=error, proposal_form=form, access_code=code
        )
    response = _render_detail(
        request, consultation, proposal_sent=proposal, access_code=code, pair=next_pair, pair_voter=True
    )
    return with_browser_cookie(request, response, new_token)


# --- facilitators -----------------------------------------------------------------


def turnout_by_hour(consultation):
    """New voters per hour (the register keeps only the hour) and the running total."""
    rows = list(
        VoterRecord.objects.filter(consultation=consultation)
        .values("first_voted_hour")
        .annotate(n=Count("id"))
        .order_by("first_voted_hour")
    )
    totals = accumulate(row["n"] for row in rows)
    return [
        {"hour": row["first_voted_hour"], "new": row["n"], "total": total}
        for row, total in zip(rows, totals, strict=True)
    ]


def _code_form_token(request):
    token = secrets.token_urlsafe(16)
    tokens = request.session.get(CODE_FORM_SESSION_KEY, [])[-(CODE_FORM_TOKENS - 1) :]
    request.session[CODE_FORM_SESSION_KEY] = [*tokens, token]
    return token


def _use_code_form_token(request, token):
    """True once per token: a reloaded or repeated form neither makes nor shows codes again."""
    tokens = request.session.get(CODE_FORM_SESSION_KEY, [])
    if token not in tokens:
        return False
    tokens.remove(token)
    request.session[CODE_FORM_SESSION_KEY] = tokens
    return True


@never_cache
def manage(request, pk, codes_form=None, status=200):
    consultation = _consultation(request, pk)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not selectors.can_manage(request.user, consultation):
        raise Http404
    phase = consultation.phase
    if codes_form is None and consultation.eligibility == Eligibility.ACCESS_CODE:
        codes_form = AccessCodesForm(initial={"form_token": _code_form_token(request)})
    if codes_form is not None and codes_form.is_bound:
        # A fresh token for the next try; the sent one may already be used.
        codes_form.data = codes_form.data.copy()
        codes_form.data["form_token"] = _code_form_token(request)
    context = {
        "consultation": consultation,
        "phase": phase,
        "options": _options(consultation),
        "turnout": consultation.voters.count(),
        "turnout_hours": turnout_by_hour(consultation),
        "ballots": consultation.ballots.count() if consultation.method != Method.PAIRWISE else None,
        "comparisons": consultation.pairwise_votes.count() if consultation.method == Method.PAIRWISE else None,
        "code_batches": list(
            consultation.access_codes.values("batch").annotate(n=Count("id"), used=Count("voter")).order_by("batch")
        ),
        "codes_form": codes_form,
        "proposals": list(Proposal.objects.filter(consultation=consultation, status=ProposalStatus.PENDING)),
        "decided_proposals": list(
            Proposal.objects.filter(consultation=consultation).exclude(status=ProposalStatus.PENDING)
        ),
        "results": _results(consultation) if phase != Phase.DRAFT else None,
        "may_open": phase in (Phase.DRAFT, Phase.SCHEDULED),
        "may_schedule": phase == Phase.DRAFT and consultation.opens_at is not None,
        "may_close": phase in (Phase.OPEN, Phase.SCHEDULED),
    }
    return render(request, "consultations/manage.html", context, status=status)


def _manager_post(request, pk):
    consultation = _consultation(request, pk)
    if not request.user.is_authenticated or not selectors.can_manage(request.user, consultation):
        raise Http404
    return consultation


def _state_change(request, pk, action, done):
    consultation = _manager_post(request, pk)
    try:
        action(request.user, consultation)
    except REFUSALS as exc:
        messages.error(request, _error_from(exc)["message"])
    else:
        messages.success(request, done)
    return redirect("consultations:manage", pk=consultation.pk)


def _confirmed(request, message):
    """Irreversible steps go ahead only with the ticked box of their form (works without JavaScript)."""
    if request.POST.get("confirm") == "yes":
        return True
    messages.error(request, message)
    return False


@require_POST
def open_now(request, pk):
    consultation = _manager_post(request, pk)
    if not _confirmed(request, _("Bitte bestätigen Sie, dass die Befragung jetzt geöffnet werden soll.")):
        return redirect("consultations:manage", pk=consultation.pk)
    return _state_change(request, pk, actions.open_consultation, _("Die Befragung ist geöffnet."))


@require_POST
def schedule(request, pk):
    consultation = _manager_post(request, pk)
    if not _confirmed(request, _("Bitte bestätigen Sie, dass die Befragung veröffentlicht werden soll.")):
        return redirect("consultations:manage", pk=consultation.pk)
    return _state_change(
        request, pk, actions.schedule_consultation, _("Die Befragung ist veröffentlicht und öffnet zur geplanten Zeit.")
    )


@require_POST
def close(request, pk):
    consultation = _manager_post(request, pk)
    if not _confirmed(request, _("Bitte bestätigen Sie, dass die Befragung endgültig geschlossen werden soll.")):
        return redirect("consultations:manage", pk=consultation.pk)
    return _state_change(request, pk, actions.close_consultation, _("Die Befragung ist geschlossen."))


@never_cache
@require_POST
def access_codes(request, pk):
    """Makes codes and shows them once, as printable letters; they are never stored in plain text."""
    consultation = _manager_post(request, pk)
    if consultation.eligibility != Eligibility.ACCESS_CODE:
        raise Http404
    form = AccessCodesForm(request.POST)
    if not form.is_valid():
        return manage(request, pk, codes_form=form, status=400)
    if not _use_code_form_token(request, form.cleaned_data["form_token"]):
        response = render(request, "consultations/letters_gone.html", {"consultation": consultation}, status=410)
        response["Cache-Control"] = "no-store"
        return response
    try:
        codes, batch = actions.generate_access_codes(request.user, consultation, form.cleaned_data["count"])
    except REFUSALS as exc:
        messages.error(request, _error_from(exc)["message"])
        return redirect("consultations:manage", pk=consultation.pk)
    context = {
        "consultation": consultation,
        "batch": batch,
        "letters": letters_for(request, consultation, codes),
        "print_label": {"print": _("Briefe drucken")},
    }
    response = render(request, "consultations/letters.html", context)
    # Not into any cache, nor the back/forward cache: the page is the only copy of the codes.
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def decide(request, pk, proposal_id, decision):
    consultation = _manager_post(request, pk)
    proposal = get_object_or_404(Proposal, pk=proposal_id, consultation=consultation)
    if decision not in ("aufnehmen", "ablehnen"):
        raise Http404
    approve = decision == "aufnehmen"
    try:
        actions.decide_proposal(request.user, proposal, approve)
    except REFUSALS as exc:
        messages.error(request, _error_from(exc)["message"])
    else:
        text = (
            _("Der Vorschlag „%(title)s“ ist aufgenommen.")
            if approve
            else _("Der Vorschlag „%(title)s“ ist abgelehnt.")
        )
        messages.success(request, text % {"title": proposal.title})
    return redirect("consultations:manage", pk=consultation.pk)


@never_cache
def create(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    processes = managed_processes(request.user)
    if not rules.is_facilitator(request.user) or not processes.exists():
        raise Http404
    process = None
    query = request.GET.copy()
    # Links may name the process by its slug (/befragungen/neu/?process=<slug>) as well as by id.
    wanted = query.get("process", "")
    if wanted and not wanted.isdigit():
        found = processes.filter(slug=wanted[:200]).values_list("pk", flat=True).first()
        query["process"] = str(found) if found else wanted
    chooser = ProcessChoiceForm(query or None, processes=processes)
    if request.method == "POST":
        # Through the form's field: "abc" or a number beyond 64 bits is not found (404), not a 500.
        posted = ProcessChoiceForm(request.POST, processes=processes)
        if not posted.is_valid():
            raise Http404
        process = posted.cleaned_data["process"]
    elif chooser.is_bound and chooser.is_valid():
        process = chooser.cleaned_data["process"]
    elif processes.count() == 1:
        process = processes.get()
    if process is None:
        return render(request, "consultations/create.html", {"chooser": chooser})
    form = ConsultationForm(request.POST or None, process=process)
    if request.method == "POST" and form.is_valid():
        try:
            consultation = actions.create_consultation(request.user, process, form.action_data())
        except ValidationError as exc:
            form.add_action_errors(exc)
        else:
            messages.success(request, _("Die Befragung ist als Entwurf angelegt."))
            return redirect("consultations:manage", pk=consultation.pk)
    status = 400 if form.is_bound else 200
    return render(
        request, "consultations/create.html", {"form": form, "process": process, "chooser": chooser}, status=status
    )


def settings_summary(consultation):
    """The method's settings in words, for the read-only view of a running consultation."""
    settings = consultation.settings or {}
    method = consultation.method
    if method == Method.APPROVAL:
        limit = settings.get("max_approvals")
        if not limit:
            return [_("Beliebig viele Zustimmungen")]
        return [ngettext("Höchstens %(n)d Zustimmung", "Höchstens %(n)d Zustimmungen", limit) % {"n": limit}]
    if method == Method.SCORE:
        return [_("Bewertung in Worten") if settings.get("labels") == "words" else _("Bewertung mit Zahlen 0 bis 5")]
    if method == Method.POINTS:
        if settings.get("use_costs"):
            return [_("Bürgerhaushalt mit einem Budget von %(budget)s") % {"budget": money(settings.get("budget"))}]
        return [_("%(n)s Punkte je Person") % {"n": number(settings.get("budget_points"))}]
    if method == Method.PAIRWISE:
        return [
            _("Eigene Vorschläge erlaubt") if settings.get("allow_proposals", True) else _("Keine eigenen Vorschläge")
        ]
    return [_("Keine weiteren Einstellungen")]


@never_cache
def edit(request, pk):
    """The set-up of a consultation: everything in a draft, texts and the end once it runs
    (actions.editable_setup); what is fixed is shown read-only with the reason."""
    consultation = _consultation(request, pk)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not selectors.can_manage(request.user, consultation):
        raise Http404
    editable, reason = actions.editable_setup(consultation)
    form = ConsultationForm(
        request.POST if request.method == "POST" else None,
        process=consultation.process,
        consultation=consultation,
        editable=editable,
        lock_reason=reason,
        initial=initial_from(consultation),
    )
    if form.is_bound and form.is_valid():
        try:
            _updated, changed = actions.update_consultation(request.user, consultation, form.action_data())
        except REFUSALS as exc:
            if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
                form.add_action_errors(exc)
            else:
                form.add_error(None, _error_from(exc)["message"])
        else:
            messages.success(
                request, _("Die Änderungen sind gespeichert.") if changed else _("Es gab nichts zu ändern.")
            )
            return redirect("consultations:manage", pk=consultation.pk)
    context = {
        "consultation": consultation,
        "process": consultation.process,
        "form": form,
        "phase": consultation.phase,
        "lock_reason": reason,
        "options": _options(consultation),
        "settings_summary": settings_summary(consultation),
    }
    return render(request, "consultations/edit.html", context, status=400 if form.is_bound else 200)
