"""Messages shown where the page lands, not above it.

After a form the browser often goes to an anchor further down the page (a new piece of
feedback, the feedback section); a message at the top of the page would then be out of
sight. Such a message carries the id of the element it belongs in (``placed_at``); that
element shows it (``placed``), and the general list at the top of the page leaves it out
(``unplaced``). Only places that every page of their kind renders are used, so a placed
message is never lost.
"""

from urllib.parse import urlsplit

from django.contrib import messages as django_messages

PREFIX = "at:"
# The feedback section of a process, measure, project or lab (feedback/_section.html).
FEEDBACK_SECTION = "rueckmeldungen"


def feedback_item(pk):
    """The place of one piece of feedback in the section."""
    return f"rueckmeldung-{pk}"


def placed_at(place):
    """The ``extra_tags`` of a message shown at the element with id ``place`` (none: at the top)."""
    return f"{PREFIX}{place}" if place else ""


def place_of(message):
    for tag in (message.extra_tags or "").split():
        if tag.startswith(PREFIX):
            return tag[len(PREFIX) :]
    return ""


def placed(request, place):
    """The messages that belong at ``place`` on this page."""
    if request is None:
        return []
    return [message for message in django_messages.get_messages(request) if place_of(message) == place]


def unplaced(messages):
    return [message for message in messages if not place_of(message)]


def place_for_url(url):
    """The place a message belongs when the browser is sent to ``url``: its anchor, when that
    is one every page has (the feedback section); else the top of the page."""
    return FEEDBACK_SECTION if urlsplit(url).fragment == FEEDBACK_SECTION else ""
