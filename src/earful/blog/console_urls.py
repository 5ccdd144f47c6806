"""The blog's console pages; the project includes them under console/blog/ with the
namespace "blog-console"."""

from django.urls import path

from .console import author, moderation, posts

urlpatterns = [
    path("", posts.posts, name="posts"),
    path("new", posts.post_new, name="post-new"),
    path("<int:post_id>", posts.post_edit, name="post-edit"),
    path("me", author.author, name="author"),
    path("moderation", moderation.moderation, name="moderation"),
]
