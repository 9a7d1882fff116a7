"""Pages not covered by their app's own query-count tests: the count is the same at two data sizes;
and the fixed cost of every page (a page with no data of its own) is at most four data queries."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from .factories import ContactFactory, GoalFactory, InitiativeFactory

pytestmark = pytest.mark.django_db


def _grow(client, consultant, n):
    for k in range(n):
        contact = ContactFactory(client=client, is_executive=k % 2 == 0)
        goal = GoalFactory(client=client, title=f"Goal {k}")
        initiative = InitiativeFactory(client=client, owner=consultant, sponsor=contact, status="done")
        initiative.goal_links.create(practice=client.practice, goal=goal)


@pytest.mark.parametrize(
    "name",
    ["clients:overview", "clients:contacts", "clients:history", "roadmaps:goals"],
)
def test_page_queries_do_not_grow(
    name, as_consultant_a, consultant_a, client_a1, django_assert_num_queries, django_assert_max_num_queries
):
    target = reverse(name, args=["alpha", client_a1.pk])
    _grow(client_a1, consultant_a, 3)
    as_consultant_a.get(target)  # warm: the first request after signing in records the practice
    with django_assert_num_queries(40, exact=False) as small:
        assert as_consultant_a.get(target).status_code == 200
    _grow(client_a1, consultant_a, 40)
    # The history loads the versions of each kind on its page (a query each): a full page may hold
    # fewer kinds than the small one did, never more than the kinds there are.
    check = django_assert_max_num_queries if name == "clients:history" else django_assert_num_queries
    with check(len(small.captured_queries)):
        response = as_consultant_a.get(target)
    assert response.status_code == 200


# Not data queries: transaction control, and the one set_config that names the practice and user for
# PostgreSQL row-level security (counted apart, see the README's "Performance").
NOT_DATA = re.compile(
    r"^\s*(BEGIN|START TRANSACTION|COMMIT|ROLLBACK|SAVEPOINT|RELEASE)\b|\bset_config\s*\(", re.I
)
FIXED_OVERHEAD_MAX = 4


@pytest.mark.parametrize(
    "path",
    [
        "/p/alpha/",  # the practice's home: a redirect, nothing of its own
        "/p/alpha/members/invite/",  # a form with no data of its own
    ],
)
def test_a_page_costs_at_most_four_data_queries_besides_its_own(path, as_owner_a):
    as_owner_a.get(path)  # warm: the first request after signing in records the practice
    with CaptureQueriesContext(connection) as ctx:
        assert as_owner_a.get(path).status_code in (200, 302)
    data = [q["sql"] for q in ctx.captured_queries if not NOT_DATA.search(q["sql"])]
    # the session, the user, the membership with its practice and the practice switcher
    assert len(data) <= FIXED_OVERHEAD_MAX, "\n".join(data)
