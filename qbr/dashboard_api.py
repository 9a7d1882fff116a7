"""API of the consultant's week: the caller's notifications (list, read, mark read, mark all read)
and the dashboard's figures as one endpoint (`GET /api/v1/dashboard/`). Added to `qbr.api`'s routes.
The same selectors and services as the pages (`qbr.dashboard`, `qbr.notifications`)."""

from django.urls import path
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import User
from vcio.api import TenantSerializer, TenantViewSet, request_practice
from vcio.api_schema import describe_tag

from . import dashboard, notifications
from .models import Notification, ReminderKind

describe_tag(
    "notifications",
    "In-app notifications (the reminder digests): a signed-in member sees and marks their own; an API "
    "key acts for the practice and sees every member's (`recipient`), marking them one by one.",
)
describe_tag(
    "dashboard",
    "The practice dashboard's figures in one answer: what is due (the same rule as the page and the "
    "reminder digests), this fiscal year's planned vs actual spend, compliance score changes.",
)


def _member(request) -> User | None:
    user = getattr(request, "user", None)
    return user if isinstance(user, User) and user.pk else None


class NotificationSerializer(TenantSerializer):
    """A notification: `link` is a path of this site (the object it is about)."""

    class Meta:
        model = Notification
        fields = ["id", "recipient", "kind", "title", "body", "link", "read_at", "created_at"]
        read_only_fields = fields


class NotificationViewSet(TenantViewSet):
    """Notifications, newest first: a member's own (session), or every member's (API key). Filter with
    `?unread=true`. Marking read needs a role that may write (a read-only key may not)."""

    serializer_class = NotificationSerializer
    http_method_names = ["get", "post", "head", "options"]
    ordering_fields = ["created_at"]
    ordering = ["-created_at"]
    search_fields = ["title"]

    def get_scoped_queryset(self, practice):
        unread = self.request.query_params.get("unread", "").lower() in ("1", "true", "yes")
        return notifications.notifications_for(
            practice=practice, user=_member(self.request), unread_only=unread
        )

    @extend_schema(exclude=True)  # not an operation: the schema must not offer it (CI's fuzzer)
    def create(self, request, *args, **kwargs):  # notifications are made by the reminder digest
        from rest_framework.exceptions import MethodNotAllowed

        raise MethodNotAllowed("POST")

    @extend_schema(
        parameters=[OpenApiParameter("unread", bool, description="Only unread notifications.")],
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=None, responses=NotificationSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        """Mark the notification read (again: unchanged)."""
        notification = self.get_object()
        notifications.notification_mark_read(notification=notification, user=_member(request))
        return Response(self.get_serializer(notification).data)

    @extend_schema(
        request=None, responses=inline_serializer("NotificationsRead", {"marked": serializers.IntegerField()})
    )
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request):
        """Mark all your unread notifications read (a member's session); answers how many were. An API
        key is not a member: 400 (mark notifications one by one)."""
        user = _member(request)
        if user is None:
            raise ValidationError(
                {"non_field_errors": ["An API key is not a member: mark notifications one by one."]}
            )
        return Response(
            {"marked": notifications.notifications_mark_all_read(practice=self.practice, user=user)}
        )


class DueItemSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ReminderKind.choices)
    object_id = serializers.UUIDField()
    due_date = serializers.DateField()
    title = serializers.CharField()
    detail = serializers.CharField()
    client = serializers.UUIDField(source="client_id")
    client_name = serializers.CharField()
    url = serializers.CharField(help_text="The object's page (a path of this site).")
    overdue = serializers.BooleanField()


class BlockSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ReminderKind.choices)
    label = serializers.CharField()
    total = serializers.IntegerField()
    overdue = serializers.IntegerField()
    items = DueItemSerializer(many=True)


class SpendSerializer(serializers.Serializer):
    planned_total = serializers.DecimalField(max_digits=16, decimal_places=2)
    planned_ytd = serializers.DecimalField(max_digits=16, decimal_places=2)
    actual_ytd = serializers.DecimalField(max_digits=16, decimal_places=2)
    variance_ytd = serializers.DecimalField(max_digits=16, decimal_places=2)
    clients_with_budget = serializers.IntegerField(source="budgets")
    clients = serializers.IntegerField()


class ScoreChangeSerializer(serializers.Serializer):
    client = serializers.UUIDField(source="client_id")
    client_name = serializers.CharField(source="adoption.client.name")
    adoption = serializers.UUIDField(source="adoption.pk")
    framework = serializers.CharField(source="adoption.name")
    assessed_on = serializers.DateField(source="latest.day")
    score = serializers.DecimalField(max_digits=6, decimal_places=1, source="latest.percent")
    change = serializers.DecimalField(max_digits=6, decimal_places=1, allow_null=True)


class DashboardSerializer(serializers.Serializer):
    today = serializers.DateField(help_text="The practice's local date.")
    scope = serializers.ChoiceField(choices=["mine", "all"])
    due_count = serializers.IntegerField()
    overdue_count = serializers.IntegerField()
    blocks = BlockSerializer(many=True)
    spend = SpendSerializer()
    score_changes = ScoreChangeSerializer(
        many=True, help_text="The 50 most recently assessed frameworks, latest first."
    )
    score_change_count = serializers.IntegerField(
        help_text="How many adopted frameworks have a completed assessment in all."
    )


class DashboardView(APIView):
    """The dashboard: due items by kind (each kind's first 50, soonest first, with its total), this
    fiscal year's planned vs actual spend across the book (each client's own fiscal year) and the
    compliance score changes (the 50 most recently assessed frameworks, with their count).
    `?clients=mine` (a member's own clients: those they are primary
    consultant of) or `all` (the default; an API key always sees all)."""

    @extend_schema(
        tags=["dashboard"],
        parameters=[OpenApiParameter("clients", str, enum=["mine", "all"], description="Whose clients.")],
        responses=DashboardSerializer,
    )
    def get(self, request):
        practice = request_practice(request)
        user = _member(request)
        scope = "mine" if request.query_params.get("clients") == "mine" and user is not None else "all"
        board = dashboard.dashboard(
            practice=practice, user=user if scope == "mine" else None, limit=dashboard.API_BLOCK_LIMIT
        )
        data = {
            "today": board.today,
            "scope": scope,
            "due_count": board.due_count,
            "overdue_count": board.overdue_count,
            "blocks": board.blocks,
            "spend": board.spend,
            "score_changes": board.score_changes,
            "score_change_count": board.score_change_count,
        }
        return Response(DashboardSerializer(data).data)


NOTIFICATION_ROUTES = [("notifications", NotificationViewSet, "notification")]
DASHBOARD_PATHS = [path("dashboard/", DashboardView.as_view(), name="api-dashboard")]
