"""The renewals calendar's entries rendered in Python (`vendors.calendar_html`) are the markup of the
template loop they replaced, value for value, escaping included."""

import pytest
from django.template import Context, Template

from tests.factories import ContractFactory, VendorFactory
from tests.markup import normalised_html
from vendors.calendar_html import calendar_entries_html
from vendors.renewal_calendar import renewal_calendar
from vendors.selectors import practice_today

from .conftest import due_in

pytestmark = pytest.mark.django_db

# The loop `templates/vendors/renewals.html` had before `calendar_entries_html`.
REFERENCE = """{% load vcio_tags %}
      {% for e in month.entries %}
      <div class="cal-entry cal-kind-{{ e.event.kind }}{% if e.highlight %} in-notice-window{% endif %}" data-contract="{{ e.contract.pk }}" data-kind="{{ e.event.kind }}">
        <div class="cal-date"><span class="cal-dow">{{ e.dow }}</span><span class="cal-day">{{ e.event.day.day }}</span><span class="cal-dow">{{ e.mon }}</span></div>
        <div class="min-w-0 text-break-anywhere">
          <div>
            {% if e.event.kind == "notice" %}{% if e.highlight %}<span class="badge notice-badge{% if e.event.renewal.days_to_deadline <= 7 %} notice-urgent{% endif %}"><i class="bi bi-bell" aria-hidden="true"></i> Give notice by {{ e.day_label }}</span>{% elif e.event.renewal.notice_passed %}<span class="badge passed-badge">Notice deadline passed</span>{% else %}<span class="badge notice-badge bg-light text-secondary">Notice deadline</span>{% endif %}
            {% elif e.event.kind == "renewal" %}<span class="badge text-bg-light border">Renews</span>
            {% else %}<span class="badge expiry-badge">Ends</span>{% endif %}
            <a class="fw-semibold" dir="auto" href="{% row_url 'vendors:contract_detail' practice.slug e.contract.client_id e.contract.pk %}">{{ e.contract.name }}</a>
          </div>
          <div class="cal-meta"><a class="link-secondary" href="{% row_url 'vendors:client_contracts' practice.slug e.contract.client_id %}">{{ e.contract.client.name }}</a> · {{ e.contract.vendor.name }}{% if e.event.kind == "notice" %} · renews {{ e.renews_label }}{% elif e.event.kind == "renewal" %} · {{ e.contract.notice_days }} days' notice{% endif %}{% if e.contract.owner %} · {{ e.contract.owner.display_name }}{% endif %}</div>
        </div>
        <div class="cal-money text-end text-nowrap"><span class="fw-semibold">{{ e.event.renewal.annual_cost|money:practice.currency }}</span><div class="small text-secondary">a year</div></div>
      </div>
      {% endfor %}
"""


def test_the_entries_are_the_templates_markup(practice_a, client_a1, client_a2, consultant_a):
    practice_a.currency = "EUR"
    practice_a.save()
    client_a2.name = "Bayside <Dental> & Co"
    client_a2.save()
    vendor = VendorFactory(practice=practice_a, name="Tel & <Co>")
    ContractFactory(client=client_a1, vendor=vendor, name="Fiber <1 Gb> & more", **due_in(practice_a, 35))
    ContractFactory(client=client_a2, vendor=vendor, owner=consultant_a, **due_in(practice_a, 50))
    ContractFactory(client=client_a2, vendor=vendor, **due_in(practice_a, 37))  # notice in 7 days: urgent
    ContractFactory(client=client_a1, vendor=vendor, **due_in(practice_a, 200, notice=90))
    # a notice deadline on the first of this month: passed, and still shown (unless today is the 1st)
    today = practice_today(practice_a)
    ContractFactory(client=client_a1, vendor=vendor, **due_in(practice_a, 40, notice=40 + today.day - 1))
    ContractFactory(client=client_a2, vendor=vendor, auto_renew=False, **due_in(practice_a, 60))
    calendar = renewal_calendar(practice=practice_a)
    got = ""
    for month in calendar.page_months:
        expected = Template(REFERENCE).render(Context({"month": month, "practice": practice_a}))
        html = calendar_entries_html(month.entries, practice=practice_a)
        assert normalised_html(html) == normalised_html(expected)
        got += html
    for shown in ("notice-urgent", "in-notice-window", "Renews", "expiry-badge", "Notice deadline<"):
        assert shown in got
    assert "Notice deadline passed" in got or today.day == 1
    assert "Fiber &lt;1 Gb&gt; &amp; more" in got and "Bayside &lt;Dental&gt; &amp; Co" in got
    assert "€" in got and consultant_a.display_name in got


def test_no_entries_no_markup(practice_a):
    assert calendar_entries_html([], practice=practice_a) == ""
