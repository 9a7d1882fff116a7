"""Removing a member clears what they were assigned (a client's primary consultant, an initiative's
owner), so those objects stay editable by everyone else: issue 7, finding 5 (every later edit failed
with 400)."""

import pytest
from django.urls import reverse

from accounts.models import Membership
from clients import services as client_services
from roadmaps import services as roadmap_services
from roadmaps.models import Initiative
from vcio.fiscal import FiscalQuarter

pytestmark = pytest.mark.django_db


def resubmit(http, url: str, **changes):
    """Submit the form on `url` as a browser would: every field as the page shows it, plus `changes`."""
    form = http.get(url).context["form"]
    data = {}
    for bound in form:
        value = bound.value()
        if isinstance(value, bool):
            if value:
                data[bound.name] = "on"
        elif isinstance(value, list | tuple):
            data[bound.name] = [str(v) for v in value]
        elif value is not None:
            data[bound.name] = str(value)
    data.update(changes)
    return http.post(url, data)


@pytest.fixture
def assigned(practice_a, owner_a, consultant_a, client_a1):
    """consultant_a is client A1's primary consultant and owns one of its initiatives."""
    client_services.client_update(client=client_a1, actor=owner_a, primary_consultant=consultant_a)
    return roadmap_services.initiative_create(
        client=client_a1,
        actor=owner_a,
        target_start=FiscalQuarter(2027, 1),
        title="Firewall",
        owner=consultant_a,
    )


@pytest.fixture
def removed(as_owner_a, practice_a, consultant_a, assigned):
    """consultant_a removed on the Members page."""
    membership = Membership.objects.get(practice=practice_a, user=consultant_a)
    remove = reverse(
        "accounts:member_remove", kwargs={"practice_slug": "alpha", "membership_pk": membership.pk}
    )
    assert as_owner_a.post(remove).status_code == 302
    return assigned


def test_the_client_of_a_removed_member_stays_editable_on_its_page(as_owner_a, owner_a, client_a1, removed):
    edit = reverse("clients:edit", kwargs={"practice_slug": "alpha", "client_pk": client_a1.pk})

    assert resubmit(as_owner_a, edit, name="Acme Dental Group").status_code == 302

    client_a1.refresh_from_db()
    assert (client_a1.name, client_a1.primary_consultant) == ("Acme Dental Group", None)
    assert client_a1.history.first().history_user == owner_a


def test_the_initiative_of_a_removed_member_stays_editable_on_its_page(
    as_owner_a, owner_a, client_a1, removed
):
    edit = reverse(
        "roadmaps:edit", kwargs={"practice_slug": "alpha", "client_pk": client_a1.pk, "pk": removed.pk}
    )

    assert resubmit(as_owner_a, edit, title="Firewall refresh").status_code == 302

    initiative = Initiative.objects.get(pk=removed.pk)
    assert (initiative.title, initiative.owner) == ("Firewall refresh", None)
    assert initiative.history.first().history_user == owner_a


def test_a_removed_members_client_and_initiative_stay_editable_through_the_api(
    as_owner_a, owner_a, client_a1, removed
):
    for url in (f"/api/v1/initiatives/{removed.pk}/", f"/api/v1/clients/{client_a1.pk}/"):
        response = as_owner_a.patch(
            url, {"notes" if "clients" in url else "title": "Edited"}, content_type="application/json"
        )
        assert response.status_code == 200, (url, response.content)
    assert Initiative.objects.get(pk=removed.pk).history.first().history_user == owner_a


def test_the_history_says_why_the_assignment_was_cleared(
    owner_a, practice_a, consultant_a, client_a1, assigned
):
    from accounts.member_services import membership_remove

    membership_remove(
        membership=Membership.objects.get(practice=practice_a, user=consultant_a), actor=owner_a
    )

    for obj in (client_a1, assigned):
        record = obj.history.order_by("-history_date", "-history_id").first()
        assert record.history_user == owner_a
        assert record.history_change_reason == f"{consultant_a.display_name} left the practice"
