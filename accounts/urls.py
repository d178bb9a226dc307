from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("users/", views.user_list, name="user_list"),
    path("users/invitations/", views.invitation_list, name="invitation_list"),
    path("users/invitations/new/", views.invitation_new, name="invitation_new"),
    path(
        "users/invitations/<int:pk>/revoke/", views.invitation_revoke_view, name="invitation_revoke"
    ),
    path("invitation/<str:token>/", views.invitation_accept_view, name="invitation_accept"),
]
