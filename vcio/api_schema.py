"""The OpenAPI schema's shared parts: the API's description (authentication, tenancy, lists, errors),
tag descriptions, and the error responses every operation can give.

Apps describe their tags with `describe_tag("initiatives", "…")` next to their viewsets; the
post-processing hook (named in SPECTACULAR_SETTINGS) adds the rest to every operation.
"""

import inspect

from django.conf import settings
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import get_override

API_DESCRIPTION = """\
The REST API of vcio. Every endpoint lives under `/api/v1/` and acts for **one practice**.

## Authentication

- **API key** (integrations): send `Authorization: Api-Key <key>` (`Bearer <key>` works too).
  Owners and admins create keys under *Settings → API keys*, or on the server with
  `python manage.py create_api_key --practice SLUG --name NAME [--read-only] [--expires YYYY-MM-DD]`.
  The key is shown once and stored only as a hash. A **read-only** key reads everything of its
  practice (like a viewer); a **read-write** key may also create, change and delete client work
  (like a consultant). An unknown, revoked or expired key gets `401`.
- **Session** (the browser; this page uses it when you are logged in to vcio):
  your role in the practice applies. Choose the practice with the `X-Practice: <slug>` header or
  `?practice=<slug>`; without either, the practice you last used in the app. Writes need the CSRF
  token (`X-CSRFToken`).

## Tenancy

Another practice's objects do not exist for you: their ids answer `404`, and given as a related id
or a filter value they are invalid (`400`), exactly like ids that do not exist.

## Lists

`?page=` and `?page_size=` (default 50, at most 200), `?ordering=<field>` or `-<field>`,
`?search=`, and the filters listed per endpoint. A list answers
`{"count": …, "next": …, "previous": …, "results": […]}`.

## Errors

Every response is JSON, errors included.

- `400`: the request was refused and nothing changed. Always an object of lists of messages by
  field, with `non_field_errors` for the rest, e.g.
  `{"name": ["This field may not be blank."], "non_field_errors": ["JSON parse error …"]}`.
- `401`: no credentials, or an unknown, revoked or expired API key — `{"detail": "…"}`.
- `403`: your role or a read-only key may not do this; nothing changed — `{"detail": "…"}`.
- `404`: no such object in your practice, no such path (e.g. an id that is not a UUID), or a
  list's `page` past the last page or not a positive number — `{"detail": "Not found."}`.
- `405`: the method is not allowed on this path — `{"detail": "…"}` with an `Allow` header.
- `413`: the request body is larger than MAX_BODY_MB MB; nothing changed — `{"detail": "…"}`.
- `415`: a body that is not JSON; send `Content-Type: application/json` — `{"detail": "…"}`.
- `429`: too many requests — `{"detail": "Request was throttled. Expected available in 42 seconds."}`
  with a `Retry-After` header (seconds to wait).

## Rate limits

Each API key, and each signed-in user, may make 1200 requests per hour by default (the server's
`API_THROTTLE_RATE`); requests without credentials 60 per minute per IP address. Keys are counted
separately: one busy integration does not slow down another.
"""

_TAGS: dict[str, str] = {}
BASE_MODULE = "vcio.api"  # the base classes' docstrings are for developers, not for the API docs
SUMMARIES = {
    "list": "List {plural}",
    "create": "Create {a} {singular}",
    "retrieve": "Get {a} {singular}",
    "update": "Replace {a} {singular}",
    "partial_update": "Update {a} {singular}",
    "destroy": "Delete {a} {singular}",
}


def article(noun: str) -> str:
    """ "an" before a vowel sound ("an initiative", "an API key"), else "a" ("a user", "a goal")."""
    word = noun.strip()
    if word[:3].isupper() and word[:1] in "AEFHILMNORSX":  # an acronym read letter by letter: "an API key"
        return "an"
    if word.lower().startswith(("uni", "use", "usu", "eu", "one")):
        return "a"
    return "an" if word[:1].lower() in "aeiou" else "a"


def first_sentence(doc: str) -> str:
    text = " ".join(doc.split())
    end = text.find(". ")
    sentence = text if end < 0 else text[:end]
    return sentence.rstrip(".")


def own_doc(cls) -> str:
    """The docstring of the class or its nearest ancestor that is not one of our base classes."""
    for klass in cls.__mro__:
        if klass.__module__ == BASE_MODULE or klass.__module__.startswith(("rest_framework", "django")):
            return ""
        doc = klass.__dict__.get("__doc__")
        if doc:
            return inspect.cleandoc(doc)
    return ""


class TenantAutoSchema(AutoSchema):
    """Descriptions from the app's own docstrings only, and a summary per action ("List clients")."""

    def get_description(self):
        action = getattr(self.view, getattr(self.view, "action", None) or self.method.lower(), None)
        action_doc = inspect.getdoc(action) if action is not None and action.__doc__ else ""
        if action_doc and getattr(action, "__module__", "").startswith("rest_framework"):
            action_doc = ""
        return action_doc or own_doc(self.view.__class__)

    def get_summary(self):
        action = getattr(self.view, "action", None)
        queryset = getattr(self.view, "queryset", None)
        serializer_class = getattr(self.view, "serializer_class", None)
        model = getattr(getattr(serializer_class, "Meta", None), "model", None) or getattr(
            queryset, "model", None
        )
        if action in SUMMARIES and model is not None:
            meta = model._meta
            singular = str(meta.verbose_name)
            return SUMMARIES[action].format(
                a=article(singular), singular=singular, plural=meta.verbose_name_plural
            )
        # Extra actions and plain views: the first sentence of their docstring.
        handler = getattr(self.view, action or self.method.lower(), None)
        doc = (
            inspect.getdoc(handler)
            if handler is not None and handler.__doc__
            else own_doc(self.view.__class__)
        )
        return first_sentence(doc) if doc else None

    def _map_serializer(self, serializer, direction, bypass_extensions=False):
        component = super()._map_serializer(serializer, direction, bypass_extensions)
        if not get_override(serializer, "description"):
            doc = own_doc(serializer.__class__)
            if doc:
                component["description"] = doc
            else:
                component.pop("description", None)
        return component


def describe_tag(name: str, description: str) -> None:
    _TAGS[name] = description


VALIDATION_ERROR = {
    "type": "object",
    "description": "Messages by field name; `non_field_errors` for errors not tied to one field.",
    # A field's messages; a nested or list field's errors are an object by key or position.
    "additionalProperties": {"anyOf": [{"type": "array", "items": {}}, {"type": "object"}]},
    "example": {"name": ["This field may not be blank."]},
}
ERROR = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
    "example": {"detail": "Not found."},
}
METHODS = {"get", "post", "put", "patch", "delete"}
WRITES = {"post", "put", "patch", "delete"}


def _response(description: str, component: str) -> dict:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{component}"}}},
    }


def postprocess(result, generator, request, public):
    """drf-spectacular post-processing hook: description, tags and error responses."""
    max_body_mb = settings.DATA_UPLOAD_MAX_MEMORY_SIZE // (1024 * 1024)
    result["info"]["description"] = API_DESCRIPTION.replace("MAX_BODY_MB", str(max_body_mb))
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.setdefault("ValidationError", VALIDATION_ERROR)
    schemas.setdefault("Error", ERROR)
    used_tags = set()
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if method not in METHODS:
                continue
            used_tags.update(operation.get("tags", []))
            responses = operation.setdefault("responses", {})
            has_input = method in {"post", "put", "patch"} or any(
                p.get("in") == "query" for p in operation.get("parameters", [])
            )
            responses.setdefault(
                "400",
                _response(
                    "Invalid input; nothing changed."
                    if has_input
                    else "A malformed request (e.g. a NUL character in the URL); nothing changed.",
                    "ValidationError",
                ),
            )
            responses.setdefault(
                "401", _response("No credentials, or an unknown, revoked or expired key.", "Error")
            )
            responses.setdefault(
                "403",
                _response(
                    "Your role may not do this (a read-only key may not write); nothing changed."
                    if method in WRITES
                    else "Your role may not do this.",
                    "Error",
                ),
            )
            if "{" in path:
                not_found = "No such object in your practice."
            elif any(p.get("name") == "page" for p in operation.get("parameters", [])):
                not_found = "No such page: `page` is past the last page, or not a positive number."
            else:
                not_found = "Not found (with a session: not a member of the practice asked for)."
            responses.setdefault("404", _response(not_found, "Error"))
            if "requestBody" in operation:
                responses.setdefault(
                    "413",
                    _response(
                        f"The request body is too large (at most {max_body_mb} MB); nothing changed.", "Error"
                    ),
                )
                responses.setdefault(
                    "415", _response("The body is not JSON (`Content-Type: application/json`).", "Error")
                )
            responses.setdefault(
                "429", _response("Too many requests; retry after `Retry-After` seconds.", "Error")
            )
    result["tags"] = [
        {"name": name, **({"description": _TAGS[name]} if name in _TAGS else {})}
        for name in sorted(used_tags)
    ]
    return result


# --- the schema view: generated once per process ----------------------------------------------
