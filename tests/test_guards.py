"""Project-wide guards: odd input never reaches the database or breaks a response."""

import pytest
from django.urls import reverse

from clients.models import Client

from .factories import ClientFactory, ContactFactory

pytestmark = pytest.mark.django_db


def test_nul_in_a_query_string_is_a_400_not_a_500(as_owner_a, practice_a, client_a1):
    listing = reverse("clients:list", args=[practice_a.slug])
    assert as_owner_a.get(listing + "?q=a%00b").status_code == 400
    assert as_owner_a.get(listing + "?q=a%00b&format=csv").status_code == 400
    assert as_owner_a.get(listing + "?a%00=1").status_code == 400
    response = as_owner_a.get("/api/v1/clients/?search=a%00b")
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["Null characters are not allowed."]}


def test_a_name_with_line_breaks_is_refused(as_owner_a, practice_a):
    response = as_owner_a.post(
        reverse("clients:create", args=[practice_a.slug]),
        {
            "name": "Acme\r\nEvil",
            "industry": "legal",
            "headcount": "3",
            "locations": "1",
            "fiscal_year_start_month": "1",
            "qbr_cadence_months": "3",
        },
    )
    assert response.status_code == 200
    assert "Use a single line without control characters." in response.content.decode()
    assert not Client.objects.filter(name__startswith="Acme").exists()


def test_csv_filenames_are_safe_whatever_the_client_is_called(as_owner_a, practice_a):
    client = ClientFactory(practice=practice_a, name='Café "Ünion"; x')
    ContactFactory(client=client)
    response = as_owner_a.get(reverse("clients:contacts", args=[practice_a.slug, client.pk]) + "?format=csv")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="cafe-union-x-contacts.csv"'
