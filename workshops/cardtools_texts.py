"""The texts of the card tools in the browser (frontend/static/js/workshop-cardtools.js):
brainwriting, reactions, the badges and the facilitator's card menu. They join the
page's other texts in ``views.client_strings``."""

from django.utils.translation import gettext as _

from .models import REACTIONS


def reaction_names():
    """What a screen reader says for each reaction, in the order of ``models.REACTIONS``."""
    names = {
        "👍": _("Daumen hoch"),
        "❤️": _("Herz"),
        "💡": _("Gute Idee"),
        "❓": _("Frage"),
        "🎉": _("Klasse"),
        "⚠️": _("Vorsicht"),
    }
    return [[emoji, names[emoji]] for emoji in REACTIONS]


def cardtools_strings():
    return {
        "cardtools_reactions": reaction_names(),
        # brainwriting
        "bw_banner": _("Brainwriting: Ihre Karten sind nur für Sie sichtbar, bis die Moderation sie aufdeckt."),
        "bw_written_one": _("Bisher ist {n} Karte geschrieben."),
        "bw_written_other": _("Bisher sind {n} Karten geschrieben."),
        "bw_yours_one": _("{n} davon von Ihnen."),
        "bw_yours_other": _("{n} davon von Ihnen."),
        "bw_started": _("Brainwriting hat begonnen: Ihre Karten sieht niemand, bis sie aufgedeckt werden."),
        "bw_revealed_one": _("Aufgedeckt: {n} Karte."),
        "bw_revealed_other": _("Aufgedeckt: {n} Karten."),
        "bw_start": _("Brainwriting starten"),
        "bw_reveal": _("Karten aufdecken"),
        "bw_title": _("Brainwriting"),
        "bw_off": _("Neue Karten sehen alle sofort."),
        "bw_on": _("Neue Karten bleiben bei ihren Verfasser:innen, bis Sie sie aufdecken."),
        # badges
        "badge_private": _("nur für Sie sichtbar"),
        "badge_pinned": _("angeheftet"),
        "badge_locked": _("gesperrt"),
        "badge_hidden": _("ausgeblendet: nur die Moderation sieht sie"),
        # reactions
        "reactions_label": _("Reaktionen"),
        "reaction_button": _("{name}: {n}"),
        # the facilitator's card menu
        "card_menu": _("Karte moderieren"),
        "card_lock": _("Sperren"),
        "card_pin": _("Anheften"),
        "card_hide": _("Ausblenden"),
        "card_color": _("Farbe ändern"),
        "merge_into": _("Zusammenführen mit …"),
        "merge_choose": _("Karte wählen"),
        "merge_button": _("Zusammenführen"),
        "merge_none": _("Keine andere Karte zum Zusammenführen."),
        "merge_confirm": _("Diese Karte in „{text}“ übernehmen? Likes, Reaktionen und Kommentare wandern mit."),
        "merged_one": _("{n} Karte zusammengeführt in „{text}“."),
        "merged_other": _("{n} Karten zusammengeführt in „{text}“."),
    }
