from django.urls import path

from . import advisory_views, dashboard_views, report_views, views

app_name = "qbr"

base = "clients/<uuid:client_pk>/qbr/"
meeting = base + "meetings/<uuid:meeting_pk>/"
report = base + "reports/<uuid:report_pk>/"
advisory = "advisories/<uuid:advisory_pk>/"

urlpatterns = [
    # the client's QBR tab
    path(base, views.QbrTabView.as_view(), name="client"),
    path(base + "meetings/new/", views.MeetingFormView.as_view(), name="meeting_create"),
    path(meeting, views.MeetingDetailView.as_view(), name="meeting"),
    path(meeting + "edit/", views.MeetingFormView.as_view(), name="meeting_edit"),
    path(meeting + "notes/", views.MeetingNotesView.as_view(), name="meeting_notes"),
    path(meeting + "hold/", views.MeetingHoldView.as_view(), name="meeting_hold"),
    path(meeting + "cancel/", views.MeetingCancelView.as_view(), name="meeting_cancel"),
    path(meeting + "delete/", views.MeetingDeleteView.as_view(), name="meeting_delete"),
    path(meeting + "calendar.ics", views.MeetingIcsView.as_view(), name="meeting_ics"),
    path(meeting + "agenda/", views.AgendaAddView.as_view(), name="agenda_add"),
    path(meeting + "action-items/", views.ActionItemAddView.as_view(), name="action_add"),
    path(base + "agenda/<uuid:item_pk>/delete/", views.AgendaDeleteView.as_view(), name="agenda_delete"),
    path(base + "agenda/<uuid:item_pk>/move/", views.AgendaMoveView.as_view(), name="agenda_move"),
    path(
        base + "action-items/<uuid:action_pk>/toggle/",
        views.ActionItemToggleView.as_view(),
        name="action_toggle",
    ),
    path(
        base + "action-items/<uuid:action_pk>/delete/",
        views.ActionItemDeleteView.as_view(),
        name="action_delete",
    ),
    path(base + "report/preview/", report_views.ReportPreviewView.as_view(), name="report_preview"),
    path(base + "reports/generate/", report_views.ReportGenerateView.as_view(), name="report_generate"),
    path(report, report_views.ReportDetailView.as_view(), name="report"),
    path(report + "download/", report_views.ReportDownloadView.as_view(), name="report_download"),
    path(report + "retry/", report_views.ReportRetryView.as_view(), name="report_retry"),
    # practice-level
    path("meetings/", views.MeetingsView.as_view(), name="meetings"),
    path("qbr/generate-all/", views.GenerateAllView.as_view(), name="generate_all"),
    path("qbr/batches/<uuid:batch_pk>/", views.BatchView.as_view(), name="batch"),
    path("settings/qbr/", views.QBRSettingsView.as_view(), name="settings"),
    # advisories (practice-level)
    path("advisories/", advisory_views.AdvisoryListView.as_view(), name="advisories"),
    path("advisories/new/", advisory_views.AdvisoryFormView.as_view(), name="advisory_create"),
    path(advisory, advisory_views.AdvisoryDetailView.as_view(), name="advisory"),
    path(advisory + "edit/", advisory_views.AdvisoryFormView.as_view(), name="advisory_edit"),
    path(advisory + "publish/", advisory_views.AdvisoryPublishView.as_view(), name="advisory_publish"),
    path(
        advisory + "unpublish/",
        advisory_views.AdvisoryPublishView.as_view(publish=False),
        name="advisory_unpublish",
    ),
    path(advisory + "delete/", advisory_views.AdvisoryDeleteView.as_view(), name="advisory_delete"),
    path(
        advisory + "initiative/", advisory_views.AdvisoryInitiativeView.as_view(), name="advisory_initiative"
    ),
    # the consultant's week (dashboard_views)
    path("dashboard/", dashboard_views.DashboardView.as_view(), name="dashboard"),
    path("notifications/", dashboard_views.NotificationsView.as_view(), name="notifications"),
    path("notifications/count/", dashboard_views.NotificationBadgeView.as_view(), name="notification_count"),
    path(
        "notifications/read-all/",
        dashboard_views.NotificationsReadAllView.as_view(),
        name="notifications_read_all",
    ),
    path(
        "notifications/<uuid:notification_pk>/read/",
        dashboard_views.NotificationReadView.as_view(),
        name="notification_read",
    ),
    path("settings/reminders/", dashboard_views.ReminderSettingsView.as_view(), name="reminder_settings"),
]
