"""Writes about a client's portal users: invite an executive, accept (registered with accounts'
invitation flow), remove access. Who may do it is member management (`Perm.MANAGE_MEMBERS`)."""

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.member_services import invitation_issue, normalise_email, pending, require_role_management
from accounts.models import Invitation, Role, User
from vcio.services import audit

from .models import Client, PortalAccess


@transaction.atomic
def portal_invitation_create(
    *, client: Client, actor: User, email: str, base_url: str | None = None
) -> tuple[Invitation, str]:
    """Invite `email` to this client's read-only portal. Returns the invitation and the raw token."""
    practice = client.practice
    email = normalise_email(email)
    require_role_management(practice, actor, Role.CONSULTANT)  # portal access = member management
    if PortalAccess.objects.for_client(client).filter(user__email=email).exists():
        raise ValidationError({"email": f"{email} already has access to {client.name}'s portal."})
    if pending(Invitation.objects.for_practice(practice).filter(client=client, email=email)).exists():
        raise ValidationError(
            {"email": f"{email} already has a pending invitation; resend it from the list below."}
        )
    return invitation_issue(practice=practice, actor=actor, email=email, client=client, base_url=base_url)


def portal_invitation_accept(*, invitation: Invitation, user: User) -> PortalAccess:
    """Called by `accounts.member_services.invitation_accept` (inside its transaction)."""
    access, created = PortalAccess.objects.get_or_create(
        practice_id=invitation.practice_id, client_id=invitation.client_id, user=user
    )
    if not created:
        raise ValidationError({"token": f"You already have access to {invitation.client.name}'s portal."})
    return access


@transaction.atomic
def portal_access_remove(*, access: PortalAccess, actor: User) -> None:
    require_role_management(access.practice, actor, Role.CONSULTANT)
    audit(access, actor)
    access._change_reason = "Portal access removed"
    access.delete()
