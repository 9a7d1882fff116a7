"""The URL patterns the isolation walk (tests/isolation_walk.py) requests: every pattern of the
project discovered from the resolver, its surface (pages, API, portal…), the methods its view
answers, what fills its arguments (tests/isolation_objects.py), and the coverage check that fails
on a pattern the walk cannot reach."""

import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver

from .isolation_objects import OBJECTS

# --- the URL patterns -----------------------------------------------------------------------------

# Where a pattern lives decides who calls it and how its arguments are filled (see test_url_isolation).
SURFACES = {
    "page": "p/<slug:practice_slug>/",  # practice pages: A's owner (and A's viewer for writes)
    "api": "api/v1/",  # the REST API: A's read-write key, A's read-only key, A's session
    "portal": "portal/",  # the client executives' portal: the portal user of A's first client
    "link": "invitations/",  # the link in an invitation e-mail: a secret token, no practice
    "feed": "feeds/",  # a member's calendar feed: a secret token, no login (calendar apps cannot sign in)
}

# Patterns outside tenancy (no practice's objects in their URL), by route prefix ("" is the exact
# root). Those without arguments are still swept for canaries as A's owner.
OUTSIDE_TENANCY = {
    "": "the root: sends a member to their practice",
    "onboarding/": "creates a new practice for the signed-in person",
    "profile/": "the signed-in person's own name and the practices they belong to",
    "healthz": "liveness probe: no data",
    "admin/": "Django admin for staff: superusers see every practice by design (add pages: tests/test_admin.py)",
    "accounts/": "allauth: sign-in, sign-up, password, e-mail and two-factor pages of the signed-in person",
    "api/schema/": "the OpenAPI schema: no data",
    "api/docs/": "Swagger UI over the schema: no data",
    "media/": "uploaded files (practice logos), served so in development only",
}
# Patterns without arguments not requested by the canary sweep, with the reason.
NOT_SWEPT = {
    "account_logout": "would end the session the walk uses",
    "account_reauthenticate": "asks for the password again; shows only the signed-in person",
    "mfa_reauthenticate": "asks for the second factor again; shows only the signed-in person",
}
# Values for arguments that name no object.
CONSTANTS = {"format": "json"}  # DRF's format suffix (`/api/v1/goals.json`)

# Patterns whose GET with the caller's own objects is a redirect (not a 200), with the reason.
REDIRECTS = {
    "practice_home": "a practice's home is its dashboard (the first sidebar entry)",
    "portal:home": "an executive of one client goes straight to its portal (a chooser for several)",
}

# Patterns the walk does not visit, by "namespace:name", each with the reason.
SKIPPED: dict[str, str] = {}


@dataclass(frozen=True)
class Pattern:
    route: str
    name: str | None
    kwargs: tuple[str, ...]  # in order of appearance, practice_slug included
    methods: frozenset[str]
    surface: str | None

    @property
    def object_kwargs(self) -> tuple[str, ...]:
        return tuple(k for k in self.kwargs if k != "practice_slug" and k not in CONSTANTS)

    def __str__(self):
        return f"{self.name} ({self.route})"


def view_methods(callback) -> frozenset[str]:
    """The HTTP methods the view answers (HEAD and OPTIONS aside)."""
    actions = getattr(callback, "actions", None)  # a DRF viewset route
    cls = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
    if actions:
        allowed = {m.lower() for m in getattr(cls, "http_method_names", actions)}
        return frozenset(m.upper() for m in actions if m.lower() in allowed)
    if cls is not None:
        names = getattr(cls, "http_method_names", ())
        return frozenset(m.upper() for m in names if m not in ("head", "options") and hasattr(cls, m))
    return frozenset({"GET", "POST"})  # a function view: assume both


def _kwarg_names(pattern) -> list[str]:
    regex = pattern.regex
    return sorted(regex.groupindex, key=regex.groupindex.get)


def surface_of(route: str) -> str | None:
    for surface, prefix in SURFACES.items():
        if route.startswith(prefix):
            return surface
    return None


def outside_tenancy(route: str) -> str | None:
    for prefix, reason in OUTSIDE_TENANCY.items():
        if route == prefix or (prefix and route.startswith(prefix)):
            return reason
    return None


def discover() -> list[Pattern]:
    """Every URL pattern of the project, from the resolver."""

    def walk(patterns, prefix, namespace, kwargs):
        for p in patterns:
            here = kwargs + _kwarg_names(p.pattern)
            route = prefix + str(p.pattern)
            if isinstance(p, URLResolver):
                ns = ":".join(filter(None, [namespace, p.namespace]))
                yield from walk(p.url_patterns, route, ns or None, here)
            elif isinstance(p, URLPattern):
                name = f"{namespace}:{p.name}" if namespace and p.name else p.name
                yield Pattern(route, name, tuple(here), view_methods(p.callback), surface_of(route))

    return list(walk(get_resolver().url_patterns, "", None, []))


def api_prefix(route: str) -> str:
    rest = route[len(SURFACES["api"]) :].lstrip("^")
    return re.split(r"[/.\\$(]", rest, maxsplit=1)[0]


def factory_key(pattern: Pattern, kwarg: str) -> str | None:
    """The OBJECTS key for one argument of one pattern, most specific first (see isolation_objects)."""
    if f"{pattern.name}:{kwarg}" in OBJECTS:
        return f"{pattern.name}:{kwarg}"
    if pattern.surface == "api" and kwarg == "pk" and f"api:{api_prefix(pattern.route)}" in OBJECTS:
        return f"api:{api_prefix(pattern.route)}"
    head = re.split(rf"<(?:\w+:)?{kwarg}>|\(\?P<{kwarg}>", pattern.route)[0].replace("^", "")
    by_path = [k for k in OBJECTS if "/" in k and k.endswith(f"/{kwarg}") and head.endswith(k[: -len(kwarg)])]
    if by_path:
        return max(by_path, key=len)
    return kwarg if kwarg in OBJECTS else None


def coverage_problems(patterns: Iterable[Pattern]) -> list[str]:
    """What a new URL pattern lacks for the walk to cover it, and where to add it."""
    problems = []
    for p in patterns:
        if p.name in SKIPPED:
            continue
        if p.surface is None:
            if outside_tenancy(p.route) is None:
                problems.append(
                    f"{p}: not under a surface the walk knows ({', '.join(SURFACES.values())}). Move it under "
                    "one, add its prefix to SURFACES in tests/isolation_patterns.py (and teach the walk its "
                    "caller), or to OUTSIDE_TENANCY there with the reason it holds no practice's data."
                )
            continue
        if p.name is None:
            problems.append(f"{p}: give the pattern a name (the walk builds URLs with reverse()).")
        for kwarg in p.object_kwargs:
            if factory_key(p, kwarg) is None:
                problems.append(
                    f"{p}: no factory for <{kwarg}>. Add one to OBJECTS in tests/isolation_objects.py "
                    f"(key '{p.name}:{kwarg}', or a path key such as '…/{kwarg}'), or skip the pattern in "
                    "SKIPPED in tests/isolation_patterns.py with the reason."
                )
    gone = set(SKIPPED) - {p.name for p in patterns}
    if gone:
        problems.append(
            f"SKIPPED in tests/isolation_patterns.py lists patterns that are gone: {sorted(gone)}"
        )
    return problems
