"""The facilitators' workshop form (create and edit pages). It checks what the API's
serializer checks; creating and changing go through workshops.actions."""

from django import forms
from django.utils.translation import gettext_lazy as _

from participation.models import Process


class WorkshopForm(forms.Form):
    process = forms.ModelChoiceField(label=_("Prozess"), queryset=Process.objects.none())
    title = forms.CharField(label=_("Titel"), max_length=200)
    agenda = forms.CharField(
        label=_("Ablauf"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Wird den Teilnehmenden über dem Board gezeigt, z. B. die Zeiten der Phasen."),
    )
    dots_per_participant = forms.IntegerField(
        label=_("Punkte je Person"),
        min_value=1,
        max_value=100,
        initial=5,
        help_text=_("Wie viele Punkte jede Person beim Punkte-Kleben verteilen darf (1 bis 100)."),
    )
    anonymous_posting = forms.BooleanField(label=_("Karten ohne Namen erlauben"), required=False)
    participants_may_cluster = forms.BooleanField(label=_("Teilnehmende dürfen Cluster anlegen"), required=False)
    draft = forms.BooleanField(
        label=_("Als Entwurf anlegen: nur für die Moderation sichtbar, bis Sie ihn freigeben"),
        required=False,
    )

    def __init__(self, *args, processes=None, workshop=None, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["dots_per_participant"].widget.attrs.update({"inputmode": "numeric"})
        if workshop is not None:
            # The process stays; a draft may go live here, nothing goes back to draft.
            del self.fields["process"]
            if workshop.state == "draft":
                self.fields["draft"].label = _("Entwurf: nur für die Moderation sichtbar")
                self.fields["draft"].help_text = _("Ohne Haken wird der Workshop für alle mit dem Code sichtbar.")
            else:
                del self.fields["draft"]
        else:
            self.fields["process"].queryset = processes

    def action_data(self):
        """The fields as workshops.actions take them (without the process)."""
        return {name: value for name, value in self.cleaned_data.items() if name != "process"}
