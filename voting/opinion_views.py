"""Opinion map pages: answering and proposing statements without JavaScript, the map as a
fragment for the page's refresh, and the facilitators' statements."""

import re

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from . import opinion_actions, opinion_presenters, opinion_selectors
from .api import browser_token, with_browser_cookie
from .models import Method, Statement
from .views import (
    REFUSALS,
    _consultation,
    _error_from,
    _known_voter,
    _manager_post,
    _new_browser_token,
    _render_detail,
    _voter,
    moderate,
)


def _opinion_map(request, pk):
    consultation = _consultation(request, pk)
    if consultation.method != Method.OPINION:
        raise Http404
    return consultation


WHOLE = re.compile(r"-?[0-9]{1,18}")


def _whole(raw):
    """A whole number from a form field, or None (the action then says what is wrong)."""
    text = str(raw or "").strip()
    return int(text) if WHOLE.fullmatch(text) else None


@never_cache
@require_POST
def answer(request, pk):
    """One answer to a statement, without JavaScript; the page then shows the next one."""
    consultation = _opinion_map(request, pk)
    code = request.POST.get("access_code", "")[:64]
    new_token = None if browser_token(request) else _new_browser_token(consultation)
    try:
        voter = _voter(request, consultation, code, new_token)
        opinion_actions.answer_statement(
            consultation, voter, _whole(request.POST.get("statement")), _whole(request.POST.get("value"))
        )
    except REFUSALS as exc:
        error = _error_from(exc)
        return _render_detail(request, consultation, status=error["status"], error=error, access_code=code)
    response = _render_detail(request, consultation, access_code=code, opinion_voter=voter, answered=True)
    return with_browser_cookie(request, response, new_token)


@never_cache
@require_POST
def statement(request, pk):
    """A participant's own statement, without JavaScript."""
    consultation = _opinion_map(request, pk)
    code = request.POST.get("access_code", "")[:64]
    text = request.POST.get("text", "")[:2000]
    new_token = None if browser_token(request) else _new_browser_token(consultation)
    try:
        voter = _voter(request, consultation, code, new_token)
        opinion_actions.propose_statement(consultation, voter, text)
    except REFUSALS as exc:
        error = _error_from(exc)
        return _render_detail(
            request,
            consultation,
            status=error["status"],
            statement_error=error,
            statement_text=text,
            access_code=code,
        )
    response = _render_detail(request, consultation, access_code=code, opinion_voter=voter, statement_sent=True)
    return with_browser_cookie(request, response, new_token)


@never_cache
def map_fragment(request, pk):
    """The map alone, for the page's script to swap in every few seconds."""
    consultation = _opinion_map(request, pk)
    try:
        voter = _known_voter(request, consultation)
    except REFUSALS:
        voter = None
    me = None if voter is None else opinion_selectors.public_map(consultation)[1].get(voter.ballot_key)
    return render(
        request,
        "consultations/_opinion_map.html",
        {"map": opinion_presenters.map_view(consultation, me), "consultation": consultation},
    )


@require_POST
def add(request, pk):
    """A facilitator's statement, visible at once."""
    consultation = _manager_post(request, pk)
    if consultation.method != Method.OPINION:
        raise Http404
    try:
        opinion_actions.add_statement(
            request.user, consultation, request.POST.get("text", "")[:2000], request.POST.get("text_en", "")[:2000]
        )
    except REFUSALS as exc:
        messages.error(request, _error_from(exc)["message"])
    else:
        messages.success(request, _("Die Aussage ist hinzugefügt und für alle sichtbar."))
    return redirect("consultations:manage", pk=consultation.pk)


@require_POST
def decide(request, pk, statement_id, decision):
    done = (_("Die Aussage ist sichtbar."), _("Die Aussage ist ausgeblendet."))
    return moderate(
        request, pk, Statement, statement_id, decision, ("zeigen", "ausblenden"), opinion_actions.decide_statement, done
    )
