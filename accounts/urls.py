from django.urls import path

from . import views
from .sso import backchannel
from .sso import views as sso_views

app_name = "accounts"

urlpatterns = [
    path("users/", views.user_list, name="user_list"),
    path("users/invitations/", views.invitation_list, name="invitation_list"),
    path("users/invitations/new/", views.invitation_new, name="invitation_new"),
    path(
        "users/invitations/<int:pk>/revoke/", views.invitation_revoke_view, name="invitation_revoke"
    ),
    path("invitation/<str:token>/", views.invitation_accept_view, name="invitation_accept"),
    path(
        "users/identity-providers/", sso_views.identity_provider_list, name="identity_provider_list"
    ),
    path(
        "users/identity-providers/new/",
        sso_views.identity_provider_edit,
        name="identity_provider_new",
    ),
    path(
        "users/identity-providers/<int:pk>/",
        sso_views.identity_provider_edit,
        name="identity_provider_edit",
    ),
    path(
        "users/identity-providers/<int:pk>/delete/",
        sso_views.identity_provider_delete,
        name="identity_provider_delete",
    ),
    path("sso/start/", sso_views.sso_start, name="sso_start"),
    path(
        "sso/<slug:slug>/backchannel-logout/",
        backchannel.backchannel_logout,
        name="sso_backchannel_logout",
    ),
]
