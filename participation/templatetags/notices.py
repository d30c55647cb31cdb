"""``messages|unplaced``: the messages for the top of the page (participation/notices.py)."""

from django import template

from .. import notices

register = template.Library()


@register.filter
def unplaced(messages):
    return notices.unplaced(messages)
