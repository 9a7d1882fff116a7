"""The portal: `/portal/` (the executive's clients) and `/portal/<client_pk>/…` (one client's pages).
Every view is read-only (GET, HEAD, OPTIONS)."""

from django.urls import path

from . import views

app_name = "portal"

client = "<uuid:client_pk>/"

urlpatterns = [
    path("", views.PortalHomeView.as_view(), name="home"),
    path(client, views.DashboardView.as_view(), name="dashboard"),
    path(client + "roadmap/", views.RoadmapView.as_view(), name="roadmap"),
    path(client + "budget/", views.BudgetView.as_view(), name="budget"),
    path(client + "compliance/", views.ComplianceView.as_view(), name="compliance"),
    path(client + "renewals/", views.RenewalsView.as_view(), name="renewals"),
    path(client + "meetings/", views.MeetingsView.as_view(), name="meetings"),
    path(client + "meetings/<uuid:meeting_pk>/", views.MeetingDetailView.as_view(), name="meeting"),
    path(client + "reports/", views.ReportsView.as_view(), name="reports"),
    path(client + "advisories/", views.AdvisoriesView.as_view(), name="advisories"),
    path(client + "reports/<uuid:report_pk>/pdf/", views.ReportDownloadView.as_view(), name="report_pdf"),
]
