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


def numbered_answers(consultation):
    """(participants' numbers by ballot key, visible statement ids, answers as
    (number, statement, value)). Participants are numbered 1.. in the order of their
    (random) ballot keys: the numbers say nothing about who answered when, and they are
    the same on the live map, in the published answers file and in its recount."""
    statements = list(visible_statements(consultation).order_by("pk").values_list("pk", flat=True))
    rows = list(
        StatementVote.objects.filter(consultation=consultation, statement__state=StatementState.PUBLISHED)
        .order_by("ballot_key", "statement_id")
        .values_list("ballot_key", "statement_id", "value")
    )
    number_of = {key: number for number, key in enumerate(sorted({row[0] for row in rows}), start=1)}
    return number_of, statements, [(number_of[key], statement, value) for key, statement, value in rows]


def map_of_answers(consultation_id, statements, answers):
    """The map of numbered answers as it leaves the server (pure: the live page and the
    published result and its recount all come through here): dots numbered as the
    participants, groups without their members."""
    participants = sorted({row[0] for row in answers})
    result = opinion_map(participants, statements, answers, min_votes=MIN_ANSWERS, seed=consultation_id)
    dots = [{"n": n, **result["participants"][n]} for n in participants]
    return {
        "participants": len(dots),
        "answers": len(answers),
        "min_answers": MIN_ANSWERS,
        "dots": dots,
        "groups": [{name: value for name, value in group.items() if name != "members"} for group in result["groups"]],
        "consensus": result["consensus"],
        "k": result["k"],
        "silhouette": result["silhouette"],
        "explained_variance": result["explained_variance"],
        "seed": result["seed"],
    }


def public_map(consultation):
    """(the map as the pages show it, {ballot key: dot number}), cached for MAP_SECONDS."""
    key = f"voting:opinion-map:{consultation.pk}"
    cached = cache.get(key)
    if cached is None:
        number_of, statements, rows = numbered_answers(consultation)
        data = map_of_answers(consultation.pk, statements, rows)
        data["statements"] = {
            str(pk): [text, text_en]
            for pk, text, text_en in visible_statements(consultation).values_list("pk", "text", "text_en")
        }
        cached = (data, number_of)
        cache.set(key, cached, MAP_SECONDS)
    return cached


def pending_statements(consultation):
    return Statement.objects.filter(consultation=consultation, state=StatementState.PENDING)
