from django.urls import path

from . import member_views, views

urlpatterns = [
    path("", views.home, name="home"),
    path("onboarding/", views.OnboardingView.as_view(), name="onboarding"),
    path("profile/", views.ProfileView.as_view(), name="profile"),
    path("invitations/<str:token>/", member_views.InvitationAcceptView.as_view(), name="invitation_accept"),
    path("p/<slug:practice_slug>/", views.PracticeHomeView.as_view(), name="practice_home"),
]
