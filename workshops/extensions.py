"""What workshops contribute to the extension points of participation (participation/extensions.py):
an account's deletion and its data export."""

from participation import extensions

from .actions import DELETED_ACCOUNT_NAME, anonymise_participants
from .models import Card, CardLike, Comment, Participant, PollVote


def _iso(value):
    return value.isoformat() if value else None


def erase_account(user):
    # Contributions to a shared board stay (others built on them); the name on them goes.
    anonymise_participants(Participant.objects.filter(user=user), DELETED_ACCOUNT_NAME)


def workshop_participation(user):
    """Each workshop the account took part in: the name and role used there, and what the
    person wrote, liked and voted on the board (the likes and votes of others are not theirs)."""
    participation = []
    for participant in Participant.objects.filter(user=user).select_related("workshop__process").order_by("pk"):
        workshop = participant.workshop
        cards = Card.objects.filter(author=participant).order_by("pk")
        comments = Comment.objects.filter(author=participant).order_by("pk")
        likes = CardLike.objects.filter(participant=participant).select_related("card").order_by("card_id")
        votes = PollVote.objects.filter(participant=participant).select_related("poll").order_by("poll_id")
        votes = votes.prefetch_related("poll__options")
        participation.append(
            {
                "workshop": {"id": workshop.pk, "title": workshop.title, "process": workshop.process.title},
                "display_name": participant.display_name,
                "role": participant.role,
                "joined": _iso(participant.created),
                "cards": [
                    {"id": c.pk, "text": c.text, "anonymous": c.anonymous, "created": _iso(c.created)} for c in cards
                ],
                "comments": [
                    {"id": c.pk, "card": c.card_id, "text": c.text, "created": _iso(c.created)} for c in comments
                ],
                "likes": [{"card": like.card_id, "card_text": like.card.text} for like in likes],
                "poll_votes": [
                    {
                        "poll": vote.poll_id,
                        "question": vote.poll.question,
                        "options": {str(option.pk): option.label for option in vote.poll.options.all()},
                        "choice": vote.choice,
                        "updated": _iso(vote.updated),
                    }
                    for vote in votes
                ],
            }
        )
    return participation


def register():
    extensions.register_account_eraser("workshops", erase_account)
    extensions.register_personal_data("workshops", workshop_participation)
