"""Presentation of consultations: what the consultation pages show and hand to the
ballot scripts (the ballot's values, the page data, the scripts' texts, the settings
in words), in the active language. Reads are in voting.selectors; the results part of
the pages comes from results (its template tags), which voting does not import."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from participation.templatetags.pages import money, number

from . import selectors
from .forms import grade_labels
from .models import BudgetBallot, BudgetRule, Method


def ballot_values(consultation, content):
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
        "projects_limit": _("Sie können höchstens {max} Projekte wählen. Entfernen Sie zuerst ein Häkchen."),
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
        # opinion map
        "statement_saved": _("Gespeichert."),
        "statement_next": _("Nächste Aussage: {text}"),
        "statements_progress": _("{done} von {total} Aussagen beantwortet"),
        "statements_done": _(
            "Sie haben alle Aussagen beantwortet. Danke! Neue Aussagen erscheinen hier, sobald sie dazukommen."
        ),
        "statements_none": _("Noch gibt es keine Aussagen."),
        "statement_missing": _("Bitte schreiben Sie Ihre Aussage."),
        "statement_sent": _("Danke! Ihre Aussage ist eingegangen. Die Moderation prüft sie, bevor andere sie sehen."),
    }


def page_data(request, consultation, options, current, preview):
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
            "statements": reverse("api:consultation-statements", args=[pk]),
            "answers": reverse("api:consultation-answers", args=[pk]),
        },
        "login_url": f"{reverse('accounts:login')}?next={request.path}",
    }


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
            lines = [_("Bürgerhaushalt mit einem Budget von %(budget)s") % {"budget": money(settings.get("budget"))}]
            style = settings.get("budget_ballot", BudgetBallot.KNAPSACK)
            lines.append(str(BudgetBallot(style).label))
            if style == BudgetBallot.APPROVAL and settings.get("max_projects"):
                lines.append(_("Höchstens %(n)s Projekte je Person") % {"n": number(settings["max_projects"])})
            if style == BudgetBallot.POINTS:
                lines.append(_("%(n)s Punkte je Person") % {"n": number(settings.get("budget_points"))})
            rule = settings.get("budget_rule") or BudgetRule.GREEDY
            lines.append(_("Entschieden nach: %(rule)s") % {"rule": BudgetRule(rule).label})
            return lines
        return [_("%(n)s Punkte je Person") % {"n": number(settings.get("budget_points"))}]
    if method == Method.PAIRWISE:
        return [
            _("Eigene Vorschläge erlaubt") if settings.get("allow_proposals", True) else _("Keine eigenen Vorschläge")
        ]
    if method == Method.OPINION:
        return [_("Eigene Aussagen erlaubt") if settings.get("allow_statements", True) else _("Keine eigenen Aussagen")]
    return [_("Keine weiteren Einstellungen")]


def paper_ballot(consultation):
    """What the printed letter's paper ballot shows, or None when the consultation takes
    no paper ballots: the measures with their costs, and how to mark them."""
    settings = consultation.settings or {}
    if not selectors.takes_paper(consultation):
        return None
    style = settings.get("budget_ballot", "knapsack") if settings.get("use_costs") else None
    if consultation.method == Method.APPROVAL or style in ("knapsack", "approval"):
        kind = "tick"
    elif consultation.method == Method.SCORE:
        kind = "grade"
    elif consultation.method == Method.RANKING:
        kind = "place"
    else:
        kind = "points"
    return {
        "kind": kind,
        "measures": selectors.ballot_measures(consultation),
        "grades": [label for _value, label in grade_labels(settings)],
        "costs": bool(settings.get("use_costs")),
        "help": " ".join(settings_summary(consultation)),
    }
