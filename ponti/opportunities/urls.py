from django.urls import path

from . import saved_views, views

app_name = "opportunities"

urlpatterns = [
    path("", views.opportunity_list, name="list"),
    path("nuova/", views.opportunity_create, name="create"),
    path("<int:pk>/", views.opportunity_detail, name="detail"),
    path("<int:pk>/modifica/", views.opportunity_edit, name="edit"),
    path("<int:pk>/storia/", views.opportunity_history, name="history"),
    path("<int:pk>/decisione/", views.opportunity_decide, name="decide"),
    path("<int:pk>/scadenze-viste/", views.acknowledge_deadlines, name="acknowledge"),
    path("ricerche/", saved_views.saved_search_create, name="saved_create"),
    path("ricerche/<int:pk>/", saved_views.saved_search_open, name="saved_open"),
    path("ricerche/<int:pk>/elimina/", saved_views.saved_search_delete, name="saved_delete"),
]
