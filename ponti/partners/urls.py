from django.urls import path

from . import merge_views, views
from .gdpr import views as gdpr_views

app_name = "partners"

urlpatterns = [
    path("", views.organisation_list, name="organisation_list"),
    path("nuovo/", views.organisation_create, name="organisation_create"),
    path("verifica/", views.organisation_check, name="organisation_check"),
    path("<int:pk>/", views.organisation_detail, name="organisation_detail"),
    path("<int:pk>/modifica/", views.organisation_edit, name="organisation_edit"),
    path("<int:pk>/elimina/", views.organisation_delete, name="organisation_delete"),
    path("<int:pk>/unisci/", merge_views.organisation_merge, name="organisation_merge"),
    path("<int:pk>/storia/", views.organisation_history, name="organisation_history"),
    path("<int:pk>/incarichi/nuovo/", views.position_create, name="position_create"),
    path("<int:pk>/note/nuova/", views.note_create, name="note_create"),
    path("suggerimenti/<str:kind>/", views.suggest, name="suggest"),
    path("persone/", views.person_list, name="person_list"),
    path("persone/nuova/", views.person_create, name="person_create"),
    path("persone/<int:pk>/", views.person_detail, name="person_detail"),
    path("persone/<int:pk>/modifica/", views.person_edit, name="person_edit"),
    path("persone/<int:pk>/elimina/", views.person_delete, name="person_delete"),
    path("persone/<int:pk>/storia/", views.person_history, name="person_history"),
    path("persone/<int:pk>/dati-personali/", gdpr_views.person_export, name="person_export"),
    path("persone/<int:pk>/cancella/", gdpr_views.person_erase, name="person_erase"),
    path("persone/<int:pk>/conserva/", gdpr_views.retention_keep, name="retention_keep"),
    path("persone/conservazione/", gdpr_views.retention_review, name="retention_review"),
    path("incarichi/<int:pk>/modifica/", views.position_edit, name="position_edit"),
    path("incarichi/<int:pk>/elimina/", views.position_delete, name="position_delete"),
]
