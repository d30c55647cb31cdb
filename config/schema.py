"""The error answers of the API, written into the OpenAPI schema in one place.

Every view answers errors the same way (``participation.errors.api_exception_handler``):
``{"detail": "..."}`` for 401, 403, 404, 409 and 429, and ``{"field": ["reason", ...]}``
for 400. This postprocessing hook of drf-spectacular adds those answers to each
operation that can give them, so a client (and tests/security/test_api_fuzz.py,
which checks every answer against this schema) knows them all.
"""

DETAIL = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
    "description": "What went wrong, in the language of the request.",
}
FIELD_ERRORS = {
    "type": "object",
    "description": 'Per field (or "non_field_errors") a list of reasons; nested fields give an object.',
    "additionalProperties": {"anyOf": [{"type": "array", "items": {}}, {"type": "object"}, {"type": "string"}]},
}

REASONS = {
    "400": "Ungültige Eingabe: je Feld die Gründe.",
    "401": "Nicht angemeldet oder ungültiges Token.",
    "403": "Angemeldet, aber nicht berechtigt (oder CSRF-Prüfung der Sitzung fehlgeschlagen).",
    "404": "Gibt es nicht oder ist nicht öffentlich.",
    "409": "Der Zustand erlaubt das gerade nicht (z. B. Befragung geschlossen).",
    "429": "Zu viele Versuche; Retry-After nennt die Sekunden bis zum nächsten Versuch.",
}

# Answers that depend on what the operation does, beyond what its shape tells.
CONFLICTS = {
    ("post", "/api/consultations/{id}/access-codes"),
    ("put", "/api/consultations/{id}/ballot"),
    ("post", "/api/consultations/{id}/close"),
    ("post", "/api/consultations/{id}/open"),
    ("post", "/api/consultations/{id}/schedule"),
    ("post", "/api/consultations/{id}/pairs"),
    ("get", "/api/consultations/{id}/pairs/next"),
    ("post", "/api/consultations/{id}/proposals"),
    ("post", "/api/consultations/{id}/proposals/{proposal_id}/approve"),
    ("post", "/api/consultations/{id}/proposals/{proposal_id}/reject"),
    ("post", "/api/consultations/{id}/publish"),
    ("get", "/api/consultations/{id}/statements"),
    ("post", "/api/consultations/{id}/statements"),
    ("get", "/api/consultations/{id}/statements/next"),
    ("post", "/api/consultations/{id}/statements/{statement_id}/publish"),
    ("post", "/api/consultations/{id}/statements/{statement_id}/hide"),
    ("post", "/api/consultations/{id}/answers"),
    ("get", "/api/consultations/{id}/opinion-map"),
    ("post", "/api/consultations/{id}/election-workers"),
    ("post", "/api/consultations/{id}/paper-ballots"),
    ("post", "/api/consultations/{id}/paper-ballots/resolve"),
    ("post", "/api/workshops/{code}/join"),
    ("patch", "/api/measures/{id}/"),
    ("post", "/api/measures/"),
}
RATE_LIMITED = {
    ("get", "/api/consultations/{id}/ballot"),
    ("put", "/api/consultations/{id}/ballot"),
    ("post", "/api/consultations/{id}/pairs"),
    ("get", "/api/consultations/{id}/pairs/next"),
    ("post", "/api/consultations/{id}/proposals"),
    ("post", "/api/consultations/{id}/statements"),
    ("get", "/api/consultations/{id}/statements/next"),
    ("post", "/api/consultations/{id}/answers"),
    # a wrong access code typed by an election worker counts like one typed by a voter
    ("post", "/api/consultations/{id}/paper-ballots"),
    ("post", "/api/consultations/{id}/paper-ballots/resolve"),
    ("post", "/api/workshops/{code}/join"),
}
# Reads that refuse some signed-in people (403) rather than pretending the thing is not there.
FORBIDDEN_READS = {
    ("get", "/api/consultations/{id}/ballot"),
    ("get", "/api/consultations/{id}/pairs/next"),
    ("get", "/api/consultations/{id}/statements/next"),
    ("get", "/api/consultations/{id}/election-workers"),
    ("get", "/api/consultations/{id}/paper-ballots"),
    ("get", "/api/workshops/{code}/export"),
}
PAGINATED = {"/api/processes/", "/api/fields/", "/api/measures/", "/api/projects/", "/api/labs/", "/api/feedback/"}
# Lists whose query names one object (a process, a lab) that may not exist: 404.
NAMED_BY_QUERY = {"/api/map/"}


def _answer(code):
    schema = FIELD_ERRORS if code == "400" else DETAIL
    answer = {"description": REASONS[code], "content": {"application/json": {"schema": schema}}}
    if code == "429":
        answer["headers"] = {"Retry-After": {"schema": {"type": "integer"}, "description": "Sekunden"}}
    return answer


def error_responses(operation, method, path):
    parameters = operation.get("parameters", [])
    codes = {"401"}
    if any(p.get("in") in ("query", "header") for p in parameters) or "requestBody" in operation:
        codes.add("400")
    if method not in ("get", "head", "options") or (method, path) in FORBIDDEN_READS:
        codes.add("403")
    if any(p.get("in") == "path" for p in parameters) or path in PAGINATED | NAMED_BY_QUERY:
        codes.add("404")
    if (method, path) in CONFLICTS:
        codes.add("409")
    if (method, path) in RATE_LIMITED:
        codes.add("429")
    return codes


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def export_media_types():
    """The file types each export answers with, by ?format= (the views say "binary")."""
    from results.exports import CONTENT_TYPES

    return {
        "/api/consultations/{id}/export": sorted(set(CONTENT_TYPES.values())),
        "/api/workshops/{code}/export": ["application/json", "application/zip", XLSX],
    }


def _document_export_types(path, method, operation, media_types):
    ok = operation["responses"].get("200", {})
    if method != "get" or path not in media_types or "content" not in ok:
        return
    schema = {"type": "string", "format": "binary"}
    ok["content"] = {
        media_type: {"schema": {"type": "object"} if media_type == "application/json" else schema}
        for media_type in media_types[path]
    }


def add_error_responses(result, generator, request, public):
    """drf-spectacular POSTPROCESSING_HOOKS entry: document the error answers of every operation
    (and the real file types of the exports)."""
    media_types = export_media_types()
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            _document_export_types(path, method, operation, media_types)
            responses = operation["responses"]
            for code in sorted(error_responses(operation, method, path)):
                existing = responses.get(code)
                if existing is None or "content" not in existing:
                    description = (existing or {}).get("description") or REASONS[code]
                    responses[code] = {**_answer(code), "description": description}
    return result
