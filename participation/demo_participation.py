"""Demo participation for ``load_demo``: a live workshop with a few cards, an open
consultation and a closed, published one with synthetic ballots, so that every
part of the platform has something to show. Created once; a second run finds them
by title and leaves them as they are (votes are never re-cast)."""

import random

from django.utils import timezone

from results.actions import publish
from voting import actions as voting
from voting.models import Consultation
from workshops.actions import apply_command, create_workshop, join_workshop
from workshops.models import ParticipantRole, Workshop

WORKSHOP_CODE = "HNDGT4"
WORKSHOP_TITLE = "Expertenworkshop: Mobilität und Verwaltung digital"
WORKSHOP_AGENDA = (
    "1. Ideen sammeln (20 Min.)\n2. Clustern und kommentieren (20 Min.)\n"
    "3. Punkte kleben: Was zuerst? (10 Min.)\n4. Ergebnisse und nächste Schritte (10 Min.)"
)
WORKSHOP_CARDS = [
    ("Frau Dr. Keller (Verkehrsplanung)", "Ampelphasen an der Weipertstraße nach Verkehrslage steuern"),
    ("Herr Yılmaz (Stadtwerke)", "Ladesäulen-Belegung live in der Stadt-App anzeigen"),
    ("Frau Brandt (Bürgeramt)", "Wohnsitz ummelden komplett online, ohne Termin"),
    ("Herr Nguyen (Hochschule)", "Offene Verkehrsdaten als Schnittstelle für Start-ups"),
]

OPEN_TITLE = "Welche Maßnahmen sollen zuerst umgesetzt werden?"
OPEN_TITLE_EN = "Which measures should come first?"
OPEN_DESCRIPTION = (
    "Bringen Sie die vorgeschlagenen Maßnahmen in Ihre Reihenfolge: ganz oben steht, was die Stadt "
    "zuerst angehen soll. Sie können Maßnahmen gleichauf setzen oder unbewertet lassen. Bis zum Ende "
    "der Befragung können Sie Ihren Stimmzettel ändern; es zählt der letzte."
)
OPEN_DESCRIPTION_EN = (
    "Put the proposed measures in your order: at the top is what the city should tackle first. You may "
    "rank measures equally or leave them unranked. Until the survey closes you can change your ballot; "
    "the last one counts."
)
CLOSED_TITLE = "Stimmungsbild: Digitale Bürgerdienste"
CLOSED_TITLE_EN = "Opinion poll: digital citizen services"
CLOSED_DESCRIPTION = (
    "Ein unverbindliches Stimmungsbild aus dem Frühjahr: Welche digitalen Angebote der Verwaltung "
    "halten Sie für wichtig? Kreuzen Sie bis zu drei Maßnahmen an."
)
CLOSED_DESCRIPTION_EN = (
    "A non-binding straw poll from the spring: which digital services of the administration matter to "
    "you? Tick up to three measures."
)
SYNTHETIC_VOTERS = 240


def load(process, measures, facilitator):
    """Create what is missing; returns how many of the three items were created."""
    created = 0
    if not Workshop.objects.filter(code=WORKSHOP_CODE).exists():
        _workshop(process, facilitator)
        created += 1
    ids = [m.pk for m in measures]
    if not Consultation.objects.filter(process=process, title=OPEN_TITLE).exists():
        consultation = voting.create_consultation(
            facilitator,
            process,
            {
                "title": OPEN_TITLE,
                "title_en": OPEN_TITLE_EN,
                "description": OPEN_DESCRIPTION,
                "description_en": OPEN_DESCRIPTION_EN,
                "method": "ranking",
                "options": ids[:8],
                "eligibility": "account",
                "closes_at": timezone.now() + timezone.timedelta(days=60),
            },
        )
        voting.open_consultation(facilitator, consultation)
        created += 1
    if not Consultation.objects.filter(process=process, title=CLOSED_TITLE).exists():
        _closed_and_published(process, ids[8:14], facilitator)
        created += 1
    return created


def _workshop(process, facilitator):
    workshop = create_workshop(facilitator, process, WORKSHOP_TITLE, agenda=WORKSHOP_AGENDA, dots_per_participant=3)
    Workshop.objects.filter(pk=workshop.pk).update(code=WORKSHOP_CODE)
    workshop.code = WORKSHOP_CODE
    chief = join_workshop(workshop, facilitator, "Moderation", ParticipantRole.FACILITATOR)
    apply_command(chief.pk, {"type": "cluster.add", "id": "demo-cluster-1", "title": "Verkehr"})
    apply_command(chief.pk, {"type": "cluster.add", "id": "demo-cluster-2", "title": "Bürgerservice"})
    clusters = list(workshop.clusters.values_list("pk", flat=True))
    for n, (name, text) in enumerate(WORKSHOP_CARDS):
        expert = join_workshop(workshop, None, name, ParticipantRole.EXPERT)
        cluster = clusters[1] if "Bürgeramt" in name else clusters[0]
        apply_command(
            expert.pk, {"type": "card.add", "id": f"demo-card-{n}", "text": text, "cluster": cluster, "x": 40 * n}
        )


def _closed_and_published(process, ids, facilitator):
    consultation = voting.create_consultation(
        facilitator,
        process,
        {
            "title": CLOSED_TITLE,
            "title_en": CLOSED_TITLE_EN,
            "description": CLOSED_DESCRIPTION,
            "description_en": CLOSED_DESCRIPTION_EN,
            "method": "approval",
            "options": ids,
            "settings": {"max_approvals": 3},
            "eligibility": "open",
        },
    )
    voting.open_consultation(facilitator, consultation)
    # Synthetic, seeded voters with plausible preferences: the first measures are liked more.
    rng = random.Random(2026)  # noqa: S311 - demo data, not security
    weights = [0.62, 0.55, 0.41, 0.38, 0.2, 0.12][: len(ids)]
    for n in range(SYNTHETIC_VOTERS):
        chosen = [m for m, w in zip(ids, weights, strict=False) if rng.random() < w][:3] or [ids[0]]
        voter = voting.Voter(consultation.pk, browser_hash=f"demo-voter-{n:04d}")
        voting.cast_ballot(consultation, voter, {"approve": chosen})
    voting.close_consultation(facilitator, consultation)
    publish(facilitator, consultation)
