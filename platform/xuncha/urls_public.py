"""Pages outside any organisation: sign-in, the organisation chooser, language switch."""

from django.contrib.auth import views as auth_views
from django.urls import include, path

from xuncha import views

urlpatterns = [
    path("", views.organization_chooser, name="chooser"),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", views.healthz, name="healthz"),
]

handler403 = "xuncha.views.permission_denied"
