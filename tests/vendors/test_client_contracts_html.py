"""A client's contracts rendered in Python (`vendors.client_contracts_html`) are the markup of the
template loop they replaced, value for value, escaping included: for a role that edits and one that
does not, with and without the status column, with every renewal warning and state a contract can
show and optional values missing."""

import datetime
from datetime import timedelta

import pytest

from tests.factories import ContractFactory, VendorFactory
from tests.markup import normalised_html, render_reference
from vendors import selectors
from vendors.client_contracts_html import contract_rows_html
from vendors.selectors import practice_today

from .conftest import due_in

pytestmark = pytest.mark.django_db

# The loop `templates/vendors/client_contracts.html` had before `contract_rows_html`.
REFERENCE = """{% load vcio_tags %}
      {% for c in page.object_list %}
      <tr class="{% if c.info.in_notice_window %}in-notice-window{% endif %}" data-contract="{{ c.pk }}">
        <td class="cell-name"><a class="fw-semibold" dir="auto" title="{{ c.name }}" href="{% row_url 'vendors:contract_detail' practice.slug client.pk c.pk %}">{{ c.name }}</a>
          <div class="small text-secondary text-break-anywhere"><a class="link-secondary" dir="auto" href="{% row_url 'vendors:detail' practice.slug c.vendor_id %}">{{ c.vendor.name }}</a> · {{ c.get_contract_type_display }}</div>
          <div>{% include "vendors/_warning.html" with info=c.info %}</div></td>
        <td class="text-nowrap">{% if c.info.notice_deadline %}{{ c.info.notice_deadline|date:"j M Y" }}<div class="small text-secondary">{{ c.notice_days }} day{{ c.notice_days|pluralize }} notice</div>{% else %}—{% endif %}</td>
        <td class="text-nowrap">{% if c.info.next_renewal %}{{ c.info.next_renewal|date:"j M Y" }}<div class="small text-secondary">renews</div>{% elif c.info.expires_on %}{{ c.info.expires_on|date:"j M Y" }}<div class="small text-secondary">ends</div>{% elif c.info.ends_on %}{{ c.info.ends_on|date:"j M Y" }}<div class="small text-secondary">ends</div>{% elif c.info.state == "active" %}<span class="text-secondary">Open-ended</span>{% else %}—{% endif %}</td>
        <td class="text-nowrap">{{ c.cost|money:practice.currency }}{% if c.quantity > 1 %} × {{ c.quantity }}{% endif %}<div class="small text-secondary">{{ c.get_billing_frequency_display }}</div></td>
        <td class="num">{{ c.info.annual_cost|money:practice.currency }}</td>
        <td class="text-nowrap">{{ c.owner.display_name|default:"—" }}</td>
        {% if show_state %}<td>{% include "vendors/_state.html" with info=c.info %}</td>{% endif %}
        {% if can.edit %}
        <td class="text-end">
          <div class="dropdown">
            {% row_menu_button c.name %}
            <ul class="dropdown-menu dropdown-menu-end">
              <li><a class="dropdown-item" href="{% row_url 'vendors:contract_edit' practice.slug client.pk c.pk %}">Edit</a></li>
              {% if c.status == "active" %}
              <li><form method="post" action="{% row_url 'vendors:contract_cancel' practice.slug client.pk c.pk %}" data-confirm="“{{ c.name }}” will stop renewing and no longer warn. It stays on record{% if c.info.next_renewal %} and runs until {{ c.info.next_renewal|date:'j M Y' }}{% endif %}." data-confirm-title="Cancel this contract?" data-confirm-button="Cancel contract">{% csrf_token %}<button class="dropdown-item" type="submit">Cancel contract</button></form></li>
              {% endif %}
              <li><hr class="dropdown-divider"></li>
              <li><form method="post" action="{% row_url 'vendors:contract_delete' practice.slug client.pk c.pk %}" data-confirm="“{{ c.name }}” and its history will be deleted. To stop a contract renewing, cancel it instead." data-confirm-title="Delete contract?" data-confirm-button="Delete">{% csrf_token %}<button class="dropdown-item text-danger" type="submit">Delete</button></form></li>
            </ul>
          </div>
        </td>
        {% endif %}
      </tr>
      {% endfor %}
"""

NASTY = "Fiber <1 Gb> & \"more\" 'now'"


def _rows(practice, client, owner):
    """One contract of each renewal picture, read as the view reads them (terms, then the page whole)."""
    today = practice_today(practice)
    tel = VendorFactory(practice=practice, name="Tel & <Co> \"x\" 'y'")
    soft = VendorFactory(practice=practice, name="Softworks")

    def contract(name, **kw):
        return ContractFactory(client=client, vendor=kw.pop("vendor", soft), name=name, **kw)

    # active and auto-renewing
    contract(NASTY, vendor=tel, owner=owner, cost="1234.56", quantity=1500, **due_in(practice, 35))  # urgent
    contract("Notice in window", contract_type="licence", **due_in(practice, 40))
    contract("Notice in a week", **due_in(practice, 37))  # urgent: the last day that is
    contract("One day's notice", **due_in(practice, 3, notice=1))  # urgent, "1 day notice"
    contract("Notice passed", vendor=tel, billing_frequency="quarterly", **due_in(practice, 20))
    contract("Renews far off", contract_type="support", **due_in(practice, 200, notice=0))
    contract("Month to month", start_date=today - timedelta(days=400), term_months=None)  # rolling
    # active, not renewing
    contract("Ends soon", auto_renew=False, billing_frequency="annual", **due_in(practice, 45))
    contract("Ends later", auto_renew=False, owner=owner, **due_in(practice, 200))
    contract(
        "Open <ended>",
        contract_type="lease",
        start_date=today - timedelta(days=30),
        term_months=None,
        auto_renew=False,
        billing_frequency="one_time",
        cost="0.00",
    )
    # stored as active, past its only term: expired, and still cancellable
    contract("Lapsed", auto_renew=False, start_date=datetime.date(2020, 1, 1))
    # cancelled: paid to a term end, and without one
    contract(
        "Cancelled & paid",
        vendor=tel,
        status="cancelled",
        start_date=today - timedelta(days=100),
        ended_on=today - timedelta(days=5),
    )
    contract(
        "Cancelled open-ended",
        status="cancelled",
        start_date=today - timedelta(days=100),
        term_months=None,
        auto_renew=False,
    )
    # expired
    contract(
        "Expired", status="expired", start_date=datetime.date(2023, 3, 31), ended_on=today - timedelta(days=2)
    )
    _, terms = selectors.client_contract_rows(client=client, today=today, state="all")
    return selectors.whole_contracts(client=client, rows=terms)


@pytest.mark.parametrize("can_edit", [True, False])
@pytest.mark.parametrize("show_state", [True, False])
@pytest.mark.parametrize("currency", ["EUR", "JPY"])
def test_the_rows_are_the_templates_markup(
    practice_a, client_a1, consultant_a, can_edit, show_state, currency
):
    practice_a.currency = currency
    consultant_a.name = "Dana <b> & O'Neil"
    consultant_a.save()
    rows = _rows(practice_a, client_a1, consultant_a)
    assert len(rows) == 14
    token = "t0ken&<abc>\"'"
    context = {"practice": practice_a, "client": client_a1, "show_state": show_state}
    expected = render_reference(REFERENCE, rows, can={"edit": can_edit}, csrf_token=token, **context)
    got = contract_rows_html(rows, can_edit=can_edit, csrf_token=token, **context)
    assert normalised_html(got) == normalised_html(expected)

    # every warning, renewal column and state the rows carry is on the page
    for shown in (
        'class="in-notice-window"',
        'notice-badge notice-urgent"',
        'notice-badge">',
        "passed-badge",
        "rolling-badge",
        "expiry-badge",
        "Runs until",
        "Open-ended",
        "1 day notice",
        "0 days notice",
        "renews</div>",
        "ends</div>",
        "× 1500",
    ):
        assert shown in got, shown
    assert ("state-cancelled" in got and "state-expired" in got and "state-active" in got) is show_state
    assert ("Cancel contract</button>" in got) is can_edit and ("Delete</button>" in got) is can_edit
    assert got.count("Cancel contract</button>") == (10 + 1 if can_edit else 0)  # the active + "Lapsed"
    assert ("csrfmiddlewaretoken" in got) is can_edit
    assert "Fiber &lt;1 Gb&gt; &amp; &quot;more&quot; &#x27;now&#x27;" in got and "<1 Gb>" not in got
    assert "Dana &lt;b&gt; &amp; O&#x27;Neil" in got and "<b>" not in got
    assert ("€" in got) is (currency == "EUR") and ("¥" in got) is (currency == "JPY")


def test_without_a_csrf_token(practice_a, client_a1, consultant_a):
    rows = _rows(practice_a, client_a1, consultant_a)
    context = {"practice": practice_a, "client": client_a1, "show_state": True, "csrf_token": ""}
    expected = render_reference(REFERENCE, rows, can={"edit": True}, **context)
    got = contract_rows_html(rows, can_edit=True, **context)
    assert normalised_html(got) == normalised_html(expected)
    assert "csrfmiddlewaretoken" not in got


def test_no_rows_no_markup(practice_a, client_a1):
    html = contract_rows_html(
        [], practice=practice_a, client=client_a1, can_edit=True, show_state=True, csrf_token="t"
    )
    assert html == ""
