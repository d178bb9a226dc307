from django.urls import path

from . import views

app_name = "knowledge"

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("new/", views.article_new, name="new"),
    path("preview/", views.preview, name="preview"),
    path("review/", views.review_queue, name="review_queue"),
    path("stale/", views.stale_list, name="stale"),
    path("<int:pk>/", views.article_detail, name="detail"),
    path("<int:pk>/edit/", views.article_edit, name="edit"),
    path("<int:pk>/transition/", views.article_transition_view, name="transition"),
    path("<int:pk>/comments/", views.article_comment_view, name="comment"),
    path("<int:pk>/compare/", views.version_compare, name="compare"),
    path("<int:pk>/versions/<int:number>/", views.version_detail, name="version"),
    path("<int:pk>/versions/<int:number>/restore/", views.version_restore, name="version_restore"),
    path("<int:pk>/attachments/", views.attachment_upload, name="attachment_upload"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
    path("attachments/<int:pk>/delete/", views.attachment_delete_view, name="attachment_delete"),
]
