"""Forms of the consultation pages. They read what the browser sent into the shapes
that voting.actions take; the rules themselves (limits, budgets, who may vote) stay
in the actions, which answer with the same messages for the API and the pages."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from participation.models import Measure, MeasureOrigin, Process
from participation.parsers import MAX_INTEGER

from .actions import default_receipt_lookup
from .ballots import DEFAULT_POINTS_BUDGET, SCORE_MAX, SCORE_MIN
from .models import BudgetBallot, BudgetRule, Eligibility, Method, ReceiptLookup
from .pabulib_actions import MAX_FILE_BYTES, MAX_FILE_MB

# The grades in words, for consultations with settings.labels == "words".
SCORE_WORDS = {
    0: _("nicht wichtig"),
    1: _("kaum wichtig"),
    2: _("etwas wichtig"),
    3: _("wichtig"),
    4: _("ziemlich wichtig"),
    5: _("sehr wichtig"),
}


def grade_labels(settings):
    """(value, label) for the grades of a score ballot, as the consultation shows them."""
    words = settings.get("labels") == "words"
    return [(grade, SCORE_WORDS[grade] if words else str(grade)) for grade in range(SCORE_MIN, SCORE_MAX + 1)]


def _whole_number(raw, where):
    raw = (raw or "").strip()
    if not raw:
        return None
    try:
        return int(raw)
    except ValueError:
        raise ValidationError(
            {"ballot": [_("%(where)s: „%(raw)s“ ist keine ganze Zahl.") % {"where": where, "raw": raw[:20]}]}
        ) from None


def ballot_from_post(consultation, options, data):
    """The ballot in the API's shape from the plain HTML form (pages without JavaScript).

    ``options`` are the measures on the ballot. Out-of-range values are passed on as
    they are: the actions check them and say what is wrong.
    """
    method = consultation.method
    ids = [measure.pk for measure in options]
    titles = {measure.pk: measure.title_t for measure in options}
    if method == Method.APPROVAL:
        return {"approve": [_whole_number(raw, _("Zustimmung")) for raw in data.getlist("approve")]}
    if method == Method.SCORE:
        scores = {}
        for pk in ids:
            grade = _whole_number(data.get(f"score-{pk}"), titles[pk])
            if grade is not None:
                scores[str(pk)] = grade
        if not scores:
            raise ValidationError({"ballot": [_("Bitte bewerten Sie mindestens eine Maßnahme.")]})
        return {"scores": scores}
    if method == Method.POINTS:
        if consultation.settings.get("use_costs") and consultation.settings.get("budget_ballot") != "points":
            chosen = [_whole_number(raw, _("Auswahl")) for raw in data.getlist("choose")]
            return {"points": {str(pk): 1 for pk in chosen}}
        given = {}
        for pk in ids:
            value = _whole_number(data.get(f"points-{pk}"), titles[pk])
            if value:
                given[str(pk)] = value
        return {"points": given}
    if method == Method.RANKING:
        places = {}
        for pk in ids:
            place = _whole_number(data.get(f"rank-{pk}"), titles[pk])
            if place is not None:
                places.setdefault(place, []).append(pk)
        if not places:
            raise ValidationError({"ballot": [_("Bitte geben Sie mindestens einer Maßnahme einen Platz.")]})
        # Equal places are ties; gaps between places do not matter.
        return {"ranking": [places[place] for place in sorted(places)]}
    raise ValidationError({"ballot": [_("Bei einem Paarvergleich gibt es keinen Stimmzettel.")]})


class PairForm(forms.Form):
    left = forms.IntegerField()
    right = forms.IntegerField()
    choice = forms.ChoiceField(choices=[("left", "left"), ("right", "right"), ("skip", "skip")])
    request_id = forms.CharField(required=False, max_length=64)


class NoColonForm(forms.Form):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class ProposalForm(NoColonForm):
    title = forms.CharField(label=_("Titel Ihres Vorschlags"), max_length=200)
    description = forms.CharField(
        label=_("Beschreibung"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


class AccessCodesForm(NoColonForm):
    # Each letter carries a QR code drawn on the server; batches above this are split.
    MAX_LETTERS = 1000

    count = forms.IntegerField(
        label=_("Anzahl der Zugangscodes"),
        min_value=1,
        max_value=MAX_LETTERS,
        help_text=_("Höchstens 1000 auf einmal; für mehr Briefe erzeugen Sie mehrere Stapel."),
    )
    form_token = forms.CharField(widget=forms.HiddenInput)


class MeasureChoiceField(forms.ModelMultipleChoiceField):
    def _check_values(self, value):
        # An id beyond 64 bits is no measure: refused here, before SQLite fails to bind it (a 500).
        for pk in value:
            text = str(pk).strip()
            if text.lstrip("-").isdigit() and not 1 <= int(text) <= MAX_INTEGER:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": text[:20]}
                )
        return super()._check_values(value)

    def label_from_instance(self, measure):
        notes = []
        if measure.origin == MeasureOrigin.WORKSHOP:
            notes.append(str(_("aus einem Expertenworkshop")))
        elif measure.origin == MeasureOrigin.CITIZEN:
            notes.append(str(_("Bürgervorschlag")))
        if not measure.published:
            notes.append(str(_("nicht veröffentlicht")))
        return f"{measure.title_t} ({', '.join(notes)})" if notes else measure.title_t


class ProcessChoiceForm(NoColonForm):
    process = forms.ModelChoiceField(label=_("Prozess"), queryset=Process.objects.none())

    def __init__(self, *args, processes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["process"].queryset = processes


# The form's fields behind each key of the actions' set-up (actions.SETUP_FIELDS).
SETTINGS_FIELDS = {
    Method.APPROVAL: ("max_approvals",),
    Method.SCORE: ("labels",),
    Method.RANKING: (),
    Method.POINTS: ("use_costs", "budget", "budget_ballot", "max_projects", "budget_points", "budget_rule"),
    Method.PAIRWISE: ("allow_proposals",),
    Method.OPINION: ("allow_statements", "statements"),
}
ALL_SETTINGS_FIELDS = tuple(name for names in SETTINGS_FIELDS.values() for name in names)
SETUP_FORM_FIELDS = {
    "title": ("title",),
    "title_en": ("title_en",),
    "description": ("description",),
    "description_en": ("description_en",),
    "method": ("method",),
    "options": ("measures",),
    "settings": ALL_SETTINGS_FIELDS,
    "eligibility": ("eligibility",),
    "opens_at": ("opens_at",),
    "closes_at": ("closes_at",),
    "interim_results": ("interim_results",),
    "receipt_lookup": ("receipt_lookup",),
}


def initial_from(consultation):
    """The form's values for an existing consultation (the edit page)."""
    settings = consultation.settings or {}
    default_lookup = default_receipt_lookup(consultation.method, settings)
    return {
        "title": consultation.title,
        "title_en": consultation.title_en,
        "description": consultation.description,
        "description_en": consultation.description_en,
        "method": consultation.method,
        "measures": list(consultation.options.values_list("measure_id", flat=True)),
        "max_approvals": settings.get("max_approvals"),
        "labels": settings.get("labels", "numbers"),
        "budget_points": settings.get("budget_points", DEFAULT_POINTS_BUDGET),
        "use_costs": bool(settings.get("use_costs")),
        "budget": settings.get("budget"),
        "budget_ballot": settings.get("budget_ballot", BudgetBallot.KNAPSACK),
        "max_projects": settings.get("max_projects"),
        "budget_rule": settings.get(
            "budget_rule", BudgetRule.GREEDY if settings.get("use_costs") else BudgetRule.EQUAL_SHARES
        ),
        "allow_proposals": settings.get("allow_proposals", True),
        "allow_statements": settings.get("allow_statements", True),
        "eligibility": consultation.eligibility,
        "opens_at": consultation.opens_at,
        "closes_at": consultation.closes_at,
        "interim_results": consultation.interim_results,
        # "Standard" while it is what the method would choose anyway.
        "receipt_lookup": "" if consultation.receipt_lookup == default_lookup else consultation.receipt_lookup,
    }


class ConsultationForm(NoColonForm):
    """A new consultation, or the set-up of one (the edit page: ``consultation`` with
    ``editable``, the keys of actions.SETUP_FIELDS that may still change). Types are
    checked here; the rules in actions.create_consultation and update_consultation."""

    title = forms.CharField(label=_("Titel"), max_length=200)
    description = forms.CharField(
        label=_("Erläuterung"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Worum es geht und was mit dem Ergebnis geschieht."),
    )
    title_en = forms.CharField(
        label=_("Titel (englisch)"),
        max_length=200,
        required=False,
        help_text=_("Für die englische Seite; leer: dort steht der deutsche Titel."),
    )
    description_en = forms.CharField(
        label=_("Erläuterung (englisch)"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Leer: die englische Seite zeigt die deutsche Erläuterung."),
    )
    method = forms.ChoiceField(label=_("Verfahren"), choices=Method.choices, widget=forms.RadioSelect)
    measures = MeasureChoiceField(
        label=_("Maßnahmen auf dem Stimmzettel"),
        queryset=Measure.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        # Checked by the action: at least two, none for an opinion map.
        required=False,
        help_text=_("Mindestens zwei; bei einer Meinungslandkarte freiwillig: die Maßnahmen, um die es geht."),
    )
    max_approvals = forms.IntegerField(
        label=_("Höchstens so viele Zustimmungen (leer: beliebig viele)"), min_value=1, required=False
    )
    labels = forms.ChoiceField(
        label=_("Bewertung anzeigen als"),
        choices=[("numbers", _("Zahlen 0 bis 5")), ("words", _("Worte („nicht wichtig“ … „sehr wichtig“)"))],
        initial="numbers",
        required=False,
    )
    budget_points = forms.IntegerField(
        label=_("Punkte je Person"), min_value=1, max_value=10000, initial=DEFAULT_POINTS_BUDGET, required=False
    )
    use_costs = forms.BooleanField(
        label=_("Bürgerhaushalt: Maßnahmen mit ihren Kosten auswählen, die in ein Budget passen müssen"),
        required=False,
    )
    budget = forms.DecimalField(label=_("Budget in Euro"), min_value=1, max_digits=14, decimal_places=2, required=False)
    budget_ballot = forms.ChoiceField(
        label=_("Stimmzettel des Bürgerhaushalts"),
        choices=BudgetBallot.choices,
        initial=BudgetBallot.KNAPSACK,
        widget=forms.RadioSelect,
        required=False,
    )
    max_projects = forms.IntegerField(
        label=_("Höchstens so viele Projekte je Person (leer: beliebig viele)"),
        min_value=1,
        max_value=1000,
        required=False,
    )
    budget_rule = forms.ChoiceField(
        label=_("Entschieden wird nach"),
        choices=BudgetRule.choices,
        initial=BudgetRule.EQUAL_SHARES,
        widget=forms.RadioSelect,
        required=False,
        help_text=_(
            "Gezählt und veröffentlicht werden immer beide Regeln. Die Methode der gleichen Anteile gibt jeder Gruppe "
            "von Abstimmenden den Teil des Budgets, der ihrer Größe entspricht; „nach Stimmen“ lässt eine knappe "
            "Mehrheit das ganze Budget bestimmen."
        ),
    )
    allow_proposals = forms.BooleanField(
        label=_("Teilnehmende dürfen eigene Vorschläge einreichen (die Moderation prüft sie)"),
        required=False,
        initial=True,
    )
    allow_statements = forms.BooleanField(
        label=_("Teilnehmende dürfen eigene Aussagen vorschlagen (die Moderation prüft sie)"),
        required=False,
        initial=True,
    )
    statements = forms.CharField(
        label=_("Die ersten Aussagen, eine je Zeile"),
        required=False,
        max_length=150_000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Kurze Aussagen, eine Meinung je Zeile, höchstens 280 Zeichen. Weitere kommen später hinzu."),
    )
    eligibility = forms.ChoiceField(
        label=_("Wer darf teilnehmen?"),
        choices=Eligibility.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "„offen“ ist ein unverbindliches Stimmungsbild: eine Stimme je Browser, ohne Prüfung, wer abstimmt."
        ),
    )
    opens_at = forms.DateTimeField(
        label=_("Öffnet am"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    closes_at = forms.DateTimeField(
        label=_("Schließt am"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    interim_results = forms.BooleanField(label=_("Zwischenergebnisse öffentlich zeigen"), required=False)
    receipt_lookup = forms.ChoiceField(
        label=_("Was zeigt die Quittung nach der Veröffentlichung?"),
        choices=[("", _("Standard: bei Bürgerhaushalten nur „gezählt“, sonst die Stimme")), *ReceiptLookup.choices],
        required=False,
        widget=forms.RadioSelect,
        help_text=_(
            "Zeigt die Quittung die Stimme, kann jede Person ihre Stimme prüfen, sie aber auch Dritten vorzeigen "
            "(Stimmenkauf). „Nur gezählt“ bestätigt, dass der Stimmzettel unverändert gezählt wurde."
        ),
    )

    # Where the actions' error keys land in this form.
    ERROR_FIELDS = {"options": "measures", "settings": None}

    def __init__(self, *args, process, consultation=None, editable=None, lock_reason="", **kwargs):
        super().__init__(*args, **kwargs)
        self.process = process
        self.consultation = consultation
        self.editable = editable
        self.lock_reason = lock_reason
        self.fields["measures"].queryset = Measure.objects.filter(process=process).order_by("title")
        # Form fields shown as inputs; the others are shown read-only (the edit page of a running one).
        self.editable_fields = {
            name for key, names in SETUP_FORM_FIELDS.items() if editable is None or key in editable for name in names
        }
        for name, field in self.fields.items():
            if name not in self.editable_fields:
                field.required = False
        if consultation is not None:
            # Statements are added one by one on the management page once the map exists.
            del self.fields["statements"]

    def method_settings(self):
        """(method, label, bound fields) for each method's settings, for the fieldsets of the page."""
        return [
            (method, label, [self[name] for name in SETTINGS_FIELDS[method] if name in self.fields])
            for method, label in Method.choices
        ]

    def _sent(self, key):
        if key in ("opens_at", "closes_at") and not self.data.get(key):
            # An empty time from a form older than the opening (which set the start) is no wish for none.
            return False
        return any(name in self.data for name in SETUP_FORM_FIELDS[key])

    def clean(self):
        data = super().clean()
        method = data.get("method") or (self.consultation.method if self.consultation else None)
        # Settings of the other methods are not used, so their mistakes do not stop the form.
        for name in ALL_SETTINGS_FIELDS:
            if name not in SETTINGS_FIELDS.get(method, ()) and name in self._errors:
                del self._errors[name]
        # A field shown read-only cannot carry its error: it goes to the top of the form.
        for name in list(self._errors):
            if name in self.fields and name not in self.editable_fields:
                del self._errors[name]
                self.add_error(
                    None,
                    _("„%(field)s“ lässt sich nicht mehr ändern. %(reason)s")
                    % {"field": self.fields[name].label, "reason": self.lock_reason},
                )
        # The page shows times to the minute: an unchanged time keeps its seconds.
        for name in ("opens_at", "closes_at"):
            initial = self.initial.get(name)
            if initial and data.get(name) and data[name] == initial.replace(second=0, microsecond=0):
                data[name] = initial
        return data

    def settings_for(self, method):
        data = self.cleaned_data
        if method == Method.APPROVAL:
            return {"max_approvals": data["max_approvals"]} if data.get("max_approvals") else {}
        if method == Method.SCORE:
            return {"labels": data.get("labels") or "numbers"}
        if method == Method.POINTS:
            if data.get("use_costs"):
                budget = data.get("budget")
                # The action takes a plain number; euros with cents stay exact enough as float.
                value = (
                    None if budget is None else (int(budget) if budget == budget.to_integral_value() else float(budget))
                )
                chosen = {
                    "use_costs": True,
                    "budget": value,
                    "budget_ballot": data.get("budget_ballot") or BudgetBallot.KNAPSACK,
                    "budget_rule": data.get("budget_rule") or BudgetRule.EQUAL_SHARES,
                }
                if chosen["budget_ballot"] == BudgetBallot.POINTS:
                    chosen["budget_points"] = data.get("budget_points") or DEFAULT_POINTS_BUDGET
                if chosen["budget_ballot"] == BudgetBallot.APPROVAL and data.get("max_projects"):
                    chosen["max_projects"] = data["max_projects"]
                return chosen
            return {"budget_points": data.get("budget_points") or DEFAULT_POINTS_BUDGET}
        if method == Method.PAIRWISE:
            return {"allow_proposals": bool(data.get("allow_proposals"))}
        if method == Method.OPINION:
            return {"allow_statements": bool(data.get("allow_statements"))}
        return {}

    def action_data(self):
        """What actions.create_consultation (or update_consultation) takes, from the cleaned
        form. On the edit page a field shown read-only is left out unless it was sent after
        all (a form from before the consultation opened): then the action says it is fixed."""
        data = self.cleaned_data
        method = data.get("method") or (self.consultation.method if self.consultation else None)
        full = {
            "title": data.get("title", ""),
            "title_en": data.get("title_en", ""),
            "description": data.get("description", ""),
            "description_en": data.get("description_en", ""),
            "method": method,
            "eligibility": data.get("eligibility"),
            "options": [measure.pk for measure in data.get("measures") or []],
            "settings": self.settings_for(method),
            "opens_at": data.get("opens_at"),
            "closes_at": data.get("closes_at"),
            "interim_results": data.get("interim_results", False),
            "receipt_lookup": data.get("receipt_lookup") or None,
        }
        if method == Method.OPINION and "statements" in self.fields:
            full["statements"] = [line.strip() for line in (data.get("statements") or "").splitlines() if line.strip()]
        if self.editable is None:
            return full
        return {key: value for key, value in full.items() if key in self.editable or self._sent(key)}

    def add_action_errors(self, error):
        """Puts the errors of actions.create_consultation beside the fields they concern."""
        for key, messages in error.message_dict.items():
            field = self.ERROR_FIELDS.get(key, key)
            if field not in self.editable_fields:
                field = None  # unknown, or shown read-only: the message names it
            for message in messages:
                self.add_error(field, message)


class PabulibImportForm(NoColonForm):
    """The import of a Pabulib file (voting.pabulib_actions): process, file, rule, consent."""

    process = forms.ModelChoiceField(label=_("Prozess"), queryset=Process.objects.none())
    file = forms.FileField(
        label=_("Pabulib-Datei (.pb)"),
        widget=forms.FileInput(attrs={"accept": ".pb,text/plain"}),
    )
    rule = forms.ChoiceField(
        label=_("Entschieden wird nach"),
        choices=[
            (
                BudgetRule.EQUAL_SHARES,
                _(
                    "Methode der gleichen Anteile: Das Budget wird gleichmäßig auf alle Teilnehmenden verteilt, "
                    "und jedes Projekt wird aus den Anteilen derer bezahlt, die es unterstützen."
                ),
            ),
            (
                BudgetRule.GREEDY,
                _(
                    "Nach Stimmen: Die Projekte mit den meisten Stimmen werden der Reihe nach gefördert, "
                    "solange das Geld reicht."
                ),
            ),
        ],
        initial=BudgetRule.EQUAL_SHARES,
        widget=forms.RadioSelect,
    )
    confirm = forms.BooleanField(
        label=_(
            "Ja, die Projekte als veröffentlichte Maßnahmen dieses Prozesses anlegen und die Stimmzettel "
            "der Datei in eine beendete Befragung übernehmen. Das lässt sich nicht rückgängig machen."
        ),
        error_messages={"required": _("Bitte bestätigen Sie den Import.")},
    )

    def __init__(self, *args, processes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["process"].queryset = processes
        # Here, not on the field: the number goes into the text of the request's language.
        self.fields["file"].help_text = gettext(
            "Eine Datei aus pabulib.org im Format .pb, in UTF-8, höchstens %(limit)s MB."
        ) % {"limit": MAX_FILE_MB}

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise ValidationError(gettext("Die Datei ist größer als %(limit)s MB.") % {"limit": MAX_FILE_MB})
        return upload
