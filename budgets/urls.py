from django.urls import path

from . import actual_views, line_views, views

app_name = "budgets"

tab = "clients/<uuid:client_pk>/budget/"
budget = tab + "<uuid:budget_pk>/"
line = budget + "lines/<uuid:line_pk>/"
actuals = tab + "actuals/"
actual = actuals + "<uuid:actual_pk>/"

urlpatterns = [
    # the client's Budget tab: a fiscal year's budget (or the way to make one)
    path(tab, views.BudgetHomeView.as_view(), name="budget"),
    path(tab + "new/", views.BudgetCreateView.as_view(), name="budget_create"),
    # a budget or a scenario
    path(budget, views.BudgetPlanView.as_view(), name="plan"),
    path(budget + "export.xlsx", views.BudgetXlsxView.as_view(), name="export_xlsx"),
    path(budget + "edit/", views.BudgetEditView.as_view(), name="budget_edit"),
    path(budget + "build/", views.BudgetActionView.as_view(action="build"), name="build"),
    path(budget + "propose/", views.BudgetActionView.as_view(action="propose"), name="propose"),
    path(budget + "approve/", views.BudgetActionView.as_view(action="approve"), name="approve"),
    path(budget + "reopen/", views.BudgetActionView.as_view(action="reopen"), name="reopen"),
    path(budget + "promote/", views.BudgetActionView.as_view(action="promote"), name="promote"),
    path(budget + "delete/", views.BudgetActionView.as_view(action="delete"), name="budget_delete"),
    path(budget + "variance/", views.VarianceView.as_view(), name="variance"),
    path(budget + "forecast/", views.ForecastView.as_view(), name="forecast"),
    path(budget + "scenarios/", views.ScenarioListView.as_view(), name="scenarios"),
    path(budget + "scenarios/new/", views.ScenarioCreateView.as_view(), name="scenario_create"),
    path(budget + "compare/", views.CompareView.as_view(), name="compare"),
    # its lines (inline edits with htmx; full pages without JavaScript)
    path(budget + "lines/new/", line_views.LineCreateView.as_view(), name="line_create"),
    path(line, line_views.LineRowView.as_view(), name="line_row"),
    path(line + "edit/", line_views.LineEditView.as_view(), name="line_edit"),
    path(line + "drop/", line_views.LineActionView.as_view(action="drop"), name="line_drop"),
    path(line + "restore/", line_views.LineActionView.as_view(action="restore"), name="line_restore"),
    path(line + "reset/", line_views.LineActionView.as_view(action="reset"), name="line_reset"),
    path(line + "delete/", line_views.LineActionView.as_view(action="delete"), name="line_delete"),
    # actual spend
    path(actuals, actual_views.ActualListView.as_view(), name="actuals"),
    path(actuals + "new/", actual_views.ActualFormView.as_view(), name="actual_create"),
    path(actual + "edit/", actual_views.ActualFormView.as_view(), name="actual_edit"),
    path(actual + "delete/", actual_views.ActualDeleteView.as_view(), name="actual_delete"),
    path(actuals + "import/", actual_views.ActualImportView.as_view(), name="actual_import"),
    path(
        actuals + "import/preview/",
        actual_views.ActualImportPreviewView.as_view(),
        name="actual_import_preview",
    ),
    path(
        actuals + "import/confirm/",
        actual_views.ActualImportConfirmView.as_view(),
        name="actual_import_confirm",
    ),
    path(
        actuals + "import/template.csv",
        actual_views.ActualImportTemplateView.as_view(),
        name="actual_import_template",
    ),
    # the practice's settings
    path("settings/budgets/", views.BudgetSettingsView.as_view(), name="settings"),
]
