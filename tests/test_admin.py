"""The Django admin for staff: every tenant model's add page works, and an object added there gets its
practice from its parent (a contact from its client) or from the practice chosen once on the add page
(a client): issue 7, finding 5 (adding a client raised IntegrityError)."""

import pytest
from django.contrib import admin
from django.urls import reverse

from clients.models import Client, Contact
from vcio.models import is_tenant_model

from .factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_superuser(login):
    return login(UserFactory(email="root@vcio.example.com", is_staff=True, is_superuser=True))


def admin_add_url(model) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add")


def test_every_tenant_models_add_page_answers(as_superuser, rf):
    """Every add page the admin offers (some models are only made in the app: API keys and
    invitations carry a secret shown once, status changes are the workflow's record)."""
    superuser = UserFactory(is_staff=True, is_superuser=True)
    request = rf.get("/admin/")
    request.user = superuser
    addable = [
        m
        for m, model_admin in admin.site._registry.items()
        if is_tenant_model(m) and model_admin.has_add_permission(request)
    ]
    failures = []
    for model in addable:
        response = as_superuser.get(admin_add_url(model))
        if response.status_code != 200:
            failures.append(f"{model._meta.label}: {response.status_code}")
    assert not failures
    assert {
        "clients.Client",
        "clients.Contact",
        "clients.PortalAccess",
        "roadmaps.Initiative",
        "roadmaps.Goal",
    } <= {m._meta.label for m in addable}
    assert {"accounts.Membership"} <= {m._meta.label for m in addable}


def test_adding_a_client_in_the_admin_sets_the_chosen_practice(as_superuser, practice_a, practice_b):
    response = as_superuser.post(
        admin_add_url(Client),
        {
            "practice_choice": practice_a.pk,
            "name": "Harbor Clinic",
            "industry": "healthcare",
            "headcount": 12,
            "locations": 1,
            "fiscal_year_start_month": 7,
            "qbr_cadence_months": 3,
            "primary_consultant": "",
            "status": "active",
            "notes": "",
            # one contact added inline: its practice follows the client
            "contacts-TOTAL_FORMS": 1,
            "contacts-INITIAL_FORMS": 0,
            "contacts-0-name": "Rosa Diaz",
            "contacts-0-title": "Owner",
            "contacts-0-email": "",
            "contacts-0-phone": "",
            "_save": "Save",
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    client = Client.objects.get(name="Harbor Clinic")
    assert client.practice == practice_a
    assert client.contacts.get().practice == practice_a


def test_adding_a_contact_in_the_admin_takes_the_clients_practice(as_superuser, client_a1):
    response = as_superuser.post(
        admin_add_url(Contact),
        {
            "client": client_a1.pk,
            "name": "Sam Ortiz",
            "title": "CFO",
            "email": "",
            "phone": "",
            "_save": "Save",
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    contact = Contact.objects.get(name="Sam Ortiz")
    assert (contact.client, contact.practice_id) == (client_a1, client_a1.practice_id)


def test_every_tenant_models_list_and_a_rows_page_answer(as_superuser, client_a1, owner_a):
    """Each registered tenant model's list, and the page of one of its rows — the read-only ones too
    (the monthly spend, summed from an actual made here)."""
    from datetime import date
    from decimal import Decimal

    from budgets import actual_services

    actual_services.actual_create(
        client=client_a1, actor=owner_a, date=date(2026, 8, 3), amount=Decimal("10.00"), category="other"
    )
    failures, opened = [], []
    for model in admin.site._registry:
        if not is_tenant_model(model):
            continue
        meta = model._meta
        listed = as_superuser.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"))
        if listed.status_code != 200:
            failures.append(f"{meta.label} list: {listed.status_code}")
        row = model._default_manager.filter(practice_id=client_a1.practice_id).first()
        if row is not None:
            page = as_superuser.get(
                reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[row.pk])
            )
            if page.status_code != 200:
                failures.append(f"{meta.label} row: {page.status_code}")
            opened.append(meta.label)
    assert not failures
    assert {"budgets.Actual", "budgets.MonthlySpend", "clients.Client"} <= set(opened)
