from django.urls import path

from .views import members, memberships, parts

app_name = "networks"

urlpatterns = [
    path("", memberships.membership_list, name="list"),
    path("nuova/", memberships.membership_create, name="create"),
    path("membri/", members.member_explorer, name="members"),
    path("membri/nuovo/", members.member_add, name="member_add"),
    path("membri/<int:pk>/elimina/", members.member_delete, name="member_delete"),
    path("<int:pk>/", memberships.membership_detail, name="detail"),
    path("<int:pk>/modifica/", memberships.membership_edit, name="edit"),
    path("<int:pk>/elimina/", memberships.membership_delete, name="delete"),
    path("<int:pk>/storia/", memberships.membership_history, name="history"),
    path("<int:pk>/ruoli/nuovo/", parts.part_edit, {"part": "role"}, name="role_add"),
    path("<int:pk>/ruoli/<int:part_pk>/", parts.part_edit, {"part": "role"}, name="role_edit"),
    path(
        "<int:pk>/ruoli/<int:part_pk>/elimina/",
        parts.part_delete,
        {"part": "role"},
        name="role_delete",
    ),
    path("<int:pk>/gruppi/nuovo/", parts.part_edit, {"part": "group"}, name="group_add"),
    path("<int:pk>/gruppi/<int:part_pk>/", parts.part_edit, {"part": "group"}, name="group_edit"),
    path(
        "<int:pk>/gruppi/<int:part_pk>/elimina/",
        parts.part_delete,
        {"part": "group"},
        name="group_delete",
    ),
    path("<int:pk>/quote/nuova/", parts.part_edit, {"part": "fee"}, name="fee_add"),
    path("<int:pk>/quote/<int:part_pk>/", parts.part_edit, {"part": "fee"}, name="fee_edit"),
    path(
        "<int:pk>/quote/<int:part_pk>/elimina/",
        parts.part_delete,
        {"part": "fee"},
        name="fee_delete",
    ),
]
