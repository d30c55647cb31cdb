"""A process's timeline on its page (``process_timeline``) and, in one line, on the pages
of its workshops, consultations and results (``process_now``): where it stands and what
happens next."""

from django import template

from .. import selectors

register = template.Library()


@register.inclusion_tag("pages/_process_timeline.html")
def process_timeline(process):
    return {"process": process, "timeline": selectors.timeline(process)}


@register.inclusion_tag("pages/_process_now.html")
def process_now(process):
    return {"process": process, "timeline": selectors.timeline(process)}
