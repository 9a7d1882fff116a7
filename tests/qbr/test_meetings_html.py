"""The Meetings page's rows rendered in Python (`qbr.meetings_html`) are the markup of the template loop
they replaced, value for value, escaping included: meetings with and without a title, every kind and
status, a video link, a place and no location, a client with and without a primary consultant, markup
characters in what people type, and a time that is another day in the practice's time zone than in UTC."""

import datetime

import pytest
from django.utils import timezone

from qbr import selectors
from qbr.meetings_html import meeting_rows_html
from qbr.models import ActionItemStatus, MeetingKind, MeetingStatus
from tests.factories import ActionItemFactory, ClientFactory, MeetingFactory
from tests.markup import normalised_html, render_reference

pytestmark = pytest.mark.django_db

ZONE = "America/Los_Angeles"

# The loop `templates/qbr/meetings.html` had before `meeting_rows_html`.
REFERENCE = """{% load vcio_tags %}
      {% for m in page.object_list %}
      <tr>
        <td class="text-nowrap">{{ m.scheduled_at|date:"D Y-m-d H:i" }}</td>
        <td class="cell-name"><a href="{% row_url 'qbr:client' practice.slug m.client_id %}" dir="auto">{{ m.client.name }}</a></td>
        <td class="cell-name"><a class="fw-semibold" href="{% row_url 'qbr:meeting' practice.slug m.client_id m.pk %}">{{ m.display_title }}</a>{% if m.title %} <span class="small text-secondary">{{ m.get_kind_display }}</span>{% endif %}{% if m.location %}<div class="small text-secondary text-truncate">{% if m.is_link %}<i class="bi bi-camera-video" aria-hidden="true"></i> Video call{% else %}<i class="bi bi-geo-alt" aria-hidden="true"></i> {{ m.location }}{% endif %}</div>{% endif %}</td>
        <td>{% include "qbr/_meeting_status.html" with meeting=m %}</td>
        <td class="text-nowrap">{{ m.client.primary_consultant.display_name|default:"—" }}</td>
        <td class="num">{{ m.open_items }}</td>
        <td class="text-end">
          <div class="dropdown">
            {% row_menu_button m.display_title %}
            <ul class="dropdown-menu dropdown-menu-end">
              <li><a class="dropdown-item" href="{% row_url 'qbr:meeting' practice.slug m.client_id m.pk %}">Open</a></li>
              <li><a class="dropdown-item" href="{% row_url 'qbr:meeting_ics' practice.slug m.client_id m.pk %}">Add to calendar (.ics)</a></li>
              <li><a class="dropdown-item" href="{% row_url 'qbr:report_preview' practice.slug m.client_id %}">Preview the report</a></li>
            </ul>
          </div>
        </td>
      </tr>
      {% endfor %}
"""


def _at(day, hour, minute=0):
    return datetime.datetime(2031, 3, day, hour, minute, tzinfo=datetime.UTC)


def _rows(practice, client_a1, consultant):
    """Meetings of two clients (one with a primary consultant, one without), read as the page reads them."""
    client_a1.primary_consultant = consultant
    client_a1.save()
    bare = ClientFactory(practice=practice, name='Bayside <Dental> & "Co"')
    titled = MeetingFactory(
        client=client_a1,
        title='Q1 <review> & "budget"',
        kind=MeetingKind.STRATEGY,
        location='Board <room> & "2nd" floor',
        scheduled_at=_at(4, 3, 30),  # Monday evening in Los Angeles, Tuesday in UTC
        status=MeetingStatus.PLANNED,
    )
    MeetingFactory(
        client=client_a1,
        kind=MeetingKind.QBR,
        location="https://meet.example.com/j/1?pwd=a&b=<c>",
        scheduled_at=_at(5, 17),
        status=MeetingStatus.HELD,
    )
    MeetingFactory(
        client=bare,
        kind=MeetingKind.BUDGET_REVIEW,
        location="",
        scheduled_at=_at(6, 9, 15),
        status=MeetingStatus.CANCELLED,
    )
    MeetingFactory(
        client=bare,
        title="Video <sync>",
        kind=MeetingKind.OTHER,
        location="  HTTP://Zoom.example/j/2",
        scheduled_at=_at(7, 23, 59),
        status=MeetingStatus.PLANNED,
    )
    ActionItemFactory(meeting=titled)
    ActionItemFactory(meeting=titled)
    ActionItemFactory(meeting=titled, status=ActionItemStatus.DONE, done_at=_at(1, 12))
    qs, _ = selectors.practice_meetings(practice=practice, when="all")
    return list(qs)


def test_the_rows_are_the_templates_markup(practice_a, client_a1, consultant_a, owner_a):
    practice_a.time_zone = ZONE
    practice_a.save()
    consultant_a.name = 'Dana <b> & "O\'Neil"'
    consultant_a.save()
    rows = _rows(practice_a, client_a1, consultant_a)
    assert len(rows) == 4 and {m.open_items for m in rows} == {0, 2}
    with timezone.override(ZONE):
        expected = render_reference(REFERENCE, rows, practice=practice_a)
        got = meeting_rows_html(rows, practice=practice_a)
    assert normalised_html(got) == normalised_html(expected)
    assert "Mon 2031-03-03 19:30" in got and "2031-03-04" not in got
    assert got.count("Video call") == 2 and "Board &lt;room&gt; &amp; &quot;2nd&quot; floor" in got
    assert "Q1 &lt;review&gt;" in got and "<review>" not in got
    assert "Bayside &lt;Dental&gt; &amp; &quot;Co&quot;" in got and "<Dental>" not in got
    assert "Dana &lt;b&gt;" in got and got.count('<td class="text-nowrap">—</td>') == 2
    for status in MeetingStatus.values:
        assert f'class="badge meeting-status meeting-status-{status}"' in got


def test_no_rows_no_markup(practice_a):
    assert meeting_rows_html([], practice=practice_a) == ""
