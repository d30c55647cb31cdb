"""The workshop pages in headless Chromium against a real Daphne server.

Two participants and a projector in separate browser contexts (separate devices):
cards travel between them, a dot vote moves the projector's bars, and a board that
was offline catches up with what it missed, each card exactly once. The console
test drives the facilitator's controls the same way.
"""

import re

import pytest
from playwright.sync_api import expect

from tests.workshops.live_site import manage

from .conftest import FACILITATOR, FACILITATOR_PASSWORD

pytestmark = pytest.mark.browser

DOTS_POLL = {
    "question": "Wofür soll das Geld reichen?",
    "kind": "dots",
    "options": ["Radwege", "Busse", "Carsharing"],
    "dots": 5,
    "max_per_option": 3,
}


def join(context, live, code, name, by_code=False):
    page = context.new_page()
    if by_code:
        # As read aloud and typed on a phone: lower case, with a space.
        page.goto(f"{live.base}/w/")
        page.get_by_label("Zugangscode").fill(f"{code[:3].lower()} {code[3:].lower()}")
        page.get_by_role("button", name="Weiter").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Zukunft der Mobilität")
    else:
        page.goto(f"{live.base}/w/{code}/")
    page.get_by_label("Ihr Name").fill(name)
    page.get_by_role("button", name="Beitreten").click()
    page.wait_for_url(re.compile(r"/board/$"), wait_until="commit")
    expect(page.locator("#workshop-app")).to_have_attribute("aria-busy", "false")
    return page


def add_card(page, text):
    page.get_by_label("Ihre Idee").fill(text)
    page.get_by_role("button", name="Karte hinzufügen").click()


def card(page, text):
    return page.locator(".ws-card", has_text=text)


def bar(scope, option):
    return scope.locator(".ws-bar").filter(has_text=option)


def test_cards_votes_and_catching_up_after_offline(live, new_context):
    code = live.workshop()
    live.open_poll(code, **DOTS_POLL)

    projector = new_context().new_page()
    projector.goto(f"{live.base}/w/{code}/projector/")
    expect(projector.locator(".ws-code-big")).to_have_text(code)
    expect(projector.locator("#ws-projector-question")).to_have_text(DOTS_POLL["question"])
    expect(bar(projector, "Busse").locator(".ws-bar__value")).to_have_text("0 Punkte")

    alice = join(new_context(), live, code, "Alice", by_code=True)
    bob_context = new_context()
    bob = join(bob_context, live, code, "Bob")
    expect(projector.locator("#ws-projector-online")).to_have_text("2 Personen online")

    # A card added by one participant appears for the other.
    add_card(alice, "Mehr Radwege in der Innenstadt")
    expect(card(bob, "Mehr Radwege in der Innenstadt")).to_have_count(1)
    expect(card(bob, "Mehr Radwege in der Innenstadt")).to_contain_text("von Alice")
    expect(card(alice, "Mehr Radwege in der Innenstadt")).to_contain_text("Ihre Karte")

    # Bob spreads dots by keyboard; the projector's bars follow.
    poll = bob.locator(".ws-poll", has_text=DOTS_POLL["question"])
    more_busse = poll.get_by_role("button", name="Einen Punkt mehr für Busse")
    more_busse.focus()
    bob.keyboard.press("Enter")
    bob.keyboard.press("Enter")
    poll.get_by_role("button", name="Einen Punkt mehr für Radwege").click()
    expect(poll.locator(".ws-dots__left")).to_have_text("Noch 2 von 5 Punkten übrig")
    poll.get_by_role("button", name="Stimme abgeben").click()
    expect(poll.get_by_role("status")).to_contain_text("Ihre Stimme ist gespeichert")
    expect(bar(projector, "Busse").locator(".ws-bar__value")).to_have_text("2 Punkte")
    expect(bar(projector, "Radwege").locator(".ws-bar__value")).to_have_text("1 Punkt")
    expect(bar(projector, "Busse").locator(".ws-bar__fill")).to_have_attribute("style", re.compile(r"width: 100"))
    expect(bar(projector, "Radwege").locator(".ws-bar__fill")).to_have_attribute("style", re.compile(r"width: 50"))
    expect(projector.locator(".ws-results__votes")).to_have_text("1 Stimme abgegeben")

    # Bob loses the network; meanwhile Alice adds cards and Bob writes one offline.
    bob_context.set_offline(True)
    expect(bob.locator("#ws-connection")).to_contain_text("Verbindung unterbrochen")
    add_card(alice, "Busse im Zehn-Minuten-Takt")
    add_card(alice, "Carsharing an jedem Bahnhof")
    expect(card(alice, "Carsharing an jedem Bahnhof")).to_have_count(1)
    add_card(bob, "Sichere Abstellplätze für Räder")
    expect(bob.locator("#ws-pending")).to_contain_text("1 Änderung wird gesendet")
    expect(card(bob, "Busse im Zehn-Minuten-Takt")).to_have_count(0)

    bob_context.set_offline(False)
    expect(bob.locator("#ws-connection")).to_contain_text("Wieder verbunden", timeout=15000)
    for text in ("Busse im Zehn-Minuten-Takt", "Carsharing an jedem Bahnhof", "Sichere Abstellplätze für Räder"):
        expect(card(bob, text)).to_have_count(1)
        expect(card(alice, text)).to_have_count(1)
    expect(bob.locator(".ws-card")).to_have_count(4)
    expect(alice.locator(".ws-card")).to_have_count(4)
    expect(bob.locator("#ws-pending")).to_have_text("")
    # Bob's vote survived the break; the projector still shows it.
    expect(bar(projector, "Busse").locator(".ws-bar__value")).to_have_text("2 Punkte")


def login(context, live):
    page = context.new_page()
    page.goto(f"{live.base}/konto/anmelden/")
    page.get_by_label("Benutzername").fill(FACILITATOR)
    page.get_by_label("Passwort").fill(FACILITATOR_PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    return page


def test_console_runs_phases_clusters_and_a_hidden_poll(live, new_context):
    code = live.workshop(title="Digitale Verwaltung")
    console = login(new_context(), live)
    console.goto(f"{live.base}/w/{code}/console/")
    expect(console.locator("#workshop-app")).to_have_attribute("aria-busy", "false")
    expect(console.locator(".ws-code-big")).to_have_text(code)
    expect(console.locator(".ws-qr")).to_have_attribute("src", f"/api/workshops/{code}/qr.svg")
    console.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=console.locator(".ws-qr").element_handle()
    )
    # The exports sit in a closed fold of the side column (the board is the workspace).
    console.locator("details[data-fold='export'] > summary").click()
    expect(console.get_by_role("link", name="Excel (XLSX)")).to_have_attribute(
        "href", f"/api/workshops/{code}/export?format=xlsx&lang=de"
    )

    carla = join(new_context(), live, code, "Carla")
    add_card(carla, "Anträge online stellen")

    # Cluster the card from the console; Carla sees it under the cluster.
    console.locator("#ws-cluster-title").fill("Online-Dienste")
    console.get_by_role("button", name="Cluster anlegen").click()
    console_card = card(console, "Anträge online stellen")
    console_card.get_by_label("Cluster", exact=True).select_option(label="Online-Dienste")
    cluster = carla.locator(".ws-cluster", has=carla.get_by_role("heading", name=re.compile("Online-Dienste")))
    expect(cluster.locator(".ws-card", has_text="Anträge online stellen")).to_have_count(1)

    # A single-choice poll with hidden results, from free-text lines.
    console.get_by_label("Frage", exact=True).fill("Was zuerst?")
    console.get_by_label("Art", exact=True).select_option("single")
    console.get_by_label("Eine Option je Zeile").fill("Bürgerkonto\nTermine online\n")
    console.get_by_label("Ergebnis erst nach Freigabe zeigen").check()
    console.get_by_role("button", name="Abstimmung anlegen").click()
    console_poll = console.locator(".ws-poll", has_text="Was zuerst?")
    console_poll.get_by_role("button", name=re.compile("Abstimmung öffnen")).click()

    # The vote phase: no new cards for Carla, but she can vote.
    console.locator(".ws-phase", has_text="Abstimmen").click()
    expect(console.locator(".ws-phase", has_text="Abstimmen")).to_have_attribute("aria-pressed", "true")
    expect(carla.locator("#ws-add-form")).to_be_hidden()
    expect(carla.locator("#ws-add-closed")).to_be_visible()
    carla_poll = carla.locator(".ws-poll", has_text="Was zuerst?")
    carla_poll.get_by_label("Termine online").check()
    carla_poll.get_by_role("button", name="Stimme abgeben").click()
    expect(carla_poll.get_by_role("status")).to_contain_text("Ihre Stimme ist gespeichert")

    # Hidden: Carla sees the count only, the console the numbers, until revealed.
    expect(carla_poll.locator(".ws-results__votes")).to_have_text("1 Stimme abgegeben")
    expect(carla_poll.locator(".ws-bar")).to_have_count(0)
    expect(bar(console_poll, "Termine online").locator(".ws-bar__value")).to_have_text("1 Stimme")
    console_poll.get_by_role("button", name=re.compile("Ergebnis zeigen")).click()
    expect(bar(carla_poll, "Termine online").locator(".ws-bar__value")).to_have_text("1 Stimme")
    expect(bar(carla_poll, "Bürgerkonto").locator(".ws-bar__value")).to_have_text("0 Stimmen")


def test_every_poll_kind_can_be_voted_by_keyboard(live, new_context):
    code = live.workshop(title="Zukunft der Mobilität")
    options = ["Radwege", "Busse", "Carsharing"]
    live.open_poll(code, question="Was brauchen Sie?", kind="multiple", options=options)
    live.open_poll(code, question="Wie wichtig ist das?", kind="scale", options=options[:2])
    live.open_poll(code, question="In welcher Reihenfolge?", kind="ranking", options=options)
    page = join(new_context(), live, code, "Dana")

    def submit(poll):
        poll.get_by_role("button", name="Stimme abgeben").focus()
        page.keyboard.press("Enter")
        expect(poll.get_by_role("status")).to_contain_text("Ihre Stimme ist gespeichert")

    multiple = page.locator(".ws-poll", has_text="Was brauchen Sie?")
    for option in ("Busse", "Carsharing"):
        multiple.get_by_label(option).focus()
        page.keyboard.press("Space")
    submit(multiple)
    expect(bar(multiple, "Busse")).to_contain_text("1 Stimme")
    expect(bar(multiple, "Radwege")).to_contain_text("0 Stimmen")

    scale = page.locator(".ws-poll", has_text="Wie wichtig ist das?")
    radwege = scale.get_by_role("group", name="Radwege")
    radwege.get_by_label("1", exact=True).focus()
    page.keyboard.press("Space")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    expect(radwege.get_by_label("3", exact=True)).to_be_checked()
    submit(scale)
    expect(bar(scale, "Radwege")).to_contain_text("Ø 3 (1 Bewertung)")
    expect(bar(scale, "Busse")).to_contain_text("noch keine Bewertung")

    ranking = page.locator(".ws-poll", has_text="In welcher Reihenfolge?")
    ranking.get_by_role("button", name="Carsharing nach oben").focus()
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")  # focus stays on the moved option's button
    expect(ranking.locator(".ws-ranking__label")).to_have_text(["Carsharing", "Radwege", "Busse"])
    submit(ranking)
    expect(bar(ranking, "Carsharing")).to_contain_text("2 Punkte, Ø Platz 1")
    expect(bar(ranking, "Busse")).to_contain_text("0 Punkte, Ø Platz 3")


def test_an_open_board_drops_the_name_of_someone_who_deletes_their_account(live, new_context):
    """Erika, signed in, posts a card and a comment; Bob's board is open. When Erika deletes
    her account, Bob's board shows "Gelöschtes Konto" on both at once, without a reload."""
    manage(
        live.site.env,
        "shell",
        "-c",
        "from participation.models import User; "
        "User.objects.create_user('erika_e2e', 'erika@example.org', 'erika-e2e-passwort-2026', email_verified=True)",
    )
    code = live.workshop()
    erika_context = new_context()
    login = erika_context.new_page()
    login.goto(f"{live.base}/konto/anmelden/")
    login.get_by_label("Benutzername").fill("erika_e2e")
    login.get_by_label("Passwort").fill("erika-e2e-passwort-2026")
    login.get_by_role("button", name="Anmelden").click()
    login.wait_for_url(re.compile(r"/konto/$"))
    erika = join(erika_context, live, code, "Erika Mustermann")
    bob = join(new_context(), live, code, "Bob")

    add_card(erika, "Sitzbänke an jeder Haltestelle")
    expect(card(bob, "Sitzbänke an jeder Haltestelle")).to_contain_text("von Erika Mustermann")

    login.goto(f"{live.base}/konto/loeschen/")
    login.get_by_label("Ihr Passwort").fill("erika-e2e-passwort-2026")
    login.get_by_role("button", name="Konto endgültig löschen").click()
    login.wait_for_url(re.compile(r"/konto/geloescht/$"))

    expect(card(bob, "Sitzbänke an jeder Haltestelle")).to_contain_text("von Gelöschtes Konto")
    expect(bob.locator("#workshop-app")).not_to_contain_text("Erika Mustermann")
