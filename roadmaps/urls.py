from django.urls import path

from . import library_views, views

app_name = "roadmaps"

base = "clients/<uuid:client_pk>/roadmap/"
initiative = base + "initiatives/<uuid:pk>/"
goal = base + "goals/<uuid:pk>/"
library = "library/"
template = library + "<uuid:template_pk>/"

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
    # the initiative library: the practice's templates, and using them on a client's roadmap
    path(base + "library/", library_views.AddFromLibraryView.as_view(), name="add_from_library"),
    path(
        initiative + "save-as-template/", library_views.SaveAsTemplateView.as_view(), name="save_as_template"
    ),
    path(library, library_views.LibraryListView.as_view(), name="library"),
    path(library + "new/", library_views.TemplateFormView.as_view(), name="library_create"),
    path(library + "import/", library_views.TemplateImportView.as_view(), name="library_import"),
    path(library + "import/sample.csv", library_views.TemplateSampleView.as_view(), name="library_sample"),
    path(template, library_views.TemplateDetailView.as_view(), name="library_detail"),
    path(template + "edit/", library_views.TemplateFormView.as_view(), name="library_edit"),
    path(template + "delete/", library_views.TemplateDeleteView.as_view(), name="library_delete"),
]
