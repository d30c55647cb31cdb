"""The access-code letters as a city prints them, in headless Chromium.

The facilitator makes three letters of a consultation that takes paper ballots. Printed
on A4 (``page.pdf``, counted with pypdf) each letter takes exactly two pages: the letter
with its code on one, its paper ballot on the next, so no letter starts in the middle of
a page and no ballot is split over two sheets (every measure and the code are on the
ballot's page). In print media at the printable width of A4 (210 mm less the 20 mm
margins of ``@page``) nothing sticks out at the right, and the code on the ballot is
visible. A score ballot with word labels and long titles is the widest there is.
"""

import io
import json
import re
import unicodedata

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.workshops.live_site import manage

from .conftest import FACILITATOR, FACILITATOR_PASSWORD

pytestmark = pytest.mark.browser

LETTERS = 3
# 170 mm (A4 less the print margins) in CSS pixels (96 per inch).
PRINT_WIDTH = round(170 / 25.4 * 96)
SETUP = """
import json
from participation.models import Measure, Process, User
from voting import actions
process = Process.objects.get(slug="live-test")
facilitator = User.objects.get(username=%(facilitator)r)
titles = %(titles)r
ids = [
    Measure.objects.create(
        process=process, title=title, slug=f"%(prefix)s-{n}", summary="Kurz.", published=True,
        estimated_cost=25000 + 1000 * n,
    ).pk
    for n, title in enumerate(titles)
]
setup = {"title": "Briefe drucken", "method": %(method)r, "eligibility": "access_code", "options": ids,
         "settings": %(settings)r}
consultation = actions.create_consultation(facilitator, process, setup)
consultation = actions.open_consultation(facilitator, consultation)
print(json.dumps({"pk": consultation.pk}))
"""
TITLES = [
    "Stadtbücherei länger offen",
    "Mehr Trinkbrunnen in der Innenstadt und an den Spielplätzen entlang des Neckarufers",
    "Freies WLAN am Bahnhof",
    "Sichere Radwege zwischen Böckingen, Sontheim und der Innenstadt mit eigener Ampelschaltung",
    "Mehr Bänke",
    "Schattenplätze auf dem Marktplatz",
    "Nachtbus am Wochenende",
    "Öffentliche Toiletten barrierefrei umbauen",
]
CASES = {
    "score-words": ("score", {"labels": "words"}),
    "approval": ("approval", {}),
    "budget-points": ("points", {"use_costs": True, "budget": 100000, "budget_ballot": "points", "budget_points": 10}),
}


def shell(live, code):
    return json.loads(manage(live.site.env, "shell", "-c", code).strip().splitlines()[-1])


def letters_page(browser, live, pk):
    context = browser.new_context(locale="de-DE", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto(f"{live.base}/konto/anmelden/")
    page.get_by_label("Benutzername").fill(FACILITATOR)
    page.get_by_label("Passwort").fill(FACILITATOR_PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    expect(page.get_by_label("Benutzername")).to_have_count(0)
    page.goto(f"{live.base}/befragungen/{pk}/verwaltung/")
    page.locator(".codes-form input[type=number]").fill(str(LETTERS))
    page.locator(".codes-form button[type=submit]").click()
    expect(page.locator("article.letter")).to_have_count(LETTERS)
    return page


def squeeze(text):
    """Text to compare with a PDF's: without spaces, ligatures (ﬀ) and umlauts composed."""
    return unicodedata.normalize("NFKC", "".join(text.split()))


@pytest.mark.parametrize("case", list(CASES))
def test_each_letter_and_its_ballot_print_on_their_own_a4_pages(browser, live, case):
    method, settings = CASES[case]
    data = shell(
        live,
        SETUP
        % {
            "facilitator": FACILITATOR,
            "titles": TITLES,
            "prefix": f"brief-{case}",
            "method": method,
            "settings": settings,
        },
    )
    page = letters_page(browser, live, data["pk"])
    codes = page.locator(".letter .letter__code-box code").all_inner_texts()
    assert len(codes) == LETTERS and all(re.fullmatch(r"[A-Z0-9-]{10,}", code) for code in codes), codes

    page.emulate_media(media="print")
    page.set_viewport_size({"width": PRINT_WIDTH, "height": 1000})
    # Nothing sticks out beyond the printable width: no element of a letter ends to the
    # right of it, and the page does not scroll sideways.
    overflowing = page.evaluate(
        """(width) => {
            const out = [];
            const scrolled = document.documentElement.scrollWidth;
            if (scrolled > width + 1) out.push(`page ${scrolled}`);
            for (const element of document.querySelectorAll('.letter, .letter *')) {
                const box = element.getBoundingClientRect();
                if (box.width === 0 && box.height === 0) continue;
                if (box.right > width + 1 || box.left < -1 || element.scrollWidth > element.clientWidth + 1
                    && getComputedStyle(element).overflowX !== 'visible') {
                    const where = `${Math.round(box.left)}..${Math.round(box.right)}`;
                    out.push(`${element.tagName}.${element.className}: ${where}`);
                }
            }
            return out;
        }""",
        PRINT_WIDTH,
    )
    assert overflowing == [], overflowing
    for n, code in enumerate(codes):
        on_ballot = page.locator(".letter").nth(n).locator(".letter__ballot .letter__ballot-code")
        expect(on_ballot).to_be_visible()
        expect(on_ballot).to_have_text(code)
        size = on_ballot.evaluate("(element) => parseFloat(getComputedStyle(element).fontSize)")
        assert size >= 12, f"the code on the ballot is printed at {size}px"

    pdf = PdfReader(io.BytesIO(page.pdf(format="A4")))
    pages = [squeeze(sheet.extract_text()) for sheet in pdf.pages]
    assert len(pages) == 2 * LETTERS, f"{len(pages)} pages for {LETTERS} letters with ballots: " + " | ".join(
        f"{sheet[:60]}…{sheet[-60:]}" for sheet in pages
    )
    for n, code in enumerate(codes):
        letter, ballot = pages[2 * n], pages[2 * n + 1]
        assert squeeze("Ihre Stimme zählt") in letter and squeeze(code) in letter, (n, letter[:300])
        assert squeeze("Stimmzettel für die Abgabe auf Papier") not in letter
        assert squeeze("Stimmzettel für die Abgabe auf Papier") in ballot and squeeze(code) in ballot, (n, ballot[:300])
        # The whole ballot on its page: every measure, down to the last row.
        for title in TITLES:
            assert squeeze(title) in ballot, (n, title)
    page.context.close()
