from django.urls import path

from .views import auth, profile

app_name = "accounts"

urlpatterns = [
    path("login/", auth.LoginView.as_view(), name="login"),
    path("logout/", auth.LogoutView.as_view(), name="logout"),
    path("password/", auth.PasswordChangeView.as_view(), name="password_change"),
    path("password/dimenticata/", auth.PasswordResetView.as_view(), name="password_reset"),
    path("password/inviata/", auth.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "password/nuova/<uidb64>/<token>/",
        auth.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password/salvata/",
        auth.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("profilo/", profile.profile, name="profile"),
    path("profilo/token/<int:pk>/revoca/", profile.revoke_token, name="revoke_token"),
    path("profilo/sessioni/chiudi/", profile.end_other_sessions, name="end_other_sessions"),
]
