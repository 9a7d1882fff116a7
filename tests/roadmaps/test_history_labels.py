"""The audit history speaks the user's language: quarters as "FY…", choices as labels, people as
names, empty values as "—", internal stamps left out, and never an empty change."""

import re

import pytest
from django.urls import reverse

from roadmaps import services
from roadmaps.models import Status
from tests.factories import InitiativeFactory
from vcio.fiscal import FiscalQuarter

pytestmark = pytest.mark.django_db


def history_html(http, client) -> str:
    return http.get(reverse("clients:history", args=["alpha", client.pk])).content.decode()


def test_a_deferred_initiatives_history_shows_quarter_labels_and_no_raw_numbers(
    as_consultant_a, consultant_a, owner_a, client_a1
):
    initiative = InitiativeFactory(
        client=client_a1, title="Firewall refresh", target_start=20271, target_end=20272
    )
    services.initiative_update(initiative=initiative, actor=consultant_a, owner=consultant_a, priority="high")
    services.initiative_transition(initiative=initiative, actor=consultant_a, to=Status.APPROVED)
    services.initiative_transition(
        initiative=initiative, actor=consultant_a, to=Status.DEFERRED, target_start=FiscalQuarter(2028, 3)
    )
    services.initiative_update(initiative=initiative, actor=consultant_a, owner=None)

    html = history_html(as_consultant_a, client_a1)
    assert "FY2027 Q1" in html and "FY2028 Q3" in html and "FY2028 Q4" in html
    assert not re.search(r"\b20\d{2}[1-4]\b", html), "a raw quarter key is shown"
    assert "Priority" in html and "Medium" in html and "High" in html  # choices as labels
    assert consultant_a.display_name in html  # the owner by name, not an id
    assert "Approved by" not in html and "Approved at" not in html  # internal stamps left out
    # no change row without a value on either side
    assert not re.search(r'<span class="fw-semibold">[^<]+</span>\s*</div>', html)


def test_goal_fiscal_year_reads_as_fy(as_consultant_a, consultant_a, client_a1):
    from roadmaps.services import goal_create, goal_update

    goal = goal_create(client=client_a1, actor=consultant_a, title="Open a second clinic", fiscal_year=2027)
    goal_update(goal=goal, actor=consultant_a, fiscal_year=2028)
    html = history_html(as_consultant_a, client_a1)
    assert "FY2027" in html and "FY2028" in html
