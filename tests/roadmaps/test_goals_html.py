"""The Goals list's rows rendered in Python (`roadmaps.goals_html`) are the markup of the template loop
they replaced, value for value, escaping included: for a role that edits and one that does not, every
status, with and without a description (one cut at 140 characters), markup in every title, and the
progress bar of 0/0, 1/3, 2/3 and 3/3 initiatives done — and of ratios `{% widthratio %}` rounds half
to even."""

import uuid

import pytest

from roadmaps.goals_html import goal_rows_html
from roadmaps.models import Goal, GoalStatus, InitiativeGoal, Status
from roadmaps.selectors import goal_list
from tests.factories import GoalFactory, InitiativeFactory
from tests.markup import normalised_html, render_reference

pytestmark = pytest.mark.django_db

# The loop `templates/roadmaps/goal_list.html` had before `goal_rows_html`.
REFERENCE = """{% load vcio_tags %}
    {% for g in page.object_list %}
    <tr>
      <td><a class="fw-semibold" href="{% row_url 'roadmaps:goal_detail' practice.slug client.pk g.pk %}">{{ g.title }}</a>{% if g.description %}<div class="small text-secondary">{{ g.description|clip:140 }}</div>{% endif %}</td>
      <td>FY{{ g.fiscal_year }}</td>
      <td><span class="badge goal-status-{{ g.status }}">{{ g.get_status_display }}</span></td>
      <td class="goal-progress-cell">
        {% include "roadmaps/_goal_progress.html" with goal=g %}
      </td>
      {% if can.edit %}
      <td class="text-end">
        <div class="dropdown">
          {% row_menu_button g.title %}
          <ul class="dropdown-menu dropdown-menu-end">
            <li><a class="dropdown-item" href="{% row_url 'roadmaps:goal_edit' practice.slug client.pk g.pk %}">Edit</a></li>
            <li><a class="dropdown-item" href="{% row_url 'roadmaps:list' practice.slug client.pk %}?goal={{ g.pk }}">Its initiatives</a></li>
            <li><form method="post" action="{% row_url 'roadmaps:goal_delete' practice.slug client.pk g.pk %}" data-confirm="The goal “{{ g.title }}” will be deleted. Its initiatives stay on the roadmap but no longer serve it." data-confirm-title="Delete goal?" data-confirm-button="Delete">{% csrf_token %}<button class="dropdown-item text-danger" type="submit">Delete</button></form></li>
          </ul>
        </div>
      </td>
      {% endif %}
    </tr>
    {% endfor %}
"""

TOKEN = "t0ken&<abc>"


def _link(goal, *statuses):
    for status in statuses:
        initiative = InitiativeFactory(client=goal.client, status=status)
        InitiativeGoal.objects.create(practice=goal.practice, initiative=initiative, goal=goal)


def _compare(rows, practice, client, can_edit):
    expected = render_reference(
        REFERENCE, rows, practice=practice, client=client, can={"edit": can_edit}, csrf_token=TOKEN
    )
    got = goal_rows_html(rows, practice=practice, client=client, can_edit=can_edit, csrf_token=TOKEN)
    assert normalised_html(got) == normalised_html(expected)
    return got


@pytest.mark.parametrize("can_edit", [True, False])
def test_the_rows_are_the_templates_markup(practice_a, client_a1, can_edit):
    long = "Replace the <core> switches & firewalls \"before\" the 'audit'. " * 3  # 186 characters
    none = GoalFactory(client=client_a1, title='Pass the <SOC 2> audit & "more"', description="")
    third = GoalFactory(client=client_a1, title="Open a 4th clinic", description=long, fiscal_year=2026)
    two = GoalFactory(
        client=client_a1,
        title="O'Neil's <b>goal</b>",
        description="x" * 139 + "&",
        status=GoalStatus.ACHIEVED,
    )
    GoalFactory(client=client_a1, title="Cut", description="y" * 140 + "<", status=GoalStatus.DROPPED)
    all_done = GoalFactory(client=client_a1, title="All done", description="Short <i>one</i>")
    _link(none, Status.REJECTED)  # not counted: 0 / 0
    _link(third, Status.DONE, Status.PROPOSED, Status.IN_PROGRESS, Status.REJECTED)
    _link(two, Status.DONE, Status.DONE, Status.APPROVED)
    _link(all_done, Status.DONE, Status.DONE, Status.DONE)
    rows = list(goal_list(client=client_a1))
    assert [(g.initiative_done, g.initiative_total) for g in rows] == [(0, 0), (1, 3), (2, 3), (0, 0), (3, 3)]
    got = _compare(rows, practice_a, client_a1, can_edit)
    assert ("Delete</button>" in got) is can_edit and ("t0ken&amp;&lt;abc&gt;" in got) is can_edit
    assert "&lt;SOC 2&gt;" in got and "<b>" not in got
    for width in ('width="0%"', 'width="33%"', 'width="67%"', 'width="100%"/>'):
        assert width in got
    assert "x" * 139 + "&amp;</div>" in got and "y" * 139 + "…</div>" in got


@pytest.mark.parametrize(
    ("done", "total"),
    [(0, 0), (0, 5), (1, 8), (3, 8), (5, 8), (1, 200), (1, 400), (3, 400), (1, 6), (5, 6), (7, 7), (12, 7)],
)
def test_the_progress_bar_rounds_as_widthratio(practice_a, client_a1, done, total):
    goal = Goal(
        id=uuid.uuid4(), practice=practice_a, client=client_a1, title="Goal & <ratio>", fiscal_year=2027
    )
    goal.initiative_done, goal.initiative_total = done, total
    _compare([goal], practice_a, client_a1, can_edit=True)
