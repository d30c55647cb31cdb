"""Live workshops: the board (cards, clusters, comments, likes), polls and the event log.

The event log (``WorkshopEvent``) is the truth that clients resync from: every change
of a workshop writes one event with the next ``seq`` in the same transaction.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from participation.models import Measure, Process

# No 0/O, 1/I/L, 5/S, 2/Z, 8/B: easy to read aloud and to type on a phone.
CODE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
CODE_LENGTH = 6

CARD_TEXT_MAX = 500
COMMENT_TEXT_MAX = 1000
CLUSTER_TITLE_MAX = 120
GROUP_NAME_MAX = 60
AGENDA_TITLE_MAX = 120
QUESTION_TEXT_MAX = 300
# The reactions a card may get: a small fixed set, so that counts stay readable.
REACTIONS = ("👍", "❤️", "💡", "❓", "🎉", "⚠️")
DISPLAY_NAME_MAX = 60
POLL_QUESTION_MAX = 300
POLL_OPTION_MAX = 200
POLL_OPTIONS_MAX = 50


def new_join_code():
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(raw):
    """Accept what people type: lower case, spaces and dashes."""
    return "".join(ch for ch in (raw or "").upper() if ch.isalnum())[:32]


class WorkshopState(models.TextChoices):
    DRAFT = "draft", _("Entwurf")
    LIVE = "live", _("live")
    CLOSED = "closed", _("beendet")


class Phase(models.TextChoices):
    COLLECT = "collect", _("Ideen sammeln")
    CLUSTER = "cluster", _("Clustern")
    VOTE = "vote", _("Abstimmen")
    RESULTS = "results", _("Ergebnisse")
    CLOSED = "closed", _("beendet")


class CardColor(models.TextChoices):
    YELLOW = "yellow", _("gelb")
    BLUE = "blue", _("blau")
    GREEN = "green", _("grün")
    PINK = "pink", _("rosa")
    ORANGE = "orange", _("orange")
    PURPLE = "purple", _("lila")


class ProjectorView(models.TextChoices):
    BOARD = "board", _("Board")
    POLL = "poll", _("Abstimmung")
    WORDS = "words", _("Wortwolke")
    QA = "qa", _("Fragen")
    TIMER = "timer", _("Timer")
    AGENDA = "agenda", _("Ablauf")


class BreakoutMode(models.TextChoices):
    RANDOM = "random", _("zufällig")
    CHOICE = "choice", _("nach Wahl")
    MANUAL = "manual", _("von Hand")


class Workshop(models.Model):
    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="workshops", verbose_name=_("Prozess"))
    title = models.CharField(_("Titel"), max_length=200)
    agenda = models.TextField(_("Ablauf"), max_length=5000, blank=True)
    code = models.CharField(_("Zugangscode"), max_length=12, unique=True, default=new_join_code)
    state = models.CharField(_("Status"), max_length=10, choices=WorkshopState.choices, default=WorkshopState.LIVE)
    phase = models.CharField(_("Phase"), max_length=10, choices=Phase.choices, default=Phase.COLLECT)
    anonymous_posting = models.BooleanField(_("anonym posten erlaubt"), default=False)
    participants_may_cluster = models.BooleanField(_("Teilnehmende dürfen clustern"), default=False)
    dots_per_participant = models.PositiveSmallIntegerField(_("Punkte je Person"), default=5)
    board_locked = models.BooleanField(_("Board gesperrt"), default=False)
    hide_authors = models.BooleanField(_("Namen ausblenden"), default=False)
    # Brainwriting: new cards stay private to their authors until the facilitator reveals them.
    brainwriting = models.BooleanField(_("Brainwriting"), default=False)
    # Follow me: where the facilitator brings every screen, {"kind": ..., "id": ...} or null.
    follow = models.JSONField(null=True, blank=True)
    projector_view = models.CharField(
        _("Beamer zeigt"), max_length=10, choices=ProjectorView.choices, default=ProjectorView.BOARD
    )
    # Breakout groups are running ("" = plenary); how people got into them.
    breakout_mode = models.CharField(max_length=10, choices=BreakoutMode.choices, blank=True)
    # The last event's number; incremented under a row lock to allocate the next seq.
    last_seq = models.PositiveBigIntegerField(default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Workshop")
        verbose_name_plural = _("Workshops")
        ordering = ["-created"]
        constraints = [
            models.CheckConstraint(
                condition=Q(dots_per_participant__gte=1, dots_per_participant__lte=100), name="workshop_dots_range"
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.code})"

    def get_absolute_url(self):
        return reverse("workshops:board", args=[self.code])


class ParticipantRole(models.TextChoices):
    FACILITATOR = "facilitator", _("Moderation")
    EXPERT = "expert", _("Expertin/Experte")
    OBSERVER = "observer", _("Beobachtung")


class Participant(models.Model):
    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    display_name = models.CharField(max_length=DISPLAY_NAME_MAX)
    role = models.CharField(max_length=12, choices=ParticipantRole.choices, default=ParticipantRole.EXPERT)
    # The person's account was deleted (or purged): the contributions stay, the participant
    # may no longer connect or act, whatever ticket is still around.
    removed = models.BooleanField(default=False)
    # A shared screen (the projector page, a wall display): an observer that is nobody,
    # so it is left out of who is online.
    screen = models.BooleanField(default=False)
    # The breakout group this person works in while groups run (null: plenary).
    group = models.ForeignKey("BreakoutGroup", on_delete=models.SET_NULL, null=True, blank=True, related_name="members")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["workshop", "user", "role"], condition=Q(user__isnull=False), name="one_participant_per_user"
            ),
        ]

    def __str__(self):
        return f"{self.display_name} ({self.role})"

    @property
    def is_facilitator(self):
        return self.role == ParticipantRole.FACILITATOR

    @property
    def may_write(self):
        return self.role != ParticipantRole.OBSERVER


class PresenceServer(models.Model):
    """A server process (its event loop) that holds workshop sockets. Its sockets count as
    online only while ``expires`` lies ahead; the process renews it every few seconds
    (``workshops.presence``), so a crashed process's sockets stop counting on their own."""

    id = models.CharField(primary_key=True, max_length=32)
    name = models.CharField(max_length=200, blank=True)  # host:pid, for operators
    started = models.DateTimeField(auto_now_add=True)
    expires = models.DateTimeField(db_index=True)

    def __str__(self):
        return f"{self.name or self.id} (until {self.expires:%H:%M:%S})"


class SocketPresence(models.Model):
    """One open workshop socket: a participant is online while one of its sockets belongs to
    a server whose lease has not expired."""

    id = models.UUIDField(primary_key=True)  # chosen by the socket, so it can be written again
    # No database constraint: a process may write its sockets while its own row is being
    # renewed after a sweep; rows of servers that no longer exist never count and are swept.
    server = models.ForeignKey(PresenceServer, on_delete=models.DO_NOTHING, db_constraint=False, related_name="sockets")
    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="+")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="sockets")

    def __str__(self):
        return f"socket {self.id} of participant {self.participant_id}"


class BreakoutGroup(models.Model):
    """A breakout group: its people (``Participant.group``), its area of the board and its timer."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="groups")
    name = models.CharField(max_length=GROUP_NAME_MAX)
    position = models.PositiveSmallIntegerField(default=0)
    # Its area on the canvas (board coordinates).
    x = models.FloatField(default=0)
    y = models.FloatField(default=0)
    w = models.FloatField(default=1200)
    h = models.FloatField(default=800)
    # Of the groups running now; ended groups stay on the board as labelled areas.
    active = models.BooleanField(default=False)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["workshop", "position", "id"]

    def __str__(self):
        return self.name


class Cluster(models.Model):
    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="clusters")
    title = models.CharField(max_length=CLUSTER_TITLE_MAX)
    # A labelled area of the canvas; moving it carries its cards along.
    x = models.FloatField(default=0)
    y = models.FloatField(default=0)
    w = models.FloatField(default=480)
    h = models.FloatField(default=360)
    group = models.ForeignKey(BreakoutGroup, on_delete=models.SET_NULL, null=True, blank=True, related_name="clusters")
    created_by = models.ForeignKey(Participant, on_delete=models.SET_NULL, null=True, related_name="+")
    measure = models.ForeignKey(Measure, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return self.title


class Card(models.Model):
    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="cards")
    author = models.ForeignKey(Participant, on_delete=models.SET_NULL, null=True, related_name="cards")
    anonymous = models.BooleanField(default=False)
    text = models.TextField(max_length=CARD_TEXT_MAX)
    cluster = models.ForeignKey(Cluster, on_delete=models.SET_NULL, null=True, blank=True, related_name="cards")
    x = models.FloatField(default=0)
    y = models.FloatField(default=0)
    color = models.CharField(max_length=10, choices=CardColor.choices, default=CardColor.YELLOW)
    measure = models.ForeignKey(Measure, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    # Written during brainwriting and not yet revealed: only its author sees it.
    private = models.BooleanField(default=False)
    # Set by the facilitator: locked cards are not moved or edited by others,
    # pinned cards stand out, hidden cards are seen by facilitators only.
    locked = models.BooleanField(default=False)
    pinned = models.BooleanField(default=False)
    hidden = models.BooleanField(default=False)
    group = models.ForeignKey(BreakoutGroup, on_delete=models.SET_NULL, null=True, blank=True, related_name="cards")
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return self.text[:50]


class CardLike(models.Model):
    card = models.ForeignKey(Card, on_delete=models.CASCADE, related_name="likes")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["card", "participant"], name="one_like_per_participant")]


class CardReaction(models.Model):
    card = models.ForeignKey(Card, on_delete=models.CASCADE, related_name="reactions")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="+")
    emoji = models.CharField(max_length=8)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["card", "participant", "emoji"], name="one_reaction_per_emoji"),
        ]


class Comment(models.Model):
    card = models.ForeignKey(Card, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(Participant, on_delete=models.SET_NULL, null=True, related_name="+")
    text = models.TextField(max_length=COMMENT_TEXT_MAX)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]


class PollKind(models.TextChoices):
    SINGLE = "single", _("Einfachauswahl")
    MULTIPLE = "multiple", _("Mehrfachauswahl")
    DOTS = "dots", _("Punkte kleben")
    SCALE = "scale", _("Skala 1–5")
    RANKING = "ranking", _("Rangfolge")
    WORDS = "words", _("Wortwolke")


class PollState(models.TextChoices):
    DRAFT = "draft", _("vorbereitet")
    OPEN = "open", _("offen")
    CLOSED = "closed", _("geschlossen")


class Poll(models.Model):
    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="polls")
    question = models.CharField(max_length=POLL_QUESTION_MAX)
    kind = models.CharField(max_length=10, choices=PollKind.choices)
    state = models.CharField(max_length=10, choices=PollState.choices, default=PollState.DRAFT)
    dots = models.PositiveSmallIntegerField(null=True, blank=True)
    max_per_option = models.PositiveSmallIntegerField(null=True, blank=True)
    # Hidden results are shown to the facilitator only, until revealed.
    results_hidden = models.BooleanField(default=False)
    revealed = models.BooleanField(default=False)
    final_results = models.JSONField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return self.question

    @property
    def results_public(self):
        return not self.results_hidden or self.revealed


class PollOption(models.Model):
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="options")
    position = models.PositiveSmallIntegerField()
    label = models.CharField(max_length=POLL_OPTION_MAX)
    card = models.ForeignKey(Card, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    cluster = models.ForeignKey(Cluster, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    measure = models.ForeignKey(Measure, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["poll", "position"]
        constraints = [models.UniqueConstraint(fields=["poll", "position"], name="poll_option_position_unique")]


class PollVote(models.Model):
    """One vote (or dot allocation) per participant and poll; changing it replaces it."""

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="votes")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="votes")
    choice = models.JSONField()
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["poll", "participant"], name="one_vote_per_participant")]


class AgendaItem(models.Model):
    """A round of the workshop prepared in advance (collect, cluster, vote …) with its time."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="agenda_items")
    position = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(max_length=AGENDA_TITLE_MAX)
    # The phase the round switches to when started ("" = leave the phase as it is).
    phase = models.CharField(max_length=10, choices=Phase.choices, blank=True)
    minutes = models.PositiveSmallIntegerField(default=10)
    started = models.DateTimeField(null=True, blank=True)
    done = models.BooleanField(default=False)

    class Meta:
        ordering = ["workshop", "position", "id"]

    def __str__(self):
        return self.title


class TimerState(models.TextChoices):
    STOPPED = "stopped", _("angehalten")
    RUNNING = "running", _("läuft")
    PAUSED = "paused", _("pausiert")


class Timer(models.Model):
    """The plenary's timer (``group`` null) or a breakout group's. Runs on server time:
    clients count down to ``ends_at`` corrected by the server clock they are sent."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="timers")
    group = models.OneToOneField(BreakoutGroup, on_delete=models.CASCADE, null=True, blank=True, related_name="timer")
    state = models.CharField(max_length=10, choices=TimerState.choices, default=TimerState.STOPPED)
    duration_ms = models.PositiveIntegerField(default=0)
    ends_at = models.DateTimeField(null=True, blank=True)  # while running
    remaining_ms = models.PositiveIntegerField(default=0)  # while paused or stopped

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["workshop"], condition=Q(group__isnull=True), name="one_plenary_timer"),
        ]


class Question(models.Model):
    """A question of the audience (Q&A): upvoted by participants, marked answered by the facilitator."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="questions")
    author = models.ForeignKey(Participant, on_delete=models.SET_NULL, null=True, related_name="+")
    anonymous = models.BooleanField(default=False)
    text = models.TextField(max_length=QUESTION_TEXT_MAX)
    answered = models.BooleanField(default=False)
    hidden = models.BooleanField(default=False)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return self.text[:50]


class QuestionVote(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="votes")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["question", "participant"], name="one_upvote_per_participant")]


class Audience(models.TextChoices):
    """Who sees an event as it is; everyone else gets its ``public`` form (same seq)."""

    EVERYONE = "", _("alle")
    FACILITATORS = "facilitators", _("Moderation")
    PARTICIPANT = "participant", _("eine Person")


class WorkshopEvent(models.Model):
    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="events")
    seq = models.PositiveBigIntegerField()
    name = models.CharField(max_length=40)
    data = models.JSONField(default=dict)
    actor = models.ForeignKey(Participant, on_delete=models.SET_NULL, null=True, related_name="+")
    # Secrecy (brainwriting, hidden cards): only this audience sees name and data; the
    # others get ``public`` ({"name", "data"}) under the same seq, so nobody sees a gap.
    audience = models.CharField(max_length=12, choices=Audience.choices, blank=True, default="")
    audience_participant = models.ForeignKey(Participant, on_delete=models.CASCADE, null=True, related_name="+")
    public = models.JSONField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["workshop", "seq"]
        constraints = [models.UniqueConstraint(fields=["workshop", "seq"], name="event_seq_unique_per_workshop")]

    def as_frame(self):
        """The frame as the hub receives it: restricted events carry who may see them
        and their public form; ``frames.for_viewer`` picks what a socket is sent."""
        frame = {"type": "event", "seq": self.seq, "name": self.name, "data": self.data}
        if self.audience:
            frame["audience"] = {
                "kind": self.audience,
                "participant": self.audience_participant_id,
                "public": self.public or {"name": "hidden", "data": {}},
            }
        return frame


class CommandReceipt(models.Model):
    """Remembers applied command ids so that a retried command is acknowledged, not re-applied."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="+")
    command_id = models.CharField(max_length=64)
    seq = models.PositiveBigIntegerField(null=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["participant", "command_id"], name="command_id_unique")]
