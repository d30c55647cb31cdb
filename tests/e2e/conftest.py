"""Browser fixtures: a real Daphne server on its own database, and headless Chromium.

The server runs in a subprocess against a throwaway database (a temporary SQLite
file, or a fresh PostgreSQL database when DATABASE_URL points to PostgreSQL; the
channel layer is Redis when REDIS_URL is set), so these tests use no pytest-django
database and set up data through the REST API and the WebSocket, as clients do.
"""

import asyncio
import json
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.workshops.live_site import LiveClient, LiveSite, Server, manage

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
FACILITATOR = "e2e-moderation"
FACILITATOR_PASSWORD = "Kessel-Wabe-0815-e2e"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """On a failure, show the end of the server's log next to the browser's view."""
    outcome = yield
    report = outcome.get_result()
    funcargs = getattr(item, "funcargs", {})
    live = funcargs.get("live") or funcargs.get("demo")
    live = getattr(live, "live", live)
    if report.failed and isinstance(live, Live):
        report.sections.append(("daphne log (last lines)", live.server.log()))


def require_chromium():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM}")


@pytest.fixture(scope="module")
def browser():
    """One Chromium per module: Playwright's sync API marks an event loop as running in this
    thread while it is started, which would break every asyncio test that runs after it."""
    require_chromium()
    sync_api = pytest.importorskip("playwright.sync_api")
    # Generous waits for a loaded CI machine; a passing run never waits this long.
    sync_api.expect.set_options(timeout=10_000)
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        list_view_by_default(browser)
        try:
            yield browser
        finally:
            browser.close()


def list_view_by_default(browser):
    """The board opens as a canvas on wide screens; tests written against the list view
    (``#ws-board .ws-card``) get the list, as if they had chosen it with the switch.
    ``browser.new_context(board_view=None)`` keeps the page's own choice (the canvas tests)."""
    original = browser.new_context

    def new_context(*args, board_view="list", **kwargs):
        context = original(*args, **kwargs)
        if board_view:
            context.add_init_script(
                "try { if (!localStorage.getItem('workshop-board-view'))"
                f" localStorage.setItem('workshop-board-view', '{board_view}'); }} catch (error) {{}}"
            )
        return context

    browser.new_context = new_context


@dataclass
class Live:
    site: LiveSite
    server: Server

    @property
    def base(self):
        return self.server.base

    def workshop(self, title="Zukunft der Mobilität", **settings):
        return self.site.create_workshop(self.server, title, **settings)

    def open_poll(self, code, **poll):
        """Create and open a poll as the workshop's facilitator over a real socket; its id."""

        async def run():
            joined = self.site.join(self.server, code, "Moderation", token=self.site.token)
            client = await LiveClient("moderation", joined["ticket"]).connect(self.server, code)
            try:
                await client.wait_for(lambda f: f["type"] == "snapshot")
                ack = await client.command("poll.create", **poll)
                assert ack["type"] == "ack", ack
                created = await client.wait_for(lambda f: f["type"] == "event" and f["seq"] == ack["seq"])
                poll_id = created["data"]["id"]
                ack = await client.command("poll.open", poll=poll_id)
                assert ack["type"] == "ack", ack
                return poll_id
            finally:
                await client.close()

        # Playwright's sync API keeps an event loop running in this thread: use another one.
        with ThreadPoolExecutor(max_workers=1) as pool:
            return pool.submit(asyncio.run, run()).result(timeout=30)


@pytest.fixture(scope="module")
def live(browser):
    site = LiveSite()
    try:
        (server,) = site.setup(names=("browser",))
        manage(
            site.env, "create_facilitator", FACILITATOR, "--password", FACILITATOR_PASSWORD, "--process", "live-test"
        )
        yield Live(site, server)
    finally:
        site.close()


@pytest.fixture
def new_context(browser):
    """Separate browser contexts (own cookies and storage), like separate devices."""
    contexts = []

    def make():
        context = browser.new_context(locale="de-DE", viewport={"width": 1000, "height": 900})
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


# The demo process plus one open consultation per ballot kind, an access-code one, and the
# facilitator of the demo process: enough for every page of the platform to show something.
DEMO_SETUP = """
import json
from participation.models import Process, User
from voting import actions
from voting.models import Consultation
process = Process.objects.get(slug="gesamtkonzept-digitalisierung")
user = User.objects.get(username="moderation")
ids = list(process.measures.published().order_by("pk").values_list("pk", flat=True))[:5]
cases = {
    "approval": ("approval", "open", {"max_approvals": 2}),
    "score": ("score", "open", {"labels": "words"}),
    "ranking": ("ranking", "open", {}),
    "points": ("points", "open", {"budget_points": 10}),
    "budget": ("points", "open", {"use_costs": True, "budget": 10000000}),
    "pairwise": ("pairwise", "open", {"allow_proposals": True}),
    "access_code": ("approval", "access_code", {}),
}
out = {"consultations": {}, "measure": ids[0], "process": process.pk}
for name, (method, eligibility, settings) in cases.items():
    c = actions.create_consultation(user, process, {
        "title": f"Befragung {name}", "title_en": f"Consultation {name}", "method": method,
        "eligibility": eligibility, "options": ids, "settings": settings,
        "description": "Was ist Ihnen wichtig?", "description_en": "What matters to you?",
    })
    actions.open_consultation(user, c)
    out["consultations"][name] = c.pk
    if eligibility == "access_code":
        out["codes"], _ = actions.generate_access_codes(user, c, 2)
out["consultations"]["account"] = Consultation.objects.get(title__startswith="Welche Maßnahmen").pk
out["consultations"]["published"] = Consultation.objects.get(title__startswith="Stimmungsbild").pk
print(json.dumps(out))
"""
DEMO_PROCESS = "gesamtkonzept-digitalisierung"
DEMO_WORKSHOP = "HNDGT4"
DEMO_CITIZEN = ("buergerin", "buergerin-demo-2026")


@dataclass
class Demo:
    live: Live
    consultations: dict
    codes: list
    measure: int

    @property
    def base(self):
        return self.live.base


@pytest.fixture(scope="session")
def demo():
    """One server with the demo data for the page-by-page tests (axe, keyboard, screenshots);
    they only add to it (ballots, cards), so they can share it."""
    require_chromium()
    site = LiveSite()
    try:
        (server,) = site.setup(names=("demo",))
        manage(site.env, "load_demo")
        manage(
            site.env, "create_facilitator", FACILITATOR, "--password", FACILITATOR_PASSWORD, "--process", DEMO_PROCESS
        )
        out = json.loads(manage(site.env, "shell", "-c", DEMO_SETUP).strip().splitlines()[-1])
        # Workshops made by the tests belong to the demo process, which the facilitator runs.
        site.process_id = out["process"]
        yield Demo(Live(site, server), out["consultations"], out["codes"], out["measure"])
    finally:
        site.close()
