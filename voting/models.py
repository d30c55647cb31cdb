"""Citizen consultations: the ballot box and the register of who voted, kept apart.

- ``VoterRecord`` (the register) knows who took part, never what they voted.
- ``Ballot`` (the box) knows what was voted, never who: it is keyed by
  ``ballot_key``, an HMAC of the voter's identity under a server secret, so that a
  voter can replace their own ballot while the tables hold no link to a person.
  Ballots have random UUID keys and no timestamps, so neither order nor time ties a
  ballot to a row of the register.
"""

import uuid

from django.conf import settings as django_settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from participation.models import Measure, Process, Translated


class Method(models.TextChoices):
    APPROVAL = "approval", _("Zustimmung")
    SCORE = "score", _("Bewertung")
    RANKING = "ranking", _("Rangfolge")
    POINTS = "points", _("Punkte verteilen")
    PAIRWISE = "pairwise", _("Paarvergleich")
    OPINION = "opinion", _("Meinungslandkarte")


class BudgetBallot(models.TextChoices):
    """How a participatory budget's ballot chooses projects (``settings.budget_ballot``)."""

    KNAPSACK = "knapsack", _("Projekte wählen, deren Kosten zusammen ins Budget passen")
    APPROVAL = "approval", _("Allen Projekten zustimmen, die man unterstützt")
    POINTS = "points", _("Punkte auf Projekte verteilen")


class BudgetRule(models.TextChoices):
    """Which count decides what a participatory budget funds (``settings.budget_rule``)."""

    EQUAL_SHARES = "equal_shares", _("Methode der gleichen Anteile")
    GREEDY = "greedy", _("Nach Stimmen, solange das Geld reicht")


def method_name(method, settings=None):
    """A method's name for people (an unknown value as it is)."""
    if method == Method.POINTS and (settings or {}).get("use_costs"):
        return str(_("Bürgerhaushalt"))
    return str(Method(method).label) if method in Method.values else method


class Eligibility(models.TextChoices):
    ACCOUNT = "account", _("bestätigtes Konto")
    ACCESS_CODE = "access_code", _("Zugangscode")
    OPEN = "open", _("offen (unverbindlich)")


class ConsultationState(models.TextChoices):
    DRAFT = "draft", _("Entwurf")
    OPEN = "open", _("offen")
    CLOSED = "closed", _("geschlossen")


class Phase(models.TextChoices):
    """What a consultation is now, by its state and the clock."""

    DRAFT = "draft", _("Entwurf")
    SCHEDULED = "scheduled", _("geplant")
    OPEN = "open", _("läuft")
    CLOSED = "closed", _("beendet")


class ReceiptLookup(models.TextChoices):
    """What the public lookup of a receipt shows after the results are published."""

    CONTENT = "content", _("die Stimme (überprüfbar, aber vorzeigbar)")
    COUNTED = "counted", _("nur „gezählt“ (nicht vorzeigbar)")


class Consultation(Translated):
    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="consultations")
    title = models.CharField(_("Titel"), max_length=200)
    title_en = models.CharField(_("Titel (englisch)"), max_length=200, blank=True)
    description = models.TextField(_("Erläuterung"), max_length=20000, blank=True)
    description_en = models.TextField(_("Erläuterung (englisch)"), max_length=20000, blank=True)
    method = models.CharField(_("Verfahren"), max_length=10, choices=Method.choices)
    settings = models.JSONField(_("Einstellungen"), default=dict, blank=True)
    eligibility = models.CharField(_("Teilnahme"), max_length=12, choices=Eligibility.choices)
    state = models.CharField(_("Status"), max_length=10, choices=ConsultationState.choices, default="draft")
    opens_at = models.DateTimeField(_("öffnet"), null=True, blank=True)
    closes_at = models.DateTimeField(_("schließt"), null=True, blank=True)
    interim_results = models.BooleanField(_("Zwischenergebnisse sichtbar"), default=False)
    receipt_lookup = models.CharField(
        _("Quittung zeigt"), max_length=8, choices=ReceiptLookup.choices, default=ReceiptLookup.CONTENT
    )
    # When the ballot box was last re-mixed (voting/mixing.py); after closing, a mix later
    # than ``closes_at`` means the box is sealed.
    box_mixed_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        django_settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Befragung")
        verbose_name_plural = _("Befragungen")
        ordering = ["-created"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__isnull=True) | Q(opens_at__isnull=True) | Q(closes_at__gt=models.F("opens_at")),
                name="consultation_closes_after_opening",
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("consultations:detail", args=[self.pk])

    def phase_at(self, now=None):
        now = now or timezone.now()
        if self.state == ConsultationState.DRAFT:
            return Phase.DRAFT
        if self.state == ConsultationState.CLOSED or (self.closes_at and now >= self.closes_at):
            return Phase.CLOSED
        if self.opens_at and now < self.opens_at:
            return Phase.SCHEDULED
        return Phase.OPEN

    @property
    def phase(self):
        return self.phase_at()

    @property
    def phase_label(self):
        return Phase(self.phase).label

    @property
    def method_label(self):
        """The method's name; a points consultation with costs is a participatory budget."""
        return method_name(self.method, self.settings)

    @property
    def is_accepting(self):
        return self.phase == Phase.OPEN


class ConsultationOption(models.Model):
    """A measure on the ballot."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="options")
    measure = models.ForeignKey(Measure, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveIntegerField(default=0)
    added = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["consultation", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["consultation", "measure"], name="measure_once_per_consultation"),
        ]

    def __str__(self):
        return f"{self.consultation_id}: {self.measure_id}"


class AccessCode(models.Model):
    """A one-voter code from a printed letter. Only a keyed hash of the code is stored."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="access_codes")
    code_hash = models.CharField(max_length=64)
    batch = models.PositiveIntegerField(default=1)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["consultation", "code_hash"], name="access_code_unique")]


class Channel(models.TextChoices):
    """How a ballot reached the box: cast online, or a paper ballot typed in by election workers."""

    ONLINE = "online", _("online")
    PAPER = "paper", _("auf Papier")


class VoterRecord(models.Model):
    """The register: this voter has cast a ballot. Holds nothing of the ballot."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="voters")
    # Exactly one of these says who the voter is.
    user = models.ForeignKey(django_settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    access_code = models.OneToOneField(AccessCode, on_delete=models.CASCADE, null=True, related_name="voter")
    browser_hash = models.CharField(max_length=64, blank=True)
    # Rounded to the hour: enough for turnout over time, too coarse to match ballots.
    first_voted_hour = models.DateTimeField()
    changes = models.PositiveIntegerField(default=0)
    channel = models.CharField(max_length=6, choices=Channel.choices, default=Channel.ONLINE, db_default=Channel.ONLINE)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "user"], condition=Q(user__isnull=False), name="one_record_per_user"
            ),
            models.UniqueConstraint(
                fields=["consultation", "browser_hash"], condition=~Q(browser_hash=""), name="one_record_per_browser"
            ),
        ]


class Ballot(models.Model):
    """The box: one ballot per voter (by ``ballot_key``); the last one cast counts."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="ballots")
    ballot_key = models.CharField(max_length=64)
    receipt = models.CharField(max_length=20)
    content = models.JSONField()
    # Only how the ballot came in (shown in the open data), nothing of who or when.
    channel = models.CharField(max_length=6, choices=Channel.choices, default=Channel.ONLINE, db_default=Channel.ONLINE)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["consultation", "ballot_key"], name="one_ballot_per_voter"),
            models.UniqueConstraint(fields=["consultation", "receipt"], name="receipt_unique"),
            models.CheckConstraint(condition=Q(channel__in=["online", "paper"]), name="ballot_channel"),
        ]


class ElectionWorker(models.Model):
    """Someone the facilitators named to type in the paper ballots of one consultation
    (voting/paper_actions.py). A facilitator is not one unless named."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="election_workers")
    user = models.ForeignKey(django_settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    added_by = models.ForeignKey(
        django_settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["consultation", "created", "id"]
        constraints = [
            models.UniqueConstraint(fields=["consultation", "user"], name="election_worker_once"),
        ]


class PaperState(models.TextChoices):
    """Where a returned paper ballot stands (one per access code)."""

    WAITING = "waiting", _("wartet auf die zweite Eingabe")
    COUNTED = "counted", _("gezählt")
    DISPUTED = "disputed", _("Eingaben weichen ab")
    REFUSED = "refused", _("zurückgewiesen: der Code wurde online verwendet")
    # Two people agreed that its marks cannot be counted: nothing in the box, the code spent.
    SPOILED = "spoiled", _("ungültig")


class PaperBallot(models.Model):
    """A returned paper ballot, by the access code printed on its letter: its row is the
    lock under which the entries of this code are compared (select_for_update), and its
    state says what came of them. Counted means its ballot is in the box (channel paper);
    spoiled means two people agreed that it cannot be counted (nothing in the box, but the
    code is spent)."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="paper_ballots")
    access_code = models.OneToOneField(AccessCode, on_delete=models.CASCADE, related_name="paper_ballot")
    state = models.CharField(max_length=8, choices=PaperState.choices, default=PaperState.WAITING)
    # The code's last four characters, so that people can find the paper in the pile;
    # the code itself is stored only as the access code's keyed hash.
    code_end = models.CharField(max_length=4, blank=True)
    # Who decided a disputed ballot (the third entry that matched an earlier one).
    decided_by = models.ForeignKey(
        django_settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=["waiting", "counted", "disputed", "refused", "spoiled"]),
                name="paper_ballot_state",
            ),
        ]


class PaperEntry(models.Model):
    """One person's typing of one paper ballot: its content (normalised as an online
    ballot), or ``spoiled`` when the person found it cannot be counted (then no content).
    The content is kept only while the ballot is undecided: once counted, spoiled or
    refused, it is cleared, so that no table ties an access code to a vote."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="paper_entries")
    access_code = models.ForeignKey(AccessCode, on_delete=models.CASCADE, related_name="paper_entries")
    worker = models.ForeignKey(django_settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    content = models.JSONField(null=True, blank=True)
    spoiled = models.BooleanField(default=False, db_default=False)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["access_code", "worker"], condition=Q(worker__isnull=False), name="paper_entry_once_per_worker"
            ),
        ]


class PairwiseVote(models.Model):
    """One answer in a pairwise wiki survey. ``ballot_key`` as in Ballot: no person."""

    class Choice(models.TextChoices):
        LEFT = "left", _("links")
        RIGHT = "right", _("rechts")
        SKIP = "skip", _("kann mich nicht entscheiden")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="pairwise_votes")
    ballot_key = models.CharField(max_length=64, db_index=True)
    left = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="+")
    right = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="+")
    choice = models.CharField(max_length=5, choices=Choice.choices)
    # The client's id for this answer: sent again after a failed request, it is not counted twice.
    request_id = models.CharField(max_length=64, blank=True, default="")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "ballot_key", "request_id"],
                condition=~models.Q(request_id=""),
                name="pairwise_vote_once_per_request",
            )
        ]


class ProposalStatus(models.TextChoices):
    PENDING = "pending", _("wartet auf Prüfung")
    APPROVED = "approved", _("aufgenommen")
    REJECTED = "rejected", _("abgelehnt")


class Proposal(models.Model):
    """A citizen's new measure for a pairwise consultation; enters after approval."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="proposals")
    title = models.CharField(max_length=200)
    description = models.TextField(max_length=2000, blank=True)
    status = models.CharField(max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.PENDING)
    measure = models.ForeignKey(Measure, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    # The proposer's ballot key, only to limit how many proposals one voter makes.
    proposer_key = models.CharField(max_length=64, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created"]

    def __str__(self):
        return self.title


class StatementState(models.TextChoices):
    PENDING = "pending", _("wartet auf Prüfung")
    PUBLISHED = "published", _("sichtbar")
    HIDDEN = "hidden", _("ausgeblendet")


STATEMENT_LENGTH = 280


class Statement(Translated):
    """A short statement of an opinion map, which participants agree with, disagree with
    or pass. The facilitators' own are visible at once, the participants' after review."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="statements")
    text = models.CharField(max_length=STATEMENT_LENGTH)
    text_en = models.CharField(max_length=STATEMENT_LENGTH, blank=True)
    state = models.CharField(max_length=10, choices=StatementState.choices, default=StatementState.PENDING)
    by_facilitators = models.BooleanField(default=False)
    # The author's ballot key, only to limit how many statements one participant adds.
    author_key = models.CharField(max_length=64, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created", "id"]

    def __str__(self):
        return self.text

    @property
    def text_t(self):
        return self.tr("text")


class StatementVote(models.Model):
    """One participant's answer to one statement: agree (1), disagree (-1) or pass (0);
    the last answer counts. ``ballot_key`` as in Ballot: no person."""

    class Answer(models.IntegerChoices):
        AGREE = 1, _("stimme zu")
        DISAGREE = -1, _("stimme nicht zu")
        PASS = 0, _("weiß nicht")

    # Random ids, as for pairwise answers: a sequence would keep the order of answering.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="votes")
    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="statement_votes")
    ballot_key = models.CharField(max_length=64)
    value = models.SmallIntegerField(choices=Answer.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["statement", "ballot_key"], name="one_answer_per_statement"),
            models.CheckConstraint(condition=Q(value__in=[-1, 0, 1]), name="statement_answer_values"),
        ]
        indexes = [models.Index(fields=["consultation", "ballot_key"], name="statement_votes_of_voter")]
