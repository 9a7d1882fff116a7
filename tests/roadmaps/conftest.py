"""Shared helpers of the roadmap page tests."""

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import GoalFactory, InitiativeFactory
from vcio.fiscal import fiscal_quarter

HTMX = {"HTTP_HX_REQUEST": "true"}


def url(name, client, *args, practice="alpha"):
    return reverse(f"roadmaps:{name}", args=[practice, client.pk, *args])


def quarter_keys(client, n=0):
    q = fiscal_quarter(timezone.localdate(), client.fiscal_year_start_month).add(n)
    return q


CLIENT_PAGES = ["timeline", "board", "list", "create", "goals", "goal_create"]
INITIATIVE_PAGES = ["detail", "edit", "transition"]


@pytest.fixture
def world(client_a1, client_a2, canary_client_b):
    """A1's initiative and goal, A2's initiative and goal, and B's canaries."""
    return {
        "a1_initiative": InitiativeFactory(client=client_a1, title="Alpha firewall"),
        "a1_goal": GoalFactory(client=client_a1, title="Alpha goal"),
        "a2_initiative": InitiativeFactory(client=client_a2, title="A2-only initiative"),
        "a2_goal": GoalFactory(client=client_a2, title="A2-only goal"),
        "b_initiative": InitiativeFactory(client=canary_client_b, title="CANARY-Bravo-Initiative"),
        "b_goal": GoalFactory(client=canary_client_b, title="CANARY-Bravo-Goal"),
    }
