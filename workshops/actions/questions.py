"""Q&A commands (the Slido format): participants ask and upvote questions, the facilitator
marks them answered or hides them. A hidden question reaches facilitators only: its events
go to them as they are and to everyone else in a public form that gives nothing away."""

from django.db import IntegrityError, transaction

from .. import selectors
from ..models import QUESTION_TEXT_MAX, Audience, Phase, Question, QuestionVote, WorkshopState
from .base import CommandError, _bool, _id, _not_found, _require_facilitator, _text


def _require_asking_open(ctx):
    """Asking and upvoting: experts and facilitators, while the workshop is live and not closed."""
    if not ctx.participant.may_write:
        raise CommandError("forbidden", "Observers cannot ask or upvote questions.")
    if ctx.workshop.state != WorkshopState.LIVE or ctx.workshop.phase == Phase.CLOSED:
        raise CommandError("wrong_phase", "The workshop is not live.")


def _question(ctx, command):
    """The question of this workshop; a hidden one exists for facilitators only."""
    question_id = _id(command, "question")
    question = Question.objects.filter(pk=question_id, workshop=ctx.workshop).select_related("author").first()
    if question is None or (question.hidden and not ctx.participant.is_facilitator):
        raise _not_found("question", question_id)
    return question


def _emit_update(ctx, question, was_hidden):
    """``question.updated`` to those who see the question. A question hidden now is
    ``question.removed`` for everyone else, one shown again is ``question.added`` for them."""
    data = selectors.question_data(question, ctx.workshop)
    if not question.hidden and not was_hidden:
        ctx.emit("question.updated", data)
    elif question.hidden:
        public = {"name": "question.removed", "data": {"id": question.pk}}
        ctx.emit("question.updated", data, audience=Audience.FACILITATORS, public=public)
    else:
        ctx.emit(
            "question.updated", data, audience=Audience.FACILITATORS, public={"name": "question.added", "data": data}
        )


def question_ask(ctx, command):
    _require_asking_open(ctx)
    text = _text(command, "text", QUESTION_TEXT_MAX)
    anonymous = False
    if command.get("anonymous") is not None:
        # As with cards: without the workshop's permission a question carries its author's name.
        anonymous = _bool(command, "anonymous") and ctx.workshop.anonymous_posting
    question = Question.objects.create(workshop=ctx.workshop, author=ctx.participant, anonymous=anonymous, text=text)
    ctx.emit("question.added", selectors.question_data(question, ctx.workshop, votes=0))


def _voted(ctx, question, on):
    votes = QuestionVote.objects.filter(question=question).count()
    ctx.emit("question.voted", {"question": question.pk, "votes": votes, "participant": ctx.participant.pk, "on": on})


def question_upvote(ctx, command):
    _require_asking_open(ctx)
    question = _question(ctx, command)
    if question.hidden:
        raise CommandError("conflict", "A hidden question cannot be upvoted.")
    if question.author_id == ctx.participant.pk:
        raise CommandError("conflict", "You cannot upvote your own question.")
    try:
        with transaction.atomic():
            QuestionVote.objects.create(question=question, participant=ctx.participant)
    except IntegrityError:
        raise CommandError("conflict", "You have already upvoted this question.") from None
    _voted(ctx, question, True)


def question_unvote(ctx, command):
    _require_asking_open(ctx)
    question = _question(ctx, command)
    if question.hidden:
        raise CommandError("conflict", "A hidden question cannot be voted on.")
    deleted, _ = QuestionVote.objects.filter(question=question, participant=ctx.participant).delete()
    if not deleted:
        raise CommandError("conflict", "You have not upvoted this question.")
    _voted(ctx, question, False)


def _require_moderating(ctx):
    _require_facilitator(ctx)
    if ctx.workshop.phase == Phase.CLOSED:
        raise CommandError("wrong_phase", "The workshop is closed.")


def question_answer(ctx, command):
    _require_moderating(ctx)
    question = _question(ctx, command)
    answered = _bool(command, "answered")
    if question.answered == answered:
        state = "answered" if answered else "open"
        raise CommandError("conflict", f"The question is already marked {state}.")
    question.answered = answered
    question.save(update_fields=["answered"])
    _emit_update(ctx, question, was_hidden=question.hidden)


def question_hide(ctx, command):
    _require_moderating(ctx)
    question = _question(ctx, command)
    hidden = _bool(command, "hidden")
    if question.hidden == hidden:
        raise CommandError("conflict", "The question is already hidden." if hidden else "The question is not hidden.")
    question.hidden = hidden
    question.save(update_fields=["hidden"])
    _emit_update(ctx, question, was_hidden=not hidden)
