from django.urls import path, register_converter

from . import dossier_views, views

app_name = "reports"


class DossierFormat:
    regex = "pdf|docx"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(DossierFormat, "dossierfmt")

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "report/dossier/incontro/<int:pk>.<dossierfmt:fmt>",
        dossier_views.meeting_dossier,
        name="meeting_dossier",
    ),
    path(
        "report/dossier/partner/<int:pk>.<dossierfmt:fmt>",
        dossier_views.partner_dossier,
        name="partner_dossier",
    ),
]
