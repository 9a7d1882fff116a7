"""The members page, role changes, removals, portal access — and who may do them (server-side)."""

import uuid

import pytest
from django.urls import reverse

from accounts import member_services as services
from accounts.models import Invitation, Membership, Role
from clients.models import PortalAccess
from tests import factories
from tests.factories import ClientFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def url(name, practice="alpha", **kwargs):
    namespace = (
        "clients"
        if name.startswith("portal_") or name in ("list", "edit", "overview", "create")
        else "accounts"
    )
    return reverse(f"{namespace}:{name}", kwargs={"practice_slug": practice, **kwargs})


def membership(practice, user):
    return Membership.objects.get(practice=practice, user=user)


def pending_invitation(practice, actor, email="invitee@example.com", role=Role.CONSULTANT, client=None):
    invitation, _ = factories.invite(practice, actor, email, role=role, client=client)
    return invitation


# --- the page ---------------------------------------------------------------------------------------


def test_members_page_lists_members_and_pending_invitations(
    as_owner_a, practice_a, owner_a, consultant_a, viewer_a
):
    pending_invitation(practice_a, owner_a, email="soon@example.com")

    response = as_owner_a.get(url("members"))

    html = response.content.decode()
    assert response.status_code == 200
    for email in (owner_a.email, consultant_a.email, viewer_a.email, "soon@example.com"):
        assert email in html
    assert "Pending invitations" in html
    assert 'data-confirm="' in html  # removal asks first


def test_members_csv_export(as_admin_a, practice_a, owner_a, consultant_a):
    response = as_admin_a.get(url("members") + "?format=csv")

    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert response["Content-Type"].startswith("text/csv")
    assert body.splitlines()[0] == "Name,E-mail,Role,Joined"
    assert f"{consultant_a.email},Consultant," in body
    assert f"{owner_a.email},Owner," in body


def test_settings_nav_links_to_members_for_admins(as_admin_a):
    assert url("members") in as_admin_a.get(url("settings")).content.decode()


def test_invite_page_sends_invitation(as_admin_a, practice_a, mailoutbox):
    response = as_admin_a.post(url("member_invite"), {"email": "pat@example.com", "role": Role.VIEWER})

    assert response.status_code == 302
    assert Invitation.objects.get(practice=practice_a, email="pat@example.com").role == Role.VIEWER
    assert len(mailoutbox) == 1
    assert "Invitation sent to pat@example.com" in as_admin_a.get(response["Location"]).content.decode()


@pytest.mark.parametrize(
    ("data", "field_error"),
    [
        ({"email": "not-an-email", "role": Role.VIEWER}, "Enter a valid email address."),
        ({"email": "pat@example.com", "role": "emperor"}, "Select a valid choice."),
        ({"email": "", "role": Role.VIEWER}, "This field is required."),
    ],
)
def test_invite_bad_input_gives_field_errors(as_owner_a, practice_a, data, field_error):
    response = as_owner_a.post(url("member_invite"), data)

    assert response.status_code == 200
    html = response.content.decode()
    assert field_error in html
    assert "Please correct the errors below." in html
    assert not Invitation.objects.exists()


def test_admin_is_not_offered_owner_role_and_cannot_post_it(as_admin_a, practice_a):
    page = as_admin_a.get(url("member_invite")).content.decode()
    assert 'value="owner"' not in page

    response = as_admin_a.post(url("member_invite"), {"email": "boss@example.com", "role": Role.OWNER})

    assert response.status_code == 200
    assert "Select a valid choice." in response.content.decode()
    assert not Invitation.objects.exists()


# --- role changes and removal -----------------------------------------------------------------------


def test_owner_changes_a_role(as_owner_a, practice_a, consultant_a):
    m = membership(practice_a, consultant_a)

    response = as_owner_a.post(url("member_role", membership_pk=m.pk), {"role": Role.ADMIN})

    assert response.status_code == 302
    assert membership(practice_a, consultant_a).role == Role.ADMIN
    assert "is now admin" in as_owner_a.get(response["Location"]).content.decode()


def test_unknown_role_is_an_error_message_not_a_500(as_owner_a, practice_a, consultant_a):
    m = membership(practice_a, consultant_a)

    response = as_owner_a.post(url("member_role", membership_pk=m.pk), {"role": "emperor"}, follow=True)

    assert response.status_code == 200
    assert "Choose one of the roles" in response.content.decode()
    assert membership(practice_a, consultant_a).role == Role.CONSULTANT


def test_owner_removes_a_member(as_owner_a, practice_a, consultant_a):
    m = membership(practice_a, consultant_a)

    response = as_owner_a.post(url("member_remove", membership_pk=m.pk), follow=True)

    assert response.status_code == 200
    assert "was removed from Alpha Advisors" in response.content.decode()
    assert not Membership.objects.filter(pk=m.pk).exists()


def test_last_owner_can_be_neither_demoted_nor_removed(as_owner_a, practice_a, owner_a):
    m = membership(practice_a, owner_a)

    demoted = as_owner_a.post(url("member_role", membership_pk=m.pk), {"role": Role.ADMIN}, follow=True)
    assert "last owner cannot be demoted" in demoted.content.decode()
    removed = as_owner_a.post(url("member_remove", membership_pk=m.pk), follow=True)
    assert "last owner cannot be removed" in removed.content.decode()

    assert membership(practice_a, owner_a).role == Role.OWNER


def test_an_owner_can_step_down_when_another_owner_remains(as_owner_a, practice_a, owner_a):
    MembershipFactory(practice=practice_a, role=Role.OWNER)
    m = membership(practice_a, owner_a)

    as_owner_a.post(url("member_role", membership_pk=m.pk), {"role": Role.ADMIN})

    assert membership(practice_a, owner_a).role == Role.ADMIN


def test_admin_cannot_demote_remove_or_make_owners(as_admin_a, practice_a, owner_a, consultant_a):
    owner_m, consultant_m = membership(practice_a, owner_a), membership(practice_a, consultant_a)
    MembershipFactory(practice=practice_a, role=Role.OWNER)  # not the last owner: only the role stops it

    assert (
        as_admin_a.post(url("member_role", membership_pk=owner_m.pk), {"role": Role.VIEWER}).status_code
        == 403
    )
    assert as_admin_a.post(url("member_remove", membership_pk=owner_m.pk)).status_code == 403
    promote = as_admin_a.post(url("member_role", membership_pk=consultant_m.pk), {"role": Role.OWNER})
    assert promote.status_code == 403

    assert membership(practice_a, owner_a).role == Role.OWNER
    assert membership(practice_a, consultant_a).role == Role.CONSULTANT


def test_admin_manages_non_owners(as_admin_a, practice_a, viewer_a):
    m = membership(practice_a, viewer_a)
    as_admin_a.post(url("member_role", membership_pk=m.pk), {"role": Role.CONSULTANT})
    assert membership(practice_a, viewer_a).role == Role.CONSULTANT


def test_admin_sees_owner_rows_without_controls(as_admin_a, practice_a, owner_a):
    html = as_admin_a.get(url("members")).content.decode()
    owner_m = membership(practice_a, owner_a)
    assert url("member_remove", membership_pk=owner_m.pk) not in html
    assert 'value="owner"' not in html


def test_removed_member_loses_access_at_once(practice_a, owner_a, consultant_a, client_a1, login):
    # given a consultant with a live session
    session = login(consultant_a)
    assert session.get(url("list")).status_code == 200
    # when the owner removes them
    services.membership_remove(membership=membership(practice_a, consultant_a), actor=owner_a)
    # then the very next request of that session is refused
    assert session.get(url("list")).status_code == 404
    assert session.get(url("overview", client_pk=client_a1.pk)).status_code == 404
    assert session.post(url("create"), {"name": "Sneaky"}).status_code == 404


def test_demoted_member_loses_write_access_at_once(practice_a, owner_a, consultant_a, client_a1, login):
    session = login(consultant_a)
    services.membership_change_role(
        membership=membership(practice_a, consultant_a), actor=owner_a, role=Role.VIEWER
    )
    response = session.post(url("edit", client_pk=client_a1.pk), {"name": "Changed"})
    assert response.status_code == 403


# --- roles are enforced on the server -------------------------------------------------------------------


def _member_endpoints(practice, owner):
    target = membership(practice, owner)
    invitation = pending_invitation(practice, owner, email="x@example.com")
    return [
        ("get", url("members"), {}),
        ("get", url("members") + "?format=csv", {}),
        ("get", url("member_invite"), {}),
        ("post", url("member_invite"), {"email": "y@example.com", "role": Role.VIEWER}),
        ("post", url("member_role", membership_pk=target.pk), {"role": Role.VIEWER}),
        ("post", url("member_remove", membership_pk=target.pk), {}),
        ("post", url("invitation_resend", invitation_pk=invitation.pk), {}),
        ("post", url("invitation_revoke", invitation_pk=invitation.pk), {}),
    ]


@pytest.mark.parametrize("who", ["as_viewer_a", "as_consultant_a"])
def test_viewer_and_consultant_get_403_and_nothing_changes(request, who, practice_a, owner_a):
    http = request.getfixturevalue(who)
    endpoints = _member_endpoints(practice_a, owner_a)
    before = (
        list(Membership.objects.values_list("pk", "role")),
        list(Invitation.objects.values_list("pk", "token_hash", "revoked_at")),
    )

    for method, path, data in endpoints:
        assert getattr(http, method)(path, data).status_code == 403, path

    after = (
        list(Membership.objects.values_list("pk", "role")),
        list(Invitation.objects.values_list("pk", "token_hash", "revoked_at")),
    )
    assert before == after


def test_viewer_cannot_manage_portal_access(as_viewer_a, practice_a, owner_a, client_a1):
    invitation = pending_invitation(practice_a, owner_a, email="ceo@x.example.com", role="", client=client_a1)
    access = PortalAccess.objects.create(practice=practice_a, client=client_a1, user=UserFactory())
    page = as_viewer_a.get(url("portal_access", client_pk=client_a1.pk))
    assert page.status_code == 200  # can see who has access
    assert "Send invitation" not in page.content.decode()

    posts = [
        url("portal_access", client_pk=client_a1.pk),
        url("portal_access_remove", client_pk=client_a1.pk, access_pk=access.pk),
        url("portal_invitation_resend", client_pk=client_a1.pk, invitation_pk=invitation.pk),
        url("portal_invitation_revoke", client_pk=client_a1.pk, invitation_pk=invitation.pk),
    ]
    for path in posts:
        assert as_viewer_a.post(path, {"email": "z@example.com"}).status_code == 403, path
    assert PortalAccess.objects.filter(pk=access.pk).exists()
    assert Invitation.objects.count() == 1


# --- portal access page ---------------------------------------------------------------------------------


def test_portal_access_page_invites_and_removes(as_owner_a, practice_a, client_a1, mailoutbox):
    exec_user = UserFactory(email="cfo@acme.example.com")
    access = PortalAccess.objects.create(practice=practice_a, client=client_a1, user=exec_user)
    page_url = url("portal_access", client_pk=client_a1.pk)

    page = as_owner_a.get(page_url).content.decode()
    assert "cfo@acme.example.com" in page
    assert "Portal access" in page  # the client tab

    invited = as_owner_a.post(page_url, {"email": "ceo@acme.example.com"}, follow=True)
    assert "Portal invitation sent to ceo@acme.example.com" in invited.content.decode()
    invitation = Invitation.objects.get(email="ceo@acme.example.com")
    assert invitation.client == client_a1 and invitation.role == ""
    assert "ceo@acme.example.com" in mailoutbox[0].to

    as_owner_a.post(url("portal_access_remove", client_pk=client_a1.pk, access_pk=access.pk))
    assert not PortalAccess.objects.filter(pk=access.pk).exists()

    as_owner_a.post(url("portal_invitation_revoke", client_pk=client_a1.pk, invitation_pk=invitation.pk))
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    after = as_owner_a.get(page_url).content.decode()
    assert "Invitation for ceo@acme.example.com revoked." in after
    assert 'id="portal-invitations-table"' not in after  # no pending invitation left
    assert "No pending invitations." in after


def test_portal_invite_bad_email_is_a_field_error(as_owner_a, client_a1):
    response = as_owner_a.post(url("portal_access", client_pk=client_a1.pk), {"email": "nope"})
    assert response.status_code == 200
    assert "Enter a valid email address." in response.content.decode()
    assert not Invitation.objects.exists()


# --- isolation: practice B's ids under practice A's URLs are 404s ----------------------------------------


def test_other_practices_ids_are_404_on_every_page(as_owner_a, practice_a, practice_b, owner_b, client_a1):
    b_client = ClientFactory(practice=practice_b, name="CANARY-Bravo")
    b_member = membership(practice_b, owner_b)
    b_invitation = pending_invitation(practice_b, owner_b, email="canary@bravo.example.com")
    b_portal_invitation = pending_invitation(
        practice_b, owner_b, email="canary-exec@bravo.example.com", role="", client=b_client
    )
    b_access = PortalAccess.objects.create(practice=practice_b, client=b_client, user=UserFactory())
    a_client_invitation = pending_invitation(
        practice_a, as_owner_a_user(practice_a), "e@a.example.com", "", client_a1
    )

    not_found = [
        ("post", url("member_role", membership_pk=b_member.pk), {"role": Role.VIEWER}),
        ("post", url("member_remove", membership_pk=b_member.pk), {}),
        ("post", url("invitation_resend", invitation_pk=b_invitation.pk), {}),
        ("post", url("invitation_revoke", invitation_pk=b_invitation.pk), {}),
        # a portal invitation is not a team invitation, even in the same practice
        ("post", url("invitation_revoke", invitation_pk=a_client_invitation.pk), {}),
        ("get", url("portal_access", client_pk=b_client.pk), {}),
        ("post", url("portal_access", client_pk=b_client.pk), {"email": "q@example.com"}),
        ("post", url("portal_access_remove", client_pk=client_a1.pk, access_pk=b_access.pk), {}),
        ("post", url("portal_access_remove", client_pk=b_client.pk, access_pk=b_access.pk), {}),
        (
            "post",
            url("portal_invitation_resend", client_pk=client_a1.pk, invitation_pk=b_portal_invitation.pk),
            {},
        ),
        (
            "post",
            url("portal_invitation_revoke", client_pk=client_a1.pk, invitation_pk=b_portal_invitation.pk),
            {},
        ),
        ("post", url("member_role", membership_pk=uuid.uuid4()), {"role": Role.VIEWER}),
    ]
    for method, path, data in not_found:
        assert getattr(as_owner_a, method)(path, data).status_code == 404, path

    # and practice B's pages themselves are 404 for a member of A only
    assert as_owner_a.get(url("members", practice="bravo")).status_code == 404
    assert membership(practice_b, owner_b).role == Role.OWNER
    assert Invitation.objects.filter(practice=practice_b, revoked_at__isnull=True).count() == 2
    assert PortalAccess.objects.filter(pk=b_access.pk).exists()
    page = as_owner_a.get(url("members")).content.decode()
    assert "canary" not in page.lower()


def as_owner_a_user(practice):
    return Membership.objects.get(practice=practice, role=Role.OWNER).user


# --- query counts do not grow with rows ---------------------------------------------------------------


def test_members_page_query_count_is_constant(
    as_owner_a, practice_a, owner_a, django_assert_num_queries, django_assert_max_num_queries
):
    for _ in range(2):
        m = MembershipFactory(practice=practice_a, role=Role.VIEWER)
    services.membership_change_role(membership=m, actor=owner_a, role=Role.CONSULTANT)
    pending_invitation(practice_a, owner_a, email="one@example.com")
    as_owner_a.get(url("members"))  # warm: the first request after signing in records the practice
    with django_assert_max_num_queries(30) as small:
        assert as_owner_a.get(url("members")).status_code == 200

    for _ in range(15):
        m = MembershipFactory(practice=practice_a, role=Role.VIEWER)
        services.membership_change_role(membership=m, actor=owner_a, role=Role.CONSULTANT)
    for i in range(10):
        pending_invitation(practice_a, owner_a, email=f"many{i}@example.com")
    with django_assert_num_queries(len(small.captured_queries)):
        assert as_owner_a.get(url("members")).status_code == 200


def test_portal_access_page_query_count_is_constant(
    as_owner_a, practice_a, owner_a, client_a1, django_assert_num_queries, django_assert_max_num_queries
):
    PortalAccess.objects.create(practice=practice_a, client=client_a1, user=UserFactory())
    pending_invitation(practice_a, owner_a, email="p0@example.com", role="", client=client_a1)
    page_url = url("portal_access", client_pk=client_a1.pk)
    as_owner_a.get(page_url)  # warm: the first request after signing in records the practice
    with django_assert_max_num_queries(30) as small:
        assert as_owner_a.get(page_url).status_code == 200

    for i in range(12):
        PortalAccess.objects.create(practice=practice_a, client=client_a1, user=UserFactory())
        pending_invitation(practice_a, owner_a, email=f"p{i + 1}@example.com", role="", client=client_a1)
    with django_assert_num_queries(len(small.captured_queries)):
        assert as_owner_a.get(page_url).status_code == 200


def test_members_and_invitations_are_paginated(as_owner_a, practice_a, owner_a):
    for n in range(30):
        MembershipFactory(
            practice=practice_a, role=Role.VIEWER, user=UserFactory(email=f"m{n:02d}@example.com")
        )
    for n in range(27):
        pending_invitation(practice_a, owner_a, email=f"inv{n:02d}@example.com")
    html = as_owner_a.get(url("members")).content.decode()
    members = html.split('id="members-table"')[1].split("</table>")[0]
    assert members.count("<tr>") == 1 + 25
    assert "1–25 of 31" in html
    assert "?invitations_page=2" in html and "?page=2" in html
    second = as_owner_a.get(url("members") + "?page=2&invitations_page=2").content.decode()
    assert second.split('id="members-table"')[1].split("</table>")[0].count("<tr>") == 1 + 6
    assert second.split('id="invitations-table"')[1].split("</table>")[0].count("<tr>") == 1 + 10  # 10 a page
