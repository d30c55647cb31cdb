"""``{% feedback_section target as fb %}``: what the feedback partial shows, computed for the viewer."""

from django import template

from ..feedback_views import section_context

register = template.Library()


@register.simple_tag(takes_context=True)
def feedback_section(context, target, form=None):
    return section_context(context.get("request"), target, form=form or None)
