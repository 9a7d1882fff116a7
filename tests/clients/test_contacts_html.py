"""A client's Contacts rows rendered in Python (`clients.contacts_html`) are the markup of the template
loop they replaced, value for value, escaping included: for a role that edits and one that does not,
with and without title, e-mail and phone, executives and not, and markup in every name."""

import pytest

from clients.contacts_html import contact_rows_html
from clients.selectors import client_contacts
from tests.factories import ContactFactory
from tests.markup import normalised_html, render_reference

pytestmark = pytest.mark.django_db

# The loop `templates/clients/contact_list.html` had before `contact_rows_html`.
REFERENCE = """{% load vcio_tags %}
  {% for c in page.object_list %}
  <tr>
    <td class="fw-semibold">{{ c.name }}</td><td>{{ c.title|default:"—" }}</td>
    <td>{% if c.email %}<a href="mailto:{{ c.email }}">{{ c.email }}</a>{% else %}—{% endif %}</td>
    <td>{{ c.phone|default:"—" }}</td>
    <td>{% if c.is_executive %}<span class="badge text-bg-primary">Executive</span>{% endif %}</td>
    {% if can.edit %}
    <td class="text-end">
      <div class="dropdown">
        {% row_menu_button c.name %}
        <ul class="dropdown-menu dropdown-menu-end">
          <li><a class="dropdown-item" href="{% row_url 'clients:contact_edit' practice.slug client.pk c.pk %}">Edit</a></li>
          <li><form method="post" action="{% row_url 'clients:contact_delete' practice.slug client.pk c.pk %}" data-confirm="{{ c.name }} will be removed from {{ client.name }}'s contacts." data-confirm-title="Delete contact?" data-confirm-button="Delete">{% csrf_token %}<button class="dropdown-item text-danger" type="submit">Delete</button></form></li>
        </ul>
      </div>
    </td>
    {% endif %}
  </tr>
  {% endfor %}
"""


@pytest.mark.parametrize("can_edit", [True, False])
def test_the_rows_are_the_templates_markup(practice_a, client_a1, can_edit):
    client_a1.name = 'Bayside <Dental> & "Co"'
    client_a1.save()
    ContactFactory(
        client=client_a1,
        name='Dana <b>O\'Neil</b> & "Co"',
        title="CEO & <Founder>",
        email="dana+o'neil@example.com",
        phone="+1 (555) <010> & 2",
        is_executive=True,
    )
    ContactFactory(client=client_a1, name="Bob Plain", title="", email="", phone="", is_executive=False)
    ContactFactory(client=client_a1, name="Carla 'Q' <i>", title="IT lead", phone="555-0100")
    rows = list(client_contacts(client=client_a1))
    token = "t0ken&<abc>"
    expected = render_reference(
        REFERENCE, rows, practice=practice_a, client=client_a1, can={"edit": can_edit}, csrf_token=token
    )
    got = contact_rows_html(rows, practice=practice_a, client=client_a1, can_edit=can_edit, csrf_token=token)
    assert normalised_html(got) == normalised_html(expected)
    assert ("Delete</button>" in got) is can_edit and ("t0ken&amp;&lt;abc&gt;" in got) is can_edit
    assert "&lt;b&gt;O&#x27;Neil" in got and "<b>" not in got and got.count("Executive</span>") == 1
    assert got.count("<td>—</td>") == 3  # Bob's title, e-mail and phone
