from django.urls import path

from . import changelog_views, notice_urls, post_views, signup_views, views

app_name = "board"

urlpatterns = [
    path("", views.index, name="index"),
    path("new", post_views.submit, name="submit"),
    path("similar", views.similar, name="similar"),
    path("roadmap", views.roadmap_page, name="roadmap"),
    path("signup", signup_views.signup, name="signup"),
    path("changelog", changelog_views.changelog, name="changelog"),
    path("changelog/feed", changelog_views.feed, name="changelog-feed"),
    path("changelog/<int:change_id>", changelog_views.entry, name="changelog-entry"),
    path("<int:idea_id>/", views.idea, name="idea"),
    path("<int:idea_id>/vote", post_views.vote_view, name="vote"),
    path("<int:idea_id>/follow", post_views.follow_view, name="follow"),
    path("<int:idea_id>/comment", post_views.comment_view, name="comment"),
    path("<int:idea_id>/status", post_views.status_view, name="status"),
    path("<int:idea_id>/moderate", post_views.moderate_idea_view, name="moderate"),
    path("<int:idea_id>/merge", post_views.merge_view, name="merge"),
    path(
        "comments/<int:comment_id>/moderate",
        post_views.moderate_comment_view,
        name="comment-moderate",
    ),
]
urlpatterns += notice_urls.urlpatterns
