"""Opinion maps in the results module: their answers file, their result, their tables.

An opinion map has no ranking: its result is the map itself. Published, it is frozen
like any count: the anonymous *answers file* (participants numbered 1.., as on the live
map, with each answer to a visible statement) is stored with the snapshot, and the map
is computed from that file by ``voting.opinion_selectors.map_of_answers``, the function
the live page uses. A recount of the open data runs the same function on the same file
and must give the same bytes.

Answers file (``heilbronn-participation/opinion-answers/1``)::

    {"answers":[[1,12,1],[1,15,-1],[2,12,0],...],"consultation":7,"method":"opinion",
     "schema":"heilbronn-participation/opinion-answers/1"}

one ``[participant, statement, answer]`` per answer (1 agree, -1 disagree, 0 pass),
sorted by participant, then statement. The statements (``options`` of the result) are
the ones visible when the map was published; answers to hidden ones are not in it.
"""

from django.utils.translation import gettext_lazy

from voting import opinion_presenters, opinion_selectors

ANSWERS_SCHEMA = "heilbronn-participation/opinion-answers/1"
METHOD = "opinion"
ANSWERS = (1, -1, 0)

EXPLANATION = gettext_lazy(
    "Meinungslandkarte: Die Teilnehmenden haben kurzen Aussagen zugestimmt, nicht zugestimmt oder „weiß "
    "nicht“ gewählt und konnten eigene Aussagen vorschlagen. Wer ähnlich geantwortet hat, steht auf der Karte "
    "nah beieinander (Hauptkomponenten wie bei Polis); Gruppen bildet ein k-Means-Verfahren, dessen Zahl der "
    "Gruppen das Silhouettenmaß wählt. Gezeigt wird, was jede Gruppe von den anderen unterscheidet und welchen "
    "Aussagen alle Gruppen mehrheitlich zustimmen. Es wird nichts abgestimmt: Die Karte zeigt Meinungen und "
    "Gemeinsamkeiten."
)


group_letter = opinion_presenters.group_letter


def is_opinion(result):
    return ((result or {}).get("consultation") or {}).get("method") == METHOD


# --- from the database ------------------------------------------------------------------


def answers_document(consultation):
    """The anonymous answers file of a consultation's map now."""
    _numbers, _statements, rows = opinion_selectors.numbered_answers(consultation)
    return {
        "schema": ANSWERS_SCHEMA,
        "consultation": consultation.pk,
        "method": METHOD,
        "answers": [list(row) for row in rows],
    }


def statement_options(consultation):
    """The visible statements as the result's options, by id."""
    rows = (
        opinion_selectors.visible_statements(consultation)
        .order_by("pk")
        .values_list("pk", "text", "text_en", "by_facilitators")
    )
    return [
        {"id": pk, "text": text, "text_en": text_en, "by_facilitators": by_facilitators}
        for pk, text, text_en, by_facilitators in rows
    ]


# --- the pure core ------------------------------------------------------------------------


def count_of(consultation_id, options, answers):
    """The map of the answers, and each statement's answers in all."""
    ids = [option["id"] for option in options]
    totals = {pk: {"statement": pk, "agree": 0, "disagree": 0, "pass": 0} for pk in ids}
    names = {1: "agree", -1: "disagree", 0: "pass"}
    for _participant, statement, value in answers:
        totals[statement][names[value]] += 1
    return {
        "method": METHOD,
        **opinion_selectors.map_of_answers(consultation_id, ids, answers),
        "totals": [totals[pk] for pk in ids],
    }


# --- what people see ----------------------------------------------------------------------


def texts_of(result):
    """{statement id (str): [German, English]}, as the map's view takes them."""
    return {str(option["id"]): [option["text"], option.get("text_en") or ""] for option in result.get("options", [])}


def statement_text(option, english):
    return (option.get("text_en") if english and option.get("text_en") else option.get("text")) or ""


def map_view(result):
    """The frozen map for the results page, drawn as the live one is."""
    return opinion_presenters.view_of({**result["count"], "statements": texts_of(result)}, frozen=True)


def statement_rows(result, english):
    """Every statement with its answers in all, in shares of those who answered it."""
    options = {option["id"]: option for option in result.get("options", [])}
    rows = []
    for total in result["count"].get("totals", []):
        seen = total["agree"] + total["disagree"] + total["pass"]
        option = options.get(total["statement"], {})
        rows.append(
            {
                **total,
                "text": statement_text(option, english),
                "by_facilitators": bool(option.get("by_facilitators")),
                "seen": seen,
                "agree_percent": round(100 * total["agree"] / seen) if seen else None,
                "disagree_percent": round(100 * total["disagree"] / seen) if seen else None,
                "pass_percent": round(100 * total["pass"] / seen) if seen else None,
            }
        )
    return rows
