"""Every endpoint lives under /api/v1/. Each app adds its viewsets to the one router here."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from clients import api as clients_api
from roadmaps import api as roadmaps_api

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("clients", clients_api.ClientViewSet, basename="client")
router.register("contacts", clients_api.ContactViewSet, basename="contact")
router.register("goals", roadmaps_api.GoalViewSet, basename="goal")
router.register("initiatives", roadmaps_api.InitiativeViewSet, basename="initiative")

urlpatterns = [
    path("me/", clients_api.MeView.as_view(), name="api-me"),
    *router.urls,
]
