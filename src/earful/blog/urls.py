from django.urls import path

from . import feeds, linkback_urls, views

app_name = "blog"

urlpatterns = [
    # First: webmention, xmlrpc and <slug>/trackback must win over a post slug.
    *linkback_urls.urlpatterns,
    path("", views.index, name="index"),
    path("feed/", feeds.PostsFeed(), name="rss"),
    path("feed/atom/", feeds.PostsAtomFeed(), name="atom"),
    path("tag/<slug:slug>/", views.tag, name="tag"),
    path("tag/<slug:slug>/feed/", feeds.TagFeed(), name="tag-rss"),
    path("tag/<slug:slug>/feed/atom/", feeds.TagAtomFeed(), name="tag-atom"),
    path("authors/<slug:slug>/", views.author, name="author"),
    path("comments/<int:comment_id>/edit", views.edit, name="comment-edit"),
    path("<slug:slug>/", views.post, name="post"),
    path("<slug:slug>/comment", views.comment, name="comment"),
    path("<slug:slug>/comments/feed/", feeds.CommentsFeed(), name="comments-rss"),
    path("<slug:slug>/comments/feed/atom/", feeds.CommentsAtomFeed(), name="comments-atom"),
]
