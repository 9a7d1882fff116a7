"""Project-wide isolation: every page under /p/<practice_slug>/ answers 404 to practice A's owner
for practice B's objects, however the URL mixes them.

The walk covers every URL pattern in the project. A pattern with a keyword argument this file
cannot fill makes the test fail: **when your app adds a URL with a new object id, add a factory for
it to OBJECTS below** (or, with a reason, to SKIPPED).
"""

import re
from dataclasses import dataclass, field

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from accounts.apikey_services import api_key_create
from accounts.member_services import invitation_create
from accounts.models import Membership, Role
from clients.models import PortalAccess
from clients.portal_services import portal_invitation_create

from .factories import (
    ActionItemFactory,
    AgendaItemFactory,
    ContactFactory,
    GoalFactory,
    InitiativeFactory,
    MeetingFactory,
    QBRReportFactory,
    ReportBatchFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

PRACTICE_PREFIX = "p/<slug:practice_slug>/"


@dataclass
class World:
    """Practice B (the victim), its owner, its canary client, and what the factories made."""

    practice: object
    owner: object
    client: object
    made: dict = field(default_factory=dict)


# How to make practice B's object for a URL keyword argument. Looked up, most specific first, by
# "<namespace>:<url name>:<kwarg>", then the longest "<path before it>/<kwarg>" the route ends with
# (for generic names such as `pk`: "initiatives/pk"), then "<kwarg>". Each factory gets the World
# and returns a model object (its pk goes into the URL).
OBJECTS = {
    # clients
    "client_pk": lambda w: w.client,
    "contact_pk": lambda w: ContactFactory(client=w.client, name="CANARY-Bravo-Contact-2"),
    "key_pk": lambda w: api_key_create(practice=w.practice, actor=w.owner, name="CANARY-key", read_only=True)[
        0
    ],
    "membership_pk": lambda w: Membership.objects.get(practice=w.practice, user=w.owner),
    "invitations/invitation_pk": lambda w: invitation_create(
        practice=w.practice, actor=w.owner, email="canary-member@bravo.example.com", role=Role.CONSULTANT
    )[0],
    "portal-access/invitations/invitation_pk": lambda w: portal_invitation_create(
        client=w.client, actor=w.owner, email="canary-exec@bravo.example.com"
    )[0],
    "access_pk": lambda w: PortalAccess.objects.create(
        practice=w.practice, client=w.client, user=UserFactory(email="canary-portal@bravo.example.com")
    ),
    # roadmaps
    "initiatives/pk": lambda w: InitiativeFactory(client=w.client, title="CANARY-initiative"),
    "goals/pk": lambda w: GoalFactory(client=w.client, title="CANARY-goal"),
    # qbr
    "meeting_pk": lambda w: MeetingFactory(client=w.client, title="CANARY-meeting"),
    "agenda/item_pk": lambda w: AgendaItemFactory(meeting__client=w.client, title="CANARY-agenda"),
    "action_pk": lambda w: ActionItemFactory(meeting__client=w.client, description="CANARY-action"),
    "report_pk": lambda w: QBRReportFactory(client=w.client, ready=True),
    "batch_pk": lambda w: ReportBatchFactory(practice=w.practice),
}

# Patterns under /p/<practice_slug>/ this test does not visit, each with the reason.
SKIPPED: dict[str, str] = {}


def practice_patterns():
    """(route, "namespace:name", pattern) for every URL pattern under /p/<practice_slug>/."""

    def walk(patterns, prefix, namespace):
        for p in patterns:
            if isinstance(p, URLResolver):
                yield from walk(p.url_patterns, prefix + str(p.pattern), p.namespace or namespace)
            elif isinstance(p, URLPattern):
                yield prefix + str(p.pattern), f"{namespace}:{p.name}" if namespace else p.name, p

    return [r for r in walk(get_resolver().url_patterns, "", None) if r[0].startswith(PRACTICE_PREFIX)]


def kwargs_of(route: str) -> list[str]:
    """The keyword arguments of a route, in order, practice_slug excluded."""
    return [k for k in re.findall(r"<(?:\w+:)?(\w+)>", route) if k != "practice_slug"]


def factory_key(route: str, name: str, kwarg: str) -> str | None:
    """The OBJECTS key for one argument of one pattern, most specific first (see OBJECTS)."""
    if f"{name}:{kwarg}" in OBJECTS:
        return f"{name}:{kwarg}"
    head = re.split(rf"<(?:\w+:)?{kwarg}>", route)[0]  # the route up to this argument
    by_path = [k for k in OBJECTS if "/" in k and k.endswith(f"/{kwarg}") and head.endswith(k[: -len(kwarg)])]
    if by_path:
        return max(by_path, key=len)
    return kwarg if kwarg in OBJECTS else None


@pytest.fixture
def world_b(practice_b, owner_b, canary_client_b):
    return World(practice=practice_b, owner=owner_b, client=canary_client_b)


def object_for(world: World, key: str):
    if key not in world.made:
        world.made[key] = OBJECTS[key](world)
    return world.made[key]


def request_status(http, url: str) -> tuple[int, str]:
    """GET; a POST-only page (405) is POSTed to with no data instead."""
    response = http.get(url)
    if response.status_code == 405:
        response = http.post(url, {})
        return response.status_code, "POST"
    return response.status_code, "GET"


def test_every_practice_url_can_be_filled_or_is_skipped_with_a_reason():
    missing = []
    for route, name, _ in practice_patterns():
        if name in SKIPPED:
            continue
        for kwarg in kwargs_of(route):
            if factory_key(route, name, kwarg) is None:
                missing.append(f"{name} ({route}): no factory for <{kwarg}>")
    assert not missing, (
        "Add practice B's object for these URL arguments to OBJECTS in tests/test_url_isolation.py "
        "(or skip the pattern in SKIPPED with a reason):\n" + "\n".join(missing)
    )
    assert set(SKIPPED) <= {name for _, name, _ in practice_patterns()}, (
        "SKIPPED lists a pattern that is gone"
    )


def test_practice_b_objects_are_404_for_practice_a_owner_on_every_page(
    as_owner_a, practice_a, client_a1, world_b
):
    visited, failures = 0, []
    for route, name, _ in practice_patterns():
        if name in SKIPPED:
            continue
        args = kwargs_of(route)
        if not args:
            continue  # no object in the URL: the page only lists the practice's own rows
        b_values = {kwarg: object_for(world_b, factory_key(route, name, kwarg)).pk for kwarg in args}
        variants = {
            "B's objects under A's slug": {"practice_slug": practice_a.slug, **b_values},
            "B's objects under B's slug": {"practice_slug": world_b.practice.slug, **b_values},
        }
        if "client_pk" in b_values and len(b_values) > 1:  # A's own client, B's object under it
            variants["B's object under A's client"] = {
                "practice_slug": practice_a.slug,
                **b_values,
                "client_pk": client_a1.pk,
            }
        for label, kwargs in variants.items():
            url = "/" + _fill(route, kwargs)
            status, method = request_status(as_owner_a, url)
            visited += 1
            if status != 404:
                failures.append(f"{method} {url} ({name}, {label}) answered {status}")
    assert visited >= 30
    assert not failures, "\n".join(failures)


def test_no_page_of_practice_a_shows_a_canary_of_practice_b(as_owner_a, practice_a, client_a1, world_b):
    """Every GET page of A that needs at most A's client: none shows B's CANARY names."""
    for key in OBJECTS:
        object_for(world_b, key)
    checked = 0
    for route, name, _ in practice_patterns():
        args = set(kwargs_of(route))
        if name in SKIPPED or not args <= {"client_pk"}:
            continue
        url = "/" + _fill(route, {"practice_slug": practice_a.slug, "client_pk": client_a1.pk})
        response = as_owner_a.get(url, follow=True)
        if response.status_code == 405:
            continue
        assert response.status_code == 200, f"{url} answered {response.status_code}"
        assert b"CANARY" not in response.content, url
        checked += 1
    assert checked >= 10


def _fill(route: str, kwargs: dict) -> str:
    return re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(kwargs[m.group(1)]), route)
