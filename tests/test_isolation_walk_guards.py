"""The isolation walk guards itself: each test plants one of the bugs issue 7 found (or a portal that
does not exist yet) and checks that the walk reports it. Each runs the walk over a few patterns only."""

import pytest

from accounts import member_selectors
from accounts.models import Invitation, User
from clients.forms import ClientForm
from roadmaps import selectors as roadmap_selectors
from roadmaps.api import GoalViewSet
from roadmaps.models import Goal

from . import isolation_patterns as url_patterns
from . import isolation_walk as walk
from .rls_support import requests_as_owner

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _without_row_level_security():
    """The planted bugs are ORM queries that forget the practice. On PostgreSQL, row-level security
    hides other practices' rows from such a query (tests/test_rls.py proves it): here the requests
    run as the tables' owner, so the walk itself must catch each bug."""
    with requests_as_owner():
        yield


@pytest.fixture
def world(practice_a, owner_a, client_a1, practice_b):
    return walk.build_world(practice_a, owner_a, client_a1, practice_b)


def named(surface, *names):
    return walk.select(url_patterns.discover(), surface, lambda p: p.name in names)


def test_canaries_match_whatever_the_case():
    forbidden = {"canary-b-goal-7": "practice B"}
    assert walk.leaked("<td>CANARY-B-GOAL-7</td>", forbidden)
    assert walk.leaked('{"email": "canary-b-goal-7@example.com"}', forbidden)
    assert not walk.leaked("<td>Canary-b-goal-8</td>", forbidden)


def test_an_api_listing_every_practice_fails_the_walk(world, api_key_a, monkeypatch):
    """Finding 2: a GoalViewSet returning `Goal.objects.all()`."""
    monkeypatch.setattr(
        GoalViewSet, "get_scoped_queryset", lambda self, practice: Goal.objects.order_by("pk")
    )
    callers = [walk.key_of("A's read-write key", api_key_a[1], may_write=True)]
    report = walk.walk_api(world, named("api", "goal-list"), callers)
    assert any("shows" in f and "canary-b-goal" in f for f in report.failures), report.failures


def test_a_roadmap_lookup_without_the_client_fails_the_walk(world, monkeypatch):
    """Finding 3: the goal page finds the goal in the practice, not in the client of the URL."""
    monkeypatch.setattr(
        roadmap_selectors,
        "goal_detail",
        lambda *, client, pk: Goal.objects.for_practice(client.practice_id).get(pk=pk),
    )
    report = walk.walk_pages(world, named("page", "roadmaps:goal_detail"))
    assert any(
        "A's other client's <pk> under A's first client): 200, not 404" in f for f in report.failures
    ), report.failures


def test_a_page_that_is_404_for_everyone_fails_the_positive_control(world, monkeypatch):
    """Finding 3: a view answering 404 whatever the object would pass a walk without a positive control."""

    def nothing(*, client, pk):
        raise Goal.DoesNotExist

    monkeypatch.setattr(roadmap_selectors, "goal_detail", nothing)
    report = walk.walk_pages(world, named("page", "roadmaps:goal_detail"))
    assert any("404, not 200 (positive control)" in f for f in report.failures), report.failures


def test_an_unscoped_list_of_pending_invitations_fails_the_walk(world, monkeypatch):
    """Finding 4: practice B's invitation on A's Members page (its e-mail is a lower-case canary)."""
    monkeypatch.setattr(
        member_selectors,
        "pending_member_invitations",
        lambda *, practice: Invitation.objects.filter(client__isnull=True, accepted_at__isnull=True),
    )
    report = walk.walk_pages(world, named("page", "accounts:members"))
    assert any("canary-b-invitee" in f for f in report.failures), report.failures


def test_a_form_offering_every_user_fails_the_walk(world, monkeypatch):
    """Finding 1, seen by the walk: B's owner offered as A's client's primary consultant."""

    def every_user(form):
        form.fields["primary_consultant"].queryset = User.objects.all()

    monkeypatch.setattr(ClientForm, "scope_fields", every_user)
    report = walk.walk_pages(world, named("page", "clients:create"))
    assert any("canary-b-owner" in f for f in report.failures), report.failures


@pytest.mark.urls("tests.isolation_guard_urls")
def test_portal_patterns_are_walked_as_the_clients_executive(world):
    right = walk.walk_portal(world, named("portal", "portal-home", "portal-goal"))
    assert not right.failures, right.failures
    assert right.requests >= 4
    leaky = walk.walk_portal(world, named("portal", "portal-leaky-goal"))
    assert any("A's other client's <pk>): 200, not 404" in f for f in leaky.failures), leaky.failures
    executive = walk.session_of("executive", world.a1.object("access_pk").user, may_write=False)
    writes = walk.walk_refusals(world, named("portal", "portal-home", "portal-writable"), [executive])
    assert [f for f in writes.failures if "portal-writable" in f and "not 403/405" in f]
    assert not [f for f in writes.failures if "portal-home" in f]


@pytest.mark.urls("tests.isolation_guard_urls")
def test_a_pattern_the_walk_cannot_fill_is_reported_with_what_to_add_where():
    problems = url_patterns.coverage_problems(url_patterns.discover())
    assert any(
        "portal-widget" in p and "no factory for <widget_pk>" in p and "isolation_objects.py" in p
        for p in problems
    )
    assert any("elsewhere" in p and "OUTSIDE_TENANCY" in p for p in problems)
    assert len(problems) == 2, problems


def test_a_tenant_model_without_a_factory_is_reported(world):
    from roadmaps.models import InitiativeStatusChange

    InitiativeStatusChange.objects.filter(practice_id=world.b.practice.pk).delete()
    assert walk.unplanted_models(world) == ["roadmaps.InitiativeStatusChange"]


def test_a_write_a_viewer_may_make_fails_the_walk(world, monkeypatch):
    """A viewer allowed to edit: the delete is answered (302) and rows change — both reported."""
    from accounts import access
    from accounts.models import Role

    monkeypatch.setitem(access.ROLE_PERMS, Role.VIEWER, frozenset({access.Perm.VIEW, access.Perm.EDIT}))
    viewer = walk.session_of("A's viewer", world.viewer_a, may_write=False)
    report = walk.walk_refusals(world, named("page", "clients:contact_delete"), [viewer])
    assert any("POST" in f and "302, not 403/405" in f for f in report.failures), report.failures
    assert any("changed ['clients_contact'" in f for f in report.failures), report.failures
