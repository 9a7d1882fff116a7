"""The "Actual spend" rows rendered in Python (`budgets.actuals_html`) are the markup of the template
loop they replaced, value for value, escaping included: for a role that edits and one that does not,
imported and manual payments, with and without a description, vendor and budget line, in two
currencies, with and without a CSRF token."""

from datetime import date
from decimal import Decimal

import pytest

from budgets import actual_selectors, actual_services, services
from budgets.actuals_html import actual_rows_html
from tests.factories import VendorFactory
from tests.markup import normalised_html, render_reference

pytestmark = pytest.mark.django_db

D = Decimal

# The loop `templates/budgets/actuals.html` had before `actual_rows_html`.
REFERENCE = """{% load vcio_tags %}
      {% for a in page.object_list %}
      <tr data-actual="{{ a.pk }}">
        <td class="text-nowrap">{{ a.date|date:"j M Y" }}</td>
        <td class="cell-name"><span dir="auto">{{ a.description|default:"—" }}</span>{% if a.source == "import" %} <span class="badge source-badge">imported</span>{% endif %}</td>
        <td class="text-nowrap">{{ a.get_category_display }}</td>
        <td dir="auto">{{ a.vendor.name|default:"—" }}</td>
        <td class="small text-break-anywhere" dir="auto">{{ a.budget_line.name|default:"—" }}</td>
        <td class="num">{{ a.amount|money:practice.currency }}</td>
        {% if can.edit %}
        <td class="text-end"><div class="dropdown">{% row_menu_button a.description|default:a.date %}
          <ul class="dropdown-menu dropdown-menu-end">
            <li><a class="dropdown-item" href="{% row_url 'budgets:actual_edit' practice.slug client.pk a.pk %}">Edit</a></li>
            <li><hr class="dropdown-divider"></li>
            <li><form method="post" action="{% row_url 'budgets:actual_delete' practice.slug client.pk a.pk %}" data-confirm="This payment of {{ a.amount|money:practice.currency }} on {{ a.date|date:'j M Y' }} will be deleted; budget vs actual changes with it." data-confirm-title="Delete this spend?" data-confirm-button="Delete">{% csrf_token %}<button class="dropdown-item text-danger" type="submit">Delete</button></form></li>
          </ul></div></td>
        {% endif %}
      </tr>
      {% endfor %}
"""

MARKUP = 'Toner <b> & "ink"'


def _rows(client, actor):
    """Every kind of row: manual and imported, with markup, without a description, vendor or line."""
    vendor = VendorFactory(practice=client.practice, name='Acme <IT> & "Sons"')
    budget = services.budget_create(client=client, actor=actor, fiscal_year=2027)
    line = services.line_create(
        budget=budget,
        actor=actor,
        name='Printers <& "paper">',
        category="hardware",
        expense_type="opex",
        recurrence="monthly",
        amount=D("100.00"),
        first_month=1,
        months=None,
        vendor=None,
        notes="",
    )
    common = {"vendor": None, "budget_line": None, "description": ""}
    manual = [
        {
            "date": date(2026, 8, 2),
            "amount": D("1234567.5"),
            "category": "software",
            "vendor": vendor,
            "budget_line": line,
            "description": MARKUP,
        },
        {"date": date(2026, 9, 14), "amount": D("-80.00"), "category": "other"},
    ]
    imported = [
        {
            "date": date(2026, 10, 1),
            "amount": D("99.99"),
            "category": "cloud",
            "vendor": vendor,
            "description": "Azure <subscription>",
        },
        {"date": date(2026, 11, 30), "amount": D("0.5"), "category": "hardware", "budget_line": line},
    ]
    for data in manual:
        actual_services.actual_create(client=client, actor=actor, **{**common, **data})
    actual_services.actuals_import(client=client, actor=actor, rows=[{**common, **d} for d in imported])
    rows, _ = actual_selectors.actual_list(client=client)
    return list(rows)


@pytest.mark.parametrize("token", ["t0ken&<abc>", ""])
@pytest.mark.parametrize("can_edit", [True, False])
@pytest.mark.parametrize("currency", ["USD", "EUR"])
def test_the_rows_are_the_templates_markup(practice_a, client_a1, owner_a, can_edit, currency, token):
    practice_a.currency = currency
    rows = _rows(client_a1, owner_a)
    assert len(rows) == 4 and {a.source for a in rows} == {"manual", "import"}
    expected = render_reference(
        REFERENCE, rows, practice=practice_a, client=client_a1, can={"edit": can_edit}, csrf_token=token
    )
    got = actual_rows_html(rows, practice=practice_a, client=client_a1, can_edit=can_edit, csrf_token=token)
    assert normalised_html(got) == normalised_html(expected)
    assert got.count("<tr ") == 4 and got.count("imported</span>") == 2
    assert "Toner &lt;b&gt; &amp; &quot;ink&quot;" in got and "<b>" not in got
    assert ("€1,234,567.50" if currency == "EUR" else "$1,234,567.50") in got
    assert ("Delete</button>" in got) is can_edit
    assert ('aria-label="Actions for 2026-09-14"' in got) is can_edit  # no description: the date
    assert ('value="t0ken&amp;&lt;abc&gt;"' in got) is (can_edit and bool(token))
