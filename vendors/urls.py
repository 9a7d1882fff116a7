from django.urls import path

from . import import_views, views

app_name = "vendors"

vendor = "vendors/<uuid:pk>/"
client = "clients/<uuid:client_pk>/vendors/"
contract = client + "contracts/<uuid:pk>/"

urlpatterns = [
    # the practice's directory
    path("vendors/", views.VendorDirectoryView.as_view(), name="directory"),
    path("vendors/new/", views.VendorFormView.as_view(), name="create"),
    path(vendor, views.VendorDetailView.as_view(), name="detail"),
    path(vendor + "edit/", views.VendorFormView.as_view(), name="edit"),
    path(vendor + "delete/", views.VendorDeleteView.as_view(), name="delete"),
    path(vendor + "interactions/", views.InteractionCreateView.as_view(), name="interaction_create"),
    path(
        "vendors/interactions/<uuid:pk>/delete/",
        views.InteractionDeleteView.as_view(),
        name="interaction_delete",
    ),
    # renewals across clients, the calendar link, the practice-wide import
    path("renewals/", views.RenewalCalendarView.as_view(), name="renewals"),
    path("renewals/feed/", views.FeedActionView.as_view(action="create"), name="feed_create"),
    path("renewals/feed/reset/", views.FeedActionView.as_view(action="reset"), name="feed_reset"),
    path("renewals/import/", import_views.PracticeImportView.as_view(), name="import"),
    path("renewals/import/confirm/", import_views.PracticeImportConfirmView.as_view(), name="import_confirm"),
    path(
        "renewals/import/template.csv",
        import_views.PracticeImportTemplateView.as_view(),
        name="import_template",
    ),
    # a client's Vendors tab
    path(client, views.ClientContractsView.as_view(), name="client_contracts"),
    path(client + "contracts/new/", views.ContractFormView.as_view(), name="contract_create"),
    path(contract, views.ContractDetailView.as_view(), name="contract_detail"),
    path(contract + "edit/", views.ContractFormView.as_view(), name="contract_edit"),
    path(contract + "cancel/", views.ContractActionView.as_view(action="cancel"), name="contract_cancel"),
    path(
        contract + "reactivate/",
        views.ContractActionView.as_view(action="reactivate"),
        name="contract_reactivate",
    ),
    path(contract + "delete/", views.ContractActionView.as_view(action="delete"), name="contract_delete"),
    path(client + "import/", import_views.ClientImportView.as_view(), name="client_import"),
    path(
        client + "import/confirm/",
        import_views.ClientImportConfirmView.as_view(),
        name="client_import_confirm",
    ),
    path(
        client + "import/template.csv",
        import_views.ClientImportTemplateView.as_view(),
        name="client_import_template",
    ),
]
