"""The results part of the consultation pages (``{% load results %}``): voting's
views render the ballot and know nothing of results; these tags put the published
or live counts into its templates."""

from django import template

from results import presenters

register = template.Library()


@register.inclusion_tag("consultations/_results.html", takes_context=True)
def consultation_results(context):
    """Published result, interim or facilitators' count on the consultation page."""
    consultation, phase = context["consultation"], context["phase"]
    shown = presenters.consultation_results(consultation, phase, context["can_manage"], context["options"])
    return {"consultation": consultation, "phase": phase, **shown}


@register.inclusion_tag("consultations/_result_tables.html")
def live_result_tables(consultation, measures):
    """The live count as tables (the facilitators' management page)."""
    return {"results": presenters.live_tables(consultation, measures)}
