"""The machinery of the project-wide isolation walk; the rules and the tests are in
tests/test_url_isolation.py, the objects it puts into URLs in tests/isolation_objects.py, the URL patterns it walks (found,
classified and checked for coverage) in tests/isolation_patterns.py.

Every function that checks returns a list of failures (strings) rather than asserting, so one run
reports every problem at once and the guard tests can plant a bug and see it reported.
"""

import itertools
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connection, transaction
from django.test import Client as HttpClient
from django.urls import reverse

from accounts.models import Membership, Role
from vcio.models import is_tenant_model

from .factories import ClientFactory, UserFactory
from .isolation_objects import OBJECTS
from .isolation_patterns import CONSTANTS, NOT_SWEPT, REDIRECTS, SKIPPED, Pattern, factory_key

UNSAFE = ("POST", "PUT", "PATCH", "DELETE")
REFUSED = {403, 405}

# --- the world: three scopes, every kind of object in each, named with canaries ------------------

_counter = itertools.count(1)


@dataclass
class Scope:
    """Where a factory puts its object (see tests/isolation_objects.py)."""

    label: str  # "b" (practice B), "a2" (A's other client), "a1" (the caller's own)
    practice: object
    owner: object
    client: object
    made: dict = field(default_factory=dict)
    # canary -> the object whose factory named it (None: the scope itself: practice, owner, client)
    canaries: dict = field(default_factory=dict)
    _stack: list = field(default_factory=list)

    def canary(self, kind: str) -> str:
        name = f"Canary-{self.label}-{kind}-{next(_counter)}"
        self.canaries[name] = self._stack[-1] if self._stack else None
        return name

    def email(self, kind: str) -> str:
        return f"{self.canary(kind).lower()}@example.com"

    def user(self, kind: str):
        name = self.canary(kind)
        return UserFactory(
            name=name, first_name=name, last_name=self.canary(f"{kind}-last"), email=self.email(kind)
        )

    def object(self, key: str):
        factory = OBJECTS[key]  # keys sharing a factory ("api:goals", "goals/pk") share its object
        if factory not in self.made:
            self._stack.append(key)
            try:
                self.made[factory] = factory(self)
            finally:
                self._stack.pop()
        return self.made[factory]

    def plant(self) -> None:
        for key in OBJECTS:
            self.object(key)

    def belongs_to_client(self, key) -> bool:
        """Was this factory's object made under the scope's client (not practice-wide)?"""
        if key is None:
            return False
        obj = self.object(key)
        return obj == self.client or getattr(obj, "client_id", None) == self.client.pk


@dataclass
class World:
    b: Scope  # practice B and its client: never visible to A
    a2: Scope  # A's other client: never visible under A's first client
    a1: Scope  # the caller's own
    owner_a: object
    viewer_a: object

    def forbidden(self, *, under_own_client: bool) -> dict[str, str]:
        """canary (lower case) -> where it comes from: what must not appear in a response to A.

        Always practice B's canaries (its name, users, clients, objects, keys and invitations). Under
        A's first client (a page of client A1, an API answer about an A1 object, the A1 portal), also
        the canaries of objects of A's other client. Practice-wide pages of A (the client list, the
        members, the API lists) may show the other client: it is A's own.
        """
        found = {c.lower(): "practice B" for c in self.b.canaries}
        if under_own_client:
            found |= {
                c.lower(): "A's other client"
                for c, key in self.a2.canaries.items()
                if self.a2.belongs_to_client(key) or key is None
            }
        return found


def build_world(practice_a, owner_a, client_a1, practice_b) -> World:
    # Practice B: its name, owner and client are canaries too.
    b = Scope("b", practice_b, None, None)
    practice_b.name = b.canary("practice")
    practice_b.save()
    b.owner = b.user("owner")
    Membership.objects.create(practice=practice_b, user=b.owner, role=Role.OWNER)
    b.client = ClientFactory(practice=practice_b, name=b.canary("client"), primary_consultant=b.owner)
    a2 = Scope("a2", practice_a, owner_a, None)
    a2.client = ClientFactory(practice=practice_a, name=a2.canary("client"))
    a1 = Scope("a1", practice_a, owner_a, client_a1)
    for scope in (b, a2, a1):
        scope.plant()
    viewer = a1.user("viewer")
    Membership.objects.create(practice=practice_a, user=viewer, role=Role.VIEWER)
    return World(b=b, a2=a2, a1=a1, owner_a=owner_a, viewer_a=viewer)


def unplanted_models(world: World) -> list[str]:
    """Tenant models of which practice B has no row after planting: the canary check cannot see them."""
    missing = []
    for model in apps.get_models():
        if (
            is_tenant_model(model)
            and not model._default_manager.filter(practice_id=world.b.practice.pk).exists()
        ):
            missing.append(model._meta.label)
    return missing


# --- requests ------------------------------------------------------------------------------------


def login(user) -> HttpClient:
    http = HttpClient(raise_request_exception=False)
    http.force_login(user)
    return http


def with_key(raw: str) -> HttpClient:
    return HttpClient(raise_request_exception=False, HTTP_AUTHORIZATION=f"Api-Key {raw}")


@contextmanager
def rolled_back():
    """Whatever the request writes is undone afterwards: every variant starts from the same world."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def send(http, method: str, url: str, *, api: bool):
    if method == "GET":
        return http.get(url)
    if method == "POST" and not api:
        return http.post(url, {})
    if method == "DELETE":
        return http.delete(url)
    if api:
        return http.generic(method, url, "{}", content_type="application/json")
    return http.generic(method, url, "", content_type="application/x-www-form-urlencoded")


def body_of(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode(errors="replace")


def leaked(body: str, forbidden: dict[str, str]) -> list[str]:
    text = body.lower()
    return [f"{c} ({where})" for c, where in forbidden.items() if c in text]


def url_for(pattern: Pattern, values: dict) -> str:
    kwargs = {k: values[k] for k in pattern.kwargs}
    return reverse(pattern.name, kwargs=kwargs)


def value(obj) -> str:
    return obj if isinstance(obj, str) else str(obj.pk)


def fill(pattern: Pattern, scope: Scope, slug_scope: Scope | None = None, **overrides: Scope) -> dict:
    """Argument values: every object from `scope` (or, per argument, from `overrides`)."""
    values = {"practice_slug": (slug_scope or scope).practice.slug, **CONSTANTS}
    for kwarg in pattern.object_kwargs:
        source = overrides.get(kwarg, scope)
        values[kwarg] = value(source.object(factory_key(pattern, kwarg)))
    return values


@dataclass(frozen=True)
class Caller:
    """Who sends the walk's requests: a logged-in browser or an API key."""

    name: str
    http: HttpClient
    may_write: bool  # an owner or a read-write key (a viewer, a read-only key or an executive: no)
    session: bool  # a browser session (the API then also takes `?practice=<slug>`)

    def __str__(self):
        return self.name


def session_of(name: str, user, *, may_write: bool) -> Caller:
    return Caller(name, login(user), may_write, session=True)


def key_of(name: str, raw: str, *, may_write: bool) -> Caller:
    return Caller(name, with_key(raw), may_write, session=False)


@dataclass
class Report:
    failures: list = field(default_factory=list)
    bodies: list = field(default_factory=list)  # bodies of the positive controls (own objects)
    requests: int = 0
    csv: int = 0  # CSV exports checked


def foreign_variants(pattern: Pattern, world: World) -> dict[str, dict]:
    """label -> argument values that must be a 404 for practice A."""
    a1, a2, b = world.a1, world.a2, world.b
    args = pattern.object_kwargs
    variants = {"practice B's objects under B's slug": fill(pattern, b)}
    if args:
        variants["practice B's objects under A's slug"] = fill(pattern, b, slug_scope=a1)
    if len(args) > 1:
        for kwarg in args:  # one argument of B's, everything else A's own
            variants[f"B's <{kwarg}> with A's own other arguments"] = fill(pattern, a1, **{kwarg: b})
    if "client_pk" in args and len(args) > 1:  # same practice, other client
        for kwarg in args:
            if kwarg == "client_pk" or a2.belongs_to_client(factory_key(pattern, kwarg)):
                variants[f"A's other client's <{kwarg}> under A's first client"] = fill(
                    pattern, a1, **{kwarg: a2}
                )
    return variants


def foreign_urls(pattern: Pattern, world: World, extra: dict | None = None) -> list[tuple[str, str]]:
    """(label, url) of the foreign variants, each URL once, never the caller's own URL."""
    own = url_for(pattern, fill(pattern, world.a1))
    seen, found = {own}, []
    for label, values in {**foreign_variants(pattern, world), **(extra or {})}.items():
        url = url_for(pattern, values)
        if url not in seen:
            seen.add(url)
            found.append((label, url))
    return found


def walk_pages(world: World, patterns: list[Pattern]) -> Report:
    """Practice pages as A's owner: B's and the other client's objects 404, A's own load, no canary."""
    report = Report()
    owner = login(world.owner_a)
    for pattern in patterns:
        for label, url in foreign_urls(pattern, world):
            for method in sorted(pattern.methods):
                with rolled_back():
                    response = send(owner, method, url, api=False)
                report.requests += 1
                if response.status_code != 404:
                    report.failures.append(
                        f"{method} {url} ({pattern.name}, {label}): {response.status_code}, not 404"
                    )
                if bad := leaked(body_of(response), world.forbidden(under_own_client=False)):
                    report.failures.append(f"{method} {url} ({pattern.name}, {label}) shows {bad}")
        own = fill(pattern, world.a1)
        url = url_for(pattern, own)
        under_client = "client_pk" in pattern.object_kwargs
        for method in sorted(pattern.methods):
            with rolled_back():
                response = send(owner, method, url, api=False)
            report.requests += 1
            report.failures += positive_control(pattern, method, url, response)
            body = body_of(response)
            if method == "GET":
                report.bodies.append(body)
            if bad := leaked(body, world.forbidden(under_own_client=under_client)):
                report.failures.append(f"{method} {url} ({pattern.name}, A's own) shows {bad}")
        if "GET" in pattern.methods:  # the table's CSV export, where the page has one
            response = owner.get(url, {"format": "csv"})
            report.requests += 1
            if response.get("Content-Type", "").startswith("text/csv"):
                body = body_of(response)
                report.bodies.append(body)
                report.csv += 1
                if bad := leaked(body, world.forbidden(under_own_client=under_client)):
                    report.failures.append(f"GET {url}?format=csv ({pattern.name}, A's own) shows {bad}")
    return report


def positive_control(pattern: Pattern, method: str, url: str, response) -> list[str]:
    """The caller's own objects: GET loads (200), a write is answered (never 404, 403 or a 5xx)."""
    status = response.status_code
    if method == "GET" and status != (302 if pattern.name in REDIRECTS else 200):
        return [f"GET {url} ({pattern.name}, A's own objects): {status}, not 200 (positive control)"]
    if method != "GET" and (status in (403, 404) or status >= 500):
        return [f"{method} {url} ({pattern.name}, A's own objects): {status} (positive control)"]
    return []


def walk_api(world: World, patterns: list[Pattern], callers: list[Caller]) -> Report:
    """API routes for each caller: B's objects 404, A's own answer, no canary in any answer; a
    session asking for practice B is a 404. Readers send GET only (their writes: `walk_refusals`)."""
    report = Report()
    for caller in callers:
        http = caller.http
        for pattern in patterns:
            methods = sorted(pattern.methods if caller.may_write else pattern.methods & {"GET"})
            for label, url in foreign_urls(pattern, world):
                for method in methods:
                    with rolled_back():
                        response = send(http, method, url, api=True)
                    report.requests += 1
                    if response.status_code != 404:
                        report.failures.append(
                            f"{caller}: {method} {url} ({pattern.name}, {label}): {response.status_code}, not 404"
                        )
                    if bad := leaked(body_of(response), world.forbidden(under_own_client=False)):
                        report.failures.append(
                            f"{caller}: {method} {url} ({pattern.name}, {label}) shows {bad}"
                        )
            url = url_for(pattern, fill(pattern, world.a1))
            for method in methods:
                with rolled_back():
                    response = send(http, method, url, api=True)
                report.requests += 1
                report.failures += [
                    f"{caller}: {f}" for f in positive_control(pattern, method, url, response)
                ]
                body = body_of(response)
                if method == "GET":
                    report.bodies.append(body)
                under_client = bool(pattern.object_kwargs)  # an answer about one of A1's objects
                if bad := leaked(body, world.forbidden(under_own_client=under_client)):
                    report.failures.append(f"{caller}: {method} {url} ({pattern.name}, A's own) shows {bad}")
            if caller.session and "GET" in pattern.methods:
                other = f"{url}{'&' if '?' in url else '?'}practice={world.b.practice.slug}"
                response = http.get(other)
                report.requests += 1
                if response.status_code != 404:
                    report.failures.append(f"{caller}: GET {other}: {response.status_code}, not 404")
    return report


def sweep(world: World, patterns: list[Pattern], http: HttpClient) -> Report:
    """Patterns outside tenancy without arguments, as A's owner: no canary of B's."""
    report = Report()
    for pattern in patterns:
        if pattern.name in NOT_SWEPT or "GET" not in pattern.methods:
            continue
        response = http.get(reverse(pattern.name))
        report.requests += 1
        if response.status_code >= 500:
            report.failures.append(f"GET {reverse(pattern.name)} ({pattern.name}): {response.status_code}")
        if bad := leaked(body_of(response), world.forbidden(under_own_client=False)):
            report.failures.append(f"GET {reverse(pattern.name)} ({pattern.name}) shows {bad}")
    return report


# --- writes by those who may only read ------------------------------------------------------------


def our_tables() -> list[tuple[str, bool]]:
    """(table, has updated_at) of every model of ours (an app in this repository): tenant tables,
    their history, users, practices."""
    base = Path(settings.BASE_DIR).resolve()
    tables = set()
    for model in apps.get_models():
        path = Path(apps.get_app_config(model._meta.app_label).path).resolve()
        if base in path.parents and ".venv" not in path.parts:
            has_updated = any(f.attname == "updated_at" for f in model._meta.concrete_fields)
            tables.add((model._meta.db_table, has_updated))
    return sorted(tables)


def snapshot(tables: list[tuple[str, bool]]) -> tuple:
    """Row counts (and the newest `updated_at`) of every table, in one query. History tables make an
    update visible as a new row."""
    q = connection.ops.quote_name
    parts = []
    for table, has_updated in tables:
        parts.append(f"(SELECT COUNT(*) FROM {q(table)})")
        if has_updated:
            parts.append(f"(SELECT MAX(updated_at) FROM {q(table)})")
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts))
        return tuple(cursor.fetchone())


def changed_tables(tables, before: tuple, after: tuple) -> list[str]:
    names = [
        name
        for table, has_updated in tables
        for name in ([table, f"{table}.updated_at"] if has_updated else [table])
    ]
    return [name for name, x, y in zip(names, before, after, strict=True) if x != y]


def walk_refusals(world: World, patterns: list[Pattern], callers: list[Caller]) -> Report:
    """Every unsafe method on every pattern, with the caller's own objects, by callers that may only
    read: refused (403/405), and no row of any table changes."""
    report = Report()
    tables = our_tables()
    for caller in callers:
        http = caller.http
        for pattern in patterns:
            url = url_for(pattern, fill(pattern, world.a1))
            for method in UNSAFE:
                with rolled_back():
                    before = snapshot(tables)
                    response = send(http, method, url, api=pattern.surface == "api")
                    after = snapshot(tables)
                report.requests += 1
                if response.status_code not in REFUSED:
                    report.failures.append(
                        f"{caller}: {method} {url} ({pattern.name}): {response.status_code}, not 403/405"
                    )
                if before != after:
                    report.failures.append(
                        f"{caller}: {method} {url} ({pattern.name}) changed {changed_tables(tables, before, after)}"
                    )
    return report


def walk_portal(world: World, patterns: list[Pattern]) -> Report:
    """The portal as the executive of A's first client: B's objects and the other client's are 404s
    (whether or not the URL names a client), their own load, and no canary of either shows."""
    report = Report()
    executive = login(world.a1.object("access_pk").user)
    forbidden = world.forbidden(under_own_client=True)
    for pattern in patterns:
        other_client = {
            f"A's other client's <{kwarg}>": fill(pattern, world.a1, **{kwarg: world.a2})
            for kwarg in pattern.object_kwargs
            if world.a2.belongs_to_client(factory_key(pattern, kwarg))
        }
        for label, url in foreign_urls(pattern, world, other_client):
            with rolled_back():
                response = executive.get(url)
            report.requests += 1
            if response.status_code != 404:
                report.failures.append(
                    f"portal: GET {url} ({pattern.name}, {label}): {response.status_code}, not 404"
                )
            if bad := leaked(body_of(response), forbidden):
                report.failures.append(f"portal: GET {url} ({pattern.name}, {label}) shows {bad}")
        url = url_for(pattern, fill(pattern, world.a1))
        if "GET" in pattern.methods:
            response = executive.get(url)
            report.requests += 1
            report.failures += [f"portal: {f}" for f in positive_control(pattern, "GET", url, response)]
            report.bodies.append(body_of(response))
            if bad := leaked(body_of(response), forbidden):
                report.failures.append(f"portal: GET {url} ({pattern.name}, A's own) shows {bad}")
    return report


def walk_link(world: World, patterns: list[Pattern]) -> Report:
    """The link in an invitation e-mail. The token is the secret: whoever holds a live link sees that
    one invitation (the practice, who sent it, the address it was sent to) — that is what it is for.
    What is not a live link (made up, revoked) shows nothing of anyone (404/410), and a live link of
    practice B shows A's owner nothing of B beyond that one invitation."""
    from accounts.member_services import invitation_by_token, invitation_revoke

    report = Report()
    owner, anonymous = login(world.owner_a), HttpClient(raise_request_exception=False)
    everything = {c.lower(): f"scope {s.label}" for s in (world.b, world.a2, world.a1) for c in s.canaries}
    own_link = {c.lower(): "practice B" for c, key in world.b.canaries.items() if key not in (None, "token")}
    for pattern in patterns:
        own = url_for(pattern, fill(pattern, world.a1))
        response = anonymous.get(own)
        report.requests += 1
        report.failures += positive_control(pattern, "GET", own, response)
        b_values = fill(pattern, world.b)
        made_up = {k: ("x" + v[::-1] if k in pattern.object_kwargs else v) for k, v in b_values.items()}
        checks = [(owner, url_for(pattern, made_up), "a made-up link", {404}, everything)]
        checks.append((anonymous, url_for(pattern, made_up), "a made-up link, signed out", {404}, everything))
        checks.append((owner, url_for(pattern, b_values), "practice B's live link", {403}, own_link))
        for client, url, label, expected, forbidden in checks:
            response = client.get(url)
            report.requests += 1
            if response.status_code not in expected:
                report.failures.append(
                    f"GET {url} ({pattern.name}, {label}): {response.status_code}, not {expected}"
                )
            if bad := leaked(body_of(response), forbidden):
                report.failures.append(f"GET {url} ({pattern.name}, {label}) shows {bad}")
        token = b_values.get("token")
        if token:
            with rolled_back():
                invitation_revoke(invitation=invitation_by_token(token), actor=world.b.owner)
                for client in (owner, anonymous):
                    response = client.get(url_for(pattern, b_values))
                    report.requests += 1
                    if response.status_code != 410:
                        report.failures.append(
                            f"GET ({pattern.name}, B's revoked link): {response.status_code}, not 410"
                        )
                    if bad := leaked(body_of(response), everything):
                        report.failures.append(f"GET ({pattern.name}, B's revoked link) shows {bad}")
    return report


def walk_feed(world: World, patterns: list[Pattern]) -> Report:
    """A member's calendar-feed link. The token is the secret (calendar apps cannot sign in): whoever
    holds a live link reads that practice's dates — and nothing of any other practice. What is not a
    live link (made up, revoked) is a 404 and shows nothing of anyone; an unsafe method is refused
    (405) and changes no row."""
    from vendors.selectors import feed_for_token_all_practices
    from vendors.services import calendar_feed_reset

    report = Report()
    owner, anonymous = login(world.owner_a), HttpClient(raise_request_exception=False)
    everything = {c.lower(): f"scope {s.label}" for s in (world.b, world.a2, world.a1) for c in s.canaries}
    of_a = {c.lower(): f"practice A (scope {s.label})" for s in (world.a2, world.a1) for c in s.canaries}
    tables = our_tables()
    for pattern in patterns:
        own = url_for(pattern, fill(pattern, world.a1))
        response = anonymous.get(own)
        report.requests += 1
        report.failures += positive_control(pattern, "GET", own, response)
        report.bodies.append(body_of(response))
        if bad := leaked(body_of(response), world.forbidden(under_own_client=False)):
            report.failures.append(f"GET {own} ({pattern.name}, A's own link) shows {bad}")
        b_values = fill(pattern, world.b)
        made_up = {k: ("x" + v[::-1] if k in pattern.object_kwargs else v) for k, v in b_values.items()}
        checks = [
            (owner, url_for(pattern, made_up), "a made-up link", 404, everything),
            (anonymous, url_for(pattern, made_up), "a made-up link, signed out", 404, everything),
            (anonymous, url_for(pattern, b_values), "practice B's live link", 200, of_a),
        ]
        for client, url, label, expected, forbidden in checks:
            response = client.get(url)
            report.requests += 1
            if response.status_code != expected:
                report.failures.append(
                    f"GET {url} ({pattern.name}, {label}): {response.status_code}, not {expected}"
                )
            if bad := leaked(body_of(response), forbidden):
                report.failures.append(f"GET {url} ({pattern.name}, {label}) shows {bad}")
        with rolled_back():
            feed = feed_for_token_all_practices(b_values["token"])
            calendar_feed_reset(practice=feed.practice, user=feed.user, actor=feed.user)
            for client in (owner, anonymous):
                response = client.get(url_for(pattern, b_values))
                report.requests += 1
                if response.status_code != 404:
                    report.failures.append(
                        f"GET ({pattern.name}, B's revoked link): {response.status_code}, not 404"
                    )
                if bad := leaked(body_of(response), everything):
                    report.failures.append(f"GET ({pattern.name}, B's revoked link) shows {bad}")
        for method in UNSAFE:
            with rolled_back():
                before = snapshot(tables)
                response = send(anonymous, method, own, api=False)
                after = snapshot(tables)
            report.requests += 1
            if response.status_code not in REFUSED:
                report.failures.append(
                    f"{method} {own} ({pattern.name}): {response.status_code}, not 403/405"
                )
            if before != after:
                report.failures.append(
                    f"{method} {own} ({pattern.name}) changed {changed_tables(tables, before, after)}"
                )
    return report


def select(
    patterns: list[Pattern], surface: str, only: Callable[[Pattern], bool] | None = None
) -> list[Pattern]:
    return [
        p for p in patterns if p.surface == surface and p.name not in SKIPPED and (only is None or only(p))
    ]
