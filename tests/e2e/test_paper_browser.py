"""Paper ballots entered by election workers, in headless Chromium.

The facilitator names three election workers on the management page. Two workers type
the same returned paper ballot differently (one on a phone): it is disputed and does not
count. The third types it again as one of them did: now it counts, on paper, and the
code can no longer vote online. axe finds nothing on the entry page at 360 and 1280 px.
Two workers find another paper ballot spoiled and tick "Ungültig": it is spoiled, nothing
counts; a spoiled and a valid entry of a third ballot differ, and a third person settles it.
Screenshots go to test-artifacts/screenshots/.
"""

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.workshops.live_site import manage

from .conftest import FACILITATOR, FACILITATOR_PASSWORD
from .test_consultation_form_browser import axe_clean

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
WORKERS = ["helferin-a", "helferin-b", "helferin-c"]
PASSWORD = "papier-zaehlt-2026"
SETUP = """
import json
from participation.models import Measure, Process, User
from voting import actions
process = Process.objects.get(slug="live-test")
facilitator = User.objects.get(username=%(facilitator)r)
ids = [
    Measure.objects.create(process=process, title=title, slug=f"%(prefix)s-{n}", summary="Kurz.", published=True).pk
    for n, title in enumerate(["Stadtbücherei länger offen", "Mehr Trinkbrunnen", "Freies WLAN am Bahnhof"])
]
for name in %(workers)r:
    if not User.objects.filter(username=name).exists():
        User.objects.create_user(name, f"{name}@example.org", %(password)r, email_verified=True)
setup = {"title": %(title)r, "method": "approval", "eligibility": "access_code", "options": ids}
consultation = actions.create_consultation(facilitator, process, setup)
consultation = actions.open_consultation(facilitator, consultation)
codes, _batch = actions.generate_access_codes(facilitator, consultation, 3)
print(json.dumps({"pk": consultation.pk, "codes": codes}))
"""
BALLOT = """
import json
from voting.models import Ballot
print(json.dumps([[b.content, b.channel] for b in Ballot.objects.filter(consultation_id=%(pk)d)]))
"""
NAME_WORKERS = """
import json
from participation.models import User
from voting import paper_actions
from voting.models import Consultation
consultation = Consultation.objects.get(pk=%(pk)d)
facilitator = User.objects.get(username=%(facilitator)r)
for name in %(workers)r:
    paper_actions.add_election_worker(facilitator, consultation, User.objects.get(username=name))
print(json.dumps(True))
"""
STATES = """
import json
from voting.models import PaperBallot
print(json.dumps(dict(PaperBallot.objects.filter(consultation_id=%(pk)d).values_list("code_end", "state"))))
"""


def shell(live, code):
    return json.loads(manage(live.site.env, "shell", "-c", code).strip().splitlines()[-1])


def signed_in(browser, base, name, password, width):
    context = browser.new_context(locale="de-DE", viewport={"width": width, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto(f"{base}/konto/anmelden/")
    page.get_by_label("Benutzername").fill(name)
    page.get_by_label("Passwort").fill(password)
    page.get_by_role("button", name="Anmelden").click()
    expect(page.get_by_label("Benutzername")).to_have_count(0)
    return page


def snap(page, name, width):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"paper-{name}-{width}.png"), full_page=True)
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth"), name


def enter(page, base, pk, code, titles, resolve=False, spoiled=False):
    page.goto(f"{base}/befragungen/{pk}/papier/")
    page.get_by_label("Zugangscode auf dem Stimmzettel").fill(code)
    for title in titles:
        page.get_by_label(title, exact=True).check()
    if spoiled:
        page.get_by_label(re.compile("^Ungültig: Dieser Stimmzettel lässt sich nicht zählen")).check()
    if resolve:
        page.get_by_label(re.compile("^Dieser Stimmzettel ist als abweichend gemeldet")).check()
    page.get_by_role("button", name="Eingabe speichern").click()


def test_two_workers_disagree_a_third_settles_and_the_code_is_spent_online(browser, live):
    setup = {"facilitator": FACILITATOR, "workers": WORKERS, "password": PASSWORD}
    data = shell(live, SETUP % {**setup, "prefix": "papier", "title": "Papier und online"})
    pk, code = data["pk"], data["codes"][0]
    facilitator = signed_in(browser, live.base, FACILITATOR, FACILITATOR_PASSWORD, 1280)
    facilitator.goto(f"{live.base}/befragungen/{pk}/verwaltung/")
    for name in WORKERS:
        facilitator.get_by_label("Benutzername einer Wahlhelferin oder eines Wahlhelfers").fill(name)
        facilitator.get_by_role("button", name="Hinzufügen").click()
        expect(facilitator.get_by_text(f"{name} gibt jetzt Papierstimmzettel ein.")).to_be_visible()
    expect(facilitator.get_by_role("button", name="helferin-c entfernen")).to_be_visible()

    first = signed_in(browser, live.base, WORKERS[0], PASSWORD, 360)
    enter(first, live.base, pk, code, ["Mehr Trinkbrunnen"])
    expect(first.get_by_text("Der Stimmzettel zählt, sobald eine zweite Person ihn gleich eingibt.")).to_be_visible()
    snap(first, "entry", 360)
    axe_clean(first, "paper entry at 360")

    second = signed_in(browser, live.base, WORKERS[1], PASSWORD, 1280)
    enter(second, live.base, pk, code, ["Mehr Trinkbrunnen", "Freies WLAN am Bahnhof"])
    expect(second.get_by_text("die Eingaben weichen voneinander ab", exact=False)).to_be_visible()
    ending = code.replace("-", "")[-4:]
    expect(second.get_by_role("row", name=re.compile(f"…{ending}"))).to_contain_text("Eingaben weichen ab")
    axe_clean(second, "paper entry at 1280")
    assert shell(live, BALLOT % {"pk": pk}) == []

    third = signed_in(browser, live.base, WORKERS[2], PASSWORD, 1280)
    enter(third, live.base, pk, code, ["Mehr Trinkbrunnen"], resolve=True)
    expect(third.get_by_text("Eingegeben und gezählt: die Eingaben stimmen überein.")).to_be_visible()
    expect(third.get_by_text("Alle eingegebenen Papierstimmzettel sind fertig.")).to_be_visible()
    snap(third, "settled", 1280)
    (ballot,) = shell(live, BALLOT % {"pk": pk})
    assert ballot[1] == "paper" and len(ballot[0]["approve"]) == 1

    # The code is spent: online it is refused with the reason.
    voter = browser.new_context(locale="de-DE", viewport={"width": 360, "height": 900})
    page = voter.new_page()
    page.goto(f"{live.base}/befragungen/{pk}/?code={code}")
    page.get_by_label("Stadtbücherei länger offen", exact=True).check()
    page.get_by_role("button", name="Stimme abgeben").click()
    expect(page.get_by_text("Dieser Code wurde schon auf Papier abgegeben.")).to_be_visible()
    for context in (facilitator.context, first.context, second.context, third.context, voter):
        context.close()


def test_two_workers_find_a_ballot_spoiled_and_a_third_settles_spoiled_against_valid(browser, live):
    setup = {"facilitator": FACILITATOR, "workers": WORKERS, "password": PASSWORD}
    data = shell(live, SETUP % {**setup, "prefix": "ungueltig", "title": "Ungültige Papierstimmzettel"})
    pk, (spoiled, mixed, _unused) = data["pk"], data["codes"]
    # The same three election workers, named for this consultation too.
    shell(live, NAME_WORKERS % {"pk": pk, "facilitator": FACILITATOR, "workers": WORKERS})
    first = signed_in(browser, live.base, WORKERS[0], PASSWORD, 360)
    second = signed_in(browser, live.base, WORKERS[1], PASSWORD, 1280)
    third = signed_in(browser, live.base, WORKERS[2], PASSWORD, 1280)

    # Too many crosses: both tick "Ungültig" (the first also the crosses, which are not read).
    enter(first, live.base, pk, spoiled, ["Mehr Trinkbrunnen", "Freies WLAN am Bahnhof"], spoiled=True)
    expect(first.get_by_text("Der Stimmzettel zählt, sobald eine zweite Person ihn gleich eingibt.")).to_be_visible()
    enter(second, live.base, pk, spoiled, [], spoiled=True)
    expect(second.get_by_text("Eingegeben und als ungültig vermerkt", exact=False)).to_be_visible()
    snap(second, "spoiled", 1280)
    axe_clean(second, "paper entry after a spoiled ballot")

    # One finds it spoiled, the other reads a cross: disputed; the third settles it as spoiled.
    enter(first, live.base, pk, mixed, [], spoiled=True)
    enter(second, live.base, pk, mixed, ["Mehr Trinkbrunnen"])
    expect(second.get_by_text("die Eingaben weichen voneinander ab", exact=False)).to_be_visible()
    ending = mixed.replace("-", "")[-4:]
    expect(second.get_by_role("row", name=re.compile(f"…{ending}"))).to_contain_text("Eingaben weichen ab")
    enter(third, live.base, pk, mixed, [], resolve=True, spoiled=True)
    expect(third.get_by_text("Eingegeben und als ungültig vermerkt", exact=False)).to_be_visible()
    expect(third.get_by_text("Alle eingegebenen Papierstimmzettel sind fertig.")).to_be_visible()
    snap(third, "spoiled-settled", 1280)

    assert shell(live, BALLOT % {"pk": pk}) == []
    states = shell(live, STATES % {"pk": pk})
    assert states == {spoiled.replace("-", "")[-4:]: "spoiled", ending: "spoiled"}
    # The spoiled code is spent online too.
    voter = browser.new_context(locale="de-DE", viewport={"width": 360, "height": 900})
    page = voter.new_page()
    page.goto(f"{live.base}/befragungen/{pk}/?code={spoiled}")
    page.get_by_label("Stadtbücherei länger offen", exact=True).check()
    page.get_by_role("button", name="Stimme abgeben").click()
    expect(page.get_by_text("Dieser Code wurde schon auf Papier abgegeben.")).to_be_visible()
    for context in (first.context, second.context, third.context, voter):
        context.close()
