"""Signed join tickets: they authenticate a participant's WebSocket without a session."""

from django.core import signing

SALT = "workshops.ticket"
# A ticket lasts a long workshop day; rejoining issues a new one.
MAX_AGE = 24 * 3600


def issue_ticket(participant):
    return signing.dumps({"p": participant.pk, "w": participant.workshop_id}, salt=SALT, compress=True)


def read_ticket(ticket, workshop_id):
    """The participant id the ticket stands for, or None when bad, expired or for another workshop."""
    if not isinstance(ticket, str) or not ticket or len(ticket) > 500:
        return None
    try:
        data = signing.loads(ticket, salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("w") != workshop_id or not isinstance(data.get("p"), int):
        return None
    return data["p"]
