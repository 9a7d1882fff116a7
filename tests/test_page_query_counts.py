"""Pages not covered by their app's own query-count tests: the count is the same at two data sizes."""

import pytest
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
def test_page_queries_do_not_grow(name, as_consultant_a, consultant_a, client_a1, django_assert_num_queries):
    target = reverse(name, args=["alpha", client_a1.pk])
    _grow(client_a1, consultant_a, 3)
    as_consultant_a.get(target)  # warm: the first request after signing in records the practice
    with django_assert_num_queries(40, exact=False) as small:
        assert as_consultant_a.get(target).status_code == 200
    _grow(client_a1, consultant_a, 40)
    with django_assert_num_queries(len(small.captured_queries)):
        response = as_consultant_a.get(target)
    assert response.status_code == 200
