"""Pabulib ``.pb`` files: participatory budgets, read and written by the platform.

Pabulib (pabulib.org) is the research library of participatory budgets; its format is
described in Stolicki, Szufa, Talmon, *Pabulib: A Participatory Budgeting Library*
(arXiv:2012.06539). A file is text, fields separated by ``;`` (the ``csv`` dialect
with ``"`` as quote character), in three sections, each opened by a line with its
name and a header row::

    META
    key;value
    description;Local PB in Warszawa, Wawer | Anin
    budget;122468
    vote_type;approval
    ...
    PROJECTS
    project_id;cost;votes;name;selected
    1828;90770;206;W zdrowym ciele zdrowy duch.;1
    ...
    VOTES
    voter_id;vote;age;sex
    1998;2523,2533,2571;48;F

A vote lists project ids separated by commas; cumulative and scoring ballots carry a
``points`` column of the same length. Pure: no models, no ORM, no Django.

- :func:`read_pb` reads a file strictly: anything malformed raises
  :class:`PabulibError` naming the line.
- :func:`write_pb` writes an instance in Pabulib's layout; ``read_pb`` reads it back
  to an equal instance.
- :func:`budget_profile` turns an instance into the platform's plain count data
  (``voting.tally.points.count_points`` and ``voting.tally.budget``);
  :func:`option_ids` says which project each option stands for.
- :func:`instance_from_count_data` goes the other way, for the export of a
  consultation of the platform.
"""

import csv
import gc
import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import NamedTuple

SECTIONS = ("META", "PROJECTS", "VOTES")
# "scoring" is named in the paper, "choose-1" (one project per ballot) by Pabulib's checker.
VOTE_TYPES = ("approval", "cumulative", "scoring", "ordinal", "choose-1")
POINTS_REQUIRED = ("cumulative", "scoring")
# The platform's names for Pabulib's: the method and the budget rules.
VOTE_TYPE_NAMES = {"points": "cumulative"}
RULE_NAMES = {"equal_shares": "equalshares", "greedy": "greedy"}

_SECTION_LIKE = re.compile(r"[A-Z][A-Z_]*\Z")
_DIALECT = {"delimiter": ";", "quotechar": '"'}


class PabulibError(ValueError):
    """A ``.pb`` file (or an instance) that is not well-formed; ``line`` is the file's
    line number (1-based) where known, and the message starts with it."""

    def __init__(self, message: str, line: int | None = None):
        self.line = line
        super().__init__(f"line {line}: {message}" if line else message)


@dataclass
class PBInstance:
    """One participatory budget as Pabulib stores it.

    ``meta``: the META section, key to value, in file order. ``projects``: one dict per
    project in file order, its columns in header order, all strings except ``cost``
    (a ``Decimal``). ``votes``: one dict per voter in file order, its columns in header
    order, all strings except ``vote`` (the project ids, in file order) and ``points``
    (``list[int]`` beside ``vote``, or ``None`` when the file has no points column).
    """

    meta: dict[str, str] = field(default_factory=dict)
    projects: list[dict] = field(default_factory=list)
    votes: list[dict] = field(default_factory=list)


class BudgetProfile(NamedTuple):
    """The plain count data of a budget, unpacked as a 5-tuple."""

    options: list[int]
    ballots: list[dict[int, int]]
    costs: dict[int, Decimal]
    budget: Decimal
    vote_type: str


# --- reading -----------------------------------------------------------------------


def _number(text: str, what: str, line: int) -> Decimal:
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise PabulibError(f"{what} {text!r} is not a number", line) from None
    if not value.is_finite() or value < 0:
        raise PabulibError(f"{what} {text!r} is not a number of 0 or more", line)
    return value


def _count(meta: dict, key: str, actual: int, what: str, lines: dict) -> None:
    if key not in meta:
        return
    try:
        said = int(meta[key])
    except ValueError:
        raise PabulibError(f"{key} {meta[key]!r} is not a whole number", lines[key]) from None
    if said != actual:
        raise PabulibError(f"{key} is {said}, but the file has {actual} {what}", lines[key])


def _header(row: list[str], section: str, required: tuple[str, ...], line: int) -> list[str]:
    names = [name.strip() for name in row]
    if section == "META":
        if [name.lower() for name in names] != ["key", "value"]:
            raise PabulibError(f"META must start with the header row 'key;value', found {';'.join(row)!r}", line)
        return names
    seen = set()
    for name in names:
        if not name:
            raise PabulibError(f"{section} header has an empty column name", line)
        if name in seen:
            raise PabulibError(f"{section} header names the column {name!r} twice", line)
        seen.add(name)
    missing = [name for name in required if name not in seen]
    if missing:
        raise PabulibError(f"{section} header lacks the column(s) {', '.join(missing)}: {';'.join(row)!r}", line)
    return names


def read_pb(text: str) -> PBInstance:
    """Read the text of a ``.pb`` file; raise :class:`PabulibError` naming the line of
    anything malformed: a missing, repeated, unknown or misplaced section, a missing or
    wrong header, a row with the wrong number of fields, a duplicate project or voter
    id, a cost, budget or points value that is not a number, a vote naming an unknown
    project (or one project twice), points not matching the vote, a missing budget or
    vote type, and META's ``num_projects``/``num_votes`` disagreeing with the sections.
    Blank lines are skipped; section names are read in any case.
    """
    if text.startswith("\ufeff"):
        text = text[1:]
    # The collector would walk the many small dicts and lists again and again (a third
    # of the time of a city-wide file); they hold no cycles (results.ballotfile does
    # the same, but voting does not import results).
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _read(text)
    finally:
        if enabled:
            gc.enable()


def _read(text: str) -> PBInstance:
    reader = csv.reader(io.StringIO(text, newline=""), strict=True, **_DIALECT)
    state = _Reading()
    rows = _rows(reader)
    try:
        for line, row in rows:
            if len(row) == 1 and _section_name(row[0]):
                state.start_section(_section_name(row[0]), line)
            elif state.section is None:
                raise PabulibError(f"the file must start with META, found {';'.join(row)!r}", line)
            elif state.header is None:
                state.read_header(row, line)
                if state.section == "VOTES":
                    # The last section: its many rows take the short way.
                    _read_votes(state, rows)
            elif len(row) != len(state.header):
                state.wrong_width(row, line)
            elif state.section == "PROJECTS":
                state.read_project(row, line)
            else:
                state.read_meta(row, line)
    except csv.Error as error:
        raise PabulibError(f"not readable as ';'-separated fields: {error}", reader.line_num) from None
    for name in SECTIONS:
        if name not in state.section_lines:
            raise PabulibError(f"the file has no {name} section")
    if state.header is None:
        raise PabulibError(f"section {state.section} has no header row", state.section_lines[state.section])
    meta, lines = state.meta, state.meta_lines
    _count(meta, "num_projects", len(state.projects), "projects", lines)
    _count(meta, "num_votes", len(state.votes), "votes", lines)
    return PBInstance(meta=meta, projects=state.projects, votes=state.votes)


def _rows(reader):
    """(first line number, fields) of each row that is not blank."""
    end = 0
    for row in reader:
        line, end = end + 1, reader.line_num
        if row and (len(row) > 1 or row[0].strip()):
            yield line, row


def _section_name(field: str) -> str | None:
    """The section a one-field row opens (upper case), or None for a row of data."""
    name = field.strip()
    return name.upper() if name.upper() in SECTIONS or _SECTION_LIKE.match(name) else None


class _Reading:
    """What :func:`read_pb` has read so far."""

    REQUIRED = {"META": (), "PROJECTS": ("project_id", "cost"), "VOTES": ("voter_id", "vote")}

    def __init__(self):
        self.meta: dict[str, str] = {}
        self.meta_lines: dict[str, int] = {}
        self.projects: list[dict] = []
        self.project_lines: dict[str, int] = {}
        self.votes: list[dict] = []
        self.section_lines: dict[str, int] = {}
        self.section: str | None = None
        self.header: list[str] | None = None

    def start_section(self, name: str, line: int) -> None:
        if name not in SECTIONS:
            raise PabulibError(f"unknown section {name!r} (expected one of {', '.join(SECTIONS)})", line)
        if name in self.section_lines:
            raise PabulibError(f"section {name} appears again (first on line {self.section_lines[name]})", line)
        expected = SECTIONS[len(self.section_lines)]
        if name != expected:
            raise PabulibError(f"section {name} where {expected} was expected", line)
        if self.section is not None and self.header is None:
            raise PabulibError(f"section {self.section} has no header row", self.section_lines[self.section])
        self.section, self.header = name, None
        self.section_lines[name] = line
        if name == "PROJECTS":
            _check_meta(self.meta, self.meta_lines, self.section_lines["META"])

    def read_header(self, row: list[str], line: int) -> None:
        self.header = _header(row, self.section, self.REQUIRED[self.section], line)
        if self.section == "VOTES" and "points" not in self.header and self.meta["vote_type"] in POINTS_REQUIRED:
            raise PabulibError(f"VOTES of vote_type {self.meta['vote_type']} need a points column", line)

    def wrong_width(self, row: list[str], line: int):
        header = self.header
        raise PabulibError(
            f"{self.section} row has {len(row)} field(s), the header {len(header)} ({';'.join(header)})", line
        )

    def read_meta(self, row: list[str], line: int) -> None:
        key, value = row
        key = key.strip()
        if not key:
            raise PabulibError("META row without a key", line)
        if key in self.meta:
            raise PabulibError(f"META key {key!r} appears again (first on line {self.meta_lines[key]})", line)
        self.meta[key], self.meta_lines[key] = value, line

    def read_project(self, row: list[str], line: int) -> None:
        project = dict(zip(self.header, row, strict=True))
        pid = project["project_id"]
        if not pid:
            raise PabulibError("project without project_id", line)
        if pid in self.project_lines:
            raise PabulibError(f"project {pid!r} appears again (first on line {self.project_lines[pid]})", line)
        self.project_lines[pid] = line
        project["cost"] = _number(project["cost"], f"cost of project {pid!r}", line)
        self.projects.append(project)


def _check_meta(meta: dict, lines: dict, meta_line: int) -> None:
    if "budget" not in meta:
        raise PabulibError("META has no budget", meta_line)
    _number(meta["budget"], "budget", lines["budget"])
    if "vote_type" not in meta:
        raise PabulibError("META has no vote_type", meta_line)
    if meta["vote_type"] not in VOTE_TYPES:
        raise PabulibError(
            f"unknown vote_type {meta['vote_type']!r} (expected one of {', '.join(VOTE_TYPES)})", lines["vote_type"]
        )


def _read_votes(state: _Reading, rows) -> None:
    """The rows of VOTES, to the end of the file (one loop, ~6 µs a vote)."""
    header = state.header
    width = len(header)
    has_points = "points" in header
    known = frozenset(state.project_lines)
    voters: dict[str, int] = {}
    votes = state.votes
    for line, row in rows:
        if len(row) != width:
            if len(row) == 1 and _section_name(row[0]):
                state.start_section(_section_name(row[0]), line)
            state.wrong_width(row, line)
        vote = dict(zip(header, row, strict=True))
        voter = vote["voter_id"]
        if not voter or voter in voters:
            _bad_voter(voter, voters, line)
        voters[voter] = line
        text = vote["vote"]
        ids = text.split(",") if text else []
        distinct = set(ids)
        if len(distinct) != len(ids) or not distinct <= known:
            _bad_vote(voter, ids, known, line)
        vote["vote"] = ids
        if has_points:
            text = vote["points"]
            try:
                points = [int(value) for value in text.split(",")] if text else []
            except ValueError:
                raise PabulibError(f"points of voter {voter!r} are not whole numbers: {text!r}", line) from None
            if len(points) != len(ids):
                raise PabulibError(
                    f"voter {voter!r} gives {len(points)} points value(s) for {len(ids)} project(s)", line
                )
            vote["points"] = points
        else:
            vote["points"] = None
        votes.append(vote)


def _bad_voter(voter: str, voters: dict, line: int):
    if not voter:
        raise PabulibError("vote without voter_id", line)
    raise PabulibError(f"voter {voter!r} appears again (first on line {voters[voter]})", line)


def _bad_vote(voter: str, ids: list[str], known: frozenset, line: int):
    for pid in ids:
        if pid not in known:
            raise PabulibError(f"vote of voter {voter!r} names project {pid!r}, which is not in PROJECTS", line)
    twice = next(pid for pid in ids if ids.count(pid) > 1)
    raise PabulibError(f"vote of voter {voter!r} names project {twice!r} twice", line)


# --- writing -----------------------------------------------------------------------


def _columns(rows: list[dict], first: list[str], what: str) -> list[str]:
    if not rows:
        return first
    columns = list(rows[0])
    keys = set(columns)
    for number, row in enumerate(rows, 1):
        if set(row) != keys:
            raise PabulibError(f"{what} {number} has the columns {sorted(row)}, the first one {sorted(keys)}")
    return columns


def write_pb(instance: PBInstance) -> str:
    """The text of a ``.pb`` file for ``instance``: META (with its ``key;value``
    header), PROJECTS and VOTES, each with its header row, lines ending in ``\\n``,
    fields quoted only where they must be. META is written as given (an instance
    from :func:`instance_from_count_data` has its counts filled in)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_MINIMAL, **_DIALECT)
    writer.writerow(["META"])
    writer.writerow(["key", "value"])
    writer.writerows(instance.meta.items())

    writer.writerow(["PROJECTS"])
    columns = _columns(instance.projects, ["project_id", "cost"], "project")
    writer.writerow(columns)
    writer.writerows([str(project[column]) for column in columns] for project in instance.projects)

    writer.writerow(["VOTES"])
    columns = _columns(instance.votes, ["voter_id", "vote", "points"], "vote")
    with_points = [vote["points"] is not None for vote in instance.votes]
    if any(with_points) and not all(with_points):
        raise PabulibError("some votes have points and others not")
    # Without votes, the vote type says whether the header has points.
    drop_points = not all(with_points) if instance.votes else instance.meta.get("vote_type") not in POINTS_REQUIRED
    if drop_points and "points" in columns:
        columns.remove("points")
    writer.writerow(columns)
    for vote in instance.votes:
        row = []
        for column in columns:
            value = vote[column]
            if column in ("vote", "points"):
                value = ",".join(map(str, value))
            row.append(value)
        writer.writerow(row)
    return out.getvalue()


# --- the platform's count data -------------------------------------------------------


def _canonical_int(text: str) -> bool:
    return text.isascii() and text.isdigit() and str(int(text)) == text


def option_ids(instance: PBInstance) -> dict[int, str]:
    """Option (as in :func:`budget_profile`) to project id.

    The options are the project ids themselves, as ints, when every id is a whole
    number written plainly (digits, no leading zero), as in every Pabulib file from
    Polish cities; otherwise they are the positions 1..m of the projects in the file.
    """
    ids = [project["project_id"] for project in instance.projects]
    if all(_canonical_int(pid) for pid in ids):
        return {int(pid): pid for pid in ids}
    return dict(enumerate(ids, 1))


def budget_profile(instance: PBInstance) -> BudgetProfile:
    """``(options, ballots, costs, budget, vote_type)``: what the platform counts.

    ``options``: ints, see :func:`option_ids`, in file order. ``ballots``: one
    ``{option: points}`` per vote, in file order: 1 for each approved project
    (``approval``, ``choose-1``), the points as given (``cumulative``, ``scoring``).
    ``costs``: ``{option: Decimal}``; ``budget``: ``Decimal``. Ordinal ballots have no
    points and raise :class:`PabulibError`.
    """
    vote_type = instance.meta.get("vote_type")
    if vote_type == "ordinal":
        raise PabulibError("ordinal ballots rank projects and give no points; they cannot be counted as points")
    if vote_type not in VOTE_TYPES:
        raise PabulibError(f"unknown vote_type {vote_type!r}")
    if "budget" not in instance.meta:
        raise PabulibError("META has no budget")
    mapping = option_ids(instance)
    option_of = {pid: option for option, pid in mapping.items()}
    options = list(mapping)
    costs = {option_of[project["project_id"]]: Decimal(project["cost"]) for project in instance.projects}
    if vote_type in POINTS_REQUIRED:
        ballots = [
            {option_of[pid]: given for pid, given in zip(vote["vote"], vote["points"], strict=True)}
            for vote in instance.votes
        ]
    else:
        ballots = [dict.fromkeys([option_of[pid] for pid in vote["vote"]], 1) for vote in instance.votes]
    return BudgetProfile(options, ballots, costs, Decimal(instance.meta["budget"]), vote_type)


def _text(value) -> str:
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return str(Decimal(str(value)))
    return str(value)


def instance_from_count_data(
    *,
    description: str,
    instance: str | int,
    budget: Decimal | int | float | str,
    vote_type: str,
    rule: str,
    projects: Sequence[Mapping],
    ballots: Sequence[Mapping | Sequence],
    date_begin: date | str | None = None,
    date_end: date | str | None = None,
    country: str = "Germany",
    unit: str = "Heilbronn",
    currency: str = "EUR",
    language: str = "de",
    extra_meta: Mapping[str, object] | None = None,
) -> PBInstance:
    """A :class:`PBInstance` from a consultation's plain data, for export.

    ``vote_type`` and ``rule`` take Pabulib's names or the platform's (``points`` is
    ``cumulative``, ``equal_shares`` is written ``equalshares``). ``projects``: dicts with
    ``id``, ``cost`` and ``name``, optionally ``votes`` (else the ballots giving the
    project more than 0 points), ``score`` (cumulative and scoring: else the sum of its
    points) and ``selected`` (true/false, written ``1``/``0``; the column only when some
    project has it); further keys become further columns. ``ballots``: ``{id: points}``
    per ballot (approval also a list of ids; ordinal only a list of ids, best first);
    ballot files are anonymous, so voters are numbered 1..N in the order given and have
    no other columns. Cumulative votes leave out projects given 0 points. Dates are
    written ``dd.mm.yyyy`` (give local dates). ``num_projects`` and ``num_votes`` are
    filled in; ``extra_meta`` (``max_sum_points``, ``min_length``, ...) goes before
    ``language`` and ``currency``.
    """
    vote_type = VOTE_TYPE_NAMES.get(vote_type, vote_type)
    if vote_type not in VOTE_TYPES:
        raise PabulibError(f"unknown vote_type {vote_type!r}")
    known = {_text(project["id"]) for project in projects}
    if len(known) != len(projects):
        raise PabulibError("two projects have the same id")

    votes = []
    for number, ballot in enumerate(ballots, 1):
        if isinstance(ballot, Mapping):
            if vote_type == "ordinal":
                raise PabulibError(f"ballot {number}: an ordinal ballot is a list of ids, best first")
            given = [(_text(pid), int(points)) for pid, points in ballot.items()]
            if vote_type != "scoring":
                given = [(pid, points) for pid, points in given if points]
        else:
            if vote_type in POINTS_REQUIRED:
                raise PabulibError(f"ballot {number}: a {vote_type} ballot maps ids to points")
            given = [(_text(pid), 1) for pid in ballot]
        ids = [pid for pid, _points in given]
        unknown = [pid for pid in ids if pid not in known]
        if unknown:
            raise PabulibError(f"ballot {number} names projects that are not in the list: {', '.join(unknown)}")
        if len(set(ids)) != len(ids):
            raise PabulibError(f"ballot {number} names a project twice")
        if vote_type in ("approval", "choose-1") and any(points != 1 for _pid, points in given):
            raise PabulibError(f"ballot {number}: approval ballots give 1 point or none")
        points = [points for _pid, points in given] if vote_type in POINTS_REQUIRED else None
        votes.append({"voter_id": str(number), "vote": ids, "points": points})

    supporters = dict.fromkeys(known, 0)
    totals = dict.fromkeys(known, 0)
    for vote in votes:
        for pid, points in zip(vote["vote"], vote["points"] or [1] * len(vote["vote"]), strict=True):
            supporters[pid] += points > 0
            totals[pid] += points
    with_selected = any("selected" in project for project in projects)
    rows = []
    for project in projects:
        pid = _text(project["id"])
        row = {
            "project_id": pid,
            "cost": Decimal(_text(project["cost"])),
            "votes": _text(project.get("votes", supporters[pid])),
        }
        if vote_type in POINTS_REQUIRED:
            row["score"] = _text(project.get("score", totals[pid]))
        row["name"] = _text(project.get("name", ""))
        if with_selected:
            row["selected"] = "1" if project.get("selected") else "0"
        for key, value in project.items():
            if key not in ("id", "cost", "votes", "score", "name", "selected"):
                row[key] = "" if value is None else _text(value)
        rows.append(row)
    if len({tuple(row) for row in rows}) > 1:
        raise PabulibError("every project must have the same further keys")

    meta = {
        "description": description,
        "country": country,
        "unit": unit,
        "instance": _text(instance),
        "num_projects": str(len(rows)),
        "num_votes": str(len(votes)),
        "budget": _text(budget),
        "vote_type": vote_type,
        "rule": RULE_NAMES.get(rule, rule),
    }
    if date_begin is not None:
        meta["date_begin"] = _text(date_begin)
    if date_end is not None:
        meta["date_end"] = _text(date_end)
    for key, value in (extra_meta or {}).items():
        meta[key] = _text(value)
    meta["language"] = language
    meta["currency"] = currency
    _number(meta["budget"], "budget", None)
    return PBInstance(meta=meta, projects=rows, votes=votes)
