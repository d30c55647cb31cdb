"""The anonymous ballot file (``heilbronn-participation/ballots/1``) at city scale.

A ballot file of 100,000 rankings of 50 measures holds five million numbers. Turned
into Python lists and dicts, it costs seconds (most of it the garbage collector
walking millions of new lists); the count only needs arrays. So:

- :class:`BallotFile` carries the file's canonical bytes (what is published and
  hashed) and makes the other forms only when asked: the parsed document (for
  the generic paths), and for rankings the flat arrays that the count, the
  bootstrap and the exports read.
- :func:`parse_rankings` reads a ranking ballot file straight from its bytes with
  numpy, but only when the bytes are exactly in canonical form (no whitespace,
  sorted keys, whole numbers); anything else gets ``None`` and goes the generic
  way (``json``), so that odd or tampered files are judged as before.
- ``results.compute.live_ballot_file`` builds the canonical bytes of a consultation's ballots
  from the database's text without parsing each ballot when they are rankings.

In canonical form the ranking file is::

    {"ballots":[{"content":{"ranking":[[3],[1,7]]},"receipt":"ACDE-FGHJ-KMNP"},...],
     "consultation":12,"method":"ranking","schema":"heilbronn-participation/ballots/1"}

With ``Consultation.receipt_lookup == "counted"`` the file is *unlinked*
(``heilbronn-participation/ballots-unlinked/1``): the contents in one list, sorted by
their canonical JSON text, and the receipts in another, sorted; nothing ties a receipt
to a content, so a receipt cannot prove how someone voted. It goes the generic way.
"""

import gc
import hashlib
import json
import re
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np
import orjson

from voting.ballots import content_for_count
from voting.tally.common import option_columns
from voting.tally.ranking import FlatRankings

BALLOTS_SCHEMA = "heilbronn-participation/ballots/1"
UNLINKED_SCHEMA = "heilbronn-participation/ballots-unlinked/1"

_HEAD = b'{"ballots":['
_TAIL = re.compile(
    rb'\],"consultation":(0|-?[1-9][0-9]{0,17}),"method":"ranking","schema":"'
    + re.escape(BALLOTS_SCHEMA.encode())
    + rb'"\}\Z'
)
# Around the ballots of a canonical ranking file; the rankings' grammar is checked with numpy.
_FIRST = b'{"content":{"ranking":'
_MIDDLE = b'},"receipt":"'
_BETWEEN = b'"},{"content":{"ranking":'
_NOT_IN_RECEIPT = re.compile(rb'["\\\x00-\x1f]')
# A number in compact JSON that is not whole (json.dumps and orjson write floats differently).
_FLOAT = re.compile(rb"[:,\[]-?[0-9]+[.eE]")
_OPEN, _CLOSE, _COMMA, _NUMBER = ord("["), ord("]"), ord(","), ord("0")
_MAX_DIGITS = 18  # below 2**63


@contextmanager
def collector_paused():
    """No garbage collection while millions of small containers are made: the
    collector would walk all of them again and again, and they hold no cycles."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def canonical_json(value):
    """Sorted keys, no whitespace, UTF-8 without escapes (as results.compute.canonical_bytes)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode("utf-8")


def canonical_file_bytes(document):
    """The canonical bytes of a ballot file, byte for byte what :func:`canonical_json`
    gives. orjson writes whole numbers, strings and sorted keys the same way and
    about ten times faster; only floats (never in a valid ballot) it writes
    differently, so a file with a float goes through ``json``."""
    try:
        data = orjson.dumps(document, option=orjson.OPT_SORT_KEYS)
    except TypeError:  # integers beyond 64 bits, surrogates: the standard library decides
        return canonical_json(document)
    return canonical_json(document) if _FLOAT.search(data) else data


def content_key(content):
    """What the contents of an unlinked file are sorted by: their canonical JSON text.
    It depends on the content alone, so the order says nothing about who cast it when."""
    return canonical_file_bytes(content)


def unlinked_document(consultation_id, method, receipts, contents):
    """The unlinked ballot file: contents and receipts each sorted on their own."""
    return {
        "schema": UNLINKED_SCHEMA,
        "consultation": consultation_id,
        "method": method,
        "contents": sorted(contents, key=content_key),
        "receipts": sorted(receipts),
    }


def is_unlinked(document):
    return isinstance(document, dict) and document.get("schema") == UNLINKED_SCHEMA


# In canonical form the schema is the last key: the form can be told without parsing.
_UNLINKED_END = b'"schema":"' + UNLINKED_SCHEMA.encode() + b'"}'


def is_unlinked_bytes(data):
    return bytes(data).endswith(_UNLINKED_END)


def loads(data):
    with collector_paused():
        return json.loads(data)


class BallotFile:
    """A ballot file as canonical bytes, with its other forms made on demand."""

    def __init__(self, data, document=None, rankings=None):
        self.bytes = bytes(data)
        self._document = document
        self._rankings = rankings
        self._rankings_read = rankings is not None
        self._sha256 = None

    @classmethod
    def from_document(cls, document):
        return cls(canonical_file_bytes(document), document)

    @property
    def sha256(self):
        if self._sha256 is None:
            self._sha256 = hashlib.sha256(self.bytes).hexdigest()
        return self._sha256

    @property
    def document(self):
        """The parsed file (dicts and lists), as ``json.loads`` gives it."""
        if self._document is None:
            self._document = loads(self.bytes)
        return self._document

    @property
    def unlinked(self):
        """True for an unlinked file (receipts apart from the contents)."""
        if self._document is not None:
            return is_unlinked(self._document)
        return is_unlinked_bytes(self.bytes)

    def rankings(self):
        """The file read by :func:`parse_rankings`, or None when it is no canonical ranking file."""
        if not self._rankings_read:
            self._rankings = parse_rankings(self.bytes)
            self._rankings_read = True
        return self._rankings

    def count_data(self, method):
        """The ballots as the tally functions take them, in the file's order."""
        parsed = self.rankings() if method == "ranking" else None
        if parsed is not None:
            return parsed.ballots
        return data_from_ballot_file(method, self.document)


def data_from_ballot_file(method, ballots):
    """A parsed ballot file as the tally functions take it, in the file's order."""
    if method == "pairwise":
        return [(row["winner"], row["loser"]) for row in ballots["comparisons"]]
    if method == "opinion":
        return [tuple(row) for row in ballots["answers"]]
    if is_unlinked(ballots):
        return [content_for_count(method, content) for content in ballots["contents"]]
    return [content_for_count(method, row["content"]) for row in ballots["ballots"]]


@dataclass
class RankingFile:
    consultation: int
    receipts: list
    ballots: FlatRankings

    def valid(self, option_ids):
        """Per ballot: is it exactly what voting.ballots.normalise makes of it? (every id
        an option, none twice, each group in ascending order; the grammar already
        ensured non-empty groups of whole numbers)."""
        ballots = self.ballots
        n = len(ballots)
        ok = np.ones(n, dtype=bool)
        if not n:
            return ok
        ids = ballots.ids
        group_of_entry = np.repeat(np.arange(len(ballots.group_sizes)), ballots.group_sizes)
        ballot_of_group = np.repeat(np.arange(n), ballots.groups_per_ballot)
        ballot_of_entry = ballot_of_group[group_of_entry]
        columns, known = option_columns(list(dict.fromkeys(option_ids)), ids)
        ok[ballot_of_entry[~known]] = False
        same_group = group_of_entry[1:] == group_of_entry[:-1]
        ok[ballot_of_entry[1:][same_group & (ids[1:] <= ids[:-1])]] = False
        m = len(set(option_ids))
        cells = np.bincount(ballot_of_entry[known] * m + columns[known], minlength=n * m)
        ok[np.flatnonzero(cells > 1) // m] = False  # an option twice on one ballot
        return ok

    def places(self, option_ids):
        """(ballots × options) place of each option on each ballot, 1 for the first
        group; 0 where the ballot does not rank it."""
        ballots = self.ballots
        n, m = len(ballots), len(option_ids)
        places = np.zeros((n, m), dtype=np.int32)
        if not n or not m or not len(ballots.ids):
            return places
        group_starts = np.cumsum(ballots.groups_per_ballot) - ballots.groups_per_ballot
        ballot_of_group = np.repeat(np.arange(n), ballots.groups_per_ballot)
        level_of_group = np.arange(len(ballots.group_sizes)) - group_starts[ballot_of_group]
        ballot_of_entry = np.repeat(ballot_of_group, ballots.group_sizes)
        level_of_entry = np.repeat(level_of_group, ballots.group_sizes)
        columns, known = option_columns(list(option_ids), ballots.ids)
        places[ballot_of_entry[known], columns[known]] = level_of_entry[known] + 1
        return places


def parse_rankings(data):
    """A canonical ranking ballot file read into arrays, or None when the bytes are
    not exactly in canonical form (then the caller reads it with ``json``)."""
    data = bytes(data)
    tail = _TAIL.search(data)
    if not data.startswith(_HEAD) or tail is None:
        return None
    body = data[len(_HEAD) : tail.start()]
    if not body:
        return RankingFile(int(tail.group(1)), [], _flat_rankings(b"", np.zeros(0, np.int64)))
    # Split at the text between two ballots. A ranking holds only digits, brackets and
    # commas and a receipt no quote, so neither can contain a separator: if the
    # pieces check out, this is exactly the canonical list of ballots.
    if not (body.startswith(_FIRST) and body.endswith(b'"}')):
        return None
    pieces = body[len(_FIRST) : -2].split(_BETWEEN)
    rankings, receipts = [], []
    for piece in pieces:
        parts = piece.split(_MIDDLE)
        if len(parts) != 2:
            return None
        rankings.append(parts[0])
        receipts.append(parts[1])
    if _NOT_IN_RECEIPT.search(b"".join(receipts)):
        return None
    try:
        # A receipt holds no quote: one decode, split at the quotes.
        receipts = b'"'.join(receipts).decode("utf-8").split('"')
    except UnicodeDecodeError:
        return None
    lengths = np.fromiter(map(len, rankings), dtype=np.int64, count=len(rankings))
    return ranking_file(int(tail.group(1)), b"".join(rankings), lengths, receipts)


def ranking_file(consultation, rankings, lengths, receipts):
    """The RankingFile of these rankings (``rankings``: the bytes of the rankings
    ``[[n,...],...]`` one after the other, ``lengths``: the length of each) and
    receipts (str, checked by the caller), or None unless every ranking is canonical."""
    ballots = _flat_rankings(rankings, lengths)
    if ballots is None:
        return None
    return RankingFile(consultation, receipts, ballots)


def _flat_rankings(rankings, sizes):
    """The rankings' texts (``[[n,...],...]`` each, joined; ``sizes``: their lengths) as
    FlatRankings, or None when one of them is not a canonical ranking: non-empty groups of whole numbers without
    leading zeros or whitespace, at least one group.

    Works on two byte arrays: the text, for the numbers, and its skeleton (the text
    without digits), whose brackets and commas are checked with their depth and
    with where the numbers sit between them.
    """
    n = len(sizes)
    if not n:
        return FlatRankings(np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.int64))
    joined = rankings
    if len(joined) != int(sizes.sum()) or joined.translate(None, b"0123456789[],"):
        return None
    text = np.frombuffer(joined, dtype=np.uint8)
    digit = (text - np.uint8(ord("0"))) < 10  # uint8 wraps: only '0'..'9' are below 10
    edges = np.diff(digit.view(np.int8), prepend=np.int8(0), append=np.int8(0))
    starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    del edges
    lengths = ends - starts
    if not len(lengths) or lengths.max() > _MAX_DIGITS or ((text[starts] == ord("0")) & (lengths > 1)).any():
        return None
    digits_before = np.cumsum(lengths) - lengths
    skeleton = np.frombuffer(joined.translate(None, b"0123456789"), dtype=np.uint8)
    k = len(skeleton)
    gap = starts - digits_before  # the skeleton character right after each number
    if gap[0] < 1 or gap[-1] >= k:
        return None
    numbered = np.zeros(k + 1, dtype=bool)
    numbered[gap] = True
    number_before, number_after = numbered[:-1], numbered[1:]
    opening, closing, comma = skeleton == _OPEN, skeleton == _CLOSE, skeleton == _COMMA
    step = opening.view(np.int8) - closing.view(np.int8)
    after = np.cumsum(step, dtype=np.int8)  # depth 0..2 is checked before it could wrap
    before = after - step
    if skeleton[0] != _OPEN or after[-1] != 0 or (after[gap - 1] != 2).any():
        return None
    zero = np.zeros(1, dtype=np.uint8)
    previous = np.concatenate([zero, skeleton[:-1]])
    following = np.concatenate([skeleton[1:], zero])
    bad = (
        (opening & ((before > 1) | number_before))
        | (opening & (after == 2) & ~number_after)
        | (opening & (after == 1) & (following != _OPEN))
        | (closing & ((before < 1) | (before > 2)))
        | (closing & (before == 2) & (~number_before | ((following != _COMMA) & (following != _CLOSE))))
        | (closing & (before == 1) & (previous != _CLOSE))
        | (closing & (after == 0) & (following != _OPEN) & (following != 0))
        | (comma & (before == 2) & ~(number_before & number_after))
        | (comma & (before == 1) & ((previous != _CLOSE) | (following != _OPEN)))
        | (comma & (before == 0))
    )
    if bad.any():
        return None
    # Each text must be exactly one ranking: the ballots start where the texts do.
    ballot_starts = np.flatnonzero(opening & (before == 0))
    text_starts = np.cumsum(sizes) - sizes
    digits_total = np.concatenate([[0], np.cumsum(lengths)])
    if len(ballot_starts) != n or not np.array_equal(
        ballot_starts, text_starts - digits_total[np.searchsorted(starts, text_starts)]
    ):
        return None

    ids = _numbers(text, starts, lengths)
    inner_commas = (comma & (before == 2)).view(np.int8)
    group_starts = np.flatnonzero(opening & (after == 2))
    group_sizes = np.add.reduceat(inner_commas, group_starts, dtype=np.int64) + 1
    groups_per_ballot = np.diff(np.append(np.searchsorted(group_starts, ballot_starts), len(group_starts)))
    return FlatRankings(groups_per_ballot, group_sizes, ids)


def _numbers(text, starts, lengths):
    """The decimal numbers at ``starts`` with these ``lengths`` (digits only), as int64,
    one decimal place at a time (ids have a few digits)."""
    ids = np.zeros(len(starts), dtype=np.int64)
    last = len(text) - 1
    if (lengths == lengths[0]).all():  # all ids equally long: no masks needed
        for place in range(int(lengths[0])):
            ids *= 10
            ids += text[starts + place] - ord("0")
        return ids
    for place in range(int(lengths.max())):
        longer = lengths > place
        digits = text[np.minimum(starts + place, last)].astype(np.int64) - ord("0")
        ids[longer] = ids[longer] * 10 + digits[longer]
    return ids
