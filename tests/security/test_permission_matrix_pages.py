"""Who may use the facilitators' pages (the HTML side of the permission matrix).

The facilitator of the process and an administrator get the page or their POST goes
through; nobody is sent to the login; a citizen and a facilitator of another process get
403 or 404, and their POST changes nothing. The moderation queue is open to every
facilitator but shows only the feedback of their own processes.
"""

import io

import pytest
from django.db import transaction

from participation.models import AuditLogEntry, Feedback, FeedbackAnswer, Measure, StatusChange
from voting.models import AccessCode, Consultation, ElectionWorker, Proposal, Statement

from .world import CANARY, build_world

# A Pabulib budget of two projects and two ballots, for the import page.
PABULIB = "\n".join(
    ["META", "key;value", "budget;100", "vote_type;approval", "PROJECTS", "project_id;cost", "1;60", "2;50"]
    + ["VOTES", "voter_id;vote", "a;1,2", "b;2", ""]
).encode()


class Upload(io.BytesIO):
    """A file the test client sends whole each time it is posted (it reads it once per request)."""

    name = "budget.pb"

    def read(self, *args):
        self.seek(0)
        return super().read(*args)


ROLES = ["anonymous", "citizen", "facilitator_other", "facilitator_here", "admin"]
MANAGERS = {"facilitator_here", "admin"}


def rows(w):
    c = w.draft.pk
    return [
        ("get", f"/befragungen/{w.open_ranking.pk}/verwaltung/", {}),
        ("post", f"/befragungen/{c}/verwaltung/oeffnen/", {"confirm": "yes"}),
        ("post", f"/befragungen/{w.open_ranking.pk}/verwaltung/schliessen/", {"confirm": "yes"}),
        ("post", f"/befragungen/{w.pairwise.pk}/verwaltung/vorschlaege/{w.proposal.pk}/aufnehmen/", {}),
        ("post", f"/befragungen/{w.pairwise.pk}/verwaltung/vorschlaege/{w.proposal.pk}/ablehnen/", {}),
        ("post", f"/ergebnisse/{w.closed_unpublished.pk}/veroeffentlichen/", {"confirm": "yes"}),
        ("get", f"/ergebnisse/prozesse/{w.process.slug}/moderation/", {}),
        ("get", f"/w/{w.workshop.code}/console/", {}),
        ("get", f"/w/{w.draft_workshop.code}/", {}),
        ("post", f"/rueckmeldungen/{w.visible_feedback.pk}/moderieren/", {"decision": "hide", "reason": "x"}),
        ("post", f"/rueckmeldungen/{w.visible_feedback.pk}/antworten/", {"text": "Antwort", "state": "adopted"}),
        ("post", f"{w.hidden_measure.get_absolute_url()}stand/", {"status": "planned", "reason": "x"}),
        ("post", f"/befragungen/{w.opinion.pk}/verwaltung/aussagen/", {"text": "Mehr Schatten"}),
        ("post", f"/befragungen/{w.opinion.pk}/verwaltung/aussagen/{w.proposed_statement.pk}/zeigen/", {}),
        ("post", f"/befragungen/{w.opinion.pk}/verwaltung/aussagen/{w.statement.pk}/ausblenden/", {}),
        ("post", f"/befragungen/{w.paper.pk}/verwaltung/wahlhelfer/", {"username": w.citizen.username}),
        ("post", f"/befragungen/{w.paper.pk}/verwaltung/wahlhelfer/{w.election_worker.pk}/entfernen/", {}),
        ("get", f"/befragungen/neu/pabulib/?process={w.process.slug}", {}),
        (
            "post",
            "/befragungen/neu/pabulib/",
            {"process": w.process.pk, "file": Upload(PABULIB), "rule": "greedy", "confirm": "on"},
        ),
    ]


def fingerprint():
    return (
        list(Consultation.objects.order_by("pk").values_list("state", flat=True)),
        list(Proposal.objects.order_by("pk").values_list("status", flat=True)),
        list(Feedback.objects.order_by("pk").values_list("status", flat=True)),
        AccessCode.objects.count(),
        AuditLogEntry.objects.count(),
        list(FeedbackAnswer.objects.order_by("pk").values_list("state", "text")),
        list(Measure.objects.order_by("pk").values_list("status", flat=True)),
        StatusChange.objects.count(),
        list(Statement.objects.order_by("pk").values_list("state", flat=True)),
        ElectionWorker.objects.count(),
    )


def users(w):
    return {
        "anonymous": None,
        "citizen": w.citizen,
        "facilitator_other": w.other_facilitator,
        "facilitator_here": w.facilitator,
        "admin": w.admin,
    }


@pytest.mark.parametrize("index", range(19))
def test_facilitator_pages_by_role(client, db, index):
    world = build_world()
    method, url, data = rows(world)[index]
    wrong = []
    for role, user in users(world).items():
        client.logout()
        if user:
            client.force_login(user)
        with transaction.atomic():
            before = fingerprint()
            response = getattr(client, method)(url, data)
            to_login = response.status_code == 302 and "/konto/anmelden/" in response["Location"]
            if role in MANAGERS:
                if response.status_code not in (200, 302) or to_login:
                    wrong.append(f"{role}: {response.status_code}")
            elif role == "anonymous" and method == "get" and url.startswith("/w/") and "console" not in url:
                if response.status_code != 404:
                    wrong.append(f"{role}: a draft workshop answered {response.status_code}")
            elif not (response.status_code in (403, 404) or (role == "anonymous" and to_login)):
                wrong.append(f"{role}: {response.status_code} {response.get('Location', '')}")
            elif fingerprint() != before:
                wrong.append(f"{role}: refused, but data changed")
            transaction.set_rollback(True)
    assert not wrong, f"{method.upper()} {url}\n" + "\n".join(wrong)


def test_the_moderation_queue_shows_only_ones_own_processes(client, db):
    world = build_world()
    client.force_login(world.other_facilitator)
    response = client.get("/rueckmeldungen/moderation/")
    assert response.status_code == 200
    assert CANARY not in response.content.decode()
    client.force_login(world.facilitator)
    assert CANARY in client.get("/rueckmeldungen/moderation/").content.decode()


def test_follows_and_their_settings_are_only_ones_own(client, db):
    """Following, the notification settings and the follows list belong to the signed-in
    account: the anonymous are sent to sign in and change nothing; nobody sees another's."""
    from participation import notifications
    from participation.models import Follow

    world = build_world()
    measure = Measure.objects.filter(process=world.process, published=True).first()
    notifications.follow(world.facilitator, measure)
    before = list(Follow.objects.values_list("user", "measure"))
    for method, url, data in (
        ("get", "/konto/benachrichtigungen/", {}),
        ("post", "/konto/benachrichtigungen/", {"notification_mail": "off", "language": "en"}),
        ("post", "/konto/folgen/", {"target": f"measure:{measure.pk}", "action": "follow"}),
    ):
        response = getattr(client, method)(url, data)
        assert response.status_code == 302 and "/konto/anmelden/" in response["Location"], url
    assert list(Follow.objects.values_list("user", "measure")) == before
    world.facilitator.refresh_from_db()
    assert world.facilitator.notification_mail == "immediate"

    client.force_login(world.citizen)
    page = client.get("/konto/benachrichtigungen/").content.decode()
    assert measure.title not in page and "Sie folgen noch nichts" in page
    # A citizen cannot follow what is not public (a hidden measure), nor stop another's follow.
    client.post("/konto/folgen/", {"target": f"measure:{world.hidden_measure.pk}", "action": "follow"})
    client.post("/konto/folgen/", {"target": f"measure:{measure.pk}", "action": "unfollow"})
    assert list(Follow.objects.values_list("user", "measure")) == before
