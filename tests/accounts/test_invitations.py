"""Invitations: single use, 7 days, only the hash stored, accepted by sign-up or log-in, portal access."""

import hashlib
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts import member_services as services
from accounts.models import Invitation, Membership, Role, User
from clients.models import PortalAccess
from tests import factories
from tests.factories import ContactFactory, UserFactory

pytestmark = pytest.mark.django_db


def invite(practice, actor, email="new.person@example.com", role=Role.CONSULTANT, client=None):
    return factories.invite(practice, actor, email, role=role, client=client)


def accept_url(token):
    return reverse("invitation_accept", kwargs={"token": token})


def test_invitation_emails_a_link_and_stores_only_the_token_hash(practice_a, owner_a, mailoutbox):
    invitation, token = invite(practice_a, owner_a, email="New.Person@Example.com")

    assert invitation.email == "new.person@example.com"
    assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert not Invitation.objects.filter(token_hash=token).exists()
    assert timedelta(days=6, hours=23) < invitation.expires_at - timezone.now() <= timedelta(days=7)
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["new.person@example.com"]
    assert accept_url(token) in mailoutbox[0].body
    assert "Alpha Advisors" in mailoutbox[0].subject


def test_logged_in_user_accepts_and_becomes_member_with_the_role(practice_a, owner_a, login):
    _, token = invite(practice_a, owner_a, email="joiner@example.com", role=Role.VIEWER)
    joiner = UserFactory(email="joiner@example.com")
    http = login(joiner)

    page = http.get(accept_url(token))
    assert page.status_code == 200
    assert "Join Alpha Advisors" in page.content.decode()

    response = http.post(accept_url(token))

    assert response.status_code == 302
    assert response["Location"] == reverse("practice_home", kwargs={"practice_slug": "alpha"})
    assert Membership.objects.get(practice=practice_a, user=joiner).role == Role.VIEWER
    assert http.get(response["Location"], follow=True).status_code == 200


def test_invitation_used_twice_is_refused(practice_a, owner_a, login):
    _, token = invite(practice_a, owner_a)
    first, second = UserFactory(email="new.person@example.com"), UserFactory()
    assert login(first).post(accept_url(token)).status_code == 302

    response = login(second).post(accept_url(token))

    assert response.status_code == 410
    assert "already been used" in response.content.decode()
    assert not Membership.objects.filter(user=second).exists()
    # the page itself says so too, before anyone presses a button
    assert "already been used" in login(second).get(accept_url(token)).content.decode()


def test_invitation_after_seven_days_is_refused(practice_a, owner_a, login):
    invitation, token = invite(practice_a, owner_a)
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    user = UserFactory()

    response = login(user).post(accept_url(token))

    assert response.status_code == 410
    assert "expired" in response.content.decode()
    assert not Membership.objects.filter(user=user).exists()
    with pytest.raises(ValidationError):
        services.invitation_accept(token=token, user=user)


def test_revoked_invitation_is_refused(practice_a, owner_a, admin_a, login):
    invitation, token = invite(practice_a, owner_a)
    services.invitation_revoke(invitation=invitation, actor=admin_a)
    user = UserFactory()

    response = login(user).post(accept_url(token))

    assert response.status_code == 410
    assert "withdrawn" in response.content.decode()
    assert not Membership.objects.filter(user=user).exists()


def test_unknown_link_is_a_clear_404(db, login):
    response = login(UserFactory()).get(accept_url("not-a-real-token"))
    assert response.status_code == 404
    assert "not valid" in response.content.decode()


def test_resend_replaces_the_link_and_extends_expiry(practice_a, owner_a, login, mailoutbox):
    invitation, old_token = invite(practice_a, owner_a)
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(days=1))
    invitation.refresh_from_db()

    _, new_token = services.invitation_resend(invitation=invitation, actor=owner_a)

    assert len(mailoutbox) == 2 and accept_url(new_token) in mailoutbox[1].body
    user = UserFactory(email="new.person@example.com")
    assert login(user).post(accept_url(old_token)).status_code == 404  # the old link is dead
    assert login(user).post(accept_url(new_token)).status_code == 302
    assert Membership.objects.filter(practice=practice_a, user=user).exists()


def test_anonymous_visitor_signs_up_and_lands_on_the_invitation(practice_a, owner_a, client):
    _, token = invite(practice_a, owner_a, email="fresh@example.com", role=Role.CONSULTANT)

    page = client.get(accept_url(token))
    assert page.status_code == 200
    assert "Create an account" in page.content.decode()
    assert client.session["pending_invitation"] == token

    response = client.post(
        reverse("account_signup"),
        {
            "email": "fresh@example.com",
            "password1": "a-long-Passphrase-42",
            "password2": "a-long-Passphrase-42",
            "name": "Ines Invitee",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == accept_url(token)

    accepted = client.post(accept_url(token))
    assert accepted.status_code == 302
    user = User.objects.get(email="fresh@example.com")
    assert Membership.objects.get(practice=practice_a, user=user).role == Role.CONSULTANT
    assert "pending_invitation" not in client.session


@pytest.mark.parametrize("portal", [False, True])
def test_another_account_holding_the_link_is_refused_and_nothing_changes(
    practice_a, owner_a, client_a1, login, portal
):
    invitation, token = invite(
        practice_a,
        owner_a,
        email="invited@example.com",
        role="" if portal else Role.ADMIN,
        client=client_a1 if portal else None,
    )
    intruder = UserFactory(email="someone.else@example.com")
    http = login(intruder)
    message = (
        "This invitation was sent to invited@example.com; you are signed in as someone.else@example.com. "
        "Sign out and open the link again."
    )

    page = http.get(accept_url(token))
    assert page.status_code == 403
    html = page.content.decode()
    assert message in html
    assert "Accept invitation" not in html
    assert f'name="next" value="{accept_url(token)}"' in html  # sign out, then back to the link

    response = http.post(accept_url(token))
    assert response.status_code == 403
    assert message in response.content.decode()
    with pytest.raises(ValidationError, match="This invitation was sent to invited@example.com"):
        services.invitation_accept(token=token, user=intruder)

    invitation.refresh_from_db()
    assert invitation.accepted_at is None and invitation.accepted_by is None
    assert not Membership.objects.filter(user=intruder).exists()
    assert not PortalAccess.objects.filter(user=intruder).exists()
    # the invited person can still use the link
    invited = UserFactory(email="invited@example.com")
    assert login(invited).post(accept_url(token)).status_code in (200, 302)
    invitation.refresh_from_db()
    assert invitation.accepted_by == invited


def test_invited_address_matches_whatever_its_letter_case(practice_a, owner_a, login):
    _, token = invite(practice_a, owner_a, email="Joiner@Example.com", role=Role.VIEWER)
    joiner = UserFactory(email="JOINER@example.COM")

    assert login(joiner).post(accept_url(token)).status_code == 302
    assert Membership.objects.get(practice=practice_a, user=joiner).role == Role.VIEWER


def test_sign_up_from_the_invitation_starts_with_the_invited_address(practice_a, owner_a, client):
    _, token = invite(practice_a, owner_a, email="fresh@example.com")
    page = client.get(accept_url(token))
    signup_url = page.context["signup_url"]
    assert "email=fresh%40example.com" in signup_url

    signup = client.get(signup_url).content.decode()

    assert 'value="fresh@example.com"' in signup


def test_anonymous_post_is_sent_to_log_in_first(practice_a, owner_a, client):
    _, token = invite(practice_a, owner_a)
    response = client.post(accept_url(token))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert not Invitation.objects.filter(accepted_at__isnull=False).exists()


def test_portal_invitation_gives_portal_access_not_membership(practice_a, owner_a, client_a1, login):
    invitation, token = invite(practice_a, owner_a, email="ceo@acme.example.com", role="", client=client_a1)
    assert invitation.role == "" and invitation.is_portal
    ceo = UserFactory(email="ceo@acme.example.com")

    response = login(ceo).post(accept_url(token))

    assert response.status_code in (200, 302)
    assert PortalAccess.objects.filter(practice=practice_a, client=client_a1, user=ceo).exists()
    assert not Membership.objects.filter(user=ceo).exists()


def test_member_already_in_practice_cannot_be_invited_again(practice_a, owner_a, consultant_a):
    with pytest.raises(ValidationError) as exc:
        invite(practice_a, owner_a, email=consultant_a.email)
    assert "already a member" in str(exc.value)


def test_second_pending_invitation_for_same_email_is_refused(practice_a, owner_a):
    invite(practice_a, owner_a, email="dup@example.com")
    with pytest.raises(ValidationError) as exc:
        invite(practice_a, owner_a, email="dup@example.com")
    assert "pending invitation" in str(exc.value)


def test_admin_cannot_invite_an_owner(practice_a, admin_a):
    with pytest.raises(PermissionDenied):
        invite(practice_a, admin_a, role=Role.OWNER)
    assert not Invitation.objects.exists()


def test_seeded_demo_has_pending_invitation_and_portal_user(db):
    from accounts.demo import seed_practice

    world, logins = seed_practice("Demo Test Practice")

    pending = Invitation.objects.for_practice(world.practice).filter(accepted_at__isnull=True)
    assert pending.count() == 1
    portal_logins = [row for row in logins if row[0] == "EXECUTIVE"]
    assert len(portal_logins) == 2
    executive = ContactFactory._meta.model.objects.get(email=portal_logins[0][1])
    assert executive.is_executive and executive.client == world.clients[0]
    assert PortalAccess.objects.filter(user__email=portal_logins[0][1], client=world.clients[0]).exists()


def test_the_emailed_link_follows_the_address_the_app_runs_on(as_owner_a, practice_a, login, mailoutbox):
    """With `make run PORT=8101` the link must point at port 8101, not the default 8000."""
    from urllib.parse import urlsplit

    response = as_owner_a.post(
        reverse("accounts:member_invite", args=["alpha"]),
        {"email": "porter@example.com", "role": Role.CONSULTANT},
        HTTP_HOST="127.0.0.1:8101",
    )
    assert response.status_code == 302
    link = next(word for word in mailoutbox[-1].body.split() if "/invitations/" in word)
    assert link.startswith("http://127.0.0.1:8101/invitations/")

    # the invitee follows the e-mailed link on that port, signs in, and accepts
    joiner = UserFactory(email="porter@example.com")
    http = login(joiner)
    path = urlsplit(link).path
    assert http.get(path, HTTP_HOST="127.0.0.1:8101").status_code == 200
    accepted = http.post(path, HTTP_HOST="127.0.0.1:8101")
    assert accepted.status_code == 302
    assert Membership.objects.filter(practice=practice_a, user=joiner, role=Role.CONSULTANT).exists()


def test_links_sent_without_a_request_use_site_url(settings, practice_a, owner_a, mailoutbox):
    settings.SITE_URL = "https://vcio.example.com"
    invite(practice_a, owner_a, email="later@example.com")
    assert "https://vcio.example.com/invitations/" in mailoutbox[-1].body


def test_a_portal_invitee_lands_on_a_true_page_never_on_create_your_practice(
    practice_a, owner_a, client_a1, login
):
    invitation, token = invite(practice_a, owner_a, email="ceo@acme.example.com", role="", client=client_a1)
    ceo = UserFactory(email="ceo@acme.example.com")
    http = login(ceo)
    accepted = http.post(accept_url(token), follow=True)
    html = accepted.content.decode()
    dashboard = reverse("portal:dashboard", args=[client_a1.pk])
    assert accepted.status_code == 200
    assert accepted.redirect_chain[-1][0] == dashboard  # the client's portal
    assert client_a1.name in html
    assert "Create your practice" not in html
    # signing in again later lands on the same page
    home = http.get(reverse("home"), follow=True)
    assert home.redirect_chain[-1][0] == dashboard


def test_accepting_without_a_name_asks_for_it(practice_a, owner_a, login):
    invitation, token = invite(practice_a, owner_a, email="noname@example.com")
    user = UserFactory(email="noname@example.com", first_name="", last_name="", name="")
    http = login(user)
    assert 'name="name"' in http.get(accept_url(token)).content.decode()
    refused = http.post(accept_url(token), {"name": ""})
    assert refused.status_code == 400
    assert not Membership.objects.filter(practice=practice_a, user=user).exists()
    assert http.post(accept_url(token), {"name": "Noor Haddad"}).status_code == 302
    user.refresh_from_db()
    assert user.name == "Noor Haddad"
    assert Membership.objects.filter(practice=practice_a, user=user).exists()
