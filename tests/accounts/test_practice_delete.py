"""Deleting a practice: owners only, confirmed by typing its name; everything of it goes, nothing of
another practice does."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from accounts import member_services, services
from accounts.apikey_services import api_key_create
from accounts.models import ApiKey, Invitation, Membership, Practice, Role, User
from clients.models import Client, Contact
from tests.factories import ContactFactory, InitiativeFactory

pytestmark = pytest.mark.django_db


def delete_url(practice):
    return reverse("accounts:practice_delete", kwargs={"practice_slug": practice.slug})


def settings_url(practice):
    return reverse("accounts:settings", kwargs={"practice_slug": practice.slug})


@pytest.fixture
def alpha_world(practice_a, owner_a, admin_a, consultant_a, viewer_a, client_a1, client_a2):
    ContactFactory(client=client_a1, name="Alpha Contact")
    InitiativeFactory(client=client_a1, title="Alpha firewall")
    api_key_create(practice=practice_a, actor=owner_a, name="Alpha key", read_only=True)
    member_services.invitation_create(
        practice=practice_a, actor=owner_a, email="pending@example.com", role=Role.VIEWER
    )
    return practice_a


@pytest.fixture
def bravo_world(practice_b, owner_b, canary_client_b, api_key_b):
    return practice_b


def alpha_rows(practice) -> dict:
    return {
        "practice": Practice.objects.filter(pk=practice.pk).count(),
        "clients": Client.objects.filter(practice_id=practice.pk).count(),
        "contacts": Contact.objects.filter(practice_id=practice.pk).count(),
        "memberships": Membership.objects.filter(practice_id=practice.pk).count(),
        "keys": ApiKey.objects.filter(practice_id=practice.pk).count(),
        "invitations": Invitation.objects.filter(practice_id=practice.pk).count(),
    }


def test_danger_zone_is_shown_to_owners_only(as_owner_a, as_admin_a, practice_a):
    owner_html = as_owner_a.get(settings_url(practice_a)).content.decode()
    assert "Danger zone" in owner_html
    assert f'action="{delete_url(practice_a)}"' in owner_html
    assert 'data-confirm-title="Delete Alpha Advisors?"' in owner_html
    assert 'name="confirm_name"' in owner_html

    admin_html = as_admin_a.get(settings_url(practice_a)).content.decode()
    assert "Danger zone" not in admin_html and delete_url(practice_a) not in admin_html


@pytest.mark.parametrize("who", ["as_admin_a", "as_consultant_a", "as_viewer_a"])
def test_other_roles_get_403_and_nothing_is_deleted(request, who, alpha_world):
    http = request.getfixturevalue(who)
    before = alpha_rows(alpha_world)

    response = http.post(delete_url(alpha_world), {"confirm_name": "Alpha Advisors"})

    assert response.status_code == 403
    assert alpha_rows(alpha_world) == before


def test_the_service_refuses_anyone_but_an_owner(alpha_world, admin_a, owner_b):
    for actor in (admin_a, owner_b):
        with pytest.raises(PermissionDenied):
            services.practice_delete(practice=alpha_world, actor=actor)
    assert Practice.objects.filter(pk=alpha_world.pk).exists()


@pytest.mark.parametrize("typed", ["", "Alpha", "alpha advisors", "Bravo Partners"])
def test_a_wrong_name_is_a_field_error_and_nothing_is_deleted(as_owner_a, alpha_world, typed):
    before = alpha_rows(alpha_world)

    response = as_owner_a.post(delete_url(alpha_world), {"confirm_name": typed})

    assert response.status_code == 200
    html = response.content.decode()
    assert "Please correct the errors below." in html
    assert (
        "This field is required." in html if not typed else "That is not the name of this practice." in html
    )
    assert 'value="Alpha Advisors"' in html  # the settings form is there too, unchanged
    assert alpha_rows(alpha_world) == before


def test_get_is_not_allowed(as_owner_a, alpha_world):
    assert as_owner_a.get(delete_url(alpha_world)).status_code == 405
    assert Practice.objects.filter(pk=alpha_world.pk).exists()


def test_owner_deletes_the_practice_and_everything_of_it(as_owner_a, owner_a, alpha_world, bravo_world):
    from roadmaps.models import Initiative

    bravo_before = alpha_rows(bravo_world)
    alpha_client_ids = list(Client.objects.filter(practice=alpha_world).values_list("pk", flat=True))

    response = as_owner_a.post(delete_url(alpha_world), {"confirm_name": " Alpha Advisors "}, follow=True)

    assert response.redirect_chain[0] == ("/", 302)
    assert "Practice “Alpha Advisors” and all its data were deleted." in response.content.decode()
    assert alpha_rows(alpha_world) == dict.fromkeys(alpha_rows(alpha_world), 0)
    assert not Initiative.objects.filter(client_id__in=alpha_client_ids).exists()
    # their audit history goes too; the practice's own history says who deleted it
    assert not Client.history.filter(practice_id=alpha_world.pk).exists()
    assert not Contact.history.filter(practice_id=alpha_world.pk).exists()
    last = Practice.history.filter(id=alpha_world.pk).latest("history_date")
    assert last.history_type == "-" and last.history_user_id == owner_a.pk
    # people keep their accounts; another practice is untouched
    assert User.objects.filter(pk=owner_a.pk).exists()
    assert alpha_rows(bravo_world) == bravo_before
    assert Client.history.filter(practice_id=bravo_world.pk).exists()
    # the owner has no practice left: the home page leads to creating one
    assert response.redirect_chain[-1][0] == reverse("onboarding")


def test_another_practices_delete_url_is_404(as_owner_a, alpha_world, bravo_world):
    before = alpha_rows(bravo_world)
    response = as_owner_a.post(delete_url(bravo_world), {"confirm_name": "Bravo Partners"})
    assert response.status_code == 404
    assert alpha_rows(bravo_world) == before
