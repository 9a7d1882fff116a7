from django.urls import path

from . import portal_views, views

app_name = "clients"

client = "clients/<uuid:client_pk>/"

urlpatterns = [
    path("clients/", views.ClientListView.as_view(), name="list"),
    path("clients/new/", views.ClientCreateView.as_view(), name="create"),
    path(client, views.ClientOverviewView.as_view(), name="overview"),
    path(client + "edit/", views.ClientEditView.as_view(), name="edit"),
    path(client + "archive/", views.ClientStatusView.as_view(action="archive"), name="archive"),
    path(client + "restore/", views.ClientStatusView.as_view(action="restore"), name="restore"),
    path(client + "contacts/", views.ContactListView.as_view(), name="contacts"),
    path(client + "contacts/new/", views.ContactFormView.as_view(), name="contact_create"),
    path(client + "contacts/<uuid:contact_pk>/edit/", views.ContactFormView.as_view(), name="contact_edit"),
    path(
        client + "contacts/<uuid:contact_pk>/delete/",
        views.ContactDeleteView.as_view(),
        name="contact_delete",
    ),
    path(client + "history/", views.ClientHistoryView.as_view(), name="history"),
    path(client + "portal-access/", portal_views.PortalAccessView.as_view(), name="portal_access"),
    path(
        client + "portal-access/<uuid:access_pk>/remove/",
        portal_views.PortalAccessRemoveView.as_view(),
        name="portal_access_remove",
    ),
    path(
        client + "portal-access/invitations/<uuid:invitation_pk>/resend/",
        portal_views.PortalInvitationActionView.as_view(action="resend"),
        name="portal_invitation_resend",
    ),
    path(
        client + "portal-access/invitations/<uuid:invitation_pk>/revoke/",
        portal_views.PortalInvitationActionView.as_view(action="revoke"),
        name="portal_invitation_revoke",
    ),
]
