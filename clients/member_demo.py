"""Demo data for the team pages: a pending invitation and a client executive with portal access."""

import secrets

from django.utils import timezone

from vcio.services import audit

from .demo import DemoWorld, _user, register_demo_seeder
from .member_services import INVITATION_VALID_FOR, hash_token
from .models import Contact, Invitation, PortalAccess, Role


def seed_team(world: DemoWorld) -> None:
    practice, owner = world.practice, world.owner
    # Created directly (no e-mail is sent while seeding); the link is never shown, so it cannot be used.
    invitation = Invitation(
        practice=practice,
        email=f"nina.ortiz@{practice.slug}.example.com",
        role=Role.CONSULTANT,
        token_hash=hash_token(secrets.token_urlsafe(32)),
        invited_by=owner,
        expires_at=timezone.now() + INVITATION_VALID_FOR,
    )
    audit(invitation, owner)
    invitation.save()
    if not world.clients:
        return
    client = world.clients[0]
    executive = (
        Contact.objects.for_practice(practice)
        .filter(client=client, is_executive=True)
        .exclude(email="")
        .order_by("name")
        .first()
    )
    if executive is None:
        return
    first, _, last = executive.name.partition(" ")
    user = _user(executive.email, first, last)
    PortalAccess.objects.get_or_create(practice=practice, client=client, user=user)


register_demo_seeder(seed_team, order=10)
