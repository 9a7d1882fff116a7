"""The practice's side of the portal, under `/p/<practice>/`: which sections a client's executives see."""

from django.urls import path

from . import views

app_name = "portal_practice"

urlpatterns = [
    path("clients/<uuid:client_pk>/portal-sections/", views.PortalSettingsView.as_view(), name="settings"),
]
