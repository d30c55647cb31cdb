"""A workshop in which a citizen's account took part: cards, a comment, likes, a poll vote,
under two names (the person rejoined under another one)."""

from tests import factories
from workshops.actions import apply_command, create_workshop, join_workshop
from workshops.models import ParticipantRole, Poll

FIRST_NAME = "Erika Mustermann"
LATER_NAME = "Erika aus Böckingen"
OWN_CARDS = ["Mehr Radwege am Neckar", "Sitzbänke am Marktplatz"]
OTHERS_CARD = "Busse im Zehn-Minuten-Takt"
OWN_COMMENT = "Auch sonntags, bitte"


def workshop_with_participation(citizen):
    process = factories.make_process()
    host = factories.make_facilitator(process)
    workshop = create_workshop(host, process, "Zukunft der Mobilität")
    chief = join_workshop(workshop, host, "Moderatorin", ParticipantRole.FACILITATOR)
    erika = join_workshop(workshop, citizen, FIRST_NAME, ParticipantRole.EXPERT)
    ben = join_workshop(workshop, None, "Ben", ParticipantRole.EXPERT)
    for n, text in enumerate(OWN_CARDS):
        apply_command(erika.pk, {"type": "card.add", "id": f"e{n}", "text": text})
    apply_command(ben.pk, {"type": "card.add", "id": "b1", "text": OTHERS_CARD})
    own_card, other_card = workshop.cards.get(text=OWN_CARDS[0]), workshop.cards.get(text=OTHERS_CARD)
    # A facilitator's move of her card logs the card again, with her name.
    apply_command(chief.pk, {"type": "card.update", "id": "m1", "card": own_card.pk, "x": 40})
    erika = join_workshop(workshop, citizen, LATER_NAME, ParticipantRole.EXPERT)
    apply_command(erika.pk, {"type": "comment.add", "id": "e5", "card": other_card.pk, "text": OWN_COMMENT})
    apply_command(erika.pk, {"type": "card.like", "id": "e6", "card": other_card.pk})
    apply_command(ben.pk, {"type": "card.like", "id": "b2", "card": own_card.pk})
    apply_command(
        chief.pk,
        {"type": "poll.create", "id": "m2", "question": "Was zuerst?", "kind": "single", "options": ["Rad", "Bus"]},
    )
    poll = Poll.objects.get(workshop=workshop)
    apply_command(chief.pk, {"type": "poll.open", "id": "m3", "poll": poll.pk})
    apply_command(erika.pk, {"type": "poll.vote", "id": "e7", "poll": poll.pk, "choice": poll.options.first().pk})
    apply_command(ben.pk, {"type": "poll.vote", "id": "b3", "poll": poll.pk, "choice": poll.options.last().pk})
    return workshop, erika, ben, chief, host
