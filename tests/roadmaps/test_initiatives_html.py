"""The Initiatives list's rows rendered in Python (`roadmaps.initiatives_html`) are the markup of the
template loop they replaced, value for value, escaping included: for a role that edits and one that
does not, in two currencies, with and without goals and owner, and markup in every name."""

import pytest

from roadmaps.initiatives_html import initiative_rows_html
from roadmaps.models import InitiativeGoal
from roadmaps.selectors import initiative_list
from tests.factories import GoalFactory, InitiativeFactory
from tests.markup import normalised_html, render_reference

pytestmark = pytest.mark.django_db

# The loop `templates/roadmaps/initiative_list.html` had before `initiative_rows_html`.
REFERENCE = """{% load vcio_tags %}
      {% for i in page.object_list %}
      <tr>
        <td><a class="fw-semibold" href="{% row_url 'roadmaps:detail' practice.slug client.pk i.pk %}">{{ i.title }}</a>
          {% if i.linked_goals %}<div class="small text-secondary">{% for g in i.linked_goals %}<i class="bi bi-bullseye" aria-hidden="true"></i> {{ g.title }}{% if not forloop.last %} · {% endif %}{% endfor %}</div>{% endif %}</td>
        <td>{{ i.get_category_display }}</td>
        <td><span class="badge priority-badge priority-{{ i.priority }}">{{ i.get_priority_display }}</span></td>
        <td>{% include "roadmaps/_status.html" with status=i.status label=i.get_status_display %}</td>
        <td class="text-nowrap">{{ i.quarter_label }}</td>
        <td class="text-nowrap">{{ i.owner.display_name|default:"—" }}</td>
        <td class="num">{{ i.one_time_cost|money:practice.currency }}</td>
        <td class="num">{{ i.recurring_monthly_cost|money:practice.currency }}</td>
        {% if can.edit %}
        <td class="text-end">
          <div class="dropdown">
            {% row_menu_button i.title %}
            <ul class="dropdown-menu dropdown-menu-end">
              <li><a class="dropdown-item" href="{% row_url 'roadmaps:edit' practice.slug client.pk i.pk %}">Edit</a></li>
              <li><a class="dropdown-item" href="{% row_url 'roadmaps:transition' practice.slug client.pk i.pk %}">Change status</a></li>
              <li><form method="post" action="{% row_url 'roadmaps:delete' practice.slug client.pk i.pk %}" data-confirm="“{{ i.title }}” and its status history will be deleted." data-confirm-title="Delete initiative?" data-confirm-button="Delete">{% csrf_token %}<button class="dropdown-item text-danger" type="submit">Delete</button></form></li>
            </ul>
          </div>
        </td>
        {% endif %}
      </tr>
      {% endfor %}
"""


@pytest.mark.parametrize("can_edit", [True, False])
@pytest.mark.parametrize("currency", ["USD", "EUR"])
def test_the_rows_are_the_templates_markup(practice_a, client_a1, consultant_a, can_edit, currency):
    practice_a.currency = currency
    consultant_a.first_name = "Dana <b>"
    consultant_a.save()
    first = GoalFactory(client=client_a1, title="Pass the <SOC 2> audit & more")
    second = GoalFactory(client=client_a1, title='Move to "the cloud"')
    a = InitiativeFactory(
        client=client_a1, title='MFA for <everyone> & "all"', owner=consultant_a, priority="high"
    )
    b = InitiativeFactory(client=client_a1, title="Backups", status="approved", category="infrastructure")
    InitiativeFactory(client=client_a1, title="Plain", one_time_cost="0", recurring_monthly_cost="1234567.5")
    for initiative, goal in ((a, first), (a, second), (b, second)):
        InitiativeGoal.objects.create(practice=practice_a, initiative=initiative, goal=goal)
    rows = list(initiative_list(client=client_a1)[0])
    token = "t0ken&<abc>"
    expected = render_reference(
        REFERENCE, rows, practice=practice_a, client=client_a1, can={"edit": can_edit}, csrf_token=token
    )
    got = initiative_rows_html(
        rows, practice=practice_a, client=client_a1, can_edit=can_edit, csrf_token=token
    )
    assert normalised_html(got) == normalised_html(expected)
    assert ("Delete</button>" in got) is can_edit
    assert "&lt;SOC 2&gt;" in got and " · " in got
