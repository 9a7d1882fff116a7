"""Project-wide isolation: every URL pattern of the project, discovered from the resolver, proves that
practice A sees nothing of practice B, and a client's pages nothing of another client's.

The world (tests/isolation_walk.py `build_world`) has three scopes, each with one object of every
kind made by the factories in tests/isolation_objects.py and named with canaries ("Canary-b-goal-12"):
practice B (its name, owner, client, members, portal users, keys and invitations included), practice
A's other client, and A's first client (the caller's own). For each pattern the walk fills the
arguments with

- practice B's objects (under B's slug, under A's slug, and one argument at a time among A's own) —
  every method the view answers must be a **404** (never a 403: no existence leak);
- A's other client's objects under A's first client — **404**;
- the caller's own objects — the positive control: GET is a **200**, a write is answered (not a 404,
  403 or 5xx), so a view that 404s for everyone fails too.

Who calls: pages under /p/<slug>/ — A's owner; the API under /api/v1/ — A's read-write key, A's
read-only key and A's session (which also gets a 404 asking for practice B with `?practice=`); the
portal under /portal/ — the executive of A's first client; the invitation link — see `walk_link`; a
calendar feed's secret link — see `walk_feed`.

Canaries are matched case-insensitively in every response body: practice B's never appear in
anything A gets. A's other client's may appear on practice-wide pages and API lists (the client list,
members, `/api/v1/goals/`: they are A's own), but never under A's first client (its pages, API answers
about its objects, its portal). The pattern outside tenancy without arguments (the root, onboarding,
allauth's pages of the signed-in person, the API docs) are swept for B's canaries too.

Writes by those who may only read: every unsafe method (POST, PUT, PATCH, DELETE) on every page as
A's viewer, on every API route as A's read-only key and as A's viewer's session, and on every portal
URL as the executive, is refused (403/405) and changes no row of any table of ours (counts and the
newest `updated_at`, history tables included, so an update shows too).

A new URL pattern the walk cannot fill, or a new tenant model no factory makes, fails a test that
says what to add where.
"""

import pytest

from . import isolation_patterns as url_patterns
from . import isolation_walk as walk

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(practice_a, owner_a, client_a1, practice_b):
    return walk.build_world(practice_a, owner_a, client_a1, practice_b)


@pytest.fixture(scope="module")
def patterns():
    return url_patterns.discover()


def test_every_url_pattern_is_covered_by_the_walk(patterns):
    problems = url_patterns.coverage_problems(patterns)
    assert not problems, "The isolation walk cannot cover these URL patterns:\n" + "\n".join(problems)
    surfaces = {p.surface for p in patterns}
    assert {"page", "api", "link"} <= surfaces


def test_every_tenant_model_is_planted_in_every_scope(world):
    missing = walk.unplanted_models(world)
    assert not missing, (
        "No factory in tests/isolation_objects.py makes these tenant models, so the canary check cannot "
        "see them; add one to OBJECTS (keyed by the model's label if no URL names it): " + ", ".join(missing)
    )


def test_pages_of_practice_a_show_nothing_of_b_or_of_another_client(world, patterns):
    pages = walk.select(patterns, "page")
    report = walk.walk_pages(world, pages)
    assert not report.failures, "\n".join(report.failures)
    assert report.requests >= 150 and report.csv >= 4
    seen = "\n".join(report.bodies).lower()
    unseen = [c for c in world.a1.canaries if c.lower() not in seen]
    assert not unseen, f"A's own objects do not show on any page (is the canary check blind?): {unseen}"


def test_api_answers_practice_a_only(world, patterns, api_key_a, read_only_key_a):
    callers = [
        walk.key_of("A's read-write key", api_key_a[1], may_write=True),
        walk.key_of("A's read-only key", read_only_key_a[1], may_write=False),
        walk.session_of("A's owner's session", world.owner_a, may_write=True),
    ]
    report = walk.walk_api(world, walk.select(patterns, "api"), callers)
    assert not report.failures, "\n".join(report.failures)
    assert report.requests >= 100


def test_readers_cannot_write_anywhere(world, patterns, read_only_key_a):
    viewer = walk.session_of("A's viewer", world.viewer_a, may_write=False)
    read_only_key = walk.key_of("A's read-only key", read_only_key_a[1], may_write=False)
    executive = walk.session_of("A1's executive", world.a1.object("access_pk").user, may_write=False)
    reports = [
        walk.walk_refusals(world, walk.select(patterns, "page"), [viewer]),
        walk.walk_refusals(world, walk.select(patterns, "api"), [read_only_key, viewer]),
        walk.walk_refusals(world, walk.select(patterns, "portal"), [executive]),
    ]
    failures = [f for r in reports for f in r.failures]
    assert not failures, "\n".join(failures)
    assert sum(r.requests for r in reports) >= 250


def test_portal_shows_only_the_executives_own_client(world, patterns):
    report = walk.walk_portal(world, walk.select(patterns, "portal"))
    assert not report.failures, "\n".join(report.failures)


def test_invitation_link_shows_only_its_own_invitation(world, patterns):
    links = walk.select(patterns, "link")
    assert links
    report = walk.walk_link(world, links)
    assert not report.failures, "\n".join(report.failures)


def test_calendar_feed_link_shows_only_its_own_practice(world, patterns):
    feeds = walk.select(patterns, "feed")
    assert feeds
    report = walk.walk_feed(world, feeds)
    assert not report.failures, "\n".join(report.failures)
    seen = "\n".join(report.bodies).lower()
    assert world.a1.object("contracts/pk").name.lower() in seen  # the positive control is not blind


def test_pages_outside_tenancy_show_nothing_of_b(world, patterns):
    outside = [
        p for p in patterns if p.surface is None and not p.kwargs and url_patterns.outside_tenancy(p.route)
    ]
    outside = [p for p in outside if not p.route.startswith("admin/")]
    report = walk.sweep(world, outside, walk.login(world.owner_a))
    assert not report.failures, "\n".join(report.failures)
    assert report.requests >= 10
