"""Forms of the citizen accounts and the feedback section. They check types and
lengths; the rules live in actions.py and account_actions.py."""

from django import forms
from django.conf import settings
from django.contrib.auth.forms import UserCreationForm
from django.utils.translation import gettext_lazy as _

from .models import (
    ANSWER_MAX_LENGTH,
    FEEDBACK_MAX_LENGTH,
    STATUS_REASON_MAX_LENGTH,
    AnswerState,
    MeasureStatus,
    NotificationMail,
    ProjectStatus,
    User,
)

REASON_MAX_LENGTH = 500


class RegistrationForm(UserCreationForm):
    """Username, e-mail, password twice, and consent to the privacy notice."""

    email = forms.EmailField(
        label=_("E-Mail-Adresse"),
        max_length=254,
        help_text=_("Wir schicken Ihnen einen Link, mit dem Sie die Adresse bestätigen."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    privacy_consent = forms.BooleanField(
        label=_("Ich habe die Datenschutzhinweise gelesen und bin mit der Verarbeitung meiner Daten einverstanden."),
        error_messages={"required": _("Bitte stimmen Sie den Datenschutzhinweisen zu.")},
    )

    field_order = ("username", "email", "password1", "password2", "privacy_consent")

    class Meta(UserCreationForm.Meta):
        model = User
        # Not "email": the model's check of its unique constraint would tell who has an account.
        # The form answers alike for a new and a registered address, and the owner learns of
        # the attempt by mail (account_actions.register_citizen).
        fields = ("username",)

    def clean_email(self):
        email = self.cleaned_data["email"].strip()
        # For the password validators, which compare the password with the address.
        self.instance.email = email
        return email


class ResendVerificationForm(forms.Form):
    email = forms.EmailField(label=_("E-Mail-Adresse"), max_length=254)


class DeleteAccountForm(forms.Form):
    """The password confirms; an account without one (signed in with the city's account)
    confirms with its user name."""

    password = forms.CharField(
        label=_("Ihr Passwort"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None and not user.has_usable_password():
            self.fields["password"] = forms.CharField(
                label=_("Zur Bestätigung Ihr Benutzername"),
                help_text=_("Ihr Konto hat kein Passwort, Sie melden sich mit dem Konto der Stadt an."),
            )


class FeedbackTextField(forms.CharField):
    """Browsers send line breaks as CR LF but count them as one character; count them as one here too."""

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\r\n", "\n") if value else value


class FeedbackForm(forms.Form):
    text = FeedbackTextField(
        label=_("Ihre Rückmeldung"),
        help_text=_("Höchstens 2000 Zeichen. Ihre Rückmeldung erscheint öffentlich mit Ihrem Benutzernamen."),
        max_length=FEEDBACK_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": FEEDBACK_MAX_LENGTH}),
        error_messages={"required": _("Bitte geben Sie einen Text ein.")},
    )
    # Only on a living lab's page: a place inside the lab, typed or picked on its map.
    latitude = forms.CharField(
        label=_("Breitengrad"), required=False, max_length=20, widget=forms.TextInput(attrs={"inputmode": "decimal"})
    )
    longitude = forms.CharField(
        label=_("Längengrad"), required=False, max_length=20, widget=forms.TextInput(attrs={"inputmode": "decimal"})
    )


class ReportForm(forms.Form):
    reason = forms.CharField(label=_("Grund (freiwillig)"), max_length=REASON_MAX_LENGTH, required=False)


class AnswerForm(forms.Form):
    text = FeedbackTextField(
        label=_("Antwort der Stadt"),
        help_text=_("Erscheint öffentlich unter der Rückmeldung, mit Ihrem Namen und dem Datum."),
        max_length=ANSWER_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": ANSWER_MAX_LENGTH}),
        error_messages={"required": _("Bitte geben Sie einen Text ein.")},
    )
    state = forms.ChoiceField(
        label=_("Was wird aus der Rückmeldung?"),
        choices=AnswerState.choices,
        error_messages={
            "required": _("Bitte wählen Sie, was aus der Rückmeldung wird."),
            "invalid_choice": _("Bitte wählen Sie, was aus der Rückmeldung wird."),
        },
    )


class StatusForm(forms.Form):
    """A new status for a measure or a project, with its reason in German and English."""

    status = forms.ChoiceField(label=_("Neuer Stand"))
    reason = FeedbackTextField(
        label=_("Begründung"),
        help_text=_("Erscheint öffentlich im Verlauf. Nötig, wenn es nicht weitergeht."),
        max_length=STATUS_REASON_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": STATUS_REASON_MAX_LENGTH}),
    )
    reason_en = FeedbackTextField(
        label=_("Begründung (englisch)"),
        max_length=STATUS_REASON_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": STATUS_REASON_MAX_LENGTH}),
    )

    def __init__(self, *args, target, **kwargs):
        super().__init__(*args, **kwargs)
        choices = MeasureStatus if target._meta.model_name == "measure" else ProjectStatus
        self.fields["status"].choices = [(value, label) for value, label in choices.choices if value != target.status]
        self.fields["status"].error_messages["invalid_choice"] = _("Bitte wählen Sie einen Stand aus der Liste.")


class ModerationForm(forms.Form):
    decision = forms.ChoiceField(choices=[("hide", _("ausblenden")), ("show", _("anzeigen"))])
    reason = forms.CharField(label=_("Begründung (freiwillig)"), max_length=REASON_MAX_LENGTH, required=False)


class NotificationPreferencesForm(forms.Form):
    """How and in which language news of what the account follows reach it."""

    notification_mail = forms.ChoiceField(
        label=_("E-Mails über Neuigkeiten"), choices=NotificationMail.choices, widget=forms.RadioSelect
    )
    language = forms.ChoiceField(label=_("Sprache der E-Mails"), choices=settings.LANGUAGES)
