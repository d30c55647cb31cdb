"""The API's parsers: JSON and forms as DRF parses them, but a request whose text PostgreSQL
cannot store (a NUL, a lone UTF-16 surrogate written as a JSON escape) is a 400, not a 500
deep inside an action. The workshop socket uses the same check on its frames."""

from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.settings import api_settings


def has_unstorable_text(value):
    """True when a text somewhere in ``value`` holds a NUL or a lone surrogate (PostgreSQL and
    UTF-8 refuse both; without this check they surface as a 500 deep inside an action)."""
    if isinstance(value, str):
        if "\x00" in value:
            return True
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return True
        return False
    if isinstance(value, dict):
        items = value.lists() if hasattr(value, "lists") else value.items()
        return any(has_unstorable_text(k) or has_unstorable_text(v) for k, v in items)
    if isinstance(value, list | tuple):
        return any(has_unstorable_text(item) for item in value)
    return False


def _checked(data):
    """``data`` unchanged, or a 400 naming the first field whose text cannot be stored."""
    if not has_unstorable_text(data):
        return data
    message = _("Der Text enthält ungültige Zeichen.")
    if isinstance(data, dict):
        items = data.lists() if hasattr(data, "lists") else data.items()
        for name, value in items:
            if not has_unstorable_text(name) and has_unstorable_text(value):
                raise ValidationError({name: [message]})
    raise ValidationError({api_settings.NON_FIELD_ERRORS_KEY: [message]})


class StrictJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        return _checked(super().parse(stream, media_type, parser_context))


class StrictFormParser(FormParser):
    def parse(self, stream, media_type=None, parser_context=None):
        return _checked(super().parse(stream, media_type, parser_context))


class StrictMultiPartParser(MultiPartParser):
    def parse(self, stream, media_type=None, parser_context=None):
        parsed = super().parse(stream, media_type, parser_context)
        _checked(parsed.data)
        return parsed
