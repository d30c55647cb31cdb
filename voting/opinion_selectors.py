"""Reads of an opinion map: the next statement for a participant, and the map itself.

The map is computed from all answers to visible statements by ``voting.tally.opinion``
and kept in the cache for ``MAP_SECONDS``: every page that watches the map asks for it
every few seconds, and at most one computation per interval serves them all. What leaves
the server names no participant: dots are numbered, and a participant is told only which
dot is their own."""

from django.core.cache import cache
from django.db.models import Count

from .models import Statement, StatementState, StatementVote
from .tally.opinion import opinion_map

MAP_SECONDS = 5
# Answers a participant needs before the map places them in a group (Polis: 7).
MIN_ANSWERS = 7


def visible_statements(consultation):
    return Statement.objects.filter(consultation=consultation, state=StatementState.PUBLISHED)


def statement_card(statement):
    return {"id": statement.pk, "text": statement.text_t, "by_facilitators": statement.by_facilitators}


def next_statement(consultation, voter):
    """The visible statement this participant (None: not known yet) has not answered that
    has the fewest answers so far (the oldest among equals), with how far they are; the
    statement is None when all are answered."""
    key = voter.ballot_key if voter is not None else ""  # not known yet: nothing answered
    answered = StatementVote.objects.filter(consultation=consultation, ballot_key=key).values("statement_id")
    statements = visible_statements(consultation)
    total = statements.count()
    remaining = statements.exclude(pk__in=answered).annotate(answers=Count("votes")).order_by("answers", "created")
    done = total - remaining.count()
    chosen = remaining.first()
    return {"statement": None if chosen is None else statement_card(chosen), "answered": done, "total": total}


def my_answers(consultation, voter):
    """{statement id: answer} of this participant, for the statements still visible."""
    return dict(
        StatementVote.objects.filter(
            consultation=consultation, ballot_key=voter.ballot_key, statement__state=StatementState.PUBLISHED
        ).values_list("statement_id", "value")
    )


def answers(consultation):
    """(participants, statements, answers) as the map takes them, ballot keys as ids."""
    statements = list(visible_statements(consultation).values_list("pk", flat=True))
    rows = list(
        StatementVote.objects.filter(consultation=consultation, statement__state=StatementState.PUBLISHED)
        .order_by("ballot_key", "statement_id")
        .values_list("ballot_key", "statement_id", "value")
    )
    participants = list(dict.fromkeys(row[0] for row in rows))
    return participants, statements, rows


def compute_map(consultation):
    """The map of the answers now: the pure result with ballot keys as participant ids."""
    participants, statements, rows = answers(consultation)
    return opinion_map(participants, statements, rows, min_votes=MIN_ANSWERS, seed=consultation.pk)


def public_map(consultation):
    """(the map as the pages show it, {ballot key: dot number}), cached for MAP_SECONDS."""
    key = f"voting:opinion-map:{consultation.pk}"
    cached = cache.get(key)
    if cached is None:
        cached = _anonymous(consultation, compute_map(consultation))
        cache.set(key, cached, MAP_SECONDS)
    return cached


def _anonymous(consultation, result):
    """The map without ballot keys: dots numbered in the order of their (random) keys,
    groups without their members; statements' texts in both languages."""
    texts = {
        str(pk): [text, text_en]
        for pk, text, text_en in visible_statements(consultation).values_list("pk", "text", "text_en")
    }
    number_of = {key: number for number, key in enumerate(sorted(result["participants"]), start=1)}
    dots = [
        {"n": number_of[key], "x": entry["x"], "y": entry["y"], "group": entry["group"]}
        for key, entry in sorted(result["participants"].items(), key=lambda item: number_of[item[0]])
    ]
    groups = [{name: value for name, value in group.items() if name != "members"} for group in result["groups"]]
    return {
        "participants": len(dots),
        "dots": dots,
        "groups": groups,
        "consensus": result["consensus"],
        "k": result["k"],
        "statements": texts,
        "answers": _answer_count(consultation),
    }, number_of


def _answer_count(consultation):
    visible = StatementVote.objects.filter(consultation=consultation, statement__state=StatementState.PUBLISHED)
    return visible.count()


def pending_statements(consultation):
    return Statement.objects.filter(consultation=consultation, state=StatementState.PENDING)
