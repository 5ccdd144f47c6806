"""Atom and RSS feeds: the whole blog, one tag, and one post's comments."""

from __future__ import annotations

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed

from .models import Comment, Post, Tag
from .queries import live_posts

ITEMS = 20


class PostsFeed(Feed):
    feed_type = Rss201rev2Feed

    def title(self, obj=None) -> str:
        return settings.EARFUL_BLOG_TITLE

    def link(self, obj=None) -> str:
        return reverse("blog:index")

    def description(self, obj=None) -> str:
        return f"New posts on {settings.EARFUL_BLOG_TITLE}"

    def items(self, obj=None):
        return live_posts()[:ITEMS]

    def item_title(self, item: Post) -> str:
        return item.title

    def item_description(self, item: Post) -> str:
        return item.body_html

    def item_pubdate(self, item: Post):
        return item.published_at

    def item_updateddate(self, item: Post):
        return item.updated_at

    def item_author_name(self, item: Post) -> str:
        return item.author.display_name

    def item_author_link(self, item: Post) -> str:
        return item.author.get_absolute_url()

    def item_categories(self, item: Post) -> list[str]:
        return [tag.name for tag in item.tags.all()]


class PostsAtomFeed(PostsFeed):
    feed_type = Atom1Feed
    subtitle = PostsFeed.description


class TagFeed(PostsFeed):
    def get_object(self, request, slug: str) -> Tag:
        return get_object_or_404(Tag, slug=slug)

    def title(self, obj=None) -> str:
        return f"{settings.EARFUL_BLOG_TITLE}: {obj.name}"

    def link(self, obj=None) -> str:
        return obj.get_absolute_url()

    def description(self, obj=None) -> str:
        return f"Posts tagged {obj.name}"

    def items(self, obj=None):
        return live_posts().filter(tags=obj)[:ITEMS]


class TagAtomFeed(TagFeed):
    feed_type = Atom1Feed
    subtitle = TagFeed.description


class CommentsFeed(Feed):
    feed_type = Rss201rev2Feed

    def get_object(self, request, slug: str) -> Post:
        return get_object_or_404(live_posts(), slug=slug)

    def title(self, obj=None) -> str:
        return f"Comments on {obj.title}"

    def link(self, obj=None) -> str:
        return f"{obj.get_absolute_url()}#comments"

    def description(self, obj=None) -> str:
        return f"Comments on “{obj.title}”, {settings.EARFUL_BLOG_TITLE}"

    def items(self, obj=None):
        return (
            Comment.objects.filter(post=obj, status=Comment.Status.PUBLISHED)
            .select_related("post")
            .order_by("-created_at", "-id")[:50]
        )

    def item_title(self, item: Comment) -> str:
        return f"{item.name} on {item.post.title}"

    def item_description(self, item: Comment) -> str:
        return item.body_html

    def item_link(self, item: Comment) -> str:
        return item.get_absolute_url()

    def item_pubdate(self, item: Comment):
        return item.created_at

    def item_updateddate(self, item: Comment):
        return item.edited_at or item.created_at

    def item_author_name(self, item: Comment) -> str:
        return item.name


class CommentsAtomFeed(CommentsFeed):
    feed_type = Atom1Feed
    subtitle = CommentsFeed.description
