from django.urls import path

from . import views

app_name = "roadmaps"

base = "clients/<uuid:client_pk>/roadmap/"
initiative = base + "initiatives/<uuid:pk>/"
goal = base + "goals/<uuid:pk>/"

urlpatterns = [
    path(base, views.TimelineView.as_view(), name="timeline"),
    path(base + "board/", views.BoardView.as_view(), name="board"),
    path(base + "initiatives/", views.InitiativeListView.as_view(), name="list"),
    path(base + "initiatives/new/", views.InitiativeFormView.as_view(), name="create"),
    path(initiative, views.InitiativeDetailView.as_view(), name="detail"),
    path(initiative + "edit/", views.InitiativeFormView.as_view(), name="edit"),
    path(initiative + "delete/", views.InitiativeDeleteView.as_view(), name="delete"),
    path(initiative + "transition/", views.InitiativeTransitionView.as_view(), name="transition"),
    path(base + "goals/", views.GoalListView.as_view(), name="goals"),
    path(base + "goals/new/", views.GoalFormView.as_view(), name="goal_create"),
    path(goal, views.GoalDetailView.as_view(), name="goal_detail"),
    path(goal + "edit/", views.GoalFormView.as_view(), name="goal_edit"),
    path(goal + "delete/", views.GoalDeleteView.as_view(), name="goal_delete"),
]
