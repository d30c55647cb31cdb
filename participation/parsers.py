"""The API's parsers: JSON and forms as DRF parses them, but whatever a client can send to
break the server is a 400 naming the problem, never a 500, and nothing is changed:

- text PostgreSQL cannot store (a NUL, a lone UTF-16 surrogate written as a JSON escape);
- JSON nested deeper than ``MAX_DEPTH`` (``json`` raises ``RecursionError``, not a
  ``ValueError``, at about 1,000 levels, and every recursive walk after it would too);
- numbers no column can hold: whole numbers beyond 64 bits (SQLite raises ``OverflowError``,
  PostgreSQL "out of range") and ``1e400``, which Python reads as infinity (``NaN`` and
  ``Infinity`` are refused as not JSON, as DRF does);
- bodies over ``DATA_UPLOAD_MAX_MEMORY_SIZE`` or forms with more than
  ``DATA_UPLOAD_MAX_NUMBER_FIELDS`` fields (Django checks these only for its own
  ``request.POST``; DRF reads the stream itself).

The workshop socket has its own frame reader with tighter limits (``workshops/frames.py``)."""

import json
import math
import re

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError, ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.settings import api_settings

# No body of this API comes close: a ballot is 4 levels deep, a consultation's settings 3.
MAX_DEPTH = 32
# The widest integer column of either database (bigint; SQLite's INTEGER).
MAX_INTEGER = 2**63 - 1


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


def too_deep():
    return ParseError(_("Die Daten sind zu tief verschachtelt (höchstens %(limit)d Ebenen).") % {"limit": MAX_DEPTH})


def _number_out_of_range(value):
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return not -MAX_INTEGER <= value <= MAX_INTEGER
    return isinstance(value, float) and not math.isfinite(value)


def _checked_shape(data):
    """``data`` unchanged, or a 400 for nesting deeper than MAX_DEPTH or a number no column can
    hold (naming the top-level field it is in). Walks without recursion."""
    stack = [(data, 1, None)]
    while stack:
        value, depth, field = stack.pop()
        if isinstance(value, dict | list):
            if depth > MAX_DEPTH:
                raise too_deep()
            items = value.items() if isinstance(value, dict) else ((None, item) for item in value)
            for key, item in items:
                top = field if field is not None or depth > 1 else key
                stack.append((item, depth + 1, top))
        elif _number_out_of_range(value):
            name = field if isinstance(field, str) else api_settings.NON_FIELD_ERRORS_KEY
            raise ValidationError({name: [_("Die Zahl liegt außerhalb des zulässigen Bereichs.")]})
    return data


def _strict_constant(name):
    raise ValueError(f"{name} is not JSON")


# A number no column can hold is written with an exponent or with 19 digits or more.
_LONG_OR_EXPONENT = re.compile(r"\d{19}|\d[eE]")


def loads(raw, encoding="utf-8"):
    """Client JSON (bytes) as Python data, with every check above; a ParseError or ValidationError
    (both 400) otherwise."""
    try:
        text = raw.decode(encoding)
        data = json.loads(text, parse_constant=_strict_constant)
    except RecursionError:
        raise too_deep() from None
    except (ValueError, LookupError) as exc:  # UnicodeDecodeError and JSONDecodeError are ValueErrors
        raise ParseError(_("Ungültiges JSON: %(reason)s") % {"reason": exc}) from None
    # The walks run only when the text could hold what they look for (most bodies cannot):
    # no more brackets than MAX_DEPTH cannot nest deeper; a NUL or a lone surrogate in a
    # string can only come from a \u escape (json refuses raw control characters, and
    # decoded UTF-8 holds no surrogates).
    if text.count("[") + text.count("{") > MAX_DEPTH or _LONG_OR_EXPONENT.search(text):
        _checked_shape(data)
    if "\\u" in text:
        _checked(data)
    return data


def _refuse_declared_size(parser_context, unreadable_is_too_big=False):
    """A 400 before anything is read when the declared Content-Length exceeds
    DATA_UPLOAD_MAX_MEMORY_SIZE; returns that limit."""
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    request = (parser_context or {}).get("request")
    if limit is not None and request is not None:
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = limit + 1 if unreadable_is_too_big else 0
        if declared > limit:
            raise _too_big(limit)
    return limit


def _read_limited(stream, parser_context):
    """The whole body, or a 400 when it is larger than DATA_UPLOAD_MAX_MEMORY_SIZE (read no further)."""
    limit = _refuse_declared_size(parser_context)
    if stream is None:
        return b""
    raw = stream.read() if limit is None else stream.read(limit + 1)
    if limit is not None and len(raw) > limit:
        raise _too_big(limit)
    return raw


def _too_big(limit):
    return ParseError(_("Die Anfrage ist zu groß (höchstens %(limit)d Bytes).") % {"limit": limit})


def _too_many_fields():
    return ParseError(_("Die Anfrage enthält zu viele Felder."))


def _encoding(parser_context):
    return (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)


class StrictJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        return loads(_read_limited(stream, parser_context), _encoding(parser_context))


class StrictFormParser(FormParser):
    def parse(self, stream, media_type=None, parser_context=None):
        raw = _read_limited(stream, parser_context)
        try:
            return _checked(super().parse(_Bytes(raw), media_type, parser_context))
        except TooManyFieldsSent:
            raise _too_many_fields() from None
        except LookupError:  # a charset Python does not know
            raise ParseError(_("Unbekannter Zeichensatz.")) from None


class StrictMultiPartParser(MultiPartParser):
    def parse(self, stream, media_type=None, parser_context=None):
        # No operation takes files: the whole request is held to the same size as a form.
        limit = _refuse_declared_size(parser_context, unreadable_is_too_big=True)
        try:
            parsed = super().parse(stream, media_type, parser_context)
        except RequestDataTooBig:
            raise _too_big(limit) from None
        except (TooManyFieldsSent, TooManyFilesSent):
            raise _too_many_fields() from None
        except LookupError:
            raise ParseError(_("Unbekannter Zeichensatz.")) from None
        _checked(parsed.data)
        return parsed


class _Bytes:
    """The body already read, as the stream FormParser reads once."""

    def __init__(self, raw):
        self.raw = raw

    def read(self, *args):
        return self.raw
