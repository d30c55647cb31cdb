"""Recount an open-data bundle: check its hashes, recompute the result from its
ballots and compare it with the published result, byte for byte.

:func:`recount_bundle` is pure over the ZIP's bytes (no database) and never raises
on bad input: an unreadable file, a missing part, bad JSON or wrong types all
become findings in the report.
"""

import io
import json
import zipfile
from dataclasses import dataclass, field
from decimal import InvalidOperation
from pathlib import Path

from django.utils.translation import gettext as _

from voting import pabulib
from voting.ballots import BallotError, normalise
from voting.tally import registry

from .ballotfile import (
    BallotFile,
    canonical_file_bytes,
    collector_paused,
    content_key,
    is_unlinked,
    parse_rankings,
)
from .compute import (
    canonical_bytes,
    costs_from_options,
    data_from_ballot_file,
    result_from_data,
    sha256_hex,
)

REQUIRED = ("manifest.json", "ballots.json", "result.json", "consultation.json")
METHODS = (*registry.METHODS, "opinion")
MAX_FILE_BYTES = 1 << 30
MAX_DIFFERENCES = 20
SHOWN_DIFFERENCES = 6
# The differences people understand first: how many ballots, which ballot file.
FIRST = ("turnout", "ballot_file_sha256")

MATCH, MISMATCH, UNREADABLE = "match", "mismatch", "unreadable"
EXIT_CODES = {MATCH: 0, MISMATCH: 1, UNREADABLE: 2}


@dataclass
class Finding:
    code: str
    message: str
    file: str | None = None
    fatal: bool = False  # the bundle cannot be recounted at all
    details: list = field(default_factory=list)


@dataclass
class Report:
    findings: list = field(default_factory=list)
    snapshot_sha256: str | None = None
    result_sha256: str | None = None
    recomputed_sha256: str | None = None
    ballots: int | None = None
    recounted: bool = False

    @property
    def status(self):
        if any(finding.fatal for finding in self.findings) or not self.recounted:
            return UNREADABLE
        return MISMATCH if self.findings else MATCH

    @property
    def ok(self):
        return self.status == MATCH

    @property
    def exit_code(self):
        return EXIT_CODES[self.status]

    def codes(self):
        return [finding.code for finding in self.findings]

    def add(self, code, message, file=None, fatal=False, details=None):
        self.findings.append(Finding(code, message, file, fatal, details or []))

    def text(self):
        headline = {
            MATCH: _("ÜBEREINSTIMMUNG: Das neu berechnete Ergebnis ist Byte für Byte das veröffentlichte."),
            MISMATCH: _("ABWEICHUNG: Das Bündel stimmt nicht mit dem veröffentlichten Ergebnis überein."),
            UNREADABLE: _("NICHT LESBAR: Das Bündel kann nicht nachgezählt werden."),
        }[self.status]
        lines = [headline]
        if self.snapshot_sha256:
            lines.append(_("SHA-256 laut Manifest:      %(sha)s") % {"sha": self.snapshot_sha256})
        if self.result_sha256:
            lines.append(_("SHA-256 von result.json:    %(sha)s") % {"sha": self.result_sha256})
        if self.recomputed_sha256:
            lines.append(_("SHA-256 neu berechnet:      %(sha)s") % {"sha": self.recomputed_sha256})
        if self.ballots is not None:
            lines.append(_("Gezählte Stimmzettel/Vergleiche: %(n)s") % {"n": self.ballots})
        for finding in self.findings:
            where = f" [{finding.file}]" if finding.file else ""
            lines.append(f"- {finding.code}{where}: {finding.message}")
        return "\n".join(lines)


# --- reading ---------------------------------------------------------------------------


def _read_input(source, report):
    if isinstance(source, bytes | bytearray | memoryview):
        return bytes(source)
    try:
        return Path(source).read_bytes()
    except (OSError, TypeError, ValueError) as error:
        report.add("cannot_read", _("Die Datei kann nicht gelesen werden: %(error)s") % {"error": error}, fatal=True)
        return None


def _read_zip(raw, report):
    """{name: bytes} of the bundle's files, or None when it is no readable ZIP."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError):
        report.add("not_a_zip", _("Die Datei ist kein lesbares ZIP-Archiv."), fatal=True)
        return None
    files = {}
    with archive:
        for info in archive.infolist():
            if info.is_dir():
                continue
            if info.file_size > MAX_FILE_BYTES:
                report.add("file_too_large", _("Die Datei ist zu groß zum Nachzählen."), info.filename, fatal=True)
                continue
            try:
                files[info.filename] = archive.read(info)
            except Exception as error:  # noqa: BLE001 - every broken entry must become a finding
                report.add(
                    "corrupt_file",
                    _("Die Datei im Archiv ist beschädigt: %(error)s") % {"error": error},
                    info.filename,
                    fatal=True,
                )
    return files


def _parse_json(name, data, report):
    try:
        with collector_paused():  # a city's ballot file: millions of small lists
            return json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        report.add("bad_json", _("Die Datei ist kein gültiges JSON in UTF-8."), name, fatal=True)
        return None


# --- checks ------------------------------------------------------------------------------


def _check_manifest(manifest, files, report):
    if not isinstance(manifest, dict) or not isinstance(manifest.get("files"), dict):
        report.add("bad_structure", _("Das Manifest hat keine Liste der Dateien."), "manifest.json")
        return
    listed = manifest["files"]
    for name, data in files.items():
        if name == "manifest.json":
            continue
        expected = listed.get(name)
        if expected is None:
            report.add("unlisted_file", _("Die Datei steht nicht im Manifest."), name)
        elif expected != sha256_hex(data):
            report.add(
                "hash_mismatch",
                _("Die SHA-256-Prüfsumme der Datei stimmt nicht mit dem Manifest überein."),
                name,
            )
    for name in listed:
        if name not in files:
            report.add("missing_file", _("Die Datei steht im Manifest, fehlt aber im Archiv."), name)
    snapshot = manifest.get("snapshot_sha256")
    if not isinstance(snapshot, str):
        report.add("bad_structure", _("Das Manifest nennt keine Prüfsumme des Ergebnisses."), "manifest.json")
        return
    report.snapshot_sha256 = snapshot
    if "result.json" in files and snapshot != sha256_hex(files["result.json"]):
        report.add(
            "snapshot_hash_mismatch",
            _("result.json hat nicht die Prüfsumme des veröffentlichten Ergebnisses laut Manifest."),
            "result.json",
        )


def _is_id(value):
    return isinstance(value, int) and not isinstance(value, bool)


def _check_consultation(data, report):
    """The consultation file's shape; True when it can be used for the recount."""
    name = "consultation.json"

    def bad(message):
        report.add("bad_structure", message, name, fatal=True)
        return False

    if not isinstance(data, dict):
        return bad(_("Die Datei muss ein JSON-Objekt sein."))
    consultation, options, turnout = data.get("consultation"), data.get("options"), data.get("turnout")
    if not isinstance(consultation, dict) or consultation.get("method") not in METHODS:
        return bad(_("Die Befragung oder ihr Verfahren fehlt."))
    if not isinstance(consultation.get("settings"), dict):
        return bad(_("Die Einstellungen der Befragung fehlen."))
    if not isinstance(options, list) or not all(isinstance(o, dict) and _is_id(o.get("id")) for o in options):
        return bad(_("Die Maßnahmen müssen eine Liste von Objekten mit ganzzahliger id sein."))
    if not isinstance(turnout, dict):
        return bad(_("Die Beteiligungszahlen fehlen."))
    try:
        costs_from_options(options)
    except (InvalidOperation, TypeError, ValueError):
        return bad(_("Die Kosten der Maßnahmen sind keine Zahlen."))
    return True


def _valid_ballots(ballots, consultation, options, report):
    """The ballot file with only the ballots that are valid for this consultation, or None."""
    name = "ballots.json"
    method = consultation["method"]
    if not isinstance(ballots, dict) or ballots.get("method") != method:
        report.add("bad_structure", _("Die Stimmzettel-Datei passt nicht zum Verfahren."), name, fatal=True)
        return None
    option_ids = [option["id"] for option in options]
    if method == "opinion":
        return _valid_answers(ballots, option_ids, report)
    if method == "pairwise":
        rows = ballots.get("comparisons")
        if not isinstance(rows, list):
            report.add("bad_structure", _("Die Vergleiche fehlen."), name, fatal=True)
            return None
        known = set(option_ids)
        kept = []
        for index, row in enumerate(rows):
            if (
                isinstance(row, dict)
                and _is_id(row.get("winner"))
                and _is_id(row.get("loser"))
                and row["winner"] != row["loser"]
                and {row["winner"], row["loser"]} <= known
            ):
                kept.append(row)
            else:
                report.add("invalid_ballot", _("Vergleich Nr. %(n)s ist ungültig.") % {"n": index + 1}, name)
        return {**ballots, "comparisons": kept}
    if is_unlinked(ballots):
        return _valid_unlinked(ballots, consultation, option_ids, options, report)
    rows = ballots.get("ballots")
    if not isinstance(rows, list):
        report.add("bad_structure", _("Die Stimmzettel fehlen."), name, fatal=True)
        return None
    costs = {option["id"]: option.get("cost") for option in options}
    kept, receipts = [], set()
    for index, row in enumerate(rows):
        if not isinstance(row, dict) or not isinstance(row.get("receipt"), str):
            report.add("invalid_ballot", _("Stimmzettel Nr. %(n)s hat keine Quittung.") % {"n": index + 1}, name)
            continue
        receipt = row["receipt"]
        if row.get("channel", "paper") != "paper":
            report.add(
                "invalid_channel",
                _("Der Stimmzettel %(r)s nennt einen unbekannten Weg (channel).") % {"r": receipt},
                name,
            )
            continue
        if receipt in receipts:
            report.add("duplicate_receipt", _("Die Quittung %(r)s kommt mehrfach vor.") % {"r": receipt}, name)
            continue
        receipts.add(receipt)
        try:
            valid = normalise(method, consultation["settings"], option_ids, row.get("content"), costs) == row["content"]
        except (BallotError, KeyError, TypeError, ValueError, InvalidOperation):
            valid = False
        if valid:
            kept.append(row)
        else:
            report.add("invalid_ballot", _("Der Stimmzettel %(r)s ist ungültig.") % {"r": receipt}, name)
    if [row["receipt"] for row in kept] != sorted(row["receipt"] for row in kept):
        report.add("not_sorted", _("Die Stimmzettel sind nicht nach Quittung sortiert."), name)
    return {**ballots, "ballots": kept}


def _valid_answers(answers, statement_ids, report):
    """An opinion map's answers file with only its valid answers: [participant, statement,
    answer], participants numbered 1.. without gaps, a known statement, an answer of 1, -1
    or 0, one answer per participant and statement, sorted."""
    name = "ballots.json"
    rows = answers.get("answers")
    if not isinstance(rows, list):
        report.add("bad_structure", _("Die Antworten fehlen."), name, fatal=True)
        return None
    known = set(statement_ids)
    kept, seen = [], set()
    for index, row in enumerate(rows):
        valid = (
            isinstance(row, list)
            and len(row) == 3
            and all(_is_id(value) for value in row)
            and row[0] >= 1
            and row[1] in known
            and row[2] in (1, -1, 0)
        )
        if not valid:
            report.add("invalid_answer", _("Antwort Nr. %(n)s ist ungültig.") % {"n": index + 1}, name)
        elif (row[0], row[1]) in seen:
            report.add(
                "duplicate_answer",
                _("Person %(p)s hat die Aussage %(s)s mehrfach beantwortet.") % {"p": row[0], "s": row[1]},
                name,
            )
        else:
            seen.add((row[0], row[1]))
            kept.append(row)
    if kept != sorted(kept):
        report.add("not_sorted", _("Die Antworten sind nicht nach Person und Aussage sortiert."), name)
    people = sorted({row[0] for row in kept})
    if people != list(range(1, len(people) + 1)):
        report.add("not_numbered", _("Die Personen sind nicht lückenlos von 1 an nummeriert."), name)
    return {**answers, "answers": kept}


UNLINKED_FIELDS = {"schema", "consultation", "method", "contents", "receipts", "paper"}


def _valid_unlinked(ballots, consultation, option_ids, options, report):
    """As :func:`_valid_ballots` for an unlinked file: contents and receipts apart,
    as many receipts as contents, none twice, each list in its canonical order, and
    nothing else in the file (nothing that could tie a receipt to a content)."""
    name = "ballots.json"
    contents, receipts = ballots.get("contents"), ballots.get("receipts")
    if not isinstance(contents, list) or not isinstance(receipts, list):
        report.add("bad_structure", _("Die Inhalte oder die Quittungen fehlen."), name, fatal=True)
        return None
    extra = sorted(set(ballots) - UNLINKED_FIELDS)
    if extra:
        report.add(
            "unexpected_field",
            _("Die Stimmzettel-Datei enthält unerwartete Felder: %(fields)s") % {"fields": ", ".join(extra)},
            name,
        )
    seen = set()
    for index, receipt in enumerate(receipts):
        if not isinstance(receipt, str):
            report.add("invalid_receipt", _("Quittung Nr. %(n)s ist kein Text.") % {"n": index + 1}, name)
        elif receipt in seen:
            report.add("duplicate_receipt", _("Die Quittung %(r)s kommt mehrfach vor.") % {"r": receipt}, name)
        else:
            seen.add(receipt)
    if len(receipts) != len(contents):
        report.add(
            "receipt_count_mismatch",
            _("Die Datei hat %(receipts)s Quittungen, aber %(ballots)s Stimmzettel.")
            % {"receipts": len(receipts), "ballots": len(contents)},
            name,
        )
    paper = ballots.get("paper", 0)
    if not _is_id(paper) or not 0 <= paper <= len(contents):
        report.add("invalid_channel", _("Die Zahl der Papierstimmzettel (paper) ist ungültig."), name)
    if all(isinstance(receipt, str) for receipt in receipts) and receipts != sorted(receipts):
        report.add("not_sorted", _("Die Quittungen sind nicht sortiert."), name)
    costs = {option["id"]: option.get("cost") for option in options}
    kept = []
    for index, content in enumerate(contents):
        try:
            valid = normalise(consultation["method"], consultation["settings"], option_ids, content, costs) == content
        except (BallotError, KeyError, TypeError, ValueError, InvalidOperation):
            valid = False
        if valid:
            kept.append(content)
        else:
            report.add("invalid_ballot", _("Stimmzettel Nr. %(n)s ist ungültig.") % {"n": index + 1}, name)
    try:
        keys = [content_key(content) for content in kept]
    except (TypeError, ValueError):
        keys = None
    if keys is not None and keys != sorted(keys):
        report.add("not_sorted", _("Die Stimmzettel sind nicht nach ihrem JSON-Text sortiert."), name)
    return {**ballots, "contents": kept}


def _valid_rankings(rankings, consultation, options, report):
    """As :func:`_valid_ballots` for a canonical ranking file read into arrays: the
    same findings in the same order; the valid ballots as FlatRankings, or None."""
    name = "ballots.json"
    if consultation["method"] != "ranking":
        report.add("bad_structure", _("Die Stimmzettel-Datei passt nicht zum Verfahren."), name, fatal=True)
        return None
    valid = rankings.valid([option["id"] for option in options])
    receipts = rankings.receipts
    keep = valid.copy()
    if not valid.all() or len(set(receipts)) != len(receipts):
        seen = set()
        for index, receipt in enumerate(receipts):
            if receipt in seen:
                keep[index] = False
                report.add("duplicate_receipt", _("Die Quittung %(r)s kommt mehrfach vor.") % {"r": receipt}, name)
                continue
            seen.add(receipt)
            if not valid[index]:
                report.add("invalid_ballot", _("Der Stimmzettel %(r)s ist ungültig.") % {"r": receipt}, name)
    kept = [receipt for receipt, good in zip(receipts, keep.tolist(), strict=True) if good]
    if kept != sorted(kept):
        report.add("not_sorted", _("Die Stimmzettel sind nicht nach Quittung sortiert."), name)
    return rankings.ballots if keep.all() else rankings.ballots.take(keep)


def differences(published, recomputed, path="", found=None):
    """Where two JSON values differ, as "path: published → recomputed" lines."""
    found = [] if found is None else found
    if len(found) >= MAX_DIFFERENCES:
        return found
    if isinstance(published, dict) and isinstance(recomputed, dict):
        keys = sorted(set(published) | set(recomputed), key=lambda key: (path == "" and key not in FIRST, key))
        for key in keys:
            where = f"{path}.{key}" if path else str(key)
            if key not in published:
                found.append(f"{where}: " + _("fehlt im veröffentlichten Ergebnis"))
            elif key not in recomputed:
                found.append(f"{where}: " + _("fehlt im neu berechneten Ergebnis"))
            else:
                differences(published[key], recomputed[key], where, found)
    elif isinstance(published, list) and isinstance(recomputed, list) and len(published) == len(recomputed):
        for index, (a, b) in enumerate(zip(published, recomputed, strict=True)):
            differences(a, b, f"{path}[{index}]", found)
    elif published != recomputed or type(published) is not type(recomputed):
        shown = [json.dumps(value, ensure_ascii=False)[:80] for value in (published, recomputed)]
        found.append(f"{path or '/'}: {shown[0]} → {shown[1]}")
    return found[:MAX_DIFFERENCES]


# --- the recount -------------------------------------------------------------------------


def _check_pabulib(raw, consultation, data, report):
    """The Pabulib copy of a budget's ballots must hold the same ballots as ballots.json."""
    try:
        profile = pabulib.budget_profile(pabulib.read_pb(raw.decode("utf-8")))
    except (UnicodeDecodeError, pabulib.PabulibError) as error:
        report.add(
            "pabulib_unreadable", _("Die Pabulib-Datei ist nicht lesbar: %(error)s") % {"error": error}, "ballots.pb"
        )
        return
    if consultation.get("method") != "points" or _ballot_multiset(profile.ballots) != _ballot_multiset(data):
        report.add(
            "pabulib_differs",
            _("Die Pabulib-Datei enthält nicht dieselben Stimmzettel wie ballots.json."),
            "ballots.pb",
        )


def _check_paper_turnout(ballots, turnout, report):
    """The paper voters of the turnout (where it names them) are the paper ballots of the file.
    A canonical ranking file (``ballots`` None) has no paper ballots: any mark breaks that form."""
    stated = turnout.get("paper")
    if stated is None:
        return
    if ballots is None:
        found = 0
    elif "ballots" in ballots:
        found = sum(1 for row in ballots["ballots"] if row.get("channel") == "paper")
    else:
        found = ballots.get("paper", 0)
    by_state = turnout.get("paper_ballots")
    if isinstance(by_state, dict) and by_state.get("counted") != stated:
        report.add(
            "paper_count_mismatch",
            _("Die Beteiligung nennt %(stated)s Papierstimmzettel, aber %(counted)s gezählte eingegangene.")
            % {"stated": stated, "counted": by_state.get("counted")},
            "consultation.json",
        )
    if stated != found:
        report.add(
            "paper_count_mismatch",
            _("Die Beteiligung nennt %(stated)s Papierstimmzettel, die Stimmzettel-Datei %(found)s.")
            % {"stated": stated, "found": found},
            "consultation.json",
        )


def _ballot_multiset(ballots):
    return sorted(tuple(sorted((int(k), int(v)) for k, v in ballot.items())) for ballot in ballots)


def recount_bundle(source, expected_sha256=None):
    """Check an open-data bundle (a path or the ZIP's bytes) and recount it."""
    report = Report()
    raw = _read_input(source, report)
    files = _read_zip(raw, report) if raw is not None else None
    if files is None or any(finding.fatal for finding in report.findings):
        return report
    for name in REQUIRED:
        if name not in files:
            report.add("missing_file", _("Die Datei fehlt im Archiv."), name, fatal=True)
    if "result.json" in files:
        report.result_sha256 = sha256_hex(files["result.json"])
    if expected_sha256 and report.result_sha256 and expected_sha256.lower() != report.result_sha256:
        report.add(
            "not_the_published_result",
            _("result.json hat nicht die erwartete Prüfsumme %(sha)s.") % {"sha": expected_sha256},
            "result.json",
        )
    # A ranking file in canonical form is read into arrays at once; any other file
    # (another method, or not canonical) is parsed and checked ballot by ballot.
    rankings = BallotFile(files["ballots.json"]).rankings() if "ballots.json" in files else None
    parsed = {
        name: _parse_json(name, files[name], report)
        for name in REQUIRED
        if name in files and not (name == "ballots.json" and rankings is not None)
    }
    if any(finding.fatal for finding in report.findings):
        return report
    _check_manifest(parsed["manifest.json"], files, report)
    if not _check_consultation(parsed["consultation.json"], report):
        return report
    info = parsed["consultation.json"]
    consultation, options = info["consultation"], info["options"]
    if rankings is not None:
        ballots = _valid_rankings(rankings, consultation, options, report)
        # Canonical bytes are their own canonical form.
        ballots_sha256 = sha256_hex(files["ballots.json"])
    else:
        try:
            canonical = canonical_file_bytes(parsed["ballots.json"])
        except (UnicodeEncodeError, ValueError):
            report.add("bad_json", _("Die Datei ist kein gültiges JSON in UTF-8."), "ballots.json", fatal=True)
            return report
        ballots_sha256 = sha256_hex(canonical)
        # A ranking file in another layout (e.g. indented): its canonical form says the
        # same ballots, so the vectorised checks apply to it as well.
        rankings = parse_rankings(canonical) if consultation["method"] == "ranking" else None
        if rankings is not None:
            ballots = _valid_rankings(rankings, consultation, options, report)
        else:
            ballots = _valid_ballots(parsed["ballots.json"], consultation, options, report)
    if ballots is None:
        return report
    _check_paper_turnout(ballots if rankings is None else None, info["turnout"], report)
    meta = {"consultation": consultation, "turnout": info["turnout"], "ballot_file_sha256": ballots_sha256}
    try:
        data = ballots if rankings is not None else data_from_ballot_file(consultation["method"], ballots)
        recomputed = result_from_data(meta, options, data, costs_from_options(options))
        recomputed_bytes = canonical_bytes(recomputed)
    except Exception as error:  # noqa: BLE001 - a crafted bundle must give a finding, not a crash
        report.add(
            "recount_failed",
            _("Das Ergebnis kann aus diesen Daten nicht berechnet werden: %(error)s") % {"error": error},
            fatal=True,
        )
        return report
    report.recounted = True
    report.ballots = len(data)
    if "ballots.pb" in files:
        _check_pabulib(files["ballots.pb"], consultation, data, report)
    report.recomputed_sha256 = sha256_hex(recomputed_bytes)
    if recomputed_bytes != files["result.json"]:
        found = differences(parsed["result.json"], recomputed)
        if found:
            report.add(
                "result_differs",
                _("Das neu berechnete Ergebnis weicht ab: %(where)s")
                % {"where": "; ".join(found[:SHOWN_DIFFERENCES]) + ("; …" if len(found) > SHOWN_DIFFERENCES else "")},
                "result.json",
                details=found,
            )
        else:
            report.add(
                "not_canonical",
                _("result.json hat den gleichen Inhalt, aber nicht die veröffentlichten Bytes."),
                "result.json",
            )
    return report
