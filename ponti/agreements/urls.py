from django.urls import path

from . import bond_views, views

app_name = "agreements"

urlpatterns = [
    path("", views.agreement_list, name="list"),
    path("nuovo/", views.agreement_create, name="create"),
    path("scadenze/", views.due_items, name="due"),
    path("legami-noti/", bond_views.bond_list, name="bonds"),
    path("<int:pk>/", views.agreement_detail, name="detail"),
    path("<int:pk>/modifica/", views.agreement_edit, name="edit"),
    path("<int:pk>/elimina/", views.agreement_delete, name="delete"),
    path("<int:pk>/storia/", views.agreement_history, name="history"),
    path("<int:pk>/stato/", views.agreement_transition, name="transition"),
    path("<int:pk>/firmatari/", views.signatory_add, name="signatory_add"),
    path("<int:pk>/impegni/nuovo/", views.commitment_edit, name="commitment_add"),
    path("<int:pk>/impegni/<int:commitment_pk>/", views.commitment_edit, name="commitment_edit"),
    path("<int:pk>/documenti/", views.document_upload, name="document_upload"),
    path("<int:pk>/documenti/<int:doc_pk>/", views.document_download, name="document_download"),
]
