"""Workshop pages. The live board itself is drawn by the ES modules frontend/static/js/workshop-*.js;
the pages give them their data in data-* attributes and their texts as a json_script dictionary."""

from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from participation import rules

from . import selectors
from .api import visible_workshop, workshop_links
from .cardtools_texts import cardtools_strings
from .models import (
    POLL_OPTIONS_MAX,
    BreakoutMode,
    CardColor,
    ParticipantRole,
    Phase,
    PollKind,
    PollState,
    ProjectorView,
    normalise_code,
)


def client_strings():
    """The texts the JavaScript shows, in the active language. {name} marks a value filled in
    by the script; keys ending in _one/_other are the singular and plural forms."""
    return {
        "choices": {
            "colors": dict(CardColor.choices),
            "phases": dict(Phase.choices),
            "poll_kinds": dict(PollKind.choices),
            "poll_states": dict(PollState.choices),
            "roles": dict(ParticipantRole.choices),
        },
        # connection
        "offline": _("Verbindung unterbrochen – wird wiederhergestellt …"),
        "back_online": _("Wieder verbunden."),
        "pending_one": _("{n} Änderung wird gesendet, sobald die Verbindung wieder steht."),
        "pending_other": _("{n} Änderungen werden gesendet, sobald die Verbindung wieder steht."),
        "fatal_unauthorised": _("Ihre Teilnahme ist abgelaufen oder ungültig."),
        "fatal_not_found": _("Diesen Workshop gibt es nicht (mehr)."),
        "join_again": _("Erneut beitreten"),
        # joining
        "continue_as": _("Weiter als {name}"),
        "name_missing": _("Bitte geben Sie einen Namen ein."),
        "join_closed": _("Der Workshop ist beendet. Sie können nur noch zuschauen."),
        "join_failed": _("Beitreten hat nicht geklappt: {reason}"),
        "projector_name": _("Projektor"),
        # status line
        "phase": _("Phase"),
        "online_one": _("{n} Person online"),
        "online_other": _("{n} Personen online"),
        "online_stale": _("zuletzt bekannt: {online}"),
        "board_locked": _("Board gesperrt"),
        "authors_hidden": _("Namen ausgeblendet"),
        "you_are": _("Sie: {name} ({role})"),
        "phase_now": _("Neue Phase: {phase}"),
        # cards
        "board_closed_now": _("In dieser Phase oder bei gesperrtem Board können keine Karten hinzugefügt werden."),
        "observer_note": _("Sie schauen nur zu und können nichts ändern."),
        "card_text_missing": _("Bitte schreiben Sie etwas auf die Karte."),
        "card_text": _("Text der Karte"),
        "color": _("Farbe"),
        "color_named": _("Farbe: {color}"),
        "by": _("von {name}"),
        "your_card": _("Ihre Karte"),
        "is_measure": _("als Maßnahme übernommen"),
        "like": _("Gefällt mir"),
        "likes_one": _("{n} Person gefällt das"),
        "likes_other": _("{n} Personen gefällt das"),
        "edit": _("Bearbeiten"),
        "delete": _("Löschen"),
        "save": _("Speichern"),
        "cancel": _("Abbrechen"),
        "promote": _("Als Maßnahme übernehmen"),
        "cluster": _("Cluster"),
        "no_cluster": _("Ohne Cluster"),
        "cards_one": _("{n} Karte"),
        "cards_other": _("{n} Karten"),
        "confirm_delete_card": _("Diese Karte wirklich löschen?"),
        "comments": _("Kommentare ({n})"),
        "comment": _("Ihr Kommentar"),
        "comment_send": _("Kommentieren"),
        "comment_missing": _("Bitte schreiben Sie einen Kommentar."),
        "card_pending": _("Noch nicht gespeichert: wird gesendet, sobald die Verbindung wieder steht."),
        "card_saving": _("Wird gespeichert …"),
        "new_card": _("Neue Karte: {text}"),
        "new_cards_one": _("{n} neue Karte"),
        "new_cards_other": _("{n} neue Karten"),
        # clusters
        "rename": _("Umbenennen"),
        "rename_cluster": _("Cluster „{title}“ umbenennen"),
        "delete_cluster": _("Cluster „{title}“ löschen"),
        "promote_cluster": _("Cluster „{title}“ als Maßnahme übernehmen"),
        "confirm_delete_cluster": _("Cluster „{title}“ löschen? Die Karten bleiben auf dem Board."),
        "cluster_title": _("Name des Clusters"),
        "cluster_title_missing": _("Bitte geben Sie dem Cluster einen Namen."),
        # polls
        "poll_opened": _("Abstimmung geöffnet: {question}"),
        "poll_closed": _("Abstimmung beendet: {question}"),
        "tally_now": _("Zwischenstand „{question}“: {votes}."),
        "tally_leader": _("Vorn: {option} ({value})."),
        "poll_open": _("Abstimmung öffnen"),
        "poll_close": _("Abstimmung schließen"),
        "poll_reveal": _("Ergebnis zeigen"),
        "poll_created": _("Die Abstimmung ist angelegt. Öffnen Sie sie, wenn es losgehen soll."),
        "poll_question_missing": _("Bitte geben Sie eine Frage ein."),
        "poll_options_missing": _("Bitte geben Sie mindestens zwei Optionen an."),
        "poll_options_too_many": _("Eine Abstimmung hat höchstens {n} Optionen."),
        "measures_chosen_one": _("{n} Maßnahme gewählt"),
        "measures_chosen_other": _("{n} Maßnahmen gewählt"),
        "measures_shown": _("{shown} von {total} angezeigt"),
        "source_card": _("Karte: {text}"),
        "source_cluster": _("Cluster: {title}"),
        "dots_each_one": _("{n} Punkt je Person"),
        "dots_each_other": _("{n} Punkte je Person"),
        "cap": _("höchstens {n} je Option"),
        "hidden_until_reveal": _("Ergebnis erst nach Freigabe"),
        "revealed": _("Ergebnis freigegeben"),
        "choose_one": _("Wählen Sie eine Option"),
        "choose_many": _("Wählen Sie eine oder mehrere Optionen"),
        "scale_hint": _("1 = gar nicht, 5 = voll und ganz"),
        "dots_left": _("Noch {left} von {total} Punkten übrig"),
        "dot_add": _("Einen Punkt mehr für {option}"),
        "dot_remove": _("Einen Punkt weniger für {option}"),
        "ranking_hint": _("Ordnen Sie die Optionen mit den Pfeilen: oben steht, was Ihnen am wichtigsten ist."),
        "rank_up": _("{option} nach oben"),
        "rank_down": _("{option} nach unten"),
        "rank_now": _("{option}: Platz {rank} von {total}"),
        "vote_submit": _("Stimme abgeben"),
        "vote_change": _("Stimme ändern"),
        "vote_saved": _("Ihre Stimme ist gespeichert. Sie können sie ändern, solange die Abstimmung offen ist."),
        "vote_missing": _("Bitte treffen Sie zuerst eine Wahl."),
        "vote_no_dots": _("Bitte verteilen Sie mindestens einen Punkt."),
        # results
        "votes_cast_one": _("{n} Stimme abgegeben"),
        "votes_cast_other": _("{n} Stimmen abgegeben"),
        "votes_one": _("{n} Stimme"),
        "votes_other": _("{n} Stimmen"),
        "dots_one": _("{n} Punkt"),
        "dots_other": _("{n} Punkte"),
        "points_one": _("{n} Punkt"),
        "points_other": _("{n} Punkte"),
        "scale_value": _("Ø {mean} ({ratings})"),
        "ratings_one": _("{n} Bewertung"),
        "ratings_other": _("{n} Bewertungen"),
        "no_grades": _("noch keine Bewertung"),
        "ranking_value": _("{points} Punkte, Ø Platz {rank}"),
        "results_hidden": _("Das Ergebnis wird gezeigt, sobald die Moderation es freigibt."),
        "no_votes_yet": _("Noch keine Stimmen."),
        "results_only_facilitator": _("Nur für die Moderation sichtbar, bis das Ergebnis freigegeben ist."),
        # refusals by the server, by error code
        "error_unknown": _("Das hat nicht geklappt."),
        "error_invalid": _("Die Eingabe wurde nicht angenommen. Bitte prüfen Sie sie."),
        "error_too_long": _("Der Text ist zu lang."),
        "error_not_found": _("Das gibt es auf dem Board nicht mehr."),
        "error_forbidden": _("Dazu fehlt Ihnen die Berechtigung."),
        "error_wrong_phase": _("Das ist in dieser Phase nicht möglich."),
        "error_locked": _("Die Moderation hat das Board gesperrt."),
        "error_conflict": _("Das ist bereits geschehen oder kollidiert mit einer anderen Änderung."),
        "error_too_many_dots": _("Sie haben mehr Punkte verteilt, als Sie haben."),
        "error_over_cap": _("Auf eine Option passen nicht so viele Punkte."),
        "error_poll_not_open": _("Diese Abstimmung ist nicht offen."),
        "error_rate_limited": _("Zu viele Aktionen auf einmal. Bitte einen Moment warten."),
        "error_revoked": _("Sie moderieren diesen Prozess nicht mehr; es wurde nichts geändert."),
        "error_server_error": _("Ein Fehler auf dem Server; es wurde nichts geändert. Bitte erneut versuchen."),
        **cardtools_strings(),
    }


def enter_code(request):
    raw = request.GET.get("code", "")
    code = normalise_code(raw)
    if code:
        try:
            visible_workshop(request, code)
        except Http404:
            error = _("Zu diesem Code gibt es keinen Workshop. Bitte prüfen Sie die Eingabe.")
            return render(request, "workshops/enter.html", {"code": raw[:32], "error": error}, status=404)
        return redirect("workshops:join", code=code)
    return render(request, "workshops/enter.html")


def _page(request, code, template, workshop=None, extra=None):
    workshop = workshop or visible_workshop(request, code)
    code = workshop.code
    context = {
        "workshop": workshop,
        "links": workshop_links(request, workshop),
        "is_facilitator": rules.can_manage_process(request.user, workshop.process),
        "strings": client_strings(),
        "urls": {
            "join": reverse("workshops:join", args=[code]),
            "board": reverse("workshops:board", args=[code]),
            "console": reverse("workshops:console", args=[code]),
            "projector": reverse("workshops:projector", args=[code]),
            "api_join": reverse("api:workshop-join", args=[code]),
            "qr": reverse("api:workshop-qr", args=[code]),
            "export": reverse("api:workshop-export", args=[code]),
            "ws": f"/ws/workshops/{code}/",
        },
        "colors": CardColor.choices,
        "poll_kinds": PollKind.choices,
        "breakout_modes": BreakoutMode.choices,
        **(extra or {}),
    }
    return render(request, template, context)


def join(request, code):
    return _page(request, code, "workshops/join.html")


def board(request, code):
    return _page(request, code, "workshops/board.html")


def console(request, code):
    workshop = visible_workshop(request, code)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not rules.can_manage_process(request.user, workshop.process):
        raise Http404
    # The catalogue goes into the page: it changes rarely during a session (a reload shows
    # new measures), and the socket protocol stays the board's.
    extra = {
        "measure_groups": selectors.catalogue_groups(workshop),
        "poll_options_max": POLL_OPTIONS_MAX,
        "projector_views": ProjectorView.choices,
    }
    return _page(request, code, "workshops/console.html", workshop=workshop, extra=extra)


def projector_strings():
    """The projector's own texts (the page's script reads them beside ``client_strings``)."""
    return {
        "views": dict(ProjectorView.choices),
        "no_cluster": _("Ohne Cluster"),
        "no_words": _("Noch keine Antworten."),
        "no_questions": _("Noch keine Fragen."),
        "votes_one": _("{n} Stimme"),
        "votes_other": _("{n} Stimmen"),
        "answered": _("beantwortet"),
        "timer_idle": _("Kein Timer läuft."),
        "timer_paused": _("angehalten"),
        "timer_running": _("läuft"),
        "timer_over": _("Die Zeit ist um."),
        "timer_group": _("Gruppe {name}"),
        "no_agenda": _("Noch kein Ablauf geplant."),
        "agenda_minutes": _("{n} Min."),
        "agenda_now": _("jetzt"),
        "agenda_done": _("erledigt"),
        "view_now": _("Projektor zeigt: {view}"),
    }


def projector(request, code):
    extra = {"projector_strings": projector_strings()}
    return _page(request, code, "workshops/projector.html", extra=extra)
