"""The calendar feed's secret links, outside `/p/<practice>/`: the token alone names the practice and
the member (calendar apps cannot log in)."""

from django.urls import path

from . import views

app_name = "vendor_feeds"

urlpatterns = [
    path("feeds/renewals/<str:token>.ics", views.calendar_feed, name="renewals"),
]
