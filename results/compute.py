"""The whole result of a consultation as plain JSON.

Two halves: readers that take plain data out of the database (the anonymous ballot
file, the consultation's meta data and options), and the pure core
:func:`result_from_data` that turns that plain data into the result. The live
result, a published snapshot and a recount of the open-data bundle all go through
the same core with the same input, in the same order, so a recount reproduces a
published result byte for byte (see docs/results-schema.md).
"""

import hashlib
import json
import math
import re
from decimal import Decimal

import numpy as np
import orjson
from django.db.models import Count, TextField
from django.db.models.functions import Cast

from voting import counting
from voting import selectors as voting_selectors
from voting.models import (
    AccessCode,
    Ballot,
    Channel,
    ConsultationOption,
    Eligibility,
    Method,
    PairwiseVote,
    PaperBallot,
    PaperState,
    ReceiptLookup,
    VoterRecord,
)
from voting.tally import registry
from voting.tally.registry import deciding_count, main_count

from . import compare, opinion, uncertainty
from .ballotfile import (
    BALLOTS_SCHEMA,
    BallotFile,
    collector_paused,
    data_from_ballot_file,
    ranking_file,
    unlinked_document,
)

SCHEMA = "heilbronn-participation/consultation-result/1"
REPLICATES = 1000

# --- canonical JSON -----------------------------------------------------------------


def canonical_bytes(value):
    """The published form: sorted keys, no whitespace, UTF-8 without escapes."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode("utf-8")


def sha256_hex(data):
    return hashlib.sha256(data).hexdigest()


def plain(value):
    """Plain JSON values: string keys, floats for Decimals and numpy numbers, no NaN,
    floats rounded to FLOAT_DECIMALS."""
    return _finite(counting.jsonable(value))


# Iterative fits (Bradley–Terry) can differ between machines in the last bits; rounded,
# the published figures are the same wherever the recount runs.
FLOAT_DECIMALS = 9


def _finite(value):
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_finite(v) for v in value]
    if hasattr(value, "numerator") and not isinstance(value, int | bool):  # Fraction
        value = float(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            return None
        return round(value, FLOAT_DECIMALS) + 0.0  # + 0.0 turns -0.0 into 0.0
    return value


def _iso(moment):
    return moment.isoformat() if moment else None


# --- plain data from the database ---------------------------------------------------


def ballot_file(consultation):
    """The anonymous ballot file: receipts and contents sorted by receipt (pairwise:
    the comparisons, sorted; receipt lookup "counted": contents and receipts in two
    lists, each sorted on its own). No keys, ids or times: nothing that leads to a voter."""
    return live_ballot_file(consultation).document


def live_ballot_file(consultation):
    """The anonymous ballot file of a consultation's current ballots as a
    :class:`~results.ballotfile.BallotFile` (its canonical bytes first)."""
    base = {"schema": BALLOTS_SCHEMA, "consultation": consultation.pk, "method": consultation.method}
    if consultation.method == Method.OPINION:
        return BallotFile.from_document(opinion.answers_document(consultation))
    if consultation.method == Method.PAIRWISE:
        rows = (
            PairwiseVote.objects.filter(consultation=consultation)
            .exclude(choice=PairwiseVote.Choice.SKIP)
            .values_list("left_id", "right_id", "choice")
        )
        pairs = sorted(
            (left, right) if choice == PairwiseVote.Choice.LEFT else (right, left) for left, right, choice in rows
        )
        return BallotFile.from_document(
            {**base, "comparisons": [{"winner": winner, "loser": loser} for winner, loser in pairs]}
        )
    # One query, the contents as text: decoding each JSON value through the ORM
    # dominated the time of large results (about 120 µs a ballot). Paper ballots are
    # marked (``"channel": "paper"``); a file without them is as it always was.
    ballots = Ballot.objects.filter(consultation=consultation).order_by("receipt")
    paper = set(ballots.filter(channel=Channel.PAPER).values_list("receipt", flat=True))
    rows = list(ballots.values_list("receipt", Cast("content", output_field=TextField())))
    if consultation.receipt_lookup == ReceiptLookup.COUNTED:
        # Receipts apart from the contents: a receipt must not show (or sell) a vote.
        # Only how many came on paper: a mark beside each content would be a third list.
        with collector_paused():
            contents = [orjson.loads(text) for _receipt, text in rows]
        document = unlinked_document(consultation.pk, consultation.method, [row[0] for row in rows], contents)
        if paper:
            document["paper"] = len(paper)
        return BallotFile.from_document(document)
    if consultation.method == Method.RANKING and not paper:
        fast = _ranking_file_from_text(consultation.pk, rows)
        if fast is not None:
            return fast
    with collector_paused():
        contents = [orjson.loads(text) for _receipt, text in rows]
    return BallotFile.from_document(
        {
            **base,
            "ballots": [
                {"receipt": row[0], "content": content, **({"channel": Channel.PAPER.value} if row[0] in paper else {})}
                for row, content in zip(rows, contents, strict=True)
            ],
        }
    )


def _ranking_file_from_text(consultation_id, rows):
    """The canonical ranking file put together from the database's JSON text of each
    ballot (``{"ranking": [[3], [1, 7]]}``) without parsing it: the separators lose
    their spaces. Only when every ballot is such a text (the key is its only string)
    and the result reads as a canonical ranking file; else None."""
    if not rows:
        return None
    receipts = [receipt for receipt, _text in rows]
    texts = [text for _receipt, text in rows]
    joined = "\n".join(texts)
    if (
        joined.count('"') != 2 * len(texts)
        or joined.count("\n") != len(texts) - 1
        # Every text starts with the key and ends with the ranking's bracket (counted in C).
        or not (joined.startswith('{"ranking":') and joined.endswith("]}"))
        or joined.count('\n{"ranking":') != len(texts) - 1
        or joined.count("]}\n") != len(texts) - 1
    ):
        return None
    compact = joined.replace(", ", ",").replace(": ", ":")
    # The rankings one after the other (without '{"ranking":' and '}'), and their lengths.
    inner = compact.replace('{"ranking":', "").replace("]}\n", "]\n")[:-1].encode("utf-8")
    newlines = np.flatnonzero(np.frombuffer(inner, dtype=np.uint8) == ord("\n"))
    lengths = np.diff(np.concatenate([[-1], newlines, [len(inner)]])) - 1
    if _NOT_IN_RECEIPT.search("".join(receipts)):
        return None
    rankings = ranking_file(consultation_id, inner.replace(b"\n", b""), lengths, receipts)
    if rankings is None:
        return None
    # '{"content":' content ',"receipt":"' receipt '"},' for each ballot, joined in C.
    parts = [None] * (5 * len(receipts))
    parts[0::5] = ['{"content":'] * len(receipts)
    parts[1::5] = compact.split("\n")
    parts[2::5] = [',"receipt":"'] * len(receipts)
    parts[3::5] = receipts
    parts[4::5] = ['"},'] * len(receipts)
    body = "".join(parts)[:-1]
    tail = f'],"consultation":{int(consultation_id)},"method":"ranking","schema":"{BALLOTS_SCHEMA}"}}'
    return BallotFile(('{"ballots":[' + body + tail).encode("utf-8"), rankings=rankings)


_NOT_IN_RECEIPT = re.compile(r'["\\\x00-\x1f]')


def options_data(consultation):
    """The options of a result: the ballot's measures, or an opinion map's statements."""
    if consultation.method == Method.OPINION:
        return opinion.statement_options(consultation)
    rows = (
        ConsultationOption.objects.filter(consultation=consultation)
        .select_related("measure__field")
        .order_by("position", "id")
    )
    options = []
    for row in rows:
        measure = row.measure
        field = measure.field
        options.append(
            {
                "id": measure.pk,
                "title": measure.title,
                "title_en": measure.title_en,
                "field": field.pk if field else None,
                "field_title": field.title if field else None,
                "field_title_en": field.title_en if field else None,
                "cost": None if measure.estimated_cost is None else str(measure.estimated_cost),
            }
        )
    return options


def costs_from_options(options):
    return {option["id"]: Decimal(option["cost"]) for option in options if option.get("cost") is not None}


def turnout_over_time(consultation):
    """Voters who first voted in each hour (only hours with voters), and the running total."""
    return [
        {"hour": _iso(row["hour"]), "voters": row["new"], "cumulative": row["total"]}
        for row in voting_selectors.turnout_by_hour(consultation)
    ]


def meta_data(consultation, ballots_sha256):
    """What the result says about the consultation and its register: data a recount
    takes as given, because the ballots alone cannot tell them."""
    process = consultation.process
    eligible = None
    if consultation.eligibility == Eligibility.ACCESS_CODE:
        eligible = AccessCode.objects.filter(consultation=consultation).count()
    voters = dict(
        VoterRecord.objects.filter(consultation=consultation)
        .values("channel")
        .annotate(n=Count("id"))
        .values_list("channel", "n")
    )
    return {
        "consultation": {
            "id": consultation.pk,
            "process": {"id": process.pk, "title": process.title, "title_en": process.title_en},
            "title": consultation.title,
            "title_en": consultation.title_en,
            "description": consultation.description,
            "description_en": consultation.description_en,
            "method": consultation.method,
            "settings": consultation.settings,
            "eligibility": consultation.eligibility,
            "opens_at": _iso(consultation.opens_at),
            "closes_at": _iso(consultation.closes_at),
            "phase": consultation.phase,
        },
        "turnout": {
            "voters": sum(voters.values()),
            # Voters by channel: online, and paper ballots typed in (voting/paper_actions.py).
            "online": voters.get(Channel.ONLINE, 0),
            "paper": voters.get(Channel.PAPER, 0),
            "eligible": eligible,
            "over_time": turnout_over_time(consultation),
            **paper_ballots_by_state(consultation),
        },
        "ballot_file_sha256": ballots_sha256,
    }


def paper_ballots_by_state(consultation):
    """For a consultation that takes paper ballots: how many came back, by state
    (``{"paper_ballots": {state: n}}``, every state named). Counted ones are the paper
    voters above; spoiled ones are received but neither in the box nor in the register."""
    if not voting_selectors.takes_paper(consultation):
        return {}
    by_state = dict(PaperBallot.objects.filter(consultation=consultation).values_list("state").annotate(n=Count("id")))
    return {"paper_ballots": {state: by_state.get(state, 0) for state in PaperState.values}}


# --- the pure core ------------------------------------------------------------------


def labels_of(options):
    """Measure names for the plain-language summaries, German and English."""
    return {
        option["id"]: {"de": option["title"], "en": option.get("title_en") or option["title"]} for option in options
    }


def result_from_data(meta, options, data, costs):
    """The result from plain data: no database, no clock, no randomness beyond the
    seed derived from the data. ``options`` are dicts with ``id`` (measure id), in
    ballot order; ``data`` the ballots (or comparisons) as the tallies take them."""
    consultation = meta["consultation"]
    method, settings = consultation["method"], consultation["settings"]
    if method == opinion.METHOD:
        return _opinion_result(meta, options, data)
    ids = [option["id"] for option in options]
    count = counting.count_data(method, settings, ids, data, costs)
    # seed=None: bootstrap takes uncertainty.seed_for(method, ids, data) without reading the ballots twice.
    bootstrap = uncertainty.bootstrap(method, settings, ids, data, costs, replicates=REPLICATES, seed=None, count=count)
    return plain(
        {
            "schema": SCHEMA,
            "consultation": consultation,
            "options": options,
            "turnout": {**meta["turnout"], "ballots": len(data)},
            "ballot_file_sha256": meta["ballot_file_sha256"],
            "main_count": deciding_count(method, settings),
            "count": count,
            "uncertainty": bootstrap,
            "disagreements": compare.disagreements(count, labels_of(options)),
        }
    )


def _opinion_result(meta, options, answers):
    """An opinion map's result: the map of the answers file; no ranking, so no
    bootstrap and no comparison of counts. ``turnout.ballots``: the participants in
    the file; ``turnout.answers``: their answers."""
    participants = len({row[0] for row in answers})
    return plain(
        {
            "schema": SCHEMA,
            "consultation": meta["consultation"],
            "options": options,
            "turnout": {**meta["turnout"], "ballots": participants, "answers": len(answers)},
            "ballot_file_sha256": meta["ballot_file_sha256"],
            "main_count": opinion.METHOD,
            "count": opinion.count_of(meta["consultation"]["id"], options, answers),
        }
    )


# --- the live result ----------------------------------------------------------------


def live_inputs(consultation):
    """Everything a result is computed from, read once: (ballot file, its canonical
    bytes, meta, options). The ballot file is a :class:`~results.ballotfile.BallotFile`."""
    ballots = live_ballot_file(consultation)
    meta = meta_data(consultation, ballots.sha256)
    return ballots, ballots.bytes, meta, options_data(consultation)


def count_data_of(method, ballots):
    """The ballots of a ballot file (a BallotFile or its parsed document) as the tallies take them."""
    if isinstance(ballots, BallotFile):
        return ballots.count_data(method)
    return data_from_ballot_file(method, ballots)


def result_from_inputs(ballots, meta, options):
    method = meta["consultation"]["method"]
    return result_from_data(meta, options, count_data_of(method, ballots), costs_from_options(options))


def is_counted(consultation):
    """Whether the consultation has a count of its measures (an opinion map has its map instead)."""
    return consultation.method in registry.METHODS


def consultation_result(consultation):
    """The whole live result of a consultation as plain JSON."""
    ballots, _bytes, meta, options = live_inputs(consultation)
    return result_from_inputs(ballots, meta, options)


# --- experts: workshop polls that rated measures --------------------------------------


def expert_polls(process, include_hidden=False):
    """Closed workshop polls of the process whose options name measures, with their
    final results. Results hidden from the room stay out unless ``include_hidden``."""
    from workshops.models import Poll, PollState

    polls = (
        Poll.objects.filter(workshop__process=process, state=PollState.CLOSED, final_results__isnull=False)
        .select_related("workshop")
        .prefetch_related("options__measure")
        .order_by("workshop__created", "id")
    )
    found = []
    for poll in polls:
        if not (include_hidden or poll.results_public):
            continue
        options = {option.pk: option for option in poll.options.all()}
        if not any(option.measure_id for option in options.values()):
            continue
        final = poll.final_results if isinstance(poll.final_results, dict) else {}
        rows = []
        for row in final.get("options") or []:
            option = options.get(row.get("option")) if isinstance(row, dict) else None
            if option is None:
                continue
            rows.append(
                {
                    "option": option.pk,
                    "label": option.label,
                    "measure": option.measure_id,
                    "measure_title": option.measure.title if option.measure else None,
                    "value": row.get("value"),
                }
            )
        found.append(
            {
                "poll": poll.pk,
                "workshop": poll.workshop.title,
                "question": poll.question,
                "kind": poll.kind,
                "votes": final.get("votes"),
                "options": rows,
            }
        )
    return found


def expert_scores(polls):
    """One score per measure: each poll's value (dots, votes, mean grade or Borda
    points), averaged over the polls that rated the measure."""
    values = {}
    for poll in polls:
        for row in poll["options"]:
            if row["measure"] is not None and isinstance(row["value"], int | float):
                values.setdefault(row["measure"], []).append(float(row["value"]))
    return {measure: sum(found) / len(found) for measure, found in values.items()}


def citizen_scores(result):
    """The main count's scores of a result, by measure id (int)."""
    scores = main_count(result.get("count")).get("scores") or {}
    return {int(k): v for k, v in scores.items() if isinstance(v, int | float)}


# --- the live count alone ------------------------------------------------------------------


def live_count(consultation):
    """The count alone (no bootstrap): enough for the citizens' scores."""
    return live_count_result(consultation)["count"]


def live_count_result(consultation):
    """The live count without bootstrap and how many ballots (or comparisons) it counted:
    ``{"count", "turnout": {"ballots"}}``, what the consultation page's tables read."""
    options = options_data(consultation)
    data = live_ballot_file(consultation).count_data(consultation.method)
    ids = [option["id"] for option in options]
    count = counting.count_data(consultation.method, consultation.settings, ids, data, costs_from_options(options))
    return {"count": plain(count), "turnout": {"ballots": len(data)}}
