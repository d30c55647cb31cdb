"""Consultation pages (namespace "consultations"): thin views over voting.actions,
voting.selectors and voting.presenters. The results part of the consultation and
management pages comes from results' template tags (``{% load results %}``):
voting does not import results, which sits above it.

The ballot works without JavaScript as a plain form POST (``cast``, ``pair``,
``propose``); frontend/static/js/ballot*.js enhances the same form and submits it to
the REST API instead (PUT /api/consultations/{id}/ballot), so both paths end in
actions.cast_ballot. Facilitators manage a consultation through POST forms whose
views call the actions as well.
"""

import secrets

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from participation import rules
from participation.errors import Conflict, RateLimited, Unauthenticated
from participation.moderation_selectors import managed_processes
from participation.security import client_address

from . import actions, opinion_presenters, opinion_selectors, pabulib_actions, presenters, selectors
from .api import browser_token, with_browser_cookie
from .forms import (
    AccessCodesForm,
    ConsultationForm,
    PabulibImportForm,
    PairForm,
    ProcessChoiceForm,
    ProposalForm,
    ballot_from_post,
    grade_labels,
    initial_from,
)
from .letters import letters_for
from .models import Eligibility, Method, Phase, Proposal

# How many one-time tokens of the access-code form a session keeps (several open tabs).
CODE_FORM_TOKENS = 20
CODE_FORM_SESSION_KEY = "consultations:code-forms"


# --- helpers ----------------------------------------------------------------------


def _consultation(request, pk):
    """A consultation this user may see: drafts only for their facilitators, else 404."""
    return get_object_or_404(selectors.visible_consultations(request.user), pk=pk)


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


def _dot_of(consultation, voter):
    """The number of this participant's dot on the map (None: not on it, or not known)."""
    if voter is None:
        return None
    return opinion_selectors.public_map(consultation)[1].get(voter.ballot_key)


def _render_detail(
    request, consultation, *, status=200, error=None, cast_result=None, sent=None, access_code="", **extra
):
    """The consultation page: explanation, ballot (or its outcome), results when allowed."""
    options = selectors.ballot_measures(consultation)
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
        # After the close not even the voter's own code shows the ballot (actions.current_ballot),
        # nor ever a ballot that came on paper: the page then refuses when the form is sent.
        try:
            current = actions.current_ballot(consultation, voter)
        except Conflict:
            current = None
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
    opinion = None
    if consultation.method == Method.OPINION:
        opinion_voter = extra.pop("opinion_voter", voter)
        opinion = {
            "next": opinion_presenters.statement_view(consultation, opinion_voter),
            "map": opinion_presenters.map_view(consultation, _dot_of(consultation, opinion_voter)),
        }
    preview = phase in (Phase.DRAFT, Phase.SCHEDULED) and can_manage
    show_ballot = phase == Phase.OPEN or preview
    values = presenters.ballot_values(consultation, sent if sent is not None else (current or {}).get("ballot"))
    blank = {"checked": False, "grade": None, "points": None, "place": None}
    items = [{"measure": m, **blank, **values.get(m.pk, {})} for m in options]
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
        "budget_ballot": consultation.settings.get("budget_ballot", "knapsack")
        if consultation.settings.get("use_costs")
        else None,
        "pair": pair,
        "opinion": opinion,
        "proposal_form": extra.pop("proposal_form", None) or ProposalForm(),
        "login_url": f"{reverse('accounts:login')}?next={request.path}",
        "page_data": presenters.page_data(request, consultation, options, current, preview),
        "strings": presenters.client_strings(),
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
        sent = ballot_from_post(consultation, selectors.ballot_measures(consultation), request.POST)
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
        "options": selectors.ballot_measures(consultation),
        **selectors.management_figures(consultation),
        "codes_form": codes_form,
        "may_open": phase in (Phase.DRAFT, Phase.SCHEDULED),
        "may_schedule": phase == Phase.DRAFT and consultation.opens_at is not None,
        "may_close": phase in (Phase.OPEN, Phase.SCHEDULED),
        "embed_url": request.build_absolute_uri(reverse("consultations:embed", args=[consultation.pk])),
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
        "paper_ballot": presenters.paper_ballot(consultation),
        "print_label": {"print": _("Briefe drucken")},
    }
    response = render(request, "consultations/letters.html", context)
    # Not into any cache, nor the back/forward cache: the page is the only copy of the codes.
    response["Cache-Control"] = "no-store"
    return response


def moderate(request, pk, model, item_id, decision, words, action, done):
    """A facilitator's decision on something a participant sent in (a proposal, a
    statement): ``words`` are the URL's (yes, no), ``done`` the two messages, which may
    name the item's ``%(title)s``."""
    consultation = _manager_post(request, pk)
    item = get_object_or_404(model, pk=item_id, consultation=consultation)
    if decision not in words:
        raise Http404
    yes = decision == words[0]
    try:
        action(request.user, item, yes)
    except REFUSALS as exc:
        messages.error(request, _error_from(exc)["message"])
    else:
        messages.success(request, done[0 if yes else 1] % {"title": getattr(item, "title", "")})
    return redirect("consultations:manage", pk=consultation.pk)


@require_POST
def decide(request, pk, proposal_id, decision):
    done = (_("Der Vorschlag „%(title)s“ ist aufgenommen."), _("Der Vorschlag „%(title)s“ ist abgelehnt."))
    return moderate(
        request, pk, Proposal, proposal_id, decision, ("aufnehmen", "ablehnen"), actions.decide_proposal, done
    )


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


@never_cache
def import_pabulib(request):
    """A participatory budget from a Pabulib file as a closed consultation of a process
    the facilitator manages (pabulib_actions.import_pabulib, as manage.py import_pabulib)."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    processes = managed_processes(request.user)
    if not rules.is_facilitator(request.user) or not processes.exists():
        raise Http404
    if request.method == "POST":
        form = PabulibImportForm(request.POST, request.FILES, processes=processes)
        # A process this facilitator does not manage is not found (as on /befragungen/neu/);
        # none chosen is a mistake on the form.
        if request.POST.get("process") and not ProcessChoiceForm(request.POST, processes=processes).is_valid():
            raise Http404
    else:
        # Links name the process by its slug (?process=<slug>) or by its id, as on /befragungen/neu/.
        wanted = request.GET.get("process", "")[:200]
        process = None
        if wanted:
            chooser = ProcessChoiceForm({"process": wanted}, processes=processes)
            if wanted.isdigit() and chooser.is_valid():
                process = chooser.cleaned_data["process"]
            elif not wanted.isdigit():
                process = processes.filter(slug=wanted).first()
            if process is None:
                raise Http404
        elif processes.count() == 1:
            process = processes.get()
        form = PabulibImportForm(initial={"process": process}, processes=processes)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        upload = data["file"]
        try:
            result = pabulib_actions.import_pabulib(
                request.user, data["process"], upload.read(), data["rule"], file_name=upload.name
            )
        except ValidationError as exc:
            for field, texts in exc.message_dict.items():
                form.add_error(field if field in form.fields else "file", texts)
        else:
            messages.success(
                request,
                _(
                    "Der Bürgerhaushalt ist aus Pabulib eingelesen (Maßnahmen: %(measures)s, Stimmzettel: "
                    "%(ballots)s). Die Befragung ist beendet; prüfen und veröffentlichen Sie hier ihr Ergebnis."
                )
                % {"measures": result.measures, "ballots": result.ballots},
            )
            if result.refused:
                messages.warning(
                    request,
                    _("Abgewiesene Stimmzettel, die die Regeln der Befragung verletzen: %(refused)s.")
                    % {"refused": result.refused},
                )
            return redirect("consultations:manage", pk=result.consultation.pk)
    status = 400 if form.is_bound else 200
    return render(request, "consultations/import_pabulib.html", {"form": form}, status=status)


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
        "options": selectors.ballot_measures(consultation),
        "settings_summary": presenters.settings_summary(consultation),
    }
    return render(request, "consultations/edit.html", context, status=400 if form.is_bound else 200)
