"""The Members page's rows rendered in Python (`accounts.members_html`) are the markup of the template
loops they replaced, value for value, escaping included: for every role of the viewer (an owner manages
everyone, an admin all but owners, the others no one), members of every role, the viewer's own row, a
member without a name, invitations expired, expiring this very moment and pending, with and without the
person who sent them, markup characters in what people type, and times that are another day in the
practice's time zone than in UTC."""

import datetime
import uuid
from types import SimpleNamespace

import pytest
from django.template import Context, Template
from django.utils import timezone

from accounts import member_selectors as selectors
from accounts.access import can_manage_role
from accounts.member_forms import role_choices
from accounts.members_html import invitation_rows_html, member_rows_html
from accounts.models import Invitation, Membership, Role
from tests.factories import MembershipFactory, UserFactory
from tests.markup import normalised_html, render_reference

pytestmark = pytest.mark.django_db

ZONE = "America/Los_Angeles"
NOW = datetime.datetime(2031, 3, 4, 12, 0, tzinfo=datetime.UTC)
TOKEN = "t0ken&<abc>\"'"

# The members loop `templates/accounts/members/members.html` had before `member_rows_html`.
MEMBERS_REFERENCE = """{% load vcio_tags %}
  {% for row in rows %}{% with m=row.m %}
  <tr>
    <td class="fw-semibold">{{ m.user.get_full_name|default:"—" }}{% if m.user_id == user.pk %} <span class="badge text-bg-light border">You</span>{% endif %}</td>
    <td>{{ m.user.email }}</td>
    <td>
      {% if row.manageable %}
      <form method="post" action="{% row_url 'accounts:member_role' practice.slug m.pk %}" class="d-flex gap-1 role-form">
        {% csrf_token %}
        <select class="form-select form-select-sm" name="role" aria-label="Role of {{ m.user.display_name }}">
          {{ role_choices|options:m.role }}
        </select>
        <button class="btn btn-sm btn-outline-secondary" type="submit">Save</button>
      </form>
      {% else %}
      <span class="badge badge-role-{{ m.role }}">{{ m.get_role_display }}</span>
      {% endif %}
    </td>
    <td class="text-nowrap">{{ m.created_at|date:"Y-m-d" }}</td>
    <td class="text-end">
      {% if row.manageable %}
      <form method="post" action="{% row_url 'accounts:member_remove' practice.slug m.pk %}" data-confirm="{{ m.user.display_name }} will lose access to {{ practice.name }} and all its clients at once. Their past work and history are kept." data-confirm-title="Remove this member?" data-confirm-button="Remove member">
        {% csrf_token %}<button class="btn btn-sm btn-outline-danger" type="submit" aria-label="Remove {{ m.user.display_name }}"><i class="bi bi-person-dash" aria-hidden="true"></i> Remove</button>
      </form>
      {% endif %}
    </td>
  </tr>
  {% endwith %}{% endfor %}
"""

# The invitations loop `templates/accounts/members/members.html` had before `invitation_rows_html`.
INVITATIONS_REFERENCE = """{% load vcio_tags %}
  {% for row in invitations %}{% with i=row.i %}
  <tr>
    <td>{{ i.email }}</td>
    <td><span class="badge badge-role-{{ i.role }}">{{ i.get_role_display }}</span></td>
    <td>{{ i.invited_by.display_name|default:"—" }}</td>
    <td class="text-nowrap">{% if i.expires_at < now %}<span class="badge text-bg-warning">Expired</span>{% else %}{{ i.expires_at|date:"Y-m-d" }}{% endif %}</td>
    <td class="text-end">
      {% if row.manageable %}
      <div class="d-inline-flex gap-1">
        <form method="post" action="{% row_url 'accounts:invitation_resend' practice.slug i.pk %}">{% csrf_token %}<button class="btn btn-sm btn-outline-secondary" type="submit" aria-label="Resend the invitation to {{ i.email }}"><i class="bi bi-send" aria-hidden="true"></i> Resend</button></form>
        <form method="post" action="{% row_url 'accounts:invitation_revoke' practice.slug i.pk %}" data-confirm="The link sent to {{ i.email }} will stop working." data-confirm-title="Revoke this invitation?" data-confirm-button="Revoke">{% csrf_token %}<button class="btn btn-sm btn-outline-danger" type="submit" aria-label="Revoke the invitation to {{ i.email }}">Revoke</button></form>
      </div>
      {% endif %}
    </td>
  </tr>
  {% endwith %}{% endfor %}
"""


def _render(template: str, **context) -> str:
    """`template` rendered with `context` (render_reference keeps `rows` for `page.object_list`; the
    members loop reads a `rows` of its own)."""
    return Template(template).render(Context(context))


def _practice(practice):
    practice.name = 'Alpha <IT> & "Sons"'
    practice.time_zone = ZONE
    practice.save()
    return practice


def _members(practice):
    """Members of every role, one without a name, one named only by `name`, markup everywhere, joined
    at times that are the day before in Los Angeles — read as the page reads them."""
    people = [
        (
            Role.OWNER,
            UserFactory(email="o'wner&co@example.com", first_name='Dana <b> & "O\'Neil"', last_name=""),
        ),
        (Role.ADMIN, UserFactory(email="<admin>@example.com", first_name="", last_name="")),
        (Role.CONSULTANT, UserFactory(email="c@example.com", first_name="Ann", last_name="<i>Lee</i>")),
        (Role.VIEWER, UserFactory(email="v@example.com", first_name="", last_name="", name="Vee <&> 'V'")),
        (Role.OWNER, UserFactory(email="o2@example.com", first_name="Zed", last_name="Two")),
    ]
    for n, (role, user) in enumerate(people):
        m = MembershipFactory(practice=practice, user=user, role=role)
        joined = datetime.datetime(2030, 1, 1 + n, 3 + n, 30, tzinfo=datetime.UTC)  # the evening before in LA
        Membership.objects.filter(pk=m.pk).update(created_at=joined)
    return list(selectors.members(practice=practice))


def _invitations(practice, inviter):
    """Team invitations of every role: expired, expiring at this very moment, pending (one expiring on
    another day in Los Angeles than in UTC), with and without who sent them — read as the page reads them."""
    specs = [
        ("late&<x>@example.com", Role.VIEWER, inviter, NOW - datetime.timedelta(days=2)),
        ("edge'\"@example.com", Role.ADMIN, None, NOW),
        ("soon@example.com", Role.OWNER, inviter, datetime.datetime(2031, 3, 6, 4, 30, tzinfo=datetime.UTC)),
        ("<c>@example.com", Role.CONSULTANT, None, NOW + datetime.timedelta(days=7)),
    ]
    for email, role, by, expires in specs:
        Invitation.objects.create(
            practice=practice,
            email=email,
            role=role,
            invited_by=by,
            expires_at=expires,
            token_hash=uuid.uuid4().hex,
        )
    return list(selectors.pending_member_invitations(practice=practice))


@pytest.mark.parametrize("actor_role", Role.values)
@pytest.mark.parametrize("token", [TOKEN, ""])
def test_the_member_rows_are_the_templates_markup(practice_a, actor_role, token):
    practice = _practice(practice_a)
    members = _members(practice)
    me = members[1].user  # the admin without a name
    manageable = [(m, can_manage_role(actor_role, m.role)) for m in members]
    choices = role_choices(actor_role)
    with timezone.override(ZONE):
        expected = _render(
            MEMBERS_REFERENCE,
            rows=[{"m": m, "manageable": ok} for m, ok in manageable],
            practice=practice,
            user=SimpleNamespace(pk=me.pk),
            role_choices=choices,
            csrf_token=token,
        )
        got = member_rows_html(
            manageable, practice=practice, user_id=me.pk, role_choices=choices, csrf_token=token
        )
    assert normalised_html(got) == normalised_html(expected)
    managed = sum(ok for _, ok in manageable)
    assert got.count("<tr>") == 5 and got.count("Remove</button>") == managed
    assert managed == {"owner": 5, "admin": 3}.get(actor_role, 0)
    assert got.count("csrfmiddlewaretoken") == (2 * managed if token else 0)
    assert got.count(">You</span>") == 1
    assert "2029-12-31" in got and "2030-01-04" in got and "2030-01-05" not in got  # joined Jan 1-5 UTC
    assert "Dana &lt;b&gt; &amp; &quot;O&#x27;Neil&quot;" in got and "<b>" not in got and "<i>Lee" not in got
    assert "&lt;admin&gt;@example.com" in got and "<admin>" not in got


@pytest.mark.parametrize("actor_role", Role.values)
@pytest.mark.parametrize("token", [TOKEN, ""])
def test_the_invitation_rows_are_the_templates_markup(practice_a, actor_role, token):
    practice = _practice(practice_a)
    inviter = UserFactory(email="inviter@example.com", first_name="", last_name="", name='Ivy <&> "I"')
    invitations = _invitations(practice, inviter)
    manageable = [(i, can_manage_role(actor_role, i.role)) for i in invitations]
    with timezone.override(ZONE):
        expected = render_reference(
            INVITATIONS_REFERENCE,
            invitations=[{"i": i, "manageable": ok} for i, ok in manageable],
            practice=practice,
            now=NOW,
            csrf_token=token,
        )
        got = invitation_rows_html(manageable, practice=practice, now=NOW, csrf_token=token)
    assert normalised_html(got) == normalised_html(expected)
    managed = sum(ok for _, ok in manageable)
    assert got.count("<tr>") == 4 and got.count("Revoke</button>") == managed
    assert managed == {"owner": 4, "admin": 3}.get(actor_role, 0)
    assert got.count("csrfmiddlewaretoken") == (2 * managed if token else 0)
    assert got.count(">Expired</span>") == 1 and "2031-03-04" in got  # expiring at NOW is not expired yet
    assert "2031-03-05" in got and "2031-03-06" not in got  # 04:30 UTC is the evening before in LA
    assert got.count("<td>—</td>") == 2 and "Ivy &lt;&amp;&gt; &quot;I&quot;" in got
    assert "late&amp;&lt;x&gt;@example.com" in got and "<x>" not in got


def test_no_rows_no_markup(practice_a):
    assert member_rows_html([], practice=practice_a, user_id=None, role_choices=[], csrf_token=TOKEN) == ""
    assert invitation_rows_html([], practice=practice_a, now=NOW, csrf_token=TOKEN) == ""
