from __future__ import annotations

from django.urls import path

from confide.accounts import views, views_notices, views_security

app_name = "accounts"
urlpatterns = [
    path("", views.account_settings, name="settings"),
    path("signup/", views.signup, name="signup"),
    path("signup/sent/", views.signup_sent, name="signup_sent"),
    path("verify/<str:token>/", views.verify, name="verify"),
    path("login/", views.login_view, name="login"),
    path("login/code/", views_security.login_code, name="login_code"),
    path("logout/", views.logout_view, name="logout"),
    path("password/", views.password_change_view, name="password_change"),
    path("password/reset/", views.password_reset, name="password_reset"),
    path("password/reset/sent/", views.password_reset_sent, name="password_reset_sent"),
    path(
        "password/reset/<str:uidb64>/<str:token>/",
        views.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path("email/", views.email_change, name="email_change"),
    path("email/confirm/<str:token>/", views.email_confirm, name="email_confirm"),
    path("two-step/", views_security.two_factor, name="two_factor"),
    path("two-step/code/", views_security.two_factor_verify, name="two_factor_verify"),
    path("two-step/off/", views_security.two_factor_disable, name="two_factor_disable"),
    path("two-step/recovery-codes/", views_security.recovery_codes, name="recovery_codes"),
    path("notices/seen/", views_notices.notice_seen, name="notice_seen"),
    path("sessions/", views_security.sessions, name="sessions"),
    path(
        "sessions/others/end/", views_security.sessions_end_others_view, name="sessions_end_others"
    ),
    path("sessions/<int:record_id>/end/", views_security.session_end_view, name="session_end"),
]
