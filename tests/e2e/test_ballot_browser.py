"""The consultation ballots in headless Chromium against a real Daphne server.

Each method's ballot is cast once by mouse and once by keyboard alone (Tab, Space,
Enter, arrow keys). Afterwards the browser context asks the API for its stored
ballot (GET …/ballot with the same cookies or access code) and the test compares it
with what was entered and with the receipt the page showed. Pairwise answers have no
ballot; they are read back from the server's database through manage.py.

Uses the Daphne and Chromium fixtures of tests/e2e/conftest.py (its own database).
"""

import json
import re

import pytest
from playwright.sync_api import expect

from tests.workshops.live_site import http, manage

pytestmark = pytest.mark.browser

MEASURES = ["Digitales Bürgeramt", "Offenes WLAN", "Smarte Parkplätze", "Sensoren für Luftqualität"]

# Run once in the server's database: measures, one consultation per case, opened.
SETUP = """
import json
from decimal import Decimal
from participation.models import Measure, Process, User
from voting import actions
process = Process.objects.get(slug="live-test")
user = User.objects.get(username="moderation")
titles = %(titles)r
ids = []
for n, title in enumerate(titles, start=1):
    measure = Measure.objects.create(
        process=process, title=title, slug=f"m-{n}", summary=f"Worum es bei {title} geht.",
        estimated_cost=Decimal(1000 * n),
    )
    ids.append(measure.pk)
cases = {
    "approval": ("approval", "open", {"max_approvals": 2}),
    "approval_account": ("approval", "account", {}),
    "score": ("score", "access_code", {"labels": "words"}),
    "ranking": ("ranking", "open", {}),
    "points": ("points", "open", {"budget_points": 10}),
    "budget": ("points", "open", {"use_costs": True, "budget": 5000}),
    "pairwise_mouse": ("pairwise", "open", {"allow_proposals": True}),
    "pairwise_keys": ("pairwise", "open", {"allow_proposals": True}),
}
out = {"measures": dict(zip(titles, ids)), "consultations": {}, "codes": []}
for name, (method, eligibility, settings) in cases.items():
    c = actions.create_consultation(user, process, {
        "title": f"Befragung {name}", "method": method, "eligibility": eligibility,
        "options": ids, "settings": settings, "description": "Was ist Ihnen wichtig?",
    })
    actions.open_consultation(user, c)
    out["consultations"][name] = c.pk
    if eligibility == "access_code":
        out["codes"], _ = actions.generate_access_codes(user, c, 2)
print(json.dumps(out))
"""

PAIRS = """
import json
from voting.models import PairwiseVote
votes = PairwiseVote.objects.filter(consultation_id=%(pk)d).order_by("created")
print(json.dumps([[v.left_id, v.right_id, v.choice] for v in votes]))
"""


def shell(live, code):
    return json.loads(manage(live.site.env, "shell", "-c", code).strip().splitlines()[-1])


@pytest.fixture(scope="module")
def ballots(live):
    data = shell(live, SETUP % {"titles": MEASURES})
    data["base"] = live.base
    return data


def ids(ballots, *titles):
    return [ballots["measures"][title] for title in titles]


def open_page(context, ballots, name, query=""):
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{ballots['base']}/befragungen/{ballots['consultations'][name]}/{query}")
    page.script_errors = errors
    return page


def stored(context, ballots, name, code=None):
    """What the server holds for this browser (its cookies) or this access code."""
    headers = {"X-Access-Code": code} if code else {}
    response = context.request.get(
        f"{ballots['base']}/api/consultations/{ballots['consultations'][name]}/ballot", headers=headers
    )
    return response.status, (response.json() if response.status == 200 else None)


def confirmed_receipt(page):
    """The confirmation is shown, has the focus, and carries a receipt code."""
    heading = page.locator("#confirmation-title")
    expect(heading).to_be_visible()
    expect(heading).to_be_focused()
    expect(page.locator("#ballot-form")).to_be_hidden()
    receipt = page.locator("#receipt-code").inner_text()
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}", receipt), receipt
    return receipt


def tab_to(page, locator, backwards=False, limit=80):
    """Press Tab (or Shift+Tab) until ``locator`` has the focus: reachable by keyboard alone."""
    key = "Shift+Tab" if backwards else "Tab"
    for _ in range(limit):
        page.keyboard.press(key)
        if locator.evaluate("el => el === document.activeElement"):
            return
    raise AssertionError(f"{locator} not reached with {key} in {limit} steps")


def no_script_errors(page):
    assert page.script_errors == []


# --- approval ---------------------------------------------------------------------


def test_approval_by_mouse_with_limit_and_change(ballots, new_context):
    context = new_context()
    page = open_page(context, ballots, "approval")
    expect(page.locator(".consultation-poll-label")).to_contain_text("Unverbindliches Stimmungsbild")
    counter = page.locator("#approval-count")
    expect(counter).to_have_text("0 von höchstens 2 gewählt")

    page.get_by_label("Offenes WLAN").check()
    page.get_by_label("Smarte Parkplätze").check()
    page.get_by_label("Digitales Bürgeramt").click()
    # A third tick is refused on the spot, with the reason.
    expect(page.get_by_label("Digitales Bürgeramt")).not_to_be_checked()
    expect(counter).to_contain_text("höchstens 2 Maßnahmen")
    page.get_by_role("button", name="Stimme abgeben").click()
    receipt = confirmed_receipt(page)

    status, body = stored(context, ballots, "approval")
    assert status == 200
    assert body == {
        "receipt": receipt,
        "ballot": {"approve": sorted(ids(ballots, "Offenes WLAN", "Smarte Parkplätze"))},
    }

    # Change the ballot: the stored one is loaded into the form first.
    page.get_by_role("button", name="Stimme ändern").click()
    expect(page.get_by_label("Offenes WLAN")).to_be_checked()
    expect(page.get_by_label("Smarte Parkplätze")).to_be_checked()
    page.get_by_label("Smarte Parkplätze").uncheck()
    page.get_by_label("Digitales Bürgeramt").check()
    page.get_by_role("button", name="Stimme abgeben").click()
    # A changed ballot gets a new receipt: the old one no longer shows what counts.
    new_receipt = confirmed_receipt(page)
    assert new_receipt != receipt
    expect(page.locator("#confirmation-status")).to_have_text("Ihre geänderte Stimme ist gespeichert.")
    _, body = stored(context, ballots, "approval")
    assert body == {
        "receipt": new_receipt,
        "ballot": {"approve": sorted(ids(ballots, "Digitales Bürgeramt", "Offenes WLAN"))},
    }
    no_script_errors(page)


def test_approval_by_keyboard(ballots, new_context):
    context = new_context()
    page = open_page(context, ballots, "approval")
    tab_to(page, page.get_by_label("Smarte Parkplätze"))
    page.keyboard.press("Space")
    tab_to(page, page.get_by_label("Sensoren für Luftqualität"))
    page.keyboard.press("Space")
    tab_to(page, page.get_by_role("button", name="Stimme abgeben"))
    page.keyboard.press("Enter")
    receipt = confirmed_receipt(page)
    status, body = stored(context, ballots, "approval")
    assert status == 200
    assert body == {
        "receipt": receipt,
        "ballot": {"approve": sorted(ids(ballots, "Smarte Parkplätze", "Sensoren für Luftqualität"))},
    }
    no_script_errors(page)


def test_account_consultation_asks_anonymous_visitors_to_sign_in(ballots, new_context):
    context = new_context()
    page = open_page(context, ballots, "approval_account")
    page.get_by_label("Offenes WLAN").check()
    page.get_by_role("button", name="Stimme abgeben").click()
    alert = page.locator("#ballot-error")
    expect(alert).to_have_attribute("role", "alert")
    expect(alert).to_contain_text("melden Sie sich bitte")
    expect(alert.get_by_role("link", name="Jetzt anmelden")).to_have_attribute("href", re.compile(r"^/konto/"))
    assert stored(context, ballots, "approval_account")[0] in (401, 403)


# --- score, with access codes -----------------------------------------------------


def test_score_by_mouse_with_the_code_from_the_letters_qr_link(ballots, new_context):
    code = ballots["codes"][0]
    context = new_context()
    page = open_page(context, ballots, "score", query=f"?code={code}")
    # The code is in the field and no longer in the address bar (nor in the language links).
    expect(page.get_by_label("Zugangscode aus Ihrem Brief")).to_have_value(code)
    page.wait_for_function("() => !location.search.includes('code')")
    assert "code" not in page.url
    assert code not in page.content().replace(f'value="{code}"', "")

    page.get_by_role("group", name="Digitales Bürgeramt").get_by_label("sehr wichtig").check()
    page.get_by_role("group", name="Smarte Parkplätze").get_by_label("nicht wichtig", exact=True).check()
    page.get_by_role("button", name="Stimme abgeben").click()
    receipt = confirmed_receipt(page)
    status, body = stored(context, ballots, "score", code=code)
    assert status == 200
    bürgeramt, parkplätze = ids(ballots, "Digitales Bürgeramt", "Smarte Parkplätze")
    assert body == {"receipt": receipt, "ballot": {"scores": {str(bürgeramt): 5, str(parkplätze): 0}}}
    no_script_errors(page)


def test_score_by_keyboard_with_a_typed_code_after_a_wrong_one(ballots, new_context):
    code = ballots["codes"][1]
    context = new_context()
    page = open_page(context, ballots, "score")
    field = page.get_by_label("Zugangscode aus Ihrem Brief")
    tab_to(page, field)
    page.keyboard.type("AAAA-AAAA-AAAA-AAAA")
    # In a radio group, Tab reaches the checked radio ("keine Angabe"); arrows choose.
    tab_to(page, page.get_by_role("group", name="Offenes WLAN").get_by_label("keine Angabe"))
    for _ in range(5):
        page.keyboard.press("ArrowRight")
    expect(page.get_by_role("group", name="Offenes WLAN").get_by_label("ziemlich wichtig")).to_be_checked()
    tab_to(page, page.get_by_role("group", name="Sensoren für Luftqualität").get_by_label("keine Angabe"))
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    tab_to(page, page.get_by_role("button", name="Stimme abgeben"))
    page.keyboard.press("Enter")
    # A wrong code: the message sits by the form and on the field.
    expect(page.locator("#ballot-error")).to_contain_text("Zugangscode ist nicht gültig")
    expect(field).to_have_attribute("aria-invalid", "true")

    tab_to(page, field, backwards=True)
    page.keyboard.press("Control+A")
    page.keyboard.type(code.lower().replace("-", " "))
    page.keyboard.press("Enter")
    receipt = confirmed_receipt(page)
    status, body = stored(context, ballots, "score", code=code)
    assert status == 200
    wlan, sensoren = ids(ballots, "Offenes WLAN", "Sensoren für Luftqualität")
    assert body == {"receipt": receipt, "ballot": {"scores": {str(wlan): 4, str(sensoren): 1}}}
    no_script_errors(page)


# --- ranking ----------------------------------------------------------------------


def test_ranking_by_mouse_with_a_tie_and_one_left_out(ballots, new_context):
    context = new_context()
    page = open_page(context, ballots, "ranking")
    expect(page.locator(".ranking-fallback")).to_be_hidden()
    for title in ("Smarte Parkplätze", "Digitales Bürgeramt", "Offenes WLAN", "Sensoren für Luftqualität"):
        page.get_by_role("button", name=f"„{title}“ einordnen").click()
    page.get_by_role("button", name="„Digitales Bürgeramt“ nach oben").click()
    page.get_by_label("„Offenes WLAN“ gleichauf mit vorheriger").check()
    page.get_by_role("button", name="„Sensoren für Luftqualität“ nicht einordnen").click()
    places = page.locator(".ranking-list .ranking-item")
    expect(places).to_have_count(3)
    expect(places.locator(".ranking-place")).to_have_text(["Platz 1", "Platz 2", "Platz 2"])
    expect(places.locator(".ranking-title")).to_have_text(["Digitales Bürgeramt", "Smarte Parkplätze", "Offenes WLAN"])
    page.get_by_role("button", name="Stimme abgeben").click()
    receipt = confirmed_receipt(page)
    status, body = stored(context, ballots, "ranking")
    assert status == 200
    bürgeramt, wlan, parkplätze = ids(ballots, "Digitales Bürgeramt", "Offenes WLAN", "Smarte Parkplätze")
    assert body == {"receipt": receipt, "ballot": {"ranking": [[bürgeramt], sorted([wlan, parkplätze])]}}
    no_script_errors(page)


def test_ranking_by_keyboard(ballots, new_context):
    context = new_context()
    page = open_page(context, ballots, "ranking")
    # Adding moves the focus to the next measure in the pool: Enter, Enter, Enter.
    tab_to(page, page.get_by_role("button", name="„Offenes WLAN“ einordnen"))
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")  # now on "Digitales Bürgeramt"
    page.keyboard.press("Enter")  # now on "Smarte Parkplätze"
    expect(page.get_by_role("button", name="„Sensoren für Luftqualität“ einordnen")).to_be_focused()
    tab_to(page, page.get_by_role("button", name="„Smarte Parkplätze“ nach oben"), backwards=True)
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")
    # At the top "nach oben" is off; the focus stays on the same measure.
    expect(page.get_by_role("button", name="„Smarte Parkplätze“ nach unten")).to_be_focused()
    expect(page.locator("#ranking-live")).to_have_text("„Smarte Parkplätze“: Platz 1 von 3")
    tab_to(page, page.get_by_label("„Digitales Bürgeramt“ gleichauf mit vorheriger"))
    page.keyboard.press("Space")
    expect(page.get_by_label("„Digitales Bürgeramt“ gleichauf mit vorheriger")).to_be_focused()
    tab_to(page, page.get_by_role("button", name="Stimme abgeben"))
    page.keyboard.press("Enter")
    receipt = confirmed_receipt(page)
    status, body = stored(context, ballots, "ranking")
    assert status == 200
    parkplätze, wlan, bürgeramt = ids(ballots, "Smarte Parkplätze", "Offenes WLAN", "Digitales Bürgeramt")
    assert body == {"receipt": receipt, "ballot": {"ranking": [[parkplätze], sorted([wlan, bürgeramt])]}}
    no_script_errors(page)


# --- points and participatory budgeting ------------------------------------------


def test_points_by_mouse_refuses_more_than_the_budget(ballots, new_context):
    context = new_context()
    page = open_page(context, ballots, "points")
    counter = page.locator("#points-left")
    expect(counter).to_have_text("Noch 10 von 10 Punkten übrig")
    page.get_by_label("Punkte für „Offenes WLAN“").fill("5")
    page.get_by_label("Punkte für „Smarte Parkplätze“").fill("8")
    expect(counter).to_have_text("3 Punkte zu viel verteilt – höchstens 10")
    page.get_by_role("button", name="Stimme abgeben").click()
    expect(page.locator("#ballot-error")).to_contain_text("zu viel")
    assert stored(context, ballots, "points")[0] == 404

    page.get_by_label("Punkte für „Smarte Parkplätze“").fill("4")
    expect(counter).to_have_text("Noch 1 von 10 Punkten übrig")
    page.get_by_role("button", name="Stimme abgeben").click()
    receipt = confirmed_receipt(page)
    wlan, parkplätze = ids(ballots, "Offenes WLAN", "Smarte Parkplätze")
    assert stored(context, ballots, "points") == (
        200,
        {"receipt": receipt, "ballot": {"points": {str(wlan): 5, str(parkplätze): 4}}},
    )
    no_script_errors(page)


def test_points_by_keyboard(ballots, new_context):
    context = new_context()
    page = open_page(context, ballots, "points")
    tab_to(page, page.get_by_label("Punkte für „Digitales Bürgeramt“"))
    page.keyboard.type("7")
    tab_to(page, page.get_by_label("Punkte für „Sensoren für Luftqualität“"))
    page.keyboard.type("3")
    expect(page.locator("#points-left")).to_have_text("Noch 0 von 10 Punkten übrig")
    page.keyboard.press("Enter")
    receipt = confirmed_receipt(page)
    bürgeramt, sensoren = ids(ballots, "Digitales Bürgeramt", "Sensoren für Luftqualität")
    assert stored(context, ballots, "points") == (
        200,
        {"receipt": receipt, "ballot": {"points": {str(bürgeramt): 7, str(sensoren): 3}}},
    )
    no_script_errors(page)


def test_participatory_budget_by_mouse_keeps_to_the_budget(ballots, new_context):
    context = new_context()
    page = open_page(context, ballots, "budget")
    total = page.locator("#budget-total")
    page.get_by_label(re.compile("^Digitales Bürgeramt")).check()  # 1.000 €
    page.get_by_label(re.compile("^Smarte Parkplätze")).check()  # 3.000 €
    expect(total).to_have_text("Gewählt: 4.000 € von 5.000 € (noch 1.000 € frei)")
    page.get_by_label(re.compile("^Sensoren für Luftqualität")).click()  # 4.000 €: does not fit
    expect(page.get_by_label(re.compile("^Sensoren für Luftqualität"))).not_to_be_checked()
    expect(total).to_contain_text("passt nicht mehr ins Budget")
    page.get_by_role("button", name="Stimme abgeben").click()
    receipt = confirmed_receipt(page)
    bürgeramt, parkplätze = ids(ballots, "Digitales Bürgeramt", "Smarte Parkplätze")
    assert stored(context, ballots, "budget") == (
        200,
        {"receipt": receipt, "ballot": {"points": {str(bürgeramt): 1, str(parkplätze): 1}}},
    )
    no_script_errors(page)


def test_participatory_budget_by_keyboard(ballots, new_context):
    context = new_context()
    page = open_page(context, ballots, "budget")
    tab_to(page, page.get_by_label(re.compile("^Offenes WLAN")))  # 2.000 €
    page.keyboard.press("Space")
    tab_to(page, page.get_by_label(re.compile("^Smarte Parkplätze")))  # 3.000 €
    page.keyboard.press("Space")
    expect(page.locator("#budget-total")).to_have_text("Gewählt: 5.000 € von 5.000 € (noch 0 € frei)")
    tab_to(page, page.get_by_role("button", name="Stimme abgeben"))
    page.keyboard.press("Enter")
    receipt = confirmed_receipt(page)
    wlan, parkplätze = ids(ballots, "Offenes WLAN", "Smarte Parkplätze")
    assert stored(context, ballots, "budget") == (
        200,
        {"receipt": receipt, "ballot": {"points": {str(wlan): 1, str(parkplätze): 1}}},
    )
    no_script_errors(page)


# --- pairwise ---------------------------------------------------------------------


def shown_pair(page, ballots):
    left = page.locator("#pair-left-title").inner_text()
    right = page.locator("#pair-right-title").inner_text()
    return ballots["measures"][left], ballots["measures"][right]


def answered_pairs(live, ballots, name):
    return [tuple(v) for v in shell(live, PAIRS % {"pk": ballots["consultations"][name]})]


def test_pairwise_by_mouse_with_a_proposal(live, ballots, new_context):
    context = new_context()
    page = open_page(context, ballots, "pairwise_mouse")
    status = page.locator("#pair-status")
    expected = []
    pair = shown_pair(page, ballots)
    page.locator("#pair-left").click()
    expected.append((*pair, "left"))
    expect(status).to_contain_text("Sie haben 1 Paar verglichen.")
    pair = shown_pair(page, ballots)
    page.get_by_role("button", name="Kann mich nicht entscheiden").click()
    expected.append((*pair, "skip"))
    expect(status).to_contain_text("Sie haben 2 Paare verglichen.")
    pair = shown_pair(page, ballots)
    page.locator("#pair-right").click()
    expected.append((*pair, "right"))
    expect(status).to_contain_text("Sie haben 3 Paare verglichen.")
    assert answered_pairs(live, ballots, "pairwise_mouse") == expected

    expect(page.get_by_text("prüft jeden Vorschlag")).to_be_visible()
    page.get_by_label("Titel Ihres Vorschlags").fill("Digitale Sprechstunde")
    page.get_by_label("Beschreibung").fill("Video-Termine mit dem Bürgeramt.")
    page.get_by_role("button", name="Vorschlag einreichen").click()
    expect(page.locator("#proposal-status")).to_contain_text("Die Moderation prüft ihn")
    code, proposals = http(
        "GET",
        f"{ballots['base']}/api/consultations/{ballots['consultations']['pairwise_mouse']}/proposals",
        token=live.site.token,
    )
    assert code == 200
    assert [(p["title"], p["status"]) for p in proposals] == [("Digitale Sprechstunde", "pending")]
    no_script_errors(page)


def test_pairwise_by_keyboard(live, ballots, new_context):
    context = new_context()
    page = open_page(context, ballots, "pairwise_keys")
    expected = []
    left = page.locator("#pair-left")
    tab_to(page, left)
    for n in (1, 2):
        pair = shown_pair(page, ballots)
        page.keyboard.press("Enter")
        expected.append((*pair, "left"))
        expect(page.locator("#pair-status")).to_contain_text(f"Sie haben {n} Paar")
        # The focus stays on the big button, which now shows the next pair's measure.
        expect(left).to_be_focused()
    pair = shown_pair(page, ballots)
    tab_to(page, page.locator("#pair-right"))
    page.keyboard.press("Space")
    expected.append((*pair, "right"))
    expect(page.locator("#pair-status")).to_contain_text("Sie haben 3 Paare verglichen.")
    assert answered_pairs(live, ballots, "pairwise_keys") == expected
    no_script_errors(page)
