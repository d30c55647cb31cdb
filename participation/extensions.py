"""Extension points of the ground floor, for what an account or a process has in the apps above.

participation never imports workshops or voting (tests/test_layering.py). Where an account
or a process page must reach their data, those apps register a function here, in their
``AppConfig.ready()``, under a key: registering again under the same key replaces it.
Order is the order of registration, i.e. of INSTALLED_APPS.
"""

_account_erasers = {}
_personal_data = {}
_process_sections = {}
_measure_links = {}
_process_news = {}


def register_account_eraser(key, erase):
    """``erase(user)`` removes what ties the app's data to an account about to be deleted.
    It runs inside the deletion's transaction, before the account row goes."""
    _account_erasers[key] = erase


def register_personal_data(key, read):
    """``read(user)`` gives the app's part of an account's data export, under ``key``."""
    _personal_data[key] = read


def register_process_section(key, read):
    """``read(process)`` gives what the public process page shows of the app, as ``key`` in its context."""
    _process_sections[key] = read


def register_measure_links(key, read):
    """``read(measure)`` gives the public places where the measure was discussed or voted on,
    each a dict ``{kind, title, url, note}`` (texts in the active language), oldest first."""
    _measure_links[key] = read


def register_process_news(key, read):
    """``read(process)`` gives the app's news of a process for its feed: dicts ``{id, title,
    link, date, text}`` (``id`` unique within the app, texts in the active language)."""
    _process_news[key] = read


def erase_account(user):
    for erase in _account_erasers.values():
        erase(user)


def personal_data(user):
    return {key: read(user) for key, read in _personal_data.items()}


def process_sections(process):
    return {key: read(process) for key, read in _process_sections.items()}


def measure_links(measure):
    return [link for read in _measure_links.values() for link in read(measure)]


def process_news(process):
    return [item for read in _process_news.values() for item in read(process)]


_notification_kinds = {}


def register_notification_kind(kind, describe):
    """``describe(object_id)`` tells a follower of a change of this kind (participation/
    notifications.py): ``{title, text, url}`` in the active language, with ``url`` a path of
    this site; or None when there is nothing public to tell any more (then no mail says it)."""
    _notification_kinds[kind] = describe


def describe_notification(kind, object_id):
    describe = _notification_kinds.get(kind)
    return describe(object_id) if describe else None
