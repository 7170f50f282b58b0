from django.urls import path

from . import views

app_name = "opportunities"

urlpatterns = [
    path("", views.opportunity_list, name="list"),
    path("nuova/", views.opportunity_create, name="create"),
    path("<int:pk>/", views.opportunity_detail, name="detail"),
    path("<int:pk>/modifica/", views.opportunity_edit, name="edit"),
    path("<int:pk>/storia/", views.opportunity_history, name="history"),
    path("<int:pk>/decisione/", views.opportunity_decide, name="decide"),
    path("<int:pk>/scadenze-viste/", views.acknowledge_deadlines, name="acknowledge"),
]
