from django.urls import path

from . import apikey_views, member_views, views

app_name = "clients"

client = "clients/<uuid:client_pk>/"

urlpatterns = [
    path("", views.ClientListView.as_view(), name="list"),
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
    path("settings/", views.PracticeSettingsView.as_view(), name="settings"),
    path("settings/delete/", views.PracticeDeleteView.as_view(), name="practice_delete"),
    # API keys (apikey_views)
    path("settings/api-keys/", apikey_views.ApiKeyListView.as_view(), name="apikeys"),
    path("settings/api-keys/new/", apikey_views.ApiKeyCreateView.as_view(), name="apikey_create"),
    path(
        "settings/api-keys/<uuid:key_pk>/revoke/",
        apikey_views.ApiKeyRevokeView.as_view(),
        name="apikey_revoke",
    ),
    # members and invitations (member_views)
    path("members/", member_views.MembersView.as_view(), name="members"),
    path("members/invite/", member_views.MemberInviteView.as_view(), name="member_invite"),
    path("members/<uuid:membership_pk>/role/", member_views.MemberRoleView.as_view(), name="member_role"),
    path(
        "members/<uuid:membership_pk>/remove/", member_views.MemberRemoveView.as_view(), name="member_remove"
    ),
    path(
        "invitations/<uuid:invitation_pk>/resend/",
        member_views.MemberInvitationActionView.as_view(action="resend"),
        name="invitation_resend",
    ),
    path(
        "invitations/<uuid:invitation_pk>/revoke/",
        member_views.MemberInvitationActionView.as_view(action="revoke"),
        name="invitation_revoke",
    ),
    path(client + "portal-access/", member_views.PortalAccessView.as_view(), name="portal_access"),
    path(
        client + "portal-access/<uuid:access_pk>/remove/",
        member_views.PortalAccessRemoveView.as_view(),
        name="portal_access_remove",
    ),
    path(
        client + "portal-access/invitations/<uuid:invitation_pk>/resend/",
        member_views.PortalInvitationActionView.as_view(action="resend"),
        name="portal_invitation_resend",
    ),
    path(
        client + "portal-access/invitations/<uuid:invitation_pk>/revoke/",
        member_views.PortalInvitationActionView.as_view(action="revoke"),
        name="portal_invitation_revoke",
    ),
]
