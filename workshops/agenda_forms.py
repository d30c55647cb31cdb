"""The form for one round of the agenda on the facilitators' page, and what that page's
agenda part shows."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .actions.tools import AGENDA_ITEMS_MAX, AGENDA_MINUTES_MAX
from .models import AGENDA_TITLE_MAX, AgendaItem, Phase


class AgendaItemForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Name der Runde"), max_length=AGENDA_TITLE_MAX)
    phase = forms.ChoiceField(label=gettext_lazy("Phase beim Start"), required=False)
    minutes = forms.IntegerField(label=gettext_lazy("Minuten"), min_value=1, max_value=AGENDA_MINUTES_MAX, initial=10)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        kwargs.setdefault("auto_id", "agenda-new-%s")
        super().__init__(*args, **kwargs)
        self.fields["phase"].choices = [("", _("Phase bleibt, wie sie ist")), *Phase.choices]
        self.fields["minutes"].widget.attrs.update({"inputmode": "numeric"})


def agenda_context(workshop, form=None):
    """What the agenda part of the manage page shows."""
    return {
        "agenda_items": list(AgendaItem.objects.filter(workshop=workshop).order_by("position", "id")),
        "agenda_form": form or AgendaItemForm(),
        "agenda_phases": [("", _("Phase bleibt, wie sie ist")), *Phase.choices],
        "agenda_full": AgendaItem.objects.filter(workshop=workshop).count() >= AGENDA_ITEMS_MAX,
    }
