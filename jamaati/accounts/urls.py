from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from jamaati.accounts import views
from jamaati.accounts.forms import StaffPasswordResetForm, StaffSetPasswordForm

app_name = "accounts"
urlpatterns = [
    # Staff: password, then authenticator app.
    path("login/", views.staff_login, name="login"),
    path("login/setup/", views.totp_setup, name="totp_setup"),
    path("login/code/", views.totp_verify, name="totp_verify"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password-reset/",
        auth_views.PasswordResetView.as_view(
            form_class=StaffPasswordResetForm,
            template_name="accounts/password_reset_form.html",
            email_template_name="accounts/password_reset_email.txt",
            subject_template_name="accounts/password_reset_subject.txt",
            success_url=reverse_lazy("accounts:password_reset_done"),
        ),
        name="password_reset",
    ),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            form_class=StaffSetPasswordForm,
            template_name="accounts/password_reset_confirm.html",
            success_url=reverse_lazy("accounts:password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/done/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
    # Citizens: a code sent by e-mail or SMS.
    path("signup/", views.signup, name="signup"),
    path("code/", views.resend_code, name="code"),
    path("verify/", views.verify, name="verify"),
    # Personal data (law 09-08).
    path("my-data/", views.my_data, name="my_data"),
    path("my-data/download/", views.my_data_download, name="my_data_download"),
    path("my-data/delete/", views.delete_account, name="delete_account"),
]
