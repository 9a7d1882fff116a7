from django.urls import path

from . import standard_views, views

app_name = "compliance"

base = "clients/<uuid:client_pk>/compliance/"
adoption = base + "frameworks/<uuid:adoption_pk>/"
assessment = base + "assessments/<uuid:assessment_pk>/"
library = "standards/"
framework = library + "<uuid:framework_pk>/"

urlpatterns = [
    # the client's Compliance tab
    path(base, views.ComplianceView.as_view(), name="overview"),
    path(base + "adopt/", views.AdoptView.as_view(), name="adopt"),
    path(adoption, views.AdoptionView.as_view(), name="adoption"),
    path(adoption + "edit/", views.AdoptionEditView.as_view(), name="adoption_edit"),
    path(adoption + "delete/", views.AdoptionDeleteView.as_view(), name="adoption_delete"),
    path(adoption + "assessments/new/", views.AssessmentStartView.as_view(), name="assessment_start"),
    path(assessment, views.AssessmentView.as_view(), name="assessment"),
    path(assessment + "bulk/", views.BulkUpdateView.as_view(), name="bulk"),
    path(assessment + "complete/", views.CompleteView.as_view(), name="complete"),
    path(assessment + "delete/", views.AssessmentDeleteView.as_view(), name="assessment_delete"),
    path(assessment + "gaps-to-initiative/", views.GapInitiativeView.as_view(), name="gap_initiative"),
    path(assessment + "answers/<uuid:pk>/", views.ResponseView.as_view(), name="response"),
    # the practice's standards library (and the shipped catalogs, read-only)
    path(library, standard_views.LibraryView.as_view(), name="standards"),
    path(library + "new/", standard_views.FrameworkFormView.as_view(), name="framework_create"),
    path(library + "import/", standard_views.ImportView.as_view(), name="import"),
    path(framework, standard_views.FrameworkView.as_view(), name="framework"),
    path(framework + "edit/", standard_views.FrameworkFormView.as_view(), name="framework_edit"),
    path(framework + "delete/", standard_views.FrameworkDeleteView.as_view(), name="framework_delete"),
    path(framework + "items/new/", standard_views.StandardFormView.as_view(), name="standard_create"),
    path(
        framework + "items/<uuid:pk>/edit/", standard_views.StandardFormView.as_view(), name="standard_edit"
    ),
    path(
        framework + "items/<uuid:pk>/delete/",
        standard_views.StandardDeleteView.as_view(),
        name="standard_delete",
    ),
]
