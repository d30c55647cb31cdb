"""Every text a person can enter, entered as markup or a spreadsheet formula, comes out as
text: on every page (also inside the JSON embedded for scripts), in every export, and
for the scripts that put it on the board.

Entered the way people enter it: a display name and cards, comments, cluster titles and
poll questions and options through the workshop; feedback by a citizen; a proposal in a
pairwise consultation (approved, so it becomes a measure); the city's answer to feedback;
a measure's status change with its reasons; a measure, a consultation and a workshop by
the facilitator through the API; a card promoted to a measure.

Pages (the existing per-app escaping tests check single pages; this one sweeps all of
them with every kind of text at once) may show the text only escaped. CSV and XLSX cells
that start with = + - @ tab or CR get a leading apostrophe. The PDF is produced (reportlab
would choke on unescaped markup) and the JSON exports keep the text as data. The scripts
never put text into the page as HTML.
"""

import csv
import io
import json
import re
import zipfile
from pathlib import Path

from openpyxl import load_workbook
from pypdf import PdfReader

from participation import notifications
from participation.actions import answer_feedback, change_status, post_feedback
from results.actions import publish
from tests import factories
from tests.voting.helpers import token_header
from voting import actions as voting
from voting.models import Proposal
from workshops.actions import apply_command
from workshops.exports import FORMULA_START
from workshops.models import Card, Participant

MARKUP = "<script>alert(1)</script>\"'><img src=x onerror=alert(1)>"
RAW = ("<script>alert(1)", "<img src=x onerror")
FORMULAS = ['=HYPERLINK("http://evil.example","klick")', "+1+1", "-2+3", "@SUM(1)", "\t=1+1", "\r=1+1"]
JS = Path(__file__).resolve().parents[2] / "frontend" / "static" / "js"


def hostile(n):
    """Markup for even n, one of the formulas for odd n, so each kind of field gets both."""
    return f"{MARKUP} {n}" if n % 2 == 0 else FORMULAS[n // 2 % len(FORMULAS)]


def build(client):
    process = factories.make_process(slug="stadt")
    facilitator = factories.make_facilitator(process)
    citizen = factories.make_user()
    auth = token_header(facilitator)
    texts = iter(range(1000))

    def post(url, body):
        response = client.post(url, body, content_type="application/json", **auth)
        assert response.status_code == 201, (url, response.content)
        return response.json()

    measures = [
        post("/api/measures/", {"process": process.pk, "title": hostile(next(texts)), "summary": hostile(next(texts))})
        for _ in range(2)
    ]
    measures += [
        post("/api/measures/", {"process": process.pk, "title": f"Maßnahme {c}", "summary": "x"}) for c in "AB"
    ]
    ids = [m["id"] for m in measures]
    workshop = post(
        "/api/workshops/", {"process": process.pk, "title": hostile(next(texts)), "agenda": hostile(next(texts))}
    )
    code = workshop["code"]

    joined = client.post(f"/api/workshops/{code}/join", {"display_name": MARKUP[:60]}, content_type="application/json")
    expert = Participant.objects.get(pk=joined.json()["participant"])
    moderator = Participant.objects.get(
        pk=client.post(
            f"/api/workshops/{code}/join", {"display_name": "M"}, content_type="application/json", **auth
        ).json()["participant"]
    )
    n = iter(range(1000))

    def run(participant, command):
        apply_command(participant.pk, {"id": f"x{next(n)}", **command})

    for _ in range(4):
        run(expert, {"type": "card.add", "text": hostile(next(texts))})
    card = Card.objects.filter(author=expert).first()
    run(expert, {"type": "comment.add", "card": card.pk, "text": hostile(next(texts))})
    run(expert, {"type": "comment.add", "card": card.pk, "text": hostile(next(texts))})
    run(moderator, {"type": "cluster.add", "title": hostile(next(texts))})
    run(moderator, {"type": "card.promote", "card": card.pk})
    question = {"type": "poll.create", "question": hostile(next(texts)), "kind": "single"}
    run(moderator, {**question, "options": [hostile(next(texts)), hostile(next(texts))]})
    poll = card.workshop.polls.get()
    run(moderator, {"type": "poll.open", "poll": poll.pk})
    run(expert, {"type": "poll.vote", "poll": poll.pk, "choice": poll.options.first().pk})
    run(moderator, {"type": "poll.close", "poll": poll.pk})
    run(moderator, {"type": "poll.reveal", "poll": poll.pk})

    post_feedback(citizen, process, hostile(next(texts)))
    lab = factories.make_lab(process, title=hostile(next(texts)), summary=hostile(next(texts)))
    post_feedback(citizen, lab, hostile(next(texts)), "49.14270", "9.21090")
    from participation.models import Measure

    # The citizen follows the measure and the process: the city's hostile texts reach them by mail too.
    notifications.follow(citizen, Measure.objects.get(pk=ids[2]))
    notifications.follow(citizen, Measure.objects.get(pk=ids[0]))
    notifications.follow(citizen, process)
    on_measure = post_feedback(citizen, Measure.objects.get(pk=ids[2]), hostile(next(texts)))
    answer_feedback(facilitator, on_measure, hostile(next(texts)), "adopted")
    change_status(facilitator, Measure.objects.get(pk=ids[2]), "rejected", hostile(next(texts)), hostile(next(texts)))

    data = {"title": hostile(next(texts)), "method": "pairwise", "eligibility": "open", "options": ids}
    data["description"] = hostile(next(texts))
    pairwise = voting.open_consultation(facilitator, voting.create_consultation(facilitator, process, data))
    voter = voting.Voter(pairwise.pk, browser_hash="b")
    voting.propose_measure(pairwise, voter, hostile(next(texts)), hostile(next(texts)))
    voting.propose_measure(pairwise, voter, hostile(next(texts)), "x")
    for proposal in Proposal.objects.filter(consultation=pairwise)[:1]:
        voting.decide_proposal(facilitator, proposal, approve=True)

    data = {"title": hostile(next(texts)), "method": "ranking", "eligibility": "account", "options": ids}
    ranking = voting.open_consultation(facilitator, voting.create_consultation(facilitator, process, data))
    voting.cast_ballot(ranking, voting.Voter(ranking.pk, user_id=citizen.pk), {"ranking": [[ids[0]], [ids[1]]]})
    ranking = voting.close_consultation(facilitator, ranking)
    publish(facilitator, ranking)
    return process, facilitator, citizen, code, pairwise, ranking


def assert_escaped(url, html):
    for raw in RAW:
        assert raw not in html, (url, html[max(0, html.find(raw) - 200) : html.find(raw) + 100])


def test_pages_show_every_hostile_text_escaped(client, db):
    process, facilitator, citizen, code, pairwise, ranking = build(client)
    public = [
        "/",
        f"/prozesse/{process.slug}/",
        "/massnahmen/",
        f"/befragungen/{pairwise.pk}/",
        f"/befragungen/{ranking.pk}/",
        "/befragungen/",
        "/ergebnisse/",
        f"/ergebnisse/{ranking.pk}/",
        f"/ergebnisse/prozesse/{process.slug}/",
        f"/w/{code}/",
        f"/w/{code}/board/",
        f"/w/{code}/projector/",
        f"/rueckmeldungen/process/{process.pk}/",
        f"/prozesse/{process.slug}/neuigkeiten.atom",
        "/karte/",
    ]
    public += [lab.get_absolute_url() for lab in process.labs.all()]
    public += [m.get_absolute_url() for m in process.measures.filter(published=True)]
    managing = [
        f"/befragungen/{pairwise.pk}/verwaltung/",
        f"/ergebnisse/prozesse/{process.slug}/moderation/",
        "/rueckmeldungen/moderation/",
        f"/w/{code}/console/",
    ]
    admin_pages = ["/admin/participation/feedback/", "/admin/participation/measure/"]
    admin = factories.make_user(role="facilitator", is_staff=True, is_superuser=True)
    shown = 0
    for user, urls in (
        (None, public),
        (facilitator, public + managing),
        (citizen, ["/konto/", "/konto/benachrichtigungen/"]),
        (admin, admin_pages),
    ):
        client.logout()
        if user:
            client.force_login(user)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            html = response.content.decode()
            assert_escaped(url, html)
            shown += html.count("&lt;script&gt;alert(1)") + html.count("\\u003Cscript\\u003Ealert(1)")
            for data in re.findall(r'<script[^>]*type="application/json"[^>]*>(.*?)</script>', html, re.S):
                json.loads(data)  # the embedded JSON is intact, its "<" written as \u003C
    assert shown >= 20  # the texts are there, as text


def test_mail_to_followers_keeps_hostile_text_as_text(client, db, mailoutbox):
    process, facilitator, citizen, *_rest = build(client)
    assert notifications.deliver(citizen.pk) >= 2
    (mail,) = mailoutbox
    message = mail.message()
    assert "\n" not in message["Subject"] and "\r" not in message["Subject"]
    assert message.get_content_type() == "text/plain"
    body = mail.body
    assert f"{MARKUP} " in body  # plain text: the text as written, nothing to interpret


def cells_of(response):
    content = response.content
    if content[:2] != b"PK":
        return [value for row in csv.reader(io.StringIO(content.decode("utf-8-sig"))) for value in row]
    archive = zipfile.ZipFile(io.BytesIO(content))
    if any(name.endswith(".csv") for name in archive.namelist()):
        return [
            value
            for name in archive.namelist()
            if name.endswith(".csv")
            for row in csv.reader(io.StringIO(archive.read(name).decode("utf-8-sig")))
            for value in row
        ]
    book = load_workbook(io.BytesIO(content))
    return [cell for sheet in book for row in sheet.iter_rows(values_only=True) for cell in row]


def test_spreadsheet_exports_neutralise_every_formula(client, db):
    process, facilitator, _citizen, code, _pairwise, ranking = build(client)
    client.force_login(facilitator)
    urls = [
        f"/api/workshops/{code}/export?format=csv",
        f"/api/workshops/{code}/export?format=xlsx",
        f"/api/consultations/{ranking.pk}/export?format=csv",
        f"/api/consultations/{ranking.pk}/export?format=xlsx",
    ]
    neutralised = 0
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        cells = [c for c in cells_of(response) if isinstance(c, str)]
        live = [c for c in cells if c.startswith(FORMULA_START)]
        assert not live, (url, live[:5])
        neutralised += sum(1 for c in cells if c.startswith("'") and c[1:].startswith(FORMULA_START))
    assert neutralised >= 8


def test_pdf_and_json_exports_keep_the_text_as_text(client, db):
    process, facilitator, citizen, code, _pairwise, ranking = build(client)
    client.force_login(facilitator)
    pdf = client.get(f"/api/consultations/{ranking.pk}/export?format=pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "<script>alert(1)</script>" in text  # printed as the characters typed

    for url in (f"/api/workshops/{code}/export?format=json", f"/api/consultations/{ranking.pk}/export?format=json"):
        response = client.get(url)
        assert response["Content-Type"].startswith("application/json")
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Disposition"].startswith("attachment")
        assert json.dumps(MARKUP)[1:-1] in json.dumps(response.json(), ensure_ascii=False)

    client.force_login(citizen)
    own = client.get("/konto/daten/")
    assert own["Content-Disposition"].startswith("attachment")
    assert own["Content-Type"].startswith("application/json")


def test_the_scripts_never_insert_text_as_html():
    """Board, console, projector and ballots build the page with textContent and DOM nodes."""
    sinks = re.compile(r"\.(innerHTML|outerHTML)\s*[+]?=|insertAdjacentHTML|document\.write|\beval\(|new Function\(")
    files = sorted(JS.glob("*.js"))
    assert len(files) >= 10
    found = [f"{path.name}: {m.group(0)}" for path in files for m in sinks.finditer(path.read_text())]
    assert not found, found
