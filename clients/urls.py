from django.urls import path

from . import views

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
]
