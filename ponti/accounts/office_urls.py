"""/gestione/: the office of an ente's Amministratore (users, their roles, enti)."""

from django.urls import path

from .views import enti, users

app_name = "office"

urlpatterns = [
    path("utenti/", users.users, name="users"),
    path("utenti/nuovo/", users.user_create, name="user_create"),
    path("utenti/<int:pk>/", users.user_detail, name="user"),
    path("utenti/<int:pk>/modifica/", users.user_edit, name="user_edit"),
    path("utenti/<int:pk>/ruoli/", users.place_save, name="place_save"),
    path("utenti/<int:pk>/ruoli/<int:ente_pk>/togli/", users.place_remove, name="place_remove"),
    path("utenti/<int:pk>/attivo/", users.user_active, name="user_active"),
    path("utenti/<int:pk>/password/", users.user_access_link, name="user_access_link"),
    path("token/<int:pk>/revoca/", users.token_revoke, name="token_revoke"),
    path("enti/", enti.enti, name="enti"),
    path("enti/nuovo/", enti.ente_create, name="ente_create"),
    path("enti/<int:pk>/modifica/", enti.ente_edit, name="ente_edit"),
]
