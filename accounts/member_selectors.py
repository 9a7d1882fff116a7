"""Reads about a practice's people: members, pending invitations, and their history.

Each takes the practice (or client) explicitly and does its joins, so a page loops without queries.
"""

from datetime import date

from django.db.models import QuerySet

from vcio.history import HISTORY_PAGE_SIZE, HistorySource, merged_history

from .models import Invitation, Membership, Practice


def members(*, practice: Practice) -> QuerySet[Membership]:
    return Membership.objects.for_practice(practice).select_related("user").order_by("user__email")


def pending_member_invitations(*, practice: Practice) -> QuerySet[Invitation]:
    """Invitations to the team not yet accepted nor revoked (expired ones included: they can be resent)."""
    return (
        Invitation.objects.for_practice(practice)
        .filter(client__isnull=True, accepted_at__isnull=True, revoked_at__isnull=True)
        .select_related("invited_by")
        .order_by("-created_at")
    )


def member_label(record) -> str:
    return record.user.email if record.user else "a deleted user"


MEMBERSHIP_HISTORY = HistorySource(
    "Member", lambda practice: Membership.history.filter(practice_id=practice.pk), ("user",), member_label
)
INVITATION_HISTORY = HistorySource(
    "Invitation",
    lambda practice: Invitation.history.filter(practice_id=practice.pk, client_id__isnull=True),
    (),
    lambda r: r.email,
)


def team_history(
    *,
    practice: Practice,
    user_id=None,
    date_from: date | None = None,
    date_to: date | None = None,
    before=None,
    limit=HISTORY_PAGE_SIZE,
) -> list[dict]:
    """Who joined, left, changed role, was invited — for the members page. Two queries, kept
    (`vcio.kept`) as the list opens."""
    return merged_history(
        [(source, source.rows(practice)) for source in (MEMBERSHIP_HISTORY, INVITATION_HISTORY)],
        kept_for=practice,
        user_id=user_id,
        date_from=date_from,
        date_to=date_to,
        before=before,
        limit=limit,
    )
