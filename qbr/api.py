"""API of the qbr app: meetings (with their attendees and agenda; hold and cancel), action items, and
QBR reports (list, detail, request generation → 202, download, retry). The same selectors and
services as the pages."""

from django.http import FileResponse
from django.utils.text import slugify
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.api import MemberField
from accounts.models import User
from accounts.selectors import practice_member_users
from clients.models import Client, Contact, Industry
from roadmaps.api import FiscalQuarterField
from vcio.api import TenantFilterSet, TenantSerializer, TenantViewSet
from vcio.api_filters import ZonedIsoDateTimeFilter
from vcio.api_schema import describe_tag
from vcio.models import scoped_object_or_404

from . import advisory_selectors, advisory_services, report_services, selectors, services
from .advisory_models import Advisory, AdvisoryCategory, AdvisorySeverity, AdvisoryTargeting
from .models import (
    ActionItem,
    ActionItemStatus,
    Meeting,
    MeetingKind,
    MeetingStatus,
    QBRReport,
    ReportStatus,
)

describe_tag(
    "meetings",
    "Meetings with a client (QBRs first): when, where, attendees and agenda. Holding a QBR "
    "(`POST /meetings/{id}/hold/`) plans the next one on the client's cadence.",
)
describe_tag("action-items", "What was agreed at a meeting: who does it (a member or a contact), by when.")
describe_tag(
    "qbr-reports",
    "Branded QBR reports (PDF), made by a worker: request one (`202` with its id), follow its `status` "
    "and `progress`, then download it.",
)


class LinkedIds(serializers.ManyRelatedField):
    """Attendees written as ids (through `child_relation`) and read from the meeting's attendee links
    (`member_links`, `contact_links`, which the selector prefetches by practice) — not from the joined
    users or contacts: ids are all an answer shows."""

    def __init__(self, link: str, attr: str, **kwargs):
        self.link, self.attr = link, attr
        super().__init__(**kwargs)

    def get_attribute(self, instance):
        return [getattr(row, self.attr) for row in instance.prefetched(self.link)]

    def to_representation(self, iterable):
        return sorted(iterable)


class MeetingSerializer(TenantSerializer):
    """A meeting. `scheduled_at` is an ISO 8601 date-time (answers use the practice's time zone);
    `members` are members of the practice (user ids), `contacts` contacts of the same client,
    `agenda` the agenda items' titles in order (writing it replaces the agenda; a new QBR without
    one gets the standard QBR agenda). `status` changes only through hold and cancel."""

    members = LinkedIds(
        "member_links", "user_id", child_relation=MemberField(queryset=User.objects.none()), required=False
    )
    contacts = LinkedIds(
        "contact_links",
        "contact_id",
        child_relation=serializers.PrimaryKeyRelatedField(queryset=Contact.objects.all()),
        required=False,
    )
    agenda = serializers.ListField(
        child=serializers.CharField(max_length=200), required=False, max_length=services.MAX_AGENDA_ITEMS
    )

    class Meta:
        model = Meeting
        fields = [
            "id",
            "client",
            "kind",
            "title",
            "scheduled_at",
            "duration_minutes",
            "location",
            "notes",
            "status",
            "held_at",
            "members",
            "contacts",
            "agenda",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "status", "held_at", "created_at", "updated_at"]

    def scope_fields(self, practice):
        if practice is not None:
            self.fields["members"].child_relation.queryset = practice_member_users(practice=practice)

    def to_representation(self, instance):
        data = super().to_representation(instance)
        agenda = instance.prefetched("agenda_items")
        data["agenda"] = [item.title for item in agenda]
        return data


class HoldSerializer(serializers.Serializer):
    """Close a planned meeting as held. For a QBR the next one is planned `next_scheduled_at` (default:
    the client's cadence later) unless `propose_next` is false."""

    next_scheduled_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    propose_next = serializers.BooleanField(required=False, default=True)
    notes = serializers.CharField(required=False, allow_blank=True, max_length=50_000, default=None)


class ActionItemSerializer(TenantSerializer):
    """An action item of a meeting. The owner is `owner_member` (a member of the practice) or
    `owner_contact` (a contact of the meeting's client), or neither — never both. Set `status` to
    `done` or `open`; `done_at` is stamped."""

    owner_member = MemberField(queryset=User.objects.none(), allow_null=True, required=False)
    status = serializers.ChoiceField(choices=ActionItemStatus.choices, required=False)

    class Meta:
        model = ActionItem
        fields = [
            "id",
            "meeting",
            "client",
            "description",
            "owner_member",
            "owner_contact",
            "due_date",
            "status",
            "done_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "client", "done_at", "created_at", "updated_at"]

    def scope_fields(self, practice):
        if practice is not None:
            self.fields["owner_member"].queryset = practice_member_users(practice=practice)


class QBRReportSerializer(TenantSerializer):
    """A QBR report of one client and fiscal quarter (`period`, e.g. "FY2027 Q2"). `status` goes
    queued → running → done (or failed, with `error`); `progress` is 0-100. `download` is the PDF's
    URL once it is done."""

    period = FiscalQuarterField(read_only=True)
    download = serializers.SerializerMethodField()

    class Meta:
        model = QBRReport
        fields = [
            "id",
            "client",
            "period",
            "version",
            "status",
            "progress",
            "trigger",
            "requested_by",
            "meeting",
            "snapshot",
            "error",
            "started_at",
            "finished_at",
            "download",
            "created_at",
        ]
        read_only_fields = fields

    def get_download(self, report) -> str | None:
        request = self.context.get("request")
        if report.status != ReportStatus.DONE or request is None:
            return None
        return request.build_absolute_uri(f"/api/v1/qbr-reports/{report.pk}/download/")


class ReportRequestSerializer(serializers.Serializer):
    """Ask for a client's QBR report. Without `period`: the quarter of the client's next planned QBR
    (else the current quarter). A report already queued or running for that quarter is returned."""

    client = serializers.UUIDField()
    period = FiscalQuarterField(required=False, allow_null=True, default=None)


class MeetingFilter(TenantFilterSet):
    scheduled_after = ZonedIsoDateTimeFilter(field_name="scheduled_at", lookup_expr="gte")
    scheduled_before = ZonedIsoDateTimeFilter(field_name="scheduled_at", lookup_expr="lt")
    status = filters.MultipleChoiceFilter(choices=MeetingStatus.choices)
    kind = filters.MultipleChoiceFilter(choices=MeetingKind.choices)

    class Meta:
        model = Meeting
        fields = ["client"]


class ActionItemFilter(TenantFilterSet):
    owner_member = filters.ModelChoiceFilter(queryset=User.objects.none())

    class Meta:
        model = ActionItem
        fields = ["client", "meeting", "status", "owner_contact"]

    def scope_filters(self, practice):
        if practice is not None:
            self.filters["owner_member"].queryset = practice_member_users(practice=practice)


class ReportFilter(TenantFilterSet):
    class Meta:
        model = QBRReport
        fields = ["client", "status", "trigger", "meeting"]


class MeetingViewSet(TenantViewSet):
    """Meetings of your practice's clients. Filter with `?client=`, `?status=`, `?kind=` (repeatable),
    `?scheduled_after=` and `?scheduled_before=` (ISO 8601)."""

    serializer_class = MeetingSerializer
    filterset_class = MeetingFilter
    ordering_fields = ["scheduled_at", "created_at", "updated_at"]
    ordering = ["scheduled_at", "id"]
    search_fields = ["title", "location", "client__name"]

    def get_scoped_queryset(self, practice):
        listing = self.action == "list"
        return selectors.meetings_of_practice(practice=practice, with_client=not listing, links=not listing)

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        return selectors.with_links(page, practice_id=self.practice.pk) if page is not None else page

    def create_object(self, data):
        client = data.pop("client")
        return services.meeting_create(client=client, actor=self.actor, **data)

    def update_object(self, instance, data):
        return services.meeting_update(meeting=instance, actor=self.actor, **data)

    def destroy_object(self, instance):
        services.meeting_delete(meeting=instance, actor=self.actor)

    def _fresh(self, meeting):
        fresh = self.get_scoped_queryset(self.practice).get(pk=meeting.pk)
        return MeetingSerializer(fresh, context=self.get_serializer_context()).data

    def perform_create(self, serializer):
        serializer.instance = self.get_scoped_queryset(self.practice).get(
            pk=self.create_object(serializer.validated_data).pk
        )

    def perform_update(self, serializer):
        serializer.instance = self.get_scoped_queryset(self.practice).get(
            pk=self.update_object(serializer.instance, serializer.validated_data).pk
        )

    @extend_schema(
        request=HoldSerializer,
        responses=inline_serializer(
            "HeldMeeting",
            {"meeting": MeetingSerializer(), "next_meeting": MeetingSerializer(allow_null=True)},
        ),
    )
    @action(detail=True, methods=["post"])
    def hold(self, request, pk=None):
        """Close a planned meeting as held; for a QBR, plan the next one on the client's cadence."""
        meeting = self.get_object()
        payload = HoldSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        held, next_meeting = services.meeting_hold(
            meeting=meeting, actor=self.actor, **payload.validated_data
        )
        return Response(
            {
                "meeting": self._fresh(held),
                "next_meeting": self._fresh(next_meeting) if next_meeting else None,
            }
        )

    @extend_schema(request=None, responses=MeetingSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        """Cancel a planned meeting (it stays listed as cancelled)."""
        meeting = self.get_object()
        services.meeting_cancel(meeting=meeting, actor=self.actor)
        return Response(self._fresh(meeting))


class ActionItemViewSet(TenantViewSet):
    """Action items agreed at meetings. Filter with `?client=`, `?meeting=`, `?status=open|done`,
    `?owner_member=`, `?owner_contact=`."""

    serializer_class = ActionItemSerializer
    filterset_class = ActionItemFilter
    ordering_fields = ["due_date", "created_at", "updated_at"]
    ordering = ["due_date", "created_at", "id"]
    search_fields = ["description"]

    def get_scoped_queryset(self, practice):
        if self.action == "list":  # a row is the item's own columns and ids: nothing to join
            return ActionItem.objects.for_practice(practice).order_by("due_date", "created_at", "pk")
        return selectors.action_items_of_practice(practice=practice)

    def create_object(self, data):
        meeting = data.pop("meeting")
        wanted = data.pop("status", None)
        item = services.action_item_create(meeting=meeting, actor=self.actor, **data)
        if wanted and wanted != item.status:
            services.action_item_set_status(item=item, actor=self.actor, status=wanted)
        return item

    def update_object(self, instance, data):
        wanted = data.pop("status", None)
        if data:
            services.action_item_update(item=instance, actor=self.actor, **data)
        if wanted:
            services.action_item_set_status(item=instance, actor=self.actor, status=wanted)
        return instance

    def destroy_object(self, instance):
        services.action_item_delete(item=instance, actor=self.actor)


class QBRReportViewSet(TenantViewSet):
    """QBR reports of your practice's clients. Filter with `?client=`, `?status=`, `?trigger=`,
    `?meeting=`. Reports are made by a worker: `POST` answers `202` with the report's id."""

    serializer_class = QBRReportSerializer
    filterset_class = ReportFilter
    ordering_fields = ["created_at", "period", "version"]
    ordering = ["-created_at"]
    search_fields = ["client__name"]
    http_method_names = ["get", "post", "head", "options"]

    def get_scoped_queryset(self, practice):
        return selectors.reports_of_practice(practice=practice)

    @extend_schema(
        request=ReportRequestSerializer,
        responses={
            202: QBRReportSerializer,
            404: OpenApiResponse(description="No such client in your practice."),
        },
    )
    def create(self, request, *args, **kwargs):
        """Request a client's QBR report: it is queued for a worker (`202`); follow it with GET."""
        payload = ReportRequestSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        client = scoped_object_or_404(Client, practice=self.practice, pk=payload.validated_data["client"])
        report = report_services.report_request(
            client=client, actor=self.actor, period=payload.validated_data["period"]
        )
        fresh = self.get_scoped_queryset(self.practice).get(pk=report.pk)
        return Response(self.get_serializer(fresh).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(
        responses={
            (200, "application/pdf"): OpenApiTypes.BINARY,
            409: OpenApiResponse(description="The report is not ready (yet)."),
        }
    )
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        """Download the report's PDF (streamed); 409 while it is not ready."""
        report = self.get_object()
        if report.status != ReportStatus.DONE or not report.pdf:
            return Response(
                {"detail": f"The report is not ready (status: {report.get_status_display().lower()})."},
                status=status.HTTP_409_CONFLICT,
            )
        name = (
            slugify(f"{report.client.name} qbr {report.period_label} v{report.version}")[:80] or "qbr-report"
        )
        return FileResponse(
            report.pdf.open("rb"), content_type="application/pdf", as_attachment=True, filename=f"{name}.pdf"
        )

    @extend_schema(request=None, responses={202: QBRReportSerializer})
    @action(detail=True, methods=["post"])
    def retry(self, request, pk=None):
        """Queue a failed report again (`202`)."""
        report = self.get_object()
        report_services.report_retry(report=report, actor=self.actor)
        fresh = self.get_scoped_queryset(self.practice).get(pk=report.pk)
        return Response(self.get_serializer(fresh).data, status=status.HTTP_202_ACCEPTED)


# --- advisories -----------------------------------------------------------------------------------

describe_tag(
    "advisories",
    "The practice's advisories on technology trends and best practice (Markdown `body`), targeted at "
    "all clients, at industries or at chosen clients; a draft until published (`POST …/publish/`).",
)


class AdvisorySerializer(TenantSerializer):
    """An advisory. `targeting`: `all` (every client), `industries` (clients whose industry is in
    `industries`; at least one) or `clients` (the `clients` given; at least one). `published_on` is
    null for a draft; publish and unpublish with the actions. `body` is Markdown (rendered safely:
    raw HTML is shown as text, links only http(s)/mailto)."""

    industries = serializers.MultipleChoiceField(choices=Industry.choices, required=False)
    clients = serializers.PrimaryKeyRelatedField(many=True, queryset=Client.objects.all(), required=False)
    status = serializers.SerializerMethodField()

    class Meta:
        model = Advisory
        fields = [
            "id",
            "title",
            "body",
            "category",
            "severity",
            "targeting",
            "industries",
            "clients",
            "link",
            "published_on",
            "status",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "published_on", "created_at", "updated_at"]

    def get_status(self, advisory) -> str:
        return advisory.status

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["industries"] = instance.industry_list
        return data

    def to_internal_value(self, data):
        values = super().to_internal_value(data)
        if "industries" in values:
            values["industries"] = sorted(values["industries"])
        return values


class AdvisoryFilter(TenantFilterSet):
    category = filters.MultipleChoiceFilter(choices=AdvisoryCategory.choices)
    severity = filters.MultipleChoiceFilter(choices=AdvisorySeverity.choices)
    targeting = filters.MultipleChoiceFilter(choices=AdvisoryTargeting.choices)
    status = filters.ChoiceFilter(
        choices=[("published", "Published"), ("draft", "Draft")], method="filter_status"
    )

    class Meta:
        model = Advisory
        fields = {"title": ["icontains"]}

    def filter_status(self, queryset, name, value):
        return queryset.filter(published_on__isnull=(value == "draft"))


class AdvisoryViewSet(TenantViewSet):
    """Your practice's advisories. Filter with `?category=`, `?severity=`, `?targeting=` (repeatable),
    `?status=published|draft`, `?title__icontains=`."""

    serializer_class = AdvisorySerializer
    filterset_class = AdvisoryFilter
    ordering_fields = ["title", "published_on", "created_at", "updated_at"]
    ordering = ["-created_at"]
    search_fields = ["title", "body"]

    def get_scoped_queryset(self, practice):
        return advisory_selectors.advisories_of_practice(practice=practice)

    def _fresh(self, advisory):
        return self.get_scoped_queryset(self.practice).get(pk=advisory.pk)

    def create_object(self, data):
        return self._fresh(
            advisory_services.advisory_create(practice=self.practice, actor=self.actor, **data)
        )

    def update_object(self, instance, data):
        return self._fresh(advisory_services.advisory_update(advisory=instance, actor=self.actor, **data))

    def destroy_object(self, instance):
        advisory_services.advisory_delete(advisory=instance, actor=self.actor)

    @extend_schema(request=None, responses=AdvisorySerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        """Publish the advisory (from today in the practice's time zone)."""
        advisory = advisory_services.advisory_publish(advisory=self.get_object(), actor=self.actor)
        return Response(self.get_serializer(self._fresh(advisory)).data)

    @extend_schema(request=None, responses=AdvisorySerializer)
    @action(detail=True, methods=["post"])
    def unpublish(self, request, pk=None):
        """Make the advisory a draft again."""
        advisory = advisory_services.advisory_unpublish(advisory=self.get_object(), actor=self.actor)
        return Response(self.get_serializer(self._fresh(advisory)).data)


# Discovered by vcio.api_urls: everything under /api/v1/.
API_ROUTES = [
    ("meetings", MeetingViewSet, "meeting"),
    ("action-items", ActionItemViewSet, "action-item"),
    ("qbr-reports", QBRReportViewSet, "qbr-report"),
    ("advisories", AdvisoryViewSet, "advisory"),
]

# The consultant's week (qbr.dashboard_api): notifications and the dashboard's figures.
from .dashboard_api import DASHBOARD_PATHS, NOTIFICATION_ROUTES  # noqa: E402

API_ROUTES += NOTIFICATION_ROUTES
API_PATHS = DASHBOARD_PATHS
