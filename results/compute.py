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
from functools import lru_cache

import numpy as np
import orjson
from django.db.models import Count, TextField
from django.db.models.functions import Cast

from voting import counting
from voting.ballots import content_for_count
from voting.models import (
    AccessCode,
    Ballot,
    ConsultationOption,
    Eligibility,
    Method,
    PairwiseVote,
    ReceiptLookup,
    VoterRecord,
)

from . import compare, uncertainty
from .ballotfile import (
    BALLOTS_SCHEMA,
    BallotFile,
    collector_paused,
    is_unlinked,
    ranking_file,
    unlinked_document,
)

SCHEMA = "heilbronn-participation/consultation-result/1"
REPLICATES = 1000

# The count each method is decided by; the others are shown beside it.
MAIN_COUNT = {"approval": "approval", "score": "mean", "ranking": "schulze", "points": "points"}
MAIN_COUNT_PAIRWISE = "bradley_terry"


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


# --- the count's parts --------------------------------------------------------------


def counts_of(count):
    """The named counts inside a method's count, main count first: [(name, count)].

    A method's count is either one ranking (approval, points, pairwise) or holds
    several (score: mean and majority judgment; ranking: Schulze, Borda, ...).
    """
    if not isinstance(count, dict):
        return []
    if "ranking" in count:
        return [(count.get("method") or "count", count)]
    parts = [(name, part) for name, part in count.items() if isinstance(part, dict) and "ranking" in part]
    main = main_count_name(count.get("method"))
    parts.sort(key=lambda item: item[0] != main)
    return parts


def main_count_name(method):
    return MAIN_COUNT_PAIRWISE if method == Method.PAIRWISE else MAIN_COUNT.get(method, method)


def main_count(count):
    parts = counts_of(count)
    return parts[0][1] if parts else {}


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
    # dominated the time of large results (about 120 µs a ballot).
    rows = list(
        Ballot.objects.filter(consultation=consultation)
        .order_by("receipt")
        .values_list("receipt", Cast("content", output_field=TextField()))
    )
    if consultation.receipt_lookup == ReceiptLookup.COUNTED:
        # Receipts apart from the contents: a receipt must not show (or sell) a vote.
        with collector_paused():
            contents = [orjson.loads(text) for _receipt, text in rows]
        return BallotFile.from_document(
            unlinked_document(consultation.pk, consultation.method, [row[0] for row in rows], contents)
        )
    if consultation.method == Method.RANKING:
        fast = _ranking_file_from_text(consultation.pk, rows)
        if fast is not None:
            return fast
    with collector_paused():
        contents = [orjson.loads(text) for _receipt, text in rows]
    return BallotFile.from_document(
        {
            **base,
            "ballots": [{"receipt": row[0], "content": content} for row, content in zip(rows, contents, strict=True)],
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


def data_from_ballot_file(method, ballots):
    """The ballot file as the tally functions take it, in the file's order."""
    if method == Method.PAIRWISE:
        return [(row["winner"], row["loser"]) for row in ballots["comparisons"]]
    if is_unlinked(ballots):
        return [content_for_count(method, content) for content in ballots["contents"]]
    return [content_for_count(method, row["content"]) for row in ballots["ballots"]]


def options_data(consultation):
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
    rows = (
        VoterRecord.objects.filter(consultation=consultation)
        .values("first_voted_hour")
        .annotate(n=Count("id"))
        .order_by("first_voted_hour")
    )
    total, series = 0, []
    for row in rows:
        total += row["n"]
        series.append({"hour": _iso(row["first_voted_hour"]), "voters": row["n"], "cumulative": total})
    return series


def meta_data(consultation, ballots_sha256):
    """What the result says about the consultation and its register: data a recount
    takes as given, because the ballots alone cannot tell them."""
    process = consultation.process
    eligible = None
    if consultation.eligibility == Eligibility.ACCESS_CODE:
        eligible = AccessCode.objects.filter(consultation=consultation).count()
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
            "voters": VoterRecord.objects.filter(consultation=consultation).count(),
            "eligible": eligible,
            "over_time": turnout_over_time(consultation),
        },
        "ballot_file_sha256": ballots_sha256,
    }


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
            "main_count": main_count_name(method),
            "count": count,
            "uncertainty": bootstrap,
            "disagreements": compare.disagreements(count, labels_of(options)),
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


# --- reading published snapshots -----------------------------------------------------


_UNLINKED = object()  # in the index of an unlinked file: counted, content unknown


@lru_cache(maxsize=8)
def _receipt_index(ballots_sha256):
    """{receipt: content, the ballot's index in a ranking file's arrays, or _UNLINKED}."""
    from .models import ResultSnapshot

    text = ResultSnapshot.objects.filter(ballots_sha256=ballots_sha256).values_list("ballots", flat=True).first()
    if not text:
        return {}, None
    ballots = BallotFile(text.encode("utf-8"))
    if ballots.unlinked:
        return dict.fromkeys(ballots.document.get("receipts", []), _UNLINKED), None
    rankings = ballots.rankings()
    if rankings is not None:
        return {receipt: index for index, receipt in enumerate(rankings.receipts)}, rankings.ballots
    return {row["receipt"]: row["content"] for row in ballots.document.get("ballots", [])}, None


def find_receipt(snapshot, receipt):
    """The ballot with this receipt in a snapshot's ballot file, or None:
    ``{"receipt", "content"}``, or only ``{"receipt"}`` in an unlinked file, which
    does not know a receipt's content. The index is cached by the file's hash: a
    published file never changes."""
    index, rankings = _receipt_index(snapshot.ballots_sha256)
    found = index.get(receipt)
    if found is None:
        return None
    if found is _UNLINKED:
        return {"receipt": receipt}
    content = {"ranking": rankings[found]} if rankings is not None else found
    return {"receipt": receipt, "content": content}


# --- experts beside citizens for a whole process ----------------------------------------


def live_count(consultation):
    """The count alone (no bootstrap): enough for the citizens' scores."""
    options = options_data(consultation)
    data = live_ballot_file(consultation).count_data(consultation.method)
    ids = [option["id"] for option in options]
    return plain(
        counting.count_data(consultation.method, consultation.settings, ids, data, costs_from_options(options))
    )


def process_result(process, manager):
    """Experts (closed workshop polls) beside citizens (each consultation's main
    count) for the measures of a process. The public sees published snapshots only;
    facilitators also live counts, marked ``live``."""
    from participation.models import Measure
    from voting.models import Consultation, ConsultationState

    from .actions import latest_snapshot

    polls = expert_polls(process, include_hidden=manager)
    experts = expert_scores(polls)
    measures = {m.pk: m for m in Measure.objects.filter(process=process).select_related("field").order_by("pk")}
    if not manager:
        public = set(Measure.objects.published().filter(process=process).values_list("pk", flat=True))
        measures = {pk: m for pk, m in measures.items() if pk in public}
    fields = {pk: m.field_id for pk, m in measures.items()}
    labels = {pk: {"de": m.title, "en": m.title_en or m.title} for pk, m in measures.items()}

    consultations = []
    for consultation in (
        Consultation.objects.filter(process=process).exclude(state=ConsultationState.DRAFT).order_by("created", "pk")
    ):
        snapshot = latest_snapshot(consultation)
        if snapshot is not None:
            result = snapshot.result
            count, live = result["count"], False
        elif manager:
            count, live = live_count(consultation), True
        else:
            continue
        citizens = {m: s for m, s in citizen_scores({"count": count}).items() if m in measures}
        shared_experts = {m: s for m, s in experts.items() if m in citizens}
        consultations.append(
            {
                "id": consultation.pk,
                "title": consultation.title,
                "title_en": consultation.title_en,
                "method": consultation.method,
                "main_count": main_count_name(consultation.method),
                "phase": consultation.phase,
                "live": live,
                "snapshot": None
                if snapshot is None
                else {"id": snapshot.pk, "sha256": snapshot.sha256, "published_at": snapshot.published_at.isoformat()},
                "citizens": citizens,
                "comparison": compare.experts_vs_citizens(shared_experts, citizens, fields, labels)
                if len(shared_experts) >= 2
                else None,
            }
        )
    return plain(
        {
            "process": {"id": process.pk, "title": process.title, "title_en": process.title_en},
            "measures": [
                {
                    "id": m.pk,
                    "title": m.title,
                    "title_en": m.title_en,
                    "field": m.field_id,
                    "field_title": m.field.title if m.field else None,
                    "experts": experts.get(m.pk),
                    "citizens": {str(c["id"]): c["citizens"][m.pk] for c in consultations if m.pk in c["citizens"]},
                }
                for m in measures.values()
                if m.pk in experts or any(m.pk in c["citizens"] for c in consultations)
            ],
            "experts": {
                "polls": [
                    {key: poll[key] for key in ("poll", "workshop", "question", "kind", "votes")} for poll in polls
                ],
                "scores": {m: s for m, s in experts.items() if m in measures},
            },
            "consultations": consultations,
        }
    )
