"""The core domain: the participation process and the strategy it informs about.

Texts shown to citizens are stored in German (the main field) with an optional
English translation in a field ending in ``_en``; ``Translated.tr()`` picks the
one for the active language and falls back to German.
"""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CITIZEN = "citizen", _("Bürgerin/Bürger")
    EXPERT = "expert", _("Expertin/Experte")
    FACILITATOR = "facilitator", _("Moderation")


class NotificationMail(models.TextChoices):
    IMMEDIATE = "immediate", _("sofort")
    WEEKLY = "weekly", _("einmal pro Woche als Übersicht")
    OFF = "off", _("keine E-Mails")


class User(AbstractUser):
    """An account. Facilitators manage processes they are listed on."""

    role = models.CharField(_("Rolle"), max_length=20, choices=Role.choices, default=Role.CITIZEN)
    email_verified = models.BooleanField(_("E-Mail bestätigt"), default=False)
    # How news of what the account follows reaches it, and in which language.
    notification_mail = models.CharField(
        _("E-Mails über Neuigkeiten"),
        max_length=20,
        choices=NotificationMail.choices,
        default=NotificationMail.IMMEDIATE,
    )
    language = models.CharField(_("Sprache der E-Mails"), max_length=8, choices=settings.LANGUAGES, default="de")

    class Meta:
        verbose_name = _("Konto")
        verbose_name_plural = _("Konten")
        constraints = [
            models.UniqueConstraint(Lower("email"), condition=~Q(email=""), name="user_email_unique_ci"),
        ]

    @property
    def is_facilitator(self):
        return self.role == Role.FACILITATOR or self.is_superuser


class Translated(models.Model):
    """Adds ``tr(field)``: the English text when English is active and filled in."""

    class Meta:
        abstract = True

    def tr(self, field):
        if (get_language() or "de").startswith("en"):
            english = getattr(self, f"{field}_en", "")
            if english:
                return english
        return getattr(self, field)

    # Shortcuts used by templates, where arguments cannot be passed.
    @property
    def title_t(self):
        return self.tr("title")

    @property
    def summary_t(self):
        return self.tr("summary")

    @property
    def description_t(self):
        return self.tr("description")


class Timestamped(models.Model):
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class ProcessQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published=True)


class Process(Translated, Timestamped):
    """A participation process, e.g. Heilbronn's "Gesamtkonzept Digitalisierung"."""

    title = models.CharField(_("Titel"), max_length=200)
    title_en = models.CharField(_("Titel (englisch)"), max_length=200, blank=True)
    slug = models.SlugField(_("Kurzname"), max_length=80, unique=True)
    summary = models.CharField(_("Kurzbeschreibung"), max_length=500, blank=True)
    summary_en = models.CharField(_("Kurzbeschreibung (englisch)"), max_length=500, blank=True)
    description = models.TextField(_("Beschreibung"), max_length=20000, blank=True)
    description_en = models.TextField(_("Beschreibung (englisch)"), max_length=20000, blank=True)
    starts_on = models.DateField(_("Beginn"), null=True, blank=True)
    ends_on = models.DateField(_("Ende"), null=True, blank=True)
    published = models.BooleanField(_("veröffentlicht"), default=False)
    facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="facilitated_processes", verbose_name=_("Moderation")
    )

    objects = ProcessQuerySet.as_manager()

    class Meta:
        verbose_name = _("Beteiligungsprozess")
        verbose_name_plural = _("Beteiligungsprozesse")
        ordering = ["-starts_on", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(starts_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="process_ends_after_start",
            )
        ]

    def __str__(self):
        return self.title

    def clean(self):
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("Das Ende liegt vor dem Beginn.")})

    def get_absolute_url(self):
        return reverse("pages:process", args=[self.slug])


class PhaseKind(models.TextChoices):
    """The stages of a participation process, in their usual order."""

    INFORMATION = "information", _("Information")
    WORKSHOPS = "workshops", _("Expertenworkshops")
    CONSULTATION = "consultation", _("Befragung")
    EVALUATION = "evaluation", _("Auswertung")
    DECISION = "decision", _("Entscheidung")
    IMPLEMENTATION = "implementation", _("Umsetzung")


class ProcessPhase(Translated):
    """One dated phase of a process's timeline, with what happens in it."""

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="phases", verbose_name=_("Prozess"))
    kind = models.CharField(_("Art"), max_length=20, choices=PhaseKind.choices)
    title = models.CharField(
        _("Titel"), max_length=120, blank=True, help_text=_("Leer lassen: der Name der Art, z. B. „Befragung“.")
    )
    title_en = models.CharField(_("Titel (englisch)"), max_length=120, blank=True)
    description = models.TextField(_("Was in dieser Phase geschieht"), max_length=2000, blank=True)
    description_en = models.TextField(_("Was in dieser Phase geschieht (englisch)"), max_length=2000, blank=True)
    starts_on = models.DateField(_("Beginn"))
    ends_on = models.DateField(_("Ende"), null=True, blank=True, help_text=_("Leer lassen, wenn offen."))

    class Meta:
        verbose_name = _("Phase")
        verbose_name_plural = _("Phasen")
        ordering = ["process", "starts_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="phase_ends_after_start",
            )
        ]

    def __str__(self):
        return f"{self.process}: {self.name}"

    def clean(self):
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("Das Ende liegt vor dem Beginn.")})

    @property
    def name(self):
        """Its title, or the name of its kind, in the active language."""
        return self.tr("title") or self.get_kind_display()


class FieldOfActionQuerySet(models.QuerySet):
    def published(self):
        return self.filter(process__published=True)


class FieldOfAction(Translated, Timestamped):
    """A Handlungsfeld of the strategy, e.g. mobility or e-government."""

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="fields", verbose_name=_("Prozess"))
    title = models.CharField(_("Titel"), max_length=200)
    title_en = models.CharField(_("Titel (englisch)"), max_length=200, blank=True)
    slug = models.SlugField(_("Kurzname"), max_length=80)
    summary = models.CharField(_("Kurzbeschreibung"), max_length=500, blank=True)
    summary_en = models.CharField(_("Kurzbeschreibung (englisch)"), max_length=500, blank=True)
    description = models.TextField(_("Beschreibung"), max_length=20000, blank=True)
    description_en = models.TextField(_("Beschreibung (englisch)"), max_length=20000, blank=True)
    position = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)

    objects = FieldOfActionQuerySet.as_manager()

    class Meta:
        verbose_name = _("Handlungsfeld")
        verbose_name_plural = _("Handlungsfelder")
        ordering = ["process", "position", "title"]
        constraints = [models.UniqueConstraint(fields=["process", "slug"], name="field_slug_unique_per_process")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("pages:field", args=[self.process.slug, self.slug])


class MeasureStatus(models.TextChoices):
    PROPOSED = "proposed", _("vorgeschlagen")
    PLANNED = "planned", _("geplant")
    IN_PROGRESS = "in_progress", _("in Umsetzung")
    DONE = "done", _("umgesetzt")
    REJECTED = "rejected", _("abgelehnt")


class MeasureOrigin(models.TextChoices):
    CATALOGUE = "catalogue", _("Maßnahmenkatalog")
    WORKSHOP = "workshop", _("Expertenworkshop")
    CITIZEN = "citizen", _("Bürgervorschlag")


class MeasureQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published=True, process__published=True)


class Measure(Translated, Timestamped):
    """A proposed Smart City measure in the catalogue of a process."""

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="measures", verbose_name=_("Prozess"))
    field = models.ForeignKey(
        FieldOfAction,
        on_delete=models.PROTECT,
        related_name="measures",
        null=True,
        blank=True,
        verbose_name=_("Handlungsfeld"),
    )
    title = models.CharField(_("Titel"), max_length=200)
    title_en = models.CharField(_("Titel (englisch)"), max_length=200, blank=True)
    slug = models.SlugField(_("Kurzname"), max_length=80)
    summary = models.CharField(_("Kurzbeschreibung"), max_length=500, blank=True)
    summary_en = models.CharField(_("Kurzbeschreibung (englisch)"), max_length=500, blank=True)
    description = models.TextField(_("Beschreibung"), max_length=20000, blank=True)
    description_en = models.TextField(_("Beschreibung (englisch)"), max_length=20000, blank=True)
    status = models.CharField(_("Status"), max_length=20, choices=MeasureStatus.choices, default=MeasureStatus.PROPOSED)
    origin = models.CharField(
        _("Herkunft"), max_length=20, choices=MeasureOrigin.choices, default=MeasureOrigin.CATALOGUE
    )
    estimated_cost = models.DecimalField(
        _("geschätzte Kosten (EUR)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    published = models.BooleanField(_("veröffentlicht"), default=True)

    objects = MeasureQuerySet.as_manager()

    class Meta:
        verbose_name = _("Maßnahme")
        verbose_name_plural = _("Maßnahmen")
        ordering = ["process", "field__position", "title"]
        constraints = [
            models.UniqueConstraint(fields=["process", "slug"], name="measure_slug_unique_per_process"),
            models.CheckConstraint(
                condition=Q(estimated_cost__isnull=True) | Q(estimated_cost__gte=0), name="measure_cost_not_negative"
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        if self.field_id and self.process_id and self.field.process_id != self.process_id:
            raise ValidationError({"field": _("Das Handlungsfeld gehört zu einem anderen Prozess.")})

    def get_absolute_url(self):
        return reverse("pages:measure", args=[self.process.slug, self.slug])


class OwnerKind(models.TextChoices):
    CITY = "city", _("Stadtverwaltung")
    COMPANY = "company", _("Unternehmen")


class ProjectStatus(models.TextChoices):
    PLANNED = "planned", _("geplant")
    RUNNING = "running", _("laufend")
    COMPLETED = "completed", _("abgeschlossen")
    DROPPED = "dropped", _("eingestellt")


def optional_coordinate(label, limit):
    """Degrees of latitude (``limit`` 90) or longitude (180), to five places (about a metre)."""
    return models.DecimalField(
        label,
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(-limit), MaxValueValidator(limit)],
    )


class ProjectQuerySet(models.QuerySet):
    def published(self):
        return self.filter(public=True, process__published=True)


class Project(Translated, Timestamped):
    """One entry of the inventory (Bestandserhebung) of digital projects."""

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="projects", verbose_name=_("Prozess"))
    field = models.ForeignKey(
        FieldOfAction,
        on_delete=models.PROTECT,
        related_name="projects",
        null=True,
        blank=True,
        verbose_name=_("Handlungsfeld"),
    )
    title = models.CharField(_("Titel"), max_length=200)
    title_en = models.CharField(_("Titel (englisch)"), max_length=200, blank=True)
    slug = models.SlugField(_("Kurzname"), max_length=80)
    summary = models.CharField(_("Kurzbeschreibung"), max_length=500, blank=True)
    summary_en = models.CharField(_("Kurzbeschreibung (englisch)"), max_length=500, blank=True)
    description = models.TextField(_("Beschreibung"), max_length=20000, blank=True)
    description_en = models.TextField(_("Beschreibung (englisch)"), max_length=20000, blank=True)
    owner_organisation = models.CharField(_("Träger"), max_length=200)
    owner_kind = models.CharField(_("Art des Trägers"), max_length=20, choices=OwnerKind.choices)
    status = models.CharField(_("Status"), max_length=20, choices=ProjectStatus.choices, default=ProjectStatus.PLANNED)
    starts_on = models.DateField(_("Beginn"), null=True, blank=True)
    ends_on = models.DateField(_("Ende"), null=True, blank=True)
    contact_name = models.CharField(_("Ansprechperson"), max_length=200, blank=True)
    contact_email = models.EmailField(_("Kontakt-E-Mail"), blank=True)
    public = models.BooleanField(
        _("öffentlich"), default=True, help_text=_("Interne Projekte sind nur für die Moderation sichtbar.")
    )
    # Where the project happens, if at one place: shown on the map.
    latitude = optional_coordinate(_("Breitengrad"), 90)
    longitude = optional_coordinate(_("Längengrad"), 180)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("Projekt")
        verbose_name_plural = _("Projekte")
        ordering = ["process", "title"]
        constraints = [
            models.UniqueConstraint(fields=["process", "slug"], name="project_slug_unique_per_process"),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(starts_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="project_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__gte=-90, latitude__lte=90, longitude__gte=-180, longitude__lte=180),
                name="project_location_whole_and_in_range",
            ),
        ]

    @property
    def located(self):
        return self.latitude is not None and self.longitude is not None

    def __str__(self):
        return self.title

    def clean(self):
        errors = {}
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = _("Das Ende liegt vor dem Beginn.")
        if self.field_id and self.process_id and self.field.process_id != self.process_id:
            errors["field"] = _("Das Handlungsfeld gehört zu einem anderen Prozess.")
        if (self.latitude is None) != (self.longitude is None):
            errors["longitude" if self.longitude is None else "latitude"] = _(
                "Ein Ort braucht Breiten- und Längengrad, oder keines von beiden."
            )
        if errors:
            raise ValidationError(errors)

    def get_absolute_url(self):
        return reverse("pages:project", args=[self.process.slug, self.slug])


STATUS_REASON_MAX_LENGTH = 1000


class StatusChange(Translated):
    """One step in the dated status history of a measure or an inventory project: its new
    status, why, who set it and when. Written by ``actions.change_status`` only."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, null=True, blank=True, related_name="status_changes")
    project = models.ForeignKey(Project, on_delete=models.CASCADE, null=True, blank=True, related_name="status_changes")
    status = models.CharField(_("Status"), max_length=20)
    reason = models.TextField(_("Begründung"), max_length=STATUS_REASON_MAX_LENGTH, blank=True)
    reason_en = models.TextField(_("Begründung (englisch)"), max_length=STATUS_REASON_MAX_LENGTH, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField(_("geändert am"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("Statusänderung")
        verbose_name_plural = _("Statusänderungen")
        ordering = ["changed_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(measure__isnull=False, project__isnull=True) | Q(measure__isnull=True, project__isnull=False)
                ),
                name="status_change_has_exactly_one_target",
            )
        ]

    def __str__(self):
        return f"{self.target}: {self.status} ({self.changed_at:%Y-%m-%d})"

    @property
    def target(self):
        return self.measure if self.measure_id else self.project

    @property
    def reason_t(self):
        return self.tr("reason")

    def get_status_display(self):
        choices = MeasureStatus if self.measure_id else ProjectStatus
        return dict(choices.choices).get(self.status, self.status)


class LivingLabQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published=True, process__published=True)


def validate_boundary(value):
    """A boundary is a list of at least three [latitude, longitude] pairs."""
    if value in (None, []):
        return
    if not isinstance(value, list) or len(value) < 3:
        raise ValidationError(_("Eine Fläche braucht mindestens drei Eckpunkte."))
    for point in value:
        if (
            not isinstance(point, list | tuple)
            or len(point) != 2
            or not all(isinstance(c, int | float) and not isinstance(c, bool) for c in point)
            or not (-90 <= point[0] <= 90 and -180 <= point[1] <= 180)
        ):
            raise ValidationError(_("Jeder Eckpunkt ist ein Paar [Breite, Länge] in Grad."))


class LivingLab(Translated, Timestamped):
    """A Reallabor: an area of the city where new products are tried out."""

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="labs", verbose_name=_("Prozess"))
    title = models.CharField(_("Name"), max_length=200)
    title_en = models.CharField(_("Name (englisch)"), max_length=200, blank=True)
    slug = models.SlugField(_("Kurzname"), max_length=80)
    summary = models.CharField(_("Kurzbeschreibung"), max_length=500, blank=True)
    summary_en = models.CharField(_("Kurzbeschreibung (englisch)"), max_length=500, blank=True)
    description = models.TextField(_("Was hier erprobt wird"), max_length=20000, blank=True)
    description_en = models.TextField(_("Was hier erprobt wird (englisch)"), max_length=20000, blank=True)
    area_description = models.TextField(_("Gebiet"), max_length=2000, blank=True)
    area_description_en = models.TextField(_("Gebiet (englisch)"), max_length=2000, blank=True)
    latitude = models.DecimalField(
        _("Breitengrad"), max_digits=8, decimal_places=5, validators=[MinValueValidator(-90), MaxValueValidator(90)]
    )
    longitude = models.DecimalField(
        _("Längengrad"), max_digits=8, decimal_places=5, validators=[MinValueValidator(-180), MaxValueValidator(180)]
    )
    boundary = models.JSONField(
        _("Umriss"), default=list, blank=True, validators=[validate_boundary], help_text=_("Liste von [Breite, Länge]")
    )
    projects = models.ManyToManyField(Project, blank=True, related_name="labs", verbose_name=_("Projekte"))
    published = models.BooleanField(_("veröffentlicht"), default=True)

    objects = LivingLabQuerySet.as_manager()

    class Meta:
        verbose_name = _("Reallabor")
        verbose_name_plural = _("Reallabore")
        ordering = ["process", "title"]
        constraints = [
            models.UniqueConstraint(fields=["process", "slug"], name="lab_slug_unique_per_process"),
            models.CheckConstraint(
                condition=Q(latitude__gte=-90, latitude__lte=90, longitude__gte=-180, longitude__lte=180),
                name="lab_coordinates_in_range",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def name(self):
        return self.title

    @property
    def area_description_t(self):
        return self.tr("area_description")

    def get_absolute_url(self):
        return reverse("pages:lab", args=[self.process.slug, self.slug])


class FeedbackStatus(models.TextChoices):
    VISIBLE = "visible", _("sichtbar")
    HIDDEN = "hidden", _("ausgeblendet")


class FeedbackQuerySet(models.QuerySet):
    def visible(self):
        return self.filter(status=FeedbackStatus.VISIBLE)


FEEDBACK_MAX_LENGTH = 2000


class Feedback(models.Model):
    """A comment of a signed-in citizen on exactly one of: process, measure, project, lab."""

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="feedback", verbose_name=_("Verfasst von")
    )
    process = models.ForeignKey(Process, on_delete=models.CASCADE, null=True, blank=True, related_name="feedback")
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, null=True, blank=True, related_name="feedback")
    project = models.ForeignKey(Project, on_delete=models.CASCADE, null=True, blank=True, related_name="feedback")
    lab = models.ForeignKey(LivingLab, on_delete=models.CASCADE, null=True, blank=True, related_name="feedback")
    text = models.TextField(_("Text"), max_length=FEEDBACK_MAX_LENGTH)
    status = models.CharField(
        _("Status"), max_length=20, choices=FeedbackStatus.choices, default=FeedbackStatus.VISIBLE
    )
    flagged = models.BooleanField(
        _("gemeldet"), default=False, help_text=_("Von Nutzenden gemeldet, noch nicht geprüft.")
    )
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    moderated_at = models.DateTimeField(null=True, blank=True)
    moderation_reason = models.CharField(_("Begründung der Moderation"), max_length=500, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    # A place inside the living lab the feedback is about (only for feedback on a lab).
    latitude = models.DecimalField(_("Breitengrad"), max_digits=8, decimal_places=5, null=True, blank=True)
    longitude = models.DecimalField(_("Längengrad"), max_digits=8, decimal_places=5, null=True, blank=True)

    objects = FeedbackQuerySet.as_manager()

    TARGET_FIELDS = ("process", "measure", "project", "lab")

    class Meta:
        verbose_name = _("Rückmeldung")
        verbose_name_plural = _("Rückmeldungen")
        ordering = ["created"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(process__isnull=False, measure__isnull=True, project__isnull=True, lab__isnull=True)
                    | Q(process__isnull=True, measure__isnull=False, project__isnull=True, lab__isnull=True)
                    | Q(process__isnull=True, measure__isnull=True, project__isnull=False, lab__isnull=True)
                    | Q(process__isnull=True, measure__isnull=True, project__isnull=True, lab__isnull=False)
                ),
                name="feedback_has_exactly_one_target",
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(lab__isnull=False, latitude__gte=-90, latitude__lte=90, longitude__gte=-180, longitude__lte=180),
                name="feedback_place_only_in_a_lab",
            ),
        ]

    @property
    def located(self):
        return self.latitude is not None and self.longitude is not None

    def __str__(self):
        return f"{self.author}: {self.text[:40]}"

    @property
    def official_answer(self):
        """The city's answer, or None."""
        try:
            return self.answer
        except ObjectDoesNotExist:
            return None

    @property
    def target(self):
        for name in self.TARGET_FIELDS:
            obj = getattr(self, name)
            if obj is not None:
                return obj
        return None


class AnswerState(models.TextChoices):
    """What the city made of a piece of feedback, as its official answer says."""

    CONSIDERED = "considered", _("geprüft")
    IN_PROGRESS = "in_progress", _("in Bearbeitung")
    ADOPTED = "adopted", _("übernommen")
    NOT_ADOPTED = "not_adopted", _("nicht übernommen")


ANSWER_MAX_LENGTH = 4000


class FeedbackAnswer(models.Model):
    """The city's public answer to one piece of feedback, written by a facilitator of its
    process. It belongs to the city: it stays when the facilitator's account goes."""

    feedback = models.OneToOneField(Feedback, on_delete=models.CASCADE, related_name="answer")
    text = models.TextField(_("Antwort"), max_length=ANSWER_MAX_LENGTH)
    state = models.CharField(_("Stand"), max_length=20, choices=AnswerState.choices)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="feedback_answers",
        verbose_name=_("beantwortet von"),
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Antwort auf eine Rückmeldung")
        verbose_name_plural = _("Antworten auf Rückmeldungen")

    def __str__(self):
        return f"Antwort auf Rückmeldung #{self.feedback_id}"


class FeedbackReport(models.Model):
    """A citizen's report that a piece of feedback breaks the rules."""

    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(_("Grund"), max_length=500, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Meldung")
        verbose_name_plural = _("Meldungen")
        constraints = [models.UniqueConstraint(fields=["feedback", "reporter"], name="one_report_per_user")]

    def __str__(self):
        return f"{self.reporter} → {self.feedback_id}"


class AuditLogEntry(models.Model):
    """What a facilitator changed, when. Written by actions, never edited."""

    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    actor_name = models.CharField(max_length=150)
    action = models.CharField(max_length=50)
    target_type = models.CharField(max_length=50)
    target_id = models.CharField(max_length=50, blank=True)
    target_repr = models.CharField(max_length=200, blank=True)
    details = models.JSONField(default=dict, blank=True)
    created = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("Protokolleintrag")
        verbose_name_plural = _("Protokoll")
        ordering = ["-created", "-id"]

    def __str__(self):
        return f"{self.created:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.target_type} {self.target_repr}"


# What can be followed, as the field of Follow that names it (by model name).
FOLLOW_FIELDS = {
    "process": "process",
    "fieldofaction": "field",
    "measure": "measure",
    "project": "project",
    "livinglab": "lab",
}


class Follow(models.Model):
    """An account follows a process, field of action, measure, project or living lab, to be
    told by mail when it changes (participation/notifications.py)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows")
    process = models.ForeignKey(Process, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    field = models.ForeignKey(FieldOfAction, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    project = models.ForeignKey(Project, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    lab = models.ForeignKey(LivingLab, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Gefolgt")
        verbose_name_plural = _("Gefolgt")
        ordering = ["-created", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(process__isnull=False, field=None, measure=None, project=None, lab=None)
                    | Q(process=None, field__isnull=False, measure=None, project=None, lab=None)
                    | Q(process=None, field=None, measure__isnull=False, project=None, lab=None)
                    | Q(process=None, field=None, measure=None, project__isnull=False, lab=None)
                    | Q(process=None, field=None, measure=None, project=None, lab__isnull=False)
                ),
                name="follow_exactly_one_target",
            ),
            *(
                models.UniqueConstraint(
                    fields=["user", name], condition=Q(**{f"{name}__isnull": False}), name=f"follow_once_{name}"
                )
                for name in FOLLOW_FIELDS.values()
            ),
        ]

    @property
    def target(self):
        for name in FOLLOW_FIELDS.values():
            value = getattr(self, name)
            if value is not None:
                return value
        return None


class Notification(models.Model):
    """One change an account is to be told of by mail. ``key`` names the change: an account
    is told of it at most once. ``sent_at`` is set in the transaction that mails it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=40)
    object_id = models.PositiveBigIntegerField()
    key = models.CharField(max_length=100)
    created = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("Benachrichtigung")
        verbose_name_plural = _("Benachrichtigungen")
        ordering = ["created", "pk"]
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="notification_once_per_change")]
        indexes = [models.Index(fields=["user", "sent_at"], name="notification_pending")]

    def __str__(self):
        return f"{self.key} → {self.user_id}"


class CityAccountLink(models.Model):
    """An account's sign-in with the city's account (OpenID Connect): the provider (``issuer``)
    and its stable id of the person (``subject``). Made at the first sign-in; later ones find
    the account by it, whatever the address is then."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="city_account_links")
    issuer = models.CharField(max_length=300)
    subject = models.CharField(max_length=255)
    created = models.DateTimeField(auto_now_add=True)
    last_used = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("Anmeldung mit dem Konto der Stadt")
        verbose_name_plural = _("Anmeldungen mit dem Konto der Stadt")
        constraints = [models.UniqueConstraint(fields=["issuer", "subject"], name="city_account_once")]

    def __str__(self):
        return f"{self.issuer} {self.subject} → {self.user_id}"
