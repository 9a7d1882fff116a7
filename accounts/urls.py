from django.urls import path

from . import apikey_views, member_views, views

app_name = "accounts"

urlpatterns = [
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
]
