"""The client list's rows rendered in Python (`clients.list_html`) are the markup of the template loop
they replaced, value for value, escaping included: for a role that edits and one that does not, with
every kind of column another app adds and a value missing in each."""

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.test import RequestFactory

from clients.list_html import client_rows_html
from clients.models import Client, ClientStatus
from tests.factories import ClientFactory
from tests.markup import normalised_html, render_reference

pytestmark = pytest.mark.django_db

# The loop `templates/clients/client_list.html` had before `client_rows_html`.
REFERENCE = """{% load vcio_tags %}
      {% for c in page.object_list %}
        <tr>
          <td class="cell-name"><a class="fw-semibold" dir="auto" title="{{ c.name }}" href="{% row_url 'clients:overview' practice.slug c.pk %}">{{ c.name }}</a></td>
          <td>{{ c.get_industry_display }}</td>
          <td class="num">{{ c.headcount }}</td>
          <td class="num">{{ c.contact_count }}</td>
          <td dir="auto">{{ c.primary_consultant.display_name|default:"—" }}</td>
          <td><span class="badge badge-status-{{ c.status }}">{{ c.get_status_display }}</span></td>
          {% for column, value in c.extra %}<td class="num text-nowrap" data-column="{{ column.key }}">{% if value is None %}<span class="text-body-secondary">—</span>{% elif column.kind == "money" %}{{ value|money:practice.currency }}{% elif column.kind == "percent" %}{{ value|floatformat:1 }}%{% elif column.kind == "date" %}{{ value|date:"j M Y" }}{% else %}{{ value }}{% endif %}</td>{% endfor %}
          {% if can.edit %}
          <td class="text-end">
            <div class="dropdown">
              {% row_menu_button c.name %}
              <ul class="dropdown-menu dropdown-menu-end">
                <li><a class="dropdown-item" href="{% row_url 'clients:edit' practice.slug c.pk %}">Edit</a></li>
                <li><a class="dropdown-item" href="{% row_url 'clients:contact_create' practice.slug c.pk %}">Add a contact</a></li>
                <li><hr class="dropdown-divider"></li>
                {% if c.is_archived %}
                <li><form method="post" action="{% row_url 'clients:restore' practice.slug c.pk %}">{% csrf_token %}<input type="hidden" name="next" value="{{ request.get_full_path }}"><button class="dropdown-item" type="submit">Restore</button></form></li>
                {% else %}
                <li><form method="post" action="{% row_url 'clients:archive' practice.slug c.pk %}" data-confirm="{{ c.name }} will leave the active client list. Its data is kept and you can restore it at any time." data-confirm-title="Archive this client?" data-confirm-button="Archive">{% csrf_token %}<input type="hidden" name="next" value="{{ request.get_full_path }}"><button class="dropdown-item text-danger" type="submit">Archive</button></form></li>
                {% endif %}
              </ul>
            </div>
          </td>
          {% endif %}
        </tr>
      {% endfor %}
"""

COLUMNS = [
    SimpleNamespace(key="next_qbr", label="Next QBR", kind="date"),
    SimpleNamespace(key="planned", label="Planned", kind="money"),
    SimpleNamespace(key="score", label="Score", kind="percent"),
    SimpleNamespace(key="open<items>", label="Open", kind="text"),
]


def _rows(practice, consultant):
    a = ClientFactory(
        practice=practice, name='Bayside <Dental> & "Co"', headcount=1250, primary_consultant=consultant
    )
    b = ClientFactory(practice=practice, name="Apex Legal", status=ClientStatus.ARCHIVED, headcount=1)
    rows = list(
        Client.objects.filter(pk__in=[a.pk, b.pk]).select_related("primary_consultant").order_by("name")
    )
    values = [
        [datetime.date(2027, 1, 5), Decimal("48250.5"), Decimal("87.25"), 1234],
        [None, None, None, None],
    ]
    for row, vals in zip(rows, values, strict=True):
        row.contact_count = 3 if row.pk == a.pk else 0
        row.extra = list(zip(COLUMNS, vals, strict=True))
    return rows


@pytest.mark.parametrize("can_edit", [True, False])
@pytest.mark.parametrize("currency", ["USD", "EUR", "JPY"])
def test_the_rows_are_the_templates_markup(practice_a, consultant_a, can_edit, currency):
    practice_a.currency = currency
    consultant_a.first_name, consultant_a.last_name = "Dana <b>", "O'Neil"
    consultant_a.save()
    rows = _rows(practice_a, consultant_a)
    request = RequestFactory().get("/p/alpha/clients/", {"q": 'x"<y>', "status": "all"})
    token = "t0ken&<abc>"
    expected = render_reference(
        REFERENCE, rows, practice=practice_a, can={"edit": can_edit}, request=request, csrf_token=token
    )
    got = client_rows_html(
        rows, practice=practice_a, can_edit=can_edit, csrf_token=token, next_url=request.get_full_path()
    )
    assert normalised_html(got) == normalised_html(expected)
    assert ("Restore</button>" in got) is can_edit and ("Archive</button>" in got) is can_edit
    assert "&lt;Dental&gt;" in got and "<Dental>" not in got
