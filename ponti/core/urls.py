from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("accessibilita/", views.AccessibilityView.as_view(), name="accessibility"),
    path("privacy/", views.PrivacyView.as_view(), name="privacy"),
    path("registro-modifiche/", views.audit_log, name="audit_log"),
    path("bootstrap-italia/dist/fonts/<path:path>", views.theme_font, name="theme_font"),
]
