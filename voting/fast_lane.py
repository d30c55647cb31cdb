"""The ballot box's fast lane: ``PUT /api/consultations/{id}/ballot`` with an access
code, answered without Django's request cycle when nothing about it is unusual.

Why: a city-wide vote brings its ballots in bursts (the letters arrive on the same
morning). Through Django, DRF and the ORM a ballot costs about 7 ms of CPU before
the server adds its own share: two cores then take fewer than 200 ballots a
second. Here the same ballot is two SQL statements (three for a change) and about
1 ms of CPU in the process, the database driver included.

What the lane takes: a ballot of an access-code consultation, sent as JSON by a
client that is not signed in: new for that code, the same as the one in the box, or
a change of it within the voter's change limit. Everything else, and anything that
is not a plain success, goes to Django unchanged (the lane has not written anything
then): a wrong code, a closed consultation, a ballot the rules refuse, a change over
the limit, a signed-in client, a request for HTML, a race between two requests of
one voter. Django answers those as always, with its messages in the voter's
language; the lane never has to say no.

The checks are the ones of ``api.BallotView.put`` and ``actions.cast_ballot``, on
the same data with the same helpers: who may see the consultation (a published
process, not a draft), the code's keyed hash (the lane takes right codes only, which
no count of wrong codes from the address refuses), the ballot rules of
``ballots.normalise``, the change limit per voter (``actions._limit_changes``), one
ballot per code by the database constraint, the share lock on the consultation row
that makes closing wait, and the register row (or its count of changes) in the same
transaction. The response carries the same status, body and headers as Django's
(tests/voting/test_fast_lane.py compares them).

PostgreSQL only (the data-modifying CTE below); on SQLite every ballot goes to Django.
"""

import json
import logging
import re
import uuid
from http.cookies import CookieError

from asgiref.sync import SyncToAsync
from django.conf import settings
from django.db import close_old_connections, connection
from django.http import HttpRequest, parse_cookie
from django.http.request import split_domain_port, validate_host
from django.utils import timezone, translation
from rest_framework.exceptions import APIException

from participation.errors import RateLimited
from participation.parsers import loads as load_client_json
from participation.security import CONTENT_SECURITY_POLICY, PERMISSIONS_POLICY, scope_client_address

from . import ballots as ballot_rules
from .actions import (
    RECEIPT_LENGTH,
    Voter,
    _hour,
    _limit_changes,
    _random_code,
    format_code,
    hash_access_code,
    normalise_code,
)
from .models import (
    ConsultationState,
    Eligibility,
    Method,
)

log = logging.getLogger(__name__)

BALLOT_PATH = re.compile(r"/api/consultations/(?P<pk>[1-9][0-9]{0,17})/ballot")
# Accept headers for which DRF's negotiation picks its JSON renderer.
JSON_MEDIA = {"application/json", "application/*", "*/*"}
ALLOW = "GET, PUT, HEAD, OPTIONS"
# DRF varies on Accept, the session on Cookie, the language on Accept-Language (and Cookie).
VARY = "Accept, Accept-Language, Cookie"

# Table names as in the models' Meta (tests/voting/test_fast_lane.py checks them).
CONSULTATION_SQL = """
SELECT c.method, c.settings, c.eligibility, c.state, p.published,
       (SELECT a.id FROM voting_accesscode a
         WHERE a.consultation_id = c.id AND a.code_hash = %s),
       ARRAY(SELECT o.measure_id FROM voting_consultationoption o
              WHERE o.consultation_id = c.id ORDER BY o.position, o.id),
       ARRAY(SELECT m.estimated_cost FROM voting_consultationoption o
              JOIN participation_measure m ON m.id = o.measure_id
              WHERE o.consultation_id = c.id ORDER BY o.position, o.id)
  FROM voting_consultation c
  JOIN participation_process p ON p.id = c.process_id
 WHERE c.id = %s
"""

# The consultation while it accepts ballots (Consultation.phase == open), under a share
# lock: closing takes an exclusive one, so it waits for the ballots in flight.
ACCEPTING = """
WITH accepting AS (
    SELECT id FROM voting_consultation
     WHERE id = %(consultation)s AND state = %(open)s
       AND (opens_at IS NULL OR opens_at <= now())
       AND (closes_at IS NULL OR closes_at > now())
       FOR SHARE
)
"""

# Composed of constants only (no value is formatted into the text).
CAST_SQL = (
    ACCEPTING  # noqa: S608
    + """, existing AS (
    SELECT b.receipt, b.content = %(content)s::jsonb AS same
      FROM voting_ballot b JOIN accepting c ON b.consultation_id = c.id
     WHERE b.ballot_key = %(key)s
       FOR UPDATE OF b
), cast_ballot AS (
    INSERT INTO voting_ballot (id, consultation_id, ballot_key, receipt, content)
    SELECT %(id)s, c.id, %(key)s, %(receipt)s, %(content)s::jsonb FROM accepting c
     WHERE NOT EXISTS (SELECT 1 FROM existing)
        ON CONFLICT DO NOTHING
    RETURNING receipt
), registered AS (
    INSERT INTO voting_voterrecord
           (consultation_id, user_id, access_code_id, browser_hash, first_voted_hour, changes)
    SELECT %(consultation)s, NULL, %(code)s, '', %(hour)s, 0 FROM cast_ballot
        ON CONFLICT DO NOTHING
)
SELECT (SELECT receipt FROM cast_ballot), (SELECT receipt FROM existing), (SELECT same FROM existing)
"""
)

CHANGE_SQL = (
    ACCEPTING  # noqa: S608
    + """, replaced AS (
    UPDATE voting_ballot b SET content = %(content)s::jsonb, receipt = %(receipt)s
      FROM accepting c
     WHERE b.consultation_id = c.id AND b.ballot_key = %(key)s AND b.content <> %(content)s::jsonb
    RETURNING b.receipt
), counted AS (
    UPDATE voting_voterrecord r SET changes = r.changes + 1
     WHERE r.consultation_id = %(consultation)s AND r.access_code_id = %(code)s
       AND EXISTS (SELECT 1 FROM replaced)
)
SELECT (SELECT receipt FROM replaced)
"""
)


class Unusual(Exception):
    """Not for the lane: Django answers this request."""


def lane_open():
    return settings.BALLOT_FAST_LANE and connection.vendor == "postgresql"


class BallotFastLane:
    """ASGI middleware in front of Django's HTTP application."""

    def __init__(self, app):
        self.app = app
        self.cast = SyncToAsync(cast_in_lane, thread_sensitive=False)

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] != "PUT" or scope.get("query_string"):
            return await self.app(scope, receive, send)
        match = BALLOT_PATH.fullmatch(scope["path"])
        if match is None or scope.get("root_path") or not lane_open():
            return await self.app(scope, receive, send)
        messages, body = await _read_body(receive)
        if body is not None:
            answer = await self.cast(scope, int(match["pk"]), body)
            if answer is not None:
                status, headers, content = answer
                await send({"type": "http.response.start", "status": status, "headers": headers})
                await send({"type": "http.response.body", "body": content})
                return
        await self.app(scope, _replay(messages, receive), send)


async def _read_body(receive):
    """The request's messages as read, and its body (None when too big or cut short)."""
    messages = []
    chunks = []
    size = 0
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0
    while True:
        message = await receive()
        messages.append(message)
        if message["type"] != "http.request":
            return messages, None
        chunk = message.get("body", b"")
        size += len(chunk)
        chunks.append(chunk)
        if limit and size > limit:
            return messages, None
        if not message.get("more_body"):
            return messages, b"".join(chunks)


def _replay(messages, receive):
    pending = list(messages)

    async def replayed():
        if pending:
            return pending.pop(0)
        return await receive()

    return replayed


def cast_in_lane(scope, consultation_id, body):
    """The answer ``(status, headers, body)``, or None to let Django answer."""
    close_old_connections()
    try:
        request = _plain_request(scope)
        if request.META["CONTENT_LENGTH"] != str(len(body)):
            raise Unusual  # DRF reads no body without its length
        data = _ballot_request(body)
        return _cast(request, consultation_id, data)
    except Unusual:
        return None
    except Exception:
        # Nothing was written (one statement, one transaction): Django tries again and
        # answers, e.g. 503 while the database is away.
        log.exception("ballot fast lane failed; Django answers")
        return None
    finally:
        close_old_connections()


def _plain_request(scope):
    """The parts of the request the checks read, as Django would see them."""
    headers = {}
    for name, value in scope.get("headers", ()):
        key = name.decode("latin-1").lower()
        if key in headers:
            raise Unusual  # a repeated header: whatever Django makes of it
        headers[key] = value.decode("latin-1")
    if "authorization" in headers:
        raise Unusual  # a token: DRF authenticates it
    try:
        cookies = parse_cookie(headers.get("cookie", ""))
    except CookieError:
        raise Unusual from None
    if settings.SESSION_COOKIE_NAME in cookies:
        raise Unusual  # maybe signed in: sessions and CSRF are Django's
    if not headers.get("content-type", "").split(";")[0].strip().lower() == "application/json":
        raise Unusual
    accept = headers.get("accept", "")
    if accept and any(part.split(";")[0].strip().lower() not in JSON_MEDIA for part in accept.split(",")):
        raise Unusual
    secure = scope.get("scheme") == "https"
    proxy = getattr(settings, "SECURE_PROXY_SSL_HEADER", None)
    if proxy:
        forwarded = headers.get(proxy[0][5:].replace("_", "-").lower())
        if forwarded is not None:
            secure = forwarded.split(",")[0].strip() == proxy[1]
    if settings.SECURE_SSL_REDIRECT and not secure:
        raise Unusual  # Django redirects
    if settings.USE_X_FORWARDED_HOST or settings.USE_X_FORWARDED_PORT:
        raise Unusual
    host = headers.get("host")
    if not host:
        raise Unusual
    domain, _port = split_domain_port(host)
    allowed = settings.ALLOWED_HOSTS
    if settings.DEBUG and not allowed:
        allowed = [".localhost", "127.0.0.1", "[::1]"]
    if not domain or not validate_host(domain, allowed):
        raise Unusual  # Django answers 400
    request = HttpRequest()
    request.path = request.path_info = scope["path"]
    request.method = "PUT"
    request.COOKIES = cookies
    request.META = {
        "HTTP_ACCEPT_LANGUAGE": headers.get("accept-language", ""),
        "HTTP_X_ACCESS_CODE": headers.get("x-access-code"),
        # The client as Django's ClientAddressMiddleware sees it (trusted proxies only).
        "REMOTE_ADDR": scope_client_address(scope),
        "CONTENT_LENGTH": headers.get("content-length", "").strip(),
    }
    request.host = host
    request.secure = secure
    return request


def _ballot_request(body):
    try:
        # The API parser's own reading and checks (nesting, numbers, text): what it refuses,
        # Django refuses with its 400.
        data = load_client_json(body)
    except APIException:
        raise Unusual from None
    if not isinstance(data, dict) or "ballot" not in data:
        raise Unusual
    return data


def _cast(request, consultation_id, data):
    # No check of wrong codes from this address: the lane takes only right codes, and a right
    # code is never refused for others' wrong guesses (actions.resolve_voter).
    code = normalise_code(data.get("access_code") or request.META["HTTP_X_ACCESS_CODE"])
    if not code:
        raise Unusual
    found = _consultation(consultation_id, hash_access_code(consultation_id, code))
    if found is None:
        raise Unusual
    method, rules, code_id, option_ids, costs = found
    try:
        content = ballot_rules.normalise(method, rules, option_ids, data["ballot"], costs)
    except ballot_rules.BallotError:
        raise Unusual from None
    voter = Voter(consultation_id, access_code_id=code_id)
    receipt, created, changed = _into_the_box(consultation_id, voter, content)
    if receipt is None:
        raise Unusual
    if changed and not created:
        # Another ballot of this voter is in the box: replace it, within the voter's
        # change limit (over it, Django answers 429). When Django answers instead, it
        # counts the attempt once more: only a voter at the limit, or in a race with
        # their own other request, can feel that.
        try:
            _limit_changes(voter)
        except RateLimited:
            raise Unusual from None
        # A changed ballot gets a new receipt: the old one no longer finds it.
        receipt = _change_in_box(consultation_id, voter, content)
        if receipt is None:
            raise Unusual
    status = 201 if created else 200
    body = json.dumps(
        {"receipt": receipt, "created": created, "changed": changed}, ensure_ascii=False, separators=(",", ":")
    ).encode()
    return status, _headers(request, len(body)), body


def _consultation(consultation_id, code_hash):
    """Method, settings, the code's id, the options and their costs of a consultation a
    client who is not signed in may see and vote in with this code; else None."""
    with connection.cursor() as cursor:
        cursor.execute(
            CONSULTATION_SQL,
            [code_hash, consultation_id],
        )
        row = cursor.fetchone()
    if row is None:
        return None
    method, rules, eligibility, state, published, code_id, option_ids, option_costs = row
    if (
        not published
        or state == ConsultationState.DRAFT
        or eligibility != Eligibility.ACCESS_CODE
        or method == Method.PAIRWISE
        or code_id is None
    ):
        return None
    if isinstance(rules, str):
        rules = json.loads(rules)
    return method, rules, code_id, option_ids, dict(zip(option_ids, option_costs, strict=True))


def _into_the_box(consultation_id, voter, content):
    """One statement, one transaction: under a share lock on the consultation (closing
    waits), while it accepts ballots, either finds this voter's ballot or puts the new
    one in the box and the voter in the register. Returns (receipt, created, changed):
    a new ballot (r, True, True), the same again (r, False, False), another ballot of
    this voter in the box, not yet replaced (r, False, True); or (None, False, False)
    when Django must decide (the consultation not accepting, a parallel request of the
    same voter)."""
    receipt = format_code(_random_code(RECEIPT_LENGTH))
    with connection.cursor() as cursor:
        cursor.execute(
            CAST_SQL,
            {
                "consultation": consultation_id,
                "open": ConsultationState.OPEN,
                "content": json.dumps(content),
                "key": voter.ballot_key,
                "id": uuid.uuid4(),
                "receipt": receipt,
                "code": voter.access_code_id,
                "hour": _hour(timezone.now()),
            },
        )
        new_receipt, old_receipt, same = cursor.fetchone()
    if new_receipt is not None:
        return new_receipt, True, True
    if old_receipt is not None:
        return old_receipt, False, not same
    return None, False, False


def _change_in_box(consultation_id, voter, content):
    """Replace the voter's ballot under a new receipt and count the change in the register,
    in one statement under the share lock while the consultation accepts ballots. Returns
    the new receipt, or None (nothing written) when there is nothing to replace any more:
    closed meanwhile, or a parallel request of the voter stored this very ballot first."""
    with connection.cursor() as cursor:
        cursor.execute(
            CHANGE_SQL,
            {
                "consultation": consultation_id,
                "open": ConsultationState.OPEN,
                "content": json.dumps(content),
                "key": voter.ballot_key,
                "code": voter.access_code_id,
                "receipt": format_code(_random_code(RECEIPT_LENGTH)),
            },
        )
        (receipt,) = cursor.fetchone()
    return receipt


def _headers(request, length):
    """The headers Django's middleware and DRF put on this answer (see settings.MIDDLEWARE)."""
    language = translation.get_language_from_request(request, check_path=False)
    response = {
        "Content-Type": "application/json",
        "Content-Length": str(length),
        "Allow": ALLOW,
        "Content-Language": language,
        "X-Frame-Options": settings.X_FRAME_OPTIONS,
    }
    response["Vary"] = VARY
    if settings.SECURE_HSTS_SECONDS and request.secure:
        value = f"max-age={settings.SECURE_HSTS_SECONDS}"
        if settings.SECURE_HSTS_INCLUDE_SUBDOMAINS:
            value += "; includeSubDomains"
        if settings.SECURE_HSTS_PRELOAD:
            value += "; preload"
        response["Strict-Transport-Security"] = value
    if settings.SECURE_CONTENT_TYPE_NOSNIFF:
        response["X-Content-Type-Options"] = "nosniff"
    if settings.SECURE_REFERRER_POLICY:
        policy = settings.SECURE_REFERRER_POLICY
        response["Referrer-Policy"] = policy if isinstance(policy, str) else ",".join(policy)
    if settings.SECURE_CROSS_ORIGIN_OPENER_POLICY:
        response["Cross-Origin-Opener-Policy"] = settings.SECURE_CROSS_ORIGIN_OPENER_POLICY
    response["Content-Security-Policy"] = CONTENT_SECURITY_POLICY.format(
        sockets=f"ws://{request.host} wss://{request.host}", styles="'self'"
    )
    response["Permissions-Policy"] = PERMISSIONS_POLICY
    return [(name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in response.items()]
