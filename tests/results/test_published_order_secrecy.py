"""Neither the published ballot file nor any export tells in which order the ballots
were cast: the position of a ballot (and of a receipt) in each of them does not
correlate with the casting order.

How it is measured: N ballots with distinct contents are cast in a known, shuffled
order through voting.actions.cast_ballot; after closing and publishing, each ballot's
position in the file, the CSV and XLSX exports and the open-data bundle is compared
with its casting position by Spearman's rank correlation rho.

The bound: for a random order, rho is about normal with mean 0 and standard
deviation 1/sqrt(N-1) = 0.082 for N = 150, so |rho| >= 0.4 has a chance of about
1e-6 (4.9 standard deviations); a file in casting order gives rho = 1, in reverse
order -1, and one that is even loosely ordered by time (say, sorted by the hour of
casting) far above 0.4. Each case draws the order afresh (receipts are random), so
a leak cannot hide behind one lucky seed.
"""

import csv
import io
import json
import random
import zipfile

import pytest
from openpyxl import load_workbook

from results.actions import publish
from results.ballotfile import canonical_json
from tests.voting.helpers import make_consultation
from voting import actions
from voting.actions import close_consultation

pytestmark = pytest.mark.django_db

N = 150
BOUND = 0.4


def spearman(positions):
    """Spearman's rho between casting order 0..n-1 and ``positions`` (a permutation of 0..n-1)."""
    n = len(positions)
    assert sorted(positions) == list(range(n)), "every ballot must be found exactly once"
    d2 = sum((cast - place) ** 2 for cast, place in enumerate(positions))
    return 1 - 6 * d2 / (n * (n * n - 1))


def test_the_measure_catches_a_file_in_casting_order():
    assert spearman(list(range(N))) == 1 > BOUND
    assert spearman(list(reversed(range(N)))) == -1
    # Sorted by the hour of casting (10 hours, random order within each): still caught.
    rng = random.Random(3)
    hours = [sorted(range(h * 15, h * 15 + 15), key=lambda _: rng.random()) for h in range(10)]
    order = [i for hour in hours for i in hour]
    assert spearman([order.index(i) for i in range(N)]) > 0.9


def contents(method, ids):
    """N distinct ballots, in a shuffled order that has nothing to do with their text."""
    if method == "ranking":
        rng = random.Random(5)
        found = set()
        while len(found) < N:
            found.add(tuple(rng.sample(ids, len(ids))))
        ballots = [{"ranking": [[pk] for pk in order]} for order in sorted(found)]
    else:
        ballots = [
            {"scores": {str(ids[0]): a, str(ids[1]): b, str(ids[2]): c, str(ids[3]): d}}
            for a in range(6)
            for b in range(6)
            for c in range(6)
            for d in range(6)
        ][:N]
    random.Random(11).shuffle(ballots)
    return ballots


def cells(method, content, ids):
    """The export cells of a ballot, as text: its place or grade per measure, empty if none."""
    if method == "ranking":
        places = {pk: place for place, group in enumerate(content["ranking"], start=1) for pk in group}
        return tuple(str(places.get(pk, "")) for pk in ids)
    return tuple(str(content["scores"].get(str(pk), "")) for pk in ids)


def text(value):
    return "" if value is None else str(value)


@pytest.mark.parametrize(
    ("method", "lookup"),
    [("ranking", "content"), ("score", "content"), ("ranking", "counted"), ("score", "counted")],
)
def test_no_published_order_follows_the_casting_order(client, method, lookup):
    consultation, facilitator, ids = make_consultation(
        method=method, eligibility="open", n_options=6 if method == "ranking" else 4, receipt_lookup=lookup
    )
    ballots = contents(method, ids)
    receipts = []
    for i, ballot in enumerate(ballots):
        voter = actions.Voter(consultation.pk, browser_hash=f"{i:064x}")
        receipts.append(actions.cast_ballot(consultation, voter, ballot).receipt)
    publish(facilitator, close_consultation(facilitator, consultation))

    by_receipt = {receipt: i for i, receipt in enumerate(receipts)}
    by_content = {canonical_json(ballot): i for i, ballot in enumerate(ballots)}
    by_cells = {cells(method, ballot, ids): i for i, ballot in enumerate(ballots)}
    assert len(by_receipt) == len(by_content) == len(by_cells) == N
    orders = {}

    def read_file(name, document):
        if lookup == "content":
            orders[name] = [by_receipt[row["receipt"]] for row in document["ballots"]]
        else:
            orders[f"{name} contents"] = [by_content[canonical_json(c)] for c in document["contents"]]
            orders[f"{name} receipts"] = [by_receipt[r] for r in document["receipts"]]

    def read_table(name, rows, receipt_rows=None):
        if lookup == "content":
            orders[name] = [by_receipt[row[0]] for row in rows]
        else:
            orders[f"{name} contents"] = [by_cells[tuple(row)] for row in rows]
            orders[f"{name} receipts"] = [by_receipt[row[0]] for row in receipt_rows]

    base = f"/api/consultations/{consultation.pk}"
    read_file("ballot file", client.get(f"{base}/ballots").json())
    with zipfile.ZipFile(io.BytesIO(client.get(f"{base}/open-data").content)) as bundle:
        read_file("open data", json.loads(bundle.read("ballots.json")))

    with zipfile.ZipFile(io.BytesIO(client.get(f"{base}/export", {"format": "csv"}).content)) as archive:
        tables = {n: list(csv.reader(io.StringIO(archive.read(n).decode("utf-8-sig")))) for n in archive.namelist()}
    read_table("CSV", tables["ballots.csv"][1:], tables.get("receipts.csv", [None])[1:])

    book = load_workbook(io.BytesIO(client.get(f"{base}/export", {"format": "xlsx"}).content))
    sheet = [[text(v) for v in row] for row in book["Stimmzettel"].iter_rows(values_only=True)][1:]
    receipt_sheet = (
        [[text(v) for v in row] for row in book["Quittungen"].iter_rows(values_only=True)][1:]
        if "Quittungen" in book.sheetnames
        else None
    )
    read_table("XLSX", sheet, receipt_sheet)

    # The JSON export is the result alone: counts, no list of ballots, so no order to leak.
    result = client.get(f"{base}/export", {"format": "json"}).content
    assert not any(receipt.encode() in result for receipt in receipts)
    assert json.loads(result)["turnout"]["ballots"] == N

    assert len(orders) == (4 if lookup == "content" else 8)
    correlations = {name: spearman(order) for name, order in orders.items()}
    assert all(abs(rho) < BOUND for rho in correlations.values()), correlations


def test_an_opinion_maps_numbered_participants_do_not_follow_the_order_of_answering(client):
    """The published answers file numbers participants; the numbers (and so the order of
    the file, the CSV matrix and the dots) must not follow who answered first."""
    from voting import opinion_actions
    from voting.models import Statement

    consultation, facilitator, _ids = make_consultation(
        method="opinion", eligibility="open", n_options=0, statements=[f"Aussage {n}" for n in range(6)]
    )
    statements = list(Statement.objects.filter(consultation=consultation).order_by("pk"))
    # N distinct patterns of answers (3^6 = 729 to choose from), answered in a shuffled order.
    patterns = random.Random(11).sample(range(3**6), N)
    answers = [[(pattern // 3**k) % 3 - 1 for k in range(6)] for pattern in patterns]
    for i, pattern in enumerate(answers):
        voter = actions.Voter(consultation.pk, browser_hash=f"{i:064x}")
        for statement, value in zip(statements, pattern, strict=True):
            opinion_actions.answer_statement(consultation, voter, statement.pk, value)
    publish(facilitator, close_consultation(facilitator, consultation))

    ids = list(Statement.objects.filter(consultation=consultation).order_by("pk").values_list("pk", flat=True))
    by_pattern = {tuple(pattern): i for i, pattern in enumerate(answers)}
    document = client.get(f"/api/consultations/{consultation.pk}/ballots").json()
    rows = {}
    for person, statement, value in document["answers"]:
        rows.setdefault(person, {})[statement] = value
    order = [by_pattern[tuple(rows[person][pk] for pk in ids)] for person in sorted(rows)]
    rho = spearman(order)
    assert abs(rho) < BOUND, rho
