from django.urls import path

from . import views
from .importing import views as imports

app_name = "core"

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("accessibilita/", views.AccessibilityView.as_view(), name="accessibility"),
    path("privacy/", views.PrivacyView.as_view(), name="privacy"),
    path("registro-modifiche/", views.audit_log, name="audit_log"),
    path("importazioni/", imports.import_list, name="import_list"),
    path("importazioni/nuova/", imports.import_new, name="import_new"),
    path("importazioni/<int:pk>/", imports.import_detail, name="import_detail"),
    path("importazioni/<int:pk>/conferma/", imports.import_confirm, name="import_confirm"),
    path("importazioni/<int:pk>/annulla/", imports.import_undo, name="import_undo"),
    path("importazioni/<int:pk>/colonne/", imports.import_mapping, name="import_mapping"),
    path("bootstrap-italia/dist/fonts/<path:path>", views.theme_font, name="theme_font"),
]
