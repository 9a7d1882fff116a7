"""Every write about who belongs to a practice: invitations (to the team; portal invitations are issued
by `clients.portal_services` through `invitation_issue`), role changes, removals. Keyword-only,
transactional; who may do what is decided by `access`.

An invitation's token is random and shown only in the e-mailed link; the database keeps its SHA-256.
"""

import hashlib
import secrets
import smtplib
from datetime import datetime, timedelta
from urllib.parse import urljoin

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from vcio.services import audit

from .access import can_manage_role
from .models import Invitation, Membership, Practice, Role, User
from .signals import member_removed

INVITATION_VALID_FOR = timedelta(days=7)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_url(token: str, base_url: str | None = None) -> str:
    """The link in the e-mail: on the address the inviter is using (`base_url`, from their request),
    else `SITE_URL` (commands and tasks; `make run` sets it to the host and port being served)."""
    return urljoin(base_url or settings.SITE_URL, reverse("invitation_accept", kwargs={"token": token}))


def actor_role(practice: Practice, actor: User) -> str:
    role = Membership.objects.for_practice(practice).filter(user=actor).values_list("role", flat=True).first()
    if role is None:
        raise PermissionDenied("You are not a member of this practice.")
    return role


def require_role_management(practice: Practice, actor: User, *roles: str) -> None:
    role_of_actor = actor_role(practice, actor)
    for role in roles:
        if not can_manage_role(role_of_actor, role):
            raise PermissionDenied(
                "Only an owner can manage owners." if role == Role.OWNER else "You may not manage members."
            )


def normalise_email(email: str) -> str:
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError({"email": "Enter a valid e-mail address."}) from None
    return email


def _new_token() -> tuple[str, str, datetime]:
    token = secrets.token_urlsafe(32)
    return token, hash_token(token), timezone.now() + INVITATION_VALID_FOR


def _send(invitation: Invitation, token: str, actor: User, base_url: str | None = None) -> None:
    context = {
        "invitation": invitation,
        "practice": invitation.practice,
        "client": invitation.client,
        "inviter": actor,
        "url": invitation_url(token, base_url),
        "expires_at": invitation.expires_at,
    }
    if invitation.is_portal:
        subject = f"{invitation.practice.name} invites you to the {invitation.client.name} portal"
    else:
        subject = f"{actor.display_name} invites you to join {invitation.practice.name} on vcio"
    body = render_to_string("accounts/members/invitation_email.txt", context)
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [invitation.email], fail_silently=False)
    except (OSError, smtplib.SMTPException):
        raise ValidationError(
            {"email": "The invitation e-mail could not be sent. Please try again in a moment."}
        ) from None


def pending(qs):
    return qs.filter(accepted_at__isnull=True, revoked_at__isnull=True)


@transaction.atomic
def invitation_create(
    *, practice: Practice, actor: User, email: str, role: str, base_url: str | None = None
) -> tuple[Invitation, str]:
    """Invite `email` to the practice with `role`. Returns the invitation and the raw token (for the
    link; it is not stored)."""
    email = normalise_email(email)
    if role not in Role.values:
        raise ValidationError({"role": "Choose a role."})
    require_role_management(practice, actor, role)
    if Membership.objects.for_practice(practice).filter(user__email=email).exists():
        raise ValidationError({"email": f"{email} is already a member of {practice.name}."})
    if pending(Invitation.objects.for_practice(practice).filter(client__isnull=True, email=email)).exists():
        raise ValidationError(
            {"email": f"{email} already has a pending invitation; resend it from the list below."}
        )
    return invitation_issue(practice=practice, actor=actor, email=email, role=role, base_url=base_url)


def invitation_issue(
    *, practice: Practice, actor: User, email: str, role: str = "", client=None, base_url: str | None = None
):
    """Create and e-mail an invitation whose checks the caller has made (team: `invitation_create`;
    a client's portal: `clients.portal_services.portal_invitation_create`)."""
    token, token_hash, expires_at = _new_token()
    invitation = Invitation(
        practice=practice,
        email=email,
        role=role,
        client=client,
        token_hash=token_hash,
        invited_by=actor,
        expires_at=expires_at,
    )
    audit(invitation, actor)
    invitation.full_clean()
    invitation.save()
    _send(invitation, token, actor, base_url)
    return invitation, token


_PORTAL_ACCEPTOR = None


def register_portal_acceptor(fn) -> None:
    """`fn(*, invitation, user)` gives the user the invited client's portal (registered by `clients`,
    which owns portal access; accounts never imports it)."""
    global _PORTAL_ACCEPTOR
    _PORTAL_ACCEPTOR = fn


def _check_pending(invitation: Invitation) -> None:
    if invitation.accepted_at is not None:
        raise ValidationError({"invitation": "This invitation has already been accepted."})
    if invitation.revoked_at is not None:
        raise ValidationError({"invitation": "This invitation has been revoked."})


def _require_invitation_management(invitation: Invitation, actor: User) -> None:
    require_role_management(invitation.practice, actor, invitation.role or Role.CONSULTANT)


@transaction.atomic
def invitation_resend(
    *, invitation: Invitation, actor: User, base_url: str | None = None
) -> tuple[Invitation, str]:
    """A new link (the old one stops working) valid for another 7 days, e-mailed again."""
    _require_invitation_management(invitation, actor)
    _check_pending(invitation)
    token, invitation.token_hash, invitation.expires_at = _new_token()
    audit(invitation, actor)
    invitation._change_reason = "Resent"
    invitation.save(update_fields=["token_hash", "expires_at", "updated_at"])
    _send(invitation, token, actor, base_url)
    return invitation, token


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, actor: User) -> Invitation:
    _require_invitation_management(invitation, actor)
    _check_pending(invitation)
    invitation.revoked_at = timezone.now()
    audit(invitation, actor)
    invitation._change_reason = "Revoked"
    invitation.save(update_fields=["revoked_at", "updated_at"])
    return invitation


def invitation_by_token(token: str) -> Invitation | None:
    """The invitation a link points to, whatever its state (None for an unknown link)."""
    return (
        Invitation.objects.select_related("practice", "client", "invited_by")
        .filter(token_hash=hash_token(token or ""))
        .first()
    )


def invitation_refusal(invitation: Invitation | None) -> str | None:
    """Why this invitation cannot be accepted, in words for the person holding the link; None if it can."""
    if invitation is None:
        return "This invitation link is not valid. Check that you copied the whole link."
    if invitation.accepted_at is not None:
        return "This invitation has already been used. Each invitation link works only once."
    if invitation.revoked_at is not None:
        return "This invitation has been withdrawn. Ask the person who invited you for a new one."
    if invitation.expires_at <= timezone.now():
        return "This invitation has expired (links are valid for 7 days). Ask for a new one."
    return None


def invitation_account_refusal(invitation: Invitation, user: User) -> str | None:
    """An invitation is for the address it was sent to: whoever holds the link must be signed in with
    that address (the link may have been forwarded, or opened in a colleague's session)."""
    if (user.email or "").strip().lower() != invitation.email.strip().lower():
        return (
            f"This invitation was sent to {invitation.email}; you are signed in as {user.email}. "
            "Sign out and open the link again."
        )
    return None


@transaction.atomic
def invitation_accept(*, token: str, user: User) -> Invitation:
    """Single use: makes `user` a member with the invited role, or gives them the client's portal.
    Only for the invited address: another account holding the link is refused and nothing changes."""
    invitation = (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("practice", "client")
        .filter(token_hash=hash_token(token or ""))
        .first()
    )
    refusal = invitation_refusal(invitation) or invitation_account_refusal(invitation, user)
    if refusal:
        raise ValidationError({"token": refusal})
    practice = invitation.practice
    if invitation.is_portal:
        if _PORTAL_ACCEPTOR is None:  # pragma: no cover - the clients app registers it
            raise ValidationError({"token": "Portal invitations cannot be accepted here."})
        _PORTAL_ACCEPTOR(invitation=invitation, user=user)
    else:
        if Membership.objects.for_practice(practice).filter(user=user).exists():
            raise ValidationError({"token": f"You are already a member of {practice.name}."})
        membership = Membership(practice=practice, user=user, role=invitation.role)
        audit(membership, user)
        membership._change_reason = f"Joined by invitation from {invitation.invited_by or 'a former member'}"
        membership.save()
    invitation.accepted_at, invitation.accepted_by = timezone.now(), user
    audit(invitation, user)
    invitation._change_reason = "Accepted"
    invitation.save(update_fields=["accepted_at", "accepted_by", "updated_at"])
    return invitation


def _lock_owners(practice: Practice) -> int:
    return len(list(Membership.objects.for_practice(practice).filter(role=Role.OWNER).select_for_update()))


@transaction.atomic
def membership_change_role(*, membership: Membership, actor: User, role: str) -> Membership:
    if role not in Role.values:
        raise ValidationError({"role": "Choose a role."})
    if role == membership.role:
        return membership
    require_role_management(membership.practice, actor, membership.role, role)
    if membership.role == Role.OWNER and _lock_owners(membership.practice) <= 1:
        raise ValidationError({"role": "The last owner cannot be demoted. Make someone else an owner first."})
    old = membership.get_role_display()
    membership.role = role
    audit(membership, actor)
    membership._change_reason = f"Role changed from {old} to {membership.get_role_display()}"
    membership.save(update_fields=["role", "updated_at"])
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership, actor: User) -> None:
    require_role_management(membership.practice, actor, membership.role)
    if membership.role == Role.OWNER and _lock_owners(membership.practice) <= 1:
        raise ValidationError({"role": "The last owner cannot be removed. Make someone else an owner first."})
    audit(membership, actor)
    membership._change_reason = "Removed from the practice"
    practice_id, user = membership.practice_id, membership.user
    membership.delete()
    # Clients, initiatives… they were assigned to lose the assignment (recorded in their history),
    # so a later edit of those objects is not refused for naming a non-member.
    member_removed.send(sender=Membership, practice_id=practice_id, user=user, actor=actor)
