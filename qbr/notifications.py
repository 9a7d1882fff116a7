"""In-app notifications (the bell in the top bar): reads and writes, for one member of one practice.

A notification belongs to its recipient: every read and write here takes the practice and the user,
so a member never sees or marks another member's (nor another practice's) notifications.
"""

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from .models import Notification

PAGE_SIZE = 25


# --- selectors ------------------------------------------------------------------------------------


def notifications_for(*, practice, user, unread_only: bool = False) -> QuerySet[Notification]:
    """The member's notifications, newest first (user None: every member's — an API key's view)."""
    qs = Notification.objects.for_practice(practice)
    if user is not None:
        qs = qs.filter(recipient=user)
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return qs.order_by("-created_at", "pk")


def unread_count(*, practice, user) -> int:
    return notifications_for(practice=practice, user=user, unread_only=True).count()


# --- services -------------------------------------------------------------------------------------


def notification_create(
    *, practice, recipient, kind: str, title: str, body: str = "", link: str = "", client=None
):
    """One notification for a member (the reminder digest's in-app side)."""
    notification = Notification(
        practice_id=getattr(practice, "pk", practice),
        recipient=recipient,
        kind=kind,
        title=title[:300],
        body=body[:500],
        link=link[:500],
        client=client,
    )
    notification.full_clean()
    notification.save()
    return notification


@transaction.atomic
def notification_mark_read(*, notification: Notification, user) -> Notification:
    """Mark a notification read (already read: unchanged). `user`: the member marking their own; None
    for a read-write API key of the practice (it acts for the practice, not as a member)."""
    if user is not None and notification.recipient_id != user.pk:
        raise Notification.DoesNotExist("Not this member's notification.")
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at", "updated_at"])
    return notification


@transaction.atomic
def notifications_mark_all_read(*, practice, user) -> int:
    """Mark every unread notification of the member in the practice read; how many were."""
    return notifications_for(practice=practice, user=user, unread_only=True).update(
        read_at=timezone.now(), updated_at=timezone.now()
    )
