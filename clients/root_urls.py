from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("onboarding/", views.OnboardingView.as_view(), name="onboarding"),
]
